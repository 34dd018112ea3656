// Job runner: results, progress, errors, cooperative and queued cancellation, lanes, and
// persisted state (including "interrupted" after a killed process).

#include "test_util.h"

#include "common/error.h"
#include "jobs/job_runner.h"
#include "store/job_store.h"
#include "store/workspace.h"

#include <QTemporaryDir>
#include <QtTest>

#include <atomic>
#include <chrono>
#include <csignal>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>

using namespace std::chrono_literals;

namespace {

wb::JobSpec job(std::string kind, std::function<nlohmann::json(wb::JobContext &)> work,
                std::string lane = "cpu")
{
    wb::JobSpec s;
    s.kind = kind;
    s.title = kind;
    s.lane = std::move(lane);
    s.work = std::move(work);
    return s;
}

// Waits (bounded) until pred holds.
template <typename Pred>
bool eventually(Pred pred, std::chrono::milliseconds limit = 5000ms)
{
    const auto end = std::chrono::steady_clock::now() + limit;
    while (std::chrono::steady_clock::now() < end) {
        if (pred())
            return true;
        std::this_thread::sleep_for(2ms);
    }
    return pred();
}

} // namespace

class TstJobs : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void succeedsWithResultAndProgress()
    {
        wb::JobRunner runner;
        std::mutex m;
        std::vector<double> fractions;
        runner.addListener([&](const wb::JobSnapshot &s) {
            std::lock_guard<std::mutex> lock(m);
            fractions.push_back(s.progress.fraction);
        });
        const auto id = runner.submit(job("count", [](wb::JobContext &ctx) {
            for (int i = 1; i <= 4; ++i)
                ctx.progress(i / 4.0, "step " + std::to_string(i), {{"done", i}, {"total", 4}});
            return nlohmann::json{{"answer", 42}};
        }));
        const auto snap = runner.wait(id);
        QCOMPARE(snap.state, wb::JobState::Succeeded);
        QCOMPARE(snap.result["answer"].get<int>(), 42);
        QCOMPARE(snap.progress.fraction, 1.0);
        QCOMPARE(snap.progress.counters.at("done"), int64_t(4));
        std::lock_guard<std::mutex> lock(m);
        QVERIFY(std::find(fractions.begin(), fractions.end(), 0.5) != fractions.end());
    }

    void capturesErrors()
    {
        wb::JobRunner runner;
        const auto a = runner.submit(job("a", [](wb::JobContext &) -> nlohmann::json {
            throw wb::Error(wb::ErrorCode::Validation, "row 3: bad answer", "train.jsonl");
        }));
        const auto b = runner.submit(job("b", [](wb::JobContext &) -> nlohmann::json {
            throw std::runtime_error("plain failure");
        }));
        QCOMPARE(runner.wait(a).state, wb::JobState::Failed);
        QCOMPARE(runner.wait(a).error, std::string("train.jsonl: row 3: bad answer"));
        QCOMPARE(runner.wait(b).state, wb::JobState::Failed);
        QCOMPARE(runner.wait(b).error, std::string("plain failure"));
        QVERIFY_THROWS_EXCEPTION(wb::Error, runner.submit(wb::JobSpec{}));
    }

    void cancelsRunningJobCooperatively()
    {
        wb::JobRunner runner;
        std::atomic<bool> started{false};
        std::atomic<int> iterations{0};
        const auto id = runner.submit(job("spin", [&](wb::JobContext &ctx) {
            started = true;
            for (;;) {
                ctx.throwIfCancelled();
                ++iterations;
                std::this_thread::sleep_for(1ms);
            }
            return nlohmann::json();
        }));
        QVERIFY(eventually([&] { return started.load(); }));
        QVERIFY(runner.cancel(id));
        const auto snap = runner.wait(id);
        QCOMPARE(snap.state, wb::JobState::Cancelled);
        const int after = iterations;
        std::this_thread::sleep_for(20ms);
        QCOMPARE(iterations.load(), after); // it really stopped
        QVERIFY(!runner.cancel(id));         // finished jobs cannot be cancelled again
    }

    void cancelsQueuedJobWithoutRunningIt()
    {
        wb::JobRunner runner(nullptr, 1);
        std::atomic<bool> release{false};
        std::atomic<bool> secondRan{false};
        const auto first = runner.submit(job("block", [&](wb::JobContext &) {
            while (!release)
                std::this_thread::sleep_for(1ms);
            return nlohmann::json();
        }));
        const auto second = runner.submit(job("never", [&](wb::JobContext &) {
            secondRan = true;
            return nlohmann::json();
        }));
        QCOMPARE(runner.snapshot(second)->state, wb::JobState::Queued);
        QVERIFY(runner.cancel(second));
        QCOMPARE(runner.wait(second).state, wb::JobState::Cancelled);
        release = true;
        QCOMPARE(runner.wait(first).state, wb::JobState::Succeeded);
        std::this_thread::sleep_for(20ms);
        QVERIFY(!secondRan);
    }

    void gpuLaneRunsOneJobAtATime()
    {
        wb::JobRunner runner(nullptr, 2);
        std::atomic<int> gpuActive{0}, gpuPeak{0}, cpuActive{0}, cpuPeak{0};
        auto work = [](std::atomic<int> &active, std::atomic<int> &peak) {
            return [&active, &peak](wb::JobContext &) {
                const int now = ++active;
                int p = peak;
                while (now > p && !peak.compare_exchange_weak(p, now)) {
                }
                std::this_thread::sleep_for(30ms);
                --active;
                return nlohmann::json();
            };
        };
        std::vector<wb::JobId> ids;
        for (int i = 0; i < 4; ++i) {
            ids.push_back(runner.submit(job("gpu", work(gpuActive, gpuPeak), "gpu:0")));
            ids.push_back(runner.submit(job("cpu", work(cpuActive, cpuPeak), "cpu")));
        }
        for (auto id : ids)
            QCOMPARE(runner.wait(id).state, wb::JobState::Succeeded);
        QCOMPARE(gpuPeak.load(), 1);
        QCOMPARE(cpuPeak.load(), 2);
    }

    void persistsStateAndMetrics()
    {
        QTemporaryDir dir;
        auto ws = wb::Workspace::open(wbtest::path(dir));
        {
            wb::JobRunner runner(ws.get());
            auto spec = job("train", [](wb::JobContext &ctx) {
                for (int step = 1; step <= 3; ++step)
                    ctx.metric("loss", step, 1.0 / step);
                return nlohmann::json{{"ok", true}};
            });
            spec.params = {{"lr", 0.001}};
            const auto id = runner.submit(std::move(spec));
            QVERIFY(id > 0);
            QCOMPARE(runner.wait(id).state, wb::JobState::Succeeded);
            const auto failed = runner.submit(job("broken", [](wb::JobContext &) -> nlohmann::json {
                throw std::runtime_error("disk full");
            }));
            runner.wait(failed);
            auto quiet = job("peek", [](wb::JobContext &) { return nlohmann::json(); });
            quiet.quiet = true;
            QVERIFY(runner.wait(runner.submit(std::move(quiet))).state == wb::JobState::Succeeded);
        }
        const auto jobs = wb::listJobs(*ws);
        QCOMPARE(jobs.size(), size_t(2)); // the quiet job left no record
        QCOMPARE(jobs[0].state, wb::JobState::Failed);
        QCOMPARE(jobs[0].error, std::string("disk full"));
        QCOMPARE(jobs[1].state, wb::JobState::Succeeded);
        QCOMPARE(jobs[1].params["lr"].get<double>(), 0.001);
        QCOMPARE(jobs[1].result["ok"].get<bool>(), true);
        QVERIFY(!jobs[1].finishedAt.empty());
        const auto loss = wb::jobMetric(*ws, jobs[1].id, "loss");
        QCOMPARE(loss.size(), size_t(3));
        QCOMPARE(loss[2].first, int64_t(3));
        QCOMPARE(loss[1].second, 0.5);
    }

    void killedProcessLeavesInterruptedJob()
    {
        QTemporaryDir dir;
        const auto root = wbtest::path(dir, "ws");
        wb::Workspace::open(root).reset();
        const pid_t child = fork();
        QVERIFY(child >= 0);
        if (child == 0) {
            auto ws = wb::Workspace::open(root);
            wb::JobRunner runner(ws.get());
            runner.submit(job("long", [](wb::JobContext &ctx) {
                for (int i = 0;; ++i) {
                    ctx.progress(0.01 * (i % 100), "working");
                    std::this_thread::sleep_for(5ms);
                }
                return nlohmann::json();
            }));
            for (;;)
                std::this_thread::sleep_for(100ms);
        }
        // Wait until the child's job is recorded as running, then kill it hard.
        bool running = false;
        for (int i = 0; i < 500 && !running; ++i) {
            std::this_thread::sleep_for(10ms);
            try {
                wb::Database db(root / "workspace.db");
                auto st = db.prepare("SELECT COUNT(*) FROM jobs WHERE state = 'running'");
                st.step();
                running = st.int64(0) == 1;
            } catch (const wb::Error &) {
            }
        }
        QVERIFY(running);
        kill(child, SIGKILL);
        waitpid(child, nullptr, 0);
        auto ws = wb::Workspace::open(root);
        QCOMPARE(ws->interruptedJobsOnOpen(), 1);
        const auto jobs = wb::listJobs(*ws);
        QCOMPARE(jobs.size(), size_t(1));
        QCOMPARE(jobs[0].state, wb::JobState::Interrupted);
        QVERIFY(jobs[0].message.find("interrupted") != std::string::npos);
    }
};

QTEST_APPLESS_MAIN(TstJobs)
#include "tst_jobs.moc"

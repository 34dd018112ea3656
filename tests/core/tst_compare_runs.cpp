// core/eval Compare: voting and the statistics against hand-computed values, strict experiment
// files, and runs on the demo model: the response cache, a stop and a kill -9 resumed to the
// records of an uninterrupted run, a remote cell, and the demo adapter beating its base model.

#include "test_util.h"

#include "common/error.h"
#include "common/files.h"
#include "eval/answer_extract.h"
#include "eval/compare.h"
#include "eval/voting.h"
#include "remote/remote_endpoint.h"
#include "store/demo_seed.h"
#include "store/workspace.h"

#include <httplib.h>
#include <nlohmann/json.hpp>

#include <QProcess>
#include <QTemporaryDir>
#include <QtTest>

#include <thread>

#include <signal.h>

using nlohmann::json;

namespace {

// What must be equal between two runs of one experiment: each sample's text and answer.
json records(const wb::CompareResults &r)
{
    json out = json::array();
    for (const wb::CellResult &c : r.cells) {
        json cell = {{"id", c.id}, {"correct", c.correct}, {"answered", c.answered}};
        for (const wb::CellQuestion &q : c.questions) {
            json qs = json::array();
            for (const wb::CompareSample &s : q.samples)
                qs.push_back({s.sample, s.text, s.extracted});
            cell["q"].push_back({{"voted", q.voted}, {"samples", qs}});
        }
        out.push_back(cell);
    }
    return out;
}

int runLlmwb(const QStringList &args, QString *out = nullptr)
{
    QProcess p;
    p.start(qEnvironmentVariable("WB_LLMWB"), args);
    if (!p.waitForFinished(300000))
        return -1;
    if (out)
        *out = QString::fromUtf8(p.readAllStandardOutput() + p.readAllStandardError());
    return p.exitCode();
}

} // namespace

class TstCompare : public QObject
{
    Q_OBJECT
private:
    QTemporaryDir m_dir;
    std::unique_ptr<wb::Workspace> m_ws;
    QString wsPath() const { return m_dir.path() + "/ws"; }

    wb::Experiment smallExperiment(const std::string &name)
    {
        return wb::Experiment::fromJson(json::parse(R"({
            "name": ")" + name + R"(", "dataset": "demo-eval", "limit": 3, "method": "generate",
            "variants": [{"model": "demo-model"}],
            "templates": ["logic-direct", "logic-en-cot"],
            "decoding": [{"label": "greedy", "max_new_tokens": 6},
                         {"label": "3 votes", "temperature": 0.9, "samples": 3, "seed": 5,
                          "max_new_tokens": 6}],
            "ensembles": [{"label": "vote", "members": ["c0", "c1", "c3"]}]})"));
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        m_ws = wb::Workspace::open(wsPath().toStdString());
        wb::seedDemo(*m_ws);
    }

    void majorityVoteTable_data()
    {
        QTest::addColumn<QStringList>("votes");
        QTest::addColumn<QString>("expected");
        QTest::newRow("clear majority") << QStringList{"A", "B", "B"} << "B";
        QTest::newRow("tie: first vote earliest") << QStringList{"A", "B"} << "A";
        QTest::newRow("tie 2-2, B first") << QStringList{"B", "A", "A", "B"} << "B";
        QTest::newRow("unextracted do not vote") << QStringList{"", "", "C"} << "C";
        QTest::newRow("unextracted outnumber") << QStringList{"", "", "", "D", "D"} << "D";
        QTest::newRow("tie after unextracted") << QStringList{"", "B", "A"} << "B";
        QTest::newRow("all unextracted") << QStringList{"", ""} << "";
        QTest::newRow("no votes") << QStringList{} << "";
    }
    void majorityVoteTable()
    {
        QFETCH(QStringList, votes);
        QFETCH(QString, expected);
        std::vector<std::string> v;
        for (const QString &s : votes)
            v.push_back(s.toStdString());
        QCOMPARE(QString::fromStdString(wb::majorityVote(v)), expected);
    }

    void extractionFeedsVotes()
    {
        const std::vector<std::string> opts = {"甲", "乙", "丙", "丁"};
        std::vector<std::string> votes;
        for (const char *t : {"答案是：Ｂ", "Answer: B", "答案是 E", "我不知道", "(C)"})
            votes.push_back(wb::extractAnswer(t, opts).letter);
        QCOMPARE(votes, (std::vector<std::string>{"B", "B", "", "", "C"}));
        QCOMPARE(wb::majorityVote(votes), std::string("B"));
    }

    void wilsonHandValues()
    {
        auto near = [](std::pair<double, double> got, double lo, double hi) {
            return std::fabs(got.first - lo) < 5e-5 && std::fabs(got.second - hi) < 5e-5;
        };
        // p = 0.5, n = 10: centre 0.5, half-width 1.96·sqrt(0.025 + 0.009604)/1.384146
        QVERIFY(near(wb::wilsonInterval(5, 10), 0.236593, 0.763407));
        QVERIFY(near(wb::wilsonInterval(0, 10), 0.0, 0.277533));
        QVERIFY(near(wb::wilsonInterval(10, 10), 0.722467, 1.0));
        QVERIFY(near(wb::wilsonInterval(117, 187), 0.554431, 0.691847));
        QCOMPARE(wb::wilsonInterval(0, 0), (std::pair<double, double>{0, 0}));
    }

    void mcnemarHandValues()
    {
        QCOMPARE(wb::mcnemarExactP(0, 0), 1.0);
        QCOMPARE(wb::mcnemarExactP(1, 0), 1.0);                 // 2 · 1/2
        QVERIFY(std::fabs(wb::mcnemarExactP(5, 0) - 2.0 / 32) < 1e-12);
        QVERIFY(std::fabs(wb::mcnemarExactP(0, 5) - 2.0 / 32) < 1e-12);
        // 2 · (C(12,0) + C(12,1) + C(12,2)) / 2^12 = 158 / 4096
        QVERIFY(std::fabs(wb::mcnemarExactP(10, 2) - 158.0 / 4096) < 1e-12);
        QCOMPARE(wb::mcnemarExactP(3, 3), 1.0);                 // capped at 1
        QVERIFY(wb::mcnemarExactP(40, 2) < 1e-9);
    }

    void experimentFileIsStrict()
    {
        const json good = json::parse(R"({"name": "x", "dataset": "demo-eval",
            "variants": [{"model": "m1"}, {"model": "m2", "adapter": "run", "label": "tuned"}],
            "templates": ["a", "b"], "rag": [null, {"collection": "kb", "k": 3}],
            "decoding": [{"label": "greedy"}, {"temperature": 0.7, "samples": 5, "seed": 1}],
            "ensembles": [{"label": "e", "members": ["c0", "c15"]}]})");
        const wb::Experiment e = wb::Experiment::fromJson(good);
        const auto cells = wb::experimentCells(e);
        QCOMPARE(cells.size(), size_t(16));
        // variants × templates × rag × decoding, c0 .. c15 in that order
        QCOMPARE(cells[1].decoding, size_t(1));
        QCOMPARE(cells[2].rag, size_t(1));
        QCOMPARE(cells[4].templ, size_t(1));
        QCOMPARE(cells[8].variant, size_t(1));
        QCOMPARE(cells[15].id, std::string("c15"));
        QCOMPARE(wb::cellSamples(e, cells[1]), 5);
        QCOMPARE(e.decoding[1].label, std::string("5 × T=0.7"));
        QCOMPARE(wb::Experiment::fromJson(e.toJson()).toJson(), e.toJson());

        auto error = [&](const char *patch) -> std::string {
            json j = good;
            j.merge_patch(json::parse(patch));
            try {
                wb::Experiment::fromJson(j, "exp.json");
            } catch (const wb::Error &err) {
                return err.message();
            }
            return "no error";
        };
        QVERIFY(error(R"({"temprature": 1})").find("unknown key 'temprature'") != std::string::npos);
        QVERIFY(error(R"({"variants": [{"model": "m", "adpter": "x"}]})").find("variants[0]: unknown key 'adpter'") != std::string::npos);
        QVERIFY(error(R"({"decoding": [{"samples": 0}]})").find("decoding[0]: 'samples' is 0") != std::string::npos);
        QVERIFY(error(R"({"method": "vote"})").find("'method' is 'vote'") != std::string::npos);
        QVERIFY(error(R"({"split": "test"})").find("'split'") != std::string::npos);
        QVERIFY(error(R"({"ensembles": [{"members": ["c16"]}]})").find("'c16' is not a cell") != std::string::npos);
        QVERIFY(error(R"({"templates": []})").find("'templates' is empty") != std::string::npos);
        QVERIFY(error(R"({"dataset": 3})").find("'dataset' must be a string") != std::string::npos);
    }

    void unknownNamesAreRefusedBeforeAnythingIsWritten()
    {
        wb::Experiment e = smallExperiment("bad");
        e.variants[0].model = "no-such-model";
        try {
            wb::createCompareRun(*m_ws, e);
            QFAIL("no error");
        } catch (const wb::Error &err) {
            QVERIFY(err.message().find("variants[0]") != std::string::npos);
            QVERIFY(err.message().find("no-such-model") != std::string::npos);
        }
        e = smallExperiment("bad");
        e.templates[1] = "no-such-template";
        QVERIFY_THROWS_EXCEPTION(wb::Error, wb::createCompareRun(*m_ws, e));
        QVERIFY(wb::CompareStore(*m_ws).listRuns().empty());
    }

    // A run, the same experiment again from the cache, and a stopped run resumed: equal records.
    void cacheAndStopResume()
    {
        const wb::Experiment e = smallExperiment("small");
        const wb::ComparePlan plan = wb::planCompare(*m_ws, e);
        QCOMPARE(plan.cells, size_t(4));
        QVERIFY(plan.questions >= 6);
        QCOMPARE(plan.samples, plan.questions * (1 + 3) * 2);
        QCOMPARE(plan.cached, size_t(0));

        wb::CompareOptions o;
        o.batchSize = 4;
        const auto runA = wb::createCompareRun(*m_ws, e, "uninterrupted");
        const wb::CompareResults a = wb::runCompare(*m_ws, runA.name, o);
        QCOMPARE(a.run.state, std::string("finished"));
        QCOMPARE(a.doneSamples(), plan.samples);
        QCOMPARE(a.ensembles.size(), size_t(1));
        for (const auto &c : a.cells) {
            QCOMPARE(c.answered, plan.questions);
            QCOMPARE(c.cachedSamples, size_t(0));
        }
        // The ensemble votes with its members' answers.
        for (size_t q = 0; q < a.questions.size(); ++q)
            QCOMPARE(a.ensembles[0].questions[q].voted,
                     wb::majorityVote({a.cells[0].questions[q].voted, a.cells[1].questions[q].voted,
                                       a.cells[3].questions[q].voted}));
        // Sampled cells drew different answers across samples somewhere (not greedy copies).
        bool varied = false;
        for (const auto &q : a.cells[1].questions)
            varied = varied || q.samples[0].text != q.samples[1].text || q.samples[1].text != q.samples[2].text;
        QVERIFY(varied);

        QCOMPARE(wb::planCompare(*m_ws, e).cached, plan.samples);
        const auto runB = wb::createCompareRun(*m_ws, e, "from-cache");
        size_t computed = 0;
        wb::CompareCallbacks cb;
        cb.onProgress = [&](const wb::CompareProgress &p) { computed = p.computed; };
        const wb::CompareResults b = wb::runCompare(*m_ws, runB.name, o, cb);
        QCOMPARE(computed, size_t(0));
        for (const auto &c : b.cells)
            QCOMPARE(c.cachedSamples, c.totalSamples);
        QCOMPARE(records(b), records(a));

        // Without the cache, stopped after the second stored batch, then resumed.
        const auto runC = wb::createCompareRun(*m_ws, e, "stopped", true);
        int batches = 0;
        size_t storedAtStop = 0;
        wb::CompareCallbacks stop;
        stop.onProgress = [&](const wb::CompareProgress &p) {
            if (p.computed > 0 && p.message.find("answered") != std::string::npos && ++batches == 2)
                storedAtStop = p.done;
        };
        stop.isCancelled = [&] { return batches >= 2; };
        QVERIFY_THROWS_EXCEPTION(wb::Error, wb::runCompare(*m_ws, runC.name, o, stop));
        wb::CompareResults partial = wb::CompareStore(*m_ws).results(runC.name);
        QCOMPARE(partial.run.state, std::string("stopped"));
        QCOMPARE(partial.doneSamples(), storedAtStop);
        QVERIFY(storedAtStop > 0 && storedAtStop < plan.samples);
        size_t resumedComputed = 0;
        wb::CompareCallbacks resume;
        resume.onProgress = [&](const wb::CompareProgress &p) { resumedComputed = p.computed; };
        const wb::CompareResults c = wb::runCompare(*m_ws, runC.name, o, resume);
        QCOMPARE(c.run.state, std::string("finished"));
        QCOMPARE(resumedComputed, plan.samples - storedAtStop); // nothing stored was recomputed
        QCOMPARE(records(c), records(a));
        for (const auto &cell : c.cells)
            QCOMPARE(cell.cachedSamples, size_t(0));

        // results.json carries the contract's keys.
        const json j = c.toJson();
        for (const char *k : {"run", "experiment", "cells", "ensembles"})
            QVERIFY2(j.contains(k), k);
        for (const char *k : {"id", "model", "adapter", "template", "rag", "decoding", "method",
                              "samples", "answered", "correct", "unextracted", "accuracy", "ci95",
                              "mean_output_tokens", "questions"})
            QVERIFY2(j["cells"][0].contains(k), k);
        for (const char *k : {"record_id", "question", "expected", "samples", "voted", "correct"})
            QVERIFY2(j["cells"][0]["questions"][0].contains(k), k);
        QVERIFY(j["ensembles"][0].contains("members"));
        QCOMPARE(j["cells"][1]["questions"][0]["samples"].size(), size_t(3));

        // Exports: CSV has a row per cell and ensemble; the submission is the dataset's shape.
        const std::string csv = wb::exportResults(c, "csv");
        QCOMPARE(size_t(std::count(csv.begin(), csv.end(), '\n')), size_t(1 + 4 + 1));
        const std::string sub = wb::exportSubmission(*m_ws, c, "c0");
        const json first = json::parse(sub.substr(0, sub.find('\n')));
        QVERIFY(first.contains("problem"));
        QCOMPARE(first["questions"][0]["answer"].get<std::string>(), c.cells[0].questions[0].voted);
        QVERIFY_THROWS_EXCEPTION(wb::Error, wb::exportResults(c, "xml"));
        // Accuracy against votes has one point per sample count.
        QCOMPARE(wb::accuracyByVotes(c.cells[1], c).size(), size_t(3));
        QVERIFY(!wb::breakdownFields(c).empty());
        QCOMPARE(wb::breakdownFields(c).front(), std::string("family"));
    }

    // llmwb compare run killed with SIGKILL part-way, then resumed: the uninterrupted records.
    void killAndResume()
    {
        const json spec = json::parse(R"({"name": "kill", "dataset": "demo-eval", "limit": 30,
            "variants": ["demo-model"], "templates": ["logic-en-cot"],
            "decoding": [{"temperature": 0.8, "samples": 4, "seed": 9, "max_new_tokens": 12}]})");
        const std::string file = (wbtest::path(m_dir) / "kill.json").string();
        wb::writeFileAtomic(file, spec.dump());
        m_ws.reset(); // the CLI opens the workspace too
        QVERIFY(runLlmwb({"-w", wsPath(), "compare", "run", QString::fromStdString(file), "--name",
                          "whole", "--no-cache", "--batch", "4"}) == 0);

        QProcess p;
        p.start(qEnvironmentVariable("WB_LLMWB"),
                {"-w", wsPath(), "compare", "run", QString::fromStdString(file), "--name", "killed",
                 "--no-cache", "--batch", "4"});
        QVERIFY(p.waitForStarted());
        size_t seen = 0;
        for (int i = 0; i < 6000 && p.state() == QProcess::Running; ++i) {
            std::this_thread::sleep_for(std::chrono::milliseconds(20));
            auto ws = wb::Workspace::open(wsPath().toStdString());
            if (auto run = wb::CompareStore(*ws).findRun("killed")) {
                seen = wb::CompareStore(*ws).results("killed").doneSamples();
                if (seen >= 8)
                    break;
            }
        }
        QVERIFY2(p.state() == QProcess::Running, "the run ended before it could be killed");
        ::kill(pid_t(p.processId()), SIGKILL);
        p.waitForFinished();
        m_ws = wb::Workspace::open(wsPath().toStdString());
        const auto partial = wb::CompareStore(*m_ws).results("killed");
        QVERIFY(partial.doneSamples() >= 8);
        QVERIFY(partial.doneSamples() < partial.totalSamples());
        m_ws.reset();
        QString out;
        QCOMPARE(runLlmwb({"-w", wsPath(), "compare", "resume", "killed", "--batch", "4"}, &out), 0);
        m_ws = wb::Workspace::open(wsPath().toStdString());
        const auto whole = wb::CompareStore(*m_ws).results("whole");
        const auto resumed = wb::CompareStore(*m_ws).results("killed");
        QCOMPARE(resumed.run.state, std::string("finished"));
        QCOMPARE(records(resumed), records(whole));

        m_ws.reset();
        QCOMPARE(runLlmwb({"-w", wsPath(), "compare", "remove", "killed"}), 0);
        QVERIFY(runLlmwb({"-w", wsPath(), "compare", "show", "killed"}, &out) != 0);
        QVERIFY2(out.contains("no comparison run named 'killed'"), qPrintable(out));
        m_ws = wb::Workspace::open(wsPath().toStdString());
    }

    // An OpenAI-compatible server on loopback as a variant: answered, stored, then cached.
    void remoteVariant()
    {
        httplib::Server server;
        std::atomic<int> hits{0};
        server.Post("/v1/completions", [&](const httplib::Request &req, httplib::Response &res) {
            ++hits;
            const json body = json::parse(req.body);
            const bool english = body["prompt"].get<std::string>().find("Answer") != std::string::npos;
            json reply = {{"choices", {{{"index", 0}, {"text", english ? "B" : "A"}, {"finish_reason", "stop"}}}},
                          {"usage", {{"prompt_tokens", 10}, {"completion_tokens", 1}, {"total_tokens", 11}}}};
            res.set_content(reply.dump(), "application/json");
        });
        const int port = server.bind_to_any_port("127.0.0.1");
        std::thread t([&] { server.listen_after_bind(); });
        while (!server.is_running())
            std::this_thread::sleep_for(std::chrono::milliseconds(5));
        if (!m_ws)
            m_ws = wb::Workspace::open(wsPath().toStdString());
        wb::RemoteSettings s;
        s.name = "loopback";
        s.baseUrl = "http://127.0.0.1:" + std::to_string(port) + "/v1";
        s.model = "fake";
        s.maxConcurrency = 2;
        wb::RemoteStore(*m_ws).add(s);
        wb::Experiment e = smallExperiment("remote");
        e.variants = {{"loopback", "", ""}};
        e.ensembles.clear();
        const auto run = wb::createCompareRun(*m_ws, e, "remote-1");
        const auto r = wb::runCompare(*m_ws, run.name, {});
        QCOMPARE(r.run.state, std::string("finished"));
        QCOMPARE(size_t(hits.load()), r.totalSamples());
        for (const auto &c : r.cells)
            for (const auto &q : c.questions)
                QVERIFY(!q.voted.empty());
        const auto again = wb::createCompareRun(*m_ws, e, "remote-2");
        wb::runCompare(*m_ws, again.name, {});
        QCOMPARE(size_t(hits.load()), r.totalSamples()); // all from the cache
        server.stop();
        t.join();
        e.method = "loglik";
        QVERIFY_THROWS_EXCEPTION(wb::Error, wb::createCompareRun(*m_ws, e)); // needs a local model
    }

    // The demo experiment's claim: the shipped LoRA adapter beats its base model, p < 0.05.
    void demoAdapterBeatsBase()
    {
        if (!m_ws)
            m_ws = wb::Workspace::open(wsPath().toStdString());
        const json spec = json::parse(R"({"name": "adapter", "dataset": "demo-eval", "method": "loglik",
            "variants": [{"model": "demo-model"}, {"model": "demo-model", "adapter": "demo-lora"}],
            "templates": ["logic-direct"]})");
        const auto run = wb::createCompareRun(*m_ws, wb::Experiment::fromJson(spec));
        const auto r = wb::runCompare(*m_ws, run.name, {});
        QCOMPARE(r.cells.size(), size_t(2));
        QVERIFY(r.questions.size() > 150); // every question of demo-eval
        QCOMPARE(r.cells[0].answered, r.questions.size());
        const wb::CellDiff d = wb::diffCells(r, "c0", "c1");
        qInfo("base %.3f, adapter %.3f, b %zu c %zu, p %.3g", r.cells[0].accuracy,
              r.cells[1].accuracy, d.onlyA, d.onlyB, d.p);
        QVERIFY(r.cells[1].accuracy > r.cells[0].accuracy);
        QVERIFY(d.p < 0.05);
        QCOMPARE(r.best()->id, std::string("c1"));
    }
};

QTEST_GUILESS_MAIN(TstCompare)
#include "tst_compare_runs.moc"

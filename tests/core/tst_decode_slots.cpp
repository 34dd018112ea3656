// Continuous batching in the engine (core/model/decode_slots.h) and the serving scheduler over it
// (core/serve/engine.h): rows that join and leave a running batch decode exactly what they decode
// alone, seeded draws do not depend on batch mates, the cache grows and rows are reused, several
// adapters on one load compute what each computes loaded alone, and the scheduler's queue bound,
// cancellation, stop strings and shutdown.

#include "test_util.h"
#include "tiny_model.h"

#include "common/error.h"
#include "model/decode_slots.h"
#include "model/generate.h"
#include "serve/engine.h"
#include "tokenizer/tokenizer.h"

#include <QTemporaryDir>
#include <QtTest>

#include <condition_variable>
#include <future>
#include <map>
#include <mutex>
#include <thread>

namespace {

std::vector<int32_t> prompt(int n, int salt)
{
    std::vector<int32_t> p;
    for (int i = 0; i < n; ++i)
        p.push_back(int32_t(3 + (i * 37 + salt * 101) % 690));
    return p;
}

std::vector<int32_t> greedyAlone(wb::CausalLM &m, const std::vector<int32_t> &p, int n)
{
    wb::GenerateOptions o;
    o.maxNewTokens = n;
    o.ignoreEos = true;
    return wb::generate(m, p, o).tokens;
}

// Runs sequences through one DecodeSlots, each starting at its own step (in order, or later when
// no row is free); returns each one's tokens. `sampling` per sequence.
std::vector<std::vector<int32_t>> runStaggered(wb::DecodeSlots &slots,
                                               const std::vector<std::vector<int32_t>> &prompts,
                                               const std::vector<int> &startStep,
                                               const std::vector<wb::SlotSampling> &sampling, int n,
                                               int chunk = 3)
{
    std::vector<std::vector<int32_t>> out(prompts.size());
    std::map<int, size_t> rowOf; // row -> sequence
    size_t started = 0;
    for (int step = 0; started < prompts.size() || !rowOf.empty(); ++step) {
        for (size_t i = started; i < prompts.size(); ++i) { // in order, once a row is free
            if (startStep[i] <= step && slots.freeRow() >= 0) {
                const int row = slots.freeRow();
                slots.begin(row, prompts[i], sampling[i]);
                rowOf[row] = i;
                ++started;
            } else {
                break;
            }
        }
        for (auto &[row, i] : rowOf)
            if (!slots.decoding(row))
                if (auto t = slots.prefill(row, chunk))
                    out[i].push_back(t->id);
        for (const wb::SlotToken &t : slots.step())
            out[rowOf[t.row]].push_back(t.id);
        for (auto it = rowOf.begin(); it != rowOf.end();) {
            if (int(out[it->second].size()) >= n) {
                out[it->second].resize(size_t(n));
                slots.release(it->first);
                it = rowOf.erase(it);
            } else {
                ++it;
            }
        }
    }
    return out;
}

} // namespace

class TestDecodeSlots : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    std::filesystem::path m_model;

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        m_model = wbtest::path(m_dir, "tiny");
        wbtest::writeTinyModel(m_model, 7);
    }

    void greedyRowsJoiningALiveBatchEqualGenerate()
    {
        auto model = wb::CausalLM::load(m_model);
        std::vector<std::vector<int32_t>> prompts;
        for (int i = 0; i < 6; ++i)
            prompts.push_back(prompt(5 + 7 * i, i));
        // 4 rows for 6 sequences: two wait for a row to free; a room of 8 forces the cache to grow.
        wb::DecodeSlots slots(*model, 4, 8);
        const auto got = runStaggered(slots, prompts, {0, 0, 2, 5, 9, 9},
                                      std::vector<wb::SlotSampling>(6), 24);
        for (size_t i = 0; i < prompts.size(); ++i)
            QCOMPARE(got[i], greedyAlone(*model, prompts[i], 24));
        QCOMPARE(slots.busyRows(), 0);
    }

    void seededDrawsDoNotDependOnBatchMates()
    {
        auto model = wb::CausalLM::load(m_model);
        wb::SlotSampling s;
        s.temperature = 1.0f;
        s.topP = 0.9f;
        s.topK = 50;
        s.seed = 1234;
        wb::SlotSampling other = s;
        other.seed = 99;
        other.presencePenalty = 0.5f;
        other.frequencyPenalty = 0.3f;
        const auto p = prompt(9, 3);

        wb::DecodeSlots alone(*model, 4);
        const auto a = runStaggered(alone, {p}, {0}, {s}, 20).front();
        wb::DecodeSlots busy(*model, 4);
        const auto b = runStaggered(busy, {prompt(4, 1), p, prompt(30, 2)}, {0, 3, 1},
                                    {other, s, other}, 20);
        QCOMPARE(b[1], a);
        QVERIFY(b[0] != a);
        // A different seed draws differently; temperature 1 over random weights is not greedy.
        wb::SlotSampling s2 = s;
        s2.seed = 1235;
        wb::DecodeSlots third(*model, 1);
        QVERIFY(runStaggered(third, {p}, {0}, {s2}, 20).front() != a);
        QVERIFY(a != greedyAlone(*model, p, 20));
    }

    void logprobsAreTheModelsLogSoftmax()
    {
        auto model = wb::CausalLM::load(m_model);
        const auto p = prompt(6, 5);
        wb::SlotSampling s;
        s.logprobs = 3;
        wb::DecodeSlots slots(*model, 2);
        slots.begin(0, p, s);
        const auto first = slots.prefill(0, 100);
        QVERIFY(first.has_value());
        const std::vector<float> logits = model->logits(p);
        const size_t vocab = size_t(model->vocabSize());
        const float *last = logits.data() + (p.size() - 1) * vocab;
        double sum = 0;
        const float best = *std::max_element(last, last + vocab);
        for (size_t v = 0; v < vocab; ++v)
            sum += std::exp(double(last[v]) - best);
        QCOMPARE(first->id, int32_t(std::max_element(last, last + vocab) - last));
        QVERIFY(std::fabs(first->logprob - (best - (best + std::log(sum)))) < 1e-4);
        QCOMPARE(int(first->top.size()), 3);
        QCOMPARE(first->top[0].first, first->id);
        QVERIFY(first->top[1].second <= first->top[0].second);
        const auto next = slots.step();
        QCOMPARE(int(next.size()), 1);
        QCOMPARE(int(next[0].top.size()), 3);
    }

    void adaptersByIndexEqualSingleLoads()
    {
        const auto peft = wbtest::referenceDir() / "peft";
        const auto base = wbtest::referenceDir() / "models" / "llama-gqa";
        wb::LoadOptions both;
        both.adapterDir = (peft / "llama-gqa-all-linear").string();
        both.extraAdapterDirs = {(peft / "llama-gqa-gaussian-layer1").string()};
        auto multi = wb::CausalLM::load(base, both);
        QCOMPARE(multi->adapterCount(), 2);
        const std::vector<int32_t> ids = {1, 5, 9, 14, 3};
        for (int i = -1; i < 2; ++i) {
            wb::LoadOptions one;
            if (i == 0)
                one.adapterDir = both.adapterDir;
            if (i == 1)
                one.adapterDir = both.extraAdapterDirs[0];
            auto single = wb::CausalLM::load(base, one);
            multi->selectAdapter(i);
            QVERIFY2(wbtest::maxAbsDiff(multi->logits(ids), single->logits(ids)) < 1e-5,
                     qPrintable(QString("adapter %1").arg(i)));
        }
        // The adapters do change the logits (the check above is not vacuous).
        multi->selectAdapter(0);
        const auto a = multi->logits(ids);
        multi->selectAdapter(1);
        QVERIFY(wbtest::maxAbsDiff(a, multi->logits(ids)) > 1e-3);
    }

    void engineQueuesCancelsStopsAndShutsDown()
    {
        wb::serve::EngineOptions o;
        o.maxBatch = 2;
        o.maxQueue = 1;
        o.prefillChunk = 4;
        auto engine = wb::serve::startEngine(m_model, "tiny", {}, o);
        const wb::Tokenizer &tok = engine->tokenizer();

        struct Done
        {
            std::mutex m;
            std::condition_variable cv;
            std::map<uint64_t, wb::serve::GenerationResult> results;
        } done;
        auto sink = [&](std::function<bool(const wb::serve::GeneratedToken &)> onToken = {}) {
            wb::serve::GenerationSink s;
            s.onToken = onToken ? onToken : [](const wb::serve::GeneratedToken &) { return true; };
            return std::make_shared<wb::serve::GenerationSink>(s);
        };
        auto submit = [&](wb::serve::GenerationRequest r, std::shared_ptr<wb::serve::GenerationSink> s) {
            auto id = std::make_shared<uint64_t>(0);
            auto ready = std::make_shared<std::promise<void>>();
            auto readyF = ready->get_future().share();
            s->onDone = [&done, id, readyF](const wb::serve::GenerationResult &res) {
                readyF.wait();
                std::lock_guard l(done.m);
                done.results[*id] = res;
                done.cv.notify_all();
            };
            *id = engine->submit(std::move(r), *s);
            ready->set_value();
            return *id;
        };
        auto waitFor = [&](uint64_t id) {
            std::unique_lock l(done.m);
            QVERIFY(done.cv.wait_for(l, std::chrono::seconds(60), [&] { return done.results.count(id) > 0; }));
        };

        wb::serve::GenerationRequest greedy;
        greedy.model = "tiny";
        greedy.prompt = tok.encode("The quick brown fox", false);
        greedy.temperature = 0;
        greedy.maxTokens = 12;
        greedy.ignoreEos = true;

        // Alone first: the reference text, streamed pieces adding up to it.
        std::string streamed;
        const uint64_t ref = submit(greedy, sink([&](const wb::serve::GeneratedToken &t) {
                                        streamed += t.text;
                                        return true;
                                    }));
        waitFor(ref);
        const wb::serve::GenerationResult alone = done.results[ref];
        QCOMPARE(alone.finishReason, std::string("length"));
        QCOMPARE(alone.completionTokens, 12);
        QCOMPARE(streamed + alone.pendingText, alone.text);
        QVERIFY(!alone.text.empty());

        // Unknown model, bad prompt.
        wb::serve::GenerationRequest bad = greedy;
        bad.model = "nope";
        QVERIFY_THROWS_EXCEPTION(wb::Error, engine->submit(bad, *sink()));
        bad = greedy;
        bad.prompt.assign(600, 5);
        QVERIFY_THROWS_EXCEPTION(wb::Error, engine->submit(bad, *sink()));

        // Two long runners fill the batch, one waits, the fourth is refused (queue full).
        wb::serve::GenerationRequest slow = greedy;
        slow.maxTokens = 400;
        const uint64_t r1 = submit(slow, sink());
        // r2 outlives everything below (its client reads slowly), until shutdown cancels it.
        const uint64_t r2 = submit(slow, sink([](const wb::serve::GeneratedToken &) {
                                       std::this_thread::sleep_for(std::chrono::milliseconds(5));
                                       return true;
                                   }));
        const uint64_t r3 = submit(greedy, sink());
        bool refused = false;
        try {
            engine->submit(greedy, *sink());
        } catch (const wb::Error &e) {
            refused = e.code() == wb::ErrorCode::Conflict;
        }
        QVERIFY(refused);
        engine->cancel(r1);
        waitFor(r1);
        QCOMPARE(done.results[r1].finishReason, std::string("cancelled"));
        waitFor(r3); // got r1's row, and decodes what it decodes alone
        QCOMPARE(done.results[r3].text, alone.text);

        // A stop string cuts the text before it; the stream never shows the stop string.
        wb::serve::GenerationRequest stopAt = greedy;
        const std::string piece = alone.text.substr(alone.text.size() / 2, 2);
        stopAt.stop = {piece};
        std::string shown;
        const uint64_t rs = submit(stopAt, sink([&](const wb::serve::GeneratedToken &t) {
                                       shown += t.text;
                                       return true;
                                   }));
        waitFor(rs);
        const auto &stopped = done.results[rs];
        QCOMPARE(stopped.finishReason, std::string("stop"));
        QCOMPARE(stopped.text, alone.text.substr(0, alone.text.find(piece)));
        QCOMPARE(shown + stopped.pendingText, stopped.text);

        // A client that goes away (onToken false) frees its row at once.
        int seen = 0;
        const uint64_t rg = submit(slow, sink([&](const wb::serve::GeneratedToken &) { return ++seen < 3; }));
        waitFor(rg);
        QCOMPARE(done.results[rg].finishReason, std::string("cancelled"));
        QCOMPARE(done.results[rg].completionTokens, 3);

        // Shutdown: r2 still runs; a short deadline cancels it, new work is refused.
        engine->shutdown(std::chrono::milliseconds(50));
        waitFor(r2);
        QCOMPARE(done.results[r2].finishReason, std::string("cancelled"));
        bool closed = false;
        try {
            engine->submit(greedy, *sink());
        } catch (const wb::Error &e) {
            closed = e.code() == wb::ErrorCode::Cancelled;
        }
        QVERIFY(closed);
    }
};

QTEST_GUILESS_MAIN(TestDecodeSlots)
#include "tst_decode_slots.moc"

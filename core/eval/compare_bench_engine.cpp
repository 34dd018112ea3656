#include "eval/compare_bench.h"

#include "common/error.h"
#include "eval/compare_internal.h"
#include "model/causal_lm.h"
#include "model/generate.h"
#include "tokenizer/tokenizer.h"

#include <algorithm>
#include <chrono>
#include <cstdio>

namespace wb {

namespace {

double secondsSince(std::chrono::steady_clock::time_point t)
{
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - t).count();
}

} // namespace

std::string CompareBenchReport::describe() const
{
    char buf[512];
    std::snprintf(buf, sizeof buf,
                  "%zu questions, greedy\n"
                  "  runner, batched       %7.2f s  %7.2f questions/s\n"
                  "  runner, one at a time %7.2f s  %7.2f questions/s\n"
                  "  raw generateBatch     %7.2f s  %7.2f questions/s\n"
                  "batched / one at a time: %.2fx; runner overhead over raw: %+.1f%%; same answers: %s\n",
                  questions, batchedSeconds, batchedQps(), singleSeconds, singleQps(), rawSeconds,
                  rawQps(), speedup(), 100 * overhead(), sameAnswers ? "yes" : "no");
    return buf;
}

CompareBenchReport benchCompare(Workspace &ws, const CompareBenchOptions &o)
{
    Experiment e;
    e.name = "bench-compare";
    e.dataset = o.dataset;
    e.limit = o.limit;
    e.method = "generate";
    e.variants = {{o.model, {}, {}}};
    e.templates = {o.templ};
    Decoding d;
    d.label = "greedy";
    d.maxNewTokens = o.newTokens;
    e.decoding = {d};
    CompareOptions co;
    co.device = o.device;
    co.dtype = o.dtype;
    co.noCache = true;

    CompareBenchReport report;
    CompareStore store(ws);
    auto timedRun = [&](int batch, CompareResults *keep) {
        const CompareRunInfo run = createCompareRun(ws, e, {}, true);
        co.batchSize = batch;
        const auto t = std::chrono::steady_clock::now();
        CompareResults r;
        try {
            r = runCompare(ws, run.name, co);
        } catch (...) {
            store.removeRun(run.name);
            throw;
        }
        const double s = secondsSince(t);
        store.removeRun(run.name);
        report.questions = r.questions.size();
        if (keep)
            *keep = std::move(r);
        return s;
    };
    // Raw: the same prompts, the same model load, generateBatch in the same batches.
    const ResolvedExperiment r = resolveExperiment(ws, e, co);
    InputCaches caches;
    const CellInputs in = buildCellInputs(ws, r, experimentCells(e).front(), caches);
    std::vector<std::string> texts;
    auto rawRun = [&] {
        texts.clear();
        const auto t = std::chrono::steady_clock::now();
        LoadOptions lo;
        lo.device = o.device;
        lo.dtype = o.dtype;
        auto model = CausalLM::load(r.variants.front().modelDir, lo);
        auto tokenizer = Tokenizer::load(r.variants.front().modelDir);
        GenerateOptions go;
        go.maxNewTokens = o.newTokens;
        go.eosIds = model->eosIds();
        for (int32_t id : tokenizer->eosIds())
            if (std::find(go.eosIds.begin(), go.eosIds.end(), id) == go.eosIds.end())
                go.eosIds.push_back(id);
        go.decode = [&](const std::vector<int32_t> &ids) { return tokenizer->decode(ids, true); };
        for (size_t begin = 0; begin < in.requests.size(); begin += size_t(o.batch)) {
            std::vector<std::vector<int32_t>> prompts;
            for (size_t i = begin; i < std::min(in.requests.size(), begin + size_t(o.batch)); ++i)
                prompts.push_back(in.requests[i].promptTokens);
            for (const GenerateResult &g : generateBatch(*model, prompts, go))
                texts.push_back(g.text);
        }
        return secondsSince(t);
    };
    // Interleaved rounds, the fastest of each kind: other work on the machine shows as noise.
    CompareResults batched;
    report.batchedSeconds = report.singleSeconds = report.rawSeconds = 1e300;
    for (int round = 0; round < std::max(1, o.rounds); ++round) {
        report.rawSeconds = std::min(report.rawSeconds, rawRun());
        report.batchedSeconds = std::min(report.batchedSeconds, timedRun(o.batch, &batched));
        report.singleSeconds = std::min(report.singleSeconds, timedRun(1, nullptr));
    }
    report.sameAnswers = texts.size() == batched.questions.size();
    for (size_t q = 0; report.sameAnswers && q < texts.size(); ++q)
        report.sameAnswers = batched.cells.front().questions[q].samples.front().text == texts[q];
    return report;
}

} // namespace wb

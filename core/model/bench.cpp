#include "model/bench.h"

#include "common/error.h"
#include "model/sampler.h"

#include <chrono>
#include <cstdio>
#include <random>

namespace wb {

namespace {
using Clock = std::chrono::steady_clock;
double since(Clock::time_point t)
{
    return std::chrono::duration<double>(Clock::now() - t).count();
}
} // namespace

std::string BenchResult::summary() const
{
    char buf[320];
    std::snprintf(buf, sizeof buf,
                  "%s batch %d, prompt %d, new %d: prefill %.1f tok/s, decode %.1f tok/s, "
                  "time to first token %.3f s, peak memory %.1f MiB",
                  device.c_str(), batch, promptLen, newTokens, prefillTokensPerSecond,
                  decodeTokensPerSecond, timeToFirstTokenSeconds,
                  double(peakMemoryBytes) / (1024.0 * 1024.0));
    return buf;
}

BenchResult benchGenerate(CausalLM &model, int batch, int promptLen, int newTokens)
{
    if (batch < 1 || promptLen < 1 || newTokens < 1)
        throw Error(ErrorCode::Validation, "bench needs batch, prompt length and new tokens >= 1");
    if (int64_t(promptLen) + newTokens > model.maxPositions())
        throw Error(ErrorCode::Validation, "prompt length + new tokens (" +
                                               std::to_string(promptLen + newTokens) +
                                               ") exceeds the model's " +
                                               std::to_string(model.maxPositions()) + " positions");
    const int64_t vocab = model.vocabSize();
    std::mt19937_64 rng(1234);
    std::vector<std::vector<int32_t>> prompts(static_cast<size_t>(batch));
    for (auto &p : prompts) {
        for (int i = 0; i < promptLen; ++i)
            p.push_back(int32_t(rng() % uint64_t(vocab)));
    }

    BenchResult r;
    r.batch = batch;
    r.promptLen = promptLen;
    r.newTokens = newTokens;
    r.device = model.options().device;
    model.resetPeakMemory();

    auto session = model.newBatchSession();
    auto start = Clock::now();
    std::vector<float> logits = session->append(prompts); // copying logits to the host syncs
    r.prefillSeconds = since(start);
    std::vector<int32_t> next(static_cast<size_t>(batch), 0);
    for (int b = 0; b < batch; ++b)
        next[size_t(b)] = Sampler::argmax(logits.data() + int64_t(b) * vocab, vocab);
    r.timeToFirstTokenSeconds = since(start);

    start = Clock::now();
    for (int i = 1; i < newTokens; ++i) {
        logits = session->step(next);
        for (int b = 0; b < batch; ++b)
            next[size_t(b)] = Sampler::argmax(logits.data() + int64_t(b) * vocab, vocab);
    }
    r.decodeSeconds = since(start);
    r.prefillTokensPerSecond = double(batch) * promptLen / std::max(r.prefillSeconds, 1e-9);
    r.decodeTokensPerSecond =
        newTokens > 1 ? double(batch) * (newTokens - 1) / std::max(r.decodeSeconds, 1e-9) : 0;
    r.peakMemoryBytes = model.peakMemory();
    return r;
}

} // namespace wb

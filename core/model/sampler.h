#pragma once

// Choosing the next token from a row of logits, as transformers' generate() does:
// repetition penalty, then temperature, top-k and top-p, then a draw (or argmax when greedy).
// Plain floats, no torch; the random stream is the sampler's own (seeded), never a global one.

#include <cstdint>
#include <random>
#include <vector>

namespace wb {

struct SamplingOptions
{
    float temperature = 0;       // 0 (or less): greedy
    int topK = 0;                // 0: off
    float topP = 1;              // 1: off
    float repetitionPenalty = 1; // 1: off; > 1 discourages tokens already in the sequence
    uint64_t seed = 0;

    bool greedy() const { return temperature <= 0; }
};

class Sampler final
{
public:
    explicit Sampler(const SamplingOptions &options);

    // Picks a token from `logits` (vocab floats) given every token so far (prompt included, for
    // the repetition penalty). `logits` is modified in place (penalised, scaled, filtered).
    int32_t next(float *logits, int64_t vocab, const std::vector<int32_t> &history);
    int32_t next(std::vector<float> &logits, const std::vector<int32_t> &history)
    {
        return next(logits.data(), int64_t(logits.size()), history);
    }

    // The individual steps, each exactly as transformers' logits processors define it.
    static void applyRepetitionPenalty(float *logits, int64_t vocab,
                                       const std::vector<int32_t> &history, float penalty);
    static void applyTopK(float *logits, int64_t vocab, int k);
    static void applyTopP(float *logits, int64_t vocab, float p);
    static int32_t argmax(const float *logits, int64_t vocab);

    double uniform(); // [0, 1), 53 random bits: the same stream on every platform

private:
    SamplingOptions m_options;
    std::mt19937_64 m_rng;
};

} // namespace wb

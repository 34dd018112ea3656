#include "model/sampler.h"

#include "common/error.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>

namespace wb {

namespace {

constexpr float kMinusInf = -std::numeric_limits<float>::infinity();

} // namespace

Sampler::Sampler(const SamplingOptions &options) : m_options(options), m_rng(options.seed)
{
    if (!(options.repetitionPenalty > 0))
        throw Error(ErrorCode::Validation, "repetition penalty must be positive");
    if (options.topK < 0)
        throw Error(ErrorCode::Validation, "top-k must be 0 (off) or positive");
    if (!(options.topP > 0 && options.topP <= 1))
        throw Error(ErrorCode::Validation, "top-p must be in (0, 1]");
}

double Sampler::uniform()
{
    return double(m_rng() >> 11) * (1.0 / 9007199254740992.0);
}

// transformers' RepetitionPenaltyLogitsProcessor: a seen token's logit is divided by the
// penalty when positive and multiplied by it when negative (each token once, however often seen).
void Sampler::applyRepetitionPenalty(float *logits, int64_t vocab,
                                     const std::vector<int32_t> &history, float penalty)
{
    if (penalty == 1)
        return;
    std::vector<char> seen(size_t(vocab), 0);
    for (int32_t id : history) {
        if (id < 0 || id >= vocab || seen[size_t(id)])
            continue;
        seen[size_t(id)] = 1;
        float &x = logits[id];
        x = x < 0 ? x * penalty : x / penalty;
    }
}

// transformers' TopKLogitsWarper: everything below the k-th largest logit is removed (ties with
// the k-th stay).
void Sampler::applyTopK(float *logits, int64_t vocab, int k)
{
    if (k <= 0 || k >= vocab)
        return;
    std::vector<float> sorted(logits, logits + vocab);
    std::nth_element(sorted.begin(), sorted.begin() + (k - 1), sorted.end(), std::greater<float>());
    const float kth = sorted[size_t(k - 1)];
    for (int64_t i = 0; i < vocab; ++i) {
        if (logits[i] < kth)
            logits[i] = kMinusInf;
    }
}

// transformers' TopPLogitsWarper: keeps the most probable tokens while the probability mass
// before each is below p (so the smallest set reaching p), and always the top one.
void Sampler::applyTopP(float *logits, int64_t vocab, float p)
{
    if (p >= 1)
        return;
    std::vector<int32_t> order(static_cast<size_t>(vocab));
    std::iota(order.begin(), order.end(), 0);
    std::stable_sort(order.begin(), order.end(),
                     [&](int32_t a, int32_t b) { return logits[a] > logits[b]; });
    const float top = logits[order[0]];
    double total = 0;
    std::vector<double> probs(static_cast<size_t>(vocab));
    for (size_t i = 0; i < order.size(); ++i) {
        probs[i] = logits[order[i]] == kMinusInf ? 0.0 : std::exp(double(logits[order[i]] - top));
        total += probs[i];
    }
    double before = 0;
    size_t keep = 0;
    for (; keep < order.size(); ++keep) {
        if (keep > 0 && before >= p * total)
            break;
        before += probs[keep];
    }
    for (size_t i = keep; i < order.size(); ++i)
        logits[order[i]] = kMinusInf;
}

int32_t Sampler::argmax(const float *logits, int64_t vocab)
{
    int64_t best = 0;
    for (int64_t i = 1; i < vocab; ++i) {
        if (logits[i] > logits[best]) // the first of equal maxima, as torch.argmax
            best = i;
    }
    return int32_t(best);
}

int32_t Sampler::next(float *logits, int64_t vocab, const std::vector<int32_t> &history)
{
    if (vocab <= 0)
        throw Error(ErrorCode::Internal, "sampling from an empty vocabulary");
    applyRepetitionPenalty(logits, vocab, history, m_options.repetitionPenalty);
    if (m_options.greedy())
        return argmax(logits, vocab);
    for (int64_t i = 0; i < vocab; ++i)
        logits[i] /= m_options.temperature;
    applyTopK(logits, vocab, m_options.topK);
    applyTopP(logits, vocab, m_options.topP);

    const int32_t top = argmax(logits, vocab);
    const double maxLogit = logits[top];
    double total = 0;
    for (int64_t i = 0; i < vocab; ++i)
        total += logits[i] == kMinusInf ? 0.0 : std::exp(double(logits[i]) - maxLogit);
    const double target = uniform() * total;
    double acc = 0;
    int32_t last = top;
    for (int64_t i = 0; i < vocab; ++i) {
        if (logits[i] == kMinusInf)
            continue;
        acc += std::exp(double(logits[i]) - maxLogit);
        last = int32_t(i);
        if (acc > target)
            return int32_t(i);
    }
    return last; // rounding left target at the very end
}

} // namespace wb

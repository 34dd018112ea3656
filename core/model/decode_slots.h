#pragma once

// Continuous batching's engine half: a fixed set of rows in one KV cache, into which sequences
// come and go between decode steps. Each row holds one sequence at slots 0, 1, … of its own (a
// slot-indexed cache: a finished row is reused at once, no padding moves); a newcomer's prompt
// is prefilled in chunks in a cache of its own, then copied into its row; every step decodes one
// token for each decoding row and samples it on the device, so only the chosen ids (and the
// log-probabilities asked for) reach the host. On CUDA each step replays a captured graph (one
// per batch-size bucket). Torch-free header; one thread at a time, like CausalLM.

#include "model/causal_lm.h"

#include <cstdint>
#include <memory>
#include <optional>
#include <utility>
#include <vector>

namespace wb {

// How a row draws its tokens. Token t of a row draws from a stream keyed by (seed, t) alone,
// so a row's tokens never depend on its batch mates.
struct SlotSampling
{
    float temperature = 0;      // 0: greedy (the first of equal maxima, as torch.argmax)
    float topP = 1;             // 1: off
    int topK = 0;               // 0: off
    float presencePenalty = 0;  // subtracted once from each token generated so far (OpenAI's)
    float frequencyPenalty = 0; // subtracted per occurrence among the generated tokens
    uint64_t seed = 0;
    int logprobs = -1;          // -1: none; 0: the chosen token's; n > 0: and the top n
};

struct SlotToken
{
    int row = 0;
    int32_t id = 0;
    float logprob = 0; // log-softmax of the raw logits (before penalties and temperature)
    std::vector<std::pair<int32_t, float>> top;
};

class DecodeSlots final
{
public:
    // `rows` sequences at most; the cache grows by `room` slots at a time.
    DecodeSlots(CausalLM &model, int rows, int64_t room = 256);
    ~DecodeSlots();
    DecodeSlots(const DecodeSlots &) = delete;
    DecodeSlots &operator=(const DecodeSlots &) = delete;

    int rows() const;
    int freeRow() const; // the lowest free row (small batch buckets stay small), -1 when full
    int busyRows() const;
    bool decoding(int row) const;
    int64_t length(int row) const; // the row's tokens (prompt, then generated)
    size_t prefillLeft(int row) const; // prompt tokens not yet prefilled

    // Starts a sequence in a free row: prefill() feeds its prompt.
    void begin(int row, std::vector<int32_t> prompt, const SlotSampling &sampling);
    // Prefills up to `maxTokens` more of the row's prompt. When the prompt is complete, draws
    // the row's first token and returns it; the row decodes from then on.
    std::optional<SlotToken> prefill(int row, int maxTokens);
    // Prefills the whole prompts of rows begun and not yet prefilled, several per forward (left-
    // padded, at most `maxTokens` padded tokens each), and draws their first tokens.
    std::vector<SlotToken> prefillTogether(const std::vector<int> &rows, int64_t maxTokens = 8192);
    // One token for every decoding row: its last drawn token goes in, the next comes out.
    std::vector<SlotToken> step();
    // Frees a row (finished or cancelled); it may begin again before the next step.
    void release(int row);
    // Bytes of KV cache this batch holds on the device.
    uint64_t cacheBytes() const;

    struct Impl;

private:
    std::unique_ptr<Impl> m_impl;
};

} // namespace wb

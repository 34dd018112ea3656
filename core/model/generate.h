#pragma once

// Text generation over CausalLM's sessions: one prompt, or a batch of prompts of different
// lengths decoded in lockstep (left-padded; greedy batched output equals one-by-one output).

#include "model/causal_lm.h"
#include "model/sampler.h"

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

namespace wb {

struct GenerateOptions
{
    SamplingOptions sampling;
    int maxNewTokens = 256;
    // Stop after generating any of these. Empty: the model's eos_token_id list (config.json).
    std::vector<int32_t> eosIds;
    bool ignoreEos = false;
    // Stop when the decoded text of the generated tokens contains one of these; the text is
    // cut before it. Needs `decode`.
    std::vector<std::string> stopStrings;
    std::function<std::string(const std::vector<int32_t> &)> decode;
    // Stop (ContextFull) when prompt + generated reach this many tokens. 0: the model's
    // max_position_embeddings, or no limit when its RoPE scaling is dynamic (made to go past it).
    int64_t maxContext = 0;
    // generateBatch: row i's own seed (overrides sampling.seed + i), so that a row draws the
    // same tokens whichever rows share its batch.
    std::vector<uint64_t> rowSeeds;
};

enum class StopReason { Eos, StopString, MaxTokens, Cancelled, ContextFull };
const char *stopReasonName(StopReason reason); // "eos", "stop_string", ...

struct GenerateResult
{
    std::vector<int32_t> tokens; // generated tokens (the EOS token included when it stopped there)
    std::string text;            // decode(tokens), cut at a stop string; empty without decode
    StopReason reason = StopReason::MaxTokens;
    int promptTokens = 0;
    double prefillSeconds = 0; // prompt forward pass (time to first token, less sampling)
    double decodeSeconds = 0;  // the remaining steps
};

// Called after each generated token; return false to cancel (checked between steps).
using TokenCallback = std::function<bool(int32_t token)>;
// Batched: the row the token belongs to.
using BatchTokenCallback = std::function<bool(int row, int32_t token)>;

GenerateResult generate(CausalLM &model, const std::vector<int32_t> &prompt,
                        const GenerateOptions &options, const TokenCallback &onToken = {});

// Row i samples with seed options.sampling.seed + i. Rows that stop early keep their result;
// the batch runs until every row stopped. Cancelling stops every row (reason Cancelled).
std::vector<GenerateResult> generateBatch(CausalLM &model,
                                          const std::vector<std::vector<int32_t>> &prompts,
                                          const GenerateOptions &options,
                                          const BatchTokenCallback &onToken = {});

} // namespace wb

#pragma once

// Throughput of the local engine for `llmwb bench generate`: greedy decoding of random prompts.

#include "model/causal_lm.h"

#include <cstdint>
#include <string>

namespace wb {

struct BenchResult
{
    int batch = 0;
    int promptLen = 0;
    int newTokens = 0;
    double prefillSeconds = 0;
    double decodeSeconds = 0;
    double prefillTokensPerSecond = 0;  // batch × promptLen / prefill time
    double decodeTokensPerSecond = 0;   // batch × (newTokens - 1) / decode time
    double timeToFirstTokenSeconds = 0; // prefill + choosing the first token
    uint64_t peakMemoryBytes = 0;       // device memory for cuda, peak RSS for cpu
    std::string device;

    std::string summary() const; // one line for the CLI
};

// Greedy-decodes `newTokens` tokens after `batch` random prompts of `promptLen` tokens (fixed
// seed; EOS ignored). Throws wb::Error for nonsensical sizes.
BenchResult benchGenerate(CausalLM &model, int batch, int promptLen, int newTokens);

} // namespace wb

#pragma once

// `llmwb bench serve`: the server over loopback, driven by C streaming clients at once (C from a
// list), each asking for N greedy tokens of a P-token prompt with ignore_eos. Reports aggregate
// tokens/s, time to first token and inter-token latency (p50/p95), and beside each row the
// anchor: the engine's offline batched generate (generateBatch) at batch C on the same model in
// the same run. Torch-free header.

#include "model/causal_lm.h"

#include <filesystem>
#include <functional>
#include <string>
#include <vector>

namespace wb::serve {

struct ServeBenchOptions
{
    std::filesystem::path modelDir;
    LoadOptions load;
    std::vector<int> clients = {1, 4, 16};
    int newTokens = 64;
    int promptTokens = 64;
    int maxBatch = 16;
};

struct ServeBenchRow
{
    int clients = 0;
    int tokens = 0; // streamed tokens received (usage.completion_tokens summed)
    double seconds = 0;
    double tokensPerSecond = 0;
    double ttftP50 = 0, ttftP95 = 0; // seconds
    double itlP50 = 0, itlP95 = 0;   // seconds between two streamed tokens of one client
    double anchorTokensPerSecond = 0; // generateBatch at batch `clients`, no server
};

std::vector<ServeBenchRow> benchServe(const ServeBenchOptions &options,
                                      const std::function<void(const std::string &)> &progress = {});
std::string formatServeBench(const std::vector<ServeBenchRow> &rows);

} // namespace wb::serve

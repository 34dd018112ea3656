#pragma once

// `llmwb bench compare`: the Compare runner's questions/s, batched against one question at a
// time, and its overhead against raw batched generation of the same prompts (one model load
// each, nothing cached). Torch-free header.

#include "eval/compare.h"

#include <string>

namespace wb {

struct CompareBenchOptions
{
    std::string model = "demo-model"; // workspace model, or folder
    std::string dataset = "demo-eval";
    std::string templ = "logic-direct";
    size_t limit = 20;                // problems
    int newTokens = 16;
    int batch = 8;
    std::string device = "cpu";
    DType dtype = DType::F32;
    int rounds = 3; // each kind is timed this often (interleaved); the fastest counts
};

struct CompareBenchReport
{
    size_t questions = 0;
    double batchedSeconds = 0, singleSeconds = 0, rawSeconds = 0;
    double batchedQps() const { return batchedSeconds > 0 ? double(questions) / batchedSeconds : 0; }
    double singleQps() const { return singleSeconds > 0 ? double(questions) / singleSeconds : 0; }
    double rawQps() const { return rawSeconds > 0 ? double(questions) / rawSeconds : 0; }
    double speedup() const { return singleSeconds > 0 && batchedSeconds > 0 ? singleSeconds / batchedSeconds : 0; }
    double overhead() const { return rawSeconds > 0 ? batchedSeconds / rawSeconds - 1 : 0; }
    bool sameAnswers = false; // the runner's greedy answers equal the raw generation's
    std::string describe() const;
};

CompareBenchReport benchCompare(Workspace &ws, const CompareBenchOptions &options);

} // namespace wb

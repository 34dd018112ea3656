#pragma once

// `llmwb bench train`: training throughput and peak memory of the real trainer (the same loop
// as a run) on random token sequences of a fixed length. Torch-free interface.

#include "train/train_config.h"

#include <cstdint>
#include <string>

namespace wb {

struct TrainBenchOptions
{
    std::string modelDir;
    std::string device = "cpu";
    DType dtype = DType::F32;
    int batch = 1;
    int seqLen = 256;
    int steps = 5;       // timed steps
    int warmupSteps = 1; // untimed
    std::string method = "lora";
    int loraRank = 16;
    std::string targets = "all-linear";
    double responseShare = 0.25; // the last quarter of each sequence is the loss target (SFT)
    bool gradientCheckpointing = false;
    int threads = 0;
    uint64_t seed = 0;
};

struct TrainBenchResult
{
    double tokensPerSecond = 0; // sequence tokens (prompt + response) per second
    double secondsPerStep = 0;
    uint64_t peakMemoryBytes = 0; // CUDA: the caching allocator's peak reservation; CPU: VmHWM
    uint64_t trainableParameters = 0;
    std::string device;
    std::string summary() const;
};

TrainBenchResult benchTrain(const TrainBenchOptions &options);

} // namespace wb

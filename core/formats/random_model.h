#pragma once

// A random-initialised Llama-family Hugging Face folder (config.json + model.safetensors):
// the starting point of a model trained from scratch, and the model benchmarks run on.

#include <cstdint>
#include <filesystem>
#include <string>

namespace wb {

struct RandomModelSpec
{
    std::string architecture = "llama"; // "llama" | "qwen2"
    int64_t hidden = 768, layers = 12, heads = 12, kvHeads = 4, intermediate = 2048;
    int64_t vocab = 32000;
    int64_t maxPositions = 2048;
    double ropeTheta = 10000.0;
    bool tied = true;
    double initStd = 0.02; // normal(0, std) for every matrix; norms are ones, biases zeros
    uint64_t seed = 0;
    int64_t bosId = 1, eosId = 2;
};

// Writes config.json and model.safetensors (F32) into `dir` (created). Returns the parameter
// count. Throws Error(Validation) for inconsistent dimensions.
uint64_t writeRandomModel(const std::filesystem::path &dir, const RandomModelSpec &spec);

} // namespace wb

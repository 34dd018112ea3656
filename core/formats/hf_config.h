#pragma once

#include "formats/dtype.h"

#include <nlohmann/json.hpp>

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace wb {

class Checkpoint;

enum class RopeType { Default, Linear, Dynamic, Llama3 };
const char *ropeTypeName(RopeType type); // "default", "linear", "dynamic", "llama3"

struct RopeConfig
{
    RopeType type = RopeType::Default;
    double theta = 10000;
    double factor = 1;         // linear, dynamic, llama3
    double lowFreqFactor = 1;  // llama3
    double highFreqFactor = 4; // llama3
    int64_t originalMaxPositions =
        0; // llama3 (from the config), dynamic (defaults to maxPositions)
};

// A Llama-family config.json, validated and normalised across the two config generations
// (older top-level rope_theta / rope_scaling / torch_dtype; transformers v5 rope_parameters /
// dtype). Every derived default is filled in, so the engine never looks at `raw`.
struct ModelConfig
{
    std::string architecture; // "LlamaForCausalLM" | "Qwen2ForCausalLM" | "MistralForCausalLM"
    std::string modelType;    // "llama", "qwen2", "mistral"
    int64_t vocabSize = 0;
    int64_t hiddenSize = 0;
    int64_t intermediateSize = 0;
    int64_t numLayers = 0;
    int64_t numHeads = 0;
    int64_t numKvHeads = 0; // defaults to numHeads; numHeads is a multiple of it
    int64_t headDim = 0;    // defaults to hiddenSize / numHeads; may differ when explicit
    int64_t maxPositions = 0;
    double rmsNormEps = 1e-6;
    RopeConfig rope;
    bool tieWordEmbeddings = false;
    bool attentionBias = false; // q, k, v biases (Qwen2: always true)
    bool oProjBias = false;     // Llama's attention_bias also covers o_proj; Qwen2's does not
    bool mlpBias = false;       // gate, up, down (Llama's mlp_bias)
    std::optional<int64_t> bosTokenId;
    std::vector<int64_t> eosTokenIds;
    std::optional<int64_t> padTokenId;
    std::optional<DType> torchDtype;      // "torch_dtype" (old) or "dtype" (transformers v5)
    std::optional<int64_t> slidingWindow; // Mistral v0.1; Qwen2 only with use_sliding_window
    nlohmann::json raw;
};

// Throws Error(Unsupported) for an architecture, rope type or activation we do not implement
// (naming it and what is supported), Error(Validation) naming the field for a missing or
// ill-typed value. `label` prefixes messages (the file name).
ModelConfig parseModelConfig(const nlohmann::json &config,
                             const std::string &label = "config.json");
// Reads <dir>/config.json (duplicate keys are an error, as for every JSON we load).
ModelConfig loadModelConfig(const std::filesystem::path &dir);

// Every tensor a checkpoint of this config must hold, with its shape, in model order:
// embeddings, then per layer norms / attention / MLP, final norm, lm_head (absent when tied).
std::vector<std::pair<std::string, std::vector<int64_t>>>
expectedTensors(const ModelConfig &config);

// Checks a checkpoint against the config. Throws Error(Validation) for missing tensors
// (lists them) or a wrong shape ("model.layers.3.self_attn.k_proj.weight has shape [128, 64],
// config says [256, 64] (num_key_value_heads=4 × head_dim=64)"), Error(Unsupported) for a
// weight that is not F16/BF16/F32/F64. Returns warnings, one per extra tensor the model ignores.
std::vector<std::string> checkCheckpoint(const ModelConfig &config, const Checkpoint &checkpoint);

uint64_t parameterCount(const ModelConfig &config);

// A planning estimate in bytes, not a measurement:
//  weights          parameterCount × dtype size; with int8Weights the layer projections take
//                   1 byte per weight plus one F32 scale per output row, the rest stays in
//                   computeDtype.
//  kvCachePerToken  K and V of every layer for one token of one sequence.
//  activations      the peak of one forward pass over batch × contextTokens: the residual
//                   stream and one layer's intermediates in computeDtype, plus F32 logits for
//                   every position (scoring needs them). Assumes fused attention (no
//                   context × context score matrix).
//  total            weights + kvCachePerToken × contextTokens × batch + activations.
struct MemoryEstimate
{
    uint64_t weights = 0;
    uint64_t kvCachePerToken = 0;
    uint64_t activations = 0;
    uint64_t total = 0;
};
MemoryEstimate estimateMemory(const ModelConfig &config, DType computeDtype, int64_t contextTokens,
                              int64_t batch = 1, bool int8Weights = false);

// MemAvailable from /proc/meminfo in bytes (what can be allocated without swapping); falls
// back to free physical pages where /proc is absent; 0 when unknown.
uint64_t availableSystemMemory();

} // namespace wb

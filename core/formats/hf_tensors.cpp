// The tensor table a config implies, the check of a checkpoint against it, and the size
// arithmetic built on it (parameter count, memory estimate).

#include "formats/checkpoint.h"
#include "formats/hf_config.h"

#include "common/error.h"
#include "formats/strict_json.h"

#include <fstream>
#include <limits>
#include <map>
#include <sstream>

#include <unistd.h>

namespace wb {

namespace {

// One expected tensor, with what each dimension is made of, for messages a user can act on.
struct Expected
{
    std::string name;
    std::vector<int64_t> shape;
    std::vector<std::string> why; // per dimension, e.g. "num_key_value_heads=4 × head_dim=64"
    bool layerLinear = false;     // a per-layer projection weight (what int8 quantizes)
};

std::string field(const char *name, int64_t value)
{
    return std::string(name) + "=" + std::to_string(value);
}

std::vector<Expected> expected(const ModelConfig &c)
{
    const std::string hidden = field("hidden_size", c.hiddenSize);
    const std::string inter = field("intermediate_size", c.intermediateSize);
    const std::string vocab = field("vocab_size", c.vocabSize);
    const std::string headDim = field("head_dim", c.headDim);
    const std::string qDim = field("num_attention_heads", c.numHeads) + " × " + headDim;
    const std::string kvDim = field("num_key_value_heads", c.numKvHeads) + " × " + headDim;
    const int64_t q = c.numHeads * c.headDim;
    const int64_t kv = c.numKvHeads * c.headDim;

    std::vector<Expected> out;
    out.push_back({"model.embed_tokens.weight", {c.vocabSize, c.hiddenSize}, {vocab, hidden}});
    for (int64_t i = 0; i < c.numLayers; ++i) {
        const std::string p = "model.layers." + std::to_string(i) + ".";
        auto linear = [&](const std::string &name, int64_t outDim, const std::string &outWhy,
                          int64_t inDim, const std::string &inWhy, bool bias) {
            out.push_back({p + name + ".weight", {outDim, inDim}, {outWhy, inWhy}, true});
            if (bias)
                out.push_back({p + name + ".bias", {outDim}, {outWhy}});
        };
        out.push_back({p + "input_layernorm.weight", {c.hiddenSize}, {hidden}});
        linear("self_attn.q_proj", q, qDim, c.hiddenSize, hidden, c.attentionBias);
        linear("self_attn.k_proj", kv, kvDim, c.hiddenSize, hidden, c.attentionBias);
        linear("self_attn.v_proj", kv, kvDim, c.hiddenSize, hidden, c.attentionBias);
        linear("self_attn.o_proj", c.hiddenSize, hidden, q, qDim, c.oProjBias);
        out.push_back({p + "post_attention_layernorm.weight", {c.hiddenSize}, {hidden}});
        linear("mlp.gate_proj", c.intermediateSize, inter, c.hiddenSize, hidden, c.mlpBias);
        linear("mlp.up_proj", c.intermediateSize, inter, c.hiddenSize, hidden, c.mlpBias);
        linear("mlp.down_proj", c.hiddenSize, hidden, c.intermediateSize, inter, c.mlpBias);
    }
    out.push_back({"model.norm.weight", {c.hiddenSize}, {hidden}});
    if (!c.tieWordEmbeddings)
        out.push_back({"lm_head.weight", {c.vocabSize, c.hiddenSize}, {vocab, hidden}});
    return out;
}

uint64_t numel(const std::vector<int64_t> &shape)
{
    uint64_t n = 1;
    for (int64_t d : shape)
        n *= static_cast<uint64_t>(d);
    return n;
}

// Saturating arithmetic: an absurd context length must give a huge estimate, not a wrapped one.
uint64_t satMul(uint64_t a, uint64_t b)
{
    if (a != 0 && b > std::numeric_limits<uint64_t>::max() / a)
        return std::numeric_limits<uint64_t>::max();
    return a * b;
}

uint64_t satAdd(uint64_t a, uint64_t b)
{
    return b > std::numeric_limits<uint64_t>::max() - a ? std::numeric_limits<uint64_t>::max()
                                                        : a + b;
}

} // namespace

std::vector<std::pair<std::string, std::vector<int64_t>>> expectedTensors(const ModelConfig &config)
{
    std::vector<std::pair<std::string, std::vector<int64_t>>> out;
    for (auto &e : expected(config))
        out.emplace_back(std::move(e.name), std::move(e.shape));
    return out;
}

std::vector<std::string> checkCheckpoint(const ModelConfig &config, const Checkpoint &checkpoint)
{
    const std::string label = checkpoint.dir().string();
    const std::vector<Expected> want = expected(config);

    std::vector<std::string> missing;
    for (const Expected &e : want) {
        if (!checkpoint.contains(e.name))
            missing.push_back(e.name);
    }
    if (!missing.empty()) {
        std::string list;
        for (size_t i = 0; i < missing.size() && i < 5; ++i)
            list += (i ? ", " : "") + missing[i];
        if (missing.size() > 5)
            list += " and " + std::to_string(missing.size() - 5) + " more";
        throw Error(ErrorCode::Validation,
                    "checkpoint lacks " + std::to_string(missing.size()) + " tensor" +
                        (missing.size() == 1 ? "" : "s") + " the config requires: " + list,
                    label);
    }

    for (const Expected &e : want) {
        const TensorView &t = checkpoint.tensor(e.name);
        if (t.shape != e.shape) {
            // Explain the dimensions that differ (all of them when the rank differs).
            std::string why;
            for (size_t d = 0; d < e.shape.size(); ++d) {
                if (t.shape.size() == e.shape.size() && t.shape[d] == e.shape[d])
                    continue;
                why += (why.empty() ? "" : "; ") + e.why[d];
            }
            throw Error(ErrorCode::Validation,
                        e.name + " has shape " + formats::shapeString(t.shape) + ", config says " +
                            formats::shapeString(e.shape) + " (" + why + ")",
                        label);
        }
        if (t.dtype != DType::F16 && t.dtype != DType::BF16 && t.dtype != DType::F32 &&
            t.dtype != DType::F64)
            throw Error(ErrorCode::Unsupported,
                        e.name + " is " + dtypeName(t.dtype) +
                            "; only F16, BF16, F32 and F64 weights can be loaded (quantized "
                            "checkpoints are not supported)",
                        label);
    }

    std::map<std::string, bool> known;
    for (const Expected &e : want)
        known[e.name] = true;
    std::vector<std::string> warnings;
    for (const std::string &name : checkpoint.names()) {
        if (known.count(name))
            continue;
        const TensorView &t = checkpoint.tensor(name);
        std::string w = "extra tensor " + name + " " + formats::shapeString(t.shape) +
                        " is not used by " + config.architecture;
        if (name == "lm_head.weight" && config.tieWordEmbeddings)
            w += " (tie_word_embeddings is true: the embedding matrix serves as lm_head)";
        warnings.push_back(std::move(w));
    }
    return warnings;
}

uint64_t parameterCount(const ModelConfig &config)
{
    uint64_t total = 0;
    for (const Expected &e : expected(config))
        total += numel(e.shape);
    return total;
}

MemoryEstimate estimateMemory(const ModelConfig &c, DType computeDtype, int64_t contextTokens,
                              int64_t batch, bool int8Weights)
{
    if (contextTokens < 0 || batch < 1)
        throw Error(ErrorCode::Validation,
                    "memory estimate needs contextTokens >= 0 and batch >= 1");
    const uint64_t size = dtypeSize(computeDtype);
    MemoryEstimate m;
    for (const Expected &e : expected(c)) {
        const uint64_t n = numel(e.shape);
        if (int8Weights && e.layerLinear)
            m.weights += n + static_cast<uint64_t>(e.shape[0]) * 4; // int8 + F32 row scales
        else
            m.weights += n * size;
    }
    const auto u = [](int64_t v) { return static_cast<uint64_t>(v); };
    m.kvCachePerToken = 2 * u(c.numLayers) * u(c.numKvHeads) * u(c.headDim) * size;

    const uint64_t tokens = satMul(u(contextTokens), u(batch));
    const uint64_t perToken = (2 * u(c.hiddenSize) + 2 * u(c.numHeads) * u(c.headDim) +
                               2 * u(c.numKvHeads) * u(c.headDim) + 3 * u(c.intermediateSize)) *
                                  size +
                              u(c.vocabSize) * 4;
    m.activations = satMul(tokens, perToken);
    m.total = satAdd(satAdd(m.weights, satMul(m.kvCachePerToken, tokens)), m.activations);
    return m;
}

uint64_t availableSystemMemory()
{
    std::ifstream in("/proc/meminfo");
    std::string line;
    while (std::getline(in, line)) {
        if (line.rfind("MemAvailable:", 0) != 0)
            continue;
        std::istringstream fields(line.substr(13));
        uint64_t kib = 0;
        std::string unit;
        if (fields >> kib)
            return kib * 1024; // the kernel always reports kB here
    }
    const long pages = ::sysconf(_SC_AVPHYS_PAGES);
    const long pageSize = ::sysconf(_SC_PAGESIZE);
    return pages > 0 && pageSize > 0
               ? static_cast<uint64_t>(pages) * static_cast<uint64_t>(pageSize)
               : 0;
}

} // namespace wb

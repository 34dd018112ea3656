#include "formats/hf_config.h"

#include "common/error.h"
#include "common/files.h"
#include "formats/strict_json.h"

#include <array>
#include <cmath>

namespace wb {

namespace {

using nlohmann::json;

struct Architecture
{
    const char *name;
    const char *modelType;
    int64_t defaultMaxPositions; // transformers' config-class default
};

constexpr std::array<Architecture, 3> kArchitectures{{
    {"LlamaForCausalLM", "llama", 2048},
    {"Qwen2ForCausalLM", "qwen2", 32768},
    {"MistralForCausalLM", "mistral", 4096 * 32},
}};

// Bounds that keep every product in parameterCount / estimateMemory far from 64-bit overflow
// while leaving room above the largest real models (Llama-3 405B: hidden 16384, 126 layers).
constexpr int64_t kMaxDim = int64_t(1) << 20;
constexpr int64_t kMaxVocab = int64_t(1) << 24;
constexpr int64_t kMaxLayers = 4096;

std::string supportedList()
{
    std::string s;
    for (const auto &a : kArchitectures)
        s += (s.empty() ? "" : ", ") + std::string(a.name);
    return s;
}

class Reader final
{
public:
    Reader(const json &root, const std::string &label) : m_root(root), m_label(label) {}

    [[noreturn]] void invalid(const std::string &field, const std::string &problem) const
    {
        throw Error(ErrorCode::Validation, "field '" + field + "' " + problem, m_label);
    }
    [[noreturn]] void unsupported(const std::string &message) const
    {
        throw Error(ErrorCode::Unsupported, message, m_label);
    }

    // Absent and null both mean "use the default", as in transformers.
    static const json *find(const json &obj, const std::string &key)
    {
        auto it = obj.find(key);
        return it == obj.end() || it->is_null() ? nullptr : &*it;
    }
    const json *find(const std::string &key) const { return find(m_root, key); }

    static std::optional<int64_t> asInt(const json &v)
    {
        if (v.is_number_unsigned()) {
            if (v.get<uint64_t>() > uint64_t(INT64_MAX))
                return std::nullopt;
            return static_cast<int64_t>(v.get<uint64_t>());
        }
        if (v.is_number_integer())
            return v.get<int64_t>();
        return std::nullopt;
    }

    int64_t integer(const json &obj, const std::string &key, const std::string &field,
                    std::optional<int64_t> fallback, int64_t min, int64_t max) const
    {
        const json *v = find(obj, key);
        if (!v) {
            if (!fallback)
                invalid(field, "is missing");
            return *fallback;
        }
        const auto i = asInt(*v);
        if (!i)
            invalid(field, "is " + v->dump() + ", not an integer");
        if (*i < min || *i > max)
            invalid(field, "is " + std::to_string(*i) + ", outside " + std::to_string(min) + ".." +
                               std::to_string(max));
        return *i;
    }
    int64_t integer(const std::string &key, std::optional<int64_t> fallback, int64_t min = 1,
                    int64_t max = kMaxDim) const
    {
        return integer(m_root, key, key, fallback, min, max);
    }

    double number(const json &obj, const std::string &key, const std::string &field,
                  std::optional<double> fallback) const
    {
        const json *v = find(obj, key);
        if (!v) {
            if (!fallback)
                invalid(field, "is missing");
            return *fallback;
        }
        if (!v->is_number() || !std::isfinite(v->get<double>()))
            invalid(field, "is " + v->dump() + ", not a number");
        return v->get<double>();
    }

    bool boolean(const std::string &key, bool fallback) const
    {
        const json *v = find(key);
        if (!v)
            return fallback;
        if (!v->is_boolean())
            invalid(key, "is " + v->dump() + ", not true or false");
        return v->get<bool>();
    }

    // Early Llama conversions wrote -1 for "no such token": read it as absent, not an error.
    std::optional<int64_t> tokenId(const std::string &key) const
    {
        const json *v = find(key);
        if (!v)
            return std::nullopt;
        const auto i = asInt(*v);
        if (!i)
            invalid(key, "is " + v->dump() + ", not a token id");
        return *i < 0 ? std::nullopt : i;
    }

    std::vector<int64_t> tokenIds(const std::string &key) const
    {
        const json *v = find(key);
        if (!v)
            return {};
        if (!v->is_array()) {
            const auto id = tokenId(key);
            return id ? std::vector<int64_t>{*id} : std::vector<int64_t>{};
        }
        std::vector<int64_t> ids;
        for (const auto &e : *v) {
            const auto i = asInt(e);
            if (!i || *i < 0)
                invalid(key, "holds " + e.dump() + ", not a token id");
            ids.push_back(*i);
        }
        return ids;
    }

    const json &root() const { return m_root; }
    const std::string &label() const { return m_label; }

private:
    const json &m_root;
    const std::string &m_label;
};

const Architecture &architectureOf(const Reader &r)
{
    if (const json *archs = r.find("architectures")) {
        if (!archs->is_array() || archs->empty() || !(*archs)[0].is_string())
            r.invalid("architectures", "is " + archs->dump() + ", not a list of class names");
        const std::string name = (*archs)[0].get<std::string>();
        for (const auto &a : kArchitectures) {
            if (name == a.name)
                return a;
        }
        r.unsupported("architecture '" + name +
                      "' is not supported; supported: " + supportedList());
    }
    // Some hand-made configs omit architectures; model_type then decides, as in AutoConfig.
    const json *type = r.find("model_type");
    if (!type)
        r.invalid("architectures", "is missing (and so is model_type)");
    if (!type->is_string())
        r.invalid("model_type", "is " + type->dump() + ", not a string");
    for (const auto &a : kArchitectures) {
        if (type->get<std::string>() == a.modelType)
            return a;
    }
    r.unsupported("model_type '" + type->get<std::string>() +
                  "' is not supported; supported: " + supportedList());
}

std::optional<DType> torchDtypeOf(const Reader &r)
{
    // transformers v5 writes "dtype"; older files "torch_dtype". Prefer the newer spelling.
    std::string key = r.find("dtype") ? "dtype" : "torch_dtype";
    const json *v = r.find(key);
    if (!v)
        return std::nullopt;
    if (!v->is_string())
        r.invalid(key, "is " + v->dump() + ", not a dtype name");
    std::string name = v->get<std::string>();
    if (name.rfind("torch.", 0) == 0)
        name = name.substr(6);
    if (name == "float32" || name == "float")
        return DType::F32;
    if (name == "float16" || name == "half")
        return DType::F16;
    if (name == "bfloat16")
        return DType::BF16;
    if (name == "float64" || name == "double")
        return DType::F64;
    r.invalid(key, "is '" + name + "', not one of float32, float16, bfloat16, float64");
}

RopeConfig ropeOf(const Reader &r, int64_t maxPositions)
{
    RopeConfig rope;
    // v5: rope_parameters holds type, theta and scaling fields. Older: top-level rope_theta and
    // an optional rope_scaling object. A file may carry both (written by v5, read by v4).
    const json *params = r.find("rope_parameters");
    std::string where = "rope_parameters";
    if (params && !params->is_object())
        r.invalid(where, "is " + params->dump() + ", not an object");
    if (!params) {
        params = r.find("rope_scaling");
        where = "rope_scaling";
        if (params && !params->is_object())
            r.invalid(where, "is " + params->dump() + ", not an object or null");
    }

    const double topTheta = r.number(r.root(), "rope_theta", "rope_theta", 10000.0);
    rope.theta =
        params ? r.number(*params, "rope_theta", where + ".rope_theta", topTheta) : topTheta;
    if (!(rope.theta > 0))
        r.invalid(params ? where + ".rope_theta" : "rope_theta", "must be positive");
    if (!params)
        return rope;

    // "rope_type" is the current key, "type" the legacy one; rope_type wins when both exist.
    std::string typeName = "default";
    for (const char *key : {"type", "rope_type"}) {
        if (const json *t = Reader::find(*params, key)) {
            if (!t->is_string())
                r.invalid(where + "." + key, "is " + t->dump() + ", not a string");
            typeName = t->get<std::string>();
        }
    }
    if (typeName == "default")
        return rope;
    if (typeName == "linear")
        rope.type = RopeType::Linear;
    else if (typeName == "dynamic")
        rope.type = RopeType::Dynamic;
    else if (typeName == "llama3")
        rope.type = RopeType::Llama3;
    else
        r.unsupported("rope type '" + typeName + "' (" + where +
                      ") is not supported; supported: default, linear, dynamic, llama3");

    rope.factor = r.number(*params, "factor", where + ".factor", std::nullopt);
    if (!(rope.factor >= 1))
        r.invalid(where + ".factor", "is " + std::to_string(rope.factor) + ", must be >= 1");
    if (rope.type == RopeType::Dynamic) {
        rope.originalMaxPositions =
            r.integer(*params, "original_max_position_embeddings",
                      where + ".original_max_position_embeddings", maxPositions, 1, INT64_MAX);
    } else if (rope.type == RopeType::Llama3) {
        rope.lowFreqFactor =
            r.number(*params, "low_freq_factor", where + ".low_freq_factor", std::nullopt);
        rope.highFreqFactor =
            r.number(*params, "high_freq_factor", where + ".high_freq_factor", std::nullopt);
        rope.originalMaxPositions =
            r.integer(*params, "original_max_position_embeddings",
                      where + ".original_max_position_embeddings", std::nullopt, 1, INT64_MAX);
        // The llama3 formula divides by (high - low).
        if (!(rope.lowFreqFactor > 0) || !(rope.highFreqFactor > rope.lowFreqFactor))
            r.invalid(where + ".high_freq_factor",
                      "must be greater than low_freq_factor, and both positive");
    }
    return rope;
}

} // namespace

const char *ropeTypeName(RopeType type)
{
    switch (type) {
    case RopeType::Default:
        return "default";
    case RopeType::Linear:
        return "linear";
    case RopeType::Dynamic:
        return "dynamic";
    case RopeType::Llama3:
        return "llama3";
    }
    return "default";
}

ModelConfig parseModelConfig(const nlohmann::json &config, const std::string &label)
{
    if (!config.is_object())
        throw Error(ErrorCode::Parse, "config is not a JSON object", label);
    const Reader r(config, label);
    ModelConfig c;
    const Architecture &arch = architectureOf(r);
    c.architecture = arch.name;
    c.modelType = arch.modelType;
    if (const json *t = r.find("model_type"); t && t->is_string())
        c.modelType = t->get<std::string>();

    if (const json *act = r.find("hidden_act")) {
        if (!act->is_string() || act->get<std::string>() != "silu")
            r.unsupported("hidden_act " + act->dump() + " is not supported; supported: \"silu\"");
    }

    c.vocabSize = r.integer("vocab_size", std::nullopt, 1, kMaxVocab);
    c.hiddenSize = r.integer("hidden_size", std::nullopt);
    c.intermediateSize = r.integer("intermediate_size", std::nullopt);
    c.numLayers = r.integer("num_hidden_layers", std::nullopt, 1, kMaxLayers);
    c.numHeads = r.integer("num_attention_heads", std::nullopt, 1, kMaxDim);
    c.numKvHeads = r.integer("num_key_value_heads", c.numHeads, 1, kMaxDim);
    if (c.numHeads % c.numKvHeads != 0)
        r.invalid("num_key_value_heads", "is " + std::to_string(c.numKvHeads) +
                                             ", which does not divide " +
                                             "num_attention_heads=" + std::to_string(c.numHeads));
    if (!r.find("head_dim") && c.hiddenSize % c.numHeads != 0)
        r.invalid("num_attention_heads",
                  "is " + std::to_string(c.numHeads) + ", which does not divide hidden_size=" +
                      std::to_string(c.hiddenSize) + " (and head_dim is not given)");
    c.headDim = r.integer("head_dim", c.hiddenSize / c.numHeads);
    if (c.numHeads * c.headDim > kMaxDim)
        r.invalid("head_dim", "is " + std::to_string(c.headDim) +
                                  ": num_attention_heads × head_dim = " +
                                  std::to_string(c.numHeads * c.headDim) + " exceeds " +
                                  std::to_string(kMaxDim));
    if (c.headDim % 2 != 0) // rotate-half RoPE pairs element i with i + head_dim/2
        r.invalid("head_dim", "is " + std::to_string(c.headDim) + ", must be even");
    c.maxPositions = r.integer("max_position_embeddings", arch.defaultMaxPositions, 1, INT64_MAX);
    c.rmsNormEps = r.number(config, "rms_norm_eps", "rms_norm_eps", 1e-6);
    if (!(c.rmsNormEps > 0))
        r.invalid("rms_norm_eps", "must be positive");
    c.rope = ropeOf(r, c.maxPositions);

    c.tieWordEmbeddings = r.boolean("tie_word_embeddings", false);
    const std::string archName = arch.name;
    if (archName == "Qwen2ForCausalLM") {
        c.attentionBias = true; // hard-coded in modeling_qwen2.py, whatever the config says
    } else if (archName == "LlamaForCausalLM") {
        c.attentionBias = c.oProjBias = r.boolean("attention_bias", false);
        c.mlpBias = r.boolean("mlp_bias", false);
    }

    c.bosTokenId = r.tokenId("bos_token_id");
    c.eosTokenIds = r.tokenIds("eos_token_id");
    c.padTokenId = r.tokenId("pad_token_id");
    c.torchDtype = torchDtypeOf(r);

    if (archName == "MistralForCausalLM" ||
        (archName == "Qwen2ForCausalLM" && r.boolean("use_sliding_window", false))) {
        if (r.find("sliding_window"))
            c.slidingWindow = r.integer("sliding_window", std::nullopt, 1, INT64_MAX);
    }
    c.raw = config;
    return c;
}

ModelConfig loadModelConfig(const std::filesystem::path &dir)
{
    const std::filesystem::path file = dir / "config.json";
    std::error_code ec;
    if (!std::filesystem::is_regular_file(file, ec))
        throw Error(ErrorCode::NotFound, "no config.json in the model folder", dir.string());
    return parseModelConfig(formats::parseStrictJson(readFile(file), file.string(), "config"),
                            file.string());
}

} // namespace wb

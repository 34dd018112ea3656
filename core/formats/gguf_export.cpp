#include "formats/gguf_export.h"

#include "common/error.h"
#include "formats/hf_config.h"
#include "formats/merge.h"
#include "formats/peft.h"
#include "formats/safetensors.h"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <map>

namespace wb {

namespace fs = std::filesystem;

std::optional<GgufExportType> parseGgufExportType(const std::string &name)
{
    std::string n = name;
    std::transform(n.begin(), n.end(), n.begin(), [](unsigned char c) { return std::tolower(c); });
    if (n == "f32")
        return GgufExportType::F32;
    if (n == "f16")
        return GgufExportType::F16;
    if (n == "bf16")
        return GgufExportType::BF16;
    if (n == "q8_0" || n == "q8")
        return GgufExportType::Q8_0;
    return std::nullopt;
}

const char *ggufExportTypeName(GgufExportType t)
{
    switch (t) {
    case GgufExportType::F32:
        return "f32";
    case GgufExportType::F16:
        return "f16";
    case GgufExportType::BF16:
        return "bf16";
    case GgufExportType::Q8_0:
        return "q8_0";
    }
    return "?";
}

std::vector<float> permuteRowsForLlama(const std::vector<float> &w, int64_t rows, int64_t cols,
                                       int64_t heads)
{
    if (heads <= 0 || rows % (2 * heads) != 0 || int64_t(w.size()) != rows * cols)
        throw Error(ErrorCode::Validation, "cannot permute " + std::to_string(rows) + " rows into " +
                                               std::to_string(heads) + " heads of pairs");
    // reshape(heads, 2, half, cols) → swap axes 1 and 2 → reshape back:
    // new row h·d + 2i + s takes old row h·d + s·half + i.
    const int64_t d = rows / heads, half = d / 2;
    std::vector<float> out(w.size());
    for (int64_t h = 0; h < heads; ++h)
        for (int64_t i = 0; i < half; ++i)
            for (int64_t s = 0; s < 2; ++s)
                std::copy_n(w.begin() + (h * d + s * half + i) * cols, cols,
                            out.begin() + (h * d + 2 * i + s) * cols);
    return out;
}

std::string ggufTensorName(const std::string &hf)
{
    if (hf == "model.embed_tokens.weight")
        return "token_embd.weight";
    if (hf == "model.norm.weight")
        return "output_norm.weight";
    if (hf == "lm_head.weight")
        return "output.weight";
    const std::string prefix = "model.layers.";
    if (hf.compare(0, prefix.size(), prefix) != 0)
        return {};
    size_t pos = prefix.size();
    size_t end = pos;
    while (end < hf.size() && std::isdigit(static_cast<unsigned char>(hf[end])))
        ++end;
    if (end == pos || end >= hf.size() || hf[end] != '.')
        return {};
    const std::string layer = hf.substr(pos, end - pos), rest = hf.substr(end + 1);
    static const std::map<std::string, std::string> modules = {
        {"input_layernorm", "attn_norm"}, {"post_attention_layernorm", "ffn_norm"},
        {"self_attn.q_proj", "attn_q"},   {"self_attn.k_proj", "attn_k"},
        {"self_attn.v_proj", "attn_v"},   {"self_attn.o_proj", "attn_output"},
        {"mlp.gate_proj", "ffn_gate"},    {"mlp.up_proj", "ffn_up"},
        {"mlp.down_proj", "ffn_down"}};
    const size_t dot = rest.rfind('.');
    if (dot == std::string::npos)
        return {};
    const std::string module = rest.substr(0, dot), suffix = rest.substr(dot + 1);
    const auto it = modules.find(module);
    if (it == modules.end() || (suffix != "weight" && suffix != "bias"))
        return {};
    if (suffix == "bias" && (module == "input_layernorm" || module == "post_attention_layernorm"))
        return {};
    return "blk." + layer + "." + it->second + "." + suffix;
}

namespace {

std::string ggufArchitecture(const ModelConfig &c)
{
    if (c.modelType == "llama" || c.modelType == "mistral")
        return "llama";
    if (c.modelType == "qwen2")
        return "qwen2";
    throw Error(ErrorCode::Unsupported,
                "GGUF export supports Llama, Mistral and Qwen2 models, not '" + c.architecture + "'");
}

bool endsWith(const std::string &s, const std::string &tail)
{
    return s.size() >= tail.size() && s.compare(s.size() - tail.size(), tail.size(), tail) == 0;
}

// The converter's choice: norms, biases and 1-D tensors F32; Q8_0 only for rows that are a
// multiple of 32 (else F16).
GgmlType tensorType(GgmlType wanted, const std::string &ggufName, const std::vector<int64_t> &shape)
{
    if (shape.size() <= 1 || endsWith(ggufName, "_norm.weight") || !endsWith(ggufName, ".weight"))
        return GgmlType::F32;
    if (wanted == GgmlType::Q8_0 && shape.back() % 32 != 0)
        return GgmlType::F16;
    return wanted;
}

// How many heads a llama q/k tensor is permuted with; 0 for every other tensor.
int64_t permuteHeads(const ModelConfig &c, const std::string &arch, const std::string &hfName)
{
    if (arch != "llama")
        return 0;
    if (endsWith(hfName, "self_attn.q_proj.weight") || endsWith(hfName, "self_attn.q_proj.bias"))
        return c.numHeads;
    if (endsWith(hfName, "self_attn.k_proj.weight") || endsWith(hfName, "self_attn.k_proj.bias"))
        return c.numKvHeads;
    return 0;
}

// llama.cpp's rope_freqs for Llama-3 RoPE scaling, computed as the converter does.
std::vector<float> llama3RopeFactors(const ModelConfig &c)
{
    const RopeConfig &r = c.rope;
    const double oldContext = r.originalMaxPositions > 0 ? double(r.originalMaxPositions) : 8192.0;
    const double lowWave = oldContext / r.lowFreqFactor, highWave = oldContext / r.highFreqFactor;
    std::vector<float> factors;
    for (int64_t i = 0; i < c.headDim; i += 2) {
        const float freq = float(1.0 / std::pow(r.theta, double(i) / double(c.headDim)));
        const double wave = 2 * M_PI / freq;
        if (wave < highWave)
            factors.push_back(1.0f);
        else if (wave > lowWave)
            factors.push_back(float(r.factor));
        else {
            const double smooth = (oldContext / wave - r.lowFreqFactor) /
                                  (r.highFreqFactor - r.lowFreqFactor);
            factors.push_back(float(1.0 / ((1 - smooth) / r.factor + smooth)));
        }
    }
    return factors;
}

void addGeneral(GgufWriter &w, const std::string &arch, const std::string &type,
                const std::string &name, uint32_t fileType)
{
    w.set("general.architecture", GgufValue::string(arch));
    w.set("general.type", GgufValue::string(type));
    w.set("general.name", GgufValue::string(name));
    w.set("general.alignment", GgufValue::u32(32));
    w.set("general.file_type", GgufValue::u32(fileType));
    w.set("general.quantization_version", GgufValue::u32(2));
}

std::string folderName(const fs::path &dir)
{
    const fs::path p = fs::absolute(dir).lexically_normal();
    const std::string n = p.filename().string();
    return n.empty() ? p.parent_path().filename().string() : n;
}

} // namespace

GgufExportReport exportGguf(const fs::path &modelDir, const fs::path &adapterDir,
                            const fs::path &outFile, const GgufExportOptions &options,
                            const ExportProgress &progress)
{
    MergedTensorSource source(modelDir, adapterDir);
    source.threads = options.threads;
    const ModelConfig &c = source.config();
    GgufExportReport report;
    const std::string arch = report.architecture = ggufArchitecture(c);
    if (c.rope.type == RopeType::Dynamic)
        throw Error(ErrorCode::Unsupported,
                    (modelDir / "config.json").string() +
                        ": dynamic NTK RoPE scaling has no llama.cpp equivalent; remove "
                        "rope_scaling or export another model");

    static const std::map<GgufExportType, std::pair<GgmlType, uint32_t>> fileTypes = {
        {GgufExportType::F32, {GgmlType::F32, 0}},
        {GgufExportType::F16, {GgmlType::F16, 1}},
        {GgufExportType::Q8_0, {GgmlType::Q8_0, 7}},
        {GgufExportType::BF16, {GgmlType::BF16, 32}}};
    const auto [wanted, fileType] = fileTypes.at(options.type);

    GgufWriter w;
    addGeneral(w, arch, "model", options.name.empty() ? folderName(modelDir) : options.name,
               fileType);
    auto u32 = [&](const std::string &key, int64_t v) { w.set(arch + "." + key, GgufValue::u32(uint32_t(v))); };
    u32("vocab_size", c.vocabSize);
    u32("context_length", c.maxPositions);
    u32("embedding_length", c.hiddenSize);
    u32("block_count", c.numLayers);
    u32("feed_forward_length", c.intermediateSize);
    u32("rope.dimension_count", c.headDim);
    u32("attention.head_count", c.numHeads);
    u32("attention.head_count_kv", c.numKvHeads);
    if (c.headDim * c.numHeads != c.hiddenSize) {
        u32("attention.key_length", c.headDim);
        u32("attention.value_length", c.headDim);
    }
    w.set(arch + ".attention.layer_norm_rms_epsilon", GgufValue::f32(float(c.rmsNormEps)));
    w.set(arch + ".rope.freq_base", GgufValue::f32(float(c.rope.theta)));
    if (c.rope.type == RopeType::Linear) {
        w.set(arch + ".rope.scaling.type", GgufValue::string("linear"));
        w.set(arch + ".rope.scaling.factor", GgufValue::f32(float(c.rope.factor)));
    }
    report.vocabSize = addTokenizerMetadata(w, modelDir, c);

    // Tensors, in the converter's order: generated extras first, then the checkpoint's.
    struct Item
    {
        std::string hfName; // empty: rope_freqs
        std::vector<int64_t> shape;
    };
    std::vector<Item> items;
    if (c.rope.type == RopeType::Llama3) {
        items.push_back({"", {c.headDim / 2}});
        w.addTensor("rope_freqs.weight", GgmlType::F32, {c.headDim / 2});
    }
    for (const auto &name : source.names()) {
        const std::string g = ggufTensorName(name);
        if (g.empty()) {
            if (endsWith(name, "rotary_emb.inv_freq"))
                continue;
            throw Error(ErrorCode::Unsupported, (modelDir).string() + ": tensor '" + name +
                                                    "' has no GGUF counterpart");
        }
        const TensorView &t = source.base(name);
        const GgmlType type = tensorType(wanted, g, t.shape);
        if (wanted == GgmlType::Q8_0 && type == GgmlType::F16)
            report.fallbacks++;
        items.push_back({name, t.shape});
        w.addTensor(g, type, t.shape);
        report.bytes += w.tensorBytes(w.tensorCount() - 1);
    }
    report.tensors = items.size();

    w.write(
        outFile,
        [&](size_t i, std::vector<uint8_t> &bytes) {
            const Item &item = items[i];
            std::vector<float> v;
            GgmlType type = GgmlType::F32;
            if (item.hfName.empty()) {
                v = llama3RopeFactors(c);
            } else {
                v = source.read(item.hfName);
                const std::string g = ggufTensorName(item.hfName);
                if (const int64_t heads = permuteHeads(c, arch, item.hfName))
                    v = permuteRowsForLlama(v, item.shape[0],
                                            item.shape.size() > 1 ? item.shape[1] : 1, heads);
                type = tensorType(wanted, g, item.shape);
            }
            bytes = encodeTensor(type, v.data(), int64_t(v.size()));
        },
        progress);
    return report;
}

GgufExportReport exportLoraGguf(const fs::path &adapterDir, const fs::path &baseModelDir,
                                const fs::path &outFile, const ExportProgress &progress)
{
    const ModelConfig c = loadModelConfig(baseModelDir);
    const auto adapter = PeftAdapter::open(adapterDir, c);
    const LoraConfig &lc = adapter->config();
    GgufExportReport report;
    const std::string arch = report.architecture = ggufArchitecture(c);
    GgufWriter w;
    addGeneral(w, arch, "adapter", folderName(adapterDir), 0);
    w.set("adapter.type", GgufValue::string("lora"));
    // llama.cpp applies alpha / r; rsLoRA's alpha / sqrt(r) needs alpha · sqrt(r) here.
    const double alpha = lc.rslora ? lc.alpha * std::sqrt(double(lc.r)) : lc.alpha;
    w.set("adapter.lora.alpha", GgufValue::f32(float(alpha)));

    struct Item
    {
        std::string key;
        std::vector<int64_t> shape;
        int64_t heads;
    };
    std::vector<Item> items;
    for (int layer = 0; layer < int(c.numLayers); ++layer) {
        if (!lc.coversLayer(layer))
            continue;
        for (const auto &module : lc.targetModules) {
            const std::string hf = "model.layers." + std::to_string(layer) + "." +
                                   loraParentOf(module) + "." + module + ".weight";
            const std::string g = ggufTensorName(hf);
            for (bool isA : {true, false}) {
                const std::string key = peftTensorKey(layer, module, isA);
                const TensorView &t = adapter->tensors().tensor(key);
                items.push_back({key, t.shape, isA ? 0 : permuteHeads(c, arch, hf)});
                w.addTensor(g + (isA ? ".lora_a" : ".lora_b"), GgmlType::F32, t.shape);
                report.bytes += w.tensorBytes(w.tensorCount() - 1);
            }
        }
    }
    report.tensors = items.size();
    w.write(
        outFile,
        [&](size_t i, std::vector<uint8_t> &bytes) {
            const Item &item = items[i];
            std::vector<float> v = tensorToFloat(adapter->tensors().tensor(item.key));
            if (item.heads)
                v = permuteRowsForLlama(v, item.shape[0], item.shape[1], item.heads);
            bytes = encodeTensor(GgmlType::F32, v.data(), int64_t(v.size()));
        },
        progress);
    return report;
}

} // namespace wb

#include "formats/peft.h"

#include "common/error.h"
#include "common/files.h"
#include "formats/hf_config.h"
#include "formats/safetensors.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cmath>
#include <set>

namespace wb {

const std::vector<std::string> &loraModuleNames()
{
    static const std::vector<std::string> names = {"q_proj",    "k_proj",  "v_proj",   "o_proj",
                                                   "gate_proj", "up_proj", "down_proj"};
    return names;
}

double LoraConfig::scaling() const
{
    return rslora ? alpha / std::sqrt(double(r)) : alpha / double(r);
}

bool LoraConfig::targets(const std::string &module) const
{
    return std::find(targetModules.begin(), targetModules.end(), module) != targetModules.end();
}

bool LoraConfig::coversLayer(int layer) const
{
    return layers.empty() || std::find(layers.begin(), layers.end(), layer) != layers.end();
}

std::vector<std::string> parseTargetModules(const std::string &spec)
{
    std::vector<std::string> out;
    auto addUnique = [&](const std::string &m) {
        if (std::find(out.begin(), out.end(), m) == out.end())
            out.push_back(m);
    };
    size_t start = 0;
    while (start <= spec.size()) {
        size_t end = spec.find(',', start);
        if (end == std::string::npos)
            end = spec.size();
        std::string item = spec.substr(start, end - start);
        item.erase(0, item.find_first_not_of(" \t"));
        item.erase(item.find_last_not_of(" \t") + 1);
        start = end + 1;
        if (item.empty())
            continue;
        if (item == "all-linear" || item == "all") {
            for (const auto &m : loraModuleNames())
                addUnique(m);
            continue;
        }
        std::string name = item;
        if (name.find("_proj") == std::string::npos)
            name += "_proj";
        const auto &known = loraModuleNames();
        if (std::find(known.begin(), known.end(), name) == known.end())
            throw Error(ErrorCode::Validation,
                        "unknown LoRA target module '" + item +
                            "'; use q, k, v, o, gate, up, down (or their *_proj names) or all-linear");
        addUnique(name);
    }
    if (out.empty())
        throw Error(ErrorCode::Validation, "no LoRA target modules given");
    // Keep the model's order so adapters and messages read the same every time.
    std::vector<std::string> ordered;
    for (const auto &m : loraModuleNames())
        if (std::find(out.begin(), out.end(), m) != out.end())
            ordered.push_back(m);
    return ordered;
}

std::string loraParentOf(const std::string &module)
{
    if (module == "q_proj" || module == "k_proj" || module == "v_proj" || module == "o_proj")
        return "self_attn";
    return "mlp";
}

std::string peftTensorKey(int layer, const std::string &module, bool isA)
{
    return "base_model.model.model.layers." + std::to_string(layer) + "." + loraParentOf(module) +
           "." + module + (isA ? ".lora_A.weight" : ".lora_B.weight");
}

std::pair<int64_t, int64_t> loraModuleShape(const ModelConfig &m, const std::string &module)
{
    const int64_t qDim = m.numHeads * m.headDim, kvDim = m.numKvHeads * m.headDim;
    if (module == "q_proj")
        return {qDim, m.hiddenSize};
    if (module == "k_proj" || module == "v_proj")
        return {kvDim, m.hiddenSize};
    if (module == "o_proj")
        return {m.hiddenSize, qDim};
    if (module == "gate_proj" || module == "up_proj")
        return {m.intermediateSize, m.hiddenSize};
    if (module == "down_proj")
        return {m.hiddenSize, m.intermediateSize};
    throw Error(ErrorCode::Validation, "unknown LoRA target module '" + module + "'");
}

LoraConfig readAdapterConfig(const std::filesystem::path &dir)
{
    const std::filesystem::path file = dir / "adapter_config.json";
    if (!std::filesystem::exists(file))
        throw Error(ErrorCode::NotFound,
                    "not a PEFT adapter folder: " + file.string() + " does not exist");
    nlohmann::json j;
    try {
        j = nlohmann::json::parse(readFile(file));
    } catch (const nlohmann::json::exception &e) {
        throw Error(ErrorCode::Parse, file.string() + ": " + e.what());
    }
    const std::string label = file.string();
    auto need = [&](bool ok, const std::string &what) {
        if (!ok)
            throw Error(ErrorCode::Unsupported, label + ": " + what);
    };
    need(j.is_object(), "expected a JSON object");
    need(j.value("peft_type", std::string("LORA")) == "LORA",
         "peft_type '" + j.value("peft_type", std::string()) + "' is not supported; only LORA is");
    need(!j.value("use_dora", false), "DoRA adapters (use_dora) are not supported");
    need(!j.value("fan_in_fan_out", false), "fan_in_fan_out adapters are not supported");
    need(!j.contains("bias") || j["bias"].is_null() || j["bias"] == "none",
         "bias '" + (j.contains("bias") ? j["bias"].dump() : "") + "' is not supported; only \"none\"");
    for (const char *key : {"rank_pattern", "alpha_pattern"})
        need(!j.contains(key) || j[key].is_null() || j[key].empty(),
             std::string(key) + " (per-module ranks or alphas) is not supported");
    need(!j.value("lora_bias", false), "lora_bias adapters are not supported");
    need(!j.contains("modules_to_save") || j["modules_to_save"].is_null() ||
             (j["modules_to_save"].is_array() && j["modules_to_save"].empty()),
         "modules_to_save (fully trained extra modules) is not supported");

    LoraConfig c;
    try {
        c.r = j.at("r").get<int>();
        c.alpha = j.value("lora_alpha", double(c.r));
        c.dropout = j.value("lora_dropout", 0.0);
        c.rslora = j.value("use_rslora", false);
        c.baseModel = j.value("base_model_name_or_path", std::string());
        if (j.contains("init_lora_weights") && j["init_lora_weights"].is_string())
            c.init = j["init_lora_weights"].get<std::string>();
        else
            c.init = "kaiming";
        const auto &t = j.at("target_modules");
        std::vector<std::string> mods;
        if (t.is_string()) {
            mods = parseTargetModules(t.get<std::string>());
        } else {
            for (const auto &m : t)
                mods.push_back(m.get<std::string>());
            std::string joined;
            for (const auto &m : mods)
                joined += (joined.empty() ? "" : ",") + m;
            mods = parseTargetModules(joined);
        }
        c.targetModules = mods;
        if (j.contains("layers_to_transform") && !j["layers_to_transform"].is_null()) {
            if (j["layers_to_transform"].is_number())
                c.layers = {j["layers_to_transform"].get<int>()};
            else
                c.layers = j["layers_to_transform"].get<std::vector<int>>();
        }
    } catch (const nlohmann::json::exception &e) {
        throw Error(ErrorCode::Validation, label + ": " + e.what());
    } catch (const Error &e) {
        throw Error(e.code(), label + ": " + e.what());
    }
    if (c.r <= 0)
        throw Error(ErrorCode::Validation, label + ": r must be positive, not " + std::to_string(c.r));
    return c;
}

void writeAdapterConfig(const std::filesystem::path &dir, const LoraConfig &c)
{
    nlohmann::json j = {
        {"peft_type", "LORA"},
        {"task_type", "CAUSAL_LM"},
        {"base_model_name_or_path", c.baseModel},
        {"r", c.r},
        {"lora_alpha", c.alpha},
        {"lora_dropout", c.dropout},
        {"target_modules", c.targetModules},
        {"bias", "none"},
        {"fan_in_fan_out", false},
        {"use_rslora", c.rslora},
        {"use_dora", false},
        {"init_lora_weights", c.init == "gaussian" ? nlohmann::json("gaussian") : nlohmann::json(true)},
        {"modules_to_save", nullptr},
        {"inference_mode", true},
        {"layers_to_transform", c.layers.empty() ? nlohmann::json(nullptr) : nlohmann::json(c.layers)},
        {"revision", nullptr},
    };
    std::filesystem::create_directories(dir);
    writeFileAtomic(dir / "adapter_config.json", j.dump(2) + "\n");
}

PeftAdapter::~PeftAdapter() = default;

std::unique_ptr<PeftAdapter> PeftAdapter::open(const std::filesystem::path &dir,
                                               const ModelConfig &model)
{
    std::unique_ptr<PeftAdapter> a(new PeftAdapter);
    a->m_dir = dir;
    a->m_config = readAdapterConfig(dir);
    const std::filesystem::path file = dir / "adapter_model.safetensors";
    if (!std::filesystem::exists(file)) {
        if (std::filesystem::exists(dir / "adapter_model.bin"))
            throw Error(ErrorCode::Unsupported,
                        (dir / "adapter_model.bin").string() +
                            " is a pickle file, which can run code when loaded; save the adapter "
                            "with safe_serialization=True (adapter_model.safetensors)");
        throw Error(ErrorCode::NotFound, file.string() + " does not exist");
    }
    a->m_file = SafetensorsFile::open(file);
    const LoraConfig &c = a->m_config;
    std::set<std::string> expected;
    for (int layer = 0; layer < int(model.numLayers); ++layer) {
        if (!c.coversLayer(layer))
            continue;
        for (const auto &module : c.targetModules) {
            const auto [out, in] = loraModuleShape(model, module);
            for (bool isA : {true, false}) {
                const std::string key = peftTensorKey(layer, module, isA);
                expected.insert(key);
                if (!a->m_file->contains(key))
                    throw Error(ErrorCode::Validation, file.string() + ": tensor '" + key +
                                                           "' is missing (the config targets " +
                                                           module + " in layer " +
                                                           std::to_string(layer) + ")");
                const TensorView &t = a->m_file->tensor(key);
                const std::vector<int64_t> want =
                    isA ? std::vector<int64_t>{c.r, in} : std::vector<int64_t>{out, c.r};
                if (t.shape != want) {
                    auto fmt = [](const std::vector<int64_t> &s) {
                        std::string r = "[";
                        for (size_t i = 0; i < s.size(); ++i)
                            r += (i ? ", " : "") + std::to_string(s[i]);
                        return r + "]";
                    };
                    throw Error(ErrorCode::Validation,
                                file.string() + ": tensor '" + key + "' has shape " +
                                    fmt(t.shape) + ", expected " + fmt(want) +
                                    " for this base model (is the adapter for another model?)");
                }
                if (t.dtype != DType::F32 && t.dtype != DType::F16 && t.dtype != DType::BF16)
                    throw Error(ErrorCode::Unsupported, file.string() + ": tensor '" + key +
                                                            "' has dtype " + dtypeName(t.dtype));
            }
        }
    }
    for (const auto &name : a->m_file->names()) {
        if (!expected.count(name))
            throw Error(ErrorCode::Validation,
                        file.string() + ": unexpected tensor '" + name +
                            "' (not a LoRA A/B of a targeted module in this base model)");
    }
    return a;
}

} // namespace wb

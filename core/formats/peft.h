#pragma once

// PEFT LoRA adapter folders (adapter_config.json + adapter_model.safetensors), as peft writes
// and loads them. Key names and scaling rules: FORMATS.md "PEFT LoRA adapters".

#include <filesystem>
#include <memory>
#include <string>
#include <vector>

namespace wb {

class SafetensorsFile;
struct ModelConfig;

// The HF module names LoRA can target in a Llama-family decoder, in layer order.
const std::vector<std::string> &loraModuleNames(); // q_proj k_proj v_proj o_proj gate_proj up_proj down_proj

struct LoraConfig
{
    int r = 8;
    double alpha = 16;
    double dropout = 0.0;
    std::vector<std::string> targetModules = {"q_proj", "v_proj"}; // subset of loraModuleNames()
    bool rslora = false;
    std::string init = "kaiming"; // "kaiming" (peft's default, init_lora_weights=true) or "gaussian"
    std::string baseModel;        // base_model_name_or_path
    // Layers the adapter covers; empty = all (peft's layers_to_transform).
    std::vector<int> layers;

    double scaling() const; // alpha / r, or alpha / sqrt(r) with rsLoRA
    bool targets(const std::string &module) const;
    bool coversLayer(int layer) const;
};

// "all-linear" and the short names "q", "k", "v", "o", "gate", "up", "down" (comma-separated)
// expand to HF module names. Throws Error(Validation) for an unknown name.
std::vector<std::string> parseTargetModules(const std::string &spec);

// "self_attn" for q/k/v/o_proj, "mlp" for gate/up/down_proj.
std::string loraParentOf(const std::string &module);
// base_model.model.model.layers.{layer}.{parent}.{module}.lora_A.weight (or lora_B)
std::string peftTensorKey(int layer, const std::string &module, bool isA);

// Reads adapter_config.json. Refuses (Error Unsupported) what we cannot apply: peft_type other
// than LORA, DoRA, fan_in_fan_out, bias other than "none", modules_to_save, target modules
// outside loraModuleNames(). Names the file in every message.
LoraConfig readAdapterConfig(const std::filesystem::path &dir);
// Writes adapter_config.json atomically with every key FORMATS.md lists.
void writeAdapterConfig(const std::filesystem::path &dir, const LoraConfig &config);

// An adapter folder opened for reading: config plus the mapped tensors. open() checks that every
// (layer, module) the config targets has A [r, in] and B [out, r] with the shapes `model`
// implies, and that no unexpected tensor is present.
class PeftAdapter final
{
public:
    static std::unique_ptr<PeftAdapter> open(const std::filesystem::path &dir,
                                             const ModelConfig &model);
    ~PeftAdapter();
    const LoraConfig &config() const { return m_config; }
    const SafetensorsFile &tensors() const { return *m_file; }
    const std::filesystem::path &dir() const { return m_dir; }

private:
    PeftAdapter() = default;
    LoraConfig m_config;
    std::filesystem::path m_dir;
    std::unique_ptr<SafetensorsFile> m_file;
};

// [out, in] of a target module in `model` (q_proj: [heads·headDim, hidden], ...).
std::pair<int64_t, int64_t> loraModuleShape(const ModelConfig &model, const std::string &module);

} // namespace wb

// LoRA pairs on the decoder's linear layers: fresh initialisation for training, PEFT adapter
// folders in and out, and the names of every weight for full fine-tuning and export.

#include "model/causal_lm_impl.h"

#include "common/error.h"
#include "formats/safetensors.h"

#include <cmath>

namespace wb::model {

namespace {

void requireLinear(const Linear &l, const std::string &what)
{
    if (l.quantized())
        throw Error(ErrorCode::Unsupported,
                    "LoRA on int8-quantized weights is not supported (" + what +
                        "); load the model without int8");
}

} // namespace

Linear &loraTarget(Layer &layer, const std::string &module)
{
    if (module == "q_proj")
        return layer.q;
    if (module == "k_proj")
        return layer.k;
    if (module == "v_proj")
        return layer.v;
    if (module == "o_proj")
        return layer.o;
    if (module == "gate_proj")
        return layer.gate;
    if (module == "up_proj")
        return layer.up;
    if (module == "down_proj")
        return layer.down;
    throw Error(ErrorCode::Validation, "unknown LoRA target module '" + module + "'");
}

void attachLora(Model &model, const LoraConfig &config, uint64_t seed)
{
    at::NoGradGuard noGrad;
    // A generator of our own (on the CPU, then copied): the same initial adapter on every device.
    auto gen = at::make_generator<at::CPUGeneratorImpl>(seed);
    for (size_t i = 0; i < model.w.layers.size(); ++i) {
        if (!config.coversLayer(int(i)))
            continue;
        for (const std::string &module : loraModuleNames()) {
            Linear &l = loraTarget(model.w.layers[i], module);
            l.lora.reset();
            if (!config.targets(module))
                continue;
            requireLinear(l, module);
            const auto [out, in] = loraModuleShape(model.config, module);
            auto lw = std::make_shared<LoraWeights>();
            if (config.init == "gaussian") {
                lw->A = at::normal(0.0, 1.0 / config.r, {config.r, in}, gen);
            } else {
                // kaiming_uniform_(a=√5): bound = gain·√(3/fan_in) with gain = √(2/(1+5)).
                const double bound = 1.0 / std::sqrt(double(in));
                lw->A = at::empty({config.r, in}).uniform_(-bound, bound, gen);
            }
            lw->B = at::zeros({out, config.r});
            lw->A = lw->A.to(model.device);
            lw->B = lw->B.to(model.device);
            lw->scale = config.scaling();
            lw->dropout = config.dropout;
            l.lora = std::move(lw);
        }
    }
    model.lora = config;
    model.hasLora = true;
}

void loadLora(Model &model, const std::filesystem::path &adapterDir)
{
    at::NoGradGuard noGrad;
    const auto adapter = PeftAdapter::open(adapterDir, model.config);
    const LoraConfig &config = adapter->config();
    for (size_t i = 0; i < model.w.layers.size(); ++i) {
        for (const std::string &module : loraModuleNames()) {
            Linear &l = loraTarget(model.w.layers[i], module);
            l.lora.reset();
            if (!config.coversLayer(int(i)) || !config.targets(module))
                continue;
            requireLinear(l, module);
            auto lw = std::make_shared<LoraWeights>();
            lw->A = tensorFromView(adapter->tensors().tensor(peftTensorKey(int(i), module, true)))
                        .to(model.device, at::kFloat);
            lw->B = tensorFromView(adapter->tensors().tensor(peftTensorKey(int(i), module, false)))
                        .to(model.device, at::kFloat);
            lw->scale = config.scaling();
            lw->dropout = config.dropout;
            l.lora = std::move(lw);
        }
    }
    model.lora = config;
    model.hasLora = true;
}

std::vector<std::pair<std::string, at::Tensor *>> loraParameters(Model &model)
{
    std::vector<std::pair<std::string, at::Tensor *>> out;
    for (size_t i = 0; i < model.w.layers.size(); ++i) {
        for (const std::string &module : loraModuleNames()) {
            Linear &l = loraTarget(model.w.layers[i], module);
            if (!l.lora)
                continue;
            out.emplace_back(peftTensorKey(int(i), module, true), &l.lora->A);
            out.emplace_back(peftTensorKey(int(i), module, false), &l.lora->B);
        }
    }
    return out;
}

std::vector<Linear *> loraTargets(Model &model)
{
    std::vector<Linear *> out;
    for (Layer &layer : model.w.layers)
        for (const std::string &module : loraModuleNames())
            out.push_back(&loraTarget(layer, module));
    return out;
}

void setLoraEnabled(Model &model, bool enabled)
{
    for (Layer &layer : model.w.layers)
        for (const std::string &module : loraModuleNames())
            if (Linear &l = loraTarget(layer, module); l.lora)
                l.lora->enabled = enabled;
}

void saveLora(Model &model, const std::filesystem::path &dir)
{
    if (!model.hasLora)
        throw Error(ErrorCode::Internal, "saveLora: the model has no adapter");
    SafetensorsWriter writer;
    for (const auto &[name, tensor] : loraParameters(model)) {
        const at::Tensor t = tensor->detach().to(at::kCPU, at::kFloat).contiguous();
        writer.add(name, DType::F32, t.sizes().vec(), t.data_ptr(), size_t(t.nbytes()));
    }
    writer.setMetadata("format", "pt");
    std::filesystem::create_directories(dir);
    writer.write(dir / "adapter_model.safetensors");
    LoraConfig config = model.lora;
    config.baseModel = model.dir.string();
    writeAdapterConfig(dir, config);
}

std::vector<std::pair<std::string, at::Tensor *>> namedWeights(Model &model)
{
    std::vector<std::pair<std::string, at::Tensor *>> out;
    Weights &w = model.w;
    out.emplace_back("model.embed_tokens.weight", &w.embed.weight);
    for (size_t i = 0; i < w.layers.size(); ++i) {
        Layer &layer = w.layers[i];
        const std::string p = "model.layers." + std::to_string(i) + ".";
        out.emplace_back(p + "input_layernorm.weight", &layer.inputNorm);
        for (const std::string &module : loraModuleNames()) {
            Linear &l = loraTarget(layer, module);
            const std::string name = p + loraParentOf(module) + "." + module;
            out.emplace_back(name + ".weight", &l.weight);
            if (l.bias.defined())
                out.emplace_back(name + ".bias", &l.bias);
        }
        out.emplace_back(p + "post_attention_layernorm.weight", &layer.postNorm);
    }
    out.emplace_back("model.norm.weight", &w.norm);
    if (w.lmHead.weight.defined())
        out.emplace_back("lm_head.weight", &w.lmHead.weight);
    return out;
}

} // namespace wb::model

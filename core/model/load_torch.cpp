// Loading a Hugging Face folder into Model: config, checkpoint checks, the memory check, dtype
// conversion, tied embeddings and optional int8 quantization.

#include "model/llama_torch.h"

#include <torch/version.h>

#include "common/error.h"
#include "formats/checkpoint.h"
#include "model/device_memory.h"

#include <cstring>

namespace wb::model {

namespace {

std::string dtypeLabel(DType t)
{
    switch (t) {
    case DType::F32:
        return "fp32";
    case DType::F16:
        return "fp16";
    case DType::BF16:
        return "bf16";
    default:
        return dtypeName(t);
    }
}

} // namespace

std::unique_ptr<Model> loadModel(const std::filesystem::path &dir, const LoadOptions &opts,
                                 const LoadProgress &progress)
{
    const std::string label = dir.string();
    auto report = [&](double fraction, const std::string &message) {
        if (progress && !progress(fraction, message))
            throw Error(ErrorCode::Cancelled, "loading the model was cancelled", label);
    };
    if (opts.dtype != DType::F32 && opts.dtype != DType::F16 && opts.dtype != DType::BF16)
        throw Error(ErrorCode::Unsupported, std::string("compute dtype ") + dtypeName(opts.dtype) +
                                                " is not supported; use F32, F16 or BF16");
    if (opts.threads < 0)
        throw Error(ErrorCode::Validation, "threads is " + std::to_string(opts.threads) +
                                               ", must be 0 (keep) or positive");
    if (opts.threads > 0)
        at::set_num_threads(opts.threads);

    auto model = std::make_unique<Model>();
    model->dir = dir;
    model->options = opts;
    model->device = parseDevice(opts.device);
    model->dtype = scalarTypeOf(opts.dtype);
    model->weightDtype = model->dtype;
#if TORCH_VERSION_MAJOR > 2 || (TORCH_VERSION_MAJOR == 2 && TORCH_VERSION_MINOR >= 5)
    // cuDNN's attention builds an execution plan per sequence length; decoding grows the
    // length by one every step, so each step paid a fresh plan (~50 ms on an H200, whatever
    // the model size). Flash / memory-efficient attention have no such cost.
    if (model->device.is_cuda())
        at::globalContext().setSDPUseCuDNN(false);
#endif
    model->upcastMatmul = !halfMatmulWorks(model->device, model->dtype);
    if (model->upcastMatmul)
        model->dtype = at::kFloat;

    report(0.0, "reading config.json");
    model->config = loadModelConfig(dir);
    const ModelConfig &cfg = model->config;

    report(0.01, "opening the checkpoint");
    const auto checkpoint = Checkpoint::open(dir);
    // Missing tensors, wrong shapes and unsupported dtypes throw; extra tensors are warnings.
    model->warnings = checkCheckpoint(cfg, *checkpoint);

    const int64_t context =
        opts.contextTokens > 0 ? opts.contextTokens : std::min<int64_t>(cfg.maxPositions, 4096);
    if (opts.checkMemory) {
        const MemoryEstimate need = estimateMemory(cfg, opts.dtype, context, 1, opts.int8);
        const DeviceMemory have = deviceMemory(model->device.str());
        if (have.known && need.total > have.free)
            throw Error(ErrorCode::Validation,
                        "the model needs about " + formatBytes(need.total) + " (weights " +
                            formatBytes(need.weights) + ", KV cache and activations for " +
                            std::to_string(context) + " tokens " +
                            formatBytes(need.total - need.weights) + ") in " +
                            dtypeLabel(opts.dtype) + (opts.int8 ? " with int8 weights" : "") +
                            ", but only " + formatBytes(have.free) + " is available on " +
                            model->device.str() +
                            "; try bf16, int8 weights, a shorter context or a smaller model",
                        label);
    }

    at::NoGradGuard noGrad;
    const auto expected = expectedTensors(cfg);
    size_t done = 0;
    auto take = [&](const std::string &name) -> at::Tensor {
        const TensorView &view = checkpoint->tensor(name);
        report(0.02 + 0.96 * double(done++) / double(expected.size()), "loading " + name);
        return tensorFromView(view);
    };
    auto dense = [&](const std::string &name) {
        return take(name).to(model->dtype).to(model->device);
    };
    auto linear = [&](const std::string &prefix, bool bias, bool quantize) {
        Linear l;
        at::Tensor w = take(prefix + ".weight");
        if (quantize) {
            const uint64_t before = uint64_t(w.numel()) * c10::elementSize(model->weightDtype);
            l.weight = w.to(at::kFloat);
            l.quantize(); // from the checkpoint's values, not from a rounded copy
            l.q = l.q.to(model->device);
            l.scale = l.scale.to(model->device);
            model->quant.tensors += 1;
            model->quant.bytesBefore += before;
            model->quant.bytesAfter += l.bytes();
        } else {
            l.weight = w.to(model->weightDtype).to(model->device);
        }
        if (bias)
            l.bias = dense(prefix + ".bias");
        l.upcast = model->upcastMatmul;
        return l;
    };

    Weights &w = model->w;
    w.embed.weight = take("model.embed_tokens.weight").to(model->weightDtype).to(model->device);
    w.embed.upcast = model->upcastMatmul; // it is lm_head too when tied
    for (int64_t i = 0; i < cfg.numLayers; ++i) {
        const std::string p = "model.layers." + std::to_string(i) + ".";
        Layer layer;
        layer.inputNorm = dense(p + "input_layernorm.weight");
        layer.q = linear(p + "self_attn.q_proj", cfg.attentionBias, opts.int8);
        layer.k = linear(p + "self_attn.k_proj", cfg.attentionBias, opts.int8);
        layer.v = linear(p + "self_attn.v_proj", cfg.attentionBias, opts.int8);
        layer.o = linear(p + "self_attn.o_proj", cfg.oProjBias, opts.int8);
        layer.postNorm = dense(p + "post_attention_layernorm.weight");
        layer.gate = linear(p + "mlp.gate_proj", cfg.mlpBias, opts.int8);
        layer.up = linear(p + "mlp.up_proj", cfg.mlpBias, opts.int8);
        layer.down = linear(p + "mlp.down_proj", cfg.mlpBias, opts.int8);
        w.layers.push_back(std::move(layer));
    }
    w.norm = dense("model.norm.weight");
    // Tied: lm_head stays empty and head() reads the embedding matrix, which keeps the compute
    // dtype (the lookup of input embeddings must not be quantized).
    if (!cfg.tieWordEmbeddings)
        w.lmHead = linear("lm_head", false, opts.int8);
    model->quant.enabled = opts.int8;

    uint64_t bytes =
        w.embed.bytes() + w.lmHead.bytes() + uint64_t(w.norm.numel()) * w.norm.element_size();
    for (const Layer &l : w.layers) {
        bytes += uint64_t(l.inputNorm.numel() + l.postNorm.numel()) * l.inputNorm.element_size();
        for (const Linear *x : {&l.q, &l.k, &l.v, &l.o, &l.gate, &l.up, &l.down})
            bytes += x->bytes();
    }
    model->weightBytes = bytes;
    model->rope.init(cfg.rope, cfg.headDim, cfg.maxPositions, model->device);
    if (!opts.adapterDir.empty()) {
        report(0.99, "applying the LoRA adapter");
        loadLora(*model, opts.adapterDir);
    }
    report(1.0, "model loaded");
    return model;
}

} // namespace wb::model

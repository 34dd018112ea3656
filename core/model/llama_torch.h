#pragma once

// Internal to core/model, included only by *_torch.cpp files: the decoder's tensors and the
// forward pass. The numerics follow transformers' modeling_llama.py / modeling_qwen2.py.

#include "formats/hf_config.h"
#include "formats/peft.h"
#include "formats/safetensors.h"
#include "model/causal_lm.h"

#include <torch/torch.h>

#include <functional>
#include <memory>
#include <vector>

namespace wb::model {

// A LoRA pair on a linear layer: y += scale · B(A(dropout(x))), computed in A's dtype (F32).
struct LoraWeights
{
    at::Tensor A; // [r, in]
    at::Tensor B; // [out, r]
    double scale = 0;
    double dropout = 0;
    bool enabled = true; // off: the layer computes its base weights alone
};

// A linear layer ([out, in] weight, optional bias), either in the compute dtype or int8 with
// one symmetric scale per output row (weight ≈ q · scale), optionally with a LoRA pair.
struct Linear
{
    at::Tensor weight;   // compute dtype; undefined when quantized
    at::Tensor q;        // int8 [out, in]
    at::Tensor scale;    // F32 [out]
    at::Tensor bias;     // compute dtype [out] or undefined
    bool upcast = false; // weight stored in a half type, computed in F32
    std::shared_ptr<LoraWeights> lora;

    bool quantized() const { return q.defined(); }
    // `training` turns on LoRA dropout.
    at::Tensor forward(const at::Tensor &x, bool training = false) const;
    // Rows of the weight (an embedding lookup), in `dtype`.
    at::Tensor rows(const at::Tensor &ids, at::ScalarType dtype) const;
    void quantize();
    uint64_t bytes() const;
};

struct Layer
{
    at::Tensor inputNorm, postNorm;
    Linear q, k, v, o, gate, up, down;
    // Inference only (fuseProjections): q|k|v and gate|up stacked by rows, with q/k/v and
    // gate/up's weights narrowed views of them, so one GEMM replaces three (two) and no memory
    // is added. Undefined when not fused.
    at::Tensor qkvWeight, qkvBias, gateUpWeight, gateUpBias;
};

// Rotary embedding with transformers' scaling rules: default, linear, dynamic NTK, llama3.
class Rope
{
public:
    void init(const RopeConfig &cfg, int64_t headDim, int64_t maxPositions, at::Device device);
    // cos and sin, [B, T, headDim] in `dtype`, for int64 positions [B, T]. Angles in fp32.
    std::pair<at::Tensor, at::Tensor> cosSin(const at::Tensor &positions,
                                             at::ScalarType dtype) const;
    // inv_freq for a forward whose largest position is seqLen - 1 (dynamic NTK depends on it).
    at::Tensor invFreq(int64_t seqLen) const;

private:
    RopeConfig m_cfg;
    int64_t m_headDim = 0;
    int64_t m_maxPositions = 0;
    at::Tensor m_invFreq; // static part (all but dynamic beyond the trained length)
    at::Device m_device = at::kCPU;
};

// K and V of every layer for B rows, [B, kvHeads, capacity, headDim], plus which slots hold
// real tokens and the next position of each row.
struct KvCache
{
    std::vector<at::Tensor> k, v;
    int64_t length = 0; // slots used
    at::Tensor valid;   // bool [B, length]
    at::Tensor nextPos; // int64 [B]
    int64_t rows = 0;

    // Grows every layer's capacity to hold `extra` more slots (doubling), or with `exact` sets it
    // to length + extra (the tensors are replaced only when the capacity changes).
    void reserve(int64_t extra, bool exact = false);
};

struct Weights
{
    Linear embed;  // [vocab, hidden]; lm_head when tied
    Linear lmHead; // undefined weight/q when tied
    at::Tensor norm;
    std::vector<Layer> layers;

    const Linear &head() const
    {
        return (lmHead.weight.defined() || lmHead.q.defined()) ? lmHead : embed;
    }
};

struct Model
{
    ModelConfig config;
    LoadOptions options;
    std::filesystem::path dir;
    at::Device device = at::kCPU;
    at::ScalarType dtype = at::kFloat;       // activations, KV cache, norms, biases
    at::ScalarType weightDtype = at::kFloat; // embeddings and projections (unless int8)
    Weights w;
    Rope rope;
    QuantizationReport quant;
    std::vector<std::string> warnings;
    uint64_t weightBytes = 0;
    // The device has no GEMM in the requested half type (libtorch 1.13's CPU has none for F16):
    // weights stay in it to save memory, activations are F32.
    bool upcastMatmul = false;

    LoraConfig lora;      // the attached adapter's config (r == 0: none)
    bool hasLora = false;

    KvCache newCache(int64_t rows) const;
    // Runs the decoder over one chunk: ids [B, T] int64 and which of them are real (bool
    // [B, T]), appended to `cache`. Returns the hidden states after the final norm [B, T, H].
    at::Tensor forward(const at::Tensor &ids, const at::Tensor &chunkValid, KvCache &cache) const;
    at::Tensor logitsOf(const at::Tensor &hidden) const; // F32 [..., vocab]

    // One decoder layer over the cache: `attend` stores k and v ([B, KV, T, D], rotated) and
    // returns the attention output for q ([B, H, T, D]).
    using AttendFn = std::function<at::Tensor(const at::Tensor &q, const at::Tensor &k,
                                              const at::Tensor &v)>;
    at::Tensor cachedLayer(size_t layer, const at::Tensor &x, const at::Tensor &cos,
                           const at::Tensor &sin, const AttendFn &attend) const;
    // One token per row with every shape fixed, so that a CUDA graph can replay it: ids and
    // positions int64 [B, 1], slot int64 [1] (where k/v go) or [B, 1] (each row's own slot),
    // valid bool [B, capacity] (the cache slots to attend to, this one included). The cache's
    // capacity must equal valid's width. No host synchronisation. Returns F32 logits [B, vocab].
    at::Tensor decodeStatic(const at::Tensor &ids, const at::Tensor &pos, const at::Tensor &slot,
                            const at::Tensor &valid, KvCache &cache) const;

    // Training forward over right-padded (or packed) ids [B, T] with plain causal attention and
    // no cache: hidden states after the final norm [B, T, H], with autograd. With
    // `checkpointing`, each decoder layer keeps only its input and recomputes in backward.
    // `dropoutSeed` seeds LoRA dropout per layer so a recompute (and a resumed run) draws the
    // same masks.
    at::Tensor trainForward(const at::Tensor &ids, bool checkpointing, uint64_t dropoutSeed) const;
    // One decoder layer without a cache (causal), for trainForward and its recompute.
    at::Tensor layerForward(size_t layer, const at::Tensor &x, const at::Tensor &cos,
                            const at::Tensor &sin, bool training) const;
};

// Decoding one token per row through Model::decodeStatic, captured once as a CUDA graph and
// replayed: one launch per step instead of ~35 per layer (small models decode launch-bound).
// The cache gets a fixed capacity; when it fills, the caller makes a new DecodeGraph. On the
// CPU, or with WB_NO_CUDA_GRAPHS set, the same static step runs eagerly (tests compare it).
class DecodeGraph final
{
public:
    // Each row writes its own slot (DecodeSlots): the cache's full capacity is used as is, and
    // `valid` is the caller's mask (aliased, not copied), which the caller keeps up to date.
    struct PerRow
    {
        at::Tensor valid; // bool [B, capacity]
    };
    // Whether the model can decode this way: no dynamic RoPE (it rescales on the host) and no
    // sliding window. `cuda`: a graph can also be captured (a CUDA device and a libtorch built
    // with WB_CUDA_GRAPHS).
    static bool supports(const Model &model, bool *cuda = nullptr);
    // Fixes the cache's capacity at cache.length + room (copying it once).
    DecodeGraph(const Model &model, KvCache &cache, int64_t room);
    ~DecodeGraph();
    DecodeGraph(const DecodeGraph &) = delete;
    DecodeGraph &operator=(const DecodeGraph &) = delete;

    DecodeGraph(const Model &model, KvCache &cache, PerRow perRow);
    // Slots left before the cache is full.
    int64_t room(const KvCache &cache) const;
    // PerRow: one token per row (ids int64 [B, 1]) written at slots[b] (int64 [B, 1], which is
    // also its position: a row's tokens fill slots 0, 1, ... in order). The caller marks the
    // slot valid beforehand. Returns F32 logits [B, vocab] (valid until the next step).
    at::Tensor stepRows(const Model &model, KvCache &cache, const at::Tensor &ids,
                        const at::Tensor &slots);
    // Appends one token per row (int64 [B, 1] on the model's device) to `cache` and returns the
    // F32 logits [B, vocab] of the new position (valid until the next step).
    at::Tensor step(const Model &model, KvCache &cache, const at::Tensor &ids);

private:
    at::Tensor run(const Model &model, KvCache &cache); // replay, or run eagerly and capture
    struct Impl;
    std::unique_ptr<Impl> m_impl;
};

// Every weight by its Hugging Face name (norms and biases included; lm_head only when untied).
std::vector<std::pair<std::string, at::Tensor *>> namedWeights(Model &model);
// The Linear a LoRA target module names in one layer ("q_proj", ...).
Linear &loraTarget(Layer &layer, const std::string &module);
// Fresh LoRA pairs on every targeted module: A Kaiming-uniform (a = √5) or Gaussian (std 1/r),
// B zeros, F32 on the model's device, deterministic by seed. Replaces any adapter.
void attachLora(Model &model, const LoraConfig &config, uint64_t seed);
// A PEFT adapter folder (checked against the model), for inference or to continue training.
void loadLora(Model &model, const std::filesystem::path &adapterDir);
// The attached pairs by PEFT key (…lora_A.weight / …lora_B.weight), in layer/module order.
std::vector<std::pair<std::string, at::Tensor *>> loraParameters(Model &model);
// Writes adapter_config.json + adapter_model.safetensors (F32) into dir (created).
void saveLora(Model &model, const std::filesystem::path &dir);
// Switches every attached pair off (the layers compute their base weights alone) or on again.
void setLoraEnabled(Model &model, bool enabled);

std::unique_ptr<Model> loadModel(const std::filesystem::path &dir, const LoadOptions &opts,
                                 const LoadProgress &progress);

// Stacks each layer's q/k/v and gate/up weights for the inference forward (fewer kernel
// launches per token: decoding a small model on a GPU is launch-bound). Skips projections that
// are quantized or carry a LoRA pair; not for training (the trainer loads without it).
void fuseProjections(Model &model);

at::ScalarType scalarTypeOf(DType dtype);
// The dtype's finfo.min: additive masks use it rather than -inf, so a fully masked row stays
// finite (a uniform row instead of NaN).
double lowestValue(at::ScalarType dtype);
// "cpu", "cuda" or "cuda:N", checked against what this libtorch and machine have.
at::Device parseDevice(const std::string &name);
// A CPU tensor owning a copy of a (read-only, possibly unaligned) mapped tensor, in its stored
// dtype (F16, BF16, F32 or F64; anything else is refused naming the tensor).
at::Tensor tensorFromView(const TensorView &view);
// Whether matmul works in `dtype` on `device` (libtorch 1.13 has no Half GEMM on the CPU).
bool halfMatmulWorks(at::Device device, at::ScalarType dtype);

// Left-pads sequences into ids [B, T] int64 and valid bool [B, T] on `device`.
std::pair<at::Tensor, at::Tensor> leftPad(const std::vector<std::vector<int32_t>> &rows,
                                          at::Device device, int32_t padId = 0);

} // namespace wb::model

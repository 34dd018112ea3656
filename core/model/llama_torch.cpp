// The decoder's forward pass: RMSNorm, rotary embeddings, grouped-query attention over a KV
// cache, SwiGLU MLP. Numerics follow transformers (RMSNorm and RoPE angles in fp32, softmax in
// fp32), so fp32 logits match it to ~1e-5.

#include "model/llama_torch.h"

#include "common/error.h"

#include <torch/version.h>

#include <cmath>
#include <cstring>
#include <limits>

namespace wb::model {

// ---- Linear ---------------------------------------------------------------------------------

namespace {

at::Tensor baseForward(const Linear &l, const at::Tensor &x)
{
    if (l.upcast && !l.quantized()) // half-precision storage, F32 compute (no half GEMM here)
        return at::linear(x, l.weight.to(x.scalar_type()), l.bias);
    if (!l.quantized())
        return at::linear(x, l.weight, l.bias);
    if (x.scalar_type() == at::kFloat) {
        // Per-row scales commute with the matmul: x·(q·s)ᵀ = (x·qᵀ)·s.
        at::Tensor y = at::linear(x, l.q.to(at::kFloat)) * l.scale;
        return l.bias.defined() ? y + l.bias : y;
    }
    // Half types: dequantize first, so that x·qᵀ (up to 127× larger) cannot overflow F16.
    const at::Tensor w = (l.q.to(at::kFloat) * l.scale.unsqueeze(1)).to(x.scalar_type());
    return at::linear(x, w, l.bias);
}

} // namespace

at::Tensor Linear::forward(const at::Tensor &x, bool training) const
{
    at::Tensor y = baseForward(*this, x);
    if (!lora || !lora->enabled)
        return y;
    // F32 activations: the update in F32, as peft computes it. Half-precision activations
    // (bf16/f16 on CUDA): the pair is cast to the activation dtype instead of the (large)
    // activations to F32; gradients still reach the F32 master weights through the cast.
    const bool half = x.scalar_type() == at::kBFloat16 || x.scalar_type() == at::kHalf;
    const at::ScalarType t = half ? x.scalar_type() : lora->A.scalar_type();
    at::Tensor xl = x.to(t);
    if (training && lora->dropout > 0)
        xl = at::dropout(xl, lora->dropout, /*train=*/true);
    const at::Tensor update =
        at::linear(at::linear(xl, lora->A.to(t)), lora->B.to(t)) * lora->scale;
    return y + update.to(y.scalar_type());
}

at::Tensor Linear::rows(const at::Tensor &ids, at::ScalarType dtype) const
{
    if (!quantized())
        return at::embedding(weight, ids).to(dtype);
    const at::Tensor r =
        at::embedding(q, ids).to(at::kFloat) * at::embedding(scale.unsqueeze(1), ids);
    return r.to(dtype);
}

void Linear::quantize()
{
    if (quantized() || !weight.defined())
        return;
    const at::Tensor w = weight.to(at::kFloat);
    at::Tensor absMax = w.abs().amax(1);
    at::Tensor s = absMax / 127.0;
    s = at::where(s > 0, s, at::ones_like(s));
    q = at::round(w / s.unsqueeze(1)).clamp(-127, 127).to(at::kChar).contiguous();
    scale = s.contiguous();
    weight = at::Tensor();
}

uint64_t Linear::bytes() const
{
    uint64_t n = 0;
    for (const at::Tensor *t : {&weight, &q, &scale, &bias}) {
        if (t->defined())
            n += uint64_t(t->numel()) * t->element_size();
    }
    return n;
}

// ---- RoPE -----------------------------------------------------------------------------------

namespace {

// transformers' _compute_default_rope_parameters: 1 / base^(arange(0, d, 2) / d), in fp32.
at::Tensor defaultInvFreq(double base, int64_t dim, at::Device device)
{
    const at::Tensor exponent =
        at::arange(0, dim, 2, at::TensorOptions().dtype(at::kLong)).to(at::kFloat) / double(dim);
    return at::pow(base, exponent).reciprocal().to(device);
}

} // namespace

void Rope::init(const RopeConfig &cfg, int64_t headDim, int64_t maxPositions, at::Device device)
{
    m_cfg = cfg;
    m_headDim = headDim;
    m_maxPositions = maxPositions;
    m_device = device;
    at::Tensor inv = defaultInvFreq(cfg.theta, headDim, at::kCPU);
    switch (cfg.type) {
    case RopeType::Default:
    case RopeType::Dynamic: // scaled only beyond the trained length, per forward
        break;
    case RopeType::Linear:
        inv = inv / cfg.factor;
        break;
    case RopeType::Llama3: {
        // transformers' _compute_llama3_parameters.
        const double factor = cfg.factor;
        const double low = cfg.lowFreqFactor, high = cfg.highFreqFactor;
        const double oldContext = double(cfg.originalMaxPositions);
        const double lowFreqWavelen = oldContext / low;
        const double highFreqWavelen = oldContext / high;
        const at::Tensor wavelen = inv.reciprocal() * (2 * M_PI);
        at::Tensor scaled = at::where(wavelen > lowFreqWavelen, inv / factor, inv);
        const at::Tensor smooth = (wavelen.reciprocal() * oldContext - low) / (high - low);
        const at::Tensor smoothed = (1 - smooth) * scaled / factor + smooth * scaled;
        const at::Tensor medium =
            wavelen.ge(highFreqWavelen).logical_and(wavelen.le(lowFreqWavelen));
        inv = at::where(medium, smoothed, scaled);
        break;
    }
    }
    m_invFreq = inv.to(device);
}

at::Tensor Rope::invFreq(int64_t seqLen) const
{
    const int64_t original =
        m_cfg.originalMaxPositions > 0 ? m_cfg.originalMaxPositions : m_maxPositions;
    if (m_cfg.type != RopeType::Dynamic || seqLen <= original)
        return m_invFreq;
    // transformers' _compute_dynamic_ntk_parameters (the NTK-aware base grows with the length).
    const double dim = double(m_headDim);
    const double base = m_cfg.theta * std::pow(m_cfg.factor * double(seqLen) / double(original) -
                                                   (m_cfg.factor - 1),
                                               dim / (dim - 2));
    return defaultInvFreq(base, m_headDim, m_device);
}

std::pair<at::Tensor, at::Tensor> Rope::cosSin(const at::Tensor &positions,
                                               at::ScalarType dtype) const
{
    at::Tensor inv = m_invFreq.view({1, 1, -1});
    if (m_cfg.type == RopeType::Dynamic && positions.numel() > 0) {
        // transformers rescales for the longest position in the forward (max(position_ids) + 1).
        // Per row here, so that a sequence gets the same rotation batched as alone.
        const at::Tensor rowMax = std::get<0>(positions.max(1)).to(at::kCPU);
        std::vector<at::Tensor> rows;
        bool scaled = false;
        for (int64_t b = 0; b < rowMax.size(0); ++b) {
            rows.push_back(invFreq(rowMax[b].item<int64_t>() + 1));
            scaled = scaled || !rows.back().is_same(m_invFreq);
        }
        if (scaled)
            inv = at::stack(rows).unsqueeze(1); // [B, 1, D/2]
    }
    const at::Tensor freqs = positions.to(at::kFloat).unsqueeze(-1) * inv;
    const at::Tensor emb = at::cat({freqs, freqs}, -1);
    return {emb.cos().to(dtype), emb.sin().to(dtype)};
}

// ---- KV cache -------------------------------------------------------------------------------

void KvCache::reserve(int64_t extra, bool exact)
{
    if (k.empty())
        return;
    const int64_t capacity = k[0].size(2);
    if (exact ? length + extra == capacity : length + extra <= capacity)
        return;
    const int64_t grown = exact ? length + extra : std::max(length + extra, capacity * 2);
    for (auto *list : {&k, &v}) {
        for (at::Tensor &t : *list) {
            at::Tensor bigger = at::empty({t.size(0), t.size(1), grown, t.size(3)}, t.options());
            if (length > 0)
                bigger.narrow(2, 0, length).copy_(t.narrow(2, 0, length));
            t = bigger;
        }
    }
}

KvCache Model::newCache(int64_t rows) const
{
    KvCache c;
    c.rows = rows;
    const auto opts = at::TensorOptions().dtype(dtype).device(device);
    for (int64_t i = 0; i < config.numLayers; ++i) {
        c.k.push_back(at::empty({rows, config.numKvHeads, 0, config.headDim}, opts));
        c.v.push_back(at::empty({rows, config.numKvHeads, 0, config.headDim}, opts));
    }
    c.valid = at::zeros({rows, 0}, at::TensorOptions().dtype(at::kBool).device(device));
    c.nextPos = at::zeros({rows}, at::TensorOptions().dtype(at::kLong).device(device));
    return c;
}

// ---- forward --------------------------------------------------------------------------------

namespace {

at::Tensor rmsNorm(const at::Tensor &x, const at::Tensor &weight, double eps)
{
    at::Tensor h = x.to(at::kFloat);
    const at::Tensor variance = h.pow(2).mean(-1, /*keepdim=*/true);
    h = h * at::rsqrt(variance + eps);
    return weight * h.to(x.scalar_type());
}

at::Tensor rotateHalf(const at::Tensor &x)
{
    const int64_t half = x.size(-1) / 2;
    return at::cat({-x.narrow(-1, half, half), x.narrow(-1, 0, half)}, -1);
}

// q [B, H, T, D]; k, v [B, KV, L, D]; mask additive [B, 1, T, L] or undefined. -> [B, H, T, D]
at::Tensor attention(const at::Tensor &q, const at::Tensor &k, const at::Tensor &v,
                     const at::Tensor &mask)
{
    [[maybe_unused]] const int64_t B = q.size(0), H = q.size(1), T = q.size(2), D = q.size(3);
    [[maybe_unused]] const int64_t KV = k.size(1), L = k.size(2), G = H / KV;
#if TORCH_VERSION_MAJOR >= 2
    // An undefined tensor inside an optional is not "no mask" to every SDPA backend.
    const c10::optional<at::Tensor> attnMask =
        mask.defined() ? c10::optional<at::Tensor>(mask) : c10::optional<at::Tensor>();
#if TORCH_VERSION_MAJOR > 2 || TORCH_VERSION_MINOR >= 5
    return at::scaled_dot_product_attention(q, k, v, attnMask, 0.0, false, c10::nullopt,
                                            /*enable_gqa=*/G > 1);
#else
    at::Tensor kk = k, vv = v;
    if (G > 1) { // repeat_kv: head h reads KV head h / G
        kk = k.unsqueeze(2).expand({B, KV, G, L, D}).reshape({B, H, L, D});
        vv = v.unsqueeze(2).expand({B, KV, G, L, D}).reshape({B, H, L, D});
    }
    return at::scaled_dot_product_attention(q, kk, vv, attnMask);
#endif
#else
    // Grouped matmul: the G query heads of one KV head share its keys without copying them.
    const at::Tensor qg = q.reshape({B, KV, G * T, D});
    at::Tensor scores = at::matmul(qg, k.transpose(-1, -2)) * (1.0 / std::sqrt(double(D)));
    if (mask.defined())
        scores =
            (scores.view({B, KV, G, T, L}) + mask.view({B, 1, 1, T, L})).view({B, KV, G * T, L});
    const at::Tensor probs = at::softmax(scores, -1, at::kFloat).to(q.scalar_type());
    return at::matmul(probs, v).view({B, H, T, D});
#endif
}

} // namespace

at::Tensor Model::cachedLayer(size_t i, const at::Tensor &x, const at::Tensor &cos,
                              const at::Tensor &sin, const AttendFn &attend) const
{
    const ModelConfig &c = config;
    const Layer &layer = w.layers[i];
    const int64_t B = x.size(0), T = x.size(1);
    const int64_t NH = c.numHeads, KV = c.numKvHeads, D = c.headDim;
    at::Tensor h = rmsNorm(x, layer.inputNorm, c.rmsNormEps);
    at::Tensor q, k, v;
    if (layer.qkvWeight.defined()) {
        // One GEMM, and the rotation applied to q and k's heads together.
        const at::Tensor qkv = (layer.qkvBias.defined()
                                    ? at::linear(h, layer.qkvWeight, layer.qkvBias)
                                    : at::linear(h, layer.qkvWeight))
                                   .view({B, T, NH + 2 * KV, D});
        at::Tensor qk = qkv.narrow(2, 0, NH + KV).transpose(1, 2);
        qk = qk * cos + rotateHalf(qk) * sin;
        q = qk.narrow(1, 0, NH);
        k = qk.narrow(1, NH, KV);
        v = qkv.narrow(2, NH + KV, KV).transpose(1, 2);
    } else {
        q = layer.q.forward(h).view({B, T, NH, D}).transpose(1, 2);
        k = layer.k.forward(h).view({B, T, KV, D}).transpose(1, 2);
        v = layer.v.forward(h).view({B, T, KV, D}).transpose(1, 2);
        q = q * cos + rotateHalf(q) * sin;
        k = k * cos + rotateHalf(k) * sin;
    }
    const at::Tensor attn = attend(q, k, v);
    at::Tensor out = x + layer.o.forward(attn.transpose(1, 2).reshape({B, T, NH * D}));
    h = rmsNorm(out, layer.postNorm, c.rmsNormEps);
    if (layer.gateUpWeight.defined()) {
        const at::Tensor gu = layer.gateUpBias.defined()
                                  ? at::linear(h, layer.gateUpWeight, layer.gateUpBias)
                                  : at::linear(h, layer.gateUpWeight);
        const int64_t I = gu.size(-1) / 2;
        return out + layer.down.forward(at::silu(gu.narrow(-1, 0, I)) * gu.narrow(-1, I, I));
    }
    return out + layer.down.forward(at::silu(layer.gate.forward(h)) * layer.up.forward(h));
}

at::Tensor Model::decodeStatic(const at::Tensor &ids, const at::Tensor &pos, const at::Tensor &slot,
                               const at::Tensor &valid, KvCache &cache) const
{
    auto [cos, sin] = rope.cosSin(pos, dtype);
    cos = cos.unsqueeze(1);
    sin = sin.unsqueeze(1);
    const int64_t B = ids.size(0), capacity = valid.size(1);
#if TORCH_VERSION_MAJOR >= 2
    const at::Tensor mask = valid.view({B, 1, 1, capacity}); // true: attend
#else
    const at::Tensor mask = at::zeros({B, 1, 1, capacity}, at::TensorOptions().dtype(dtype).device(device))
                                .masked_fill(valid.logical_not().view({B, 1, 1, capacity}),
                                             lowestValue(dtype));
#endif
    at::Tensor x = w.embed.rows(ids, dtype);
    for (size_t i = 0; i < w.layers.size(); ++i)
        x = cachedLayer(i, x, cos, sin, [&](const at::Tensor &q, const at::Tensor &k, const at::Tensor &v) {
            if (slot.dim() == 2) { // a slot per row
                const at::Tensor where = slot.view({B, 1, 1, 1}).expand({B, k.size(1), 1, k.size(3)});
                cache.k[i].scatter_(2, where, k);
                cache.v[i].scatter_(2, where, v);
            } else {
                cache.k[i].index_copy_(2, slot, k);
                cache.v[i].index_copy_(2, slot, v);
            }
            return attention(q.contiguous(), cache.k[i], cache.v[i], mask);
        });
    return logitsOf(rmsNorm(x, w.norm, config.rmsNormEps).select(1, 0));
}

at::Tensor Model::forward(const at::Tensor &ids, const at::Tensor &chunkValid, KvCache &cache) const
{
    const ModelConfig &c = config;
    const int64_t B = ids.size(0), T = ids.size(1);
    if (B != cache.rows)
        throw Error(ErrorCode::Internal, "batch of " + std::to_string(B) + " rows for a cache of " +
                                             std::to_string(cache.rows));

    // Positions count real tokens only (left padding does not shift them); padding gets 1, as
    // transformers does.
    at::Tensor pos = cache.nextPos.unsqueeze(1) + chunkValid.to(at::kLong).cumsum(1) - 1;
    pos = at::where(chunkValid, pos, at::ones_like(pos));
    auto [cos, sin] = rope.cosSin(pos, dtype);
    cos = cos.unsqueeze(1);
    sin = sin.unsqueeze(1);

    const int64_t L0 = cache.length, L = L0 + T;
    const at::Tensor valid = at::cat({cache.valid, chunkValid}, 1);
    at::Tensor mask;
    const bool needMask =
        T > 1 || !valid.all().item<bool>() || (c.slidingWindow && L > *c.slidingWindow);
    if (needMask) {
        const auto longOpts = at::TensorOptions().dtype(at::kLong).device(device);
        const at::Tensor keyIdx = at::arange(L, longOpts).unsqueeze(0);       // [1, L]
        const at::Tensor queryIdx = at::arange(L0, L, longOpts).unsqueeze(1); // [T, 1]
        at::Tensor allowed = keyIdx.le(queryIdx);
        if (c.slidingWindow)
            allowed = allowed.logical_and((queryIdx - keyIdx).lt(*c.slidingWindow));
        allowed = allowed.unsqueeze(0).logical_and(valid.unsqueeze(1)); // [B, T, L]
        // finfo.min rather than -inf: a padding query with nothing to attend to gets a uniform
        // row instead of NaN, which would otherwise leak through its keys into real rows.
        mask = at::zeros({B, 1, T, L}, at::TensorOptions().dtype(dtype).device(device))
                   .masked_fill(allowed.logical_not().unsqueeze(1), lowestValue(dtype));
    }
    cache.reserve(T);

    at::Tensor x = w.embed.rows(ids, dtype);
    for (size_t i = 0; i < w.layers.size(); ++i)
        x = cachedLayer(i, x, cos, sin, [&](const at::Tensor &q, const at::Tensor &k, const at::Tensor &v) {
            cache.k[i].narrow(2, L0, T).copy_(k);
            cache.v[i].narrow(2, L0, T).copy_(v);
            return attention(q.contiguous(), cache.k[i].narrow(2, 0, L), cache.v[i].narrow(2, 0, L),
                             mask);
        });
    x = rmsNorm(x, w.norm, c.rmsNormEps);

    cache.length = L;
    cache.valid = valid;
    cache.nextPos = cache.nextPos + chunkValid.to(at::kLong).sum(1);
    return x;
}

at::Tensor Model::logitsOf(const at::Tensor &hidden) const
{
    return w.head().forward(hidden).to(at::kFloat);
}

// ---- training forward ---------------------------------------------------------------------

namespace {

// Causal self-attention without a cache. q [B, H, T, D]; k, v [B, KV, T, D].
at::Tensor causalAttention(const at::Tensor &q, const at::Tensor &k, const at::Tensor &v,
                           const std::optional<int64_t> &slidingWindow)
{
    const int64_t B = q.size(0), H = q.size(1), T = q.size(2), D = q.size(3);
    const int64_t KV = k.size(1), G = H / KV;
    const bool windowed = slidingWindow && T > *slidingWindow;
#if TORCH_VERSION_MAJOR >= 2
    if (!windowed) {
#if TORCH_VERSION_MAJOR > 2 || TORCH_VERSION_MINOR >= 5
        return at::scaled_dot_product_attention(q, k, v, c10::nullopt, 0.0, /*is_causal=*/true,
                                                c10::nullopt, /*enable_gqa=*/G > 1);
#else
        at::Tensor kk = k, vv = v;
        if (G > 1) {
            kk = k.unsqueeze(2).expand({B, KV, G, T, D}).reshape({B, H, T, D});
            vv = v.unsqueeze(2).expand({B, KV, G, T, D}).reshape({B, H, T, D});
        }
        return at::scaled_dot_product_attention(q, kk, vv, c10::nullopt, 0.0, true);
#endif
    }
#endif
    const auto longOpts = at::TensorOptions().dtype(at::kLong).device(q.device());
    const at::Tensor idx = at::arange(T, longOpts);
    at::Tensor allowed = idx.unsqueeze(0).le(idx.unsqueeze(1)); // [T(query), T(key)]
    if (windowed)
        allowed = allowed.logical_and((idx.unsqueeze(1) - idx.unsqueeze(0)).lt(*slidingWindow));
    const at::Tensor qg = q.reshape({B, KV, G * T, D});
    at::Tensor scores = at::matmul(qg, k.transpose(-1, -2)) * (1.0 / std::sqrt(double(D)));
    scores = scores.view({B, KV, G, T, T})
                 .masked_fill(allowed.logical_not().view({1, 1, 1, T, T}),
                              -std::numeric_limits<float>::infinity())
                 .view({B, KV, G * T, T});
    const at::Tensor probs = at::softmax(scores, -1, at::kFloat).to(q.scalar_type());
    return at::matmul(probs, v).view({B, H, T, D});
}

// Recomputes a decoder layer in backward instead of keeping its activations (libtorch has no
// torch.utils.checkpoint). The layer's trainable tensors are leaves it reaches directly, so the
// recompute's backward accumulates their gradients, as PyTorch's reentrant checkpoint does.
struct CheckpointedLayer : public torch::autograd::Function<CheckpointedLayer>
{
    static at::Tensor forward(torch::autograd::AutogradContext *ctx, at::Tensor x,
                              at::Tensor cos, at::Tensor sin, int64_t modelPtr, int64_t layer,
                              int64_t seed)
    {
        const Model *model = reinterpret_cast<const Model *>(modelPtr);
        ctx->saved_data["model"] = modelPtr;
        ctx->saved_data["layer"] = layer;
        ctx->saved_data["seed"] = seed;
        ctx->saved_data["cos"] = cos;
        ctx->saved_data["sin"] = sin;
        ctx->save_for_backward({x});
        at::NoGradGuard noGrad;
        if (seed)
            torch::manual_seed(uint64_t(seed));
        return model->layerForward(size_t(layer), x, cos, sin, true);
    }

    static torch::autograd::variable_list backward(torch::autograd::AutogradContext *ctx,
                                                   torch::autograd::variable_list gradOut)
    {
        const Model *model = reinterpret_cast<const Model *>(ctx->saved_data["model"].toInt());
        const int64_t layer = ctx->saved_data["layer"].toInt();
        const int64_t seed = ctx->saved_data["seed"].toInt();
        const at::Tensor cos = ctx->saved_data["cos"].toTensor();
        const at::Tensor sin = ctx->saved_data["sin"].toTensor();
        at::Tensor x = ctx->get_saved_variables()[0].detach().requires_grad_(true);
        {
            at::AutoGradMode enable(true);
            if (seed)
                torch::manual_seed(uint64_t(seed));
            const at::Tensor y = model->layerForward(size_t(layer), x, cos, sin, true);
            torch::autograd::backward({y}, {gradOut[0]});
        }
        return {x.grad(), at::Tensor(), at::Tensor(), at::Tensor(), at::Tensor(), at::Tensor()};
    }
};

} // namespace

at::Tensor Model::layerForward(size_t i, const at::Tensor &x, const at::Tensor &cos,
                               const at::Tensor &sin, bool training) const
{
    const ModelConfig &c = config;
    const int64_t B = x.size(0), T = x.size(1);
    const int64_t NH = c.numHeads, KV = c.numKvHeads, D = c.headDim;
    const Layer &layer = w.layers[i];
    at::Tensor h = rmsNorm(x, layer.inputNorm, c.rmsNormEps);
    at::Tensor q = layer.q.forward(h, training).view({B, T, NH, D}).transpose(1, 2);
    at::Tensor k = layer.k.forward(h, training).view({B, T, KV, D}).transpose(1, 2);
    at::Tensor v = layer.v.forward(h, training).view({B, T, KV, D}).transpose(1, 2);
    q = q * cos + rotateHalf(q) * sin;
    k = k * cos + rotateHalf(k) * sin;
    const at::Tensor attn = causalAttention(q, k, v, c.slidingWindow);
    at::Tensor out = x + layer.o.forward(attn.transpose(1, 2).reshape({B, T, NH * D}), training);
    h = rmsNorm(out, layer.postNorm, c.rmsNormEps);
    return out + layer.down.forward(
                     at::silu(layer.gate.forward(h, training)) * layer.up.forward(h, training),
                     training);
}

at::Tensor Model::trainForward(const at::Tensor &ids, bool checkpointing,
                               uint64_t dropoutSeed) const
{
    const int64_t B = ids.size(0), T = ids.size(1);
    const at::Tensor pos =
        at::arange(T, at::TensorOptions().dtype(at::kLong).device(device)).unsqueeze(0).expand({B, T});
    auto [cos, sin] = rope.cosSin(pos, dtype);
    cos = cos.unsqueeze(1);
    sin = sin.unsqueeze(1);
    at::Tensor x = w.embed.rows(ids, dtype);
    // A checkpointed layer's output requires grad only if its input does: with frozen
    // embeddings (LoRA) make the input a leaf that does, as transformers'
    // enable_input_require_grads does, so gradients reach the adapters inside.
    if (checkpointing && at::GradMode::is_enabled() && !x.requires_grad())
        x = x.detach().requires_grad_(true);
    const bool dropout = hasLora && lora.dropout > 0;
    for (size_t i = 0; i < w.layers.size(); ++i) {
        // One seed per layer, so the recompute of a checkpointed layer draws the same masks.
        const int64_t seed =
            dropout ? int64_t((dropoutSeed * 1000003ULL + i * 7919ULL + 1) & 0x7fffffffffffULL) : 0;
        if (checkpointing && at::GradMode::is_enabled()) {
            x = CheckpointedLayer::apply(x, cos, sin, reinterpret_cast<int64_t>(this), int64_t(i),
                                         seed);
        } else {
            const bool training = at::GradMode::is_enabled();
            if (seed && training)
                torch::manual_seed(uint64_t(seed));
            x = layerForward(i, x, cos, sin, training);
        }
    }
    return rmsNorm(x, w.norm, config.rmsNormEps);
}

// ---- helpers --------------------------------------------------------------------------------

bool halfMatmulWorks(at::Device device, at::ScalarType dtype)
{
    if (dtype == at::kFloat || dtype == at::kDouble)
        return true;
    try {
        const at::Tensor a = at::ones({2, 2}, at::TensorOptions().dtype(dtype).device(device));
        (void)at::mm(a, a);
        (void)at::matmul(a.view({1, 1, 2, 2}), a.view({1, 1, 2, 2}));
        return true;
    } catch (const c10::Error &) { // e.g. libtorch 1.13 has no Half GEMM on the CPU
        return false;
    }
}

namespace {

// Stacks the weights of `parts` by rows into one tensor and makes each part's weight a view
// of its rows. Returns the stacked weight (undefined when a part cannot join).
at::Tensor stackRows(std::initializer_list<Linear *> parts, at::Tensor *stackedBias)
{
    bool biases = true, none = true;
    for (const Linear *l : parts) {
        if (l->quantized() || l->upcast || l->lora || !l->weight.defined())
            return {};
        biases = biases && l->bias.defined();
        none = none && !l->bias.defined();
    }
    if (!biases && !none)
        return {};
    std::vector<at::Tensor> weights, bs;
    for (const Linear *l : parts) {
        weights.push_back(l->weight);
        if (biases)
            bs.push_back(l->bias);
    }
    const at::Tensor stacked = at::cat(weights, 0);
    at::Tensor stackedB = biases ? at::cat(bs, 0) : at::Tensor();
    int64_t row = 0;
    for (Linear *l : parts) {
        const int64_t n = l->weight.size(0);
        l->weight = stacked.narrow(0, row, n);
        if (biases)
            l->bias = stackedB.narrow(0, row, n);
        row += n;
    }
    *stackedBias = stackedB;
    return stacked;
}

} // namespace

double lowestValue(at::ScalarType dtype)
{
    if (dtype == at::kHalf)
        return -65504.0;
    if (dtype == at::kBFloat16)
        return -3.3895313892515355e38;
    return double(std::numeric_limits<float>::lowest());
}

void fuseProjections(Model &model)
{
    at::NoGradGuard noGrad;
    for (Layer &layer : model.w.layers) {
        layer.qkvWeight = stackRows({&layer.q, &layer.k, &layer.v}, &layer.qkvBias);
        if (!layer.qkvWeight.defined())
            layer.qkvBias = at::Tensor();
        layer.gateUpWeight = stackRows({&layer.gate, &layer.up}, &layer.gateUpBias);
        if (!layer.gateUpWeight.defined())
            layer.gateUpBias = at::Tensor();
    }
}

at::ScalarType scalarTypeOf(DType dtype)
{
    switch (dtype) {
    case DType::F32:
        return at::kFloat;
    case DType::F16:
        return at::kHalf;
    case DType::BF16:
        return at::kBFloat16;
    case DType::F64:
        return at::kDouble;
    default:
        break;
    }
    throw Error(ErrorCode::Unsupported, std::string("compute dtype ") + dtypeName(dtype) +
                                            " is not supported; use F32, F16 or BF16");
}

at::Device parseDevice(const std::string &name)
{
    at::Device device = at::kCPU;
    try {
        device = at::Device(name);
    } catch (const std::exception &) {
        throw Error(ErrorCode::Validation,
                    "unknown device '" + name + "'; use cpu, cuda or cuda:N");
    }
    if (device.is_cpu())
        return device;
    if (!device.is_cuda())
        throw Error(ErrorCode::Unsupported,
                    "device '" + name + "' is not supported; use cpu, cuda or cuda:N");
    if (!torch::cuda::is_available())
        throw Error(ErrorCode::Unsupported,
                    "CUDA is not available (this build of libtorch has no CUDA, or no GPU is "
                    "visible); use device cpu");
    const int64_t count = int64_t(torch::cuda::device_count());
    const int64_t index = device.has_index() ? device.index() : 0;
    if (index >= count)
        throw Error(ErrorCode::Validation, "device '" + name + "' does not exist: " +
                                               std::to_string(count) + " CUDA device(s) visible");
    return at::Device(at::kCUDA, c10::DeviceIndex(index));
}

at::Tensor tensorFromView(const TensorView &view)
{
    at::ScalarType type = at::kFloat;
    switch (view.dtype) {
    case DType::F32:
    case DType::F16:
    case DType::BF16:
    case DType::F64:
        type = scalarTypeOf(view.dtype);
        break;
    default:
        throw Error(ErrorCode::Unsupported, view.name + " is " + dtypeName(view.dtype) +
                                                "; only F16, BF16, F32 and F64 weights load");
    }
    at::Tensor t = at::empty(view.shape, at::TensorOptions().dtype(type));
    if (size_t(t.numel()) * t.element_size() != view.bytes)
        throw Error(ErrorCode::Internal, view.name + ": byte count does not match its shape");
    std::memcpy(t.data_ptr(), view.data, view.bytes);
    return t;
}

std::pair<at::Tensor, at::Tensor> leftPad(const std::vector<std::vector<int32_t>> &rows,
                                          at::Device device, int32_t padId)
{
    size_t T = 0;
    for (const auto &r : rows)
        T = std::max(T, r.size());
    const int64_t B = int64_t(rows.size());
    at::Tensor ids = at::full({B, int64_t(T)}, int64_t(padId), at::kLong);
    at::Tensor valid = at::zeros({B, int64_t(T)}, at::kBool);
    auto idsA = ids.accessor<int64_t, 2>();
    auto validA = valid.accessor<bool, 2>();
    for (int64_t b = 0; b < B; ++b) {
        const auto &r = rows[size_t(b)];
        const size_t offset = T - r.size();
        for (size_t t = 0; t < r.size(); ++t) {
            idsA[b][int64_t(offset + t)] = r[t];
            validA[b][int64_t(offset + t)] = true;
        }
    }
    return {ids.to(device), valid.to(device)};
}

} // namespace wb::model

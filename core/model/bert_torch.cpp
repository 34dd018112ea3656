// The BERT encoder's forward pass and SentenceEncoder: embeddings (word + position +
// token type, LayerNorm), post-LN encoder layers (masked self-attention, GELU FFN), then
// sentence-transformers' pooling and normalisation. Numerics follow transformers'
// modeling_bert.py, so fp32 vectors match sentence-transformers to ~1e-6.

#include "model/bert.h"

#include "common/error.h"
#include "common/files.h"
#include "common/sha256.h"
#include "formats/checkpoint.h"
#include "model/llama_torch.h" // scalarTypeOf, halfMatmulWorks
#include "tokenizer/added_tokens.h"
#include "tokenizer/tokenizer.h"
#include "tokenizer/unicode.h"

#include <torch/torch.h>
#include <torch/version.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <limits>
#include <numeric>

namespace wb {

namespace {

struct EncoderLayer
{
    at::Tensor qkvW, qkvB; // query, key, value stacked: [3H, H], [3H]
    at::Tensor outW, outB, ln1W, ln1B;
    at::Tensor upW, upB, downW, downB, ln2W, ln2B;
};


std::string shapeText(const std::vector<int64_t> &shape)
{
    std::string s = "[";
    for (size_t i = 0; i < shape.size(); ++i)
        s += (i ? ", " : "") + std::to_string(shape[i]);
    return s + "]";
}

std::string hex16(uint64_t v)
{
    static const char *digits = "0123456789abcdef";
    std::string s(16, '0');
    for (int i = 15; i >= 0; --i, v >>= 4)
        s[size_t(i)] = digits[v & 15];
    return s;
}

} // namespace

struct SentenceEncoder::Impl
{
    std::filesystem::path dir;
    SentenceEncoderFolder folder;
    SentenceEncoderOptions options;
    std::unique_ptr<Tokenizer> tokenizer;
    at::Device device = at::kCPU;
    at::ScalarType dtype = at::kFloat;
    bool normalize = false;
    int64_t maxLength = 0;
    int32_t padId = 0;
    uint64_t parameters = 0;
    std::string id;

    at::Tensor wordEmb, posEmb, typeRow, embLnW, embLnB;
    std::vector<EncoderLayer> layers;

    void loadWeights(const Checkpoint &ckpt, Sha256 &digest);
    at::Tensor activation(const at::Tensor &x) const;
    at::Tensor forward(const at::Tensor &ids, const at::Tensor &valid) const; // [B, T, H]
    at::Tensor pool(const at::Tensor &hidden, const at::Tensor &valid) const; // F32 [B, dim]
};

void SentenceEncoder::Impl::loadWeights(const Checkpoint &ckpt, Sha256 &digest)
{
    const BertConfig &c = folder.bert;
    // BertModel files name tensors "embeddings...", BertForMaskedLM & co "bert.embeddings...".
    std::string prefix;
    if (!ckpt.contains("embeddings.word_embeddings.weight") && ckpt.contains("bert.embeddings.word_embeddings.weight"))
        prefix = "bert.";
    std::vector<std::string> missing;
    // Old checkpoints name LayerNorm parameters gamma / beta.
    auto find = [&](const std::string &name) -> const TensorView * {
        if (ckpt.contains(prefix + name))
            return &ckpt.tensor(prefix + name);
        for (const auto &[from, to] : {std::pair<std::string, std::string>{"LayerNorm.weight", "LayerNorm.gamma"},
                                       {"LayerNorm.bias", "LayerNorm.beta"}}) {
            const size_t at = name.rfind(from);
            if (at != std::string::npos && at + from.size() == name.size()) {
                const std::string old = prefix + name.substr(0, at) + to;
                if (ckpt.contains(old))
                    return &ckpt.tensor(old);
            }
        }
        missing.push_back(prefix + name);
        return nullptr;
    };
    auto take = [&](const std::string &name, std::vector<int64_t> shape, const std::string &why) -> at::Tensor {
        const TensorView *view = find(name);
        if (!view)
            return {};
        if (view->shape != shape)
            throw Error(ErrorCode::Validation,
                        view->name + " has shape " + shapeText(view->shape) + ", config.json says "
                            + shapeText(shape) + " (" + why + ")",
                        ckpt.dir().string());
        at::Tensor t = model::tensorFromView(*view);
        // The digest sees the name, shape and the first and last 4 KB of every tensor: a
        // fine-tuned checkpoint of the same shape differs there.
        const size_t sample = std::min<size_t>(view->bytes, 4096);
        digest.update(view->name);
        digest.update(shapeText(view->shape));
        digest.update(view->data, sample);
        digest.update(view->data + view->bytes - sample, sample);
        parameters += uint64_t(t.numel());
        return t.to(dtype).to(device);
    };
    const int64_t H = c.hiddenSize, I = c.intermediateSize;
    const std::string h = "hidden_size=" + std::to_string(H);
    wordEmb = take("embeddings.word_embeddings.weight", {c.vocabSize, H}, "vocab_size × hidden_size");
    posEmb = take("embeddings.position_embeddings.weight", {c.maxPositions, H},
                  "max_position_embeddings × hidden_size");
    at::Tensor types = take("embeddings.token_type_embeddings.weight", {c.typeVocabSize, H},
                            "type_vocab_size × hidden_size");
    if (types.defined())
        typeRow = types[0]; // one sequence: every token_type_id is 0
    embLnW = take("embeddings.LayerNorm.weight", {H}, h);
    embLnB = take("embeddings.LayerNorm.bias", {H}, h);
    for (int64_t i = 0; i < c.numLayers; ++i) {
        const std::string p = "encoder.layer." + std::to_string(i) + ".";
        EncoderLayer l;
        std::vector<at::Tensor> w, b;
        for (const char *part : {"query", "key", "value"}) {
            w.push_back(take(p + "attention.self." + part + ".weight", {H, H}, h));
            b.push_back(take(p + "attention.self." + part + ".bias", {H}, h));
        }
        l.outW = take(p + "attention.output.dense.weight", {H, H}, h);
        l.outB = take(p + "attention.output.dense.bias", {H}, h);
        const std::string ln1 = p + "attention.output.LayerNorm.";
        l.ln1W = take(ln1 + "weight", {H}, h);
        l.ln1B = take(ln1 + "bias", {H}, h);
        const std::string ffn = "intermediate_size=" + std::to_string(I) + ", " + h;
        l.upW = take(p + "intermediate.dense.weight", {I, H}, ffn);
        l.upB = take(p + "intermediate.dense.bias", {I}, ffn);
        l.downW = take(p + "output.dense.weight", {H, I}, ffn);
        l.downB = take(p + "output.dense.bias", {H}, h);
        l.ln2W = take(p + "output.LayerNorm.weight", {H}, h);
        l.ln2B = take(p + "output.LayerNorm.bias", {H}, h);
        if (missing.empty()) {
            l.qkvW = at::cat(w, 0).contiguous();
            l.qkvB = at::cat(b, 0).contiguous();
        }
        layers.push_back(std::move(l));
    }
    if (!missing.empty()) {
        std::string list;
        for (size_t i = 0; i < missing.size() && i < 6; ++i)
            list += (i ? ", " : "") + missing[i];
        if (missing.size() > 6)
            list += " and " + std::to_string(missing.size() - 6) + " more";
        throw Error(ErrorCode::Validation,
                    "the checkpoint lacks " + std::to_string(missing.size()) + " tensor(s) of a "
                        + std::to_string(c.numLayers) + "-layer BERT: " + list,
                    ckpt.dir().string());
    }
}

at::Tensor SentenceEncoder::Impl::activation(const at::Tensor &x) const
{
    const std::string &act = folder.bert.hiddenAct;
    if (act == "gelu")
        return at::gelu(x);
    if (act == "relu")
        return at::relu(x);
    if (act == "silu" || act == "swish")
        return at::silu(x);
    return at::gelu(x, "tanh"); // gelu_new, gelu_pytorch_tanh, gelu_fast
}

at::Tensor SentenceEncoder::Impl::forward(const at::Tensor &ids, const at::Tensor &valid) const
{
    const BertConfig &c = folder.bert;
    const int64_t B = ids.size(0), T = ids.size(1), H = c.hiddenSize;
    const int64_t heads = c.numHeads, hd = c.headDim();
    const at::Tensor positions = at::arange(T, ids.options());
    at::Tensor x = at::embedding(wordEmb, ids) + at::embedding(posEmb, positions).unsqueeze(0) + typeRow;
    x = at::layer_norm(x, {H}, embLnW, embLnB, c.layerNormEps);
#if TORCH_VERSION_MAJOR >= 2
    const at::Tensor mask = valid.view({B, 1, 1, T}); // true: attend
#else
    // transformers' extended mask: 0 where attended, the dtype's lowest value elsewhere.
    const at::Tensor mask = at::zeros({B, 1, 1, T}, x.options())
                                .masked_fill(valid.logical_not().view({B, 1, 1, T}),
                                             model::lowestValue(x.scalar_type()));
    const double scale = 1.0 / std::sqrt(double(hd));
#endif
    for (const EncoderLayer &l : layers) {
        const at::Tensor qkv = at::linear(x, l.qkvW, l.qkvB).view({B, T, 3, heads, hd}).permute({2, 0, 3, 1, 4});
        const at::Tensor q = qkv[0], k = qkv[1], v = qkv[2];
#if TORCH_VERSION_MAJOR >= 2
        at::Tensor ctx = at::scaled_dot_product_attention(q, k, v, mask);
#else
        at::Tensor scores = at::matmul(q, k.transpose(-1, -2)) * scale + mask;
        at::Tensor ctx = at::matmul(at::softmax(scores, -1), v);
#endif
        ctx = ctx.transpose(1, 2).reshape({B, T, H});
        x = at::layer_norm(at::linear(ctx, l.outW, l.outB) + x, {H}, l.ln1W, l.ln1B, c.layerNormEps);
        const at::Tensor up = activation(at::linear(x, l.upW, l.upB));
        x = at::layer_norm(at::linear(up, l.downW, l.downB) + x, {H}, l.ln2W, l.ln2B, c.layerNormEps);
    }
    return x;
}

at::Tensor SentenceEncoder::Impl::pool(const at::Tensor &hiddenIn, const at::Tensor &valid) const
{
    const at::Tensor hidden = hiddenIn.to(at::kFloat);
    const at::Tensor m = valid.to(at::kFloat).unsqueeze(-1); // [B, T, 1]
    const at::Tensor counts = m.sum(1).clamp_min(1e-9);      // [B, 1]
    std::vector<at::Tensor> parts;
    for (EncoderPooling mode : folder.pooling) {
        switch (mode) {
        case EncoderPooling::Cls:
            parts.push_back(hidden.select(1, 0));
            break;
        case EncoderPooling::Max:
            parts.push_back(hidden.masked_fill(m == 0, -1e9).amax(1));
            break;
        case EncoderPooling::Mean:
            parts.push_back((hidden * m).sum(1) / counts);
            break;
        case EncoderPooling::MeanSqrtLen:
            parts.push_back((hidden * m).sum(1) / counts.sqrt());
            break;
        case EncoderPooling::WeightedMean: {
            const at::Tensor w = at::arange(1, hidden.size(1) + 1, hidden.options()).view({1, -1, 1}) * m;
            parts.push_back((hidden * w).sum(1) / w.sum(1).clamp_min(1e-9));
            break;
        }
        case EncoderPooling::LastToken: {
            const at::Tensor last = (valid.to(at::kLong).sum(1) - 1).clamp_min(0);
            parts.push_back(hidden.index({at::arange(hidden.size(0), last.options()), last}));
            break;
        }
        }
    }
    at::Tensor out = parts.size() == 1 ? parts[0] : at::cat(parts, 1);
    if (normalize) // F.normalize(p=2, dim=1)
        out = out / out.norm(2, 1, true).clamp_min(1e-12);
    return out;
}

SentenceEncoder::SentenceEncoder(std::unique_ptr<Impl> impl) : m_impl(std::move(impl)) {}
SentenceEncoder::~SentenceEncoder() = default;

std::unique_ptr<SentenceEncoder> SentenceEncoder::load(const std::filesystem::path &dir,
                                                       const SentenceEncoderOptions &opts)
{
    if (opts.dtype != DType::F32 && opts.dtype != DType::F16 && opts.dtype != DType::BF16)
        throw Error(ErrorCode::Unsupported,
                    std::string("compute dtype ") + dtypeName(opts.dtype) + " is not supported; use F32, F16 or BF16");
    if (opts.threads < 0)
        throw Error(ErrorCode::Validation, "threads is " + std::to_string(opts.threads) + ", must be 0 (keep) or positive");
    auto impl = std::make_unique<Impl>();
    impl->dir = dir;
    impl->options = opts;
    impl->folder = readSentenceEncoderFolder(dir);
    impl->device = model::parseDevice(opts.device);
    if (opts.threads > 0)
        at::set_num_threads(opts.threads);
    impl->dtype = model::scalarTypeOf(opts.dtype);
    if (!model::halfMatmulWorks(impl->device, impl->dtype))
        impl->dtype = at::kFloat; // libtorch 1.13 has no half GEMM on the CPU
    impl->normalize = opts.normalize.value_or(impl->folder.normalize);
    impl->maxLength = opts.maxLength > 0 ? opts.maxLength : impl->folder.maxSeqLength;
    if (impl->maxLength > impl->folder.bert.maxPositions)
        throw Error(ErrorCode::Validation,
                    "maximum length " + std::to_string(impl->maxLength) + " is beyond the model's "
                        + std::to_string(impl->folder.bert.maxPositions) + " positions",
                    dir.string());

    impl->tokenizer = Tokenizer::load(dir);
    if (impl->tokenizer->vocabSize() > impl->folder.bert.vocabSize)
        throw Error(ErrorCode::Validation,
                    "the tokenizer has " + std::to_string(impl->tokenizer->vocabSize())
                        + " tokens but config.json's vocab_size is " + std::to_string(impl->folder.bert.vocabSize),
                    dir.string());
    impl->padId = impl->tokenizer->padId().value_or(0);

#if TORCH_VERSION_MAJOR > 2 || (TORCH_VERSION_MAJOR == 2 && TORCH_VERSION_MINOR >= 5)
    // cuDNN attention builds a plan per sequence length, and batch lengths vary (see load_torch.cpp).
    if (impl->device.is_cuda())
        at::globalContext().setSDPUseCuDNN(false);
#endif
    Sha256 digest;
    for (const char *name : {"config.json", "tokenizer.json", "modules.json", "sentence_bert_config.json"}) {
        std::error_code ec;
        if (std::filesystem::exists(dir / name, ec))
            digest.update(readFile(dir / name));
    }
    for (EncoderPooling p : impl->folder.pooling)
        digest.update(encoderPoolingName(p));
    digest.update(std::string(impl->normalize ? "normalised" : "raw") + ":" + std::to_string(impl->maxLength)
                  + ":" + (impl->folder.doLowerCase ? "lower" : "as-is"));
    {
        at::NoGradGuard noGrad;
        const auto ckpt = Checkpoint::open(dir);
        impl->loadWeights(*ckpt, digest);
    }
    const auto hash = digest.finish();
    uint64_t head = 0;
    for (int i = 0; i < 8; ++i)
        head = (head << 8) | hash[size_t(i)];
    std::string name = std::filesystem::absolute(dir).lexically_normal().filename().string();
    if (name.empty())
        name = std::filesystem::absolute(dir).lexically_normal().parent_path().filename().string();
    impl->id = "bert:" + name + "@" + hex16(head);
    return std::unique_ptr<SentenceEncoder>(new SentenceEncoder(std::move(impl)));
}

std::vector<int32_t> SentenceEncoder::tokenize(const std::string &text) const
{
    if (m_impl->folder.doLowerCase) {
        tok::requireUtf8(text);
        return m_impl->tokenizer->encodeTruncated(unicode::toLower(text), size_t(m_impl->maxLength));
    }
    return m_impl->tokenizer->encodeTruncated(text, size_t(m_impl->maxLength));
}

std::vector<std::vector<float>> SentenceEncoder::encode(const std::vector<std::string> &texts, int batchSize,
                                                        const CancelFn &cancel) const
{
    if (batchSize <= 0)
        throw Error(ErrorCode::Validation, "batch size must be positive, not " + std::to_string(batchSize));
    std::vector<std::vector<int32_t>> ids;
    ids.reserve(texts.size());
    for (const std::string &t : texts)
        ids.push_back(tokenize(t));
    // Longest first, as sentence-transformers does: rows of a batch have similar lengths.
    std::vector<size_t> order(texts.size());
    std::iota(order.begin(), order.end(), size_t(0));
    std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) { return ids[a].size() > ids[b].size(); });

    const Impl &m = *m_impl;
    std::vector<std::vector<float>> out(texts.size());
    at::NoGradGuard noGrad;
    for (size_t start = 0; start < order.size(); start += size_t(batchSize)) {
        if (cancel && cancel())
            throw Error(ErrorCode::Cancelled, "encoding was cancelled");
        const size_t rows = std::min(order.size() - start, size_t(batchSize));
        const int64_t T = int64_t(ids[order[start]].size());
        at::Tensor idT = at::full({int64_t(rows), T}, int64_t(m.padId), at::TensorOptions().dtype(at::kLong));
        at::Tensor validT = at::zeros({int64_t(rows), T}, at::TensorOptions().dtype(at::kBool));
        auto idA = idT.accessor<int64_t, 2>();
        auto validA = validT.accessor<bool, 2>();
        for (size_t r = 0; r < rows; ++r) {
            const std::vector<int32_t> &row = ids[order[start + r]];
            for (size_t t = 0; t < row.size(); ++t) {
                idA[int64_t(r)][int64_t(t)] = row[t];
                validA[int64_t(r)][int64_t(t)] = true;
            }
        }
        idT = idT.to(m.device);
        validT = validT.to(m.device);
        const at::Tensor pooled = m.pool(m.forward(idT, validT), validT).to(at::kCPU).contiguous();
        const int64_t dim = pooled.size(1);
        const float *p = pooled.data_ptr<float>();
        for (size_t r = 0; r < rows; ++r)
            out[order[start + r]].assign(p + int64_t(r) * dim, p + int64_t(r + 1) * dim);
    }
    return out;
}

int SentenceEncoder::dim() const
{
    return int(m_impl->folder.bert.hiddenSize * int64_t(m_impl->folder.pooling.size()));
}

std::string SentenceEncoder::id() const { return m_impl->id; }

std::string SentenceEncoder::describe() const
{
    const Impl &m = *m_impl;
    char size[32];
    std::snprintf(size, sizeof size, "%.1fM", double(m.parameters) / 1e6);
    std::string pooling;
    for (EncoderPooling p : m.folder.pooling)
        pooling += (pooling.empty() ? "" : "+") + std::string(encoderPoolingName(p));
    const char *dtype = m.dtype == at::kBFloat16 ? "bf16" : m.dtype == at::kHalf ? "fp16" : "fp32";
    return "BERT " + std::string(size) + " (" + std::to_string(m.folder.bert.numLayers) + " layers, "
        + std::to_string(m.folder.bert.hiddenSize) + " wide), " + pooling + " pooling, "
        + (m.normalize ? "normalised, " : "") + "max " + std::to_string(m.maxLength) + " tokens, " + dtype
        + " on " + m.device.str();
}

const SentenceEncoderFolder &SentenceEncoder::folder() const { return m_impl->folder; }
const SentenceEncoderOptions &SentenceEncoder::options() const { return m_impl->options; }
int64_t SentenceEncoder::maxLength() const { return m_impl->maxLength; }
bool SentenceEncoder::normalizes() const { return m_impl->normalize; }
const Tokenizer &SentenceEncoder::tokenizer() const { return *m_impl->tokenizer; }
uint64_t SentenceEncoder::parameterCount() const { return m_impl->parameters; }

} // namespace wb

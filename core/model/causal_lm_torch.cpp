// CausalLM's public API over Model: full forward, sessions with a KV cache, batched scoring of
// continuations and pooled embeddings.

#include "model/causal_lm_impl.h"

#include "common/error.h"
#include "model/device_memory.h"

#include <algorithm>
#include <cstdlib>
#include <numeric>

namespace wb {

using model::guarded;
using model::KvCache;
using model::Model;
using model::toVector;

struct CausalLM::BatchSession::Impl
{
    CausalLM::Impl *owner = nullptr;
    KvCache cache;
    std::vector<std::vector<int32_t>> tokens;
    int rows = 0;
    std::unique_ptr<model::DecodeGraph> graph; // single-token steps on CUDA (see DecodeGraph)
};

namespace {

// Slots a CUDA-graph decoder reserves at a time (a new graph is captured when they run out);
// WB_STATIC_DECODE_ROOM overrides it (tests use a few, to cross that boundary).
int64_t graphRoom()
{
    const char *room = std::getenv("WB_STATIC_DECODE_ROOM");
    return room ? std::max<int64_t>(1, std::atoll(room)) : 256;
}

// A step of one token per row, after a prefill, on a model the static decoder supports: CUDA
// graphs where they exist; WB_STATIC_DECODE=1 takes the same (eager) path on the CPU for tests.
bool useStaticStep(const model::Model &m, const std::vector<std::vector<int32_t>> &chunks)
{
    for (const auto &c : chunks)
        if (c.size() != 1)
            return false;
    bool cuda = false;
    if (!model::DecodeGraph::supports(m, &cuda))
        return false;
    if (cuda)
        return true;
    const char *force = std::getenv("WB_STATIC_DECODE");
    return force && std::string(force) == "1";
}

// Indices of `n` items sorted by decreasing `length`, so that a batch pads little.
template <typename F> std::vector<size_t> longestFirst(size_t n, F length)
{
    std::vector<size_t> order(n);
    std::iota(order.begin(), order.end(), size_t(0));
    std::stable_sort(order.begin(), order.end(),
                     [&](size_t a, size_t b) { return length(a) > length(b); });
    return order;
}

} // namespace

CausalLM::CausalLM(std::unique_ptr<Impl> impl) : m_impl(std::move(impl)) {}
CausalLM::~CausalLM() = default;

std::unique_ptr<CausalLM> CausalLM::load(const std::filesystem::path &dir, const LoadOptions &opts,
                                         LoadProgress progress)
{
    auto impl = std::make_unique<Impl>();
    try {
        impl->model = model::loadModel(dir, opts, progress);
        impl->loadExtraAdapters();
        model::fuseProjections(*impl->model);
        if (!impl->adapters.empty())
            impl->select(0);
    } catch (const Error &) {
        throw;
    } catch (const std::exception &e) { // c10::Error (out of memory, a bad device) and the like
        throw Error(ErrorCode::Internal, std::string("loading the model failed: ") + e.what(),
                    dir.string());
    }
    impl->sample();
    return std::unique_ptr<CausalLM>(new CausalLM(std::move(impl)));
}

const ModelConfig &CausalLM::config() const
{
    return m_impl->model->config;
}
const LoadOptions &CausalLM::options() const
{
    return m_impl->model->options;
}
const std::filesystem::path &CausalLM::dir() const
{
    return m_impl->model->dir;
}
int64_t CausalLM::vocabSize() const
{
    return config().vocabSize;
}
int64_t CausalLM::hiddenSize() const
{
    return config().hiddenSize;
}
int64_t CausalLM::maxPositions() const
{
    return config().maxPositions;
}
bool CausalLM::hasAdapter() const
{
    return m_impl->model->hasLora;
}

void CausalLM::setAdapterEnabled(bool enabled)
{
    model::setLoraEnabled(*m_impl->model, enabled);
}

int CausalLM::adapterCount() const
{
    return m_impl->adapters.empty() ? (hasAdapter() ? 1 : 0) : int(m_impl->adapters.size());
}

void CausalLM::selectAdapter(int index)
{
    if (index < -1 || index >= adapterCount())
        throw Error(ErrorCode::Internal, "no adapter " + std::to_string(index));
    if (m_impl->adapters.empty()) {
        setAdapterEnabled(index == 0);
        return;
    }
    m_impl->select(index);
}

void CausalLM::Impl::loadExtraAdapters()
{
    const LoadOptions &opts = model->options;
    if (opts.extraAdapterDirs.empty())
        return;
    if (opts.adapterDir.empty())
        throw Error(ErrorCode::Internal, "extra adapters need LoadOptions::adapterDir first");
    const std::vector<model::Linear *> targets = model::loraTargets(*model);
    auto capture = [&] {
        std::vector<std::shared_ptr<model::LoraWeights>> set;
        for (model::Linear *l : targets)
            set.push_back(l->lora);
        adapters.push_back(std::move(set));
    };
    capture();
    for (const std::string &dir : opts.extraAdapterDirs) {
        model::loadLora(*model, dir);
        capture();
    }
    // Fusing skips every projection that carries a pair: any adapter's counts.
    for (size_t i = 0; i < targets.size(); ++i)
        for (const auto &set : adapters)
            if (set[i])
                targets[i]->lora = set[i];
}

void CausalLM::Impl::select(int index)
{
    const std::vector<model::Linear *> targets = model::loraTargets(*model);
    for (size_t i = 0; i < targets.size(); ++i) {
        targets[i]->lora = index < 0 ? nullptr : adapters[size_t(index)][i];
        if (targets[i]->lora)
            targets[i]->lora->enabled = true;
    }
}

uint64_t CausalLM::weightBytes() const
{
    return m_impl->model->weightBytes;
}
QuantizationReport CausalLM::quantization() const
{
    return m_impl->model->quant;
}

std::vector<int32_t> CausalLM::eosIds() const
{
    std::vector<int32_t> ids;
    for (int64_t id : config().eosTokenIds)
        ids.push_back(int32_t(id));
    return ids;
}

std::string CausalLM::describe() const
{
    const Model &m = *m_impl->model;
    const double params = double(parameterCount(m.config));
    char size[32];
    if (params >= 1e9)
        std::snprintf(size, sizeof size, "%.1fB", params / 1e9);
    else
        std::snprintf(size, sizeof size, "%.1fM", params / 1e6);
    const at::ScalarType t = m.weightDtype;
    std::string dt = t == at::kFloat ? "fp32" : t == at::kHalf ? "fp16" : "bf16";
    if (m.upcastMatmul)
        dt += " weights, fp32 compute";
    return m.config.architecture + " " + size + ", " + dt + " on " + m.device.str() +
           (m.quant.enabled ? ", int8 weights" : "");
}

std::vector<float> CausalLM::logits(const std::vector<int32_t> &ids)
{
    if (ids.empty())
        return {};
    m_impl->checkIds(ids);
    return guarded("forward pass", [&] {
        c10::InferenceMode guard;
        const Model &m = *m_impl->model;
        auto [t, valid] = model::leftPad({ids}, m.device);
        KvCache cache = m.newCache(1);
        const at::Tensor hidden = m.forward(t, valid, cache);
        std::vector<float> out = toVector(m.logitsOf(hidden[0]));
        m_impl->sample();
        return out;
    });
}

std::unique_ptr<CausalLM::BatchSession> CausalLM::newBatchSession()
{
    auto impl = std::make_unique<BatchSession::Impl>();
    impl->owner = m_impl.get();
    return std::unique_ptr<BatchSession>(new BatchSession(std::move(impl)));
}

std::unique_ptr<CausalLM::Session> CausalLM::newSession()
{
    return std::unique_ptr<Session>(new Session(newBatchSession()));
}

std::vector<ContinuationScore> CausalLM::scoreContinuations(
    const std::vector<std::pair<std::vector<int32_t>, std::vector<int32_t>>> &pairs, int batchSize)
{
    for (size_t i = 0; i < pairs.size(); ++i) {
        if (pairs[i].first.empty())
            throw Error(ErrorCode::Validation,
                        "pair " + std::to_string(i) +
                            ": the context is empty; give at least one token (e.g. BOS) before "
                            "the continuation");
        m_impl->checkIds(pairs[i].first);
        m_impl->checkIds(pairs[i].second);
    }
    return guarded("scoring continuations", [&] { return m_impl->scoreImpl(pairs, batchSize); });
}

std::vector<ContinuationScore> CausalLM::Impl::scoreImpl(
    const std::vector<std::pair<std::vector<int32_t>, std::vector<int32_t>>> &pairs, int batchSize)
{
    Impl *m_impl = this;
    const Model &m = *model;
    c10::InferenceMode guard;
    std::vector<ContinuationScore> out(pairs.size());
    const auto order = longestFirst(
        pairs.size(), [&](size_t i) { return pairs[i].first.size() + pairs[i].second.size(); });
    const size_t step = size_t(std::max(1, batchSize));
    for (size_t start = 0; start < order.size(); start += step) {
        const size_t end = std::min(order.size(), start + step);
        std::vector<std::vector<int32_t>> seqs;
        for (size_t j = start; j < end; ++j) {
            const auto &[ctx, cont] = pairs[order[j]];
            std::vector<int32_t> s = ctx;
            s.insert(s.end(), cont.begin(), cont.end());
            seqs.push_back(std::move(s));
        }
        auto [ids, valid] = model::leftPad(seqs, m.device);
        const int64_t B = ids.size(0), T = ids.size(1);
        KvCache cache = m.newCache(B);
        const at::Tensor hidden = m.forward(ids, valid, cache).reshape({B * T, -1});

        // Only the positions that predict a continuation token go through lm_head.
        std::vector<int64_t> rows, targets;
        for (size_t j = start; j < end; ++j) {
            const auto &[ctx, cont] = pairs[order[j]];
            const int64_t b = int64_t(j - start);
            const int64_t offset = T - int64_t(seqs[j - start].size());
            for (size_t c = 0; c < cont.size(); ++c) {
                rows.push_back(b * T + offset + int64_t(ctx.size()) - 1 + int64_t(c));
                targets.push_back(cont[c]);
            }
        }
        if (rows.empty())
            continue;
        const auto longOpts = at::TensorOptions().dtype(at::kLong);
        const at::Tensor rowIdx = at::tensor(rows, longOpts).to(m.device);
        const at::Tensor target = at::tensor(targets, longOpts).to(m.device);
        const at::Tensor logits = m.logitsOf(hidden.index_select(0, rowIdx));
        const at::Tensor logp = at::log_softmax(logits, -1)
                                    .gather(1, target.unsqueeze(1))
                                    .squeeze(1)
                                    .to(at::kCPU, at::kDouble);
        const at::Tensor hit = logits.argmax(-1).eq(target).to(at::kCPU);
        const double *lp = logp.data_ptr<double>();
        const bool *h = hit.data_ptr<bool>();
        size_t k = 0;
        for (size_t j = start; j < end; ++j) {
            ContinuationScore &s = out[order[j]];
            const size_t n = pairs[order[j]].second.size();
            s.tokens = int(n);
            s.greedy = true;
            for (size_t c = 0; c < n; ++c, ++k) {
                s.logProb += lp[k];
                s.greedy = s.greedy && h[k];
            }
        }
        m_impl->sample();
    }
    return out;
}

std::vector<double> CausalLM::logLikelihood(
    const std::vector<std::pair<std::vector<int32_t>, std::vector<int32_t>>> &pairs,
    std::vector<int> *tokenCounts)
{
    const auto scores = scoreContinuations(pairs);
    std::vector<double> out;
    if (tokenCounts)
        tokenCounts->clear();
    for (const auto &s : scores) {
        out.push_back(s.logProb);
        if (tokenCounts)
            tokenCounts->push_back(s.tokens);
    }
    return out;
}

std::vector<std::vector<float>> CausalLM::embed(const std::vector<std::vector<int32_t>> &sequences,
                                                Pooling pooling, int batchSize)
{
    for (size_t i = 0; i < sequences.size(); ++i) {
        if (sequences[i].empty())
            throw Error(ErrorCode::Validation,
                        "sequence " + std::to_string(i) + " is empty: nothing to embed");
        m_impl->checkIds(sequences[i]);
    }
    return guarded("embedding", [&] { return m_impl->embedImpl(sequences, pooling, batchSize); });
}

std::vector<std::vector<float>>
CausalLM::Impl::embedImpl(const std::vector<std::vector<int32_t>> &sequences, Pooling pooling,
                          int batchSize)
{
    Impl *m_impl = this;
    const Model &m = *model;
    c10::InferenceMode guard;
    std::vector<std::vector<float>> out(sequences.size());
    const auto order =
        longestFirst(sequences.size(), [&](size_t i) { return sequences[i].size(); });
    const size_t step = size_t(std::max(1, batchSize));
    for (size_t start = 0; start < order.size(); start += step) {
        const size_t end = std::min(order.size(), start + step);
        std::vector<std::vector<int32_t>> seqs;
        for (size_t j = start; j < end; ++j)
            seqs.push_back(sequences[order[j]]);
        auto [ids, valid] = model::leftPad(seqs, m.device);
        KvCache cache = m.newCache(ids.size(0));
        const at::Tensor hidden = m.forward(ids, valid, cache).to(at::kFloat); // [B, T, H]
        at::Tensor pooled;
        if (pooling == Pooling::Last) {
            pooled = hidden.select(1, hidden.size(1) - 1); // left padding: the last slot is real
        } else {
            const at::Tensor w = valid.to(at::kFloat).unsqueeze(-1);
            pooled = (hidden * w).sum(1) / w.sum(1);
        }
        pooled = pooled / pooled.norm(2, -1, /*keepdim=*/true).clamp_min(1e-12);
        pooled = pooled.to(at::kCPU).contiguous();
        for (size_t j = start; j < end; ++j) {
            const at::Tensor row = pooled[int64_t(j - start)];
            out[order[j]].assign(row.data_ptr<float>(), row.data_ptr<float>() + row.numel());
        }
        m_impl->sample();
    }
    return out;
}

uint64_t CausalLM::memoryInUse() const
{
    const Model &m = *m_impl->model;
    if (m.device.is_cuda()) {
        const model::DeviceMemory d = model::deviceMemory(m.device.str());
        return d.known ? d.total - d.free : 0;
    }
    return model::residentBytes();
}

uint64_t CausalLM::peakMemory() const
{
    return m_impl->model->device.is_cuda() ? m_impl->cudaPeak : model::peakResidentBytes();
}

void CausalLM::resetPeakMemory()
{
    m_impl->cudaPeak = 0;
    m_impl->sample();
    if (!m_impl->model->device.is_cuda())
        model::resetPeakResident();
}

// ---- BatchSession ---------------------------------------------------------------------------

CausalLM::BatchSession::BatchSession(std::unique_ptr<Impl> impl) : m_impl(std::move(impl)) {}
CausalLM::BatchSession::~BatchSession() = default;

std::vector<float> CausalLM::BatchSession::append(const std::vector<std::vector<int32_t>> &chunks)
{
    CausalLM::Impl &owner = *m_impl->owner;
    const Model &m = *owner.model;
    if (chunks.empty())
        throw Error(ErrorCode::Validation, "a batch needs at least one row");
    if (m_impl->rows != 0 && int(chunks.size()) != m_impl->rows)
        throw Error(ErrorCode::Validation, "the session has " + std::to_string(m_impl->rows) +
                                               " rows, not " + std::to_string(chunks.size()));
    bool any = false;
    for (const auto &c : chunks) {
        owner.checkIds(c);
        any = any || !c.empty();
    }
    if (!any)
        throw Error(ErrorCode::Validation, "nothing to append: every row is empty");

    return guarded("decoding step", [&] {
        c10::InferenceMode guard;
        if (m_impl->rows == 0) {
            m_impl->rows = int(chunks.size());
            m_impl->cache = m.newCache(m_impl->rows);
            m_impl->tokens.assign(chunks.size(), {});
        }
        auto [ids, valid] = model::leftPad(chunks, m.device);
        std::vector<float> out;
        if (useStaticStep(m, chunks)) {
            if (!m_impl->graph || m_impl->graph->room(m_impl->cache) < 1)
                m_impl->graph = std::make_unique<model::DecodeGraph>(m, m_impl->cache, graphRoom());
            out = toVector(m_impl->graph->step(m, m_impl->cache, ids));
        } else {
            m_impl->graph.reset(); // the forward below may move the cache
            const at::Tensor hidden = m.forward(ids, valid, m_impl->cache);
            out = toVector(m.logitsOf(hidden.select(1, hidden.size(1) - 1)));
        }
        for (size_t r = 0; r < chunks.size(); ++r)
            m_impl->tokens[r].insert(m_impl->tokens[r].end(), chunks[r].begin(), chunks[r].end());
        owner.sample(ids.size(1) > 1);
        return out;
    });
}

std::vector<float> CausalLM::BatchSession::step(const std::vector<int32_t> &ids)
{
    std::vector<std::vector<int32_t>> chunks;
    chunks.reserve(ids.size());
    for (int32_t id : ids)
        chunks.push_back({id});
    return append(chunks);
}

int CausalLM::BatchSession::rows() const
{
    return m_impl->rows;
}
int64_t CausalLM::BatchSession::slots() const
{
    return m_impl->cache.length;
}

int64_t CausalLM::BatchSession::length(int row) const
{
    return row < int(m_impl->tokens.size()) ? int64_t(m_impl->tokens[size_t(row)].size()) : 0;
}

const std::vector<int32_t> &CausalLM::BatchSession::tokens(int row) const
{
    static const std::vector<int32_t> none;
    return row < int(m_impl->tokens.size()) ? m_impl->tokens[size_t(row)] : none;
}

void CausalLM::BatchSession::reset()
{
    m_impl->graph.reset();
    m_impl->cache = KvCache();
    m_impl->tokens.clear();
    m_impl->rows = 0;
}

std::vector<float> CausalLM::Session::prefill(const std::vector<int32_t> &ids)
{
    if (ids.empty())
        throw Error(ErrorCode::Validation, "nothing to prefill: no tokens");
    return m_batch->append({ids});
}

std::vector<float> CausalLM::Session::step(int32_t id)
{
    return m_batch->append({{id}});
}

} // namespace wb

// DecodeSlots: the slot-indexed KV cache of continuous batching, and sampling on the device.

#include "model/decode_slots.h"

#include "model/causal_lm_impl.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <map>

namespace wb {

using model::DecodeGraph;
using model::guarded;
using model::KvCache;
using model::Model;

namespace {

// splitmix64 over int64 tensors (two's-complement wrap-around; logical shifts are emulated by
// masking the arithmetic ones).
at::Tensor shiftRight(const at::Tensor &x, int s)
{
    return at::bitwise_and(at::bitwise_right_shift(x, s), (int64_t(1) << (64 - s)) - 1);
}

at::Tensor mix(at::Tensor z)
{
    z = at::bitwise_xor(z, shiftRight(z, 30)) * int64_t(0xBF58476D1CE4E5B9ULL);
    z = at::bitwise_xor(z, shiftRight(z, 27)) * int64_t(0x94D049BB133111EBULL);
    return at::bitwise_xor(z, shiftRight(z, 31));
}

// Gumbel noise [N, vocab]: row n's values come from splitmix64's stream keyed by (seed, draw),
// at the position of each token id, so they depend on nothing else in the batch.
at::Tensor gumbel(const at::Tensor &seed, const at::Tensor &draw, int64_t vocab)
{
    constexpr int64_t golden = int64_t(0x9E3779B97F4A7C15ULL);
    const at::Tensor key = mix(at::bitwise_xor(mix(seed + golden), draw) + golden); // [N]
    const at::Tensor ids = at::arange(1, vocab + 1, seed.options());
    const at::Tensor z = mix(key.unsqueeze(1) + ids.unsqueeze(0) * golden);
    const at::Tensor u = (shiftRight(z, 11).to(at::kDouble) + 0.5) * (1.0 / 9007199254740992.0);
    return (-(-u.log()).log()).to(at::kFloat);
}

// Batch sizes captured as graphs: powers of two up to the row count.
int bucketFor(int n, int rows)
{
    int b = 1;
    while (b < n)
        b *= 2;
    return std::min(b, rows);
}

struct Row
{
    bool busy = false;
    bool decoding = false;
    std::vector<int32_t> prompt;
    size_t prefilled = 0;
    KvCache prefillCache; // the prompt's own cache until it moves into the row
    int64_t length = 0;
    int32_t last = 0;
    SlotSampling sampling;
};

struct Bucket
{
    KvCache view; // rows 0..b-1 of the shared cache (views: steps write through)
    std::unique_ptr<DecodeGraph> graph;
};

// What the rows being sampled ask for, so that a batch of greedy rows pays for nothing else.
struct Needs
{
    bool penalties = false;
    bool sampled = false;
    int topK = 0;
    bool topP = false;
    int logprobs = -1;
};

} // namespace

struct DecodeSlots::Impl
{
    CausalLM::Impl *owner = nullptr;
    Model *m = nullptr;
    int rowCount = 0;
    int64_t room = 256;
    KvCache cache;     // [rows, KV, capacity, D] per layer; length == capacity
    at::Tensor valid;  // bool [rows, capacity]: the slots each row attends to
    int64_t capacity = 0;
    std::map<int, Bucket> buckets;
    std::vector<Row> rows;
    // Per-row sampling settings and state on the device.
    at::Tensor temperature, topP, topK, presence, frequency, seed, draws;
    at::Tensor counts; // [rows, vocab] generated-token counts, allocated when penalties are used

    void resize(int64_t newCapacity);
    void insert(int row, const KvCache &src, int64_t from, int64_t T);
    Needs needs(const std::vector<int> &rowList) const;
    std::vector<SlotToken> draw(const at::Tensor &logits, int first, int n, const Needs &needs,
                                const std::vector<int> &keep);
};

void DecodeSlots::Impl::resize(int64_t newCapacity)
{
    const auto opts = at::TensorOptions().dtype(m->dtype).device(m->device);
    const ModelConfig &c = m->config;
    for (auto *list : {&cache.k, &cache.v}) {
        for (at::Tensor &t : *list) {
            // Zeros: a masked slot is multiplied by a zero weight, and NaN times zero is NaN.
            at::Tensor bigger = at::zeros({rowCount, c.numKvHeads, newCapacity, c.headDim}, opts);
            if (capacity > 0)
                bigger.narrow(2, 0, capacity).copy_(t);
            t = bigger;
        }
    }
    at::Tensor v = at::zeros({rowCount, newCapacity}, at::TensorOptions().dtype(at::kBool).device(m->device));
    if (capacity > 0)
        v.narrow(1, 0, capacity).copy_(valid);
    valid = v;
    capacity = newCapacity;
    cache.length = capacity;
    cache.valid = valid;
    buckets.clear(); // their graphs point at the old tensors
}

// Moves a prompt's keys and values (row `from` of `src`, its last T slots: a left-padded batch
// puts padding first) into slots 0..T-1 of `row`.
void DecodeSlots::Impl::insert(int row, const KvCache &src, int64_t from, int64_t T)
{
    Row &r = rows[size_t(row)];
    if (T + 1 > capacity)
        resize(T + room);
    const int64_t offset = src.length - T;
    for (size_t l = 0; l < cache.k.size(); ++l) {
        cache.k[l].select(0, row).narrow(1, 0, T).copy_(src.k[l].select(0, from).narrow(1, offset, T));
        cache.v[l].select(0, row).narrow(1, 0, T).copy_(src.v[l].select(0, from).narrow(1, offset, T));
    }
    valid.select(0, row).fill_(false);
    valid.select(0, row).narrow(0, 0, T).fill_(true);
    r.prefillCache = KvCache();
    r.length = T;
}

Needs DecodeSlots::Impl::needs(const std::vector<int> &rowList) const
{
    Needs n;
    for (int i : rowList) {
        const SlotSampling &s = rows[size_t(i)].sampling;
        n.penalties = n.penalties || s.presencePenalty != 0 || s.frequencyPenalty != 0;
        if (s.temperature > 0) {
            n.sampled = true;
            n.topK = std::max(n.topK, s.topK);
            n.topP = n.topP || s.topP < 1;
        }
        n.logprobs = std::max(n.logprobs, s.logprobs);
    }
    return n;
}

// Draws one token for rows first..first+n-1 from their logits [n, vocab]; returns those in `keep`.
std::vector<SlotToken> DecodeSlots::Impl::draw(const at::Tensor &logits, int first, int n,
                                               const Needs &needs, const std::vector<int> &keep)
{
    auto rowsOf = [&](const at::Tensor &t) { return t.narrow(0, first, n); };
    const int64_t vocab = logits.size(1);
    at::Tensor l = logits;
    if (needs.penalties) {
        const at::Tensor c = rowsOf(counts);
        l = l - rowsOf(frequency).unsqueeze(1) * c - rowsOf(presence).unsqueeze(1) * c.gt(0).to(at::kFloat);
    }
    at::Tensor ids = l.argmax(1);
    if (needs.sampled) {
        const at::Tensor t = rowsOf(temperature);
        const at::Tensor greedy = t.le(0);
        at::Tensor x = l / at::where(greedy, at::ones_like(t), t).unsqueeze(1);
        constexpr float minusInf = -std::numeric_limits<float>::infinity();
        if (needs.topK > 0) { // transformers' TopKLogitsWarper: below the k-th largest goes
            const at::Tensor k = rowsOf(topK);
            const at::Tensor best = std::get<0>(x.topk(std::min<int64_t>(needs.topK, vocab), 1));
            const at::Tensor kth = best.gather(1, (k - 1).clamp(0, best.size(1) - 1).unsqueeze(1));
            x = x.masked_fill(x.lt(kth).logical_and(k.gt(0).unsqueeze(1)), minusInf);
        }
        if (needs.topP) { // keep the most probable tokens while the mass before each is below p
            const auto [sorted, order] = x.sort(1, /*descending=*/true);
            const at::Tensor probs = at::softmax(sorted, 1);
            at::Tensor drop = (probs.cumsum(1) - probs).ge(rowsOf(topP).unsqueeze(1));
            drop.select(1, 0).fill_(false);
            x = x.scatter(1, order, sorted.masked_fill(drop, minusInf));
        }
        const at::Tensor sampled = (x + gumbel(rowsOf(seed), rowsOf(draws), vocab)).argmax(1);
        ids = at::where(greedy, ids, sampled);
    }
    rowsOf(draws).add_(1);
    if (needs.penalties)
        rowsOf(counts).scatter_add_(1, ids.unsqueeze(1), at::ones({n, 1}, counts.options()));

    at::Tensor logprob, topIds, topValues;
    if (needs.logprobs >= 0) {
        const at::Tensor all = at::log_softmax(logits, 1);
        logprob = all.gather(1, ids.unsqueeze(1)).squeeze(1).to(at::kCPU);
        if (needs.logprobs > 0) {
            auto [v, i] = all.topk(std::min<int64_t>(needs.logprobs, vocab), 1);
            topValues = v.to(at::kCPU);
            topIds = i.to(at::kCPU);
        }
    }
    const at::Tensor hostIds = ids.to(at::kCPU).contiguous();
    const int64_t *idAt = hostIds.data_ptr<int64_t>();
    std::vector<SlotToken> out;
    for (int row : keep) {
        const int64_t i = row - first;
        SlotToken tok;
        tok.row = row;
        tok.id = int32_t(idAt[i]);
        const int want = rows[size_t(row)].sampling.logprobs;
        if (want >= 0)
            tok.logprob = logprob[i].item<float>();
        for (int j = 0; j < want && topIds.defined(); ++j)
            tok.top.emplace_back(int32_t(topIds[i][j].item<int64_t>()), topValues[i][j].item<float>());
        out.push_back(std::move(tok));
    }
    return out;
}

DecodeSlots::DecodeSlots(CausalLM &model, int rows, int64_t room) : m_impl(std::make_unique<Impl>())
{
    if (rows < 1)
        throw Error(ErrorCode::Validation, "a batch needs at least one row");
    Impl &d = *m_impl;
    d.owner = &model.impl();
    d.m = d.owner->model.get();
    d.rowCount = rows;
    d.room = std::max<int64_t>(room, 8);
    d.rows.resize(size_t(rows));
    guarded("allocating the batch", [&] {
        c10::InferenceMode guard;
        d.cache = d.m->newCache(rows);
        d.resize(d.room);
        const auto floats = at::TensorOptions().dtype(at::kFloat).device(d.m->device);
        const auto longs = at::TensorOptions().dtype(at::kLong).device(d.m->device);
        d.temperature = at::zeros({rows}, floats);
        d.topP = at::ones({rows}, floats);
        d.topK = at::zeros({rows}, longs);
        d.presence = at::zeros({rows}, floats);
        d.frequency = at::zeros({rows}, floats);
        d.seed = at::zeros({rows}, longs);
        d.draws = at::zeros({rows}, longs);
        return 0;
    });
}

DecodeSlots::~DecodeSlots() = default;

int DecodeSlots::rows() const
{
    return m_impl->rowCount;
}

int DecodeSlots::freeRow() const
{
    for (size_t i = 0; i < m_impl->rows.size(); ++i)
        if (!m_impl->rows[i].busy)
            return int(i);
    return -1;
}

int DecodeSlots::busyRows() const
{
    return int(std::count_if(m_impl->rows.begin(), m_impl->rows.end(), [](const Row &r) { return r.busy; }));
}

bool DecodeSlots::decoding(int row) const
{
    return m_impl->rows.at(size_t(row)).decoding;
}

int64_t DecodeSlots::length(int row) const
{
    const Row &r = m_impl->rows.at(size_t(row));
    return r.decoding ? r.length : int64_t(r.prefilled);
}

size_t DecodeSlots::prefillLeft(int row) const
{
    const Row &r = m_impl->rows.at(size_t(row));
    return r.prompt.size() - r.prefilled;
}

void DecodeSlots::begin(int row, std::vector<int32_t> prompt, const SlotSampling &sampling)
{
    Impl &d = *m_impl;
    Row &r = d.rows.at(size_t(row));
    if (r.busy)
        throw Error(ErrorCode::Internal, "row " + std::to_string(row) + " is busy");
    if (prompt.empty())
        throw Error(ErrorCode::Validation, "the prompt is empty; give at least one token");
    d.owner->checkIds(prompt);
    r = Row();
    r.busy = true;
    r.prompt = std::move(prompt);
    r.sampling = sampling;
    guarded("starting a sequence", [&] {
        c10::InferenceMode guard;
        d.temperature[row].fill_(sampling.temperature);
        d.topP[row].fill_(sampling.topP);
        d.topK[row].fill_(int64_t(sampling.topK));
        d.presence[row].fill_(sampling.presencePenalty);
        d.frequency[row].fill_(sampling.frequencyPenalty);
        d.seed[row].fill_(int64_t(sampling.seed));
        d.draws[row].fill_(0);
        if (sampling.presencePenalty != 0 || sampling.frequencyPenalty != 0) {
            if (!d.counts.defined())
                d.counts = at::zeros({d.rowCount, d.m->config.vocabSize},
                                     at::TensorOptions().dtype(at::kFloat).device(d.m->device));
        }
        if (d.counts.defined())
            d.counts[row].zero_();
        return 0;
    });
}

std::optional<SlotToken> DecodeSlots::prefill(int row, int maxTokens)
{
    Impl &d = *m_impl;
    Row &r = d.rows.at(size_t(row));
    if (!r.busy || r.decoding)
        throw Error(ErrorCode::Internal, "row " + std::to_string(row) + " is not prefilling");
    return guarded("prefill", [&]() -> std::optional<SlotToken> {
        c10::InferenceMode guard;
        const size_t n = std::min(r.prompt.size() - r.prefilled, size_t(std::max(1, maxTokens)));
        const std::vector<int32_t> chunk(r.prompt.begin() + long(r.prefilled),
                                         r.prompt.begin() + long(r.prefilled + n));
        auto [ids, chunkValid] = model::leftPad({chunk}, d.m->device);
        if (r.prefillCache.k.empty())
            r.prefillCache = d.m->newCache(1);
        const at::Tensor hidden = d.m->forward(ids, chunkValid, r.prefillCache);
        r.prefilled += n;
        d.owner->sample();
        if (r.prefilled < r.prompt.size())
            return std::nullopt;
        const at::Tensor logits = d.m->logitsOf(hidden.select(1, hidden.size(1) - 1)); // [1, V]
        d.insert(row, r.prefillCache, 0, r.prefillCache.length);
        SlotToken tok = d.draw(logits, row, 1, d.needs({row}), {row}).front();
        r.decoding = true;
        r.last = tok.id;
        return tok;
    });
}

std::vector<SlotToken> DecodeSlots::prefillTogether(const std::vector<int> &rowList, int64_t maxTokens)
{
    Impl &d = *m_impl;
    std::vector<int> todo;
    for (int row : rowList) {
        const Row &r = d.rows.at(size_t(row));
        if (!r.busy || r.decoding || r.prefilled != 0)
            throw Error(ErrorCode::Internal, "row " + std::to_string(row) + " is not waiting for its prefill");
        todo.push_back(row);
    }
    std::vector<SlotToken> out;
    return guarded("prefill", [&] {
        c10::InferenceMode guard;
        for (size_t start = 0; start < todo.size();) {
            // As many prompts as fit in maxTokens once padded to the longest.
            size_t end = start + 1;
            size_t longest = d.rows[size_t(todo[start])].prompt.size();
            while (end < todo.size()) {
                const size_t l = std::max(longest, d.rows[size_t(todo[end])].prompt.size());
                if (int64_t(l * (end - start + 1)) > maxTokens)
                    break;
                longest = l;
                ++end;
            }
            std::vector<std::vector<int32_t>> prompts;
            for (size_t i = start; i < end; ++i)
                prompts.push_back(d.rows[size_t(todo[i])].prompt);
            auto [ids, chunkValid] = model::leftPad(prompts, d.m->device);
            KvCache batch = d.m->newCache(int64_t(prompts.size()));
            const at::Tensor hidden = d.m->forward(ids, chunkValid, batch);
            const at::Tensor logits = d.m->logitsOf(hidden.select(1, hidden.size(1) - 1)); // [n, V]
            d.owner->sample();
            for (size_t i = start; i < end; ++i) {
                const int row = todo[i];
                Row &r = d.rows[size_t(row)];
                d.insert(row, batch, int64_t(i - start), int64_t(r.prompt.size()));
                r.prefilled = r.prompt.size();
                out.push_back(d.draw(logits.narrow(0, int64_t(i - start), 1), row, 1, d.needs({row}), {row}).front());
                r.decoding = true;
                r.last = out.back().id;
            }
            start = end;
        }
        return out;
    });
}

std::vector<SlotToken> DecodeSlots::step()
{
    Impl &d = *m_impl;
    std::vector<int> decodingRows;
    int64_t longest = 0;
    for (size_t i = 0; i < d.rows.size(); ++i) {
        if (d.rows[i].decoding) {
            decodingRows.push_back(int(i));
            longest = std::max(longest, d.rows[i].length);
        }
    }
    if (decodingRows.empty())
        return {};
    return guarded("decoding step", [&] {
        c10::InferenceMode guard;
        if (longest + 1 > d.capacity)
            d.resize(longest + d.room);
        const int b = bucketFor(decodingRows.back() + 1, d.rowCount);
        Bucket &bucket = d.buckets[b];
        if (!bucket.graph) {
            bucket.view = d.cache;
            bucket.view.rows = b;
            for (auto *list : {&bucket.view.k, &bucket.view.v})
                for (at::Tensor &t : *list)
                    t = t.narrow(0, 0, b);
            bucket.view.valid = d.valid.narrow(0, 0, b);
            bucket.graph = std::make_unique<DecodeGraph>(*d.m, bucket.view,
                                                         DecodeGraph::PerRow{bucket.view.valid});
        }
        // Rows that are not decoding step too (the shapes are fixed): they write and attend to
        // their slot 0 only, which a newcomer overwrites.
        // One host buffer and one copy for both: each tensor op costs a launch on the device.
        std::vector<int64_t> host(size_t(2 * b), 0); // ids, then slots
        for (int row : decodingRows) {
            host[size_t(row)] = d.rows[size_t(row)].last;
            host[size_t(b + row)] = d.rows[size_t(row)].length;
        }
        const at::Tensor both = at::from_blob(host.data(), {2, b, 1}, at::kLong).to(d.m->device);
        const at::Tensor ids = both[0], slots = both[1];
        bucket.view.valid.scatter_(1, slots, true);
        const at::Tensor logits = bucket.graph->stepRows(*d.m, bucket.view, ids, slots);
        std::vector<SlotToken> out = d.draw(logits, 0, b, d.needs(decodingRows), decodingRows);
        for (const SlotToken &t : out) {
            Row &r = d.rows[size_t(t.row)];
            ++r.length;
            r.last = t.id;
        }
        d.owner->sample(false);
        return out;
    });
}

void DecodeSlots::release(int row)
{
    m_impl->rows.at(size_t(row)) = Row();
}

uint64_t DecodeSlots::cacheBytes() const
{
    uint64_t n = 0;
    for (auto *list : {&m_impl->cache.k, &m_impl->cache.v})
        for (const at::Tensor &t : *list)
            n += uint64_t(t.nbytes());
    return n;
}

} // namespace wb

// The serving engine: a scheduler thread over DecodeSlots (one batch per adapter), the queue,
// cancellation, stop strings and streamed text. Torch-free: the tensors live in core/model.

#include "serve/engine.h"

#include "common/error.h"
#include "formats/hf_config.h"
#include "model/decode_slots.h"
#include "tokenizer/chat_template.h"
#include "tokenizer/tokenizer.h"

#include <algorithm>
#include <atomic>
#include <cmath>
#include <condition_variable>
#include <deque>
#include <future>
#include <limits>
#include <mutex>
#include <optional>
#include <set>
#include <thread>

namespace wb::serve {

namespace {

using Clock = std::chrono::steady_clock;

double since(Clock::time_point t)
{
    return std::chrono::duration<double>(Clock::now() - t).count();
}

struct Job
{
    uint64_t id = 0;
    GenerationRequest request;
    GenerationSink sink;
    size_t group = 0;
    Clock::time_point submitted = Clock::now();
    std::optional<StreamDecoder> decoder;
    std::string text; // generated so far (cut at a stop string once found)
    size_t sent = 0;  // bytes of `text` already handed to onToken
    GenerationResult result;
};

// The longest tail of `text` that begins one of the stop strings: held back, since the next
// token may complete it.
size_t heldForStop(const std::string &text, const std::vector<std::string> &stops)
{
    size_t hold = 0;
    for (const std::string &s : stops)
        for (size_t k = std::min(s.size() - 1, text.size()); k > hold; --k)
            if (text.compare(text.size() - k, k, s, 0, k) == 0) {
                hold = k;
                break;
            }
    return hold;
}

size_t findStop(const std::string &text, const std::vector<std::string> &stops, size_t from)
{
    size_t best = std::string::npos;
    for (const std::string &s : stops) {
        const size_t at = text.find(s, from > s.size() ? from - s.size() : 0);
        if (at != std::string::npos && at < best)
            best = at;
    }
    return best;
}

class Engine final : public Backend
{
public:
    Engine(const std::filesystem::path &dir, const std::string &name,
           const std::vector<AdapterSpec> &adapters, const EngineOptions &options,
           const LoadProgress &progress);
    ~Engine() override { shutdown(std::chrono::milliseconds(0)); }

    std::vector<ServedModel> models() const override { return m_models; }
    const Tokenizer &tokenizer() const override { return *m_tokenizer; }
    const ChatTemplate *chatTemplate() const override { return m_chat ? &*m_chat : nullptr; }
    int64_t maxContext() const override { return m_maxContext; }
    std::string description() const override { return m_model->describe(); }

    uint64_t submit(GenerationRequest request, GenerationSink sink) override;
    void cancel(uint64_t id) override;
    std::vector<GeneratedToken> promptLogprobs(const std::string &model,
                                               const std::vector<int32_t> &tokens, int top) override;
    std::vector<std::vector<float>> embed(const std::string &model,
                                          const std::vector<std::vector<int32_t>> &inputs) override;
    EngineStats stats() const override;
    void shutdown(std::chrono::milliseconds deadline) override;

private:
    struct Group
    {
        std::unique_ptr<DecodeSlots> slots;
        std::vector<std::shared_ptr<Job>> rows; // by batch row
        int busy() const
        {
            return int(std::count_if(rows.begin(), rows.end(), [](const auto &j) { return bool(j); }));
        }
    };

    size_t groupOf(const std::string &model) const;
    template <typename F> auto exclusive(F &&f) -> decltype(f());
    void loop();
    bool admit(); // under m_mutex
    void iterate(Group &g, size_t index);
    void emit(Group &g, const SlotToken &t);
    void finish(Group &g, int row, const std::string &reason, const std::string &error = {});

    EngineOptions m_options;
    std::unique_ptr<Tokenizer> m_tokenizer;
    std::optional<ChatTemplate> m_chat;
    std::unique_ptr<CausalLM> m_model;
    std::vector<ServedModel> m_models; // group i: 0 the base model, i > 0 adapter i - 1
    std::vector<int32_t> m_eos;
    int64_t m_maxContext = 0;

    std::vector<Group> m_groups; // engine thread only
    size_t m_nextGroup = 0;

    mutable std::mutex m_mutex;
    std::condition_variable m_wake, m_idle;
    std::deque<std::shared_ptr<Job>> m_queue;
    std::set<uint64_t> m_cancelled;
    std::deque<std::function<void()>> m_tasks;
    bool m_accepting = true, m_cancelAll = false, m_stop = false;
    uint64_t m_nextId = 1;
    std::atomic<int> m_active{0};
    std::atomic<uint64_t> m_generated{0}; // per token: no lock on the hot path
    uint64_t m_finished = 0;
    std::deque<std::pair<Clock::time_point, int>> m_recent; // tokens per iteration, last seconds
    std::thread m_thread;
    std::once_flag m_joined;
};

Engine::Engine(const std::filesystem::path &dir, const std::string &name,
               const std::vector<AdapterSpec> &adapters, const EngineOptions &options,
               const LoadProgress &progress)
    : m_options(options)
{
    if (options.maxBatch < 1 || options.maxQueue < 0 || options.prefillChunk < 1)
        throw Error(ErrorCode::Validation, "max batch and prefill chunk must be positive, max queue not negative");
    m_models.push_back({name, {}});
    LoadOptions load = options.load;
    load.adapterDir.clear();
    load.extraAdapterDirs.clear();
    for (const AdapterSpec &a : adapters) {
        if (a.name.empty())
            throw Error(ErrorCode::Validation, "an adapter needs a name (NAME=DIR)", a.dir.string());
        for (const ServedModel &m : m_models)
            if (m.name == a.name)
                throw Error(ErrorCode::Validation, "the name '" + a.name + "' is served twice", a.dir.string());
        m_models.push_back({a.name, a.dir.string()});
        (load.adapterDir.empty() ? load.adapterDir : load.extraAdapterDirs.emplace_back()) = a.dir.string();
    }
    m_tokenizer = Tokenizer::load(dir);
    m_chat = ChatTemplate::fromModelDir(dir);
    m_model = CausalLM::load(dir, load, progress);
    m_eos = m_model->eosIds();
    const ModelConfig &c = m_model->config();
    m_maxContext = options.maxContext > 0 ? options.maxContext : c.maxPositions;
    if (c.maxPositions > 0)
        m_maxContext = std::min(m_maxContext, c.maxPositions);
    if (c.slidingWindow) // the decode step attends to the whole row: stay inside the window
        m_maxContext = std::min(m_maxContext, *c.slidingWindow);
    m_groups.resize(m_models.size());
    m_thread = std::thread([this] { loop(); });
}

size_t Engine::groupOf(const std::string &model) const
{
    for (size_t i = 0; i < m_models.size(); ++i)
        if (m_models[i].name == model)
            return i;
    std::string names;
    for (const ServedModel &m : m_models)
        names += (names.empty() ? "" : ", ") + m.name;
    throw Error(ErrorCode::NotFound, "the model '" + model + "' does not exist; served: " + names);
}

uint64_t Engine::submit(GenerationRequest request, GenerationSink sink)
{
    auto job = std::make_shared<Job>();
    job->group = groupOf(request.model);
    if (request.prompt.empty())
        throw Error(ErrorCode::Validation, "the prompt is empty");
    if (int64_t(request.prompt.size()) >= m_maxContext)
        throw Error(ErrorCode::Validation, "the prompt has " + std::to_string(request.prompt.size()) +
                                               " tokens; this model's context is " +
                                               std::to_string(m_maxContext) + " tokens");
    for (const std::string &s : request.stop)
        if (s.empty())
            throw Error(ErrorCode::Validation, "a stop string is empty");
    if (request.maxTokens < 1)
        throw Error(ErrorCode::Validation, "max_tokens must be at least 1");
    job->request = std::move(request);
    job->sink = std::move(sink);
    job->result.promptTokens = int(job->request.prompt.size());
    std::lock_guard lock(m_mutex);
    if (!m_accepting)
        throw Error(ErrorCode::Cancelled, "the server is shutting down");
    // Every row busy and maxQueue waiting already: a client should back off.
    if (m_active + int(m_queue.size()) >= m_options.maxBatch + m_options.maxQueue)
        throw Error(ErrorCode::Conflict, "the queue is full (" + std::to_string(m_options.maxQueue) +
                                             " requests waiting); retry later");
    job->id = m_nextId++;
    m_queue.push_back(job);
    m_wake.notify_all();
    return job->id;
}

void Engine::cancel(uint64_t id)
{
    std::lock_guard lock(m_mutex);
    m_cancelled.insert(id);
    m_wake.notify_all();
}

// Runs f on the engine thread between two iterations (the model is one thread's at a time).
template <typename F> auto Engine::exclusive(F &&f) -> decltype(f())
{
    std::packaged_task<decltype(f())()> task(std::forward<F>(f));
    auto result = task.get_future();
    {
        std::lock_guard lock(m_mutex);
        if (m_stop)
            throw Error(ErrorCode::Cancelled, "the server is shutting down");
        m_tasks.emplace_back([&task] { task(); });
        m_wake.notify_all();
    }
    return result.get();
}

std::vector<GeneratedToken> Engine::promptLogprobs(const std::string &model,
                                                   const std::vector<int32_t> &tokens, int top)
{
    const size_t group = groupOf(model);
    if (int64_t(tokens.size()) > m_maxContext)
        throw Error(ErrorCode::Validation, "the prompt has " + std::to_string(tokens.size()) +
                                               " tokens; this model's context is " +
                                               std::to_string(m_maxContext) + " tokens");
    return exclusive([&] {
        m_model->selectAdapter(int(group) - 1);
        const std::vector<float> logits = m_model->logits(tokens); // [T × vocab]
        const size_t vocab = size_t(m_model->vocabSize());
        std::vector<GeneratedToken> out(tokens.size());
        for (size_t i = 0; i < tokens.size(); ++i) {
            out[i].id = tokens[i];
            if (i == 0) {
                out[i].logprob = std::numeric_limits<float>::quiet_NaN();
                continue;
            }
            const float *row = logits.data() + (i - 1) * vocab;
            const float best = *std::max_element(row, row + vocab);
            double sum = 0;
            for (size_t v = 0; v < vocab; ++v)
                sum += std::exp(double(row[v]) - best);
            const double norm = best + std::log(sum);
            out[i].logprob = float(row[size_t(tokens[i])] - norm);
            std::vector<int32_t> order(vocab);
            for (size_t v = 0; v < vocab; ++v)
                order[v] = int32_t(v);
            const size_t n = std::min(size_t(std::max(top, 0)), vocab);
            std::partial_sort(order.begin(), order.begin() + long(n), order.end(),
                              [&](int32_t a, int32_t b) { return row[a] > row[b] || (row[a] == row[b] && a < b); });
            for (size_t k = 0; k < n; ++k)
                out[i].top.push_back({order[k], float(row[size_t(order[k])] - norm)});
        }
        return out;
    });
}

std::vector<std::vector<float>> Engine::embed(const std::string &model,
                                              const std::vector<std::vector<int32_t>> &inputs)
{
    const size_t group = groupOf(model);
    for (size_t i = 0; i < inputs.size(); ++i)
        if (inputs[i].empty() || int64_t(inputs[i].size()) > m_maxContext)
            throw Error(ErrorCode::Validation, "input " + std::to_string(i) + " has " +
                                                   std::to_string(inputs[i].size()) +
                                                   " tokens; give 1 to " + std::to_string(m_maxContext));
    return exclusive([&] {
        m_model->selectAdapter(int(group) - 1);
        return m_model->embed(inputs, Pooling::Mean);
    });
}

EngineStats Engine::stats() const
{
    std::lock_guard lock(m_mutex);
    EngineStats s;
    s.active = m_active;
    s.queued = int(m_queue.size());
    s.maxBatch = m_options.maxBatch;
    s.maxQueue = m_options.maxQueue;
    s.generatedTokens = m_generated;
    s.requests = m_finished;
    s.accepting = m_accepting;
    int tokens = 0;
    for (const auto &[t, n] : m_recent)
        tokens += n;
    if (!m_recent.empty()) {
        const double span = std::max(since(m_recent.front().first), 0.25);
        s.tokensPerSecond = since(m_recent.back().first) > 2.0 ? 0.0 : tokens / span;
    }
    return s;
}

void Engine::shutdown(std::chrono::milliseconds deadline)
{
    std::unique_lock lock(m_mutex);
    m_accepting = false;
    m_idle.wait_for(lock, deadline, [&] { return m_active == 0 && m_queue.empty(); });
    m_cancelAll = true;
    m_stop = true;
    m_wake.notify_all();
    lock.unlock();
    std::call_once(m_joined, [&] {
        if (m_thread.joinable())
            m_thread.join();
    });
}

// ---- the engine thread ----------------------------------------------------------------------

void Engine::loop()
{
    for (;;) {
        std::deque<std::function<void()>> tasks;
        std::set<uint64_t> cancelled;
        std::vector<std::shared_ptr<Job>> dropped; // cancelled while queued
        bool cancelAll = false, exit = false;
        {
            std::unique_lock lock(m_mutex);
            m_wake.wait(lock, [&] {
                return m_stop || !m_queue.empty() || !m_tasks.empty() || !m_cancelled.empty() ||
                       m_active > 0;
            });
            tasks.swap(m_tasks);
            cancelled.swap(m_cancelled);
            cancelAll = m_cancelAll;
            for (auto it = m_queue.begin(); it != m_queue.end();) {
                if (cancelAll || cancelled.count((*it)->id)) {
                    dropped.push_back(*it);
                    it = m_queue.erase(it);
                } else {
                    ++it;
                }
            }
            exit = m_stop && m_active == 0 && m_queue.empty() && tasks.empty();
        }
        for (auto &job : dropped) {
            job->result.finishReason = "cancelled";
            job->sink.onDone(job->result);
        }
        if (exit) {
            m_idle.notify_all();
            return;
        }
        for (auto &task : tasks)
            task();
        for (Group &g : m_groups)
            for (int row = 0; row < int(g.rows.size()); ++row)
                if (g.rows[size_t(row)] && (cancelAll || cancelled.count(g.rows[size_t(row)]->id)))
                    finish(g, row, "cancelled");
        {
            std::lock_guard lock(m_mutex);
            admit();
        }
        // Each adapter's batch takes its turn, starting with a different one each time.
        const size_t n = m_groups.size();
        for (size_t k = 0; k < n; ++k) {
            const size_t i = (m_nextGroup + k) % n;
            if (m_groups[i].busy() > 0)
                iterate(m_groups[i], i);
        }
        m_nextGroup = (m_nextGroup + 1) % n;
        if (m_active == 0) {
            std::lock_guard lock(m_mutex);
            if (m_queue.empty())
                m_idle.notify_all();
        }
    }
}

// Moves queued requests into free rows of their adapter's batch, oldest first.
bool Engine::admit()
{
    bool any = false;
    for (auto it = m_queue.begin(); it != m_queue.end();) {
        Job &job = **it;
        Group &g = m_groups[job.group];
        if (!g.slots) {
            g.slots = std::make_unique<DecodeSlots>(*m_model, m_options.maxBatch);
            g.rows.assign(size_t(m_options.maxBatch), nullptr);
        }
        const int row = g.slots->freeRow();
        if (row < 0) {
            ++it;
            continue;
        }
        const GenerationRequest &r = job.request;
        SlotSampling s;
        s.temperature = r.temperature;
        s.topP = r.topP;
        s.topK = r.topK;
        s.presencePenalty = r.presencePenalty;
        s.frequencyPenalty = r.frequencyPenalty;
        s.seed = r.seed;
        s.logprobs = r.logprobs;
        try {
            g.slots->begin(row, r.prompt, s);
        } catch (const Error &e) {
            job.result.finishReason = "error";
            job.result.error = e.what();
            job.sink.onDone(job.result);
            it = m_queue.erase(it);
            continue;
        }
        job.decoder.emplace(*m_tokenizer, /*skipSpecialTokens=*/true); // as OpenAI and vLLM show text
        g.rows[size_t(row)] = *it;
        ++m_active;
        any = true;
        it = m_queue.erase(it);
    }
    return any;
}

// One turn of a batch: prefill (a chunk, or every newcomer when nothing decodes yet), then a step.
void Engine::iterate(Group &g, size_t index)
{
    m_model->selectAdapter(int(index) - 1);
    try {
        bool decodingBefore = false;
        for (size_t row = 0; row < g.rows.size(); ++row)
            decodingBefore = decodingBefore || (g.rows[row] && g.slots->decoding(int(row)));
        if (!decodingBefore) {
            // Nothing runs yet, so nothing waits: every newcomer's prompt at once, batched.
            std::vector<int> fresh;
            for (size_t row = 0; row < g.rows.size(); ++row) {
                if (!g.rows[row] || g.slots->decoding(int(row)))
                    continue;
                if (g.slots->length(int(row)) == 0) {
                    fresh.push_back(int(row));
                    continue;
                }
                while (g.rows[row] && !g.slots->decoding(int(row)))
                    if (auto tok = g.slots->prefill(int(row), m_options.prefillChunk))
                        emit(g, *tok);
            }
            if (!fresh.empty())
                for (const SlotToken &t : g.slots->prefillTogether(fresh))
                    emit(g, t);
            return; // the first step comes next turn, after a look at the queue
        }
        // Running streams wait for one prefill chunk at most.
        for (size_t row = 0; row < g.rows.size(); ++row) {
            if (g.rows[row] && !g.slots->decoding(int(row))) {
                if (auto tok = g.slots->prefill(int(row), m_options.prefillChunk))
                    emit(g, *tok);
                break;
            }
        }
        const std::vector<SlotToken> tokens = g.slots->step();
        for (const SlotToken &t : tokens)
            emit(g, t);
        std::lock_guard lock(m_mutex);
        m_recent.emplace_back(Clock::now(), int(tokens.size()));
        while (!m_recent.empty() && since(m_recent.front().first) > 3.0)
            m_recent.pop_front();
    } catch (const Error &e) { // out of memory, a device failure: every request of the batch fails
        for (int row = 0; row < int(g.rows.size()); ++row)
            if (g.rows[size_t(row)])
                finish(g, row, "error", e.what());
    }
}

void Engine::emit(Group &g, const SlotToken &t)
{
    Job &job = *g.rows[size_t(t.row)];
    const GenerationRequest &r = job.request;
    GenerationResult &res = job.result;
    if (res.completionTokens == 0)
        res.ttftSeconds = since(job.submitted);
    ++res.completionTokens;
    ++m_generated;
    const bool eos = !r.ignoreEos && std::find(m_eos.begin(), m_eos.end(), t.id) != m_eos.end();
    std::string reason;
    if (eos) {
        reason = "stop";
    } else {
        const size_t before = job.text.size();
        job.text += job.decoder->push(t.id);
        if (!r.stop.empty()) {
            const size_t at = findStop(job.text, r.stop, before);
            if (at != std::string::npos) {
                job.text.resize(std::max(at, job.sent));
                reason = "stop";
            }
        }
    }
    if (reason.empty() && res.completionTokens >= r.maxTokens)
        reason = "length";
    if (reason.empty() && g.slots->length(t.row) + 1 >= m_maxContext)
        reason = "length";

    GeneratedToken out;
    out.id = t.id;
    out.logprob = t.logprob;
    for (const auto &[id, lp] : t.top)
        out.top.push_back({id, lp});
    size_t safe = job.text.size();
    if (reason.empty()) {
        safe -= heldForStop(job.text, r.stop);
        while (safe > job.sent && (static_cast<unsigned char>(job.text[safe]) & 0xC0) == 0x80)
            --safe; // never split a character
    }
    if (safe > job.sent) {
        out.text = job.text.substr(job.sent, safe - job.sent);
        job.sent = safe;
    }
    res.tokens.push_back(out);
    if (job.sink.onToken && !job.sink.onToken(out) && reason.empty())
        reason = "cancelled";
    if (!reason.empty())
        finish(g, t.row, reason);
}

void Engine::finish(Group &g, int row, const std::string &reason, const std::string &error)
{
    std::shared_ptr<Job> job = std::move(g.rows[size_t(row)]);
    g.slots->release(row);
    GenerationResult &res = job->result;
    if (reason != "stop" || res.tokens.empty() ||
        std::find(m_eos.begin(), m_eos.end(), res.tokens.back().id) != m_eos.end())
        job->text += job->decoder->flush(); // a character still split at the end
    res.text = job->text;
    res.pendingText = job->text.substr(std::min(job->sent, job->text.size()));
    res.finishReason = reason;
    res.error = error;
    res.seconds = since(job->submitted);
    {
        std::lock_guard lock(m_mutex);
        --m_active;
        ++m_finished;
    }
    job->sink.onDone(res);
}

} // namespace

std::unique_ptr<Backend> startEngine(const std::filesystem::path &modelDir, const std::string &name,
                                     const std::vector<AdapterSpec> &adapters,
                                     const EngineOptions &options, LoadProgress progress)
{
    return std::make_unique<Engine>(modelDir, name, adapters, options, progress);
}

} // namespace wb::serve

// /v1/chat/completions and /v1/completions: a request becomes one GenerationRequest per choice,
// submitted to the backend; the answer is written whole once every choice is done, or streamed
// as server-sent events while the engine thread queues tokens (Generations, the bridge).

#include "serve/server_internal.h"

#include "common/error.h"
#include "tokenizer/chat_template.h"
#include "tokenizer/tokenizer.h"

#include <random>

namespace wb::serve {

using openai::ApiError;
using openai::json;
using namespace std::chrono_literals;

// ---- the bridge -------------------------------------------------------------------------

Generations::Generations(Backend &backend, size_t count, bool stream)
    : m_backend(backend), m_stream(stream), m_results(count), m_remaining(count)
{
}

std::shared_ptr<Generations>
Generations::submit(Backend &backend, std::vector<GenerationRequest> requests, bool stream)
{
    std::shared_ptr<Generations> g(new Generations(backend, requests.size(), stream));
    for (size_t i = 0; i < requests.size(); ++i) {
        if (requests[i].maxTokens == 0) {
            // max_tokens 0 (completions with echo, to score the prompt): nothing to generate.
            GenerationResult r;
            r.finishReason = "length";
            r.promptTokens = int(requests[i].prompt.size());
            g->sink(i).onDone(r);
            continue;
        }
        try {
            const uint64_t id = backend.submit(std::move(requests[i]), g->sink(i));
            std::lock_guard lock(g->m_mutex);
            g->m_ids.push_back(id);
        } catch (const wb::Error &e) {
            g->cancel();
            throw apiError(e);
        }
    }
    return g;
}

GenerationSink Generations::sink(size_t choice)
{
    auto self = shared_from_this();
    GenerationSink s;
    s.onToken = [self, choice](const GeneratedToken &t) {
        if (self->m_gone)
            return false;
        if (self->m_stream) {
            std::lock_guard lock(self->m_mutex);
            self->m_events.push_back({choice, t, std::nullopt});
            self->m_cv.notify_all();
        }
        return true;
    };
    s.onDone = [self, choice](const GenerationResult &r) {
        std::lock_guard lock(self->m_mutex);
        if (self->m_stream)
            self->m_events.push_back({choice, std::nullopt, r});
        else
            self->m_results[choice] = r;
        --self->m_remaining;
        self->m_cv.notify_all();
    };
    return s;
}

std::vector<GenerationEvent> Generations::next(std::chrono::milliseconds wait)
{
    std::unique_lock lock(m_mutex);
    m_cv.wait_for(lock, wait, [this] { return !m_events.empty(); });
    std::vector<GenerationEvent> out(std::make_move_iterator(m_events.begin()),
                                     std::make_move_iterator(m_events.end()));
    m_events.clear();
    return out;
}

std::vector<GenerationResult> Generations::results()
{
    std::unique_lock lock(m_mutex);
    m_cv.wait(lock, [this] { return m_remaining == 0; });
    return m_results;
}

void Generations::cancel()
{
    m_gone = true;
    std::vector<uint64_t> ids;
    {
        std::lock_guard lock(m_mutex);
        ids = m_ids;
    }
    for (uint64_t id : ids)
        m_backend.cancel(id);
}

bool Generations::finished()
{
    std::lock_guard lock(m_mutex);
    return m_remaining == 0 && m_events.empty();
}

void Server::Impl::stream(httplib::Response &res, std::shared_ptr<Generations> generations,
                          std::string head,
                          std::function<std::string(const GenerationEvent &)> onEvent,
                          std::function<std::string()> tail)
{
    auto pendingHead = std::make_shared<std::string>(std::move(head));
    ++streams;
    res.set_header("Cache-Control", "no-cache");
    res.set_chunked_content_provider(
        "text/event-stream",
        [generations, pendingHead, onEvent, tail](size_t, httplib::DataSink &sink) {
            std::string out = std::move(*pendingHead);
            pendingHead->clear();
            // Short waits: between tokens the socket is checked, so a client that went away
            // frees its slot even while its request waits in the queue.
            for (const auto &e : generations->next(out.empty() ? 50ms : 0ms))
                out += onEvent(e);
            const bool last = generations->finished();
            if (last)
                out += tail();
            if (out.empty() ? !sink.is_writable() : !sink.write(out.data(), out.size())) {
                generations->cancel();
                return false;
            }
            if (last)
                sink.done();
            return true;
        },
        [this, generations](bool success) {
            if (!success)
                generations->cancel();
            --streams;
        });
}

// ---- shared by both routes ----------------------------------------------------------------

namespace {

uint64_t randomSeed()
{
    thread_local std::mt19937_64 rng{std::random_device{}()};
    return rng();
}

int64_t unixNow()
{
    return std::chrono::duration_cast<std::chrono::seconds>(
               std::chrono::system_clock::now().time_since_epoch())
        .count();
}

// max_tokens for a prompt of `promptTokens`: the client's, checked against the context, or
// the route's default cut to what the context leaves.
int tokenBudget(size_t promptTokens, const openai::Sampling &s, int defaultMax,
                const openai::Limits &limits, const std::string &promptParam)
{
    const int64_t n = int64_t(promptTokens);
    if (n == 0)
        throw ApiError(400, "'" + promptParam + "' is empty: the model needs at least one token.",
                       promptParam, "invalid_value");
    if (n > limits.maxPromptTokens)
        throw ApiError(400,
                       "'" + promptParam + "' has " + std::to_string(n) +
                           " tokens, above this server's limit of " +
                           std::to_string(limits.maxPromptTokens) + ".",
                       promptParam, "context_length_exceeded");
    const int64_t room = limits.maxContext - n;
    if (s.maxTokens) {
        if (*s.maxTokens > room)
            throw ApiError(400,
                           "This model's maximum context length is " +
                               std::to_string(limits.maxContext) + " tokens: the prompt has " +
                               std::to_string(n) + " and '" + s.maxTokensParam + "' asks for " +
                               std::to_string(*s.maxTokens) + " more.",
                           s.maxTokensParam, "context_length_exceeded");
        return *s.maxTokens;
    }
    if (room < 1)
        throw ApiError(400,
                       "'" + promptParam + "' has " + std::to_string(n) +
                           " tokens and leaves no room to generate in this model's context of " +
                           std::to_string(limits.maxContext) + ".",
                       promptParam, "context_length_exceeded");
    return int(std::min<int64_t>(defaultMax, room));
}

// One request per choice; choice j draws with seed + j, so n samples differ and each repeats.
void addChoices(std::vector<GenerationRequest> &out, const openai::Sampling &s, uint64_t seed,
                const std::vector<int32_t> &prompt, int maxTokens, int logprobs)
{
    for (int j = 0; j < s.n; ++j) {
        GenerationRequest r;
        r.model = s.model;
        r.prompt = prompt;
        r.temperature = s.temperature;
        r.topP = s.topP;
        r.topK = s.topK;
        r.presencePenalty = s.presencePenalty;
        r.frequencyPenalty = s.frequencyPenalty;
        r.maxTokens = maxTokens;
        r.seed = seed + uint64_t(j);
        r.stop = s.stop;
        r.ignoreEos = s.ignoreEos;
        r.logprobs = logprobs;
        out.push_back(std::move(r));
    }
}

bool failed(const GenerationResult &r)
{
    return r.finishReason == "cancelled" || r.finishReason == "error";
}

ApiError failure(const GenerationResult &r)
{
    if (r.finishReason == "cancelled")
        return ApiError(503, "The server is shutting down; the request was cancelled.", {},
                        "shutting_down");
    return ApiError(500, "Generation failed: " + r.error, {}, "internal_error");
}

std::string errorEvent(const GenerationResult &r)
{
    const ApiError e = failure(r);
    return openai::sse(openai::errorBody(e.status(), e.what(), {}, e.code()));
}

// OpenAI's envelope around choices: a whole answer with usage; stream chunks, whose usage is
// null while include_usage is set (only the last, choiceless chunk carries it); the stream's end.
struct Envelope
{
    std::string id;
    std::string object;      // "chat.completion", "text_completion"
    std::string chunkObject; // "chat.completion.chunk", "text_completion"
    int64_t created = 0;
    std::string model;
    bool includeUsage = false;

    json whole(json choices, json usage) const
    {
        return {{"id", id},         {"object", object},           {"created", created},
                {"model", model},   {"choices", std::move(choices)}, {"usage", std::move(usage)}};
    }
    json chunk(json choices) const
    {
        json c = {{"id", id}, {"object", chunkObject}, {"created", created}, {"model", model},
                  {"choices", std::move(choices)}};
        if (includeUsage)
            c["usage"] = nullptr;
        return c;
    }
    std::string end(json usage) const
    {
        std::string out;
        if (includeUsage) {
            json c = chunk(json::array());
            c["usage"] = std::move(usage);
            out += openai::sse(c);
        }
        return out + "data: [DONE]\n\n";
    }
};

} // namespace

// ---- /v1/chat/completions --------------------------------------------------------------------

void Server::Impl::chat(const json &body, httplib::Response &res,
                        const std::shared_ptr<RequestInfo> &info)
{
    const openai::ChatParams p = openai::parseChat(body, limits);
    const openai::Sampling &s = p.sampling;
    info->model = s.model;
    checkModel(s.model);
    const ChatTemplate *tmpl = backend.chatTemplate();
    if (!tmpl)
        throw ApiError(400,
                       "The model '" + s.model +
                           "' has no chat template (none in its "
                           "tokenizer_config.json or chat_template.jinja): use /v1/completions.",
                       "messages", "no_chat_template");
    const Tokenizer &tok = backend.tokenizer();
    std::string rendered;
    try {
        rendered = tmpl->render(p.messages, true, tok.bosToken(), tok.eosToken());
    } catch (const wb::Error &e) {
        throw ApiError(400, "The model's chat template refused the messages: " + e.message(),
                       "messages", "invalid_value");
    }
    const std::vector<int32_t> prompt = tok.encode(rendered, /*addSpecialTokens=*/false);
    const int maxTokens = tokenBudget(prompt.size(), s, limits.maxTokens, limits, "messages");
    info->promptTokens = int64_t(prompt.size());
    std::vector<GenerationRequest> requests;
    addChoices(requests, s, s.seed.value_or(randomSeed()), prompt, maxTokens, p.logprobs);
    auto generations = Generations::submit(backend, std::move(requests), s.stream);

    const Envelope env{openai::newId("chatcmpl-"), "chat.completion", "chat.completion.chunk",
                       unixNow(), s.model, s.includeUsage};
    const int logprobs = p.logprobs;
    const auto logprobsJson = [&tok, logprobs](const std::vector<GeneratedToken> &tokens) {
        return logprobs < 0 ? json(nullptr)
                            : json{{"content", openai::chatLogprobsContent(tokens, tok)}};
    };
    if (!s.stream) {
        json choices = json::array();
        for (const auto &r : generations->results()) {
            if (failed(r))
                throw failure(r);
            choices.push_back({{"index", choices.size()},
                               {"message", {{"role", "assistant"}, {"content", r.text}}},
                               {"logprobs", logprobsJson(r.tokens)},
                               {"finish_reason", r.finishReason}});
            info->completionTokens += r.completionTokens;
        }
        sendJson(res, env.whole(std::move(choices), openai::usage(info->promptTokens, info->completionTokens)));
        return;
    }

    const auto choiceChunk = [env](size_t i, json delta, json lp, json finish) {
        return openai::sse(env.chunk(json::array({{{"index", i},
                                               {"delta", std::move(delta)},
                                               {"logprobs", std::move(lp)},
                                               {"finish_reason", std::move(finish)}}})));
    };
    std::string head;
    for (int i = 0; i < s.n; ++i)
        head += choiceChunk(size_t(i), {{"role", "assistant"}, {"content", ""}}, nullptr, nullptr);
    // Tokens that made no text yet (a stop string or a character still forming) send their
    // logprobs with the next chunk that has text.
    auto held = std::make_shared<std::vector<std::vector<GeneratedToken>>>(size_t(s.n));
    const auto onEvent = [=](const GenerationEvent &e) -> std::string {
        auto &pending = (*held)[e.choice];
        if (e.token) {
            if (logprobs >= 0)
                pending.push_back(*e.token);
            if (e.token->text.empty())
                return {};
            const json lp = logprobsJson(pending);
            pending.clear();
            return choiceChunk(e.choice, {{"content", e.token->text}}, lp, nullptr);
        }
        const GenerationResult &r = *e.done;
        if (failed(r))
            return errorEvent(r);
        info->completionTokens += r.completionTokens;
        const json delta =
            r.pendingText.empty() ? json::object() : json{{"content", r.pendingText}};
        const json lp = logprobsJson(pending);
        pending.clear();
        return choiceChunk(e.choice, delta, lp, r.finishReason);
    };
    const auto tail = [env, info] { return env.end(openai::usage(info->promptTokens, info->completionTokens)); };
    stream(res, std::move(generations), std::move(head), onEvent, tail);
}

// ---- /v1/completions ---------------------------------------------------------------------

void Server::Impl::completions(const json &body, httplib::Response &res,
                               const std::shared_ptr<RequestInfo> &info)
{
    const openai::CompletionParams p = openai::parseCompletion(body, limits);
    const openai::Sampling &s = p.sampling;
    info->model = s.model;
    checkModel(s.model);
    const Tokenizer &tok = backend.tokenizer();
    const uint64_t seed = s.seed.value_or(randomSeed());
    const int logprobs = p.logprobs;

    // Per prompt: its text as echoed, and with echo + logprobs its own tokens' logprobs.
    struct Prompt
    {
        std::string text;
        std::vector<GeneratedToken> logprobs;
    };
    std::vector<Prompt> prompts;
    std::vector<GenerationRequest> requests;
    for (size_t k = 0; k < p.prompts.size(); ++k) {
        const auto &in = p.prompts[k];
        const std::string param =
            p.prompts.size() == 1 ? "prompt" : "prompt[" + std::to_string(k) + "]";
        const std::vector<int32_t> ids = in.isIds ? in.ids : tok.encode(in.text, true);
        const int maxTokens = tokenBudget(ids.size(), s, 16, limits, param);
        info->promptTokens += int64_t(ids.size());
        Prompt pr{in.isIds ? tok.decode(ids) : in.text, {}};
        if (p.echo && logprobs >= 0)
            pr.logprobs = backend.promptLogprobs(s.model, ids, logprobs);
        prompts.push_back(std::move(pr));
        addChoices(requests, s, seed, ids, maxTokens, logprobs);
    }
    auto generations = Generations::submit(backend, std::move(requests), s.stream);

    const Envelope env{openai::newId("cmpl-"), "text_completion", "text_completion", unixNow(),
                       s.model, s.includeUsage};
    const bool echo = p.echo;
    const size_t n = size_t(s.n);
    // Choice i answers prompt i / n. Its legacy logprobs start with the echoed prompt's.
    auto lps = std::make_shared<std::vector<openai::LegacyLogprobs>>();
    std::vector<std::string> echoed(prompts.size() * n);
    for (size_t i = 0; i < prompts.size() * n; ++i) {
        lps->emplace_back(tok);
        if (!echo)
            continue;
        echoed[i] = prompts[i / n].text;
        for (const auto &t : prompts[i / n].logprobs)
            lps->back().add(t);
    }
    const auto takeLogprobs = [lps, logprobs](size_t i) {
        return logprobs < 0 ? json(nullptr) : (*lps)[i].take();
    };

    if (!s.stream) {
        json choices = json::array();
        const auto results = generations->results();
        for (size_t i = 0; i < results.size(); ++i) {
            const GenerationResult &r = results[i];
            if (failed(r))
                throw failure(r);
            for (const auto &t : r.tokens)
                (*lps)[i].add(t);
            choices.push_back({{"index", i},
                               {"text", echoed[i] + r.text},
                               {"logprobs", takeLogprobs(i)},
                               {"finish_reason", r.finishReason}});
            info->completionTokens += r.completionTokens;
        }
        sendJson(res, env.whole(std::move(choices), openai::usage(info->promptTokens, info->completionTokens)));
        return;
    }

    const auto choiceChunk = [env](size_t i, const std::string &text, json lp, json finish) {
        return openai::sse(env.chunk(json::array({{{"index", i},
                                               {"text", text},
                                               {"logprobs", std::move(lp)},
                                               {"finish_reason", std::move(finish)}}})));
    };
    std::string head;
    for (size_t i = 0; echo && i < echoed.size(); ++i)
        head += choiceChunk(i, echoed[i], takeLogprobs(i), nullptr);
    const auto onEvent = [=](const GenerationEvent &e) -> std::string {
        if (e.token) {
            if (logprobs >= 0)
                (*lps)[e.choice].add(*e.token);
            if (e.token->text.empty())
                return {};
            return choiceChunk(e.choice, e.token->text, takeLogprobs(e.choice), nullptr);
        }
        const GenerationResult &r = *e.done;
        if (failed(r))
            return errorEvent(r);
        info->completionTokens += r.completionTokens;
        return choiceChunk(e.choice, r.pendingText, takeLogprobs(e.choice), r.finishReason);
    };
    const auto tail = [env, info] { return env.end(openai::usage(info->promptTokens, info->completionTokens)); };
    stream(res, std::move(generations), std::move(head), onEvent, tail);
}

} // namespace wb::serve

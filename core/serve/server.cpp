// The server's lifecycle (bind, serve, drain, stop), authentication, routing, the request log,
// and the routes that do not generate: /health, /v1/models, /v1/embeddings.

#include "serve/server_internal.h"

#include "common/error.h"
#include "tokenizer/tokenizer.h"

#include <arpa/inet.h>
#include <sys/socket.h>

namespace wb::serve {

using openai::ApiError;
using openai::json;

namespace {

bool isLoopback(const std::string &host)
{
    if (host == "localhost" || host == "::1")
        return true;
    in_addr a{};
    return inet_pton(AF_INET, host.c_str(), &a) == 1 && (ntohl(a.s_addr) >> 24) == 127;
}

// Time depends on the key's length only, not on how much of it a guess got right.
bool constantTimeEqual(const std::string &given, const std::string &key)
{
    unsigned char diff = given.size() != key.size();
    for (size_t i = 0; i < key.size(); ++i)
        diff |= static_cast<unsigned char>((i < given.size() ? given[i] : 0) ^ key[i]);
    return diff == 0;
}

const char *kRoutes = "GET /health, GET /v1/models, POST /v1/chat/completions, "
                      "POST /v1/completions and POST /v1/embeddings";

} // namespace

openai::ApiError apiError(const wb::Error &e)
{
    switch (e.code()) {
    case ErrorCode::NotFound:
        return ApiError(404, e.message(), "model", "model_not_found");
    case ErrorCode::Conflict:
        return ApiError(429, e.message(), {}, "queue_full");
    case ErrorCode::Cancelled:
        return ApiError(503, "The server is shutting down.", {}, "shutting_down");
    case ErrorCode::Validation:
    case ErrorCode::Parse:
        return ApiError(400, e.message(), {}, "invalid_value");
    default:
        return ApiError(500, e.what(), {}, "internal_error");
    }
}

void sendJson(httplib::Response &res, const json &body, int status)
{
    res.status = status;
    res.set_content(openai::dump(body), "application/json");
}

void sendError(httplib::Response &res, const ApiError &e)
{
    sendJson(res, openai::errorBody(e.status(), e.what(), e.param(), e.code()), e.status());
}

Server::Impl::Impl(Backend &b, ServerOptions o) : backend(b), options(std::move(o))
{
    limits.maxContext = backend.maxContext();
    limits.maxTokens = int(std::min<int64_t>(options.maxTokensLimit, limits.maxContext));
    limits.maxN = options.maxN;
    limits.maxPromptTokens = options.maxPromptTokens > 0
                                 ? std::min(options.maxPromptTokens, limits.maxContext)
                                 : limits.maxContext;
    limits.vocabSize = backend.tokenizer().vocabSize();
}

std::shared_ptr<RequestInfo> Server::Impl::info(const httplib::Request &req)
{
    std::lock_guard lock(infoMutex);
    auto &slot = infos[&req];
    if (!slot)
        slot = std::make_shared<RequestInfo>();
    return slot;
}

void Server::Impl::writeLog(const httplib::Request &req, const httplib::Response &res)
{
    std::shared_ptr<RequestInfo> i;
    {
        std::lock_guard lock(infoMutex);
        if (auto it = infos.find(&req); it != infos.end()) {
            i = std::move(it->second);
            infos.erase(it);
        }
    }
    if (!i)
        i = std::make_shared<RequestInfo>(); // refused before routing (a malformed request line)
    std::lock_guard lock(logMutex);
    if (!log)
        return;
    log(RequestLog{
        i->time, req.method, req.path, res.status, i->model, i->promptTokens, i->completionTokens,
        std::chrono::duration<double>(std::chrono::steady_clock::now() - i->start).count()});
}

bool Server::Impl::authorized(const httplib::Request &req) const
{
    if (options.apiKey.empty())
        return true;
    const std::string header = req.get_header_value("Authorization");
    const std::string prefix = "Bearer ";
    return header.compare(0, prefix.size(), prefix) == 0 &&
           constantTimeEqual(header.substr(prefix.size()), options.apiKey);
}

void Server::Impl::checkModel(const std::string &name) const
{
    std::string served;
    for (const auto &m : backend.models()) {
        if (m.name == name)
            return;
        served += (served.empty() ? "" : ", ") + m.name;
    }
    throw ApiError(404,
                   "The model '" + name + "' does not exist. This server serves: " + served + ".",
                   "model", "model_not_found");
}

void Server::Impl::models(httplib::Response &res) const
{
    json data = json::array();
    for (const auto &m : backend.models())
        data.push_back(
            {{"id", m.name}, {"object", "model"}, {"created", created}, {"owned_by", "llmwb"}});
    sendJson(res, {{"object", "list"}, {"data", std::move(data)}});
}

void Server::Impl::embeddings(const json &body, httplib::Response &res, RequestInfo &info)
{
    const openai::EmbeddingParams p = openai::parseEmbeddings(body, limits);
    info.model = p.model;
    checkModel(p.model);
    std::vector<std::vector<int32_t>> inputs;
    for (size_t i = 0; i < p.inputs.size(); ++i) {
        const auto &in = p.inputs[i];
        const std::string param =
            p.inputs.size() == 1 ? "input" : "input[" + std::to_string(i) + "]";
        inputs.push_back(in.isIds ? in.ids : backend.tokenizer().encode(in.text, true));
        if (inputs.back().empty())
            throw ApiError(400, "'" + param + "' is empty.", param, "invalid_value");
        if (int64_t(inputs.back().size()) > limits.maxPromptTokens)
            throw ApiError(400,
                           "'" + param + "' has " + std::to_string(inputs.back().size()) +
                               " tokens, above this server's limit of " +
                               std::to_string(limits.maxPromptTokens) + ".",
                           param, "context_length_exceeded");
        info.promptTokens += int64_t(inputs.back().size());
    }
    const auto vectors = backend.embed(p.model, inputs);
    if (p.dimensions && !vectors.empty() && size_t(*p.dimensions) != vectors.front().size())
        throw ApiError(400,
                       "'dimensions' is " + std::to_string(*p.dimensions) +
                           ": this model's "
                           "embeddings have " +
                           std::to_string(vectors.front().size()) + " and cannot be shortened.",
                       "dimensions", "invalid_value");
    json data = json::array();
    for (size_t i = 0; i < vectors.size(); ++i)
        data.push_back(
            {{"object", "embedding"},
             {"index", i},
             {"embedding", p.base64 ? json(openai::base64Floats(vectors[i])) : json(vectors[i])}});
    sendJson(res, {{"object", "list"},
                   {"data", std::move(data)},
                   {"model", p.model},
                   {"usage",
                    {{"prompt_tokens", info.promptTokens}, {"total_tokens", info.promptTokens}}}});
}

void Server::Impl::installRoutes()
{
    using Body = std::function<void(const json &, httplib::Response &,
                                    const std::shared_ptr<RequestInfo> &)>;
    // Every route but /health: the key, then 503 while draining, then OpenAI's error shape for
    // whatever the handler throws.
    const auto guarded = [this](std::function<void(const httplib::Request &, httplib::Response &,
                                                   const std::shared_ptr<RequestInfo> &)>
                                    handler) {
        return [this, handler](const httplib::Request &req, httplib::Response &res) {
            try {
                if (!authorized(req))
                    throw ApiError(401,
                                   "Incorrect or missing API key: send the header "
                                   "'Authorization: Bearer <key>'.",
                                   {}, "invalid_api_key");
                if (stopping)
                    throw ApiError(503, "The server is shutting down.", {}, "shutting_down");
                handler(req, res, info(req));
            } catch (const ApiError &e) {
                sendError(res, e);
            } catch (const wb::Error &e) {
                sendError(res, apiError(e));
            } catch (const std::exception &e) {
                sendError(res, ApiError(500, e.what(), {}, "internal_error"));
            }
        };
    };
    const auto post = [&](const char *path, Body body) {
        http.Post(path, guarded([body](const httplib::Request &req, httplib::Response &res,
                                       const std::shared_ptr<RequestInfo> &i) {
                      body(openai::parseBody(req.body), res, i);
                  }));
    };

    // Unauthenticated, for load balancers and watchdogs: liveness and load, nothing more.
    http.Get("/health", [this](const httplib::Request &req, httplib::Response &res) {
        info(req);
        const EngineStats s = backend.stats();
        sendJson(
            res,
            {{"status", stopping ? "stopping" : "ok"}, {"active", s.active}, {"queued", s.queued}},
            stopping ? 503 : 200);
    });
    http.Get("/v1/models", guarded([this](const auto &, auto &res, const auto &) { models(res); }));
    post("/v1/chat/completions",
         [this](const json &b, auto &res, const auto &i) { chat(b, res, i); });
    post("/v1/completions",
         [this](const json &b, auto &res, const auto &i) { completions(b, res, i); });
    post("/v1/embeddings",
         [this](const json &b, auto &res, const auto &i) { embeddings(b, res, *i); });

    // What httplib answers itself (unknown route, body too large, unreadable request) in
    // OpenAI's shape too. An unknown route asked without the key is 401, so that the routes a
    // server has are not probed anonymously.
    http.set_error_handler(httplib::Server::HandlerWithResponse(
        [this](const httplib::Request &req, httplib::Response &res) {
            if (!res.body.empty())
                return httplib::Server::HandlerResponse::Unhandled; // a route's own error
            if (res.status == 413)
                sendError(res, ApiError(413,
                                        "The request body is larger than this server's limit of " +
                                            std::to_string(options.maxBodyBytes) + " bytes.",
                                        {}, "request_too_large"));
            else if (res.status == 404 && !authorized(req))
                sendError(res, ApiError(401,
                                        "Incorrect or missing API key: send the header "
                                        "'Authorization: Bearer <key>'.",
                                        {}, "invalid_api_key"));
            else if (res.status == 404)
                sendError(res, ApiError(404,
                                        "Unknown route " + req.method + " " + req.path +
                                            ". This server answers " + kRoutes + ".",
                                        {}, "unknown_route"));
            else
                sendError(res, ApiError(res.status, "The request could not be read (HTTP " +
                                                        std::to_string(res.status) + ")."));
            return httplib::Server::HandlerResponse::Handled;
        }));
    http.set_pre_routing_handler([this](const httplib::Request &req, httplib::Response &) {
        info(req); // the arrival time, before the body is read
        return httplib::Server::HandlerResponse::Unhandled;
    });
    http.set_logger(
        [this](const httplib::Request &req, const httplib::Response &res) { writeLog(req, res); });
}

Server::Server(Backend &backend, ServerOptions options)
    : m_impl(std::make_unique<Impl>(backend, std::move(options)))
{
}

Server::~Server()
{
    if (running())
        stop(std::chrono::milliseconds(0));
}

void Server::checkOptions(const ServerOptions &options)
{
    if (options.apiKey.empty() && !isLoopback(options.host))
        throw Error(ErrorCode::Validation,
                    "refusing to serve on " + options.host +
                        " without an API key: anyone who can reach this machine could use the "
                        "model. Set a key (llmwb serve --api-key-env VAR) or bind 127.0.0.1.");
}

void Server::start()
{
    Impl &d = *m_impl;
    if (d.started)
        throw Error(ErrorCode::Conflict, "the server is already running on " + address());
    checkOptions(d.options);
    const int threads = std::max(2, d.options.threads);
    d.http.new_task_queue = [threads] { return new httplib::ThreadPool(size_t(threads)); };
    d.http.set_payload_max_length(d.options.maxBodyBytes);
    // httplib's default adds SO_REUSEPORT, which lets a second server bind the same port and
    // silently take half the connections; SO_REUSEADDR alone still allows a quick restart.
    d.http.set_socket_options([](socket_t sock) {
        const int yes = 1;
        setsockopt(sock, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof yes);
    });
    // A stalled client must not hold a worker for long; a long generation is not stalled: its
    // writes go through as tokens come.
    d.http.set_write_timeout(std::chrono::seconds(30));
    d.http.set_read_timeout(std::chrono::seconds(30));
    // An idle keep-alive connection holds a worker until this runs out, stop() included; clients
    // (undici, requests) take the Keep-Alive hint and stop reusing the connection before it.
    d.http.set_keep_alive_timeout(2);
    d.installRoutes();
    if (d.options.port == 0) {
        d.port = d.http.bind_to_any_port(d.options.host);
    } else {
        d.port = d.http.bind_to_port(d.options.host, d.options.port) ? d.options.port : -1;
    }
    if (d.port <= 0)
        throw Error(ErrorCode::Io, "cannot listen on " + d.options.host + ":" +
                                       std::to_string(d.options.port) +
                                       ": the port is in use, or the address is not this "
                                       "machine's. Choose another with --port (0: any free port).");
    d.created = std::chrono::duration_cast<std::chrono::seconds>(
                    std::chrono::system_clock::now().time_since_epoch())
                    .count();
    d.started = true;
    d.thread = std::thread([&d] { d.http.listen_after_bind(); });
}

int Server::port() const
{
    return m_impl->port;
}

std::string Server::address() const
{
    const std::string &h = m_impl->options.host;
    const bool v6 = h.find(':') != std::string::npos;
    return "http://" + (v6 ? "[" + h + "]" : h) + ":" + std::to_string(m_impl->port);
}

bool Server::running() const
{
    return m_impl->started && m_impl->thread.joinable();
}

void Server::stop(std::chrono::milliseconds deadline)
{
    Impl &d = *m_impl;
    if (!running())
        return;
    d.stopping = true;
    d.backend.shutdown(deadline);
    // Every generation has now ended; let the streams write their last events. httplib's
    // stop() would cut a stream off between two writes.
    const auto until = std::chrono::steady_clock::now() + std::chrono::seconds(2);
    while (d.streams > 0 && std::chrono::steady_clock::now() < until)
        std::this_thread::sleep_for(std::chrono::milliseconds(5));
    d.http.stop();
    d.thread.join();
}

void Server::setLog(std::function<void(const RequestLog &)> log)
{
    std::lock_guard lock(m_impl->logMutex);
    m_impl->log = std::move(log);
}

} // namespace wb::serve

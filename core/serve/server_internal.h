#pragma once

// What server.cpp (lifecycle, authentication, routing, models, embeddings) and
// server_generate.cpp (chat and text completions, streamed or whole) share. Not a public header.

#include "serve/backend.h"
#include "serve/openai_json.h"
#include "serve/server.h"

#include <httplib.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <deque>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <thread>

namespace wb {
class Error;
}

namespace wb::serve {

// What one request's log line gathers while it is answered. Written on the request's HTTP
// thread only (the handler, then its stream provider, then the logger all run there).
struct RequestInfo
{
    std::chrono::system_clock::time_point time = std::chrono::system_clock::now();
    std::chrono::steady_clock::time_point start = std::chrono::steady_clock::now();
    std::string model;
    int64_t promptTokens = 0;
    int64_t completionTokens = 0;
};

// The backend's errors as HTTP statuses: NotFound 404, Conflict (queue full) 429,
// Cancelled (shutting down) 503, Validation 400, anything else 500.
openai::ApiError apiError(const wb::Error &e);

// One event of a generation, queued by the engine thread for the HTTP thread.
struct GenerationEvent
{
    size_t choice = 0;
    std::optional<GeneratedToken> token;
    std::optional<GenerationResult> done;
};

// The bridge between the engine thread and one request's HTTP thread: the engine's callbacks
// only queue (never touch the socket), the HTTP thread waits on the queue and writes.
class Generations final : public std::enable_shared_from_this<Generations>
{
public:
    // Submits the requests (choice i is requests[i]). `stream`: every token is queued as an
    // event; otherwise only the results are kept. A submit that fails cancels those already
    // queued and throws ApiError.
    static std::shared_ptr<Generations>
    submit(Backend &backend, std::vector<GenerationRequest> requests, bool stream);
    // Streams: the events queued so far, waiting up to `wait` for the first.
    std::vector<GenerationEvent> next(std::chrono::milliseconds wait);
    // Whole answers: every choice's result, once all are done.
    std::vector<GenerationResult> results();
    // The client went away: onToken refuses further tokens and every request is cancelled.
    void cancel();
    bool finished();

private:
    Generations(Backend &backend, size_t count, bool stream);
    GenerationSink sink(size_t choice);

    Backend &m_backend;
    const bool m_stream;
    std::mutex m_mutex;
    std::condition_variable m_cv;
    std::deque<GenerationEvent> m_events;
    std::vector<GenerationResult> m_results;
    size_t m_remaining;
    std::vector<uint64_t> m_ids;
    std::atomic<bool> m_gone{false};
};

struct Server::Impl
{
    Impl(Backend &b, ServerOptions o);

    Backend &backend;
    ServerOptions options;
    openai::Limits limits;
    httplib::Server http;
    std::thread thread;
    int port = 0;
    std::atomic<bool> started{false};
    std::atomic<bool> stopping{false};
    std::atomic<int> streams{0}; // stream providers not yet released
    int64_t created = 0;         // unix time of start(), the models' "created"

    std::mutex logMutex;
    std::function<void(const RequestLog &)> log;
    std::mutex infoMutex;
    std::map<const httplib::Request *, std::shared_ptr<RequestInfo>> infos;

    void installRoutes();
    std::shared_ptr<RequestInfo> info(const httplib::Request &req);
    void writeLog(const httplib::Request &req, const httplib::Response &res);
    bool authorized(const httplib::Request &req) const;
    // Throws ApiError 404 listing the served models unless `name` is one of them.
    void checkModel(const std::string &name) const;

    void models(httplib::Response &res) const;
    void embeddings(const openai::json &body, httplib::Response &res, RequestInfo &info);
    void chat(const openai::json &body, httplib::Response &res,
              const std::shared_ptr<RequestInfo> &info);
    void completions(const openai::json &body, httplib::Response &res,
                     const std::shared_ptr<RequestInfo> &info);

    // Streams SSE text to the client: `head` first, then whatever `onEvent` makes of each event,
    // then `tail()` once every choice is done. A client that goes away cancels the generations.
    void stream(httplib::Response &res, std::shared_ptr<Generations> generations, std::string head,
                std::function<std::string(const GenerationEvent &)> onEvent,
                std::function<std::string()> tail);
};

void sendJson(httplib::Response &res, const openai::json &body, int status = 200);
void sendError(httplib::Response &res, const openai::ApiError &e);

} // namespace wb::serve

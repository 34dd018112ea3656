#pragma once

// The OpenAI-compatible HTTP server over a Backend (the local engine): /v1/models,
// /v1/chat/completions, /v1/completions, /v1/embeddings and /health, streamed as server-sent
// events or whole, with OpenAI's error shape and statuses. A thin translation: batching,
// sampling and cancellation live in the backend (ARCHITECTURE.md, "One way to ask a model").
// Safe by default: loopback unless an API key is set, bounded bodies, tokens, n and prompts.

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>

namespace wb::serve {

class Backend;

struct ServerOptions
{
    std::string host = "127.0.0.1";
    int port = 8000; // 0: a free port (port() tells which)
    // Empty: no authentication, which start() allows on loopback only. Set: every route but
    // /health needs "Authorization: Bearer <apiKey>".
    std::string apiKey;
    size_t maxBodyBytes = 4 << 20;
    int maxTokensLimit = 4096;   // max_tokens a request may ask for (also capped by the context)
    int maxN = 8;                // choices per request
    int64_t maxPromptTokens = 0; // 0: the backend's maxContext()
    // HTTP worker threads: each open connection (a stream, an idle keep-alive) holds one.
    int threads = 32;
};

// One answered request, for a live log (the CLI's stderr, the Models tab).
struct RequestLog
{
    std::chrono::system_clock::time_point time; // when it arrived
    std::string method;
    std::string path;
    int status = 0;
    std::string model;        // empty for routes without one
    int64_t promptTokens = 0; // as reported in usage
    int64_t completionTokens = 0;
    double seconds = 0; // arrival to the last byte written
};

class Server final
{
public:
    Server(Backend &backend, ServerOptions options);
    ~Server(); // stop(0) when still running
    Server(const Server &) = delete;
    Server &operator=(const Server &) = delete;

    // Throws Error(Validation) for a non-loopback host without an API key: callers check before
    // loading a model; start() checks again.
    static void checkOptions(const ServerOptions &options);

    // Binds and starts serving on a thread of its own. Throws as checkOptions() does, and
    // Error(Io) when the address cannot be bound.
    void start();
    int port() const;
    std::string address() const; // "http://127.0.0.1:8000"

    // Answers new requests 503, lets running streams finish for up to `deadline` (the backend
    // cancels what is left; those streams end with an error event), then closes the server.
    void stop(std::chrono::milliseconds deadline);
    bool running() const;

    // Called on an HTTP thread after each request's last byte; keep it short.
    void setLog(std::function<void(const RequestLog &)> log);

    struct Impl;

private:
    std::unique_ptr<Impl> m_impl;
};

} // namespace wb::serve

// The ModelEndpoint for an OpenAI-compatible server: worker threads inside complete(), each
// request within the endpoint's limits (remote_limits.h), streamed so that the time to the
// first token is measured, retried on 429, 5xx and connection failures.

#include "remote/remote_endpoint.h"

#include "common/error.h"
#include "remote/remote_limits.h"
#include "remote/remote_protocol.h"

#include <httplib.h>

#include <algorithm>
#include <atomic>
#include <cmath>
#include <condition_variable>
#include <cstdlib>
#include <exception>
#include <mutex>
#include <thread>

namespace wb {

using namespace remote;

namespace {

constexpr size_t kMaxBody = 8u << 20; // an error page or whole answer is never bigger

std::string plural(int n, const char *word)
{
    return std::to_string(n) + " " + word + (n == 1 ? "" : "s");
}

std::string secondsText(double s)
{
    char buf[32];
    std::snprintf(buf, sizeof buf, "%g s", s);
    return buf;
}

double since(Clock::time_point t0)
{
    return std::chrono::duration<double>(Clock::now() - t0).count();
}

// The state one complete() call shares between its workers and the waiting caller.
struct Run
{
    explicit Run(const IsCancelled &check, size_t workers) : isCancelled(check), clients(workers) {}

    // isCancelled() is the caller's: it is only ever called under our lock, one thread at a time.
    bool stop()
    {
        if (cancelled)
            return true;
        if (!isCancelled)
            return false;
        std::lock_guard<std::mutex> lock(cancelMutex);
        if (!cancelled && isCancelled())
            cancelled = true;
        return cancelled;
    }

    const IsCancelled &isCancelled;
    std::atomic<bool> cancelled{false};
    std::mutex cancelMutex;
    std::mutex doneMutex;
    std::exception_ptr failure; // thrown by onDone: rethrown by complete()
    std::atomic<size_t> next{0};
    // The client each worker is sending with, so that cancelling can cut a stalled read short.
    std::mutex clientsMutex;
    std::vector<httplib::Client *> clients;
};

struct Attempt
{
    enum class Kind { Ok, Http, Transport, Answer, Cancelled } kind = Kind::Ok;
    bool retryable = false;
    int status = 0;
    std::string label;   // "timed out", "connection failed", ...: what the final error leads with
    std::string message; // the server's message or what went wrong on the wire
    std::optional<double> retryAfter;
    Completion completion;
};

class RemoteEndpoint final : public ModelEndpoint
{
public:
    RemoteEndpoint(RemoteSettings settings, BaseUrl url, std::string key)
        : m_s(std::move(settings)), m_url(std::move(url)), m_key(std::move(key)),
          m_slots(m_s.maxConcurrency), m_limiter(m_s.rpm), m_rng(std::random_device{}())
    {
        m_s.apiKey.clear();
    }

    std::string identity() const override
    {
        return "remote:" + m_url.normalised() + "#" + m_s.model;
    }
    int batchSize() const override { return m_s.maxConcurrency; }

    std::vector<ChoiceScores> score(const std::vector<ChoiceRequest> &,
                                    const IsCancelled &) override
    {
        throw Error(ErrorCode::Validation,
                    (m_s.name.empty() ? m_s.model : m_s.name) +
                        ": log-likelihood scoring needs a local model; use method generate for "
                        "remote endpoints");
    }

    void complete(const std::vector<CompletionRequest> &requests,
                  const std::function<void(size_t, Completion)> &onDone,
                  const IsCancelled &isCancelled) override;

private:
    std::optional<Completion> completeOne(const CompletionRequest &request, Run &run,
                                          size_t worker);
    Attempt attempt(const CompletionRequest &request, Run &run, size_t worker, bool includeUsage);
    std::string finalError(const Attempt &last, int attempts) const;
    double backoff(int retry, std::optional<double> retryAfter)
    {
        std::lock_guard<std::mutex> lock(m_rngMutex);
        return backoffSeconds(retry, retryAfter, m_rng);
    }

    RemoteSettings m_s;
    BaseUrl m_url;
    std::string m_key;
    // Kept in the endpoint, not in complete(): the limits hold across concurrent calls.
    ConcurrencySlots m_slots;
    RateLimiter m_limiter;
    // Cleared when the server refuses stream_options (older vLLM forbids unknown fields).
    std::atomic<bool> m_streamUsage{true};
    std::mutex m_rngMutex;
    std::mt19937_64 m_rng;
};

void RemoteEndpoint::complete(const std::vector<CompletionRequest> &requests,
                              const std::function<void(size_t, Completion)> &onDone,
                              const IsCancelled &isCancelled)
{
    if (requests.empty())
        return;
    const size_t workers = std::min(requests.size(), static_cast<size_t>(m_s.maxConcurrency));
    Run run(isCancelled, workers);
    std::mutex waitMutex;
    std::condition_variable waitCv;
    size_t active = workers;
    auto work = [&](size_t worker) {
        for (;;) {
            if (run.stop())
                break;
            const size_t i = run.next++;
            if (i >= requests.size())
                break;
            std::optional<Completion> done;
            try {
                done = completeOne(requests[i], run, worker);
            } catch (const std::exception &e) {
                done = Completion{};
                done->error = redact(e.what(), m_key);
            }
            if (!done)
                break; // cancelled: no call for it
            std::lock_guard<std::mutex> lock(run.doneMutex);
            if (run.failure)
                break;
            try {
                onDone(i, std::move(*done));
            } catch (...) {
                run.failure = std::current_exception();
                run.cancelled = true;
                break;
            }
        }
        {
            std::lock_guard<std::mutex> lock(waitMutex);
            --active;
        }
        waitCv.notify_all();
    };
    std::vector<std::thread> threads;
    threads.reserve(workers);
    for (size_t w = 0; w < workers; ++w)
        threads.emplace_back(work, w);
    // The caller's thread watches for cancellation: a worker blocked in a read cannot, so its
    // connection is shut down from here (repeatedly, in case it was still connecting).
    {
        std::unique_lock<std::mutex> lock(waitMutex);
        while (active > 0) {
            waitCv.wait_for(lock, std::chrono::milliseconds(20));
            lock.unlock();
            if (run.stop()) {
                std::lock_guard<std::mutex> clients(run.clientsMutex);
                for (auto *client : run.clients)
                    if (client)
                        client->stop();
            }
            lock.lock();
        }
    }
    for (auto &t : threads)
        t.join();
    if (run.failure)
        std::rethrow_exception(run.failure);
}

std::optional<Completion> RemoteEndpoint::completeOne(const CompletionRequest &request, Run &run,
                                                      size_t worker)
{
    const StopCheck stop = [&run] { return run.stop(); };
    const int attempts = 1 + std::max(0, m_s.retries);
    Attempt last;
    int made = 0;
    bool waitFirst = false;
    while (made < attempts) {
        if (waitFirst && !sleepFor(backoff(made - 1, last.retryAfter), stop))
            return std::nullopt;
        if (run.stop() || !m_slots.acquire(stop))
            return std::nullopt;
        {
            SlotGuard slot(m_slots);
            if (!m_limiter.acquire(stop) || run.stop())
                return std::nullopt;
            last = attempt(request, run, worker, m_streamUsage.load());
        }
        ++made;
        if (last.kind == Attempt::Kind::Cancelled)
            return std::nullopt;
        if (last.kind == Attempt::Kind::Ok)
            return last.completion;
        if (last.kind == Attempt::Kind::Http && last.status == 400 && m_streamUsage.load() &&
            last.message.find("stream_options") != std::string::npos) {
            m_streamUsage = false; // ask again at once without it; not a failed attempt
            --made;
            waitFirst = false;
            continue;
        }
        if (!last.retryable)
            break;
        waitFirst = true;
    }
    Completion failed;
    failed.error = redact(finalError(last, made), m_key);
    return failed;
}

std::string RemoteEndpoint::finalError(const Attempt &last, int attempts) const
{
    std::string what;
    if (last.kind == Attempt::Kind::Http) {
        what = "HTTP " + std::to_string(last.status);
        if (last.status == 401 || last.status == 403)
            return what + ": " + last.message + " (check the API key" +
                   (m_s.apiKeyEnv.empty() ? std::string(")") : " in " + m_s.apiKeyEnv + ")");
    } else {
        what = last.label;
    }
    if (!last.retryable)
        return what.empty() ? last.message : what + ": " + last.message;
    return what + " after " + plural(attempts, "attempt") + ": " + last.message;
}

Attempt RemoteEndpoint::attempt(const CompletionRequest &request, Run &run, size_t worker,
                                bool includeUsage)
{
    Attempt out;
    httplib::Client client(m_url.origin());
    const auto split = [](double s, auto &&set) {
        const double whole = std::floor(s);
        set(static_cast<time_t>(whole), static_cast<time_t>((s - whole) * 1e6));
    };
    split(m_s.timeoutSeconds, [&](time_t s, time_t us) { client.set_read_timeout(s, us); });
    split(m_s.timeoutSeconds, [&](time_t s, time_t us) { client.set_write_timeout(s, us); });
    split(std::min(m_s.timeoutSeconds, 10.0),
          [&](time_t s, time_t us) { client.set_connection_timeout(s, us); });

    httplib::Request req;
    req.method = "POST";
    req.path = m_url.path(request.chat);
    req.headers = {{"Content-Type", "application/json"},
                   {"Accept", "text/event-stream, application/json"}};
    if (!m_key.empty())
        req.headers.emplace("Authorization", "Bearer " + m_key);
    req.body = requestBody(request, m_s.model, includeUsage).dump();

    int status = 0;
    bool eventStream = false;
    std::string raw;
    StreamReader stream;
    const auto t0 = Clock::now();
    auto lastData = t0;
    double ttft = -1;
    req.response_handler = [&](const httplib::Response &res) {
        status = res.status;
        std::string type = res.get_header_value("Content-Type");
        std::transform(type.begin(), type.end(), type.begin(),
                       [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
        eventStream = type.find("text/event-stream") != std::string::npos;
        if (res.has_header("Retry-After"))
            out.retryAfter = parseRetryAfter(res.get_header_value("Retry-After"));
        lastData = Clock::now();
        return !run.stop();
    };
    req.content_receiver = [&](const char *data, size_t size, uint64_t, uint64_t) {
        lastData = Clock::now();
        if (run.stop())
            return false;
        if (status / 100 == 2 && eventStream) {
            if (stream.feed(std::string_view(data, size)) && ttft < 0)
                ttft = since(t0);
        } else if (raw.size() < kMaxBody) {
            raw.append(data, std::min(size, kMaxBody - raw.size()));
        }
        return true;
    };

    {
        std::lock_guard<std::mutex> lock(run.clientsMutex);
        run.clients[worker] = &client;
    }
    httplib::Response res;
    httplib::Error err = httplib::Error::Success;
    const bool sent = client.send(req, res, err);
    {
        std::lock_guard<std::mutex> lock(run.clientsMutex);
        run.clients[worker] = nullptr;
    }
    const double latency = since(t0);

    if (!sent) {
        if (run.stop() || err == httplib::Error::Canceled) {
            out.kind = Attempt::Kind::Cancelled;
            return out;
        }
        out.kind = Attempt::Kind::Transport;
        out.retryable = true;
        const std::string where = m_url.origin();
        switch (err) {
        case httplib::Error::Connection:
            out.label = "connection failed";
            out.message = "could not connect to " + where;
            break;
        case httplib::Error::ConnectionTimeout:
            out.label = "connection timed out";
            out.message = "no connection to " + where + " within " +
                          secondsText(std::min(m_s.timeoutSeconds, 10.0));
            break;
        case httplib::Error::Read:
            if (since(lastData) >= m_s.timeoutSeconds * 0.9) {
                out.label = "timed out";
                out.message = "no data from " + where + " for " + secondsText(m_s.timeoutSeconds);
            } else {
                out.label = "connection lost";
                out.message = where + " closed the connection before the answer was complete";
            }
            break;
        case httplib::Error::Write:
            out.label = "connection lost";
            out.message = "could not send the request to " + where;
            break;
        case httplib::Error::SSLConnection:
            out.label = "TLS failed";
            out.message = "the TLS handshake with " + where + " failed";
            break;
        default:
            out.retryable = false;
            out.label = "request failed";
            out.message = httplib::to_string(err) + " (" + where + ")";
            break;
        }
        return out;
    }

    if (status / 100 != 2) {
        out.kind = Attempt::Kind::Http;
        out.status = status;
        out.message = redact(serverErrorMessage(raw), m_key);
        out.retryable = status == 429 || status >= 500;
        return out;
    }

    Answer answer;
    const size_t firstByte = raw.find_first_not_of(" \t\r\n");
    if (eventStream) {
        stream.finish();
        answer = stream.answer();
    } else if (firstByte != std::string::npos && raw.compare(firstByte, 5, "data:") == 0) {
        StreamReader late; // an event stream without its content type
        late.feed(raw);
        late.finish();
        answer = late.answer();
    } else {
        answer = parseWholeAnswer(raw);
    }
    if (!answer.error.empty()) {
        out.kind = Attempt::Kind::Answer;
        out.message = redact(answer.error, m_key);
        return out;
    }
    if (!answer.done && answer.finishReason.empty()) {
        out.kind = Attempt::Kind::Transport;
        out.retryable = true;
        out.label = "connection lost";
        out.message = "the stream from " + m_url.origin() + " ended before the answer was complete";
        return out;
    }
    out.completion = answer.toCompletion();
    out.completion.latencySeconds = latency;
    out.completion.ttftSeconds = ttft >= 0 ? ttft : latency;
    return out;
}

} // namespace

std::unique_ptr<ModelEndpoint> makeRemoteEndpoint(const RemoteSettings &settings)
{
    settings.validate();
    std::string key = settings.apiKey;
    if (key.empty() && !settings.apiKeyEnv.empty()) {
        const char *value = std::getenv(settings.apiKeyEnv.c_str());
        if (!value || !*value)
            throw Error(ErrorCode::Validation,
                        "the API key variable " + settings.apiKeyEnv + " (api_key_env of '" +
                            (settings.name.empty() ? settings.model : settings.name) +
                            "') is not set in the environment");
        key = value;
    }
    return std::make_unique<RemoteEndpoint>(settings, parseBaseUrl(settings.baseUrl),
                                            std::move(key));
}

} // namespace wb

// Remote endpoints against a local httplib server: the JSON sent for chat and text completions,
// streamed and whole answers, retries (429 + Retry-After, 5xx, timeouts, dropped connections),
// the concurrency and rate limits, cancellation, the API key, and the workspace's store.
#include "test_util.h"

#include "common/error.h"
#include "remote/remote_endpoint.h"
#include "remote/remote_limits.h"
#include "remote/remote_protocol.h"
#include "store/model_store.h"
#include "store/workspace.h"

#include <httplib.h>

#include <QTemporaryDir>
#include <QTest>

#include <atomic>
#include <chrono>
#include <filesystem>
#include <map>
#include <mutex>
#include <set>
#include <thread>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

using nlohmann::json;
using Clock = std::chrono::steady_clock;

// QCOMPARE cannot print (or even pick an overload for) nlohmann::json.
#define JSON_EQ(actual, expected)                                                                  \
    QVERIFY2((actual) == (expected), ((actual).dump() + " != " + json(expected).dump()).c_str())

namespace {

double since(Clock::time_point t0)
{
    return std::chrono::duration<double>(Clock::now() - t0).count();
}

// A loopback server on a free port, stopped (and its stalled handlers released) on scope exit.
struct TestServer
{
    httplib::Server server;
    std::thread thread;
    int port = 0;
    std::atomic<int> hits{0};
    std::atomic<bool> release{false};

    void start()
    {
        port = server.bind_to_any_port("127.0.0.1");
        thread = std::thread([this] { server.listen_after_bind(); });
    }
    std::string url(const std::string &suffix = "/v1") const
    {
        return "http://127.0.0.1:" + std::to_string(port) + suffix;
    }
    // Sleeps up to `seconds`, or until the test ends.
    void stall(double seconds)
    {
        const auto t0 = Clock::now();
        while (!release && since(t0) < seconds)
            std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    ~TestServer()
    {
        release = true;
        server.stop();
        if (thread.joinable())
            thread.join();
    }
};

// Streams `events` (each sent as a "data: ..." event, in two writes to split lines) + [DONE].
void streamEvents(httplib::Response &res, std::vector<json> events, bool done = true)
{
    auto lines = std::make_shared<std::vector<std::string>>();
    for (const auto &e : events)
        lines->push_back("data: " + e.dump() + "\n\n");
    if (done)
        lines->push_back("data: [DONE]\n\n");
    res.set_chunked_content_provider("text/event-stream", [lines](size_t, httplib::DataSink &sink) {
        for (const auto &l : *lines) {
            const size_t half = l.size() / 2;
            sink.write(l.data(), half);
            sink.write(l.data() + half, l.size() - half);
        }
        sink.done();
        return true;
    });
}

json chatDelta(const std::string &content, const char *finish = nullptr)
{
    json c = {{"index", 0}, {"delta", {{"content", content}}}};
    c["finish_reason"] = finish ? json(finish) : json(nullptr);
    return {{"object", "chat.completion.chunk"}, {"choices", json::array({c})}};
}

json plainChat(const std::string &text)
{
    return {{"choices", json::array({{{"index", 0},
                                      {"message", {{"role", "assistant"}, {"content", text}}},
                                      {"finish_reason", "stop"}}})},
            {"usage", {{"prompt_tokens", 7}, {"completion_tokens", 2}, {"total_tokens", 9}}}};
}

wb::RemoteSettings settingsFor(const TestServer &s, const std::string &base = {})
{
    wb::RemoteSettings r;
    r.name = "test-remote";
    r.baseUrl = base.empty() ? s.url() : base;
    r.model = "m1";
    r.maxConcurrency = 2;
    r.timeoutSeconds = 10;
    return r;
}

wb::CompletionRequest chatRequest(const std::string &prompt = "Hi")
{
    wb::CompletionRequest r;
    r.prompt = prompt;
    r.chat = true;
    r.maxNewTokens = 8;
    return r;
}

// Runs `requests` and returns the completions by index (missing: no onDone call).
std::map<size_t, wb::Completion> run(wb::ModelEndpoint &e,
                                     const std::vector<wb::CompletionRequest> &requests,
                                     const wb::IsCancelled &cancel = {})
{
    std::map<size_t, wb::Completion> out;
    std::atomic<bool> inside{false};
    e.complete(
        requests,
        [&](size_t i, wb::Completion c) {
            QVERIFY2(!inside.exchange(true), "onDone calls overlap");
            QVERIFY2(!out.count(i), "onDone called twice for one request");
            out[i] = std::move(c);
            inside = false;
        },
        cancel);
    return out;
}

wb::Completion runOne(wb::ModelEndpoint &e, const wb::CompletionRequest &r)
{
    auto out = run(e, {r});
    return out.count(0) ? out[0] : wb::Completion{"", "", 0, 0, 0, 0, "no onDone call"};
}

// A loopback port that nothing listens on (bound once, then closed).
int freePort()
{
    const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t len = sizeof addr;
    ::bind(fd, reinterpret_cast<sockaddr *>(&addr), sizeof addr);
    ::getsockname(fd, reinterpret_cast<sockaddr *>(&addr), &len);
    ::close(fd);
    return ntohs(addr.sin_port);
}

bool contains(const std::string &haystack, const std::string &needle)
{
    return haystack.find(needle) != std::string::npos;
}

} // namespace

class TstRemote : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void settingsAndUrls()
    {
        wb::RemoteSettings s;
        s.name = "x";
        s.model = "m";
        std::set<std::string> ids;
        for (const char *url : {"http://h:8000", "http://h:8000/v1", "http://h:8000/v1/",
                                "HTTP://H:8000/v1//", " http://h:8000 "}) {
            s.baseUrl = url;
            s.validate();
            ids.insert(wb::makeRemoteEndpoint(s)->identity());
        }
        QCOMPARE(ids.size(), size_t(1));
        QCOMPARE(*ids.begin(), std::string("remote:http://h:8000#m"));
        QCOMPARE(wb::remote::parseBaseUrl("https://api.example.com:443/openai/v1").normalised(),
                 std::string("https://api.example.com/openai"));
        QCOMPARE(wb::remote::parseBaseUrl("http://h/openai/v1/").path(true),
                 std::string("/openai/v1/chat/completions"));

        auto rejects = [&](wb::RemoteSettings bad, const char *field) {
            try {
                bad.validate();
            } catch (const wb::Error &e) {
                return e.code() == wb::ErrorCode::Validation && contains(e.message(), field);
            }
            return false;
        };
        s.baseUrl = "http://h:8000";
        auto bad = s;
        bad.baseUrl = "ftp://h";
        QVERIFY(rejects(bad, "base_url"));
        bad.baseUrl = "";
        QVERIFY(rejects(bad, "base_url"));
        bad.baseUrl = "http://user:pw@h";
        QVERIFY(rejects(bad, "base_url"));
        bad = s;
        bad.model = "";
        QVERIFY(rejects(bad, "model"));
        bad = s;
        bad.maxConcurrency = 0;
        QVERIFY(rejects(bad, "max_concurrency"));
        bad = s;
        bad.rpm = -1;
        QVERIFY(rejects(bad, "rpm"));
        bad = s;
        bad.timeoutSeconds = 0;
        QVERIFY(rejects(bad, "timeout_s"));
        bad = s;
        bad.retries = 99;
        QVERIFY(rejects(bad, "retries"));
        bad = s;
        bad.apiKeyEnv = "NOT A VAR";
        QVERIFY(rejects(bad, "api_key_env"));

        s.apiKey = "sk-never-stored";
        s.apiKeyEnv = "SOME_VAR";
        const json j = s.toJson();
        QVERIFY(!contains(j.dump(), "sk-never-stored"));
        const auto back = wb::RemoteSettings::fromJson(j);
        QCOMPARE(back.apiKeyEnv, std::string("SOME_VAR"));
        QCOMPARE(back.baseUrl, s.baseUrl);
        QVERIFY(back.apiKey.empty());

        auto e = wb::makeRemoteEndpoint(s);
        QCOMPARE(e->batchSize(), 4);
        try {
            e->score({}, {});
            QFAIL("score() on a remote endpoint must throw");
        } catch (const wb::Error &err) {
            QCOMPARE(err.code(), wb::ErrorCode::Validation);
            QVERIFY(contains(err.message(), "x: log-likelihood scoring needs a local model"));
        }
    }

    void streamParser()
    {
        wb::remote::StreamReader r;
        const std::string body =
            ": keep-alive\r\n\r\ndata: {\"choices\":[{\"delta\":{\"role\":\"assistant\"}}]}\r\n\r\n"
            "data: {\"choices\":[{\"delta\":{\"content\":\"Hel\"}}]}\n\n"
            "event: x\ndata: "
            "{\"choices\":[{\"delta\":{\"content\":\"lo\"},\"finish_reason\":\"length\"}]}\n\n"
            "data: {\"choices\":[],\"usage\":{\"prompt_tokens\":4,\"completion_tokens\":2}}\n\n"
            "data: [DONE]\n\n";
        bool first = false;
        int firstAt = -1;
        for (size_t i = 0; i < body.size(); i += 7) // lines split anywhere
            if (r.feed(std::string_view(body).substr(i, 7)) && !first) {
                first = true;
                firstAt = int(i);
            }
        r.finish();
        QVERIFY(first && firstAt > 0);
        const auto c = r.answer().toCompletion();
        QVERIFY(r.answer().done);
        QCOMPARE(c.text, std::string("Hello"));
        QCOMPARE(c.finishReason, std::string("length"));
        QCOMPARE(c.promptTokens, 4);
        QCOMPARE(c.outputTokens, 2);
        QVERIFY(c.ok());
        QCOMPARE(wb::remote::serverErrorMessage("{\"error\":{\"message\":\"bad\",\"type\":\"x\"}}"),
                 std::string("bad"));
        QCOMPARE(wb::remote::serverErrorMessage("{\"detail\":\"Not Found\"}"),
                 std::string("Not Found"));
        QCOMPARE(wb::remote::serverErrorMessage("oops\n"), std::string("oops"));
    }

    void chatStreamed()
    {
        TestServer srv;
        json seen;
        std::string auth, path;
        srv.server.Post(R"(/v1/.*)", [&](const httplib::Request &req, httplib::Response &res) {
            ++srv.hits;
            seen = json::parse(req.body);
            auth = req.get_header_value("Authorization");
            path = req.path;
            streamEvents(
                res,
                {{{"choices", json::array({{{"index", 0}, {"delta", {{"role", "assistant"}}}}})}},
                 chatDelta("Hello"),
                 chatDelta(", "),
                 chatDelta("world", "length"),
                 {{"choices", json::array()},
                  {"usage", {{"prompt_tokens", 5}, {"completion_tokens", 3}}}}});
        });
        srv.start();
        auto s = settingsFor(srv, srv.url("/v1/"));
        s.apiKey = "k3y";
        auto e = wb::makeRemoteEndpoint(s);
        QCOMPARE(e->identity(), "remote:" + srv.url("") + "#m1");
        wb::CompletionRequest r = chatRequest("What is 2+2?");
        r.temperature = 0.7f;
        r.topP = 0.9f;
        r.maxNewTokens = 17;
        r.seed = 42;
        r.stop = {"\n\n", "END"};
        const auto c = runOne(*e, r);
        QVERIFY2(c.ok(), c.error.c_str());
        QCOMPARE(path, std::string("/v1/chat/completions"));
        QCOMPARE(auth, std::string("Bearer k3y"));
        JSON_EQ(seen["model"], json("m1"));
        JSON_EQ(seen["messages"], json::parse(R"([{"role":"user","content":"What is 2+2?"}])"));
        QVERIFY(!seen.contains("prompt"));
        QCOMPARE(seen["temperature"].get<double>(), 0.7);
        QCOMPARE(seen["top_p"].get<double>(), 0.9);
        JSON_EQ(seen["max_tokens"], json(17));
        JSON_EQ(seen["seed"], json(42));
        JSON_EQ(seen["stop"], json({"\n\n", "END"}));
        JSON_EQ(seen["stream"], json(true));
        QCOMPARE(c.text, std::string("Hello, world"));
        QCOMPARE(c.finishReason, std::string("length"));
        QCOMPARE(c.promptTokens, 5);
        QCOMPARE(c.outputTokens, 3);
        QVERIFY(c.ttftSeconds > 0 && c.ttftSeconds <= c.latencySeconds);
        QCOMPARE(srv.hits.load(), 1);
    }

    void completionsStreamedAndWhole()
    {
        TestServer srv;
        json seen;
        std::string path;
        srv.server.Post(R"(/v1/.*)", [&](const httplib::Request &req, httplib::Response &res) {
            seen = json::parse(req.body);
            path = req.path;
            const std::string prompt =
                seen.contains("prompt") ? seen["prompt"].get<std::string>() : "";
            if (prompt == "whole")
                res.set_content(json{{"choices", json::array({{{"text", " done"},
                                                               {"finish_reason", "length"}}})},
                                     {"usage", {{"prompt_tokens", 1}, {"completion_tokens", 4}}}}
                                    .dump(),
                                "application/json");
            else if (seen.contains("messages"))
                res.set_content(plainChat("B").dump(), "application/json");
            else // text chunks, no usage
                streamEvents(res, {{{"choices", json::array({{{"text", "a"}}})}},
                                   {{"choices", json::array({{{"text", "b"}}})}},
                                   {{"choices",
                                     json::array({{{"text", "c"}, {"finish_reason", "stop"}}})}}});
        });
        srv.start();
        auto e = wb::makeRemoteEndpoint(settingsFor(srv, srv.url("")));
        wb::CompletionRequest r;
        r.prompt = "Once";
        auto c = runOne(*e, r);
        QVERIFY2(c.ok(), c.error.c_str());
        QCOMPARE(path, std::string("/v1/completions"));
        JSON_EQ(seen["prompt"], json("Once"));
        QVERIFY(!seen.contains("messages") && !seen.contains("stop"));
        QCOMPARE(c.text, std::string("abc"));
        QCOMPARE(c.finishReason, std::string("stop"));
        QCOMPARE(c.outputTokens, 3); // counted chunks
        QCOMPARE(c.promptTokens, 0);

        r.prompt = "whole";
        c = runOne(*e, r);
        QVERIFY2(c.ok(), c.error.c_str());
        QCOMPARE(c.text, std::string(" done"));
        QCOMPARE(c.finishReason, std::string("length"));
        QCOMPARE(c.outputTokens, 4);
        QCOMPARE(c.promptTokens, 1);
        QCOMPARE(c.ttftSeconds, c.latencySeconds);

        c = runOne(*e, chatRequest());
        QVERIFY2(c.ok(), c.error.c_str());
        QCOMPARE(c.text, std::string("B"));
        QCOMPARE(c.promptTokens, 7);
    }

    void retryAfter429()
    {
        TestServer srv;
        srv.server.Post(
            "/v1/chat/completions", [&](const httplib::Request &, httplib::Response &res) {
                if (++srv.hits == 1) {
                    res.status = 429;
                    res.set_header("Retry-After", "1");
                    res.set_content(R"({"error":{"message":"slow down"}})", "application/json");
                    return;
                }
                res.set_content(plainChat("ok").dump(), "application/json");
            });
        srv.start();
        auto e = wb::makeRemoteEndpoint(settingsFor(srv));
        const auto t0 = Clock::now();
        const auto c = runOne(*e, chatRequest());
        QVERIFY2(c.ok(), c.error.c_str());
        QCOMPARE(c.text, std::string("ok"));
        QCOMPARE(srv.hits.load(), 2);
        QVERIFY2(since(t0) >= 0.95, "Retry-After: 1 was not honoured");
    }

    void retry503ThenSuccess()
    {
        TestServer srv;
        srv.server.Post(
            "/v1/chat/completions", [&](const httplib::Request &, httplib::Response &res) {
                if (++srv.hits <= 2) {
                    res.status = 503;
                    res.set_content(R"({"error":{"message":"warming up"}})", "application/json");
                    return;
                }
                res.set_content(plainChat("ok").dump(), "application/json");
            });
        srv.start();
        auto e = wb::makeRemoteEndpoint(settingsFor(srv));
        const auto t0 = Clock::now();
        const auto c = runOne(*e, chatRequest());
        QVERIFY2(c.ok(), c.error.c_str());
        QCOMPARE(srv.hits.load(), 3);
        QVERIFY(since(t0) >= 1.4); // backoff 0.5 s, then 1 s
    }

    void badRequestNotRetried()
    {
        TestServer srv;
        srv.server.Post("/v1/chat/completions", [&](const httplib::Request &,
                                                    httplib::Response &res) {
            ++srv.hits;
            res.status = 400;
            res.set_content(R"({"error":{"message":"max_tokens is too large","type":"invalid"}})",
                            "application/json");
        });
        srv.start();
        auto e = wb::makeRemoteEndpoint(settingsFor(srv));
        const auto c = runOne(*e, chatRequest());
        QVERIFY(!c.ok());
        QVERIFY2(contains(c.error, "HTTP 400") && contains(c.error, "max_tokens is too large"),
                 c.error.c_str());
        QCOMPARE(srv.hits.load(), 1);
    }

    void retriesExhausted()
    {
        TestServer srv;
        srv.server.Post(
            "/v1/chat/completions", [&](const httplib::Request &, httplib::Response &res) {
                ++srv.hits;
                res.status = 503;
                res.set_content(R"({"error":{"message":"overloaded"}})", "application/json");
            });
        srv.start();
        auto s = settingsFor(srv);
        s.retries = 1;
        auto e = wb::makeRemoteEndpoint(s);
        const auto c = runOne(*e, chatRequest());
        QCOMPARE(c.error, std::string("HTTP 503 after 2 attempts: overloaded"));
        QCOMPARE(srv.hits.load(), 2);
    }

    void timeoutRetried()
    {
        TestServer srv;
        srv.server.Post("/v1/chat/completions",
                        [&](const httplib::Request &, httplib::Response &res) {
                            ++srv.hits;
                            srv.stall(3);
                            res.set_content(plainChat("late").dump(), "application/json");
                        });
        srv.start();
        auto s = settingsFor(srv);
        s.timeoutSeconds = 1;
        s.retries = 1;
        auto e = wb::makeRemoteEndpoint(s);
        const auto t0 = Clock::now();
        const auto c = runOne(*e, chatRequest());
        QVERIFY2(contains(c.error, "timed out after 2 attempts"), c.error.c_str());
        QCOMPARE(srv.hits.load(), 2);
        QVERIFY(since(t0) >= 2.0 && since(t0) < 5.0);
    }

    void droppedConnectionRetried()
    {
        TestServer srv;
        srv.server.Post(
            "/v1/chat/completions", [&](const httplib::Request &, httplib::Response &res) {
                if (++srv.hits == 1) { // half an answer, then the connection goes
                    res.set_chunked_content_provider(
                        "text/event-stream", [](size_t, httplib::DataSink &sink) {
                            const std::string part = "data: " + chatDelta("Hel").dump() + "\n\n";
                            sink.write(part.data(), part.size());
                            return false;
                        });
                    return;
                }
                streamEvents(res, {chatDelta("Hello", "stop")});
            });
        srv.start();
        auto s = settingsFor(srv);
        s.retries = 1;
        auto e = wb::makeRemoteEndpoint(s);
        auto c = runOne(*e, chatRequest());
        QVERIFY2(c.ok(), c.error.c_str());
        QCOMPARE(c.text, std::string("Hello")); // nothing kept from the broken attempt
        QCOMPARE(srv.hits.load(), 2);

        // Nobody listening: refused, retried, then a clear error.
        const int deadPort = freePort();
        s.baseUrl = "http://127.0.0.1:" + std::to_string(deadPort);
        e = wb::makeRemoteEndpoint(s);
        c = runOne(*e, chatRequest());
        QVERIFY2(contains(c.error, "connection failed after 2 attempts") &&
                     contains(c.error, std::to_string(deadPort)),
                 c.error.c_str());
    }

    void concurrencyLimit()
    {
        TestServer srv;
        std::atomic<int> inFlight{0}, maxInFlight{0};
        srv.server.Post("/v1/chat/completions", [&](const httplib::Request &req,
                                                    httplib::Response &res) {
            const int now = ++inFlight;
            for (int m = maxInFlight; now > m && !maxInFlight.compare_exchange_weak(m, now);)
                ;
            std::this_thread::sleep_for(std::chrono::milliseconds(60));
            --inFlight;
            const auto body = json::parse(req.body);
            res.set_content(plainChat(body["messages"][0]["content"]).dump(), "application/json");
        });
        srv.start();
        auto s = settingsFor(srv);
        s.maxConcurrency = 3;
        auto e = wb::makeRemoteEndpoint(s);
        QCOMPARE(e->batchSize(), 3);
        std::vector<wb::CompletionRequest> a, b;
        for (int i = 0; i < 20; ++i)
            a.push_back(chatRequest("a" + std::to_string(i)));
        for (int i = 0; i < 6; ++i)
            b.push_back(chatRequest("b" + std::to_string(i)));
        // A second caller on the same endpoint at the same time shares the limit.
        std::map<size_t, wb::Completion> fromB;
        std::thread other([&] { fromB = run(*e, b); });
        const auto fromA = run(*e, a);
        other.join();
        QCOMPARE(fromA.size(), size_t(20));
        QCOMPARE(fromB.size(), size_t(6));
        for (const auto &[i, c] : fromA)
            QCOMPARE(c.text, "a" + std::to_string(i));
        QVERIFY2(maxInFlight <= 3, qPrintable(QString::number(maxInFlight.load())));
        QVERIFY(maxInFlight > 1);
    }

    void rateLimit()
    {
        TestServer srv;
        std::mutex m;
        std::vector<double> starts;
        const auto t0 = Clock::now();
        srv.server.Post("/v1/chat/completions",
                        [&](const httplib::Request &, httplib::Response &res) {
                            {
                                std::lock_guard<std::mutex> lock(m);
                                starts.push_back(since(t0));
                            }
                            res.set_content(plainChat("ok").dump(), "application/json");
                        });
        srv.start();
        auto s = settingsFor(srv);
        s.maxConcurrency = 4;
        s.rpm = 120; // one start every 0.5 s
        auto e = wb::makeRemoteEndpoint(s);
        const auto out = run(*e, std::vector<wb::CompletionRequest>(4, chatRequest()));
        QCOMPARE(out.size(), size_t(4));
        std::sort(starts.begin(), starts.end());
        QCOMPARE(starts.size(), size_t(4));
        for (size_t i = 1; i < starts.size(); ++i)
            QVERIFY2(starts[i] - starts[i - 1] >= 0.45,
                     qPrintable(QString::number(starts[i] - starts[i - 1])));

        // The limiter alone: a cancelled wait returns at once and gives its reservation back.
        wb::remote::RateLimiter limiter(60); // one a second
        QVERIFY(limiter.acquire({}));
        const auto t1 = Clock::now();
        QVERIFY(!limiter.acquire([] { return true; }));
        QVERIFY(since(t1) < 0.2);
        QVERIFY(limiter.acquire({}));
        QVERIFY(since(t1) >= 0.9 && since(t1) < 1.5);
    }

    void cancelStalled()
    {
        TestServer srv;
        srv.server.Post("/v1/chat/completions",
                        [&](const httplib::Request &req, httplib::Response &res) {
                            ++srv.hits;
                            if (json::parse(req.body)["messages"][0]["content"] == "slow")
                                srv.stall(10);
                            res.set_content(plainChat("fast").dump(), "application/json");
                        });
        srv.start();
        auto s = settingsFor(srv);
        s.maxConcurrency = 3;
        s.timeoutSeconds = 30;
        auto e = wb::makeRemoteEndpoint(s);
        std::atomic<bool> cancel{false};
        std::thread timer([&] {
            std::this_thread::sleep_for(std::chrono::milliseconds(400));
            cancel = true;
        });
        const auto t0 = Clock::now();
        const auto out = run(*e, {chatRequest("fast"), chatRequest("slow"), chatRequest("slow")},
                             [&] { return cancel.load(); });
        const double took = since(t0);
        timer.join();
        QVERIFY2(took < 1.2, qPrintable(QString::number(took)));
        QCOMPARE(out.size(), size_t(1)); // only the one that finished
        QVERIFY(out.count(0) && out.at(0).ok());
        QCOMPARE(srv.hits.load(), 3);
    }

    void apiKeyFromEnvironment()
    {
        TestServer srv;
        srv.server.Post("/v1/chat/completions", [&](const httplib::Request &req,
                                                    httplib::Response &res) {
            const std::string auth = req.get_header_value("Authorization");
            if (auth != "Bearer s3cr3t-env-key") { // servers echo the bad key back
                res.status = 401;
                res.set_content(
                    json{{"error", {{"message", "Incorrect API key provided: " + auth.substr(7)}}}}
                        .dump(),
                    "application/json");
                return;
            }
            res.set_content(plainChat("authorised").dump(), "application/json");
        });
        srv.start();
        qputenv("WB_TEST_REMOTE_KEY", "s3cr3t-env-key");
        auto s = settingsFor(srv);
        s.apiKeyEnv = "WB_TEST_REMOTE_KEY";
        auto c = runOne(*wb::makeRemoteEndpoint(s), chatRequest());
        QVERIFY2(c.ok(), c.error.c_str());
        QCOMPARE(c.text, std::string("authorised"));

        s.apiKey = "wrong-key-1234"; // the keychain's key wins over the variable
        c = runOne(*wb::makeRemoteEndpoint(s), chatRequest());
        QVERIFY2(contains(c.error, "HTTP 401") && contains(c.error, "WB_TEST_REMOTE_KEY"),
                 c.error.c_str());
        QVERIFY2(!contains(c.error, "wrong-key-1234"), c.error.c_str());

        s.apiKey.clear();
        s.apiKeyEnv = "WB_TEST_REMOTE_MISSING";
        qunsetenv("WB_TEST_REMOTE_MISSING");
        try {
            wb::makeRemoteEndpoint(s);
            QFAIL("a missing key variable must be an error");
        } catch (const wb::Error &err) {
            QCOMPARE(err.code(), wb::ErrorCode::Validation);
            QVERIFY2(contains(err.message(), "WB_TEST_REMOTE_MISSING"), err.what());
            QVERIFY(contains(err.message(), "not set"));
        }
    }

    void store()
    {
        QTemporaryDir dir;
        auto ws = wb::Workspace::open(wbtest::path(dir, "ws"));
        wb::RemoteStore remotes(*ws);
        wb::RemoteSettings s;
        s.name = "vllm-qwen";
        s.baseUrl = "http://localhost:8000/v1/";
        s.model = "Qwen/Qwen2-7B-Instruct";
        s.apiKeyEnv = "VLLM_KEY";
        s.apiKey = "never-stored";
        s.maxConcurrency = 8;
        s.rpm = 600;
        s.timeoutSeconds = 45.5;
        s.retries = 2;
        const auto added = remotes.add(s);
        QCOMPARE(added.baseUrl, std::string("http://localhost:8000/v1"));
        s.name = "another";
        s.apiKeyEnv.clear();
        remotes.add(s);

        const auto all = remotes.list();
        QCOMPARE(all.size(), size_t(2));
        QCOMPARE(all[0].name, std::string("another"));
        const auto found = remotes.find("vllm-qwen");
        QVERIFY(found.has_value());
        QCOMPARE(found->model, std::string("Qwen/Qwen2-7B-Instruct"));
        QCOMPARE(found->apiKeyEnv, std::string("VLLM_KEY"));
        QVERIFY(found->apiKey.empty());
        QCOMPARE(found->maxConcurrency, 8);
        QCOMPARE(found->rpm, 600);
        QCOMPARE(found->timeoutSeconds, 45.5);
        QCOMPARE(found->retries, 2);
        const bool keyInDb = ws->withDb([](wb::Database &db) {
            auto st = db.prepare("SELECT count(*) FROM remote_endpoints WHERE "
                                 "base_url || model || api_key_env LIKE '%never-stored%'");
            st.step();
            return st.int64(0) > 0;
        });
        QVERIFY(!keyInDb);

        auto conflict = [&](const std::string &name) {
            auto dup = s;
            dup.name = name;
            try {
                remotes.add(dup);
            } catch (const wb::Error &e) {
                return e.code() == wb::ErrorCode::Conflict && contains(e.message(), name);
            }
            return false;
        };
        QVERIFY(conflict("vllm-qwen"));
        std::filesystem::create_directories(wbtest::path(dir, "local"));
        wb::ModelStore(*ws).add(wbtest::path(dir, "local"), "local-model");
        QVERIFY(conflict("local-model"));

        auto invalid = s;
        invalid.name = "bad";
        invalid.baseUrl = "localhost:8000";
        QVERIFY_THROWS_EXCEPTION(wb::Error, remotes.add(invalid));
        QVERIFY(!remotes.find("bad"));

        remotes.remove("vllm-qwen");
        QVERIFY(!remotes.find("vllm-qwen"));
        QCOMPARE(remotes.list().size(), size_t(1));
        try {
            remotes.remove("vllm-qwen");
            QFAIL("removing a missing endpoint must throw");
        } catch (const wb::Error &e) {
            QCOMPARE(e.code(), wb::ErrorCode::NotFound);
        }
    }
};

QTEST_GUILESS_MAIN(TstRemote)
#include "tst_remote.moc"

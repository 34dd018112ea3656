// `llmwb bench serve`: streaming clients against the server over loopback, and the offline
// batched generate beside it.

#include "serve/serve_bench.h"

#include "common/error.h"
#include "common/stats.h"
#include "model/generate.h"
#include "serve/engine.h"
#include "serve/server.h"

#include <httplib.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <mutex>
#include <thread>

namespace wb::serve {

namespace {

using Clock = std::chrono::steady_clock;


std::vector<int32_t> benchPrompt(int n, int64_t vocab, int salt)
{
    std::vector<int32_t> p;
    for (int i = 0; i < n; ++i)
        p.push_back(int32_t(3 + (i * 7919 + salt * 104729) % std::max<int64_t>(vocab - 3, 1)));
    return p;
}

struct ClientRun
{
    std::vector<double> stamps; // seconds from the start of the round, one per streamed token
    int tokens = 0;
    std::string error;
};

// One streaming /v1/completions request; each SSE event that carries text is a token's arrival.
ClientRun streamOne(int port, const std::string &model, const std::vector<int32_t> &prompt,
                    int newTokens, Clock::time_point start)
{
    ClientRun out;
    httplib::Client client("127.0.0.1", port);
    client.set_read_timeout(600, 0);
    const nlohmann::json body = {{"model", model},          {"prompt", prompt},
                                 {"max_tokens", newTokens}, {"temperature", 0},
                                 {"ignore_eos", true},      {"stream", true},
                                 {"stream_options", {{"include_usage", true}}}};
    httplib::Request req;
    req.method = "POST";
    req.path = "/v1/completions";
    req.body = body.dump();
    req.headers.emplace("Content-Type", "application/json");
    std::string pending;
    req.content_receiver = [&](const char *data, size_t size, uint64_t, uint64_t) {
        pending.append(data, size);
        for (size_t end; (end = pending.find("\n\n")) != std::string::npos;) {
            const std::string event = pending.substr(0, end);
            pending.erase(0, end + 2);
            if (event.rfind("data: ", 0) != 0 || event == "data: [DONE]")
                continue;
            const auto j = nlohmann::json::parse(event.substr(6), nullptr, false);
            if (j.is_discarded())
                continue;
            if (j.contains("usage") && j["usage"].is_object())
                out.tokens = j["usage"].value("completion_tokens", out.tokens);
            if (j.contains("choices") && !j["choices"].empty() &&
                !j["choices"][0].value("text", std::string()).empty())
                out.stamps.push_back(std::chrono::duration<double>(Clock::now() - start).count());
        }
        return true;
    };
    httplib::Response res;
    httplib::Error err = httplib::Error::Success;
    if (!client.send(req, res, err))
        out.error = "request failed: " + httplib::to_string(err);
    else if (res.status != 200)
        out.error = "HTTP " + std::to_string(res.status) + ": " + pending.substr(0, 300);
    return out;
}

} // namespace

std::vector<ServeBenchRow> benchServe(const ServeBenchOptions &options,
                                      const std::function<void(const std::string &)> &progress)
{
    auto say = [&](const std::string &s) {
        if (progress)
            progress(s);
    };
    EngineOptions eo;
    eo.load = options.load;
    eo.maxBatch = options.maxBatch;
    eo.maxQueue = 1024;
    say("loading the model for the server");
    auto backend = startEngine(options.modelDir, "bench", {}, eo);
    ServerOptions so;
    so.port = 0;
    so.threads = std::max(32, 2 * *std::max_element(options.clients.begin(), options.clients.end()));
    Server server(*backend, so);
    server.start();
    say("loading the model for the anchor (generateBatch)");
    auto anchorModel = CausalLM::load(options.modelDir, options.load);
    const int64_t vocab = anchorModel->vocabSize();

    std::vector<ServeBenchRow> rows;
    for (int c : options.clients) {
        if (c < 1)
            throw Error(ErrorCode::Validation, "--clients: each count must be at least 1");
        say("server, " + std::to_string(c) + " streaming clients");
        streamOne(server.port(), "bench", benchPrompt(options.promptTokens, vocab, 0), 4, Clock::now()); // warm
        std::vector<ClientRun> runs(static_cast<size_t>(c));
        const auto start = Clock::now();
        std::vector<std::thread> threads;
        for (int i = 0; i < c; ++i)
            threads.emplace_back([&, i] {
                runs[size_t(i)] = streamOne(server.port(), "bench", benchPrompt(options.promptTokens, vocab, i + 1),
                                            options.newTokens, start);
            });
        for (auto &t : threads)
            t.join();
        ServeBenchRow row;
        row.clients = c;
        row.seconds = std::chrono::duration<double>(Clock::now() - start).count();
        std::vector<double> ttft, itl;
        for (const ClientRun &r : runs) {
            if (!r.error.empty())
                throw Error(ErrorCode::Internal, "bench serve: a client failed: " + r.error);
            row.tokens += r.tokens;
            if (!r.stamps.empty())
                ttft.push_back(r.stamps.front());
            for (size_t k = 1; k < r.stamps.size(); ++k)
                itl.push_back(r.stamps[k] - r.stamps[k - 1]);
        }
        row.tokensPerSecond = row.tokens / row.seconds;
        row.ttftP50 = percentile(ttft, 0.5);
        row.ttftP95 = percentile(ttft, 0.95);
        row.itlP50 = percentile(itl, 0.5);
        row.itlP95 = percentile(itl, 0.95);

        say("anchor: generateBatch at batch " + std::to_string(c));
        std::vector<std::vector<int32_t>> prompts;
        for (int i = 0; i < c; ++i)
            prompts.push_back(benchPrompt(options.promptTokens, vocab, i + 1));
        GenerateOptions go;
        go.maxNewTokens = options.newTokens;
        go.ignoreEos = true;
        const auto a0 = Clock::now();
        const auto results = generateBatch(*anchorModel, prompts, go);
        const double secs = std::chrono::duration<double>(Clock::now() - a0).count();
        int tokens = 0;
        for (const auto &r : results)
            tokens += int(r.tokens.size());
        row.anchorTokensPerSecond = tokens / secs;
        rows.push_back(row);
    }
    server.stop(std::chrono::milliseconds(2000));
    return rows;
}

std::string formatServeBench(const std::vector<ServeBenchRow> &rows)
{
    std::string out = "clients  tokens  seconds  tokens/s  ttft p50/p95 (s)  itl p50/p95 (ms)  "
                      "generateBatch tokens/s\n";
    char line[256];
    for (const ServeBenchRow &r : rows) {
        std::snprintf(line, sizeof line, "%7d  %6d  %7.2f  %8.1f  %6.3f / %6.3f   %6.1f / %6.1f    %8.1f\n",
                      r.clients, r.tokens, r.seconds, r.tokensPerSecond, r.ttftP50, r.ttftP95,
                      r.itlP50 * 1000, r.itlP95 * 1000, r.anchorTokensPerSecond);
        out += line;
    }
    return out;
}

} // namespace wb::serve

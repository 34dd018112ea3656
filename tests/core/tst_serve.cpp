// The OpenAI-compatible server (core/serve/server.h) over the real engine on a tiny random model
// with a LoRA adapter, through loopback HTTP: routes and answer shapes, streaming, logprobs that
// equal the model's own log-softmax, error statuses, the API key on every route, 16 concurrent
// greedy requests equal to the same requests one by one, a client that disconnects freeing its
// slot, a full queue, and shutdown during streams.

#include "test_util.h"
#include "tiny_model.h"

#include "common/error.h"
#include "formats/hf_config.h"
#include "formats/peft.h"
#include "formats/safetensors.h"
#include "model/causal_lm.h"
#include "serve/engine.h"
#include "serve/openai_json.h"
#include "serve/server.h"
#include "tokenizer/chat_template.h"
#include "tokenizer/tokenizer.h"

#include <httplib.h>
#include <nlohmann/json.hpp>

#include <QTemporaryDir>
#include <QtTest>

#include <cmath>
#include <cstring>
#include <fstream>
#include <future>
#include <random>
#include <thread>

using nlohmann::json;
using Clock = std::chrono::steady_clock;
namespace fs = std::filesystem;
namespace serve = wb::serve;

#define JSON_VERIFY(cond, j) QVERIFY2((cond), (j).dump().substr(0, 600).c_str())

namespace {

// A LoRA adapter with random A and B (peft's init zeroes B: random here so it changes logits).
void writeAdapter(const fs::path &dir, const fs::path &base)
{
    const wb::ModelConfig mc = wb::loadModelConfig(base);
    wb::LoraConfig c;
    c.r = 4;
    c.alpha = 8;
    c.targetModules = {"q_proj", "v_proj", "down_proj"};
    wb::SafetensorsWriter w;
    std::mt19937 rng(5);
    std::normal_distribution<float> dist(0, 0.3f);
    std::vector<std::vector<float>> keep;
    for (int layer = 0; layer < int(mc.numLayers); ++layer) {
        for (const auto &m : c.targetModules) {
            const auto [out, in] = wb::loraModuleShape(mc, m);
            for (bool isA : {true, false}) {
                auto &v = keep.emplace_back(size_t(c.r * (isA ? in : out)));
                for (auto &x : v)
                    x = dist(rng);
                const std::vector<int64_t> shape =
                    isA ? std::vector<int64_t>{c.r, in} : std::vector<int64_t>{out, c.r};
                w.add(wb::peftTensorKey(layer, m, isA), wb::DType::F32, shape, v.data(),
                      v.size() * 4);
            }
        }
    }
    fs::create_directories(dir);
    w.write(dir / "adapter_model.safetensors");
    wb::writeAdapterConfig(dir, c);
}

struct Reply
{
    int status = 0; // 0: no answer (connection refused or cut)
    json body;
};

httplib::Headers auth(const std::string &key)
{
    return key.empty() ? httplib::Headers{} : httplib::Headers{{"Authorization", "Bearer " + key}};
}

Reply send(int port, const std::string &method, const std::string &path, const std::string &body,
           const std::string &key = {})
{
    httplib::Client cli("127.0.0.1", port);
    cli.set_read_timeout(120);
    const auto r = method == "GET" ? cli.Get(path, auth(key))
                                   : cli.Post(path, auth(key), body, "application/json");
    if (!r)
        return {};
    return {r->status, json::parse(r->body, nullptr, false)};
}

Reply post(int port, const std::string &path, const json &body, const std::string &key = {})
{
    return send(port, "POST", path, body.dump(), key);
}

// A streamed answer: each event's JSON, whether [DONE] came. `onEvent` returning false drops
// the connection (a client that goes away).
struct Stream
{
    int status = 0;
    std::vector<json> events;
    bool done = false;
};

Stream postStream(int port, const std::string &path, const json &body,
                  const std::function<bool(const json &)> &onEvent = {})
{
    Stream s;
    std::string pending;
    httplib::Client cli("127.0.0.1", port);
    cli.set_read_timeout(120);
    httplib::Request req;
    req.method = "POST";
    req.path = path;
    req.body = body.dump();
    req.set_header("Content-Type", "application/json");
    req.response_handler = [&](const httplib::Response &r) {
        s.status = r.status;
        return true;
    };
    req.content_receiver = [&](const char *data, size_t len, uint64_t, uint64_t) {
        pending.append(data, len);
        for (size_t end; (end = pending.find("\n\n")) != std::string::npos;) {
            const std::string event = pending.substr(0, end);
            pending.erase(0, end + 2);
            if (event.rfind("data: ", 0) != 0)
                continue;
            if (event == "data: [DONE]") {
                s.done = true;
                continue;
            }
            s.events.push_back(json::parse(event.substr(6)));
            if (onEvent && !onEvent(s.events.back()))
                return false;
        }
        return true;
    };
    cli.send(req);
    return s;
}

// The text a stream delivered for choice `index` (chat deltas or completion texts).
std::string streamedText(const Stream &s, size_t index = 0)
{
    std::string text;
    for (const json &e : s.events)
        for (const json &c : e.value("choices", json::array()))
            if (c["index"] == index)
                text += c.contains("delta") ? c["delta"].value("content", "") : c.value("text", "");
    return text;
}

json with(json base, const json &patch)
{
    base.update(patch);
    return base;
}

json completion(const std::string &model, const std::string &prompt, int maxTokens)
{
    return {{"model", model}, {"prompt", prompt}, {"max_tokens", maxTokens}, {"temperature", 0}};
}

// log-softmax of the model's logits: row i scores the token after position i.
std::vector<std::vector<double>> logSoftmax(wb::CausalLM &m, const std::vector<int32_t> &ids)
{
    const auto logits = m.logits(ids);
    const size_t vocab = size_t(m.vocabSize());
    std::vector<std::vector<double>> out(ids.size(), std::vector<double>(vocab));
    for (size_t i = 0; i < ids.size(); ++i) {
        const float *row = logits.data() + i * vocab;
        const double best = *std::max_element(row, row + vocab);
        double sum = 0;
        for (size_t v = 0; v < vocab; ++v)
            sum += std::exp(double(row[v]) - best);
        for (size_t v = 0; v < vocab; ++v)
            out[i][v] = double(row[v]) - best - std::log(sum);
    }
    return out;
}

} // namespace

class TestServe : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    fs::path m_model, m_adapter;
    std::unique_ptr<serve::Backend> m_engine;
    std::unique_ptr<serve::Server> m_server;
    int m_port = 0;

    std::unique_ptr<serve::Backend> engine(int maxBatch = 16, int maxQueue = 64)
    {
        serve::EngineOptions o;
        o.maxBatch = maxBatch;
        o.maxQueue = maxQueue;
        return serve::startEngine(m_model, "tiny", {{"tiny-lora", m_adapter}}, o);
    }

    // Waits until the engine has no active or queued request; false after `seconds`.
    static bool idle(serve::Backend &b, double seconds)
    {
        const auto until = Clock::now() + std::chrono::duration<double>(seconds);
        while (Clock::now() < until) {
            const auto s = b.stats();
            if (s.active == 0 && s.queued == 0)
                return true;
            std::this_thread::sleep_for(std::chrono::milliseconds(5));
        }
        return false;
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        m_model = wbtest::path(m_dir, "tiny");
        m_adapter = wbtest::path(m_dir, "tiny-lora");
        wbtest::writeTinyModel(m_model, 11);
        // A context long enough for generations that outlast a test's checks (4,000 tokens).
        json config = json::parse(std::ifstream(m_model / "config.json"));
        config["max_position_embeddings"] = 4096;
        std::ofstream(m_model / "config.json") << config.dump();
        writeAdapter(m_adapter, m_model);
        m_engine = engine();
        serve::ServerOptions o;
        o.port = 0;
        m_server = std::make_unique<serve::Server>(*m_engine, o);
        m_server->start();
        m_port = m_server->port();
        QVERIFY(m_port > 0);
        WB_COMPARE_STR(m_server->address(), "http://127.0.0.1:" + std::to_string(m_port));
    }

    void cleanupTestCase() { m_server->stop(std::chrono::milliseconds(100)); }

    void healthAndModels()
    {
        const Reply h = send(m_port, "GET", "/health", {});
        QCOMPARE(h.status, 200);
        const Reply m = send(m_port, "GET", "/v1/models", {});
        QCOMPARE(m.status, 200);
        QCOMPARE(m.body["object"], "list");
        std::vector<std::string> ids;
        for (const json &d : m.body["data"]) {
            JSON_VERIFY(d["object"] == "model" && d["created"].is_number_integer() &&
                            d["owned_by"].is_string(),
                        d);
            ids.push_back(d["id"]);
        }
        QCOMPARE(ids, (std::vector<std::string>{"tiny", "tiny-lora"}));
    }

    void chatWholeAndStreamedAgree()
    {
        const json body = {{"model", "tiny-lora"},
                           {"messages",
                            {{{"role", "system"}, {"content", "Be brief."}},
                             {{"role", "user"}, {"content", "Name a colour."}}}},
                           {"max_tokens", 12},
                           {"temperature", 0}};
        const Reply r = post(m_port, "/v1/chat/completions", body);
        QCOMPARE(r.status, 200);
        QCOMPARE(r.body["object"], "chat.completion");
        const json &c = r.body["choices"][0];
        QCOMPARE(c["message"]["role"], "assistant");
        JSON_VERIFY(c["finish_reason"] == "stop" || c["finish_reason"] == "length", c);
        // usage counts the prompt the chat template renders.
        const auto tok = wb::Tokenizer::load(m_model);
        const auto tmpl = wb::ChatTemplate::fromModelDir(m_model);
        QVERIFY(tmpl.has_value());
        const std::string rendered =
            tmpl->render({{"system", "Be brief."}, {"user", "Name a colour."}}, true,
                         tok->bosToken(), tok->eosToken());
        const json &u = r.body["usage"];
        QCOMPARE(u["prompt_tokens"].get<size_t>(), tok->encode(rendered, false).size());
        QVERIFY(u["completion_tokens"].get<int>() >= 1 && u["completion_tokens"].get<int>() <= 12);
        QCOMPARE(u["total_tokens"].get<int>(),
                 u["prompt_tokens"].get<int>() + u["completion_tokens"].get<int>());

        json sbody = body;
        sbody["stream"] = true;
        sbody["stream_options"] = {{"include_usage", true}};
        const Stream s = postStream(m_port, "/v1/chat/completions", sbody);
        QCOMPARE(s.status, 200);
        QVERIFY(s.done);
        QVERIFY(s.events.size() >= 3);
        QCOMPARE(s.events.front()["object"], "chat.completion.chunk");
        QCOMPARE(s.events.front()["choices"][0]["delta"]["role"], "assistant");
        QCOMPARE(streamedText(s), c["message"]["content"].get<std::string>());
        const json &last = s.events[s.events.size() - 2]["choices"][0];
        QCOMPARE(last["finish_reason"], c["finish_reason"]);
        QCOMPARE(s.events.back()["choices"].size(), size_t(0));
        QCOMPARE(s.events.back()["usage"], u);

        // Chat logprobs: one entry per generated token, with its bytes and alternatives.
        json lbody = body;
        lbody["logprobs"] = true;
        lbody["top_logprobs"] = 2;
        const Reply l = post(m_port, "/v1/chat/completions", lbody);
        QCOMPARE(l.status, 200);
        const json &content = l.body["choices"][0]["logprobs"]["content"];
        QCOMPARE(content.size(), l.body["usage"]["completion_tokens"].get<size_t>());
        for (const json &e : content) {
            JSON_VERIFY(e["logprob"].get<double>() <= 0 && e["bytes"].is_array() &&
                            e["top_logprobs"].size() == 2,
                        e);
            // Greedy: the chosen token is the most likely one.
            QVERIFY(std::fabs(e["top_logprobs"][0]["logprob"].get<double>() -
                              e["logprob"].get<double>()) < 1e-4);
        }
    }

    void completionsEchoLogprobsEqualTheModel()
    {
        const std::string prompt = "The quick brown fox jumps over the lazy dog";
        const auto tok = wb::Tokenizer::load(m_model);
        const auto ids = tok->encode(prompt, true);
        for (const std::string model : {"tiny", "tiny-lora"}) {
            wb::LoadOptions lo;
            if (model == "tiny-lora")
                lo.adapterDir = m_adapter.string();
            auto lm = wb::CausalLM::load(m_model, lo);
            const auto ls = logSoftmax(*lm, ids);
            // max_tokens 0 + echo + logprobs: how lm-evaluation-harness scores a text.
            json body = completion(model, prompt, 0);
            body["echo"] = true;
            body["logprobs"] = 2;
            const Reply r = post(m_port, "/v1/completions", body);
            QCOMPARE(r.status, 200);
            QCOMPARE(r.body["object"], "text_completion");
            const json &c = r.body["choices"][0];
            WB_COMPARE_STR(c["text"].get<std::string>(), prompt);
            QCOMPARE(c["finish_reason"], "length");
            const json &lp = c["logprobs"];
            QCOMPARE(lp["tokens"].size(), ids.size());
            QVERIFY(lp["token_logprobs"][0].is_null() && lp["top_logprobs"][0].is_null());
            QCOMPARE(lp["text_offset"][0], 0);
            for (size_t i = 1; i < ids.size(); ++i) {
                const double want = ls[i - 1][size_t(ids[i])];
                QVERIFY2(std::fabs(lp["token_logprobs"][i].get<double>() - want) < 1e-3,
                         qPrintable(QString("%1 token %2").arg(model.c_str()).arg(i)));
                const json &top = lp["top_logprobs"][i];
                double best = -INFINITY;
                for (const auto &[k, v] : top.items())
                    best = std::max(best, v.get<double>());
                const double top1 = *std::max_element(ls[i - 1].begin(), ls[i - 1].end());
                JSON_VERIFY(std::fabs(best - top1) < 1e-3, json({{"want", top1}, {"top", top}}));
                // Two alternatives plus the chosen token, named apart even when their bytes are
                // not UTF-8 alone.
                QVERIFY(top.contains(lp["tokens"][i].get<std::string>()));
                QVERIFY(top.size() >= 2);
            }
            QCOMPARE(r.body["usage"]["prompt_tokens"].get<size_t>(), ids.size());
            QCOMPARE(r.body["usage"]["completion_tokens"], 0);

            // Echo with generation: the prompt's tokens come first, then the new ones.
            body["max_tokens"] = 5;
            body["ignore_eos"] = true;
            const Reply g = post(m_port, "/v1/completions", body);
            QCOMPARE(g.status, 200);
            const json &gl = g.body["choices"][0]["logprobs"];
            QCOMPARE(gl["tokens"].size(), ids.size() + 5);
            QVERIFY(g.body["choices"][0]["text"].get<std::string>().rfind(prompt, 0) == 0);
            // The first generated token is the greedy choice after the prompt.
            const auto &after = lm->logits(ids);
            const size_t vocab = size_t(lm->vocabSize());
            const float *row = after.data() + (ids.size() - 1) * vocab;
            const auto best = std::max_element(row, row + vocab) - row;
            WB_COMPARE_STR(gl["tokens"][ids.size()].get<std::string>(),
                           serve::openai::tokenString(*tok, int32_t(best)));
        }
    }

    void completionsPromptFormsSeedsAndStops()
    {
        const auto tok = wb::Tokenizer::load(m_model);
        // Token ids and text give one answer.
        const Reply a = post(m_port, "/v1/completions", completion("tiny", "Once upon a time", 8));
        json ids = completion("tiny", "", 8);
        ids["prompt"] = tok->encode("Once upon a time", true);
        const Reply b = post(m_port, "/v1/completions", ids);
        QCOMPARE(a.status, 200);
        QCOMPARE(b.body["choices"][0]["text"], a.body["choices"][0]["text"]);

        // Two prompts × n=2: four choices; choice j draws with seed + j.
        json many = {{"model", "tiny"},   {"prompt", {"Hello", "World"}}, {"n", 2},
                     {"max_tokens", 10},  {"temperature", 1.0},           {"seed", 42},
                     {"ignore_eos", true}};
        const Reply m = post(m_port, "/v1/completions", many);
        QCOMPARE(m.status, 200);
        QCOMPARE(m.body["choices"].size(), size_t(4));
        for (size_t i = 0; i < 4; ++i)
            QCOMPARE(m.body["choices"][i]["index"], i);
        QCOMPARE(m.body["usage"]["completion_tokens"], 40);
        many["seed"] = 43;
        many["n"] = 1;
        many["prompt"] = "Hello";
        const Reply next = post(m_port, "/v1/completions", many);
        QCOMPARE(next.body["choices"][0]["text"], m.body["choices"][1]["text"]);

        // A stop string cuts the text before it, finish "stop"; streamed the same.
        json greedy = completion("tiny", "Once upon a time", 24);
        greedy["ignore_eos"] = true;
        const std::string full = post(m_port, "/v1/completions", greedy).body["choices"][0]["text"];
        size_t k = full.size() / 2;
        while (k + 1 < full.size() && (uint8_t(full[k]) >= 0x80 || uint8_t(full[k + 1]) >= 0x80 ||
                                       full.find(full.substr(k, 2)) != k))
            ++k;
        QVERIFY2(k + 1 < full.size(), full.c_str());
        greedy["stop"] = json::array({full.substr(k, 2)});
        const Reply stopped = post(m_port, "/v1/completions", greedy);
        WB_COMPARE_STR(stopped.body["choices"][0]["text"].get<std::string>(), full.substr(0, k));
        QCOMPARE(stopped.body["choices"][0]["finish_reason"], "stop");
        greedy["stream"] = true;
        const Stream s = postStream(m_port, "/v1/completions", greedy);
        QVERIFY(s.done);
        WB_COMPARE_STR(streamedText(s), full.substr(0, k));
        QCOMPARE(s.events.back()["choices"][0]["finish_reason"], "stop");
    }

    void embeddings()
    {
        const Reply r =
            post(m_port, "/v1/embeddings", {{"model", "tiny"}, {"input", {"a cat", "a dog sat"}}});
        QCOMPARE(r.status, 200);
        QCOMPARE(r.body["object"], "list");
        QCOMPARE(r.body["data"].size(), size_t(2));
        const auto tok = wb::Tokenizer::load(m_model);
        QCOMPARE(r.body["usage"]["prompt_tokens"].get<size_t>(),
                 tok->encode("a cat", true).size() + tok->encode("a dog sat", true).size());
        const std::vector<float> v = r.body["data"][1]["embedding"];
        QCOMPARE(v.size(), size_t(64));
        double norm = 0;
        for (float x : v)
            norm += double(x) * x;
        QVERIFY(std::fabs(norm - 1) < 1e-4);
        // base64 (what the Node client asks for): the same floats, little-endian.
        const Reply b =
            post(m_port, "/v1/embeddings",
                 {{"model", "tiny"}, {"input", "a dog sat"}, {"encoding_format", "base64"}});
        QCOMPARE(b.status, 200);
        const QByteArray raw = QByteArray::fromBase64(
            QByteArray::fromStdString(b.body["data"][0]["embedding"].get<std::string>()));
        QCOMPARE(size_t(raw.size()), v.size() * 4);
        std::vector<float> decoded(v.size());
        std::memcpy(decoded.data(), raw.data(), size_t(raw.size()));
        QVERIFY(wbtest::maxAbsDiff(decoded, v) < 1e-6);
        // The adapter changes the embeddings.
        const Reply l =
            post(m_port, "/v1/embeddings", {{"model", "tiny-lora"}, {"input", "a dog sat"}});
        QVERIFY(wbtest::maxAbsDiff(l.body["data"][0]["embedding"].get<std::vector<float>>(), v) >
                1e-4);
    }

    void errors_data()
    {
        QTest::addColumn<QString>("path");
        QTest::addColumn<QString>("body");
        QTest::addColumn<int>("status");
        QTest::addColumn<QString>("param");
        const auto row = [](const char *name, const char *path, json body, int status,
                            const char *param) {
            QTest::newRow(name) << QString(path) << QString::fromStdString(body.dump()) << status
                                << QString(param);
        };
        QTest::newRow("malformed JSON")
            << QString("/v1/completions") << QString("{\"model\": \"tiny\", ") << 400 << QString();
        QTest::newRow("not an object")
            << QString("/v1/completions") << QString("[1, 2]") << 400 << QString();
        const json ok = {{"model", "tiny"}, {"prompt", "hi"}, {"max_tokens", 2}};
        row("temperature a string", "/v1/completions", with(ok, {{"temperature", "hot"}}), 400,
            "temperature");
        row("temperature above 2", "/v1/completions", with(ok, {{"temperature", 7}}), 400,
            "temperature");
        row("max_tokens a float", "/v1/completions", with(ok, {{"max_tokens", 1.5}}), 400,
            "max_tokens");
        row("max_tokens absurd", "/v1/completions", with(ok, {{"max_tokens", 1000000000}}), 400,
            "max_tokens");
        row("n too large", "/v1/completions", with(ok, {{"n", 100}}), 400, "n");
        row("logprobs above 5", "/v1/completions", with(ok, {{"logprobs", 6}}), 400, "logprobs");
        row("stop a number", "/v1/completions", with(ok, {{"stop", 3}}), 400, "stop");
        row("token id outside the vocabulary", "/v1/completions",
            with(ok, {{"prompt", {1, 99999}}}), 400, "prompt[1]");
        row("prompt missing", "/v1/completions", {{"model", "tiny"}}, 400, "prompt");
        row("prompt too long", "/v1/completions",
            with(ok, {{"prompt", std::string(30000, 'x') + " y"}}), 400, "prompt");
        row("context exceeded", "/v1/completions",
            with(ok, {{"prompt", std::vector<int>(4000, 5)}, {"max_tokens", 200}}), 400,
            "max_tokens");
        row("unknown model", "/v1/completions", with(ok, {{"model", "/etc/passwd"}}), 404, "model");
        row("messages not an array", "/v1/chat/completions",
            {{"model", "tiny"}, {"messages", "hi"}}, 400, "messages");
        row("message role unknown", "/v1/chat/completions",
            {{"model", "tiny"}, {"messages", {{{"role", "wizard"}, {"content", "x"}}}}}, 400,
            "messages[0].role");
        row("top_logprobs without logprobs", "/v1/chat/completions",
            {{"model", "tiny"},
             {"messages", {{{"role", "user"}, {"content", "x"}}}},
             {"top_logprobs", 2}},
            400, "top_logprobs");
        row("embeddings input a number", "/v1/embeddings", {{"model", "tiny"}, {"input", 3.5}}, 400,
            "input");
        row("unknown route", "/v1/images/generations", ok, 404, "");
    }

    void errors()
    {
        QFETCH(QString, path);
        QFETCH(QString, body);
        QFETCH(int, status);
        QFETCH(QString, param);
        const Reply r = send(m_port, "POST", path.toStdString(), body.toStdString());
        QCOMPARE(r.status, status);
        const json &e = r.body["error"];
        JSON_VERIFY(e["message"].is_string() && !e["message"].get<std::string>().empty() &&
                        e["type"].is_string() && e.contains("code"),
                    r.body);
        if (param.isEmpty())
            QVERIFY(e["param"].is_null());
        else
            JSON_VERIFY(e["param"] == param.toStdString(), r.body);
        if (status == 404 && param == "model") // the message lists what is served
            QVERIFY(e["message"].get<std::string>().find("tiny-lora") != std::string::npos);
    }

    void oversizedBodyIs413()
    {
        const std::string big =
            "{\"model\": \"tiny\", \"prompt\": \"" + std::string(5 << 20, 'a') + "\"}";
        const Reply r = send(m_port, "POST", "/v1/completions", big);
        QCOMPARE(r.status, 413);
        QCOMPARE(r.body["error"]["code"], "request_too_large");
        // The server still answers afterwards.
        QCOMPARE(send(m_port, "GET", "/health", {}).status, 200);
    }

    void concurrentGreedyEqualsOneByOne()
    {
        std::vector<json> bodies;
        for (int i = 0; i < 16; ++i) {
            json b =
                completion(i % 2 ? "tiny-lora" : "tiny",
                           "Request " + std::to_string(i) + std::string(size_t(i), '!'), 12 + i);
            b["ignore_eos"] = true;
            if (i % 3 == 0)
                b["stream"] = true;
            bodies.push_back(b);
        }
        const auto text = [this](const json &b) {
            if (b.value("stream", false))
                return streamedText(postStream(m_port, "/v1/completions", b));
            return post(m_port, "/v1/completions", b).body["choices"][0]["text"].get<std::string>();
        };
        std::vector<std::string> alone;
        for (const json &b : bodies)
            alone.push_back(text(b));
        std::vector<std::future<std::string>> together;
        for (const json &b : bodies)
            together.push_back(std::async(std::launch::async, text, b));
        for (size_t i = 0; i < bodies.size(); ++i)
            WB_COMPARE_STR(together[i].get(), alone[i]);
    }

    void requestLog()
    {
        std::mutex m;
        std::vector<serve::RequestLog> logs;
        // Requests of earlier tests may still be logged (after their last byte): not these.
        const auto t0 = std::chrono::system_clock::now();
        m_server->setLog([&](const serve::RequestLog &r) {
            std::lock_guard lock(m);
            if (r.time >= t0)
                logs.push_back(r);
        });
        json body = completion("tiny-lora", "Log me", 3);
        body["ignore_eos"] = true;
        body["stream"] = true;
        QVERIFY(postStream(m_port, "/v1/completions", body).done);
        QCOMPARE(post(m_port, "/v1/completions", {{"model", "nope"}, {"prompt", "x"}}).status, 404);
        // The log comes after the last byte is written, so possibly after the client has read it.
        const auto until = Clock::now() + std::chrono::seconds(5);
        while (Clock::now() < until && [&] {
            std::lock_guard lock(m);
            return logs.size() < 2;
        }())
            std::this_thread::sleep_for(std::chrono::milliseconds(2));
        m_server->setLog({});
        std::lock_guard lock(m);
        QCOMPARE(logs.size(), size_t(2));
        std::sort(logs.begin(), logs.end(),
                  [](const auto &a, const auto &b) { return a.time < b.time; });
        WB_COMPARE_STR(logs[0].path, "/v1/completions");
        QCOMPARE(logs[0].status, 200);
        WB_COMPARE_STR(logs[0].model, "tiny-lora");
        QVERIFY(logs[0].promptTokens > 0);
        QCOMPARE(logs[0].completionTokens, int64_t(3));
        QVERIFY(logs[0].seconds > 0);
        QCOMPARE(logs[1].status, 404);
    }

    void disconnectFreesTheSlot()
    {
        QVERIFY(idle(*m_engine, 10));
        const uint64_t before = m_engine->stats().generatedTokens;
        json body = completion("tiny", "A long story:", 4000);
        body["ignore_eos"] = true;
        body["stream"] = true;
        int seen = 0;
        const Stream s =
            postStream(m_port, "/v1/completions", body, [&](const json &) { return ++seen < 3; });
        QCOMPARE(s.status, 200);
        const auto t0 = Clock::now();
        QVERIFY2(idle(*m_engine, 2), "the slot of a client that went away is still busy");
        qInfo("slot freed %.0f ms after the client left",
              std::chrono::duration<double, std::milli>(Clock::now() - t0).count());
        QVERIFY(m_engine->stats().generatedTokens - before < 3000);
    }

    void fullQueueIs429()
    {
        auto b = engine(/*maxBatch=*/1, /*maxQueue=*/1);
        serve::Server server(*b, {.port = 0, .apiKey = {}});
        server.start();
        json slow = completion("tiny", "Go on and on:", 4000);
        slow["ignore_eos"] = true;
        slow["stream"] = true;
        std::atomic<bool> leave{false};
        const auto client = [&] {
            return postStream(server.port(), "/v1/completions", slow,
                              [&](const json &) { return !leave; });
        };
        auto running = std::async(std::launch::async, client);
        auto queued = std::async(std::launch::async, client);
        const auto until = Clock::now() + std::chrono::seconds(10);
        serve::EngineStats st;
        while (Clock::now() < until && !((st = b->stats()).active == 1 && st.queued == 1))
            std::this_thread::sleep_for(std::chrono::milliseconds(2));
        QCOMPARE(st.queued, 1);
        const Reply r = post(server.port(), "/v1/completions", completion("tiny", "one more", 2));
        QCOMPARE(r.status, 429);
        QCOMPARE(r.body["error"]["type"], "rate_limit_error");
        leave = true;
        running.get();
        queued.get();
        QVERIFY(idle(*b, 5));
        QCOMPARE(post(server.port(), "/v1/completions", completion("tiny", "one more", 2)).status,
                 200);
        server.stop(std::chrono::milliseconds(0));
    }

    void apiKeyOnEveryRoute()
    {
        auto b = engine();
        serve::ServerOptions o;
        o.port = 0;
        o.apiKey = "sk-test-123";
        serve::Server server(*b, o);
        server.start();
        const std::vector<std::pair<std::string, std::string>> routes = {
            {"GET", "/v1/models"},
            {"POST", "/v1/chat/completions"},
            {"POST", "/v1/completions"},
            {"POST", "/v1/embeddings"},
            {"POST", "/v1/unknown"}};
        const std::string body = json{{"model", "tiny"},
                                      {"prompt", "x"},
                                      {"input", "x"},
                                      {"max_tokens", 1},
                                      {"messages", {{{"role", "user"}, {"content", "x"}}}}}
                                     .dump();
        for (const auto &[method, path] : routes) {
            for (const std::string key : {"", "sk-test-124", "sk-test-12", "sk-test-1234"}) {
                const Reply r = send(server.port(), method, path, body, key);
                QVERIFY2(r.status == 401,
                         qPrintable(QString::fromStdString(path + " key '" + key + "'")));
                QCOMPARE(r.body["error"]["code"], "invalid_api_key");
                QCOMPARE(r.body["error"]["type"], "authentication_error");
            }
            const Reply ok = send(server.port(), method, path, body, "sk-test-123");
            QCOMPARE(ok.status, path == "/v1/unknown" ? 404 : 200);
        }
        QCOMPARE(send(server.port(), "GET", "/health", {}).status, 200);
        server.stop(std::chrono::milliseconds(0));
    }

    void unsafeOrTakenAddressesAreRefused()
    {
        serve::ServerOptions open;
        open.host = "0.0.0.0";
        serve::Server exposed(*m_engine, open);
        try {
            exposed.start();
            QFAIL("a non-loopback bind without an API key started");
        } catch (const wb::Error &e) {
            QCOMPARE(e.code(), wb::ErrorCode::Validation);
            QVERIFY(std::string(e.what()).find("API key") != std::string::npos);
        }
        serve::ServerOptions same;
        same.port = m_port;
        serve::Server second(*m_engine, same);
        QVERIFY_THROWS_EXCEPTION(wb::Error, second.start());
        QCOMPARE(send(m_port, "GET", "/health", {}).status, 200);
    }

    void shutdownDuringStreams()
    {
        auto b = engine(2, 8);
        serve::Server server(*b, {.port = 0, .apiKey = {}});
        server.start();
        json slow = completion("tiny", "Never ending:", 4000);
        slow["ignore_eos"] = true;
        slow["stream"] = true;
        std::vector<std::future<Stream>> streams;
        for (int i = 0; i < 3; ++i) // two run, one waits
            streams.push_back(std::async(std::launch::async, [&] {
                return postStream(server.port(), "/v1/completions", slow);
            }));
        const auto until = Clock::now() + std::chrono::seconds(10);
        serve::EngineStats st;
        // The engine admits a newcomer between steps: the first snapshot may be 1 + 2.
        while (Clock::now() < until && !((st = b->stats()).active == 2 && st.queued == 1))
            std::this_thread::sleep_for(std::chrono::milliseconds(2));
        QVERIFY2(st.active == 2 && st.queued == 1,
                 qPrintable(QString("active %1 queued %2 tokens %3 finished %4")
                                .arg(st.active)
                                .arg(st.queued)
                                .arg(st.generatedTokens)
                                .arg(st.requests)));
        const auto t0 = Clock::now();
        server.stop(std::chrono::milliseconds(300));
        const double took = std::chrono::duration<double>(Clock::now() - t0).count();
        QVERIFY2(took < 3, qPrintable(QString("stop took %1 s").arg(took)));
        for (auto &f : streams) {
            QVERIFY(f.wait_for(std::chrono::seconds(5)) == std::future_status::ready);
            const Stream s = f.get();
            QCOMPARE(s.status, 200);
            // Cancelled streams end with OpenAI's error event, not a silent cut.
            QVERIFY(!s.events.empty());
            JSON_VERIFY(s.events.back().contains("error"), s.events.back());
            QCOMPARE(s.events.back()["error"]["code"], "shutting_down");
        }
        QVERIFY(!server.running());
        QCOMPARE(send(server.port(), "GET", "/health", {}).status, 0); // nothing listens
    }
};

QTEST_GUILESS_MAIN(TestServe)
#include "tst_serve.moc"

#include "cli.h"

#include "common/error.h"
#include "common/files.h"
#include "formats/hf_config.h"
#include "formats/random_model.h"
#include "formats/safetensors.h"
#include "model/bench.h"
#include "model/causal_lm.h"
#include "model/generate.h"
#include "remote/remote_endpoint.h"
#include "store/model_store.h"
#include "store/workspace.h"
#include "tokenizer/chat_template.h"
#include "tokenizer/tokenizer.h"

#include <cstdio>
#include <cstdlib>
#include <iostream>
#include <sstream>
#include <array>
#include <climits>
#include <cmath>
#include <random>
#include <unistd.h>

namespace wbcli {

using nlohmann::json;

namespace {

std::vector<int32_t> parseIds(const std::string &s)
{
    std::vector<int32_t> ids;
    std::string tok;
    std::istringstream in(s);
    while (in >> tok) {
        for (char &c : tok)
            if (c == ',')
                c = ' ';
        std::istringstream part(tok);
        long long v;
        while (part >> v) {
            if (v < 0 || v > INT32_MAX)
                throw wb::Error(wb::ErrorCode::Validation, "token id " + std::to_string(v) +
                                                               " is out of range");
            ids.push_back(static_cast<int32_t>(v));
        }
    }
    if (ids.empty())
        throw wb::Error(wb::ErrorCode::Validation, "--ids needs at least one token id, e.g. \"1 2 3\"");
    return ids;
}

wb::DType parseDtype(const std::string &s)
{
    if (s == "f32" || s == "fp32" || s == "float32")
        return wb::DType::F32;
    if (s == "f16" || s == "fp16" || s == "float16")
        return wb::DType::F16;
    if (s == "bf16" || s == "bfloat16")
        return wb::DType::BF16;
    throw wb::Error(wb::ErrorCode::Validation, "unknown dtype '" + s + "' (use f32, f16 or bf16)");
}

std::string humanBytes(uint64_t b)
{
    char buf[32];
    if (b >= (1ull << 30))
        std::snprintf(buf, sizeof buf, "%.2f GiB", b / double(1ull << 30));
    else if (b >= (1ull << 20))
        std::snprintf(buf, sizeof buf, "%.1f MiB", b / double(1ull << 20));
    else
        std::snprintf(buf, sizeof buf, "%.1f KiB", b / 1024.0);
    return buf;
}

std::string humanParams(uint64_t p)
{
    char buf[32];
    if (p >= 1000000000ull)
        std::snprintf(buf, sizeof buf, "%.2fB", p / 1e9);
    else if (p >= 1000000ull)
        std::snprintf(buf, sizeof buf, "%.1fM", p / 1e6);
    else
        std::snprintf(buf, sizeof buf, "%.1fK", p / 1e3);
    return buf;
}

struct ModelOptions
{
    std::string dir;
    std::string device = "cpu";
    std::string dtype = "f32";
    bool int8 = false;
    int threads = 0;
    std::string adapter;
};

void addModelOptions(CLI::App *cmd, ModelOptions &o)
{
    cmd->add_option("--model", o.dir, "Hugging Face model folder")->required();
    cmd->add_option("--device", o.device, "cpu, cuda or cuda:N")->default_val("cpu");
    cmd->add_option("--dtype", o.dtype, "f32, f16 or bf16")->default_val("f32");
    cmd->add_flag("--int8", o.int8, "int8 weight-only quantization");
    cmd->add_option("--threads", o.threads, "CPU threads (default: all cores)");
    cmd->add_option("--adapter", o.adapter, "a PEFT LoRA adapter folder applied on top");
}

std::unique_ptr<wb::CausalLM> loadModel(const ModelOptions &o)
{
    wb::LoadOptions lo;
    lo.device = o.device;
    lo.dtype = parseDtype(o.dtype);
    lo.int8 = o.int8;
    lo.threads = o.threads;
    lo.adapterDir = o.adapter;
    const bool tty = ::isatty(2);
    return wb::CausalLM::load(o.dir, lo, [tty](double f, const std::string &msg) {
        if (tty)
            std::fprintf(stderr, "\r[%3d%%] %-60.60s", int(f * 100), msg.c_str());
        return true;
    });
}

} // namespace

void addModelCommands(CLI::App &app, Globals &g)
{
    // info
    {
        auto *cmd = app.add_subcommand("info", "describe a model folder without loading it");
        auto dir = std::make_shared<std::string>();
        auto asJson = std::make_shared<bool>(false);
        cmd->add_option("dir", *dir)->required();
        cmd->add_flag("--json", *asJson);
        cmd->callback([&g, dir, asJson] {
            const auto info = wb::inspectModelFolder(*dir);
            if (*asJson) {
                std::cout << info.toJson().dump(2) << "\n";
            } else {
                std::cout << "architecture:  " << info.architecture << "\n"
                          << "parameters:    " << humanParams(info.parameters) << " ("
                          << info.parameters << ")\n"
                          << "layers:        " << info.layers << ", hidden " << info.hidden
                          << ", heads " << info.heads << " (kv " << info.kvHeads << "), vocab "
                          << info.vocab << "\n"
                          << "context:       " << info.contextLength << " tokens, rope "
                          << info.rope << "\n"
                          << "dtype:         " << info.dtype << "\n"
                          << "size:          " << humanBytes(info.sizeOnDisk) << "\n"
                          << "tokenizer:     " << (info.tokenizer.empty() ? "none" : info.tokenizer)
                          << "\n"
                          << "chat template: "
                          << (info.chatFamily.empty() ? "none" : info.chatFamily) << "\n";
                for (const auto &w : info.warnings)
                    std::cout << "warning: " << w << "\n";
                for (const auto &p : info.problems)
                    std::cout << "problem: " << p << "\n";
            }
            g.exitCode = info.ok ? 0 : 1;
        });
    }
    // tokenize
    {
        auto *cmd = app.add_subcommand("tokenize", "token ids of a text");
        auto dir = std::make_shared<std::string>();
        auto text = std::make_shared<std::string>();
        auto asJson = std::make_shared<bool>(false);
        auto noSpecial = std::make_shared<bool>(false);
        cmd->add_option("--model", *dir)->required();
        cmd->add_option("--text", *text)->required();
        cmd->add_flag("--json", *asJson, "print a JSON array of ids");
        cmd->add_flag("--no-special", *noSpecial, "do not add BOS/EOS");
        cmd->callback([dir, text, asJson, noSpecial] {
            const auto tok = wb::Tokenizer::load(*dir);
            const auto ids = tok->encode(*text, !*noSpecial);
            if (*asJson) {
                std::cout << json(ids).dump() << "\n";
                return;
            }
            for (auto id : ids)
                std::cout << id << "\t" << json(tok->idToToken(id)).dump() << "\n";
            std::cout << ids.size() << " tokens\n";
        });
    }
    // logits
    {
        auto *cmd = app.add_subcommand("logits", "write the logits of every position to safetensors");
        auto o = std::make_shared<ModelOptions>();
        auto ids = std::make_shared<std::string>();
        auto text = std::make_shared<std::string>();
        auto out = std::make_shared<std::string>();
        addModelOptions(cmd, *o);
        auto *idsOpt = cmd->add_option("--ids", *ids, "token ids, e.g. \"1 2 3\"");
        auto *textOpt = cmd->add_option("--text", *text, "text to tokenize");
        idsOpt->excludes(textOpt);
        cmd->add_option("--out", *out, "output .safetensors file")->required();
        cmd->callback([o, ids, text, out, idsOpt, textOpt] {
            if (idsOpt->count() == 0 && textOpt->count() == 0)
                throw wb::Error(wb::ErrorCode::Validation, "give --ids or --text");
            std::vector<int32_t> input;
            if (idsOpt->count() > 0)
                input = parseIds(*ids);
            else
                input = wb::Tokenizer::load(o->dir)->encode(*text);
            auto model = loadModel(*o);
            const auto logits = model->logits(input);
            wb::SafetensorsWriter w;
            w.add("logits", wb::DType::F32,
                  {static_cast<int64_t>(input.size()), model->vocabSize()}, logits.data(),
                  logits.size() * sizeof(float));
            w.write(*out);
            std::cerr << "\nwrote logits [" << input.size() << ", " << model->vocabSize()
                      << "] to " << *out << "\n";
        });
    }
    // generate
    {
        auto *cmd = app.add_subcommand("generate", "generate text (streams to the terminal)");
        auto o = std::make_shared<ModelOptions>();
        auto prompt = std::make_shared<std::string>();
        auto ids = std::make_shared<std::string>();
        auto chat = std::make_shared<bool>(false);
        auto system = std::make_shared<std::string>();
        auto maxNew = std::make_shared<int>(128);
        auto temperature = std::make_shared<float>(0.f);
        auto topP = std::make_shared<float>(1.f);
        auto topK = std::make_shared<int>(0);
        auto repetition = std::make_shared<float>(1.f);
        auto seed = std::make_shared<uint64_t>(0);
        auto stops = std::make_shared<std::vector<std::string>>();
        auto asJson = std::make_shared<bool>(false);
        addModelOptions(cmd, *o);
        auto *promptOpt = cmd->add_option("--prompt", *prompt, "prompt text");
        auto *idsOpt = cmd->add_option("--ids", *ids, "prompt token ids");
        promptOpt->excludes(idsOpt);
        cmd->add_flag("--chat", *chat, "wrap the prompt in the model's chat template");
        cmd->add_option("--system", *system, "system message (with --chat)");
        cmd->add_option("--max-new-tokens", *maxNew)->default_val(128);
        cmd->add_option("--temperature", *temperature, "0 = greedy")->default_val(0);
        cmd->add_option("--top-p", *topP)->default_val(1);
        cmd->add_option("--top-k", *topK)->default_val(0);
        cmd->add_option("--repetition-penalty", *repetition)->default_val(1);
        cmd->add_option("--seed", *seed)->default_val(0);
        cmd->add_option("--stop", *stops, "stop string (repeatable)");
        cmd->add_flag("--json", *asJson, "print one JSON object with ids and text");
        cmd->callback([=] {
            if (promptOpt->count() == 0 && idsOpt->count() == 0)
                throw wb::Error(wb::ErrorCode::Validation, "give --prompt or --ids");
            std::unique_ptr<wb::Tokenizer> tok;
            std::vector<int32_t> input;
            if (idsOpt->count() > 0) {
                input = parseIds(*ids);
                try {
                    tok = wb::Tokenizer::load(o->dir);
                } catch (const wb::Error &) {
                    // ids in, ids out: a folder without a tokenizer still generates
                }
            } else {
                tok = wb::Tokenizer::load(o->dir);
                if (*chat) {
                    auto tpl = wb::ChatTemplate::fromModelDir(o->dir);
                    if (!tpl)
                        throw wb::Error(wb::ErrorCode::Unsupported,
                                        "the model has no chat template (tokenizer_config.json); "
                                        "run without --chat",
                                        o->dir);
                    std::vector<wb::ChatMessage> msgs;
                    if (!system->empty())
                        msgs.push_back({"system", *system});
                    msgs.push_back({"user", *prompt});
                    input = tok->encode(tpl->render(msgs, true, tok->bosToken(), tok->eosToken()),
                                        false);
                } else {
                    input = tok->encode(*prompt);
                }
            }
            auto model = loadModel(*o);
            if (::isatty(2))
                std::fprintf(stderr, "\r%-70s\r", "");
            wb::GenerateOptions go;
            go.maxNewTokens = *maxNew;
            go.sampling.temperature = *temperature;
            go.sampling.topP = *topP;
            go.sampling.topK = *topK;
            go.sampling.repetitionPenalty = *repetition;
            go.sampling.seed = *seed;
            go.stopStrings = *stops;
            const wb::Tokenizer *t = tok.get();
            if (t)
                go.decode = [t](const std::vector<int32_t> &v) { return t->decode(v, true); };
            std::unique_ptr<wb::StreamDecoder> stream;
            if (t && !*asJson)
                stream = std::make_unique<wb::StreamDecoder>(*t);
            const auto result = wb::generate(*model, input, go, [&](int32_t id) {
                if (stream) {
                    std::cout << stream->push(id) << std::flush;
                } else if (!*asJson) {
                    std::cout << id << " " << std::flush;
                }
                return true;
            });
            if (*asJson) {
                json j = {{"ids", result.tokens},
                          {"prompt_tokens", result.promptTokens},
                          {"stop_reason", wb::stopReasonName(result.reason)}};
                j["text"] = t ? result.text : std::string();
                std::cout << j.dump() << "\n";
                return;
            }
            if (stream)
                std::cout << stream->flush();
            const double tps = result.decodeSeconds > 0
                                   ? (result.tokens.size() > 1 ? result.tokens.size() - 1 : 0) /
                                         result.decodeSeconds
                                   : 0;
            std::fprintf(stderr, "\n[%zu tokens, %s; prefill %.0f ms, %.1f tokens/s]\n",
                         result.tokens.size(), wb::stopReasonName(result.reason),
                         result.prefillSeconds * 1000, tps);
        });
    }
    // bench
    {
        auto *bench = app.add_subcommand("bench", "benchmarks");
        bench->require_subcommand(1);
        auto *cmd = bench->add_subcommand("generate", "prefill/decode throughput of the engine");
        auto o = std::make_shared<ModelOptions>();
        auto batch = std::make_shared<int>(1);
        auto promptLen = std::make_shared<int>(128);
        auto newTokens = std::make_shared<int>(128);
        auto asJson = std::make_shared<bool>(false);
        addModelOptions(cmd, *o);
        cmd->add_option("--batch", *batch)->default_val(1);
        cmd->add_option("--prompt-len", *promptLen)->default_val(128);
        cmd->add_option("--new-tokens", *newTokens)->default_val(128);
        cmd->add_flag("--json", *asJson);
        cmd->callback([=] {
            auto model = loadModel(*o);
            if (::isatty(2))
                std::fprintf(stderr, "\r%-70s\r", "");
            const auto r = wb::benchGenerate(*model, *batch, *promptLen, *newTokens);
            if (*asJson)
                std::cout << json{{"model", model->describe()},
                                  {"device", r.device},
                                  {"batch", r.batch},
                                  {"prompt_len", r.promptLen},
                                  {"new_tokens", r.newTokens},
                                  {"prefill_tokens_per_s", r.prefillTokensPerSecond},
                                  {"decode_tokens_per_s", r.decodeTokensPerSecond},
                                  {"ttft_s", r.timeToFirstTokenSeconds},
                                  {"peak_memory_bytes", r.peakMemoryBytes}}
                                 .dump()
                          << "\n";
            else
                std::cout << model->describe() << "\n" << r.summary() << "\n";
        });
    }
    // a random-weight model for benchmarks
    {
        auto *bench = app.get_subcommand("bench");
        auto *cmd = bench->add_subcommand(
            "random-model", "write a random-weight Llama-architecture HF folder to benchmark on");
        auto out = std::make_shared<std::string>();
        auto dims = std::make_shared<std::array<int64_t, 6>>(
            std::array<int64_t, 6>{768, 12, 12, 4, 2048, 32000});
        auto seed = std::make_shared<uint64_t>(0);
        cmd->add_option("out", *out)->required();
        cmd->add_option("--hidden", (*dims)[0])->default_val(768);
        cmd->add_option("--layers", (*dims)[1])->default_val(12);
        cmd->add_option("--heads", (*dims)[2])->default_val(12);
        cmd->add_option("--kv-heads", (*dims)[3])->default_val(4);
        cmd->add_option("--intermediate", (*dims)[4])->default_val(2048);
        cmd->add_option("--vocab", (*dims)[5])->default_val(32000);
        cmd->add_option("--seed", *seed)->default_val(0);
        cmd->callback([out, dims, seed] {
            wb::RandomModelSpec spec;
            std::tie(spec.hidden, spec.layers, spec.heads, spec.kvHeads, spec.intermediate,
                     spec.vocab) = std::tuple_cat(*dims);
            spec.seed = *seed;
            const std::filesystem::path dir(*out);
            const uint64_t params = wb::writeRandomModel(dir, spec);
            std::cout << "wrote " << dir.string() << ": " << params << " parameters\n";
        });
    }
    // workspace models
    {
        auto *m = app.add_subcommand("model", "model folders registered in the workspace");
        m->require_subcommand(1);
        auto *add = m->add_subcommand("add", "register a local model folder");
        auto dir = std::make_shared<std::string>();
        auto name = std::make_shared<std::string>();
        add->add_option("dir", *dir)->required();
        add->add_option("--name", *name);
        add->callback([&g, dir, name] {
            const auto e = wb::ModelStore(workspace(g)).add(*dir, *name);
            std::cout << "added " << e.name << " (" << e.info.architecture << ", "
                      << humanParams(e.info.parameters) << ")\n";
            for (const auto &p : e.info.problems)
                std::cout << "problem: " << p << "\n";
            g.exitCode = e.info.ok ? 0 : 1;
        });
        auto *addRemote = m->add_subcommand(
            "add-remote", "register an OpenAI-compatible server (vLLM, Ollama, llama.cpp, a hosted "
                          "API) as a model");
        auto remote = std::make_shared<wb::RemoteSettings>();
        addRemote->add_option("name", remote->name, "the name to pick it by")->required();
        addRemote->add_option("--base-url", remote->baseUrl, "e.g. http://localhost:8000/v1")
            ->required();
        addRemote->add_option("--model", remote->model, "the server's model id")->required();
        addRemote->add_option("--api-key-env", remote->apiKeyEnv,
                              "environment variable holding the API key (never stored)");
        addRemote->add_option("--max-concurrency", remote->maxConcurrency, "requests in flight")
            ->default_val(remote->maxConcurrency);
        addRemote->add_option("--rpm", remote->rpm, "request starts per minute, 0: no limit")
            ->default_val(remote->rpm);
        addRemote->add_option("--timeout", remote->timeoutSeconds, "seconds without data")
            ->default_val(remote->timeoutSeconds);
        addRemote
            ->add_option("--retries", remote->retries, "further attempts on 429, 5xx, timeouts")
            ->default_val(remote->retries);
        addRemote->callback([&g, remote] {
            const auto s = wb::RemoteStore(workspace(g)).add(*remote);
            std::cout << "added remote endpoint " << s.name << " (" << s.model << " at "
                      << s.baseUrl << ")\n";
            if (!s.apiKeyEnv.empty() && !std::getenv(s.apiKeyEnv.c_str()))
                std::cout << "note: " << s.apiKeyEnv
                          << " is not set now; set it before using this endpoint\n";
        });
        auto *list = m->add_subcommand("list", "registered models and remote endpoints");
        list->callback([&g] {
            for (const auto &e : wb::ModelStore(workspace(g)).list())
                std::printf("%-24s %-20s %8s %-10s %-12s %s\n", e.name.c_str(),
                            e.info.architecture.c_str(), humanParams(e.info.parameters).c_str(),
                            e.info.dtype.c_str(), e.info.chatFamily.c_str(),
                            e.info.ok ? e.info.path.c_str() : "(broken: see llmwb info)");
            for (const auto &r : wb::RemoteStore(workspace(g)).list()) {
                std::string limits = "concurrency " + std::to_string(r.maxConcurrency);
                if (r.rpm > 0)
                    limits += ", " + std::to_string(r.rpm) + " rpm";
                if (!r.apiKeyEnv.empty())
                    limits += ", key $" + r.apiKeyEnv;
                std::printf("%-24s %-20s %-30s %s (%s)\n", r.name.c_str(), "remote",
                            r.model.c_str(), r.baseUrl.c_str(), limits.c_str());
            }
        });
        auto *rm = m->add_subcommand(
            "remove", "unregister a model (its folder is not touched) or a remote endpoint");
        auto rmName = std::make_shared<std::string>();
        rm->add_option("name", *rmName)->required();
        rm->callback([&g, rmName] {
            wb::ModelStore models(workspace(g));
            wb::RemoteStore remotes(workspace(g));
            // A local model wins: `model add` does not look at remote names, so both can exist.
            if (models.find(*rmName))
                models.remove(*rmName);
            else if (remotes.find(*rmName))
                remotes.remove(*rmName);
            else
                throw wb::Error(wb::ErrorCode::NotFound, "no model or remote endpoint named '" +
                                                             *rmName + "' in this workspace");
            std::cout << "removed " << *rmName << "\n";
        });
    }
}

} // namespace wbcli

// llmwb serve: the local model (and LoRA adapters by name) behind an OpenAI-compatible HTTP API.
// A contract: scripts and tests start it and read its first stdout line (README, "Serve").

#include "cli.h"

#include "common/error.h"
#include "formats/dtype.h"
#include "serve/engine.h"
#include "serve/server.h"
#include "train/train_job.h"

#include <atomic>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <iostream>
#include <thread>

#include <unistd.h>

namespace wbcli {

namespace {

namespace fs = std::filesystem;

// Set by SIGINT/SIGTERM; the main thread polls it (a handler may do nothing else safely).
std::atomic<bool> g_stop{false};

extern "C" void onStopSignal(int)
{
    g_stop = true;
}

// How long SIGTERM lets running streams go on before they are cancelled.
constexpr std::chrono::seconds kDrainDeadline{10};

struct ServeArgs
{
    std::string model;
    std::vector<std::string> adapters;
    std::string host = "127.0.0.1";
    int port = 8000;
    std::string apiKeyEnv;
    std::string device = "cpu";
    std::string dtype = "f32";
    int maxBatch = 16;
    int maxQueue = 64;
};

std::vector<wb::serve::AdapterSpec> adapterSpecs(Globals &g, const ServeArgs &a)
{
    std::vector<wb::serve::AdapterSpec> out;
    for (const std::string &spec : a.adapters) {
        const size_t eq = spec.find('=');
        if (eq == std::string::npos || eq == 0 || eq + 1 == spec.size())
            throw wb::Error(wb::ErrorCode::Validation,
                            "--adapter " + spec + ": expected NAME=DIR or NAME=RUN");
        // Names taken twice (or the base model's) are refused by startEngine, before it loads.
        out.push_back({spec.substr(0, eq), wb::resolveAdapterDir(spec.substr(eq + 1),
                                                  [&g] { return wb::runsDir(workspace(g)); }, "--adapter")});
    }
    return out;
}

std::string logLine(const wb::serve::RequestLog &r)
{
    const std::time_t t = std::chrono::system_clock::to_time_t(r.time);
    std::tm tm{};
    localtime_r(&t, &tm);
    char when[16];
    std::strftime(when, sizeof when, "%H:%M:%S", &tm);
    char line[512];
    std::snprintf(line, sizeof line, "%s %s %s %d %.3fs", when, r.method.c_str(), r.path.c_str(),
                  r.status, r.seconds);
    if (r.model.empty())
        return line;
    return std::string(line) + " model " + r.model + " tokens " + std::to_string(r.promptTokens) +
           "+" + std::to_string(r.completionTokens);
}

int serve(Globals &g, const ServeArgs &a)
{
    std::string apiKey;
    if (!a.apiKeyEnv.empty()) {
        const char *v = std::getenv(a.apiKeyEnv.c_str());
        if (!v || !*v)
            throw wb::Error(wb::ErrorCode::Validation, "--api-key-env " + a.apiKeyEnv +
                                                           ": the environment variable " +
                                                           a.apiKeyEnv + " is not set or empty");
        apiKey = v;
    }
    wb::serve::ServerOptions so;
    so.host = a.host;
    so.port = a.port;
    so.apiKey = apiKey;
    wb::serve::Server::checkOptions(so); // before a long model load
    const fs::path modelDir = resolveModel(g, a.model);
    const std::string baseName =
        fs::is_directory(a.model) ? fs::path(modelDir).filename().string() : a.model;
    std::string dtypeName = a.dtype;
    for (char &c : dtypeName)
        c = char(std::toupper(static_cast<unsigned char>(c)));
    const auto dtype = wb::dtypeFromName(dtypeName);
    if (!dtype ||
        (*dtype != wb::DType::F32 && *dtype != wb::DType::BF16 && *dtype != wb::DType::F16))
        throw wb::Error(wb::ErrorCode::Validation,
                        "--dtype " + a.dtype + " is not f32, bf16 or f16");

    wb::serve::EngineOptions eo;
    eo.load.device = a.device;
    eo.load.dtype = *dtype;
    eo.maxBatch = a.maxBatch;
    eo.maxQueue = a.maxQueue;
    const bool tty = ::isatty(2);
    auto engine = wb::serve::startEngine(modelDir, baseName, adapterSpecs(g, a), eo,
                                         [tty](double f, const std::string &msg) {
                                             if (tty)
                                                 std::fprintf(stderr, "\r[%3d%%] %-60.60s",
                                                              int(f * 100), msg.c_str());
                                             return true;
                                         });
    if (tty)
        std::fprintf(stderr, "\r%-70s\r", "");

    wb::serve::Server server(*engine, so);
    server.setLog([](const wb::serve::RequestLog &r) { std::cerr << logLine(r) << std::endl; });
    g_stop = false;
    std::signal(SIGINT, onStopSignal);
    std::signal(SIGTERM, onStopSignal);
    server.start();

    // The first line is the contract scripts wait for.
    std::cout << "serving " << server.address() << "/v1" << std::endl;
    for (const auto &m : engine->models())
        std::cout << "model " << m.name
                  << (m.adapter.empty() ? " (" + engine->description() + ")"
                                        : " (adapter " + m.adapter + ")")
                  << std::endl;
    std::cout << (apiKey.empty() ? "no API key (loopback only)" : "API key required (Bearer)")
              << "; Ctrl-C stops" << std::endl;

    while (!g_stop)
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
    const auto stats = engine->stats();
    std::cerr << "stopping: " << stats.active + stats.queued << " request(s) in flight get up to "
              << kDrainDeadline.count() << " s to finish" << std::endl;
    server.stop(kDrainDeadline);
    std::cerr << "stopped" << std::endl;
    return 0;
}

} // namespace

void addServeCommands(CLI::App &app, Globals &g)
{
    auto *cmd = app.add_subcommand("serve", "serve a model and its adapters over an "
                                            "OpenAI-compatible HTTP API");
    auto a = std::make_shared<ServeArgs>();
    cmd->add_option("--model", a->model, "model folder or workspace model name")->required();
    cmd->add_option("--adapter", a->adapters,
                    "NAME=DIR|RUN: a LoRA adapter served as model NAME (repeatable)");
    cmd->add_option("--host", a->host, "address to bind; other than loopback needs an API key")
        ->default_val("127.0.0.1");
    cmd->add_option("--port", a->port, "TCP port (0: any free port)")->default_val(8000);
    cmd->add_option("--api-key-env", a->apiKeyEnv,
                    "name of the environment variable holding the API key clients must send");
    cmd->add_option("--device", a->device, "cpu, cuda or cuda:N")->default_val("cpu");
    cmd->add_option("--dtype", a->dtype, "f32, bf16 or f16")->default_val("f32");
    cmd->add_option("--max-batch", a->maxBatch, "requests decoded together")->default_val(16);
    cmd->add_option("--max-queue", a->maxQueue, "requests waiting beyond the batch; more get 429")
        ->default_val(64);
    cmd->callback([&g, a] { g.exitCode = serve(g, *a); });
}

} // namespace wbcli

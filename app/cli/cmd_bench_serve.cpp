// llmwb bench serve: the OpenAI-compatible server under C streaming clients (core/serve/serve_bench.h).

#include "cli.h"

#include "common/error.h"
#include "formats/dtype.h"
#include "serve/serve_bench.h"

#include <iostream>
#include <memory>
#include <sstream>

namespace wbcli {

void addServeBenchCommands(CLI::App &app, Globals &g)
{
    auto *bench = app.get_subcommand("bench");
    auto *cmd = bench->add_subcommand(
        "serve", "the server over loopback: streaming clients, tokens/s, TTFT and inter-token latency");
    auto o = std::make_shared<wb::serve::ServeBenchOptions>();
    auto model = std::make_shared<std::string>("demo-model");
    auto clients = std::make_shared<std::string>("1,4,16");
    auto dtype = std::make_shared<std::string>("F32");
    cmd->add_option("--model", *model, "workspace model or folder")->default_val("demo-model");
    cmd->add_option("--clients", *clients, "client counts, comma-separated")->default_val("1,4,16");
    cmd->add_option("--new-tokens", o->newTokens, "tokens each client streams")->default_val(64);
    cmd->add_option("--prompt-tokens", o->promptTokens)->default_val(64);
    cmd->add_option("--max-batch", o->maxBatch, "the server's batch rows")->default_val(16);
    cmd->add_option("--device", o->load.device)->default_val("cpu");
    cmd->add_option("--dtype", *dtype)->default_val("F32");
    cmd->callback([&g, o, model, clients, dtype] {
        const auto dt = wb::dtypeFromName(*dtype);
        if (!dt)
            throw wb::Error(wb::ErrorCode::Validation, "--dtype " + *dtype + " is not F32, BF16 or F16");
        o->load.dtype = *dt;
        o->modelDir = resolveModel(g, *model);
        o->clients.clear();
        std::stringstream list(*clients);
        for (std::string item; std::getline(list, item, ',');) {
            try {
                o->clients.push_back(std::stoi(item));
            } catch (const std::exception &) {
                throw wb::Error(wb::ErrorCode::Validation, "--clients: '" + item + "' is not a number");
            }
        }
        if (o->clients.empty())
            throw wb::Error(wb::ErrorCode::Validation, "--clients: give at least one count");
        const auto rows = wb::serve::benchServe(*o, [](const std::string &s) { std::cerr << s << "\n"; });
        std::cout << o->modelDir.string() << ", prompt " << o->promptTokens << " tokens, "
                  << o->newTokens << " new tokens per client (greedy, ignore_eos)\n"
                  << wb::serve::formatServeBench(rows);
    });
}

} // namespace wbcli

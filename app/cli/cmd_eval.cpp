// llmwb eval: accuracy of a model (+ adapter) on a logic-reasoning dataset.

#include "cli.h"

#include "common/error.h"
#include "eval/accuracy.h"
#include "store/model_store.h"
#include "store/workspace.h"
#include "train/train_job.h"
#include "train/trainer.h"

#include <cmath>
#include <cstdio>
#include <iostream>

#include <unistd.h>

namespace wbcli {

// A model argument: a model folder, or a model registered in the workspace.
std::string resolveModel(Globals &g, const std::string &arg)
{
    if (std::filesystem::is_directory(arg)) {
        if (!std::filesystem::exists(std::filesystem::path(arg) / "config.json"))
            throw wb::Error(wb::ErrorCode::Validation,
                            "--model " + arg + " is a folder without config.json, not a model");
        return std::filesystem::absolute(arg).string();
    }
    const auto entry = wb::ModelStore(workspace(g)).find(arg);
    if (!entry)
        throw wb::Error(wb::ErrorCode::NotFound,
                        "--model: no model folder or workspace model named '" + arg +
                            "' (llmwb model list shows the registered ones)");
    if (!entry->info.ok) {
        std::string why;
        for (const std::string &p : entry->info.problems)
            why += (why.empty() ? "" : "; ") + p;
        throw wb::Error(wb::ErrorCode::Validation,
                        "--model " + arg + " (" + entry->info.path.string() + ") cannot be loaded: " + why);
    }
    return entry->info.path.string();
}

namespace {

namespace fs = std::filesystem;

// An adapter argument: a PEFT folder, a training run folder (its adapter/), or a run's name in
// the workspace. Also returns the run's config when it came from a run.
std::pair<std::string, std::optional<wb::TrainConfig>> resolveAdapter(Globals &g,
                                                                       const std::string &arg)
{
    auto fromRun = [](const fs::path &run) -> std::pair<std::string, std::optional<wb::TrainConfig>> {
        if (!fs::exists(run / "adapter" / "adapter_config.json"))
            throw wb::Error(wb::ErrorCode::NotFound,
                            "--adapter " + run.string() +
                                " is a training run without an adapter/ (unfinished, or a full fine-tune: "
                                "pass its model/ folder as --model instead)");
        return {(run / "adapter").string(), wb::readRun(run).config};
    };
    const fs::path p(arg);
    if (fs::exists(p / "adapter_config.json")) {
        std::optional<wb::TrainConfig> run;
        if (fs::exists(p.parent_path() / "config.json"))
            try {
                run = wb::readRun(fs::absolute(p).parent_path()).config;
            } catch (const wb::Error &) {
                // an adapter folder that is not inside a run
            }
        return {fs::absolute(p).string(), run};
    }
    if (fs::exists(p / "config.json"))
        return fromRun(fs::absolute(p));
    if (!p.has_parent_path() && fs::exists(wb::runsDir(workspace(g)) / arg / "config.json"))
        return fromRun(wb::runsDir(workspace(g)) / arg);
    throw wb::Error(wb::ErrorCode::NotFound,
                    "--adapter: '" + arg +
                        "' is neither a PEFT adapter folder (adapter_config.json), a training run "
                        "folder nor a run name in the workspace (llmwb runs)");
}

} // namespace

void addEvalCommands(CLI::App &app, Globals &g)
{
    auto *cmd = app.add_subcommand(
        "eval", "accuracy of a model (+ LoRA adapter) on a logic-reasoning dataset");
    struct Args
    {
        std::string model, adapter, dataset, split = "all", tmpl = "logic-direct";
        std::string method = "loglik", target = "letter", dtype = "F32";
        double evalFraction = 0.1;
        uint64_t seed = 42;
        size_t limit = 0;
        bool jsonl = false;
        wb::AccuracyOptions o;
    };
    auto a = std::make_shared<Args>();
    cmd->add_option("--model", a->model, "model folder or workspace model name")->required();
    cmd->add_option("--adapter", a->adapter, "PEFT adapter folder, training run folder or run name");
    cmd->add_option("--dataset", a->dataset, "dataset file or workspace dataset name")->required();
    cmd->add_option("--split", a->split,
                    "all | train | eval: the side of the split `llmwb train` makes with the same "
                    "--eval-fraction and --seed")
        ->default_val("all");
    cmd->add_option("--eval-fraction", a->evalFraction, "with --split")->default_val(0.1);
    cmd->add_option("--seed", a->seed, "with --split")->default_val(42);
    cmd->add_option("--template", a->tmpl, "template file, workspace template or built-in name")
        ->default_val("logic-direct");
    cmd->add_flag("--chat-template", a->o.chatTemplate, "wrap prompts in the model's chat template");
    cmd->add_option("--method", a->method, "loglik (deterministic) | generate (greedy + answer extraction)")
        ->default_val("loglik");
    cmd->add_option("--target", a->target, "loglik: score the option letter or the option text")
        ->default_val("letter");
    cmd->add_option("--limit", a->limit, "only the first N problems (0: all)")->default_val(0);
    cmd->add_option("--batch", a->o.batchSize, "sequences per forward pass")->default_val(8);
    cmd->add_option("--max-new-tokens", a->o.maxNewTokens, "generate: tokens per answer")->default_val(256);
    cmd->add_option("--device", a->o.device)->default_val("cpu");
    cmd->add_option("--dtype", a->dtype, "F32 | BF16 | F16")->default_val("F32");
    cmd->add_option("--threads", a->o.threads, "CPU threads (default: the workbench's budget)");
    cmd->add_flag("--jsonl", a->jsonl, "one JSON line per question, then {\"result\": ...}");
    cmd->callback([&g, a] {
        wb::AccuracyOptions o = a->o;
        const auto method = wb::evalMethodFromName(a->method);
        if (!method)
            throw wb::Error(wb::ErrorCode::Validation, "--method " + a->method + " is not loglik or generate");
        o.method = *method;
        const auto target = wb::scoreTargetFromName(a->target);
        if (!target)
            throw wb::Error(wb::ErrorCode::Validation, "--target " + a->target + " is not letter or text");
        o.target = *target;
        const auto side = wb::datasetSideFromName(a->split);
        if (!side)
            throw wb::Error(wb::ErrorCode::Validation, "--split " + a->split + " is not all, train or eval");
        const auto dtype = wb::dtypeFromName(a->dtype);
        if (!dtype)
            throw wb::Error(wb::ErrorCode::Validation, "--dtype " + a->dtype + " is not F32, BF16 or F16");
        o.dtype = *dtype;
        o.modelDir = resolveModel(g, a->model);
        std::optional<wb::TrainConfig> run;
        if (!a->adapter.empty())
            std::tie(o.adapterDir, run) = resolveAdapter(g, a->adapter);
        std::tie(o.templateBody, o.templateName) = resolveTemplate(g, a->tmpl);
        if (run && (run->templateBody != o.templateBody || run->chatTemplate != o.chatTemplate))
            std::cerr << "warning: the adapter was trained with template '" << run->templateName
                      << "'" << (run->chatTemplate ? " in the chat template" : "")
                      << "; evaluating with '" << o.templateName << "'"
                      << (o.chatTemplate ? " in the chat template" : "")
                      << " (pass --template / --chat-template to match)\n";

        const auto [file, name] = resolveDataset(g, a->dataset);
        const wb::ParsedDataset parsed = wb::parseDatasetFile(file);
        if (parsed.fatal || parsed.records.empty())
            throw wb::Error(wb::ErrorCode::Validation,
                            "--dataset " + name + ": no usable records" +
                                (parsed.issues.empty() ? "" : " (" + parsed.issues.front().toString() + ")"));
        if (parsed.format != wb::DatasetFormat::Logic)
            throw wb::Error(wb::ErrorCode::Validation,
                            "--dataset " + name + " is " + wb::formatName(parsed.format) +
                                ", not logic: accuracy needs multiple-choice questions "
                                "({problem, questions[{question, options, answer}]})");
        const auto records =
            wb::selectRecords(parsed.records, *side, a->evalFraction, a->seed, a->limit);
        if (records.empty())
            throw wb::Error(wb::ErrorCode::Validation,
                            "--dataset " + name + " --split " + a->split + ": no problems selected");
        std::cerr << "eval " << o.modelDir << (o.adapterDir.empty() ? "" : " + " + o.adapterDir)
                  << " on " << name << " (" << records.size() << " problems, split " << a->split
                  << "), template " << o.templateName << ", " << wb::evalMethodName(o.method)
                  << "\n";

        const bool tty = ::isatty(2);
        wb::EvalCallbacks cb;
        cb.onProgress = [tty](double f, const std::string &m) {
            if (tty) {
                std::fprintf(stderr, "\r[%3d%%] %-60.60s", int(std::lround(f * 100)), m.c_str());
                std::fflush(stderr);
            }
        };
        if (a->jsonl)
            cb.onResult = [](const wb::QuestionResult &r) { std::cout << r.toJson().dump() << "\n"; };
        const wb::AccuracyReport report = wb::evaluateAccuracy(records, o, cb);
        if (tty)
            std::fprintf(stderr, "\r%-70s\r", "");
        if (a->jsonl)
            std::cout << nlohmann::json({{"result", report.toJson()}}).dump() << std::endl;
        else
            std::cout << report.summary() << "\n";
    });
}

} // namespace wbcli

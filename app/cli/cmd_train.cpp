// llmwb train | resume | accuracy | runs | bench train

#include "cli.h"

#include "common/error.h"
#include "common/files.h"
#include "prompt/prompt_builder.h"
#include "store/dataset_store.h"
#include "store/template_store.h"
#include "store/workspace.h"
#include "train/bench_train.h"
#include "train/run_accuracy.h"
#include "train/train_job.h"
#include "train/trainer.h"

#include <chrono>
#include <cmath>
#include <cstdio>
#include <iostream>

#include <unistd.h>

namespace wbcli {

// A dataset argument: an existing file, or a workspace dataset's newest version.
std::pair<std::string, std::string> resolveDataset(Globals &g, const std::string &arg)
{
    if (std::filesystem::is_regular_file(arg))
        return {std::filesystem::absolute(arg).string(), std::filesystem::path(arg).stem().string()};
    wb::Workspace &ws = workspace(g);
    const wb::DatasetInfo info = wb::DatasetStore(ws).get(arg);
    return {(ws.filesDir() / info.latest.filePath).string(), info.name};
}

// A template argument: a file, a workspace template, or a built-in's name.
std::pair<std::string, std::string> resolveTemplate(Globals &g, const std::string &arg)
{
    if (std::filesystem::is_regular_file(arg))
        return {wb::readFile(arg), std::filesystem::path(arg).stem().string()};
    if (auto t = wb::TemplateStore(workspace(g)).find(arg))
        return {t->latest.body, t->name};
    for (const auto &b : wb::builtinTemplates())
        if (b.name == arg)
            return {b.body, b.name};
    throw wb::Error(wb::ErrorCode::NotFound,
                    "no template file, workspace template or built-in named '" + arg + "'");
}

namespace {

// A run folder, or the name of a run in the workspace's runs folder.
std::filesystem::path runFolder(Globals &g, const std::string &arg)
{
    const std::filesystem::path dir = arg;
    if (std::filesystem::exists(dir / "config.json"))
        return dir;
    return wb::runsDir(workspace(g)) / arg;
}

struct Reporter
{
    bool jsonl = false;
    bool tty = ::isatty(2);
    std::chrono::steady_clock::time_point start = std::chrono::steady_clock::now();

    wb::TrainCallbacks callbacks()
    {
        wb::TrainCallbacks cb;
        cb.onPoint = [this](const wb::TrainPoint &p) {
            if (jsonl) {
                std::cout << p.toJson().dump() << std::endl;
            }
        };
        cb.onLog = [this](const std::string &line) {
            if (tty)
                std::fprintf(stderr, "\r%-78s\r", "");
            std::fprintf(stderr, "%s\n", line.c_str());
        };
        cb.onProgress = [this](double f, const std::string &msg) {
            const double elapsed =
                std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
            const double eta = f > 0 ? elapsed * (1 - f) / f : 0;
            if (tty) {
                const int width = 24, filled = int(std::lround(f * width));
                std::fprintf(stderr, "\r[%s%s] %3d%% %s · ETA %dm%02ds   ",
                             std::string(size_t(filled), '#').c_str(),
                             std::string(size_t(width - filled), '.').c_str(), int(f * 100),
                             msg.c_str(), int(eta) / 60, int(eta) % 60);
                std::fflush(stderr);
            } else if (!jsonl) {
                std::fprintf(stderr, "%s\n", msg.c_str());
            }
        };
        return cb;
    }

    int finish(const wb::TrainResult &r)
    {
        if (tty)
            std::fprintf(stderr, "\n");
        if (jsonl)
            std::cout << nlohmann::json({{"result", r.toJson()}}).dump() << std::endl;
        else
            std::cout << r.message << "\n"
                      << (r.output.empty() ? "" : "output: " + r.output.string() + "\n");
        return r.stop == wb::TrainResult::Stop::Completed ? 0 : 1;
    }
};

} // namespace

// `llmwb train` flags and the configuration keys they set, so that flags given with --config
// override the file.
struct FlagKey
{
    const char *flag;
    const char *key;
    bool lora; // a key of the "lora" object
};
constexpr FlagKey kFlagKeys[] = {
    {"--eval-fraction", "eval_fraction", false},
    {"--chat-template", "chat_template", false},
    {"--train-on-prompt", "train_on_prompt", false},
    {"--max-length", "max_length", false},
    {"--packing", "packing", false},
    {"--method", "method", false},
    {"--lora-r", "r", true},
    {"--lora-alpha", "alpha", true},
    {"--lora-dropout", "dropout", true},
    {"--lora-targets", "target_modules", true},
    {"--rslora", "rslora", true},
    {"--lora-init", "init", true},
    {"--last-layers", "train_last_layers", false},
    {"--lr", "learning_rate", false},
    {"--weight-decay", "weight_decay", false},
    {"--schedule", "schedule", false},
    {"--warmup", "warmup_steps", false},
    {"--epochs", "epochs", false},
    {"--max-steps", "max_steps", false},
    {"--batch", "batch_size", false},
    {"--grad-accum", "grad_accum", false},
    {"--max-grad-norm", "max_grad_norm", false},
    {"--seed", "seed", false},
    {"--gradient-checkpointing", "gradient_checkpointing", false},
    {"--device", "device", false},
    {"--dtype", "dtype", false},
    {"--threads", "threads", false},
    {"--log-every", "log_every", false},
    {"--eval-every", "eval_every", false},
    {"--save-every", "save_every", false},
    {"--keep-checkpoints", "keep_checkpoints", false},
    {"--debug-nan-at-step", "debug_nan_at_step", false},
};

void addTrainCommands(CLI::App &app, Globals &g)
{
    {
        auto *cmd = app.add_subcommand("train", "fine-tune a model (LoRA or full) on a dataset");
        struct Args
        {
            std::string configFile, model, dataset, evalDataset, tmpl, out, targets = "q,v";
            std::string dtype = "F32";
            bool jsonl = false, plan = false;
            wb::TrainConfig c;
        };
        auto a = std::make_shared<Args>();
        cmd->add_option("--config", a->configFile, "a JSON training configuration (flags override it)");
        cmd->add_option("--model", a->model, "base model folder, or a workspace model's name");
        cmd->add_option("--dataset", a->dataset, "dataset file or workspace dataset name");
        cmd->add_option("--eval-dataset", a->evalDataset, "held-out dataset (default: a fraction of --dataset)");
        cmd->add_option("--eval-fraction", a->c.evalFraction, "share held out for eval loss")->default_val(0.1);
        cmd->add_option("--template", a->tmpl, "template file, workspace template or built-in name");
        cmd->add_flag("--chat-template", a->c.chatTemplate, "wrap prompts in the model's chat template");
        cmd->add_flag("--train-on-prompt", a->c.trainOnPrompt, "loss on prompt tokens too");
        cmd->add_option("--max-length", a->c.maxLength, "tokens per example")->default_val(512);
        cmd->add_flag("--packing", a->c.packing, "pack examples into max-length sequences");
        cmd->add_option("--method", a->c.method, "lora | full")->default_val("lora");
        cmd->add_option("--lora-r", a->c.lora.r, "LoRA rank")->default_val(8);
        cmd->add_option("--lora-alpha", a->c.lora.alpha, "LoRA alpha")->default_val(16);
        cmd->add_option("--lora-dropout", a->c.lora.dropout, "LoRA dropout")->default_val(0.0);
        cmd->add_option("--lora-targets", a->targets, "q,k,v,o,gate,up,down or all-linear")->default_val("q,v");
        cmd->add_flag("--rslora", a->c.lora.rslora, "rank-stabilised scaling alpha/sqrt(r)");
        cmd->add_option("--lora-init", a->c.lora.init, "kaiming | gaussian")->default_val("kaiming");
        cmd->add_option("--last-layers", a->c.trainLastLayers, "full: train only the last N layers");
        cmd->add_option("--lr", a->c.learningRate, "peak learning rate")->default_val(2e-4);
        cmd->add_option("--weight-decay", a->c.weightDecay)->default_val(0.0);
        cmd->add_option("--schedule", a->c.schedule, "constant | linear | cosine")->default_val("cosine");
        cmd->add_option("--warmup", a->c.warmupSteps, "warmup steps")->default_val(0);
        cmd->add_option("--epochs", a->c.epochs)->default_val(1);
        cmd->add_option("--max-steps", a->c.maxSteps, "cap on optimizer steps")->default_val(0);
        cmd->add_option("--batch", a->c.batchSize, "examples per micro-batch")->default_val(4);
        cmd->add_option("--grad-accum", a->c.gradAccum, "micro-batches per step")->default_val(1);
        cmd->add_option("--max-grad-norm", a->c.maxGradNorm, "clipping (0: off)")->default_val(1.0);
        cmd->add_option("--seed", a->c.seed)->default_val(42);
        cmd->add_flag("--gradient-checkpointing", a->c.gradientCheckpointing);
        cmd->add_option("--device", a->c.device)->default_val("cpu");
        cmd->add_option("--dtype", a->dtype, "F32 | BF16 | F16")->default_val("F32");
        cmd->add_option("--threads", a->c.threads);
        cmd->add_option("--log-every", a->c.logEvery)->default_val(1);
        cmd->add_option("--eval-every", a->c.evalEvery, "steps between eval losses (0: at the end)")->default_val(0);
        cmd->add_option("--save-every", a->c.saveEvery, "steps between checkpoints (0: at the end)")->default_val(0);
        cmd->add_option("--keep-checkpoints", a->c.keepCheckpoints)->default_val(2);
        cmd->add_option("--out", a->out, "run folder (default: a new folder in the workspace)");
        cmd->add_option("--debug-nan-at-step", a->c.debugNanAtStep, "test hook: make this step's loss NaN")
            ->group("");
        cmd->add_flag("--jsonl", a->jsonl, "print metric points as JSON lines on stdout");
        cmd->add_flag("--plan", a->plan, "print the plan (parameters, examples, steps) and stop");
        cmd->callback([&g, a, cmd] {
            wb::TrainConfig c = a->c;
            c.lora.targetModules = wb::parseTargetModules(a->targets);
            const auto d = wb::dtypeFromName(a->dtype);
            if (!d)
                throw wb::Error(wb::ErrorCode::Validation, "--dtype " + a->dtype + " is not F32, BF16 or F16");
            c.dtype = *d;
            if (!a->configFile.empty()) {
                // The file, then every flag given explicitly on top of it.
                const nlohmann::json flags = c.toJson();
                nlohmann::json given = nlohmann::json::object();
                for (const auto &[flag, key, lora] : kFlagKeys) {
                    if (cmd->count(flag) == 0)
                        continue;
                    if (lora)
                        given["lora"][key] = flags["lora"][key];
                    else
                        given[key] = flags[key];
                }
                c = wb::withSettings(wb::TrainConfig::fromFile(a->configFile), given);
            }
            if (!a->model.empty())
                c.modelDir = resolveModel(g, a->model);
            if (!a->dataset.empty())
                std::tie(c.datasetFile, c.datasetName) = resolveDataset(g, a->dataset);
            if (!a->evalDataset.empty())
                c.evalDatasetFile = resolveDataset(g, a->evalDataset).first;
            if (!a->tmpl.empty())
                std::tie(c.templateBody, c.templateName) = resolveTemplate(g, a->tmpl);
            if (!a->out.empty())
                c.outputDir = std::filesystem::absolute(a->out).string();
            else if (c.outputDir.empty())
                c.outputDir = wb::newRunDir(workspace(g), c.datasetName + "-" + c.method).string();
            if (a->plan) {
                const wb::TrainPlan p = wb::planTraining(c);
                std::cout << p.toJson().dump(2) << "\n";
                return;
            }
            Reporter rep;
            rep.jsonl = a->jsonl;
            std::cerr << "run folder: " << c.outputDir << "\n";
            g.exitCode = rep.finish(wb::runTraining(c, rep.callbacks()));
        });
    }
    {
        auto *cmd = app.add_subcommand("resume", "continue an interrupted training run");
        auto run = std::make_shared<std::string>();
        auto jsonl = std::make_shared<bool>(false);
        cmd->add_option("run", *run, "run folder, or a run's name in the workspace")->required();
        cmd->add_flag("--jsonl", *jsonl, "print metric points as JSON lines on stdout");
        cmd->callback([&g, run, jsonl] {
            const std::filesystem::path dir = runFolder(g, *run);
            Reporter rep;
            rep.jsonl = *jsonl;
            g.exitCode = rep.finish(wb::resumeTraining(dir, rep.callbacks()));
        });
    }
    {
        auto *cmd = app.add_subcommand(
            "accuracy", "score a finished run against its base model on the problems it held out");
        auto run = std::make_shared<std::string>();
        auto method = std::make_shared<std::string>("loglik");
        auto limit = std::make_shared<size_t>(0);
        auto json = std::make_shared<bool>(false);
        cmd->add_option("run", *run, "run folder, or a run's name in the workspace")->required();
        cmd->add_option("--method", *method, "loglik | generate")->default_val("loglik");
        cmd->add_option("--limit", *limit, "the first N held-out problems (0: all)");
        cmd->add_flag("--json", *json, "one JSON object");
        cmd->callback([&g, run, method, limit, json] {
            const auto m = wb::evalMethodFromName(*method);
            if (!m)
                throw wb::Error(wb::ErrorCode::Validation,
                                "--method " + *method + " is not loglik or generate");
            wb::EvalCallbacks cb;
            cb.onProgress = [](double f, const std::string &msg) {
                std::cerr << "\r" << int(f * 100) << "% " << msg.substr(0, 70) << "\x1b[K"
                          << std::flush;
            };
            const wb::RunAccuracy r = wb::evaluateRun(runFolder(g, *run), *m, *limit, cb);
            std::cerr << "\n";
            std::cout << (*json ? r.toJson().dump() : r.summary()) << "\n";
        });
    }
    {
        auto *bench = app.get_subcommand("bench");
        auto *cmd = bench->add_subcommand("train", "training tokens/s and peak memory (random tokens)");
        auto o = std::make_shared<wb::TrainBenchOptions>();
        auto dtype = std::make_shared<std::string>("F32");
        auto json = std::make_shared<bool>(false);
        cmd->add_option("--model", o->modelDir, "model folder")->required();
        cmd->add_option("--device", o->device)->default_val("cpu");
        cmd->add_option("--dtype", *dtype, "F32 | BF16 | F16")->default_val("F32");
        cmd->add_option("--batch", o->batch)->default_val(1);
        cmd->add_option("--seq-len", o->seqLen)->default_val(256);
        cmd->add_option("--steps", o->steps, "timed steps")->default_val(5);
        cmd->add_option("--warmup", o->warmupSteps, "untimed steps first")->default_val(1);
        cmd->add_option("--method", o->method, "lora | full")->default_val("lora");
        cmd->add_option("--lora-r", o->loraRank)->default_val(16);
        cmd->add_option("--lora-targets", o->targets)->default_val("all-linear");
        cmd->add_flag("--gradient-checkpointing", o->gradientCheckpointing);
        cmd->add_option("--threads", o->threads);
        cmd->add_flag("--json", *json, "one JSON object");
        cmd->callback([&g, o, dtype, json] {
            const auto d = wb::dtypeFromName(*dtype);
            if (!d)
                throw wb::Error(wb::ErrorCode::Validation, "--dtype " + *dtype + " is not F32, BF16 or F16");
            o->dtype = *d;
            const wb::TrainBenchResult r = wb::benchTrain(*o);
            if (*json)
                std::cout << nlohmann::json({{"tokens_per_s", r.tokensPerSecond},
                                             {"seconds_per_step", r.secondsPerStep},
                                             {"peak_memory_bytes", r.peakMemoryBytes},
                                             {"trainable_parameters", r.trainableParameters},
                                             {"device", r.device},
                                             {"batch", o->batch},
                                             {"seq_len", o->seqLen}})
                                 .dump()
                          << "\n";
            else
                std::cout << r.summary() << "\n";
        });
    }
    {
        auto *cmd = app.add_subcommand("runs", "training runs in the workspace");
        cmd->callback([&g] {
            for (const wb::RunInfo &r : wb::listRuns(workspace(g))) {
                const auto &c = r.config;
                std::string last = "-";
                for (auto it = r.points.rbegin(); it != r.points.rend(); ++it)
                    if (it->loss) {
                        last = std::to_string(*it->loss);
                        break;
                    }
                std::cout << r.dir.filename().string() << "  " << c.method << "  "
                          << (r.finished ? "finished" : "unfinished") << "  steps "
                          << (r.points.empty() ? 0 : r.points.back().step) << "  loss " << last;
                if (const auto &acc = r.accuracy)
                    std::cout << "  " << acc->summary();
                std::cout << "\n";
            }
        });
    }
}

} // namespace wbcli

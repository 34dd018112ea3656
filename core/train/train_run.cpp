// Run folders (trainer.h): metric points, results, reading a run back, the data order.
// Torch-free, tokenizer-free.

#include "train/trainer.h"

#include "common/error.h"
#include "common/files.h"
#include "train/train_data.h"
#include "train/train_job.h"
#include "store/workspace.h"

#include <algorithm>
#include <cstdio>
#include <fstream>
#include <random>
#include <sstream>

namespace wb {

std::filesystem::path runsDir(const Workspace &ws)
{
    return ws.filesDir() / "runs";
}

std::filesystem::path resolveAdapterDir(const std::string &arg,
                                        const std::function<std::filesystem::path()> &runs,
                                        const std::string &where)
{
    namespace fs = std::filesystem;
    const fs::path p(arg);
    if (fs::exists(p / "adapter_config.json"))
        return fs::absolute(p);
    if (fs::exists(p / "adapter" / "adapter_config.json"))
        return fs::absolute(p / "adapter");
    if (!arg.empty() && !p.has_parent_path()) {
        const fs::path run = runs() / arg;
        if (fs::exists(run / "adapter" / "adapter_config.json"))
            return run / "adapter";
        if (fs::exists(run / "config.json"))
            throw Error(ErrorCode::Validation,
                        where + ": run '" + arg +
                            "' has no adapter/ (unfinished, or a full fine-tune: use its model/ "
                            "folder as the model)");
    }
    throw Error(ErrorCode::NotFound, where + ": adapter '" + arg +
                                         "' is neither a training run of this workspace, a run "
                                         "folder nor a PEFT adapter folder");
}

std::string trainLane(const std::string &device)
{
    return device.rfind("cuda", 0) == 0 ? "gpu:0" : "engine:cpu";
}

nlohmann::json TrainPlan::toJson() const
{
    return {{"total_parameters", totalParameters},
            {"trainable_parameters", trainableParameters},
            {"trainable_share", trainableShare()},
            {"train_examples", trainExamples},
            {"eval_examples", evalExamples},
            {"truncated", truncated},
            {"dropped", dropped},
            {"target_tokens", targetTokens},
            {"total_tokens", totalTokens},
            {"steps_per_epoch", stepsPerEpoch},
            {"total_steps", totalSteps},
            {"notes", notes}};
}

nlohmann::json TrainPoint::toJson() const
{
    nlohmann::json j = {{"step", step}, {"total_steps", totalSteps}, {"epoch", epoch}};
    if (loss)
        j["loss"] = *loss;
    if (evalLoss)
        j["eval_loss"] = *evalLoss;
    if (learningRate)
        j["lr"] = *learningRate;
    if (gradNorm)
        j["grad_norm"] = *gradNorm;
    if (tokensPerSecond)
        j["tokens_per_s"] = *tokensPerSecond;
    return j;
}

TrainPoint TrainPoint::fromJson(const nlohmann::json &j)
{
    TrainPoint p;
    p.step = j.value("step", int64_t(0));
    p.totalSteps = j.value("total_steps", int64_t(0));
    p.epoch = j.value("epoch", 0.0);
    auto opt = [&](const char *key, std::optional<double> &out) {
        if (j.contains(key) && j[key].is_number())
            out = j[key].get<double>();
    };
    opt("loss", p.loss);
    opt("eval_loss", p.evalLoss);
    opt("lr", p.learningRate);
    opt("grad_norm", p.gradNorm);
    opt("tokens_per_s", p.tokensPerSecond);
    return p;
}

const char *stopName(TrainResult::Stop stop)
{
    switch (stop) {
    case TrainResult::Stop::Completed:
        return "completed";
    case TrainResult::Stop::Cancelled:
        return "cancelled";
    case TrainResult::Stop::NonFinite:
        return "non-finite";
    case TrainResult::Stop::OutOfMemory:
        return "out-of-memory";
    }
    return "?";
}

nlohmann::json TrainResult::toJson() const
{
    nlohmann::json j = {{"stop", stopName(stop)},
                        {"steps", steps},
                        {"output", output.string()},
                        {"last_checkpoint", lastCheckpoint.string()},
                        {"message", message}};
    if (finalLoss)
        j["final_loss"] = *finalLoss;
    if (finalEvalLoss)
        j["final_eval_loss"] = *finalEvalLoss;
    return j;
}

RunInfo readRun(const std::filesystem::path &runDir)
{
    RunInfo info;
    info.dir = runDir;
    const std::filesystem::path cfgFile = runDir / "config.json";
    if (!std::filesystem::exists(cfgFile))
        throw Error(ErrorCode::NotFound, runDir.string() + " is not a training run (no config.json)");
    info.config = TrainConfig::fromFile(cfgFile);
    std::ifstream metrics(runDir / "metrics.jsonl");
    std::string line;
    while (std::getline(metrics, line)) {
        if (line.empty())
            continue;
        try {
            info.points.push_back(TrainPoint::fromJson(nlohmann::json::parse(line)));
        } catch (const nlohmann::json::exception &) {
            break; // a line cut by a crash ends the readable part
        }
    }
    const std::filesystem::path ckDir = runDir / "checkpoints";
    if (std::filesystem::is_directory(ckDir)) {
        for (const auto &e : std::filesystem::directory_iterator(ckDir)) {
            const std::string name = e.path().filename().string();
            if (name.rfind("step-", 0) != 0 || !std::filesystem::exists(e.path() / "trainer_state.json"))
                continue;
            try {
                info.checkpointSteps.push_back(std::stoll(name.substr(5)));
            } catch (const std::exception &) {
            }
        }
    }
    std::sort(info.checkpointSteps.begin(), info.checkpointSteps.end());
    info.finished = std::filesystem::exists(runDir / "adapter" / "adapter_config.json") ||
                    std::filesystem::exists(runDir / "model" / "config.json");
    if (std::filesystem::exists(runDir / "result.json")) {
        try {
            const auto r = nlohmann::json::parse(readFile(runDir / "result.json"));
            info.finalMessage = r.value("message", std::string());
        } catch (const std::exception &) {
        }
    }
    if (std::filesystem::exists(runDir / kRunAccuracyFile)) {
        try {
            info.accuracy = RunAccuracy::fromJson(nlohmann::json::parse(readFile(runDir / kRunAccuracyFile)));
        } catch (const std::exception &) {
            // A damaged file only loses the figure: score the run again.
        }
    }
    return info;
}

nlohmann::json RunAccuracy::toJson() const
{
    return {{"problems", problems},         {"method", method},
            {"questions", questions},       {"base_correct", baseCorrect},
            {"tuned_correct", tunedCorrect}, {"base_accuracy", baseAccuracy()},
            {"tuned_accuracy", tunedAccuracy()}, {"seconds", seconds}};
}

RunAccuracy RunAccuracy::fromJson(const nlohmann::json &j)
{
    RunAccuracy r;
    r.problems = j.value("problems", std::string());
    r.method = j.value("method", std::string());
    r.questions = j.value("questions", size_t(0));
    r.baseCorrect = j.value("base_correct", size_t(0));
    r.tunedCorrect = j.value("tuned_correct", size_t(0));
    r.seconds = j.value("seconds", 0.0);
    return r;
}

std::string RunAccuracy::summary() const
{
    char buf[96];
    std::snprintf(buf, sizeof buf, "base %.1f%% → tuned %.1f%% on %zu questions (",
                  baseAccuracy() * 100, tunedAccuracy() * 100, questions);
    return buf + problems + ", " + method + ")";
}

std::vector<size_t> stepExamples(size_t n, const TrainConfig &config, int64_t step)
{
    if (n == 0)
        return {};
    const size_t perStep = size_t(config.batchSize) * size_t(config.gradAccum);
    const int64_t stepsPerEpoch = int64_t((n + perStep - 1) / perStep);
    const int64_t epoch = step / stepsPerEpoch, k = step % stepsPerEpoch;
    std::vector<size_t> order(n);
    for (size_t i = 0; i < n; ++i)
        order[i] = i;
    // Fisher-Yates over the generator's raw output: the same order on every platform.
    std::mt19937_64 rng(config.seed * 0x9E3779B97F4A7C15ULL + uint64_t(epoch) + 1);
    for (size_t i = n - 1; i > 0; --i)
        std::swap(order[i], order[size_t(rng() % (i + 1))]);
    const size_t begin = size_t(k) * perStep, end = std::min(n, begin + perStep);
    return std::vector<size_t>(order.begin() + long(begin), order.begin() + long(end));
}

} // namespace wb

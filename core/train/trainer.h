#pragma once

// The fine-tuning loop (LoRA or full), torch-free interface. A run lives in a folder:
//   config.json          the TrainConfig
//   metrics.jsonl        one JSON object per metric point {"step", "loss", "lr", ...}
//   log.txt              what the log panel shows
//   checkpoints/step-N/  trainable weights (PEFT adapter, or model.safetensors for full),
//                        optimizer.safetensors, trainer_state.json; written atomically
//   adapter/ | model/    the final result: a PEFT adapter folder, or a full HF model folder
// A run interrupted at any point (kill -9 included) resumes from its newest checkpoint and
// continues the same loss curve.

#include "train/train_config.h"

#include <atomic>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace wb {

// Shown before a run starts (and recorded with it).
struct TrainPlan
{
    uint64_t totalParameters = 0;
    uint64_t trainableParameters = 0;
    double trainableShare() const
    {
        return totalParameters ? double(trainableParameters) / double(totalParameters) : 0.0;
    }
    size_t trainExamples = 0, evalExamples = 0;
    size_t truncated = 0, dropped = 0;
    int64_t targetTokens = 0, totalTokens = 0;
    int64_t stepsPerEpoch = 0, totalSteps = 0;
    std::vector<std::string> notes; // human-readable remarks ("12 examples truncated at 512 tokens")
    nlohmann::json toJson() const;
};

// Counts parameters from the model's config and builds the examples (tokenizer only, no
// weights): cheap enough for the Training tab to call while the user edits settings.
TrainPlan planTraining(const TrainConfig &config);

// One metric point (every logEvery steps, and eval points).
struct TrainPoint
{
    int64_t step = 0;      // optimizer steps done
    int64_t totalSteps = 0;
    double epoch = 0;      // fractional
    std::optional<double> loss, evalLoss, learningRate, gradNorm, tokensPerSecond;
    nlohmann::json toJson() const;
    static TrainPoint fromJson(const nlohmann::json &j);
};

struct TrainCallbacks
{
    std::function<void(const TrainPoint &)> onPoint;
    std::function<void(const std::string &line)> onLog;
    // fraction 0..1 of the whole run, message ("step 40/200")
    std::function<void(double fraction, const std::string &message)> onProgress;
    std::function<bool()> isCancelled; // checked between micro-batches
};

struct TrainResult
{
    enum class Stop { Completed, Cancelled, NonFinite, OutOfMemory };
    Stop stop = Stop::Completed;
    int64_t steps = 0;
    std::optional<double> finalLoss, finalEvalLoss;
    std::filesystem::path output;         // adapter/ or model/ (empty unless completed)
    std::filesystem::path lastCheckpoint; // newest good checkpoint (may be empty)
    std::string message;                  // for the user: why it stopped, what to do
    nlohmann::json toJson() const;
};
const char *stopName(TrainResult::Stop stop); // "completed", "cancelled", "non-finite", "out-of-memory"

// Starts a new run in config.outputDir (created; must not already hold a run).
TrainResult runTraining(const TrainConfig &config, const TrainCallbacks &callbacks);
// Continues the run in `runDir` from its newest checkpoint (from scratch when it has none).
TrainResult resumeTraining(const std::filesystem::path &runDir, const TrainCallbacks &callbacks);

// A finished run scored against its base model on the problems it held out
// (train/run_accuracy.h), kept in the run folder as accuracy.json.
struct RunAccuracy
{
    std::string problems; // where the problems came from, for people
    std::string method;   // "loglik" or "generate"
    size_t questions = 0;
    size_t baseCorrect = 0, tunedCorrect = 0;
    double seconds = 0;

    double baseAccuracy() const { return questions ? double(baseCorrect) / double(questions) : 0; }
    double tunedAccuracy() const { return questions ? double(tunedCorrect) / double(questions) : 0; }
    nlohmann::json toJson() const;
    static RunAccuracy fromJson(const nlohmann::json &j);
    // "base 31.0% → tuned 47.5% on 200 questions (held-out 10.0% of …, loglik)".
    std::string summary() const;
};
inline constexpr const char *kRunAccuracyFile = "accuracy.json";

// Reading a run folder (for the history view and `llmwb resume`).
struct RunInfo
{
    std::filesystem::path dir;
    TrainConfig config;
    std::vector<TrainPoint> points;          // metrics.jsonl
    std::vector<int64_t> checkpointSteps;    // complete checkpoints, ascending
    bool finished = false;                   // adapter/ or model/ exists
    std::string finalMessage;                // result.json's message, when finished
    std::optional<RunAccuracy> accuracy;     // accuracy.json, when the run was scored
};
RunInfo readRun(const std::filesystem::path &runDir);

} // namespace wb

#pragma once

// Accuracy of a finished fine-tuning run against its base model, on the problems the run held
// out (its eval dataset, or the eval side of the split it trained with), with the run's own
// template: "did the adapter help?". The result is kept in the run folder (accuracy.json) so the
// history shows it after a restart. Torch-free header; the work is in wb_engine.

#include "eval/accuracy.h"
#include "jobs/job.h"

#include <nlohmann/json.hpp>

#include <cstddef>
#include <filesystem>
#include <optional>
#include <string>

namespace wb {

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
    // "base 31.0% → tuned 47.5% on 200 questions (held-out 10% of …)".
    std::string summary() const;
};

// The run folder's accuracy.json, if it was evaluated.
std::optional<RunAccuracy> readRunAccuracy(const std::filesystem::path &runDir);

// Scores the base model and the run's result (adapter on the base, or the fully fine-tuned
// model) on the run's held-out logic problems (the first `limit`, 0: all), writes accuracy.json.
// Throws Error(Validation) when the run is unfinished, held nothing out, or its data is not
// logic problems; Error(Cancelled) when callbacks.isCancelled says so.
RunAccuracy evaluateRun(const std::filesystem::path &runDir, EvalMethod method, size_t limit,
                        const EvalCallbacks &callbacks = {});

// kind "train.accuracy": evaluateRun as a job on the run's device lane; the result is the JSON.
JobSpec makeRunAccuracyJob(const std::filesystem::path &runDir, EvalMethod method, size_t limit);

} // namespace wb

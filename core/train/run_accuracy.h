#pragma once

// Accuracy of a finished fine-tuning run against its base model, on the problems the run held
// out (its eval dataset, or the eval side of the split it trained with), with the run's own
// template: "did the adapter help?". The result is kept in the run folder (accuracy.json) so the
// history shows it after a restart. Torch-free header; the work is in wb_engine.

#include "eval/accuracy.h"
#include "jobs/job.h"
#include "train/trainer.h" // RunAccuracy

#include <cstddef>
#include <filesystem>
#include <string>

namespace wb {

// Scores the base model and the run's result (adapter on the base, or the fully fine-tuned
// model) on the run's held-out logic problems (the first `limit`, 0: all), writes accuracy.json
// (readRun(runDir).accuracy reads it back).
// Throws Error(Validation) when the run is unfinished, held nothing out, or its data is not
// logic problems; Error(Cancelled) when callbacks.isCancelled says so.
RunAccuracy evaluateRun(const std::filesystem::path &runDir, EvalMethod method, size_t limit,
                        const EvalCallbacks &callbacks = {});

// kind "train.accuracy": evaluateRun as a job on the run's device lane; the result is the JSON.
JobSpec makeRunAccuracyJob(const std::filesystem::path &runDir, EvalMethod method, size_t limit);

} // namespace wb

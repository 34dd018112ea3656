#pragma once

// Fine-tuning runs as workspace jobs. Runs live in <workspace>/files/runs/<name>/ (see
// trainer.h); the job records the run folder in its params so the Jobs panel, the Training tab
// and `llmwb resume` find each other. Metrics reach observers through JobContext::metric with
// the names "loss", "eval_loss", "lr", "grad_norm", "tokens_per_s" (step = optimizer step),
// and the log through progress messages.

#include "jobs/job.h"
#include "train/trainer.h"

#include <filesystem>
#include <functional>
#include <string>
#include <vector>

namespace wb {

class Workspace;

std::filesystem::path runsDir(const Workspace &ws);
// Every run folder of the workspace, newest first. Unreadable folders are skipped.
std::vector<RunInfo> listRuns(const Workspace &ws);
// An adapter argument: a PEFT adapter folder (adapter_config.json), a training run folder (its
// adapter/), or the name of a run under `runs()` (called only for a bare name, so that a folder
// argument never opens the workspace). Throws Error(NotFound) or, for a run without adapter/,
// Error(Validation); `where` begins the message ("--adapter", "variant 'x'").
std::filesystem::path resolveAdapterDir(const std::string &arg,
                                        const std::function<std::filesystem::path()> &runs,
                                        const std::string &where);
// A fresh folder name under runsDir: "<yyyymmdd-hhmmss>-<slug of hint>".
std::filesystem::path newRunDir(const Workspace &ws, const std::string &hint);

// The lane a device trains on: the model host's lane for that device, so that training and
// generation on one device take turns.
std::string trainLane(const std::string &device);

// kind "train": runs config (config.outputDir must be set, e.g. to newRunDir(...)).
JobSpec makeTrainJob(const TrainConfig &config);
// kind "train": continues the run in runDir from its newest checkpoint.
JobSpec makeResumeJob(const std::filesystem::path &runDir);

} // namespace wb

#pragma once

// Internal to core/train: the examples a run trains and evaluates on, with the plan.

#include "train/sft.h"
#include "train/trainer.h"

namespace wb {

struct TrainData
{
    std::vector<SftExample> train, eval;
    TrainPlan plan;
};

// Parses the datasets, splits off the eval part, renders and tokenizes (packing when asked).
TrainData prepareTrainData(const TrainConfig &config);

// The examples of optimizer step `step` (0-based), in micro-batch order: every epoch visits all
// examples once in an order shuffled by (seed, epoch), so any step's batch is known without
// replaying the ones before it.
std::vector<size_t> stepExamples(size_t exampleCount, const TrainConfig &config, int64_t step);

// The loop itself, on examples already made (runTraining and resumeTraining prepare them from
// the datasets; benchmarks make random ones). `resume` continues config.outputDir's run.
TrainResult runTrainingOn(const TrainConfig &config, TrainData data, const TrainCallbacks &callbacks,
                          bool resume = false);

} // namespace wb

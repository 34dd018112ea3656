// runTraining / resumeTraining: the examples from the datasets (train_plan.cpp), then the loop
// (trainer_torch.cpp). Part of wb_engine (files named *_engine.cpp), like everything that runs
// the loop; wb_core keeps only what needs no weights.

#include "train/train_data.h"

#include "common/error.h"

namespace wb {

TrainResult runTraining(const TrainConfig &config, const TrainCallbacks &callbacks)
{
    config.validate();
    const std::filesystem::path dir = config.outputDir;
    if (std::filesystem::exists(dir / "config.json"))
        throw Error(ErrorCode::Conflict,
                    dir.string() + " already holds a run; resume it or choose another folder");
    if (callbacks.onLog)
        callbacks.onLog("preparing examples from " + config.datasetFile);
    return runTrainingOn(config, prepareTrainData(config), callbacks, false);
}

TrainResult resumeTraining(const std::filesystem::path &runDir, const TrainCallbacks &callbacks)
{
    RunInfo info = readRun(runDir);
    info.config.outputDir = runDir.string();
    if (callbacks.onLog)
        callbacks.onLog("preparing examples from " + info.config.datasetFile);
    return runTrainingOn(info.config, prepareTrainData(info.config), callbacks, true);
}

} // namespace wb

#include "train/bench_train.h"

#include "common/error.h"
#include "common/files.h"
#include "formats/hf_config.h"
#include "model/device_memory.h"
#include "train/train_data.h"

#ifdef WB_CUDA_STATS
#include <c10/cuda/CUDACachingAllocator.h>
#endif

#include <chrono>
#include <cstdlib>
#include <cstdio>
#include <random>

#include <unistd.h>

namespace wb {

std::string TrainBenchResult::summary() const
{
    char buf[256];
    std::snprintf(buf, sizeof buf,
                  "train: %.1f tokens/s (%.3f s/step), peak memory %s, %llu trainable parameters, %s",
                  tokensPerSecond, secondsPerStep, model::formatBytes(peakMemoryBytes).c_str(),
                  static_cast<unsigned long long>(trainableParameters), device.c_str());
    return buf;
}

namespace {

uint64_t peakBytes(const std::string &device)
{
#ifdef WB_CUDA_STATS
    if (device.rfind("cuda", 0) == 0) {
        const auto stats = c10::cuda::CUDACachingAllocator::getDeviceStats(0);
        return uint64_t(stats.reserved_bytes[0].peak);
    }
#endif
    return model::peakResidentBytes();
}

void resetPeak(const std::string &device)
{
#ifdef WB_CUDA_STATS
    if (device.rfind("cuda", 0) == 0) {
        c10::cuda::CUDACachingAllocator::resetPeakStats(0);
        return;
    }
#endif
    model::resetPeakResident();
}

} // namespace

TrainBenchResult benchTrain(const TrainBenchOptions &o)
{
    if (o.batch < 1 || o.seqLen < 8 || o.steps < 1 || o.warmupSteps < 0)
        throw Error(ErrorCode::Validation, "bench train: batch ≥ 1, seq-len ≥ 8, steps ≥ 1");
    const ModelConfig mc = loadModelConfig(o.modelDir);
    TrainConfig c;
    c.modelDir = o.modelDir;
    c.method = o.method;
    c.lora.r = o.loraRank;
    c.lora.alpha = 2.0 * o.loraRank;
    c.lora.targetModules = parseTargetModules(o.targets);
    c.learningRate = 1e-4;
    c.schedule = "constant";
    c.batchSize = o.batch;
    c.maxSteps = o.warmupSteps + o.steps;
    c.maxLength = o.seqLen;
    c.device = o.device;
    c.dtype = o.dtype;
    c.threads = o.threads;
    c.gradientCheckpointing = o.gradientCheckpointing;
    c.keepCheckpoints = 1;
    c.seed = o.seed;
    const auto tmp = std::filesystem::temp_directory_path() /
                     ("llmwb-bench-train-" + std::to_string(::getpid()));
    removeTree(tmp);
    c.outputDir = tmp.string();

    TrainData data;
    std::mt19937_64 rng(o.seed + 1);
    const int promptLen = std::max(1, int(double(o.seqLen) * (1.0 - o.responseShare)));
    for (int64_t i = 0; i < int64_t(o.batch) * c.maxSteps; ++i) {
        SftExample ex;
        for (int t = 0; t < o.seqLen; ++t) {
            ex.ids.push_back(int32_t(rng() % uint64_t(mc.vocabSize)));
            ex.trainMask.push_back(t >= promptLen ? 1 : 0);
        }
        data.train.push_back(std::move(ex));
    }
    data.plan.trainExamples = data.train.size();
    data.plan.stepsPerEpoch = c.maxSteps;
    data.plan.totalSteps = c.maxSteps;
    data.plan.totalParameters = parameterCount(mc);

    TrainBenchResult r;
    r.device = o.device;
    std::chrono::steady_clock::time_point start;
    double timed = 0;
    const bool verbose = std::getenv("WB_BENCH_VERBOSE") != nullptr;
    TrainCallbacks cb;
    cb.onPoint = [&](const TrainPoint &p) {
        const auto now = std::chrono::steady_clock::now();
        if (verbose && p.loss)
            std::fprintf(stderr, "step %lld loss %.6f\n", static_cast<long long>(p.step), *p.loss);
        if (p.step == o.warmupSteps) {
            start = now;
            resetPeak(o.device);
        } else if (p.step == c.maxSteps) {
            timed = std::chrono::duration<double>(now - start).count();
            r.peakMemoryBytes = peakBytes(o.device);
        }
    };
    if (o.warmupSteps == 0) {
        start = std::chrono::steady_clock::now();
        resetPeak(o.device);
    }
    cb.onLog = [&](const std::string &line) {
        if (verbose)
            std::fprintf(stderr, "%s\n", line.c_str());
        const auto at = line.find("trainable parameters: ");
        if (at != std::string::npos)
            r.trainableParameters = std::stoull(line.substr(at + 22));
    };
    const TrainResult tr = runTrainingOn(c, std::move(data), cb);
    removeTree(tmp);
    if (tr.stop != TrainResult::Stop::Completed)
        throw Error(ErrorCode::Validation, "bench train: " + tr.message);
    r.secondsPerStep = timed / double(o.steps);
    r.tokensPerSecond = double(o.batch) * o.seqLen * o.steps / std::max(1e-9, timed);
    return r;
}

} // namespace wb

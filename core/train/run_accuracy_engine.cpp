// evaluateRun: the base model and the run's result scored on the run's held-out problems with
// core/eval, one after the other on the run's device. Part of wb_engine (*_engine.cpp).

#include "train/run_accuracy.h"

#include "model/causal_lm.h"

#include "common/error.h"
#include "common/files.h"
#include "train/train_job.h"

#include <chrono>
#include <cmath>

namespace wb {

namespace fs = std::filesystem;

RunAccuracy evaluateRun(const fs::path &runDir, EvalMethod method, size_t limit,
                        const EvalCallbacks &callbacks)
{
    const RunInfo run = readRun(runDir);
    const TrainConfig &c = run.config;
    if (!run.finished)
        throw Error(ErrorCode::Validation,
                    runDir.string() + ": the run has not finished; resume it first");
    std::vector<DatasetRecord> records;
    RunAccuracy out;
    if (!c.evalDatasetFile.empty()) {
        const ParsedDataset parsed = parseDatasetFile(c.evalDatasetFile);
        records = selectRecords(parsed.records, DatasetSide::All, 0, c.seed, limit);
        out.problems = "eval dataset " + fs::path(c.evalDatasetFile).filename().string();
    } else if (c.evalFraction > 0) {
        const ParsedDataset parsed = parseDatasetFile(c.datasetFile);
        records = selectRecords(parsed.records, DatasetSide::Eval, c.evalFraction, c.seed, limit);
        out.problems = "held-out " + std::to_string(int(std::lround(c.evalFraction * 100))) + "% of " +
                       (c.datasetName.empty() ? fs::path(c.datasetFile).filename().string()
                                              : c.datasetName);
    } else {
        throw Error(ErrorCode::Validation,
                    runDir.string() + ": the run held out no problems to score (its eval fraction "
                                      "was 0 and it had no eval dataset); use `llmwb eval` on "
                                      "another dataset");
    }
    if (records.empty())
        throw Error(ErrorCode::Validation, runDir.string() + ": no held-out problems to score");

    AccuracyOptions base;
    base.modelDir = c.modelDir;
    base.templateName = c.templateName;
    base.templateBody = c.templateBody;
    base.chatTemplate = c.chatTemplate;
    base.method = method;
    base.device = c.device;
    base.dtype = c.device == "cpu" ? DType::F32 : DType::BF16;
    base.threads = c.threads;
    AccuracyOptions tuned = base;
    if (c.method == "lora")
        tuned.adapterDir = (runDir / "adapter").string();
    else
        tuned.modelDir = (runDir / "model").string();

    const auto start = std::chrono::steady_clock::now();
    auto half = [&](double offset, const char *what) {
        EvalCallbacks cb = callbacks;
        cb.onProgress = [&callbacks, offset, what](double f, const std::string &m) {
            if (callbacks.onProgress)
                callbacks.onProgress(offset + f / 2, std::string(what) + ": " + m);
        };
        return cb;
    };
    AccuracyReport b, t;
    if (c.method == "lora") {
        // One load for both halves: the adapter switched off scores the base model.
        auto model = loadAccuracyModel(tuned, half(0, "loading"));
        model->setAdapterEnabled(false);
        b = evaluateAccuracy(records, base, *model, half(0, "base model"));
        model->setAdapterEnabled(true);
        t = evaluateAccuracy(records, tuned, *model, half(0.5, "tuned"));
    } else {
        b = evaluateAccuracy(records, base, half(0, "base model"));
        t = evaluateAccuracy(records, tuned, half(0.5, "tuned"));
    }
    out.method = evalMethodName(method);
    out.questions = b.questions;
    out.baseCorrect = b.correct;
    out.tunedCorrect = t.correct;
    out.seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    writeFileAtomic(runDir / kRunAccuracyFile, out.toJson().dump(2) + "\n");
    return out;
}

JobSpec makeRunAccuracyJob(const fs::path &runDir, EvalMethod method, size_t limit)
{
    const RunInfo run = readRun(runDir);
    JobSpec spec;
    spec.kind = "train.accuracy";
    spec.title = "Accuracy of " + runDir.filename().string();
    spec.lane = trainLane(run.config.device);
    spec.params = {{"run", runDir.string()}, {"method", evalMethodName(method)}, {"limit", limit}};
    spec.work = [runDir, method, limit](JobContext &ctx) {
        EvalCallbacks cb;
        cb.isCancelled = [&ctx] { return ctx.isCancelled(); };
        cb.onProgress = [&ctx](double f, const std::string &m) { ctx.progress(f, m); };
        const RunAccuracy r = evaluateRun(runDir, method, limit, cb);
        ctx.progress(1, r.summary());
        ctx.metric("base_accuracy", 0, r.baseAccuracy());
        ctx.metric("tuned_accuracy", 0, r.tunedAccuracy());
        return r.toJson();
    };
    return spec;
}

} // namespace wb

#include "train/train_job.h"

#include "common/error.h"
#include "store/workspace.h"

#include <algorithm>
#include <ctime>

namespace wb {

std::vector<RunInfo> listRuns(const Workspace &ws)
{
    std::vector<RunInfo> runs;
    const auto dir = runsDir(ws);
    if (!std::filesystem::is_directory(dir))
        return runs;
    for (const auto &e : std::filesystem::directory_iterator(dir)) {
        if (!e.is_directory() || e.path().filename().string().rfind(".", 0) == 0)
            continue;
        try {
            runs.push_back(readRun(e.path()));
        } catch (const std::exception &) {
            // a folder being created, or not a run: not listed
        }
    }
    // Names start with the creation time: newest first.
    std::sort(runs.begin(), runs.end(), [](const RunInfo &a, const RunInfo &b) {
        return a.dir.filename().string() > b.dir.filename().string();
    });
    return runs;
}

std::filesystem::path newRunDir(const Workspace &ws, const std::string &hint)
{
    std::string slug;
    for (char ch : hint) {
        const unsigned char c = static_cast<unsigned char>(ch);
        if (std::isalnum(c))
            slug += char(std::tolower(c));
        else if (!slug.empty() && slug.back() != '-')
            slug += '-';
        if (slug.size() >= 40)
            break;
    }
    while (!slug.empty() && slug.back() == '-')
        slug.pop_back();
    if (slug.empty())
        slug = "run";
    const std::time_t now = std::time(nullptr);
    std::tm tm{};
    localtime_r(&now, &tm);
    char stamp[32];
    std::strftime(stamp, sizeof stamp, "%Y%m%d-%H%M%S", &tm);
    std::filesystem::path dir = runsDir(ws) / (std::string(stamp) + "-" + slug);
    for (int i = 2; std::filesystem::exists(dir); ++i)
        dir = runsDir(ws) / (std::string(stamp) + "-" + slug + "-" + std::to_string(i));
    return dir;
}

namespace {

nlohmann::json runJob(JobContext &ctx, const std::function<TrainResult(const TrainCallbacks &)> &fn)
{
    TrainCallbacks cb;
    cb.isCancelled = [&ctx] { return ctx.isCancelled(); };
    std::string lastMessage;
    double lastFraction = 0;
    cb.onProgress = [&](double f, const std::string &m) {
        lastMessage = m;
        lastFraction = f;
        ctx.progress(f, m);
    };
    // A log line (also in the run's log.txt) becomes the job's message; the bar keeps its
    // fraction, so the Jobs panel does not flip to "unknown" between steps.
    cb.onLog = [&](const std::string &line) { ctx.progress(lastFraction, line); };
    cb.onPoint = [&ctx](const TrainPoint &p) {
        if (p.loss)
            ctx.metric("loss", p.step, *p.loss);
        if (p.evalLoss)
            ctx.metric("eval_loss", p.step, *p.evalLoss);
        if (p.learningRate)
            ctx.metric("lr", p.step, *p.learningRate);
        if (p.gradNorm)
            ctx.metric("grad_norm", p.step, *p.gradNorm);
        if (p.tokensPerSecond)
            ctx.metric("tokens_per_s", p.step, *p.tokensPerSecond);
    };
    const TrainResult r = fn(cb);
    switch (r.stop) {
    case TrainResult::Stop::Completed:
        return r.toJson();
    case TrainResult::Stop::Cancelled:
        throw JobCancelled{};
    case TrainResult::Stop::NonFinite:
    case TrainResult::Stop::OutOfMemory:
        break;
    }
    throw Error(ErrorCode::Validation, r.message);
}

} // namespace

JobSpec makeTrainJob(const TrainConfig &config)
{
    JobSpec spec;
    spec.kind = "train";
    spec.title = "Train " + std::string(config.method == "lora" ? "LoRA" : "full") + " on " +
                 (config.datasetName.empty() ? std::filesystem::path(config.datasetFile).filename().string()
                                             : config.datasetName);
    spec.lane = trainLane(config.device);
    spec.params = {{"run_dir", config.outputDir}, {"config", config.toJson()}};
    spec.work = [config](JobContext &ctx) {
        return runJob(ctx, [&](const TrainCallbacks &cb) { return runTraining(config, cb); });
    };
    return spec;
}

JobSpec makeResumeJob(const std::filesystem::path &runDir)
{
    const RunInfo info = readRun(runDir);
    JobSpec spec;
    spec.kind = "train";
    spec.title = "Resume " + runDir.filename().string();
    spec.lane = trainLane(info.config.device);
    spec.params = {{"run_dir", runDir.string()}, {"config", info.config.toJson()}, {"resume", true}};
    spec.work = [runDir](JobContext &ctx) {
        return runJob(ctx, [&](const TrainCallbacks &cb) { return resumeTraining(runDir, cb); });
    };
    return spec;
}

} // namespace wb

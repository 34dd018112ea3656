// The fine-tuning loop: LoRA or full, AdamW, schedules, accumulation, clipping, eval loss,
// atomic checkpoints and exact resume. See trainer.h for the run folder.

#include "train/trainer.h"

#include "common/error.h"
#include "common/files.h"
#include "formats/merge.h"
#include "formats/safetensors.h"
#include "jobs/job.h"
#include "model/llama_torch.h"
#include "train/train_data.h"

#include <torch/version.h>

#include <chrono>
#include <cstdlib>
#include <cstring>
#include <cmath>
#include <fstream>
#include <limits>
#include <map>
#include <new>

#include <unistd.h>

namespace wb {

namespace {

using model::Model;
namespace fs = std::filesystem;

struct Param
{
    std::string name;
    at::Tensor *tensor = nullptr;
    at::Tensor expAvg, expAvgSq;
    // Full fine-tuning in BF16/F16: the F32 copy the optimizer updates (the model's weight is
    // its rounding, refreshed after every step). Undefined when the weight itself is F32.
    at::Tensor master;

    // What checkpoints and the result keep: the F32 master where there is one.
    const at::Tensor &value() const { return master.defined() ? master : *tensor; }
};

std::string checkpointName(int64_t step)
{
    char buf[32];
    std::snprintf(buf, sizeof buf, "step-%06lld", static_cast<long long>(step));
    return buf;
}

void fsyncDir(const fs::path &dir)
{
    // Best effort: the rename is durable once the folder's entry is.
    std::FILE *f = std::fopen(dir.c_str(), "r");
    if (f) {
        (void)fsync(fileno(f));
        std::fclose(f);
    }
}

at::Tensor tensorFrom(const TensorView &view)
{
    if (view.dtype != DType::F32)
        throw Error(ErrorCode::Parse, "checkpoint tensor '" + view.name + "' is not F32");
    return model::tensorFromView(view);
}

void addTensor(SafetensorsWriter &w, const std::string &name, const at::Tensor &t)
{
    const at::Tensor c = t.detach().to(at::kCPU, at::kFloat).contiguous();
    w.add(name, DType::F32, c.sizes().vec(), c.data_ptr(), size_t(c.nbytes()));
}

bool isOutOfMemory(const std::exception &e)
{
    const std::string what = e.what();
    return what.find("out of memory") != std::string::npos ||
           what.find("CUDA out of memory") != std::string::npos ||
           what.find("DefaultCPUAllocator: can't allocate memory") != std::string::npos;
}

class Trainer
{
public:
    Trainer(TrainConfig config, fs::path runDir, const TrainCallbacks &cb)
        : m_cfg(std::move(config)), m_dir(std::move(runDir)), m_cb(cb)
    {
    }

    TrainResult run(bool resume);
    void inject(TrainData data) { m_injected = std::move(data); }

private:
    void log(const std::string &line);
    void setUp();
    void restore(int64_t step);
    double microBatchLoss(const std::vector<size_t> &examples, int64_t stepTargets,
                          uint64_t dropoutSeed, bool backward, bool injectNan);
    std::pair<at::Tensor, at::Tensor> batchOf(const std::vector<SftExample> &pool,
                                              const std::vector<size_t> &idx) const;
    double evalLoss();
    void optimizerStep(double lr);
    double clipGradients();
    void saveCheckpoint(int64_t step);
    // Full fine-tuning in BF16/F16: copies the F32 masters into the model's weights.
    void refreshFromMasters();
    void writeOutput(TrainResult &result);
    void appendPoint(const TrainPoint &p);
    void truncateMetrics(int64_t step);

    TrainConfig m_cfg;
    fs::path m_dir;
    const TrainCallbacks &m_cb;
    TrainData m_data;
    std::optional<TrainData> m_injected;
    std::unique_ptr<Model> m_model;
    std::vector<Param> m_params;
    int64_t m_totalSteps = 0;
    int64_t m_step = 0;          // optimizer steps done
    int64_t m_lastSaved = -1;
    std::optional<double> m_lastLoss, m_lastEval;
    std::ofstream m_logFile;
};

void Trainer::log(const std::string &line)
{
    if (!m_logFile.is_open())
        m_logFile.open(m_dir / "log.txt", std::ios::app);
    m_logFile << nowIso8601() << "  " << line << "\n";
    m_logFile.flush();
    if (m_cb.onLog)
        m_cb.onLog(line);
}

void Trainer::setUp()
{
    if (m_cfg.threads > 0)
        at::set_num_threads(m_cfg.threads);
    m_data = std::move(m_injected.value());
    m_injected.reset();
    const TrainPlan &plan = m_data.plan;
    m_totalSteps = plan.totalSteps;
    log(std::to_string(plan.trainExamples) + " training and " + std::to_string(plan.evalExamples) +
        " eval examples; " + std::to_string(m_totalSteps) + " steps");
    for (const auto &note : plan.notes)
        log("note: " + note);

    LoadOptions lo;
    lo.device = m_cfg.device;
    // LoRA: the frozen base in the compute dtype, F32 adapters. Full: the weights in the compute
    // dtype too, with F32 masters for the optimizer (mixed precision, as torch.amp + an F32
    // optimizer copy would do).
    lo.dtype = m_cfg.dtype;
    lo.checkMemory = true;
    log("loading " + m_cfg.modelDir);
    m_model = model::loadModel(m_cfg.modelDir, lo, [this](double f, const std::string &) {
        return !(m_cb.isCancelled && m_cb.isCancelled());
    });
    if (m_model->upcastMatmul)
        throw Error(ErrorCode::Unsupported, "this device cannot train in " +
                                                std::string(dtypeName(m_cfg.dtype)) + "; use F32");

    m_params.clear();
    if (m_cfg.method == "lora") {
        m_model->lora = m_cfg.lora;
        model::attachLora(*m_model, m_cfg.lora, m_cfg.seed);
        for (auto &[name, t] : model::loraParameters(*m_model))
            m_params.push_back(Param{name, t, {}, {}});
    } else {
        const int64_t L = m_model->config.numLayers;
        const int64_t first = m_cfg.trainLastLayers > 0 ? std::max<int64_t>(0, L - m_cfg.trainLastLayers) : 0;
        for (auto &[name, t] : model::namedWeights(*m_model)) {
            bool train = m_cfg.trainLastLayers <= 0;
            if (!train && name.rfind("model.layers.", 0) == 0) {
                const int64_t layer = std::stoll(name.substr(13));
                train = layer >= first;
            }
            if (train)
                m_params.push_back(Param{name, t, {}, {}});
        }
    }
    for (Param &p : m_params) {
        *p.tensor = p.tensor->detach().clone().requires_grad_(true);
        if (p.tensor->scalar_type() != at::kFloat)
            p.master = p.tensor->detach().to(at::kFloat);
        p.expAvg = at::zeros_like(*p.tensor, at::TensorOptions().dtype(at::kFloat));
        p.expAvgSq = at::zeros_like(*p.tensor, at::TensorOptions().dtype(at::kFloat));
    }
    // Param::tensor points into the Linear layers (or their LoRA pairs): the forward now reads
    // the leaf tensors the optimizer updates.
    uint64_t trainable = 0;
    for (const Param &p : m_params)
        trainable += uint64_t(p.tensor->numel());
    log("trainable parameters: " + std::to_string(trainable) + " (" +
        std::to_string(100.0 * double(trainable) / double(std::max<uint64_t>(1, plan.totalParameters))) +
        "% of " + std::to_string(plan.totalParameters) + ")");
}

std::pair<at::Tensor, at::Tensor> Trainer::batchOf(const std::vector<SftExample> &pool,
                                                   const std::vector<size_t> &idx) const
{
    size_t T = 0;
    for (size_t i : idx)
        T = std::max(T, pool[i].ids.size());
    const int64_t B = int64_t(idx.size());
    at::Tensor ids = at::zeros({B, int64_t(T)}, at::kLong);
    at::Tensor mask = at::zeros({B, int64_t(T)}, at::kBool);
    auto ia = ids.accessor<int64_t, 2>();
    auto ma = mask.accessor<bool, 2>();
    for (int64_t b = 0; b < B; ++b) {
        const SftExample &ex = pool[idx[size_t(b)]];
        for (size_t t = 0; t < ex.ids.size(); ++t) {
            ia[b][int64_t(t)] = ex.ids[t];
            ma[b][int64_t(t)] = ex.trainMask[t] != 0;
        }
    }
    return {ids.to(m_model->device), mask.to(m_model->device)};
}

// Sum of the token losses of a micro-batch, divided by the step's target count (so that the
// accumulated gradient is that of the mean over the whole step). Returns the divided sum.
double Trainer::microBatchLoss(const std::vector<size_t> &examples, int64_t stepTargets,
                               uint64_t dropoutSeed, bool backward, bool injectNan)
{
    const auto [ids, mask] = batchOf(m_data.train, examples);
    const int64_t T = ids.size(1);
    const at::Tensor hidden = m_model->trainForward(ids, m_cfg.gradientCheckpointing, dropoutSeed);
    // Only positions that predict a target token reach the (large) vocabulary projection.
    const at::Tensor targetMask = mask.narrow(1, 1, T - 1).reshape({-1});
    const at::Tensor where = targetMask.nonzero().squeeze(1);
    const at::Tensor h = hidden.narrow(1, 0, T - 1).reshape({-1, hidden.size(2)}).index_select(0, where);
    const at::Tensor labels = ids.narrow(1, 1, T - 1).reshape({-1}).index_select(0, where);
    const at::Tensor logits = m_model->logitsOf(h);
    at::Tensor loss = at::cross_entropy_loss(logits, labels, {}, at::Reduction::Sum) /
                      double(std::max<int64_t>(1, stepTargets));
    if (injectNan)
        loss = loss * std::numeric_limits<double>::quiet_NaN();
    if (backward)
        loss.backward();
    return loss.item<double>();
}

double Trainer::evalLoss()
{
    if (m_data.eval.empty())
        return std::numeric_limits<double>::quiet_NaN();
    at::NoGradGuard noGrad;
    double sum = 0;
    int64_t targets = 0;
    for (size_t i = 0; i < m_data.eval.size(); i += size_t(m_cfg.batchSize)) {
        if (m_cb.isCancelled && m_cb.isCancelled())
            throw JobCancelled{};
        std::vector<size_t> idx;
        for (size_t j = i; j < std::min(m_data.eval.size(), i + size_t(m_cfg.batchSize)); ++j)
            idx.push_back(j);
        const auto [ids, mask] = batchOf(m_data.eval, idx);
        const int64_t T = ids.size(1);
        const at::Tensor hidden = m_model->trainForward(ids, false, 0);
        const at::Tensor where = mask.narrow(1, 1, T - 1).reshape({-1}).nonzero().squeeze(1);
        const at::Tensor h =
            hidden.narrow(1, 0, T - 1).reshape({-1, hidden.size(2)}).index_select(0, where);
        const at::Tensor labels = ids.narrow(1, 1, T - 1).reshape({-1}).index_select(0, where);
        sum += at::cross_entropy_loss(m_model->logitsOf(h), labels, {}, at::Reduction::Sum)
                   .item<double>();
        targets += where.size(0);
    }
    return targets ? sum / double(targets) : std::numeric_limits<double>::quiet_NaN();
}

double Trainer::clipGradients()
{
    at::NoGradGuard noGrad;
    at::Tensor total = at::zeros({}, at::TensorOptions().dtype(at::kDouble).device(m_model->device));
    for (Param &p : m_params)
        if (p.tensor->grad().defined())
            total = total + p.tensor->grad().to(at::kDouble).pow(2).sum();
    const double norm = std::sqrt(total.item<double>());
    if (m_cfg.maxGradNorm > 0 && std::isfinite(norm) && norm > m_cfg.maxGradNorm) {
        const double coef = m_cfg.maxGradNorm / (norm + 1e-6);
        for (Param &p : m_params)
            if (p.tensor->grad().defined())
                p.tensor->mutable_grad().mul_(coef);
    }
    return norm;
}

// torch.optim.AdamW's update (decoupled weight decay, bias-corrected moments). On CUDA with
// libtorch ≥ 2 and F32 parameters, PyTorch's fused kernel (torch.optim.AdamW(fused=True)) does it
// in a few launches for all parameters; WB_NO_FUSED_ADAMW=1 keeps the per-tensor ops.
void Trainer::optimizerStep(double lr)
{
    at::NoGradGuard noGrad;
    const double b1 = m_cfg.beta1, b2 = m_cfg.beta2;
    const double t = double(m_step + 1);
#if TORCH_VERSION_MAJOR >= 2
    if (m_model->device.is_cuda() && !std::getenv("WB_NO_FUSED_ADAMW")) {
        std::vector<at::Tensor> params, grads, avgs, avgSqs, steps;
        bool fusable = true;
        for (Param &p : m_params) {
            fusable = fusable && p.tensor->grad().defined() && p.value().scalar_type() == at::kFloat;
            if (!fusable)
                break;
            params.push_back(p.value());
            grads.push_back(p.tensor->grad().to(at::kFloat));
            avgs.push_back(p.expAvg);
            avgSqs.push_back(p.expAvgSq);
        }
        if (fusable && !params.empty()) {
            // The step count after this update, as torch.optim passes it (one per parameter).
            const at::Tensor step = at::scalar_tensor(
                t, at::TensorOptions().dtype(at::kFloat).device(m_model->device));
            steps.assign(params.size(), step);
            at::_fused_adamw_(params, grads, avgs, avgSqs, {}, steps, lr, b1, b2,
                              m_cfg.weightDecay, m_cfg.eps, /*amsgrad=*/false,
                              /*maximize=*/false);
            refreshFromMasters();
            return;
        }
    }
#endif
    const double bc1 = 1.0 - std::pow(b1, t), bc2 = 1.0 - std::pow(b2, t);
    for (Param &p : m_params) {
        if (!p.tensor->grad().defined())
            continue;
        at::Tensor &w = p.master.defined() ? p.master : *p.tensor;
        const at::Tensor g = p.tensor->grad().to(at::kFloat);
        if (m_cfg.weightDecay > 0)
            w.mul_(1.0 - lr * m_cfg.weightDecay);
        p.expAvg.lerp_(g, 1.0 - b1);
        p.expAvgSq.mul_(b2).addcmul_(g, g, 1.0 - b2);
        const at::Tensor denom = (p.expAvgSq.sqrt() / std::sqrt(bc2)).add_(m_cfg.eps);
        w.addcdiv_(p.expAvg.to(w.scalar_type()), denom.to(w.scalar_type()), -lr / bc1);
    }
    refreshFromMasters();
}

void Trainer::refreshFromMasters()
{
    at::NoGradGuard noGrad;
    for (Param &p : m_params)
        if (p.master.defined())
            p.tensor->copy_(p.master);
}

void Trainer::appendPoint(const TrainPoint &p)
{
    std::ofstream out(m_dir / "metrics.jsonl", std::ios::app);
    out << p.toJson().dump() << "\n";
    out.flush();
    if (m_cb.onPoint)
        m_cb.onPoint(p);
}

void Trainer::truncateMetrics(int64_t step)
{
    const fs::path file = m_dir / "metrics.jsonl";
    if (!fs::exists(file))
        return;
    std::ifstream in(file);
    std::string line, kept;
    while (std::getline(in, line)) {
        try {
            const auto j = nlohmann::json::parse(line);
            if (j.value("step", int64_t(0)) <= step)
                kept += line + "\n";
        } catch (const nlohmann::json::exception &) {
            break;
        }
    }
    writeFileAtomic(file, kept);
}

void Trainer::saveCheckpoint(int64_t step)
{
    const fs::path root = m_dir / "checkpoints";
    fs::create_directories(root);
    const fs::path final = root / checkpointName(step);
    const fs::path tmp = root / (".tmp-" + checkpointName(step));
    removeTree(tmp);
    fs::create_directories(tmp);
    if (m_cfg.method == "lora") {
        model::saveLora(*m_model, tmp);
    } else {
        SafetensorsWriter w;
        for (const Param &p : m_params)
            addTensor(w, p.name, p.value());
        w.write(tmp / "trainable.safetensors");
    }
    SafetensorsWriter opt;
    for (const Param &p : m_params) {
        addTensor(opt, p.name + ".exp_avg", p.expAvg);
        addTensor(opt, p.name + ".exp_avg_sq", p.expAvgSq);
    }
    opt.write(tmp / "optimizer.safetensors");
    const nlohmann::json state = {
        {"step", step},
        {"total_steps", m_totalSteps},
        {"examples", m_data.train.size()},
        {"epoch", double(step) / double(std::max<int64_t>(1, m_data.plan.stepsPerEpoch))},
        {"seed", m_cfg.seed},
        {"rng", "data order and dropout masks derive from (seed, step): nothing else to restore"},
        {"last_loss", m_lastLoss ? nlohmann::json(*m_lastLoss) : nlohmann::json(nullptr)},
        {"saved_at", nowIso8601()}};
    // trainer_state.json last: its presence marks a complete checkpoint.
    writeFileAtomic(tmp / "trainer_state.json", state.dump(2));
    fsyncDir(tmp);
    removeTree(final);
    fs::rename(tmp, final);
    fsyncDir(root);
    m_lastSaved = step;
    log("checkpoint saved: " + checkpointName(step));
    if (m_cfg.keepCheckpoints > 0) {
        std::vector<int64_t> steps = readRun(m_dir).checkpointSteps;
        while (steps.size() > size_t(m_cfg.keepCheckpoints)) {
            removeTree(root / checkpointName(steps.front()));
            steps.erase(steps.begin());
        }
    }
}

void Trainer::restore(int64_t step)
{
    const fs::path dir = m_dir / "checkpoints" / checkpointName(step);
    const auto state = nlohmann::json::parse(readFile(dir / "trainer_state.json"));
    if (state.value("examples", size_t(0)) != m_data.train.size())
        throw Error(ErrorCode::Conflict,
                    dir.string() + ": the checkpoint was made with " +
                        std::to_string(state.value("examples", size_t(0))) +
                        " training examples, the data now gives " +
                        std::to_string(m_data.train.size()) +
                        " (did the dataset or template file change?)");
    at::NoGradGuard noGrad;
    std::unique_ptr<SafetensorsFile> weights = SafetensorsFile::open(
        dir / (m_cfg.method == "lora" ? "adapter_model.safetensors" : "trainable.safetensors"));
    const auto opt = SafetensorsFile::open(dir / "optimizer.safetensors");
    for (Param &p : m_params) {
        if (p.master.defined())
            p.master.copy_(tensorFrom(weights->tensor(p.name)));
        p.tensor->copy_(tensorFrom(weights->tensor(p.name)));
        p.expAvg.copy_(tensorFrom(opt->tensor(p.name + ".exp_avg")));
        p.expAvgSq.copy_(tensorFrom(opt->tensor(p.name + ".exp_avg_sq")));
    }
    m_step = step;
    m_lastSaved = step;
    if (state.contains("last_loss") && state["last_loss"].is_number())
        m_lastLoss = state["last_loss"].get<double>();
    log("resumed from " + checkpointName(step));
}

void Trainer::writeOutput(TrainResult &result)
{
    const bool lora = m_cfg.method == "lora";
    const fs::path final = m_dir / (lora ? "adapter" : "model");
    const fs::path tmp = m_dir / (lora ? ".tmp-adapter" : ".tmp-model");
    removeTree(tmp);
    fs::create_directories(tmp);
    if (lora) {
        model::saveLora(*m_model, tmp);
    } else {
        SafetensorsWriter w;
        std::map<std::string, const at::Tensor *> masters;
        for (const Param &p : m_params)
            masters[p.name] = &p.value();
        for (auto &[name, t] : model::namedWeights(*m_model)) {
            const auto it = masters.find(name);
            addTensor(w, name, it != masters.end() ? *it->second : *t);
        }
        w.setMetadata("format", "pt");
        w.write(tmp / "model.safetensors");
        auto cfg = nlohmann::json::parse(readFile(fs::path(m_cfg.modelDir) / "config.json"));
        cfg["torch_dtype"] = "float32";
        if (cfg.contains("dtype"))
            cfg["dtype"] = "float32";
        writeFileAtomic(tmp / "config.json", cfg.dump(2) + "\n");
    }
    // Tokenizer files travel with the result so the folder loads on its own.
    for (const std::string &name : modelSideFiles()) {
        const fs::path src = fs::path(m_cfg.modelDir) / name;
        if (fs::exists(src))
            copyFileAtomic(src, tmp / name);
    }
    fsyncDir(tmp);
    removeTree(final);
    fs::rename(tmp, final);
    result.output = final;
}

TrainResult Trainer::run(bool resume)
{
    TrainResult result;
    fs::create_directories(m_dir);
    setUp();
    if (resume) {
        const RunInfo info = readRun(m_dir);
        if (!info.checkpointSteps.empty())
            restore(info.checkpointSteps.back());
        else
            log("no checkpoint yet: starting from step 0");
        truncateMetrics(m_step);
    } else {
        writeFileAtomic(m_dir / "config.json", m_cfg.toJson().dump(2) + "\n");
    }
    fs::remove(m_dir / "result.json");
    auto cancelled = [&] { return m_cb.isCancelled && m_cb.isCancelled(); };
    auto finish = [&](TrainResult::Stop stop, std::string message) {
        result.stop = stop;
        result.steps = m_step;
        result.finalLoss = m_lastLoss;
        result.finalEvalLoss = m_lastEval;
        const RunInfo info = readRun(m_dir);
        if (!info.checkpointSteps.empty())
            result.lastCheckpoint = m_dir / "checkpoints" / checkpointName(info.checkpointSteps.back());
        result.message = std::move(message);
        log(result.message);
        writeFileAtomic(m_dir / "result.json", result.toJson().dump(2) + "\n");
        return result;
    };

    try {
        const auto runStart = std::chrono::steady_clock::now();
        const int64_t startStep = m_step;
        while (m_step < m_totalSteps) {
            const auto t0 = std::chrono::steady_clock::now();
            const std::vector<size_t> examples = stepExamples(m_data.train.size(), m_cfg, m_step);
            int64_t stepTargets = 0, stepTokens = 0;
            for (size_t i : examples) {
                for (size_t t = 1; t < m_data.train[i].trainMask.size(); ++t)
                    stepTargets += m_data.train[i].trainMask[t];
                stepTokens += int64_t(m_data.train[i].ids.size());
            }
            for (Param &p : m_params)
                p.tensor->mutable_grad() = at::Tensor();
            double loss = 0;
            bool stopNow = false;
            for (size_t mb = 0, micro = 0; mb < examples.size(); mb += size_t(m_cfg.batchSize), ++micro) {
                if (cancelled()) {
                    stopNow = true;
                    break;
                }
                std::vector<size_t> idx(examples.begin() + long(mb),
                                        examples.begin() + long(std::min(examples.size(), mb + size_t(m_cfg.batchSize))));
                const uint64_t dropoutSeed =
                    m_cfg.seed * 0x100000001B3ULL + uint64_t(m_step) * 1024 + micro + 1;
                loss += microBatchLoss(idx, stepTargets, dropoutSeed, true,
                                       m_cfg.debugNanAtStep == m_step + 1);
            }
            if (stopNow) {
                if (m_step > m_lastSaved && m_step > 0)
                    saveCheckpoint(m_step);
                return finish(TrainResult::Stop::Cancelled,
                              "stopped at step " + std::to_string(m_step) + " of " +
                                  std::to_string(m_totalSteps) +
                                  (m_step > 0 ? "; resume continues from checkpoint " +
                                                    checkpointName(m_lastSaved)
                                              : std::string()));
            }
            const double gradNorm = clipGradients();
            if (!std::isfinite(loss) || !std::isfinite(gradNorm)) {
                return finish(TrainResult::Stop::NonFinite,
                              "the loss became " + std::string(std::isnan(loss) ? "NaN" : "infinite") +
                                  " at step " + std::to_string(m_step + 1) +
                                  "; the update was not applied. " +
                                  (m_lastSaved >= 0 ? "The last good checkpoint is " +
                                                          checkpointName(m_lastSaved) + ". "
                                                    : std::string("No checkpoint was saved yet. ")) +
                                  "Try a lower learning rate, more warmup, or gradient clipping.");
            }
            const double lr = learningRateAt(m_cfg, m_step, m_totalSteps);
            optimizerStep(lr);
            ++m_step;
            m_lastLoss = loss;
            const double seconds =
                std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();

            TrainPoint point;
            point.step = m_step;
            point.totalSteps = m_totalSteps;
            point.epoch = double(m_step) / double(std::max<int64_t>(1, m_data.plan.stepsPerEpoch));
            bool emit = false;
            if (m_step % m_cfg.logEvery == 0 || m_step == m_totalSteps) {
                point.loss = loss;
                point.learningRate = lr;
                point.gradNorm = gradNorm;
                point.tokensPerSecond = seconds > 0 ? double(stepTokens) / seconds : 0.0;
                emit = true;
            }
            const bool evalNow = (m_cfg.evalEvery > 0 && m_step % m_cfg.evalEvery == 0) ||
                                 m_step == m_totalSteps;
            if (evalNow && !m_data.eval.empty()) {
                m_lastEval = evalLoss();
                point.evalLoss = m_lastEval;
                emit = true;
            }
            if (emit)
                appendPoint(point);
            if (m_cb.onProgress) {
                const double elapsed = std::chrono::duration<double>(
                                           std::chrono::steady_clock::now() - runStart)
                                           .count();
                const double rate = double(m_step - startStep) / std::max(1e-9, elapsed);
                char msg[160];
                std::snprintf(msg, sizeof msg, "step %lld/%lld · loss %.4f · %.2f steps/s",
                              static_cast<long long>(m_step), static_cast<long long>(m_totalSteps),
                              loss, rate);
                m_cb.onProgress(double(m_step) / double(m_totalSteps), msg);
            }
            if ((m_cfg.saveEvery > 0 && m_step % m_cfg.saveEvery == 0) || m_step == m_totalSteps)
                saveCheckpoint(m_step);
        }
        writeOutput(result);
        char msg[200];
        std::snprintf(msg, sizeof msg, "finished %lld steps; final loss %.4f%s",
                      static_cast<long long>(m_step), m_lastLoss.value_or(NAN),
                      m_lastEval ? (", eval loss " + std::to_string(*m_lastEval)).c_str() : "");
        return finish(TrainResult::Stop::Completed, msg);
    } catch (const JobCancelled &) {
        if (m_step > m_lastSaved && m_step > 0)
            saveCheckpoint(m_step);
        return finish(TrainResult::Stop::Cancelled, "stopped at step " + std::to_string(m_step));
    } catch (const std::bad_alloc &) {
        return finish(TrainResult::Stop::OutOfMemory,
                      "out of memory at step " + std::to_string(m_step + 1) +
                          ": lower the batch size (raise gradient accumulation to keep the "
                          "effective batch), shorten max length, or turn on gradient checkpointing");
    } catch (const c10::Error &e) {
        if (!isOutOfMemory(e))
            throw Error(ErrorCode::Internal, std::string("libtorch: ") + e.what_without_backtrace());
        return finish(TrainResult::Stop::OutOfMemory,
                      "out of memory on " + m_cfg.device + " at step " + std::to_string(m_step + 1) +
                          ": lower the batch size (raise gradient accumulation to keep the "
                          "effective batch), shorten max length, or turn on gradient checkpointing");
    }
}

} // namespace

TrainResult runTrainingOn(const TrainConfig &config, TrainData data, const TrainCallbacks &callbacks,
                          bool resume)
{
    Trainer trainer(config, config.outputDir, callbacks);
    trainer.inject(std::move(data));
    return trainer.run(resume);
}

} // namespace wb

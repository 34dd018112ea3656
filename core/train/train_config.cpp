#include "train/train_config.h"

#include "common/error.h"
#include "common/files.h"
#include "formats/strict_json.h"

#include <algorithm>
#include <cmath>
#include <numbers>

namespace wb {

nlohmann::json TrainConfig::toJson() const
{
    nlohmann::json lj = {{"r", lora.r},
                         {"alpha", lora.alpha},
                         {"dropout", lora.dropout},
                         {"target_modules", lora.targetModules},
                         {"rslora", lora.rslora},
                         {"init", lora.init}};
    return {{"model_dir", modelDir},
            {"dataset_file", datasetFile},
            {"dataset_name", datasetName},
            {"eval_dataset_file", evalDatasetFile},
            {"eval_fraction", evalFraction},
            {"template_name", templateName},
            {"template_body", templateBody},
            {"chat_template", chatTemplate},
            {"train_on_prompt", trainOnPrompt},
            {"max_length", maxLength},
            {"packing", packing},
            {"method", method},
            {"lora", lj},
            {"train_last_layers", trainLastLayers},
            {"learning_rate", learningRate},
            {"weight_decay", weightDecay},
            {"beta1", beta1},
            {"beta2", beta2},
            {"eps", eps},
            {"schedule", schedule},
            {"warmup_steps", warmupSteps},
            {"epochs", epochs},
            {"max_steps", maxSteps},
            {"batch_size", batchSize},
            {"grad_accum", gradAccum},
            {"max_grad_norm", maxGradNorm},
            {"seed", seed},
            {"gradient_checkpointing", gradientCheckpointing},
            {"device", device},
            {"dtype", dtypeName(dtype)},
            {"threads", threads},
            {"log_every", logEvery},
            {"eval_every", evalEvery},
            {"save_every", saveEvery},
            {"keep_checkpoints", keepCheckpoints},
            {"output_dir", outputDir},
            {"debug_nan_at_step", debugNanAtStep}};
}

namespace {

template <typename T>
void readKey(const nlohmann::json &j, const char *key, T &out, const std::string &label)
{
    if (!j.contains(key) || j[key].is_null())
        return;
    try {
        out = j[key].get<T>();
    } catch (const nlohmann::json::exception &) {
        throw Error(ErrorCode::Validation,
                    label + ": '" + key + "' has the wrong type (" + j[key].dump() + ")");
    }
}

} // namespace

TrainConfig TrainConfig::fromJson(const nlohmann::json &j, const std::string &label)
{
    if (!j.is_object())
        throw Error(ErrorCode::Validation, label + ": a training configuration is a JSON object");
    TrainConfig c;
    readKey(j, "model_dir", c.modelDir, label);
    readKey(j, "dataset_file", c.datasetFile, label);
    readKey(j, "dataset_name", c.datasetName, label);
    readKey(j, "eval_dataset_file", c.evalDatasetFile, label);
    readKey(j, "eval_fraction", c.evalFraction, label);
    readKey(j, "template_name", c.templateName, label);
    readKey(j, "template_body", c.templateBody, label);
    readKey(j, "chat_template", c.chatTemplate, label);
    readKey(j, "train_on_prompt", c.trainOnPrompt, label);
    readKey(j, "max_length", c.maxLength, label);
    readKey(j, "packing", c.packing, label);
    readKey(j, "method", c.method, label);
    if (j.contains("lora") && j["lora"].is_object()) {
        const auto &l = j["lora"];
        const std::string ll = label + ": lora";
        readKey(l, "r", c.lora.r, ll);
        readKey(l, "alpha", c.lora.alpha, ll);
        readKey(l, "dropout", c.lora.dropout, ll);
        readKey(l, "rslora", c.lora.rslora, ll);
        readKey(l, "init", c.lora.init, ll);
        if (l.contains("target_modules")) {
            std::string spec;
            if (l["target_modules"].is_string()) {
                spec = l["target_modules"].get<std::string>();
            } else if (l["target_modules"].is_array()) {
                for (const auto &m : l["target_modules"])
                    if (m.is_string())
                        spec += (spec.empty() ? "" : ",") + m.get<std::string>();
            }
            c.lora.targetModules = parseTargetModules(spec);
        }
    }
    readKey(j, "train_last_layers", c.trainLastLayers, label);
    readKey(j, "learning_rate", c.learningRate, label);
    readKey(j, "weight_decay", c.weightDecay, label);
    readKey(j, "beta1", c.beta1, label);
    readKey(j, "beta2", c.beta2, label);
    readKey(j, "eps", c.eps, label);
    readKey(j, "schedule", c.schedule, label);
    readKey(j, "warmup_steps", c.warmupSteps, label);
    readKey(j, "epochs", c.epochs, label);
    readKey(j, "max_steps", c.maxSteps, label);
    readKey(j, "batch_size", c.batchSize, label);
    readKey(j, "grad_accum", c.gradAccum, label);
    readKey(j, "max_grad_norm", c.maxGradNorm, label);
    readKey(j, "seed", c.seed, label);
    readKey(j, "gradient_checkpointing", c.gradientCheckpointing, label);
    readKey(j, "device", c.device, label);
    if (j.contains("dtype") && j["dtype"].is_string()) {
        const auto d = dtypeFromName(j["dtype"].get<std::string>());
        if (!d)
            throw Error(ErrorCode::Validation,
                        label + ": 'dtype' " + j["dtype"].dump() + " is not a dtype (F32, BF16, F16)");
        c.dtype = *d;
    }
    readKey(j, "threads", c.threads, label);
    readKey(j, "log_every", c.logEvery, label);
    readKey(j, "eval_every", c.evalEvery, label);
    readKey(j, "save_every", c.saveEvery, label);
    readKey(j, "keep_checkpoints", c.keepCheckpoints, label);
    readKey(j, "output_dir", c.outputDir, label);
    readKey(j, "debug_nan_at_step", c.debugNanAtStep, label);
    return c;
}

void TrainConfig::validate() const
{
    validatePlan();
    if (outputDir.empty())
        throw Error(ErrorCode::Validation, "the run has no output folder");
}

void TrainConfig::validatePlan() const
{
    auto fail = [](const std::string &m) { throw Error(ErrorCode::Validation, m); };
    if (modelDir.empty())
        fail("choose a base model");
    if (datasetFile.empty())
        fail("choose a training dataset");
    if (templateBody.empty())
        fail("choose a prompt template");
    if (method != "lora" && method != "full")
        fail("method '" + method + "' is not one of lora, full");
    if (method == "lora") {
        if (lora.r <= 0 || lora.r > 4096)
            fail("LoRA rank must be between 1 and 4096, not " + std::to_string(lora.r));
        if (!(lora.alpha > 0))
            fail("LoRA alpha must be positive");
        if (lora.dropout < 0 || lora.dropout >= 1)
            fail("LoRA dropout must be in [0, 1)");
        if (lora.targetModules.empty())
            fail("choose at least one LoRA target module");
        if (lora.init != "kaiming" && lora.init != "gaussian")
            fail("LoRA init '" + lora.init + "' is not one of kaiming, gaussian");
    }
    if (trainLastLayers < 0)
        fail("'train last layers' cannot be negative");
    if (!(learningRate > 0) || learningRate > 1)
        fail("learning rate must be in (0, 1]");
    if (weightDecay < 0)
        fail("weight decay cannot be negative");
    if (schedule != "constant" && schedule != "linear" && schedule != "cosine")
        fail("schedule '" + schedule + "' is not one of constant, linear, cosine");
    if (warmupSteps < 0)
        fail("warmup steps cannot be negative");
    if (epochs < 1 && maxSteps <= 0)
        fail("train for at least one epoch or set max steps");
    if (batchSize < 1 || gradAccum < 1)
        fail("batch size and gradient accumulation must be at least 1");
    if (maxGradNorm < 0)
        fail("gradient clipping norm cannot be negative");
    if (maxLength < 8)
        fail("max length must be at least 8 tokens");
    if (evalFraction < 0 || evalFraction >= 1)
        fail("the held-out eval fraction must be in [0, 1)");
    if (dtype != DType::F32 && dtype != DType::BF16 && dtype != DType::F16)
        fail(std::string("compute dtype ") + dtypeName(dtype) + " cannot train; use F32 or BF16");
    if (device == "cpu" && dtype != DType::F32)
        fail("training on the CPU runs in F32 (libtorch's CPU has no fast half-precision GEMM)");
    if (logEvery < 1)
        fail("log interval must be at least 1 step");
    if (evalEvery < 0 || saveEvery < 0 || keepCheckpoints < 0)
        fail("eval/save intervals and kept checkpoints cannot be negative");
}

double learningRateAt(const TrainConfig &c, int64_t step, int64_t totalSteps)
{
    const double peak = c.learningRate;
    if (step < c.warmupSteps)
        return peak * double(step + 1) / double(c.warmupSteps + 1);
    if (c.schedule == "constant")
        return peak;
    const int64_t decaySteps = std::max<int64_t>(1, totalSteps - c.warmupSteps);
    const double progress =
        std::clamp(double(step - c.warmupSteps) / double(decaySteps), 0.0, 1.0);
    if (c.schedule == "linear")
        return peak * (1.0 - progress);
    return peak * 0.5 * (1.0 + std::cos(std::numbers::pi * progress));
}

namespace {

// The keys a model folder may suggest: how to train, never what on or where to.
constexpr const char *kSuggestibleKeys[] = {
    "method",       "lora",        "train_last_layers", "learning_rate", "weight_decay",
    "schedule",     "warmup_steps", "epochs",           "max_steps",     "batch_size",
    "grad_accum",   "max_grad_norm", "max_length",      "packing",       "train_on_prompt"};

// A JSON file a user wrote: "<path> is not valid JSON: ..." names it.
nlohmann::json readJsonFile(const std::filesystem::path &file)
{
    return formats::parseStrictJson(readFile(file), file.string(), file.string());
}

} // namespace

TrainConfig TrainConfig::fromFile(const std::filesystem::path &file)
{
    return fromJson(readJsonFile(file), file.string());
}

std::optional<nlohmann::json> suggestedTraining(const std::filesystem::path &modelDir)
{
    const std::filesystem::path file = modelDir / "suggested_training.json";
    std::error_code ec;
    if (!std::filesystem::is_regular_file(file, ec))
        return std::nullopt;
    const nlohmann::json j = readJsonFile(file);
    if (!j.is_object())
        throw Error(ErrorCode::Validation, file.string() + ": expected a JSON object of training settings");
    nlohmann::json out = nlohmann::json::object();
    for (const char *key : kSuggestibleKeys)
        if (j.contains(key))
            out[key] = j[key];
    // Type errors surface now, with the file's name, not when a run starts.
    (void)TrainConfig::fromJson(out, file.string());
    return out;
}

TrainConfig withSettings(const TrainConfig &config, const nlohmann::json &settings)
{
    nlohmann::json j = config.toJson();
    for (const auto &[key, value] : settings.items()) {
        if (key == "lora" && value.is_object() && j["lora"].is_object())
            j["lora"].update(value);
        else
            j[key] = value;
    }
    TrainConfig out = TrainConfig::fromJson(j, "training settings");
    out.lora.baseModel = config.lora.baseModel; // not part of the JSON
    return out;
}

} // namespace wb

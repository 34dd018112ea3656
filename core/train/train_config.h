#pragma once

// Everything that defines a fine-tuning run. Stored as JSON in the run folder (config.json) and
// in the workspace, so that any run can be reopened, compared and resumed. Torch-free.

#include "formats/dtype.h"
#include "formats/peft.h"

#include <nlohmann/json.hpp>

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace wb {

struct TrainConfig
{
    // ---- what ----
    std::string modelDir;        // base model (HF folder)
    std::string datasetFile;     // training data (JSONL/JSON/CSV, any format datasets accept)
    std::string datasetName;     // for display only
    std::string evalDatasetFile; // optional; otherwise evalFraction of datasetFile is held out
    double evalFraction = 0.1;   // by problem (splitDataset), deterministic by seed
    std::string templateName;    // for display only
    std::string templateBody;    // the prompt template the examples are rendered with
    bool chatTemplate = false;   // wrap prompt/response in the model's chat template
    bool trainOnPrompt = false;  // loss on the prompt tokens too (default: response only)
    int maxLength = 512;         // tokens per example; longer ones are truncated (and counted)
    bool packing = false;        // concatenate examples into maxLength sequences

    // ---- method ----
    std::string method = "lora"; // "lora" | "full"
    LoraConfig lora;             // method == lora
    int trainLastLayers = 0;     // method == full: only the last N layers train (0: all)

    // ---- optimisation ----
    double learningRate = 2e-4;
    double weightDecay = 0.0;
    double beta1 = 0.9, beta2 = 0.999, eps = 1e-8;
    std::string schedule = "cosine"; // "constant" | "linear" | "cosine"
    int warmupSteps = 0;
    int epochs = 1;
    int64_t maxSteps = 0; // > 0 caps the run (and defines the schedule's length)
    int batchSize = 4;    // examples per micro-batch
    int gradAccum = 1;    // micro-batches per optimizer step
    double maxGradNorm = 1.0; // 0: no clipping
    uint64_t seed = 42;
    bool gradientCheckpointing = false;

    // ---- where ----
    std::string device = "cpu";  // "cpu", "cuda", "cuda:1"
    DType dtype = DType::F32;    // compute dtype: F32 on CPU, BF16 on CUDA
    int threads = 0;             // CPU threads (0: the workbench's budget)

    // ---- reporting and checkpoints ----
    int logEvery = 1;   // steps between metric points
    int evalEvery = 0;  // steps between eval-loss points (0: at the end only)
    int saveEvery = 0;  // steps between checkpoints (0: at the end only)
    int keepCheckpoints = 2; // older checkpoints are deleted (0: keep all)
    std::string outputDir;   // the run folder

    int64_t debugNanAtStep = 0; // test hook: the loss of this step becomes NaN

    nlohmann::json toJson() const;
    // Unknown keys are ignored; ill-typed ones are an Error(Validation) naming the key.
    static TrainConfig fromJson(const nlohmann::json &j, const std::string &label = "config");
    // fromJson on a JSON file; a file that is not JSON is an Error naming it.
    static TrainConfig fromFile(const std::filesystem::path &file);
    // Every rule a plan needs (everything but the run folder), with messages a user can act on.
    void validatePlan() const;
    // validatePlan() and a run folder: what a run needs before it starts.
    void validate() const;
};

// A model folder may suggest how to fine-tune it: suggested_training.json, a JSON object with
// any of a run configuration's hyperparameter keys (method, lora, learning_rate, epochs,
// batch_size, ...; README, "Fine-tuning"). Returns those keys (others are dropped: the file
// cannot choose the data or the output), or nothing when the folder has no such file. Throws
// Error(Validation) naming the file when it is not a JSON object or a value has the wrong type.
std::optional<nlohmann::json> suggestedTraining(const std::filesystem::path &modelDir);
// `config` with the keys of `settings` (a run configuration's JSON keys, e.g. the suggested
// ones or the flags given on the command line) applied over it; "lora" keys merge into its.
TrainConfig withSettings(const TrainConfig &config, const nlohmann::json &settings);

// The learning rate at optimizer step `step` (0-based) of `totalSteps`: linear warmup from 0,
// then constant, linear decay to 0, or cosine decay to 0 (transformers' schedules).
double learningRateAt(const TrainConfig &config, int64_t step, int64_t totalSteps);

} // namespace wb

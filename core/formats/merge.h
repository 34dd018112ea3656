#pragma once

// Merging a PEFT LoRA adapter into its base model (W ← W + s·B·A, FORMATS.md "PEFT LoRA
// adapters"): as a tensor source that yields merged tensors one at a time (the GGUF exporter
// reads it), and as a plain Hugging Face folder written atomically.

#include "formats/dtype.h"
#include "formats/hf_config.h"
#include "formats/peft.h"

#include <cstdint>
#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace wb {

class Checkpoint;
struct TensorView;

// Long work reports a fraction and a message; returning false cancels (Error(Cancelled)).
using ExportProgress = std::function<bool(double fraction, const std::string &message)>;

// Any float TensorView (F16, BF16, F32, F64) as float. Throws Error(Unsupported) otherwise.
std::vector<float> tensorToFloat(const TensorView &tensor);

// W[out, in] += scale · B[out, r] · A[r, in], all row-major float; rows split over `threads`.
void addLoraDelta(float *w, int64_t out, int64_t in, const float *a, const float *b, int64_t r,
                  float scale, int threads = 2);

// A base model folder with an optional adapter applied on the fly.
class MergedTensorSource final
{
public:
    // `adapterDir` empty: the base tensors unchanged. Checks the checkpoint against config.json
    // and the adapter against the base (PeftAdapter::open), so a mismatch fails here, before
    // anything is written.
    MergedTensorSource(const std::filesystem::path &baseDir,
                       const std::filesystem::path &adapterDir = {});
    ~MergedTensorSource();

    const ModelConfig &config() const { return m_config; }
    const LoraConfig *lora() const; // nullptr without an adapter
    const std::filesystem::path &baseDir() const { return m_baseDir; }
    // Every tensor of the checkpoint: the config's tensors in model order, then extras (sorted).
    const std::vector<std::string> &names() const { return m_names; }
    const TensorView &base(const std::string &name) const;
    // True when the adapter changes this tensor.
    bool isMerged(const std::string &name) const;
    // The tensor as float, with s·B·A added when the adapter targets it.
    std::vector<float> read(const std::string &name) const;
    int threads = 2;

private:
    std::filesystem::path m_baseDir;
    ModelConfig m_config;
    std::unique_ptr<Checkpoint> m_checkpoint;
    std::unique_ptr<PeftAdapter> m_adapter;
    std::vector<std::string> m_names;
    std::map<std::string, std::pair<int, std::string>> m_targets; // tensor → (layer, module)
};

struct MergeOptions
{
    std::optional<DType> dtype;            // F32, F16 or BF16; default: the base's, else F32
    uint64_t shardBytes = 2'000'000'000ull; // transformers' "2GB" (10^9 bytes per GB)
    bool overwrite = false;                 // replace an existing non-empty output folder
    int threads = 2;
};

struct MergeReport
{
    size_t tensors = 0;
    size_t mergedTensors = 0;
    size_t shards = 0;
    uint64_t bytes = 0;
    DType dtype = DType::F32;
};

// Writes base + adapter as a plain HF folder: config.json (dtype updated), the weights
// (model.safetensors, or model-0000i-of-0000N.safetensors + model.safetensors.index.json
// beyond shardBytes), generation_config.json and the tokenizer files. Builds everything in a
// temporary folder beside `outDir` and renames it into place at the end: a failure or a cancel
// leaves no partial `outDir`. Refuses (Error(Conflict)) to replace a non-empty `outDir` unless
// options.overwrite. `adapterDir` empty: a dtype conversion / reshard of the base.
MergeReport mergeAdapter(const std::filesystem::path &baseDir,
                         const std::filesystem::path &adapterDir,
                         const std::filesystem::path &outDir, const MergeOptions &options = {},
                         const ExportProgress &progress = {});

// The files besides weights that a model folder carries and an export copies.
const std::vector<std::string> &modelSideFiles();

} // namespace wb

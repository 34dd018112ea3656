#pragma once

// A BERT-family sentence encoder (bge, MiniLM, e5, ...) loaded from a sentence-transformers
// folder, computing in libtorch; its vectors match sentence-transformers' encode() on the same
// folder. This header is torch-free: the UI, the CLI and core/rag include it without paying
// for torch headers.

#include "formats/dtype.h"

#include <nlohmann/json_fwd.hpp>

#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace wb {

class Tokenizer;

// config.json of model_type "bert" (BertModel, BertForMaskedLM, ... checkpoints).
struct BertConfig
{
    int64_t vocabSize = 0;
    int64_t hiddenSize = 0;
    int64_t numLayers = 0;
    int64_t numHeads = 0;
    int64_t intermediateSize = 0;
    int64_t maxPositions = 0;
    int64_t typeVocabSize = 2;
    double layerNormEps = 1e-12;
    std::string hiddenAct = "gelu"; // gelu (erf), gelu_new / gelu_pytorch_tanh, relu, silu

    int64_t headDim() const { return hiddenSize / numHeads; }
};

// Throws Error(Unsupported) for another model_type, a position_embedding_type other than
// "absolute" or an unknown activation, Error(Validation) naming the field for a missing or
// inconsistent value. `label` prefixes messages.
BertConfig parseBertConfig(const nlohmann::json &config, const std::string &label = "config.json");

// sentence-transformers' pooling modes; several are concatenated in this order.
enum class EncoderPooling { Cls, Max, Mean, MeanSqrtLen, WeightedMean, LastToken };
const char *encoderPoolingName(EncoderPooling pooling); // "cls", "max", "mean", ...

// What a sentence-transformers folder says around the BERT model: modules.json (a Normalize
// module), 1_Pooling/config.json (mean when absent), sentence_bert_config.json (max_seq_length,
// do_lower_case; without it min(max_position_embeddings, tokenizer model_max_length)).
struct SentenceEncoderFolder
{
    BertConfig bert;
    std::vector<EncoderPooling> pooling;
    bool normalize = false;
    int64_t maxSeqLength = 0;
    bool doLowerCase = false;
    bool hasModulesJson = false;
};

// Throws Error naming the file and the field: Io for a missing folder or config.json,
// Parse for corrupt JSON, Validation for a bad value, Unsupported for a module or pooling mode
// we do not implement.
SentenceEncoderFolder readSentenceEncoderFolder(const std::filesystem::path &dir);

struct SentenceEncoderOptions
{
    std::string device = "cpu";    // "cpu", "cuda", "cuda:1"
    DType dtype = DType::F32;      // compute dtype: F32, F16 or BF16
    int threads = 0;               // torch intra-op threads; 0 leaves the current setting
    std::optional<bool> normalize; // L2-normalise; default: as modules.json says
    int64_t maxLength = 0;         // tokens per text incl. [CLS]/[SEP]; 0: the folder's
};

// One encoder's weights on one device. encode() may run on any thread, one call at a time.
class SentenceEncoder final
{
public:
    // Returns true when the work should stop (checked between batches).
    using CancelFn = std::function<bool()>;

    // Reads the folder, its tokenizer.json and model.safetensors (or shards), checks every
    // tensor's presence and shape against config.json (keys with or without the "bert."
    // prefix), converts to the compute dtype. Throws wb::Error naming the file.
    static std::unique_ptr<SentenceEncoder> load(const std::filesystem::path &dir,
                                                 const SentenceEncoderOptions &opts = {});
    ~SentenceEncoder();
    SentenceEncoder(const SentenceEncoder &) = delete;
    SentenceEncoder &operator=(const SentenceEncoder &) = delete;

    // One vector of dim() floats per text, in order. Texts are sorted by length and run
    // batchSize at a time, right-padded with an attention mask. Throws Error(Cancelled) when
    // cancel() says so, Error(Validation) for text that is not UTF-8.
    std::vector<std::vector<float>> encode(const std::vector<std::string> &texts, int batchSize = 32,
                                           const CancelFn &cancel = {}) const;
    // The ids the model sees for a text: do_lower_case applied, [CLS] ... [SEP], truncated.
    std::vector<int32_t> tokenize(const std::string &text) const;

    int dim() const;
    // "bert:<folder name>@<16 hex digits>": a digest of the folder's configs, tokenizer, weight
    // header and a sample of the weights, and of the pooling, normalisation and maximum length;
    // it changes whenever the vectors would (the device and dtype are left out: they change
    // the vectors only by rounding).
    std::string id() const;
    std::string describe() const; // "BERT 33.4M (12 layers, 384 wide), mean pooling, normalised, bf16 on cuda:0"
    const SentenceEncoderFolder &folder() const;
    const SentenceEncoderOptions &options() const;
    int64_t maxLength() const;
    bool normalizes() const;
    const Tokenizer &tokenizer() const;
    uint64_t parameterCount() const;

    struct Impl;

private:
    explicit SentenceEncoder(std::unique_ptr<Impl> impl);
    std::unique_ptr<Impl> m_impl;
};

} // namespace wb

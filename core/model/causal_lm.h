#pragma once

// A Llama-family decoder (Llama, Qwen2, Mistral, TinyLlama) loaded from a Hugging Face folder,
// computing in libtorch. This header is torch-free: the UI and the CLI include it without
// paying for torch headers.

#include "formats/dtype.h"

#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <string>
#include <utility>
#include <vector>

namespace wb {

struct ModelConfig;

struct LoadOptions
{
    std::string device = "cpu"; // "cpu", "cuda", "cuda:1"
    DType dtype = DType::F32;   // compute dtype: F32, F16 or BF16
    bool int8 = false;          // int8 weight-only quantization of the linear layers
    int threads = 0;            // torch intra-op threads; 0 leaves the current setting
    // The context the memory check plans for (KV cache and activations of one sequence);
    // 0: min(max_position_embeddings, 4096).
    int64_t contextTokens = 0;
    bool checkMemory = true;
    // A PEFT LoRA adapter folder applied on top of the weights (kept unmerged, as peft does).
    std::string adapterDir;
    // More adapters held beside adapterDir, each switched on with selectAdapter (the server's
    // adapters by name). Needs adapterDir.
    std::vector<std::string> extraAdapterDirs;
};

// Fraction in [0, 1] and what is happening; returning false cancels the load (Error Cancelled).
using LoadProgress = std::function<bool(double fraction, const std::string &message)>;

// What int8 quantization did to the weights that it touched (the linear layers and the
// embedding table, whose rows double as lm_head when tied).
struct QuantizationReport
{
    bool enabled = false;
    int tensors = 0;
    uint64_t bytesBefore = 0; // those tensors in the compute dtype
    uint64_t bytesAfter = 0;  // int8 values plus one F32 scale per output row
    uint64_t bytesSaved() const { return bytesBefore > bytesAfter ? bytesBefore - bytesAfter : 0; }
};

enum class Pooling { Mean, Last };

// Log-likelihood of a continuation given its context (lm-evaluation-harness `loglikelihood`).
struct ContinuationScore
{
    double logProb = 0;  // sum of log p(continuation token | everything before it)
    int tokens = 0;      // continuation length, for per-token normalisation
    bool greedy = false; // every continuation token is the argmax of its position
};

// One model's weights on one device. Sessions and calls may run on any thread, one at a time
// per CausalLM (the weights are read-only; memory statistics are not synchronised).
class CausalLM final
{
public:
    class BatchSession;
    class Session;

    // Reads config.json and the safetensors weights, checks every tensor's presence and shape
    // against the config, refuses when estimateMemory exceeds the memory available on the
    // device, converts F32/F16/BF16 weights to the compute dtype and ties lm_head to the
    // embeddings when it is absent. Throws wb::Error.
    static std::unique_ptr<CausalLM> load(const std::filesystem::path &dir,
                                          const LoadOptions &opts = {}, LoadProgress progress = {});
    ~CausalLM();
    CausalLM(const CausalLM &) = delete;
    CausalLM &operator=(const CausalLM &) = delete;

    const ModelConfig &config() const;
    const LoadOptions &options() const;
    const std::filesystem::path &dir() const;
    int64_t vocabSize() const;
    int64_t hiddenSize() const;
    int64_t maxPositions() const;
    std::vector<int32_t> eosIds() const;
    // Bytes the weights take on the device, after conversion and quantization.
    uint64_t weightBytes() const;
    QuantizationReport quantization() const;
    std::string describe() const; // "Qwen2ForCausalLM 0.5B, bf16 on cuda:0, int8 weights"
    // What the load noticed but did not refuse (extra tensors the model ignores).
    const std::vector<std::string> &warnings() const;

    // The LoRA adapter of LoadOptions::adapterDir: whether one was loaded, and switching it off
    // and on again, so one load scores both the base model and base + adapter. Off, every
    // adapted layer computes its base weights alone (logits equal the base model's). Applies to
    // forwards and sessions begun after the call.
    bool hasAdapter() const;
    void setAdapterEnabled(bool enabled);
    // Adapters loaded (adapterDir, then extraAdapterDirs) and which one computes: -1 the base
    // model alone, 0 adapterDir, 1.. the extras in order. Applies to calls after it.
    int adapterCount() const;
    void selectAdapter(int index);

    // Full forward without a cache: [ids.size() × vocab] fp32 logits, row-major.
    std::vector<float> logits(const std::vector<int32_t> &ids);

    // Incremental decoding with a KV cache.
    std::unique_ptr<Session> newSession();
    std::unique_ptr<BatchSession> newBatchSession();

    // Scores each (context, continuation) pair, batched (up to batchSize sequences at a time).
    // The context must not be empty: the first continuation token needs something before it.
    std::vector<ContinuationScore> scoreContinuations(
        const std::vector<std::pair<std::vector<int32_t>, std::vector<int32_t>>> &pairs,
        int batchSize = 8);
    // The sum of log-probabilities only; tokenCounts (optional) receives continuation lengths.
    std::vector<double>
    logLikelihood(const std::vector<std::pair<std::vector<int32_t>, std::vector<int32_t>>> &pairs,
                  std::vector<int> *tokenCounts = nullptr);

    // The last hidden state (after the final norm), pooled over each sequence and
    // L2-normalised: one vector of hiddenSize floats per input. Batched, mask-aware.
    std::vector<std::vector<float>> embed(const std::vector<std::vector<int32_t>> &sequences,
                                          Pooling pooling = Pooling::Mean, int batchSize = 8);

    // Memory in use now and at its peak since the last reset: device memory for cuda (as the
    // driver reports it), the process's resident set for cpu.
    uint64_t memoryInUse() const;
    uint64_t peakMemory() const;
    void resetPeakMemory();

    struct Impl;
    Impl &impl() { return *m_impl; }

private:
    explicit CausalLM(std::unique_ptr<Impl> impl);
    std::unique_ptr<Impl> m_impl;
};

// Several sequences decoded in lockstep. Rows of different lengths are left-padded; an
// attention mask hides the padding and position ids count only real tokens, so each row
// computes what it would alone.
class CausalLM::BatchSession final
{
public:
    ~BatchSession();

    // Appends one chunk of tokens per row (the first call fixes the number of rows) and returns
    // each row's logits after its last token: [rows × vocab] fp32. An empty chunk leaves a row
    // as it is (it gets the logits of a masked slot: ignore them).
    std::vector<float> append(const std::vector<std::vector<int32_t>> &chunks);
    // One token per row.
    std::vector<float> step(const std::vector<int32_t> &ids);

    int rows() const;
    int64_t slots() const;         // cache length including padding
    int64_t length(int row) const; // real tokens of a row
    const std::vector<int32_t> &tokens(int row) const;
    void reset();

    struct Impl;

private:
    friend class CausalLM;
    explicit BatchSession(std::unique_ptr<Impl> impl);
    std::unique_ptr<Impl> m_impl;
};

// One sequence: prefill the prompt, then step token by token.
class CausalLM::Session final
{
public:
    // Appends tokens (the prompt, or more of it) and returns the logits after the last: [vocab].
    std::vector<float> prefill(const std::vector<int32_t> &ids);
    std::vector<float> step(int32_t id);
    int64_t length() const { return m_batch->length(0); }
    const std::vector<int32_t> &tokens() const { return m_batch->tokens(0); }
    void reset() { m_batch->reset(); }

private:
    friend class CausalLM;
    explicit Session(std::unique_ptr<BatchSession> batch) : m_batch(std::move(batch)) {}
    std::unique_ptr<BatchSession> m_batch;
};

} // namespace wb

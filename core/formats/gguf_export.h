#pragma once

// Hugging Face Llama-family folders (optionally with a LoRA adapter merged on the fly) and
// PEFT adapters exported as GGUF files that llama.cpp loads, following llama.cpp's
// convert_hf_to_gguf.py / convert_lora_to_gguf.py: tensor names, the llama q/k row
// permutation, metadata keys and tokenizer vocabularies (FORMATS.md "GGUF (llama.cpp)").

#include "formats/gguf.h"

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace wb {

struct ModelConfig;

enum class GgufExportType { F32, F16, BF16, Q8_0 };
// "f32", "f16", "bf16", "q8_0" (case-insensitive); nullopt otherwise.
std::optional<GgufExportType> parseGgufExportType(const std::string &name);
const char *ggufExportTypeName(GgufExportType type);

struct GgufExportOptions
{
    GgufExportType type = GgufExportType::F16;
    std::string name; // general.name; default: the model folder's name
    int threads = 2;  // for merging an adapter
};

struct GgufExportReport
{
    std::string architecture; // "llama" | "qwen2"
    size_t tensors = 0;
    uint64_t bytes = 0;     // tensor data
    size_t fallbacks = 0;   // tensors that could not take the requested quantization
    size_t vocabSize = 0;
};

// Writes `outFile` atomically. Supports LlamaForCausalLM / MistralForCausalLM (arch "llama",
// q/k rows permuted for llama.cpp's adjacent-pair RoPE) and Qwen2ForCausalLM (arch "qwen2").
// Norms, biases and 1-D tensors stay F32; Q8_0 falls back to F16 for rows that are not a
// multiple of 32, as llama.cpp's converter does. Throws Error(Unsupported) for what llama.cpp
// cannot represent (dynamic RoPE, a tokenizer that is neither sentencepiece nor byte-level BPE).
GgufExportReport exportGguf(const std::filesystem::path &modelDir,
                            const std::filesystem::path &adapterDir,
                            const std::filesystem::path &outFile,
                            const GgufExportOptions &options = {},
                            const ExportProgress &progress = {});

// A PEFT LoRA adapter as a llama.cpp adapter GGUF (general.type = adapter): F32 tensors
// blk.{i}.<module>.weight.lora_a [r, in] and .lora_b [out, r] (llama: lora_b's rows permuted
// like the base weight). llama.cpp scales by alpha / r, so an rsLoRA adapter is written with
// alpha · sqrt(r) to keep the same scaling.
GgufExportReport exportLoraGguf(const std::filesystem::path &adapterDir,
                                const std::filesystem::path &baseModelDir,
                                const std::filesystem::path &outFile,
                                const ExportProgress &progress = {});

// The llama converter's q/k permutation: rows of a [rows, cols] matrix (or a bias with cols
// = 1) regrouped per head from rotate-half pairs (i, i + d/2) to adjacent pairs (2i, 2i + 1).
std::vector<float> permuteRowsForLlama(const std::vector<float> &w, int64_t rows, int64_t cols,
                                       int64_t heads);

// GGUF tensor name for a Hugging Face tensor name ("model.layers.3.mlp.up_proj.weight" →
// "blk.3.ffn_up.weight"); empty when the tensor has no GGUF counterpart.
std::string ggufTensorName(const std::string &hfName);

// One piece of a sentencepiece ModelProto (tokenizer.model), parsed from the protobuf wire
// format. `type` uses sentencepiece's numbering, which GGUF's token_type shares: NORMAL=1
// UNKNOWN=2 CONTROL=3 USER_DEFINED=4 UNUSED=5 BYTE=6.
struct SentencePiece
{
    std::string piece;
    float score = 0;
    int type = 1;
};
// Throws Error(Parse) naming the file for a malformed protobuf.
std::vector<SentencePiece> readSentencePieceModel(const std::filesystem::path &file);

// Adds tokenizer.ggml.* (model, pre, tokens, scores, token_type, merges, special ids,
// add_bos/eos, chat_template) from the folder's tokenizer.model or tokenizer.json and
// tokenizer_config.json / config.json. Returns the vocabulary size written.
size_t addTokenizerMetadata(GgufWriter &writer, const std::filesystem::path &modelDir,
                            const ModelConfig &config);

} // namespace wb

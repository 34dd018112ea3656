#pragma once

// Supervised fine-tuning examples: dataset records rendered through a prompt template (and
// optionally the model's chat template), tokenized, with a loss mask over the response.
// Torch-free.

#include "data/dataset.h"

#include <nlohmann/json.hpp>

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

namespace wb {

class Tokenizer;
class ChatTemplate;

struct SftExample
{
    std::vector<int32_t> ids;
    std::vector<uint8_t> trainMask; // 1 where the token is a loss target
    std::string source;             // "row 12 q2" for messages
};

struct SftOptions
{
    std::string templateBody;   // prompt template (template.h syntax)
    const ChatTemplate *chat = nullptr; // wrap prompt/response as a user/assistant turn
    bool trainOnPrompt = false;
    int maxLength = 512;
    bool addEos = true; // end every response with the tokenizer's EOS
    // Fills `context` from each prompt's variables (retrieved passages for RAG); unset: "".
    std::function<std::string(const nlohmann::json &variables)> contextFor;
};

struct SftExamples
{
    std::vector<SftExample> examples;
    size_t rendered = 0;    // examples with a response, before truncation and drops
    size_t truncated = 0;   // examples cut at maxLength
    size_t dropped = 0;     // examples with no target token left after truncation, or no answer
    size_t records = 0;     // dataset records read
    int64_t targetTokens = 0;
    int64_t totalTokens = 0;
};

// The response a record trains towards, per prompt renderRecord makes: Logic → the rationale
// when the sub-question has one (with the answer line appended when it lacks it), otherwise the
// answer letter; Alpaca → output; Chat → the last assistant message.
// One example per sub-question for Logic records.
SftExamples buildSftExamples(DatasetFormat format, const std::vector<DatasetRecord> &records,
                             const Tokenizer &tokenizer, const SftOptions &options);

// Packs examples into sequences of at most maxLength tokens (first-fit in order), keeping each
// token's mask. Examples attend to earlier examples of the same sequence, as in LLaMA-Factory's
// default packing.
std::vector<SftExample> packExamples(const std::vector<SftExample> &examples, int maxLength);

} // namespace wb

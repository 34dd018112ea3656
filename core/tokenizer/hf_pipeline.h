#pragma once

#include "tokenizer/added_tokens.h"

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json_fwd.hpp>

// The stages of a Hugging Face tokenizer.json around its model: normalizer, pre-tokenizer,
// decoder and post-processor, built from their JSON. Each throws Error(Unsupported) naming a
// component type we do not implement, so an unknown file fails loudly instead of giving
// wrong ids.
namespace wb::tok {

class Normalizer
{
public:
    virtual ~Normalizer() = default;
    virtual std::string normalize(std::string text) const = 0;
};

// Null JSON gives nullptr (no normalizer).
std::unique_ptr<Normalizer> makeNormalizer(const nlohmann::json &j);

// A piece of text on its way to the model; after ByteLevel its text is in the GPT-2 alphabet.
struct PreToken
{
    std::string text;
    bool atStart = false;
};

class PreTokenizer
{
public:
    virtual ~PreTokenizer() = default;
    virtual void apply(std::vector<PreToken> &pieces) const = 0;
};

std::unique_ptr<PreTokenizer> makePreTokenizer(const nlohmann::json &j);

class Decoder
{
public:
    virtual ~Decoder() = default;
    virtual std::vector<std::string> decodeChain(std::vector<std::string> tokens) const = 0;
    // The bytes one token stands for, without rules that depend on its neighbours.
    virtual std::string tokenBytes(std::string token) const = 0;
};

std::unique_ptr<Decoder> makeDecoder(const nlohmann::json &j);

// What the post-processor adds around a single sequence when special tokens are requested.
struct PostProcessor
{
    bool present = false;       // a TemplateProcessing / Roberta / Bert processor was found
    std::vector<int32_t> prefix; // ids before the sequence
    std::vector<int32_t> suffix; // ids after it
};

PostProcessor makePostProcessor(const nlohmann::json &j);

} // namespace wb::tok

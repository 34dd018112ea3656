#pragma once

#include "tokenizer/added_tokens.h"
#include "tokenizer/hf_pipeline.h"
#include "tokenizer/token_model.h"
#include "tokenizer/tokenizer.h"

#include <filesystem>
#include <memory>
#include <unordered_map>

namespace wb {

// A Hugging Face tokenizer.json: normalizer, pre-tokenizer, model, post-processor, decoder.
// The model is BPE, byte-level (Qwen2, Llama-3, GPT-2) or sentencepiece-converted (Llama-2 /
// Mistral files with Metaspace and byte fallback), or WordPiece (BERT, MiniLM, bge, e5 with
// BertNormalizer and BertPreTokenizer).
class HfTokenizer final : public Tokenizer
{
public:
    // Throws Error(Parse) naming the file for corrupt JSON, Error(Unsupported) naming the model
    // or component type for what we do not implement.
    HfTokenizer(const std::filesystem::path &tokenizerJson, const tok::TokenizerConfig &config);

    std::vector<int32_t> encode(std::string_view text, bool addSpecialTokens = true) const override;
    std::string kind() const override { return m_model->kind(); }
    int32_t vocabSize() const override { return m_vocabSize; }
    std::optional<int32_t> tokenToId(std::string_view token) const override;
    std::string idToToken(int32_t id) const override;
    std::string decode(const std::vector<int32_t> &ids, bool skipSpecialTokens = false) const override;
    bool isSpecial(int32_t id) const override;
    SpecialIds specialIds() const override;
    std::string tokenBytes(int32_t id) const override;

private:
    void setUpAddedTokens(const nlohmann::json &addedTokens, const tok::TokenizerConfig &config);
    void setUpSpecialTokens(const tok::TokenizerConfig &config);
    void encodeText(std::string text, bool atStart, std::vector<int32_t> &out) const;

    std::unique_ptr<tok::TokenModel> m_model;
    std::unique_ptr<tok::Normalizer> m_normalizer;
    std::unique_ptr<tok::PreTokenizer> m_preTokenizer;
    std::unique_ptr<tok::Decoder> m_decoder;
    tok::PostProcessor m_postProcessor;

    std::unordered_map<int32_t, tok::AddedToken> m_added; // by id
    std::unordered_map<std::string, int32_t> m_addedByContent;
    std::unordered_map<int32_t, std::string> m_decodeForm; // normalized form of normalized tokens
    tok::AddedTokenMatcher m_rawMatcher;        // tokens with normalized = false
    tok::AddedTokenMatcher m_normalizedMatcher; // tokens with normalized = true
    int32_t m_vocabSize = 0;
};

} // namespace wb

#pragma once

#include "tokenizer/added_tokens.h"
#include "tokenizer/hf_pipeline.h"
#include "tokenizer/tokenizer.h"

#include <filesystem>
#include <memory>
#include <unordered_map>

#include "tokenizer/spm_processor.h"

namespace wb {

// A sentencepiece tokenizer.model (Llama-2, TinyLlama, Mistral): ids are sentencepiece's, with
// added tokens split out first and bos / eos added per tokenizer_config.json (bos by default,
// as transformers' LlamaTokenizer does). Decoding follows transformers' fast tokenizer for
// these models: pieces joined, U+2581 as space, byte pieces fused, one leading space dropped.
class SentencepieceTokenizer final : public Tokenizer
{
public:
    // Throws Error(Parse) naming the file when sentencepiece cannot load it.
    SentencepieceTokenizer(const std::filesystem::path &modelFile, const tok::TokenizerConfig &config);
    ~SentencepieceTokenizer() override;

    std::vector<int32_t> encode(std::string_view text, bool addSpecialTokens = true) const override;
    std::string kind() const override { return "sentencepiece"; }
    int32_t vocabSize() const override { return m_vocabSize; }
    std::optional<int32_t> tokenToId(std::string_view token) const override;
    std::string idToToken(int32_t id) const override;
    std::string decode(const std::vector<int32_t> &ids, bool skipSpecialTokens = false) const override;
    bool isSpecial(int32_t id) const override;
    SpecialIds specialIds() const override;
    std::string tokenBytes(int32_t id) const override;

private:
    void encodeSegment(const std::string &text, bool atStart, std::vector<int32_t> &out) const;

    std::unique_ptr<tok::SpmProcessor> m_sp;
    std::filesystem::path m_path;
    std::unordered_map<int32_t, tok::AddedToken> m_added;
    std::unordered_map<std::string, int32_t> m_addedByContent;
    tok::AddedTokenMatcher m_matcher;
    std::unique_ptr<tok::Decoder> m_decoder;
    int32_t m_pieceCount = 0;
    int32_t m_vocabSize = 0;
    bool m_addBos = true;
    bool m_addEos = false;
    bool m_legacy = true;
    bool m_dummyPrefix = true;
    std::string m_unkPiece;
    size_t m_unkPrefixIds = 0; // ids sentencepiece gives for m_unkPiece alone
};

} // namespace wb

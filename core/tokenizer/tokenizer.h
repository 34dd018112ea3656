#pragma once

#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace wb {

// A tokenizer whose ids equal Hugging Face's for the same model folder: byte-level BPE from
// tokenizer.json (Qwen2, Llama-3, and sentencepiece-converted BPE files), WordPiece from
// tokenizer.json (BERT-family encoders: bge, MiniLM, e5) or a sentencepiece tokenizer.model
// (Llama-2, TinyLlama, Mistral). Thread-safe for concurrent const use.
class Tokenizer
{
public:
    virtual ~Tokenizer() = default;

    // Loads from a model folder: tokenizer.json (preferred when present) or tokenizer.model,
    // plus tokenizer_config.json and special_tokens_map.json when present. Throws Error(Io)
    // when neither file exists, Error(Parse) for a corrupt file, Error(Unsupported) naming a
    // tokenizer component we do not implement.
    static std::unique_ptr<Tokenizer> load(const std::filesystem::path &dir);

    // Throws Error(Validation) when text is not valid UTF-8.
    virtual std::vector<int32_t> encode(std::string_view text, bool addSpecialTokens = true) const = 0;
    // Ids outside the vocabulary are skipped, as Hugging Face does. No
    // clean_up_tokenization_spaces: transformers 5 ignores it for BPE-backed tokenizers, which
    // all of these are there.
    virtual std::string decode(const std::vector<int32_t> &ids, bool skipSpecialTokens = false) const = 0;

    // The ids the post-processor puts before and after one sequence when special tokens are
    // added ([CLS] and [SEP] for BERT, BOS for Llama).
    struct SpecialIds
    {
        std::vector<int32_t> prefix, suffix;
    };
    virtual SpecialIds specialIds() const = 0;

    // encode(text, true) cut to at most maxLength ids as HF's truncation of one sequence does:
    // the text's ids lose their tail, the special tokens stay. maxLength smaller than the
    // special tokens alone throws Error(Validation).
    std::vector<int32_t> encodeTruncated(std::string_view text, size_t maxLength) const;

    virtual std::string kind() const = 0; // "bpe", "wordpiece" or "sentencepiece"
    virtual int32_t vocabSize() const = 0; // including added tokens
    virtual std::optional<int32_t> tokenToId(std::string_view token) const = 0;
    // Throws Error(Validation) for an id outside the vocabulary.
    virtual std::string idToToken(int32_t id) const = 0;
    virtual bool isSpecial(int32_t id) const = 0;

    std::optional<int32_t> bosId() const { return m_bosId; }
    std::vector<int32_t> eosIds() const { return m_eosIds; }
    std::optional<int32_t> padId() const { return m_padId; }
    std::string bosToken() const { return m_bosToken; }
    std::string eosToken() const { return m_eosToken; }

    // Raw bytes of one token as decoded, without the context-dependent rules (leading-space
    // stripping); may be part of a UTF-8 character. Special tokens give their text.
    virtual std::string tokenBytes(int32_t id) const = 0;

protected:
    std::optional<int32_t> m_bosId;
    std::vector<int32_t> m_eosIds;
    std::optional<int32_t> m_padId;
    std::string m_bosToken;
    std::string m_eosToken;
};

// Streaming detokenizer: push ids one by one and get back only complete UTF-8 text (never
// half a character; sentencepiece's leading-space rule and byte-fallback tokens such as
// <0xE4> handled). The text returned by all push() calls plus flush() equals
// decode(all ids) for any id sequence that decodes to valid UTF-8.
class StreamDecoder final
{
public:
    explicit StreamDecoder(const Tokenizer &tokenizer, bool skipSpecialTokens = false);

    std::string push(int32_t id);
    // Returns whatever is still held back (an incomplete character decodes to U+FFFD here)
    // and starts a new stream.
    std::string flush();

private:
    const Tokenizer &m_tokenizer;
    bool m_skipSpecial;
    std::vector<int32_t> m_ids;  // the window: the ids of the last emitted chunk, then pending
    size_t m_prefixCount = 0;    // how many of m_ids were already emitted
    std::string m_prefixText;    // decode of those
};

} // namespace wb

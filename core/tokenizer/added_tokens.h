#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

// Shared by both tokenizer kinds: the tokens a model adds on top of its vocabulary and how
// Hugging Face finds them in raw text, and what tokenizer_config.json says about them.
namespace wb::tok {

struct AddedToken
{
    int32_t id = -1;
    std::string content;
    bool singleWord = false;
    bool lstrip = false;
    bool rstrip = false;
    bool normalized = false;
    bool special = false;
};

// A piece of the input: either an added token (id set) or text still to tokenize.
struct Segment
{
    std::string text;
    std::optional<int32_t> id;
    bool atStart = false; // starts at offset 0 of the original text (Metaspace "first")
};

// Finds added tokens in text as HF's AddedVocabulary::find_matches does: leftmost-longest,
// non-overlapping; single_word matches next to a word character are dropped; lstrip / rstrip
// swallow the whitespace around the match.
class AddedTokenMatcher final
{
public:
    AddedTokenMatcher() = default;
    // `patterns[i]` is what is searched for `tokens[i]` (its normalized form when it has one).
    void build(std::vector<AddedToken> tokens, std::vector<std::string> patterns);
    bool empty() const { return m_tokens.empty(); }

    // Splits `text`; `atStart` says whether text starts the original input.
    std::vector<Segment> split(std::string_view text, bool atStart) const;

private:
    std::vector<AddedToken> m_tokens;
    std::vector<std::string> m_patterns;
    // Candidates by first byte, longest pattern first.
    std::unordered_map<unsigned char, std::vector<size_t>> m_byFirstByte;
};

// tokenizer_config.json + special_tokens_map.json. A token given as null is "" with the
// matching *Given flag set, so "explicitly none" differs from "not said".
struct TokenizerConfig
{
    std::optional<std::string> bosToken;
    std::optional<std::string> eosToken;
    std::optional<std::string> padToken;
    std::optional<std::string> unkToken;
    std::optional<bool> addBosToken;
    std::optional<bool> addEosToken;
    std::optional<bool> legacy;
    std::string tokenizerClass;
    std::vector<AddedToken> addedTokens; // added_tokens_decoder

    // Missing files give an empty config; corrupt ones throw Error(Parse) naming the file.
    static TokenizerConfig read(const std::filesystem::path &dir);
};

// Throws Error(Validation) naming the first bad byte.
void requireUtf8(std::string_view text);

} // namespace wb::tok

#pragma once

#include "tokenizer/token_model.h"

#include <unordered_map>

#include <nlohmann/json_fwd.hpp>

namespace wb::tok {

// The WordPiece model of a tokenizer.json (BERT, MiniLM, bge, e5): greedy longest match from
// the left, continuation pieces carry continuing_subword_prefix ("##"); a word with a part
// that matches nothing, or longer than max_input_chars_per_word characters, is one unk_token.
class WordPieceModel final : public TokenModel
{
public:
    // Throws Error(Parse) for a malformed model object or an unk_token not in the vocabulary.
    explicit WordPieceModel(const nlohmann::json &model);

    void tokenize(std::string_view word, std::vector<int32_t> &out) const override;
    std::optional<int32_t> tokenToId(std::string_view token) const override;
    const std::string *idToToken(int32_t id) const override;
    int32_t size() const override { return int32_t(m_idToToken.size()); }
    std::string kind() const override { return "wordpiece"; }

private:
    std::unordered_map<std::string, int32_t> m_vocab;
    std::vector<std::string> m_idToToken;
    std::string m_prefix = "##";
    size_t m_maxChars = 100;
    int32_t m_unkId = 0;
};

} // namespace wb::tok

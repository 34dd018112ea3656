#include "tokenizer/wordpiece_model.h"

#include "common/error.h"

#include <nlohmann/json.hpp>

namespace wb::tok {

using nlohmann::json;

namespace {

[[noreturn]] void bad(const std::string &what)
{
    throw Error(ErrorCode::Parse, "tokenizer.json: WordPiece model: " + what);
}

size_t countChars(std::string_view s)
{
    size_t n = 0;
    for (unsigned char c : s)
        n += (c & 0xC0) != 0x80;
    return n;
}

} // namespace

WordPieceModel::WordPieceModel(const json &model)
{
    Vocab vocab = readVocab(model, "WordPiece model");
    m_vocab = std::move(vocab.ids);
    m_idToToken = std::move(vocab.tokens);

    if (model.contains("continuing_subword_prefix")) {
        if (!model["continuing_subword_prefix"].is_string())
            bad("'continuing_subword_prefix' is not a string");
        m_prefix = model["continuing_subword_prefix"].get<std::string>();
    }
    if (model.contains("max_input_chars_per_word")) {
        const json &m = model["max_input_chars_per_word"];
        if (!m.is_number_integer() || m.get<int64_t>() < 0)
            bad("'max_input_chars_per_word' is not a non-negative integer");
        m_maxChars = m.get<size_t>();
    }
    const std::string unk = model.value("unk_token", std::string("[UNK]"));
    const auto it = m_vocab.find(unk);
    if (it == m_vocab.end())
        bad("unk_token '" + unk + "' is not in the vocabulary");
    m_unkId = it->second;
}

void WordPieceModel::tokenize(std::string_view word, std::vector<int32_t> &out) const
{
    if (word.empty())
        return;
    if (countChars(word) > m_maxChars) {
        out.push_back(m_unkId);
        return;
    }
    const size_t first = out.size();
    std::string candidate;
    size_t start = 0;
    while (start < word.size()) {
        // Longest piece starting at `start`, shrinking one character at a time.
        size_t end = word.size();
        std::optional<int32_t> found;
        while (end > start) {
            candidate.clear();
            if (start > 0)
                candidate = m_prefix;
            candidate.append(word.substr(start, end - start));
            if (const auto it = m_vocab.find(candidate); it != m_vocab.end()) {
                found = it->second;
                break;
            }
            do
                --end;
            while (end > start && (static_cast<unsigned char>(word[end]) & 0xC0) == 0x80);
        }
        if (!found) {
            out.resize(first);
            out.push_back(m_unkId);
            return;
        }
        out.push_back(*found);
        start = end;
    }
}

std::optional<int32_t> WordPieceModel::tokenToId(std::string_view token) const
{
    const auto it = m_vocab.find(std::string(token));
    if (it == m_vocab.end())
        return std::nullopt;
    return it->second;
}

const std::string *WordPieceModel::idToToken(int32_t id) const
{
    if (id < 0 || size_t(id) >= m_idToToken.size() || m_idToToken[size_t(id)].empty())
        return nullptr;
    return &m_idToToken[size_t(id)];
}

} // namespace wb::tok

#include "tokenizer/added_tokens.h"

#include "common/error.h"
#include "common/files.h"
#include "common/text.h"
#include "tokenizer/unicode.h"

#include <algorithm>

#include <nlohmann/json.hpp>

namespace wb::tok {

namespace {

bool endsWithWordChar(std::string_view s)
{
    // Step back to the start of the last code point.
    if (s.empty())
        return false;
    size_t start = s.size() - 1;
    while (start > 0 && (static_cast<unsigned char>(s[start]) & 0xC0) == 0x80)
        --start;
    size_t pos = start;
    char32_t cp = 0;
    return unicode::nextCodePoint(s, pos, cp) && unicode::isWordChar(cp);
}

bool startsWithWordChar(std::string_view s)
{
    size_t pos = 0;
    char32_t cp = 0;
    return !s.empty() && unicode::nextCodePoint(s, pos, cp) && unicode::isWordChar(cp);
}

// Start of the whitespace run that ends s (s.size() when there is none).
size_t trailingSpaceStart(std::string_view s)
{
    size_t end = s.size();
    while (end > 0) {
        size_t start = end - 1;
        while (start > 0 && (static_cast<unsigned char>(s[start]) & 0xC0) == 0x80)
            --start;
        size_t pos = start;
        char32_t cp = 0;
        if (!unicode::nextCodePoint(s, pos, cp) || !unicode::isWhitespace(cp))
            break;
        end = start;
    }
    return end;
}

size_t leadingSpaceLength(std::string_view s)
{
    size_t pos = 0;
    while (pos < s.size()) {
        size_t next = pos;
        char32_t cp = 0;
        if (!unicode::nextCodePoint(s, next, cp) || !unicode::isWhitespace(cp))
            break;
        pos = next;
    }
    return pos;
}

} // namespace

void AddedTokenMatcher::build(std::vector<AddedToken> tokens, std::vector<std::string> patterns)
{
    m_tokens = std::move(tokens);
    m_patterns = std::move(patterns);
    m_byFirstByte.clear();
    for (size_t i = 0; i < m_tokens.size(); ++i) {
        if (!m_patterns[i].empty())
            m_byFirstByte[static_cast<unsigned char>(m_patterns[i][0])].push_back(i);
    }
    for (auto &[byte, list] : m_byFirstByte) {
        std::stable_sort(list.begin(), list.end(), [this](size_t a, size_t b) {
            return m_patterns[a].size() > m_patterns[b].size();
        });
    }
}

std::vector<Segment> AddedTokenMatcher::split(std::string_view text, bool atStart) const
{
    std::vector<Segment> out;
    if (m_tokens.empty() || text.empty()) {
        out.push_back({std::string(text), std::nullopt, atStart});
        return out;
    }
    size_t segStart = 0; // end of the previous match: text before it is already emitted
    size_t pos = 0;
    while (pos < text.size()) {
        const auto it = m_byFirstByte.find(static_cast<unsigned char>(text[pos]));
        const size_t *found = nullptr;
        if (it != m_byFirstByte.end()) {
            for (const size_t &candidate : it->second) {
                const std::string &p = m_patterns[candidate];
                if (text.compare(pos, p.size(), p) == 0) {
                    found = &candidate;
                    break;
                }
            }
        }
        if (!found) {
            ++pos;
            continue;
        }
        const AddedToken &token = m_tokens[*found];
        size_t start = pos;
        size_t stop = pos + m_patterns[*found].size();
        pos = stop; // the search resumes after this match even when it is discarded
        if (token.singleWord) {
            const bool spaceBefore = start == 0 || !endsWithWordChar(text.substr(0, start));
            const bool spaceAfter = stop == text.size() || !startsWithWordChar(text.substr(stop));
            if (!spaceBefore || !spaceAfter)
                continue;
        }
        if (token.lstrip)
            start = std::max(trailingSpaceStart(text.substr(0, start)), segStart);
        if (token.rstrip)
            stop += leadingSpaceLength(text.substr(stop));
        if (segStart < start)
            out.push_back({std::string(text.substr(segStart, start - segStart)), std::nullopt,
                           atStart && segStart == 0});
        out.push_back({std::string(text.substr(start, stop - start)), token.id, false});
        segStart = stop;
        pos = stop;
    }
    if (segStart < text.size())
        out.push_back({std::string(text.substr(segStart)), std::nullopt, atStart && segStart == 0});
    return out;
}

namespace {

using nlohmann::json;

json readJsonFile(const std::filesystem::path &path)
{
    const std::string bytes = readFile(path);
    try {
        return json::parse(bytes);
    } catch (const json::exception &e) {
        throw Error(ErrorCode::Parse,
                    path.filename().string() + " is not valid JSON: " + e.what(), path.string());
    }
}

// A special token is written as a string, as null, or as an AddedToken object.
std::optional<std::string> tokenValue(const json &v)
{
    if (v.is_string())
        return v.get<std::string>();
    if (v.is_null())
        return std::string();
    if (v.is_object() && v.contains("content") && v["content"].is_string())
        return v["content"].get<std::string>();
    return std::nullopt;
}

void readSpecialTokens(const json &j, TokenizerConfig &config)
{
    const std::pair<const char *, std::optional<std::string> TokenizerConfig::*> keys[] = {
        {"bos_token", &TokenizerConfig::bosToken},
        {"eos_token", &TokenizerConfig::eosToken},
        {"pad_token", &TokenizerConfig::padToken},
        {"unk_token", &TokenizerConfig::unkToken},
    };
    for (const auto &[key, member] : keys) {
        if (j.contains(key)) {
            if (auto value = tokenValue(j[key]))
                config.*member = *value;
        }
    }
}

std::optional<bool> optionalBool(const json &j, const char *key)
{
    if (j.contains(key) && j[key].is_boolean())
        return j[key].get<bool>();
    return std::nullopt;
}

} // namespace

TokenizerConfig TokenizerConfig::read(const std::filesystem::path &dir)
{
    TokenizerConfig config;
    const auto configPath = dir / "tokenizer_config.json";
    if (std::filesystem::exists(configPath)) {
        const json j = readJsonFile(configPath);
        if (!j.is_object())
            throw Error(ErrorCode::Parse, "tokenizer_config.json is not a JSON object",
                        configPath.string());
        readSpecialTokens(j, config);
        config.addBosToken = optionalBool(j, "add_bos_token");
        config.addEosToken = optionalBool(j, "add_eos_token");
        config.legacy = optionalBool(j, "legacy");
        if (j.contains("tokenizer_class") && j["tokenizer_class"].is_string())
            config.tokenizerClass = j["tokenizer_class"].get<std::string>();
        if (j.contains("added_tokens_decoder") && j["added_tokens_decoder"].is_object()) {
            for (const auto &[key, value] : j["added_tokens_decoder"].items()) {
                AddedToken token;
                try {
                    token.id = std::stoi(key);
                } catch (const std::exception &) {
                    throw Error(ErrorCode::Parse,
                                "tokenizer_config.json: added_tokens_decoder key '" + key
                                    + "' is not a token id",
                                configPath.string());
                }
                if (!value.is_object() || !value.contains("content") || !value["content"].is_string())
                    throw Error(ErrorCode::Parse,
                                "tokenizer_config.json: added token " + key + " has no content",
                                configPath.string());
                token.content = value["content"].get<std::string>();
                token.singleWord = value.value("single_word", false);
                token.lstrip = value.value("lstrip", false);
                token.rstrip = value.value("rstrip", false);
                token.normalized = value.value("normalized", false);
                token.special = value.value("special", false);
                config.addedTokens.push_back(std::move(token));
            }
        }
    }
    // transformers lets special_tokens_map.json override the config's special tokens.
    const auto mapPath = dir / "special_tokens_map.json";
    if (std::filesystem::exists(mapPath)) {
        const json j = readJsonFile(mapPath);
        if (j.is_object())
            readSpecialTokens(j, config);
    }
    return config;
}

void requireUtf8(std::string_view text)
{
    const size_t bad = findInvalidUtf8(text);
    if (bad != std::string_view::npos)
        throw Error(ErrorCode::Validation,
                    "text to tokenize is not valid UTF-8 (bad byte at offset " + std::to_string(bad)
                        + ")");
}

} // namespace wb::tok

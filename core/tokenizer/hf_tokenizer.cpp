#include "tokenizer/hf_tokenizer.h"

#include "tokenizer/bpe_model.h"
#include "tokenizer/wordpiece_model.h"

#include "common/error.h"
#include "common/files.h"

#include <nlohmann/json.hpp>

namespace wb {

using nlohmann::json;

namespace {

// transformers' Llama-family tokenizer classes rebuild the post-processor from
// add_bos_token / add_eos_token; other classes keep the one in tokenizer.json.
bool flagsOverrideTemplate(const std::string &tokenizerClass)
{
    for (const char *name : {"LlamaTokenizer", "LlamaTokenizerFast", "CodeLlamaTokenizer",
                             "CodeLlamaTokenizerFast", "GemmaTokenizer", "GemmaTokenizerFast"}) {
        if (tokenizerClass == name)
            return true;
    }
    return false;
}

} // namespace

HfTokenizer::HfTokenizer(const std::filesystem::path &tokenizerJson, const tok::TokenizerConfig &config)
{
    const std::string bytes = readFile(tokenizerJson);
    json j;
    try {
        j = json::parse(bytes);
    } catch (const json::exception &e) {
        throw Error(ErrorCode::Parse, "tokenizer.json is not valid JSON: " + std::string(e.what()),
                    tokenizerJson.string());
    }
    try {
        if (!j.is_object() || !j.contains("model") || !j["model"].is_object())
            throw Error(ErrorCode::Parse, "tokenizer.json has no 'model' object");
        const json &model = j["model"];
        std::string type = model.value("type", std::string());
        if (type.empty() && model.contains("merges"))
            type = "BPE"; // files from before the type field
        if (type.empty() && model.contains("max_input_chars_per_word"))
            type = "WordPiece";
        if (type == "BPE")
            m_model = std::make_unique<tok::BpeModel>(model);
        else if (type == "WordPiece")
            m_model = std::make_unique<tok::WordPieceModel>(model);
        else
            throw Error(ErrorCode::Unsupported,
                        "tokenizer.json: model type '" + (type.empty() ? std::string("unknown") : type)
                            + "' is not supported (BPE and WordPiece are; sentencepiece models "
                              "load from tokenizer.model)");
        m_normalizer = tok::makeNormalizer(j.value("normalizer", json()));
        m_preTokenizer = tok::makePreTokenizer(j.value("pre_tokenizer", json()));
        m_decoder = tok::makeDecoder(j.value("decoder", json()));
        m_postProcessor = tok::makePostProcessor(j.value("post_processor", json()));
        setUpAddedTokens(j.value("added_tokens", json::array()), config);
    } catch (const Error &e) {
        // Name the file: the same message from two model folders must be told apart.
        throw Error(e.code(), e.message(), tokenizerJson.string());
    } catch (const json::exception &e) {
        throw Error(ErrorCode::Parse, "tokenizer.json: " + std::string(e.what()), tokenizerJson.string());
    }
    setUpSpecialTokens(config);
}

void HfTokenizer::setUpAddedTokens(const json &addedTokens, const tok::TokenizerConfig &config)
{
    auto addToken = [this](tok::AddedToken token) {
        if (token.content.empty() || m_addedByContent.count(token.content))
            return;
        m_addedByContent.emplace(token.content, token.id);
        m_added[token.id] = std::move(token);
    };
    for (const json &t : addedTokens) {
        tok::AddedToken token;
        token.id = t.at("id").get<int32_t>();
        token.content = t.at("content").get<std::string>();
        token.singleWord = t.value("single_word", false);
        token.lstrip = t.value("lstrip", false);
        token.rstrip = t.value("rstrip", false);
        token.normalized = t.value("normalized", !t.value("special", false));
        token.special = t.value("special", false);
        addToken(std::move(token));
    }
    // transformers adds the config's added_tokens_decoder and its named special tokens too.
    for (const tok::AddedToken &token : config.addedTokens)
        addToken(token);
    for (const auto *name : {&config.bosToken, &config.eosToken, &config.unkToken, &config.padToken}) {
        if (!*name || (*name)->empty() || m_addedByContent.count(**name))
            continue;
        if (auto id = m_model->tokenToId(**name)) {
            tok::AddedToken token;
            token.id = *id;
            token.content = **name;
            token.special = true;
            addToken(std::move(token));
        }
    }

    std::vector<tok::AddedToken> raw, normalized;
    std::vector<std::string> rawPatterns, normalizedPatterns;
    m_vocabSize = m_model->size();
    for (const auto &[id, token] : m_added) {
        m_vocabSize = std::max(m_vocabSize, id + 1);
        if (token.normalized) {
            std::string form = m_normalizer ? m_normalizer->normalize(token.content) : token.content;
            if (form != token.content)
                m_decodeForm[id] = form;
            normalized.push_back(token);
            normalizedPatterns.push_back(std::move(form));
        } else {
            raw.push_back(token);
            rawPatterns.push_back(token.content);
        }
    }
    m_rawMatcher.build(std::move(raw), std::move(rawPatterns));
    m_normalizedMatcher.build(std::move(normalized), std::move(normalizedPatterns));
}

void HfTokenizer::setUpSpecialTokens(const tok::TokenizerConfig &config)
{
    auto resolve = [this](const std::optional<std::string> &token, std::string &text) -> std::optional<int32_t> {
        if (!token || token->empty())
            return std::nullopt;
        text = *token;
        return tokenToId(*token);
    };
    std::string padText;
    m_bosId = resolve(config.bosToken, m_bosToken);
    if (auto eos = resolve(config.eosToken, m_eosToken))
        m_eosIds = {*eos};
    m_padId = resolve(config.padToken, padText);

    const bool haveFlags = config.addBosToken.has_value() || config.addEosToken.has_value();
    if (!m_postProcessor.present || (haveFlags && flagsOverrideTemplate(config.tokenizerClass))) {
        m_postProcessor = {};
        if (config.addBosToken.value_or(false) && m_bosId) {
            m_postProcessor.present = true;
            m_postProcessor.prefix.push_back(*m_bosId);
        }
        if (config.addEosToken.value_or(false) && !m_eosIds.empty()) {
            m_postProcessor.present = true;
            m_postProcessor.suffix.push_back(m_eosIds.front());
        }
    }
}

std::vector<int32_t> HfTokenizer::encode(std::string_view text, bool addSpecialTokens) const
{
    tok::requireUtf8(text);
    std::vector<int32_t> ids;
    ids.reserve(text.size() / 3 + 4);
    if (addSpecialTokens)
        ids.insert(ids.end(), m_postProcessor.prefix.begin(), m_postProcessor.prefix.end());
    // Added tokens are found first in the raw text, then the rest is normalized and searched
    // again for tokens that match their normalized form (HF's extract_and_normalize).
    for (tok::Segment &segment : m_rawMatcher.split(text, true)) {
        if (segment.id) {
            ids.push_back(*segment.id);
            continue;
        }
        std::string normalized = m_normalizer ? m_normalizer->normalize(std::move(segment.text))
                                              : std::move(segment.text);
        for (tok::Segment &piece : m_normalizedMatcher.split(normalized, segment.atStart)) {
            if (piece.id)
                ids.push_back(*piece.id);
            else
                encodeText(std::move(piece.text), piece.atStart, ids);
        }
    }
    if (addSpecialTokens)
        ids.insert(ids.end(), m_postProcessor.suffix.begin(), m_postProcessor.suffix.end());
    return ids;
}

void HfTokenizer::encodeText(std::string text, bool atStart, std::vector<int32_t> &out) const
{
    if (text.empty())
        return;
    std::vector<tok::PreToken> pieces;
    pieces.push_back({std::move(text), atStart});
    if (m_preTokenizer)
        m_preTokenizer->apply(pieces);
    for (const tok::PreToken &piece : pieces)
        m_model->tokenize(piece.text, out);
}

std::string HfTokenizer::decode(const std::vector<int32_t> &ids, bool skipSpecialTokens) const
{
    std::vector<std::string> tokens;
    tokens.reserve(ids.size());
    for (int32_t id : ids) {
        if (const auto it = m_added.find(id); it != m_added.end()) {
            if (skipSpecialTokens && it->second.special)
                continue;
            const auto form = m_decodeForm.find(id);
            tokens.push_back(form != m_decodeForm.end() ? form->second : it->second.content);
        } else if (const std::string *token = m_model->idToToken(id); token && !token->empty()) {
            tokens.push_back(*token);
        }
    }
    if (!m_decoder) {
        std::string out;
        for (size_t i = 0; i < tokens.size(); ++i)
            out += (i ? " " : "") + tokens[i];
        return out;
    }
    std::string out;
    for (const std::string &piece : m_decoder->decodeChain(std::move(tokens)))
        out += piece;
    return out;
}

std::optional<int32_t> HfTokenizer::tokenToId(std::string_view token) const
{
    if (const auto it = m_addedByContent.find(std::string(token)); it != m_addedByContent.end())
        return it->second;
    return m_model->tokenToId(token);
}

std::string HfTokenizer::idToToken(int32_t id) const
{
    if (const auto it = m_added.find(id); it != m_added.end())
        return it->second.content;
    if (const std::string *token = m_model->idToToken(id); token && !token->empty())
        return *token;
    throw Error(ErrorCode::Validation, "token id " + std::to_string(id)
                                           + " is not in the vocabulary (size "
                                           + std::to_string(m_vocabSize) + ")");
}

Tokenizer::SpecialIds HfTokenizer::specialIds() const
{
    return {m_postProcessor.prefix, m_postProcessor.suffix};
}

bool HfTokenizer::isSpecial(int32_t id) const
{
    const auto it = m_added.find(id);
    return it != m_added.end() && it->second.special;
}

std::string HfTokenizer::tokenBytes(int32_t id) const
{
    if (const auto it = m_added.find(id); it != m_added.end() && it->second.special)
        return it->second.content;
    std::string token = idToToken(id);
    return m_decoder ? m_decoder->tokenBytes(std::move(token)) : token;
}

} // namespace wb

#include "tokenizer/sentencepiece_tokenizer.h"

#include "common/error.h"

#include <nlohmann/json.hpp>

namespace wb {

namespace {

constexpr std::string_view kSpaceSymbol = "\u2581";

} // namespace

SentencepieceTokenizer::SentencepieceTokenizer(const std::filesystem::path &modelFile,
                                               const tok::TokenizerConfig &config)
    : m_sp(std::make_unique<tok::SpmProcessor>()), m_path(modelFile)
{
    m_sp->load(modelFile);
    m_pieceCount = m_sp->pieceSize();
    m_vocabSize = m_pieceCount;

    // add_dummy_prefix lives in the model's normalizer spec, which the public API does not
    // expose: a leading U+2581 on a one-letter encoding reveals it.
    m_dummyPrefix = m_sp->firstPiece("a").rfind(kSpaceSymbol, 0) == 0;

    auto piece = [this](int id) { return id >= 0 ? m_sp->idToPiece(id) : std::string(); };
    const std::string bos = config.bosToken.value_or(piece(m_sp->bosId()));
    const std::string eos = config.eosToken.value_or(piece(m_sp->eosId()));
    const std::string unk = config.unkToken.value_or(piece(m_sp->unkId()));
    const std::string pad = config.padToken.value_or(piece(m_sp->padId()));
    m_addBos = config.addBosToken.value_or(true);
    m_addEos = config.addEosToken.value_or(false);
    m_legacy = config.legacy.value_or(true);

    for (const tok::AddedToken &token : config.addedTokens) {
        if (token.content.empty() || m_addedByContent.count(token.content))
            continue;
        m_addedByContent.emplace(token.content, token.id);
        m_added[token.id] = token;
        m_vocabSize = std::max(m_vocabSize, token.id + 1);
    }
    // The named special tokens are split out of the text even when the config does not list
    // them (sentencepiece itself never matches control symbols in text).
    for (const std::string *name : {&bos, &eos, &unk, &pad}) {
        if (name->empty() || m_addedByContent.count(*name))
            continue;
        if (auto id = tokenToId(*name)) {
            tok::AddedToken token;
            token.id = *id;
            token.content = *name;
            token.special = true;
            m_addedByContent.emplace(token.content, token.id);
            m_added[token.id] = token;
        }
    }
    std::vector<tok::AddedToken> tokens;
    std::vector<std::string> patterns;
    for (const auto &[id, token] : m_added) {
        tokens.push_back(token);
        patterns.push_back(token.content);
    }
    m_matcher.build(std::move(tokens), std::move(patterns));

    if (!bos.empty())
        m_bosId = tokenToId(bos);
    m_bosToken = m_bosId ? bos : std::string();
    if (auto id = eos.empty() ? std::nullopt : tokenToId(eos)) {
        m_eosIds = {*id};
        m_eosToken = eos;
    }
    if (!pad.empty())
        m_padId = tokenToId(pad);

    m_unkPiece = piece(m_sp->unkId());
    if (!m_unkPiece.empty())
        m_unkPrefixIds = m_sp->encode(m_unkPiece).size();

    // The decoder transformers builds for these models (LlamaConverter).
    nlohmann::json decoders = nlohmann::json::array();
    decoders.push_back({{"type", "Replace"}, {"pattern", {{"String", kSpaceSymbol}}}, {"content", " "}});
    decoders.push_back({{"type", "ByteFallback"}});
    decoders.push_back({{"type", "Fuse"}});
    if (m_dummyPrefix)
        decoders.push_back({{"type", "Strip"}, {"content", " "}, {"start", 1}, {"stop", 0}});
    m_decoder = tok::makeDecoder({{"type", "Sequence"}, {"decoders", decoders}});
}

SentencepieceTokenizer::~SentencepieceTokenizer() = default;

std::vector<int32_t> SentencepieceTokenizer::encode(std::string_view text, bool addSpecialTokens) const
{
    tok::requireUtf8(text);
    std::vector<int32_t> ids;
    if (addSpecialTokens && m_addBos && m_bosId)
        ids.push_back(*m_bosId);
    for (const tok::Segment &segment : m_matcher.split(text, true)) {
        if (segment.id)
            ids.push_back(*segment.id);
        else
            encodeSegment(segment.text, segment.atStart, ids);
    }
    if (addSpecialTokens && m_addEos && !m_eosIds.empty())
        ids.push_back(m_eosIds.front());
    return ids;
}

void SentencepieceTokenizer::encodeSegment(const std::string &text, bool atStart,
                                           std::vector<int32_t> &out) const
{
    if (text.empty())
        return;
    std::vector<int> ids;
    size_t skip = 0;
    if (!m_legacy && !atStart && m_dummyPrefix && m_unkPrefixIds > 0) {
        // legacy = false: text after an added token gets no dummy "▁". transformers encodes
        // "<unk>" + text and drops the ids of "<unk>"; so do we.
        skip = m_unkPrefixIds;
        ids = m_sp->encode(m_unkPiece + text);
    } else {
        ids = m_sp->encode(text);
    }
    for (size_t i = std::min(skip, ids.size()); i < ids.size(); ++i)
        out.push_back(ids[i]);
}

std::string SentencepieceTokenizer::decode(const std::vector<int32_t> &ids, bool skipSpecialTokens) const
{
    std::vector<std::string> tokens;
    tokens.reserve(ids.size());
    for (int32_t id : ids) {
        if (id < 0 || id >= m_vocabSize)
            continue;
        if (skipSpecialTokens && isSpecial(id))
            continue;
        if (const auto it = m_added.find(id); it != m_added.end())
            tokens.push_back(it->second.content);
        else if (id < m_pieceCount)
            tokens.push_back(m_sp->idToPiece(id));
    }
    std::string out;
    for (const std::string &piece : m_decoder->decodeChain(std::move(tokens)))
        out += piece;
    return out;
}

std::optional<int32_t> SentencepieceTokenizer::tokenToId(std::string_view token) const
{
    if (const auto it = m_addedByContent.find(std::string(token)); it != m_addedByContent.end())
        return it->second;
    const int id = m_sp->pieceToId(token);
    // PieceToId answers unk_id for anything unknown.
    if (id < 0 || (id == m_sp->unkId() && m_sp->idToPiece(id) != token))
        return std::nullopt;
    return id;
}

std::string SentencepieceTokenizer::idToToken(int32_t id) const
{
    if (const auto it = m_added.find(id); it != m_added.end())
        return it->second.content;
    if (id >= 0 && id < m_pieceCount)
        return m_sp->idToPiece(id);
    throw Error(ErrorCode::Validation, "token id " + std::to_string(id)
                                           + " is not in the vocabulary (size "
                                           + std::to_string(m_vocabSize) + ")");
}

Tokenizer::SpecialIds SentencepieceTokenizer::specialIds() const
{
    SpecialIds ids;
    if (m_addBos && m_bosId)
        ids.prefix.push_back(*m_bosId);
    if (m_addEos && !m_eosIds.empty())
        ids.suffix.push_back(m_eosIds.front());
    return ids;
}

bool SentencepieceTokenizer::isSpecial(int32_t id) const
{
    if (const auto it = m_added.find(id); it != m_added.end())
        return it->second.special;
    return id >= 0 && id < m_pieceCount && (m_sp->isControl(id) || m_sp->isUnknown(id));
}

std::string SentencepieceTokenizer::tokenBytes(int32_t id) const
{
    if (isSpecial(id))
        return idToToken(id);
    return m_decoder->tokenBytes(idToToken(id));
}

} // namespace wb

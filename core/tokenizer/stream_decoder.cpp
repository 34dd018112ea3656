#include "tokenizer/tokenizer.h"
#include "tokenizer/unicode.h"

namespace wb {

namespace {

bool endsWith(std::string_view s, std::string_view tail)
{
    return s.size() >= tail.size() && s.substr(s.size() - tail.size()) == tail;
}

} // namespace

StreamDecoder::StreamDecoder(const Tokenizer &tokenizer, bool skipSpecialTokens)
    : m_tokenizer(tokenizer), m_skipSpecial(skipSpecialTokens)
{
}

std::string StreamDecoder::push(int32_t id)
{
    // Decode a small window (the previous chunk's ids plus the new ones) and emit what it adds
    // to the previous chunk: context-dependent rules (a stripped leading space, byte pieces
    // forming one character) see the same neighbours as in a full decode.
    m_ids.push_back(id);
    std::string text = m_tokenizer.decode(m_ids, m_skipSpecial);
    if (text.size() <= m_prefixText.size() || endsWith(text, unicode::kReplacementChar))
        return {}; // nothing new yet, or an incomplete character: wait for more bytes
    // The window's text extends the previous chunk's text except after invalid byte
    // sequences, where a decode may rewrite earlier replacement characters; what was emitted
    // cannot be taken back, so the new part is measured by length either way.
    std::string chunk = text.substr(m_prefixText.size());
    m_ids.erase(m_ids.begin(), m_ids.begin() + std::ptrdiff_t(m_prefixCount));
    m_prefixCount = m_ids.size();
    m_prefixText = m_tokenizer.decode(m_ids, m_skipSpecial);
    return chunk;
}

std::string StreamDecoder::flush()
{
    std::string chunk;
    const std::string text = m_tokenizer.decode(m_ids, m_skipSpecial);
    if (text.size() > m_prefixText.size())
        chunk = text.substr(m_prefixText.size());
    m_ids.clear();
    m_prefixCount = 0;
    m_prefixText.clear();
    return chunk;
}

} // namespace wb

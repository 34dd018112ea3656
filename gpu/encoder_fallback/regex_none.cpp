// tokenizer/regex.h for machines without PCRE2's headers (see gpu/CMakeLists.txt): plain
// strings work, every pattern is refused when the tokenizer is loaded. BERT's WordPiece pipeline (BertNormalizer,
// BertPreTokenizer, WordPiece, TemplateProcessing) compiles none; byte-level BPE and Split
// pre-tokenizers do.

#include "tokenizer/regex.h"

#include "common/error.h"

namespace wb::tok {

struct Regex::Impl
{
    std::string literal;
};

// Plain strings (tokenizer.json's {"String": ...}, such as Metaspace's "▁") need no regex
// engine; patterns are refused.
Regex::Regex(std::string_view pattern, bool literal)
{
    if (!literal)
        throw Error(ErrorCode::Unsupported,
                    "this build of the encoder has no PCRE2 (gpu/encoder_fallback), so the regex '"
                        + std::string(pattern)
                        + "' in tokenizer.json cannot run; install libpcre2-dev and libicu-dev and configure again");
    m_impl = std::make_unique<Impl>();
    m_impl->literal = std::string(pattern);
}

Regex::~Regex() = default;

std::vector<std::pair<size_t, size_t>> Regex::findAll(std::string_view text) const
{
    std::vector<std::pair<size_t, size_t>> out;
    const std::string &lit = m_impl->literal;
    if (lit.empty())
        return out;
    for (size_t at = text.find(lit); at != std::string_view::npos; at = text.find(lit, at + lit.size()))
        out.emplace_back(at, at + lit.size());
    return out;
}

} // namespace wb::tok

// tokenizer/regex.h for machines without PCRE2's headers (see gpu/CMakeLists.txt): every
// pattern is refused when the tokenizer is loaded. BERT's WordPiece pipeline (BertNormalizer,
// BertPreTokenizer, WordPiece, TemplateProcessing) compiles none; byte-level BPE and Split
// pre-tokenizers do.

#include "tokenizer/regex.h"

#include "common/error.h"

namespace wb::tok {

struct Regex::Impl
{
};

Regex::Regex(std::string_view pattern, bool literal)
{
    throw Error(ErrorCode::Unsupported,
                std::string("this build of the encoder has no PCRE2 (gpu/encoder_fallback), so the ")
                    + (literal ? "string " : "regex ") + "'" + std::string(pattern)
                    + "' in tokenizer.json cannot run; install libpcre2-dev and libicu-dev and configure again");
}

Regex::~Regex() = default;

std::vector<std::pair<size_t, size_t>> Regex::findAll(std::string_view) const { return {}; }

std::string Regex::replaceAll(std::string_view text, std::string_view) const { return std::string(text); }

} // namespace wb::tok

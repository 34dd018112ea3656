#include "tokenizer/regex.h"

#include "common/error.h"

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>

namespace wb::tok {

namespace {

// Oniguruma's \s (used by HF tokenizers) is Unicode White_Space, which includes U+0085; PCRE2's
// UCP \s is "Z or \t\n\v\f\r" and leaves U+0085 out. Rewrite \s / \S so both agree.
std::string onigToPcre(std::string_view pattern)
{
    std::string out;
    out.reserve(pattern.size() + 16);
    bool inClass = false;
    for (size_t i = 0; i < pattern.size(); ++i) {
        const char c = pattern[i];
        if (c == '\\' && i + 1 < pattern.size()) {
            const char n = pattern[i + 1];
            ++i;
            if (n == 's')
                out += inClass ? "\\s\\x{85}" : "[\\s\\x{85}]";
            else if (n == 'S' && !inClass)
                out += "[^\\s\\x{85}]";
            else {
                out += '\\';
                out += n;
            }
            continue;
        }
        if (!inClass && c == '[') {
            inClass = true;
            out += c;
            // A ']' right after '[' or '[^' is a literal inside the class.
            if (i + 1 < pattern.size() && pattern[i + 1] == '^') {
                out += '^';
                ++i;
            }
            if (i + 1 < pattern.size() && pattern[i + 1] == ']') {
                out += ']';
                ++i;
            }
            continue;
        }
        if (inClass && c == ']')
            inClass = false;
        out += c;
    }
    return out;
}

} // namespace

struct Regex::Impl
{
    pcre2_code *code = nullptr;
    std::string pattern;
};

Regex::Regex(std::string_view pattern, bool literal) : m_impl(std::make_unique<Impl>())
{
    m_impl->pattern = std::string(pattern);
    const std::string source = literal ? std::string(pattern) : onigToPcre(pattern);
    int errorCode = 0;
    PCRE2_SIZE errorOffset = 0;
    const uint32_t options = PCRE2_UTF | (literal ? PCRE2_LITERAL : PCRE2_UCP);
    m_impl->code = pcre2_compile(reinterpret_cast<PCRE2_SPTR>(source.data()), source.size(), options,
                                 &errorCode, &errorOffset, nullptr);
    if (!m_impl->code) {
        PCRE2_UCHAR message[256];
        pcre2_get_error_message(errorCode, message, sizeof message);
        throw Error(ErrorCode::Parse,
                    "tokenizer regex does not compile at offset " + std::to_string(errorOffset) + ": "
                        + reinterpret_cast<const char *>(message) + " (pattern: "
                        + std::string(pattern) + ")");
    }
    // JIT is a large speed-up for the pre-tokenizer; without it matching still works.
    pcre2_jit_compile(m_impl->code, PCRE2_JIT_COMPLETE);
}

Regex::~Regex()
{
    pcre2_code_free(m_impl->code);
}

std::vector<std::pair<size_t, size_t>> Regex::findAll(std::string_view text) const
{
    std::vector<std::pair<size_t, size_t>> out;
    pcre2_match_data *data = pcre2_match_data_create_from_pattern(m_impl->code, nullptr);
    const auto *subject = reinterpret_cast<PCRE2_SPTR>(text.data());
    size_t offset = 0;
    while (offset <= text.size()) {
        const int rc = pcre2_match(m_impl->code, subject, text.size(), offset, PCRE2_NO_UTF_CHECK,
                                   data, nullptr);
        if (rc < 0) {
            if (rc == PCRE2_ERROR_NOMATCH)
                break;
            pcre2_match_data_free(data);
            throw Error(ErrorCode::Internal,
                        "tokenizer regex failed with PCRE2 error " + std::to_string(rc));
        }
        const PCRE2_SIZE *ov = pcre2_get_ovector_pointer(data);
        const size_t begin = ov[0], end = ov[1];
        if (end > begin) {
            out.emplace_back(begin, end);
            offset = end;
        } else {
            // Empty match: step over one code point.
            offset = begin + 1;
            while (offset < text.size() && (static_cast<unsigned char>(text[offset]) & 0xC0) == 0x80)
                ++offset;
        }
    }
    pcre2_match_data_free(data);
    return out;
}

} // namespace wb::tok

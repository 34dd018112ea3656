#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace wb {

// What a byte buffer looks like as text, for clear import messages.
struct TextCheck
{
    bool empty = false;           // zero bytes (or only whitespace)
    bool binary = false;          // NUL bytes or many control characters
    bool utf8Bom = false;         // starts with EF BB BF
    bool crlf = false;            // uses \r\n line endings
    bool validUtf8 = true;
    bool looksGb18030 = false;    // not UTF-8 but decodes cleanly as GBK/GB18030
    size_t firstBadOffset = 0;    // offset of the first invalid UTF-8 byte
    size_t firstBadLine = 0;      // 1-based line of that byte
};

TextCheck checkText(std::string_view bytes);

// Returns the offset of the first invalid UTF-8 sequence, or npos when valid.
size_t findInvalidUtf8(std::string_view s);
inline bool isValidUtf8(std::string_view s) { return findInvalidUtf8(s) == std::string_view::npos; }

// True when the bytes decode as GB18030/GBK (two- and four-byte forms) with at least one
// multibyte character: the usual encoding of Chinese files saved by older Windows tools.
bool looksLikeGb18030(std::string_view s);

// Number of Unicode code points in valid UTF-8.
size_t utf8Length(std::string_view s);

// Splits into lines without their terminators ("\n" or "\r\n").
std::vector<std::string_view> splitLines(std::string_view text);

std::string trim(std::string_view s);

} // namespace wb

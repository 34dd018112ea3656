#pragma once

// Unicode helpers for the chat-template interpreter: Python strings count, slice and strip
// code points, not bytes, so a Chinese message must not be cut inside a UTF-8 sequence.

#include <string>
#include <string_view>

namespace wb::jinja {

// Invalid UTF-8 bytes decode to U+DC80..U+DCFF (Python's surrogateescape) and encode back to
// the same byte, so odd input survives a round trip unchanged.
std::u32string decodeUtf8(std::string_view s);
std::string encodeUtf8(std::u32string_view s);
void appendUtf8(std::string &out, char32_t c);
size_t codePointCount(std::string_view s);

bool isPySpace(char32_t c); // str.isspace()
bool isCased(char32_t c);   // has an upper/lower case partner (the scripts we map)
char32_t toUpper(char32_t c);
char32_t toLower(char32_t c);

std::string upper(std::string_view s);
std::string lower(std::string_view s);
std::string pyTitle(std::string_view s);    // str.title()
std::string jinjaTitle(std::string_view s); // the |title filter (splits on -, space, brackets)
std::string capitalize(std::string_view s); // str.capitalize()
// str.strip / lstrip / rstrip; chars == nullptr strips whitespace.
std::string strip(std::string_view s, const std::string *chars, bool left, bool right);

} // namespace wb::jinja

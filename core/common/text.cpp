#include "common/text.h"

#include <cstdint>

namespace wb {

size_t findInvalidUtf8(std::string_view s)
{
    const auto *p = reinterpret_cast<const unsigned char *>(s.data());
    const size_t n = s.size();
    size_t i = 0;
    while (i < n) {
        const unsigned char c = p[i];
        if (c < 0x80) {
            ++i;
            continue;
        }
        size_t len;
        uint32_t cp;
        if ((c & 0xE0) == 0xC0) {
            len = 2;
            cp = c & 0x1F;
        } else if ((c & 0xF0) == 0xE0) {
            len = 3;
            cp = c & 0x0F;
        } else if ((c & 0xF8) == 0xF0) {
            len = 4;
            cp = c & 0x07;
        } else {
            return i;
        }
        if (i + len > n)
            return i;
        for (size_t k = 1; k < len; ++k) {
            if ((p[i + k] & 0xC0) != 0x80)
                return i;
            cp = (cp << 6) | (p[i + k] & 0x3F);
        }
        // Overlong forms, surrogates and values past U+10FFFF are invalid.
        if ((len == 2 && cp < 0x80) || (len == 3 && cp < 0x800) || (len == 4 && cp < 0x10000) ||
            (cp >= 0xD800 && cp <= 0xDFFF) || cp > 0x10FFFF)
            return i;
        i += len;
    }
    return std::string_view::npos;
}

bool looksLikeGb18030(std::string_view s)
{
    const auto *p = reinterpret_cast<const unsigned char *>(s.data());
    const size_t n = s.size();
    size_t multi = 0;
    size_t i = 0;
    while (i < n) {
        const unsigned char c = p[i];
        if (c < 0x80) {
            ++i;
            continue;
        }
        if (c == 0x80 || c == 0xFF)
            return false;
        if (i + 1 >= n)
            return false;
        const unsigned char c2 = p[i + 1];
        if (c2 >= 0x40 && c2 <= 0xFE && c2 != 0x7F) {
            i += 2;
            ++multi;
            continue;
        }
        if (c2 >= 0x30 && c2 <= 0x39) {
            if (i + 3 >= n)
                return false;
            const unsigned char c3 = p[i + 2], c4 = p[i + 3];
            if (c3 < 0x81 || c3 > 0xFE || c4 < 0x30 || c4 > 0x39)
                return false;
            i += 4;
            ++multi;
            continue;
        }
        return false;
    }
    return multi > 0;
}

TextCheck checkText(std::string_view bytes)
{
    TextCheck r;
    if (bytes.size() >= 3 && static_cast<unsigned char>(bytes[0]) == 0xEF &&
        static_cast<unsigned char>(bytes[1]) == 0xBB && static_cast<unsigned char>(bytes[2]) == 0xBF)
        r.utf8Bom = true;
    bool onlySpace = true;
    size_t controls = 0;
    for (char ch : bytes) {
        const auto c = static_cast<unsigned char>(ch);
        if (c == 0) {
            r.binary = true;
        } else if (c < 0x20 && c != '\n' && c != '\r' && c != '\t' && c != '\f') {
            ++controls;
        }
        if (!(c == ' ' || c == '\n' || c == '\r' || c == '\t'))
            onlySpace = false;
    }
    const size_t sample = bytes.size() - (r.utf8Bom ? 3 : 0);
    if (onlySpace || sample == 0)
        r.empty = true;
    if (bytes.size() > 0 && controls * 20 > bytes.size())
        r.binary = true;
    r.crlf = bytes.find("\r\n") != std::string_view::npos;
    const size_t bad = findInvalidUtf8(bytes);
    if (bad != std::string_view::npos) {
        r.validUtf8 = false;
        r.firstBadOffset = bad;
        size_t line = 1;
        for (size_t i = 0; i < bad; ++i)
            if (bytes[i] == '\n')
                ++line;
        r.firstBadLine = line;
        r.looksGb18030 = !r.binary && looksLikeGb18030(bytes);
    }
    return r;
}

size_t utf8Length(std::string_view s)
{
    size_t n = 0;
    for (char c : s)
        if ((static_cast<unsigned char>(c) & 0xC0) != 0x80)
            ++n;
    return n;
}

std::vector<std::string_view> splitLines(std::string_view text)
{
    std::vector<std::string_view> lines;
    size_t start = 0;
    while (start <= text.size()) {
        size_t end = text.find('\n', start);
        if (end == std::string_view::npos) {
            if (start < text.size())
                lines.push_back(text.substr(start));
            break;
        }
        std::string_view line = text.substr(start, end - start);
        if (!line.empty() && line.back() == '\r')
            line.remove_suffix(1);
        lines.push_back(line);
        start = end + 1;
    }
    return lines;
}

std::string trim(std::string_view s)
{
    size_t b = 0, e = s.size();
    while (b < e && (s[b] == ' ' || s[b] == '\t' || s[b] == '\r' || s[b] == '\n'))
        ++b;
    while (e > b && (s[e - 1] == ' ' || s[e - 1] == '\t' || s[e - 1] == '\r' || s[e - 1] == '\n'))
        --e;
    return std::string(s.substr(b, e - b));
}

} // namespace wb

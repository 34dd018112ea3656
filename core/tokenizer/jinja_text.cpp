#include "tokenizer/jinja_text.h"

namespace wb::jinja {

std::u32string decodeUtf8(std::string_view s)
{
    std::u32string out;
    out.reserve(s.size());
    size_t i = 0;
    while (i < s.size()) {
        const auto c = static_cast<unsigned char>(s[i]);
        int len = 0;
        char32_t cp = 0;
        if (c < 0x80) {
            out.push_back(c);
            ++i;
            continue;
        }
        if ((c & 0xE0) == 0xC0) {
            len = 2;
            cp = c & 0x1F;
        } else if ((c & 0xF0) == 0xE0) {
            len = 3;
            cp = c & 0x0F;
        } else if ((c & 0xF8) == 0xF0) {
            len = 4;
            cp = c & 0x07;
        }
        bool ok = len > 0 && i + len <= s.size();
        for (int k = 1; ok && k < len; ++k) {
            const auto cc = static_cast<unsigned char>(s[i + k]);
            if ((cc & 0xC0) != 0x80)
                ok = false;
            else
                cp = (cp << 6) | (cc & 0x3F);
        }
        // Overlong forms and surrogates are invalid too.
        if (ok && ((len == 2 && cp < 0x80) || (len == 3 && cp < 0x800) ||
                   (len == 4 && cp < 0x10000) || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)))
            ok = false;
        if (!ok) {
            out.push_back(0xDC00 + c);
            ++i;
            continue;
        }
        out.push_back(cp);
        i += len;
    }
    return out;
}

void appendUtf8(std::string &out, char32_t c)
{
    if (c < 0x80) {
        out.push_back(static_cast<char>(c));
    } else if (c < 0x800) {
        out.push_back(static_cast<char>(0xC0 | (c >> 6)));
        out.push_back(static_cast<char>(0x80 | (c & 0x3F)));
    } else if (c >= 0xDC80 && c <= 0xDCFF) {
        out.push_back(static_cast<char>(c - 0xDC00)); // an escaped invalid byte
    } else if (c < 0x10000) {
        out.push_back(static_cast<char>(0xE0 | (c >> 12)));
        out.push_back(static_cast<char>(0x80 | ((c >> 6) & 0x3F)));
        out.push_back(static_cast<char>(0x80 | (c & 0x3F)));
    } else {
        out.push_back(static_cast<char>(0xF0 | (c >> 18)));
        out.push_back(static_cast<char>(0x80 | ((c >> 12) & 0x3F)));
        out.push_back(static_cast<char>(0x80 | ((c >> 6) & 0x3F)));
        out.push_back(static_cast<char>(0x80 | (c & 0x3F)));
    }
}

std::string encodeUtf8(std::u32string_view s)
{
    std::string out;
    out.reserve(s.size());
    for (char32_t c : s)
        appendUtf8(out, c);
    return out;
}

size_t codePointCount(std::string_view s)
{
    size_t n = 0;
    for (unsigned char c : s)
        n += (c & 0xC0) != 0x80 ? 1 : 0;
    // Exact for valid UTF-8; invalid input takes the slow, exact path.
    for (unsigned char c : s) {
        if (c >= 0x80)
            return decodeUtf8(s).size();
    }
    return n;
}

bool isPySpace(char32_t c)
{
    switch (c) {
    case 0x09:
    case 0x0A:
    case 0x0B:
    case 0x0C:
    case 0x0D:
    case 0x1C:
    case 0x1D:
    case 0x1E:
    case 0x1F:
    case 0x20:
    case 0x85:
    case 0xA0:
    case 0x1680:
    case 0x2028:
    case 0x2029:
    case 0x202F:
    case 0x205F:
    case 0x3000:
        return true;
    default:
        return c >= 0x2000 && c <= 0x200A;
    }
}

// Case mapping for ASCII, Latin-1, Latin Extended-A (paired), Greek and Cyrillic: the scripts
// chat templates and their messages case-convert in practice. Others are left unchanged.
char32_t toUpper(char32_t c)
{
    if (c >= 'a' && c <= 'z')
        return c - 32;
    if (c < 0x80)
        return c;
    if ((c >= 0xE0 && c <= 0xFE && c != 0xF7))
        return c - 32;
    if (c == 0xFF)
        return 0x178;
    if (c >= 0x100 && c <= 0x17F && c != 0x130 && c != 0x131 && c != 0x138 && c != 0x149 &&
        c != 0x17F) {
        const bool oddUpper = (c >= 0x139 && c <= 0x148) || (c >= 0x179 && c <= 0x17E);
        if (oddUpper)
            return (c % 2 == 0) ? c - 1 : c;
        return (c % 2 == 1) ? c - 1 : c;
    }
    if (c >= 0x3B1 && c <= 0x3C9 && c != 0x3C2)
        return c - 32;
    if (c == 0x3C2)
        return 0x3A3;
    if (c >= 0x430 && c <= 0x44F)
        return c - 32;
    if (c >= 0x450 && c <= 0x45F)
        return c - 80;
    return c;
}

char32_t toLower(char32_t c)
{
    if (c >= 'A' && c <= 'Z')
        return c + 32;
    if (c < 0x80)
        return c;
    if (c >= 0xC0 && c <= 0xDE && c != 0xD7)
        return c + 32;
    if (c == 0x178)
        return 0xFF;
    if (c >= 0x100 && c <= 0x17F && c != 0x130 && c != 0x131 && c != 0x138 && c != 0x149 &&
        c != 0x17F) {
        const bool oddUpper = (c >= 0x139 && c <= 0x148) || (c >= 0x179 && c <= 0x17E);
        if (oddUpper)
            return (c % 2 == 1) ? c + 1 : c;
        return (c % 2 == 0) ? c + 1 : c;
    }
    if (c >= 0x391 && c <= 0x3A9 && c != 0x3A2)
        return c + 32;
    if (c >= 0x410 && c <= 0x42F)
        return c + 32;
    if (c >= 0x400 && c <= 0x40F)
        return c + 80;
    return c;
}

bool isCased(char32_t c)
{
    return toUpper(c) != c || toLower(c) != c || c == 0xDF;
}

std::string upper(std::string_view s)
{
    std::u32string u = decodeUtf8(s);
    for (auto &c : u)
        c = toUpper(c);
    return encodeUtf8(u);
}

std::string lower(std::string_view s)
{
    std::u32string u = decodeUtf8(s);
    for (auto &c : u)
        c = toLower(c);
    return encodeUtf8(u);
}

std::string pyTitle(std::string_view s)
{
    std::u32string u = decodeUtf8(s);
    bool previousCased = false;
    for (auto &c : u) {
        if (isCased(c)) {
            c = previousCased ? toLower(c) : toUpper(c);
            previousCased = true;
        } else {
            previousCased = false;
        }
    }
    return encodeUtf8(u);
}

std::string jinjaTitle(std::string_view s)
{
    // jinja2: "".join(w[0].upper() + w[1:].lower() for w in re.split(r"([-\s\(\{\[\<]+)", s))
    std::u32string u = decodeUtf8(s);
    auto isSeparator = [](char32_t c) {
        return c == '-' || c == '(' || c == '{' || c == '[' || c == '<' || isPySpace(c);
    };
    bool wordStart = true;
    for (auto &c : u) {
        if (isSeparator(c)) {
            wordStart = true;
            continue;
        }
        c = wordStart ? toUpper(c) : toLower(c);
        wordStart = false;
    }
    return encodeUtf8(u);
}

std::string capitalize(std::string_view s)
{
    std::u32string u = decodeUtf8(s);
    for (size_t i = 0; i < u.size(); ++i)
        u[i] = i == 0 ? toUpper(u[i]) : toLower(u[i]);
    return encodeUtf8(u);
}

std::string strip(std::string_view s, const std::string *chars, bool left, bool right)
{
    std::u32string u = decodeUtf8(s);
    std::u32string set = chars ? decodeUtf8(*chars) : std::u32string();
    auto strippable = [&](char32_t c) {
        return chars ? set.find(c) != std::u32string::npos : isPySpace(c);
    };
    size_t begin = 0;
    size_t end = u.size();
    while (left && begin < end && strippable(u[begin]))
        ++begin;
    while (right && end > begin && strippable(u[end - 1]))
        --end;
    return encodeUtf8(std::u32string_view(u).substr(begin, end - begin));
}

} // namespace wb::jinja

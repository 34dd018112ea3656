// HTML to plain text for the knowledge base: enough of HTML to read real pages (tags,
// comments, CDATA, scripts/styles, entities), not a DOM.
#include "rag/readers.h"

#include <algorithm>
#include <cctype>
#include <cstdint>
#include <map>

namespace wb::rag {

namespace {

void appendUtf8(std::string &out, uint32_t cp)
{
    if (cp == 0 || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
        cp = 0xFFFD;
    if (cp < 0x80) {
        out.push_back(static_cast<char>(cp));
    } else if (cp < 0x800) {
        out.push_back(static_cast<char>(0xC0 | (cp >> 6)));
        out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
    } else if (cp < 0x10000) {
        out.push_back(static_cast<char>(0xE0 | (cp >> 12)));
        out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
        out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
    } else {
        out.push_back(static_cast<char>(0xF0 | (cp >> 18)));
        out.push_back(static_cast<char>(0x80 | ((cp >> 12) & 0x3F)));
        out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
        out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
    }
}

const std::map<std::string, uint32_t> &namedEntities()
{
    static const std::map<std::string, uint32_t> m = {
        {"amp", '&'},     {"lt", '<'},      {"gt", '>'},      {"quot", '"'},   {"apos", '\''},
        {"nbsp", 0xA0},   {"copy", 0xA9},   {"reg", 0xAE},    {"trade", 0x2122}, {"hellip", 0x2026},
        {"mdash", 0x2014}, {"ndash", 0x2013}, {"lsquo", 0x2018}, {"rsquo", 0x2019},
        {"ldquo", 0x201C}, {"rdquo", 0x201D}, {"laquo", 0xAB},  {"raquo", 0xBB}, {"middot", 0xB7},
        {"bull", 0x2022}, {"deg", 0xB0},    {"times", 0xD7},  {"divide", 0xF7}, {"euro", 0x20AC},
        {"pound", 0xA3},  {"yen", 0xA5},    {"cent", 0xA2},   {"sect", 0xA7},  {"para", 0xB6},
        {"plusmn", 0xB1}, {"frac12", 0xBD}, {"shy", 0xAD},    {"zwj", 0x200D}, {"zwnj", 0x200C},
        {"ensp", 0x2002}, {"emsp", 0x2003}, {"thinsp", 0x2009}, {"larr", 0x2190},
        {"rarr", 0x2192}, {"uarr", 0x2191}, {"darr", 0x2193}, {"le", 0x2264},  {"ge", 0x2265},
        {"ne", 0x2260},   {"alpha", 0x3B1}, {"beta", 0x3B2},  {"pi", 0x3C0},   {"mu", 0x3BC},
    };
    return m;
}

// Decodes the entity at s[i] == '&'; returns the bytes consumed (0: not an entity).
size_t decodeEntity(std::string_view s, size_t i, std::string &out)
{
    const size_t semi = s.find(';', i + 1);
    if (semi == std::string_view::npos || semi - i > 12)
        return 0;
    const std::string_view name = s.substr(i + 1, semi - i - 1);
    if (name.size() >= 2 && name[0] == '#') {
        const bool hex = name[1] == 'x' || name[1] == 'X';
        const std::string_view digits = name.substr(hex ? 2 : 1);
        if (digits.empty())
            return 0;
        uint32_t cp = 0;
        for (const char c : digits) {
            const int v = std::isdigit(static_cast<unsigned char>(c)) ? c - '0'
                          : hex && std::isxdigit(static_cast<unsigned char>(c))
                              ? (std::tolower(c) - 'a' + 10)
                              : -1;
            if (v < 0)
                return 0;
            cp = std::min<uint32_t>(cp * (hex ? 16 : 10) + static_cast<uint32_t>(v), 0x110000);
        }
        appendUtf8(out, cp == 0xA0 ? ' ' : cp);
        return semi - i + 1;
    }
    const auto it = namedEntities().find(std::string(name));
    if (it == namedEntities().end())
        return 0;
    appendUtf8(out, it->second == 0xA0 ? ' ' : it->second);
    return semi - i + 1;
}

bool isBlockTag(const std::string &t)
{
    static const char *const blocks[] = {
        "p",  "div", "br", "li", "ul", "ol", "tr", "table", "section", "article", "header",
        "footer", "nav", "aside", "blockquote", "pre", "hr", "dl", "dt", "dd", "figure",
        "figcaption", "main", "form", "title", "td", "th", "caption", "address", "body"};
    return std::find(std::begin(blocks), std::end(blocks), t) != std::end(blocks);
}

std::string lower(std::string_view s)
{
    std::string r(s);
    std::transform(r.begin(), r.end(), r.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return r;
}

// Collapses runs of spaces inside lines, trims lines, keeps at most one blank line.
std::string tidy(const std::string &raw)
{
    std::string out;
    std::string line;
    int blanks = 0;
    auto flush = [&] {
        while (!line.empty() && line.back() == ' ')
            line.pop_back();
        if (line.empty()) {
            ++blanks;
        } else {
            if (!out.empty())
                out += blanks > 0 ? "\n\n" : "\n";
            out += line;
            blanks = 0;
        }
        line.clear();
    };
    for (const char c : raw) {
        if (c == '\n') {
            flush();
        } else if (c == ' ' || c == '\t' || c == '\r' || c == '\f' || c == '\v') {
            if (!line.empty() && line.back() != ' ')
                line.push_back(' ');
        } else {
            line.push_back(c);
        }
    }
    flush();
    if (!out.empty())
        out.push_back('\n');
    return out;
}

} // namespace

std::string htmlToText(std::string_view s)
{
    std::string raw;
    raw.reserve(s.size());
    size_t i = 0;
    while (i < s.size()) {
        const char c = s[i];
        if (c == '&') {
            const size_t n = decodeEntity(s, i, raw);
            if (n > 0) {
                i += n;
                continue;
            }
            raw.push_back('&');
            ++i;
            continue;
        }
        if (c != '<') {
            raw.push_back(c == '\n' || c == '\t' ? ' ' : c);
            ++i;
            continue;
        }
        if (s.compare(i, 4, "<!--") == 0) {
            const size_t end = s.find("-->", i + 4);
            i = end == std::string_view::npos ? s.size() : end + 3;
            continue;
        }
        if (s.compare(i, 9, "<![CDATA[") == 0) {
            const size_t end = s.find("]]>", i + 9);
            const size_t stop = end == std::string_view::npos ? s.size() : end;
            raw.append(s.substr(i + 9, stop - i - 9));
            i = end == std::string_view::npos ? s.size() : end + 3;
            continue;
        }
        const size_t close = s.find('>', i + 1);
        if (close == std::string_view::npos) {
            raw.append(s.substr(i));
            break;
        }
        std::string_view tag = s.substr(i + 1, close - i - 1);
        const bool closing = !tag.empty() && tag[0] == '/';
        if (closing)
            tag.remove_prefix(1);
        size_t nameEnd = 0;
        while (nameEnd < tag.size() && (std::isalnum(static_cast<unsigned char>(tag[nameEnd]))))
            ++nameEnd;
        const std::string name = lower(tag.substr(0, nameEnd));
        i = close + 1;
        if (!closing && (name == "script" || name == "style" || name == "noscript" ||
                         name == "template" || name == "svg" || name == "head")) {
            // Skip to the matching end tag; a <head> still gives its <title> nothing.
            const std::string lowerRest = lower(s.substr(i));
            const size_t end = lowerRest.find("</" + name);
            if (end == std::string::npos) {
                i = s.size();
            } else {
                const size_t gt = s.find('>', i + end);
                i = gt == std::string_view::npos ? s.size() : gt + 1;
            }
            continue;
        }
        if (name.size() == 2 && name[0] == 'h' && name[1] >= '1' && name[1] <= '6') {
            raw += "\n\n";
            if (!closing)
                raw += std::string(static_cast<size_t>(name[1] - '0'), '#') + " ";
            continue;
        }
        if (name == "td" || name == "th")
            raw += " ";
        else if (name == "br" || name == "li" || name == "dt" || name == "dd" || name == "tr")
            raw += closing ? "" : "\n";
        else if (isBlockTag(name))
            raw += "\n\n";
    }
    return tidy(raw);
}

} // namespace wb::rag

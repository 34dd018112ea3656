#include "rag/segment.h"

#include <unicode/uchar.h>

#include <set>

namespace wb::rag {

namespace {

// Decodes one code point at s[i] (valid UTF-8 assumed; a stray byte reads as itself).
char32_t next(std::string_view s, size_t &i)
{
    const auto b = static_cast<unsigned char>(s[i]);
    int len = b < 0x80 ? 1 : (b >> 5) == 6 ? 2 : (b >> 4) == 14 ? 3 : (b >> 3) == 30 ? 4 : 1;
    if (i + static_cast<size_t>(len) > s.size())
        len = 1;
    char32_t cp = len == 1 ? b : len == 2 ? (b & 0x1F) : len == 3 ? (b & 0x0F) : (b & 0x07);
    for (int k = 1; k < len; ++k)
        cp = (cp << 6) | (static_cast<unsigned char>(s[i + static_cast<size_t>(k)]) & 0x3F);
    i += static_cast<size_t>(len);
    return cp;
}

void appendUtf8(std::string &out, char32_t cp)
{
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

} // namespace

bool isCjk(char32_t cp)
{
    return (cp >= 0x4E00 && cp <= 0x9FFF) || (cp >= 0x3400 && cp <= 0x4DBF) ||
           (cp >= 0x20000 && cp <= 0x2EBEF) || (cp >= 0xF900 && cp <= 0xFAFF) ||
           (cp >= 0x3040 && cp <= 0x30FF) || (cp >= 0xAC00 && cp <= 0xD7AF);
}

std::vector<Term> segmentTerms(std::string_view text)
{
    std::vector<Term> terms;
    Term word;
    bool inWord = false;
    // The previous CJK character of the current run, for bigrams.
    std::string prevCjk;
    size_t prevCjkStart = 0;
    size_t i = 0;
    while (i < text.size()) {
        const size_t start = i;
        const char32_t cp = next(text, i);
        if (isCjk(cp)) {
            if (inWord) {
                terms.push_back(std::move(word));
                word = {};
                inWord = false;
            }
            std::string ch(text.substr(start, i - start));
            if (!prevCjk.empty())
                terms.push_back({prevCjk + ch, prevCjkStart, i});
            terms.push_back({ch, start, i});
            prevCjk = std::move(ch);
            prevCjkStart = start;
            continue;
        }
        prevCjk.clear();
        if (u_isalnum(static_cast<UChar32>(cp))) {
            if (!inWord) {
                word = {{}, start, start};
                inWord = true;
            }
            appendUtf8(word.text, static_cast<char32_t>(u_tolower(static_cast<UChar32>(cp))));
            word.end = i;
        } else if (inWord) {
            terms.push_back(std::move(word));
            word = {};
            inWord = false;
        }
    }
    if (inWord)
        terms.push_back(std::move(word));
    return terms;
}

std::string segmentForIndex(std::string_view text)
{
    std::string out;
    for (const Term &t : segmentTerms(text)) {
        if (!out.empty())
            out.push_back(' ');
        out += t.text;
    }
    return out;
}

std::string ftsQuery(std::string_view query)
{
    std::set<std::string> seen;
    std::string out;
    for (const Term &t : segmentTerms(query)) {
        if (!seen.insert(t.text).second)
            continue;
        if (!out.empty())
            out += " OR ";
        out += '"' + t.text + '"';
    }
    return out;
}

} // namespace wb::rag

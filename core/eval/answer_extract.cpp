#include "eval/answer_extract.h"

#include "common/text.h"

#include <algorithm>
#include <cctype>
#include <optional>

namespace wb {

namespace {

// Full-width forms (U+FF01–U+FF5E: "：", "（", "Ｂ") become their ASCII twins and the ideographic
// space a space, so one set of rules reads both. Everything else is kept byte for byte.
std::string normalised(std::string_view text)
{
    std::string out;
    out.reserve(text.size());
    for (size_t i = 0; i < text.size(); ++i) {
        const auto b0 = static_cast<unsigned char>(text[i]);
        if (b0 == 0xEF && i + 2 < text.size()) {
            const auto b1 = static_cast<unsigned char>(text[i + 1]);
            const auto b2 = static_cast<unsigned char>(text[i + 2]);
            const unsigned cp = ((b0 & 0x0Fu) << 12) | ((b1 & 0x3Fu) << 6) | (b2 & 0x3Fu);
            if (cp >= 0xFF01 && cp <= 0xFF5E) {
                out += static_cast<char>(cp - 0xFEE0);
                i += 2;
                continue;
            }
        } else if (text.compare(i, 3, "\u3000") == 0) {
            out += ' ';
            i += 2;
            continue;
        }
        if (b0 != '\r')
            out += static_cast<char>(b0);
    }
    return out;
}

std::string lowerAscii(std::string s)
{
    for (char &c : s)
        c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return s;
}

bool isAsciiAlnum(char c)
{
    return std::isalnum(static_cast<unsigned char>(c)) != 0;
}

bool isAsciiLetter(char c)
{
    return std::isalpha(static_cast<unsigned char>(c)) != 0;
}

// Strips any of `tokens` from the front (and, with `back`, from the end) until none is left.
std::string_view stripTokens(std::string_view s, const std::vector<std::string_view> &tokens,
                             bool front, bool back)
{
    for (bool changed = true; changed && !s.empty();) {
        changed = false;
        for (std::string_view t : tokens) {
            if (front && s.size() >= t.size() && s.substr(0, t.size()) == t) {
                s.remove_prefix(t.size());
                changed = true;
            }
            if (back && s.size() >= t.size() && s.substr(s.size() - t.size()) == t) {
                s.remove_suffix(t.size());
                changed = true;
            }
        }
    }
    return s;
}

const std::vector<std::string_view> kOpeners = {" ", "\t", "*", "(", "[", "{", "\"", "'", "`",
                                                "$", "【", "“", "「", "《", "_"};
const std::vector<std::string_view> kClosers = {" ", "\t", "*", ")", "]", "}", "\"", "'", "`", "$",
                                                "】", "”", "」", "》", "_", ".", "。", "!", ":"};
// What may stand between an answer marker and the letter: "答案是：", "Answer: (", "**Answer:** ",
// "答案为选项 B", "answer is option B".
const std::vector<std::string_view> kMarkerGlue = {" ", "\t", ":", "*", "(", "[", "{", "\"", "'",
                                                   "`", "$", "【", "“", "「", "《", "是", "为",
                                                   "选项", "选", "option", "=", "-", "_"};

std::string lettersRange(size_t n)
{
    return n == 1 ? std::string("A") : std::string("A–") + char('A' + n - 1);
}

std::string snippet(std::string_view s)
{
    std::string t = trim(s);
    if (utf8Length(t) <= 40)
        return t;
    size_t bytes = 0, cps = 0;
    while (bytes < t.size() && cps < 40) {
        ++bytes;
        while (bytes < t.size() && (static_cast<unsigned char>(t[bytes]) & 0xC0) == 0x80)
            ++bytes;
        ++cps;
    }
    return t.substr(0, bytes) + "…";
}

// The options in the form text is compared in: normalised, lower-case ASCII, without wrapping
// quotes or final punctuation.
std::vector<std::string> comparable(const std::vector<std::string> &options)
{
    std::vector<std::string> out;
    for (const std::string &o : options)
        out.push_back(lowerAscii(std::string(stripTokens(normalised(o), kClosers, true, true))));
    return out;
}

struct Verdict
{
    ExtractedAnswer::Method method = ExtractedAnswer::Method::None;
    std::string letter;
    std::string refusal; // a reason that ends the search: an answer was given, but is unusable
};

Verdict accept(ExtractedAnswer::Method method, size_t index)
{
    return {method, std::string(1, char('A' + index)), {}};
}

// One option whose text `s` is (exactly, or as a prefix followed by a boundary when `prefix`).
Verdict matchOptionText(std::string_view raw, const std::vector<std::string> &opts, bool prefix,
                        ExtractedAnswer::Method method)
{
    const std::string s = lowerAscii(std::string(stripTokens(raw, kClosers, true, true)));
    if (s.empty())
        return {};
    std::vector<size_t> exact, prefixed;
    size_t longest = 0;
    for (size_t i = 0; i < opts.size(); ++i) {
        const std::string &o = opts[i];
        if (o.empty())
            continue;
        if (s == o) {
            exact.push_back(i);
        } else if (prefix && s.size() > o.size() && s.compare(0, o.size(), o) == 0 &&
                   !isAsciiAlnum(s[o.size()]) && o.size() >= longest) {
            if (o.size() > longest)
                prefixed.clear();
            longest = o.size();
            prefixed.push_back(i);
        }
    }
    const std::vector<size_t> &hits = exact.empty() ? prefixed : exact;
    if (hits.size() == 1)
        return accept(method, hits.front());
    if (hits.size() > 1) {
        std::string names;
        for (size_t i : hits)
            names += (names.empty() ? "" : ", ") + std::string(1, char('A' + i));
        return {ExtractedAnswer::Method::None, {},
                "the answer text '" + snippet(raw) + "' matches several options (" + names + ")"};
    }
    return {};
}

// What follows an answer marker, up to the end of its line.
Verdict parseMarkerTail(std::string_view tail, const std::vector<std::string> &opts)
{
    const std::string lowered = lowerAscii(std::string(tail));
    const std::string_view t = stripTokens(lowered, kMarkerGlue, true, false);
    const std::string_view original = std::string_view(tail).substr(lowered.size() - t.size());
    if (!t.empty() && isAsciiLetter(t[0])) {
        const char c = original[0];
        const std::string_view rest = original.substr(1);
        const bool upper = std::isupper(static_cast<unsigned char>(c)) != 0;
        // "B", "B.", "B。", "B 选项", "B because": an upper-case letter ends at a non-alphanumeric
        // byte. A lower-case one only before punctuation or the end ("answer: b."), so that
        // "the answer is a person" is prose, not option A.
        const bool endsWord = rest.empty() || !isAsciiAlnum(rest[0]);
        const bool endsClause =
            rest.empty() || std::ispunct(static_cast<unsigned char>(rest[0])) ||
            trim(rest).empty() || rest.substr(0, 3) == "。" || rest.substr(0, 3) == "，";
        if (upper ? endsWord : endsClause) {
            const size_t index = size_t(std::toupper(static_cast<unsigned char>(c)) - 'A');
            if (index < opts.size())
                return accept(ExtractedAnswer::Method::AnswerLine, index);
            // "Answer: I think ..." is prose; "答案是：E" with options A–D is a wrong answer.
            const std::string after = trim(rest);
            if (after.empty() || !isAsciiLetter(after[0]))
                return {ExtractedAnswer::Method::None, {},
                        std::string("the answer line names '") + char(std::toupper(c)) +
                            "', not one of the options " + lettersRange(opts.size())};
        }
    }
    return matchOptionText(stripTokens(tail, kOpeners, true, false), opts, true,
                           ExtractedAnswer::Method::AnswerLine);
}

struct Marker
{
    size_t begin = 0, end = 0;
};

// Every answer marker, in text order; where two start at one place the longer wins.
std::vector<Marker> findMarkers(const std::string &lowered)
{
    static const std::vector<std::string_view> kMarkers = {
        "答案是", "答案为", "答案", "final answer is", "final answer", "answer is", "answer",
        "\\boxed{"};
    std::vector<Marker> found;
    for (std::string_view m : kMarkers) {
        for (size_t pos = lowered.find(m); pos != std::string::npos; pos = lowered.find(m, pos + 1)) {
            // "answers", "answered", "reanswer" are words, not markers.
            const size_t end = pos + m.size();
            if (isAsciiLetter(m.front()) && ((pos > 0 && isAsciiLetter(lowered[pos - 1])) ||
                                             (end < lowered.size() && isAsciiLetter(lowered[end]))))
                continue;
            found.push_back({pos, end});
        }
    }
    std::sort(found.begin(), found.end(), [](const Marker &a, const Marker &b) {
        return a.begin != b.begin ? a.begin < b.begin : a.end > b.end;
    });
    std::vector<Marker> out;
    for (const Marker &m : found)
        if (out.empty() || m.begin >= out.back().end)
            out.push_back(m);
    return out;
}

// A whole line that is only a letter ("B", "(B)", "**B.**"), a letter with its own option text
// ("B. Alice"), or one option's text.
Verdict parseLine(std::string_view line, const std::vector<std::string> &opts)
{
    const std::string_view inner = stripTokens(line, kClosers, false, true);
    const std::string_view core = stripTokens(inner, kOpeners, true, false);
    if (core.size() == 1 && isAsciiLetter(core[0])) {
        const size_t index = size_t(std::toupper(static_cast<unsigned char>(core[0])) - 'A');
        if (index < opts.size())
            return accept(ExtractedAnswer::Method::LoneLetter, index);
        return {ExtractedAnswer::Method::None, {},
                std::string("the output is the letter '") + char(std::toupper(core[0])) +
                    "', not one of the options " + lettersRange(opts.size())};
    }
    if (core.size() > 2 && std::isupper(static_cast<unsigned char>(core[0])) &&
        std::string_view(".)、:").find(core[1]) != std::string_view::npos) {
        const size_t index = size_t(core[0] - 'A');
        const std::string rest = lowerAscii(std::string(stripTokens(core.substr(1), kClosers, true, true)));
        if (index < opts.size() && rest == opts[index])
            return accept(ExtractedAnswer::Method::LoneLetter, index);
    }
    return matchOptionText(line, opts, false, ExtractedAnswer::Method::OptionText);
}

} // namespace

const char *extractMethodName(ExtractedAnswer::Method method)
{
    switch (method) {
    case ExtractedAnswer::Method::None:
        return "none";
    case ExtractedAnswer::Method::AnswerLine:
        return "answer_line";
    case ExtractedAnswer::Method::LoneLetter:
        return "lone_letter";
    case ExtractedAnswer::Method::OptionText:
        return "option_text";
    }
    return "?";
}

ExtractedAnswer extractAnswer(std::string_view text, const std::vector<std::string> &options)
{
    ExtractedAnswer out;
    auto verdict = [&out](const Verdict &v) {
        if (!v.letter.empty()) {
            out.method = v.method;
            out.letter = v.letter;
        } else {
            out.reason = v.refusal;
        }
        return !v.letter.empty() || !v.refusal.empty();
    };
    if (options.empty()) {
        out.reason = "the question has no options";
        return out;
    }
    if (options.size() > 26) {
        out.reason = "more than 26 options: letters past Z are not extracted";
        return out;
    }
    const std::string s = normalised(text);
    if (trim(s).empty()) {
        out.reason = "the output is empty";
        return out;
    }
    const std::vector<std::string> opts = comparable(options);
    const std::string lowered = lowerAscii(s);
    const std::vector<Marker> markers = findMarkers(lowered);
    for (auto it = markers.rbegin(); it != markers.rend(); ++it) {
        const size_t eol = s.find('\n', it->end);
        const std::string_view tail =
            std::string_view(s).substr(it->end, eol == std::string::npos ? std::string::npos : eol - it->end);
        if (verdict(parseMarkerTail(tail, opts)))
            return out;
    }
    std::vector<std::string_view> lines;
    for (std::string_view line : splitLines(s))
        if (!trim(line).empty())
            lines.push_back(line);
    for (std::string_view line : {lines.back(), lines.front()})
        if (verdict(parseLine(trim(line), opts)))
            return out;
    out.reason = markers.empty()
                     ? "no answer line ('答案是：X' or 'Answer: X'), lone option letter or option "
                       "text found"
                     : "the answer line '" + snippet(s.substr(markers.back().begin)) +
                           "' names no option (" + lettersRange(options.size()) + ")";
    return out;
}

} // namespace wb

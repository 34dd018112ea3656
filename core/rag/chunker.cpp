#include "rag/chunker.h"

#include "common/error.h"
#include "common/text.h"

#include <algorithm>

namespace wb::rag {

nlohmann::json ChunkerSettings::toJson() const
{
    nlohmann::json j = {{"unit", unit}, {"size", size}, {"overlap", overlap}};
    if (!tokenizer.empty())
        j["tokenizer"] = tokenizer;
    return j;
}

ChunkerSettings ChunkerSettings::fromJson(const nlohmann::json &j)
{
    ChunkerSettings s;
    if (!j.is_object())
        return s;
    s.unit = j.value("unit", s.unit);
    s.size = j.value("size", s.size);
    s.overlap = j.value("overlap", s.overlap);
    s.tokenizer = j.value("tokenizer", "");
    if (s.unit != "chars" && s.unit != "tokens")
        throw Error(ErrorCode::Validation, "chunker unit must be 'chars' or 'tokens', not '" + s.unit + "'");
    if (s.size < 16)
        throw Error(ErrorCode::Validation, "chunk size must be at least 16, not " + std::to_string(s.size));
    if (s.overlap < 0 || s.overlap >= s.size)
        throw Error(ErrorCode::Validation, "chunk overlap must lie in [0, size), not " +
                                               std::to_string(s.overlap));
    if (s.unit == "tokens" && s.tokenizer.empty())
        throw Error(ErrorCode::Validation, "chunking by tokens needs a tokenizer (a model folder)");
    return s;
}

namespace {

enum Strength { kInside = 0, kSpace = 1, kLine = 2, kSentence = 3, kParagraph = 4, kHeading = 5 };

struct Piece
{
    size_t start, end;
    int strength;    // of the break before this piece
    size_t size = 0;
    std::string heading;
};

bool isSpace(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v'; }

size_t charLen(unsigned char b) { return b < 0x80 ? 1 : (b >> 5) == 6 ? 2 : (b >> 4) == 14 ? 3 : (b >> 3) == 30 ? 4 : 1; }

bool startsWith(std::string_view s, size_t i, std::string_view p) { return s.compare(i, p.size(), p) == 0; }

// Length of a markdown heading marker at line start ("## "), 0 when none.
int headingLevel(std::string_view t, size_t i)
{
    int level = 0;
    while (i + static_cast<size_t>(level) < t.size() && t[i + static_cast<size_t>(level)] == '#')
        ++level;
    if (level < 1 || level > 6 || i + static_cast<size_t>(level) >= t.size())
        return 0;
    const char after = t[i + static_cast<size_t>(level)];
    return after == ' ' || after == '\t' ? level : 0;
}

// Sentence-final punctuation: ASCII needs a following space; CJK marks do not.
size_t sentenceEndAt(std::string_view t, size_t i)
{
    static const std::string_view cjk[] = {"。", "！", "？", "；", "…"};
    for (const auto p : cjk)
        if (startsWith(t, i, p))
            return i + p.size();
    const char c = t[i];
    if ((c == '.' || c == '!' || c == '?' || c == ';') && i + 1 < t.size() && isSpace(t[i + 1]))
        return i + 1;
    return 0;
}

// Splits [begin, end) into pieces at line, sentence, paragraph and heading breaks; trailing
// whitespace stays with the piece before it.
std::vector<Piece> splitRegion(std::string_view t, size_t begin, size_t end)
{
    std::vector<Piece> pieces;
    std::vector<std::pair<int, std::string>> headings; // level, title
    bool fence = false;
    size_t pieceStart = begin;
    int pieceStrength = kHeading; // a region starts fresh
    auto headingPath = [&] {
        std::string path;
        for (const auto &h : headings)
            path += (path.empty() ? "" : " > ") + h.second;
        return path;
    };
    auto cut = [&](size_t at, int strengthAfter) {
        // Whitespace alone never makes a piece: it joins the piece that follows.
        const bool onlySpace = std::all_of(t.begin() + static_cast<std::ptrdiff_t>(pieceStart),
                                           t.begin() + static_cast<std::ptrdiff_t>(at), isSpace);
        if (at > pieceStart && !onlySpace) {
            pieces.push_back({pieceStart, at, pieceStrength, 0, headingPath()});
            pieceStart = at;
            pieceStrength = strengthAfter;
        } else {
            pieceStrength = std::max(pieceStrength, strengthAfter);
        }
    };
    size_t i = begin;
    bool lineStart = true;
    while (i < end) {
        if (lineStart) {
            if (startsWith(t, i, "```"))
                fence = !fence;
            const int level = fence ? 0 : headingLevel(t, i);
            if (level > 0) {
                cut(i, kHeading);
                pieceStrength = kHeading;
                const size_t nl = std::min(t.find('\n', i), end);
                while (!headings.empty() && headings.back().first >= level)
                    headings.pop_back();
                headings.emplace_back(level, trim(t.substr(i + static_cast<size_t>(level), nl - i - static_cast<size_t>(level))));
            }
        }
        lineStart = false;
        size_t after = 0;
        int strength = kInside;
        if (t[i] == '\n') {
            after = i + 1;
            strength = kLine;
        } else if (const size_t e = sentenceEndAt(t, i); e > 0) {
            after = e;
            strength = kSentence;
        }
        if (strength == kInside) {
            i += charLen(static_cast<unsigned char>(t[i]));
            continue;
        }
        // Swallow the whitespace that follows; a blank line in it makes a paragraph break.
        size_t j = after;
        int newlines = t[i] == '\n' ? 1 : 0;
        while (j < end && isSpace(t[j])) {
            if (t[j] == '\n')
                ++newlines;
            ++j;
        }
        if (newlines >= 2)
            strength = kParagraph;
        lineStart = newlines > 0;
        cut(j, strength);
        i = j;
    }
    if (end > pieceStart)
        pieces.push_back({pieceStart, end, pieceStrength, 0, headingPath()});
    return pieces;
}

bool blank(std::string_view s) { return std::all_of(s.begin(), s.end(), isSpace); }

// Cuts a piece longer than the limit at spaces (or, failing that, character boundaries).
void splitOversize(std::string_view t, Piece p, size_t limit, const Measure &measure,
                   std::vector<Piece> &out)
{
    while (p.start < p.end) {
        const std::string_view rest = t.substr(p.start, p.end - p.start);
        p.size = measure(rest);
        if (p.size <= limit) {
            out.push_back(p);
            return;
        }
        // Longest prefix within the limit, on character boundaries (binary search).
        std::vector<size_t> bounds;
        for (size_t k = 0; k < rest.size(); k += charLen(static_cast<unsigned char>(rest[k])))
            bounds.push_back(k);
        bounds.push_back(rest.size());
        size_t lo = 1, hi = bounds.size() - 1;
        while (lo < hi) {
            const size_t mid = (lo + hi + 1) / 2;
            if (measure(rest.substr(0, bounds[mid])) <= limit)
                lo = mid;
            else
                hi = mid - 1;
        }
        size_t cutAt = bounds[lo];
        // Prefer the last space in the second half of the prefix; keep trailing spaces.
        const size_t space = rest.substr(0, cutAt).find_last_of(" \t\n");
        if (space != std::string_view::npos && space > cutAt / 2)
            cutAt = space + 1;
        while (cutAt < rest.size() && isSpace(rest[cutAt]))
            ++cutAt;
        Piece head = p;
        head.end = p.start + cutAt;
        head.size = measure(rest.substr(0, cutAt));
        out.push_back(head);
        p.start = head.end;
        p.strength = kInside;
    }
}

} // namespace

std::vector<Chunk> chunkDocument(const ExtractedDocument &doc, const ChunkerSettings &settings,
                                 const Measure &measureIn)
{
    const Measure measure = measureIn ? measureIn : [](std::string_view s) { return utf8Length(s); };
    const std::string_view t = doc.text;
    const size_t limit = static_cast<size_t>(std::max(settings.size, 1));
    const size_t overlap = static_cast<size_t>(std::max(settings.overlap, 0));

    // Regions: pages/records when paged, else the whole text.
    std::vector<std::pair<size_t, int>> regions; // start, page number
    if (doc.pages.empty())
        regions.emplace_back(0, 0);
    else {
        if (doc.pages.front().start > 0)
            regions.emplace_back(0, doc.pages.front().number);
        for (const PageSpan &p : doc.pages)
            regions.emplace_back(p.start, p.number);
    }

    std::vector<Chunk> chunks;
    size_t pendingStart = std::string::npos; // leading whitespace not yet in a chunk
    for (size_t r = 0; r < regions.size(); ++r) {
        const size_t begin = regions[r].first;
        const size_t end = r + 1 < regions.size() ? regions[r + 1].first : t.size();
        if (begin >= end)
            continue;
        if (blank(t.substr(begin, end - begin))) {
            if (!chunks.empty())
                chunks.back().end = end;
            else if (pendingStart == std::string::npos)
                pendingStart = begin;
            continue;
        }
        std::vector<Piece> pieces;
        for (Piece &p : splitRegion(t, begin, end))
            splitOversize(t, p, limit, measure, pieces);

        size_t first = 0, fresh = 0, total = 0; // current chunk = pieces[first, i)
        auto flush = [&](size_t i) {
            Chunk c;
            c.start = pieces[first].start;
            c.end = pieces[i - 1].end;
            c.page = regions[r].second;
            c.heading = pieces[first + (i - first - fresh)].heading;
            c.size = total;
            if (pendingStart != std::string::npos) {
                c.start = pendingStart;
                pendingStart = std::string::npos;
            }
            chunks.push_back(std::move(c));
        };
        for (size_t i = 0; i < pieces.size(); ++i) {
            const Piece &p = pieces[i];
            bool breakHere = false;
            if (fresh > 0) {
                if (p.strength >= kHeading || total + p.size > limit)
                    breakHere = true;
                else if (p.strength >= kParagraph && total >= limit / 4) {
                    size_t para = 0;
                    for (size_t k = i; k < pieces.size() && (k == i || pieces[k].strength < kParagraph); ++k)
                        para += pieces[k].size;
                    breakHere = para <= limit && total + para > limit;
                }
            }
            if (breakHere) {
                flush(i);
                // Overlap: trailing pieces of this chunk, never across a heading.
                size_t keep = i, kept = 0;
                if (p.strength < kHeading)
                    while (keep > first + 1 && kept + pieces[keep - 1].size <= overlap &&
                           kept + pieces[keep - 1].size + p.size <= limit &&
                           pieces[keep - 1].strength < kHeading) {
                        kept += pieces[keep - 1].size;
                        --keep;
                    }
                first = keep;
                total = kept;
                fresh = 0;
            }
            total += p.size;
            ++fresh;
        }
        if (fresh > 0)
            flush(pieces.size());
    }
    if (pendingStart != std::string::npos && !chunks.empty())
        chunks.front().start = std::min(chunks.front().start, pendingStart);
    return chunks;
}

} // namespace wb::rag

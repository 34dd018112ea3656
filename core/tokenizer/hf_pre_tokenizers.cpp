#include "tokenizer/hf_pipeline.h"

#include "common/error.h"
#include "tokenizer/hf_pipeline_internal.h"
#include "tokenizer/regex.h"
#include "tokenizer/unicode.h"

#include <algorithm>

namespace wb::tok {

using namespace detail;

namespace {

// ---- pre-tokenizers --------------------------------------------------------------------

enum class SplitBehavior { Removed, Isolated, MergedWithPrevious, MergedWithNext, Contiguous };

SplitBehavior parseBehavior(const json &j)
{
    const std::string b = j.is_string() ? j.get<std::string>() : std::string();
    if (b == "Removed")
        return SplitBehavior::Removed;
    if (b == "Isolated")
        return SplitBehavior::Isolated;
    if (b == "MergedWithPrevious")
        return SplitBehavior::MergedWithPrevious;
    if (b == "MergedWithNext")
        return SplitBehavior::MergedWithNext;
    if (b == "Contiguous")
        return SplitBehavior::Contiguous;
    unsupported("Split behavior", b);
}

// NormalizedString::split from HF tokenizers: matches cover the text, then are grouped by the
// behaviour; empty pieces are dropped.
void splitPieces(std::vector<PreToken> &pieces, const Regex &regex, SplitBehavior behavior, bool invert)
{
    struct Range
    {
        size_t begin, end;
        bool match;
    };
    struct Kept
    {
        size_t piece, begin, end;
    };
    // Offsets first, strings after: a megabyte of text is ~250k pieces, and growing a vector
    // of strings that large costs more than the regex.
    std::vector<Kept> kept;
    std::vector<Range> ranges;
    for (size_t index = 0; index < pieces.size(); ++index) {
        const std::string &text = pieces[index].text;
        ranges.clear();
        size_t prev = 0;
        for (const auto &[begin, end] : regex.findAll(text)) {
            if (prev != begin)
                ranges.push_back({prev, begin, invert});
            ranges.push_back({begin, end, !invert});
            prev = end;
        }
        if (prev != text.size())
            ranges.push_back({prev, text.size(), invert});

        const size_t first = kept.size();
        bool previousMatch = false;
        switch (behavior) {
        case SplitBehavior::Removed:
            for (const Range &r : ranges)
                if (!r.match)
                    kept.push_back({index, r.begin, r.end});
            break;
        case SplitBehavior::Isolated:
            for (const Range &r : ranges)
                kept.push_back({index, r.begin, r.end});
            break;
        case SplitBehavior::MergedWithPrevious:
            for (const Range &r : ranges) {
                if (r.match && !previousMatch && kept.size() > first)
                    kept.back().end = r.end;
                else
                    kept.push_back({index, r.begin, r.end});
                previousMatch = r.match;
            }
            break;
        case SplitBehavior::MergedWithNext:
            for (auto it = ranges.rbegin(); it != ranges.rend(); ++it) {
                if (it->match && !previousMatch && kept.size() > first)
                    kept.back().begin = it->begin;
                else
                    kept.push_back({index, it->begin, it->end});
                previousMatch = it->match;
            }
            std::reverse(kept.begin() + std::ptrdiff_t(first), kept.end());
            break;
        case SplitBehavior::Contiguous:
            for (const Range &r : ranges) {
                if (r.match == previousMatch && kept.size() > first)
                    kept.back().end = r.end;
                else
                    kept.push_back({index, r.begin, r.end});
                previousMatch = r.match;
            }
            break;
        }
    }
    std::vector<PreToken> out;
    out.reserve(kept.size());
    for (const Kept &k : kept) {
        if (k.end > k.begin)
            out.push_back({pieces[k.piece].text.substr(k.begin, k.end - k.begin),
                           pieces[k.piece].atStart && k.begin == 0});
    }
    pieces = std::move(out);
}

class SplitPreTokenizer final : public PreTokenizer
{
public:
    SplitPreTokenizer(std::unique_ptr<Regex> regex, SplitBehavior behavior, bool invert)
        : m_regex(std::move(regex)), m_behavior(behavior), m_invert(invert)
    {
    }
    void apply(std::vector<PreToken> &pieces) const override
    {
        splitPieces(pieces, *m_regex, m_behavior, m_invert);
    }

private:
    std::unique_ptr<Regex> m_regex;
    SplitBehavior m_behavior;
    bool m_invert;
};

// GPT-2's pattern, used by ByteLevel when use_regex is true.
constexpr const char *kGpt2Pattern =
    R"('s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+)";

class ByteLevelPreTokenizer final : public PreTokenizer
{
public:
    ByteLevelPreTokenizer(bool addPrefixSpace, bool useRegex) : m_addPrefixSpace(addPrefixSpace)
    {
        if (useRegex)
            m_regex = std::make_unique<Regex>(kGpt2Pattern);
    }
    void apply(std::vector<PreToken> &pieces) const override
    {
        if (m_addPrefixSpace) {
            for (PreToken &p : pieces)
                if (p.text.empty() || p.text[0] != ' ')
                    p.text.insert(0, 1, ' ');
        }
        if (m_regex)
            splitPieces(pieces, *m_regex, SplitBehavior::Isolated, false);
        for (PreToken &p : pieces)
            p.text = unicode::bytesToUnicode(p.text);
    }

private:
    bool m_addPrefixSpace;
    std::unique_ptr<Regex> m_regex;
};

class MetaspacePreTokenizer final : public PreTokenizer
{
public:
    MetaspacePreTokenizer(std::string replacement, PrependScheme scheme, bool split)
        : m_replacement(std::move(replacement)), m_scheme(scheme), m_split(split),
          m_splitRegex(m_replacement, true)
    {
    }
    void apply(std::vector<PreToken> &pieces) const override
    {
        for (PreToken &p : pieces) {
            p.text = replaceAllLiteral(p.text, " ", m_replacement);
            const bool starts = p.text.compare(0, m_replacement.size(), m_replacement) == 0;
            if (!starts && (m_scheme == PrependScheme::Always || (m_scheme == PrependScheme::First && p.atStart)))
                p.text.insert(0, m_replacement);
        }
        if (m_split)
            splitPieces(pieces, m_splitRegex, SplitBehavior::MergedWithNext, false);
    }

private:
    std::string m_replacement;
    PrependScheme m_scheme;
    bool m_split;
    Regex m_splitRegex;
};

// HF's BertPreTokenizer: splits on whitespace (dropped), then isolates every punctuation
// character (ASCII punctuation, which includes symbols such as $ + < = > ^ ` |, or Unicode P*).
// WhitespaceSplit is the first half alone.
class BertPreTokenizer final : public PreTokenizer
{
public:
    explicit BertPreTokenizer(bool splitPunctuation) : m_splitPunctuation(splitPunctuation) {}
    void apply(std::vector<PreToken> &pieces) const override
    {
        std::vector<PreToken> out;
        out.reserve(pieces.size() * 4);
        for (const PreToken &piece : pieces) {
            const std::string &text = piece.text;
            size_t wordBegin = std::string::npos;
            auto flush = [&](size_t end) {
                if (wordBegin != std::string::npos && end > wordBegin)
                    out.push_back({text.substr(wordBegin, end - wordBegin), piece.atStart && wordBegin == 0});
                wordBegin = std::string::npos;
            };
            size_t pos = 0;
            while (pos < text.size()) {
                const size_t start = pos;
                char32_t cp = 0;
                unicode::nextCodePoint(text, pos, cp);
                if (unicode::isWhitespace(cp)) {
                    flush(start);
                } else if (m_splitPunctuation && isBertPunctuation(cp)) {
                    flush(start);
                    out.push_back({text.substr(start, pos - start), piece.atStart && start == 0});
                } else if (wordBegin == std::string::npos) {
                    wordBegin = start;
                }
            }
            flush(text.size());
        }
        pieces = std::move(out);
    }

private:
    static bool isBertPunctuation(char32_t cp)
    {
        if (cp < 0x80)
            return (cp >= 33 && cp <= 47) || (cp >= 58 && cp <= 64) || (cp >= 91 && cp <= 96)
                || (cp >= 123 && cp <= 126);
        return unicode::isPunctuation(cp);
    }

    bool m_splitPunctuation;
};

class SequencePreTokenizer final : public PreTokenizer
{
public:
    std::vector<std::unique_ptr<PreTokenizer>> parts;
    void apply(std::vector<PreToken> &pieces) const override
    {
        for (const auto &p : parts)
            p->apply(pieces);
    }
};

} // namespace

std::unique_ptr<PreTokenizer> makePreTokenizer(const json &j)
{
    if (j.is_null())
        return nullptr;
    const std::string type = typeOf(j);
    if (type == "Sequence") {
        auto seq = std::make_unique<SequencePreTokenizer>();
        for (const json &part : j.value("pretokenizers", json::array()))
            if (auto p = makePreTokenizer(part))
                seq->parts.push_back(std::move(p));
        return seq;
    }
    if (type == "Split")
        return std::make_unique<SplitPreTokenizer>(makePattern(j.value("pattern", json()), "Split"),
                                                   parseBehavior(j.value("behavior", json())),
                                                   j.value("invert", false));
    if (type == "ByteLevel")
        return std::make_unique<ByteLevelPreTokenizer>(j.value("add_prefix_space", true),
                                                       j.value("use_regex", true));
    if (type == "Metaspace")
        return std::make_unique<MetaspacePreTokenizer>(j.value("replacement", std::string("\u2581")),
                                                       parsePrependScheme(j), j.value("split", true));
    if (type == "BertPreTokenizer")
        return std::make_unique<BertPreTokenizer>(true);
    if (type == "WhitespaceSplit")
        return std::make_unique<BertPreTokenizer>(false);
    if (type == "Digits")
        return std::make_unique<SplitPreTokenizer>(std::make_unique<Regex>(R"(\p{N})"),
                                                   j.value("individual_digits", false)
                                                       ? SplitBehavior::Isolated
                                                       : SplitBehavior::Contiguous,
                                                   false);
    unsupported("pre_tokenizer", type);
}

} // namespace wb::tok

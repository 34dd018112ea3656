#include "tokenizer/hf_pipeline.h"

#include "common/error.h"
#include "tokenizer/hf_pipeline_internal.h"
#include "tokenizer/regex.h"
#include "tokenizer/unicode.h"

#include <algorithm>

namespace wb::tok {

using namespace detail;

namespace {

// ---- normalizers -----------------------------------------------------------------------

class UnicodeNormalizer final : public Normalizer
{
public:
    explicit UnicodeNormalizer(unicode::NormalForm form) : m_form(form) {}
    std::string normalize(std::string text) const override { return unicode::normalize(text, m_form); }

private:
    unicode::NormalForm m_form;
};

class SequenceNormalizer final : public Normalizer
{
public:
    std::vector<std::unique_ptr<Normalizer>> parts;
    std::string normalize(std::string text) const override
    {
        for (const auto &p : parts)
            text = p->normalize(std::move(text));
        return text;
    }
};

class PrependNormalizer final : public Normalizer
{
public:
    explicit PrependNormalizer(std::string prefix) : m_prefix(std::move(prefix)) {}
    std::string normalize(std::string text) const override
    {
        return text.empty() ? text : m_prefix + text;
    }

private:
    std::string m_prefix;
};

class ReplaceNormalizer final : public Normalizer
{
public:
    ReplaceNormalizer(std::unique_ptr<Regex> pattern, std::string content)
        : m_pattern(std::move(pattern)), m_content(std::move(content))
    {
    }
    std::string normalize(std::string text) const override
    {
        return m_pattern->replaceAll(text, m_content);
    }

private:
    std::unique_ptr<Regex> m_pattern;
    std::string m_content;
};

class LowercaseNormalizer final : public Normalizer
{
public:
    // Character by character, as HF does: a final Σ becomes σ, not ς.
    std::string normalize(std::string text) const override { return unicode::lowerEachChar(text); }
};

class StripNormalizer final : public Normalizer
{
public:
    StripNormalizer(bool left, bool right) : m_left(left), m_right(right) {}
    std::string normalize(std::string text) const override
    {
        size_t begin = 0, end = text.size();
        if (m_left) {
            while (begin < end) {
                size_t next = begin;
                char32_t cp = 0;
                if (!unicode::nextCodePoint(text, next, cp) || !unicode::isWhitespace(cp))
                    break;
                begin = next;
            }
        }
        if (m_right) {
            while (end > begin) {
                size_t start = end - 1;
                while (start > begin && (static_cast<unsigned char>(text[start]) & 0xC0) == 0x80)
                    --start;
                size_t pos = start;
                char32_t cp = 0;
                if (!unicode::nextCodePoint(text, pos, cp) || !unicode::isWhitespace(cp))
                    break;
                end = start;
            }
        }
        return text.substr(begin, end - begin);
    }

private:
    bool m_left, m_right;
};

// HF's BertNormalizer: clean_text (drops NUL, U+FFFD and control/format/unassigned
// characters, maps whitespace to ' '), handle_chinese_chars (spaces around CJK ideographs),
// strip_accents (NFD, then drops non-spacing marks; defaults to lowercase), lowercase.
class BertNormalizer final : public Normalizer
{
public:
    BertNormalizer(bool cleanText, bool chineseChars, bool stripAccents, bool lowercase)
        : m_cleanText(cleanText), m_chineseChars(chineseChars), m_stripAccents(stripAccents),
          m_lowercase(lowercase)
    {
    }
    std::string normalize(std::string text) const override
    {
        if (m_cleanText || m_chineseChars) {
            std::string out;
            out.reserve(text.size() + text.size() / 2);
            size_t pos = 0;
            while (pos < text.size()) {
                const size_t start = pos;
                char32_t cp = 0;
                unicode::nextCodePoint(text, pos, cp); // valid UTF-8: checked by encode()
                if (m_cleanText) {
                    if (cp == '\t' || cp == '\n' || cp == '\r' || unicode::isWhitespace(cp)) {
                        out.push_back(' ');
                        continue;
                    }
                    if (cp == 0 || cp == 0xFFFD || unicode::isOther(cp))
                        continue;
                }
                const bool cjk = m_chineseChars && isChineseChar(cp);
                if (cjk)
                    out.push_back(' ');
                out.append(text, start, pos - start);
                if (cjk)
                    out.push_back(' ');
            }
            text = std::move(out);
        }
        if (m_stripAccents) {
            const std::string nfd = unicode::normalize(text, unicode::NormalForm::Nfd);
            text.clear();
            size_t pos = 0;
            while (pos < nfd.size()) {
                const size_t start = pos;
                char32_t cp = 0;
                unicode::nextCodePoint(nfd, pos, cp);
                if (!unicode::isNonSpacingMark(cp))
                    text.append(nfd, start, pos - start);
            }
        }
        return m_lowercase ? unicode::lowerEachChar(text) : text;
    }

private:
    // The CJK Unified Ideographs blocks, as HF (and the original BERT) define them; not
    // Hiragana, Katakana or Hangul, which are written with spaces between words.
    static bool isChineseChar(char32_t c)
    {
        return (c >= 0x4E00 && c <= 0x9FFF) || (c >= 0x3400 && c <= 0x4DBF)
            || (c >= 0x20000 && c <= 0x2A6DF) || (c >= 0x2A700 && c <= 0x2B73F)
            || (c >= 0x2B740 && c <= 0x2B81F) || (c >= 0x2B920 && c <= 0x2CEAF)
            || (c >= 0xF900 && c <= 0xFAFF) || (c >= 0x2F800 && c <= 0x2FA1F);
    }

    bool m_cleanText, m_chineseChars, m_stripAccents, m_lowercase;
};

class ByteLevelNormalizer final : public Normalizer
{
public:
    std::string normalize(std::string text) const override { return unicode::bytesToUnicode(text); }
};

} // namespace

std::unique_ptr<Normalizer> makeNormalizer(const json &j)
{
    if (j.is_null())
        return nullptr;
    const std::string type = typeOf(j);
    if (type == "NFC")
        return std::make_unique<UnicodeNormalizer>(unicode::NormalForm::Nfc);
    if (type == "NFD")
        return std::make_unique<UnicodeNormalizer>(unicode::NormalForm::Nfd);
    if (type == "NFKC")
        return std::make_unique<UnicodeNormalizer>(unicode::NormalForm::Nfkc);
    if (type == "NFKD")
        return std::make_unique<UnicodeNormalizer>(unicode::NormalForm::Nfkd);
    if (type == "Sequence") {
        auto seq = std::make_unique<SequenceNormalizer>();
        for (const json &part : j.value("normalizers", json::array()))
            if (auto n = makeNormalizer(part))
                seq->parts.push_back(std::move(n));
        return seq;
    }
    if (type == "Prepend")
        return std::make_unique<PrependNormalizer>(j.value("prepend", std::string()));
    if (type == "Replace")
        return std::make_unique<ReplaceNormalizer>(makePattern(j.value("pattern", json()), "Replace"),
                                                   j.value("content", std::string()));
    if (type == "Lowercase")
        return std::make_unique<LowercaseNormalizer>();
    if (type == "Strip")
        return std::make_unique<StripNormalizer>(j.value("strip_left", true), j.value("strip_right", true));
    if (type == "ByteLevel")
        return std::make_unique<ByteLevelNormalizer>();
    if (type == "BertNormalizer") {
        const bool lowercase = j.value("lowercase", true);
        // strip_accents: null means "as lowercase".
        const json &strip = j.contains("strip_accents") ? j["strip_accents"] : json();
        return std::make_unique<BertNormalizer>(j.value("clean_text", true),
                                                j.value("handle_chinese_chars", true),
                                                strip.is_boolean() ? strip.get<bool>() : lowercase,
                                                lowercase);
    }
    unsupported("normalizer", type);
}

PostProcessor makePostProcessor(const json &j)
{
    PostProcessor out;
    if (j.is_null())
        return out;
    const std::string type = typeOf(j);
    if (type == "ByteLevel")
        return out; // only trims offsets
    if (type == "Sequence") {
        for (const json &part : j.value("processors", json::array())) {
            PostProcessor p = makePostProcessor(part);
            if (p.present) {
                out.present = true;
                out.prefix.insert(out.prefix.end(), p.prefix.begin(), p.prefix.end());
                out.suffix.insert(out.suffix.begin(), p.suffix.begin(), p.suffix.end());
            }
        }
        return out;
    }
    if (type == "TemplateProcessing") {
        out.present = true;
        const json specials = j.value("special_tokens", json::object());
        bool afterSequence = false;
        for (const json &item : j.value("single", json::array())) {
            if (item.contains("Sequence")) {
                afterSequence = true;
                continue;
            }
            if (!item.contains("SpecialToken"))
                throw Error(ErrorCode::Parse, "tokenizer.json: TemplateProcessing item is neither "
                                              "a SpecialToken nor a Sequence");
            const std::string name = item["SpecialToken"].value("id", std::string());
            if (!specials.contains(name) || !specials[name].contains("ids"))
                throw Error(ErrorCode::Parse, "tokenizer.json: TemplateProcessing names special token '"
                                                  + name + "' without ids");
            for (const json &id : specials[name]["ids"])
                (afterSequence ? out.suffix : out.prefix).push_back(id.get<int32_t>());
        }
        return out;
    }
    if (type == "RobertaProcessing" || type == "BertProcessing") {
        // {"cls": ["<s>", 0], "sep": ["</s>", 2]}: cls A sep.
        out.present = true;
        auto idOf = [&](const char *key) {
            const json &pair = j.at(key);
            return pair.at(1).get<int32_t>();
        };
        out.prefix.push_back(idOf("cls"));
        out.suffix.push_back(idOf("sep"));
        return out;
    }
    unsupported("post_processor", type);
}

} // namespace wb::tok

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
    std::string normalize(std::string text) const override { return unicode::toLower(text); }
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

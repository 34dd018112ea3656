#include "tokenizer/hf_pipeline.h"

#include "common/error.h"
#include "tokenizer/hf_pipeline_internal.h"
#include "tokenizer/regex.h"
#include "tokenizer/unicode.h"

#include <algorithm>

namespace wb::tok {

using namespace detail;

namespace {

// ---- decoders --------------------------------------------------------------------------

class ByteLevelDecoder final : public Decoder
{
public:
    std::vector<std::string> decodeChain(std::vector<std::string> tokens) const override
    {
        std::string bytes;
        for (auto &t : tokens)
            bytes += tokenBytes(std::move(t));
        return {unicode::utf8Lossy(bytes)};
    }
    std::string tokenBytes(std::string token) const override
    {
        // A token outside the byte alphabet (an added token such as "<|im_end|>" with a space)
        // is taken as its own UTF-8, as HF does.
        std::string bytes;
        return unicode::unicodeToBytes(token, bytes) ? bytes : token;
    }
};

class MetaspaceDecoder final : public Decoder
{
public:
    MetaspaceDecoder(std::string replacement, PrependScheme scheme)
        : m_replacement(std::move(replacement)), m_scheme(scheme)
    {
    }
    std::vector<std::string> decodeChain(std::vector<std::string> tokens) const override
    {
        for (size_t i = 0; i < tokens.size(); ++i) {
            // HF drops every replacement character of the first token, not just a leading one.
            const bool drop = i == 0 && m_scheme != PrependScheme::Never;
            tokens[i] = replaceAllLiteral(tokens[i], m_replacement, drop ? "" : " ");
        }
        return tokens;
    }
    std::string tokenBytes(std::string token) const override
    {
        return replaceAllLiteral(token, m_replacement, " ");
    }

private:
    std::string m_replacement;
    PrependScheme m_scheme;
};

class ReplaceDecoder final : public Decoder
{
public:
    ReplaceDecoder(std::unique_ptr<Regex> pattern, std::string content)
        : m_pattern(std::move(pattern)), m_content(std::move(content))
    {
    }
    std::vector<std::string> decodeChain(std::vector<std::string> tokens) const override
    {
        for (auto &t : tokens)
            t = m_pattern->replaceAll(t, m_content);
        return tokens;
    }
    std::string tokenBytes(std::string token) const override
    {
        return m_pattern->replaceAll(token, m_content);
    }

private:
    std::unique_ptr<Regex> m_pattern;
    std::string m_content;
};

std::optional<unsigned char> byteToken(std::string_view t)
{
    if (t.size() != 6 || t.substr(0, 3) != "<0x" || t[5] != '>')
        return std::nullopt;
    auto hex = [](char c) -> int {
        if (c >= '0' && c <= '9')
            return c - '0';
        if (c >= 'A' && c <= 'F')
            return c - 'A' + 10;
        if (c >= 'a' && c <= 'f')
            return c - 'a' + 10;
        return -1;
    };
    const int hi = hex(t[3]), lo = hex(t[4]);
    if (hi < 0 || lo < 0)
        return std::nullopt;
    return static_cast<unsigned char>(hi * 16 + lo);
}

class ByteFallbackDecoder final : public Decoder
{
public:
    std::vector<std::string> decodeChain(std::vector<std::string> tokens) const override
    {
        std::vector<std::string> out;
        out.reserve(tokens.size());
        std::string bytes;
        auto flushBytes = [&] {
            if (bytes.empty())
                return;
            // A run that is not valid UTF-8 becomes one U+FFFD per byte, as in HF.
            if (isValid(bytes))
                out.push_back(bytes);
            else
                for (size_t i = 0; i < bytes.size(); ++i)
                    out.emplace_back(unicode::kReplacementChar);
            bytes.clear();
        };
        for (auto &t : tokens) {
            if (auto b = byteToken(t)) {
                bytes += char(*b);
            } else {
                flushBytes();
                out.push_back(std::move(t));
            }
        }
        flushBytes();
        return out;
    }
    std::string tokenBytes(std::string token) const override
    {
        if (auto b = byteToken(token))
            return std::string(1, char(*b));
        return token;
    }

private:
    static bool isValid(std::string_view s)
    {
        size_t pos = 0;
        char32_t cp = 0;
        while (pos < s.size())
            if (!unicode::nextCodePoint(s, pos, cp))
                return false;
        return true;
    }
};

class FuseDecoder final : public Decoder
{
public:
    std::vector<std::string> decodeChain(std::vector<std::string> tokens) const override
    {
        std::string all;
        for (const auto &t : tokens)
            all += t;
        return {all};
    }
    std::string tokenBytes(std::string token) const override { return token; }
};

class StripDecoder final : public Decoder
{
public:
    StripDecoder(char32_t content, size_t start, size_t stop) : m_content(content), m_start(start), m_stop(stop) {}
    std::vector<std::string> decodeChain(std::vector<std::string> tokens) const override
    {
        for (auto &t : tokens) {
            std::vector<std::pair<size_t, size_t>> chars; // byte ranges of code points
            std::vector<char32_t> cps;
            size_t pos = 0;
            char32_t cp = 0;
            while (pos < t.size()) {
                const size_t b = pos;
                unicode::nextCodePoint(t, pos, cp);
                chars.emplace_back(b, pos);
                cps.push_back(cp);
            }
            size_t startCut = 0;
            for (size_t i = 0; i < std::min(m_start, cps.size()) && cps[i] == m_content; ++i)
                startCut = i + 1;
            size_t stopCut = cps.size();
            for (size_t i = 0; i < m_stop && i < cps.size(); ++i) {
                const size_t index = cps.size() - i - 1;
                if (cps[index] != m_content)
                    break;
                stopCut = index;
            }
            if (startCut >= stopCut) {
                t.clear();
                continue;
            }
            const size_t begin = startCut < chars.size() ? chars[startCut].first : t.size();
            const size_t end = stopCut < chars.size() ? chars[stopCut].first : t.size();
            t = t.substr(begin, end - begin);
        }
        return tokens;
    }
    std::string tokenBytes(std::string token) const override { return token; }

private:
    char32_t m_content;
    size_t m_start, m_stop;
};

class SequenceDecoder final : public Decoder
{
public:
    std::vector<std::unique_ptr<Decoder>> parts;
    std::vector<std::string> decodeChain(std::vector<std::string> tokens) const override
    {
        for (const auto &p : parts)
            tokens = p->decodeChain(std::move(tokens));
        return tokens;
    }
    std::string tokenBytes(std::string token) const override
    {
        for (const auto &p : parts)
            token = p->tokenBytes(std::move(token));
        return token;
    }
};

// HF's WordPiece decoder: "##" pieces join the previous token, others get a space before
// them; cleanup removes the space before . ? ! , and in English contractions.
class WordPieceDecoder final : public Decoder
{
public:
    WordPieceDecoder(std::string prefix, bool cleanup) : m_prefix(std::move(prefix)), m_cleanup(cleanup) {}
    std::vector<std::string> decodeChain(std::vector<std::string> tokens) const override
    {
        for (size_t i = 0; i < tokens.size(); ++i) {
            std::string &t = tokens[i];
            if (i != 0) {
                if (!m_prefix.empty() && t.compare(0, m_prefix.size(), m_prefix) == 0)
                    t.erase(0, m_prefix.size());
                else
                    t.insert(0, 1, ' ');
            }
            if (m_cleanup)
                t = cleanup(std::move(t));
        }
        return tokens;
    }
    std::string tokenBytes(std::string token) const override
    {
        if (!m_prefix.empty() && token.compare(0, m_prefix.size(), m_prefix) == 0)
            return token.substr(m_prefix.size());
        return token; // the space before a word depends on its neighbour

    }

private:
    static std::string cleanup(std::string s)
    {
        static const std::pair<const char *, const char *> kRules[] = {
            {" .", "."},     {" ?", "?"},     {" !", "!"},   {" ,", ","},
            {" ' ", "'"},    {" n't", "n't"}, {" 'm", "'m"}, {" do not", " don't"},
            {" 's", "'s"},   {" 've", "'ve"}, {" 're", "'re"}};
        for (const auto &[from, to] : kRules)
            s = replaceAllLiteral(s, from, to);
        return s;
    }

    std::string m_prefix;
    bool m_cleanup;
};

char32_t firstCodePoint(const std::string &s, char32_t fallback)
{
    size_t pos = 0;
    char32_t cp = 0;
    return !s.empty() && unicode::nextCodePoint(s, pos, cp) ? cp : fallback;
}

} // namespace

std::unique_ptr<Decoder> makeDecoder(const json &j)
{
    if (j.is_null())
        return nullptr;
    const std::string type = typeOf(j);
    if (type == "ByteLevel")
        return std::make_unique<ByteLevelDecoder>();
    if (type == "Metaspace")
        return std::make_unique<MetaspaceDecoder>(j.value("replacement", std::string("\u2581")),
                                                  parsePrependScheme(j));
    if (type == "Replace")
        return std::make_unique<ReplaceDecoder>(makePattern(j.value("pattern", json()), "Replace"),
                                                j.value("content", std::string()));
    if (type == "ByteFallback")
        return std::make_unique<ByteFallbackDecoder>();
    if (type == "Fuse")
        return std::make_unique<FuseDecoder>();
    if (type == "Strip")
        return std::make_unique<StripDecoder>(firstCodePoint(j.value("content", std::string(" ")), U' '),
                                              j.value("start", size_t(0)), j.value("stop", size_t(0)));
    if (type == "WordPiece")
        return std::make_unique<WordPieceDecoder>(j.value("prefix", std::string("##")),
                                                  j.value("cleanup", true));
    if (type == "Sequence") {
        auto seq = std::make_unique<SequenceDecoder>();
        for (const json &part : j.value("decoders", json::array()))
            if (auto d = makeDecoder(part))
                seq->parts.push_back(std::move(d));
        return seq;
    }
    unsupported("decoder", type);
}

} // namespace wb::tok

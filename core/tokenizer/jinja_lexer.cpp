// Lexer for the Jinja2 subset that Hugging Face chat templates use. It copies jinja2's own
// rules (jinja2/lexer.py) with transformers' environment: trim_blocks=True,
// lstrip_blocks=True, keep_trailing_newline=False, newlines normalised to "\n".

#include "tokenizer/jinja_lexer.h"

#include "common/error.h"
#include "tokenizer/jinja_ast.h"
#include "tokenizer/jinja_text.h"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cstring>
#include <functional>
#include <initializer_list>

namespace wb::jinja {

namespace {

bool isAsciiSpace(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

bool isNameStart(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' ||
           static_cast<unsigned char>(c) >= 0x80;
}

bool isNameChar(char c)
{
    return isNameStart(c) || (c >= '0' && c <= '9');
}

bool isDigit(char c)
{
    return c >= '0' && c <= '9';
}

// Python str.rstrip(): all Unicode whitespace.
std::string rstripPy(const std::string &s)
{
    return strip(s, nullptr, false, true);
}

bool allPySpace(std::string_view s)
{
    for (char32_t c : decodeUtf8(s)) {
        if (!isPySpace(c))
            return false;
    }
    return !s.empty();
}

// Python's unicode-escape decoding, which jinja2 applies to string literals.
std::string decodeEscapes(std::string_view raw,
                          const std::function<void(const std::string &)> &fail)
{
    std::string out;
    out.reserve(raw.size());
    for (size_t i = 0; i < raw.size(); ++i) {
        const char c = raw[i];
        if (c != '\\' || i + 1 >= raw.size()) {
            out.push_back(c);
            continue;
        }
        const char e = raw[++i];
        auto hex = [&](int digits) {
            uint32_t v = 0;
            for (int k = 1; k <= digits; ++k) {
                if (i + k >= raw.size())
                    fail("truncated \\" + std::string(1, e) + " escape in a string");
                const char h = raw[i + k];
                int d = -1;
                if (h >= '0' && h <= '9')
                    d = h - '0';
                else if (h >= 'a' && h <= 'f')
                    d = h - 'a' + 10;
                else if (h >= 'A' && h <= 'F')
                    d = h - 'A' + 10;
                if (d < 0)
                    fail("truncated \\" + std::string(1, e) + " escape in a string");
                v = v * 16 + static_cast<uint32_t>(d);
            }
            i += digits;
            if (v > 0x10FFFF)
                fail("illegal Unicode character in a string escape");
            appendUtf8(out, v);
        };
        switch (e) {
        case '\n':
            break; // line continuation
        case '\\':
            out.push_back('\\');
            break;
        case '\'':
            out.push_back('\'');
            break;
        case '"':
            out.push_back('"');
            break;
        case 'a':
            out.push_back('\a');
            break;
        case 'b':
            out.push_back('\b');
            break;
        case 'f':
            out.push_back('\f');
            break;
        case 'n':
            out.push_back('\n');
            break;
        case 'r':
            out.push_back('\r');
            break;
        case 't':
            out.push_back('\t');
            break;
        case 'v':
            out.push_back('\v');
            break;
        case 'x':
            hex(2);
            break;
        case 'u':
            hex(4);
            break;
        case 'U':
            hex(8);
            break;
        default:
            if (e >= '0' && e <= '7') {
                uint32_t v = static_cast<uint32_t>(e - '0');
                for (int k = 0;
                     k < 2 && i + 1 < raw.size() && raw[i + 1] >= '0' && raw[i + 1] <= '7'; ++k)
                    v = v * 8 + static_cast<uint32_t>(raw[++i] - '0');
                appendUtf8(out, v);
            } else {
                // Python keeps unknown escapes as they are.
                out.push_back('\\');
                out.push_back(e);
            }
        }
    }
    return out;
}

class Lexer
{
public:
    Lexer(const std::string &src, const std::function<void(size_t, const std::string &)> &fail)
        : m_src(src), m_fail(fail)
    {
    }

    std::vector<Segment> run()
    {
        const size_t n = m_src.size();
        size_t pos = 0;
        bool lineStarting = true;
        while (pos < n) {
            size_t t = pos;
            while (t + 1 < n && !(m_src[t] == '{' && (m_src[t + 1] == '{' || m_src[t + 1] == '%' ||
                                                      m_src[t + 1] == '#')))
                ++t;
            if (t + 1 >= n) {
                addText(m_src.substr(pos), pos);
                break;
            }
            const char kind = m_src[t + 1];
            size_t p = t + 2;
            const char sign = p < n && (m_src[p] == '-' || m_src[p] == '+') ? m_src[p] : 0;
            if (sign)
                ++p;
            size_t rawEnd = 0;
            const bool raw = kind == '%' && matchRawBegin(p, rawEnd);

            std::string text = m_src.substr(pos, t - pos);
            applyLeftStrip(text, sign, kind != '{', lineStarting);
            addText(std::move(text), pos);

            size_t end = 0;
            if (raw) {
                end = lexRaw(rawEnd, lineStarting);
            } else if (kind == '#') {
                end = lexComment(p, t);
            } else {
                end = lexTag(p, kind == '%', t);
            }
            lineStarting = end > 0 && m_src[end - 1] == '\n';
            pos = end;
        }
        return std::move(m_segments);
    }

private:
    void applyLeftStrip(std::string &text, char sign, bool blockLike, bool lineStarting)
    {
        if (sign == '-') {
            text = rstripPy(text);
        } else if (sign != '+' && blockLike) {
            const size_t nl = text.rfind('\n');
            const size_t lpos = nl == std::string::npos ? 0 : nl + 1;
            if ((lpos > 0 || lineStarting) && allPySpace(std::string_view(text).substr(lpos)))
                text.resize(lpos);
        }
    }

    void addText(std::string text, size_t offset)
    {
        if (text.empty())
            return;
        Segment s;
        s.kind = Segment::Text;
        s.text = std::move(text);
        s.offset = offset;
        m_segments.push_back(std::move(s));
    }

    size_t skipPySpace(size_t p) const
    {
        while (p < m_src.size()) {
            if (isAsciiSpace(m_src[p])) {
                ++p;
                continue;
            }
            // Unicode whitespace also counts for \s in Python's re.
            const auto c = static_cast<unsigned char>(m_src[p]);
            if (c < 0x80)
                break;
            size_t len = (c & 0xE0) == 0xC0 ? 2 : (c & 0xF0) == 0xE0 ? 3 : 4;
            const std::u32string cp = decodeUtf8(std::string_view(m_src).substr(p, len));
            if (cp.size() != 1 || !isPySpace(cp[0]))
                break;
            p += len;
        }
        return p;
    }

    // After "{%" and its sign: "\s*raw\s*(-%}\s*|%})".
    bool matchRawBegin(size_t p, size_t &end) const
    {
        p = skipPySpace(p);
        if (m_src.compare(p, 3, "raw") != 0)
            return false;
        p = skipPySpace(p + 3);
        if (m_src.compare(p, 3, "-%}") == 0) {
            end = skipPySpace(p + 3);
            return true;
        }
        if (m_src.compare(p, 2, "%}") == 0) {
            end = p + 2;
            return true;
        }
        return false;
    }

    size_t lexRaw(size_t p, bool lineStarting)
    {
        size_t search = p;
        while (true) {
            const size_t t = m_src.find("{%", search);
            if (t == std::string::npos)
                m_fail(p, "missing {% endraw %} for a {% raw %} block");
            size_t q = t + 2;
            const char sign =
                q < m_src.size() && (m_src[q] == '-' || m_src[q] == '+') ? m_src[q] : 0;
            if (sign)
                ++q;
            q = skipPySpace(q);
            if (m_src.compare(q, 6, "endraw") == 0) {
                q = skipPySpace(q + 6);
                size_t end = 0;
                if (m_src.compare(q, 3, "+%}") == 0)
                    end = q + 3;
                else if (m_src.compare(q, 3, "-%}") == 0)
                    end = skipPySpace(q + 3);
                else if (m_src.compare(q, 2, "%}") == 0)
                    end = q + 2 + (q + 2 < m_src.size() && m_src[q + 2] == '\n' ? 1 : 0);
                if (end) {
                    std::string text = m_src.substr(p, t - p);
                    (void)lineStarting;
                    applyLeftStrip(text, sign, true, p > 0 && m_src[p - 1] == '\n');
                    addText(std::move(text), p);
                    return end;
                }
            }
            search = t + 2;
        }
    }

    size_t lexComment(size_t bodyStart, size_t tagStart)
    {
        const size_t i = m_src.find("#}", bodyStart);
        if (i == std::string::npos)
            m_fail(tagStart, "missing end of comment tag '#}'");
        const char before = i > bodyStart ? m_src[i - 1] : 0;
        size_t end = i + 2;
        if (before == '-')
            return skipPySpace(end);
        if (before == '+')
            return end;
        if (end < m_src.size() && m_src[end] == '\n')
            ++end;
        return end;
    }

    size_t lexTag(size_t p, bool block, size_t tagStart)
    {
        Segment seg;
        seg.kind = block ? Segment::Block : Segment::Var;
        seg.offset = tagStart;
        std::vector<char> balance;
        const size_t n = m_src.size();
        while (true) {
            while (p < n && isAsciiSpace(m_src[p]))
                ++p;
            if (p >= n)
                m_fail(tagStart, block
                                     ? "unexpected end of template: this '{%' tag is never closed "
                                       "with '%}'"
                                     : "unexpected end of template: this '{{' is never closed "
                                       "with '}}'");
            if (balance.empty()) {
                size_t end = 0;
                if (block) {
                    if (m_src.compare(p, 3, "+%}") == 0)
                        end = p + 3;
                    else if (m_src.compare(p, 3, "-%}") == 0)
                        end = skipPySpace(p + 3);
                    else if (m_src.compare(p, 2, "%}") == 0)
                        end = p + 2 + (p + 2 < n && m_src[p + 2] == '\n' ? 1 : 0);
                } else {
                    if (m_src.compare(p, 3, "-}}") == 0)
                        end = skipPySpace(p + 3);
                    else if (m_src.compare(p, 2, "}}") == 0)
                        end = p + 2;
                }
                if (end) {
                    Token t;
                    t.type = TokType::End;
                    t.offset = p;
                    seg.tokens.push_back(std::move(t));
                    m_segments.push_back(std::move(seg));
                    return end;
                }
            }
            Token tok;
            tok.offset = p;
            const char c = m_src[p];
            if (isDigit(c)) {
                p = lexNumber(p, tok);
            } else if (isNameStart(c)) {
                size_t q = p;
                while (q < n && isNameChar(m_src[q]))
                    ++q;
                tok.type = TokType::Name;
                tok.text = m_src.substr(p, q - p);
                p = q;
            } else if (c == '\'' || c == '"') {
                size_t q = p + 1;
                while (q < n && m_src[q] != c)
                    q += m_src[q] == '\\' ? 2 : 1;
                if (q >= n)
                    m_fail(p, "unterminated string literal");
                tok.type = TokType::String;
                tok.text = decodeEscapes(std::string_view(m_src).substr(p + 1, q - p - 1),
                                         [&](const std::string &m) { m_fail(p, m); });
                p = q + 1;
            } else {
                static const char *const kOps[] = {
                    "//", "**", "==", "!=", ">=", "<=", "+", "-", "/", "*", "%", "~", "[",
                    "]",  "(",  ")",  "{",  "}",  ">",  "<", "=", ".", ":", "|", ",", ";"};
                const char *op = nullptr;
                for (const char *candidate : kOps) {
                    if (m_src.compare(p, std::strlen(candidate), candidate) == 0) {
                        op = candidate;
                        break;
                    }
                }
                if (!op)
                    m_fail(p, std::string("unexpected character '") + c + "'");
                tok.type = TokType::Op;
                tok.text = op;
                if (tok.text == "(" || tok.text == "[" || tok.text == "{") {
                    balance.push_back(tok.text == "(" ? ')' : tok.text == "[" ? ']' : '}');
                } else if (tok.text == ")" || tok.text == "]" || tok.text == "}") {
                    if (balance.empty())
                        m_fail(p, "unexpected '" + tok.text + "'");
                    if (balance.back() != tok.text[0])
                        m_fail(p, "unexpected '" + tok.text + "', expected '" +
                                      std::string(1, balance.back()) + "'");
                    balance.pop_back();
                }
                p += tok.text.size();
            }
            seg.tokens.push_back(std::move(tok));
        }
    }

    size_t lexNumber(size_t p, Token &tok)
    {
        const size_t n = m_src.size();
        auto digitsFrom = [&](size_t q) {
            // (\d+_)*\d+
            while (q < n &&
                   (isDigit(m_src[q]) || (m_src[q] == '_' && q + 1 < n && isDigit(m_src[q + 1]))))
                ++q;
            return q;
        };
        auto clean = [&](size_t a, size_t b) {
            std::string s = m_src.substr(a, b - a);
            s.erase(std::remove(s.begin(), s.end(), '_'), s.end());
            return s;
        };
        // Hex, octal and binary integers.
        if (m_src[p] == '0' && p + 1 < n && std::strchr("xXoObB", m_src[p + 1])) {
            const char k = static_cast<char>(m_src[p + 1] | 0x20);
            const int base = k == 'x' ? 16 : k == 'o' ? 8 : 2;
            size_t q = p + 2;
            while (q < n &&
                   (std::isxdigit(static_cast<unsigned char>(m_src[q])) || m_src[q] == '_'))
                ++q;
            const std::string s = clean(p + 2, q);
            int64_t v = 0;
            auto r = std::from_chars(s.data(), s.data() + s.size(), v, base);
            if (s.empty() || r.ec != std::errc() || r.ptr != s.data() + s.size())
                m_fail(p, "invalid or too large integer literal");
            tok.type = TokType::Int;
            tok.value = Value::integer(v);
            return q;
        }
        size_t q = digitsFrom(p);
        const bool afterDot = p > 0 && m_src[p - 1] == '.';
        bool isFloat = false;
        if (!afterDot) {
            size_t r = q;
            if (r + 1 < n && m_src[r] == '.' && isDigit(m_src[r + 1])) {
                r = digitsFrom(r + 1);
                isFloat = true;
            }
            if (r < n && (m_src[r] == 'e' || m_src[r] == 'E')) {
                size_t s = r + 1;
                if (s < n && (m_src[s] == '+' || m_src[s] == '-'))
                    ++s;
                if (s < n && isDigit(m_src[s])) {
                    r = digitsFrom(s);
                    isFloat = true;
                }
            }
            if (isFloat)
                q = r;
        }
        if (!isFloat && m_src[p] == '0') {
            // jinja2's integer_re: a decimal with a leading zero is only zeros ("07" is an error).
            q = p + 1;
            while (q < n &&
                   (m_src[q] == '0' || (m_src[q] == '_' && q + 1 < n && m_src[q + 1] == '0')))
                ++q;
        }
        const std::string s = clean(p, q);
        if (isFloat) {
            double d = 0;
            std::from_chars(s.data(), s.data() + s.size(), d);
            tok.type = TokType::Float;
            tok.value = Value::number(d);
        } else {
            int64_t v = 0;
            auto r = std::from_chars(s.data(), s.data() + s.size(), v);
            if (r.ec != std::errc())
                m_fail(p, "integer literal " + s + " is too large");
            tok.type = TokType::Int;
            tok.value = Value::integer(v);
        }
        return q;
    }

    const std::string &m_src;
    const std::function<void(size_t, const std::string &)> &m_fail;
    std::vector<Segment> m_segments;
};
} // namespace

std::vector<Segment> lexTemplate(const std::string &source,
                                 const std::function<void(size_t, const std::string &)> &fail)
{
    return Lexer(source, fail).run();
}

} // namespace wb::jinja

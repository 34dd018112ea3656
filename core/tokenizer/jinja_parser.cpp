// Lexer and parser for the Jinja2 subset that Hugging Face chat templates use. The lexer copies
// jinja2's own rules (jinja2/lexer.py) with transformers' environment: trim_blocks=True,
// lstrip_blocks=True, keep_trailing_newline=False, newlines normalised to "\n".

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

enum class TokType { Name, String, Int, Float, Op, End };

struct Token
{
    TokType type = TokType::End;
    std::string text; // name, operator, or the decoded string
    Value value;      // Int / Float
    size_t offset = 0;
};

struct Segment
{
    enum Kind { Text, Var, Block } kind = Text;
    std::string text;
    std::vector<Token> tokens; // ends with an End token
    size_t offset = 0;
};

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

class Parser
{
public:
    explicit Parser(std::string source) : m_src(std::move(source))
    {
        m_lineStarts.push_back(0);
        for (size_t i = 0; i < m_src.size(); ++i) {
            if (m_src[i] == '\n')
                m_lineStarts.push_back(i + 1);
        }
    }

    std::shared_ptr<const Program> run()
    {
        std::function<void(size_t, const std::string &)> fail =
            [this](size_t offset, const std::string &m) { failAt(offset, m); };
        Lexer lexer(m_src, fail);
        m_segments = lexer.run();
        auto program = std::make_shared<Program>();
        program->body = parseBody({}, nullptr, 0);
        return program;
    }

private:
    // ---- positions and errors -------------------------------------------------------------

    int lineOf(size_t offset) const
    {
        auto it = std::upper_bound(m_lineStarts.begin(), m_lineStarts.end(), offset);
        return static_cast<int>(it - m_lineStarts.begin());
    }

    [[noreturn]] void failAt(size_t offset, const std::string &message,
                             ErrorCode code = ErrorCode::Parse) const
    {
        offset = std::min(offset, m_src.size());
        const int line = lineOf(offset);
        const size_t lineStart = m_lineStarts[static_cast<size_t>(line - 1)];
        const size_t column =
            codePointCount(std::string_view(m_src).substr(lineStart, offset - lineStart)) + 1;
        throw Error(code,
                    "chat template line " + std::to_string(line) + ", column " +
                        std::to_string(column) + ": " + message,
                    "chat template");
    }

    [[noreturn]] void fail(const std::string &message, ErrorCode code = ErrorCode::Parse) const
    {
        failAt(cur().offset, message, code);
    }

    // ---- token cursor ---------------------------------------------------------------------

    const Token &cur() const { return (*m_tokens)[m_pos]; }
    const Token &peek(size_t k = 1) const
    {
        return (*m_tokens)[std::min(m_pos + k, m_tokens->size() - 1)];
    }
    const Token &next()
    {
        const Token &t = cur();
        if (m_pos + 1 < m_tokens->size())
            ++m_pos;
        return t;
    }
    bool isOp(const char *op) const { return cur().type == TokType::Op && cur().text == op; }
    bool isName(const char *name) const
    {
        return cur().type == TokType::Name && cur().text == name;
    }
    bool atEnd() const { return cur().type == TokType::End; }
    int line() const { return lineOf(cur().offset); }

    static std::string describe(const Token &t)
    {
        switch (t.type) {
        case TokType::End:
            return "the end of the tag";
        case TokType::String:
            return "a string";
        case TokType::Int:
        case TokType::Float:
            return "a number";
        default:
            return "'" + t.text + "'";
        }
    }

    void expectOp(const char *op)
    {
        if (!isOp(op))
            fail(std::string("expected '") + op + "', found " + describe(cur()));
        next();
    }

    std::string expectName(const char *what)
    {
        if (cur().type != TokType::Name)
            fail(std::string("expected ") + what + ", found " + describe(cur()));
        return next().text;
    }

    void expectEnd(const char *tag)
    {
        if (!atEnd())
            fail(std::string("expected the end of the ") + tag + " tag, found " + describe(cur()));
    }

    // ---- node helpers ---------------------------------------------------------------------

    ExprPtr node(ExprKind kind, int atLine, std::vector<ExprPtr> args = {})
    {
        auto e = std::make_unique<Expr>();
        e->kind = kind;
        e->line = atLine;
        int depth = 0;
        for (const auto &a : args)
            depth = std::max(depth, a ? a->depth : 0);
        e->depth = depth + 1;
        e->args = std::move(args);
        if (e->depth > kMaxExpressionDepth)
            fail("expression nested more than " + std::to_string(kMaxExpressionDepth) +
                 " levels deep");
        return e;
    }

    void addDepth(Expr &e, const Expr *child)
    {
        if (child && child->depth + 1 > e.depth) {
            e.depth = child->depth + 1;
            if (e.depth > kMaxExpressionDepth)
                fail("expression nested more than " + std::to_string(kMaxExpressionDepth) +
                     " levels deep");
        }
    }

    struct RecursionGuard
    {
        Parser &p;
        explicit RecursionGuard(Parser &parser) : p(parser)
        {
            if (++p.m_recursion > kMaxNestingDepth * 2)
                p.fail("expression nested more than " + std::to_string(kMaxNestingDepth) +
                       " levels deep");
        }
        ~RecursionGuard() { --p.m_recursion; }
    };

    // ---- statements -----------------------------------------------------------------------

    const std::string *blockName(const Segment &s) const
    {
        if (s.kind != Segment::Block || s.tokens.empty() || s.tokens[0].type != TokType::Name)
            return nullptr;
        return &s.tokens[0].text;
    }

    // Parses until a block tag named in `stops` (left current) or the end of the template.
    Body parseBody(std::initializer_list<const char *> stops, const char *openTag, size_t openAt)
    {
        if (++m_nesting > kMaxNestingDepth)
            failAt(openAt, "tags nested more than " + std::to_string(kMaxNestingDepth) + " deep");
        Body body;
        while (m_seg < m_segments.size()) {
            Segment &s = m_segments[m_seg];
            if (s.kind == Segment::Text) {
                auto st = std::make_unique<Stmt>();
                st->kind = StmtKind::Text;
                st->line = lineOf(s.offset);
                st->text = std::move(s.text);
                body.push_back(std::move(st));
                ++m_seg;
                continue;
            }
            m_tokens = &s.tokens;
            m_pos = 0;
            if (s.kind == Segment::Var) {
                auto st = std::make_unique<Stmt>();
                st->kind = StmtKind::Output;
                st->line = lineOf(s.offset);
                if (atEnd())
                    fail("expected an expression between '{{' and '}}'");
                st->expr = parseTuple(true, false, {});
                if (!atEnd())
                    fail("expected '}}', found " + describe(cur()));
                body.push_back(std::move(st));
                ++m_seg;
                continue;
            }
            const std::string *name = blockName(s);
            if (!name)
                failAt(s.offset, "expected a tag name after '{%'");
            for (const char *stop : stops) {
                if (*name == stop) {
                    --m_nesting;
                    return body;
                }
            }
            body.push_back(parseStatement(*name, s.offset));
        }
        if (openTag) {
            std::string expected;
            for (const char *stop : stops)
                expected += std::string(expected.empty() ? "" : " or ") + "{% " + stop + " %}";
            failAt(m_src.size(), std::string("unexpected end of template: the {% ") + openTag +
                                     " %} on line " + std::to_string(lineOf(openAt)) +
                                     " is never closed (expected " + expected + ")");
        }
        --m_nesting;
        return body;
    }

    // Moves to the segment after the current block tag, checking it has nothing more.
    void finishTag(const char *tag)
    {
        expectEnd(tag);
        ++m_seg;
    }

    // The current segment is a block tag named `name`; m_pos is on the name.
    void enterTag(size_t segIndex)
    {
        m_tokens = &m_segments[segIndex].tokens;
        m_pos = 1;
    }

    StmtPtr parseStatement(const std::string &name, size_t offset)
    {
        auto st = std::make_unique<Stmt>();
        st->line = lineOf(offset);
        next();
        if (name == "if") {
            st->kind = StmtKind::If;
            st->conditions.push_back(parseTuple(false, false, {}));
            finishTag("if");
            while (true) {
                st->bodies.push_back(parseBody({"elif", "else", "endif"}, "if", offset));
                const std::string tag = m_segments[m_seg].tokens[0].text;
                enterTag(m_seg);
                if (tag == "elif") {
                    st->conditions.push_back(parseTuple(false, false, {}));
                    finishTag("elif");
                    continue;
                }
                if (tag == "else") {
                    finishTag("else");
                    st->bodies.push_back(parseBody({"endif"}, "if", offset));
                    enterTag(m_seg);
                }
                finishTag("endif");
                break;
            }
            return st;
        }
        if (name == "for") {
            st->kind = StmtKind::For;
            st->targets = parseTargets("in");
            if (!isName("in"))
                fail("expected 'in' in the for tag, found " + describe(cur()));
            next();
            st->expr = parseTuple(false, false, {"recursive"});
            if (isName("if")) {
                next();
                st->filter = parseExpression(true);
            }
            if (isName("recursive"))
                fail("recursive for loops are not supported", ErrorCode::Unsupported);
            finishTag("for");
            ++m_loopDepth;
            st->bodies.push_back(parseBody({"else", "endfor"}, "for", offset));
            --m_loopDepth;
            if (*blockName(m_segments[m_seg]) == "else") {
                enterTag(m_seg);
                finishTag("else");
                st->bodies.push_back(parseBody({"endfor"}, "for", offset));
            }
            enterTag(m_seg);
            finishTag("endfor");
            return st;
        }
        if (name == "set") {
            if (cur().type == TokType::Name && peek().type == TokType::Op && peek().text == "." &&
                peek(2).type == TokType::Name) {
                st->targets.push_back(next().text);
                next();
                st->text = next().text; // namespace attribute
            } else {
                st->targets = parseTargets("=");
            }
            if (isOp("=")) {
                next();
                st->kind = StmtKind::Set;
                st->expr = parseTuple(true, false, {});
                finishTag("set");
                return st;
            }
            if (!st->text.empty() || st->targets.size() != 1)
                fail("expected '=' in the set tag");
            st->kind = StmtKind::SetBlock;
            if (isOp("|"))
                st->filter = parseFilterExpr(blockPlaceholder(), true);
            finishTag("set");
            st->bodies.push_back(parseBody({"endset"}, "set", offset));
            enterTag(m_seg);
            finishTag("endset");
            return st;
        }
        if (name == "break" || name == "continue") {
            if (m_loopDepth == 0)
                fail("'" + name + "' outside of a for loop");
            st->kind = name == "break" ? StmtKind::Break : StmtKind::Continue;
            finishTag(name.c_str());
            return st;
        }
        if (name == "macro") {
            st->kind = StmtKind::Macro;
            st->text = expectName("a macro name");
            expectOp("(");
            while (!isOp(")")) {
                if (!st->targets.empty())
                    expectOp(",");
                if (isOp(")"))
                    break;
                st->targets.push_back(expectName("a parameter name"));
                if (isOp("=")) {
                    next();
                    st->defaults.push_back(parseExpression(true));
                } else {
                    st->defaults.push_back(nullptr);
                }
            }
            next();
            finishTag("macro");
            const int savedLoops = m_loopDepth;
            m_loopDepth = 0;
            st->bodies.push_back(parseBody({"endmacro"}, "macro", offset));
            m_loopDepth = savedLoops;
            enterTag(m_seg);
            if (cur().type == TokType::Name)
                next(); // {% endmacro name %}
            finishTag("endmacro");
            return st;
        }
        if (name == "filter") {
            st->kind = StmtKind::FilterBlock;
            st->filter = parseFilter(blockPlaceholder(), false);
            st->filter = parseFilterExpr(std::move(st->filter), true);
            finishTag("filter");
            st->bodies.push_back(parseBody({"endfilter"}, "filter", offset));
            enterTag(m_seg);
            finishTag("endfilter");
            return st;
        }
        if (name == "generation") {
            // transformers' AssistantTracker tag: renders its body unchanged.
            st->kind = StmtKind::Scope;
            finishTag("generation");
            st->bodies.push_back(parseBody({"endgeneration"}, "generation", offset));
            enterTag(m_seg);
            finishTag("endgeneration");
            return st;
        }
        static const char *const kUnsupported[] = {
            "include", "import", "from", "extends", "block", "call", "with", "autoescape", "trans"};
        for (const char *u : kUnsupported) {
            if (name == u)
                failAt(offset, "the {% " + name + " %} tag is not supported in chat templates",
                       ErrorCode::Unsupported);
        }
        failAt(offset, "unknown tag '" + name + "'" +
                           (name.rfind("end", 0) == 0 || name == "elif" || name == "else"
                                ? std::string(" (no open block to close)")
                                : std::string()));
    }

    ExprPtr blockPlaceholder()
    {
        auto e = node(ExprKind::Name, line());
        e->name = "\x01block"; // no template can name it
        return e;
    }

    // Assignment targets: a name, or names separated by commas, optionally in parentheses.
    std::vector<std::string> parseTargets(const char *terminator)
    {
        std::vector<std::string> names;
        const bool paren = isOp("(");
        if (paren)
            next();
        while (true) {
            names.push_back(expectName("a variable name"));
            if (!isOp(","))
                break;
            next();
            if (paren && isOp(")"))
                break;
            if (!paren && cur().type != TokType::Name)
                break;
        }
        if (paren)
            expectOp(")");
        (void)terminator;
        return names;
    }

    // ---- expressions ----------------------------------------------------------------------

    ExprPtr parseTuple(bool withCondExpr, bool explicitParens,
                       std::initializer_list<const char *> extraEnd)
    {
        const int startLine = line();
        std::vector<ExprPtr> items;
        bool isTuple = false;
        auto isTupleEnd = [&] {
            if (atEnd() || isOp(")") || isOp("]") || isOp("}"))
                return true;
            for (const char *e : extraEnd) {
                if (isName(e))
                    return true;
            }
            return false;
        };
        while (true) {
            if (!items.empty())
                expectOp(",");
            if (isTupleEnd())
                break;
            items.push_back(withCondExpr ? parseExpression(true) : parseOr());
            if (isOp(","))
                isTuple = true;
            else
                break;
        }
        if (!isTuple) {
            if (!items.empty())
                return std::move(items[0]);
            if (!explicitParens)
                fail("expected an expression, found " + describe(cur()));
        }
        auto tuple = node(ExprKind::List, startLine, std::move(items));
        tuple->name = "tuple";
        return tuple;
    }

    ExprPtr parseExpression(bool withCondExpr)
    {
        RecursionGuard guard(*this);
        ExprPtr expr = parseOr();
        if (!withCondExpr)
            return expr;
        while (isName("if")) {
            const int l = line();
            next();
            ExprPtr cond = parseOr();
            ExprPtr otherwise;
            if (isName("else")) {
                next();
                otherwise = parseExpression(true);
            }
            std::vector<ExprPtr> args;
            args.push_back(std::move(cond));
            args.push_back(std::move(expr));
            args.push_back(nullptr);
            auto e = node(ExprKind::CondExpr, l, std::move(args));
            addDepth(*e, otherwise.get());
            e->args[2] = std::move(otherwise);
            expr = std::move(e);
        }
        return expr;
    }

    ExprPtr binary(const std::string &op, ExprPtr left, ExprPtr right, int l)
    {
        std::vector<ExprPtr> args;
        args.push_back(std::move(left));
        args.push_back(std::move(right));
        auto e = node(ExprKind::Binary, l, std::move(args));
        e->name = op;
        return e;
    }

    ExprPtr parseOr()
    {
        ExprPtr left = parseAnd();
        while (isName("or")) {
            const int l = line();
            next();
            left = binary("or", std::move(left), parseAnd(), l);
        }
        return left;
    }

    ExprPtr parseAnd()
    {
        ExprPtr left = parseNot();
        while (isName("and")) {
            const int l = line();
            next();
            left = binary("and", std::move(left), parseNot(), l);
        }
        return left;
    }

    ExprPtr parseNot()
    {
        RecursionGuard guard(*this);
        if (isName("not")) {
            const int l = line();
            next();
            std::vector<ExprPtr> args;
            args.push_back(parseNot());
            auto e = node(ExprKind::Unary, l, std::move(args));
            e->name = "not";
            return e;
        }
        return parseCompare();
    }

    ExprPtr parseCompare()
    {
        const int l = line();
        ExprPtr first = parseMath1();
        std::vector<ExprPtr> args;
        std::vector<std::string> ops;
        while (true) {
            std::string op;
            if (cur().type == TokType::Op &&
                (cur().text == "==" || cur().text == "!=" || cur().text == "<" ||
                 cur().text == "<=" || cur().text == ">" || cur().text == ">=")) {
                op = next().text;
            } else if (isName("in")) {
                next();
                op = "in";
            } else if (isName("not") && peek().type == TokType::Name && peek().text == "in") {
                next();
                next();
                op = "not in";
            } else {
                break;
            }
            ops.push_back(op);
            args.push_back(parseMath1());
        }
        if (ops.empty())
            return first;
        args.insert(args.begin(), std::move(first));
        auto e = node(ExprKind::Compare, l, std::move(args));
        e->ops = std::move(ops);
        return e;
    }

    ExprPtr parseMath1()
    {
        ExprPtr left = parseConcat();
        while (isOp("+") || isOp("-")) {
            const int l = line();
            const std::string op = next().text;
            left = binary(op, std::move(left), parseConcat(), l);
        }
        return left;
    }

    ExprPtr parseConcat()
    {
        ExprPtr left = parseMath2();
        while (isOp("~")) {
            const int l = line();
            next();
            left = binary("~", std::move(left), parseMath2(), l);
        }
        return left;
    }

    ExprPtr parseMath2()
    {
        ExprPtr left = parsePow();
        while (isOp("*") || isOp("/") || isOp("//") || isOp("%")) {
            const int l = line();
            const std::string op = next().text;
            left = binary(op, std::move(left), parsePow(), l);
        }
        return left;
    }

    ExprPtr parsePow()
    {
        ExprPtr left = parseUnary(true);
        while (isOp("**")) {
            const int l = line();
            next();
            left = binary("**", std::move(left), parseUnary(true), l);
        }
        return left;
    }

    ExprPtr parseUnary(bool withFilter)
    {
        RecursionGuard guard(*this);
        ExprPtr e;
        if (isOp("-") || isOp("+")) {
            const int l = line();
            const std::string op = next().text;
            std::vector<ExprPtr> args;
            args.push_back(parseUnary(false));
            e = node(ExprKind::Unary, l, std::move(args));
            e->name = op;
        } else {
            e = parsePrimary();
        }
        e = parsePostfix(std::move(e));
        if (withFilter)
            e = parseFilterExpr(std::move(e), false);
        return e;
    }

    ExprPtr constant(Value v, int l)
    {
        auto e = node(ExprKind::Const, l);
        e->value = std::move(v);
        return e;
    }

    ExprPtr parsePrimary()
    {
        const int l = line();
        const Token &t = cur();
        switch (t.type) {
        case TokType::Name: {
            const std::string n = next().text;
            if (n == "true" || n == "True")
                return constant(Value::boolean(true), l);
            if (n == "false" || n == "False")
                return constant(Value::boolean(false), l);
            if (n == "none" || n == "None")
                return constant(Value::none(), l);
            auto e = node(ExprKind::Name, l);
            e->name = n;
            return e;
        }
        case TokType::String: {
            std::string s;
            while (cur().type == TokType::String)
                s += next().text; // adjacent literals concatenate, as in Python
            return constant(Value::string(std::move(s)), l);
        }
        case TokType::Int:
        case TokType::Float:
            return constant(next().value, l);
        case TokType::Op:
            if (t.text == "(") {
                next();
                ExprPtr e = parseTuple(true, true, {});
                expectOp(")");
                return e;
            }
            if (t.text == "[") {
                next();
                std::vector<ExprPtr> items;
                while (!isOp("]")) {
                    if (!items.empty())
                        expectOp(",");
                    if (isOp("]"))
                        break;
                    items.push_back(parseExpression(true));
                }
                next();
                return node(ExprKind::List, l, std::move(items));
            }
            if (t.text == "{") {
                next();
                std::vector<ExprPtr> items;
                while (!isOp("}")) {
                    if (!items.empty())
                        expectOp(",");
                    if (isOp("}"))
                        break;
                    items.push_back(parseExpression(true));
                    expectOp(":");
                    items.push_back(parseExpression(true));
                }
                next();
                return node(ExprKind::Dict, l, std::move(items));
            }
            break;
        default:
            break;
        }
        fail("expected a value, found " + describe(t));
    }

    ExprPtr parsePostfix(ExprPtr e)
    {
        while (true) {
            const int l = line();
            if (isOp(".")) {
                next();
                if (cur().type == TokType::Name) {
                    std::vector<ExprPtr> args;
                    args.push_back(std::move(e));
                    auto g = node(ExprKind::GetAttr, l, std::move(args));
                    g->name = next().text;
                    e = std::move(g);
                } else if (cur().type == TokType::Int) {
                    std::vector<ExprPtr> args;
                    args.push_back(std::move(e));
                    args.push_back(constant(next().value, l));
                    e = node(ExprKind::GetItem, l, std::move(args));
                } else {
                    fail("expected an attribute name after '.', found " + describe(cur()));
                }
            } else if (isOp("[")) {
                next();
                e = parseSubscript(std::move(e), l);
                expectOp("]");
            } else if (isOp("(")) {
                e = parseCall(std::move(e));
            } else {
                return e;
            }
        }
    }

    ExprPtr parseSubscript(ExprPtr target, int l)
    {
        ExprPtr start;
        if (!isOp(":")) {
            start = parseExpression(true);
            if (!isOp(":")) {
                if (isOp(","))
                    fail("tuple subscripts are not supported", ErrorCode::Unsupported);
                std::vector<ExprPtr> args;
                args.push_back(std::move(target));
                args.push_back(std::move(start));
                return node(ExprKind::GetItem, l, std::move(args));
            }
        }
        next(); // ':'
        ExprPtr stop;
        ExprPtr step;
        if (!isOp("]") && !isOp(":"))
            stop = parseExpression(true);
        if (isOp(":")) {
            next();
            if (!isOp("]"))
                step = parseExpression(true);
        }
        std::vector<ExprPtr> args;
        args.push_back(std::move(target));
        auto e = node(ExprKind::Slice, l, std::move(args));
        addDepth(*e, start.get());
        addDepth(*e, stop.get());
        addDepth(*e, step.get());
        e->args.push_back(std::move(start));
        e->args.push_back(std::move(stop));
        e->args.push_back(std::move(step));
        return e;
    }

    // Reads "(a, b, key=c)" into e's args (after those already there) and kwargs.
    void parseCallArgs(Expr &e)
    {
        expectOp("(");
        bool first = true;
        while (!isOp(")")) {
            if (!first)
                expectOp(",");
            first = false;
            if (isOp(")"))
                break;
            if (isOp("*") || isOp("**"))
                fail("*args and **kwargs in calls are not supported", ErrorCode::Unsupported);
            if (cur().type == TokType::Name && peek().type == TokType::Op && peek().text == "=") {
                const std::string key = next().text;
                next();
                ExprPtr value = parseExpression(true);
                addDepth(e, value.get());
                e.kwargs.emplace_back(key, std::move(value));
            } else {
                if (!e.kwargs.empty())
                    fail("a positional argument follows keyword arguments");
                ExprPtr value = parseExpression(true);
                addDepth(e, value.get());
                e.args.push_back(std::move(value));
            }
        }
        next();
    }

    ExprPtr parseCall(ExprPtr callee)
    {
        const int l = line();
        std::vector<ExprPtr> args;
        args.push_back(std::move(callee));
        auto e = node(ExprKind::Call, l, std::move(args));
        parseCallArgs(*e);
        return e;
    }

    std::string dottedName(const char *what)
    {
        std::string n = expectName(what);
        while (isOp(".") && peek().type == TokType::Name) {
            next();
            n += "." + next().text;
        }
        return n;
    }

    // One filter applied to `value`; the '|' is already consumed.
    ExprPtr parseFilter(ExprPtr value, bool)
    {
        const int l = line();
        std::vector<ExprPtr> args;
        args.push_back(std::move(value));
        auto e = node(ExprKind::Filter, l, std::move(args));
        e->name = dottedName("a filter name");
        if (isOp("("))
            parseCallArgs(*e);
        return e;
    }

    ExprPtr parseFilterExpr(ExprPtr e, bool filtersOnly)
    {
        while (true) {
            if (isOp("|")) {
                next();
                e = parseFilter(std::move(e), false);
            } else if (filtersOnly) {
                return e;
            } else if (isName("is")) {
                e = parseTest(std::move(e));
            } else if (isOp("(")) {
                e = parseCall(std::move(e));
            } else {
                return e;
            }
        }
    }

    ExprPtr parseTest(ExprPtr value)
    {
        const int l = line();
        next(); // is
        bool negated = false;
        if (isName("not")) {
            next();
            negated = true;
        }
        std::vector<ExprPtr> args;
        args.push_back(std::move(value));
        auto e = node(ExprKind::Test, l, std::move(args));
        e->negated = negated;
        e->name = dottedName("a test name");
        if (isOp("(")) {
            parseCallArgs(*e);
        } else if ((cur().type == TokType::Name || cur().type == TokType::String ||
                    cur().type == TokType::Int || cur().type == TokType::Float || isOp("[") ||
                    isOp("{")) &&
                   !isName("else") && !isName("or") && !isName("and")) {
            if (isName("is"))
                fail("you cannot chain multiple tests with 'is'");
            ExprPtr arg = parsePostfix(parsePrimary());
            addDepth(*e, arg.get());
            e->args.push_back(std::move(arg));
        }
        return e;
    }

    std::string m_src;
    std::vector<size_t> m_lineStarts;
    std::vector<Segment> m_segments;
    size_t m_seg = 0;
    const std::vector<Token> *m_tokens = nullptr;
    size_t m_pos = 0;
    int m_nesting = 0;
    int m_loopDepth = 0;
    int m_recursion = 0;
};

} // namespace

std::shared_ptr<const Program> parseTemplate(const std::string &source)
{
    if (source.size() > kMaxSourceBytes)
        throw Error(ErrorCode::Validation,
                    "chat template is " + std::to_string(source.size()) +
                        " bytes, more than the limit of " + std::to_string(kMaxSourceBytes),
                    "chat template");
    // jinja2 turns \r\n and \r into \n and drops one trailing newline (keep_trailing_newline).
    std::string normalized;
    normalized.reserve(source.size());
    for (size_t i = 0; i < source.size(); ++i) {
        if (source[i] == '\r') {
            normalized.push_back('\n');
            if (i + 1 < source.size() && source[i + 1] == '\n')
                ++i;
        } else {
            normalized.push_back(source[i]);
        }
    }
    if (!normalized.empty() && normalized.back() == '\n')
        normalized.pop_back();
    Parser parser(std::move(normalized));
    return parser.run();
}

} // namespace wb::jinja

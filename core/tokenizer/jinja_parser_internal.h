#pragma once

// The chat-template parser (internal to core/tokenizer): turns the lexer's segments into the
// program of jinja_ast.h. Statements are parsed in jinja_parser.cpp, expressions in
// jinja_parse_expr.cpp.

#include "common/error.h"
#include "tokenizer/jinja_ast.h"
#include "tokenizer/jinja_lexer.h"
#include "tokenizer/jinja_text.h"
#include <algorithm>
#include <cctype>
#include <charconv>
#include <cstring>
#include <functional>
#include <initializer_list>

namespace wb::jinja::detail {

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
        m_segments = lexTemplate(m_src, fail);
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

    // ---- statements (jinja_parser.cpp) ----------------------------------------------------

    const std::string *blockName(const Segment &s) const;
    // Parses until a block tag named in `stops` (left current) or the end of the template.
    Body parseBody(std::initializer_list<const char *> stops, const char *openTag, size_t openAt);
    // Moves to the segment after the current block tag, checking it has nothing more.
    void finishTag(const char *tag);
    // The current segment is a block tag named `name`; m_pos is on the name.
    void enterTag(size_t segIndex);
    StmtPtr parseStatement(const std::string &name, size_t offset);
    ExprPtr blockPlaceholder();
    // Assignment targets: a name, or names separated by commas, optionally in parentheses.
    std::vector<std::string> parseTargets(const char *terminator);

    // ---- expressions (jinja_parse_expr.cpp) -----------------------------------------------

    ExprPtr parseTuple(bool withCondExpr, bool explicitParens,
                       std::initializer_list<const char *> extraEnd);
    ExprPtr parseExpression(bool withCondExpr);
    ExprPtr binary(const std::string &op, ExprPtr left, ExprPtr right, int l);
    ExprPtr parseOr();
    ExprPtr parseAnd();
    ExprPtr parseNot();
    ExprPtr parseCompare();
    ExprPtr parseMath1();
    ExprPtr parseConcat();
    ExprPtr parseMath2();
    ExprPtr parsePow();
    ExprPtr parseUnary(bool withFilter);
    ExprPtr constant(Value v, int l);
    ExprPtr parsePrimary();
    ExprPtr parsePostfix(ExprPtr e);
    ExprPtr parseSubscript(ExprPtr target, int l);
    // Reads "(a, b, key=c)" into e's args (after those already there) and kwargs.
    void parseCallArgs(Expr &e);
    ExprPtr parseCall(ExprPtr callee);
    std::string dottedName(const char *what);
    // One filter applied to `value`; the '|' is already consumed.
    ExprPtr parseFilter(ExprPtr value, bool);
    ExprPtr parseFilterExpr(ExprPtr e, bool filtersOnly);
    ExprPtr parseTest(ExprPtr value);

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

} // namespace wb::jinja::detail

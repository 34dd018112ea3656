// Parser for the Jinja2 subset that Hugging Face chat templates use: statements and the entry
// point. Expressions are in jinja_parse_expr.cpp.

#include "tokenizer/jinja_parser_internal.h"

namespace wb::jinja {

namespace detail {

const std::string *Parser::blockName(const Segment &s) const
{
    if (s.kind != Segment::Block || s.tokens.empty() || s.tokens[0].type != TokType::Name)
        return nullptr;
    return &s.tokens[0].text;
}

Body Parser::parseBody(std::initializer_list<const char *> stops, const char *openTag,
                       size_t openAt)
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

void Parser::finishTag(const char *tag)
{
    expectEnd(tag);
    ++m_seg;
}

void Parser::enterTag(size_t segIndex)
{
    m_tokens = &m_segments[segIndex].tokens;
    m_pos = 1;
}

StmtPtr Parser::parseStatement(const std::string &name, size_t offset)
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

ExprPtr Parser::blockPlaceholder()
{
    auto e = node(ExprKind::Name, line());
    e->name = "\x01block"; // no template can name it
    return e;
}

std::vector<std::string> Parser::parseTargets(const char *terminator)
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

} // namespace detail

using detail::Parser;

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

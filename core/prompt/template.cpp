#include "prompt/template.h"
#include "prompt/template_internal.h"

#include <algorithm>

// Design notes.
//
// The source is lexed once into pieces (text, escapes, tags), turned into a flat token list,
// trimmed by the mustache "standalone line" rule, and then folded into a node tree. Rendering
// walks the tree; it never re-parses. tokenizeTemplate() shares the lexer so the editor's
// highlighting and the parser cannot disagree about where a tag starts and ends.
//
// Error messages carry their position inside the text ("… at line 3, column 5") because the
// UI shows what() as is; line() and column() are there for placing a marker in the editor.
// Columns count Unicode code points (not bytes), so they match what a user sees in Chinese text.
//
// The engine is split in three: template_lexer.cpp (lexing, tag classification, editor
// highlighting), this file (parsing), template_render.cpp (rendering).

namespace wb {

TemplateError::TemplateError(std::string message, size_t line, size_t column, std::string variable)
    : std::runtime_error(message), m_message(std::move(message)), m_line(line), m_column(column),
      m_variable(std::move(variable))
{
}

PromptTemplate::~PromptTemplate() = default;

namespace {

using namespace tpl;

// ---------------------------------------------------------------------------------------------
// Parsing

struct Token
{
    enum class Kind { Text, Variable, Open, Close, Else, Comment };
    Kind kind;
    std::string text;  // Text
    std::string block; // Open/Close
    std::string arg;   // Variable/Open/Close
    size_t line = 0;
    size_t column = 0;
    size_t prefixCut = 0; // Text: bytes removed at the front by the standalone rule
    size_t suffixCut = 0; // Text: bytes removed at the back
};

std::vector<Token> tokensFor(std::string_view source)
{
    std::vector<Token> tokens;
    PositionTracker tracker(source);
    for (const LexPiece &piece : lex(source)) {
        const auto [line, column] = tracker.at(piece.begin);
        switch (piece.kind) {
        case LexPiece::Kind::Text:
        case LexPiece::Kind::Escape:
            // Escapes join the surrounding text: "\{{" is content, so a line holding one is
            // never a standalone tag line.
            if (!tokens.empty() && tokens.back().kind == Token::Kind::Text)
                tokens.back().text += piece.literal;
            else
                tokens.push_back(
                    {Token::Kind::Text, std::string(piece.literal), {}, {}, line, column});
            break;
        case LexPiece::Kind::Unclosed:
            throw TemplateError("unclosed tag '{{' at " + position(line, column), line, column);
        case LexPiece::Kind::Tag: {
            const TagInfo info = classifyTag(piece.content);
            Token token{Token::Kind::Text, {}, info.block, info.arg, line, column};
            switch (info.kind) {
            case TagInfo::Kind::Invalid:
                throw TemplateError(info.error + " at " + position(line, column), line, column);
            case TagInfo::Kind::Variable:
                token.kind = Token::Kind::Variable;
                break;
            case TagInfo::Kind::Comment:
                token.kind = Token::Kind::Comment;
                break;
            case TagInfo::Kind::Open:
                token.kind = Token::Kind::Open;
                break;
            case TagInfo::Kind::Close:
                token.kind = Token::Kind::Close;
                break;
            case TagInfo::Kind::Else:
                token.kind = Token::Kind::Else;
                break;
            }
            tokens.push_back(std::move(token));
            break;
        }
        }
    }
    return tokens;
}

// The mustache "standalone" rule: a line holding only whitespace and one block or comment tag
// renders nothing, not even its line break. Decided on the untouched texts first, then applied,
// so that two tag lines in a row both see the newline that separates them.
void applyStandaloneRule(std::vector<Token> &tokens)
{
    const size_t count = tokens.size();
    for (size_t k = 0; k < count; ++k) {
        const Token::Kind kind = tokens[k].kind;
        if (kind == Token::Kind::Text || kind == Token::Kind::Variable)
            continue;

        size_t indent = 0; // bytes of whitespace before the tag on its line
        if (k > 0) {
            const Token &prev = tokens[k - 1];
            if (prev.kind != Token::Kind::Text)
                continue;
            const size_t newline = prev.text.rfind('\n');
            if (newline == std::string::npos && k - 1 != 0)
                continue; // a tag earlier on the same line
            const size_t tailStart = newline == std::string::npos ? 0 : newline + 1;
            if (!isBlank(std::string_view(prev.text).substr(tailStart)))
                continue;
            indent = prev.text.size() - tailStart;
        }

        size_t lineEnd = 0; // bytes after the tag up to and including its line break
        if (k + 1 < count) {
            const Token &next = tokens[k + 1];
            if (next.kind != Token::Kind::Text)
                continue;
            const size_t newline = next.text.find('\n');
            if (newline == std::string::npos && k + 1 != count - 1)
                continue; // a tag later on the same line
            const size_t headEnd = newline == std::string::npos ? next.text.size() : newline;
            if (!isBlank(std::string_view(next.text).substr(0, headEnd), " \t\r"))
                continue;
            lineEnd = newline == std::string::npos ? next.text.size() : newline + 1;
        }

        if (k > 0)
            tokens[k - 1].suffixCut = indent;
        if (k + 1 < count)
            tokens[k + 1].prefixCut = lineEnd;
    }
    for (Token &token : tokens) {
        if (token.kind != Token::Kind::Text || (token.prefixCut == 0 && token.suffixCut == 0))
            continue;
        const size_t keep =
            token.text.size() - std::min(token.text.size(), token.prefixCut + token.suffixCut);
        token.text = token.text.substr(std::min(token.prefixCut, token.text.size()), keep);
    }
}

std::vector<std::string> splitPath(const std::string &name)
{
    std::vector<std::string> path;
    size_t start = 0;
    while (true) {
        const size_t dot = name.find('.', start);
        path.push_back(
            name.substr(start, dot == std::string::npos ? std::string::npos : dot - start));
        if (dot == std::string::npos)
            break;
        start = dot + 1;
    }
    return path;
}

std::string openTagText(const std::string &block, const std::string &arg)
{
    return "{{#" + block + " " + arg + "}}";
}

std::string closeTagText(const Token &token)
{
    return "{{/" + token.block + (token.arg.empty() ? "" : " " + token.arg) + "}}";
}

constexpr size_t kMaxNesting = 64;

TemplateNode buildTree(const std::vector<Token> &tokens)
{
    struct Open
    {
        TemplateNode node;
        std::string block;
        bool inElse = false;
    };
    TemplateNode root;
    std::vector<Open> stack;

    auto append = [&](TemplateNode node) {
        TemplateNode &parent = stack.empty() ? root : stack.back().node;
        auto &list = !stack.empty() && stack.back().inElse ? parent.elseChildren : parent.children;
        // Comments and trimmed lines can leave two texts side by side: keep one node.
        if (node.kind == TemplateNode::Kind::Text && !list.empty() &&
            list.back().kind == TemplateNode::Kind::Text)
            list.back().text += node.text;
        else
            list.push_back(std::move(node));
    };

    for (const Token &token : tokens) {
        const std::string at = " at " + position(token.line, token.column);
        switch (token.kind) {
        case Token::Kind::Text:
            if (!token.text.empty()) {
                TemplateNode node;
                node.kind = TemplateNode::Kind::Text;
                node.text = token.text;
                append(std::move(node));
            }
            break;
        case Token::Kind::Comment:
            break;
        case Token::Kind::Variable: {
            TemplateNode node;
            node.kind = TemplateNode::Kind::Variable;
            node.name = token.arg;
            node.path = splitPath(token.arg);
            node.line = token.line;
            node.column = token.column;
            append(std::move(node));
            break;
        }
        case Token::Kind::Open: {
            // Rendering recurses once per level: a bound keeps a pasted or generated text
            // from exhausting the stack.
            if (stack.size() >= kMaxNesting)
                throw TemplateError("blocks nested deeper than " + std::to_string(kMaxNesting) +
                                        " levels" + at,
                                    token.line, token.column);
            Open open;
            open.block = token.block;
            open.node.kind =
                token.block == "each" ? TemplateNode::Kind::Each : TemplateNode::Kind::If;
            open.node.negate = token.block == "unless";
            open.node.name = token.arg;
            open.node.path = splitPath(token.arg);
            open.node.line = token.line;
            open.node.column = token.column;
            stack.push_back(std::move(open));
            break;
        }
        case Token::Kind::Else:
            if (stack.empty() || stack.back().block == "each")
                throw TemplateError("{{else}} outside {{#if}}" + at, token.line, token.column);
            if (stack.back().inElse) {
                const Open &top = stack.back();
                throw TemplateError("second {{else}}" + at + " in " +
                                        openTagText(top.block, top.node.name) + " opened at line " +
                                        std::to_string(top.node.line),
                                    token.line, token.column);
            }
            stack.back().inElse = true;
            break;
        case Token::Kind::Close: {
            if (stack.empty())
                throw TemplateError(closeTagText(token) + at + " has no matching {{#" +
                                        token.block + "}}",
                                    token.line, token.column);
            const Open &top = stack.back();
            if (top.block != token.block || (!token.arg.empty() && token.arg != top.node.name))
                throw TemplateError(closeTagText(token) + at + " closes " +
                                        openTagText(top.block, top.node.name) + " opened at line " +
                                        std::to_string(top.node.line),
                                    token.line, token.column);
            TemplateNode node = std::move(stack.back().node);
            stack.pop_back();
            append(std::move(node));
            break;
        }
        }
    }
    if (!stack.empty()) {
        const Open &top = stack.back();
        throw TemplateError("missing {{/" + top.block + "}} for " +
                                openTagText(top.block, top.node.name) + " opened at " +
                                position(top.node.line, top.node.column),
                            top.node.line, top.node.column);
    }
    return root;
}

bool isLoopLocal(const std::string &name)
{
    return name == "this" || name == "letter" || name == "index" || name == "number" ||
           name == "first" || name == "last";
}

void collectVariables(const std::vector<TemplateNode> &nodes, size_t loopDepth,
                      std::vector<std::string> &out)
{
    for (const TemplateNode &node : nodes) {
        if (node.kind == TemplateNode::Kind::Text)
            continue;
        const std::string &first = node.path.front();
        // "this" outside a loop is the whole context, not a variable a record must offer.
        const bool local = first == "this" || (loopDepth > 0 && isLoopLocal(first));
        if (!local && std::find(out.begin(), out.end(), first) == out.end())
            out.push_back(first);
        const size_t depth = loopDepth + (node.kind == TemplateNode::Kind::Each ? 1 : 0);
        collectVariables(node.children, depth, out);
        collectVariables(node.elseChildren, depth, out);
    }
}

} // namespace

PromptTemplate PromptTemplate::parse(const std::string &text)
{
    std::vector<Token> tokens = tokensFor(text);
    applyStandaloneRule(tokens);
    auto root = std::make_shared<TemplateNode>(buildTree(tokens));

    PromptTemplate tpl;
    tpl.m_source = text;
    collectVariables(root->children, 0, tpl.m_variables);
    tpl.m_root = std::move(root);
    return tpl;
}

} // namespace wb

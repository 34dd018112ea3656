#include "prompt/template.h"
#include "prompt/template_internal.h"

#include <cctype>

namespace wb {
namespace tpl {

namespace {

bool startsWith(std::string_view s, size_t pos, std::string_view prefix)
{
    return s.size() >= pos + prefix.size() && s.compare(pos, prefix.size(), prefix) == 0;
}

std::string_view trimView(std::string_view s)
{
    const size_t b = s.find_first_not_of(" \t\r\n");
    if (b == std::string_view::npos)
        return {};
    const size_t e = s.find_last_not_of(" \t\r\n");
    return s.substr(b, e - b + 1);
}

bool isNameByte(unsigned char c)
{
    return c >= 0x80 || std::isalnum(c) || c == '_' || c == '-' || c == '$' || c == '@';
}

bool isValidPath(std::string_view path)
{
    if (path.empty())
        return false;
    size_t segmentLength = 0;
    for (const char ch : path) {
        if (ch == '.') {
            if (segmentLength == 0)
                return false;
            segmentLength = 0;
        } else if (isNameByte(static_cast<unsigned char>(ch))) {
            ++segmentLength;
        } else {
            return false;
        }
    }
    return segmentLength > 0;
}

} // namespace

bool isBlank(std::string_view s, std::string_view blanks)
{
    return s.find_first_not_of(blanks) == std::string_view::npos;
}

std::vector<LexPiece> lex(std::string_view s)
{
    std::vector<LexPiece> pieces;
    const size_t n = s.size();
    size_t textStart = 0;
    size_t i = 0;
    auto flushText = [&](size_t upTo) {
        if (upTo > textStart)
            pieces.push_back(
                {LexPiece::Kind::Text, textStart, upTo, s.substr(textStart, upTo - textStart), {}});
    };
    while (i < n) {
        if (s[i] == '\\') {
            // "\\{{" is a backslash followed by a real tag; "\{{" is a literal "{{".
            if (startsWith(s, i, "\\\\{{")) {
                flushText(i);
                pieces.push_back({LexPiece::Kind::Escape, i, i + 2, "\\", {}});
                i += 2;
                textStart = i;
                continue;
            }
            if (startsWith(s, i, "\\{{")) {
                flushText(i);
                pieces.push_back({LexPiece::Kind::Escape, i, i + 3, "{{", {}});
                i += 3;
                textStart = i;
                continue;
            }
            ++i;
            continue;
        }
        if (!startsWith(s, i, "{{")) {
            ++i;
            continue;
        }
        flushText(i);
        const size_t close = s.find("}}", i + 2);
        const std::string_view head = trimView(s.substr(
            i + 2, close == std::string_view::npos ? std::string_view::npos : close - i - 2));
        const bool comment = !head.empty() && head.front() == '!';
        // Only comments may span lines: a "{{" whose "}}" is on a later line is far more
        // likely a typo than a tag, and reporting it where it starts is what helps.
        const size_t newline = s.find('\n', i + 2);
        if (close == std::string_view::npos || (!comment && newline < close)) {
            const size_t end = newline == std::string_view::npos ? n : newline;
            pieces.push_back({LexPiece::Kind::Unclosed, i, end, {}, {}});
            i = end;
            textStart = i;
            continue;
        }
        pieces.push_back({LexPiece::Kind::Tag, i, close + 2, {}, s.substr(i + 2, close - i - 2)});
        i = close + 2;
        textStart = i;
    }
    flushText(n);
    return pieces;
}

TagInfo classifyTag(std::string_view rawContent)
{
    TagInfo info;
    const std::string_view content = trimView(rawContent);
    if (content.empty()) {
        info.error = "empty variable name";
        return info;
    }
    const char sigil = content.front();
    if (sigil == '!') {
        info.kind = TagInfo::Kind::Comment;
        return info;
    }
    if (content == "else") {
        info.kind = TagInfo::Kind::Else;
        return info;
    }
    if (sigil == '#' || sigil == '/') {
        const size_t space = content.find_first_of(" \t");
        const std::string_view keyword =
            content.substr(1, space == std::string_view::npos ? std::string_view::npos : space - 1);
        const std::string_view arg =
            space == std::string_view::npos ? std::string_view{} : trimView(content.substr(space));
        if (keyword != "each" && keyword != "if" && keyword != "unless") {
            info.error = "unknown block '" + std::string(1, sigil) + std::string(keyword) + "'";
            return info;
        }
        info.block = std::string(keyword);
        info.arg = std::string(arg);
        if (sigil == '#' && arg.empty()) {
            info.error = "{{#" + info.block + "}} needs a variable name";
            return info;
        }
        if (!arg.empty() && !isValidPath(arg)) {
            info.error = "invalid variable name '" + info.arg + "'";
            return info;
        }
        info.kind = sigil == '#' ? TagInfo::Kind::Open : TagInfo::Kind::Close;
        return info;
    }
    if (sigil == '^' || sigil == '>' || sigil == '&' || sigil == '{' || sigil == '=') {
        // Mustache/Handlebars forms we do not support: name them rather than failing obscurely.
        const std::string_view rest = trimView(content.substr(1));
        info.error = "unknown block '" + std::string(1, sigil) +
                     std::string(rest.substr(0, rest.find_first_of(" \t"))) + "'";
        return info;
    }
    if (!isValidPath(content)) {
        info.error = "invalid variable name '" + std::string(content) + "'";
        return info;
    }
    info.kind = TagInfo::Kind::Variable;
    info.arg = std::string(content);
    return info;
}

std::string position(size_t line, size_t column)
{
    return "line " + std::to_string(line) + ", column " + std::to_string(column);
}

} // namespace tpl

std::vector<TemplateToken> tokenizeTemplate(const std::string &text)
{
    std::vector<TemplateToken> spans;
    for (const tpl::LexPiece &piece : tpl::lex(text)) {
        switch (piece.kind) {
        case tpl::LexPiece::Kind::Text:
            break;
        case tpl::LexPiece::Kind::Escape:
            spans.push_back({TemplateToken::Kind::Escape, piece.begin, piece.end});
            break;
        case tpl::LexPiece::Kind::Unclosed:
            spans.push_back({TemplateToken::Kind::Error, piece.begin, piece.end});
            break;
        case tpl::LexPiece::Kind::Tag: {
            TemplateToken::Kind kind = TemplateToken::Kind::Error;
            switch (tpl::classifyTag(piece.content).kind) {
            case tpl::TagInfo::Kind::Variable:
                kind = TemplateToken::Kind::Variable;
                break;
            case tpl::TagInfo::Kind::Comment:
                kind = TemplateToken::Kind::Comment;
                break;
            case tpl::TagInfo::Kind::Open:
            case tpl::TagInfo::Kind::Close:
            case tpl::TagInfo::Kind::Else:
                kind = TemplateToken::Kind::Block;
                break;
            case tpl::TagInfo::Kind::Invalid:
                kind = TemplateToken::Kind::Error;
                break;
            }
            spans.push_back({kind, piece.begin, piece.end});
            break;
        }
        }
    }
    return spans;
}

} // namespace wb

#pragma once

// Internal to the template engine (template*.cpp): the node tree and the lexer shared by the
// parser, the renderer and the editor's highlighter. Not part of the public interface.

#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace wb {

struct TemplateNode
{
    enum class Kind { Root, Text, Variable, Each, If };
    Kind kind = Kind::Root;
    std::string text;              // Text: literal output
    std::string name;              // Variable/Each/If: the dotted path as written
    std::vector<std::string> path; // name split at dots
    bool negate = false;           // If: true for {{#unless}}
    size_t line = 0;
    size_t column = 0;
    std::vector<TemplateNode> children;     // Root/Each body, If "then" branch
    std::vector<TemplateNode> elseChildren; // If "else" branch
};

namespace tpl {

struct LexPiece
{
    enum class Kind { Text, Escape, Tag, Unclosed };
    Kind kind;
    size_t begin; // byte range of the whole piece in the source
    size_t end;
    std::string_view literal; // Text/Escape: what it renders
    std::string_view content; // Tag: the bytes between "{{" and "}}"
};

// Splits the source into pieces. Never throws: an unterminated "{{" becomes an Unclosed piece
// spanning the rest of its line, and lexing resumes on the next line, so the editor keeps
// highlighting the tags that follow a typo.
std::vector<LexPiece> lex(std::string_view s);

struct TagInfo
{
    enum class Kind { Variable, Comment, Open, Close, Else, Invalid };
    Kind kind = Kind::Invalid;
    std::string block; // Open/Close: "each", "if" or "unless"
    std::string arg;   // Variable: the path; Open/Close: the block's argument
    std::string error; // Invalid: what is wrong, without position
};

// What a tag's content (the bytes between the braces) is, or why it is invalid.
TagInfo classifyTag(std::string_view rawContent);

bool isBlank(std::string_view s, std::string_view blanks = " \t");

// Converts increasing byte offsets to 1-based line and column (in code points) in one pass.
class PositionTracker
{
public:
    explicit PositionTracker(std::string_view s) : m_text(s) {}

    std::pair<size_t, size_t> at(size_t offset)
    {
        for (; m_offset < offset && m_offset < m_text.size(); ++m_offset) {
            const auto c = static_cast<unsigned char>(m_text[m_offset]);
            if (c == '\n') {
                ++m_line;
                m_column = 1;
            } else if ((c & 0xC0) != 0x80) {
                ++m_column;
            }
        }
        return {m_line, m_column};
    }

private:
    std::string_view m_text;
    size_t m_offset = 0;
    size_t m_line = 1;
    size_t m_column = 1;
};

// "line 3, column 5", the position suffix every error message ends with.
std::string position(size_t line, size_t column);

} // namespace tpl
} // namespace wb

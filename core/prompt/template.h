#pragma once

#include <nlohmann/json.hpp>

#include <memory>
#include <string>
#include <vector>

namespace wb {

// A small, safe template language for prompts.
//
//   {{name}}  {{question.text}}         a variable (dotted paths walk objects)
//   {{#each options}}{{letter}}. {{this}}\n{{/each}}
//                                        a loop; inside: this, letter (A, B, …), index (0-based),
//                                        number (1-based), first, last, and the item's own
//                                        fields when it is an object; outer variables stay visible
//   {{#if var}}…{{else}}…{{/if}}         conditionals (false: missing, null, false, "", [], 0)
//   {{#unless var}}…{{/unless}}
//   {{! a comment }}
//   \{{  renders a literal "{{"; \\ before {{ renders one backslash
//
// Whitespace: a line holding only a block tag ({{#each}}, {{/if}}, …) renders nothing, not
// even its newline, so templates can be laid out one tag per line.
//
// Errors (syntax at parse time, missing variables at render time) are TemplateError with the
// 1-based line and column of the tag and, for a missing variable, its name.
class TemplateError : public std::runtime_error
{
public:
    TemplateError(std::string message, size_t line, size_t column, std::string variable = {});
    size_t line() const { return m_line; }
    size_t column() const { return m_column; }
    const std::string &variable() const { return m_variable; }
    const std::string &message() const { return m_message; }

private:
    std::string m_message;
    size_t m_line;
    size_t m_column;
    std::string m_variable;
};

struct TemplateNode;

class PromptTemplate final
{
public:
    // Throws TemplateError on a syntax error (unclosed tag, mismatched {{/each}}, unknown
    // block, empty variable name, ...).
    static PromptTemplate parse(const std::string &text);

    // Renders with a JSON object as context. Throws TemplateError naming a missing variable
    // (one that is neither in the context nor a loop variable), except inside {{#if}} tests.
    std::string render(const nlohmann::json &context) const;

    // Top-level variable names the template reads (loop-local names excluded), in order of
    // first use, without duplicates. For "{{#each options}}{{letter}}{{/each}}{{a.b}}" this is
    // ["options", "a"].
    const std::vector<std::string> &variables() const { return m_variables; }

    const std::string &source() const { return m_source; }

    PromptTemplate(const PromptTemplate &) = default;
    PromptTemplate &operator=(const PromptTemplate &) = default;
    PromptTemplate(PromptTemplate &&) = default;
    PromptTemplate &operator=(PromptTemplate &&) = default;
    ~PromptTemplate();

private:
    PromptTemplate() = default;
    std::string m_source;
    std::shared_ptr<const TemplateNode> m_root;
    std::vector<std::string> m_variables;
};

// Byte spans of tags in a template text, for syntax highlighting in the editor. Never throws;
// unterminated tags are reported with kind Error.
struct TemplateToken
{
    enum class Kind { Variable, Block, Comment, Escape, Error };
    Kind kind;
    size_t begin; // byte offsets in the source
    size_t end;
};
std::vector<TemplateToken> tokenizeTemplate(const std::string &text);

} // namespace wb

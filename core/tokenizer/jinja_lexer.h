#pragma once

// The chat-template lexer: splits a template into text, {{ }} and {% %} segments and the
// tokens inside them, with jinja2's whitespace rules (jinja2/lexer.py) under transformers'
// environment (trim_blocks, lstrip_blocks). Internal to core/tokenizer.

#include "tokenizer/jinja_value.h"

#include <functional>
#include <string>
#include <vector>

namespace wb::jinja {

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

// Splits `source` (newlines already normalised). `fail(offset, message)` must throw.
std::vector<Segment> lexTemplate(const std::string &source,
                                 const std::function<void(size_t, const std::string &)> &fail);

} // namespace wb::jinja

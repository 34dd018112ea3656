#pragma once

// The parsed form of a chat template (internal to core/tokenizer): jinja_parser.cpp builds it,
// jinja_render.cpp walks it. Plain structs with a kind tag keep the two files independent.

#include "tokenizer/jinja_value.h"

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <utility>
#include <vector>

namespace wb::jinja {

// Limits that keep a hostile or broken template from hanging the app or overflowing the stack.
inline constexpr size_t kMaxOutputBytes = 16u << 20; // rendered text
inline constexpr size_t kMaxStringBytes = 16u << 20; // any one string value
inline constexpr size_t kMaxListItems = 1000000;     // any one list (range(), * n, +)
inline constexpr uint64_t kMaxSteps = 1000000;       // loop iterations + macro calls
inline constexpr int kMaxRenderDepth = 400;          // nested evaluation at render time
inline constexpr int kMaxNestingDepth = 100;         // nested tags/brackets when parsing
inline constexpr int kMaxExpressionDepth = 200;      // depth of one expression's tree
inline constexpr size_t kMaxSourceBytes = 4u << 20;  // template source

struct Expr;
struct Stmt;
using ExprPtr = std::unique_ptr<Expr>;
using StmtPtr = std::unique_ptr<Stmt>;
using Body = std::vector<StmtPtr>;

enum class ExprKind {
    Const,
    Name,
    List,     // args
    Dict,     // args: key, value, key, value...
    GetAttr,  // args[0].name
    GetItem,  // args[0][args[1]]
    Slice,    // args[0][args[1]:args[2]:args[3]] (null for an omitted part)
    Call,     // args[0](args[1..], kwargs)
    Filter,   // args[0] | name(args[1..], kwargs)
    Test,     // args[0] is [not] name(args[1..], kwargs)
    Unary,    // op args[0]: "-", "+", "not"
    Binary,   // args[0] op args[1]: + - * / // % ** ~ and or
    Compare,  // args[0] ops[0] args[1] ops[1] args[2] ... (chained like Python)
    CondExpr, // args[1] if args[0] else args[2] (args[2] may be null)
};

struct Expr
{
    ExprKind kind = ExprKind::Const;
    int line = 0;
    int depth = 1;
    Value value;                  // Const
    std::string name;             // Name, GetAttr, Filter, Test; operator of Unary/Binary
    std::vector<std::string> ops; // Compare
    bool negated = false;         // Test: "is not"
    std::vector<ExprPtr> args;
    std::vector<std::pair<std::string, ExprPtr>> kwargs;
};

enum class StmtKind {
    Text,     // text
    Output,   // {{ expr }}
    If,       // conditions[i] -> bodies[i]; a trailing body without a condition is the else
    For,      // for targets in expr [if filter]: bodies[0]; else: bodies[1]
    Set,      // set targets (or ns.attr) = expr
    SetBlock, // set target %}bodies[0]{% endset, optionally through a filter
    Break,
    Continue,
    Macro,       // macro name(params = defaults): bodies[0]
    FilterBlock, // filter name(args) %}bodies[0]{% endfilter
    Scope,       // a block whose body simply renders ({% generation %})
};

struct Stmt
{
    StmtKind kind = StmtKind::Text;
    int line = 0;
    std::string text;                 // Text; Set: namespace attribute; Macro: name
    std::vector<std::string> targets; // For / Set / SetBlock / Macro params
    ExprPtr expr;                     // Output, For iterable, Set value, filter call
    ExprPtr filter;                   // For: loop filter; SetBlock/FilterBlock: Filter node
    std::vector<ExprPtr> conditions;  // If
    std::vector<ExprPtr> defaults;    // Macro parameter defaults (null when none)
    std::vector<Body> bodies;
};

struct Program
{
    Body body;
};

// Parses a template (newline normalisation, trim_blocks + lstrip_blocks like transformers).
// Throws Error(Parse) with line and column, or Error(Unsupported) for tags we do not handle.
std::shared_ptr<const Program> parseTemplate(const std::string &source);

// Renders with the given top-level variables. Throws Error(Validation) for template errors
// (raise_exception, undefined values used wrongly, type errors, limits).
std::string renderTemplate(const Program &program,
                           const std::vector<std::pair<std::string, Value>> &variables);

} // namespace wb::jinja

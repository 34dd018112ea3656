// Expression parsing of the chat-template parser (jinja2's precedence climbing: or, and, not,
// comparisons, + -, ~, * / // %, **, unary, primaries with filters, tests and calls).

#include "tokenizer/jinja_parser_internal.h"

namespace wb::jinja::detail {

ExprPtr Parser::parseTuple(bool withCondExpr, bool explicitParens,
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

ExprPtr Parser::parseExpression(bool withCondExpr)
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

ExprPtr Parser::binary(const std::string &op, ExprPtr left, ExprPtr right, int l)
{
    std::vector<ExprPtr> args;
    args.push_back(std::move(left));
    args.push_back(std::move(right));
    auto e = node(ExprKind::Binary, l, std::move(args));
    e->name = op;
    return e;
}

ExprPtr Parser::parseOr()
{
    ExprPtr left = parseAnd();
    while (isName("or")) {
        const int l = line();
        next();
        left = binary("or", std::move(left), parseAnd(), l);
    }
    return left;
}

ExprPtr Parser::parseAnd()
{
    ExprPtr left = parseNot();
    while (isName("and")) {
        const int l = line();
        next();
        left = binary("and", std::move(left), parseNot(), l);
    }
    return left;
}

ExprPtr Parser::parseNot()
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

ExprPtr Parser::parseCompare()
{
    const int l = line();
    ExprPtr first = parseMath1();
    std::vector<ExprPtr> args;
    std::vector<std::string> ops;
    while (true) {
        std::string op;
        if (cur().type == TokType::Op &&
            (cur().text == "==" || cur().text == "!=" || cur().text == "<" || cur().text == "<=" ||
             cur().text == ">" || cur().text == ">=")) {
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

ExprPtr Parser::parseMath1()
{
    ExprPtr left = parseConcat();
    while (isOp("+") || isOp("-")) {
        const int l = line();
        const std::string op = next().text;
        left = binary(op, std::move(left), parseConcat(), l);
    }
    return left;
}

ExprPtr Parser::parseConcat()
{
    ExprPtr left = parseMath2();
    while (isOp("~")) {
        const int l = line();
        next();
        left = binary("~", std::move(left), parseMath2(), l);
    }
    return left;
}

ExprPtr Parser::parseMath2()
{
    ExprPtr left = parsePow();
    while (isOp("*") || isOp("/") || isOp("//") || isOp("%")) {
        const int l = line();
        const std::string op = next().text;
        left = binary(op, std::move(left), parsePow(), l);
    }
    return left;
}

ExprPtr Parser::parsePow()
{
    ExprPtr left = parseUnary(true);
    while (isOp("**")) {
        const int l = line();
        next();
        left = binary("**", std::move(left), parseUnary(true), l);
    }
    return left;
}

ExprPtr Parser::parseUnary(bool withFilter)
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

ExprPtr Parser::constant(Value v, int l)
{
    auto e = node(ExprKind::Const, l);
    e->value = std::move(v);
    return e;
}

ExprPtr Parser::parsePrimary()
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

ExprPtr Parser::parsePostfix(ExprPtr e)
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

ExprPtr Parser::parseSubscript(ExprPtr target, int l)
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

void Parser::parseCallArgs(Expr &e)
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

ExprPtr Parser::parseCall(ExprPtr callee)
{
    const int l = line();
    std::vector<ExprPtr> args;
    args.push_back(std::move(callee));
    auto e = node(ExprKind::Call, l, std::move(args));
    parseCallArgs(*e);
    return e;
}

std::string Parser::dottedName(const char *what)
{
    std::string n = expectName(what);
    while (isOp(".") && peek().type == TokType::Name) {
        next();
        n += "." + next().text;
    }
    return n;
}

ExprPtr Parser::parseFilter(ExprPtr value, bool)
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

ExprPtr Parser::parseFilterExpr(ExprPtr e, bool filtersOnly)
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

ExprPtr Parser::parseTest(ExprPtr value)
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

} // namespace wb::jinja::detail

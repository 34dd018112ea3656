#include "tokenizer/jinja_builtins.h"

#include "common/error.h"
#include "tokenizer/jinja_ast.h"
#include "tokenizer/jinja_text.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <ctime>
#include <functional>
#include <map>

#include "tokenizer/jinja_support.h"

namespace wb::jinja {

using namespace support;

std::string checkedString(std::string s)
{
    if (s.size() > kMaxStringBytes)
        throwRuntime("chat template built a string of more than " +
                     std::to_string(kMaxStringBytes >> 20) + " MiB; stopped");
    return s;
}

void checkListSize(size_t n)
{
    if (n > kMaxListItems)
        throwRuntime("chat template built a list of more than " + std::to_string(kMaxListItems) +
                     " items; stopped");
}

Value getAttr(const Value &obj, const std::string &name)
{
    if (obj.isUndefined())
        throwUndefined(obj);
    if (obj.isDict() || obj.isNamespace()) {
        if (const Value *v = obj.asDict().find(std::string_view(name)))
            return *v;
    }
    return missingAttribute(obj, name);
}

Value getItem(const Value &obj, const Value &key)
{
    if (obj.isUndefined())
        throwUndefined(obj);
    if (obj.isDict() || obj.isNamespace()) {
        if (const Value *v = obj.asDict().find(key))
            return *v;
        return missingElement(obj, key);
    }
    if ((obj.isList() || obj.isString()) && key.isIntegral()) {
        if (obj.isList()) {
            const auto &items = obj.asList();
            int64_t i = key.asInt();
            if (i < 0)
                i += static_cast<int64_t>(items.size());
            if (i >= 0 && i < static_cast<int64_t>(items.size()))
                return items[static_cast<size_t>(i)];
        } else {
            const std::u32string u = decodeUtf8(obj.asString());
            int64_t i = key.asInt();
            if (i < 0)
                i += static_cast<int64_t>(u.size());
            if (i >= 0 && i < static_cast<int64_t>(u.size()))
                return Value::string(encodeUtf8(u.substr(static_cast<size_t>(i), 1)));
        }
    }
    return missingElement(obj, key);
}

Value sliceOf(const Value &obj, const Value &startV, const Value &stopV, const Value &stepV)
{
    if (obj.isUndefined())
        throwUndefined(obj);
    auto index = [](const Value &v) -> std::optional<int64_t> {
        if (v.isNone() || v.isUndefined())
            return std::nullopt;
        if (!v.isIntegral())
            throwRuntime("slice indices must be integers or None");
        return v.asInt();
    };
    const int64_t step = index(stepV).value_or(1);
    if (step == 0)
        throwRuntime("slice step cannot be zero");
    std::u32string chars;
    const bool isString = obj.isString();
    if (isString)
        chars = decodeUtf8(obj.asString());
    else if (!obj.isList())
        throwRuntime("'" + typeName(obj) + "' object is not subscriptable");
    const int64_t len =
        isString ? static_cast<int64_t>(chars.size()) : static_cast<int64_t>(obj.asList().size());
    auto adjust = [&](std::optional<int64_t> v, bool isStart) {
        if (!v)
            return step < 0 ? (isStart ? len - 1 : -1) : (isStart ? 0 : len);
        int64_t x = *v;
        if (x < 0) {
            x += len;
            if (x < 0)
                x = step < 0 ? -1 : 0;
        } else if (x >= len) {
            x = step < 0 ? len - 1 : len;
        }
        return x;
    };
    const int64_t start = adjust(index(startV), true);
    const int64_t stop = adjust(index(stopV), false);
    std::u32string outChars;
    ValueList outItems;
    for (int64_t i = start; step > 0 ? i < stop : i > stop; i += step) {
        if (isString)
            outChars.push_back(chars[static_cast<size_t>(i)]);
        else
            outItems.push_back(obj.asList()[static_cast<size_t>(i)]);
    }
    return isString ? Value::string(encodeUtf8(outChars)) : Value::list(std::move(outItems));
}

Value binaryOp(const std::string &op, const Value &a, const Value &b)
{
    if (op == "~")
        return Value::string(checkedString(str(a) + str(b)));
    if (a.isUndefined())
        throwUndefined(a);
    if (b.isUndefined())
        throwUndefined(b);
    const bool ints = a.isIntegral() && b.isIntegral();
    const bool nums = a.isNumber() && b.isNumber();
    if (op == "+") {
        if (ints)
            return Value::integer(checkedAdd(a.asInt(), b.asInt()));
        if (nums)
            return Value::number(a.asDouble() + b.asDouble());
        if (a.isString() && b.isString())
            return Value::string(checkedString(a.asString() + b.asString()));
        if (a.isList() && b.isList()) {
            checkListSize(a.asList().size() + b.asList().size());
            ValueList out = a.asList();
            out.insert(out.end(), b.asList().begin(), b.asList().end());
            return Value::list(std::move(out));
        }
        if (a.isString() || a.isList())
            throwRuntime("can only concatenate " + typeName(a) + " (not \"" + typeName(b) +
                         "\") to " + typeName(a));
        unsupportedOperands("+", a, b);
    }
    if (op == "-") {
        if (ints)
            return Value::integer(checkedSub(a.asInt(), b.asInt()));
        if (nums)
            return Value::number(a.asDouble() - b.asDouble());
        unsupportedOperands("-", a, b);
    }
    if (op == "*") {
        if (ints)
            return Value::integer(checkedMul(a.asInt(), b.asInt()));
        if (nums)
            return Value::number(a.asDouble() * b.asDouble());
        if (a.isString() && b.isIntegral())
            return Value::string(repeatString(a.asString(), b.asInt()));
        if (a.isIntegral() && b.isString())
            return Value::string(repeatString(b.asString(), a.asInt()));
        if (a.isList() && b.isIntegral())
            return repeatList(a.asList(), b.asInt());
        if (a.isIntegral() && b.isList())
            return repeatList(b.asList(), a.asInt());
        throwRuntime("can't multiply sequence by non-int of type '" + typeName(b) + "'");
    }
    if (op == "/") {
        if (!nums)
            unsupportedOperands("/", a, b);
        if (b.asDouble() == 0.0)
            throwRuntime("division by zero");
        return Value::number(a.asDouble() / b.asDouble());
    }
    if (op == "//") {
        if (ints)
            return Value::integer(floorDiv(a.asInt(), b.asInt()));
        if (!nums)
            unsupportedOperands("//", a, b);
        if (b.asDouble() == 0.0)
            throwRuntime("float floor division by zero");
        return Value::number(std::floor(a.asDouble() / b.asDouble()));
    }
    if (op == "%") {
        if (ints)
            return Value::integer(floorMod(a.asInt(), b.asInt()));
        if (nums) {
            if (b.asDouble() == 0.0)
                throwRuntime("float modulo");
            double m = std::fmod(a.asDouble(), b.asDouble());
            if (m != 0.0 && ((m < 0) != (b.asDouble() < 0)))
                m += b.asDouble();
            return Value::number(m);
        }
        if (a.isString()) {
            if (b.isDict())
                unsupported("'%(name)s' string formatting is not supported");
            return Value::string(
                percentFormat(a.asString(), b.isList() ? b.asList() : ValueList{b}));
        }
        unsupportedOperands("%", a, b);
    }
    if (op == "**") {
        if (ints && b.asInt() >= 0) {
            int64_t result = 1;
            int64_t base = a.asInt();
            int64_t e = b.asInt();
            while (e > 0) {
                if (e & 1)
                    result = checkedMul(result, base);
                e >>= 1;
                if (e)
                    base = checkedMul(base, base);
            }
            return Value::integer(result);
        }
        if (nums)
            return Value::number(std::pow(a.asDouble(), b.asDouble()));
        unsupportedOperands("** or pow()", a, b);
    }
    throwRuntime("unknown operator " + op);
}

Value unaryOp(const std::string &op, const Value &a)
{
    if (op == "not")
        return Value::boolean(!truthy(a));
    if (a.isUndefined())
        throwUndefined(a);
    if (a.isIntegral())
        return Value::integer(op == "-" ? checkedSub(0, a.asInt()) : a.asInt());
    if (a.kind() == Value::Kind::Float)
        return Value::number(op == "-" ? -a.asDouble() : a.asDouble());
    throwRuntime("bad operand type for unary " + op + ": '" + typeName(a) + "'");
}

bool contains(const Value &container, const Value &item)
{
    switch (container.kind()) {
    case Value::Kind::String:
        if (!item.isString())
            throwRuntime("'in <string>' requires string as left operand, not " + typeName(item));
        return container.asString().find(item.asString()) != std::string::npos;
    case Value::Kind::List:
        return std::any_of(container.asList().begin(), container.asList().end(),
                           [&](const Value &v) { return equals(v, item); });
    case Value::Kind::Dict:
        return container.asDict().find(item) != nullptr;
    case Value::Kind::Undefined:
        return false;
    default:
        throwRuntime("argument of type '" + typeName(container) + "' is not iterable");
    }
}

std::vector<Value> iterate(const Value &v)
{
    switch (v.kind()) {
    case Value::Kind::Undefined:
        return {};
    case Value::Kind::List:
        return v.asList();
    case Value::Kind::Dict: {
        std::vector<Value> keys;
        for (const auto &[k, val] : v.asDict().items)
            keys.push_back(k);
        return keys;
    }
    case Value::Kind::String: {
        std::vector<Value> chars;
        for (char32_t c : decodeUtf8(v.asString())) {
            std::string s;
            appendUtf8(s, c);
            chars.push_back(Value::string(std::move(s)));
        }
        return chars;
    }
    default:
        throwRuntime("'" + typeName(v) + "' object is not iterable");
    }
}

bool applyTest(const std::string &name, const Value &v, const CallArgs &args)
{
    using K = Value::Kind;
    const Value *other = arg(args, 0, "value");
    auto needOther = [&]() -> const Value & {
        if (!other)
            throwRuntime("the test '" + name + "' needs an argument");
        return *other;
    };
    if (name == "defined")
        return !v.isUndefined();
    if (name == "undefined")
        return v.isUndefined();
    if (name == "none")
        return v.isNone();
    if (name == "boolean")
        return v.kind() == K::Bool;
    if (name == "true")
        return v.kind() == K::Bool && v.asBool();
    if (name == "false")
        return v.kind() == K::Bool && !v.asBool();
    if (name == "integer")
        return v.kind() == K::Int;
    if (name == "float")
        return v.kind() == K::Float;
    if (name == "number")
        return v.isNumber();
    if (name == "string")
        return v.isString();
    if (name == "mapping")
        return v.isDict();
    if (name == "iterable")
        return v.isString() || v.isList() || v.isDict() || v.isUndefined();
    if (name == "sequence")
        return v.isString() || v.isList() || v.isDict() || v.isUndefined();
    if (name == "callable")
        return v.isCallable();
    if (name == "sameas")
        return v.sameObject(needOther());
    if (name == "equalto" || name == "eq" || name == "==")
        return equals(v, needOther());
    if (name == "ne" || name == "!=")
        return !equals(v, needOther());
    if (name == "lt" || name == "lessthan" || name == "<")
        return compare(v, needOther(), "<") < 0;
    if (name == "le" || name == "<=")
        return compare(v, needOther(), "<=") <= 0;
    if (name == "gt" || name == "greaterthan" || name == ">")
        return compare(v, needOther(), ">") > 0;
    if (name == "ge" || name == ">=")
        return compare(v, needOther(), ">=") >= 0;
    if (name == "in")
        return contains(needOther(), v);
    if (name == "divisibleby") {
        const Value &n = needOther();
        return equals(binaryOp("%", v, n), Value::integer(0));
    }
    if (name == "even" || name == "odd") {
        if (!v.isIntegral())
            throwRuntime("the test '" + name + "' needs an integer, not " + typeName(v));
        return (floorMod(v.asInt(), 2) == 0) == (name == "even");
    }
    if (name == "lower" || name == "upper") {
        const std::string s = str(v);
        bool cased = false;
        for (char32_t c : decodeUtf8(s)) {
            if (!isCased(c))
                continue;
            cased = true;
            if ((name == "lower" ? toLower(c) : toUpper(c)) != c)
                return false;
        }
        return cased;
    }
    if (name == "escaped")
        return false;
    if (name == "filter")
        return hasFilter(str(needOther()));
    unsupported("the chat template uses the test '" + name +
                "', which LLM Workbench does not support");
}

std::optional<Value> callMethod(const Value &obj, const std::string &name, const CallArgs &args)
{
    if (obj.isString()) {
        const std::string &s = obj.asString();
        if (name == "strip" || name == "lstrip" || name == "rstrip")
            return Value::string(
                strip(s, stringArg(args, 0, "chars"), name != "rstrip", name != "lstrip"));
        if (name == "upper")
            return Value::string(upper(s));
        if (name == "lower")
            return Value::string(lower(s));
        if (name == "title")
            return Value::string(pyTitle(s));
        if (name == "capitalize")
            return Value::string(capitalize(s));
        if (name == "split") {
            const std::string *sep = stringArg(args, 0, "sep");
            const Value *maxSplit = arg(args, 1, "maxsplit");
            const int64_t m = maxSplit ? maxSplit->asInt() : -1;
            return stringList(sep ? splitOn(s, *sep, m) : splitWhitespace(s, m));
        }
        if (name == "splitlines")
            return stringList(splitLines(s));
        if (name == "startswith" || name == "endswith") {
            const Value *p = arg(args, 0, "prefix");
            if (!p)
                throwRuntime(name + "() takes at least 1 argument (0 given)");
            return Value::boolean(prefixMatch(s, *p, name == "endswith"));
        }
        if (name == "replace") {
            const Value *from = arg(args, 0, "old");
            const Value *to = arg(args, 1, "new");
            const Value *count = arg(args, 2, "count");
            if (!from || !to)
                throwRuntime("replace() takes at least 2 arguments");
            return Value::string(replaceAll(s, requireString(*from, "replace() argument"),
                                            requireString(*to, "replace() argument"),
                                            count ? count->asInt() : -1));
        }
        if (name == "find" || name == "count") {
            const Value *sub = arg(args, 0, "sub");
            if (!sub)
                throwRuntime(name + "() takes at least 1 argument (0 given)");
            const std::string needle = requireString(*sub, (name + "() argument").c_str());
            if (name == "find") {
                const size_t at = s.find(needle);
                return Value::integer(at == std::string::npos
                                          ? -1
                                          : static_cast<int64_t>(codePointCount(s.substr(0, at))));
            }
            if (needle.empty())
                return Value::integer(static_cast<int64_t>(codePointCount(s)) + 1);
            int64_t n = 0;
            for (size_t at = s.find(needle); at != std::string::npos;
                 at = s.find(needle, at + needle.size()))
                ++n;
            return Value::integer(n);
        }
        if (name == "join") {
            const Value *items = arg(args, 0, "iterable");
            if (!items)
                throwRuntime("join() takes exactly one argument (0 given)");
            std::string out;
            bool first = true;
            for (const Value &item : iterate(*items)) {
                if (!first)
                    out += s;
                first = false;
                out += requireString(item, "join() item");
                if (out.size() > kMaxStringBytes)
                    break;
            }
            return Value::string(checkedString(std::move(out)));
        }
        if (name == "isdigit" || name == "isspace" || name == "isalpha") {
            const std::u32string u = decodeUtf8(s);
            bool ok = !u.empty();
            for (char32_t c : u) {
                if (name == "isdigit")
                    ok = ok && c >= '0' && c <= '9';
                else if (name == "isspace")
                    ok = ok && isPySpace(c);
                else
                    ok = ok && (isCased(c) || c > 0x2E80); // letters; CJK counts as alphabetic
            }
            return Value::boolean(ok);
        }
        if (name == "format")
            unsupported("str.format() is not supported in chat templates; use ~ or the format "
                        "filter");
        return std::nullopt;
    }
    if (obj.isDict()) {
        const ValueDict &d = obj.asDict();
        if (name == "items") {
            ValueList out;
            for (const auto &[k, v] : d.items)
                out.push_back(Value::tuple({k, v}));
            return Value::list(std::move(out));
        }
        if (name == "keys" || name == "values") {
            ValueList out;
            for (const auto &[k, v] : d.items)
                out.push_back(name == "keys" ? k : v);
            return Value::list(std::move(out));
        }
        if (name == "get") {
            const Value *key = arg(args, 0, "key");
            if (!key)
                throwRuntime("get expected at least 1 argument, got 0");
            if (const Value *v = d.find(*key))
                return *v;
            const Value *fallback = arg(args, 1, "default");
            return fallback ? *fallback : Value::none();
        }
        return std::nullopt;
    }
    if (obj.isList()) {
        if (name == "append" || name == "extend" || name == "pop" || name == "insert" ||
            name == "remove" || name == "clear" || name == "sort" || name == "reverse")
            throwRuntime("access to attribute '" + name +
                         "' of 'list' object is unsafe (chat templates cannot modify lists)");
        if (name == "index" || name == "count") {
            const Value *x = arg(args, 0, "value");
            if (!x)
                throwRuntime(name + "() takes exactly one argument (0 given)");
            const auto &items = obj.asList();
            int64_t n = 0;
            for (size_t i = 0; i < items.size(); ++i) {
                if (equals(items[i], *x)) {
                    if (name == "index")
                        return Value::integer(static_cast<int64_t>(i));
                    ++n;
                }
            }
            if (name == "index")
                throwRuntime(repr(*x) + " is not in list");
            return Value::integer(n);
        }
    }
    return std::nullopt;
}

std::optional<Value> globalValue(const std::string &name)
{
    if (name == "range") {
        return Value::function("range", [](const CallArgs &a) {
            if (!a.keywords.empty() || a.positional.empty() || a.positional.size() > 3)
                throwRuntime("range expected 1 to 3 integer arguments");
            for (const Value &v : a.positional) {
                if (!v.isIntegral())
                    throwRuntime("'" + typeName(v) +
                                 "' object cannot be interpreted as an integer");
            }
            int64_t start = 0;
            int64_t stop = 0;
            int64_t step = 1;
            if (a.positional.size() == 1) {
                stop = a.positional[0].asInt();
            } else {
                start = a.positional[0].asInt();
                stop = a.positional[1].asInt();
                if (a.positional.size() == 3)
                    step = a.positional[2].asInt();
            }
            if (step == 0)
                throwRuntime("range() arg 3 must not be zero");
            // Sized before building, so range(10**12) fails at once instead of eating memory.
            const long double count =
                step > 0 ? std::ceil((static_cast<long double>(stop) - start) / step)
                         : std::ceil((static_cast<long double>(start) - stop) / -step);
            if (count > static_cast<long double>(kMaxListItems))
                throwRuntime("range() of " + std::to_string(static_cast<long long>(count)) +
                             " items is more than the chat-template limit of " +
                             std::to_string(kMaxListItems));
            ValueList out;
            for (int64_t i = start; step > 0 ? i < stop : i > stop; i += step)
                out.push_back(Value::integer(i));
            return Value::list(std::move(out));
        });
    }
    if (name == "namespace" || name == "dict") {
        const bool ns = name == "namespace";
        return Value::function(name, [ns](const CallArgs &a) {
            ValueDict d;
            for (const Value &p : a.positional) {
                if (!p.isDict())
                    throwRuntime(std::string(ns ? "namespace" : "dict") +
                                 "() positional arguments must be mappings");
                for (const auto &[k, v] : p.asDict().items)
                    d.set(k, v);
            }
            for (const auto &[k, v] : a.keywords)
                d.set(Value::string(k), v);
            return ns ? Value::nameSpace(std::move(d)) : Value::dict(std::move(d));
        });
    }
    if (name == "raise_exception") {
        return Value::function("raise_exception", [](const CallArgs &a) -> Value {
            const Value *m = arg(a, 0, "message");
            throw Error(ErrorCode::Validation, m ? str(*m) : std::string("raise_exception()"));
        });
    }
    if (name == "strftime_now") {
        return Value::function("strftime_now", [](const CallArgs &a) {
            const Value *f = arg(a, 0, "format");
            if (!f || !f->isString())
                throwRuntime("strftime_now needs a format string");
            const std::time_t now = std::time(nullptr);
            std::tm local{};
            localtime_r(&now, &local);
            std::string buf(256, '\0');
            for (int attempt = 0; attempt < 4; ++attempt) {
                const size_t n =
                    std::strftime(buf.data(), buf.size(), f->asString().c_str(), &local);
                if (n > 0 || f->asString().empty()) {
                    buf.resize(n);
                    return Value::string(buf);
                }
                buf.assign(buf.size() * 8, '\0');
            }
            return Value::string("");
        });
    }
    return std::nullopt;
}

} // namespace wb::jinja

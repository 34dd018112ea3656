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

namespace wb::jinja::support {

[[noreturn]] void unsupported(const std::string &message)
{
    throw Error(ErrorCode::Unsupported, message);
}

// jinja2's object_type_repr, used in its "has no attribute" messages.
std::string objectTypeRepr(const Value &v)
{
    if (v.isNone())
        return "None";
    if (v.isNamespace())
        return "jinja2.utils.Namespace object";
    return typeName(v) + " object";
}

Value missingAttribute(const Value &obj, const std::string &name)
{
    return Value::undefined(repr(Value::string(objectTypeRepr(obj))) + " has no attribute " +
                            repr(Value::string(name)));
}

Value missingElement(const Value &obj, const Value &key)
{
    if (key.isString())
        return missingAttribute(obj, key.asString());
    return Value::undefined(objectTypeRepr(obj) + " has no element " + repr(key));
}

int64_t checkedAdd(int64_t a, int64_t b)
{
    int64_t r = 0;
    if (__builtin_add_overflow(a, b, &r))
        throwRuntime("integer overflow (the template's numbers exceed 64 bits)");
    return r;
}

int64_t checkedSub(int64_t a, int64_t b)
{
    int64_t r = 0;
    if (__builtin_sub_overflow(a, b, &r))
        throwRuntime("integer overflow (the template's numbers exceed 64 bits)");
    return r;
}

int64_t checkedMul(int64_t a, int64_t b)
{
    int64_t r = 0;
    if (__builtin_mul_overflow(a, b, &r))
        throwRuntime("integer overflow (the template's numbers exceed 64 bits)");
    return r;
}

int64_t floorDiv(int64_t a, int64_t b)
{
    if (b == 0)
        throwRuntime("integer division or modulo by zero");
    if (a == INT64_MIN && b == -1)
        throwRuntime("integer overflow (the template's numbers exceed 64 bits)");
    int64_t q = a / b;
    if ((a % b != 0) && ((a < 0) != (b < 0)))
        --q;
    return q;
}

int64_t floorMod(int64_t a, int64_t b)
{
    if (b == 0)
        throwRuntime("integer division or modulo by zero");
    if (b == -1)
        return 0;
    int64_t m = a % b;
    if (m != 0 && ((m < 0) != (b < 0)))
        m += b;
    return m;
}

std::string repeatString(const std::string &s, int64_t n)
{
    if (n <= 0 || s.empty())
        return {};
    if (static_cast<uint64_t>(n) > kMaxStringBytes / s.size() + 1)
        checkedString(std::string(kMaxStringBytes + 1, ' '));
    std::string out;
    out.reserve(s.size() * static_cast<size_t>(n));
    for (int64_t i = 0; i < n; ++i)
        out += s;
    return checkedString(std::move(out));
}

Value repeatList(const ValueList &items, int64_t n)
{
    if (n <= 0 || items.empty())
        return Value::list({});
    if (static_cast<uint64_t>(n) > kMaxListItems / items.size() + 1)
        checkListSize(kMaxListItems + 1);
    checkListSize(items.size() * static_cast<size_t>(n));
    ValueList out;
    for (int64_t i = 0; i < n; ++i)
        out.insert(out.end(), items.begin(), items.end());
    return Value::list(std::move(out));
}

[[noreturn]] void unsupportedOperands(const std::string &op, const Value &a, const Value &b)
{
    throwRuntime("unsupported operand type(s) for " + op + ": '" + typeName(a) + "' and '" +
                 typeName(b) + "'");
}

std::string formatInt(const Value &v)
{
    if (v.isIntegral())
        return std::to_string(v.asInt());
    if (v.kind() == Value::Kind::Float)
        return std::to_string(static_cast<int64_t>(std::trunc(v.asDouble())));
    throwRuntime("%d format: a real number is required, not " + typeName(v));
}

// printf-style formatting: "%s and %d" % (a, b), and the |format filter.
std::string percentFormat(const std::string &fmt, const std::vector<Value> &args)
{
    std::string out;
    size_t next = 0;
    auto take = [&]() -> const Value & {
        if (next >= args.size())
            throwRuntime("not enough arguments for format string");
        return args[next++];
    };
    for (size_t i = 0; i < fmt.size(); ++i) {
        if (fmt[i] != '%') {
            out.push_back(fmt[i]);
            continue;
        }
        if (++i >= fmt.size())
            throwRuntime("incomplete format");
        std::string spec = "%";
        while (i < fmt.size() && std::strchr("-+ #0123456789.", fmt[i]))
            spec.push_back(fmt[i++]);
        if (i >= fmt.size())
            throwRuntime("incomplete format");
        const char conv = fmt[i];
        char buf[128];
        switch (conv) {
        case '%':
            out.push_back('%');
            break;
        case 's': {
            const std::string s = str(take());
            if (spec == "%") {
                out += s;
            } else {
                std::snprintf(buf, sizeof buf, (spec + "s").c_str(), s.c_str());
                out += buf;
            }
            break;
        }
        case 'r':
            out += repr(take());
            break;
        case 'd':
        case 'i': {
            const Value &v = take();
            std::snprintf(buf, sizeof buf, (spec + "lld").c_str(),
                          static_cast<long long>(std::stoll(formatInt(v))));
            out += buf;
            break;
        }
        case 'f':
        case 'F':
        case 'e':
        case 'E':
        case 'g':
        case 'G':
        case 'x':
        case 'X': {
            const Value &v = take();
            if (!v.isNumber())
                throwRuntime(std::string("%") + conv + " format: a real number is required, not " +
                             typeName(v));
            if (conv == 'x' || conv == 'X')
                std::snprintf(buf, sizeof buf, (spec + "ll" + conv).c_str(),
                              static_cast<long long>(v.asInt()));
            else
                std::snprintf(buf, sizeof buf, (spec + conv).c_str(), v.asDouble());
            out += buf;
            break;
        }
        default:
            unsupported(std::string("the format conversion '%") + conv + "' is not supported");
        }
    }
    if (next < args.size())
        throwRuntime("not all arguments converted during string formatting");
    return checkedString(std::move(out));
}

const Value *arg(const CallArgs &args, size_t index, std::string_view name)
{
    return args.get(index, name);
}

bool flagArg(const CallArgs &args, size_t index, std::string_view name, bool fallback)
{
    const Value *v = arg(args, index, name);
    return v ? truthy(*v) : fallback;
}

const std::string *stringArg(const CallArgs &args, size_t index, std::string_view name)
{
    const Value *v = arg(args, index, name);
    if (!v || v->isNone() || v->isUndefined())
        return nullptr;
    if (!v->isString())
        throwRuntime("expected a string for '" + std::string(name) + "', got " + typeName(*v));
    return &v->asString();
}

std::string requireString(const Value &v, const char *what)
{
    if (!v.isString())
        throwRuntime(std::string(what) + " must be a string, not " + typeName(v));
    return v.asString();
}

// jinja2's make_attrgetter: "a.b.0" looks up a, then b, then item 0, each via getitem.
Value attributePath(const Value &item, const std::string &path)
{
    Value cur = item;
    size_t start = 0;
    while (true) {
        const size_t dot = path.find('.', start);
        const std::string part = path.substr(start, dot == std::string::npos ? dot : dot - start);
        int64_t index = 0;
        auto r = std::from_chars(part.data(), part.data() + part.size(), index);
        if (!part.empty() && r.ec == std::errc() && r.ptr == part.data() + part.size())
            cur = getItem(cur, Value::integer(index));
        else
            cur = getItem(cur, Value::string(part));
        if (dot == std::string::npos)
            return cur;
        start = dot + 1;
    }
}

CallArgs restArgs(const CallArgs &args, size_t from)
{
    CallArgs rest;
    for (size_t i = from; i < args.positional.size(); ++i)
        rest.positional.push_back(args.positional[i]);
    rest.keywords = args.keywords;
    return rest;
}

Value sortKey(const Value &v, bool caseSensitive)
{
    if (!caseSensitive && v.isString())
        return Value::string(lower(v.asString()));
    return v;
}

std::vector<std::string> splitWhitespace(const std::string &s, int64_t maxSplit)
{
    std::vector<std::string> parts;
    const std::u32string u = decodeUtf8(s);
    size_t i = 0;
    while (i < u.size()) {
        while (i < u.size() && isPySpace(u[i]))
            ++i;
        if (i >= u.size())
            break;
        if (maxSplit >= 0 && static_cast<int64_t>(parts.size()) == maxSplit) {
            size_t end = u.size();
            while (end > i && isPySpace(u[end - 1]))
                --end;
            parts.push_back(encodeUtf8(std::u32string_view(u).substr(i, end - i)));
            break;
        }
        size_t j = i;
        while (j < u.size() && !isPySpace(u[j]))
            ++j;
        parts.push_back(encodeUtf8(std::u32string_view(u).substr(i, j - i)));
        i = j;
    }
    return parts;
}

std::vector<std::string> splitOn(const std::string &s, const std::string &sep, int64_t maxSplit)
{
    if (sep.empty())
        throwRuntime("empty separator");
    std::vector<std::string> parts;
    size_t start = 0;
    while (true) {
        if (maxSplit >= 0 && static_cast<int64_t>(parts.size()) == maxSplit)
            break;
        const size_t at = s.find(sep, start);
        if (at == std::string::npos)
            break;
        parts.push_back(s.substr(start, at - start));
        start = at + sep.size();
    }
    parts.push_back(s.substr(start));
    return parts;
}

std::vector<std::string> splitLines(const std::string &s)
{
    std::vector<std::string> lines;
    const std::u32string u = decodeUtf8(s);
    size_t start = 0;
    for (size_t i = 0; i < u.size(); ++i) {
        const char32_t c = u[i];
        const bool br = c == '\n' || c == '\r' || c == 0x0B || c == 0x0C || c == 0x1C ||
                        c == 0x1D || c == 0x1E || c == 0x85 || c == 0x2028 || c == 0x2029;
        if (!br)
            continue;
        lines.push_back(encodeUtf8(std::u32string_view(u).substr(start, i - start)));
        if (c == '\r' && i + 1 < u.size() && u[i + 1] == '\n')
            ++i;
        start = i + 1;
    }
    if (start < u.size())
        lines.push_back(encodeUtf8(std::u32string_view(u).substr(start)));
    return lines;
}

std::string replaceAll(const std::string &s, const std::string &from, const std::string &to,
                       int64_t count)
{
    std::string out;
    if (from.empty()) {
        // Python inserts `to` around every character.
        const std::u32string u = decodeUtf8(s);
        int64_t done = 0;
        for (size_t i = 0; i <= u.size(); ++i) {
            if (count < 0 || done < count) {
                out += to;
                ++done;
            }
            if (i < u.size())
                appendUtf8(out, u[i]);
            if (out.size() > kMaxStringBytes)
                return checkedString(std::move(out));
        }
        return checkedString(std::move(out));
    }
    size_t start = 0;
    int64_t done = 0;
    while (count < 0 || done < count) {
        const size_t at = s.find(from, start);
        if (at == std::string::npos)
            break;
        out.append(s, start, at - start);
        out += to;
        start = at + from.size();
        ++done;
        if (out.size() > kMaxStringBytes)
            return checkedString(std::move(out));
    }
    out.append(s, start, std::string::npos);
    return checkedString(std::move(out));
}

Value stringList(std::vector<std::string> parts)
{
    ValueList items;
    items.reserve(parts.size());
    for (auto &p : parts)
        items.push_back(Value::string(std::move(p)));
    return Value::list(std::move(items));
}

bool prefixMatch(const std::string &s, const Value &prefix, bool suffix)
{
    auto one = [&](const Value &p) {
        const std::string t =
            requireString(p, suffix ? "endswith() argument" : "startswith() argument");
        if (t.size() > s.size())
            return false;
        return suffix ? s.compare(s.size() - t.size(), t.size(), t) == 0
                      : s.compare(0, t.size(), t) == 0;
    };
    if (prefix.isList()) {
        for (const auto &p : prefix.asList()) {
            if (one(p))
                return true;
        }
        return false;
    }
    return one(prefix);
}

std::optional<int64_t> parsePyInt(std::string s, int base)
{
    s = strip(s, nullptr, true, true);
    s.erase(std::remove(s.begin(), s.end(), '_'), s.end());
    if (s.empty())
        return std::nullopt;
    const char *b = s.data();
    const char *e = s.data() + s.size();
    if (*b == '+')
        ++b;
    int64_t v = 0;
    auto r = std::from_chars(b, e, v, base);
    if (r.ec != std::errc() || r.ptr != e)
        return std::nullopt;
    return v;
}

std::optional<double> parsePyFloat(std::string s)
{
    s = strip(s, nullptr, true, true);
    s.erase(std::remove(s.begin(), s.end(), '_'), s.end());
    std::string l = lower(s);
    const bool neg = !l.empty() && l[0] == '-';
    std::string body = !l.empty() && (l[0] == '-' || l[0] == '+') ? l.substr(1) : l;
    if (body == "inf" || body == "infinity")
        return neg ? -HUGE_VAL : HUGE_VAL;
    if (body == "nan")
        return std::nan("");
    if (s.empty())
        return std::nullopt;
    const char *b = s.data();
    if (*b == '+')
        ++b;
    double d = 0;
    auto r = std::from_chars(b, s.data() + s.size(), d);
    if (r.ec != std::errc() || r.ptr != s.data() + s.size())
        return std::nullopt;
    return d;
}

double pyRound(double x, int64_t digits)
{
    // Round half to even at `digits` decimals, like Python's round() for typical values.
    const double scale = std::pow(10.0, static_cast<double>(digits));
    const double y = x * scale;
    double r = std::round(y);
    if (std::fabs(y - std::trunc(y)) == 0.5)
        r = 2.0 * std::round(y / 2.0);
    return r / scale;
}

} // namespace wb::jinja::support

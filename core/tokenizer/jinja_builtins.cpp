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

namespace wb::jinja {

namespace {

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

using FilterFn = std::function<Value(const Value &, const CallArgs &)>;

Value selectImpl(const Value &value, const CallArgs &args, bool byAttribute, bool keep)
{
    ValueList out;
    size_t testIndex = 0;
    std::string attribute;
    if (byAttribute) {
        const Value *a = arg(args, 0, "attribute");
        if (!a)
            throwRuntime("selectattr/rejectattr need an attribute name");
        attribute = str(*a);
        testIndex = 1;
    }
    const Value *testName =
        args.positional.size() > testIndex ? &args.positional[testIndex] : nullptr;
    const CallArgs testArgs = restArgs(args, testIndex + 1);
    for (const Value &item : iterate(value)) {
        const Value subject = byAttribute ? attributePath(item, attribute) : item;
        bool ok = testName ? applyTest(str(*testName), subject, testArgs) : truthy(subject);
        if (ok == keep)
            out.push_back(item);
    }
    return Value::list(std::move(out));
}

std::vector<Value> sortedItems(const Value &value, const CallArgs &args, size_t caseIndex,
                               size_t attrIndex, bool reverse)
{
    std::vector<Value> items = iterate(value);
    const bool caseSensitive = flagArg(args, caseIndex, "case_sensitive", false);
    const std::string *attribute = stringArg(args, attrIndex, "attribute");
    auto key = [&](const Value &v) {
        return sortKey(attribute ? attributePath(v, *attribute) : v, caseSensitive);
    };
    std::stable_sort(items.begin(), items.end(), [&](const Value &a, const Value &b) {
        const int c = compare(key(a), key(b), "<");
        return reverse ? c > 0 : c < 0;
    });
    return items;
}

Value minMax(const Value &value, const CallArgs &args, bool wantMax)
{
    std::vector<Value> items = iterate(value);
    if (items.empty())
        return Value::undefined(wantMax ? "No largest item, sequence was empty."
                                        : "No smallest item, sequence was empty.");
    const bool caseSensitive = flagArg(args, 0, "case_sensitive", false);
    const std::string *attribute = stringArg(args, 1, "attribute");
    auto key = [&](const Value &v) {
        return sortKey(attribute ? attributePath(v, *attribute) : v, caseSensitive);
    };
    size_t best = 0;
    for (size_t i = 1; i < items.size(); ++i) {
        const int c = compare(key(items[i]), key(items[best]), "<");
        if (wantMax ? c > 0 : c < 0)
            best = i;
    }
    return items[best];
}

Value tojsonFilter(const Value &value, const CallArgs &args)
{
    // transformers replaces jinja2's tojson with
    // json.dumps(x, ensure_ascii=False, indent=None, separators=None, sort_keys=False).
    JsonOptions o;
    o.ensureAscii = flagArg(args, 0, "ensure_ascii", false);
    const Value *indent = arg(args, 1, "indent");
    if (indent && !indent->isNone()) {
        o.hasIndent = true;
        if (indent->isString())
            o.indent = indent->asString();
        else if (indent->isIntegral())
            o.indent = std::string(
                static_cast<size_t>(std::max<int64_t>(0, std::min<int64_t>(indent->asInt(), 64))),
                ' ');
        else
            throwRuntime("tojson: indent must be an int or a string");
        o.itemSeparator = ",";
    }
    const Value *separators = arg(args, 2, "separators");
    if (separators && !separators->isNone()) {
        if (!separators->isList() || separators->asList().size() != 2)
            throwRuntime("tojson: separators must be a pair of strings");
        o.itemSeparator = requireString(separators->asList()[0], "tojson separator");
        o.keySeparator = requireString(separators->asList()[1], "tojson separator");
    }
    o.sortKeys = flagArg(args, 3, "sort_keys", false);
    return Value::string(checkedString(toJson(value, o)));
}

Value indentFilter(const Value &value, const CallArgs &args)
{
    std::string indentation = "    ";
    if (const Value *w = arg(args, 0, "width")) {
        if (w->isString())
            indentation = w->asString();
        else
            indentation =
                std::string(static_cast<size_t>(std::clamp<int64_t>(w->asInt(), 0, 1024)), ' ');
    }
    const bool first = flagArg(args, 1, "first", false);
    const bool blank = flagArg(args, 2, "blank", false);
    const std::vector<std::string> lines = splitLines(str(value) + "\n");
    std::string rv;
    if (blank) {
        for (size_t i = 0; i < lines.size(); ++i)
            rv += (i ? "\n" + indentation : std::string()) + lines[i];
    } else {
        rv = lines.empty() ? std::string() : lines[0];
        for (size_t i = 1; i < lines.size(); ++i)
            rv += "\n" + (lines[i].empty() ? std::string() : indentation) + lines[i];
    }
    if (first)
        rv = indentation + rv;
    return Value::string(checkedString(std::move(rv)));
}

const std::map<std::string, FilterFn> &filters()
{
    static const std::map<std::string, FilterFn> table = [] {
        std::map<std::string, FilterFn> f;
        f["abs"] = [](const Value &v, const CallArgs &) {
            if (v.isIntegral())
                return Value::integer(v.asInt() < 0 ? checkedSub(0, v.asInt()) : v.asInt());
            if (v.kind() == Value::Kind::Float)
                return Value::number(std::fabs(v.asDouble()));
            throwRuntime("bad operand type for abs(): '" + typeName(v) + "'");
        };
        f["attr"] = [](const Value &v, const CallArgs &a) {
            const Value *n = arg(a, 0, "name");
            return n ? getAttr(v, str(*n)) : Value();
        };
        f["capitalize"] = [](const Value &v, const CallArgs &) {
            return Value::string(capitalize(str(v)));
        };
        f["default"] = [](const Value &v, const CallArgs &a) {
            const Value *fallback = arg(a, 0, "default_value");
            const bool boolean = flagArg(a, 1, "boolean", false);
            if (v.isUndefined() || (boolean && !truthy(v)))
                return fallback ? *fallback : Value::string("");
            return v;
        };
        f["d"] = f["default"];
        f["dictsort"] = [](const Value &v, const CallArgs &a) {
            if (!v.isDict())
                throwRuntime("You can only sort by either \"key\" or \"value\" of a mapping");
            const bool caseSensitive = flagArg(a, 0, "case_sensitive", false);
            const std::string *by = stringArg(a, 1, "by");
            const bool byValue = by && *by == "value";
            const bool reverse = flagArg(a, 2, "reverse", false);
            std::vector<std::pair<Value, Value>> items = v.asDict().items;
            std::stable_sort(items.begin(), items.end(), [&](const auto &x, const auto &y) {
                const int c = compare(sortKey(byValue ? x.second : x.first, caseSensitive),
                                      sortKey(byValue ? y.second : y.first, caseSensitive), "<");
                return reverse ? c > 0 : c < 0;
            });
            ValueList out;
            for (auto &[k, val] : items)
                out.push_back(Value::tuple({k, val}));
            return Value::list(std::move(out));
        };
        f["escape"] = [](const Value &v, const CallArgs &) {
            std::string out;
            for (char c : str(v)) {
                switch (c) {
                case '&':
                    out += "&amp;";
                    break;
                case '<':
                    out += "&lt;";
                    break;
                case '>':
                    out += "&gt;";
                    break;
                case '"':
                    out += "&#34;";
                    break;
                case '\'':
                    out += "&#39;";
                    break;
                default:
                    out.push_back(c);
                }
            }
            return Value::string(checkedString(std::move(out)));
        };
        f["e"] = f["escape"];
        f["first"] = [](const Value &v, const CallArgs &) {
            if (v.isString()) {
                const std::u32string u = decodeUtf8(v.asString());
                if (!u.empty())
                    return Value::string(encodeUtf8(u.substr(0, 1)));
            } else {
                std::vector<Value> items = iterate(v);
                if (!items.empty())
                    return items.front();
            }
            return Value::undefined("No first item, sequence was empty.");
        };
        f["last"] = [](const Value &v, const CallArgs &) {
            std::vector<Value> items = iterate(v);
            if (!items.empty())
                return items.back();
            return Value::undefined("No last item, sequence was empty.");
        };
        f["float"] = [](const Value &v, const CallArgs &a) {
            const Value *fallback = arg(a, 0, "default");
            if (v.isNumber())
                return Value::number(v.asDouble());
            if (v.isString()) {
                if (auto d = parsePyFloat(v.asString()))
                    return Value::number(*d);
            }
            return fallback ? *fallback : Value::number(0.0);
        };
        f["format"] = [](const Value &v, const CallArgs &a) {
            if (!a.keywords.empty())
                unsupported("the format filter with keyword arguments is not supported");
            return Value::string(percentFormat(str(v), a.positional));
        };
        f["indent"] = indentFilter;
        f["int"] = [](const Value &v, const CallArgs &a) {
            const Value *fallback = arg(a, 0, "default");
            const Value *baseArg = arg(a, 1, "base");
            const int base =
                baseArg && baseArg->isIntegral() ? static_cast<int>(baseArg->asInt()) : 10;
            if (v.isIntegral())
                return Value::integer(v.asInt());
            if (v.kind() == Value::Kind::Float && std::isfinite(v.asDouble()))
                return Value::integer(static_cast<int64_t>(std::trunc(v.asDouble())));
            if (v.isString()) {
                if (auto i = parsePyInt(v.asString(), base))
                    return Value::integer(*i);
                if (auto d = parsePyFloat(v.asString()); d && std::isfinite(*d))
                    return Value::integer(static_cast<int64_t>(std::trunc(*d)));
            }
            return fallback ? *fallback : Value::integer(0);
        };
        f["items"] = [](const Value &v, const CallArgs &) {
            if (v.isUndefined())
                return Value::list({});
            if (!v.isDict())
                throwRuntime("Can only get item pairs from a mapping.");
            ValueList out;
            for (const auto &[k, val] : v.asDict().items)
                out.push_back(Value::tuple({k, val}));
            return Value::list(std::move(out));
        };
        f["join"] = [](const Value &v, const CallArgs &a) {
            const std::string *sep = stringArg(a, 0, "d");
            const std::string *attribute = stringArg(a, 1, "attribute");
            std::string out;
            bool first = true;
            for (const Value &item : iterate(v)) {
                if (!first && sep)
                    out += *sep;
                first = false;
                out += str(attribute ? attributePath(item, *attribute) : item);
                if (out.size() > kMaxStringBytes)
                    break;
            }
            return Value::string(checkedString(std::move(out)));
        };
        f["length"] = [](const Value &v, const CallArgs &) {
            switch (v.kind()) {
            case Value::Kind::Undefined:
                return Value::integer(0);
            case Value::Kind::String:
                return Value::integer(static_cast<int64_t>(codePointCount(v.asString())));
            case Value::Kind::List:
                return Value::integer(static_cast<int64_t>(v.asList().size()));
            case Value::Kind::Dict:
                return Value::integer(static_cast<int64_t>(v.asDict().items.size()));
            default:
                throwRuntime("object of type '" + typeName(v) + "' has no len()");
            }
        };
        f["count"] = f["length"];
        f["list"] = [](const Value &v, const CallArgs &) { return Value::list(iterate(v)); };
        f["lower"] = [](const Value &v, const CallArgs &) { return Value::string(lower(str(v))); };
        f["map"] = [](const Value &v, const CallArgs &a) {
            ValueList out;
            const Value *attribute = nullptr;
            const Value *fallback = nullptr;
            for (const auto &[k, val] : a.keywords) {
                if (k == "attribute")
                    attribute = &val;
                else if (k == "default")
                    fallback = &val;
            }
            if (attribute) {
                for (const Value &item : iterate(v)) {
                    Value x = attributePath(item, str(*attribute));
                    out.push_back(x.isUndefined() && fallback ? *fallback : x);
                }
                return Value::list(std::move(out));
            }
            if (a.positional.empty())
                throwRuntime("map needs a filter name or attribute=");
            const std::string name = str(a.positional[0]);
            const CallArgs rest = restArgs(a, 1);
            for (const Value &item : iterate(v))
                out.push_back(applyFilter(name, item, rest));
            return Value::list(std::move(out));
        };
        f["max"] = [](const Value &v, const CallArgs &a) { return minMax(v, a, true); };
        f["min"] = [](const Value &v, const CallArgs &a) { return minMax(v, a, false); };
        f["reject"] = [](const Value &v, const CallArgs &a) {
            return selectImpl(v, a, false, false);
        };
        f["rejectattr"] = [](const Value &v, const CallArgs &a) {
            return selectImpl(v, a, true, false);
        };
        f["select"] = [](const Value &v, const CallArgs &a) {
            return selectImpl(v, a, false, true);
        };
        f["selectattr"] = [](const Value &v, const CallArgs &a) {
            return selectImpl(v, a, true, true);
        };
        f["replace"] = [](const Value &v, const CallArgs &a) {
            const Value *from = arg(a, 0, "old");
            const Value *to = arg(a, 1, "new");
            const Value *count = arg(a, 2, "count");
            if (!from || !to)
                throwRuntime("replace needs the old and the new text");
            return Value::string(replaceAll(str(v), str(*from), str(*to),
                                            count && !count->isNone() ? count->asInt() : -1));
        };
        f["reverse"] = [](const Value &v, const CallArgs &) {
            if (v.isString()) {
                std::u32string u = decodeUtf8(v.asString());
                std::reverse(u.begin(), u.end());
                return Value::string(encodeUtf8(u));
            }
            std::vector<Value> items = iterate(v);
            std::reverse(items.begin(), items.end());
            return Value::list(std::move(items));
        };
        f["round"] = [](const Value &v, const CallArgs &a) {
            const Value *p = arg(a, 0, "precision");
            const std::string *method = stringArg(a, 1, "method");
            const int64_t digits = p ? p->asInt() : 0;
            if (!v.isNumber())
                throwRuntime("round: a number is required, not " + typeName(v));
            const double scale = std::pow(10.0, static_cast<double>(digits));
            if (method && *method == "ceil")
                return Value::number(std::ceil(v.asDouble() * scale) / scale);
            if (method && *method == "floor")
                return Value::number(std::floor(v.asDouble() * scale) / scale);
            if (method && *method != "common")
                throwRuntime("method must be common, ceil or floor");
            return Value::number(pyRound(v.asDouble(), digits));
        };
        f["safe"] = [](const Value &v, const CallArgs &) { return v; };
        f["sort"] = [](const Value &v, const CallArgs &a) {
            return Value::list(sortedItems(v, a, 1, 2, flagArg(a, 0, "reverse", false)));
        };
        f["string"] = [](const Value &v, const CallArgs &) { return Value::string(str(v)); };
        f["sum"] = [](const Value &v, const CallArgs &a) {
            const std::string *attribute = stringArg(a, 0, "attribute");
            const Value *start = arg(a, 1, "start");
            Value total = start ? *start : Value::integer(0);
            for (const Value &item : iterate(v))
                total = binaryOp("+", total, attribute ? attributePath(item, *attribute) : item);
            return total;
        };
        f["title"] = [](const Value &v, const CallArgs &) {
            return Value::string(jinjaTitle(str(v)));
        };
        f["tojson"] = tojsonFilter;
        f["trim"] = [](const Value &v, const CallArgs &a) {
            return Value::string(strip(str(v), stringArg(a, 0, "chars"), true, true));
        };
        f["unique"] = [](const Value &v, const CallArgs &a) {
            const bool caseSensitive = flagArg(a, 0, "case_sensitive", false);
            const std::string *attribute = stringArg(a, 1, "attribute");
            ValueList out;
            std::vector<Value> seen;
            for (const Value &item : iterate(v)) {
                Value key =
                    sortKey(attribute ? attributePath(item, *attribute) : item, caseSensitive);
                if (std::none_of(seen.begin(), seen.end(),
                                 [&](const Value &s) { return equals(s, key); })) {
                    seen.push_back(key);
                    out.push_back(item);
                }
            }
            return Value::list(std::move(out));
        };
        f["upper"] = [](const Value &v, const CallArgs &) { return Value::string(upper(str(v))); };
        f["wordcount"] = [](const Value &v, const CallArgs &) {
            return Value::integer(static_cast<int64_t>(splitWhitespace(str(v), -1).size()));
        };
        return f;
    }();
    return table;
}

} // namespace

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

Value applyFilter(const std::string &name, const Value &value, const CallArgs &args)
{
    const auto &table = filters();
    auto it = table.find(name);
    if (it == table.end())
        unsupported("the chat template uses the filter '" + name +
                    "', which LLM Workbench does not support");
    return it->second(value, args);
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
        return filters().count(str(needOther())) > 0;
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

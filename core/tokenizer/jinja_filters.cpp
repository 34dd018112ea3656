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

namespace {

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

bool hasFilter(const std::string &name)
{
    return filters().count(name) > 0;
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

} // namespace wb::jinja

#include "tokenizer/jinja_value.h"

#include "common/error.h"
#include "tokenizer/jinja_text.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdio>

namespace wb::jinja {

namespace {

// Values can nest (and a namespace can hold itself); printing or comparing stops here instead
// of overflowing the stack.
constexpr int kMaxValueDepth = 200;

void checkDepth(int depth)
{
    if (depth > kMaxValueDepth)
        throwRuntime("value nested more than " + std::to_string(kMaxValueDepth) +
                     " levels deep (a namespace that contains itself?)");
}

bool isPrintable(char32_t c)
{
    if (c < 0x20 || (c >= 0x7F && c <= 0xA0) || c == 0xAD)
        return false;
    if (c == 0x1680 || (c >= 0x2000 && c <= 0x200F) || (c >= 0x2028 && c <= 0x202F) ||
        (c >= 0x205F && c <= 0x206F) || c == 0x3000 || c == 0xFEFF || (c >= 0xFFF9 && c <= 0xFFFB))
        return false;
    if ((c >= 0xD800 && c <= 0xDFFF) || (c >= 0xE000 && c <= 0xF8FF))
        return false;
    return true;
}

std::string reprString(const std::string &s)
{
    const bool hasSingle = s.find('\'') != std::string::npos;
    const bool hasDouble = s.find('"') != std::string::npos;
    const char quote = hasSingle && !hasDouble ? '"' : '\'';
    std::string out(1, quote);
    char buf[16];
    for (char32_t c : decodeUtf8(s)) {
        if (c == static_cast<char32_t>(quote) || c == '\\') {
            out.push_back('\\');
            out.push_back(static_cast<char>(c));
        } else if (c == '\t') {
            out += "\\t";
        } else if (c == '\n') {
            out += "\\n";
        } else if (c == '\r') {
            out += "\\r";
        } else if (isPrintable(c)) {
            appendUtf8(out, c);
        } else {
            if (c <= 0xFF)
                std::snprintf(buf, sizeof buf, "\\x%02x", static_cast<unsigned>(c));
            else if (c <= 0xFFFF)
                std::snprintf(buf, sizeof buf, "\\u%04x", static_cast<unsigned>(c));
            else
                std::snprintf(buf, sizeof buf, "\\U%08x", static_cast<unsigned>(c));
            out += buf;
        }
    }
    out.push_back(quote);
    return out;
}

std::string reprImpl(const Value &v, int depth);

std::string reprDict(const ValueDict &d, int depth)
{
    std::string out = "{";
    bool first = true;
    for (const auto &[k, val] : d.items) {
        if (!first)
            out += ", ";
        first = false;
        out += reprImpl(k, depth + 1) + ": " + reprImpl(val, depth + 1);
    }
    return out + "}";
}

std::string strImpl(const Value &v, int depth)
{
    checkDepth(depth);
    switch (v.kind()) {
    case Value::Kind::Undefined:
        return {};
    case Value::Kind::None:
        return "None";
    case Value::Kind::Bool:
        return v.asBool() ? "True" : "False";
    case Value::Kind::Int:
        return std::to_string(v.asInt());
    case Value::Kind::Float:
        return formatFloat(v.asDouble());
    case Value::Kind::String:
        return v.asString();
    case Value::Kind::List: {
        std::string out = v.isTuple() ? "(" : "[";
        for (size_t i = 0; i < v.asList().size(); ++i) {
            if (i)
                out += ", ";
            out += reprImpl(v.asList()[i], depth + 1);
        }
        if (v.isTuple())
            return out + (v.asList().size() == 1 ? ",)" : ")");
        return out + "]";
    }
    case Value::Kind::Dict:
        return reprDict(v.asDict(), depth);
    case Value::Kind::Namespace:
        return "<Namespace " + reprDict(v.asDict(), depth) + ">";
    case Value::Kind::Callable:
        return "<function " + v.asCallable().name + ">";
    }
    return {};
}

std::string reprImpl(const Value &v, int depth)
{
    checkDepth(depth);
    if (v.isString())
        return reprString(v.asString());
    if (v.isUndefined())
        return "Undefined";
    return strImpl(v, depth);
}

bool equalsImpl(const Value &a, const Value &b, int depth)
{
    checkDepth(depth);
    if (a.isNumber() && b.isNumber()) {
        if (a.isIntegral() && b.isIntegral())
            return a.asInt() == b.asInt();
        return a.asDouble() == b.asDouble();
    }
    if (a.kind() != b.kind() || a.isTuple() != b.isTuple())
        return false;
    switch (a.kind()) {
    case Value::Kind::Undefined:
    case Value::Kind::None:
        return true; // jinja2: any two Undefined compare equal
    case Value::Kind::String:
        return a.asString() == b.asString();
    case Value::Kind::List: {
        const auto &x = a.asList();
        const auto &y = b.asList();
        if (x.size() != y.size())
            return false;
        for (size_t i = 0; i < x.size(); ++i) {
            if (!equalsImpl(x[i], y[i], depth + 1))
                return false;
        }
        return true;
    }
    case Value::Kind::Dict: {
        const auto &x = a.asDict().items;
        const auto &y = b.asDict();
        if (x.size() != y.items.size())
            return false;
        for (const auto &[k, val] : x) {
            const Value *other = y.find(k);
            if (!other || !equalsImpl(val, *other, depth + 1))
                return false;
        }
        return true;
    }
    default:
        return a.sameObject(b);
    }
}

// The two-character escapes of JSON (Python's json.dumps uses the same); false for others.
bool shortEscape(std::string &out, char32_t c)
{
    switch (c) {
    case '"':
        out += "\\\"";
        return true;
    case '\\':
        out += "\\\\";
        return true;
    case '\n':
        out += "\\n";
        return true;
    case '\r':
        out += "\\r";
        return true;
    case '\t':
        out += "\\t";
        return true;
    case '\b':
        out += "\\b";
        return true;
    case '\f':
        out += "\\f";
        return true;
    default:
        return false;
    }
}

void jsonString(std::string &out, const std::string &s, bool ensureAscii)
{
    out.push_back('"');
    char buf[16];
    auto escape = [&](unsigned cp) {
        std::snprintf(buf, sizeof buf, "\\u%04x", cp);
        out += buf;
    };
    if (!ensureAscii) {
        for (unsigned char c : s) {
            if (shortEscape(out, c))
                continue;
            if (c < 0x20)
                escape(c);
            else
                out.push_back(static_cast<char>(c));
        }
    } else {
        for (char32_t c : decodeUtf8(s)) {
            if (shortEscape(out, c))
                continue;
            if (c >= 0x20 && c < 0x7F) {
                out.push_back(static_cast<char>(c));
            } else if (c < 0x10000) {
                escape(c);
            } else {
                const unsigned v = c - 0x10000;
                escape(0xD800 + (v >> 10));
                escape(0xDC00 + (v & 0x3FF));
            }
        }
    }
    out.push_back('"');
}

void jsonImpl(std::string &out, const Value &v, const JsonOptions &o, int depth)
{
    checkDepth(depth);
    auto newline = [&](int level) {
        if (!o.hasIndent)
            return;
        out.push_back('\n');
        for (int i = 0; i < level; ++i)
            out += o.indent;
    };
    switch (v.kind()) {
    case Value::Kind::None:
        out += "null";
        return;
    case Value::Kind::Bool:
        out += v.asBool() ? "true" : "false";
        return;
    case Value::Kind::Int:
        out += std::to_string(v.asInt());
        return;
    case Value::Kind::Float: {
        const double d = v.asDouble();
        if (std::isnan(d))
            out += "NaN";
        else if (std::isinf(d))
            out += d > 0 ? "Infinity" : "-Infinity";
        else
            out += formatFloat(d);
        return;
    }
    case Value::Kind::String:
        jsonString(out, v.asString(), o.ensureAscii);
        return;
    case Value::Kind::List: {
        const auto &items = v.asList();
        if (items.empty()) {
            out += "[]";
            return;
        }
        out.push_back('[');
        for (size_t i = 0; i < items.size(); ++i) {
            if (i)
                out += o.itemSeparator;
            newline(depth + 1);
            jsonImpl(out, items[i], o, depth + 1);
        }
        newline(depth);
        out.push_back(']');
        return;
    }
    case Value::Kind::Dict: {
        std::vector<const std::pair<Value, Value> *> items;
        for (const auto &item : v.asDict().items)
            items.push_back(&item);
        if (items.empty()) {
            out += "{}";
            return;
        }
        auto keyText = [](const Value &k) -> std::string {
            // json.dumps turns int/float/bool/None keys into strings.
            switch (k.kind()) {
            case Value::Kind::String:
                return k.asString();
            case Value::Kind::None:
                return "null";
            case Value::Kind::Bool:
                return k.asBool() ? "true" : "false";
            case Value::Kind::Int:
                return std::to_string(k.asInt());
            case Value::Kind::Float:
                return formatFloat(k.asDouble());
            default:
                throwRuntime("keys must be str, int, float, bool or None, not " + typeName(k));
            }
        };
        if (o.sortKeys) {
            std::stable_sort(items.begin(), items.end(), [&](auto *a, auto *b) {
                return compare(a->first, b->first, "<") < 0;
            });
        }
        out.push_back('{');
        for (size_t i = 0; i < items.size(); ++i) {
            if (i)
                out += o.itemSeparator;
            newline(depth + 1);
            jsonString(out, keyText(items[i]->first), o.ensureAscii);
            out += o.keySeparator;
            jsonImpl(out, items[i]->second, o, depth + 1);
        }
        newline(depth);
        out.push_back('}');
        return;
    }
    default:
        throwRuntime("Object of type " + typeName(v) + " is not JSON serializable");
    }
}

template <typename Json> Value fromJsonImpl(const Json &j, int depth)
{
    checkDepth(depth);
    switch (j.type()) {
    case nlohmann::json::value_t::null:
        return Value::none();
    case nlohmann::json::value_t::boolean:
        return Value::boolean(j.template get<bool>());
    case nlohmann::json::value_t::number_integer:
        return Value::integer(j.template get<int64_t>());
    case nlohmann::json::value_t::number_unsigned: {
        const auto u = j.template get<uint64_t>();
        if (u <= static_cast<uint64_t>(INT64_MAX))
            return Value::integer(static_cast<int64_t>(u));
        return Value::number(static_cast<double>(u));
    }
    case nlohmann::json::value_t::number_float:
        return Value::number(j.template get<double>());
    case nlohmann::json::value_t::string:
        return Value::string(j.template get<std::string>());
    case nlohmann::json::value_t::array: {
        ValueList items;
        items.reserve(j.size());
        for (const auto &e : j)
            items.push_back(fromJsonImpl(e, depth + 1));
        return Value::list(std::move(items));
    }
    case nlohmann::json::value_t::object: {
        ValueDict d;
        for (auto it = j.begin(); it != j.end(); ++it)
            d.items.emplace_back(Value::string(it.key()), fromJsonImpl(it.value(), depth + 1));
        return Value::dict(std::move(d));
    }
    default:
        throwRuntime("unsupported JSON value (binary or discarded)");
    }
}

} // namespace

const Value *CallArgs::get(size_t index, std::string_view name) const
{
    if (index < positional.size())
        return &positional[index];
    for (const auto &[k, v] : keywords) {
        if (k == name)
            return &v;
    }
    return nullptr;
}

Value Value::undefined(std::string message)
{
    Value v;
    v.m_string = std::make_shared<const std::string>(std::move(message));
    return v;
}

Value Value::none()
{
    Value v;
    v.m_kind = Kind::None;
    return v;
}

Value Value::boolean(bool b)
{
    Value v;
    v.m_kind = Kind::Bool;
    v.m_scalar.b = b;
    return v;
}

Value Value::integer(int64_t i)
{
    Value v;
    v.m_kind = Kind::Int;
    v.m_scalar.i = i;
    return v;
}

Value Value::number(double d)
{
    Value v;
    v.m_kind = Kind::Float;
    v.m_scalar.d = d;
    return v;
}

Value Value::string(std::string s)
{
    Value v;
    v.m_kind = Kind::String;
    v.m_string = std::make_shared<const std::string>(std::move(s));
    return v;
}

Value Value::list(ValueList items)
{
    Value v;
    v.m_kind = Kind::List;
    v.m_list = std::make_shared<const ValueList>(std::move(items));
    return v;
}

Value Value::tuple(ValueList items)
{
    Value v = list(std::move(items));
    v.m_tuple = true;
    return v;
}

Value Value::dict(ValueDict items)
{
    Value v;
    v.m_kind = Kind::Dict;
    v.m_dict = std::make_shared<ValueDict>(std::move(items));
    return v;
}

Value Value::nameSpace(ValueDict items)
{
    Value v = dict(std::move(items));
    v.m_kind = Kind::Namespace;
    return v;
}

Value Value::function(std::string name, std::function<Value(const CallArgs &)> fn)
{
    Value v;
    v.m_kind = Kind::Callable;
    v.m_callable = std::make_shared<const Callable>(Callable{std::move(name), std::move(fn)});
    return v;
}

Value Value::fromJson(const nlohmann::json &j)
{
    return fromJsonImpl(j, 0);
}

Value Value::fromJson(const nlohmann::ordered_json &j)
{
    return fromJsonImpl(j, 0);
}

std::string Value::undefinedMessage() const
{
    return m_string && !m_string->empty() ? *m_string : std::string("value is undefined");
}

bool Value::sameObject(const Value &other) const
{
    if (m_kind != other.m_kind)
        return false;
    switch (m_kind) {
    case Kind::Undefined:
    case Kind::None:
        return true;
    case Kind::Bool:
        return m_scalar.b == other.m_scalar.b;
    case Kind::Int:
        return m_scalar.i == other.m_scalar.i;
    case Kind::Float:
        return m_scalar.d == other.m_scalar.d;
    case Kind::String:
        return m_string == other.m_string || *m_string == *other.m_string;
    case Kind::List:
        return m_list == other.m_list;
    case Kind::Dict:
    case Kind::Namespace:
        return m_dict == other.m_dict;
    case Kind::Callable:
        return m_callable == other.m_callable;
    }
    return false;
}

const Value *ValueDict::find(const Value &key) const
{
    if (key.isString())
        return find(std::string_view(key.asString()));
    for (const auto &[k, v] : items) {
        if (!k.isString() && equals(k, key))
            return &v;
    }
    return nullptr;
}

const Value *ValueDict::find(std::string_view key) const
{
    for (const auto &[k, v] : items) {
        if (k.isString() && k.asString() == key)
            return &v;
    }
    return nullptr;
}

void ValueDict::set(const Value &key, Value value)
{
    for (auto &[k, v] : items) {
        if (equals(k, key)) {
            v = std::move(value);
            return;
        }
    }
    items.emplace_back(key, std::move(value));
}

bool truthy(const Value &v)
{
    switch (v.kind()) {
    case Value::Kind::Undefined:
    case Value::Kind::None:
        return false;
    case Value::Kind::Bool:
        return v.asBool();
    case Value::Kind::Int:
        return v.asInt() != 0;
    case Value::Kind::Float:
        return v.asDouble() != 0.0;
    case Value::Kind::String:
        return !v.asString().empty();
    case Value::Kind::List:
        return !v.asList().empty();
    case Value::Kind::Dict:
        return !v.asDict().items.empty();
    case Value::Kind::Namespace:
    case Value::Kind::Callable:
        return true;
    }
    return false;
}

bool equals(const Value &a, const Value &b)
{
    return equalsImpl(a, b, 0);
}

int compare(const Value &a, const Value &b, const char *op)
{
    if (a.isUndefined())
        throwUndefined(a);
    if (b.isUndefined())
        throwUndefined(b);
    if (a.isNumber() && b.isNumber()) {
        if (a.isIntegral() && b.isIntegral())
            return a.asInt() < b.asInt() ? -1 : (a.asInt() > b.asInt() ? 1 : 0);
        const double x = a.asDouble();
        const double y = b.asDouble();
        return x < y ? -1 : (x > y ? 1 : 0);
    }
    if (a.isString() && b.isString()) {
        // UTF-8 byte order is code point order, which is how Python compares str.
        const int c = a.asString().compare(b.asString());
        return c < 0 ? -1 : (c > 0 ? 1 : 0);
    }
    if (a.isList() && b.isList()) {
        const auto &x = a.asList();
        const auto &y = b.asList();
        for (size_t i = 0; i < x.size() && i < y.size(); ++i) {
            if (!equals(x[i], y[i]))
                return compare(x[i], y[i], op);
        }
        return x.size() < y.size() ? -1 : (x.size() > y.size() ? 1 : 0);
    }
    throwRuntime(std::string("'") + op + "' not supported between instances of '" + typeName(a) +
                 "' and '" + typeName(b) + "'");
}

std::string str(const Value &v)
{
    return strImpl(v, 0);
}

std::string repr(const Value &v)
{
    return reprImpl(v, 0);
}

std::string typeName(const Value &v)
{
    switch (v.kind()) {
    case Value::Kind::Undefined:
        return "Undefined";
    case Value::Kind::None:
        return "NoneType";
    case Value::Kind::Bool:
        return "bool";
    case Value::Kind::Int:
        return "int";
    case Value::Kind::Float:
        return "float";
    case Value::Kind::String:
        return "str";
    case Value::Kind::List:
        return "list";
    case Value::Kind::Dict:
        return "dict";
    case Value::Kind::Namespace:
        return "Namespace";
    case Value::Kind::Callable:
        return "function";
    }
    return "object";
}

std::string formatFloat(double d)
{
    // Python's repr(float): the shortest digits that round-trip, in fixed notation when the
    // decimal exponent is in [-4, 16), otherwise d.ddde+XX.
    if (std::isnan(d))
        return "nan";
    if (std::isinf(d))
        return d > 0 ? "inf" : "-inf";
    if (d == 0.0)
        return std::signbit(d) ? "-0.0" : "0.0";
    char buf[64];
    auto res = std::to_chars(buf, buf + sizeof buf, d, std::chars_format::scientific);
    std::string sci(buf, res.ptr);
    std::string sign;
    if (sci[0] == '-') {
        sign = "-";
        sci.erase(0, 1);
    }
    const size_t e = sci.find('e');
    std::string digits = sci.substr(0, e);
    digits.erase(std::remove(digits.begin(), digits.end(), '.'), digits.end());
    const int exponent = std::stoi(sci.substr(e + 1));
    const int decpt = exponent + 1; // digits[0] sits just before the decimal point when 1
    std::string out;
    if (decpt > -4 && decpt <= 16) {
        if (decpt <= 0) {
            out = "0." + std::string(static_cast<size_t>(-decpt), '0') + digits;
        } else if (static_cast<size_t>(decpt) >= digits.size()) {
            out = digits + std::string(decpt - digits.size(), '0') + ".0";
        } else {
            out = digits.substr(0, decpt) + "." + digits.substr(decpt);
        }
    } else {
        out = digits.substr(0, 1);
        if (digits.size() > 1)
            out += "." + digits.substr(1);
        char ebuf[16];
        std::snprintf(ebuf, sizeof ebuf, "e%c%02d", exponent < 0 ? '-' : '+', std::abs(exponent));
        out += ebuf;
    }
    return sign + out;
}

std::string toJson(const Value &v, const JsonOptions &options)
{
    std::string out;
    jsonImpl(out, v, options, 0);
    return out;
}

void throwRuntime(const std::string &message)
{
    throw Error(ErrorCode::Validation, message);
}

void throwUndefined(const Value &undefinedValue)
{
    throw Error(ErrorCode::Validation, undefinedValue.undefinedMessage());
}

} // namespace wb::jinja

#pragma once

// Values of the chat-template interpreter (internal to core/tokenizer). They follow Python's
// semantics because Hugging Face renders chat templates with Jinja2 on Python objects: the
// output must match byte for byte, so str(), repr(), ==, truthiness and json.dumps are Python's.

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <nlohmann/json_fwd.hpp>

namespace wb::jinja {

class Value;
struct ValueDict;
using ValueList = std::vector<Value>;

struct CallArgs
{
    std::vector<Value> positional;
    std::vector<std::pair<std::string, Value>> keywords;

    // The argument at position `index`, or the keyword `name`, or nullptr.
    const Value *get(size_t index, std::string_view name) const;
};

struct Callable
{
    std::string name;
    std::function<Value(const CallArgs &)> call;
};

class Value
{
public:
    enum class Kind : uint8_t {
        Undefined,
        None,
        Bool,
        Int,
        Float,
        String,
        List,
        Dict,
        Namespace,
        Callable,
    };

    Value() = default; // an undefined value with no name
    static Value undefined(std::string message);
    static Value none();
    static Value boolean(bool b);
    static Value integer(int64_t i);
    static Value number(double d);
    static Value string(std::string s);
    static Value list(ValueList items);
    static Value tuple(ValueList items); // a list that prints as (a, b), like Python's tuple
    static Value dict(ValueDict items);
    static Value nameSpace(ValueDict items);
    static Value function(std::string name, std::function<Value(const CallArgs &)> fn);
    static Value fromJson(const nlohmann::json &j);
    static Value fromJson(const nlohmann::ordered_json &j); // keeps key order, as Python does

    Kind kind() const { return m_kind; }
    bool isUndefined() const { return m_kind == Kind::Undefined; }
    bool isNone() const { return m_kind == Kind::None; }
    bool isString() const { return m_kind == Kind::String; }
    bool isList() const { return m_kind == Kind::List; }
    bool isTuple() const { return m_kind == Kind::List && m_tuple; }
    bool isDict() const { return m_kind == Kind::Dict; }
    bool isNamespace() const { return m_kind == Kind::Namespace; }
    bool isCallable() const { return m_kind == Kind::Callable; }
    // Python's bool is an int: True + 1 == 2.
    bool isIntegral() const { return m_kind == Kind::Int || m_kind == Kind::Bool; }
    bool isNumber() const { return isIntegral() || m_kind == Kind::Float; }

    bool asBool() const { return m_scalar.b; }
    int64_t asInt() const { return m_kind == Kind::Bool ? (m_scalar.b ? 1 : 0) : m_scalar.i; }
    double asDouble() const
    {
        return m_kind == Kind::Float ? m_scalar.d : static_cast<double>(asInt());
    }
    const std::string &asString() const { return *m_string; }
    const ValueList &asList() const { return *m_list; }
    const ValueDict &asDict() const { return *m_dict; }
    ValueDict &namespaceDict() const { return *m_dict; } // namespaces are the one mutable thing
    const Callable &asCallable() const { return *m_callable; }
    // What jinja2 says when an undefined value is used ("'x' is undefined").
    std::string undefinedMessage() const;

    bool sameObject(const Value &other) const;

private:
    Kind m_kind = Kind::Undefined;
    bool m_tuple = false;
    union {
        bool b;
        int64_t i;
        double d;
    } m_scalar{};
    std::shared_ptr<const std::string> m_string; // String, or the message of an Undefined
    std::shared_ptr<const ValueList> m_list;
    std::shared_ptr<ValueDict> m_dict;
    std::shared_ptr<const Callable> m_callable;
};

// Insertion-ordered, like a Python dict. Lookups are linear: template dicts are small.
struct ValueDict
{
    std::vector<std::pair<Value, Value>> items;

    const Value *find(const Value &key) const;
    const Value *find(std::string_view key) const;
    void set(const Value &key, Value value);
};

// Python semantics.
bool truthy(const Value &v);
bool equals(const Value &a, const Value &b);
// <0, 0, >0; throws Error(Validation) with Python's TypeError message for unorderable types.
int compare(const Value &a, const Value &b, const char *op);
std::string str(const Value &v);      // str(v); an undefined value is ""
std::string repr(const Value &v);     // repr(v)
std::string typeName(const Value &v); // "str", "int", "list", "dict", "NoneType", ...
std::string formatFloat(double d);    // repr(float)

struct JsonOptions
{
    bool ensureAscii = false;
    bool sortKeys = false;
    bool hasIndent = false;
    std::string indent; // json.dumps indent, already turned into a string
    std::string itemSeparator = ", ";
    std::string keySeparator = ": ";
};
// json.dumps(v, ...). Throws Error(Validation) for values JSON cannot hold.
std::string toJson(const Value &v, const JsonOptions &options);

// [[noreturn]] helpers so the interpreter reports errors the way Python/jinja2 word them.
[[noreturn]] void throwRuntime(const std::string &message);
[[noreturn]] void throwUndefined(const Value &undefinedValue);

} // namespace wb::jinja

#pragma once

// Operators, attribute access, filters, tests, methods and global functions of the
// chat-template interpreter (internal to core/tokenizer), with jinja2's and Python's semantics.

#include "tokenizer/jinja_value.h"

#include <optional>
#include <string>
#include <vector>

namespace wb::jinja {

// Throw Error(Validation) when a value outgrows the limits in jinja_ast.h.
std::string checkedString(std::string s);
void checkListSize(size_t n);

// jinja2's environment.getattr / getitem: a missing key or attribute is Undefined (with the
// message jinja2 would give when it is later used); any access on an Undefined throws.
Value getAttr(const Value &obj, const std::string &name);
Value getItem(const Value &obj, const Value &key);
Value sliceOf(const Value &obj, const Value &start, const Value &stop, const Value &step);

Value binaryOp(const std::string &op, const Value &a, const Value &b);
Value unaryOp(const std::string &op, const Value &a);
bool contains(const Value &container, const Value &item); // item in container
std::vector<Value> iterate(const Value &v);               // for loops and list filters

// Throw Error(Unsupported) naming the filter or test when we do not implement it.
Value applyFilter(const std::string &name, const Value &value, const CallArgs &args);
bool hasFilter(const std::string &name); // for the `filter` test
bool applyTest(const std::string &name, const Value &value, const CallArgs &args);

// obj.name(args) for the str and dict methods templates use; nullopt when it is not one.
std::optional<Value> callMethod(const Value &obj, const std::string &name, const CallArgs &args);

// range, namespace, dict, raise_exception, strftime_now; nullopt for other names.
std::optional<Value> globalValue(const std::string &name);

} // namespace wb::jinja

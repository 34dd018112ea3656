#pragma once

// Helpers shared by the interpreter's builtins (operators, filters, tests, methods): Python's
// integer and string semantics, argument access, error messages. Internal to core/tokenizer.

#include "tokenizer/jinja_value.h"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace wb::jinja::support {

[[noreturn]] void unsupported(const std::string &message);

// jinja2's object_type_repr, used in its "has no attribute" messages.
std::string objectTypeRepr(const Value &v);

Value missingAttribute(const Value &obj, const std::string &name);

Value missingElement(const Value &obj, const Value &key);

int64_t checkedAdd(int64_t a, int64_t b);

int64_t checkedSub(int64_t a, int64_t b);

int64_t checkedMul(int64_t a, int64_t b);

int64_t floorDiv(int64_t a, int64_t b);

int64_t floorMod(int64_t a, int64_t b);

std::string repeatString(const std::string &s, int64_t n);

Value repeatList(const ValueList &items, int64_t n);

[[noreturn]] void unsupportedOperands(const std::string &op, const Value &a, const Value &b);

std::string formatInt(const Value &v);

// printf-style formatting: "%s and %d" % (a, b), and the |format filter.
std::string percentFormat(const std::string &fmt, const std::vector<Value> &args);

const Value *arg(const CallArgs &args, size_t index, std::string_view name);

bool flagArg(const CallArgs &args, size_t index, std::string_view name, bool fallback);

const std::string *stringArg(const CallArgs &args, size_t index, std::string_view name);

std::string requireString(const Value &v, const char *what);

// jinja2's make_attrgetter: "a.b.0" looks up a, then b, then item 0, each via getitem.
Value attributePath(const Value &item, const std::string &path);

CallArgs restArgs(const CallArgs &args, size_t from);

Value sortKey(const Value &v, bool caseSensitive);

std::vector<std::string> splitWhitespace(const std::string &s, int64_t maxSplit);

std::vector<std::string> splitOn(const std::string &s, const std::string &sep, int64_t maxSplit);

std::vector<std::string> splitLines(const std::string &s);

std::string replaceAll(const std::string &s, const std::string &from, const std::string &to,
                       int64_t count);

Value stringList(std::vector<std::string> parts);

bool prefixMatch(const std::string &s, const Value &prefix, bool suffix);

std::optional<int64_t> parsePyInt(std::string s, int base);

std::optional<double> parsePyFloat(std::string s);

double pyRound(double x, int64_t digits);

} // namespace wb::jinja::support

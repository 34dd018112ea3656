#pragma once

// Helpers shared by the hf_*.cpp files that build tokenizer.json stages.

#include "common/error.h"
#include "tokenizer/regex.h"

#include <memory>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

namespace wb::tok::detail {

using nlohmann::json;

inline std::string typeOf(const json &j)
{
    if (j.is_object() && j.contains("type") && j["type"].is_string())
        return j["type"].get<std::string>();
    return {};
}

[[noreturn]] inline void unsupported(const char *stage, const std::string &type)
{
    throw Error(ErrorCode::Unsupported,
                std::string("tokenizer.json: ") + stage + " type '" + type + "' is not supported");
}

// {"String": "x"} or {"Regex": "x"} as used by Split, Replace.
inline std::unique_ptr<Regex> makePattern(const json &j, const char *where)
{
    if (j.is_object() && j.contains("Regex") && j["Regex"].is_string())
        return std::make_unique<Regex>(j["Regex"].get<std::string>());
    if (j.is_object() && j.contains("String") && j["String"].is_string())
        return std::make_unique<Regex>(j["String"].get<std::string>(), true);
    throw Error(ErrorCode::Parse, std::string("tokenizer.json: ") + where + " has no pattern");
}

inline std::string replaceAllLiteral(std::string_view text, std::string_view from, std::string_view to)
{
    if (from.empty())
        return std::string(text);
    std::string out;
    size_t prev = 0;
    for (size_t pos = text.find(from); pos != std::string_view::npos; pos = text.find(from, prev)) {
        out.append(text.substr(prev, pos - prev));
        out.append(to);
        prev = pos + from.size();
    }
    out.append(text.substr(prev));
    return out;
}

// Metaspace's prepend_scheme, shared by its pre-tokenizer and decoder.
enum class PrependScheme { Always, First, Never };

inline PrependScheme parsePrependScheme(const json &j)
{
    // Old files only carry add_prefix_space; false means never.
    if (j.contains("add_prefix_space") && j["add_prefix_space"].is_boolean()
        && !j["add_prefix_space"].get<bool>())
        return PrependScheme::Never;
    const std::string s = j.value("prepend_scheme", std::string("always"));
    if (s == "first")
        return PrependScheme::First;
    if (s == "never")
        return PrependScheme::Never;
    return PrependScheme::Always;
}

} // namespace wb::tok::detail

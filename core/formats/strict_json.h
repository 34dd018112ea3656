#pragma once

// Internal to core/formats: JSON parsing for files that come from outside (safetensors headers,
// checkpoint indexes, config.json) with the checks nlohmann's DOM parser does not make.

#include <nlohmann/json.hpp>

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace wb::formats {

// Byte offset of the first invalid UTF-8 sequence (overlong forms, surrogates and code points
// past U+10FFFF are invalid), or npos when the text is valid.
size_t invalidUtf8Offset(std::string_view text);

// Parses JSON, rejecting a repeated key in any object: nlohmann keeps the last duplicate
// silently, and a loader that picks a different duplicate than another tool reads a different
// tensor table from the same bytes. Throws Error(Parse) with context `label` and a message that
// starts with `what` ("header", "index"): "header is not valid JSON: ...",
// "header has the key 'x' twice".
nlohmann::json parseStrictJson(std::string_view text, const std::string &label,
                               const std::string &what);

// "[2, 3]" for messages.
std::string shapeString(const std::vector<int64_t> &shape);

} // namespace wb::formats

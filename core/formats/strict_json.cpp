#include "formats/strict_json.h"

#include "common/error.h"

#include <set>
#include <vector>

namespace wb::formats {

size_t invalidUtf8Offset(std::string_view text)
{
    const auto *s = reinterpret_cast<const unsigned char *>(text.data());
    const size_t n = text.size();
    size_t i = 0;
    while (i < n) {
        const unsigned char c = s[i];
        if (c < 0x80) {
            ++i;
            continue;
        }
        size_t len;
        uint32_t cp;
        if (c >= 0xC2 && c <= 0xDF) {
            len = 2;
            cp = c & 0x1Fu;
        } else if (c >= 0xE0 && c <= 0xEF) {
            len = 3;
            cp = c & 0x0Fu;
        } else if (c >= 0xF0 && c <= 0xF4) {
            len = 4;
            cp = c & 0x07u;
        } else {
            return i; // continuation byte without a lead, 0xC0/0xC1 (overlong) or 0xF5+
        }
        if (n - i < len)
            return i;
        for (size_t k = 1; k < len; ++k) {
            if ((s[i + k] & 0xC0u) != 0x80u)
                return i;
            cp = (cp << 6) | (s[i + k] & 0x3Fu);
        }
        const bool overlong = (len == 3 && cp < 0x800) || (len == 4 && cp < 0x10000);
        if (overlong || (cp >= 0xD800 && cp <= 0xDFFF) || cp > 0x10FFFF)
            return i;
        i += len;
    }
    return std::string_view::npos;
}

nlohmann::json parseStrictJson(std::string_view text, const std::string &label,
                               const std::string &what)
{
    if (const size_t bad = invalidUtf8Offset(text); bad != std::string_view::npos)
        throw Error(ErrorCode::Parse,
                    what + " is not valid UTF-8 (byte " + std::to_string(bad) + ")", label);

    // nlohmann's lexer takes a NUL byte for the end of input and would ignore whatever follows
    // (NUL padding, a second object); JSON never allows a raw NUL, so refuse it.
    if (const size_t nul = text.find('\0'); nul != std::string_view::npos)
        throw Error(ErrorCode::Parse,
                    what + " is not valid JSON: NUL byte at offset " + std::to_string(nul), label);

    // One set of seen keys per open object; arrays need no entry since they hold no keys.
    std::vector<std::set<std::string>> open;
    std::string duplicate;
    auto callback = [&](int, nlohmann::json::parse_event_t event, nlohmann::json &parsed) {
        switch (event) {
        case nlohmann::json::parse_event_t::object_start:
            open.emplace_back();
            break;
        case nlohmann::json::parse_event_t::object_end:
            if (!open.empty())
                open.pop_back();
            break;
        case nlohmann::json::parse_event_t::key:
            if (!open.empty() && !open.back().insert(parsed.get<std::string>()).second &&
                duplicate.empty())
                duplicate = parsed.get<std::string>();
            break;
        default:
            break;
        }
        return true;
    };

    nlohmann::json result;
    try {
        result = nlohmann::json::parse(text.begin(), text.end(), callback);
    } catch (const nlohmann::json::exception &e) {
        throw Error(ErrorCode::Parse, what + " is not valid JSON: " + e.what(), label);
    }
    if (!duplicate.empty())
        throw Error(ErrorCode::Parse, what + " has the key '" + duplicate + "' twice", label);
    return result;
}

std::string shapeString(const std::vector<int64_t> &shape)
{
    std::string s = "[";
    for (size_t i = 0; i < shape.size(); ++i) {
        if (i)
            s += ", ";
        s += std::to_string(shape[i]);
    }
    return s + "]";
}

} // namespace wb::formats

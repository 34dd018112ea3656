#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace wb::tok {

// A compiled PCRE2 pattern (UTF + Unicode properties, JIT when available) with the
// semantics of the Oniguruma patterns in tokenizer.json.
class Regex final
{
public:
    // literal: the pattern is a plain string (tokenizer.json's {"String": ...}).
    // Throws Error(Parse) naming the pattern when it does not compile.
    Regex(std::string_view pattern, bool literal = false);
    ~Regex();
    Regex(const Regex &) = delete;
    Regex &operator=(const Regex &) = delete;

    // Non-overlapping, non-empty matches as [begin, end) byte offsets. text must be valid UTF-8.
    std::vector<std::pair<size_t, size_t>> findAll(std::string_view text) const;
    // Every match replaced (by findAll, so every build of findAll gets it).
    std::string replaceAll(std::string_view text, std::string_view replacement) const;

private:
    struct Impl;
    std::unique_ptr<Impl> m_impl;
};

inline std::string Regex::replaceAll(std::string_view text, std::string_view replacement) const
{
    std::string out;
    size_t prev = 0;
    for (const auto &[begin, end] : findAll(text)) {
        out.append(text.substr(prev, begin - prev));
        out.append(replacement);
        prev = end;
    }
    out.append(text.substr(prev));
    return out;
}

} // namespace wb::tok

#pragma once

// The option letter a generated answer names (FORMATS.md, "The logic-reasoning dataset shape").
// Extraction either finds one letter and says how, or says why it found none: it never guesses.

#include <string>
#include <string_view>
#include <vector>

namespace wb {

struct ExtractedAnswer
{
    enum class Method {
        None,       // nothing extracted: see reason
        AnswerLine, // "答案是：B", "答案为 B", "Answer: B", "the answer is (B)", "\boxed{B}"
        LoneLetter, // a line that is only a letter: "B", "(B)", "B.", "**B**", "B. <its option text>"
        OptionText, // a line (or what follows an answer marker) equal to one option's text
    };
    Method method = Method::None;
    std::string letter; // "A", "B", ... ; empty when nothing was extracted
    std::string reason; // why nothing was extracted ("no answer line ..."); empty otherwise

    bool ok() const { return !letter.empty(); }
};

const char *extractMethodName(ExtractedAnswer::Method method); // "none", "answer_line", ...

// Looks, in this order, for the last answer marker whose tail names an option (a letter or an
// option's text; full-width letters, colons and brackets count as their ASCII forms), then for
// a lone letter or an option's text on the last non-empty line, then on the first. A marker that
// names a letter outside the options ("答案是：E" for A–D) or text matching several options is
// reported as not extracted, with that reason. Options are lettered A, B, C, ... (at most 26).
ExtractedAnswer extractAnswer(std::string_view text, const std::vector<std::string> &options);

} // namespace wb

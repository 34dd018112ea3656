#pragma once

#include "data/dataset.h"

#include <cstdint>
#include <string>
#include <vector>

namespace wb {

enum class DemoLanguage { English, Chinese };

struct DemoOptions
{
    size_t problems = 100;
    uint64_t seed = 1;
    DemoLanguage language = DemoLanguage::Chinese;
    bool mixedLanguages = false; // alternate English and Chinese problems
    bool withAnswers = true;     // false writes a test file (no "answer" fields)
};

// Synthetic logic-reasoning problems in the competition shape (FORMATS.md), correct by
// construction: each puzzle is built from a hidden structured world and every answer is
// computed by a solver over that world, never written by hand. Families: orderings,
// truth-tellers and liars, syllogisms under the closed-world assumption, set membership,
// traits (stated facts and one-step rules, true or false) and negation (one fact asked with
// zero to two negations, true or false: the family the tiny demo model learns in a LoRA run).
// Deterministic: the same options always yield byte-identical output.
std::vector<DatasetRecord> generateDemoProblems(const DemoOptions &options);

// The solver's view of a generated record, used by tests to re-check answers independently
// of the text: the family name and, per question, the index of the correct option.
struct DemoCheck
{
    std::string family;
    std::vector<size_t> correctOptions;
};
// Re-derives the answers of a generated record by brute force over its hidden world (kept in
// the record's "meta" field) and returns them. Throws Error(Validation) when the record has
// no world or the world admits no single answer.
DemoCheck solveDemoRecord(const DatasetRecord &record);

} // namespace wb

#pragma once

// Shared machinery of the demo puzzle generator (demo_generator.cpp and the
// demo_puzzles_*.cpp families). Not part of the public core API.

#include "common/error.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cstdint>
#include <random>
#include <string>
#include <utility>
#include <vector>

namespace wb::demo {

enum class Lang { En, Zh };

inline const char *langCode(Lang lang)
{
    return lang == Lang::En ? "en" : "zh";
}

// std::uniform_int_distribution and std::shuffle are implementation-defined, so the same seed
// would give different datasets on libstdc++ and libc++. Only the raw mt19937_64 output is
// specified by the standard; everything else here is built on it.
class Rng
{
public:
    explicit Rng(uint64_t seed) : m_engine(seed) {}

    uint64_t next() { return m_engine(); }

    // Uniform in [0, n) by rejection, so small ranges carry no modulo bias.
    size_t below(size_t n)
    {
        if (n <= 1)
            return 0;
        const uint64_t bound = static_cast<uint64_t>(n);
        const uint64_t limit = UINT64_MAX - UINT64_MAX % bound;
        uint64_t x = m_engine();
        while (x >= limit)
            x = m_engine();
        return static_cast<size_t>(x % bound);
    }

    // Uniform in [lo, hi], inclusive.
    size_t range(size_t lo, size_t hi) { return lo + below(hi - lo + 1); }

    bool chance(size_t numerator, size_t denominator) { return below(denominator) < numerator; }

    template <class T> void shuffle(std::vector<T> &v)
    {
        for (size_t i = v.size(); i > 1; --i)
            std::swap(v[i - 1], v[below(i)]);
    }

    template <class T> const T &pick(const std::vector<T> &v) { return v[below(v.size())]; }

    // k distinct indices from [0, n), in random order.
    std::vector<size_t> sample(size_t n, size_t k)
    {
        std::vector<size_t> all(n);
        for (size_t i = 0; i < n; ++i)
            all[i] = i;
        shuffle(all);
        all.resize(std::min(k, n));
        return all;
    }

private:
    std::mt19937_64 m_engine;
};

// One answer option: what the reader sees and the statement the solver evaluates.
struct Choice
{
    std::string text;
    nlohmann::json statement;
};

struct PuzzleQuestion
{
    std::string text;
    nlohmann::json meta; // {"kind": ..., parameters..., "options": [statement x4]}
    std::vector<std::string> options;
    size_t correct = 0;
};

struct Puzzle
{
    std::string problem;
    nlohmann::json world;
    std::vector<PuzzleQuestion> questions;
};

// Thrown inside a family generator when a random draw led to a dead end (no unique world,
// not enough distinct distractors); the caller simply draws again from the same stream.
struct Redraw
{
};

// Puts the correct choice among the distractors at a random position, so answer letters are
// spread evenly. Throws Redraw when two option texts collide.
PuzzleQuestion makeQuestion(Rng &rng, std::string text, nlohmann::json meta, Choice correct,
                            std::vector<Choice> distractors);

// Throws Error(Validation) with a message naming the record.
[[noreturn]] void invalid(const std::string &message);

// Fetches meta fields with a clear error instead of a json type_error.
const nlohmann::json &field(const nlohmann::json &obj, const char *key);
std::string stringField(const nlohmann::json &obj, const char *key);
long long intField(const nlohmann::json &obj, const char *key);
std::vector<std::string> stringList(const nlohmann::json &obj, const char *key);
size_t indexOf(const std::vector<std::string> &names, const std::string &name);

// Checks that a question's option texts are what its statements render to, so a record
// whose text and hidden world disagree is reported rather than scored.
void checkOptionTexts(const nlohmann::json &recordQuestion, const std::vector<std::string> &texts,
                      size_t questionIndex);

// Returns the only index whose flag is set; throws Error(Validation) otherwise.
size_t singleTrue(const std::vector<bool> &truth, size_t questionIndex);

// Text helpers.
std::string zhNumber(size_t n);  // 0..10 as Chinese numerals
std::string zhCount(size_t n);   // like zhNumber but 2 -> 两 (before a measure word)
std::string enNumber(size_t n);  // "zero".."ten"
std::string enOrdinal(size_t n); // 1 -> "first"
std::string joinEn(const std::vector<std::string> &items, const std::string &conj = "and");
std::string joinZh(const std::vector<std::string> &items); // 甲、乙和丙 style uses 、only
std::string capitalize(std::string s);

// Family generators and solvers. A solver sees only meta (and the record's question list for
// the option-text check) and returns the correct option index per question.
Puzzle generateOrdering(Rng &rng, Lang lang);
Puzzle generateKnights(Rng &rng, Lang lang);
Puzzle generateSyllogism(Rng &rng, Lang lang);
Puzzle generateSets(Rng &rng, Lang lang);
Puzzle generateTraits(Rng &rng, Lang lang);
Puzzle generateNegation(Rng &rng, Lang lang);

std::vector<size_t> solveOrdering(const nlohmann::json &meta, Lang lang,
                                  const nlohmann::json &questions);
std::vector<size_t> solveKnights(const nlohmann::json &meta, Lang lang,
                                 const nlohmann::json &questions);
std::vector<size_t> solveSyllogism(const nlohmann::json &meta, Lang lang,
                                   const nlohmann::json &questions);
std::vector<size_t> solveSets(const nlohmann::json &meta, Lang lang,
                              const nlohmann::json &questions);
std::vector<size_t> solveTraits(const nlohmann::json &meta, Lang lang,
                                const nlohmann::json &questions);
std::vector<size_t> solveNegation(const nlohmann::json &meta, Lang lang,
                                  const nlohmann::json &questions);

} // namespace wb::demo

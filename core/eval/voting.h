#pragma once

// Scoring arithmetic over answers, independent of where they came from: majority voting with a
// stated tie rule, Wilson score intervals and McNemar's exact test. Torch-free, no state.

#include <cstddef>
#include <string>
#include <utility>
#include <vector>

namespace wb {

// The majority of `votes` in order ("" = an unextracted vote, which does not vote). Tie rule:
// among the answers with the most votes, the one whose first vote came earliest wins. Returns
// "" when no vote was extracted.
std::string majorityVote(const std::vector<std::string> &votes);

// 95% (z = 1.959964) Wilson score interval for `correct` of `total`; {0, 0} when total is 0.
std::pair<double, double> wilsonInterval(size_t correct, size_t total, double z = 1.959963984540054);

// Two-sided exact McNemar p-value on the discordant pairs: b (first right, second wrong) and c
// (first wrong, second right): min(1, 2 · P(X ≤ min(b, c))) for X ~ Binomial(b + c, 1/2).
// 1 when b + c = 0.
double mcnemarExactP(size_t b, size_t c);

} // namespace wb

#include "eval/voting.h"

#include <algorithm>
#include <cmath>
#include <map>

namespace wb {

std::string majorityVote(const std::vector<std::string> &votes)
{
    // count and first position per answer; the most votes wins, then the earliest first vote
    std::map<std::string, std::pair<size_t, size_t>> tally;
    for (size_t i = 0; i < votes.size(); ++i) {
        if (votes[i].empty())
            continue;
        auto [it, added] = tally.try_emplace(votes[i], 0, i);
        ++it->second.first;
    }
    std::string best;
    size_t bestCount = 0, bestFirst = 0;
    for (const auto &[answer, cf] : tally)
        if (cf.first > bestCount || (cf.first == bestCount && cf.second < bestFirst)) {
            best = answer;
            bestCount = cf.first;
            bestFirst = cf.second;
        }
    return best;
}

std::pair<double, double> wilsonInterval(size_t correct, size_t total, double z)
{
    if (total == 0)
        return {0, 0};
    const double n = double(total);
    const double p = double(correct) / n;
    const double z2 = z * z;
    const double denom = 1 + z2 / n;
    const double centre = (p + z2 / (2 * n)) / denom;
    const double half = z * std::sqrt(p * (1 - p) / n + z2 / (4 * n * n)) / denom;
    return {std::max(0.0, centre - half), std::min(1.0, centre + half)};
}

double mcnemarExactP(size_t b, size_t c)
{
    const size_t n = b + c;
    if (n == 0)
        return 1;
    const size_t k = std::min(b, c);
    // sum_{i<=k} C(n, i) / 2^n, in logs so that large n neither overflows nor underflows early
    double sum = 0;
    for (size_t i = 0; i <= k; ++i)
        sum += std::exp(std::lgamma(double(n) + 1) - std::lgamma(double(i) + 1) -
                        std::lgamma(double(n - i) + 1) - double(n) * std::log(2.0));
    return std::min(1.0, 2 * sum);
}

} // namespace wb

#pragma once

// Multiple-choice scoring by log-likelihood (FORMATS.md; lm-evaluation-harness `acc` and
// `acc_norm`): each option's continuation is scored after the prompt with
// CausalLM::scoreContinuations, and the best option is the one with the highest sum of
// log-probabilities (acc) or the highest sum per character of the continuation (acc_norm).
// Deterministic: no sampling. Torch-free.

#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace wb {

class CausalLM;

// What follows the prompt for each option.
enum class ScoreTarget {
    Letter, // "A", "B", ...: what a direct-answer prompt (and training on it) expects
    Text,   // the option's own text
};
const char *scoreTargetName(ScoreTarget target); // "letter", "text"
std::optional<ScoreTarget> scoreTargetFromName(std::string_view name);

// The continuation text of option `index` (for `Text`, options[index]).
std::string optionContinuation(ScoreTarget target, const std::vector<std::string> &options,
                               size_t index);

struct OptionScore
{
    double logProb = 0; // sum over the continuation's tokens
    int tokens = 0;
    size_t chars = 0;   // Unicode code points of the continuation text (acc_norm's length)
    bool greedy = false;
    double perChar() const { return chars ? logProb / double(chars) : logProb; }
};

struct ChoiceScores
{
    std::vector<OptionScore> options;
    size_t best = 0;     // argmax of logProb (acc); the first wins a tie, as numpy's argmax
    size_t bestNorm = 0; // argmax of perChar() (acc_norm)
};

// Fills best and bestNorm. Throws Error(Validation) when there is no option.
ChoiceScores pickChoice(std::vector<OptionScore> options);

// One question ready for the model: the prompt's token ids and each option's continuation.
struct ChoiceRequest
{
    std::vector<int32_t> prompt;
    std::vector<std::vector<int32_t>> continuations; // one per option
    std::vector<std::string> texts;                  // the continuations as text
};

// Scores every option of every request, `batchSize` sequences per forward pass. A request whose
// options are one token each is scored from the next-token distribution after its prompt (one
// pass for all its options); the others pair the prompt with each option. `progress`
// receives the number of requests done after each chunk and returns false to stop; the requests
// not scored then are missing from the result (it is shorter than `requests`).
std::vector<ChoiceScores> scoreChoices(CausalLM &model, const std::vector<ChoiceRequest> &requests,
                                       int batchSize = 8,
                                       const std::function<bool(size_t done)> &progress = {});

} // namespace wb

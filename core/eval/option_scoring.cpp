#include "eval/option_scoring.h"

#include "common/error.h"
#include "data/dataset.h"

namespace wb {

const char *scoreTargetName(ScoreTarget target)
{
    return target == ScoreTarget::Letter ? "letter" : "text";
}

std::optional<ScoreTarget> scoreTargetFromName(std::string_view name)
{
    if (name == "letter")
        return ScoreTarget::Letter;
    if (name == "text")
        return ScoreTarget::Text;
    return std::nullopt;
}

std::string optionContinuation(ScoreTarget target, const std::vector<std::string> &options,
                               size_t index)
{
    if (index >= options.size())
        throw Error(ErrorCode::Internal, "option " + std::to_string(index) + " of " +
                                             std::to_string(options.size()));
    return target == ScoreTarget::Letter ? optionLetter(index) : options[index];
}

ChoiceScores pickChoice(std::vector<OptionScore> options)
{
    if (options.empty())
        throw Error(ErrorCode::Validation, "a question without options cannot be scored");
    ChoiceScores out;
    out.options = std::move(options);
    for (size_t i = 1; i < out.options.size(); ++i) {
        if (out.options[i].logProb > out.options[out.best].logProb)
            out.best = i;
        if (out.options[i].perChar() > out.options[out.bestNorm].perChar())
            out.bestNorm = i;
    }
    return out;
}

} // namespace wb

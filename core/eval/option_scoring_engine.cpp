// The model side of option scoring (option_scoring.h): one CausalLM::scoreContinuations call per
// chunk of questions, so that a chunk's options share forward passes.

#include "eval/option_scoring.h"

#include "common/error.h"
#include "common/text.h"
#include "model/causal_lm.h"

#include <algorithm>

namespace wb {

std::vector<ChoiceScores> scoreChoices(CausalLM &model, const std::vector<ChoiceRequest> &requests,
                                       int batchSize, const std::function<bool(size_t)> &progress)
{
    std::vector<ChoiceScores> out;
    out.reserve(requests.size());
    const size_t perChunk = size_t(std::max(1, batchSize));
    for (size_t start = 0; start < requests.size();) {
        // Whole questions per chunk, about batchSize sequences in all.
        std::vector<std::pair<std::vector<int32_t>, std::vector<int32_t>>> pairs;
        size_t end = start;
        while (end < requests.size() && (pairs.empty() || pairs.size() + requests[end].continuations.size() <= perChunk)) {
            const ChoiceRequest &r = requests[end];
            if (r.continuations.size() != r.texts.size())
                throw Error(ErrorCode::Internal, "choice request: continuations and texts differ in count");
            for (const auto &c : r.continuations)
                pairs.emplace_back(r.prompt, c);
            ++end;
        }
        const std::vector<ContinuationScore> scores = model.scoreContinuations(pairs, batchSize);
        size_t k = 0;
        for (size_t q = start; q < end; ++q) {
            std::vector<OptionScore> options;
            for (const std::string &text : requests[q].texts) {
                const ContinuationScore &s = scores[k++];
                options.push_back({s.logProb, s.tokens, utf8Length(text), s.greedy});
            }
            out.push_back(pickChoice(std::move(options)));
        }
        start = end;
        if (progress && !progress(start))
            break;
    }
    return out;
}

} // namespace wb

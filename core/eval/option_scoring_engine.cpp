// The model side of option scoring (option_scoring.h). Questions whose options are one token
// each (letters, as a rule) need one pass over the prompt: the next-token distribution after it
// scores every option. Others go through CausalLM::scoreContinuations, a chunk of questions per
// call, so that a chunk's options share forward passes.

#include "eval/option_scoring.h"

#include "common/error.h"
#include "common/text.h"
#include "model/causal_lm.h"

#include <algorithm>
#include <cmath>

namespace wb {

namespace {

bool singleTokenOptions(const ChoiceRequest &r)
{
    return std::all_of(r.continuations.begin(), r.continuations.end(),
                       [](const std::vector<int32_t> &c) { return c.size() == 1; });
}

// Requests [begin, end), all single-token: one batched prefill of their prompts.
void scoreByNextToken(CausalLM &model, const std::vector<ChoiceRequest> &requests,
                      const std::vector<size_t> &which, std::vector<ChoiceScores> &out)
{
    std::vector<std::vector<int32_t>> prompts;
    for (size_t i : which)
        prompts.push_back(requests[i].prompt);
    const std::vector<float> logits = model.newBatchSession()->append(prompts);
    const size_t vocab = size_t(model.vocabSize());
    for (size_t row = 0; row < which.size(); ++row) {
        const float *l = logits.data() + row * vocab;
        const float mx = *std::max_element(l, l + vocab);
        double z = 0;
        for (size_t v = 0; v < vocab; ++v)
            z += std::exp(double(l[v]) - mx);
        const double logZ = double(mx) + std::log(z);
        const ChoiceRequest &r = requests[which[row]];
        std::vector<OptionScore> options;
        for (size_t k = 0; k < r.continuations.size(); ++k) {
            const int32_t id = r.continuations[k].front();
            if (id < 0 || size_t(id) >= vocab)
                throw Error(ErrorCode::Validation, "option token id " + std::to_string(id) +
                                                       " is outside the vocabulary");
            options.push_back({double(l[id]) - logZ, 1, utf8Length(r.texts[k]), l[id] >= mx});
        }
        out[which[row]] = pickChoice(std::move(options));
    }
}

// Requests in `which`: every option as its own (prompt, continuation) pair.
void scoreByContinuation(CausalLM &model, const std::vector<ChoiceRequest> &requests,
                         const std::vector<size_t> &which, int batchSize,
                         std::vector<ChoiceScores> &out)
{
    std::vector<std::pair<std::vector<int32_t>, std::vector<int32_t>>> pairs;
    for (size_t i : which)
        for (const auto &c : requests[i].continuations)
            pairs.emplace_back(requests[i].prompt, c);
    const std::vector<ContinuationScore> scores = model.scoreContinuations(pairs, batchSize);
    size_t k = 0;
    for (size_t i : which) {
        std::vector<OptionScore> options;
        for (const std::string &text : requests[i].texts) {
            const ContinuationScore &s = scores[k++];
            options.push_back({s.logProb, s.tokens, utf8Length(text), s.greedy});
        }
        out[i] = pickChoice(std::move(options));
    }
}

} // namespace

std::vector<ChoiceScores> scoreChoices(CausalLM &model, const std::vector<ChoiceRequest> &requests,
                                       int batchSize, const std::function<bool(size_t)> &progress)
{
    for (const ChoiceRequest &r : requests)
        if (r.continuations.size() != r.texts.size() || r.prompt.empty())
            throw Error(ErrorCode::Internal,
                        "choice request: an empty prompt, or continuations and texts differ in count");
    std::vector<ChoiceScores> out(requests.size());
    const size_t perChunk = size_t(std::max(1, batchSize));
    size_t done = 0;
    for (size_t start = 0; start < requests.size();) {
        // Whole questions per chunk: batchSize prompts, or about batchSize option sequences.
        std::vector<size_t> single, multi;
        size_t end = start, sequences = 0;
        while (end < requests.size() && (end == start || sequences < perChunk)) {
            const bool one = singleTokenOptions(requests[end]);
            (one ? single : multi).push_back(end);
            sequences += one ? 1 : requests[end].continuations.size();
            ++end;
        }
        if (!single.empty())
            scoreByNextToken(model, requests, single, out);
        if (!multi.empty())
            scoreByContinuation(model, requests, multi, batchSize, out);
        done = end;
        start = end;
        if (progress && !progress(done))
            break;
    }
    out.resize(done);
    return out;
}

} // namespace wb

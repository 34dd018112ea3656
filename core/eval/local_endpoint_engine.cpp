#include "eval/local_endpoint.h"

#include "model/causal_lm.h"
#include "model/generate.h"
#include "tokenizer/tokenizer.h"

#include <algorithm>
#include <map>
#include <tuple>

namespace wb {

LocalEndpoint::LocalEndpoint(CausalLM &model, const Tokenizer &tokenizer, std::string identity,
                             int batchSize)
    : m_model(model), m_tokenizer(tokenizer), m_identity(std::move(identity)),
      m_batch(std::max(1, batchSize))
{
}

void LocalEndpoint::complete(const std::vector<CompletionRequest> &requests,
                             const std::function<void(size_t, Completion)> &onDone,
                             const IsCancelled &isCancelled)
{
    auto cancelled = [&] { return isCancelled && isCancelled(); };
    // Requests with the same decoding settings share batches, in request order.
    std::map<std::tuple<float, float, int>, std::vector<size_t>> groups;
    std::vector<std::tuple<float, float, int>> order;
    for (size_t i = 0; i < requests.size(); ++i) {
        const auto key = std::make_tuple(requests[i].temperature, requests[i].topP, requests[i].maxNewTokens);
        auto [it, added] = groups.try_emplace(key);
        if (added)
            order.push_back(key);
        it->second.push_back(i);
    }
    std::vector<int32_t> eos = m_model.eosIds();
    for (int32_t id : m_tokenizer.eosIds()) // training ends responses with the tokenizer's EOS
        if (std::find(eos.begin(), eos.end(), id) == eos.end())
            eos.push_back(id);

    for (const auto &key : order) {
        const std::vector<size_t> &idx = groups[key];
        for (size_t begin = 0; begin < idx.size(); begin += size_t(m_batch)) {
            if (cancelled())
                return;
            const size_t end = std::min(idx.size(), begin + size_t(m_batch));
            GenerateOptions go;
            go.sampling.temperature = std::get<0>(key);
            go.sampling.topP = std::get<1>(key);
            go.maxNewTokens = std::get<2>(key);
            go.eosIds = eos;
            go.decode = [this](const std::vector<int32_t> &ids) { return m_tokenizer.decode(ids, true); };
            std::vector<std::vector<int32_t>> prompts;
            for (size_t k = begin; k < end; ++k) {
                const CompletionRequest &r = requests[idx[k]];
                prompts.push_back(r.promptTokens.empty() ? m_tokenizer.encode(r.prompt, true) : r.promptTokens);
                go.rowSeeds.push_back(r.seed);
                go.stopStrings = r.stop;
            }
            bool stopped = false;
            const auto outs = generateBatch(m_model, prompts, go, [&](int, int32_t) {
                stopped = stopped || cancelled();
                return !stopped;
            });
            if (stopped || cancelled())
                return; // the batch's rows were cut short: none of them is an answer
            for (size_t k = begin; k < end; ++k) {
                const GenerateResult &g = outs[k - begin];
                Completion c;
                c.text = g.text;
                c.finishReason = g.reason == StopReason::MaxTokens || g.reason == StopReason::ContextFull
                                     ? "length"
                                     : "stop";
                c.promptTokens = g.promptTokens;
                c.outputTokens = int(g.tokens.size());
                c.ttftSeconds = g.prefillSeconds;
                c.latencySeconds = g.prefillSeconds + g.decodeSeconds;
                onDone(idx[k], std::move(c));
            }
        }
    }
}

std::vector<ChoiceScores> LocalEndpoint::score(const std::vector<ChoiceRequest> &requests,
                                               const IsCancelled &isCancelled)
{
    return scoreChoices(m_model, requests, m_batch, [&](size_t) {
        return !(isCancelled && isCancelled());
    });
}

} // namespace wb

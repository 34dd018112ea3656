#pragma once

// The local engine as a ModelEndpoint: a loaded CausalLM (with its adapter on or off), its
// requests decoded together through generateBatch (each row with its own seed, so a sample's
// text does not depend on its batch mates) and its choices scored with scoreChoices.
// Torch-free header.

#include "eval/endpoint.h"

namespace wb {

class CausalLM;
class Tokenizer;

class LocalEndpoint final : public ModelEndpoint
{
public:
    // `identity` names the weights (and adapter) for the response cache; the model and the
    // tokenizer must outlive the endpoint.
    LocalEndpoint(CausalLM &model, const Tokenizer &tokenizer, std::string identity, int batchSize);

    std::string identity() const override { return m_identity; }
    int batchSize() const override { return m_batch; }
    // Requests are decoded `batchSize` at a time, grouped by their decoding settings; a request
    // without promptTokens is tokenized from its prompt.
    void complete(const std::vector<CompletionRequest> &requests,
                  const std::function<void(size_t, Completion)> &onDone,
                  const IsCancelled &isCancelled) override;
    std::vector<ChoiceScores> score(const std::vector<ChoiceRequest> &requests,
                                    const IsCancelled &isCancelled) override;

private:
    CausalLM &m_model;
    const Tokenizer &m_tokenizer;
    std::string m_identity;
    int m_batch;
};

} // namespace wb

#pragma once

// One way to ask a model (ARCHITECTURE.md): "complete these requests" and "score these
// continuations". The local engine (local_endpoint.h) and an OpenAI-compatible server
// (remote/remote_endpoint.h) implement it; the Compare runner, and later Distill, the Playground
// and the server, are its clients. Torch-free.

#include "eval/option_scoring.h"

#include <nlohmann/json.hpp>

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <utility>
#include <vector>

namespace wb {

// How a cell decodes: greedy (temperature 0) or `samples` draws at a temperature / top-p.
struct Decoding
{
    std::string label;
    float temperature = 0;
    float topP = 1;
    int samples = 1;
    uint64_t seed = 0;
    int maxNewTokens = 256;

    bool greedy() const { return temperature <= 0; }
    // Sample s of every question draws with seed + s (so a sample's text never depends on which
    // other questions or samples share its batch, nor on the order they run in).
    uint64_t sampleSeed(int sample) const { return seed + uint64_t(sample); }
    nlohmann::json toJson() const; // {"label", "temperature", "top_p", "samples", "seed", "max_new_tokens"}
};

struct CompletionRequest
{
    std::string prompt;   // the rendered prompt (a remote endpoint sends this text)
    bool chat = false;    // send as one user turn of a chat (the model's chat template)
    // chat: the whole conversation (role, content) instead of `prompt` as one user turn.
    std::vector<std::pair<std::string, std::string>> messages;
    std::vector<int32_t> promptTokens; // local: the exact tokens (chat wrapping included)
    float temperature = 0;
    float topP = 1;
    int maxNewTokens = 256;
    uint64_t seed = 0;    // the draw's own seed (Decoding::sampleSeed)
    std::vector<std::string> stop;
};

struct Completion
{
    std::string text;
    std::string finishReason; // "stop" | "length"
    int promptTokens = 0;
    int outputTokens = 0;
    double latencySeconds = 0; // request to last token
    double ttftSeconds = 0;    // request to first token
    std::string error;         // set when the request failed for good (never cached)

    bool ok() const { return error.empty(); }
};

using IsCancelled = std::function<bool()>;

class ModelEndpoint
{
public:
    virtual ~ModelEndpoint() = default;

    // What identifies the answers this endpoint gives, for the response cache: a local model's
    // folder fingerprint (+ adapter hash), or a remote base URL + model name.
    virtual std::string identity() const = 0;
    // Requests worth handing over in one complete() call: the local engine's batch, a remote
    // endpoint's concurrency.
    virtual int batchSize() const = 0;

    // Completes every request. onDone(i, completion) is called once per request, as each
    // finishes, from the calling thread or (remote) from worker threads one at a time. Requests
    // not done when isCancelled() turns true get no call; complete() then returns early.
    virtual void complete(const std::vector<CompletionRequest> &requests,
                          const std::function<void(size_t, Completion)> &onDone,
                          const IsCancelled &isCancelled) = 0;

    // Log-likelihood scoring of each request's options. Returns fewer results than requests
    // when cancelled. Throws Error(Validation) where the endpoint cannot score (most remote
    // servers).
    virtual std::vector<ChoiceScores> score(const std::vector<ChoiceRequest> &requests,
                                            const IsCancelled &isCancelled) = 0;
};

} // namespace wb

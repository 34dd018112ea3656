#pragma once

// What the OpenAI-compatible HTTP server (server.h) asks of the model it serves. The local
// engine's continuous-batching scheduler (engine.h) implements it; the server is a thin
// translation from OpenAI's JSON to these calls (ARCHITECTURE.md, "One way to ask a model").
// Torch-free.

#include <chrono>
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

namespace wb {
class Tokenizer;
class ChatTemplate;
} // namespace wb

namespace wb::serve {

// One generation: a prompt already tokenized (chat template applied by the server) and how to
// decode it. Sampling happens on the model's device.
struct GenerationRequest
{
    std::string model; // a served name (ServedModel::name): the base model or an adapter
    std::vector<int32_t> prompt;
    float temperature = 1; // 0: greedy
    float topP = 1;        // 1: off
    int topK = 0;          // 0: off
    float presencePenalty = 0;  // OpenAI's: subtracted once from every token generated so far
    float frequencyPenalty = 0; // OpenAI's: subtracted per occurrence among generated tokens
    int maxTokens = 16;
    // Token t of this request draws with (seed, t): a request's text never depends on which
    // other requests share its batch. The server picks a random seed when the client gives none.
    uint64_t seed = 0;
    std::vector<std::string> stop; // the text is cut before the first one; finish "stop"
    bool ignoreEos = false;
    int logprobs = -1; // -1: none; 0: the chosen token's; 1..5: plus that many top alternatives
};

struct TokenLogprob
{
    int32_t id = 0;
    float logprob = 0;
};

struct GeneratedToken
{
    int32_t id = 0;
    // The text this token made final. Empty while a stop string or a split UTF-8 character may
    // still be forming; the held text arrives with a later token (or in the result's text).
    std::string text;
    float logprob = 0;               // log p(id) under the model (before penalties, temperature)
    std::vector<TokenLogprob> top;   // the most likely alternatives, best first (logprobs > 0)
};

struct GenerationResult
{
    std::string text;         // the whole completion, cut before a stop string
    std::string finishReason; // "stop" (eos or a stop string), "length", "cancelled", "error"
    int promptTokens = 0;
    int completionTokens = 0;
    std::string error; // finishReason "error": what went wrong
    double ttftSeconds = 0; // submit to first token
    double seconds = 0;     // submit to done
    // The text the stream's tokens have not delivered yet (held back for a stop string that did
    // not complete, or a character still split at the end). A stream sends it before finishing.
    std::string pendingText;
    std::vector<GeneratedToken> tokens; // every generated token (with logprobs when asked)
};

// Callbacks run on the engine's thread: keep them short (queue the bytes, return).
struct GenerationSink
{
    // Each generated token as it is sampled. Returning false cancels the request at once (the
    // client went away): its batch slot is freed before the next step.
    std::function<bool(const GeneratedToken &)> onToken;
    // Exactly once, after the last onToken (also when cancelled or failed).
    std::function<void(const GenerationResult &)> onDone;
};

struct ServedModel
{
    std::string name;    // what clients pass as `model`
    std::string adapter; // the adapter folder, empty for the base model
};

struct EngineStats
{
    int active = 0;  // requests in the running batch (prefilling or decoding)
    int queued = 0;  // waiting for a slot
    int maxBatch = 0;
    int maxQueue = 0;
    double tokensPerSecond = 0; // generated tokens per second over the last few seconds
    uint64_t generatedTokens = 0;
    uint64_t requests = 0; // finished requests
    bool accepting = true;
};

class Backend
{
public:
    virtual ~Backend() = default;

    virtual std::vector<ServedModel> models() const = 0;
    virtual const Tokenizer &tokenizer() const = 0;
    virtual const ChatTemplate *chatTemplate() const = 0; // null: the model has none
    // Prompt + generated tokens one request may reach.
    virtual int64_t maxContext() const = 0;
    virtual std::string description() const = 0; // "Qwen2ForCausalLM 0.5B, bf16 on cuda:0"

    // Queues a generation and returns its id. Throws Error(NotFound) for an unknown model,
    // Error(Conflict) when the queue is full (HTTP 429), Error(Cancelled) once shutting down
    // (HTTP 503), Error(Validation) for a bad parameter (prompt too long, ...).
    virtual uint64_t submit(GenerationRequest request, GenerationSink sink) = 0;
    // Cancels a queued or running request (its onDone reports "cancelled"). Unknown ids: no-op.
    virtual void cancel(uint64_t id) = 0;

    // Log-probabilities of a prompt's own tokens (OpenAI completions with echo + logprobs, as
    // lm-evaluation-harness scores options): entry i is token i given tokens 0..i-1, with `top`
    // alternatives; entry 0 has no logprob (logprob NaN, no alternatives). Runs between decode
    // steps on the engine's thread; blocks the caller.
    virtual std::vector<GeneratedToken> promptLogprobs(const std::string &model,
                                                       const std::vector<int32_t> &tokens,
                                                       int top) = 0;
    // Mean-pooled, L2-normalised last hidden states, one vector per input (OpenAI embeddings).
    virtual std::vector<std::vector<float>> embed(const std::string &model,
                                                  const std::vector<std::vector<int32_t>> &inputs) = 0;

    virtual EngineStats stats() const = 0;

    // Stops accepting (submit throws Error(Cancelled)); waits up to `deadline` for the running
    // and queued requests, then cancels what is left. Returns once none remains.
    virtual void shutdown(std::chrono::milliseconds deadline) = 0;
};

} // namespace wb::serve

#pragma once

// OpenAI's wire format as the server reads and writes it: request bodies checked parameter by
// parameter (an error names the parameter, as OpenAI's do), error bodies, and the pieces of the
// answers (usage, logprobs in the chat and the legacy completions shapes, server-sent events).
// No sockets and no model here: server.cpp and server_generate.cpp move the bytes.

#include "serve/backend.h"
#include "tokenizer/chat_template.h"

#include <nlohmann/json.hpp>

#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

namespace wb::serve::openai {

using nlohmann::json;

// A request the server answers with an error status and OpenAI's error body.
class ApiError : public std::runtime_error
{
public:
    ApiError(int status, const std::string &message, std::string param = {}, std::string code = {})
        : std::runtime_error(message), m_status(status), m_param(std::move(param)),
          m_code(std::move(code))
    {
    }
    int status() const { return m_status; }
    const std::string &param() const { return m_param; }
    const std::string &code() const { return m_code; }

private:
    int m_status;
    std::string m_param;
    std::string m_code;
};

// {"error": {"message", "type", "param", "code"}}; type follows the status as OpenAI's do
// (invalid_request_error, authentication_error, not_found_error, rate_limit_error, ...).
json errorBody(int status, const std::string &message, const std::string &param = {},
               const std::string &code = {});
// Serialises without throwing on invalid UTF-8 (a token's raw bytes may be half a character).
std::string dump(const json &j);
// One server-sent event: "data: <json>\n\n".
std::string sse(const json &j);

// The bounds a request is checked against (ServerOptions, capped by the backend's context).
struct Limits
{
    int maxTokens = 4096;
    int maxN = 8;
    int64_t maxPromptTokens = 4096;
    int64_t maxContext = 4096;
    int64_t vocabSize = 0; // token ids a client may send
};

// The decoding parameters chat and text completions share.
struct Sampling
{
    std::string model;
    int n = 1;
    std::optional<uint64_t> seed;
    float temperature = 1;
    float topP = 1;
    int topK = 0;
    float presencePenalty = 0;
    float frequencyPenalty = 0;
    std::optional<int> maxTokens;              // absent: the route's default
    std::string maxTokensParam = "max_tokens"; // the spelling the client used, for errors
    std::vector<std::string> stop;
    bool stream = false;
    bool includeUsage = false; // stream_options.include_usage
    bool ignoreEos = false;    // vLLM's extension: generate max_tokens whatever the model says
};

struct ChatParams
{
    Sampling sampling;
    std::vector<ChatMessage> messages;
    int logprobs = -1; // -1: none; else top_logprobs alternatives (0..5)
};

// A prompt or an embeddings input: text, or token ids as the client already tokenized them.
struct TextOrIds
{
    std::string text;
    std::vector<int32_t> ids;
    bool isIds = false;
};

struct CompletionParams
{
    Sampling sampling;
    std::vector<TextOrIds> prompts;
    bool echo = false;
    int logprobs = -1; // -1: none; 0..5
};

struct EmbeddingParams
{
    std::string model;
    std::vector<TextOrIds> inputs;
    bool base64 = false; // encoding_format "base64" (what the Node client asks for by default)
    std::optional<int> dimensions; // only the model's own size is accepted
};

// Throws ApiError 400 when the body is not a JSON object.
json parseBody(const std::string &body);
ChatParams parseChat(const json &body, const Limits &limits);
CompletionParams parseCompletion(const json &body, const Limits &limits);
EmbeddingParams parseEmbeddings(const json &body, const Limits &limits);

json usage(int64_t promptTokens, int64_t completionTokens);

// A token as logprobs name it: its text, or "bytes:\\xe4\\xbd" (OpenAI's spelling) when its
// bytes alone are not valid UTF-8, so that two such tokens never collapse into one U+FFFD key.
std::string tokenString(const Tokenizer &tokenizer, int32_t id);

// Chat logprobs: {"content": [{token, logprob, bytes, top_logprobs: [...]}, ...]}.
json chatLogprobsContent(const std::vector<GeneratedToken> &tokens, const Tokenizer &tokenizer);

// Completions' legacy logprobs: {tokens, token_logprobs, top_logprobs, text_offset}. A NaN
// logprob (the first prompt token) is null, its top_logprobs null. text_offset counts the bytes
// of the choice's text before each token (the prompt's too, with echo), across a stream's chunks.
class LegacyLogprobs final
{
public:
    explicit LegacyLogprobs(const Tokenizer &tokenizer) : m_tokenizer(tokenizer) {}
    void add(const GeneratedToken &token);
    bool empty() const { return m_json["tokens"].empty(); }
    // The entries added since the last take(), and starts a new batch (a stream's chunk).
    json take();
    size_t offset() const { return m_offset; }

private:
    const Tokenizer &m_tokenizer;
    json m_json = emptyLogprobs();
    size_t m_offset = 0;
    static json emptyLogprobs();
};

// "chatcmpl-…" / "cmpl-…" followed by 24 random hex digits.
std::string newId(const char *prefix);
// Float32 little-endian bytes, base64: OpenAI's encoding_format "base64".
std::string base64Floats(const std::vector<float> &v);

} // namespace wb::serve::openai

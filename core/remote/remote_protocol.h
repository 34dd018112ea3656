#pragma once

// The OpenAI-compatible wire format as a remote endpoint speaks it (FORMATS.md, "OpenAI-compatible
// HTTP"): base URLs, request bodies, server-sent event streams, whole JSON answers and error
// bodies. No sockets here: remote_endpoint.cpp moves the bytes.

#include "eval/endpoint.h"

#include <nlohmann/json.hpp>

#include <string>
#include <string_view>

namespace wb::remote {

// "http://Host:8000/v1/" → scheme "http", hostPort "host:8000", prefix "". A default port is
// dropped and a trailing "/v1" folded in, so every spelling of one server compares equal.
struct BaseUrl
{
    std::string scheme;   // "http" | "https"
    std::string hostPort; // "host" or "host:port"
    std::string prefix;   // a path in front of /v1 ("" or "/openai"), no trailing slash

    std::string origin() const { return scheme + "://" + hostPort; }
    std::string normalised() const { return origin() + prefix; }
    std::string path(bool chat) const
    {
        return prefix + (chat ? "/v1/chat/completions" : "/v1/completions");
    }
};

// Throws Error(Validation) naming base_url when it is not an http(s) URL.
BaseUrl parseBaseUrl(const std::string &url);

// The JSON body for one request: chat (one user message) or text completion, always streamed.
// `includeUsage` asks for a usage chunk at the end of the stream (stream_options).
nlohmann::json requestBody(const CompletionRequest &request, const std::string &model,
                           bool includeUsage);

// What came back, streamed or whole.
struct Answer
{
    std::string text;
    std::string finishReason; // as the server spelt it
    int promptTokens = -1;    // from usage; -1 when the server sent none
    int outputTokens = -1;
    int contentChunks = 0; // chunks that carried text: the token count when usage is missing
    bool done = false;     // [DONE] seen, or a whole JSON answer parsed
    std::string error;     // the server's answer could not be read, or reported an error

    // The completion as the endpoint reports it (times filled in by the caller).
    Completion toCompletion() const;
};

// Applies one chunk of a stream, or a whole answer, to `answer`.
void applyChunk(const nlohmann::json &chunk, Answer &answer);

// Reads a text/event-stream body as it arrives: "data: {...}" events separated by blank lines,
// ending with "data: [DONE]". Lines may be split anywhere between feed() calls.
class StreamReader final
{
public:
    // True when this piece brought the first text of the answer (time to first token).
    bool feed(std::string_view bytes);
    // The body ended: handles a last event that had no blank line after it.
    void finish();
    const Answer &answer() const { return m_answer; }

private:
    void line(std::string_view text);
    void dispatch();

    std::string m_pending; // an incomplete line
    std::string m_data;    // the data lines of the event being read
    bool m_hasData = false;
    Answer m_answer;
};

// A whole JSON answer (a server that ignored "stream": true).
Answer parseWholeAnswer(const std::string &body);

// The message a server put in an error body: error.message, an "error" string, "message",
// "detail", or else the body itself, shortened.
std::string serverErrorMessage(const std::string &body);

// `text` with every occurrence of `secret` replaced by "***" (servers echo bad keys back).
std::string redact(std::string text, const std::string &secret);

} // namespace wb::remote

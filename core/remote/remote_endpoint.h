#pragma once

// An OpenAI-compatible server (vLLM, Ollama, llama.cpp's server, SGLang, a hosted API) as a
// model: its settings as the workspace keeps them, and the ModelEndpoint that talks to it
// (chat or text completions) within its limits: at most maxConcurrency requests in flight, at
// most rpm requests a minute, a timeout per request, and retries with exponential backoff and
// jitter on 429, 5xx and connection errors (honouring Retry-After). Torch-free.

#include "eval/endpoint.h"

#include <nlohmann/json.hpp>

#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace wb {

class Workspace;

struct RemoteSettings
{
    std::string name;        // the model name users pick it by in the workspace
    std::string baseUrl;     // "http://host:8000/v1" (a trailing /v1 is optional)
    std::string model;       // the server's model id
    std::string apiKeyEnv;   // environment variable holding the key ("" for none)
    int maxConcurrency = 4;
    int rpm = 0;             // requests per minute, 0: no limit
    double timeoutSeconds = 120;
    int retries = 4;         // further attempts after the first
    // The key itself, for this process only (the app fills it from the keychain). Never
    // written to the workspace, a log or an error message. Empty: read apiKeyEnv.
    std::string apiKey;

    nlohmann::json toJson() const; // without the key
    // The fields toJson() writes; missing ones keep their defaults.
    static RemoteSettings fromJson(const nlohmann::json &j);
    // Throws Error(Validation) naming the field: empty url/model, a url that is not http(s),
    // limits out of range.
    void validate() const;
};

// Remote endpoints registered in the workspace (table remote_endpoints).
class RemoteStore final
{
public:
    explicit RemoteStore(Workspace &ws) : m_ws(ws) {}
    // Throws Conflict when the name is taken (by a remote or a local model).
    RemoteSettings add(const RemoteSettings &settings);
    std::vector<RemoteSettings> list();
    std::optional<RemoteSettings> find(const std::string &name);
    void remove(const std::string &name);

private:
    Workspace &m_ws;
};

// The endpoint for `settings`. identity() is "remote:<base url>#<model>".
std::unique_ptr<ModelEndpoint> makeRemoteEndpoint(const RemoteSettings &settings);

} // namespace wb

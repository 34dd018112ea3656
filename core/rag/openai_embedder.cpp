#include "rag/embedder.h"

#include "common/error.h"

#include <httplib.h>

#include <cstdlib>

namespace wb::rag {

namespace {

// Splits "http://host:port/prefix" into the scheme+host part and the path prefix that
// /v1/embeddings is appended to (a trailing "/v1" is folded in).
std::pair<std::string, std::string> splitUrl(std::string url)
{
    while (!url.empty() && url.back() == '/')
        url.pop_back();
    const size_t scheme = url.find("://");
    const size_t slash = url.find('/', scheme == std::string::npos ? 0 : scheme + 3);
    std::string host = slash == std::string::npos ? url : url.substr(0, slash);
    std::string prefix = slash == std::string::npos ? "" : url.substr(slash);
    if (prefix.size() >= 3 && prefix.compare(prefix.size() - 3, 3, "/v1") == 0)
        prefix.resize(prefix.size() - 3);
    return {host, prefix + "/v1/embeddings"};
}

} // namespace

OpenAiEmbedder::OpenAiEmbedder(OpenAiEmbedderSettings settings) : m_s(std::move(settings))
{
    if (m_s.baseUrl.empty() || m_s.model.empty())
        throw Error(ErrorCode::Validation, "an OpenAI-compatible embedder needs base_url and model");
    if (m_s.batchSize < 1)
        m_s.batchSize = 1;
    m_dim = m_s.dim;
}

std::string OpenAiEmbedder::id() const
{
    std::string base = m_s.baseUrl;
    while (!base.empty() && base.back() == '/')
        base.pop_back();
    return "openai:" + base + "#" + m_s.model;
}

int OpenAiEmbedder::dim() const
{
    if (m_dim == 0)
        m_dim = static_cast<int>(request({"dimension probe"}).at(0).size());
    return m_dim;
}

std::vector<std::vector<float>> OpenAiEmbedder::request(const std::vector<std::string> &texts) const
{
    const auto [host, path] = splitUrl(m_s.baseUrl);
    httplib::Client client(host);
    client.set_connection_timeout(10);
    client.set_read_timeout(m_s.timeoutSeconds);
    client.set_write_timeout(m_s.timeoutSeconds);
    httplib::Headers headers;
    if (!m_s.apiKeyEnv.empty()) {
        const char *key = std::getenv(m_s.apiKeyEnv.c_str());
        if (!key || !*key)
            throw Error(ErrorCode::Validation,
                        "the API key variable " + m_s.apiKeyEnv + " is not set in the environment");
        headers.emplace("Authorization", std::string("Bearer ") + key);
    }
    const nlohmann::json body = {{"model", m_s.model}, {"input", texts}};
    const auto res = client.Post(path, headers, body.dump(), "application/json");
    const std::string where = host + path;
    if (!res)
        throw Error(ErrorCode::Io, "embeddings request failed: " + httplib::to_string(res.error()), where);
    if (res->status != 200)
        throw Error(ErrorCode::Io,
                    "embeddings endpoint answered HTTP " + std::to_string(res->status) + ": " +
                        res->body.substr(0, 300),
                    where);
    const auto j = nlohmann::json::parse(res->body, nullptr, false);
    if (j.is_discarded() || !j.contains("data") || !j["data"].is_array())
        throw Error(ErrorCode::Parse, "embeddings response is not JSON with a 'data' array", where);
    std::vector<std::vector<float>> out(texts.size());
    size_t position = 0;
    for (const auto &item : j["data"]) {
        const size_t index = item.value("index", position);
        ++position;
        if (index >= out.size() || !item.contains("embedding") || !item["embedding"].is_array())
            throw Error(ErrorCode::Parse, "embeddings response item " + std::to_string(index) +
                                              " has no 'embedding' array or a bad index", where);
        out[index] = item["embedding"].get<std::vector<float>>();
        normalise(out[index]);
    }
    for (size_t i = 0; i < out.size(); ++i) {
        if (out[i].empty())
            throw Error(ErrorCode::Parse, "embeddings response lacks input " + std::to_string(i), where);
        if (out[i].size() != out[0].size())
            throw Error(ErrorCode::Parse, "embeddings response mixes dimensions", where);
    }
    if (m_dim != 0 && !out.empty() && static_cast<int>(out[0].size()) != m_dim)
        throw Error(ErrorCode::Validation,
                    "endpoint returned " + std::to_string(out[0].size()) +
                        "-dimensional vectors, the collection expects " + std::to_string(m_dim),
                    where);
    return out;
}

std::vector<std::vector<float>> OpenAiEmbedder::embed(const std::vector<std::string> &texts,
                                                      const CancelFn &cancel)
{
    std::vector<std::vector<float>> out;
    out.reserve(texts.size());
    for (size_t i = 0; i < texts.size(); i += static_cast<size_t>(m_s.batchSize)) {
        if (cancel && cancel())
            throw Error(ErrorCode::Cancelled, "embedding cancelled");
        const size_t n = std::min(texts.size() - i, static_cast<size_t>(m_s.batchSize));
        auto part = request({texts.begin() + static_cast<std::ptrdiff_t>(i),
                             texts.begin() + static_cast<std::ptrdiff_t>(i + n)});
        if (m_dim == 0 && !part.empty())
            m_dim = static_cast<int>(part[0].size());
        for (auto &v : part)
            out.push_back(std::move(v));
    }
    return out;
}

} // namespace wb::rag

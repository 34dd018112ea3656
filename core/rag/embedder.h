#pragma once

#include <nlohmann/json.hpp>

#include <functional>
#include <memory>
#include <string>
#include <vector>

namespace wb::rag {

// Returns true when the work should stop (checked between batches).
using CancelFn = std::function<bool()>;

// Turns texts into L2-normalised vectors. A collection records id() with its vectors and
// refuses vectors from any other embedder, so id() must change whenever the vectors would.
class Embedder
{
public:
    virtual ~Embedder() = default;
    virtual std::string id() const = 0;
    virtual int dim() const = 0;
    // How many texts one call should carry.
    virtual int batchSize() const { return 32; }
    // One vector per text, in order. Throws Error(Cancelled) when cancel() says so, other
    // wb::Error on failure.
    virtual std::vector<std::vector<float>> embed(const std::vector<std::string> &texts,
                                                  const CancelFn &cancel = {}) = 0;
};

// L2-normalises in place (a zero vector stays zero).
void normalise(std::vector<float> &v);

// "hashing": deterministic and model-free, as sklearn's HashingVectorizer: lowercased words
// and the character 3..4-grams of each word with boundary marks (CJK runs as character
// unigrams and bigrams), each hashed to one of dim buckets with a hashed sign, sublinear
// term frequency, normalised.
// Texts sharing words and characters get high cosine; it knows nothing of meaning.
class HashingEmbedder final : public Embedder
{
public:
    explicit HashingEmbedder(int dim = 384);
    std::string id() const override;
    int dim() const override { return m_dim; }
    int batchSize() const override { return 256; }
    std::vector<std::vector<float>> embed(const std::vector<std::string> &texts,
                                          const CancelFn &cancel = {}) override;
    std::vector<float> embedOne(const std::string &text) const;

private:
    int m_dim;
};

// An OpenAI-compatible POST {base}/v1/embeddings (vLLM, Ollama, llama.cpp server, hosted APIs).
// The API key comes from an environment variable named in the settings, never the workspace.
struct OpenAiEmbedderSettings
{
    std::string baseUrl;            // "http://localhost:8000" (a trailing /v1 is accepted)
    std::string model;
    std::string apiKeyEnv;          // e.g. "OPENAI_API_KEY"; "" for none
    int dim = 0;                    // 0: learnt from the first response
    int batchSize = 64;
    int timeoutSeconds = 120;
};
class OpenAiEmbedder final : public Embedder
{
public:
    explicit OpenAiEmbedder(OpenAiEmbedderSettings settings);
    std::string id() const override;
    // Asks the endpoint once when the dimension is not known yet.
    int dim() const override;
    int batchSize() const override { return m_s.batchSize; }
    std::vector<std::vector<float>> embed(const std::vector<std::string> &texts,
                                          const CancelFn &cancel = {}) override;

private:
    std::vector<std::vector<float>> request(const std::vector<std::string> &texts) const;
    OpenAiEmbedderSettings m_s;
    mutable int m_dim = 0;
};

// Makes an embedder from a collection's settings: {"kind": "hashing", "dim": 384},
// {"kind": "openai", "base_url": ..., "model": ..., "api_key_env": ...}, or a kind that a
// library registered (core/model/embedders.h registers "causal-lm" and "bert"). Throws
// Error(Unsupported) naming the kind when nobody provides it.
using EmbedderFactory = std::function<std::unique_ptr<Embedder>(const nlohmann::json &spec)>;
void registerEmbedderKind(const std::string &kind, EmbedderFactory factory);
std::unique_ptr<Embedder> makeEmbedder(const nlohmann::json &spec);
std::vector<std::string> embedderKinds();

} // namespace wb::rag

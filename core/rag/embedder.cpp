#include "rag/embedder.h"

#include "common/error.h"
#include "rag/segment.h"

#include <cmath>
#include <map>
#include <mutex>
#include <unordered_map>

namespace wb::rag {

void normalise(std::vector<float> &v)
{
    double sum = 0;
    for (const float x : v)
        sum += double(x) * x;
    if (sum <= 0)
        return;
    const float inv = static_cast<float>(1.0 / std::sqrt(sum));
    for (float &x : v)
        x *= inv;
}

namespace {

uint64_t fnv1a(std::string_view s, uint64_t seed)
{
    uint64_t h = 1469598103934665603ull ^ seed;
    for (const unsigned char c : s) {
        h ^= c;
        h *= 1099511628211ull;
    }
    // Final avalanche (splitmix64) so nearby strings spread over buckets and signs.
    h ^= h >> 30;
    h *= 0xbf58476d1ce4e5b9ull;
    h ^= h >> 27;
    h *= 0x94d049bb133111ebull;
    h ^= h >> 31;
    return h;
}

} // namespace

HashingEmbedder::HashingEmbedder(int dim) : m_dim(dim)
{
    if (dim < 8 || dim > 65536)
        throw Error(ErrorCode::Validation, "hashing embedder dimension must lie in [8, 65536], not " +
                                               std::to_string(dim));
}

std::string HashingEmbedder::id() const { return "hashing-v1:dim=" + std::to_string(m_dim); }

std::vector<float> HashingEmbedder::embedOne(const std::string &text) const
{
    std::unordered_map<uint64_t, int> counts;
    for (const Term &t : segmentTerms(text)) {
        const bool cjk = !t.text.empty() && static_cast<unsigned char>(t.text[0]) >= 0xE3 &&
                         t.text.size() <= 8 && t.end - t.start == t.text.size();
        if (cjk) {
            ++counts[fnv1a(t.text, 1)];
            continue;
        }
        ++counts[fnv1a(t.text, 2)];
        const std::string padded = "<" + t.text + ">";
        for (size_t n = 3; n <= 4; ++n)
            for (size_t i = 0; i + n <= padded.size(); ++i)
                ++counts[fnv1a(std::string_view(padded).substr(i, n), 3)];
    }
    std::vector<float> v(static_cast<size_t>(m_dim), 0.f);
    for (const auto &[h, c] : counts) {
        const float w = 1.f + std::log(static_cast<float>(c));
        v[h % static_cast<uint64_t>(m_dim)] += (h >> 63) ? -w : w;
    }
    normalise(v);
    return v;
}

std::vector<std::vector<float>> HashingEmbedder::embed(const std::vector<std::string> &texts,
                                                       const CancelFn &cancel)
{
    std::vector<std::vector<float>> out;
    out.reserve(texts.size());
    for (size_t i = 0; i < texts.size(); ++i) {
        if (i % 64 == 0 && cancel && cancel())
            throw Error(ErrorCode::Cancelled, "embedding cancelled");
        out.push_back(embedOne(texts[i]));
    }
    return out;
}

namespace {

std::mutex &registryMutex()
{
    static std::mutex m;
    return m;
}

std::map<std::string, EmbedderFactory> &registry()
{
    static std::map<std::string, EmbedderFactory> r = {
        {"hashing",
         [](const nlohmann::json &spec) -> std::unique_ptr<Embedder> {
             return std::make_unique<HashingEmbedder>(spec.value("dim", 384));
         }},
        {"openai",
         [](const nlohmann::json &spec) -> std::unique_ptr<Embedder> {
             OpenAiEmbedderSettings s;
             s.baseUrl = spec.value("base_url", "");
             s.model = spec.value("model", "");
             s.apiKeyEnv = spec.value("api_key_env", "");
             s.dim = spec.value("dim", 0);
             s.batchSize = spec.value("batch_size", 64);
             s.timeoutSeconds = spec.value("timeout_s", 120);
             return std::make_unique<OpenAiEmbedder>(s);
         }},
    };
    return r;
}

} // namespace

void registerEmbedderKind(const std::string &kind, EmbedderFactory factory)
{
    std::lock_guard lock(registryMutex());
    registry()[kind] = std::move(factory);
}

std::vector<std::string> embedderKinds()
{
    std::lock_guard lock(registryMutex());
    std::vector<std::string> kinds;
    for (const auto &[k, f] : registry())
        kinds.push_back(k);
    return kinds;
}

std::unique_ptr<Embedder> makeEmbedder(const nlohmann::json &spec)
{
    const std::string kind = spec.is_object() ? spec.value("kind", "") : "";
    EmbedderFactory factory;
    {
        std::lock_guard lock(registryMutex());
        const auto it = registry().find(kind);
        if (it != registry().end())
            factory = it->second;
    }
    if (!factory) {
        std::string known;
        for (const auto &k : embedderKinds())
            known += (known.empty() ? "" : ", ") + k;
        throw Error(ErrorCode::Unsupported,
                    "no embedder of kind '" + kind + "' in this program (available: " + known + ")");
    }
    return factory(spec);
}

} // namespace wb::rag

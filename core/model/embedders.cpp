#include "model/embedders.h"

#include "common/error.h"
#include "common/files.h"
#include "common/sha256.h"
#include "model/causal_lm.h"
#include "tokenizer/tokenizer.h"

#include <mutex>

namespace wb {

namespace fs = std::filesystem;

namespace {

class CausalLmEmbedder final : public rag::Embedder
{
public:
    explicit CausalLmEmbedder(const nlohmann::json &spec)
    {
        const std::string model = spec.value("model", "");
        if (model.empty())
            throw Error(ErrorCode::Validation, "a causal-lm embedder needs 'model' (a Hugging Face folder)");
        m_dir = fs::absolute(model);
        const std::string pooling = spec.value("pooling", "mean");
        if (pooling != "mean" && pooling != "last")
            throw Error(ErrorCode::Validation, "pooling must be 'mean' or 'last', not '" + pooling + "'");
        m_pooling = pooling == "mean" ? Pooling::Mean : Pooling::Last;
        m_maxTokens = spec.value("max_tokens", 512);
        m_batch = std::max(1, spec.value("batch_size", 8));
        LoadOptions opts;
        opts.device = spec.value("device", "cpu");
        const std::string dtype = spec.value("dtype", "f32");
        opts.dtype = dtype == "bf16" ? DType::BF16 : dtype == "f16" ? DType::F16 : DType::F32;
        opts.contextTokens = m_maxTokens;
        m_model = CausalLM::load(m_dir, opts);
        m_tokenizer = Tokenizer::load(m_dir);
        // The id names the weights' configuration so another model's vectors are refused.
        m_id = "causal-lm:" + m_dir.string() + "#" +
               Sha256::hex(readFile(m_dir / "config.json")).substr(0, 12) + ":" + pooling;
    }

    std::string id() const override { return m_id; }
    int dim() const override { return static_cast<int>(m_model->hiddenSize()); }
    int batchSize() const override { return m_batch * 4; }

    std::vector<std::vector<float>> embed(const std::vector<std::string> &texts,
                                          const rag::CancelFn &cancel) override
    {
        std::vector<std::vector<float>> out;
        for (size_t i = 0; i < texts.size(); i += static_cast<size_t>(m_batch)) {
            if (cancel && cancel())
                throw Error(ErrorCode::Cancelled, "embedding cancelled");
            std::vector<std::vector<int32_t>> ids;
            for (size_t k = i; k < std::min(texts.size(), i + static_cast<size_t>(m_batch)); ++k) {
                auto seq = m_tokenizer->encode(texts[k], true);
                if (static_cast<int>(seq.size()) > m_maxTokens)
                    seq.resize(static_cast<size_t>(m_maxTokens));
                if (seq.empty())
                    seq.push_back(m_tokenizer->bosId().value_or(0));
                ids.push_back(std::move(seq));
            }
            for (auto &v : m_model->embed(ids, m_pooling, m_batch))
                out.push_back(std::move(v));
        }
        return out;
    }

private:
    fs::path m_dir;
    Pooling m_pooling = Pooling::Mean;
    int m_maxTokens = 512;
    int m_batch = 8;
    std::unique_ptr<CausalLM> m_model;
    std::unique_ptr<Tokenizer> m_tokenizer;
    std::string m_id;
};

std::mutex g_bertMutex;
rag::EmbedderFactory g_bertFactory;

} // namespace

std::unique_ptr<rag::Embedder> makeCausalLmEmbedder(const nlohmann::json &spec)
{
    return std::make_unique<CausalLmEmbedder>(spec);
}

void setBertEmbedderFactory(rag::EmbedderFactory factory)
{
    std::lock_guard lock(g_bertMutex);
    g_bertFactory = std::move(factory);
}

void registerEngineEmbedders()
{
    rag::registerEmbedderKind("causal-lm", makeCausalLmEmbedder);
    rag::registerEmbedderKind("bert", [](const nlohmann::json &spec) -> std::unique_ptr<rag::Embedder> {
        rag::EmbedderFactory factory;
        {
            std::lock_guard lock(g_bertMutex);
            factory = g_bertFactory;
        }
        if (!factory)
            return makeBertEmbedder(spec); // core/model/bert_embedder.cpp
        return factory(spec);
    });
}

} // namespace wb

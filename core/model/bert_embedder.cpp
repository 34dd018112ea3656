// The knowledge base's "bert" embedder kind: a SentenceEncoder behind rag::Embedder.

#include "common/error.h"
#include "model/bert.h"
#include "model/embedders.h"

namespace wb {

namespace {

class BertEmbedder final : public rag::Embedder
{
public:
    explicit BertEmbedder(const nlohmann::json &spec)
    {
        const std::string model = spec.value("model", "");
        if (model.empty())
            throw Error(ErrorCode::Validation, "a bert embedder needs 'model' (a sentence-transformers / BERT folder)");
        SentenceEncoderOptions opts;
        opts.device = spec.value("device", "cpu");
        const std::string dtype = spec.value("dtype", "f32");
        if (dtype != "f32" && dtype != "bf16" && dtype != "f16")
            throw Error(ErrorCode::Validation, "dtype must be f32, bf16 or f16, not '" + dtype + "'");
        opts.dtype = dtype == "bf16" ? DType::BF16 : dtype == "f16" ? DType::F16 : DType::F32;
        opts.maxLength = spec.value("max_tokens", int64_t(0));
        opts.threads = spec.value("threads", 0);
        opts.normalize = true; // collections hold unit vectors (inner product = cosine)
        m_batch = std::max(1, spec.value("batch_size", 32));
        m_encoder = SentenceEncoder::load(model, opts);
    }

    std::string id() const override { return m_encoder->id(); }
    int dim() const override { return m_encoder->dim(); }
    int batchSize() const override { return m_batch * 4; }
    std::vector<std::vector<float>> embed(const std::vector<std::string> &texts,
                                          const rag::CancelFn &cancel) override
    {
        return m_encoder->encode(texts, m_batch, cancel);
    }

private:
    int m_batch = 32;
    std::unique_ptr<SentenceEncoder> m_encoder;
};

} // namespace

std::unique_ptr<rag::Embedder> makeBertEmbedder(const nlohmann::json &spec)
{
    return std::make_unique<BertEmbedder>(spec);
}

} // namespace wb

// The engine tests' core, standalone: runs core/model on a CUDA libtorch (CPU and GPU) against
// the reference fixtures. Built by gpu/CMakeLists.txt on a GPU machine that has no Qt.
#include "common/error.h"
#include "formats/safetensors.h"
#include "model/bench.h"
#include "model/causal_lm.h"
#include "model/generate.h"

#include <cmath>
#include <cstdio>
#include <cstring>

using namespace wb;
namespace fs = std::filesystem;

template <typename T> std::vector<T> vals(const TensorView &t)
{
    std::vector<T> o(static_cast<size_t>(t.numel()));
    std::memcpy(o.data(), t.data, t.bytes);
    return o;
}
std::vector<int32_t> ids(const TensorView &t)
{
    std::vector<int32_t> o;
    for (int64_t v : vals<int64_t>(t)) o.push_back(int32_t(v));
    return o;
}
double maxDiff(const std::vector<float> &a, const std::vector<float> &b)
{
    if (a.size() != b.size()) return INFINITY;
    double m = 0;
    for (size_t i = 0; i < a.size(); ++i) m = std::max(m, double(std::fabs(a[i] - b[i])));
    return m;
}
std::vector<int32_t> slice(const std::vector<int32_t> &v, size_t a, size_t b)
{
    return std::vector<int32_t>(v.begin() + long(a), v.begin() + long(std::min(b, v.size())));
}

int main(int argc, char **argv)
{
    const fs::path root = argc > 1 ? argv[1] : "tests/fixtures/reference/models";
    int failures = 0;
    for (const std::string device : {"cpu", "cuda"}) {
        for (const std::string n : {"llama-gqa", "llama-mqa-tied-llama3rope", "llama-bias-linear",
                                    "llama-dynamic", "mistral-headdim", "qwen2", "qwen2-bf16-sharded"}) {
            try {
                auto f = SafetensorsFile::open(root / n / "reference.safetensors");
                const auto in = ids(f->tensor("input_ids"));
                const auto refLogits = vals<float>(f->tensor("logits"));
                const auto greedy = ids(f->tensor("greedy_ids"));
                const auto mean = vals<float>(f->tensor("embedding_mean"));
                const double ll = vals<double>(f->tensor("loglik_tail"))[0];
                LoadOptions o;
                o.device = device;
                auto m = CausalLM::load(root / n, o);
                const double d = maxDiff(m->logits(in), refLogits);
                GenerateOptions g;
                g.maxNewTokens = 10;
                g.ignoreEos = true;
                const bool greedyOk = generate(*m, slice(greedy, 0, 6), g).tokens == slice(greedy, 6, 16);
                std::vector<std::vector<int32_t>> prompts = {slice(in, 0, 3), slice(in, 2, 9), slice(in, 4, 9)};
                auto batched = generateBatch(*m, prompts, g);
                bool batchOk = true;
                for (size_t i = 0; i < prompts.size(); ++i)
                    batchOk = batchOk && batched[i].tokens == generate(*m, prompts[i], g).tokens;
                const double dll = std::fabs(m->logLikelihood({{slice(in, 0, 6), slice(in, 6, in.size())}})[0] - ll);
                const double de = maxDiff(m->embed({in, slice(in, 0, 4)})[0], mean);
                // incremental
                auto s = m->newSession();
                auto full = m->logits(slice(in, 0, 12));
                s->prefill(slice(in, 0, 5));
                double dinc = 0;
                const size_t V = size_t(m->vocabSize());
                for (size_t t = 5; t < 12; ++t) {
                    auto l = s->step(in[t]);
                    dinc = std::max(dinc, maxDiff(l, std::vector<float>(full.begin() + long(t * V), full.begin() + long((t + 1) * V))));
                }
                LoadOptions b = o;
                b.dtype = DType::BF16;
                const double dbf = maxDiff(CausalLM::load(root / n, b)->logits(in), refLogits);
                LoadOptions h = o;
                h.dtype = DType::F16;
                const double dh = maxDiff(CausalLM::load(root / n, h)->logits(in), refLogits);
                LoadOptions q = o;
                q.int8 = true;
                const double dq = maxDiff(CausalLM::load(root / n, q)->logits(in), refLogits);
                const bool ok = d <= 1e-4 && greedyOk && batchOk && dll <= 1e-4 && de <= 1e-4 && dinc <= 1e-4;
                failures += !ok;
                std::printf("%s %-28s %s logits %.3g greedy %d batch %d loglik %.3g embed %.3g incr %.3g | bf16 %.3g f16 %.3g int8 %.3g\n",
                            device.c_str(), n.c_str(), ok ? "OK  " : "FAIL", d, greedyOk, batchOk, dll, de, dinc, dbf, dh, dq);
            } catch (const std::exception &e) {
                ++failures;
                std::printf("%s %s: ERROR %s\n", device.c_str(), n.c_str(), e.what());
            }
        }
    }
    try {
        LoadOptions o;
        o.device = "cuda";
        auto m = CausalLM::load(root / "qwen2", o);
        std::printf("%s\n", m->describe().c_str());
        std::printf("%s\n", benchGenerate(*m, 4, 64, 32).summary().c_str());
        LoadOptions huge = o;
        huge.contextTokens = int64_t(1) << 40;
        try { CausalLM::load(root / "qwen2", huge); std::printf("memory check: no error!\n"); ++failures; }
        catch (const Error &e) { std::printf("memory check: %s\n", e.what()); }
    } catch (const std::exception &e) {
        ++failures;
        std::printf("bench ERROR %s\n", e.what());
    }
    std::printf("failures: %d\n", failures);
    return failures ? 1 : 0;
}

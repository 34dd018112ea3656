#include "formats/random_model.h"

#include "common/error.h"
#include "common/files.h"
#include "formats/safetensors.h"

#include <nlohmann/json.hpp>

#include <cmath>
#include <random>
#include <vector>

namespace wb {

uint64_t writeRandomModel(const std::filesystem::path &dir, const RandomModelSpec &s)
{
    if (s.hidden <= 0 || s.layers <= 0 || s.heads <= 0 || s.kvHeads <= 0 || s.vocab <= 0 ||
        s.intermediate <= 0)
        throw Error(ErrorCode::Validation, "every model dimension must be positive");
    if (s.hidden % s.heads != 0 || s.heads % s.kvHeads != 0)
        throw Error(ErrorCode::Validation,
                    "hidden must be a multiple of heads, and heads a multiple of kv-heads");
    if (s.architecture != "llama" && s.architecture != "qwen2")
        throw Error(ErrorCode::Validation,
                    "architecture '" + s.architecture + "' is not one of llama, qwen2");
    const bool qwen = s.architecture == "qwen2";
    const int64_t hd = s.hidden / s.heads;
    std::mt19937_64 rng(s.seed);
    SafetensorsWriter w;
    uint64_t params = 0;
    enum Fill { Normal, Ones, Zeros };
    auto add = [&](const std::string &name, std::vector<int64_t> shape, Fill fill) {
        int64_t n = 1;
        for (auto d : shape)
            n *= d;
        std::vector<float> v(static_cast<size_t>(n));
        for (auto &x : v) {
            if (fill != Normal) {
                x = fill == Ones ? 1.0f : 0.0f;
                continue;
            }
            // Box-Muller over the generator's own bits: the same weights on every platform.
            const double u1 = double(rng() >> 11) * 0x1.0p-53 + 1e-12;
            const double u2 = double(rng() >> 11) * 0x1.0p-53;
            x = float(s.initStd * std::sqrt(-2 * std::log(u1)) * std::cos(6.283185307179586 * u2));
        }
        params += static_cast<uint64_t>(n);
        w.add(name, DType::F32, shape, v.data(), v.size() * sizeof(float));
    };
    add("model.embed_tokens.weight", {s.vocab, s.hidden}, Normal);
    add("model.norm.weight", {s.hidden}, Ones);
    for (int64_t i = 0; i < s.layers; ++i) {
        const std::string p = "model.layers." + std::to_string(i) + ".";
        add(p + "input_layernorm.weight", {s.hidden}, Ones);
        add(p + "post_attention_layernorm.weight", {s.hidden}, Ones);
        add(p + "self_attn.q_proj.weight", {s.heads * hd, s.hidden}, Normal);
        add(p + "self_attn.k_proj.weight", {s.kvHeads * hd, s.hidden}, Normal);
        add(p + "self_attn.v_proj.weight", {s.kvHeads * hd, s.hidden}, Normal);
        if (qwen) {
            add(p + "self_attn.q_proj.bias", {s.heads * hd}, Zeros);
            add(p + "self_attn.k_proj.bias", {s.kvHeads * hd}, Zeros);
            add(p + "self_attn.v_proj.bias", {s.kvHeads * hd}, Zeros);
        }
        add(p + "self_attn.o_proj.weight", {s.hidden, s.heads * hd}, Normal);
        add(p + "mlp.gate_proj.weight", {s.intermediate, s.hidden}, Normal);
        add(p + "mlp.up_proj.weight", {s.intermediate, s.hidden}, Normal);
        add(p + "mlp.down_proj.weight", {s.hidden, s.intermediate}, Normal);
    }
    if (!s.tied)
        add("lm_head.weight", {s.vocab, s.hidden}, Normal);
    std::filesystem::create_directories(dir);
    w.write(dir / "model.safetensors");
    nlohmann::json cfg = {
        {"architectures", {qwen ? "Qwen2ForCausalLM" : "LlamaForCausalLM"}},
        {"model_type", s.architecture},
        {"hidden_size", s.hidden},
        {"intermediate_size", s.intermediate},
        {"num_hidden_layers", s.layers},
        {"num_attention_heads", s.heads},
        {"num_key_value_heads", s.kvHeads},
        {"vocab_size", s.vocab},
        {"max_position_embeddings", s.maxPositions},
        {"rms_norm_eps", 1e-5},
        {"rope_theta", s.ropeTheta},
        {"hidden_act", "silu"},
        {"tie_word_embeddings", s.tied},
        {"bos_token_id", s.bosId},
        {"eos_token_id", s.eosId},
        {"torch_dtype", "float32"}};
    writeFileAtomic(dir / "config.json", cfg.dump(2) + "\n");
    return params;
}

} // namespace wb

// `llmwb bench generate` for GPU machines without Qt: loads a model folder and prints
// BenchResult as one JSON line.
//   wb_gpu_bench DIR [device=cuda] [dtype=bf16] [batch=1] [promptLen=128] [newTokens=128]
#include "model/bench.h"
#include "model/causal_lm.h"

#include <cstdio>
#include <string>

int main(int argc, char **argv)
{
    if (argc < 2) {
        std::fprintf(stderr, "usage: wb_gpu_bench DIR [device] [dtype] [batch] [promptLen] [newTokens]\n");
        return 2;
    }
    wb::LoadOptions o;
    o.device = argc > 2 ? argv[2] : "cuda";
    const std::string dtype = argc > 3 ? argv[3] : "bf16";
    o.dtype = dtype == "f32" ? wb::DType::F32 : dtype == "f16" ? wb::DType::F16 : wb::DType::BF16;
    const int batch = argc > 4 ? std::stoi(argv[4]) : 1;
    const int promptLen = argc > 5 ? std::stoi(argv[5]) : 128;
    const int newTokens = argc > 6 ? std::stoi(argv[6]) : 128;
    try {
        auto model = wb::CausalLM::load(argv[1], o);
        wb::benchGenerate(*model, batch, promptLen, 8); // warm-up: kernels, allocator
        const auto r = wb::benchGenerate(*model, batch, promptLen, newTokens);
        std::printf("{\"model\": \"%s\", \"weight_bytes\": %llu, \"prefill_tokens_per_s\": %.1f, "
                    "\"decode_tokens_per_s\": %.1f, \"ttft_s\": %.5f, \"peak_memory_bytes\": %llu}\n",
                    model->describe().c_str(), (unsigned long long)model->weightBytes(),
                    r.prefillTokensPerSecond, r.decodeTokensPerSecond, r.timeToFirstTokenSeconds,
                    (unsigned long long)r.peakMemoryBytes);
    } catch (const std::exception &e) {
        std::fprintf(stderr, "error: %s\n", e.what());
        return 1;
    }
    return 0;
}

// The serving engine's continuous batching on a GPU machine without Qt or an HTTP stack: C
// clients arrive at once, each with a random prompt, and decode N greedy tokens through
// DecodeSlots (slot-indexed cache, device sampling, CUDA graphs) scheduled as core/serve's engine
// schedules them (clients arriving together are prefilled together, then decode in one batch).
// Prints one JSON line per client count.
//   wb_gpu_bench_serve DIR [clients=1,16] [promptLen=128] [newTokens=256] [device=cuda] [dtype=bf16]
#include "common/stats.h"
#include "model/causal_lm.h"
#include "model/decode_slots.h"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <random>
#include <sstream>
#include <string>
#include <vector>

namespace {

using Clock = std::chrono::steady_clock;


void run(wb::CausalLM &model, wb::DecodeSlots &slots, int clients, int promptLen, int newTokens,
         bool print)
{
    std::mt19937 rng(42);
    std::uniform_int_distribution<int32_t> id(10, int32_t(std::min<int64_t>(model.vocabSize(), 150000)) - 1);
    std::vector<int> rowClient(static_cast<size_t>(clients), -1);
    std::vector<std::vector<double>> stamps(static_cast<size_t>(clients));
    const Clock::time_point start = Clock::now();
    auto now = [&] { return std::chrono::duration<double>(Clock::now() - start).count(); };
    for (int c = 0; c < clients; ++c) {
        std::vector<int32_t> prompt(static_cast<size_t>(promptLen));
        for (auto &t : prompt)
            t = id(rng);
        slots.begin(c, prompt, {});
        rowClient[size_t(c)] = c;
    }
    int live = clients;
    while (live > 0) {
        bool decoding = false;
        for (int r = 0; r < clients; ++r)
            decoding = decoding || (rowClient[size_t(r)] >= 0 && slots.decoding(r));
        if (!decoding) {
            std::vector<int> fresh;
            for (int r = 0; r < clients; ++r)
                if (rowClient[size_t(r)] >= 0)
                    fresh.push_back(r);
            for (const wb::SlotToken &t : slots.prefillTogether(fresh))
                stamps[size_t(t.row)].push_back(now());
        }
        for (const wb::SlotToken &t : slots.step()) {
            stamps[size_t(t.row)].push_back(now());
            if (int(stamps[size_t(t.row)].size()) >= newTokens) {
                slots.release(t.row);
                rowClient[size_t(t.row)] = -1;
                --live;
            }
        }
    }
    const double seconds = now();
    std::vector<double> ttft, itl;
    for (const auto &s : stamps) {
        ttft.push_back(s.front());
        for (size_t i = 1; i < s.size(); ++i)
            itl.push_back(s[i] - s[i - 1]);
    }
    if (print)
        std::printf("{\"clients\": %d, \"new_tokens\": %d, \"prompt_tokens\": %d, \"seconds\": %.3f, "
                    "\"aggregate_tokens_per_s\": %.1f, \"ttft_p50_s\": %.4f, \"ttft_p95_s\": %.4f, "
                    "\"itl_p50_s\": %.5f, \"itl_p95_s\": %.5f, \"kv_cache_bytes\": %llu}\n",
                    clients, newTokens, promptLen, seconds, double(clients) * newTokens / seconds,
                    wb::percentile(ttft, 0.5), wb::percentile(ttft, 0.95), wb::percentile(itl, 0.5),
                    wb::percentile(itl, 0.95), (unsigned long long)slots.cacheBytes());
}

} // namespace

int main(int argc, char **argv)
{
    if (argc < 2) {
        std::fprintf(stderr, "usage: wb_gpu_bench_serve DIR [clients=1,16] [promptLen] [newTokens] [device] [dtype]\n");
        return 2;
    }
    std::vector<int> clients;
    std::stringstream list(argc > 2 ? argv[2] : "1,16");
    for (std::string item; std::getline(list, item, ',');)
        clients.push_back(std::stoi(item));
    const int promptLen = argc > 3 ? std::stoi(argv[3]) : 128;
    const int newTokens = argc > 4 ? std::stoi(argv[4]) : 256;
    wb::LoadOptions o;
    o.device = argc > 5 ? argv[5] : "cuda";
    const std::string dtype = argc > 6 ? argv[6] : "bf16";
    o.dtype = dtype == "f32" ? wb::DType::F32 : dtype == "f16" ? wb::DType::F16 : wb::DType::BF16;
    try {
        auto model = wb::CausalLM::load(argv[1], o);
        for (int c : clients) {
            // One batch for both runs, as a server keeps its own: the warm-up captures the graphs.
            wb::DecodeSlots slots(*model, c, 512);
            run(*model, slots, c, promptLen, 16, false);
            run(*model, slots, c, promptLen, newTokens, true);
        }
    } catch (const std::exception &e) {
        std::fprintf(stderr, "error: %s\n", e.what());
        return 1;
    }
    return 0;
}

// The workbench's sentence encoder (SentenceEncoder, core/model/bert*) on the GPU machine,
// for gpu/bench_embed_st.py's side-by-side run with sentence-transformers. Prints one JSON
// object on stdout.
//
//   wb_gpu_bench_embed MODEL_DIR TEXTS_JSONL [--device cuda|cpu|cuda:N] [--dtype bf16|f16|f32]
//       [--batch 64] [--max-length 0] [--repeat 3] [--warmup 1024] [--threads 0]
//       [--dump FILE --dump-ids FILE --dump-count 256]
//
// TEXTS_JSONL holds one JSON string per line. After loading, encode() runs once on --warmup
// texts spread over the set (every length class, so the kernels for each shape are ready),
// then tokenization alone is timed over all texts, then encode() over all texts --repeat
// times. encode() is what the knowledge base calls: it tokenizes, sorts by length, pads per
// batch, runs the model, pools, normalises and copies each batch back to the host, as
// sentence-transformers' encode() does; its figures therefore include tokenization. The
// model-only figures subtract the separately timed tokenization from it. --dump writes the
// vectors of the first --dump-count texts, from the last timed run, as float32 [count, dim];
// --dump-ids their token ids, one JSON array per line.

#include "common/error.h"
#include "model/bert.h"
#include "model/device_memory.h"

#include <nlohmann/json.hpp>
#include <ATen/Parallel.h>
#include <torch/version.h>

#ifdef WB_CUDA_STATS
#include <c10/cuda/CUDACachingAllocator.h>
#endif

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <exception>
#include <fstream>
#include <functional>
#include <iostream>
#include <map>
#include <string>
#include <vector>

namespace {

using Clock = std::chrono::steady_clock;

double seconds(Clock::time_point since) { return std::chrono::duration<double>(Clock::now() - since).count(); }

std::vector<std::string> readTexts(const std::string &path)
{
    std::ifstream in(path);
    if (!in)
        throw wb::Error(wb::ErrorCode::Io, "cannot read " + path);
    std::vector<std::string> texts;
    std::string line;
    while (std::getline(in, line)) {
        if (line.empty())
            continue;
        const nlohmann::json j = nlohmann::json::parse(line);
        texts.push_back(j.is_string() ? j.get<std::string>() : j.at("text").get<std::string>());
    }
    if (texts.empty())
        throw wb::Error(wb::ErrorCode::Validation, path + " holds no texts");
    return texts;
}

// Peak device memory since the last reset: the CUDA caching allocator's reserved and allocated
// peaks (what torch.cuda.max_memory_reserved / max_memory_allocated report), or the process's
// peak resident set on the CPU.
struct Peak
{
    uint64_t reserved = 0, allocated = 0;
    std::string source;
};

[[maybe_unused]] bool onCuda(const std::string &device) { return device.rfind("cuda", 0) == 0; }

[[maybe_unused]] int cudaIndex(const std::string &device) { return device.size() > 5 ? std::stoi(device.substr(5)) : 0; }

void resetPeak(const std::string &device)
{
#ifdef WB_CUDA_STATS
    if (onCuda(device)) {
        c10::cuda::CUDACachingAllocator::resetPeakStats(cudaIndex(device));
        return;
    }
#endif
    wb::model::resetPeakResident();
}

Peak peak(const std::string &device)
{
#ifdef WB_CUDA_STATS
    if (onCuda(device)) {
        const auto stats = c10::cuda::CUDACachingAllocator::getDeviceStats(cudaIndex(device));
        return {uint64_t(stats.reserved_bytes[0].peak), uint64_t(stats.allocated_bytes[0].peak),
                "cuda caching allocator"};
    }
#endif
    const uint64_t rss = wb::model::peakResidentBytes();
    return {rss, rss, "process peak resident set"};
}

double median(std::vector<double> v)
{
    std::sort(v.begin(), v.end());
    const size_t n = v.size();
    return n % 2 ? v[n / 2] : 0.5 * (v[n / 2 - 1] + v[n / 2]);
}

} // namespace

int main(int argc, char **argv)
{
    if (argc < 3) {
        std::fprintf(stderr,
                     "usage: %s MODEL_DIR TEXTS_JSONL [--device cuda] [--dtype bf16|f16|f32] [--batch 64]\n"
                     "       [--max-length 0] [--repeat 3] [--warmup 1024] [--threads 0] [--dump FILE]\n"
                     "       [--dump-ids FILE] [--dump-count 256]\n",
                     argv[0]);
        return 2;
    }
    try {
        std::map<std::string, std::string> opt = {{"--device", "cuda"}, {"--dtype", "bf16"},  {"--batch", "64"},
                                                  {"--max-length", "0"}, {"--repeat", "3"},    {"--warmup", "1024"},
                                                  {"--threads", "0"},    {"--dump", ""},       {"--dump-count", "256"},
                                                  {"--dump-ids", ""}};
        for (int i = 3; i < argc; i += 2) {
            if (!opt.count(argv[i]) || i + 1 >= argc)
                throw wb::Error(wb::ErrorCode::Validation, std::string("unknown option or missing value: ") + argv[i]);
            opt[argv[i]] = argv[i + 1];
        }
        const std::string device = opt["--device"], dtypeName = opt["--dtype"];
        wb::SentenceEncoderOptions so;
        so.device = device;
        if (dtypeName != "bf16" && dtypeName != "f16" && dtypeName != "f32")
            throw wb::Error(wb::ErrorCode::Validation, "--dtype is bf16, f16 or f32, not " + dtypeName);
        so.dtype = dtypeName == "bf16" ? wb::DType::BF16 : dtypeName == "f16" ? wb::DType::F16 : wb::DType::F32;
        so.maxLength = std::stoll(opt["--max-length"]);
        so.threads = std::stoi(opt["--threads"]);
        const int batch = std::stoi(opt["--batch"]);
        const int repeat = std::max(1, std::stoi(opt["--repeat"]));
        const size_t warmupTexts = size_t(std::max(0, std::stoi(opt["--warmup"])));

        const std::vector<std::string> texts = readTexts(argv[2]);
        auto start = Clock::now();
        const auto encoder = wb::SentenceEncoder::load(argv[1], so);
        const double loadS = seconds(start);

        // Warm-up: every k-th text, so that short and long batches both run once.
        if (warmupTexts > 0) {
            std::vector<std::string> warm;
            const size_t step = std::max<size_t>(1, texts.size() / std::min(texts.size(), warmupTexts));
            for (size_t i = 0; i < texts.size() && warm.size() < warmupTexts; i += step)
                warm.push_back(texts[i]);
            (void)encoder->encode(warm, batch);
        }

        // Tokenization alone, as encode() does it (do_lower_case, [CLS] ... [SEP], truncation).
        start = Clock::now();
        std::vector<size_t> lengths;
        lengths.reserve(texts.size());
        for (const std::string &t : texts)
            lengths.push_back(encoder->tokenize(t).size());
        const double tokenizeS = seconds(start);
        uint64_t tokens = 0;
        for (size_t n : lengths)
            tokens += n;
        // The positions the model computes: encode() sorts by length and pads to each batch's longest.
        std::vector<size_t> sorted = lengths;
        std::sort(sorted.begin(), sorted.end(), std::greater<>());
        uint64_t padded = 0;
        for (size_t i = 0; i < sorted.size(); i += size_t(batch))
            padded += uint64_t(sorted[i]) * std::min(sorted.size() - i, size_t(batch));

        std::vector<double> runs;
        std::vector<std::vector<float>> vectors;
        resetPeak(device);
        for (int r = 0; r < repeat; ++r) {
            start = Clock::now();
            vectors = encoder->encode(texts, batch); // returns host vectors: the device is done
            runs.push_back(seconds(start));
        }
        const Peak p = peak(device);
        const double encodeS = median(runs);
        // Model-only figures need encode() to take longer than tokenizing alone (not so on tiny runs).
        const double modelS = encodeS - tokenizeS;
        const auto modelRate = [&](double count) { return modelS > 0 ? nlohmann::json(count / modelS) : nlohmann::json(); };

        const std::string dumpPath = opt["--dump"];
        size_t dumped = 0;
        if (!dumpPath.empty()) {
            std::ofstream out(dumpPath, std::ios::binary | std::ios::trunc);
            dumped = std::min(vectors.size(), size_t(std::stoul(opt["--dump-count"])));
            for (size_t i = 0; i < dumped; ++i)
                out.write(reinterpret_cast<const char *>(vectors[i].data()),
                          std::streamsize(vectors[i].size() * sizeof(float)));
            if (!out)
                throw wb::Error(wb::ErrorCode::Io, "cannot write " + dumpPath);
        }
        if (!opt["--dump-ids"].empty()) {
            std::ofstream out(opt["--dump-ids"], std::ios::trunc);
            const size_t count = std::min(texts.size(), size_t(std::stoul(opt["--dump-count"])));
            for (size_t i = 0; i < count; ++i)
                out << nlohmann::json(encoder->tokenize(texts[i])).dump() << "\n";
            if (!out)
                throw wb::Error(wb::ErrorCode::Io, "cannot write " + opt["--dump-ids"]);
        }

        const double n = double(texts.size());
        nlohmann::json j = {
            {"impl", "llm-workbench"},
            {"model", encoder->describe()},
            {"parameters", encoder->parameterCount()},
            {"dim", encoder->dim()},
            {"device", device},
            {"dtype", dtypeName},
            {"batch", batch},
            {"max_length", encoder->maxLength()},
            {"texts", texts.size()},
            {"tokens", tokens},
            {"padded_tokens", padded},
            {"load_s", loadS},
            {"tokenize_s", tokenizeS},
            {"encode_s", encodeS},
            {"encode_runs_s", runs},
            {"texts_per_s", n / encodeS},
            {"tokens_per_s", double(tokens) / encodeS},
            {"tokenize_texts_per_s", n / tokenizeS},
            {"model_texts_per_s", modelRate(n)},
            {"model_tokens_per_s", modelRate(double(tokens))},
            {"peak_reserved_bytes", p.reserved},
            {"peak_allocated_bytes", p.allocated},
            {"peak_memory_source", p.source},
            {"dumped", dumped},
            {"unicode", WB_ENCODER_UNICODE},
            {"libtorch", TORCH_VERSION},
            {"intra_op_threads", at::get_num_threads()},
        };
        std::cout << j.dump() << std::endl;
    } catch (const std::exception &e) {
        std::fprintf(stderr, "error: %s\n", e.what());
        return 1;
    }
    return 0;
}

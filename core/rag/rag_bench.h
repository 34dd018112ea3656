#pragma once

#include <nlohmann/json.hpp>

#include <cstdint>
#include <filesystem>
#include <functional>
#include <string>
#include <vector>

namespace wb::rag {

// One size of `llmwb bench rag`: a synthetic corpus ingested into a fresh workspace with the
// hashing embedder, then queried.
struct RagBenchResult
{
    int64_t chunks = 0;
    int dim = 0;
    std::string index;            // "flat" or "hnsw"
    double ingestSeconds = 0;
    double chunksPerSecond = 0;   // whole ingest (read, chunk, FTS, embed, index)
    double embeddingsPerSecond = 0;
    double hybridP50Ms = 0, hybridP95Ms = 0; // KnowledgeBase::search, hybrid, top 10
    double vectorP50Ms = 0, vectorP95Ms = 0; // the faiss search alone
    double recallAt10 = 0;        // of the index in use against exact search (ties count)
    nlohmann::json efSweep = nlohmann::json::array(); // HNSW: [{ef, recall, p50_ms, p95_ms}]
    nlohmann::json toJson() const;
};

struct RagBenchOptions
{
    std::vector<int64_t> sizes = {10000, 100000};
    int dim = 256;
    int queries = 200;
    int64_t hnswThreshold = 20000;
    int efSearch = 1536;
    std::vector<int> efSweep;      // more efSearch values to measure on the same HNSW index
    std::filesystem::path workDir; // scratch space; removed afterwards
};

std::vector<RagBenchResult> benchRag(const RagBenchOptions &options,
                                     const std::function<void(const std::string &)> &log = {});

} // namespace wb::rag

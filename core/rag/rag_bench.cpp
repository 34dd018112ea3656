#include "rag/rag_bench.h"

#include "common/files.h"
#include "common/stats.h"
#include "rag/knowledge_base.h"
#include "store/workspace.h"

#include <algorithm>
#include <chrono>
#include <random>

namespace wb::rag {

namespace fs = std::filesystem;
using nlohmann::json;

json RagBenchResult::toJson() const
{
    return {{"chunks", chunks},
            {"dim", dim},
            {"index", index},
            {"ingest_seconds", ingestSeconds},
            {"chunks_per_second", chunksPerSecond},
            {"embeddings_per_second", embeddingsPerSecond},
            {"hybrid_p50_ms", hybridP50Ms},
            {"hybrid_p95_ms", hybridP95Ms},
            {"vector_p50_ms", vectorP50Ms},
            {"vector_p95_ms", vectorP95Ms},
            {"recall_at_10", recallAt10},
            {"ef_sweep", efSweep}};
}

namespace {

// A Zipf-distributed vocabulary of pronounceable pseudo-words: realistic term statistics for
// BM25 and the hashing vectors without shipping a corpus.
struct Corpus
{
    std::vector<std::string> words;
    std::discrete_distribution<size_t> pick;
    std::mt19937 rng{1234};

    Corpus()
    {
        static const char *syll[] = {"ka", "lo", "mi", "ra", "tu", "sen", "vo", "da", "pel", "qui",
                                     "no", "zar", "fi", "gen", "bo", "lux", "te", "ran", "sha", "wi"};
        std::vector<double> weights;
        for (int i = 0; i < 8000; ++i) {
            std::string w;
            int x = i + 7;
            for (int s = 0; s < 2 + i % 3; ++s) {
                w += syll[x % 20];
                x = x / 20 + s * 7 + i % 11;
            }
            words.push_back(w + std::to_string(i % 97));
            weights.push_back(1.0 / (i + 1));
        }
        pick = std::discrete_distribution<size_t>(weights.begin(), weights.end());
    }
    std::string sentence()
    {
        std::string s;
        const int n = 8 + static_cast<int>(rng() % 8);
        for (int i = 0; i < n; ++i)
            s += (i ? " " : "") + words[pick(rng)];
        return s + ". ";
    }
};


double msSince(std::chrono::steady_clock::time_point t)
{
    return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t).count();
}

} // namespace

std::vector<RagBenchResult> benchRag(const RagBenchOptions &options,
                                     const std::function<void(const std::string &)> &log)
{
    std::vector<RagBenchResult> results;
    const fs::path work = options.workDir.empty() ? fs::temp_directory_path() / "llmwb-bench-rag" : options.workDir;
    for (const int64_t size : options.sizes) {
        fs::remove_all(work);
        Corpus corpus;
        // ~500-character chunks: files of 100 chunks' worth of text, paragraph per chunk.
        const int64_t files = std::max<int64_t>(1, size / 100);
        for (int64_t f = 0; f < files; ++f) {
            std::string text;
            for (int p = 0; p < 100; ++p) {
                std::string para;
                while (para.size() < 420)
                    para += corpus.sentence();
                text += para + "\n\n";
            }
            fs::create_directories(work / "docs");
            writeFileAtomic(work / "docs" / ("doc" + std::to_string(f) + ".txt"), text);
        }
        if (log)
            log("corpus of " + std::to_string(files) + " files written; ingesting");
        auto ws = Workspace::open(work / "ws");
        KnowledgeBase::create(*ws, "bench",
                              json{{"chunker", {{"size", 500}, {"overlap", 0}}},
                                   {"embedder", {{"kind", "hashing"}, {"dim", options.dim}}},
                                   {"index", {{"hnsw_threshold", options.hnswThreshold},
                                              {"ef_search", options.efSearch}}}});
        auto kb = KnowledgeBase::open(*ws, "bench");
        const IngestReport report = kb->ingest({{work / "docs"}, {}});
        RagBenchResult r;
        r.chunks = report.chunks;
        r.dim = options.dim;
        r.index = kb->index().isHnsw() ? "hnsw" : "flat";
        r.ingestSeconds = report.seconds;
        r.chunksPerSecond = report.seconds > 0 ? double(report.chunks) / report.seconds : 0;
        r.embeddingsPerSecond = report.embedSeconds > 0 ? double(report.embedded) / report.embedSeconds : 0;
        if (log)
            log("ingested " + std::to_string(r.chunks) + " chunks in " + std::to_string(r.ingestSeconds) + " s; querying");
        std::vector<double> hybrid, vector;
        int64_t hits = 0, possible = 0;
        for (int q = 0; q < options.queries; ++q) {
            // A held-out sentence from the corpus's own distribution (ANN benchmarks query with
            // held-out points the same way); 8-15 words, like a user's question.
            const std::string query = corpus.sentence();
            auto t = std::chrono::steady_clock::now();
            SearchOptions so;
            so.topK = 10;
            kb->search(query, so);
            hybrid.push_back(msSince(t));
            const std::vector<float> qv = kb->embedder().embed({query}).at(0);
            t = std::chrono::steady_clock::now();
            const auto approx = kb->index().search(qv.data(), 10);
            vector.push_back(msSince(t));
            // Tie-aware: an approximate hit counts when it scores at least the exact 10th
            // (synthetic texts share words, so equal scores are common).
            const auto exact = kb->index().searchExact(qv.data(), 10);
            if (!exact.empty()) {
                const float tenth = exact.back().second;
                for (const auto &a : approx)
                    hits += a.second >= tenth - 1e-6f;
            }
            possible += static_cast<int64_t>(exact.size());
        }
        r.hybridP50Ms = percentile(hybrid, 0.5);
        r.hybridP95Ms = percentile(hybrid, 0.95);
        r.vectorP50Ms = percentile(vector, 0.5);
        r.vectorP95Ms = percentile(vector, 0.95);
        r.recallAt10 = possible > 0 ? double(hits) / double(possible) : 0;
        if (kb->index().isHnsw())
            for (const int ef : options.efSweep) {
                kb->index().setEfSearch(ef);
                std::vector<double> ms;
                int64_t found = 0, total = 0;
                for (int q = 0; q < options.queries; ++q) {
                    const std::vector<float> qv = kb->embedder().embed({corpus.sentence()}).at(0);
                    const auto t = std::chrono::steady_clock::now();
                    const auto approx = kb->index().search(qv.data(), 10);
                    ms.push_back(msSince(t));
                    const auto exact = kb->index().searchExact(qv.data(), 10);
                    for (const auto &a : approx)
                        found += !exact.empty() && a.second >= exact.back().second - 1e-6f;
                    total += static_cast<int64_t>(exact.size());
                }
                r.efSweep.push_back({{"ef", ef},
                                     {"recall_at_10", total ? double(found) / double(total) : 0},
                                     {"p50_ms", percentile(ms, 0.5)},
                                     {"p95_ms", percentile(ms, 0.95)}});
                if (log)
                    log("efSearch " + std::to_string(ef) + ": " + r.efSweep.back().dump());
            }
        results.push_back(r);
        kb.reset();
        ws.reset();
        fs::remove_all(work);
    }
    return results;
}

} // namespace wb::rag

#pragma once

#include <nlohmann/json.hpp>

#include <cstdint>
#include <filesystem>
#include <memory>
#include <set>
#include <string>
#include <utility>
#include <vector>

namespace faiss {
struct Index;
}

namespace wb::rag {

struct IndexSettings
{
    int64_t hnswThreshold = 20000; // exact (flat) search below this many vectors, HNSW above
    int hnswM = 32;
    int efConstruction = 80;
    int efSearch = 1536;
    double rebuildFraction = 0.2;  // rebuild HNSW when this share of its entries are deleted

    nlohmann::json toJson() const;
    static IndexSettings fromJson(const nlohmann::json &j);
};

// Normalised vectors under chunk ids, inner-product search (= cosine). Small collections use
// IndexIDMap2 over IndexFlatIP (exact; deletions remove); large ones HNSW, where a deletion
// leaves a tombstone that searches skip until the periodic rebuild. Not thread-safe.
class VectorIndex final
{
public:
    VectorIndex(int dim, IndexSettings settings);
    ~VectorIndex();
    VectorIndex(const VectorIndex &) = delete;
    VectorIndex &operator=(const VectorIndex &) = delete;

    int dim() const { return m_dim; }
    bool isHnsw() const { return m_hnsw; }
    int64_t size() const; // live vectors
    int64_t tombstones() const { return static_cast<int64_t>(m_deleted.size()); }
    // HNSW search breadth for later searches (recall against latency).
    void setEfSearch(int ef) { m_settings.efSearch = ef; }

    // Vectors are n × dim floats, already normalised. An id already present is replaced.
    void add(const std::vector<int64_t> &ids, const float *vectors);
    void remove(const std::vector<int64_t> &ids);
    // Best k (id, inner product), best first.
    std::vector<std::pair<int64_t, float>> search(const float *query, int k) const;
    // Brute force over the stored vectors, whatever the index kind (for recall checks).
    std::vector<std::pair<int64_t, float>> searchExact(const float *query, int k) const;
    std::vector<int64_t> ids() const; // live ids, sorted
    std::vector<float> vector(int64_t id) const;

    // Switches flat <-> HNSW by size and drops tombstones when there are too many; returns
    // true when it rebuilt.
    bool maintain();
    void rebuild(bool hnsw);

    // File: "WBKV1\n", a JSON header line {dim, hnsw, revision, deleted}, then faiss's bytes.
    // Written atomically.
    void save(const std::filesystem::path &file, int64_t revision) const;
    // Returns nullptr (and why) when the file is missing, damaged or of another dimension.
    static std::unique_ptr<VectorIndex> load(const std::filesystem::path &file, int dim,
                                             IndexSettings settings, int64_t *revision,
                                             std::string *why);

private:
    void makeEmpty(bool hnsw);
    int m_dim;
    IndexSettings m_settings;
    bool m_hnsw = false;
    std::unique_ptr<faiss::Index> m_index; // IndexIDMap2 over flat or HNSW
    std::set<int64_t> m_deleted;
};

} // namespace wb::rag

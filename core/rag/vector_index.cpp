#include "rag/vector_index.h"

#include "common/error.h"
#include "common/files.h"

#include <faiss/IndexFlat.h>
#include <faiss/IndexHNSW.h>
#include <faiss/IndexIDMap.h>
#include <faiss/impl/io.h>
#include <faiss/index_io.h>

#include <algorithm>
#include <sstream>

namespace wb::rag {

namespace fs = std::filesystem;

nlohmann::json IndexSettings::toJson() const
{
    return {{"hnsw_threshold", hnswThreshold}, {"hnsw_m", hnswM}, {"ef_construction", efConstruction},
            {"ef_search", efSearch}, {"rebuild_fraction", rebuildFraction}};
}

IndexSettings IndexSettings::fromJson(const nlohmann::json &j)
{
    IndexSettings s;
    if (!j.is_object())
        return s;
    s.hnswThreshold = j.value("hnsw_threshold", s.hnswThreshold);
    s.hnswM = std::clamp(j.value("hnsw_m", s.hnswM), 4, 128);
    s.efConstruction = std::clamp(j.value("ef_construction", s.efConstruction), 8, 2048);
    s.efSearch = std::clamp(j.value("ef_search", s.efSearch), 8, 4096);
    s.rebuildFraction = std::clamp(j.value("rebuild_fraction", s.rebuildFraction), 0.01, 0.9);
    return s;
}

namespace {

faiss::IndexIDMap2 *idMap(const std::unique_ptr<faiss::Index> &index)
{
    return static_cast<faiss::IndexIDMap2 *>(index.get());
}

} // namespace

VectorIndex::VectorIndex(int dim, IndexSettings settings) : m_dim(dim), m_settings(settings)
{
    if (dim <= 0)
        throw Error(ErrorCode::Validation, "vector dimension must be positive");
    makeEmpty(false);
}

VectorIndex::~VectorIndex() = default;

void VectorIndex::makeEmpty(bool hnsw)
{
    faiss::Index *inner = nullptr;
    if (hnsw) {
        auto *h = new faiss::IndexHNSWFlat(m_dim, m_settings.hnswM, faiss::METRIC_INNER_PRODUCT);
        h->hnsw.efConstruction = m_settings.efConstruction;
        h->hnsw.efSearch = m_settings.efSearch;
        inner = h;
    } else {
        inner = new faiss::IndexFlatIP(m_dim);
    }
    auto *map = new faiss::IndexIDMap2(inner);
    map->own_fields = true;
    m_index.reset(map);
    m_hnsw = hnsw;
    m_deleted.clear();
}

int64_t VectorIndex::size() const
{
    return static_cast<int64_t>(m_index->ntotal) - static_cast<int64_t>(m_deleted.size());
}

void VectorIndex::add(const std::vector<int64_t> &ids, const float *vectors)
{
    if (ids.empty())
        return;
    auto *map = idMap(m_index);
    std::vector<int64_t> present;
    for (const int64_t id : ids)
        if (map->rev_map.count(id))
            present.push_back(id);
    if (!present.empty()) {
        if (m_hnsw) {
            // HNSW cannot remove: drop the old entries by rebuilding without them.
            m_deleted.insert(present.begin(), present.end());
            rebuild(true);
        } else {
            remove(present);
        }
    }
    std::vector<faiss::Index::idx_t> fids(ids.begin(), ids.end());
    idMap(m_index)->add_with_ids(static_cast<faiss::Index::idx_t>(ids.size()), vectors, fids.data());
}

void VectorIndex::remove(const std::vector<int64_t> &ids)
{
    auto *map = idMap(m_index);
    std::vector<faiss::Index::idx_t> live;
    for (const int64_t id : ids)
        if (map->rev_map.count(id) && !m_deleted.count(id))
            live.push_back(id);
    if (live.empty())
        return;
    if (m_hnsw) {
        m_deleted.insert(live.begin(), live.end());
        return;
    }
    faiss::IDSelectorArray sel(live.size(), live.data());
    map->remove_ids(sel);
}

namespace {

// Searches `index` for k results, asking for more while tombstones fill the list.
template <typename Map>
std::vector<std::pair<int64_t, float>> searchSkipping(faiss::Index *index, const float *query,
                                                      int k, int64_t total,
                                                      const std::set<int64_t> &deleted, Map toId)
{
    std::vector<std::pair<int64_t, float>> out;
    if (k <= 0 || total <= 0)
        return out;
    int64_t want = std::min<int64_t>(total, k + std::min<int64_t>(static_cast<int64_t>(deleted.size()), 64));
    while (true) {
        std::vector<float> d(static_cast<size_t>(want));
        std::vector<faiss::Index::idx_t> l(static_cast<size_t>(want));
        if (auto *h = dynamic_cast<faiss::IndexHNSW *>(index))
            h->hnsw.efSearch = std::max<int>(h->hnsw.efSearch, static_cast<int>(want));
        index->search(1, query, want, d.data(), l.data());
        out.clear();
        for (int64_t i = 0; i < want && static_cast<int>(out.size()) < k; ++i) {
            if (l[static_cast<size_t>(i)] < 0)
                break;
            const int64_t id = toId(l[static_cast<size_t>(i)]);
            if (!deleted.count(id))
                out.emplace_back(id, d[static_cast<size_t>(i)]);
        }
        if (static_cast<int>(out.size()) >= k || want >= total)
            return out;
        want = std::min<int64_t>(total, want * 2);
    }
}

} // namespace

std::vector<std::pair<int64_t, float>> VectorIndex::search(const float *query, int k) const
{
    auto *map = idMap(m_index);
    if (m_hnsw) {
        auto *h = static_cast<faiss::IndexHNSW *>(map->index);
        h->hnsw.efSearch = m_settings.efSearch;
    }
    return searchSkipping(map, query, k, map->ntotal, m_deleted, [](faiss::Index::idx_t l) { return l; });
}

std::vector<std::pair<int64_t, float>> VectorIndex::searchExact(const float *query, int k) const
{
    auto *map = idMap(m_index);
    faiss::Index *flat = m_hnsw ? static_cast<faiss::IndexHNSW *>(map->index)->storage : map->index;
    return searchSkipping(flat, query, k, map->ntotal, m_deleted,
                          [map](faiss::Index::idx_t l) { return map->id_map[static_cast<size_t>(l)]; });
}

std::vector<int64_t> VectorIndex::ids() const
{
    std::vector<int64_t> out;
    for (const faiss::Index::idx_t id : idMap(m_index)->id_map)
        if (!m_deleted.count(id))
            out.push_back(id);
    std::sort(out.begin(), out.end());
    return out;
}

std::vector<float> VectorIndex::vector(int64_t id) const
{
    std::vector<float> v(static_cast<size_t>(m_dim));
    idMap(m_index)->reconstruct(id, v.data());
    return v;
}

void VectorIndex::rebuild(bool hnsw)
{
    auto *map = idMap(m_index);
    std::vector<int64_t> keep;
    std::vector<float> data;
    for (size_t i = 0; i < map->id_map.size(); ++i) {
        const int64_t id = map->id_map[i];
        if (m_deleted.count(id))
            continue;
        keep.push_back(id);
        const size_t at = data.size();
        data.resize(at + static_cast<size_t>(m_dim));
        map->index->reconstruct(static_cast<faiss::Index::idx_t>(i), data.data() + at);
    }
    std::unique_ptr<faiss::Index> old = std::move(m_index);
    makeEmpty(hnsw);
    std::vector<faiss::Index::idx_t> fids(keep.begin(), keep.end());
    idMap(m_index)->add_with_ids(static_cast<faiss::Index::idx_t>(keep.size()), data.data(), fids.data());
}

bool VectorIndex::maintain()
{
    const bool wantHnsw = size() >= m_settings.hnswThreshold;
    const bool tooManyDeleted =
        m_hnsw && m_index->ntotal > 0 &&
        double(m_deleted.size()) / double(m_index->ntotal) > m_settings.rebuildFraction;
    if (wantHnsw == m_hnsw && !tooManyDeleted)
        return false;
    rebuild(wantHnsw);
    return true;
}

void VectorIndex::save(const fs::path &file, int64_t revision) const
{
    faiss::VectorIOWriter writer;
    faiss::write_index(m_index.get(), &writer);
    const nlohmann::json header = {{"dim", m_dim}, {"hnsw", m_hnsw}, {"revision", revision},
                                   {"deleted", std::vector<int64_t>(m_deleted.begin(), m_deleted.end())}};
    std::string bytes = "WBKV1\n" + header.dump() + "\n";
    bytes.append(reinterpret_cast<const char *>(writer.data.data()), writer.data.size());
    fs::create_directories(file.parent_path());
    writeFileAtomic(file, bytes);
}

std::unique_ptr<VectorIndex> VectorIndex::load(const fs::path &file, int dim, IndexSettings settings,
                                               int64_t *revision, std::string *why)
{
    std::error_code ec;
    if (!fs::exists(file, ec)) {
        *why = "no index file";
        return nullptr;
    }
    std::string bytes;
    try {
        bytes = readFile(file);
    } catch (const Error &e) {
        *why = e.message();
        return nullptr;
    }
    const size_t nl1 = bytes.find('\n');
    const size_t nl2 = nl1 == std::string::npos ? nl1 : bytes.find('\n', nl1 + 1);
    if (bytes.compare(0, 6, "WBKV1\n") != 0 || nl2 == std::string::npos) {
        *why = "index file has no WBKV1 header";
        return nullptr;
    }
    const auto header = nlohmann::json::parse(bytes.substr(nl1 + 1, nl2 - nl1 - 1), nullptr, false);
    if (header.is_discarded() || header.value("dim", 0) != dim) {
        *why = "index file header is damaged or of another dimension";
        return nullptr;
    }
    auto index = std::make_unique<VectorIndex>(dim, settings);
    try {
        faiss::VectorIOReader reader;
        reader.data.assign(bytes.begin() + static_cast<std::ptrdiff_t>(nl2 + 1), bytes.end());
        std::unique_ptr<faiss::Index> raw(faiss::read_index(&reader));
        if (!dynamic_cast<faiss::IndexIDMap2 *>(raw.get()) || raw->d != dim) {
            *why = "index file holds another kind of faiss index";
            return nullptr;
        }
        index->m_index = std::move(raw);
    } catch (const std::exception &e) {
        *why = std::string("faiss could not read the index: ") + e.what();
        return nullptr;
    }
    index->m_hnsw = header.value("hnsw", false);
    for (const int64_t id : header.value("deleted", std::vector<int64_t>{}))
        index->m_deleted.insert(id);
    *revision = header.value("revision", int64_t(-1));
    return index;
}

} // namespace wb::rag

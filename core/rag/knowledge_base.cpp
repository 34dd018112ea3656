#include "rag/knowledge_base.h"

#include "common/error.h"
#include "common/files.h"
#include "store/workspace.h"

#include <algorithm>
#include <cstring>

namespace wb::rag {

namespace fs = std::filesystem;
using nlohmann::json;

namespace {

CollectionInfo readInfo(Statement &st)
{
    CollectionInfo c;
    c.id = st.int64(0);
    c.name = st.text(1);
    c.description = st.text(2);
    c.settings = json::parse(st.text(3), nullptr, false);
    if (c.settings.is_discarded() || !c.settings.is_object())
        c.settings = json::object();
    c.embedder = st.text(4);
    c.dim = static_cast<int>(st.int64(5));
    c.revision = st.int64(6);
    c.createdAt = st.text(7);
    return c;
}

constexpr const char *kSelectCollection =
    "SELECT id, name, description, settings, embedder, dim, revision, created_at FROM kb_collections";

} // namespace

json CollectionStats::toJson() const
{
    return {{"documents", documents}, {"indexed", indexed},     {"pending", pending},
            {"skipped", skipped},     {"failed", failed},       {"duplicates", duplicates},
            {"chunks", chunks},       {"vectors", vectors},     {"index_vectors", indexVectors},
            {"tombstones", tombstones}, {"index", hnsw ? "hnsw" : "flat"}};
}

CollectionInfo KnowledgeBase::create(Workspace &ws, const std::string &name, json settings,
                                     const std::string &description)
{
    if (name.empty())
        throw Error(ErrorCode::Validation, "a collection needs a name");
    if (!settings.is_object())
        settings = json::object();
    // Normalise (and validate) every part so the stored settings are complete.
    settings["chunker"] = ChunkerSettings::fromJson(settings.value("chunker", json::object())).toJson();
    if (!settings.contains("embedder"))
        settings["embedder"] = {{"kind", "hashing"}, {"dim", 384}};
    makeEmbedder(settings["embedder"]); // refuses unknown kinds now, not at the first ingest
    settings["index"] = IndexSettings::fromJson(settings.value("index", json::object())).toJson();
    ws.withDb([&](Database &db) {
        auto exists = db.prepare("SELECT 1 FROM kb_collections WHERE name = ?");
        exists.bind(1, name);
        if (exists.step())
            throw Error(ErrorCode::Conflict, "a collection named '" + name + "' already exists");
        const std::string now = nowIso8601();
        db.prepare("INSERT INTO kb_collections(name, description, settings, created_at, updated_at) "
                   "VALUES(?, ?, ?, ?, ?)")
            .bind(1, name)
            .bind(2, description)
            .bind(3, settings.dump())
            .bind(4, now)
            .bind(5, now)
            .exec();
    });
    return info(ws, name);
}

std::vector<CollectionInfo> KnowledgeBase::list(Workspace &ws)
{
    return ws.withDb([&](Database &db) {
        std::vector<CollectionInfo> out;
        auto st = db.prepare(std::string(kSelectCollection) + " ORDER BY name");
        while (st.step())
            out.push_back(readInfo(st));
        return out;
    });
}

CollectionInfo KnowledgeBase::info(Workspace &ws, const std::string &name)
{
    return ws.withDb([&](Database &db) {
        auto st = db.prepare(std::string(kSelectCollection) + " WHERE name = ?");
        st.bind(1, name);
        if (!st.step())
            throw Error(ErrorCode::NotFound, "no knowledge-base collection named '" + name + "'");
        return readInfo(st);
    });
}

void KnowledgeBase::drop(Workspace &ws, const std::string &name)
{
    const CollectionInfo c = info(ws, name);
    ws.withDb([&](Database &db) {
        db.transaction([&] {
            db.prepare("DELETE FROM kb_collections WHERE id = ?").bind(1, c.id).exec();
        });
    });
    std::error_code ec;
    fs::remove(ws.filesDir() / "kb" / (std::to_string(c.id) + ".faiss"), ec);
}

std::vector<DocumentInfo> KnowledgeBase::documents(Workspace &ws, const std::string &name)
{
    const CollectionInfo c = info(ws, name);
    return ws.withDb([&](Database &db) {
        std::vector<DocumentInfo> out;
        auto st = db.prepare("SELECT id, path, kind, state, error, warnings, duplicate_of, pages, size_bytes, "
                             "chars, chunk_count, added_at, indexed_at, options FROM kb_documents "
                             "WHERE collection_id = ? ORDER BY path");
        st.bind(1, c.id);
        while (st.step()) {
            DocumentInfo d;
            d.id = st.int64(0);
            d.path = st.text(1);
            d.kind = st.text(2);
            d.state = st.text(3);
            d.error = st.text(4);
            const json warnings = json::parse(st.text(5), nullptr, false);
            if (warnings.is_array())
                for (const auto &w : warnings)
                    if (w.is_string())
                        d.warnings.push_back(w.get<std::string>());
            d.duplicateOf = st.isNull(6) ? 0 : st.int64(6);
            d.pages = static_cast<int>(st.int64(7));
            d.sizeBytes = st.int64(8);
            d.chars = st.int64(9);
            d.chunks = st.int64(10);
            d.addedAt = st.text(11);
            d.indexedAt = st.isNull(12) ? std::string() : st.text(12);
            const json options = json::parse(st.text(13), nullptr, false);
            if (options.is_object())
                d.textField = options.value("text_field", "");
            out.push_back(std::move(d));
        }
        return out;
    });
}

std::unique_ptr<KnowledgeBase> KnowledgeBase::open(Workspace &ws, const std::string &name,
                                                   std::unique_ptr<Embedder> embedder)
{
    CollectionInfo c = info(ws, name);
    if (!embedder)
        embedder = makeEmbedder(c.settings.value("embedder", json::object()));
    std::unique_ptr<KnowledgeBase> kb(new KnowledgeBase(ws, std::move(c), std::move(embedder)));
    kb->loadIndex();
    return kb;
}

KnowledgeBase::KnowledgeBase(Workspace &ws, CollectionInfo info, std::unique_ptr<Embedder> embedder)
    : m_ws(ws), m_info(std::move(info)), m_embedder(std::move(embedder))
{
}

KnowledgeBase::~KnowledgeBase() = default;

fs::path KnowledgeBase::indexFile() const
{
    return m_ws.filesDir() / "kb" / (std::to_string(m_info.id) + ".faiss");
}

void KnowledgeBase::refreshInfo() { m_info = info(m_ws, m_info.name); }

std::vector<int64_t> KnowledgeBase::storedVectorIds()
{
    return m_ws.withDb([&](Database &db) {
        std::vector<int64_t> ids;
        auto st = db.prepare("SELECT v.chunk_id FROM kb_vectors v JOIN kb_chunks c ON c.id = v.chunk_id "
                             "JOIN kb_documents d ON d.id = c.document_id WHERE d.collection_id = ? "
                             "ORDER BY v.chunk_id");
        st.bind(1, m_info.id);
        while (st.step())
            ids.push_back(st.int64(0));
        return ids;
    });
}

void KnowledgeBase::loadIndex()
{
    const IndexSettings settings = IndexSettings::fromJson(m_info.settings.value("index", json::object()));
    if (m_info.dim == 0) { // nothing embedded yet
        m_index = std::make_unique<VectorIndex>(std::max(1, m_embedder->dim()), settings);
        return;
    }
    int64_t revision = -1;
    std::string why;
    m_index = VectorIndex::load(indexFile(), m_info.dim, settings, &revision, &why);
    if (m_index) {
        why = checkConsistency();
        if (why.empty() && revision != m_info.revision)
            why = "the index was saved at revision " + std::to_string(revision) +
                  ", the database is at " + std::to_string(m_info.revision);
    }
    if (!why.empty()) {
        const int64_t stored = static_cast<int64_t>(storedVectorIds().size());
        m_openMessage = "the vector index of '" + m_info.name + "' did not match its chunk table (" +
                        why + "): rebuilt from the " + std::to_string(stored) + " stored vectors";
        rebuildIndexFromDatabase();
        saveIndex();
    }
}

std::string KnowledgeBase::checkConsistency()
{
    const std::vector<int64_t> stored = storedVectorIds();
    const std::vector<int64_t> indexed = m_index ? m_index->ids() : std::vector<int64_t>{};
    if (stored == indexed)
        return {};
    std::vector<int64_t> missing, extra;
    std::set_difference(stored.begin(), stored.end(), indexed.begin(), indexed.end(),
                        std::back_inserter(missing));
    std::set_difference(indexed.begin(), indexed.end(), stored.begin(), stored.end(),
                        std::back_inserter(extra));
    return std::to_string(indexed.size()) + " vectors in the index, " + std::to_string(stored.size()) +
           " in the database; " + std::to_string(missing.size()) + " missing, " +
           std::to_string(extra.size()) + " extra";
}

void KnowledgeBase::rebuildIndexFromDatabase()
{
    const IndexSettings settings = IndexSettings::fromJson(m_info.settings.value("index", json::object()));
    m_index = std::make_unique<VectorIndex>(m_info.dim, settings);
    std::vector<int64_t> ids;
    std::vector<float> data;
    m_ws.withDb([&](Database &db) {
        auto st = db.prepare("SELECT v.chunk_id, v.vector FROM kb_vectors v JOIN kb_chunks c ON c.id = "
                             "v.chunk_id JOIN kb_documents d ON d.id = c.document_id WHERE "
                             "d.collection_id = ? ORDER BY v.chunk_id");
        st.bind(1, m_info.id);
        while (st.step()) {
            const std::string blob = st.blob(1);
            if (blob.size() != static_cast<size_t>(m_info.dim) * sizeof(float))
                throw Error(ErrorCode::Database, "stored vector of chunk " + std::to_string(st.int64(0)) +
                                                     " has " + std::to_string(blob.size()) + " bytes, not " +
                                                     std::to_string(m_info.dim * 4));
            ids.push_back(st.int64(0));
            const size_t at = data.size();
            data.resize(at + static_cast<size_t>(m_info.dim));
            std::memcpy(data.data() + at, blob.data(), blob.size());
        }
    });
    m_index->add(ids, data.data());
    m_index->maintain();
}

void KnowledgeBase::saveIndex()
{
    m_index->maintain();
    m_index->save(indexFile(), m_info.revision);
    m_lastSaveMs = steadyMillis();
}

void KnowledgeBase::removeDocuments(Database &db, const std::vector<int64_t> &docIds)
{
    std::vector<int64_t> chunkIds;
    for (const int64_t doc : docIds) {
        auto st = db.prepare("SELECT id FROM kb_chunks WHERE document_id = ?");
        st.bind(1, doc);
        while (st.step())
            chunkIds.push_back(st.int64(0));
        // A duplicate of a removed file now stands for itself.
        db.prepare("UPDATE kb_documents SET state = 'pending', duplicate_of = NULL "
                   "WHERE duplicate_of = ?").bind(1, doc).exec();
        db.prepare("DELETE FROM kb_documents WHERE id = ?").bind(1, doc).exec();
    }
    db.prepare("UPDATE kb_collections SET revision = revision + 1, updated_at = ? WHERE id = ?")
        .bind(1, nowIso8601())
        .bind(2, m_info.id)
        .exec();
    m_index->remove(chunkIds);
}

int64_t KnowledgeBase::remove(const std::vector<fs::path> &paths)
{
    int64_t removed = 0;
    m_ws.withDb([&](Database &db) {
        db.transaction([&] {
            for (const fs::path &p : paths) {
                const std::string abs = fs::absolute(p).lexically_normal().string();
                std::string prefix = abs;
                if (prefix.empty() || prefix.back() != '/')
                    prefix += '/';
                std::vector<int64_t> docs;
                auto st = db.prepare("SELECT id FROM kb_documents WHERE collection_id = ? AND "
                                     "(path = ? OR substr(path, 1, length(?)) = ?)");
                st.bind(1, m_info.id).bind(2, abs).bind(3, prefix).bind(4, prefix);
                while (st.step())
                    docs.push_back(st.int64(0));
                db.prepare("DELETE FROM kb_sources WHERE collection_id = ? AND "
                           "(path = ? OR substr(path, 1, length(?)) = ?)")
                    .bind(1, m_info.id).bind(2, abs).bind(3, prefix).bind(4, prefix).exec();
                removeDocuments(db, docs);
                removed += static_cast<int64_t>(docs.size());
            }
        });
    });
    refreshInfo();
    saveIndex();
    return removed;
}

CollectionStats KnowledgeBase::stats()
{
    CollectionStats s;
    m_ws.withDb([&](Database &db) {
        auto st = db.prepare("SELECT state, count(*) FROM kb_documents WHERE collection_id = ? GROUP BY state");
        st.bind(1, m_info.id);
        while (st.step()) {
            const std::string state = st.text(0);
            const int64_t n = st.int64(1);
            s.documents += n;
            if (state == "indexed")
                s.indexed = n;
            else if (state == "pending" || state == "chunked")
                s.pending += n;
            else if (state == "skipped")
                s.skipped = n;
            else if (state == "failed")
                s.failed = n;
            else if (state == "duplicate")
                s.duplicates = n;
        }
        auto c = db.prepare("SELECT count(*) FROM kb_chunks c JOIN kb_documents d ON d.id = c.document_id "
                            "WHERE d.collection_id = ?");
        c.bind(1, m_info.id);
        c.step();
        s.chunks = c.int64(0);
    });
    s.vectors = static_cast<int64_t>(storedVectorIds().size());
    s.indexVectors = m_index->size();
    s.tombstones = m_index->tombstones();
    s.hnsw = m_index->isHnsw();
    return s;
}

} // namespace wb::rag

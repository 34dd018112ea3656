// Ingest: scan -> read + chunk (committed per document) -> embed (committed per batch).
// Every step leaves the workspace in a state the next run continues from.
#include "rag/knowledge_base.h"

#include "common/error.h"
#include "common/files.h"
#include "common/sha256.h"
#include "common/text.h"
#include "jobs/job.h"
#include "rag/segment.h"
#include "store/workspace.h"
#include "tokenizer/tokenizer.h"

#include <algorithm>
#include <map>
#include <cstring>
#include <set>

namespace wb::rag {

namespace fs = std::filesystem;
using nlohmann::json;

json IngestReport::toJson() const
{
    json skippedJson = json::array();
    for (const auto &s : skippedFiles)
        skippedJson.push_back({{"path", s.path}, {"reason", s.reason}});
    return {{"files_seen", filesSeen}, {"added", added}, {"changed", changed},
            {"unchanged", unchanged},  {"removed", removed}, {"processed", processed},
            {"skipped", skipped},      {"failed", failed},   {"duplicates", duplicates},
            {"chunks", chunks},        {"embedded", embedded}, {"reused_vectors", reusedVectors},
            {"seconds", seconds},      {"embed_seconds", embedSeconds},
            {"skipped_files", skippedJson}, {"warnings", warnings}};
}

namespace {

int64_t mtimeNs(const fs::path &p)
{
    std::error_code ec;
    const auto t = fs::last_write_time(p, ec);
    return ec ? 0 : static_cast<int64_t>(t.time_since_epoch().count());
}

bool hidden(const fs::path &p)
{
    const std::string name = p.filename().string();
    return !name.empty() && name[0] == '.';
}

void checkCancel(JobContext *ctx)
{
    if (ctx)
        ctx->throwIfCancelled();
}

} // namespace

IngestReport KnowledgeBase::ingest(const IngestRequest &request, JobContext *ctx)
{
    IngestReport report;
    const int64_t t0 = steadyMillis();
    const json options = request.options.textField.empty() ? json::object()
                                                           : json{{"text_field", request.options.textField}};
    // 1. Scan the given paths; record sources and new or changed files.
    std::vector<std::pair<fs::path, int64_t>> files; // path, source id
    // Without paths, the sources added before are scanned again (a sync).
    std::vector<std::pair<fs::path, json>> roots;
    std::map<int64_t, json> sourceOptions;
    for (const fs::path &p : request.paths)
        roots.emplace_back(p, options);
    if (roots.empty())
        m_ws.withDb([&](Database &db) {
            auto st = db.prepare("SELECT path, options FROM kb_sources WHERE collection_id = ? ORDER BY id");
            st.bind(1, m_info.id);
            while (st.step()) {
                std::error_code ec;
                if (fs::exists(st.text(0), ec))
                    roots.emplace_back(st.text(0), json::parse(st.text(1), nullptr, false));
            }
        });
    m_ws.withDb([&](Database &db) {
        db.transaction([&] {
            for (const auto &[given, rootOptions] : roots) {
                const json &options = rootOptions;
                const fs::path abs = fs::absolute(given).lexically_normal();
                std::error_code ec;
                if (!fs::exists(abs, ec))
                    throw Error(ErrorCode::Io, "no such file or folder", abs.string());
                db.prepare("INSERT INTO kb_sources(collection_id, path, options, added_at) VALUES(?, ?, ?, ?) "
                           "ON CONFLICT(collection_id, path) DO UPDATE SET options = excluded.options")
                    .bind(1, m_info.id).bind(2, abs.string()).bind(3, options.dump()).bind(4, nowIso8601())
                    .exec();
                auto src = db.prepare("SELECT id FROM kb_sources WHERE collection_id = ? AND path = ?");
                src.bind(1, m_info.id).bind(2, abs.string());
                src.step();
                const int64_t sourceId = src.int64(0);
                sourceOptions[sourceId] = options;
                if (fs::is_directory(abs, ec)) {
                    for (auto it = fs::recursive_directory_iterator(
                             abs, fs::directory_options::skip_permission_denied, ec);
                         it != fs::recursive_directory_iterator(); it.increment(ec)) {
                        if (ec)
                            break;
                        if (hidden(it->path())) {
                            if (it->is_directory())
                                it.disable_recursion_pending();
                            continue;
                        }
                        if (it->is_regular_file() && !documentKind(it->path()).empty())
                            files.emplace_back(it->path(), sourceId);
                    }
                } else {
                    files.emplace_back(abs, sourceId);
                }
            }
            std::sort(files.begin(), files.end());
            for (const auto &[path, sourceId] : files) {
                ++report.filesSeen;
                const int64_t mtime = mtimeNs(path);
                std::error_code ec;
                const auto size = static_cast<int64_t>(fs::file_size(path, ec));
                auto st = db.prepare("SELECT id, mtime_ns, size_bytes, content_hash, state FROM kb_documents "
                                     "WHERE collection_id = ? AND path = ?");
                st.bind(1, m_info.id).bind(2, path.string());
                if (!st.step()) {
                    db.prepare("INSERT INTO kb_documents(collection_id, source_id, path, kind, options, mtime_ns, "
                               "size_bytes, state, added_at) VALUES(?, ?, ?, ?, ?, ?, ?, 'pending', ?)")
                        .bind(1, m_info.id).bind(2, sourceId).bind(3, path.string())
                        .bind(4, documentKind(path)).bind(5, sourceOptions[sourceId].dump()).bind(6, mtime).bind(7, size)
                        .bind(8, nowIso8601())
                        .exec();
                    ++report.added;
                    continue;
                }
                const int64_t id = st.int64(0);
                const std::string state = st.text(4);
                if (st.int64(1) == mtime && st.int64(2) == size && state != "failed") {
                    ++report.unchanged;
                    continue;
                }
                const std::string hash = Sha256::hex(readFile(path));
                if (hash == st.text(3) && (state == "indexed" || state == "skipped" || state == "duplicate")) {
                    db.prepare("UPDATE kb_documents SET mtime_ns = ?, size_bytes = ? WHERE id = ?")
                        .bind(1, mtime).bind(2, size).bind(3, id).exec();
                    ++report.unchanged;
                    continue;
                }
                // Changed: its old chunks go (their vectors kept aside); the file is read again.
                std::vector<int64_t> chunkIds;
                auto ch = db.prepare("SELECT c.id, c.text_hash, v.vector FROM kb_chunks c LEFT JOIN kb_vectors v "
                                     "ON v.chunk_id = c.id WHERE c.document_id = ?");
                ch.bind(1, id);
                while (ch.step()) {
                    chunkIds.push_back(ch.int64(0));
                    if (!ch.isNull(2))
                        m_replacedVectors[ch.text(1)] = ch.blob(2);
                }
                db.prepare("DELETE FROM kb_chunks WHERE document_id = ?").bind(1, id).exec();
                db.prepare("UPDATE kb_documents SET state = 'pending', error = '', warnings = '[]', "
                           "duplicate_of = NULL, chunk_count = 0, options = ?, mtime_ns = ?, size_bytes = ? "
                           "WHERE id = ?")
                    .bind(1, sourceOptions[sourceId].dump()).bind(2, mtime).bind(3, size).bind(4, id).exec();
                db.prepare("UPDATE kb_documents SET state = 'pending', duplicate_of = NULL WHERE duplicate_of = ?")
                    .bind(1, id).exec();
                db.prepare("UPDATE kb_collections SET revision = revision + 1 WHERE id = ?").bind(1, m_info.id).exec();
                m_index->remove(chunkIds);
                ++report.changed;
            }
            // Files that are gone leave the collection.
            std::vector<int64_t> gone;
            auto all = db.prepare("SELECT id, path FROM kb_documents WHERE collection_id = ?");
            all.bind(1, m_info.id);
            while (all.step()) {
                std::error_code ec;
                if (!fs::exists(all.text(1), ec))
                    gone.push_back(all.int64(0));
            }
            if (!gone.empty())
                removeDocuments(db, gone);
            report.removed = static_cast<int64_t>(gone.size());
        });
    });
    refreshInfo();

    // 2. Read and chunk every pending document, one transaction each.
    std::vector<int64_t> pending = m_ws.withDb([&](Database &db) {
        std::vector<int64_t> ids;
        auto st = db.prepare("SELECT id FROM kb_documents WHERE collection_id = ? AND state = 'pending' ORDER BY id");
        st.bind(1, m_info.id);
        while (st.step())
            ids.push_back(st.int64(0));
        return ids;
    });
    for (size_t i = 0; i < pending.size(); ++i) {
        checkCancel(ctx);
        if (ctx)
            ctx->progress(0.3 * double(i) / double(pending.size()),
                          "reading file " + std::to_string(i + 1) + " of " + std::to_string(pending.size()),
                          {{"files", static_cast<int64_t>(i)}, {"files_total", static_cast<int64_t>(pending.size())},
                           {"chunks", report.chunks}});
        processDocument(pending[i], report);
    }
    refreshInfo();

    // 3. Embed the chunks that have no vector yet.
    try {
        embedPending(report, ctx);
    } catch (...) {
        refreshInfo();
        saveIndex(); // what was embedded stays usable
        throw;
    }
    refreshInfo();
    saveIndex();
    report.seconds = double(steadyMillis() - t0) / 1000.0;
    if (ctx)
        ctx->progress(1.0, "indexed", {{"files", report.processed}, {"chunks", report.chunks},
                                       {"embedded", report.embedded}});
    return report;
}

void KnowledgeBase::processDocument(int64_t docId, IngestReport &report)
{
    std::string path, kind, optionsText;
    m_ws.withDb([&](Database &db) {
        auto st = db.prepare("SELECT path, kind, options FROM kb_documents WHERE id = ?");
        st.bind(1, docId);
        if (st.step()) {
            path = st.text(0);
            kind = st.text(1);
            optionsText = st.text(2);
        }
    });
    if (path.empty())
        return;
    ++report.processed;
    auto finish = [&](const std::string &state, const std::string &error, const std::string &hash,
                      int64_t duplicateOf) {
        m_ws.withDb([&](Database &db) {
            auto st = db.prepare("UPDATE kb_documents SET state = ?, error = ?, content_hash = ?, "
                                 "duplicate_of = ? WHERE id = ?");
            st.bind(1, state).bind(2, error).bind(3, hash);
            if (duplicateOf > 0)
                st.bind(4, duplicateOf);
            else
                st.bindNull(4);
            st.bind(5, docId).exec();
        });
        if (!error.empty())
            report.skippedFiles.push_back({path, error});
    };
    std::string bytes;
    try {
        bytes = readFile(path);
    } catch (const Error &e) {
        ++report.failed;
        finish("failed", e.message(), "", 0);
        return;
    }
    const std::string hash = Sha256::hex(bytes);
    const int64_t original = m_ws.withDb([&](Database &db) -> int64_t {
        auto st = db.prepare("SELECT id FROM kb_documents WHERE collection_id = ? AND content_hash = ? AND "
                             "id != ? AND state IN ('chunked', 'indexed') ORDER BY id LIMIT 1");
        st.bind(1, m_info.id).bind(2, hash).bind(3, docId);
        return st.step() ? st.int64(0) : 0;
    });
    if (original > 0) {
        ++report.duplicates;
        finish("duplicate", "", hash, original);
        return;
    }
    const json opt = json::parse(optionsText, nullptr, false);
    ReaderOptions ro;
    if (opt.is_object())
        ro.textField = opt.value("text_field", "");
    const ExtractedDocument doc = extractDocument(bytes, kind, ro, path);
    if (doc.skipped()) {
        ++report.skipped;
        finish("skipped", doc.skipReason, hash, 0);
        return;
    }
    const ChunkerSettings cs = ChunkerSettings::fromJson(m_info.settings.value("chunker", json::object()));
    Measure measure;
    std::shared_ptr<Tokenizer> tokenizer;
    if (cs.unit == "tokens") {
        tokenizer = Tokenizer::load(cs.tokenizer);
        measure = [tokenizer](std::string_view s) { return tokenizer->encode(s, false).size(); };
    }
    const std::vector<Chunk> chunks = chunkDocument(doc, cs, measure);
    for (const auto &w : doc.warnings)
        report.warnings.push_back(fs::path(path).filename().string() + ": " + w);
    m_ws.withDb([&](Database &db) {
        db.transaction([&] {
            auto ins = db.prepare("INSERT INTO kb_chunks(document_id, ordinal, text, page, start_offset, "
                                  "end_offset, heading, tokens, text_hash) VALUES(?, ?, ?, ?, ?, ?, ?, ?, ?)");
            auto fts = db.prepare("INSERT INTO kb_chunks_fts(rowid, terms) VALUES(?, ?)");
            for (size_t k = 0; k < chunks.size(); ++k) {
                const Chunk &c = chunks[k];
                const std::string text = doc.text.substr(c.start, c.end - c.start);
                ins.reset();
                ins.bind(1, docId).bind(2, static_cast<int64_t>(k)).bind(3, text).bind(4, c.page)
                    .bind(5, static_cast<int64_t>(c.start)).bind(6, static_cast<int64_t>(c.end))
                    .bind(7, c.heading).bind(8, static_cast<int64_t>(c.size)).bind(9, Sha256::hex(text))
                    .exec();
                fts.reset();
                fts.bind(1, db.lastInsertId()).bind(2, segmentForIndex(c.heading + "\n" + text)).exec();
            }
            db.prepare("UPDATE kb_documents SET state = 'chunked', error = '', content_hash = ?, warnings = ?, "
                       "pages = ?, chars = ?, chunk_count = ? WHERE id = ?")
                .bind(1, hash).bind(2, json(doc.warnings).dump()).bind(3, doc.pageCount)
                .bind(4, static_cast<int64_t>(doc.text.size())).bind(5, static_cast<int64_t>(chunks.size()))
                .bind(6, docId)
                .exec();
            db.prepare("UPDATE kb_collections SET revision = revision + 1 WHERE id = ?").bind(1, m_info.id).exec();
        });
    });
    report.chunks += static_cast<int64_t>(chunks.size());
}

void KnowledgeBase::embedPending(IngestReport &report, JobContext *ctx)
{
    struct Todo
    {
        int64_t id;
        std::string text, hash;
        int64_t document;
    };
    std::vector<Todo> todo = m_ws.withDb([&](Database &db) {
        std::vector<Todo> out;
        auto st = db.prepare("SELECT c.id, c.text, c.text_hash, c.document_id FROM kb_chunks c JOIN kb_documents d ON "
                             "d.id = c.document_id WHERE d.collection_id = ? AND d.state = 'chunked' AND "
                             "NOT EXISTS (SELECT 1 FROM kb_vectors v WHERE v.chunk_id = c.id) ORDER BY c.id");
        st.bind(1, m_info.id);
        while (st.step())
            out.push_back({st.int64(0), st.text(1), st.text(2), st.int64(3)});
        return out;
    });
    // A document is indexed once all its chunks have vectors; only the documents a batch
    // touched are checked (checking all of them made large ingests quadratic).
    auto markIndexed = [&](Database &db, const std::set<int64_t> &docs) {
        auto st = db.prepare("UPDATE kb_documents SET state = 'indexed', indexed_at = ? WHERE id = ? AND "
                             "state = 'chunked' AND NOT EXISTS (SELECT 1 FROM kb_chunks c WHERE c.document_id = "
                             "kb_documents.id AND NOT EXISTS (SELECT 1 FROM kb_vectors v WHERE v.chunk_id = c.id))");
        for (const int64_t doc : docs) {
            st.reset();
            st.bind(1, nowIso8601()).bind(2, doc).exec();
        }
    };
    if (todo.empty()) {
        m_ws.withDb([&](Database &db) {
            std::set<int64_t> chunked;
            auto st = db.prepare("SELECT id FROM kb_documents WHERE collection_id = ? AND state = 'chunked'");
            st.bind(1, m_info.id);
            while (st.step())
                chunked.insert(st.int64(0));
            markIndexed(db, chunked);
        });
        return;
    }
    // The collection's vectors all come from one embedder.
    const std::string id = m_embedder->id();
    const int dim = m_embedder->dim();
    if (!m_info.embedder.empty() && (m_info.embedder != id || m_info.dim != dim))
        throw Error(ErrorCode::Conflict,
                    "collection '" + m_info.name + "' holds vectors from " + m_info.embedder + " (" +
                        std::to_string(m_info.dim) + " dimensions); refusing to mix in vectors from " + id +
                        ": create another collection for that embedder");
    if (m_info.embedder.empty()) {
        m_ws.withDb([&](Database &db) {
            db.prepare("UPDATE kb_collections SET embedder = ?, dim = ? WHERE id = ?")
                .bind(1, id).bind(2, dim).bind(3, m_info.id).exec();
        });
        m_info.embedder = id;
        m_info.dim = dim;
        if (m_index->dim() != dim || m_index->size() > 0)
            m_index = std::make_unique<VectorIndex>(
                dim, IndexSettings::fromJson(m_info.settings.value("index", json::object())));
    }
    const int batch = std::max(1, m_embedder->batchSize());
    const int64_t total = static_cast<int64_t>(todo.size());
    int64_t done = 0;
    const int64_t embedStart = steadyMillis();
    for (size_t b = 0; b < todo.size(); b += static_cast<size_t>(batch)) {
        checkCancel(ctx);
        const size_t n = std::min(todo.size() - b, static_cast<size_t>(batch));
        std::vector<int64_t> ids;
        std::vector<float> data;
        std::vector<std::string> texts;
        std::vector<size_t> toEmbed;
        // Chunks whose text already has a vector in this collection reuse it.
        m_ws.withDb([&](Database &db) {
            auto reuse = db.prepare("SELECT v.vector FROM kb_vectors v JOIN kb_chunks c ON c.id = v.chunk_id "
                                    "JOIN kb_documents d ON d.id = c.document_id WHERE c.text_hash = ? AND "
                                    "d.collection_id = ? LIMIT 1");
            data.resize(n * static_cast<size_t>(dim));
            for (size_t k = 0; k < n; ++k) {
                const Todo &t = todo[b + k];
                ids.push_back(t.id);
                reuse.reset();
                reuse.bind(1, t.hash).bind(2, m_info.id);
                const auto kept = m_replacedVectors.find(t.hash);
                if (kept != m_replacedVectors.end() || reuse.step()) {
                    const std::string blob = kept != m_replacedVectors.end() ? kept->second : reuse.blob(0);
                    if (blob.size() == static_cast<size_t>(dim) * sizeof(float)) {
                        std::memcpy(data.data() + k * static_cast<size_t>(dim), blob.data(), blob.size());
                        ++report.reusedVectors;
                        continue;
                    }
                }
                toEmbed.push_back(k);
                texts.push_back(t.text);
            }
        });
        if (!texts.empty()) {
            auto vectors = m_embedder->embed(texts, [ctx] { return ctx && ctx->isCancelled(); });
            for (size_t k = 0; k < toEmbed.size(); ++k) {
                if (vectors[k].size() != static_cast<size_t>(dim))
                    throw Error(ErrorCode::Validation, "embedder " + id + " returned a vector of " +
                                                           std::to_string(vectors[k].size()) + " values, not " +
                                                           std::to_string(dim));
                std::copy(vectors[k].begin(), vectors[k].end(), data.data() + toEmbed[k] * static_cast<size_t>(dim));
            }
            report.embedded += static_cast<int64_t>(texts.size());
        }
        m_ws.withDb([&](Database &db) {
            db.transaction([&] {
                auto ins = db.prepare("INSERT OR REPLACE INTO kb_vectors(chunk_id, vector) VALUES(?, ?)");
                for (size_t k = 0; k < n; ++k) {
                    ins.reset();
                    ins.bind(1, ids[k]).bindBlob(2, data.data() + k * static_cast<size_t>(dim),
                                                 static_cast<size_t>(dim) * sizeof(float));
                    ins.exec();
                }
                std::set<int64_t> docs;
                for (size_t k = 0; k < n; ++k)
                    docs.insert(todo[b + k].document);
                markIndexed(db, docs);
                db.prepare("UPDATE kb_collections SET revision = revision + 1, updated_at = ? WHERE id = ?")
                    .bind(1, nowIso8601()).bind(2, m_info.id).exec();
            });
        });
        m_index->add(ids, data.data());
        ++m_info.revision;
        done += static_cast<int64_t>(n);
        if (ctx)
            ctx->progress(0.3 + 0.7 * double(done) / double(total),
                          "embedded " + std::to_string(done) + " of " + std::to_string(total) + " chunks",
                          {{"embedded", done}, {"embed_total", total}, {"chunks", report.chunks}});
        // A long ingest saves its index now and then so a crash loses little.
        if (steadyMillis() - m_lastSaveMs > 30000) {
            refreshInfo();
            saveIndex();
        }
    }
    report.embedSeconds = double(steadyMillis() - embedStart) / 1000.0;
    m_replacedVectors.clear();
}

} // namespace wb::rag

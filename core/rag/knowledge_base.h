#pragma once

#include "rag/chunker.h"
#include "rag/embedder.h"
#include "rag/readers.h"
#include "rag/vector_index.h"

#include <nlohmann/json.hpp>

#include <cstdint>
#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

namespace wb {
class Workspace;
class Database;
class JobContext;
} // namespace wb

namespace wb::rag {

struct CollectionInfo
{
    int64_t id = 0;
    std::string name;
    std::string description;
    nlohmann::json settings;  // {"chunker": {...}, "embedder": {...}, "index": {...}}
    std::string embedder;     // id of the embedder that made the stored vectors ('' = none yet)
    int dim = 0;
    int64_t revision = 0;
    std::string createdAt;
};

struct CollectionStats
{
    int64_t documents = 0, indexed = 0, pending = 0, skipped = 0, failed = 0, duplicates = 0;
    int64_t chunks = 0, vectors = 0, indexVectors = 0, tombstones = 0;
    bool hnsw = false;
    nlohmann::json toJson() const;
};

// One document of a collection as the knowledge base recorded it.
struct DocumentInfo
{
    int64_t id = 0;
    std::string path;      // absolute
    std::string kind;      // txt | md | html | pdf | jsonl | csv
    std::string state;     // pending | chunked | indexed | skipped | failed | duplicate
    std::string error;     // why it was skipped or failed
    std::vector<std::string> warnings; // parts left out ("page 3: no text layer")
    std::string textField; // JSONL/CSV: the field read ('' = the default choice)
    int64_t duplicateOf = 0;
    int pages = 0;
    int64_t sizeBytes = 0, chars = 0, chunks = 0;
    std::string addedAt, indexedAt;
};

struct IngestRequest
{
    std::vector<std::filesystem::path> paths; // files or folders (recursive); may be empty
    ReaderOptions options;                    // for the files found under these paths
};

struct SkippedFile
{
    std::string path;
    std::string reason;
};

struct IngestReport
{
    int64_t filesSeen = 0, added = 0, changed = 0, unchanged = 0, removed = 0;
    int64_t processed = 0, skipped = 0, failed = 0, duplicates = 0;
    int64_t chunks = 0, embedded = 0, reusedVectors = 0;
    double seconds = 0, embedSeconds = 0;
    std::vector<SkippedFile> skippedFiles; // skipped or failed, with the reason
    std::vector<std::string> warnings;     // parts of files left out ("a.pdf: page 3: ...")
    nlohmann::json toJson() const;
};

struct SearchOptions
{
    enum class Mode { Hybrid, Vector, Lexical };
    Mode mode = Mode::Hybrid;
    int topK = 5;
    int candidates = 50;       // from each retriever before fusion
    double vectorWeight = 0.5; // RRF weight of the vector ranking; the lexical one gets 1 - w
    int rrfK = 60;
    bool mmr = false;          // maximal marginal relevance over the fused candidates
    double mmrLambda = 0.7;    // relevance vs diversity
};

struct SearchHit
{
    int64_t chunkId = 0;
    int64_t documentId = 0;
    std::string path;          // the source file
    std::string kind;
    std::string pageLabel;     // "p." or "row" ('' when unpaged)
    int page = 0;
    int64_t start = 0, end = 0; // UTF-8 byte offsets in the document's extracted text
    std::string heading;
    std::string text;
    double vectorScore = 0;    // cosine with the query
    int vectorRank = 0;        // 1-based among vector candidates, 0 when not among them
    double bm25 = 0;           // FTS5 BM25 (higher is better), 0 when no term matched
    int bm25Rank = 0;
    double fusedScore = 0;
    int rank = 0;              // 1-based final rank
    std::vector<std::string> matchedTerms;
    std::vector<std::pair<int64_t, int64_t>> highlights; // byte ranges in text
    nlohmann::json toJson() const;
};

// One collection opened for ingest and search: its rows in the workspace, its embedder and
// its faiss index (files/kb/<id>.faiss). Opening checks the index against the vectors stored
// in SQLite and rebuilds it, with a message, when they disagree.
class KnowledgeBase final
{
public:
    static CollectionInfo create(Workspace &ws, const std::string &name, nlohmann::json settings,
                                 const std::string &description = {});
    static std::vector<CollectionInfo> list(Workspace &ws);
    static CollectionInfo info(Workspace &ws, const std::string &name); // throws NotFound
    static void drop(Workspace &ws, const std::string &name);
    // The collection's documents by path, with their states; reads only the workspace, so it
    // is safe beside a running ingest.
    static std::vector<DocumentInfo> documents(Workspace &ws, const std::string &name);
    // embedder: null to make one from the collection's settings.
    static std::unique_ptr<KnowledgeBase> open(Workspace &ws, const std::string &name,
                                               std::unique_ptr<Embedder> embedder = nullptr);
    ~KnowledgeBase();

    const CollectionInfo &info() const { return m_info; }
    const std::string &openMessage() const { return m_openMessage; }
    Embedder &embedder() { return *m_embedder; }
    VectorIndex &index() { return *m_index; }
    std::filesystem::path indexFile() const;

    // Adds/refreshes files, removes documents whose files are gone, then reads, chunks and
    // embeds whatever is pending, committing per document (chunks) and per batch (vectors).
    // A cancelled or crashed ingest resumes from that state. ctx may be null.
    IngestReport ingest(const IngestRequest &request, JobContext *ctx = nullptr);
    // Removes documents at these paths (a folder: everything under it) and their sources.
    int64_t remove(const std::vector<std::filesystem::path> &paths);

    std::vector<SearchHit> search(const std::string &query, const SearchOptions &options = {});
    CollectionStats stats();

    // "" when the index and the stored vectors agree; otherwise what differs.
    std::string checkConsistency();
    void saveIndex();

private:
    KnowledgeBase(Workspace &ws, CollectionInfo info, std::unique_ptr<Embedder> embedder);
    void loadIndex();
    void rebuildIndexFromDatabase();
    void removeDocuments(Database &db, const std::vector<int64_t> &docIds);
    void processDocument(int64_t docId, IngestReport &report);
    void embedPending(IngestReport &report, JobContext *ctx);
    std::vector<int64_t> storedVectorIds();
    void refreshInfo();

    Workspace &m_ws;
    CollectionInfo m_info;
    std::unique_ptr<Embedder> m_embedder;
    std::unique_ptr<VectorIndex> m_index;
    std::string m_openMessage;
    int64_t m_lastSaveMs = 0;
    // Vectors of the chunks of files that changed during this ingest, by text hash, so an
    // unchanged passage of a changed file is not embedded again.
    std::map<std::string, std::string> m_replacedVectors;
};

// The prompt's {{context}}: numbered chunks with their sources, "[1] manual.pdf p.3" lines
// followed by the text; maxChars (0: no limit) stops adding chunks past that size.
std::string formatContext(const std::vector<SearchHit> &hits, size_t maxChars = 0);
// "manual.pdf p.3", "faq.jsonl row 12", "notes.md".
std::string sourceLabel(const SearchHit &hit);

// The question a prompt asks, from its template variables (core/prompt/prompt_builder.h):
// Logic problem + question, Alpaca instruction + input, Chat the last user message.
std::string retrievalQuery(const nlohmann::json &variables);
// A prompt_builder ContextProvider: searches kb with each prompt's question and formats the
// hits for {{context}}. The kb must outlive the provider.
std::function<std::string(const nlohmann::json &)> knowledgeContext(KnowledgeBase &kb, SearchOptions options = {},
                                                                   size_t maxChars = 4000);

} // namespace wb::rag

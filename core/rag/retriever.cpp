// Hybrid retrieval: faiss vectors + FTS5 BM25 over the segmented shadow text, fused by
// weighted reciprocal rank, optionally diversified by MMR.
#include "rag/knowledge_base.h"

#include "common/error.h"
#include "common/text.h"
#include "rag/segment.h"
#include "store/workspace.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <set>

namespace wb::rag {

namespace fs = std::filesystem;
using nlohmann::json;

json SearchHit::toJson() const
{
    json hl = json::array();
    for (const auto &[a, b] : highlights)
        hl.push_back({a, b});
    return {{"rank", rank},           {"chunk_id", chunkId},     {"document_id", documentId},
            {"source", path},         {"kind", kind},            {"page", page},
            {"page_label", pageLabel}, {"start", start},         {"end", end},
            {"heading", heading},     {"text", text},            {"vector_score", vectorScore},
            {"vector_rank", vectorRank}, {"bm25", bm25},         {"bm25_rank", bm25Rank},
            {"fused_score", fusedScore}, {"matched_terms", matchedTerms}, {"highlights", hl}};
}

namespace {

float dot(const std::vector<float> &a, const std::vector<float> &b)
{
    float s = 0;
    for (size_t i = 0; i < a.size() && i < b.size(); ++i)
        s += a[i] * b[i];
    return s;
}

} // namespace

std::vector<SearchHit> KnowledgeBase::search(const std::string &query, const SearchOptions &opt)
{
    if (trim(query).empty())
        throw Error(ErrorCode::Validation, "the query is empty");
    const int candidates = std::max(opt.candidates, opt.topK);
    const bool useVector = opt.mode != SearchOptions::Mode::Lexical && m_index->size() > 0;
    const bool useLexical = opt.mode != SearchOptions::Mode::Vector;
    const double w = opt.mode == SearchOptions::Mode::Vector    ? 1.0
                     : opt.mode == SearchOptions::Mode::Lexical ? 0.0
                                                                : std::clamp(opt.vectorWeight, 0.0, 1.0);
    std::vector<float> q;
    std::map<int64_t, SearchHit> hits;
    if (useVector) {
        q = m_embedder->embed({query}).at(0);
        if (static_cast<int>(q.size()) != m_index->dim())
            throw Error(ErrorCode::Validation, "query vector has " + std::to_string(q.size()) +
                                                   " dimensions, the index " + std::to_string(m_index->dim()));
        int rank = 0;
        for (const auto &[id, score] : m_index->search(q.data(), candidates)) {
            SearchHit &h = hits[id];
            h.chunkId = id;
            h.vectorScore = score;
            h.vectorRank = ++rank;
        }
    }
    const std::string match = ftsQuery(query);
    if (useLexical && !match.empty()) {
        m_ws.withDb([&](Database &db) {
            auto st = db.prepare("SELECT f.rowid, bm25(kb_chunks_fts) AS s FROM kb_chunks_fts f "
                                 "JOIN kb_chunks c ON c.id = f.rowid JOIN kb_documents d ON d.id = c.document_id "
                                 "WHERE kb_chunks_fts MATCH ? AND d.collection_id = ? ORDER BY s LIMIT ?");
            st.bind(1, match).bind(2, m_info.id).bind(3, candidates);
            int rank = 0;
            while (st.step()) {
                SearchHit &h = hits[st.int64(0)];
                h.chunkId = st.int64(0);
                h.bm25 = -st.real(1);
                h.bm25Rank = ++rank;
            }
        });
    }
    std::vector<SearchHit> ranked;
    for (auto &[id, h] : hits) {
        h.fusedScore = (h.vectorRank > 0 ? w / (opt.rrfK + h.vectorRank) : 0.0) +
                       (h.bm25Rank > 0 ? (1.0 - w) / (opt.rrfK + h.bm25Rank) : 0.0);
        if (h.fusedScore > 0)
            ranked.push_back(std::move(h));
    }
    std::sort(ranked.begin(), ranked.end(), [](const SearchHit &a, const SearchHit &b) {
        return a.fusedScore != b.fusedScore ? a.fusedScore > b.fusedScore : a.chunkId < b.chunkId;
    });
    const bool haveVectors = m_index->size() > 0 && !q.empty();
    if (opt.mmr && haveVectors && ranked.size() > 1) {
        // Greedy MMR over the fused list: relevance (fused score scaled to [0, 1]) against
        // the highest cosine with what is already chosen.
        std::vector<std::vector<float>> vecs;
        for (const SearchHit &h : ranked)
            vecs.push_back(m_index->vector(h.chunkId));
        const double top = ranked.front().fusedScore;
        std::vector<bool> used(ranked.size(), false);
        std::vector<SearchHit> chosen;
        std::vector<size_t> chosenIdx;
        while (chosen.size() < ranked.size() && static_cast<int>(chosen.size()) < opt.topK) {
            double best = -1e9;
            size_t bestI = 0;
            for (size_t i = 0; i < ranked.size(); ++i) {
                if (used[i])
                    continue;
                double sim = 0;
                for (const size_t c : chosenIdx)
                    sim = std::max(sim, double(dot(vecs[i], vecs[c])));
                const double score = opt.mmrLambda * ranked[i].fusedScore / top - (1 - opt.mmrLambda) * sim;
                if (score > best) {
                    best = score;
                    bestI = i;
                }
            }
            used[bestI] = true;
            chosenIdx.push_back(bestI);
            chosen.push_back(ranked[bestI]);
        }
        ranked = std::move(chosen);
    }
    if (static_cast<int>(ranked.size()) > opt.topK)
        ranked.resize(static_cast<size_t>(std::max(opt.topK, 0)));

    // Details: text, source, page; a vector score for lexical-only hits; matched terms.
    std::set<std::string> queryTerms;
    for (const Term &t : segmentTerms(query))
        queryTerms.insert(t.text);
    m_ws.withDb([&](Database &db) {
        auto st = db.prepare("SELECT c.document_id, c.text, c.page, c.start_offset, c.end_offset, c.heading, "
                             "d.path, d.kind FROM kb_chunks c JOIN kb_documents d ON d.id = c.document_id "
                             "WHERE c.id = ?");
        for (size_t i = 0; i < ranked.size(); ++i) {
            SearchHit &h = ranked[i];
            h.rank = static_cast<int>(i) + 1;
            st.reset();
            st.bind(1, h.chunkId);
            if (!st.step())
                continue;
            h.documentId = st.int64(0);
            h.text = st.text(1);
            h.page = static_cast<int>(st.int64(2));
            h.start = st.int64(3);
            h.end = st.int64(4);
            h.heading = st.text(5);
            h.path = st.text(6);
            h.kind = st.text(7);
            h.pageLabel = h.page == 0 ? "" : (h.kind == "jsonl" || h.kind == "csv") ? "row" : "p.";
        }
    });
    const std::vector<int64_t> indexed = haveVectors ? m_index->ids() : std::vector<int64_t>{};
    for (SearchHit &h : ranked) {
        if (h.vectorRank == 0 && haveVectors) {
            const auto &ids = indexed;
            if (std::binary_search(ids.begin(), ids.end(), h.chunkId))
                h.vectorScore = dot(q, m_index->vector(h.chunkId));
        }
        std::set<std::string> seen;
        for (const Term &t : segmentTerms(h.text)) {
            if (!queryTerms.count(t.text))
                continue;
            h.highlights.emplace_back(static_cast<int64_t>(t.start), static_cast<int64_t>(t.end));
            if (seen.insert(t.text).second)
                h.matchedTerms.push_back(t.text);
        }
    }
    return ranked;
}

std::string sourceLabel(const SearchHit &hit)
{
    std::string label = fs::path(hit.path).filename().string();
    if (hit.page > 0)
        label += " " + (hit.pageLabel.empty() ? std::string("p.") : hit.pageLabel) +
                 (hit.pageLabel == "row" ? " " : "") + std::to_string(hit.page);
    return label;
}

std::string formatContext(const std::vector<SearchHit> &hits, size_t maxChars)
{
    std::string out;
    for (size_t i = 0; i < hits.size(); ++i) {
        std::string block = "[" + std::to_string(i + 1) + "] " + sourceLabel(hits[i]) + "\n" + trim(hits[i].text) + "\n";
        if (maxChars > 0 && !out.empty() && out.size() + block.size() + 1 > maxChars)
            break;
        if (!out.empty())
            out += "\n";
        out += block;
    }
    return out;
}

std::string retrievalQuery(const json &variables)
{
    auto text = [&](const char *key) {
        const auto it = variables.find(key);
        return it != variables.end() && it->is_string() ? it->get<std::string>() : std::string();
    };
    std::string q;
    for (const char *key : {"problem", "question", "instruction", "input", "prompt"}) {
        const std::string t = trim(text(key));
        if (!t.empty())
            q += (q.empty() ? "" : "\n") + t;
    }
    return q;
}

std::function<std::string(const json &)> knowledgeContext(KnowledgeBase &kb, SearchOptions options, size_t maxChars)
{
    return [&kb, options, maxChars](const json &variables) {
        const std::string query = retrievalQuery(variables);
        return query.empty() ? std::string() : formatContext(kb.search(query, options), maxChars);
    };
}

} // namespace wb::rag

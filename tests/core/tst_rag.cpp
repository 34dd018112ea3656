// Knowledge base: readers, chunker invariants (English and Chinese), embedders, the faiss
// index, ingest (add / change / remove / dedup / resume after a cancel), consistency between
// faiss and SQLite, and hybrid retrieval measured against vector-only and BM25-only.
#include "test_util.h"

#include "common/error.h"
#include "common/files.h"
#include "common/text.h"
#include "jobs/job.h"
#include "prompt/prompt_builder.h"
#include "rag/chunker.h"
#include "rag/embedder.h"
#include "rag/knowledge_base.h"
#include "rag/readers.h"
#include "rag/segment.h"
#include "rag/vector_index.h"
#include "store/workspace.h"

#include <httplib.h>
#include <sqlite3.h>

#include <QTest>
#include <QTemporaryDir>
#include <QElapsedTimer>
#include <QProcess>

#include <cmath>
#include <csignal>
#include <random>
#include <thread>

namespace fs = std::filesystem;
using namespace wb::rag;
using nlohmann::json;

namespace {

// A PDF with one text object per page ("" makes a page without text), correct xref offsets.
std::string makePdf(const std::vector<std::string> &pages)
{
    std::vector<std::string> objects;
    const size_t n = pages.size();
    objects.push_back("<< /Type /Catalog /Pages 2 0 R >>");
    std::string kids;
    for (size_t i = 0; i < n; ++i)
        kids += std::to_string(4 + 2 * i) + " 0 R ";
    objects.push_back("<< /Type /Pages /Kids [" + kids + "] /Count " + std::to_string(n) + " >>");
    objects.push_back("<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>");
    for (size_t i = 0; i < n; ++i) {
        objects.push_back("<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /Font << /F1 3 0 R >> >> "
                          "/Contents " + std::to_string(5 + 2 * i) + " 0 R >>");
        const std::string stream = pages[i].empty() ? "" : "BT /F1 12 Tf 72 712 Td (" + pages[i] + ") Tj ET";
        objects.push_back("<< /Length " + std::to_string(stream.size()) + " >>\nstream\n" + stream + "\nendstream");
    }
    std::string pdf = "%PDF-1.4\n";
    std::vector<size_t> offsets;
    for (size_t i = 0; i < objects.size(); ++i) {
        offsets.push_back(pdf.size());
        pdf += std::to_string(i + 1) + " 0 obj\n" + objects[i] + "\nendobj\n";
    }
    const size_t xref = pdf.size();
    pdf += "xref\n0 " + std::to_string(objects.size() + 1) + "\n0000000000 65535 f \n";
    for (const size_t o : offsets) {
        char line[32];
        std::snprintf(line, sizeof line, "%010zu 00000 n \n", o);
        pdf += line;
    }
    pdf += "trailer\n<< /Size " + std::to_string(objects.size() + 1) + " /Root 1 0 R >>\nstartxref\n" +
           std::to_string(xref) + "\n%%EOF\n";
    return pdf;
}

void write(const fs::path &p, const std::string &s)
{
    fs::create_directories(p.parent_path());
    wb::writeFileAtomic(p, s);
}

std::string englishText()
{
    std::string s = "# Installing\n\nThe workbench runs offline. It needs no account! Does it need a GPU? No.\n\n";
    for (int i = 0; i < 30; ++i)
        s += "Sentence " + std::to_string(i) + " explains step " + std::to_string(i * 7) +
             " of the setup in some detail, with a few extra words to make it longer. ";
    s += "\n\n## Configuring\n\nSet the thread budget.\nSet the cache folder.\n\n";
    s += std::string(300, 'x') + " unbroken token above.\n";
    return s;
}

std::string chineseText()
{
    std::string s = "# 安装说明\n\n";
    for (int i = 0; i < 25; ++i)
        s += "第" + std::to_string(i) + "步：打开设置页面，选择知识库，然后导入文档。这样做可以吗？可以！注意文件编码；";
    s += "\n\n## 配置\n\n线程预算决定速度。缓存目录保存索引。\n";
    return s;
}

// The chunker's promises, checked on any document.
void checkChunks(const ExtractedDocument &doc, const std::vector<Chunk> &chunks, const ChunkerSettings &cs)
{
    QVERIFY(!chunks.empty());
    QCOMPARE(chunks.front().start, size_t(0));
    QCOMPARE(chunks.back().end, doc.text.size());
    for (size_t i = 0; i < chunks.size(); ++i) {
        const Chunk &c = chunks[i];
        QVERIFY2(c.start < c.end, ("empty chunk " + std::to_string(i)).c_str());
        QVERIFY(!wb::trim(doc.text.substr(c.start, c.end - c.start)).empty());
        if (i > 0) {
            QVERIFY2(c.start <= chunks[i - 1].end, "a gap between chunks");
            QVERIFY(c.start > chunks[i - 1].start);
        }
        QVERIFY2(c.size <= static_cast<size_t>(cs.size), ("chunk over size: " + std::to_string(c.size)).c_str());
        QCOMPARE(c.size, wb::utf8Length(doc.text.substr(c.start, c.end - c.start)));
        if (!doc.pages.empty()) {
            // The chunk's page is the page containing its start.
            int page = doc.pages.front().number;
            for (const PageSpan &p : doc.pages)
                if (p.start <= c.start)
                    page = p.number;
            QCOMPARE(c.page, page);
        }
    }
}

wb::JobContext makeContext(std::shared_ptr<std::atomic<bool>> cancel, std::function<void()> onProgress)
{
    return wb::JobContext(1, std::move(cancel),
                          [onProgress](const wb::JobProgress &) {
                              if (onProgress)
                                  onProgress();
                          },
                          {});
}

// Everything a collection holds, in a form two workspaces can be compared by.
std::vector<std::string> dumpCollection(wb::Workspace &ws, const std::string &name)
{
    const CollectionInfo info = KnowledgeBase::info(ws, name);
    return ws.withDb([&](wb::Database &db) {
        std::vector<std::string> rows;
        auto st = db.prepare("SELECT d.path, d.state, c.ordinal, c.text, c.page, c.start_offset, c.end_offset, "
                             "hex(v.vector), f.terms FROM kb_documents d LEFT JOIN kb_chunks c ON c.document_id = d.id "
                             "LEFT JOIN kb_vectors v ON v.chunk_id = c.id LEFT JOIN kb_chunks_fts f ON f.rowid = c.id "
                             "WHERE d.collection_id = ? ORDER BY d.path, c.ordinal");
        st.bind(1, info.id);
        while (st.step()) {
            std::string row = fs::path(st.text(0)).filename().string();
            for (int i = 1; i < 9; ++i)
                row += "|" + st.text(i);
            rows.push_back(row);
        }
        return rows;
    });
}

// The hashing embedder in small batches, so that an ingest can be stopped between batches.
class SmallBatches final : public Embedder
{
public:
    std::string id() const override { return m_inner.id(); }
    int dim() const override { return m_inner.dim(); }
    int batchSize() const override { return 4; }
    std::vector<std::vector<float>> embed(const std::vector<std::string> &texts, const CancelFn &cancel) override
    {
        return m_inner.embed(texts, cancel);
    }

private:
    HashingEmbedder m_inner{48};
};

double mrr(KnowledgeBase &kb, const std::vector<std::pair<std::string, std::string>> &queries, SearchOptions opt)
{
    double sum = 0;
    for (const auto &[query, file] : queries) {
        const auto hits = kb.search(query, opt);
        for (const SearchHit &h : hits)
            if (fs::path(h.path).filename() == file) {
                qInfo("%s: %s rank %d (vector #%d, bm25 #%d)", query.c_str(), file.c_str(), h.rank, h.vectorRank, h.bm25Rank);
                sum += 1.0 / h.rank;
                break;
            }
    }
    return sum / double(queries.size());
}

} // namespace

class TstRag : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void textReaders();
    void htmlReader();
    void pdfReader();
    void recordReaders();
    void chunkerInvariantsEnglish();
    void chunkerInvariantsChinese();
    void chunkerPagesAndRecords();
    void segmentation();
    void hashingEmbedder();
    void openAiEmbedder();
    void vectorIndexFlatAndHnsw();
    void addRemovePersistReopen();
    void embedderMixingRefused();
    void cancelledIngestResumes();
    void killedIngestResumes();
    void indexRebuiltWhenItDisagrees();
    void hybridBeatsEachRetriever();
    void contextFormatting();
};

void TstRag::textReaders()
{
    auto doc = extractDocument("Hello\r\nworld\r\n", "txt", {}, "a.txt");
    QVERIFY(!doc.skipped());
    WB_COMPARE_STR(doc.text, "Hello\nworld\n");
    // "中文" in GB18030 is D6 D0 CE C4.
    doc = extractDocument("\xD6\xD0\xCE\xC4 text\n", "txt", {}, "gb.txt");
    QVERIFY2(!doc.skipped(), doc.skipReason.c_str());
    WB_COMPARE_STR(doc.text, "中文 text\n");
    doc = extractDocument(std::string("PK\x03\x04\0\0\x01\x02", 8), "txt", {}, "zip.txt");
    QVERIFY(doc.skipped());
    QVERIFY(doc.skipReason.find("binary") != std::string::npos);
    doc = extractDocument("caf\xE9 \xFF\xFE\xFD\n", "md", {}, "bad.md");
    QVERIFY(doc.skipped());
    QVERIFY2(doc.skipReason.find("encoding") != std::string::npos, doc.skipReason.c_str());
    QVERIFY(extractDocument("  \n\n", "txt", {}, "blank.txt").skipped());
    WB_COMPARE_STR(documentKind("A/B.PDF"), "pdf");
    WB_COMPARE_STR(documentKind("x.docx"), "");
}

void TstRag::htmlReader()
{
    const std::string html =
        "<html><head><title>T</title><style>p{color:red}</style></head><body>"
        "<script>var a = '<p>not text</p>';</script><h2>Caf&eacute; &amp; Tea</h2>"
        "<p>Fish &amp; chips &lt;3 &#x4E2D;&#25991;&nbsp;ok</p><!-- hidden --><ul><li>one</li><li>two</li></ul>"
        "</body></html>";
    const auto doc = extractDocument(html, "html", {}, "a.html");
    QVERIFY(!doc.skipped());
    QVERIFY(doc.text.find("not text") == std::string::npos);
    QVERIFY(doc.text.find("color") == std::string::npos);
    QVERIFY(doc.text.find("hidden") == std::string::npos);
    QVERIFY2(doc.text.find("## Caf") != std::string::npos, doc.text.c_str());
    QVERIFY(doc.text.find("Fish & chips <3 中文 ok") != std::string::npos);
    QVERIFY(doc.text.find("one\ntwo") != std::string::npos);
}

void TstRag::pdfReader()
{
    const std::string pdf = makePdf({"Alpha page one text", "", "Gamma page three"});
    auto doc = extractDocument(pdf, "pdf", {}, "a.pdf");
    QVERIFY2(!doc.skipped(), doc.skipReason.c_str());
    QCOMPARE(doc.pageCount, 3);
    QCOMPARE(doc.pages.size(), size_t(2));
    QCOMPARE(doc.pages[0].number, 1);
    QCOMPARE(doc.pages[1].number, 3);
    QVERIFY(doc.text.find("Alpha page one text") < doc.pages[1].start);
    QVERIFY2(doc.text.find("Gamma page three") >= doc.pages[1].start, doc.text.c_str());
    QCOMPARE(doc.warnings.size(), size_t(1));
    QVERIFY(doc.warnings[0].find("page 2") != std::string::npos);

    doc = extractDocument(makePdf({"", ""}), "pdf", {}, "scan.pdf");
    QVERIFY(doc.skipped());
    QVERIFY2(doc.skipReason.find("image-only") != std::string::npos, doc.skipReason.c_str());

    doc = extractDocument("%PDF-1.4\n1 0 obj << /Type /Catalog >>\ngarbage without xref\n", "pdf", {}, "broken.pdf");
    QVERIFY(doc.skipped());
    QVERIFY2(doc.skipReason.find("damaged") != std::string::npos || doc.skipReason.find("no pages") != std::string::npos,
             doc.skipReason.c_str());
    doc = extractDocument("hello", "pdf", {}, "fake.pdf");
    QVERIFY(doc.skipped());
    QVERIFY(doc.skipReason.find("not a PDF") != std::string::npos);
}

void TstRag::recordReaders()
{
    auto doc = extractDocument("{\"id\":1,\"content\":\"first\"}\n\n{\"id\":2}\nnot json\n{\"content\":\"fourth\"}\n",
                               "jsonl", {}, "a.jsonl");
    QVERIFY(!doc.skipped());
    QCOMPARE(doc.pages.size(), size_t(2));
    QCOMPARE(doc.pages[0].number, 1);
    QCOMPARE(doc.pages[1].number, 5);
    QCOMPARE(doc.warnings.size(), size_t(2));
    WB_COMPARE_STR(doc.text, "first\n\nfourth");
    ReaderOptions opt;
    opt.textField = "body";
    doc = extractDocument("{\"content\":\"x\"}\n", "jsonl", opt, "a.jsonl");
    QVERIFY(doc.skipped());
    doc = extractDocument("id,question,answer\n1,\"What, exactly?\",\"Line one\nline two\"\n2,Why,\n3,How,Fine\n",
                          "csv", [] { ReaderOptions o; o.textField = "answer"; return o; }(), "a.csv");
    QVERIFY2(!doc.skipped(), doc.skipReason.c_str());
    QCOMPARE(doc.pages.size(), size_t(2));
    QCOMPARE(doc.pages[1].number, 5); // the row on line 5 (a quoted field spans lines 2-3)
    WB_COMPARE_STR(doc.text, "Line one\nline two\n\nFine");
    QVERIFY(extractDocument("id,question\n1,x\n", "csv", {}, "a.csv").skipReason.find("text column") != std::string::npos);
}

void TstRag::chunkerInvariantsEnglish()
{
    ExtractedDocument doc;
    doc.text = englishText();
    for (const auto &[size, overlap] : std::vector<std::pair<int, int>>{{64, 0}, {200, 40}, {500, 100}, {5000, 0}}) {
        ChunkerSettings cs;
        cs.size = size;
        cs.overlap = overlap;
        const auto chunks = chunkDocument(doc, cs);
        checkChunks(doc, chunks, cs);
        if (QTest::currentTestFailed())
            return;
        // Headings start chunks and label them.
        bool configStarts = false;
        for (const Chunk &c : chunks)
            if (doc.text.compare(c.start, 14, "## Configuring") == 0) {
                configStarts = true;
                WB_COMPARE_STR(c.heading, "Installing > Configuring");
            }
        QVERIFY2(configStarts || size == 5000, "a heading does not start a chunk");
        // Sentence-aware: a chunk that is not cut inside an over-long word ends at a
        // sentence, line or space.
        if (size == 200)
            for (size_t i = 0; i + 1 < chunks.size(); ++i) {
                const std::string t = wb::trim(doc.text.substr(chunks[i].start, chunks[i].end - chunks[i].start));
                if (t.find("xxxx") != std::string::npos)
                    continue;
                const char last = t.back();
                QVERIFY2(last == '.' || last == '!' || last == '?' || chunks[i + 1].start == chunks[i].end ||
                             doc.text[chunks[i].end - 1] == '\n',
                         t.c_str());
            }
        if (overlap >= 100) { // whole sentences (~95 characters here) are repeated
            bool overlapped = false;
            for (size_t i = 1; i < chunks.size(); ++i)
                overlapped |= chunks[i].start < chunks[i - 1].end;
            QVERIFY(overlapped);
        }
    }
}

void TstRag::chunkerInvariantsChinese()
{
    ExtractedDocument doc;
    doc.text = chineseText();
    ChunkerSettings cs;
    cs.size = 60;
    cs.overlap = 15;
    const auto chunks = chunkDocument(doc, cs);
    checkChunks(doc, chunks, cs);
    QVERIFY(chunks.size() > 10);
    // Every chunk but the last of a section ends at Chinese sentence punctuation.
    int endsAtPunct = 0;
    for (const Chunk &c : chunks) {
        const std::string t = wb::trim(doc.text.substr(c.start, c.end - c.start));
        for (const char *p : {"。", "！", "？", "；"})
            if (t.size() >= 3 && t.compare(t.size() - 3, 3, p) == 0)
                ++endsAtPunct;
    }
    QVERIFY2(endsAtPunct >= static_cast<int>(chunks.size()) - 3, std::to_string(endsAtPunct).c_str());
}

void TstRag::chunkerPagesAndRecords()
{
    const auto pdf = extractDocument(makePdf({"Alpha one. Alpha two. Alpha three.", "", "Gamma one. Gamma two."}),
                                     "pdf", {}, "a.pdf");
    ChunkerSettings cs;
    cs.size = 20;
    cs.overlap = 0;
    auto chunks = chunkDocument(pdf, cs);
    checkChunks(pdf, chunks, cs);
    QCOMPARE(chunks.front().page, 1);
    QCOMPARE(chunks.back().page, 3);
    for (const Chunk &c : chunks) // no chunk crosses a page
        QVERIFY(pdf.text.substr(c.start, c.end - c.start).find("Alpha") == std::string::npos ||
                pdf.text.substr(c.start, c.end - c.start).find("Gamma") == std::string::npos);
    const auto csv = extractDocument("text\n第一行。\n第二行！\n", "csv", {}, "a.csv");
    cs.size = 100;
    chunks = chunkDocument(csv, cs);
    checkChunks(csv, chunks, cs);
    QCOMPARE(chunks.size(), size_t(2));
    QCOMPARE(chunks[1].page, 3);
}

void TstRag::segmentation()
{
    const auto terms = segmentTerms("RAG 知识库, Hello!");
    std::vector<std::string> texts;
    for (const Term &t : terms)
        texts.push_back(t.text);
    const std::vector<std::string> expected = {"rag", "知", "知识", "识", "识库", "库", "hello"};
    QCOMPARE(texts, expected);
    QCOMPARE(terms[2].start, size_t(4));
    QCOMPARE(terms[2].end, size_t(10));
    WB_COMPARE_STR(ftsQuery("库 库 a"), "\"库\" OR \"a\"");
    WB_COMPARE_STR(ftsQuery("!!"), "");
}

void TstRag::hashingEmbedder()
{
    HashingEmbedder e(256);
    const auto v = e.embed({"configure the index", "configuring indexes", "bananas are yellow", ""});
    QCOMPARE(v.size(), size_t(4));
    auto cos = [](const std::vector<float> &a, const std::vector<float> &b) {
        double s = 0;
        for (size_t i = 0; i < a.size(); ++i)
            s += a[i] * b[i];
        return s;
    };
    QVERIFY(std::abs(cos(v[0], v[0]) - 1.0) < 1e-5);
    QVERIFY(cos(v[0], v[1]) > cos(v[0], v[2]) + 0.2);
    QCOMPARE(cos(v[3], v[3]), 0.0);
    QCOMPARE(e.embed({"configure the index"})[0], v[0]); // deterministic
    WB_COMPARE_STR(e.id(), "hashing-v1:dim=256");
    QVERIFY_THROWS_EXCEPTION(wb::Error, makeEmbedder(json{{"kind", "nope"}}));
}

void TstRag::openAiEmbedder()
{
    httplib::Server server;
    std::atomic<int> requests{0};
    server.Post("/v1/embeddings", [&](const httplib::Request &req, httplib::Response &res) {
        ++requests;
        const auto body = json::parse(req.body);
        if (body["model"] != "m1" || req.get_header_value("Authorization") != "Bearer k3y") {
            res.status = 401;
            res.set_content("{\"error\":\"bad key\"}", "application/json");
            return;
        }
        json data = json::array();
        int i = 0;
        for (const auto &text : body["input"]) { // reversed order, with indices
            const std::string s = text;
            json item = json::object();
            item["index"] = i++;
            item["embedding"] = std::vector<double>{double(s.size()), 1.0, 0.0};
            data.insert(data.begin(), item);
        }
        res.set_content(json{{"data", data}}.dump(), "application/json");
    });
    const int port = server.bind_to_any_port("127.0.0.1");
    std::thread thread([&] { server.listen_after_bind(); });
    struct Stop
    {
        httplib::Server &s;
        std::thread &t;
        ~Stop()
        {
            s.stop();
            t.join();
        }
    } stop{server, thread};
    qputenv("WB_TEST_EMBED_KEY", "k3y");
    OpenAiEmbedderSettings s;
    s.baseUrl = "http://127.0.0.1:" + std::to_string(port) + "/v1";
    s.model = "m1";
    s.apiKeyEnv = "WB_TEST_EMBED_KEY";
    s.batchSize = 2;
    OpenAiEmbedder e(s);
    QCOMPARE(e.dim(), 3);
    const auto v = e.embed({"abc", "", "a"});
    QCOMPARE(v.size(), size_t(3));
    QVERIFY(std::abs(v[0][0] - 3 / std::sqrt(10.0)) < 1e-6); // normalised [3,1,0]
    QVERIFY(std::abs(v[1][1] - 1.0) < 1e-6);
    QCOMPARE(requests.load(), 3); // probe + two batches
    s.model = "m2";
    OpenAiEmbedder bad(s);
    try {
        bad.embed({"x"});
        QFAIL("a 401 must throw");
    } catch (const wb::Error &err) {
        QVERIFY2(std::string(err.what()).find("401") != std::string::npos, err.what());
    }
    bool cancelled = false;
    try {
        e.embed({"x"}, [] { return true; });
    } catch (const wb::Error &err) {
        cancelled = err.code() == wb::ErrorCode::Cancelled;
    }
    QVERIFY(cancelled);
}

void TstRag::vectorIndexFlatAndHnsw()
{
    const int dim = 32, n = 3000;
    std::mt19937 rng(7);
    std::normal_distribution<float> g;
    std::vector<float> data(size_t(n) * dim);
    for (float &x : data)
        x = g(rng);
    std::vector<int64_t> ids;
    for (int i = 0; i < n; ++i) {
        std::vector<float> v(data.begin() + i * dim, data.begin() + (i + 1) * dim);
        normalise(v);
        std::copy(v.begin(), v.end(), data.begin() + i * dim);
        ids.push_back(1000 + i);
    }
    IndexSettings s;
    s.hnswThreshold = 1000;
    VectorIndex index(dim, s);
    index.add(ids, data.data());
    QVERIFY(!index.isHnsw());
    QVERIFY(index.maintain());
    QVERIFY(index.isHnsw());
    QCOMPARE(index.size(), int64_t(n));
    // HNSW finds almost what exact search finds.
    int found = 0, total = 0;
    for (int q = 0; q < 50; ++q) {
        const float *query = data.data() + q * 37 % n * dim;
        const auto approx = index.search(query, 10);
        const auto exact = index.searchExact(query, 10);
        QCOMPARE(exact[0].first, ids[size_t(q * 37 % n)]);
        for (const auto &e : exact)
            for (const auto &a : approx)
                found += a.first == e.first;
        total += 10;
    }
    QVERIFY2(double(found) / total >= 0.95, std::to_string(double(found) / total).c_str());
    // Deletions: tombstones hidden from search, then a rebuild drops them.
    index.remove({1000, 1001});
    QCOMPARE(index.tombstones(), int64_t(2));
    QVERIFY(index.search(data.data(), 5)[0].first != 1000);
    QCOMPARE(index.size(), int64_t(n - 2));
    // Re-adding an id (SQLite reuses the highest rowid) replaces it.
    index.add({1000}, data.data() + dim);
    QCOMPARE(index.search(data.data() + dim, 2)[0].first == 1000 || index.search(data.data() + dim, 2)[1].first == 1000,
             true);
    QCOMPARE(index.size(), int64_t(n - 1));
    QTemporaryDir dir;
    const fs::path file = wbtest::path(dir, "i.faiss");
    index.save(file, 42);
    int64_t revision = 0;
    std::string why;
    auto loaded = VectorIndex::load(file, dim, s, &revision, &why);
    QVERIFY2(loaded, why.c_str());
    QCOMPARE(revision, int64_t(42));
    QCOMPARE(loaded->ids(), index.ids());
    QVERIFY(loaded->isHnsw());
    QVERIFY(!VectorIndex::load(file, dim + 1, s, &revision, &why));
    // Flat: removal is real.
    VectorIndex flat(dim, IndexSettings{});
    flat.add(ids, data.data());
    flat.remove({1005});
    QCOMPARE(flat.size(), int64_t(n - 1));
    QCOMPARE(flat.tombstones(), int64_t(0));
    QVERIFY(flat.search(data.data() + 5 * dim, 1)[0].first != 1005);
}

void TstRag::addRemovePersistReopen()
{
    QTemporaryDir dir;
    const fs::path docs = wbtest::path(dir, "docs");
    const std::string para1 = "The workbench indexes documents offline, reads text, markdown, web pages, PDF files and JSONL or CSV records, and keeps the page of every passage so that answers can cite their sources.";
    write(docs / "guide.md", "# Guide\n\n" + para1 + "\n\nIt supports hybrid search.\n");
    write(docs / "zh.txt", "知识库支持中文检索。向量和全文混合排序。\n");
    write(docs / "copy.txt", "知识库支持中文检索。向量和全文混合排序。\n"); // same content
    write(docs / "manual.pdf", makePdf({"Page one covers installation", "Page two covers the thread budget"}));
    write(docs / "scan.pdf", makePdf({""}));
    write(docs / "blob.txt", std::string("\0\1\2\3binary", 10));
    write(docs / "sub" / "faq.jsonl", "{\"text\":\"How do I cancel an ingest? Press cancel.\"}\n");
    write(docs / ".hidden" / "x.txt", "hidden");
    write(docs / "image.png", "not read");
    auto ws = wb::Workspace::open(wbtest::path(dir, "ws"));
    KnowledgeBase::create(*ws, "kb", json{{"chunker", {{"size", 200}, {"overlap", 20}}}, {"embedder", {{"kind", "hashing"}, {"dim", 64}}}});
    QVERIFY_THROWS_EXCEPTION(wb::Error, KnowledgeBase::create(*ws, "kb", json::object()));
    {
        auto kb = KnowledgeBase::open(*ws, "kb");
        const IngestReport r = kb->ingest({{docs}, {}});
        QCOMPARE(r.filesSeen, int64_t(7));
        QCOMPARE(r.added, int64_t(7));
        QCOMPARE(r.duplicates, int64_t(1));
        QCOMPARE(r.skipped, int64_t(2)); // scan.pdf, blob.txt
        QCOMPARE(r.skippedFiles.size(), size_t(2));
        const CollectionStats s = kb->stats();
        QCOMPARE(s.documents, int64_t(7));
        QCOMPARE(s.indexed, int64_t(4));
        QCOMPARE(s.chunks, s.vectors);
        QCOMPARE(s.indexVectors, s.vectors);
        QVERIFY(s.chunks >= 5);
        WB_COMPARE_STR(kb->checkConsistency(), "");
        auto hits = kb->search("thread budget");
        QVERIFY(!hits.empty());
        WB_COMPARE_STR(fs::path(hits[0].path).filename().string(), "manual.pdf");
        QCOMPARE(hits[0].page, 2);
        QVERIFY(hits[0].bm25 > 0);
        QVERIFY(hits[0].vectorScore > 0);
        QCOMPARE(hits[0].matchedTerms, (std::vector<std::string>{"thread", "budget"}));
        QCOMPARE(hits[0].text.substr(hits[0].highlights[0].first, 6), std::string("thread"));
        hits = kb->search("中文检索");
        QVERIFY(!hits.empty());
        WB_COMPARE_STR(fs::path(hits[0].path).filename().string(), "copy.txt"); // zh.txt duplicates it
        QVERIFY(hits[0].bm25Rank == 1);
        // Unchanged files are not read again.
        const IngestReport again = kb->ingest({{docs}, {}});
        QCOMPARE(again.unchanged, int64_t(7));
        QCOMPARE(again.processed, int64_t(0));
        QCOMPARE(again.embedded, int64_t(0));
    }
    // Change one file, delete the original of the duplicate, remove a folder.
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
    write(docs / "guide.md", "# Guide\n\n" + para1 + "\n\nNow it also reranks.\n");
    fs::remove(docs / "copy.txt");
    {
        auto kb = KnowledgeBase::open(*ws, "kb");
        WB_COMPARE_STR(kb->openMessage(), "");
        const IngestReport r = kb->ingest({{}, {}});
        QCOMPARE(r.changed, int64_t(1));
        QCOMPARE(r.removed, int64_t(1));
        QVERIFY(r.reusedVectors >= 1); // the unchanged first chunk kept its vector
        QCOMPARE(kb->search("reranks")[0].path, (docs / "guide.md").string());
        const auto zh = kb->search("中文检索");
        WB_COMPARE_STR(fs::path(zh[0].path).filename().string(), "zh.txt"); // the duplicate took over
        QCOMPARE(kb->remove({docs / "sub"}), int64_t(1));
        QVERIFY(kb->search("cancel ingest", SearchOptions{SearchOptions::Mode::Lexical}).empty());
        WB_COMPARE_STR(kb->checkConsistency(), "");
    }
    ws.reset();
    ws = wb::Workspace::open(wbtest::path(dir, "ws"));
    auto kb = KnowledgeBase::open(*ws, "kb");
    WB_COMPARE_STR(kb->openMessage(), "");
    QCOMPARE(kb->stats().documents, int64_t(5));
    WB_COMPARE_STR(kb->checkConsistency(), "");
    KnowledgeBase::drop(*ws, "kb");
    QVERIFY(!fs::exists(kb->indexFile()));
    QCOMPARE(ws->withDb([](wb::Database &db) { auto st = db.prepare("SELECT count(*) FROM kb_chunks_fts"); st.step(); return st.int64(0); }),
             int64_t(0));
}

void TstRag::embedderMixingRefused()
{
    QTemporaryDir dir;
    write(wbtest::path(dir, "a.txt"), "some text");
    write(wbtest::path(dir, "b.txt"), "other text");
    auto ws = wb::Workspace::open(wbtest::path(dir, "ws"));
    KnowledgeBase::create(*ws, "kb", json{{"embedder", {{"kind", "hashing"}, {"dim", 64}}}});
    KnowledgeBase::open(*ws, "kb")->ingest({{wbtest::path(dir, "a.txt")}, {}});
    auto kb = KnowledgeBase::open(*ws, "kb", std::make_unique<HashingEmbedder>(128));
    try {
        kb->ingest({{wbtest::path(dir, "b.txt")}, {}});
        QFAIL("mixing embedders must be refused");
    } catch (const wb::Error &e) {
        QCOMPARE(e.code(), wb::ErrorCode::Conflict);
        QVERIFY(std::string(e.what()).find("hashing-v1:dim=64") != std::string::npos);
    }
}

void TstRag::cancelledIngestResumes()
{
    QTemporaryDir dir;
    const fs::path docs = wbtest::path(dir, "docs");
    for (int i = 0; i < 12; ++i) {
        std::string text;
        for (int k = 0; k < 40; ++k)
            text += "Document " + std::to_string(i) + " sentence " + std::to_string(k) + " about topic " +
                    std::to_string((i * 31 + k) % 17) + ". ";
        write(docs / ("d" + std::to_string(i) + ".txt"), text);
    }
    const json settings = {{"chunker", {{"size", 120}, {"overlap", 20}}}, {"embedder", {{"kind", "hashing"}, {"dim", 48}}}};
    auto wsA = wb::Workspace::open(wbtest::path(dir, "a"));
    KnowledgeBase::create(*wsA, "kb", settings);
    KnowledgeBase::open(*wsA, "kb")->ingest({{docs}, {}});

    auto wsB = wb::Workspace::open(wbtest::path(dir, "b"));
    KnowledgeBase::create(*wsB, "kb", settings);
    // Cancel while reading files, then while embedding.
    for (int stopAfter : {5, 9}) {
        auto cancel = std::make_shared<std::atomic<bool>>(false);
        int calls = 0;
        auto ctx = makeContext(cancel, [&] {
            if (++calls == stopAfter)
                cancel->store(true);
        });
        auto kb = KnowledgeBase::open(*wsB, "kb", std::make_unique<SmallBatches>());
        bool stopped = false;
        try {
            kb->ingest({{docs}, {}}, &ctx);
        } catch (const wb::JobCancelled &) {
            stopped = true;
        } catch (const wb::Error &e) {
            stopped = e.code() == wb::ErrorCode::Cancelled;
        }
        QVERIFY(stopped);
        QVERIFY(kb->stats().pending > 0);
    }
    auto kb = KnowledgeBase::open(*wsB, "kb");
    const IngestReport r = kb->ingest({{docs}, {}});
    QVERIFY(r.processed < 12); // finished documents were not read again
    QCOMPARE(dumpCollection(*wsB, "kb"), dumpCollection(*wsA, "kb"));
    WB_COMPARE_STR(kb->checkConsistency(), "");
    QCOMPARE(kb->stats().indexed, int64_t(12));
    const auto a = KnowledgeBase::open(*wsA, "kb")->search("topic 5 sentence 3", {});
    const auto b = kb->search("topic 5 sentence 3", {});
    QCOMPARE(a.size(), b.size());
    for (size_t i = 0; i < a.size(); ++i) {
        QCOMPARE(a[i].text, b[i].text);
        QCOMPARE(a[i].fusedScore, b[i].fusedScore);
    }
}

// `llmwb kb add` killed with SIGKILL part-way, then run again: the same collection as an
// uninterrupted ingest, consistent, and the documents finished before the kill not read again.
void TstRag::killedIngestResumes()
{
    const QString llmwb = qEnvironmentVariable("WB_LLMWB");
    QVERIFY(!llmwb.isEmpty());
    QTemporaryDir dir;
    const fs::path docs = wbtest::path(dir, "docs");
    const int files = 400;
    for (int i = 0; i < files; ++i) {
        std::string text;
        for (int k = 0; k < 60; ++k)
            text += "File " + std::to_string(i) + " line " + std::to_string(k) + " mentions subject " +
                    std::to_string((i * 7 + k) % 23) + ". ";
        write(docs / ("f" + std::to_string(i) + ".txt"), text);
    }
    // Documents of the collection in a state, read by a separate read-only connection while the
    // child process writes (WAL).
    auto countState = [](const fs::path &ws, const char *state) {
        sqlite3 *db = nullptr;
        int64_t n = -1;
        if (sqlite3_open_v2((ws / "workspace.db").c_str(), &db, SQLITE_OPEN_READONLY, nullptr) == SQLITE_OK) {
            sqlite3_busy_timeout(db, 1000);
            sqlite3_stmt *st = nullptr;
            if (sqlite3_prepare_v2(db, "SELECT count(*) FROM kb_documents WHERE state = ?", -1, &st,
                                   nullptr) == SQLITE_OK) {
                sqlite3_bind_text(st, 1, state, -1, SQLITE_STATIC);
                if (sqlite3_step(st) == SQLITE_ROW)
                    n = sqlite3_column_int64(st, 0);
            }
            sqlite3_finalize(st);
        }
        sqlite3_close(db);
        return n;
    };
    // Runs llmwb; with killWhenIndexed > 0, SIGKILLs it once that many documents are indexed.
    auto run = [&](const fs::path &ws, const QStringList &args, int64_t killWhenIndexed,
                   QByteArray *out = nullptr) {
        QProcess p;
        p.start(llmwb, QStringList{"-w", QString::fromStdString(ws.string())} + args);
        if (!p.waitForStarted())
            return -2;
        while (killWhenIndexed > 0 && !p.waitForFinished(5)) {
            if (countState(ws, "indexed") >= killWhenIndexed) {
                ::kill(pid_t(p.processId()), SIGKILL);
                p.waitForFinished(10000);
                return -9;
            }
        }
        p.waitForFinished(300000);
        if (out)
            *out = p.readAllStandardOutput();
        return p.exitCode();
    };
    const QStringList create = {"kb", "create", "kb", "--dim", "48", "--chunk-size", "150", "--overlap", "20"};
    const QStringList add = {"kb", "add", "kb", QString::fromStdString(docs.string())};
    const fs::path a = wbtest::path(dir, "a"), b = wbtest::path(dir, "b");
    QCOMPARE(run(a, create, 0), 0);
    QCOMPARE(run(a, add, 0), 0);
    QCOMPARE(run(b, create, 0), 0);
    QCOMPARE(run(b, add, 5), -9); // killed once a few documents are done
    {
        auto ws = wb::Workspace::open(b);
        const auto stats = KnowledgeBase::open(*ws, "kb")->stats();
        qInfo("killed with %lld documents: %lld indexed, %lld pending",
              static_cast<long long>(stats.documents), static_cast<long long>(stats.indexed),
              static_cast<long long>(stats.pending));
        QVERIFY(stats.indexed >= 5);
        QVERIFY2(stats.indexed < files, "the ingest finished before the kill");
    }
    // The same command again finishes the job without reading the finished documents again.
    QByteArray report;
    QCOMPARE(run(b, add + QStringList{"--json"}, 0, &report), 0);
    const json r = json::parse(report.toStdString(), nullptr, false);
    QVERIFY2(r.is_object() && r.contains("processed"), report.constData());
    QVERIFY2(r["processed"].get<int64_t>() <= files - 5, report.constData());
    auto wsA = wb::Workspace::open(a);
    auto wsB = wb::Workspace::open(b);
    const auto da = dumpCollection(*wsA, "kb"), db = dumpCollection(*wsB, "kb");
    QCOMPARE(db.size(), da.size());
    for (size_t i = 0; i < da.size(); ++i)
        WB_COMPARE_STR(db[i], da[i]);
    auto kb = KnowledgeBase::open(*wsB, "kb");
    WB_COMPARE_STR(kb->checkConsistency(), "");
    QCOMPARE(kb->stats().indexed, int64_t(files));
}

void TstRag::indexRebuiltWhenItDisagrees()
{
    QTemporaryDir dir;
    write(wbtest::path(dir, "docs/a.txt"), "Alpha beta gamma. Delta epsilon.");
    write(wbtest::path(dir, "docs/b.txt"), "Zeta eta theta.");
    auto ws = wb::Workspace::open(wbtest::path(dir, "ws"));
    KnowledgeBase::create(*ws, "kb", json{{"embedder", {{"kind", "hashing"}, {"dim", 32}}}});
    fs::path file;
    {
        auto kb = KnowledgeBase::open(*ws, "kb");
        kb->ingest({{wbtest::path(dir, "docs")}, {}});
        file = kb->indexFile();
    }
    const std::string good = wb::readFile(file);
    // A stale index (as after a crash between SQLite and faiss): one vector too many.
    {
        auto kb = KnowledgeBase::open(*ws, "kb");
        kb->index().add({999999}, kb->index().vector(kb->index().ids()[0]).data());
        kb->index().save(file, kb->info().revision);
    }
    auto kb = KnowledgeBase::open(*ws, "kb");
    QVERIFY2(kb->openMessage().find("1 extra") != std::string::npos, kb->openMessage().c_str());
    WB_COMPARE_STR(kb->checkConsistency(), "");
    kb.reset();
    // A damaged file.
    write(file, "WBKV1\n{\"dim\":32}\ngarbage");
    kb = KnowledgeBase::open(*ws, "kb");
    QVERIFY(kb->openMessage().find("rebuilt") != std::string::npos);
    QCOMPARE(kb->index().size(), int64_t(2));
    kb.reset();
    fs::remove(file);
    kb = KnowledgeBase::open(*ws, "kb");
    QVERIFY(kb->openMessage().find("no index file") != std::string::npos);
    kb.reset();
    QVERIFY(KnowledgeBase::open(*ws, "kb")->openMessage().empty());
}

void TstRag::hybridBeatsEachRetriever()
{
    // Half the questions name a rare term exactly (BM25's strength: the hashing vectors weigh
    // every n-gram alike, so a short text sharing common words wins there); half use other
    // word forms than the answer (the vectors' strength: character n-grams match
    // "synchronizing" to "synchronizer", BM25 needs the same word).
    QTemporaryDir dir;
    const fs::path docs = wbtest::path(dir, "docs");
    const std::vector<std::pair<std::string, std::string>> corpus = {
        // Exact rare codes: the answer is long and says the code once; a short text with
        // other forms of the common words looks closer to the vectors.
        {"e4711.txt", "Service log: the printer queue was restarted, the backup finished, disk usage is "
                      "normal, mail is delivered, and code E4711 appeared once during the night shift."},
        {"errs.txt", "Errors during startups."},
        {"refund.txt", "Customer desk notes: parcels, returns and labels were handled; order 88213 was "
                       "refunded on Friday after a long phone call about shipping costs and weather delays."},
        {"refunds.txt", "Refunds of orders."},
        // Other word forms: the answer shares one exact word with the query, a long text
        // shares two; a short text shares only character n-grams.
        {"sync.txt", "The synchronizer partitioned every disk overnight."},
        {"maps.txt", "Old maps show partitions of farmland and disk harrows; rivers, roads, mills, bridges, "
                     "taxes, harvests, markets, churches, wells and fences are described at length."},
        {"clocks.txt", "Synchronized clocks."},
        {"migr.txt", "Migrated database servers keep their indexing settings."},
        {"library.txt", "Libraries keep indexes of every database of books: shelves, catalogues, readers, "
                        "loans, fines, opening hours, holidays, printers, copies and quiet rooms."},
        {"moves.txt", "Migrations."},
        {"noise1.txt", "Weather notes: rain on Monday, sun on Tuesday, wind later in the week."},
        {"noise2.txt", "A recipe for soup with carrots, onions, celery and a little salt."},
    };
    for (const auto &[name, text] : corpus)
        write(docs / name, text + "\n");
    const std::vector<std::pair<std::string, std::string>> queries = {
        {"error E4711 startup", "e4711.txt"},
        {"refund order 88213", "refund.txt"},
        {"synchronizing disk partitions", "sync.txt"},
        {"migrating database indexes", "migr.txt"},
    };
    auto ws = wb::Workspace::open(wbtest::path(dir, "ws"));
    KnowledgeBase::create(*ws, "kb", json{{"embedder", {{"kind", "hashing"}, {"dim", 1024}}}});
    auto kb = KnowledgeBase::open(*ws, "kb");
    kb->ingest({{docs}, {}});
    SearchOptions opt;
    opt.topK = 10;
    opt.mode = SearchOptions::Mode::Vector;
    const double vectorOnly = mrr(*kb, queries, opt);
    opt.mode = SearchOptions::Mode::Lexical;
    const double bm25Only = mrr(*kb, queries, opt);
    opt.mode = SearchOptions::Mode::Hybrid;
    const double hybrid = mrr(*kb, queries, opt);
    qInfo("MRR: vector %.3f, BM25 %.3f, hybrid %.3f", vectorOnly, bm25Only, hybrid);
    QVERIFY(hybrid > vectorOnly);
    QVERIFY(hybrid > bm25Only);
    // MMR keeps the same set size and still ranks something relevant first.
    opt.mmr = true;
    opt.topK = 3;
    const auto diverse = kb->search("database indexes", opt);
    QCOMPARE(diverse.size(), size_t(3));
}

void TstRag::contextFormatting()
{
    SearchHit a;
    a.path = "/x/manual.pdf";
    a.page = 3;
    a.pageLabel = "p.";
    a.text = "  Install it.  \n";
    SearchHit b;
    b.path = "/x/faq.jsonl";
    b.page = 12;
    b.pageLabel = "row";
    b.text = "Cancel with the button.";
    SearchHit c;
    c.path = "notes.md";
    c.text = "Plain.";
    WB_COMPARE_STR(formatContext({a, b, c}),
                   "[1] manual.pdf p.3\nInstall it.\n\n[2] faq.jsonl row 12\nCancel with the button.\n\n[3] notes.md\nPlain.\n");
    WB_COMPARE_STR(formatContext({a, b, c}, 40), "[1] manual.pdf p.3\nInstall it.\n");
    WB_COMPARE_STR(sourceLabel(a), "manual.pdf p.3");

    // {{context}} in a prompt template, filled from a knowledge base with the row's question.
    QTemporaryDir dir;
    write(wbtest::path(dir, "docs/budget.md"), "# Threads\n\nThe thread budget is set in the settings page.\n");
    write(wbtest::path(dir, "docs/other.md"), "Bananas are yellow.\n");
    auto ws = wb::Workspace::open(wbtest::path(dir, "ws"));
    KnowledgeBase::create(*ws, "kb", json{{"embedder", {{"kind", "hashing"}, {"dim", 64}}}});
    auto kb = KnowledgeBase::open(*ws, "kb");
    kb->ingest({{wbtest::path(dir, "docs")}, {}});
    const auto tpl = wb::PromptTemplate::parse("{{#if context}}Sources:\n{{context}}\n{{/if}}Q: {{instruction}}");
    wb::DatasetRecord row{1, json{{"instruction", "Where is the thread budget set?"}, {"output", "settings"}}};
    SearchOptions one;
    one.topK = 1;
    const auto prompts = wb::renderRecord(tpl, wb::DatasetFormat::Alpaca, row, knowledgeContext(*kb, one));
    WB_COMPARE_STR(prompts.at(0).text, "Sources:\n[1] budget.md\n# Threads\n\nThe thread budget is set in the settings "
                                       "page.\n\nQ: Where is the thread budget set?");
    // Without a knowledge base the same template renders, with no sources.
    WB_COMPARE_STR(wb::renderRecord(tpl, wb::DatasetFormat::Alpaca, row).at(0).text, "Q: Where is the thread budget set?");
}

QTEST_GUILESS_MAIN(TstRag)
#include "tst_rag.moc"

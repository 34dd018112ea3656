// Offscreen GUI tests of the Knowledge tab: create a collection, drop a text file and a binary
// one (the job indexes the text and lists the binary as skipped, with its reason), search it
// and compare the table with core's own search, open a hit's source, remove a document, cancel
// a slow ingest and resume it, seed the demo's knowledge base, and hand the chunks to the
// Playground's {{context}} (listed under the demo model's reply).

#include "test_util.h"

#include "app_context.h"
#include "kb_documents_panel.h"
#include "kb_search_panel.h"
#include "kb_session.h"
#include "kb_source_dialog.h"
#include "knowledge_tab.h"
#include "main_window.h"
#include "playground_tab.h"
#include "rag/embedder.h"
#include "rag/knowledge_base.h"
#include "store/demo_seed.h"
#include "store/model_store.h"
#include "store/workspace.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDoubleSpinBox>
#include <QElapsedTimer>
#include <QLabel>
#include <QPushButton>
#include <QSignalSpy>
#include <QSlider>
#include <QSpinBox>
#include <QTableWidget>
#include <QTreeWidget>
#include <QtTest>

#include <fstream>
#include <thread>

namespace fs = std::filesystem;
using nlohmann::json;

namespace {

// The hashing embedder, slowed down: a few chunks per batch and a pause per batch, so that an
// ingest is still embedding when the test cancels it.
class SlowEmbedder final : public wb::rag::Embedder
{
public:
    std::string id() const override { return m_inner.id(); }
    int dim() const override { return m_inner.dim(); }
    int batchSize() const override { return 2; }
    std::vector<std::vector<float>> embed(const std::vector<std::string> &texts,
                                          const wb::rag::CancelFn &cancel) override
    {
        std::this_thread::sleep_for(std::chrono::milliseconds(40));
        return m_inner.embed(texts, cancel);
    }

private:
    wb::rag::HashingEmbedder m_inner{64};
};

void writeFile(const fs::path &p, const std::string &bytes)
{
    std::ofstream out(p, std::ios::binary);
    out << bytes;
}

const char *kNotes = "Thread budgets\n\nThe job runner sets the OpenMP thread budget before a job "
                     "starts, so libtorch and faiss "
                     "never oversubscribe the cores.\n\n"
                     "Checkpoints\n\nA training run writes a checkpoint every few hundred steps; "
                     "resuming reads the latest "
                     "checkpoint and its optimizer state.\n\n"
                     "Zebra puzzles\n\nThe zebra puzzle asks who owns the zebra; a grid of houses "
                     "and clues solves it by "
                     "elimination.\n\n"
                     "Quantization\n\nInt8 weights halve the memory of bf16 weights with a small "
                     "loss of accuracy.\n";

template <typename T> T *child(QObject *parent, const char *name)
{
    auto *w = parent->findChild<T *>(QLatin1String(name));
    if (!w)
        qFatal("no child %s", name);
    return w;
}

QTreeWidgetItem *documentRow(QTreeWidget *tree, const QString &file)
{
    for (int i = 0; i < tree->topLevelItemCount(); ++i)
        if (tree->topLevelItem(i)->text(0) == file)
            return tree->topLevelItem(i);
    return nullptr;
}

json hashingSettings(int size = 200)
{
    return {{"chunker", {{"unit", "chars"}, {"size", size}, {"overlap", 20}}},
            {"embedder", {{"kind", "hashing"}, {"dim", 128}}}};
}

} // namespace

class TstKnowledge : public QObject
{
    Q_OBJECT
private:
    std::unique_ptr<QTemporaryDir> m_dir;
    std::unique_ptr<wbui::AppContext> m_ctx;
    std::unique_ptr<wbui::MainWindow> m_window;

    wbui::KnowledgeTab *tab() { return m_window->knowledgeTab(); }
    QString file(const char *name, const std::string &bytes)
    {
        const fs::path p = wbtest::path(*m_dir, name);
        writeFile(p, bytes);
        return QString::fromStdString(p.string());
    }
    // Waits for the collection's current job to end.
    bool waitIdle(const QString &collection, int ms = 30000)
    {
        QElapsedTimer t;
        t.start();
        while (tab()->session().isBusy(collection) && t.elapsed() < ms)
            QTest::qWait(20);
        return !tab()->session().isBusy(collection);
    }

private Q_SLOTS:
    void initTestCase()
    {
        wb::rag::registerEmbedderKind(
            "slow-hashing", [](const json &) { return std::make_unique<SlowEmbedder>(); });
        m_dir = std::make_unique<QTemporaryDir>();
        QVERIFY(m_dir->isValid());
        m_ctx = std::make_unique<wbui::AppContext>(wb::Workspace::open(wbtest::path(*m_dir, "ws")));
        m_window = std::make_unique<wbui::MainWindow>(*m_ctx);
        m_window->show();
        QVERIFY(QTest::qWaitForWindowExposed(m_window.get()));
        m_window->tabs()->setCurrentWidget(tab());
    }

    void cleanupTestCase()
    {
        m_window.reset();
        m_ctx.reset();
        m_dir.reset();
    }

    void createsCollections()
    {
        QVERIFY2(tab()->createCollection(QStringLiteral("notes"), hashingSettings()),
                 qPrintable(tab()->lastError()));
        QCOMPARE(tab()->currentCollection(), QStringLiteral("notes"));
        QCOMPARE(tab()->collections()->topLevelItemCount(), 1);
        QVERIFY(!tab()->createCollection(QStringLiteral("notes"), hashingSettings()));
        QVERIFY2(tab()->lastError().contains(QStringLiteral("already exists")),
                 qPrintable(tab()->lastError()));
        // A throwaway collection goes again with Drop.
        QVERIFY(tab()->createCollection(QStringLiteral("scratch"), hashingSettings()));
        QVERIFY(waitIdle(QStringLiteral("scratch")));
        QVERIFY(tab()->dropCollection(QStringLiteral("scratch"), false));
        QCOMPARE(wb::rag::KnowledgeBase::list(m_ctx->workspace()).size(), size_t(1));
        QCOMPARE(tab()->collections()->topLevelItemCount(), 1);
        tab()->selectCollection(QStringLiteral("notes"));
        QVERIFY(waitIdle(QStringLiteral("notes")));
        QVERIFY2(tab()->statsText().contains(QStringLiteral("128 dimensions")),
                 qPrintable(tab()->statsText()));
    }

    void indexesTextAndListsTheBinaryAsSkipped()
    {
        const QString txt = file("notes.txt", kNotes);
        std::string garbage;
        for (int i = 0; i < 4096; ++i)
            garbage.push_back(char((i * 7919 + 13) % 256));
        const QString bin = file("garbage.txt", garbage);
        auto *docs = tab()->documentsPanel();
        QSignalSpy finished(docs, &wbui::KbDocumentsPanel::ingestFinished);
        QVERIFY(tab()->importPaths({txt, bin}));
        QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 1, 30000);
        const auto snap = finished.at(0).at(1).value<wb::JobSnapshot>();
        QCOMPARE(int(snap.state), int(wb::JobState::Succeeded));
        QVERIFY2(docs->progressText().startsWith(QStringLiteral("Done")),
                 qPrintable(docs->progressText()));

        QTreeWidget *tree = docs->tree();
        QCOMPARE(tree->topLevelItemCount(), 2);
        QTreeWidgetItem *good = documentRow(tree, QStringLiteral("notes.txt"));
        QTreeWidgetItem *bad = documentRow(tree, QStringLiteral("garbage.txt"));
        QVERIFY(good && bad);
        QCOMPARE(good->data(0, Qt::UserRole + 2).toString(), QStringLiteral("indexed"));
        QVERIFY(good->text(4).toInt() >= 2); // 200-character chunks of a ~600-character text
        QCOMPARE(bad->data(0, Qt::UserRole + 2).toString(), QStringLiteral("skipped"));
        QVERIFY2(bad->text(5).contains(QStringLiteral("binary")), qPrintable(bad->text(5)));
        QVERIFY(bad->foreground(2).color() != good->foreground(2).color());

        QTRY_VERIFY(tab()->statsText().contains(QStringLiteral("1 indexed, 1 skipped")));
        const auto stats = tab()->session().stats(QStringLiteral("notes"));
        QCOMPARE(stats.vectors, stats.chunks);
        QCOMPARE(stats.chunks, int64_t(good->text(4).toInt()));
        QCOMPARE(tab()->collections()->topLevelItem(0)->text(2), good->text(4));
    }

    void searchShowsCoresRanking()
    {
        auto *search = tab()->searchPanel();
        search->setQuery(QStringLiteral("who owns the zebra"));
        child<QSpinBox>(search, "kbTopK")->setValue(3);
        QSignalSpy done(search, &wbui::KbSearchPanel::searchFinished);
        auto kb = wb::rag::KnowledgeBase::open(m_ctx->workspace(), "notes");
        std::vector<wb::rag::SearchHit> expected;
        // The default hybrid search, then all weight on BM25 with MMR: each as core ranks it.
        for (int pass = 0; pass < 2; ++pass) {
            if (pass == 1) {
                child<QSlider>(search, "kbVectorWeight")->setValue(0);
                child<QCheckBox>(search, "kbMmr")->setChecked(true);
                QCOMPARE(search->options().vectorWeight, 0.0);
                QVERIFY(search->options().mmr);
            }
            QVERIFY(search->search());
            QTRY_COMPARE_WITH_TIMEOUT(done.count(), pass + 1, 20000);
            expected = kb->search("who owns the zebra", search->options());
            QTableWidget *table = search->results();
            QVERIFY(!expected.empty());
            QCOMPARE(table->rowCount(), int(expected.size()));
            QVERIFY(table->rowCount() <= 3);
            for (int r = 0; r < table->rowCount(); ++r) {
                const auto &h = expected[size_t(r)];
                QCOMPARE(table->item(r, 0)->data(Qt::UserRole).toInt(), h.rank);
                QCOMPARE(table->item(r, 1)->data(Qt::UserRole).toString(),
                         QString::fromStdString(h.path));
                QVERIFY(qAbs(table->item(r, 3)->data(Qt::UserRole).toDouble() - h.vectorScore) <
                        1e-9);
                QVERIFY(qAbs(table->item(r, 4)->data(Qt::UserRole).toDouble() - h.bm25) < 1e-9);
                QVERIFY(qAbs(table->item(r, 5)->data(Qt::UserRole).toDouble() - h.fusedScore) <
                        1e-12);
            }
        }
        // The zebra passage wins, and its matched words are highlighted in the chunk view.
        QVERIFY(QString::fromStdString(expected[0].text).contains(QStringLiteral("zebra")));
        QVERIFY(expected[0].bm25 > 0);
        QCOMPARE(search->results()->currentRow(), 0);
        const QString html = search->chunkHtml();
        QVERIFY2(html.contains(QStringLiteral("#ffe08a")), qPrintable(html));
        QVERIFY(html.contains(QStringLiteral("zebra")));

        // Open source shows the document with the chunk selected.
        search->openSource(0);
        auto *dialog = search->findChild<wbui::KbSourceDialog *>();
        QVERIFY(dialog);
        QTRY_VERIFY(dialog->chunkStart() >= 0);
        const QString chunk = QString::fromStdString(expected[0].text);
        QCOMPARE(
            dialog->text().mid(dialog->chunkStart(), dialog->chunkEnd() - dialog->chunkStart()),
            chunk);
        QVERIFY(dialog->location().contains(QStringLiteral("notes.txt")));
        dialog->close();
    }

    void removesADocument()
    {
        auto *docs = tab()->documentsPanel();
        const QString bin = QString::fromStdString(wbtest::path(*m_dir, "garbage.txt").string());
        QVERIFY(docs->removeDocuments({bin}));
        QVERIFY(waitIdle(QStringLiteral("notes")));
        QTRY_COMPARE(docs->tree()->topLevelItemCount(), 1);
        QVERIFY(documentRow(docs->tree(), QStringLiteral("notes.txt")));
        QCOMPARE(tab()->session().stats(QStringLiteral("notes")).documents, int64_t(1));
    }

    void cancelledIngestResumes()
    {
        QVERIFY(tab()->createCollection(
            QStringLiteral("slow"), {{"chunker", {{"unit", "chars"}, {"size", 80}, {"overlap", 0}}},
                                     {"embedder", {{"kind", "slow-hashing"}}}}));
        QVERIFY(waitIdle(QStringLiteral("slow")));
        std::string text;
        for (int i = 0; i < 120; ++i)
            text += "Paragraph " + std::to_string(i) + " talks about topic number " +
                    std::to_string(i * 17) + ".\n\n";
        const QString big = file("big.md", text);
        auto *docs = tab()->documentsPanel();
        QSignalSpy finished(docs, &wbui::KbDocumentsPanel::ingestFinished);
        QVERIFY(tab()->importPaths({big}));
        auto *cancel = child<QPushButton>(docs, "kbCancel");
        QTRY_VERIFY_WITH_TIMEOUT(docs->progressText().startsWith(QStringLiteral("Embedding")),
                                 20000);
        QVERIFY(cancel->isEnabled());
        cancel->click();
        QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 1, 20000);
        QCOMPARE(int(finished.at(0).at(1).value<wb::JobSnapshot>().state),
                 int(wb::JobState::Cancelled));
        QVERIFY(waitIdle(QStringLiteral("slow")));

        // Chunks were committed, only some have vectors, and the tab offers to resume.
        const auto stopped = tab()->session().stats(QStringLiteral("slow"));
        QVERIFY(stopped.chunks > 20);
        QVERIFY2(stopped.vectors < stopped.chunks, qPrintable(QString::number(stopped.vectors)));
        QCOMPARE(stopped.pending, int64_t(1));
        QTreeWidgetItem *row = documentRow(docs->tree(), QStringLiteral("big.md"));
        QVERIFY(row);
        QCOMPARE(row->data(0, Qt::UserRole + 2).toString(), QStringLiteral("chunked"));
        auto *resume = child<QPushButton>(docs, "kbResume");
        QVERIFY(resume->isEnabled());
        QVERIFY(!cancel->isEnabled());

        resume->click();
        QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 2, 60000);
        const auto snap = finished.at(1).at(1).value<wb::JobSnapshot>();
        QCOMPARE(int(snap.state), int(wb::JobState::Succeeded));
        QVERIFY(waitIdle(QStringLiteral("slow")));
        const auto after = tab()->session().stats(QStringLiteral("slow"));
        QCOMPARE(after.chunks, stopped.chunks);
        QCOMPARE(after.vectors, after.chunks);
        QCOMPARE(after.pending, int64_t(0));
        // Only the rest was embedded: what the cancelled run stored was kept.
        QCOMPARE(snap.result.value("embedded", int64_t(-1)), after.chunks - stopped.vectors);
        QCOMPARE(documentRow(docs->tree(), QStringLiteral("big.md"))
                     ->data(0, Qt::UserRole + 2)
                     .toString(),
                 QStringLiteral("indexed"));
        QVERIFY(!resume->isEnabled());
        auto kb = wb::rag::KnowledgeBase::open(m_ctx->workspace(), "slow");
        QCOMPARE(kb->checkConsistency(), std::string());
    }

    void demoSeedsAKnowledgeBase()
    {
        QTemporaryDir dir;
        auto ws = wb::Workspace::open(wbtest::path(dir, "demo"));
        QElapsedTimer t;
        t.start();
        QVERIFY(wb::seedDemoKnowledgeBase(*ws));
        qInfo("demo knowledge base seeded in %lld ms", t.elapsed());
        QVERIFY(!wb::seedDemoKnowledgeBase(*ws)); // once
        auto kb = wb::rag::KnowledgeBase::open(*ws, "demo-handbook");
        const auto stats = kb->stats();
        QCOMPARE(stats.documents, int64_t(3));
        QCOMPARE(stats.indexed, int64_t(3));
        QVERIFY(stats.chunks >= 10);
        const auto hits = kb->search("truth-teller liar island", {});
        QVERIFY(!hits.empty());
        QVERIFY(hits[0].heading.find("Truth-tellers") != std::string::npos ||
                hits[0].text.find("liar") != std::string::npos);
    }

    void playgroundGivesTheChunksToContext()
    {
        wb::seedDemo(m_ctx->workspace(), true);
        Q_EMIT m_ctx->templatesChanged();
        Q_EMIT m_ctx->datasetsChanged();
        auto *play = m_window->playgroundTab();
        m_window->tabs()->setCurrentWidget(play);
        child<QComboBox>(play, "playgroundKnowledge"); // listed
        play->selectKnowledgeBase(QStringLiteral("demo-handbook"));
        QComboBox *templates = nullptr;
        for (auto *box : play->findChildren<QComboBox *>())
            if (box->findText(QStringLiteral("logic-rag")) >= 0)
                templates = box;
        QVERIFY(templates);
        templates->setCurrentIndex(templates->findText(QStringLiteral("logic-rag")));
        QSignalSpy inserted(play, &wbui::PlaygroundTab::promptInserted);
        play->insertTemplatePrompt();
        QTRY_COMPARE_WITH_TIMEOUT(inserted.count(), 1, 30000);
        QVERIFY2(play->inputText().contains(QStringLiteral("### Reference notes:")),
                 qPrintable(play->inputText()));
        QVERIFY(play->inputText().contains(QStringLiteral("[1] ")));
        QVERIFY(!play->contextSources().isEmpty());
        QVERIFY(play->contextSources().size() <= 3);
        QVERIFY2(play->contextSources().front().startsWith(QStringLiteral("[1] ")),
                 qPrintable(play->contextSources().front()));
        QVERIFY(play->inputText().contains(play->contextSources().front()));
        QCOMPARE(child<QLabel>(play, "playgroundContextSources")->text(),
                 play->contextSources().join(QLatin1Char('\n')));
        // Sent to the demo model, the reply is followed by the sources of the chunks it was given.
        if (wb::ModelStore(m_ctx->workspace()).find("demo-model")) {
            Q_EMIT m_ctx->modelsChanged();
            play->selectModel(QStringLiteral("demo-model"));
            child<QDoubleSpinBox>(play, "temperature")->setValue(0);
            child<QSpinBox>(play, "maxTokens")->setValue(2);
            play->loadSelected();
            QTRY_VERIFY_WITH_TIMEOUT(play->statusText().startsWith(QStringLiteral("Loaded")),
                                     60000);
            QSignalSpy replied(play, &wbui::PlaygroundTab::replyFinished);
            play->send(play->inputText());
            QTRY_COMPARE_WITH_TIMEOUT(replied.count(), 1, 60000);
            const QString transcript = play->transcriptText();
            const QString given = QStringLiteral("Context given: ") +
                                  play->contextSources().join(QStringLiteral(" · "));
            QVERIFY2(transcript.trimmed().endsWith(given), qPrintable(transcript.right(300)));
        } else {
            qInfo("no demo model in this build: the reply's source list is not checked");
        }
        // None: the section disappears.
        play->selectKnowledgeBase(QString());
        play->insertTemplatePrompt();
        QTRY_COMPARE_WITH_TIMEOUT(inserted.count(), 2, 30000);
        QVERIFY(!play->inputText().contains(QStringLiteral("### Reference notes:")));
        QVERIFY(play->contextSources().isEmpty());
        m_window->tabs()->setCurrentWidget(tab());
    }
};

QTEST_MAIN(TstKnowledge)
#include "tst_knowledge.moc"

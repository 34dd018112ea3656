// Offscreen GUI tests: dropping files imports them, the preview and the template preview
// show the expected text, the validation report leads to its rows, jobs can be cancelled.

#include "test_util.h"

#include "app_context.h"
#include "common/files.h"
#include "dataset_preview_model.h"
#include "datasets_tab.h"
#include "job_bridge.h"
#include "jobs/job_runner.h"
#include "jobs_panel.h"
#include "main_window.h"
#include "prompts_tab.h"
#include "store/dataset_store.h"
#include "store/demo_seed.h"
#include "store/workspace.h"

#include <QLabel>
#include <QListWidget>
#include <QTextBlock>
#include <QMimeData>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QTabWidget>
#include <QTableWidget>
#include <QTemporaryDir>
#include <QToolButton>
#include <QTreeView>
#include <QTreeWidget>
#include <QtTest>

#include <thread>

namespace fs = std::filesystem;

namespace {

const char *kAlpaca =
    "{\"instruction\": \"Translate to French\", \"input\": \"cat\", \"output\": \"chat\"}\n"
    "{\"instruction\": \"Add the numbers\", \"input\": \"2 3\", \"output\": \"5\"}\n";

const char *kLogic =
    "{\"id\": \"q-1\", \"problem\": \"Ann is older than Bob.\", \"questions\": ["
    "{\"question\": \"Who is older?\", \"options\": [\"Ann\", \"Bob\"], \"answer\": \"A\"},"
    "{\"question\": \"Who is younger?\", \"options\": [\"Ann\", \"Bob\", \"Neither\"], \"answer\": \"B\"}]}\n"
    "{\"id\": \"q-2\", \"problem\": \"Cy sits left of Di.\", \"questions\": ["
    "{\"question\": \"Who sits right?\", \"options\": [\"Cy\", \"Di\"], \"answer\": \"Z\"}]}\n"
    "{\"id\": \"q-3\", \"problem\": \"Eve likes tea.\", \"questions\": ["
    "{\"question\": \"Does Eve like tea?\", \"options\": [\"yes\", \"no\"], \"answer\": \"A\"}]}\n";

QStringList sidebarDatasets(QTreeWidget *tree)
{
    QStringList names;
    auto *root = tree->topLevelItem(0);
    for (int i = 0; root && i < root->childCount(); ++i)
        names << root->child(i)->text(0);
    return names;
}

void dropFiles(QWidget *target, const QStringList &paths)
{
    auto *mime = new QMimeData;
    QList<QUrl> urls;
    for (const auto &p : paths)
        urls << QUrl::fromLocalFile(p);
    mime->setUrls(urls);
    const QPointF pos(target->width() / 2.0, target->height() / 2.0);
    QDragEnterEvent enter(pos.toPoint(), Qt::CopyAction, mime, Qt::LeftButton, Qt::NoModifier);
    QCoreApplication::sendEvent(target, &enter);
    QVERIFY(enter.isAccepted());
    QDropEvent drop(pos, Qt::CopyAction, mime, Qt::LeftButton, Qt::NoModifier);
    QCoreApplication::sendEvent(target, &drop);
    QVERIFY(drop.isAccepted());
    delete mime;
}

} // namespace

class TstGui : public QObject
{
    Q_OBJECT
private:
    std::unique_ptr<QTemporaryDir> m_dir;
    std::unique_ptr<wbui::AppContext> m_ctx;
    std::unique_ptr<wbui::MainWindow> m_window;

    QString file(const char *name, const char *content)
    {
        const fs::path p = wbtest::path(*m_dir, name);
        wb::writeFileAtomic(p, content);
        return QString::fromStdString(p.string());
    }

private Q_SLOTS:
    void init()
    {
        m_dir = std::make_unique<QTemporaryDir>();
        auto ws = wb::Workspace::open(wbtest::path(*m_dir, "ws"));
        wb::seedDemo(*ws);
        m_ctx = std::make_unique<wbui::AppContext>(std::move(ws));
        m_window = std::make_unique<wbui::MainWindow>(*m_ctx);
        m_window->show();
        QVERIFY(QTest::qWaitForWindowExposed(m_window.get()));
    }

    void cleanup()
    {
        m_window.reset();
        m_ctx.reset();
        m_dir.reset();
    }

    void startsOnDemoWorkspace()
    {
        const QStringList names = sidebarDatasets(m_window->sidebar());
        QVERIFY(names.contains(QStringLiteral("demo-train")));
        QVERIFY(names.contains(QStringLiteral("demo-eval")));
        auto *tab = m_window->datasetsTab();
        QTRY_VERIFY(tab->current() && tab->current()->info);
        // Datasets, Prompts, Knowledge, Models, Playground, Training, Compare: no placeholders
        QCOMPARE(m_window->tabs()->count(), 7);
    }

    void droppingAFileImportsIt()
    {
        const QString path = file("phrases.jsonl", kAlpaca);
        dropFiles(m_window.get(), {path});
        auto *tab = m_window->datasetsTab();
        QTRY_VERIFY(sidebarDatasets(m_window->sidebar()).contains(QStringLiteral("phrases")));
        QTRY_VERIFY(tab->current() && tab->current()->label == QStringLiteral("phrases"));
        auto *view = tab->findChild<QTreeView *>(QStringLiteral("previewView"));
        auto *model = view->model();
        QCOMPARE(model->rowCount(), 2);
        QCOMPARE(model->index(0, 1).data().toString(), QStringLiteral("Translate to French"));
        QCOMPARE(model->index(1, 3).data().toString(), QStringLiteral("5"));
        QCOMPARE(model->headerData(1, Qt::Horizontal).toString(), QStringLiteral("Instruction"));
        // The import was a job, recorded in the jobs panel as done.
        auto *jobs = m_window->jobsPanel()->tree();
        QTRY_VERIFY(!jobs->findItems(QStringLiteral("Import phrases.jsonl"), Qt::MatchExactly).isEmpty());
        // Dropping the same content again is recognised, not duplicated.
        dropFiles(m_window.get(), {file("phrases-copy.jsonl", kAlpaca)});
        auto *banner = tab->findChild<QFrame *>(QStringLiteral("importBanner"));
        QTRY_VERIFY(banner->isVisible());
        QVERIFY(!sidebarDatasets(m_window->sidebar()).contains(QStringLiteral("phrases-copy")));
    }

    void logicPreviewExpandsToQuestions()
    {
        // Import a clean two-problem file and look at its first problem's questions.
        wb::DatasetStore store(m_ctx->workspace());
        const QString path = file("clean.jsonl",
                                  "{\"id\": \"q-1\", \"problem\": \"Ann is older than Bob.\", \"questions\": ["
                                  "{\"question\": \"Who is older?\", \"options\": [\"Ann\", \"Bob\"], \"answer\": \"A\"},"
                                  "{\"question\": \"Who is younger?\", \"options\": [\"Ann\", \"Bob\", \"Neither\"], \"answer\": \"B\"}]}\n");
        m_window->importPaths({path});
        auto *tab = m_window->datasetsTab();
        QTRY_VERIFY(tab->current() && tab->current()->label == QStringLiteral("clean"));
        auto *model = tab->findChild<QTreeView *>(QStringLiteral("previewView"))->model();
        const QModelIndex problem = model->index(0, 0);
        QCOMPARE(model->index(0, 1).data().toString(), QStringLiteral("q-1"));
        QCOMPARE(model->index(0, 4).data().toString(), QStringLiteral("A B"));
        QCOMPARE(model->rowCount(problem), 2);
        QCOMPARE(model->index(1, 2, problem).data().toString(), QStringLiteral("Who is younger?"));
        QCOMPARE(model->index(1, 3, problem).data().toString(),
                 QStringLiteral("A. Ann\nB. Bob\nC. Neither"));
        QCOMPARE(model->index(1, 4, problem).data().toString(), QStringLiteral("B"));
    }

    void pagingWalksTheDemo()
    {
        auto *tab = m_window->datasetsTab();
        tab->showDataset(QStringLiteral("demo-train"));
        QTRY_VERIFY(tab->current() && tab->current()->label == QStringLiteral("demo-train"));
        QCOMPARE(tab->pageCount(), 5); // 240 problems, 50 a page
        auto *next = tab->findChild<QPushButton *>(QStringLiteral("nextPage"));
        QTest::mouseClick(next, Qt::LeftButton);
        QCOMPARE(tab->currentPage(), 1);
        auto *model = tab->findChild<QTreeView *>(QStringLiteral("previewView"))->model();
        QCOMPARE(model->index(0, 0).data().toString(), QStringLiteral("51"));
        QVERIFY(tab->findChild<QLabel *>(QStringLiteral("pageLabel"))->text().contains(QStringLiteral("51")));
    }

    void invalidRowsAreReportedAndImportedOnlyWithConsent()
    {
        auto *tab = m_window->datasetsTab();
        tab->importFiles({file("mixed.jsonl", kLogic)});
        auto *banner = tab->findChild<QFrame *>(QStringLiteral("importBanner"));
        QTRY_VERIFY(banner->isVisible());
        QVERIFY(!sidebarDatasets(m_window->sidebar()).contains(QStringLiteral("mixed")));
        auto *issues = tab->findChild<QTableWidget *>(QStringLiteral("issuesTable"));
        int row2 = -1;
        for (int r = 0; r < issues->rowCount(); ++r)
            if (issues->item(r, 1)->text() == QStringLiteral("2"))
                row2 = r;
        QVERIFY2(row2 >= 0, "the bad answer on line 2 must be listed");
        QCOMPARE(issues->item(row2, 2)->text(), QStringLiteral("questions[0].answer"));
        QVERIFY(issues->item(row2, 3)->text().contains(QStringLiteral("'Z'")));

        // Clicking the problem shows its line in the source view.
        QTest::mouseClick(issues->viewport(), Qt::LeftButton, {},
                          issues->visualItemRect(issues->item(row2, 3)).center());
        auto *tabs = tab->findChild<QTabWidget *>(QStringLiteral("datasetTabs"));
        auto *source = tab->findChild<QPlainTextEdit *>(QStringLiteral("sourceView"));
        QCOMPARE(tabs->currentWidget(), source);
        QCOMPARE(source->textCursor().blockNumber(), 1);
        QVERIFY(source->textCursor().block().text().contains(QStringLiteral("Cy sits left of Di")));

        auto *accept = tab->findChild<QPushButton *>(QStringLiteral("acceptInvalidButton"));
        QVERIFY(accept->isVisible());
        QTest::mouseClick(accept, Qt::LeftButton);
        QTRY_VERIFY(sidebarDatasets(m_window->sidebar()).contains(QStringLiteral("mixed")));
        const auto info = wb::DatasetStore(m_ctx->workspace()).get("mixed");
        QCOMPARE(info.latest.rowCount, size_t(2));
        QCOMPARE(info.latest.skippedRows, size_t(1));
    }

    void unusableFileIsRefusedWithReason()
    {
        auto *tab = m_window->datasetsTab();
        tab->importFiles({file("gbk.jsonl", "{\"id\": \"1\", \"problem\": \"\xC4\xE3\xBA\xC3\"}\n")});
        auto *banner = tab->findChild<QFrame *>(QStringLiteral("importBanner"));
        QTRY_VERIFY(banner->isVisible());
        QVERIFY(!tab->findChild<QPushButton *>(QStringLiteral("acceptInvalidButton"))->isVisible());
        auto *issues = tab->findChild<QTableWidget *>(QStringLiteral("issuesTable"));
        QVERIFY(issues->rowCount() >= 1);
        QVERIFY(issues->item(0, 3)->text().contains(QStringLiteral("GB18030")));
        QVERIFY(!sidebarDatasets(m_window->sidebar()).contains(QStringLiteral("gbk")));
    }

    void templatePreviewRendersRow()
    {
        m_window->importPaths({file("clean2.jsonl",
                                    "{\"id\": \"q-9\", \"problem\": \"Ann is older than Bob.\", \"questions\": ["
                                    "{\"question\": \"Who is older?\", \"options\": [\"Ann\", \"Bob\"], \"answer\": \"A\"},"
                                    "{\"question\": \"Who is younger?\", \"options\": [\"Ann\", \"Bob\", \"Neither\"], \"answer\": \"B\"}]}\n")});
        QTRY_VERIFY(sidebarDatasets(m_window->sidebar()).contains(QStringLiteral("clean2")));
        auto *prompts = m_window->promptsTab();
        prompts->showTemplate(QStringLiteral("logic-direct"));
        prompts->setPreviewDataset(QStringLiteral("clean2"));
        auto *editor = prompts->findChild<QPlainTextEdit *>(QStringLiteral("templateEditor"));
        editor->setPlainText(QStringLiteral("[{{id}}] {{problem}}\nQ{{question_number}}: {{question}}\n"
                                            "{{#each options}}\n{{letter}}) {{this}}\n{{/each}}\nAnswer:"));
        prompts->setPreviewRow(0, 1);
        QTRY_COMPARE(prompts->previewText(),
                     QStringLiteral("[q-9] Ann is older than Bob.\nQ2: Who is younger?\n"
                                    "A) Ann\nB) Bob\nC) Neither\nAnswer:"));
        QCOMPARE(prompts->variables(),
                 (QStringList{QStringLiteral("id"), QStringLiteral("problem"),
                              QStringLiteral("question_number"), QStringLiteral("question"),
                              QStringLiteral("options")}));
        QVERIFY(prompts->findChild<QLabel *>(QStringLiteral("previewInfo"))->text().contains(QStringLiteral("B")));

        // A syntax error names its place; the preview does not pretend to work.
        editor->setPlainText(QStringLiteral("Hello\n{{#each options}}{{letter}}"));
        QTRY_VERIFY(prompts->errorText().contains(QStringLiteral("line 2")));
        QVERIFY(prompts->previewText().isEmpty());

        // Saving makes a version; the edit survives switching templates before saving.
        editor->setPlainText(QStringLiteral("{{question}}"));
        QVERIFY(prompts->hasUnsavedChanges());
        prompts->showTemplate(QStringLiteral("alpaca"));
        prompts->showTemplate(QStringLiteral("logic-direct"));
        QCOMPARE(editor->toPlainText(), QStringLiteral("{{question}}"));
        QVERIFY(prompts->save());
        QVERIFY(!prompts->hasUnsavedChanges());
        auto *versions = prompts->findChild<QListWidget *>(QStringLiteral("versionList"));
        QCOMPARE(versions->count(), 2);
    }

    void bridgeThrottlesProgress()
    {
        // 20,000 progress reports must not become 20,000 queued signals.
        int updates = 0;
        bool finished = false;
        connect(&m_ctx->bridge(), &wbui::JobBridge::jobUpdated, this, [&] { ++updates; });
        wb::JobSpec spec;
        spec.kind = "test.chatty";
        spec.title = "Chatty job";
        spec.work = [](wb::JobContext &ctx) {
            for (int i = 0; i < 20000; ++i) {
                ctx.progress(i / 20000.0, "step");
                if (i % 1000 == 0)
                    std::this_thread::sleep_for(std::chrono::milliseconds(15));
            }
            return nlohmann::json();
        };
        m_ctx->submit(std::move(spec), [&](const wb::JobSnapshot &s) {
            finished = s.state == wb::JobState::Succeeded;
        });
        QTRY_VERIFY(finished);
        QVERIFY2(updates < 100, qPrintable(QString::number(updates)));
        QVERIFY(updates >= 2); // started and finished at least
    }

    void jobsCanBeCancelledFromThePanel()
    {
        wb::JobSpec spec;
        spec.kind = "test.spin";
        spec.title = "Spin until cancelled";
        spec.work = [](wb::JobContext &ctx) {
            for (int i = 0;; ++i) {
                ctx.throwIfCancelled();
                ctx.progress(-1, "spinning");
                std::this_thread::sleep_for(std::chrono::milliseconds(5));
            }
            return nlohmann::json();
        };
        const auto id = m_ctx->submit(std::move(spec));
        auto *tree = m_window->jobsPanel()->tree();
        QToolButton *cancel = nullptr;
        QTRY_VERIFY((cancel = tree->findChild<QToolButton *>(QStringLiteral("cancelJob%1").arg(id))));
        QTest::mouseClick(cancel, Qt::LeftButton);
        QTRY_COMPARE(m_ctx->jobs().snapshot(id)->state, wb::JobState::Cancelled);
        QTRY_VERIFY(!tree->findItems(QStringLiteral("cancelled"), Qt::MatchExactly, 1).isEmpty());
    }
};

QTEST_MAIN(TstGui)
#include "tst_gui.moc"

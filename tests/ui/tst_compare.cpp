// Offscreen GUI tests of the Compare tab on the demo model: an experiment built in the tab runs
// as a job and the matrix shows the accuracies the store computes; a cell's questions, two cells'
// McNemar test and the CSV export agree with the core functions; a run stopped from the tab is
// "stopped" and Resume finishes it; the tab's run and `llmwb compare run` of the
// same EXPERIMENT.json store the same records; a remote endpoint's key never reaches the
// workspace when no keychain is available.

#include "test_util.h"

#include "api_keys.h"
#include "app_context.h"
#include "compare_builder.h"
#include "compare_charts.h"
#include "compare_common.h"
#include "compare_detail.h"
#include "compare_history.h"
#include "compare_matrix.h"
#include "compare_pairwise.h"
#include "compare_tab.h"
#include "eval/compare.h"
#include "main_window.h"
#include "remote/remote_endpoint.h"
#include "remote_endpoint_dialog.h"
#include "store/demo_seed.h"
#include "store/workspace.h"
#include "training_tab.h"

#include <QCheckBox>
#include <QComboBox>
#include <QFile>
#include <QFileInfo>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QProcess>
#include <QPushButton>
#include <QSignalSpy>
#include <QSpinBox>
#include <QTableView>
#include <QTableWidget>
#include <QTemporaryDir>
#include <QTextBrowser>
#include <QTreeWidget>
#include <QtTest>

#include <fstream>

namespace fs = std::filesystem;

namespace {

template <typename T> T *child(QObject *parent, const char *name)
{
    auto *w = parent->findChild<T *>(QLatin1String(name));
    if (!w)
        qFatal("no child %s", name);
    return w;
}

// The results JSON without what differs between two runs of the same experiment: the run's
// name and state, when it ran, and how long each answer took.
nlohmann::json comparable(nlohmann::json j)
{
    j.erase("run");
    if (j.contains("lineage") && j["lineage"].is_object())
        for (const char *k : {"created_at", "started_at", "finished_at", "run"})
            j["lineage"].erase(k);
    for (const char *list : {"cells", "ensembles"})
        for (auto &c : j[list])
            for (const char *k :
                 {"mean_latency_s", "mean_ttft_s", "tokens_per_s", "cached_samples"})
                c.erase(k);
    return j;
}

} // namespace

class TstCompare : public QObject
{
    Q_OBJECT
private:
    std::unique_ptr<QTemporaryDir> m_dir;
    std::unique_ptr<wbui::AppContext> m_ctx;
    std::unique_ptr<wbui::MainWindow> m_window;
    fs::path m_ws;

    wbui::CompareTab *tab() { return m_window->compareTab(); }

    // demo-model on 3 problems of demo-eval with logic-direct, greedy and 3 votes at T = 0.7,
    // 8 new tokens: two cells, fast on a CPU.
    void buildSmallExperiment(int limit = 3)
    {
        auto *b = tab()->builder();
        child<QLineEdit>(b, "experimentName")->setText(QStringLiteral("small"));
        child<QComboBox>(b, "compareDataset")->setCurrentText(QStringLiteral("demo-eval"));
        child<QComboBox>(b, "compareSplit")->setCurrentIndex(0);
        child<QSpinBox>(b, "compareLimit")->setValue(limit);
        auto *method = child<QComboBox>(b, "compareMethod");
        method->setCurrentIndex(method->findData(QStringLiteral("generate")));
        b->variants()->setVariants({wb::Variant{}});
        child<QComboBox>(b, "variantModel0")->setCurrentText(QStringLiteral("demo-model"));
        auto *templates = child<QListWidget>(b, "compareTemplates");
        for (int i = 0; i < templates->count(); ++i)
            templates->item(i)->setCheckState(
                templates->item(i)->text() == QLatin1String("logic-direct") ? Qt::Checked
                                                                            : Qt::Unchecked);
        auto *rag = child<QTableWidget>(b, "compareRag");
        for (int r = 0; r < rag->rowCount(); ++r)
            rag->item(r, 0)->setCheckState(r == 0 ? Qt::Checked : Qt::Unchecked);
        wb::Decoding votes = wbui::DecodingTable::votes(3, 0.7f);
        votes.maxNewTokens = 8;
        votes.seed = 11;
        b->decodings()->setDecodings({wbui::DecodingTable::greedy(8), votes});
        child<QTableWidget>(b, "compareEnsembles")->setRowCount(0);
        child<QCheckBox>(tab(), "compareNoCache")->setChecked(true);
    }

    // Starts the tab's run and waits for it; returns the run's name.
    QString runInTab(wb::JobState expect = wb::JobState::Succeeded)
    {
        QSignalSpy finished(tab(), &wbui::CompareTab::runFinished);
        if (!tab()->start())
            return {};
        (void)QTest::qWaitFor([&] { return finished.count() > 0; }, 300000);
        if (finished.count() != 1)
            return {};
        const auto snap = finished.first().first().value<wb::JobSnapshot>();
        if (snap.state != expect)
            qWarning("run ended %s: %s", wb::jobStateName(snap.state), snap.error.c_str());
        return snap.state == expect ? tab()->shownRun() : QString();
    }

    wb::CompareResults storeResults(const QString &run)
    {
        return wb::CompareStore(m_ctx->workspace()).results(run.toStdString());
    }

    void click(QTableView *view, const QModelIndex &index, Qt::KeyboardModifiers mods = {})
    {
        view->scrollTo(index);
        QTest::mouseClick(view->viewport(), Qt::LeftButton, mods, view->visualRect(index).center());
    }

private Q_SLOTS:
    void initTestCase()
    {
        // No keychain prompt in a test session: keys stay in memory (and are checked to).
        qputenv("WB_NO_KEYCHAIN", "1");
    }

    void init()
    {
        m_dir = std::make_unique<QTemporaryDir>();
        m_ws = wbtest::path(*m_dir, "ws");
        {
            auto ws = wb::Workspace::open(m_ws);
            wb::seedDemo(*ws);
        }
        m_ctx = std::make_unique<wbui::AppContext>(wb::Workspace::open(m_ws));
        m_window = std::make_unique<wbui::MainWindow>(*m_ctx);
        m_window->resize(1366, 768);
        m_window->show();
        QVERIFY(QTest::qWaitForWindowExposed(m_window.get()));
        m_window->tabs()->setCurrentWidget(tab());
    }

    void cleanup()
    {
        m_window.reset();
        m_ctx.reset();
        m_dir.reset();
    }

    void tabComesAfterTraining()
    {
        const int training = m_window->tabs()->indexOf(m_window->trainingTab());
        QCOMPARE(m_window->tabs()->indexOf(tab()), training + 1);
        QCOMPARE(m_window->tabs()->tabText(training + 1), QStringLiteral("Compare"));
        // The tie rule is stated under the matrix.
        QVERIFY(
            child<QLabel>(tab(), "tieRuleNote")->text().contains(QStringLiteral("voted first")));
        // The demo's saved experiment is loaded, valid, and its adapter run is offered.
        QVERIFY(tab()->savedExperiments()->findText(QStringLiteral("demo")) >= 0);
        QString problem;
        const auto e = tab()->builder()->experiment(&problem);
        QVERIFY2(e.has_value(), qPrintable(problem));
        QCOMPARE(e->name, std::string("demo"));
        QCOMPARE(e->toJson(),
                 wb::CompareStore(m_ctx->workspace()).findExperiment("demo")->toJson());
        QTRY_VERIFY_WITH_TIMEOUT(child<QComboBox>(tab()->builder(), "variantAdapter1")
                                         ->findData(QStringLiteral("demo-lora")) >= 0,
                                 20000);
        QCOMPARE(tab()->builder()->variants()->variants()[1].adapter, std::string("demo-lora"));
    }

    void planCountsCellsQuestionsAndCalls()
    {
        buildSmallExperiment();
        QSignalSpy plan(tab(), &wbui::CompareTab::planReady);
        QTRY_VERIFY_WITH_TIMEOUT(
            plan.count() > 0 && !tab()->planText().contains(QStringLiteral("Counting")), 60000);
        const auto e = tab()->builder()->experiment();
        QVERIFY(e.has_value());
        const wb::ComparePlan p = wb::planCompare(m_ctx->workspace(), *e);
        QCOMPARE(p.cells, size_t(2));
        const QString text = tab()->planText();
        QVERIFY2(text.contains(QStringLiteral("2 cells × %1 questions = %2 calls")
                                   .arg(p.questions)
                                   .arg(p.samples)),
                 qPrintable(text));
        QCOMPARE(p.samples, p.questions * 4); // greedy + 3 votes per question
    }

    void runShowsMatrixQuestionsPairAndExports()
    {
        buildSmallExperiment();
        const QString run = runInTab();
        QVERIFY2(!run.isEmpty(), qPrintable(tab()->statusText()));
        const wb::CompareResults r = storeResults(run);
        QCOMPARE(r.cells.size(), size_t(2));
        QVERIFY(r.questions.size() >= 3);
        QCOMPARE(r.doneSamples(), r.totalSamples());

        // The matrix: every cell once, with the store's accuracy and interval; the best has ★.
        auto *model = tab()->matrix()->model();
        int shown = 0;
        for (int row = 0; row < model->rowCount(); ++row)
            for (int col = 0; col < model->columnCount(); ++col)
                shown += !model->cellId(model->index(row, col)).isEmpty();
        QCOMPARE(shown, int(r.cells.size()));
        for (const auto &c : r.cells) {
            const QString text = model->text(QString::fromStdString(c.id));
            const QString acc = QString::number(c.accuracy * 100, 'f', 1) + QLatin1Char('%');
            const QString lo = QString::number(c.ci95.first * 100, 'f', 1);
            const QString hi = QString::number(c.ci95.second * 100, 'f', 1);
            QVERIFY2(text.contains(acc) && text.contains(lo) && text.contains(hi),
                     qPrintable(text));
            QCOMPARE(text.startsWith(QStringLiteral("★")), r.best() == &c);
        }

        // Clicking a cell lists its questions, one row each, with the expected answers and votes.
        auto *view = tab()->matrix()->view();
        const QString second = QString::fromStdString(r.cells[1].id);
        click(view, model->indexOf(second));
        auto *qtable = tab()->questions()->table();
        QCOMPARE(tab()->questions()->cell(), second);
        QCOMPARE(qtable->rowCount(), int(r.questions.size()));
        int voteCol = -1;
        for (int c = 0; c < qtable->columnCount(); ++c)
            if (qtable->horizontalHeaderItem(c)->text() == QLatin1String("Vote"))
                voteCol = c;
        QVERIFY(voteCol > 0);
        QCOMPARE(voteCol, 3 + r.cells[1].samples); // a column per sample
        for (int i = 0; i < qtable->rowCount(); ++i) {
            QCOMPARE(qtable->item(i, 2)->text(),
                     QString::fromStdString(r.questions[size_t(i)].expected));
            const std::string &voted = r.cells[1].questions[size_t(i)].voted;
            if (!voted.empty())
                QCOMPARE(qtable->item(i, voteCol)->text(), QString::fromStdString(voted));
        }
        qtable->setCurrentCell(0, 1);
        QVERIFY(
            tab()->questions()->responses()->toPlainText().contains(QStringLiteral("Sample 3")));

        // Ctrl+click a second cell: the pair view shows diffCells' McNemar p, b and c.
        const QString first = QString::fromStdString(r.cells[0].id);
        click(view, model->indexOf(first), Qt::ControlModifier);
        QCOMPARE(tab()->pairwise()->cellA(), second);
        QCOMPARE(tab()->pairwise()->cellB(), first);
        const wb::CellDiff d = wb::diffCells(r, second.toStdString(), first.toStdString());
        const QString summary = tab()->pairwise()->summaryText();
        QVERIFY2(summary.contains(
                     QStringLiteral("McNemar p = %1").arg(wbui::ComparePairView::formatP(d.p))),
                 qPrintable(summary));
        QVERIFY2(summary.contains(QStringLiteral("b (only A right) = %1").arg(d.onlyA)),
                 qPrintable(summary));
        QVERIFY2(summary.contains(QStringLiteral("c (only B right) = %1").arg(d.onlyB)),
                 qPrintable(summary));
        QCOMPARE(tab()->pairwise()->visibleRowCount(), int(d.disagree.size()));
        tab()->pairwise()->disagreeOnly()->setChecked(false);
        QCOMPARE(tab()->pairwise()->visibleRowCount(), int(r.questions.size()));

        // Charts: a bar per cell, a votes curve for the 3-sample cell, the demo's families.
        QCOMPARE(tab()->charts()->accuracyBars(), 2);
        QCOMPARE(tab()->charts()->votesSeries(), 1);
        QVERIFY(tab()->charts()->breakdownField()->findText(QStringLiteral("family")) >= 0);
        tab()->charts()->breakdownField()->setCurrentText(QStringLiteral("family"));
        QVERIFY(tab()->charts()->breakdownGroups() >= 1);

        // CSV export: the header and a row per cell.
        const QString csv = m_dir->filePath(QStringLiteral("results.csv"));
        QVERIFY2(tab()->exportResults(QStringLiteral("csv"), csv), qPrintable(tab()->statusText()));
        QFile f(csv);
        QVERIFY(f.open(QIODevice::ReadOnly));
        const QStringList lines =
            QString::fromUtf8(f.readAll()).split(QLatin1Char('\n'), Qt::SkipEmptyParts);
        QVERIFY2(lines.value(0).startsWith(
                     QStringLiteral("id,label,model,adapter,template,rag,decoding")),
                 qPrintable(lines.value(0)));
        QVERIFY(lines.value(0).contains(QStringLiteral("accuracy,ci95_lo,ci95_hi")));
        QCOMPARE(lines.size(), 1 + int(r.cells.size() + r.ensembles.size()));
        QVERIFY(lines.value(1).startsWith(QStringLiteral("c0,")));

        // The submission file: the dataset's records with the chosen cell's answers.
        const QString sub = m_dir->filePath(QStringLiteral("submission.jsonl"));
        QVERIFY2(tab()->exportSubmission(first, sub), qPrintable(tab()->statusText()));
        QVERIFY(QFileInfo(sub).size() > 0);

        // The run is in the history, finished.
        QVERIFY(tab()->history()->tree()->topLevelItemCount() >= 1);
        QVERIFY(!tab()->history()->canResume(run));
    }

    void stopThenResumeFinishesTheRun()
    {
        buildSmallExperiment(12);
        QSignalSpy finished(tab(), &wbui::CompareTab::runFinished);
        QVERIFY(tab()->start());
        QTRY_VERIFY_WITH_TIMEOUT(tab()->currentJob() != 0, 60000);
        child<QPushButton>(tab(), "stopCompareButton")->click();
        QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 1, 120000);
        const QString run = tab()->shownRun();
        const auto first = finished.first().first().value<wb::JobSnapshot>();
        if (first.state == wb::JobState::Succeeded)
            QSKIP("the run finished before Stop reached it");
        QCOMPARE(first.state, wb::JobState::Cancelled);
        QCOMPARE(wb::CompareStore(m_ctx->workspace()).getRun(run.toStdString()).state,
                 std::string("stopped"));
        QVERIFY(tab()->history()->canResume(run));
        QVERIFY(child<QPushButton>(tab(), "resumeCompareButton")->isEnabled());
        child<QPushButton>(tab(), "resumeCompareButton")->click();
        QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 2, 300000);
        QCOMPARE(finished.at(1).first().value<wb::JobSnapshot>().state, wb::JobState::Succeeded);
        const auto r = storeResults(run);
        QCOMPARE(r.run.state, std::string("finished"));
        QCOMPARE(r.doneSamples(), r.totalSamples());
        QCOMPARE(tab()->results()->doneSamples(), r.totalSamples());
    }

    void tabAndCliStoreTheSameRecords()
    {
        const QString llmwb = qEnvironmentVariable("WB_LLMWB");
        QVERIFY(!llmwb.isEmpty());
        buildSmallExperiment();
        const QString file = m_dir->filePath(QStringLiteral("EXPERIMENT.json"));
        QVERIFY2(tab()->saveExperimentFile(file), qPrintable(tab()->statusText()));
        // The file loads back into the same experiment.
        QVERIFY(tab()->loadExperimentFile(file));
        QCOMPARE(tab()->builder()->experiment()->toJson(),
                 wb::Experiment::fromFile(file.toStdString()).toJson());

        const QString run = runInTab();
        QVERIFY2(!run.isEmpty(), qPrintable(tab()->statusText()));
        QProcess p;
        p.start(llmwb,
                {QStringLiteral("-w"), QString::fromStdString(m_ws.string()),
                 QStringLiteral("compare"), QStringLiteral("run"), file, QStringLiteral("--name"),
                 QStringLiteral("from-cli"), QStringLiteral("--no-cache")});
        QVERIFY(p.waitForFinished(300000));
        QVERIFY2(p.exitCode() == 0, p.readAllStandardError().constData());

        const nlohmann::json a = comparable(storeResults(run).toJson(true));
        const nlohmann::json b = comparable(storeResults(QStringLiteral("from-cli")).toJson(true));
        if (a != b) {
            const auto patch = nlohmann::json::diff(a, b);
            QFAIL(patch.dump(1).substr(0, 3000).c_str());
        }
        // And the history lists both; comparing them puts equal accuracies side by side.
        tab()->reloadRuns();
        QCOMPARE(tab()->history()->runs().size(), size_t(2));
        tab()->compareRuns(run, QStringLiteral("from-cli"));
        wbui::RunDeltaDialog *delta = nullptr;
        QTRY_VERIFY_WITH_TIMEOUT(
            (delta = tab()->findChild<wbui::RunDeltaDialog *>(QStringLiteral("runDeltaDialog"))),
            20000);
        QCOMPARE(delta->table()->rowCount(), 2);
        for (int row = 0; row < 2; ++row) {
            QCOMPARE(delta->table()->item(row, 1)->text(), delta->table()->item(row, 2)->text());
            QCOMPARE(delta->table()->item(row, 3)->text(), QStringLiteral("+0.0"));
        }
        delta->close();
    }

    void remoteEndpointKeyStaysOutOfTheWorkspace()
    {
        child<QPushButton>(tab(), "addRemoteButton")->click();
        auto *dialog =
            tab()->findChild<wbui::RemoteEndpointDialog *>(QStringLiteral("remoteEndpointDialog"));
        QVERIFY(dialog);
        QVERIFY(child<QLabel>(dialog, "keychainNote")->text().contains(QStringLiteral("memory")));
        // A bad URL is refused in the dialog, naming the field.
        child<QLineEdit>(dialog, "remoteName")->setText(QStringLiteral("far"));
        child<QLineEdit>(dialog, "remoteUrl")->setText(QStringLiteral("ftp://example"));
        child<QLineEdit>(dialog, "remoteModel")->setText(QStringLiteral("m"));
        QVERIFY(!dialog->addEndpoint());
        QVERIFY(!dialog->errorText().isEmpty());
        const QString secret = QStringLiteral("sk-test-never-on-disk-4711");
        child<QLineEdit>(dialog, "remoteUrl")->setText(QStringLiteral("http://127.0.0.1:9/v1"));
        child<QLineEdit>(dialog, "remoteKey")->setText(secret);
        QVERIFY2(dialog->addEndpoint(), qPrintable(dialog->errorText()));
        dialog->accept();
        QTRY_VERIFY_WITH_TIMEOUT(tab()->apiKeys()->hasSessionKey("far"), 10000);
        QTRY_VERIFY_WITH_TIMEOUT(tab()->statusText().contains(QStringLiteral("memory")), 10000);
        QVERIFY(wb::RemoteStore(m_ctx->workspace()).find("far").has_value());
        // The builder offers it and has a variant for it.
        const auto variants = tab()->builder()->variants()->variants();
        QVERIFY(!variants.empty());
        QCOMPARE(variants.back().model, std::string("far"));
        // The key is in no file of the workspace.
        m_ctx->workspace().setMeta("test.flush", "1");
        for (const auto &entry : fs::recursive_directory_iterator(m_ws)) {
            if (!entry.is_regular_file())
                continue;
            std::ifstream in(entry.path(), std::ios::binary);
            const std::string bytes((std::istreambuf_iterator<char>(in)), {});
            QVERIFY2(bytes.find(secret.toStdString()) == std::string::npos,
                     entry.path().string().c_str());
        }
        // A run gets it through CompareOptions::apiKeyFor (fetched from the session).
        wbui::ApiKeyStore::Keys got;
        bool done = false;
        tab()->apiKeys()->fetch({*wb::RemoteStore(m_ctx->workspace()).find("far")},
                                [&](wbui::ApiKeyStore::Keys k) {
                                    got = std::move(k);
                                    done = true;
                                });
        QTRY_VERIFY(done);
        QCOMPARE(got["far"], secret.toStdString());
    }
};

QTEST_MAIN(TstCompare)
#include "tst_compare.moc"

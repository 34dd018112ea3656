// Offscreen GUI tests of the Training tab on a tiny random model: a run started from the tab
// draws one chart point per metric line it records, shows up in the history (also after a
// restart of the app), Stop cancels a longer run which then offers Resume, Resume continues
// it, and the chart itself appends, smooths, switches to log scale and overlays runs.

#include "test_util.h"

#include "app_context.h"
#include "export_dialog.h"
#include "formats/random_model.h"
#include "main_window.h"
#include "run_history.h"
#include "store/demo_seed.h"
#include "store/model_store.h"
#include "store/workspace.h"
#include "tokenizer/tokenizer.h"
#include "train/run_accuracy.h"
#include "train/train_job.h"
#include "training_chart.h"
#include "training_form.h"
#include "training_tab.h"

#include <QAction>
#include <QCheckBox>
#include <QComboBox>
#include <QDoubleSpinBox>
#include <QLabel>
#include <QPushButton>
#include <QSignalSpy>
#include <QSpinBox>
#include <QDir>
#include <QTemporaryDir>
#include <QTreeWidget>
#include <QtTest>

#include <fstream>

namespace fs = std::filesystem;

namespace {

fs::path tokenizerFixture()
{
    return fs::path(qEnvironmentVariable("WB_TEST_SOURCE_DIR").toStdString()) / "tests" /
           "fixtures" / "reference" / "tokenizers" / "qwen2-bpe";
}

// A tiny Qwen2-shaped model whose vocabulary matches the fixture tokenizer.
void writeTinyModel(const fs::path &dir)
{
    fs::create_directories(dir);
    for (const char *f : {"tokenizer.json", "tokenizer_config.json"})
        fs::copy_file(tokenizerFixture() / f, dir / f);
    const auto tok = wb::Tokenizer::load(dir);
    wb::RandomModelSpec spec;
    spec.architecture = "qwen2";
    spec.hidden = 32;
    spec.layers = 2;
    spec.heads = 4;
    spec.kvHeads = 2;
    spec.intermediate = 64;
    spec.vocab = tok->vocabSize();
    spec.maxPositions = 2048;
    spec.bosId = tok->bosId().value_or(0);
    spec.eosId = tok->eosIds().empty() ? 0 : tok->eosIds().front();
    spec.seed = 7;
    wb::writeRandomModel(dir, spec);
}

struct MetricLines
{
    int lines = 0, loss = 0, eval = 0;
};

MetricLines countMetrics(const fs::path &runDir)
{
    MetricLines m;
    std::ifstream in(runDir / "metrics.jsonl");
    std::string line;
    while (std::getline(in, line)) {
        if (line.empty())
            continue;
        const auto j = nlohmann::json::parse(line);
        ++m.lines;
        m.loss += j.contains("loss");
        m.eval += j.contains("eval_loss");
    }
    return m;
}

template <typename T> T *child(QObject *parent, const char *name)
{
    auto *w = parent->findChild<T *>(QLatin1String(name));
    if (!w)
        qFatal("no child %s", name);
    return w;
}

} // namespace

class TstTraining : public QObject
{
    Q_OBJECT
private:
    std::unique_ptr<QTemporaryDir> m_dir;
    std::unique_ptr<wbui::AppContext> m_ctx;
    std::unique_ptr<wbui::MainWindow> m_window;
    fs::path m_ws;

    void openApp()
    {
        m_ctx = std::make_unique<wbui::AppContext>(wb::Workspace::open(m_ws));
        m_window = std::make_unique<wbui::MainWindow>(*m_ctx);
        m_window->show();
        QVERIFY(QTest::qWaitForWindowExposed(m_window.get()));
        m_window->tabs()->setCurrentWidget(m_window->trainingTab());
    }
    void closeApp()
    {
        m_window.reset();
        m_ctx.reset();
    }
    wbui::TrainingTab *tab() { return m_window->trainingTab(); }

    // Settings for a short CPU run on the tiny model.
    void setUpForm(int maxSteps, int saveEvery)
    {
        auto *form = tab()->form();
        child<QComboBox>(form, "trainModel")->setCurrentText(QStringLiteral("tiny"));
        child<QComboBox>(form, "trainDataset")->setCurrentText(QStringLiteral("demo-train"));
        child<QComboBox>(form, "trainTemplate")->setCurrentText(QStringLiteral("logic-direct"));
        child<QSpinBox>(form, "maxSteps")->setValue(maxSteps);
        child<QSpinBox>(form, "batchSize")->setValue(2);
        child<QSpinBox>(form, "maxLength")->setValue(1024);
        child<QSpinBox>(form, "warmupSteps")->setValue(1);
        child<QSpinBox>(form, "logEvery")->setValue(1);
        child<QSpinBox>(form, "evalEvery")->setValue(2);
        child<QSpinBox>(form, "saveEvery")->setValue(saveEvery);
        child<QDoubleSpinBox>(form, "evalFraction")->setValue(0.05);
        child<QSpinBox>(form, "loraRank")->setValue(4);
    }

    const wb::RunInfo *historyRun(const QString &dir) { return tab()->history()->find(dir); }

private Q_SLOTS:
    void init()
    {
        m_dir = std::make_unique<QTemporaryDir>();
        m_ws = wbtest::path(*m_dir, "ws");
        {
            auto ws = wb::Workspace::open(m_ws);
            wb::seedDemo(*ws);
            const fs::path model = wbtest::path(*m_dir, "tiny");
            writeTinyModel(model);
            wb::ModelStore(*ws).add(model, "tiny");
        }
        openApp();
    }

    void cleanup()
    {
        closeApp();
        m_dir.reset();
    }

    void planShowsTrainableParameters()
    {
        setUpForm(4, 0);
        QSignalSpy plan(tab(), &wbui::TrainingTab::planReady);
        QTRY_VERIFY_WITH_TIMEOUT(
            plan.count() > 0 && !tab()->planText().contains(QStringLiteral("Planning")), 30000);
        const QString text = tab()->planText();
        QVERIFY2(text.contains(QStringLiteral("Trainable")), qPrintable(text));
        QVERIFY2(text.contains(QStringLiteral("Steps")) && text.contains(QStringLiteral("4 (")),
                 qPrintable(text));
        // Rank 4 on all 7 modules of 2 layers: trainable share is small but not zero.
        QVERIFY2(text.contains(QStringLiteral("%")), qPrintable(text));
    }

    // The demo model folder carries suggested_training.json: choosing the model applies it once,
    // re-reading the workspace keeps the user's edits, and a recorded run's settings win.
    void modelSuggestionsApplyOncePerChoice()
    {
        auto *form = tab()->form();
        auto *model = child<QComboBox>(form, "trainModel");
        auto *batch = child<QSpinBox>(form, "batchSize");
        auto *epochs = child<QSpinBox>(form, "epochs");
        auto *note = child<QLabel>(form, "suggestedNote");
        auto *lr = child<QDoubleSpinBox>(form, "learningRate");
        model->setCurrentText(QStringLiteral("tiny"));
        QVERIFY(note->isHidden());
        batch->setValue(3);
        model->setCurrentText(QStringLiteral("demo-model"));
        QCOMPARE(model->currentText(), QStringLiteral("demo-model"));
        QVERIFY(!note->isHidden());
        QCOMPARE(batch->value(), 8);
        QCOMPARE(epochs->value(), 3);
        QVERIFY(std::abs(lr->value() - 0.002) < 1e-9);
        const auto c = form->config(nullptr);
        QVERIFY(c.has_value());
        QCOMPARE(c->lora.r, 16);
        QCOMPARE(c->lora.targetModules.size(), size_t(7));
        batch->setValue(5);
        form->reload();
        QCOMPARE(model->currentText(), QStringLiteral("demo-model"));
        QCOMPARE(batch->value(), 5);
        // A run's own settings are not overridden by its model's suggestions.
        wb::TrainConfig run = *c;
        run.batchSize = 2;
        run.epochs = 1;
        model->setCurrentText(QStringLiteral("tiny"));
        QVERIFY(note->isHidden());
        form->setConfig(run);
        QCOMPARE(model->currentText(), QStringLiteral("demo-model"));
        QCOMPARE(batch->value(), 2);
        QCOMPARE(epochs->value(), 1);
        form->reload();
        QCOMPARE(batch->value(), 2);
    }

    void runDrawsOnePointPerMetricLine()
    {
        setUpForm(6, 3);
        QSignalSpy finished(tab(), &wbui::TrainingTab::runFinished);
        QVERIFY2(tab()->start(), qPrintable(tab()->statusText()));
        const QString dir = tab()->currentRunDir();
        QVERIFY(!dir.isEmpty());
        QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 1, 180000);
        const auto snap = finished.first().first().value<wb::JobSnapshot>();
        QVERIFY2(snap.state == wb::JobState::Succeeded, snap.error.c_str());
        tab()->chart()->flush();

        const MetricLines m = countMetrics(dir.toStdString());
        QVERIFY(m.loss >= 6);
        QVERIFY(m.eval >= 1);
        QCOMPARE(tab()->chart()->lossPointCount(), m.loss);
        QCOMPARE(tab()->chart()->evalPointCount(), m.eval);
        QVERIFY(tab()->chart()->lrPointCount() > 0);
        QVERIFY(tab()->chart()->gradPointCount() > 0);
        QVERIFY2(!tab()->logText().isEmpty(), "the log panel stayed empty");

        // The history lists the finished run.
        QSignalSpy loaded(tab(), &wbui::TrainingTab::historyLoaded);
        tab()->reloadHistory();
        QTRY_VERIFY_WITH_TIMEOUT(loaded.count() > 0, 10000);
        const auto *run = historyRun(dir);
        QVERIFY(run);
        QVERIFY(run->finished);
        QVERIFY(!tab()->history()->canResume(dir));
        QVERIFY(fs::exists(fs::path(dir.toStdString()) / "adapter" / "adapter_config.json"));

        // Accuracy of base and adapter on the held-out problems, shown in the history.
        QSignalSpy scored(tab(), &wbui::TrainingTab::accuracyFinished);
        QVERIFY(tab()->evaluateRun(dir));
        QTRY_COMPARE_WITH_TIMEOUT(scored.count(), 1, 120000);
        const auto acc = scored.first().first().value<wb::JobSnapshot>();
        QVERIFY2(acc.state == wb::JobState::Succeeded, acc.error.c_str());
        const auto stored = wb::readRun(dir.toStdString()).accuracy;
        QVERIFY(stored.has_value());
        QVERIFY(stored->questions > 0);
        QVERIFY(stored->baseCorrect <= stored->questions && stored->tunedCorrect <= stored->questions);
        QVERIFY2(tab()->statusText().contains(QStringLiteral("tuned")), qPrintable(tab()->statusText()));
        QTRY_VERIFY_WITH_TIMEOUT(
            [&] {
                const auto items = tab()->history()->tree()->findItems(
                    QDir(dir).dirName(), Qt::MatchExactly, 0);
                return !items.isEmpty() && items.front()->text(7).contains(QStringLiteral("→"));
            }(),
            10000);
        QCOMPARE(stored->method, std::string("loglik"));

        // The Accuracy button's menu also scores by generated answers (greedy + extraction).
        tab()->history()->select(dir);
        auto *byGenerate = tab()->history()->findChild<QAction *>(QStringLiteral("accuracyGenerate"));
        QVERIFY(byGenerate);
        byGenerate->trigger();
        QTRY_COMPARE_WITH_TIMEOUT(scored.count(), 2, 180000);
        const auto gen = scored.at(1).first().value<wb::JobSnapshot>();
        QVERIFY2(gen.state == wb::JobState::Succeeded, gen.error.c_str());
        const auto generated = wb::readRun(dir.toStdString()).accuracy;
        QVERIFY(generated.has_value());
        QCOMPARE(generated->method, std::string("generate"));
        QCOMPARE(generated->questions, stored->questions);
        QTRY_VERIFY_WITH_TIMEOUT(
            [&] {
                const auto items = tab()->history()->tree()->findItems(
                    QDir(dir).dirName(), Qt::MatchExactly, 0);
                return !items.isEmpty() && items.front()->text(7).contains(QStringLiteral("generated"));
            }(),
            10000);

        // After a restart the run is still there, and selecting it draws its curve from disk;
        // the form starts from the settings of that last run.
        closeApp();
        openApp();
        QCOMPARE(child<QSpinBox>(tab()->form(), "loraRank")->value(), 4);
        QCOMPARE(child<QSpinBox>(tab()->form(), "maxSteps")->value(), 6);
        QCOMPARE(child<QComboBox>(tab()->form(), "trainModel")->currentText(), QStringLiteral("tiny"));
        QSignalSpy reloaded(tab(), &wbui::TrainingTab::historyLoaded);
        QTRY_VERIFY_WITH_TIMEOUT(historyRun(dir) != nullptr, 10000);
        tab()->history()->select(dir);
        QCOMPARE(tab()->chart()->lossPointCount(), m.loss);
        QCOMPARE(tab()->chart()->evalPointCount(), m.eval);

        // The adapter exports (a copy of the PEFT folder) from the dialog.
        wbui::ExportDialog dialog(*m_ctx, *historyRun(dir));
        dialog.setKind(wbui::ExportDialog::Kind::Adapter);
        const QString out =
            QString::fromStdString(wbtest::path(*m_dir, "exported-adapter").string());
        dialog.setOutput(out);
        QSignalSpy exported(&dialog, &wbui::ExportDialog::exportFinished);
        QVERIFY(dialog.startExport());
        QTRY_COMPARE_WITH_TIMEOUT(exported.count(), 1, 30000);
        QVERIFY2(exported.first().first().toBool(), qPrintable(dialog.resultText()));
        QVERIFY(fs::exists(fs::path(out.toStdString()) / "adapter_model.safetensors"));
    }

    void stopCancelsAndResumeContinues()
    {
        setUpForm(100000, 2);
        child<QSpinBox>(tab()->form(), "evalEvery")->setValue(0);
        QSignalSpy finished(tab(), &wbui::TrainingTab::runFinished);
        QVERIFY2(tab()->start(), qPrintable(tab()->statusText()));
        const QString dir = tab()->currentRunDir();
        QTRY_VERIFY_WITH_TIMEOUT((tab()->chart()->flush(), tab()->chart()->lossPointCount() >= 3),
                                 120000);
        child<QPushButton>(tab(), "stopTrainingButton")->click();
        QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 1, 60000);
        QCOMPARE(tab()->currentJob(), wb::JobId(0));
        const int stoppedAt = tab()->chart()->lossPointCount();
        QVERIFY(stoppedAt < 100000);

        QSignalSpy loaded(tab(), &wbui::TrainingTab::historyLoaded);
        tab()->reloadHistory();
        QTRY_VERIFY_WITH_TIMEOUT(loaded.count() > 0, 10000);
        const auto *run = historyRun(dir);
        QVERIFY(run);
        QVERIFY(!run->finished);
        QVERIFY(!run->checkpointSteps.empty());
        QVERIFY(tab()->history()->canResume(dir));
        tab()->history()->select(dir);
        QVERIFY(child<QPushButton>(tab()->history(), "resumeButton")->isEnabled());

        // A restart still offers Resume for it.
        closeApp();
        openApp();
        QTRY_VERIFY_WITH_TIMEOUT(historyRun(dir) != nullptr, 10000);
        tab()->history()->select(dir);
        QVERIFY(child<QPushButton>(tab()->history(), "resumeButton")->isEnabled());
        QVERIFY2(tab()->statusText().contains(QStringLiteral("resume"), Qt::CaseInsensitive),
                 qPrintable(tab()->statusText()));

        // Resume continues the curve past the checkpoint, then stops again.
        const int64_t checkpoint = historyRun(dir)->checkpointSteps.back();
        QSignalSpy finished2(tab(), &wbui::TrainingTab::runFinished);
        child<QPushButton>(tab()->history(), "resumeButton")->click();
        QVERIFY(tab()->currentJob() != 0);
        QCOMPARE(tab()->currentRunDir(), dir);
        QTRY_VERIFY_WITH_TIMEOUT(
            (tab()->chart()->flush(), tab()->chart()->lossPointCount() >= int(checkpoint) + 3),
            120000);
        tab()->stop();
        QTRY_COMPARE_WITH_TIMEOUT(finished2.count(), 1, 60000);
        tab()->chart()->flush();
        // No step appears twice: the points after the checkpoint replaced the old ones.
        QCOMPARE(tab()->chart()->lossPointCount(), countMetrics(dir.toStdString()).loss);
    }

    void chartAppendsSmoothsAndOverlays()
    {
        wbui::TrainingChart chart;
        chart.resize(800, 500);
        chart.show();
        for (int i = 1; i <= 5000; ++i) {
            chart.appendMetric(QStringLiteral("loss"), i,
                               3.0 / std::sqrt(double(i)) + 0.01 * (i % 7));
            chart.appendMetric(QStringLiteral("lr"), i, 2e-4);
            if (i % 100 == 0)
                chart.appendMetric(QStringLiteral("eval_loss"), i, 3.0 / std::sqrt(double(i)));
        }
        QCOMPARE(chart.lossPointCount(), 0); // buffered until the next flush
        chart.flush();
        QCOMPARE(chart.lossPointCount(), 5000);
        QCOMPARE(chart.evalPointCount(), 50);
        QCOMPARE(chart.lrPointCount(), 5000);
        chart.appendMetric(QStringLiteral("loss"), 5001, std::nan(""));
        chart.flush();
        QCOMPARE(chart.lossPointCount(), 5000); // NaN is not drawn
        // A resumed run repeats steps: they replace, never duplicate.
        chart.appendMetric(QStringLiteral("loss"), 4001, 1.0);
        chart.flush();
        QCOMPARE(chart.lossPointCount(), 4001);

        const QString hover = chart.hoverText(100.2);
        QVERIFY2(hover.contains(QStringLiteral("step 100")), qPrintable(hover));
        QVERIFY2(hover.contains(QStringLiteral("eval loss 0.3")), qPrintable(hover));
        chart.setSmoothing(0.5);
        QCOMPARE(chart.smoothing(), 0.5);
        chart.setLogScale(true);
        QVERIFY(chart.logScale());
        chart.setLogScale(false);

        std::vector<wb::TrainPoint> a(10), b(10);
        for (int i = 0; i < 10; ++i) {
            a[i].step = b[i].step = i + 1;
            a[i].loss = 2.0 - 0.1 * i;
            b[i].loss = 2.5 - 0.1 * i;
        }
        chart.clear();
        QCOMPARE(chart.lossPointCount(), 0);
        chart.addComparison(QStringLiteral("run-a"), a);
        chart.addComparison(QStringLiteral("run-b"), b);
        QCOMPARE(chart.comparisonCount(), 2);
        chart.setLogScale(true); // the overlays move to the log axis too
        const QString both = chart.hoverText(3);
        QVERIFY2(both.contains(QStringLiteral("run-a: loss 1.8")) &&
                     both.contains(QStringLiteral("run-b: loss 2.3")),
                 qPrintable(both));
    }
};

QTEST_MAIN(TstTraining)
#include "tst_training.moc"

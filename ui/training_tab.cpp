#include "training_tab.h"

#include "app_context.h"
#include "export_dialog.h"
#include "job_bridge.h"
#include "jobs/job_runner.h"
#include "models_tab.h"
#include "run_history.h"
#include "store/workspace.h"
#include "train/run_accuracy.h"
#include "train/train_job.h"
#include "training_chart.h"
#include "training_form.h"

#include <QDir>
#include <QFile>
#include <QFontDatabase>
#include <QFrame>
#include <QHBoxLayout>
#include <QLabel>
#include <QPlainTextEdit>
#include <QPointer>
#include <QProgressBar>
#include <QPushButton>
#include <QScrollArea>
#include <QScrollBar>
#include <QSplitter>
#include <QTabWidget>
#include <QTextDocument>
#include <QTreeWidget>
#include <QVBoxLayout>

#include <chrono>
#include <cmath>
#include <memory>

namespace wbui {

namespace {

QString q(const std::string &s)
{
    return QString::fromStdString(s);
}

constexpr qint64 kMaxLogBytes = 2 * 1024 * 1024;
constexpr const char *kLastConfigKey = "ui.training.last_config";

QString duration(double seconds)
{
    const qint64 s = qint64(std::llround(seconds));
    if (s >= 3600)
        return QStringLiteral("%1:%2:%3")
            .arg(s / 3600)
            .arg((s / 60) % 60, 2, 10, QLatin1Char('0'))
            .arg(s % 60, 2, 10, QLatin1Char('0'));
    return QStringLiteral("%1:%2").arg(s / 60).arg(s % 60, 2, 10, QLatin1Char('0'));
}

QString count(qint64 n)
{
    if (n >= 10'000'000)
        return QStringLiteral("%1M").arg(n / 1e6, 0, 'f', 1);
    if (n >= 10'000)
        return QStringLiteral("%1k").arg(n / 1e3, 0, 'f', 1);
    return QString::number(n);
}

} // namespace

TrainingTab::TrainingTab(AppContext &ctx, QWidget *parent) : QWidget(parent), m_ctx(ctx)
{
    // ---- left: setup, plan, start/stop ----
    m_form = new TrainingForm(ctx, this);
    auto *scroll = new QScrollArea(this);
    scroll->setWidget(m_form);
    scroll->setWidgetResizable(true);
    scroll->setFrameShape(QFrame::NoFrame);
    scroll->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    scroll->setMinimumWidth(m_form->sizeHint().width() + 24);

    m_plan = new QLabel(this);
    m_plan->setObjectName(QStringLiteral("trainPlan"));
    m_plan->setWordWrap(true);
    m_plan->setTextFormat(Qt::RichText);
    m_plan->setFrameShape(QFrame::StyledPanel);
    m_plan->setMargin(6);
    m_plan->setMinimumHeight(90);
    m_plan->setAlignment(Qt::AlignTop | Qt::AlignLeft);
    m_plan->setToolTip(tr("What the run will do, computed from the tokenizer and the model's "
                          "config without loading weights"));
    m_start = new QPushButton(tr("Start training"), this);
    m_start->setObjectName(QStringLiteral("startTrainingButton"));
    m_start->setDefault(true);
    m_start->setToolTip(tr("Start a new run with these settings in a new run folder"));
    m_stop = new QPushButton(tr("Stop"), this);
    m_stop->setObjectName(QStringLiteral("stopTrainingButton"));
    m_stop->setToolTip(tr("Stop after the current step and save a checkpoint; Resume continues "
                          "from it"));
    connect(m_start, &QPushButton::clicked, this, [this] { start(); });
    connect(m_stop, &QPushButton::clicked, this, &TrainingTab::stop);
    auto *buttons = new QHBoxLayout;
    buttons->addWidget(m_stop);
    buttons->addWidget(m_start, 1);
    auto *left = new QWidget(this);
    auto *ll = new QVBoxLayout(left);
    ll->setContentsMargins(0, 0, 0, 0);
    ll->addWidget(scroll, 1);
    ll->addWidget(m_plan);
    ll->addLayout(buttons);

    // ---- right: status, charts, history, log ----
    m_runLabel = new QLabel(tr("No run selected"), this);
    m_runLabel->setObjectName(QStringLiteral("runLabel"));
    QFont bold = m_runLabel->font();
    bold.setBold(true);
    m_runLabel->setFont(bold);
    m_runLabel->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_progress = new QProgressBar(this);
    m_progress->setObjectName(QStringLiteral("trainProgress"));
    m_progress->setRange(0, 1000);
    m_progress->setValue(0);
    m_progress->setTextVisible(true);
    m_progress->setMinimumWidth(220);
    m_progress->setFormat(QString());
    m_progress->setVisible(false); // until a run is shown
    m_speed = new QLabel(this);
    m_speed->setObjectName(QStringLiteral("tokensPerSecond"));
    m_speed->setMinimumWidth(110);
    m_speed->setToolTip(tr("Training throughput: tokens processed per second"));
    m_eta = new QLabel(this);
    m_eta->setObjectName(QStringLiteral("trainEta"));
    m_eta->setMinimumWidth(150);
    m_status = new QLabel(this);
    m_status->setObjectName(QStringLiteral("trainStatus"));
    m_status->setWordWrap(true);
    m_status->setTextInteractionFlags(Qt::TextSelectableByMouse);
    auto *statusRow = new QHBoxLayout;
    statusRow->addWidget(m_runLabel);
    statusRow->addWidget(m_progress, 1);
    statusRow->addWidget(m_speed);
    statusRow->addWidget(m_eta);

    m_chart = new TrainingChart(this);
    m_chart->setPlaceholder(tr("No run yet: set up a run on the left and start it, or pick runs "
                               "in the history below"));
    auto *top = new QWidget(this);
    auto *tl = new QVBoxLayout(top);
    tl->setContentsMargins(0, 0, 0, 0);
    tl->addLayout(statusRow);
    tl->addWidget(m_status);
    tl->addWidget(m_chart, 1);

    m_history = new RunHistory(this);
    m_log = new QPlainTextEdit(this);
    m_log->setObjectName(QStringLiteral("trainLog"));
    m_log->setReadOnly(true);
    m_log->setMaximumBlockCount(20000);
    m_log->setLineWrapMode(QPlainTextEdit::NoWrap);
    m_log->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    m_log->setPlaceholderText(tr("The run's log appears here"));
    m_bottom = new QTabWidget(this);
    m_bottom->setObjectName(QStringLiteral("trainBottomTabs"));
    m_bottom->addTab(m_history, tr("Runs"));
    m_bottom->addTab(m_log, tr("Log"));

    auto *right = new QSplitter(Qt::Vertical, this);
    right->addWidget(top);
    right->addWidget(m_bottom);
    right->setStretchFactor(0, 3);
    right->setStretchFactor(1, 2);

    auto *split = new QSplitter(Qt::Horizontal, this);
    split->addWidget(left);
    split->addWidget(right);
    split->setStretchFactor(0, 0);
    split->setStretchFactor(1, 1);
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(split);

    // ---- wiring ----
    m_planTimer.setSingleShot(true);
    m_planTimer.setInterval(350);
    connect(&m_planTimer, &QTimer::timeout, this, &TrainingTab::computePlan);
    connect(m_form, &TrainingForm::changed, this, &TrainingTab::schedulePlan);
    m_logTimer.setInterval(500);
    connect(&m_logTimer, &QTimer::timeout, this, &TrainingTab::tailLog);
    connect(&ctx.bridge(), &JobBridge::metric, this, &TrainingTab::onMetric);
    connect(&ctx.bridge(), &JobBridge::jobUpdated, this, &TrainingTab::onJobUpdated);
    connect(m_history, &RunHistory::selectionChanged, this, &TrainingTab::onHistorySelection);
    connect(m_history, &RunHistory::resumeRequested, this, [this](const QString &d) { resume(d); });
    connect(m_history, &RunHistory::exportRequested, this, &TrainingTab::exportRun);
    connect(m_history, &RunHistory::accuracyRequested, this, &TrainingTab::evaluateRun);
    connect(m_history, &RunHistory::refreshRequested, this, &TrainingTab::reloadHistory);
    connect(m_history, &RunHistory::useSettingsRequested, this, [this](const QString &d) {
        if (const auto *run = m_history->find(d))
            m_form->setConfig(run->config);
    });
    for (auto signal :
         {&AppContext::modelsChanged, &AppContext::datasetsChanged, &AppContext::templatesChanged})
        connect(&ctx, signal, this, [this] {
            m_form->reload();
            schedulePlan();
        });
    // The settings of the last run started from this tab, as a starting point.
    try {
        const std::string last = m_ctx.workspace().meta(kLastConfigKey);
        if (!last.empty())
            m_form->setConfig(wb::TrainConfig::fromJson(nlohmann::json::parse(last)));
    } catch (const std::exception &) {
        // An unreadable remembered config only loses the convenience: keep the defaults.
    }

    updateButtons();
    schedulePlan();
    reloadHistory();
}

TrainingTab::~TrainingTab() = default;

// ---------------------------------------------------------------- plan

void TrainingTab::schedulePlan()
{
    m_planTimer.start();
}

void TrainingTab::computePlan()
{
    QString problem;
    auto config = m_form->config(&problem);
    const quint64 seq = ++m_planSeq;
    if (!config) {
        m_plan->setText(
            QStringLiteral("<span style='color:#c0392b'>%1</span>").arg(problem.toHtmlEscaped()));
        m_planSteps = 0;
        updateButtons();
        Q_EMIT planReady();
        return;
    }
    m_plan->setText(tr("<i>Planning…</i>"));
    auto plan = std::make_shared<wb::TrainPlan>();
    wb::JobSpec spec;
    spec.kind = "train.plan";
    spec.title = tr("Plan the training run").toStdString();
    spec.quiet = true;
    spec.work = [cfg = *config, plan](wb::JobContext &) {
        *plan = wb::planTraining(cfg);
        return plan->toJson();
    };
    m_ctx.submit(std::move(spec),
                 [this, guard = QPointer<TrainingTab>(this), plan, seq](const wb::JobSnapshot &s) {
                     if (!guard || seq != m_planSeq)
                         return; // settings changed meanwhile: a newer plan is on its way
                     if (s.state == wb::JobState::Succeeded) {
                         showPlan(*plan);
                     } else {
                         m_planSteps = 0;
                         m_plan->setText(QStringLiteral("<span style='color:#c0392b'>%1</span>")
                                             .arg(q(s.error).toHtmlEscaped()));
                     }
                     updateButtons();
                     Q_EMIT planReady();
                 });
}

void TrainingTab::showPlan(const wb::TrainPlan &p)
{
    m_planSteps = p.totalSteps;
    QString html = QStringLiteral("<table cellspacing='0' cellpadding='1'>");
    auto row = [&html](const QString &k, const QString &v) {
        html += QStringLiteral("<tr><td><b>%1</b>&nbsp;&nbsp;</td><td>%2</td></tr>").arg(k, v);
    };
    row(tr("Trainable"),
        tr("%1 of %2 parameters (%3%)")
            .arg(humanParameters(p.trainableParameters), humanParameters(p.totalParameters))
            .arg(p.trainableShare() * 100, 0, 'g', 3));
    row(tr("Examples"), tr("%1 train · %2 eval").arg(p.trainExamples).arg(p.evalExamples));
    if (p.truncated || p.dropped)
        row(tr("Cut"), QStringLiteral("<span style='color:#ca6f1e'>%1</span>")
                           .arg(tr("%1 truncated · %2 dropped").arg(p.truncated).arg(p.dropped)));
    row(tr("Tokens"), tr("%1 (%2 trained on)").arg(count(p.totalTokens), count(p.targetTokens)));
    row(tr("Steps"), tr("%1 (%2 per epoch)").arg(p.totalSteps).arg(p.stepsPerEpoch));
    html += QStringLiteral("</table>");
    for (const auto &note : p.notes)
        html += QStringLiteral("<div style='color:#666'>• %1</div>").arg(q(note).toHtmlEscaped());
    m_plan->setText(html);
}

QString TrainingTab::planText() const
{
    QTextDocument doc;
    doc.setHtml(m_plan->text());
    return doc.toPlainText();
}

// ---------------------------------------------------------------- runs

bool TrainingTab::start()
{
    if (m_job) {
        setStatus(tr("A run is in progress; stop it first."), QStringLiteral("#c0392b"));
        return false;
    }
    QString problem;
    auto config = m_form->config(&problem);
    if (!config) {
        setStatus(problem, QStringLiteral("#c0392b"));
        return false;
    }
    std::string hint = m_form->runName().toStdString();
    if (hint.empty())
        hint = std::filesystem::path(config->modelDir).filename().string() + "-" + config->method;
    wb::JobSpec spec;
    try {
        config->outputDir = wb::newRunDir(m_ctx.workspace(), hint).string();
        config->validate();
        spec = wb::makeTrainJob(*config);
        m_ctx.workspace().setMeta(kLastConfigKey, config->toJson().dump());
    } catch (const std::exception &e) {
        setStatus(QString::fromUtf8(e.what()), QStringLiteral("#c0392b"));
        return false;
    }
    m_liveMetrics.clear();
    if (!submit(std::move(spec), q(config->outputDir)))
        return false;
    m_chart->setExpectedSteps(m_planSteps);
    return true;
}

bool TrainingTab::resume(const QString &runDir)
{
    if (m_job) {
        setStatus(tr("A run is in progress; stop it first."), QStringLiteral("#c0392b"));
        return false;
    }
    wb::JobSpec spec;
    qint64 total = 0;
    m_liveMetrics.clear();
    try {
        // The curve so far, continued by the live points (those after the checkpoint replace
        // the ones logged before the stop).
        const wb::RunInfo run = wb::readRun(runDir.toStdString());
        for (const auto &p : run.points) {
            total = std::max<qint64>(total, p.totalSteps);
            if (p.loss)
                m_liveMetrics.append({QStringLiteral("loss"), p.step, *p.loss});
            if (p.evalLoss)
                m_liveMetrics.append({QStringLiteral("eval_loss"), p.step, *p.evalLoss});
            if (p.learningRate)
                m_liveMetrics.append({QStringLiteral("lr"), p.step, *p.learningRate});
            if (p.gradNorm)
                m_liveMetrics.append({QStringLiteral("grad_norm"), p.step, *p.gradNorm});
        }
        spec = wb::makeResumeJob(runDir.toStdString());
    } catch (const std::exception &e) {
        setStatus(QString::fromUtf8(e.what()), QStringLiteral("#c0392b"));
        return false;
    }
    if (!submit(std::move(spec), runDir))
        return false;
    m_chart->setExpectedSteps(total);
    return true;
}

bool TrainingTab::submit(wb::JobSpec spec, const QString &runDir)
{
    try {
        m_job = m_ctx.submit(std::move(spec),
                             [this, guard = QPointer<TrainingTab>(this)](const wb::JobSnapshot &s) {
                                 if (guard)
                                     onRunFinished(s);
                             });
    } catch (const std::exception &e) {
        setStatus(QString::fromUtf8(e.what()), QStringLiteral("#c0392b"));
        return false;
    }
    m_liveDir = runDir;
    m_liveListed = false;
    {
        // The history follows the new run once its folder is listed.
        const QSignalBlocker block(m_history->tree());
        m_history->tree()->clearSelection();
    }
    m_history->setLiveRun(runDir);
    m_chartShowsLive = false;
    showLiveRun();
    m_chart->setPlaceholder(tr("Waiting for the first step… (loading the model and the data)"));
    m_runLabel->setText(q(std::filesystem::path(runDir.toStdString()).filename().string()));
    m_progress->setVisible(true);
    m_progress->setValue(0);
    m_progress->setFormat(tr("starting…"));
    m_speed->clear();
    m_eta->clear();
    setStatus(tr("Training. Stop saves a checkpoint that Resume continues from."));
    m_logTimer.start();
    updateButtons();
    reloadHistory();
    return true;
}

void TrainingTab::stop()
{
    if (!m_job)
        return;
    m_ctx.jobs().cancel(m_job);
    setStatus(tr("Stopping after the current step and saving a checkpoint…"),
              QStringLiteral("#ca6f1e"));
    m_stop->setEnabled(false);
}

void TrainingTab::showLiveRun()
{
    if (m_chartShowsLive)
        return;
    m_chart->clear();
    for (const auto &[name, step, value] : std::as_const(m_liveMetrics))
        m_chart->appendMetric(name, step, value);
    m_chart->flush();
    m_chartShowsLive = true;
    if (m_logDir != m_liveDir)
        showLogOf(m_liveDir);
}

void TrainingTab::onMetric(qint64 jobId, const QString &name, qint64 step, double value)
{
    if (jobId != m_job || !m_job)
        return;
    m_liveMetrics.append({name, step, value});
    if (!m_liveListed) {
        m_liveListed = true; // the run folder exists now: list it
        m_liveHistoryAge.start();
        reloadHistory();
    } else if (name == QLatin1String("eval_loss") || m_liveHistoryAge.elapsed() > 15000) {
        // The live run's row (steps, loss, eval loss) follows the run: at every eval point and
        // at least every 15 s.
        m_liveHistoryAge.restart();
        reloadHistory();
    }
    if (m_chartShowsLive)
        m_chart->appendMetric(name, step, value);
    if (name == QLatin1String("tokens_per_s"))
        m_speed->setText(tr("%1 tokens/s").arg(value, 0, 'f', value < 100 ? 1 : 0));
}

void TrainingTab::onJobUpdated(const wb::JobSnapshot &s)
{
    if (s.id != m_job || wb::isFinished(s.state))
        return;
    if (s.state == wb::JobState::Queued) {
        m_progress->setFormat(tr("waiting for the device…"));
        return;
    }
    // Step reports read "step 40/200 · loss …"; log lines (the log panel tails log.txt) keep
    // the last fraction and only change the message.
    if (s.progress.fraction >= 0 && q(s.progress.message).startsWith(QStringLiteral("step "))) {
        // "step 40/200 · loss … · steps/s": the bar shows the step, the chart the loss.
        const QString message = q(s.progress.message).section(QStringLiteral(" · "), 0, 0);
        m_progress->setValue(int(std::lround(s.progress.fraction * 1000)));
        m_progress->setFormat(message.isEmpty() ? QStringLiteral("%p%")
                                                : QStringLiteral("%p% · ") + message);
    }
    QString eta;
    if (s.startedMs > 0) {
        const auto now = std::chrono::duration_cast<std::chrono::milliseconds>(
                             std::chrono::steady_clock::now().time_since_epoch())
                             .count();
        eta = tr("elapsed %1").arg(duration((now - s.startedMs) / 1000.0));
    }
    if (s.etaSeconds >= 0)
        eta += tr(" · ETA %1").arg(duration(s.etaSeconds));
    m_eta->setText(eta);
}

void TrainingTab::onRunFinished(const wb::JobSnapshot &s)
{
    if (s.id != m_job)
        return;
    m_job = 0;
    m_logTimer.stop();
    tailLog();
    m_chart->flush();
    m_chart->setPlaceholder(QString());
    m_history->setLiveRun(QString());
    m_chartShowsLive = false;
    const std::string stop =
        s.result.is_object() ? s.result.value("stop", std::string()) : std::string();
    const QString message =
        s.result.is_object() ? q(s.result.value("message", std::string())) : QString();
    if (s.state == wb::JobState::Failed) {
        setStatus(tr("The run failed: %1").arg(q(s.error)), QStringLiteral("#c0392b"));
    } else if (s.state == wb::JobState::Cancelled || stop == "cancelled") {
        setStatus(message.isEmpty() ? tr("Stopped. Select the run in the history and press Resume "
                                         "to continue it.")
                                    : message,
                  QStringLiteral("#ca6f1e"));
    } else if (stop == "completed" || stop.empty()) {
        m_progress->setValue(1000);
        setStatus(message.isEmpty() ? tr("Finished.") : message, QStringLiteral("#1e8449"));
    } else {
        setStatus(message.isEmpty() ? q(stop) : message, QStringLiteral("#c0392b"));
    }
    m_eta->setText(tr("took %1").arg(duration(s.finishedMs > s.startedMs && s.startedMs > 0
                                                  ? (s.finishedMs - s.startedMs) / 1000.0
                                                  : 0)));
    updateButtons();
    reloadHistory();
    Q_EMIT runFinished(s);
}

void TrainingTab::reloadHistory()
{
    auto runs = std::make_shared<std::vector<wb::RunInfo>>();
    wb::Workspace *ws = &m_ctx.workspace();
    wb::JobSpec spec;
    spec.kind = "train.runs";
    spec.title = tr("Read the training runs").toStdString();
    spec.quiet = true;
    spec.work = [ws, runs](wb::JobContext &) {
        *runs = wb::listRuns(*ws);
        return nlohmann::json{{"runs", runs->size()}};
    };
    const quint64 seq = ++m_historySeq;
    const bool first = seq == 1;
    m_ctx.submit(std::move(spec), [this, guard = QPointer<TrainingTab>(this), runs, seq,
                                   first](const wb::JobSnapshot &s) {
        if (!guard || seq != m_historySeq)
            return;
        if (s.state != wb::JobState::Succeeded) {
            setStatus(tr("Cannot read the runs: %1").arg(q(s.error)), QStringLiteral("#c0392b"));
            Q_EMIT historyLoaded();
            return;
        }
        const bool hadSelection = !m_history->selectedRuns().empty();
        m_history->setRuns(std::move(*runs));
        if (!m_liveDir.isEmpty() && m_job && !m_history->selectedRuns().empty() &&
            q(m_history->selectedRuns().front()->dir.string()) != m_liveDir) {
            // Looking at another run while this one trains: leave the view alone.
        } else if (!m_liveDir.isEmpty() && m_job) {
            m_history->select(m_liveDir); // the chart already follows it
        } else if (!hadSelection && !m_history->runs().empty()) {
            // On first sight the newest run's curves, so a restart shows where things were.
            m_history->select(q(m_history->runs().front().dir.string()));
        }
        if (first) {
            int unfinished = 0;
            for (const auto &r : m_history->runs())
                unfinished += !r.finished;
            if (unfinished && !m_job)
                setStatus(tr("%n unfinished run(s) can be resumed: select one in the history and "
                             "press Resume.",
                             nullptr, unfinished),
                          QStringLiteral("#ca6f1e"));
        }
        m_bottom->setTabText(0, tr("Runs (%1)").arg(m_history->runs().size()));
        updateButtons();
        Q_EMIT historyLoaded();
    });
}

void TrainingTab::onHistorySelection()
{
    const auto sel = m_history->selectedRuns();
    if (sel.empty())
        return;
    if (sel.size() == 1) {
        const QString dir = q(sel.front()->dir.string());
        if (m_job && dir == m_liveDir) {
            showLiveRun();
            return;
        }
        m_chartShowsLive = false;
        qint64 total = 0;
        for (const auto &p : sel.front()->points)
            total = std::max<qint64>(total, p.totalSteps);
        m_chart->setPlaceholder(tr("This run has no metric points yet"));
        m_chart->setRun(sel.front()->points, total);
        if (!m_job) {
            const wb::RunInfo &run = *sel.front();
            m_runLabel->setText(q(run.dir.filename().string()));
            const qint64 done = run.points.empty() ? 0 : run.points.back().step;
            m_progress->setVisible(true);
            m_progress->setValue(total > 0 ? int(1000 * done / total) : 0);
            m_progress->setFormat(tr("%1 / %2 steps").arg(done).arg(total));
            m_speed->clear();
            m_eta->clear();
            if (run.finished)
                setStatus(run.finalMessage.empty() ? tr("Finished.") : q(run.finalMessage),
                          QStringLiteral("#1e8449"));
            else if (!run.checkpointSteps.empty())
                setStatus(tr("Stopped at step %1: Resume continues from its checkpoint.")
                              .arg(run.checkpointSteps.back()),
                          QStringLiteral("#ca6f1e"));
            else
                setStatus(tr("Stopped before its first checkpoint: Resume starts it over."),
                          QStringLiteral("#ca6f1e"));
        }
        showLogOf(dir);
        return;
    }
    m_chartShowsLive = false;
    m_chart->clear();
    for (const auto *run : sel)
        m_chart->addComparison(q(run->dir.filename().string()), run->points);
}

// ---------------------------------------------------------------- log

void TrainingTab::showLogOf(const QString &runDir)
{
    m_log->clear();
    m_logDir = runDir;
    m_logOffset = 0;
    tailLog();
}

void TrainingTab::tailLog()
{
    if (m_logDir.isEmpty())
        return;
    QFile f(m_logDir + QStringLiteral("/log.txt"));
    if (!f.exists() || f.size() <= m_logOffset || !f.open(QIODevice::ReadOnly))
        return;
    if (f.size() - m_logOffset > kMaxLogBytes) {
        m_logOffset = f.size() - kMaxLogBytes;
        m_log->appendPlainText(tr("… (earlier lines are in %1)").arg(f.fileName()));
    }
    f.seek(m_logOffset);
    QByteArray bytes = f.readAll();
    const qsizetype end = bytes.lastIndexOf('\n');
    if (end < 0)
        return; // wait for the end of the line
    bytes.truncate(end);
    m_logOffset += end + 1;
    auto *bar = m_log->verticalScrollBar();
    const bool atEnd = bar->value() == bar->maximum();
    m_log->appendPlainText(QString::fromUtf8(bytes));
    if (atEnd)
        bar->setValue(bar->maximum());
}

QString TrainingTab::logText() const
{
    return m_log->toPlainText();
}
QString TrainingTab::statusText() const
{
    return m_status->text();
}

void TrainingTab::setStatus(const QString &text, const QString &color)
{
    m_status->setText(text);
    m_status->setStyleSheet(color.isEmpty() ? QString() : QStringLiteral("color: %1;").arg(color));
}

void TrainingTab::updateButtons()
{
    m_start->setEnabled(!m_job);
    m_stop->setEnabled(m_job != 0);
}

void TrainingTab::exportRun(const QString &runDir)
{
    const auto *run = m_history->find(runDir);
    if (!run)
        return;
    auto *dialog = new ExportDialog(m_ctx, *run, this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->open();
}

bool TrainingTab::evaluateRun(const QString &runDir, bool generate)
{
    if (m_accuracyJob) {
        setStatus(tr("A run is being scored already; wait for it (or cancel it in Jobs)."));
        return false;
    }
    wb::JobSpec spec;
    try {
        spec = wb::makeRunAccuracyJob(runDir.toStdString(),
                                      generate ? wb::EvalMethod::Generate : wb::EvalMethod::Loglik, 0);
    } catch (const std::exception &e) {
        setStatus(QString::fromUtf8(e.what()), QStringLiteral("#c0392b"));
        return false;
    }
    setStatus((generate ? tr("Generating answers with the base model and %1 on the held-out problems…")
                        : tr("Scoring the base model and %1 on the held-out problems…"))
                  .arg(QDir(runDir).dirName()));
    m_accuracyJob = m_ctx.submit(std::move(spec), [this, guard = QPointer<TrainingTab>(this)](
                                                      const wb::JobSnapshot &s) {
        if (!guard)
            return;
        m_accuracyJob = 0;
        if (s.state == wb::JobState::Succeeded) {
            const auto r = wb::RunAccuracy::fromJson(s.result);
            setStatus(tr("Accuracy: %1").arg(q(r.summary())),
                      r.tunedCorrect > r.baseCorrect ? QStringLiteral("#1e7b34") : QString());
            reloadHistory();
        } else if (s.state == wb::JobState::Cancelled) {
            setStatus(tr("Accuracy scoring cancelled."));
        } else {
            setStatus(tr("Accuracy scoring failed: %1").arg(q(s.error)), QStringLiteral("#c0392b"));
        }
        Q_EMIT accuracyFinished(s);
    });
    return true;
}

} // namespace wbui

#pragma once

#include "jobs/job.h"
#include "train/trainer.h"

#include <QElapsedTimer>
#include <QTimer>
#include <QVector>
#include <QWidget>

#include <tuple>

class QLabel;
class QPlainTextEdit;
class QProgressBar;
class QPushButton;
class QTabWidget;

namespace wbui {

class AppContext;
class RunHistory;
class TrainingChart;
class TrainingForm;

// The Training tab: set up a LoRA or full fine-tuning run (the plan — trainable parameters,
// examples, truncation, steps — is recomputed in a quiet job as settings change), start, stop
// and resume it, watch its loss, eval loss, learning rate and gradient norm arrive live, read
// its log, go back to any earlier run, compare runs, and export a finished one.
class TrainingTab final : public QWidget
{
    Q_OBJECT
public:
    explicit TrainingTab(AppContext &ctx, QWidget *parent = nullptr);
    ~TrainingTab() override;

    TrainingForm *form() const { return m_form; }
    TrainingChart *chart() const { return m_chart; }
    RunHistory *history() const { return m_history; }

    // Starts a run with the form's settings; returns false (and says why) when it cannot.
    bool start();
    void stop();
    bool resume(const QString &runDir);
    wb::JobId currentJob() const { return m_job; }
    QString currentRunDir() const { return m_liveDir; }

    QString planText() const;
    QString statusText() const;
    QString logText() const;
    // Re-reads the run folders (in a quiet job); historyLoaded() follows.
    void reloadHistory();

    // Scores the base model and a finished run on the problems it held out, as a job; the
    // history's Accuracy column and the status line show the result. generate: greedy answers
    // with answer extraction (`llmwb accuracy --method generate`), else the log-likelihood of
    // each option's letter.
    bool evaluateRun(const QString &runDir, bool generate = false);

Q_SIGNALS:
    void planReady();
    void historyLoaded();
    void runFinished(const wb::JobSnapshot &snapshot);
    void accuracyFinished(const wb::JobSnapshot &snapshot);

private:
    void schedulePlan();
    void computePlan();
    void showPlan(const wb::TrainPlan &plan);
    bool submit(wb::JobSpec spec, const QString &runDir);
    void onMetric(qint64 jobId, const QString &name, qint64 step, double value);
    void onJobUpdated(const wb::JobSnapshot &s);
    void onRunFinished(const wb::JobSnapshot &s);
    void onHistorySelection();
    void showLiveRun();
    void tailLog();
    void showLogOf(const QString &runDir);
    void setStatus(const QString &text, const QString &color = QString());
    void updateButtons();
    void exportRun(const QString &runDir);

    AppContext &m_ctx;
    TrainingForm *m_form;
    TrainingChart *m_chart;
    RunHistory *m_history;
    QLabel *m_plan;
    QPushButton *m_start;
    QPushButton *m_stop;
    QLabel *m_runLabel;
    QProgressBar *m_progress;
    QLabel *m_speed;
    QLabel *m_eta;
    QLabel *m_status;
    QPlainTextEdit *m_log;
    QTabWidget *m_bottom;

    QTimer m_planTimer;
    quint64 m_planSeq = 0;
    quint64 m_historySeq = 0;
    qint64 m_planSteps = 0;

    wb::JobId m_job = 0;
    wb::JobId m_accuracyJob = 0; // one scoring at a time
    QString m_liveDir;
    bool m_chartShowsLive = false;
    bool m_liveListed = false;
    QElapsedTimer m_liveHistoryAge; // since the history last re-read the live run's row
    QVector<std::tuple<QString, qint64, double>> m_liveMetrics;
    QTimer m_logTimer;
    qint64 m_logOffset = 0;
    QString m_logDir;
};

} // namespace wbui

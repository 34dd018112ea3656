#pragma once

#include "compare_common.h"
#include "job_bridge.h" // Q_DECLARE_METATYPE(wb::JobSnapshot), for the signals below
#include "jobs/job.h"

#include <QTimer>
#include <QWidget>

#include <functional>
#include <map>
#include <string>
#include <vector>

class QCheckBox;
class QComboBox;
class QLabel;
class QProgressBar;
class QPushButton;
class QTabWidget;

namespace wbui {

class ApiKeyStore;
class AppContext;
class CompareCharts;
class CompareHistory;
class CompareMatrix;
class ComparePairView;
class CompareQuestionView;
class ExperimentBuilder;

// The Compare tab: build an experiment (dataset × model variants × templates × RAG × decoding,
// scored by generation or log-likelihood) or load a saved one, see what it will cost (cells,
// questions, calls, how many are cached), run it as a job with per-cell progress, Stop and
// Resume, and read the results: the matrix with intervals, each cell's questions and responses,
// two cells side by side with McNemar's test, charts, earlier runs, and exports.
class CompareTab final : public QWidget
{
    Q_OBJECT
public:
    explicit CompareTab(AppContext &ctx, QWidget *parent = nullptr);
    ~CompareTab() override;

    ExperimentBuilder *builder() const { return m_builder; }
    CompareMatrix *matrix() const { return m_matrix; }
    CompareQuestionView *questions() const { return m_questions; }
    ComparePairView *pairwise() const { return m_pair; }
    CompareCharts *charts() const { return m_charts; }
    CompareHistory *history() const { return m_history; }
    ApiKeyStore *apiKeys() const { return m_keys; }
    QComboBox *savedExperiments() const { return m_saved; }

    // Records a new run of the builder's experiment and starts it; false (with the reason in
    // the status line) when it cannot. The run starts after its record is made, in a job.
    bool start();
    void stop();
    bool resume(const QString &run);
    void openRun(const QString &run);
    wb::JobId currentJob() const { return m_job; }
    QString liveRun() const { return m_liveRun; }
    QString shownRun() const { return m_shownRun; }
    CompareResultsPtr results() const { return m_results; }

    QString planText() const;
    QString statusText() const;

    // Saved experiments (the workspace's) and EXPERIMENT.json files.
    void reloadExperiments();
    bool saveExperiment(const QString &asName = {});
    bool loadExperiment(const QString &name);
    bool loadExperimentFile(const QString &path);
    bool saveExperimentFile(const QString &path);

    // csv | json | md, and the submission file for a cell ("" = the best one).
    bool exportResults(const QString &format, const QString &path);
    bool exportSubmission(const QString &cell, const QString &path);

    // Reads the shown run's results in a quiet job; resultsUpdated() follows.
    void refreshResults();
    void reloadRuns();
    void compareRuns(const QString &a, const QString &b);

Q_SIGNALS:
    void planReady();
    void resultsUpdated();
    void runsLoaded();
    // After the run's job ended and its final results are shown.
    void runFinished(const wb::JobSnapshot &snapshot);

protected:
    void showEvent(QShowEvent *event) override;

private:
    QWidget *buildLeft();
    QWidget *buildRight();
    void schedulePlan();
    void computePlan();
    void launch(const QString &run, bool noCache);
    void submitRun(const QString &run, bool noCache, std::map<std::string, std::string> keys);
    void onJobUpdated(const wb::JobSnapshot &s);
    void onRunFinished(const wb::JobSnapshot &s);
    void showResults(CompareResultsPtr results);
    void reloadAdapters();
    void addRemoteEndpoint();
    void exportMenu(const QString &format);
    void removeRun(const QString &run);
    void setStatus(const QString &text, const QString &color = QString());
    // Writes what `make` returns (an export of the open run) to `path`; the status says how it went.
    bool writeExport(const std::function<std::string()> &make, const QString &path, const QString &done);
    void updateButtons();

    AppContext &m_ctx;
    ApiKeyStore *m_keys;
    ExperimentBuilder *m_builder;
    CompareMatrix *m_matrix;
    CompareQuestionView *m_questions;
    ComparePairView *m_pair;
    CompareCharts *m_charts;
    CompareHistory *m_history;
    QComboBox *m_saved;
    QLabel *m_plan;
    QComboBox *m_device;
    QCheckBox *m_noCache;
    QPushButton *m_start;
    QPushButton *m_stop;
    QPushButton *m_resume;
    QPushButton *m_export;
    QLabel *m_runLabel;
    QProgressBar *m_progress;
    QLabel *m_eta;
    QLabel *m_status;
    QTabWidget *m_bottom;

    QTimer m_planTimer;
    QTimer m_pollTimer;
    quint64 m_planSeq = 0;
    quint64 m_resultsSeq = 0;
    bool m_refreshing = false;
    bool m_refreshAgain = false;
    bool m_starting = false;
    bool m_firstShow = true;
    bool m_planDirty = true;
    wb::JobId m_job = 0;
    QString m_liveRun;
    QString m_shownRun;
    CompareResultsPtr m_results;
    std::vector<std::function<void()>> m_afterRefresh;
};

} // namespace wbui

#pragma once

#include "train/trainer.h"

#include <QWidget>

#include <vector>

class QPushButton;
class QTreeWidget;

namespace wbui {

// Every fine-tuning run of the workspace (run folders under files/runs), newest first, with
// its configuration in short, steps done, last losses and whether it finished. Selecting one
// run shows its curves; selecting several overlays them. Unfinished runs that are not running
// offer Resume, also after a restart of the app.
class RunHistory final : public QWidget
{
    Q_OBJECT
public:
    explicit RunHistory(QWidget *parent = nullptr);

    // Replaces the list, keeping the selection (by folder) when it still exists.
    void setRuns(std::vector<wb::RunInfo> runs);
    // The folder of the run the tab is training now (empty: none).
    void setLiveRun(const QString &dir);
    QString liveRun() const { return m_live; }

    const std::vector<wb::RunInfo> &runs() const { return m_runs; }
    const wb::RunInfo *find(const QString &dir) const;
    std::vector<const wb::RunInfo *> selectedRuns() const;
    void select(const QString &dir);
    // Whether Resume applies to a run: unfinished and not running.
    bool canResume(const QString &dir) const;
    QTreeWidget *tree() const { return m_tree; }

    static QString summary(const wb::TrainConfig &config);

Q_SIGNALS:
    void selectionChanged();
    void resumeRequested(const QString &dir);
    void exportRequested(const QString &dir);
    // generate: greedy answers with extraction instead of the options' log-likelihood.
    void accuracyRequested(const QString &dir, bool generate);
    void useSettingsRequested(const QString &dir);
    void refreshRequested();

private:
    void fill();
    void updateButtons();
    QString statusOf(const wb::RunInfo &run) const;

    std::vector<wb::RunInfo> m_runs;
    QString m_live;
    QTreeWidget *m_tree;
    QPushButton *m_resume;
    QPushButton *m_export;
    QPushButton *m_accuracy;
    QPushButton *m_useSettings;
    QPushButton *m_openFolder;
};

} // namespace wbui

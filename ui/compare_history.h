#pragma once

#include "eval/compare.h"

#include <QDialog>
#include <QWidget>

#include <vector>

class QPushButton;
class QTableWidget;
class QTreeWidget;

namespace wbui {

// The workspace's comparison runs, newest first, with their state and dates. Open shows a run's
// results; Resume continues a stopped (or interrupted, or failed) run; selecting two runs and
// "Compare runs" puts their accuracies side by side.
class CompareHistory final : public QWidget
{
    Q_OBJECT
public:
    explicit CompareHistory(QWidget *parent = nullptr);

    void setRuns(std::vector<wb::CompareRunInfo> runs);
    // The run this app is running now ("" for none): it is not offered for Resume.
    void setLiveRun(const QString &name);
    const std::vector<wb::CompareRunInfo> &runs() const { return m_runs; }
    QStringList selectedRuns() const;
    void select(const QString &name);
    bool canResume(const QString &name) const;
    QTreeWidget *tree() const { return m_tree; }

Q_SIGNALS:
    void openRequested(const QString &name);
    void resumeRequested(const QString &name);
    void compareRequested(const QString &a, const QString &b);
    void removeRequested(const QString &name);
    void refreshRequested();

private:
    void fill();
    void updateButtons();
    QString stateText(const wb::CompareRunInfo &run) const;

    std::vector<wb::CompareRunInfo> m_runs;
    QString m_live;
    QTreeWidget *m_tree;
    QPushButton *m_open;
    QPushButton *m_resume;
    QPushButton *m_compare;
    QPushButton *m_remove;
};

// Two runs' accuracies per cell label (the cells of different runs are matched by label, then
// by id), with the difference in percentage points.
class RunDeltaDialog final : public QDialog
{
    Q_OBJECT
public:
    RunDeltaDialog(const wb::CompareResults &a, const wb::CompareResults &b,
                   QWidget *parent = nullptr);
    QTableWidget *table() const { return m_table; }

private:
    QTableWidget *m_table;
};

} // namespace wbui

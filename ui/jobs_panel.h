#pragma once

#include "jobs/job.h"

#include <QHash>
#include <QWidget>

class QTreeWidget;
class QTreeWidgetItem;

namespace wbui {

class AppContext;

// Every job of this session (and those recorded in earlier ones): progress bar, elapsed
// time and ETA, its latest message and a cancel button while it runs.
class JobsPanel final : public QWidget
{
    Q_OBJECT
public:
    explicit JobsPanel(AppContext &ctx, QWidget *parent = nullptr);

    QTreeWidget *tree() const { return m_tree; }
    int runningCount() const;
    // "45 s", "3 min 5 s", "1 h 2 min"; "–" when unknown (negative).
    static QString duration(double seconds);

Q_SIGNALS:
    void runningCountChanged(int running);

private:
    void update(const wb::JobSnapshot &s);
    void loadHistory();
    QTreeWidgetItem *itemFor(qint64 id);
    static QString stateText(wb::JobState s);

    AppContext &m_ctx;
    QTreeWidget *m_tree;
    QHash<qint64, QTreeWidgetItem *> m_items;
    QHash<qint64, wb::JobState> m_states;
};

} // namespace wbui

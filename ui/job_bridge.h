#pragma once

#include "jobs/job.h"

#include <QHash>
#include <QMetaType>
#include <QMutex>
#include <QObject>
#include <QTimer>

namespace wb {
class JobRunner;
}

Q_DECLARE_METATYPE(wb::JobSnapshot)

namespace wbui {

// Turns the job runner's callbacks (on worker threads) into queued Qt signals on the GUI
// thread. Progress is coalesced: at most one jobUpdated per job per tick (100 ms), so a job
// that reports thousands of times a second never floods the event loop. State changes
// (started, finished) are never dropped.
class JobBridge final : public QObject
{
    Q_OBJECT
public:
    explicit JobBridge(wb::JobRunner &runner, QObject *parent = nullptr);
    ~JobBridge() override;

    int intervalMs() const { return m_timer.interval(); }

Q_SIGNALS:
    void jobUpdated(const wb::JobSnapshot &snapshot);
    void jobFinished(const wb::JobSnapshot &snapshot);
    void metric(qint64 jobId, const QString &name, qint64 step, double value);

private:
    void onWorkerSnapshot(const wb::JobSnapshot &s);
    void flush();

    wb::JobRunner &m_runner;
    int m_token = 0;
    int m_metricToken = 0;
    QTimer m_timer;
    QMutex m_mutex;
    QHash<qint64, wb::JobSnapshot> m_pending;
    QHash<qint64, int> m_pendingState; // last state delivered per job
};

} // namespace wbui

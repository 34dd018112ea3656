#include "job_bridge.h"

#include "jobs/job_runner.h"

#include <QMetaObject>

namespace wbui {

JobBridge::JobBridge(wb::JobRunner &runner, QObject *parent) : QObject(parent), m_runner(runner)
{
    qRegisterMetaType<wb::JobSnapshot>();
    m_timer.setInterval(100);
    connect(&m_timer, &QTimer::timeout, this, &JobBridge::flush);
    m_timer.start();
    m_token = m_runner.addListener([this](const wb::JobSnapshot &s) { onWorkerSnapshot(s); });
    m_metricToken = m_runner.addMetricListener(
        [this](wb::JobId id, const std::string &name, int64_t step, double value) {
            const QString qname = QString::fromStdString(name);
            QMetaObject::invokeMethod(
                this, [this, id, qname, step, value] { Q_EMIT metric(id, qname, step, value); },
                Qt::QueuedConnection);
        });
}

JobBridge::~JobBridge()
{
    m_runner.removeListener(m_token);
    m_runner.removeListener(m_metricToken);
}

void JobBridge::onWorkerSnapshot(const wb::JobSnapshot &s)
{
    bool stateChanged;
    {
        QMutexLocker lock(&m_mutex);
        stateChanged = m_pendingState.value(s.id, -1) != static_cast<int>(s.state);
        m_pendingState[s.id] = static_cast<int>(s.state);
        if (!stateChanged) {
            m_pending[s.id] = s; // coalesced: delivered at the next tick
            return;
        }
        m_pending.remove(s.id);
    }
    // A state change goes out at once, in order.
    QMetaObject::invokeMethod(
        this,
        [this, s] {
            Q_EMIT jobUpdated(s);
            if (wb::isFinished(s.state))
                Q_EMIT jobFinished(s);
        },
        Qt::QueuedConnection);
}

void JobBridge::flush()
{
    QHash<qint64, wb::JobSnapshot> batch;
    {
        QMutexLocker lock(&m_mutex);
        batch.swap(m_pending);
    }
    for (const auto &s : std::as_const(batch))
        Q_EMIT jobUpdated(s);
}

} // namespace wbui

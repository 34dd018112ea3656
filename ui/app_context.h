#pragma once

#include "jobs/job.h"

#include <QHash>
#include <QObject>
#include <QString>

#include <functional>
#include <memory>

namespace wb {
class Workspace;
class JobRunner;
}

namespace wbui {

class JobBridge;
class ModelHost;

// What every part of the UI shares: the open workspace, the job runner and its bridge.
// Lives as long as the application (windows may be rebuilt, e.g. on a language switch).
class AppContext final : public QObject
{
    Q_OBJECT
public:
    explicit AppContext(std::unique_ptr<wb::Workspace> workspace, QObject *parent = nullptr);
    ~AppContext() override;

    wb::Workspace &workspace() { return *m_workspace; }
    wb::JobRunner &jobs() { return *m_runner; }
    JobBridge &bridge() { return *m_bridge; }
    ModelHost &modelHost() { return *m_modelHost; }

    // Submits a job; onFinished runs on the GUI thread with the final snapshot.
    wb::JobId submit(wb::JobSpec spec, std::function<void(const wb::JobSnapshot &)> onFinished = {});

Q_SIGNALS:
    void datasetsChanged();
    void modelsChanged();
    void showModel(const QString &name);
    void templatesChanged();
    // Asks the main window to show a dataset (by name) in the Datasets tab.
    void showDataset(const QString &name);
    void showTemplate(const QString &name);

private:
    std::unique_ptr<wb::Workspace> m_workspace;
    std::unique_ptr<wb::JobRunner> m_runner;
    std::unique_ptr<JobBridge> m_bridge;
    std::unique_ptr<ModelHost> m_modelHost;
    QHash<qint64, std::function<void(const wb::JobSnapshot &)>> m_callbacks;
};

} // namespace wbui

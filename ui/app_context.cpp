#include "app_context.h"

#include "job_bridge.h"
#include "jobs/job_runner.h"
#include "model_host.h"
#include "store/workspace.h"

namespace wbui {

AppContext::AppContext(std::unique_ptr<wb::Workspace> workspace, QObject *parent)
    : QObject(parent), m_workspace(std::move(workspace))
{
    m_runner = std::make_unique<wb::JobRunner>(m_workspace.get(), 2);
    m_bridge = std::make_unique<JobBridge>(*m_runner);
    m_modelHost = std::make_unique<ModelHost>(*this);
    connect(m_bridge.get(), &JobBridge::jobFinished, this, [this](const wb::JobSnapshot &s) {
        auto cb = m_callbacks.take(s.id);
        if (cb)
            cb(s);
    });
}

AppContext::~AppContext()
{
    m_bridge.reset();
    m_runner.reset(); // joins workers before the workspace and the model go away
    m_modelHost.reset();
    m_workspace.reset();
}

wb::JobId AppContext::submit(wb::JobSpec spec, std::function<void(const wb::JobSnapshot &)> onFinished)
{
    // The finished signal is queued to this (GUI) thread, so it cannot be delivered before we
    // return to the event loop: registering after submit() is safe.
    const wb::JobId id = m_runner->submit(std::move(spec));
    if (onFinished)
        m_callbacks.insert(id, std::move(onFinished));
    return id;
}

} // namespace wbui

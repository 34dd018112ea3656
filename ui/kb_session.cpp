#include "kb_session.h"

#include "app_context.h"
#include "job_bridge.h"
#include "jobs/job_runner.h"
#include "model/embedders.h"
#include "store/workspace.h"

#include <QPointer>

namespace wbui {

namespace {
std::string s(const QString &q)
{
    return q.toStdString();
}
} // namespace

QString hitSource(const wb::rag::SearchHit &hit)
{
    return QString::fromStdString(wb::rag::sourceLabel(hit));
}

KbSession::KbSession(AppContext &ctx, QObject *parent) : QObject(parent), m_ctx(ctx)
{
    wb::registerEngineEmbedders(); // "bert" and "causal-lm" collections
    connect(&ctx.bridge(), &JobBridge::jobUpdated, this, [this](const wb::JobSnapshot &snap) {
        const auto it = m_ingests.constFind(snap.id);
        if (it != m_ingests.constEnd())
            Q_EMIT ingestProgress(it.value(), snap);
    });
}

KbSession::~KbSession()
{
    // Jobs hold their slot through a shared pointer; make them stop soon.
    for (const wb::JobId id : std::as_const(m_jobs))
        m_ctx.jobs().cancel(id);
}

wb::JobId KbSession::run(const QString &collection, const QString &kind, const QString &title,
                         bool quiet, Work work, Done done)
{
    if (isBusy(collection))
        return 0;
    std::shared_ptr<Slot> &slot = m_slots[collection];
    if (!slot)
        slot = std::make_shared<Slot>();
    auto outcome = std::make_shared<Outcome>();
    wb::JobSpec spec;
    spec.kind = s(kind);
    spec.title = s(title);
    spec.quiet = quiet;
    spec.params = {{"collection", s(collection)}};
    wb::Workspace *ws = &m_ctx.workspace();
    spec.work = [ws, slot, outcome, name = s(collection),
                 work = std::move(work)](wb::JobContext &job) {
        if (!slot->kb) {
            slot->kb = wb::rag::KnowledgeBase::open(*ws, name);
            slot->openMessage = slot->kb->openMessage();
        }
        outcome->openMessage = slot->openMessage;
        auto statsNow = [&] {
            outcome->stats = slot->kb->stats();
            outcome->haveStats = true;
        };
        nlohmann::json result;
        try {
            result = work(*slot->kb, job);
        } catch (...) {
            try {
                statsNow();
            } catch (...) {
                // the job's own error is the one to report
            }
            throw;
        }
        statsNow();
        return result;
    };
    const wb::JobId id =
        m_ctx.submit(std::move(spec), [this, guard = QPointer<KbSession>(this), collection, outcome,
                                       done](const wb::JobSnapshot &snap) {
            if (!guard) // the window was rebuilt (a language switch) while the job ran
                return;
            m_jobs.remove(collection);
            m_ingests.remove(snap.id);
            if (outcome->haveStats) {
                m_stats[collection] = outcome->stats;
                m_messages[collection] = QString::fromStdString(outcome->openMessage);
            }
            if (done)
                done(snap);
            Q_EMIT busyChanged(collection, false);
            if (outcome->haveStats)
                Q_EMIT statsChanged(collection);
        });
    m_jobs[collection] = id;
    Q_EMIT busyChanged(collection, true);
    return id;
}

wb::JobId KbSession::refresh(const QString &collection, Done done)
{
    return run(
        collection, QStringLiteral("kb.open"), tr("Open knowledge base %1").arg(collection), true,
        [](wb::rag::KnowledgeBase &, wb::JobContext &) { return nlohmann::json::object(); },
        std::move(done));
}

wb::JobId KbSession::ingest(const QString &collection, const QStringList &paths,
                            const QString &textField, Done done)
{
    wb::rag::IngestRequest request;
    nlohmann::json given = nlohmann::json::array();
    for (const QString &p : paths) {
        request.paths.emplace_back(s(p));
        given.push_back(s(p));
    }
    request.options.textField = s(textField);
    const QString title = paths.isEmpty() ? tr("Resume indexing %1").arg(collection)
                                          : tr("Index into %1").arg(collection);
    const wb::JobId id = run(
        collection, QStringLiteral("kb.ingest"), title, false,
        [request](wb::rag::KnowledgeBase &kb, wb::JobContext &job) {
            return kb.ingest(request, &job).toJson();
        },
        std::move(done));
    if (id != 0)
        m_ingests[id] = collection;
    return id;
}

void KbSession::cancel(const QString &collection)
{
    if (const wb::JobId id = jobOf(collection))
        m_ctx.jobs().cancel(id);
}

bool KbSession::close(const QString &collection)
{
    if (isBusy(collection))
        return false;
    m_slots.remove(collection);
    m_stats.remove(collection);
    m_messages.remove(collection);
    return true;
}

} // namespace wbui

#pragma once

#include "jobs/job.h"
#include "rag/knowledge_base.h"

#include <QHash>
#include <QObject>
#include <QString>

#include <functional>
#include <memory>

namespace wbui {

class AppContext;

// The knowledge-base collections the UI has opened, and the jobs that use them. A
// KnowledgeBase is not thread-safe, so each collection runs one job at a time (ingest, search,
// remove, stats) on a worker, and the GUI thread never touches an open collection itself:
// opening one can load an embedding model, and searching one embeds the query.
class KbSession final : public QObject
{
    Q_OBJECT
public:
    using Work = std::function<nlohmann::json(wb::rag::KnowledgeBase &, wb::JobContext &)>;
    using Done = std::function<void(const wb::JobSnapshot &)>;

    explicit KbSession(AppContext &ctx, QObject *parent = nullptr);
    ~KbSession() override;

    AppContext &context() { return m_ctx; }
    // The job that holds the collection (0 when none).
    wb::JobId jobOf(const QString &collection) const { return m_jobs.value(collection, 0); }
    bool isBusy(const QString &collection) const { return jobOf(collection) != 0; }
    bool isIngesting(const QString &collection) const
    {
        return m_ingests.contains(jobOf(collection));
    }
    // The collection's statistics as the last job left them (all zero before the first).
    wb::rag::CollectionStats stats(const QString &collection) const
    {
        return m_stats.value(collection);
    }
    QString openMessage(const QString &collection) const { return m_messages.value(collection); }

    // Runs work on a worker with the collection open (opening it first), then refreshes its
    // statistics, also when the work fails or is cancelled. Returns 0, and runs nothing, while
    // another job holds the collection. done runs on the GUI thread.
    wb::JobId run(const QString &collection, const QString &kind, const QString &title, bool quiet,
                  Work work, Done done = {});
    // Opens the collection (when needed) and refreshes its statistics.
    wb::JobId refresh(const QString &collection, Done done = {});
    // Ingests paths (files or folders; none: resume an interrupted ingest and re-scan).
    wb::JobId ingest(const QString &collection, const QStringList &paths,
                     const QString &textField = {}, Done done = {});
    void cancel(const QString &collection);
    // Closes the collection (before it is dropped). Refused while a job holds it.
    bool close(const QString &collection);

Q_SIGNALS:
    void busyChanged(const QString &collection, bool busy);
    void statsChanged(const QString &collection);
    // An ingest's snapshot, throttled by the job bridge.
    void ingestProgress(const QString &collection, const wb::JobSnapshot &snapshot);

private:
    struct Slot
    {
        std::unique_ptr<wb::rag::KnowledgeBase> kb;
        std::string openMessage;
    };
    struct Outcome
    {
        bool haveStats = false;
        wb::rag::CollectionStats stats;
        std::string openMessage;
    };

    AppContext &m_ctx;
    QHash<QString, std::shared_ptr<Slot>> m_slots;
    QHash<QString, wb::JobId> m_jobs;
    QHash<wb::JobId, QString> m_ingests;
    QHash<QString, wb::rag::CollectionStats> m_stats;
    QHash<QString, QString> m_messages;
};

// "manual.pdf p.3" for a search hit, as the prompt's {{context}} names it.
QString hitSource(const wb::rag::SearchHit &hit);

} // namespace wbui

#include "jobs_panel.h"

#include "app_context.h"
#include "common/files.h"
#include "job_bridge.h"
#include "jobs/job_runner.h"
#include "store/job_store.h"

#include <QHeaderView>
#include <QProgressBar>
#include <QToolButton>
#include <QTreeWidget>
#include <QVBoxLayout>

namespace wbui {

namespace {
enum Column { ColTitle, ColState, ColProgress, ColTime, ColMessage, ColCancel, ColCount };
}

JobsPanel::JobsPanel(AppContext &ctx, QWidget *parent) : QWidget(parent), m_ctx(ctx)
{
    m_tree = new QTreeWidget(this);
    m_tree->setObjectName(QStringLiteral("jobsTree"));
    m_tree->setColumnCount(ColCount);
    m_tree->setHeaderLabels({tr("Job"), tr("State"), tr("Progress"), tr("Elapsed / ETA"),
                             tr("Message"), QString()});
    m_tree->setRootIsDecorated(false);
    m_tree->setAlternatingRowColors(true);
    m_tree->header()->setSectionResizeMode(ColMessage, QHeaderView::Stretch);
    m_tree->header()->setStretchLastSection(false);
    m_tree->setColumnWidth(ColTitle, 260);
    m_tree->setColumnWidth(ColProgress, 160);
    m_tree->setColumnWidth(ColTime, 170);
    m_tree->setColumnWidth(ColCancel, 80);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_tree);

    loadHistory();
    connect(&ctx.bridge(), &JobBridge::jobUpdated, this, &JobsPanel::update);
}

QString JobsPanel::stateText(wb::JobState s)
{
    switch (s) {
    case wb::JobState::Queued: return tr("queued");
    case wb::JobState::Running: return tr("running");
    case wb::JobState::Succeeded: return tr("done");
    case wb::JobState::Failed: return tr("failed");
    case wb::JobState::Cancelled: return tr("cancelled");
    case wb::JobState::Interrupted: return tr("interrupted");
    }
    return {};
}

QString JobsPanel::duration(double seconds)
{
    if (seconds < 0)
        return QStringLiteral("–");
    const int s = static_cast<int>(seconds + 0.5);
    if (s < 60)
        return tr("%1 s").arg(s);
    if (s < 3600)
        return tr("%1 min %2 s").arg(s / 60).arg(s % 60);
    return tr("%1 h %2 min").arg(s / 3600).arg((s % 3600) / 60);
}

QTreeWidgetItem *JobsPanel::itemFor(qint64 id)
{
    if (auto *item = m_items.value(id))
        return item;
    auto *item = new QTreeWidgetItem;
    m_tree->insertTopLevelItem(0, item);
    auto *bar = new QProgressBar;
    bar->setRange(0, 1000);
    bar->setTextVisible(true);
    m_tree->setItemWidget(item, ColProgress, bar);
    m_items.insert(id, item);
    return item;
}

void JobsPanel::loadHistory()
{
    const auto records = wb::listJobs(m_ctx.workspace(), 100);
    // Oldest first so the newest ends on top.
    for (auto it = records.rbegin(); it != records.rend(); ++it) {
        wb::JobSnapshot s;
        s.id = it->id;
        s.kind = it->kind;
        s.title = it->title;
        s.lane = it->lane;
        s.state = it->state;
        s.progress.fraction = it->progress;
        s.progress.message = it->error.empty() ? it->message : it->error;
        update(s);
    }
}

void JobsPanel::update(const wb::JobSnapshot &s)
{
    if (s.quiet && (s.state == wb::JobState::Succeeded || s.state == wb::JobState::Cancelled)) {
        // Quick jobs leave no trace once they have done their work.
        delete m_items.take(s.id);
        const int before = runningCount();
        m_states.remove(s.id);
        if (before != runningCount())
            Q_EMIT runningCountChanged(runningCount());
        return;
    }
    const bool isNew = !m_items.contains(s.id);
    QTreeWidgetItem *item = itemFor(s.id);
    item->setText(ColTitle, QString::fromStdString(s.title));
    item->setToolTip(ColTitle, QString::fromStdString(s.kind));
    item->setText(ColState, stateText(s.state));
    item->setText(ColMessage, QString::fromStdString(s.error.empty() ? s.progress.message : s.error));
    item->setToolTip(ColMessage, item->text(ColMessage));
    if (s.state == wb::JobState::Failed || s.state == wb::JobState::Interrupted)
        item->setForeground(ColState, QColor(0xc0, 0x39, 0x2b));
    else if (s.state == wb::JobState::Succeeded)
        item->setForeground(ColState, QColor(0x1e, 0x84, 0x49));

    auto *bar = qobject_cast<QProgressBar *>(m_tree->itemWidget(item, ColProgress));
    if (bar) {
        if (s.state == wb::JobState::Running && s.progress.fraction < 0) {
            bar->setRange(0, 0); // unknown: busy indicator
        } else {
            bar->setRange(0, 1000);
            bar->setValue(static_cast<int>(qBound(0.0, s.progress.fraction, 1.0) * 1000));
        }
    }
    if (s.startedMs > 0) {
        const int64_t end = s.finishedMs > 0 ? s.finishedMs : wb::steadyMillis();
        QString t = duration((end - s.startedMs) / 1000.0);
        if (s.state == wb::JobState::Running && s.etaSeconds >= 0)
            t += QStringLiteral(" / ") + tr("%1 left").arg(duration(s.etaSeconds));
        item->setText(ColTime, t);
    }

    const bool cancellable = !wb::isFinished(s.state);
    QWidget *w = m_tree->itemWidget(item, ColCancel);
    if (cancellable && !w) {
        auto *cancel = new QToolButton;
        cancel->setText(tr("Cancel"));
        cancel->setObjectName(QStringLiteral("cancelJob%1").arg(s.id));
        const qint64 id = s.id;
        connect(cancel, &QToolButton::clicked, this, [this, id, cancel] {
            cancel->setEnabled(false);
            m_ctx.jobs().cancel(id);
        });
        m_tree->setItemWidget(item, ColCancel, cancel);
    } else if (!cancellable && w) {
        m_tree->removeItemWidget(item, ColCancel);
    }

    const int before = runningCount();
    m_states[s.id] = s.state;
    if (isNew || before != runningCount())
        Q_EMIT runningCountChanged(runningCount());
}

int JobsPanel::runningCount() const
{
    int n = 0;
    for (auto s : m_states)
        n += wb::isFinished(s) ? 0 : 1;
    return n;
}

} // namespace wbui

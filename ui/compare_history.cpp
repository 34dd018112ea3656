#include "compare_history.h"

#include "compare_common.h"

#include <QDialogButtonBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QPushButton>
#include <QTableWidget>
#include <QTreeWidget>
#include <QVBoxLayout>

#include <set>

namespace wbui {

namespace {

enum Col { ColRun, ColExperiment, ColState, ColCells, ColCreated, ColFinished, ColCount };
constexpr int kNameRole = Qt::UserRole + 1;

} // namespace

CompareHistory::CompareHistory(QWidget *parent) : QWidget(parent)
{
    m_tree = new QTreeWidget(this);
    m_tree->setObjectName(QStringLiteral("compareRuns"));
    m_tree->setColumnCount(ColCount);
    m_tree->setHeaderLabels(
        {tr("Run"), tr("Experiment"), tr("State"), tr("Cells"), tr("Started"), tr("Finished")});
    m_tree->setRootIsDecorated(false);
    m_tree->setUniformRowHeights(true);
    m_tree->setAlternatingRowColors(true);
    m_tree->setSelectionMode(QAbstractItemView::ExtendedSelection);
    m_tree->setToolTip(tr("Double-click a run to open it; select two to compare them"));
    m_tree->header()->setStretchLastSection(true);
    connect(m_tree, &QTreeWidget::itemSelectionChanged, this, &CompareHistory::updateButtons);
    connect(m_tree, &QTreeWidget::itemDoubleClicked, this, [this](QTreeWidgetItem *item) {
        if (item)
            Q_EMIT openRequested(item->data(0, kNameRole).toString());
    });

    m_open = new QPushButton(tr("Open"), this);
    m_open->setObjectName(QStringLiteral("openRunButton"));
    m_open->setToolTip(tr("Show the selected run's results"));
    m_resume = new QPushButton(tr("Resume"), this);
    m_resume->setObjectName(QStringLiteral("resumeRunButton"));
    m_resume->setToolTip(tr("Continue the selected run: what is stored is kept, the rest is "
                            "computed"));
    m_compare = new QPushButton(tr("Compare runs"), this);
    m_compare->setObjectName(QStringLiteral("compareRunsButton"));
    m_compare->setToolTip(tr("Put the accuracies of the two selected runs side by side"));
    m_remove = new QPushButton(tr("Delete"), this);
    m_remove->setToolTip(tr("Delete the selected run and its responses (the response cache "
                            "keeps them)"));
    auto *refresh = new QPushButton(tr("Refresh"), this);
    connect(m_open, &QPushButton::clicked, this, [this] {
        const auto sel = selectedRuns();
        if (sel.size() == 1)
            Q_EMIT openRequested(sel.front());
    });
    connect(m_resume, &QPushButton::clicked, this, [this] {
        const auto sel = selectedRuns();
        if (sel.size() == 1)
            Q_EMIT resumeRequested(sel.front());
    });
    connect(m_compare, &QPushButton::clicked, this, [this] {
        const auto sel = selectedRuns();
        if (sel.size() == 2)
            Q_EMIT compareRequested(sel[1], sel[0]); // older first
    });
    connect(m_remove, &QPushButton::clicked, this, [this] {
        const auto sel = selectedRuns();
        if (sel.size() == 1)
            Q_EMIT removeRequested(sel.front());
    });
    connect(refresh, &QPushButton::clicked, this, &CompareHistory::refreshRequested);
    auto *buttons = new QHBoxLayout;
    for (QPushButton *b : {m_open, m_resume, m_compare, m_remove})
        buttons->addWidget(b);
    buttons->addStretch(1);
    buttons->addWidget(refresh);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_tree, 1);
    layout->addLayout(buttons);
    updateButtons();
}

void CompareHistory::setRuns(std::vector<wb::CompareRunInfo> runs)
{
    m_runs = std::move(runs);
    fill();
}

void CompareHistory::setLiveRun(const QString &name)
{
    m_live = name;
    fill();
}

QString CompareHistory::stateText(const wb::CompareRunInfo &run) const
{
    const QString name = qs(run.name);
    if (run.state == "running")
        return name == m_live ? tr("running") : tr("interrupted");
    if (run.state == "stopped")
        return tr("stopped");
    if (run.state == "finished")
        return tr("finished");
    if (run.state == "failed")
        return tr("failed");
    return qs(run.state);
}

void CompareHistory::fill()
{
    const QStringList keep = selectedRuns();
    const QSignalBlocker block(m_tree);
    m_tree->clear();
    for (const auto &run : m_runs) {
        auto *item = new QTreeWidgetItem(m_tree);
        const QString name = qs(run.name);
        item->setData(0, kNameRole, name);
        item->setText(ColRun, name);
        item->setText(ColExperiment, qs(run.experiment.name));
        item->setText(ColState, stateText(run) + (run.noCache ? tr(" (no cache)") : QString()));
        item->setText(ColCells, QString::number(wb::experimentCells(run.experiment).size()));
        item->setText(ColCreated, localTime(run.createdAt));
        item->setText(ColFinished, localTime(run.finishedAt));
        QString tip = qs(run.experiment.dataset);
        if (!run.error.empty())
            tip += QLatin1Char('\n') + qs(run.error);
        for (int c = 0; c < ColCount; ++c)
            item->setToolTip(c, tip);
        if (run.state == "failed")
            item->setForeground(ColState, QColor(0xc0, 0x39, 0x2b));
        else if (run.state == "finished")
            item->setForeground(ColState, QColor(0x1e, 0x84, 0x49));
        else if (name != m_live)
            item->setForeground(ColState, QColor(0xca, 0x6f, 0x1e));
        if (keep.contains(name))
            item->setSelected(true);
    }
    for (int c = 0; c < ColCount - 1; ++c)
        m_tree->resizeColumnToContents(c);
    updateButtons();
}

QStringList CompareHistory::selectedRuns() const
{
    QStringList out;
    for (int i = 0; i < m_tree->topLevelItemCount(); ++i)
        if (m_tree->topLevelItem(i)->isSelected())
            out << m_tree->topLevelItem(i)->data(0, kNameRole).toString();
    return out;
}

void CompareHistory::select(const QString &name)
{
    for (int i = 0; i < m_tree->topLevelItemCount(); ++i) {
        auto *item = m_tree->topLevelItem(i);
        item->setSelected(item->data(0, kNameRole).toString() == name);
        if (item->isSelected())
            m_tree->scrollToItem(item);
    }
}

bool CompareHistory::canResume(const QString &name) const
{
    for (const auto &run : m_runs)
        if (qs(run.name) == name)
            return run.state != "finished" && name != m_live;
    return false;
}

void CompareHistory::updateButtons()
{
    const auto sel = selectedRuns();
    m_open->setEnabled(sel.size() == 1);
    m_resume->setEnabled(sel.size() == 1 && canResume(sel.front()));
    m_compare->setEnabled(sel.size() == 2);
    m_remove->setEnabled(sel.size() == 1 && sel.front() != m_live);
}

// ------------------------------------------------------------------------------- two runs

RunDeltaDialog::RunDeltaDialog(const wb::CompareResults &a, const wb::CompareResults &b,
                               QWidget *parent)
    : QDialog(parent)
{
    setWindowTitle(tr("Compare runs: %1 and %2").arg(qs(a.run.name), qs(b.run.name)));
    m_table = new QTableWidget(this);
    m_table->setObjectName(QStringLiteral("runDeltaTable"));
    m_table->setColumnCount(4);
    m_table->setHorizontalHeaderLabels(
        {tr("Cell"), qs(a.run.name), qs(b.run.name), tr("Difference (points)")});
    m_table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_table->verticalHeader()->setVisible(false);
    m_table->horizontalHeader()->setSectionResizeMode(0, QHeaderView::Stretch);

    auto all = [](const wb::CompareResults &r) {
        std::vector<const wb::CellResult *> out;
        for (const auto &c : r.cells)
            out.push_back(&c);
        for (const auto &c : r.ensembles)
            out.push_back(&c);
        return out;
    };
    const auto ca = all(a), cb = all(b);
    std::set<const wb::CellResult *> used;
    auto match = [&](const wb::CellResult *c) -> const wb::CellResult * {
        for (const auto *o : cb)
            if (!used.count(o) && o->label == c->label)
                return o;
        for (const auto *o : cb)
            if (!used.count(o) && o->id == c->id && cb.size() == ca.size())
                return o;
        return nullptr;
    };
    auto addRow = [this](const QString &label, const wb::CellResult *x, const wb::CellResult *y) {
        const int row = m_table->rowCount();
        m_table->insertRow(row);
        m_table->setItem(row, 0, new QTableWidgetItem(label));
        auto cell = [](const wb::CellResult *c) {
            auto *item = new QTableWidgetItem(c ? accuracyWithInterval(*c) : QStringLiteral("–"));
            if (c && c->answered)
                item->setBackground(scoreColor(c->accuracy));
            if (c && c->answered)
                item->setForeground(QColor(Qt::black));
            item->setTextAlignment(Qt::AlignCenter);
            return item;
        };
        m_table->setItem(row, 1, cell(x));
        m_table->setItem(row, 2, cell(y));
        QString delta = QStringLiteral("–");
        if (x && y && x->answered && y->answered)
            delta = QStringLiteral("%1%2")
                        .arg((y->accuracy >= x->accuracy) ? QStringLiteral("+") : QString())
                        .arg((y->accuracy - x->accuracy) * 100, 0, 'f', 1);
        auto *d = new QTableWidgetItem(delta);
        d->setTextAlignment(Qt::AlignCenter);
        m_table->setItem(row, 3, d);
    };
    for (const auto *c : ca) {
        const auto *o = match(c);
        if (o)
            used.insert(o);
        addRow(qs(c->label), c, o);
    }
    for (const auto *o : cb)
        if (!used.count(o))
            addRow(qs(o->label), nullptr, o);
    m_table->resizeColumnsToContents();

    auto *note = new QLabel(tr("Cells are matched by their label. McNemar's test needs both "
                               "cells in one run: put both variants in one experiment for it."),
                            this);
    note->setWordWrap(true);
    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Close, this);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(m_table, 1);
    layout->addWidget(note);
    layout->addWidget(buttons);
    resize(760, 420);
}

} // namespace wbui

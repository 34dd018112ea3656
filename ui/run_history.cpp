#include "run_history.h"

#include <QDesktopServices>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QMenu>
#include <QPushButton>
#include <QTreeWidget>
#include <QUrl>
#include <QVBoxLayout>

#include <cmath>
#include <filesystem>
#include <set>

namespace wbui {

namespace {

enum Col {
    ColRun,
    ColModel,
    ColData,
    ColMethod,
    ColSteps,
    ColLoss,
    ColEval,
    ColAccuracy,
    ColStatus,
    ColCount
};
constexpr int kDirRole = Qt::UserRole + 1;

QString q(const std::string &s)
{
    return QString::fromStdString(s);
}

QString lossText(const std::optional<double> &v)
{
    return v ? QString::number(*v, 'f', 4) : QStringLiteral("–");
}

} // namespace

RunHistory::RunHistory(QWidget *parent) : QWidget(parent)
{
    m_tree = new QTreeWidget(this);
    m_tree->setObjectName(QStringLiteral("runHistory"));
    m_tree->setColumnCount(ColCount);
    m_tree->setHeaderLabels({tr("Run"), tr("Model"), tr("Data"), tr("Method"), tr("Steps"),
                             tr("Loss"), tr("Eval loss"), tr("Accuracy"), tr("Status")});
    m_tree->setRootIsDecorated(false);
    m_tree->setUniformRowHeights(true);
    m_tree->setAlternatingRowColors(true);
    m_tree->setSelectionMode(QAbstractItemView::ExtendedSelection);
    m_tree->setToolTip(tr("Select a run to see its curves; Ctrl+click several to compare them"));
    m_tree->header()->setStretchLastSection(true);
    connect(m_tree, &QTreeWidget::itemSelectionChanged, this, [this] {
        updateButtons();
        Q_EMIT selectionChanged();
    });

    m_resume = new QPushButton(tr("Resume"), this);
    m_resume->setObjectName(QStringLiteral("resumeButton"));
    m_resume->setToolTip(tr("Continue the selected unfinished run from its newest checkpoint"));
    m_export = new QPushButton(tr("Export…"), this);
    m_export->setObjectName(QStringLiteral("exportButton"));
    m_export->setToolTip(tr("Save the finished run as a merged model, a PEFT adapter or GGUF"));
    m_accuracy = new QPushButton(tr("Accuracy"), this);
    m_accuracy->setObjectName(QStringLiteral("accuracyButton"));
    m_accuracy->setToolTip(tr("Score the base model and the finished run on the problems the run "
                              "held out"));
    // Two ways to score, as `llmwb accuracy --method` offers.
    auto *accuracyMenu = new QMenu(m_accuracy);
    QAction *byLoglik = accuracyMenu->addAction(tr("By log-likelihood (each option's letter; fast, deterministic)"));
    byLoglik->setObjectName(QStringLiteral("accuracyLoglik"));
    QAction *byGenerate = accuracyMenu->addAction(tr("By generated answers (greedy, then answer extraction; slower)"));
    byGenerate->setObjectName(QStringLiteral("accuracyGenerate"));
    m_accuracy->setMenu(accuracyMenu);
    m_useSettings = new QPushButton(tr("Use these settings"), this);
    m_useSettings->setToolTip(tr("Fill the setup form with the selected run's configuration"));
    m_openFolder = new QPushButton(tr("Open folder"), this);
    m_openFolder->setToolTip(tr("Show the run folder (config, metrics, checkpoints, log)"));
    auto *refresh = new QPushButton(tr("Refresh"), this);
    connect(m_resume, &QPushButton::clicked, this, [this] {
        const auto sel = selectedRuns();
        if (sel.size() == 1)
            Q_EMIT resumeRequested(q(sel.front()->dir.string()));
    });
    connect(m_export, &QPushButton::clicked, this, [this] {
        const auto sel = selectedRuns();
        if (sel.size() == 1)
            Q_EMIT exportRequested(q(sel.front()->dir.string()));
    });
    for (QAction *a : {byLoglik, byGenerate}) {
        const bool generate = a == byGenerate;
        connect(a, &QAction::triggered, this, [this, generate] {
            const auto sel = selectedRuns();
            if (sel.size() == 1)
                Q_EMIT accuracyRequested(q(sel.front()->dir.string()), generate);
        });
    }
    connect(m_useSettings, &QPushButton::clicked, this, [this] {
        const auto sel = selectedRuns();
        if (sel.size() == 1)
            Q_EMIT useSettingsRequested(q(sel.front()->dir.string()));
    });
    connect(m_openFolder, &QPushButton::clicked, this, [this] {
        const auto sel = selectedRuns();
        if (sel.size() == 1)
            QDesktopServices::openUrl(QUrl::fromLocalFile(q(sel.front()->dir.string())));
    });
    connect(refresh, &QPushButton::clicked, this, &RunHistory::refreshRequested);
    auto *buttons = new QHBoxLayout;
    buttons->addWidget(m_resume);
    buttons->addWidget(m_export);
    buttons->addWidget(m_accuracy);
    buttons->addWidget(m_useSettings);
    buttons->addWidget(m_openFolder);
    buttons->addStretch(1);
    buttons->addWidget(refresh);

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_tree, 1);
    layout->addLayout(buttons);
    updateButtons();
}

QString RunHistory::summary(const wb::TrainConfig &c)
{
    QString method;
    if (c.method == "lora") {
        method = tr("LoRA r=%1 α=%2%3 on %4")
                     .arg(c.lora.r)
                     .arg(c.lora.alpha)
                     .arg(c.lora.rslora ? tr(" (rsLoRA)") : QString())
                     .arg(c.lora.targetModules.size() == 7 ? tr("all linear layers") : q([&] {
                         std::string s;
                         for (const auto &m : c.lora.targetModules)
                             s += (s.empty() ? "" : ", ") + m;
                         return s;
                     }()));
    } else {
        method = c.trainLastLayers > 0 ? tr("full, last %1 layers").arg(c.trainLastLayers)
                                       : tr("full, all layers");
    }
    QStringList lines;
    lines << tr("Model: %1").arg(q(c.modelDir));
    lines << tr("Data: %1, eval %2")
                 .arg(q(c.datasetName.empty() ? c.datasetFile : c.datasetName))
                 .arg(c.evalDatasetFile.empty()
                          ? tr("%1% held out").arg(c.evalFraction * 100, 0, 'g', 3)
                          : q(std::filesystem::path(c.evalDatasetFile).filename().string()));
    lines << tr("Template: %1%2, max length %3%4")
                 .arg(q(c.templateName))
                 .arg(c.chatTemplate ? tr(" in the chat template") : QString())
                 .arg(c.maxLength)
                 .arg(c.packing ? tr(", packed") : QString());
    lines << tr("Method: %1").arg(method);
    lines << tr("Learning rate %1, %2, warmup %3 · %4 epoch(s)%5 · batch %6 × %7 · seed %8")
                 .arg(c.learningRate, 0, 'g', 3)
                 .arg(q(c.schedule))
                 .arg(c.warmupSteps)
                 .arg(c.epochs)
                 .arg(c.maxSteps > 0 ? tr(", at most %1 steps").arg(c.maxSteps) : QString())
                 .arg(c.batchSize)
                 .arg(c.gradAccum)
                 .arg(c.seed);
    lines << tr("Device: %1").arg(q(c.device));
    return lines.join(QLatin1Char('\n'));
}

QString RunHistory::statusOf(const wb::RunInfo &run) const
{
    if (q(run.dir.string()) == m_live)
        return tr("running");
    if (run.finished)
        return tr("finished");
    if (!run.checkpointSteps.empty())
        return tr("stopped at step %1 · can resume").arg(run.checkpointSteps.back());
    return tr("stopped before a checkpoint · resume restarts it");
}

void RunHistory::setRuns(std::vector<wb::RunInfo> runs)
{
    std::set<QString> keep;
    for (const auto *r : selectedRuns())
        keep.insert(q(r->dir.string()));
    m_runs = std::move(runs);
    fill();
    const QSignalBlocker block(m_tree);
    for (int i = 0; i < m_tree->topLevelItemCount(); ++i)
        if (keep.count(m_tree->topLevelItem(i)->data(0, kDirRole).toString()))
            m_tree->topLevelItem(i)->setSelected(true);
    updateButtons();
}

void RunHistory::setLiveRun(const QString &dir)
{
    m_live = dir;
    fill();
    updateButtons();
}

void RunHistory::fill()
{
    std::set<QString> selected;
    for (auto *item : m_tree->selectedItems())
        selected.insert(item->data(0, kDirRole).toString());
    const QSignalBlocker block(m_tree);
    m_tree->clear();
    for (const auto &run : m_runs) {
        const QString dir = q(run.dir.string());
        std::optional<double> loss, eval;
        int64_t steps = 0, total = 0;
        for (const auto &p : run.points) {
            if (p.loss)
                loss = p.loss;
            if (p.evalLoss)
                eval = p.evalLoss;
            steps = std::max(steps, p.step);
            total = std::max(total, p.totalSteps);
        }
        const auto &c = run.config;
        auto *item = new QTreeWidgetItem(m_tree);
        item->setText(ColRun, q(run.dir.filename().string()));
        item->setText(ColModel, q(std::filesystem::path(c.modelDir).filename().string()));
        item->setText(ColData, q(c.datasetName));
        item->setText(ColMethod, c.method == "lora" ? tr("LoRA r=%1").arg(c.lora.r) : tr("full"));
        item->setText(ColSteps, total > 0 ? QStringLiteral("%1 / %2").arg(steps).arg(total)
                                          : QString::number(steps));
        item->setText(ColLoss, lossText(loss));
        item->setText(ColEval, lossText(eval));
        item->setText(ColStatus, statusOf(run));
        if (const auto &acc = run.accuracy) {
            QString text = QStringLiteral("%1% → %2%")
                               .arg(acc->baseAccuracy() * 100, 0, 'f', 1)
                               .arg(acc->tunedAccuracy() * 100, 0, 'f', 1);
            if (acc->method == "generate")
                text += tr(" (generated)");
            item->setText(ColAccuracy, text);
            item->setToolTip(ColAccuracy, q(acc->summary()));
        }
        for (int col : {ColSteps, ColLoss, ColEval, ColAccuracy})
            item->setTextAlignment(col, Qt::AlignRight | Qt::AlignVCenter);
        QString tip = summary(c);
        if (!run.finalMessage.empty())
            tip += QStringLiteral("\n\n") + q(run.finalMessage);
        tip += QStringLiteral("\n\n") + dir;
        for (int col = 0; col < ColCount; ++col)
            item->setToolTip(col, tip);
        if (dir == m_live)
            item->setForeground(ColStatus, QColor(0x1f, 0x77, 0xb4));
        else if (!run.finished)
            item->setForeground(ColStatus, QColor(0xca, 0x6f, 0x1e));
        item->setData(0, kDirRole, dir);
        item->setSelected(selected.count(dir) > 0);
    }
    for (int col = 0; col < ColStatus; ++col)
        m_tree->resizeColumnToContents(col);
}

const wb::RunInfo *RunHistory::find(const QString &dir) const
{
    for (const auto &r : m_runs)
        if (q(r.dir.string()) == dir)
            return &r;
    return nullptr;
}

std::vector<const wb::RunInfo *> RunHistory::selectedRuns() const
{
    std::vector<const wb::RunInfo *> out;
    for (int i = 0; i < m_tree->topLevelItemCount(); ++i) {
        auto *item = m_tree->topLevelItem(i);
        if (item->isSelected())
            if (const auto *r = find(item->data(0, kDirRole).toString()))
                out.push_back(r);
    }
    return out;
}

void RunHistory::select(const QString &dir)
{
    for (int i = 0; i < m_tree->topLevelItemCount(); ++i) {
        auto *item = m_tree->topLevelItem(i);
        if (item->data(0, kDirRole).toString() == dir) {
            m_tree->setCurrentItem(item);
            m_tree->clearSelection();
            item->setSelected(true);
            return;
        }
    }
}

bool RunHistory::canResume(const QString &dir) const
{
    const auto *r = find(dir);
    return r && !r->finished && dir != m_live;
}

void RunHistory::updateButtons()
{
    const auto sel = selectedRuns();
    const bool one = sel.size() == 1;
    const QString dir = one ? q(sel.front()->dir.string()) : QString();
    m_resume->setEnabled(one && m_live.isEmpty() && canResume(dir));
    m_export->setEnabled(one && sel.front()->finished);
    m_accuracy->setEnabled(one && sel.front()->finished);
    m_useSettings->setEnabled(one);
    m_openFolder->setEnabled(one);
}

} // namespace wbui

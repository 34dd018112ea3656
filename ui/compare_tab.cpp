#include "compare_tab.h"

#include "api_keys.h"
#include "app_context.h"
#include "common/runtime.h"
#include "compare_builder.h"
#include "compare_charts.h"
#include "compare_detail.h"
#include "compare_history.h"
#include "compare_matrix.h"
#include "compare_pairwise.h"
#include "job_bridge.h"
#include "jobs/job_runner.h"
#include "remote/remote_endpoint.h"
#include "run_history.h"
#include "store/workspace.h"
#include "train/train_job.h"

#include <QCheckBox>
#include <QComboBox>
#include <QFileDialog>
#include <QFrame>
#include <QHBoxLayout>
#include <QInputDialog>
#include <QLabel>
#include <QLineEdit>
#include <QMenu>
#include <QMessageBox>
#include <QPointer>
#include <QProgressBar>
#include <QPushButton>
#include <QRegularExpression>
#include <QScrollArea>
#include <QSplitter>
#include <QTabWidget>
#include <QTreeWidget>
#include <QVBoxLayout>

#include <cmath>
#include <filesystem>

namespace wbui {

namespace {

const QString kRed = QStringLiteral("#c0392b");

} // namespace

CompareTab::CompareTab(AppContext &ctx, QWidget *parent) : QWidget(parent), m_ctx(ctx)
{
    m_keys = new ApiKeyStore(this);
    auto *split = new QSplitter(Qt::Horizontal, this);
    split->setObjectName(QStringLiteral("compareSplitter"));
    split->addWidget(buildLeft());
    split->addWidget(buildRight());
    split->setStretchFactor(0, 0);
    split->setStretchFactor(1, 1);
    split->setSizes({400, 800});
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(split);

    m_planTimer.setSingleShot(true);
    m_planTimer.setInterval(400);
    connect(&m_planTimer, &QTimer::timeout, this, &CompareTab::computePlan);
    m_pollTimer.setInterval(2000);
    connect(&m_pollTimer, &QTimer::timeout, this, [this] {
        if (m_job && m_shownRun == m_liveRun)
            refreshResults();
    });
    connect(m_builder, &ExperimentBuilder::changed, this, &CompareTab::schedulePlan);
    connect(m_noCache, &QCheckBox::toggled, this, &CompareTab::schedulePlan);
    connect(m_device, &QComboBox::currentIndexChanged, this, &CompareTab::schedulePlan);
    connect(m_builder, &ExperimentBuilder::addRemoteRequested, this,
            &CompareTab::addRemoteEndpoint);
    connect(&ctx.bridge(), &JobBridge::jobUpdated, this, &CompareTab::onJobUpdated);
    connect(m_matrix, &CompareMatrix::cellChosen, this, [this](const QString &id) {
        m_questions->showCell(id);
        m_bottom->setCurrentWidget(m_questions);
    });
    connect(m_matrix, &CompareMatrix::pairChosen, this, [this](const QString &a, const QString &b) {
        m_pair->setPair(a, b);
        m_bottom->setCurrentWidget(m_pair);
    });
    connect(m_history, &CompareHistory::openRequested, this, &CompareTab::openRun);
    connect(m_history, &CompareHistory::resumeRequested, this,
            [this](const QString &r) { resume(r); });
    connect(m_history, &CompareHistory::compareRequested, this, &CompareTab::compareRuns);
    connect(m_history, &CompareHistory::removeRequested, this, &CompareTab::removeRun);
    connect(m_history, &CompareHistory::refreshRequested, this, &CompareTab::reloadRuns);
    connect(m_history->tree(), &QTreeWidget::itemSelectionChanged, this,
            &CompareTab::updateButtons);
    for (auto signal :
         {&AppContext::modelsChanged, &AppContext::datasetsChanged, &AppContext::templatesChanged})
        connect(&ctx, signal, this, [this] { m_builder->reload(); });

    reloadExperiments();
    // A saved experiment to start from: the demo's, else the first one.
    if (m_saved->count() > 0) {
        const int demo = m_saved->findText(QStringLiteral("demo"));
        m_saved->setCurrentIndex(demo >= 0 ? demo : 0);
        loadExperiment(m_saved->currentText());
    }
    // Runs, adapters and the plan are read when the tab is first shown: an app that never opens
    // it never pays for them.
    updateButtons();
}

CompareTab::~CompareTab() = default;

QWidget *CompareTab::buildLeft()
{
    m_saved = new QComboBox(this);
    m_saved->setObjectName(QStringLiteral("savedExperiments"));
    m_saved->setToolTip(tr("Experiments saved in this workspace; choosing one loads it"));
    m_saved->setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon);
    m_saved->setMinimumContentsLength(10);
    connect(m_saved, &QComboBox::activated, this,
            [this] { loadExperiment(m_saved->currentText()); });
    auto *save = new QPushButton(tr("Save"), this);
    save->setObjectName(QStringLiteral("saveExperimentButton"));
    save->setToolTip(tr("Save the experiment in the workspace under its name"));
    connect(save, &QPushButton::clicked, this, [this] { saveExperiment(); });
    auto *more = new QPushButton(tr("More"), this);
    auto *menu = new QMenu(more);
    menu->addAction(tr("Save as…"), this, [this] {
        bool ok = false;
        const QString name = QInputDialog::getText(this, tr("Save experiment as"), tr("Name:"),
                                                   QLineEdit::Normal, m_builder->name(), &ok);
        if (ok && !name.trimmed().isEmpty())
            saveExperiment(name.trimmed());
    });
    menu->addAction(tr("Load from JSON file…"), this, [this] {
        const QString path = QFileDialog::getOpenFileName(this, tr("Load experiment"), QString(),
                                                          tr("Experiment (*.json);;All files (*)"));
        if (!path.isEmpty())
            loadExperimentFile(path);
    });
    menu->addAction(tr("Save to JSON file…"), this, [this] {
        const QString path = QFileDialog::getSaveFileName(
            this, tr("Save experiment"), m_builder->name() + QStringLiteral(".json"),
            tr("Experiment (*.json)"));
        if (!path.isEmpty())
            saveExperimentFile(path);
    });
    menu->addSeparator();
    menu->addAction(tr("Delete saved experiment"), this, [this] {
        const QString name = m_saved->currentText();
        if (name.isEmpty() ||
            QMessageBox::question(this, tr("Delete experiment"),
                                  tr("Delete the saved experiment %1? Its runs stay.").arg(name)) !=
                QMessageBox::Yes)
            return;
        try {
            wb::CompareStore(m_ctx.workspace()).removeExperiment(name.toStdString());
        } catch (const std::exception &e) {
            setStatus(QString::fromUtf8(e.what()), kRed);
        }
        reloadExperiments();
    });
    more->setMenu(menu);
    auto *savedRow = new QHBoxLayout;
    savedRow->addWidget(new QLabel(tr("Saved"), this));
    savedRow->addWidget(m_saved, 1);
    savedRow->addWidget(save);
    savedRow->addWidget(more);

    m_builder = new ExperimentBuilder(m_ctx.workspace(), this);
    auto *scroll = new QScrollArea(this);
    scroll->setWidget(m_builder);
    scroll->setWidgetResizable(true);
    scroll->setFrameShape(QFrame::NoFrame);
    scroll->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    scroll->setMinimumWidth(340);

    m_plan = new QLabel(this);
    m_plan->setObjectName(QStringLiteral("comparePlan"));
    m_plan->setWordWrap(true);
    m_plan->setFrameShape(QFrame::StyledPanel);
    m_plan->setMargin(6);
    m_plan->setTextFormat(Qt::RichText);
    m_plan->setToolTip(tr("What a run of this experiment will ask for, counted without loading a "
                          "model; cached responses are reused unless \"No cache\" is ticked"));

    m_device = new QComboBox(this);
    m_device->setObjectName(QStringLiteral("compareDevice"));
    m_device->addItem(tr("CPU"), QStringLiteral("cpu"));
    for (int i = 0; i < wb::cudaDeviceCount(); ++i)
        m_device->addItem(tr("GPU %1 (CUDA)").arg(i), QStringLiteral("cuda:%1").arg(i));
    m_device->setToolTip(tr("Where local models run (remote endpoints run on their server)"));
    m_noCache = new QCheckBox(tr("No cache"), this);
    m_noCache->setObjectName(QStringLiteral("compareNoCache"));
    m_noCache->setToolTip(tr("Ask every model again: neither read nor write the response cache"));
    m_stop = new QPushButton(tr("Stop"), this);
    m_stop->setObjectName(QStringLiteral("stopCompareButton"));
    m_stop->setToolTip(tr("Stop the run; what is stored is kept and Resume continues it"));
    m_resume = new QPushButton(tr("Resume"), this);
    m_resume->setObjectName(QStringLiteral("resumeCompareButton"));
    m_resume->setToolTip(tr("Continue the shown run (stopped, interrupted or failed)"));
    m_start = new QPushButton(tr("Start"), this);
    m_start->setObjectName(QStringLiteral("startCompareButton"));
    m_start->setDefault(true);
    m_start->setToolTip(tr("Record a new run of this experiment and run it"));
    connect(m_start, &QPushButton::clicked, this, [this] { start(); });
    connect(m_stop, &QPushButton::clicked, this, &CompareTab::stop);
    connect(m_resume, &QPushButton::clicked, this, [this] { resume(m_shownRun); });
    auto *runRow = new QHBoxLayout;
    runRow->addWidget(m_device);
    runRow->addWidget(m_noCache);
    runRow->addStretch(1);
    runRow->addWidget(m_stop);
    runRow->addWidget(m_resume);
    runRow->addWidget(m_start);

    auto *left = new QWidget(this);
    auto *ll = new QVBoxLayout(left);
    ll->setContentsMargins(0, 0, 0, 0);
    ll->addLayout(savedRow);
    ll->addWidget(scroll, 1);
    ll->addWidget(m_plan);
    ll->addLayout(runRow);
    return left;
}

QWidget *CompareTab::buildRight()
{
    m_runLabel = new QLabel(tr("No run shown"), this);
    m_runLabel->setObjectName(QStringLiteral("compareRunLabel"));
    QFont bold = m_runLabel->font();
    bold.setBold(true);
    m_runLabel->setFont(bold);
    m_runLabel->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_progress = new QProgressBar(this);
    m_progress->setObjectName(QStringLiteral("compareProgress"));
    m_progress->setRange(0, 1000);
    m_progress->setTextVisible(true);
    m_progress->setMinimumWidth(160);
    m_eta = new QLabel(this);
    m_eta->setObjectName(QStringLiteral("compareEta"));
    m_export = new QPushButton(tr("Export"), this);
    m_export->setObjectName(QStringLiteral("exportCompareButton"));
    auto *exportMenu = new QMenu(m_export);
    exportMenu->addAction(tr("Results as CSV…"), this,
                          [this] { this->exportMenu(QStringLiteral("csv")); });
    exportMenu->addAction(tr("Results as JSON…"), this,
                          [this] { this->exportMenu(QStringLiteral("json")); });
    exportMenu->addAction(tr("Results as Markdown…"), this,
                          [this] { this->exportMenu(QStringLiteral("md")); });
    exportMenu->addSeparator();
    exportMenu->addAction(tr("Submission file of the selected cell…"), this,
                          [this] { this->exportMenu(QStringLiteral("submission")); });
    m_export->setMenu(exportMenu);
    auto *head = new QHBoxLayout;
    head->addWidget(m_runLabel);
    head->addWidget(m_progress, 1);
    head->addWidget(m_eta);
    head->addWidget(m_export);
    m_status = new QLabel(this);
    m_status->setObjectName(QStringLiteral("compareStatus"));
    m_status->setWordWrap(true);
    m_status->setTextInteractionFlags(Qt::TextSelectableByMouse);

    m_matrix = new CompareMatrix(this);
    m_questions = new CompareQuestionView(this);
    m_pair = new ComparePairView(this);
    m_charts = new CompareCharts(this);
    m_history = new CompareHistory(this);
    m_bottom = new QTabWidget(this);
    m_bottom->setObjectName(QStringLiteral("compareBottomTabs"));
    m_bottom->addTab(m_questions, tr("Questions"));
    m_bottom->addTab(m_pair, tr("Two cells"));
    m_bottom->addTab(m_charts, tr("Charts"));
    m_bottom->addTab(m_history, tr("Runs"));

    auto *top = new QWidget(this);
    auto *tl = new QVBoxLayout(top);
    tl->setContentsMargins(0, 0, 0, 0);
    tl->addLayout(head);
    tl->addWidget(m_status);
    tl->addWidget(m_matrix, 1);
    auto *split = new QSplitter(Qt::Vertical, this);
    split->addWidget(top);
    split->addWidget(m_bottom);
    split->setStretchFactor(0, 1);
    split->setStretchFactor(1, 1);
    split->setSizes({320, 300});
    return split;
}

// ---------------------------------------------------------------------------- the plan

void CompareTab::schedulePlan()
{
    // Counting walks every question of every cell: only for a tab someone looks at.
    m_planDirty = !isVisible();
    if (!m_planDirty)
        m_planTimer.start();
}

void CompareTab::computePlan()
{
    QString problem;
    const auto e = m_builder->experiment(&problem);
    const quint64 seq = ++m_planSeq;
    if (!e) {
        m_plan->setText(
            QStringLiteral("<span style='color:%1'>%2</span>").arg(kRed, problem.toHtmlEscaped()));
        updateButtons();
        Q_EMIT planReady();
        return;
    }
    m_plan->setText(tr("<i>Counting…</i>"));
    auto plan = std::make_shared<wb::ComparePlan>();
    wb::Workspace *ws = &m_ctx.workspace();
    wb::JobSpec spec;
    spec.kind = "compare.plan";
    spec.title = tr("Plan the comparison").toStdString();
    spec.quiet = true;
    // The cache is keyed by the device and dtype too: count with the ones the run will use.
    wb::CompareOptions options;
    options.noCache = m_noCache->isChecked();
    options.device = m_device->currentData().toString().toStdString();
    options.dtype = options.device == "cpu" ? wb::DType::F32 : wb::DType::BF16;
    spec.work = [ws, e = *e, plan, options](wb::JobContext &) {
        *plan = wb::planCompare(*ws, e, options);
        return nlohmann::json{{"cells", plan->cells}};
    };
    m_ctx.submit(std::move(spec), [this, guard = QPointer<CompareTab>(this), plan,
                                   seq](const wb::JobSnapshot &s) {
        if (!guard || seq != m_planSeq)
            return;
        if (s.state == wb::JobState::Succeeded) {
            const auto &p = *plan;
            m_plan->setText(
                tr("<b>%1</b> cells × <b>%2</b> questions = <b>%3</b> calls · %4 cached · "
                   "<b>%5</b> to compute")
                    .arg(p.cells)
                    .arg(p.questions)
                    .arg(p.samples)
                    .arg(p.cached)
                    .arg(p.samples - std::min(p.cached, p.samples)));
        } else {
            m_plan->setText(QStringLiteral("<span style='color:%1'>%2</span>")
                                .arg(kRed, QString::fromStdString(s.error).toHtmlEscaped()));
        }
        updateButtons();
        Q_EMIT planReady();
    });
}

QString CompareTab::planText() const
{
    QString t = m_plan->text();
    return t.remove(QRegularExpression(QStringLiteral("<[^>]*>")));
}

QString CompareTab::statusText() const
{
    return m_status->text();
}

void CompareTab::setStatus(const QString &text, const QString &color)
{
    m_status->setText(text);
    m_status->setStyleSheet(color.isEmpty() ? QString() : QStringLiteral("color: %1;").arg(color));
}

void CompareTab::updateButtons()
{
    const bool busy = m_job || m_starting;
    m_start->setEnabled(!busy);
    m_stop->setEnabled(m_job != 0);
    m_resume->setEnabled(!busy && !m_shownRun.isEmpty() && m_history->canResume(m_shownRun));
    m_export->setEnabled(m_results != nullptr);
}

void CompareTab::showEvent(QShowEvent *event)
{
    // Training runs, collections and endpoints are made in other tabs: pick them up.
    if (!m_firstShow)
        m_builder->reload();
    m_firstShow = false;
    reloadAdapters();
    reloadRuns();
    if (m_planDirty) {
        m_planDirty = false;
        m_planTimer.start();
    }
    QWidget::showEvent(event);
}

void CompareTab::reloadAdapters()
{
    auto runs = std::make_shared<std::vector<CompareChoice>>();
    wb::Workspace *ws = &m_ctx.workspace();
    wb::JobSpec spec;
    spec.kind = "compare.adapters";
    spec.title = tr("Read the training runs").toStdString();
    spec.quiet = true;
    spec.work = [ws, runs](wb::JobContext &) {
        for (const auto &r : wb::listRuns(*ws))
            if (std::filesystem::exists(r.dir / "adapter"))
                runs->push_back({qs(r.dir.filename().string()), qs(r.dir.filename().string()),
                                 RunHistory::summary(r.config)});
        return nlohmann::json{{"runs", runs->size()}};
    };
    m_ctx.submit(std::move(spec),
                 [this, guard = QPointer<CompareTab>(this), runs](const wb::JobSnapshot &s) {
                     if (guard && s.state == wb::JobState::Succeeded)
                         m_builder->setAdapterRuns(std::move(*runs));
                 });
}

} // namespace wbui

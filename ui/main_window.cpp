#include "main_window.h"

#include "app_context.h"
#include "compare_tab.h"
#include "drop_paths.h"
#include "common/runtime.h"
#include "datasets_tab.h"
#include "i18n.h"
#include "jobs_panel.h"
#include "knowledge_tab.h"
#include "models_tab.h"
#include "playground_tab.h"
#include "training_tab.h"
#include "store/model_store.h"
#include "prompts_tab.h"
#include "store/dataset_store.h"
#include "store/template_store.h"
#include "store/workspace.h"

#include <QActionGroup>
#include <QApplication>
#include <QCloseEvent>
#include <QDirIterator>
#include <QDockWidget>
#include <QDragEnterEvent>
#include <QDropEvent>
#include <QFileInfo>
#include <QHeaderView>
#include <QLabel>
#include <QMenuBar>
#include <QMessageBox>
#include <QMimeData>
#include <QSplitter>
#include <QStatusBar>
#include <QTabWidget>
#include <QTreeWidget>

namespace wbui {

namespace {
enum ItemKind { KindDataset = 1, KindTemplate = 2, KindModel = 3 };
constexpr int kKindRole = Qt::UserRole + 1;
constexpr int kNameRole = Qt::UserRole + 2;
} // namespace

MainWindow::MainWindow(AppContext &ctx, QWidget *parent) : QMainWindow(parent), m_ctx(ctx)
{
    setWindowTitle(tr("LLM Workbench — %1").arg(QString::fromStdString(ctx.workspace().root().string())));
    setAcceptDrops(true);
    resize(1400, 880);

    m_sidebar = new QTreeWidget(this);
    m_sidebar->setObjectName(QStringLiteral("sidebar"));
    m_sidebar->setHeaderHidden(true);
    m_sidebar->setMinimumWidth(220);
    connect(m_sidebar, &QTreeWidget::itemClicked, this, [this](QTreeWidgetItem *i) { sidebarActivated(i); });
    connect(m_sidebar, &QTreeWidget::itemActivated, this, [this](QTreeWidgetItem *i) { sidebarActivated(i); });

    m_datasets = new DatasetsTab(ctx, this);
    m_prompts = new PromptsTab(ctx, this);
    m_knowledge = new KnowledgeTab(ctx, this);
    m_models = new ModelsTab(ctx, this);
    m_playground = new PlaygroundTab(ctx, this);
    m_training = new TrainingTab(ctx, this);
    m_compare = new CompareTab(ctx, this);
    m_tabs = new QTabWidget(this);
    m_tabs->setObjectName(QStringLiteral("mainTabs"));
    m_tabs->setDocumentMode(true);
    m_tabs->addTab(m_datasets, tr("Datasets"));
    m_tabs->addTab(m_prompts, tr("Prompts"));
    m_tabs->addTab(m_knowledge, tr("Knowledge"));
    m_tabs->addTab(m_models, tr("Models"));
    m_tabs->addTab(m_playground, tr("Playground"));
    m_tabs->addTab(m_training, tr("Training"));
    m_tabs->addTab(m_compare, tr("Compare"));

    auto *split = new QSplitter(Qt::Horizontal, this);
    split->addWidget(m_sidebar);
    split->addWidget(m_tabs);
    split->setStretchFactor(1, 1);
    split->setSizes({240, 1160});
    setCentralWidget(split);

    m_jobs = new JobsPanel(ctx, this);
    auto *dock = new QDockWidget(tr("Jobs"), this);
    dock->setObjectName(QStringLiteral("jobsDock"));
    dock->setWidget(m_jobs);
    dock->setFeatures(QDockWidget::DockWidgetMovable | QDockWidget::DockWidgetFloatable |
                      QDockWidget::DockWidgetClosable);
    addDockWidget(Qt::BottomDockWidgetArea, dock);
    resizeDocks({dock}, {170}, Qt::Vertical);

    m_jobStatus = new QLabel(this);
    statusBar()->addPermanentWidget(m_jobStatus);
    statusBar()->showMessage(tr("Workspace: %1").arg(QString::fromStdString(ctx.workspace().root().string())));
    connect(m_jobs, &JobsPanel::runningCountChanged, this, [this](int n) {
        m_jobStatus->setText(n == 0 ? tr("No jobs running") : tr("%n job(s) running", nullptr, n));
    });
    m_jobStatus->setText(tr("No jobs running"));

    buildMenus();
    connect(&ctx, &AppContext::datasetsChanged, this, &MainWindow::reloadSidebar);
    connect(&ctx, &AppContext::templatesChanged, this, &MainWindow::reloadSidebar);
    connect(&ctx, &AppContext::modelsChanged, this, &MainWindow::reloadSidebar);
    connect(&ctx, &AppContext::showModel, this, &MainWindow::openModel);
    connect(&ctx, &AppContext::showDataset, this, &MainWindow::openDataset);
    connect(&ctx, &AppContext::showTemplate, this, &MainWindow::openTemplate);
    reloadSidebar();

    if (ctx.workspace().interruptedJobsOnOpen() > 0)
        statusBar()->showMessage(tr("%n job(s) were interrupted when the app last stopped; see the Jobs panel.",
                                    nullptr, ctx.workspace().interruptedJobsOnOpen()));

    // Open something useful on first sight.
    const auto datasets = wb::DatasetStore(ctx.workspace()).list();
    if (!datasets.empty())
        openDataset(QString::fromStdString(datasets.front().name));
    // The competition prompt is the natural first template for the demo's logic problems.
    const auto templates = wb::TemplateStore(ctx.workspace()).list();
    if (!templates.empty()) {
        QString first = QString::fromStdString(templates.front().name);
        for (const auto &t : templates)
            if (t.name == "logic-zh-cot")
                first = QStringLiteral("logic-zh-cot");
        m_prompts->showTemplate(first);
    }
}

void MainWindow::buildMenus()
{
    auto *file = menuBar()->addMenu(tr("&File"));
    auto *import = file->addAction(tr("&Import dataset…"));
    import->setShortcut(QKeySequence::Open);
    connect(import, &QAction::triggered, this, [this] {
        m_tabs->setCurrentWidget(m_datasets);
        m_datasets->chooseFiles();
    });
    auto *newTemplate = file->addAction(tr("&New template…"));
    connect(newTemplate, &QAction::triggered, m_prompts, &PromptsTab::newTemplate);
    file->addSeparator();
    auto *quit = file->addAction(tr("&Quit"));
    quit->setShortcut(QKeySequence::Quit);
    connect(quit, &QAction::triggered, this, &QWidget::close);

    auto *view = menuBar()->addMenu(tr("&View"));
    auto *lang = view->addMenu(tr("&Language"));
    auto *group = new QActionGroup(this);
    const QString current = savedLanguage();
    const QStringList names = {tr("System default"), QStringLiteral("English"),
                               QStringLiteral("中文 (简体)")};
    const QStringList codes = availableLanguages();
    for (int i = 0; i < codes.size(); ++i) {
        auto *a = lang->addAction(names[i]);
        a->setCheckable(true);
        a->setChecked(codes[i] == current);
        a->setObjectName(QStringLiteral("lang_") + codes[i]);
        group->addAction(a);
        const QString code = codes[i];
        connect(a, &QAction::triggered, this, [this, code] {
            saveLanguage(code);
            Q_EMIT languageChangeRequested(code);
        });
    }
    view->addSeparator();
    if (auto *dock = findChild<QDockWidget *>(QStringLiteral("jobsDock")))
        view->addAction(dock->toggleViewAction());

    auto *help = menuBar()->addMenu(tr("&Help"));
    auto *about = help->addAction(tr("&About LLM Workbench"));
    connect(about, &QAction::triggered, this, [this] {
        QMessageBox::about(this, tr("About LLM Workbench"),
                           tr("<h3>LLM Workbench %1</h3><p>Prompt, RAG and fine-tuning experiments "
                              "on open LLMs, offline.</p><p>%2</p><p>Workspace: %3</p>")
                               .arg(QStringLiteral(WB_VERSION),
                                    QString::fromStdString(wb::runtimeSummary()),
                                    QString::fromStdString(m_ctx.workspace().root().string())));
    });
}

void MainWindow::reloadSidebar()
{
    // Keep the selection across reloads.
    QString selKind, selName;
    if (auto *cur = m_sidebar->currentItem()) {
        selKind = cur->data(0, kKindRole).toString();
        selName = cur->data(0, kNameRole).toString();
    }
    m_sidebar->clear();
    m_datasetsRoot = new QTreeWidgetItem(m_sidebar, {tr("Datasets")});
    m_templatesRoot = new QTreeWidgetItem(m_sidebar, {tr("Prompt templates")});
    m_modelsRoot = new QTreeWidgetItem(m_sidebar, {tr("Models")});
    for (auto *root : {m_datasetsRoot, m_templatesRoot, m_modelsRoot}) {
        QFont f = root->font(0);
        f.setBold(true);
        root->setFont(0, f);
        root->setFlags(Qt::ItemIsEnabled);
    }
    for (const auto &d : wb::DatasetStore(m_ctx.workspace()).list()) {
        auto *item = new QTreeWidgetItem(m_datasetsRoot, {QString::fromStdString(d.name)});
        item->setData(0, kKindRole, KindDataset);
        item->setData(0, kNameRole, QString::fromStdString(d.name));
        item->setToolTip(0, tr("%1 · %2 rows · %3 prompts")
                                .arg(QString::fromUtf8(wb::formatName(d.latest.format)))
                                .arg(d.latest.rowCount)
                                .arg(d.latest.promptCount));
    }
    for (const auto &t : wb::TemplateStore(m_ctx.workspace()).list()) {
        auto *item = new QTreeWidgetItem(m_templatesRoot, {QString::fromStdString(t.name)});
        item->setData(0, kKindRole, KindTemplate);
        item->setData(0, kNameRole, QString::fromStdString(t.name));
        item->setToolTip(0, QString::fromStdString(t.description));
    }
    for (const auto &m : wb::ModelStore(m_ctx.workspace()).list()) {
        auto *item = new QTreeWidgetItem(m_modelsRoot, {QString::fromStdString(m.name)});
        item->setData(0, kKindRole, KindModel);
        item->setData(0, kNameRole, QString::fromStdString(m.name));
        item->setToolTip(0, m.info.ok ? QString::fromStdString(m.info.architecture)
                                      : tr("broken: %1").arg(QString::fromStdString(
                                            m.info.problems.empty() ? "" : m.info.problems.front())));
        if (!m.info.ok)
            item->setForeground(0, QColor(0xc0, 0x39, 0x2b));
    }
    m_sidebar->expandAll();
    for (auto *root : {m_datasetsRoot, m_templatesRoot, m_modelsRoot})
        for (int i = 0; i < root->childCount(); ++i)
            if (root->child(i)->data(0, kKindRole).toString() == selKind &&
                root->child(i)->data(0, kNameRole).toString() == selName)
                m_sidebar->setCurrentItem(root->child(i));
}

void MainWindow::sidebarActivated(QTreeWidgetItem *item)
{
    if (!item)
        return;
    const QString name = item->data(0, kNameRole).toString();
    switch (item->data(0, kKindRole).toInt()) {
    case KindDataset: openDataset(name); break;
    case KindTemplate: openTemplate(name); break;
    case KindModel: openModel(name); break;
    default: break;
    }
}

void MainWindow::openDataset(const QString &name)
{
    m_tabs->setCurrentWidget(m_datasets);
    m_datasets->showDataset(name);
    for (int i = 0; m_datasetsRoot && i < m_datasetsRoot->childCount(); ++i)
        if (m_datasetsRoot->child(i)->data(0, kNameRole).toString() == name)
            m_sidebar->setCurrentItem(m_datasetsRoot->child(i));
}

void MainWindow::openTemplate(const QString &name)
{
    m_tabs->setCurrentWidget(m_prompts);
    m_prompts->showTemplate(name);
    for (int i = 0; m_templatesRoot && i < m_templatesRoot->childCount(); ++i)
        if (m_templatesRoot->child(i)->data(0, kNameRole).toString() == name)
            m_sidebar->setCurrentItem(m_templatesRoot->child(i));
}

void MainWindow::openModel(const QString &name)
{
    m_tabs->setCurrentWidget(m_models);
    m_models->showModel(name);
    m_playground->selectModel(name);
}

void MainWindow::importPaths(const QStringList &paths)
{
    QStringList files;
    bool addedModel = false;
    for (const QString &p : paths) {
        const QFileInfo fi(p);
        if (fi.isDir() && QFileInfo::exists(p + QStringLiteral("/config.json"))) {
            // A Hugging Face model folder.
            m_tabs->setCurrentWidget(m_models);
            m_models->addFolder(p);
            addedModel = true;
            continue;
        }
        if (fi.isDir()) {
            QDirIterator it(p, {QStringLiteral("*.jsonl"), QStringLiteral("*.json"),
                                QStringLiteral("*.csv"), QStringLiteral("*.ndjson")},
                            QDir::Files, QDirIterator::Subdirectories);
            while (it.hasNext())
                files << it.next();
        } else {
            files << p;
        }
    }
    files.sort();
    if (files.isEmpty() && addedModel)
        return;
    if (files.isEmpty()) {
        statusBar()->showMessage(tr("Nothing to import: no .jsonl, .json or .csv files found."), 8000);
        return;
    }
    m_tabs->setCurrentWidget(m_datasets);
    m_datasets->importFiles(files);
}

void MainWindow::dragEnterEvent(QDragEnterEvent *event)
{
    if (event->mimeData()->hasUrls())
        event->acceptProposedAction();
}

void MainWindow::dropEvent(QDropEvent *event)
{
    const QStringList paths = droppedPaths(event->mimeData());
    if (paths.isEmpty())
        return;
    event->acceptProposedAction();
    importPaths(paths);
}

void MainWindow::closeEvent(QCloseEvent *event)
{
    const QStringList unsaved = m_prompts->unsavedTemplates();
    if (!unsaved.isEmpty()) {
        const auto answer = QMessageBox::question(
            this, tr("Unsaved templates"),
            tr("These templates have unsaved changes: %1.\nSave the one open in the editor before "
               "quitting?")
                .arg(unsaved.join(QStringLiteral(", "))),
            QMessageBox::Save | QMessageBox::Discard | QMessageBox::Cancel);
        if (answer == QMessageBox::Cancel) {
            event->ignore();
            return;
        }
        if (answer == QMessageBox::Save && !m_prompts->save()) {
            event->ignore();
            return;
        }
    }
    if (m_jobs->runningCount() > 0 &&
        QMessageBox::question(this, tr("Jobs running"),
                              tr("%n job(s) are still running. Quit anyway? They will be cancelled.",
                                 nullptr, m_jobs->runningCount())) != QMessageBox::Yes) {
        event->ignore();
        return;
    }
    event->accept();
}

} // namespace wbui

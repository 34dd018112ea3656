#pragma once

#include <QMainWindow>

class QLabel;
class QTabWidget;
class QTreeWidget;
class QTreeWidgetItem;

namespace wbui {

class AppContext;
class CompareTab;
class DatasetsTab;
class JobsPanel;
class KnowledgeTab;
class ModelsTab;
class PlaygroundTab;
class PromptsTab;
class TrainingTab;

// The main window: a workspace sidebar (datasets, templates), the tabs, and the jobs panel.
// Files dropped anywhere on the window are imported as datasets.
class MainWindow final : public QMainWindow
{
    Q_OBJECT
public:
    explicit MainWindow(AppContext &ctx, QWidget *parent = nullptr);

    DatasetsTab *datasetsTab() const { return m_datasets; }
    PromptsTab *promptsTab() const { return m_prompts; }
    KnowledgeTab *knowledgeTab() const { return m_knowledge; }
    ModelsTab *modelsTab() const { return m_models; }
    PlaygroundTab *playgroundTab() const { return m_playground; }
    TrainingTab *trainingTab() const { return m_training; }
    CompareTab *compareTab() const { return m_compare; }
    JobsPanel *jobsPanel() const { return m_jobs; }
    QTreeWidget *sidebar() const { return m_sidebar; }
    QTabWidget *tabs() const { return m_tabs; }

    // Registers folders holding a config.json as models; imports files and every dataset file
    // inside other folders as datasets.
    void importPaths(const QStringList &paths);

Q_SIGNALS:
    void languageChangeRequested(const QString &language);

protected:
    void dragEnterEvent(QDragEnterEvent *event) override;
    void dropEvent(QDropEvent *event) override;
    void closeEvent(QCloseEvent *event) override;

private:
    void buildMenus();
    void reloadSidebar();
    void sidebarActivated(QTreeWidgetItem *item);
    void openDataset(const QString &name);
    void openTemplate(const QString &name);
    void openModel(const QString &name);

    AppContext &m_ctx;
    QTreeWidget *m_sidebar;
    QTreeWidgetItem *m_datasetsRoot = nullptr;
    QTreeWidgetItem *m_templatesRoot = nullptr;
    QTreeWidgetItem *m_modelsRoot = nullptr;
    QTabWidget *m_tabs;
    DatasetsTab *m_datasets;
    PromptsTab *m_prompts;
    KnowledgeTab *m_knowledge;
    ModelsTab *m_models;
    PlaygroundTab *m_playground;
    TrainingTab *m_training;
    CompareTab *m_compare;
    JobsPanel *m_jobs;
    QLabel *m_jobStatus;
};

} // namespace wbui

#pragma once

#include <nlohmann/json.hpp>

#include <QWidget>

class QLabel;
class QPushButton;
class QTabWidget;
class QTreeWidget;

namespace wbui {

class AppContext;
class KbDocumentsPanel;
class KbSearchPanel;
class KbSession;

// The Knowledge tab: the workspace's knowledge-base collections (create, drop, statistics),
// the documents of the chosen one (drop files or folders on the tab to index them) and a
// retrieval test bench.
class KnowledgeTab final : public QWidget
{
    Q_OBJECT
public:
    explicit KnowledgeTab(AppContext &ctx, QWidget *parent = nullptr);
    ~KnowledgeTab() override;

    // Creates a collection and selects it; on failure shows why and returns false.
    bool createCollection(const QString &name, const nlohmann::json &settings,
                          const QString &description = {});
    // Drops a collection (after a confirmation when asked).
    bool dropCollection(const QString &name, bool confirm = true);
    void selectCollection(const QString &name);
    QString currentCollection() const { return m_current; }
    // Indexes files or folders into the current collection.
    bool importPaths(const QStringList &paths);
    void newCollection();
    void reloadCollections();

    KbSession &session() { return *m_session; }
    KbDocumentsPanel *documentsPanel() const { return m_documents; }
    KbSearchPanel *searchPanel() const { return m_search; }
    QTreeWidget *collections() const { return m_list; }
    QString statsText() const;
    QString lastError() const { return m_lastError; }

protected:
    void dragEnterEvent(QDragEnterEvent *event) override;
    void dropEvent(QDropEvent *event) override;

private:
    void showStats();
    void showError(const QString &message); // under the collections; "" hides it
    void updateButtons();

    AppContext &m_ctx;
    KbSession *m_session;
    QString m_current;
    QString m_lastError;
    QTreeWidget *m_list;
    QPushButton *m_new;
    QPushButton *m_drop;
    QLabel *m_stats;
    QLabel *m_error;
    QTabWidget *m_pages;
    KbDocumentsPanel *m_documents;
    KbSearchPanel *m_search;
};

} // namespace wbui

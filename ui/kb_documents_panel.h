#pragma once

#include "jobs/job.h"

#include <QElapsedTimer>
#include <QWidget>

class QLabel;
class QLineEdit;
class QProgressBar;
class QPushButton;
class QTreeWidget;

namespace wbui {

class KbSession;

// The documents of one collection: add files or folders (an ingest job with progress for
// files, chunks and embeddings, cancellable and resumable), each document's state, and every
// skipped file or left-out page with its reason.
class KbDocumentsPanel final : public QWidget
{
    Q_OBJECT
public:
    KbDocumentsPanel(KbSession &session, QWidget *parent = nullptr);

    void setCollection(const QString &name);
    QString collection() const { return m_collection; }
    // Starts an ingest of these files or folders; false while another job holds the collection.
    bool importPaths(const QStringList &paths);
    bool resume();
    void cancel();
    bool removeDocuments(const QStringList &paths);
    void chooseFiles();
    void chooseFolder();
    // Reads the document list again (from the workspace; safe during an ingest).
    void reload();
    QTreeWidget *tree() const { return m_tree; }
    QString progressText() const;

Q_SIGNALS:
    void ingestFinished(const QString &collection, const wb::JobSnapshot &snapshot);
    void documentsChanged(const QString &collection);

private:
    bool startIngest(const QStringList &paths);
    void onProgress(const QString &collection, const wb::JobSnapshot &snap);
    void updateButtons();
    void removeSelected();

    KbSession &m_session;
    QString m_collection;
    QElapsedTimer m_lastReload;
    int m_pending = 0;
    QLabel *m_hint;
    QPushButton *m_addFiles;
    QPushButton *m_addFolder;
    QPushButton *m_resume;
    QPushButton *m_cancel;
    QPushButton *m_remove;
    QLineEdit *m_textField;
    QProgressBar *m_progress;
    QLabel *m_progressText;
    QLabel *m_summary;
    QTreeWidget *m_tree;
};

} // namespace wbui

#include "kb_documents_panel.h"

#include "app_context.h"
#include "kb_session.h"
#include "rag/knowledge_base.h"
#include "store/workspace.h"

#include <QDir>
#include <QFileDialog>
#include <QFileInfo>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QMessageBox>
#include <QProgressBar>
#include <QPushButton>
#include <QTreeWidget>
#include <QVBoxLayout>

namespace wbui {

namespace {
enum Column { ColFile, ColKind, ColState, ColPages, ColChunks, ColDetails, ColCount };
constexpr int kPathRole = Qt::UserRole + 1;
constexpr int kStateRole = Qt::UserRole + 2;
QString q(const std::string &s)
{
    return QString::fromStdString(s);
}
int64_t counter(const wb::JobSnapshot &s, const char *key)
{
    const auto it = s.progress.counters.find(key);
    return it == s.progress.counters.end() ? -1 : it->second;
}
} // namespace

KbDocumentsPanel::KbDocumentsPanel(KbSession &session, QWidget *parent)
    : QWidget(parent), m_session(session)
{
    m_addFiles = new QPushButton(tr("Add files…"), this);
    m_addFiles->setObjectName(QStringLiteral("kbAddFiles"));
    m_addFolder = new QPushButton(tr("Add folder…"), this);
    m_addFolder->setObjectName(QStringLiteral("kbAddFolder"));
    m_resume = new QPushButton(tr("Resume indexing"), this);
    m_resume->setObjectName(QStringLiteral("kbResume"));
    m_resume->setToolTip(
        tr("Finish an interrupted or cancelled ingest and pick up changed, new or deleted files"));
    m_cancel = new QPushButton(tr("Cancel"), this);
    m_cancel->setObjectName(QStringLiteral("kbCancel"));
    m_remove = new QPushButton(tr("Remove"), this);
    m_remove->setObjectName(QStringLiteral("kbRemove"));
    m_remove->setToolTip(
        tr("Remove the selected documents from the collection (the files stay on disk)"));
    m_textField = new QLineEdit(this);
    m_textField->setObjectName(QStringLiteral("kbTextField"));
    m_textField->setPlaceholderText(tr("JSONL/CSV text field (auto)"));
    m_textField->setToolTip(
        tr("The field or column that holds the text of JSONL and CSV records; empty: text, "
           "content, body, passage, document or page_content, whichever comes first"));
    m_textField->setMinimumWidth(230);
    m_textField->setMaximumWidth(260);
    connect(m_addFiles, &QPushButton::clicked, this, &KbDocumentsPanel::chooseFiles);
    connect(m_addFolder, &QPushButton::clicked, this, &KbDocumentsPanel::chooseFolder);
    connect(m_resume, &QPushButton::clicked, this, &KbDocumentsPanel::resume);
    connect(m_cancel, &QPushButton::clicked, this, &KbDocumentsPanel::cancel);
    connect(m_remove, &QPushButton::clicked, this, &KbDocumentsPanel::removeSelected);
    auto *bar = new QHBoxLayout;
    bar->addWidget(m_addFiles);
    bar->addWidget(m_addFolder);
    bar->addWidget(m_textField);
    bar->addStretch(1);
    bar->addWidget(m_resume);
    bar->addWidget(m_cancel);
    bar->addWidget(m_remove);

    m_progress = new QProgressBar(this);
    m_progress->setObjectName(QStringLiteral("kbProgress"));
    m_progress->setRange(0, 1000);
    m_progress->setTextVisible(false);
    m_progress->setMaximumHeight(10);
    m_progress->hide();
    m_progressText = new QLabel(this);
    m_progressText->setObjectName(QStringLiteral("kbProgressText"));
    m_hint = new QLabel(
        tr("Drop files or folders here (txt, md, pdf, html, jsonl, csv), or use Add files…"), this);
    m_hint->setStyleSheet(QStringLiteral("color: palette(mid); font-style: italic;"));
    m_summary = new QLabel(this);
    m_summary->setObjectName(QStringLiteral("kbDocumentSummary"));

    m_tree = new QTreeWidget(this);
    m_tree->setObjectName(QStringLiteral("kbDocuments"));
    m_tree->setColumnCount(ColCount);
    m_tree->setHeaderLabels(
        {tr("Document"), tr("Type"), tr("State"), tr("Pages"), tr("Chunks"), tr("Details")});
    m_tree->setSelectionMode(QAbstractItemView::ExtendedSelection);
    m_tree->setAlternatingRowColors(true);
    m_tree->setUniformRowHeights(true);
    m_tree->header()->setStretchLastSection(true);
    m_tree->setColumnWidth(ColFile, 280);
    m_tree->setColumnWidth(ColKind, 60);
    m_tree->setColumnWidth(ColState, 110);
    m_tree->setColumnWidth(ColPages, 60);
    m_tree->setColumnWidth(ColChunks, 70);
    connect(m_tree, &QTreeWidget::itemSelectionChanged, this, &KbDocumentsPanel::updateButtons);

    auto *layout = new QVBoxLayout(this);
    layout->addLayout(bar);
    layout->addWidget(m_progress);
    layout->addWidget(m_progressText);
    layout->addWidget(m_summary);
    layout->addWidget(m_tree, 1);
    layout->addWidget(m_hint);

    connect(&session, &KbSession::ingestProgress, this, &KbDocumentsPanel::onProgress);
    connect(&session, &KbSession::busyChanged, this, [this](const QString &c) {
        if (c == m_collection)
            updateButtons();
    });
    connect(&session, &KbSession::statsChanged, this, [this](const QString &c) {
        if (c == m_collection)
            reload();
    });
    m_lastReload.start();
    updateButtons();
}

void KbDocumentsPanel::setCollection(const QString &name)
{
    m_collection = name;
    m_progress->setValue(0);
    m_progressText->clear();
    // The bar is there while an ingest runs and stays with its outcome until another collection
    // is shown.
    m_progress->setVisible(m_session.isIngesting(name));
    reload();
}

QString KbDocumentsPanel::progressText() const
{
    return m_progressText->text();
}

void KbDocumentsPanel::reload()
{
    m_lastReload.restart();
    QStringList selected;
    for (auto *item : m_tree->selectedItems())
        selected << item->data(ColFile, kPathRole).toString();
    m_tree->clear();
    std::vector<wb::rag::DocumentInfo> docs;
    if (!m_collection.isEmpty()) {
        try {
            docs = wb::rag::KnowledgeBase::documents(m_session.context().workspace(),
                                                     m_collection.toStdString());
        } catch (const std::exception &e) {
            m_summary->setText(QString::fromUtf8(e.what()));
        }
    }
    const QColor bad(0xc0, 0x39, 0x2b), warn(0xb9, 0x77, 0x0e), good(0x1e, 0x84, 0x49);
    int indexed = 0, skipped = 0;
    m_pending = 0;
    QList<QTreeWidgetItem *> items;
    for (const auto &d : docs) {
        auto *item = new QTreeWidgetItem;
        const QString path = q(d.path);
        item->setText(ColFile, QFileInfo(path).fileName());
        item->setToolTip(ColFile, path);
        item->setData(ColFile, kPathRole, path);
        item->setData(ColFile, kStateRole, q(d.state));
        item->setText(ColKind, q(d.kind));
        item->setText(ColPages, d.pages > 0 ? QString::number(d.pages) : QString());
        item->setText(ColChunks, d.chunks > 0 ? QString::number(d.chunks) : QString());
        QString state, details = q(d.error);
        QColor color;
        if (d.state == "indexed") {
            state = tr("indexed");
            color = good;
            ++indexed;
        } else if (d.state == "skipped" || d.state == "failed") {
            state = d.state == "skipped" ? tr("skipped") : tr("failed");
            color = bad;
            ++skipped;
        } else if (d.state == "duplicate") {
            state = tr("duplicate");
            for (const auto &o : docs)
                if (o.id == d.duplicateOf)
                    details = tr("same content as %1").arg(QFileInfo(q(o.path)).fileName());
        } else {
            state = d.state == "chunked" ? tr("embedding") : tr("waiting");
            color = warn;
            ++m_pending;
        }
        item->setText(ColState, state);
        if (color.isValid())
            item->setForeground(ColState, color);
        if (!d.warnings.empty() && details.isEmpty())
            details = tr("%n part(s) left out", nullptr, int(d.warnings.size()));
        item->setText(ColDetails, details);
        item->setToolTip(ColDetails, details);
        for (const auto &w : d.warnings) {
            auto *child = new QTreeWidgetItem(
                item, {QString(), QString(), tr("left out"), QString(), QString(), q(w)});
            child->setForeground(ColState, warn);
            child->setToolTip(ColDetails, q(w));
        }
        items << item;
    }
    m_tree->addTopLevelItems(items);
    for (auto *item : std::as_const(items))
        if (selected.contains(item->data(ColFile, kPathRole).toString()))
            item->setSelected(true);
    m_summary->setText(docs.empty() ? QString()
                                    : tr("%n document(s)", nullptr, int(docs.size())) +
                                          QStringLiteral(" · ") +
                                          tr("%1 indexed · %2 skipped or failed · %3 waiting")
                                              .arg(indexed)
                                              .arg(skipped)
                                              .arg(m_pending));
    m_hint->setVisible(!m_collection.isEmpty());
    updateButtons();
    Q_EMIT documentsChanged(m_collection);
}

void KbDocumentsPanel::updateButtons()
{
    const bool have = !m_collection.isEmpty();
    const bool busy = have && m_session.isBusy(m_collection);
    const bool ingesting = have && m_session.isIngesting(m_collection);
    m_addFiles->setEnabled(have && !busy);
    m_addFolder->setEnabled(have && !busy);
    m_resume->setEnabled(have && !busy &&
                         (m_pending > 0 || m_session.stats(m_collection).pending > 0));
    m_cancel->setEnabled(ingesting);
    m_remove->setEnabled(have && !busy && !m_tree->selectedItems().isEmpty());
}

bool KbDocumentsPanel::importPaths(const QStringList &paths)
{
    return !paths.isEmpty() && startIngest(paths);
}

bool KbDocumentsPanel::resume()
{
    return startIngest({});
}

bool KbDocumentsPanel::startIngest(const QStringList &paths)
{
    if (m_collection.isEmpty())
        return false;
    const QString collection = m_collection;
    const wb::JobId id = m_session.ingest(collection, paths, m_textField->text().trimmed(),
                                          [this, collection](const wb::JobSnapshot &s) {
                                              if (collection == m_collection)
                                                  onProgress(collection, s);
                                              Q_EMIT ingestFinished(collection, s);
                                          });
    if (id == 0) {
        m_progressText->setText(
            tr("%1 is busy; try again when its current job ends.").arg(collection));
        return false;
    }
    m_progress->setValue(0);
    m_progress->show();
    m_progressText->setText(
        paths.isEmpty() ? tr("Resuming…") : tr("Scanning %n path(s)…", nullptr, int(paths.size())));
    updateButtons();
    return true;
}

void KbDocumentsPanel::cancel()
{
    if (!m_collection.isEmpty())
        m_session.cancel(m_collection);
}

void KbDocumentsPanel::onProgress(const QString &collection, const wb::JobSnapshot &snap)
{
    if (collection != m_collection)
        return;
    if (snap.progress.fraction >= 0)
        m_progress->setValue(int(snap.progress.fraction * 1000));
    QString text;
    const int64_t files = counter(snap, "files"), filesTotal = counter(snap, "files_total");
    const int64_t chunks = counter(snap, "chunks"), embedded = counter(snap, "embedded"),
                  embedTotal = counter(snap, "embed_total");
    if (snap.state == wb::JobState::Succeeded) {
        const auto &r = snap.result;
        m_progress->setValue(1000);
        text = tr("Done: %1 file(s) read, %2 skipped or failed, %3 chunks, %4 embedded, %5 "
                  "unchanged, %6 removed "
                  "(%7 s).")
                   .arg(r.value("processed", 0))
                   .arg(r.value("skipped", 0) + r.value("failed", 0))
                   .arg(r.value("chunks", 0))
                   .arg(r.value("embedded", 0))
                   .arg(r.value("unchanged", 0))
                   .arg(r.value("removed", 0))
                   .arg(r.value("seconds", 0.0), 0, 'f', 2);
    } else if (snap.state == wb::JobState::Cancelled || snap.state == wb::JobState::Interrupted) {
        text =
            tr("Stopped. What was read and embedded is kept; Resume indexing finishes the rest.");
    } else if (snap.state == wb::JobState::Failed) {
        text = tr("Failed: %1").arg(q(snap.error));
    } else if (embedTotal > 0) {
        text = tr("Embedding: %1 of %2 chunks · %3 chunks from the files read")
                   .arg(embedded)
                   .arg(embedTotal)
                   .arg(chunks);
    } else if (filesTotal > 0) {
        text = tr("Reading and chunking: file %1 of %2 · %3 chunks")
                   .arg(files + 1)
                   .arg(filesTotal)
                   .arg(chunks);
    } else {
        text = tr("Scanning…");
    }
    m_progressText->setText(text);
    m_progressText->setStyleSheet(
        snap.state == wb::JobState::Failed ? QStringLiteral("color: #c0392b;") : QString());
    // The list follows the ingest, at most twice a second.
    if (wb::isFinished(snap.state) || m_lastReload.elapsed() > 500)
        reload();
}

void KbDocumentsPanel::chooseFiles()
{
    const QStringList files = QFileDialog::getOpenFileNames(
        this, tr("Add documents"), QDir::homePath(),
        tr("Documents (*.txt *.md *.markdown *.pdf *.html *.htm *.jsonl *.csv);;All files (*)"));
    if (!files.isEmpty())
        importPaths(files);
}

void KbDocumentsPanel::chooseFolder()
{
    const QString dir =
        QFileDialog::getExistingDirectory(this, tr("Add a folder of documents"), QDir::homePath());
    if (!dir.isEmpty())
        importPaths({dir});
}

bool KbDocumentsPanel::removeDocuments(const QStringList &paths)
{
    if (m_collection.isEmpty() || paths.isEmpty())
        return false;
    std::vector<std::filesystem::path> ps;
    for (const QString &p : paths)
        ps.emplace_back(p.toStdString());
    return m_session.run(
               m_collection, QStringLiteral("kb.remove"),
               tr("Remove %n document(s) from %1", nullptr, int(ps.size())).arg(m_collection), true,
               [ps](wb::rag::KnowledgeBase &kb, wb::JobContext &) {
                   return nlohmann::json{{"removed", kb.remove(ps)}};
               }) != 0;
}

void KbDocumentsPanel::removeSelected()
{
    QStringList paths;
    for (auto *item : m_tree->selectedItems())
        if (!item->parent())
            paths << item->data(ColFile, kPathRole).toString();
    if (paths.isEmpty())
        return;
    if (QMessageBox::question(
            this, tr("Remove documents"),
            tr("Remove %n document(s) and their chunks from %1? The files stay on disk.", nullptr,
               int(paths.size()))
                .arg(m_collection)) == QMessageBox::Yes)
        removeDocuments(paths);
}

} // namespace wbui

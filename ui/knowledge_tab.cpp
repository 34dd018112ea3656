#include "knowledge_tab.h"

#include "app_context.h"
#include "drop_paths.h"
#include "kb_create_dialog.h"
#include "kb_documents_panel.h"
#include "kb_search_panel.h"
#include "kb_session.h"
#include "rag/knowledge_base.h"
#include "store/workspace.h"

#include <QDragEnterEvent>
#include <QDropEvent>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QMessageBox>
#include <QMimeData>
#include <QPushButton>
#include <QSplitter>
#include <QTabWidget>
#include <QTreeWidget>
#include <QVBoxLayout>

namespace wbui {

namespace {
enum Column { ColName, ColDocuments, ColChunks, ColCount };
QString q(const std::string &s)
{
    return QString::fromStdString(s);
}
} // namespace

KnowledgeTab::KnowledgeTab(AppContext &ctx, QWidget *parent) : QWidget(parent), m_ctx(ctx)
{
    setAcceptDrops(true);
    m_session = new KbSession(ctx, this);

    m_list = new QTreeWidget(this);
    m_list->setObjectName(QStringLiteral("kbCollections"));
    m_list->setColumnCount(ColCount);
    m_list->setHeaderLabels({tr("Collection"), tr("Docs"), tr("Chunks")});
    m_list->setRootIsDecorated(false);
    m_list->header()->setStretchLastSection(false);
    m_list->header()->setSectionResizeMode(ColName, QHeaderView::Stretch);
    m_list->setColumnWidth(ColDocuments, 50);
    m_list->setColumnWidth(ColChunks, 60);
    connect(m_list, &QTreeWidget::currentItemChanged, this, [this](QTreeWidgetItem *item) {
        if (item)
            selectCollection(item->data(ColName, Qt::UserRole).toString());
    });
    m_new = new QPushButton(tr("New…"), this);
    m_new->setObjectName(QStringLiteral("kbNewCollection"));
    m_drop = new QPushButton(tr("Drop…"), this);
    m_drop->setObjectName(QStringLiteral("kbDropCollection"));
    m_drop->setToolTip(
        tr("Delete the collection, its chunks and its index (the documents stay on disk)"));
    connect(m_new, &QPushButton::clicked, this, &KnowledgeTab::newCollection);
    connect(m_drop, &QPushButton::clicked, this, [this] { dropCollection(m_current, true); });
    auto *buttons = new QHBoxLayout;
    buttons->addWidget(m_new);
    buttons->addWidget(m_drop);
    buttons->addStretch(1);

    m_stats = new QLabel(this);
    m_stats->setObjectName(QStringLiteral("kbStats"));
    m_stats->setWordWrap(true);
    m_stats->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_stats->setAlignment(Qt::AlignTop | Qt::AlignLeft);
    auto *statsBox = new QGroupBox(tr("Statistics"), this);
    auto *sl = new QVBoxLayout(statsBox);
    sl->addWidget(m_stats);

    m_error = new QLabel(this);
    m_error->setObjectName(QStringLiteral("kbError"));
    m_error->setWordWrap(true);
    m_error->setStyleSheet(QStringLiteral("color: #c0392b;"));
    m_error->hide();

    auto *left = new QWidget(this);
    auto *ll = new QVBoxLayout(left);
    ll->setContentsMargins(0, 0, 0, 0);
    ll->addWidget(m_list, 1);
    ll->addLayout(buttons);
    ll->addWidget(m_error);
    ll->addWidget(statsBox);

    m_documents = new KbDocumentsPanel(*m_session, this);
    m_search = new KbSearchPanel(*m_session, this);
    m_pages = new QTabWidget(this);
    m_pages->setObjectName(QStringLiteral("kbPages"));
    m_pages->addTab(m_documents, tr("Documents"));
    m_pages->addTab(m_search, tr("Retrieval test"));

    auto *split = new QSplitter(Qt::Horizontal, this);
    split->addWidget(left);
    split->addWidget(m_pages);
    split->setStretchFactor(1, 1);
    split->setSizes({300, 900});
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(split);

    connect(m_session, &KbSession::statsChanged, this, [this](const QString &c) {
        reloadCollections();
        if (c == m_current)
            showStats();
    });
    connect(m_session, &KbSession::busyChanged, this, [this] { updateButtons(); });
    connect(m_documents, &KbDocumentsPanel::documentsChanged, this,
            [this] { reloadCollections(); });
    reloadCollections();
    if (m_list->topLevelItemCount() > 0)
        m_list->setCurrentItem(m_list->topLevelItem(0));
    updateButtons();
}

KnowledgeTab::~KnowledgeTab() = default;

void KnowledgeTab::reloadCollections()
{
    std::vector<wb::rag::CollectionInfo> infos;
    try {
        infos = wb::rag::KnowledgeBase::list(m_ctx.workspace());
    } catch (const std::exception &e) {
        m_stats->setText(QString::fromUtf8(e.what()));
    }
    const QSignalBlocker block(m_list);
    m_list->clear();
    for (const auto &c : infos) {
        int64_t chunks = 0;
        const auto docs = wb::rag::KnowledgeBase::documents(m_ctx.workspace(), c.name);
        for (const auto &d : docs)
            chunks += d.chunks;
        auto *item = new QTreeWidgetItem(
            m_list, {q(c.name), QString::number(docs.size()), QString::number(chunks)});
        item->setData(ColName, Qt::UserRole, q(c.name));
        item->setToolTip(ColName, c.description.empty() ? q(c.name) : q(c.description));
        for (int col : {ColDocuments, ColChunks})
            item->setTextAlignment(col, Qt::AlignRight | Qt::AlignVCenter);
        if (q(c.name) == m_current)
            m_list->setCurrentItem(item);
    }
}

void KnowledgeTab::selectCollection(const QString &name)
{
    for (int i = 0; i < m_list->topLevelItemCount(); ++i)
        if (m_list->topLevelItem(i)->data(ColName, Qt::UserRole).toString() == name) {
            const QSignalBlocker block(m_list);
            m_list->setCurrentItem(m_list->topLevelItem(i));
        }
    if (name == m_current)
        return;
    m_current = name;
    m_documents->setCollection(name);
    m_search->setCollection(name);
    showStats();
    if (!name.isEmpty() && !m_session->isBusy(name))
        m_session->refresh(name); // opens it (and loads its embedder) off the GUI thread
    updateButtons();
}

QString KnowledgeTab::statsText() const
{
    return m_stats->text();
}

void KnowledgeTab::showStats()
{
    if (m_current.isEmpty()) {
        m_stats->setText(tr("Create a collection with New…, then drop documents on this tab."));
        return;
    }
    wb::rag::CollectionInfo info;
    try {
        info = wb::rag::KnowledgeBase::info(m_ctx.workspace(), m_current.toStdString());
    } catch (const std::exception &e) {
        m_stats->setText(QString::fromUtf8(e.what()));
        return;
    }
    const auto st = m_session->stats(m_current);
    const auto &emb = info.settings.value("embedder", nlohmann::json::object());
    const auto &ch = info.settings.value("chunker", nlohmann::json::object());
    QString embedder = q(emb.value("kind", "?"));
    if (emb.contains("dim"))
        embedder += tr(", %1 dimensions").arg(emb.value("dim", 0));
    if (emb.contains("model"))
        embedder += QStringLiteral(": ") + q(emb.value("model", ""));
    const QString unit = ch.value("unit", "chars") == "tokens" ? tr("tokens") : tr("characters");
    QStringList rows;
    auto row = [&rows](const QString &k, const QString &v) {
        rows
            << QStringLiteral(
                   "<tr><td style='color:palette(mid); padding-right:8px;'>%1</td><td>%2</td></tr>")
                   .arg(k, v.toHtmlEscaped());
    };
    row(tr("Embedder"), embedder);
    row(tr("Chunks of"),
        tr("%1 %2, overlap %3").arg(ch.value("size", 0)).arg(unit).arg(ch.value("overlap", 0)));
    row(tr("Index"),
        st.indexVectors == 0 && st.vectors == 0
            ? tr("empty")
            : (st.hnsw ? tr("HNSW, %1 vectors, %2 deleted").arg(st.indexVectors).arg(st.tombstones)
                       : tr("exact (flat), %1 vectors").arg(st.indexVectors)));
    // Only the states that occur: "5 · 4 indexed, 1 skipped".
    QStringList states;
    const std::pair<int64_t, QString> counts[] = {{st.indexed, tr("%1 indexed")},
                                                  {st.skipped, tr("%1 skipped")},
                                                  {st.failed, tr("%1 failed")},
                                                  {st.duplicates, tr("%1 duplicates")},
                                                  {st.pending, tr("%1 waiting")}};
    for (const auto &[n, text] : counts)
        if (n > 0)
            states << text.arg(n);
    row(tr("Documents"),
        states.isEmpty()
            ? QString::number(st.documents)
            : QStringLiteral("%1 · %2").arg(st.documents).arg(states.join(QStringLiteral(", "))));
    row(tr("Chunks"), tr("%1 (%2 with vectors)").arg(st.chunks).arg(st.vectors));
    row(tr("Created"), q(info.createdAt).left(19).replace(QLatin1Char('T'), QLatin1Char(' ')));
    QString html = QStringLiteral("<table>%1</table>").arg(rows.join(QString()));
    const QString note = m_session->openMessage(m_current);
    if (!note.isEmpty())
        html += QStringLiteral("<p style='color:#b9770e;'>%1</p>").arg(note.toHtmlEscaped());
    m_stats->setText(html);
}

void KnowledgeTab::showError(const QString &message)
{
    m_lastError = message;
    m_error->setText(message);
    m_error->setVisible(!message.isEmpty());
}

void KnowledgeTab::updateButtons()
{
    m_drop->setEnabled(!m_current.isEmpty() && !m_session->isBusy(m_current));
}

bool KnowledgeTab::createCollection(const QString &name, const nlohmann::json &settings,
                                    const QString &description)
{
    try {
        wb::rag::KnowledgeBase::create(m_ctx.workspace(), name.toStdString(), settings,
                                       description.toStdString());
    } catch (const std::exception &e) {
        showError(QString::fromUtf8(e.what()));
        return false;
    }
    showError(QString());
    reloadCollections();
    selectCollection(name);
    return true;
}

void KnowledgeTab::newCollection()
{
    KbCreateDialog dialog(this);
    if (dialog.exec() == QDialog::Accepted &&
        !createCollection(dialog.name(), dialog.settings(), dialog.description()))
        QMessageBox::warning(this, tr("Cannot create the collection"), m_lastError);
}

bool KnowledgeTab::dropCollection(const QString &name, bool confirm)
{
    if (name.isEmpty() || m_session->isBusy(name))
        return false;
    if (confirm && QMessageBox::question(
                       this, tr("Drop collection"),
                       tr("Delete the collection %1 with its chunks, vectors and index? "
                          "The documents themselves stay on disk.")
                           .arg(name),
                       QMessageBox::Yes | QMessageBox::No, QMessageBox::No) != QMessageBox::Yes)
        return false;
    m_session->close(name);
    try {
        wb::rag::KnowledgeBase::drop(m_ctx.workspace(), name.toStdString());
    } catch (const std::exception &e) {
        showError(tr("Cannot drop the collection: %1").arg(QString::fromUtf8(e.what())));
        return false;
    }
    if (name == m_current)
        selectCollection(QString());
    reloadCollections();
    if (m_current.isEmpty() && m_list->topLevelItemCount() > 0)
        m_list->setCurrentItem(m_list->topLevelItem(0));
    return true;
}

bool KnowledgeTab::importPaths(const QStringList &paths)
{
    if (m_current.isEmpty()) {
        showError(tr("Create or choose a collection first, then drop the documents again."));
        return false;
    }
    m_pages->setCurrentWidget(m_documents);
    return m_documents->importPaths(paths);
}

void KnowledgeTab::dragEnterEvent(QDragEnterEvent *event)
{
    if (event->mimeData()->hasUrls())
        event->acceptProposedAction();
}

void KnowledgeTab::dropEvent(QDropEvent *event)
{
    const QStringList paths = droppedPaths(event->mimeData());
    if (paths.isEmpty())
        return;
    event->acceptProposedAction();
    importPaths(paths);
}

} // namespace wbui

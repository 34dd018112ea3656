#include "kb_source_dialog.h"

#include "app_context.h"
#include "store/workspace.h"

#include <QDialogButtonBox>
#include <QFileInfo>
#include <QLabel>
#include <QPlainTextEdit>
#include <QPointer>
#include <QScrollBar>
#include <QTextBlock>
#include <QVBoxLayout>

namespace wbui {

namespace {
QString q(const std::string &s)
{
    return QString::fromStdString(s);
}
// Length in QChars of the first `bytes` bytes of UTF-8 text.
int qlen(const std::string &text, size_t bytes)
{
    return int(QString::fromUtf8(text.data(), qsizetype(std::min(bytes, text.size()))).size());
}
} // namespace

KbSourceDialog::KbSourceDialog(AppContext &ctx, const QString &collection, wb::rag::SearchHit hit,
                               QWidget *parent)
    : QDialog(parent), m_hit(std::move(hit))
{
    setObjectName(QStringLiteral("kbSourceDialog"));
    setWindowTitle(tr("Source: %1").arg(QFileInfo(q(m_hit.path)).fileName()));
    resize(820, 640);
    m_location = new QLabel(this);
    m_location->setObjectName(QStringLiteral("kbSourceLocation"));
    m_note = new QLabel(tr("Reading %1…").arg(q(m_hit.path)), this);
    m_note->setWordWrap(true);
    m_text = new QPlainTextEdit(this);
    m_text->setObjectName(QStringLiteral("kbSourceText"));
    m_text->setReadOnly(true);
    m_text->setLineWrapMode(QPlainTextEdit::WidgetWidth);
    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Close, this);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(m_location);
    layout->addWidget(m_note);
    layout->addWidget(m_text, 1);
    layout->addWidget(buttons);
    connect(m_text->verticalScrollBar(), &QScrollBar::valueChanged, this,
            &KbSourceDialog::updateLocation);
    updateLocation();

    // The same reader and options as the ingest, so the chunk's offsets point into this text.
    std::string textField;
    try {
        for (const auto &d :
             wb::rag::KnowledgeBase::documents(ctx.workspace(), collection.toStdString()))
            if (d.id == m_hit.documentId)
                textField = d.textField;
    } catch (const std::exception &) {
        // the collection is gone; read with the defaults
    }
    auto doc = std::make_shared<wb::rag::ExtractedDocument>();
    wb::JobSpec spec;
    spec.kind = "kb.read";
    spec.title = "Read " + m_hit.path;
    spec.quiet = true;
    spec.work = [doc, path = m_hit.path, textField](wb::JobContext &) {
        wb::rag::ReaderOptions options;
        options.textField = textField;
        *doc = wb::rag::readDocument(path, options);
        return nlohmann::json::object();
    };
    ctx.submit(std::move(spec),
               [guard = QPointer<KbSourceDialog>(this), doc](const wb::JobSnapshot &s) {
                   if (!guard)
                       return;
                   if (s.state != wb::JobState::Succeeded) {
                       guard->m_note->setText(tr("Cannot read the document: %1").arg(q(s.error)));
                       guard->m_note->setStyleSheet(QStringLiteral("color: #c0392b;"));
                       return;
                   }
                   guard->showDocument(*doc);
               });
}

QString KbSourceDialog::text() const
{
    return m_text->toPlainText();
}

QString KbSourceDialog::location() const
{
    return m_location->text();
}

void KbSourceDialog::showDocument(const wb::rag::ExtractedDocument &doc)
{
    if (doc.skipped()) {
        m_note->setText(tr("The document cannot be read now: %1").arg(q(doc.skipReason)));
        m_note->setStyleSheet(QStringLiteral("color: #c0392b;"));
        return;
    }
    size_t start = size_t(m_hit.start), end = size_t(m_hit.end);
    const bool same =
        end <= doc.text.size() && doc.text.compare(start, end - start, m_hit.text) == 0;
    if (!same) {
        // The file changed since it was indexed: look for the passage itself.
        const size_t found = doc.text.find(m_hit.text);
        start = found == std::string::npos ? 0 : found;
        end = found == std::string::npos ? 0 : found + m_hit.text.size();
        m_note->setText(
            found == std::string::npos
                ? tr("The file changed since it was indexed and no longer contains this chunk; "
                     "Resume indexing picks up the change.")
                : tr("The file changed since it was indexed; the chunk was found at another "
                     "place."));
        m_note->setStyleSheet(QStringLiteral("color: #b9770e;"));
    } else {
        m_note->hide();
    }
    QString text = QString::fromStdString(doc.text);
    text.replace(QChar('\f'), QChar('\n')); // page ends; one QChar for one, so positions hold
    m_pages.clear();
    for (const auto &p : doc.pages)
        m_pages.emplace_back(qlen(doc.text, p.start), p.number);
    m_pageCount = doc.pageCount;
    m_text->setPlainText(text);
    if (end > start) {
        m_chunkStart = qlen(doc.text, start);
        m_chunkEnd = qlen(doc.text, end);
        QList<QTextEdit::ExtraSelection> selections;
        QTextEdit::ExtraSelection chunk;
        chunk.cursor = QTextCursor(m_text->document());
        chunk.cursor.setPosition(m_chunkStart);
        chunk.cursor.setPosition(m_chunkEnd, QTextCursor::KeepAnchor);
        chunk.format.setBackground(QColor(0xff, 0xf4, 0xc2));
        selections << chunk;
        for (const auto &[b, e] : m_hit.highlights) {
            if (!same || size_t(e) > m_hit.text.size())
                continue;
            QTextEdit::ExtraSelection term;
            term.cursor = QTextCursor(m_text->document());
            term.cursor.setPosition(qlen(doc.text, start + size_t(b)));
            term.cursor.setPosition(qlen(doc.text, start + size_t(e)), QTextCursor::KeepAnchor);
            term.format.setBackground(QColor(0xff, 0xd0, 0x4a));
            term.format.setFontWeight(QFont::DemiBold);
            selections << term;
        }
        m_text->setExtraSelections(selections);
        // Scroll so the chunk's end and then its start are visible: the start lands near the top.
        QTextCursor c(m_text->document());
        c.setPosition(m_chunkEnd);
        m_text->setTextCursor(c);
        m_text->ensureCursorVisible();
        c.setPosition(m_chunkStart);
        m_text->setTextCursor(c);
        m_text->ensureCursorVisible();
    }
    updateLocation();
    Q_EMIT loaded();
}

void KbSourceDialog::updateLocation()
{
    QString where = QStringLiteral("<b>%1</b>").arg(q(m_hit.path).toHtmlEscaped());
    if (!m_pages.empty()) {
        const int top = m_text->cursorForPosition(QPoint(0, 0)).position();
        int page = m_pages.front().second;
        for (const auto &[pos, number] : m_pages)
            if (pos <= top)
                page = number;
        const bool rows = m_hit.pageLabel == "row";
        where += QStringLiteral(" · ") + (rows ? tr("row %1 of the file").arg(page)
                                               : tr("page %1 of %2").arg(page).arg(m_pageCount));
    }
    if (m_hit.page > 0)
        where +=
            QStringLiteral(" · ") + tr("the chunk starts on %1")
                                        .arg(q(m_hit.pageLabel.empty() ? "p." : m_hit.pageLabel) +
                                             QStringLiteral(" ") + QString::number(m_hit.page));
    m_location->setText(where);
}

} // namespace wbui

#pragma once

#include "rag/knowledge_base.h"
#include "rag/readers.h"

#include <QDialog>

#include <memory>
#include <vector>

class QLabel;
class QPlainTextEdit;

namespace wbui {

class AppContext;

// A read-only view of a search hit's document as the knowledge base extracted it, scrolled
// to the chunk, with the chunk and its matched terms highlighted; for paged documents the
// header names the page under the top of the view.
class KbSourceDialog final : public QDialog
{
    Q_OBJECT
public:
    KbSourceDialog(AppContext &ctx, const QString &collection, wb::rag::SearchHit hit,
                   QWidget *parent = nullptr);

    // The document's text (empty until it is read) and the chunk's selection in it.
    QString text() const;
    int chunkStart() const { return m_chunkStart; }
    int chunkEnd() const { return m_chunkEnd; }
    QString location() const;

Q_SIGNALS:
    void loaded();

private:
    void showDocument(const wb::rag::ExtractedDocument &doc);
    void updateLocation();

    wb::rag::SearchHit m_hit;
    QLabel *m_location;
    QLabel *m_note;
    QPlainTextEdit *m_text;
    std::vector<std::pair<int, int>> m_pages; // QString position where a page starts, page number
    int m_pageCount = 0;
    int m_chunkStart = -1, m_chunkEnd = -1;
};

} // namespace wbui

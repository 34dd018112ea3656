#pragma once

#include "rag/knowledge_base.h"

#include <QWidget>

#include <vector>

class QCheckBox;
class QComboBox;
class QLabel;
class QLineEdit;
class QPushButton;
class QSlider;
class QSpinBox;
class QTableWidget;
class QTextBrowser;

namespace wbui {

class KbSession;

// Retrieval testing: a query with top-k, mode, hybrid weight and MMR; the ranked chunks with
// their vector score, BM25 score and fused rank; the chosen chunk with the query's matched
// terms highlighted; and "Open source", which shows the chunk in its document.
class KbSearchPanel final : public QWidget
{
    Q_OBJECT
public:
    KbSearchPanel(KbSession &session, QWidget *parent = nullptr);

    void setCollection(const QString &name);
    void setQuery(const QString &text);
    // Starts the search (a quick job); false when there is nothing to search or the
    // collection is busy. searchFinished follows.
    bool search();
    wb::rag::SearchOptions options() const;
    const std::vector<wb::rag::SearchHit> &hits() const { return m_hits; }
    QTableWidget *results() const { return m_results; }
    QString chunkHtml() const;
    void openSource(int row);

Q_SIGNALS:
    void searchFinished();

private:
    void showHits();
    void showChunk(int row);
    void updateButtons();

    KbSession &m_session;
    QString m_collection;
    std::vector<wb::rag::SearchHit> m_hits;
    QLineEdit *m_query;
    QSpinBox *m_topK;
    QComboBox *m_mode;
    QSlider *m_weight;
    QLabel *m_weightLabel;
    QCheckBox *m_mmr;
    QPushButton *m_search;
    QLabel *m_status;
    QTableWidget *m_results;
    QLabel *m_chunkInfo;
    QTextBrowser *m_chunk;
    QPushButton *m_open;
};

} // namespace wbui

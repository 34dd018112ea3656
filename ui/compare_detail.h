#pragma once

#include "compare_common.h"

#include <nlohmann/json.hpp>

#include <QWidget>

class QCheckBox;
class QLabel;
class QTableWidget;
class QTextBrowser;

namespace wbui {

// One cell's questions: a row per question with the expected answer, each sample's extracted
// answer, the vote, ✓/✗ and the retrieved chunks when RAG was on. Selecting a row (or
// double-clicking it) shows the question, its options and every full response below.
class CompareQuestionView final : public QWidget
{
    Q_OBJECT
public:
    explicit CompareQuestionView(QWidget *parent = nullptr);

    // Re-reads the shown cell from a newer snapshot, keeping the selected question.
    void setResults(CompareResultsPtr results);
    void showCell(const QString &id);
    QString cell() const { return m_cell; }
    QTableWidget *table() const { return m_table; }
    QTextBrowser *responses() const { return m_text; }
    int visibleRowCount() const;

    // Retrieved passages ([{"source", "score", "text"}]) as HTML, or a one-line summary.
    static QString contextHtml(const nlohmann::json &context);
    static QString contextSummary(const nlohmann::json &context);
    // A question with its options, the expected letter marked.
    static QString questionHtml(const wb::CompareQuestion &q);

private:
    void fill();
    void applyFilter();
    void showQuestion();

    CompareResultsPtr m_results;
    QString m_cell;
    QLabel *m_title;
    QCheckBox *m_wrongOnly;
    QTableWidget *m_table;
    QTextBrowser *m_text;
};

} // namespace wbui

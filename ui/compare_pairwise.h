#pragma once

#include "compare_common.h"

#include <QWidget>

#include <utility>

class QCheckBox;
class QComboBox;
class QLabel;
class QTableWidget;
class QTextBrowser;

namespace wbui {

// Two cells (or ensembles) of one run side by side: McNemar's exact test on the questions both
// answered (b = only A right, c = only B right), the questions with both votes (optionally only
// those where the votes differ), and for the selected question both responses with the words
// that differ highlighted.
class ComparePairView final : public QWidget
{
    Q_OBJECT
public:
    explicit ComparePairView(QWidget *parent = nullptr);

    void setResults(CompareResultsPtr results);
    void setPair(const QString &a, const QString &b);
    QString cellA() const;
    QString cellB() const;
    const wb::CellDiff &diff() const { return m_diff; }
    QString summaryText() const;
    QTableWidget *table() const { return m_table; }
    QCheckBox *disagreeOnly() const { return m_disagree; }
    int visibleRowCount() const;

    // The p-value as the view prints it.
    static QString formatP(double p);
    // Both texts as HTML with the words only one of them has highlighted (LCS over words; CJK
    // characters count as words).
    static std::pair<QString, QString> diffHtml(const std::string &a, const std::string &b);

Q_SIGNALS:
    void pairChanged(const QString &a, const QString &b);

private:
    void fillCombos();
    void recompute();
    void applyFilter();
    void showQuestion();

    CompareResultsPtr m_results;
    wb::CellDiff m_diff;
    QComboBox *m_a;
    QComboBox *m_b;
    QLabel *m_summary;
    QCheckBox *m_disagree;
    QTableWidget *m_table;
    QTextBrowser *m_left;
    QTextBrowser *m_right;
};

} // namespace wbui

#pragma once

#include "compare_common.h"

#include <QWidget>

class QChart;
class QChartView;
class QComboBox;
class QTabWidget;

namespace wbui {

// The Compare tab's charts (Qt Charts): every cell's accuracy as a bar with its 95% interval as
// an error bar; accuracy by group of a chosen question field (the demo's "family") for each
// cell; and, for cells with several samples per question, accuracy against the number of votes
// counted (1 .. samples). Charts are rebuilt from each results snapshot.
class CompareCharts final : public QWidget
{
    Q_OBJECT
public:
    explicit CompareCharts(QWidget *parent = nullptr);
    ~CompareCharts() override;

    void setResults(CompareResultsPtr results);
    QComboBox *breakdownField() const { return m_field; }
    QTabWidget *tabs() const { return m_tabs; }
    // What the charts hold, for tests.
    int accuracyBars() const { return m_accuracyBars; }
    int breakdownGroups() const { return m_breakdownGroups; }
    int votesSeries() const { return m_votesSeries; }

private:
    void drawAccuracy();
    void drawBreakdown();
    void drawVotes();
    void replace(QChartView *view, QChart *chart);

    CompareResultsPtr m_results;
    QTabWidget *m_tabs;
    QChartView *m_accuracy;
    QChartView *m_breakdown;
    QChartView *m_votes;
    QComboBox *m_field;
    int m_accuracyBars = 0, m_breakdownGroups = 0, m_votesSeries = 0;
};

} // namespace wbui

#pragma once

#include "data/dataset.h"

#include <QWidget>

class QLabel;
class QChartView;

namespace wbui {

// Statistics of a dataset: counts, answer-letter and option-count distributions as bar
// charts, and text lengths per field.
class DatasetStatsView final : public QWidget
{
    Q_OBJECT
public:
    explicit DatasetStatsView(QWidget *parent = nullptr);
    void setStats(const wb::DatasetStats &stats);
    void clear();

    QString summaryText() const;

private:
    QLabel *m_summary;
    QLabel *m_lengths;
    QChartView *m_answers;
    QChartView *m_options;
};

} // namespace wbui

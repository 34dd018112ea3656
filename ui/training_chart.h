#pragma once

#include "train/trainer.h"

#include <QHash>
#include <QList>
#include <QPointF>
#include <QTimer>
#include <QVector>
#include <QWidget>

#include <vector>

class QAbstractAxis;
class QChart;
class QCheckBox;
class QLineSeries;
class QLogValueAxis;
class QScatterSeries;
class QSlider;
class QValueAxis;
class QXYSeries;

namespace wbui {

class TrainingChartView;

// The Training tab's charts: training loss (raw and EMA-smoothed), eval loss and the learning
// rate (second axis) in one chart, the gradient norm in a small one below. Live points are
// buffered and appended to the series in batches a few times a second, so a run reporting
// every step never makes the window redraw per point. Rubber-band zoom (right click or
// "Reset zoom" undoes it), a log-scale toggle, and hover tooltips with the values at the
// nearest step. Several runs can be overlaid (smoothed loss and eval loss of each).
class TrainingChart final : public QWidget
{
    Q_OBJECT
public:
    explicit TrainingChart(QWidget *parent = nullptr);
    ~TrainingChart() override;

    // Removes every point and overlay.
    void clear();
    // Shows one run's recorded points (from metrics.jsonl), replacing what is shown.
    void setRun(const std::vector<wb::TrainPoint> &points, qint64 totalSteps = 0);
    // A live metric ("loss", "eval_loss", "lr", "grad_norm"; others are ignored). Buffered.
    void appendMetric(const QString &name, qint64 step, double value);
    // The x axis spans at least this many steps (the planned length of the live run).
    void setExpectedSteps(qint64 steps);
    // What the chart says while it has no point (e.g. "waiting for the first step").
    void setPlaceholder(const QString &text);
    // Overlays another run's curves; call after clear() to compare several runs.
    void addComparison(const QString &label, const std::vector<wb::TrainPoint> &points);

    // EMA weight 0 (no smoothing) .. 0.99.
    void setSmoothing(double weight);
    double smoothing() const { return m_smoothing; }
    void setLogScale(bool on);
    bool logScale() const { return m_log; }
    void resetZoom();
    bool isZoomed() const { return m_zoomed; }

    // Appends what is buffered now (normally done by a timer).
    void flush();

    // What the series hold (for tests and the hover text).
    int lossPointCount() const { return int(m_loss.size()); }
    int evalPointCount() const { return int(m_eval.size()); }
    int lrPointCount() const { return int(m_lr.size()); }
    int gradPointCount() const { return int(m_grad.size()); }
    int comparisonCount() const { return int(m_comparisons.size()); }
    QString hoverText(double step) const;

private:
    struct Comparison
    {
        QString label;
        QVector<QPointF> loss, eval;
        QLineSeries *smoothed = nullptr;
        QLineSeries *evalSeries = nullptr;
    };
    void buildCharts();
    void appendPoints(QVector<QPointF> &data, QXYSeries *series, const QList<QPointF> &points);
    void rebuildSmoothed();
    QList<QPointF> smoothedOf(const QVector<QPointF> &raw) const;
    void updateRanges();
    void updateTitle();
    void swapLossAxis(QAbstractAxis *to);
    QList<QXYSeries *> lossSeries() const;
    void hovered(const QPointF &value, const QPoint &globalPos);

    QChart *m_lossChart = nullptr;
    QChart *m_gradChart = nullptr;
    TrainingChartView *m_lossView = nullptr;
    TrainingChartView *m_gradView = nullptr;
    QLineSeries *m_lossSeries = nullptr;
    QLineSeries *m_smoothSeries = nullptr;
    QLineSeries *m_evalSeries = nullptr;
    QLineSeries *m_lrSeries = nullptr;
    QLineSeries *m_gradSeries = nullptr;
    QScatterSeries *m_marker = nullptr;
    QValueAxis *m_x = nullptr;
    QValueAxis *m_lossLinear = nullptr;
    QLogValueAxis *m_lossLog = nullptr;
    QValueAxis *m_lrAxis = nullptr;
    QValueAxis *m_gradX = nullptr;
    QValueAxis *m_gradY = nullptr;
    QCheckBox *m_logBox = nullptr;
    QSlider *m_smoothSlider = nullptr;

    QVector<QPointF> m_loss, m_eval, m_lr, m_grad;
    QHash<QString, QList<QPointF>> m_pending;
    QList<Comparison> m_comparisons;
    double m_ema = 0, m_emaWeightSum = 0; // incremental debiased EMA of m_loss
    double m_smoothing = 0.9;
    qint64 m_expectedSteps = 0;
    QString m_placeholder;
    bool m_log = false;
    bool m_zoomed = false;
    QTimer m_flushTimer;
};

} // namespace wbui

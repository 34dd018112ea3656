#include "training_chart.h"

#include <QChart>
#include <QChartView>
#include <QCheckBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QLegend>
#include <QLegendMarker>
#include <QLineSeries>
#include <QLogValueAxis>
#include <QMouseEvent>
#include <QPushButton>
#include <QScatterSeries>
#include <QSlider>
#include <QToolTip>
#include <QVBoxLayout>
#include <QValueAxis>

#include <algorithm>
#include <cmath>
#include <functional>
#include <optional>
#include <utility>

namespace wbui {

// A chart view with rubber-band zoom that tells its owner about zooms and hovering.
class TrainingChartView final : public QChartView
{
public:
    TrainingChartView(QChart *chart, QWidget *parent) : QChartView(chart, parent)
    {
        setRenderHint(QPainter::Antialiasing);
        setRubberBand(QChartView::RectangleRubberBand);
        setMouseTracking(true);
    }
    std::function<void()> onZoom, onReset;
    std::function<void(const QPoint &pos, const QPoint &global)> onHover;
    std::function<void()> onLeave;

protected:
    void mouseReleaseEvent(QMouseEvent *e) override
    {
        if (e->button() == Qt::RightButton) {
            // QChartView would zoom out one step; a full reset is what people expect.
            if (onReset)
                onReset();
            e->accept();
            return;
        }
        const bool band = e->button() == Qt::LeftButton && rubberBand() != NoRubberBand;
        QChartView::mouseReleaseEvent(e);
        if (band && onZoom)
            onZoom();
    }
    void mouseMoveEvent(QMouseEvent *e) override
    {
        QChartView::mouseMoveEvent(e);
        if (onHover)
            onHover(e->position().toPoint(), e->globalPosition().toPoint());
    }
    void leaveEvent(QEvent *e) override
    {
        QChartView::leaveEvent(e);
        if (onLeave)
            onLeave();
    }
};

namespace {

const QList<QColor> &seriesColors()
{
    static const QList<QColor> colors = {QColor(0x1f, 0x77, 0xb4), QColor(0xff, 0x7f, 0x0e),
                                         QColor(0x2c, 0xa0, 0x2c), QColor(0xd6, 0x27, 0x28),
                                         QColor(0x94, 0x67, 0xbd), QColor(0x8c, 0x56, 0x4b),
                                         QColor(0xe3, 0x77, 0xc2), QColor(0x7f, 0x7f, 0x7f),
                                         QColor(0xbc, 0xbd, 0x22), QColor(0x17, 0xbe, 0xcf)};
    return colors;
}

QLineSeries *lineSeries(const QString &name, const QColor &color, qreal width,
                        Qt::PenStyle style = Qt::SolidLine)
{
    auto *s = new QLineSeries;
    s->setName(name);
    QPen pen(color);
    pen.setWidthF(width);
    pen.setStyle(style);
    s->setPen(pen);
    return s;
}

// Index of the point whose x is nearest to `x` (data sorted by x), or -1 when empty.
int nearest(const QVector<QPointF> &data, double x)
{
    if (data.isEmpty())
        return -1;
    auto it = std::lower_bound(data.begin(), data.end(), x,
                               [](const QPointF &p, double v) { return p.x() < v; });
    if (it == data.end())
        return int(data.size()) - 1;
    if (it != data.begin() && std::abs((it - 1)->x() - x) <= std::abs(it->x() - x))
        --it;
    return int(it - data.begin());
}

QString num(double v)
{
    return QString::number(v, 'g', 4);
}

void hideFromLegend(QChart *chart, QAbstractSeries *series)
{
    for (auto *m : chart->legend()->markers(series))
        m->setVisible(false);
}

} // namespace

TrainingChart::TrainingChart(QWidget *parent) : QWidget(parent)
{
    buildCharts();

    m_smoothSlider = new QSlider(Qt::Horizontal, this);
    m_smoothSlider->setObjectName(QStringLiteral("smoothingSlider"));
    m_smoothSlider->setRange(0, 99);
    m_smoothSlider->setValue(int(m_smoothing * 100));
    m_smoothSlider->setMaximumWidth(160);
    m_smoothSlider->setToolTip(tr("Weight of the exponential moving average drawn over the raw "
                                  "loss (0: none, 0.99: very smooth)"));
    auto *smoothValue = new QLabel(QString::number(m_smoothing, 'f', 2), this);
    smoothValue->setMinimumWidth(32);
    connect(m_smoothSlider, &QSlider::valueChanged, this, [this, smoothValue](int v) {
        smoothValue->setText(QString::number(v / 100.0, 'f', 2));
        setSmoothing(v / 100.0);
    });
    m_logBox = new QCheckBox(tr("Log scale"), this);
    m_logBox->setObjectName(QStringLiteral("logScaleBox"));
    m_logBox->setToolTip(tr("Logarithmic loss axis: late, small improvements stay visible"));
    connect(m_logBox, &QCheckBox::toggled, this, &TrainingChart::setLogScale);
    auto *reset = new QPushButton(tr("Reset zoom"), this);
    reset->setObjectName(QStringLiteral("resetZoomButton"));
    reset->setToolTip(tr("Drag a rectangle on a chart to zoom in; right click also resets"));
    connect(reset, &QPushButton::clicked, this, &TrainingChart::resetZoom);

    auto *bar = new QHBoxLayout;
    bar->addWidget(new QLabel(tr("Smoothing"), this));
    bar->addWidget(m_smoothSlider);
    bar->addWidget(smoothValue);
    bar->addSpacing(12);
    bar->addWidget(m_logBox);
    bar->addStretch(1);
    bar->addWidget(reset);

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(2);
    layout->addLayout(bar);
    layout->addWidget(m_lossView, 3);
    layout->addWidget(m_gradView, 1);

    m_flushTimer.setInterval(250);
    connect(&m_flushTimer, &QTimer::timeout, this, &TrainingChart::flush);
    m_flushTimer.start();
    updateRanges();
    updateTitle();
}

TrainingChart::~TrainingChart()
{
    // The loss axis not in the chart is ours to delete.
    if (m_log)
        delete m_lossLinear;
    else
        delete m_lossLog;
}

void TrainingChart::buildCharts()
{
    m_lossChart = new QChart;
    m_lossChart->setMargins(QMargins(4, 4, 4, 4));
    m_lossChart->legend()->setAlignment(Qt::AlignTop);
    m_lossSeries = lineSeries(tr("loss"), QColor(0x1f, 0x77, 0xb4, 80), 1.0);
    m_smoothSeries = lineSeries(tr("loss (smoothed)"), QColor(0x1f, 0x5f, 0xa8), 2.2);
    m_evalSeries = lineSeries(tr("eval loss"), QColor(0xe6, 0x7e, 0x22), 2.0);
    m_evalSeries->setPointsVisible(true);
    m_evalSeries->setMarkerSize(7);
    m_lrSeries = lineSeries(tr("learning rate"), QColor(0x27, 0xae, 0x60), 1.4, Qt::DashLine);
    m_marker = new QScatterSeries;
    m_marker->setMarkerSize(9);
    m_marker->setColor(QColor(0x1f, 0x5f, 0xa8));
    m_marker->setBorderColor(Qt::white);
    for (QAbstractSeries *s : std::initializer_list<QAbstractSeries *>{
             m_lossSeries, m_smoothSeries, m_evalSeries, m_lrSeries, m_marker})
        m_lossChart->addSeries(s);
    hideFromLegend(m_lossChart, m_marker);

    m_x = new QValueAxis;
    m_x->setTitleText(tr("step"));
    m_x->setLabelFormat(QStringLiteral("%d"));
    m_lossLinear = new QValueAxis;
    m_lossLinear->setTitleText(tr("loss"));
    m_lossLinear->setLabelFormat(QStringLiteral("%.3g"));
    m_lossLog = new QLogValueAxis;
    m_lossLog->setTitleText(tr("loss (log)"));
    m_lossLog->setLabelFormat(QStringLiteral("%.3g"));
    m_lossLog->setMinorTickCount(-1);
    m_lrAxis = new QValueAxis;
    m_lrAxis->setTitleText(tr("learning rate"));
    m_lrAxis->setLabelFormat(QStringLiteral("%.1e"));
    m_lrAxis->setLinePenColor(QColor(0x27, 0xae, 0x60));
    m_lossChart->addAxis(m_x, Qt::AlignBottom);
    m_lossChart->addAxis(m_lossLinear, Qt::AlignLeft);
    m_lossChart->addAxis(m_lrAxis, Qt::AlignRight);
    for (auto *s : lossSeries()) {
        s->attachAxis(m_x);
        s->attachAxis(m_lossLinear);
    }
    m_lrSeries->attachAxis(m_x);
    m_lrSeries->attachAxis(m_lrAxis);

    m_gradChart = new QChart;
    m_gradChart->setMargins(QMargins(4, 0, 4, 4));
    m_gradChart->legend()->setAlignment(Qt::AlignRight);
    m_gradSeries = lineSeries(tr("gradient norm"), QColor(0x8e, 0x44, 0xad), 1.4);
    m_gradChart->addSeries(m_gradSeries);
    m_gradX = new QValueAxis;
    m_gradX->setLabelFormat(QStringLiteral("%d"));
    m_gradY = new QValueAxis;
    m_gradY->setLabelFormat(QStringLiteral("%.3g"));
    m_gradY->setTickCount(3);
    m_gradChart->addAxis(m_gradX, Qt::AlignBottom);
    m_gradChart->addAxis(m_gradY, Qt::AlignLeft);
    m_gradSeries->attachAxis(m_gradX);
    m_gradSeries->attachAxis(m_gradY);

    m_lossView = new TrainingChartView(m_lossChart, this);
    m_lossView->setObjectName(QStringLiteral("lossChartView"));
    m_lossView->setMinimumHeight(220);
    m_gradView = new TrainingChartView(m_gradChart, this);
    m_gradView->setObjectName(QStringLiteral("gradChartView"));
    m_gradView->setMinimumHeight(110);
    for (auto *view : {m_lossView, m_gradView}) {
        view->onZoom = [this] { m_zoomed = true; };
        view->onReset = [this] { resetZoom(); };
        view->onLeave = [this] {
            m_marker->clear();
            QToolTip::hideText();
        };
    }
    m_lossView->onHover = [this](const QPoint &pos, const QPoint &global) {
        if (!m_lossChart->plotArea().contains(pos)) {
            m_marker->clear();
            QToolTip::hideText();
            return;
        }
        hovered(m_lossChart->mapToValue(pos, m_lossSeries), global);
    };
    m_gradView->onHover = [this](const QPoint &pos, const QPoint &global) {
        if (!m_gradChart->plotArea().contains(pos)) {
            QToolTip::hideText();
            return;
        }
        hovered(m_gradChart->mapToValue(pos, m_gradSeries), global);
    };
}

QList<QXYSeries *> TrainingChart::lossSeries() const
{
    QList<QXYSeries *> list = {m_lossSeries, m_smoothSeries, m_evalSeries, m_marker};
    for (const auto &c : m_comparisons)
        list << c.smoothed << c.evalSeries;
    return list;
}

void TrainingChart::clear()
{
    m_pending.clear();
    m_loss.clear();
    m_eval.clear();
    m_lr.clear();
    m_grad.clear();
    m_ema = m_emaWeightSum = 0;
    for (auto *s : std::initializer_list<QXYSeries *>{m_lossSeries, m_smoothSeries, m_evalSeries,
                                                      m_lrSeries, m_gradSeries, m_marker})
        s->clear();
    for (auto &c : m_comparisons) {
        m_lossChart->removeSeries(c.smoothed);
        m_lossChart->removeSeries(c.evalSeries);
        delete c.smoothed;
        delete c.evalSeries;
    }
    m_comparisons.clear();
    for (auto *s : {m_lossSeries, m_smoothSeries, m_evalSeries, m_lrSeries})
        s->setVisible(true);
    m_expectedSteps = 0;
    m_zoomed = false;
    updateRanges();
    updateTitle();
}

void TrainingChart::setPlaceholder(const QString &text)
{
    m_placeholder = text;
    updateTitle();
}

void TrainingChart::updateTitle()
{
    const bool empty = m_loss.isEmpty() && m_eval.isEmpty() && m_comparisons.isEmpty();
    m_lossChart->setTitle(empty ? m_placeholder : QString());
}

void TrainingChart::setExpectedSteps(qint64 steps)
{
    m_expectedSteps = steps;
    updateRanges();
}

void TrainingChart::setRun(const std::vector<wb::TrainPoint> &points, qint64 totalSteps)
{
    clear();
    m_expectedSteps = totalSteps;
    for (const auto &p : points) {
        if (p.loss)
            m_pending[QStringLiteral("loss")] << QPointF(double(p.step), *p.loss);
        if (p.evalLoss)
            m_pending[QStringLiteral("eval_loss")] << QPointF(double(p.step), *p.evalLoss);
        if (p.learningRate)
            m_pending[QStringLiteral("lr")] << QPointF(double(p.step), *p.learningRate);
        if (p.gradNorm)
            m_pending[QStringLiteral("grad_norm")] << QPointF(double(p.step), *p.gradNorm);
        m_expectedSteps = std::max<qint64>(m_expectedSteps, p.totalSteps);
    }
    flush();
}

void TrainingChart::appendMetric(const QString &name, qint64 step, double value)
{
    if (!std::isfinite(value))
        return; // a NaN stops the run; the log says so, the chart keeps its scale
    if (name == QLatin1String("loss") || name == QLatin1String("eval_loss") ||
        name == QLatin1String("lr") || name == QLatin1String("grad_norm"))
        m_pending[name] << QPointF(double(step), value);
}

void TrainingChart::appendPoints(QVector<QPointF> &data, QXYSeries *series,
                                 const QList<QPointF> &points)
{
    if (points.isEmpty())
        return;
    if (!data.isEmpty() && points.first().x() <= data.last().x()) {
        // A resumed run repeats the steps after its last checkpoint: the new points replace
        // the old ones from there on.
        const double from = points.first().x();
        while (!data.isEmpty() && data.last().x() >= from)
            data.removeLast();
        data += points;
        series->replace(QList<QPointF>(data.begin(), data.end()));
        return;
    }
    data += points;
    series->append(points);
}

void TrainingChart::flush()
{
    if (m_pending.isEmpty())
        return;
    const auto pending = std::exchange(m_pending, {});
    const int lossBefore = int(m_loss.size());
    const QList<QPointF> loss = pending.value(QStringLiteral("loss"));
    appendPoints(m_loss, m_lossSeries, loss);
    if (!loss.isEmpty()) {
        if (int(m_loss.size()) != lossBefore + int(loss.size())) {
            rebuildSmoothed(); // history was replaced
        } else {
            const double w = m_smoothing;
            QList<QPointF> smooth;
            smooth.reserve(loss.size());
            for (const QPointF &p : loss) {
                m_ema = m_ema * w + (1 - w) * p.y();
                m_emaWeightSum = m_emaWeightSum * w + (1 - w);
                smooth << QPointF(p.x(), m_ema / m_emaWeightSum);
            }
            m_smoothSeries->append(smooth);
        }
    }
    appendPoints(m_eval, m_evalSeries, pending.value(QStringLiteral("eval_loss")));
    appendPoints(m_lr, m_lrSeries, pending.value(QStringLiteral("lr")));
    appendPoints(m_grad, m_gradSeries, pending.value(QStringLiteral("grad_norm")));
    updateRanges();
    updateTitle();
}

QList<QPointF> TrainingChart::smoothedOf(const QVector<QPointF> &raw) const
{
    // Debiased EMA (as TensorBoard draws it): the first points are not pulled towards zero.
    QList<QPointF> out;
    out.reserve(raw.size());
    double ema = 0, weight = 0;
    for (const QPointF &p : raw) {
        ema = ema * m_smoothing + (1 - m_smoothing) * p.y();
        weight = weight * m_smoothing + (1 - m_smoothing);
        out << QPointF(p.x(), ema / weight);
    }
    return out;
}

void TrainingChart::rebuildSmoothed()
{
    m_ema = m_emaWeightSum = 0;
    for (const QPointF &p : m_loss) {
        m_ema = m_ema * m_smoothing + (1 - m_smoothing) * p.y();
        m_emaWeightSum = m_emaWeightSum * m_smoothing + (1 - m_smoothing);
    }
    m_smoothSeries->replace(smoothedOf(m_loss));
    for (auto &c : m_comparisons)
        c.smoothed->replace(smoothedOf(c.loss));
}

void TrainingChart::setSmoothing(double weight)
{
    weight = std::clamp(weight, 0.0, 0.99);
    if (weight == m_smoothing)
        return;
    m_smoothing = weight;
    if (m_smoothSlider->value() != int(std::lround(weight * 100)))
        m_smoothSlider->setValue(int(std::lround(weight * 100)));
    rebuildSmoothed();
}

void TrainingChart::addComparison(const QString &label, const std::vector<wb::TrainPoint> &points)
{
    Comparison c;
    c.label = label;
    for (const auto &p : points) {
        if (p.loss && std::isfinite(*p.loss))
            c.loss << QPointF(double(p.step), *p.loss);
        if (p.evalLoss && std::isfinite(*p.evalLoss))
            c.eval << QPointF(double(p.step), *p.evalLoss);
        m_expectedSteps = std::max<qint64>(m_expectedSteps, p.totalSteps);
    }
    const QColor color = seriesColors()[m_comparisons.size() % seriesColors().size()];
    c.smoothed = lineSeries(label, color, 2.0);
    c.evalSeries = lineSeries(tr("%1 (eval)").arg(label), color, 1.2, Qt::DashLine);
    c.evalSeries->setPointsVisible(true);
    c.smoothed->replace(smoothedOf(c.loss));
    c.evalSeries->replace(QList<QPointF>(c.eval.begin(), c.eval.end()));
    QAbstractAxis *y = m_log ? static_cast<QAbstractAxis *>(m_lossLog) : m_lossLinear;
    for (QLineSeries *s : {c.smoothed, c.evalSeries}) {
        m_lossChart->addSeries(s);
        s->attachAxis(m_x);
        s->attachAxis(y);
    }
    if (c.eval.isEmpty())
        hideFromLegend(m_lossChart, c.evalSeries);
    m_comparisons << c;
    // Comparing: the single-run series and the learning rate step aside.
    for (auto *s : {m_lossSeries, m_smoothSeries, m_evalSeries, m_lrSeries})
        s->setVisible(false);
    for (auto *s : {m_lossSeries, m_smoothSeries, m_evalSeries, m_lrSeries})
        hideFromLegend(m_lossChart, s);
    updateRanges();
    updateTitle();
}

void TrainingChart::swapLossAxis(QAbstractAxis *to)
{
    QAbstractAxis *from = to == m_lossLog ? static_cast<QAbstractAxis *>(m_lossLinear) : m_lossLog;
    const auto series = lossSeries();
    for (auto *s : series)
        s->detachAxis(from);
    m_lossChart->removeAxis(from); // ownership returns to us
    m_lossChart->addAxis(to, Qt::AlignLeft);
    for (auto *s : series)
        s->attachAxis(to);
}

void TrainingChart::setLogScale(bool on)
{
    if (on == m_log)
        return;
    m_log = on;
    swapLossAxis(on ? static_cast<QAbstractAxis *>(m_lossLog) : m_lossLinear);
    if (m_logBox->isChecked() != on)
        m_logBox->setChecked(on);
    m_zoomed = false;
    updateRanges();
}

void TrainingChart::resetZoom()
{
    m_lossChart->zoomReset();
    m_gradChart->zoomReset();
    m_zoomed = false;
    updateRanges();
}

void TrainingChart::updateRanges()
{
    if (m_zoomed)
        return;
    double maxX = double(std::max<qint64>(m_expectedSteps, 1));
    double lo = INFINITY, hi = -INFINITY;
    auto scan = [&](const QVector<QPointF> &data) {
        for (const QPointF &p : data) {
            maxX = std::max(maxX, p.x());
            if (p.y() > 0 || !m_log) {
                lo = std::min(lo, p.y());
                hi = std::max(hi, p.y());
            }
        }
    };
    scan(m_loss);
    scan(m_eval);
    for (const auto &c : m_comparisons) {
        scan(c.loss);
        scan(c.eval);
    }
    // Round ticks (0, 20, 40, …) rather than the range split into equal odd parts.
    const double raw = maxX / 5;
    const double mag = std::pow(10, std::floor(std::log10(std::max(raw, 1.0))));
    const double interval = std::max(1.0, (raw / mag < 1.5 ? 1 : raw / mag < 3.5 ? 2 : 5) * mag);
    for (QValueAxis *x : {m_x, m_gradX}) {
        if (x->min() == 0 && x->max() == maxX && x->tickInterval() == interval &&
            x->tickType() == QValueAxis::TicksDynamic)
            continue;
        // Never let a new range meet an old interval (100000 steps at interval 1 would lay
        // out 100000 ticks): fixed ticks while both change.
        x->setTickType(QValueAxis::TicksFixed);
        x->setRange(0, maxX);
        x->setTickAnchor(0);
        x->setTickInterval(interval);
        x->setTickType(QValueAxis::TicksDynamic);
    }
    if (!std::isfinite(lo)) {
        lo = m_log ? 0.1 : 0;
        hi = m_log ? 10 : 1;
    }
    if (m_log) {
        const double ratio = hi / lo;
        // Ticks sit at powers of the base: base 10 needs the curve to span decades, a short
        // range gets a finer base so that it still has labels.
        m_lossLog->setBase(ratio >= 100 ? 10.0 : std::max(1.05, std::pow(ratio * 1.2, 0.25)));
        m_lossLog->setRange(lo / 1.05, hi * 1.05);
    } else {
        const double pad = std::max((hi - lo) * 0.05, 1e-3);
        m_lossLinear->setRange(std::max(0.0, lo - pad), hi + pad);
    }
    double maxLr = 0;
    for (const QPointF &p : m_lr)
        maxLr = std::max(maxLr, p.y());
    m_lrAxis->setRange(0, maxLr > 0 ? maxLr * 1.1 : 1e-3);
    m_lrAxis->setVisible(!m_lr.isEmpty() && m_comparisons.isEmpty());
    double maxGrad = 0;
    for (const QPointF &p : m_grad)
        maxGrad = std::max(maxGrad, p.y());
    m_gradY->setRange(0, maxGrad > 0 ? maxGrad * 1.1 : 1);
}

QString TrainingChart::hoverText(double step) const
{
    QStringList lines;
    auto valueAt = [step](const QVector<QPointF> &data, double *atStep) -> std::optional<double> {
        const int i = nearest(data, step);
        if (i < 0)
            return std::nullopt;
        *atStep = data[i].x();
        return data[i].y();
    };
    double at = 0;
    if (m_comparisons.isEmpty()) {
        if (auto v = valueAt(m_loss, &at)) {
            lines << tr("step %1").arg(qint64(at));
            lines << tr("loss %1").arg(num(*v));
            const int i = nearest(m_loss, step);
            if (i < m_smoothSeries->count())
                lines << tr("smoothed %1").arg(num(m_smoothSeries->at(i).y()));
        }
        double evalAt = 0;
        if (auto v = valueAt(m_eval, &evalAt))
            lines << tr("eval loss %1 (step %2)").arg(num(*v)).arg(qint64(evalAt));
        double lrAt = 0;
        if (auto v = valueAt(m_lr, &lrAt))
            lines << tr("learning rate %1").arg(QString::number(*v, 'e', 2));
        double gAt = 0;
        if (auto v = valueAt(m_grad, &gAt))
            lines << tr("gradient norm %1").arg(num(*v));
    } else {
        lines << tr("step %1").arg(qint64(std::lround(std::max(0.0, step))));
        for (const auto &c : m_comparisons) {
            QString line = c.label + QStringLiteral(": ");
            if (auto v = valueAt(c.loss, &at))
                line += tr("loss %1").arg(num(*v));
            double evalAt = 0;
            if (auto v = valueAt(c.eval, &evalAt))
                line += QStringLiteral(" · ") +
                        tr("eval loss %1 (step %2)").arg(num(*v)).arg(qint64(evalAt));
            lines << line;
        }
    }
    return lines.join(QLatin1Char('\n'));
}

void TrainingChart::hovered(const QPointF &value, const QPoint &globalPos)
{
    const QString text = hoverText(value.x());
    if (text.isEmpty()) {
        QToolTip::hideText();
        return;
    }
    m_marker->clear();
    if (m_comparisons.isEmpty()) {
        const int i = nearest(m_loss, value.x());
        if (i >= 0)
            m_marker->append(m_loss[i]);
    }
    QToolTip::showText(globalPos + QPoint(14, 10), text, this);
}

} // namespace wbui

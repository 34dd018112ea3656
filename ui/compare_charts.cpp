#include "compare_charts.h"

#include <QBarCategoryAxis>
#include <QBarSeries>
#include <QBarSet>
#include <QChart>
#include <QChartView>
#include <QComboBox>
#include <QFrame>
#include <QHBoxLayout>
#include <QHorizontalBarSeries>
#include <QLabel>
#include <QLegend>
#include <QLegendMarker>
#include <QLineSeries>
#include <QScrollArea>
#include <QTabWidget>
#include <QToolTip>
#include <QVBoxLayout>
#include <QValueAxis>

#include <algorithm>

namespace wbui {

namespace {

constexpr int kMaxAccuracyBars = 40;
constexpr int kMaxBreakdownCells = 8;

const QList<QColor> &chartColors()
{
    static const QList<QColor> colors = {QColor(0x1f, 0x77, 0xb4), QColor(0xff, 0x7f, 0x0e),
                                         QColor(0x2c, 0xa0, 0x2c), QColor(0xd6, 0x27, 0x28),
                                         QColor(0x94, 0x67, 0xbd), QColor(0x8c, 0x56, 0x4b),
                                         QColor(0xe3, 0x77, 0xc2), QColor(0x7f, 0x7f, 0x7f)};
    return colors;
}

QChart *newChart(const QString &title)
{
    auto *chart = new QChart;
    chart->setTitle(title);
    chart->setMargins(QMargins(4, 4, 4, 4));
    chart->setAnimationOptions(QChart::NoAnimation);
    // Cells' names are long: a legend beside the plot lists them one per line.
    chart->legend()->setAlignment(Qt::AlignRight);
    return chart;
}

QValueAxis *percentAxis(const QString &title)
{
    auto *axis = new QValueAxis;
    axis->setRange(0, 100);
    axis->setTickCount(5);
    axis->setLabelFormat(QStringLiteral("%d%%"));
    axis->setTitleText(title);
    return axis;
}

// Below this height a chart's axis labels are elided: smaller windows scroll instead.
QScrollArea *scrolled(QChartView *view)
{
    view->setMinimumHeight(260);
    auto *area = new QScrollArea(view->parentWidget());
    area->setWidget(view);
    area->setWidgetResizable(true);
    area->setFrameShape(QFrame::NoFrame);
    return area;
}

// Every cell and ensemble with an answered question, in matrix order.
std::vector<const wb::CellResult *> answeredCells(const wb::CompareResults &r)
{
    std::vector<const wb::CellResult *> out;
    for (const auto &c : r.cells)
        if (c.answered)
            out.push_back(&c);
    for (const auto &c : r.ensembles)
        if (c.answered)
            out.push_back(&c);
    return out;
}

} // namespace

CompareCharts::CompareCharts(QWidget *parent) : QWidget(parent)
{
    auto view = [this](const char *name) {
        auto *v = new QChartView(newChart(QString()), this);
        v->setObjectName(QLatin1String(name));
        v->setRenderHint(QPainter::Antialiasing);
        v->setMinimumHeight(160);
        return v;
    };
    m_accuracy = view("accuracyChart");
    m_breakdown = view("breakdownChart");
    m_votes = view("votesChart");

    m_field = new QComboBox(this);
    m_field->setObjectName(QStringLiteral("breakdownField"));
    m_field->setToolTip(tr("The question field to group by"));
    connect(m_field, &QComboBox::currentIndexChanged, this, &CompareCharts::drawBreakdown);
    auto *breakdown = new QWidget(this);
    auto *bl = new QVBoxLayout(breakdown);
    bl->setContentsMargins(0, 0, 0, 0);
    auto *bar = new QHBoxLayout;
    bar->addWidget(new QLabel(tr("Group by"), this));
    bar->addWidget(m_field);
    bar->addStretch(1);
    bl->addLayout(bar);
    bl->addWidget(scrolled(m_breakdown), 1);

    m_tabs = new QTabWidget(this);
    m_tabs->setObjectName(QStringLiteral("chartTabs"));
    m_tabs->setDocumentMode(true);
    // A bar per cell needs room for its label: the chart grows with the cells and scrolls.
    m_tabs->addTab(scrolled(m_accuracy), tr("Accuracy per cell"));
    m_tabs->addTab(breakdown, tr("Breakdown"));
    m_tabs->addTab(scrolled(m_votes), tr("Accuracy by votes"));
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_tabs);
}

CompareCharts::~CompareCharts() = default;

void CompareCharts::replace(QChartView *view, QChart *chart)
{
    QChart *old = view->chart();
    view->setChart(chart);
    delete old; // the view gives up the old chart without deleting it
}

void CompareCharts::setResults(CompareResultsPtr results)
{
    m_results = std::move(results);
    {
        const QString keep = m_field->currentText();
        const QSignalBlocker block(m_field);
        m_field->clear();
        try {
            if (m_results)
                for (const auto &f : wb::breakdownFields(*m_results))
                    m_field->addItem(qs(f));
        } catch (const std::exception &) {
            // No field to group by: the breakdown chart says so.
        }
        const int i = m_field->findText(keep);
        if (i >= 0)
            m_field->setCurrentIndex(i);
    }
    drawAccuracy();
    drawBreakdown();
    drawVotes();
}

void CompareCharts::drawAccuracy()
{
    m_accuracyBars = 0;
    auto *chart = newChart(tr("Accuracy per cell, with 95% intervals"));
    if (!m_results) {
        replace(m_accuracy, chart);
        return;
    }
    auto cells = answeredCells(*m_results);
    if (int(cells.size()) > kMaxAccuracyBars)
        cells.resize(kMaxAccuracyBars);
    // Horizontal bars, first cell at the top: long labels read along the left axis.
    std::reverse(cells.begin(), cells.end());
    auto *set = new QBarSet(tr("accuracy"));
    set->setColor(QColor(0x85, 0xc1, 0xe9));
    set->setLabelColor(QColor(0x1b, 0x26, 0x31));
    QStringList categories;
    for (const auto *c : cells) {
        *set << c->accuracy * 100;
        categories << cellShortName(*c, 48);
    }
    auto *series = new QHorizontalBarSeries;
    series->append(set);
    series->setBarWidth(0.6);
    series->setLabelsVisible(true);
    series->setLabelsFormat(QStringLiteral("@value%"));
    series->setLabelsPrecision(3);
    series->setLabelsPosition(QAbstractBarSeries::LabelsInsideBase);
    chart->addSeries(series);
    auto *y = new QBarCategoryAxis;
    y->append(categories);
    auto *x = percentAxis(tr("accuracy"));
    chart->addAxis(x, Qt::AlignBottom);
    chart->addAxis(y, Qt::AlignLeft);
    series->attachAxis(x);
    series->attachAxis(y);
    // The interval: a line from its low to its high end at the bar's position.
    for (size_t i = 0; i < cells.size(); ++i) {
        auto *err = new QLineSeries;
        QPen pen(QColor(0x1b, 0x26, 0x31));
        pen.setWidthF(2);
        err->setPen(pen);
        err->append(cells[i]->ci95.first * 100, double(i));
        err->append(cells[i]->ci95.second * 100, double(i));
        chart->addSeries(err);
        err->attachAxis(x);
        err->attachAxis(y);
        for (auto *m : chart->legend()->markers(err))
            m->setVisible(false);
    }
    connect(set, &QBarSet::hovered, this, [cells](bool on, int index) {
        if (!on || index < 0 || size_t(index) >= cells.size()) {
            QToolTip::hideText();
            return;
        }
        QToolTip::showText(QCursor::pos(), cellTooltip(*cells[size_t(index)]));
    });
    chart->legend()->setVisible(false);
    m_accuracyBars = int(cells.size());
    m_accuracy->setMinimumHeight(std::max(260, 90 + 26 * m_accuracyBars));
    replace(m_accuracy, chart);
}

void CompareCharts::drawBreakdown()
{
    m_breakdownGroups = 0;
    const QString field = m_field->currentText();
    auto *chart =
        newChart(field.isEmpty() ? tr("No field to group by") : tr("Accuracy by %1").arg(field));
    if (!m_results || field.isEmpty()) {
        replace(m_breakdown, chart);
        return;
    }
    auto cells = answeredCells(*m_results);
    const bool cut = int(cells.size()) > kMaxBreakdownCells;
    if (cut) {
        // The best cells, in matrix order.
        auto sorted = cells;
        std::stable_sort(sorted.begin(), sorted.end(),
                         [](auto *a, auto *b) { return a->accuracy > b->accuracy; });
        sorted.resize(kMaxBreakdownCells);
        std::erase_if(cells, [&](auto *c) {
            return std::find(sorted.begin(), sorted.end(), c) == sorted.end();
        });
        chart->setTitle(
            tr("Accuracy by %1 (the %2 best cells)").arg(field).arg(kMaxBreakdownCells));
    }
    QStringList groups;
    std::vector<std::vector<wb::GroupAccuracy>> rows;
    try {
        for (const auto *c : cells) {
            rows.push_back(wb::breakdown(*c, *m_results, field.toStdString()));
            for (const auto &g : rows.back())
                if (!groups.contains(qs(g.group)))
                    groups << qs(g.group);
        }
    } catch (const std::exception &e) {
        chart->setTitle(QString::fromUtf8(e.what()));
        replace(m_breakdown, chart);
        return;
    }
    auto *series = new QBarSeries;
    for (size_t i = 0; i < cells.size(); ++i) {
        auto *set = new QBarSet(cellShortName(*cells[i], 34));
        set->setColor(chartColors()[int(i) % chartColors().size()]);
        std::vector<wb::GroupAccuracy> byGroup(size_t(groups.size()));
        for (const auto &g : rows[i])
            byGroup[size_t(groups.indexOf(qs(g.group)))] = g;
        for (const auto &g : byGroup)
            *set << g.accuracy() * 100;
        const QString label = qs(cells[i]->label);
        connect(set, &QBarSet::hovered, this, [byGroup, groups, label](bool on, int index) {
            if (!on || index < 0 || index >= groups.size()) {
                QToolTip::hideText();
                return;
            }
            const auto &g = byGroup[size_t(index)];
            QToolTip::showText(QCursor::pos(), QStringLiteral("%1\n%2: %3 (%4/%5)")
                                                   .arg(label, groups[index], percent(g.accuracy()))
                                                   .arg(g.correct)
                                                   .arg(g.answered));
        });
        series->append(set);
    }
    chart->addSeries(series);
    auto *x = new QBarCategoryAxis;
    x->append(groups);
    auto *y = percentAxis(tr("accuracy"));
    chart->addAxis(x, Qt::AlignBottom);
    chart->addAxis(y, Qt::AlignLeft);
    series->attachAxis(x);
    series->attachAxis(y);
    m_breakdownGroups = int(groups.size());
    replace(m_breakdown, chart);
}

void CompareCharts::drawVotes()
{
    m_votesSeries = 0;
    auto *chart = newChart(tr("Accuracy by the number of votes counted"));
    int maxK = 1;
    auto *x = new QValueAxis;
    x->setLabelFormat(QStringLiteral("%d"));
    x->setTitleText(tr("votes (the first k samples of each question)"));
    auto *y = percentAxis(tr("accuracy"));
    chart->addAxis(x, Qt::AlignBottom);
    chart->addAxis(y, Qt::AlignLeft);
    if (m_results) {
        int colour = 0;
        for (const auto &c : m_results->cells) {
            if (c.samples <= 1 || !c.answered)
                continue;
            std::vector<double> acc;
            try {
                acc = wb::accuracyByVotes(c, *m_results);
            } catch (const std::exception &) {
                continue; // a cell without votes to count has no curve
            }
            auto *s = new QLineSeries;
            s->setName(cellShortName(c, 34));
            QPen pen(chartColors()[colour++ % chartColors().size()]);
            pen.setWidthF(2);
            s->setPen(pen);
            s->setPointsVisible(true);
            for (size_t k = 0; k < acc.size(); ++k)
                s->append(double(k + 1), acc[k] * 100);
            maxK = std::max(maxK, int(acc.size()));
            chart->addSeries(s);
            s->attachAxis(x);
            s->attachAxis(y);
            ++m_votesSeries;
        }
    }
    x->setRange(1, std::max(2, maxK));
    x->setTickCount(std::min(std::max(2, maxK), 11));
    if (m_votesSeries == 0)
        chart->setTitle(tr("Accuracy by votes: no cell has more than one sample per question "
                           "(add a decoding such as \"5 votes, T=0.7\")"));
    replace(m_votes, chart);
}

} // namespace wbui

#include "dataset_stats_view.h"

#include <QBarCategoryAxis>
#include <QBarSeries>
#include <QBarSet>
#include <QChart>
#include <QChartView>
#include <QGridLayout>
#include <QLabel>
#include <QValueAxis>

namespace wbui {

namespace {

QChart *barChart(const QString &title, const QStringList &categories, const QList<qreal> &values)
{
    auto *set = new QBarSet(title);
    for (qreal v : values)
        *set << v;
    set->setColor(QColor(0x2e, 0x86, 0xc1));
    auto *series = new QBarSeries;
    series->append(set);
    series->setLabelsVisible(true);
    auto *chart = new QChart;
    chart->addSeries(series);
    chart->setTitle(title);
    chart->legend()->hide();
    auto *x = new QBarCategoryAxis;
    x->append(categories);
    chart->addAxis(x, Qt::AlignBottom);
    series->attachAxis(x);
    auto *y = new QValueAxis;
    qreal max = 1;
    for (qreal v : values)
        max = qMax(max, v);
    y->setRange(0, max * 1.15);
    y->setLabelFormat(QStringLiteral("%d"));
    chart->addAxis(y, Qt::AlignLeft);
    series->attachAxis(y);
    chart->setMargins(QMargins(4, 4, 4, 4));
    return chart;
}

} // namespace

DatasetStatsView::DatasetStatsView(QWidget *parent) : QWidget(parent)
{
    m_summary = new QLabel(this);
    m_summary->setObjectName(QStringLiteral("statsSummary"));
    m_summary->setTextFormat(Qt::RichText);
    m_summary->setAlignment(Qt::AlignTop | Qt::AlignLeft);
    m_summary->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_lengths = new QLabel(this);
    m_lengths->setTextFormat(Qt::RichText);
    m_lengths->setAlignment(Qt::AlignTop | Qt::AlignLeft);
    m_answers = new QChartView(this);
    m_options = new QChartView(this);
    for (auto *v : {m_answers, m_options}) {
        v->setRenderHint(QPainter::Antialiasing);
        v->setMinimumHeight(220);
    }
    auto *grid = new QGridLayout(this);
    grid->addWidget(m_summary, 0, 0);
    grid->addWidget(m_lengths, 0, 1);
    grid->addWidget(m_answers, 1, 0);
    grid->addWidget(m_options, 1, 1);
    grid->setRowStretch(1, 1);
    clear();
}

void DatasetStatsView::clear()
{
    m_summary->setText(tr("No dataset selected."));
    m_lengths->clear();
    m_answers->setChart(new QChart);
    m_options->setChart(new QChart);
}

QString DatasetStatsView::summaryText() const { return m_summary->text(); }

void DatasetStatsView::setStats(const wb::DatasetStats &s)
{
    QString html = QStringLiteral("<table cellpadding='3'>");
    auto row = [&html](const QString &k, const QString &v) {
        html += QStringLiteral("<tr><td><b>%1</b></td><td>%2</td></tr>").arg(k, v);
    };
    row(tr("Format"), QString::fromUtf8(wb::formatName(s.format)));
    row(tr("Rows"), QString::number(s.rows));
    if (s.format == wb::DatasetFormat::Logic) {
        row(tr("Sub-questions"), QString::number(s.subQuestions));
        row(tr("With answers"), QString::number(s.answered));
    }
    for (const auto &[role, n] : s.roles)
        row(tr("Messages (%1)").arg(QString::fromStdString(role)), QString::number(n));
    html += QStringLiteral("</table>");
    m_summary->setText(html);

    QString lengths = QStringLiteral("<table cellpadding='3'><tr><th align='left'>%1</th><th>%2</th>"
                                     "<th>%3</th><th>%4</th><th>%5</th><th>%6</th></tr>")
                          .arg(tr("Field"), tr("min"), tr("mean"), tr("median"), tr("p95"), tr("max"));
    for (const auto &[field, l] : s.lengths)
        lengths += QStringLiteral("<tr><td>%1</td><td align='right'>%2</td><td align='right'>%3</td>"
                                  "<td align='right'>%4</td><td align='right'>%5</td>"
                                  "<td align='right'>%6</td></tr>")
                       .arg(QString::fromStdString(field))
                       .arg(l.min)
                       .arg(l.mean, 0, 'f', 1)
                       .arg(l.p50)
                       .arg(l.p95)
                       .arg(l.max);
    lengths += QStringLiteral("</table><p><i>%1</i></p>").arg(tr("Lengths in characters."));
    m_lengths->setText(lengths);

    if (s.format == wb::DatasetFormat::Logic) {
        QStringList cats;
        QList<qreal> vals;
        for (const auto &[letter, n] : s.answerLetters) {
            cats << QString::fromStdString(letter);
            vals << n;
        }
        m_answers->setChart(barChart(tr("Answer letters"), cats, vals));
        cats.clear();
        vals.clear();
        for (const auto &[k, n] : s.optionCounts) {
            cats << tr("%n option(s)", nullptr, static_cast<int>(k));
            vals << n;
        }
        m_options->setChart(barChart(tr("Questions by number of options"), cats, vals));
    } else {
        QStringList cats;
        QList<qreal> vals;
        for (const auto &[field, l] : s.lengths) {
            cats << QString::fromStdString(field);
            vals << l.mean;
        }
        m_answers->setChart(barChart(tr("Mean length by field"), cats, vals));
        m_options->setChart(new QChart);
    }
}

} // namespace wbui

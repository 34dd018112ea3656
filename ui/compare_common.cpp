#include "compare_common.h"

#include <QHeaderView>

#include <QCoreApplication>
#include <QDateTime>
#include <QSaveFile>

#include <algorithm>
#include <cmath>

namespace wbui {

namespace {

// Free functions' strings, translated in one context.
class CompareText
{
    Q_DECLARE_TR_FUNCTIONS(wbui::CompareText)
};

} // namespace

CompareLayout CompareLayout::of(const wb::CompareResults &r)
{
    const wb::Experiment &e = r.run.experiment;
    CompareLayout l;
    l.cells = wb::experimentCells(e);
    for (size_t i = 0; i < l.cells.size(); ++i)
        l.byId[l.cells[i].id] = i;
    l.values.resize(kCompareDims);
    for (const auto &v : e.variants)
        l.values[0] << qs(v.displayName());
    for (const auto &t : e.templates)
        l.values[1] << qs(t);
    for (const auto &g : e.rag)
        l.values[2] << (g.enabled ? qs(g.displayName()) : CompareText::tr("RAG off"));
    for (const auto &d : e.decoding)
        l.values[3] << decodingName(d);
    return l;
}

QString CompareLayout::label(CompareDim d, size_t index) const
{
    const QStringList &v = values[size_t(d)];
    return index < size_t(v.size()) ? v[qsizetype(index)] : QString();
}

size_t CompareLayout::indexOf(const wb::Cell &c, CompareDim d)
{
    switch (d) {
    case CompareDim::Variant:
        return c.variant;
    case CompareDim::Template:
        return c.templ;
    case CompareDim::Rag:
        return c.rag;
    case CompareDim::Decoding:
        return c.decoding;
    }
    return 0;
}

QString decodingName(const wb::Decoding &d)
{
    if (!d.label.empty())
        return qs(d.label);
    if (d.greedy())
        return CompareText::tr("greedy");
    return CompareText::tr("%1 × T=%2").arg(d.samples).arg(double(d.temperature), 0, 'g', 3);
}

QString percent(double fraction)
{
    return QStringLiteral("%1%").arg(fraction * 100, 0, 'f', 1);
}

QString accuracyWithInterval(const wb::CellResult &c)
{
    if (c.answered == 0)
        return QStringLiteral("–");
    return QStringLiteral("%1 [%2–%3]")
        .arg(percent(c.accuracy))
        .arg(c.ci95.first * 100, 0, 'f', 1)
        .arg(c.ci95.second * 100, 0, 'f', 1);
}

QColor scoreColor(double accuracy)
{
    // Hue 0 (red) .. 120 (green), pale: the text on top must stay readable in both themes'
    // default (dark) text colour.
    const double a = std::clamp(accuracy, 0.0, 1.0);
    return QColor::fromHsvF(float(a * 120.0 / 360.0), 0.35f, 0.97f);
}

QString cellTooltip(const wb::CellResult &c)
{
    QStringList lines;
    lines << QStringLiteral("%1 — %2").arg(qs(c.id), qs(c.label));
    if (!c.members.empty()) {
        QStringList m;
        for (const auto &id : c.members)
            m << qs(id);
        lines << CompareText::tr("Ensemble of %1").arg(m.join(QStringLiteral(", ")));
    }
    lines << CompareText::tr("Accuracy: %1 (%2 of %3 answered)")
                 .arg(percent(c.accuracy))
                 .arg(c.correct)
                 .arg(c.answered);
    lines << CompareText::tr("95% interval (Wilson): %1 – %2")
                 .arg(percent(c.ci95.first), percent(c.ci95.second));
    lines << CompareText::tr("Unextracted: %1 (%2)")
                 .arg(c.unextracted)
                 .arg(percent(c.answered ? double(c.unextracted) / double(c.answered) : 0));
    if (c.members.empty()) {
        lines << CompareText::tr("Mean output tokens: %1").arg(c.meanOutputTokens, 0, 'f', 1);
        lines << CompareText::tr("Mean latency: %1 s · first token %2 s")
                     .arg(c.meanLatency, 0, 'f', 3)
                     .arg(c.meanTtft, 0, 'f', 3);
        lines << CompareText::tr("Tokens/s: %1").arg(c.tokensPerSecond, 0, 'f', 1);
        lines << CompareText::tr("Samples: %1 of %2 done (%3 from the cache), %4 per question")
                     .arg(c.doneSamples)
                     .arg(c.totalSamples)
                     .arg(c.cachedSamples)
                     .arg(c.samples);
    }
    return lines.join(QLatin1Char('\n'));
}

QString cellShortName(const wb::CellResult &c, int maxChars)
{
    QString s = QStringLiteral("%1 · %2").arg(qs(c.id), qs(c.label));
    if (s.size() > maxChars)
        s = s.left(maxChars - 1) + QChar(0x2026);
    return s;
}

QString localTime(const std::string &iso)
{
    if (iso.empty())
        return {};
    QDateTime t = QDateTime::fromString(qs(iso), Qt::ISODateWithMs);
    if (!t.isValid())
        t = QDateTime::fromString(qs(iso), Qt::ISODate);
    return t.isValid() ? t.toLocalTime().toString(QStringLiteral("yyyy-MM-dd HH:mm:ss")) : qs(iso);
}

QString writeTextFile(const QString &path, const QByteArray &bytes)
{
    QSaveFile f(path);
    if (!f.open(QIODevice::WriteOnly))
        return f.errorString();
    if (f.write(bytes) != bytes.size()) {
        const QString e = f.errorString();
        f.cancelWriting();
        return e;
    }
    if (!f.commit())
        return f.errorString();
    return {};
}

void setUpQuestionTable(QTableWidget *table)
{
    table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    table->setSelectionBehavior(QAbstractItemView::SelectRows);
    table->setSelectionMode(QAbstractItemView::SingleSelection);
    table->verticalHeader()->setVisible(false);
    table->verticalHeader()->setDefaultSectionSize(table->fontMetrics().height() + 8);
    table->setWordWrap(false);
}

int visibleRows(const QTableWidget *table)
{
    int n = 0;
    for (int r = 0; r < table->rowCount(); ++r)
        n += !table->isRowHidden(r);
    return n;
}

} // namespace wbui

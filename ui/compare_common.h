#pragma once

// What the Compare tab's parts share: the results they show (read once per refresh and handed
// around as an immutable snapshot), the dimensions of an experiment's matrix and the formatting
// of scores, so the matrix, the tables, the charts and the exports show the same numbers.

#include "eval/compare.h"

#include <QColor>
#include <QString>
#include <QTableWidget>
#include <QStringList>

#include <map>
#include <memory>
#include <vector>

namespace wbui {

using CompareResultsPtr = std::shared_ptr<const wb::CompareResults>;

inline QString qs(const std::string &s)
{
    return QString::fromStdString(s);
}

// The four axes of an experiment, in the order the cells are made (variants × templates × rag
// × decoding).
enum class CompareDim { Variant = 0, Template = 1, Rag = 2, Decoding = 3 };
constexpr int kCompareDims = 4;

// Each cell of a run with its place along every dimension, in cell order; also the labels of
// every dimension's values. Built once per results snapshot.
struct CompareLayout
{
    std::vector<wb::Cell> cells;
    std::map<std::string, size_t> byId; // cell id -> index in cells
    std::vector<QStringList> values;    // per dimension: its values' labels

    static CompareLayout of(const wb::CompareResults &r);
    int count(CompareDim d) const { return int(values[size_t(d)].size()); }
    QString label(CompareDim d, size_t index) const;
    static size_t indexOf(const wb::Cell &c, CompareDim d);
};

QString decodingName(const wb::Decoding &d);

// "62.5%" (one decimal).
QString percent(double fraction);
// "62.5% [48.1–75.2]"
QString accuracyWithInterval(const wb::CellResult &c);
// Background for a score between 0 and 1: red, amber, green; light enough for dark text.
QColor scoreColor(double accuracy);
// A multi-line description of a cell or ensemble: every number the tab knows about it.
QString cellTooltip(const wb::CellResult &c);
// Short cell name for charts and combos: "c3 · demo-model · logic-direct".
QString cellShortName(const wb::CellResult &c, int maxChars = 60);

// A stored UTC time ("2026-01-02T03:04:05.678Z") as local time for people; "" stays "".
QString localTime(const std::string &iso);

// A read-only, row-selecting table of one line per question, as both question views show.
void setUpQuestionTable(QTableWidget *table);
// Rows of a table not hidden by its filter.
int visibleRows(const QTableWidget *table);

// Writes text to a file atomically (QSaveFile); returns an error message, empty on success.
QString writeTextFile(const QString &path, const QByteArray &bytes);

} // namespace wbui

#include "compare_matrix.h"

#include <QComboBox>
#include <QFont>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QItemSelectionModel>
#include <QLabel>
#include <QMenu>
#include <QTableView>
#include <QVBoxLayout>

#include <algorithm>

namespace wbui {

// ------------------------------------------------------------------------------- the model

CompareMatrixModel::CompareMatrixModel(QObject *parent) : QAbstractTableModel(parent) {}

void CompareMatrixModel::setResults(CompareResultsPtr results)
{
    beginResetModel();
    m_results = std::move(results);
    m_layout = m_results ? CompareLayout::of(*m_results) : CompareLayout{};
    rebuild();
    endResetModel();
}

void CompareMatrixModel::setAxes(int rowDim, int colDim)
{
    beginResetModel();
    m_rowDim = std::clamp(rowDim, 0, kCompareDims - 1);
    m_colDim = colDim == m_rowDim ? -1 : std::clamp(colDim, -1, kCompareDims - 1);
    rebuild();
    endResetModel();
}

void CompareMatrixModel::setMeasure(Measure m)
{
    m_measure = m;
    if (rowCount() && columnCount())
        Q_EMIT dataChanged(index(0, 0), index(rowCount() - 1, columnCount() - 1));
    Q_EMIT headerDataChanged(Qt::Horizontal, 0, std::max(0, columnCount() - 1));
}

void CompareMatrixModel::rebuild()
{
    m_rows.clear();
    m_grid.clear();
    m_best.clear();
    if (!m_results)
        return;
    if (const auto *best = m_results->best())
        m_best = best->id;
    std::vector<std::pair<Key, const wb::CellResult *>> keyed;
    for (const auto &c : m_results->cells) {
        const auto it = m_layout.byId.find(c.id);
        if (it == m_layout.byId.end())
            continue;
        Key k;
        for (int d = 0; d < kCompareDims; ++d)
            k[size_t(d)] = int(CompareLayout::indexOf(m_layout.cells[it->second], CompareDim(d)));
        if (m_colDim >= 0)
            k[size_t(m_colDim)] = -1;
        keyed.push_back({k, &c});
    }
    // Rows ordered by the chosen dimension first, then the others in experiment order.
    auto order = [this](const Key &a, const Key &b) {
        if (a[size_t(m_rowDim)] != b[size_t(m_rowDim)])
            return a[size_t(m_rowDim)] < b[size_t(m_rowDim)];
        return a < b;
    };
    for (const auto &[k, c] : keyed)
        if (std::find(m_rows.begin(), m_rows.end(), k) == m_rows.end())
            m_rows.push_back(k);
    std::sort(m_rows.begin(), m_rows.end(), order);
    for (const auto &[k, c] : keyed) {
        const int row = int(std::find(m_rows.begin(), m_rows.end(), k) - m_rows.begin());
        const auto it = m_layout.byId.find(c->id);
        const int col =
            m_colDim < 0
                ? 0
                : int(CompareLayout::indexOf(m_layout.cells[it->second], CompareDim(m_colDim)));
        m_grid[{row, col}] = c;
    }
}

const wb::CellResult *CompareMatrixModel::at(int row, int col) const
{
    if (!m_results || row < 0)
        return nullptr;
    if (isEnsembleRow(row)) {
        const size_t e = size_t(row) - m_rows.size();
        return col == 0 && e < m_results->ensembles.size() ? &m_results->ensembles[e] : nullptr;
    }
    const auto it = m_grid.find({row, col});
    return it == m_grid.end() ? nullptr : it->second;
}

int CompareMatrixModel::rowCount(const QModelIndex &parent) const
{
    if (parent.isValid() || !m_results)
        return 0;
    return int(m_rows.size() + m_results->ensembles.size());
}

int CompareMatrixModel::columnCount(const QModelIndex &parent) const
{
    if (parent.isValid() || !m_results)
        return 0;
    return m_colDim < 0 ? 1 : std::max(1, m_layout.count(CompareDim(m_colDim)));
}

QString CompareMatrixModel::display(const wb::CellResult &c) const
{
    QString s;
    switch (m_measure) {
    case Measure::Accuracy:
        s = accuracyWithInterval(c);
        break;
    case Measure::Correct:
        s = tr("%1 of %2").arg(c.correct).arg(c.answered);
        break;
    case Measure::Unextracted:
        s = c.answered ? percent(double(c.unextracted) / double(c.answered)) : QStringLiteral("–");
        break;
    case Measure::OutputTokens:
        s = c.members.empty() ? QString::number(c.meanOutputTokens, 'f', 1) : QStringLiteral("–");
        break;
    case Measure::Latency:
        s = c.members.empty() ? tr("%1 s").arg(c.meanLatency, 0, 'f', 3) : QStringLiteral("–");
        break;
    case Measure::TokensPerSecond:
        s = c.members.empty() ? QString::number(c.tokensPerSecond, 'f', 1) : QStringLiteral("–");
        break;
    case Measure::Progress:
        s = tr("%1 / %2 (%3 cached)").arg(c.doneSamples).arg(c.totalSamples).arg(c.cachedSamples);
        break;
    }
    if (c.id == m_best && m_measure == Measure::Accuracy)
        s = QStringLiteral("★ ") + s;
    if (!c.done() && c.totalSamples > 0 && m_measure != Measure::Progress)
        s = tr("%1 · %2% done")
                .arg(s)
                .arg(int(100.0 * double(c.doneSamples) / double(c.totalSamples)));
    return s;
}

QString CompareMatrixModel::text(const QString &cellId) const
{
    const QModelIndex i = indexOf(cellId);
    return i.isValid() ? data(i, Qt::DisplayRole).toString() : QString();
}

QVariant CompareMatrixModel::data(const QModelIndex &index, int role) const
{
    const wb::CellResult *c = at(index.row(), index.column());
    if (!c)
        return role == Qt::DisplayRole ? QVariant(QStringLiteral("")) : QVariant();
    switch (role) {
    case Qt::DisplayRole:
        return display(*c);
    case Qt::ToolTipRole:
        return cellTooltip(*c);
    case kCellIdRole:
        return qs(c->id);
    case Qt::TextAlignmentRole:
        return int(Qt::AlignCenter);
    case Qt::BackgroundRole:
        return c->answered ? QVariant(scoreColor(c->accuracy)) : QVariant();
    case Qt::ForegroundRole:
        return c->answered ? QVariant(QColor(Qt::black)) : QVariant();
    case Qt::FontRole:
        if (c->id == m_best) {
            QFont f;
            f.setBold(true);
            return f;
        }
        return {};
    default:
        return {};
    }
}

QVariant CompareMatrixModel::headerData(int section, Qt::Orientation o, int role) const
{
    if (!m_results || (role != Qt::DisplayRole && role != Qt::ToolTipRole))
        return QAbstractTableModel::headerData(section, o, role);
    if (o == Qt::Horizontal) {
        if (m_colDim < 0)
            return tr("All cells");
        return m_layout.label(CompareDim(m_colDim), size_t(section));
    }
    if (isEnsembleRow(section)) {
        const auto &e = m_results->ensembles[size_t(section) - m_rows.size()];
        return tr("Ensemble: %1").arg(qs(e.label));
    }
    const Key &k = m_rows[size_t(section)];
    QStringList parts;
    parts << m_layout.label(CompareDim(m_rowDim), size_t(k[size_t(m_rowDim)]));
    for (int d = 0; d < kCompareDims; ++d)
        if (d != m_rowDim && d != m_colDim && m_layout.count(CompareDim(d)) > 1)
            parts << m_layout.label(CompareDim(d), size_t(k[size_t(d)]));
    return parts.join(QStringLiteral(" · "));
}

QString CompareMatrixModel::cellId(const QModelIndex &index) const
{
    const wb::CellResult *c = at(index.row(), index.column());
    return c ? qs(c->id) : QString();
}

QModelIndex CompareMatrixModel::indexOf(const QString &cellId) const
{
    for (int r = 0; r < rowCount(); ++r)
        for (int c = 0; c < columnCount(); ++c)
            if (const auto *cell = at(r, c); cell && qs(cell->id) == cellId)
                return index(r, c);
    return {};
}

// ------------------------------------------------------------------------------- the widget

CompareMatrix::CompareMatrix(QWidget *parent) : QWidget(parent)
{
    m_model = new CompareMatrixModel(this);
    m_view = new QTableView(this);
    m_view->setObjectName(QStringLiteral("compareMatrix"));
    m_view->setModel(m_model);
    m_view->setSelectionMode(QAbstractItemView::ExtendedSelection);
    m_view->setSelectionBehavior(QAbstractItemView::SelectItems);
    m_view->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_view->setWordWrap(false);
    m_view->setContextMenuPolicy(Qt::CustomContextMenu);
    m_view->setToolTip(tr("Click a cell for its questions; Ctrl+click a second cell to compare "
                          "the two; right-click for more"));
    // Sized once per new layout, not in ResizeToContents mode: that mode re-measures every cell
    // on each geometry change, and with scroll bars coming and going it never settles.
    m_view->horizontalHeader()->setSectionResizeMode(QHeaderView::Interactive);
    m_view->horizontalHeader()->setStretchLastSection(true);
    m_view->verticalHeader()->setSectionResizeMode(QHeaderView::Fixed);
    m_view->verticalHeader()->setDefaultSectionSize(m_view->fontMetrics().height() + 10);

    auto dims = [this](QComboBox *box) {
        box->addItem(tr("Model variant"), int(CompareDim::Variant));
        box->addItem(tr("Template"), int(CompareDim::Template));
        box->addItem(tr("RAG"), int(CompareDim::Rag));
        box->addItem(tr("Decoding"), int(CompareDim::Decoding));
    };
    m_rows = new QComboBox(this);
    m_rows->setObjectName(QStringLiteral("matrixRows"));
    dims(m_rows);
    m_rows->setToolTip(tr("The dimension listed down the rows (the other ones not in the columns "
                          "are listed beside it)"));
    m_cols = new QComboBox(this);
    m_cols->setObjectName(QStringLiteral("matrixColumns"));
    dims(m_cols);
    m_cols->addItem(tr("(none)"), -1);
    m_cols->setCurrentIndex(1);
    m_cols->setToolTip(tr("The dimension across the columns"));
    m_measure = new QComboBox(this);
    m_measure->setObjectName(QStringLiteral("matrixMeasure"));
    using M = CompareMatrixModel::Measure;
    m_measure->addItem(tr("Accuracy [95% interval]"), int(M::Accuracy));
    m_measure->addItem(tr("Correct of answered"), int(M::Correct));
    m_measure->addItem(tr("Unextracted rate"), int(M::Unextracted));
    m_measure->addItem(tr("Mean output tokens"), int(M::OutputTokens));
    m_measure->addItem(tr("Mean latency"), int(M::Latency));
    m_measure->addItem(tr("Tokens/s"), int(M::TokensPerSecond));
    m_measure->addItem(tr("Samples done"), int(M::Progress));
    m_measure->setToolTip(tr("What each cell shows; the colour is always the accuracy"));
    connect(m_rows, &QComboBox::currentIndexChanged, this, &CompareMatrix::axesChanged);
    connect(m_cols, &QComboBox::currentIndexChanged, this, &CompareMatrix::axesChanged);
    connect(m_measure, &QComboBox::currentIndexChanged, this,
            [this] { m_model->setMeasure(M(m_measure->currentData().toInt())); });

    auto *bar = new QHBoxLayout;
    bar->addWidget(new QLabel(tr("Rows"), this));
    bar->addWidget(m_rows);
    bar->addWidget(new QLabel(tr("Columns"), this));
    bar->addWidget(m_cols);
    bar->addWidget(new QLabel(tr("Show"), this));
    bar->addWidget(m_measure);
    bar->addStretch(1);

    m_summary = new QLabel(this);
    m_summary->setObjectName(QStringLiteral("matrixSummary"));
    m_summary->setWordWrap(true);
    m_summary->setTextInteractionFlags(Qt::TextSelectableByMouse);
    auto *note = new QLabel(
        tr("Majority vote over a cell's samples; unextracted samples do not vote; among tied "
           "answers the one voted first wins (sample order within a cell, experiment order across "
           "cells). No extracted vote = unextracted = wrong. Intervals are 95% Wilson intervals."),
        this);
    note->setObjectName(QStringLiteral("tieRuleNote"));
    note->setWordWrap(true);
    note->setStyleSheet(QStringLiteral("color: palette(mid);"));
    QFont small = note->font();
    small.setPointSizeF(small.pointSizeF() * 0.9);
    note->setFont(small);

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addLayout(bar);
    layout->addWidget(m_view, 1);
    layout->addWidget(m_summary);
    layout->addWidget(note);

    connect(m_view, &QTableView::clicked, this, [this](const QModelIndex &i) {
        const QString id = m_model->cellId(i);
        if (id.isEmpty())
            return;
        const auto sel = m_view->selectionModel()->selectedIndexes();
        if (sel.size() == 2) {
            const QString a = m_model->cellId(sel[0] == i ? sel[1] : sel[0]);
            if (!a.isEmpty() && a != id) {
                Q_EMIT pairChosen(a, id);
                return;
            }
        }
        Q_EMIT cellChosen(id);
    });
    connect(m_view, &QTableView::customContextMenuRequested, this, &CompareMatrix::contextMenu);
}

void CompareMatrix::setResults(CompareResultsPtr results)
{
    const QString current = currentCell();
    m_results = std::move(results);
    m_model->setResults(m_results);
    updateSpans();
    if (!current.isEmpty())
        selectCell(current);
    QString text;
    if (m_results) {
        if (const auto *best = m_results->best())
            text = tr("Best: ★ %1 — %2 (%3)")
                       .arg(qs(best->id), qs(best->label), accuracyWithInterval(*best));
        text += (text.isEmpty() ? QString() : QStringLiteral("  ·  ")) +
                tr("%1 cells × %2 questions")
                    .arg(m_results->cells.size())
                    .arg(m_results->questions.size());
    }
    m_summary->setText(text);
}

void CompareMatrix::axesChanged()
{
    int row = m_rows->currentData().toInt();
    int col = m_cols->currentData().toInt();
    if (row == col) {
        // The same dimension both ways: the columns give way.
        const QSignalBlocker block(m_cols);
        m_cols->setCurrentIndex(m_cols->findData(-1));
        col = -1;
    }
    m_model->setAxes(row, col);
    updateSpans();
}

void CompareMatrix::updateSpans()
{
    // Every column but the last to its contents; the last one stretches over the rest.
    for (int c = 0; c + 1 < m_model->columnCount(); ++c)
        m_view->resizeColumnToContents(c);
    m_view->clearSpans();
    const int cols = m_model->columnCount();
    for (int r = 0; r < m_model->rowCount(); ++r)
        if (m_model->isEnsembleRow(r) && cols > 1)
            m_view->setSpan(r, 0, 1, cols);
}

void CompareMatrix::selectCell(const QString &id)
{
    const QModelIndex i = m_model->indexOf(id);
    if (i.isValid())
        m_view->setCurrentIndex(i);
}

QString CompareMatrix::currentCell() const
{
    return m_model->cellId(m_view->currentIndex());
}

void CompareMatrix::contextMenu(const QPoint &pos)
{
    const QModelIndex i = m_view->indexAt(pos);
    const QString id = m_model->cellId(i);
    if (id.isEmpty() || !m_results)
        return;
    QMenu menu(this);
    menu.addAction(tr("Show its questions"), this, [this, id] { Q_EMIT cellChosen(id); });
    QMenu *with = menu.addMenu(tr("Compare with…"));
    auto add = [&](const wb::CellResult &c) {
        if (qs(c.id) == id)
            return;
        with->addAction(cellShortName(c), this,
                        [this, id, other = qs(c.id)] { Q_EMIT pairChosen(id, other); });
    };
    for (const auto &c : m_results->cells)
        add(c);
    for (const auto &c : m_results->ensembles)
        add(c);
    menu.exec(m_view->viewport()->mapToGlobal(pos));
}

} // namespace wbui

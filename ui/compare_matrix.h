#pragma once

#include "compare_common.h"

#include <QAbstractTableModel>
#include <QWidget>

#include <array>

class QComboBox;
class QLabel;
class QTableView;

namespace wbui {

// The results matrix: one dimension of the experiment along the columns (or none), the others
// along the rows, every cell once. Ensembles follow as rows of their own spanning the columns.
// A cell shows accuracy with its 95% interval (or another measure), is coloured by accuracy,
// and the best cell is bold with a ★. Cells still running show how far they are.
class CompareMatrixModel final : public QAbstractTableModel
{
    Q_OBJECT
public:
    enum class Measure {
        Accuracy,
        Correct,
        Unextracted,
        OutputTokens,
        Latency,
        TokensPerSecond,
        Progress
    };
    static constexpr int kCellIdRole = Qt::UserRole + 1;

    explicit CompareMatrixModel(QObject *parent = nullptr);

    void setResults(CompareResultsPtr results);
    // colDim -1: a single column.
    void setAxes(int rowDim, int colDim);
    void setMeasure(Measure m);
    int rowDim() const { return m_rowDim; }
    int colDim() const { return m_colDim; }

    QString cellId(const QModelIndex &index) const;
    QModelIndex indexOf(const QString &cellId) const;
    bool isEnsembleRow(int row) const { return row >= int(m_rows.size()); }
    QString text(const QString &cellId) const; // what the cell shows

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role) const override;
    QVariant headerData(int section, Qt::Orientation o, int role) const override;

private:
    using Key = std::array<int, kCompareDims>; // -1: the column dimension
    void rebuild();
    const wb::CellResult *at(int row, int col) const;
    QString display(const wb::CellResult &c) const;

    CompareResultsPtr m_results;
    CompareLayout m_layout;
    int m_rowDim = 0, m_colDim = 1;
    Measure m_measure = Measure::Accuracy;
    std::vector<Key> m_rows;
    std::map<std::pair<int, int>, const wb::CellResult *> m_grid;
    std::string m_best;
};

class CompareMatrix final : public QWidget
{
    Q_OBJECT
public:
    explicit CompareMatrix(QWidget *parent = nullptr);

    void setResults(CompareResultsPtr results);
    CompareMatrixModel *model() const { return m_model; }
    QTableView *view() const { return m_view; }
    QComboBox *rowsCombo() const { return m_rows; }
    QComboBox *columnsCombo() const { return m_cols; }
    QComboBox *measureCombo() const { return m_measure; }
    void selectCell(const QString &id);
    QString currentCell() const;

Q_SIGNALS:
    void cellChosen(const QString &id);
    // Two cells picked (Ctrl+click a second one, or "Compare with…").
    void pairChosen(const QString &a, const QString &b);

private:
    void axesChanged();
    void updateSpans();
    void contextMenu(const QPoint &pos);

    CompareMatrixModel *m_model;
    QTableView *m_view;
    QComboBox *m_rows;
    QComboBox *m_cols;
    QComboBox *m_measure;
    QLabel *m_summary;
    CompareResultsPtr m_results;
};

} // namespace wbui

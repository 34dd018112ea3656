#pragma once

#include "data/dataset.h"

#include <QAbstractItemModel>

#include <vector>

namespace wbui {

// A page of dataset records as a tree: a logic problem expands to its questions (options
// lettered, answer shown), a chat record to its messages. Alpaca records are flat.
class DatasetPreviewModel final : public QAbstractItemModel
{
    Q_OBJECT
public:
    using QAbstractItemModel::QAbstractItemModel;

    void setRecords(wb::DatasetFormat format, std::vector<wb::DatasetRecord> records);
    const std::vector<wb::DatasetRecord> &records() const { return m_records; }
    // The top-level index of the record with this source row, or an invalid index.
    QModelIndex indexForRow(size_t sourceRow) const;

    QModelIndex index(int row, int column, const QModelIndex &parent = {}) const override;
    QModelIndex parent(const QModelIndex &child) const override;
    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;

private:
    QString cell(const wb::DatasetRecord &r, int column) const;
    QString childCell(const wb::DatasetRecord &r, int child, int column) const;
    int childCount(const wb::DatasetRecord &r) const;

    wb::DatasetFormat m_format = wb::DatasetFormat::Logic;
    std::vector<wb::DatasetRecord> m_records;
};

} // namespace wbui

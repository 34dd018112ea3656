#include "dataset_preview_model.h"

namespace wbui {

namespace {
QString str(const nlohmann::json &j, const char *key)
{
    if (!j.is_object() || !j.contains(key) || !j[key].is_string())
        return {};
    return QString::fromStdString(j[key].get<std::string>());
}

// Table cells show one line; the full text is in the tooltip.
QString oneLine(const QString &s, int max = 160)
{
    QString t = s;
    t.replace(QLatin1Char('\n'), QStringLiteral(" ⏎ "));
    return t.size() > max ? t.left(max) + QStringLiteral("…") : t;
}
} // namespace

void DatasetPreviewModel::setRecords(wb::DatasetFormat format, std::vector<wb::DatasetRecord> records)
{
    beginResetModel();
    m_format = format;
    m_records = std::move(records);
    endResetModel();
}

QModelIndex DatasetPreviewModel::indexForRow(size_t sourceRow) const
{
    for (size_t i = 0; i < m_records.size(); ++i)
        if (m_records[i].row == sourceRow)
            return index(static_cast<int>(i), 0);
    return {};
}

// internalId 0 marks a record; n > 0 marks a child of record n - 1.
QModelIndex DatasetPreviewModel::index(int row, int column, const QModelIndex &parent) const
{
    if (row < 0 || column < 0 || column >= columnCount())
        return {};
    if (!parent.isValid()) {
        if (row >= static_cast<int>(m_records.size()))
            return {};
        return createIndex(row, column, quintptr(0));
    }
    if (parent.internalId() != 0 || row >= childCount(m_records[parent.row()]))
        return {};
    return createIndex(row, column, quintptr(parent.row() + 1));
}

QModelIndex DatasetPreviewModel::parent(const QModelIndex &child) const
{
    if (!child.isValid() || child.internalId() == 0)
        return {};
    return createIndex(static_cast<int>(child.internalId() - 1), 0, quintptr(0));
}

int DatasetPreviewModel::childCount(const wb::DatasetRecord &r) const
{
    if (m_format == wb::DatasetFormat::Logic && r.data.contains("questions"))
        return static_cast<int>(r.data["questions"].size());
    if (m_format == wb::DatasetFormat::Chat && r.data.contains("messages"))
        return static_cast<int>(r.data["messages"].size());
    return 0;
}

int DatasetPreviewModel::rowCount(const QModelIndex &parent) const
{
    if (!parent.isValid())
        return static_cast<int>(m_records.size());
    if (parent.internalId() != 0 || parent.column() != 0)
        return 0;
    return childCount(m_records[parent.row()]);
}

int DatasetPreviewModel::columnCount(const QModelIndex &) const { return 5; }

QVariant DatasetPreviewModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (m_format) {
    case wb::DatasetFormat::Logic: {
        const QString h[] = {tr("Row"), tr("ID"), tr("Problem / question"), tr("Options"),
                             tr("Answer")};
        return h[section];
    }
    case wb::DatasetFormat::Alpaca: {
        const QString h[] = {tr("Row"), tr("Instruction"), tr("Input"), tr("Output"), tr("System")};
        return h[section];
    }
    default: {
        const QString h[] = {tr("Row"), tr("Turns"), tr("First user message"),
                             tr("Last assistant message"), tr("System")};
        return h[section];
    }
    }
}

QString DatasetPreviewModel::cell(const wb::DatasetRecord &r, int column) const
{
    const auto &d = r.data;
    if (column == 0)
        return QString::number(r.row);
    switch (m_format) {
    case wb::DatasetFormat::Logic:
        switch (column) {
        case 1: return str(d, "id");
        case 2: return str(d, "problem");
        case 3: return tr("%n question(s)", nullptr, childCount(r));
        default: {
            QStringList answers;
            for (const auto &q : d.value("questions", nlohmann::json::array()))
                answers << (q.contains("answer") ? QString::fromStdString(q["answer"].get<std::string>())
                                                 : QStringLiteral("?"));
            return answers.join(QStringLiteral(" "));
        }
        }
    case wb::DatasetFormat::Alpaca: {
        const char *keys[] = {"", "instruction", "input", "output", "system"};
        return str(d, keys[column]);
    }
    default: {
        const auto &msgs = d.value("messages", nlohmann::json::array());
        QString firstUser, lastAssistant, system;
        for (const auto &m : msgs) {
            const QString role = str(m, "role");
            if (role == QLatin1String("user") && firstUser.isEmpty())
                firstUser = str(m, "content");
            if (role == QLatin1String("assistant"))
                lastAssistant = str(m, "content");
            if (role == QLatin1String("system"))
                system = str(m, "content");
        }
        switch (column) {
        case 1: return QString::number(msgs.size());
        case 2: return firstUser;
        case 3: return lastAssistant;
        default: return system;
        }
    }
    }
}

QString DatasetPreviewModel::childCell(const wb::DatasetRecord &r, int child, int column) const
{
    if (m_format == wb::DatasetFormat::Logic) {
        const auto &q = r.data["questions"][static_cast<size_t>(child)];
        switch (column) {
        case 1: return tr("Q%1").arg(child + 1);
        case 2: return str(q, "question");
        case 3: {
            QStringList lines;
            int i = 0;
            for (const auto &o : q.value("options", nlohmann::json::array()))
                lines << QStringLiteral("%1. %2")
                             .arg(QString::fromStdString(wb::optionLetter(i++)),
                                  QString::fromStdString(o.is_string() ? o.get<std::string>() : o.dump()));
            return lines.join(QLatin1Char('\n'));
        }
        case 4: return q.contains("answer") ? str(q, "answer") : tr("(none)");
        default: return {};
        }
    }
    const auto &m = r.data["messages"][static_cast<size_t>(child)];
    switch (column) {
    case 1: return str(m, "role");
    case 2: return str(m, "content");
    default: return {};
    }
}

QVariant DatasetPreviewModel::data(const QModelIndex &index, int role) const
{
    if (!index.isValid())
        return {};
    QString text;
    if (index.internalId() == 0)
        text = cell(m_records[index.row()], index.column());
    else
        text = childCell(m_records[index.internalId() - 1], index.row(), index.column());
    switch (role) {
    case Qt::DisplayRole:
        // Options stay multi-line so "A. …" lines read like the exam paper.
        return (m_format == wb::DatasetFormat::Logic && index.internalId() != 0 && index.column() == 3)
                   ? text
                   : oneLine(text);
    case Qt::ToolTipRole:
        return text.size() > 60 || text.contains(QLatin1Char('\n')) ? text : QVariant();
    case Qt::UserRole:
        return text; // full text, for tests and copy
    default:
        return {};
    }
}

} // namespace wbui

#include "compare_variants.h"

#include <QComboBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QMenu>
#include <QPushButton>
#include <QTableWidget>
#include <QVBoxLayout>

#include <algorithm>
#include <cmath>

namespace wbui {

namespace {

enum VariantCol { VModel, VAdapter, VLabel };
enum DecodingCol { DLabel, DTemperature, DTopP, DSamples, DSeed, DMaxTokens, DCount };

std::string str(const QString &s)
{
    return s.trimmed().toStdString();
}

QTableWidget *makeTable(QWidget *parent, const QStringList &headers)
{
    auto *t = new QTableWidget(0, int(headers.size()), parent);
    t->setHorizontalHeaderLabels(headers);
    t->verticalHeader()->setVisible(false);
    t->setSelectionBehavior(QAbstractItemView::SelectRows);
    t->setSelectionMode(QAbstractItemView::SingleSelection);
    t->horizontalHeader()->setStretchLastSection(true);
    t->setMinimumHeight(90);
    t->setMaximumHeight(170);
    t->setVerticalScrollMode(QAbstractItemView::ScrollPerPixel);
    return t;
}

} // namespace

// ------------------------------------------------------------------------------- variants

VariantTable::VariantTable(QWidget *parent) : QWidget(parent)
{
    m_table = makeTable(this, {tr("Model"), tr("Adapter"), tr("Label")});
    m_table->setObjectName(QStringLiteral("compareVariants"));
    m_table->setToolTip(tr("One row per model variant. Model: a workspace model, a remote "
                           "endpoint, or a model folder typed in. Adapter: a training run with an "
                           "adapter, or a PEFT folder. Label: the name in the matrix (empty: "
                           "model + adapter)."));
    m_table->horizontalHeader()->setSectionResizeMode(VModel, QHeaderView::Stretch);
    m_table->horizontalHeader()->setSectionResizeMode(VAdapter, QHeaderView::Stretch);
    m_table->horizontalHeader()->setSectionResizeMode(VLabel, QHeaderView::Interactive);
    m_table->setColumnWidth(VLabel, 90);
    connect(m_table, &QTableWidget::itemChanged, this, &VariantTable::changed);

    auto *add = new QPushButton(tr("Add"), this);
    add->setObjectName(QStringLiteral("addVariantButton"));
    add->setToolTip(tr("Add a model variant"));
    auto *remove = new QPushButton(tr("Remove"), this);
    remove->setToolTip(tr("Remove the selected variant"));
    auto *remote = new QPushButton(tr("Add remote endpoint…"), this);
    remote->setObjectName(QStringLiteral("addRemoteButton"));
    remote->setToolTip(tr("Register an OpenAI-compatible server (vLLM, Ollama, llama.cpp server, "
                          "a hosted API) as a model"));
    connect(add, &QPushButton::clicked, this, [this] { addVariant(); });
    connect(remove, &QPushButton::clicked, this, [this] {
        const int row = m_table->currentRow();
        if (row >= 0) {
            m_table->removeRow(row);
            Q_EMIT changed();
        }
    });
    connect(remote, &QPushButton::clicked, this, &VariantTable::addRemoteRequested);
    auto *buttons = new QHBoxLayout;
    buttons->addWidget(add);
    buttons->addWidget(remove);
    buttons->addStretch(1);
    buttons->addWidget(remote);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_table);
    layout->addLayout(buttons);
}

void VariantTable::setChoices(std::vector<CompareChoice> models,
                              std::vector<CompareChoice> adapters)
{
    const auto current = variants();
    m_models = std::move(models);
    m_adapters = std::move(adapters);
    const QSignalBlocker block(this);
    for (int r = 0; r < m_table->rowCount() && r < int(current.size()); ++r)
        fillRow(r, current[size_t(r)]);
}

void VariantTable::fillRow(int row, const wb::Variant &v)
{
    auto combo = [this](const std::vector<CompareChoice> &choices, bool withNone) {
        auto *c = new QComboBox(m_table);
        c->setEditable(true);
        c->setInsertPolicy(QComboBox::NoInsert);
        c->setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon);
        c->setMinimumContentsLength(8);
        if (withNone)
            c->addItem(tr("(none)"));
        for (const auto &ch : choices) {
            c->addItem(ch.display, ch.name);
            c->setItemData(c->count() - 1, ch.tooltip, Qt::ToolTipRole);
        }
        connect(c, &QComboBox::currentTextChanged, this, &VariantTable::changed);
        return c;
    };
    auto select = [](QComboBox *c, const QString &value) {
        const int i = c->findData(value);
        if (i >= 0)
            c->setCurrentIndex(i);
        else if (value.isEmpty())
            c->setCurrentIndex(0);
        else
            c->setEditText(value);
    };
    auto *model = combo(m_models, false);
    model->setObjectName(QStringLiteral("variantModel%1").arg(row));
    select(model, QString::fromStdString(v.model));
    auto *adapter = combo(m_adapters, true);
    adapter->setObjectName(QStringLiteral("variantAdapter%1").arg(row));
    select(adapter, QString::fromStdString(v.adapter));
    m_table->setCellWidget(row, VModel, model);
    m_table->setCellWidget(row, VAdapter, adapter);
    auto *label = m_table->item(row, VLabel);
    if (!label) {
        label = new QTableWidgetItem;
        m_table->setItem(row, VLabel, label);
    }
    label->setText(QString::fromStdString(v.label));
}

void VariantTable::addVariant(const wb::Variant &v)
{
    wb::Variant init = v;
    if (init.model.empty() && !m_models.empty())
        init.model = m_models.front().name.toStdString();
    const int row = m_table->rowCount();
    {
        const QSignalBlocker block(m_table);
        m_table->insertRow(row);
        fillRow(row, init);
    }
    Q_EMIT changed();
}

QString VariantTable::comboValue(int row, int col) const
{
    auto *c = qobject_cast<QComboBox *>(m_table->cellWidget(row, col));
    if (!c)
        return {};
    const QString text = c->currentText().trimmed();
    const int i = c->findText(text);
    if (i >= 0)
        return c->itemData(i).toString(); // "(none)" has no data: ""
    return text;
}

std::vector<wb::Variant> VariantTable::variants() const
{
    std::vector<wb::Variant> out;
    for (int r = 0; r < m_table->rowCount(); ++r) {
        wb::Variant v;
        v.model = str(comboValue(r, VModel));
        v.adapter = str(comboValue(r, VAdapter));
        if (const auto *label = m_table->item(r, VLabel))
            v.label = str(label->text());
        out.push_back(std::move(v));
    }
    return out;
}

void VariantTable::setVariants(const std::vector<wb::Variant> &variants)
{
    {
        const QSignalBlocker block(m_table);
        m_table->setRowCount(0);
        for (const auto &v : variants) {
            const int row = m_table->rowCount();
            m_table->insertRow(row);
            fillRow(row, v);
        }
    }
    Q_EMIT changed();
}

// ------------------------------------------------------------------------------- decodings

DecodingTable::DecodingTable(QWidget *parent) : QWidget(parent)
{
    m_table = makeTable(
        this, {tr("Label"), tr("T"), tr("top-p"), tr("Samples"), tr("Seed"), tr("Max tokens")});
    m_table->setObjectName(QStringLiteral("compareDecodings"));
    m_table->setToolTip(tr("One row per decoding. Temperature 0 is greedy (one sample). With "
                           "several samples each question is answered that many times and the "
                           "answers vote; sample s draws with seed + s."));
    m_table->horizontalHeader()->setSectionResizeMode(DLabel, QHeaderView::Stretch);
    for (int c = DTemperature; c < DCount; ++c) {
        m_table->horizontalHeader()->setSectionResizeMode(c, QHeaderView::Interactive);
        m_table->horizontalHeader()->resizeSection(c, c == DMaxTokens ? 72 : 52);
    }
    connect(m_table, &QTableWidget::itemChanged, this, &DecodingTable::changed);

    auto *add = new QPushButton(tr("Add"), this);
    add->setObjectName(QStringLiteral("addDecodingButton"));
    auto *presets = new QMenu(add);
    presets->addAction(tr("Greedy"), this, [this] { addDecoding(greedy()); });
    presets->addAction(tr("5 votes, T=0.7"), this, [this] { addDecoding(votes(5, 0.7f)); });
    presets->addAction(tr("10 votes, T=1.0, top-p 0.95"), this,
                       [this] { addDecoding(votes(10, 1.0f, 0.95f)); });
    add->setMenu(presets);
    auto *remove = new QPushButton(tr("Remove"), this);
    connect(remove, &QPushButton::clicked, this, [this] {
        const int row = m_table->currentRow();
        if (row >= 0) {
            m_table->removeRow(row);
            Q_EMIT changed();
        }
    });
    auto *buttons = new QHBoxLayout;
    buttons->addWidget(add);
    buttons->addWidget(remove);
    buttons->addStretch(1);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_table);
    layout->addLayout(buttons);
}

wb::Decoding DecodingTable::greedy(int maxNewTokens)
{
    wb::Decoding d;
    d.label = "greedy";
    d.maxNewTokens = maxNewTokens;
    return d;
}

wb::Decoding DecodingTable::votes(int samples, float temperature, float topP)
{
    wb::Decoding d;
    d.samples = samples;
    d.temperature = temperature;
    d.topP = topP;
    d.label = QStringLiteral("%1 votes, T=%2").arg(samples).arg(double(temperature)).toStdString();
    return d;
}

void DecodingTable::addDecoding(const wb::Decoding &d)
{
    const int row = m_table->rowCount();
    {
        const QSignalBlocker block(m_table);
        m_table->insertRow(row);
        auto set = [&](int col, const QVariant &v) {
            auto *item = new QTableWidgetItem;
            item->setData(Qt::EditRole, v);
            m_table->setItem(row, col, item);
        };
        set(DLabel, QString::fromStdString(d.label));
        set(DTemperature, double(std::round(d.temperature * 1000) / 1000));
        set(DTopP, double(std::round(d.topP * 1000) / 1000));
        set(DSamples, d.samples);
        set(DSeed, int(std::min<uint64_t>(d.seed, uint64_t(INT32_MAX))));
        set(DMaxTokens, d.maxNewTokens);
    }
    Q_EMIT changed();
}

std::vector<wb::Decoding> DecodingTable::decodings() const
{
    std::vector<wb::Decoding> out;
    auto value = [this](int row, int col) {
        const auto *item = m_table->item(row, col);
        return item ? item->data(Qt::EditRole) : QVariant();
    };
    for (int r = 0; r < m_table->rowCount(); ++r) {
        wb::Decoding d;
        d.label = str(value(r, DLabel).toString());
        d.temperature = float(value(r, DTemperature).toDouble());
        d.topP = float(value(r, DTopP).toDouble());
        d.samples = value(r, DSamples).toInt();
        d.seed = uint64_t(std::max(0, value(r, DSeed).toInt()));
        d.maxNewTokens = value(r, DMaxTokens).toInt();
        out.push_back(std::move(d));
    }
    return out;
}

void DecodingTable::setDecodings(const std::vector<wb::Decoding> &decodings)
{
    {
        const QSignalBlocker block(m_table);
        m_table->setRowCount(0);
    }
    for (const auto &d : decodings)
        addDecoding(d);
    Q_EMIT changed();
}

} // namespace wbui

#include "compare_builder.h"

#include "rag/knowledge_base.h"
#include "remote/remote_endpoint.h"
#include "store/dataset_store.h"
#include "store/model_store.h"
#include "store/template_store.h"
#include "store/workspace.h"

#include <QCheckBox>
#include <QComboBox>
#include <QFormLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QPushButton>
#include <QRegularExpression>
#include <QSpinBox>
#include <QTableWidget>
#include <QVBoxLayout>

namespace wbui {

namespace {

QString q(const std::string &s)
{
    return QString::fromStdString(s);
}

constexpr int kCollectionRole = Qt::UserRole + 1; // "" for the "off" row

} // namespace

ExperimentBuilder::ExperimentBuilder(wb::Workspace &ws, QWidget *parent) : QWidget(parent), m_ws(ws)
{
    // ---- data ----
    m_name = new QLineEdit(QStringLiteral("experiment"), this);
    m_name->setObjectName(QStringLiteral("experimentName"));
    m_name->setToolTip(tr("The experiment's name; runs are named after it"));
    m_dataset = new QComboBox(this);
    m_dataset->setObjectName(QStringLiteral("compareDataset"));
    m_dataset->setToolTip(tr("A logic-reasoning dataset of the workspace; every sub-question is "
                             "one question of the matrix"));
    m_split = new QComboBox(this);
    m_split->setObjectName(QStringLiteral("compareSplit"));
    m_split->addItem(tr("all"), QStringLiteral("all"));
    m_split->addItem(tr("train"), QStringLiteral("train"));
    m_split->addItem(tr("eval"), QStringLiteral("eval"));
    m_split->setToolTip(tr("Which problems: all, or one side of the split `llmwb train` makes "
                           "(10% held out, seed 42)"));
    m_limit = new QSpinBox(this);
    m_limit->setObjectName(QStringLiteral("compareLimit"));
    m_limit->setRange(0, 1000000);
    m_limit->setSpecialValueText(tr("all"));
    m_limit->setToolTip(tr("At most this many problems (the first ones); all: no limit"));
    m_method = new QComboBox(this);
    m_method->setObjectName(QStringLiteral("compareMethod"));
    m_method->addItem(tr("generate (answers, then extraction)"), QStringLiteral("generate"));
    m_method->addItem(tr("loglik (option letters' log-likelihood)"), QStringLiteral("loglik"));
    m_method->setToolTip(tr("generate: the model writes an answer and the option letter is "
                            "extracted from it; loglik: the option whose letter is most likely "
                            "(deterministic, one pass, local models only)"));
    auto *dataBox = new QGroupBox(tr("Data and method"), this);
    auto *df = new QFormLayout(dataBox);
    df->addRow(tr("Name"), m_name);
    df->addRow(tr("Dataset"), m_dataset);
    auto *splitRow = new QHBoxLayout;
    splitRow->addWidget(m_split);
    splitRow->addWidget(new QLabel(tr("Limit"), this));
    splitRow->addWidget(m_limit, 1);
    df->addRow(tr("Split"), splitRow);
    df->addRow(tr("Method"), m_method);

    // ---- models ----
    m_variants = new VariantTable(this);
    auto *modelBox = new QGroupBox(tr("Model variants"), this);
    auto *ml = new QVBoxLayout(modelBox);
    ml->addWidget(m_variants);

    // ---- prompts ----
    m_templates = new QListWidget(this);
    m_templates->setObjectName(QStringLiteral("compareTemplates"));
    m_templates->setToolTip(tr("Tick every template to compare"));
    m_templates->setMinimumHeight(60);
    m_templates->setMaximumHeight(110);
    m_chat = new QCheckBox(tr("Wrap prompts in the model's chat template"), this);
    m_chat->setObjectName(QStringLiteral("compareChatTemplate"));
    auto *promptBox = new QGroupBox(tr("Prompt templates"), this);
    auto *pl = new QVBoxLayout(promptBox);
    pl->addWidget(m_templates);
    pl->addWidget(m_chat);

    // ---- RAG ----
    m_rag = new QTableWidget(0, 2, this);
    m_rag->setObjectName(QStringLiteral("compareRag"));
    m_rag->setHorizontalHeaderLabels({tr("Setting"), tr("k")});
    m_rag->verticalHeader()->setVisible(false);
    m_rag->horizontalHeader()->setSectionResizeMode(0, QHeaderView::Stretch);
    m_rag->horizontalHeader()->setSectionResizeMode(1, QHeaderView::Fixed);
    m_rag->horizontalHeader()->resizeSection(1, 56);
    m_rag->setMinimumHeight(60);
    m_rag->setMaximumHeight(110);
    m_rag->setToolTip(tr("Tick \"off\" and/or collections: each ticked setting is a column of "
                         "cells. k chunks of the collection fill {{context}} in the template."));
    auto *ragBox = new QGroupBox(tr("Retrieval (RAG)"), this);
    auto *rl = new QVBoxLayout(ragBox);
    rl->addWidget(m_rag);

    // ---- decoding ----
    m_decodings = new DecodingTable(this);
    auto *decBox = new QGroupBox(tr("Decoding"), this);
    auto *dl = new QVBoxLayout(decBox);
    dl->addWidget(m_decodings);

    // ---- ensembles ----
    m_ensembles = new QTableWidget(0, 2, this);
    m_ensembles->setObjectName(QStringLiteral("compareEnsembles"));
    m_ensembles->setHorizontalHeaderLabels({tr("Label"), tr("Member cells")});
    m_ensembles->verticalHeader()->setVisible(false);
    m_ensembles->horizontalHeader()->setStretchLastSection(true);
    m_ensembles->setMinimumHeight(50);
    m_ensembles->setMaximumHeight(100);
    m_ensembles->setToolTip(tr("An ensemble votes across cells: each member cell's vote counts "
                               "once, in member order. Members are cell ids: c0, c1, … in the "
                               "order variants × templates × RAG × decoding."));
    auto *addEnsemble = new QPushButton(tr("Add"), this);
    addEnsemble->setToolTip(tr("Add an ensemble of every cell"));
    auto *removeEnsemble = new QPushButton(tr("Remove"), this);
    connect(addEnsemble, &QPushButton::clicked, this, [this] {
        const wb::Experiment e = raw();
        QStringList members;
        const size_t cells =
            e.variants.size() * e.templates.size() * e.rag.size() * e.decoding.size();
        for (size_t i = 0; i < cells; ++i)
            members << QStringLiteral("c%1").arg(i);
        const int row = m_ensembles->rowCount();
        m_ensembles->insertRow(row);
        m_ensembles->setItem(row, 0, new QTableWidgetItem(tr("ensemble %1").arg(row + 1)));
        m_ensembles->setItem(row, 1, new QTableWidgetItem(members.join(QStringLiteral(", "))));
    });
    connect(removeEnsemble, &QPushButton::clicked, this, [this] {
        if (m_ensembles->currentRow() >= 0)
            m_ensembles->removeRow(m_ensembles->currentRow());
    });
    auto *eb = new QHBoxLayout;
    eb->addWidget(addEnsemble);
    eb->addWidget(removeEnsemble);
    eb->addStretch(1);
    auto *ensBox = new QGroupBox(tr("Ensembles (optional)"), this);
    auto *el = new QVBoxLayout(ensBox);
    el->addWidget(m_ensembles);
    el->addLayout(eb);

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    for (QWidget *w : {static_cast<QWidget *>(dataBox), static_cast<QWidget *>(modelBox),
                       static_cast<QWidget *>(promptBox), static_cast<QWidget *>(ragBox),
                       static_cast<QWidget *>(decBox), static_cast<QWidget *>(ensBox)})
        layout->addWidget(w);
    layout->addStretch(1);

    // ---- changes ----
    connect(m_name, &QLineEdit::textChanged, this, &ExperimentBuilder::changed);
    connect(m_dataset, &QComboBox::currentIndexChanged, this, &ExperimentBuilder::changed);
    connect(m_split, &QComboBox::currentIndexChanged, this, &ExperimentBuilder::changed);
    connect(m_limit, &QSpinBox::valueChanged, this, &ExperimentBuilder::changed);
    connect(m_method, &QComboBox::currentIndexChanged, this, &ExperimentBuilder::changed);
    connect(m_chat, &QCheckBox::toggled, this, &ExperimentBuilder::changed);
    connect(m_templates, &QListWidget::itemChanged, this, &ExperimentBuilder::changed);
    connect(m_rag, &QTableWidget::itemChanged, this, &ExperimentBuilder::changed);
    connect(m_ensembles, &QTableWidget::itemChanged, this, &ExperimentBuilder::changed);
    connect(m_ensembles->model(), &QAbstractItemModel::rowsRemoved, this,
            &ExperimentBuilder::changed);
    connect(m_variants, &VariantTable::changed, this, &ExperimentBuilder::changed);
    connect(m_variants, &VariantTable::addRemoteRequested, this,
            &ExperimentBuilder::addRemoteRequested);
    connect(m_decodings, &DecodingTable::changed, this, &ExperimentBuilder::changed);

    reload();
    // A form that can run as it is: the first model, greedy, the direct-answer template.
    m_decodings->setDecodings({DecodingTable::greedy()});
    if (m_variants->table()->rowCount() == 0)
        m_variants->addVariant();
    const auto direct = m_templates->findItems(QStringLiteral("logic-direct"), Qt::MatchExactly);
    if (!direct.isEmpty())
        direct.front()->setCheckState(Qt::Checked);
    else if (m_templates->count() > 0)
        m_templates->item(0)->setCheckState(Qt::Checked);
}

void ExperimentBuilder::reload()
{
    const wb::Experiment keep = raw();
    const QSignalBlocker block(this);
    try {
        {
            const QSignalBlocker b(m_dataset);
            m_dataset->clear();
            for (const auto &d : wb::DatasetStore(m_ws).list())
                m_dataset->addItem(q(d.name));
            selectOrAdd(m_dataset, q(keep.dataset));
        }
        m_models.clear();
        for (const auto &m : wb::ModelStore(m_ws).list())
            m_models.push_back({q(m.name), q(m.name),
                                m.info.ok ? tr("Local model: %1").arg(q(m.info.architecture))
                                          : tr("Broken model folder")});
        for (const auto &r : wb::RemoteStore(m_ws).list())
            m_models.push_back({q(r.name), q(r.name),
                                tr("Remote endpoint: %1 at %2").arg(q(r.model), q(r.baseUrl))});
        m_variants->setChoices(m_models, m_adapters);
        QStringList checked;
        for (const auto &t : keep.templates)
            checked << q(t);
        fillTemplates(checked);
        fillRag(keep.rag);
    } catch (const std::exception &e) {
        // The form keeps what it had; the plan line reports problems with the experiment.
        m_dataset->setToolTip(QString::fromUtf8(e.what()));
    }
}

void ExperimentBuilder::setAdapterRuns(std::vector<CompareChoice> runs)
{
    m_adapters = std::move(runs);
    m_variants->setChoices(m_models, m_adapters);
}

void ExperimentBuilder::selectOrAdd(QComboBox *box, const QString &value)
{
    if (value.isEmpty())
        return;
    int i = box->findText(value);
    if (i < 0) {
        box->addItem(value);
        i = box->count() - 1;
        box->setItemData(i, tr("Not in this workspace"), Qt::ToolTipRole);
    }
    box->setCurrentIndex(i);
}

void ExperimentBuilder::fillTemplates(const QStringList &checked)
{
    const QSignalBlocker block(m_templates);
    m_templates->clear();
    QStringList names;
    for (const auto &t : wb::TemplateStore(m_ws).list())
        names << q(t.name);
    for (const QString &c : checked)
        if (!names.contains(c))
            names << c; // kept visible, so the check that it exists names it
    for (const QString &n : names) {
        auto *item = new QListWidgetItem(n, m_templates);
        item->setFlags(Qt::ItemIsEnabled | Qt::ItemIsUserCheckable | Qt::ItemIsSelectable);
        item->setCheckState(checked.contains(n) ? Qt::Checked : Qt::Unchecked);
    }
}

void ExperimentBuilder::fillRag(const std::vector<wb::RagSetting> &rag)
{
    const QSignalBlocker block(m_rag);
    m_rag->setRowCount(0);
    auto addRow = [this](const QString &collection, bool checked, int k) {
        const int row = m_rag->rowCount();
        m_rag->insertRow(row);
        auto *name =
            new QTableWidgetItem(collection.isEmpty() ? tr("off (no retrieval)") : collection);
        name->setFlags(Qt::ItemIsEnabled | Qt::ItemIsUserCheckable | Qt::ItemIsSelectable);
        name->setCheckState(checked ? Qt::Checked : Qt::Unchecked);
        name->setData(kCollectionRole, collection);
        m_rag->setItem(row, 0, name);
        auto *kItem = new QTableWidgetItem;
        if (collection.isEmpty()) {
            kItem->setFlags(Qt::NoItemFlags);
        } else {
            kItem->setData(Qt::EditRole, k);
        }
        m_rag->setItem(row, 1, kItem);
    };
    bool off = rag.empty();
    for (const auto &r : rag)
        off = off || !r.enabled;
    addRow(QString(), off, 0);
    QStringList listed;
    for (const auto &c : wb::rag::KnowledgeBase::list(m_ws)) {
        int k = 4;
        bool on = false;
        for (const auto &r : rag)
            if (r.enabled && r.collection == c.name) {
                on = true;
                k = r.k;
            }
        addRow(q(c.name), on, k);
        listed << q(c.name);
    }
    for (const auto &r : rag)
        if (r.enabled && !listed.contains(q(r.collection)))
            addRow(q(r.collection), true, r.k);
}

wb::Experiment ExperimentBuilder::raw() const
{
    wb::Experiment e;
    e.name = m_name->text().trimmed().toStdString();
    e.dataset = m_dataset->currentText().toStdString();
    e.split = m_split->currentData().toString().toStdString();
    e.limit = size_t(m_limit->value());
    e.method = m_method->currentData().toString().toStdString();
    e.variants = m_variants->variants();
    for (int i = 0; i < m_templates->count(); ++i)
        if (m_templates->item(i)->checkState() == Qt::Checked)
            e.templates.push_back(m_templates->item(i)->text().toStdString());
    e.chatTemplate = m_chat->isChecked();
    e.rag.clear();
    for (int r = 0; r < m_rag->rowCount(); ++r) {
        const auto *name = m_rag->item(r, 0);
        if (!name || name->checkState() != Qt::Checked)
            continue;
        wb::RagSetting s;
        s.collection = name->data(kCollectionRole).toString().toStdString();
        s.enabled = !s.collection.empty();
        if (const auto *k = m_rag->item(r, 1); k && s.enabled)
            s.k = k->data(Qt::EditRole).toInt();
        e.rag.push_back(s);
    }
    e.decoding = m_decodings->decodings();
    for (int r = 0; r < m_ensembles->rowCount(); ++r) {
        wb::Ensemble en;
        if (const auto *l = m_ensembles->item(r, 0))
            en.label = l->text().trimmed().toStdString();
        if (const auto *m = m_ensembles->item(r, 1))
            for (const QString &id : m->text().split(QRegularExpression(QStringLiteral("[,;\\s]+")),
                                                     Qt::SkipEmptyParts))
                en.members.push_back(id.toStdString());
        e.ensembles.push_back(std::move(en));
    }
    e.evalFraction = m_evalFraction;
    e.splitSeed = m_splitSeed;
    return e;
}

std::optional<wb::Experiment> ExperimentBuilder::experiment(QString *problem) const
{
    const wb::Experiment e = raw();
    QString why;
    if (e.dataset.empty())
        why = tr("Choose a dataset.");
    else if (e.variants.empty())
        why = tr("Add at least one model variant.");
    else if (e.templates.empty())
        why = tr("Tick at least one prompt template.");
    else if (e.rag.empty())
        why = tr("Tick at least one RAG setting (\"off\" for none).");
    else if (e.decoding.empty())
        why = tr("Add at least one decoding.");
    if (why.isEmpty()) {
        try {
            // The same checks (and defaults) as the experiment's JSON file gets.
            return wb::Experiment::fromJson(e.toJson(), "experiment");
        } catch (const std::exception &ex) {
            why = QString::fromUtf8(ex.what());
        }
    }
    if (problem)
        *problem = why;
    return std::nullopt;
}

void ExperimentBuilder::setExperiment(const wb::Experiment &e)
{
    {
        const QSignalBlocker block(this);
        m_name->setText(q(e.name));
        selectOrAdd(m_dataset, q(e.dataset));
        m_split->setCurrentIndex(std::max(0, m_split->findData(q(e.split))));
        m_limit->setValue(int(std::min<size_t>(e.limit, size_t(m_limit->maximum()))));
        m_method->setCurrentIndex(std::max(0, m_method->findData(q(e.method))));
        m_variants->setVariants(e.variants);
        QStringList checked;
        for (const auto &t : e.templates)
            checked << q(t);
        try {
            fillTemplates(checked);
            fillRag(e.rag);
        } catch (const std::exception &ex) {
            m_dataset->setToolTip(QString::fromUtf8(ex.what()));
        }
        m_chat->setChecked(e.chatTemplate);
        m_decodings->setDecodings(e.decoding);
        m_ensembles->setRowCount(0);
        for (const auto &en : e.ensembles) {
            const int row = m_ensembles->rowCount();
            m_ensembles->insertRow(row);
            QStringList members;
            for (const auto &m : en.members)
                members << q(m);
            m_ensembles->setItem(row, 0, new QTableWidgetItem(q(en.label)));
            m_ensembles->setItem(row, 1, new QTableWidgetItem(members.join(QStringLiteral(", "))));
        }
        m_evalFraction = e.evalFraction;
        m_splitSeed = e.splitSeed;
    }
    Q_EMIT changed();
}

QString ExperimentBuilder::name() const
{
    return m_name->text().trimmed();
}

void ExperimentBuilder::setName(const QString &name)
{
    m_name->setText(name);
}

} // namespace wbui

#pragma once

#include "compare_variants.h"
#include "eval/experiment.h"

#include <QWidget>

#include <optional>

class QCheckBox;
class QComboBox;
class QLineEdit;
class QListWidget;
class QSpinBox;
class QTableWidget;

namespace wb {
class Workspace;
}

namespace wbui {

// The experiment editor of the Compare tab: the dataset (split, limit), the model variants, the
// prompt templates (several), the model's chat template, RAG settings (off and/or collections
// with k), decodings, the scoring method and optional ensembles. experiment() gives the same
// Experiment that its JSON file would give (`llmwb compare run FILE`).
class ExperimentBuilder final : public QWidget
{
    Q_OBJECT
public:
    explicit ExperimentBuilder(wb::Workspace &ws, QWidget *parent = nullptr);

    // Re-reads datasets, models, remote endpoints, templates and collections, keeping the form.
    void reload();
    // Training runs with an adapter/ folder (read by the tab in a quiet job).
    void setAdapterRuns(std::vector<CompareChoice> runs);

    // The experiment as edited, checked as its JSON would be; nullopt and `problem` otherwise.
    std::optional<wb::Experiment> experiment(QString *problem = nullptr) const;
    void setExperiment(const wb::Experiment &e);
    QString name() const;
    void setName(const QString &name);

    VariantTable *variants() const { return m_variants; }
    DecodingTable *decodings() const { return m_decodings; }

Q_SIGNALS:
    void changed();
    void addRemoteRequested();

private:
    wb::Experiment raw() const;
    void fillTemplates(const QStringList &checked);
    void fillRag(const std::vector<wb::RagSetting> &rag);
    void selectOrAdd(QComboBox *box, const QString &value);

    wb::Workspace &m_ws;
    QLineEdit *m_name;
    QComboBox *m_dataset;
    QComboBox *m_split;
    QSpinBox *m_limit;
    QComboBox *m_method;
    VariantTable *m_variants;
    QListWidget *m_templates;
    QCheckBox *m_chat;
    QTableWidget *m_rag;
    DecodingTable *m_decodings;
    QTableWidget *m_ensembles;
    std::vector<CompareChoice> m_models, m_adapters;
    double m_evalFraction = 0.1;
    uint64_t m_splitSeed = 42;
};

} // namespace wbui

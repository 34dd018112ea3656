#pragma once

#include "eval/experiment.h"

#include <QString>
#include <QWidget>

#include <vector>

class QPushButton;
class QTableWidget;

namespace wbui {

// Something a variant's model or adapter can be: a workspace model, a remote endpoint, a
// training run with an adapter.
struct CompareChoice
{
    QString name;    // what the experiment records
    QString display; // what the combo shows
    QString tooltip;
};

// The experiment's model variants: a row per variant with its model (a workspace model or a
// remote endpoint; a model folder can be typed in), an optional adapter (a training run with an
// adapter/ folder, or a PEFT folder typed in) and a label for the matrix.
class VariantTable final : public QWidget
{
    Q_OBJECT
public:
    explicit VariantTable(QWidget *parent = nullptr);

    // Replaces what the combos offer, keeping every row's value.
    void setChoices(std::vector<CompareChoice> models, std::vector<CompareChoice> adapters);
    std::vector<wb::Variant> variants() const;
    void setVariants(const std::vector<wb::Variant> &variants);
    void addVariant(const wb::Variant &v = {});
    QTableWidget *table() const { return m_table; }

Q_SIGNALS:
    void changed();
    void addRemoteRequested();

private:
    void fillRow(int row, const wb::Variant &v);
    QString comboValue(int row, int col) const;

    QTableWidget *m_table;
    std::vector<CompareChoice> m_models, m_adapters;
};

// The decodings: label, temperature, top-p, samples, seed and max new tokens per row, with
// presets (greedy; 5 votes at T = 0.7; ...).
class DecodingTable final : public QWidget
{
    Q_OBJECT
public:
    explicit DecodingTable(QWidget *parent = nullptr);

    std::vector<wb::Decoding> decodings() const;
    void setDecodings(const std::vector<wb::Decoding> &decodings);
    void addDecoding(const wb::Decoding &d);
    QTableWidget *table() const { return m_table; }

    static wb::Decoding greedy(int maxNewTokens = 256);
    static wb::Decoding votes(int samples, float temperature, float topP = 1.0f);

Q_SIGNALS:
    void changed();

private:
    QTableWidget *m_table;
};

} // namespace wbui

#pragma once

#include "train/train_config.h"

#include <QWidget>

#include <optional>

class QCheckBox;
class QComboBox;
class QDoubleSpinBox;
class QGroupBox;
class QLabel;
class QLineEdit;
class QSpinBox;

namespace wbui {

class AppContext;

// The setup half of the Training tab: model, data, template, method and hyperparameters,
// with defaults that give a working run on the demo and a tooltip on every field. Produces a
// wb::TrainConfig (without its output folder).
class TrainingForm final : public QWidget
{
    Q_OBJECT
public:
    explicit TrainingForm(AppContext &ctx, QWidget *parent = nullptr);

    // The configuration the form describes, or nothing with *problem saying what is missing.
    std::optional<wb::TrainConfig> config(QString *problem) const;
    // Fills the form from a recorded run ("use these settings"). Models, datasets and
    // templates are matched by folder and name; what no longer exists is left as it is.
    void setConfig(const wb::TrainConfig &config);
    QString runName() const;
    // Re-reads the workspace's models, datasets and templates, keeping the selections.
    void reload();

Q_SIGNALS:
    void changed();

private:
    void modelChanged();
    // Applies the selected model folder's suggested_training.json, once per model chosen.
    void applySuggestions();
    // The hyperparameter widgets (everything but model, data, template and chat) to and from
    // a configuration.
    void readHyperparameters(wb::TrainConfig &c) const;
    void setHyperparameters(const wb::TrainConfig &c);
    void methodChanged();
    void updateTargets();

    AppContext &m_ctx;
    QString m_suggestedFor;       // the model folder whose suggestions were last considered
    bool m_settingConfig = false; // setConfig is selecting a recorded run's model
    QLabel *m_suggestedNote;
    // data
    QComboBox *m_model;
    QComboBox *m_dataset;
    QComboBox *m_evalSource;
    QDoubleSpinBox *m_evalFraction;
    QComboBox *m_evalDataset;
    QComboBox *m_template;
    QCheckBox *m_chat;
    QSpinBox *m_maxLength;
    QCheckBox *m_packing;
    QCheckBox *m_trainOnPrompt;
    // method
    QComboBox *m_method;
    QGroupBox *m_loraBox;
    QGroupBox *m_fullBox;
    QCheckBox *m_allLinear;
    QList<QCheckBox *> m_targets;
    QSpinBox *m_rank;
    QDoubleSpinBox *m_alpha;
    QDoubleSpinBox *m_dropout;
    QCheckBox *m_rslora;
    QComboBox *m_init;
    QSpinBox *m_lastLayers;
    // optimisation
    QDoubleSpinBox *m_lr;
    QComboBox *m_schedule;
    QSpinBox *m_warmup;
    QSpinBox *m_epochs;
    QSpinBox *m_maxSteps;
    QSpinBox *m_batch;
    QSpinBox *m_accum;
    QDoubleSpinBox *m_clip;
    QDoubleSpinBox *m_weightDecay;
    QSpinBox *m_seed;
    QCheckBox *m_checkpointing;
    // run
    QComboBox *m_device;
    QSpinBox *m_logEvery;
    QSpinBox *m_evalEvery;
    QSpinBox *m_saveEvery;
    QLineEdit *m_runName;
};

} // namespace wbui

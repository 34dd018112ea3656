#include "training_form.h"

#include "app_context.h"
#include "common/runtime.h"
#include "formats/peft.h"
#include "store/dataset_store.h"
#include "store/model_store.h"
#include "store/template_store.h"
#include "store/workspace.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDoubleSpinBox>
#include <QFormLayout>
#include <QGridLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QSpinBox>
#include <QVBoxLayout>

#include <cmath>

namespace wbui {

namespace {

QString q(const std::string &s)
{
    return QString::fromStdString(s);
}

// Learning rates span decades: shown as 2e-04, stepped along 1-2-5.
class ScientificSpinBox final : public QDoubleSpinBox
{
public:
    explicit ScientificSpinBox(QWidget *parent) : QDoubleSpinBox(parent)
    {
        setDecimals(12);
        setRange(1e-9, 10);
    }
    QString textFromValue(double v) const override { return QString::number(v, 'g', 3); }
    double valueFromText(const QString &text) const override { return text.toDouble(); }
    QValidator::State validate(QString &text, int &) const override
    {
        bool ok = false;
        const double v = text.toDouble(&ok);
        if (ok && v >= minimum() && v <= maximum())
            return QValidator::Acceptable;
        return text.isEmpty() || text.endsWith(QLatin1Char('e')) ||
                       text.endsWith(QLatin1Char('-')) || text.endsWith(QLatin1Char('.'))
                   ? QValidator::Intermediate
                   : (ok ? QValidator::Intermediate : QValidator::Invalid);
    }
    void stepBy(int steps) override
    {
        static const double ladder[] = {1, 2, 5};
        double v = value();
        for (int i = 0; i < std::abs(steps); ++i) {
            const double exp = std::floor(std::log10(v) + 1e-9);
            const double mant = v / std::pow(10, exp);
            int k = mant < 1.5 ? 0 : mant < 3.5 ? 1 : 2;
            double e = exp;
            k += steps > 0 ? 1 : -1;
            if (k > 2) {
                k = 0;
                e += 1;
            } else if (k < 0) {
                k = 2;
                e -= 1;
            }
            v = ladder[k] * std::pow(10, e);
        }
        setValue(v);
    }
};

QSpinBox *spin(QWidget *parent, const char *name, int lo, int hi, int value, const QString &tip)
{
    auto *s = new QSpinBox(parent);
    s->setObjectName(QLatin1String(name));
    s->setRange(lo, hi);
    s->setValue(value);
    s->setToolTip(tip);
    return s;
}

QDoubleSpinBox *dspin(QWidget *parent, const char *name, double lo, double hi, double value,
                      double step, int decimals, const QString &tip)
{
    auto *s = new QDoubleSpinBox(parent);
    s->setObjectName(QLatin1String(name));
    s->setRange(lo, hi);
    s->setDecimals(decimals);
    s->setSingleStep(step);
    s->setValue(value);
    s->setToolTip(tip);
    return s;
}

QCheckBox *check(QWidget *parent, const char *name, const QString &text, bool on,
                 const QString &tip)
{
    auto *c = new QCheckBox(text, parent);
    c->setObjectName(QLatin1String(name));
    c->setChecked(on);
    c->setToolTip(tip);
    return c;
}

void selectData(QComboBox *box, const QVariant &data)
{
    const int i = box->findData(data);
    if (i >= 0)
        box->setCurrentIndex(i);
}

void selectText(QComboBox *box, const QString &text)
{
    const int i = box->findText(text);
    if (i >= 0)
        box->setCurrentIndex(i);
}

} // namespace

TrainingForm::TrainingForm(AppContext &ctx, QWidget *parent) : QWidget(parent), m_ctx(ctx)
{
    const wb::TrainConfig d; // the engine's defaults, adjusted below where the UI knows better

    // ---- data ----
    m_model = new QComboBox(this);
    m_model->setObjectName(QStringLiteral("trainModel"));
    m_model->setToolTip(tr("The base model (register folders in the Models tab)"));
    m_dataset = new QComboBox(this);
    m_dataset->setObjectName(QStringLiteral("trainDataset"));
    m_dataset->setToolTip(tr("Training data: the latest version of a workspace dataset. Logic "
                             "problems give one example per sub-question."));
    m_evalSource = new QComboBox(this);
    m_evalSource->setObjectName(QStringLiteral("evalSource"));
    m_evalSource->addItem(tr("Hold out a fraction"), QStringLiteral("fraction"));
    m_evalSource->addItem(tr("Another dataset"), QStringLiteral("dataset"));
    m_evalSource->setToolTip(tr("Where the eval loss is measured: problems held out of the "
                                "training data (deterministic by seed), or a separate dataset"));
    m_evalFraction = dspin(this, "evalFraction", 0, 0.5, d.evalFraction, 0.05, 2,
                           tr("Share of the training problems kept aside for the eval loss "
                              "(0: no eval curve)"));
    m_evalDataset = new QComboBox(this);
    m_evalDataset->setObjectName(QStringLiteral("evalDataset"));
    m_evalDataset->setToolTip(tr("The dataset the eval loss is measured on"));
    m_template = new QComboBox(this);
    m_template->setObjectName(QStringLiteral("trainTemplate"));
    m_template->setToolTip(tr("The prompt template each record is rendered with; the model "
                              "learns to answer what follows it"));
    m_chat = check(this, "useChatTemplate", tr("Wrap in the model's chat template"), false,
                   tr("Send the rendered prompt as a user turn and the answer as the assistant "
                      "turn of the model's own chat template (only for models that have one)"));
    m_maxLength = spin(this, "maxLength", 16, 32768, d.maxLength,
                       tr("Tokens per example; longer examples are cut and counted in the plan"));
    m_packing = check(this, "packing", tr("Pack examples"), d.packing,
                      tr("Concatenate short examples into sequences of the maximum length: "
                         "fewer padding tokens, faster epochs"));
    m_trainOnPrompt = check(this, "trainOnPrompt", tr("Train on the prompt too"), d.trainOnPrompt,
                            tr("Also compute the loss on the prompt tokens (default: only on the "
                               "response)"));
    auto *evalRow = new QHBoxLayout;
    evalRow->addWidget(m_evalSource);
    evalRow->addWidget(m_evalFraction);
    evalRow->addWidget(m_evalDataset, 1);
    auto *dataBox = new QGroupBox(tr("Model and data"), this);
    auto *df = new QFormLayout(dataBox);
    df->addRow(tr("Model"), m_model);
    m_suggestedNote = new QLabel(this);
    m_suggestedNote->setObjectName(QStringLiteral("suggestedNote"));
    m_suggestedNote->setWordWrap(true);
    m_suggestedNote->hide();
    df->addRow(QString(), m_suggestedNote);
    df->addRow(tr("Dataset"), m_dataset);
    df->addRow(tr("Eval"), evalRow);
    df->addRow(tr("Template"), m_template);
    df->addRow(QString(), m_chat);
    df->addRow(tr("Max length"), m_maxLength);
    auto *dataChecks = new QHBoxLayout;
    dataChecks->addWidget(m_packing);
    dataChecks->addWidget(m_trainOnPrompt);
    dataChecks->addStretch(1);
    df->addRow(QString(), dataChecks);
    connect(m_evalSource, &QComboBox::currentIndexChanged, this, [this] {
        const bool fraction = m_evalSource->currentData().toString() == QLatin1String("fraction");
        m_evalFraction->setVisible(fraction);
        m_evalDataset->setVisible(!fraction);
    });
    m_evalDataset->setVisible(false);

    // ---- method ----
    m_method = new QComboBox(this);
    m_method->setObjectName(QStringLiteral("trainMethod"));
    m_method->addItem(tr("LoRA adapter"), QStringLiteral("lora"));
    m_method->addItem(tr("Full fine-tuning"), QStringLiteral("full"));
    m_method->setToolTip(tr("LoRA trains small low-rank matrices beside the frozen weights (fast, "
                            "little memory, a PEFT adapter as result); full fine-tuning changes "
                            "the weights themselves"));
    m_loraBox = new QGroupBox(tr("LoRA"), this);
    auto *lg = new QGridLayout(m_loraBox);
    m_allLinear = check(this, "loraAllLinear", tr("All linear layers"), true,
                        tr("Every projection of attention and MLP (q k v o gate up down)"));
    lg->addWidget(m_allLinear, 0, 0, 1, 4);
    const QStringList shortNames = {
        QStringLiteral("q"),    QStringLiteral("k"),  QStringLiteral("v"),   QStringLiteral("o"),
        QStringLiteral("gate"), QStringLiteral("up"), QStringLiteral("down")};
    const auto &modules = wb::loraModuleNames();
    for (int i = 0; i < int(modules.size()); ++i) {
        auto *c = new QCheckBox(shortNames.value(i, q(modules[i])), this);
        c->setObjectName(QStringLiteral("loraTarget_") + shortNames.value(i));
        c->setProperty("module", q(modules[i]));
        c->setToolTip(q(modules[i]));
        c->setChecked(true);
        m_targets << c;
        lg->addWidget(c, 1 + i / 4, i % 4);
        connect(c, &QCheckBox::toggled, this, [this] { updateTargets(); });
    }
    connect(m_allLinear, &QCheckBox::toggled, this, [this](bool on) {
        for (auto *c : m_targets) {
            if (on)
                c->setChecked(true);
            c->setEnabled(!on);
        }
    });
    for (auto *c : m_targets)
        c->setEnabled(false);
    m_rank = spin(this, "loraRank", 1, 1024, d.lora.r,
                  tr("Rank r of the adapter matrices: capacity and size grow with it"));
    m_alpha = dspin(this, "loraAlpha", 0.5, 4096, d.lora.alpha, 1, 1,
                    tr("Scale of the adapter's update: alpha / r (alpha / √r with rsLoRA)"));
    m_dropout = dspin(this, "loraDropout", 0, 0.9, d.lora.dropout, 0.05, 2,
                      tr("Dropout on the adapter's input during training"));
    m_rslora = check(this, "rslora", tr("rsLoRA"), d.lora.rslora,
                     tr("Rank-stabilised scaling alpha / √r: keeps high ranks learning"));
    m_init = new QComboBox(this);
    m_init->setObjectName(QStringLiteral("loraInit"));
    m_init->addItem(tr("Kaiming-uniform A"), QStringLiteral("kaiming"));
    m_init->addItem(tr("Gaussian A"), QStringLiteral("gaussian"));
    m_init->setToolTip(tr("How A starts; B starts at zero either way, so step 0 equals the base "
                          "model"));
    auto *lf = new QFormLayout;
    lf->addRow(tr("Rank"), m_rank);
    lf->addRow(tr("Alpha"), m_alpha);
    lf->addRow(tr("Dropout"), m_dropout);
    lf->addRow(tr("Init"), m_init);
    lf->addRow(QString(), m_rslora);
    lg->addLayout(lf, 3, 0, 1, 4);
    m_fullBox = new QGroupBox(tr("Full fine-tuning"), this);
    auto *ff = new QFormLayout(m_fullBox);
    m_lastLayers = spin(this, "trainLastLayers", 0, 1000, 0,
                        tr("Only the last N decoder layers (and the final norm) train; 0 trains "
                           "every weight"));
    m_lastLayers->setSpecialValueText(tr("all layers"));
    ff->addRow(tr("Train last layers"), m_lastLayers);
    auto *methodBox = new QGroupBox(tr("Method"), this);
    auto *mv = new QVBoxLayout(methodBox);
    mv->addWidget(m_method);
    mv->addWidget(m_loraBox);
    mv->addWidget(m_fullBox);
    connect(m_method, &QComboBox::currentIndexChanged, this, &TrainingForm::methodChanged);

    // ---- optimisation ----
    m_lr = new ScientificSpinBox(this);
    m_lr->setObjectName(QStringLiteral("learningRate"));
    m_lr->setValue(d.learningRate);
    m_lr->setToolTip(tr("Peak learning rate of AdamW. LoRA: 1e-4 to 5e-4; full fine-tuning: "
                        "around 1e-5"));
    m_schedule = new QComboBox(this);
    m_schedule->setObjectName(QStringLiteral("schedule"));
    m_schedule->addItem(tr("cosine"), QStringLiteral("cosine"));
    m_schedule->addItem(tr("linear"), QStringLiteral("linear"));
    m_schedule->addItem(tr("constant"), QStringLiteral("constant"));
    m_schedule->setToolTip(tr("How the learning rate falls after the warmup"));
    m_warmup = spin(this, "warmupSteps", 0, 1000000, 5,
                    tr("Steps over which the learning rate rises linearly from 0"));
    m_epochs = spin(this, "epochs", 1, 1000, d.epochs, tr("Passes over the training examples"));
    m_maxSteps = spin(this, "maxSteps", 0, 100000000, 0,
                      tr("Stops after this many optimizer steps (0: run all epochs)"));
    m_maxSteps->setSpecialValueText(tr("no limit"));
    m_batch = spin(this, "batchSize", 1, 4096, d.batchSize,
                   tr("Examples per micro-batch. Lower it if memory runs out"));
    m_accum = spin(this, "gradAccum", 1, 4096, d.gradAccum,
                   tr("Micro-batches per optimizer step: effective batch = batch × accumulation"));
    m_clip = dspin(this, "maxGradNorm", 0, 1000, d.maxGradNorm, 0.5, 2,
                   tr("Gradients are scaled down to this norm (0: no clipping)"));
    m_weightDecay = dspin(this, "weightDecay", 0, 1, d.weightDecay, 0.01, 3,
                          tr("AdamW's decoupled weight decay"));
    m_seed = spin(this, "seed", 0, 2147483647, int(d.seed),
                  tr("Same seed, same settings: the same run (data order, init, dropout)"));
    m_checkpointing =
        check(this, "gradientCheckpointing", tr("Gradient checkpointing"), d.gradientCheckpointing,
              tr("Recompute activations in the backward pass: much less memory for "
                 "about a third more time"));
    auto *optBox = new QGroupBox(tr("Training"), this);
    auto *of = new QFormLayout(optBox);
    of->addRow(tr("Learning rate"), m_lr);
    of->addRow(tr("Schedule"), m_schedule);
    of->addRow(tr("Warmup steps"), m_warmup);
    of->addRow(tr("Epochs"), m_epochs);
    of->addRow(tr("Max steps"), m_maxSteps);
    of->addRow(tr("Batch size"), m_batch);
    of->addRow(tr("Gradient accumulation"), m_accum);
    of->addRow(tr("Gradient clipping"), m_clip);
    of->addRow(tr("Weight decay"), m_weightDecay);
    of->addRow(tr("Seed"), m_seed);
    of->addRow(QString(), m_checkpointing);

    // ---- run ----
    m_device = new QComboBox(this);
    m_device->setObjectName(QStringLiteral("trainDevice"));
    m_device->addItem(tr("CPU (fp32)"), QStringLiteral("cpu"));
    for (int i = 0; i < wb::cudaDeviceCount(); ++i)
        m_device->addItem(tr("GPU %1 (CUDA, bf16)").arg(i), QStringLiteral("cuda:%1").arg(i));
    m_device->setToolTip(tr("Where the run trains. A GPU run takes turns with the Playground on "
                            "that GPU"));
    m_logEvery =
        spin(this, "logEvery", 1, 100000, d.logEvery, tr("Steps between points of the loss curve"));
    m_evalEvery = spin(this, "evalEvery", 0, 100000, 20,
                       tr("Steps between eval-loss points (0: only at the end)"));
    m_evalEvery->setSpecialValueText(tr("at the end"));
    m_saveEvery = spin(this, "saveEvery", 0, 100000, 50,
                       tr("Steps between checkpoints a stopped run resumes from (0: only at the "
                          "end); a stop also saves one"));
    m_saveEvery->setSpecialValueText(tr("at the end"));
    m_runName = new QLineEdit(this);
    m_runName->setObjectName(QStringLiteral("runName"));
    m_runName->setPlaceholderText(tr("optional; part of the run folder's name"));
    auto *runBox = new QGroupBox(tr("Run"), this);
    auto *rf = new QFormLayout(runBox);
    rf->addRow(tr("Device"), m_device);
    rf->addRow(tr("Log every"), m_logEvery);
    rf->addRow(tr("Eval every"), m_evalEvery);
    rf->addRow(tr("Save every"), m_saveEvery);
    rf->addRow(tr("Name"), m_runName);

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 4, 0);
    layout->addWidget(dataBox);
    layout->addWidget(methodBox);
    layout->addWidget(optBox);
    layout->addWidget(runBox);
    layout->addStretch(1);

    connect(m_model, &QComboBox::currentIndexChanged, this, &TrainingForm::modelChanged);
    reload();
    methodChanged();

    // Any edit may change the plan.
    for (auto *w : findChildren<QSpinBox *>())
        connect(w, &QSpinBox::valueChanged, this, &TrainingForm::changed);
    for (auto *w : findChildren<QDoubleSpinBox *>())
        connect(w, &QDoubleSpinBox::valueChanged, this, &TrainingForm::changed);
    for (auto *w : findChildren<QComboBox *>())
        connect(w, &QComboBox::currentIndexChanged, this, &TrainingForm::changed);
    for (auto *w : findChildren<QCheckBox *>())
        connect(w, &QCheckBox::toggled, this, &TrainingForm::changed);
}

void TrainingForm::reload()
{
    const QVariant keepModel = m_model->currentData();
    const QString keepData = m_dataset->currentText(), keepEval = m_evalDataset->currentText(),
                  keepTemplate = m_template->currentText();
    const QSignalBlocker b1(m_model), b2(m_dataset), b3(m_evalDataset), b4(m_template);
    m_model->clear();
    for (const auto &e : wb::ModelStore(m_ctx.workspace()).list()) {
        if (!e.info.ok)
            continue;
        m_model->addItem(q(e.name), q(e.info.path.string()));
        const int i = m_model->count() - 1;
        m_model->setItemData(i, int(e.info.layers), Qt::UserRole + 1);
        m_model->setItemData(i, !e.info.chatFamily.empty(), Qt::UserRole + 2);
        m_model->setItemData(
            i,
            tr("%1 · %2 layers · chat template: %3")
                .arg(q(e.info.architecture))
                .arg(e.info.layers)
                .arg(e.info.chatFamily.empty() ? tr("none") : q(e.info.chatFamily)),
            Qt::ToolTipRole);
    }
    m_dataset->clear();
    m_evalDataset->clear();
    for (const auto &dsi : wb::DatasetStore(m_ctx.workspace()).list()) {
        const QString label = q(dsi.name);
        const QString path = q((m_ctx.workspace().filesDir() / dsi.latest.filePath).string());
        m_dataset->addItem(label, path);
        m_evalDataset->addItem(label, path);
        const QString tip = tr("%1 rows · %2 prompts · version %3")
                                .arg(dsi.latest.rowCount)
                                .arg(dsi.latest.promptCount)
                                .arg(dsi.latest.version);
        m_dataset->setItemData(m_dataset->count() - 1, tip, Qt::ToolTipRole);
        m_evalDataset->setItemData(m_evalDataset->count() - 1, tip, Qt::ToolTipRole);
    }
    m_template->clear();
    for (const auto &t : wb::TemplateStore(m_ctx.workspace()).list()) {
        m_template->addItem(q(t.name));
        m_template->setItemData(m_template->count() - 1, q(t.description), Qt::ToolTipRole);
    }
    selectData(m_model, keepModel);
    // The demo's natural pairing on first sight.
    selectText(m_dataset, keepData.isEmpty() ? QStringLiteral("demo-train") : keepData);
    selectText(m_evalDataset, keepEval.isEmpty() ? QStringLiteral("demo-eval") : keepEval);
    selectText(m_template, keepTemplate.isEmpty() ? QStringLiteral("logic-direct") : keepTemplate);
    modelChanged();
}

void TrainingForm::modelChanged()
{
    const bool chat = m_model->currentData(Qt::UserRole + 2).toBool();
    m_chat->setEnabled(chat);
    if (!chat)
        m_chat->setChecked(false);
    const int layers = m_model->currentData(Qt::UserRole + 1).toInt();
    m_lastLayers->setMaximum(layers > 0 ? layers : 1000);
    applySuggestions();
}

void TrainingForm::applySuggestions()
{
    const QString dir = m_model->currentData().toString();
    // Once per model chosen: re-reading the workspace keeps the model and the user's edits, and
    // a recorded run's model comes with the run's settings.
    if (dir == m_suggestedFor)
        return;
    m_suggestedFor = dir;
    if (m_settingConfig)
        return;
    m_suggestedNote->hide();
    if (dir.isEmpty())
        return;
    try {
        const auto suggested = wb::suggestedTraining(dir.toStdString());
        if (!suggested)
            return;
        wb::TrainConfig c;
        readHyperparameters(c);
        setHyperparameters(wb::withSettings(c, *suggested));
        m_suggestedNote->setText(
            tr("Settings suggested by this model applied (suggested_training.json in its folder)."));
        m_suggestedNote->setToolTip(q(suggested->dump(2)));
    } catch (const std::exception &e) {
        m_suggestedNote->setText(tr("This model's suggested settings were not applied: %1")
                                     .arg(QString::fromUtf8(e.what())));
        m_suggestedNote->setToolTip(QString());
    }
    m_suggestedNote->show();
}

void TrainingForm::methodChanged()
{
    const bool lora = m_method->currentData().toString() == QLatin1String("lora");
    m_loraBox->setVisible(lora);
    m_fullBox->setVisible(!lora);
    // A learning rate for LoRA is ten to a hundred times too large for all weights.
    if (!lora && m_lr->value() >= 1e-4)
        m_lr->setValue(1e-5);
    else if (lora && m_lr->value() < 1e-5 * 1.01)
        m_lr->setValue(2e-4);
}

void TrainingForm::updateTargets()
{
    bool all = true;
    for (auto *c : m_targets)
        all = all && c->isChecked();
    if (all && !m_allLinear->isChecked())
        m_allLinear->setChecked(true);
}

QString TrainingForm::runName() const
{
    return m_runName->text().trimmed();
}

std::optional<wb::TrainConfig> TrainingForm::config(QString *problem) const
{
    auto fail = [problem](const QString &msg) -> std::optional<wb::TrainConfig> {
        if (problem)
            *problem = msg;
        return std::nullopt;
    };
    if (m_model->count() == 0)
        return fail(tr("No model: add a model folder in the Models tab."));
    if (m_dataset->count() == 0)
        return fail(tr("No dataset: import one in the Datasets tab."));
    if (m_template->count() == 0)
        return fail(tr("No prompt template: create one in the Prompts tab."));
    wb::TrainConfig c;
    c.modelDir = m_model->currentData().toString().toStdString();
    c.datasetFile = m_dataset->currentData().toString().toStdString();
    c.datasetName = m_dataset->currentText().toStdString();
    if (m_evalSource->currentData().toString() == QLatin1String("dataset")) {
        if (m_evalDataset->currentIndex() < 0)
            return fail(tr("Choose the eval dataset."));
        if (m_evalDataset->currentData() == m_dataset->currentData())
            return fail(tr("The eval dataset is the training dataset: the eval loss would "
                           "measure memorisation. Choose another, or hold out a fraction."));
        c.evalDatasetFile = m_evalDataset->currentData().toString().toStdString();
        c.evalFraction = 0;
    } else {
        c.evalFraction = m_evalFraction->value();
    }
    try {
        const auto t =
            wb::TemplateStore(m_ctx.workspace()).get(m_template->currentText().toStdString());
        c.templateName = t.name;
        c.templateBody = t.latest.body;
    } catch (const std::exception &e) {
        return fail(QString::fromUtf8(e.what()));
    }
    c.chatTemplate = m_chat->isChecked();
    readHyperparameters(c);
    if (c.method == "lora" && c.lora.targetModules.empty())
        return fail(tr("LoRA needs at least one target module."));
    c.lora.baseModel = c.modelDir;
    return c;
}

void TrainingForm::readHyperparameters(wb::TrainConfig &c) const
{
    c.trainOnPrompt = m_trainOnPrompt->isChecked();
    c.maxLength = m_maxLength->value();
    c.packing = m_packing->isChecked();

    c.method = m_method->currentData().toString().toStdString();
    c.lora.targetModules.clear();
    for (auto *t : m_targets)
        if (t->isChecked())
            c.lora.targetModules.push_back(t->property("module").toString().toStdString());
    c.lora.r = m_rank->value();
    c.lora.alpha = m_alpha->value();
    c.lora.dropout = m_dropout->value();
    c.lora.rslora = m_rslora->isChecked();
    c.lora.init = m_init->currentData().toString().toStdString();
    c.trainLastLayers = m_lastLayers->value();

    c.learningRate = m_lr->value();
    c.schedule = m_schedule->currentData().toString().toStdString();
    c.warmupSteps = m_warmup->value();
    c.epochs = m_epochs->value();
    c.maxSteps = m_maxSteps->value();
    c.batchSize = m_batch->value();
    c.gradAccum = m_accum->value();
    c.maxGradNorm = m_clip->value();
    c.weightDecay = m_weightDecay->value();
    c.seed = static_cast<uint64_t>(m_seed->value());
    c.gradientCheckpointing = m_checkpointing->isChecked();

    c.device = m_device->currentData().toString().toStdString();
    c.dtype = c.device == "cpu" ? wb::DType::F32 : wb::DType::BF16;
    c.logEvery = m_logEvery->value();
    c.evalEvery = m_evalEvery->value();
    c.saveEvery = m_saveEvery->value();
}

void TrainingForm::setConfig(const wb::TrainConfig &c)
{
    // A recorded run's settings win over what its model suggests.
    m_settingConfig = true;
    selectData(m_model, q(c.modelDir));
    m_settingConfig = false;
    selectText(m_dataset, q(c.datasetName));
    if (!c.evalDatasetFile.empty()) {
        m_evalSource->setCurrentIndex(m_evalSource->findData(QStringLiteral("dataset")));
        selectData(m_evalDataset, q(c.evalDatasetFile));
    } else {
        m_evalSource->setCurrentIndex(m_evalSource->findData(QStringLiteral("fraction")));
        m_evalFraction->setValue(c.evalFraction);
    }
    selectText(m_template, q(c.templateName));
    m_chat->setChecked(c.chatTemplate && m_chat->isEnabled());
    setHyperparameters(c);
}

void TrainingForm::setHyperparameters(const wb::TrainConfig &c)
{
    m_trainOnPrompt->setChecked(c.trainOnPrompt);
    m_maxLength->setValue(c.maxLength);
    m_packing->setChecked(c.packing);
    selectData(m_method, q(c.method));
    bool all = true;
    for (auto *t : m_targets)
        all = all && c.lora.targets(t->property("module").toString().toStdString());
    m_allLinear->setChecked(all);
    for (auto *t : m_targets)
        t->setChecked(c.lora.targets(t->property("module").toString().toStdString()));
    m_rank->setValue(c.lora.r);
    m_alpha->setValue(c.lora.alpha);
    m_dropout->setValue(c.lora.dropout);
    m_rslora->setChecked(c.lora.rslora);
    selectData(m_init, q(c.lora.init));
    m_lastLayers->setValue(c.trainLastLayers);
    m_lr->setValue(c.learningRate);
    selectData(m_schedule, q(c.schedule));
    m_warmup->setValue(c.warmupSteps);
    m_epochs->setValue(c.epochs);
    m_maxSteps->setValue(int(std::min<int64_t>(c.maxSteps, m_maxSteps->maximum())));
    m_batch->setValue(c.batchSize);
    m_accum->setValue(c.gradAccum);
    m_clip->setValue(c.maxGradNorm);
    m_weightDecay->setValue(c.weightDecay);
    m_seed->setValue(int(std::min<uint64_t>(c.seed, uint64_t(m_seed->maximum()))));
    m_checkpointing->setChecked(c.gradientCheckpointing);
    selectData(m_device, q(c.device));
    m_logEvery->setValue(c.logEvery);
    m_evalEvery->setValue(c.evalEvery);
    m_saveEvery->setValue(c.saveEvery);
}

} // namespace wbui

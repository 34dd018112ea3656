#include "export_dialog.h"

#include "app_context.h"
#include "common/error.h"
#include "common/files.h"
#include "formats/gguf_export.h"
#include "formats/merge.h"
#include "job_bridge.h"
#include "jobs/job_runner.h"
#include "models_tab.h"

#include <QComboBox>
#include <QDialogButtonBox>
#include <QFileDialog>
#include <QFileInfo>
#include <QFormLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPointer>
#include <QProgressBar>
#include <QPushButton>
#include <QRadioButton>
#include <QVBoxLayout>

#include <cmath>

namespace wbui {

namespace fs = std::filesystem;

namespace {

QString q(const std::string &s)
{
    return QString::fromStdString(s);
}

// Copies a folder's files into a temporary sibling and renames it into place, so that a
// failure or a cancel leaves no half-written copy.
void copyFolderAtomic(const fs::path &from, const fs::path &to, wb::JobContext &ctx)
{
    if (fs::exists(to) && !fs::is_empty(to))
        throw wb::Error(wb::ErrorCode::Conflict, "the output folder is not empty", to.string());
    const fs::path tmp = to.parent_path() / (to.filename().string() + ".tmp-export");
    fs::remove_all(tmp);
    fs::create_directories(tmp);
    std::vector<fs::path> files;
    for (const auto &e : fs::directory_iterator(from))
        if (e.is_regular_file())
            files.push_back(e.path());
    try {
        for (size_t i = 0; i < files.size(); ++i) {
            ctx.throwIfCancelled();
            ctx.progress(double(i) / double(files.size()),
                         "copying " + files[i].filename().string());
            wb::copyFileAtomic(files[i], tmp / files[i].filename());
        }
        if (fs::exists(to))
            fs::remove(to); // empty
        fs::rename(tmp, to);
        wb::syncDirectory(to.parent_path());
    } catch (...) {
        std::error_code ec;
        fs::remove_all(tmp, ec);
        throw;
    }
}

} // namespace

ExportDialog::ExportDialog(AppContext &ctx, const wb::RunInfo &run, QWidget *parent)
    : QDialog(parent), m_ctx(ctx), m_run(run)
{
    setWindowTitle(tr("Export %1").arg(q(run.dir.filename().string())));
    m_lora = run.config.method == "lora";
    m_result = run.dir / (m_lora ? "adapter" : "model");

    m_merged = new QRadioButton(tr("Merged model: a Hugging Face folder (safetensors)"), this);
    m_merged->setObjectName(QStringLiteral("exportMerged"));
    m_merged->setToolTip(m_lora ? tr("The base model with the adapter folded into its weights: "
                                     "loads in transformers and vLLM without peft")
                                : tr("The fine-tuned model, converted to the chosen dtype"));
    m_dtype = new QComboBox(this);
    m_dtype->addItem(QStringLiteral("BF16"), int(wb::DType::BF16));
    m_dtype->addItem(QStringLiteral("F16"), int(wb::DType::F16));
    m_dtype->addItem(QStringLiteral("F32"), int(wb::DType::F32));
    m_dtype->setToolTip(tr("Weight dtype of the merged model"));
    m_adapter =
        new QRadioButton(tr("PEFT adapter folder (adapter_config.json + safetensors)"), this);
    m_adapter->setObjectName(QStringLiteral("exportAdapter"));
    m_adapter->setToolTip(tr("A copy of the run's adapter: peft loads it on the base model"));
    m_adapter->setEnabled(m_lora);
    m_gguf = new QRadioButton(tr("GGUF for llama.cpp"), this);
    m_gguf->setObjectName(QStringLiteral("exportGguf"));
    m_gguf->setToolTip(tr("One file with the (merged) weights and the tokenizer"));
    m_ggufType = new QComboBox(this);
    m_ggufType->addItem(tr("F16"), QStringLiteral("f16"));
    m_ggufType->addItem(tr("Q8_0 (8-bit, about half of F16)"), QStringLiteral("q8_0"));
    m_ggufType->addItem(tr("F32"), QStringLiteral("f32"));
    m_adapterGguf = new QRadioButton(tr("LoRA adapter GGUF (llama.cpp --lora)"), this);
    m_adapterGguf->setObjectName(QStringLiteral("exportAdapterGguf"));
    m_adapterGguf->setToolTip(
        tr("The adapter alone, for llama.cpp's --lora on the base model's GGUF"));
    m_adapterGguf->setEnabled(m_lora);
    m_merged->setChecked(true);

    auto *what = new QGroupBox(tr("What"), this);
    auto *wl = new QFormLayout(what);
    wl->addRow(m_merged, m_dtype);
    wl->addRow(m_adapter);
    wl->addRow(m_gguf, m_ggufType);
    wl->addRow(m_adapterGguf);

    m_output = new QLineEdit(this);
    m_output->setObjectName(QStringLiteral("exportOutput"));
    connect(m_output, &QLineEdit::textEdited, this, [this] { m_userPath = true; });
    auto *browse = new QPushButton(tr("Browse…"), this);
    connect(browse, &QPushButton::clicked, this, [this] {
        const Kind k = kind();
        const QString path =
            k == Kind::Gguf || k == Kind::AdapterGguf
                ? QFileDialog::getSaveFileName(this, tr("GGUF file"), output(), tr("GGUF (*.gguf)"))
                : QFileDialog::getExistingDirectory(this, tr("Output folder (created)"),
                                                    QFileInfo(output()).path());
        if (!path.isEmpty()) {
            m_output->setText(path);
            m_userPath = true;
        }
    });
    auto *outRow = new QHBoxLayout;
    outRow->addWidget(m_output, 1);
    outRow->addWidget(browse);

    m_progress = new QProgressBar(this);
    m_progress->setRange(0, 1000);
    m_progress->setValue(0);
    m_message = new QLabel(this);
    m_message->setObjectName(QStringLiteral("exportMessage"));
    m_message->setWordWrap(true);
    m_message->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_export = new QPushButton(tr("Export"), this);
    m_export->setObjectName(QStringLiteral("exportStart"));
    m_export->setDefault(true);
    m_close = new QPushButton(tr("Close"), this);
    connect(m_export, &QPushButton::clicked, this, [this] { startExport(); });
    connect(m_close, &QPushButton::clicked, this, &ExportDialog::reject);
    auto *buttons = new QHBoxLayout;
    buttons->addStretch(1);
    buttons->addWidget(m_close);
    buttons->addWidget(m_export);

    auto *layout = new QVBoxLayout(this);
    layout->addWidget(new QLabel(tr("Base model: %1").arg(q(run.config.modelDir)), this));
    layout->addWidget(what);
    layout->addWidget(new QLabel(tr("Output"), this));
    layout->addLayout(outRow);
    layout->addWidget(m_progress);
    layout->addWidget(m_message);
    layout->addLayout(buttons);
    resize(620, sizeHint().height());

    for (auto *r : {m_merged, m_adapter, m_gguf, m_adapterGguf})
        connect(r, &QRadioButton::toggled, this, [this] {
            updateDefaultOutput();
            updateState();
        });
    connect(m_dtype, &QComboBox::currentIndexChanged, this, &ExportDialog::updateDefaultOutput);
    connect(m_ggufType, &QComboBox::currentIndexChanged, this, &ExportDialog::updateDefaultOutput);
    connect(&ctx.bridge(), &JobBridge::jobUpdated, this, [this](const wb::JobSnapshot &s) {
        if (s.id != m_job || wb::isFinished(s.state))
            return;
        if (s.progress.fraction >= 0)
            m_progress->setValue(int(std::lround(s.progress.fraction * 1000)));
        m_message->setText(q(s.progress.message));
    });
    if (!run.finished)
        m_message->setText(tr("This run has not finished: there is nothing to export yet."));
    updateDefaultOutput();
    updateState();
}

ExportDialog::Kind ExportDialog::kind() const
{
    if (m_adapter->isChecked())
        return Kind::Adapter;
    if (m_gguf->isChecked())
        return Kind::Gguf;
    if (m_adapterGguf->isChecked())
        return Kind::AdapterGguf;
    return Kind::Merged;
}

void ExportDialog::setKind(Kind k)
{
    (k == Kind::Adapter       ? m_adapter
     : k == Kind::Gguf        ? m_gguf
     : k == Kind::AdapterGguf ? m_adapterGguf
                              : m_merged)
        ->setChecked(true);
}

void ExportDialog::setOutput(const QString &path)
{
    m_output->setText(path);
    m_userPath = true;
}

QString ExportDialog::output() const
{
    return m_output->text().trimmed();
}
QString ExportDialog::resultText() const
{
    return m_message->text();
}

void ExportDialog::updateDefaultOutput()
{
    if (m_userPath)
        return;
    const std::string run = m_run.dir.filename().string();
    std::string name;
    switch (kind()) {
    case Kind::Merged:
        name = run + "-merged-" + m_dtype->currentText().toLower().toStdString();
        break;
    case Kind::Adapter:
        name = run + "-adapter";
        break;
    case Kind::Gguf:
        name = run + "-" + m_ggufType->currentData().toString().toStdString() + ".gguf";
        break;
    case Kind::AdapterGguf:
        name = run + "-lora.gguf";
        break;
    }
    m_output->setText(q((m_run.dir / "exports" / name).string()));
}

void ExportDialog::updateState()
{
    const bool running = m_job != 0;
    m_export->setEnabled(!running && m_run.finished);
    m_close->setText(running ? tr("Cancel export") : tr("Close"));
    m_dtype->setEnabled(m_merged->isChecked());
    m_ggufType->setEnabled(m_gguf->isChecked());
    for (auto *r : {m_merged, m_gguf})
        r->setEnabled(!running);
    for (auto *r : {m_adapter, m_adapterGguf})
        r->setEnabled(!running && m_lora);
    m_output->setEnabled(!running);
}

bool ExportDialog::startExport()
{
    if (m_job || !m_run.finished)
        return false;
    const QString out = output();
    if (out.isEmpty()) {
        m_message->setText(tr("Choose where to write the export."));
        return false;
    }
    const fs::path outPath = out.toStdString();
    const fs::path base = m_run.config.modelDir;
    const fs::path result = m_result;
    const bool lora = m_lora;
    const Kind k = kind();
    const auto dtype = static_cast<wb::DType>(m_dtype->currentData().toInt());
    const auto ggufType =
        wb::parseGgufExportType(m_ggufType->currentData().toString().toStdString());
    wb::JobSpec spec;
    spec.lane = "cpu";
    spec.params = {{"run", m_run.dir.string()}, {"output", outPath.string()}};
    switch (k) {
    case Kind::Merged:
        spec.kind = "export.merge";
        break;
    case Kind::Adapter:
        spec.kind = "export.adapter";
        break;
    case Kind::Gguf:
        spec.kind = "export.gguf";
        break;
    case Kind::AdapterGguf:
        spec.kind = "export.lora-gguf";
        break;
    }
    spec.title = tr("Export %1 → %2")
                     .arg(q(m_run.dir.filename().string()), q(outPath.filename().string()))
                     .toStdString();
    spec.work = [=](wb::JobContext &ctx) -> nlohmann::json {
        fs::create_directories(outPath.parent_path());
        const wb::ExportProgress progress = [&ctx](double f, const std::string &m) {
            ctx.progress(f, m);
            return !ctx.isCancelled();
        };
        switch (k) {
        case Kind::Merged: {
            wb::MergeOptions o;
            o.dtype = dtype;
            const auto r = lora ? wb::mergeAdapter(base, result, outPath, o, progress)
                                : wb::mergeAdapter(result, {}, outPath, o, progress);
            return {{"tensors", r.tensors},
                    {"merged", r.mergedTensors},
                    {"shards", r.shards},
                    {"bytes", r.bytes},
                    {"dtype", wb::dtypeName(r.dtype)}};
        }
        case Kind::Adapter:
            copyFolderAtomic(result, outPath, ctx);
            return {{"bytes", 0}};
        case Kind::Gguf: {
            wb::GgufExportOptions o;
            o.type = ggufType.value_or(wb::GgufExportType::F16);
            const auto r = lora ? wb::exportGguf(base, result, outPath, o, progress)
                                : wb::exportGguf(result, {}, outPath, o, progress);
            return {{"tensors", r.tensors},
                    {"bytes", r.bytes},
                    {"fallbacks", r.fallbacks},
                    {"vocab", r.vocabSize}};
        }
        case Kind::AdapterGguf: {
            const auto r = wb::exportLoraGguf(result, base, outPath, progress);
            return {{"tensors", r.tensors}, {"bytes", r.bytes}};
        }
        }
        return {};
    };
    m_progress->setValue(0);
    m_message->setStyleSheet(QString());
    m_message->setText(tr("Exporting…"));
    m_job = m_ctx.submit(std::move(spec),
                         [this, guard = QPointer<ExportDialog>(this)](const wb::JobSnapshot &s) {
                             if (guard)
                                 onFinished(s);
                         });
    updateState();
    return true;
}

void ExportDialog::onFinished(const wb::JobSnapshot &s)
{
    if (s.id != m_job)
        return;
    m_job = 0;
    const bool ok = s.state == wb::JobState::Succeeded;
    if (ok) {
        m_progress->setValue(1000);
        const auto &r = s.result;
        QString detail;
        if (r.contains("tensors"))
            detail = tr("%1 tensors, %2")
                         .arg(r.value("tensors", 0))
                         .arg(humanBytes(r.value("bytes", uint64_t(0))));
        if (r.value("merged", 0) > 0)
            detail += tr(", %1 with the adapter merged").arg(r.value("merged", 0));
        if (r.value("fallbacks", 0) > 0)
            detail +=
                tr(", %1 kept at F16 (rows not a multiple of 32)").arg(r.value("fallbacks", 0));
        m_message->setStyleSheet(QStringLiteral("color: #1e8449;"));
        m_message->setText(tr("Written: %1%2")
                               .arg(output(), detail.isEmpty() ? QString()
                                                               : QStringLiteral(" (") + detail +
                                                                     QLatin1Char(')')));
    } else {
        m_progress->setValue(0);
        m_message->setStyleSheet(QStringLiteral("color: #c0392b;"));
        m_message->setText(s.state == wb::JobState::Cancelled
                               ? tr("Cancelled; nothing was written.")
                               : tr("Export failed: %1").arg(q(s.error)));
    }
    updateState();
    Q_EMIT exportFinished(ok);
}

void ExportDialog::reject()
{
    if (m_job) {
        m_ctx.jobs().cancel(m_job);
        m_message->setText(tr("Cancelling…"));
        return;
    }
    QDialog::reject();
}

} // namespace wbui

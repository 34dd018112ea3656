#pragma once

#include "jobs/job.h"
#include "train/trainer.h"

#include <QDialog>

class QComboBox;
class QLabel;
class QLineEdit;
class QProgressBar;
class QPushButton;
class QRadioButton;

namespace wbui {

class AppContext;

// Exports a finished run: a merged Hugging Face folder (base + adapter, dtype of choice), a
// copy of the PEFT adapter, or a GGUF file for llama.cpp (the merged model as F32, F16 or
// Q8_0, or the LoRA adapter as an adapter GGUF). The export runs as a job with progress; the
// dialog can cancel it.
class ExportDialog final : public QDialog
{
    Q_OBJECT
public:
    enum class Kind { Merged, Adapter, Gguf, AdapterGguf };

    ExportDialog(AppContext &ctx, const wb::RunInfo &run, QWidget *parent = nullptr);

    void setKind(Kind kind);
    void setOutput(const QString &path);
    QString output() const;
    // Starts the export job; false (with the reason shown) when it cannot start.
    bool startExport();
    wb::JobId job() const { return m_job; }
    QString resultText() const;

Q_SIGNALS:
    void exportFinished(bool ok);

protected:
    void reject() override;

private:
    Kind kind() const;
    void updateDefaultOutput();
    void updateState();
    void onFinished(const wb::JobSnapshot &s);

    AppContext &m_ctx;
    wb::RunInfo m_run;
    bool m_lora = true;
    std::filesystem::path m_result; // adapter/ or model/ of the run
    QRadioButton *m_merged;
    QRadioButton *m_adapter;
    QRadioButton *m_gguf;
    QRadioButton *m_adapterGguf;
    QComboBox *m_dtype;
    QComboBox *m_ggufType;
    QLineEdit *m_output;
    QProgressBar *m_progress;
    QLabel *m_message;
    QPushButton *m_export;
    QPushButton *m_close;
    bool m_userPath = false;
    wb::JobId m_job = 0;
};

} // namespace wbui

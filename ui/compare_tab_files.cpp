// The Compare tab's files: saved experiments (in the workspace and as EXPERIMENT.json files),
// exports of the results, and registering a remote endpoint with its key.

#include "compare_tab.h"

#include "api_keys.h"
#include "app_context.h"
#include "compare_builder.h"
#include "compare_matrix.h"
#include "remote_endpoint_dialog.h"
#include "store/workspace.h"

#include <QComboBox>
#include <QFileDialog>
#include <QLabel>
#include <QPointer>

namespace wbui {

namespace {

const QString kRed = QStringLiteral("#c0392b");
const QString kAmber = QStringLiteral("#ca6f1e");
const QString kGreen = QStringLiteral("#1e8449");

} // namespace

void CompareTab::reloadExperiments()
{
    const QString keep = m_saved->currentText();
    const QSignalBlocker block(m_saved);
    m_saved->clear();
    try {
        for (const auto &e : wb::CompareStore(m_ctx.workspace()).experiments())
            m_saved->addItem(qs(e.name));
    } catch (const std::exception &e) {
        setStatus(tr("Cannot read the saved experiments: %1").arg(QString::fromUtf8(e.what())),
                  kRed);
    }
    const int i = m_saved->findText(keep);
    if (i >= 0)
        m_saved->setCurrentIndex(i);
}

bool CompareTab::saveExperiment(const QString &asName)
{
    if (!asName.isEmpty())
        m_builder->setName(asName);
    QString problem;
    const auto e = m_builder->experiment(&problem);
    if (!e) {
        setStatus(tr("Not saved: %1").arg(problem), kRed);
        return false;
    }
    try {
        wb::CompareStore(m_ctx.workspace()).saveExperiment(*e);
    } catch (const std::exception &ex) {
        setStatus(tr("Not saved: %1").arg(QString::fromUtf8(ex.what())), kRed);
        return false;
    }
    reloadExperiments();
    m_saved->setCurrentIndex(m_saved->findText(qs(e->name)));
    setStatus(tr("Saved the experiment %1.").arg(qs(e->name)), kGreen);
    return true;
}

bool CompareTab::loadExperiment(const QString &name)
{
    try {
        const auto e = wb::CompareStore(m_ctx.workspace()).findExperiment(name.toStdString());
        if (!e) {
            setStatus(tr("There is no saved experiment %1.").arg(name), kRed);
            return false;
        }
        m_builder->setExperiment(*e);
    } catch (const std::exception &ex) {
        setStatus(QString::fromUtf8(ex.what()), kRed);
        return false;
    }
    return true;
}

bool CompareTab::loadExperimentFile(const QString &path)
{
    try {
        m_builder->setExperiment(wb::Experiment::fromFile(path.toStdString()));
    } catch (const std::exception &e) {
        setStatus(tr("Cannot load %1: %2").arg(path, QString::fromUtf8(e.what())), kRed);
        return false;
    }
    setStatus(tr("Loaded %1. Save keeps it in the workspace.").arg(path));
    return true;
}

bool CompareTab::saveExperimentFile(const QString &path)
{
    QString problem;
    const auto e = m_builder->experiment(&problem);
    if (!e) {
        setStatus(tr("Not saved: %1").arg(problem), kRed);
        return false;
    }
    const QString error =
        writeTextFile(path, QByteArray::fromStdString(e->toJson().dump(2) + "\n"));
    if (!error.isEmpty()) {
        setStatus(tr("Cannot write %1: %2").arg(path, error), kRed);
        return false;
    }
    setStatus(tr("Wrote %1 (run it with `llmwb compare run %1`).").arg(path), kGreen);
    return true;
}

// ---------------------------------------------------------------------------- exports

bool CompareTab::writeExport(const std::function<std::string()> &make, const QString &path,
                             const QString &done)
{
    if (!m_results) {
        setStatus(tr("Open a run first."), kRed);
        return false;
    }
    std::string text;
    try {
        text = make();
    } catch (const std::exception &e) {
        setStatus(QString::fromUtf8(e.what()), kRed);
        return false;
    }
    const QString error = writeTextFile(path, QByteArray::fromStdString(text));
    if (!error.isEmpty()) {
        setStatus(tr("Cannot write %1: %2").arg(path, error), kRed);
        return false;
    }
    setStatus(done, kGreen);
    return true;
}

bool CompareTab::exportResults(const QString &format, const QString &path)
{
    return writeExport([&] { return wb::exportResults(*m_results, format.toStdString()); }, path,
                       tr("Exported %1.").arg(path));
}

bool CompareTab::exportSubmission(const QString &cell, const QString &path)
{
    return writeExport(
        [&] { return wb::exportSubmission(m_ctx.workspace(), *m_results, cell.toStdString()); },
        path, tr("Wrote the submission file %1.").arg(path));
}

void CompareTab::exportMenu(const QString &format)
{
    if (!m_results)
        return;
    const QString base = qs(m_results->run.name);
    if (format == QLatin1String("submission")) {
        // The selected cell, else the best one.
        const QString cell = m_matrix->currentCell();
        const QString path = QFileDialog::getSaveFileName(
            this, tr("Save submission file"),
            base + QLatin1Char('-') + (cell.isEmpty() ? QStringLiteral("best") : cell) +
                QStringLiteral(".jsonl"),
            tr("JSON lines (*.jsonl);;All files (*)"));
        if (!path.isEmpty())
            exportSubmission(cell, path);
        return;
    }
    const QString filter = format == QLatin1String("csv")    ? tr("CSV (*.csv)")
                           : format == QLatin1String("json") ? tr("JSON (*.json)")
                                                             : tr("Markdown (*.md)");
    const QString path = QFileDialog::getSaveFileName(this, tr("Export results"),
                                                      base + QLatin1Char('.') + format, filter);
    if (!path.isEmpty())
        exportResults(format, path);
}

// ---------------------------------------------------------------------------- remote endpoints

void CompareTab::addRemoteEndpoint()
{
    const QString note =
        m_keys->keychainUsable()
            ? tr("The API key goes to the system keychain, never into the workspace.")
            : tr("No keychain is available (%1): an API key typed here is kept in memory for this "
                 "session only, never written to the workspace. Or name an environment variable.")
                  .arg(m_keys->keychainProblem());
    auto *dialog = new RemoteEndpointDialog(m_ctx.workspace(), note, this);
    dialog->setObjectName(QStringLiteral("remoteEndpointDialog"));
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    connect(dialog, &QDialog::accepted, this, [this, dialog] {
        const wb::RemoteSettings added = dialog->added();
        const QString key = dialog->key();
        m_builder->reload();
        wb::Variant v;
        v.model = added.name;
        m_builder->variants()->addVariant(v);
        if (key.isEmpty()) {
            setStatus(tr("Added the remote endpoint %1.").arg(qs(added.name)), kGreen);
            return;
        }
        m_keys->store(
            added, key,
            [this, guard = QPointer<CompareTab>(this), name = qs(added.name)](bool inKeychain,
                                                                              const QString &why) {
                if (!guard)
                    return;
                if (inKeychain)
                    setStatus(tr("Added the remote endpoint %1; its key is in the system keychain.")
                                  .arg(name),
                              kGreen);
                else
                    setStatus(
                        tr("Added the remote endpoint %1. The keychain is unavailable (%2): its "
                           "key "
                           "is kept in memory for this session only and is not written to the "
                           "workspace.")
                            .arg(name, why),
                        kAmber);
            });
    });
    dialog->open();
}

} // namespace wbui

// The Compare tab's runs: starting, stopping and resuming a run as a job, its progress, and
// reading results while it runs and after.

#include "compare_tab.h"
#include "jobs_panel.h"

#include "api_keys.h"
#include "app_context.h"
#include "compare_builder.h"
#include "compare_charts.h"
#include "compare_detail.h"
#include "compare_history.h"
#include "compare_matrix.h"
#include "compare_pairwise.h"
#include "jobs/job_runner.h"
#include "remote/remote_endpoint.h"
#include "store/workspace.h"

#include <QCheckBox>
#include <QComboBox>
#include <QLabel>
#include <QMessageBox>
#include <QPointer>
#include <QProgressBar>
#include <QPushButton>

#include <chrono>
#include <cmath>

namespace wbui {

namespace {

const QString kRed = QStringLiteral("#c0392b");
const QString kAmber = QStringLiteral("#ca6f1e");
const QString kGreen = QStringLiteral("#1e8449");

// Elapsed and remaining times read as in the Jobs panel ("1 min 5 s").
QString duration(double seconds)
{
    return JobsPanel::duration(seconds);
}

} // namespace

bool CompareTab::start()
{
    if (m_job || m_starting) {
        setStatus(tr("A run is in progress; stop it first."), kRed);
        return false;
    }
    QString problem;
    const auto e = m_builder->experiment(&problem);
    if (!e) {
        setStatus(problem, kRed);
        return false;
    }
    const bool noCache = m_noCache->isChecked();
    auto info = std::make_shared<wb::CompareRunInfo>();
    wb::Workspace *ws = &m_ctx.workspace();
    wb::JobSpec spec;
    spec.kind = "compare.create";
    spec.title = tr("Record a comparison run").toStdString();
    spec.quiet = true;
    spec.work = [ws, e = *e, noCache, info](wb::JobContext &) {
        // Resolves the dataset, templates, models and collections: an error names what is wrong.
        *info = wb::createCompareRun(*ws, e, {}, noCache);
        return nlohmann::json{{"run", info->name}};
    };
    m_starting = true;
    updateButtons();
    setStatus(tr("Preparing the run (reading the dataset, checking the models)…"));
    m_ctx.submit(std::move(spec), [this, guard = QPointer<CompareTab>(this), info,
                                   noCache](const wb::JobSnapshot &s) {
        if (!guard)
            return;
        if (s.state != wb::JobState::Succeeded) {
            m_starting = false;
            updateButtons();
            setStatus(tr("Cannot start: %1").arg(qs(s.error)), kRed);
            return;
        }
        launch(qs(info->name), noCache);
    });
    return true;
}

bool CompareTab::resume(const QString &run)
{
    if (m_job || m_starting) {
        setStatus(tr("A run is in progress; stop it first."), kRed);
        return false;
    }
    if (run.isEmpty())
        return false;
    bool noCache = false;
    try {
        noCache = wb::CompareStore(m_ctx.workspace()).getRun(run.toStdString()).noCache;
    } catch (const std::exception &e) {
        setStatus(QString::fromUtf8(e.what()), kRed);
        return false;
    }
    m_starting = true;
    launch(run, noCache);
    return true;
}

void CompareTab::launch(const QString &run, bool noCache)
{
    // Remote endpoints of the experiment need their keys: fetched from the keychain here, on the
    // GUI thread, and handed to the job as a plain map.
    std::vector<wb::RemoteSettings> remotes;
    try {
        const auto info = wb::CompareStore(m_ctx.workspace()).getRun(run.toStdString());
        wb::RemoteStore store(m_ctx.workspace());
        for (const auto &v : info.experiment.variants)
            if (auto r = store.find(v.model))
                remotes.push_back(*r);
    } catch (const std::exception &e) {
        m_starting = false;
        updateButtons();
        setStatus(QString::fromUtf8(e.what()), kRed);
        return;
    }
    m_keys->fetch(remotes, [this, guard = QPointer<CompareTab>(this), run,
                            noCache](std::map<std::string, std::string> keys) {
        if (guard)
            submitRun(run, noCache, std::move(keys));
    });
}

void CompareTab::submitRun(const QString &run, bool noCache,
                           std::map<std::string, std::string> keys)
{
    m_starting = false;
    wb::CompareOptions options;
    options.noCache = noCache;
    options.device = m_device->currentData().toString().toStdString();
    options.dtype = options.device == "cpu" ? wb::DType::F32 : wb::DType::BF16;
    options.apiKeyFor = [keys = std::move(keys)](const wb::RemoteSettings &s) {
        const auto it = keys.find(s.name);
        return it == keys.end() ? std::string() : it->second;
    };
    try {
        wb::JobSpec spec =
            wb::makeCompareJob(m_ctx.workspace(), run.toStdString(), std::move(options));
        m_job = m_ctx.submit(std::move(spec),
                             [this, guard = QPointer<CompareTab>(this)](const wb::JobSnapshot &s) {
                                 if (guard)
                                     onRunFinished(s);
                             });
    } catch (const std::exception &e) {
        updateButtons();
        setStatus(QString::fromUtf8(e.what()), kRed);
        return;
    }
    m_liveRun = run;
    m_history->setLiveRun(run);
    m_progress->setValue(0);
    m_progress->setFormat(tr("starting…"));
    m_eta->clear();
    setStatus(tr("Running. Stop keeps every stored response; Resume continues."));
    openRun(run);
    reloadRuns();
    m_pollTimer.start();
    updateButtons();
}

void CompareTab::stop()
{
    if (!m_job)
        return;
    m_ctx.jobs().cancel(m_job);
    m_stop->setEnabled(false);
    setStatus(tr("Stopping after the current batch…"), kAmber);
}

void CompareTab::onJobUpdated(const wb::JobSnapshot &s)
{
    if (s.id != m_job || !m_job || wb::isFinished(s.state))
        return;
    if (s.state == wb::JobState::Queued) {
        m_progress->setFormat(tr("waiting for the device…"));
        return;
    }
    const auto &c = s.progress.counters;
    auto counter = [&c](const char *name) {
        const auto it = c.find(name);
        return it == c.end() ? int64_t(-1) : it->second;
    };
    const int64_t done = counter("samples"), total = counter("samples_total");
    if (total > 0) {
        m_progress->setValue(int(1000 * std::clamp<double>(double(done) / double(total), 0, 1)));
        m_progress->setFormat(tr("%1 / %2 samples").arg(done).arg(total));
    }
    const int64_t cellDone = counter("cell_done"), cellTotal = counter("cell_total");
    QString text = tr("Running.");
    if (cellTotal > 0)
        text = tr("This cell: %1 / %2 samples.").arg(cellDone).arg(cellTotal);
    if (!s.progress.message.empty())
        text += QLatin1Char(' ') + qs(s.progress.message);
    setStatus(text);
    double eta = s.etaSeconds;
    if (eta < 0 && counter("eta_s") >= 0)
        eta = double(counter("eta_s"));
    QString times;
    if (s.startedMs > 0) {
        const auto now = std::chrono::duration_cast<std::chrono::milliseconds>(
                             std::chrono::steady_clock::now().time_since_epoch())
                             .count();
        times = tr("elapsed %1").arg(duration((now - s.startedMs) / 1000.0));
    }
    if (eta >= 0)
        times += tr(" · ETA %1").arg(duration(eta));
    m_eta->setText(times);
}

void CompareTab::onRunFinished(const wb::JobSnapshot &s)
{
    if (s.id != m_job)
        return;
    m_job = 0;
    m_pollTimer.stop();
    m_history->setLiveRun(QString());
    if (s.state == wb::JobState::Succeeded) {
        m_progress->setValue(1000);
        setStatus(tr("Finished."), kGreen);
    } else if (s.state == wb::JobState::Cancelled) {
        setStatus(tr("Stopped. Everything computed is stored; Resume continues the run."), kAmber);
    } else {
        setStatus(tr("The run failed: %1").arg(qs(s.error)), kRed);
    }
    if (s.finishedMs > s.startedMs && s.startedMs > 0)
        m_eta->setText(tr("took %1").arg(duration((s.finishedMs - s.startedMs) / 1000.0)));
    m_afterRefresh.push_back([this, s] { Q_EMIT runFinished(s); });
    refreshResults();
    reloadRuns();
    updateButtons();
}

// ---------------------------------------------------------------------------- results

void CompareTab::openRun(const QString &run)
{
    if (run != m_shownRun) {
        m_shownRun = run;
        m_runLabel->setText(run);
        m_history->select(run);
        if (run != m_liveRun) {
            setStatus(QString());
            m_progress->setValue(0);
            m_progress->setFormat(QString());
            m_eta->clear();
        }
    }
    refreshResults();
    updateButtons();
}

void CompareTab::refreshResults()
{
    if (m_shownRun.isEmpty()) {
        auto after = std::move(m_afterRefresh);
        m_afterRefresh.clear();
        for (auto &f : after)
            f();
        return;
    }
    if (m_refreshing) {
        m_refreshAgain = true;
        return;
    }
    m_refreshing = true;
    const QString run = m_shownRun;
    auto out = std::make_shared<wb::CompareResults>();
    wb::Workspace *ws = &m_ctx.workspace();
    wb::JobSpec spec;
    spec.kind = "compare.results";
    spec.title = tr("Read the results of %1").arg(run).toStdString();
    spec.quiet = true;
    spec.work = [ws, out, name = run.toStdString()](wb::JobContext &) {
        *out = wb::CompareStore(*ws).results(name);
        return nlohmann::json{{"cells", out->cells.size()}};
    };
    m_ctx.submit(std::move(spec),
                 [this, guard = QPointer<CompareTab>(this), out, run](const wb::JobSnapshot &s) {
                     if (!guard)
                         return;
                     m_refreshing = false;
                     if (run == m_shownRun) {
                         if (s.state == wb::JobState::Succeeded)
                             showResults(std::move(out));
                         else
                             setStatus(tr("Cannot read the results: %1").arg(qs(s.error)), kRed);
                     }
                     if (m_refreshAgain) {
                         m_refreshAgain = false;
                         refreshResults(); // the callbacks wait for the newest read
                         return;
                     }
                     auto after = std::move(m_afterRefresh);
                     m_afterRefresh.clear();
                     for (auto &f : after)
                         f();
                 });
}

void CompareTab::showResults(CompareResultsPtr results)
{
    m_results = std::move(results);
    const auto &r = *m_results;
    m_matrix->setResults(m_results);
    m_questions->setResults(m_results);
    m_pair->setResults(m_results);
    m_charts->setResults(m_results);
    if (qs(r.run.name) != m_liveRun) {
        const size_t done = r.doneSamples(), total = r.totalSamples();
        m_progress->setValue(total ? int(1000 * done / total) : 0);
        m_progress->setFormat(tr("%1 / %2 samples").arg(done).arg(total));
        if (m_status->text().isEmpty()) {
            if (r.run.state == "finished")
                setStatus(tr("Finished %1.").arg(localTime(r.run.finishedAt)), kGreen);
            else if (r.run.state == "failed")
                setStatus(tr("Failed: %1").arg(qs(r.run.error)), kRed);
            else
                setStatus(tr("Not finished: Resume continues it."), kAmber);
        }
    }
    if (m_questions->cell().isEmpty() && !r.cells.empty()) {
        const auto *best = r.best();
        m_questions->showCell(qs(best ? best->id : r.cells.front().id));
    }
    updateButtons();
    Q_EMIT resultsUpdated();
}

void CompareTab::reloadRuns()
{
    try {
        m_history->setRuns(wb::CompareStore(m_ctx.workspace()).listRuns());
    } catch (const std::exception &e) {
        setStatus(tr("Cannot read the runs: %1").arg(QString::fromUtf8(e.what())), kRed);
        return;
    }
    m_bottom->setTabText(m_bottom->indexOf(m_history),
                         tr("Runs (%1)").arg(m_history->runs().size()));
    if (m_history->selectedRuns().isEmpty() && !m_shownRun.isEmpty())
        m_history->select(m_shownRun);
    // On first sight the newest run, so the tab shows where things were.
    if (m_shownRun.isEmpty() && !m_history->runs().empty() && !m_job && !m_starting)
        openRun(qs(m_history->runs().front().name));
    updateButtons();
    Q_EMIT runsLoaded();
}

void CompareTab::removeRun(const QString &run)
{
    if (QMessageBox::question(this, tr("Delete run"),
                              tr("Delete the run %1 and its stored responses? The response cache "
                                 "keeps them.")
                                  .arg(run)) != QMessageBox::Yes)
        return;
    try {
        wb::CompareStore(m_ctx.workspace()).removeRun(run.toStdString());
    } catch (const std::exception &e) {
        setStatus(QString::fromUtf8(e.what()), kRed);
        return;
    }
    if (run == m_shownRun) {
        m_shownRun.clear();
        m_results.reset();
        m_runLabel->setText(tr("No run shown"));
        showResults(std::make_shared<wb::CompareResults>());
    }
    reloadRuns();
}

void CompareTab::compareRuns(const QString &a, const QString &b)
{
    auto ra = std::make_shared<wb::CompareResults>();
    auto rb = std::make_shared<wb::CompareResults>();
    wb::Workspace *ws = &m_ctx.workspace();
    wb::JobSpec spec;
    spec.kind = "compare.results";
    spec.title = tr("Read the results of %1 and %2").arg(a, b).toStdString();
    spec.quiet = true;
    spec.work = [ws, ra, rb, a = a.toStdString(), b = b.toStdString()](wb::JobContext &) {
        *ra = wb::CompareStore(*ws).results(a);
        *rb = wb::CompareStore(*ws).results(b);
        return nlohmann::json::object();
    };
    m_ctx.submit(std::move(spec),
                 [this, guard = QPointer<CompareTab>(this), ra, rb](const wb::JobSnapshot &s) {
                     if (!guard)
                         return;
                     if (s.state != wb::JobState::Succeeded) {
                         setStatus(tr("Cannot read the runs: %1").arg(qs(s.error)), kRed);
                         return;
                     }
                     auto *dialog = new RunDeltaDialog(*ra, *rb, this);
                     dialog->setObjectName(QStringLiteral("runDeltaDialog"));
                     dialog->setAttribute(Qt::WA_DeleteOnClose);
                     dialog->open();
                 });
}

} // namespace wbui

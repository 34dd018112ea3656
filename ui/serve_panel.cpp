#include "serve_panel.h"

#include "app_context.h"
#include "common/error.h"
#include "serve/engine.h"
#include "serve/server.h"
#include "store/model_store.h"
#include "train/train_job.h"
#include "train/trainer.h"

#include <QApplication>
#include <QCloseEvent>
#include <QDateTime>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QPlainTextEdit>
#include <QPointer>
#include <QPushButton>
#include <QSpinBox>
#include <QThread>
#include <QTimer>
#include <QVBoxLayout>

#include <filesystem>

namespace wbui {

namespace fs = std::filesystem;

ServePanel::ServePanel(AppContext &ctx, const QString &model, QWidget *parent)
    : QDialog(parent), m_ctx(ctx), m_model(model)
{
    setWindowTitle(tr("Serve %1").arg(model));
    setObjectName(QStringLiteral("servePanel"));
    m_host = new QLineEdit(QStringLiteral("127.0.0.1"), this);
    m_host->setToolTip(tr("127.0.0.1 answers this computer only; 0.0.0.0 the network, which needs an API key"));
    m_port = new QSpinBox(this);
    m_port->setRange(0, 65535);
    m_port->setValue(8000);
    m_key = new QLineEdit(this);
    m_key->setEchoMode(QLineEdit::Password);
    m_key->setPlaceholderText(tr("none (loopback only)"));
    m_batch = new QSpinBox(this);
    m_batch->setRange(1, 256);
    m_batch->setValue(16);
    m_adapters = new QListWidget(this);
    m_adapters->setObjectName(QStringLiteral("serveAdapters"));
    m_adapters->setMaximumHeight(90);
    m_adapters->setToolTip(tr("Checked training runs are served too, each under its own name"));
    for (const wb::RunInfo &run : wb::listRuns(m_ctx.workspace())) {
        if (!fs::exists(run.dir / "adapter" / "adapter_config.json"))
            continue; // unfinished, or a full fine-tune
        auto *item = new QListWidgetItem(QString::fromStdString(run.dir.filename().string()), m_adapters);
        item->setFlags(item->flags() | Qt::ItemIsUserCheckable);
        item->setCheckState(Qt::Unchecked);
        item->setData(Qt::UserRole, QString::fromStdString((run.dir / "adapter").string()));
    }
    auto *form = new QFormLayout;
    form->addRow(tr("Host"), m_host);
    form->addRow(tr("Port"), m_port);
    form->addRow(tr("API key"), m_key);
    form->addRow(tr("Batch rows"), m_batch);
    form->addRow(tr("Adapters"), m_adapters);

    m_start = new QPushButton(tr("Start"), this);
    m_start->setObjectName(QStringLiteral("serveStart"));
    m_stop = new QPushButton(tr("Stop"), this);
    m_stop->setObjectName(QStringLiteral("serveStop"));
    connect(m_start, &QPushButton::clicked, this, &ServePanel::start);
    connect(m_stop, &QPushButton::clicked, this, &ServePanel::stop);
    auto *buttons = new QHBoxLayout;
    buttons->addStretch(1);
    buttons->addWidget(m_start);
    buttons->addWidget(m_stop);

    m_address = new QLabel(tr("Not serving."), this);
    m_address->setObjectName(QStringLiteral("serveAddress"));
    m_address->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_stats = new QLabel(this);
    m_stats->setObjectName(QStringLiteral("serveStats"));
    m_log = new QPlainTextEdit(this);
    m_log->setObjectName(QStringLiteral("serveLog"));
    m_log->setReadOnly(true);
    m_log->setMaximumBlockCount(2000);
    m_log->setPlaceholderText(tr("Requests appear here as they are answered."));

    auto *layout = new QVBoxLayout(this);
    layout->addLayout(form);
    layout->addLayout(buttons);
    layout->addWidget(m_address);
    layout->addWidget(m_stats);
    layout->addWidget(m_log, 1);
    m_timer = new QTimer(this);
    m_timer->setInterval(500);
    connect(m_timer, &QTimer::timeout, this, &ServePanel::refreshStats);
    resize(640, 560);
    setRunning(false);
}

ServePanel::~ServePanel()
{
    if (m_server)
        m_server->stop(std::chrono::milliseconds(0));
}

bool ServePanel::serving() const
{
    return m_server && m_server->running();
}

QString ServePanel::address() const
{
    return m_server ? QString::fromStdString(m_server->address()) : QString();
}

QString ServePanel::logText() const
{
    return m_log->toPlainText();
}

QString ServePanel::statsText() const
{
    return m_stats->text();
}

void ServePanel::setPort(int port)
{
    m_port->setValue(port);
}

void ServePanel::setRunning(bool running)
{
    m_start->setEnabled(!running && !m_starting);
    m_stop->setEnabled(running);
    for (QWidget *w : {static_cast<QWidget *>(m_host), static_cast<QWidget *>(m_port),
                       static_cast<QWidget *>(m_key), static_cast<QWidget *>(m_batch),
                       static_cast<QWidget *>(m_adapters)})
        w->setEnabled(!running && !m_starting);
}

void ServePanel::start()
{
    if (m_server || m_starting)
        return;
    wb::ModelEntry entry;
    try {
        entry = wb::ModelStore(m_ctx.workspace()).get(m_model.toStdString());
    } catch (const wb::Error &e) {
        entry.info.problems.push_back(e.what());
    }
    if (!entry.info.ok) {
        const QString why = QString::fromStdString(entry.info.problems.empty() ? "the folder is broken"
                                                                               : entry.info.problems.front());
        m_address->setText(tr("Could not start: %1").arg(why));
        Q_EMIT failed(why);
        return;
    }
    std::vector<wb::serve::AdapterSpec> adapters;
    for (int i = 0; i < m_adapters->count(); ++i)
        if (m_adapters->item(i)->checkState() == Qt::Checked)
            adapters.push_back({m_adapters->item(i)->text().toStdString(),
                                m_adapters->item(i)->data(Qt::UserRole).toString().toStdString()});
    wb::serve::EngineOptions options;
    options.maxBatch = m_batch->value();
    const std::string name = m_model.toStdString();
    auto holder = std::make_shared<std::shared_ptr<wb::serve::Backend>>();
    wb::JobSpec spec;
    spec.kind = "serve.start";
    spec.title = tr("Serve %1").arg(m_model).toStdString();
    spec.lane = "engine:cpu";
    spec.params = {{"model", name}};
    const fs::path dir = entry.info.path;
    spec.work = [dir, name, adapters, options, holder](wb::JobContext &ctx) {
        *holder = wb::serve::startEngine(dir, name, adapters, options, [&ctx](double f, const std::string &m) {
            ctx.progress(f, m);
            return !ctx.isCancelled();
        });
        return nlohmann::json{{"model", (*holder)->description()}};
    };
    m_starting = true;
    setRunning(false);
    m_address->setText(tr("Loading %1…").arg(m_model));
    QPointer<ServePanel> self(this);
    m_ctx.submit(std::move(spec), [self, holder](const wb::JobSnapshot &s) {
        if (!self)
            return;
        self->m_starting = false;
        if (s.state != wb::JobState::Succeeded || !*holder) {
            self->setRunning(false);
            const QString msg = QString::fromStdString(s.error.empty() ? "cancelled" : s.error);
            self->m_address->setText(tr("Could not start: %1").arg(msg));
            Q_EMIT self->failed(msg);
            return;
        }
        self->onEngineReady(*holder);
    });
}

void ServePanel::onEngineReady(std::shared_ptr<wb::serve::Backend> backend)
{
    wb::serve::ServerOptions so;
    so.host = m_host->text().trimmed().toStdString();
    so.port = m_port->value();
    so.apiKey = m_key->text().toStdString();
    auto server = std::make_unique<wb::serve::Server>(*backend, so);
    QPointer<ServePanel> self(this);
    server->setLog([self](const wb::serve::RequestLog &entry) {
        QMetaObject::invokeMethod(qApp, [self, entry] {
            if (self)
                self->appendLog(entry);
        }, Qt::QueuedConnection);
    });
    try {
        server->start();
    } catch (const wb::Error &e) {
        m_address->setText(tr("Could not start: %1").arg(QString::fromUtf8(e.what())));
        setRunning(false);
        Q_EMIT failed(QString::fromUtf8(e.what()));
        return;
    }
    m_backend = std::move(backend);
    m_server = std::move(server);
    QStringList names;
    for (const auto &m : m_backend->models())
        names << QString::fromStdString(m.name);
    m_address->setText(tr("Serving %1 at <b>%2/v1</b> (models: %3)")
                           .arg(QString::fromStdString(m_backend->description()), address(), names.join(QStringLiteral(", "))));
    m_timer->start();
    refreshStats();
    setRunning(true);
    Q_EMIT started(address());
}

void ServePanel::appendLog(const wb::serve::RequestLog &e)
{
    const QString time = QDateTime::fromSecsSinceEpoch(
                             std::chrono::duration_cast<std::chrono::seconds>(e.time.time_since_epoch()).count())
                             .toString(QStringLiteral("HH:mm:ss"));
    QString line = QStringLiteral("%1  %2 %3  %4").arg(time, QString::fromStdString(e.method),
                                                         QString::fromStdString(e.path)).arg(e.status);
    if (!e.model.empty())
        line += QStringLiteral("  %1").arg(QString::fromStdString(e.model));
    if (e.promptTokens || e.completionTokens)
        line += tr("  %1 + %2 tokens").arg(e.promptTokens).arg(e.completionTokens);
    line += QStringLiteral("  %1 s").arg(e.seconds, 0, 'f', 2);
    m_log->appendPlainText(line);
}

void ServePanel::refreshStats()
{
    if (!m_backend)
        return;
    const wb::serve::EngineStats s = m_backend->stats();
    m_stats->setText(tr("%1 active, %2 queued (of %3 rows) · %4 tokens/s · %5 tokens in %6 requests")
                         .arg(s.active).arg(s.queued).arg(s.maxBatch)
                         .arg(s.tokensPerSecond, 0, 'f', 1).arg(s.generatedTokens).arg(s.requests));
}

void ServePanel::stop()
{
    if (!m_server)
        return;
    m_stop->setEnabled(false);
    m_address->setText(tr("Stopping: running streams get up to 5 s to finish…"));
    m_timer->stop();
    // Stopping waits for the streams: off the UI thread; the server and engine go with it.
    std::shared_ptr<wb::serve::Server> server(std::move(m_server));
    std::shared_ptr<wb::serve::Backend> backend = std::move(m_backend);
    QPointer<ServePanel> self(this);
    QThread *t = QThread::create([server, backend] { server->stop(std::chrono::milliseconds(5000)); });
    connect(t, &QThread::finished, t, &QObject::deleteLater);
    connect(t, &QThread::finished, this, [self] {
        if (!self)
            return;
        self->m_address->setText(self->tr("Not serving."));
        self->setRunning(false);
        Q_EMIT self->stopped();
    });
    t->start();
}

void ServePanel::closeEvent(QCloseEvent *event)
{
    stop();
    QDialog::closeEvent(event);
}

} // namespace wbui

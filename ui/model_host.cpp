#include "model_host.h"

#include "app_context.h"
#include "common/error.h"
#include "model/causal_lm.h"
#include "model/generate.h"
#include "remote/remote_endpoint.h"
#include "store/model_store.h"
#include "store/workspace.h"
#include "tokenizer/chat_template.h"
#include "tokenizer/tokenizer.h"

#include <QPointer>
#include <QTimer>

namespace wbui {

ModelHost::ModelHost(AppContext &ctx, QObject *parent) : QObject(parent), m_ctx(ctx)
{
    qRegisterMetaType<wbui::ModelHost::Stats>();
    m_flushTimer = new QTimer(this);
    m_flushTimer->setInterval(40);
    connect(m_flushTimer, &QTimer::timeout, this, &ModelHost::flushText);
}

ModelHost::~ModelHost() = default;

bool ModelHost::hasChatTemplate() const { return bool(m_chat) || bool(m_remote); }

std::string ModelHost::lane() const
{
    // One worker per device: the model is not shared between two generations.
    return m_device.startsWith(QLatin1String("cuda")) ? "gpu:0" : "engine:cpu";
}

wb::JobId ModelHost::load(const QString &name, const wb::LoadOptions &options)
{
    // A remote endpoint needs no loading: it answers through its server (and its chat template).
    if (!wb::ModelStore(m_ctx.workspace()).find(name.toStdString())) {
        if (auto remote = wb::RemoteStore(m_ctx.workspace()).find(name.toStdString())) {
            m_model.reset();
            m_tokenizer.reset();
            m_chat.reset();
            m_remote = std::make_shared<wb::RemoteSettings>(*remote);
            m_name = name;
            m_description = tr("remote %1 at %2")
                                .arg(QString::fromStdString(remote->model), QString::fromStdString(remote->baseUrl));
            QTimer::singleShot(0, this, [this, name] { Q_EMIT loaded(name, m_description); });
            return 0;
        }
    }
    struct Loaded
    {
        std::shared_ptr<wb::CausalLM> model;
        std::shared_ptr<wb::Tokenizer> tokenizer;
        std::shared_ptr<wb::ChatTemplate> chat;
        QString description;
    };
    auto loaded = std::make_shared<Loaded>();
    wb::Workspace *ws = &m_ctx.workspace();
    const std::string n = name.toStdString();
    wb::JobSpec spec;
    spec.kind = "model.load";
    spec.title = tr("Load model %1").arg(name).toStdString();
    spec.lane = options.device.rfind("cuda", 0) == 0 ? "gpu:0" : "engine:cpu";
    spec.params = {{"model", n}, {"device", options.device}, {"int8", options.int8}};
    spec.work = [ws, n, options, loaded](wb::JobContext &ctx) {
        const auto entry = wb::ModelStore(*ws).get(n);
        if (!entry.info.ok)
            throw wb::Error(wb::ErrorCode::Validation,
                            entry.info.problems.empty() ? "the folder is broken"
                                                        : entry.info.problems.front(),
                            n);
        ctx.progress(0.02, "reading the tokenizer");
        loaded->tokenizer = wb::Tokenizer::load(entry.info.path);
        if (auto tpl = wb::ChatTemplate::fromModelDir(entry.info.path))
            loaded->chat = std::make_shared<wb::ChatTemplate>(std::move(*tpl));
        loaded->model = wb::CausalLM::load(entry.info.path, options,
                                           [&ctx](double f, const std::string &msg) {
                                               ctx.progress(0.05 + 0.95 * f, msg);
                                               return !ctx.isCancelled();
                                           });
        loaded->description = QString::fromStdString(loaded->model->describe());
        return nlohmann::json{{"model", loaded->model->describe()},
                              {"weight_bytes", loaded->model->weightBytes()}};
    };
    m_busy = true;
    Q_EMIT busyChanged(true);
    const QString device = QString::fromStdString(options.device);
    return m_ctx.submit(std::move(spec), [this, guard = QPointer<ModelHost>(this), loaded, name,
                                          device](const wb::JobSnapshot &s) {
        if (!guard)
            return;
        m_busy = false;
        Q_EMIT busyChanged(false);
        if (s.state != wb::JobState::Succeeded) {
            Q_EMIT loadFailed(s.state == wb::JobState::Cancelled ? tr("Loading was cancelled.")
                                                                 : QString::fromStdString(s.error));
            return;
        }
        m_remote.reset();
        m_model = loaded->model;
        m_tokenizer = loaded->tokenizer;
        m_chat = loaded->chat;
        m_name = name;
        m_device = device;
        m_description = loaded->description;
        Q_EMIT this->loaded(name, m_description);
    });
}

QString ModelHost::renderPrompt(const Request &request) const
{
    if (m_remote && request.useChatTemplate) { // the server applies its own chat template
        QString out;
        for (const auto &m : request.messages)
            out += QStringLiteral("[%1] %2\n").arg(QString::fromStdString(m.role), QString::fromStdString(m.content));
        return out;
    }
    if (request.useChatTemplate && m_chat && m_tokenizer)
        return QString::fromStdString(m_chat->render(request.messages, true, m_tokenizer->bosToken(),
                                                     m_tokenizer->eosToken()));
    return request.rawPrompt;
}

wb::JobId ModelHost::submitGeneration(wb::JobSpec spec, std::shared_ptr<Stats> stats)
{
    m_busy = true;
    Q_EMIT busyChanged(true);
    m_flushTimer->start();
    QPointer<ModelHost> self(this);
    return m_ctx.submit(std::move(spec), [this, self, stats](const wb::JobSnapshot &s) {
        if (!self)
            return;
        flushText();
        m_flushTimer->stop();
        m_busy = false;
        Q_EMIT busyChanged(false);
        QString error;
        if (s.state == wb::JobState::Failed)
            error = QString::fromStdString(s.error);
        else if (s.state == wb::JobState::Cancelled)
            stats->stopReason = QStringLiteral("cancelled");
        Q_EMIT generationFinished(s.id, *stats, error);
    });
}

wb::JobId ModelHost::generateRemote(const Request &request)
{
    wb::CompletionRequest req;
    req.chat = request.useChatTemplate;
    for (const auto &m : request.messages)
        req.messages.emplace_back(m.role, m.content);
    req.prompt = request.rawPrompt.toStdString();
    const auto options = request.options ? request.options : std::make_shared<wb::GenerateOptions>();
    req.temperature = options->sampling.temperature;
    req.topP = options->sampling.topP;
    req.maxNewTokens = options->maxNewTokens;
    req.seed = options->sampling.seed;
    auto settings = m_remote;
    auto stats = std::make_shared<Stats>();
    wb::JobSpec spec;
    spec.kind = "model.generate";
    spec.title = tr("Generate with %1").arg(m_name).toStdString();
    spec.lane = "remote";
    spec.quiet = true;
    QPointer<ModelHost> self(this);
    spec.work = [req, settings, stats, self](wb::JobContext &ctx) {
        auto endpoint = wb::makeRemoteEndpoint(*settings);
        wb::Completion done;
        bool got = false;
        endpoint->complete({req}, [&](size_t, wb::Completion c) { done = std::move(c); got = true; },
                           [&ctx] { return ctx.isCancelled(); });
        ctx.throwIfCancelled();
        if (!got || !done.ok())
            throw wb::Error(wb::ErrorCode::Io, got ? done.error : "no answer from " + settings->baseUrl);
        if (self) {
            QMutexLocker lock(&self->m_textMutex);
            self->m_pendingText += QString::fromStdString(done.text);
            self->m_pendingJob = ctx.id();
        }
        stats->promptTokens = done.promptTokens;
        stats->generatedTokens = done.outputTokens;
        stats->prefillSeconds = done.ttftSeconds;
        stats->decodeSeconds = std::max(0.0, done.latencySeconds - done.ttftSeconds);
        stats->stopReason = QString::fromStdString(done.finishReason);
        return nlohmann::json{{"tokens", done.outputTokens}};
    };
    return submitGeneration(std::move(spec), stats);
}

wb::JobId ModelHost::generate(const Request &request)
{
    if (m_remote)
        return generateRemote(request);
    if (!m_model || !m_tokenizer)
        throw wb::Error(wb::ErrorCode::Conflict, "load a model first");
    const bool chat = request.useChatTemplate && m_chat;
    // Chat templates already hold the BOS token when the model wants one.
    const std::string prompt = renderPrompt(request).toStdString();
    auto model = m_model;
    auto tokenizer = m_tokenizer;
    auto options = request.options ? request.options : std::make_shared<wb::GenerateOptions>();
    auto stats = std::make_shared<Stats>();
    wb::JobSpec spec;
    spec.kind = "model.generate";
    spec.title = tr("Generate with %1").arg(m_name).toStdString();
    spec.lane = lane();
    spec.quiet = true;
    auto idHolder = std::make_shared<std::atomic<wb::JobId>>(0);
    QPointer<ModelHost> self(this);
    spec.work = [model, tokenizer, options, stats, prompt, chat, self, idHolder](wb::JobContext &ctx) {
        const auto ids = tokenizer->encode(prompt, !chat);
        wb::GenerateOptions go = *options;
        go.decode = [tokenizer](const std::vector<int32_t> &v) { return tokenizer->decode(v, true); };
        wb::StreamDecoder stream(*tokenizer);
        int produced = 0;
        const auto result = wb::generate(*model, ids, go, [&](int32_t token) {
            const std::string piece = tokenizer->isSpecial(token) ? std::string() : stream.push(token);
            ++produced;
            if (!piece.empty() && self) {
                QMutexLocker lock(&self->m_textMutex);
                self->m_pendingText += QString::fromStdString(piece);
                self->m_pendingJob = ctx.id();
            }
            ctx.progress(double(produced) / std::max(1, go.maxNewTokens), "generating",
                         {{"tokens", produced}});
            return !ctx.isCancelled();
        });
        if (self) {
            QMutexLocker lock(&self->m_textMutex);
            self->m_pendingText += QString::fromStdString(stream.flush());
            self->m_pendingJob = ctx.id();
        }
        stats->promptTokens = result.promptTokens;
        stats->generatedTokens = static_cast<int>(result.tokens.size());
        stats->prefillSeconds = result.prefillSeconds;
        stats->decodeSeconds = result.decodeSeconds;
        stats->stopReason = QString::fromUtf8(wb::stopReasonName(result.reason));
        return nlohmann::json{{"tokens", result.tokens.size()}};
    };
    return submitGeneration(std::move(spec), stats);
}

void ModelHost::flushText()
{
    QString text;
    wb::JobId id;
    {
        QMutexLocker lock(&m_textMutex);
        text.swap(m_pendingText);
        id = m_pendingJob;
    }
    if (!text.isEmpty())
        Q_EMIT textArrived(id, text);
}

} // namespace wbui

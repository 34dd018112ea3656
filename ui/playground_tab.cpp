#include "playground_tab.h"

#include "app_context.h"
#include "common/error.h"
#include "common/runtime.h"
#include "jobs/job_runner.h"
#include "model/causal_lm.h"
#include "model/generate.h"
#include "prompt/prompt_builder.h"
#include "prompt/template.h"
#include "rag/knowledge_base.h"
#include "store/dataset_store.h"
#include "remote/remote_endpoint.h"
#include "store/model_store.h"
#include "store/template_store.h"
#include "store/workspace.h"
#include "tokenizer/chat_template.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDoubleSpinBox>
#include <QFormLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QMessageBox>
#include <QPlainTextEdit>
#include <QPointer>
#include <QPushButton>
#include <QScrollBar>
#include <QSpinBox>
#include <QSplitter>
#include <QTextBrowser>
#include <QTextBlockFormat>
#include <QTextCharFormat>
#include <QVBoxLayout>

namespace wbui {

namespace {
QString q(const std::string &s) { return QString::fromStdString(s); }
} // namespace

PlaygroundTab::PlaygroundTab(AppContext &ctx, QWidget *parent) : QWidget(parent), m_ctx(ctx)
{
    // Model bar.
    m_model = new QComboBox(this);
    m_model->setObjectName(QStringLiteral("playgroundModel"));
    m_model->setMinimumContentsLength(18);
    m_device = new QComboBox(this);
    m_device->addItem(tr("CPU"), QStringLiteral("cpu"));
    for (int i = 0; i < wb::cudaDeviceCount(); ++i)
        m_device->addItem(tr("GPU %1 (CUDA)").arg(i), QStringLiteral("cuda:%1").arg(i));
    m_dtype = new QComboBox(this);
    m_dtype->addItem(QStringLiteral("fp32"), int(wb::DType::F32));
    m_dtype->addItem(QStringLiteral("bf16"), int(wb::DType::BF16));
    m_dtype->addItem(QStringLiteral("fp16"), int(wb::DType::F16));
    m_dtype->setToolTip(tr("Compute precision. On a CPU fp32 is fastest and exact; on a GPU use bf16."));
    m_int8 = new QCheckBox(tr("int8 weights"), this);
    m_int8->setToolTip(tr("Quantize linear layers to int8 at load: about half the memory of bf16"));
    m_load = new QPushButton(tr("Load"), this);
    m_load->setObjectName(QStringLiteral("loadModelButton"));
    m_status = new QLabel(tr("No model loaded."), this);
    m_status->setObjectName(QStringLiteral("playgroundStatus"));
    connect(m_load, &QPushButton::clicked, this, &PlaygroundTab::loadSelected);
    auto *bar = new QHBoxLayout;
    bar->addWidget(new QLabel(tr("Model"), this));
    bar->addWidget(m_model, 1);
    bar->addWidget(m_device);
    bar->addWidget(m_dtype);
    bar->addWidget(m_int8);
    bar->addWidget(m_load);

    // Chat side.
    m_system = new QLineEdit(this);
    m_system->setPlaceholderText(tr("System prompt (optional)"));
    m_useChat = new QCheckBox(tr("Use the model's chat template"), this);
    m_useChat->setChecked(true);
    m_transcript = new QTextBrowser(this);
    m_transcript->setObjectName(QStringLiteral("transcript"));
    m_input = new QPlainTextEdit(this);
    m_input->setObjectName(QStringLiteral("chatInput"));
    m_input->setPlaceholderText(tr("Message (Ctrl+Enter sends)"));
    m_input->setMaximumHeight(120);
    m_send = new QPushButton(tr("Send"), this);
    m_send->setObjectName(QStringLiteral("sendButton"));
    m_send->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_Return));
    m_stop = new QPushButton(tr("Stop"), this);
    m_stop->setObjectName(QStringLiteral("stopButton"));
    m_clear = new QPushButton(tr("New chat"), this);
    connect(m_send, &QPushButton::clicked, this, [this] { send(m_input->toPlainText()); });
    connect(m_stop, &QPushButton::clicked, this, &PlaygroundTab::stop);
    connect(m_clear, &QPushButton::clicked, this, &PlaygroundTab::clearChat);
    auto *chatSide = new QWidget(this);
    auto *cl = new QVBoxLayout(chatSide);
    cl->setContentsMargins(0, 0, 0, 0);
    auto *sys = new QHBoxLayout;
    sys->addWidget(m_system, 1);
    sys->addWidget(m_useChat);
    cl->addLayout(sys);
    cl->addWidget(m_transcript, 1);
    cl->addWidget(m_input);
    auto *buttons = new QHBoxLayout;
    buttons->addWidget(m_clear);
    buttons->addStretch(1);
    buttons->addWidget(m_stop);
    buttons->addWidget(m_send);
    cl->addLayout(buttons);

    // Controls side.
    m_temperature = new QDoubleSpinBox(this);
    m_temperature->setObjectName(QStringLiteral("temperature"));
    m_temperature->setRange(0, 2);
    m_temperature->setSingleStep(0.1);
    m_temperature->setValue(0.7);
    m_temperature->setToolTip(tr("0 is greedy (deterministic)"));
    m_topP = new QDoubleSpinBox(this);
    m_topP->setRange(0.01, 1);
    m_topP->setSingleStep(0.05);
    m_topP->setValue(0.9);
    m_topK = new QSpinBox(this);
    m_topK->setRange(0, 1000);
    m_topK->setValue(40);
    m_topK->setToolTip(tr("0 turns top-k off"));
    m_repetition = new QDoubleSpinBox(this);
    m_repetition->setRange(1, 2);
    m_repetition->setSingleStep(0.05);
    m_repetition->setValue(1.05);
    m_maxTokens = new QSpinBox(this);
    m_maxTokens->setObjectName(QStringLiteral("maxTokens"));
    m_maxTokens->setRange(1, 8192);
    m_maxTokens->setValue(256);
    m_seed = new QSpinBox(this);
    m_seed->setRange(0, 1 << 30);
    m_seed->setValue(0);
    auto *sampling = new QGroupBox(tr("Sampling"), this);
    auto *sf = new QFormLayout(sampling);
    sf->addRow(tr("Temperature"), m_temperature);
    sf->addRow(tr("Top-p"), m_topP);
    sf->addRow(tr("Top-k"), m_topK);
    sf->addRow(tr("Repetition penalty"), m_repetition);
    sf->addRow(tr("Max new tokens"), m_maxTokens);
    sf->addRow(tr("Seed"), m_seed);
    m_stats = new QLabel(tr("–"), this);
    m_stats->setObjectName(QStringLiteral("playgroundStats"));
    m_stats->setWordWrap(true);
    sf->addRow(tr("Last reply"), m_stats);

    m_template = new QComboBox(this);
    m_dataset = new QComboBox(this);
    m_row = new QSpinBox(this);
    m_row->setRange(0, 1000000);
    m_question = new QSpinBox(this);
    m_question->setRange(0, 100);
    m_expected = new QLabel(this);
    m_expected->setObjectName(QStringLiteral("expectedAnswer"));
    auto *insert = new QPushButton(tr("Put the prompt in the message box"), this);
    insert->setObjectName(QStringLiteral("insertPromptButton"));
    connect(insert, &QPushButton::clicked, this, &PlaygroundTab::insertTemplatePrompt);
    auto *fromTemplate = new QGroupBox(tr("Prompt from a template"), this);
    auto *tf = new QFormLayout(fromTemplate);
    tf->addRow(tr("Template"), m_template);
    tf->addRow(tr("Dataset"), m_dataset);
    tf->addRow(tr("Record"), m_row);
    tf->addRow(tr("Question"), m_question);
    m_knowledge = new QComboBox(this);
    m_knowledge->setObjectName(QStringLiteral("playgroundKnowledge"));
    m_knowledge->setToolTip(tr("The collection whose best chunks fill {{context}} in the template"));
    m_kbTopK = new QSpinBox(this);
    m_kbTopK->setRange(1, 20);
    m_kbTopK->setValue(3);
    m_kbTopK->setPrefix(tr("top "));
    auto *kbRow = new QHBoxLayout;
    kbRow->addWidget(m_knowledge, 1);
    kbRow->addWidget(m_kbTopK);
    tf->addRow(tr("Knowledge"), kbRow);
    tf->addRow(insert);
    tf->addRow(tr("Expected"), m_expected);
    m_kbSources = new QLabel(this);
    m_kbSources->setObjectName(QStringLiteral("playgroundContextSources"));
    m_kbSources->setWordWrap(true);
    tf->addRow(tr("Context"), m_kbSources);

    auto *controls = new QWidget(this);
    auto *ctl = new QVBoxLayout(controls);
    ctl->setContentsMargins(0, 0, 0, 0);
    ctl->addWidget(sampling);
    ctl->addWidget(fromTemplate);
    ctl->addStretch(1);

    auto *split = new QSplitter(Qt::Horizontal, this);
    split->addWidget(chatSide);
    split->addWidget(controls);
    split->setStretchFactor(0, 3);
    split->setStretchFactor(1, 1);

    auto *layout = new QVBoxLayout(this);
    layout->addLayout(bar);
    layout->addWidget(m_status);
    layout->addWidget(split, 1);

    ModelHost &host = ctx.modelHost();
    connect(&host, &ModelHost::loaded, this, &PlaygroundTab::onLoaded);
    connect(&host, &ModelHost::loadFailed, this, [this](const QString &msg) {
        m_status->setText(tr("Could not load: %1").arg(msg));
        m_status->setStyleSheet(QStringLiteral("color: #c0392b;"));
        updateButtons();
    });
    connect(&host, &ModelHost::textArrived, this, &PlaygroundTab::onText);
    connect(&host, &ModelHost::generationFinished, this, &PlaygroundTab::onFinished);
    connect(&host, &ModelHost::busyChanged, this, [this] { updateButtons(); });
    connect(&ctx, &AppContext::modelsChanged, this, &PlaygroundTab::reloadModels);
    connect(&ctx, &AppContext::datasetsChanged, this, &PlaygroundTab::reloadSources);
    connect(&ctx, &AppContext::templatesChanged, this, &PlaygroundTab::reloadSources);
    reloadModels();
    reloadSources();
    reloadKnowledgeBases();
    if (host.isLoaded())
        onLoaded(host.modelName(), host.description());
    updateButtons();
}

void PlaygroundTab::reloadModels()
{
    const QString keep = m_model->currentText();
    m_model->clear();
    for (const auto &e : wb::ModelStore(m_ctx.workspace()).list())
        if (e.info.ok)
            m_model->addItem(q(e.name));
    // Remote OpenAI-compatible endpoints (llmwb model add-remote, or the Compare tab) answer too.
    for (const auto &r : wb::RemoteStore(m_ctx.workspace()).list()) {
        m_model->addItem(q(r.name));
        m_model->setItemData(m_model->count() - 1,
                             tr("remote: %1 at %2").arg(q(r.model), q(r.baseUrl)), Qt::ToolTipRole);
    }
    const int i = m_model->findText(keep);
    if (i >= 0)
        m_model->setCurrentIndex(i);
    updateButtons();
}

void PlaygroundTab::reloadSources()
{
    const QString keepT = m_template->currentText(), keepD = m_dataset->currentText();
    m_template->clear();
    for (const auto &t : wb::TemplateStore(m_ctx.workspace()).list())
        m_template->addItem(q(t.name));
    m_dataset->clear();
    for (const auto &d : wb::DatasetStore(m_ctx.workspace()).list())
        m_dataset->addItem(q(d.name));
    if (int i = m_template->findText(keepT.isEmpty() ? QStringLiteral("logic-direct") : keepT); i >= 0)
        m_template->setCurrentIndex(i);
    if (int i = m_dataset->findText(keepD.isEmpty() ? QStringLiteral("demo-eval") : keepD); i >= 0)
        m_dataset->setCurrentIndex(i);
}

void PlaygroundTab::selectModel(const QString &name)
{
    const int i = m_model->findText(name);
    if (i >= 0)
        m_model->setCurrentIndex(i);
}

void PlaygroundTab::loadSelected()
{
    if (m_model->currentText().isEmpty()) {
        m_status->setText(tr("Add a model in the Models tab first."));
        return;
    }
    wb::LoadOptions o;
    o.device = m_device->currentData().toString().toStdString();
    o.dtype = static_cast<wb::DType>(m_dtype->currentData().toInt());
    o.int8 = m_int8->isChecked();
    m_status->setStyleSheet(QString());
    m_status->setText(tr("Loading %1… (progress in the Jobs panel)").arg(m_model->currentText()));
    m_ctx.modelHost().load(m_model->currentText(), o);
    updateButtons();
}

void PlaygroundTab::onLoaded(const QString &name, const QString &description)
{
    m_status->setStyleSheet(QString());
    const bool chat = m_ctx.modelHost().hasChatTemplate();
    m_useChat->setEnabled(chat);
    m_useChat->setChecked(chat);
    m_status->setText(tr("Loaded %1: %2%3")
                          .arg(name, description,
                               chat ? QString() : tr(" · no chat template: messages are sent as plain text")));
    updateButtons();
}

void PlaygroundTab::updateButtons()
{
    const ModelHost &host = m_ctx.modelHost();
    m_send->setEnabled(host.isLoaded() && !host.isBusy());
    m_stop->setEnabled(m_job != 0);
    m_load->setEnabled(!host.isBusy() && m_model->count() > 0);
}

void PlaygroundTab::appendTurn(const QString &role, const QString &text)
{
    const QString color = role == QLatin1String("user") ? QStringLiteral("#1f4e79") : QStringLiteral("#1e8449");
    const QString label = role == QLatin1String("user") ? tr("You") : tr("Model");
    m_transcript->append(QStringLiteral("<p><b style='color:%1'>%2</b></p>").arg(color, label));
    QTextCursor c = m_transcript->textCursor();
    c.movePosition(QTextCursor::End);
    // Plain text: the reply must not inherit the bold, coloured label's format.
    c.insertBlock(QTextBlockFormat(), QTextCharFormat());
    c.insertText(text, QTextCharFormat());
    m_transcript->setTextCursor(c);
}

void PlaygroundTab::send(const QString &text)
{
    ModelHost &host = m_ctx.modelHost();
    if (text.trimmed().isEmpty() || !host.isLoaded() || host.isBusy())
        return;
    m_history.emplace_back(QStringLiteral("user"), text);
    appendTurn(QStringLiteral("user"), text);
    m_sentSources = text == m_contextPrompt ? m_contextSources : QStringList();
    m_input->clear();

    ModelHost::Request req;
    req.useChatTemplate = m_useChat->isChecked() && host.hasChatTemplate();
    if (!m_system->text().trimmed().isEmpty())
        req.messages.push_back({"system", m_system->text().toStdString()});
    for (const auto &[role, content] : m_history)
        req.messages.push_back({role.toStdString(), content.toStdString()});
    req.rawPrompt = text; // without a chat template only the last message is sent
    auto options = std::make_shared<wb::GenerateOptions>();
    options->maxNewTokens = m_maxTokens->value();
    options->sampling.temperature = static_cast<float>(m_temperature->value());
    options->sampling.topP = static_cast<float>(m_topP->value());
    options->sampling.topK = m_topK->value();
    options->sampling.repetitionPenalty = static_cast<float>(m_repetition->value());
    options->sampling.seed = static_cast<uint64_t>(m_seed->value());
    req.options = options;
    m_reply.clear();
    appendTurn(QStringLiteral("assistant"), QString());
    try {
        m_job = host.generate(req);
    } catch (const std::exception &e) {
        m_transcript->append(tr("<p style='color:#c0392b'>%1</p>").arg(QString::fromUtf8(e.what()).toHtmlEscaped()));
        m_history.pop_back();
    }
    updateButtons();
}

void PlaygroundTab::onText(wb::JobId id, const QString &text)
{
    if (id != m_job)
        return;
    m_reply += text;
    QTextCursor c = m_transcript->textCursor();
    c.movePosition(QTextCursor::End);
    c.insertText(text, QTextCharFormat());
    m_transcript->verticalScrollBar()->setValue(m_transcript->verticalScrollBar()->maximum());
}

void PlaygroundTab::onFinished(wb::JobId id, const ModelHost::Stats &s, const QString &error)
{
    if (id != m_job)
        return;
    m_job = 0;
    if (!error.isEmpty())
        m_transcript->append(QStringLiteral("<p style='color:#c0392b'>%1</p>").arg(error.toHtmlEscaped()));
    m_history.emplace_back(QStringLiteral("assistant"), m_reply);
    if (!m_sentSources.isEmpty())
        m_transcript->append(QStringLiteral("<p style='color:#7f8c8d'>%1</p>")
                                 .arg(tr("Context given: %1").arg(m_sentSources.join(QStringLiteral(" · "))).toHtmlEscaped()));
    m_sentSources.clear();
    const double tps = s.decodeSeconds > 0 ? std::max(0, s.generatedTokens - 1) / s.decodeSeconds : 0;
    m_stats->setText(tr("%1 prompt tokens · %2 generated · %3 tokens/s · first token after %4 ms · stopped: %5")
                         .arg(s.promptTokens)
                         .arg(s.generatedTokens)
                         .arg(tps, 0, 'f', 1)
                         .arg(s.prefillSeconds * 1000, 0, 'f', 0)
                         .arg(s.stopReason));
    updateButtons();
    Q_EMIT replyFinished();
}

void PlaygroundTab::stop()
{
    if (m_job)
        m_ctx.jobs().cancel(m_job);
}

void PlaygroundTab::clearChat()
{
    if (m_job)
        return;
    m_history.clear();
    m_transcript->clear();
    m_stats->setText(tr("–"));
}

struct PlaygroundTab::RenderDataset
{
    int64_t versionId = 0; // DatasetVersionInfo::id of `parsed`
    wb::ParsedDataset parsed;
};

void PlaygroundTab::insertTemplatePrompt()
{
    // Rendering may embed the retrieval query with a model (a BERT or decoder collection): it
    // runs as a job on a lane of its own (one at a time: the collection object is not
    // thread-safe), and the input box is filled when it is done.
    struct Rendered
    {
        std::string text, expected;
        QStringList sources;
        bool withContext = false;
    };
    auto out = std::make_shared<Rendered>();
    wb::Workspace *ws = &m_ctx.workspace();
    wb::JobSpec spec;
    spec.kind = "playground.render";
    spec.title = tr("Render the template prompt").toStdString();
    spec.lane = "playground:render";
    spec.quiet = true;
    if (!m_renderDataset)
        m_renderDataset = std::make_shared<RenderDataset>();
    spec.work = [ws, out, holder = m_kb, cache = m_renderDataset,
                 templateName = m_template->currentText().toStdString(),
                 datasetName = m_dataset->currentText().toStdString(), row = m_row->value(),
                 question = m_question->value(),
                 kbName = m_knowledge->currentData().toString().toStdString(),
                 topK = m_kbTopK->value()](wb::JobContext &) {
        const auto t = wb::TemplateStore(*ws).get(templateName);
        wb::DatasetStore store(*ws);
        const auto version = store.get(datasetName).latest;
        if (cache->versionId != version.id) {
            cache->parsed = store.load(version);
            cache->versionId = version.id;
        }
        const wb::ParsedDataset &parsed = cache->parsed;
        if (parsed.records.empty())
            throw wb::Error(wb::ErrorCode::Validation, "dataset " + datasetName + " has no records");
        const auto r = static_cast<size_t>(std::min<int>(row, int(parsed.records.size()) - 1));
        // Each sub-question retrieves with its own text; remember what each one was given.
        std::vector<QStringList> given;
        wb::ContextProvider contextFor;
        if (!kbName.empty()) {
            // Reopened when an ingest or removal changed the collection since it was opened.
            const auto info = wb::rag::KnowledgeBase::info(*ws, kbName);
            if (!*holder || (*holder)->info().id != info.id || (*holder)->info().revision != info.revision)
                *holder = wb::rag::KnowledgeBase::open(*ws, kbName);
            wb::rag::SearchOptions options;
            options.topK = topK;
            contextFor = [kb = *holder, options, &given](const nlohmann::json &variables) {
                const std::string query = wb::rag::retrievalQuery(variables);
                const auto hits = query.empty() ? std::vector<wb::rag::SearchHit>() : kb->search(query, options);
                const std::string context = wb::rag::formatContext(hits, 4000);
                QStringList sources; // formatContext keeps the leading hits that fit
                for (size_t n = 1; n <= hits.size(); ++n)
                    if (wb::rag::formatContext({hits.begin(), hits.begin() + long(n)}).size() <= context.size())
                        sources << QStringLiteral("[%1] %2").arg(n).arg(q(wb::rag::sourceLabel(hits[n - 1])));
                given.push_back(sources);
                return context;
            };
        }
        const auto prompts = wb::renderRecord(wb::PromptTemplate::parse(t.latest.body), parsed.format,
                                              parsed.records[r], contextFor);
        const size_t chosen = static_cast<size_t>(std::min<int>(question, int(prompts.size()) - 1));
        const auto &p = prompts.at(chosen);
        out->text = p.text;
        out->expected = p.expected;
        out->sources = chosen < given.size() ? given[chosen] : QStringList();
        out->withContext = bool(contextFor);
        return nlohmann::json{{"chars", p.text.size()}};
    };
    m_ctx.submit(std::move(spec), [this, guard = QPointer<PlaygroundTab>(this), out](const wb::JobSnapshot &s) {
        if (!guard)
            return;
        if (s.state != wb::JobState::Succeeded) {
            QMessageBox::warning(this, tr("Cannot render the prompt"), q(s.error));
            Q_EMIT promptInserted();
            return;
        }
        m_input->setPlainText(q(out->text));
        m_contextPrompt = q(out->text);
        m_contextSources = out->sources;
        m_kbSources->setText(!out->withContext ? tr("(no knowledge base)")
                             : m_contextSources.isEmpty() ? tr("no chunks found")
                                                          : m_contextSources.join(QStringLiteral("\n")));
        m_expected->setText(out->expected.empty() ? tr("(none)") : q(out->expected));
        Q_EMIT promptInserted();
    });
}

void PlaygroundTab::reloadKnowledgeBases()
{
    const QString keep = m_knowledge->currentData().toString();
    m_knowledge->clear();
    m_knowledge->addItem(tr("(none)"), QString());
    for (const auto &c : wb::rag::KnowledgeBase::list(m_ctx.workspace()))
        m_knowledge->addItem(q(c.name), q(c.name));
    if (const int i = m_knowledge->findData(keep); i >= 0)
        m_knowledge->setCurrentIndex(i);
}

void PlaygroundTab::selectKnowledgeBase(const QString &name)
{
    reloadKnowledgeBases();
    m_knowledge->setCurrentIndex(std::max(0, m_knowledge->findData(name)));
}

void PlaygroundTab::showEvent(QShowEvent *event)
{
    reloadKnowledgeBases(); // collections are made and dropped in the Knowledge tab
    QWidget::showEvent(event);
}


QString PlaygroundTab::transcriptText() const { return m_transcript->toPlainText(); }
QString PlaygroundTab::statsText() const { return m_stats->text(); }
QString PlaygroundTab::statusText() const { return m_status->text(); }
QString PlaygroundTab::inputText() const { return m_input->toPlainText(); }

} // namespace wbui

#include "prompts_tab.h"

#include "app_context.h"
#include "prompt/prompt_builder.h"
#include "prompt/template.h"
#include "store/dataset_store.h"
#include "store/template_store.h"
#include "store/workspace.h"
#include "template_highlighter.h"

#include <QComboBox>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QInputDialog>
#include <QLabel>
#include <QListWidget>
#include <QMessageBox>
#include <QPlainTextEdit>
#include <QPointer>
#include <QPushButton>
#include <QShortcut>
#include <QSpinBox>
#include <QSplitter>
#include <QTabWidget>
#include <QTextBrowser>
#include <QTimer>
#include <QVBoxLayout>

namespace wbui {

namespace {
QString q(const std::string &s) { return QString::fromStdString(s); }
} // namespace

PromptsTab::PromptsTab(AppContext &ctx, QWidget *parent) : QWidget(parent), m_ctx(ctx)
{
    m_title = new QLabel(this);
    QFont f = m_title->font();
    f.setPointSizeF(f.pointSizeF() * 1.4);
    f.setBold(true);
    m_title->setFont(f);
    auto *newButton = new QPushButton(tr("New"), this);
    auto *dupButton = new QPushButton(tr("Duplicate"), this);
    auto *renameButton = new QPushButton(tr("Rename…"), this);
    auto *deleteButton = new QPushButton(tr("Delete"), this);
    m_saveButton = new QPushButton(tr("Save version"), this);
    m_saveButton->setObjectName(QStringLiteral("saveTemplateButton"));
    m_saveButton->setToolTip(tr("Save the text as a new version (Ctrl+S)"));
    connect(newButton, &QPushButton::clicked, this, &PromptsTab::newTemplate);
    connect(dupButton, &QPushButton::clicked, this, &PromptsTab::duplicateTemplate);
    connect(renameButton, &QPushButton::clicked, this, &PromptsTab::renameTemplate);
    connect(deleteButton, &QPushButton::clicked, this, &PromptsTab::deleteTemplate);
    connect(m_saveButton, &QPushButton::clicked, this, &PromptsTab::save);
    auto *saveShortcut = new QShortcut(QKeySequence::Save, this);
    connect(saveShortcut, &QShortcut::activated, this, &PromptsTab::save);

    auto *head = new QHBoxLayout;
    head->addWidget(m_title, 1);
    for (auto *b : {newButton, dupButton, renameButton, deleteButton, m_saveButton})
        head->addWidget(b);

    // Editor side.
    m_editor = new QPlainTextEdit(this);
    m_editor->setObjectName(QStringLiteral("templateEditor"));
    m_editor->setFont(QFont(QStringLiteral("monospace")));
    m_editor->setTabChangesFocus(false);
    m_highlighter = new TemplateHighlighter(m_editor->document());
    m_variablesLabel = new QLabel(this);
    m_variablesLabel->setObjectName(QStringLiteral("variablesLabel"));
    m_variablesLabel->setWordWrap(true);
    m_error = new QLabel(this);
    m_error->setObjectName(QStringLiteral("templateError"));
    m_error->setWordWrap(true);
    m_error->setStyleSheet(QStringLiteral("color: #c0392b;"));
    auto *help = new QLabel(
        tr("<small>{{variable}} · {{#each options}}{{letter}}. {{this}}{{/each}} · "
           "{{#if x}}…{{else}}…{{/if}} · {{! comment}} · \\{{ for a literal {{</small>"),
        this);
    help->setTextFormat(Qt::RichText);
    auto *editorSide = new QWidget(this);
    auto *el = new QVBoxLayout(editorSide);
    el->setContentsMargins(0, 0, 0, 0);
    el->addWidget(m_editor, 1);
    el->addWidget(help);
    el->addWidget(m_variablesLabel);
    el->addWidget(m_error);

    // Preview side.
    m_dataset = new QComboBox(this);
    m_dataset->setObjectName(QStringLiteral("previewDataset"));
    m_dataset->setMinimumContentsLength(16);
    m_row = new QSpinBox(this);
    m_row->setObjectName(QStringLiteral("previewRow"));
    m_row->setPrefix(tr("record "));
    m_question = new QSpinBox(this);
    m_question->setObjectName(QStringLiteral("previewQuestion"));
    m_question->setPrefix(tr("question "));
    m_preview = new QPlainTextEdit(this);
    m_preview->setObjectName(QStringLiteral("previewText"));
    m_preview->setReadOnly(true);
    m_previewInfo = new QLabel(this);
    m_previewInfo->setObjectName(QStringLiteral("previewInfo"));
    auto *pick = new QHBoxLayout;
    pick->addWidget(new QLabel(tr("Dataset"), this));
    pick->addWidget(m_dataset, 1);
    pick->addWidget(m_row);
    pick->addWidget(m_question);
    auto *previewPage = new QWidget(this);
    auto *pl = new QVBoxLayout(previewPage);
    pl->addLayout(pick);
    pl->addWidget(m_preview, 1);
    pl->addWidget(m_previewInfo);

    m_versions = new QListWidget(this);
    m_versions->setObjectName(QStringLiteral("versionList"));
    m_diff = new QTextBrowser(this);
    m_diff->setObjectName(QStringLiteral("diffView"));
    m_restoreButton = new QPushButton(tr("Restore this version into the editor"), this);
    auto *historyPage = new QWidget(this);
    auto *hl = new QVBoxLayout(historyPage);
    auto *hs = new QSplitter(Qt::Vertical, historyPage);
    hs->addWidget(m_versions);
    hs->addWidget(m_diff);
    hs->setStretchFactor(1, 3);
    hl->addWidget(hs, 1);
    hl->addWidget(m_restoreButton);
    connect(m_versions, &QListWidget::currentRowChanged, this, &PromptsTab::showDiff);
    connect(m_restoreButton, &QPushButton::clicked, this, [this] {
        auto *item = m_versions->currentItem();
        if (item)
            m_editor->setPlainText(item->data(Qt::UserRole).toString());
    });

    auto *rightTabs = new QTabWidget(this);
    rightTabs->setObjectName(QStringLiteral("promptSideTabs"));
    rightTabs->addTab(previewPage, tr("Preview"));
    rightTabs->addTab(historyPage, tr("History"));

    auto *split = new QSplitter(Qt::Horizontal, this);
    split->addWidget(editorSide);
    split->addWidget(rightTabs);
    split->setStretchFactor(0, 1);
    split->setStretchFactor(1, 1);

    auto *layout = new QVBoxLayout(this);
    layout->addLayout(head);
    layout->addWidget(split, 1);

    m_renderTimer = new QTimer(this);
    m_renderTimer->setSingleShot(true);
    m_renderTimer->setInterval(150);
    connect(m_renderTimer, &QTimer::timeout, this, &PromptsTab::renderPreview);
    connect(m_editor, &QPlainTextEdit::textChanged, this, [this] {
        if (m_loading)
            return;
        if (!m_name.isEmpty())
            m_drafts[m_name] = m_editor->toPlainText();
        updateTitle();
        m_renderTimer->start();
    });
    connect(m_dataset, &QComboBox::currentTextChanged, this, [this] { loadPreviewDataset(); });
    connect(m_row, &QSpinBox::valueChanged, this, [this] { m_renderTimer->start(); });
    connect(m_question, &QSpinBox::valueChanged, this, [this] { m_renderTimer->start(); });
    connect(&ctx, &AppContext::datasetsChanged, this, &PromptsTab::reloadDatasets);

    reloadDatasets();
    updateTitle();
}

void PromptsTab::reloadDatasets()
{
    const QString keep = m_dataset->currentText();
    QSignalBlocker block(m_dataset);
    m_dataset->clear();
    for (const auto &d : wb::DatasetStore(m_ctx.workspace()).list())
        m_dataset->addItem(q(d.name));
    const int i = m_dataset->findText(keep);
    m_dataset->setCurrentIndex(i >= 0 ? i : 0);
    block.unblock();
    if (m_dataset->currentText() != m_dataName)
        loadPreviewDataset();
}

void PromptsTab::setPreviewDataset(const QString &name)
{
    m_dataset->setCurrentText(name);
    if (m_dataName != name)
        loadPreviewDataset();
}

void PromptsTab::setPreviewRow(int row, int question)
{
    // The spin boxes' ranges are only known once the dataset has loaded.
    m_requestedRow = row;
    m_requestedQuestion = question;
    renderPreview();
}

void PromptsTab::loadPreviewDataset()
{
    const QString name = m_dataset->currentText();
    m_dataName = name;
    m_data.reset();
    if (name.isEmpty()) {
        renderPreview();
        return;
    }
    auto data = std::make_shared<wb::ParsedDataset>();
    wb::Workspace *ws = &m_ctx.workspace();
    const std::string n = name.toStdString();
    wb::JobSpec spec;
    spec.kind = "dataset.load";
    spec.quiet = true;
    spec.title = tr("Load %1 for the preview").arg(name).toStdString();
    spec.work = [ws, n, data](wb::JobContext &) {
        wb::DatasetStore store(*ws);
        *data = store.load(store.get(n).latest);
        return nlohmann::json{{"rows", data->records.size()}};
    };
    m_ctx.submit(std::move(spec), [guard = QPointer<PromptsTab>(this), name, data](const wb::JobSnapshot &s) {
        if (!guard || guard->m_dataName != name)
            return; // a newer choice replaced this one
        if (s.state == wb::JobState::Succeeded)
            guard->m_data = data;
        guard->renderPreview();
    });
}

void PromptsTab::showTemplate(const QString &name)
{
    try {
        const auto t = wb::TemplateStore(m_ctx.workspace()).get(name.toStdString());
        m_name = name;
        m_savedBody = q(t.latest.body);
        m_loading = true;
        m_editor->setPlainText(m_drafts.value(name, m_savedBody));
        m_loading = false;
        reloadHistory();
        updateTitle();
        renderPreview();
    } catch (const std::exception &e) {
        QMessageBox::warning(this, tr("Cannot open template"), QString::fromUtf8(e.what()));
    }
}

bool PromptsTab::hasUnsavedChanges() const { return !unsavedTemplates().isEmpty(); }

QStringList PromptsTab::unsavedTemplates() const
{
    QStringList out;
    for (auto it = m_drafts.begin(); it != m_drafts.end(); ++it) {
        if (it.key() == m_name) {
            if (it.value() != m_savedBody)
                out << it.key();
            continue;
        }
        try {
            if (q(wb::TemplateStore(m_ctx.workspace()).get(it.key().toStdString()).latest.body) !=
                it.value())
                out << it.key();
        } catch (...) {
        }
    }
    return out;
}

void PromptsTab::updateTitle()
{
    if (m_name.isEmpty()) {
        m_title->setText(tr("Prompts — choose a template in the sidebar"));
        m_saveButton->setEnabled(false);
        m_editor->setEnabled(false);
        return;
    }
    m_editor->setEnabled(true);
    const bool dirty = m_editor->toPlainText() != m_savedBody;
    m_title->setText(dirty ? m_name + QStringLiteral(" ●") : m_name);
    m_title->setToolTip(dirty ? tr("Unsaved changes") : QString());
    m_saveButton->setEnabled(dirty);
}

void PromptsTab::renderPreview()
{
    const std::string body = m_editor->toPlainText().toStdString();
    m_error->clear();
    try {
        const auto tpl = wb::PromptTemplate::parse(body);
        m_variables.clear();
        for (const auto &v : tpl.variables())
            m_variables << q(v);
        m_variablesLabel->setText(m_variables.isEmpty()
                                      ? tr("Variables: none")
                                      : tr("Variables: %1").arg(m_variables.join(QStringLiteral(", "))));
        if (!m_data || m_data->records.empty()) {
            m_preview->setPlainText(QString());
            m_previewInfo->setText(m_dataName.isEmpty() ? tr("Import a dataset to preview.")
                                                        : tr("Loading %1…").arg(m_dataName));
            Q_EMIT previewUpdated();
            return;
        }
        const int rows = static_cast<int>(m_data->records.size());
        QSignalBlocker blockRow(m_row), blockQuestion(m_question);
        m_row->setRange(0, rows - 1);
        if (m_requestedRow >= 0)
            m_row->setValue(m_requestedRow);
        const auto &record = m_data->records[static_cast<size_t>(m_row->value())];
        const size_t count = wb::promptCount(m_data->format, record);
        m_question->setRange(0, static_cast<int>(count) - 1);
        if (m_requestedQuestion >= 0)
            m_question->setValue(m_requestedQuestion);
        m_requestedRow = m_requestedQuestion = -1;
        m_question->setEnabled(count > 1);
        const auto prompts = wb::renderRecord(tpl, m_data->format, record);
        const auto &p = prompts.at(static_cast<size_t>(m_question->value()));
        m_preview->setPlainText(q(p.text));
        m_previewInfo->setText(tr("%1 · %2 characters · %3 lines · expected answer: %4")
                                   .arg(q(p.recordId))
                                   .arg(QString::fromStdString(p.text).size())
                                   .arg(QString::fromStdString(p.text).count(QLatin1Char('\n')) + 1)
                                   .arg(p.expected.empty() ? tr("(none)") : q(p.expected)));
    } catch (const wb::TemplateError &e) {
        QString text = QString::fromStdString(e.message());
        // A variable the row does not have usually means template and dataset don't match:
        // say which variables this dataset offers.
        if (!e.variable().empty() && m_data && !m_data->records.empty()) {
            QStringList offered;
            const auto contexts = wb::templateContexts(m_data->format, m_data->records.front());
            if (!contexts.empty())
                for (auto it = contexts.front().begin(); it != contexts.front().end(); ++it)
                    offered << q(it.key());
            text += QLatin1Char('\n') +
                    tr("%1 is a %2 dataset; its rows offer: %3")
                        .arg(m_dataName, QString::fromUtf8(wb::formatName(m_data->format)),
                             offered.join(QStringLiteral(", ")));
        }
        m_error->setText(text);
        m_preview->setPlainText(QString());
        m_previewInfo->clear();
    } catch (const std::exception &e) {
        m_error->setText(QString::fromUtf8(e.what()));
    }
    Q_EMIT previewUpdated();
}

QString PromptsTab::previewText() const { return m_preview->toPlainText(); }
QString PromptsTab::errorText() const { return m_error->text(); }

void PromptsTab::reloadHistory()
{
    m_versions->clear();
    if (m_name.isEmpty())
        return;
    const auto versions = wb::TemplateStore(m_ctx.workspace()).versions(m_name.toStdString());
    for (auto it = versions.rbegin(); it != versions.rend(); ++it) {
        QString label = tr("Version %1 — %2").arg(it->version).arg(q(it->createdAt).left(19).replace(QLatin1Char('T'), QLatin1Char(' ')));
        if (!it->note.empty())
            label += QStringLiteral(" — ") + q(it->note);
        auto *item = new QListWidgetItem(label, m_versions);
        item->setData(Qt::UserRole, q(it->body));
    }
    m_versions->setCurrentRow(0);
}

void PromptsTab::showDiff(int listRow)
{
    m_restoreButton->setEnabled(listRow >= 0);
    if (listRow < 0) {
        m_diff->clear();
        return;
    }
    const QString after = m_versions->item(listRow)->data(Qt::UserRole).toString();
    const QString before = listRow + 1 < m_versions->count()
                               ? m_versions->item(listRow + 1)->data(Qt::UserRole).toString()
                               : QString();
    const auto diff = wb::diffLines(before.toStdString(), after.toStdString());
    QString html = QStringLiteral("<pre style='font-family: monospace'>");
    for (const auto &d : diff) {
        const QString text = q(d.text).toHtmlEscaped();
        switch (d.op) {
        case wb::DiffLine::Op::Same: html += QStringLiteral("  %1\n").arg(text); break;
        case wb::DiffLine::Op::Added:
            html += QStringLiteral("<span style='background:#d4f7d4'>+ %1</span>\n").arg(text);
            break;
        case wb::DiffLine::Op::Removed:
            html += QStringLiteral("<span style='background:#fbd6d6'>- %1</span>\n").arg(text);
            break;
        }
    }
    html += QStringLiteral("</pre>");
    m_diff->setHtml(html);
}

bool PromptsTab::save()
{
    if (m_name.isEmpty())
        return false;
    const QString body = m_editor->toPlainText();
    try {
        wb::PromptTemplate::parse(body.toStdString());
    } catch (const wb::TemplateError &e) {
        if (QMessageBox::question(this, tr("Template has errors"),
                                  tr("%1\n\nSave it anyway?").arg(QString::fromUtf8(e.what()))) !=
            QMessageBox::Yes)
            return false;
    }
    try {
        wb::TemplateStore(m_ctx.workspace()).save(m_name.toStdString(), body.toStdString());
        m_savedBody = body;
        m_drafts.remove(m_name);
        reloadHistory();
        updateTitle();
        return true;
    } catch (const std::exception &e) {
        QMessageBox::warning(this, tr("Save failed"), QString::fromUtf8(e.what()));
        return false;
    }
}

void PromptsTab::newTemplate()
{
    bool ok = false;
    const QString name = QInputDialog::getText(this, tr("New template"), tr("Name"),
                                               QLineEdit::Normal, tr("my-template"), &ok);
    if (!ok || name.trimmed().isEmpty())
        return;
    try {
        wb::TemplateStore(m_ctx.workspace())
            .create(name.trimmed().toStdString(),
                    "{{problem}}\n\n{{question}}\n{{#each options}}\n{{letter}}. {{this}}\n{{/each}}");
        Q_EMIT m_ctx.templatesChanged();
        Q_EMIT m_ctx.showTemplate(name.trimmed());
    } catch (const std::exception &e) {
        QMessageBox::warning(this, tr("Cannot create template"), QString::fromUtf8(e.what()));
    }
}

void PromptsTab::duplicateTemplate()
{
    if (m_name.isEmpty())
        return;
    try {
        wb::TemplateStore store(m_ctx.workspace());
        const auto t = store.duplicate(m_name.toStdString(), {});
        // The copy takes the editor's text, saved or not: that is what the user sees.
        store.save(t.name, m_editor->toPlainText().toStdString(), "copied from " + m_name.toStdString());
        Q_EMIT m_ctx.templatesChanged();
        Q_EMIT m_ctx.showTemplate(q(t.name));
    } catch (const std::exception &e) {
        QMessageBox::warning(this, tr("Duplicate failed"), QString::fromUtf8(e.what()));
    }
}

void PromptsTab::renameTemplate()
{
    if (m_name.isEmpty())
        return;
    bool ok = false;
    const QString to = QInputDialog::getText(this, tr("Rename template"), tr("New name"),
                                             QLineEdit::Normal, m_name, &ok);
    if (!ok || to.trimmed().isEmpty() || to == m_name)
        return;
    try {
        wb::TemplateStore(m_ctx.workspace()).rename(m_name.toStdString(), to.trimmed().toStdString());
        if (m_drafts.contains(m_name))
            m_drafts.insert(to.trimmed(), m_drafts.take(m_name));
        m_name = to.trimmed();
        Q_EMIT m_ctx.templatesChanged();
        updateTitle();
    } catch (const std::exception &e) {
        QMessageBox::warning(this, tr("Rename failed"), QString::fromUtf8(e.what()));
    }
}

void PromptsTab::deleteTemplate()
{
    if (m_name.isEmpty())
        return;
    if (QMessageBox::question(this, tr("Delete template"),
                              tr("Delete %1 and its whole history?").arg(m_name)) != QMessageBox::Yes)
        return;
    try {
        wb::TemplateStore(m_ctx.workspace()).remove(m_name.toStdString());
        m_drafts.remove(m_name);
        m_name.clear();
        m_savedBody.clear();
        m_loading = true;
        m_editor->clear();
        m_loading = false;
        m_versions->clear();
        updateTitle();
        Q_EMIT m_ctx.templatesChanged();
    } catch (const std::exception &e) {
        QMessageBox::warning(this, tr("Delete failed"), QString::fromUtf8(e.what()));
    }
}

} // namespace wbui

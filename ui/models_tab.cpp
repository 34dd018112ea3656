#include "models_tab.h"

#include "app_context.h"
#include "serve_panel.h"
#include "common/error.h"
#include "store/model_store.h"
#include "store/workspace.h"

#include <QFileDialog>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QMessageBox>
#include <QPushButton>
#include <QSplitter>
#include <QTableWidget>
#include <QTextBrowser>
#include <QVBoxLayout>

namespace wbui {

QString humanBytes(quint64 b)
{
    if (b >= (1ull << 30))
        return QStringLiteral("%1 GiB").arg(b / double(1ull << 30), 0, 'f', 2);
    if (b >= (1ull << 20))
        return QStringLiteral("%1 MiB").arg(b / double(1ull << 20), 0, 'f', 1);
    return QStringLiteral("%1 KiB").arg(b / 1024.0, 0, 'f', 1);
}

QString humanParameters(quint64 p)
{
    if (p >= 1000000000ull)
        return QStringLiteral("%1B").arg(p / 1e9, 0, 'f', 2);
    if (p >= 1000000ull)
        return QStringLiteral("%1M").arg(p / 1e6, 0, 'f', 1);
    return QStringLiteral("%1K").arg(p / 1e3, 0, 'f', 1);
}

namespace {
enum Col { ColName, ColArch, ColParams, ColDtype, ColSize, ColTokenizer, ColChat, ColStatus, ColCount };
QString q(const std::string &s) { return QString::fromStdString(s); }
} // namespace

ModelsTab::ModelsTab(AppContext &ctx, QWidget *parent) : QWidget(parent), m_ctx(ctx)
{
    auto *title = new QLabel(tr("Models"), this);
    QFont f = title->font();
    f.setPointSizeF(f.pointSizeF() * 1.4);
    f.setBold(true);
    title->setFont(f);
    auto *hint = new QLabel(tr("Local Hugging Face folders (config.json, *.safetensors, tokenizer). "
                               "Drop a folder on the window or use Add."),
                            this);
    auto *add = new QPushButton(tr("Add folder…"), this);
    add->setObjectName(QStringLiteral("addModelButton"));
    auto *refresh = new QPushButton(tr("Check again"), this);
    refresh->setToolTip(tr("Inspect the folder again after fixing it"));
    auto *remove = new QPushButton(tr("Remove"), this);
    remove->setToolTip(tr("Forget this model; its folder is not touched"));
    connect(add, &QPushButton::clicked, this, &ModelsTab::chooseFolder);
    connect(refresh, &QPushButton::clicked, this, &ModelsTab::refreshCurrent);
    connect(remove, &QPushButton::clicked, this, &ModelsTab::removeCurrent);
    auto *serve = new QPushButton(tr("Serve…"), this);
    serve->setObjectName(QStringLiteral("serveModelButton"));
    serve->setToolTip(tr("Serve this model (and its adapters) behind an OpenAI-compatible API"));
    connect(serve, &QPushButton::clicked, this, [this] {
        if (currentModel().isEmpty())
            return;
        auto *panel = new ServePanel(m_ctx, currentModel(), this);
        panel->setAttribute(Qt::WA_DeleteOnClose);
        panel->show();
    });
    auto *head = new QHBoxLayout;
    auto *titles = new QVBoxLayout;
    titles->addWidget(title);
    titles->addWidget(hint);
    head->addLayout(titles, 1);
    head->addWidget(add);
    head->addWidget(refresh);
    head->addWidget(remove);
    head->addWidget(serve);

    m_table = new QTableWidget(0, ColCount, this);
    m_table->setObjectName(QStringLiteral("modelsTable"));
    m_table->setHorizontalHeaderLabels({tr("Name"), tr("Architecture"), tr("Parameters"),
                                        tr("Weights"), tr("Size"), tr("Tokenizer"),
                                        tr("Chat template"), tr("Status")});
    m_table->horizontalHeader()->setStretchLastSection(true);
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setSelectionMode(QAbstractItemView::SingleSelection);
    m_table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_table->verticalHeader()->hide();
    connect(m_table, &QTableWidget::currentCellChanged, this, [this](int row) { showDetails(row); });
    m_details = new QTextBrowser(this);
    m_details->setObjectName(QStringLiteral("modelDetails"));

    auto *split = new QSplitter(Qt::Vertical, this);
    split->addWidget(m_table);
    split->addWidget(m_details);
    split->setStretchFactor(1, 1);
    auto *layout = new QVBoxLayout(this);
    layout->addLayout(head);
    layout->addWidget(split, 1);
    connect(&ctx, &AppContext::modelsChanged, this, &ModelsTab::reload);
    reload();
}

void ModelsTab::reload()
{
    const QString keep = currentModel();
    m_table->setRowCount(0);
    for (const auto &e : wb::ModelStore(m_ctx.workspace()).list()) {
        const int r = m_table->rowCount();
        m_table->insertRow(r);
        const auto &i = e.info;
        const QStringList cells = {q(e.name),
                                   q(i.architecture),
                                   i.parameters ? humanParameters(i.parameters) : QString(),
                                   q(i.dtype),
                                   i.sizeOnDisk ? humanBytes(i.sizeOnDisk) : QString(),
                                   q(i.tokenizer),
                                   q(i.chatFamily),
                                   i.ok ? tr("ready") : tr("broken")};
        for (int c = 0; c < ColCount; ++c)
            m_table->setItem(r, c, new QTableWidgetItem(cells[c]));
        m_table->item(r, ColStatus)->setForeground(i.ok ? QColor(0x1e, 0x84, 0x49)
                                                        : QColor(0xc0, 0x39, 0x2b));
        m_table->item(r, ColName)->setData(Qt::UserRole, q(e.name));
    }
    m_table->resizeColumnsToContents();
    m_table->horizontalHeader()->setStretchLastSection(true);
    if (!keep.isEmpty())
        showModel(keep);
    else if (m_table->rowCount() > 0)
        m_table->selectRow(0);
    else
        m_details->setHtml(tr("<p>No models yet. Add a folder downloaded from Hugging Face, e.g. "
                              "Qwen2-0.5B-Instruct or TinyLlama-1.1B-Chat.</p>"));
}

QString ModelsTab::currentModel() const
{
    const int r = m_table->currentRow();
    return r >= 0 && m_table->item(r, ColName) ? m_table->item(r, ColName)->text() : QString();
}

QString ModelsTab::detailsText() const { return m_details->toPlainText(); }

void ModelsTab::showModel(const QString &name)
{
    for (int r = 0; r < m_table->rowCount(); ++r)
        if (m_table->item(r, ColName)->text() == name) {
            m_table->selectRow(r);
            showDetails(r);
            return;
        }
}

void ModelsTab::showDetails(int row)
{
    if (row < 0 || !m_table->item(row, ColName)) {
        m_details->clear();
        return;
    }
    try {
        const auto e = wb::ModelStore(m_ctx.workspace()).get(m_table->item(row, ColName)->text().toStdString());
        const auto &i = e.info;
        QString html = QStringLiteral("<h3>%1</h3><p><tt>%2</tt></p><table cellpadding='3'>")
                           .arg(q(e.name).toHtmlEscaped(), q(i.path.string()).toHtmlEscaped());
        auto row2 = [&html](const QString &k, const QString &v) {
            html += QStringLiteral("<tr><td><b>%1</b></td><td>%2</td></tr>").arg(k, v.toHtmlEscaped());
        };
        row2(tr("Architecture"), q(i.architecture));
        row2(tr("Parameters"), QStringLiteral("%1 (%2)").arg(humanParameters(i.parameters)).arg(i.parameters));
        row2(tr("Layers / hidden / heads"),
             tr("%1 layers, hidden %2, %3 heads (%4 key/value)").arg(i.layers).arg(i.hidden).arg(i.heads).arg(i.kvHeads));
        row2(tr("Vocabulary"), QString::number(i.vocab));
        row2(tr("Context"), tr("%1 tokens, RoPE %2").arg(i.contextLength).arg(q(i.rope)));
        row2(tr("Weights"), QStringLiteral("%1, %2").arg(q(i.dtype), humanBytes(i.sizeOnDisk)));
        row2(tr("Tokenizer"), i.tokenizer.empty() ? tr("missing") : q(i.tokenizer));
        row2(tr("Chat template"), i.chatFamily.empty() ? tr("none") : q(i.chatFamily));
        html += QStringLiteral("</table>");
        if (!i.problems.empty()) {
            html += QStringLiteral("<h4 style='color:#c0392b'>%1</h4><ul>").arg(tr("What is wrong"));
            for (const auto &p : i.problems)
                html += QStringLiteral("<li style='color:#c0392b'>%1</li>").arg(q(p).toHtmlEscaped());
            html += QStringLiteral("</ul>");
        }
        if (!i.warnings.empty()) {
            html += QStringLiteral("<h4>%1</h4><ul>").arg(tr("Notes"));
            for (const auto &w : i.warnings)
                html += QStringLiteral("<li>%1</li>").arg(q(w).toHtmlEscaped());
            html += QStringLiteral("</ul>");
        }
        m_details->setHtml(html);
    } catch (const std::exception &e) {
        m_details->setPlainText(QString::fromUtf8(e.what()));
    }
}

QString ModelsTab::addFolder(const QString &path)
{
    try {
        const auto e = wb::ModelStore(m_ctx.workspace()).add(path.toStdString());
        Q_EMIT m_ctx.modelsChanged();
        showModel(q(e.name));
        return q(e.name);
    } catch (const std::exception &e) {
        QMessageBox::warning(this, tr("Cannot add model"), QString::fromUtf8(e.what()));
        return {};
    }
}

void ModelsTab::chooseFolder()
{
    const QString dir = QFileDialog::getExistingDirectory(this, tr("Choose a model folder"));
    if (!dir.isEmpty())
        addFolder(dir);
}

void ModelsTab::refreshCurrent()
{
    const QString name = currentModel();
    if (name.isEmpty())
        return;
    wb::ModelStore(m_ctx.workspace()).refresh(name.toStdString());
    Q_EMIT m_ctx.modelsChanged();
    showModel(name);
}

void ModelsTab::removeCurrent()
{
    const QString name = currentModel();
    if (name.isEmpty())
        return;
    if (QMessageBox::question(this, tr("Remove model"),
                              tr("Remove %1 from the workspace? The folder on disk is not touched.")
                                  .arg(name)) != QMessageBox::Yes)
        return;
    wb::ModelStore(m_ctx.workspace()).remove(name.toStdString());
    Q_EMIT m_ctx.modelsChanged();
}

} // namespace wbui

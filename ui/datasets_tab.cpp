#include "datasets_tab.h"

#include "app_context.h"
#include "common/error.h"
#include "common/files.h"
#include "dataset_preview_model.h"
#include "dataset_stats_view.h"
#include "store/workspace.h"

#include <QDialog>
#include <QDialogButtonBox>
#include <QDoubleSpinBox>
#include <QFileDialog>
#include <QFileInfo>
#include <QFormLayout>
#include <QFrame>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QMessageBox>
#include <QPlainTextEdit>
#include <QPointer>
#include <QPushButton>
#include <QSpinBox>
#include <QTabWidget>
#include <QTableWidget>
#include <QTextBlock>
#include <QTreeView>
#include <QVBoxLayout>

namespace wbui {

namespace {
constexpr qint64 kMaxSourceBytes = 4 * 1024 * 1024;

enum TabIndex { TabPreview, TabProblems, TabStats, TabSource };

void fillSource(DatasetView &v, const std::filesystem::path &file)
{
    std::string bytes = wb::readFile(file);
    if (static_cast<qint64>(bytes.size()) > kMaxSourceBytes) {
        bytes.resize(static_cast<size_t>(kMaxSourceBytes));
        v.sourceTruncated = true;
    }
    // Invalid UTF-8 shows as replacement characters; the report says what is wrong.
    v.sourceText = QString::fromUtf8(bytes.data(), static_cast<qsizetype>(bytes.size()));
}
} // namespace

DatasetsTab::DatasetsTab(AppContext &ctx, QWidget *parent) : QWidget(parent), m_ctx(ctx)
{
    setAcceptDrops(false); // the main window takes drops and forwards them here

    m_title = new QLabel(tr("Datasets"), this);
    QFont f = m_title->font();
    f.setPointSizeF(f.pointSizeF() * 1.4);
    f.setBold(true);
    m_title->setFont(f);
    m_subtitle = new QLabel(this);
    m_subtitle->setObjectName(QStringLiteral("datasetSubtitle"));
    m_subtitle->setTextInteractionFlags(Qt::TextSelectableByMouse);
    auto *importButton = new QPushButton(tr("Import…"), this);
    importButton->setObjectName(QStringLiteral("importButton"));
    importButton->setToolTip(tr("Import a JSONL, JSON or CSV file (or drop files on the window)"));
    m_splitButton = new QPushButton(tr("Split…"), this);
    m_splitButton->setToolTip(tr("Make a deterministic train/eval split of this dataset"));
    m_removeButton = new QPushButton(tr("Delete"), this);
    connect(importButton, &QPushButton::clicked, this, &DatasetsTab::chooseFiles);
    connect(m_splitButton, &QPushButton::clicked, this, &DatasetsTab::splitCurrent);
    connect(m_removeButton, &QPushButton::clicked, this, &DatasetsTab::removeCurrent);

    auto *head = new QHBoxLayout;
    auto *titles = new QVBoxLayout;
    titles->addWidget(m_title);
    titles->addWidget(m_subtitle);
    head->addLayout(titles, 1);
    head->addWidget(importButton);
    head->addWidget(m_splitButton);
    head->addWidget(m_removeButton);

    // The banner replaces a modal question: the report stays visible while the user decides.
    m_banner = new QFrame(this);
    m_banner->setObjectName(QStringLiteral("importBanner"));
    m_banner->setFrameShape(QFrame::StyledPanel);
    m_banner->setStyleSheet(QStringLiteral("#importBanner { background: #fff4d6; border: 1px solid #e0b84c; }"));
    m_bannerText = new QLabel(m_banner);
    m_bannerText->setWordWrap(true);
    m_acceptButton = new QPushButton(tr("Import the valid rows"), m_banner);
    m_acceptButton->setObjectName(QStringLiteral("acceptInvalidButton"));
    auto *dismiss = new QPushButton(tr("Dismiss"), m_banner);
    connect(m_acceptButton, &QPushButton::clicked, this, &DatasetsTab::acceptInvalidRows);
    connect(dismiss, &QPushButton::clicked, m_banner, &QFrame::hide);
    auto *bl = new QHBoxLayout(m_banner);
    bl->addWidget(m_bannerText, 1);
    bl->addWidget(m_acceptButton);
    bl->addWidget(dismiss);
    m_banner->hide();

    // Preview with paging.
    m_model = new DatasetPreviewModel(this);
    m_preview = new QTreeView(this);
    m_preview->setObjectName(QStringLiteral("previewView"));
    m_preview->setModel(m_model);
    m_preview->setUniformRowHeights(false);
    m_preview->setAlternatingRowColors(true);
    m_preview->setWordWrap(true);
    m_preview->header()->setStretchLastSection(false);
    m_prev = new QPushButton(tr("◀ Previous"), this);
    m_next = new QPushButton(tr("Next ▶"), this);
    m_prev->setObjectName(QStringLiteral("prevPage"));
    m_next->setObjectName(QStringLiteral("nextPage"));
    m_pageLabel = new QLabel(this);
    m_pageLabel->setObjectName(QStringLiteral("pageLabel"));
    connect(m_prev, &QPushButton::clicked, this, [this] { setPage(m_page - 1); });
    connect(m_next, &QPushButton::clicked, this, [this] { setPage(m_page + 1); });
    auto *previewPage = new QWidget(this);
    auto *pl = new QVBoxLayout(previewPage);
    pl->addWidget(m_preview, 1);
    auto *pager = new QHBoxLayout;
    pager->addWidget(m_prev);
    pager->addWidget(m_pageLabel, 1, Qt::AlignCenter);
    pager->addWidget(m_next);
    pl->addLayout(pager);

    m_issues = new QTableWidget(0, 4, this);
    m_issues->setObjectName(QStringLiteral("issuesTable"));
    m_issues->setHorizontalHeaderLabels({tr("Severity"), tr("Row"), tr("Field"), tr("Problem")});
    m_issues->horizontalHeader()->setStretchLastSection(true);
    m_issues->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_issues->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_issues->verticalHeader()->hide();
    connect(m_issues, &QTableWidget::cellClicked, this, [this](int r, int) { issueActivated(r); });
    connect(m_issues, &QTableWidget::cellActivated, this, [this](int r, int) { issueActivated(r); });

    m_stats = new DatasetStatsView(this);
    m_source = new QPlainTextEdit(this);
    m_source->setObjectName(QStringLiteral("sourceView"));
    m_source->setReadOnly(true);
    m_source->setLineWrapMode(QPlainTextEdit::NoWrap);
    m_source->setFont(QFont(QStringLiteral("monospace")));

    m_tabs = new QTabWidget(this);
    m_tabs->setObjectName(QStringLiteral("datasetTabs"));
    m_tabs->addTab(previewPage, tr("Preview"));
    m_tabs->addTab(m_issues, tr("Problems"));
    m_tabs->addTab(m_stats, tr("Statistics"));
    m_tabs->addTab(m_source, tr("Source"));

    auto *layout = new QVBoxLayout(this);
    layout->addLayout(head);
    layout->addWidget(m_banner);
    layout->addWidget(m_tabs, 1);
    setView(nullptr);
}

int DatasetsTab::pageCount() const
{
    if (!m_view)
        return 0;
    const int n = static_cast<int>(m_view->parsed.records.size());
    return std::max(1, (n + kPageSize - 1) / kPageSize);
}

void DatasetsTab::setPage(int page)
{
    m_page = std::clamp(page, 0, std::max(0, pageCount() - 1));
    refreshPage();
}

void DatasetsTab::refreshPage()
{
    std::vector<wb::DatasetRecord> page;
    const size_t total = m_view ? m_view->parsed.records.size() : 0;
    const size_t first = static_cast<size_t>(m_page) * kPageSize;
    for (size_t i = first; i < total && i < first + kPageSize; ++i)
        page.push_back(m_view->parsed.records[i]);
    m_model->setRecords(m_view ? m_view->parsed.format : wb::DatasetFormat::Logic, std::move(page));
    m_preview->setColumnWidth(0, 60);
    m_preview->setColumnWidth(1, 150);
    m_preview->setColumnWidth(2, 520);
    m_preview->setColumnWidth(3, 300);
    m_prev->setEnabled(m_page > 0);
    m_next->setEnabled(m_page + 1 < pageCount());
    m_pageLabel->setText(total == 0 ? tr("No rows")
                                    : tr("Page %1 of %2 — records %3–%4 of %5")
                                          .arg(m_page + 1)
                                          .arg(pageCount())
                                          .arg(first + 1)
                                          .arg(std::min(total, first + kPageSize))
                                          .arg(total));
}

void DatasetsTab::setView(std::shared_ptr<DatasetView> view)
{
    m_view = std::move(view);
    m_page = 0;
    m_issues->setRowCount(0);
    const bool isDataset = m_view && m_view->info;
    m_splitButton->setEnabled(isDataset);
    m_removeButton->setEnabled(isDataset);
    if (!m_view) {
        m_title->setText(tr("Datasets"));
        m_subtitle->setText(tr("Drop JSONL, JSON or CSV files here, or use Import. Logic-reasoning, "
                               "Alpaca and chat (messages / ShareGPT) shapes are recognised."));
        m_stats->clear();
        m_source->clear();
        refreshPage();
        return;
    }
    const auto &p = m_view->parsed;
    m_title->setText(m_view->label);
    if (m_view->info) {
        const auto &v = m_view->info->latest;
        m_subtitle->setText(tr("%1 · %2 rows · %3 prompts · version %4 of %5 · %6 · sha256 %7")
                                .arg(QString::fromUtf8(wb::formatName(v.format)))
                                .arg(v.rowCount)
                                .arg(v.promptCount)
                                .arg(v.version)
                                .arg(m_view->info->versionCount)
                                .arg(QString::fromUtf8(wb::fileKindName(v.fileKind)))
                                .arg(QString::fromStdString(v.contentHash.substr(0, 12))));
    } else {
        m_subtitle->setText(tr("Not imported: %1 rows, %2 valid, %3 with problems")
                                .arg(p.totalRows)
                                .arg(p.records.size())
                                .arg(p.invalidRows));
    }
    for (const auto &issue : p.issues) {
        const int r = m_issues->rowCount();
        m_issues->insertRow(r);
        const bool err = issue.severity == wb::ValidationIssue::Severity::Error;
        auto *sev = new QTableWidgetItem(err ? tr("error") : tr("warning"));
        sev->setForeground(err ? QColor(0xc0, 0x39, 0x2b) : QColor(0xb9, 0x77, 0x0e));
        m_issues->setItem(r, 0, sev);
        auto *row = new QTableWidgetItem(issue.row == 0 ? tr("file") : QString::number(issue.row));
        row->setData(Qt::UserRole, static_cast<qulonglong>(issue.row));
        m_issues->setItem(r, 1, row);
        m_issues->setItem(r, 2, new QTableWidgetItem(QString::fromStdString(issue.field)));
        auto *msg = new QTableWidgetItem(QString::fromStdString(issue.message));
        msg->setToolTip(QString::fromStdString(issue.toString()));
        m_issues->setItem(r, 3, msg);
    }
    m_issues->resizeColumnsToContents();
    m_issues->horizontalHeader()->setStretchLastSection(true);
    m_tabs->setTabText(TabProblems, p.issues.empty() ? tr("Problems")
                                                     : tr("Problems (%1)").arg(p.issues.size()));
    m_stats->setStats(m_view->stats);
    m_source->setPlainText(m_view->sourceText);
    if (m_view->sourceTruncated)
        m_source->appendPlainText(tr("\n… (only the first 4 MB are shown)"));
    refreshPage();
    Q_EMIT viewChanged();
}

void DatasetsTab::showDataset(const QString &name)
{
    const std::string n = name.toStdString();
    auto view = std::make_shared<DatasetView>();
    wb::Workspace *ws = &m_ctx.workspace();
    wb::JobSpec spec;
    spec.kind = "dataset.load";
    spec.quiet = true;
    spec.title = tr("Open dataset %1").arg(name).toStdString();
    spec.params = {{"name", n}};
    spec.work = [ws, n, view](wb::JobContext &ctx) {
        wb::DatasetStore store(*ws);
        ctx.progress(0.1, "reading " + n);
        view->info = store.get(n);
        view->label = QString::fromStdString(n);
        view->parsed = store.load(view->info->latest);
        ctx.throwIfCancelled();
        ctx.progress(0.7, "statistics");
        view->stats = wb::computeStats(view->parsed.format, view->parsed.records);
        fillSource(*view, ws->filesDir() / view->info->latest.filePath);
        return nlohmann::json{{"rows", view->parsed.records.size()}};
    };
    const quint64 seq = ++m_viewSeq;
    m_ctx.submit(std::move(spec), [this, guard = QPointer<DatasetsTab>(this), view,
                                   seq](const wb::JobSnapshot &s) {
        if (!guard || seq != m_viewSeq)
            return;
        if (s.state == wb::JobState::Succeeded)
            setView(view);
        else if (s.state == wb::JobState::Failed)
            QMessageBox::warning(this, tr("Cannot open dataset"), QString::fromStdString(s.error));
    });
}

void DatasetsTab::chooseFiles()
{
    const QStringList files = QFileDialog::getOpenFileNames(
        this, tr("Import datasets"), QString(),
        tr("Datasets (*.jsonl *.json *.csv *.ndjson);;All files (*)"));
    importFiles(files);
}

void DatasetsTab::importFiles(const QStringList &paths)
{
    for (const QString &p : paths)
        startImport(p, false);
}

void DatasetsTab::startImport(const QString &path, bool acceptInvalid)
{
    auto result = std::make_shared<wb::DatasetImportResult>();
    wb::Workspace *ws = &m_ctx.workspace();
    wb::DatasetImportRequest req;
    req.source = path.toStdString();
    req.acceptInvalidRows = acceptInvalid;
    wb::JobSpec spec;
    spec.kind = "dataset.import";
    spec.title = tr("Import %1").arg(QFileInfo(path).fileName()).toStdString();
    spec.params = {{"file", path.toStdString()}, {"accept_invalid", acceptInvalid}};
    spec.work = [ws, req, result](wb::JobContext &ctx) {
        *result = wb::DatasetStore(*ws).importFile(req, &ctx);
        return nlohmann::json{{"message", result->message}};
    };
    m_ctx.submit(std::move(spec), [this, guard = QPointer<DatasetsTab>(this), result,
                                   path](const wb::JobSnapshot &s) {
        if (!guard)
            return;
        if (s.state != wb::JobState::Succeeded) {
            if (s.state == wb::JobState::Failed)
                showBanner(tr("Import of %1 failed: %2")
                               .arg(QFileInfo(path).fileName(), QString::fromStdString(s.error)),
                           false);
            return;
        }
        using St = wb::DatasetImportResult::Status;
        if (result->status == St::Rejected) {
            // Show the report of the refused file so every problem can be inspected.
            ++m_viewSeq;
            auto view = std::make_shared<DatasetView>();
            view->label = QFileInfo(path).fileName();
            view->sourcePath = path;
            view->parsed = result->parsed;
            view->stats = wb::computeStats(view->parsed.format, view->parsed.records);
            try {
                fillSource(*view, path.toStdString());
            } catch (const wb::Error &) {
            }
            setView(view);
            const bool partial = !result->parsed.fatal && !result->parsed.records.empty();
            showBanner(QString::fromStdString(result->message), partial);
            m_tabs->setCurrentIndex(TabProblems);
            return;
        }
        m_banner->hide();
        if (result->status == St::AlreadyPresent)
            showBanner(QString::fromStdString(result->message), false);
        Q_EMIT m_ctx.datasetsChanged();
        Q_EMIT m_ctx.showDataset(QString::fromStdString(result->datasetName));
    });
}

void DatasetsTab::showBanner(const QString &text, bool offerAccept)
{
    m_bannerText->setText(text);
    m_acceptButton->setVisible(offerAccept);
    m_banner->show();
}

void DatasetsTab::acceptInvalidRows()
{
    if (!m_view || m_view->sourcePath.isEmpty())
        return;
    m_banner->hide();
    startImport(m_view->sourcePath, true);
}

void DatasetsTab::issueActivated(int tableRow)
{
    auto *item = m_issues->item(tableRow, 1);
    if (!item)
        return;
    goToRow(item->data(Qt::UserRole).toULongLong());
}

void DatasetsTab::goToRow(size_t row)
{
    if (!m_view)
        return;
    const auto &records = m_view->parsed.records;
    for (size_t i = 0; i < records.size(); ++i) {
        if (records[i].row != row)
            continue;
        setPage(static_cast<int>(i / kPageSize));
        const QModelIndex idx = m_model->indexForRow(row);
        m_preview->setCurrentIndex(idx);
        m_preview->expand(idx);
        m_preview->scrollTo(idx);
        m_tabs->setCurrentIndex(TabPreview);
        return;
    }
    // Not a valid record (or a whole-file problem): show the line in the source.
    m_tabs->setCurrentIndex(TabSource);
    if (row == 0 || m_view->parsed.fileKind == wb::FileKind::JsonArray)
        return;
    QTextBlock block = m_source->document()->findBlockByNumber(static_cast<int>(row) - 1);
    if (!block.isValid())
        return;
    QTextCursor cursor(block);
    m_source->setTextCursor(cursor);
    QTextEdit::ExtraSelection sel;
    sel.cursor = cursor;
    sel.cursor.select(QTextCursor::LineUnderCursor);
    sel.format.setBackground(QColor(0xff, 0xe0, 0xe0));
    sel.format.setProperty(QTextFormat::FullWidthSelection, true);
    m_source->setExtraSelections({sel});
    m_source->centerCursor();
}

void DatasetsTab::splitCurrent()
{
    if (!m_view || !m_view->info)
        return;
    QDialog dlg(this);
    dlg.setWindowTitle(tr("Split %1").arg(m_view->label));
    auto *fraction = new QDoubleSpinBox(&dlg);
    fraction->setRange(0.01, 0.99);
    fraction->setSingleStep(0.05);
    fraction->setValue(0.2);
    auto *seed = new QSpinBox(&dlg);
    seed->setRange(0, 1 << 30);
    seed->setValue(42);
    auto *form = new QFormLayout(&dlg);
    form->addRow(tr("Eval fraction"), fraction);
    form->addRow(tr("Seed"), seed);
    form->addRow(new QLabel(tr("Logic problems are split by problem, never by question."), &dlg));
    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, &dlg);
    form->addRow(buttons);
    connect(buttons, &QDialogButtonBox::accepted, &dlg, &QDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, &dlg, &QDialog::reject);
    if (dlg.exec() != QDialog::Accepted)
        return;
    try {
        auto [train, eval] = wb::DatasetStore(m_ctx.workspace())
                                 .split(m_view->label.toStdString(), fraction->value(),
                                        static_cast<uint64_t>(seed->value()));
        Q_EMIT m_ctx.datasetsChanged();
        showBanner(tr("Created %1 (%2 rows) and %3 (%4 rows)")
                       .arg(QString::fromStdString(train.name))
                       .arg(train.latest.rowCount)
                       .arg(QString::fromStdString(eval.name))
                       .arg(eval.latest.rowCount),
                   false);
    } catch (const std::exception &e) {
        QMessageBox::warning(this, tr("Split failed"), QString::fromUtf8(e.what()));
    }
}

void DatasetsTab::removeCurrent()
{
    if (!m_view || !m_view->info)
        return;
    if (QMessageBox::question(this, tr("Delete dataset"),
                              tr("Delete %1 and all its versions from the workspace? The original "
                                 "file on disk is not touched.")
                                  .arg(m_view->label)) != QMessageBox::Yes)
        return;
    try {
        wb::DatasetStore(m_ctx.workspace()).remove(m_view->label.toStdString());
        setView(nullptr);
        Q_EMIT m_ctx.datasetsChanged();
    } catch (const std::exception &e) {
        QMessageBox::warning(this, tr("Delete failed"), QString::fromUtf8(e.what()));
    }
}

} // namespace wbui

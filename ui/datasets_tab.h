#pragma once

#include "data/dataset.h"
#include "store/dataset_store.h"

#include <QWidget>

#include <memory>
#include <optional>

class QLabel;
class QPlainTextEdit;
class QPushButton;
class QTabWidget;
class QTableWidget;
class QTreeView;
class QFrame;

namespace wbui {

class AppContext;
class DatasetPreviewModel;
class DatasetStatsView;

// What the tab shows: a workspace dataset, or a file whose import was refused.
struct DatasetView
{
    std::optional<wb::DatasetInfo> info; // set for workspace datasets
    QString label;                       // dataset name or file name
    QString sourcePath;                  // the file to re-import from (refused imports)
    wb::ParsedDataset parsed;
    wb::DatasetStats stats;
    QString sourceText; // the file's text (truncated for very large files)
    bool sourceTruncated = false;
};

// The Datasets tab: import (button or drag and drop, as a job with progress), a paged
// preview in which a logic problem expands to its questions, the validation report whose
// entries jump to their row, statistics with charts, and the source file.
class DatasetsTab final : public QWidget
{
    Q_OBJECT
public:
    explicit DatasetsTab(AppContext &ctx, QWidget *parent = nullptr);

    static constexpr int kPageSize = 50;

    void importFiles(const QStringList &paths);
    void chooseFiles(); // the Import… file dialog
    void showDataset(const QString &name);
    const DatasetView *current() const { return m_view.get(); }
    int currentPage() const { return m_page; }
    int pageCount() const;
    void setPage(int page);
    // Jumps to a source row: selects it in the preview when it is a valid record, else shows
    // the line in the source view.
    void goToRow(size_t row);

Q_SIGNALS:
    void viewChanged(); // a dataset or report finished loading (tests wait for this)

private:
    void setView(std::shared_ptr<DatasetView> view);
    void refreshPage();
    void splitCurrent();
    void removeCurrent();
    void acceptInvalidRows();
    void showBanner(const QString &text, bool offerAccept);
    void issueActivated(int tableRow);
    void startImport(const QString &path, bool acceptInvalid);

    AppContext &m_ctx;
    std::shared_ptr<DatasetView> m_view;
    int m_page = 0;
    // Every request to show something gets a number; a slower, older load that finishes after
    // a newer one must not replace what the user asked for last.
    quint64 m_viewSeq = 0;

    QLabel *m_title;
    QLabel *m_subtitle;
    QPushButton *m_splitButton;
    QPushButton *m_removeButton;
    QFrame *m_banner;
    QLabel *m_bannerText;
    QPushButton *m_acceptButton;
    QTabWidget *m_tabs;
    QTreeView *m_preview;
    DatasetPreviewModel *m_model;
    QLabel *m_pageLabel;
    QPushButton *m_prev;
    QPushButton *m_next;
    QTableWidget *m_issues;
    DatasetStatsView *m_stats;
    QPlainTextEdit *m_source;
};

} // namespace wbui

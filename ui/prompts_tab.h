#pragma once

#include "data/dataset.h"

#include <QHash>
#include <QWidget>

#include <memory>

class QComboBox;
class QLabel;
class QListWidget;
class QPlainTextEdit;
class QPushButton;
class QSpinBox;
class QTextBrowser;
class QTimer;

namespace wbui {

class AppContext;
class TemplateHighlighter;

// The Prompts tab: a template editor with highlighting and the list of variables it uses, a
// live preview rendered on a chosen dataset row, version history with diffs, and new,
// duplicate, rename, delete. Unsaved edits are kept per template while the app runs, so
// switching templates never loses work.
class PromptsTab final : public QWidget
{
    Q_OBJECT
public:
    explicit PromptsTab(AppContext &ctx, QWidget *parent = nullptr);

    void showTemplate(const QString &name);
    QString currentTemplate() const { return m_name; }
    bool hasUnsavedChanges() const;
    QStringList unsavedTemplates() const;

    // The preview's inputs (for the UI and for tests).
    void setPreviewDataset(const QString &name);
    void setPreviewRow(int row, int question = 0);
    QString previewText() const;
    QString errorText() const;
    QStringList variables() const { return m_variables; }

public Q_SLOTS:
    bool save();
    void newTemplate();
    void duplicateTemplate();
    void renameTemplate();
    void deleteTemplate();

Q_SIGNALS:
    void previewUpdated(); // after each render attempt (tests wait for it)

private:
    void reloadDatasets();
    void loadPreviewDataset();
    void renderPreview();
    void reloadHistory();
    void showDiff(int listRow);
    void updateTitle();

    AppContext &m_ctx;
    QString m_name;
    QString m_savedBody;
    QHash<QString, QString> m_drafts;
    QStringList m_variables;
    std::shared_ptr<wb::ParsedDataset> m_data;
    QString m_dataName;
    bool m_loading = false;
    int m_requestedRow = -1; // applied once the preview data has loaded
    int m_requestedQuestion = -1;

    QLabel *m_title;
    QPlainTextEdit *m_editor;
    TemplateHighlighter *m_highlighter;
    QLabel *m_variablesLabel;
    QLabel *m_error;
    QComboBox *m_dataset;
    QSpinBox *m_row;
    QSpinBox *m_question;
    QPlainTextEdit *m_preview;
    QLabel *m_previewInfo;
    QListWidget *m_versions;
    QTextBrowser *m_diff;
    QPushButton *m_saveButton;
    QPushButton *m_restoreButton;
    QTimer *m_renderTimer;
};

} // namespace wbui

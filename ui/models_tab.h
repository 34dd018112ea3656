#pragma once

#include <QWidget>

class QLabel;
class QTableWidget;
class QTextBrowser;

namespace wbui {

class AppContext;

// The Models tab: local Hugging Face folders registered in the workspace, with architecture,
// parameters, dtype, size, tokenizer and chat-template family; a broken folder says what is
// wrong with it. Add with the button or by dropping a folder on the window.
class ModelsTab final : public QWidget
{
    Q_OBJECT
public:
    explicit ModelsTab(AppContext &ctx, QWidget *parent = nullptr);

    // Registers a folder; returns the name it got, or an empty string (after telling the user).
    QString addFolder(const QString &path);
    void showModel(const QString &name);
    QString currentModel() const;
    QString detailsText() const;

public Q_SLOTS:
    void reload();

private:
    void chooseFolder();
    void refreshCurrent();
    void removeCurrent();
    void showDetails(int row);

    AppContext &m_ctx;
    QTableWidget *m_table;
    QTextBrowser *m_details;
};

QString humanBytes(quint64 bytes);
QString humanParameters(quint64 count);

} // namespace wbui

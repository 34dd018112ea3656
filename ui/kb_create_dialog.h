#pragma once

#include <nlohmann/json.hpp>

#include <QDialog>

class QComboBox;
class QLabel;
class QLineEdit;
class QSpinBox;
class QStackedWidget;

namespace wbui {

// "New collection": a name, the embedder that makes its vectors (hashing needs no model; a
// sentence-encoder or decoder folder; an OpenAI-compatible endpoint), how documents are cut
// into chunks, and when the index switches from exact search to HNSW.
class KbCreateDialog final : public QDialog
{
    Q_OBJECT
public:
    explicit KbCreateDialog(QWidget *parent = nullptr);

    QString name() const;
    QString description() const;
    // {"chunker": {...}, "embedder": {...}, "index": {...}} as rag::KnowledgeBase::create takes it.
    nlohmann::json settings() const;

    void accept() override;

private:
    QLineEdit *folderField(const QString &objectName, const QString &dialogTitle, QWidget *page);
    void updateFields();

    QLineEdit *m_name;
    QLineEdit *m_description;
    QComboBox *m_embedder;
    QStackedWidget *m_pages;
    QSpinBox *m_dim;
    QLineEdit *m_bertModel;
    QComboBox *m_bertDevice;
    QLineEdit *m_lmModel;
    QComboBox *m_lmPooling;
    QComboBox *m_lmDevice;
    QLineEdit *m_baseUrl;
    QLineEdit *m_remoteModel;
    QLineEdit *m_apiKeyEnv;
    QComboBox *m_unit;
    QLineEdit *m_tokenizer;
    QSpinBox *m_size;
    QSpinBox *m_overlap;
    QSpinBox *m_hnswThreshold;
    QLabel *m_error;
};

} // namespace wbui

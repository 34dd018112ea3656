#pragma once

#include "jobs/job.h"
#include "model_host.h"

#include <QWidget>

#include <memory>
#include <vector>

class QCheckBox;
class QComboBox;
class QDoubleSpinBox;
class QLabel;
class QLineEdit;
class QPlainTextEdit;
class QPushButton;
class QSpinBox;
class QTextBrowser;

namespace wb::rag {
class KnowledgeBase;
}

namespace wbui {

class AppContext;

// The Playground: load a model (progress in the jobs panel, never blocking the window), chat
// with it with streamed tokens, a stop button, a system prompt and sampling controls, see token
// counts and tokens/s; or render a prompt template on a dataset row and run that.
class PlaygroundTab final : public QWidget
{
    Q_OBJECT
public:
    explicit PlaygroundTab(AppContext &ctx, QWidget *parent = nullptr);

    void selectModel(const QString &name);
    void loadSelected();
    void send(const QString &text);
    void stop();
    QString transcriptText() const;
    QString lastReply() const { return m_reply; }
    QString statsText() const;
    QString statusText() const;
    // Renders the chosen template on the chosen row into the input box, as a job (retrieval
    // may embed with a model); promptInserted() says when it is there.
    void insertTemplatePrompt();
    QString inputText() const;
    // The knowledge-base collection whose chunks fill {{context}} ("" for none), and the
    // sources of the chunks the last inserted prompt was given.
    void selectKnowledgeBase(const QString &name);
    QStringList contextSources() const { return m_contextSources; }

Q_SIGNALS:
    void replyFinished(); // tests wait for this
    void promptInserted();

private:
    void reloadModels();
    void reloadSources();
    void onLoaded(const QString &name, const QString &description);
    void onText(wb::JobId id, const QString &text);
    void onFinished(wb::JobId id, const ModelHost::Stats &stats, const QString &error);
    void updateButtons();
    void appendTurn(const QString &role, const QString &text);
    void clearChat();
    void reloadKnowledgeBases();

protected:
    void showEvent(QShowEvent *event) override;

private:

    AppContext &m_ctx;
    std::vector<std::pair<QString, QString>> m_history; // role, content
    QString m_reply;
    wb::JobId m_job = 0;

    QComboBox *m_model;
    QComboBox *m_device;
    QComboBox *m_dtype;
    QCheckBox *m_int8;
    QPushButton *m_load;
    QLabel *m_status;
    QLineEdit *m_system;
    QCheckBox *m_useChat;
    QTextBrowser *m_transcript;
    QPlainTextEdit *m_input;
    QPushButton *m_send;
    QPushButton *m_stop;
    QPushButton *m_clear;
    QDoubleSpinBox *m_temperature;
    QDoubleSpinBox *m_topP;
    QSpinBox *m_topK;
    QDoubleSpinBox *m_repetition;
    QSpinBox *m_maxTokens;
    QSpinBox *m_seed;
    QLabel *m_stats;
    QComboBox *m_template;
    QComboBox *m_dataset;
    QSpinBox *m_row;
    QSpinBox *m_question;
    QLabel *m_expected;
    QComboBox *m_knowledge;
    QSpinBox *m_kbTopK;
    QLabel *m_kbSources;
    // The collection {{context}} reads, opened (and only used) on the render lane, apart from
    // the Knowledge tab's copy.
    std::shared_ptr<std::shared_ptr<wb::rag::KnowledgeBase>> m_kb =
        std::make_shared<std::shared_ptr<wb::rag::KnowledgeBase>>();
    // The dataset the render job read last (reused while its version is unchanged). Touched only
    // by that job's lane, one job at a time.
    struct RenderDataset;
    std::shared_ptr<RenderDataset> m_renderDataset;
    QStringList m_contextSources;
    QString m_contextPrompt;  // the inserted prompt those sources belong to
    QStringList m_sentSources; // listed under the reply to that prompt
};

} // namespace wbui

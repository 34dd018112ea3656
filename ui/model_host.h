#pragma once

#include "jobs/job.h"

#include <QMutex>
#include <QObject>
#include <QString>
#include <QTimer>

#include <memory>
#include <optional>
#include <vector>

namespace wb {
class CausalLM;
class ChatTemplate;
class Tokenizer;
struct LoadOptions;
struct GenerateOptions;
struct ChatMessage;
struct RemoteSettings;
}

namespace wbui {

class AppContext;

// Holds the one model loaded for interactive use (the Playground), and runs its loading and
// its generations as jobs on the model's own lane, so the window never waits and two
// generations never share the model at once.
class ModelHost final : public QObject
{
    Q_OBJECT
public:
    explicit ModelHost(AppContext &ctx, QObject *parent = nullptr);
    ~ModelHost() override;

    bool isLoaded() const { return bool(m_model) || bool(m_remote); }
    // A remote endpoint (RemoteStore) chosen instead of a local model.
    bool isRemote() const { return bool(m_remote); }
    bool isBusy() const { return m_busy; }
    QString modelName() const { return m_name; }
    QString description() const { return m_description; }
    const wb::Tokenizer *tokenizer() const { return m_tokenizer.get(); }
    bool hasChatTemplate() const;

    // Loads a registered model (replacing the current one once it has loaded).
    wb::JobId load(const QString &name, const wb::LoadOptions &options);

    struct Request
    {
        std::vector<wb::ChatMessage> messages; // used with the chat template
        QString rawPrompt;                     // used when useChatTemplate is false
        bool useChatTemplate = true;
        std::shared_ptr<wb::GenerateOptions> options;
    };
    struct Stats
    {
        int promptTokens = 0;
        int generatedTokens = 0;
        double prefillSeconds = 0;
        double decodeSeconds = 0;
        QString stopReason;
    };
    // Streams text through textArrived (coalesced, on the GUI thread), then emits
    // generationFinished. Cancel with the returned job id.
    wb::JobId generate(const Request &request);
    // Renders the prompt a request would send (chat template applied), for display.
    QString renderPrompt(const Request &request) const;

Q_SIGNALS:
    void loaded(const QString &name, const QString &description);
    void loadFailed(const QString &message);
    void textArrived(wb::JobId id, const QString &text);
    void generationFinished(wb::JobId id, const wbui::ModelHost::Stats &stats, const QString &error);
    void busyChanged(bool busy);

private:
    void flushText();
    wb::JobId generateRemote(const Request &request);
    // Submits a generation job; its end emits generationFinished with `stats`.
    wb::JobId submitGeneration(wb::JobSpec spec, std::shared_ptr<Stats> stats);
    std::string lane() const;

    AppContext &m_ctx;
    std::shared_ptr<wb::CausalLM> m_model;
    std::shared_ptr<wb::Tokenizer> m_tokenizer;
    std::shared_ptr<wb::ChatTemplate> m_chat;
    std::shared_ptr<wb::RemoteSettings> m_remote;
    QString m_name;
    QString m_description;
    QString m_device = QStringLiteral("cpu");
    bool m_busy = false;

    QMutex m_textMutex;
    QString m_pendingText;
    wb::JobId m_pendingJob = 0;
    QTimer *m_flushTimer;
};

} // namespace wbui

Q_DECLARE_METATYPE(wbui::ModelHost::Stats)

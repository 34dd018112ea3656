#pragma once

#include <QDialog>

#include <memory>

class QCheckBox;
class QLabel;
class QLineEdit;
class QListWidget;
class QPlainTextEdit;
class QPushButton;
class QSpinBox;
class QTimer;

namespace wb::serve {
class Backend;
class Server;
struct RequestLog;
} // namespace wb::serve

namespace wbui {

class AppContext;

// The Models tab's Serve action: a model (with any of its training runs' adapters, each served
// under the run's name) behind the OpenAI-compatible server, as `llmwb serve` does. Shows the
// address, a live request log, active/queued requests and tokens/s; Stop finishes the running
// streams (up to a few seconds) and closes the server.
class ServePanel final : public QDialog
{
    Q_OBJECT
public:
    ServePanel(AppContext &ctx, const QString &model, QWidget *parent = nullptr);
    ~ServePanel() override;

    bool serving() const;
    QString address() const;
    QString logText() const;
    QString statsText() const;
    // Test hooks: the port to listen on (0: a free one) and the same as the buttons.
    void setPort(int port);
    void start();
    void stop();

Q_SIGNALS:
    void started(const QString &address);
    void stopped();
    void failed(const QString &message);

protected:
    void closeEvent(QCloseEvent *event) override;

private:
    void onEngineReady(std::shared_ptr<wb::serve::Backend> backend);
    void appendLog(const wb::serve::RequestLog &entry);
    void refreshStats();
    void setRunning(bool running);

    AppContext &m_ctx;
    QString m_model;
    QLineEdit *m_host;
    QSpinBox *m_port;
    QLineEdit *m_key;
    QSpinBox *m_batch;
    QListWidget *m_adapters;
    QPushButton *m_start;
    QPushButton *m_stop;
    QLabel *m_address;
    QLabel *m_stats;
    QPlainTextEdit *m_log;
    QTimer *m_timer;
    std::shared_ptr<wb::serve::Backend> m_backend;
    std::unique_ptr<wb::serve::Server> m_server;
    bool m_starting = false;
};

} // namespace wbui

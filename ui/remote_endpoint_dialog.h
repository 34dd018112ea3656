#pragma once

#include "remote/remote_endpoint.h"

#include <QDialog>

class QDoubleSpinBox;
class QLabel;
class QLineEdit;
class QSpinBox;

namespace wb {
class Workspace;
}

namespace wbui {

// Registers an OpenAI-compatible server (vLLM, Ollama, llama.cpp's server, a hosted API) as a
// model of the workspace (RemoteStore::add). The API key typed here is not part of what the
// workspace stores: after the dialog is accepted, key() goes to the keychain (ApiKeyStore).
class RemoteEndpointDialog final : public QDialog
{
    Q_OBJECT
public:
    RemoteEndpointDialog(wb::Workspace &ws, const QString &keychainNote, QWidget *parent = nullptr);

    // What was registered (valid once accepted).
    const wb::RemoteSettings &added() const { return m_added; }
    QString key() const;

    // Validates and registers; false with the reason shown in the dialog.
    bool addEndpoint();
    QString errorText() const;

private:
    wb::RemoteSettings settings() const;

    wb::Workspace &m_ws;
    wb::RemoteSettings m_added;
    QLineEdit *m_name;
    QLineEdit *m_url;
    QLineEdit *m_model;
    QLineEdit *m_key;
    QLineEdit *m_keyEnv;
    QSpinBox *m_concurrency;
    QSpinBox *m_rpm;
    QDoubleSpinBox *m_timeout;
    QSpinBox *m_retries;
    QLabel *m_error;
};

} // namespace wbui

#include "remote_endpoint_dialog.h"

#include <QDialogButtonBox>
#include <QDoubleSpinBox>
#include <QFormLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSpinBox>
#include <QVBoxLayout>

namespace wbui {

RemoteEndpointDialog::RemoteEndpointDialog(wb::Workspace &ws, const QString &keychainNote,
                                           QWidget *parent)
    : QDialog(parent), m_ws(ws)
{
    setWindowTitle(tr("Add remote endpoint"));
    m_name = new QLineEdit(this);
    m_name->setObjectName(QStringLiteral("remoteName"));
    m_name->setPlaceholderText(tr("e.g. qwen-vllm"));
    m_name->setToolTip(tr("The name variants pick it by; unique among models and endpoints"));
    m_url = new QLineEdit(this);
    m_url->setObjectName(QStringLiteral("remoteUrl"));
    m_url->setPlaceholderText(QStringLiteral("http://localhost:8000/v1"));
    m_url->setToolTip(tr("The server's OpenAI-compatible base URL (a trailing /v1 is optional)"));
    m_model = new QLineEdit(this);
    m_model->setObjectName(QStringLiteral("remoteModel"));
    m_model->setPlaceholderText(tr("the server's model id, e.g. Qwen/Qwen2.5-7B-Instruct"));
    m_key = new QLineEdit(this);
    m_key->setObjectName(QStringLiteral("remoteKey"));
    m_key->setEchoMode(QLineEdit::Password);
    m_key->setPlaceholderText(tr("optional"));
    m_key->setToolTip(tr("Kept in the system keychain, never in the workspace"));
    m_keyEnv = new QLineEdit(this);
    m_keyEnv->setObjectName(QStringLiteral("remoteKeyEnv"));
    m_keyEnv->setPlaceholderText(tr("optional, e.g. OPENAI_API_KEY"));
    m_keyEnv->setToolTip(tr("An environment variable holding the key, for `llmwb` and when the "
                            "keychain has none"));
    m_concurrency = new QSpinBox(this);
    m_concurrency->setRange(1, 256);
    m_concurrency->setValue(4);
    m_concurrency->setToolTip(tr("Requests in flight at once"));
    m_rpm = new QSpinBox(this);
    m_rpm->setRange(0, 100000);
    m_rpm->setSpecialValueText(tr("no limit"));
    m_rpm->setToolTip(tr("Requests per minute at most"));
    m_timeout = new QDoubleSpinBox(this);
    m_timeout->setRange(1, 3600);
    m_timeout->setValue(120);
    m_timeout->setSuffix(tr(" s"));
    m_timeout->setToolTip(tr("How long one request may take"));
    m_retries = new QSpinBox(this);
    m_retries->setRange(0, 20);
    m_retries->setValue(4);
    m_retries->setToolTip(tr("Further attempts after 429, 5xx and connection errors, with "
                             "exponential backoff"));

    auto *form = new QFormLayout;
    form->addRow(tr("Name"), m_name);
    form->addRow(tr("Base URL"), m_url);
    form->addRow(tr("Model"), m_model);
    form->addRow(tr("API key"), m_key);
    form->addRow(tr("Key variable"), m_keyEnv);
    form->addRow(tr("Concurrency"), m_concurrency);
    form->addRow(tr("Requests/minute"), m_rpm);
    form->addRow(tr("Timeout"), m_timeout);
    form->addRow(tr("Retries"), m_retries);

    auto *note = new QLabel(keychainNote, this);
    note->setObjectName(QStringLiteral("keychainNote"));
    note->setWordWrap(true);
    m_error = new QLabel(this);
    m_error->setObjectName(QStringLiteral("remoteError"));
    m_error->setWordWrap(true);
    m_error->setStyleSheet(QStringLiteral("color: #c0392b;"));
    m_error->setVisible(false);

    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
    buttons->button(QDialogButtonBox::Ok)->setText(tr("Add"));
    connect(buttons, &QDialogButtonBox::accepted, this, [this] {
        if (addEndpoint())
            accept();
    });
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    auto *layout = new QVBoxLayout(this);
    layout->addLayout(form);
    layout->addWidget(note);
    layout->addWidget(m_error);
    layout->addWidget(buttons);
    setMinimumWidth(480);
}

wb::RemoteSettings RemoteEndpointDialog::settings() const
{
    wb::RemoteSettings s;
    s.name = m_name->text().trimmed().toStdString();
    s.baseUrl = m_url->text().trimmed().toStdString();
    s.model = m_model->text().trimmed().toStdString();
    s.apiKeyEnv = m_keyEnv->text().trimmed().toStdString();
    s.maxConcurrency = m_concurrency->value();
    s.rpm = m_rpm->value();
    s.timeoutSeconds = m_timeout->value();
    s.retries = m_retries->value();
    return s;
}

QString RemoteEndpointDialog::key() const
{
    return m_key->text();
}

bool RemoteEndpointDialog::addEndpoint()
{
    const wb::RemoteSettings s = settings();
    try {
        if (s.name.empty())
            throw std::runtime_error(tr("The endpoint needs a name.").toStdString());
        s.validate();
        m_added = wb::RemoteStore(m_ws).add(s);
    } catch (const std::exception &e) {
        m_error->setText(QString::fromUtf8(e.what()));
        m_error->setVisible(true);
        return false;
    }
    m_error->setVisible(false);
    return true;
}

QString RemoteEndpointDialog::errorText() const
{
    return m_error->isVisible() ? m_error->text() : QString();
}

} // namespace wbui

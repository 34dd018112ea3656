#include "api_keys.h"

#include <QPointer>
#include <QTimer>

#include <memory>

#ifdef WB_HAVE_QTKEYCHAIN
#include <qt6keychain/keychain.h>
#endif

namespace wbui {

namespace {

const QString kService = QStringLiteral("llm-workbench");

bool disabledByEnvironment()
{
    return qEnvironmentVariableIntValue("WB_NO_KEYCHAIN") != 0;
}

} // namespace

ApiKeyStore::ApiKeyStore(QObject *parent) : QObject(parent)
{
    if (!keychainBuilt())
        markUnavailable(tr("this build has no keychain support (QtKeychain)"));
    else if (disabledByEnvironment())
        markUnavailable(tr("the keychain is switched off (WB_NO_KEYCHAIN)"));
}

bool ApiKeyStore::keychainBuilt()
{
#ifdef WB_HAVE_QTKEYCHAIN
    return true;
#else
    return false;
#endif
}

bool ApiKeyStore::keychainUsable() const
{
    return !m_unavailable;
}

void ApiKeyStore::markUnavailable(const QString &why)
{
    m_unavailable = true;
    m_problem = why;
}

QString ApiKeyStore::entryName(const wb::RemoteSettings &endpoint)
{
    // The server and the workspace's name for it: the same server under another name, or
    // another server under the same name, gets its own entry.
    return QStringLiteral("%1 @ %2").arg(QString::fromStdString(endpoint.name),
                                         QString::fromStdString(endpoint.baseUrl));
}

void ApiKeyStore::store(const wb::RemoteSettings &endpoint, const QString &key,
                        std::function<void(bool, QString)> done)
{
    m_session[endpoint.name] = key.toStdString();
    if (m_unavailable || key.isEmpty()) {
        done(false, m_problem);
        return;
    }
#ifdef WB_HAVE_QTKEYCHAIN
    auto finished = std::make_shared<bool>(false);
    auto *job = new QKeychain::WritePasswordJob(kService, this);
    job->setAutoDelete(true);
    job->setInsecureFallback(false); // never a plain-text file
    job->setKey(entryName(endpoint));
    job->setTextData(key);
    connect(job, &QKeychain::Job::finished, this, [this, finished, done](QKeychain::Job *j) {
        if (*finished)
            return;
        *finished = true;
        if (j->error() == QKeychain::NoError) {
            done(true, QString());
            return;
        }
        markUnavailable(j->errorString());
        done(false, m_problem);
    });
    QTimer::singleShot(kTimeoutMs, this, [this, finished, done] {
        if (*finished)
            return;
        *finished = true;
        markUnavailable(tr("the keychain did not answer within %1 s").arg(kTimeoutMs / 1000));
        done(false, m_problem);
    });
    job->start();
#else
    done(false, m_problem);
#endif
}

void ApiKeyStore::fetch(const std::vector<wb::RemoteSettings> &endpoints,
                        std::function<void(Keys)> done)
{
    struct State
    {
        Keys keys;
        int pending = 0;
        bool finished = false;
        std::function<void(Keys)> done;
    };
    auto state = std::make_shared<State>();
    state->done = std::move(done);
    std::vector<wb::RemoteSettings> ask;
    for (const auto &e : endpoints) {
        if (const auto it = m_session.find(e.name); it != m_session.end())
            state->keys[e.name] = it->second;
        else if (!m_unavailable)
            ask.push_back(e);
    }
    auto finish = [state] {
        if (state->finished)
            return;
        state->finished = true;
        state->done(state->keys);
    };
#ifdef WB_HAVE_QTKEYCHAIN
    state->pending = int(ask.size());
    for (const auto &e : ask) {
        auto *job = new QKeychain::ReadPasswordJob(kService, this);
        job->setAutoDelete(true);
        job->setKey(entryName(e));
        connect(job, &QKeychain::Job::finished, this,
                [this, state, finish, name = e.name](QKeychain::Job *j) {
                    if (state->finished)
                        return;
                    const auto error = j->error();
                    if (error == QKeychain::NoError) {
                        const auto key = static_cast<QKeychain::ReadPasswordJob *>(j)->textData();
                        state->keys[name] = key.toStdString();
                        m_session[name] = key.toStdString();
                    } else if (error != QKeychain::EntryNotFound) {
                        markUnavailable(j->errorString());
                    }
                    if (--state->pending == 0)
                        finish();
                });
        job->start();
    }
    if (state->pending > 0) {
        QTimer::singleShot(kTimeoutMs, this, [this, state, finish] {
            if (state->finished)
                return;
            markUnavailable(tr("the keychain did not answer within %1 s").arg(kTimeoutMs / 1000));
            finish();
        });
        return;
    }
#else
    (void)ask;
#endif
    // Nothing to ask: answer from the event loop, as the keychain would.
    QTimer::singleShot(0, this, finish);
}

} // namespace wbui

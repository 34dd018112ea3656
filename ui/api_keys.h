#pragma once

#include "remote/remote_endpoint.h"

#include <QObject>
#include <QString>

#include <functional>
#include <map>
#include <string>
#include <vector>

namespace wbui {

// API keys of remote endpoints. They live in the system keychain (QtKeychain: the Secret
// Service, KWallet, macOS Keychain, Windows Credential Manager), never in the workspace. When no
// keychain answers (no secret service, as in offscreen tests, or WB_NO_KEYCHAIN=1), a key is
// kept in this process's memory for the session only and the caller is told so. Keychain calls
// are asynchronous and run on the GUI thread; runs get the keys as a plain map.
class ApiKeyStore final : public QObject
{
    Q_OBJECT
public:
    using Keys = std::map<std::string, std::string>; // endpoint name -> key

    explicit ApiKeyStore(QObject *parent = nullptr);

    // Keeps the key for this session and writes it to the keychain; done(true, "") when the
    // keychain has it, done(false, why) when it is kept in memory only.
    void store(const wb::RemoteSettings &endpoint, const QString &key,
               std::function<void(bool inKeychain, QString message)> done);
    // The keys of these endpoints (missing ones are left out: the run then reads the
    // endpoint's apiKeyEnv). done is always called, at the latest after a timeout.
    void fetch(const std::vector<wb::RemoteSettings> &endpoints, std::function<void(Keys)> done);

    bool hasSessionKey(const std::string &endpoint) const { return m_session.count(endpoint) > 0; }
    // Whether this build has QtKeychain, and whether it answered so far.
    static bool keychainBuilt();
    bool keychainUsable() const;
    QString keychainProblem() const { return m_problem; }
    // The keychain entry's name for an endpoint.
    static QString entryName(const wb::RemoteSettings &endpoint);

    static constexpr int kTimeoutMs = 5000;

private:
    void markUnavailable(const QString &why);

    Keys m_session;
    bool m_unavailable = false;
    QString m_problem;
};

} // namespace wbui

// RemoteSettings (JSON, validation) and RemoteStore, the workspace's table remote_endpoints.

#include "remote/remote_endpoint.h"

#include "common/error.h"
#include "common/files.h"
#include "remote/remote_protocol.h"
#include "store/workspace.h"

#include <httplib.h>

#include <cctype>

namespace wb {

namespace {

bool isEnvName(const std::string &s)
{
    if (s.empty() || std::isdigit(static_cast<unsigned char>(s[0])))
        return false;
    for (unsigned char c : s)
        if (!std::isalnum(c) && c != '_')
            return false;
    return true;
}

template <typename T> void checkRange(const char *field, T value, T lo, T hi)
{
    if (value < lo || value > hi)
        throw Error(ErrorCode::Validation, std::string(field) + " must be between " +
                                               std::to_string(lo) + " and " + std::to_string(hi) +
                                               " (it is " + std::to_string(value) + ")");
}

constexpr const char *kColumns =
    "name, base_url, model, api_key_env, max_concurrency, rpm, timeout_s, retries";

RemoteSettings readRow(Statement &st)
{
    RemoteSettings s;
    s.name = st.text(0);
    s.baseUrl = st.text(1);
    s.model = st.text(2);
    s.apiKeyEnv = st.text(3);
    s.maxConcurrency = static_cast<int>(st.int64(4));
    s.rpm = static_cast<int>(st.int64(5));
    s.timeoutSeconds = st.real(6);
    s.retries = static_cast<int>(st.int64(7));
    return s;
}

} // namespace

nlohmann::json RemoteSettings::toJson() const
{
    return {{"name", name},
            {"base_url", baseUrl},
            {"model", model},
            {"api_key_env", apiKeyEnv},
            {"max_concurrency", maxConcurrency},
            {"rpm", rpm},
            {"timeout_s", timeoutSeconds},
            {"retries", retries}};
}

RemoteSettings RemoteSettings::fromJson(const nlohmann::json &j)
{
    RemoteSettings s;
    s.name = j.value("name", s.name);
    s.baseUrl = j.value("base_url", s.baseUrl);
    s.model = j.value("model", s.model);
    s.apiKeyEnv = j.value("api_key_env", s.apiKeyEnv);
    s.maxConcurrency = j.value("max_concurrency", s.maxConcurrency);
    s.rpm = j.value("rpm", s.rpm);
    s.timeoutSeconds = j.value("timeout_s", s.timeoutSeconds);
    s.retries = j.value("retries", s.retries);
    return s;
}

void RemoteSettings::validate() const
{
    const auto url = remote::parseBaseUrl(baseUrl); // names base_url when it is wrong
#ifndef CPPHTTPLIB_OPENSSL_SUPPORT
    if (url.scheme == "https")
        throw Error(ErrorCode::Unsupported,
                    "base_url '" + baseUrl +
                        "' is https, but this build's cpp-httplib has no OpenSSL support: use an "
                        "http:// address (e.g. through a local TLS proxy) or rebuild with it");
#else
    (void)url;
#endif
    if (model.empty())
        throw Error(ErrorCode::Validation,
                    "model is empty: give the server's model id (GET /v1/models lists them)");
    if (!apiKeyEnv.empty() && !isEnvName(apiKeyEnv))
        throw Error(ErrorCode::Validation, "api_key_env '" + apiKeyEnv +
                                               "' is not an environment variable name (letters, "
                                               "digits and _, not starting with a digit)");
    checkRange("max_concurrency", maxConcurrency, 1, 256);
    checkRange("rpm", rpm, 0, 1000000);
    if (!(timeoutSeconds > 0 && timeoutSeconds <= 86400))
        throw Error(ErrorCode::Validation,
                    "timeout_s must be more than 0 and at most 86400 (it is " +
                        std::to_string(timeoutSeconds) + ")");
    checkRange("retries", retries, 0, 20);
}

RemoteSettings RemoteStore::add(const RemoteSettings &settings)
{
    RemoteSettings s = settings;
    s.apiKey.clear(); // never stored
    const auto first = s.name.find_first_not_of(" \t");
    s.name = first == std::string::npos
                 ? ""
                 : s.name.substr(first, s.name.find_last_not_of(" \t") - first + 1);
    if (s.name.empty())
        throw Error(ErrorCode::Validation, "name is empty: remote endpoints are picked by name");
    s.validate();
    while (!s.baseUrl.empty() && (s.baseUrl.back() == '/' || s.baseUrl.back() == ' '))
        s.baseUrl.pop_back();
    m_ws.withDb([&](Database &db) {
        db.transaction([&] {
            auto remote = db.prepare("SELECT 1 FROM remote_endpoints WHERE name = ?");
            remote.bind(1, s.name);
            if (remote.step())
                throw Error(ErrorCode::Conflict,
                            "a remote endpoint named '" + s.name + "' already exists");
            auto local = db.prepare("SELECT 1 FROM models WHERE name = ?");
            local.bind(1, s.name);
            if (local.step())
                throw Error(ErrorCode::Conflict, "a local model is already named '" + s.name +
                                                     "': pick another name for the endpoint");
            db.prepare("INSERT INTO remote_endpoints(name, base_url, model, api_key_env, "
                       "max_concurrency, rpm, timeout_s, retries, added_at) "
                       "VALUES(?,?,?,?,?,?,?,?,?)")
                .bind(1, s.name)
                .bind(2, s.baseUrl)
                .bind(3, s.model)
                .bind(4, s.apiKeyEnv)
                .bind(5, s.maxConcurrency)
                .bind(6, s.rpm)
                .bind(7, s.timeoutSeconds)
                .bind(8, s.retries)
                .bind(9, nowIso8601())
                .exec();
        });
    });
    return s;
}

std::vector<RemoteSettings> RemoteStore::list()
{
    return m_ws.withDb([&](Database &db) {
        std::vector<RemoteSettings> out;
        auto st =
            db.prepare(std::string("SELECT ") + kColumns + " FROM remote_endpoints ORDER BY name");
        while (st.step())
            out.push_back(readRow(st));
        return out;
    });
}

std::optional<RemoteSettings> RemoteStore::find(const std::string &name)
{
    return m_ws.withDb([&](Database &db) -> std::optional<RemoteSettings> {
        auto st =
            db.prepare(std::string("SELECT ") + kColumns + " FROM remote_endpoints WHERE name = ?");
        st.bind(1, name);
        if (!st.step())
            return std::nullopt;
        return readRow(st);
    });
}

void RemoteStore::remove(const std::string &name)
{
    m_ws.withDb([&](Database &db) {
        db.prepare("DELETE FROM remote_endpoints WHERE name = ?").bind(1, name).exec();
        if (db.changes() == 0)
            throw Error(ErrorCode::NotFound,
                        "no remote endpoint named '" + name + "' in this workspace");
    });
}

} // namespace wb

#include "remote/remote_protocol.h"

#include "common/error.h"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdio>

namespace wb::remote {

using nlohmann::json;

namespace {

std::string lower(std::string s)
{
    std::transform(s.begin(), s.end(), s.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return s;
}

[[noreturn]] void badUrl(const std::string &url, const std::string &why)
{
    throw Error(ErrorCode::Validation, "base_url '" + url + "' " + why);
}

// 0.7f sent as 0.699999988079071 reads badly in server logs and request dumps.
double tidy(float value)
{
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.6g", static_cast<double>(value));
    return std::strtod(buf, nullptr);
}

int usageCount(const json &usage, const char *key)
{
    if (!usage.is_object() || !usage.contains(key) || !usage[key].is_number())
        return -1;
    return usage[key].get<int>();
}

} // namespace

BaseUrl parseBaseUrl(const std::string &input)
{
    std::string url = input;
    while (!url.empty() && std::isspace(static_cast<unsigned char>(url.back())))
        url.pop_back();
    url.erase(0, std::min(url.size(), url.find_first_not_of(" \t\r\n")));
    if (url.empty())
        throw Error(ErrorCode::Validation, "base_url is empty: give the server's address, e.g. "
                                           "http://localhost:8000/v1");
    for (unsigned char c : url)
        if (std::isspace(c) || c < 0x20)
            badUrl(url, "contains spaces or control characters");
    const size_t sep = url.find("://");
    BaseUrl out;
    out.scheme = sep == std::string::npos ? "" : lower(url.substr(0, sep));
    if (out.scheme != "http" && out.scheme != "https")
        badUrl(url, "is not an http:// or https:// URL");
    const std::string rest = url.substr(sep + 3);
    if (rest.find_first_of("?#") != std::string::npos)
        badUrl(url, "must not have a query or fragment");
    const size_t slash = rest.find('/');
    std::string authority = rest.substr(0, slash);
    std::string path = slash == std::string::npos ? "" : rest.substr(slash);
    if (authority.find('@') != std::string::npos)
        badUrl(url, "must not carry credentials: keep the key in an environment variable "
                    "(api_key_env) or the keychain");
    // The port follows the last ':' outside an IPv6 literal's brackets.
    const size_t bracket = authority.rfind(']');
    const size_t colon = authority.rfind(':');
    std::string host = authority;
    std::string port;
    if (colon != std::string::npos && (bracket == std::string::npos || colon > bracket)) {
        host = authority.substr(0, colon);
        port = authority.substr(colon + 1);
        if (port.empty() || port.size() > 5 ||
            !std::all_of(port.begin(), port.end(), [](unsigned char c) { return std::isdigit(c); }))
            badUrl(url, "has a bad port");
        const int p = std::stoi(port);
        if (p < 1 || p > 65535)
            badUrl(url, "has a port out of range");
        port = std::to_string(p);
        if ((out.scheme == "http" && p == 80) || (out.scheme == "https" && p == 443))
            port.clear();
    }
    if (host.empty())
        badUrl(url, "has no host");
    out.hostPort = lower(host) + (port.empty() ? "" : ":" + port);
    while (!path.empty() && path.back() == '/')
        path.pop_back();
    if (path.size() >= 3 && path.compare(path.size() - 3, 3, "/v1") == 0)
        path.resize(path.size() - 3);
    while (!path.empty() && path.back() == '/')
        path.pop_back();
    out.prefix = path;
    return out;
}

json requestBody(const CompletionRequest &r, const std::string &model, bool includeUsage)
{
    json body = {{"model", model},        {"temperature", tidy(r.temperature)},
                 {"top_p", tidy(r.topP)}, {"max_tokens", r.maxNewTokens},
                 {"seed", r.seed},        {"stream", true}};
    if (r.chat && !r.messages.empty()) {
        body["messages"] = json::array();
        for (const auto &[role, content] : r.messages)
            body["messages"].push_back({{"role", role}, {"content", content}});
    } else if (r.chat) {
        body["messages"] = json::array({{{"role", "user"}, {"content", r.prompt}}});
    }
    if (!r.chat)
        body["prompt"] = r.prompt;
    if (!r.stop.empty())
        body["stop"] = r.stop;
    if (includeUsage)
        body["stream_options"] = {{"include_usage", true}};
    return body;
}

Completion Answer::toCompletion() const
{
    Completion c;
    c.text = text;
    c.finishReason = finishReason == "length" || finishReason == "max_tokens" ? "length" : "stop";
    c.promptTokens = std::max(promptTokens, 0);
    c.outputTokens = outputTokens >= 0 ? outputTokens : contentChunks;
    c.error = error;
    return c;
}

void applyChunk(const json &chunk, Answer &a)
{
    if (!chunk.is_object()) {
        a.error = "the server sent something other than a JSON object";
        return;
    }
    if (chunk.contains("error") && !chunk["error"].is_null()) {
        const auto &e = chunk["error"];
        a.error = "the server reported an error: " +
                  (e.is_object() && e.contains("message") && e["message"].is_string()
                       ? e["message"].get<std::string>()
                       : e.dump());
        return;
    }
    if (chunk.contains("usage") && chunk["usage"].is_object()) {
        const auto &u = chunk["usage"];
        if (const int p = usageCount(u, "prompt_tokens"); p >= 0)
            a.promptTokens = p;
        if (const int o = usageCount(u, "completion_tokens"); o >= 0)
            a.outputTokens = o;
    }
    if (!chunk.contains("choices") || !chunk["choices"].is_array() || chunk["choices"].empty())
        return; // the usage chunk at the end of a stream has no choices
    const json &choice = chunk["choices"][0];
    if (!choice.is_object())
        return;
    // Chat servers put text in delta (streamed) or message (whole); completion servers in text.
    // Take whichever is there, so a server that mixes them up still works.
    std::string piece;
    for (const char *holder : {"delta", "message"})
        if (choice.contains(holder) && choice[holder].is_object()) {
            const auto &h = choice[holder];
            if (h.contains("content") && h["content"].is_string())
                piece += h["content"].get<std::string>();
        }
    if (choice.contains("text") && choice["text"].is_string())
        piece += choice["text"].get<std::string>();
    if (!piece.empty()) {
        a.text += piece;
        ++a.contentChunks;
    }
    if (choice.contains("finish_reason") && choice["finish_reason"].is_string())
        a.finishReason = choice["finish_reason"].get<std::string>();
}

bool StreamReader::feed(std::string_view bytes)
{
    const bool hadText = m_answer.contentChunks > 0;
    m_pending.append(bytes);
    size_t start = 0;
    for (size_t nl; (nl = m_pending.find('\n', start)) != std::string::npos; start = nl + 1)
        line(std::string_view(m_pending).substr(start, nl - start));
    m_pending.erase(0, start);
    return !hadText && m_answer.contentChunks > 0;
}

void StreamReader::finish()
{
    if (!m_pending.empty()) {
        line(m_pending);
        m_pending.clear();
    }
    dispatch();
}

void StreamReader::line(std::string_view text)
{
    if (!text.empty() && text.back() == '\r')
        text.remove_suffix(1);
    if (text.empty()) {
        dispatch();
        return;
    }
    if (text.substr(0, 5) != "data:")
        return; // "event:", "id:", "retry:" and ":" comments (keep-alives) carry nothing for us
    text.remove_prefix(5);
    if (!text.empty() && text.front() == ' ')
        text.remove_prefix(1);
    if (m_hasData)
        m_data += '\n';
    m_data.append(text);
    m_hasData = true;
}

void StreamReader::dispatch()
{
    if (!m_hasData)
        return;
    std::string data;
    data.swap(m_data);
    m_hasData = false;
    if (m_answer.done || !m_answer.error.empty())
        return;
    if (data == "[DONE]") {
        m_answer.done = true;
        return;
    }
    const json chunk = json::parse(data, nullptr, false);
    if (chunk.is_discarded()) {
        m_answer.error = "the server sent an event that is not JSON: " + data.substr(0, 200);
        return;
    }
    applyChunk(chunk, m_answer);
}

Answer parseWholeAnswer(const std::string &body)
{
    Answer a;
    const json j = json::parse(body, nullptr, false);
    if (j.is_discarded()) {
        a.error = "the server's answer is neither an event stream nor JSON: " + body.substr(0, 200);
        return a;
    }
    applyChunk(j, a);
    if (a.error.empty() && (!j.contains("choices") || !j["choices"].is_array()))
        a.error = "the server's answer has no 'choices': " + body.substr(0, 200);
    a.done = a.error.empty();
    return a;
}

std::string serverErrorMessage(const std::string &body)
{
    const json j = json::parse(body, nullptr, false);
    if (!j.is_discarded() && j.is_object()) {
        if (j.contains("error")) {
            const auto &e = j["error"];
            if (e.is_object() && e.contains("message") && e["message"].is_string())
                return e["message"].get<std::string>();
            if (e.is_string())
                return e.get<std::string>();
        }
        for (const char *key : {"message", "detail"})
            if (j.contains(key))
                return j[key].is_string() ? j[key].get<std::string>() : j[key].dump();
    }
    std::string text = body.substr(0, 300);
    while (!text.empty() && std::isspace(static_cast<unsigned char>(text.back())))
        text.pop_back();
    return text.empty() ? "(no message)" : text;
}

std::string redact(std::string text, const std::string &secret)
{
    if (secret.empty())
        return text;
    for (size_t at; (at = text.find(secret)) != std::string::npos;)
        text.replace(at, secret.size(), "***");
    return text;
}

} // namespace wb::remote

#include "serve/openai_json.h"

#include "common/text.h"
#include "tokenizer/tokenizer.h"

#include <cmath>
#include <cstring>
#include <random>

namespace wb::serve::openai {

namespace {

// Prompts in one completions request, inputs in one embeddings request (OpenAI's own bound).
constexpr size_t kMaxInputs = 2048;
// Stop strings in one request (OpenAI allows 4; vLLM more: a little headroom).
constexpr size_t kMaxStops = 16;

std::string typeName(const json &v)
{
    if (v.is_boolean())
        return "a boolean";
    if (v.is_number())
        return "a number";
    if (v.is_string())
        return "a string";
    if (v.is_array())
        return "an array";
    if (v.is_object())
        return "an object";
    return "null";
}

[[noreturn]] void wrongType(const std::string &param, const char *expected, const json &v)
{
    throw ApiError(400,
                   "Invalid type for '" + param + "': expected " + expected + ", but got " +
                       typeName(v) + " instead.",
                   param, "invalid_type");
}

[[noreturn]] void badValue(const std::string &param, const std::string &message)
{
    throw ApiError(400, message, param, "invalid_value");
}

// A present, non-null member (clients send null for "not set").
const json *member(const json &body, const char *key)
{
    const auto it = body.find(key);
    return it == body.end() || it->is_null() ? nullptr : &*it;
}

std::string numberText(double v)
{
    char buf[32];
    std::snprintf(buf, sizeof buf, "%g", v);
    return buf;
}

std::optional<double> number(const json &body, const char *key, double lo, double hi)
{
    const json *v = member(body, key);
    if (!v)
        return std::nullopt;
    if (!v->is_number())
        wrongType(key, "a number", *v);
    const double d = v->get<double>();
    if (!(d >= lo && d <= hi))
        badValue(key, std::string("'") + key + "' is " + numberText(d) + ", outside [" +
                          numberText(lo) + ", " + numberText(hi) + "].");
    return d;
}

std::optional<int64_t> integer(const json &body, const char *key, int64_t lo, int64_t hi)
{
    const json *v = member(body, key);
    if (!v)
        return std::nullopt;
    if (!v->is_number_integer())
        wrongType(key, "an integer", *v);
    if (v->is_number_unsigned() && v->get<uint64_t>() > uint64_t(INT64_MAX))
        badValue(key, std::string("'") + key + "' is too large.");
    const int64_t i = v->get<int64_t>();
    if (i < lo)
        badValue(key, std::string("'") + key + "' is " + std::to_string(i) +
                          ", below the minimum of " + std::to_string(lo) + ".");
    if (i > hi)
        badValue(key, std::string("'") + key + "' is " + std::to_string(i) +
                          ", above this server's limit of " + std::to_string(hi) + ".");
    return i;
}

std::optional<bool> boolean(const json &body, const char *key)
{
    const json *v = member(body, key);
    if (!v)
        return std::nullopt;
    if (!v->is_boolean())
        wrongType(key, "a boolean", *v);
    return v->get<bool>();
}

std::string requiredString(const json &body, const char *key)
{
    const json *v = member(body, key);
    if (!v)
        throw ApiError(400, std::string("Missing required parameter: '") + key + "'.", key,
                       "missing_required_parameter");
    if (!v->is_string())
        wrongType(key, "a string", *v);
    return v->get<std::string>();
}

// A token-id array element: an integer that is an id of the model's vocabulary.
int32_t tokenId(const json &v, const std::string &param, const Limits &limits)
{
    if (!v.is_number_integer())
        wrongType(param, "an integer token id", v);
    const int64_t id = v.get<int64_t>();
    if (id < 0 || id >= limits.vocabSize)
        badValue(param, "'" + param + "' is " + std::to_string(id) +
                            ", not a token id of this model (0.." +
                            std::to_string(limits.vocabSize - 1) + ").");
    return int32_t(id);
}

std::vector<int32_t> tokenIds(const json &array, const std::string &param, const Limits &limits)
{
    std::vector<int32_t> ids;
    ids.reserve(array.size());
    for (size_t i = 0; i < array.size(); ++i)
        ids.push_back(tokenId(array[i], param + "[" + std::to_string(i) + "]", limits));
    return ids;
}

// A completions prompt or an embeddings input: a string, strings, token ids or lists of them.
std::vector<TextOrIds> textsOrIds(const json &body, const char *key, const Limits &limits)
{
    const json *v = member(body, key);
    if (!v)
        throw ApiError(400, std::string("Missing required parameter: '") + key + "'.", key,
                       "missing_required_parameter");
    const std::string param = key;
    const char *expected = "a string, an array of strings, an array of token ids or an array of "
                           "token-id arrays";
    if (v->is_string())
        return {TextOrIds{v->get<std::string>(), {}, false}};
    if (!v->is_array())
        wrongType(param, expected, *v);
    if (v->empty())
        badValue(param, "'" + param + "' is an empty array.");
    const json &first = v->front();
    if (first.is_number_integer()) // one prompt as token ids
        return {TextOrIds{{}, tokenIds(*v, param, limits), true}};
    if (v->size() > kMaxInputs)
        badValue(param, "'" + param + "' has " + std::to_string(v->size()) +
                            " entries, above this server's limit of " + std::to_string(kMaxInputs) +
                            ".");
    std::vector<TextOrIds> out;
    for (size_t i = 0; i < v->size(); ++i) {
        const json &e = (*v)[i];
        const std::string at = param + "[" + std::to_string(i) + "]";
        if (first.is_string() && e.is_string())
            out.push_back({e.get<std::string>(), {}, false});
        else if (first.is_array() && e.is_array())
            out.push_back({{}, tokenIds(e, at, limits), true});
        else
            wrongType(at, first.is_array() ? "an array of token ids" : "a string", e);
    }
    return out;
}

std::vector<std::string> stops(const json &body)
{
    const json *v = member(body, "stop");
    if (!v)
        return {};
    std::vector<std::string> out;
    if (v->is_string()) {
        out.push_back(v->get<std::string>());
    } else if (v->is_array()) {
        if (v->size() > kMaxStops)
            badValue("stop", "'stop' has " + std::to_string(v->size()) +
                                 " strings, above this server's limit of " +
                                 std::to_string(kMaxStops) + ".");
        for (size_t i = 0; i < v->size(); ++i) {
            if (!(*v)[i].is_string())
                wrongType("stop[" + std::to_string(i) + "]", "a string", (*v)[i]);
            out.push_back((*v)[i].get<std::string>());
        }
    } else {
        wrongType("stop", "a string or an array of strings", *v);
    }
    std::erase(out, std::string()); // an empty stop string would end every completion at once
    return out;
}

Sampling sampling(const json &body, const Limits &limits)
{
    Sampling s;
    s.model = requiredString(body, "model");
    s.n = int(integer(body, "n", 1, limits.maxN).value_or(1));
    if (const auto seed = integer(body, "seed", INT64_MIN, INT64_MAX))
        s.seed = uint64_t(*seed);
    s.temperature = float(number(body, "temperature", 0, 2).value_or(1));
    s.topP = float(number(body, "top_p", 0, 1).value_or(1));
    if (s.topP <= 0)
        badValue("top_p", "'top_p' must be above 0.");
    // -1 is vLLM's spelling of "off", 0 ours.
    s.topK = std::max(0, int(integer(body, "top_k", -1, INT32_MAX).value_or(0)));
    s.presencePenalty = float(number(body, "presence_penalty", -2, 2).value_or(0));
    s.frequencyPenalty = float(number(body, "frequency_penalty", -2, 2).value_or(0));
    // max_completion_tokens is the newer spelling of max_tokens (chat); it wins when both are set.
    for (const char *key : {"max_tokens", "max_completion_tokens"}) {
        if (const auto m = integer(body, key, 0, limits.maxTokens)) {
            s.maxTokens = int(*m);
            s.maxTokensParam = key;
        }
    }
    s.stop = stops(body);
    s.stream = boolean(body, "stream").value_or(false);
    if (const json *o = member(body, "stream_options")) {
        if (!o->is_object())
            wrongType("stream_options", "an object", *o);
        if (!s.stream)
            badValue("stream_options", "'stream_options' is only allowed with 'stream': true.");
        s.includeUsage = boolean(*o, "include_usage").value_or(false);
    }
    s.ignoreEos = boolean(body, "ignore_eos").value_or(false);
    return s;
}

std::string messageContent(const json &m, const std::string &param)
{
    const json *c = member(m, "content");
    if (!c)
        return {}; // an assistant turn that only called tools
    if (c->is_string())
        return c->get<std::string>();
    if (!c->is_array())
        wrongType(param + ".content", "a string or an array of content parts", *c);
    std::string text;
    for (size_t i = 0; i < c->size(); ++i) {
        const json &part = (*c)[i];
        const std::string at = param + ".content[" + std::to_string(i) + "]";
        if (!part.is_object())
            wrongType(at, "an object", part);
        if (part.value("type", "") != "text" || !part.contains("text") || !part["text"].is_string())
            badValue(at, "'" + at +
                             "': only text parts ({\"type\": \"text\", \"text\": ...}) "
                             "are supported by this model.");
        text += part["text"].get<std::string>();
    }
    return text;
}

} // namespace

std::string tokenString(const Tokenizer &tokenizer, int32_t id)
{
    const std::string bytes = tokenizer.tokenBytes(id);
    if (isValidUtf8(bytes))
        return bytes;
    std::string out = "bytes:";
    char hex[8];
    for (unsigned char c : bytes) {
        std::snprintf(hex, sizeof hex, "\\x%02x", c);
        out += hex;
    }
    return out;
}

json errorBody(int status, const std::string &message, const std::string &param,
               const std::string &code)
{
    const char *type = status == 401   ? "authentication_error"
                       : status == 403 ? "permission_error"
                       : status == 404 ? "not_found_error"
                       : status == 429 ? "rate_limit_error"
                       : status >= 500 ? "server_error"
                                       : "invalid_request_error";
    return {{"error",
             {{"message", message},
              {"type", type},
              {"param", param.empty() ? json(nullptr) : json(param)},
              {"code", code.empty() ? json(nullptr) : json(code)}}}};
}

std::string dump(const json &j)
{
    return j.dump(-1, ' ', false, json::error_handler_t::replace);
}

std::string sse(const json &j)
{
    return "data: " + dump(j) + "\n\n";
}

json parseBody(const std::string &body)
{
    json j = json::parse(body, nullptr, /*allow_exceptions=*/false);
    if (j.is_discarded())
        throw ApiError(400, "The request body is not valid JSON.", {}, "invalid_json");
    if (!j.is_object())
        throw ApiError(400, "The request body must be a JSON object, not " + typeName(j) + ".", {},
                       "invalid_json");
    return j;
}

ChatParams parseChat(const json &body, const Limits &limits)
{
    ChatParams p;
    p.sampling = sampling(body, limits);
    if (p.sampling.maxTokens && *p.sampling.maxTokens < 1)
        badValue(p.sampling.maxTokensParam,
                 "'" + p.sampling.maxTokensParam + "' must be at least 1.");
    const json *messages = member(body, "messages");
    if (!messages)
        throw ApiError(400, "Missing required parameter: 'messages'.", "messages",
                       "missing_required_parameter");
    if (!messages->is_array())
        wrongType("messages", "an array", *messages);
    if (messages->empty())
        badValue("messages", "'messages' is an empty array.");
    for (size_t i = 0; i < messages->size(); ++i) {
        const json &m = (*messages)[i];
        const std::string at = "messages[" + std::to_string(i) + "]";
        if (!m.is_object())
            wrongType(at, "an object", m);
        std::string role = requiredString(m, "role");
        if (role == "developer") // OpenAI's newer name for system; templates know "system"
            role = "system";
        if (role != "system" && role != "user" && role != "assistant" && role != "tool")
            badValue(at + ".role", "'" + at + ".role' is '" + role +
                                       "', not one of system, developer, user, assistant, tool.");
        p.messages.push_back({role, messageContent(m, at)});
    }
    const bool logprobs = boolean(body, "logprobs").value_or(false);
    const auto top = integer(body, "top_logprobs", 0, 5);
    if (top && !logprobs)
        badValue("top_logprobs", "'top_logprobs' needs 'logprobs': true.");
    if (logprobs)
        p.logprobs = int(top.value_or(0));
    return p;
}

CompletionParams parseCompletion(const json &body, const Limits &limits)
{
    CompletionParams p;
    p.sampling = sampling(body, limits);
    p.prompts = textsOrIds(body, "prompt", limits);
    p.echo = boolean(body, "echo").value_or(false);
    if (const auto lp = integer(body, "logprobs", 0, 5))
        p.logprobs = int(*lp);
    if (member(body, "suffix"))
        badValue("suffix", "'suffix' (fill-in-the-middle) is not supported.");
    if (const auto bestOf = integer(body, "best_of", 1, limits.maxN);
        bestOf && *bestOf != p.sampling.n)
        badValue("best_of", "'best_of' other than n is not supported.");
    return p;
}

EmbeddingParams parseEmbeddings(const json &body, const Limits &limits)
{
    EmbeddingParams p;
    p.model = requiredString(body, "model");
    p.inputs = textsOrIds(body, "input", limits);
    if (const json *f = member(body, "encoding_format")) {
        if (!f->is_string())
            wrongType("encoding_format", "a string", *f);
        if (*f != "float" && *f != "base64")
            badValue("encoding_format", "'encoding_format' is '" + f->get<std::string>() +
                                            "', not 'float' or 'base64'.");
        p.base64 = *f == "base64";
    }
    if (const auto dims = integer(body, "dimensions", 1, INT32_MAX))
        p.dimensions = int(*dims);
    return p;
}

json usage(int64_t promptTokens, int64_t completionTokens)
{
    return {{"prompt_tokens", promptTokens},
            {"completion_tokens", completionTokens},
            {"total_tokens", promptTokens + completionTokens}};
}

json chatLogprobsContent(const std::vector<GeneratedToken> &tokens, const Tokenizer &tokenizer)
{
    const auto entry = [&](int32_t id, float logprob) {
        const std::string bytes = tokenizer.tokenBytes(id);
        json b = json::array();
        for (unsigned char c : bytes)
            b.push_back(int(c));
        return json{
            {"token", tokenString(tokenizer, id)}, {"logprob", logprob}, {"bytes", std::move(b)}};
    };
    json content = json::array();
    for (const auto &t : tokens) {
        json e = entry(t.id, t.logprob);
        e["top_logprobs"] = json::array();
        for (const auto &alt : t.top)
            e["top_logprobs"].push_back(entry(alt.id, alt.logprob));
        content.push_back(std::move(e));
    }
    return content;
}

json LegacyLogprobs::emptyLogprobs()
{
    return {{"tokens", json::array()},
            {"token_logprobs", json::array()},
            {"top_logprobs", json::array()},
            {"text_offset", json::array()}};
}

void LegacyLogprobs::add(const GeneratedToken &t)
{
    const std::string text = tokenString(m_tokenizer, t.id);
    m_json["tokens"].push_back(text);
    m_json["text_offset"].push_back(m_offset);
    m_offset += m_tokenizer.tokenBytes(t.id).size();
    if (std::isnan(t.logprob)) {
        m_json["token_logprobs"].push_back(nullptr);
        m_json["top_logprobs"].push_back(nullptr);
        return;
    }
    m_json["token_logprobs"].push_back(t.logprob);
    // The chosen token is always among the alternatives, as in vLLM: lm-evaluation-harness
    // reads "is greedy" as "the chosen token is the best of top_logprobs".
    json top = json::object();
    for (const auto &alt : t.top)
        top.emplace(tokenString(m_tokenizer, alt.id), alt.logprob);
    top.emplace(text, t.logprob);
    m_json["top_logprobs"].push_back(std::move(top));
}

json LegacyLogprobs::take()
{
    json out = std::move(m_json);
    m_json = emptyLogprobs();
    return out;
}

std::string newId(const char *prefix)
{
    thread_local std::mt19937_64 rng{std::random_device{}()};
    static const char *hex = "0123456789abcdef";
    std::string id = prefix;
    for (int i = 0; i < 24; ++i)
        id += hex[rng() & 15];
    return id;
}

std::string base64Floats(const std::vector<float> &v)
{
    static const char *alphabet =
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    std::string bytes(v.size() * 4, '\0');
    std::memcpy(bytes.data(), v.data(), bytes.size()); // x86-64 and aarch64: little-endian
    std::string out;
    out.reserve((bytes.size() + 2) / 3 * 4);
    for (size_t i = 0; i < bytes.size(); i += 3) {
        const size_t n = std::min<size_t>(3, bytes.size() - i);
        uint32_t w = uint32_t(uint8_t(bytes[i])) << 16;
        if (n > 1)
            w |= uint32_t(uint8_t(bytes[i + 1])) << 8;
        if (n > 2)
            w |= uint32_t(uint8_t(bytes[i + 2]));
        out += alphabet[(w >> 18) & 63];
        out += alphabet[(w >> 12) & 63];
        out += n > 1 ? alphabet[(w >> 6) & 63] : '=';
        out += n > 2 ? alphabet[w & 63] : '=';
    }
    return out;
}

} // namespace wb::serve::openai

// Format rules: detecting the format from a record's keys and checking each record against
// it (logic problems, alpaca instructions, chat conversations), producing the normalised
// records described in dataset.h.

#include "common/text.h"
#include "data/dataset_internal.h"

#include <algorithm>
#include <map>

namespace wb::dataset_detail {

using nlohmann::json;

const char *const kSupportedFormats =
    "logic (id, problem, questions), alpaca (instruction, input, output) and chat (messages or "
    "conversations)";

std::optional<DatasetFormat> formatFromKeys(const json &o)
{
    if (!o.is_object())
        return std::nullopt;
    if (o.contains("questions") || o.contains("problem"))
        return DatasetFormat::Logic;
    if (o.contains("instruction") || o.contains("output"))
        return DatasetFormat::Alpaca;
    if (o.contains("messages") || o.contains("conversations"))
        return DatasetFormat::Chat;
    return std::nullopt;
}

std::string joinKeys(const json &o)
{
    std::string s;
    size_t n = 0;
    for (const auto &[key, value] : o.items()) {
        if (n++ == 12) {
            s += ", …";
            break;
        }
        s += (s.empty() ? "" : ", ") + clip(key, 40);
    }
    return s.empty() ? "no fields at all" : s;
}

namespace {

// True when the object carries any key that belongs to `f`.
bool hasKeysOf(const json &o, DatasetFormat f)
{
    switch (f) {
    case DatasetFormat::Logic:
        return o.contains("questions") || o.contains("problem");
    case DatasetFormat::Alpaca:
        return o.contains("instruction") || o.contains("output");
    case DatasetFormat::Chat:
        return o.contains("messages") || o.contains("conversations");
    case DatasetFormat::Auto:
        return true;
    }
    return true;
}

// Issue reporting for one record. Knows the record's row and, for CSV logic problems, which
// line each question came from, so a user is sent to the right line.
class RecordCheck
{
public:
    RecordCheck(Reporter &rep, const RawRow &row) : m_rep(rep), m_row(row) {}

    void error(const std::string &field, std::string message)
    {
        ++m_errors;
        m_rep.error(rowOf(field), field, std::move(message));
    }
    void warning(const std::string &field, std::string message)
    {
        m_rep.warning(rowOf(field), field, std::move(message));
    }
    // A field the format does not use: warned once per file, since a misnamed field (say
    // "label" for "answer") otherwise vanishes silently.
    void unknownField(const std::string &field, const std::string &pattern, const std::string &key,
                      DatasetFormat f)
    {
        if (m_rep.firstTime(std::string("unknown:") + pattern))
            warning(field, "the field '" + clip(key, 60) + "' is not part of the " + formatName(f) +
                               " format and was ignored");
    }
    bool reported(const std::string &field) const { return m_row.reported.count(field) > 0; }
    size_t errors() const { return m_errors; }
    Reporter &reporter() { return m_rep; }

private:
    size_t rowOf(const std::string &field) const
    {
        const std::string lead = "questions[";
        if (m_row.questionRows.empty() || field.rfind(lead, 0) != 0)
            return m_row.row;
        const size_t index = std::strtoul(field.c_str() + lead.size(), nullptr, 10);
        return index < m_row.questionRows.size() ? m_row.questionRows[index] : m_row.row;
    }

    Reporter &m_rep;
    const RawRow &m_row;
    size_t m_errors = 0;
};

const json *member(const json &o, const char *key)
{
    const auto it = o.find(key);
    return it == o.end() || it->is_null() ? nullptr : &*it;
}

// A required, non-empty string field.
std::optional<std::string> requireText(const json &o, const char *key, const std::string &path,
                                       const char *what, RecordCheck &c)
{
    if (c.reported(path))
        return std::nullopt;
    const json *v = member(o, key);
    if (!v) {
        c.error(path, std::string("missing field '") + key + "' (" + what + ")");
        return std::nullopt;
    }
    if (!v->is_string()) {
        c.error(path, std::string(key) + " must be a string, found " + jsonTypeName(*v));
        return std::nullopt;
    }
    const auto &s = v->get_ref<const std::string &>();
    if (trim(s).empty()) {
        c.error(path, std::string(key) + " is empty");
        return std::nullopt;
    }
    return s;
}

// An optional string field: "" when absent.
std::string optionalText(const json &o, const char *key, const std::string &path, RecordCheck &c)
{
    const json *v = member(o, key);
    if (!v)
        return {};
    if (!v->is_string()) {
        c.error(path, std::string(key) + " must be a string, found " + jsonTypeName(*v));
        return {};
    }
    return v->get<std::string>();
}

// Index of an upper-case option letter ("A" -> 0, "AA" -> 26), the inverse of optionLetter.
std::optional<size_t> letterIndex(std::string_view s)
{
    if (s.empty() || s.size() > 4)
        return std::nullopt;
    size_t n = 0;
    for (char ch : s) {
        if (ch < 'A' || ch > 'Z')
            return std::nullopt;
        n = n * 26 + static_cast<size_t>(ch - 'A' + 1);
    }
    return n - 1;
}

std::string asciiUpper(std::string_view s)
{
    std::string r(s);
    for (char &ch : r)
        if (ch >= 'a' && ch <= 'z')
            ch = static_cast<char>(ch - 'a' + 'A');
    return r;
}

// The answer of one question. `optionCount` is nullopt when the options are unusable, so
// the letter cannot be checked (the options error already makes the record invalid).
void checkAnswer(const json &q, const std::string &path, const json &options,
                 std::optional<size_t> optionCount, json &out, RecordCheck &c)
{
    const std::string ap = path + ".answer";
    const json *a = member(q, "answer");
    if (!a || c.reported(ap))
        return;
    if (!a->is_string()) {
        c.error(ap, "answer must be an option letter such as \"A\", found " + jsonTypeName(*a));
        return;
    }
    // An empty answer is how many exports mark a test item: treat it as absent.
    const std::string t = trim(a->get_ref<const std::string &>());
    if (t.empty())
        return;
    if (!optionCount || *optionCount == 0) {
        out["answer"] = t;
        return;
    }
    const auto valid = [&](const std::string &s) {
        const auto k = letterIndex(s);
        return k && *k < *optionCount;
    };
    if (valid(t)) {
        out["answer"] = t;
        return;
    }
    const std::string upper = asciiUpper(t);
    if (valid(upper)) {
        c.warning(ap, "answer '" + t + "' is lower-case; read as '" + upper + "'");
        out["answer"] = upper;
        return;
    }
    const std::string range = *optionCount == 1 ? "A" : "A–" + optionLetter(*optionCount - 1);
    std::string m = "answer '" + clip(t, 40) + "' is not one of the option letters " + range;
    // Say what was probably meant: the option's text, or a letter with decoration ("(C)").
    std::string hint;
    for (size_t k = 0; k < options.size(); ++k) {
        if (options[k].is_string() && trim(options[k].get_ref<const std::string &>()) == t) {
            hint = " (it is the text of option " + optionLetter(k) + "; give the letter instead)";
            break;
        }
    }
    if (hint.empty()) {
        std::string letters;
        for (char ch : upper)
            if (ch != '(' && ch != ')' && ch != '.' && ch != ' ' && ch != ':' && ch != '[' &&
                ch != ']')
                letters += ch;
        if (letters != upper && valid(letters))
            hint = " (write just the letter '" + letters + "')";
    }
    c.error(ap, m + hint);
}

json checkQuestion(const json &q, const std::string &path, RecordCheck &c)
{
    json out = json::object();
    if (auto t = requireText(q, "question", path + ".question", "the question text", c))
        out["question"] = *t;

    const std::string op = path + ".options";
    std::optional<size_t> optionCount;
    json options = json::array();
    if (!c.reported(op)) {
        const json *o = member(q, "options");
        if (!o) {
            c.error(op, "missing field 'options' (the list of choices)");
        } else if (!o->is_array()) {
            c.error(op, "options must be an array of strings, found " + jsonTypeName(*o));
        } else if (o->empty()) {
            c.error(op, "options is empty; a question needs at least 2 options");
            optionCount = 0;
        } else {
            optionCount = o->size();
            for (size_t j = 0; j < o->size(); ++j) {
                const json &e = (*o)[j];
                const std::string ep = op + "[" + std::to_string(j) + "]";
                if (e.is_string()) {
                    if (trim(e.get_ref<const std::string &>()).empty())
                        c.error(ep, "option " + optionLetter(j) + " is empty");
                    options.push_back(e);
                } else if (e.is_number()) {
                    // Numeric choices (arithmetic puzzles) are plain text to a model.
                    options.push_back(e.dump());
                } else {
                    c.error(ep, "option " + optionLetter(j) + " must be a string, found " +
                                    jsonTypeName(e));
                    options.push_back(std::string());
                }
            }
            if (o->size() == 1)
                c.error(op, "a question needs at least 2 options, found 1");
            out["options"] = options;
        }
    }

    checkAnswer(q, path, options, optionCount, out, c);

    // Rationales go by several names in published datasets; keep one, as "rationale".
    for (const char *key : {"rationale", "explanation", "analysis"}) {
        const json *r = member(q, key);
        if (!r)
            continue;
        if (r->is_string()) {
            if (!trim(r->get_ref<const std::string &>()).empty())
                out["rationale"] = *r;
        } else {
            c.warning(path + "." + key, std::string(key) + " must be a string, found " +
                                            jsonTypeName(*r) + "; it was ignored");
        }
        break;
    }
    static const char *const known[] = {"question",  "options",     "answer",
                                        "rationale", "explanation", "analysis"};
    for (const auto &[key, value] : q.items()) {
        if (std::find_if(std::begin(known), std::end(known),
                         [&](const char *k) { return key == k; }) == std::end(known))
            c.unknownField(path + "." + key, "questions[]." + key, key, DatasetFormat::Logic);
    }
    return out;
}

json checkLogic(const json &in, RecordCheck &c, std::optional<std::string> &id)
{
    json out = json::object();
    if (!c.reported("id")) {
        const json *v = member(in, "id");
        if (!v) {
            c.error("id", "missing field 'id'; each problem needs a unique id");
        } else if (v->is_string()) {
            const std::string s = trim(v->get_ref<const std::string &>());
            if (s.empty())
                c.error("id", "id is empty");
            else
                id = s;
        } else if (v->is_number_integer() || v->is_number_unsigned()) {
            id = v->dump();
        } else {
            c.error("id", "id must be a string or a whole number, found " + jsonTypeName(*v));
        }
        if (id)
            out["id"] = *id;
    }
    if (auto p = requireText(in, "problem", "problem", "the text of the puzzle", c))
        out["problem"] = *p;

    json questions = json::array();
    const json *qs = member(in, "questions");
    if (!qs) {
        c.error("questions", "missing field 'questions' (a list of questions with options)");
    } else if (!qs->is_array()) {
        c.error("questions",
                "questions must be an array of question objects, found " + jsonTypeName(*qs));
    } else if (qs->empty()) {
        c.error("questions", "questions is empty; a problem needs at least one question");
    } else {
        for (size_t i = 0; i < qs->size(); ++i) {
            const json &q = (*qs)[i];
            const std::string path = "questions[" + std::to_string(i) + "]";
            if (!q.is_object()) {
                c.error(path, "each question must be an object with 'question' and 'options', "
                              "found " +
                                  jsonTypeName(q));
                continue;
            }
            questions.push_back(checkQuestion(q, path, c));
        }
    }
    out["questions"] = std::move(questions);
    // Generated problems (demo_generator) carry their hidden world here; keeping it makes an
    // export and re-import lossless.
    if (const json *meta = member(in, "meta"))
        out["meta"] = *meta;

    for (const auto &[key, value] : in.items())
        if (key != "id" && key != "problem" && key != "questions" && key != "meta")
            c.unknownField(key, key, key, DatasetFormat::Logic);
    return out;
}

json checkAlpaca(const json &in, RecordCheck &c)
{
    json out = json::object();
    if (auto s = requireText(in, "instruction", "instruction", "the task given to the model", c))
        out["instruction"] = *s;
    out["input"] = optionalText(in, "input", "input", c);
    if (const json *v = member(in, "output"); !v) {
        c.error("output", "missing field 'output' (the expected response)");
    } else if (!v->is_string()) {
        c.error("output", "output must be a string, found " + jsonTypeName(*v));
    } else {
        // Kept: an evaluation file may leave outputs empty for the model to fill in.
        if (trim(v->get_ref<const std::string &>()).empty())
            c.warning("output", "output is empty");
        out["output"] = *v;
    }
    out["system"] = optionalText(in, "system", "system", c);
    for (const auto &[key, value] : in.items())
        if (key != "instruction" && key != "input" && key != "output" && key != "system" &&
            key != "id")
            c.unknownField(key, key, key, DatasetFormat::Alpaca);
    return out;
}

// Role names of OpenAI-style "role" fields and of sharegpt "from" fields.
std::optional<std::string> mapRole(const std::string &name, bool sharegpt)
{
    const std::string r = asciiLower(trim(name));
    if (r == "system" || r == "user" || r == "assistant")
        return r;
    if (sharegpt) {
        if (r == "human")
            return "user";
        if (r == "gpt" || r == "model")
            return "assistant";
    }
    return std::nullopt;
}

json checkChat(const json &in, RecordCheck &c)
{
    json out = json::object();
    json messages = json::array();
    const bool hasMessages = in.contains("messages");
    const std::string key = hasMessages ? "messages" : "conversations";
    if (hasMessages && in.contains("conversations"))
        c.warning("conversations",
                  "both 'messages' and 'conversations' are present; 'conversations' was ignored");

    std::string system;
    if (const json *s = member(in, "system")) {
        if (s->is_string())
            system = s->get<std::string>();
        else
            c.error("system", "system must be a string, found " + jsonTypeName(*s));
    }

    const json *list = member(in, key.c_str());
    size_t users = 0, assistants = 0;
    bool hasSystemMessage = false;
    if (!list) {
        c.error(key, "missing field 'messages' (a list of {\"role\", \"content\"} messages)");
    } else if (!list->is_array()) {
        c.error(key, key + " must be an array of messages, found " + jsonTypeName(*list));
    } else if (list->empty()) {
        c.error(key, key + " is empty; a conversation needs at least one user and one "
                           "assistant message");
    } else {
        for (size_t i = 0; i < list->size(); ++i) {
            const json &m = (*list)[i];
            const std::string path = key + "[" + std::to_string(i) + "]";
            if (!m.is_object()) {
                c.error(path, "each message must be an object with 'role' and 'content' (or "
                              "sharegpt 'from' and 'value'), found " +
                                  jsonTypeName(m));
                continue;
            }
            // Each message may use either naming; sharegpt files mix them in the wild.
            const bool sharegpt = !m.contains("role") && m.contains("from");
            const std::string roleKey = sharegpt ? "from" : "role";
            const std::string rp = path + "." + roleKey;
            std::optional<std::string> role;
            const json *r = member(m, roleKey.c_str());
            if (!r) {
                c.error(rp, key == "conversations"
                                ? "missing field 'from' (human, gpt or system)"
                                : "missing field 'role' (system, user or assistant)");
            } else if (!r->is_string()) {
                c.error(rp, roleKey + " must be a string, found " + jsonTypeName(*r));
            } else if (!(role = mapRole(r->get<std::string>(), sharegpt))) {
                const std::string given = clip(r->get_ref<const std::string &>(), 30);
                if (sharegpt)
                    c.error(rp, "from '" + given +
                                    "' is not one of human, gpt, system (user, "
                                    "assistant and model are accepted too)");
                else
                    c.error(rp,
                            "role '" + given + "' is not one of system, user, assistant" +
                                (mapRole(given, true) ? " (sharegpt names belong in 'from')" : ""));
            }

            const std::string contentKey = m.contains("content") ? "content"
                                           : m.contains("value") ? "value"
                                           : sharegpt            ? "value"
                                                                 : "content";
            const std::string cp = path + "." + contentKey;
            const json *content = member(m, contentKey.c_str());
            std::optional<std::string> text;
            if (!content) {
                c.error(cp, "missing field '" + contentKey + "' (the message text)");
            } else if (content->is_array()) {
                c.error(cp, contentKey + " must be a string; lists of content parts (images, "
                                         "files) are not supported");
            } else if (!content->is_string()) {
                c.error(cp, contentKey + " must be a string, found " + jsonTypeName(*content));
            } else {
                text = content->get<std::string>();
            }
            if (!role || !text)
                continue;
            if (trim(*text).empty()) {
                // An empty system prompt is how many exports say "no system prompt".
                if (*role != "system")
                    c.error(cp, "the " + *role + " message is empty");
                continue;
            }
            users += *role == "user";
            assistants += *role == "assistant";
            hasSystemMessage = hasSystemMessage || *role == "system";
            messages.push_back({{"role", *role}, {"content", *text}});
        }
        if (users == 0 || assistants == 0)
            c.error(key, "a conversation needs at least one user and one assistant message; "
                         "found " +
                             std::to_string(users) + " user and " + std::to_string(assistants) +
                             " assistant");
    }
    // sharegpt keeps the system prompt beside the conversation.
    if (!trim(system).empty()) {
        if (hasSystemMessage)
            c.warning("system", "the conversation has a system message; the top-level "
                                "'system' field was ignored");
        else
            messages.insert(messages.begin(), json{{"role", "system"}, {"content", system}});
    }
    out["messages"] = std::move(messages);
    for (const auto &[k, value] : in.items())
        if (k != "messages" && k != "conversations" && k != "system" && k != "id")
            c.unknownField(k, k, k, DatasetFormat::Chat);
    return out;
}

} // namespace

void resolveFormat(const std::vector<RawRow> &rows, const ParseOptions &options, Reporter &rep)
{
    const RawRow *first = nullptr;   // the first readable object
    const RawRow *decider = nullptr; // the first object whose keys name a format
    std::optional<DatasetFormat> detected;
    for (const RawRow &r : rows) {
        if (!r.value)
            continue;
        if (!first)
            first = &r;
        if ((detected = formatFromKeys(*r.value))) {
            decider = &r;
            break;
        }
    }
    if (options.format != DatasetFormat::Auto) {
        if (decider && !hasKeysOf(*decider->value, options.format))
            rep.error(0, {},
                      std::string("the records look like ") + formatName(*detected) +
                          " data (the one on " + rep.rowName(decider->row) + " has the fields " +
                          joinKeys(*decider->value) + "), but the " + formatName(options.format) +
                          " format was requested");
        return;
    }
    if (!detected) {
        if (!first)
            rep.fatal("could not tell the dataset format: no row could be read as a JSON object");
        else
            rep.fatal("could not tell the dataset format from the fields of the first record (" +
                      joinKeys(*first->value) + "); supported formats: " + kSupportedFormats);
        return;
    }
    rep.out().format = *detected;
}

void validateRows(std::vector<RawRow> &rows, Reporter &rep)
{
    ParsedDataset &out = rep.out();
    std::map<std::string, size_t> firstRowOfId;
    size_t invalid = 0;
    for (RawRow &r : rows) {
        if (!r.value) {
            ++invalid;
            continue;
        }
        RecordCheck c(rep, r);
        json data;
        switch (out.format) {
        case DatasetFormat::Auto: // resolveFormat never leaves Auto; treat as logic
        case DatasetFormat::Logic: {
            std::optional<std::string> id;
            data = checkLogic(*r.value, c, id);
            if (id) {
                const auto [it, added] = firstRowOfId.emplace(*id, r.row);
                if (!added)
                    c.error("id", "id '" + clip(*id, 40) + "' is already used by the problem on " +
                                      rep.rowName(it->second) + "; ids must be unique");
            }
            break;
        }
        case DatasetFormat::Alpaca:
            data = checkAlpaca(*r.value, c);
            break;
        case DatasetFormat::Chat:
            data = checkChat(*r.value, c);
            break;
        }
        if (c.errors() > 0 || r.readerError)
            ++invalid;
        else
            out.records.push_back({r.row, std::move(data)});
    }
    out.invalidRows = invalid;
}

} // namespace wb::dataset_detail

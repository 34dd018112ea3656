// Container readers: JSON Lines, a JSON document and CSV (RFC 4180). They turn bytes into
// rows of JSON objects; the format rules are applied afterwards (dataset_validate.cpp).

#include "common/text.h"
#include "data/dataset_internal.h"

#include <algorithm>
#include <map>

namespace wb::dataset_detail {

using nlohmann::json;

namespace {

bool isBlank(std::string_view s)
{
    return s.find_first_not_of(" \t\r\n\f") == std::string_view::npos;
}

std::string tooLong(size_t bytes, size_t limit, const char *what)
{
    return std::string(what) + " is " + std::to_string(bytes) + " bytes long, over the limit of " +
           std::to_string(limit) + " bytes; it was not read";
}

} // namespace

void readJsonLines(std::string_view text, const ParseOptions &options, Reporter &rep,
                   std::vector<RawRow> &rows)
{
    size_t pos = 0;
    size_t line = 0;
    while (pos < text.size()) {
        size_t end = text.find('\n', pos);
        if (end == text.npos)
            end = text.size();
        std::string_view l = text.substr(pos, end - pos);
        pos = end + 1;
        ++line;
        if (!l.empty() && l.back() == '\r')
            l.remove_suffix(1);
        if (isBlank(l))
            continue;
        RawRow r;
        r.row = line;
        if (l.size() > options.maxLineBytes) {
            rep.error(line, {}, tooLong(l.size(), options.maxLineBytes, "the line"));
            r.readerError = true;
        } else {
            std::string reason;
            auto v = parseJson(l, false, &reason);
            if (!v) {
                rep.error(line, {}, "malformed JSON " + reason);
                r.readerError = true;
            } else if (!v->is_object()) {
                rep.error(line, {},
                          "each line must be a JSON object ({...}), found " + jsonTypeName(*v));
                r.readerError = true;
            } else {
                r.value = std::move(*v);
            }
        }
        rows.push_back(std::move(r));
    }
}

void readJsonDocument(const json &doc, Reporter &rep, std::vector<RawRow> &rows)
{
    const json *array = &doc;
    if (doc.is_object()) {
        const bool singleArray = doc.size() == 1 && doc.begin()->is_array() &&
                                 std::all_of(doc.begin()->begin(), doc.begin()->end(),
                                             [](const json &e) { return e.is_object(); });
        if (singleArray && !formatFromKeys(doc)) {
            // {"data": [...]} as written by many export tools.
            rep.warning(0, {},
                        "the file is an object with the single key \"" + doc.begin().key() +
                            "\"; the records were read from its array");
            array = &doc.begin().value();
        } else if (formatFromKeys(doc)) {
            rep.fatal("expected a JSON array of records ([{...}, {...}]) at the top level, found "
                      "a single record (an object with the keys " +
                      joinKeys(doc) +
                      "); enclose it in [ ] or save one record per line as JSON Lines (.jsonl)");
            return;
        } else {
            rep.fatal("expected a JSON array of records ([{...}, {...}]) at the top level, found "
                      "an object with the keys " +
                      joinKeys(doc));
            return;
        }
    } else if (!doc.is_array()) {
        rep.fatal("expected a JSON array of records ([{...}, {...}]) at the top level, found " +
                  jsonTypeName(doc));
        return;
    }
    if (array->empty()) {
        rep.fatal("the JSON array is empty: the file holds no records");
        return;
    }
    size_t index = 0;
    for (const json &e : *array) {
        RawRow r;
        r.row = ++index;
        if (e.is_object()) {
            r.value = e;
        } else {
            rep.error(r.row, {},
                      "each element of the array must be a JSON object ({...}), found " +
                          jsonTypeName(e));
            r.readerError = true;
        }
        rows.push_back(std::move(r));
    }
}

// ---------------------------------------------------------------------------------------
// CSV

namespace {

struct CsvRecord
{
    size_t row = 0;   // physical line where the record starts
    size_t bytes = 0; // size in the file, for the line limit
    std::vector<std::string> fields;
    std::string error; // a quoting problem; the fields are then unreliable
};

// RFC 4180: fields separated by commas, records by CRLF or LF; a field in double quotes may
// hold commas, line breaks and doubled quotes. Line breaks inside quotes become '\n' so
// Windows files do not leave '\r' in the text a model sees.
std::vector<CsvRecord> splitCsv(std::string_view text)
{
    std::vector<CsvRecord> records;
    const size_t n = text.size();
    size_t i = 0;
    size_t line = 1;
    while (i < n) {
        CsvRecord rec;
        rec.row = line;
        const size_t start = i;
        std::string field;
        for (;;) {
            field.clear();
            if (i < n && text[i] == '"') {
                const size_t quoteLine = line;
                ++i;
                bool closed = false;
                while (i < n) {
                    const char c = text[i];
                    if (c == '"') {
                        if (i + 1 < n && text[i + 1] == '"') {
                            field += '"';
                            i += 2;
                            continue;
                        }
                        ++i;
                        closed = true;
                        break;
                    }
                    if (c == '\r' && i + 1 < n && text[i + 1] == '\n') {
                        ++i;
                        continue;
                    }
                    if (c == '\n')
                        ++line;
                    field += c;
                    ++i;
                }
                if (!closed && rec.error.empty()) {
                    rec.error = "the quoted field " + std::to_string(rec.fields.size() + 1) +
                                " that starts on line " + std::to_string(quoteLine) +
                                " is never closed, so the rest of the file was swallowed by it; "
                                "add the missing closing double quote";
                }
                if (i < n && text[i] != ',' && text[i] != '\n' && text[i] != '\r') {
                    if (rec.error.empty())
                        rec.error = "unexpected text after the closing quote of field " +
                                    std::to_string(rec.fields.size() + 1) +
                                    "; a double quote inside a quoted field must be doubled (\"\")";
                    while (i < n && text[i] != ',' && text[i] != '\n')
                        field += text[i++];
                }
            } else {
                while (i < n && text[i] != ',' && text[i] != '\n') {
                    if (text[i] == '\r' && i + 1 < n && text[i + 1] == '\n')
                        break;
                    field += text[i++];
                }
            }
            rec.fields.push_back(field);
            if (i < n && text[i] == ',') {
                ++i;
                continue;
            }
            if (i < n && text[i] == '\r')
                ++i;
            if (i < n && text[i] == '\n') {
                ++i;
                ++line;
            }
            break;
        }
        rec.bytes = i - start;
        records.push_back(std::move(rec));
    }
    return records;
}

bool isBlankRecord(const CsvRecord &r)
{
    return r.error.empty() &&
           std::all_of(r.fields.begin(), r.fields.end(), [](const auto &f) { return isBlank(f); });
}

std::string joinNames(const std::vector<std::string> &names)
{
    std::string s;
    for (const auto &n : names) {
        if (n.empty())
            continue;
        if (!s.empty())
            s += ", ";
        s += n;
    }
    return s.empty() ? "none" : s;
}

// Options in one cell: a JSON array, or one option per line, or options separated by '|'.
// Returns nullopt and a reason when the cell looks like JSON but is not.
std::optional<json> parseCsvOptions(const std::string &cell, std::string &error)
{
    const std::string t = trim(cell);
    json options = json::array();
    if (t.empty())
        return options;
    if (t.front() == '[') {
        std::string reason;
        auto v = parseJson(t, true, &reason);
        if (!v) {
            error = "options start with '[' but are not a valid JSON array (" + reason +
                    "); write them as [\"first\", \"second\"] or separate them with '|'";
            return std::nullopt;
        }
        if (!v->is_array()) {
            error = "options must be a JSON array of strings, found " + jsonTypeName(*v);
            return std::nullopt;
        }
        return v;
    }
    // A line break is the stronger separator: it lets an option contain '|'.
    if (t.find('\n') != std::string::npos) {
        for (std::string_view l : splitLines(t))
            options.push_back(trim(l));
        return options;
    }
    size_t pos = 0;
    for (;;) {
        const size_t bar = t.find('|', pos);
        options.push_back(
            trim(std::string_view(t).substr(pos, bar == t.npos ? t.npos : bar - pos)));
        if (bar == t.npos)
            break;
        pos = bar + 1;
    }
    return options;
}

const std::vector<std::string> kLogicColumns = {"id",     "problem",   "question",    "options",
                                                "answer", "rationale", "explanation", "analysis"};
const std::vector<std::string> kLogicRequired = {"id", "problem", "question", "options"};
const std::vector<std::string> kAlpacaColumns = {"instruction", "input", "output", "system", "id"};
const std::vector<std::string> kAlpacaRequired = {"instruction", "output"};

} // namespace

void readCsv(std::string_view text, const ParseOptions &options, Reporter &rep,
             std::vector<RawRow> &rows)
{
    ParsedDataset &out = rep.out();
    std::vector<CsvRecord> records = splitCsv(text);
    std::erase_if(records, isBlankRecord);
    if (records.empty()) {
        rep.fatal("the CSV file holds no header row and no data");
        return;
    }
    const CsvRecord &header = records.front();
    if (!header.error.empty()) {
        rep.fatal("the CSV header row (line " + std::to_string(header.row) +
                  ") cannot be read: " + header.error);
        return;
    }
    // Header names are matched without regard to case or surrounding spaces: spreadsheet
    // users write "Question " as often as "question".
    std::vector<std::string> names;
    std::map<std::string, size_t> column;
    for (const auto &f : header.fields) {
        names.push_back(asciiLower(trim(f)));
        if (names.back().empty())
            continue;
        if (!column.emplace(names.back(), names.size() - 1).second) {
            rep.fatal("the column '" + names.back() +
                      "' appears twice in the CSV header; rename or remove one of them");
            return;
        }
    }
    const auto has = [&](const char *c) { return column.count(c) > 0; };

    std::optional<DatasetFormat> detected;
    if (has("questions") || has("problem"))
        detected = DatasetFormat::Logic;
    else if (has("instruction") || has("output"))
        detected = DatasetFormat::Alpaca;
    else if (has("messages") || has("conversations"))
        detected = DatasetFormat::Chat;

    DatasetFormat format = options.format;
    if (format == DatasetFormat::Auto) {
        if (!detected) {
            std::string m = "could not tell the dataset format from the CSV columns (" +
                            joinNames(names) +
                            "); a logic CSV has the columns id, problem, question, options and "
                            "optionally answer; an alpaca CSV has instruction, input, output "
                            "and optionally system";
            if (names.size() == 1 && names[0].find_first_of(";\t") != std::string::npos)
                m += ". The header seems to use ';' or tabs between columns; only "
                     "comma-separated files are supported";
            rep.fatal(std::move(m));
            return;
        }
        format = *detected;
        out.format = format;
    }
    if (format == DatasetFormat::Chat) {
        rep.fatal("chat datasets cannot be read from CSV (a conversation is a list of "
                  "messages); save them as JSON Lines with a \"messages\" array on each line");
        return;
    }

    const bool logic = format == DatasetFormat::Logic;
    const auto &known = logic ? kLogicColumns : kAlpacaColumns;
    std::vector<std::string> missing;
    for (const auto &c : logic ? kLogicRequired : kAlpacaRequired)
        if (!has(c.c_str()))
            missing.push_back(c);
    if (!missing.empty()) {
        std::string m =
            std::string("the CSV has no ") + (missing.size() > 1 ? "columns " : "column ");
        for (size_t k = 0; k < missing.size(); ++k)
            m += (k ? ", '" : "'") + missing[k] + "'";
        m += logic ? "; a logic CSV needs the columns id, problem, question, options and "
                     "optionally answer"
                   : "; an alpaca CSV needs the columns instruction, output and optionally "
                     "input and system";
        m += " (found: " + joinNames(names) + ")";
        if (detected && *detected != format)
            m += std::string("; the columns look like ") + formatName(*detected) + " data";
        rep.fatal(std::move(m));
        return;
    }
    for (const auto &n : names) {
        if (!n.empty() && std::find(known.begin(), known.end(), n) == known.end())
            rep.warning(header.row, {},
                        "the column '" + n + "' is not used by the " + formatName(format) +
                            " format and was ignored");
    }
    if (records.size() == 1) {
        rep.fatal("the CSV file has a header row but no data rows");
        return;
    }

    const auto cell = [&](const CsvRecord &r, const char *name) -> std::string {
        const auto it = column.find(name);
        return it == column.end() ? std::string() : r.fields[it->second];
    };
    // Checks what the splitter could not: quoting, size and field count.
    const auto readable = [&](CsvRecord &r) {
        if (!r.error.empty()) {
            rep.error(r.row, {}, r.error);
            return false;
        }
        if (r.bytes > options.maxLineBytes) {
            rep.error(r.row, {}, tooLong(r.bytes, options.maxLineBytes, "the row"));
            return false;
        }
        // Spreadsheets often pad rows with empty trailing cells; those are harmless.
        while (r.fields.size() > names.size() && isBlank(r.fields.back()))
            r.fields.pop_back();
        if (r.fields.size() != names.size()) {
            rep.error(r.row, {},
                      "the row has " + std::to_string(r.fields.size()) +
                          " fields but the header has " + std::to_string(names.size()) +
                          " columns; a field that contains a comma, a quote or a line break "
                          "must be enclosed in double quotes");
            return false;
        }
        return true;
    };

    std::optional<RawRow> group; // logic: the problem being assembled
    std::string groupId, groupProblem;
    const auto flush = [&] {
        if (group)
            rows.push_back(std::move(*group));
        group.reset();
    };
    for (size_t k = 1; k < records.size(); ++k) {
        CsvRecord &r = records[k];
        if (!readable(r)) {
            flush();
            RawRow bad;
            bad.row = r.row;
            bad.readerError = true;
            rows.push_back(std::move(bad));
            continue;
        }
        if (!logic) {
            RawRow row;
            row.row = r.row;
            json v = json::object();
            for (const char *c : {"instruction", "input", "output", "system"})
                if (has(c))
                    v[c] = cell(r, c);
            row.value = std::move(v);
            rows.push_back(std::move(row));
            continue;
        }
        // Consecutive rows of one problem (same id and text) become its questions.
        const std::string id = trim(cell(r, "id"));
        const std::string problem = cell(r, "problem");
        if (!group || id != groupId || trim(problem) != trim(groupProblem)) {
            flush();
            group.emplace();
            group->row = r.row;
            group->value = json{{"id", id}, {"problem", problem}, {"questions", json::array()}};
            groupId = id;
            groupProblem = problem;
        }
        json &questions = (*group->value)["questions"];
        const std::string path = "questions[" + std::to_string(questions.size()) + "]";
        json q = json::object();
        q["question"] = cell(r, "question");
        std::string error;
        if (auto opts = parseCsvOptions(cell(r, "options"), error)) {
            q["options"] = std::move(*opts);
        } else {
            rep.error(r.row, path + ".options", error);
            group->readerError = true;
            group->reported.insert(path + ".options");
        }
        if (const std::string answer = trim(cell(r, "answer")); !answer.empty())
            q["answer"] = answer;
        for (const char *c : {"rationale", "explanation", "analysis"}) {
            if (const std::string why = cell(r, c); !isBlank(why)) {
                q["rationale"] = why;
                break;
            }
        }
        questions.push_back(std::move(q));
        group->questionRows.push_back(r.row);
    }
    flush();
}

} // namespace wb::dataset_detail

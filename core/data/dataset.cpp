// Entry points of dataset reading: whole-file checks, container choice, names and small
// helpers. The containers are read in dataset_parse.cpp, the format rules live in
// dataset_validate.cpp and statistics and splitting in dataset_stats.cpp.

#include "data/dataset.h"

#include "common/files.h"
#include "common/text.h"
#include "data/dataset_internal.h"

#include <algorithm>

namespace wb {

using nlohmann::json;
using namespace dataset_detail;

const char *formatName(DatasetFormat f)
{
    switch (f) {
    case DatasetFormat::Auto:
        return "auto";
    case DatasetFormat::Logic:
        return "logic";
    case DatasetFormat::Alpaca:
        return "alpaca";
    case DatasetFormat::Chat:
        return "chat";
    }
    return "auto";
}

std::optional<DatasetFormat> formatFromName(std::string_view name)
{
    // Names come from the command line and settings files too: be lenient about case.
    const std::string n = asciiLower(trim(name));
    for (DatasetFormat f :
         {DatasetFormat::Auto, DatasetFormat::Logic, DatasetFormat::Alpaca, DatasetFormat::Chat}) {
        if (n == formatName(f))
            return f;
    }
    return std::nullopt;
}

const char *fileKindName(FileKind k)
{
    switch (k) {
    case FileKind::Jsonl:
        return "jsonl";
    case FileKind::JsonArray:
        return "json";
    case FileKind::Csv:
        return "csv";
    }
    return "jsonl";
}

std::string ValidationIssue::toString() const
{
    std::string s = file;
    if (row > 0)
        s += ":" + std::to_string(row);
    if (!field.empty())
        s += ": " + field;
    s += ": " + message;
    return s;
}

size_t ParsedDataset::errorCount() const
{
    return static_cast<size_t>(std::count_if(issues.begin(), issues.end(), [](const auto &i) {
        return i.severity == ValidationIssue::Severity::Error;
    }));
}

std::string optionLetter(size_t index)
{
    // Bijective base 26, like spreadsheet columns: Z is followed by AA.
    std::string s;
    size_t n = index + 1;
    while (n > 0) {
        --n;
        s.insert(s.begin(), static_cast<char>('A' + n % 26));
        n /= 26;
    }
    return s;
}

size_t promptCount(DatasetFormat format, const DatasetRecord &record)
{
    if (format != DatasetFormat::Logic)
        return 1;
    const auto it = record.data.find("questions");
    return it != record.data.end() && it->is_array() ? it->size() : 0;
}

std::string toJsonl(const std::vector<DatasetRecord> &records)
{
    std::string s;
    for (const auto &r : records) {
        // Records come from validated UTF-8; replace rather than throw if a caller built one
        // by hand with bad bytes, so an export never dies half-way.
        s += r.data.dump(-1, ' ', false, json::error_handler_t::replace);
        s += '\n';
    }
    return s;
}

namespace dataset_detail {

void Reporter::error(size_t row, std::string field, std::string message)
{
    m_out.issues.push_back(
        {ValidationIssue::Severity::Error, m_out.file, row, std::move(field), std::move(message)});
}

void Reporter::warning(size_t row, std::string field, std::string message)
{
    m_out.issues.push_back({ValidationIssue::Severity::Warning, m_out.file, row, std::move(field),
                            std::move(message)});
}

void Reporter::fatal(std::string message)
{
    error(0, {}, std::move(message));
    m_out.fatal = true;
}

std::string Reporter::rowName(size_t row) const
{
    return (m_out.fileKind == FileKind::JsonArray ? "element " : "line ") + std::to_string(row);
}

std::string jsonTypeName(const json &v)
{
    switch (v.type()) {
    case json::value_t::null:
        return "null";
    case json::value_t::object:
        return "an object";
    case json::value_t::array:
        return "an array";
    case json::value_t::string:
        return "a string";
    case json::value_t::boolean:
        return "true/false";
    case json::value_t::number_integer:
    case json::value_t::number_unsigned:
    case json::value_t::number_float:
        return "a number";
    default:
        return "a value of an unsupported type";
    }
}

std::string clip(std::string_view s, size_t maxCodePoints)
{
    size_t cps = 0;
    for (size_t i = 0; i < s.size(); ++i) {
        if ((static_cast<unsigned char>(s[i]) & 0xC0) != 0x80 && cps++ == maxCodePoints)
            return std::string(s.substr(0, i)) + "…";
    }
    return std::string(s);
}

std::string asciiLower(std::string_view s)
{
    std::string r(s);
    for (char &c : r)
        if (c >= 'A' && c <= 'Z')
            c = static_cast<char>(c - 'A' + 'a');
    return r;
}

std::optional<json> parseJson(std::string_view text, bool withLine, std::string *reason)
{
    try {
        return json::parse(text);
    } catch (const json::parse_error &e) {
        // nlohmann's message is "[json.exception.parse_error.101] parse error at line 1,
        // column 9: syntax error ..."; keep the position and the reason, drop the jargon.
        std::string what = e.what();
        if (const size_t p = what.find("] ");
            what.rfind("[json.exception", 0) == 0 && p != what.npos)
            what.erase(0, p + 2);
        std::string where;
        const std::string lead = "parse error at line ";
        if (what.rfind(lead, 0) == 0) {
            const size_t comma = what.find(", column ", lead.size());
            const size_t colon = what.find(": ", lead.size());
            if (comma != what.npos && colon != what.npos && comma < colon) {
                const std::string line = what.substr(lead.size(), comma - lead.size());
                const std::string column = what.substr(comma + 9, colon - comma - 9);
                where = withLine ? "line " + line + ", column " + column : "column " + column;
                what.erase(0, colon + 2);
            }
        } else if (what.rfind("parse error: ", 0) == 0) {
            what.erase(0, 13);
        }
        if (reason) {
            *reason = (where.empty() ? std::string() : "at " + where + ": ") + clip(what, 200);
            // Python's print(dict) instead of json.dumps is the usual culprit; say so.
            const size_t first = text.find_first_not_of(" \t\r\n[");
            if (first != text.npos && text.substr(first, 2) == "{'")
                *reason += " (JSON strings need double quotes; was the file written with "
                           "Python's print() or str() instead of json.dumps()?)";
        }
        return std::nullopt;
    }
}

} // namespace dataset_detail

namespace {

enum class KindSource { Forced, Extension, Content };

std::string_view skipBom(std::string_view s)
{
    if (s.size() >= 3 && s.substr(0, 3) == "\xEF\xBB\xBF")
        s.remove_prefix(3);
    return s;
}

FileKind guessKind(std::string_view bytes, const std::string &fileName, const ParseOptions &opt,
                   KindSource &source)
{
    if (opt.fileKind) {
        source = KindSource::Forced;
        return *opt.fileKind;
    }
    source = KindSource::Extension;
    const std::string ext = asciiLower(std::filesystem::path(fileName).extension().string());
    if (ext == ".jsonl" || ext == ".ndjson" || ext == ".jsonlines")
        return FileKind::Jsonl;
    if (ext == ".json")
        return FileKind::JsonArray;
    if (ext == ".csv")
        return FileKind::Csv;
    source = KindSource::Content;
    const std::string_view text = skipBom(bytes);
    const size_t first = text.find_first_not_of(" \t\r\n");
    if (first != text.npos && text[first] == '[')
        return FileKind::JsonArray;
    if (first != text.npos && text[first] == '{')
        return FileKind::Jsonl;
    return FileKind::Csv;
}

// UTF-16 text is full of NUL bytes; name it so the user is not told the file is "binary".
bool looksUtf16(std::string_view b)
{
    if (b.size() >= 2 && ((b[0] == '\xFF' && b[1] == '\xFE') || (b[0] == '\xFE' && b[1] == '\xFF')))
        return true;
    const size_t pairs = std::min<size_t>(b.size(), 512) / 2;
    if (pairs < 4)
        return false;
    size_t evenZeros = 0, oddZeros = 0;
    for (size_t i = 0; i < pairs; ++i) {
        evenZeros += b[2 * i] == '\0';
        oddZeros += b[2 * i + 1] == '\0';
    }
    // ASCII text in UTF-16 has a NUL in every other byte and almost none in the others.
    return (oddZeros * 10 >= pairs * 4 && evenZeros * 10 < pairs) ||
           (evenZeros * 10 >= pairs * 4 && oddZeros * 10 < pairs);
}

// Whole-file problems. Returns false when the file cannot be read as text at all.
bool checkWholeFile(std::string_view bytes, Reporter &rep)
{
    const TextCheck check = checkText(bytes);
    if (check.empty) {
        rep.fatal(bytes.empty() ? "the file is empty"
                                : "the file is empty (it holds only whitespace)");
        return false;
    }
    if (looksUtf16(bytes)) {
        rep.fatal("the file is UTF-16 encoded (Windows \"Unicode\"); re-save it as UTF-8");
        return false;
    }
    if (check.binary) {
        rep.fatal(bytes.find('\0') != bytes.npos
                      ? "the file looks binary (it contains NUL bytes), not a text dataset; "
                        "expected JSON Lines, JSON or CSV text"
                      : "the file looks binary (it contains many control characters), not a "
                        "text dataset; expected JSON Lines, JSON or CSV text");
        return false;
    }
    if (!check.validUtf8) {
        std::string m = "the file is not valid UTF-8 (first invalid byte at offset " +
                        std::to_string(check.firstBadOffset) + ", line " +
                        std::to_string(check.firstBadLine) + "); ";
        m += check.looksGb18030
                 ? "the file looks GBK/GB18030-encoded (Chinese Windows); re-save it as UTF-8"
                 : "it may use a legacy encoding such as Windows-1252 or Latin-1; re-save it "
                   "as UTF-8";
        rep.fatal(std::move(m));
        return false;
    }
    if (check.utf8Bom)
        rep.warning(0, {}, "the file starts with a UTF-8 byte-order mark; it was ignored");
    if (check.crlf)
        rep.warning(0, {}, "the file uses Windows (CRLF) line endings; they were accepted");
    return true;
}

// True when the first non-blank line is a JSON object on its own: the file is JSON Lines.
bool firstLineIsObject(std::string_view text)
{
    size_t pos = 0;
    while (pos < text.size()) {
        size_t end = text.find('\n', pos);
        if (end == text.npos)
            end = text.size();
        const std::string_view line = text.substr(pos, end - pos);
        pos = end + 1;
        if (trim(line).empty())
            continue;
        const auto v = parseJson(line, false, nullptr);
        return v && v->is_object();
    }
    return false;
}

void readJsonContainer(std::string_view text, KindSource source, const ParseOptions &options,
                       Reporter &rep, std::vector<RawRow> &rows)
{
    ParsedDataset &out = rep.out();
    if (out.fileKind == FileKind::Jsonl) {
        // A pretty-printed document saved as .jsonl fails on its first line; when the whole
        // text is one JSON value, read it as what it is instead of reporting every line.
        if (source != KindSource::Forced && !firstLineIsObject(text)) {
            if (auto doc = parseJson(text, true, nullptr)) {
                if (source == KindSource::Extension)
                    rep.warning(0, {},
                                "the file holds one JSON document rather than one object per "
                                "line (JSON Lines); it was read as a JSON document");
                out.fileKind = FileKind::JsonArray;
                readJsonDocument(*doc, rep, rows);
                return;
            }
        }
        readJsonLines(text, options, rep, rows);
        return;
    }
    std::string reason;
    auto doc = parseJson(text, true, &reason);
    if (!doc) {
        // Very common: JSON Lines content in a file named .json.
        if (source != KindSource::Forced && firstLineIsObject(text)) {
            if (source == KindSource::Extension)
                rep.warning(0, {},
                            "the file has one JSON object per line (JSON Lines) although its "
                            "name ends in .json; it was read as JSON Lines");
            out.fileKind = FileKind::Jsonl;
            readJsonLines(text, options, rep, rows);
            return;
        }
        rep.fatal("malformed JSON " + reason);
        return;
    }
    readJsonDocument(*doc, rep, rows);
}

} // namespace

ParsedDataset parseDataset(std::string_view bytes, const std::string &fileName,
                           const ParseOptions &options)
{
    ParsedDataset out;
    out.file = fileName;
    out.formatDetected = options.format == DatasetFormat::Auto;
    if (!out.formatDetected)
        out.format = options.format;
    Reporter rep(out);
    std::vector<RawRow> rows;

    KindSource source = KindSource::Content;
    out.fileKind = guessKind(bytes, fileName, options, source);

    if (checkWholeFile(bytes, rep)) {
        const std::string_view text = skipBom(bytes);
        if (out.fileKind == FileKind::Csv) {
            readCsv(text, options, rep, rows);
        } else {
            readJsonContainer(text, source, options, rep, rows);
            if (!out.fatal)
                resolveFormat(rows, options, rep);
        }
        if (!out.fatal)
            validateRows(rows, rep);
    }

    out.totalRows = rows.size();
    if (out.fatal) {
        out.records.clear();
        out.invalidRows = static_cast<size_t>(
            std::count_if(rows.begin(), rows.end(), [](const RawRow &r) { return r.readerError; }));
    }
    // Readers report some problems late (duplicate ids, CSV groups); present them in file
    // order, whole-file problems first.
    std::stable_sort(
        out.issues.begin(), out.issues.end(),
        [](const ValidationIssue &a, const ValidationIssue &b) { return a.row < b.row; });
    return out;
}

ParsedDataset parseDatasetFile(const std::filesystem::path &path, const ParseOptions &options)
{
    const std::string bytes = readFile(path);
    return parseDataset(bytes, path.filename().string(), options);
}

} // namespace wb

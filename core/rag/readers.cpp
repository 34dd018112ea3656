#include "rag/readers.h"

#include "common/error.h"
#include "common/files.h"
#include "common/text.h"

#include <nlohmann/json.hpp>
#include <unicode/ucnv.h>

#include <algorithm>
#include <cctype>

namespace wb::rag {

namespace fs = std::filesystem;

std::string documentKind(const fs::path &path)
{
    std::string ext = path.extension().string();
    std::transform(ext.begin(), ext.end(), ext.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    if (ext == ".txt" || ext == ".text" || ext == ".log")
        return "txt";
    if (ext == ".md" || ext == ".markdown")
        return "md";
    if (ext == ".html" || ext == ".htm" || ext == ".xhtml")
        return "html";
    if (ext == ".pdf")
        return "pdf";
    if (ext == ".jsonl" || ext == ".ndjson")
        return "jsonl";
    if (ext == ".csv")
        return "csv";
    return {};
}

namespace {

std::string gb18030ToUtf8(std::string_view bytes)
{
    UErrorCode status = U_ZERO_ERROR;
    std::string out(bytes.size() * 2 + 16, '\0');
    const int32_t n = ucnv_convert("UTF-8", "GB18030", out.data(), static_cast<int32_t>(out.size()),
                                   bytes.data(), static_cast<int32_t>(bytes.size()), &status);
    if (U_FAILURE(status))
        return {};
    out.resize(static_cast<size_t>(n));
    return out;
}

std::string normaliseLineEnds(std::string_view s)
{
    std::string out;
    out.reserve(s.size());
    for (size_t i = 0; i < s.size(); ++i) {
        if (s[i] == '\r') {
            out.push_back('\n');
            if (i + 1 < s.size() && s[i + 1] == '\n')
                ++i;
        } else {
            out.push_back(s[i]);
        }
    }
    return out;
}

bool blank(std::string_view s)
{
    return std::all_of(s.begin(), s.end(), [](unsigned char c) { return std::isspace(c); });
}

const char *const kTextFields[] = {"text", "content", "body", "passage", "document", "page_content"};

std::string chooseField(const nlohmann::json &first, const std::string &wanted)
{
    if (!wanted.empty())
        return wanted;
    if (first.is_object())
        for (const char *f : kTextFields)
            if (first.contains(f))
                return f;
    return {};
}

// Appends one record as its own page so citations can say "row N".
void appendRecord(ExtractedDocument &doc, const std::string &text, int row)
{
    if (!doc.text.empty())
        doc.text += "\n\n";
    doc.pages.push_back({doc.text.size(), row});
    doc.text += normaliseLineEnds(text);
}

ExtractedDocument extractJsonl(const std::string &utf8, const ReaderOptions &opt,
                               const std::string &name)
{
    ExtractedDocument doc;
    doc.kind = "jsonl";
    doc.pageLabel = "row";
    std::string field;
    int row = 0;
    for (const std::string_view line : splitLines(utf8)) {
        ++row;
        if (blank(line))
            continue;
        const auto j = nlohmann::json::parse(line, nullptr, false);
        if (j.is_discarded() || !j.is_object()) {
            doc.warnings.push_back("row " + std::to_string(row) + ": not a JSON object");
            continue;
        }
        if (field.empty()) {
            field = chooseField(j, opt.textField);
            if (field.empty()) {
                doc.skipReason = "row " + std::to_string(row) +
                                 ": no text field (looked for text, content, body, passage, "
                                 "document, page_content); choose one";
                return doc;
            }
        }
        const auto it = j.find(field);
        if (it == j.end() || !it->is_string() || blank(it->get<std::string>())) {
            doc.warnings.push_back("row " + std::to_string(row) + ": field '" + field +
                                   "' is missing, not a string or empty");
            continue;
        }
        appendRecord(doc, it->get<std::string>(), row);
    }
    doc.pageCount = row;
    if (doc.pages.empty() && doc.skipReason.empty())
        doc.skipReason = field.empty() ? "no JSON records"
                                       : "no row has text in field '" + field + "'";
    (void)name;
    return doc;
}

// RFC 4180 rows: quoted fields may hold commas, quotes ("") and line breaks. Returns each
// row with the 1-based line it starts on.
std::vector<std::pair<int, std::vector<std::string>>> parseCsv(std::string_view s)
{
    std::vector<std::pair<int, std::vector<std::string>>> rows;
    std::vector<std::string> row;
    std::string field;
    bool quoted = false, any = false;
    int line = 1, rowLine = 1;
    for (size_t i = 0; i < s.size(); ++i) {
        const char c = s[i];
        if (quoted) {
            if (c == '"' && i + 1 < s.size() && s[i + 1] == '"') {
                field.push_back('"');
                ++i;
            } else if (c == '"') {
                quoted = false;
            } else {
                if (c == '\n')
                    ++line;
                field.push_back(c);
            }
            continue;
        }
        if (c == '"') {
            quoted = true;
            any = true;
        } else if (c == ',') {
            row.push_back(std::move(field));
            field.clear();
            any = true;
        } else if (c == '\n') {
            row.push_back(std::move(field));
            field.clear();
            if (any || row.size() > 1 || !row[0].empty())
                rows.emplace_back(rowLine, std::move(row));
            row.clear();
            any = false;
            rowLine = ++line;
        } else {
            field.push_back(c);
            any = true;
        }
    }
    if (any || !field.empty()) {
        row.push_back(std::move(field));
        rows.emplace_back(rowLine, std::move(row));
    }
    return rows;
}

ExtractedDocument extractCsv(const std::string &utf8, const ReaderOptions &opt)
{
    ExtractedDocument doc;
    doc.kind = "csv";
    doc.pageLabel = "row";
    const auto rows = parseCsv(utf8);
    if (rows.empty()) {
        doc.skipReason = "empty CSV file";
        return doc;
    }
    const auto &header = rows[0].second;
    nlohmann::json names = nlohmann::json::object();
    for (const auto &h : header)
        names[trim(h)] = true;
    const std::string field = chooseField(names, opt.textField);
    const auto col = std::find_if(header.begin(), header.end(),
                                  [&](const std::string &h) { return trim(h) == field; });
    if (field.empty() || col == header.end()) {
        doc.skipReason = field.empty() ? "header has no text column (looked for text, content, "
                                         "body, passage, document, page_content); choose one"
                                       : "header has no column '" + field + "'";
        return doc;
    }
    const size_t index = static_cast<size_t>(col - header.begin());
    for (size_t r = 1; r < rows.size(); ++r) {
        const auto &[line, cells] = rows[r];
        if (index >= cells.size() || blank(cells[index])) {
            doc.warnings.push_back("line " + std::to_string(line) + ": column '" + field +
                                   "' is empty");
            continue;
        }
        appendRecord(doc, cells[index], line);
    }
    doc.pageCount = static_cast<int>(rows.size()) - 1;
    if (doc.pages.empty())
        doc.skipReason = "no row has text in column '" + field + "'";
    return doc;
}

} // namespace

bool decodeText(std::string_view bytes, std::string &out, std::string &reason)
{
    const TextCheck check = checkText(bytes);
    if (check.binary) {
        reason = "binary file (NUL or control bytes), not text";
        return false;
    }
    if (check.utf8Bom)
        bytes.remove_prefix(3);
    if (check.validUtf8) {
        out = normaliseLineEnds(bytes);
        return true;
    }
    if (check.looksGb18030) {
        const std::string converted = gb18030ToUtf8(bytes);
        if (!converted.empty() && isValidUtf8(converted)) {
            out = normaliseLineEnds(converted);
            return true;
        }
    }
    reason = "unreadable encoding: not UTF-8 (invalid byte at line " +
             std::to_string(check.firstBadLine) + ") nor GB18030";
    return false;
}

ExtractedDocument extractDocument(std::string_view bytes, const std::string &kind,
                                  const ReaderOptions &options, const std::string &name)
{
    if (kind == "pdf")
        return extractPdf(bytes, name);
    ExtractedDocument doc;
    doc.kind = kind;
    std::string text, reason;
    if (kind.empty()) {
        doc.skipReason = "unsupported file type (knowledge bases read txt, md, html, pdf, jsonl, csv)";
        return doc;
    }
    if (!decodeText(bytes, text, reason)) {
        doc.skipReason = reason;
        return doc;
    }
    if (kind == "jsonl")
        doc = extractJsonl(text, options, name);
    else if (kind == "csv")
        doc = extractCsv(text, options);
    else if (kind == "html")
        doc.text = htmlToText(text);
    else
        doc.text = std::move(text);
    if (!doc.skipped() && blank(doc.text))
        doc.skipReason = "no text";
    return doc;
}

ExtractedDocument readDocument(const fs::path &path, const ReaderOptions &options)
{
    const std::string kind = documentKind(path);
    if (kind.empty()) {
        ExtractedDocument doc;
        doc.skipReason = "unsupported file type '" + path.extension().string() +
                         "' (knowledge bases read txt, md, html, pdf, jsonl, csv)";
        return doc;
    }
    return extractDocument(readFile(path), kind, options, path.string());
}

} // namespace wb::rag

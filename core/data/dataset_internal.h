#pragma once

// Shared by core/data/dataset*.cpp only; not part of the public interface.

#include "data/dataset.h"

#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

namespace wb::dataset_detail {

// Collects the issues of one file. Keeps the once-per-file warnings apart so a problem
// repeated on 10,000 rows is reported once instead of burying the real errors.
class Reporter
{
public:
    explicit Reporter(ParsedDataset &out) : m_out(out) {}

    void error(size_t row, std::string field, std::string message);
    void warning(size_t row, std::string field, std::string message);
    // A whole-file problem that makes the file unusable.
    void fatal(std::string message);
    // True the first time `key` is seen in this file.
    bool firstTime(const std::string &key) { return m_once.insert(key).second; }
    // How a row is named in messages that point at another row: "line 3" or "element 3".
    std::string rowName(size_t row) const;

    ParsedDataset &out() { return m_out; }

private:
    ParsedDataset &m_out;
    std::set<std::string> m_once;
};

// One data row as its container delivered it, before the format's rules are applied.
struct RawRow
{
    size_t row = 0;
    std::optional<nlohmann::json> value; // nullopt: unreadable (already reported)
    bool readerError = false;            // the container reader reported an error for it
    std::vector<size_t> questionRows;    // CSV logic: the source line of each question
    std::set<std::string> reported;      // field paths the reader already reported
};

// "a string", "a number", "an array", ... for messages.
std::string jsonTypeName(const nlohmann::json &v);
// Shortens text quoted in a message so one huge cell does not flood the issue list.
std::string clip(std::string_view s, size_t maxCodePoints = 60);
std::string asciiLower(std::string_view s);

// The format a record's keys point to, if any (Logic, then Alpaca, then Chat).
std::optional<DatasetFormat> formatFromKeys(const nlohmann::json &object);
// "id, problem, questions" for messages.
std::string joinKeys(const nlohmann::json &object);
// The supported formats and their fields, appended to detection failures.
extern const char *const kSupportedFormats;

// Container readers (dataset_parse.cpp). Each appends rows and reports problems through
// the reporter; a whole-file problem sets out().fatal.
void readJsonLines(std::string_view text, const ParseOptions &options, Reporter &rep,
                   std::vector<RawRow> &rows);
void readJsonDocument(const nlohmann::json &doc, Reporter &rep, std::vector<RawRow> &rows);
// CSV needs the format to know how to group rows, so it settles the format itself.
void readCsv(std::string_view text, const ParseOptions &options, Reporter &rep,
             std::vector<RawRow> &rows);

// Parses a JSON text; on failure returns nullopt and a user-facing reason that includes
// the line (when `withLine`) and column of the error.
std::optional<nlohmann::json> parseJson(std::string_view text, bool withLine, std::string *reason);

// Format rules (dataset_validate.cpp).
// Settles out().format for JSON containers: detects it or checks the forced one.
void resolveFormat(const std::vector<RawRow> &rows, const ParseOptions &options, Reporter &rep);
// Applies the format's rules to each row: valid rows become records, the others are counted.
void validateRows(std::vector<RawRow> &rows, Reporter &rep);

} // namespace wb::dataset_detail

#pragma once

#include <nlohmann/json.hpp>

#include <cstdint>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace wb {

// The record shapes a dataset can hold. See FORMATS.md.
enum class DatasetFormat {
    Auto,   // detect from the content (only valid as a request, never as a result)
    Logic,  // {id, problem, questions[{question, options[], answer?}]}
    Alpaca, // {instruction, input, output, system?}
    Chat,   // {messages[{role, content}]} or sharegpt {conversations[{from, value}]}
};

const char *formatName(DatasetFormat f);                     // "logic", "alpaca", "chat", "auto"
std::optional<DatasetFormat> formatFromName(std::string_view name); // inverse; nullopt if unknown

// The container a file uses.
enum class FileKind { Jsonl, JsonArray, Csv };
const char *fileKindName(FileKind k);

// One problem found while reading a file. Row is the 1-based line in the source file for
// JSONL and CSV (the physical line where the record starts) and the 1-based element
// index for a JSON array; 0 when the problem concerns the whole file.
struct ValidationIssue
{
    enum class Severity { Error, Warning };
    Severity severity = Severity::Error;
    std::string file;
    size_t row = 0;
    std::string field;   // JSON path such as "questions[1].answer"; empty for whole-row problems
    std::string message; // what is wrong, for a user

    // "train.jsonl:17: questions[1].answer: 'Z' is not one of the option letters A–D"
    std::string toString() const;
};

// A parsed, valid record in normalised form:
//  Logic:  {"id", "problem", "questions": [{"question", "options": [...], "answer"?}]}
//          (an extra per-question "rationale" string is kept when present)
//  Alpaca: {"instruction", "input", "output", "system"}   (missing optional fields are "")
//  Chat:   {"messages": [{"role": "system"|"user"|"assistant", "content"}]}
//          (sharegpt from=human/gpt/system is mapped to user/assistant/system)
struct DatasetRecord
{
    size_t row = 0; // same numbering as ValidationIssue::row
    nlohmann::json data;
};

struct ParsedDataset
{
    std::string file; // file name used in messages
    FileKind fileKind = FileKind::Jsonl;
    DatasetFormat format = DatasetFormat::Logic; // detected or forced
    bool formatDetected = true;                  // false when the caller forced it
    std::vector<DatasetRecord> records;          // valid records only, in file order
    std::vector<ValidationIssue> issues;         // every problem, in file order
    size_t totalRows = 0;                        // records seen, valid or not
    size_t invalidRows = 0;                      // rows rejected (each has >= 1 error issue)
    bool fatal = false; // the file as a whole is unusable (empty, binary, bad encoding, ...)

    bool ok() const { return !fatal && invalidRows == 0; }
    size_t errorCount() const;
};

struct ParseOptions
{
    DatasetFormat format = DatasetFormat::Auto;
    std::optional<FileKind> fileKind;   // default: from the extension, then from content
    size_t maxLineBytes = 4 * 1024 * 1024; // longer lines are reported, not parsed
    std::string csvTextField;           // reserved for later use
};

// Parses and validates bytes already in memory. `fileName` is used in messages and to
// guess the container from its extension (.jsonl/.json/.csv). Never throws for bad input:
// every problem becomes a ValidationIssue.
ParsedDataset parseDataset(std::string_view bytes, const std::string &fileName,
                           const ParseOptions &options = {});

// Reads the file then calls the above. Throws Error(Io) when the file cannot be read.
ParsedDataset parseDatasetFile(const std::filesystem::path &path, const ParseOptions &options = {});

// Serialises records back as JSONL in normalised form (one object per line, UTF-8, '\n').
std::string toJsonl(const std::vector<DatasetRecord> &records);

// Number of prompts a record yields: sub-questions for Logic, 1 otherwise.
size_t promptCount(DatasetFormat format, const DatasetRecord &record);

struct LengthStats
{
    size_t count = 0;
    size_t min = 0, max = 0; // in Unicode code points
    double mean = 0;
    size_t p50 = 0, p95 = 0;
};

struct DatasetStats
{
    DatasetFormat format = DatasetFormat::Logic;
    size_t rows = 0;
    size_t subQuestions = 0;                     // Logic only; equals rows otherwise
    size_t answered = 0;                         // Logic: sub-questions with an answer
    std::map<size_t, size_t> optionCounts;       // Logic: number of options -> questions
    std::map<std::string, size_t> answerLetters; // Logic: "A" -> count
    std::map<std::string, LengthStats> lengths;  // field name -> length statistics
    std::map<std::string, size_t> roles;         // Chat: role -> message count
};

DatasetStats computeStats(DatasetFormat format, const std::vector<DatasetRecord> &records);

struct DatasetSplit
{
    std::vector<DatasetRecord> train;
    std::vector<DatasetRecord> eval;
};

// Deterministic by seed: the same records, fraction and seed always give the same split.
// Records are kept whole (a logic problem and all its questions go to one side). At least
// one record goes to eval when fraction > 0 and there are two or more records.
DatasetSplit splitDataset(const std::vector<DatasetRecord> &records, double evalFraction,
                          uint64_t seed);

// Letter for an option index: 0 -> "A", 25 -> "Z", 26 -> "AA".
std::string optionLetter(size_t index);

} // namespace wb

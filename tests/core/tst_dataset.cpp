#include "common/error.h"
#include "data/dataset.h"

#include "test_util.h"

#include <QObject>
#include <QTemporaryDir>

#include <fstream>
#include <set>

using namespace wb;
using nlohmann::json;
using Severity = ValidationIssue::Severity;

// QCOMPARE on nlohmann::json drags in QTest's float overloads; compare the serialisations,
// which also prints both sides on failure.
#define JSON_COMPARE(actual, expected) QCOMPARE((actual).dump(), json(expected).dump())

namespace {

ParsedDataset parse(std::string_view bytes, const std::string &name = "t.jsonl",
                    DatasetFormat format = DatasetFormat::Auto)
{
    ParseOptions o;
    o.format = format;
    return parseDataset(bytes, name, o);
}

// The issues of one severity as "file:row: field: message" lines, for exact comparisons
// with readable failure output.
std::string issues(const ParsedDataset &d, Severity s)
{
    std::string out;
    for (const auto &i : d.issues)
        if (i.severity == s)
            out += i.toString() + "\n";
    return out;
}
std::string errors(const ParsedDataset &d)
{
    return issues(d, Severity::Error);
}
std::string warnings(const ParsedDataset &d)
{
    return issues(d, Severity::Warning);
}

bool contains(const std::string &haystack, const std::string &needle)
{
    return haystack.find(needle) != std::string::npos;
}

std::vector<size_t> rows(const ParsedDataset &d)
{
    std::vector<size_t> r;
    for (const auto &rec : d.records)
        r.push_back(rec.row);
    return r;
}

// A valid logic line with the given id.
std::string logicLine(const std::string &id, const std::string &answer = "A")
{
    return R"({"id":")" + id + R"(","problem":"P )" + id +
           R"(","questions":[{"question":"Q","options":["a","b","c"],"answer":")" + answer +
           R"("}]})";
}

std::vector<std::string> ids(const std::vector<DatasetRecord> &records)
{
    std::vector<std::string> r;
    for (const auto &rec : records)
        r.push_back(rec.data.at("id").get<std::string>());
    return r;
}

} // namespace

class TstDataset : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    // Names and small helpers
    void formatNames();
    void optionLetters();
    void issueToString();

    // Containers
    void logicJsonl();
    void logicJsonArray();
    void jsonArrayWrappedInObject();
    void jsonTopLevelNotArray();
    void jsonArrayMalformed();
    void jsonlMalformedLine();
    void jsonlRowNotObject();
    void jsonlPythonRepr();
    void containerGuessedFromContent();
    void jsonlContentInJsonFile();
    void jsonDocumentInJsonlFile();
    void forcedFileKind();

    // Logic rules
    void logicMissingFields();
    void logicMistypedFields();
    void logicAnswers();
    void logicOptions();
    void logicEmptyTexts();
    void logicDuplicateIds();
    void logicDuplicateIdsInJsonArray();
    void logicWithoutAnswersIsValid();
    void logicRationaleAliases();
    void unknownFieldsWarnedOnce();

    // Alpaca and chat
    void alpacaJsonl();
    void alpacaErrors();
    void chatMessages();
    void chatSharegpt();
    void chatErrors();

    // Format detection
    void formatNotDetected();
    void formatNotDetectedNoObjects();
    void forcedFormatMismatch();
    void forcedFormatMatching();

    // Whole-file problems
    void utf8Bom();
    void crlfLineEndings();
    void gb18030File();
    void latin1File();
    void binaryFile();
    void utf16File();
    void emptyFile();
    void overlongLine();

    // CSV
    void csvLogicGroupsRows();
    void csvLogicFieldErrorsPointAtTheirLine();
    void csvStructuralErrors();
    void csvHeaderProblems();
    void csvAlpaca();
    void csvChatUnsupported();
    void csvDuplicateIdsAcrossGroups();
    void csvCrlfInsideQuotes();

    // Output, stats, split, files
    void issuesInFileOrder();
    void toJsonlRoundTrip();
    void statsLogic();
    void statsAlpacaPercentiles();
    void statsChat();
    void splitDeterministic();
    void splitEdgeCases();
    void parseFromFile();
};

// ---------------------------------------------------------------------------------------

void TstDataset::formatNames()
{
    for (DatasetFormat f :
         {DatasetFormat::Auto, DatasetFormat::Logic, DatasetFormat::Alpaca, DatasetFormat::Chat})
        QVERIFY(formatFromName(formatName(f)) == f);
    WB_COMPARE_STR(formatName(DatasetFormat::Logic), "logic");
    WB_COMPARE_STR(formatName(DatasetFormat::Alpaca), "alpaca");
    WB_COMPARE_STR(formatName(DatasetFormat::Chat), "chat");
    WB_COMPARE_STR(formatName(DatasetFormat::Auto), "auto");
    QVERIFY(formatFromName("Chat") == DatasetFormat::Chat);
    QVERIFY(!formatFromName("sharegpt-ish"));
    QVERIFY(!formatFromName(""));
    WB_COMPARE_STR(fileKindName(FileKind::Jsonl), "jsonl");
    WB_COMPARE_STR(fileKindName(FileKind::JsonArray), "json");
    WB_COMPARE_STR(fileKindName(FileKind::Csv), "csv");
}

void TstDataset::optionLetters()
{
    WB_COMPARE_STR(optionLetter(0), "A");
    WB_COMPARE_STR(optionLetter(3), "D");
    WB_COMPARE_STR(optionLetter(25), "Z");
    WB_COMPARE_STR(optionLetter(26), "AA");
    WB_COMPARE_STR(optionLetter(27), "AB");
    WB_COMPARE_STR(optionLetter(701), "ZZ");
    WB_COMPARE_STR(optionLetter(702), "AAA");
}

void TstDataset::issueToString()
{
    ValidationIssue i{Severity::Error, "train.jsonl", 17, "questions[1].answer", "bad"};
    WB_COMPARE_STR(i.toString(), "train.jsonl:17: questions[1].answer: bad");
    i.field.clear();
    WB_COMPARE_STR(i.toString(), "train.jsonl:17: bad");
    i.row = 0;
    WB_COMPARE_STR(i.toString(), "train.jsonl: bad");
}

// ---------------------------------------------------------------------------------------
// Containers

void TstDataset::logicJsonl()
{
    const std::string text =
        R"({"id":"p1","problem":"Three friends.","questions":[{"question":"Who is first?","options":["Ann","Bob","Cy","Dee"],"answer":"C"},{"question":"Who is last?","options":["Ann","Bob"],"answer":"A","explanation":"because"}]})"
        "\n\n   \n"
        R"({"id":17,"problem":"Two boxes.","questions":[{"question":"Which?","options":["x","y",3]}]})"
        "\n";
    const auto d = parse(text);
    WB_COMPARE_STR(errors(d), "");
    WB_COMPARE_STR(warnings(d), "");
    QVERIFY(d.ok());
    QVERIFY(!d.fatal);
    QVERIFY(d.fileKind == FileKind::Jsonl);
    QVERIFY(d.format == DatasetFormat::Logic);
    QVERIFY(d.formatDetected);
    QCOMPARE(d.totalRows, size_t(2));
    QCOMPARE(d.invalidRows, size_t(0));
    // Rows are physical lines: the blank lines are skipped but still counted.
    QCOMPARE(rows(d), (std::vector<size_t>{1, 4}));
    const json first = json::parse(
        R"({"id":"p1","problem":"Three friends.","questions":[{"question":"Who is first?","options":["Ann","Bob","Cy","Dee"],"answer":"C"},{"question":"Who is last?","options":["Ann","Bob"],"answer":"A","rationale":"because"}]})");
    JSON_COMPARE(d.records[0].data, first);
    // A numeric id becomes a string; a numeric option becomes text; no answer stays absent.
    const json second = json::parse(
        R"({"id":"17","problem":"Two boxes.","questions":[{"question":"Which?","options":["x","y","3"]}]})");
    JSON_COMPARE(d.records[1].data, second);
    QCOMPARE(promptCount(DatasetFormat::Logic, d.records[0]), size_t(2));
    QCOMPARE(promptCount(DatasetFormat::Logic, d.records[1]), size_t(1));
    QCOMPARE(promptCount(DatasetFormat::Alpaca, d.records[0]), size_t(1));
}

void TstDataset::logicJsonArray()
{
    const std::string text = "[\n  " + logicLine("a") + ",\n  " + logicLine("b", "C") + "\n]\n";
    const auto d = parse(text, "t.json");
    WB_COMPARE_STR(errors(d) + warnings(d), "");
    QVERIFY(d.ok());
    QVERIFY(d.fileKind == FileKind::JsonArray);
    QVERIFY(d.format == DatasetFormat::Logic);
    // Rows of a JSON array are 1-based element indexes.
    QCOMPARE(rows(d), (std::vector<size_t>{1, 2}));
    QCOMPARE(ids(d.records), (std::vector<std::string>{"a", "b"}));
    WB_COMPARE_STR(d.records[1].data["questions"][0]["answer"].get<std::string>(), "C");
}

void TstDataset::jsonArrayWrappedInObject()
{
    const auto d = parse(R"({"data": [)" + logicLine("a") + "," + logicLine("b") + "]}", "t.json");
    WB_COMPARE_STR(errors(d), "");
    WB_COMPARE_STR(warnings(d), "t.json: the file is an object with the single key \"data\"; the "
                                "records were read from its array\n");
    QVERIFY(d.ok());
    QCOMPARE(ids(d.records), (std::vector<std::string>{"a", "b"}));
}

void TstDataset::jsonTopLevelNotArray()
{
    auto d = parse(R"({"name": "x", "rows": [1, 2]})", "t.json");
    QVERIFY(d.fatal);
    QVERIFY(!d.ok());
    WB_COMPARE_STR(errors(d), "t.json: expected a JSON array of records ([{...}, {...}]) at the "
                              "top level, found an object with the keys name, rows\n");

    // A single record is not silently taken for a dataset of one.
    d = parse(logicLine("a"), "t.json");
    QVERIFY(d.fatal);
    QVERIFY(contains(errors(d), "found a single record (an object with the keys id, problem, "
                                "questions); enclose it in [ ]"));
    QVERIFY(d.records.empty());

    d = parse("42", "t.json");
    QVERIFY(d.fatal);
    WB_COMPARE_STR(errors(d), "t.json: expected a JSON array of records ([{...}, {...}]) at the "
                              "top level, found a number\n");

    d = parse("[ ]", "t.json");
    QVERIFY(d.fatal);
    WB_COMPARE_STR(errors(d), "t.json: the JSON array is empty: the file holds no records\n");

    d = parse("[" + logicLine("a") + R"(, 7, "x"])", "t.json");
    QVERIFY(!d.fatal);
    WB_COMPARE_STR(errors(d),
                   "t.json:2: each element of the array must be a JSON object ({...}), found a "
                   "number\n"
                   "t.json:3: each element of the array must be a JSON object ({...}), found a "
                   "string\n");
    QCOMPARE(d.totalRows, size_t(3));
    QCOMPARE(d.invalidRows, size_t(2));
    QCOMPARE(d.records.size(), size_t(1));
}

void TstDataset::jsonArrayMalformed()
{
    const std::string text = "[\n  " + logicLine("a") + ",\n  {\"id\": \"b\" \"problem\": 1}\n]\n";
    const auto d = parse(text, "t.json");
    QVERIFY(d.fatal);
    QVERIFY(d.records.empty());
    QCOMPARE(d.issues.size(), size_t(1));
    const auto &i = d.issues[0];
    QCOMPARE(i.row, size_t(0));
    // The parser's position (line 3) and its reason reach the user.
    QVERIFY2(i.message.rfind("malformed JSON at line 3, column ", 0) == 0, i.message.c_str());
    QVERIFY2(contains(i.message, "syntax error"), i.message.c_str());
    QVERIFY2(!contains(i.message, "json.exception"), i.message.c_str());
}

void TstDataset::jsonlMalformedLine()
{
    const std::string text =
        logicLine("a") + "\n" + R"({"id": "b", "problem": })" + "\n" + logicLine("c") + "\n";
    const auto d = parse(text);
    QVERIFY(!d.fatal);
    QCOMPARE(d.totalRows, size_t(3));
    QCOMPARE(d.invalidRows, size_t(1));
    QCOMPARE(rows(d), (std::vector<size_t>{1, 3}));
    QCOMPARE(d.issues.size(), size_t(1));
    const auto &i = d.issues[0];
    QCOMPARE(i.row, size_t(2));
    QVERIFY(i.field.empty());
    QVERIFY2(i.message.rfind("malformed JSON at column 24: syntax error", 0) == 0,
             i.message.c_str());
}

void TstDataset::jsonlPythonRepr()
{
    const auto d = parse(logicLine("a") + "\n{'id': 'b', 'problem': 'p'}\n");
    QCOMPARE(d.invalidRows, size_t(1));
    WB_COMPARE_STR(errors(d),
                   "t.jsonl:2: malformed JSON at column 2: syntax error while parsing object key "
                   "- invalid literal; last read: '{''; expected string literal (JSON strings "
                   "need double quotes; was the file written with Python's print() or str() "
                   "instead of json.dumps()?)\n");
}

void TstDataset::jsonlRowNotObject()
{
    const auto d = parse(logicLine("a") + "\n[1, 2]\n42\n\"text\"\n");
    WB_COMPARE_STR(errors(d),
                   "t.jsonl:2: each line must be a JSON object ({...}), found an array\n"
                   "t.jsonl:3: each line must be a JSON object ({...}), found a number\n"
                   "t.jsonl:4: each line must be a JSON object ({...}), found a string\n");
    QCOMPARE(d.totalRows, size_t(4));
    QCOMPARE(d.invalidRows, size_t(3));
    QCOMPARE(d.records.size(), size_t(1));
    QVERIFY(!d.ok());
}

void TstDataset::containerGuessedFromContent()
{
    auto d = parse("  [" + logicLine("a") + "]", "upload.txt");
    QVERIFY(d.ok());
    QVERIFY(d.fileKind == FileKind::JsonArray);

    d = parse(logicLine("a") + "\n" + logicLine("b"), "upload");
    QVERIFY(d.ok());
    QVERIFY(d.fileKind == FileKind::Jsonl);
    QCOMPARE(d.records.size(), size_t(2));

    d = parse("instruction,output\nSay hi,hi\n", "upload.dat");
    QVERIFY(d.ok());
    QVERIFY(d.fileKind == FileKind::Csv);
    QVERIFY(d.format == DatasetFormat::Alpaca);

    // Extensions are matched without regard to case.
    d = parse(logicLine("a") + "\n" + logicLine("b"), "TRAIN.JSONL");
    QVERIFY(d.fileKind == FileKind::Jsonl);
    d = parse(logicLine("a") + "\n" + logicLine("b"), "data.ndjson");
    QVERIFY(d.fileKind == FileKind::Jsonl);
    QVERIFY(d.ok());
}

void TstDataset::jsonlContentInJsonFile()
{
    const auto d = parse(logicLine("a") + "\n" + logicLine("b") + "\n", "t.json");
    WB_COMPARE_STR(errors(d), "");
    WB_COMPARE_STR(warnings(d), "t.json: the file has one JSON object per line (JSON Lines) "
                                "although its name ends in .json; it was read as JSON Lines\n");
    QVERIFY(d.fileKind == FileKind::Jsonl);
    QCOMPARE(rows(d), (std::vector<size_t>{1, 2}));
}

void TstDataset::jsonDocumentInJsonlFile()
{
    const std::string text = "[\n  " + logicLine("a") + ",\n  " + logicLine("b") + "\n]\n";
    const auto d = parse(text, "t.jsonl");
    WB_COMPARE_STR(errors(d), "");
    WB_COMPARE_STR(warnings(d), "t.jsonl: the file holds one JSON document rather than one "
                                "object per line (JSON Lines); it was read as a JSON document\n");
    QVERIFY(d.fileKind == FileKind::JsonArray);
    QCOMPARE(ids(d.records), (std::vector<std::string>{"a", "b"}));
}

void TstDataset::forcedFileKind()
{
    // The caller's choice wins over the extension, and over what the content looks like.
    ParseOptions o;
    o.fileKind = FileKind::Csv;
    auto d = parseDataset("instruction,output\nx,y\n", "weird.json", o);
    QVERIFY(d.ok());
    QVERIFY(d.fileKind == FileKind::Csv);

    o.fileKind = FileKind::Jsonl;
    d = parseDataset("[\n" + logicLine("a") + "\n]\n", "t.json", o);
    QVERIFY(d.fileKind == FileKind::Jsonl);
    QCOMPARE(d.totalRows, size_t(3));
    QVERIFY(contains(errors(d), "t.json:1: malformed JSON"));
    QVERIFY(contains(errors(d), "t.json:3: malformed JSON"));
    QCOMPARE(d.records.size(), size_t(1));
}

// ---------------------------------------------------------------------------------------
// Logic rules

void TstDataset::logicMissingFields()
{
    const std::string text = logicLine("a") + "\n" + R"({"problem":"p"})" + "\n" +
                             R"({"id":"c","questions":[{"options":["a","b"]}]})" + "\n" +
                             R"({"id":"d","problem":"p","questions":[{"question":"q"}]})" + "\n";
    const auto d = parse(text);
    WB_COMPARE_STR(
        errors(d),
        "t.jsonl:2: id: missing field 'id'; each problem needs a unique id\n"
        "t.jsonl:2: questions: missing field 'questions' (a list of questions with options)\n"
        "t.jsonl:3: problem: missing field 'problem' (the text of the puzzle)\n"
        "t.jsonl:3: questions[0].question: missing field 'question' (the question text)\n"
        "t.jsonl:4: questions[0].options: missing field 'options' (the list of choices)\n");
    QCOMPARE(d.totalRows, size_t(4));
    QCOMPARE(d.invalidRows, size_t(3));
    QCOMPARE(d.errorCount(), size_t(5));
    QCOMPARE(rows(d), (std::vector<size_t>{1}));
    QVERIFY(!d.ok());
    QVERIFY(!d.fatal);
}

void TstDataset::logicMistypedFields()
{
    const std::string text =
        logicLine("a") + "\n" + R"({"id":1.5,"problem":7,"questions":"q"})" + "\n" +
        R"({"id":"c","problem":"p","questions":["q",{"question":3,"options":"a|b","answer":2}]})" +
        "\n" +
        R"({"id":"d","problem":"p","questions":[{"question":"q","options":["a",{"x":1},3]}]})" +
        "\n" +
        R"({"id":42,"problem":"p","questions":[{"question":"q","options":["a","b"],"answer":"B"}]})" +
        "\n" +
        R"({"id":"f","problem":"p","questions":[{"question":"q","options":["a","b"],"answer":["A"]}]})" +
        "\n";
    const auto d = parse(text);
    WB_COMPARE_STR(
        errors(d),
        "t.jsonl:2: id: id must be a string or a whole number, found a number\n"
        "t.jsonl:2: problem: problem must be a string, found a number\n"
        "t.jsonl:2: questions: questions must be an array of question objects, found a string\n"
        "t.jsonl:3: questions[0]: each question must be an object with 'question' and "
        "'options', found a string\n"
        "t.jsonl:3: questions[1].question: question must be a string, found a number\n"
        "t.jsonl:3: questions[1].options: options must be an array of strings, found a string\n"
        "t.jsonl:3: questions[1].answer: answer must be an option letter such as \"A\", found a "
        "number\n"
        "t.jsonl:4: questions[0].options[1]: option B must be a string, found an object\n"
        "t.jsonl:6: questions[0].answer: answer must be an option letter such as \"A\", found "
        "an array\n");
    QCOMPARE(rows(d), (std::vector<size_t>{1, 5}));
    WB_COMPARE_STR(d.records[1].data["id"].get<std::string>(), "42");
    QCOMPARE(d.invalidRows, size_t(4));
}

void TstDataset::logicAnswers()
{
    int n = 0;
    const auto q = [&n](const std::string &answer) {
        return R"({"id":"q)" + std::to_string(++n) +
               R"(","problem":"p","questions":[{"question":"q","options":["w","x","y","z"],"answer":)" +
               answer + "}]}\n";
    };
    const std::string text =
        q(R"("Z")") + q(R"("c")") + q(R"("y")") + q("\"(B)\"") + q(R"("")") + q("null") +
        q(R"(" D ")") +
        R"({"id":"many","problem":"p","questions":[{"question":"q","options":["a","b"],"answer":"B"},{"question":"q2","options":["1","2","3","4","5"],"answer":"E"}]})" +
        "\n";
    const auto d = parse(text);
    WB_COMPARE_STR(errors(d),
                   "t.jsonl:1: questions[0].answer: answer 'Z' is not one of the option letters "
                   "A–D\n"
                   "t.jsonl:3: questions[0].answer: answer 'y' is not one of the option letters "
                   "A–D (it is the text of option C; give the letter instead)\n"
                   "t.jsonl:4: questions[0].answer: answer '(B)' is not one of the option "
                   "letters A–D (write just the letter 'B')\n");
    WB_COMPARE_STR(warnings(d),
                   "t.jsonl:2: questions[0].answer: answer 'c' is lower-case; read as 'C'\n");
    QCOMPARE(rows(d), (std::vector<size_t>{2, 5, 6, 7, 8}));
    // Lower case is normalised; an empty or null answer means "no answer"; spaces are trimmed.
    WB_COMPARE_STR(d.records[0].data["questions"][0]["answer"].get<std::string>(), "C");
    QVERIFY(!d.records[1].data["questions"][0].contains("answer"));
    QVERIFY(!d.records[2].data["questions"][0].contains("answer"));
    WB_COMPARE_STR(d.records[3].data["questions"][0]["answer"].get<std::string>(), "D");
    WB_COMPARE_STR(d.records[4].data["questions"][1]["answer"].get<std::string>(), "E");
}

void TstDataset::logicOptions()
{
    const std::string text =
        R"({"id":"a","problem":"p","questions":[{"question":"q","options":[],"answer":"A"}]})"
        "\n"
        R"({"id":"b","problem":"p","questions":[{"question":"q","options":["a"," ","c"]}]})"
        "\n"
        R"({"id":"c","problem":"p","questions":[{"question":"q","options":["only"]}]})"
        "\n"
        R"({"id":"d","problem":"p","questions":[{"question":"q","options":["a","b"]},{"question":"q2","options":"a"}]})"
        "\n";
    const auto d = parse(text);
    WB_COMPARE_STR(
        errors(d),
        "t.jsonl:1: questions[0].options: options is empty; a question needs at least 2 "
        "options\n"
        "t.jsonl:2: questions[0].options[1]: option B is empty\n"
        "t.jsonl:3: questions[0].options: a question needs at least 2 options, found 1\n"
        "t.jsonl:4: questions[1].options: options must be an array of strings, found a string\n");
    QCOMPARE(d.invalidRows, size_t(4));
    QVERIFY(d.records.empty());
}

void TstDataset::logicEmptyTexts()
{
    const std::string text =
        R"({"id":"a","problem":"  ","questions":[{"question":"","options":["a","b"]}]})"
        "\n"
        R"({"id":" ","problem":"p","questions":[]})"
        "\n";
    const auto d = parse(text);
    WB_COMPARE_STR(errors(d),
                   "t.jsonl:1: problem: problem is empty\n"
                   "t.jsonl:1: questions[0].question: question is empty\n"
                   "t.jsonl:2: id: id is empty\n"
                   "t.jsonl:2: questions: questions is empty; a problem needs at least one "
                   "question\n");
    QCOMPARE(d.invalidRows, size_t(2));
}

void TstDataset::logicDuplicateIds()
{
    // The first occurrence is valid; later ones name its line. A record that is invalid for
    // another reason still claims its id.
    const std::string text = logicLine("p1") + "\n" + logicLine("p2") + "\n" + logicLine("p1") +
                             "\n\n" + logicLine("p1") + "\n" +
                             R"({"id":"p3","problem":"","questions":[]})" + "\n" + logicLine("p3") +
                             "\n";
    const auto d = parse(text);
    WB_COMPARE_STR(errors(d),
                   "t.jsonl:3: id: id 'p1' is already used by the problem on line 1; ids must "
                   "be unique\n"
                   "t.jsonl:5: id: id 'p1' is already used by the problem on line 1; ids must "
                   "be unique\n"
                   "t.jsonl:6: problem: problem is empty\n"
                   "t.jsonl:6: questions: questions is empty; a problem needs at least one "
                   "question\n"
                   "t.jsonl:7: id: id 'p3' is already used by the problem on line 6; ids must "
                   "be unique\n");
    QCOMPARE(ids(d.records), (std::vector<std::string>{"p1", "p2"}));
    QCOMPARE(d.invalidRows, size_t(4));
    QCOMPARE(d.totalRows, size_t(6));
}

void TstDataset::logicDuplicateIdsInJsonArray()
{
    // A numeric id and the same id as a string are the same problem.
    const std::string text =
        "[" + logicLine("7") + "," +
        R"({"id":7,"problem":"p","questions":[{"question":"q","options":["a","b"]}]})" + "]";
    const auto d = parse(text, "t.json");
    WB_COMPARE_STR(errors(d), "t.json:2: id: id '7' is already used by the problem on element "
                              "1; ids must be unique\n");
}

void TstDataset::logicWithoutAnswersIsValid()
{
    const std::string text =
        R"({"id":"t1","problem":"p","questions":[{"question":"q1","options":["a","b"]},{"question":"q2","options":["a","b","c"]}]})"
        "\n";
    const auto d = parse(text, "test.jsonl");
    QVERIFY(d.ok());
    QVERIFY(d.issues.empty());
    QVERIFY(!d.records[0].data["questions"][0].contains("answer"));
    QCOMPARE(computeStats(DatasetFormat::Logic, d.records).answered, size_t(0));
}

void TstDataset::logicRationaleAliases()
{
    const std::string text =
        R"({"id":"a","problem":"p","questions":[{"question":"q","options":["a","b"],"explanation":"E"},{"question":"q","options":["a","b"],"analysis":"N"},{"question":"q","options":["a","b"],"rationale":"R","analysis":"N"},{"question":"q","options":["a","b"],"rationale":5}]})"
        "\n";
    const auto d = parse(text);
    WB_COMPARE_STR(errors(d), "");
    WB_COMPARE_STR(warnings(d), "t.jsonl:1: questions[3].rationale: rationale must be a string, "
                                "found a number; it was ignored\n");
    const json &qs = d.records.at(0).data["questions"];
    WB_COMPARE_STR(qs[0]["rationale"].get<std::string>(), "E");
    QVERIFY(!qs[0].contains("explanation"));
    WB_COMPARE_STR(qs[1]["rationale"].get<std::string>(), "N");
    QVERIFY(!qs[1].contains("analysis"));
    WB_COMPARE_STR(qs[2]["rationale"].get<std::string>(), "R");
    QVERIFY(!qs[3].contains("rationale"));
}

void TstDataset::unknownFieldsWarnedOnce()
{
    // A misnamed answer field would otherwise vanish without a word: warn, once per file.
    const std::string row =
        R"({"id":"%","problem":"p","source":"web","questions":[{"question":"q","options":["a","b"],"label":"B"}]})";
    std::string text;
    for (const char *id : {"a", "b", "c"}) {
        std::string r = row;
        r.replace(r.find('%'), 1, id);
        text += r + "\n";
    }
    const auto d = parse(text);
    QVERIFY(d.ok());
    WB_COMPARE_STR(warnings(d),
                   "t.jsonl:1: questions[0].label: the field 'label' is not part of the logic "
                   "format and was ignored\n"
                   "t.jsonl:1: source: the field 'source' is not part of the logic format and "
                   "was ignored\n");
    QVERIFY(!d.records[0].data.contains("source"));
    QVERIFY(!d.records[0].data["questions"][0].contains("label"));
}

// ---------------------------------------------------------------------------------------
// Alpaca and chat

void TstDataset::alpacaJsonl()
{
    const std::string text = R"({"instruction":"Add","input":"1 2","output":"3"})"
                             "\n"
                             R"({"instruction":"Hi","output":"Hello","system":"Be nice","id":9})"
                             "\n"
                             R"({"instruction":"Blank","output":""})"
                             "\n";
    const auto d = parse(text);
    WB_COMPARE_STR(errors(d), "");
    WB_COMPARE_STR(warnings(d), "t.jsonl:3: output: output is empty\n");
    QVERIFY(d.format == DatasetFormat::Alpaca);
    QVERIFY(d.ok());
    const json expected1 =
        json::parse(R"({"instruction":"Add","input":"1 2","output":"3","system":""})");
    JSON_COMPARE(d.records[0].data, expected1);
    const json expected2 =
        json::parse(R"({"instruction":"Hi","input":"","output":"Hello","system":"Be nice"})");
    JSON_COMPARE(d.records[1].data, expected2);
    QCOMPARE(promptCount(DatasetFormat::Alpaca, d.records[0]), size_t(1));
}

void TstDataset::alpacaErrors()
{
    const std::string text = R"({"instruction":"ok","output":"fine"})"
                             "\n"
                             R"({"input":"x","output":"y"})"
                             "\n"
                             R"({"instruction":"x"})"
                             "\n"
                             R"({"instruction":"x","input":5,"output":"y","system":["s"]})"
                             "\n"
                             R"({"instruction":" ","output":3})"
                             "\n";
    const auto d = parse(text);
    WB_COMPARE_STR(errors(d),
                   "t.jsonl:2: instruction: missing field 'instruction' (the task given to the "
                   "model)\n"
                   "t.jsonl:3: output: missing field 'output' (the expected response)\n"
                   "t.jsonl:4: input: input must be a string, found a number\n"
                   "t.jsonl:4: system: system must be a string, found an array\n"
                   "t.jsonl:5: instruction: instruction is empty\n"
                   "t.jsonl:5: output: output must be a string, found a number\n");
    QCOMPARE(d.invalidRows, size_t(4));
    QCOMPARE(rows(d), (std::vector<size_t>{1}));
}

void TstDataset::chatMessages()
{
    const std::string text =
        R"({"messages":[{"role":"system","content":"S"},{"role":"user","content":"U"},{"role":"assistant","content":"A"}]})"
        "\n"
        R"({"messages":[{"role":"system","content":""},{"role":"User","content":"U"},{"role":"assistant","content":"A"}]})"
        "\n";
    const auto d = parse(text);
    WB_COMPARE_STR(errors(d) + warnings(d), "");
    QVERIFY(d.format == DatasetFormat::Chat);
    const json first = json::parse(
        R"({"messages":[{"role":"system","content":"S"},{"role":"user","content":"U"},{"role":"assistant","content":"A"}]})");
    JSON_COMPARE(d.records[0].data, first);
    // An empty system prompt is dropped; role names are matched without regard to case.
    const json second = json::parse(
        R"({"messages":[{"role":"user","content":"U"},{"role":"assistant","content":"A"}]})");
    JSON_COMPARE(d.records[1].data, second);
}

void TstDataset::chatSharegpt()
{
    const std::string text =
        R"({"conversations":[{"from":"system","value":"S"},{"from":"human","value":"U"},{"from":"gpt","value":"A"},{"from":"user","value":"U2"},{"from":"model","value":"A2"},{"from":"assistant","value":"A3"}]})"
        "\n"
        R"({"system":"Sys","conversations":[{"from":"human","value":"U"},{"from":"gpt","value":"A"}]})"
        "\n";
    const auto d = parse(text);
    WB_COMPARE_STR(errors(d) + warnings(d), "");
    QVERIFY(d.format == DatasetFormat::Chat);
    const json expected3 = json::parse(
        R"({"messages":[{"role":"system","content":"S"},{"role":"user","content":"U"},{"role":"assistant","content":"A"},{"role":"user","content":"U2"},{"role":"assistant","content":"A2"},{"role":"assistant","content":"A3"}]})");
    JSON_COMPARE(d.records[0].data, expected3);
    // sharegpt's top-level system prompt becomes the first message.
    const json expected4 = json::parse(
        R"({"messages":[{"role":"system","content":"Sys"},{"role":"user","content":"U"},{"role":"assistant","content":"A"}]})");
    JSON_COMPARE(d.records[1].data, expected4);
}

void TstDataset::chatErrors()
{
    const std::string ok =
        R"({"messages":[{"role":"user","content":"U"},{"role":"assistant","content":"A"}]})";
    const std::string text =
        ok + "\n" + R"({"messages":[{"role":"bot","content":"x"},{"role":"user","content":"u"}]})" +
        "\n" +
        R"({"messages":[{"role":"user","content":["a"]},{"role":"assistant","content":5}]})" +
        "\n" + R"({"conversations":[{"from":"robot","value":"x"},{"from":"gpt","value":"y"}]})" +
        "\n" + R"({"messages":[]})" + "\n" + R"({"messages":"hi"})" + "\n" +
        R"({"messages":[{"role":"user"},{"role":"assistant","content":" "},"x"]})" + "\n" +
        R"({"messages":[{"role":"human","content":"x"},{"role":"assistant","content":"y"}]})" +
        "\n";
    const auto d = parse(text);
    WB_COMPARE_STR(
        errors(d),
        "t.jsonl:2: messages[0].role: role 'bot' is not one of system, user, assistant\n"
        "t.jsonl:2: messages: a conversation needs at least one user and one assistant "
        "message; found 1 user and 0 assistant\n"
        "t.jsonl:3: messages[0].content: content must be a string; lists of content parts "
        "(images, files) are not supported\n"
        "t.jsonl:3: messages[1].content: content must be a string, found a number\n"
        "t.jsonl:3: messages: a conversation needs at least one user and one assistant "
        "message; found 0 user and 0 assistant\n"
        "t.jsonl:4: conversations[0].from: from 'robot' is not one of human, gpt, system (user, "
        "assistant and model are accepted too)\n"
        "t.jsonl:4: conversations: a conversation needs at least one user and one assistant "
        "message; found 0 user and 1 assistant\n"
        "t.jsonl:5: messages: messages is empty; a conversation needs at least one user and "
        "one assistant message\n"
        "t.jsonl:6: messages: messages must be an array of messages, found a string\n"
        "t.jsonl:7: messages[0].content: missing field 'content' (the message text)\n"
        "t.jsonl:7: messages[1].content: the assistant message is empty\n"
        "t.jsonl:7: messages[2]: each message must be an object with 'role' and 'content' (or "
        "sharegpt 'from' and 'value'), found a string\n"
        "t.jsonl:7: messages: a conversation needs at least one user and one assistant "
        "message; found 0 user and 0 assistant\n"
        "t.jsonl:8: messages[0].role: role 'human' is not one of system, user, assistant "
        "(sharegpt names belong in 'from')\n"
        "t.jsonl:8: messages: a conversation needs at least one user and one assistant "
        "message; found 0 user and 1 assistant\n");
    QCOMPARE(d.totalRows, size_t(8));
    QCOMPARE(d.invalidRows, size_t(7));
    QCOMPARE(rows(d), (std::vector<size_t>{1}));
}

// ---------------------------------------------------------------------------------------
// Format detection

void TstDataset::formatNotDetected()
{
    const auto d = parse(R"({"text":"a","label":1})"
                         "\n"
                         R"({"text":"b"})"
                         "\n");
    QVERIFY(d.fatal);
    QVERIFY(d.records.empty());
    QCOMPARE(d.totalRows, size_t(2));
    WB_COMPARE_STR(errors(d), "t.jsonl: could not tell the dataset format from the fields of the "
                              "first record (label, text); supported formats: logic (id, "
                              "problem, questions), alpaca (instruction, input, output) and chat "
                              "(messages or conversations)\n");
}

void TstDataset::formatNotDetectedNoObjects()
{
    const auto d = parse("{oops\n{also bad\n");
    QVERIFY(d.fatal);
    QCOMPARE(d.totalRows, size_t(2));
    QCOMPARE(d.invalidRows, size_t(2));
    QCOMPARE(d.issues.size(), size_t(3));
    WB_COMPARE_STR(d.issues[0].toString(),
                   "t.jsonl: could not tell the dataset format: no row could be read as a JSON "
                   "object");
    QCOMPARE(d.issues[1].row, size_t(1));
    QCOMPARE(d.issues[2].row, size_t(2));
}

void TstDataset::forcedFormatMismatch()
{
    const auto d = parse(logicLine("a") + "\n", "t.jsonl", DatasetFormat::Alpaca);
    QVERIFY(!d.formatDetected);
    QVERIFY(d.format == DatasetFormat::Alpaca);
    QVERIFY(!d.ok());
    QVERIFY(d.records.empty());
    WB_COMPARE_STR(errors(d),
                   "t.jsonl: the records look like logic data (the one on line 1 has the fields "
                   "id, problem, questions), but the alpaca format was requested\n"
                   "t.jsonl:1: instruction: missing field 'instruction' (the task given to the "
                   "model)\n"
                   "t.jsonl:1: output: missing field 'output' (the expected response)\n");

    // In CSV the columns tell the story before any row is read.
    const auto c = parse("instruction,output\na,b\n", "t.csv", DatasetFormat::Logic);
    QVERIFY(c.fatal);
    WB_COMPARE_STR(errors(c), "t.csv: the CSV has no columns 'id', 'problem', 'question', "
                              "'options'; a logic CSV needs the columns id, problem, question, "
                              "options and optionally answer (found: instruction, output); the "
                              "columns look like alpaca data\n");
}

void TstDataset::forcedFormatMatching()
{
    const auto d = parse(logicLine("a") + "\n", "t.jsonl", DatasetFormat::Logic);
    QVERIFY(d.ok());
    QVERIFY(!d.formatDetected);
    QVERIFY(d.format == DatasetFormat::Logic);
    QVERIFY(d.issues.empty());
}

// ---------------------------------------------------------------------------------------
// Whole-file problems

void TstDataset::utf8Bom()
{
    const auto d = parse("\xEF\xBB\xBF" + logicLine("a") + "\n");
    WB_COMPARE_STR(errors(d), "");
    WB_COMPARE_STR(warnings(d),
                   "t.jsonl: the file starts with a UTF-8 byte-order mark; it was ignored\n");
    QVERIFY(d.ok());
    QCOMPARE(ids(d.records), (std::vector<std::string>{"a"}));

    // The same for CSV, where the BOM would otherwise glue itself to the first column name.
    const auto c = parse("\xEF\xBB\xBFinstruction,output\na,b\n", "t.csv");
    QVERIFY(c.ok());
    QVERIFY(c.format == DatasetFormat::Alpaca);
}

void TstDataset::crlfLineEndings()
{
    const std::string text =
        R"({"id":"a","problem":"P","questions":[{"question":"Q","options":["x","y"]}]})"
        "\r\n\r\n"
        R"({"id":"b","problem":"P2","questions":[{"question":"Q","options":["x","y"]}]})"
        "\r\n";
    const auto d = parse(text);
    WB_COMPARE_STR(errors(d), "");
    WB_COMPARE_STR(warnings(d),
                   "t.jsonl: the file uses Windows (CRLF) line endings; they were accepted\n");
    QVERIFY(d.ok());
    QCOMPARE(rows(d), (std::vector<size_t>{1, 3}));
    WB_COMPARE_STR(d.records[1].data["problem"].get<std::string>(), "P2");
}

void TstDataset::gb18030File()
{
    // 你好 in GBK inside an otherwise fine JSON string, on line 2.
    const std::string text = logicLine("a") + "\n" + R"({"id":"b","problem":")" +
                             "\xC4\xE3\xBA\xC3" + R"(","questions":[]})" + "\n";
    const auto d = parse(text);
    QVERIFY(d.fatal);
    QVERIFY(d.records.empty());
    QCOMPARE(d.issues.size(), size_t(1));
    QCOMPARE(d.issues[0].row, size_t(0));
    const std::string offset = std::to_string(text.find('\xC4'));
    WB_COMPARE_STR(d.issues[0].message,
                   "the file is not valid UTF-8 (first invalid byte at offset " + offset +
                       ", line 2); the file looks GBK/GB18030-encoded (Chinese Windows); re-save "
                       "it as UTF-8");
}

void TstDataset::latin1File()
{
    const std::string text = R"({"instruction":"caf)"
                             "\xE9"
                             R"(","output":"x"})"
                             "\n";
    const auto d = parse(text);
    QVERIFY(d.fatal);
    WB_COMPARE_STR(errors(d), "t.jsonl: the file is not valid UTF-8 (first invalid byte at "
                              "offset 19, line 1); it may use a legacy encoding such as "
                              "Windows-1252 or Latin-1; re-save it as UTF-8\n");
}

void TstDataset::binaryFile()
{
    const std::string bytes("PK\x03\x04\0\0\0\0abc{}", 13);
    const auto d = parse(bytes, "t.jsonl");
    QVERIFY(d.fatal);
    QVERIFY(d.records.empty());
    WB_COMPARE_STR(errors(d), "t.jsonl: the file looks binary (it contains NUL bytes), not a "
                              "text dataset; expected JSON Lines, JSON or CSV text\n");
}

void TstDataset::utf16File()
{
    std::string bytes = "\xFF\xFE";
    for (char c : logicLine("a")) {
        bytes += c;
        bytes += '\0';
    }
    auto d = parse(bytes);
    QVERIFY(d.fatal);
    WB_COMPARE_STR(errors(d),
                   "t.jsonl: the file is UTF-16 encoded (Windows \"Unicode\"); re-save it as "
                   "UTF-8\n");
    // Without a byte-order mark too.
    d = parse(bytes.substr(2));
    QVERIFY(d.fatal);
    QVERIFY(contains(errors(d), "UTF-16"));
}

void TstDataset::emptyFile()
{
    auto d = parse("");
    QVERIFY(d.fatal);
    QVERIFY(!d.ok());
    WB_COMPARE_STR(errors(d), "t.jsonl: the file is empty\n");
    QCOMPARE(d.totalRows, size_t(0));

    d = parse(" \n\r\n\t\n", "t.csv");
    QVERIFY(d.fatal);
    WB_COMPARE_STR(errors(d), "t.csv: the file is empty (it holds only whitespace)\n");

    d = parse("\xEF\xBB\xBF", "t.json");
    QVERIFY(d.fatal);
    QVERIFY(contains(errors(d), "the file is empty"));
}

void TstDataset::overlongLine()
{
    ParseOptions o;
    o.maxLineBytes = 120;
    const std::string longLine =
        R"({"id":"b","problem":")" + std::string(150, 'x') + R"(","questions":[]})";
    const std::string text = logicLine("a") + "\n" + longLine + "\n" + logicLine("c") + "\n";
    const auto d = parseDataset(text, "t.jsonl", o);
    WB_COMPARE_STR(errors(d), "t.jsonl:2: the line is " + std::to_string(longLine.size()) +
                                  " bytes long, over the limit of 120 bytes; it was not read\n");
    QVERIFY(!d.fatal);
    QCOMPARE(d.totalRows, size_t(3));
    QCOMPARE(d.invalidRows, size_t(1));
    QCOMPARE(ids(d.records), (std::vector<std::string>{"a", "c"}));
}

// ---------------------------------------------------------------------------------------
// CSV

void TstDataset::csvLogicGroupsRows()
{
    const std::string text = "id,problem,question,options,answer,explanation\n"
                             "p1,\"Three friends, one race. He said \"\"go\"\".\",Who won?,"
                             "\"[\"\"Ann\"\",\"\"Bob\"\",\"\"Cy\"\"]\",b,\n"
                             "p1,\"Three friends, one race. He said \"\"go\"\".\",\"Who was last?\n"
                             "(think carefully)\",Ann | Bob|Cy,C,Cy is slow\n"
                             "p2,Two boxes,Which box?,\"red\n"
                             "blue\",,\n"
                             "7,Numbers,Which?,1|2,A,\n";
    const auto d = parse(text, "t.csv");
    WB_COMPARE_STR(errors(d), "");
    WB_COMPARE_STR(warnings(d),
                   "t.csv:2: questions[0].answer: answer 'b' is lower-case; read as 'B'\n");
    QVERIFY(d.ok());
    QVERIFY(d.fileKind == FileKind::Csv);
    QVERIFY(d.format == DatasetFormat::Logic);
    // Three problems: the first two rows share id and problem and become one problem.
    QCOMPARE(d.totalRows, size_t(3));
    QCOMPARE(rows(d), (std::vector<size_t>{2, 5, 7}));
    const json p1 = json::parse(
        R"j({"id":"p1","problem":"Three friends, one race. He said \"go\".","questions":[
        {"question":"Who won?","options":["Ann","Bob","Cy"],"answer":"B"},
        {"question":"Who was last?\n(think carefully)","options":["Ann","Bob","Cy"],"answer":"C","rationale":"Cy is slow"}]})j");
    const json p2 = json::parse(R"({"id":"p2","problem":"Two boxes","questions":[
        {"question":"Which box?","options":["red","blue"]}]})");
    JSON_COMPARE(d.records[0].data, p1);
    JSON_COMPARE(d.records[1].data, p2);
    // Numbers in CSV are text.
    JSON_COMPARE(d.records[2].data["id"], json("7"));
    const json numbers = {"1", "2"};
    JSON_COMPARE(d.records[2].data["questions"][0]["options"], numbers);
    QCOMPARE(promptCount(DatasetFormat::Logic, d.records[0]), size_t(2));
}

void TstDataset::csvLogicFieldErrorsPointAtTheirLine()
{
    const std::string text = "id,problem,question,options,answer\n"
                             "p1,P,Q1,a|b,A\n"
                             "p1,P,Q2,a|b,Z\n"
                             "p2,P2,Q,a||c,\n"
                             "p3,P3,Q,\"[\"\"a\"\",\",A\n"
                             "p4,P4,,only,\n"
                             ",P5,Q,a|b,\n";
    const auto d = parse(text, "t.csv");
    const std::string e = errors(d);
    QVERIFY2(contains(e, "t.csv:3: questions[1].answer: answer 'Z' is not one of the option "
                         "letters A–B\n"),
             e.c_str());
    QVERIFY2(contains(e, "t.csv:4: questions[0].options[1]: option B is empty\n"), e.c_str());
    QVERIFY2(contains(e, "t.csv:5: questions[0].options: options start with '[' but are not a "
                         "valid JSON array (at line 1, column "),
             e.c_str());
    QVERIFY2(contains(e, "t.csv:6: questions[0].question: question is empty\n"
                         "t.csv:6: questions[0].options: a question needs at least 2 options, "
                         "found 1\n"),
             e.c_str());
    QVERIFY2(contains(e, "t.csv:7: id: id is empty\n"), e.c_str());
    // The bad options were reported once, not again as "missing".
    QVERIFY2(!contains(e, "missing field"), e.c_str());
    QCOMPARE(d.totalRows, size_t(5));
    QCOMPARE(d.invalidRows, size_t(5));
    QVERIFY(d.records.empty());
}

void TstDataset::csvStructuralErrors()
{
    const std::string text = "id,problem,question,options,answer\n"
                             "p1,P,Q,a|b,A,extra\n"
                             "p2,P,Q,a|b\n"
                             "p3,P,Q,a|b,A,,,\n"
                             "p5,\"P\"x,Q,a|b,A\n"
                             "p4,\"P,Q,a|b,A\n"
                             "p6,P,Q,a|b,A\n";
    const auto d = parse(text, "t.csv");
    WB_COMPARE_STR(errors(d),
                   "t.csv:2: the row has 6 fields but the header has 5 columns; a field that "
                   "contains a comma, a quote or a line break must be enclosed in double quotes\n"
                   "t.csv:3: the row has 4 fields but the header has 5 columns; a field that "
                   "contains a comma, a quote or a line break must be enclosed in double quotes\n"
                   "t.csv:5: unexpected text after the closing quote of field 2; a double quote "
                   "inside a quoted field must be doubled (\"\")\n"
                   "t.csv:6: the quoted field 2 that starts on line 6 is never closed, so the "
                   "rest of the file was swallowed by it; add the missing closing double quote\n");
    // Trailing empty cells (spreadsheet padding) are harmless.
    QCOMPARE(ids(d.records), (std::vector<std::string>{"p3"}));
    QCOMPARE(d.totalRows, size_t(5));
    QCOMPARE(d.invalidRows, size_t(4));
}

void TstDataset::csvHeaderProblems()
{
    auto d = parse("id,problem,question,answer\np1,P,Q,A\n", "t.csv");
    QVERIFY(d.fatal);
    WB_COMPARE_STR(errors(d), "t.csv: the CSV has no column 'options'; a logic CSV needs the "
                              "columns id, problem, question, options and optionally answer "
                              "(found: id, problem, question, answer)\n");

    d = parse("id,Problem,question,options,problem \np1,P,Q,a|b,P\n", "t.csv");
    QVERIFY(d.fatal);
    WB_COMPARE_STR(errors(d), "t.csv: the column 'problem' appears twice in the CSV header; "
                              "rename or remove one of them\n");

    d = parse("id,problem,question,options\n", "t.csv");
    QVERIFY(d.fatal);
    WB_COMPARE_STR(errors(d), "t.csv: the CSV file has a header row but no data rows\n");

    d = parse("text,label\nhello,1\n", "t.csv");
    QVERIFY(d.fatal);
    WB_COMPARE_STR(errors(d),
                   "t.csv: could not tell the dataset format from the CSV columns (text, "
                   "label); a logic CSV has the columns id, problem, question, options and "
                   "optionally answer; an alpaca CSV has instruction, input, output and "
                   "optionally system\n");

    d = parse("id;problem;question;options\np;P;Q;a|b\n", "t.csv");
    QVERIFY(d.fatal);
    QVERIFY(contains(errors(d), "only comma-separated files are supported"));

    // Header names are matched without regard to case and spaces; unknown columns are named.
    d = parse(" ID ,Problem,QUESTION,Options,notes\np1,P,Q,a|b,hmm\n", "t.csv");
    QVERIFY(d.ok());
    WB_COMPARE_STR(warnings(d), "t.csv:1: the column 'notes' is not used by the logic format "
                                "and was ignored\n");
    QCOMPARE(ids(d.records), (std::vector<std::string>{"p1"}));
}

void TstDataset::csvAlpaca()
{
    const std::string text = "instruction,input,output,system\n"
                             "Add the numbers,1 2,3,\n"
                             "\"Say \"\"hi\"\"\",,\"hi,\nthere\",Be brief\n"
                             "\n"
                             ",x,y,\n";
    const auto d = parse(text, "t.csv");
    WB_COMPARE_STR(errors(d), "t.csv:6: instruction: instruction is empty\n");
    QVERIFY(d.format == DatasetFormat::Alpaca);
    QCOMPARE(d.totalRows, size_t(3));
    QCOMPARE(rows(d), (std::vector<size_t>{2, 3}));
    const json first =
        json::parse(R"({"instruction":"Add the numbers","input":"1 2","output":"3","system":""})");
    const json second = json::parse(
        R"({"instruction":"Say \"hi\"","input":"","output":"hi,\nthere","system":"Be brief"})");
    JSON_COMPARE(d.records[0].data, first);
    JSON_COMPARE(d.records[1].data, second);

    const auto m = parse("instruction,input\nx,y\n", "t.csv");
    QVERIFY(m.fatal);
    QVERIFY(contains(errors(m), "the CSV has no column 'output'"));
}

void TstDataset::csvChatUnsupported()
{
    const char *expected = "t.csv: chat datasets cannot be read from CSV (a conversation is a "
                           "list of messages); save them as JSON Lines with a \"messages\" "
                           "array on each line\n";
    auto d = parse("messages\n\"[]\"\n", "t.csv");
    QVERIFY(d.fatal);
    WB_COMPARE_STR(errors(d), expected);
    d = parse("instruction,output\na,b\n", "t.csv", DatasetFormat::Chat);
    QVERIFY(d.fatal);
    WB_COMPARE_STR(errors(d), expected);
}

void TstDataset::csvDuplicateIdsAcrossGroups()
{
    // Grouping only joins consecutive rows: a problem split in two is a duplicate id.
    const std::string text = "id,problem,question,options\n"
                             "p1,P,Q1,a|b\n"
                             "p2,P2,Q,a|b\n"
                             "p1,P,Q2,a|b\n"
                             "p2,Other text,Q,a|b\n";
    const auto d = parse(text, "t.csv");
    WB_COMPARE_STR(errors(d),
                   "t.csv:4: id: id 'p1' is already used by the problem on line 2; ids must be "
                   "unique\n"
                   "t.csv:5: id: id 'p2' is already used by the problem on line 3; ids must be "
                   "unique\n");
    QCOMPARE(ids(d.records), (std::vector<std::string>{"p1", "p2"}));
}

void TstDataset::csvCrlfInsideQuotes()
{
    const std::string text = "instruction,output\r\n\"line one\r\nline two\",ok\r\nnext,fine\r\n";
    const auto d = parse(text, "t.csv");
    WB_COMPARE_STR(errors(d), "");
    WB_COMPARE_STR(warnings(d),
                   "t.csv: the file uses Windows (CRLF) line endings; they were accepted\n");
    QCOMPARE(rows(d), (std::vector<size_t>{2, 4}));
    WB_COMPARE_STR(d.records[0].data["instruction"].get<std::string>(), "line one\nline two");
    WB_COMPARE_STR(d.records[0].data["output"].get<std::string>(), "ok");
    WB_COMPARE_STR(d.records[1].data["output"].get<std::string>(), "fine");
}

// ---------------------------------------------------------------------------------------
// Output, statistics, split, files

void TstDataset::issuesInFileOrder()
{
    // Duplicate ids are found after the row itself is checked; the list is still in order,
    // whole-file issues first.
    const std::string text = "\xEF\xBB\xBF" + logicLine("a") + "\n" + logicLine("a") + "\n" +
                             R"({"id":"c","problem":""})" + "\n";
    const auto d = parse(text);
    QVERIFY(d.issues.size() >= 4);
    QCOMPARE(d.issues.front().row, size_t(0));
    for (size_t i = 1; i < d.issues.size(); ++i)
        QVERIFY(d.issues[i - 1].row <= d.issues[i].row);
}

void TstDataset::toJsonlRoundTrip()
{
    const std::string text =
        R"({"id":"a","problem":"甲乙丙","questions":[{"question":"谁？","options":["甲","乙"],"answer":"b","analysis":"因为"}]})"
        "\n" +
        logicLine("b") + "\n";
    const auto d = parse(text);
    QVERIFY(d.ok());
    const std::string out = toJsonl(d.records);
    // One normalised object per line, UTF-8 unescaped, '\n' terminated.
    QCOMPARE(std::count(out.begin(), out.end(), '\n'), 2L);
    QVERIFY(out.back() == '\n');
    QVERIFY(contains(out, "甲乙丙"));
    QVERIFY(contains(out, "\"answer\":\"B\""));
    QVERIFY(contains(out, "\"rationale\":\"因为\""));
    QVERIFY(!contains(out, "analysis"));
    const auto again = parse(out);
    QVERIFY(again.ok());
    QVERIFY(again.issues.empty());
    QCOMPARE(again.records.size(), d.records.size());
    for (size_t i = 0; i < d.records.size(); ++i)
        JSON_COMPARE(again.records[i].data, d.records[i].data);
    WB_COMPARE_STR(toJsonl({}), "");
}

void TstDataset::statsLogic()
{
    const std::string text =
        R"({"id":"1","problem":"abc","questions":[{"question":"你好吗","options":["a","b","c","d"],"answer":"C"},{"question":"q","options":["a","b"],"answer":"A"}]})"
        "\n"
        R"({"id":"2","problem":"abcdefghij","questions":[{"question":"xy","options":["a","b","c","d"]}]})"
        "\n"
        R"({"id":"3","problem":"你好","questions":[{"question":"abcd","options":["a","b","c"],"answer":"C"}]})"
        "\n";
    const auto d = parse(text);
    QVERIFY(d.ok());
    const DatasetStats s = computeStats(DatasetFormat::Logic, d.records);
    QVERIFY(s.format == DatasetFormat::Logic);
    QCOMPARE(s.rows, size_t(3));
    QCOMPARE(s.subQuestions, size_t(4));
    QCOMPARE(s.answered, size_t(3));
    QCOMPARE(s.optionCounts, (std::map<size_t, size_t>{{2, 1}, {3, 1}, {4, 2}}));
    QCOMPARE(s.answerLetters, (std::map<std::string, size_t>{{"A", 1}, {"C", 2}}));
    QCOMPARE(s.lengths.size(), size_t(2));
    // Lengths count code points: 你好 is 2, not 6 bytes.
    const LengthStats &p = s.lengths.at("problem");
    QCOMPARE(p.count, size_t(3));
    QCOMPARE(p.min, size_t(2));
    QCOMPARE(p.max, size_t(10));
    QCOMPARE(p.mean, 5.0);
    QCOMPARE(p.p50, size_t(3));
    QCOMPARE(p.p95, size_t(10));
    const LengthStats &q = s.lengths.at("question");
    QCOMPARE(q.count, size_t(4));
    QCOMPARE(q.min, size_t(1));
    QCOMPARE(q.max, size_t(4));
    QCOMPARE(q.mean, 2.5);
    QCOMPARE(q.p50, size_t(2));
    QCOMPARE(q.p95, size_t(4));

    const DatasetStats empty = computeStats(DatasetFormat::Logic, {});
    QCOMPARE(empty.rows, size_t(0));
    QCOMPARE(empty.lengths.at("problem").count, size_t(0));
}

void TstDataset::statsAlpacaPercentiles()
{
    std::vector<DatasetRecord> records;
    for (size_t k = 1; k <= 20; ++k)
        records.push_back({k, json{{"instruction", std::string(k, 'x')},
                                   {"input", ""},
                                   {"output", "ok"},
                                   {"system", ""}}});
    const DatasetStats s = computeStats(DatasetFormat::Alpaca, records);
    QCOMPARE(s.rows, size_t(20));
    QCOMPARE(s.subQuestions, size_t(20));
    QCOMPARE(s.lengths.size(), size_t(3));
    const LengthStats &i = s.lengths.at("instruction");
    QCOMPARE(i.count, size_t(20));
    QCOMPARE(i.min, size_t(1));
    QCOMPARE(i.max, size_t(20));
    QCOMPARE(i.mean, 10.5);
    // Nearest rank: p50 is the 10th of 20 values, p95 the 19th.
    QCOMPARE(i.p50, size_t(10));
    QCOMPARE(i.p95, size_t(19));
    QCOMPARE(s.lengths.at("input").max, size_t(0));
    QCOMPARE(s.lengths.at("input").count, size_t(20));
    QCOMPARE(s.lengths.at("output").p95, size_t(2));
    QVERIFY(s.optionCounts.empty());
}

void TstDataset::statsChat()
{
    const std::string text =
        R"({"messages":[{"role":"system","content":"S"},{"role":"user","content":"hello"},{"role":"assistant","content":"你好"}]})"
        "\n"
        R"({"conversations":[{"from":"human","value":"abcd"},{"from":"gpt","value":"xyz"},{"from":"human","value":"q"},{"from":"gpt","value":"r"}]})"
        "\n";
    const auto d = parse(text);
    QVERIFY(d.ok());
    const DatasetStats s = computeStats(DatasetFormat::Chat, d.records);
    QCOMPARE(s.rows, size_t(2));
    QCOMPARE(s.subQuestions, size_t(2));
    QCOMPARE(s.roles,
             (std::map<std::string, size_t>{{"assistant", 3}, {"system", 1}, {"user", 3}}));
    const LengthStats &c = s.lengths.at("content");
    QCOMPARE(c.count, size_t(7));
    QCOMPARE(c.min, size_t(1));
    QCOMPARE(c.max, size_t(5));
    QCOMPARE(c.p50, size_t(2)); // sorted 1 1 1 2 3 4 5: the 4th
    QCOMPARE(c.p95, size_t(5));
}

void TstDataset::splitDeterministic()
{
    std::vector<DatasetRecord> records;
    size_t questions = 0;
    for (size_t i = 0; i < 10; ++i) {
        json qs = json::array();
        for (size_t k = 0; k <= i % 3; ++k)
            qs.push_back({{"question", "q" + std::to_string(k)}, {"options", {"a", "b"}}});
        questions += qs.size();
        records.push_back(
            {i + 1, json{{"id", "r" + std::to_string(i)}, {"problem", "p"}, {"questions", qs}}});
    }
    const auto a = splitDataset(records, 0.3, 42);
    const auto b = splitDataset(records, 0.3, 42);
    QCOMPARE(a.train.size(), size_t(7));
    QCOMPARE(a.eval.size(), size_t(3));
    QCOMPARE(ids(a.train), ids(b.train));
    QCOMPARE(ids(a.eval), ids(b.eval));
    // Pinned: a split recorded in a workspace must be reproducible on every platform and
    // standard library; a change here silently moves records between train and eval. (Checked
    // against an independent mt19937_64 + Fisher–Yates model.)
    std::string evalIds;
    for (const auto &id : ids(a.eval))
        evalIds += id + " ";
    WB_COMPARE_STR(evalIds, "r1 r7 r9 ");

    // Nothing lost or duplicated; problems stay whole; both sides keep file order.
    std::multiset<std::string> all;
    size_t splitQuestions = 0;
    for (const auto *side : {&a.train, &a.eval}) {
        size_t lastRow = 0;
        for (const auto &r : *side) {
            all.insert(r.data["id"].get<std::string>());
            splitQuestions += r.data["questions"].size();
            JSON_COMPARE(r.data, records[r.row - 1].data);
            QVERIFY(r.row > lastRow);
            lastRow = r.row;
        }
    }
    QCOMPARE(all.size(), size_t(10));
    QCOMPARE(std::set<std::string>(all.begin(), all.end()).size(), size_t(10));
    QCOMPARE(splitQuestions, questions);

    // Other seeds give other splits.
    std::set<std::vector<std::string>> evalSets;
    for (uint64_t seed = 1; seed <= 10; ++seed)
        evalSets.insert(ids(splitDataset(records, 0.3, seed).eval));
    QVERIFY(evalSets.size() >= 6);
    QVERIFY(ids(splitDataset(records, 0.3, 1).eval) != ids(splitDataset(records, 0.3, 2).eval));
}

void TstDataset::splitEdgeCases()
{
    std::vector<DatasetRecord> two = {{1, json{{"id", "a"}}}, {2, json{{"id", "b"}}}};
    auto s = splitDataset(two, 0.01, 7);
    QCOMPARE(s.eval.size(), size_t(1)); // at least one record to evaluate on
    QCOMPARE(s.train.size(), size_t(1));
    s = splitDataset(two, 0.99, 7);
    QCOMPARE(s.eval.size(), size_t(1)); // and one left to train on
    QCOMPARE(s.train.size(), size_t(1));
    s = splitDataset(two, 0.0, 7);
    QCOMPARE(s.eval.size(), size_t(0));
    QCOMPARE(s.train.size(), size_t(2));
    s = splitDataset(two, 1.0, 7);
    QCOMPARE(s.eval.size(), size_t(2));
    s = splitDataset({two[0]}, 0.5, 7);
    QCOMPARE(s.train.size(), size_t(1));
    QCOMPARE(s.eval.size(), size_t(0));
    s = splitDataset({}, 0.5, 7);
    QVERIFY(s.train.empty() && s.eval.empty());
    s = splitDataset(two, std::nan(""), 7);
    QCOMPARE(s.train.size(), size_t(2));
}

void TstDataset::parseFromFile()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const auto file = wbtest::path(dir, "train.jsonl");
    {
        std::ofstream out(file, std::ios::binary);
        out << logicLine("a") << "\n"
            << R"({"id":"b","problem":"p","questions":[]})"
            << "\n";
    }
    const auto d = parseDatasetFile(file);
    WB_COMPARE_STR(d.file, "train.jsonl");
    QCOMPARE(d.records.size(), size_t(1));
    WB_COMPARE_STR(errors(d), "train.jsonl:2: questions: questions is empty; a problem needs at "
                              "least one question\n");

    const auto csv = wbtest::path(dir, "data.csv");
    {
        std::ofstream out(csv, std::ios::binary);
        out << "instruction,output\nhi,hello\n";
    }
    ParseOptions o;
    o.format = DatasetFormat::Alpaca;
    const auto c = parseDatasetFile(csv, o);
    QVERIFY(c.ok());
    QVERIFY(c.fileKind == FileKind::Csv);

    bool threw = false;
    try {
        parseDatasetFile(wbtest::path(dir, "missing.jsonl"));
    } catch (const Error &e) {
        threw = true;
        QVERIFY(e.code() == ErrorCode::Io);
    }
    QVERIFY(threw);
}

QTEST_APPLESS_MAIN(TstDataset)
#include "tst_dataset.moc"

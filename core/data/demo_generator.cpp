#include "data/demo_generator.h"

#include "data/demo_internal.h"

#include <iterator>
#include <set>

namespace wb {

namespace demo {

PuzzleQuestion makeQuestion(Rng &rng, std::string text, nlohmann::json meta, Choice correct,
                            std::vector<Choice> distractors)
{
    std::vector<Choice> choices;
    choices.push_back(std::move(correct));
    for (auto &d : distractors)
        choices.push_back(std::move(d));
    std::set<std::string> seen;
    for (const auto &c : choices) {
        if (!seen.insert(c.text).second)
            throw Redraw{};
    }
    // Track where the correct choice (index 0) lands while shuffling the whole list.
    std::vector<size_t> order(choices.size());
    for (size_t i = 0; i < order.size(); ++i)
        order[i] = i;
    rng.shuffle(order);

    PuzzleQuestion q;
    q.text = std::move(text);
    q.meta = std::move(meta);
    q.meta["options"] = nlohmann::json::array();
    for (size_t pos = 0; pos < order.size(); ++pos) {
        const Choice &c = choices[order[pos]];
        q.options.push_back(c.text);
        q.meta["options"].push_back(c.statement);
        if (order[pos] == 0)
            q.correct = pos;
    }
    return q;
}

void invalid(const std::string &message)
{
    throw Error(ErrorCode::Validation, message);
}

const nlohmann::json &field(const nlohmann::json &obj, const char *key)
{
    if (!obj.is_object())
        invalid(std::string("expected an object holding '") + key + "'");
    auto it = obj.find(key);
    if (it == obj.end())
        invalid(std::string("meta field '") + key + "' is missing");
    return *it;
}

std::string stringField(const nlohmann::json &obj, const char *key)
{
    const auto &v = field(obj, key);
    if (!v.is_string())
        invalid(std::string("meta field '") + key + "' is not a string");
    return v.get<std::string>();
}

long long intField(const nlohmann::json &obj, const char *key)
{
    const auto &v = field(obj, key);
    if (!v.is_number_integer())
        invalid(std::string("meta field '") + key + "' is not an integer");
    return v.get<long long>();
}

std::vector<std::string> stringList(const nlohmann::json &obj, const char *key)
{
    const auto &v = field(obj, key);
    if (!v.is_array())
        invalid(std::string("meta field '") + key + "' is not a list");
    std::vector<std::string> out;
    for (const auto &item : v) {
        if (!item.is_string())
            invalid(std::string("meta field '") + key + "' holds a non-string");
        out.push_back(item.get<std::string>());
    }
    return out;
}

size_t indexOf(const std::vector<std::string> &names, const std::string &name)
{
    for (size_t i = 0; i < names.size(); ++i) {
        if (names[i] == name)
            return i;
    }
    invalid("meta names '" + name + "', which is not part of the world");
}

void checkOptionTexts(const nlohmann::json &recordQuestion, const std::vector<std::string> &texts,
                      size_t questionIndex)
{
    const auto &options = field(recordQuestion, "options");
    const std::string where = "question " + std::to_string(questionIndex + 1);
    if (!options.is_array() || options.size() != texts.size())
        invalid(where + ": the options do not match the hidden world's " +
                std::to_string(texts.size()) + " statements");
    for (size_t i = 0; i < texts.size(); ++i) {
        if (!options[i].is_string() || options[i].get<std::string>() != texts[i])
            invalid(where + ": option " + std::string(1, char('A' + i)) + " reads '" +
                    options[i].dump() + "' but its statement says '" + texts[i] + "'");
    }
}

size_t singleTrue(const std::vector<bool> &truth, size_t questionIndex)
{
    size_t count = 0, index = 0;
    for (size_t i = 0; i < truth.size(); ++i) {
        if (truth[i]) {
            ++count;
            index = i;
        }
    }
    if (count != 1)
        invalid("question " + std::to_string(questionIndex + 1) + ": the hidden world makes " +
                std::to_string(count) + " options correct, expected exactly one");
    return index;
}

std::string zhNumber(size_t n)
{
    static const char *digits[] = {"零", "一", "二", "三", "四", "五",
                                   "六", "七", "八", "九", "十"};
    return n <= 10 ? digits[n] : std::to_string(n);
}

std::string zhCount(size_t n)
{
    return n == 2 ? "两" : zhNumber(n);
}

std::string enNumber(size_t n)
{
    static const char *words[] = {"zero", "one",   "two",   "three", "four", "five",
                                  "six",  "seven", "eight", "nine",  "ten"};
    return n <= 10 ? words[n] : std::to_string(n);
}

std::string enOrdinal(size_t n)
{
    static const char *words[] = {"zeroth", "first",   "second", "third", "fourth", "fifth",
                                  "sixth",  "seventh", "eighth", "ninth", "tenth"};
    return n <= 10 ? words[n] : std::to_string(n) + "th";
}

std::string joinEn(const std::vector<std::string> &items, const std::string &conj)
{
    std::string out;
    for (size_t i = 0; i < items.size(); ++i) {
        if (i > 0)
            out += (i + 1 == items.size()) ? (items.size() > 2 ? ", " : " ") + conj + " " : ", ";
        out += items[i];
    }
    return out;
}

std::string joinZh(const std::vector<std::string> &items)
{
    std::string out;
    for (size_t i = 0; i < items.size(); ++i) {
        if (i > 0)
            out += "、";
        out += items[i];
    }
    return out;
}

std::string capitalize(std::string s)
{
    if (!s.empty() && s[0] >= 'a' && s[0] <= 'z')
        s[0] = char(s[0] - 'a' + 'A');
    return s;
}

} // namespace demo

namespace {

using demo::Lang;

const char *kFamilies[] = {"ordering", "knights", "syllogism", "sets", "traits", "negation"};
constexpr size_t kNegation = 5;
// The order problems cycle through: every other problem is a negation one (the family the demo
// model learns in a short LoRA run, so that a run on the demo set has something to learn), the
// rest go round the five harder families.
constexpr size_t kCycle[] = {kNegation, 0, kNegation, 1, kNegation, 2, kNegation, 3, kNegation, 4};
constexpr size_t kCycleLength = std::size(kCycle);

// SplitMix64: turns (seed, index) into well-spread engine seeds, so problem i is the same
// whatever the number of problems requested.
uint64_t mixSeed(uint64_t x)
{
    x += 0x9E3779B97F4A7C15ull;
    x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9ull;
    x = (x ^ (x >> 27)) * 0x94D049BB133111EBull;
    return x ^ (x >> 31);
}

demo::Puzzle generateFamily(size_t family, demo::Rng &rng, Lang lang)
{
    // Each family draws again on a dead end; the bound only guards against a generator bug.
    for (int attempt = 0; attempt < 1000; ++attempt) {
        try {
            switch (family) {
            case 0:
                return demo::generateOrdering(rng, lang);
            case 1:
                return demo::generateKnights(rng, lang);
            case 2:
                return demo::generateSyllogism(rng, lang);
            case 3:
                return demo::generateSets(rng, lang);
            case 4:
                return demo::generateTraits(rng, lang);
            default:
                return demo::generateNegation(rng, lang);
            }
        } catch (const demo::Redraw &) {
        }
    }
    throw Error(ErrorCode::Internal,
                std::string("demo generator: could not build a ") + kFamilies[family] + " puzzle");
}

} // namespace

std::vector<DatasetRecord> generateDemoProblems(const DemoOptions &options)
{
    std::vector<DatasetRecord> records;
    records.reserve(options.problems);
    const Lang first = options.language == DemoLanguage::English ? Lang::En : Lang::Zh;
    for (size_t i = 0; i < options.problems; ++i) {
        Lang lang = first;
        // Languages alternate, and swap at every turn of the family cycle (its period is even),
        // so every family comes in both.
        if (options.mixedLanguages && (i + i / kCycleLength) % 2 == 1)
            lang = first == Lang::En ? Lang::Zh : Lang::En;
        const size_t family = kCycle[i % kCycleLength];
        demo::Rng rng(mixSeed(options.seed ^ mixSeed(i)));
        demo::Puzzle puzzle = generateFamily(family, rng, lang);

        nlohmann::json data;
        data["id"] = std::string("demo-") + demo::langCode(lang) + "-" + kFamilies[family] + "-" +
                     std::to_string(i + 1);
        data["problem"] = puzzle.problem;
        data["questions"] = nlohmann::json::array();
        nlohmann::json metaQuestions = nlohmann::json::array();
        for (const auto &q : puzzle.questions) {
            nlohmann::json jq;
            jq["question"] = q.text;
            jq["options"] = q.options;
            if (options.withAnswers)
                jq["answer"] = std::string(1, char('A' + q.correct));
            data["questions"].push_back(std::move(jq));
            metaQuestions.push_back(q.meta);
        }
        data["meta"] = {{"family", kFamilies[family]},
                        {"language", demo::langCode(lang)},
                        {"world", std::move(puzzle.world)},
                        {"questions", std::move(metaQuestions)}};
        DatasetRecord record{i + 1, std::move(data)};

        // Correct by construction is only a claim until the independent solver agrees.
        const DemoCheck check = solveDemoRecord(record);
        for (size_t q = 0; q < puzzle.questions.size(); ++q) {
            if (check.correctOptions.at(q) != puzzle.questions[q].correct)
                throw Error(ErrorCode::Internal, "demo generator: solver disagrees on " +
                                                     record.data["id"].get<std::string>());
        }
        records.push_back(std::move(record));
    }
    return records;
}

DemoCheck solveDemoRecord(const DatasetRecord &record)
{
    const nlohmann::json &data = record.data;
    std::string id = "row " + std::to_string(record.row);
    if (data.is_object() && data.contains("id") && data["id"].is_string())
        id = data["id"].get<std::string>();
    try {
        const auto &meta = demo::field(data, "meta");
        const std::string family = demo::stringField(meta, "family");
        const std::string language = demo::stringField(meta, "language");
        if (language != "en" && language != "zh")
            demo::invalid("meta language '" + language + "' is neither 'en' nor 'zh'");
        const Lang lang = language == "en" ? Lang::En : Lang::Zh;
        const auto &questions = demo::field(data, "questions");
        const auto &metaQuestions = demo::field(meta, "questions");
        if (!questions.is_array() || !metaQuestions.is_array() ||
            questions.size() != metaQuestions.size() || questions.empty())
            demo::invalid("the record's questions do not match the hidden world's questions");

        DemoCheck check;
        check.family = family;
        if (family == "ordering")
            check.correctOptions = demo::solveOrdering(meta, lang, questions);
        else if (family == "knights")
            check.correctOptions = demo::solveKnights(meta, lang, questions);
        else if (family == "syllogism")
            check.correctOptions = demo::solveSyllogism(meta, lang, questions);
        else if (family == "sets")
            check.correctOptions = demo::solveSets(meta, lang, questions);
        else if (family == "traits")
            check.correctOptions = demo::solveTraits(meta, lang, questions);
        else if (family == "negation")
            check.correctOptions = demo::solveNegation(meta, lang, questions);
        else
            demo::invalid("unknown puzzle family '" + family + "'");
        return check;
    } catch (const Error &e) {
        throw Error(ErrorCode::Validation, "demo problem " + id + ": " + e.message(), id);
    } catch (const nlohmann::json::exception &e) {
        throw Error(ErrorCode::Validation,
                    "demo problem " + id + ": malformed hidden world (" + e.what() + ")", id);
    }
}

} // namespace wb

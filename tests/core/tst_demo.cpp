#include "common/error.h"
#include "data/demo_generator.h"

#include "test_util.h"

#include <QObject>

#include <algorithm>
#include <chrono>
#include <map>
#include <set>

using namespace wb;

namespace {

std::string dump(const std::vector<DatasetRecord> &records)
{
    std::string out;
    for (const auto &r : records)
        out += std::to_string(r.row) + " " + r.data.dump() + "\n";
    return out;
}

bool hasCjk(const std::string &s)
{
    // UTF-8 lead bytes E4..E9 start U+4000..U+9FFF, the common CJK ideographs.
    for (unsigned char c : s) {
        if (c >= 0xE4 && c <= 0xE9)
            return true;
    }
    return false;
}

bool isAscii(const std::string &s)
{
    for (unsigned char c : s) {
        if (c >= 0x80)
            return false;
    }
    return true;
}

std::string allText(const nlohmann::json &data)
{
    std::string text = data["problem"].get<std::string>();
    for (const auto &q : data["questions"]) {
        text += q["question"].get<std::string>();
        for (const auto &o : q["options"])
            text += o.get<std::string>();
    }
    return text;
}

std::vector<DatasetRecord> generate(DemoLanguage lang, size_t n, uint64_t seed = 7)
{
    DemoOptions options;
    options.problems = n;
    options.seed = seed;
    options.language = lang;
    return generateDemoProblems(options);
}

// The first record of a family in a generated list.
DatasetRecord firstOf(const std::vector<DatasetRecord> &records, const std::string &family)
{
    for (const auto &r : records) {
        if (r.data["meta"]["family"] == family)
            return r;
    }
    return {};
}

// True when solveDemoRecord rejects the record or answers differently from `expected`.
bool checkerObjects(const DatasetRecord &record, const std::vector<size_t> &expected)
{
    try {
        return solveDemoRecord(record).correctOptions != expected;
    } catch (const Error &e) {
        return e.code() == ErrorCode::Validation;
    }
}

std::vector<size_t> storedAnswers(const DatasetRecord &record)
{
    std::vector<size_t> out;
    for (const auto &q : record.data["questions"])
        out.push_back(size_t(q["answer"].get<std::string>()[0] - 'A'));
    return out;
}

} // namespace

class TstDemo : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void deterministic();
    void answersMatchIndependentSolver_data();
    void answersMatchIndependentSolver();
    void languages();
    void mixedLanguagesCoverBothPerFamily();
    void testFileOmitsAnswers();
    void answerLettersSpread();
    void tamperedWorldIsCaught();
    void traitsBalancedAndUseRules();
    void negationAsksEveryForm();
    void missingMetaThrows();
    void fast();
    void printSamples();
};

void TstDemo::deterministic()
{
    const auto a = generate(DemoLanguage::Chinese, 60, 42);
    const auto b = generate(DemoLanguage::Chinese, 60, 42);
    QCOMPARE(dump(a), dump(b));
    const auto c = generate(DemoLanguage::Chinese, 60, 43);
    QVERIFY(dump(a) != dump(c));
    // Problem i does not depend on how many were asked for.
    const auto prefix = generate(DemoLanguage::Chinese, 10, 42);
    QCOMPARE(dump(prefix), dump(std::vector<DatasetRecord>(a.begin(), a.begin() + 10)));
}

void TstDemo::answersMatchIndependentSolver_data()
{
    QTest::addColumn<int>("language");
    QTest::newRow("english") << int(DemoLanguage::English);
    QTest::newRow("chinese") << int(DemoLanguage::Chinese);
}

void TstDemo::answersMatchIndependentSolver()
{
    QFETCH(int, language);
    const auto records = generate(DemoLanguage(language), 600, 2024);
    QCOMPARE(records.size(), size_t(600));
    std::map<std::string, size_t> families;
    std::set<std::string> ids;
    for (size_t i = 0; i < records.size(); ++i) {
        const auto &r = records[i];
        QCOMPARE(r.row, i + 1);
        const auto &d = r.data;
        QVERIFY(d["id"].is_string());
        QVERIFY(ids.insert(d["id"].get<std::string>()).second);
        QVERIFY(!d["problem"].get<std::string>().empty());
        const auto &qs = d["questions"];
        QVERIFY(qs.is_array());
        QVERIFY(qs.size() >= 1 && qs.size() <= 4);
        const DemoCheck check = solveDemoRecord(r);
        QCOMPARE(check.family, d["meta"]["family"].get<std::string>());
        QCOMPARE(check.correctOptions.size(), qs.size());
        families[check.family]++;
        for (size_t q = 0; q < qs.size(); ++q) {
            const auto &opts = qs[q]["options"];
            // True-or-false questions (traits, negation) have two options, the others four.
            const size_t optionCount =
                check.family == "traits" || check.family == "negation" ? 2 : 4;
            QCOMPARE(opts.size(), optionCount);
            std::set<std::string> distinct;
            for (const auto &o : opts)
                distinct.insert(o.get<std::string>());
            QCOMPARE(distinct.size(), optionCount);
            const std::string answer = qs[q]["answer"].get<std::string>();
            QVERIFY(answer.size() == 1 && answer[0] >= 'A' && answer[0] < char('A' + optionCount));
            QCOMPARE(std::string(1, char('A' + check.correctOptions[q])), answer);
        }
    }
    // Every other problem is a negation one; the other five families take turns.
    QCOMPARE(families.size(), size_t(6));
    QCOMPARE(families["negation"], size_t(300));
    for (const char *f : {"ordering", "knights", "syllogism", "sets", "traits"})
        QCOMPARE(families[f], size_t(60));
}

void TstDemo::languages()
{
    for (const auto &r : generate(DemoLanguage::Chinese, 40)) {
        QVERIFY(hasCjk(allText(r.data)));
        QVERIFY(r.data["id"].get<std::string>().rfind("demo-zh-", 0) == 0);
        QCOMPARE(r.data["meta"]["language"].get<std::string>(), std::string("zh"));
    }
    for (const auto &r : generate(DemoLanguage::English, 40)) {
        QVERIFY2(isAscii(allText(r.data)), r.data["problem"].get<std::string>().c_str());
        QVERIFY(r.data["id"].get<std::string>().rfind("demo-en-", 0) == 0);
    }
    // The closed-world convention is stated in both languages.
    const auto zh = firstOf(generate(DemoLanguage::Chinese, 8), "syllogism");
    QVERIFY(zh.data["problem"].get<std::string>().find("未提及的事实均视为不成立") !=
            std::string::npos);
    const auto en = firstOf(generate(DemoLanguage::English, 8), "syllogism");
    QVERIFY(en.data["problem"].get<std::string>().find("not stated or derivable") !=
            std::string::npos);
}

void TstDemo::mixedLanguagesCoverBothPerFamily()
{
    DemoOptions options;
    options.problems = 64;
    options.mixedLanguages = true;
    std::map<std::string, std::set<std::string>> seen;
    size_t zh = 0;
    for (const auto &r : generateDemoProblems(options)) {
        const std::string lang = r.data["meta"]["language"];
        seen[r.data["meta"]["family"]].insert(lang);
        zh += lang == "zh" ? 1 : 0;
        QCOMPARE(hasCjk(allText(r.data)), lang == "zh");
    }
    QCOMPARE(zh, size_t(32));
    QCOMPARE(seen.size(), size_t(6));
    for (const auto &[family, langs] : seen)
        QCOMPARE(langs.size(), size_t(2));
}

void TstDemo::testFileOmitsAnswers()
{
    DemoOptions options;
    options.problems = 20;
    options.seed = 5;
    options.withAnswers = false;
    const auto test = generateDemoProblems(options);
    options.withAnswers = true;
    const auto train = generateDemoProblems(options);
    for (size_t i = 0; i < test.size(); ++i) {
        for (const auto &q : test[i].data["questions"])
            QVERIFY(!q.contains("answer"));
        QVERIFY(test[i].data.contains("meta"));
        // Same problems otherwise, and the hidden world still yields the answers.
        QCOMPARE(test[i].data["problem"].get<std::string>(),
                 train[i].data["problem"].get<std::string>());
        QVERIFY(solveDemoRecord(test[i]).correctOptions == storedAnswers(train[i]));
    }
}

void TstDemo::answerLettersSpread()
{
    for (auto lang : {DemoLanguage::English, DemoLanguage::Chinese}) {
        // Per option count: four-option letters spread over A-D, true/false over A and B.
        std::map<size_t, std::map<std::string, size_t>> letters;
        std::map<size_t, size_t> total;
        for (const auto &r : generate(lang, 400, 99)) {
            for (const auto &q : r.data["questions"]) {
                letters[q["options"].size()][q["answer"].get<std::string>()]++;
                ++total[q["options"].size()];
            }
        }
        QCOMPARE(letters.size(), size_t(2));
        QCOMPARE(letters[4].size(), size_t(4));
        for (const auto &[letter, count] : letters[4])
            QVERIFY2(count * 6 >= total[4], letter.c_str());
        QCOMPARE(letters[2].size(), size_t(2));
        for (const auto &[letter, count] : letters[2])
            QVERIFY2(count * 5 >= total[2] * 2, letter.c_str());
    }
}

void TstDemo::tamperedWorldIsCaught()
{
    const auto records = generate(DemoLanguage::English, 40, 11);

    // Ordering: dropping a clue of a minimal set leaves several orders.
    {
        DatasetRecord r = firstOf(records, "ordering");
        const auto expected = storedAnswers(r);
        QVERIFY(!checkerObjects(r, expected));
        r.data["meta"]["world"]["clues"].erase(0);
        QVERIFY(checkerObjects(r, expected));
    }
    // Ordering: a swapped stored order contradicts the clues.
    {
        DatasetRecord r = firstOf(records, "ordering");
        auto &order = r.data["meta"]["world"]["order"];
        std::swap(order[0], order[1]);
        QVERIFY(checkerObjects(r, storedAnswers(r)));
    }
    // Ordering: reversing a "before" clue changes the world.
    for (const auto &orig : records) {
        if (orig.data["meta"]["family"] != "ordering")
            continue;
        DatasetRecord r = orig;
        bool flipped = false;
        for (auto &c : r.data["meta"]["world"]["clues"]) {
            if (c["type"] == "before" && !flipped) {
                std::swap(c["a"], c["b"]);
                flipped = true;
            }
        }
        if (flipped)
            QVERIFY(checkerObjects(r, storedAnswers(orig)));
    }
    // Knights: negating one statement makes the old assignment inconsistent, so the puzzle
    // either becomes ambiguous, contradictory, or names a different world than the stored one.
    {
        bool tried = false;
        for (const auto &orig : records) {
            if (orig.data["meta"]["family"] != "knights" || tried)
                continue;
            DatasetRecord r = orig;
            for (auto &st : r.data["meta"]["world"]["statements"]) {
                auto &says = st["says"];
                if (tried)
                    break;
                if (says["claim"] == "isLiar" || says["claim"] == "isTruthTeller") {
                    says["claim"] = says["claim"] == "isLiar" ? "isTruthTeller" : "isLiar";
                    tried = true;
                }
            }
            if (tried)
                QVERIFY(checkerObjects(r, storedAnswers(orig)));
        }
        QVERIFY(tried);
        DatasetRecord r = firstOf(records, "knights");
        auto &types = r.data["meta"]["world"]["types"];
        const std::string first = r.data["meta"]["world"]["people"][0];
        types[first] = types[first] == "liar" ? "truth-teller" : "liar";
        QVERIFY(checkerObjects(r, storedAnswers(r)));
    }
    // Syllogism: removing every fact empties the derived world.
    {
        DatasetRecord r = firstOf(records, "syllogism");
        r.data["meta"]["world"]["facts"] = nlohmann::json::array();
        QVERIFY(checkerObjects(r, storedAnswers(r)));
    }
    // Sets: moving a student into a club changes the final lists.
    {
        DatasetRecord r = firstOf(records, "sets");
        auto &clubs = r.data["meta"]["world"]["clubs"];
        auto &members = clubs[0]["members"];
        const auto students = r.data["meta"]["world"]["students"];
        if (members.size() > 0)
            members.erase(members.size() - 1);
        else
            members.push_back(students[0]);
        QVERIFY(checkerObjects(r, storedAnswers(r)));
    }
    // Traits: without its facts nothing holds, so a true statement turns false.
    {
        bool tried = false;
        for (const auto &orig : records) {
            const auto answers = storedAnswers(orig);
            if (orig.data["meta"]["family"] != "traits" ||
                std::find(answers.begin(), answers.end(), size_t(0)) == answers.end())
                continue;
            DatasetRecord r = orig;
            r.data["meta"]["world"]["facts"] = nlohmann::json::array();
            QVERIFY(checkerObjects(r, answers));
            tried = true;
            break;
        }
        QVERIFY(tried);
    }
    // Negation: the fact turned around turns every answer around.
    {
        const auto it = std::find_if(records.begin(), records.end(), [](const auto &r) {
            return r.data["meta"]["family"] == "negation";
        });
        QVERIFY(it != records.end());
        DatasetRecord r = *it;
        auto &negated = r.data["meta"]["world"]["negated"];
        negated = !negated.get<bool>();
        const auto flipped = solveDemoRecord(r).correctOptions;
        const auto answers = storedAnswers(*it);
        QCOMPARE(flipped.size(), answers.size());
        for (size_t q = 0; q < answers.size(); ++q)
            QCOMPARE(flipped[q], 1 - answers[q]);
        // A question whose text no longer matches its form is reported.
        DatasetRecord wrongForm = *it;
        auto &form = wrongForm.data["meta"]["questions"][0]["form"];
        form = form == "plain" ? "not-the-case+not" : "plain";
        QVERIFY_THROWS_EXCEPTION(Error, solveDemoRecord(wrongForm));
    }
    // Any family: an option text that no longer says what its statement says.
    {
        DatasetRecord r = records[3];
        r.data["questions"][0]["options"][1] = "Something else entirely";
        QVERIFY(checkerObjects(r, storedAnswers(r)));
    }
    // Any family: two options made to be the same statement gives two or zero correct ones
    // (a true/false question's texts are fixed, so that is caught as text that does not match).
    for (size_t i = 0; i < 6; ++i) {
        DatasetRecord r = records[i];
        auto &q = r.data["meta"]["questions"][0];
        const size_t right = storedAnswers(r)[0];
        const bool trueFalse = r.data["questions"][0]["options"].size() == 2;
        const size_t other = (right + 1) % r.data["questions"][0]["options"].size();
        q["options"][other] = q["options"][right];
        r.data["questions"][0]["options"][other] = r.data["questions"][0]["options"][right];
        try {
            solveDemoRecord(r);
            QFAIL("two correct options were accepted");
        } catch (const Error &e) {
            QCOMPARE(int(e.code()), int(ErrorCode::Validation));
            if (!trueFalse)
                QVERIFY2(std::string(e.what()).find("exactly one") != std::string::npos, e.what());
        }
    }
}

void TstDemo::traitsBalancedAndUseRules()
{
    size_t trueCount = 0, falseCount = 0, derived = 0;
    for (const auto &r : generate(DemoLanguage::English, 1000, 31)) {
        if (r.data["meta"]["family"] != "traits")
            continue;
        const auto &meta = r.data["meta"];
        for (size_t q = 0; q < r.data["questions"].size(); ++q) {
            const bool isTrue = r.data["questions"][q]["answer"] == "A";
            (isTrue ? trueCount : falseCount)++;
            const auto &mq = meta["questions"][q];
            bool stated = false;
            for (const auto &f : meta["world"]["facts"])
                stated = stated || (f["x"] == mq["x"] && f["trait"] == mq["trait"]);
            // A true statement that no fact states is there through a rule.
            if (isTrue && !stated)
                ++derived;
        }
    }
    QCOMPARE(trueCount + falseCount, size_t(300));
    QVERIFY2(trueCount > 120 && falseCount > 120, qPrintable(QString::number(trueCount)));
    QVERIFY2(derived * 4 > trueCount, qPrintable(QString::number(derived)));
}

void TstDemo::negationAsksEveryForm()
{
    size_t problems = 0;
    for (const auto &r : generate(DemoLanguage::English, 40, 77)) {
        if (r.data["meta"]["family"] != "negation")
            continue;
        ++problems;
        const auto &qs = r.data["questions"];
        QCOMPARE(qs.size(), size_t(4));
        std::set<std::string> forms;
        size_t trueCount = 0;
        const bool negated = r.data["meta"]["world"]["negated"].get<bool>();
        const std::string person = r.data["meta"]["world"]["x"];
        for (size_t q = 0; q < qs.size(); ++q) {
            forms.insert(r.data["meta"]["questions"][q]["form"].get<std::string>());
            const bool isTrue = qs[q]["answer"] == "A";
            trueCount += isTrue ? 1 : 0;
            // Counted from the text, independently of the form names: the statement holds
            // when its negations and the fact's cancel out.
            const std::string text = qs[q]["question"];
            const int n = int(text.find("not the case that") != std::string::npos) +
                          int(text.find(person + " is not ") != std::string::npos);
            QCOMPARE(isTrue, (n + int(negated)) % 2 == 0);
        }
        // The four forms once each: two true and two false whatever the fact.
        QCOMPARE(forms.size(), size_t(4));
        QCOMPARE(trueCount, size_t(2));
    }
    QCOMPARE(problems, size_t(20));
    const auto zh = firstOf(generate(DemoLanguage::Chinese, 12), "negation");
    QVERIFY(zh.data["problem"].get<std::string>().find("已知") != std::string::npos);
    const std::string zhText = allText(zh.data);
    QVERIFY(zhText.find("并非") != std::string::npos && zhText.find("不") != std::string::npos);
}

void TstDemo::missingMetaThrows()
{
    DatasetRecord r = generate(DemoLanguage::Chinese, 1)[0];
    r.data.erase("meta");
    QVERIFY_THROWS_EXCEPTION(Error, solveDemoRecord(r));
    DatasetRecord bad = firstOf(generate(DemoLanguage::Chinese, 12), "traits");
    bad.data["meta"]["world"]["people"] = 17;
    try {
        solveDemoRecord(bad);
        QFAIL("a malformed world was accepted");
    } catch (const Error &e) {
        QCOMPARE(int(e.code()), int(ErrorCode::Validation));
    }
    DatasetRecord badNegation = firstOf(generate(DemoLanguage::Chinese, 12), "negation");
    badNegation.data["meta"]["world"]["negated"] = "yes";
    try {
        solveDemoRecord(badNegation);
        QFAIL("a negation world without a true/false fact was accepted");
    } catch (const Error &e) {
        QCOMPARE(int(e.code()), int(ErrorCode::Validation));
    }
    DatasetRecord unknown = generate(DemoLanguage::Chinese, 1)[0];
    unknown.data["meta"]["family"] = "sudoku";
    QVERIFY_THROWS_EXCEPTION(Error, solveDemoRecord(unknown));
}

void TstDemo::fast()
{
    const auto start = std::chrono::steady_clock::now();
    DemoOptions options;
    options.problems = 1000;
    options.mixedLanguages = true;
    const auto records = generateDemoProblems(options);
    const double seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    QCOMPARE(records.size(), size_t(1000));
    qInfo("1000 problems in %.3f s", seconds);
    QVERIFY2(seconds < 2.0, "generating 1000 problems took too long");
}

void TstDemo::printSamples()
{
    // Not an assertion: a human-readable sample in the test log.
    for (auto lang : {DemoLanguage::English, DemoLanguage::Chinese}) {
        const auto records = generate(lang, 4, 3);
        for (const auto &r : records) {
            std::string text = r.data["id"].get<std::string>() + "\n" +
                               r.data["problem"].get<std::string>() + "\n";
            for (const auto &q : r.data["questions"]) {
                text += q["question"].get<std::string>() + "\n";
                for (size_t i = 0; i < q["options"].size(); ++i)
                    text += "  " + std::string(1, char('A' + i)) + ". " +
                            q["options"][i].get<std::string>() + "\n";
                text += "  answer: " + q["answer"].get<std::string>() + "\n";
            }
            qInfo("%s", text.c_str());
        }
    }
}

QTEST_APPLESS_MAIN(TstDemo)
#include "tst_demo.moc"

#include "prompt/prompt_builder.h"
#include "prompt/template.h"

#include "test_util.h"

#include <QObject>
#include <QTest>

using nlohmann::json;

// QCOMPARE cannot take nlohmann::json directly (its conversions confuse QTest's overloads);
// compact dumps compare the same and print readably on failure.
#define COMPARE_JSON(actual, expected) WB_COMPARE_STR(json(actual).dump(), json(expected).dump())

namespace {

std::string render(const std::string &source, const json &context = json::object())
{
    return wb::PromptTemplate::parse(source).render(context);
}

struct Failure
{
    bool thrown = false;
    std::string what;
    size_t line = 0;
    size_t column = 0;
    std::string variable;
};

Failure parseFailure(const std::string &source)
{
    Failure f;
    try {
        wb::PromptTemplate::parse(source);
    } catch (const wb::TemplateError &e) {
        f = {true, e.what(), e.line(), e.column(), e.variable()};
    }
    return f;
}

Failure renderFailure(const std::string &source, const json &context)
{
    Failure f;
    try {
        render(source, context);
    } catch (const wb::TemplateError &e) {
        f = {true, e.what(), e.line(), e.column(), e.variable()};
    }
    return f;
}

bool contains(const std::string &haystack, const std::string &needle)
{
    return haystack.find(needle) != std::string::npos;
}

wb::DatasetRecord logicRecord()
{
    return wb::DatasetRecord{3, json::parse(R"({"id": "round1_train_data_007",
            "problem": "有一个家庭，成员有父亲、母亲和孩子。父亲喜欢音乐。",
            "questions": [
              {"question": "选择题 1：\n谁喜欢音乐？", "options": ["父亲", "母亲", "孩子"],
               "answer": "A"},
              {"question": "选择题 2：\n母亲喜欢音乐吗？", "options": ["是", "否"], "answer": "B"},
              {"question": "选择题 3：\n孩子是谁？", "options": ["甲", "乙", "丙", "丁"]}
            ]})")};
}

std::string ops(const std::vector<wb::DiffLine> &diff)
{
    std::string s;
    for (const auto &line : diff) {
        s += line.op == wb::DiffLine::Op::Same    ? ' '
             : line.op == wb::DiffLine::Op::Added ? '+'
                                                  : '-';
        s += line.text + "|";
    }
    return s;
}

} // namespace

class TstTemplate : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void variables()
    {
        WB_COMPARE_STR(render("Hi {{name}}!", {{"name", "Ada"}}), "Hi Ada!");
        WB_COMPARE_STR(render("{{ name }}|{{name}}|{{  name\t}}", {{"name", "x"}}), "x|x|x");
        WB_COMPARE_STR(render("no tags at all\n"), "no tags at all\n");
        WB_COMPARE_STR(render(""), "");
        // Single braces are plain text.
        WB_COMPARE_STR(render("{a} }} {x}", {}), "{a} }} {x}");
        WB_COMPARE_STR(render("中文{{名字}}。", {{"名字", "张三"}}), "中文张三。");
    }

    void dottedPaths()
    {
        const json ctx = {{"a", {{"b", {{"c", "deep"}}}}}, {"list", {"x", "y", "z"}}};
        WB_COMPARE_STR(render("{{a.b.c}}", ctx), "deep");
        WB_COMPARE_STR(render("{{list.1}}", ctx), "y");
        WB_COMPARE_STR(render("{{a.b}}", ctx), R"({"c":"deep"})");
    }

    void valueRendering()
    {
        const json ctx = {{"i", 42},
                          {"neg", -7},
                          {"f", 2.5},
                          {"whole", 3.0},
                          {"t", true},
                          {"fa", false},
                          {"n", nullptr},
                          {"s", "text"},
                          {"arr", {"a", "b", "c"}},
                          {"nums", {1, 2}},
                          {"empty", json::array()},
                          {"obj", {{"k", 1}}},
                          {"objs", {{{"k", 1}}}}};
        WB_COMPARE_STR(render("{{i}} {{neg}} {{f}} {{whole}}", ctx), "42 -7 2.5 3");
        WB_COMPARE_STR(render("{{t}}/{{fa}}", ctx), "true/false");
        WB_COMPARE_STR(render("[{{n}}]", ctx), "[]");
        WB_COMPARE_STR(render("{{arr}}", ctx), "a, b, c");
        WB_COMPARE_STR(render("{{nums}}", ctx), "1, 2");
        WB_COMPARE_STR(render("[{{empty}}]", ctx), "[]");
        WB_COMPARE_STR(render("{{obj}}", ctx), R"({"k":1})");
        WB_COMPARE_STR(render("{{objs}}", ctx), R"([{"k":1}])");
        WB_COMPARE_STR(render("{{s}}", ctx), "text");
    }

    void eachWithLetters()
    {
        const json ctx = {{"options", {"x", "y"}}};
        WB_COMPARE_STR(render("{{#each options}}{{letter}}. {{this}}\n{{/each}}", ctx),
                       "A. x\nB. y\n");
        // The same laid out one tag per line renders identically.
        WB_COMPARE_STR(render("{{#each options}}\n{{letter}}. {{this}}\n{{/each}}\n", ctx),
                       "A. x\nB. y\n");
        WB_COMPARE_STR(
            render("{{#each options}}{{index}}{{number}}{{first}}{{last}};{{/each}}", ctx),
            "01truefalse;12falsetrue;");
        WB_COMPARE_STR(render("{{#each options}}x{{/each}}", {{"options", json::array()}}), "");

        json many = json::array();
        for (int i = 0; i < 28; ++i)
            many.push_back(i);
        const std::string letters = render("{{#each l}}{{letter}} {{/each}}", {{"l", many}});
        QVERIFY(letters.starts_with("A B C "));
        QVERIFY(letters.ends_with("Y Z AA AB "));
    }

    void eachOverObjectsAndOuterScope()
    {
        const json ctx = {
            {"sep", ":"},
            {"name", "outer"},
            {"people", {{{"name", "Ann"}, {"age", 30}}, {{"name", "Bo"}, {"age", 4}}}}};
        WB_COMPARE_STR(render("{{#each people}}{{name}}{{sep}}{{age}} {{this.name}};{{/each}}"
                              "{{name}}",
                              ctx),
                       "Ann:30 Ann;Bo:4 Bo;outer");
    }

    void nestedEach()
    {
        const json ctx = {
            {"qs", {{{"q", "one"}, {"options", {"a", "b"}}}, {{"q", "two"}, {"options", {"c"}}}}}};
        const std::string tpl = "{{#each qs}}\n"
                                "Q{{number}} {{q}}\n"
                                "  {{#each options}}\n"
                                "  {{letter}}) {{this}}\n"
                                "  {{/each}}\n"
                                "{{/each}}\n";
        WB_COMPARE_STR(render(tpl, ctx), "Q1 one\n  A) a\n  B) b\nQ2 two\n  A) c\n");
        // The inner loop's locals shadow the outer ones; outer fields stay visible.
        WB_COMPARE_STR(
            render("{{#each qs}}{{#each options}}{{q}}{{index}}{{/each}}|{{/each}}", ctx),
            "one0one1|two0|");
    }

    void conditionals()
    {
        const std::string tpl = "{{#if x}}yes{{else}}no{{/if}}";
        WB_COMPARE_STR(render(tpl, {{"x", true}}), "yes");
        WB_COMPARE_STR(render(tpl, {{"x", "text"}}), "yes");
        WB_COMPARE_STR(render(tpl, {{"x", 3}}), "yes");
        WB_COMPARE_STR(render(tpl, {{"x", {1}}}), "yes");
        WB_COMPARE_STR(render(tpl, {{"x", false}}), "no");
        WB_COMPARE_STR(render(tpl, {{"x", ""}}), "no");
        WB_COMPARE_STR(render(tpl, {{"x", 0}}), "no");
        WB_COMPARE_STR(render(tpl, {{"x", nullptr}}), "no");
        WB_COMPARE_STR(render(tpl, {{"x", json::array()}}), "no");
        WB_COMPARE_STR(render(tpl, json::object()), "no"); // missing is simply false
        WB_COMPARE_STR(render("{{#if a.b}}y{{/if}}", {{"a", 1}}), "");
        WB_COMPARE_STR(render("{{#if x}}only{{/if}}", {{"x", 1}}), "only");
        WB_COMPARE_STR(render("{{#unless x}}none{{/unless}}", json::object()), "none");
        WB_COMPARE_STR(render("{{#unless x}}none{{/unless}}", {{"x", "v"}}), "");
        WB_COMPARE_STR(render("{{#unless x}}a{{else}}b{{/unless}}", {{"x", 1}}), "b");
        WB_COMPARE_STR(render("{{#each l}}{{#if first}}[{{/if}}{{this}}{{#unless last}},"
                              "{{/unless}}{{#if last}}]{{/if}}{{/each}}",
                              {{"l", {1, 2, 3}}}),
                       "[1,2,3]");
        // Branches only render what they take: a missing variable in the other one is fine.
        WB_COMPARE_STR(render("{{#if x}}{{missing}}{{else}}ok{{/if}}", json::object()), "ok");
    }

    void standaloneLines()
    {
        const std::string tpl = "Header\n"
                                "{{#if show}}\n"
                                "  shown {{v}}\n"
                                "{{else}}\n"
                                "  hidden\n"
                                "{{/if}}\n"
                                "Footer\n";
        WB_COMPARE_STR(render(tpl, {{"show", true}, {"v", 1}}), "Header\n  shown 1\nFooter\n");
        WB_COMPARE_STR(render(tpl, {{"show", false}}), "Header\n  hidden\nFooter\n");

        // Indented tags, trailing blanks and CRLF line ends are standalone too.
        WB_COMPARE_STR(render("a\n   {{#if t}}  \r\nb\r\n\t{{/if}}\nc", {{"t", 1}}), "a\nb\r\nc");
        // A standalone tag on the last line without a newline.
        WB_COMPARE_STR(render("a\n{{#if t}}\nb\n{{/if}}", {{"t", 1}}), "a\nb\n");
        // Comments lines vanish, including multi-line comments.
        WB_COMPARE_STR(render("a\n{{! note }}\nb\n  {{! two\nlines }}\nc\n"), "a\nb\nc\n");
        // Two tags on one line are not standalone: their line break stays.
        WB_COMPARE_STR(render("{{#if t}}{{/if}}\nx", {{"t", 1}}), "\nx");
        // A variable tag alone on its line keeps the line break.
        WB_COMPARE_STR(render("{{v}}\nx", {{"v", ""}}), "\nx");
        // Text before the tag on the same line keeps it inline.
        WB_COMPARE_STR(render("a {{#if t}}\nb\n{{/if}}\n", {{"t", 1}}), "a \nb\n");
        // Blank lines around standalone tags are kept.
        WB_COMPARE_STR(render("a\n\n{{#if t}}\nb\n{{/if}}\n\nc", {{"t", 1}}), "a\n\nb\n\nc");
        // Consecutive tag lines all vanish.
        WB_COMPARE_STR(render("{{#if a}}\n{{#if b}}\nx\n{{/if}}\n{{/if}}\n", {{"a", 1}, {"b", 1}}),
                       "x\n");
        // An each whose body is a full line: one line per item, nothing extra.
        WB_COMPARE_STR(render("Q\n{{#each o}}\n- {{this}}\n{{/each}}\nEnd", {{"o", {"1", "2"}}}),
                       "Q\n- 1\n- 2\nEnd");
    }

    void escaping()
    {
        WB_COMPARE_STR(render("\\{{name}}", {{"name", "x"}}), "{{name}}");
        WB_COMPARE_STR(render("a \\{{ b"), "a {{ b");
        WB_COMPARE_STR(render("\\\\{{name}}", {{"name", "x"}}), "\\x");
        WB_COMPARE_STR(render("C:\\path\\file {{n}}", {{"n", 1}}), "C:\\path\\file 1");
        // An escaped "{{" is content: its line is not a standalone tag line.
        WB_COMPARE_STR(render("\\{{#if}}\n"), "{{#if}}\n");
    }

    void comments()
    {
        WB_COMPARE_STR(render("a{{! ignore {{ this }}b", json::object()), "ab");
        WB_COMPARE_STR(render("a{{!}}b"), "ab");
        WB_COMPARE_STR(render("a{{ ! spaced }}b"), "ab");
    }

    void syntaxErrors_data()
    {
        QTest::addColumn<QString>("source");
        QTest::addColumn<QString>("message");
        QTest::addColumn<int>("line");
        QTest::addColumn<int>("column");

        auto row = [](const char *name, const char *source, const char *message, int line,
                      int column) {
            QTest::newRow(name) << QString::fromUtf8(source) << QString::fromUtf8(message) << line
                                << column;
        };
        row("unclosed", "a\nb\nc\nabc {{name\n}}", "unclosed tag '{{' at line 4, column 5", 4, 5);
        row("unclosed at end", "x {{", "unclosed tag '{{' at line 1, column 3", 1, 3);
        row("unclosed comment", "{{! never closed", "unclosed tag '{{' at line 1, column 1", 1, 1);
        row("mismatched close", "x\n{{#each options}}\n{{letter}}\n{{/if}}",
            "{{/if}} at line 4, column 1 closes {{#each options}} opened at line 2", 4, 1);
        row("close without open", "a {{/each}}",
            "{{/each}} at line 1, column 3 has no matching "
            "{{#each}}",
            1, 3);
        row("unknown block", "a\n  {{#for x}}", "unknown block '#for' at line 2, column 3", 2, 3);
        row("unknown close", "{{/for}}", "unknown block '/for' at line 1, column 1", 1, 1);
        row("partial", "{{> other}}", "unknown block '>other' at line 1, column 1", 1, 1);
        row("empty variable", "ab{{ }}", "empty variable name at line 1, column 3", 1, 3);
        row("empty braces", "{{}}", "empty variable name at line 1, column 1", 1, 1);
        row("bad name", "{{a b}}", "invalid variable name 'a b' at line 1, column 1", 1, 1);
        row("bad dots", "{{a..b}}", "invalid variable name 'a..b' at line 1, column 1", 1, 1);
        row("each without name", "{{#each}}", "{{#each}} needs a variable name at line 1, column 1",
            1, 1);
        row("else outside", "x\n y {{else}}",
            "{{else}} outside {{#if}} at line 2, "
            "column 4",
            2, 4);
        row("else in each", "{{#each l}}{{else}}{{/each}}",
            "{{else}} outside {{#if}} at line 1, column 12", 1, 12);
        row("second else", "{{#if a}}1{{else}}2{{else}}3{{/if}}",
            "second {{else}} at line 1, column 20 in {{#if a}} opened "
            "at line 1",
            1, 20);
        row("missing close", "{{#each options}}\n{{this}}\n",
            "missing {{/each}} for {{#each options}} opened at line "
            "1, column 1",
            1, 1);
        row("missing inner close", "{{#if a}}\n  {{#unless b}}\n{{/if}}",
            "{{/if}} at line 3, column 1 closes {{#unless b}} "
            "opened at line 2",
            3, 1);
        row("close names another list", "{{#each a}}{{/each b}}",
            "{{/each b}} at line 1, column 12 closes {{#each a}} opened at line 1", 1, 12);
        // Columns count characters, not bytes.
        row("column after chinese", "题目：{{#bad}}", "unknown block '#bad' at line 1, column 4", 1,
            4);
    }

    void syntaxErrors()
    {
        QFETCH(QString, source);
        QFETCH(QString, message);
        QFETCH(int, line);
        QFETCH(int, column);
        const Failure f = parseFailure(source.toStdString());
        QVERIFY(f.thrown);
        WB_COMPARE_STR(f.what, message.toStdString());
        QCOMPARE(f.line, size_t(line));
        QCOMPARE(f.column, size_t(column));
    }

    void missingVariable()
    {
        const std::string tpl = "### 题目:\n{{problem}}\n\n### 问题: {{questoin}}\n";
        const Failure f = renderFailure(tpl, {{"problem", "p"}, {"question", "q"}});
        QVERIFY(f.thrown);
        WB_COMPARE_STR(f.what, "unknown variable 'questoin' at line 4, column 9");
        WB_COMPARE_STR(f.variable, "questoin");
        QCOMPARE(f.line, size_t(4));
        QCOMPARE(f.column, size_t(9));

        const Failure dotted = renderFailure("{{a.b.x}}", {{"a", {{"b", {{"c", 1}}}}}});
        WB_COMPARE_STR(dotted.what, "unknown variable 'a.b.x' at line 1, column 1");
        WB_COMPARE_STR(dotted.variable, "a.b.x");

        // Loop variables exist only inside their loop.
        const Failure outside = renderFailure("{{#each l}}{{/each}}{{letter}}", {{"l", {1}}});
        WB_COMPARE_STR(outside.what, "unknown variable 'letter' at line 1, column 21");

        const Failure loop = renderFailure("\n{{#each nope}}x{{/each}}", json::object());
        WB_COMPARE_STR(loop.what, "unknown variable 'nope' at line 2, column 1");
        WB_COMPARE_STR(loop.variable, "nope");

        const Failure notList = renderFailure("{{#each s}}x{{/each}}", {{"s", "abc"}});
        WB_COMPARE_STR(notList.what,
                       "{{#each s}} needs a list, but 's' is a string at line 1, column 1");
        WB_COMPARE_STR(notList.variable, "s");
        const Failure nullList = renderFailure("{{#each s}}x{{/each}}", {{"s", nullptr}});
        WB_COMPARE_STR(nullList.what,
                       "{{#each s}} needs a list, but 's' is null at line 1, column 1");
    }

    void variablesList()
    {
        const auto t = wb::PromptTemplate::parse(
            "{{#each options}}{{letter}}{{this}}{{index}}{{/each}}{{a.b}}");
        QCOMPARE(t.variables(), (std::vector<std::string>{"options", "a"}));

        const auto u = wb::PromptTemplate::parse(
            "{{problem}} {{#if rationale}}{{rationale}}{{/if}}{{question}}{{problem}}"
            "{{#each options}}{{number}}{{#each nested}}{{first}}{{/each}}{{/each}}"
            "{{#unless answer}}{{/unless}}{{letter}}{{! {{comment}} }}");
        // "letter" outside a loop is an ordinary variable; comments read nothing.
        QCOMPARE(u.variables(),
                 (std::vector<std::string>{"problem", "rationale", "question", "options", "nested",
                                           "answer", "letter"}));
        QVERIFY(wb::PromptTemplate::parse("plain").variables().empty());
        WB_COMPARE_STR(u.source().substr(0, 11), "{{problem}}");
    }

    void tokenize()
    {
        using K = wb::TemplateToken::Kind;
        const std::string text = "a{{x}} {{#each l}}{{! c }}\\{{ {{/each}}{{bad tag}}{{y";
        const auto spans = wb::tokenizeTemplate(text);
        QCOMPARE(spans.size(), size_t(7));
        const std::vector<std::pair<K, std::string>> expected = {
            {K::Variable, "{{x}}"}, {K::Block, "{{#each l}}"}, {K::Comment, "{{! c }}"},
            {K::Escape, "\\{{"},    {K::Block, "{{/each}}"},   {K::Error, "{{bad tag}}"},
            {K::Error, "{{y"}};
        for (size_t i = 0; i < spans.size(); ++i) {
            QCOMPARE(int(spans[i].kind), int(expected[i].first));
            WB_COMPARE_STR(text.substr(spans[i].begin, spans[i].end - spans[i].begin),
                           expected[i].second);
        }
        QCOMPARE(spans[0].begin, size_t(1));
        QCOMPARE(spans[0].end, size_t(6));

        // An unterminated tag marks its own line only; the next line is highlighted normally.
        const std::string two = "x {{oops\n{{else}}";
        const auto s2 = wb::tokenizeTemplate(two);
        QCOMPARE(s2.size(), size_t(2));
        QCOMPARE(int(s2[0].kind), int(K::Error));
        WB_COMPARE_STR(two.substr(s2[0].begin, s2[0].end - s2[0].begin), "{{oops");
        QCOMPARE(int(s2[1].kind), int(K::Block));

        const auto s3 = wb::tokenizeTemplate("\\\\{{v}}");
        QCOMPARE(s3.size(), size_t(2));
        QCOMPARE(int(s3[0].kind), int(K::Escape));
        QCOMPARE(int(s3[1].kind), int(K::Variable));
        QVERIFY(wb::tokenizeTemplate("").empty());
        QVERIFY(wb::tokenizeTemplate("plain { } }}").empty());
    }

    void builtinZhTemplate()
    {
        const auto &builtins = wb::builtinTemplates();
        QCOMPARE(builtins.size(), size_t(4));
        WB_COMPARE_STR(builtins[0].name, "logic-zh-cot");
        const auto tpl = wb::PromptTemplate::parse(builtins[0].body);
        const auto prompts = wb::renderRecord(tpl, wb::DatasetFormat::Logic, logicRecord());
        QCOMPARE(prompts.size(), size_t(3));

        const std::string expected =
            "你是一个逻辑推理专家，擅长解决逻辑推理问题。以下是一个逻辑推理的题目，形式为单项选择题"
            "。"
            "所有的问题都是（close-world assumption）闭世界假设，即未观测事实都为假。"
            "请逐步分析问题并在最后一行输出答案，最后一行的格式为\"答案是：A\"。题目如下：\n"
            "\n"
            "### 题目:\n"
            "有一个家庭，成员有父亲、母亲和孩子。父亲喜欢音乐。\n"
            "\n"
            "### 问题:\n"
            "选择题 1：\n"
            "谁喜欢音乐？\n"
            "A. 父亲\n"
            "B. 母亲\n"
            "C. 孩子\n";
        WB_COMPARE_STR(prompts[0].text, expected);
        QVERIFY(prompts[1].text.ends_with("母亲喜欢音乐吗？\nA. 是\nB. 否\n"));
        QVERIFY(prompts[2].text.ends_with("\nA. 甲\nB. 乙\nC. 丙\nD. 丁\n"));
        QCOMPARE(tpl.variables(), (std::vector<std::string>{"problem", "question", "options"}));
    }

    void renderedPromptsPerQuestion()
    {
        const auto tpl = wb::PromptTemplate::parse("{{question_number}}/{{question_count}}");
        const auto prompts = wb::renderRecord(tpl, wb::DatasetFormat::Logic, logicRecord());
        QCOMPARE(prompts.size(), size_t(3));
        const char *letters[] = {"A", "B", ""};
        for (size_t i = 0; i < prompts.size(); ++i) {
            QCOMPARE(prompts[i].recordRow, size_t(3));
            QCOMPARE(prompts[i].questionIndex, i);
            WB_COMPARE_STR(prompts[i].recordId, "round1_train_data_007");
            WB_COMPARE_STR(prompts[i].expected, letters[i]);
            WB_COMPARE_STR(prompts[i].text, std::to_string(i + 1) + "/3");
        }
    }

    void logicContexts()
    {
        const auto contexts = wb::templateContexts(wb::DatasetFormat::Logic, logicRecord());
        QCOMPARE(contexts.size(), size_t(3));
        const json &c = contexts[0];
        WB_COMPARE_STR(c["id"].get<std::string>(), "round1_train_data_007");
        WB_COMPARE_STR(c["answer"].get<std::string>(), "A");
        WB_COMPARE_STR(c["answer_text"].get<std::string>(), "父亲");
        WB_COMPARE_STR(c["option_letters"].get<std::string>(), "A, B, C");
        QCOMPARE(c["question_index"].get<int>(), 0);
        QCOMPARE(c["question_number"].get<int>(), 1);
        QCOMPARE(c["question_count"].get<int>(), 3);
        WB_COMPARE_STR(c["rationale"].get<std::string>(), "");
        COMPARE_JSON(c["options"], json({"父亲", "母亲", "孩子"}));
        WB_COMPARE_STR(contexts[1]["answer_text"].get<std::string>(), "否");
        WB_COMPARE_STR(contexts[2]["answer"].get<std::string>(), "");
        WB_COMPARE_STR(contexts[2]["answer_text"].get<std::string>(), "");
        WB_COMPARE_STR(contexts[2]["option_letters"].get<std::string>(), "A, B, C, D");

        // Every builtin logic template renders on every sub-question (no missing variable).
        for (const auto &builtin : wb::builtinTemplates()) {
            if (!builtin.name.starts_with("logic"))
                continue;
            const auto tpl = wb::PromptTemplate::parse(builtin.body);
            for (const auto &ctx : contexts)
                QVERIFY(!tpl.render(ctx).empty());
        }
        const auto direct = wb::PromptTemplate::parse(wb::builtinTemplates()[2].body);
        QVERIFY(direct.render(contexts[0])
                    .ends_with("C. 孩子\nAnswer with the letter only (A, B, C).\nAnswer:"));
        const auto english = wb::PromptTemplate::parse(wb::builtinTemplates()[1].body);
        const std::string en = english.render(contexts[1]);
        QVERIFY(contains(en, "\"Answer: A\""));
        QVERIFY(en.ends_with("### Question:\n选择题 2：\n母亲喜欢音乐吗？\nA. 是\nB. 否\n"));
    }

    void alpaca()
    {
        const wb::DatasetRecord withInput{
            5, {{"instruction", "Translate."}, {"input", "你好"}, {"output", "Hello"}}};
        const auto contexts = wb::templateContexts(wb::DatasetFormat::Alpaca, withInput);
        QCOMPARE(contexts.size(), size_t(1));
        // `context` is the knowledge-base passages, "" until a ContextProvider fills it.
        COMPARE_JSON(contexts[0], json({{"context", ""},
                                        {"instruction", "Translate."},
                                        {"input", "你好"},
                                        {"output", "Hello"},
                                        {"system", ""}}));

        const auto tpl = wb::PromptTemplate::parse(wb::builtinTemplates()[3].body);
        const auto prompts = wb::renderRecord(tpl, wb::DatasetFormat::Alpaca, withInput);
        QCOMPARE(prompts.size(), size_t(1));
        WB_COMPARE_STR(prompts[0].recordId, "row 5");
        WB_COMPARE_STR(prompts[0].expected, "Hello");
        WB_COMPARE_STR(prompts[0].text,
                       "Below is an instruction that describes a task, paired with an input that "
                       "provides further context. Write a response that appropriately completes "
                       "the request.\n\n### Instruction:\nTranslate.\n\n### Input:\n你好\n\n"
                       "### Response:\n");

        const wb::DatasetRecord noInput{6, {{"instruction", "Say hi."}, {"output", "Hi"}}};
        WB_COMPARE_STR(wb::renderRecord(tpl, wb::DatasetFormat::Alpaca, noInput)[0].text,
                       "Below is an instruction that describes a task. Write a response that "
                       "appropriately completes the request.\n\n### Instruction:\nSay hi.\n\n"
                       "### Response:\n");

        const wb::DatasetRecord withSystem{
            7,
            {{"instruction", "Say hi."}, {"input", ""}, {"output", "Hi"}, {"system", "Be brief."}}};
        WB_COMPARE_STR(wb::renderRecord(tpl, wb::DatasetFormat::Alpaca, withSystem)[0].text,
                       "Be brief.\n\n### Instruction:\nSay hi.\n\n### Response:\n");
    }

    void chat()
    {
        const wb::DatasetRecord record{2, json::parse(R"({"messages": [
                {"role": "system", "content": "Be kind."},
                {"role": "user", "content": "Hi"},
                {"role": "assistant", "content": "Hello!"},
                {"role": "user", "content": "2+2?"},
                {"role": "assistant", "content": "4"}]})")};
        const auto contexts = wb::templateContexts(wb::DatasetFormat::Chat, record);
        QCOMPARE(contexts.size(), size_t(1));
        const json &c = contexts[0];
        WB_COMPARE_STR(c["system"].get<std::string>(), "Be kind.");
        WB_COMPARE_STR(c["prompt"].get<std::string>(), "2+2?");
        WB_COMPARE_STR(c["response"].get<std::string>(), "4");
        QCOMPARE(c["messages"].size(), size_t(5));
        COMPARE_JSON(c["history"], json::parse(R"([{"role": "user", "content": "Hi"},
                                              {"role": "assistant", "content": "Hello!"}])"));

        const auto tpl = wb::PromptTemplate::parse("{{#if system}}\n[{{system}}]\n{{/if}}\n"
                                                   "{{#each history}}\n{{role}}: {{content}}\n"
                                                   "{{/each}}\nuser: {{prompt}}\nassistant:");
        const auto prompts = wb::renderRecord(tpl, wb::DatasetFormat::Chat, record);
        QCOMPARE(prompts.size(), size_t(1));
        WB_COMPARE_STR(prompts[0].text,
                       "[Be kind.]\nuser: Hi\nassistant: Hello!\nuser: 2+2?\nassistant:");
        WB_COMPARE_STR(prompts[0].expected, "4");
        WB_COMPARE_STR(prompts[0].recordId, "row 2");

        // A chat ending on a user turn has no reference answer yet.
        const wb::DatasetRecord open{1,
                                     json::parse(R"({"messages": [{"role": "user", "content": "a"},
                {"role": "assistant", "content": "b"}, {"role": "user", "content": "c"}]})")};
        const json o = wb::templateContexts(wb::DatasetFormat::Chat, open)[0];
        WB_COMPARE_STR(o["prompt"].get<std::string>(), "c");
        WB_COMPARE_STR(o["response"].get<std::string>(), "");
        WB_COMPARE_STR(o["system"].get<std::string>(), "");
        QCOMPARE(o["history"].size(), size_t(2));
    }

    void nestingLimit()
    {
        std::string deep;
        for (int i = 0; i < 65; ++i)
            deep += "{{#if a}}";
        const Failure f = parseFailure(deep);
        QVERIFY(f.thrown);
        QVERIFY(f.what.starts_with("blocks nested deeper than 64 levels at line 1, column 577"));
        std::string ok;
        for (int i = 0; i < 64; ++i)
            ok = "{{#if a}}" + ok + "{{/if}}";
        WB_COMPARE_STR(render(ok + "x", {{"a", 1}}), "x");
    }

    // Random soup of template syntax: tokenizing never throws and yields ordered, in-bounds
    // spans; parsing and rendering either work or throw TemplateError, nothing else.
    void randomInputIsSafe()
    {
        const std::vector<std::string> pieces = {"{{",     "}}",   "{",     "}",   "\\",   "\\{{",
                                                 "#each ", "#if ", "/each", "/if", "else", "!",
                                                 "a",      "l",    ".",     " ",   "\n",   "题"};
        uint32_t seed = 12345;
        auto next = [&] {
            seed = seed * 1664525u + 1013904223u;
            return seed >> 8;
        };
        const json ctx = {{"a", 1}, {"l", {1, 2}}};
        for (int round = 0; round < 3000; ++round) {
            std::string text;
            const int length = int(next() % 24);
            for (int i = 0; i < length; ++i)
                text += pieces[next() % pieces.size()];
            size_t last = 0;
            for (const auto &span : wb::tokenizeTemplate(text)) {
                QVERIFY(span.begin >= last && span.begin < span.end && span.end <= text.size());
                last = span.end;
            }
            try {
                wb::PromptTemplate::parse(text).render(ctx);
            } catch (const wb::TemplateError &e) {
                QVERIFY(e.line() >= 1 && e.column() >= 1);
            }
        }
    }

    void diffInsertDeleteReplace()
    {
        using Op = wb::DiffLine::Op;
        WB_COMPARE_STR(ops(wb::diffLines("a\nb\nc\n", "a\nb\nc\n")), " a| b| c|");
        WB_COMPARE_STR(ops(wb::diffLines("a\nc\n", "a\nb\nc\n")), " a|+b| c|");
        WB_COMPARE_STR(ops(wb::diffLines("a\nb\nc", "a\nc")), " a|-b| c|");
        WB_COMPARE_STR(ops(wb::diffLines("a\nb\nc", "a\nB\nc")), " a|-b|+B| c|");
        WB_COMPARE_STR(ops(wb::diffLines("", "x\ny")), "+x|+y|");
        WB_COMPARE_STR(ops(wb::diffLines("x\ny", "")), "-x|-y|");
        WB_COMPARE_STR(ops(wb::diffLines("", "")), "");
        WB_COMPARE_STR(ops(wb::diffLines("1\n2\n3\n4\n5", "0\n1\n3\n4\nx\n5\n6")),
                       "+0| 1|-2| 3| 4|+x| 5|+6|");
        WB_COMPARE_STR(ops(wb::diffLines("a\r\nb\r\n", "a\nb\n")), " a| b|");

        // Long texts with one change: linear thanks to prefix/suffix trimming.
        std::string before, after;
        for (int i = 0; i < 20000; ++i) {
            before += "line " + std::to_string(i) + "\n";
            after += (i == 10000 ? std::string("changed\n") : "line " + std::to_string(i) + "\n");
        }
        const auto diff = wb::diffLines(before, after);
        QCOMPARE(diff.size(), size_t(20001));
        QCOMPARE(int(diff[10000].op), int(Op::Removed));
        WB_COMPARE_STR(diff[10001].text, "changed");
        QCOMPARE(int(diff[10001].op), int(Op::Added));
    }
};

QTEST_APPLESS_MAIN(TstTemplate)
#include "tst_template.moc"

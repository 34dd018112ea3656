// Chat templates: byte-for-byte agreement with transformers' apply_chat_template (the reference
// fixtures), with jinja2 in transformers' environment (tests/fixtures/chat_templates and the
// tables below, whose expected texts jinja2 3.1.6 produced), errors where they raise, clear
// parse errors, and limits that stop runaway templates.

#include "test_util.h"

#include "common/error.h"
#include "common/files.h"
#include "tokenizer/chat_template.h"

#include <QTemporaryDir>
#include <QtTest>

#include <nlohmann/json.hpp>

#include <chrono>
#include <functional>

namespace fs = std::filesystem;
using ordered_json = nlohmann::ordered_json;

namespace {

fs::path sourceDir()
{
    return fs::path(qEnvironmentVariable("WB_TEST_SOURCE_DIR", QStringLiteral(".")).toStdString());
}

std::vector<wb::ChatMessage> toMessages(const nlohmann::json &messages)
{
    std::vector<wb::ChatMessage> out;
    for (const auto &m : messages)
        out.push_back({m.at("role").get<std::string>(), m.at("content").get<std::string>()});
    return out;
}

// Renders with every variable (messages and special tokens included) passed through `extra`,
// in order, so a row can hold messages with tool_calls.
std::string renderAll(const std::string &source, const std::string &variablesJson)
{
    const auto t = wb::ChatTemplate::parse(source);
    return t.render({}, false, "", "", ordered_json::parse(variablesJson));
}

// Runs `f`, which must throw wb::Error; returns it.
wb::Error expectError(const std::function<void()> &f)
{
    try {
        f();
    } catch (const wb::Error &e) {
        return e;
    }
    QTest::qFail("expected a wb::Error, but nothing was thrown", __FILE__, __LINE__);
    return wb::Error(wb::ErrorCode::Internal, "no error");
}

bool contains(const std::string &haystack, const std::string &needle)
{
    return haystack.find(needle) != std::string::npos;
}

} // namespace

class TestChatTemplate : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void transformersReference();
    void modelFamilyTemplates();
    void fromModelDir();
    void whitespace_data();
    void whitespace();
    void loops_data();
    void loops();
    void scoping_data();
    void scoping();
    void filters_data();
    void filters();
    void tests_data();
    void tests();
    void methods_data();
    void methods();
    void expressions_data();
    void expressions();
    void tojson_data();
    void tojson();
    void renderErrors();
    void parseErrors();
    void unsupportedFeatures();
    void limits();
    void familyDetector();

private:
    static void addColumns()
    {
        QTest::addColumn<QByteArray>("source");
        QTest::addColumn<QByteArray>("variables");
        QTest::addColumn<QByteArray>("expected");
    }

    static void checkRow()
    {
        QFETCH(QByteArray, source);
        QFETCH(QByteArray, variables);
        QFETCH(QByteArray, expected);
        try {
            WB_COMPARE_STR(renderAll(source.toStdString(), variables.toStdString()),
                           expected.toStdString());
        } catch (const wb::Error &e) {
            QFAIL(
                ("unexpected error: " + std::string(e.what()) + " [" + e.context() + "]").c_str());
        }
    }
};

void TestChatTemplate::transformersReference()
{
    int checked = 0;
    for (const char *tokenizer : {"qwen2-bpe", "llama3-bpe"}) {
        const fs::path file =
            sourceDir() / "tests/fixtures/reference/tokenizers" / tokenizer / "expected.json";
        const auto expected = nlohmann::json::parse(wb::readFile(file));
        QVERIFY(!expected.at("chat").empty());
        for (const auto &entry : expected.at("chat")) {
            const auto t = wb::ChatTemplate::parse(entry.at("template").get<std::string>());
            QCOMPARE(t.family(), entry.at("family").get<std::string>());
            const auto messages = toMessages(entry.at("messages"));
            const bool gen = entry.at("add_generation_prompt").get<bool>();
            const auto bos = entry.at("bos_token").get<std::string>();
            const auto eos = entry.at("eos_token").get<std::string>();
            if (entry.at("text").is_string()) {
                WB_COMPARE_STR(t.render(messages, gen, bos, eos),
                               entry.at("text").get<std::string>());
            } else {
                const wb::Error e = expectError([&] { t.render(messages, gen, bos, eos); });
                QCOMPARE(e.code(), wb::ErrorCode::Validation);
                WB_COMPARE_STR(e.message(), entry.at("error").get<std::string>());
            }
            ++checked;
        }
    }
    QCOMPARE(checked, 40);
}

void TestChatTemplate::modelFamilyTemplates()
{
    const fs::path dir = sourceDir() / "tests/fixtures/chat_templates";
    const auto expected = nlohmann::ordered_json::parse(wb::readFile(dir / "expected.json"));
    int rendered = 0;
    int raised = 0;
    for (const auto &c : expected.at("cases")) {
        const std::string name = c.at("template").get<std::string>();
        const auto t = wb::ChatTemplate::parse(wb::readFile(dir / name));
        const ordered_json &vars = c.at("variables");
        if (c.at("text").is_string()) {
            try {
                WB_COMPARE_STR(t.render({}, false, "", "", vars), c.at("text").get<std::string>());
            } catch (const wb::Error &e) {
                QFAIL((name + ": " + e.what() + " [" + e.context() + "]").c_str());
            }
            ++rendered;
        } else {
            const wb::Error e = expectError([&] { t.render({}, false, "", "", vars); });
            QCOMPARE(e.code(), wb::ErrorCode::Validation);
            WB_COMPARE_STR(e.message(), c.at("error").get<std::string>());
            QVERIFY(contains(e.context(), "chat template line"));
            ++raised;
        }
    }
    QVERIFY(rendered >= 40);
    QVERIFY(raised >= 10);

    const std::pair<const char *, const char *> families[] = {
        {"qwen25.jinja", "chatml"},   {"llama31.jinja", "llama3"}, {"mistral03.jinja", "mistral"},
        {"mixtral.jinja", "mistral"}, {"gemma.jinja", "gemma"},    {"phi3.jinja", "phi3"}};
    for (const auto &[file, family] : families)
        QCOMPARE(wb::ChatTemplate::parse(wb::readFile(dir / file)).family(), std::string(family));
}

void TestChatTemplate::fromModelDir()
{
    // The fixture tokenizer folders carry their first template in tokenizer_config.json.
    const fs::path ref = sourceDir() / "tests/fixtures/reference/tokenizers";
    auto qwen = wb::ChatTemplate::fromModelDir(ref / "qwen2-bpe");
    QVERIFY(qwen.has_value());
    QCOMPARE(qwen->family(), std::string("chatml"));
    auto llama = wb::ChatTemplate::fromModelDir(ref / "llama3-bpe");
    QVERIFY(llama.has_value());
    QCOMPARE(llama->family(), std::string("llama3"));

    QTemporaryDir tmp;
    const fs::path dir = wbtest::path(tmp);
    QVERIFY(!wb::ChatTemplate::fromModelDir(dir).has_value()); // no config at all
    wb::writeFileAtomic(dir / "tokenizer_config.json", R"({"model_max_length": 16})");
    QVERIFY(!wb::ChatTemplate::fromModelDir(dir).has_value()); // config without a template

    wb::writeFileAtomic(dir / "tokenizer_config.json",
                        R"({"chat_template": [{"name": "tool_use", "template": "T"},)"
                        R"( {"name": "default", "template": "D{{ messages|length }}"}]})");
    auto named = wb::ChatTemplate::fromModelDir(dir);
    QVERIFY(named.has_value());
    WB_COMPARE_STR(named->source(), "D{{ messages|length }}");
    WB_COMPARE_STR(named->render({{"user", "x"}}, false, "", ""), "D1");

    wb::writeFileAtomic(dir / "tokenizer_config.json",
                        R"({"chat_template": [{"name": "rag", "template": "R"}]})");
    const wb::Error noDefault = expectError([&] { wb::ChatTemplate::fromModelDir(dir); });
    QVERIFY(contains(noDefault.message(), "none is named \"default\""));

    // transformers writes chat_template.jinja next to the config and prefers it.
    wb::writeFileAtomic(dir / "chat_template.jinja", "<|im_start|>{{ messages[0].content }}\n");
    auto file = wb::ChatTemplate::fromModelDir(dir);
    QVERIFY(file.has_value());
    QCOMPARE(file->family(), std::string("chatml"));
    WB_COMPARE_STR(file->render({{"user", "hi"}}, false, "", ""), "<|im_start|>hi");
}

// Expected texts below were produced by jinja2 3.1.6 in transformers' environment.
// clang-format off
void TestChatTemplate::whitespace_data()
{
    addColumns();
    QTest::newRow("trim and lstrip blocks")
        << QByteArray("a\n"
                      "  {% if true %}\n"
                      "    b\n"
                      "  {% endif %}\n"
                      "c\n")
        << QByteArray("{}")
        << QByteArray("a\n"
                      "    b\n"
                      "c");
    QTest::newRow("blocks inside a line")
        << QByteArray("a  {% if true %} b {% endif %}  c")
        << QByteArray("{}")
        << QByteArray("a   b   c");
    QTest::newRow("minus markers")
        << QByteArray("x\n"
                      "    {{ 'v' }}\n"
                      "    {%- if true %}Y{% endif -%}\n"
                      "  z  {# c1 #}\n"
                      "   {#- c2 -#}   w")
        << QByteArray("{}")
        << QByteArray("x\n"
                      "    vYz  w");
    QTest::newRow("plus markers")
        << QByteArray("  {%+ if true %}keep{% endif %}\n"
                      "{% if true +%}\n"
                      "T{% endif %}")
        << QByteArray("{}")
        << QByteArray("  keep\n"
                      "T");
    QTest::newRow("variable minus markers")
        << QByteArray("{{- '  a  ' -}}   {{ 'b' }}\n"
                      "\n"
                      "{%- set y = 2 -%}\n"
                      "\n"
                      "{{ y }}")
        << QByteArray("{}")
        << QByteArray("  a  b2");
    QTest::newRow("loop on own lines")
        << QByteArray("{% for m in messages %}\n"
                      "    {{ m.role }}\n"
                      "{% endfor %}\n")
        << QByteArray("{\"messages\": [{\"role\": \"system\", \"content\": \"Sys\"}, {\"r"
                      "ole\": \"user\", \"content\": \"  Hi 你好  \"}, {\"role\": \"assista"
                      "nt\", \"content\": \"Yo\"}]}")
        << QByteArray("    system\n"
                      "    user\n"
                      "    assistant\n");
    QTest::newRow("comments")
        << QByteArray("  {# lead #}\n"
                      "A {# inline #} B\n"
                      "{# trailing #}\n"
                      "C")
        << QByteArray("{}")
        << QByteArray("A  B\n"
                      "C");
    QTest::newRow("tabs")
        << QByteArray("\t{% if true %}\n"
                      "\tB\n"
                      "\t{% endif %}\n")
        << QByteArray("{}")
        << QByteArray("\tB\n");
    QTest::newRow("crlf newlines")
        << QByteArray("a\r\n"
                      "  {% if true %}\r\n"
                      "b\r\n"
                      "{% endif %}\r\n"
                      "c")
        << QByteArray("{}")
        << QByteArray("a\n"
                      "b\n"
                      "c");
    QTest::newRow("one trailing newline dropped")
        << QByteArray("abc\n"
                      "\n")
        << QByteArray("{}")
        << QByteArray("abc\n");
    QTest::newRow("raw block")
        << QByteArray("{% raw %}{{ not parsed }}{% endraw %}")
        << QByteArray("{}")
        << QByteArray("{{ not parsed }}");
    QTest::newRow("minus everywhere")
        << QByteArray("{%- for m in messages -%}\n"
                      "  {%- if m.role == 'user' -%}\n"
                      "    U: {{ m.content }}\n"
                      "  {%- else -%}\n"
                      "    O: {{ m.content }}\n"
                      "  {%- endif %}\n"
                      "{% endfor -%}\n"
                      "END")
        << QByteArray("{\"messages\": [{\"role\": \"system\", \"content\": \"Sys\"}, {\"r"
                      "ole\": \"user\", \"content\": \"  Hi 你好  \"}, {\"role\": \"assista"
                      "nt\", \"content\": \"Yo\"}]}")
        << QByteArray("O: SysU:   Hi 你好  O: YoEND");
}

void TestChatTemplate::whitespace()
{
    checkRow();
}

void TestChatTemplate::loops_data()
{
    addColumns();
    QTest::newRow("loop variables")
        << QByteArray("{% for m in messages %}{{ loop.index }}{{ loop.index0 }}{{ loop.re"
                      "vindex }}{{ loop.revindex0 }}{{ loop.first }}{{ loop.last }}{{ loo"
                      "p.length }};{% endfor %}")
        << QByteArray("{\"messages\": [{\"role\": \"system\", \"content\": \"Sys\"}, {\"r"
                      "ole\": \"user\", \"content\": \"  Hi 你好  \"}, {\"role\": \"assista"
                      "nt\", \"content\": \"Yo\"}]}")
        << QByteArray("1032TrueFalse3;2121FalseFalse3;3210FalseTrue3;");
    QTest::newRow("nested loops")
        << QByteArray("{% for a in [[1,2],[3]] %}{% for b in a %}{{ loop.index }}{{ b }}{"
                      "% endfor %}{{ loop.index }};{% endfor %}")
        << QByteArray("{}")
        << QByteArray("11221;132;");
    QTest::newRow("previtem nextitem cycle")
        << QByteArray("{% for x in 'ab' %}{{ loop.previtem }}-{{ x }}-{{ loop.nextitem }}"
                      "{{ loop.cycle('o','e') }};{% endfor %}")
        << QByteArray("{}")
        << QByteArray("-a-bo;a-b-e;");
    QTest::newRow("for else")
        << QByteArray("{% for x in [] %}a{% else %}empty{% endfor %}")
        << QByteArray("{}")
        << QByteArray("empty");
    QTest::newRow("loop filter")
        << QByteArray("{% for x in xs if x > 1 %}{{ x }}{{ loop.length }}{{ loop.last }}{"
                      "% endfor %}")
        << QByteArray("{\"xs\": [1, 2, 3]}")
        << QByteArray("22False32True");
    QTest::newRow("break and continue")
        << QByteArray("{% for x in range(10) %}{% if x == 2 %}{% continue %}{% endif %}{%"
                      " if x == 5 %}{% break %}{% endif %}{{ x }}{% endfor %}")
        << QByteArray("{}")
        << QByteArray("0134");
    QTest::newRow("tuple unpacking")
        << QByteArray("{% for k, v in d.items() %}{{ k }}={{ v }},{% endfor %}{% for k, v"
                      " in d|items %}{{ k }}{% endfor %}")
        << QByteArray("{\"d\": {\"a\": 1, \"b\": [1, 2]}}")
        << QByteArray("a=1,b=[1, 2],ab");
    QTest::newRow("dict and string iteration")
        << QByteArray("{% for k in d %}{{ k }}{% endfor %}|{% for c in '甲乙' %}[{{ c }}]{%"
                      " endfor %}")
        << QByteArray("{\"d\": {\"x\": 1, \"y\": 2}}")
        << QByteArray("xy|[甲][乙]");
}

void TestChatTemplate::loops()
{
    checkRow();
}

void TestChatTemplate::scoping_data()
{
    addColumns();
    QTest::newRow("set in a loop stays in the iteration")
        << QByteArray("{% set x = 0 %}{% for i in range(3) %}{{ x }}{% set x = x + 1 %}{{"
                      " x }}{% endfor %}{{ x }}")
        << QByteArray("{}")
        << QByteArray("0101010");
    QTest::newRow("set in a loop does not leak")
        << QByteArray("{% for m in messages %}{% if m.role == 'system' %}{% set sys = m.c"
                      "ontent %}{% endif %}{% endfor %}[{{ sys }}]")
        << QByteArray("{\"messages\": [{\"role\": \"system\", \"content\": \"Sys\"}, {\"r"
                      "ole\": \"user\", \"content\": \"  Hi 你好  \"}, {\"role\": \"assista"
                      "nt\", \"content\": \"Yo\"}]}")
        << QByteArray("[]");
    QTest::newRow("namespace carries state")
        << QByteArray("{% set ns = namespace(found=false, n=0) %}{% for m in messages %}{"
                      "% if m.role == 'user' %}{% set ns.found = true %}{% endif %}{% set"
                      " ns.n = ns.n + 1 %}{% endfor %}{{ ns.found }} {{ ns.n }}")
        << QByteArray("{\"messages\": [{\"role\": \"system\", \"content\": \"Sys\"}, {\"r"
                      "ole\": \"user\", \"content\": \"  Hi 你好  \"}, {\"role\": \"assista"
                      "nt\", \"content\": \"Yo\"}]}")
        << QByteArray("True 3");
    QTest::newRow("set in if leaks at top level")
        << QByteArray("{% if messages[0].role == 'system' %}{% set s = messages[0].conten"
                      "t %}{% set rest = messages[1:] %}{% else %}{% set rest = messages "
                      "%}{% endif %}{{ s }}/{{ rest|length }}")
        << QByteArray("{\"messages\": [{\"role\": \"system\", \"content\": \"Sys\"}, {\"r"
                      "ole\": \"user\", \"content\": \"  Hi 你好  \"}, {\"role\": \"assista"
                      "nt\", \"content\": \"Yo\"}]}")
        << QByteArray("Sys/2");
    QTest::newRow("macro")
        << QByteArray("{% macro greet(name, punct='!') %}Hi {{ name }}{{ punct }}{% endma"
                      "cro %}{{ greet('A') }} {{ greet('B', '?') }} {{ greet(name='C') }}")
        << QByteArray("{}")
        << QByteArray("Hi A! Hi B? Hi C!");
    QTest::newRow("set block and filter block")
        << QByteArray("{% set t %}in {{ 1 + 1 }}{% endset %}[{{ t }}]{% filter upper %}ab"
                      "c {{ 'd' }}{% endfilter %}")
        << QByteArray("{}")
        << QByteArray("[in 2]ABC D");
    QTest::newRow("tuple set")
        << QByteArray("{% set a, b = 1, 2 %}{{ a }}{{ b }}")
        << QByteArray("{}")
        << QByteArray("12");
}

void TestChatTemplate::scoping()
{
    checkRow();
}

void TestChatTemplate::filters_data()
{
    addColumns();
    QTest::newRow("string filters")
        << QByteArray("{{ '  x  '|trim }}|{{ 'xax'|trim('x') }}|{{ 'ab'|upper }}|{{ 'AB'|"
                      "lower }}|{{ 'hello wORLD-foo'|title }}|{{ 'hELLO'|capitalize }}")
        << QByteArray("{}")
        << QByteArray("x|a|AB|ab|Hello World-Foo|Hello");
    QTest::newRow("length")
        << QByteArray("{{ [1,2,3]|length }}|{{ 'héllo甲'|length }}|{{ {'a': 1}|length }}|{"
                      "{ 'abc'|count }}")
        << QByteArray("{}")
        << QByteArray("3|6|1|3");
    QTest::newRow("join default first last")
        << QByteArray("{{ xs|join(', ') }}|{{ xs|join }}|{{ u|default('dflt') }}|{{ ''|de"
                      "fault('d2', true) }}|{{ ''|default('d3') }}|{{ xs|first }}|{{ xs|l"
                      "ast }}")
        << QByteArray("{\"xs\": [\"a\", \"b\", \"c\"]}")
        << QByteArray("a, b, c|abc|dflt|d2||a|c");
    QTest::newRow("list string int")
        << QByteArray("{{ 'abc'|list }}|{{ 12|string ~ 'x' }}|{{ '42'|int + 1 }}|{{ '3.7'"
                      "|int }}|{{ 'z'|int }}|{{ 'z'|int(7) }}|{{ 2.9|int }}")
        << QByteArray("{}")
        << QByteArray("['a', 'b', 'c']|12x|43|3|0|7|2");
    QTest::newRow("replace")
        << QByteArray("{{ 'a-b-c'|replace('-', '+') }}|{{ 'aaa'|replace('a', 'b', 2) }}")
        << QByteArray("{}")
        << QByteArray("a+b+c|bba");
    QTest::newRow("selectattr rejectattr map")
        << QByteArray("{{ msgs|selectattr('role', 'equalto', 'user')|list|length }}|{{ ms"
                      "gs|rejectattr('role', 'equalto', 'user')|map(attribute='content')|"
                      "join(',') }}|{{ msgs|map(attribute='role')|list }}|{{ msgs|map(att"
                      "ribute='content')|map('trim')|list }}")
        << QByteArray("{\"msgs\": [{\"role\": \"system\", \"content\": \"Sys\"}, {\"role\""
                      ": \"user\", \"content\": \"  Hi 你好  \"}, {\"role\": \"assistant\","
                      " \"content\": \"Yo\"}]}")
        << QByteArray("1|Sys,Yo|['system', 'user', 'assistant']|['Sys', 'Hi 你好', 'Yo']");
    QTest::newRow("select reject")
        << QByteArray("{{ xs|selectattr('a')|list }}|{{ xs|selectattr('a', 'defined')|lis"
                      "t|length }}|{{ [0,1,2]|select|list }}|{{ [0,1,2]|reject|list }}|{{"
                      " [1,2,3,4]|select('odd')|list }}")
        << QByteArray("{\"xs\": [{\"a\": 1}, {\"b\": 2}, {\"a\": 0}]}")
        << QByteArray("[{'a': 1}]|2|[1, 2]|[0]|[1, 3]");
    QTest::newRow("sorting and numbers")
        << QByteArray("{{ xs|sort }}|{{ xs|sort(reverse=true) }}|{{ xs|max }}|{{ xs|min }"
                      "}|{{ xs|sum }}|{{ xs|unique|list }}|{{ xs|reverse|list }}|{{ ['b',"
                      " 'A', 'a']|sort }}")
        << QByteArray("{\"xs\": [3, 1, 2, 3]}")
        << QByteArray("[1, 2, 3, 3]|[3, 3, 2, 1]|3|1|9|[3, 1, 2]|[3, 2, 1, 3]|['A', 'a', "
                      "'b']");
    QTest::newRow("items dictsort")
        << QByteArray("{{ d|items|list }}|{{ d|dictsort }}")
        << QByteArray("{\"d\": {\"b\": 1, \"a\": 2}}")
        << QByteArray("[('b', 1), ('a', 2)]|[('a', 2), ('b', 1)]");
    QTest::newRow("indent")
        << QByteArray("{{ 'l1\\nl2\\n\\nl4'|indent(2) }}|{{ 'a\\nb'|indent(4, true) }}")
        << QByteArray("{}")
        << QByteArray("l1\n"
                      "  l2\n"
                      "\n"
                      "  l4|    a\n"
                      "    b");
    QTest::newRow("format round abs")
        << QByteArray("{{ '%s-%d'|format('a', 3) }}|{{ 'x%sy' % 'Z' }}|{{ 2.5|round }}|{{"
                      " 3.14159|round(2) }}|{{ -3|abs }}")
        << QByteArray("{}")
        << QByteArray("a-3|xZy|2.0|3.14|3");
}

void TestChatTemplate::filters()
{
    checkRow();
}

void TestChatTemplate::tests_data()
{
    addColumns();
    QTest::newRow("type tests")
        << QByteArray("{{ x is defined }} {{ y is undefined }} {{ none is none }} {{ 's' "
                      "is string }} {{ {} is mapping }} {{ [] is iterable }} {{ 3 is numb"
                      "er }} {{ [] is sequence }} {{ 1.5 is float }} {{ 1 is integer }} {"
                      "{ true is boolean }}")
        << QByteArray("{\"x\": 1}")
        << QByteArray("True True True True True True True True True True True");
    QTest::newRow("value tests")
        << QByteArray("{{ true is true }} {{ 1 is true }} {{ false is false }} {{ 4 is di"
                      "visibleby 2 }} {{ 3 is odd }} {{ 4 is even }} {{ x is not none }} "
                      "{{ 2 is in [1, 2] }} {{ 'a' is eq 'a' }} {{ 'ab' is lower }} {{ 'A"
                      "B' is upper }}")
        << QByteArray("{\"x\": 1}")
        << QByteArray("True False True True True True True True True True True");
}

void TestChatTemplate::tests()
{
    checkRow();
}

void TestChatTemplate::methods_data()
{
    addColumns();
    QTest::newRow("string methods")
        << QByteArray("{{ ' a b '.strip() }}|{{ 'xxaxx'.lstrip('x') }}|{{ 'xxaxx'.rstrip("
                      "'x') }}|{{ 'a b  c'.split() }}|{{ 'a,b,,c'.split(',') }}|{{ 'a,b,c"
                      "'.split(',', 1) }}|{{ 'abc'.startswith('ab') }}|{{ 'abc'.endswith("
                      "('x', 'c')) }}")
        << QByteArray("{}")
        << QByteArray("a b|axx|xxa|['a', 'b', 'c']|['a', 'b', '', 'c']|['a', 'b,c']|True|"
                      "True");
    QTest::newRow("more string methods")
        << QByteArray("{{ 'abc'.upper() }}|{{ 'ABC'.lower() }}|{{ \"they're bill's\".titl"
                      "e() }}|{{ 'aXa'.replace('a', 'b') }}|{{ 'a\\nb'.splitlines() }}|{{"
                      " 'hello'.find('l') }}|{{ 'hello'.count('l') }}|{{ '-'.join(['a', '"
                      "b']) }}")
        << QByteArray("{}")
        << QByteArray("ABC|abc|They'Re Bill'S|bXb|['a', 'b']|2|2|a-b");
    QTest::newRow("dict methods")
        << QByteArray("{{ d.keys()|list }}|{{ d.values()|list }}|{{ d.items()|list }}|{{ "
                      "d.get('a') }}|{{ d.get('zz', 'def') }}|{{ d.get('zz') }}|{{ d.a }}"
                      "|{{ d['a'] }}|{{ d.missing }}|{{ d['missing'] }}")
        << QByteArray("{\"d\": {\"a\": 1, \"b\": 2}}")
        << QByteArray("['a', 'b']|[1, 2]|[('a', 1), ('b', 2)]|1|def|None|1|1||");
}

void TestChatTemplate::methods()
{
    checkRow();
}

void TestChatTemplate::expressions_data()
{
    addColumns();
    QTest::newRow("arithmetic")
        << QByteArray("{{ 7 // 2 }} {{ -7 // 2 }} {{ 7 % 3 }} {{ -7 % 3 }} {{ 7 / 2 }} {{"
                      " 2 ** 8 }} {{ 1 + 2 * 3 }} {{ (1 + 2) * 3 }} {{ 'ab' * 3 }} {{ 1.5"
                      " + 1 }} {{ 0.1 + 0.2 }} {{ 2 ** -1 }} {{ 10 / 4 }}")
        << QByteArray("{}")
        << QByteArray("3 -4 1 2 3.5 256 7 9 ababab 2.5 0.30000000000000004 0.5 2.5");
    QTest::newRow("comparisons and logic")
        << QByteArray("{{ 1 < 2 < 3 }} {{ 'a' in 'cat' }} {{ 'x' not in ['y'] }} {{ 2 in "
                      "[1,2] }} {{ 'k' in {'k':1} }} {{ not true }} {{ true and 'x' }} {{"
                      " false or 'y' }} {{ none or 0 }} {{ 1 == 1.0 }} {{ true == 1 }} {{"
                      " [1] == [1] }}")
        << QByteArray("{}")
        << QByteArray("True True True True True False x y 0 True True True");
    QTest::newRow("conditional expressions")
        << QByteArray("{{ 'yes' if x else 'no' }}|{{ 'a' if false }}|{{ 'x' if false else"
                      " 'y' if false else 'z' }}|{{ (1 if false else 2) + 3 }}")
        << QByteArray("{\"x\": 1}")
        << QByteArray("yes||z|5");
    QTest::newRow("literals and repr")
        << QByteArray("{{ [1, [2, 'x'], {'k': none}] }}|{{ {'a': 1} }}|{{ none }}|{{ True"
                      " }}|{{ false }}|{{ (1, 2) }}|{{ (1,) }}|{{ \"it's\" }}|{{ [\"it's\""
                      "] }}|{{ ['a\\nb'] }}")
        << QByteArray("{}")
        << QByteArray("[1, [2, 'x'], {'k': None}]|{'a': 1}|None|True|False|(1, 2)|(1,)|it"
                      "'s|[\"it's\"]|['a\\nb']");
    QTest::newRow("float repr")
        << QByteArray("{{ 1e20 }} {{ 1e16 }} {{ 1e15 }} {{ 1.0 }} {{ 1.0 / 3 }} {{ 1e-5 }"
                      "} {{ 0.0001 }} {{ 123456789.125 }} {{ 1.5e3 }}")
        << QByteArray("{}")
        << QByteArray("1e+20 1e+16 1000000000000000.0 1.0 0.3333333333333333 1e-05 0.0001"
                      " 123456789.125 1500.0");
    QTest::newRow("string literals")
        << QByteArray("{{ 'a' 'b' }}|{{ \"q\\\"\\t\\u4e2d\" }}|{{ '\\x41' }}|{{ 'a' ~ 1 ~"
                      " none ~ true }}|{{ 0x1F }} {{ 1_000 }}")
        << QByteArray("{}")
        << QByteArray("ab|q\"\t中|A|a1NoneTrue|31 1000");
    QTest::newRow("slices")
        << QByteArray("{{ messages[1:]|length }}|{{ messages[-1].content }}|{{ 'abcdef'[:"
                      ":-1] }}|{{ 'abcdef'[1:4] }}|{{ [1,2,3,4,5][::2] }}|{{ '甲乙丙'[1] }}|"
                      "{{ [1,2,3][-2:] }}|{{ [1,2,3][:-1] }}|{{ 'abc'[5:] }}")
        << QByteArray("{\"messages\": [{\"role\": \"system\", \"content\": \"Sys\"}, {\"r"
                      "ole\": \"user\", \"content\": \"  Hi 你好  \"}, {\"role\": \"assista"
                      "nt\", \"content\": \"Yo\"}]}")
        << QByteArray("2|Yo|fedcba|bcd|[1, 3, 5]|乙|[2, 3]|[1, 2]|");
    QTest::newRow("undefined values")
        << QByteArray("[{{ nothing }}]|{{ nothing|length }}|{% if nothing %}T{% else %}F{"
                      "% endif %}|{% for x in nothing %}x{% endfor %}|{{ nothing ~ 'z' }}"
                      "|{{ nothing is defined }}|{{ d.missing is defined }}|{{ nothing =="
                      " nothing }}")
        << QByteArray("{\"d\": {}}")
        << QByteArray("[]|0|F||z|False|False|True");
    QTest::newRow("globals")
        << QByteArray("{{ range(3)|list }}|{{ range(1, 7, 2)|list }}|{{ dict(a=1) }}|{{ n"
                      "amespace(a=1).a }}|{{ tools }}|{{ documents is none }}")
        << QByteArray("{}")
        << QByteArray("[0, 1, 2]|[1, 3, 5]|{'a': 1}|1|None|True");
}

void TestChatTemplate::expressions()
{
    checkRow();
}

void TestChatTemplate::tojson_data()
{
    addColumns();
    QTest::newRow("nested")
        << QByteArray("{{ {'a': {'b': [1, {'c': 'ü\"\\n'}]}, 'z': none, 't': true, 'f': 1"
                      ".5}|tojson }}")
        << QByteArray("{}")
        << QByteArray("{\"a\": {\"b\": [1, {\"c\": \"ü\\\"\\n\"}]}, \"z\": null, \"t\": t"
                      "rue, \"f\": 1.5}");
    QTest::newRow("indent")
        << QByteArray("{{ {'a': [1, 2], 'b': {}, 'c': []}|tojson(indent=2) }}")
        << QByteArray("{}")
        << QByteArray("{\n"
                      "  \"a\": [\n"
                      "    1,\n"
                      "    2\n"
                      "  ],\n"
                      "  \"b\": {},\n"
                      "  \"c\": []\n"
                      "}");
    QTest::newRow("options")
        << QByteArray("{{ {'b': 1, 'a': 2}|tojson(sort_keys=true) }}|{{ 'ü'|tojson(ensure"
                      "_ascii=true) }}|{{ '😀'|tojson(true) }}|{{ [1, 2]|tojson(separators"
                      "=(',', ':')) }}|{{ '\\u0001'|tojson }}")
        << QByteArray("{}")
        << QByteArray("{\"a\": 2, \"b\": 1}|\"\\u00fc\"|\"\\ud83d\\ude00\"|[1,2]|\"\\u000"
                      "1\"");
    QTest::newRow("tool schema keeps key order")
        << QByteArray("{{ tools[0]|tojson }}")
        << QByteArray("{\"tools\": [{\"name\": \"f\", \"parameters\": {\"type\": \"object"
                      "\", \"properties\": {\"q\": {\"type\": \"string\"}}}}]}")
        << QByteArray("{\"name\": \"f\", \"parameters\": {\"type\": \"object\", \"propert"
                      "ies\": {\"q\": {\"type\": \"string\"}}}}");
}

void TestChatTemplate::tojson()
{
    checkRow();
}

// clang-format on

void TestChatTemplate::renderErrors()
{
    // Undefined values: empty when printed, an error when used as an operand or object.
    wb::Error e = expectError([] { renderAll("{{ bos_token + 'x' }}", "{}"); });
    QCOMPARE(e.code(), wb::ErrorCode::Validation);
    WB_COMPARE_STR(e.message(), "'bos_token' is undefined");
    WB_COMPARE_STR(e.context(), "chat template line 1");
    e = expectError([] { renderAll("line 1\n{{ foo.bar }}", "{}"); });
    WB_COMPARE_STR(e.message(), "'foo' is undefined");
    WB_COMPARE_STR(e.context(), "chat template line 2");
    e = expectError([] { renderAll("{{ d.x.y }}", R"({"d": {}})"); });
    WB_COMPARE_STR(e.message(), "'dict object' has no attribute 'x'");

    // An empty special token is an absent one, as in a tokenizer without that token.
    const auto t = wb::ChatTemplate::parse("[{{ bos_token }}]{{ eos_token is defined }}");
    WB_COMPARE_STR(t.render({}, false, "", ""), "[]False");
    WB_COMPARE_STR(t.render({}, false, "<s>", "</s>"), "[<s>]True");

    // raise_exception carries the template's own message.
    e = expectError([] {
        renderAll(
            "{% for m in messages %}{% if m.role == 'tool' %}"
            "{{ raise_exception('Unknown role: ' ~ m.role) }}{% endif %}{% endfor %}",
            R"({"messages": [{"role": "user", "content": "a"},)"
            R"( {"role": "tool", "content": "b"}]})");
    });
    QCOMPARE(e.code(), wb::ErrorCode::Validation);
    WB_COMPARE_STR(e.message(), "Unknown role: tool");

    // Python's wording for type errors.
    e = expectError([] { renderAll("{{ 'a' + 1 }}", "{}"); });
    WB_COMPARE_STR(e.message(), "can only concatenate str (not \"int\") to str");
    e = expectError([] { renderAll("{{ 1 / 0 }}", "{}"); });
    WB_COMPARE_STR(e.message(), "division by zero");
    e = expectError([] { renderAll("{% set x = 1 %}{% set x.y = 2 %}", "{}"); });
    QVERIFY(contains(e.message(), "non-namespace"));
    e = expectError([] { renderAll("{% for a, b in [[1, 2, 3]] %}{% endfor %}", "{}"); });
    WB_COMPARE_STR(e.message(), "too many values to unpack (expected 2)");
}

void TestChatTemplate::parseErrors()
{
    wb::Error e =
        expectError([] { wb::ChatTemplate::parse("Hello\n{% if x %}\n{{ 1 + }}\n{% endif %}"); });
    QCOMPARE(e.code(), wb::ErrorCode::Parse);
    QVERIFY2(contains(e.message(), "line 3, column 8"), e.what());

    e = expectError([] { wb::ChatTemplate::parse("{% for m in messages %}\n{{ m }}"); });
    QCOMPARE(e.code(), wb::ErrorCode::Parse);
    QVERIFY2(contains(e.message(), "the {% for %} on line 1 is never closed"), e.what());

    e = expectError([] { wb::ChatTemplate::parse("ab\n  {{ 'unterminated }}"); });
    QVERIFY2(contains(e.message(), "line 2, column 6: unterminated string"), e.what());

    e = expectError([] { wb::ChatTemplate::parse("{% endif %}"); });
    QVERIFY2(contains(e.message(), "line 1, column 1: unknown tag 'endif'"), e.what());

    e = expectError([] { wb::ChatTemplate::parse("{{ a ]]"); });
    QCOMPARE(e.code(), wb::ErrorCode::Parse);

    e = expectError([] { wb::ChatTemplate::parse("{% break %}"); });
    QVERIFY2(contains(e.message(), "outside of a for loop"), e.what());

    e = expectError([] { wb::ChatTemplate::parse("甲乙 {{ 07 }}"); });
    QVERIFY2(contains(e.message(), "column 8"), e.what()); // columns count characters
}

void TestChatTemplate::unsupportedFeatures()
{
    wb::Error e = expectError([] { wb::ChatTemplate::parse("{% include 'x.jinja' %}"); });
    QCOMPARE(e.code(), wb::ErrorCode::Unsupported);
    QVERIFY(contains(e.message(), "{% include %}"));
    e = expectError([] { wb::ChatTemplate::parse("{% for x in xs recursive %}{% endfor %}"); });
    QCOMPARE(e.code(), wb::ErrorCode::Unsupported);

    // Unknown filters and tests fail when used, naming the filter, like jinja2 3.
    const auto t = wb::ChatTemplate::parse("{% if false %}{{ x|pprint }}{% endif %}ok");
    WB_COMPARE_STR(t.render({}, false, "", ""), "ok");
    e = expectError([] { renderAll("{{ 'x'|pprint }}", "{}"); });
    QCOMPARE(e.code(), wb::ErrorCode::Unsupported);
    QVERIFY(contains(e.message(), "'pprint'"));
    e = expectError([] { renderAll("{{ 1 is prime }}", "{}"); });
    QCOMPARE(e.code(), wb::ErrorCode::Unsupported);

    // The sandbox: lists cannot be changed.
    e = expectError([] { renderAll("{% set xs = [] %}{{ xs.append(1) }}", "{}"); });
    QVERIFY(contains(e.message(), "unsafe"));

    // {% generation %} (transformers' assistant-mask tag) renders its body.
    WB_COMPARE_STR(renderAll("a{% generation %}b{% endgeneration %}c", "{}"), "abc");
}

void TestChatTemplate::limits()
{
    using Clock = std::chrono::steady_clock;
    auto expectLimit = [](const std::string &source, const char *needle, wb::ErrorCode code) {
        const auto start = Clock::now();
        const wb::Error e = expectError([&] {
            const auto t = wb::ChatTemplate::parse(source);
            t.render({{"user", "hi"}}, false, "", "");
        });
        const auto seconds = std::chrono::duration<double>(Clock::now() - start).count();
        QCOMPARE(e.code(), code);
        QVERIFY2(contains(e.message(), needle), e.what());
        QVERIFY2(seconds < 20, "a limit took too long to trigger");
    };
    // Loops: a billion iterations stop at the iteration cap.
    expectLimit("{% for i in range(1000) %}{% for j in range(1000) %}{% for k in range(1000) %}"
                "{% endfor %}{% endfor %}{% endfor %}",
                "loop iterations", wb::ErrorCode::Validation);
    expectLimit("{% for i in range(1000000000000) %}{% endfor %}", "range()",
                wb::ErrorCode::Validation);
    // Output and string growth.
    expectLimit("{% for i in range(100000) %}{{ 'x' * 1000 }}{% endfor %}", "output grew past",
                wb::ErrorCode::Validation);
    expectLimit("{% set ns = namespace(s='ab') %}{% for i in range(64) %}"
                "{% set ns.s = ns.s ~ ns.s %}{% endfor %}",
                "string of more than", wb::ErrorCode::Validation);
    expectLimit("{{ 'ab' * 100000000 }}", "string of more than", wb::ErrorCode::Validation);
    // Recursion at render time.
    expectLimit("{% macro f(n) %}{{ f(n + 1) }}{% endmacro %}{{ f(0) }}", "levels deep",
                wb::ErrorCode::Validation);
    expectLimit("{% macro f(n) %}{% if n > 0 %}{{ f(n - 1) }}{{ f(n - 1) }}{% endif %}"
                "{% endmacro %}{{ f(40) }}",
                "macro calls", wb::ErrorCode::Validation);
    expectLimit("{% set ns = namespace() %}{% set ns.me = ns %}{{ ns }}", "nested more than",
                wb::ErrorCode::Validation);
    // Deep nesting at parse time must be an error, not a stack overflow.
    const std::string deep(20000, '(');
    expectLimit("{{ " + deep + "1" + std::string(20000, ')') + " }}", "nested",
                wb::ErrorCode::Parse);
    expectLimit("{{ " + std::string(20000, '[') + std::string(20000, ']') + " }}", "nested",
                wb::ErrorCode::Parse);
    std::string sum = "{{ 1";
    for (int i = 0; i < 100000; ++i)
        sum += "+1";
    expectLimit(sum + " }}", "nested", wb::ErrorCode::Parse);
    std::string nots = "{{ ";
    for (int i = 0; i < 50000; ++i)
        nots += "not -";
    expectLimit(nots + "1 }}", "nested", wb::ErrorCode::Parse);
    std::string ifs;
    for (int i = 0; i < 20000; ++i)
        ifs += "{% if true %}";
    expectLimit(ifs, "nested", wb::ErrorCode::Parse);
    std::string filters = "{{ 'x'";
    for (int i = 0; i < 50000; ++i)
        filters += "|trim";
    expectLimit(filters + " }}", "nested", wb::ErrorCode::Parse);

    // Ordinary templates stay well inside the limits.
    std::string fine = "{{ 1";
    for (int i = 0; i < 150; ++i)
        fine += "+1";
    WB_COMPARE_STR(renderAll(fine + " }}", "{}"), "151");
}

void TestChatTemplate::familyDetector()
{
    using wb::ChatTemplate;
    QCOMPARE(ChatTemplate::detectFamily("{{ '<|im_start|>' + m.role }}"), std::string("chatml"));
    QCOMPARE(ChatTemplate::detectFamily("<|start_header_id|>{{ r }}<|end_header_id|>"),
             std::string("llama3"));
    QCOMPARE(ChatTemplate::detectFamily("[INST] <<SYS>>\n{{ s }}\n<</SYS>>"),
             std::string("llama2"));
    QCOMPARE(ChatTemplate::detectFamily("{{ '[INST] ' + c + ' [/INST]' }}"),
             std::string("mistral"));
    QCOMPARE(ChatTemplate::detectFamily("<|user|>\n{{ c }}</s><|assistant|>"),
             std::string("zephyr"));
    QCOMPARE(ChatTemplate::detectFamily("<|user|>\n{{ c }}<|end|>\n<|assistant|>"),
             std::string("phi3"));
    QCOMPARE(ChatTemplate::detectFamily("<start_of_turn>user\n{{ c }}<end_of_turn>"),
             std::string("gemma"));
    QCOMPARE(ChatTemplate::detectFamily("{{ messages[0].content }}"), std::string("custom"));
    QCOMPARE(ChatTemplate::parse("{% if x %}<|im_start|>{% endif %}").family(),
             std::string("chatml"));
}

QTEST_APPLESS_MAIN(TestChatTemplate)
#include "tst_chat_template.moc"

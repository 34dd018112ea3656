// The llmwb command line as users script it: exit codes and output of the dataset,
// template and demo commands against a fresh workspace.

#include "test_util.h"

#include "common/files.h"

#include <nlohmann/json.hpp>

#include <QProcess>
#include <QTemporaryDir>
#include <QtTest>

namespace {

struct Run
{
    int code = -1;
    QString out;
    QString err;
};

Run llmwb(const QStringList &args)
{
    QProcess p;
    p.start(qEnvironmentVariable("WB_LLMWB"), args);
    if (!p.waitForFinished(120000))
        return {};
    return {p.exitCode(), QString::fromUtf8(p.readAllStandardOutput()),
            QString::fromUtf8(p.readAllStandardError())};
}

} // namespace

class TstCli : public QObject
{
    Q_OBJECT
private:
    QTemporaryDir m_dir;
    QString ws() const { return m_dir.path() + QStringLiteral("/ws"); }
    QString write(const char *name, const std::string &content)
    {
        const auto p = wbtest::path(m_dir, name);
        wb::writeFileAtomic(p, content);
        return QString::fromStdString(p.string());
    }

private Q_SLOTS:
    void initTestCase() { QVERIFY(!qEnvironmentVariable("WB_LLMWB").isEmpty()); }

    void knowledgeBase()
    {
        std::filesystem::create_directories(wbtest::path(m_dir, "kb"));
        write("kb/guide.md", "# Setup\n\nThe thread budget is set on the settings page.\n");
        write("kb/zh.txt", "线程预算在设置页面中修改。\n");
        write("kb/blob.txt", std::string("\0\1\2binary", 9));
        const QString docs = m_dir.path() + QStringLiteral("/kb");
        Run r = llmwb({"-w", ws(), "kb", "create", "docs", "--dim", "64", "--chunk-size", "200", "--overlap", "20"});
        QCOMPARE(r.code, 0);
        r = llmwb({"-w", ws(), "kb", "add", "docs", docs});
        QVERIFY2(r.code == 0, qPrintable(r.err));
        QVERIFY2(r.out.contains("skipped") && r.out.contains("blob.txt") && r.out.contains("binary"), qPrintable(r.out));
        r = llmwb({"-w", ws(), "kb", "search", "docs", "线程预算", "--json"});
        QCOMPARE(r.code, 0);
        const auto hits = nlohmann::json::parse(r.out.toStdString());
        QVERIFY(hits.is_array() && !hits.empty());
        QVERIFY(hits[0]["source"].get<std::string>().find("zh.txt") != std::string::npos);
        QCOMPARE(hits[0]["rank"].get<int>(), 1);
        QVERIFY(hits[0]["bm25_rank"].get<int>() == 1 && hits[0].contains("vector_score"));
        r = llmwb({"-w", ws(), "kb", "stats", "docs", "--json"});
        const auto stats = nlohmann::json::parse(r.out.toStdString());
        QCOMPARE(stats["indexed"].get<int>(), 2);
        QCOMPARE(stats["skipped"].get<int>(), 1);
        QVERIFY(stats["consistent"].get<bool>());
        r = llmwb({"-w", ws(), "kb", "remove", "docs", docs + QStringLiteral("/zh.txt")});
        QVERIFY(r.out.contains("removed 1"));
        r = llmwb({"-w", ws(), "kb", "add", "nope"});
        QCOMPARE(r.code, 2);
        QVERIFY(r.err.contains("no knowledge-base collection named 'nope'"));
    }

    void validateExitCodes()
    {
        const QString good = write("good.jsonl",
                                   "{\"instruction\": \"a\", \"input\": \"\", \"output\": \"b\"}\n");
        Run r = llmwb({QStringLiteral("dataset"), QStringLiteral("validate"), good});
        QCOMPARE(r.code, 0);
        QVERIFY(r.out.contains(QStringLiteral("alpaca")));

        const QString bad = write(
            "bad.jsonl",
            "{\"id\": \"1\", \"problem\": \"p\", \"questions\": [{\"question\": \"q\", \"options\": [\"x\", \"y\"], \"answer\": \"A\"}]}\n"
            "{\"id\": \"2\", \"problem\": \"p\", \"questions\": [{\"question\": \"q\", \"options\": [\"x\", \"y\"], \"answer\": \"Q\"}]}\n"
            "{\"id\": \"1\", \"problem\": \"p\", \"questions\": [{\"question\": \"q\", \"options\": [\"x\", \"y\"]}]}\n"
            "not json\n");
        r = llmwb({QStringLiteral("dataset"), QStringLiteral("validate"), bad});
        QCOMPARE(r.code, 1);
        const QStringList errors = r.out.split(QLatin1Char('\n')).filter(QStringLiteral("error: "));
        QCOMPARE(errors.size(), 3);
        QVERIFY(errors[0].contains(QStringLiteral("bad.jsonl:2: questions[0].answer")));
        QVERIFY(errors[1].contains(QStringLiteral("bad.jsonl:3")));
        QVERIFY(errors[1].contains(QStringLiteral("id")));
        QVERIFY(errors[2].contains(QStringLiteral("bad.jsonl:4")));

        // Forcing the wrong format is a failure, and a missing file is an error naming it.
        r = llmwb({QStringLiteral("dataset"), QStringLiteral("validate"), good,
                   QStringLiteral("--format"), QStringLiteral("logic")});
        QCOMPARE(r.code, 1);
        r = llmwb({QStringLiteral("dataset"), QStringLiteral("validate"), m_dir.path() + "/nope.jsonl"});
        QCOMPARE(r.code, 2);
        QVERIFY(r.err.contains(QStringLiteral("nope.jsonl")));
    }

    void importStatsSplitRender()
    {
        Run r = llmwb({QStringLiteral("-w"), ws(), QStringLiteral("dataset"), QStringLiteral("list"),
                       QStringLiteral("--json")});
        QCOMPARE(r.code, 0);
        QVERIFY(r.out.contains(QStringLiteral("\"demo-train\""))); // seeded on first use

        const QString file = write(
            "tiny.jsonl",
            "{\"id\": \"t1\", \"problem\": \"Ann is older than Bob.\", \"questions\": [{\"question\": \"Who is older?\", \"options\": [\"Ann\", \"Bob\"], \"answer\": \"A\"}]}\n"
            "{\"id\": \"t2\", \"problem\": \"Cy is taller than Di.\", \"questions\": [{\"question\": \"Who is taller?\", \"options\": [\"Di\", \"Cy\", \"Both\"], \"answer\": \"B\"}]}\n");
        r = llmwb({QStringLiteral("-w"), ws(), QStringLiteral("dataset"), QStringLiteral("import"), file});
        QCOMPARE(r.code, 0);
        QVERIFY(r.out.contains(QStringLiteral("imported 2 rows into 'tiny'")));
        r = llmwb({QStringLiteral("-w"), ws(), QStringLiteral("dataset"), QStringLiteral("import"), file});
        QCOMPARE(r.code, 0);
        QVERIFY(r.out.contains(QStringLiteral("already in the workspace")));

        r = llmwb({QStringLiteral("-w"), ws(), QStringLiteral("dataset"), QStringLiteral("stats"),
                   QStringLiteral("tiny"), QStringLiteral("--json")});
        QCOMPARE(r.code, 0);
        const auto stats = nlohmann::json::parse(r.out.toStdString());
        QCOMPARE(stats["rows"].get<int>(), 2);
        QCOMPARE(stats["answer_letters"]["A"].get<int>(), 1);
        QCOMPARE(stats["answer_letters"]["B"].get<int>(), 1);
        QCOMPARE(stats["option_counts"]["3"].get<int>(), 1);

        r = llmwb({QStringLiteral("-w"), ws(), QStringLiteral("dataset"), QStringLiteral("split"),
                   QStringLiteral("demo-train"), QStringLiteral("--eval"), QStringLiteral("0.25"),
                   QStringLiteral("--seed"), QStringLiteral("3")});
        QCOMPARE(r.code, 0);
        QVERIFY(r.out.contains(QStringLiteral("demo-train-train: 180 rows")));
        QVERIFY(r.out.contains(QStringLiteral("demo-train-eval: 60 rows")));

        const QString tpl = write("t.txt", "{{problem}} | {{question}}\n{{#each options}}\n{{letter}}. {{this}}\n{{/each}}");
        r = llmwb({QStringLiteral("-w"), ws(), QStringLiteral("template"), QStringLiteral("save"),
                   QStringLiteral("mine"), QStringLiteral("--file"), tpl});
        QCOMPARE(r.code, 0);
        r = llmwb({QStringLiteral("-w"), ws(), QStringLiteral("template"), QStringLiteral("render"),
                   QStringLiteral("mine"), QStringLiteral("--dataset"), QStringLiteral("tiny"),
                   QStringLiteral("--row"), QStringLiteral("1")});
        QCOMPARE(r.code, 0);
        QCOMPARE(r.out, QStringLiteral("Cy is taller than Di. | Who is taller?\nA. Di\nB. Cy\nC. Both\n\n"));

        // A template with a syntax error is refused with its position.
        const QString broken = write("broken.txt", "{{#if x}}\nno end");
        r = llmwb({QStringLiteral("-w"), ws(), QStringLiteral("template"), QStringLiteral("save"),
                   QStringLiteral("broken"), QStringLiteral("--file"), broken});
        QCOMPARE(r.code, 2);
        QVERIFY2(r.err.contains(QStringLiteral("line 1")), qPrintable(r.err));
    }

    void demoWritesFiles()
    {
        Run r = llmwb({QStringLiteral("demo"), QStringLiteral("--out"), m_dir.path() + "/demo",
                       QStringLiteral("--problems"), QStringLiteral("20"), QStringLiteral("--lang"),
                       QStringLiteral("zh")});
        QCOMPARE(r.code, 0);
        r = llmwb({QStringLiteral("dataset"), QStringLiteral("validate"),
                   m_dir.path() + "/demo/demo-train.jsonl"});
        QCOMPARE(r.code, 0);
        QVERIFY(r.out.contains(QStringLiteral("20 rows, 20 valid")));
        // Test files carry neither answers nor the hidden world that would reveal them.
        r = llmwb({QStringLiteral("demo"), QStringLiteral("--out"), m_dir.path() + "/test",
                   QStringLiteral("--problems"), QStringLiteral("5"), QStringLiteral("--no-answers")});
        QCOMPARE(r.code, 0);
        const std::string text = wb::readFile((m_dir.path() + "/test/demo-train.jsonl").toStdString());
        QVERIFY(text.find("\"answer\"") == std::string::npos);
        QVERIFY(text.find("\"meta\"") == std::string::npos);
    }

    // `--config FILE` then flags: every flag given explicitly overrides the file (LoRA targets
    // and rank included), and a file that is not JSON is named in the error.
    void trainConfigThenFlags()
    {
        Run r = llmwb({QStringLiteral("demo"), QStringLiteral("--out"), m_dir.path() + "/cfg",
                       QStringLiteral("--problems"), QStringLiteral("8")});
        QCOMPARE(r.code, 0);
        const QString model = qEnvironmentVariable("WB_TEST_SOURCE_DIR") + "/resources/demo-model";
        const QStringList common = {QStringLiteral("-w"), ws(), QStringLiteral("train"),
                                    QStringLiteral("--model"), model, QStringLiteral("--dataset"),
                                    m_dir.path() + "/cfg/demo-train.jsonl",
                                    QStringLiteral("--template"), QStringLiteral("logic-direct"),
                                    QStringLiteral("--plan")};
        auto trainable = [](const Run &run) {
            const auto j = nlohmann::json::parse(run.out.toStdString(), nullptr, false);
            return j.is_object() ? j.value("trainable_parameters", uint64_t(0)) : uint64_t(0);
        };
        const QStringList config = {QStringLiteral("--config"), model + "/suggested_training.json"};
        const Run fromFile = llmwb(common + config);
        QVERIFY2(fromFile.code == 0, qPrintable(fromFile.err));
        const Run flagsOnTop = llmwb(common + config +
                                     QStringList{QStringLiteral("--lora-targets"), QStringLiteral("q"),
                                                 QStringLiteral("--lora-r"), QStringLiteral("4")});
        QVERIFY2(flagsOnTop.code == 0, qPrintable(flagsOnTop.err));
        // The demo model: 3 layers, hidden 192. All-linear r 16 from the file; q_proj r 4 on top.
        QCOMPARE(trainable(flagsOnTop), uint64_t(3 * 4 * (192 + 192)));
        QVERIFY(trainable(fromFile) > 10 * trainable(flagsOnTop));
        const Run bad = llmwb(common + QStringList{QStringLiteral("--config"),
                                                   write("bad-config.json", "{\"epochs\": 3,")});
        QVERIFY(bad.code != 0);
        QVERIFY2(bad.err.contains(QStringLiteral("bad-config.json")), qPrintable(bad.err));
    }

    void addRemoteEndpoint()
    {
        const QStringList add =
            QStringList{"-w", ws()} +
            QStringLiteral("model add-remote remote-qwen --base-url http://127.0.0.1:8000/v1/ "
                           "--model Qwen/Qwen2-0.5B-Instruct --api-key-env "
                           "WB_TEST_UNSET_REMOTE_KEY --max-concurrency 3 --rpm 60 --timeout 30")
                .split(' ');
        Run r = llmwb(add);
        QVERIFY2(r.code == 0, qPrintable(r.err));
        QVERIFY2(r.out.contains("added remote endpoint remote-qwen"), qPrintable(r.out));
        QVERIFY(r.out.contains("WB_TEST_UNSET_REMOTE_KEY is not set"));
        r = llmwb({"-w", ws(), "model", "list"});
        QCOMPARE(r.code, 0);
        const auto line = r.out.split('\n').filter("remote-qwen");
        QCOMPARE(line.size(), 1);
        QVERIFY2(line[0].contains("remote") && line[0].contains("Qwen/Qwen2-0.5B-Instruct") &&
                     line[0].contains("http://127.0.0.1:8000/v1") && line[0].contains("60 rpm"),
                 qPrintable(line[0]));
        r = llmwb(add); // the name is taken
        QCOMPARE(r.code, 2);
        QVERIFY2(r.err.contains("already exists"), qPrintable(r.err));
        r = llmwb({"-w", ws(), "model", "add-remote", "bad", "--base-url", "localhost:8000",
                   "--model", "m"});
        QCOMPARE(r.code, 2);
        QVERIFY2(r.err.contains("base_url"), qPrintable(r.err));
        r = llmwb({"-w", ws(), "model", "add-remote", "bad", "--base-url", "http://h:1", "--model",
                   "m", "--max-concurrency", "0"});
        QCOMPARE(r.code, 2);
        QVERIFY2(r.err.contains("max_concurrency"), qPrintable(r.err));
        r = llmwb({"-w", ws(), "model", "remove", "remote-qwen"});
        QVERIFY2(r.code == 0, qPrintable(r.err));
        r = llmwb({"-w", ws(), "model", "list"});
        QVERIFY(!r.out.contains("remote-qwen"));
        r = llmwb({"-w", ws(), "model", "remove", "remote-qwen"});
        QCOMPARE(r.code, 2);
    }
};

QTEST_GUILESS_MAIN(TstCli)
#include "tst_cli.moc"

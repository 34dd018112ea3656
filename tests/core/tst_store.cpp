// Workspace store: migrations, reopen, damage detection, interrupted jobs, crash safety,
// dataset import (by content hash, all-or-nothing), templates with versions, the demo seed.

#include "test_util.h"

#include "common/error.h"
#include "common/files.h"
#include "store/dataset_store.h"
#include "store/demo_seed.h"
#include "store/template_store.h"
#include "store/workspace.h"

#include <QTemporaryDir>
#include <QtTest>

#include <chrono>
#include <csignal>
#include <set>
#include <thread>
#include <sys/wait.h>
#include <unistd.h>

namespace fs = std::filesystem;

namespace {

const char *kLogicJsonl =
    R"({"id": "p1", "problem": "A is taller than B.", "questions": [{"question": "Who is taller?", "options": ["A", "B"], "answer": "A"}]})"
    "\n"
    R"({"id": "p2", "problem": "C is older than D.", "questions": [{"question": "Who is older?", "options": ["C", "D", "nobody"], "answer": "A"}, {"question": "Who is younger?", "options": ["C", "D"], "answer": "B"}]})"
    "\n";

const char *kLogicWithBadRow =
    R"({"id": "p1", "problem": "A is taller than B.", "questions": [{"question": "Who is taller?", "options": ["A", "B"], "answer": "A"}]})"
    "\n"
    R"({"id": "p2", "problem": "C", "questions": [{"question": "Q?", "options": ["x", "y"], "answer": "Z"}]})"
    "\n"
    R"({"id": "p3", "problem": "E is F.", "questions": [{"question": "Is E F?", "options": ["yes", "no"], "answer": "A"}]})"
    "\n";

void writeText(const fs::path &p, const std::string &s) { wb::writeFileAtomic(p, s); }

size_t filesIn(const fs::path &dir)
{
    if (!fs::exists(dir))
        return 0;
    size_t n = 0;
    for (auto &e : fs::directory_iterator(dir))
        n += e.is_regular_file() ? 1 : 0;
    return n;
}

int64_t scalar(wb::Workspace &ws, const std::string &sql)
{
    return ws.withDb([&](wb::Database &db) {
        auto st = db.prepare(sql);
        st.step();
        return st.int64(0);
    });
}

} // namespace

class TstStore : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void createsAndMigrates()
    {
        QTemporaryDir dir;
        auto ws = wb::Workspace::open(wbtest::path(dir, "ws"));
        QVERIFY(ws->isNew());
        QVERIFY(fs::exists(wbtest::path(dir, "ws") / "workspace.db"));
        QVERIFY(fs::is_directory(ws->filesDir()));
        QCOMPARE(ws->withDb([](wb::Database &db) { return db.userVersion(); }),
                 static_cast<int>(wb::schemaMigrations().size()));
        QCOMPARE(ws->withDb([](wb::Database &db) {
                     auto st = db.prepare("PRAGMA journal_mode");
                     st.step();
                     return st.text(0);
                 }),
                 std::string("wal"));
        QCOMPARE(scalar(*ws, "PRAGMA foreign_keys"), int64_t(1));
        ws->setMeta("k", "v");
        ws.reset();
        auto again = wb::Workspace::open(wbtest::path(dir, "ws"));
        QVERIFY(!again->isNew());
        QCOMPARE(again->meta("k"), std::string("v"));
        QVERIFY(!again->meta("created_at").empty());
    }

    void refusesNewerSchema()
    {
        QTemporaryDir dir;
        wb::Workspace::open(wbtest::path(dir)).reset();
        {
            wb::Database db(wbtest::path(dir) / "workspace.db");
            db.setUserVersion(99);
        }
        try {
            wb::Workspace::open(wbtest::path(dir));
            QFAIL("a newer schema must be refused");
        } catch (const wb::Error &e) {
            QCOMPARE(e.code(), wb::ErrorCode::Database);
            QVERIFY(std::string(e.what()).find("newer") != std::string::npos);
        }
    }

    void refusesDamagedFile()
    {
        QTemporaryDir dir;
        writeText(wbtest::path(dir) / "workspace.db", std::string(8192, 'x'));
        QVERIFY_THROWS_EXCEPTION(wb::Error, wb::Workspace::open(wbtest::path(dir)));
        // A file where the folder should be is refused with a clear message.
        writeText(wbtest::path(dir) / "plainfile", "x");
        try {
            wb::Workspace::open(wbtest::path(dir) / "plainfile");
            QFAIL("a file is not a workspace");
        } catch (const wb::Error &e) {
            QVERIFY(std::string(e.what()).find("folder") != std::string::npos);
        }
    }

    void marksRunningJobsInterrupted()
    {
        QTemporaryDir dir;
        {
            auto ws = wb::Workspace::open(wbtest::path(dir));
            ws->withDb([](wb::Database &db) {
                db.exec("INSERT INTO jobs(kind, title, lane, state, created_at) VALUES "
                        "('train', 'a', 'cpu', 'running', 'now'), "
                        "('train', 'b', 'cpu', 'succeeded', 'now'), "
                        "('train', 'c', 'cpu', 'queued', 'now')");
            });
        }
        auto ws = wb::Workspace::open(wbtest::path(dir));
        QCOMPARE(ws->interruptedJobsOnOpen(), 2);
        QCOMPARE(scalar(*ws, "SELECT COUNT(*) FROM jobs WHERE state = 'interrupted'"), int64_t(2));
        QCOMPARE(scalar(*ws, "SELECT COUNT(*) FROM jobs WHERE state = 'succeeded'"), int64_t(1));
    }

    // A process killed while writing leaves a database that opens, passes its integrity
    // check, and whose rows point only at files that exist.
    void killedWriterLeavesConsistentStore()
    {
        QTemporaryDir dir;
        const fs::path root = wbtest::path(dir, "ws");
        wb::Workspace::open(root).reset();
        const pid_t child = fork();
        QVERIFY(child >= 0);
        if (child == 0) {
            auto ws = wb::Workspace::open(root);
            wb::DatasetStore store(*ws);
            wb::TemplateStore templates(*ws);
            templates.create("t", "v0");
            for (int i = 0;; ++i) {
                std::vector<wb::DatasetRecord> recs;
                recs.push_back({1, {{"instruction", "do " + std::to_string(i)}, {"input", ""},
                                    {"output", "done"}, {"system", ""}}});
                store.addRecords("d" + std::to_string(i % 7), wb::DatasetFormat::Alpaca, recs);
                templates.save("t", "v" + std::to_string(i + 1));
            }
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(1500));
        kill(child, SIGKILL);
        int status = 0;
        waitpid(child, &status, 0);
        QVERIFY(WIFSIGNALED(status));

        auto ws = wb::Workspace::open(root);
        QCOMPARE(ws->withDb([](wb::Database &db) { return db.integrityCheck(); }), std::string("ok"));
        wb::DatasetStore store(*ws);
        const auto list = store.list();
        QVERIFY2(!list.empty(), "the child should have committed some datasets in 1.5 s");
        for (const auto &d : list)
            for (const auto &v : store.versions(d.id)) {
                QVERIFY2(fs::exists(ws->filesDir() / v.filePath), v.filePath.c_str());
                QCOMPARE(store.load(v).records.size(), size_t(1));
            }
        // Template versions are numbered without gaps.
        const auto versions = wb::TemplateStore(*ws).versions("t");
        for (size_t i = 0; i < versions.size(); ++i)
            QCOMPARE(versions[i].version, static_cast<int>(i + 1));
        QCOMPARE(scalar(*ws, "PRAGMA foreign_key_check"), int64_t(0));
    }

    void importsByContentHash()
    {
        QTemporaryDir dir;
        auto ws = wb::Workspace::open(wbtest::path(dir, "ws"));
        wb::DatasetStore store(*ws);
        const fs::path src = wbtest::path(dir, "logic.jsonl");
        writeText(src, kLogicJsonl);

        wb::DatasetImportRequest req;
        req.source = src;
        auto r = store.importFile(req);
        QCOMPARE(r.status, wb::DatasetImportResult::Status::Imported);
        QCOMPARE(r.datasetName, std::string("logic"));
        QVERIFY(r.version);
        QCOMPARE(r.version->rowCount, size_t(2));
        QCOMPARE(r.version->promptCount, size_t(3));
        QCOMPARE(r.version->format, wb::DatasetFormat::Logic);
        const fs::path copy = ws->filesDir() / r.version->filePath;
        QVERIFY(fs::exists(copy));
        QVERIFY(r.version->filePath.find(r.version->contentHash) != std::string::npos);

        // The same bytes again are recognised, under any file name.
        const fs::path again = wbtest::path(dir, "renamed.jsonl");
        fs::copy_file(src, again);
        req.source = again;
        auto r2 = store.importFile(req);
        QCOMPARE(r2.status, wb::DatasetImportResult::Status::AlreadyPresent);
        QCOMPARE(r2.datasetName, std::string("logic"));
        QCOMPARE(store.list().size(), size_t(1));

        // Editing the source later does not change what the workspace holds.
        writeText(src, std::string(kLogicJsonl) + "garbage\n");
        const auto loaded = store.load(store.get("logic").latest);
        QCOMPARE(loaded.records.size(), size_t(2));
        QCOMPARE(loaded.records[1].data["id"].get<std::string>(), std::string("p2"));

        // Importing the edited file under the same name makes version 2.
        req.source = src;
        req.name = "logic";
        req.acceptInvalidRows = true;
        auto r3 = store.importFile(req);
        QCOMPARE(r3.status, wb::DatasetImportResult::Status::Imported);
        QCOMPARE(r3.version->version, 2);
        QCOMPARE(store.versions(store.get("logic").id).size(), size_t(2));
    }

    void rejectedImportChangesNothing()
    {
        QTemporaryDir dir;
        auto ws = wb::Workspace::open(wbtest::path(dir, "ws"));
        wb::DatasetStore store(*ws);
        const fs::path bad = wbtest::path(dir, "bad.jsonl");
        writeText(bad, kLogicWithBadRow);
        wb::DatasetImportRequest req;
        req.source = bad;
        auto r = store.importFile(req);
        QCOMPARE(r.status, wb::DatasetImportResult::Status::Rejected);
        QCOMPARE(r.parsed.invalidRows, size_t(1));
        QCOMPARE(r.parsed.records.size(), size_t(2));
        QVERIFY(r.message.find("1 of 3 rows") != std::string::npos);
        QCOMPARE(store.list().size(), size_t(0));
        QCOMPARE(filesIn(ws->filesDir() / "datasets"), size_t(0));

        // Not UTF-8 at all: refused, with the encoding named.
        const fs::path gbk = wbtest::path(dir, "gbk.jsonl");
        writeText(gbk, "{\"id\": \"1\", \"problem\": \"\xC4\xE3\xBA\xC3\", \"questions\": []}\n");
        req.source = gbk;
        auto g = store.importFile(req);
        QCOMPARE(g.status, wb::DatasetImportResult::Status::Rejected);
        QVERIFY2(g.message.find("GB18030") != std::string::npos, g.message.c_str());
        QCOMPARE(store.list().size(), size_t(0));

        // With the user's consent the valid rows go in and the skipped ones are counted.
        req.source = bad;
        req.acceptInvalidRows = true;
        auto ok = store.importFile(req);
        QCOMPARE(ok.status, wb::DatasetImportResult::Status::Imported);
        QCOMPARE(ok.version->rowCount, size_t(2));
        QCOMPARE(ok.version->skippedRows, size_t(1));
        const auto loaded = store.load(ok.version.value());
        QCOMPARE(loaded.records.size(), size_t(2));
        QCOMPARE(loaded.records[1].row, size_t(3)); // rows keep their line numbers

        // A missing file is an error naming it, and leaves nothing behind.
        req.source = wbtest::path(dir, "missing.jsonl");
        try {
            store.importFile(req);
            QFAIL("missing file must throw");
        } catch (const wb::Error &e) {
            QVERIFY(std::string(e.what()).find("missing.jsonl") != std::string::npos);
        }
        QCOMPARE(store.list().size(), size_t(1));
    }

    void splitsDeterministically()
    {
        QTemporaryDir dir;
        auto ws = wb::Workspace::open(wbtest::path(dir, "ws"));
        wb::seedDemo(*ws);
        wb::DatasetStore store(*ws);
        auto [train, eval] = store.split("demo-train", 0.25, 7, "a-train", "a-eval");
        QCOMPARE(train.latest.rowCount + eval.latest.rowCount, size_t(240));
        QVERIFY(eval.latest.rowCount >= 50 && eval.latest.rowCount <= 70);
        auto [train2, eval2] = store.split("demo-train", 0.25, 7, "b-train", "b-eval");
        QCOMPARE(train2.latest.contentHash, train.latest.contentHash);
        QCOMPARE(eval2.latest.contentHash, eval.latest.contentHash);
        // Every problem lands on exactly one side, whole.
        std::set<std::string> ids;
        for (const auto &side : {train, eval})
            for (const auto &r : store.load(side.latest).records)
                QVERIFY(ids.insert(r.data["id"].get<std::string>()).second);
        QCOMPARE(ids.size(), size_t(240));
        QVERIFY(store.get("a-eval").latest.derivation.find("\"seed\":7") != std::string::npos);
        QVERIFY_THROWS_EXCEPTION(wb::Error, store.split("demo-train", 1.5, 1));
    }

    void templatesKeepVersions()
    {
        QTemporaryDir dir;
        auto ws = wb::Workspace::open(wbtest::path(dir));
        wb::TemplateStore store(*ws);
        QCOMPARE(store.seedBuiltins(), 4);
        QCOMPARE(store.seedBuiltins(), 0);
        QVERIFY(store.find("logic-zh-cot"));
        store.create("mine", "{{problem}}");
        QVERIFY_THROWS_EXCEPTION(wb::Error, store.create("mine", "x"));
        QCOMPARE(store.save("mine", "{{problem}}").latest.version, 1); // unchanged: no version
        QCOMPARE(store.save("mine", "{{problem}}\n{{question}}", "added question").latest.version, 2);
        const auto versions = store.versions("mine");
        QCOMPARE(versions.size(), size_t(2));
        QCOMPARE(versions[0].body, std::string("{{problem}}"));
        QCOMPARE(versions[1].note, std::string("added question"));
        auto copy = store.duplicate("mine", "");
        QCOMPARE(copy.name, std::string("mine copy"));
        QCOMPARE(copy.latest.body, std::string("{{problem}}\n{{question}}"));
        QVERIFY_THROWS_EXCEPTION(wb::Error, store.rename("mine", "mine copy"));
        store.rename("mine", "renamed");
        QVERIFY(!store.find("mine"));
        QCOMPARE(store.versions("renamed").size(), size_t(2));
        store.remove("renamed");
        QVERIFY(!store.find("renamed"));
        QCOMPARE(scalar(*ws, "SELECT COUNT(*) FROM template_versions tv LEFT JOIN templates t ON "
                             "t.id = tv.template_id WHERE t.id IS NULL"),
                 int64_t(0));
        QVERIFY_THROWS_EXCEPTION(wb::Error, store.get("renamed"));
    }

    void demoSeedsOnce()
    {
        QTemporaryDir dir;
        auto ws = wb::Workspace::open(wbtest::path(dir));
        QVERIFY(wb::seedDemo(*ws));
        wb::DatasetStore store(*ws);
        QCOMPARE(store.get("demo-train").latest.rowCount, size_t(240));
        QCOMPARE(store.get("demo-eval").latest.rowCount, size_t(60));
        store.remove("demo-train");
        ws.reset();
        ws = wb::Workspace::open(wbtest::path(dir));
        QVERIFY(!wb::seedDemo(*ws)); // what the user deleted stays deleted
        QVERIFY(!wb::DatasetStore(*ws).find("demo-train"));
        // Removing the last dataset that uses a file removes the file too.
        QCOMPARE(filesIn(ws->filesDir() / "datasets"), size_t(1));
    }
};

QTEST_APPLESS_MAIN(TstStore)
#include "tst_store.moc"

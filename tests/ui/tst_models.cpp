// Offscreen GUI tests of the Models and Playground tabs on the reference fixtures: a model
// folder is registered with its facts, a broken one says what is wrong, and the Playground
// loads a model and streams the reply the engine produces.

#include "test_util.h"

#include "app_context.h"
#include "main_window.h"
#include "model/causal_lm.h"
#include "model/generate.h"
#include "model_host.h"
#include "models_tab.h"
#include "playground_tab.h"
#include "serve_panel.h"
#include "store/dataset_store.h"
#include "store/demo_seed.h"
#include "store/model_store.h"
#include "store/workspace.h"
#include "tokenizer/chat_template.h"
#include "tokenizer/tokenizer.h"

#include "remote/remote_endpoint.h"

#include <httplib.h>
#include <nlohmann/json.hpp>

#include <QDoubleSpinBox>
#include <QLabel>
#include <QListWidget>
#include <QUrl>
#include <QPushButton>
#include <QSignalSpy>
#include <QSpinBox>
#include <QTableWidget>
#include <QTemporaryDir>
#include <QtTest>

#include <mutex>
#include <thread>

namespace fs = std::filesystem;

namespace {
fs::path fixture(const char *name)
{
    return fs::path(qEnvironmentVariable("WB_TEST_SOURCE_DIR").toStdString()) / "tests" /
           "fixtures" / "reference" / "models" / name;
}

// The row of the model named `name` (the seeded workspace also lists the demo model).
int rowNamed(QTableWidget *table, const QString &name)
{
    for (int r = 0; r < table->rowCount(); ++r)
        if (table->item(r, 0) && table->item(r, 0)->text() == name)
            return r;
    return -1;
}
} // namespace

class TstModels : public QObject
{
    Q_OBJECT
private:
    std::unique_ptr<QTemporaryDir> m_dir;
    std::unique_ptr<wbui::AppContext> m_ctx;
    std::unique_ptr<wbui::MainWindow> m_window;

private Q_SLOTS:
    void init()
    {
        m_dir = std::make_unique<QTemporaryDir>();
        auto ws = wb::Workspace::open(wbtest::path(*m_dir, "ws"));
        wb::seedDemo(*ws);
        m_ctx = std::make_unique<wbui::AppContext>(std::move(ws));
        m_window = std::make_unique<wbui::MainWindow>(*m_ctx);
        m_window->show();
        QVERIFY(QTest::qWaitForWindowExposed(m_window.get()));
    }

    void cleanup()
    {
        m_window.reset();
        m_ctx.reset();
        m_dir.reset();
    }

    void registersAModelFolder()
    {
        m_window->importPaths({QString::fromStdString(fixture("qwen2").string())});
        auto *table = m_window->modelsTab()->findChild<QTableWidget *>(QStringLiteral("modelsTable"));
        QCOMPARE(table->rowCount(), int(wb::ModelStore(m_ctx->workspace()).list().size()));
        const int row = rowNamed(table, QStringLiteral("qwen2"));
        QVERIFY(row >= 0);
        QCOMPARE(table->item(row, 1)->text(), QStringLiteral("Qwen2ForCausalLM"));
        QCOMPARE(table->item(row, 3)->text(), QStringLiteral("F32"));
        QCOMPARE(table->item(row, 5)->text(), QStringLiteral("bpe"));
        QCOMPARE(table->item(row, 6)->text(), QStringLiteral("chatml"));
        QCOMPARE(table->item(row, 7)->text(), QStringLiteral("ready"));
        const auto e = wb::ModelStore(m_ctx->workspace()).get("qwen2");
        QCOMPARE(e.info.layers, int64_t(2));
        QCOMPARE(e.info.kvHeads, int64_t(2));
        // The same folder twice is refused (a message box would block: use the store).
        wb::ModelStore store(m_ctx->workspace());
        bool refused = false;
        try {
            store.add(fixture("qwen2"));
        } catch (const std::exception &) {
            refused = true;
        }
        QVERIFY(refused);
    }

    void brokenFolderSaysWhatIsWrong()
    {
        const fs::path broken = wbtest::path(*m_dir, "broken-model");
        fs::create_directories(broken);
        fs::copy_file(fixture("llama-gqa") / "config.json", broken / "config.json");
        m_window->importPaths({QString::fromStdString(broken.string())});
        auto *table = m_window->modelsTab()->findChild<QTableWidget *>(QStringLiteral("modelsTable"));
        const int row = rowNamed(table, QStringLiteral("broken-model"));
        QVERIFY(row >= 0);
        QCOMPARE(table->item(row, 7)->text(), QStringLiteral("broken"));
        const QString details = m_window->modelsTab()->detailsText();
        QVERIFY2(details.contains(QStringLiteral("safetensors")), qPrintable(details));
        QVERIFY2(details.contains(QStringLiteral("tokenizer")), qPrintable(details));

        // Serving it says why not, at once, without a job (the folder has no weights).
        wbui::ServePanel panel(*m_ctx, QStringLiteral("broken-model"));
        QSignalSpy failed(&panel, &wbui::ServePanel::failed);
        panel.start();
        QCOMPARE(failed.count(), 1);
        QVERIFY2(failed.first().first().toString().contains(QStringLiteral("safetensors")),
                 qPrintable(failed.first().first().toString()));
        QVERIFY(!panel.serving());
    }

    void playgroundStreamsTheEnginesReply()
    {
        const fs::path dir = fixture("qwen2");
        wb::ModelStore(m_ctx->workspace()).add(dir);
        Q_EMIT m_ctx->modelsChanged();
        auto *pg = m_window->playgroundTab();
        pg->selectModel(QStringLiteral("qwen2"));
        pg->findChild<QDoubleSpinBox *>(QStringLiteral("temperature"))->setValue(0); // greedy
        pg->findChild<QSpinBox *>(QStringLiteral("maxTokens"))->setValue(12);
        pg->loadSelected();
        QTRY_VERIFY_WITH_TIMEOUT(pg->statusText().startsWith(QStringLiteral("Loaded")), 30000);
        QVERIFY(pg->statusText().contains(QStringLiteral("Qwen2")));

        QSignalSpy finished(pg, &wbui::PlaygroundTab::replyFinished);
        pg->send(QStringLiteral("Who is taller, Ann or Bob?"));
        QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 1, 30000);

        // What the engine itself produces for the same chat, greedily.
        auto model = wb::CausalLM::load(dir);
        auto tok = wb::Tokenizer::load(dir);
        const auto tpl = wb::ChatTemplate::fromModelDir(dir);
        QVERIFY(tpl);
        const auto ids = tok->encode(tpl->render({{"user", "Who is taller, Ann or Bob?"}}, true,
                                                 tok->bosToken(), tok->eosToken()),
                                     false);
        wb::GenerateOptions go;
        go.maxNewTokens = 12;
        go.sampling.repetitionPenalty = 1.05f;
        go.decode = [&](const std::vector<int32_t> &v) { return tok->decode(v, true); };
        const auto expected = wb::generate(*model, ids, go);
        QCOMPARE(pg->lastReply().toStdString(), tok->decode(expected.tokens, true));
        QVERIFY(pg->transcriptText().contains(QStringLiteral("Who is taller")));
        QVERIFY2(pg->statsText().contains(QStringLiteral("%1 prompt tokens").arg(ids.size())),
                 qPrintable(pg->statsText()));
    }

    // A remote OpenAI-compatible endpoint chosen in the Playground: the whole conversation goes
    // to /v1/chat/completions and the server's reply is shown.
    void playgroundAsksARemoteEndpoint()
    {
        httplib::Server server;
        nlohmann::json lastBody;
        std::mutex mutex;
        server.Post("/v1/chat/completions", [&](const httplib::Request &req, httplib::Response &res) {
            std::lock_guard<std::mutex> lock(mutex);
            lastBody = nlohmann::json::parse(req.body);
            const nlohmann::json reply = {
                {"choices", {{{"index", 0}, {"message", {{"role", "assistant"}, {"content", "Bob is taller."}}},
                              {"finish_reason", "stop"}}}},
                {"usage", {{"prompt_tokens", 21}, {"completion_tokens", 4}, {"total_tokens", 25}}}};
            res.set_content(reply.dump(), "application/json");
        });
        const int port = server.bind_to_any_port("127.0.0.1");
        std::thread thread([&] { server.listen_after_bind(); });
        while (!server.is_running())
            std::this_thread::sleep_for(std::chrono::milliseconds(5));
        wb::RemoteSettings s;
        s.name = "loopback";
        s.baseUrl = "http://127.0.0.1:" + std::to_string(port);
        s.model = "served-model";
        wb::RemoteStore(m_ctx->workspace()).add(s);
        Q_EMIT m_ctx->modelsChanged();
        auto *pg = m_window->playgroundTab();
        pg->selectModel(QStringLiteral("loopback"));
        pg->findChild<QSpinBox *>(QStringLiteral("maxTokens"))->setValue(16);
        pg->loadSelected();
        QTRY_VERIFY_WITH_TIMEOUT(pg->statusText().startsWith(QStringLiteral("Loaded loopback")), 5000);
        QSignalSpy finished(pg, &wbui::PlaygroundTab::replyFinished);
        pg->send(QStringLiteral("Who is taller, Ann or Bob?"));
        QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 1, 15000);
        QCOMPARE(pg->lastReply(), QStringLiteral("Bob is taller."));
        {
            std::lock_guard<std::mutex> lock(mutex);
            QCOMPARE(lastBody["model"].get<std::string>(), std::string("served-model"));
            QCOMPARE(lastBody["max_tokens"].get<int>(), 16);
            QCOMPARE(lastBody["messages"].back()["content"].get<std::string>(),
                     std::string("Who is taller, Ann or Bob?"));
        }
        server.stop();
        thread.join();
    }

    void playgroundRendersATemplatePrompt()
    {
        auto *pg = m_window->playgroundTab();
        QSignalSpy inserted(pg, &wbui::PlaygroundTab::promptInserted);
        pg->insertTemplatePrompt(); // logic-direct on demo-eval row 0, question 0
        QTRY_COMPARE_WITH_TIMEOUT(inserted.count(), 1, 30000);
        QVERIFY(pg->inputText().contains(QStringLiteral("A. ")));
        QVERIFY(!pg->findChild<QLabel *>(QStringLiteral("expectedAnswer"))->text().isEmpty());

        // The render job keeps the dataset it read; a new version of it is read again.
        wb::DatasetStore store(m_ctx->workspace());
        auto records = store.load(store.get("demo-eval").latest).records;
        records[0].data["problem"] = "A new version of the first problem.";
        store.addRecords("demo-eval", wb::DatasetFormat::Logic, records, "edited first problem");
        pg->insertTemplatePrompt();
        QTRY_COMPARE_WITH_TIMEOUT(inserted.count(), 2, 30000);
        QVERIFY2(pg->inputText().contains(QStringLiteral("A new version of the first problem.")),
                 qPrintable(pg->inputText()));
    }

    // The Models tab's Serve action: the demo model and its LoRA run behind the server; a client
    // sees both, a request shows up in the live log and the counters, Stop closes the server.
    void servePanelServesTheModelAndItsAdapter()
    {
        auto *tab = m_window->findChild<wbui::ModelsTab *>();
        QVERIFY(tab);
        tab->showModel(QStringLiteral("demo-model"));
        QVERIFY(tab->findChild<QPushButton *>(QStringLiteral("serveModelButton")));
        wbui::ServePanel panel(*m_ctx, QStringLiteral("demo-model"));
        auto *adapters = panel.findChild<QListWidget *>(QStringLiteral("serveAdapters"));
        QVERIFY(adapters && adapters->count() >= 1);
        adapters->item(0)->setCheckState(Qt::Checked);
        const QString adapterName = adapters->item(0)->text();
        panel.setPort(0);
        QSignalSpy started(&panel, &wbui::ServePanel::started);
        QSignalSpy failed(&panel, &wbui::ServePanel::failed);
        panel.start();
        QTRY_VERIFY_WITH_TIMEOUT(started.count() == 1 || failed.count() == 1, 120000);
        QVERIFY2(failed.isEmpty(), failed.isEmpty() ? "" : qPrintable(failed.first().first().toString()));
        QVERIFY(panel.serving());

        const int port = QUrl(panel.address()).port();
        // The server answers on its own threads: a blocking client here is fine.
        httplib::Client c("127.0.0.1", port);
        auto r = c.Get("/v1/models");
        QVERIFY(r);
        const nlohmann::json models = nlohmann::json::parse(r->body, nullptr, false);
        const nlohmann::json body = {{"model", adapterName.toStdString()}, {"prompt", "Q: 2+2? A:"},
                                     {"max_tokens", 4}, {"temperature", 0}};
        r = c.Post("/v1/completions", body.dump(), "application/json");
        QVERIFY(r);
        QCOMPARE(r->status, 200);
        const nlohmann::json completion = nlohmann::json::parse(r->body, nullptr, false);
        QVERIFY(models.contains("data"));
        QCOMPARE(int(models["data"].size()), 2);
        QCOMPARE(completion["model"].get<std::string>(), adapterName.toStdString());
        QVERIFY(completion["usage"]["completion_tokens"].get<int>() >= 1);
        QTRY_VERIFY_WITH_TIMEOUT(panel.logText().contains(QStringLiteral("/v1/completions  200")), 10000);
        QVERIFY(panel.logText().contains(adapterName));
        QTRY_VERIFY_WITH_TIMEOUT(panel.statsText().contains(QStringLiteral("in 1 requests")), 5000);

        QSignalSpy stopped(&panel, &wbui::ServePanel::stopped);
        panel.stop();
        QTRY_COMPARE_WITH_TIMEOUT(stopped.count(), 1, 20000);
        QVERIFY(!panel.serving());
    }
};

QTEST_MAIN(TstModels)
#include "tst_models.moc"

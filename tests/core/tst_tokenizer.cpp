// Tokenizers: ids and decodes equal Hugging Face's (reference fixtures from tokenizers 0.23 /
// transformers 5.17), sentencepiece models trained here equal spm_encode, streaming decode
// never splits a character, and broken or unsupported files give clear errors.

#include "test_util.h"

#include "common/error.h"
#include "common/files.h"
#include "common/text.h"
#include "tokenizer/tokenizer.h"

#include <QElapsedTimer>
#include <QProcess>
#include <QTemporaryDir>
#include <QtTest>

#include <nlohmann/json.hpp>

namespace fs = std::filesystem;
using nlohmann::json;

namespace {

fs::path sourceDir()
{
    return fs::path(qEnvironmentVariable("WB_TEST_SOURCE_DIR", QStringLiteral(".")).toStdString());
}

fs::path referenceDir(const char *name)
{
    return sourceDir() / "tests/fixtures/reference/tokenizers" / name;
}

std::string idsToString(const std::vector<int32_t> &ids)
{
    std::string s = "[";
    for (size_t i = 0; i < ids.size(); ++i)
        s += (i ? "," : "") + std::to_string(ids[i]);
    return s + "]";
}

std::vector<int32_t> toIds(const json &j)
{
    return j.get<std::vector<int32_t>>();
}

// Runs a sentencepiece command line tool with `input` on stdin; returns stdout.
std::string runTool(const QString &program, const QStringList &args, const std::string &input)
{
    QProcess p;
    p.start(program, args);
    if (!p.waitForStarted(10000))
        qFatal("cannot start %s", qPrintable(program));
    p.write(input.data(), qint64(input.size()));
    p.closeWriteChannel();
    p.waitForFinished(60000);
    if (p.exitCode() != 0)
        qFatal("%s failed: %s", qPrintable(program), p.readAllStandardError().constData());
    return p.readAllStandardOutput().toStdString();
}

std::vector<std::vector<int32_t>> parseIdLines(const std::string &out)
{
    std::vector<std::vector<int32_t>> rows;
    for (std::string_view line : wb::splitLines(out)) {
        std::vector<int32_t> ids;
        size_t pos = 0;
        while (pos < line.size()) {
            const size_t end = std::min(line.find(' ', pos), line.size());
            if (end > pos)
                ids.push_back(std::stoi(std::string(line.substr(pos, end - pos))));
            pos = end + 1;
        }
        rows.push_back(ids);
    }
    return rows;
}

// Feeds ids one at a time; every chunk must be valid UTF-8 and the chunks must add up.
void checkStream(const wb::Tokenizer &tok, const std::vector<int32_t> &ids, bool skipSpecial)
{
    wb::StreamDecoder stream(tok, skipSpecial);
    std::string all;
    for (int32_t id : ids) {
        const std::string chunk = stream.push(id);
        QVERIFY2(wb::isValidUtf8(chunk), ("invalid UTF-8 chunk after id " + std::to_string(id)).c_str());
        all += chunk;
    }
    const std::string rest = stream.flush();
    QVERIFY(wb::isValidUtf8(rest));
    all += rest;
    WB_COMPARE_STR(all, tok.decode(ids, skipSpecial));
}

void writeJson(const fs::path &path, const json &j)
{
    wb::writeFileAtomic(path, j.dump(1));
}

const char *const kSpTexts[] = {
    "Hello world",
    "Hello  world with   runs of spaces",
    "甲、乙、丙三人中有且只有一人说真话。",
    "混合 mixed 文本 text 123 and 4567",
    "emoji 😀🎉👍🏽 and 👨‍👩‍👧 need byte fallback",
    "Ünïcödé façade naïve café",
    "答案是：C",
    "罕见字：龘靐齉",
    "x",
};

} // namespace

class TestTokenizer : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void referenceBpe_data();
    void referenceBpe();
    void bpeSpecialTokens();
    void addedTokenFlags();
    void streamDecoderBpe();
    void cleanUpIgnored();
    void sentencepiece_data();
    void sentencepiece();
    void sentencepieceConfig();
    void errors();
    void performance();

private:
    QTemporaryDir m_tmp;
};

void TestTokenizer::initTestCase()
{
    QVERIFY(m_tmp.isValid());
    QVERIFY(fs::exists(referenceDir("qwen2-bpe") / "expected.json"));
    // Train the sentencepiece models once: bpe and unigram, with byte fallback so that rare
    // characters and emoji become <0xNN> pieces.
    for (const char *type : {"bpe", "unigram"}) {
        const fs::path dir = wbtest::path(m_tmp, type);
        fs::create_directories(dir);
        QProcess p;
        p.start(QStringLiteral("spm_train"),
                {QString::fromStdString("--input=" + (sourceDir() / "tests/fixtures/tokenizers/corpus.txt").string()),
                 QString::fromStdString("--model_prefix=" + (dir / "tokenizer").string()),
                 QStringLiteral("--vocab_size=600"), QStringLiteral("--model_type=") + type,
                 QStringLiteral("--byte_fallback=true"), QStringLiteral("--character_coverage=0.98"),
                 QStringLiteral("--minloglevel=2")});
        QVERIFY2(p.waitForFinished(120000), "spm_train did not finish");
        QVERIFY2(p.exitCode() == 0, p.readAllStandardError().constData());
        QVERIFY(fs::exists(dir / "tokenizer.model"));
    }
}

void TestTokenizer::referenceBpe_data()
{
    QTest::addColumn<QString>("name");
    QTest::newRow("qwen2") << QStringLiteral("qwen2-bpe");
    QTest::newRow("llama3") << QStringLiteral("llama3-bpe");
}

void TestTokenizer::referenceBpe()
{
    QFETCH(QString, name);
    const fs::path dir = referenceDir(name.toUtf8().constData());
    const json expected = json::parse(wb::readFile(dir / "expected.json"));
    const auto tok = wb::Tokenizer::load(dir);
    QCOMPARE(tok->kind(), std::string("bpe"));

    // Collect every mismatch so one run shows them all.
    std::string failures;
    int checked = 0;
    for (const json &row : expected["texts"]) {
        const std::string text = row["text"];
        const auto ids = tok->encode(text);
        const auto plain = tok->encode(text, false);
        if (ids != toIds(row["ids"]))
            failures += "encode " + json(text).dump() + ": got " + idsToString(ids) + " want "
                + idsToString(toIds(row["ids"])) + "\n";
        if (plain != toIds(row["ids_no_special"]))
            failures += "encode(no special) " + json(text).dump() + ": got " + idsToString(plain)
                + " want " + idsToString(toIds(row["ids_no_special"])) + "\n";
        checked += 2;
    }
    for (const json &row : expected["decode"]) {
        const auto ids = toIds(row["ids"]);
        const std::string text = tok->decode(ids);
        const std::string skipped = tok->decode(ids, true);
        if (text != row["text"].get<std::string>())
            failures += "decode " + idsToString(ids) + ": got " + json(text).dump() + " want "
                + row["text"].dump() + "\n";
        if (skipped != row["skip_special"].get<std::string>())
            failures += "decode(skip) " + idsToString(ids) + ": got " + json(skipped).dump()
                + " want " + row["skip_special"].dump() + "\n";
        checked += 2;
    }
    QVERIFY2(failures.empty(), failures.c_str());
    QCOMPARE(checked, 128);
}

void TestTokenizer::bpeSpecialTokens()
{
    const auto llama3 = wb::Tokenizer::load(referenceDir("llama3-bpe"));
    QCOMPARE(llama3->bosId(), std::optional<int32_t>(0));
    QCOMPARE(llama3->bosToken(), std::string("<|begin_of_text|>"));
    QCOMPARE(llama3->eosToken(), std::string("<|eot_id|>"));
    QCOMPARE(llama3->eosIds(), std::vector<int32_t>{4});
    QCOMPARE(llama3->tokenToId("<|start_header_id|>"), std::optional<int32_t>(2));
    QVERIFY(llama3->isSpecial(2));
    QVERIFY(!llama3->isSpecial(100));
    QCOMPARE(llama3->vocabSize(), 700);
    QCOMPARE(llama3->tokenBytes(4), std::string("<|eot_id|>"));
    QCOMPARE(llama3->idToToken(0), std::string("<|begin_of_text|>"));
    QVERIFY_THROWS_EXCEPTION(wb::Error, llama3->idToToken(100000));

    const auto qwen = wb::Tokenizer::load(referenceDir("qwen2-bpe"));
    QVERIFY(!qwen->bosId());
    QCOMPARE(qwen->eosIds(), std::vector<int32_t>{2});
    // Byte-level tokens stand for raw bytes: 'Ġ' is a space.
    const auto space = qwen->tokenToId("\xC4\xA0"); // U+0120
    QVERIFY(space);
    QCOMPARE(qwen->tokenBytes(*space), std::string(" "));
    // Invalid UTF-8 input is refused, not silently mangled.
    QVERIFY_THROWS_EXCEPTION(wb::Error, qwen->encode("bad \xFF byte"));
}

void TestTokenizer::addedTokenFlags()
{
    // HF's AddedVocabulary rules (lstrip, rstrip, single_word, normalized, longest match) on
    // the Qwen2 tokenizer plus tokens added as tokenizers 0.23 `add_tokens` does; the expected
    // ids and decodes were produced by tokenizers 0.23.2 from this same file.
    const fs::path dir = wbtest::path(m_tmp, "flags");
    fs::create_directories(dir);
    json j = json::parse(wb::readFile(referenceDir("qwen2-bpe") / "tokenizer.json"));
    auto added = [](int id, const char *content, bool single, bool l, bool r, bool normalized, bool special) {
        return json{{"id", id},         {"content", content},       {"single_word", single}, {"lstrip", l},
                    {"rstrip", r},      {"normalized", normalized}, {"special", special}};
    };
    j["added_tokens"].push_back(added(700, "<mask>", false, true, false, false, true));
    j["added_tokens"].push_back(added(701, "[R]", false, false, true, false, true));
    j["added_tokens"].push_back(added(702, "cat", true, false, false, true, false));
    j["added_tokens"].push_back(added(703, "<mask>x", false, false, false, false, true));
    j["added_tokens"].push_back(added(704, "\uff45\u0301x", false, false, false, true, false));
    writeJson(dir / "tokenizer.json", j);
    const auto tok = wb::Tokenizer::load(dir);
    QCOMPARE(tok->vocabSize(), 705);

    struct Case
    {
        const char *text;
        std::vector<int32_t> ids;
        const char *decoded;
        const char *skipped;
    };
    const Case cases[] = {
        {"a   <mask>b", {67, 700, 68}, "a<mask>b", "ab"},
        {"a[R]   b", {67, 701, 68}, "a[R]b", "ab"},
        {"a cat b", {67, 223, 702, 365}, "a cat b", "a cat b"},
        {"concatenate", {69, 81, 80, 69, 67, 86, 280, 394}, "concatenate", "concatenate"},
        {"<mask>x", {703}, "<mask>x", ""},
        {"cat", {702}, "cat", "cat"},
        {"x cat", {90, 223, 702}, "x cat", "x cat"},
        {" <mask>", {700}, "<mask>", ""},
        {"\u00e9x e\u0301x \uff45\u0301x", {130, 105, 90, 223, 130, 105, 90, 223, 704},
         "\u00e9x \u00e9x \uff45\u0301x", "\u00e9x \u00e9x \uff45\u0301x"},
        {"a <mask>x   [R] c", {67, 223, 703, 223, 223, 223, 701, 69}, "a <mask>x   [R]c", "a    c"},
    };
    for (const Case &c : cases) {
        QCOMPARE(tok->encode(c.text, false), c.ids);
        QCOMPARE(tok->decode(c.ids), std::string(c.decoded));
        QCOMPARE(tok->decode(c.ids, true), std::string(c.skipped));
    }
}

void TestTokenizer::streamDecoderBpe()
{
    for (const char *name : {"qwen2-bpe", "llama3-bpe"}) {
        const auto tok = wb::Tokenizer::load(referenceDir(name));
        for (const char *text : {"中文测试：这是一个逻辑推理问题。", "emoji 😀🎉👍🏽 and 👨‍👩‍👧",
                                 "<|im_start|>user\n甲比乙高吗？<|im_end|>", "Ω≈ç√∫˜µ≤≥÷ 한국어"}) {
            const auto ids = tok->encode(text);
            checkStream(*tok, ids, false);
            checkStream(*tok, ids, true);
        }
        // Tokens that are single bytes of a multi-byte character come back only when whole.
        wb::StreamDecoder stream(*tok);
        std::string got;
        for (int32_t id : tok->encode("😀", false)) {
            const std::string chunk = stream.push(id);
            QVERIFY(chunk.empty() || chunk == "😀");
            got += chunk;
        }
        got += stream.flush();
        QCOMPARE(got, std::string("😀"));
    }
}

void TestTokenizer::cleanUpIgnored()
{
    // Llama-3's real tokenizer_config.json sets clean_up_tokenization_spaces, but transformers 5
    // ignores it for BPE-backed tokenizers (checked against 5.17): " ," stays " ,".
    const fs::path dir = wbtest::path(m_tmp, "cleanup");
    fs::create_directories(dir);
    fs::copy_file(referenceDir("llama3-bpe") / "tokenizer.json", dir / "tokenizer.json");
    json config = json::parse(wb::readFile(referenceDir("llama3-bpe") / "tokenizer_config.json"));
    config["clean_up_tokenization_spaces"] = true;
    writeJson(dir / "tokenizer_config.json", config);
    const auto tok = wb::Tokenizer::load(dir);
    const std::string text = "I do n't know , he said . Is it ? Yes ! They 're here";
    const auto ids = tok->encode(text);
    QCOMPARE(ids, (std::vector<int32_t>{0,  45, 364, 83,  313, 11,  88,  693, 318, 225, 16, 225, 265,
                                        287, 69, 355, 225, 18,  225, 45,  87,  225, 520, 225, 35, 225,
                                        61, 358, 225, 5,   575, 93,  225, 11,  297, 225, 265, 297}));
    QCOMPARE(tok->decode(ids, true), text);
    checkStream(*tok, ids, false);
}

void TestTokenizer::sentencepiece_data()
{
    QTest::addColumn<QString>("type");
    QTest::newRow("bpe") << QStringLiteral("bpe");
    QTest::newRow("unigram") << QStringLiteral("unigram");
}

void TestTokenizer::sentencepiece()
{
    QFETCH(QString, type);
    const fs::path dir = wbtest::path(m_tmp, type.toUtf8().constData());
    const QString model = QString::fromStdString((dir / "tokenizer.model").string());
    const auto tok = wb::Tokenizer::load(dir);
    QCOMPARE(tok->kind(), std::string("sentencepiece"));
    QCOMPARE(tok->vocabSize(), 600);
    QCOMPARE(tok->bosId(), std::optional<int32_t>(1));
    QCOMPARE(tok->eosIds(), std::vector<int32_t>{2});
    QVERIFY(tok->isSpecial(1));
    QVERIFY(tok->tokenToId("<0xE4>"));

    std::string input;
    for (const char *text : kSpTexts)
        input += std::string(text) + "\n";
    const auto reference = parseIdLines(
        runTool(QStringLiteral("spm_encode"), {"--model=" + model, "--output_format=id"}, input));
    QCOMPARE(reference.size(), std::size(kSpTexts));
    std::string decodeInput;
    for (size_t i = 0; i < reference.size(); ++i) {
        const std::string text = kSpTexts[i];
        QCOMPARE(tok->encode(text, false), reference[i]);
        std::vector<int32_t> withBos{1};
        withBos.insert(withBos.end(), reference[i].begin(), reference[i].end());
        QCOMPARE(tok->encode(text), withBos); // LlamaTokenizer adds bos by default
        decodeInput += idsToString(reference[i]).substr(1);
        decodeInput.back() = '\n';
        for (char &c : decodeInput)
            if (c == ',')
                c = ' ';
        checkStream(*tok, withBos, false);
        checkStream(*tok, withBos, true);
    }
    // Decoding equals spm_decode (which never shows control tokens).
    const std::string decoded = runTool(QStringLiteral("spm_decode"), {"--model=" + model, "--input_format=id"},
                                        decodeInput);
    const auto lines = wb::splitLines(decoded);
    QCOMPARE(lines.size(), reference.size());
    for (size_t i = 0; i < reference.size(); ++i) {
        std::vector<int32_t> withBos{1};
        withBos.insert(withBos.end(), reference[i].begin(), reference[i].end());
        QCOMPARE(tok->decode(withBos, true), std::string(lines[i]));
        QCOMPARE(tok->decode(reference[i]), std::string(lines[i]));
    }
    // Control tokens written in the text are split out, as transformers does.
    const auto ids = tok->encode("a</s>b", false);
    QVERIFY(std::find(ids.begin(), ids.end(), 2) != ids.end());
    // A byte-fallback piece alone is an incomplete character in the stream.
    wb::StreamDecoder stream(*tok);
    QCOMPARE(stream.push(*tok->tokenToId("<0xE4>")), std::string());
    QCOMPARE(stream.push(*tok->tokenToId("<0xB8>")), std::string());
    QCOMPARE(stream.push(*tok->tokenToId("<0xAD>")), std::string("中"));
}

void TestTokenizer::sentencepieceConfig()
{
    const fs::path dir = wbtest::path(m_tmp, "spconfig");
    fs::create_directories(dir);
    fs::copy_file(wbtest::path(m_tmp, "bpe") / "tokenizer.model", dir / "tokenizer.model");
    writeJson(dir / "tokenizer_config.json",
              {{"add_bos_token", false}, {"add_eos_token", true}, {"bos_token", "<s>"}, {"eos_token", "</s>"},
               {"added_tokens_decoder", {{"600", {{"content", "<|im_end|>"}, {"special", true}}}}}});
    const auto tok = wb::Tokenizer::load(dir);
    QCOMPARE(tok->vocabSize(), 601);
    const auto plain = tok->encode("Hello", false);
    auto withEos = plain;
    withEos.push_back(2);
    QCOMPARE(tok->encode("Hello"), withEos);
    const auto ids = tok->encode("Hello<|im_end|>", false);
    QCOMPARE(ids.back(), 600);
    QVERIFY(tok->isSpecial(600));
    QCOMPARE(tok->decode(ids), std::string("Hello<|im_end|>"));
    QCOMPARE(tok->decode(ids, true), std::string("Hello"));
}

void TestTokenizer::errors()
{
    auto expectError = [](const fs::path &dir, wb::ErrorCode code, const std::string &needle) {
        try {
            wb::Tokenizer::load(dir);
            QFAIL(("no error for " + dir.string()).c_str());
        } catch (const wb::Error &e) {
            QCOMPARE(e.code(), code);
            const std::string all = e.message() + " | " + e.context();
            QVERIFY2(all.find(needle) != std::string::npos, all.c_str());
        }
    };
    expectError(wbtest::path(m_tmp, "no-such-folder"), wb::ErrorCode::Io, "no-such-folder");
    const fs::path empty = wbtest::path(m_tmp, "empty");
    fs::create_directories(empty);
    expectError(empty, wb::ErrorCode::Io, "tokenizer.json or tokenizer.model");

    const fs::path corrupt = wbtest::path(m_tmp, "corrupt");
    fs::create_directories(corrupt);
    wb::writeFileAtomic(corrupt / "tokenizer.json", "{\"model\": {\"type\": \"BPE\", \"vocab\": ");
    expectError(corrupt, wb::ErrorCode::Parse, "tokenizer.json");

    const json base = json::parse(wb::readFile(referenceDir("qwen2-bpe") / "tokenizer.json"));
    for (const char *type : {"Unigram", "WordLevel"}) {
        const fs::path dir = wbtest::path(m_tmp, type);
        fs::create_directories(dir);
        json j = base;
        j["model"]["type"] = type;
        writeJson(dir / "tokenizer.json", j);
        expectError(dir, wb::ErrorCode::Unsupported, type);
    }
    // WordPiece loads (tst_bert covers it) but needs its unknown token in the vocabulary.
    const fs::path wordPiece = wbtest::path(m_tmp, "wordpiece-no-unk");
    fs::create_directories(wordPiece);
    json j = base;
    j["model"] = {{"type", "WordPiece"}, {"vocab", {{"a", 0}, {"##b", 1}}}, {"unk_token", "[UNK]"}};
    writeJson(wordPiece / "tokenizer.json", j);
    expectError(wordPiece, wb::ErrorCode::Parse, "[UNK]");
    const fs::path normalizer = wbtest::path(m_tmp, "precompiled-normalizer");
    fs::create_directories(normalizer);
    j = base;
    j["normalizer"] = {{"type", "Precompiled"}};
    writeJson(normalizer / "tokenizer.json", j);
    expectError(normalizer, wb::ErrorCode::Unsupported, "Precompiled");

    const fs::path badMerge = wbtest::path(m_tmp, "bad-merge");
    fs::create_directories(badMerge);
    j = base;
    j["model"]["merges"].push_back({"no-such-token", "x"});
    writeJson(badMerge / "tokenizer.json", j);
    expectError(badMerge, wb::ErrorCode::Parse, "no-such-token");

    const fs::path badModel = wbtest::path(m_tmp, "bad-sp");
    fs::create_directories(badModel);
    wb::writeFileAtomic(badModel / "tokenizer.model", "not a protobuf");
    expectError(badModel, wb::ErrorCode::Parse, "tokenizer.model");

    const fs::path badConfig = wbtest::path(m_tmp, "bad-config");
    fs::create_directories(badConfig);
    fs::copy_file(referenceDir("qwen2-bpe") / "tokenizer.json", badConfig / "tokenizer.json");
    wb::writeFileAtomic(badConfig / "tokenizer_config.json", "{oops");
    expectError(badConfig, wb::ErrorCode::Parse, "tokenizer_config.json");
}

void TestTokenizer::performance()
{
    // ~1 MB of mixed Chinese / English: the demo corpus with English interleaved line by line.
    const std::string corpus = wb::readFile(sourceDir() / "tests/fixtures/tokenizers/corpus.txt");
    const auto lines = wb::splitLines(corpus);
    std::string text;
    const char *english[] = {"The quick brown fox jumps over the lazy dog number ",
                             "Alice said that Bob is taller than Carol, item ",
                             "If every knight tells the truth then case "};
    for (size_t i = 0; text.size() < 1000000; ++i) {
        text += std::string(lines[i % lines.size()]) + "\n";
        text += std::string(english[i % 3]) + std::to_string(i) + ".\n";
    }
    const auto tok = wb::Tokenizer::load(referenceDir("qwen2-bpe"));
    QElapsedTimer timer;
    timer.start();
    const auto ids = tok->encode(text);
    const qint64 ms = timer.elapsed();
    qInfo("encoded %zu bytes into %zu tokens in %lld ms", text.size(), ids.size(), ms);
    QVERIFY(ids.size() > 100000);
    QVERIFY2(ms < 1500, std::to_string(ms).c_str());
    QCOMPARE(tok->decode(ids), text); // NFC-stable text round-trips
}

QTEST_APPLESS_MAIN(TestTokenizer)
#include "tst_tokenizer.moc"

// The BERT sentence encoder against sentence-transformers (tests/fixtures/reference/bert, made
// by make_bert_reference.py): WordPiece ids equal HF tokenizers', vectors equal
// sentence-transformers' encode(), batching changes nothing, and malformed folders fail with
// messages that name the file and the field.

#include "common/error.h"
#include "formats/safetensors.h"
#include "model/bert.h"
#include "model/embedders.h"
#include "tokenizer/tokenizer.h"

#include "test_util.h"

#include <QObject>
#include <QTemporaryDir>

#include <nlohmann/json.hpp>

#include <atomic>
#include <cmath>
#include <fstream>

using namespace wb;
namespace fs = std::filesystem;
using nlohmann::json;

namespace {

fs::path fixtures()
{
    const char *root = std::getenv("WB_TEST_SOURCE_DIR");
    return fs::path(root ? root : ".") / "tests" / "fixtures" / "reference" / "bert";
}

json readJsonFile(const fs::path &file)
{
    std::ifstream in(file);
    return json::parse(in);
}

void writeJsonFile(const fs::path &file, const json &j)
{
    std::ofstream(file) << j.dump(2);
}

float maxAbsDiff(const std::vector<float> &a, const std::vector<float> &b)
{
    if (a.size() != b.size())
        return INFINITY;
    float m = 0;
    for (size_t i = 0; i < a.size(); ++i)
        m = std::max(m, std::abs(a[i] - b[i]));
    return m;
}

// Copies a fixture folder so a test can break it.
fs::path copyFixture(const QTemporaryDir &tmp, const std::string &name)
{
    const fs::path dst = wbtest::path(tmp, name.c_str());
    fs::copy(fixtures() / name, dst, fs::copy_options::recursive);
    return dst;
}

// Rewrites model.safetensors through `edit` (which may drop or change tensors).
template <typename Edit> void rewriteWeights(const fs::path &dir, Edit edit)
{
    const fs::path file = dir / "model.safetensors";
    SafetensorsWriter writer;
    {
        const auto in = SafetensorsFile::open(file);
        for (const TensorView &t : in->tensors()) {
            std::vector<uint8_t> bytes(t.data, t.data + t.bytes);
            if (edit(t.name, bytes))
                writer.add(t.name, t.dtype, t.shape, bytes.data(), bytes.size());
        }
    }
    writer.write(file);
}

// Runs f, which must throw wb::Error with `code` and a message and context that together
// contain every one of `needles`.
template <typename F>
void expectError(F f, ErrorCode code, std::initializer_list<const char *> needles)
{
    try {
        f();
    } catch (const Error &e) {
        const std::string all = std::string(e.what()) + " | " + e.context();
        if (e.code() != code)
            QFAIL(qPrintable(QString("wrong code %1: %2").arg(errorCodeName(e.code())).arg(all.c_str())));
        for (const char *n : needles)
            if (all.find(n) == std::string::npos)
                QFAIL(qPrintable(QString("'%1' not in: %2").arg(n).arg(all.c_str())));
        return;
    }
    QFAIL("no error thrown");
}

} // namespace

class TestBert : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void wordPieceIds_data();
    void wordPieceIds();
    void truncation();
    void embeddings_data();
    void embeddings();
    void batchEqualsSingle();
    void normaliseOption();
    void idTracksTheVectors();
    void cancel();
    void malformedFolders();
    void knowledgeBaseEmbedder();
};

void TestBert::wordPieceIds_data()
{
    QTest::addColumn<QString>("model");
    QTest::newRow("uncased") << QStringLiteral("mean-normalize");
    QTest::newRow("cased") << QStringLiteral("cls");
}

void TestBert::wordPieceIds()
{
    QFETCH(QString, model);
    const fs::path dir = fixtures() / model.toStdString();
    const json ref = readJsonFile(dir / "reference.json");
    const auto tok = Tokenizer::load(dir);
    QCOMPARE(tok->kind(), std::string("wordpiece"));
    int checked = 0;
    for (const json &r : ref["texts"]) {
        const std::string text = r["text"];
        const auto expected = r["ids"].get<std::vector<int32_t>>();
        const auto got = tok->encode(text);
        if (got != expected)
            QFAIL(qPrintable(QString("ids differ for '%1': got %2, want %3")
                                 .arg(QString::fromStdString(text), QString::fromStdString(json(got).dump()),
                                      QString::fromStdString(json(expected).dump()))));
        QCOMPARE(tok->encode(text, false), r["ids_no_special"].get<std::vector<int32_t>>());
        WB_COMPARE_STR(tok->decode(expected, true), r["decode"].get<std::string>());
        WB_COMPARE_STR(tok->decode(expected, false), r["decode_keep_special"].get<std::string>());
        ++checked;
    }
    QVERIFY(checked >= 10);
    // Special tokens typed in the text are found before normalisation.
    const auto cls = tok->tokenToId("[CLS]").value(), sep = tok->tokenToId("[SEP]").value();
    const auto inner = tok->encode("[SEP]", false);
    QCOMPARE(inner, std::vector<int32_t>{sep});
    QCOMPARE(tok->specialIds().prefix, std::vector<int32_t>{cls});
    QCOMPARE(tok->specialIds().suffix, std::vector<int32_t>{sep});
}

void TestBert::truncation()
{
    const fs::path dir = fixtures() / "mean-normalize";
    const json ref = readJsonFile(dir / "reference.json");
    const auto encoder = SentenceEncoder::load(dir);
    QCOMPARE(encoder->maxLength(), int64_t(32));
    bool sawTruncated = false;
    for (const json &r : ref["texts"]) {
        const auto expected = r["st_ids"].get<std::vector<int32_t>>();
        QCOMPARE(encoder->tokenize(r["text"].get<std::string>()), expected);
        sawTruncated |= r["ids"].size() > expected.size();
    }
    QVERIFY(sawTruncated);
    const auto tok = Tokenizer::load(dir);
    const auto full = tok->encode("the manual of a knowledge base");
    const auto cut = tok->encodeTruncated("the manual of a knowledge base", 4);
    QCOMPARE(cut.size(), size_t(4));
    QCOMPARE(cut[0], full[0]);
    QCOMPARE(cut[1], full[1]);
    QCOMPARE(cut[2], full[2]);
    QCOMPARE(cut[3], full.back());
    expectError([&] { tok->encodeTruncated("x", 1); }, ErrorCode::Validation, {"special tokens"});
}

void TestBert::embeddings_data()
{
    wordPieceIds_data();
}

void TestBert::embeddings()
{
    QFETCH(QString, model);
    const fs::path dir = fixtures() / model.toStdString();
    const json ref = readJsonFile(dir / "reference.json");
    const auto encoder = SentenceEncoder::load(dir);
    QCOMPARE(encoder->dim(), ref["dim"].get<int>());
    QCOMPARE(encoder->maxLength(), ref["max_seq_length"].get<int64_t>());
    std::vector<std::string> texts;
    for (const json &r : ref["texts"]) {
        texts.push_back(r["text"]);
        // The ids the model sees equal sentence-transformers' (do_lower_case, truncation).
        QCOMPARE(encoder->tokenize(texts.back()), r["st_ids"].get<std::vector<int32_t>>());
    }
    const auto vectors = encoder->encode(texts, 4);
    QCOMPARE(vectors.size(), texts.size());
    float worst = 0;
    for (size_t i = 0; i < texts.size(); ++i) {
        const auto expected = ref["texts"][i]["embedding"].get<std::vector<float>>();
        worst = std::max(worst, maxAbsDiff(vectors[i], expected));
    }
    qInfo("%s: largest difference from sentence-transformers %.3g", qPrintable(model), double(worst));
    QVERIFY2(worst < 1e-4, qPrintable(QString("difference %1").arg(double(worst))));
    QCOMPARE(encoder->normalizes(), model == "mean-normalize");
}

void TestBert::batchEqualsSingle()
{
    const fs::path dir = fixtures() / "cls";
    const json ref = readJsonFile(dir / "reference.json");
    const auto encoder = SentenceEncoder::load(dir);
    std::vector<std::string> texts;
    for (const json &r : ref["texts"])
        texts.push_back(r["text"]);
    const auto batched = encoder->encode(texts, 5);
    const auto whole = encoder->encode(texts, 64);
    float worst = 0;
    for (size_t i = 0; i < texts.size(); ++i) {
        const auto single = encoder->encode({texts[i]}, 1);
        worst = std::max({worst, maxAbsDiff(single[0], batched[i]), maxAbsDiff(single[0], whole[i])});
    }
    // Padding is masked out; only the summation order of the matrix products differs.
    QVERIFY2(worst < 1e-5, qPrintable(QString("batch vs single %1").arg(double(worst))));
    QVERIFY(encoder->encode({}, 8).empty());
}

void TestBert::normaliseOption()
{
    const fs::path dir = fixtures() / "cls";
    const json ref = readJsonFile(dir / "reference.json");
    SentenceEncoderOptions opts;
    opts.normalize = true;
    const auto encoder = SentenceEncoder::load(dir, opts);
    QVERIFY(encoder->normalizes());
    const std::string text = ref["texts"][1]["text"];
    auto expected = ref["texts"][1]["embedding"].get<std::vector<float>>();
    double norm = 0;
    for (float x : expected)
        norm += double(x) * x;
    for (float &x : expected)
        x = float(x / std::sqrt(norm));
    const auto v = encoder->encode({text})[0];
    QVERIFY(maxAbsDiff(v, expected) < 1e-5);

    // A shorter maximum length cuts the text: [CLS], 6 pieces, [SEP].
    opts.maxLength = 8;
    const auto shortEncoder = SentenceEncoder::load(dir, opts);
    QCOMPARE(shortEncoder->tokenize(text).size(), size_t(8));
    opts.maxLength = 65;
    expectError([&] { SentenceEncoder::load(dir, opts); }, ErrorCode::Validation, {"65", "64 positions"});
}

void TestBert::idTracksTheVectors()
{
    QTemporaryDir tmp;
    const fs::path dir = copyFixture(tmp, "mean-normalize");
    const std::string id = SentenceEncoder::load(dir)->id();
    QVERIFY(id.rfind("bert:mean-normalize@", 0) == 0);
    QCOMPARE(SentenceEncoder::load(dir)->id(), id);
    SentenceEncoderOptions raw;
    raw.normalize = false;
    QVERIFY(SentenceEncoder::load(dir, raw)->id() != id);
    // Same shapes, different values: a fine-tuned copy gets another id.
    rewriteWeights(dir, [](const std::string &name, std::vector<uint8_t> &bytes) {
        if (name == "encoder.layer.1.output.dense.weight")
            bytes[0] ^= 0x40;
        return true;
    });
    QVERIFY(SentenceEncoder::load(dir)->id() != id);
}

void TestBert::cancel()
{
    const auto encoder = SentenceEncoder::load(fixtures() / "mean-normalize");
    int calls = 0;
    expectError([&] { encoder->encode({"a", "b", "c"}, 1, [&] { return ++calls > 1; }); },
                ErrorCode::Cancelled, {"cancelled"});
    QCOMPARE(calls, 2);
    expectError([&] { encoder->encode({"a"}, 0); }, ErrorCode::Validation, {"batch size"});
    expectError([&] { encoder->encode({std::string("bad \xff utf-8")}); }, ErrorCode::Validation, {});
}

void TestBert::malformedFolders()
{
    QTemporaryDir tmp;
    expectError([&] { SentenceEncoder::load(wbtest::path(tmp, "nowhere")); }, ErrorCode::Io, {"does not exist"});

    {   // A decoder's folder.
        const fs::path dir = copyFixture(tmp, "mean-normalize");
        json cfg = readJsonFile(dir / "config.json");
        cfg["model_type"] = "llama";
        writeJsonFile(dir / "config.json", cfg);
        expectError([&] { SentenceEncoder::load(dir); }, ErrorCode::Unsupported, {"model_type", "llama", "config.json"});
        cfg["model_type"] = "bert";
        cfg.erase("num_attention_heads");
        writeJsonFile(dir / "config.json", cfg);
        expectError([&] { SentenceEncoder::load(dir); }, ErrorCode::Validation, {"num_attention_heads", "config.json"});
        cfg["num_attention_heads"] = 5;
        writeJsonFile(dir / "config.json", cfg);
        expectError([&] { SentenceEncoder::load(dir); }, ErrorCode::Validation, {"not a multiple"});
        cfg["num_attention_heads"] = 4;
        cfg["intermediate_size"] = 96;
        writeJsonFile(dir / "config.json", cfg);
        expectError([&] { SentenceEncoder::load(dir); }, ErrorCode::Validation,
                    {"encoder.layer.0.intermediate.dense.weight", "[128, 64]", "[96, 64]", "intermediate_size=96"});
        fs::remove_all(dir);
    }
    {   // A tensor missing, and one in a dtype we do not load.
        const fs::path dir = copyFixture(tmp, "mean-normalize");
        rewriteWeights(dir, [](const std::string &name, std::vector<uint8_t> &) {
            return name != "encoder.layer.1.attention.self.key.bias";
        });
        expectError([&] { SentenceEncoder::load(dir); }, ErrorCode::Validation,
                    {"lacks 1 tensor", "encoder.layer.1.attention.self.key.bias"});
        fs::remove_all(dir);
    }
    {   // sentence-transformers files.
        const fs::path dir = copyFixture(tmp, "mean-normalize");
        json pool = readJsonFile(dir / "1_Pooling" / "config.json");
        pool["pooling_mode_mean_tokens"] = false;
        writeJsonFile(dir / "1_Pooling" / "config.json", pool);
        expectError([&] { SentenceEncoder::load(dir); }, ErrorCode::Validation, {"no pooling mode", "1_Pooling"});
        pool["pooling_mode_mean_tokens"] = true;
        pool["word_embedding_dimension"] = 384;
        writeJsonFile(dir / "1_Pooling" / "config.json", pool);
        expectError([&] { SentenceEncoder::load(dir); }, ErrorCode::Validation, {"384", "hidden_size is 64"});
        pool["word_embedding_dimension"] = 64;
        writeJsonFile(dir / "1_Pooling" / "config.json", pool);

        json modules = readJsonFile(dir / "modules.json");
        modules.push_back({{"idx", 3}, {"name", "3"}, {"path", "3_Dense"}, {"type", "sentence_transformers.models.Dense"}});
        writeJsonFile(dir / "modules.json", modules);
        expectError([&] { SentenceEncoder::load(dir); }, ErrorCode::Unsupported, {"Dense", "modules.json"});
        std::ofstream(dir / "modules.json") << "[{\"type\": ";
        expectError([&] { SentenceEncoder::load(dir); }, ErrorCode::Parse, {"modules.json"});
        fs::remove(dir / "modules.json");
        // Without modules.json: a plain BERT folder, mean pooling, no normalisation.
        const auto plain = SentenceEncoder::load(dir);
        QCOMPARE(plain->folder().pooling, std::vector<EncoderPooling>{EncoderPooling::Mean});
        QVERIFY(!plain->normalizes());

        json st = readJsonFile(dir / "sentence_bert_config.json");
        st["max_seq_length"] = "long";
        writeJsonFile(dir / "sentence_bert_config.json", st);
        expectError([&] { SentenceEncoder::load(dir); }, ErrorCode::Validation, {"max_seq_length", "sentence_bert_config.json"});
        fs::remove_all(dir);
    }
    {   // Tokenizer problems.
        const fs::path dir = copyFixture(tmp, "cls");
        json tok = readJsonFile(dir / "tokenizer.json");
        tok["model"]["unk_token"] = "<unk>";
        writeJsonFile(dir / "tokenizer.json", tok);
        expectError([&] { SentenceEncoder::load(dir); }, ErrorCode::Parse, {"unk_token", "<unk>", "tokenizer.json"});
        tok["model"]["unk_token"] = "[UNK]";
        tok["normalizer"]["type"] = "Precompiled";
        writeJsonFile(dir / "tokenizer.json", tok);
        expectError([&] { SentenceEncoder::load(dir); }, ErrorCode::Unsupported, {"Precompiled"});
        fs::remove(dir / "tokenizer.json");
        expectError([&] { SentenceEncoder::load(dir); }, ErrorCode::Io, {"tokenizer.json"});
    }
}

void TestBert::knowledgeBaseEmbedder()
{
    registerEngineEmbedders();
    const fs::path dir = fixtures() / "cls";
    const json ref = readJsonFile(dir / "reference.json");
    const auto embedder = rag::makeEmbedder({{"kind", "bert"}, {"model", dir.string()}, {"batch_size", 3}});
    QCOMPARE(embedder->dim(), 64);
    QVERIFY(embedder->id().rfind("bert:cls@", 0) == 0);
    std::vector<std::string> texts;
    for (const json &r : ref["texts"])
        texts.push_back(r["text"]);
    const auto vectors = embedder->embed(texts);
    QCOMPARE(vectors.size(), texts.size());
    // The folder has no Normalize module; collections get unit vectors all the same.
    for (size_t i = 0; i < texts.size(); ++i) {
        auto expected = ref["texts"][i]["embedding"].get<std::vector<float>>();
        rag::normalise(expected);
        QVERIFY(maxAbsDiff(vectors[i], expected) < 1e-5);
    }
    expectError([&] { rag::makeEmbedder({{"kind", "bert"}}); }, ErrorCode::Validation, {"model"});
}

QTEST_GUILESS_MAIN(TestBert)
#include "tst_bert.moc"

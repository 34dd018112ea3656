// Export: LoRA merge (math against a direct computation, sharding + index, atomic output and
// cancel), the GGUF writer/reader (round trip, Q8_0, malformed files), GGUF model export
// (llama q/k permutation element by element, Qwen2 biases and tied embeddings, tokenizer
// metadata from a BPE tokenizer.json and a sentencepiece model trained here) and LoRA GGUF.

#include "test_util.h"

#include "common/error.h"
#include "common/files.h"
#include "formats/checkpoint.h"
#include "formats/dtype.h"
#include "formats/gguf.h"
#include "formats/gguf_export.h"
#include "formats/hf_config.h"
#include "formats/merge.h"
#include "formats/peft.h"
#include "formats/random_model.h"
#include "formats/safetensors.h"

#include <QProcess>
#include <QTemporaryDir>
#include <QtTest>

#include <nlohmann/json.hpp>

#include <cmath>
#include <cstring>
#include <functional>
#include <random>
#include <set>

namespace fs = std::filesystem;
using nlohmann::json;

namespace {

fs::path sourceDir()
{
    return fs::path(qEnvironmentVariable("WB_TEST_SOURCE_DIR", QStringLiteral(".")).toStdString());
}

std::optional<wb::Error> errorOf(const std::function<void()> &fn)
{
    try {
        fn();
    } catch (const wb::Error &e) {
        return e;
    } catch (const std::exception &e) {
        qWarning("unexpected exception type: %s", e.what());
        return std::nullopt;
    }
    qWarning("no exception thrown");
    return std::nullopt;
}

std::vector<float> randomFloats(size_t n, uint64_t seed, float scale = 0.1f)
{
    std::mt19937_64 rng(seed);
    std::normal_distribution<float> dist(0.0f, scale);
    std::vector<float> v(n);
    for (auto &x : v)
        x = dist(rng);
    return v;
}

// A hand-written adapter with random A and B (B is zero after peft's init; random here so the
// merge has something to add).
wb::LoraConfig writeAdapter(const fs::path &dir, const fs::path &base,
                            std::vector<std::string> targets, std::vector<int> layers = {},
                            bool rslora = false)
{
    const wb::ModelConfig mc = wb::loadModelConfig(base);
    wb::LoraConfig c;
    c.r = 4;
    c.alpha = 8;
    c.targetModules = std::move(targets);
    c.layers = std::move(layers);
    c.rslora = rslora;
    wb::SafetensorsWriter w;
    uint64_t seed = 100;
    for (int layer = 0; layer < int(mc.numLayers); ++layer) {
        if (!c.coversLayer(layer))
            continue;
        for (const auto &m : c.targetModules) {
            const auto [out, in] = wb::loraModuleShape(mc, m);
            const auto a = randomFloats(size_t(c.r * in), seed++);
            const auto b = randomFloats(size_t(out * c.r), seed++);
            w.add(wb::peftTensorKey(layer, m, true), wb::DType::F32, {c.r, in}, a.data(), a.size() * 4);
            w.add(wb::peftTensorKey(layer, m, false), wb::DType::F32, {out, c.r}, b.data(), b.size() * 4);
        }
    }
    fs::create_directories(dir);
    w.write(dir / "adapter_model.safetensors");
    wb::writeAdapterConfig(dir, c);
    return c;
}

// Replaces every bias of a model folder with random values (writeRandomModel writes zeros).
void randomizeBiases(const fs::path &dir)
{
    auto file = wb::SafetensorsFile::open(dir / "model.safetensors");
    wb::SafetensorsWriter w;
    uint64_t seed = 7;
    for (const auto &t : file->tensors()) {
        if (t.name.size() > 5 && t.name.compare(t.name.size() - 5, 5, ".bias") == 0) {
            const auto v = randomFloats(size_t(t.numel()), seed++);
            w.add(t.name, t.dtype, t.shape, v.data(), v.size() * 4);
        } else {
            w.add(t.name, t.dtype, t.shape, t.data, t.bytes);
        }
    }
    file.reset();
    w.write(dir / "model.safetensors");
}

std::vector<float> floatsOf(const wb::TensorView &t)
{
    return wb::tensorToFloat(t);
}

} // namespace

class TstExport : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void mergeMatchesDirectComputation();
    void mergeShardsWithIndex();
    void mergeIsAtomic();
    void ggufRoundTrip();
    void q8_0MatchesReference();
    void llamaExportPermutesQk();
    void llamaExportWithAdapterAndQ8();
    void qwen2ExportBpeVocab();
    void sentencepieceVocab();
    void loraGguf();
    void ggufExportCancel();
    void malformedGgufRejected();

private:
    fs::path llamaDir(bool tied = false);
    QTemporaryDir m_tmp;
    fs::path m_spm; // folder with a sentencepiece tokenizer.model trained here
};

void TstExport::initTestCase()
{
    QVERIFY(m_tmp.isValid());
    m_spm = wbtest::path(m_tmp, "spm");
    fs::create_directories(m_spm);
    QProcess p;
    p.start(QStringLiteral("spm_train"),
            {QString::fromStdString("--input=" + (sourceDir() / "tests/fixtures/tokenizers/corpus.txt").string()),
             QString::fromStdString("--model_prefix=" + (m_spm / "tokenizer").string()),
             QStringLiteral("--vocab_size=600"), QStringLiteral("--model_type=bpe"),
             QStringLiteral("--byte_fallback=true"), QStringLiteral("--character_coverage=0.98"),
             QStringLiteral("--minloglevel=2")});
    QVERIFY2(p.waitForFinished(120000), "spm_train did not finish");
    QVERIFY2(p.exitCode() == 0, p.readAllStandardError().constData());
    QVERIFY(fs::exists(m_spm / "tokenizer.model"));
}

fs::path TstExport::llamaDir(bool tied)
{
    const fs::path dir = wbtest::path(m_tmp, tied ? "llama-tied" : "llama");
    if (fs::exists(dir / "config.json"))
        return dir;
    wb::RandomModelSpec s;
    s.hidden = 64;
    s.layers = 2;
    s.heads = 4;
    s.kvHeads = 2;
    s.intermediate = 96;
    s.vocab = 640;
    s.tied = tied;
    s.seed = 3;
    wb::writeRandomModel(dir, s);
    fs::copy_file(m_spm / "tokenizer.model", dir / "tokenizer.model");
    wb::writeFileAtomic(dir / "generation_config.json", "{\"bos_token_id\": 1}\n");
    return dir;
}

void TstExport::mergeMatchesDirectComputation()
{
    const fs::path base = llamaDir();
    const fs::path adapter = wbtest::path(m_tmp, "adapter-merge");
    const auto lc = writeAdapter(adapter, base, {"q_proj", "v_proj", "down_proj"}, {1});
    const fs::path out = wbtest::path(m_tmp, "merged");
    const auto report = wb::mergeAdapter(base, adapter, out);
    QCOMPARE(report.mergedTensors, size_t(3));
    QCOMPARE(report.shards, size_t(1));
    QVERIFY(fs::exists(out / "tokenizer.model"));
    QVERIFY(fs::exists(out / "generation_config.json"));
    const json cfg = json::parse(wb::readFile(out / "config.json"));
    QCOMPARE(cfg["torch_dtype"].get<std::string>(), std::string("float32"));

    auto baseCk = wb::Checkpoint::open(base);
    auto outCk = wb::Checkpoint::open(out);
    auto ad = wb::SafetensorsFile::open(adapter / "adapter_model.safetensors");
    QCOMPARE(outCk->names(), baseCk->names());
    const double s = lc.scaling();
    QCOMPARE(s, 2.0);
    for (const auto &name : baseCk->names()) {
        const auto w0 = floatsOf(baseCk->tensor(name));
        const auto w1 = floatsOf(outCk->tensor(name));
        QCOMPARE(w1.size(), w0.size());
        std::string module;
        for (const auto &m : lc.targetModules)
            if (name == "model.layers.1." + wb::loraParentOf(m) + "." + m + ".weight")
                module = m;
        if (module.empty()) {
            QVERIFY2(w0 == w1, name.c_str()); // untouched tensors copied exactly
            continue;
        }
        const auto a = floatsOf(ad->tensor(wb::peftTensorKey(1, module, true)));
        const auto b = floatsOf(ad->tensor(wb::peftTensorKey(1, module, false)));
        const auto shape = baseCk->tensor(name).shape;
        double maxErr = 0, maxDelta = 0;
        for (int64_t o = 0; o < shape[0]; ++o)
            for (int64_t j = 0; j < shape[1]; ++j) {
                double delta = 0;
                for (int k = 0; k < lc.r; ++k)
                    delta += double(b[size_t(o * lc.r + k)]) * double(a[size_t(k * shape[1] + j)]);
                const double want = double(w0[size_t(o * shape[1] + j)]) + s * delta;
                maxErr = std::max(maxErr, std::fabs(want - w1[size_t(o * shape[1] + j)]));
                maxDelta = std::max(maxDelta, std::fabs(s * delta));
            }
        QVERIFY2(maxErr < 1e-5, (name + " max error " + std::to_string(maxErr)).c_str());
        QVERIFY(maxDelta > 1e-3); // the adapter really changed it
    }

    // F16 output: dtype recorded, values rounded from the same merge.
    const fs::path out16 = wbtest::path(m_tmp, "merged16");
    wb::MergeOptions o;
    o.dtype = wb::DType::F16;
    wb::mergeAdapter(base, adapter, out16, o);
    auto ck16 = wb::Checkpoint::open(out16);
    const auto &q16 = ck16->tensor("model.layers.1.self_attn.q_proj.weight");
    QCOMPARE(q16.dtype, wb::DType::F16);
    const auto q32 = floatsOf(outCk->tensor("model.layers.1.self_attn.q_proj.weight"));
    const auto q16f = floatsOf(q16);
    for (size_t i = 0; i < q32.size(); ++i)
        QCOMPARE(q16f[i], wb::f16ToF32(wb::f32ToF16(q32[i])));
    QCOMPARE(json::parse(wb::readFile(out16 / "config.json"))["torch_dtype"].get<std::string>(),
             std::string("float16"));
}

void TstExport::mergeShardsWithIndex()
{
    const fs::path base = llamaDir();
    const fs::path adapter = wbtest::path(m_tmp, "adapter-shard");
    writeAdapter(adapter, base, wb::loraModuleNames());
    const fs::path whole = wbtest::path(m_tmp, "whole"), sharded = wbtest::path(m_tmp, "sharded");
    wb::mergeAdapter(base, adapter, whole);
    wb::MergeOptions o;
    o.shardBytes = 60000; // the embedding alone is 81920 bytes: it gets a shard of its own
    const auto r = wb::mergeAdapter(base, adapter, sharded, o);
    QVERIFY(r.shards > 3);
    QVERIFY(!fs::exists(sharded / "model.safetensors"));
    const json index = json::parse(wb::readFile(sharded / "model.safetensors.index.json"));
    char first[64];
    std::snprintf(first, sizeof first, "model-00001-of-%05zu.safetensors", r.shards);
    QVERIFY(fs::exists(sharded / first));
    auto ckWhole = wb::Checkpoint::open(whole), ckSharded = wb::Checkpoint::open(sharded);
    QCOMPARE(ckSharded->files().size(), r.shards);
    QCOMPARE(index["weight_map"].size(), ckWhole->names().size());
    QCOMPARE(index["metadata"]["total_size"].get<uint64_t>(), ckWhole->totalBytes());
    for (const auto &name : ckWhole->names()) {
        QVERIFY(floatsOf(ckWhole->tensor(name)) == floatsOf(ckSharded->tensor(name)));
        // no shard but the last goes over the limit unless it holds a single tensor
    }
    for (const auto &f : ckSharded->files()) {
        auto sf = wb::SafetensorsFile::open(f);
        QVERIFY(sf->dataBytes() <= o.shardBytes || sf->names().size() == 1);
    }
}

void TstExport::mergeIsAtomic()
{
    const fs::path base = llamaDir();
    const fs::path adapter = wbtest::path(m_tmp, "adapter-atomic");
    writeAdapter(adapter, base, {"q_proj"});
    const fs::path parent = wbtest::path(m_tmp, "atomic");
    fs::create_directories(parent);
    const fs::path out = parent / "out";
    int calls = 0;
    auto e = errorOf([&] {
        wb::mergeAdapter(base, adapter, out, {}, [&](double, const std::string &) { return ++calls < 5; });
    });
    QVERIFY(e);
    QCOMPARE(e->code(), wb::ErrorCode::Cancelled);
    QVERIFY(!fs::exists(out));
    QVERIFY(fs::is_empty(parent)); // no temporary folder left behind

    // A non-empty target is refused and left as it was; with overwrite it is replaced.
    fs::create_directories(out);
    wb::writeFileAtomic(out / "keep.txt", "mine");
    e = errorOf([&] { wb::mergeAdapter(base, adapter, out); });
    QVERIFY(e);
    QCOMPARE(e->code(), wb::ErrorCode::Conflict);
    QVERIFY(QString::fromStdString(e->message()).contains(QString::fromStdString(out.string())));
    QCOMPARE(wb::readFile(out / "keep.txt"), std::string("mine"));
    wb::MergeOptions o;
    o.overwrite = true;
    wb::mergeAdapter(base, adapter, out, o);
    QVERIFY(!fs::exists(out / "keep.txt"));
    QVERIFY(fs::exists(out / "model.safetensors"));
    size_t entries = 0;
    for ([[maybe_unused]] const auto &entry : fs::directory_iterator(parent))
        ++entries;
    QCOMPARE(entries, size_t(1));

    // A missing base model fails before anything is written.
    const fs::path other = wbtest::path(m_tmp, "atomic-other");
    e = errorOf([&] { wb::mergeAdapter(wbtest::path(m_tmp, "nope"), adapter, other); });
    QVERIFY(e);
    QVERIFY(!fs::exists(other));
}

void TstExport::ggufRoundTrip()
{
    wb::GgufWriter w;
    w.set("general.architecture", wb::GgufValue::string("llama"));
    w.set("test.u32", wb::GgufValue::u32(4000000000u));
    w.set("test.i32", wb::GgufValue::i32(-5));
    w.set("test.u64", wb::GgufValue::u64(1ull << 40));
    w.set("test.f32", wb::GgufValue::f32(0.25f));
    w.set("test.bool", wb::GgufValue::boolean(true));
    w.set("test.strs", wb::GgufValue::stringArray({"a", "", "ünï"}));
    w.set("test.ints", wb::GgufValue::intArray(wb::GgufType::I32, {1, -2, 3}));
    w.set("test.floats", wb::GgufValue::floatArray(wb::GgufType::F32, {0.5, -1.5}));
    const auto a = randomFloats(15, 1), b = randomFloats(7, 2), q = randomFloats(128, 3, 1.0f);
    w.addTensor("a", wb::GgmlType::F32, {3, 5});
    w.addTensor("b", wb::GgmlType::F16, {7});
    w.addTensor("q", wb::GgmlType::Q8_0, {2, 64});
    w.addTensor("c", wb::GgmlType::BF16, {3, 5});
    QVERIFY(errorOf([&] { w.addTensor("bad", wb::GgmlType::Q8_0, {2, 40}); }));
    QVERIFY(errorOf([&] { w.addTensor("a", wb::GgmlType::F32, {1}); }));
    const fs::path file = wbtest::path(m_tmp, "round.gguf");
    w.write(file, [&](size_t i, std::vector<uint8_t> &bytes) {
        const std::vector<float> &v = i == 0 || i == 3 ? a : i == 1 ? b : q;
        const wb::GgmlType types[] = {wb::GgmlType::F32, wb::GgmlType::F16, wb::GgmlType::Q8_0,
                                      wb::GgmlType::BF16};
        bytes = wb::encodeTensor(types[i], v.data(), int64_t(v.size()));
    });
    auto g = wb::GgufFile::open(file);
    QCOMPARE(g->version(), 3u);
    QCOMPARE(g->metadata().size(), size_t(9));
    QCOMPARE(g->metadata()[0].first, std::string("general.architecture"));
    QCOMPARE(g->get("test.u32", wb::GgufType::U32).i, int64_t(4000000000u));
    QCOMPARE(g->get("test.i32", wb::GgufType::I32).i, int64_t(-5));
    QCOMPARE(uint64_t(g->get("test.u64", wb::GgufType::U64).i), 1ull << 40);
    QCOMPARE(g->get("test.f32", wb::GgufType::F32).f, 0.25);
    QCOMPARE(g->get("test.bool", wb::GgufType::Bool).i, int64_t(1));
    QCOMPARE(g->get("test.strs", wb::GgufType::Array).strs, (std::vector<std::string>{"a", "", "ünï"}));
    QCOMPARE(g->get("test.ints", wb::GgufType::Array).ints, (std::vector<int64_t>{1, -2, 3}));
    QCOMPARE(g->get("test.ints", wb::GgufType::Array).elemType, wb::GgufType::I32);
    QCOMPARE(g->get("test.floats", wb::GgufType::Array).floats, (std::vector<double>{0.5, -1.5}));
    auto e = errorOf([&] { g->get("test.u32", wb::GgufType::F32); });
    QVERIFY(e && e->code() == wb::ErrorCode::Validation);
    QCOMPARE(g->tensors().size(), size_t(4));
    QCOMPARE(g->dataOffset() % 32, uint64_t(0));
    for (const auto &t : g->tensors())
        QCOMPARE(t.offset % 32, uint64_t(0));
    const auto *ta = g->findTensor("a");
    QCOMPARE(ta->ne, (std::vector<int64_t>{5, 3})); // reversed
    QVERIFY(g->toFloat(*ta) == a);
    const auto tb = g->toFloat(*g->findTensor("b"));
    for (size_t i = 0; i < b.size(); ++i)
        QCOMPARE(tb[i], wb::f16ToF32(wb::f32ToF16(b[i])));
    const auto *tq = g->findTensor("q");
    QCOMPARE(tq->ne, (std::vector<int64_t>{64, 2}));
    QCOMPARE(tq->bytes, uint64_t(4 * 34));
    const auto dq = g->toFloat(*tq);
    for (size_t blk = 0; blk < 4; ++blk) {
        float amax = 0;
        for (size_t j = 0; j < 32; ++j)
            amax = std::max(amax, std::fabs(q[blk * 32 + j]));
        // Half a step, plus what storing the scale as f16 moves the 127 steps.
        const float step = amax / 127, stored = wb::f16ToF32(wb::f32ToF16(step));
        const float bound = step * 0.5f + 127 * std::fabs(stored - step) + 1e-7f;
        for (size_t j = 0; j < 32; ++j)
            QVERIFY(std::fabs(dq[blk * 32 + j] - q[blk * 32 + j]) <= bound);
    }
    QVERIFY(!fs::exists(file.string() + ".tmp")); // no temp file left
}

void TstExport::q8_0MatchesReference()
{
    // Hand-checked block: max |x| = 2.54 → d = 0.02, q = round(x / d).
    std::vector<float> x(32, 0.0f);
    x[0] = 2.54f;
    x[1] = -1.27f;
    x[2] = 0.011f; // 0.55 steps → rounds away from zero to 1
    x[3] = -0.009f;
    uint8_t out[34];
    wb::quantizeQ8_0(x.data(), 32, out);
    uint16_t d;
    std::memcpy(&d, out, 2);
    QCOMPARE(d, wb::f32ToF16(2.54f / 127));
    QCOMPARE(int8_t(out[2]), int8_t(127));
    QCOMPARE(int8_t(out[3]), int8_t(-64)); // -63.5 rounds away from zero
    QCOMPARE(int8_t(out[4]), int8_t(1));
    QCOMPARE(int8_t(out[5]), int8_t(0));
    QCOMPARE(int8_t(out[6]), int8_t(0));
    // An all-zero block has d = 0 and q = 0.
    std::vector<float> zeros(32, 0.0f);
    wb::quantizeQ8_0(zeros.data(), 32, out);
    for (uint8_t byte : out)
        QCOMPARE(byte, uint8_t(0));
}

void TstExport::llamaExportPermutesQk()
{
    const fs::path dir = llamaDir();
    const fs::path file = wbtest::path(m_tmp, "llama-f32.gguf");
    wb::GgufExportOptions o;
    o.type = wb::GgufExportType::F32;
    const auto r = wb::exportGguf(dir, {}, file, o);
    QCOMPARE(r.architecture, std::string("llama"));
    auto g = wb::GgufFile::open(file);
    QCOMPARE(g->get("general.architecture", wb::GgufType::String).s, std::string("llama"));
    QCOMPARE(g->get("general.file_type", wb::GgufType::U32).i, int64_t(0));
    QCOMPARE(g->get("llama.context_length", wb::GgufType::U32).i, int64_t(2048));
    QCOMPARE(g->get("llama.embedding_length", wb::GgufType::U32).i, int64_t(64));
    QCOMPARE(g->get("llama.block_count", wb::GgufType::U32).i, int64_t(2));
    QCOMPARE(g->get("llama.feed_forward_length", wb::GgufType::U32).i, int64_t(96));
    QCOMPARE(g->get("llama.rope.dimension_count", wb::GgufType::U32).i, int64_t(16));
    QCOMPARE(g->get("llama.attention.head_count", wb::GgufType::U32).i, int64_t(4));
    QCOMPARE(g->get("llama.attention.head_count_kv", wb::GgufType::U32).i, int64_t(2));
    QVERIFY(std::fabs(g->get("llama.attention.layer_norm_rms_epsilon", wb::GgufType::F32).f - 1e-5) < 1e-9);
    QCOMPARE(g->get("llama.rope.freq_base", wb::GgufType::F32).f, 10000.0);
    QCOMPARE(g->get("general.name", wb::GgufType::String).s, std::string("llama"));

    auto ck = wb::Checkpoint::open(dir);
    // 1 + 2 per-layer × 9 + norm + output (untied)
    QCOMPARE(g->tensors().size(), size_t(1 + 2 * 9 + 2));
    QVERIFY(g->findTensor("output.weight"));
    QCOMPARE(g->findTensor("blk.0.attn_norm.weight")->type, wb::GgmlType::F32);
    QCOMPARE(g->findTensor("token_embd.weight")->ne, (std::vector<int64_t>{64, 640}));
    QCOMPARE(g->findTensor("blk.1.ffn_down.weight")->ne, (std::vector<int64_t>{96, 64}));
    QVERIFY(g->toFloat(*g->findTensor("blk.1.ffn_down.weight")) ==
            floatsOf(ck->tensor("model.layers.1.mlp.down_proj.weight")));
    // q (4 heads) and k (2 KV heads): GGUF row h·d + 2i + s is HF row h·d + s·d/2 + i.
    for (const auto &[hf, gg, heads] : {std::tuple{"model.layers.1.self_attn.q_proj.weight", "blk.1.attn_q.weight", 4},
                                        std::tuple{"model.layers.1.self_attn.k_proj.weight", "blk.1.attn_k.weight", 2}}) {
        const auto src = floatsOf(ck->tensor(hf));
        const auto *t = g->findTensor(gg);
        QVERIFY(t);
        const auto dst = g->toFloat(*t);
        const int64_t cols = 64, rows = int64_t(src.size()) / cols, d = rows / heads;
        QCOMPARE(t->ne, (std::vector<int64_t>{cols, rows}));
        QVERIFY(src != dst);
        for (int64_t h = 0; h < heads; ++h)
            for (int64_t i = 0; i < d / 2; ++i)
                for (int64_t s = 0; s < 2; ++s)
                    for (int64_t c = 0; c < cols; ++c)
                        QCOMPARE(dst[size_t((h * d + 2 * i + s) * cols + c)],
                                 src[size_t((h * d + s * d / 2 + i) * cols + c)]);
    }
    // v is not permuted.
    QVERIFY(g->toFloat(*g->findTensor("blk.0.attn_v.weight")) ==
            floatsOf(ck->tensor("model.layers.0.self_attn.v_proj.weight")));
}

void TstExport::llamaExportWithAdapterAndQ8()
{
    const fs::path dir = llamaDir();
    const fs::path adapter = wbtest::path(m_tmp, "adapter-gguf");
    writeAdapter(adapter, dir, {"q_proj", "up_proj"});
    wb::MergedTensorSource merged(dir, adapter);
    const fs::path file = wbtest::path(m_tmp, "llama-q8.gguf");
    wb::GgufExportOptions o;
    o.type = wb::GgufExportType::Q8_0;
    const auto r = wb::exportGguf(dir, adapter, file, o);
    QCOMPARE(r.fallbacks, size_t(0));
    auto g = wb::GgufFile::open(file);
    QCOMPARE(g->get("general.file_type", wb::GgufType::U32).i, int64_t(7));
    QCOMPARE(g->findTensor("blk.0.ffn_norm.weight")->type, wb::GgmlType::F32);
    QCOMPARE(g->findTensor("output_norm.weight")->type, wb::GgmlType::F32);
    for (const auto &[hf, gg, heads] : {std::tuple{"model.layers.0.self_attn.q_proj.weight", "blk.0.attn_q.weight", 4},
                                        std::tuple{"model.layers.1.mlp.up_proj.weight", "blk.1.ffn_up.weight", 0}}) {
        QVERIFY(merged.isMerged(hf));
        auto want = merged.read(hf);
        const auto shape = merged.base(hf).shape;
        if (heads)
            want = wb::permuteRowsForLlama(want, shape[0], shape[1], heads);
        const auto *t = g->findTensor(gg);
        QCOMPARE(t->type, wb::GgmlType::Q8_0);
        const auto got = g->toFloat(*t);
        for (size_t blk = 0; blk < want.size() / 32; ++blk) {
            float amax = 0;
            for (size_t j = 0; j < 32; ++j)
                amax = std::max(amax, std::fabs(want[blk * 32 + j]));
            const float step = amax / 127, stored = wb::f16ToF32(wb::f32ToF16(step));
            const float bound = step * 0.5f + 127 * std::fabs(stored - step) + 1e-7f;
            for (size_t j = 0; j < 32; ++j)
                QVERIFY2(std::fabs(got[blk * 32 + j] - want[blk * 32 + j]) <= bound, gg);
        }
    }
}

void TstExport::qwen2ExportBpeVocab()
{
    const fs::path tokDir = sourceDir() / "tests/fixtures/reference/tokenizers/qwen2-bpe";
    const json tj = json::parse(wb::readFile(tokDir / "tokenizer.json"));
    int64_t vocab = 0;
    for (const auto &[k, id] : tj["model"]["vocab"].items())
        vocab = std::max<int64_t>(vocab, id.get<int64_t>() + 1);
    for (const auto &a : tj["added_tokens"])
        vocab = std::max<int64_t>(vocab, a["id"].get<int64_t>() + 1);
    const fs::path dir = wbtest::path(m_tmp, "qwen2");
    wb::RandomModelSpec s;
    s.architecture = "qwen2";
    s.hidden = 64;
    s.layers = 2;
    s.heads = 4;
    s.kvHeads = 2;
    s.intermediate = 96;
    s.vocab = vocab + 5; // padded like real checkpoints
    s.tied = true;
    wb::writeRandomModel(dir, s);
    randomizeBiases(dir);
    for (const char *f : {"tokenizer.json", "tokenizer_config.json"})
        fs::copy_file(tokDir / f, dir / f);
    const fs::path file = wbtest::path(m_tmp, "qwen2.gguf");
    const auto r = wb::exportGguf(dir, {}, file, {});
    QCOMPARE(r.architecture, std::string("qwen2"));
    QCOMPARE(r.vocabSize, size_t(s.vocab));
    auto g = wb::GgufFile::open(file);
    QCOMPARE(g->get("general.architecture", wb::GgufType::String).s, std::string("qwen2"));
    QCOMPARE(g->get("qwen2.block_count", wb::GgufType::U32).i, int64_t(2));
    QCOMPARE(g->get("tokenizer.ggml.model", wb::GgufType::String).s, std::string("gpt2"));
    QCOMPARE(g->get("tokenizer.ggml.pre", wb::GgufType::String).s, std::string("qwen2"));
    QVERIFY(!g->findTensor("output.weight")); // tied
    auto ck = wb::Checkpoint::open(dir);
    // Biases F32 and not permuted; weights F16.
    const auto *bq = g->findTensor("blk.0.attn_q.bias");
    QVERIFY(bq);
    QCOMPARE(bq->type, wb::GgmlType::F32);
    QVERIFY(g->toFloat(*bq) == floatsOf(ck->tensor("model.layers.0.self_attn.q_proj.bias")));
    QVERIFY(g->findTensor("blk.1.attn_v.bias"));
    const auto *wq = g->findTensor("blk.0.attn_q.weight");
    QCOMPARE(wq->type, wb::GgmlType::F16);
    const auto src = floatsOf(ck->tensor("model.layers.0.self_attn.q_proj.weight"));
    const auto dst = g->toFloat(*wq);
    for (size_t i = 0; i < src.size(); ++i)
        QCOMPARE(dst[i], wb::f16ToF32(wb::f32ToF16(src[i])));

    const auto &tokens = g->get("tokenizer.ggml.tokens", wb::GgufType::Array);
    const auto &types = g->get("tokenizer.ggml.token_type", wb::GgufType::Array).ints;
    QCOMPARE(tokens.strs.size(), size_t(s.vocab));
    std::set<int64_t> added;
    for (const auto &a : tj["added_tokens"])
        added.insert(a["id"].get<int64_t>());
    for (const auto &[tok, id] : tj["model"]["vocab"].items()) {
        QCOMPARE(tokens.strs[id.get<size_t>()], tok);
        if (!added.count(id.get<int64_t>()))
            QCOMPARE(types[id.get<size_t>()], int64_t(1));
    }
    for (const auto &a : tj["added_tokens"]) {
        QCOMPARE(tokens.strs[a["id"].get<size_t>()], a["content"].get<std::string>());
        QCOMPARE(types[a["id"].get<size_t>()], int64_t(a["special"].get<bool>() ? 3 : 4));
    }
    QCOMPARE(tokens.strs.back(), "[PAD" + std::to_string(s.vocab - 1) + "]");
    QCOMPARE(types.back(), int64_t(5));
    const auto &merges = g->get("tokenizer.ggml.merges", wb::GgufType::Array).strs;
    QCOMPARE(merges.size(), tj["model"]["merges"].size());
    const auto &m0 = tj["model"]["merges"][0];
    QCOMPARE(merges[0], m0.is_string() ? m0.get<std::string>()
                                       : m0[0].get<std::string>() + " " + m0[1].get<std::string>());
    // eos from tokenizer_config.json's "<|im_end|>"; no bos (bos_token null, config's 1 used).
    const json tc = json::parse(wb::readFile(tokDir / "tokenizer_config.json"));
    const auto eos = g->get("tokenizer.ggml.eos_token_id", wb::GgufType::U32).i;
    QCOMPARE(tokens.strs[size_t(eos)], tc["eos_token"].get<std::string>());
    QCOMPARE(g->get("tokenizer.ggml.add_bos_token", wb::GgufType::Bool).i, int64_t(0));
    QCOMPARE(g->get("tokenizer.chat_template", wb::GgufType::String).s,
             tc["chat_template"].get<std::string>());
}

void TstExport::sentencepieceVocab()
{
    const auto pieces = wb::readSentencePieceModel(m_spm / "tokenizer.model");
    QCOMPARE(pieces.size(), size_t(600));
    // spm_train's defaults: <unk>=0 (UNKNOWN), <s>=1 and </s>=2 (CONTROL), then 256 byte pieces.
    QCOMPARE(pieces[0].piece, std::string("<unk>"));
    QCOMPARE(pieces[0].type, 2);
    QCOMPARE(pieces[1].piece, std::string("<s>"));
    QCOMPARE(pieces[1].type, 3);
    QCOMPARE(pieces[2].type, 3);
    QCOMPARE(pieces[3].piece, std::string("<0x00>"));
    QCOMPARE(pieces[3].type, 6);
    QCOMPARE(pieces[599].type, 1);
    // Pieces and scores equal sentencepiece's own export.
    QProcess p;
    p.start(QStringLiteral("spm_export_vocab"),
            {QString::fromStdString("--model=" + (m_spm / "tokenizer.model").string())});
    QVERIFY(p.waitForFinished(60000));
    QCOMPARE(p.exitCode(), 0);
    const QList<QByteArray> lines = p.readAllStandardOutput().split('\n');
    QVERIFY(lines.size() >= 600);
    for (size_t i = 0; i < pieces.size(); ++i) {
        const QList<QByteArray> cols = lines[qsizetype(i)].split('\t');
        QCOMPARE(cols.size(), qsizetype(2));
        QCOMPARE(pieces[i].piece, cols[0].toStdString());
        QVERIFY(std::fabs(pieces[i].score - cols[1].toFloat()) <= 1e-4f * (1 + std::fabs(pieces[i].score)));
    }

    const fs::path file = wbtest::path(m_tmp, "llama-f32.gguf"); // written by llamaExportPermutesQk
    auto g = wb::GgufFile::open(file);
    QCOMPARE(g->get("tokenizer.ggml.model", wb::GgufType::String).s, std::string("llama"));
    const auto &tokens = g->get("tokenizer.ggml.tokens", wb::GgufType::Array).strs;
    const auto &scores = g->get("tokenizer.ggml.scores", wb::GgufType::Array);
    const auto &types = g->get("tokenizer.ggml.token_type", wb::GgufType::Array);
    QCOMPARE(scores.elemType, wb::GgufType::F32);
    QCOMPARE(types.elemType, wb::GgufType::I32);
    QCOMPARE(tokens.size(), size_t(640)); // padded to the model's vocab_size
    for (size_t i = 0; i < pieces.size(); ++i) {
        QCOMPARE(tokens[i], pieces[i].piece);
        QCOMPARE(float(scores.floats[i]), pieces[i].score);
        QCOMPARE(types.ints[i], int64_t(pieces[i].type));
    }
    QCOMPARE(tokens[600], std::string("[PAD600]"));
    QCOMPARE(types.ints[600], int64_t(5));
    QCOMPARE(float(scores.floats[600]), -10000.0f);
    QCOMPARE(g->get("tokenizer.ggml.bos_token_id", wb::GgufType::U32).i, int64_t(1));
    QCOMPARE(g->get("tokenizer.ggml.eos_token_id", wb::GgufType::U32).i, int64_t(2));
    QCOMPARE(g->get("tokenizer.ggml.unknown_token_id", wb::GgufType::U32).i, int64_t(0));

    // A corrupt model file is a parse error naming it.
    const fs::path bad = wbtest::path(m_tmp, "bad.model");
    wb::writeFileAtomic(bad, std::string("\x0a\xff\x01", 3));
    auto e = errorOf([&] { wb::readSentencePieceModel(bad); });
    QVERIFY(e);
    QCOMPARE(e->code(), wb::ErrorCode::Parse);
    QVERIFY(QString::fromStdString(e->message()).contains(QStringLiteral("bad.model")));
}

void TstExport::loraGguf()
{
    const fs::path dir = llamaDir();
    const fs::path adapter = wbtest::path(m_tmp, "adapter-lora-gguf");
    const auto lc = writeAdapter(adapter, dir, {"q_proj", "k_proj", "v_proj"}, {}, true);
    const fs::path file = wbtest::path(m_tmp, "lora.gguf");
    const auto r = wb::exportLoraGguf(adapter, dir, file);
    QCOMPARE(r.tensors, size_t(2 * 3 * 2));
    auto g = wb::GgufFile::open(file);
    QCOMPARE(g->get("general.type", wb::GgufType::String).s, std::string("adapter"));
    QCOMPARE(g->get("adapter.type", wb::GgufType::String).s, std::string("lora"));
    QCOMPARE(g->get("general.architecture", wb::GgufType::String).s, std::string("llama"));
    // rsLoRA: llama.cpp scales by alpha / r, so alpha · sqrt(r) keeps alpha / sqrt(r).
    QVERIFY(std::fabs(g->get("adapter.lora.alpha", wb::GgufType::F32).f / lc.r - lc.scaling()) < 1e-6);
    auto ad = wb::SafetensorsFile::open(adapter / "adapter_model.safetensors");
    const auto *a = g->findTensor("blk.1.attn_q.weight.lora_a");
    const auto *b = g->findTensor("blk.1.attn_q.weight.lora_b");
    QVERIFY(a && b);
    QCOMPARE(a->ne, (std::vector<int64_t>{64, 4}));
    QCOMPARE(b->ne, (std::vector<int64_t>{4, 64}));
    QVERIFY(g->toFloat(*a) == floatsOf(ad->tensor(wb::peftTensorKey(1, "q_proj", true))));
    const auto bSrc = floatsOf(ad->tensor(wb::peftTensorKey(1, "q_proj", false)));
    QVERIFY(g->toFloat(*b) == wb::permuteRowsForLlama(bSrc, 64, 4, 4));
    QVERIFY(g->toFloat(*g->findTensor("blk.0.attn_v.weight.lora_b")) ==
            floatsOf(ad->tensor(wb::peftTensorKey(0, "v_proj", false))));
}

void TstExport::ggufExportCancel()
{
    const fs::path dir = wbtest::path(m_tmp, "cancel");
    fs::create_directories(dir);
    const fs::path file = dir / "model.gguf";
    int calls = 0;
    auto e = errorOf([&] {
        wb::exportGguf(llamaDir(), {}, file, {}, [&](double, const std::string &) { return ++calls < 4; });
    });
    QVERIFY(e);
    QCOMPARE(e->code(), wb::ErrorCode::Cancelled);
    QCOMPARE(calls, 4);
    QVERIFY(fs::is_empty(dir)); // neither the file nor its temporary
    // An unknown tokenizer file layout is refused before writing.
    const fs::path noTok = wbtest::path(m_tmp, "no-tokenizer");
    wb::RandomModelSpec s;
    s.hidden = 32;
    s.layers = 1;
    s.heads = 2;
    s.kvHeads = 1;
    s.intermediate = 32;
    s.vocab = 64;
    wb::writeRandomModel(noTok, s);
    e = errorOf([&] { wb::exportGguf(noTok, {}, dir / "x.gguf"); });
    QVERIFY(e);
    QVERIFY(QString::fromStdString(e->message()).contains(QStringLiteral("tokenizer.model")));
    QVERIFY(fs::is_empty(dir));
}

void TstExport::malformedGgufRejected()
{
    wb::GgufWriter w;
    w.set("general.architecture", wb::GgufValue::string("llama"));
    w.set("k.arr", wb::GgufValue::intArray(wb::GgufType::I32, {1, 2, 3}));
    w.addTensor("t", wb::GgmlType::F32, {4, 8});
    const fs::path file = wbtest::path(m_tmp, "small.gguf");
    std::vector<float> v(32, 1.0f);
    w.write(file, [&](size_t, std::vector<uint8_t> &b) { b = wb::encodeTensor(wb::GgmlType::F32, v.data(), 32); });
    const std::string good = wb::readFile(file);
    QVERIFY(wb::GgufFile::fromBuffer(good, "good.gguf"));

    auto expectParse = [&](const std::string &bytes, const QString &needle) {
        auto e = errorOf([&] { wb::GgufFile::fromBuffer(bytes, "bad.gguf"); });
        QVERIFY(e);
        QCOMPARE(e->code(), wb::ErrorCode::Parse);
        const QString msg = QString::fromStdString(e->message());
        QVERIFY2(msg.contains(QStringLiteral("bad.gguf")), qPrintable(msg));
        QVERIFY2(msg.contains(needle), qPrintable(msg));
    };
    std::string s = good;
    s[0] = 'X';
    expectParse(s, QStringLiteral("magic"));
    s = good;
    s[4] = 9;
    expectParse(s, QStringLiteral("version 9"));
    // Every truncation is an error, never a crash.
    for (size_t n = 0; n < good.size(); ++n) {
        auto e = errorOf([&] { wb::GgufFile::fromBuffer(good.substr(0, n), "cut.gguf"); });
        QVERIFY2(e && e->code() == wb::ErrorCode::Parse, qPrintable(QString::number(n)));
    }
    // The array length field of k.arr: claim 2^60 elements.
    const size_t arrKey = good.find("k.arr");
    s = good;
    const uint64_t huge = 1ull << 60;
    std::memcpy(&s[arrKey + 5 + 4 + 4], &huge, 8);
    expectParse(s, QStringLiteral("more than the file holds"));
    // The tensor info: name, n_dims, 2 dims, type, offset.
    const size_t info = good.rfind(std::string("\x01\0\0\0\0\0\0\0t", 9)) + 9;
    s = good;
    const uint32_t badType = 2; // Q4_1: not supported
    std::memcpy(&s[info + 4 + 16], &badType, 4);
    expectParse(s, QStringLiteral("ggml type 2"));
    s = good;
    uint64_t offset = 7;
    std::memcpy(&s[info + 4 + 16 + 4], &offset, 8);
    expectParse(s, QStringLiteral("not aligned"));
    offset = 4096;
    std::memcpy(&s[info + 4 + 16 + 4], &offset, 8);
    expectParse(s, QStringLiteral("past the end"));
    s = good;
    const uint32_t dims = 9;
    std::memcpy(&s[info], &dims, 4);
    expectParse(s, QStringLiteral("dimensions"));
    auto e = errorOf([&] { wb::GgufFile::open(wbtest::path(m_tmp, "missing.gguf")); });
    QVERIFY(e && e->code() == wb::ErrorCode::Io);
}

QTEST_APPLESS_MAIN(TstExport)
#include "tst_export.moc"

// core/formats: safetensors reader/writer (every malformed-file class, a mini-fuzz), sharded
// checkpoints and pickle refusal, config.json of both generations, the tensor table a config
// implies, parameter counts, memory estimates, f16/bf16 conversions.

#include "test_util.h"

#include "common/error.h"
#include "common/files.h"
#include "formats/checkpoint.h"
#include "formats/dtype.h"
#include "formats/hf_config.h"
#include "formats/safetensors.h"

#include <QTemporaryDir>
#include <QtTest>

#include <bit>
#include <cmath>
#include <cstring>
#include <functional>
#include <limits>
#include <random>

namespace fs = std::filesystem;
using nlohmann::json;

namespace {

const std::vector<wb::DType> kAllDTypes = {
    wb::DType::Bool, wb::DType::U8,  wb::DType::I8,  wb::DType::F8E5M2, wb::DType::F8E4M3,
    wb::DType::I16,  wb::DType::U16, wb::DType::F16, wb::DType::BF16,   wb::DType::I32,
    wb::DType::U32,  wb::DType::F32, wb::DType::I64, wb::DType::U64,    wb::DType::F64};

std::string le64(uint64_t v)
{
    std::string s(8, '\0');
    for (int i = 0; i < 8; ++i, v >>= 8)
        s[i] = static_cast<char>(v & 0xFF);
    return s;
}

// A safetensors file built by hand: length prefix, header text as given, data.
std::string rawFile(const std::string &header, const std::string &data = {})
{
    return le64(header.size()) + header + data;
}

// The wb::Error a call throws; fails the test when it throws nothing or something else.
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

std::string bytesOf(const std::vector<float> &v)
{
    return std::string(reinterpret_cast<const char *>(v.data()), v.size() * sizeof(float));
}

std::string zeros(size_t n)
{
    return std::string(n, '\0');
}

float f32(uint32_t bits)
{
    return std::bit_cast<float>(bits);
}

uint32_t bitsOf(float f)
{
    return std::bit_cast<uint32_t>(f);
}

void writeShard(const fs::path &file, const std::map<std::string, std::vector<float>> &tensors)
{
    wb::SafetensorsWriter w;
    for (const auto &[name, values] : tensors)
        w.add(name, wb::DType::F32, {int64_t(values.size())}, values.data(),
              values.size() * sizeof(float));
    w.write(file);
}

// Writes a checkpoint holding exactly what the config expects (zeros, F32), with `tweak`
// applied to the list first.
void writeModel(
    const fs::path &dir, const wb::ModelConfig &config,
    const std::function<void(std::vector<std::pair<std::string, std::vector<int64_t>>> &)> &tweak =
        {},
    wb::DType dtype = wb::DType::F32)
{
    auto tensors = wb::expectedTensors(config);
    if (tweak)
        tweak(tensors);
    wb::SafetensorsWriter w;
    for (const auto &[name, shape] : tensors) {
        size_t n = 1;
        for (int64_t d : shape)
            n *= static_cast<size_t>(d);
        const std::string data = zeros(n * wb::dtypeSize(dtype));
        w.add(name, dtype, shape, data.data(), data.size());
    }
    fs::create_directories(dir);
    w.write(dir / "model.safetensors");
}

const char *kQwen2Config = R"({
  "architectures": ["Qwen2ForCausalLM"], "attention_dropout": 0.0, "bos_token_id": 151643,
  "eos_token_id": 151643, "hidden_act": "silu", "hidden_size": 896, "initializer_range": 0.02,
  "intermediate_size": 4864, "max_position_embeddings": 131072, "max_window_layers": 24,
  "model_type": "qwen2", "num_attention_heads": 14, "num_hidden_layers": 24,
  "num_key_value_heads": 2, "rms_norm_eps": 1e-06, "rope_theta": 1000000.0,
  "sliding_window": 131072, "tie_word_embeddings": true, "torch_dtype": "bfloat16",
  "transformers_version": "4.40.1", "use_cache": true, "use_sliding_window": false,
  "vocab_size": 151936})";

const char *kLlama31Config = R"({
  "architectures": ["LlamaForCausalLM"], "attention_bias": false, "attention_dropout": 0.0,
  "bos_token_id": 128000, "eos_token_id": [128001, 128008, 128009], "hidden_act": "silu",
  "hidden_size": 4096, "initializer_range": 0.02, "intermediate_size": 14336,
  "max_position_embeddings": 131072, "mlp_bias": false, "model_type": "llama",
  "num_attention_heads": 32, "num_hidden_layers": 32, "num_key_value_heads": 8,
  "pretraining_tp": 1, "rms_norm_eps": 1e-05,
  "rope_scaling": {"factor": 8.0, "low_freq_factor": 1.0, "high_freq_factor": 4.0,
                   "original_max_position_embeddings": 8192, "rope_type": "llama3"},
  "rope_theta": 500000.0, "tie_word_embeddings": false, "torch_dtype": "bfloat16",
  "vocab_size": 128256})";

const char *kTinyLlamaConfig = R"({
  "architectures": ["LlamaForCausalLM"], "bos_token_id": 1, "eos_token_id": 2,
  "hidden_act": "silu", "hidden_size": 2048, "intermediate_size": 5632,
  "max_position_embeddings": 2048, "model_type": "llama", "num_attention_heads": 32,
  "num_hidden_layers": 22, "num_key_value_heads": 4, "rms_norm_eps": 1e-05,
  "rope_scaling": null, "tie_word_embeddings": false, "torch_dtype": "float32",
  "vocab_size": 32000})";

json tiny(json extra = json::object())
{
    json c = {{"architectures", {"LlamaForCausalLM"}},
              {"hidden_size", 64},
              {"intermediate_size", 128},
              {"num_hidden_layers", 2},
              {"num_attention_heads", 4},
              {"vocab_size", 32}};
    c.update(extra);
    return c;
}

} // namespace

class TstFormats : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    // ---- dtypes and conversions -------------------------------------------------------

    void dtypeNamesAndSizes()
    {
        const std::vector<std::pair<const char *, size_t>> expected = {
            {"BOOL", 1}, {"U8", 1},  {"I8", 1},  {"F8_E5M2", 1}, {"F8_E4M3", 1},
            {"I16", 2},  {"U16", 2}, {"F16", 2}, {"BF16", 2},    {"I32", 4},
            {"U32", 4},  {"F32", 4}, {"I64", 8}, {"U64", 8},     {"F64", 8}};
        QCOMPARE(kAllDTypes.size(), expected.size());
        for (size_t i = 0; i < kAllDTypes.size(); ++i) {
            WB_COMPARE_STR(wb::dtypeName(kAllDTypes[i]), expected[i].first);
            QCOMPARE(wb::dtypeSize(kAllDTypes[i]), expected[i].second);
            QCOMPARE(wb::dtypeFromName(expected[i].first), std::optional(kAllDTypes[i]));
        }
        QVERIFY(!wb::dtypeFromName("bf16"));
        QVERIFY(!wb::dtypeFromName("F8E4M3"));
        QVERIFY(!wb::dtypeFromName(""));
    }

    void f16Conversions()
    {
        QCOMPARE(wb::f32ToF16(1.0f), uint16_t(0x3C00));
        QCOMPARE(wb::f32ToF16(-2.0f), uint16_t(0xC000));
        QCOMPARE(wb::f32ToF16(0.0f), uint16_t(0x0000));
        QCOMPARE(wb::f32ToF16(-0.0f), uint16_t(0x8000));
        QCOMPARE(wb::f32ToF16(65504.0f), uint16_t(0x7BFF));   // largest finite
        QCOMPARE(wb::f32ToF16(65519.996f), uint16_t(0x7BFF)); // just below the halfway point
        QCOMPARE(wb::f32ToF16(65520.0f), uint16_t(0x7C00));   // tie, odd mantissa: up to inf
        QCOMPARE(wb::f32ToF16(1e10f), uint16_t(0x7C00));
        QCOMPARE(wb::f32ToF16(-INFINITY), uint16_t(0xFC00));
        // Ties to even: 1 + 2^-11 lies halfway between 1 and 1 + 2^-10.
        QCOMPARE(wb::f32ToF16(1.0f + std::ldexp(1.0f, -11)), uint16_t(0x3C00));
        QCOMPARE(wb::f32ToF16(1.0f + 3 * std::ldexp(1.0f, -11)), uint16_t(0x3C02));
        QCOMPARE(wb::f32ToF16(1.0f + std::ldexp(1.0f, -11) + std::ldexp(1.0f, -20)),
                 uint16_t(0x3C01));
        // Subnormals: 2^-24 is the smallest; 2^-25 is a tie with 0 (even); 1.5 × 2^-24 → 2.
        QCOMPARE(wb::f32ToF16(std::ldexp(1.0f, -24)), uint16_t(0x0001));
        QCOMPARE(wb::f32ToF16(std::ldexp(1.0f, -25)), uint16_t(0x0000));
        QCOMPARE(wb::f32ToF16(std::ldexp(1.0f, -25) * 1.0001f), uint16_t(0x0001));
        QCOMPARE(wb::f32ToF16(std::ldexp(1.5f, -24)), uint16_t(0x0002));
        QCOMPARE(wb::f32ToF16(std::ldexp(2.5f, -24)), uint16_t(0x0002));
        QCOMPARE(wb::f32ToF16(-std::ldexp(1023.0f, -24)), uint16_t(0x83FF)); // largest subnormal
        QCOMPARE(wb::f32ToF16(std::ldexp(1023.5f, -24)), uint16_t(0x0400));  // rounds to normal
        QCOMPARE(wb::f32ToF16(f32(0x00000001)), uint16_t(0x0000));           // float subnormal
        QCOMPARE(wb::f16ToF32(0x0001), std::ldexp(1.0f, -24));
        QCOMPARE(wb::f16ToF32(0x03FF), std::ldexp(1023.0f, -24));
        QCOMPARE(wb::f16ToF32(0x7BFF), 65504.0f);
        QCOMPARE(wb::f16ToF32(0x3555), 0.333251953125f);
        QVERIFY(std::isinf(wb::f16ToF32(0x7C00)) && wb::f16ToF32(0x7C00) > 0);
        QVERIFY(std::isinf(wb::f16ToF32(0xFC00)) && wb::f16ToF32(0xFC00) < 0);
        QVERIFY(std::isnan(wb::f16ToF32(0x7E00)));
        QVERIFY(std::isnan(wb::f16ToF32(0x7C01))); // signalling NaN stays NaN
        const uint16_t nan = wb::f32ToF16(std::numeric_limits<float>::quiet_NaN());
        QVERIFY((nan & 0x7C00) == 0x7C00 && (nan & 0x3FF) != 0);
        // NaN whose payload sits only in the dropped low bits must not become inf.
        QVERIFY((wb::f32ToF16(f32(0x7F800001)) & 0x3FF) != 0);
        QCOMPARE(wb::f32ToF16(f32(0xFFC00000)) & 0x8000, 0x8000); // sign kept

        // Every half survives f16 → f32 → f16 unchanged (NaNs stay NaN).
        for (uint32_t h = 0; h <= 0xFFFF; ++h) {
            const float f = wb::f16ToF32(static_cast<uint16_t>(h));
            if (std::isnan(f)) {
                QVERIFY(std::isnan(wb::f16ToF32(wb::f32ToF16(f))));
                continue;
            }
            if (wb::f32ToF16(f) != h)
                QFAIL(qPrintable(QString("half 0x%1 does not round-trip").arg(h, 4, 16)));
        }

        // Random floats in the half range: the result is a nearest half, ties to even.
        std::mt19937 rng(7);
        for (int i = 0; i < 200000; ++i) {
            const float x = std::ldexp(std::uniform_real_distribution<float>(-1, 1)(rng),
                                       std::uniform_int_distribution<int>(-26, 16)(rng));
            if (std::fabs(x) >= 65504.0f)
                continue;
            const uint16_t h = wb::f32ToF16(x);
            const double err = std::fabs(double(wb::f16ToF32(h)) - x);
            for (int step : {-1, 1}) {
                const uint16_t n = static_cast<uint16_t>(h + step);
                if ((n & 0x7C00) == 0x7C00 || ((h ^ n) & 0x8000))
                    continue; // stepped off the finite values or across the sign
                const double other = std::fabs(double(wb::f16ToF32(n)) - x);
                if (other < err || (other == err && (h & 1)))
                    QFAIL(qPrintable(QString("f32ToF16(%1) = 0x%2 is not the nearest-even half")
                                         .arg(double(x), 0, 'g', 10)
                                         .arg(h, 4, 16)));
            }
        }
    }

    void bf16Conversions()
    {
        QCOMPARE(wb::f32ToBf16(1.0f), uint16_t(0x3F80));
        QCOMPARE(wb::f32ToBf16(-3.0f), uint16_t(0xC040));
        QCOMPARE(wb::bf16ToF32(0x3F80), 1.0f);
        QCOMPARE(wb::bf16ToF32(0x4049), 3.140625f);
        // Ties to even: 1 + 2^-8 is halfway between 1 and 1 + 2^-7.
        QCOMPARE(wb::f32ToBf16(1.0f + std::ldexp(1.0f, -8)), uint16_t(0x3F80));
        QCOMPARE(wb::f32ToBf16(1.0f + 3 * std::ldexp(1.0f, -8)), uint16_t(0x3F82));
        QCOMPARE(wb::f32ToBf16(f32(0x3F808001)), uint16_t(0x3F81)); // just above the tie
        QCOMPARE(wb::f32ToBf16(f32(0x3F807FFF)), uint16_t(0x3F80)); // just below
        QCOMPARE(wb::f32ToBf16(std::numeric_limits<float>::max()), uint16_t(0x7F80)); // to inf
        QCOMPARE(wb::f32ToBf16(INFINITY), uint16_t(0x7F80));
        QCOMPARE(wb::f32ToBf16(-INFINITY), uint16_t(0xFF80));
        QCOMPARE(wb::f32ToBf16(f32(0x00018000)), uint16_t(0x0002)); // subnormal, tie to even
        QCOMPARE(wb::f32ToBf16(f32(0x00008000)), uint16_t(0x0000));
        QCOMPARE(wb::f32ToBf16(-0.0f), uint16_t(0x8000));
        QVERIFY(std::isnan(wb::bf16ToF32(wb::f32ToBf16(std::numeric_limits<float>::quiet_NaN()))));
        QVERIFY(std::isnan(wb::bf16ToF32(wb::f32ToBf16(f32(0x7FFFFFFF))))); // no carry into sign
        QVERIFY(std::isnan(wb::bf16ToF32(wb::f32ToBf16(f32(0x7F800001))))); // payload only low
        for (uint32_t b = 0; b <= 0xFFFF; ++b) {
            const float f = wb::bf16ToF32(static_cast<uint16_t>(b));
            QCOMPARE(bitsOf(f), b << 16);
            if (!std::isnan(f) && wb::f32ToBf16(f) != b)
                QFAIL(qPrintable(QString("bf16 0x%1 does not round-trip").arg(b, 4, 16)));
        }
    }

    // ---- safetensors: writer → reader ---------------------------------------------------

    void roundTripEveryDtype()
    {
        QTemporaryDir dir;
        std::mt19937 rng(1);
        wb::SafetensorsWriter w;
        std::map<std::string, std::pair<std::vector<int64_t>, std::string>> written;
        const std::vector<std::vector<int64_t>> shapes = {{2, 3}, {}, {0}, {3, 0, 2}, {5}};
        for (wb::DType t : kAllDTypes) {
            for (size_t s = 0; s < shapes.size(); ++s) {
                size_t n = 1;
                for (int64_t d : shapes[s])
                    n *= static_cast<size_t>(d);
                std::string data(n * wb::dtypeSize(t), '\0');
                for (char &c : data)
                    c = static_cast<char>(rng());
                const std::string name =
                    std::string("t.") + wb::dtypeName(t) + "." + std::to_string(s);
                w.add(name, t, shapes[s], data.data(), data.size());
                written[name] = {shapes[s], data};
            }
        }
        w.setMetadata("format", "pt");
        w.setMetadata("note", "quotes \" and ünïcödé");

        const std::string bytes = w.toBytes();
        uint64_t headerLen = 0;
        for (int i = 7; i >= 0; --i)
            headerLen = (headerLen << 8) | static_cast<uint8_t>(bytes[i]);
        QCOMPARE(headerLen % 8, uint64_t(0));
        QCOMPARE(bytes[8 + headerLen - 1], ' '); // padded with spaces, not NULs
        QVERIFY(bytes.substr(8, 16) == "{\"__metadata__\":");

        const fs::path file = wbtest::path(dir, "all.safetensors");
        w.write(file);
        QCOMPARE(wb::readFile(file), bytes);
        QCOMPARE(fs::status(file).permissions() & fs::perms::owner_read, fs::perms::owner_read);
        QCOMPARE(std::distance(fs::directory_iterator(wbtest::path(dir)), fs::directory_iterator{}),
                 1L); // no temporary left behind

        for (int pass = 0; pass < 2; ++pass) {
            auto f = pass == 0 ? wb::SafetensorsFile::open(file)
                               : wb::SafetensorsFile::fromBuffer(bytes, "buffer");
            QCOMPARE(f->names().size(), written.size());
            QCOMPARE(f->metadata().size(), size_t(2));
            WB_COMPARE_STR(f->metadata().at("note"), "quotes \" and ünïcödé");
            const uint8_t *base = nullptr;
            size_t previousEnd = 0;
            for (const std::string &name : f->names()) {
                const wb::TensorView &t = f->tensor(name);
                const auto &[shape, data] = written.at(name);
                QCOMPARE(t.name, name);
                QCOMPARE(t.shape, shape);
                QCOMPARE(t.bytes, data.size());
                QCOMPARE(t.numel(), int64_t(data.size() / wb::dtypeSize(t.dtype)));
                QVERIFY(f->contains(name));
                if (t.bytes == 0)
                    continue;
                QVERIFY(std::memcmp(t.data, data.data(), data.size()) == 0);
                if (!base)
                    base = t.data; // first non-empty tensor starts the data buffer
                const size_t offset = static_cast<size_t>(t.data - base);
                QVERIFY(offset >= previousEnd); // names() is in data-offset order
                previousEnd = offset + t.bytes;
                // Largest elements first keeps every tensor aligned to its element size.
                QCOMPARE(offset % wb::dtypeSize(t.dtype), size_t(0));
                QCOMPARE((8 + headerLen + offset) % wb::dtypeSize(t.dtype), size_t(0));
            }
            QCOMPARE(f->tensor("t.F32.1").numel(), int64_t(1)); // scalar
            QCOMPARE(f->tensor("t.F32.3").numel(), int64_t(0));
            const auto e = errorOf([&] { f->tensor("missing.weight"); });
            QVERIFY(e && e->code() == wb::ErrorCode::NotFound);
            QVERIFY(std::string(e->what()).find("missing.weight") != std::string::npos);
            QVERIFY(std::string(e->what()).find(pass == 0 ? file.string() : "buffer") !=
                    std::string::npos);
        }
    }

    void emptyFilesAndValues()
    {
        wb::SafetensorsWriter none;
        const std::string bytes = none.toBytes();
        QCOMPARE(bytes, le64(8) + "{}      ");
        auto f = wb::SafetensorsFile::fromBuffer(bytes, "empty");
        QVERIFY(f->names().empty());
        QCOMPARE(f->dataBytes(), uint64_t(0));

        // Only zero-size tensors: a zero-size data buffer, still valid; also a header with
        // __metadata__ null, as some writers emit.
        auto g = wb::SafetensorsFile::fromBuffer(
            rawFile(
                R"({"__metadata__":null,"a":{"dtype":"F32","shape":[0,3],"data_offsets":[0,0]},)"
                R"("b":{"dtype":"I8","shape":[2,0],"data_offsets":[0,0]}})"),
            "zero");
        QCOMPARE(g->names(), (std::vector<std::string>{"a", "b"}));
        QCOMPARE(g->tensor("b").bytes, size_t(0));

        // Extra float values survive exactly (including NaN payloads and -0).
        const std::vector<float> v = {1.5f, -0.0f, f32(0x7FC00123), INFINITY, 1e-45f};
        wb::SafetensorsWriter w;
        w.add("v", wb::DType::F32, {5}, v.data(), 20);
        auto r = wb::SafetensorsFile::fromBuffer(w.toBytes(), "v");
        QCOMPARE(bytesOf(v), std::string(reinterpret_cast<const char *>(r->tensor("v").data), 20));
    }

    void writerRejectsBadInput()
    {
        wb::SafetensorsWriter w;
        const float x[4] = {};
        w.add("a", wb::DType::F32, {4}, x, 16);
        auto code = [&](const std::function<void()> &fn) {
            auto e = errorOf(fn);
            return e ? e->code() : wb::ErrorCode::Internal;
        };
        QCOMPARE(code([&] { w.add("a", wb::DType::F32, {4}, x, 16); }), wb::ErrorCode::Validation);
        QCOMPARE(code([&] { w.add("b", wb::DType::F32, {4}, x, 12); }), wb::ErrorCode::Validation);
        QCOMPARE(code([&] { w.add("c", wb::DType::F32, {-1}, x, 0); }), wb::ErrorCode::Validation);
        QCOMPARE(code([&] { w.add("__metadata__", wb::DType::F32, {4}, x, 16); }),
                 wb::ErrorCode::Validation);
        QCOMPARE(code([&] { w.add("bad\xff", wb::DType::F32, {4}, x, 16); }),
                 wb::ErrorCode::Validation);
        QCOMPARE(code([&] {
                     w.add("d", wb::DType::U8, {INT64_MAX, 4}, x, 16);
                 }),
                 wb::ErrorCode::Validation);
        QCOMPARE(wb::SafetensorsFile::fromBuffer(w.toBytes(), "w")->names().size(), size_t(1));
    }

    // ---- safetensors: every malformed-file class -----------------------------------------

    void malformed_data()
    {
        QTest::addColumn<QByteArray>("bytes");
        QTest::addColumn<QString>("message");
        auto row = [](const char *tag, const std::string &bytes, const char *message) {
            QTest::newRow(tag) << QByteArray(bytes.data(), qsizetype(bytes.size()))
                               << QString::fromUtf8(message);
        };
        const std::string t = R"("t":{"dtype":"F32","shape":[2],"data_offsets":[0,8]})";
        row("empty", "", "not a safetensors file: 0 bytes, shorter than the 8-byte header length");
        row("short", "abc",
            "not a safetensors file: 3 bytes, shorter than the 8-byte header length");
        row("header too large", le64(100'000'001) + "{}",
            "header length 100000001 exceeds the 100 MB limit");
        row("header length max", le64(UINT64_MAX) + "{}",
            "header length 18446744073709551615 exceeds the 100 MB limit");
        row("header past end", le64(50) + "{}",
            "header length 50 runs past the end of the 10-byte file");
        row("header one past end", le64(3) + "{}",
            "header length 3 runs past the end of the 10-byte file");
        row("not utf8", rawFile("{\"t\xff\":{}}"), "header is not valid UTF-8 (byte 3)");
        row("overlong utf8", rawFile("{\"\xc0\xaf\":1}"), "header is not valid UTF-8 (byte 2)");
        row("surrogate utf8", rawFile("{\"\xed\xa0\x80\":1}"),
            "header is not valid UTF-8 (byte 2)");
        row("not json", rawFile("{\"t\": nope}"), "header is not valid JSON");
        row("truncated json", rawFile("{\"t\":"), "header is not valid JSON");
        row("nul padding", rawFile(std::string("{}\0\0\0\0\0\0", 8)),
            "header is not valid JSON: NUL byte at offset 2");
        row("nul inside", rawFile(std::string("{\"a\0\":1}", 8)),
            "header is not valid JSON: NUL byte at offset 3");
        row("array", rawFile("[1, 2]"), "header is not a JSON object");
        row("string", rawFile("\"x\""), "header is not a JSON object");
        row("duplicate", rawFile("{" + t + "," + t + "}", zeros(8)),
            "header has the key 't' twice");
        row("duplicate field",
            rawFile(R"({"t":{"dtype":"F32","dtype":"I8","shape":[],"data_offsets":[0,4]}})",
                    zeros(4)),
            "header has the key 'dtype' twice");
        row("entry not object", rawFile(R"({"t":[1]})"),
            "tensor 't': entry is array, not an object");
        row("no dtype", rawFile(R"({"t":{"shape":[2],"data_offsets":[0,8]}})", zeros(8)),
            "tensor 't': missing 'dtype' string");
        row("dtype not string",
            rawFile(R"({"t":{"dtype":4,"shape":[2],"data_offsets":[0,8]}})", zeros(8)),
            "tensor 't': missing 'dtype' string");
        row("no shape", rawFile(R"({"t":{"dtype":"F32","data_offsets":[0,8]}})", zeros(8)),
            "tensor 't': missing 'shape' array");
        row("no offsets", rawFile(R"({"t":{"dtype":"F32","shape":[2]}})", zeros(8)),
            "tensor 't': missing 'data_offsets' [begin, end]");
        row("three offsets",
            rawFile(R"({"t":{"dtype":"F32","shape":[2],"data_offsets":[0,8,8]}})", zeros(8)),
            "tensor 't': missing 'data_offsets' [begin, end]");
        row("negative offset",
            rawFile(R"({"t":{"dtype":"F32","shape":[2],"data_offsets":[-8,0]}})"),
            "tensor 't': data_offsets [-8,0] are not non-negative integers");
        row("unknown dtype",
            rawFile(R"({"t":{"dtype":"Q4_K","shape":[2],"data_offsets":[0,8]}})", zeros(8)),
            "tensor 't': unknown dtype 'Q4_K'");
        row("negative dim",
            rawFile(R"({"t":{"dtype":"F32","shape":[2,-1],"data_offsets":[0,8]}})", zeros(8)),
            "tensor 't': shape[1] is -1, not a non-negative integer");
        row("float dim",
            rawFile(R"({"t":{"dtype":"F32","shape":[2.5],"data_offsets":[0,8]}})", zeros(8)),
            "tensor 't': shape[0] is 2.5, not a non-negative integer");
        row("string dim",
            rawFile(R"({"t":{"dtype":"F32","shape":["2"],"data_offsets":[0,8]}})", zeros(8)),
            "tensor 't': shape[0] is \"2\", not a non-negative integer");
        row("numel overflow",
            rawFile(R"({"t":{"dtype":"U8","shape":[4294967296,4294967296],"data_offsets":[0,0]}})"),
            "tensor 't': shape [4294967296, 4294967296] of U8 overflows 64 bits");
        row("bytes overflow",
            rawFile(R"({"t":{"dtype":"F64","shape":[4611686018427387904],"data_offsets":[0,0]}})"),
            "tensor 't': shape [4611686018427387904] of F64 overflows 64 bits");
        row("end before begin",
            rawFile(R"({"t":{"dtype":"F32","shape":[1],"data_offsets":[8,4]}})", zeros(8)),
            "tensor 't': data_offsets [8,4] end before they begin");
        row("size mismatch",
            rawFile(R"({"t":{"dtype":"F32","shape":[2,3],"data_offsets":[0,8]}})", zeros(8)),
            "tensor 't': data_offsets [0,8] span 8 bytes, but shape [2, 3] of F32 needs 24");
        row("gap",
            rawFile(R"({"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4]},)"
                    R"("b":{"dtype":"F32","shape":[1],"data_offsets":[8,12]}})",
                    zeros(12)),
            "tensor 'b' starts at byte 8 of the data buffer, leaving a gap after byte 4");
        row("not from zero",
            rawFile(R"({"a":{"dtype":"F32","shape":[1],"data_offsets":[4,8]}})", zeros(8)),
            "tensor 'a' starts at byte 4 of the data buffer, leaving a gap after byte 0");
        row("overlap",
            rawFile(R"({"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},)"
                    R"("b":{"dtype":"F32","shape":[2],"data_offsets":[4,12]}})",
                    zeros(12)),
            "tensor 'b' at bytes [4, 12) overlaps tensor 'a'");
        row("aliased",
            rawFile(R"({"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},)"
                    R"("b":{"dtype":"I32","shape":[2],"data_offsets":[0,8]}})",
                    zeros(8)),
            "tensor 'b' at bytes [0, 8) overlaps tensor 'a'");
        row("trailing bytes", rawFile("{" + t + "}", zeros(12)),
            "tensors cover 8 bytes, but the data buffer holds 12 (trailing bytes)");
        row("truncated data", rawFile("{" + t + "}", zeros(5)),
            "tensors cover 8 bytes, but the data buffer holds 5 (truncated file?)");
        row("no tensors, data", rawFile("{}", zeros(3)),
            "tensors cover 0 bytes, but the data buffer holds 3 (trailing bytes)");
        row("metadata not object", rawFile(R"({"__metadata__":[1]})"),
            "__metadata__ is not an object of strings");
        row("metadata value", rawFile(R"({"__metadata__":{"format":"pt","n":1}})"),
            "__metadata__ value of 'n' is number, not a string");
        row("metadata nested", rawFile(R"({"__metadata__":{"m":{"a":"b"}}})"),
            "__metadata__ value of 'm' is object, not a string");
    }

    void malformed()
    {
        QFETCH(QByteArray, bytes);
        QFETCH(QString, message);
        const auto e = errorOf(
            [&] { wb::SafetensorsFile::fromBuffer(bytes.toStdString(), "bad.safetensors"); });
        QVERIFY(e);
        QCOMPARE(e->code(), wb::ErrorCode::Parse);
        WB_COMPARE_STR(e->context(), "bad.safetensors"); // every message names the file
        if (e->message().find(message.toStdString()) != 0)
            QFAIL(qPrintable("message was: " + QString::fromStdString(e->message())));
    }

    void malformedOnDisk()
    {
        QTemporaryDir dir;
        const fs::path file = wbtest::path(dir, "cut.safetensors");
        wb::SafetensorsWriter w;
        const std::vector<float> v(100, 1.0f);
        w.add("w", wb::DType::F32, {100}, v.data(), 400);
        const std::string bytes = w.toBytes();
        wb::writeFileAtomic(file, bytes.substr(0, bytes.size() - 1)); // a truncated download
        auto e = errorOf([&] { wb::SafetensorsFile::open(file); });
        QVERIFY(e && e->code() == wb::ErrorCode::Parse);
        QCOMPARE(e->context(), file.string());
        QVERIFY(e->message().find("truncated file?") != std::string::npos);

        wb::writeFileAtomic(file, "");
        e = errorOf([&] { wb::SafetensorsFile::open(file); });
        QVERIFY(e && e->code() == wb::ErrorCode::Parse);

        e = errorOf([&] { wb::SafetensorsFile::open(wbtest::path(dir, "absent.safetensors")); });
        QVERIFY(e && e->code() == wb::ErrorCode::Io);
        e = errorOf([&] { wb::SafetensorsFile::open(wbtest::path(dir)); });
        QVERIFY(e && e->code() == wb::ErrorCode::Io);
    }

    // Random damage to a valid file: every read either succeeds with in-bounds views or throws
    // wb::Error. Mostly aimed at the header, where the checks live.
    void miniFuzz()
    {
        wb::SafetensorsWriter w;
        const std::vector<float> a(6, 0.5f);
        const uint16_t b[3] = {1, 2, 3};
        const int8_t c[1] = {7};
        w.add("model.a", wb::DType::F32, {2, 3}, a.data(), 24);
        w.add("model.b", wb::DType::BF16, {3}, b, 6);
        w.add("model.c", wb::DType::I8, {}, c, 1);
        w.add("model.empty", wb::DType::F16, {0, 4}, nullptr, 0);
        w.setMetadata("format", "pt");
        const std::string valid = w.toBytes();
        const size_t headerEnd = valid.size() - (24 + 6 + 1); // minus the data bytes above
        const std::string significant = "{}[]\",:0123456789-.eE \\u\xff\x80";

        std::mt19937 rng(20240601);
        auto pick = [&](size_t n) { return std::uniform_int_distribution<size_t>(0, n - 1)(rng); };
        int accepted = 0, rejected = 0;
        for (int i = 0; i < 3000; ++i) {
            std::string s = valid;
            const int mutations = 1 + static_cast<int>(pick(4));
            for (int m = 0; m < mutations; ++m) {
                switch (pick(6)) {
                case 0: // flip a byte anywhere
                    if (!s.empty())
                        s[pick(s.size())] ^= static_cast<char>(1 + pick(255));
                    break;
                case 1: // JSON-significant character into the header
                    if (s.size() > 8)
                        s[8 + pick(std::min(s.size(), headerEnd) - 8)] =
                            significant[pick(significant.size())];
                    break;
                case 2: // truncate
                    s.resize(pick(s.size() + 1));
                    break;
                case 3: // insert or delete a header byte (the length prefix goes stale)
                    if (s.size() > 9) {
                        const size_t at = 8 + pick(std::min(s.size(), headerEnd) - 8);
                        if (pick(2))
                            s.insert(at, 1, significant[pick(significant.size())]);
                        else
                            s.erase(at, 1);
                    }
                    break;
                case 4: { // rewrite the length prefix near the true value
                    const std::string len = le64(headerEnd - 8 + pick(17) - 8);
                    if (s.size() >= 8)
                        s.replace(0, 8, len);
                    break;
                }
                default: // change a digit in the header (offsets, shapes)
                    for (int tries = 0; tries < 20 && s.size() > 8; ++tries) {
                        const size_t at = 8 + pick(std::min(s.size(), headerEnd) - 8);
                        if (std::isdigit(static_cast<unsigned char>(s[at]))) {
                            s[at] = static_cast<char>('0' + pick(10));
                            break;
                        }
                    }
                }
            }
            try {
                auto f = wb::SafetensorsFile::fromBuffer(s, "fuzz");
                uint64_t sum = 0, bytes = 0;
                for (const auto &t : f->tensors()) {
                    QCOMPARE(t.numel() * int64_t(wb::dtypeSize(t.dtype)), int64_t(t.bytes));
                    QVERIFY(t.bytes == 0 || t.data);
                    for (size_t k = 0; k < t.bytes; ++k)
                        sum += t.data[k]; // touches every byte a view claims
                    bytes += t.bytes;
                }
                QCOMPARE(bytes, f->dataBytes());
                (void)sum;
                ++accepted;
            } catch (const wb::Error &e) {
                QCOMPARE(e.code(), wb::ErrorCode::Parse);
                ++rejected;
            } catch (const std::exception &e) {
                QFAIL(qPrintable(
                    QString("mutation %1 threw a non-wb exception: %2").arg(i).arg(e.what())));
            }
        }
        qInfo("mini-fuzz: %d accepted, %d rejected", accepted, rejected);
        QVERIFY(accepted > 50);
        QVERIFY(rejected > 1000);
    }

    // ---- checkpoints ---------------------------------------------------------------------

    void singleFileCheckpoint()
    {
        QTemporaryDir dir;
        writeShard(wbtest::path(dir, "model.safetensors"), {{"b", {1, 2}}, {"a", {3}}});
        // Pickle files next to safetensors are ignored, never opened.
        wb::writeFileAtomic(wbtest::path(dir, "pytorch_model.bin"), "not read");
        auto cp = wb::Checkpoint::open(wbtest::path(dir));
        QCOMPARE(cp->names(), (std::vector<std::string>{"a", "b"}));
        QCOMPARE(cp->totalBytes(), uint64_t(12));
        QCOMPARE(cp->files().size(), size_t(1));
        QCOMPARE(reinterpret_cast<const float *>(cp->tensor("b").data)[1], 2.0f);
        auto e = errorOf([&] { cp->tensor("c"); });
        QVERIFY(e && e->code() == wb::ErrorCode::NotFound);
        QVERIFY(std::string(e->what()).find("'c'") != std::string::npos);
        QVERIFY(std::string(e->what()).find(wbtest::path(dir).string()) != std::string::npos);
    }

    void shardedCheckpoint()
    {
        QTemporaryDir dir;
        const fs::path d = wbtest::path(dir);
        writeShard(d / "model-00001-of-00002.safetensors",
                   {{"x.weight", {1, 2, 3}}, {"y.weight", {4}}});
        writeShard(d / "model-00002-of-00002.safetensors", {{"z.weight", {5, 6}}});
        const json index = {{"metadata", {{"total_size", 24}}},
                            {"weight_map",
                             {{"x.weight", "model-00001-of-00002.safetensors"},
                              {"y.weight", "model-00001-of-00002.safetensors"},
                              {"z.weight", "model-00002-of-00002.safetensors"}}}};
        wb::writeFileAtomic(d / "model.safetensors.index.json", index.dump(2));
        auto cp = wb::Checkpoint::open(d);
        QCOMPARE(cp->names(), (std::vector<std::string>{"x.weight", "y.weight", "z.weight"}));
        QCOMPARE(cp->totalBytes(), uint64_t(24));
        QCOMPARE(cp->files(), (std::vector<fs::path>{d / "model-00001-of-00002.safetensors",
                                                     d / "model-00002-of-00002.safetensors"}));
        QCOMPARE(reinterpret_cast<const float *>(cp->tensor("z.weight").data)[1], 6.0f);
        QVERIFY(cp->contains("y.weight") && !cp->contains("w.weight"));
        cp.reset();

        auto openError = [&](const std::string &indexText) {
            wb::writeFileAtomic(d / "model.safetensors.index.json", indexText);
            return errorOf([&] { wb::Checkpoint::open(d); });
        };
        // A shard the index names is missing.
        json bad = index;
        bad["weight_map"]["z.weight"] = "model-00003-of-00003.safetensors";
        auto e = openError(bad.dump());
        QVERIFY(e && e->code() == wb::ErrorCode::NotFound);
        QVERIFY(e->message().find("shard model-00003-of-00003.safetensors is missing") == 0);
        QVERIFY(e->context().find("model.safetensors.index.json") != std::string::npos);

        // The index maps a tensor to a shard that does not hold it.
        bad = index;
        bad["weight_map"]["w.weight"] = "model-00002-of-00002.safetensors";
        e = openError(bad.dump());
        QVERIFY(e && e->code() == wb::ErrorCode::Validation);
        WB_COMPARE_STR(e->message(), "the index maps 'w.weight' to "
                                     "model-00002-of-00002.safetensors, but that shard does not "
                                     "contain it");

        // A tensor mapped twice in the index (JSON keeps the last one silently).
        e = openError(R"({"weight_map": {"x.weight": "model-00001-of-00002.safetensors",
            "y.weight": "model-00001-of-00002.safetensors",
            "z.weight": "model-00002-of-00002.safetensors",
            "x.weight": "model-00002-of-00002.safetensors"}})");
        QVERIFY(e && e->code() == wb::ErrorCode::Parse);
        WB_COMPARE_STR(e->message(), "index has the key 'x.weight' twice");

        // A tensor stored in one shard but mapped to the other.
        writeShard(d / "model-00002-of-00002.safetensors",
                   {{"z.weight", {5, 6}}, {"y.weight", {4}}});
        e = openError(index.dump());
        QVERIFY(e && e->code() == wb::ErrorCode::Validation);
        WB_COMPARE_STR(e->message(), "shard model-00002-of-00002.safetensors also holds "
                                     "'y.weight', which the index maps to "
                                     "model-00001-of-00002.safetensors");
        writeShard(d / "model-00002-of-00002.safetensors",
                   {{"z.weight", {5, 6}}, {"q.weight", {4}}});
        e = openError(index.dump());
        QVERIFY(e && e->code() == wb::ErrorCode::Validation);
        QVERIFY(e->message().find("'q.weight', which the index does not list") !=
                std::string::npos);
        writeShard(d / "model-00002-of-00002.safetensors", {{"z.weight", {5, 6}}});

        // Shard names must not leave the folder.
        bad = index;
        bad["weight_map"]["z.weight"] = "../model-00002-of-00002.safetensors";
        e = openError(bad.dump());
        QVERIFY(e && e->code() == wb::ErrorCode::Validation);
        e = openError("{\"metadata\": {}}");
        QVERIFY(e && e->code() == wb::ErrorCode::Parse);
        e = openError("{\"weight_map\": ");
        QVERIFY(e && e->code() == wb::ErrorCode::Parse);

        // A damaged shard reports the shard's own path.
        wb::writeFileAtomic(d / "model-00002-of-00002.safetensors", "garbage!garbage!");
        e = openError(index.dump());
        QVERIFY(e && e->code() == wb::ErrorCode::Parse);
        QCOMPARE(e->context(), (d / "model-00002-of-00002.safetensors").string());
    }

    void refusesPickle()
    {
        for (const char *name : {"pytorch_model.bin", "pytorch_model-00001-of-00002.bin",
                                 "consolidated.00.pth", "model.pt"}) {
            QTemporaryDir dir;
            wb::writeFileAtomic(wbtest::path(dir, name), "\x80\x02}q\x00.");
            wb::writeFileAtomic(wbtest::path(dir, "config.json"), "{}");
            const auto e = errorOf([&] { wb::Checkpoint::open(wbtest::path(dir)); });
            QVERIFY(e);
            QCOMPARE(e->code(), wb::ErrorCode::Unsupported);
            QVERIFY(e->message().find(name) != std::string::npos);
            QVERIFY(e->message().find(
                        "pickle files can run code when loaded; convert them to safetensors "
                        "(e.g. with transformers' save_pretrained(safe_serialization=True))") !=
                    std::string::npos);
        }
        QTemporaryDir empty;
        auto e = errorOf([&] { wb::Checkpoint::open(wbtest::path(empty)); });
        QVERIFY(e && e->code() == wb::ErrorCode::NotFound);
        e = errorOf([&] { wb::Checkpoint::open(wbtest::path(empty, "nope")); });
        QVERIFY(e && e->code() == wb::ErrorCode::NotFound);
    }

    // ---- config.json ---------------------------------------------------------------------

    void qwen2Config()
    {
        const wb::ModelConfig c = wb::parseModelConfig(json::parse(kQwen2Config));
        WB_COMPARE_STR(c.architecture, "Qwen2ForCausalLM");
        WB_COMPARE_STR(c.modelType, "qwen2");
        QCOMPARE(c.vocabSize, int64_t(151936));
        QCOMPARE(c.numKvHeads, int64_t(2));
        QCOMPARE(c.headDim, int64_t(64));
        QCOMPARE(c.maxPositions, int64_t(131072));
        QCOMPARE(c.rope.type, wb::RopeType::Default);
        QCOMPARE(c.rope.theta, 1000000.0);
        QCOMPARE(c.rmsNormEps, 1e-6);
        QVERIFY(c.tieWordEmbeddings);
        QVERIFY(c.attentionBias && !c.oProjBias && !c.mlpBias);
        QCOMPARE(c.bosTokenId, std::optional<int64_t>(151643));
        QCOMPARE(c.eosTokenIds, std::vector<int64_t>{151643});
        QVERIFY(!c.padTokenId);
        QCOMPARE(c.torchDtype, std::optional(wb::DType::BF16));
        QVERIFY(!c.slidingWindow); // use_sliding_window is false
        QCOMPARE(c.raw["max_window_layers"].get<int>(), 24);

        json on = json::parse(kQwen2Config);
        on["use_sliding_window"] = true;
        on["sliding_window"] = 4096;
        QCOMPARE(wb::parseModelConfig(on).slidingWindow, std::optional<int64_t>(4096));
    }

    void llama3Configs()
    {
        const wb::ModelConfig c = wb::parseModelConfig(json::parse(kLlama31Config));
        WB_COMPARE_STR(c.architecture, "LlamaForCausalLM");
        QCOMPARE(c.rope.type, wb::RopeType::Llama3);
        QCOMPARE(c.rope.theta, 500000.0);
        QCOMPARE(c.rope.factor, 8.0);
        QCOMPARE(c.rope.lowFreqFactor, 1.0);
        QCOMPARE(c.rope.highFreqFactor, 4.0);
        QCOMPARE(c.rope.originalMaxPositions, int64_t(8192));
        QCOMPARE(c.eosTokenIds, (std::vector<int64_t>{128001, 128008, 128009}));
        QCOMPARE(c.numKvHeads, int64_t(8));
        QCOMPARE(c.headDim, int64_t(128));
        QCOMPARE(c.rmsNormEps, 1e-5);
        QVERIFY(!c.tieWordEmbeddings && !c.attentionBias && !c.oProjBias && !c.mlpBias);
        QCOMPARE(wb::parameterCount(c), uint64_t(8'030'261'248)); // Llama-3.1-8B

        // The same model as transformers v5 writes it: rope_parameters and dtype.
        json v5 = json::parse(kLlama31Config);
        v5.erase("rope_scaling");
        v5.erase("rope_theta");
        v5.erase("torch_dtype");
        v5["dtype"] = "bfloat16";
        v5["rope_parameters"] = {
            {"rope_type", "llama3"},   {"rope_theta", 500000.0},
            {"factor", 8.0},           {"low_freq_factor", 1.0},
            {"high_freq_factor", 4.0}, {"original_max_position_embeddings", 8192}};
        const wb::ModelConfig n = wb::parseModelConfig(v5);
        QCOMPARE(n.rope.type, wb::RopeType::Llama3);
        QCOMPARE(n.rope.theta, 500000.0);
        QCOMPARE(n.rope.factor, 8.0);
        QCOMPARE(n.rope.originalMaxPositions, int64_t(8192));
        QCOMPARE(n.torchDtype, std::optional(wb::DType::BF16));

        // v5 default rope: theta inside rope_parameters.
        const wb::ModelConfig d = wb::parseModelConfig(
            tiny({{"rope_parameters", {{"rope_type", "default"}, {"rope_theta", 1e6}}},
                  {"dtype", "float16"}}));
        QCOMPARE(d.rope.type, wb::RopeType::Default);
        QCOMPARE(d.rope.theta, 1e6);
        QCOMPARE(d.torchDtype, std::optional(wb::DType::F16));

        // llama3 without one of its fields names the field.
        json missing = json::parse(kLlama31Config);
        missing["rope_scaling"].erase("low_freq_factor");
        const auto e = errorOf([&] { wb::parseModelConfig(missing); });
        QVERIFY(e && e->code() == wb::ErrorCode::Validation);
        WB_COMPARE_STR(e->message(), "field 'rope_scaling.low_freq_factor' is missing");
    }

    void tinyLlamaAndDefaults()
    {
        const wb::ModelConfig c = wb::parseModelConfig(json::parse(kTinyLlamaConfig));
        QCOMPARE(c.rope.type, wb::RopeType::Default); // rope_scaling null
        QCOMPARE(c.rope.theta, 10000.0);              // rope_theta absent
        QCOMPARE(c.numKvHeads, int64_t(4));
        QCOMPARE(c.headDim, int64_t(64));
        QCOMPARE(c.torchDtype, std::optional(wb::DType::F32));
        QCOMPARE(wb::parameterCount(c), uint64_t(1'100'048'384)); // TinyLlama-1.1B

        // Minimal config: every default filled in.
        const wb::ModelConfig m = wb::parseModelConfig(tiny());
        WB_COMPARE_STR(m.modelType, "llama");
        QCOMPARE(m.numKvHeads, int64_t(4)); // defaults to num_attention_heads
        QCOMPARE(m.headDim, int64_t(16));   // hidden / heads
        QCOMPARE(m.maxPositions, int64_t(2048));
        QCOMPARE(m.rmsNormEps, 1e-6);
        QVERIFY(!m.tieWordEmbeddings && !m.bosTokenId && m.eosTokenIds.empty() && !m.torchDtype);

        // {"type": "default"} is the default; so is null; -1 token ids mean "none".
        const auto t = wb::parseModelConfig(tiny({{"rope_scaling", {{"type", "default"}}},
                                                  {"pad_token_id", -1},
                                                  {"num_key_value_heads", nullptr}}));
        QCOMPARE(t.rope.type, wb::RopeType::Default);
        QVERIFY(!t.padTokenId);
        QCOMPARE(t.numKvHeads, int64_t(4));

        // No architectures: model_type decides.
        json noArch = tiny();
        noArch.erase("architectures");
        noArch["model_type"] = "mistral";
        WB_COMPARE_STR(wb::parseModelConfig(noArch).architecture, "MistralForCausalLM");
    }

    void scalingAndShapes()
    {
        const auto linear = wb::parseModelConfig(
            tiny({{"rope_scaling", {{"type", "linear"}, {"factor", 4.0}}}, {"rope_theta", 5e5}}));
        QCOMPARE(linear.rope.type, wb::RopeType::Linear);
        QCOMPARE(linear.rope.factor, 4.0);
        QCOMPARE(linear.rope.theta, 5e5);

        const auto dynamic =
            wb::parseModelConfig(tiny({{"rope_scaling", {{"rope_type", "dynamic"}, {"factor", 2}}},
                                       {"max_position_embeddings", 4096}}));
        QCOMPARE(dynamic.rope.type, wb::RopeType::Dynamic);
        QCOMPARE(dynamic.rope.factor, 2.0);
        QCOMPARE(dynamic.rope.originalMaxPositions, int64_t(4096));

        // rope_type wins over the legacy type key.
        const auto both = wb::parseModelConfig(tiny(
            {{"rope_scaling", {{"type", "linear"}, {"rope_type", "dynamic"}, {"factor", 2}}}}));
        QCOMPARE(both.rope.type, wb::RopeType::Dynamic);

        // Mistral-Nemo style explicit head_dim (≠ hidden / heads), sliding window kept.
        const auto mistral = wb::parseModelConfig({{"architectures", {"MistralForCausalLM"}},
                                                   {"model_type", "mistral"},
                                                   {"hidden_size", 5120},
                                                   {"head_dim", 128},
                                                   {"intermediate_size", 14336},
                                                   {"num_hidden_layers", 40},
                                                   {"num_attention_heads", 32},
                                                   {"num_key_value_heads", 8},
                                                   {"vocab_size", 131072},
                                                   {"rope_theta", 1000000.0},
                                                   {"sliding_window", 4096},
                                                   {"hidden_act", "silu"}});
        QCOMPARE(mistral.headDim, int64_t(128));
        QCOMPARE(mistral.slidingWindow, std::optional<int64_t>(4096));
        QCOMPARE(mistral.maxPositions, int64_t(131072));
        const auto tensors = wb::expectedTensors(mistral);
        auto shapeOf = [&](const std::vector<std::pair<std::string, std::vector<int64_t>>> &list,
                           const std::string &name) {
            for (const auto &[n, s] : list) {
                if (n == name)
                    return s;
            }
            return std::vector<int64_t>{-1};
        };
        QCOMPARE(shapeOf(tensors, "model.layers.0.self_attn.q_proj.weight"),
                 (std::vector<int64_t>{4096, 5120}));
        QCOMPARE(shapeOf(tensors, "model.layers.0.self_attn.o_proj.weight"),
                 (std::vector<int64_t>{5120, 4096}));
        QCOMPARE(shapeOf(tensors, "model.layers.39.self_attn.k_proj.weight"),
                 (std::vector<int64_t>{1024, 5120}));

        // MQA: one KV head.
        const auto mqa = wb::parseModelConfig(tiny({{"num_key_value_heads", 1}}));
        QCOMPARE(shapeOf(wb::expectedTensors(mqa), "model.layers.1.self_attn.v_proj.weight"),
                 (std::vector<int64_t>{16, 64}));

        // Llama attention_bias covers q, k, v and o; mlp_bias the three MLP projections.
        const auto biased = wb::expectedTensors(
            wb::parseModelConfig(tiny({{"attention_bias", true}, {"mlp_bias", true}})));
        for (const char *n : {"q_proj", "k_proj", "v_proj", "o_proj"})
            QVERIFY(shapeOf(biased, std::string("model.layers.0.self_attn.") + n + ".bias")[0] > 0);
        QCOMPARE(shapeOf(biased, "model.layers.1.mlp.down_proj.bias"), std::vector<int64_t>{64});
        QCOMPARE(shapeOf(biased, "model.layers.1.mlp.up_proj.bias"), std::vector<int64_t>{128});

        // Qwen2: q, k, v biases, no o bias; tied → no lm_head.
        const auto qwen = wb::expectedTensors(wb::parseModelConfig(json::parse(kQwen2Config)));
        QCOMPARE(shapeOf(qwen, "model.layers.0.self_attn.q_proj.bias"), std::vector<int64_t>{896});
        QCOMPARE(shapeOf(qwen, "model.layers.0.self_attn.k_proj.bias"), std::vector<int64_t>{128});
        QCOMPARE(shapeOf(qwen, "model.layers.0.self_attn.o_proj.bias"), std::vector<int64_t>{-1});
        QCOMPARE(shapeOf(qwen, "lm_head.weight"), std::vector<int64_t>{-1});
        QCOMPARE(qwen.size(), size_t(1 + 24 * 12 + 1));
        const auto untied =
            wb::expectedTensors(wb::parseModelConfig(json::parse(kTinyLlamaConfig)));
        QCOMPARE(untied.back().first, std::string("lm_head.weight"));
        QCOMPARE(untied.back().second, (std::vector<int64_t>{32000, 2048}));
        QCOMPARE(untied.front().first, std::string("model.embed_tokens.weight"));
    }

    void configErrors_data()
    {
        QTest::addColumn<QString>("config");
        QTest::addColumn<int>("code");
        QTest::addColumn<QString>("message");
        auto row = [](const char *tag, const json &c, wb::ErrorCode code, const char *message) {
            QTest::newRow(tag) << QString::fromStdString(c.dump()) << int(code)
                               << QString::fromUtf8(message);
        };
        const auto U = wb::ErrorCode::Unsupported;
        const auto V = wb::ErrorCode::Validation;
        row("gpt2", tiny({{"architectures", {"GPT2LMHeadModel"}}}), U,
            "architecture 'GPT2LMHeadModel' is not supported; supported: LlamaForCausalLM, "
            "Qwen2ForCausalLM, MistralForCausalLM");
        row("qwen3", tiny({{"architectures", {"Qwen3ForCausalLM"}}}), U,
            "architecture 'Qwen3ForCausalLM' is not supported; supported: LlamaForCausalLM, "
            "Qwen2ForCausalLM, MistralForCausalLM");
        json noArch = tiny();
        noArch.erase("architectures");
        row("no architecture", noArch, V,
            "field 'architectures' is missing (and so is model_type)");
        row("yarn", tiny({{"rope_scaling", {{"type", "yarn"}, {"factor", 4.0}}}}), U,
            "rope type 'yarn' (rope_scaling) is not supported; supported: default, linear, "
            "dynamic, llama3");
        row("longrope v5", tiny({{"rope_parameters", {{"rope_type", "longrope"}}}}), U,
            "rope type 'longrope' (rope_parameters) is not supported; supported: default, "
            "linear, dynamic, llama3");
        row("gelu", tiny({{"hidden_act", "gelu"}}), U,
            "hidden_act \"gelu\" is not supported; supported: \"silu\"");
        json noHidden = tiny();
        noHidden.erase("hidden_size");
        row("no hidden_size", noHidden, V, "field 'hidden_size' is missing");
        row("float layers", tiny({{"num_hidden_layers", 2.5}}), V,
            "field 'num_hidden_layers' is 2.5, not an integer");
        row("zero heads", tiny({{"num_attention_heads", 0}}), V,
            "field 'num_attention_heads' is 0, outside 1..1048576");
        row("kv not dividing", tiny({{"num_key_value_heads", 3}}), V,
            "field 'num_key_value_heads' is 3, which does not divide num_attention_heads=4");
        row("heads not dividing", tiny({{"num_attention_heads", 5}}), V,
            "field 'num_attention_heads' is 5, which does not divide hidden_size=64 (and "
            "head_dim is not given)");
        row("odd head_dim", tiny({{"head_dim", 15}}), V, "field 'head_dim' is 15, must be even");
        row("huge head_dim", tiny({{"head_dim", 1 << 19}}), V,
            "field 'head_dim' is 524288: num_attention_heads × head_dim = 2097152 exceeds 1048576");
        row("linear without factor", tiny({{"rope_scaling", {{"type", "linear"}}}}), V,
            "field 'rope_scaling.factor' is missing");
        row("factor below 1", tiny({{"rope_scaling", {{"type", "linear"}, {"factor", 0.5}}}}), V,
            "field 'rope_scaling.factor' is 0.500000, must be >= 1");
        row("bad tie", tiny({{"tie_word_embeddings", "yes"}}), V,
            "field 'tie_word_embeddings' is \"yes\", not true or false");
        row("bad eos", tiny({{"eos_token_id", {1, "x"}}}), V,
            "field 'eos_token_id' holds \"x\", not a token id");
        row("bad dtype", tiny({{"torch_dtype", "int4"}}), V,
            "field 'torch_dtype' is 'int4', not one of float32, float16, bfloat16, float64");
        row("bad theta", tiny({{"rope_theta", "big"}}), V,
            "field 'rope_theta' is \"big\", not a number");
    }

    void configErrors()
    {
        QFETCH(QString, config);
        QFETCH(int, code);
        QFETCH(QString, message);
        const auto e = errorOf([&] { wb::parseModelConfig(json::parse(config.toStdString())); });
        QVERIFY(e);
        QCOMPARE(int(e->code()), code);
        WB_COMPARE_STR(e->message(), message.toStdString());
        WB_COMPARE_STR(e->context(), "config.json");
    }

    void loadsConfigFromFolder()
    {
        QTemporaryDir dir;
        auto e = errorOf([&] { wb::loadModelConfig(wbtest::path(dir)); });
        QVERIFY(e && e->code() == wb::ErrorCode::NotFound);
        wb::writeFileAtomic(wbtest::path(dir, "config.json"), kQwen2Config);
        QCOMPARE(wb::loadModelConfig(wbtest::path(dir)).hiddenSize, int64_t(896));
        wb::writeFileAtomic(wbtest::path(dir, "config.json"),
                            R"({"hidden_size": 64, "hidden_size": 128})");
        e = errorOf([&] { wb::loadModelConfig(wbtest::path(dir)); });
        QVERIFY(e && e->code() == wb::ErrorCode::Parse);
        WB_COMPARE_STR(e->message(), "config has the key 'hidden_size' twice");
        wb::writeFileAtomic(wbtest::path(dir, "config.json"), "{\"architectures\": [");
        e = errorOf([&] { wb::loadModelConfig(wbtest::path(dir)); });
        QVERIFY(e && e->code() == wb::ErrorCode::Parse);
        QCOMPARE(e->context(), (wbtest::path(dir) / "config.json").string());
    }

    // ---- checkpoint against config ---------------------------------------------------------

    void checksCheckpointAgainstConfig()
    {
        QTemporaryDir dir;
        // hidden 64, 4 heads of explicit head_dim 64: q/k/v are [256, 64].
        const wb::ModelConfig c = wb::parseModelConfig(
            tiny({{"num_hidden_layers", 4}, {"head_dim", 64}, {"vocab_size", 32}}));
        const fs::path good = wbtest::path(dir, "good");
        writeModel(good, c);
        QVERIFY(wb::checkCheckpoint(c, *wb::Checkpoint::open(good)).empty());
        QCOMPARE(wb::Checkpoint::open(good)->totalBytes(), wb::parameterCount(c) * 4);

        const fs::path wrong = wbtest::path(dir, "wrong");
        writeModel(wrong, c, [](auto &tensors) {
            for (auto &[name, shape] : tensors) {
                if (name == "model.layers.3.self_attn.k_proj.weight")
                    shape = {128, 64};
            }
        });
        auto e = errorOf([&] { wb::checkCheckpoint(c, *wb::Checkpoint::open(wrong)); });
        QVERIFY(e && e->code() == wb::ErrorCode::Validation);
        WB_COMPARE_STR(e->message(), "model.layers.3.self_attn.k_proj.weight has shape [128, 64], "
                                     "config says [256, 64] (num_key_value_heads=4 × head_dim=64)");
        QCOMPARE(e->context(), wrong.string());

        const fs::path rank = wbtest::path(dir, "rank");
        writeModel(rank, c, [](auto &tensors) {
            for (auto &[name, shape] : tensors) {
                if (name == "model.embed_tokens.weight")
                    shape = {32 * 64};
            }
        });
        e = errorOf([&] { wb::checkCheckpoint(c, *wb::Checkpoint::open(rank)); });
        QVERIFY(e);
        WB_COMPARE_STR(e->message(), "model.embed_tokens.weight has shape [2048], config says "
                                     "[32, 64] (vocab_size=32; hidden_size=64)");

        const fs::path missing = wbtest::path(dir, "missing");
        writeModel(missing, c, [](auto &tensors) {
            std::erase_if(tensors, [](const auto &t) {
                return t.first.find("layers.2.mlp") != std::string::npos;
            });
        });
        e = errorOf([&] { wb::checkCheckpoint(c, *wb::Checkpoint::open(missing)); });
        QVERIFY(e && e->code() == wb::ErrorCode::Validation);
        WB_COMPARE_STR(e->message(), "checkpoint lacks 3 tensors the config requires: "
                                     "model.layers.2.mlp.gate_proj.weight, "
                                     "model.layers.2.mlp.up_proj.weight, "
                                     "model.layers.2.mlp.down_proj.weight");

        const fs::path extra = wbtest::path(dir, "extra");
        writeModel(extra, c, [](auto &tensors) {
            tensors.push_back({"model.layers.0.self_attn.rotary_emb.inv_freq", {32}});
        });
        const auto warnings = wb::checkCheckpoint(c, *wb::Checkpoint::open(extra));
        QCOMPARE(warnings.size(), size_t(1));
        WB_COMPARE_STR(warnings[0], "extra tensor model.layers.0.self_attn.rotary_emb.inv_freq "
                                    "[32] is not used by LlamaForCausalLM");

        // A tied config reading an untied checkpoint: lm_head is reported, not fatal.
        wb::ModelConfig tied = c;
        tied.tieWordEmbeddings = true;
        const auto tiedWarnings = wb::checkCheckpoint(tied, *wb::Checkpoint::open(good));
        QCOMPARE(tiedWarnings.size(), size_t(1));
        QVERIFY(tiedWarnings[0].find("tie_word_embeddings is true") != std::string::npos);

        const fs::path ints = wbtest::path(dir, "ints");
        writeModel(ints, c, {}, wb::DType::I8);
        e = errorOf([&] { wb::checkCheckpoint(c, *wb::Checkpoint::open(ints)); });
        QVERIFY(e && e->code() == wb::ErrorCode::Unsupported);

        const fs::path bf16 = wbtest::path(dir, "bf16");
        writeModel(bf16, c, {}, wb::DType::BF16);
        QVERIFY(wb::checkCheckpoint(c, *wb::Checkpoint::open(bf16)).empty());
    }

    void parameterCountQwen2()
    {
        const wb::ModelConfig c = wb::parseModelConfig(json::parse(kQwen2Config));
        // From first principles: embeddings (tied, counted once), per layer q (+bias), k and v
        // (2 KV heads × 64, +bias), o, gate/up/down, two norms; the final norm.
        const uint64_t embed = 151936ull * 896;
        const uint64_t attn = (896ull * 896 + 896) + 2 * (128ull * 896 + 128) + 896ull * 896;
        const uint64_t mlp = 3ull * 896 * 4864;
        const uint64_t layer = attn + mlp + 2 * 896;
        QCOMPARE(embed + 24 * layer + 896, uint64_t(494'032'768));
        QCOMPARE(wb::parameterCount(c), uint64_t(494'032'768));

        wb::ModelConfig untied = c;
        untied.tieWordEmbeddings = false;
        QCOMPARE(wb::parameterCount(untied), uint64_t(494'032'768) + embed);
    }

    void memoryEstimate()
    {
        const wb::ModelConfig c = wb::parseModelConfig(json::parse(kQwen2Config));
        const uint64_t params = wb::parameterCount(c);
        const auto bf16 = wb::estimateMemory(c, wb::DType::BF16, 2048);
        const auto f32 = wb::estimateMemory(c, wb::DType::F32, 2048);
        QCOMPARE(bf16.weights, params * 2);
        QCOMPARE(f32.weights, params * 4);
        QCOMPARE(bf16.kvCachePerToken, uint64_t(2 * 24 * 2 * 64 * 2)); // K,V × layers × kv × dim
        QCOMPARE(bf16.total, bf16.weights + bf16.kvCachePerToken * 2048 + bf16.activations);
        QVERIFY(f32.total > bf16.total);

        uint64_t previous = 0;
        for (int64_t ctx : {0, 1, 128, 2048, 32768}) {
            const auto m = wb::estimateMemory(c, wb::DType::BF16, ctx);
            QVERIFY(m.total > previous || (ctx == 0 && m.total == m.weights));
            QVERIFY(m.total >= m.weights);
            previous = m.total;
        }
        QVERIFY(wb::estimateMemory(c, wb::DType::BF16, 2048, 4).total > bf16.total);
        QVERIFY(wb::estimateMemory(c, wb::DType::BF16, 2048, 4).activations ==
                4 * bf16.activations);

        const auto int8 = wb::estimateMemory(c, wb::DType::BF16, 2048, 1, true);
        QVERIFY(int8.weights < bf16.weights);
        QVERIFY(int8.weights > params); // embeddings and norms stay BF16, scales added
        QCOMPARE(int8.kvCachePerToken, bf16.kvCachePerToken);

        // Absurd sizes saturate instead of wrapping.
        const auto huge = wb::estimateMemory(c, wb::DType::F64, INT64_MAX, INT64_MAX);
        QCOMPARE(huge.total, std::numeric_limits<uint64_t>::max());
        QVERIFY(errorOf([&] { wb::estimateMemory(c, wb::DType::BF16, 16, 0); }));

        QVERIFY(wb::availableSystemMemory() > 0);
    }
};

QTEST_APPLESS_MAIN(TstFormats)
#include "tst_formats.moc"

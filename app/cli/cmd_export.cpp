// llmwb merge / export-gguf: a LoRA adapter merged into a plain Hugging Face folder, and models
// or adapters written as GGUF for llama.cpp. Logic lives in core/formats.

#include "cli.h"

#include "common/error.h"
#include "formats/gguf_export.h"
#include "formats/merge.h"

#include <cctype>
#include <cstdio>
#include <iostream>
#include <unistd.h>

namespace wbcli {

namespace {

// "2GB", "500MB", "1.5GiB", "123456" → bytes (GB = 10^9 and GiB = 2^30, as transformers).
uint64_t parseSize(const std::string &text)
{
    size_t pos = 0;
    double value = 0;
    try {
        value = std::stod(text, &pos);
    } catch (...) {
        pos = 0;
    }
    std::string unit;
    for (char c : text.substr(pos))
        if (!std::isspace(static_cast<unsigned char>(c)))
            unit += char(std::toupper(static_cast<unsigned char>(c)));
    const std::pair<const char *, double> units[] = {
        {"", 1},          {"B", 1},          {"KB", 1e3},        {"MB", 1e6},
        {"GB", 1e9},      {"KIB", 1024.0},   {"MIB", 1048576.0}, {"GIB", 1073741824.0}};
    for (const auto &[name, scale] : units)
        if (pos > 0 && unit == name && value > 0)
            return uint64_t(value * scale);
    throw wb::Error(wb::ErrorCode::Validation,
                    "--shard-size '" + text + "' is not a size such as 2GB, 500MB or 1GiB");
}

wb::ExportProgress stderrProgress()
{
    const bool tty = ::isatty(2);
    return [tty, last = -1](double f, const std::string &msg) mutable {
        const int pct = int(f * 100);
        if (tty)
            std::fprintf(stderr, "\r[%3d%%] %-60.60s", pct, msg.c_str());
        else if (pct / 10 != last / 10)
            std::fprintf(stderr, "[%3d%%] %s\n", pct, msg.c_str());
        last = pct;
        if (tty && f >= 1.0)
            std::fprintf(stderr, "\n");
        return true;
    };
}

} // namespace

void addExportCommands(CLI::App &app, Globals &g)
{
    {
        auto *cmd = app.add_subcommand(
            "merge", "merge a LoRA adapter into its base model and write a plain HF folder");
        struct Opts
        {
            std::string model, adapter, out, dtype, shard = "2GB";
            bool overwrite = false;
            int threads = 2;
        };
        auto o = std::make_shared<Opts>();
        cmd->add_option("--model", o->model, "base Hugging Face model folder")->required();
        cmd->add_option("--adapter", o->adapter, "PEFT LoRA adapter folder")->required();
        cmd->add_option("--out", o->out, "output folder (must not exist or be empty)")->required();
        cmd->add_option("--dtype", o->dtype, "f32, f16 or bf16 (default: the base's dtype)");
        cmd->add_option("--shard-size", o->shard, "largest safetensors shard, e.g. 2GB")
            ->default_val("2GB");
        cmd->add_flag("--overwrite", o->overwrite, "replace a non-empty output folder");
        cmd->add_option("--threads", o->threads, "threads for the merge")->default_val(2);
        cmd->callback([o] {
            wb::MergeOptions mo;
            if (!o->dtype.empty()) {
                if (o->dtype == "f32" || o->dtype == "float32")
                    mo.dtype = wb::DType::F32;
                else if (o->dtype == "f16" || o->dtype == "float16")
                    mo.dtype = wb::DType::F16;
                else if (o->dtype == "bf16" || o->dtype == "bfloat16")
                    mo.dtype = wb::DType::BF16;
                else
                    throw wb::Error(wb::ErrorCode::Validation,
                                    "--dtype '" + o->dtype + "' is not f32, f16 or bf16");
            }
            mo.shardBytes = parseSize(o->shard);
            mo.overwrite = o->overwrite;
            mo.threads = o->threads;
            const auto r = wb::mergeAdapter(o->model, o->adapter, o->out, mo, stderrProgress());
            std::cout << "wrote " << o->out << ": " << r.tensors << " tensors (" << r.mergedTensors
                      << " merged), " << r.shards << " shard(s), " << r.bytes << " bytes, "
                      << wb::dtypeName(r.dtype) << "\n";
        });
    }
    {
        auto *cmd = app.add_subcommand("export-gguf",
                                       "write a model (optionally with a LoRA adapter merged in) "
                                       "or an adapter alone as GGUF for llama.cpp");
        struct Opts
        {
            std::string model, adapter, out, type = "f16", name;
            bool loraOnly = false;
            int threads = 2;
        };
        auto o = std::make_shared<Opts>();
        cmd->add_option("--model", o->model, "Hugging Face model folder (the base model)")->required();
        cmd->add_option("--adapter", o->adapter, "PEFT LoRA adapter folder, merged on the fly");
        cmd->add_option("--out", o->out, "output .gguf file")->required();
        cmd->add_option("--type", o->type, "f32, f16, bf16 or q8_0")->default_val("f16");
        cmd->add_option("--name", o->name, "general.name (default: the folder's name)");
        cmd->add_flag("--lora-only", o->loraOnly,
                      "write only the adapter as a llama.cpp LoRA GGUF (needs --adapter)");
        cmd->add_option("--threads", o->threads, "threads for merging")->default_val(2);
        cmd->callback([o] {
            wb::GgufExportReport r;
            if (o->loraOnly) {
                if (o->adapter.empty())
                    throw wb::Error(wb::ErrorCode::Validation, "--lora-only needs --adapter");
                r = wb::exportLoraGguf(o->adapter, o->model, o->out, stderrProgress());
            } else {
                const auto type = wb::parseGgufExportType(o->type);
                if (!type)
                    throw wb::Error(wb::ErrorCode::Validation,
                                    "--type '" + o->type + "' is not f32, f16, bf16 or q8_0");
                wb::GgufExportOptions eo;
                eo.type = *type;
                eo.name = o->name;
                eo.threads = o->threads;
                r = wb::exportGguf(o->model, o->adapter, o->out, eo, stderrProgress());
            }
            std::cout << "wrote " << o->out << ": " << r.architecture << ", " << r.tensors
                      << " tensors, " << r.bytes << " bytes of tensor data";
            if (r.vocabSize)
                std::cout << ", vocabulary " << r.vocabSize;
            if (r.fallbacks)
                std::cout << ", " << r.fallbacks << " tensor(s) kept F16 (rows not a multiple of 32)";
            std::cout << "\n";
        });
    }
    (void)g;
}

} // namespace wbcli

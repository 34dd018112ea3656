// llmwb embed: sentence vectors from a BERT-family encoder folder (bge, MiniLM, e5), to check
// a folder before pointing a knowledge base at it.

#include "cli.h"

#include "common/error.h"
#include "model/bert.h"

#include <nlohmann/json.hpp>

#include <cstdio>
#include <iostream>

namespace wbcli {

using nlohmann::json;

void addEmbedCommands(CLI::App &app, Globals &)
{
    auto *cmd = app.add_subcommand("embed", "sentence vectors from a BERT-family encoder folder");
    struct Options
    {
        std::string dir, device = "cpu", dtype = "f32";
        std::vector<std::string> texts;
        bool asJson = false, normalize = false, raw = false;
        int64_t maxLength = 0;
        int threads = 0;
    };
    auto o = std::make_shared<Options>();
    cmd->add_option("--model", o->dir, "sentence-transformers / BERT folder")->required();
    cmd->add_option("--text", o->texts, "text to embed (repeatable)")->required();
    cmd->add_option("--device", o->device, "cpu, cuda or cuda:N")->default_val("cpu");
    cmd->add_option("--dtype", o->dtype, "f32, f16 or bf16")->default_val("f32");
    cmd->add_option("--threads", o->threads, "CPU threads (default: all cores)");
    cmd->add_option("--max-length", o->maxLength, "tokens per text (default: the folder's max_seq_length)");
    auto *norm = cmd->add_flag("--normalize", o->normalize, "L2-normalise even without a Normalize module");
    cmd->add_flag("--no-normalize", o->raw, "do not L2-normalise")->excludes(norm);
    cmd->add_flag("--json", o->asJson, "print one JSON object");
    cmd->callback([o] {
        wb::SentenceEncoderOptions so;
        so.device = o->device;
        if (o->dtype == "f32" || o->dtype == "fp32")
            so.dtype = wb::DType::F32;
        else if (o->dtype == "f16" || o->dtype == "fp16")
            so.dtype = wb::DType::F16;
        else if (o->dtype == "bf16")
            so.dtype = wb::DType::BF16;
        else
            throw wb::Error(wb::ErrorCode::Validation, "unknown dtype '" + o->dtype + "' (use f32, f16 or bf16)");
        so.threads = o->threads;
        so.maxLength = o->maxLength;
        if (o->normalize)
            so.normalize = true;
        if (o->raw)
            so.normalize = false;
        const auto encoder = wb::SentenceEncoder::load(o->dir, so);
        const auto vectors = encoder->encode(o->texts);
        if (o->asJson) {
            json out = {{"model", encoder->id()}, {"describe", encoder->describe()}, {"dim", encoder->dim()},
                        {"normalized", encoder->normalizes()}, {"vectors", vectors}};
            json tokens = json::array();
            for (const std::string &t : o->texts)
                tokens.push_back(encoder->tokenize(t).size());
            out["tokens"] = tokens;
            std::cout << out.dump() << "\n";
            return;
        }
        std::cout << encoder->id() << "\n" << encoder->describe() << "\n";
        for (size_t i = 0; i < vectors.size(); ++i) {
            std::cout << "text " << i + 1 << " (" << encoder->tokenize(o->texts[i]).size() << " tokens, dim "
                      << vectors[i].size() << "):";
            char buf[32];
            for (float x : vectors[i]) {
                std::snprintf(buf, sizeof buf, " %.6g", double(x));
                std::cout << buf;
            }
            std::cout << "\n";
        }
    });
}

} // namespace wbcli

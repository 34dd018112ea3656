#include "store/model_store.h"

#include "common/error.h"
#include "common/files.h"
#include "formats/checkpoint.h"
#include "formats/hf_config.h"
#include "store/workspace.h"
#include "tokenizer/chat_template.h"

#include <cstdio>
#include <set>

namespace wb {

namespace fs = std::filesystem;

nlohmann::json ModelFolderInfo::toJson() const
{
    return {{"path", path.string()},       {"ok", ok},
            {"problems", problems},        {"warnings", warnings},
            {"architecture", architecture}, {"model_type", modelType},
            {"parameters", parameters},    {"dtype", dtype},
            {"size_on_disk", sizeOnDisk},  {"tokenizer", tokenizer},
            {"chat_family", chatFamily},   {"layers", layers},
            {"hidden", hidden},            {"heads", heads},
            {"kv_heads", kvHeads},         {"vocab", vocab},
            {"context_length", contextLength}, {"rope", rope}};
}

ModelFolderInfo ModelFolderInfo::fromJson(const nlohmann::json &j)
{
    ModelFolderInfo m;
    m.path = j.value("path", "");
    m.ok = j.value("ok", false);
    m.problems = j.value("problems", std::vector<std::string>{});
    m.warnings = j.value("warnings", std::vector<std::string>{});
    m.architecture = j.value("architecture", "");
    m.modelType = j.value("model_type", "");
    m.parameters = j.value("parameters", uint64_t(0));
    m.dtype = j.value("dtype", "");
    m.sizeOnDisk = j.value("size_on_disk", uint64_t(0));
    m.tokenizer = j.value("tokenizer", "");
    m.chatFamily = j.value("chat_family", "");
    m.layers = j.value("layers", int64_t(0));
    m.hidden = j.value("hidden", int64_t(0));
    m.heads = j.value("heads", int64_t(0));
    m.kvHeads = j.value("kv_heads", int64_t(0));
    m.vocab = j.value("vocab", int64_t(0));
    m.contextLength = j.value("context_length", int64_t(0));
    m.rope = j.value("rope", "");
    return m;
}

ModelFolderInfo inspectModelFolder(const fs::path &dir)
{
    ModelFolderInfo info;
    info.path = fs::absolute(dir);
    if (!fs::is_directory(dir)) {
        info.problems.push_back("not a folder: " + dir.string());
        return info;
    }
    // Each part is checked on its own so that every problem is reported, not just the first.
    std::optional<ModelConfig> config;
    try {
        config = loadModelConfig(dir);
        info.architecture = config->architecture;
        info.modelType = config->modelType;
        info.parameters = parameterCount(*config);
        info.layers = config->numLayers;
        info.hidden = config->hiddenSize;
        info.heads = config->numHeads;
        info.kvHeads = config->numKvHeads;
        info.vocab = config->vocabSize;
        info.contextLength = config->maxPositions;
        info.rope = ropeTypeName(config->rope.type);
        if (config->rope.type != RopeType::Default) {
            char buf[32];
            std::snprintf(buf, sizeof buf, " ×%g", config->rope.factor);
            info.rope += buf;
        }
    } catch (const std::exception &e) {
        info.problems.push_back(e.what());
    }
    try {
        auto ckpt = Checkpoint::open(dir);
        info.sizeOnDisk = ckpt->totalBytes();
        std::set<std::string> dtypes;
        for (const auto &n : ckpt->names())
            dtypes.insert(dtypeName(ckpt->tensor(n).dtype));
        for (const auto &d : dtypes)
            info.dtype += (info.dtype.empty() ? "" : "+") + d;
        if (config) {
            for (auto &w : checkCheckpoint(*config, *ckpt))
                info.warnings.push_back(std::move(w));
        }
    } catch (const std::exception &e) {
        info.problems.push_back(e.what());
    }
    if (fs::exists(dir / "tokenizer.json")) {
        try {
            const auto j = nlohmann::json::parse(readFile(dir / "tokenizer.json"));
            const std::string type = j.contains("model") ? j["model"].value("type", "") : "";
            if (type == "BPE")
                info.tokenizer = "bpe";
            else
                info.problems.push_back("tokenizer.json uses a '" + type +
                                        "' model; byte-level BPE is supported");
        } catch (const std::exception &e) {
            info.problems.push_back(std::string("tokenizer.json: ") + e.what());
        }
    } else if (fs::exists(dir / "tokenizer.model")) {
        info.tokenizer = "sentencepiece";
    } else {
        info.problems.push_back("no tokenizer: the folder has neither tokenizer.json nor "
                                "tokenizer.model");
    }
    try {
        if (auto tpl = ChatTemplate::fromModelDir(dir))
            info.chatFamily = tpl->family();
        else
            info.warnings.push_back("no chat template in tokenizer_config.json: chat needs a "
                                    "prompt template instead");
    } catch (const std::exception &e) {
        info.warnings.push_back(std::string("chat template: ") + e.what());
    }
    info.ok = info.problems.empty();
    return info;
}

namespace {
ModelEntry readEntry(Statement &st)
{
    ModelEntry e;
    e.id = st.int64(0);
    e.name = st.text(1);
    e.info = ModelFolderInfo::fromJson(nlohmann::json::parse(st.text(2), nullptr, false));
    e.addedAt = st.text(3);
    return e;
}
} // namespace

ModelEntry ModelStore::add(const fs::path &dir, std::string name)
{
    if (!fs::is_directory(dir))
        throw Error(ErrorCode::Io, "a model is a folder (config.json, *.safetensors, tokenizer)",
                    dir.string());
    const fs::path abs = fs::weakly_canonical(fs::absolute(dir));
    for (const auto &m : list())
        if (m.info.path == abs)
            throw Error(ErrorCode::Conflict, "this folder is already in the workspace as '" +
                                                 m.name + "'",
                        abs.string());
    ModelFolderInfo info = inspectModelFolder(abs);
    info.path = abs;
    std::string base = name.empty() ? abs.filename().string() : name;
    if (base.empty())
        base = "model";
    name = base;
    for (int i = 2; find(name); ++i)
        name = base + "-" + std::to_string(i);
    m_ws.withDb([&](Database &db) {
        db.prepare("INSERT INTO models(name, path, architecture, parameters, dtype, size_bytes, "
                   "tokenizer, chat_family, info, added_at) VALUES(?,?,?,?,?,?,?,?,?,?)")
            .bind(1, name)
            .bind(2, abs.string())
            .bind(3, info.architecture)
            .bind(4, static_cast<int64_t>(info.parameters))
            .bind(5, info.dtype)
            .bind(6, static_cast<int64_t>(info.sizeOnDisk))
            .bind(7, info.tokenizer)
            .bind(8, info.chatFamily)
            .bind(9, info.toJson().dump())
            .bind(10, nowIso8601())
            .exec();
    });
    return get(name);
}

std::vector<ModelEntry> ModelStore::list()
{
    return m_ws.withDb([&](Database &db) {
        std::vector<ModelEntry> out;
        auto st = db.prepare("SELECT id, name, info, added_at FROM models ORDER BY name");
        while (st.step())
            out.push_back(readEntry(st));
        return out;
    });
}

std::optional<ModelEntry> ModelStore::find(const std::string &name)
{
    return m_ws.withDb([&](Database &db) -> std::optional<ModelEntry> {
        auto st = db.prepare("SELECT id, name, info, added_at FROM models WHERE name = ?");
        st.bind(1, name);
        if (!st.step())
            return std::nullopt;
        return readEntry(st);
    });
}

ModelEntry ModelStore::get(const std::string &name)
{
    auto m = find(name);
    if (!m)
        throw Error(ErrorCode::NotFound, "no model named '" + name + "' in this workspace");
    return *m;
}

ModelEntry ModelStore::refresh(const std::string &name)
{
    const ModelEntry e = get(name);
    const ModelFolderInfo info = inspectModelFolder(e.info.path);
    m_ws.withDb([&](Database &db) {
        db.prepare("UPDATE models SET architecture = ?, parameters = ?, dtype = ?, size_bytes = ?, "
                   "tokenizer = ?, chat_family = ?, info = ? WHERE id = ?")
            .bind(1, info.architecture)
            .bind(2, static_cast<int64_t>(info.parameters))
            .bind(3, info.dtype)
            .bind(4, static_cast<int64_t>(info.sizeOnDisk))
            .bind(5, info.tokenizer)
            .bind(6, info.chatFamily)
            .bind(7, info.toJson().dump())
            .bind(8, e.id)
            .exec();
    });
    return get(name);
}

void ModelStore::remove(const std::string &name)
{
    const ModelEntry e = get(name);
    m_ws.withDb([&](Database &db) { db.prepare("DELETE FROM models WHERE id = ?").bind(1, e.id).exec(); });
}

} // namespace wb

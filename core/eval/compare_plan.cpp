// Resolving an experiment and building each cell's requests (compare_internal.h); creating runs
// and planning them. Torch-free: no model is loaded here.

#include "eval/compare_internal.h"

#include "common/error.h"
#include "common/files.h"
#include "common/sha256.h"
#include "eval/accuracy.h"
#include "prompt/prompt_builder.h"
#include "rag/knowledge_base.h"
#include "store/dataset_store.h"
#include "store/model_store.h"
#include "store/template_store.h"
#include "store/workspace.h"
#include "tokenizer/chat_template.h"
#include "tokenizer/tokenizer.h"
#include "train/train_job.h"

#include <fstream>
#include <mutex>

namespace wb {

namespace fs = std::filesystem;
using nlohmann::json;

InputCaches::~InputCaches() = default;

namespace {

std::string fileSha256(const fs::path &p)
{
    std::ifstream in(p, std::ios::binary);
    if (!in)
        throw Error(ErrorCode::Io, "cannot read " + p.string(), p.string());
    Sha256 h;
    std::vector<char> buf(1 << 20);
    while (in) {
        in.read(buf.data(), std::streamsize(buf.size()));
        h.update(buf.data(), size_t(in.gcount()));
    }
    return h.finishHex();
}

// A model folder's fingerprint: config and tokenizer files whole, each weights file's name, size
// and three 1 MiB samples (start, middle, end). Hashing a 14 GB checkpoint whole would take
// minutes; fine-tuned weights differ everywhere, so the samples tell them apart.
std::string modelFingerprint(const fs::path &dir)
{
    Sha256 h;
    std::vector<fs::path> files;
    for (const auto &entry : fs::directory_iterator(dir))
        if (entry.is_regular_file())
            files.push_back(entry.path());
    std::sort(files.begin(), files.end());
    std::vector<char> buf(1 << 20);
    for (const fs::path &f : files) {
        const std::string name = f.filename().string();
        const bool weights = f.extension() == ".safetensors";
        if (!weights && name != "config.json" && name.rfind("tokenizer", 0) != 0)
            continue;
        h.update(name);
        if (!weights) {
            h.update(fileSha256(f));
            continue;
        }
        const uint64_t size = fs::file_size(f);
        h.update(std::to_string(size));
        std::ifstream in(f, std::ios::binary);
        for (uint64_t at : {uint64_t(0), size / 2, size > buf.size() ? size - buf.size() : 0}) {
            in.clear();
            in.seekg(std::streamoff(at));
            in.read(buf.data(), std::streamsize(buf.size()));
            h.update(buf.data(), size_t(in.gcount()));
        }
    }
    return h.finishHex().substr(0, 16);
}

std::string adapterHash(const fs::path &dir)
{
    Sha256 h;
    for (const char *f : {"adapter_config.json", "adapter_model.safetensors"})
        if (fs::exists(dir / f))
            h.update(fileSha256(dir / f));
    return h.finishHex().substr(0, 16);
}

// The cache identity of a remote endpoint: its base URL (without a trailing / or /v1) and model.
std::string makeRemoteEndpointIdentity(const RemoteSettings &s)
{
    std::string url = s.baseUrl;
    while (!url.empty() && url.back() == '/')
        url.pop_back();
    if (url.size() >= 3 && url.compare(url.size() - 3, 3, "/v1") == 0)
        url.resize(url.size() - 3);
    return "remote:" + url + "#" + s.model;
}

ResolvedVariant resolveVariant(Workspace &ws, const Variant &v, const std::string &where,
                               const CompareOptions &options, const json *stored)
{
    ResolvedVariant out;
    std::string modelDir;
    if (stored && stored->contains("model_dir")) {
        modelDir = (*stored)["model_dir"].get<std::string>();
    } else if (stored && stored->contains("base_url")) {
        auto remote = RemoteStore(ws).find(v.model);
        if (!remote)
            throw Error(ErrorCode::NotFound,
                        where + ": the remote endpoint '" + v.model + "' is no longer registered");
        out.remote = true;
        out.settings = *remote;
    } else if (auto entry = ModelStore(ws).find(v.model)) {
        if (!entry->info.ok) {
            std::string why;
            for (const std::string &p : entry->info.problems)
                why += (why.empty() ? "" : "; ") + p;
            throw Error(ErrorCode::Validation, where + ": model '" + v.model + "' cannot be loaded: " + why);
        }
        modelDir = entry->info.path.string();
    } else if (auto remote = RemoteStore(ws).find(v.model)) {
        out.remote = true;
        out.settings = *remote;
    } else if (fs::exists(fs::path(v.model) / "config.json")) {
        modelDir = fs::absolute(v.model).string();
    } else {
        throw Error(ErrorCode::NotFound,
                    where + ": no workspace model, remote endpoint or model folder named '" +
                        v.model + "'");
    }
    if (out.remote) {
        if (!v.adapter.empty())
            throw Error(ErrorCode::Validation,
                        where + ": a remote endpoint serves its own adapters; register the adapter's "
                                "model name as another remote endpoint instead of 'adapter'");
        out.identity = makeRemoteEndpointIdentity(out.settings);
        out.lineage = {{"model", v.model}, {"base_url", out.settings.baseUrl},
                       {"remote_model", out.settings.model}};
        return out;
    }
    out.modelDir = modelDir;
    if (!fs::exists(fs::path(modelDir) / "config.json"))
        throw Error(ErrorCode::NotFound, where + ": the model folder " + modelDir + " is gone");
    const std::string fp = modelFingerprint(modelDir);
    if (stored && stored->contains("fingerprint") && (*stored)["fingerprint"] != fp)
        throw Error(ErrorCode::Conflict,
                    where + ": the model folder " + modelDir +
                        " changed since the run started; start a new run");
    out.identity = "local:" + fp;
    out.lineage = {{"model", v.model}, {"model_dir", modelDir}, {"fingerprint", fp}};
    const std::string adapterArg =
        stored && stored->contains("adapter_dir") ? (*stored)["adapter_dir"].get<std::string>() : v.adapter;
    if (!adapterArg.empty()) {
        out.adapterDir = resolveAdapterDir(adapterArg, [&ws] { return runsDir(ws); }, where).string();
        const std::string ah = adapterHash(out.adapterDir);
        if (stored && stored->contains("adapter_hash") && (*stored)["adapter_hash"] != ah)
            throw Error(ErrorCode::Conflict, where + ": the adapter " + out.adapterDir +
                                                 " changed since the run started; start a new run");
        out.identity += "+lora:" + ah;
        out.lineage["adapter"] = v.adapter;
        out.lineage["adapter_dir"] = out.adapterDir;
        out.lineage["adapter_hash"] = ah;
    }
    out.identity += "@" + localComputeTag(options);
    return out;
}

std::string lastWordBeforeNumber(const std::string &id)
{
    std::vector<std::string> parts;
    std::string cur;
    for (char ch : id) {
        if (ch == '-' || ch == '_' || ch == '/' || ch == '.') {
            parts.push_back(cur);
            cur.clear();
        } else {
            cur += ch;
        }
    }
    parts.push_back(cur);
    auto numeric = [](const std::string &s) {
        return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
    };
    while (!parts.empty() && (parts.back().empty() || numeric(parts.back())))
        parts.pop_back();
    return parts.empty() ? std::string() : parts.back();
}

} // namespace

std::string localComputeTag(const CompareOptions &options)
{
    const std::string device = options.device.rfind("cuda", 0) == 0 ? "cuda" : options.device;
    return device + "/" + dtypeName(options.dtype);
}

ResolvedExperiment resolveExperiment(Workspace &ws, const Experiment &e,
                                     const CompareOptions &options, const json *lineage)
{
    ResolvedExperiment r;
    r.e = e;
    if (e.variants.empty() || e.templates.empty())
        throw Error(ErrorCode::Validation, "the experiment needs at least one model and one template");
    // dataset
    if (lineage) {
        const json &d = lineage->at("dataset");
        r.datasetName = d.at("name").get<std::string>();
        const fs::path file = d.at("file").get<std::string>();
        r.datasetFile = file.is_absolute() ? file.string() : (ws.filesDir() / file).string();
        r.contentHash = d.at("content_hash").get<std::string>();
        if (!fs::exists(r.datasetFile))
            throw Error(ErrorCode::NotFound, "the run's dataset file is gone", r.datasetFile);
        if (file.is_absolute() && fileSha256(r.datasetFile) != r.contentHash)
            throw Error(ErrorCode::Conflict,
                        "the dataset file changed since the run started; start a new run",
                        r.datasetFile);
    } else if (auto info = DatasetStore(ws).find(e.dataset)) {
        r.datasetName = info->name;
        r.datasetFile = (ws.filesDir() / info->latest.filePath).string();
        r.contentHash = info->latest.contentHash;
    } else if (fs::is_regular_file(e.dataset)) {
        r.datasetName = fs::path(e.dataset).stem().string();
        r.datasetFile = fs::absolute(e.dataset).string();
        r.contentHash = fileSha256(r.datasetFile);
    } else {
        throw Error(ErrorCode::NotFound, "dataset: no workspace dataset or file named '" +
                                             e.dataset + "' (llmwb dataset list)");
    }
    const ParsedDataset parsed = parseDatasetFile(r.datasetFile);
    if (parsed.fatal || parsed.records.empty())
        throw Error(ErrorCode::Validation,
                    "dataset " + r.datasetName + ": no usable records" +
                        (parsed.issues.empty() ? "" : " (" + parsed.issues.front().toString() + ")"));
    if (parsed.format != DatasetFormat::Logic)
        throw Error(ErrorCode::Validation,
                    "dataset " + r.datasetName + " is " + formatName(parsed.format) +
                        ", not logic: Compare scores multiple-choice questions");
    r.records = selectRecords(parsed.records, *datasetSideFromName(e.split), e.evalFraction,
                              e.splitSeed, e.limit);
    if (r.records.empty())
        throw Error(ErrorCode::Validation, "dataset " + r.datasetName + " split " + e.split +
                                               ": no problems selected");
    // templates
    json templates = json::array();
    for (size_t i = 0; i < e.templates.size(); ++i) {
        const std::string &name = e.templates[i];
        if (lineage) {
            r.templateBodies.push_back(lineage->at("templates").at(i).at("body").get<std::string>());
            continue;
        }
        std::string body;
        int version = 0;
        if (auto t = TemplateStore(ws).find(name)) {
            body = t->latest.body;
            version = t->latest.version;
        } else {
            for (const auto &b : builtinTemplates())
                if (b.name == name)
                    body = b.body;
            if (body.empty() && fs::is_regular_file(name))
                body = readFile(name);
            if (body.empty())
                throw Error(ErrorCode::NotFound,
                            "templates[" + std::to_string(i) + "]: no workspace template, built-in "
                            "or file named '" + name + "' (llmwb template list)");
        }
        try {
            PromptTemplate::parse(body);
        } catch (const std::exception &ex) {
            throw Error(ErrorCode::Validation, "template '" + name + "': " + ex.what());
        }
        r.templateBodies.push_back(body);
        templates.push_back({{"name", name}, {"version", version}, {"body", body}});
    }
    // knowledge bases exist
    for (size_t i = 0; i < e.rag.size(); ++i)
        if (e.rag[i].enabled) {
            try {
                rag::KnowledgeBase::info(ws, e.rag[i].collection);
            } catch (const Error &) {
                throw Error(ErrorCode::NotFound, "rag[" + std::to_string(i) + "]: no knowledge base named '" +
                                                     e.rag[i].collection + "' (llmwb kb list)");
            }
        }
    // variants
    json variants = json::array();
    for (size_t i = 0; i < e.variants.size(); ++i) {
        const json *stored = lineage ? &lineage->at("variants").at(i) : nullptr;
        r.variants.push_back(resolveVariant(ws, e.variants[i], "variants[" + std::to_string(i) + "]",
                                            options, stored));
        variants.push_back(r.variants.back().lineage);
        if (e.method == "loglik" && r.variants.back().remote)
            throw Error(ErrorCode::Validation,
                        "variants[" + std::to_string(i) + "]: '" + e.variants[i].model +
                            "' is a remote endpoint; log-likelihood scoring needs a local model "
                            "(use method generate)");
    }
    if (lineage) {
        r.lineage = *lineage;
    } else {
        json seeds = json::array();
        for (const Decoding &d : e.decoding)
            seeds.push_back(d.seed);
        const fs::path rel = fs::path(r.datasetFile).lexically_relative(ws.filesDir());
        const bool inside = !rel.empty() && rel.begin()->string() != "..";
        r.lineage = {{"app_version", WB_VERSION},
                     {"dataset",
                      {{"name", r.datasetName},
                       {"file", inside ? rel.string() : r.datasetFile},
                       {"content_hash", r.contentHash},
                       {"problems", r.records.size()},
                       {"split", e.split},
                       {"eval_fraction", e.evalFraction},
                       {"split_seed", e.splitSeed},
                       {"limit", e.limit}}},
                     {"templates", templates},
                     {"variants", variants},
                     {"seeds", seeds},
                     {"compute", localComputeTag(options)}};
    }
    return r;
}

std::vector<CompareQuestion> questionsOf(const std::vector<DatasetRecord> &records)
{
    std::vector<CompareQuestion> out;
    for (const DatasetRecord &record : records) {
        const auto contexts = templateContexts(DatasetFormat::Logic, record);
        json fields = json::object();
        for (const auto &[key, value] : record.data.items())
            if (value.is_string() && key != "problem" && key != "id" && value.get<std::string>().size() <= 64)
                fields[key] = value;
            else if (value.is_number() || value.is_boolean())
                fields[key] = value.dump();
        const std::string id = record.data.value("id", std::string());
        if (!fields.contains("family")) {
            const std::string family = lastWordBeforeNumber(id);
            if (!family.empty())
                fields["family"] = family;
        }
        for (size_t q = 0; q < contexts.size(); ++q) {
            const json &ctx = contexts[q];
            CompareQuestion cq;
            cq.qidx = out.size();
            cq.recordId = ctx.value("id", id);
            cq.row = record.row;
            cq.question = q;
            cq.text = ctx.value("question", std::string());
            cq.options = ctx["options"].get<std::vector<std::string>>();
            cq.expected = ctx.value("answer", std::string());
            cq.fields = fields;
            cq.fields["options"] = std::to_string(cq.options.size());
            if (cq.options.empty())
                throw Error(ErrorCode::Validation, "row " + std::to_string(record.row) + " question " +
                                                       std::to_string(q + 1) + " has no options");
            out.push_back(std::move(cq));
        }
    }
    return out;
}

CellInputs buildCellInputs(Workspace &ws, const ResolvedExperiment &r, const Cell &cell,
                           InputCaches &caches)
{
    const Experiment &e = r.e;
    const ResolvedVariant &v = r.variants[cell.variant];
    const RagSetting &ragSetting = e.rag[cell.rag];
    const Decoding &dec = e.decoding[cell.decoding];
    std::string body = r.templateBodies[cell.templ];
    CellInputs in;

    // Retrieval: one search per distinct question, its hits kept for the per-question view.
    std::map<std::string, std::pair<std::string, json>> retrieved;
    std::function<std::string(const json &)> contextFor;
    if (ragSetting.enabled) {
        if (body.find("context") == std::string::npos)
            body = "{{#if context}}{{context}}\n\n{{/if}}" + body; // passages before the prompt
        auto &kb = caches.kbs[ragSetting.collection];
        if (!kb)
            kb = rag::KnowledgeBase::open(ws, ragSetting.collection);
        rag::SearchOptions so;
        so.topK = ragSetting.k;
        rag::KnowledgeBase *kbp = kb.get();
        contextFor = [&retrieved, kbp, so](const json &vars) {
            const std::string query = rag::retrievalQuery(vars);
            auto it = retrieved.find(query);
            if (it == retrieved.end()) {
                const auto hits = query.empty() ? std::vector<rag::SearchHit>{} : kbp->search(query, so);
                json hj = json::array();
                for (const auto &h : hits)
                    hj.push_back({{"source", rag::sourceLabel(h)}, {"score", h.fusedScore},
                                  {"text", h.text}});
                it = retrieved.emplace(query, std::make_pair(rag::formatContext(hits, 4000), hj)).first;
            }
            return it->second.first;
        };
    }

    // Prompt texts (what a remote endpoint is sent; shown and hashed for every endpoint).
    const PromptTemplate tpl = PromptTemplate::parse(body);
    std::vector<std::string> texts;
    for (const DatasetRecord &record : r.records)
        for (json ctx : templateContexts(DatasetFormat::Logic, record)) {
            if (contextFor)
                ctx["context"] = contextFor(ctx);
            try {
                texts.push_back(tpl.render(ctx));
            } catch (const std::exception &ex) {
                throw Error(ErrorCode::Validation, "template '" + e.templates[cell.templ] + "' on row " +
                                                       std::to_string(record.row) + ": " + ex.what());
            }
            in.contexts.push_back(contextFor ? retrieved[rag::retrievalQuery(ctx)].second : json());
        }

    EvalQuestions built;
    if (!v.remote) {
        auto &tok = caches.tokenizers[v.modelDir];
        if (!tok)
            tok = Tokenizer::load(v.modelDir);
        const ChatTemplate *chat = nullptr;
        if (e.chatTemplate) {
            auto &ct = caches.chats[v.modelDir];
            if (!ct) {
                auto loaded = ChatTemplate::fromModelDir(v.modelDir);
                if (!loaded)
                    throw Error(ErrorCode::Validation,
                                "model '" + e.variants[cell.variant].model +
                                    "' has no chat template (tokenizer_config.json); set "
                                    "chat_template to false",
                                v.modelDir);
                ct = std::make_shared<ChatTemplate>(std::move(*loaded));
            }
            chat = ct.get();
        }
        // Unanswered sub-questions (a test file) are asked too: a placeholder answer lets the
        // builder keep them; the run's questions keep the real (empty) answer.
        std::vector<DatasetRecord> filled = r.records;
        for (DatasetRecord &rec : filled)
            for (json &q : rec.data["questions"])
                if (!q.contains("answer") || !q["answer"].is_string() || q["answer"].get<std::string>().empty())
                    q["answer"] = "A";
        built = buildEvalQuestions(filled, *tok, chat, body, ScoreTarget::Letter, contextFor);
        if (built.questions.size() != texts.size())
            throw Error(ErrorCode::Internal, "compare: question count differs between renderings");
    }

    const int samples = cellSamples(e, cell);
    for (size_t q = 0; q < texts.size(); ++q) {
        json base = {{"endpoint", v.identity}, {"method", e.method}};
        if (e.method == "loglik") {
            in.choices.push_back(built.questions[q].choice);
            base["prompt"] = in.choices.back().prompt;
            base["continuations"] = in.choices.back().continuations;
            in.keys.push_back({Sha256::hex(base.dump())});
            continue;
        }
        CompletionRequest req;
        req.prompt = texts[q];
        req.chat = e.chatTemplate;
        if (!v.remote)
            req.promptTokens = built.questions[q].prompt;
        req.temperature = dec.temperature;
        req.topP = dec.topP;
        req.maxNewTokens = dec.maxNewTokens;
        base["prompt"] = req.prompt;
        base["chat"] = req.chat;
        if (!v.remote)
            base["tokens"] = req.promptTokens;
        base["temperature"] = dec.temperature;
        base["top_p"] = dec.topP;
        base["max_new_tokens"] = dec.maxNewTokens;
        std::vector<std::string> keys;
        for (int s = 0; s < samples; ++s) {
            json k = base;
            k["sample"] = s;
            k["seed"] = dec.sampleSeed(s);
            keys.push_back(Sha256::hex(k.dump()));
        }
        in.keys.push_back(std::move(keys));
        in.requests.push_back(std::move(req));
    }
    return in;
}

void extractInto(CompareSample &s, const std::vector<std::string> &options)
{
    const ExtractedAnswer a = extractAnswer(s.text, options);
    s.extracted = a.letter;
    s.extractNote = a.ok() ? extractMethodName(a.method) : a.reason;
}

void storeSamples(Workspace &ws, int64_t runId, const std::vector<StoredSample> &samples,
                  bool writeCache, const std::string &endpoint)
{
    if (samples.empty())
        return;
    const std::string now = nowIso8601();
    ws.withDb([&](Database &db) {
        db.transaction([&] {
            auto st = db.prepare(
                "INSERT OR REPLACE INTO compare_samples (run_id, cell, qidx, sample, text, "
                "extracted, extract_note, finish_reason, prompt_tokens, output_tokens, latency_s, "
                "ttft_s, cached, cache_key, extra) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, "
                "?11, ?12, ?13, ?14, ?15)");
            auto cache = db.prepare(
                "INSERT OR REPLACE INTO response_cache (key, endpoint, text, finish_reason, "
                "prompt_tokens, output_tokens, latency_s, ttft_s, extra, created_at) VALUES (?1, "
                "?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)");
            for (const StoredSample &x : samples) {
                const CompareSample &s = x.s;
                st.reset();
                st.bind(1, runId).bind(2, x.cell).bind(3, int64_t(x.qidx)).bind(4, s.sample)
                    .bind(5, s.text).bind(6, s.extracted).bind(7, s.extractNote)
                    .bind(8, s.finishReason).bind(9, s.promptTokens).bind(10, s.outputTokens)
                    .bind(11, s.latencySeconds).bind(12, s.ttftSeconds).bind(13, s.cached ? 1 : 0)
                    .bind(14, x.cacheKey).bind(15, s.extra.dump());
                st.exec();
                if (writeCache && !s.cached && !x.cacheKey.empty()) {
                    json extra = s.extra;
                    extra.erase("context"); // retrieval is redone per run, not cached
                    cache.reset();
                    cache.bind(1, x.cacheKey).bind(2, endpoint).bind(3, s.text)
                        .bind(4, s.finishReason).bind(5, s.promptTokens).bind(6, s.outputTokens)
                        .bind(7, s.latencySeconds).bind(8, s.ttftSeconds).bind(9, extra.dump())
                        .bind(10, now);
                    cache.exec();
                }
            }
        });
    });
}

std::optional<CompareSample> cachedResponse(Workspace &ws, const std::string &key)
{
    return ws.withDb([&](Database &db) -> std::optional<CompareSample> {
        auto st = db.prepare("SELECT text, finish_reason, prompt_tokens, output_tokens, latency_s, "
                             "ttft_s, extra FROM response_cache WHERE key = ?1");
        st.bind(1, key);
        if (!st.step())
            return std::nullopt;
        CompareSample s;
        s.text = st.text(0);
        s.finishReason = st.text(1);
        s.promptTokens = int(st.int64(2));
        s.outputTokens = int(st.int64(3));
        s.latencySeconds = st.real(4);
        s.ttftSeconds = st.real(5);
        s.extra = json::parse(st.text(6), nullptr, false);
        if (!s.extra.is_object())
            s.extra = json::object();
        s.cached = true;
        return s;
    });
}

std::set<std::tuple<std::string, size_t, int>> storedSampleKeys(Workspace &ws, int64_t runId)
{
    return ws.withDb([&](Database &db) {
        std::set<std::tuple<std::string, size_t, int>> out;
        auto st = db.prepare("SELECT cell, qidx, sample FROM compare_samples WHERE run_id = ?1");
        st.bind(1, runId);
        while (st.step())
            out.emplace(st.text(0), size_t(st.int64(1)), int(st.int64(2)));
        return out;
    });
}

CompareRunInfo createCompareRun(Workspace &ws, const Experiment &e, const std::string &name,
                                bool noCache)
{
    CompareOptions defaults;
    ResolvedExperiment r = resolveExperiment(ws, e, defaults);
    const std::vector<CompareQuestion> questions = questionsOf(r.records);
    CompareStore store(ws);
    std::string runName = name;
    if (runName.empty()) {
        for (int n = 1;; ++n) {
            runName = e.name + "-" + std::to_string(n);
            if (!store.findRun(runName))
                break;
        }
    } else if (store.findRun(runName)) {
        throw Error(ErrorCode::Conflict, "a comparison run named '" + runName +
                                             "' exists (llmwb compare list); pick another --name");
    }
    ws.withDb([&](Database &db) {
        db.transaction([&] {
            auto st = db.prepare("INSERT INTO compare_runs (name, experiment, lineage, state, "
                                 "no_cache, created_at) VALUES (?1, ?2, ?3, 'running', ?4, ?5)");
            st.bind(1, runName).bind(2, e.toJson().dump()).bind(3, r.lineage.dump())
                .bind(4, noCache ? 1 : 0).bind(5, nowIso8601());
            st.exec();
            const int64_t id = db.lastInsertId();
            auto q = db.prepare("INSERT INTO compare_questions (run_id, qidx, record_id, row, "
                                "question, text, options, expected, fields) VALUES (?1, ?2, ?3, "
                                "?4, ?5, ?6, ?7, ?8, ?9)");
            for (const CompareQuestion &cq : questions) {
                q.reset();
                q.bind(1, id).bind(2, int64_t(cq.qidx)).bind(3, cq.recordId).bind(4, int64_t(cq.row))
                    .bind(5, int64_t(cq.question)).bind(6, cq.text).bind(7, json(cq.options).dump())
                    .bind(8, cq.expected).bind(9, cq.fields.dump());
                q.exec();
            }
        });
    });
    return store.getRun(runName);
}

ComparePlan planCompare(Workspace &ws, const Experiment &e, const CompareOptions &options)
{
    ResolvedExperiment r = resolveExperiment(ws, e, options);
    ComparePlan plan;
    plan.questions = questionsOf(r.records).size();
    InputCaches caches;
    for (const Cell &c : experimentCells(e)) {
        ++plan.cells;
        const CellInputs in = buildCellInputs(ws, r, c, caches);
        for (const auto &keys : in.keys)
            for (const std::string &k : keys) {
                ++plan.samples;
                if (!options.noCache && cachedResponse(ws, k))
                    ++plan.cached;
            }
    }
    return plan;
}

} // namespace wb

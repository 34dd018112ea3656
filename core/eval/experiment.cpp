#include "eval/experiment.h"

#include "common/error.h"
#include "common/files.h"

#include <cmath>
#include <cstdio>
#include <set>

namespace wb {

using nlohmann::json;

namespace {

[[noreturn]] void fail(const std::string &where, const std::string &message)
{
    throw Error(ErrorCode::Validation, where + ": " + message);
}

void onlyKeys(const json &j, const std::set<std::string> &allowed, const std::string &where)
{
    if (!j.is_object())
        fail(where, "must be a JSON object");
    for (const auto &[key, value] : j.items())
        if (!allowed.count(key)) {
            std::string list;
            for (const std::string &k : allowed)
                list += (list.empty() ? "" : ", ") + k;
            fail(where, "unknown key '" + key + "' (known: " + list + ")");
        }
}

std::string str(const json &j, const char *key, const std::string &where, bool required,
                const std::string &fallback = {})
{
    if (!j.contains(key)) {
        if (required)
            fail(where, std::string("'") + key + "' is missing");
        return fallback;
    }
    if (!j[key].is_string())
        fail(where, std::string("'") + key + "' must be a string");
    return j[key].get<std::string>();
}

double number(const json &j, const char *key, const std::string &where, double fallback,
              double lo, double hi)
{
    if (!j.contains(key))
        return fallback;
    if (!j[key].is_number())
        fail(where, std::string("'") + key + "' must be a number");
    const double v = j[key].get<double>();
    if (!(v >= lo && v <= hi)) {
        char buf[160];
        std::snprintf(buf, sizeof buf, "'%s' is %g, outside %g .. %g", key, v, lo, hi);
        fail(where, buf);
    }
    return v;
}

int64_t integer(const json &j, const char *key, const std::string &where, int64_t fallback,
                int64_t lo, int64_t hi)
{
    if (!j.contains(key))
        return fallback;
    if (!j[key].is_number_integer() && !j[key].is_number_unsigned())
        fail(where, std::string("'") + key + "' must be an integer");
    const int64_t v = j[key].get<int64_t>();
    if (v < lo || v > hi)
        fail(where, std::string("'") + key + "' is " + std::to_string(v) + ", outside " +
                        std::to_string(lo) + " .. " + std::to_string(hi));
    return v;
}

const json &list(const json &j, const char *key, const std::string &where, bool required)
{
    static const json empty = json::array();
    if (!j.contains(key)) {
        if (required)
            fail(where, std::string("'") + key + "' is missing");
        return empty;
    }
    if (!j[key].is_array())
        fail(where, std::string("'") + key + "' must be a list");
    if (required && j[key].empty())
        fail(where, std::string("'") + key + "' is empty");
    return j[key];
}

std::string trimmed(double v)
{
    char buf[32];
    std::snprintf(buf, sizeof buf, "%g", v);
    return buf;
}

} // namespace

json Decoding::toJson() const
{
    return {{"label", label},     {"temperature", temperature}, {"top_p", topP},
            {"samples", samples}, {"seed", seed},               {"max_new_tokens", maxNewTokens}};
}

std::string Variant::displayName() const
{
    if (!label.empty())
        return label;
    if (adapter.empty())
        return model;
    return model + " + " + std::filesystem::path(adapter).filename().string();
}

std::string RagSetting::displayName() const
{
    return enabled ? collection + " k=" + std::to_string(k) : std::string("rag off");
}

json RagSetting::toJson() const
{
    return enabled ? json{{"collection", collection}, {"k", k}} : json(nullptr);
}

Experiment Experiment::fromJson(const json &j, const std::string &where)
{
    onlyKeys(j,
             {"name", "dataset", "split", "limit", "method", "variants", "templates",
              "chat_template", "rag", "decoding", "ensembles", "eval_fraction", "split_seed"},
             where);
    Experiment e;
    e.name = str(j, "name", where, false, "experiment");
    if (e.name.empty())
        fail(where, "'name' is empty");
    e.dataset = str(j, "dataset", where, true);
    e.split = str(j, "split", where, false, "all");
    if (e.split != "all" && e.split != "train" && e.split != "eval")
        fail(where, "'split' is '" + e.split + "', not all, train or eval");
    e.limit = size_t(integer(j, "limit", where, 0, 0, INT64_MAX));
    e.method = str(j, "method", where, false, "generate");
    if (e.method != "generate" && e.method != "loglik")
        fail(where, "'method' is '" + e.method + "', not generate or loglik");
    e.evalFraction = number(j, "eval_fraction", where, 0.1, 0.0, 0.9);
    e.splitSeed = uint64_t(integer(j, "split_seed", where, 42, 0, INT64_MAX));
    if (j.contains("chat_template")) {
        if (!j["chat_template"].is_boolean())
            fail(where, "'chat_template' must be true or false");
        e.chatTemplate = j["chat_template"].get<bool>();
    }

    const json &variants = list(j, "variants", where, true);
    for (size_t i = 0; i < variants.size(); ++i) {
        const std::string w = where + ": variants[" + std::to_string(i) + "]";
        const json &v = variants[i];
        if (v.is_string()) {
            e.variants.push_back({v.get<std::string>(), {}, {}});
            continue;
        }
        onlyKeys(v, {"model", "adapter", "label"}, w);
        Variant out;
        out.model = str(v, "model", w, true);
        out.adapter = v.contains("adapter") && v["adapter"].is_null() ? std::string()
                                                                      : str(v, "adapter", w, false);
        out.label = str(v, "label", w, false);
        if (out.model.empty())
            fail(w, "'model' is empty");
        e.variants.push_back(std::move(out));
    }

    const json &templates = list(j, "templates", where, true);
    for (size_t i = 0; i < templates.size(); ++i) {
        if (!templates[i].is_string() || templates[i].get<std::string>().empty())
            fail(where, "templates[" + std::to_string(i) + "] must be a template name");
        e.templates.push_back(templates[i].get<std::string>());
    }

    if (j.contains("rag")) {
        const json &rag = list(j, "rag", where, true);
        e.rag.clear();
        for (size_t i = 0; i < rag.size(); ++i) {
            const std::string w = where + ": rag[" + std::to_string(i) + "]";
            if (rag[i].is_null()) {
                e.rag.push_back({});
                continue;
            }
            onlyKeys(rag[i], {"collection", "k"}, w);
            RagSetting r;
            r.enabled = true;
            r.collection = str(rag[i], "collection", w, true);
            r.k = int(integer(rag[i], "k", w, 4, 1, 100));
            e.rag.push_back(std::move(r));
        }
    }

    if (j.contains("decoding")) {
        const json &decoding = list(j, "decoding", where, true);
        e.decoding.clear();
        for (size_t i = 0; i < decoding.size(); ++i) {
            const std::string w = where + ": decoding[" + std::to_string(i) + "]";
            onlyKeys(decoding[i], {"label", "temperature", "top_p", "samples", "seed", "max_new_tokens"}, w);
            Decoding d;
            d.temperature = float(number(decoding[i], "temperature", w, 0, 0, 5));
            d.topP = float(number(decoding[i], "top_p", w, 1, 0.0001, 1));
            d.samples = int(integer(decoding[i], "samples", w, 1, 1, 256));
            d.seed = uint64_t(integer(decoding[i], "seed", w, 0, 0, INT64_MAX));
            d.maxNewTokens = int(integer(decoding[i], "max_new_tokens", w, 256, 1, 32768));
            d.label = str(decoding[i], "label", w, false);
            if (d.label.empty())
                d.label = d.greedy() ? std::string("greedy")
                                     : std::to_string(d.samples) + " × T=" + trimmed(d.temperature);
            e.decoding.push_back(std::move(d));
        }
    }

    const size_t cells = e.variants.size() * e.templates.size() * e.rag.size() * e.decoding.size();
    const json &ensembles = list(j, "ensembles", where, false);
    for (size_t i = 0; i < ensembles.size(); ++i) {
        const std::string w = where + ": ensembles[" + std::to_string(i) + "]";
        onlyKeys(ensembles[i], {"label", "members"}, w);
        Ensemble en;
        en.label = str(ensembles[i], "label", w, false, "e" + std::to_string(i));
        const json &members = list(ensembles[i], "members", w, true);
        std::set<std::string> seen;
        for (const json &m : members) {
            if (!m.is_string())
                fail(w, "'members' must list cell ids (\"c0\", \"c1\", ...)");
            const std::string id = m.get<std::string>();
            size_t index = 0;
            bool ok = id.size() > 1 && id[0] == 'c';
            for (size_t k = 1; ok && k < id.size(); ++k)
                ok = std::isdigit(static_cast<unsigned char>(id[k]));
            if (ok)
                index = std::stoul(id.substr(1));
            if (!ok || index >= cells)
                fail(w, "member '" + id + "' is not a cell of this experiment (c0 .. c" +
                            std::to_string(cells - 1) + ")");
            if (!seen.insert(id).second)
                fail(w, "member '" + id + "' is listed twice");
            en.members.push_back(id);
        }
        e.ensembles.push_back(std::move(en));
    }
    return e;
}

Experiment Experiment::fromFile(const std::string &path)
{
    const std::string text = readFile(path);
    const json j = json::parse(text, nullptr, false);
    if (j.is_discarded())
        throw Error(ErrorCode::Parse, path + " is not valid JSON", path);
    return fromJson(j, path);
}

json Experiment::toJson() const
{
    json j = {{"name", name},     {"dataset", dataset}, {"split", split},
              {"limit", limit},   {"method", method},   {"templates", templates},
              {"chat_template", chatTemplate}};
    j["variants"] = json::array();
    for (const Variant &v : variants) {
        json o = {{"model", v.model}};
        if (!v.adapter.empty())
            o["adapter"] = v.adapter;
        if (!v.label.empty())
            o["label"] = v.label;
        j["variants"].push_back(o);
    }
    j["rag"] = json::array();
    for (const RagSetting &r : rag)
        j["rag"].push_back(r.toJson());
    j["decoding"] = json::array();
    for (const Decoding &d : decoding)
        j["decoding"].push_back(d.toJson());
    j["ensembles"] = json::array();
    for (const Ensemble &en : ensembles)
        j["ensembles"].push_back({{"label", en.label}, {"members", en.members}});
    if (split != "all") {
        j["eval_fraction"] = evalFraction;
        j["split_seed"] = splitSeed;
    }
    return j;
}

std::vector<Cell> experimentCells(const Experiment &e)
{
    std::vector<Cell> cells;
    for (size_t v = 0; v < e.variants.size(); ++v)
        for (size_t t = 0; t < e.templates.size(); ++t)
            for (size_t r = 0; r < e.rag.size(); ++r)
                for (size_t d = 0; d < e.decoding.size(); ++d)
                    cells.push_back({"c" + std::to_string(cells.size()), v, t, r, d});
    return cells;
}

int cellSamples(const Experiment &e, const Cell &c)
{
    return e.method == "loglik" ? 1 : std::max(1, e.decoding[c.decoding].samples);
}

std::string cellLabel(const Experiment &e, const Cell &c)
{
    std::string s = e.variants[c.variant].displayName() + " · " + e.templates[c.templ];
    if (e.rag.size() > 1 || e.rag[c.rag].enabled)
        s += " · " + e.rag[c.rag].displayName();
    if (e.method != "loglik" || e.decoding.size() > 1)
        s += " · " + e.decoding[c.decoding].label;
    return s;
}

} // namespace wb

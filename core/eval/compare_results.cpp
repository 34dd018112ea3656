// What a comparison run's results say (compare.h): results.json, paired differences, votes
// curves, breakdowns and exports. Plain functions over the stored records.

#include "eval/compare.h"

#include "common/error.h"
#include "eval/accuracy.h"
#include "eval/voting.h"
#include "store/workspace.h"

#include <cstdio>
#include <map>
#include <set>
#include <sstream>

namespace wb {

using nlohmann::json;

namespace {

std::string fmt(const char *f, double v)
{
    char buf[64];
    std::snprintf(buf, sizeof buf, f, v);
    return buf;
}

std::string csvField(const std::string &s)
{
    if (s.find_first_of(",\"\n\r") == std::string::npos)
        return s;
    std::string out = "\"";
    for (char c : s)
        out += c == '"' ? std::string("\"\"") : std::string(1, c);
    return out + "\"";
}

std::string mdField(std::string s)
{
    std::string out;
    for (char c : s)
        out += c == '|' ? std::string("\\|") : c == '\n' ? std::string(" ") : std::string(1, c);
    return out;
}

std::string ragName(const json &rag)
{
    return rag.is_null() ? std::string("off")
                         : rag.value("collection", std::string()) + " k=" + std::to_string(rag.value("k", 0));
}

} // namespace

json CellResult::toJson(const std::vector<CompareQuestion> &qs, bool withQuestions) const
{
    json j = {{"id", id},
              {"label", label},
              {"method", method},
              {"samples", samples},
              {"answered", answered},
              {"correct", correct},
              {"unextracted", unextracted},
              {"accuracy", accuracy},
              {"ci95", {ci95.first, ci95.second}},
              {"mean_output_tokens", meanOutputTokens},
              {"unextracted_rate", answered ? double(unextracted) / double(answered) : 0.0},
              {"mean_latency_s", meanLatency},
              {"mean_ttft_s", meanTtft},
              {"tokens_per_s", tokensPerSecond},
              {"done_samples", doneSamples},
              {"total_samples", totalSamples},
              {"cached_samples", cachedSamples}};
    if (members.empty()) {
        j["model"] = model;
        j["adapter"] = adapter;
        j["template"] = templ;
        j["rag"] = rag;
        j["decoding"] = decoding;
    } else {
        j["members"] = members;
    }
    if (withQuestions) {
        json arr = json::array();
        for (const CellQuestion &q : questions) {
            const CompareQuestion &cq = qs[q.qidx];
            json samplesJson = json::array();
            for (const CompareSample &s : q.samples) {
                json sj = {{"text", s.text}, {"extracted", s.extracted}};
                if (s.extra.contains("logprobs"))
                    sj["logprobs"] = s.extra["logprobs"];
                samplesJson.push_back(std::move(sj));
            }
            json qj = {{"record_id", cq.recordId}, {"question", cq.question + 1},
                       {"expected", cq.expected},  {"samples", samplesJson},
                       {"voted", q.voted},         {"correct", q.correct}};
            if (!q.samples.empty() && q.samples.front().extra.contains("context"))
                qj["context"] = q.samples.front().extra["context"];
            arr.push_back(std::move(qj));
        }
        j["questions"] = std::move(arr);
    }
    return j;
}

const CellResult *CompareResults::find(const std::string &id) const
{
    for (const CellResult &c : cells)
        if (c.id == id)
            return &c;
    for (const CellResult &c : ensembles)
        if (c.id == id)
            return &c;
    return nullptr;
}

json CompareResults::toJson(bool withQuestions) const
{
    json j = {{"run", run.name},
              {"state", run.state},
              {"experiment", run.experiment.toJson()},
              {"lineage", run.lineage}};
    j["cells"] = json::array();
    for (const CellResult &c : cells)
        j["cells"].push_back(c.toJson(questions, withQuestions));
    j["ensembles"] = json::array();
    for (const CellResult &c : ensembles)
        j["ensembles"].push_back(c.toJson(questions, withQuestions));
    if (const CellResult *b = best())
        j["best"] = b->id;
    return j;
}

size_t CompareResults::doneSamples() const
{
    size_t n = 0;
    for (const CellResult &c : cells)
        n += c.doneSamples;
    return n;
}

size_t CompareResults::totalSamples() const
{
    size_t n = 0;
    for (const CellResult &c : cells)
        n += c.totalSamples;
    return n;
}

const CellResult *CompareResults::best() const
{
    const CellResult *b = nullptr;
    for (const auto *list : {&cells, &ensembles})
        for (const CellResult &c : *list)
            if (c.answered > 0 && (!b || c.accuracy > b->accuracy))
                b = &c;
    return b;
}

CellDiff diffCells(const CompareResults &r, const std::string &a, const std::string &b)
{
    const CellResult *ca = r.find(a);
    const CellResult *cb = r.find(b);
    if (!ca || !cb)
        throw Error(ErrorCode::NotFound, "run " + r.run.name + " has no cell or ensemble '" +
                                             (ca ? b : a) + "' (cells are c0, c1, ...)");
    CellDiff d;
    d.a = a;
    d.b = b;
    for (size_t qi = 0; qi < r.questions.size(); ++qi) {
        const CellQuestion &qa = ca->questions[qi];
        const CellQuestion &qb = cb->questions[qi];
        if (!qa.complete || !qb.complete)
            continue;
        if (qa.voted != qb.voted)
            d.disagree.push_back(qi);
        if (r.questions[qi].expected.empty())
            continue;
        ++d.paired;
        if (qa.correct && qb.correct)
            ++d.bothRight;
        else if (!qa.correct && !qb.correct)
            ++d.bothWrong;
        else if (qa.correct)
            ++d.onlyA;
        else
            ++d.onlyB;
    }
    d.p = mcnemarExactP(d.onlyA, d.onlyB);
    return d;
}

json CellDiff::toJson(const CompareResults &r) const
{
    const CellResult *ca = r.find(a);
    const CellResult *cb = r.find(b);
    json dis = json::array();
    for (size_t qi : disagree) {
        const CompareQuestion &q = r.questions[qi];
        dis.push_back({{"record_id", q.recordId},
                       {"question", q.question + 1},
                       {"expected", q.expected},
                       {"a", ca->questions[qi].voted},
                       {"b", cb->questions[qi].voted}});
    }
    return {{"a", a},
            {"b", b},
            {"paired", paired},
            {"both_right", bothRight},
            {"both_wrong", bothWrong},
            {"b_count", onlyA},
            {"c_count", onlyB},
            {"accuracy_a", ca->accuracy},
            {"accuracy_b", cb->accuracy},
            {"mcnemar_p", p},
            {"disagree", dis}};
}

std::vector<double> accuracyByVotes(const CellResult &cell, const CompareResults &r)
{
    std::vector<double> out;
    for (int k = 1; k <= cell.samples; ++k) {
        size_t answered = 0, correct = 0;
        for (const CellQuestion &q : cell.questions) {
            if (!q.complete || r.questions[q.qidx].expected.empty())
                continue;
            std::vector<std::string> votes;
            for (int s = 0; s < k && s < int(q.samples.size()); ++s)
                votes.push_back(q.samples[size_t(s)].extracted);
            ++answered;
            const std::string v = majorityVote(votes);
            correct += !v.empty() && v == r.questions[q.qidx].expected ? 1 : 0;
        }
        out.push_back(answered ? double(correct) / double(answered) : 0);
    }
    return out;
}

std::vector<std::string> breakdownFields(const CompareResults &r)
{
    std::map<std::string, std::set<std::string>> values;
    for (const CompareQuestion &q : r.questions)
        if (q.fields.is_object())
            for (const auto &[k, v] : q.fields.items())
                values[k].insert(v.is_string() ? v.get<std::string>() : v.dump());
    std::vector<std::string> out;
    if (values.count("family") && values["family"].size() >= 2)
        out.push_back("family");
    for (const auto &[k, v] : values)
        if (k != "family" && v.size() >= 2 && v.size() <= 40)
            out.push_back(k);
    return out;
}

std::vector<GroupAccuracy> breakdown(const CellResult &cell, const CompareResults &r,
                                     const std::string &field)
{
    std::map<std::string, GroupAccuracy> groups;
    std::vector<std::string> order;
    for (const CellQuestion &q : cell.questions) {
        const CompareQuestion &cq = r.questions[q.qidx];
        if (!q.complete || cq.expected.empty())
            continue;
        std::string g = "(none)";
        if (cq.fields.is_object() && cq.fields.contains(field))
            g = cq.fields[field].is_string() ? cq.fields[field].get<std::string>() : cq.fields[field].dump();
        auto [it, added] = groups.try_emplace(g);
        if (added) {
            it->second.group = g;
            order.push_back(g);
        }
        ++it->second.answered;
        it->second.correct += q.correct ? 1 : 0;
    }
    std::sort(order.begin(), order.end());
    std::vector<GroupAccuracy> out;
    for (const std::string &g : order)
        out.push_back(groups[g]);
    return out;
}

std::string exportResults(const CompareResults &r, const std::string &format)
{
    std::vector<const CellResult *> all;
    for (const CellResult &c : r.cells)
        all.push_back(&c);
    for (const CellResult &c : r.ensembles)
        all.push_back(&c);
    if (format == "json")
        return r.toJson(true).dump(2) + "\n";
    if (format == "csv") {
        std::string out = "id,label,model,adapter,template,rag,decoding,method,samples,answered,"
                          "correct,unextracted,accuracy,ci95_lo,ci95_hi,mean_output_tokens,"
                          "mean_latency_s,tokens_per_s,members\n";
        for (const CellResult *c : all) {
            std::string members;
            for (const std::string &m : c->members)
                members += (members.empty() ? "" : " ") + m;
            out += csvField(c->id) + "," + csvField(c->label) + "," + csvField(c->model) + "," +
                   csvField(c->adapter) + "," + csvField(c->templ) + "," +
                   csvField(c->members.empty() ? ragName(c->rag) : "") + "," +
                   csvField(c->decoding.is_object() ? c->decoding.value("label", "") : "") + "," +
                   c->method + "," + std::to_string(c->samples) + "," + std::to_string(c->answered) +
                   "," + std::to_string(c->correct) + "," + std::to_string(c->unextracted) + "," +
                   fmt("%.6f", c->accuracy) + "," + fmt("%.6f", c->ci95.first) + "," +
                   fmt("%.6f", c->ci95.second) + "," + fmt("%.2f", c->meanOutputTokens) + "," +
                   fmt("%.4f", c->meanLatency) + "," + fmt("%.2f", c->tokensPerSecond) + "," +
                   csvField(members) + "\n";
        }
        return out;
    }
    if (format == "md") {
        const CellResult *b = r.best();
        std::string out = "# " + r.run.name + "\n\n";
        out += "Dataset " + r.run.lineage.value("dataset", json::object()).value("name", std::string()) +
               ", " + std::to_string(r.questions.size()) + " questions, method " +
               r.run.experiment.method + ", state " + r.run.state + ".\n\n";
        out += "| cell | variant · template · rag · decoding | accuracy | 95% CI | unextracted | "
               "output tokens | latency s | tokens/s |\n|---|---|---|---|---|---|---|---|\n";
        for (const CellResult *c : all)
            out += "| " + c->id + (c == b ? " ★" : "") + " | " + mdField(c->label) + " | " +
                   fmt("%.1f%%", 100 * c->accuracy) + " (" + std::to_string(c->correct) + "/" +
                   std::to_string(c->answered) + ") | " + fmt("%.1f", 100 * c->ci95.first) + "–" +
                   fmt("%.1f%%", 100 * c->ci95.second) + " | " + std::to_string(c->unextracted) +
                   " | " + fmt("%.1f", c->meanOutputTokens) + " | " + fmt("%.3f", c->meanLatency) +
                   " | " + fmt("%.1f", c->tokensPerSecond) + " |\n";
        out += "\nMajority vote over a cell's samples (unextracted samples do not vote); among tied "
               "answers the one voted first wins. Ensembles vote with each member's answer, ties "
               "going to the earlier member.\n";
        return out;
    }
    throw Error(ErrorCode::Validation,
                "export format '" + format + "' is not csv, json, md or submission");
}

std::string exportSubmission(Workspace &ws, const CompareResults &r, const std::string &cellId)
{
    const CellResult *cell = cellId.empty() ? r.best() : r.find(cellId);
    if (!cell && cellId.empty() && !r.cells.empty())
        cell = &r.cells.front(); // a test file: nothing is scored, the first cell answers
    if (!cell)
        throw Error(ErrorCode::NotFound, "run " + r.run.name + " has no cell '" + cellId + "'");
    const json &d = r.run.lineage.at("dataset");
    const std::filesystem::path file = d.at("file").get<std::string>();
    const std::string path = file.is_absolute() ? file.string() : (ws.filesDir() / file).string();
    const ParsedDataset parsed = parseDatasetFile(path);
    const auto side = datasetSideFromName(d.value("split", std::string("all")));
    std::vector<DatasetRecord> records =
        selectRecords(parsed.records, side ? *side : DatasetSide::All, d.value("eval_fraction", 0.1),
                      d.value("split_seed", uint64_t(42)), d.value("limit", size_t(0)));
    std::map<std::pair<std::string, size_t>, std::string> predicted;
    for (const CellQuestion &q : cell->questions)
        predicted[{r.questions[q.qidx].recordId, r.questions[q.qidx].question}] = q.voted;
    std::string out;
    for (DatasetRecord &rec : records) {
        json j = rec.data;
        const std::string id = j.value("id", std::string());
        if (j.contains("questions"))
            for (size_t qi = 0; qi < j["questions"].size(); ++qi)
                j["questions"][qi]["answer"] = predicted[{id, qi}];
        out += j.dump() + "\n";
    }
    return out;
}

} // namespace wb

// Comparison runs in the workspace (compare.h): listing, state, saved experiments, and the
// results computed from the stored samples.

#include "eval/compare.h"

#include "common/error.h"
#include "common/files.h"
#include "eval/voting.h"
#include "store/workspace.h"

#include <map>

namespace wb {

using nlohmann::json;

namespace {

CompareRunInfo readRunRow(Statement &st)
{
    CompareRunInfo r;
    r.id = st.int64(0);
    r.name = st.text(1);
    const json spec = json::parse(st.text(2), nullptr, false);
    r.experiment = Experiment::fromJson(spec, "run " + r.name);
    r.lineage = json::parse(st.text(3), nullptr, false);
    r.state = st.text(4);
    r.error = st.text(5);
    r.noCache = st.int64(6) != 0;
    r.createdAt = st.text(7);
    r.finishedAt = st.isNull(8) ? std::string() : st.text(8);
    return r;
}

constexpr const char *kRunColumns =
    "SELECT id, name, experiment, lineage, state, error, no_cache, created_at, finished_at FROM "
    "compare_runs ";

void summarise(CellResult &c, const std::vector<CompareQuestion> &qs)
{
    c.answered = c.correct = c.unextracted = 0;
    double tokens = 0, latency = 0, ttft = 0, rate = 0;
    size_t timed = 0;
    c.doneSamples = c.cachedSamples = 0;
    for (CellQuestion &q : c.questions) {
        for (const CompareSample &s : q.samples) {
            ++c.doneSamples;
            c.cachedSamples += s.cached ? 1 : 0;
            tokens += s.outputTokens;
            latency += s.latencySeconds;
            ttft += s.ttftSeconds;
            if (s.latencySeconds > 0 && s.outputTokens > 0) {
                rate += s.outputTokens / s.latencySeconds;
                ++timed;
            }
        }
        if (!q.complete || qs[q.qidx].expected.empty())
            continue;
        ++c.answered;
        c.correct += q.correct ? 1 : 0;
        c.unextracted += q.voted.empty() ? 1 : 0;
    }
    c.accuracy = c.answered ? double(c.correct) / double(c.answered) : 0;
    c.ci95 = wilsonInterval(c.correct, c.answered);
    const double n = double(std::max<size_t>(1, c.doneSamples));
    c.meanOutputTokens = tokens / n;
    c.meanLatency = latency / n;
    c.meanTtft = ttft / n;
    c.tokensPerSecond = timed ? rate / double(timed) : 0;
}

} // namespace

std::vector<CompareRunInfo> CompareStore::listRuns()
{
    return m_ws.withDb([&](Database &db) {
        std::vector<CompareRunInfo> out;
        auto st = db.prepare(std::string(kRunColumns) + "ORDER BY id DESC");
        while (st.step())
            out.push_back(readRunRow(st));
        return out;
    });
}

std::optional<CompareRunInfo> CompareStore::findRun(const std::string &name)
{
    return m_ws.withDb([&](Database &db) -> std::optional<CompareRunInfo> {
        auto st = db.prepare(std::string(kRunColumns) + "WHERE name = ?1");
        st.bind(1, name);
        if (!st.step())
            return std::nullopt;
        return readRunRow(st);
    });
}

CompareRunInfo CompareStore::getRun(const std::string &name)
{
    if (auto r = findRun(name))
        return *r;
    throw Error(ErrorCode::NotFound,
                "no comparison run named '" + name + "' (llmwb compare list shows them)");
}

void CompareStore::removeRun(const std::string &name)
{
    const CompareRunInfo r = getRun(name);
    m_ws.withDb([&](Database &db) {
        auto st = db.prepare("DELETE FROM compare_runs WHERE id = ?1");
        st.bind(1, r.id);
        st.exec();
    });
}

void CompareStore::setState(int64_t runId, const std::string &state, const std::string &error)
{
    m_ws.withDb([&](Database &db) {
        auto st = db.prepare("UPDATE compare_runs SET state = ?2, error = ?3, finished_at = "
                             "CASE WHEN ?2 = 'running' THEN NULL ELSE ?4 END WHERE id = ?1");
        st.bind(1, runId).bind(2, state).bind(3, error).bind(4, nowIso8601());
        st.exec();
    });
}

void CompareStore::saveExperiment(const Experiment &e)
{
    Experiment::fromJson(e.toJson()); // what is saved always loads again
    m_ws.withDb([&](Database &db) {
        const std::string now = nowIso8601();
        auto st = db.prepare("INSERT INTO experiments (name, spec, created_at, updated_at) VALUES "
                             "(?1, ?2, ?3, ?3) ON CONFLICT(name) DO UPDATE SET spec = ?2, "
                             "updated_at = ?3");
        st.bind(1, e.name).bind(2, e.toJson().dump(2)).bind(3, now);
        st.exec();
    });
}

std::vector<Experiment> CompareStore::experiments()
{
    return m_ws.withDb([&](Database &db) {
        std::vector<Experiment> out;
        auto st = db.prepare("SELECT name, spec FROM experiments ORDER BY name");
        while (st.step()) {
            try {
                out.push_back(Experiment::fromJson(json::parse(st.text(1)), "experiment " + st.text(0)));
            } catch (const std::exception &) {
                // a spec this build cannot read (edited by hand): skipped, not fatal
            }
        }
        return out;
    });
}

std::optional<Experiment> CompareStore::findExperiment(const std::string &name)
{
    for (Experiment &e : experiments())
        if (e.name == name)
            return e;
    return std::nullopt;
}

void CompareStore::removeExperiment(const std::string &name)
{
    m_ws.withDb([&](Database &db) {
        auto st = db.prepare("DELETE FROM experiments WHERE name = ?1");
        st.bind(1, name);
        st.exec();
    });
}

std::vector<CompareQuestion> CompareStore::questions(int64_t runId)
{
    return m_ws.withDb([&](Database &db) {
        std::vector<CompareQuestion> out;
        auto q = db.prepare("SELECT qidx, record_id, row, question, text, options, expected, "
                            "fields FROM compare_questions WHERE run_id = ?1 ORDER BY qidx");
        q.bind(1, runId);
        while (q.step()) {
            CompareQuestion cq;
            cq.qidx = size_t(q.int64(0));
            cq.recordId = q.text(1);
            cq.row = size_t(q.int64(2));
            cq.question = size_t(q.int64(3));
            cq.text = q.text(4);
            cq.options = json::parse(q.text(5)).get<std::vector<std::string>>();
            cq.expected = q.text(6);
            cq.fields = json::parse(q.text(7), nullptr, false);
            out.push_back(std::move(cq));
        }
        return out;
    });
}

CompareResults CompareStore::results(const std::string &name)
{
    CompareResults r;
    r.run = getRun(name);
    const Experiment &e = r.run.experiment;
    const std::vector<Cell> cells = experimentCells(e);
    std::map<std::string, std::vector<std::vector<CompareSample>>> samples; // cell -> q -> samples
    r.questions = questions(r.run.id);
    m_ws.withDb([&](Database &db) {
        auto s = db.prepare("SELECT cell, qidx, sample, text, extracted, extract_note, "
                            "finish_reason, prompt_tokens, output_tokens, latency_s, ttft_s, "
                            "cached, extra FROM compare_samples WHERE run_id = ?1 ORDER BY cell, "
                            "qidx, sample");
        s.bind(1, r.run.id);
        while (s.step()) {
            auto &perQ = samples[s.text(0)];
            const size_t qidx = size_t(s.int64(1));
            if (perQ.size() <= qidx)
                perQ.resize(r.questions.size());
            if (qidx >= perQ.size())
                continue;
            CompareSample cs;
            cs.sample = int(s.int64(2));
            cs.text = s.text(3);
            cs.extracted = s.text(4);
            cs.extractNote = s.text(5);
            cs.finishReason = s.text(6);
            cs.promptTokens = int(s.int64(7));
            cs.outputTokens = int(s.int64(8));
            cs.latencySeconds = s.real(9);
            cs.ttftSeconds = s.real(10);
            cs.cached = s.int64(11) != 0;
            cs.extra = json::parse(s.text(12), nullptr, false);
            perQ[qidx].push_back(std::move(cs));
        }
    });

    for (const Cell &c : cells) {
        CellResult cr;
        cr.id = c.id;
        cr.label = cellLabel(e, c);
        cr.model = e.variants[c.variant].model;
        cr.adapter = e.variants[c.variant].adapter;
        cr.templ = e.templates[c.templ];
        cr.method = e.method;
        cr.rag = e.rag[c.rag].toJson();
        cr.decoding = e.decoding[c.decoding].toJson();
        cr.samples = cellSamples(e, c);
        cr.totalSamples = size_t(cr.samples) * r.questions.size();
        auto &perQ = samples[c.id];
        perQ.resize(r.questions.size());
        for (size_t qi = 0; qi < r.questions.size(); ++qi) {
            CellQuestion q;
            q.qidx = qi;
            q.samples = std::move(perQ[qi]);
            q.complete = q.samples.size() >= size_t(cr.samples);
            std::vector<std::string> votes;
            for (const CompareSample &s : q.samples)
                votes.push_back(s.extracted);
            q.voted = majorityVote(votes);
            q.correct = q.complete && !q.voted.empty() && q.voted == r.questions[qi].expected;
            cr.questions.push_back(std::move(q));
        }
        summarise(cr, r.questions);
        r.cells.push_back(std::move(cr));
    }

    for (const Ensemble &en : e.ensembles) {
        CellResult er;
        er.id = en.label;
        er.label = en.label;
        er.method = e.method;
        er.members = en.members;
        er.samples = int(en.members.size());
        er.totalSamples = size_t(er.samples) * r.questions.size();
        for (size_t qi = 0; qi < r.questions.size(); ++qi) {
            CellQuestion q;
            q.qidx = qi;
            q.complete = true;
            std::vector<std::string> votes;
            for (size_t m = 0; m < en.members.size(); ++m) {
                const CellResult *member = r.find(en.members[m]);
                const CellQuestion &mq = member->questions[qi];
                q.complete = q.complete && mq.complete;
                if (!mq.complete)
                    continue;
                CompareSample s;
                s.sample = int(m);
                s.text = member->id;
                s.extracted = mq.voted;
                for (const CompareSample &ms : mq.samples) {
                    s.outputTokens += ms.outputTokens;
                    s.latencySeconds = std::max(s.latencySeconds, ms.latencySeconds);
                }
                votes.push_back(mq.voted);
                q.samples.push_back(std::move(s));
            }
            q.voted = q.complete ? majorityVote(votes) : std::string();
            q.correct = q.complete && !q.voted.empty() && q.voted == r.questions[qi].expected;
            er.questions.push_back(std::move(q));
        }
        summarise(er, r.questions);
        r.ensembles.push_back(std::move(er));
    }
    return r;
}

} // namespace wb

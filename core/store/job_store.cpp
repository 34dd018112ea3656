#include "store/job_store.h"

#include "store/workspace.h"

namespace wb {

std::vector<JobRecord> listJobs(Workspace &ws, int limit)
{
    return ws.withDb([&](Database &db) {
        std::vector<JobRecord> out;
        auto st = db.prepare("SELECT id, kind, title, lane, state, progress, message, error, "
                             "params, result, created_at, COALESCE(started_at, ''), "
                             "COALESCE(finished_at, '') FROM jobs ORDER BY id DESC LIMIT ?");
        st.bind(1, limit);
        while (st.step()) {
            JobRecord r;
            r.id = st.int64(0);
            r.kind = st.text(1);
            r.title = st.text(2);
            r.lane = st.text(3);
            r.state = jobStateFromName(st.text(4));
            r.progress = st.real(5);
            r.message = st.text(6);
            r.error = st.text(7);
            r.params = nlohmann::json::parse(st.text(8), nullptr, false);
            r.result = nlohmann::json::parse(st.text(9), nullptr, false);
            r.createdAt = st.text(10);
            r.startedAt = st.text(11);
            r.finishedAt = st.text(12);
            out.push_back(std::move(r));
        }
        return out;
    });
}

std::vector<std::pair<int64_t, double>> jobMetric(Workspace &ws, JobId id, const std::string &name)
{
    return ws.withDb([&](Database &db) {
        std::vector<std::pair<int64_t, double>> out;
        auto st = db.prepare(
            "SELECT step, value FROM job_metrics WHERE job_id = ? AND name = ? ORDER BY step");
        st.bind(1, id).bind(2, name);
        while (st.step())
            out.emplace_back(st.int64(0), st.real(1));
        return out;
    });
}

} // namespace wb

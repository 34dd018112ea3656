#include "jobs/job_runner.h"

#include "common/error.h"
#include "common/files.h"
#include "store/workspace.h"

namespace wb {

const char *jobStateName(JobState s)
{
    switch (s) {
    case JobState::Queued: return "queued";
    case JobState::Running: return "running";
    case JobState::Succeeded: return "succeeded";
    case JobState::Failed: return "failed";
    case JobState::Cancelled: return "cancelled";
    case JobState::Interrupted: return "interrupted";
    }
    return "failed";
}

JobState jobStateFromName(const std::string &name)
{
    for (JobState s : {JobState::Queued, JobState::Running, JobState::Succeeded, JobState::Failed,
                       JobState::Cancelled, JobState::Interrupted})
        if (name == jobStateName(s))
            return s;
    throw Error(ErrorCode::Parse, "unknown job state '" + name + "'");
}

struct JobRunner::Job
{
    JobSpec spec;
    JobSnapshot snap;
    std::shared_ptr<std::atomic<bool>> cancel = std::make_shared<std::atomic<bool>>(false);
    int64_t lastPersistMs = 0;
};

struct JobRunner::Lane
{
    std::string name;
    std::deque<std::shared_ptr<Job>> queue;
    std::condition_variable wake;
    std::vector<std::thread> workers;
};

JobRunner::JobRunner(Workspace *workspace, int cpuWorkers)
    : m_workspace(workspace), m_cpuWorkers(std::max(1, cpuWorkers))
{
}

JobRunner::~JobRunner()
{
    std::vector<std::thread> threads;
    {
        std::lock_guard<std::mutex> lock(m_mutex);
        m_stopping = true;
        for (auto &[id, job] : m_jobs)
            job->cancel->store(true);
        for (auto &[name, lane] : m_lanes) {
            lane->wake.notify_all();
            for (auto &t : lane->workers)
                threads.push_back(std::move(t));
        }
    }
    for (auto &t : threads)
        t.join();
    // Jobs that never started were cancelled by the shutdown.
    for (auto &[id, job] : m_jobs) {
        if (job->snap.state == JobState::Queued) {
            job->snap.state = JobState::Cancelled;
            persist(job->snap, false);
        }
    }
}

JobRunner::Lane &JobRunner::laneFor(const std::string &name)
{
    auto it = m_lanes.find(name);
    if (it != m_lanes.end())
        return *it->second;
    auto lane = std::make_unique<Lane>();
    lane->name = name;
    // One worker per accelerator: two jobs on one GPU would fight over its memory.
    const int workers = name == "cpu" ? m_cpuWorkers : 1;
    Lane *raw = lane.get();
    for (int i = 0; i < workers; ++i)
        raw->workers.emplace_back([this, raw] { workerLoop(raw); });
    return *m_lanes.emplace(name, std::move(lane)).first->second;
}

JobId JobRunner::submit(JobSpec spec)
{
    if (!spec.work)
        throw Error(ErrorCode::Internal, "job '" + spec.kind + "' has no work function");
    auto job = std::make_shared<Job>();
    job->snap.kind = spec.kind;
    job->snap.title = spec.title;
    job->snap.lane = spec.lane;
    job->snap.state = JobState::Queued;
    job->snap.quiet = spec.quiet;
    job->spec = std::move(spec);

    const bool recorded = m_workspace && !job->snap.quiet;
    if (recorded) {
        job->snap.id = m_workspace->withDb([&](Database &db) {
            db.prepare("INSERT INTO jobs(kind, title, lane, state, params, created_at) "
                       "VALUES(?, ?, ?, 'queued', ?, ?)")
                .bind(1, job->snap.kind)
                .bind(2, job->snap.title)
                .bind(3, job->snap.lane)
                .bind(4, job->spec.params.dump())
                .bind(5, nowIso8601())
                .exec();
            return db.lastInsertId();
        });
    }
    {
        std::lock_guard<std::mutex> lock(m_mutex);
        if (m_stopping)
            throw Error(ErrorCode::Conflict, "the job runner is shutting down");
        // Unrecorded jobs count down from -1 so they never collide with database ids.
        if (!recorded)
            job->snap.id = m_workspace ? -(m_nextLocalId++) : m_nextLocalId++;
        m_jobs[job->snap.id] = job;
        Lane &lane = laneFor(job->snap.lane);
        lane.queue.push_back(job);
        lane.wake.notify_one();
    }
    notify(job->snap);
    return job->snap.id;
}

bool JobRunner::cancel(JobId id)
{
    JobSnapshot snap;
    {
        std::lock_guard<std::mutex> lock(m_mutex);
        auto it = m_jobs.find(id);
        if (it == m_jobs.end() || isFinished(it->second->snap.state))
            return false;
        auto &job = it->second;
        job->cancel->store(true);
        if (job->snap.state != JobState::Queued)
            return true;
        // Still queued: take it out of its lane and finish it here.
        auto &q = m_lanes[job->snap.lane]->queue;
        q.erase(std::remove(q.begin(), q.end(), job), q.end());
        job->snap.state = JobState::Cancelled;
        job->snap.progress.message = "cancelled before it started";
        snap = job->snap;
    }
    persist(snap, false);
    notify(snap);
    m_finished.notify_all();
    return true;
}

JobSnapshot JobRunner::wait(JobId id)
{
    std::unique_lock<std::mutex> lock(m_mutex);
    auto it = m_jobs.find(id);
    if (it == m_jobs.end())
        throw Error(ErrorCode::NotFound, "no job with id " + std::to_string(id));
    auto job = it->second;
    m_finished.wait(lock, [&] { return isFinished(job->snap.state); });
    return job->snap;
}

std::optional<JobSnapshot> JobRunner::snapshot(JobId id) const
{
    std::lock_guard<std::mutex> lock(m_mutex);
    auto it = m_jobs.find(id);
    if (it == m_jobs.end())
        return std::nullopt;
    return it->second->snap;
}

std::vector<JobSnapshot> JobRunner::snapshots() const
{
    std::lock_guard<std::mutex> lock(m_mutex);
    std::vector<JobSnapshot> out;
    for (const auto &[id, job] : m_jobs)
        out.push_back(job->snap);
    return out;
}

int JobRunner::addListener(Listener listener)
{
    std::lock_guard<std::mutex> lock(m_listenerMutex);
    m_listeners[m_nextToken] = std::move(listener);
    return m_nextToken++;
}

int JobRunner::addMetricListener(MetricListener listener)
{
    std::lock_guard<std::mutex> lock(m_listenerMutex);
    m_metricListeners[m_nextToken] = std::move(listener);
    return m_nextToken++;
}

void JobRunner::removeListener(int token)
{
    std::lock_guard<std::mutex> lock(m_listenerMutex);
    m_listeners.erase(token);
    m_metricListeners.erase(token);
}

void JobRunner::notify(const JobSnapshot &s)
{
    std::lock_guard<std::mutex> lock(m_listenerMutex);
    for (auto &[token, fn] : m_listeners)
        fn(s);
}

void JobRunner::persist(const JobSnapshot &s, bool /*created*/)
{
    if (!m_workspace || s.quiet)
        return;
    try {
        m_workspace->withDb([&](Database &db) {
            auto st = db.prepare(
                "UPDATE jobs SET state = ?, progress = ?, message = ?, error = ?, result = ?, "
                "started_at = CASE WHEN ? = 'running' AND started_at IS NULL THEN ? "
                "ELSE started_at END, "
                "finished_at = CASE WHEN ? IN ('succeeded','failed','cancelled') THEN ? "
                "ELSE finished_at END WHERE id = ?");
            const std::string state = jobStateName(s.state);
            const std::string now = nowIso8601();
            st.bind(1, state)
                .bind(2, s.progress.fraction)
                .bind(3, s.progress.message)
                .bind(4, s.error)
                .bind(5, s.result.is_null() ? std::string("{}") : s.result.dump())
                .bind(6, state)
                .bind(7, now)
                .bind(8, state)
                .bind(9, now)
                .bind(10, s.id)
                .exec();
        });
    } catch (const std::exception &) {
        // Losing a progress write must never kill the job; the final state is retried by the
        // next transition and the interrupted-on-open rule covers a crash.
    }
}

void JobRunner::workerLoop(Lane *lane)
{
    for (;;) {
        std::shared_ptr<Job> job;
        {
            std::unique_lock<std::mutex> lock(m_mutex);
            lane->wake.wait(lock, [&] { return m_stopping || !lane->queue.empty(); });
            if (m_stopping)
                return;
            job = lane->queue.front();
            lane->queue.pop_front();
            job->snap.state = JobState::Running;
            job->snap.startedMs = steadyMillis();
        }
        runJob(job);
    }
}

void JobRunner::runJob(const std::shared_ptr<Job> &job)
{
    JobSnapshot snap;
    {
        std::lock_guard<std::mutex> lock(m_mutex);
        snap = job->snap;
    }
    persist(snap, false);
    notify(snap);

    auto onProgress = [this, job](const JobProgress &p) {
        JobSnapshot s;
        bool doPersist = false;
        {
            std::lock_guard<std::mutex> lock(m_mutex);
            job->snap.progress = p;
            const int64_t now = steadyMillis();
            const double elapsed = (now - job->snap.startedMs) / 1000.0;
            job->snap.etaSeconds = (p.fraction > 0.01 && p.fraction < 1)
                                       ? elapsed * (1 - p.fraction) / p.fraction
                                       : -1;
            if (now - job->lastPersistMs > 1000) {
                job->lastPersistMs = now;
                doPersist = true;
            }
            s = job->snap;
        }
        if (doPersist)
            persist(s, false);
        notify(s);
    };
    auto onMetric = [this, job](const std::string &name, int64_t step, double value) {
        if (m_workspace && !job->snap.quiet) {
            try {
                m_workspace->withDb([&](Database &db) {
                    db.prepare("INSERT INTO job_metrics(job_id, step, name, value, at) "
                               "VALUES(?, ?, ?, ?, ?)")
                        .bind(1, job->snap.id)
                        .bind(2, step)
                        .bind(3, name)
                        .bind(4, value)
                        .bind(5, nowIso8601())
                        .exec();
                });
            } catch (const std::exception &) {
            }
        }
        std::lock_guard<std::mutex> lock(m_listenerMutex);
        for (auto &[token, fn] : m_metricListeners)
            fn(job->snap.id, name, step, value);
    };

    JobContext ctx(job->snap.id, job->cancel, onProgress, onMetric);
    JobState final = JobState::Succeeded;
    std::string error;
    nlohmann::json result;
    try {
        ctx.throwIfCancelled();
        result = job->spec.work(ctx);
        // A job that noticed the cancel flag but returned normally still counts as cancelled.
        if (ctx.isCancelled())
            final = JobState::Cancelled;
    } catch (const JobCancelled &) {
        final = JobState::Cancelled;
    } catch (const Error &e) {
        final = e.code() == ErrorCode::Cancelled ? JobState::Cancelled : JobState::Failed;
        error = e.what();
    } catch (const std::exception &e) {
        final = JobState::Failed;
        error = e.what();
    } catch (...) {
        final = JobState::Failed;
        error = "unknown error";
    }
    {
        std::lock_guard<std::mutex> lock(m_mutex);
        job->snap.state = final;
        job->snap.error = error;
        job->snap.result = result.is_null() ? nlohmann::json::object() : result;
        job->snap.finishedMs = steadyMillis();
        job->snap.etaSeconds = -1;
        if (final == JobState::Succeeded)
            job->snap.progress.fraction = 1;
        if (final == JobState::Cancelled)
            job->snap.progress.message = "cancelled";
        else if (final == JobState::Failed)
            job->snap.progress.message = error;
        snap = job->snap;
    }
    persist(snap, false);
    notify(snap);
    m_finished.notify_all();
}

} // namespace wb

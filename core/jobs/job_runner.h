#pragma once

#include "jobs/job.h"

#include <condition_variable>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <thread>
#include <vector>

namespace wb {

class Workspace;

// Runs jobs on worker threads. Each accelerator lane ("gpu:0", "gpu:1") has exactly one
// worker so GPU jobs never contend for one device; the "cpu" lane has a small pool. Job
// state is persisted in the workspace (when one is given) so a crash shows it as interrupted.
//
// Listeners are called on worker threads; they must be quick and thread-safe (the UI's job
// bridge only queues a signal).
class JobRunner final
{
public:
    using Listener = std::function<void(const JobSnapshot &)>;
    using MetricListener =
        std::function<void(JobId, const std::string &name, int64_t step, double value)>;

    explicit JobRunner(Workspace *workspace = nullptr, int cpuWorkers = 2);
    ~JobRunner(); // cancels what is queued, asks running jobs to stop, joins the workers
    JobRunner(const JobRunner &) = delete;
    JobRunner &operator=(const JobRunner &) = delete;

    JobId submit(JobSpec spec);
    // Asks a job to stop. A queued job is cancelled at once; a running one at its next check.
    bool cancel(JobId id);
    // Blocks until the job has finished and returns its final snapshot.
    JobSnapshot wait(JobId id);
    std::optional<JobSnapshot> snapshot(JobId id) const;
    std::vector<JobSnapshot> snapshots() const;

    int addListener(Listener listener);
    int addMetricListener(MetricListener listener);
    void removeListener(int token);

private:
    struct Job;
    struct Lane;
    Lane &laneFor(const std::string &name);
    void workerLoop(Lane *lane);
    void runJob(const std::shared_ptr<Job> &job);
    void notify(const JobSnapshot &s);
    void persist(const JobSnapshot &s, bool created);

    Workspace *m_workspace;
    int m_cpuWorkers;
    mutable std::mutex m_mutex;
    std::condition_variable m_finished;
    std::map<std::string, std::unique_ptr<Lane>> m_lanes;
    std::map<JobId, std::shared_ptr<Job>> m_jobs;
    std::mutex m_listenerMutex;
    std::map<int, Listener> m_listeners;
    std::map<int, MetricListener> m_metricListeners;
    int m_nextToken = 1;
    JobId m_nextLocalId = 1;
    bool m_stopping = false;
};

} // namespace wb

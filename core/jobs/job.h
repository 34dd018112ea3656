#pragma once

#include <nlohmann/json.hpp>

#include <atomic>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <string>

namespace wb {

using JobId = int64_t;

enum class JobState { Queued, Running, Succeeded, Failed, Cancelled, Interrupted };
const char *jobStateName(JobState s); // "queued", "running", ...
JobState jobStateFromName(const std::string &name);
inline bool isFinished(JobState s)
{
    return s != JobState::Queued && s != JobState::Running;
}

// What a job reports about itself. Counters are free-form ("rows": 120, "rows_total": 500).
struct JobProgress
{
    double fraction = 0;   // 0..1, or < 0 when unknown
    std::string message;
    std::map<std::string, int64_t> counters;
};

// The state of one job as observers see it.
struct JobSnapshot
{
    JobId id = 0;
    std::string kind;
    std::string title;
    std::string lane;
    JobState state = JobState::Queued;
    JobProgress progress;
    std::string error;
    nlohmann::json result;
    int64_t startedMs = 0;  // steady clock, 0 until running
    int64_t finishedMs = 0; // steady clock, 0 until finished
    double etaSeconds = -1; // estimated time left, < 0 when unknown
    bool quiet = false;     // see JobSpec::quiet
};

// Thrown by JobContext::throwIfCancelled; the runner turns it into the Cancelled state.
struct JobCancelled
{
};

// Handed to the job's function on its worker thread.
class JobContext final
{
public:
    using ProgressFn = std::function<void(const JobProgress &)>;
    using MetricFn = std::function<void(const std::string &name, int64_t step, double value)>;

    JobContext(JobId id, std::shared_ptr<std::atomic<bool>> cancel, ProgressFn progress,
               MetricFn metric)
        : m_id(id), m_cancel(std::move(cancel)), m_progress(std::move(progress)),
          m_metric(std::move(metric))
    {
    }

    JobId id() const { return m_id; }
    bool isCancelled() const { return m_cancel->load(std::memory_order_relaxed); }
    void throwIfCancelled() const
    {
        if (isCancelled())
            throw JobCancelled{};
    }
    void progress(double fraction, const std::string &message,
                  std::map<std::string, int64_t> counters = {})
    {
        if (m_progress)
            m_progress(JobProgress{fraction, message, std::move(counters)});
    }
    void metric(const std::string &name, int64_t step, double value)
    {
        if (m_metric)
            m_metric(name, step, value);
    }

private:
    JobId m_id;
    std::shared_ptr<std::atomic<bool>> m_cancel;
    ProgressFn m_progress;
    MetricFn m_metric;
};

// A job: kind ("dataset.import"), a title for people, the lane it runs on ("cpu" or
// "gpu:0"), parameters recorded with it, and the work. The work returns a JSON result or
// throws (wb::Error or any std::exception) to fail.
struct JobSpec
{
    std::string kind;
    std::string title;
    std::string lane = "cpu";
    nlohmann::json params = nlohmann::json::object();
    // A quick job (opening a dataset for display): not recorded in the workspace, and the
    // jobs panel shows it only while it runs or if it fails.
    bool quiet = false;
    std::function<nlohmann::json(JobContext &)> work;
};

} // namespace wb

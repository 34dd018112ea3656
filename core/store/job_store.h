#pragma once

#include "jobs/job.h"

#include <string>
#include <vector>

namespace wb {

class Workspace;

// A job as recorded in the workspace (including jobs of earlier sessions).
struct JobRecord
{
    JobId id = 0;
    std::string kind;
    std::string title;
    std::string lane;
    JobState state = JobState::Queued;
    double progress = 0;
    std::string message;
    std::string error;
    nlohmann::json params;
    nlohmann::json result;
    std::string createdAt;
    std::string startedAt;
    std::string finishedAt;
};

std::vector<JobRecord> listJobs(Workspace &ws, int limit = 200);
std::vector<std::pair<int64_t, double>> jobMetric(Workspace &ws, JobId id, const std::string &name);

} // namespace wb

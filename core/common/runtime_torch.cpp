#include "common/runtime.h"

#include <ATen/Parallel.h>
#include <faiss/Index.h>
#include <omp.h>
#include <sqlite3.h>
#include <torch/cuda.h>
#include <torch/version.h>

#include <thread>

namespace wb {

int hardwareThreads()
{
    const unsigned n = std::thread::hardware_concurrency();
    return n == 0 ? 1 : static_cast<int>(n);
}

void applyThreadBudget(const ThreadBudget &budget)
{
    const int torchThreads = budget.torchIntraOp > 0 ? budget.torchIntraOp : hardwareThreads();
    const int ompThreads = budget.openmp > 0 ? budget.openmp : hardwareThreads();
    at::set_num_threads(torchThreads);
    omp_set_num_threads(ompThreads);
}

int cudaDeviceCount()
{
    try {
        return static_cast<int>(torch::cuda::device_count());
    } catch (...) {
        return 0;
    }
}

std::string runtimeSummary()
{
    return std::string("libtorch ") + TORCH_VERSION + ", faiss " +
           std::to_string(FAISS_VERSION_MAJOR) + "." + std::to_string(FAISS_VERSION_MINOR) + "." +
           std::to_string(FAISS_VERSION_PATCH) + ", SQLite " + sqlite3_libversion() +
           ", torch threads " + std::to_string(at::get_num_threads()) +
           ", CUDA devices " + std::to_string(cudaDeviceCount());
}

} // namespace wb

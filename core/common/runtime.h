#pragma once

#include <string>

namespace wb {

// Thread budgets are set explicitly: libtorch, OpenMP (faiss) and our own pools would each
// otherwise start one thread per core and oversubscribe the machine.
struct ThreadBudget
{
    int torchIntraOp = 0; // 0: number of cores
    int openmp = 0;       // 0: number of cores
};

void applyThreadBudget(const ThreadBudget &budget);
int hardwareThreads();

// Number of CUDA devices libtorch can use (0 for a CPU-only libtorch or no GPU).
int cudaDeviceCount();

// Versions of the engine libraries this build links, for `llmwb --version` and About.
std::string runtimeSummary();

} // namespace wb

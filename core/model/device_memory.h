#pragma once

// Memory figures for the model's device, without torch: the resident set of this process for
// cpu, and the CUDA driver's view (cudaMemGetInfo, looked up at run time so that a CPU-only
// build links no CUDA library) for cuda.

#include <cstdint>
#include <string>

namespace wb::model {

struct DeviceMemory
{
    bool known = false;
    uint64_t free = 0; // what can still be allocated (MemAvailable for cpu)
    uint64_t total = 0;
};

// device: "cpu", "cuda", "cuda:N". Unknown (known = false) when the driver cannot be asked.
DeviceMemory deviceMemory(const std::string &device);

uint64_t residentBytes();     // VmRSS
uint64_t peakResidentBytes(); // VmHWM
void resetPeakResident();     // via /proc/self/clear_refs; a no-op where that is not allowed

std::string formatBytes(uint64_t bytes); // "1.50 GiB"

} // namespace wb::model

#include "model/device_memory.h"

#include "formats/hf_config.h"

#include <cstdio>
#include <fstream>
#include <sstream>

#include <dlfcn.h>

namespace wb::model {

namespace {

using MemGetInfo = int (*)(size_t *, size_t *);
using GetDevice = int (*)(int *);
using SetDevice = int (*)(int);

// libtorch_cuda has loaded libcudart when CUDA is in use; dlopen of an already loaded library
// only finds it. A CPU-only build never gets here for a cuda device.
void *cudart()
{
    static void *handle = [] {
        void *h = nullptr;
        for (const char *name :
             {"libcudart.so", "libcudart.so.13", "libcudart.so.12", "libcudart.so.11.0"}) {
            if ((h = ::dlopen(name, RTLD_NOW | RTLD_NOLOAD)) != nullptr)
                return h;
        }
        for (const char *name :
             {"libcudart.so", "libcudart.so.13", "libcudart.so.12", "libcudart.so.11.0"}) {
            if ((h = ::dlopen(name, RTLD_NOW)) != nullptr)
                return h;
        }
        return h;
    }();
    return handle;
}

uint64_t statusField(const char *key)
{
    std::ifstream in("/proc/self/status");
    std::string line;
    const std::string prefix = std::string(key) + ":";
    while (std::getline(in, line)) {
        if (line.rfind(prefix, 0) != 0)
            continue;
        std::istringstream fields(line.substr(prefix.size()));
        uint64_t kib = 0;
        if (fields >> kib)
            return kib * 1024;
    }
    return 0;
}

} // namespace

DeviceMemory deviceMemory(const std::string &device)
{
    DeviceMemory m;
    if (device.rfind("cuda", 0) != 0) {
        m.free = availableSystemMemory();
        m.known = m.free > 0;
        return m;
    }
    int index = 0;
    if (device.size() > 5 && device[4] == ':')
        index = std::atoi(device.c_str() + 5);
    void *lib = cudart();
    if (!lib)
        return m;
    auto memGetInfo = reinterpret_cast<MemGetInfo>(::dlsym(lib, "cudaMemGetInfo"));
    auto getDevice = reinterpret_cast<GetDevice>(::dlsym(lib, "cudaGetDevice"));
    auto setDevice = reinterpret_cast<SetDevice>(::dlsym(lib, "cudaSetDevice"));
    if (!memGetInfo || !getDevice || !setDevice)
        return m;
    int previous = 0;
    if (getDevice(&previous) != 0 || setDevice(index) != 0)
        return m;
    size_t freeBytes = 0, totalBytes = 0;
    const bool ok = memGetInfo(&freeBytes, &totalBytes) == 0;
    setDevice(previous);
    if (ok) {
        m.known = true;
        m.free = freeBytes;
        m.total = totalBytes;
    }
    return m;
}

uint64_t residentBytes()
{
    return statusField("VmRSS");
}
uint64_t peakResidentBytes()
{
    return statusField("VmHWM");
}

void resetPeakResident()
{
    if (FILE *f = std::fopen("/proc/self/clear_refs", "w")) {
        std::fputs("5", f);
        std::fclose(f);
    }
}

std::string formatBytes(uint64_t bytes)
{
    const char *units[] = {"B", "KiB", "MiB", "GiB", "TiB"};
    double v = double(bytes);
    int u = 0;
    while (v >= 1024 && u < 4) {
        v /= 1024;
        ++u;
    }
    char buf[32];
    std::snprintf(buf, sizeof buf, u == 0 ? "%.0f %s" : "%.2f %s", v, units[u]);
    return buf;
}

} // namespace wb::model

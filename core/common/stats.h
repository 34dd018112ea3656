#pragma once

// Small statistics the benchmarks share. Header-only, so the GPU build (gpu/) can use it too.

#include <algorithm>
#include <cstddef>
#include <vector>

namespace wb {

// The p-quantile (p in [0, 1]) of `values` by the nearest rank; 0 for no values.
inline double percentile(std::vector<double> values, double p)
{
    if (values.empty())
        return 0;
    std::sort(values.begin(), values.end());
    const size_t at = static_cast<size_t>(p * double(values.size() - 1) + 0.5);
    return values[std::min(values.size() - 1, at)];
}

} // namespace wb

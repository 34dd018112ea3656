#pragma once

// Helpers shared by the tests: printable std::string in QCOMPARE, temporary folders.

#include <QTest>
#include <QTemporaryDir>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <string>
#include <vector>

namespace QTest {
template <>
inline char *toString(const std::string &s)
{
    return qstrdup(s.c_str());
}
} // namespace QTest

namespace wbtest {

inline std::filesystem::path path(const QTemporaryDir &dir, const char *name = nullptr)
{
    std::filesystem::path p(dir.path().toStdString());
    return name ? p / name : p;
}

// The largest element-wise difference; infinite when the sizes differ.
inline double maxAbsDiff(const std::vector<float> &a, const std::vector<float> &b)
{
    if (a.size() != b.size())
        return INFINITY;
    double m = 0;
    for (size_t i = 0; i < a.size(); ++i)
        m = std::max(m, double(std::fabs(a[i] - b[i])));
    return m;
}

} // namespace wbtest

#define WB_COMPARE_STR(actual, expected) QCOMPARE(std::string(actual), std::string(expected))

#pragma once

// Helpers shared by the tests: printable std::string in QCOMPARE, temporary folders.

#include <QTest>
#include <QTemporaryDir>

#include <filesystem>
#include <string>

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

} // namespace wbtest

#define WB_COMPARE_STR(actual, expected) QCOMPARE(std::string(actual), std::string(expected))

#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>

namespace wb {

// SHA-256 (FIPS 180-4). Used to name files in the workspace by content.
class Sha256 final
{
public:
    Sha256();
    void update(const void *data, size_t size);
    void update(std::string_view s) { update(s.data(), s.size()); }
    std::array<uint8_t, 32> finish();
    std::string finishHex();

    static std::string hex(std::string_view data);

private:
    void block(const uint8_t *p);

    uint32_t m_h[8];
    uint8_t m_buf[64];
    size_t m_bufLen = 0;
    uint64_t m_total = 0;
};

} // namespace wb

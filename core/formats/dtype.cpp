#include "formats/dtype.h"

#include <array>
#include <bit>

namespace wb {

namespace {

struct DTypeInfo
{
    DType type;
    const char *name;
    size_t size;
};

constexpr std::array<DTypeInfo, 15> kDTypes{{
    {DType::Bool, "BOOL", 1},
    {DType::U8, "U8", 1},
    {DType::I8, "I8", 1},
    {DType::F8E5M2, "F8_E5M2", 1},
    {DType::F8E4M3, "F8_E4M3", 1},
    {DType::I16, "I16", 2},
    {DType::U16, "U16", 2},
    {DType::F16, "F16", 2},
    {DType::BF16, "BF16", 2},
    {DType::I32, "I32", 4},
    {DType::U32, "U32", 4},
    {DType::F32, "F32", 4},
    {DType::I64, "I64", 8},
    {DType::U64, "U64", 8},
    {DType::F64, "F64", 8},
}};

const DTypeInfo &info(DType type)
{
    return kDTypes[static_cast<size_t>(type)];
}

} // namespace

size_t dtypeSize(DType type)
{
    return info(type).size;
}

const char *dtypeName(DType type)
{
    return info(type).name;
}

std::optional<DType> dtypeFromName(std::string_view name)
{
    for (const auto &d : kDTypes) {
        if (name == d.name)
            return d.type;
    }
    return std::nullopt;
}

bool dtypeIsFloat(DType type)
{
    switch (type) {
    case DType::F8E5M2:
    case DType::F8E4M3:
    case DType::F16:
    case DType::BF16:
    case DType::F32:
    case DType::F64:
        return true;
    default:
        return false;
    }
}

float f16ToF32(uint16_t half)
{
    const uint32_t sign = static_cast<uint32_t>(half & 0x8000u) << 16;
    const uint32_t exponent = (half >> 10) & 0x1Fu;
    uint32_t mantissa = half & 0x3FFu;
    uint32_t bits;
    if (exponent == 0x1F) {
        bits = sign | 0x7F800000u | (mantissa << 13); // inf, or NaN with its payload
    } else if (exponent != 0) {
        bits = sign | ((exponent + 127 - 15) << 23) | (mantissa << 13);
    } else if (mantissa == 0) {
        bits = sign; // signed zero
    } else {
        // Subnormal half: every one is a normal float. Shift the leading 1 into the implicit
        // bit position and lower the exponent once per shift.
        uint32_t e = 127 - 15 + 1;
        while ((mantissa & 0x400u) == 0) {
            mantissa <<= 1;
            --e;
        }
        bits = sign | (e << 23) | ((mantissa & 0x3FFu) << 13);
    }
    return std::bit_cast<float>(bits);
}

uint16_t f32ToF16(float value)
{
    const uint32_t x = std::bit_cast<uint32_t>(value);
    const auto sign = static_cast<uint16_t>((x >> 16) & 0x8000u);
    const uint32_t absx = x & 0x7FFFFFFFu;

    if (absx > 0x7F800000u) // NaN: keep the top payload bits, force quiet so it cannot become inf
        return static_cast<uint16_t>(sign | 0x7E00u | ((absx >> 13) & 0x3FFu));
    if (absx >= 0x47800000u) // >= 65536 (or inf): beyond the largest half even after rounding
        return static_cast<uint16_t>(sign | 0x7C00u);

    const uint32_t exponent = absx >> 23;
    if (exponent < 113) {
        // Result is a half subnormal (or zero): m = round(value / 2^-24). Below 2^-25 (exponent
        // 102) everything rounds to zero; float subnormals are far below that.
        if (exponent < 102)
            return sign;
        const uint32_t mantissa = (absx & 0x7FFFFFu) | 0x800000u;
        const uint32_t shift = 126 - exponent; // 14..24
        uint32_t m = mantissa >> shift;
        const uint32_t rest = mantissa & ((1u << shift) - 1);
        const uint32_t halfway = 1u << (shift - 1);
        if (rest > halfway || (rest == halfway && (m & 1u)))
            ++m; // may carry into the smallest normal, which is the right encoding
        return static_cast<uint16_t>(sign | m);
    }

    // Normal range: rebias, then round the 13 dropped bits to nearest even. A carry out of the
    // mantissa bumps the exponent, and out of the largest finite value it yields inf (0x7C00).
    uint32_t bits = absx - ((127u - 15u) << 23);
    bits += 0xFFFu + ((bits >> 13) & 1u);
    return static_cast<uint16_t>(sign | (bits >> 13));
}

float bf16ToF32(uint16_t bf16)
{
    return std::bit_cast<float>(static_cast<uint32_t>(bf16) << 16);
}

uint16_t f32ToBf16(float value)
{
    const uint32_t x = std::bit_cast<uint32_t>(value);
    if ((x & 0x7FFFFFFFu) > 0x7F800000u) // NaN: truncating could clear the payload and give inf
        return static_cast<uint16_t>((x >> 16) | 0x40u);
    return static_cast<uint16_t>((x + 0x7FFFu + ((x >> 16) & 1u)) >> 16);
}

} // namespace wb

#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string_view>

namespace wb {

// The element types a safetensors file can declare (see FORMATS.md). Sub-byte and exotic
// types of newer safetensors versions (F4, F6, F8_E8M0) are not listed: no Llama-family
// checkpoint we load uses them, and a file that does is refused as "unknown dtype".
enum class DType {
    Bool,
    U8,
    I8,
    F8E5M2,
    F8E4M3,
    I16,
    U16,
    F16,
    BF16,
    I32,
    U32,
    F32,
    I64,
    U64,
    F64
};

size_t dtypeSize(DType type);      // bytes per element
const char *dtypeName(DType type); // safetensors spelling: "BF16", "F8_E5M2"
std::optional<DType> dtypeFromName(std::string_view name); // exact safetensors spelling only
bool dtypeIsFloat(DType type);                             // F8*, F16, BF16, F32, F64

// IEEE half and bfloat16 conversions, bit-exact and independent of the FPU's rounding mode
// and of -ffast-math: narrowing rounds to nearest, ties to even; overflow gives infinity;
// NaN stays NaN (quiet, sign kept); subnormals are converted, not flushed.
float f16ToF32(uint16_t half);
uint16_t f32ToF16(float value);
float bf16ToF32(uint16_t bf16);
uint16_t f32ToBf16(float value);

} // namespace wb

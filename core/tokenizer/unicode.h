#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>

// Unicode pieces the tokenizers need beyond core/common/text.h: normalization forms (ICU),
// the GPT-2 byte <-> printable-character mapping, and lossy UTF-8 decoding with the exact
// replacement rules Hugging Face tokenizers use.
namespace wb::unicode {

enum class NormalForm { Nfc, Nfd, Nfkc, Nfkd };

// Throws Error(Internal) only if ICU itself fails; input must be valid UTF-8.
std::string normalize(std::string_view utf8, NormalForm form);
inline std::string nfc(std::string_view utf8) { return normalize(utf8, NormalForm::Nfc); }
// Lowercases the whole string with its context (final sigma), as Python's str.lower() does
// (sentence-transformers' do_lower_case).
std::string toLower(std::string_view utf8);
// Lowercases character by character with no context (Σ is always σ), as Rust's
// char::to_lowercase and so Hugging Face tokenizers' Lowercase and BertNormalizer do.
std::string lowerEachChar(std::string_view utf8);

// Reads one code point at pos and advances pos; returns false (and advances one byte) on an
// invalid sequence.
bool nextCodePoint(std::string_view s, size_t &pos, char32_t &cp);
void appendUtf8(std::string &out, char32_t cp);

// Unicode White_Space and Rust-regex `\w` (Alphabetic, marks, Nd, Pc, Join_Control): the
// classes Hugging Face uses for added tokens' lstrip / rstrip / single_word.
bool isWhitespace(char32_t cp);
bool isWordChar(char32_t cp);

// General categories, for BertNormalizer / BertPreTokenizer: Other (Cc, Cf, Cn, Co, Cs),
// punctuation (any P*), non-spacing mark (Mn).
bool isOther(char32_t cp);
bool isPunctuation(char32_t cp);
bool isNonSpacingMark(char32_t cp);

// GPT-2's reversible byte -> printable character mapping (byte 0x20 -> U+0120 'Ġ').
// Entry b is the UTF-8 encoding of the character that stands for byte b.
const std::array<std::string, 256> &byteToUnicode();
// The byte a character stands for, or -1 when it is not in the mapping.
int unicodeToByte(char32_t cp);
// Maps every byte of `bytes` through byteToUnicode().
std::string bytesToUnicode(std::string_view bytes);
// Inverse: maps every character back to its byte; returns false when some character is not
// in the mapping (then `out` is unspecified).
bool unicodeToBytes(std::string_view text, std::string &out);

// Decodes bytes as UTF-8, replacing each maximal invalid subsequence by U+FFFD, exactly as
// Rust's String::from_utf8_lossy does (which HF's ByteLevel decoder uses).
std::string utf8Lossy(std::string_view bytes);

inline constexpr std::string_view kReplacementChar = "\xEF\xBF\xBD";

} // namespace wb::unicode

#pragma once

// The part of ICU's API that core/tokenizer/unicode.cpp uses, for machines without ICU's
// headers (the GPU image has PyTorch but no libicu-dev). gpu/CMakeLists.txt compiles
// core/tokenizer/unicode.cpp itself against this folder, so the UTF-8 code stays the core's.
// Code points below U+0080 get ICU's own answers (general category, White_Space, Alphabetic,
// lowercase; ASCII is invariant under every normalization form); any other code point throws
// Error(Unsupported), so that no text is ever tokenized differently from an ICU build.
// Should unicode.cpp start to use more of ICU, this fails to compile rather than drift.

#include "common/error.h"

#include <cstdint>
#include <cstdio>
#include <string>

using UChar32 = int32_t;

enum UErrorCode { U_ZERO_ERROR = 0 };
inline bool U_FAILURE(UErrorCode code) { return code > U_ZERO_ERROR; }
inline const char *u_errorName(UErrorCode) { return "U_ZERO_ERROR"; }

enum UCharCategory : int8_t {
    U_UNASSIGNED = 0,
    U_UPPERCASE_LETTER = 1,
    U_LOWERCASE_LETTER = 2,
    U_NON_SPACING_MARK = 6,
    U_ENCLOSING_MARK = 7,
    U_COMBINING_SPACING_MARK = 8,
    U_DECIMAL_DIGIT_NUMBER = 9,
    U_SPACE_SEPARATOR = 12,
    U_CONTROL_CHAR = 15,
    U_FORMAT_CHAR = 16,
    U_PRIVATE_USE_CHAR = 17,
    U_SURROGATE = 18,
    U_DASH_PUNCTUATION = 19,
    U_START_PUNCTUATION = 20,
    U_END_PUNCTUATION = 21,
    U_CONNECTOR_PUNCTUATION = 22,
    U_OTHER_PUNCTUATION = 23,
    U_MATH_SYMBOL = 24,
    U_CURRENCY_SYMBOL = 25,
    U_MODIFIER_SYMBOL = 26,
    U_INITIAL_PUNCTUATION = 28,
    U_FINAL_PUNCTUATION = 29,
};

#define U_MASK(x) ((uint32_t)1 << (x))
#define U_GC_P_MASK                                                                            \
    (U_MASK(U_DASH_PUNCTUATION) | U_MASK(U_START_PUNCTUATION) | U_MASK(U_END_PUNCTUATION)       \
     | U_MASK(U_CONNECTOR_PUNCTUATION) | U_MASK(U_OTHER_PUNCTUATION)                           \
     | U_MASK(U_INITIAL_PUNCTUATION) | U_MASK(U_FINAL_PUNCTUATION))

enum UProperty { UCHAR_ALPHABETIC = 0, UCHAR_JOIN_CONTROL = 15, UCHAR_CHANGES_WHEN_LOWERCASED = 50 };

namespace wb::icu_ascii {

[[noreturn]] inline void refuse(UChar32 c)
{
    char hex[16];
    std::snprintf(hex, sizeof hex, "U+%04X", unsigned(c));
    throw Error(ErrorCode::Unsupported,
                std::string("this build of the encoder has no ICU (gpu/encoder_fallback): it tokenizes "
                            "ASCII text only, and the text holds ")
                    + hex + "; install libicu-dev and libpcre2-dev and configure again");
}

// ICU's general category of an ASCII character.
inline UCharCategory category(UChar32 c)
{
    if (c < 0 || c >= 0x80)
        refuse(c);
    if (c < 0x20 || c == 0x7F)
        return U_CONTROL_CHAR;
    if (c == ' ')
        return U_SPACE_SEPARATOR;
    if (c >= '0' && c <= '9')
        return U_DECIMAL_DIGIT_NUMBER;
    if (c >= 'A' && c <= 'Z')
        return U_UPPERCASE_LETTER;
    if (c >= 'a' && c <= 'z')
        return U_LOWERCASE_LETTER;
    switch (c) {
    case '(': case '[': case '{':
        return U_START_PUNCTUATION;
    case ')': case ']': case '}':
        return U_END_PUNCTUATION;
    case '-':
        return U_DASH_PUNCTUATION;
    case '_':
        return U_CONNECTOR_PUNCTUATION;
    case '$':
        return U_CURRENCY_SYMBOL;
    case '+': case '<': case '=': case '>': case '|': case '~':
        return U_MATH_SYMBOL;
    case '^': case '`':
        return U_MODIFIER_SYMBOL;
    default: // ! " # % & ' * , . / : ; ? @ backslash
        return U_OTHER_PUNCTUATION;
    }
}

} // namespace wb::icu_ascii

inline int8_t u_charType(UChar32 c) { return wb::icu_ascii::category(c); }
inline uint32_t U_GET_GC_MASK(UChar32 c) { return U_MASK(wb::icu_ascii::category(c)); }
inline bool u_isUWhiteSpace(UChar32 c)
{
    wb::icu_ascii::category(c); // refuses non-ASCII
    return c == ' ' || (c >= 0x09 && c <= 0x0D);
}
inline bool u_hasBinaryProperty(UChar32 c, UProperty which)
{
    const UCharCategory cat = wb::icu_ascii::category(c);
    switch (which) {
    case UCHAR_ALPHABETIC:
        return cat == U_UPPERCASE_LETTER || cat == U_LOWERCASE_LETTER;
    case UCHAR_CHANGES_WHEN_LOWERCASED:
        return cat == U_UPPERCASE_LETTER;
    case UCHAR_JOIN_CONTROL: // U+200C, U+200D
        return false;
    }
    return false;
}

namespace icu {

class StringPiece
{
public:
    StringPiece(const char *data, int32_t size) : m_text(data, size_t(size)) {}
    const std::string &text() const { return m_text; }

private:
    std::string m_text;
};

template <typename StringClass>
class StringByteSink
{
public:
    explicit StringByteSink(StringClass *dest) : m_dest(dest) {}
    StringClass *dest() const { return m_dest; }

private:
    StringClass *m_dest;
};

class Edits;

class Locale
{
public:
    static const Locale &getRoot()
    {
        static const Locale root;
        return root;
    }
};

// unicode.cpp reaches a normalizer only for text with a non-ASCII byte.
class Normalizer2
{
public:
    static const Normalizer2 *getNFCInstance(UErrorCode &) { return instance(); }
    static const Normalizer2 *getNFDInstance(UErrorCode &) { return instance(); }
    static const Normalizer2 *getNFKCInstance(UErrorCode &) { return instance(); }
    static const Normalizer2 *getNFKDInstance(UErrorCode &) { return instance(); }
    void normalizeUTF8(uint32_t, StringPiece s, StringByteSink<std::string> &sink, Edits *, UErrorCode &) const
    {
        for (unsigned char c : s.text())
            wb::icu_ascii::category(c); // refuses the first non-ASCII byte
        sink.dest()->append(s.text());
    }

private:
    static const Normalizer2 *instance()
    {
        static const Normalizer2 n;
        return &n;
    }
};

class UnicodeString
{
public:
    UnicodeString() = default;
    explicit UnicodeString(UChar32 c)
    {
        wb::icu_ascii::category(c);
        m_text.push_back(char(c));
    }
    static UnicodeString fromUTF8(StringPiece s)
    {
        UnicodeString u;
        for (unsigned char c : s.text())
            wb::icu_ascii::category(c);
        u.m_text = s.text();
        return u;
    }
    UnicodeString &toLower(const Locale &)
    {
        for (char &c : m_text)
            if (c >= 'A' && c <= 'Z')
                c = char(c + 32);
        return *this;
    }
    std::string &toUTF8String(std::string &out) const { return out.append(m_text); }

private:
    std::string m_text;
};

} // namespace icu

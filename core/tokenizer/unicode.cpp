#include "tokenizer/unicode.h"

#include "common/error.h"

#include <unicode/bytestream.h>
#include <unicode/locid.h>
#include <unicode/normalizer2.h>
#include <unicode/uchar.h>
#include <unicode/unistr.h>

namespace wb::unicode {

std::string normalize(std::string_view utf8, NormalForm form)
{
    // ASCII is invariant under every normalization form: skip ICU for the common case.
    bool ascii = true;
    for (unsigned char c : utf8) {
        if (c >= 0x80) {
            ascii = false;
            break;
        }
    }
    if (ascii)
        return std::string(utf8);

    UErrorCode status = U_ZERO_ERROR;
    const icu::Normalizer2 *normalizer = nullptr;
    switch (form) {
    case NormalForm::Nfc: normalizer = icu::Normalizer2::getNFCInstance(status); break;
    case NormalForm::Nfd: normalizer = icu::Normalizer2::getNFDInstance(status); break;
    case NormalForm::Nfkc: normalizer = icu::Normalizer2::getNFKCInstance(status); break;
    case NormalForm::Nfkd: normalizer = icu::Normalizer2::getNFKDInstance(status); break;
    }
    if (U_FAILURE(status) || !normalizer)
        throw Error(ErrorCode::Internal, std::string("ICU normalizer unavailable: ") + u_errorName(status));
    std::string out;
    out.reserve(utf8.size());
    icu::StringByteSink<std::string> sink(&out);
    normalizer->normalizeUTF8(0, icu::StringPiece(utf8.data(), int32_t(utf8.size())), sink, nullptr,
                              status);
    if (U_FAILURE(status))
        throw Error(ErrorCode::Internal, std::string("ICU normalization failed: ") + u_errorName(status));
    return out;
}

std::string toLower(std::string_view utf8)
{
    icu::UnicodeString u = icu::UnicodeString::fromUTF8(icu::StringPiece(utf8.data(), int32_t(utf8.size())));
    u.toLower(icu::Locale::getRoot());
    std::string out;
    u.toUTF8String(out);
    return out;
}

std::string lowerEachChar(std::string_view utf8)
{
    std::string out;
    out.reserve(utf8.size());
    size_t pos = 0;
    while (pos < utf8.size()) {
        const size_t start = pos;
        char32_t cp = 0;
        if (!nextCodePoint(utf8, pos, cp)) {
            out.append(utf8.substr(start, pos - start));
            continue;
        }
        if (cp < 0x80) {
            out.push_back(cp >= 'A' && cp <= 'Z' ? char(cp + 32) : char(cp));
        } else if (!u_hasBinaryProperty(UChar32(cp), UCHAR_CHANGES_WHEN_LOWERCASED)) {
            out.append(utf8.substr(start, pos - start));
        } else {
            // Full mapping of the character alone (İ becomes two characters), no context.
            icu::UnicodeString u(static_cast<UChar32>(cp));
            u.toLower(icu::Locale::getRoot());
            u.toUTF8String(out);
        }
    }
    return out;
}

bool nextCodePoint(std::string_view s, size_t &pos, char32_t &cp)
{
    const auto b0 = static_cast<unsigned char>(s[pos]);
    if (b0 < 0x80) {
        cp = b0;
        ++pos;
        return true;
    }
    int len = 0;
    unsigned char lo = 0x80, hi = 0xBF;
    if (b0 >= 0xC2 && b0 <= 0xDF) {
        len = 2;
        cp = b0 & 0x1F;
    } else if (b0 >= 0xE0 && b0 <= 0xEF) {
        len = 3;
        cp = b0 & 0x0F;
        if (b0 == 0xE0)
            lo = 0xA0;
        else if (b0 == 0xED)
            hi = 0x9F;
    } else if (b0 >= 0xF0 && b0 <= 0xF4) {
        len = 4;
        cp = b0 & 0x07;
        if (b0 == 0xF0)
            lo = 0x90;
        else if (b0 == 0xF4)
            hi = 0x8F;
    } else {
        ++pos;
        return false;
    }
    for (int i = 1; i < len; ++i) {
        if (pos + i >= s.size()) {
            pos += i;
            return false;
        }
        const auto b = static_cast<unsigned char>(s[pos + i]);
        if (b < lo || b > hi) {
            pos += i; // the maximal invalid prefix ends before this byte
            return false;
        }
        lo = 0x80;
        hi = 0xBF;
        cp = (cp << 6) | (b & 0x3F);
    }
    pos += len;
    return true;
}

void appendUtf8(std::string &out, char32_t cp)
{
    if (cp < 0x80) {
        out += char(cp);
    } else if (cp < 0x800) {
        out += char(0xC0 | (cp >> 6));
        out += char(0x80 | (cp & 0x3F));
    } else if (cp < 0x10000) {
        out += char(0xE0 | (cp >> 12));
        out += char(0x80 | ((cp >> 6) & 0x3F));
        out += char(0x80 | (cp & 0x3F));
    } else {
        out += char(0xF0 | (cp >> 18));
        out += char(0x80 | ((cp >> 12) & 0x3F));
        out += char(0x80 | ((cp >> 6) & 0x3F));
        out += char(0x80 | (cp & 0x3F));
    }
}

bool isWhitespace(char32_t cp)
{
    return u_isUWhiteSpace(UChar32(cp));
}

bool isWordChar(char32_t cp)
{
    const auto c = UChar32(cp);
    if (u_hasBinaryProperty(c, UCHAR_ALPHABETIC) || u_hasBinaryProperty(c, UCHAR_JOIN_CONTROL))
        return true;
    const int8_t type = u_charType(c);
    return type == U_NON_SPACING_MARK || type == U_ENCLOSING_MARK || type == U_COMBINING_SPACING_MARK
        || type == U_DECIMAL_DIGIT_NUMBER || type == U_CONNECTOR_PUNCTUATION;
}

bool isOther(char32_t cp)
{
    switch (u_charType(UChar32(cp))) {
    case U_CONTROL_CHAR:
    case U_FORMAT_CHAR:
    case U_UNASSIGNED:
    case U_PRIVATE_USE_CHAR:
    case U_SURROGATE:
        return true;
    default:
        return false;
    }
}

bool isPunctuation(char32_t cp)
{
    return (U_GET_GC_MASK(UChar32(cp)) & U_GC_P_MASK) != 0;
}

bool isNonSpacingMark(char32_t cp)
{
    return u_charType(UChar32(cp)) == U_NON_SPACING_MARK;
}

namespace {

struct ByteTables
{
    std::array<std::string, 256> toUnicode;
    std::array<int, 512> fromUnicode{}; // every mapped code point is below 0x144

    ByteTables()
    {
        fromUnicode.fill(-1);
        // Printable Latin-1 bytes stand for themselves; the rest are shifted to 256+n so that
        // every byte becomes a visible, non-space character (GPT-2's bytes_to_unicode).
        int n = 0;
        for (int b = 0; b < 256; ++b) {
            const bool printable = (b >= 0x21 && b <= 0x7E) || (b >= 0xA1 && b <= 0xAC)
                || (b >= 0xAE && b <= 0xFF);
            const char32_t cp = printable ? char32_t(b) : char32_t(256 + n++);
            appendUtf8(toUnicode[b], cp);
            fromUnicode[cp] = b;
        }
    }
};

const ByteTables &tables()
{
    static const ByteTables t;
    return t;
}

} // namespace

const std::array<std::string, 256> &byteToUnicode()
{
    return tables().toUnicode;
}

int unicodeToByte(char32_t cp)
{
    return cp < 512 ? tables().fromUnicode[cp] : -1;
}

std::string bytesToUnicode(std::string_view bytes)
{
    const auto &map = tables().toUnicode;
    std::string out;
    out.reserve(bytes.size() * 2);
    for (unsigned char b : bytes)
        out += map[b];
    return out;
}

bool unicodeToBytes(std::string_view text, std::string &out)
{
    size_t pos = 0;
    char32_t cp = 0;
    while (pos < text.size()) {
        if (!nextCodePoint(text, pos, cp))
            return false;
        const int b = unicodeToByte(cp);
        if (b < 0)
            return false;
        out += char(b);
    }
    return true;
}

std::string utf8Lossy(std::string_view bytes)
{
    std::string out;
    out.reserve(bytes.size());
    size_t pos = 0;
    char32_t cp = 0;
    while (pos < bytes.size()) {
        const size_t start = pos;
        if (nextCodePoint(bytes, pos, cp))
            out.append(bytes.substr(start, pos - start));
        else
            out += kReplacementChar;
    }
    return out;
}

} // namespace wb::unicode

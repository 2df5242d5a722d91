#include "jsonreader.h"

#include "samebytes.h"

#include <QCoreApplication>
#include <QtEndian>
#include <QtAlgorithms>

#include <algorithm>
#include <cstring>
#include <limits>

#if defined(__SSE2__) || defined(_M_X64) || defined(_M_AMD64)
#include <emmintrin.h>
#endif

namespace {

// Bytes that end the fast scan of a string: '"', '\\', control characters
// (< 0x20) and non-ASCII bytes (>= 0x80, validated as UTF-8).
inline bool isStringSpecial(uchar c) noexcept
{
    return c == '"' || c == '\\' || c < 0x20 || c >= 0x80;
}

#if defined(__SSE2__) || defined(_M_X64) || defined(_M_AMD64)
constexpr qsizetype kBlock = 16;
// Offset of the first special byte in p[0..16), or 16.
inline int firstSpecialInBlock(const char *p) noexcept
{
    const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i *>(p));
    const __m128i quote = _mm_cmpeq_epi8(v, _mm_set1_epi8('"'));
    const __m128i backslash = _mm_cmpeq_epi8(v, _mm_set1_epi8('\\'));
    // Signed compare: bytes >= 0x80 are negative, so this catches them too.
    const __m128i low = _mm_cmplt_epi8(v, _mm_set1_epi8(0x20));
    const uint mask = uint(_mm_movemask_epi8(_mm_or_si128(_mm_or_si128(quote, backslash), low)));
    return mask ? int(qCountTrailingZeroBits(mask)) : 16;
}
#else
constexpr qsizetype kBlock = 8;
constexpr quint64 kOnes = 0x0101010101010101ULL;
constexpr quint64 kHighs = 0x8080808080808080ULL;
// Offset of the first special byte in p[0..8), or 8 (SWAR). The has-zero-byte
// trick can flag false positives only above a true one, so the lowest flagged
// byte is exact; loading little-endian makes it the first in memory.
inline int firstSpecialInBlock(const char *p) noexcept
{
    const quint64 w = qFromLittleEndian<quint64>(p);
    const quint64 quote = w ^ (kOnes * '"');
    const quint64 backslash = w ^ (kOnes * '\\');
    const quint64 special = (((quote - kOnes) & ~quote)      // == '"'
                             | ((backslash - kOnes) & ~backslash) // == '\\'
                             | ((w - kOnes * 0x20) & ~w)          // < 0x20
                             | w)                                 // >= 0x80
            & kHighs;
    return special ? int(qCountTrailingZeroBits(special) / 8) : 8;
}
#endif

inline bool isWhitespace(char c) noexcept
{
    return c == ' ' || c == '\n' || c == '\r' || c == '\t';
}

// The first non-whitespace position at or after p (compact JSON: one compare).
inline const char *skipWs(const char *p, const char *end) noexcept
{
    while (p < end && uchar(*p) <= ' ' && isWhitespace(*p))
        ++p;
    return p;
}

inline bool isDigit(char c) noexcept
{
    return c >= '0' && c <= '9';
}

inline int hexValue(char c) noexcept
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

// Four hex digits at p (already validated by scanString).
inline char32_t hex4(const char *p) noexcept
{
    return char32_t((hexValue(p[0]) << 12) | (hexValue(p[1]) << 8) | (hexValue(p[2]) << 4)
                    | hexValue(p[3]));
}

// Length of the well-formed UTF-8 sequence starting at p (its first byte is
// >= 0x80), or 0 when it is ill-formed (Unicode table 3-7: no overlongs, no
// surrogates, nothing above U+10FFFF).
inline int utf8SequenceLength(const char *p, const char *end) noexcept
{
    const auto *u = reinterpret_cast<const uchar *>(p);
    const qsizetype avail = end - p;
    const uchar b0 = u[0];
    auto cont = [](uchar b) { return (b & 0xC0) == 0x80; };
    if (b0 >= 0xC2 && b0 <= 0xDF)
        return avail >= 2 && cont(u[1]) ? 2 : 0;
    if (b0 >= 0xE0 && b0 <= 0xEF) {
        if (avail < 3)
            return 0;
        const uchar lo = b0 == 0xE0 ? 0xA0 : 0x80;
        const uchar hi = b0 == 0xED ? 0x9F : 0xBF;
        return u[1] >= lo && u[1] <= hi && cont(u[2]) ? 3 : 0;
    }
    if (b0 >= 0xF0 && b0 <= 0xF4) {
        if (avail < 4)
            return 0;
        const uchar lo = b0 == 0xF0 ? 0x90 : 0x80;
        const uchar hi = b0 == 0xF4 ? 0x8F : 0xBF;
        return u[1] >= lo && u[1] <= hi && cont(u[2]) && cont(u[3]) ? 4 : 0;
    }
    return 0;
}

// Reads the escape at p (p[0] == '\\', validated by scanString) and returns the
// code point; lone surrogates become U+FFFD. Advances p.
inline char32_t decodeEscape(const char *&p, const char *end) noexcept
{
    const char c = p[1];
    p += 2;
    switch (c) {
    case 'b':
        return 0x08;
    case 'f':
        return 0x0C;
    case 'n':
        return 0x0A;
    case 'r':
        return 0x0D;
    case 't':
        return 0x09;
    case 'u':
        break;
    default: // '"', '\\', '/'
        return char32_t(uchar(c));
    }
    const char32_t unit = hex4(p);
    p += 4;
    if (unit >= 0xD800 && unit <= 0xDBFF) {
        if (end - p >= 6 && p[0] == '\\' && p[1] == 'u') {
            const char32_t low = hex4(p + 2);
            if (low >= 0xDC00 && low <= 0xDFFF) {
                p += 6;
                return 0x10000 + ((unit - 0xD800) << 10) + (low - 0xDC00);
            }
        }
        return 0xFFFD; // a high surrogate without its low half
    }
    if (unit >= 0xDC00 && unit <= 0xDFFF)
        return 0xFFFD; // a low surrogate on its own
    return unit;
}

// Decodes a validated string body with escapes into UTF-16 at d; returns the end.
QChar *decodeToUtf16(const char *p, const char *end, QChar *d) noexcept
{
    while (p < end) {
        const auto c = uchar(*p);
        if (c == '\\') {
            const char32_t cp = decodeEscape(p, end);
            if (cp > 0xFFFF) {
                *d++ = QChar(QChar::highSurrogate(cp));
                *d++ = QChar(QChar::lowSurrogate(cp));
            } else {
                *d++ = QChar(char16_t(cp));
            }
        } else if (c < 0x80) {
            *d++ = QChar(char16_t(c));
            ++p;
        } else if (c < 0xE0) {
            *d++ = QChar(char16_t(((c & 0x1F) << 6) | (uchar(p[1]) & 0x3F)));
            p += 2;
        } else if (c < 0xF0) {
            *d++ = QChar(char16_t(((c & 0x0F) << 12) | ((uchar(p[1]) & 0x3F) << 6)
                                  | (uchar(p[2]) & 0x3F)));
            p += 3;
        } else {
            const char32_t cp = (char32_t(c & 0x07) << 18) | (char32_t(uchar(p[1]) & 0x3F) << 12)
                    | (char32_t(uchar(p[2]) & 0x3F) << 6) | char32_t(uchar(p[3]) & 0x3F);
            *d++ = QChar(QChar::highSurrogate(cp));
            *d++ = QChar(QChar::lowSurrogate(cp));
            p += 4;
        }
    }
    return d;
}

// Decodes a validated string body with escapes into UTF-8.
void decodeToUtf8(const char *p, const char *end, QByteArray &out)
{
    out.clear();
    while (p < end) {
        const char *run = p;
        while (p < end && *p != '\\')
            ++p;
        out.append(run, p - run);
        if (p == end)
            break;
        const char32_t cp = decodeEscape(p, end);
        if (cp < 0x80) {
            out.append(char(cp));
        } else if (cp < 0x800) {
            out.append(char(0xC0 | (cp >> 6)));
            out.append(char(0x80 | (cp & 0x3F)));
        } else if (cp < 0x10000) {
            out.append(char(0xE0 | (cp >> 12)));
            out.append(char(0x80 | ((cp >> 6) & 0x3F)));
            out.append(char(0x80 | (cp & 0x3F)));
        } else {
            out.append(char(0xF0 | (cp >> 18)));
            out.append(char(0x80 | ((cp >> 12) & 0x3F)));
            out.append(char(0x80 | ((cp >> 6) & 0x3F)));
            out.append(char(0x80 | (cp & 0x3F)));
        }
    }
}

// The position of the first special byte at or after p, or end. `begin` is
// the start of the whole input: when it has a full block before `end`, the
// last, short block is read as the input's last full block (in bounds), and
// the bytes before p are masked off.
inline const char *findStringSpecial(const char *p, const char *begin, const char *end) noexcept
{
    while (end - p >= kBlock) {
        const int i = firstSpecialInBlock(p);
        if (i < kBlock)
            return p + i;
        p += kBlock;
    }
    if (p == end)
        return p;
    if (end - begin >= kBlock) {
        const char *block = end - kBlock;
        const qsizetype skip = p - block;
#if defined(__SSE2__) || defined(_M_X64) || defined(_M_AMD64)
        const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i *>(block));
        const __m128i quote = _mm_cmpeq_epi8(v, _mm_set1_epi8('"'));
        const __m128i backslash = _mm_cmpeq_epi8(v, _mm_set1_epi8('\\'));
        const __m128i low = _mm_cmplt_epi8(v, _mm_set1_epi8(0x20));
        const uint mask = uint(_mm_movemask_epi8(_mm_or_si128(_mm_or_si128(quote, backslash), low)))
                >> skip;
        return mask ? p + qCountTrailingZeroBits(mask) : end;
#else
        while (p < end && !isStringSpecial(uchar(*p)))
            ++p;
        Q_UNUSED(skip);
        return p;
#endif
    }
    while (p < end && !isStringSpecial(uchar(*p)))
        ++p;
    return p;
}


} // namespace

namespace {

constexpr std::array<JsonReader::Type, 256> valueStartTable()
{
    std::array<JsonReader::Type, 256> table{}; // all Type::Invalid
    table['"'] = JsonReader::Type::String;
    table['-'] = JsonReader::Type::Number;
    for (char c = '0'; c <= '9'; ++c)
        table[uchar(c)] = JsonReader::Type::Number;
    table['['] = JsonReader::Type::Array;
    table['{'] = JsonReader::Type::Object;
    table['t'] = JsonReader::Type::Bool;
    table['f'] = JsonReader::Type::Bool;
    table['n'] = JsonReader::Type::Null;
    return table;
}

} // namespace

const std::array<JsonReader::Type, 256> JsonReader::s_valueStart = valueStartTable();

JsonReader::JsonReader(QByteArrayView json) noexcept
    : m_begin(json.data()), m_p(json.data()), m_end(json.data() + json.size())
{
    if (json.size() >= 3 && std::memcmp(m_p, "\xEF\xBB\xBF", 3) == 0)
        m_p += 3;
}

JsonReader::JsonReader(QByteArrayView json, const Position &position) noexcept
    : m_begin(json.data()), m_p(json.data()), m_end(json.data() + json.size())
{
    restore(position);
}

bool JsonReader::isValid(QByteArrayView json) noexcept
{
    JsonReader reader(json);
    reader.skipValue();
    return reader.atEnd();
}

bool JsonReader::fail(const char *at, Error error) noexcept
{
    if (m_error == Error::NoError) {
        m_error = error;
        m_errorAt = at;
        m_p = m_end;
    }
    return false;
}

JsonReader::Type JsonReader::peekFailed() noexcept
{
    if (m_p == m_end)
        fail(m_p, Error::UnexpectedEnd);
    else if (m_done && m_depth == 0)
        fail(m_p, Error::TrailingGarbage);
    else
        fail(m_p, *m_p == '.' ? Error::InvalidNumber : Error::UnexpectedCharacter); // ".5"
    return Type::Invalid;
}

bool JsonReader::beginObject() noexcept
{
    if (peek() != Type::Object)
        return false;
    if (m_depth >= MaxDepth)
        return fail(m_p, Error::TooDeep);
    ++m_p;
    m_kinds[m_depth >> 6] |= quint64(1) << (m_depth & 63);
    ++m_depth;
    m_first = true;
    return true;
}

bool JsonReader::beginArray() noexcept
{
    if (peek() != Type::Array)
        return false;
    if (m_depth >= MaxDepth)
        return fail(m_p, Error::TooDeep);
    ++m_p;
    m_kinds[m_depth >> 6] &= ~(quint64(1) << (m_depth & 63));
    ++m_depth;
    m_first = true;
    return true;
}

bool JsonReader::nextMember(QByteArrayView &key)
{
    if (m_depth == 0 || !inObject())
        return fail(m_p, Error::UnexpectedCharacter); // not inside an object
    skipWhitespace();
    if (Q_UNLIKELY(m_p == m_end))
        return fail(m_p, Error::UnexpectedEnd);
    if (*m_p == '}') {
        ++m_p;
        --m_depth;
        m_first = false;
        valueDone();
        return false;
    }
    if (!m_first) {
        if (Q_UNLIKELY(*m_p != ','))
            return fail(m_p, Error::UnexpectedCharacter);
        ++m_p;
        skipWhitespace();
        if (Q_UNLIKELY(m_p == m_end))
            return fail(m_p, Error::UnexpectedEnd);
    }
    if (Q_UNLIKELY(*m_p != '"'))
        return fail(m_p, Error::UnexpectedCharacter);
    bool escaped = false;
    const char *start = m_p + 1;
    const char *after = scanString(start, &escaped);
    if (Q_UNLIKELY(!after))
        return false;
    if (Q_LIKELY(!escaped)) {
        key = QByteArrayView(start, after - 1 - start);
    } else {
        decodeToUtf8(start, after - 1, m_keyBuffer);
        key = m_keyBuffer;
    }
    m_p = after;
    skipWhitespace();
    if (Q_UNLIKELY(m_p == m_end || *m_p != ':'))
        return fail(m_p, m_p == m_end ? Error::UnexpectedEnd : Error::UnexpectedCharacter);
    ++m_p;
    m_first = false;
    return true;
}

int JsonReader::nextMemberOf(const QByteArrayView *names, int count)
{
    if (m_depth == 0 || !inObject()) {
        fail(m_p, Error::UnexpectedCharacter); // not inside an object
        return -1;
    }
    const char *p = m_p;
    const char *const end = m_end;
    bool first = m_first;
    for (;;) {
        p = skipWs(p, end);
        if (Q_UNLIKELY(p == end))
            return fail(p, Error::UnexpectedEnd), -1;
        if (*p == '}') {
            m_p = p + 1;
            --m_depth;
            m_first = false;
            valueDone();
            return -1;
        }
        if (!first) {
            if (Q_UNLIKELY(*p != ','))
                return fail(p, Error::UnexpectedCharacter), -1;
            ++p;
            p = skipWs(p, end);
            if (Q_UNLIKELY(p == end))
                return fail(p, Error::UnexpectedEnd), -1;
        }
        first = false;
        if (Q_UNLIKELY(*p != '"'))
            return fail(p, Error::UnexpectedCharacter), -1;

        // The name.
        const char *start = p + 1;
        const char *close = findStringSpecial(start, m_begin, end);
        bool escaped = false;
        if (Q_UNLIKELY(close == end || *close != '"')) {
            const char *after = scanStringSlow(close, &escaped);
            if (!after)
                return -1;
            close = after - 1;
        }
        QByteArrayView key(start, close - start);
        if (Q_UNLIKELY(escaped)) {
            decodeToUtf8(start, close, m_keyBuffer);
            key = m_keyBuffer;
        }
        p = close + 1;
        p = skipWs(p, end);
        if (Q_UNLIKELY(p == end || *p != ':'))
            return fail(p, p == end ? Error::UnexpectedEnd : Error::UnexpectedCharacter), -1;
        ++p;
        for (int i = 0; i < count; ++i) {
            if (names[i].size() == key.size() && sameBytes(names[i].data(), key.data(), key.size())) {
                m_p = p;
                m_first = false;
                return i;
            }
        }

        // Not wanted: skip the value.
        p = skipWs(p, end);
        if (Q_UNLIKELY(p == end))
            return fail(p, Error::UnexpectedEnd), -1;
        switch (s_valueStart[uchar(*p)]) {
        case Type::String: {
            const char *q = findStringSpecial(p + 1, m_begin, end);
            if (Q_LIKELY(q < end && *q == '"')) {
                p = q + 1;
            } else {
                p = scanStringSlow(q, &escaped);
                if (!p)
                    return -1;
            }
            break;
        }
        case Type::Number: {
            bool integer = false;
            p = scanNumber(p, &integer);
            if (!p)
                return -1;
            break;
        }
        case Type::Null:
        case Type::Bool:
            p = scanLiteral(p);
            if (!p)
                return -1;
            break;
        case Type::Array:
        case Type::Object:
            m_p = p;
            if (!skipValue())
                return -1;
            p = m_p;
            break;
        case Type::Invalid:
            return fail(p, *p == '.' ? Error::InvalidNumber : Error::UnexpectedCharacter), -1;
        }
    }
}

bool JsonReader::nextElement() noexcept
{
    if (m_depth == 0 || inObject())
        return fail(m_p, Error::UnexpectedCharacter); // not inside an array
    skipWhitespace();
    if (Q_UNLIKELY(m_p == m_end))
        return fail(m_p, Error::UnexpectedEnd);
    if (*m_p == ']') {
        ++m_p;
        --m_depth;
        m_first = false;
        valueDone();
        return false;
    }
    if (!m_first) {
        if (Q_UNLIKELY(*m_p != ','))
            return fail(m_p, Error::UnexpectedCharacter);
        ++m_p;
    }
    m_first = false;
    return true;
}

// p is just after the opening quote. Returns the position after the closing
// quote, or nullptr with the error recorded. The common case, ASCII without
// escapes, is one search for the closing quote.
inline const char *JsonReader::scanString(const char *p, bool *escaped) noexcept
{
    p = findStringSpecial(p, m_begin, m_end);
    if (Q_LIKELY(p < m_end && *p == '"'))
        return p + 1;
    return scanStringSlow(p, escaped);
}

// The rest of a string from a special byte on (or from the end).
const char *JsonReader::scanStringSlow(const char *p, bool *escaped) noexcept
{
    const char *const end = m_end;
    for (;;) {
        if (p == end) {
            fail(p, Error::UnexpectedEnd);
            return nullptr;
        }
        const auto c = uchar(*p);
        if (c == '"')
            return p + 1;
        if (c == '\\') {
            if (end - p < 2) {
                fail(end, Error::UnexpectedEnd);
                return nullptr;
            }
            switch (p[1]) {
            case '"':
            case '\\':
            case '/':
            case 'b':
            case 'f':
            case 'n':
            case 'r':
            case 't':
                p += 2;
                break;
            case 'u':
                for (int i = 2; i < 6; ++i) {
                    if (p + i == end) {
                        fail(end, Error::UnexpectedEnd);
                        return nullptr;
                    }
                    if (hexValue(p[i]) < 0) {
                        fail(p, Error::InvalidEscape);
                        return nullptr;
                    }
                }
                p += 6;
                break;
            default:
                fail(p, Error::InvalidEscape);
                return nullptr;
            }
            *escaped = true;
        } else if (c < 0x20) {
            fail(p, Error::ControlCharacter);
            return nullptr;
        } else {
            // Non-ASCII: validate this and any directly following sequences.
            do {
                const int n = utf8SequenceLength(p, end);
                if (n == 0) {
                    fail(p, Error::InvalidUtf8);
                    return nullptr;
                }
                p += n;
            } while (p < end && uchar(*p) >= 0x80);
        }
        p = findStringSpecial(p, m_begin, end);
    }
}

// p is at '-' or a digit. Returns the position after the number, or nullptr.
const char *JsonReader::scanNumber(const char *p, bool *isInteger) noexcept
{
    const char *const start = p;
    const char *const end = m_end;
    if (*p == '-')
        ++p;
    if (p == end) {
        fail(p, Error::UnexpectedEnd);
        return nullptr;
    }
    const char *digits = p;
    if (*p == '0') {
        ++p;
        if (p < end && isDigit(*p)) {
            fail(p, Error::InvalidNumber); // leading zero
            return nullptr;
        }
    } else if (isDigit(*p)) {
        while (p < end && isDigit(*p))
            ++p;
    } else {
        fail(p, Error::InvalidNumber);
        return nullptr;
    }
    qsizetype digitCount = p - digits;
    if (Q_LIKELY(p < end && *p != '.' && *p != 'e' && *p != 'E' && digitCount <= 300)) {
        *isInteger = true; // the common case: a plain integer
        return p;
    }
    bool integer = true;
    if (p < end && *p == '.') {
        ++p;
        const char *frac = p;
        while (p < end && isDigit(*p))
            ++p;
        if (p == frac) {
            fail(p, p == end ? Error::UnexpectedEnd : Error::InvalidNumber);
            return nullptr;
        }
        digitCount += p - frac;
        integer = false;
    }
    bool hasExponent = false;
    qsizetype exponentDigits = 0;
    int exponent = 0;
    if (p < end && (*p == 'e' || *p == 'E')) {
        ++p;
        if (p < end && (*p == '+' || *p == '-'))
            ++p;
        const char *exp = p;
        while (p < end && isDigit(*p)) {
            if (exponent < 100000)
                exponent = exponent * 10 + (*p - '0');
            ++p;
        }
        if (p == exp) {
            fail(p, p == end ? Error::UnexpectedEnd : Error::InvalidNumber);
            return nullptr;
        }
        exponentDigits = p - exp;
        hasExponent = true;
        integer = false;
    }
    // Range: like QJsonDocument, reject what does not convert to a double
    // (overflow, underflow of a non-zero literal). Only numbers that could be
    // near the limits pay for a conversion.
    const bool surelyInRange = hasExponent ? (digitCount <= 80 && exponentDigits <= 3 && exponent <= 200)
                                           : digitCount <= 300;
    if (!surelyInRange) {
        bool ok = false;
        [[maybe_unused]] const double value = QByteArrayView(start, p - start).toDouble(&ok);
        if (!ok) {
            fail(start, Error::NumberOutOfRange);
            return nullptr;
        }
    }
    *isInteger = integer;
    return p;
}

// p is at 't', 'f' or 'n'. Returns the position after the literal, or nullptr.
const char *JsonReader::scanLiteral(const char *p) noexcept
{
    const qsizetype avail = m_end - p;
    const char *word = *p == 't' ? "true" : *p == 'f' ? "false" : "null";
    const qsizetype len = *p == 'f' ? 5 : 4;
    if (Q_LIKELY(avail >= 4)) {
        // "true"/"null" in one compare; "false" is "fals" + 'e'.
        quint32 got;
        quint32 want;
        std::memcpy(&got, p, 4);
        std::memcpy(&want, word, 4);
        if (got == want && (len == 4 || (avail >= 5 && p[4] == 'e')))
            return p + len;
    }
    for (qsizetype i = 1; i < len; ++i) {
        if (i >= avail) {
            fail(m_end, Error::UnexpectedEnd);
            return nullptr;
        }
        if (p[i] != word[i]) {
            fail(p, Error::InvalidLiteral);
            return nullptr;
        }
    }
    return p + len;
}

bool JsonReader::skipValue() noexcept
{
    switch (peek()) {
    case Type::Invalid:
        return false;
    case Type::String: {
        bool escaped = false;
        const char *after = scanString(m_p + 1, &escaped);
        if (!after)
            return false;
        m_p = after;
        valueDone();
        return true;
    }
    case Type::Null:
    case Type::Bool: {
        const char *after = scanLiteral(m_p);
        if (!after)
            return false;
        m_p = after;
        valueDone();
        return true;
    }
    case Type::Number: {
        bool integer = false;
        const char *after = scanNumber(m_p, &integer);
        if (!after)
            return false;
        m_p = after;
        valueDone();
        return true;
    }
    case Type::Array:
    case Type::Object:
        break;
    }

    // A container: walk it without recursion. One bit per container opened
    // in here: 1 = object, 0 = array.
    quint64 kinds[MaxDepth / 64];
    int level = 0;
    bool inObject = false; // the kind of container level - 1
    const char *p = m_p;
    const char *const end = m_end;
    for (;;) {
        // A value starts at p (after whitespace).
        p = skipWs(p, end);
        if (Q_UNLIKELY(p == end))
            return fail(p, Error::UnexpectedEnd);
        const char c = *p;
        if (c == '"') {
            bool escaped = false;
            p = scanString(p + 1, &escaped);
            if (!p)
                return false;
        } else if (c == '{' || c == '[') {
            if (Q_UNLIKELY(m_depth + level >= MaxDepth))
                return fail(p, Error::TooDeep);
            ++p;
            p = skipWs(p, end);
            if (Q_UNLIKELY(p == end))
                return fail(p, Error::UnexpectedEnd);
            if (*p == (c == '{' ? '}' : ']')) {
                ++p; // an empty container is a complete value
            } else {
                const quint64 bit = quint64(1) << (level & 63);
                inObject = c == '{';
                if (inObject)
                    kinds[level >> 6] |= bit;
                else
                    kinds[level >> 6] &= ~bit;
                ++level;
                if (c == '[')
                    continue; // the first element
                goto memberName;
            }
        } else if (c == 't' || c == 'f' || c == 'n') {
            p = scanLiteral(p);
            if (!p)
                return false;
        } else if (c == '-' || isDigit(c)) {
            bool integer = false;
            p = scanNumber(p, &integer);
            if (!p)
                return false;
        } else {
            return fail(p, c == '.' ? Error::InvalidNumber : Error::UnexpectedCharacter);
        }

        // A value ended: close containers, or go on to the next member/element.
        for (;;) {
            if (level == 0) {
                m_p = p;
                valueDone();
                return true;
            }
            p = skipWs(p, end);
            if (Q_UNLIKELY(p == end))
                return fail(p, Error::UnexpectedEnd);
            if (*p == ',') {
                ++p;
                if (inObject)
                    goto memberName;
                break; // the next element
            }
            if (Q_UNLIKELY(*p != (inObject ? '}' : ']')))
                return fail(p, Error::UnexpectedCharacter);
            ++p;
            --level;
            if (level > 0)
                inObject = (kinds[(level - 1) >> 6] >> ((level - 1) & 63)) & 1;
        }
        continue;

    memberName:
        // After '{' or ',' in an object: "name" ':'
        p = skipWs(p, end);
        if (Q_UNLIKELY(p == end))
            return fail(p, Error::UnexpectedEnd);
        if (Q_UNLIKELY(*p != '"'))
            return fail(p, Error::UnexpectedCharacter);
        {
            bool escaped = false;
            p = scanString(p + 1, &escaped);
            if (!p)
                return false;
        }
        p = skipWs(p, end);
        if (Q_UNLIKELY(p == end || *p != ':'))
            return fail(p, p == end ? Error::UnexpectedEnd : Error::UnexpectedCharacter);
        ++p;
    }
}

bool JsonReader::skipString() noexcept
{
    if (peek() != Type::String)
        return false;
    bool escaped = false;
    const char *after = scanString(m_p + 1, &escaped);
    if (!after)
        return false;
    m_p = after;
    valueDone();
    return true;
}

bool JsonReader::skipValue(QByteArrayView &raw) noexcept
{
    if (peek() == Type::Invalid)
        return false;
    const char *start = m_p;
    if (!skipValue())
        return false;
    raw = QByteArrayView(start, m_p - start);
    return true;
}

namespace {

// Makes `out` a string of `size` units to be overwritten, reusing its memory
// when nobody else holds it.
inline QChar *prepareString(QString &out, qsizetype size)
{
    if (!out.isDetached())
        out = QString();
    out.resize(size);
    return out.data();
}

// Copies n UTF-16 units inline, with overlapping word moves: the strings of
// a stream are short and of every length, a call to memcpy for each costs
// more than the copy, and glibc's may leave the upper vector state dirty
// (see sse/vectorstate.h).
inline void copyUnits(QChar *to, const char16_t *from, qsizetype n) noexcept
{
    auto *d = reinterpret_cast<char *>(to);
    const auto *s = reinterpret_cast<const char *>(from);
    const qsizetype bytes = n * qsizetype(sizeof(char16_t));
    if (bytes >= 16) {
        for (qsizetype i = 0; i + 16 < bytes; i += 16) {
            quint64 a, b;
            std::memcpy(&a, s + i, 8);
            std::memcpy(&b, s + i + 8, 8);
            std::memcpy(d + i, &a, 8);
            std::memcpy(d + i + 8, &b, 8);
        }
        quint64 a, b; // the last sixteen bytes, overlapping the ones before
        std::memcpy(&a, s + bytes - 16, 8);
        std::memcpy(&b, s + bytes - 8, 8);
        std::memcpy(d + bytes - 16, &a, 8);
        std::memcpy(d + bytes - 8, &b, 8);
    } else if (bytes >= 8) {
        quint64 a, b;
        std::memcpy(&a, s, 8);
        std::memcpy(&b, s + bytes - 8, 8);
        std::memcpy(d, &a, 8);
        std::memcpy(d + bytes - 8, &b, 8);
    } else if (bytes >= 4) {
        quint32 a, b;
        std::memcpy(&a, s, 4);
        std::memcpy(&b, s + bytes - 4, 4);
        std::memcpy(d, &a, 4);
        std::memcpy(d + bytes - 4, &b, 4);
    } else if (bytes == 2) {
        std::memcpy(d, s, 2);
    }
}

// Strings whose UTF-16 form fits this buffer are validated and decoded in
// one pass (readString); longer ones, and any error, take the two passes.
constexpr qsizetype kStringBuffer = 256;

inline int hex4Checked(const char *p) noexcept
{
    const int a = hexValue(p[0]), b = hexValue(p[1]), c = hexValue(p[2]), d = hexValue(p[3]);
    return (a | b | c | d) < 0 ? -1 : (a << 12) | (b << 8) | (c << 4) | d;
}

// Validates and decodes the string body at p (just after the opening quote)
// into buffer[0..kStringBuffer). Returns the number of UTF-16 units and sets
// *after to the position after the closing quote; -1 when the string does not
// fit or is not valid (the caller then reads it the careful way, which also
// reports the error where it is). Same results as scanStringSlow() followed by
// decodeToUtf16().
qsizetype decodeShortString(const char *p, const char *end, char16_t *buffer, const char **after) noexcept
{
    char16_t *d = buffer;
    char16_t *const limit = buffer + kStringBuffer;
    for (;;) {
        // A run of plain ASCII.
#if defined(__SSE2__) || defined(_M_X64) || defined(_M_AMD64)
        if (end - p >= 16 && limit - d >= 16) {
            const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i *>(p));
            const __m128i quote = _mm_cmpeq_epi8(v, _mm_set1_epi8('"'));
            const __m128i backslash = _mm_cmpeq_epi8(v, _mm_set1_epi8('\\'));
            const __m128i low = _mm_cmplt_epi8(v, _mm_set1_epi8(0x20)); // and >= 0x80
            const uint mask = uint(_mm_movemask_epi8(_mm_or_si128(_mm_or_si128(quote, backslash), low)));
            // All sixteen bytes widened; only those before the first special count.
            const __m128i zero = _mm_setzero_si128();
            _mm_storeu_si128(reinterpret_cast<__m128i *>(d), _mm_unpacklo_epi8(v, zero));
            _mm_storeu_si128(reinterpret_cast<__m128i *>(d + 8), _mm_unpackhi_epi8(v, zero));
            if (mask == 0) {
                p += 16;
                d += 16;
                continue;
            }
            const int n = int(qCountTrailingZeroBits(mask));
            p += n;
            d += n;
        } else
#endif
        {
            while (p < end && !isStringSpecial(uchar(*p))) {
                if (d == limit)
                    return -1;
                *d++ = char16_t(uchar(*p++));
            }
            if (p == end)
                return -1;
        }

        const auto c = uchar(*p);
        if (c == '"') {
            *after = p + 1;
            return d - buffer;
        }
        if (limit - d < 2)
            return -1;
        if (c == '\\') {
            if (end - p < 2)
                return -1;
            switch (p[1]) {
            case '"':
            case '\\':
            case '/':
                *d++ = char16_t(uchar(p[1]));
                break;
            case 'b':
                *d++ = 0x08;
                break;
            case 'f':
                *d++ = 0x0C;
                break;
            case 'n':
                *d++ = 0x0A;
                break;
            case 'r':
                *d++ = 0x0D;
                break;
            case 't':
                *d++ = 0x09;
                break;
            case 'u': {
                if (end - p < 6)
                    return -1;
                const int unit = hex4Checked(p + 2);
                if (unit < 0)
                    return -1;
                p += 6;
                if (unit >= 0xD800 && unit <= 0xDBFF) {
                    if (end - p >= 6 && p[0] == '\\' && p[1] == 'u') {
                        const int low = hex4Checked(p + 2);
                        if (low < 0)
                            return -1;
                        if (low >= 0xDC00 && low <= 0xDFFF) {
                            *d++ = char16_t(unit);
                            *d++ = char16_t(low);
                            p += 6;
                            continue;
                        }
                    }
                    *d++ = 0xFFFD; // a high surrogate without its low half
                } else if (unit >= 0xDC00 && unit <= 0xDFFF) {
                    *d++ = 0xFFFD; // a low surrogate on its own
                } else {
                    *d++ = char16_t(unit);
                }
                continue;
            }
            default:
                return -1;
            }
            p += 2;
            continue;
        }
        if (c < 0x80)
            return -1; // a control character
        // Non-ASCII: this and any directly following sequences.
        do {
            if (limit - d < 2)
                return -1;
            const auto *u = reinterpret_cast<const uchar *>(p);
            switch (utf8SequenceLength(p, end)) {
            case 2:
                *d++ = char16_t(((u[0] & 0x1F) << 6) | (u[1] & 0x3F));
                p += 2;
                break;
            case 3:
                *d++ = char16_t(((u[0] & 0x0F) << 12) | ((u[1] & 0x3F) << 6) | (u[2] & 0x3F));
                p += 3;
                break;
            case 4: {
                const char32_t cp = (char32_t(u[0] & 0x07) << 18) | (char32_t(u[1] & 0x3F) << 12)
                        | (char32_t(u[2] & 0x3F) << 6) | char32_t(u[3] & 0x3F);
                *d++ = QChar::highSurrogate(cp);
                *d++ = QChar::lowSurrogate(cp);
                p += 4;
                break;
            }
            default:
                return -1;
            }
        } while (p < end && uchar(*p) >= 0x80);
    }
}

} // namespace

bool JsonReader::readString(QString &out)
{
    if (peek() != Type::String)
        return false;
    const char *start = m_p + 1;
    char16_t buffer[kStringBuffer];
    const char *after = nullptr;
    const qsizetype units = decodeShortString(start, m_end, buffer, &after);
    if (Q_LIKELY(units >= 0)) {
        QChar *d = prepareString(out, units);
        if (units > 0)
            copyUnits(d, buffer, units);
        m_p = after;
        valueDone();
        return true;
    }
    // A long string, or an error: validate first (which reports an error
    // where it is), then decode.
    bool escaped = false;
    after = scanString(start, &escaped);
    if (!after)
        return false;
    const char *close = after - 1;
    // UTF-16 never needs more units than the UTF-8 (with escapes) has bytes.
    QChar *d = prepareString(out, close - start);
    d = decodeToUtf16(start, close, d);
    out.truncate(d - out.constData());
    m_p = after;
    valueDone();
    return true;
}

bool JsonReader::readBool(bool &out) noexcept
{
    if (peek() != Type::Bool)
        return false;
    const bool value = *m_p == 't';
    const char *after = scanLiteral(m_p);
    if (!after)
        return false;
    out = value;
    m_p = after;
    valueDone();
    return true;
}

bool JsonReader::readNull() noexcept
{
    if (peek() != Type::Null)
        return false;
    const char *after = scanLiteral(m_p);
    if (!after)
        return false;
    m_p = after;
    valueDone();
    return true;
}

bool JsonReader::readDouble(double &out) noexcept
{
    if (peek() != Type::Number)
        return false;
    bool integer = false;
    const char *after = scanNumber(m_p, &integer);
    if (!after)
        return false;
    const QByteArrayView text(m_p, after - m_p);
    if (integer && text.size() <= 16) {
        out = double(text.toLongLong());
    } else {
        out = text.toDouble();
    }
    m_p = after;
    valueDone();
    return true;
}

bool JsonReader::readInt64(qint64 &out) noexcept
{
    if (peek() != Type::Number)
        return false;
    bool integer = false;
    const char *after = scanNumber(m_p, &integer);
    if (!after)
        return false;
    const char *p = m_p;
    const bool negative = *p == '-';
    if (negative)
        ++p;
    if (integer && after - p <= 19) {
        // Up to 19 digits fit a quint64 (10^19 - 1 < 2^64): exact, then
        // saturated at the qint64 limits like the other numbers.
        quint64 value = 0;
        for (; p < after; ++p)
            value = value * 10 + quint64(*p - '0');
        constexpr quint64 max = quint64(std::numeric_limits<qint64>::max());
        if (!negative)
            out = value <= max ? qint64(value) : std::numeric_limits<qint64>::max();
        else
            out = value <= max ? -qint64(value) : std::numeric_limits<qint64>::min();
    } else {
        const double d = QByteArrayView(m_p, after - m_p).toDouble();
        constexpr double limit = 9223372036854775808.0; // 2^63
        if (d >= limit)
            out = std::numeric_limits<qint64>::max();
        else if (d <= -limit)
            out = std::numeric_limits<qint64>::min();
        else
            out = qint64(d);
    }
    m_p = after;
    valueDone();
    return true;
}

bool JsonReader::atEnd() noexcept
{
    if (hasError())
        return false;
    if (m_depth != 0) {
        skipWhitespace();
        return fail(m_p, m_p == m_end ? Error::UnexpectedEnd : Error::UnexpectedCharacter);
    }
    skipWhitespace();
    if (!m_done)
        return fail(m_p, m_p == m_end ? Error::UnexpectedEnd : Error::UnexpectedCharacter);
    if (m_p != m_end)
        return fail(m_p, Error::TrailingGarbage);
    return true;
}

QString JsonReader::errorString() const
{
    const char *text = "";
    switch (m_error) {
    case Error::NoError:
        return QString();
    case Error::UnexpectedEnd:
        text = QT_TRANSLATE_NOOP("JsonReader", "The JSON text ends too early.");
        break;
    case Error::UnexpectedCharacter:
        text = QT_TRANSLATE_NOOP("JsonReader", "Unexpected character in the JSON text.");
        break;
    case Error::InvalidLiteral:
        text = QT_TRANSLATE_NOOP("JsonReader", "Invalid literal (expected true, false or null).");
        break;
    case Error::InvalidNumber:
        text = QT_TRANSLATE_NOOP("JsonReader", "Invalid number.");
        break;
    case Error::NumberOutOfRange:
        text = QT_TRANSLATE_NOOP("JsonReader", "Number out of range.");
        break;
    case Error::ControlCharacter:
        text = QT_TRANSLATE_NOOP("JsonReader", "Unescaped control character in a string.");
        break;
    case Error::InvalidEscape:
        text = QT_TRANSLATE_NOOP("JsonReader", "Invalid escape sequence in a string.");
        break;
    case Error::InvalidUtf8:
        text = QT_TRANSLATE_NOOP("JsonReader", "Invalid UTF-8 in a string.");
        break;
    case Error::TooDeep:
        text = QT_TRANSLATE_NOOP("JsonReader", "The JSON text is nested too deeply.");
        break;
    case Error::TrailingGarbage:
        text = QT_TRANSLATE_NOOP("JsonReader", "Unexpected data after the JSON value.");
        break;
    }
    return QCoreApplication::translate("JsonReader", text);
}

#include "utf8.h"

#include <QtEndian>
#include <QtAlgorithms>

#include <cstring>

#if defined(__SSE2__) || defined(_M_X64) || defined(_M_AMD64)
#include <emmintrin.h>
#endif

namespace Utf8 {
namespace {

// Length of the well-formed sequence at p (1..4), or 0 when ill-formed. On 0,
// `consumed` is the length of the maximal ill-formed subpart (>= 1) that one
// U+FFFD replaces (Unicode "U+FFFD substitution of maximal subparts", which is
// what the WHATWG UTF-8 decoder does).
inline int sequenceLength(const unsigned char *p, const unsigned char *end, int &consumed) noexcept
{
    const unsigned char c = p[0];
    consumed = 1;
    if (c < 0x80)
        return 1;
    int need;
    unsigned char lo = 0x80, hi = 0xBF;
    if (c >= 0xC2 && c <= 0xDF) {
        need = 1;
    } else if (c >= 0xE0 && c <= 0xEF) {
        need = 2;
        if (c == 0xE0)
            lo = 0xA0;
        else if (c == 0xED)
            hi = 0x9F;
    } else if (c >= 0xF0 && c <= 0xF4) {
        need = 3;
        if (c == 0xF0)
            lo = 0x90;
        else if (c == 0xF4)
            hi = 0x8F;
    } else {
        return 0;
    }
    for (int i = 1; i <= need; ++i) {
        if (p + i >= end)
            return 0;
        const unsigned char b = p[i];
        if (b < lo || b > hi)
            return 0;
        lo = 0x80;
        hi = 0xBF;
        consumed = i + 1;
    }
    return need + 1;
}

// The first byte >= 0x80 in [p, end), or end. Sixteen bytes at a time with
// SSE2 (one sign-bit mask per block; four blocks per step on long runs), eight
// at a time elsewhere. Never reads outside [begin, end): a last short block is
// read as the input's last sixteen bytes, with the bits before p shifted out.
inline const unsigned char *skipAscii(const unsigned char *p, const unsigned char *begin,
                                      const unsigned char *end) noexcept
{
#if defined(__SSE2__) || defined(_M_X64) || defined(_M_AMD64)
    while (end - p >= 64) {
        const __m128i a = _mm_loadu_si128(reinterpret_cast<const __m128i *>(p));
        const __m128i b = _mm_loadu_si128(reinterpret_cast<const __m128i *>(p + 16));
        const __m128i c = _mm_loadu_si128(reinterpret_cast<const __m128i *>(p + 32));
        const __m128i d = _mm_loadu_si128(reinterpret_cast<const __m128i *>(p + 48));
        if (_mm_movemask_epi8(_mm_or_si128(_mm_or_si128(a, b), _mm_or_si128(c, d))) != 0)
            break;
        p += 64;
    }
    while (end - p >= 16) {
        const uint mask = uint(_mm_movemask_epi8(_mm_loadu_si128(reinterpret_cast<const __m128i *>(p))));
        if (mask != 0)
            return p + qCountTrailingZeroBits(mask);
        p += 16;
    }
    if (p != end && end - begin >= 16) {
        const uint mask = uint(_mm_movemask_epi8(_mm_loadu_si128(reinterpret_cast<const __m128i *>(end - 16))))
                >> (16 - (end - p));
        return mask ? p + qCountTrailingZeroBits(mask) : end;
    }
#else
    Q_UNUSED(begin);
#endif
    while (end - p >= 8) {
        quint64 word;
        std::memcpy(&word, p, 8);
        word = qFromLittleEndian(word);
        if (word & 0x8080808080808080ULL)
            return p + qCountTrailingZeroBits(word & 0x8080808080808080ULL) / 8;
        p += 8;
    }
    while (p < end && *p < 0x80)
        ++p;
    return p;
}

} // namespace

bool isValid(QByteArrayView bytes) noexcept
{
    const auto begin = reinterpret_cast<const unsigned char *>(bytes.data());
    const auto end = begin + bytes.size();
    auto p = begin;
    for (;;) {
        p = skipAscii(p, begin, end);
        if (p == end)
            return true;
        // A run of non-ASCII text (Chinese, emoji): sequence by sequence
        // until the next ASCII byte.
        do {
            int consumed;
            const int n = sequenceLength(p, end, consumed);
            if (n == 0)
                return false;
            p += n;
        } while (p < end && *p >= 0x80);
    }
}

QByteArray sanitized(QByteArray bytes)
{
    if (isValid(bytes))
        return bytes;
    static const char replacement[] = "\xEF\xBF\xBD";
    QByteArray out;
    out.reserve(bytes.size() + 16);
    auto p = reinterpret_cast<const unsigned char *>(bytes.constData());
    const auto end = p + bytes.size();
    while (p < end) {
        int consumed;
        const int n = sequenceLength(p, end, consumed);
        if (n > 0) {
            out.append(reinterpret_cast<const char *>(p), n);
            p += n;
        } else {
            out.append(replacement, 3);
            p += consumed;
        }
    }
    return out;
}

} // namespace Utf8

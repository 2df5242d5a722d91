// sameBytes(): byte-range equality for the decoders' hot paths.
#pragma once

#include "sse/vectorstate.h"

#include <QtGlobal>

#include <cstring>

#if defined(__SSE2__) || defined(_M_X64) || defined(_M_AMD64)
#include <emmintrin.h>
#endif

// a[0..n) == b[0..n). Short runs inline (SSE2 where there is SSE2); long ones
// with memcmp, which is vectorised but may leave the upper vector state dirty
// (see sse/vectorstate.h).
inline bool sameBytes(const char *a, const char *b, qsizetype n) noexcept
{
    if (n > 64) {
        const bool same = std::memcmp(a, b, size_t(n)) == 0;
        VectorState::clearUpper();
        return same;
    }
#if defined(__SSE2__) || defined(_M_X64) || defined(_M_AMD64)
    if (n >= 16) {
        __m128i diff = _mm_setzero_si128();
        for (qsizetype i = 0; i + 16 < n; i += 16) {
            diff = _mm_or_si128(diff, _mm_xor_si128(_mm_loadu_si128(reinterpret_cast<const __m128i *>(a + i)),
                                                    _mm_loadu_si128(reinterpret_cast<const __m128i *>(b + i))));
        }
        // The last sixteen bytes, overlapping the ones before.
        diff = _mm_or_si128(diff, _mm_xor_si128(_mm_loadu_si128(reinterpret_cast<const __m128i *>(a + n - 16)),
                                                _mm_loadu_si128(reinterpret_cast<const __m128i *>(b + n - 16))));
        return _mm_movemask_epi8(_mm_cmpeq_epi8(diff, _mm_setzero_si128())) == 0xFFFF;
    }
#endif
    if (n >= 8) {
        quint64 x, y, acc = 0;
        for (qsizetype i = 0; i + 8 < n; i += 8) {
            std::memcpy(&x, a + i, 8);
            std::memcpy(&y, b + i, 8);
            acc |= x ^ y;
        }
        std::memcpy(&x, a + n - 8, 8); // the last word, overlapping the one before
        std::memcpy(&y, b + n - 8, 8);
        return (acc | (x ^ y)) == 0;
    }
    if (n >= 4) {
        quint32 x, y, z, w;
        std::memcpy(&x, a, 4);
        std::memcpy(&y, b, 4);
        std::memcpy(&z, a + n - 4, 4);
        std::memcpy(&w, b + n - 4, 4);
        return ((x ^ y) | (z ^ w)) == 0;
    }
    for (qsizetype i = 0; i < n; ++i) {
        if (a[i] != b[i])
            return false;
    }
    return true;
}

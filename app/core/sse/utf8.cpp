#include "utf8.h"

#include <cstring>

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

} // namespace

bool isValid(QByteArrayView bytes) noexcept
{
    auto p = reinterpret_cast<const unsigned char *>(bytes.data());
    const auto end = p + bytes.size();
    while (p < end) {
        // ASCII fast path, eight bytes at a time.
        while (end - p >= 8) {
            quint64 word;
            std::memcpy(&word, p, 8);
            if (word & 0x8080808080808080ULL)
                break;
            p += 8;
        }
        if (p >= end)
            break;
        if (*p < 0x80) {
            ++p;
            continue;
        }
        int consumed;
        const int n = sequenceLength(p, end, consumed);
        if (n == 0)
            return false;
        p += n;
    }
    return true;
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

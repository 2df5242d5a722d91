#pragma once

// Shared by the fuzz targets: invariant checks that make libFuzzer keep the
// input (an abort() is a crash to it), and small oracles.

#include <QByteArray>
#include <QByteArrayView>
#include <QString>

#include <cstdio>
#include <cstdlib>

// Aborts with the failed condition and a note when `cond` is false. Kept in
// release builds (fuzz targets are built RelWithDebInfo, where assert() is off).
#define FUZZ_CHECK(cond, what)                                                                   \
    do {                                                                                         \
        if (!(cond))                                                                             \
            FuzzCheck::fail(__FILE__, __LINE__, #cond, what);                                   \
    } while (false)

namespace FuzzCheck {

[[noreturn]] inline void fail(const char *file, int line, const char *cond, const char *what)
{
    std::fprintf(stderr, "\n==FUZZ CHECK FAILED== %s:%d: %s\n    %s\n", file, line, what, cond);
    std::fflush(stderr);
    std::abort();
}

// A QString that holds a lone (unpaired) UTF-16 surrogate cannot be encoded as
// UTF-8 and must never come out of a decoder.
inline bool hasLoneSurrogate(const QString &s)
{
    const qsizetype n = s.size();
    for (qsizetype i = 0; i < n; ++i) {
        const char16_t c = s.at(i).unicode();
        if (c >= 0xD800 && c <= 0xDBFF) {
            if (i + 1 == n || s.at(i + 1).unicode() < 0xDC00 || s.at(i + 1).unicode() > 0xDFFF)
                return true;
            ++i;
        } else if (c >= 0xDC00 && c <= 0xDFFF) {
            return true;
        }
    }
    return false;
}

// C0 controls, DEL and C1 controls: nothing a text meant for people holds
// once its whitespace is folded (QString::simplified()), and what a terminal
// would obey (ESC sequences) if the text were printed there.
inline bool hasControlCharacter(const QString &s)
{
    for (const QChar c : s) {
        const char16_t u = c.unicode();
        if (u < 0x20 || (u >= 0x7F && u <= 0x9F))
            return true;
    }
    return false;
}

// Whether `bytes` is well-formed UTF-8, by Qt's own decoder (not the one under
// test): a round trip through QString keeps exactly the well-formed texts.
// QString::fromUtf8 drops a leading byte order mark, hence the ASCII byte first.
inline bool qtThinksValidUtf8(QByteArrayView bytes)
{
    const QByteArray text = QByteArray(1, 'x') + bytes;
    return QString::fromUtf8(text).toUtf8() == text;
}

} // namespace FuzzCheck

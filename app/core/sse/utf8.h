#pragma once

#include <QByteArray>
#include <QByteArrayView>

namespace Utf8 {

// True when `bytes` is well-formed UTF-8 (no overlongs, no surrogates, <= U+10FFFF).
bool isValid(QByteArrayView bytes) noexcept;

// `bytes` unchanged when valid; otherwise a copy where every maximal ill-formed
// subsequence is replaced by U+FFFD (the WHATWG "UTF-8 decode" replacement rule).
QByteArray sanitized(QByteArray bytes);

} // namespace Utf8

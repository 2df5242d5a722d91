#pragma once

// Clears the upper halves of the AVX registers (vzeroupper) on x86 CPUs that
// have AVX; does nothing elsewhere.
//
// Why: the SIMD code of the streaming core is SSE2, compiled for baseline
// x86-64, so its instructions have the legacy (non-VEX) encoding. On CPUs with
// AVX-512 and RTM, glibc's memcpy, memchr and friends are the "evex" variants,
// which return without vzeroupper; until the next vzeroupper every legacy SSE
// instruction then pays for the dirty upper state. One QString::append (a
// memcpy) per event, as every consumer of the decoder does, made the whole
// pipeline about 30 % slower on the benchmark machine (bench/bench_stream:
// 39 ms instead of 30 ms for 200 000 events). The hot paths call this where
// they start and after calling back into code they do not control.
namespace VectorState {

inline void clearUpper() noexcept
{
#if (defined(__GNUC__) || defined(__clang__)) && (defined(__x86_64__) || defined(__i386__)) && !defined(__AVX__)
    static const bool hasAvx = __builtin_cpu_supports("avx");
    if (hasAvx)
        __asm__ volatile("vzeroupper");
#endif
}

} // namespace VectorState

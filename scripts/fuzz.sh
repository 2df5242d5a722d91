#!/usr/bin/env bash
# Builds the libFuzzer targets (preset `fuzz`: clang, ASan + UBSan) and runs
# each one for a while on a copy of its seed corpus, so the repository is
# never written to. Called by scripts/test.sh; also fine on its own:
#
#     scripts/fuzz.sh [seconds-per-target]       (default 60)
#
#   SLUICE_FUZZ_JOBS=N         targets fuzzed at the same time, one process
#                              each (default: 2, or 1 on a one-core machine)
#   SLUICE_FUZZ_TARGETS="a b"  only these targets (default: every fuzz_*)
#   SLUICE_FUZZ_KEEP=DIR       keep the grown corpora and logs in DIR
#   SLUICE_FUZZ_NO_BUILD=1     use the targets already in build/fuzz
#   SLUICE_FUZZ_KEEP_GOING=1   for long campaigns: go on after a crash
#                              (libFuzzer -fork=1 -ignore_crashes=1 ...) and
#                              collect every failing input; still exits non-zero
#
# Prints one line per target: executions, executions per second, coverage
# ("cov": edges, "ft": features) and corpus size from libFuzzer's final
# stats, and the units it added. Exits non-zero when a target crashed, leaked,
# hit a sanitizer, timed out (-timeout=10 s per input) or ran out of memory
# (-rss_limit_mb=2048); the failing input is copied to
# build/fuzz/artifacts/<target>/ and the command that reproduces it printed.
# Reproducers of fixed bugs live on in tests/fuzz/corpus/<target>/crash-*,
# which every run replays first.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD

seconds=${1:-60}
if ! [[ "$seconds" =~ ^[0-9]+$ ]] || (( seconds < 1 )); then
    echo "usage: scripts/fuzz.sh [seconds-per-target]" >&2
    exit 64
fi
if ! command -v clang++ >/dev/null; then
    echo "fuzz.sh: clang++ is missing (scripts/deps.sh --test installs clang and libclang-rt-dev)" >&2
    exit 1
fi

cores=$(nproc 2>/dev/null || echo 1)
jobs=${SLUICE_FUZZ_JOBS:-$(( cores >= 2 ? 2 : 1 ))}
build=build/fuzz

started=$SECONDS
if [[ "${SLUICE_FUZZ_NO_BUILD:-0}" != "1" ]]; then
    # Configured from scratch every time (a stale cache never decides the
    # flags); objects are reused when nothing changed, and ccache helps in CI.
    rm -f "$build/CMakeCache.txt"
    cmake --preset fuzz >/dev/null
    cmake --build --preset fuzz -j "$cores"
fi
build_seconds=$(( SECONDS - started ))
rm -rf "$build/artifacts" # failing inputs of an earlier run

if [[ -n "${SLUICE_FUZZ_TARGETS:-}" ]]; then
    read -r -a targets <<<"$SLUICE_FUZZ_TARGETS"
else
    targets=()
    for exe in "$build"/tests/fuzz/fuzz_*; do
        [[ -f "$exe" && -x "$exe" ]] && targets+=("$(basename "$exe")")
    done
fi
if [[ ${#targets[@]} -eq 0 ]]; then
    echo "fuzz.sh: no fuzz targets in $build/tests/fuzz" >&2
    exit 1
fi

work=$(mktemp -d "${TMPDIR:-/tmp}/sluice-fuzz.XXXXXX")
cleanup() {
    if [[ -n "${SLUICE_FUZZ_KEEP:-}" ]]; then
        mkdir -p "$SLUICE_FUZZ_KEEP"
        cp -r "$work"/. "$SLUICE_FUZZ_KEEP"/
    fi
    rm -rf "$work"
}
trap cleanup EXIT

# Longest input per target: long enough for several events over the 4 KiB
# limit (SSE) and for 1025 nested arrays (JSON), short enough to stay fast.
max_len() {
    case "$1" in
        fuzz_sseparser) echo 16384 ;;
        fuzz_jsonreader|fuzz_openaidecoder) echo 8192 ;;
        *) echo 4096 ;;
    esac
}

# A smaller ASan quarantine keeps the resident size of long runs well under the
# limit (use-after-free is still caught: the parsers free and reuse at once).
export ASAN_OPTIONS=${ASAN_OPTIONS:-quarantine_size_mb=64:detect_leaks=1:allocator_may_return_null=0}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}

run_target() {
    local t=$1 dir="$work/$1"
    mkdir -p "$dir/corpus" "$dir/artifacts"
    if [[ -d "tests/fuzz/corpus/$t" ]]; then
        cp -r "tests/fuzz/corpus/$t/." "$dir/corpus/"
    fi
    local args=(
        -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048
        -max_len="$(max_len "$t")" -print_final_stats=1
        -artifact_prefix="$dir/artifacts/"
    )
    [[ -f "tests/fuzz/$t.dict" ]] && args+=(-dict="$root/tests/fuzz/$t.dict")
    if [[ "${SLUICE_FUZZ_KEEP_GOING:-0}" == "1" ]]; then
        args+=(-fork=1 -ignore_crashes=1 -ignore_timeouts=1 -ignore_ooms=1)
    fi
    local rc=0
    (cd "$dir" && "$root/$build/tests/fuzz/$t" "${args[@]}" "$dir/corpus" >"$dir/log" 2>&1) || rc=$?
    # In fork mode a crash does not change the exit status: the artifacts tell.
    if compgen -G "$dir/artifacts/*" >/dev/null; then
        (( rc != 0 )) || rc=1
    fi
    echo "$rc" >"$dir/rc"
}

echo "== fuzzing ${#targets[@]} targets, ${seconds} s each, $jobs at a time (build: ${build_seconds} s)"
for t in "${targets[@]}"; do
    while (( $(jobs -rp | wc -l) >= jobs )); do
        wait -n || true
    done
    run_target "$t" &
done
wait

fuzz_stat() { # fuzz_stat <name> <log>: a stat:: value from the final stats
    sed -n "s/^stat::$1: *//p" "$2" | tail -1
}

failed=0
for t in "${targets[@]}"; do
    dir="$work/$t"
    log="$dir/log"
    rc=$(cat "$dir/rc" 2>/dev/null || echo 1)
    # The last status line: "#123 DONE cov: 686 ft: 4051 corp: 925/87Kb ... exec/s: 1942 rss: 554Mb",
    # in fork mode "#123: cov: 686 ft: 4051 corp: 925 exec/s: 1942 oom/timeout/crash: 0/0/1 ..."
    last=$(grep -E '^#[0-9]+' "$log" | tail -1 || true)
    cov=$(sed -n 's/.* cov: \([0-9]*\).*/\1/p' <<<"$last")
    ft=$(sed -n 's/.* ft: \([0-9]*\).*/\1/p' <<<"$last")
    corp=$(sed -n 's/.* corp: \([0-9]*\(\/[0-9]*[a-zA-Z]*\)\{0,1\}\).*/\1/p' <<<"$last")
    execs=$(fuzz_stat number_of_executed_units "$log")
    speed=$(fuzz_stat average_exec_per_sec "$log")
    added=$(fuzz_stat new_units_added "$log")
    rss=$(fuzz_stat peak_rss_mb "$log")
    if [[ -z "$execs" ]]; then # fork mode: no final stats, the status line has them
        execs=$(sed -n 's/^#\([0-9]*\).*/\1/p' <<<"$last")
        speed=$(sed -n 's/.* exec\/s: \([0-9]*\).*/\1/p' <<<"$last")
        crashes=$(sed -n 's/.* oom\/timeout\/crash: \([0-9\/]*\).*/\1/p' <<<"$last")
        [[ -n "$crashes" ]] && added="oom/timeout/crash ${crashes}, ?"
    fi
    files=$(find "$dir/corpus" -type f | wc -l)
    bytes=$(du -sk "$dir/corpus" | cut -f1)
    corp="${corp:-?} (${files} files, ${bytes} KiB on disk)"
    printf '%-20s %s: %s execs, %s exec/s, cov: %s ft: %s, corpus %s, %s new units, peak rss %s MB\n' \
        "$t" "$([[ $rc == 0 ]] && echo ok || echo FAILED)" "${execs:-?}" "${speed:-?}" \
        "${cov:-?}" "${ft:-?}" "${corp:-?}" "${added:-?}" "${rss:-?}"
    if [[ $rc != 0 ]]; then
        failed=1
        keep="$build/artifacts/$t"
        mkdir -p "$keep"
        shopt -s nullglob
        artifacts=("$dir"/artifacts/*)
        shopt -u nullglob
        echo "---- $t exited with $rc"
        if [[ ${#artifacts[@]} -eq 0 ]]; then
            echo "---- no failing input was written; the end of the log (all of it: SLUICE_FUZZ_KEEP=dir):"
            grep -v -E '^#[0-9]+ +(NEW|REDUCE|pulse)' "$log" | tail -40
        else
            # The report of the first failing input, replayed (in fork mode the
            # main log has only a line per crash), then every input by reason.
            echo "---- the first failing input, replayed:"
            timeout 120 "$build/tests/fuzz/$t" "${artifacts[0]}" 2>&1 \
                | grep -E -A30 'FUZZ CHECK FAILED|runtime error|ERROR: (Address|Leak|UndefinedBehavior)Sanitizer|ERROR: libFuzzer' \
                | head -40 || true
            echo "---- failing inputs by reason:"
            for a in "${artifacts[@]:0:200}"; do
                reason=$(timeout 60 "$build/tests/fuzz/$t" "$a" 2>&1 \
                    | grep -E -m1 'FUZZ CHECK FAILED|runtime error|ERROR: (Address|Leak)Sanitizer' || true)
                if [[ -n "$reason" ]]; then
                    sed -E 's/==[0-9]+==//; s/0x[0-9a-f]+//g' <<<"$reason"
                else
                    echo "(did not fail again: a timeout, out of memory, or flaky)"
                fi
            done | sort | uniq -c | sed 's/^/    /'
        fi
        shown=0
        for a in "${artifacts[@]}"; do
            cp "$a" "$keep/"
            (( ++shown <= 10 )) || continue
            echo "---- input: $keep/$(basename "$a") (base64: $(base64 -w0 <"$a" | head -c 400))"
            echo "     reproduce: $build/tests/fuzz/$t $keep/$(basename "$a")"
        done
        if (( shown > 10 )); then
            echo "---- ... and $(( shown - 10 )) more failing inputs in $keep/"
        fi
    fi
done
echo "== fuzzing took $(( SECONDS - started )) s in all"
exit "$failed"

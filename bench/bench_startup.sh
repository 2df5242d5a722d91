#!/usr/bin/env bash
# Cold start and idle memory of the desktop app. Builds nothing.
#
#     bench/bench_startup.sh build/release/app/sluice [runs]
#
# Start-up: the app is started with SLUICE_EXIT_AFTER_SHOWN=1, which makes it
# print the milliseconds from main() and from the kernel's process start
# (/proc/self/stat) to the first paint of its window, and quit. The script
# also times the whole run from outside (fork/exec to exit). The first run is
# as cold as this machine allows without root (page cache dropped when we may);
# the others are warm: the median is printed.
# Memory: the app is started normally (offline demo endpoint, an empty
# history), left idle for 2 s after its window appeared, and VmRSS / VmHWM are
# read from /proc/<pid>/status.
# Runs under xvfb-run when there is no display and Xvfb is installed, else
# with QT_QPA_PLATFORM=offscreen. A private HOME/XDG directory is used, so the
# real settings, history and keychain are never touched.
set -euo pipefail

app=${1:-}
runs=${2:-7}
if [[ -z "$app" || ! -x "$app" ]]; then
    echo "usage: $0 path/to/sluice [runs]" >&2
    exit 64
fi
app=$(readlink -f "$app")

if [[ "${SLUICE_BENCH_INNER:-}" != 1 ]]; then
    if [[ -z "${DISPLAY:-}" && -z "${WAYLAND_DISPLAY:-}" ]] && command -v xvfb-run >/dev/null; then
        SLUICE_BENCH_INNER=1 exec xvfb-run -a -s "-screen 0 1400x900x24" "$0" "$app" "$runs"
    fi
    [[ -z "${DISPLAY:-}" && -z "${WAYLAND_DISPLAY:-}" ]] && export QT_QPA_PLATFORM=offscreen
fi

home=$(mktemp -d /tmp/sluice-bench.XXXXXX)
trap 'rm -rf "$home"' EXIT
export HOME=$home XDG_CONFIG_HOME=$home/config XDG_DATA_HOME=$home/data XDG_CACHE_HOME=$home/cache
export XDG_RUNTIME_DIR=$home/run
mkdir -p "$XDG_RUNTIME_DIR" && chmod 700 "$XDG_RUNTIME_DIR"
export QT_LOGGING_RULES="*.debug=false"

now_ms() { date +%s%N | awk '{ printf "%.1f", $1 / 1e6 }'; }

drop_caches() {
    sync
    if [[ -w /proc/sys/vm/drop_caches ]] && echo 3 >/proc/sys/vm/drop_caches 2>/dev/null; then
        echo "page cache dropped"
    else
        echo "page cache not dropped (needs root): the first run is as cold as it gets"
    fi
}

declare -a main_ms proc_ms wall_ms
for ((i = 0; i < runs; i++)); do
    [[ $i -eq 0 ]] && drop_caches
    start=$(now_ms)
    out=$(SLUICE_EXIT_AFTER_SHOWN=1 timeout 30 "$app" 2>/dev/null) || { echo "run $i failed: $out" >&2; exit 1; }
    end=$(now_ms)
    m=$(awk '/^first-paint-ms-since-main/ { print $2 }' <<<"$out")
    p=$(awk '/^first-paint-ms-since-process-start/ { print $2 }' <<<"$out")
    w=$(awk -v a="$start" -v b="$end" 'BEGIN { printf "%.1f", b - a }')
    main_ms+=("$m"); proc_ms+=("$p"); wall_ms+=("$w")
    printf 'run %d: first paint %s ms after main(), %s ms after process start; whole run %s ms\n' "$i" "$m" "$p" "$w"
done

median() { printf '%s\n' "$@" | sort -g | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
echo
echo "cold (first run):   first paint ${proc_ms[0]} ms after process start (${main_ms[0]} ms after main())"
if ((runs > 1)); then
    echo "warm (median of $((runs - 1))): first paint $(median "${proc_ms[@]:1}") ms after process start ($(median "${main_ms[@]:1}") ms after main()), whole run $(median "${wall_ms[@]:1}") ms"
fi

# Idle memory, 2 s after the window is up.
"$app" >/dev/null 2>&1 &
pid=$!
sleep 2.5
if ! kill -0 "$pid" 2>/dev/null; then
    echo "the app exited before the memory could be read" >&2
    exit 1
fi
rss=$(awk '/^VmRSS/ { print $2 }' "/proc/$pid/status")
hwm=$(awk '/^VmHWM/ { print $2 }' "/proc/$pid/status")
pss=""
if [[ -r "/proc/$pid/smaps_rollup" ]]; then
    pss=$(awk '/^Pss:/ { print $2 }' "/proc/$pid/smaps_rollup")
fi
kill "$pid"
wait "$pid" 2>/dev/null || true
echo "idle after 2 s:     VmRSS $((rss / 1024)) MiB ($rss kB), peak VmHWM $((hwm / 1024)) MiB${pss:+, PSS $((pss / 1024)) MiB}"

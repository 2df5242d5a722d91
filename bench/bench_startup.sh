#!/usr/bin/env bash
# Start-up, sidebar, opening a conversation, search and memory of the desktop
# app, as a user meets them. Builds nothing.
#
#     bench/bench_startup.sh [options] build/release/app/sluice [runs]
#
#     --bench-history BIN  make the history with BIN (build/release/bench/bench_history):
#                          1 000 conversations x 50 messages + one of 2 000 (120 MB)
#     --history FILE       or use this history database (copied; never changed)
#     --open ID            open this conversation after the sidebar is shown
#                          (default with --bench-history: the largest one)
#     --search TEXT        then search for TEXT (default with a history: "rollback transaction")
#
# Without a history the app starts on an empty one, as on a first start.
#
# Each run starts the app with SLUICE_EXIT_AFTER_SHOWN=1 (app/main.cpp,
# StartupProbe), which prints the milliseconds from main() and from the
# kernel's process start (/proc/self/stat) to the window's first paint and to
# the sidebar painted with its rows; then, with a history, the milliseconds
# from openConversation() to the transcript painted, and from the text in the
# search field to the hits painted; then VmRSS, and quits. The script also
# times the whole run from outside (fork/exec to exit). The first run is as
# cold as this machine allows without root (page cache dropped when we may);
# the others are warm: the median is printed.
# Idle memory: the app is started normally (offline demo endpoint, the same
# history), left idle for 2 s after its window appeared, and VmRSS / VmHWM are
# read from /proc/<pid>/status.
# Runs under xvfb-run when there is no display and Xvfb is installed, else
# with QT_QPA_PLATFORM=offscreen. A private HOME/XDG directory is used, so the
# real settings, history and keychain are never touched.
set -euo pipefail

usage() {
    echo "usage: $0 [--bench-history BIN | --history FILE] [--open ID] [--search TEXT] path/to/sluice [runs]" >&2
    exit 64
}

bench_history="" history="" open_id="" search="" search_set=0
args=("$@")
while (($#)); do
    case $1 in
        --bench-history) bench_history=$(readlink -f "${2:?}"); shift 2 ;;
        --history) history=$(readlink -f "${2:?}"); shift 2 ;;
        --open) open_id=${2:?}; shift 2 ;;
        --search) search=${2?}; search_set=1; shift 2 ;;
        -*) usage ;;
        *) break ;;
    esac
done
app=${1:-}
runs=${2:-7}
[[ -n "$app" && -x "$app" ]] || usage
[[ -z "$bench_history" || -x "$bench_history" ]] || usage
[[ -z "$history" || -f "$history" ]] || { echo "no history file $history" >&2; exit 64; }
app=$(readlink -f "$app")

if [[ "${SLUICE_BENCH_INNER:-}" != 1 ]]; then
    if [[ -z "${DISPLAY:-}" && -z "${WAYLAND_DISPLAY:-}" ]] && command -v xvfb-run >/dev/null; then
        SLUICE_BENCH_INNER=1 exec xvfb-run -a -s "-screen 0 1400x900x24" "$0" "${args[@]}"
    fi
    [[ -z "${DISPLAY:-}" && -z "${WAYLAND_DISPLAY:-}" ]] && export QT_QPA_PLATFORM=offscreen
fi

home=$(mktemp -d /tmp/sluice-bench.XXXXXX)
trap 'rm -rf "$home"' EXIT
export HOME=$home XDG_CONFIG_HOME=$home/config XDG_DATA_HOME=$home/data XDG_CACHE_HOME=$home/cache
export XDG_RUNTIME_DIR=$home/run
mkdir -p "$XDG_RUNTIME_DIR" && chmod 700 "$XDG_RUNTIME_DIR"
export QT_LOGGING_RULES="*.debug=false"

# Where HistoryStore keeps the file: QStandardPaths::AppDataLocation, which
# is $XDG_DATA_HOME/<organization>/<application> on Linux.
db=$XDG_DATA_HOME/Sluice/Sluice/history.sqlite3
mkdir -p "$(dirname "$db")"
if [[ -n "$bench_history" ]]; then
    echo "writing the history with $bench_history ..."
    made=$("$bench_history" --keep "$db" --write-only)
    while IFS= read -r line; do echo "  $line"; done <<<"$made"
    [[ -z "$open_id" ]] && open_id=$(awk '/^largest-conversation-id/ { print $2 }' <<<"$made")
elif [[ -n "$history" ]]; then
    cp "$history" "$db"
    [[ -f "$history-wal" ]] && cp "$history-wal" "$db-wal"
fi
have_history=0
[[ -n "$bench_history" || -n "$history" ]] && have_history=1
((have_history && !search_set)) && search="rollback transaction"
if ((have_history)); then
    echo "history: $db, $(du -m "$db" | cut -f1) MB; open conversation ${open_id:-(none)}; search \"$search\""
fi

now_ms() { date +%s%N | awk '{ printf "%.1f", $1 / 1e6 }'; }

drop_caches() {
    sync
    if [[ -w /proc/sys/vm/drop_caches ]] && echo 3 >/proc/sys/vm/drop_caches 2>/dev/null; then
        echo "page cache dropped"
    else
        echo "page cache not dropped (needs root): the first run is as cold as it gets"
    fi
}

value() { awk -v k="$1" '$1 == k { print $2 }' <<<"$2"; }

main_ms=() proc_ms=() wall_ms=() side_ms=() side_main_ms=() open_ms=() search_ms=() rss_kb=()
for ((i = 0; i < runs; i++)); do
    [[ $i -eq 0 ]] && drop_caches
    start=$(now_ms)
    out=$(SLUICE_EXIT_AFTER_SHOWN=1 SLUICE_BENCH_OPEN="$open_id" SLUICE_BENCH_SEARCH="$search" \
        timeout 60 "$app" 2>/dev/null) || { echo "run $i failed: $out" >&2; exit 1; }
    end=$(now_ms)
    m=$(value first-paint-ms-since-main "$out")
    p=$(value first-paint-ms-since-process-start "$out")
    s=$(value sidebar-shown-ms-since-process-start "$out")
    sm=$(value sidebar-shown-ms-since-main "$out")
    rows=$(value sidebar-rows "$out")
    o=$(value open-ms "$out")
    q=$(value search-ms "$out")
    r=$(value rss-kb "$out")
    w=$(awk -v a="$start" -v b="$end" 'BEGIN { printf "%.1f", b - a }')
    if ((have_history)) && [[ "${rows:-0}" -eq 0 ]]; then
        echo "run $i: the sidebar showed no conversations; is $db where the app looks?" >&2
        exit 1
    fi
    main_ms+=("$m"); proc_ms+=("$p"); wall_ms+=("$w"); side_ms+=("$s"); side_main_ms+=("$sm"); rss_kb+=("$r")
    line="run $i: first paint $m ms after main(), $p ms after process start; sidebar shown $s ms ($rows rows)"
    if [[ -n "$o" ]]; then
        open_ms+=("$o")
        line+="; open $o ms ($(value open-rows "$out") messages)"
    fi
    if [[ -n "$q" ]]; then
        search_ms+=("$q")
        line+="; search $q ms ($(value search-hits "$out") hits)"
    fi
    printf '%s; RSS %d MiB; whole run %s ms\n' "$line" "$((r / 1024))" "$w"
done

median() { printf '%s\n' "$@" | sort -g | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
echo
echo "cold (first run):   first paint ${proc_ms[0]} ms after process start (${main_ms[0]} ms after main()), sidebar shown ${side_ms[0]} ms"
if ((runs > 1)); then
    echo "warm (median of $((runs - 1))): first paint $(median "${proc_ms[@]:1}") ms after process start ($(median "${main_ms[@]:1}") ms after main()), whole run $(median "${wall_ms[@]:1}") ms"
    echo "                    sidebar shown with its rows $(median "${side_ms[@]:1}") ms after process start ($(median "${side_main_ms[@]:1}") ms after main())"
    ((${#open_ms[@]} > 1)) && echo "                    open conversation $open_id: $(median "${open_ms[@]:1}") ms to its first paint (cold: ${open_ms[0]} ms)"
    ((${#search_ms[@]} > 1)) && echo "                    search \"$search\": $(median "${search_ms[@]:1}") ms to the hits painted (cold: ${search_ms[0]} ms)"
    echo "                    RSS at the end of the run: $(($(median "${rss_kb[@]:1}" | cut -d. -f1) / 1024)) MiB"
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

#!/usr/bin/env bash
# The streaming core against a Node.js pipeline, side by side on one file.
#
#     bash bench/stream-vs-node.sh [ROUNDS]
#
# 1. Writes bench/out/stream.sse: a deterministic OpenAI stream of $EVENTS
#    events (default 200 000; bench/gen_stream.py, seed $SEED) with the text
#    it carries (stream.content.txt, stream.reasoning.txt).
# 2. Builds bench_stream and sluice-cli with the release preset (configures
#    build/release first if it is not there).
# 3. Checks that `sluice-cli replay` prints exactly the expected text (cmp),
#    and the reasoning and event count in `replay --json`.
# 4. Installs the pinned eventsource-parser (npm ci) if needed.
# 5. ROUNDS times (default 3), one after the other: bench_stream (every mode)
#    and bench/node/stream.mjs, $ITERATIONS timed iterations each after
#    warm-up ($CPP_WARMUP for C++, $NODE_WARMUP for Node, whose JIT needs
#    more). Both check their text against the expected files first.
# 6. Prints a table over all samples: median CPU time -> MB/s and events/s,
#    best CPU time, median wall time, and the ratios to Node (medians, bests,
#    wall medians).
#
# Single-threaded both: C++ runs on the calling thread; Node's own helper
# threads (GC, compiler) are counted in its CPU time, as they are work the
# pipeline causes. Nothing is pinned. On a loaded machine trust CPU time more
# than wall time; run it twice when the figures matter.
set -euo pipefail

rounds=${1:-3}
events=${EVENTS:-200000}
seed=${SEED:-1}
iterations=${ITERATIONS:-10}
cpp_warmup=${CPP_WARMUP:-3}
node_warmup=${NODE_WARMUP:-5}

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"
out=bench/out
build=build/release
mkdir -p "$out"

for tool in python3 node npm cmake; do
    command -v "$tool" >/dev/null || { echo "stream-vs-node: $tool is needed" >&2; exit 69; }
done

echo "== stream"
python3 bench/gen_stream.py --events "$events" --seed "$seed" --out "$out"

echo "== build ($build)"
if [[ ! -f $build/build.ninja && ! -f $build/Makefile ]]; then
    cmake --preset release >/dev/null
fi
cmake --build --preset release --target bench_stream sluice-cli
cli=$(find "$build" -name sluice-cli -type f -perm -u+x | head -n 1)
bench=$(find "$build" -name bench_stream -type f -perm -u+x | head -n 1)
[[ -x "$cli" && -x "$bench" ]] || { echo "stream-vs-node: build outputs not found" >&2; exit 1; }

echo "== sluice-cli replay"
"$cli" replay "$out/stream.sse" >"$out/replay.txt" 2>"$out/replay.stderr.txt"
if cmp "$out/replay.txt" "$out/stream.content.txt"; then
    echo "content: byte-identical ($(wc -c <"$out/replay.txt") bytes)"
else
    echo "stream-vs-node: sluice-cli replay printed another text" >&2
    exit 1
fi
"$cli" replay --json "$out/stream.sse" >"$out/replay.json"
python3 - "$out" "$events" <<'EOF'
import json, sys
out, events = sys.argv[1], int(sys.argv[2])
summary = json.load(open(f"{out}/replay.json", encoding="utf-8"))
reasoning = open(f"{out}/stream.reasoning.txt", encoding="utf-8").read()
content = open(f"{out}/stream.content.txt", encoding="utf-8").read()
problems = []
if summary["content"] != content: problems.append("content")
if summary["reasoning"] != reasoning: problems.append("reasoning")
if summary["events"] != events: problems.append(f"events {summary['events']} != {events}")
if not summary["done"] or summary["malformed"] != 0 or summary["errors"]: problems.append("done/malformed/errors")
if problems:
    sys.exit("stream-vs-node: replay --json differs: " + ", ".join(problems))
print(f"json: content, reasoning, {summary['events']} events, done, 0 malformed")
EOF

echo "== node $(node --version)"
if [[ ! -d bench/node/node_modules/eventsource-parser ]]; then
    (cd bench/node && npm ci --no-audit --no-fund)
fi
echo "eventsource-parser $(node -p "require('./bench/node/node_modules/eventsource-parser/package.json').version")"

echo "== machine"
echo "cpu: $(grep -m1 'model name' /proc/cpuinfo 2>/dev/null | cut -d: -f2- | sed 's/^ *//') x $(nproc)"
echo "load before: $(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null)"

results="$out/results.txt"
: >"$results"
for ((r = 1; r <= rounds; ++r)); do
    echo "== round $r/$rounds"
    "$bench" --iterations "$iterations" --warmup "$cpp_warmup" \
        "$out/stream.sse" "$out/stream.content.txt" "$out/stream.reasoning.txt" | tee -a "$results" | grep -v '^RESULT'
    (cd bench/node && node stream.mjs --iterations "$iterations" --warmup "$node_warmup" \
        "../out/stream.sse" "../out/stream.content.txt" "../out/stream.reasoning.txt") | tee -a "$results" | grep -v '^RESULT'
done
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null)"

python3 - "$results" <<'EOF'
import statistics, sys
rows = {}
order = []
for line in open(sys.argv[1]):
    if not line.startswith("RESULT "):
        continue
    f = dict(kv.split("=", 1) for kv in line.split()[1:])
    key = ("C++ " + f["mode"]) if f["impl"] == "cpp" else "Node"
    if key not in rows:
        rows[key] = {"bytes": int(f["bytes"]), "events": int(f["events"]), "cpu": [], "wall": []}
        order.append(key)
    rows[key]["cpu"] += [float(x) for x in f["cpu_ms"].split(",")]
    rows[key]["wall"] += [float(x) for x in f["wall_ms"].split(",")]
node = rows.get("Node")
labels = {
    "C++ view": "C++ view API (zero-copy)",
    "C++ reuse": "C++ SseEvent + reused delta",
    "C++ app": "C++ as replay/ChatClient today",
    "C++ decode": "C++ parse+decode, no append",
    "C++ parser": "C++ SseParser alone",
    "Node": "Node eventsource-parser+JSON.parse",
}
print()
print(f"{'pipeline':36} {'MB/s':>8} {'events/s':>11} {'ns/ev':>7} {'cpu med':>8} {'cpu best':>8} {'wall med':>8} {'x Node':>7} {'x (best)':>8} {'x (wall)':>8}")
for key in order:
    r = rows[key]
    cpu, wall = statistics.median(r["cpu"]), statistics.median(r["wall"])
    ratio = f"{statistics.median(node['cpu']) / cpu:7.1f}" if node and key != "Node" else f"{'':>7}"
    ratio_best = f"{min(node['cpu']) / min(r['cpu']):8.1f}" if node and key != "Node" else f"{'':>8}"
    ratio_wall = f"{statistics.median(node['wall']) / wall:8.1f}" if node and key != "Node" else f"{'':>8}"
    print(f"{labels.get(key, key):36} {r['bytes'] / 1e6 / (cpu / 1e3):8.1f} {r['events'] / (cpu / 1e3):11.0f} "
          f"{cpu * 1e6 / r['events']:7.1f} {cpu:8.2f} {min(r['cpu']):8.2f} {wall:8.2f} {ratio} {ratio_best} {ratio_wall}")
print(f"\n{len(node['cpu']) if node else 0} Node samples, {len(rows.get('C++ view', {'cpu': []})['cpu'])} C++ samples per mode; "
      "MB/s and events/s from the median CPU time; 'x Node' = Node's median CPU time / this one's, "
      "'x (best)' the same for the best times, 'x (wall)' for the median wall times.")
EOF

#!/usr/bin/env bash
# Runs one "scoreboard fan-out" scenario with Tally's own load tool (io.tally.bench.FanOut) and
# writes target/bench/LABEL.json, LABEL.md and target/bench/summary.md.
#   bench/run.sh --viewers 10000 --rate 2 --duration 20 --transport websocket [--instances 2] [...]
#   bench/run.sh --scenario scoreboard --log 50 --viewers 2000 --rate 2 --duration 10 --instances 2 --tuned
#   bench/run.sh --help     (all options)
# Or a matrix of scenarios in one invocation, with one side-by-side table at the end:
#   bench/run.sh --matrix issue13 [--viewers N] [--duration D] [--poll-viewers P]
#     (defaults N=10000, D=10, P=2000) -> target/bench/matrix-issue13.md
# Compiles once (mvn test-compile) and caches the test classpath in target/bench/classpath.txt, so the
# load tool and each Tally instance run as plain JVMs (instances are separate processes).
set -euo pipefail
cd "$(dirname "$0")/.."
ulimit -n "$(ulimit -Hn)" 2>/dev/null || true
mkdir -p target/bench
if [[ ! -f target/bench/classpath.txt || pom.xml -nt target/bench/classpath.txt || -n "${BENCH_REBUILD:-}" ]]; then
  mvn -q dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile=target/bench/classpath.txt >/dev/null
fi
if [[ -z "${BENCH_NO_COMPILE:-}" ]]; then
  mvn -q test-compile
fi
if [[ "${1:-}" == "--help" ]]; then set -- --viewers 0; fi
# A private copy of the compiled classes for this run (tool and instances), so a rebuild meanwhile
# (another terminal, an IDE) cannot pull classes from under a running benchmark.
snap=$(mktemp -d "${TMPDIR:-/tmp}/tally-bench-classes.XXXXXX")
trap 'rm -rf "$snap"' EXIT
cp -r target/classes "$snap/classes"; cp -r target/test-classes "$snap/test-classes"
fanout() {
  java ${BENCH_TOOL_JVM:--Xmx2g -XX:+UseParallelGC} -cp "$snap/classes:$snap/test-classes:$(cat target/bench/classpath.txt)" \
    io.tally.bench.FanOut "$@"
}
if [[ "${1:-}" != "--matrix" ]]; then
  fanout "$@"
  exit
fi

matrix=${2:?--matrix NAME (issue13)}; shift 2
[[ $matrix == issue13 ]] || { echo "unknown matrix $matrix (known: issue13)" >&2; exit 2; }
n=10000 d=10 p=2000
while [[ $# -gt 0 ]]; do
  case $1 in
    --viewers) n=$2; shift 2 ;;
    --duration) d=$2; shift 2 ;;
    --poll-viewers) p=$2; shift 2 ;;
    *) echo "unknown matrix option $1" >&2; exit 2 ;;
  esac
done
m=m-$matrix
common=(--instances 2 --tuned --duration "$d")
# Each case gets fresh servers; a failing case is recorded and the matrix goes on.
run() { fanout "$@" || echo "[matrix] case failed: $*" >&2; }
run "${common[@]}" --viewers "$n" --rate 2 --deflate on --label "$m-ws-deflate-r2"
run "${common[@]}" --viewers "$n" --rate 2 --deflate off --label "$m-ws-plain-r2"
run "${common[@]}" --viewers "$n" --rate 10 --deflate on --label "$m-ws-deflate-r10"
run "${common[@]}" --viewers "$n" --rate 2 --deflate on --scenario scoreboard --log 50 --label "$m-scoreboard-deflate-r2"
run "${common[@]}" --viewers "$n" --rate 2 --deflate off --scenario scoreboard --log 50 --label "$m-scoreboard-plain-r2"
run "${common[@]}" --viewers "$p" --rate 2 --transport polling --label "$m-polling-r2"
run "${common[@]}" --viewers "$n" --rate 2 --deflate on --generator node --label "$m-node-ws-deflate-r2"
run "${common[@]}" --viewers "$n" --rate 10 --deflate on --generator node --label "$m-node-ws-deflate-r10"
# The peer, same generator (deflate offered), then with payloads padded to Tally's real live frame.
peer=target/bench/peer-socketio.jsonl
bench/peer-socketio.sh --label "$m-socketio-r2" "$n" 2 "$d" || echo "[matrix] peer R=2 failed" >&2
bench/peer-socketio.sh --label "$m-socketio-r10" "$n" 10 "$d" || echo "[matrix] peer R=10 failed" >&2
frame=$(python3 -c "import json,sys; print(int(json.load(open(sys.argv[1])).get('payload_bytes_per_delivery') or 0))" \
  "target/bench/$m-scoreboard-deflate-r2.json" 2>/dev/null || echo 0)
if [[ $frame -gt 130 ]]; then
  # The peer's unpadded frame is ~130 bytes (42["score",{…}]); pad it to Tally's frame.
  bench/peer-socketio.sh --pad $((frame - 130)) --label "$m-socketio-padded-r2" "$n" 2 "$d" || echo "[matrix] padded peer failed" >&2
fi
python3 bench/matrix.py "$m" target/bench "$peer" >"target/bench/matrix-$matrix.md"
cat "target/bench/matrix-$matrix.md"

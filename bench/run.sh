#!/usr/bin/env bash
# Runs one "scoreboard fan-out" scenario with Tally's own load tool (io.tally.bench.FanOut) and
# writes target/bench/LABEL.json, LABEL.md and target/bench/summary.md.
#   bench/run.sh --viewers 10000 --rate 2 --duration 20 --transport websocket [--instances 2] [...]
#   bench/run.sh --help     (all options)
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
java ${BENCH_TOOL_JVM:--Xmx2g -XX:+UseParallelGC} -cp "$snap/classes:$snap/test-classes:$(cat target/bench/classpath.txt)" \
  io.tally.bench.FanOut "$@"

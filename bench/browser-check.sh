#!/usr/bin/env bash
# Headless Chromium vs the load tool (and the Node generator's ws client): the Sec-WebSocket-Extensions
# each offers and is answered, and the bytes each receives per score, through a counting loopback
# proxy in front of one embedded Tally instance (io.tally.bench.BrowserCheck).
#   bench/browser-check.sh [--tabs 3] [--events 5] [--log 50]   -> target/bench/browser-check.{json,md}
set -euo pipefail
cd "$(dirname "$0")/.."
mkdir -p target/bench
if [[ ! -f target/bench/classpath.txt || pom.xml -nt target/bench/classpath.txt ]]; then
  mvn -q dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile=target/bench/classpath.txt >/dev/null
fi
[[ -n "${BENCH_NO_COMPILE:-}" ]] || mvn -q test-compile
[[ -d bench/node/node_modules ]] || (cd bench/node && npm ci --no-audit --no-fund >/dev/null)
exec java -Xmx512m -cp "target/classes:target/test-classes:$(cat target/bench/classpath.txt)" io.tally.bench.BrowserCheck "$@"

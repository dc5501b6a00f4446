#!/usr/bin/env bash
# Runs the Socket.IO peer (../shared/peers/socketio, read-only) on this machine, in the same
# conditions as a Tally run, so the two compare as ratios: two server.js instances + redis-server on
# loopback, the peers' own loadgen.js. Its node_modules are installed under target/peer-node (npm ci
# from the peer's package-lock.json), so shared/ is never written to.
#   bench/peer-socketio.sh N R D [N R D ...]      results: target/bench/peer-socketio.jsonl
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
peer=${TALLY_PEER_DIR:-$root/../shared/peers/socketio}
ulimit -n "$(ulimit -Hn)" 2>/dev/null || true
mods=$root/target/peer-node
if [[ ! -d $mods/node_modules ]]; then
  mkdir -p "$mods"; cp "$peer/package.json" "$peer/package-lock.json" "$mods/"
  (cd "$mods" && npm ci --no-audit --no-fund >/dev/null)
fi
export NODE_PATH=$mods/node_modules
mkdir -p target/bench/logs
port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
rp=$(port); pa=$(port); pb=$(port)
timeout 900 redis-server --port "$rp" --bind 127.0.0.1 --save '' --appendonly no --daemonize no >target/bench/logs/peer-redis.log 2>&1 & rpid=$!
apid=; bpid=
trap 'kill $apid $bpid $rpid 2>/dev/null; wait 2>/dev/null' EXIT
sleep 0.5
start() { PORT=$1 NAME=$2 REDIS_URL=redis://127.0.0.1:$rp timeout 900 node --max-old-space-size=4096 "$peer/server.js" >target/bench/logs/peer-server-$2.log 2>&1 & echo $!; }
fresh() {
  if [[ -n $apid ]]; then kill $apid $bpid 2>/dev/null || true; while kill -0 $apid 2>/dev/null || kill -0 $bpid 2>/dev/null; do sleep 0.1; done; fi
  apid=$(start "$pa" A); bpid=$(start "$pb" B)
  for _ in $(seq 100); do curl -sf "http://127.0.0.1:$pa/stats" >/dev/null && curl -sf "http://127.0.0.1:$pb/stats" >/dev/null && return; sleep 0.2; done
}
# `timeout` runs node as its child: the pids to measure are node's own.
nodepid() { pgrep -P "$1" node || echo "$1"; }
out=target/bench/peer-socketio.jsonl
args=("$@"); [[ ${#args[@]} -gt 0 ]] || args=(10000 2 20  10000 10 10)
for ((i = 0; i < ${#args[@]}; i += 3)); do
  n=${args[i]} r=${args[i+1]} d=${args[i+2]}
  fresh
  load=$(cut -d' ' -f1 /proc/loadavg)
  SERVER_PIDS="$(nodepid $apid) $(nodepid $bpid)" timeout 300 node --max-old-space-size=8192 "$peer/loadgen.js" "$peer/protocol-socketio.js" \
    "$n" "$r" "$d" "http://127.0.0.1:$pa" "http://127.0.0.1:$pb" | sed "s/^{/{\"peer\":\"socketio\",\"load_avg_before\":$load,/" | tee -a "$out"
done

#!/usr/bin/env bash
# Runs the Socket.IO peer (shared/peers/socketio, read-only) on this machine, in the same
# conditions as a Tally run, so the two compare as ratios: two server.js instances + redis-server on
# loopback, the peers' own loadgen.js (through bench/node/wire.js, which adds the bytes read on the
# viewers' sockets per delivery and the negotiated extensions). Its node_modules are installed under
# target/peer-node (npm ci from the peer's package-lock.json), so shared/ is never written to.
#   bench/peer-socketio.sh [--pad BYTES] [--label NAME] N R D [N R D ...]
#     results: target/bench/peer-socketio.jsonl (one JSON line per case)
#   --pad BYTES  pads every published payload with a "pad" string of BYTES characters, so the peer
#                sends frames the size of Tally's real live messages ("scoreboard" comparison). The
#                peer's server.js has no such option: a copy under target/peer-server gets it.
#   DEFLATE=0    viewers do not offer permessage-deflate (by default they offer it as browsers do).
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
pad=0 label=
while [[ $# -gt 0 && $1 == --* ]]; do
  case $1 in
    --pad) pad=$2; shift 2 ;;
    --label) label=$2; shift 2 ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
done
peer=${TALLY_PEER_DIR:-}
if [[ -z $peer ]]; then
  for d in "$root/.." "$root/../.." "$root/../../.."; do [[ -f $d/shared/peers/socketio/server.js ]] && { peer=$(cd "$d/shared/peers/socketio" && pwd); break; }; done
fi
[[ -n $peer && -f $peer/server.js ]] || { echo "peer not found (set TALLY_PEER_DIR)" >&2; exit 2; }
ulimit -n "$(ulimit -Hn)" 2>/dev/null || true
mods=$root/target/peer-node
if [[ ! -d $mods/node_modules ]]; then
  mkdir -p "$mods"; cp "$peer/package.json" "$peer/package-lock.json" "$mods/"
  (cd "$mods" && npm ci --no-audit --no-fund >/dev/null)
fi
[[ -d $root/bench/node/node_modules ]] || (cd "$root/bench/node" && npm ci --no-audit --no-fund >/dev/null)
export NODE_PATH=$mods/node_modules
server=$peer/server.js
if [[ $pad -gt 0 ]]; then
  mkdir -p target/peer-server
  server=$root/target/peer-server/server.js
  # The one change: a constant "pad" field in every published payload.
  sed -e "s|^let sent = 0, publishing = false;|&\nconst PAD = 'x'.repeat(Number(process.env.PAD_BYTES \|\| 0));|" \
      -e "s|as: (sent \* 7) % 110 })|as: (sent * 7) % 110, pad: PAD })|" "$peer/server.js" >"$server"
  grep -q "pad: PAD" "$server" && grep -q "^const PAD" "$server" || { echo "could not add padding to a copy of $peer/server.js" >&2; exit 2; }
fi
mkdir -p target/bench/logs
port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
rp=$(port); pa=$(port); pb=$(port)
timeout 900 redis-server --port "$rp" --bind 127.0.0.1 --save '' --appendonly no --daemonize no >target/bench/logs/peer-redis.log 2>&1 & rpid=$!
apid=; bpid=
trap 'kill $apid $bpid $rpid 2>/dev/null; wait 2>/dev/null' EXIT
sleep 0.5
start() { PAD_BYTES=$pad PORT=$1 NAME=$2 REDIS_URL=redis://127.0.0.1:$rp timeout 900 node --max-old-space-size=4096 "$server" >target/bench/logs/peer-server-$2.log 2>&1 & echo $!; }
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
  suffix=; [[ $pad -gt 0 ]] && suffix=-pad$pad
  name=${label:-peer-socketio-n$n-r$r-d$d$suffix}
  SERVER_PIDS="$(nodepid $apid) $(nodepid $bpid)" timeout 300 node --max-old-space-size=8192 "$root/bench/node/wire.js" \
    "$peer/loadgen.js" "$peer/protocol-socketio.js" "$n" "$r" "$d" "http://127.0.0.1:$pa" "http://127.0.0.1:$pb" \
    | sed "s/^{/{\"peer\":\"socketio\",\"label\":\"$name\",\"pad_bytes\":$pad,\"load_avg_before\":$load,/" | tee -a "$out"
done

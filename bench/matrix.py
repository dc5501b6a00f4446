#!/usr/bin/env python3
"""Puts a matrix's runs side by side: bench/matrix.py PREFIX target/bench target/bench/peer-socketio.jsonl

Tally runs are target/bench/PREFIX-*.json (written by io.tally.bench.FanOut); Socket.IO runs are the
last line of each label starting with PREFIX in the peer's JSONL. Prints a Markdown table."""
import json
import sys
from pathlib import Path

prefix, out_dir, peer_file = sys.argv[1], Path(sys.argv[2]), Path(sys.argv[3])


def fmt(x, digits=1):
    if x is None:
        return "—"
    if isinstance(x, float):
        return f"{x:,.{digits}f}" if x != int(x) or digits == 0 else f"{int(x):,}"
    if isinstance(x, int):
        return f"{x:,}"
    return str(x)


def row(r, system):
    lat = r.get("latency_ms") or {}
    delivered = r.get("delivered") or 0
    cpu = r.get("server_cpu_us_per_delivery")
    if cpu is None and isinstance(r.get("server_cpu_s_publish"), list) and delivered:
        cpu = sum(r["server_cpu_s_publish"]) * 1e6 / delivered
    rss = [s.get("rss_kib_per_conn") for s in r.get("servers", []) if s.get("rss_kib_per_conn") is not None]
    if not rss and isinstance(r.get("server_kib_per_conn"), list):
        rss = r["server_kib_per_conn"]
    ext = r.get("negotiated_extensions") or {}
    offered = "—" if r.get("transport") == "polling" else ("yes" if r.get("deflate_offered", True) else "no")
    negotiated = "—" if r.get("transport") == "polling" else ", ".join(ext) or "?"
    case = r.get("label", "")[len(prefix) + 1:]
    gen = r.get("tool", "node")
    scenario = r.get("scenario", "fanout") + (f" (pad {r['pad_bytes']})" if r.get("pad_bytes") else "")
    lost = r.get("undelivered")
    return (f"| {system} | {case} | {gen} | {scenario} | {r.get('transport', 'websocket')} | {fmt(r.get('N'))} | {fmt(r.get('R'))} "
            f"| {fmt(r.get('D'))} | {offered} / {negotiated} | {fmt(delivered)} / {fmt(r.get('expected'))} | {fmt(lost)} "
            f"| {fmt(r.get('duplicated'))} | {fmt(lat.get('p50'))} | {fmt(lat.get('p99'))} | {fmt(cpu)} "
            f"| {' / '.join(fmt(x) for x in rss) or '—'} | {fmt(r.get('wire_bytes_per_delivery'))} "
            f"| {fmt(r.get('payload_bytes_per_delivery'))} | {fmt(r.get('loadgen_cpu_s_publish'), 2)} |")


print(f"# Matrix {prefix}\n")
print("| system | case | generator | scenario | transport | N | R | D | deflate offered / negotiated | delivered / expected "
      "| lost | dup | p50 ms | p99 ms | server CPU µs/delivery | RSS KiB/idle conn | wire bytes/delivery "
      "| payload bytes/delivery | generator CPU s |")
print("|" + "---|" * 19)
for f in sorted(out_dir.glob(prefix + "-*.json"), key=lambda p: p.stat().st_mtime):
    r = json.loads(f.read_text())
    if "error" in r and "delivered" not in r:
        print(f"| Tally | {r.get('label')} | error: {r['error']} |")
        continue
    print(row(r, "Tally"))
peers = {}
if peer_file.exists():
    for line in peer_file.read_text().splitlines():
        try:
            r = json.loads(line)
        except ValueError:
            continue
        if str(r.get("label", "")).startswith(prefix + "-"):
            peers[r["label"]] = r
for r in peers.values():
    print(row(r, "Socket.IO 4 + Redis adapter"))

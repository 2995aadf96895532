#!/usr/bin/env bash
# HTTP load against a service already running on 127.0.0.1:${PORT:-5080} (loopback only, bounded duration).
#   dotnet run -c Release --project src/Predictive.Service &   # serves models/
#   tests/Predictive.Benchmarks/Service/run-http.sh
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
port="${PORT:-5080}"
url="http://127.0.0.1:${port}"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
features=$(curl -sf "$url/v1/models" | python3 -c 'import json,sys; d=json.load(sys.stdin); print(next(len(m["features"]) for m in d["loaded"] if m["isDefault"]))')
echo "default model: $(curl -sf "$url/v1/models" | python3 -c 'import json,sys; print(json.load(sys.stdin)["default"])'), $features features"
python3 "$here/make-bodies.py" "$work" "$features"
command -v wrk >/dev/null || { echo "wrk missing: apt-get install -y wrk" >&2; exit 1; }

# Build the load client before any measurement: a build leaves compilers busy for a while after it returns.
dotnet build -c Release "$here/.." >/dev/null
client="$(cd "$here/.." && pwd)/bin/Release/net10.0/Predictive.Benchmarks.dll"

# Steady state: the runtime keeps tiering up hot methods (JIT) for the first ~15 s under load, visible as
# dotnet_jit_compilation_time_seconds_total on /metrics.
echo "== warm-up: 20 s"
BODY="$work/single.json" wrk -t2 -c16 -d20s -s "$here/targets.lua" "$url" >/dev/null

# One wrk thread: on 2 cores a second load thread only takes CPU from the server.
echo "== throughput: single 20-asset portfolio, 1 thread, 16 connections, 15 s"
BODY="$work/single.json" wrk -t1 -c16 -d15s --latency -s "$here/targets.lua" "$url"

echo "== paced ~1,000 req/s: 8 connections, each waiting 5 ms between requests, 15 s (check the achieved rate)"
BODY="$work/single.json" DELAY_MS=5 wrk -t1 -c8 -d15s --latency -s "$here/targets.lua" "$url"

runs="${RUNS:-5}"
echo "== open loop, fixed ${RATE:-1000} req/s for 15 s after 3 s warm-up, $runs runs: latency from each request's due time (no coordinated omission)"
for i in $(seq 1 "$runs"); do
  dotnet "$client" open-loop --body "$work/single.json" --rate "${RATE:-1000}" --seconds 15 --warmup 3 --connections 8 --url "$url/v1/targets" | tee "$work/open-loop-$i.txt"
done
for i in $(seq 1 "$runs"); do
  printf 'run %s: p99 %s ms, steal %s\n' "$i" "$(sed -nE 's/^latency from due time .* p99 ([0-9.]+) ms .*/\1/p' "$work/open-loop-$i.txt")" \
    "$(sed -nE 's/.*stolen by the hypervisor ([0-9]+ ?%).*/\1/p' "$work/open-loop-$i.txt")"
done
grep -h '^latency from due time' "$work"/open-loop-*.txt | sed -E 's/.* p99 ([0-9.]+) ms.*/\1/' | sort -n \
  | awk '{v[NR]=$1} END {printf "open loop p99 over %d runs: median %s ms (min %s, max %s)\n", NR, v[int((NR+1)/2)], v[1], v[NR]}'

echo "== one request of 1,000 portfolios × 20 assets (Server-Timing = server time), 5 warm-up requests then 20 runs"
# No 'Expect: 100-continue' (curl adds it to large bodies; HttpClient and browsers do not): it would add the client's
# wait for the interim response to the server's time.
batch() { curl -s -o /dev/null -D - -w 'total;%{time_total}\n' -H 'Content-Type: application/json' -H 'Expect:' --data-binary "@$work/batch1000.json" "$url/v1/targets"; }
for i in $(seq 1 5); do batch >/dev/null; done
# Per run: server app time, parse, inference (Server-Timing, without writing the answer) and curl's whole exchange
# (sending 3 MB, the server's work, receiving the answer).
for i in $(seq 1 20); do
  batch | tr -d '\r' | sed -nE 's/^server-timing: app;dur=([0-9.]+), parse;dur=([0-9.]+), inference;dur=([0-9.]+).*/\1 \2 \3/Ip; s/^total;([0-9.]+)$/\1/p' | paste -sd' '
done > "$work/batch.txt"
sort -n "$work/batch.txt" | awk '{a[NR]=$1; p[NR]=$2; i[NR]=$3} END {m=int((NR+1)/2); printf "server ms (sorted by total): min %s  median %s (parse %s, inference %s)  max %s\n", a[1], a[m], p[m], i[m], a[NR]}'
awk '{print $4 * 1000}' "$work/batch.txt" | sort -n | awk '{v[NR]=$1} END {printf "whole exchange at the client (curl time_total): median %.1f ms\n", v[int((NR+1)/2)]}'

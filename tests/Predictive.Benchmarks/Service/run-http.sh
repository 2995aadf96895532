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

echo "== warm-up"
BODY="$work/single.json" wrk -t2 -c16 -d5s -s "$here/targets.lua" "$url" >/dev/null

# One wrk thread: on 2 cores a second load thread only takes CPU from the server.
echo "== throughput: single 20-asset portfolio, 1 thread, 16 connections, 15 s"
BODY="$work/single.json" wrk -t1 -c16 -d15s --latency -s "$here/targets.lua" "$url"

echo "== paced ~1,000 req/s: 8 connections, each waiting 5 ms between requests, 15 s (check the achieved rate)"
BODY="$work/single.json" DELAY_MS=5 wrk -t1 -c8 -d15s --latency -s "$here/targets.lua" "$url"

echo "== open loop, fixed 1,000 req/s for 15 s after 3 s warm-up: latency from each request's due time (no coordinated omission)"
# Socket completions inline: the client then needs about half the CPU, which the server on the same cores gets instead.
dotnet build -c Release "$here/.." >/dev/null
DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS=1 dotnet run -c Release --no-build --project "$here/.." -- \
  open-loop --body "$work/single.json" --rate "${RATE:-1000}" --seconds 15 --warmup 3 --connections 8 --url "$url/v1/targets"

echo "== one request of 1,000 portfolios × 20 assets (Server-Timing = server time), 20 runs"
for i in $(seq 1 20); do
  curl -s -o /dev/null -D - -H 'Content-Type: application/json' --data-binary "@$work/batch1000.json" "$url/v1/targets" \
    | tr -d '\r' | grep -i '^server-timing' | sed -E 's/.*app;dur=([0-9.]+), parse;dur=([0-9.]+), inference;dur=([0-9.]+).*/\1 \2 \3/'
done | sort -n | awk '{a[NR]=$1; p[NR]=$2; i[NR]=$3} END {m=int((NR+1)/2); printf "server ms (sorted by total): min %s  median %s (parse %s, inference %s)  max %s\n", a[1], a[m], p[m], i[m], a[NR]}'

#!/usr/bin/env bash
# Operator cluster measures on a throwaway PostgreSQL 15 (docs/operator.md, "Clustering on PostgreSQL"):
#   throughput  job runs per minute of the same keeper jobs on one node, then on two nodes sharing the database;
#   failover    kill -9 the node running a keeper pass, time from the kill to the recovered run's start (N runs).
# The keeper pass is a stand-in that waits PASS seconds and prints the pass's JSON (Keeper:Command = bash), so the
# jobs are I/O-bound like a pass waiting for confirmations; nothing trades. Build first:
#   dotnet build src/Predictive.Operator -c Release
# Usage: eng/bench-operator-cluster.sh [throughput|failover|all]   (env: SECONDS_PER_RUN=120 VAULTS=20 PASS=5 RUNS=5)
set -euo pipefail
# The keeper jobs now run the keeper pass in process (Keeper:Config, keeper.json), so the bash stand-in below no longer
# reaches them; the measures need a keeper.json whose vaults are real (anvil) before this script runs again.
echo "eng/bench-operator-cluster.sh: the keeper jobs run the pass in process now; the Keeper:Command stand-in is gone (see docs/operator.md, Not yet)" >&2
exit 2
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
mode="${1:-all}"
seconds="${SECONDS_PER_RUN:-120}" vaults="${VAULTS:-20}" pass="${PASS:-5}" runs="${RUNS:-5}"
dll="$root/src/Predictive.Operator/bin/Release/net10.0/Predictive.Operator.dll"
bin=/usr/lib/postgresql/15/bin
[ -f "$dll" ] || { echo "build the operator first: dotnet build src/Predictive.Operator -c Release" >&2; exit 1; }
[ -x "$bin/initdb" ] || { echo "PostgreSQL 15 is missing: run ./eng/bootstrap.sh" >&2; exit 1; }

as_pg() { if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
work="$(mktemp -d /tmp/predictive-bench-XXXXXX)"; chmod 755 "$work"
pg="$work/pg"; mkdir -m 700 "$pg"; if [ "$(id -u)" -eq 0 ]; then chown postgres:postgres "$pg"; fi
port="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')"
cleanup() {
  if [ -f "$work/pids" ]; then while read -r p; do kill -9 "$p" 2>/dev/null || true; done <"$work/pids"; fi
  as_pg "$bin/pg_ctl" -D "$pg/data" -m immediate -w stop >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT
as_pg "$bin/initdb" -D "$pg/data" -U postgres -A trust -E UTF8 --no-sync >/dev/null
as_pg "$bin/pg_ctl" -D "$pg/data" -l "$pg/log" -o "-c listen_addresses=127.0.0.1 -p $port -k $pg -c fsync=off" -w start >/dev/null
sql() { psql -h 127.0.0.1 -p "$port" -U postgres -d "$1" -tAq -c "$2"; }
now_ms() { date +%s%3N; }

# start_node DB NODE: one operator node with VAULTS keeper jobs on database DB.
start_node() {
  local db="$1" node="$2"
  local env=(Operator__NodeId="$node" Operator__WorkingDirectory="$work/$db/$node" Operator__ModelsDirectory="$work/$db/models"
    Operator__Store__Provider=postgres Operator__Store__ConnectionString="Host=127.0.0.1;Port=$port;Username=postgres;Database=$db"
    Operator__Schedules__RetrainOnStart=false Operator__Schedules__Retrain="0 0 0 1 1 ? 2099"
    Operator__Schedules__Evaluate="0 0 0 1 1 ? 2099" Operator__Schedules__Promote="0 0 0 1 1 ? 2099"
    Operator__Keeper__Command=bash Operator__Keeper__CommandPrefix__0=-c
    Operator__Keeper__CommandPrefix__1="sleep $pass; echo '{\"decision\":{\"trade\":false,\"reason\":\"bench\"},\"swaps\":[],\"gasUsedTotal\":0}'"
    Operator__Keeper__CommandPrefix__2=bench Logging__LogLevel__Default=Warning)
  for ((v = 0; v < vaults; v++)); do
    env+=(Operator__Keeper__Vaults__${v}__Name="v$v" Operator__Keeper__Vaults__${v}__Chain=unused Operator__Keeper__Vaults__${v}__IntervalSeconds=5)
  done
  mkdir -p "$work/$db/$node"
  (cd "$work/$db/$node" && exec env "${env[@]}" dotnet "$dll" >"$work/$db/$node.log" 2>&1) &
  echo $! >>"$work/pids"
  echo $!
}

# new_db DB: a database with an active model recorded (the keeper job passes only when one is active).
new_db() {
  sql postgres "CREATE DATABASE $1;"
  mkdir -p "$work/$1/models"
  echo '{"history":[{"key":"bench/1","sha256":"00","at":"2026-01-01T00:00:00+00:00","by":"bench"}]}' >"$work/$1/models/active.json"
}

throughput() {
  for nodes in 1 2; do
    local db="throughput$nodes" started=()
    new_db "$db"
    for ((n = 1; n <= nodes; n++)); do started+=("$(start_node "$db" "node-$n")"); done
    sleep 30 # start-up and the first passes
    local t0; t0="$(now_ms)"; sleep "$seconds"; local t1; t1="$(now_ms)"
    local done_runs; done_runs="$(sql "$db" "SELECT count(*) FROM operator_runs WHERE job LIKE 'keeper-%' AND outcome = 'Succeeded' AND ended_ms BETWEEN $t0 AND $t1;")"
    local per_node; per_node="$(sql "$db" "SELECT string_agg(node || ' ' || c, ', ') FROM (SELECT node, count(*) c FROM operator_runs WHERE outcome = 'Succeeded' AND ended_ms BETWEEN $t0 AND $t1 GROUP BY node ORDER BY node) x;")"
    local twice; twice="$(sql "$db" "SELECT count(*) FROM (SELECT job, scheduled_ms FROM operator_runs WHERE scheduled_ms IS NOT NULL GROUP BY job, scheduled_ms HAVING count(*) > 1) d;")"
    echo "throughput: $nodes node(s): $done_runs passes in $seconds s = $(python3 -c "print(round($done_runs*60/$seconds, 1))") per minute ($per_node); fire times run twice: $twice"
    for p in "${started[@]}"; do kill -9 "$p"; done
  done
}

failover() {
  local times=()
  for ((r = 1; r <= runs; r++)); do
    local db="failover$r"
    new_db "$db"
    local a b; a="$(start_node "$db" node-a)"; sleep 8; b="$(start_node "$db" node-b)"
    # Wait until both nodes have checked in and node-a is in a pass.
    until [ "$(sql "$db" "SELECT count(*) FROM qrtz_scheduler_state;" 2>/dev/null || echo 0)" = 2 ] &&
      [ "$(sql "$db" "SELECT count(*) FROM operator_runs WHERE node = 'node-a' AND outcome = 'Running';" 2>/dev/null || echo 0)" -gt 0 ]; do sleep 0.2; done
    local job; job="$(sql "$db" "SELECT job FROM operator_runs WHERE node = 'node-a' AND outcome = 'Running' ORDER BY id LIMIT 1;")"
    kill -9 "$a"; local killed; killed="$(now_ms)"
    until [ -n "$(sql "$db" "SELECT started_ms FROM operator_runs WHERE job = '$job' AND recovering = 1 LIMIT 1;")" ]; do sleep 0.2; done
    local started; started="$(sql "$db" "SELECT started_ms FROM operator_runs WHERE job = '$job' AND recovering = 1 LIMIT 1;")"
    local seconds_taken; seconds_taken="$(python3 -c "print(round(($started - $killed) / 1000, 1))")"
    times+=("$seconds_taken")
    echo "failover run $r: killed node-a mid-$job; recovered on $(sql "$db" "SELECT node FROM operator_runs WHERE job = '$job' AND recovering = 1 LIMIT 1;") after $seconds_taken s"
    kill -9 "$b"
  done
  echo "failover: median $(printf '%s\n' "${times[@]}" | sort -n | python3 -c 'import sys,statistics; print(statistics.median(float(l) for l in sys.stdin))') s over $runs runs (${times[*]})"
}

case "$mode" in
  throughput) throughput ;;
  failover) failover ;;
  all) throughput; failover ;;
  *) echo "usage: $0 [throughput|failover|all]" >&2; exit 2 ;;
esac

#!/usr/bin/env bash
# Operator cluster measures on real keeper jobs (docs/operator.md, "Measures"): a throwaway PostgreSQL 15, one anvil
# with VAULTS demo vaults (`predictive chain up --vaults N`), the targets service over the repository's models, and
# one keeper job per vault (every INTERVAL s, dry run: every pass reads the chain, asks the service, runs the oracle
# and gas gates, plans and simulates the trade, records the decision; nothing is sent, so the passes of many vaults
# never race for the one dev keeper key's nonces).
#   throughput  completed keeper job runs per minute over SECONDS_PER_RUN s, on one node, then on two nodes sharing
#               the database, REPEATS times each (a fresh database each time); medians and the ratio 2-node / 1-node.
#   failover    kill -9 the node running a keeper pass, time from the kill to the recovered run's start (RUNS runs).
# Build first:
#   dotnet build src/Predictive.Cli -c Release && dotnet build src/Predictive.Service -c Release
# Usage: eng/bench-operator-cluster.sh [throughput|failover|all]
#   (env: VAULTS=40 INTERVAL=5 SECONDS_PER_RUN=120 WARMUP=30 REPEATS=3 RUNS=5)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
mode="${1:-all}"
case "$mode" in throughput | failover | all) ;; *) echo "usage: $0 [throughput|failover|all]" >&2; exit 2 ;; esac
vaults="${VAULTS:-40}" interval="${INTERVAL:-5}" seconds="${SECONDS_PER_RUN:-120}" warmup="${WARMUP:-30}"
repeats="${REPEATS:-3}" runs="${RUNS:-5}"
bin_dir=bin/Release/net10.0
operator="$root/src/Predictive.Operator/$bin_dir/Predictive.Operator.dll"
cli="$root/src/Predictive.Cli/$bin_dir/predictive.dll"
service="$root/src/Predictive.Service/$bin_dir/Predictive.Service.dll"
pgbin=/usr/lib/postgresql/15/bin
for f in "$operator" "$cli" "$service"; do
  [ -f "$f" ] || { echo "missing $f: dotnet build src/Predictive.Cli -c Release && dotnet build src/Predictive.Service -c Release" >&2; exit 1; }
done
[ -x "$pgbin/initdb" ] || { echo "PostgreSQL 15 is missing: run ./eng/bootstrap.sh" >&2; exit 1; }

as_pg() { if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
work="$(mktemp -d /tmp/predictive-bench-XXXXXX)"; chmod 755 "$work"
pg="$work/pg"; mkdir -m 700 "$pg"; if [ "$(id -u)" -eq 0 ]; then chown postgres:postgres "$pg"; fi
port="$(free_port)"
cleanup() {
  if [ -f "$work/pids" ]; then while read -r p; do kill -9 "$p" 2>/dev/null || true; done <"$work/pids"; fi
  [ -f "$work/chain/chain.json" ] && dotnet "$cli" chain down --out "$work/chain" >/dev/null 2>&1 || true
  as_pg "$pgbin/pg_ctl" -D "$pg/data" -m immediate -w stop >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT
as_pg "$pgbin/initdb" -D "$pg/data" -U postgres -A trust -E UTF8 --no-sync >/dev/null
as_pg "$pgbin/pg_ctl" -D "$pg/data" -l "$pg/log" -o "-c listen_addresses=127.0.0.1 -p $port -k $pg -c fsync=off -c max_connections=300" -w start >/dev/null
sql() { psql -h 127.0.0.1 -p "$port" -U postgres -d "$1" -tAq -c "$2"; }
now_ms() { date +%s%3N; }
# CPU seconds (user + system, with reaped children) of processes, of the PostgreSQL server, and of the whole machine.
tck="$(getconf CLK_TCK)"
proc_cpu() { local t=0 p; for p in "$@"; do [ -r "/proc/$p/stat" ] && t=$((t + $(awk '{print $14 + $15 + $16 + $17}' "/proc/$p/stat"))); done; echo "$t"; }
pg_cpu() { local pm; pm="$(head -1 "$pg/data/postmaster.pid")"; # shellcheck disable=SC2046
  proc_cpu "$pm" $(ps -o pid= --ppid "$pm"); }
# user + nice + system + irq + softirq; steal (field 9) is time the hypervisor gave elsewhere, not used here.
machine_cpu() { awk '/^cpu /{print $2 + $3 + $4 + $7 + $8}' /proc/stat; }
cpu_snapshot() { echo "$(proc_cpu "$@") $(proc_cpu "$service_pid") $(proc_cpu "$anvil_pid") $(pg_cpu) $(machine_cpu)"; }
cpu_report() { # cpu_report "BEFORE" "AFTER" SECONDS
  python3 - "$1" "$2" "$3" "$tck" "$(nproc)" <<'PY'
import sys
a, b, secs, tck, cores = [int(x) for x in sys.argv[1].split()], [int(x) for x in sys.argv[2].split()], float(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5])
d = [(y - x) / tck for x, y in zip(a, b)]
print(f"CPU s: nodes {d[0]:.0f}, service {d[1]:.0f}, anvil {d[2]:.0f}, postgres {d[3]:.0f}; machine {d[4]:.0f} of {cores * secs:.0f} (all processes, steal excluded)")
PY
}
median() { python3 -c 'import sys,statistics; print(round(statistics.median(float(x) for x in sys.argv[1:]), 1))' "$@"; }

# The targets service over the repository's models, the chain with its vaults, keeper.json over both, an active model.
sport="$(free_port)"
(cd "$work" && exec env Predictive__ModelsDirectory="$root/models" Logging__LogLevel__Default=Warning \
  dotnet "$service" --urls "http://127.0.0.1:$sport" >"$work/service.log" 2>&1) &
echo $! >>"$work/pids"; disown $!
service_pid="$(tail -1 "$work/pids")"
until curl -fs "http://127.0.0.1:$sport/health/ready" >/dev/null; do sleep 0.5; done
t0="$(now_ms)"
dotnet "$cli" chain up --port 0 --out "$work/chain" --vaults "$vaults" >/dev/null
anvil_pid="$(python3 -c "import json,sys; print(json.load(open(sys.argv[1]))['pid'])" "$work/chain/chain.json")"
echo "deployed $vaults vault(s) on one anvil in $(( ($(now_ms) - t0) / 1000 )) s" >&2
python3 - "$work" "$vaults" "$interval" "http://127.0.0.1:$sport/" "$root" <<'PY'
import json, sys, os
work, n, interval, url, root = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4], sys.argv[5]
chains = [f"{work}/chain/chain.json"] + [f"{work}/chain/vaults/{i}/chain.json" for i in range(2, n + 1)]
vaults = []
for i, c in enumerate(chains):
    m = json.load(open(c))
    vaults.append({"name": f"v{i + 1:02d}", "chain": c, "chainId": m["chainId"], "vault": m["vault"], "policy": "full",
                   "intervalSeconds": interval, "marketData": {"source": "synthetic"}})
json.dump({"serviceUrl": url, "key": {"dev": True}, "store": f"{work}/keeper/keeper.db", "vaults": vaults}, open(f"{work}/keeper.json", "w"))
sha = json.load(open(f"{root}/models/default/1/model.json"))["sha256"]
os.makedirs(f"{work}/models", exist_ok=True)
json.dump({"history": [{"key": "default/1", "sha256": sha, "at": "2026-01-01T00:00:00+00:00", "by": "bench"}]}, open(f"{work}/models/active.json", "w"))
PY

# start_node DB NODE [CHECKIN THRESHOLD]: one operator node with a keeper job per vault on database DB.
start_node() {
  local db="$1" node="$2"
  local env=(Operator__NodeId="$node" Operator__WorkingDirectory="$work/$db/$node" Operator__ModelsDirectory="$work/models"
    Operator__Store__Provider=postgres Operator__Store__ConnectionString="Host=127.0.0.1;Port=$port;Username=postgres;Database=$db"
    Operator__Schedules__RetrainOnStart=false Operator__Schedules__Retrain="0 0 0 1 1 ? 2099"
    Operator__Schedules__Evaluate="0 0 0 1 1 ? 2099" Operator__Schedules__Promote="0 0 0 1 1 ? 2099"
    Operator__Keeper__Config="$work/keeper.json" Logging__LogLevel__Default=Warning)
  for ((v = 0; v < vaults; v++)); do
    env+=(Operator__Keeper__Vaults__${v}__Name="$(printf 'v%02d' $((v + 1)))" Operator__Keeper__Vaults__${v}__IntervalSeconds="$interval"
      Operator__Keeper__Vaults__${v}__DryRun=true)
  done
  mkdir -p "$work/$db/$node"
  (cd "$work/$db/$node" && exec env "${env[@]}" dotnet "$operator" >"$work/$db/$node.log" 2>&1) &
  echo $! >>"$work/pids"
  echo $!
}

stop_nodes() { for p in "$@"; do kill -9 "$p" 2>/dev/null || true; wait "$p" 2>/dev/null || true; done; }

throughput() {
  local -A rates=()
  for ((r = 1; r <= repeats; r++)); do
    for nodes in 1 2; do
      local db="throughput${r}n$nodes" started=()
      sql postgres "CREATE DATABASE $db;"
      for ((n = 1; n <= nodes; n++)); do started+=("$(start_node "$db" "node-$n")"); done
      sleep "$warmup" # start-up, schema, the first passes
      local t0 t1 c0 c1; c0="$(cpu_snapshot "${started[@]}")"; t0="$(now_ms)"; sleep "$seconds"; t1="$(now_ms)"; c1="$(cpu_snapshot "${started[@]}")"
      local where="job LIKE 'keeper-%' AND ended_ms BETWEEN $t0 AND $t1"
      local ok; ok="$(sql "$db" "SELECT count(*) FROM operator_runs WHERE $where AND outcome = 'Succeeded';")"
      local failed; failed="$(sql "$db" "SELECT count(*) FROM operator_runs WHERE $where AND outcome <> 'Succeeded';")"
      local per_node; per_node="$(sql "$db" "SELECT string_agg(node || ' ' || c, ', ') FROM (SELECT node, count(*) c FROM operator_runs WHERE $where AND outcome = 'Succeeded' GROUP BY node ORDER BY node) x;")"
      local pass_ms; pass_ms="$(sql "$db" "SELECT round(percentile_cont(0.5) WITHIN GROUP (ORDER BY ended_ms - started_ms)) FROM operator_runs WHERE $where AND outcome = 'Succeeded';")"
      local lag_ms; lag_ms="$(sql "$db" "SELECT round(percentile_cont(0.5) WITHIN GROUP (ORDER BY started_ms - scheduled_ms)) FROM operator_runs WHERE $where AND scheduled_ms IS NOT NULL;")"
      local twice; twice="$(sql "$db" "SELECT count(*) FROM (SELECT job, scheduled_ms FROM operator_runs WHERE scheduled_ms IS NOT NULL GROUP BY job, scheduled_ms HAVING count(*) > 1) d;")"
      local rate; rate="$(python3 -c "print(round($ok * 60 / (($t1 - $t0) / 1000), 1))")"
      if [ "$ok" -eq 0 ]; then tail -n 20 "$work/$db"/node-*.log >&2; echo "no keeper run succeeded; the nodes' logs end above" >&2; exit 1; fi
      rates[$nodes]+="$rate "
      echo "throughput repeat $r, $nodes node(s): $ok keeper runs succeeded in $(( (t1 - t0) / 1000 )) s = $rate / min ($per_node); not succeeded $failed; median pass $pass_ms ms, median start lag $lag_ms ms; fire times run twice: $twice; load $(cut -d' ' -f1-3 /proc/loadavg)"
      echo "  $(cpu_report "$c0" "$c1" "$seconds")"
      stop_nodes "${started[@]}"
    done
  done
  # shellcheck disable=SC2086
  local one two; one="$(median ${rates[1]})"; two="$(median ${rates[2]})"
  echo "throughput: demand $vaults jobs every $interval s = $(( vaults * 60 / interval )) / min; median of $repeats: 1 node $one / min, 2 nodes $two / min, ratio $(python3 -c "print(round($two / $one, 2))")"
}

failover() {
  local times=()
  for ((r = 1; r <= runs; r++)); do
    local db="failover$r"
    sql postgres "CREATE DATABASE $db;"
    local a b; a="$(start_node "$db" node-a)"; sleep 8; b="$(start_node "$db" node-b)"
    # Wait until both nodes have checked in and node-a is in a pass.
    until [ "$(sql "$db" "SELECT count(*) FROM qrtz_scheduler_state;" 2>/dev/null || echo 0)" = 2 ] &&
      [ "$(sql "$db" "SELECT count(*) FROM operator_runs WHERE node = 'node-a' AND outcome = 'Running';" 2>/dev/null || echo 0)" -gt 0 ]; do sleep 0.1; done
    local job; job="$(sql "$db" "SELECT job FROM operator_runs WHERE node = 'node-a' AND outcome = 'Running' ORDER BY id LIMIT 1;")"
    kill -9 "$a"; local killed; killed="$(now_ms)"
    until [ -n "$(sql "$db" "SELECT started_ms FROM operator_runs WHERE job = '$job' AND recovering = 1 LIMIT 1;")" ]; do sleep 0.2; done
    local started; started="$(sql "$db" "SELECT started_ms FROM operator_runs WHERE job = '$job' AND recovering = 1 LIMIT 1;")"
    local taken; taken="$(python3 -c "print(round(($started - $killed) / 1000, 1))")"
    times+=("$taken")
    echo "failover run $r: killed node-a mid-$job; recovered on $(sql "$db" "SELECT node FROM operator_runs WHERE job = '$job' AND recovering = 1 LIMIT 1;") after $taken s"
    stop_nodes "$a" "$b"
  done
  echo "failover: median $(median "${times[@]}") s over $runs runs (${times[*]})"
}

case "$mode" in
  throughput) throughput ;;
  failover) failover ;;
  all) throughput; failover ;;
esac

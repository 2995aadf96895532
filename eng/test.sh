#!/usr/bin/env bash
# Runs every test in the solution (the README's test command). Installs prerequisites first.
# Ends with a plain summary line: "N passed, N failed".
set -uo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

"$root/eng/bootstrap.sh" || { echo "bootstrap failed"; echo "0 passed, 1 failed"; exit 1; }

log="$(mktemp)"
trap 'rm -f "$log"' EXIT
dotnet test Predictive.sln -c Release "$@" 2>&1 | tee "$log"
status=${PIPESTATUS[0]}

# Microsoft.Testing.Platform prints per-run totals as "total: N / failed: N / succeeded: N"; the last block is the sum.
passed=$(grep -E '^\s*succeeded:\s*[0-9]+' "$log" | tail -1 | grep -oE '[0-9]+' || true)
failed=$(grep -E '^\s*failed:\s*[0-9]+' "$log" | tail -1 | grep -oE '[0-9]+' || true)
passed=${passed:-0}
failed=${failed:-0}
if [ "$status" -ne 0 ] && [ "$failed" -eq 0 ]; then
  # A build or host failure with no failing test still counts as a failure.
  failed=1
fi
echo "${passed} passed, ${failed} failed"
exit "$status"

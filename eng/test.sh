#!/usr/bin/env bash
# Runs every test in the solution (the README's test command). Installs prerequisites first.
# Ends with a plain summary line: "N passed, N failed, N skipped" (skipped counts skipped and inconclusive tests).
# When the shared real data exists beside the repository (../shared/data), nothing may be skipped: a skipped or
# inconclusive test then fails the run, so a data or Python-reference test cannot pass by not running.
set -uo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

"$root/eng/bootstrap.sh" || { echo "bootstrap failed"; echo "0 passed, 1 failed, 0 skipped"; exit 1; }

log="$(mktemp)"
trap 'rm -f "$log"' EXIT
dotnet test Predictive.sln -c Release "$@" 2>&1 | tee "$log"
status=${PIPESTATUS[0]}

# Microsoft.Testing.Platform prints per-run totals as "total: N / failed: N / succeeded: N / skipped: N" (inconclusive
# results are reported as skipped); the last block is the sum.
count() { grep -E "^\s*$1:\s*[0-9]+" "$log" | tail -1 | grep -oE '[0-9]+' || true; }
passed=$(count succeeded)
failed=$(count failed)
skipped=$(count skipped)
passed=${passed:-0}
failed=${failed:-0}
skipped=${skipped:-0}
if [ "$status" -ne 0 ] && [ "$failed" -eq 0 ]; then
  # A build or host failure with no failing test still counts as a failure.
  failed=1
fi

if [ "$skipped" -gt 0 ] && [ -d "$root/../shared/data" ]; then
  echo "error: $skipped test(s) ended skipped or inconclusive although ../shared/data exists; every test must run here:" >&2
  grep -E "^\s*skipped " "$log" >&2 || echo "  (run with --output detailed to list them)" >&2
  [ "$status" -eq 0 ] && status=1
fi

echo "${passed} passed, ${failed} failed, ${skipped} skipped"
exit "$status"

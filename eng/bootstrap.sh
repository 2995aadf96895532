#!/usr/bin/env bash
# Installs what the tests and demos need beyond the .NET SDK. Idempotent: each step checks before it acts.
#   - npm packages for the local EVM chain (anvil, solc, Uniswap V2 artifacts, OpenZeppelin) into eng/chain
#   - Debian python3 packages used as outside references (ONNX checker, numpy/pandas baselines)
#   - Debian's Chromium (/usr/bin/chromium), which the report's browser test drives through Playwright
#   - Debian's PostgreSQL 15 server programs (postgresql-15), for the operator's cluster tests (throwaway clusters)
# The TorchSharp fix for Debian 12 needs no step here: it runs inside the build (eng/libtorch).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"

if [ -f "$root/eng/chain/package-lock.json" ]; then
  if [ ! -d "$root/eng/chain/node_modules" ] || [ "$root/eng/chain/package-lock.json" -nt "$root/eng/chain/node_modules/.package-lock.json" ]; then
    echo "bootstrap: installing local-chain npm packages (eng/chain)"
    npm ci --prefix "$root/eng/chain" --no-audit --no-fund --loglevel=error
  fi
fi

if [ -x "$root/eng/install-python-deps.sh" ]; then
  "$root/eng/install-python-deps.sh"
fi

# The comparison report's browser test (tests/Predictive.Research.Tests/Reporting) drives Debian's Chromium; Playwright
# needs no browser download of its own. Installed only when /usr/bin/chromium is absent.
apt_updated=""
apt_install() { # package, what needs it
  if command -v apt-get >/dev/null 2>&1; then
    SUDO=""
    if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
    echo "bootstrap: installing $1 (apt-get)"
    if [ -z "$apt_updated" ]; then $SUDO apt-get update -qq; apt_updated=1; fi
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "$1" >/dev/null
  else
    echo "$1: missing and apt-get is unavailable; $2 will fail" >&2
  fi
}

if [ ! -x /usr/bin/chromium ]; then
  apt_install chromium "the report's browser test"
fi

# The operator's cluster tests (tests/Predictive.Operator.Tests/Cluster) start a throwaway PostgreSQL 15 with its
# initdb and pg_ctl; only the server programs are needed, no running service. Installed only when they are absent.
if [ ! -x /usr/lib/postgresql/15/bin/initdb ]; then
  apt_install postgresql-15 "the operator's PostgreSQL cluster tests"
fi

#!/usr/bin/env bash
# Installs what the tests and demos need beyond the .NET SDK. Idempotent: each step checks before it acts.
#   - npm packages for the local EVM chain (anvil, solc, Uniswap V2 artifacts, OpenZeppelin) into eng/chain
#   - Debian python3 packages used as outside references (ONNX checker, numpy/pandas baselines)
#   - Debian's Chromium (/usr/bin/chromium), which the report's browser test drives through Playwright
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
if [ ! -x /usr/bin/chromium ]; then
  if command -v apt-get >/dev/null 2>&1; then
    SUDO=""
    if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
    echo "bootstrap: installing chromium (apt-get)"
    $SUDO apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq chromium >/dev/null
  else
    echo "chromium: missing and apt-get is unavailable; the report's browser test will fail" >&2
  fi
fi

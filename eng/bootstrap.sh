#!/usr/bin/env bash
# Installs what the tests and demos need beyond the .NET SDK. Idempotent: each step checks before it acts.
#   - npm packages for the local EVM chain (anvil, solc, Uniswap V2 artifacts, OpenZeppelin) into eng/chain
#   - Debian python3 packages used as outside references (ONNX checker, numpy/pandas baselines)
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

#!/usr/bin/env bash
# Installs what the Python-backed tests need, from Debian's packages for /usr/bin/python3:
# python3-numpy (the backtester's numpy reference and its parity test), python3-onnx (the ONNX checker tests) and
# python3-torch (the bring-your-own PyTorch model test).
# Idempotent: does nothing when the modules already import; uses apt-get only for what is missing.
# Fails loudly (exit 1, naming the packages) when a module is missing and cannot be installed: the tests that need it
# would otherwise end inconclusive, and on a full setup eng/test.sh fails them anyway (README, "Tests").
set -euo pipefail

python=/usr/bin/python3
declare -A package=([numpy]=python3-numpy [onnx]=python3-onnx [torch]=python3-torch)
modules=(numpy onnx torch)

missing=()
for m in "${modules[@]}"; do
  "$python" -c "import $m" 2>/dev/null || missing+=("${package[$m]}")
done

if [ ${#missing[@]} -gt 0 ]; then
  if ! command -v apt-get >/dev/null 2>&1; then
    echo "install-python-deps: ${missing[*]} missing for $python and apt-get is unavailable; install them by hand" >&2
    exit 1
  fi
  SUDO=""
  if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
  echo "install-python-deps: installing ${missing[*]}"
  if ! $SUDO apt-get update -qq; then
    echo "install-python-deps: apt-get update failed; ${missing[*]} not installed" >&2
    exit 1
  fi
  if ! DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${missing[@]}" >/dev/null; then
    echo "install-python-deps: apt-get install ${missing[*]} failed" >&2
    exit 1
  fi
fi

# Whatever was or was not installed, each module must now import.
failed=()
for m in "${modules[@]}"; do
  if version="$("$python" -c "import $m; print($m.__version__)" 2>/dev/null)"; then
    echo "${package[$m]}: $version"
  else
    failed+=("${package[$m]}")
  fi
done
if [ ${#failed[@]} -gt 0 ]; then
  echo "install-python-deps: ${failed[*]} still not importable from $python" >&2
  exit 1
fi

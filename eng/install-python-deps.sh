#!/usr/bin/env bash
# Installs what the Python-backed tests need, from Debian's packages for /usr/bin/python3:
# python3-onnx (the ONNX checker test) and python3-torch (the bring-your-own PyTorch model test).
# Idempotent: does nothing when the modules already import; uses apt-get only for what is missing.
set -euo pipefail

# numpy for the backtester's reference implementation (bench/numpy/backtest.py and its parity test). Idempotent.
if /usr/bin/python3 -c 'import numpy' 2>/dev/null; then
  echo "python3-numpy: present ($(/usr/bin/python3 -c 'import numpy; print(numpy.__version__)'))"
elif command -v apt-get >/dev/null 2>&1; then
  SUDO=""
  if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq python3-numpy >/dev/null
  /usr/bin/python3 -c 'import numpy; print("python3-numpy: installed", numpy.__version__)'
else
  echo "python3-numpy: missing and apt-get is unavailable; the numpy parity test will be inconclusive" >&2
fi

missing=()
/usr/bin/python3 -c 'import onnx' 2>/dev/null || missing+=(python3-onnx)
/usr/bin/python3 -c 'import torch' 2>/dev/null || missing+=(python3-torch)

if [ ${#missing[@]} -eq 0 ]; then
  echo "python3-onnx: present ($(/usr/bin/python3 -c 'import onnx; print(onnx.__version__)'))"
  echo "python3-torch: present ($(/usr/bin/python3 -c 'import torch; print(torch.__version__)'))"
  exit 0
fi

if ! command -v apt-get >/dev/null 2>&1; then
  echo "${missing[*]}: missing and apt-get is unavailable; the tests that need them will be inconclusive" >&2
  exit 0
fi

SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
$SUDO apt-get update -qq
if ! DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${missing[@]}" >/dev/null; then
  echo "could not install ${missing[*]}; the tests that need them will be inconclusive" >&2
  exit 0
fi
/usr/bin/python3 -c 'import onnx; print("python3-onnx:", onnx.__version__)'
/usr/bin/python3 -c 'import torch; print("python3-torch:", torch.__version__)' || true

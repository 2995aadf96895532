#!/usr/bin/env bash
# Installs what the ONNX checker test needs: Debian's python3-onnx for /usr/bin/python3.
# Idempotent: does nothing when the module already imports; uses apt-get only when it is missing.
set -euo pipefail

if /usr/bin/python3 -c 'import onnx' 2>/dev/null; then
  echo "python3-onnx: present ($(/usr/bin/python3 -c 'import onnx; print(onnx.__version__)'))"
  exit 0
fi

if ! command -v apt-get >/dev/null 2>&1; then
  echo "python3-onnx: missing and apt-get is unavailable; the ONNX checker test will be inconclusive" >&2
  exit 0
fi

SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq python3-onnx >/dev/null
/usr/bin/python3 -c 'import onnx; print("python3-onnx: installed", onnx.__version__)'

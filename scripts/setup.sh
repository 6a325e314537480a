#!/usr/bin/env bash
# Creates .venv and installs the project with its dev extras. Idempotent (a stamp file skips
# the work when pyproject.toml has not changed).
# On a machine without an NVIDIA GPU it installs torch 2.13.0 FIRST: any other request for
# plain "torch" can pull a CUDA build of several GB. Set TORCH_SPEC to choose another build.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PYTHON:-python3}
VENV=${VENV:-.venv}
STAMP="$VENV/.installed"
if [ -f "$STAMP" ] && [ "$STAMP" -nt pyproject.toml ]; then exit 0; fi
[ -x "$VENV/bin/python" ] || "$PY" -m venv "$VENV"
"$VENV/bin/python" -m pip install -q --upgrade pip
if ! "$VENV/bin/python" -c "import torch" 2>/dev/null; then
  if [ -n "${TORCH_SPEC:-}" ]; then
    "$VENV/bin/pip" install -q "$TORCH_SPEC"
  elif command -v nvidia-smi >/dev/null 2>&1 && nvidia-smi >/dev/null 2>&1; then
    "$VENV/bin/pip" install -q "torch>=2.2"          # a CUDA build, for the GPU
  else
    "$VENV/bin/pip" install -q "torch==2.13.0"       # CPU: the known, small build
  fi
fi
"$VENV/bin/pip" install -q -e ".[dev]"
touch "$STAMP"

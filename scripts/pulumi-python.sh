#!/usr/bin/env bash
# Provides a Python virtual environment with Pulumi's Python SDK (the PyPI package `pulumi`, at the
# version of our @pulumi/pulumi, every dependency pinned by tools/python/constraints.txt) for the Python
# example's test, in a cache outside the repository keyed by version and constraints. Idempotent.
#
#   bash scripts/pulumi-python.sh       # builds or reuses; prints the venv's python on the last line
set -euo pipefail
cd "$(dirname "$0")/.."

log() { printf '[pulumi-python] %s\n' "$*" >&2; }

VERSION="${AML_EVENTS_PULUMI_VERSION:-$(node -p 'require("./package-lock.json").packages["node_modules/@pulumi/pulumi"].version')}"
CONSTRAINTS=tools/python/constraints.txt
KEY="$(sha256sum "$CONSTRAINTS" | cut -c1-12)"
VENV="${AML_EVENTS_CACHE:-$HOME/.cache/aml-event-workflows}/python/pulumi-$VERSION-$KEY"
PYTHON="$VENV/bin/python"

if [[ -x "$PYTHON" ]] && "$PYTHON" -c "import pulumi.automation, parver, wheel" 2>/dev/null; then
  log "reusing $VENV"
  echo "$PYTHON"
  exit 0
fi
command -v python3 >/dev/null || { log "python3 is not installed; install Python 3.9+ and re-run"; exit 1; }
grep -qx "pulumi==$VERSION" "$CONSTRAINTS" || { log "$CONSTRAINTS pins another pulumi than $VERSION; refresh it"; exit 1; }
rm -rf "$VENV"
python3 -m venv "$VENV"
"$VENV/bin/pip" install --quiet --disable-pip-version-check -c "$CONSTRAINTS" "pulumi==$VERSION" parver wheel
log "built $VENV"
echo "$PYTHON"

#!/usr/bin/env bash
# Provides actionlint (the GitHub Actions workflow linter, github.com/rhysd/actionlint), built from the Go
# module proxy into a cache outside the repository keyed by version. Idempotent: when the binary is already
# in the cache, nothing is built. test/review/workflow.test.ts finds it through AML_EVENTS_ACTIONLINT_BIN
# or this cache, and skips with a notice without it.
#
#   bash scripts/actionlint.sh         # builds or reuses; prints the bin directory on the last line
#
# Cache: ${AML_EVENTS_CACHE:-$HOME/.cache/aml-event-workflows}/actionlint/v<version>/bin
set -euo pipefail

log() { printf '[actionlint] %s\n' "$*" >&2; }

VERSION="${AML_EVENTS_ACTIONLINT_VERSION:-1.7.12}"
CACHE_ROOT="${AML_EVENTS_CACHE:-$HOME/.cache/aml-event-workflows}"
BIN="$CACHE_ROOT/actionlint/v$VERSION/bin"

if [[ -x "$BIN/actionlint" ]]; then
  log "reusing actionlint v$VERSION from $BIN"
  echo "$BIN"
  exit 0
fi
command -v go >/dev/null || { log "go is not installed; install Go 1.24+ and re-run"; exit 1; }
mkdir -p "$BIN"
START=$(date +%s)
log "building actionlint v$VERSION into $BIN"
# go install with a version builds the module exactly as its own go.mod and go.sum pin it.
GOBIN="$BIN" GOFLAGS="${GOFLAGS:+$GOFLAGS }-trimpath" go install "github.com/rhysd/actionlint/cmd/actionlint@v$VERSION"
log "built in $(( $(date +%s) - START ))s"
echo "$BIN"

#!/usr/bin/env bash
# Provides `sdkgen` (tools/sdkgen: Pulumi's own Python and Go SDK generators from pkg/v3/codegen, at the
# version of our @pulumi/pulumi) and warms the Go module cache with the Pulumi Go SDK a generated Go SDK
# compiles against, so the multi-language tests run offline. Built once into a cache outside the
# repository, keyed by version; idempotent.
#
#   bash scripts/pulumi-sdkgen.sh       # builds or reuses; prints the bin directory on the last line
#
# Cache: ${AML_EVENTS_CACHE:-$HOME/.cache/aml-event-workflows}/pulumi-sdkgen/v<version>/bin
set -euo pipefail
cd "$(dirname "$0")/.."
REPO="$PWD"

log() { printf '[pulumi-sdkgen] %s\n' "$*" >&2; }

VERSION="${AML_EVENTS_PULUMI_VERSION:-$(node -p 'require("./package-lock.json").packages["node_modules/@pulumi/pulumi"].version')}"
CACHE_ROOT="${AML_EVENTS_CACHE:-$HOME/.cache/aml-event-workflows}"
BIN="$CACHE_ROOT/pulumi-sdkgen/v$VERSION/bin"
PKG=github.com/pulumi/pulumi/pkg/v3
SDK=github.com/pulumi/pulumi/sdk/v3
export GOFLAGS="${GOFLAGS:+$GOFLAGS }-mod=mod"

SOURCE_HASH="$(sha256sum tools/sdkgen/main.go | cut -c1-16)"
if [[ -x "$BIN/sdkgen" && "$(cat "$BIN/../source-hash" 2>/dev/null)" == "$SOURCE_HASH" && -f "$BIN/../go-sdk-ready" ]]; then
  log "reusing sdkgen for Pulumi v$VERSION from $BIN"
  echo "$BIN"
  exit 0
fi
command -v go >/dev/null || { log "go is not installed; install Go 1.25+ and re-run"; exit 1; }
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT
mkdir -p "$BIN" "$WORK/sdkgen" "$WORK/gosdk"
START=$(date +%s)

# The generator: a throwaway wrapper module around tools/sdkgen/main.go that requires pkg/v3 and keeps
# pkg/v3's non-local replaces (its go.mod points sdk/v3 at a relative path, so it cannot be required as is).
cd "$WORK/sdkgen"
cp "$REPO/tools/sdkgen/main.go" .
go mod init aml-events.local/sdkgen >/dev/null 2>&1
PKG_GOMOD="$(go mod download -json "$PKG@v$VERSION" | node -e 'let s="";process.stdin.on("data",(d)=>(s+=d)).on("end",()=>console.log(JSON.parse(s).GoMod))')"
grep -E '^replace .* => [^.][^ ]* v' "$PKG_GOMOD" | sed 's/^replace //' | while read -r line; do
  go mod edit -replace "$(echo "$line" | sed -E 's/ => /=/; s/ (v[^ ]+)$/@\1/')"
done
go get "$PKG@v$VERSION" "$SDK@v$VERSION" github.com/blang/semver
go mod tidy
go build -trimpath -o "$BIN/sdkgen.tmp" .
mv "$BIN/sdkgen.tmp" "$BIN/sdkgen"
echo "$SOURCE_HASH" >"$BIN/../source-hash"

# The Pulumi Go SDK a generated Go SDK needs, downloaded and compiled once so the test builds offline.
cd "$WORK/gosdk"
go mod init aml-events.local/gosdk-warm >/dev/null 2>&1
printf 'package main\n\nimport "github.com/pulumi/pulumi/sdk/v3/go/pulumi"\n\nfunc main() { pulumi.Run(nil) }\n' >main.go
go get "$SDK@v$VERSION"
go build -o /dev/null .
touch "$BIN/../go-sdk-ready"
log "built in $(( $(date +%s) - START ))s"
echo "$BIN"

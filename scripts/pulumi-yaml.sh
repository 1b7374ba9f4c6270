#!/usr/bin/env bash
# Provides Pulumi's YAML language host (pulumi-language-yaml), built from the Go module proxy into a cache
# outside the repository keyed by version, against the Pulumi SDK its own go.mod requires (the language host
# is a separate gRPC process, so it need not match the CLI's version; pulumi-yaml v1.25.0 does not compile
# against pkg/v3 v3.248.0). Idempotent: when the binary is already in the cache, nothing is built.
#
#   bash scripts/pulumi-yaml.sh         # builds or reuses; prints the bin directory on the last line
#
# Cache: ${AML_EVENTS_CACHE:-$HOME/.cache/aml-event-workflows}/pulumi-yaml/v<yaml>-pulumi<cli>/bin
set -euo pipefail
cd "$(dirname "$0")/.."

log() { printf '[pulumi-yaml] %s\n' "$*" >&2; }

YAML_VERSION="${AML_EVENTS_PULUMI_YAML_VERSION:-1.25.0}"
CACHE_ROOT="${AML_EVENTS_CACHE:-$HOME/.cache/aml-event-workflows}"
BIN="$CACHE_ROOT/pulumi-yaml/v$YAML_VERSION/bin"
YAML=github.com/pulumi/pulumi-yaml
PKG=github.com/pulumi/pulumi/pkg/v3
SDK=github.com/pulumi/pulumi/sdk/v3
export GOFLAGS="${GOFLAGS:+$GOFLAGS }-mod=mod"

if [[ -x "$BIN/pulumi-language-yaml" ]]; then
  log "reusing pulumi-language-yaml v$YAML_VERSION from $BIN"
  echo "$BIN"
  exit 0
fi
command -v go >/dev/null || { log "go is not installed; install Go 1.25+ and re-run"; exit 1; }
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT
mkdir -p "$BIN"
cd "$WORK"
go mod init aml-events.local/pulumi-language-yaml >/dev/null 2>&1
gomod_of() { go mod download -json "$1" | node -e 'let s="";process.stdin.on("data",(d)=>(s+=d)).on("end",()=>console.log(JSON.parse(s).GoMod))'; }
YAML_GOMOD="$(gomod_of "$YAML@v$YAML_VERSION")"
PULUMI_VERSION="$(grep -E "^\s*$PKG v" "$YAML_GOMOD" | awk '{print $2}')"
log "building pulumi-language-yaml v$YAML_VERSION (Pulumi pkg $PULUMI_VERSION) into $BIN"
# pkg/v3's go.mod has replaces for modules it forks; a wrapper module must repeat the non-local ones.
grep -hE '^replace .* => [^.][^ ]* v' "$(gomod_of "$PKG@$PULUMI_VERSION")" "$YAML_GOMOD" | sed 's/^replace //' | while read -r line; do
  go mod edit -replace "$(echo "$line" | sed -E 's/ => /=/; s/ (v[^ ]+)$/@\1/')"
done
START=$(date +%s)
go get "$YAML@v$YAML_VERSION" "$PKG@$PULUMI_VERSION" "$SDK@$PULUMI_VERSION"
go build -trimpath -o "$BIN/pulumi-language-yaml.tmp" "$YAML/cmd/pulumi-language-yaml"
mv "$BIN/pulumi-language-yaml.tmp" "$BIN/pulumi-language-yaml"
log "built in $(( $(date +%s) - START ))s"
echo "$(( $(date +%s) - START ))" >"$BIN/../build-seconds"
echo "$BIN"

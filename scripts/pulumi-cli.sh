#!/usr/bin/env bash
# Provides the Pulumi CLI and its Node.js language host at the version of our @pulumi/pulumi, built from
# Pulumi's Go modules (module proxy only) into a cache outside the repository, keyed by version.
# Idempotent: when the binary is already in the cache, nothing is built.
#
#   bash scripts/pulumi-cli.sh          # builds or reuses; prints the bin directory on the last line
#
# Cache: ${AML_EVENTS_CACHE:-$HOME/.cache/aml-event-workflows}/pulumi-cli/v<version>/bin
# Needs: go (1.25+), node, network access to the Go module proxy. Pulumi's source is never written here.
set -euo pipefail
cd "$(dirname "$0")/.."

log() { printf '[pulumi-cli] %s\n' "$*" >&2; }

# The version: what npm installed, else what the lockfile pins.
sdk_version() {
  node -e '
    const fs = require("fs");
    const p = "node_modules/@pulumi/pulumi/package.json";
    if (fs.existsSync(p)) { console.log(JSON.parse(fs.readFileSync(p, "utf8")).version); process.exit(0); }
    const lock = JSON.parse(fs.readFileSync("package-lock.json", "utf8"));
    console.log(lock.packages["node_modules/@pulumi/pulumi"].version);'
}

VERSION="${AML_EVENTS_PULUMI_VERSION:-$(sdk_version)}"
CACHE_ROOT="${AML_EVENTS_CACHE:-$HOME/.cache/aml-event-workflows}"
DEST="$CACHE_ROOT/pulumi-cli/v$VERSION"
BIN="$DEST/bin"
PKG=github.com/pulumi/pulumi/pkg/v3
SDK=github.com/pulumi/pulumi/sdk/v3
LANG_MOD=github.com/pulumi/pulumi/sdk/nodejs/cmd/pulumi-language-nodejs/v3
LDFLAGS="-X $SDK/go/common/version.Version=v$VERSION"
export GOFLAGS="${GOFLAGS:+$GOFLAGS }-mod=mod"

if [[ -x "$BIN/pulumi" ]]; then
  log "reusing Pulumi CLI v$VERSION from $BIN"
  echo "$BIN"
  exit 0
fi
command -v go >/dev/null || { log "go is not installed; install Go 1.25+ and re-run"; exit 1; }
log "building Pulumi CLI v$VERSION into $BIN ($(go version))"
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT
mkdir -p "$BIN"

# The CLI: pkg/v3's go.mod has a relative `replace` for sdk/v3, so `go install pkg@version` refuses it.
# A throwaway wrapper module requires both at the same version and keeps pkg/v3's non-local replaces.
build_cli() {
  local dir="$WORK/cli"
  mkdir -p "$dir" && cd "$dir"
  go mod init aml-events.local/pulumi-cli >/dev/null 2>&1
  go mod download -json "$PKG@v$VERSION" >"$dir/pkg.json"
  local gomod
  gomod="$(node -p 'JSON.parse(require("fs").readFileSync(process.argv[1], "utf8")).GoMod' "$dir/pkg.json")"
  grep -E '^replace .* => [^.][^ ]* v' "$gomod" | sed 's/^replace //' | while read -r line; do
    log "wrapper keeps pkg/v3's replace $line"
    go mod edit -replace "$(echo "$line" | sed -E 's/ => /=/; s/ (v[^ ]+)$/@\1/')"
  done
  go get "$PKG/cmd/pulumi@v$VERSION" "$SDK@v$VERSION"
  go build -trimpath -ldflags "$LDFLAGS" -o "$BIN/pulumi.tmp" "$PKG/cmd/pulumi"
  mv "$BIN/pulumi.tmp" "$BIN/pulumi"
  cd - >/dev/null
}

# The Node.js language host (module $LANG_MOD) has no semver tags; its pseudo-version is the commit
# tagged pkg/v$VERSION. The module proxy answers 403 "not available" for that module, so it cannot be
# built here; the real-engine tests use the LanguageRuntime host in test/engine/languageHost.ts.
# Set AML_EVENTS_PULUMI_LANG_VERSION (e.g. v3.0.0-20260624180030-dc7edd58bc13 for v3.248.0) to try.
build_language_host() {
  local ver="${AML_EVENTS_PULUMI_LANG_VERSION:-}" dir="$WORK/lang"
  [[ -n "$ver" ]] || { log "language host: not built (module proxy does not serve $LANG_MOD)"; return 0; }
  mkdir -p "$dir" && cd "$dir"
  go mod init aml-events.local/pulumi-language-nodejs >/dev/null 2>&1
  if go get "$LANG_MOD@$ver" "$SDK@v$VERSION" && go build -trimpath -ldflags "$LDFLAGS" -o "$BIN/pulumi-language-nodejs" "$LANG_MOD"; then
    log "language host built"
  else
    log "language host $LANG_MOD@$ver unavailable; the tests use test/engine/languageHost.ts"
  fi
  cd - >/dev/null
}

START=$(date +%s)
build_cli
log "pulumi built in $(( $(date +%s) - START ))s"
echo "$(( $(date +%s) - START ))" >"$DEST/build-seconds"
build_language_host
echo "$BIN"

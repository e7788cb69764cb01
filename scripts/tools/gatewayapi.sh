#!/usr/bin/env bash
# scripts/tools/gatewayapi.sh -- the real Argo Rollouts Gateway API traffic-router
# plugin (argoproj-labs/rollouts-plugin-trafficrouter-gatewayapi), for the e2e
# tests (test/e2e/, `npm run test:e2e`), whose controller loads it from the
# `argo-rollouts-config` ConfigMap (see test/cluster/cluster.ts).
#
#   bash scripts/tools/gatewayapi.sh          # build / no-op when up to date
#
# Installs $TOOLS_DIR/bin/gatewayapi-plugin (default <repo>/.tools, git-ignored).
#
# Source: the Go module proxy does not serve this plugin, so it is built from
# the read-only source snapshot ../shared/vendor/rollouts-plugin-trafficrouter-gatewayapi
# beside the clone (override with GATEWAYAPI_PLUGIN_SRC). None of its code is
# ever copied into this repository: the tree is copied to a throw-away staging
# dir under .tools/ and built there with `go build` (its go.mod/go.sum pin the
# dependencies, fetched through the module proxy; -mod=readonly verifies them).
# The snapshot's tree checksum is pinned in versions.env
# (GATEWAYAPI_PLUGIN_TREE_SHA256): a different snapshot fails loudly instead of
# silently building other code; bump the pin deliberately.
#
# Cold build (empty Go build cache, dependencies already in GOMODCACHE): ~2.5 min
# of CPU (user+sys), i.e. ~1.5-2 min on 2 idle cores; 10 min wall-clock was
# measured on a 2-core machine at load ~20. Every build logs its time.
# Cached: a stamp in $TOOLS_DIR/stamps/gatewayapi records the inputs (tree
# checksum, this script, versions.env, _lib.sh, Go version); a second run is
# a no-op.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/_lib.sh"

SRC="${GATEWAYAPI_PLUGIN_SRC:-$CANARYKIT_ROOT/../shared/vendor/rollouts-plugin-trafficrouter-gatewayapi}"
BIN=gatewayapi-plugin
stamp="$STAMP_DIR/gatewayapi"

[[ -f "$SRC/go.mod" && -f "$SRC/go.sum" && -f "$SRC/main.go" ]] ||
  die "gatewayapi: plugin source not found at $SRC (expected the ../shared/vendor snapshot beside the clone; set GATEWAYAPI_PLUGIN_SRC)"
SRC="$(cd "$SRC" && pwd -P)"

# Checksum of the source tree: relative paths and contents, in a fixed order.
tree_sha256() {
  (cd "$1" && find . -type f -print0 | LC_ALL=C sort -z | xargs -0 sha256sum) | sha256sum | cut -d' ' -f1
}
tree="$(tree_sha256 "$SRC")"
[[ "$tree" == "$GATEWAYAPI_PLUGIN_TREE_SHA256" ]] ||
  die "gatewayapi: source tree at $SRC has checksum $tree, versions.env pins $GATEWAYAPI_PLUGIN_TREE_SHA256 ($GATEWAYAPI_PLUGIN_VERSION); update the pin if the snapshot was bumped on purpose"

gatewayapi_stamp_key() {
  { stamp_key; printf 'tree %s\n' "$tree"; go env GOVERSION 2>/dev/null || true; } | sha256sum | cut -d' ' -f1
}

# ---- cache check (must stay well under 1 s) --------------------------------
if [[ -f "$stamp" ]] && bins_present "$BIN" && [[ "$(cat "$stamp")" == "$(gatewayapi_stamp_key)" ]]; then
  exit 0
fi

require_cmd go
mkdir -p "$TOOLS_BIN" "$STAMP_DIR"
stage="$(mktemp -d "$TOOLS_DIR/.gatewayapi-stage.XXXXXX")"
trap 'rm -rf "$stage"' EXIT
# A writable copy: ../shared stays untouched, and nothing lands in the repo.
cp -R "$SRC" "$stage/src"
chmod -R u+w "$stage/src"

log "gatewayapi: building $BIN $GATEWAYAPI_PLUGIN_VERSION from $SRC with $(go env GOVERSION) (cold: ~2.5 min of CPU)"
start=$SECONDS
# GOTOOLCHAIN=local (from _lib.sh): the installed Go must satisfy go.mod's
# `go` line (1.24.0); its `toolchain` line is only a preference.
(cd "$stage/src" && CGO_ENABLED=0 GOWORK=off GOFLAGS="-mod=readonly -buildvcs=false" nice -n 10 \
  go build -p 2 -trimpath -ldflags "-s -w" -o "$stage/$BIN" .) ||
  die "gatewayapi: go build of the plugin failed"
# `-h` prints the flags and exits 0: proves the binary runs on this machine.
"$stage/$BIN" -h >/dev/null 2>&1 || die "gatewayapi: $BIN is not runnable"
mv -f "$stage/$BIN" "$TOOLS_BIN/$BIN"
gatewayapi_stamp_key >"$stamp.tmp" && mv -f "$stamp.tmp" "$stamp"
log "gatewayapi: $GATEWAYAPI_PLUGIN_VERSION built in $((SECONDS - start)) s -> $TOOLS_BIN/$BIN"

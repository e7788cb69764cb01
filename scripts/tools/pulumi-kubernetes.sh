#!/usr/bin/env bash
# scripts/tools/pulumi-kubernetes.sh -- the real Pulumi Kubernetes provider
# (pulumi-resource-kubernetes), for the Pulumi tests (`npm run test:pulumi`).
#
#   bash scripts/tools/pulumi-kubernetes.sh            # install / no-op when up to date
#   bash scripts/tools/pulumi-kubernetes.sh --regen    # rewrite scripts/tools/pulumi-kubernetes/go.mod
#                                                      # for $PULUMI_KUBERNETES_VERSION, `go mod tidy`
#
# Installs $TOOLS_DIR/bin/pulumi-resource-kubernetes, built from
# $PULUMI_KUBERNETES_MODULE@$PULUMI_KUBERNETES_VERSION (versions.env) through
# the tools module scripts/tools/pulumi-kubernetes/, its own module so that the
# provider and the CLI (scripts/tools/pulumi/) do not force each other's
# dependency versions. Upstream's main embeds two files its `go generate`
# writes and the module zip lacks; main.go here is that main, built in a
# scratch copy of the tools module next to the two files derived from the
# zip's schema.json (version set, as upstream's generate.go does) and
# terraform-mapping.json. The tests register the binary in their own
# PULUMI_HOME with `pulumi plugin install resource kubernetes
# $PULUMI_KUBERNETES_PLUGIN_VERSION --file <it>`.
# Cold build (empty Go caches, 2 shared cores): see README, "Development".
#
# Cached: a stamp in $TOOLS_DIR/stamps/pulumi-kubernetes records the inputs; a
# second run is a no-op.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/_lib.sh"

MOD_DIR="$CANARYKIT_ROOT/scripts/tools/pulumi-kubernetes"
BIN=pulumi-resource-kubernetes

regen_go_mod() {
  local v="$PULUMI_KUBERNETES_VERSION" gomod replaces
  gomod="$(go_mod_field "$PULUMI_KUBERNETES_MODULE" "$v" GoMod)"
  # Upstream's replace directives to module versions (today: none; its only
  # replace points sdk/v4 at ../sdk, a directory the zip lacks, and the
  # provider does not import that module).
  replaces="$(go mod edit -json "$gomod" | node -e '
    const j = JSON.parse(require("fs").readFileSync(0, "utf8"));
    const v = (m) => m.Path + (m.Version ? " " + m.Version : "");
    for (const r of j.Replace || []) if (r.New.Version) console.log("replace " + v(r.Old) + " => " + v(r.New));')"
  printf '%s\n' \
    "// Tools module: pins the Pulumi Kubernetes provider that canarykit's Pulumi" \
    "// tests run (built by scripts/tools/pulumi-kubernetes.sh; regenerate with" \
    "// \`bash scripts/tools/pulumi-kubernetes.sh --regen\`). Replaces copied from" \
    "// $PULUMI_KUBERNETES_MODULE@$v's go.mod, except its local-path ones." \
    "module canarykit.local/tools/pulumi-kubernetes" "" "go 1.24.7" "" \
    "require $PULUMI_KUBERNETES_MODULE $v" "" "$replaces" | tools_module_write "$MOD_DIR"
}

if [[ "${1:-}" == "--regen" ]]; then regen_go_mod; exit 0; fi
tools_module_check "$MOD_DIR" "$PULUMI_KUBERNETES_MODULE" "$PULUMI_KUBERNETES_VERSION"

# ---- cache check (must stay well under 1 s) --------------------------------
stamp="$STAMP_DIR/pulumi-kubernetes"
# Like tools_module_stamp_key, but this module holds main.go instead of tools.go.
key() {
  { cat "$MOD_DIR/go.mod" "$MOD_DIR/go.sum" "$MOD_DIR/main.go"; stamp_key; go env GOVERSION; } | sha256sum | cut -d' ' -f1
}
if [[ -f "$stamp" ]] && bins_present "$BIN" && [[ "$(cat "$stamp")" == "$(key)" ]]; then
  exit 0
fi

require_cmd go node
mkdir -p "$STAMP_DIR" "$TOOLS_BIN"
src="$(go_mod_dir "$PULUMI_KUBERNETES_MODULE" "$PULUMI_KUBERNETES_VERSION")/cmd/$BIN"
work="$(mktemp -d "$TOOLS_DIR/.build-$BIN.XXXXXX")"
trap 'rm -rf "$work"' EXIT
cp "$MOD_DIR/go.mod" "$MOD_DIR/go.sum" "$MOD_DIR/main.go" "$work/"
# The embedded schema carries the version the engine sees the package as.
VERSION="$PULUMI_KUBERNETES_PLUGIN_VERSION" node -e '
  const fs = require("fs");
  const [src, out] = process.argv.slice(1);
  const schema = JSON.parse(fs.readFileSync(`${src}/schema.json`, "utf8"));
  schema.version = process.env.VERSION;
  fs.writeFileSync(`${out}/schema-embed.json`, JSON.stringify(schema));
  const mapping = JSON.parse(fs.readFileSync(`${src}/terraform-mapping.json`, "utf8"));
  fs.writeFileSync(`${out}/terraform-mapping-embed.json`, JSON.stringify(mapping));' "$src" "$work"
ldflags="-s -w -X $PULUMI_KUBERNETES_MODULE/pkg/version.Version=$PULUMI_KUBERNETES_PLUGIN_VERSION"
log "building $BIN from $PULUMI_KUBERNETES_MODULE@$PULUMI_KUBERNETES_VERSION (cold: several minutes on 2 cores)"
start=$SECONDS
export CGO_ENABLED=0
(cd "$work" && GOWORK=off GOFLAGS=-mod=readonly nice -n 10 \
  go build -p 2 -trimpath -buildvcs=false -ldflags "$ldflags" -o "$work/$BIN" .) ||
  die "go build of the Pulumi Kubernetes provider $PULUMI_KUBERNETES_VERSION failed"
mv -f "$work/$BIN" "$TOOLS_BIN/$BIN"
key >"$stamp.tmp" && mv -f "$stamp.tmp" "$stamp"
log "pulumi-kubernetes: $PULUMI_KUBERNETES_VERSION built in $((SECONDS - start)) s -> $TOOLS_BIN/$BIN"

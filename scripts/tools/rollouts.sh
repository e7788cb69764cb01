#!/usr/bin/env bash
# scripts/tools/rollouts.sh -- the real Argo Rollouts controller and kubectl
# plugin, for the end-to-end canary tests (test/e2e/, `npm run test:e2e`).
#
#   bash scripts/tools/rollouts.sh            # install / no-op when up to date
#   bash scripts/tools/rollouts.sh --regen    # rewrite scripts/tools/rollouts/go.mod
#                                             # for $ARGO_ROLLOUTS_VERSION, `go mod tidy`
#
# Installs into $TOOLS_DIR/bin (default <repo>/.tools/bin, git-ignored):
#   * rollouts-controller     github.com/argoproj/argo-rollouts/cmd/rollouts-controller
#   * kubectl-argo-rollouts   github.com/argoproj/argo-rollouts/cmd/kubectl-argo-rollouts
# both built from $ARGO_ROLLOUTS_MODULE@$ARGO_ROLLOUTS_VERSION (versions.env)
# through the tools module scripts/tools/rollouts/ (go.mod + go.sum + tools.go).
# argo-rollouts can't be `go install`ed directly: its go.mod `replace`s every
# k8s.io staging module (k8s.io/kubernetes is a dependency), and replaces only
# apply in the main module, so the tools module carries the same block.
# Cold build (empty Go build cache): ~4 min on 2 cores; after kube.sh ~3.5 min.
#
# Cached: a stamp in $TOOLS_DIR/stamps/rollouts records the inputs; a second
# run is a no-op.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/_lib.sh"

MOD_DIR="$CANARYKIT_ROOT/scripts/tools/rollouts"
BINS=(rollouts-controller kubectl-argo-rollouts)

regen_go_mod() {
  local v="$ARGO_ROLLOUTS_VERSION" gomod replaces
  gomod="$(cd / && GOWORK=off GOFLAGS= go mod download -json "$ARGO_ROLLOUTS_MODULE@$v" |
    node -e 'process.stdout.write(JSON.parse(require("fs").readFileSync(0, "utf8")).GoMod || "")')"
  [[ -f "$gomod" ]] || die "cannot download $ARGO_ROLLOUTS_MODULE@$v's go.mod"
  # Upstream's replace directives verbatim (the k8s.io staging modules and the
  # few forks it pins), read with `go mod edit -json` rather than by grep.
  replaces="$(go mod edit -json "$gomod" | node -e '
    const j = JSON.parse(require("fs").readFileSync(0, "utf8"));
    const v = (m) => m.Path + (m.Version ? " " + m.Version : "");
    for (const r of j.Replace || []) console.log("\t" + v(r.Old) + " => " + v(r.New));')"
  [[ -n "$replaces" ]] || die "no replace directives found in $gomod"
  {
    printf '%s\n' \
      "// Tools module: pins the Argo Rollouts controller and kubectl plugin that" \
      "// canarykit's e2e tests run (built by scripts/tools/rollouts.sh; regenerate" \
      "// with \`bash scripts/tools/rollouts.sh --regen\`). The replace block is" \
      "// $ARGO_ROLLOUTS_MODULE@$v's own: replaces only apply in the main module." \
      "module canarykit.local/tools/rollouts" "" "go 1.24.9" "" \
      "require $ARGO_ROLLOUTS_MODULE $v" "" "replace ("
    printf '%s\n' "$replaces"
    printf ')\n'
  } >"$MOD_DIR/go.mod"
  rm -f "$MOD_DIR/go.sum"
  (cd "$MOD_DIR" && GOWORK=off GOFLAGS=-mod=mod go mod tidy)
  log "regenerated $MOD_DIR/go.mod for $v; commit go.mod and go.sum"
}

if [[ "${1:-}" == "--regen" ]]; then regen_go_mod; exit 0; fi

mod_version="$(awk '$1=="require" && $2=="'"$ARGO_ROLLOUTS_MODULE"'" {print $3}' "$MOD_DIR/go.mod")"
[[ "$mod_version" == "$ARGO_ROLLOUTS_VERSION" ]] ||
  die "ARGO_ROLLOUTS_VERSION=$ARGO_ROLLOUTS_VERSION but scripts/tools/rollouts/go.mod pins $mod_version; run: bash scripts/tools/rollouts.sh --regen"

# ---- cache check (must stay well under 1 s) --------------------------------
rollouts_stamp_key() {
  {
    cat "$MOD_DIR/go.mod" "$MOD_DIR/go.sum" "$MOD_DIR/tools.go"
    stamp_key
    go env GOVERSION 2>/dev/null || true
  } | sha256sum | cut -d' ' -f1
}
stamp="$STAMP_DIR/rollouts"
all_present() { local b; for b in "${BINS[@]}"; do [[ -x "$TOOLS_BIN/$b" ]] || return 1; done; }
if [[ -f "$stamp" ]] && all_present && [[ "$(cat "$stamp")" == "$(rollouts_stamp_key)" ]]; then
  exit 0
fi

require_cmd go node
mkdir -p "$TOOLS_BIN" "$STAMP_DIR"
# Version metadata as upstream's Makefile stamps it; the commit and date are the
# tag's, as recorded by the module proxy (the module's .info file).
read -r commit built < <(cd / && GOWORK=off GOFLAGS= go mod download -json "$ARGO_ROLLOUTS_MODULE@$ARGO_ROLLOUTS_VERSION" |
  node -e 'const fs = require("fs");
    const info = JSON.parse(fs.readFileSync(JSON.parse(fs.readFileSync(0, "utf8")).Info, "utf8"));
    console.log(info.Origin?.Hash || "unknown", info.Time || "unknown")')
pkg="$ARGO_ROLLOUTS_MODULE/utils/version"
ldflags="-s -w -X $pkg.version=${ARGO_ROLLOUTS_VERSION#v} -X $pkg.gitTag=$ARGO_ROLLOUTS_VERSION"
ldflags+=" -X $pkg.gitCommit=$commit -X $pkg.gitTreeState=clean -X $pkg.buildDate=$built"
log "building ${BINS[*]} from $ARGO_ROLLOUTS_MODULE@$ARGO_ROLLOUTS_VERSION (cold: ~4 min on 2 cores)"
start=$SECONDS
tmp_out="$(mktemp -d "$TOOLS_DIR/.rollouts-build.XXXXXX")"
trap 'rm -rf "$tmp_out"' EXIT
pkgs=(); for b in "${BINS[@]}"; do pkgs+=("$ARGO_ROLLOUTS_MODULE/cmd/$b"); done
(cd "$MOD_DIR" && GOWORK=off GOFLAGS=-mod=readonly CGO_ENABLED=0 nice -n 10 \
  go build -p 2 -trimpath -buildvcs=false -ldflags "$ldflags" -o "$tmp_out/" "${pkgs[@]}") ||
  die "go build of Argo Rollouts $ARGO_ROLLOUTS_VERSION failed"
for b in "${BINS[@]}"; do mv -f "$tmp_out/$b" "$TOOLS_BIN/$b"; done
"$TOOLS_BIN/rollouts-controller" --version >/dev/null || die "rollouts-controller is not runnable"
rollouts_stamp_key >"$stamp.tmp" && mv -f "$stamp.tmp" "$stamp"
log "rollouts: $ARGO_ROLLOUTS_VERSION built in $((SECONDS - start)) s -> $TOOLS_BIN"

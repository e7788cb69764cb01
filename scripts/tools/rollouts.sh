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
  gomod="$(go_mod_field "$ARGO_ROLLOUTS_MODULE" "$v" GoMod)"
  # Upstream's replace directives verbatim (the k8s.io staging modules and the
  # few forks it pins), read with `go mod edit -json` rather than by grep.
  replaces="$(go mod edit -json "$gomod" | node -e '
    const j = JSON.parse(require("fs").readFileSync(0, "utf8"));
    const v = (m) => m.Path + (m.Version ? " " + m.Version : "");
    for (const r of j.Replace || []) console.log("\t" + v(r.Old) + " => " + v(r.New));')"
  [[ -n "$replaces" ]] || die "no replace directives found in $gomod"
  printf '%s\n' \
    "// Tools module: pins the Argo Rollouts controller and kubectl plugin that" \
    "// canarykit's e2e tests run (built by scripts/tools/rollouts.sh; regenerate" \
    "// with \`bash scripts/tools/rollouts.sh --regen\`). The replace block is" \
    "// $ARGO_ROLLOUTS_MODULE@$v's own: replaces only apply in the main module." \
    "module canarykit.local/tools/rollouts" "" "go 1.24.9" "" \
    "require $ARGO_ROLLOUTS_MODULE $v" "" "replace (" "$replaces" ")" | tools_module_write "$MOD_DIR"
}

if [[ "${1:-}" == "--regen" ]]; then regen_go_mod; exit 0; fi
tools_module_check "$MOD_DIR" "$ARGO_ROLLOUTS_MODULE" "$ARGO_ROLLOUTS_VERSION"

# ---- cache check (must stay well under 1 s) --------------------------------
stamp="$STAMP_DIR/rollouts"
if [[ -f "$stamp" ]] && bins_present "${BINS[@]}" && [[ "$(cat "$stamp")" == "$(tools_module_stamp_key "$MOD_DIR")" ]]; then
  exit 0
fi

require_cmd go node
mkdir -p "$STAMP_DIR"
# Version metadata as upstream's Makefile stamps it; the commit and date are the
# tag's, as recorded by the module proxy (the module's .info file).
read -r commit built < <(node -e 'const info = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"));
  console.log(info.Origin?.Hash || "unknown", info.Time || "unknown")' "$(go_mod_field "$ARGO_ROLLOUTS_MODULE" "$ARGO_ROLLOUTS_VERSION" Info)")
pkg="$ARGO_ROLLOUTS_MODULE/utils/version"
ldflags="-s -w -X $pkg.version=${ARGO_ROLLOUTS_VERSION#v} -X $pkg.gitTag=$ARGO_ROLLOUTS_VERSION"
ldflags+=" -X $pkg.gitCommit=$commit -X $pkg.gitTreeState=clean -X $pkg.buildDate=$built"
log "building ${BINS[*]} from $ARGO_ROLLOUTS_MODULE@$ARGO_ROLLOUTS_VERSION (cold: ~4 min on 2 cores)"
start=$SECONDS
pkgs=(); for b in "${BINS[@]}"; do pkgs+=("$ARGO_ROLLOUTS_MODULE/cmd/$b"); done
# Static binaries, as upstream releases them.
export CGO_ENABLED=0
tools_module_build "$MOD_DIR" "$ldflags" "${pkgs[@]}" || die "go build of Argo Rollouts $ARGO_ROLLOUTS_VERSION failed"
"$TOOLS_BIN/rollouts-controller" --version >/dev/null || die "rollouts-controller is not runnable"
tools_module_stamp_key "$MOD_DIR" >"$stamp.tmp" && mv -f "$stamp.tmp" "$stamp"
log "rollouts: $ARGO_ROLLOUTS_VERSION built in $((SECONDS - start)) s -> $TOOLS_BIN"

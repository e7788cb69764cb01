#!/usr/bin/env bash
# scripts/tools/argocd.sh -- real Argo CD for `npm run test:argocd`
# (test/argocd/): the one multi-call binary that answers as
# argocd-repo-server and argocd-application-controller (ARGOCD_BINARY_NAME),
# plus the CRDs and the app-of-apps health check of the same release.
#
#   bash scripts/tools/argocd.sh            # install / no-op when up to date
#   bash scripts/tools/argocd.sh --regen    # rewrite scripts/tools/argocd/go.mod
#                                           # for $ARGO_CD_BUILD_VERSION, `go mod tidy`
#
# Installs into $TOOLS_DIR (default <repo>/.tools, git-ignored):
#   bin/argocd                    $ARGO_CD_MODULE/cmd @ $ARGO_CD_BUILD_VERSION
#   argocd/crds/*.yaml            upstream manifests/crds/{application,appproject}-crd.yaml
#                                 of the same version (no ApplicationSet: nothing here runs it)
#   argocd/bin/*.sh               upstream hack/{git-verify-wrapper,gpg-wrapper}.sh, which
#                                 the image installs next to the binary (repo-server's PATH)
#   argocd/SOURCE                 module@version + h1: checksum
#
# Why a tools module (scripts/tools/argocd/): argo-cd's go.mod `replace`s every
# k8s.io module and points gitops-engine at a directory of its repository;
# replaces only apply in the main module, so the tools module copies the
# version replaces and requires the tagged $ARGO_CD_GITOPS_ENGINE_MODULE
# instead of the directory.
# Why another Go: v3.6 needs Go >= 1.27, newer than the machine's; the pinned
# $ARGO_CD_GOTOOLCHAIN is a module (golang.org/toolchain) that `go` fetches
# through the module proxy and verifies against sum.golang.org.
# Static (CGO_ENABLED=0), stripped, -trimpath: ~160 MB.
# Cold build (empty GOMODCACHE/GOCACHE, toolchain download included): see the
# README's development section.
#
# Cached: a stamp in $TOOLS_DIR/stamps/argocd records the inputs; a second run
# is a no-op.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/_lib.sh"
export GOTOOLCHAIN="$ARGO_CD_GOTOOLCHAIN"

MOD_DIR="$CANARYKIT_ROOT/scripts/tools/argocd"
OUT="$TOOLS_DIR/argocd"

regen_go_mod() {
  local v="$ARGO_CD_BUILD_VERSION" gomod replaces
  gomod="$(go_mod_field "$ARGO_CD_MODULE" "$v" GoMod)"
  # Upstream's version replaces verbatim, read with `go mod edit -json`; the
  # directory replace (gitops-engine => ./gitops-engine) has no version and is
  # dropped: the tagged module is required instead.
  replaces="$(go mod edit -json "$gomod" | node -e '
    const j = JSON.parse(require("fs").readFileSync(0, "utf8"));
    const v = (m) => m.Path + (m.Version ? " " + m.Version : "");
    for (const r of j.Replace || []) if (r.New.Version) console.log("\t" + v(r.Old) + " => " + v(r.New));')"
  [[ -n "$replaces" ]] || die "no version replace directives found in $gomod"
  printf '%s\n' \
    "// Tools module: pins the Argo CD that canarykit's test:argocd suite runs" \
    "// (built by scripts/tools/argocd.sh; regenerate with" \
    "// \`bash scripts/tools/argocd.sh --regen\`). The replace block is" \
    "// $ARGO_CD_MODULE@$v's version replaces: replaces only apply in the main module." \
    "module canarykit.local/tools/argocd" "" "go 1.27.0" "" \
    "require $ARGO_CD_MODULE $v" "" "require $ARGO_CD_GITOPS_ENGINE_MODULE $v" "" \
    "replace (" "$replaces" ")" | tools_module_write "$MOD_DIR"
}

if [[ "${1:-}" == "--regen" ]]; then regen_go_mod; exit 0; fi
tools_module_check "$MOD_DIR" "$ARGO_CD_MODULE" "$ARGO_CD_BUILD_VERSION"

# ---- cache check (well under 1 s: no `go` call) -----------------------------
stamp="$STAMP_DIR/argocd"
key="$(cat "$MOD_DIR/go.mod" "$MOD_DIR/go.sum" "$MOD_DIR/tools.go" "$VERSIONS_FILE" \
  "${BASH_SOURCE[0]}" "$(dirname "${BASH_SOURCE[0]}")/_lib.sh" | sha256sum | cut -d' ' -f1)"
if [[ -f "$stamp" && "$(cat "$stamp")" == "$key" ]] && bins_present argocd &&
  [[ -f "$OUT/crds/application-crd.yaml" && -x "$OUT/bin/git-verify-wrapper.sh" ]]; then
  exit 0
fi

require_cmd go node
mkdir -p "$STAMP_DIR"
start=$SECONDS
dir="$(go_mod_dir "$ARGO_CD_MODULE" "$ARGO_CD_BUILD_VERSION")"
sum="$(go_mod_sum "$ARGO_CD_MODULE" "$ARGO_CD_BUILD_VERSION")"
# Version metadata as upstream's Makefile stamps it (common.version etc.); the
# commit and date are the tag's, as recorded by the module proxy.
read -r commit built < <(node -e 'const info = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"));
  console.log(info.Origin?.Hash || "unknown", info.Time || "unknown")' "$(go_mod_field "$ARGO_CD_MODULE" "$ARGO_CD_BUILD_VERSION" Info)")
pkg="$ARGO_CD_MODULE/common"
ldflags="-s -w -X $pkg.version=${ARGO_CD_BUILD_VERSION#v} -X $pkg.gitTag=$ARGO_CD_BUILD_VERSION"
ldflags+=" -X $pkg.gitCommit=$commit -X $pkg.gitTreeState=clean -X $pkg.buildDate=$built"
log "building argocd from $ARGO_CD_MODULE@$ARGO_CD_BUILD_VERSION with $GOTOOLCHAIN (cold: several minutes on 2 cores)"
export CGO_ENABLED=0
tools_module_build "$MOD_DIR" "$ldflags" "argocd=$ARGO_CD_MODULE/cmd" ||
  die "go build of Argo CD $ARGO_CD_BUILD_VERSION failed"
ARGOCD_BINARY_NAME=argocd-repo-server "$TOOLS_BIN/argocd" version >/dev/null 2>&1 ||
  "$TOOLS_BIN/argocd" version --client >/dev/null || die "argocd is not runnable"

# The CRDs of the release that runs (installed by the test harness over the
# ones .tools/crds validates against, which follow ARGO_CD_VERSION).
stage="$(mktemp -d "$TOOLS_DIR/.argocd-stage.XXXXXX")"
trap 'rm -rf "$stage"' EXIT
mkdir -p "$stage/crds"
install -m 0644 "$dir"/manifests/crds/{application,appproject}-crd.yaml "$stage/crds/"
# The scripts Argo CD's image puts beside the binary: the repo-server runs
# git-verify-wrapper.sh on every revision it renders (GPG off or not).
mkdir -p "$stage/bin"
install -m 0755 "$dir"/hack/{git-verify-wrapper,gpg-wrapper}.sh "$stage/bin/"
printf '%s@%s %s\n' "$ARGO_CD_MODULE" "$ARGO_CD_BUILD_VERSION" "$sum" >"$stage/SOURCE"
rm -rf "$OUT" && mv "$stage" "$OUT"
printf '%s\n' "$key" >"$stamp.tmp" && mv -f "$stamp.tmp" "$stamp"
log "argocd: $ARGO_CD_BUILD_VERSION built in $((SECONDS - start)) s -> $TOOLS_BIN/argocd"

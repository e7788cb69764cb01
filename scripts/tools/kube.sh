#!/usr/bin/env bash
# scripts/tools/kube.sh -- a local Kubernetes control plane from real components,
# for the cluster tests (test/cluster/, `npm run test:cluster`).
#
#   bash scripts/tools/kube.sh            # install / no-op when up to date
#   bash scripts/tools/kube.sh --regen    # rewrite scripts/tools/kube/go.mod for
#                                         # $KUBERNETES_VERSION and `go mod tidy`
#
# Installs into $TOOLS_DIR/bin (default <repo>/.tools/bin, git-ignored):
#   * etcd      -> symlink to Debian's etcd-server (/usr/bin/etcd), installed with
#                  apt; the package's own daemon is never started/left enabled.
#   * kube-apiserver, kube-controller-manager, kube-scheduler, kubectl
#                -> built from k8s.io/kubernetes@$KUBERNETES_VERSION through the
#                  tools module scripts/tools/kube/ (go.mod + go.sum + tools.go),
#                  which maps every k8s.io staging module to v0.<minor>.<patch>
#                  (k8s.io/kubernetes itself can't be `go install`ed because of
#                  its ./staging replaces).  Cold build: ~15 min on 2 cores.
#   * kwok      -> sigs.k8s.io/kwok/cmd/kwok@$KWOK_VERSION (fake nodes/pods for
#                  the e2e tests; skipped with KUBE_SKIP_KWOK=1).
#
# Cached: a stamp in $TOOLS_DIR/stamps/kube records the inputs (go.mod, go.sum,
# this script, versions, Go and etcd versions); a second run is a no-op.
set -euo pipefail

source "$(dirname "${BASH_SOURCE[0]}")/_lib.sh"

KUBE_MOD_DIR="$CANARYKIT_ROOT/scripts/tools/kube"
KUBE_BINS=(kube-apiserver kube-controller-manager kube-scheduler kubectl)

as_root() { if [[ $(id -u) -eq 0 ]]; then "$@"; else sudo "$@"; fi; }

regen_go_mod() {
  local v="$KUBERNETES_VERSION" sv="v0.${KUBERNETES_VERSION#v1.}" m gomod
  # The staging modules are exactly those k8s.io/kubernetes@$v replaces with
  # ./staging/src/k8s.io/<name> in its own go.mod.
  gomod="$(go_mod_field "$KUBERNETES_MODULE" "$v" GoMod)"
  local staging=()
  mapfile -t staging < <(awk '$2=="=>" && $3 ~ /^\.\/staging\/src\/k8s\.io\// {sub("k8s.io/","",$1); print $1}' "$gomod")
  ((${#staging[@]} > 10)) || die "no staging replaces found in $gomod"
  {
    printf '%s\n' \
      "// Tools module: pins the Kubernetes control-plane binaries canarykit's cluster" \
      "// tests run against (built by scripts/tools/kube.sh; regenerate with" \
      "// \`bash scripts/tools/kube.sh --regen\`). k8s.io/kubernetes cannot be" \
      "// \"go install\"ed directly because its go.mod replaces every k8s.io staging" \
      "// module with a local path; this module maps each of them to the published" \
      "// $sv tag, the same way argo-rollouts' own go.mod does." \
      "module canarykit.local/tools/kube" "" "go 1.24.0" "" "godebug default=go1.24" "" \
      "require $KUBERNETES_MODULE $v" "" "replace ("
    for m in "${staging[@]}"; do printf '\tk8s.io/%s => k8s.io/%s %s\n' "$m" "$m" "$sv"; done
    printf ')\n'
  } | tools_module_write "$KUBE_MOD_DIR"
}

if [[ "${1:-}" == "--regen" ]]; then regen_go_mod; exit 0; fi
tools_module_check "$KUBE_MOD_DIR" "$KUBERNETES_MODULE" "$KUBERNETES_VERSION"

# ---- cache check (must stay well under 1 s) --------------------------------
etcd_pkg_version() { dpkg-query -W -f='${Status} ${Version}' etcd-server 2>/dev/null | awk '$3=="installed"{print $4}'; }
kube_stamp_key() { tools_module_stamp_key "$KUBE_MOD_DIR" "skip_kwok=${KUBE_SKIP_KWOK:-0}" "etcd $(etcd_pkg_version)"; }
all_present() {
  bins_present etcd "${KUBE_BINS[@]}" || return 1
  [[ "${KUBE_SKIP_KWOK:-0}" == 1 ]] || bins_present kwok
}
stamp="$STAMP_DIR/kube"
if [[ -f "$stamp" ]] && all_present && [[ "$(cat "$stamp")" == "$(kube_stamp_key)" ]]; then
  exit 0
fi

require_cmd go
mkdir -p "$TOOLS_BIN" "$STAMP_DIR"

# ---- etcd (Debian etcd-server) ---------------------------------------------
if [[ -z "$(etcd_pkg_version)" ]]; then
  log "installing Debian etcd-server (apt)"
  # policy-rc.d exit 101 = "do not start services from maintainer scripts".
  made_policy=0
  if [[ ! -e /usr/sbin/policy-rc.d ]]; then
    as_root sh -c 'printf "#!/bin/sh\nexit 101\n" >/usr/sbin/policy-rc.d && chmod 755 /usr/sbin/policy-rc.d'
    made_policy=1
  fi
  # `apt-get update` only when the package is unknown to the local index.
  if ! apt-cache show etcd-server >/dev/null 2>&1; then as_root apt-get update -qq; fi
  rc=0
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends etcd-server >&2 || rc=$?
  [[ $made_policy == 1 ]] && as_root rm -f /usr/sbin/policy-rc.d
  [[ $rc == 0 ]] || die "apt-get install etcd-server failed"
fi
# Never leave the packaged daemon running or enabled: the tests start their own
# etcd on a free loopback port with a throw-away data dir.
if command -v systemctl >/dev/null 2>&1; then
  if [[ -d /run/systemd/system ]]; then as_root systemctl disable --now etcd.service >/dev/null 2>&1 || true
  else as_root systemctl disable etcd.service >/dev/null 2>&1 || true; fi
fi
if [[ -x /etc/init.d/etcd ]] && /etc/init.d/etcd status >/dev/null 2>&1; then
  as_root /etc/init.d/etcd stop >/dev/null 2>&1 || true
fi
# awk reads dpkg's whole listing: `grep -m1` would exit early, dpkg would die of SIGPIPE, and with
# pipefail a `|| fallback` would append a second path to the first (seen under load).
etcd_bin="$(dpkg -L etcd-server 2>/dev/null | awk '/\/bin\/etcd$/ && !found { print; found = 1 }')"
[[ -n "$etcd_bin" ]] || etcd_bin=/usr/bin/etcd
ln -sfn "$etcd_bin" "$TOOLS_BIN/etcd"
"$TOOLS_BIN/etcd" --version >/dev/null || die "etcd is not runnable"

# ---- Kubernetes binaries ----------------------------------------------------
minor="${KUBERNETES_VERSION#v1.}"; minor="${minor%%.*}"
ldflags="-s -w"
for pkg in k8s.io/component-base/version k8s.io/client-go/pkg/version; do
  ldflags+=" -X $pkg.gitVersion=$KUBERNETES_VERSION -X $pkg.gitMajor=1 -X $pkg.gitMinor=$minor -X $pkg.gitTreeState=clean"
done
log "building ${KUBE_BINS[*]} from $KUBERNETES_MODULE@$KUBERNETES_VERSION (cold: ~15 min on 2 cores)"
start=$SECONDS
pkgs=(); for b in "${KUBE_BINS[@]}"; do pkgs+=("$KUBERNETES_MODULE/cmd/$b"); done
tools_module_build "$KUBE_MOD_DIR" "$ldflags" "${pkgs[@]}" || die "go build of Kubernetes $KUBERNETES_VERSION failed"
log "kubernetes binaries ready in $((SECONDS - start)) s"

# ---- kwok (optional: fake nodes/pods for e2e) -------------------------------
if [[ "${KUBE_SKIP_KWOK:-0}" != 1 ]]; then
  log "building kwok $KWOK_VERSION"
  start=$SECONDS
  (cd / && GOWORK=off GOFLAGS= GOBIN="$TOOLS_BIN" nice -n 10 \
    go install -p 2 -trimpath -ldflags "-s -w" "sigs.k8s.io/kwok/cmd/kwok@$KWOK_VERSION") ||
    die "go install sigs.k8s.io/kwok/cmd/kwok@$KWOK_VERSION failed (KUBE_SKIP_KWOK=1 to skip)"
  log "kwok ready in $((SECONDS - start)) s"
fi

"$TOOLS_BIN/kubectl" version --client >/dev/null || die "kubectl is not runnable"
kube_stamp_key >"$stamp.tmp" && mv -f "$stamp.tmp" "$stamp"
log "kube: etcd $(etcd_pkg_version), kubernetes $KUBERNETES_VERSION, kwok $KWOK_VERSION -> $TOOLS_BIN"

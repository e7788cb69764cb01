#!/usr/bin/env bash
# Component `helm`: build helm $HELM_VERSION from source via the Go module
# proxy into .tools/bin/helm. Building (instead of downloading a release
# tarball) keeps us on the package registries only, and the module checksum
# database pins the exact source.
# tools:default
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/_lib.sh"

HELM="$TOOLS_BIN/helm"

# Cache probe: the binary itself tells us which version it is (the version
# ldflag below makes `helm version` report the real tag).
current="$("$HELM" version --template '{{.Version}}' 2>/dev/null || true)"
if [[ "$current" == "$HELM_VERSION" ]] && stamp_fresh helm; then
  log "helm: ok ($current)"
  exit 0
fi

require_cmd go
log "helm: building $HELM_MODULE/cmd/helm@$HELM_VERSION (a few minutes on a cold Go cache)"

# helm's Makefile bakes the Kubernetes version it was built against into
# `.Capabilities.KubeVersion` (used by `helm template` and `helm lint`).
# Without these ldflags it falls back to v1.20, which breaks charts with a
# kubeVersion constraint. Derive it the same way the Makefile does: from the
# k8s.io/client-go version in helm's go.mod (v0.X.Y -> 1.X).
src="$(go_mod_dir "$HELM_MODULE" "$HELM_VERSION")"
client_go="$(awk '$1 == "k8s.io/client-go" { print $2; exit }' "$src/go.mod")"
[[ "$client_go" =~ ^v0\.([0-9]+)\. ]] || die "helm: cannot find k8s.io/client-go in $src/go.mod"
k8s_minor="${BASH_REMATCH[1]}"

ldflags=(
  -s -w
  -X "helm.sh/helm/v3/internal/version.version=$HELM_VERSION"
  -X "helm.sh/helm/v3/internal/version.gitTreeState=clean"
  -X "helm.sh/helm/v3/pkg/chartutil.k8sVersionMajor=1"
  -X "helm.sh/helm/v3/pkg/chartutil.k8sVersionMinor=$k8s_minor"
  -X "helm.sh/helm/v3/pkg/lint/rules.k8sVersionMajor=1"
  -X "helm.sh/helm/v3/pkg/lint/rules.k8sVersionMinor=$k8s_minor"
)

mkdir -p "$TOOLS_BIN"
# `go install pkg@version` ignores any local go.mod and uses helm's own
# go.mod/go.sum, so no -mod flag is needed. CGO off: static binary, no C
# toolchain needed. nice: the machine's cores are shared.
(
  cd /
  GOWORK=off GOFLAGS=-buildvcs=false CGO_ENABLED=0 GOBIN="$TOOLS_BIN" \
    nice -n 10 go install -trimpath -ldflags "${ldflags[*]}" \
    "$HELM_MODULE/cmd/helm@$HELM_VERSION"
)

current="$("$HELM" version --template '{{.Version}}')"
[[ "$current" == "$HELM_VERSION" ]] || die "helm: built binary reports '$current', expected $HELM_VERSION"
stamp_write helm
log "helm: ok ($("$HELM" version --short))"

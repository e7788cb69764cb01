#!/usr/bin/env bash
# Component `crds`: upstream CustomResourceDefinitions and the Kubernetes
# OpenAPI documents, at the versions pinned in versions.env.
#
# They are fetched as Go modules (`go mod download`): the module proxy serves
# every tagged release of these repositories, and sum.golang.org pins the
# bytes, so this is reproducible without hitting GitHub release URLs.
#
# Layout produced (consumed by cdk8s.yaml / scripts/import.sh,
# test/support/schema.ts (.tools/crds/<project>/*.yaml) and the test clusters,
# which install every CRD under .tools/crds; .tools/crds-extra/ is for
# reference only: neither validated against nor installed):
#   .tools/crds/argo-rollouts/*.yaml          upstream manifests/crds/
#   .tools/crds/prometheus-operator/*.yaml    upstream example/prometheus-operator-crd/
#   .tools/crds/argo-cd/*.yaml                upstream manifests/crds/
#   .tools/crds/gateway-api/*.yaml            upstream config/crd/standard/ (the CRDs only)
#   .tools/crds/istio/networking.istio.io_{virtualservices,destinationrules,gateways}.yaml
#                                             cut out of upstream
#                                             kubernetes/customresourcedefinitions.gen.yaml
#   .tools/crds/<project>/SOURCE              module@version + h1: checksum
#   .tools/crds/bundles/<api group>.yaml      the CRDs we generate constructs
#                                             for, one multi-document file per
#                                             API group (see below)
#   .tools/crds-extra/gateway-api-experimental/*.yaml
#                                             upstream config/crd/experimental/ (same
#                                             CRD names as the standard channel, so
#                                             never mixed with it)
#   .tools/crds-extra/istio/customresourcedefinitions.gen.yaml
#                                             all Istio CRDs, as upstream ships them
#   .tools/openapi/v3/*.json                  k8s api/openapi-spec/v3/
#   .tools/openapi/swagger.json               k8s api/openapi-spec/swagger.json
# tools:default
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/_lib.sh"

CRDS="$TOOLS_DIR/crds"
EXTRA="$TOOLS_DIR/crds-extra"
OPENAPI="$TOOLS_DIR/openapi"

# Files that must exist for the stamp to be trusted (someone may have
# deleted part of .tools/ by hand).
expected=(
  "$CRDS/argo-rollouts/rollout-crd.yaml"
  "$CRDS/prometheus-operator/monitoring.coreos.com_servicemonitors.yaml"
  "$CRDS/argo-cd/application-crd.yaml"
  "$CRDS/gateway-api/gateway.networking.k8s.io_httproutes.yaml"
  "$CRDS/gateway-api/gateway.networking.k8s.io_grpcroutes.yaml"
  "$CRDS/gateway-api/gateway.networking.k8s.io_gateways.yaml"
  "$CRDS/gateway-api/gateway.networking.k8s.io_referencegrants.yaml"
  "$EXTRA/gateway-api-experimental/gateway.networking.k8s.io_httproutes.yaml"
  "$EXTRA/istio/customresourcedefinitions.gen.yaml"
  "$CRDS/istio/networking.istio.io_virtualservices.yaml"
  "$CRDS/istio/networking.istio.io_destinationrules.yaml"
  "$CRDS/bundles/argoproj.io.yaml"
  "$CRDS/bundles/monitoring.coreos.com.yaml"
  "$CRDS/bundles/gateway.networking.k8s.io.yaml"
  "$CRDS/bundles/networking.istio.io.yaml"
  "$OPENAPI/v3/api__v1_openapi.json"
)
all_present() { local f; for f in "${expected[@]}"; do [[ -f "$f" ]] || return 1; done; }

if stamp_fresh crds && all_present; then
  log "crds: ok (argo-rollouts $ARGO_ROLLOUTS_VERSION, prometheus-operator $PROMETHEUS_OPERATOR_VERSION, argo-cd $ARGO_CD_VERSION, gateway-api $GATEWAY_API_VERSION, istio $ISTIO_API_VERSION, kubernetes $KUBERNETES_VERSION)"
  exit 0
fi

# Build into a staging dir and swap it in at the end, so an interrupted run
# never leaves a half-populated .tools/crds behind.
mkdir -p "$TOOLS_DIR"
stage="$(mktemp -d "$TOOLS_DIR/.crds-stage.XXXXXX")"
trap 'rm -rf "$stage"' EXIT
mkdir -p "$stage/crds" "$stage/crds-extra" "$stage/openapi"

# copy_from MODULE VERSION DEST_SUBDIR SRC_RELPATH...
# Module cache files are read-only (0444); `install -m 0644` gives normal,
# overwritable copies.
copy_from() {
  local module="$1" version="$2" dest="$stage/$3"
  shift 3
  local dir rel
  log "crds: $module@$version"
  dir="$(go_mod_dir "$module" "$version")"
  mkdir -p "$dest"
  for rel in "$@"; do
    [[ -f "$dir/$rel" ]] || die "crds: $rel not found in $module@$version"
    install -m 0644 "$dir/$rel" "$dest/$(basename "$rel")"
  done
  printf '%s@%s %s\n' "$module" "$version" "$(go_mod_sum "$module" "$version")" >"$dest/SOURCE"
}

copy_from "$ARGO_ROLLOUTS_MODULE" "$ARGO_ROLLOUTS_VERSION" crds/argo-rollouts \
  manifests/crds/rollout-crd.yaml \
  manifests/crds/analysis-template-crd.yaml \
  manifests/crds/cluster-analysis-template-crd.yaml \
  manifests/crds/analysis-run-crd.yaml \
  manifests/crds/experiment-crd.yaml

copy_from "$PROMETHEUS_OPERATOR_MODULE" "$PROMETHEUS_OPERATOR_VERSION" crds/prometheus-operator \
  example/prometheus-operator-crd/monitoring.coreos.com_servicemonitors.yaml \
  example/prometheus-operator-crd/monitoring.coreos.com_podmonitors.yaml \
  example/prometheus-operator-crd/monitoring.coreos.com_prometheusrules.yaml

copy_from "$ARGO_CD_MODULE" "$ARGO_CD_VERSION" crds/argo-cd \
  manifests/crds/application-crd.yaml \
  manifests/crds/appproject-crd.yaml

# Gateway API: the CRDs of both release channels (the *_vap_safeupgrades.yaml
# ValidatingAdmissionPolicy next to them is not a CRD and is left out).
gateway_api_crds=()
for k in gatewayclasses gateways httproutes grpcroutes referencegrants \
  backendtlspolicies listenersets tcproutes tlsroutes udproutes; do
  gateway_api_crds+=("gateway.networking.k8s.io_$k.yaml")
done
copy_from "$GATEWAY_API_MODULE" "$GATEWAY_API_VERSION" crds/gateway-api \
  "${gateway_api_crds[@]/#/config/crd/standard/}"
copy_from "$GATEWAY_API_MODULE" "$GATEWAY_API_VERSION" crds-extra/gateway-api-experimental \
  "${gateway_api_crds[@]/#/config/crd/experimental/}"

# Istio ships every CRD (extensions, networking, security, telemetry) in one
# generated file. Keep it whole under crds-extra/, and cut the
# networking.istio.io CRDs canarykit may route with out of it by metadata.name
# (document bodies byte-for-byte).
copy_from "$ISTIO_API_MODULE" "$ISTIO_API_VERSION" crds-extra/istio \
  kubernetes/customresourcedefinitions.gen.yaml
mkdir -p "$stage/crds/istio"
cp "$stage/crds-extra/istio/SOURCE" "$stage/crds/istio/SOURCE"
# extract_crds FILE NAME...: the `---`-separated documents of FILE whose
# metadata.name (the only 2-space-indented `name:` line of a CRD) is a NAME.
extract_crds() {
  local file="$1"; shift
  awk -v names="$*" '
    BEGIN { n = split(names, a, " "); for (i = 1; i <= n; i++) want[a[i]] = 1 }
    function flush() { if (keep) { printf "---\n%s", doc; found[keep] = 1 }; doc = ""; keep = "" }
    /^---[[:space:]]*$/ { flush(); next }
    /^#/ && doc == "" { next }
    { doc = doc $0 "\n" }
    /^  name: / { if ($2 in want) keep = $2 }
    END { flush(); for (k in want) if (!(k in found)) { print "extract_crds: " k " not found" > "/dev/stderr"; exit 1 } }
  ' "$file"
}
for k in virtualservices destinationrules gateways; do
  extract_crds "$stage/crds-extra/istio/customresourcedefinitions.gen.yaml" "$k.networking.istio.io" \
    >"$stage/crds/istio/networking.istio.io_$k.yaml" || die "crds: Istio CRD $k.networking.istio.io not found"
done

# Kubernetes OpenAPI: the whole v3 directory (~13 MB, one document per
# group/version) plus the v2 swagger.json, straight from the module.
log "crds: $KUBERNETES_MODULE@$KUBERNETES_VERSION (OpenAPI)"
k8s="$(go_mod_dir "$KUBERNETES_MODULE" "$KUBERNETES_VERSION")"
mkdir -p "$stage/openapi/v3"
install -m 0644 "$k8s"/api/openapi-spec/v3/*.json "$stage/openapi/v3/"
install -m 0644 "$k8s/api/openapi-spec/swagger.json" "$stage/openapi/swagger.json"
printf '%s@%s %s\n' "$KUBERNETES_MODULE" "$KUBERNETES_VERSION" \
  "$(go_mod_sum "$KUBERNETES_MODULE" "$KUBERNETES_VERSION")" >"$stage/openapi/SOURCE"

# Bundles for `cdk8s import`: cdk8s writes one <api group>.ts per import
# entry and *overwrites* it, so two entries of the same group (Rollout and
# AnalysisTemplate are both argoproj.io) would clobber each other. One
# multi-document file per group makes cdk8s emit every kind into a single
# imports/<group>.ts. Only the kinds canarykit generates objects for are
# bundled (AnalysisRun/Experiment/AppProject are created by controllers or
# out of scope).
bundle() {
  local out="$stage/crds/bundles/$1"
  shift
  mkdir -p "$(dirname "$out")"
  : >"$out"
  local f
  for f in "$@"; do
    printf -- '---\n# source: %s (%s)\n' "$f" "$(cut -d' ' -f1 "$stage/crds/$(dirname "$f")/SOURCE")" >>"$out"
    # strip a leading document marker so we do not emit empty documents
    sed '1{/^---[[:space:]]*$/d}' "$stage/crds/$f" >>"$out"
  done
}
bundle argoproj.io.yaml \
  argo-rollouts/rollout-crd.yaml \
  argo-rollouts/analysis-template-crd.yaml \
  argo-rollouts/cluster-analysis-template-crd.yaml \
  argo-cd/application-crd.yaml
bundle monitoring.coreos.com.yaml \
  prometheus-operator/monitoring.coreos.com_servicemonitors.yaml \
  prometheus-operator/monitoring.coreos.com_podmonitors.yaml
# Traffic routers: the routes the Gateway API plugin shifts weights on (and a
# ReferenceGrant for cross-namespace backends); Istio's VirtualService and
# DestinationRule (subset-level routing). Gateways are the platform's, not
# generated by canarykit.
bundle gateway.networking.k8s.io.yaml \
  gateway-api/gateway.networking.k8s.io_httproutes.yaml \
  gateway-api/gateway.networking.k8s.io_grpcroutes.yaml \
  gateway-api/gateway.networking.k8s.io_referencegrants.yaml
bundle networking.istio.io.yaml \
  istio/networking.istio.io_virtualservices.yaml \
  istio/networking.istio.io_destinationrules.yaml

# Swap the staged trees in.
rm -rf "$CRDS" "$EXTRA" "$OPENAPI"
mv "$stage/crds" "$CRDS"
mv "$stage/crds-extra" "$EXTRA"
mv "$stage/openapi" "$OPENAPI"
all_present || die "crds: expected files missing after install"
stamp_write crds
log "crds: ok"

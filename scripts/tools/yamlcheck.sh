#!/usr/bin/env bash
# Component `yamlcheck`: builds .tools/bin/yamlcheck from the tools module
# scripts/tools/yamlcheck/ (its own main.go, go.mod, go.sum): stdin YAML
# documents read by kubectl's document splitter and sigs.k8s.io/yaml, the
# parser kubectl and helm use, printed as a JSON array. The tests feed it
# every kind of file canarykit writes (test/support/go-yaml.ts), so output
# that kubectl or helm cannot read fails a test. Seconds to build: two small
# modules from the Go module proxy.
# tools:default
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/_lib.sh"

DIR="$CANARYKIT_ROOT/scripts/tools/yamlcheck"
key() { cat "$DIR/go.mod" "$DIR/go.sum" "$DIR/main.go" | sha256sum | cut -d' ' -f1; printf '%s %s\n' "$(stamp_key)" "$(go env GOVERSION 2>/dev/null)"; }
stamp="$STAMP_DIR/yamlcheck"
if [[ -f "$stamp" ]] && bins_present yamlcheck && [[ "$(cat "$stamp")" == "$(key)" ]]; then
  exit 0
fi

require_cmd go
log "yamlcheck: building (sigs.k8s.io/yaml, k8s.io/apimachinery from the Go module proxy)"
tools_module_build "$DIR" "-s -w" canarykit.local/tools/yamlcheck || die "go build of yamlcheck failed"
printf '{"a":1}\n' | "$TOOLS_BIN/yamlcheck" >/dev/null || die "yamlcheck does not run"
mkdir -p "$STAMP_DIR"
key >"$stamp"
log "yamlcheck: ok"

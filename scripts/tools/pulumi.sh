#!/usr/bin/env bash
# scripts/tools/pulumi.sh -- the real Pulumi CLI (the engine), for the Pulumi
# tests (test/pulumi/, `npm run test:pulumi`), which drive it through the
# Node Automation API with an inline program.
#
#   bash scripts/tools/pulumi.sh            # install / no-op when up to date
#   bash scripts/tools/pulumi.sh --regen    # rewrite scripts/tools/pulumi/go.mod
#                                           # for $PULUMI_VERSION, `go mod tidy`
#
# Installs $TOOLS_DIR/bin/pulumi, built from $PULUMI_MODULE@$PULUMI_VERSION
# (versions.env), package cmd/pulumi, through the tools module
# scripts/tools/pulumi/. pkg/v3's go.mod replaces sdk/v3 with ../sdk (the same
# repository; the tools module requires sdk/v3 at the same tag instead) and
# github.com/atotto/clipboard with a fork (copied verbatim): replaces only apply
# in the main module, so `go install` refuses it.
# Only the CLI: no language hosts (pulumi-language-nodejs is not served by the
# proxy as a buildable main); inline Automation API programs need none.
# Cold build (empty Go caches, 2 shared cores): see README, "Development".
#
# Cached: a stamp in $TOOLS_DIR/stamps/pulumi records the inputs; a second run
# is a no-op.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/_lib.sh"

MOD_DIR="$CANARYKIT_ROOT/scripts/tools/pulumi"
SDK_MODULE=github.com/pulumi/pulumi/sdk/v3

regen_go_mod() {
  local v="$PULUMI_VERSION" gomod replaces
  gomod="$(go_mod_field "$PULUMI_MODULE" "$v" GoMod)"
  # Upstream's replace directives, read with `go mod edit -json`, except those
  # to local paths (../sdk: the module zip has no such directory; the tools
  # module requires that module at the same tag instead).
  replaces="$(go mod edit -json "$gomod" | node -e '
    const j = JSON.parse(require("fs").readFileSync(0, "utf8"));
    const v = (m) => m.Path + (m.Version ? " " + m.Version : "");
    for (const r of j.Replace || []) if (r.New.Version) console.log("\t" + v(r.Old) + " => " + v(r.New));')"
  [[ -n "$replaces" ]] || die "no module replace directives found in $gomod"
  printf '%s\n' \
    "// Tools module: pins the Pulumi CLI that canarykit's Pulumi tests run (built" \
    "// by scripts/tools/pulumi.sh; regenerate with \`bash scripts/tools/pulumi.sh --regen\`)." \
    "// The replace block is $PULUMI_MODULE@$v's own, minus its local-path" \
    "// replace of $SDK_MODULE (required here at the same tag)." \
    "module canarykit.local/tools/pulumi" "" "go 1.26.6" "" \
    "require (" "	$PULUMI_MODULE $v" "	$SDK_MODULE $v" ")" "" "replace (" "$replaces" ")" | tools_module_write "$MOD_DIR"
}

if [[ "${1:-}" == "--regen" ]]; then regen_go_mod; exit 0; fi
tools_module_check "$MOD_DIR" "$PULUMI_MODULE" "$PULUMI_VERSION"

# ---- cache check (must stay well under 1 s) --------------------------------
stamp="$STAMP_DIR/pulumi"
if [[ -f "$stamp" ]] && bins_present pulumi && [[ "$(cat "$stamp")" == "$(tools_module_stamp_key "$MOD_DIR")" ]]; then
  exit 0
fi

require_cmd go node
mkdir -p "$STAMP_DIR"
# The version upstream's release build stamps; the Automation API reads it
# from `pulumi version` to check compatibility.
ldflags="-s -w -X $SDK_MODULE/go/common/version.Version=$PULUMI_VERSION"
log "building pulumi from $PULUMI_MODULE@$PULUMI_VERSION (cold: several minutes on 2 cores)"
start=$SECONDS
export CGO_ENABLED=0
tools_module_build "$MOD_DIR" "$ldflags" "$PULUMI_MODULE/cmd/pulumi" || die "go build of Pulumi $PULUMI_VERSION failed"
[[ "$("$TOOLS_BIN/pulumi" version)" == "$PULUMI_VERSION" ]] || die "pulumi version does not print $PULUMI_VERSION"
tools_module_stamp_key "$MOD_DIR" >"$stamp.tmp" && mv -f "$stamp.tmp" "$stamp"
log "pulumi: $PULUMI_VERSION built in $((SECONDS - start)) s -> $TOOLS_BIN"

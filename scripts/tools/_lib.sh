# shellcheck shell=bash
# Shared helpers for scripts/tools/<component>.sh. Sourced, never run.
# (The leading underscore keeps scripts/tools.sh from treating it as a
# component.)
#
# Contract for a component script scripts/tools/<name>.sh:
#   * starts with `set -euo pipefail` and `source "$(dirname "${BASH_SOURCE[0]}")/_lib.sh"`
#   * is idempotent and exits quickly when its work is already done
#     (use `stamp_fresh <name>` / `stamp_write <name>` for things under .tools/)
#   * writes only under $TOOLS_DIR (plus GOMODCACHE/GOCACHE or apt)
#   * a line `# tools:default` anywhere in it makes `scripts/tools.sh`
#     (no arguments) run it; otherwise it only runs when named explicitly.
# Components are run in their own bash process by scripts/tools.sh, but can
# also be run directly: `bash scripts/tools/crds.sh`.

# Resolve the repository root from this file's location so the scripts work
# from any cwd.
CANARYKIT_ROOT="${CANARYKIT_ROOT:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)}"
TOOLS_DIR="${TOOLS_DIR:-$CANARYKIT_ROOT/.tools}"
TOOLS_BIN="$TOOLS_DIR/bin"
STAMP_DIR="$TOOLS_DIR/stamps"
VERSIONS_FILE="$CANARYKIT_ROOT/scripts/tools/versions.env"
export CANARYKIT_ROOT TOOLS_DIR TOOLS_BIN

# shellcheck source=versions.env
source "$VERSIONS_FILE"

case ":$PATH:" in
  *":$TOOLS_BIN:"*) ;;
  *) export PATH="$TOOLS_BIN:$PATH" ;;
esac

# Never let Go silently download a newer toolchain (that would be a large,
# unpinned download); fail loudly instead if the installed Go is too old.
export GOTOOLCHAIN="${GOTOOLCHAIN:-local}"

log() { printf '[tools] %s\n' "$*" >&2; }
die() { printf '[tools] ERROR: %s\n' "$*" >&2; exit 1; }

# Name of the component script that sourced us (e.g. "crds").
_component_file() { printf '%s' "${BASH_SOURCE[-1]}"; }

# A stamp records "this component finished with exactly these inputs". The
# key hashes versions.env, this library and the component script itself, so
# bumping a version or editing a script invalidates the stamp automatically.
stamp_key() {
  cat "$VERSIONS_FILE" "${BASH_SOURCE[0]}" "$(_component_file)" | sha256sum | cut -d' ' -f1
}

# stamp_fresh NAME: true when .tools/stamps/NAME matches the current key.
stamp_fresh() {
  local f="$STAMP_DIR/$1"
  [[ -f "$f" ]] && [[ "$(cat "$f")" == "$(stamp_key)" ]]
}

# stamp_write NAME: call as the very last step of a successful install.
stamp_write() {
  mkdir -p "$STAMP_DIR"
  stamp_key >"$STAMP_DIR/$1.tmp"
  mv -f "$STAMP_DIR/$1.tmp" "$STAMP_DIR/$1"
}

require_cmd() {
  local c
  for c in "$@"; do
    command -v "$c" >/dev/null 2>&1 || die "'$c' is required but not on PATH"
  done
}

# go_mod_dir MODULE VERSION: download MODULE@VERSION through the Go module
# proxy (verified against sum.golang.org, cached in GOMODCACHE) and print the
# read-only directory it was extracted to.
# Runs from / so that no surrounding go.mod/go.work can interfere.
go_mod_dir() {
  require_cmd go node
  local json
  json="$(cd / && GOWORK=off GOFLAGS= go mod download -json "$1@$2")" \
    || die "go mod download $1@$2 failed${json:+: $json}"
  # Parse with node (always present for this project) rather than grep'ing JSON.
  printf '%s' "$json" | node -e '
    const j = JSON.parse(require("fs").readFileSync(0, "utf8"));
    if (j.Error || !j.Dir) { console.error(j.Error || "no Dir in go mod download output"); process.exit(1); }
    process.stdout.write(j.Dir);'
}

# go_mod_sum MODULE VERSION: the h1: checksum of an already-downloaded module
# (recorded next to copied files for provenance).
go_mod_sum() {
  (cd / && GOWORK=off GOFLAGS= go mod download -json "$1@$2") | node -e '
    const j = JSON.parse(require("fs").readFileSync(0, "utf8"));
    process.stdout.write(j.Sum || "");'
}

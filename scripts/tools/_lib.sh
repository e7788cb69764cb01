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

# go_mod_field MODULE VERSION FIELD: one field (Dir, GoMod, Info, Sum) of
# `go mod download -json MODULE@VERSION`: the module is fetched through the Go
# module proxy (verified against sum.golang.org, cached in GOMODCACHE).
# Runs from / so that no surrounding go.mod/go.work can interfere.
go_mod_field() {
  require_cmd go node
  local json
  json="$(cd / && GOWORK=off GOFLAGS= go mod download -json "$1@$2")" \
    || die "go mod download $1@$2 failed${json:+: $json}"
  # Parse with node (always present for this project) rather than grep'ing JSON.
  printf '%s' "$json" | FIELD="$3" node -e '
    const j = JSON.parse(require("fs").readFileSync(0, "utf8"));
    const v = j[process.env.FIELD];
    if (j.Error || !v) { console.error(j.Error || `no ${process.env.FIELD} in go mod download output`); process.exit(1); }
    process.stdout.write(v);'
}

# The read-only directory a module was extracted to, and its h1: checksum
# (recorded next to copied files for provenance).
go_mod_dir() { go_mod_field "$1" "$2" Dir; }
go_mod_sum() { go_mod_field "$1" "$2" Sum; }

# ---- tools modules ----------------------------------------------------------
# Go programs that cannot be `go install`ed (their go.mod replaces modules, and
# replaces only apply in the main module) are built from a committed tools
# module scripts/tools/<name>/ (go.mod + go.sum + tools.go) that requires them.

# tools_module_check DIR MODULE VERSION: DIR/go.mod must require MODULE at
# VERSION (versions.env), else the component's --regen is due.
tools_module_check() {
  local pinned
  pinned="$(awk -v m="$2" '$1=="require" && $2==m {print $3}' "$1/go.mod")"
  [[ "$pinned" == "$3" ]] ||
    die "versions.env pins $2 $3 but ${1#"$CANARYKIT_ROOT/"}/go.mod requires ${pinned:-nothing}; run: bash $(_component_file) --regen"
}

# tools_module_write DIR: writes DIR/go.mod from stdin, then `go mod tidy`
# writes go.sum.
tools_module_write() {
  cat >"$1/go.mod"
  rm -f "$1/go.sum"
  (cd "$1" && GOWORK=off GOFLAGS=-mod=mod go mod tidy)
  log "regenerated ${1#"$CANARYKIT_ROOT/"}/go.mod; commit go.mod and go.sum"
}

# tools_module_stamp_key DIR [LINE...]: the stamp key of a component built from
# the tools module DIR: its files, stamp_key's inputs, Go's version and LINEs.
tools_module_stamp_key() {
  local dir="$1"; shift
  {
    cat "$dir/go.mod" "$dir/go.sum" "$dir/tools.go"
    stamp_key
    go env GOVERSION 2>/dev/null || true
    printf '%s\n' "$@"
  } | sha256sum | cut -d' ' -f1
}

# bins_present NAME...: every NAME is an executable in $TOOLS_BIN.
bins_present() {
  local b
  for b in "$@"; do [[ -x "$TOOLS_BIN/$b" ]] || return 1; done
}

# tools_module_build DIR LDFLAGS [NAME=]PKG...: builds PKGs in the tools module
# DIR and moves the binaries into $TOOLS_BIN once all of them built, each named
# NAME or else its package's last path element. nice: the machine's cores are
# shared.
tools_module_build() {
  local dir="$1" ldflags="$2" out p rc=0 pkgs=()
  shift 2
  for p in "$@"; do pkgs+=("${p#*=}"); done
  mkdir -p "$TOOLS_BIN"
  out="$(mktemp -d "$TOOLS_DIR/.build.XXXXXX")"
  (cd "$dir" && GOWORK=off GOFLAGS=-mod=readonly nice -n 10 \
    go build -p 2 -trimpath -buildvcs=false -ldflags "$ldflags" -o "$out/" "${pkgs[@]}") || rc=$?
  if [[ $rc == 0 ]]; then
    for p in "$@"; do
      if [[ "$p" == *=* ]]; then mv -f "$out/$(basename "${p#*=}")" "$TOOLS_BIN/${p%%=*}"; else mv -f "$out/${p##*/}" "$TOOLS_BIN/"; fi
    done
  fi
  rm -rf "$out"
  return $rc
}

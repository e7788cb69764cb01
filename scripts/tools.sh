#!/usr/bin/env bash
# scripts/tools.sh -- the single, idempotent entry point for canarykit's
# development tools. Everything it builds goes into the git-ignored .tools/.
#
#   scripts/tools.sh                 # all default components (apt crds helm)
#   scripts/tools.sh crds helm       # only these
#   scripts/tools.sh --list          # show components
#
# Each component is one file, scripts/tools/<name>.sh, run in its own bash
# process (see the contract at the top of scripts/tools/_lib.sh). Adding a
# component is a one-file change: drop scripts/tools/<name>.sh in place; add
# a `# tools:default` line to it if a bare `scripts/tools.sh` should run it.
# Versions are pinned in scripts/tools/versions.env.
#
# Every component caches its result (stamps in .tools/stamps/, or a cheap
# "already installed?" probe), so a warm run is a no-op taking well under 1 s.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
COMPONENT_DIR="$ROOT/scripts/tools"
export CANARYKIT_ROOT="$ROOT"
export TOOLS_DIR="$ROOT/.tools"

# All component names, sorted (files starting with "_" are helpers).
available() {
  local f n
  for f in "$COMPONENT_DIR"/*.sh; do
    n="$(basename "$f" .sh)"
    [[ "$n" == _* ]] && continue
    printf '%s\n' "$n"
  done
}

# Components that opted into the no-argument run with a `# tools:default` line.
defaults() {
  local n
  for n in $(available); do
    grep -qx '# tools:default' "$COMPONENT_DIR/$n.sh" && printf '%s\n' "$n"
  done
  return 0
}

usage() {
  echo "usage: scripts/tools.sh [--list] [component...]"
  echo "components: $(available | tr '\n' ' ')"
  echo "default:    $(defaults | tr '\n' ' ')"
}

case "${1:-}" in
  -h|--help) usage; exit 0 ;;
  --list) usage; exit 0 ;;
esac

if (($# == 0)); then
  mapfile -t components < <(defaults)
else
  components=("$@")
fi

mkdir -p "$TOOLS_DIR/locks"
for name in "${components[@]}"; do
  script="$COMPONENT_DIR/$name.sh"
  if [[ "$name" == _* || ! -f "$script" ]]; then
    echo "scripts/tools.sh: unknown component '$name'" >&2
    usage >&2
    exit 2
  fi
  # One lock per component: parallel callers (e.g. `npm run import` and a
  # test run) wait for each other instead of half-writing .tools/ twice.
  (
    flock 9
    bash "$script"
  ) 9>"$TOOLS_DIR/locks/$name.lock"
done

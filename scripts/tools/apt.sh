#!/usr/bin/env bash
# Component `apt`: Debian packages the tests and scripts shell out to:
#   promtool (package `prometheus`) -- lint PromQL in AnalysisTemplates/rules
#   jq, curl                        -- used by scripts and the kube component
#   redis-server, git               -- Argo CD's cache and Git client (test:argocd)
# Packages are listed in versions.env (APT_PACKAGES).
# tools:default
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/_lib.sh"

read -r -a packages <<<"$APT_PACKAGES"

installed() { dpkg-query -W -f='${db:Status-Abbrev}' "$1" 2>/dev/null | grep -q '^ii'; }

missing=()
for p in "${packages[@]}"; do
  installed "$p" || missing+=("$p")
done

# Fast path: nothing to do (no apt-get update, no root needed).
if ((${#missing[@]} == 0)) && command -v promtool >/dev/null && command -v jq >/dev/null && command -v redis-server >/dev/null; then
  log "apt: ok (${packages[*]} installed)"
  exit 0
fi

require_cmd apt-get dpkg-query
SUDO=()
if ((EUID != 0)); then
  command -v sudo >/dev/null || die "apt: need root (or sudo) to install: ${missing[*]}"
  SUDO=(sudo -n)
fi

# The Debian `prometheus` and `redis-server` packages ship services that their
# postinsts would start. The tests run their own instances on loopback ports, so forbid daemon starts during the
# install with a policy-rc.d that answers "101: action forbidden" -- unless the
# machine already has one (containers usually do), which we then leave alone.
POLICY=/usr/sbin/policy-rc.d
created_policy=0
cleanup() { if ((created_policy)); then "${SUDO[@]}" rm -f "$POLICY"; fi; }
trap cleanup EXIT
if [[ ! -e "$POLICY" ]]; then
  printf '#!/bin/sh\n# temporary, from canarykit scripts/tools/apt.sh\nexit 101\n' \
    | "${SUDO[@]}" tee "$POLICY" >/dev/null
  "${SUDO[@]}" chmod 0755 "$POLICY"
  created_policy=1
fi

log "apt: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
"${SUDO[@]}" apt-get update -qq
"${SUDO[@]}" apt-get install -y -qq --no-install-recommends "${packages[@]}" >/dev/null

# policy-rc.d only stops the start: the postinst still enables the unit for
# the next boot. Disable it (and stop it where systemd is actually running).
if [[ -d /run/systemd/system ]] && command -v systemctl >/dev/null; then
  "${SUDO[@]}" systemctl disable --now prometheus.service redis-server.service >/dev/null 2>&1 || true
elif command -v systemctl >/dev/null; then
  # no systemd running (container): offline disable just removes the symlink
  "${SUDO[@]}" systemctl disable prometheus.service redis-server.service >/dev/null 2>&1 || true
fi

command -v promtool >/dev/null || die "apt: promtool still missing after install"
log "apt: ok ($(promtool --version 2>&1 | head -n1))"

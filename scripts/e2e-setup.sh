#!/usr/bin/env bash
# Installs the tools the VS Code test stages need, outside the repository:
#   - Debian packages: chromium (driven by playwright-core), fonts, the toolchain code-server's native
#     modules build with (libkrb5-dev for kerberos)
#   - Node 24 from the npm registry (scripts/node-setup.sh): the Node of current desktop VS Code's
#     extension host, which code-server 4.139 requires and runs its extension host on
#   - code-server 4.139.1 (VS Code 1.139.1), built against that Node's headers
#   - playwright-core (never `playwright`: it would try to download browsers)
# into ${MLOPS_E2E_HOME:-$HOME/.cache/mlops-pipelines-e2e}; $TOOLS/cs-node names the Node that runs
# code-server. Idempotent: a stamp file records what is installed, and a rerun with the same
# versions only checks it (well under a second).
#
# Usage: bash scripts/e2e-setup.sh          (FORCE=1 reinstalls the npm tools)
set -euo pipefail

TOOLS=${MLOPS_E2E_HOME:-$HOME/.cache/mlops-pipelines-e2e}
CS_VERSION=4.139.1
PW_VERSION=1.65.1
APT_PACKAGES=(chromium fonts-liberation build-essential python3 pkg-config libkrb5-dev)

t0=$(date +%s.%N)
say() { echo "[e2e-setup] $*"; }
elapsed() { awk -v a="$t0" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1fs", b - a }'; }

# --- 1) Debian packages (only when some are missing) ---------------------------------------------
missing=()
for p in "${APT_PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if ((${#missing[@]})); then
  SUDO=
  if [ "$(id -u)" != 0 ]; then
    command -v sudo >/dev/null || { say "missing Debian packages: ${missing[*]} (run as root or install them)"; exit 1; }
    SUDO=sudo
  fi
  say "installing Debian packages: ${missing[*]}"
  $SUDO apt-get -o DPkg::Lock::Timeout=600 update -q
  $SUDO env DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 install -y -q --no-install-recommends \
    "${APT_PACKAGES[@]}"
fi
command -v chromium >/dev/null || { say "chromium is not on PATH after install"; exit 1; }

# --- 2) Node 24 for code-server ----------------------------------------------------------------
CS_NODE=$(bash "$(dirname "$0")/node-setup.sh" 24)
STAMP_VALUE="code-server=$CS_VERSION playwright-core=$PW_VERSION node=$("$CS_NODE" --version)"

# --- 3) npm tools, under a lock so that two test runs never install at the same time ---------------
mkdir -p "$TOOLS"
exec 9>"$TOOLS/.lock"
flock 9
echo "$CS_NODE" >"$TOOLS/cs-node"

CS_BIN="$TOOLS/cs/node_modules/.bin/code-server"
PW_DIR="$TOOLS/pw/node_modules/playwright-core"
if [ -z "${FORCE:-}" ] && [ "$(cat "$TOOLS/stamp" 2>/dev/null)" = "$STAMP_VALUE" ] && [ -x "$CS_BIN" ] && [ -f "$PW_DIR/package.json" ]; then
  say "tools ready in $TOOLS ($STAMP_VALUE), checked in $(elapsed)"
  exit 0
fi

say "installing code-server $CS_VERSION and playwright-core $PW_VERSION into $TOOLS"
rm -rf "$TOOLS/stamp" "$TOOLS/cs" "$TOOLS/pw" "$TOOLS/tmp"
mkdir -p "$TOOLS/cs" "$TOOLS/pw" "$TOOLS/tmp"
# Local package.json files so npm never walks up into some other project.
echo '{ "name": "mlops-e2e-code-server", "private": true }' >"$TOOLS/cs/package.json"
echo '{ "name": "mlops-e2e-playwright", "private": true }' >"$TOOLS/pw/package.json"

# Its native modules build for Node 24: that Node first on PATH (npm runs their install scripts
# with it) and its own headers (node-gyp would otherwise download them from nodejs.org).
# unsafe_perm: code-server's postinstall refuses to run as root otherwise.
# yes: node-pty's postinstall runs `npx node-gyp`, which an npmrc with yes=false would cancel.
(
  cd "$TOOLS/cs"
  node_home=$(dirname "$(dirname "$CS_NODE")")
  PATH="$node_home/bin:$PATH" npm_config_nodedir="$node_home" TMPDIR="$TOOLS/tmp" \
    npm_config_unsafe_perm=true npm_config_yes=true \
    npm install --no-audit --no-fund --no-save --loglevel=error "code-server@$CS_VERSION"
)
(
  cd "$TOOLS/pw"
  npm install --no-audit --no-fund --no-save --loglevel=error "playwright-core@$PW_VERSION"
)
rm -rf "$TOOLS/tmp"

# (--version first writes a default config file: keep that out of ~/.config)
version=$(XDG_CONFIG_HOME="$TOOLS/.xdg" XDG_DATA_HOME="$TOOLS/.xdg" "$CS_NODE" "$CS_BIN" --version 2>/dev/null | grep -m1 "^$CS_VERSION " || true)
rm -rf "$TOOLS/.xdg"
[ -n "$version" ] || { say "code-server --version does not report $CS_VERSION"; exit 1; }
echo "$STAMP_VALUE" >"$TOOLS/stamp"
say "installed in $(elapsed): code-server $version on Node $("$CS_NODE" --version), playwright-core $PW_VERSION, $(chromium --version 2>/dev/null)"

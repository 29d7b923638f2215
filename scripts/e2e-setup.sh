#!/usr/bin/env bash
# Installs the tools the VS Code test stages need, outside the repository:
#   - Debian packages: chromium (driven by playwright-core), fonts, the toolchain code-server's native
#     modules build with, ripgrep (stands in for @vscode/ripgrep's GitHub download)
#   - code-server 4.100.3 (VS Code 1.100.3; the newest release whose engines allow Node 20)
#   - playwright-core (never `playwright`: it would try to download browsers)
# into ${MLOPS_E2E_HOME:-$HOME/.cache/mlops-pipelines-e2e}. Idempotent: a stamp file records what is
# installed, and a rerun with the same versions only checks it (well under a second).
#
# Usage: bash scripts/e2e-setup.sh          (FORCE=1 reinstalls the npm tools)
set -euo pipefail

TOOLS=${MLOPS_E2E_HOME:-$HOME/.cache/mlops-pipelines-e2e}
CS_VERSION=4.100.3
PW_VERSION=1.65.1
RG_PKG_VERSION=1.15.11                                   # @vscode/ripgrep pinned by code-server 4.100.3
RG_TARBALL=ripgrep-v13.0.0-10-x86_64-unknown-linux-musl.tar.gz
STAMP_VALUE="code-server=$CS_VERSION playwright-core=$PW_VERSION node=$(node -p 'process.versions.modules')"
APT_PACKAGES=(chromium fonts-liberation build-essential python3 pkg-config libkrb5-dev ripgrep)

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

# --- 2) npm tools, under a lock so that two test runs never install at the same time ---------------
mkdir -p "$TOOLS"
exec 9>"$TOOLS/.lock"
flock 9

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

# @vscode/ripgrep's postinstall downloads rg from GitHub (unreachable here). It first looks for
# $TMPDIR/vscode-ripgrep-cache-<version>/<tarball>: seed that with Debian's rg.
RG_CACHE="$TOOLS/tmp/vscode-ripgrep-cache-$RG_PKG_VERSION"
mkdir -p "$RG_CACHE" "$TOOLS/tmp/rgpack"
cp "$(command -v rg)" "$TOOLS/tmp/rgpack/rg"
tar czf "$RG_CACHE/$RG_TARBALL" -C "$TOOLS/tmp/rgpack" rg

# unsafe_perm: code-server's postinstall refuses to run as root otherwise.
# yes: node-pty's postinstall runs `npx node-gyp`, which an npmrc with yes=false would cancel.
(
  cd "$TOOLS/cs"
  TMPDIR="$TOOLS/tmp" npm_config_unsafe_perm=true npm_config_yes=true \
    npm install --no-audit --no-fund --no-save --loglevel=error "code-server@$CS_VERSION"
)
test -x "$TOOLS/cs/node_modules/code-server/lib/vscode/node_modules/@vscode/ripgrep/bin/rg" \
  || { say "code-server installed without its ripgrep binary"; exit 1; }
(
  cd "$TOOLS/pw"
  npm install --no-audit --no-fund --no-save --loglevel=error "playwright-core@$PW_VERSION"
)
rm -rf "$TOOLS/tmp"

# (--version first writes a default config file: keep that out of ~/.config)
version=$(XDG_CONFIG_HOME="$TOOLS/.xdg" XDG_DATA_HOME="$TOOLS/.xdg" "$CS_BIN" --version 2>/dev/null | grep -m1 "^$CS_VERSION " || true)
rm -rf "$TOOLS/.xdg"
[ -n "$version" ] || { say "code-server --version does not report $CS_VERSION"; exit 1; }
echo "$STAMP_VALUE" >"$TOOLS/stamp"
say "installed in $(elapsed): code-server $version, playwright-core $PW_VERSION, $(chromium --version 2>/dev/null)"

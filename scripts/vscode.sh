#!/usr/bin/env bash
# `npm run vscode`: try the extension in a real VS Code (code-server) from a browser.
#   builds and packages the extension (dist/mlops-pipelines.vsix), installs the test tools if needed,
#   generates ./demo if missing, installs the .vsix into a code-server that opens ./demo on
#   127.0.0.1:${PORT:-8080}, prints the URL, and stops it cleanly on Ctrl+C.
# The server's settings and state persist in ${MLOPS_E2E_HOME:-~/.cache/mlops-pipelines-e2e}/vscode-dev
# (VSCODE_FRESH=1 starts from a clean one). Forward the port to open it from another machine
# (e.g. `ssh -L 8080:127.0.0.1:8080 host`): the server only listens on 127.0.0.1.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
PORT=${PORT:-8080}
TOOLS=${MLOPS_E2E_HOME:-$HOME/.cache/mlops-pipelines-e2e}
CODE_SERVER=$TOOLS/cs/node_modules/.bin/code-server
INST=$TOOLS/vscode-dev
VSIX=$ROOT/dist/mlops-pipelines.vsix

echo "[vscode] building and packaging the extension"
npm run --silent package
[ -f "$VSIX" ] || { echo "[vscode] npm run package wrote no $VSIX"; exit 1; }
bash scripts/e2e-setup.sh
CS_NODE=$(cat "$TOOLS/cs-node")

if [ ! -d demo ]; then
  echo "[vscode] generating the demo workspace in ./demo"
  node dist/cli.js demo demo
fi

[ -n "${VSCODE_FRESH:-}" ] && rm -rf "$INST"
mkdir -p "$INST"/{ud/User,ext,xdg-config,xdg-data,xdg-cache,tmp}
[ -f "$INST/ud/User/settings.json" ] || cat >"$INST/ud/User/settings.json" <<'EOF'
{
  "telemetry.telemetryLevel": "off",
  "update.mode": "none",
  "extensions.autoCheckUpdates": false,
  "extensions.autoUpdate": false,
  "workbench.enableExperiments": false,
  "security.workspace.trust.enabled": false
}
EOF
export XDG_CONFIG_HOME=$INST/xdg-config XDG_DATA_HOME=$INST/xdg-data XDG_CACHE_HOME=$INST/xdg-cache TMPDIR=$INST/tmp
CS_ARGS=(--config "$INST/config.yaml" --user-data-dir "$INST/ud" --extensions-dir "$INST/ext")

echo "[vscode] installing $(basename "$VSIX")"
"$CS_NODE" "$CODE_SERVER" "${CS_ARGS[@]}" --install-extension "$VSIX" --force 2>&1 | tail -1

# Own process group (job control on), so that Ctrl+C here stops the whole server tree.
set -m
"$CS_NODE" "$CODE_SERVER" "${CS_ARGS[@]}" --bind-addr "127.0.0.1:$PORT" --auth none --disable-telemetry \
  --disable-update-check --disable-workspace-trust --disable-getting-started-override \
  >"$INST/server.log" 2>&1 &
PGID=$!
set +m
stop() {
  trap - INT TERM EXIT
  if kill -0 -- "-$PGID" 2>/dev/null; then
    echo
    echo "[vscode] stopping code-server"
    kill -TERM -- "-$PGID" 2>/dev/null || true
    for _ in $(seq 50); do kill -0 -- "-$PGID" 2>/dev/null || break; sleep 0.1; done
    kill -KILL -- "-$PGID" 2>/dev/null || true
  fi
}
trap 'stop; exit 130' INT TERM
trap stop EXIT

for i in $(seq 300); do
  node -e "require('http').get('http://127.0.0.1:$PORT/healthz', (r) => process.exit(r.statusCode === 200 ? 0 : 1)).on('error', () => process.exit(1))" && break
  if ! kill -0 "$PGID" 2>/dev/null || [ "$i" = 300 ]; then
    echo "[vscode] code-server did not start (port $PORT in use? try PORT=8081). Log $INST/server.log:"
    tail -20 "$INST/server.log"
    exit 1
  fi
  sleep 0.1
done

URL="http://127.0.0.1:$PORT/?folder=$(node -p 'encodeURIComponent(process.argv[1])' "$ROOT/demo")"
echo
echo "  MLOps Pipelines in VS Code (code-server $("$CS_NODE" "$CODE_SERVER" --version 2>/dev/null | grep -m1 -oE '^[0-9.]+'), extension from $(basename "$VSIX"))"
echo "  open:  $URL"
echo "  log:   $INST/server.log"
echo "  Ctrl+C to stop"
echo
wait "$PGID" || true

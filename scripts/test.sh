#!/usr/bin/env bash
# The whole test suite (`npm test`), installing its own test tools (Node 22/24 from the npm registry,
# code-server, Chromium) outside the repository:
#   build → typecheck → lint (typescript-eslint, prettier) → compile-tests → engine tests on this Node (Node 20: better-sqlite3) →
#   engine tests on Node 24 (node:sqlite, as in current VS Code) → store tests on Node 22.15.1 (VS Code
#   1.101, the oldest supported) → e2e tools setup → extension tests (Mocha in code-server 4.139's
#   extension host, Node 24) → package (.vsix) → UI end-to-end
# Stops at the first failing stage, then prints a summary of every stage and a final plain line
# "N passed, N failed" summing all stages.
#
#   bash scripts/test.sh                 everything
#   bash scripts/test.sh unit ext        only the named stages
#                                        (build typecheck lint compile unit unit24 store22 setup ext package ui)
#   SKIP_E2E=1 bash scripts/test.sh      skip the VS Code stages (setup, ext, package, ui): a quick local run
# Each stage's output is also written to test-output/logs/<stage>.log.
set -uo pipefail

cd "$(dirname "$0")/.."
ROOT=$PWD
LOGS=$ROOT/test-output/logs
mkdir -p "$LOGS"
export FORCE_COLOR=0 # plain output: parsable logs and readable CI transcripts

ALL_STAGES=(build typecheck lint compile unit unit24 store22 setup ext package ui)
E2E_STAGES=" setup ext package ui "
declare -A TITLE=(
  [build]="build (esbuild bundles)"
  [typecheck]="typecheck (tsc --noEmit)"
  [lint]="lint (typescript-eslint, prettier --check)"
  [compile]="compile tests (tsc)"
  [unit]="engine tests (node --test, this Node)"
  [unit24]="engine tests on Node 24 (node:sqlite)"
  [store22]="store and model tests on Node 22.15.1"
  [setup]="e2e tools setup"
  [ext]="extension tests (VS Code extension host)"
  [package]="package (.vsix)"
  [ui]="UI end-to-end (Playwright)"
)
if (($#)); then
  for s in "$@"; do [[ -v TITLE[$s] ]] || { echo "unknown stage '$s' (stages: ${ALL_STAGES[*]})"; exit 2; }; done
  STAGES=("$@")
else
  STAGES=("${ALL_STAGES[@]}")
fi

now() { date +%s.%N; }
secs() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.1f", b - a }'; }
T0=$(now)
declare -A STATUS=() PASSED=() FAILED=() TIME=() NOTE=()
TOTAL_PASSED=0
TOTAL_FAILED=0

loud_skip_banner() {
  local msg="### SKIP_E2E=1: the VS Code stages (extension tests, .vsix, UI end-to-end) are NOT run ###"
  local bar=${msg//?/#}
  printf '\n%s\n%s\n%s\n\n' "$bar" "$msg" "$bar"
}
[ -n "${SKIP_E2E:-}" ] && loud_skip_banner

# --- stage bodies: output goes to the terminal and to the stage log --------------------------------
stage_build() { npm run --silent build; }
stage_typecheck() { npm run --silent typecheck; }
stage_lint() { npm run --silent lint; }
stage_compile() { npm run --silent compile-tests; }
# The Nodes of the VS Code lines we test on, installed on first use (scripts/node-setup.sh). The
# cross-driver store test finds them here, to put a better-sqlite3 and a node:sqlite process on one store.
test_nodes() {
  local n24 n22
  n24=$(bash scripts/node-setup.sh 24) && n22=$(bash scripts/node-setup.sh 22) || return 1
  export MLOPS_TEST_NODES="$n24:$n22:$(command -v node)"
}
# run_engine_tests NODE DIR... : every compiled test file under the folders, on that Node (Node 22+
# take files or globs, not folders).
run_engine_tests() {
  local node=$1 files
  shift
  mapfile -t files < <(find "$@" -name '*.test.js' 2>/dev/null | sort)
  if ((${#files[@]} == 0)); then
    echo "no compiled tests under $*: nothing compiled?"
    return 1
  fi
  # Files in parallel, one more than the cores: many tests wait on child processes (the CLI, servers),
  # and node --test's default (cores − 1) ran them one at a time on 2 cores (216–338 s → ~120 s).
  local parallel=$(($(nproc) + 1))
  echo "$("$node" --version): node --test ${#files[@]} files under $*, $parallel at a time"
  "$node" --test --test-concurrency="$parallel" --test-reporter=spec --test-reporter-destination=stdout "${files[@]}"
}
stage_unit() { test_nodes && run_engine_tests node out/test/core out/test/cli out/test/views; }
stage_unit24() { test_nodes && run_engine_tests "$(bash scripts/node-setup.sh 24)" out/test/core out/test/cli out/test/views; }
# Node 22.15.1 is VS Code 1.101's: the store on its node:sqlite (no setReturnArrays, no isTransaction,
# the timeout option ignored) and training on the wasm backend, as in that editor.
stage_store22() { test_nodes && run_engine_tests "$(bash scripts/node-setup.sh 22)" out/test/core/store out/test/core/registry out/test/core/model; }
stage_setup() { bash scripts/e2e-setup.sh; }
# The extension suite proves the extension host never needs better-sqlite3 only where it cannot load
# it: the repository's copy is built for this Node (20), code-server's extension host runs Node 24.
stage_ext() {
  local host_node
  host_node=$(cat "${MLOPS_E2E_HOME:-$HOME/.cache/mlops-pipelines-e2e}/cs-node") || return 1
  if "$host_node" -e "new (require('./node_modules/better-sqlite3'))(':memory:')" 2>/dev/null; then
    echo "better-sqlite3 loads on the extension host's Node ($host_node): the suite would not show that the extension runs without it"
    return 1
  fi
  echo "better-sqlite3 does not load on the extension host's Node $("$host_node" --version): the suite runs without it"
  node test/vscode/run-extension-tests.js
}
stage_package() {
  rm -f dist/mlops-pipelines.vsix
  npm run --silent package || return 1
  [ -f dist/mlops-pipelines.vsix ] || { echo "npm run package wrote no dist/mlops-pipelines.vsix"; return 1; }
  python3 - dist/mlops-pipelines.vsix <<'EOF'
import sys, zipfile
path = sys.argv[1]
with zipfile.ZipFile(path) as z:
    infos = [i for i in z.infolist() if not i.is_dir()]
names = [i.filename for i in infos]
import os
size = os.path.getsize(path)
print(f"{path}: {size / 1024:.0f} KiB, {len(names)} files")
for i in infos:
    print(f"  {i.file_size:>10}  {i.filename}")
problems = []
# The extension host (Electron's Node) and the CLI it spawns use node:sqlite: a native module would be
# built for one Node ABI and fail to load in the others. onnxruntime-node's binding is N-API (ABI-stable).
NAPI = "extension/node_modules/onnxruntime-node/bin/napi-v6/linux/x64/"
native = [n for n in names if n.endswith(".node") and not n.startswith(NAPI)]
if native:
    problems.append(f"native modules in the package (the extension must need none): {native}")
if not any(n.startswith(NAPI) and n.endswith(".node") for n in names):
    problems.append("onnxruntime-node's linux-x64 binding is missing: ONNX models could not be served")
for bad in (".map", ".ts"):
    hits = [n for n in names if n.endswith(bad) and not n.endswith(".d.ts")]
    if hits:
        problems.append(f"unexpected {bad} files in the package: {hits[:5]}")
for p in problems:
    print("PACKAGE PROBLEM: " + p)
sys.exit(1 if problems else 0)
EOF
  [ $? -eq 0 ] || return 1
  # The packaged onnxruntime-node, as installed from the .vsix, loads on VS Code's Node (24).
  local unpacked
  unpacked=$(mktemp -d) && python3 -m zipfile -e dist/mlops-pipelines.vsix "$unpacked" || return 1
  "$(bash scripts/node-setup.sh 24)" -e "
    const ort = require(process.argv[1] + '/extension/node_modules/onnxruntime-node');
    console.log('packaged onnxruntime-node ' + ort.env.versions.node + ' loads on Node ' + process.versions.node);" "$unpacked"
  local loaded=$?
  rm -rf "$unpacked"
  return $loaded
}
stage_ui() { node test/e2e/ui.test.js; }

# counts from a stage log: node --test's "ℹ pass N / ℹ fail N", else the last "N passed, N failed" line
parse_counts() {
  local log=$1 p f
  p=$(grep -aE '^ℹ pass [0-9]+' "$log" | tail -1 | awk '{print $3}')
  f=$(grep -aE '^ℹ fail [0-9]+' "$log" | tail -1 | awk '{print $3}')
  if [ -z "$p" ]; then
    local line
    line=$(grep -aE '^[0-9]+ passed, [0-9]+ failed$' "$log" | tail -1)
    if [ -n "$line" ]; then p=${line%% passed*}; f=${line#*, }; f=${f%% failed*}; fi
  fi
  echo "${p:-} ${f:-}"
}

run_stage() {
  local s=$1 log=$LOGS/$1.log t rc counts p f
  echo
  echo "=== stage: ${TITLE[$s]} ==="
  t=$(now)
  "stage_$s" 2>&1 | tee "$log"
  rc=${PIPESTATUS[0]}
  TIME[$s]=$(secs "$t" "$(now)")
  read -r p f <<<"$(parse_counts "$log")"
  if [ -n "$p" ]; then
    PASSED[$s]=$p FAILED[$s]=${f:-0}
    TOTAL_PASSED=$((TOTAL_PASSED + p)); TOTAL_FAILED=$((TOTAL_FAILED + ${f:-0}))
  fi
  if ((rc == 0)); then
    STATUS[$s]=ok
  else
    STATUS[$s]=FAILED
    # a failing stage always counts at least one failure, even when it reports no test counts
    if [ -z "$p" ] || [ "${f:-0}" = 0 ]; then FAILED[$s]=$(( ${FAILED[$s]:-0} + 1 )); TOTAL_FAILED=$((TOTAL_FAILED + 1)); fi
  fi
  echo "=== stage ${TITLE[$s]}: ${STATUS[$s]} in ${TIME[$s]}s (exit code $rc, log test-output/logs/$s.log) ==="
  return "$rc"
}

FAILED_STAGE=
for s in "${STAGES[@]}"; do
  if [ -n "${SKIP_E2E:-}" ] && [[ $E2E_STAGES == *" $s "* ]]; then
    STATUS[$s]="SKIPPED (SKIP_E2E=1)"
    continue
  fi
  if ! run_stage "$s"; then
    FAILED_STAGE=$s
    break
  fi
done

echo
echo "=== summary ==="
for s in "${STAGES[@]}"; do
  st=${STATUS[$s]:-not run}
  counts=
  [ -n "${PASSED[$s]:-}${FAILED[$s]:-}" ] && counts="${PASSED[$s]:-0} passed, ${FAILED[$s]:-0} failed"
  printf '  %-44s %-22s %8s  %s\n' "${TITLE[$s]}" "$st" "${TIME[$s]:+${TIME[$s]}s}" "$counts"
done
echo "  total time $(secs "$T0" "$(now)")s"
[ -n "${SKIP_E2E:-}" ] && loud_skip_banner
if [ -n "$FAILED_STAGE" ]; then
  echo "FAILED at stage: ${TITLE[$FAILED_STAGE]} (log: test-output/logs/$FAILED_STAGE.log)"
fi
echo "$TOTAL_PASSED passed, $TOTAL_FAILED failed"
[ -z "$FAILED_STAGE" ]

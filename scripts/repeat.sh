#!/usr/bin/env bash
# Runs test suites again and again, to show they wait for events and never for time:
#   bash scripts/repeat.sh 20 serving ui      the serving engine tests and the UI end-to-end, 20 times each
# Suites: serving (out/test/core/serve, out/test/cli/serve.test.js), ui (test/e2e/ui.test.js),
# ext (the extension tests), or any compiled test file. Build and compile first (npm test does).
# Prints one line per run and a summary; exit code 1 when any run failed. Logs: test-output/repeat/.
set -uo pipefail
cd "$(dirname "$0")/.."
(($# >= 2)) || { echo "usage: bash scripts/repeat.sh N SUITE..." >&2; exit 2; }
runs=$1
shift
out=test-output/repeat
mkdir -p "$out"

suite_command() {
  case $1 in
    serving) echo "node --test $(find out/test/core/serve -name '*.test.js' | sort | tr '\n' ' ') out/test/cli/serve.test.js" ;;
    ui) echo "node test/e2e/ui.test.js" ;;
    ext) echo "node test/vscode/run-extension-tests.js" ;;
    *) [ -f "$1" ] && echo "node --test $1" || { echo "unknown suite $1" >&2; return 2; } ;;
  esac
}

failed=0
for suite in "$@"; do
  command=$(suite_command "$suite") || exit 2
  fails=0
  for i in $(seq "$runs"); do
    log="$out/$(basename "$suite" .js)-$i.log"
    start=$(date +%s)
    if bash -c "$command" >"$log" 2>&1; then
      result=ok
    else
      result=FAILED
      fails=$((fails + 1))
      # The next run clears the suites' failure artifacts (screenshots, logs): keep this run's.
      for kept in test-output/e2e test-output/vscode; do [ -d "$kept" ] && cp -r "$kept" "$out/$(basename "$suite" .js)-$i-$(basename "$kept")"; done
    fi
    line="$suite run $i/$runs: $result in $(($(date +%s) - start)) s"
    [ "$result" = FAILED ] && line+=" (log $log)"
    echo "$line"
  done
  echo "== $suite: $((runs - fails)) of $runs runs passed"
  failed=$((failed + fails))
done
echo "$(( runs * $# - failed )) passed, $failed failed"
((failed == 0))

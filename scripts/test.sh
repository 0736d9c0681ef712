#!/usr/bin/env bash
# The whole test suite in one command (CI runs it through .ci/run). Four layers, cheapest first:
#   native   cargo test of every target: engine, manifest, kubectl, labs, the CLI. Browser crates
#            are wasm32-only dependencies, so this never compiles Yew.
#   browser  wasm-bindgen-test in headless Chromium: the real Yew app mounted and driven via the DOM.
#   build    the release site into dist/ with its size report, then the single-file handout.
#   e2e      Playwright drives Debian's Chromium against dist/ over HTTP and the handout over file://.
# A failing layer does not stop the independent ones, so one run shows every failure; e2e needs
# the build and is skipped without it. Exits non-zero if anything failed.
set -euo pipefail
SUITE_START=$EPOCHREALTIME
source "$(dirname "${BASH_SOURCE[0]}")/setup.sh" # installs what is missing; leaves us in the repo root
SETUP_DONE=$EPOCHREALTIME

# Layers run inside `if`, where bash ignores `set -e`: each one checks its own steps.

native() {
  # Library, binaries and tests/, but not benches/: the benchmark's unoptimised run would spend
  # about a minute here and prove nothing (scripts/budgets.sh runs it optimised). Doctests get
  # their own run. --no-fail-fast: one run reports every failing test binary, not just the first.
  local ok=0
  cargo test --lib --bins --tests --no-fail-fast || ok=1
  cargo test --doc --no-fail-fast || ok=1
  return "$ok"
}

browser() {
  # Only the test files gated to wasm32 are meant for the browser; compiling the native-only ones
  # for wasm32 would cost time and could fail on APIs the browser lacks.
  local files tests=()
  files=$(grep -l '^#!\[cfg(target_arch = "wasm32")\]' tests/*.rs) || {
    echo "no wasm32 test files in tests/"; return 1
  }
  for f in $files; do tests+=(--test "$(basename "$f" .rs)"); done
  # The runner starts Chromium through chromedriver (headless, no sandbox: fine as root).
  CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER=wasm-bindgen-test-runner \
  CHROMEDRIVER=/usr/bin/chromedriver \
    cargo test --target wasm32-unknown-unknown --no-fail-fast "${tests[@]}"
}

build() {
  bash scripts/build.sh && node scripts/handout.mjs
}

e2e() {
  # TAP ends with node's own "# pass N / # fail N" lines. One file at a time: two Chromiums on a
  # 2-core machine only slow each other down.
  node --test --test-reporter=tap --test-concurrency=1 tests/e2e/*.test.mjs
}

since() { awk -v a="$1" -v b="${2:-$EPOCHREALTIME}" 'BEGIN { printf "%.1f", b - a }'; } # start [end]

SUMMARY=("$(printf '  %-8s %-7s %6s s' setup done "$(since "$SUITE_START" "$SETUP_DONE")")")
PASSED=()
FAILED=0
run() { # layer [needs-layer]
  local layer=$1 needs=${2:-} start status
  if [ -n "$needs" ] && [[ " ${PASSED[*]-} " != *" $needs "* ]]; then
    SUMMARY+=("$(printf '  %-8s skipped (needs %s)' "$layer" "$needs")")
    return
  fi
  printf '\n\033[1m=== %s ===\033[0m\n' "$layer"
  start=$EPOCHREALTIME
  if "$layer"; then status=passed; PASSED+=("$layer"); else status=FAILED; FAILED=1; fi
  SUMMARY+=("$(printf '  %-8s %-7s %6s s' "$layer" "$status" "$(since "$start")")")
}

run native
run browser
run build
run e2e build

printf '\n\033[1m=== summary ===\033[0m\n'
printf '%s\n' "${SUMMARY[@]}"
printf '  total %s s; screenshots in target/screenshots/\n' "$(since "$SUITE_START")"
if [ "$FAILED" = 0 ]; then
  printf '\033[1;32mAll test layers passed.\033[0m\n'
else
  printf '\033[1;31mSome test layers FAILED (see above).\033[0m\n'
  exit 1
fi

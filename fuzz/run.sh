#!/usr/bin/env bash
# Runs one fuzz target for a while, politely (nice 19, one job, one worker):
#   fuzz/run.sh manifest|interpreter|share|lab [SECONDS]   (default 600)
# The corpus grows in fuzz/corpus/TARGET (not committed), seeded from fuzz/seeds/TARGET
# (committed); crashes land in fuzz/artifacts/TARGET. Needs `cargo install cargo-fuzz` and the
# nightly toolchain. CARGO_TARGET_DIR is honoured (default fuzz/target).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")"
target=${1:?usage: fuzz/run.sh TARGET [SECONDS]}
seconds=${2:-600}
case $target in
  manifest) max_len=16384 ;;
  interpreter) max_len=8192 ;;
  share) max_len=16384 ;;
  lab) max_len=16384 ;;
  *) echo "unknown target $target" >&2; exit 2 ;;
esac
mkdir -p "corpus/$target"
args=(--target-dir "${CARGO_TARGET_DIR:-target}")
exec nice -n 19 cargo +nightly fuzz run "${args[@]}" "$target" "corpus/$target" "seeds/$target" -- \
  -max_total_time="$seconds" -max_len="$max_len" -timeout=10 -rss_limit_mb=2048 \
  -jobs=1 -workers=1 -print_final_stats=1

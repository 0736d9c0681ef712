#!/usr/bin/env bash
# Builds the static site into dist/ (release, wasm-opt -Oz, relative URLs: it works from any
# sub-path or folder) and prints its size report. `node scripts/handout.mjs` then packs dist/
# into the single-file handout.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/setup.sh" # leaves us in the repository root

# Release, offline, public_url "./" and the tool versions all come from Trunk.toml.
trunk build
# trunk's loader is an inline <script>: move it to a file so the site runs under a
# Content-Security-Policy without 'unsafe-inline' (tests/e2e/csp.test.mjs).
node scripts/externalize-loader.mjs dist

# The report lists what a browser downloads. gzip -9 stands in for what a web server sends.
report() {
  local total_raw=0 total_gz=0 raw gz file
  printf '\nSize report (dist/):\n'
  printf '  %-6s %10s %10s  %s\n' kind raw gzip-9 file
  for kind in wasm js css html; do
    for file in dist/*."$kind"; do
      [ -e "$file" ] || continue
      raw=$(wc -c <"$file")
      gz=$(gzip -9 -c "$file" | wc -c)
      total_raw=$((total_raw + raw)); total_gz=$((total_gz + gz))
      printf '  %-6s %10d %10d  %s\n' "$kind" "$raw" "$gz" "${file#dist/}"
    done
  done
  printf '  %-6s %10d %10d  bytes\n' total "$total_raw" "$total_gz"
}
report

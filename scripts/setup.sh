#!/usr/bin/env bash
# Installs whatever this machine lacks to build, serve and test the app, from the package
# registries only (crates.io, npm, Debian). Tools already present at the right version are reused,
# so a second run takes seconds.
#
# serve.sh, build.sh and test.sh `source` this file, so the PATH it sets (cargo's bin and
# node_modules/.bin, where wasm-opt lives) carries over to them. It leaves the shell in the
# repository root. Safe to run on its own too: `scripts/setup.sh`.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

TRUNK_VERSION=0.21.14 # 0.22 needs a newer rustc than this machine's 1.95
# wasm-bindgen-cli must equal the wasm-bindgen crate in Cargo.lock exactly, otherwise trunk tries
# to download its own copy (which fails offline) and the test runner refuses the test binaries.
WASM_BINDGEN_VERSION=$(awk '/^name = "wasm-bindgen"$/{getline; gsub(/version = |"/, ""); print; exit}' Cargo.lock)

say() { printf '\033[1msetup:\033[0m %s\n' "$*" >&2; }
have_version() { command -v "$1" >/dev/null 2>&1 && "$1" --version 2>/dev/null | grep -qF "$2"; }

export PATH="$HOME/.cargo/bin:$PWD/node_modules/.bin:$PATH"

for tool in cargo rustup node npm; do
  command -v "$tool" >/dev/null || { say "$tool is missing; this machine should come with it"; exit 1; }
done

if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
  say "adding the wasm32 target"
  rustup target add wasm32-unknown-unknown
fi

# --quiet keeps the hundreds of "Compiling" lines out of CI logs; warnings and errors still show.
if ! have_version trunk "$TRUNK_VERSION"; then
  say "installing trunk $TRUNK_VERSION (about 6 minutes on 2 cores)"
  cargo install --quiet --locked trunk --version "$TRUNK_VERSION"
fi

if ! have_version wasm-bindgen "$WASM_BINDGEN_VERSION"; then
  say "installing wasm-bindgen-cli $WASM_BINDGEN_VERSION (about 2 minutes)"
  # Not --locked: its lock file once named a crate version the registry no longer serves.
  cargo install --quiet --force wasm-bindgen-cli --version "$WASM_BINDGEN_VERSION"
fi

if ! command -v chromium >/dev/null || ! command -v chromedriver >/dev/null; then
  say "installing Chromium and chromedriver from Debian (about 20 seconds)"
  SUDO=""; [ "$(id -u)" = 0 ] || SUDO=sudo
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq chromium chromium-driver >/dev/null
fi

# wasm-opt (npm binaryen; Debian's is too old for this rustc) and playwright-core (never
# `playwright`, which downloads browsers), pinned by package-lock.json.
if [ ! -x node_modules/.bin/wasm-opt ] || [ ! -d node_modules/playwright-core ] \
   || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  say "installing npm packages (wasm-opt, playwright-core)"
  npm ci --no-audit --no-fund --loglevel=error
fi

# trunk runs cargo with --offline, so every crate must already be in the local registry.
cargo fetch --locked --quiet

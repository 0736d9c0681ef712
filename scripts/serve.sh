#!/usr/bin/env bash
# Serves the app on this machine with trunk, rebuilding and reloading the page on every change.
# Usage: scripts/serve.sh [PORT]     (or PORT=9000 scripts/serve.sh; default 8080)
# Installs what is missing first, so this is also the one set-up command for a fresh machine.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/setup.sh" # leaves us in the repository root

PORT="${1:-${PORT:-8080}}"
URL="http://127.0.0.1:$PORT/"

printf '\n  StatefulSet Lab will be at \033[1m%s\033[0m\n' "$URL"
printf '  (the first build takes a minute or two; Ctrl-C stops the server)\n\n'
# Loopback only: this is a development server, not something to expose on a network.
# Its own output folder: trunk serve injects an auto-reload script, which must never end up in
# dist/ (the static site and the handout are made from dist/).
exec trunk serve --address 127.0.0.1 --port "$PORT" --dist target/serve-dist

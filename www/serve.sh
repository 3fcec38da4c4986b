#!/usr/bin/env bash
# One command on a fresh Debian-like machine with Rust: installs what is missing (www/tools.sh:
# wasm32 target, Trunk, wasm-bindgen CLI, wasm-opt — each skipped when present), builds the
# release web app into dist/ and serves it on http://127.0.0.1:8080/.
#   www/serve.sh                 PORT=9000 www/serve.sh        ADDRESS=0.0.0.0 www/serve.sh
# dist/ is self-contained: any static host can serve it instead (see README.md).
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=tools.sh
source www/tools.sh
flg_tools
PORT="${PORT:-8080}"
ADDRESS="${ADDRESS:-127.0.0.1}"
flg_log "building and serving on http://$ADDRESS:$PORT/ (Ctrl+C stops)"
# The page carries its own Content-Security-Policy; Trunk's nonce-based header would block the
# external loader, so it is off. Rebuilds when sources change (not on training checkpoints).
exec trunk serve --release --no-autoreload --disable-csp=true --address "$ADDRESS" --port "$PORT" \
    --ignore models/checkpoint --ignore tests

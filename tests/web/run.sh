#!/usr/bin/env bash
# The browser app's end-to-end tests in headless Debian Chromium (playwright-core): installs
# what is missing (www/tools.sh, chromium, playwright-core), builds the release app into
# dist/, serves it on 127.0.0.1 and runs tests/web/e2e.mjs on the CPU fallback and, where
# Chromium offers an adapter, on WebGPU.
#   tests/web/run.sh            the tests
#   tests/web/run.sh cpu        the CPU fallback only
#   tests/web/run.sh bench [N] [cpu|webgpu]   the benchmark instead: seconds per 1920×1080 frame
set -euo pipefail
cd "$(dirname "$0")/../.."
# shellcheck source=../../www/tools.sh
source www/tools.sh
flg_tools
flg_chromium
flg_need_node
# playwright-core, pinned (it downloads no browser); reinstalled only when the pin changes.
if ! (cd tests/web && node -e "const want = require('./package.json').dependencies['playwright-core'];
    process.exit(require('./node_modules/playwright-core/package.json').version === want ? 0 : 1)" 2>/dev/null); then
    (cd tests/web && npm ci --no-audit --no-fund --loglevel=error)
fi
trunk build --release
if [ "${1:-}" = bench ]; then
    exec node tests/web/bench.mjs "${2:-3}" "${3:-}"
fi
exec node tests/web/e2e.mjs "$@"

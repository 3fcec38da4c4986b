#!/usr/bin/env bash
# The native benchmark: one table of seconds, peak memory and GMAC per 1920×1080 and
# 3840×2160 frame on the CPU, next to the seed network (onnxruntime) run in the same
# invocation, then a 100-frame batch through the CLI. Sets up a Python venv with the seed
# runner's pinned packages (PyPI) on first use. Arguments go to `fill-line-gaps bench`
# (e.g. --runs 9, --backend wgpu, --batch-frames 0).
#   tests/bench/run.sh [BENCH OPTIONS]
# The browser's figures come from tests/web/run.sh bench.
set -euo pipefail
cd "$(dirname "$0")/../.."
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/fill-line-gaps/target}"
SEED=../shared/anchors/seed-model
VENV="$HOME/.cache/fill-line-gaps/seed-venv"
if [[ -f "$SEED/bench.py" ]] && ! "$VENV/bin/python" -c 'import onnxruntime, onnx, numpy' 2>/dev/null; then
    python3 -m venv "$VENV"
    "$VENV/bin/pip" install -q onnx==1.23.2 onnxruntime==1.32.0 numpy
fi
cargo build --release --locked --bin fill-line-gaps
exec "$CARGO_TARGET_DIR/release/fill-line-gaps" bench \
    --seed-runner "$SEED/bench.py" --python "$VENV/bin/python" "$@"

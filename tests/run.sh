#!/usr/bin/env bash
# The whole test suite on a fresh Debian/Ubuntu-like machine with Rust: unit and integration
# tests of the engine, CLI and trainer, the CLI's wgpu backend on Mesa's software Vulkan
# (lavapipe, installed when missing; no GPU needed), the shipped model's scores on the dev
# set, on the stroked-character sheets and on the icon sheets (each prepared once by its
# tests/eval script), then
# the browser app end to end in headless Chromium (tests/web/run.sh, which installs its tools
# once); last, the benchmarks print their figures (speed is measured there, never asserted in
# a test). Builds go to a target directory outside the clone, so a warm machine rebuilds only
# what changed.
set -euo pipefail
cd "$(dirname "$0")/.."
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/fill-line-gaps/target}"
if [[ ! -f /usr/share/vulkan/icd.d/lvp_icd.x86_64.json && ! -f /usr/share/vulkan/icd.d/lvp_icd.aarch64.json ]]; then
    SUDO=""; [[ $EUID -ne 0 ]] && SUDO="sudo"
    $SUDO apt-get install -y -qq mesa-vulkan-drivers >/dev/null 2>&1 \
        || { $SUDO apt-get update -qq && $SUDO apt-get install -y -qq mesa-vulkan-drivers >/dev/null; }
fi
DEV_SET="$HOME/.cache/fill-line-gaps/eval/tuxpaint"
HANZI_SET="$HOME/.cache/fill-line-gaps/eval/hanzi"
HANZI_SMALL_SET="$HOME/.cache/fill-line-gaps/eval/hanzi-small"
ICON_SET="$HOME/.cache/fill-line-gaps/eval/icons"
bash tests/eval/prepare.sh "$DEV_SET"
bash tests/eval/prepare_hanzi.sh "$HANZI_SET"
PART=small bash tests/eval/prepare_hanzi.sh "$HANZI_SMALL_SET"
bash tests/eval/prepare_icon_check.sh "$ICON_SET"
FILL_LINE_GAPS_DEV_SET="$DEV_SET" FILL_LINE_GAPS_HANZI_SET="$HANZI_SET" \
    FILL_LINE_GAPS_HANZI_SMALL_SET="$HANZI_SMALL_SET" FILL_LINE_GAPS_ICON_SET="$ICON_SET" \
    FILL_LINE_GAPS_REQUIRE_WGPU=1 \
    cargo test --release --locked -- --include-ignored
bash tests/web/run.sh
echo "== benchmarks (figures, not pass/fail) =="
bash tests/bench/run.sh --runs 3 --batch-frames 10
node tests/web/bench.mjs 1 cpu

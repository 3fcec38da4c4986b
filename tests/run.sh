#!/usr/bin/env bash
# The whole test suite on a fresh Debian/Ubuntu-like machine with Rust: unit and integration
# tests of the engine, CLI and trainer. Builds go to a target directory outside the clone, so
# a warm machine rebuilds only what changed.
set -euo pipefail
cd "$(dirname "$0")/.."
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/fill-line-gaps/target}"
cargo test --release --locked

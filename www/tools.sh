# shellcheck shell=bash
# The web app's build tools, pinned and installed once: the wasm32 target, Trunk, the
# wasm-bindgen CLI matching Cargo.lock, and binaryen's wasm-opt from npm. Sourced by
# www/serve.sh and tests/web/run.sh; `flg_tools` installs what is missing (skipping what is
# present) and puts the tools on PATH. Nothing is downloaded except from the package
# registries (crates.io, npm, Debian); Trunk itself runs offline.
#
# Tools live in $FLG_CACHE/tools (default ~/.cache/fill-line-gaps/tools), outside the clone.

FLG_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
FLG_CACHE="${FLG_CACHE:-$HOME/.cache/fill-line-gaps}"
FLG_TOOLS="$FLG_CACHE/tools"
FLG_TRUNK_VERSION=0.22.1
# Trunk 0.22.1 needs a newer rustc than the crate; only its install uses this toolchain.
FLG_TRUNK_TOOLCHAIN=1.96.1
FLG_BINARYEN_VERSION=132
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$FLG_CACHE/target}"

flg_log() { printf '\033[1m[tools]\033[0m %s\n' "$*" >&2; }

# Runs a command as root (directly, or through sudo when available).
flg_root() {
    if [ "$(id -u)" = 0 ]; then "$@"
    elif command -v sudo >/dev/null; then sudo "$@"
    else flg_log "need root for: $*"; return 1
    fi
}

# The wasm-bindgen version Cargo.lock pins; the CLI must match it exactly.
flg_wasm_bindgen_version() {
    awk '/^name = "wasm-bindgen"$/ { getline; gsub(/version = |"/, ""); print; exit }' "$FLG_ROOT/Cargo.lock"
}

flg_path_prepend() {
    case ":$PATH:" in *":$1:"*) ;; *) export PATH="$1:$PATH" ;; esac
}

flg_need_rust() {
    if ! command -v cargo >/dev/null || ! command -v rustup >/dev/null; then
        flg_log "Rust (rustup and cargo) is required: see https://rustup.rs"
        return 1
    fi
}

flg_need_node() {
    if command -v node >/dev/null && command -v npm >/dev/null; then return 0; fi
    flg_log "installing Node.js and npm (Debian packages)"
    flg_root apt-get update -qq && flg_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nodejs npm
}

flg_wasm_target() {
    if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
        flg_log "adding the wasm32-unknown-unknown target"
        rustup target add wasm32-unknown-unknown
    fi
}

flg_trunk() {
    local root="$FLG_TOOLS/trunk-$FLG_TRUNK_VERSION"
    flg_path_prepend "$root/bin"
    if trunk --version 2>/dev/null | grep -qF " $FLG_TRUNK_VERSION"; then return 0; fi
    flg_log "installing trunk $FLG_TRUNK_VERSION with Rust $FLG_TRUNK_TOOLCHAIN (takes 10-25 minutes, once)"
    rustup toolchain list | grep -q "^$FLG_TRUNK_TOOLCHAIN" || rustup toolchain install "$FLG_TRUNK_TOOLCHAIN" --profile minimal
    nice -n 5 cargo "+$FLG_TRUNK_TOOLCHAIN" install trunk --version "$FLG_TRUNK_VERSION" --locked --root "$root"
}

flg_wasm_bindgen() {
    local version root
    version="$(flg_wasm_bindgen_version)"
    root="$FLG_TOOLS/wasm-bindgen-$version"
    flg_path_prepend "$root/bin"
    if wasm-bindgen --version 2>/dev/null | grep -qF " $version"; then return 0; fi
    flg_log "installing wasm-bindgen-cli $version"
    nice -n 5 cargo install wasm-bindgen-cli --version "$version" --root "$root"
}

flg_wasm_opt() {
    local prefix="$FLG_TOOLS/binaryen-$FLG_BINARYEN_VERSION"
    flg_path_prepend "$prefix/node_modules/.bin"
    if wasm-opt --version 2>/dev/null | grep -qF "version $FLG_BINARYEN_VERSION"; then return 0; fi
    flg_need_node
    flg_log "installing binaryen $FLG_BINARYEN_VERSION (wasm-opt) from npm"
    mkdir -p "$prefix"
    npm install --prefix "$prefix" --no-audit --no-fund --loglevel=error "binaryen@$FLG_BINARYEN_VERSION"
}

# Everything `trunk build --release` needs.
flg_tools() {
    flg_need_rust
    flg_wasm_target
    flg_wasm_bindgen
    flg_wasm_opt
    flg_trunk
    # Trunk builds offline, so the web app's crates must be in the cache first; a native
    # build or test alone does not fetch the wasm32-only ones.
    cargo fetch --locked --quiet --manifest-path "$FLG_ROOT/Cargo.toml" --target wasm32-unknown-unknown
    # Trunk.toml pins the version for a plain `trunk build`; Cargo.lock is the truth.
    TRUNK_TOOLS_WASM_BINDGEN="$(flg_wasm_bindgen_version)"
    export TRUNK_TOOLS_WASM_BINDGEN
    if ! grep -qF "wasm_bindgen = \"$TRUNK_TOOLS_WASM_BINDGEN\"" "$FLG_ROOT/Trunk.toml"; then
        flg_log "note: Trunk.toml's [tools] wasm_bindgen differs from Cargo.lock ($TRUNK_TOOLS_WASM_BINDGEN); update it"
    fi
}

# Headless Chromium for the browser tests: Debian's, never a downloaded one.
flg_chromium() {
    if command -v chromium >/dev/null; then return 0; fi
    flg_log "installing chromium (Debian package)"
    flg_root apt-get update -qq && flg_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium chromium-driver
}

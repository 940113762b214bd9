#!/usr/bin/env bash
# Installs what building (and, with `test`, testing) needs. Safe to run again: each step
# checks first. Everything comes from crates.io, npm or Debian; nothing at run time.
#
#   ./setup.sh build   wasm32 target, Trunk, wasm-bindgen-cli, npm packages (wasm-opt, terser)
#   ./setup.sh test    the same, plus Debian's Chromium for the browser tests
set -euo pipefail
cd "$(dirname "$0")"
mode=${1:-build}
export PATH="$HOME/.cargo/bin:$PATH"

say() { printf 'setup: %s\n' "$*"; }

TRUNK_VERSION=0.21.14
BINDGEN_VERSION=$(awk '/^name = "wasm-bindgen"$/ { getline; gsub(/"/, "", $3); print $3; exit }' Cargo.lock)

if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
  say "adding the wasm32-unknown-unknown target"
  rustup target add wasm32-unknown-unknown
fi

if [ "$(trunk --version 2>/dev/null)" != "trunk $TRUNK_VERSION" ]; then
  say "installing Trunk $TRUNK_VERSION (about 10 minutes, once)"
  cargo install --locked "trunk@$TRUNK_VERSION"
fi

if [ "$(wasm-bindgen --version 2>/dev/null | cut -d' ' -f2)" != "$BINDGEN_VERSION" ]; then
  say "installing wasm-bindgen-cli $BINDGEN_VERSION (the version Cargo.lock pins)"
  cargo install wasm-bindgen-cli --version "$BINDGEN_VERSION"
fi

if [ ! -x node_modules/.bin/wasm-opt ] || [ ! -x node_modules/.bin/terser ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  say "installing npm packages (binaryen's wasm-opt, terser, playwright-core)"
  npm ci --no-audit --no-fund
fi

if [ "$mode" = test ] && ! command -v chromium >/dev/null; then
  say "installing Debian's Chromium for the browser tests"
  sudo_cmd=""
  [ "$(id -u)" -eq 0 ] || sudo_cmd="sudo"
  $sudo_cmd apt-get install -y --no-install-recommends chromium chromium-driver ||
    { $sudo_cmd apt-get update && $sudo_cmd apt-get install -y --no-install-recommends chromium chromium-driver; }
fi
say "ready ($mode)"

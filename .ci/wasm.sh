#!/usr/bin/env bash
# The WebAssembly binding's CI, on a fresh machine or a warm one: installs
# what is missing (the wasm32 target, wasm-bindgen-cli of the exact version
# in Cargo.lock, the npm tools of bindings-wasm/package-lock.json), replays
# the shared vectors and the API tests in Node (wasm-bindgen-test), builds
# the npm package with wasm-opt -Oz and prints its gzipped size, runs the
# built package once in Node, runs bindings-wasm/README.md's main example
# (ts-check/readme.mjs), type-checks a TypeScript file against the
# generated declarations, and runs the example page (examples/web) end to
# end in headless Chromium (Debian's package, installed when missing).
# Run from anywhere: `.ci/wasm.sh`.
set -euo pipefail
cd "$(dirname "$0")/.."
root="$PWD"

started=$SECONDS
step() { printf '\n==> %s (%ss)\n' "$*" "$((SECONDS - started))"; }

step "wasm32 target"
if command -v rustup >/dev/null 2>&1; then
  rustup target list --installed | grep -q '^wasm32-unknown-unknown$' \
    || rustup target add wasm32-unknown-unknown
fi

step "wasm-bindgen-cli"
# the version of the wasm-bindgen crate in Cargo.lock (pinned with `=` in
# bindings-wasm/Cargo.toml): the CLI must be exactly this one
want="$(awk '/^name = "wasm-bindgen"$/ { getline; gsub(/version = |"/, ""); print; exit }' Cargo.lock)"
[ -n "$want" ] || { echo "wasm.sh: no wasm-bindgen in Cargo.lock" >&2; exit 1; }
have="$(wasm-bindgen --version 2>/dev/null | awk '{ print $2 }' || true)"
if [ "$have" = "$want" ]; then
  echo "wasm-bindgen $have already installed"
else
  echo "installing wasm-bindgen-cli $want (found: ${have:-none}); several minutes cold"
  # not --locked: a dependency version locked by the CLI is gone from the
  # registry (shared/TOOLCHAIN.md)
  cargo install wasm-bindgen-cli --version "$want" --force
fi
wasm-bindgen --version

step "npm tools (typescript, binaryen, playwright-core)"
(
  cd bindings-wasm
  stamp=node_modules/.minqing-lock.sha256
  sum="$(sha256sum package-lock.json | awk '{ print $1 }')"
  if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$sum" ]; then
    echo "node_modules matches package-lock.json"
  else
    npm ci --no-audit --no-fund
    echo "$sum" > "$stamp"
  fi
)

step "wasm-bindgen tests in Node (shared vectors, API)"
CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER=wasm-bindgen-test-runner \
  cargo test -p minqing-wasm --target wasm32-unknown-unknown --locked

step "npm package (wasm-opt -Oz, size)"
bindings-wasm/build.sh

step "the built package in Node"
node bindings-wasm/ts-check/smoke.mjs

step "the README's example against the built package"
node bindings-wasm/ts-check/readme.mjs

step "TypeScript declarations (tsc --noEmit)"
(
  cd bindings-wasm
  node_modules/.bin/tsc --noEmit -p ts-check/tsconfig.web.json
  node_modules/.bin/tsc --noEmit -p ts-check/tsconfig.node.json
)

step "example page in headless Chromium (examples/web/e2e.mjs)"
# Debian's chromium, and a Chinese font so that the screenshots read
missing=()
[ -x /usr/bin/chromium ] || [ -n "${CHROMIUM:-}" ] || missing+=(chromium)
fc-list :lang=zh 2>/dev/null | grep -q . || missing+=(fonts-wqy-zenhei)
if [ "${#missing[@]}" -gt 0 ]; then
  echo "installing ${missing[*]} from Debian (about a minute)"
  sudo=""
  [ "$(id -u)" = 0 ] || sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}" >/dev/null
fi
node examples/web/e2e.mjs

printf '\nwasm CI passed in %ss (from %s)\n' "$((SECONDS - started))" "$root"

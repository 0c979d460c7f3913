#!/usr/bin/env bash
# Builds the npm package `minqing` into bindings-wasm/pkg/ (gitignored):
#
#   pkg/web/   wasm-bindgen --target web: an ES module for browsers and
#              bundlers; `await init()` once (it fetches minqing_bg.wasm next
#              to the module), or `initSync({ module })`.
#   pkg/node/  wasm-bindgen --target experimental-nodejs-module: an ES
#              module for Node that instantiates the wasm on import.
#   pkg/package.json picks one by the `node` export condition.
#
# Each .wasm is shrunk with `wasm-opt -Oz` (binaryen from npm, node_modules)
# and the raw, optimised and gzipped sizes are printed.
#
# Needs: the wasm32-unknown-unknown target, `wasm-bindgen` of the version in
# Cargo.lock, and `npm ci` done here (.ci/wasm.sh sees to all three).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/.." && pwd)"
cd "$here"

wasm_opt="$here/node_modules/.bin/wasm-opt"
[ -x "$wasm_opt" ] || { echo "build.sh: $wasm_opt is missing: run \`npm ci\` in bindings-wasm/" >&2; exit 1; }
command -v wasm-bindgen >/dev/null || { echo "build.sh: wasm-bindgen is not installed (see .ci/wasm.sh)" >&2; exit 1; }

version="$(sed -n 's/^version = "\(.*\)"/\1/p' "$root/Cargo.toml" | head -n1)"

# --locked: the wasm-bindgen crate must stay the version the CLI was installed for.
# The size settings are given here rather than in the workspace's release
# profile, so that native release builds keep theirs.
CARGO_PROFILE_RELEASE_OPT_LEVEL=z \
CARGO_PROFILE_RELEASE_LTO=true \
CARGO_PROFILE_RELEASE_CODEGEN_UNITS=1 \
CARGO_PROFILE_RELEASE_DEBUG=0 \
cargo build -p minqing-wasm --lib --target wasm32-unknown-unknown --release --locked
target_dir="$(cargo metadata --format-version 1 --no-deps | node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>console.log(JSON.parse(s).target_directory))')"
raw="$target_dir/wasm32-unknown-unknown/release/minqing_wasm.wasm"

rm -rf pkg
mkdir -p pkg
for flavour in web node; do
  case "$flavour" in
    web) target=web ;;
    node) target=experimental-nodejs-module ;;
  esac
  out="pkg/$flavour"
  wasm-bindgen "$raw" --out-dir "$out" --out-name minqing --target "$target"
  # wasm-opt in place; the features are read from the module itself
  "$wasm_opt" -Oz --strip-debug --strip-producers "$out/minqing_bg.wasm" -o "$out/minqing_bg.wasm"
  # the MinqingError class lives in a wasm-bindgen snippet (js/error.js);
  # the entry re-exports it from wherever wasm-bindgen put it
  error_js="$(cd "$out" && find snippets -name error.js -path '*/js/error.js' | head -n1)"
  [ -n "$error_js" ] || { echo "build.sh: the error.js snippet is missing from $out" >&2; exit 1; }
  sed "s|@ERROR_JS@|./$error_js|" "npm/index.$flavour.js" > "$out/index.js"
  cp "npm/index.$flavour.d.ts" "$out/index.d.ts"
done
node -e '
  const fs = require("fs");
  const p = JSON.parse(fs.readFileSync("npm/package.json", "utf8"));
  p.version = process.argv[1];
  fs.writeFileSync("pkg/package.json", JSON.stringify(p, null, 2) + "\n");
' "$version"
cp README.md pkg/README.md

# sizes: the wasm-bindgen output before wasm-opt, after it, and gzipped
wasm-bindgen "$raw" --out-dir "$here/target-size" --out-name minqing --target web >/dev/null
before=$(wc -c < "$here/target-size/minqing_bg.wasm")
rm -rf "$here/target-size"
after=$(wc -c < pkg/web/minqing_bg.wasm)
gz=$(gzip -9 -c pkg/web/minqing_bg.wasm | wc -c)
printf 'minqing_bg.wasm: %s bytes from wasm-bindgen, %s bytes after wasm-opt -Oz, %s bytes gzipped (-9); budget 409600 gzipped\n' \
  "$before" "$after" "$gz"
if [ "$gz" -gt 409600 ]; then
  echo "build.sh: over the 400 KB gzipped budget" >&2
  exit 1
fi

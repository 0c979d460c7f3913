#!/usr/bin/env bash
# Opens the example page: builds the binding when pkg/ is missing (or with
# --build), copies its browser build next to the page (examples/web/pkg,
# gitignored) and serves the folder on http://127.0.0.1:${PORT:-8000}/.
#   examples/web/serve.sh            # then open http://127.0.0.1:8000/
#   examples/web/serve.sh --build    # rebuild the binding first
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
if [ "${1:-}" = "--build" ] || [ ! -f "$root/bindings-wasm/pkg/web/index.js" ]; then
  [ -d "$root/bindings-wasm/node_modules" ] || (cd "$root/bindings-wasm" && npm ci --no-audit --no-fund)
  "$root/bindings-wasm/build.sh"
fi
rm -rf "$here/pkg"
cp -r "$root/bindings-wasm/pkg/web" "$here/pkg"
port="${PORT:-8000}"
echo "minqing example: http://127.0.0.1:$port/"
exec python3 -m http.server --bind 127.0.0.1 --directory "$here" "$port"

// Serves examples/web on 127.0.0.1 (a free port) with Node's http module,
// /pkg/ mapped onto bindings-wasm/pkg/web (built by bindings-wasm/build.sh);
// used by e2e.mjs and bench.mjs.
import { createReadStream, existsSync, statSync } from "node:fs";
import http from "node:http";
import path from "node:path";
import { fileURLToPath } from "node:url";

export const here = path.dirname(fileURLToPath(import.meta.url));
export const root = path.resolve(here, "../..");
export const pkgWeb = path.join(root, "bindings-wasm/pkg/web");

const TYPES = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".mjs": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".json": "application/json; charset=utf-8",
  ".wasm": "application/wasm",
};

/** Starts the server; resolves to `{ server, origin }`. */
export async function serveExample() {
  if (!existsSync(path.join(pkgWeb, "index.js"))) {
    throw new Error("bindings-wasm/pkg/web is missing: run bindings-wasm/build.sh first");
  }
  const server = http.createServer((req, res) => {
    const url = new URL(req.url, "http://127.0.0.1");
    let rel = decodeURIComponent(url.pathname);
    if (rel === "/") rel = "/index.html";
    const base = rel.startsWith("/pkg/") ? pkgWeb : here;
    const file = path.join(base, rel.startsWith("/pkg/") ? rel.slice(5) : rel.slice(1));
    if (!file.startsWith(base) || !existsSync(file) || !statSync(file).isFile()) {
      res.writeHead(404).end("not found");
      return;
    }
    res.writeHead(200, { "content-type": TYPES[path.extname(file)] ?? "application/octet-stream" });
    createReadStream(file).pipe(res);
  });
  await new Promise((ok) => server.listen(0, "127.0.0.1", ok));
  return { server, origin: `http://127.0.0.1:${server.address().port}` };
}

/** The Chromium flags of a headless run on this kind of machine. */
export const CHROMIUM_ARGS = [
  "--no-sandbox",
  "--disable-gpu",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--no-first-run",
  "--disable-quic",
];

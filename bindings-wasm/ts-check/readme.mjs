// Runs the main JavaScript example of bindings-wasm/README.md (the ```js
// block after the `<!-- tested by ts-check/readme.mjs -->` marker) against
// the built Node package: the block is written to a temporary folder whose
// node_modules/minqing links to pkg/, so that `from "minqing"` resolves
// through the package's exports as it would for a user. Fails when the
// example throws. `node ts-check/readme.mjs` after build.sh.
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

const here = path.dirname(fileURLToPath(import.meta.url));
const crate = path.join(here, "..");
const pkg = path.join(crate, "pkg");
if (!existsSync(path.join(pkg, "package.json"))) {
  console.error("readme: bindings-wasm/pkg is missing: run build.sh first");
  process.exit(1);
}
const readme = readFileSync(path.join(crate, "README.md"), "utf8");
const marker = "<!-- tested by ts-check/readme.mjs -->";
const at = readme.indexOf(marker);
if (at < 0) throw new Error(`readme: no ${marker} in README.md`);
const block = /```js\n([\s\S]*?)```/.exec(readme.slice(at));
if (!block) throw new Error("readme: no ```js block after the marker");

const dir = mkdtempSync(path.join(os.tmpdir(), "minqing-readme-"));
try {
  mkdirSync(path.join(dir, "node_modules"));
  symlinkSync(pkg, path.join(dir, "node_modules", "minqing"), "dir");
  const file = path.join(dir, "example.mjs");
  writeFileSync(file, block[1]);
  const out = execFileSync(process.execPath, [file], { cwd: dir, encoding: "utf8" });
  process.stdout.write(out);
  console.log(`readme: the README's example ran (${block[1].split("\n").length} lines)`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}

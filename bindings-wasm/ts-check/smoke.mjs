// Runs the built Node package (pkg/, through its package.json exports) once:
// the entry loads, a call answers, and bad input throws a MinqingError.
// `node ts-check/smoke.mjs` after build.sh.
import assert from "node:assert/strict";
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";
import path from "node:path";

const here = path.dirname(fileURLToPath(import.meta.url));
const pkg = path.join(here, "..", "pkg");
const manifest = createRequire(import.meta.url)(path.join(pkg, "package.json"));
const entry = path.join(pkg, manifest.exports["."].node.default);
const m = await import(entry);

assert.equal(m.version(), manifest.version);
const doc = {
  schema: "minqing/1",
  units: [{ unit_id: "V1", kind: "village" }],
  households: [{ household_id: "H1", village_id: "V2", residency: "resident" }],
};
const problems = m.validateDataset(doc, "2024-06-30");
assert.equal(problems.length, 1);
assert.equal(problems[0].code, "household.unknown_village");
assert.equal(problems[0].location.field, "village_id");
assert.ok(problems[0].message.zh && problems[0].message.en);

for (const [input, code] of [
  ["{ not json", "json.syntax"],
  [{ units: [] }, "json.schema"],
  [{ schema: "minqing/1", units: 3 }, "json.shape"],
]) {
  assert.throws(
    () => m.validateDataset(input, "2024-06-30"),
    (e) =>
      e instanceof m.MinqingError &&
      e instanceof Error &&
      e.name === "MinqingError" &&
      e.code === code &&
      Array.isArray(e.problems) &&
      e.problems[0].code === code,
  );
}
// a request: appended, then a refused event throws the core's code
const raised = { type: "raised", household_id: "H1", cadre_id: "A", category: "dispute", channel: "walk_in", summary: "x" };
const { log, state } = m.applyRequestEvent(m.newRequestLog("R1"), "2024-05-06T09:00:00", raised);
assert.equal(state.stage, "raised");
assert.equal(log.events.length, 1);
assert.throws(
  () => m.applyRequestEvent(log, "2024-05-06T10:00:00", { type: "closed" }),
  (e) => e instanceof m.MinqingError && e.code === "request.bad_transition",
);
assert.equal(m.verifyRequestLog(log), null);
console.log(`smoke: ${manifest.name} ${manifest.version} (node) ok`);

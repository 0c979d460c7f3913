// The due-list benchmark in headless Chromium: serves examples/web, opens
// bench.html (one cadre, 6,661 households, 10,000 visits generated in the
// page by bench-data.js), waits for its result and prints it: (a) the
// morning screen read from a DuePlan (the figure for the 50 ms target) and
// (b) the whole list handed over (dueList, plan.toJSON()). Not a test:
// nothing is asserted about the times. Needs bindings-wasm/build.sh and
// `npm ci` in bindings-wasm/ (playwright-core), and /usr/bin/chromium.
//   node examples/web/bench.mjs [runs]     (default 30; CHROMIUM=/path)
import os from "node:os";
import path from "node:path";
import { createRequire } from "node:module";
import { CHROMIUM_ARGS, root, serveExample } from "./static-server.mjs";

const require = createRequire(path.join(root, "bindings-wasm/package.json"));
const { chromium } = require("playwright-core");

const runs = Number(process.argv[2] ?? 30);
const { server, origin } = await serveExample();
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium",
  headless: true,
  args: CHROMIUM_ARGS,
});
try {
  const page = await browser.newPage();
  page.on("pageerror", (e) => console.error(`page error: ${e}`));
  await page.goto(`${origin}/bench.html?runs=${runs}`);
  await page.waitForFunction(() => window.benchResult || window.benchError, null, { timeout: 300000 });
  const error = await page.evaluate(() => window.benchError);
  if (error) throw new Error(error);
  const r = await page.evaluate(() => window.benchResult);
  const ms = (x) => x.toFixed(1);
  console.log(`Chromium ${browser.version()}, ${os.cpus().length} CPUs (${os.cpus()[0]?.model ?? "?"}), load ${os.loadavg().map((x) => x.toFixed(1)).join(" ")}`);
  console.log(`data set: ${r.households} households, ${r.visits} visits, one cadre; ${(r.jsonBytes / 1e6).toFixed(2)} MB of JSON`);
  console.log(`init (fetch + compile the wasm): ${ms(r.initMs)} ms`);
  console.log(`new DuePlanner(doc) (read the data set once): ${ms(r.plannerMs)} ms`);
  console.log(`(a) the morning screen: planner.plan + counts() + households(0, 50) + each one's itemsOf (${r.screenShown.households} households, ${r.screenShown.items} items read) x${r.morning.runs}: median ${ms(r.morning.median)} ms, min ${ms(r.morning.min)} ms, max ${ms(r.morning.max)} ms`);
  console.log(`  planner.plan alone: median ${ms(r.planOnly.median)} ms, min ${ms(r.planOnly.min)} ms; the reads alone: median ${ms(r.reads.median)} ms, min ${ms(r.reads.min)} ms`);
  console.log(`(b) the whole list: plan.toJSON() x${r.toJSON.runs}: median ${ms(r.toJSON.median)} ms, min ${ms(r.toJSON.min)} ms (equal to dueList's: ${r.sameAsDueList})`);
  console.log(`planner.dueList x${r.planner.runs}: median ${ms(r.planner.median)} ms, min ${ms(r.planner.min)} ms, max ${ms(r.planner.max)} ms`);
  console.log(`  of which JSON.parse of the answer (${(r.answerBytes / 1e6).toFixed(1)} MB of JSON): median ${ms(r.parse.median)} ms, min ${ms(r.parse.min)} ms`);
  console.log(`dueList(jsonText, ...) x${r.oneShotText.runs} (reads the data set each call): median ${ms(r.oneShotText.median)} ms, min ${ms(r.oneShotText.min)} ms`);
  console.log(`validateVisit(visit, doc, today) x${r.validateVisit.runs}: median ${ms(r.validateVisit.median)} ms, min ${ms(r.validateVisit.min)} ms`);
  console.log(`new Validator(doc): ${ms(r.validatorMs)} ms; validator.visit(visit, today) x${r.validatorVisit.runs}00: median ${r.validatorVisit.median.toFixed(3)} ms, min ${r.validatorVisit.min.toFixed(3)} ms`);
  console.log(`list: ${r.items} items; lights red ${r.lights.red}, yellow ${r.lights.yellow}, green ${r.lights.green}`);
} finally {
  await browser.close();
  server.close();
}

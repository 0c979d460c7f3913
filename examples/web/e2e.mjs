// End-to-end test of the example page in headless Chromium (Debian's
// /usr/bin/chromium, driven by playwright-core from bindings-wasm's
// devDependencies). Serves the page on 127.0.0.1 with Node's http module
// (/pkg/ is bindings-wasm/pkg/web, built by bindings-wasm/build.sh), fills
// the forms with good and bad values, checks the messages in Chinese and
// English, appends request events and checks the timeline, and saves a
// screenshot to a temporary folder.
//   node examples/web/e2e.mjs        (CHROMIUM=/path overrides the browser)
import assert from "node:assert/strict";
import { mkdtempSync } from "node:fs";
import { createRequire } from "node:module";
import os from "node:os";
import path from "node:path";
import { CHROMIUM_ARGS, root, serveExample } from "./static-server.mjs";

const require = createRequire(path.join(root, "bindings-wasm/package.json"));
const { chromium } = require("playwright-core");

let served;
try {
  served = await serveExample();
} catch (e) {
  console.error(`e2e: ${e.message}`);
  process.exit(1);
}
const { server, origin } = served;

const executablePath = process.env.CHROMIUM ?? "/usr/bin/chromium";
const browser = await chromium.launch({
  executablePath,
  headless: true,
  args: CHROMIUM_ARGS,
});

const hasChinese = (s) => /[\u4e00-\u9fff]/.test(s);
let checks = 0;
const check = (cond, what) => {
  assert.ok(cond, what);
  checks += 1;
};

try {
  const page = await browser.newPage({ viewport: { width: 1360, height: 900 } });
  const errors = [];
  page.on("pageerror", (e) => errors.push(String(e)));
  page.on("console", (m) => m.type() === "error" && errors.push(m.text()));

  const started = Date.now();
  await page.goto(`${origin}/`);
  await page.waitForSelector("#app:not([hidden])", { timeout: 15000 });
  const loadMs = Date.now() - started;
  check((await page.textContent("#status")).includes("minqing"), "the status says ready");

  // ---- a cadre's morning: C01's households and their request lights
  let text;
  const rows = page.locator("#signals tbody tr");
  check((await rows.count()) === 4, "C01 covers four households");
  check((await page.locator("#signals .dot.red").count()) === 1, "one red light (the late proxy)");
  check((await page.locator("#signals .dot.yellow").count()) === 1, "one yellow light (the assigned request)");
  check(/\d+ \/ \d+/.test(await page.textContent("#compliance")), "the compliance summary shows met / required");

  // ---- the due list (a DuePlan from a DuePlanner) for the sample data on
  // 2024-06-30, worked out by hand from sample.json under four fixed, three
  // arrivals (yellow 3 days): H03 (resident, not visited in June) red and
  // overdue; H02 red for its overdue request (the late proxy); H01 and H04
  // (visited in the first half of June only) yellow, due today.
  const dueRows = page.locator("#due-households tbody tr");
  const lights = async () =>
    page.$$eval("#due-households tbody tr", (trs) => trs.map((tr) => `${tr.cells[1].textContent.split(" ")[0]}:${tr.querySelector(".dot").title}`).join(" "));
  check((await dueRows.count()) === 4, "C01's due list has four households");
  check((await lights()) === "H03:red H02:red H01:yellow H04:yellow", `C01's lights, worst first: ${await lights()}`);
  text = await dueRows.first().textContent();
  check(text.includes("2024-06-30") && text.includes("未达标") && hasChinese(text), `H03's reason in Chinese: ${text}`);
  check((await page.textContent("#due-counts")).includes("红灯 2 户"), "the counts say two red");
  // a household's items, read from the DuePlan when its button is pressed
  check((await page.locator("#due-households td.items ul").count()) === 0, "no household's items before a button is pressed");
  await dueRows.first().locator("td.items button").click();
  const h03Items = dueRows.first().locator("td.items li");
  await h03Items.first().waitFor();
  const h03Text = await dueRows.first().locator("td.items ul").textContent();
  check(h03Text.includes("2024-06-30") && (await h03Items.locator(".dot.red").count()) >= 1, `H03's items, a red one due 30 June: ${h03Text}`);
  check((await dueRows.first().locator("td.items button").textContent()).startsWith(`${await h03Items.count()} `), "the button counts H03's items");
  check((await lights()) === "H03:red H02:red H01:yellow H04:yellow", `the rows' lights stay with the items open: ${await lights()}`);
  check((await page.locator("#due-more button").count()) === 0, "four households fit on one page");
  await page.selectOption("#morning-cadre", "C03");
  await page.waitForFunction(() => document.querySelector("#due-households tbody tr td:nth-child(2)")?.textContent.startsWith("H09"));
  // C03: H12 visited on 16 June, next due 15 July: green; the others due today
  check((await lights()) === "H09:yellow H10:yellow H11:yellow H12:green", `C03's lights: ${await lights()}`);
  check((await page.locator("#due-households tbody tr").last().textContent()).includes("2024-07-15"), "H12 is next due by 15 July");
  await page.selectOption("#morning-cadre", "C01");
  await page.waitForFunction(() => document.querySelector("#due-households tbody tr td:nth-child(2)")?.textContent.startsWith("H03"));

  // ---- visit form: good values, then bad ones, in both languages
  const visitProblems = (field) => page.locator(`#visit-form .problems[data-for="${field}"] .problem`);
  check(await page.isVisible("#visit-ok"), "the sample visit has no problem");
  await page.fill("#v-household", "H99");
  await visitProblems("household_id").first().waitFor();
  text = await visitProblems("household_id").first().textContent();
  check(text.includes("visit.unknown_household") && hasChinese(text), `Chinese message at the household: ${text}`);
  check(await page.isDisabled("#visit-form button[type=submit]"), "a visit with an error cannot be recorded");
  await page.fill("#v-at", "2024-07-05T09:00:00");
  await visitProblems("at").first().waitFor();
  check((await visitProblems("at").first().textContent()).includes("visit.future_date"), "a future visit is refused at its date");
  await page.fill("#v-at", "昨天上午");
  await page.waitForFunction(() => document.querySelector('#visit-form .problems[data-for="at"]')?.textContent.includes("json.shape"));
  check(true, "an unreadable date is a shape problem at the field");

  await page.click("#lang");
  await page.waitForFunction(() => document.documentElement.lang === "en");
  text = await visitProblems("at").first().textContent();
  check(text.includes("json.shape") && !hasChinese(text), `English message at the date: ${text}`);
  await page.fill("#v-at", "2024-06-30T09:00:00");
  text = await visitProblems("household_id").first().textContent();
  check(/household/i.test(text) && !hasChinese(text), `English message at the household: ${text}`);
  await page.fill("#v-household", "H01");
  await page.waitForSelector("#visit-ok:not([hidden])");
  check((await page.locator("#visit-form .problem").count()) === 0, "good values: no problem left");
  const reasons = (await page.$$eval("#due-households tbody td:nth-child(5)", (tds) => tds.map((td) => td.textContent))).join(" | ");
  check(reasons.length > 0 && !hasChinese(reasons), `the due list's reasons are in English: ${reasons}`);
  await page.click("#visit-form button[type=submit]");
  check((await page.textContent("#status")).includes("Visit recorded"), "the visit is recorded");
  // H01 visited in person today: the second half of June is met, next due 15 July
  await page.waitForFunction(() => [...document.querySelectorAll("#due-households tbody tr")].some((tr) => tr.cells[1].textContent.startsWith("H01") && tr.querySelector(".dot.green")));
  check((await lights()) === "H03:red H02:red H04:yellow H01:green", `H01 turns green after the visit: ${await lights()}`);

  // ---- request intake
  const intakeProblems = (field) => page.locator(`#intake-form .problems[data-for="${field}"] .problem`);
  check(await page.isVisible("#intake-ok"), "the sample intake has no problem");
  await page.fill("#r-id", "R2024-001");
  await intakeProblems("request_id").first().waitFor();
  check((await intakeProblems("request_id").first().textContent()).includes("request.duplicate_id"), "a duplicate request ID is refused");
  await page.fill("#r-household", "H77");
  await intakeProblems("household_id").first().waitFor();
  text = await intakeProblems("household_id").first().textContent();
  check(text.includes("request.unknown_household") && !hasChinese(text), `English intake message: ${text}`);
  await page.click("#lang");
  await page.waitForFunction(() => document.documentElement.lang === "zh-CN");
  text = await intakeProblems("household_id").first().textContent();
  check(hasChinese(text), `Chinese intake message: ${text}`);
  await page.fill("#r-id", "R2024-005");
  await page.fill("#r-household", "H04");
  await page.waitForSelector("#intake-ok:not([hidden])");
  await page.click("#intake-form button[type=submit]");
  check((await page.inputValue("#t-request")) === "R2024-005", "the new request opens in the timeline");
  check((await page.locator("#t-events li").count()) === 1, "its timeline has the raised event");
  check((await page.inputValue("#r-id")) === "R2024-006", "the form offers a fresh ID");
  await page.waitForSelector("#intake-ok:not([hidden])");

  // ---- a request's timeline and its escalation
  await page.selectOption("#t-request", "R2024-001");
  const events = page.locator("#t-events li");
  const before = await events.count();
  await page.click("#check-escalations");
  await page.locator("#due li.due").first().waitFor();
  text = await page.textContent("#due");
  check(text.includes("上报"), `an escalation is due for the late proxy: ${text}`);
  await page.click("#due li.due button");
  await page.waitForFunction((n) => document.querySelectorAll("#t-events li").length === n + 1, before);
  check((await events.last().getAttribute("class")).includes("event-escalated"), "the escalation is appended");
  check((await page.textContent("#t-state")).includes("已上报"), "the state is escalated");

  // an event that does not fit is refused with the core's code
  await page.selectOption("#e-type", "closed");
  await page.click("#event-form button[type=submit]");
  await page.locator("#e-error .problem").waitFor();
  check((await page.textContent("#e-error")).includes("request.bad_transition"), "closing an escalated request is refused");
  check((await events.count()) === before + 1, "the refused event changes nothing");

  // a meeting assigns a handler and a deadline
  await page.selectOption("#e-type", "assigned");
  await page.fill('#e-fields [name="handler"]', "C02");
  await page.fill('#e-fields [name="deadline"]', "2024-07-05T18:00:00");
  await page.fill("#e-at", "2024-06-30T11:00:00");
  await page.click("#event-form button[type=submit]");
  await page.waitForFunction((n) => document.querySelectorAll("#t-events li").length === n + 2, before);
  check((await page.textContent("#t-state")).includes("已交办"), "the state is assigned");
  check((await page.textContent("#t-state")).includes("2024-07-05T18:00:00"), "with the new deadline");

  check(errors.length === 0, `no error in the page: ${errors.join("; ")}`);

  const dir = mkdtempSync(path.join(os.tmpdir(), "minqing-e2e-"));
  const shot = path.join(dir, "example-web.png");
  await page.screenshot({ path: shot, fullPage: true });
  await page.click("#lang");
  await page.waitForFunction(() => document.documentElement.lang === "en");
  const shotEn = path.join(dir, "example-web-en.png");
  await page.screenshot({ path: shotEn, fullPage: true });
  console.log(`e2e: ${checks} checks passed in ${browser.version()} (page ready in ${loadMs} ms); screenshots ${shot}, ${shotEn}`);
} finally {
  await browser.close();
  server.close();
}

// Writes sample.json, the small data set of the example page: one
// township, three villages, twelve households, three cadres, their
// assignments, duty, visits and four requests. The requests' logs are
// built through the binding (newRequestLog, applyRequestEvent), so that
// their hash chains are the core's. Run after bindings-wasm/build.sh:
//   node examples/web/make-sample.mjs
import { writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import path from "node:path";

const here = path.dirname(fileURLToPath(import.meta.url));
const m = await import(path.join(here, "../../bindings-wasm/pkg/node/index.js"));

const units = [
  { unit_id: "T1", kind: "township", name: "清水镇" },
  { unit_id: "V1", kind: "village", parent_id: "T1", name: "东坡村", population: 820 },
  { unit_id: "V2", kind: "village", parent_id: "T1", name: "河湾村", population: 640 },
  { unit_id: "V3", kind: "village", parent_id: "T1", name: "石桥村", population: 510 },
];
const hh = (id, v, residency, name, tags = []) => ({
  household_id: id,
  village_id: v,
  residency,
  name,
  ...(tags.length ? { tags } : {}),
  registered_on: "2023-01-01",
});
const households = [
  hh("H01", "V1", "resident", "张家", ["elderly_alone", "aged_70_plus"]),
  hh("H02", "V1", "away", "李家", ["migrant_worker"]),
  hh("H03", "V1", "resident", "王家", ["hardship"]),
  hh("H04", "V1", "resident", "赵家", ["contact_household"]),
  hh("H05", "V2", "resident", "刘家", ["dispute"]),
  hh("H06", "V2", "away", "陈家"),
  hh("H07", "V2", "resident", "杨家", ["disabled"]),
  hh("H08", "V2", "resident", "黄家", ["large_farm"]),
  hh("H09", "V3", "resident", "周家"),
  hh("H10", "V3", "resident", "吴家", ["low_income"]),
  hh("H11", "V3", "away", "徐家"),
  hh("H12", "V3", "resident", "孙家", ["party_member"]),
];
const cadres = [
  { cadre_id: "C01", name: "马晓燕", rank: "ordinary", unit_id: "T1", min_households: 2, max_households: 6 },
  { cadre_id: "C02", name: "郭建国", rank: "middle", unit_id: "T1", min_households: 2, max_households: 6 },
  { cadre_id: "C03", name: "何丽", rank: "village", unit_id: "V3", min_households: 2, max_households: 6 },
];
const owner = { V1: "C01", V2: "C02", V3: "C03" };
const assignments = households.map((h) => ({
  household_id: h.household_id,
  cadre_id: owner[h.village_id],
  from: "2024-01-01",
}));
const duty = [
  { cadre_id: "C01", status: "on_duty", from: "2024-06-30T08:00:00", to: "2024-06-30T12:00:00" },
  { cadre_id: "C01", status: "in_field", from: "2024-06-30T14:00:00", to: "2024-06-30T18:00:00" },
];
const visits = [];
const months = ["01", "02", "03", "04", "05", "06"];
households.forEach((h, i) => {
  const cadre = owner[h.village_id];
  months.forEach((mm, j) => {
    if ((i + j) % 4 === 3) return; // some months missed
    const mode = h.residency === "away" ? "phone" : "in_person";
    visits.push({ household_id: h.household_id, cadre_id: cadre, at: `2024-${mm}-${String(5 + i).padStart(2, "0")}T09:30:00`, mode, signed: mode === "in_person" });
  });
});

function request(id, steps) {
  let log = m.newRequestLog(id);
  for (const [at, event] of steps) log = m.applyRequestEvent(log, at, event).log;
  return log;
}
const cases = [
  // a proxy for an away household, late: red light, escalation due
  request("R2024-001", [
    ["2024-06-27T10:00:00", { type: "raised", household_id: "H02", cadre_id: "C01", category: "insurance", channel: "phone", summary: "代缴城乡居民医保" }],
    ["2024-06-27T10:05:00", { type: "triaged", track: "proxy", deadline: "2024-06-28T10:05:00" }],
    ["2024-06-27T15:00:00", { type: "proxy_started", measures: "已收材料" }],
  ]),
  // a joint request on time: yellow light
  request("R2024-002", [
    ["2024-06-20T09:00:00", { type: "raised", household_id: "H03", cadre_id: "C01", category: "infrastructure", channel: "visit", summary: "门前道路积水" }],
    ["2024-06-20T09:10:00", { type: "triaged", track: "joint" }],
    ["2024-06-20T09:20:00", { type: "escalated", to: "village_committees", reason: "beyond_power" }],
    ["2024-06-25T16:00:00", { type: "assigned", handler: "C02", deadline: "2024-07-10T18:00:00", meeting_on: "2024-06-25", measures: "村里安排疏通排水沟" }],
  ]),
  // handled on the spot and closed: green
  request("R2024-003", [
    ["2024-06-10T11:00:00", { type: "raised", household_id: "H01", cadre_id: "C01", category: "subsidy", channel: "visit", summary: "高龄补贴怎么申请" }],
    ["2024-06-10T11:01:00", { type: "triaged", track: "on_the_spot" }],
    ["2024-06-10T11:20:00", { type: "handled_on_spot", measures: "现场讲解并代填申请表" }],
    ["2024-06-12T09:00:00", { type: "feedback_given", satisfaction: "satisfied" }],
    ["2024-06-12T09:05:00", { type: "closed" }],
  ]),
  // a dispute in another village
  request("R2024-004", [
    ["2024-06-18T15:00:00", { type: "raised", household_id: "H05", cadre_id: "C02", category: "dispute", channel: "walk_in", summary: "宅基地边界纠纷" }],
    ["2024-06-18T15:10:00", { type: "triaged", track: "mediation", deadline: "2024-07-18T15:10:00" }],
  ]),
];

const doc = { schema: "minqing/1", units, households, cadres, duty, assignments, visits, cases };
const problems = m.validateDataset(doc, "2024-06-30");
if (problems.some((p) => p.severity === "error")) {
  console.error(problems);
  process.exit(1);
}
writeFileSync(path.join(here, "sample.json"), JSON.stringify(doc, null, 1) + "\n");
console.log(`sample.json: ${households.length} households, ${visits.length} visits, ${cases.length} requests; ${problems.length} warnings`);

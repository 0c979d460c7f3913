// Uses the whole JavaScript API with its declared types; compiled with
// `tsc --noEmit` against the generated declarations of both builds
// (tsconfig.web.json, tsconfig.node.json). Never run: it only has to
// type-check, and to fail to when the declarations change shape.
import {
  DuePlan,
  DuePlanner,
  MinqingError,
  Validator,
  applyRequestEvent,
  compliance,
  complianceSummary,
  dueList,
  policyPreset,
  stationPresence,
  coverage,
  escalationsDue,
  meetingsDue,
  newRequestLog,
  requestMetrics,
  requestSignals,
  requestState,
  statusAt,
  validateDataset,
  validateHousehold,
  validateRequestIntake,
  validateVisit,
  verifyRequestLog,
  version,
} from "minqing";
import type {
  AppliedEvent,
  ComplianceReport,
  DueCounts,
  DueItem,
  DueList,
  DueOptions,
  DueRules,
  HouseholdSignal,
  PresenceDue,
  Policy,
  PresenceReport,
  SignalLight,
  CaseOptions,
  ChainBreak,
  Code,
  ComplianceScope,
  ComplianceSummary,
  CoverageOptions,
  CoverageReport,
  DueEvent,
  DutyStatus,
  Household,
  Location,
  MeetingsDue,
  Metrics,
  MetricsQuery,
  MinqingDocument,
  Problem,
  RequestEvent,
  RequestIntake,
  RequestLight,
  RequestLog,
  RequestSignal,
  RequestState,
  Severity,
  Stage,
  ValidateOptions,
  Visit,
} from "minqing";

const doc: MinqingDocument = {
  schema: "minqing/1",
  units: [
    { unit_id: "T", kind: "township" },
    { unit_id: "V1", kind: "village", parent_id: "T", population: 480 },
  ],
  households: [
    { household_id: "H1", village_id: "V1", residency: "resident", tags: ["hardship", "beekeeper"] },
  ],
  cadres: [{ cadre_id: "A", name: "李某某", rank: "village", duties: ["liaison", "proxy"] }],
  teams: [{ team_id: "WS1", kind: "work_station", unit_id: "V1", leader: "A", members: ["A"] }],
  duty: [{ cadre_id: "A", status: "in_field", from: "2024-05-06T12:00:00" }],
  assignments: [{ household_id: "H1", cadre_id: "A", from: "2024-01-01" }],
  visits: [{ household_id: "H1", cadre_id: "A", at: "2024-05-06T09:30:00", mode: "phone", signed: true }],
};

const options: ValidateOptions = { minStationMembers: 3 };
const problems: Problem[] = validateDataset(doc, "2024-06-30", options);
const fromText: Problem[] = validateDataset(JSON.stringify(doc), "2024-06-30");

for (const p of [...problems, ...fromText]) {
  const code: Code = p.code;
  const severity: Severity = p.severity;
  const where: Location = p.location;
  const line: number | undefined = where.line;
  const field: string | undefined = where.field;
  const text: string = `${code} ${severity} ${field ?? ""} ${line ?? ""} ${p.message.zh} ${p.message.en}`;
  void text;
}

const household: Household = { household_id: "H2", village_id: "V1", residency: "away" };
const householdProblems: Problem[] = validateHousehold(household, doc, "2024-06-30");
const visit: Visit = { household_id: "H2", cadre_id: "A", at: "2024-06-01T10:00:00", mode: "in_person" };
const visitProblems: Problem[] = validateVisit(visit, JSON.stringify(doc), "2024-06-30");
void householdProblems;
void visitProblems;

const status: DutyStatus | null = statusAt(doc, "A", "2024-05-06T13:00:00");
const v: string = version();
void status;
void v;

try {
  validateDataset("{ not json", "2024-06-30");
} catch (e) {
  if (e instanceof MinqingError) {
    const code: Code = e.code;
    const all: Problem[] = e.problems;
    const asError: Error = e;
    void code;
    void all;
    void asError;
  }
}

// ---- coverage and compliance
const coverageOptions: CoverageOptions = { loadMin: 5, loadMax: 10, quotaTiers: [{ max_population: null, households: 12 }] };
const cov: CoverageReport = coverage(doc, "2024-06-30", coverageOptions);
const uncovered: string[] = cov.uncovered;
const firstVillageQuota: number | null | undefined = cov.villages[0]?.quota;
const covProblems: Problem[] = cov.problems;
void uncovered;
void firstVillageQuota;
void covProblems;
const scope: ComplianceScope = { cadreId: "A" };
const summary: ComplianceSummary = complianceSummary(doc, scope, "2024-01-01", "2024-06-30");
const rate: number | null = summary.rate;
const villageSummary: ComplianceSummary = complianceSummary(doc, { villageId: "V1" }, "2024-01-01", "2024-06-30");
void rate;
void villageSummary;
const signals: RequestSignal[] = requestSignals(doc, "A", "2024-06-30T08:00:00");
for (const s of signals) {
  const light: RequestLight = s.light;
  const why: string[] = s.reasons.map((r) => `${r.request_id} ${r.kind} ${r.deadline ?? ""} ${r.message.en}`);
  void light;
  void why;
}

// ---- requests
const intake: RequestIntake = {
  request_id: "R1",
  at: "2024-06-01T09:00:00",
  household_id: "H1",
  cadre_id: "A",
  category: "insurance",
  channel: "phone",
  summary: "医保缴费",
};
const intakeProblems: Problem[] = validateRequestIntake(intake, doc, "2024-06-30");
void intakeProblems;
const raised: RequestEvent = {
  type: "raised",
  household_id: intake.household_id,
  cadre_id: intake.cadre_id,
  category: intake.category,
  channel: intake.channel,
  summary: intake.summary,
};
let log: RequestLog = newRequestLog("R1");
const applied: AppliedEvent = applyRequestEvent(log, "2024-06-01T09:00:00", raised);
log = applied.log;
const triaged: RequestEvent = { type: "triaged", track: "proxy", deadline: "2024-06-02T09:00:00" };
log = applyRequestEvent(log, "2024-06-01T09:05:00", triaged).log;
const state: RequestState = requestState(log);
const stage: Stage = state.stage;
const deadline: string | null = state.deadline;
void stage;
void deadline;
try {
  applyRequestEvent(log, "2024-06-01T10:00:00", { type: "closed" });
} catch (e) {
  if (e instanceof MinqingError && e.code === "request.bad_transition") {
    // the log is unchanged
  }
}
const broken: ChainBreak | null = verifyRequestLog(log);
void broken;
const caseOptions: CaseOptions = { jointMeetingDay: 5 };
const due: DueEvent[] = escalationsDue(log, "2024-06-03T09:00:00", caseOptions);
for (const d of due) {
  log = applyRequestEvent(log, d.at, d.event).log;
}
const meetings: MeetingsDue = meetingsDue([log], "2024-06-04");
const agenda: string[] = meetings.joint_agenda;
void agenda;
const query: MetricsQuery = { from: "2024-01-01", to: "2024-06-30", cadreId: "A" };
const figures: Metrics = requestMetrics([log], "2024-06-30T23:59:59", query);
const resolved: number = figures.resolution.numerator;
const median: number | null = figures.days_to_close_median;
void resolved;
void median;

// @ts-expect-error: an event type the core does not know
const unknownEvent: RequestEvent = { type: "forgotten" };
void unknownEvent;
// @ts-expect-error: a metrics query field that does not exist (snake_case)
const badQuery: MetricsQuery = { cadre_id: "A" };
void badQuery;

// @ts-expect-error: a residency the core does not know
const wrong: Household = { household_id: "H3", village_id: "V1", residency: "moved" };
void wrong;
// @ts-expect-error: the document must name its schema
const noSchema: MinqingDocument = { units: [] };
void noSchema;

// policies, compliance, work-station presence, due lists
const policy: Policy = policyPreset("grid_one_plus_x", { hospitalisation_within_days: 5 });
policy.rules[0].min_contacts = 2;
const report: ComplianceReport = compliance(doc, policy, { start: "2024-01-01", end: "2024-06-30" }, { accountability: "first_day" });
const missedRule: string | undefined = report.missed[0]?.rule;
void missedRule;
const byPreset: ComplianceReport = compliance(doc, { preset: "contact_households", overrides: { min_visits: 2 } }, { start: "2024-01-01", end: "2024-06-30" });
void byPreset;
const presence: PresenceReport = stationPresence(doc, "WS1", { start: "2024-01-01", end: "2024-12-31" }, { min_days_per_year: 40 });
const held: boolean | undefined = presence.station_days[0]?.held;
void held;
const dueOptions: DueOptions = { policy: "contact_households", yellowDays: 5 };
const list: DueList = dueList(doc, "A", "2024-06-13", dueOptions);
const planner = new DuePlanner(doc);
const again: DueList = planner.dueList("A", "2024-06-14");
const light: SignalLight | undefined = again.households[0]?.light;
const why: string | undefined = list.households[0]?.reasons[0]?.message.zh;
const cadres: string[] = planner.cadres();
// the same list kept in wasm, read in parts
const plan: DuePlan = planner.plan("A", "2024-06-14", { yellowDays: 3 });
const counts: DueCounts = plan.counts();
const shown: HouseholdSignal[] = plan.households(0, 50);
const allItems: DueItem[] = plan.items();
const firstItems: DueItem[] = plan.itemsOf(shown[0]?.household_id ?? "H1");
const one: HouseholdSignal | undefined = plan.household("H1");
const stations: PresenceDue[] = plan.presence();
const rules: DueRules = plan.rules();
const whole: DueList = plan.toJSON();
const sizes: number = plan.length + plan.itemCount + counts.red;
// @ts-expect-error: length is read-only
plan.length = 3;
// @ts-expect-error: a household ID is a string
plan.itemsOf(3);
plan.free();
planner.free();
void [allItems, firstItems, one, stations, rules.policy_name, whole, sizes];
void light;
void why;
void cadres;
// @ts-expect-error: a preset the core does not have
policyPreset("weekly");
// @ts-expect-error: options are camelCase (yellowDays)
const badDue: DueOptions = { yellow_days: 2 };
void badDue;
// a form's records against a data set indexed once
const validator = new Validator(doc);
const asTyped: Problem[] = validator.visit({ household_id: "H1", cadre_id: "A", at: "2024-06-03T09:00:00", mode: "phone" }, "2024-06-30");
const typedHousehold: Problem[] = validator.household('{"household_id": "H2"}', "2024-06-30");
void asTyped;
void typedHousehold;

// Uses the whole JavaScript API with its declared types; compiled with
// `tsc --noEmit` against the generated declarations of both builds
// (tsconfig.web.json, tsconfig.node.json). Never run: it only has to
// type-check, and to fail to when the declarations change shape.
import {
  MinqingError,
  statusAt,
  validateDataset,
  validateHousehold,
  validateVisit,
  version,
} from "minqing";
import type {
  Code,
  DutyStatus,
  Household,
  Location,
  MinqingDocument,
  Problem,
  Severity,
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

// @ts-expect-error: a residency the core does not know
const wrong: Household = { household_id: "H3", village_id: "V1", residency: "moved" };
void wrong;
// @ts-expect-error: the document must name its schema
const noSchema: MinqingDocument = { units: [] };
void noSchema;

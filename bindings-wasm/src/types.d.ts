// TypeScript declarations of the records that cross the minqing binding.
// They describe the JSON the core reads and writes (shared/spec/formats.md):
// snake_case field names, dates as "YYYY-MM-DD", date-times as
// "YYYY-MM-DDTHH:MM:SS" in China Standard Time with no offset.
// `cargo test -p minqing-wasm` checks them against the core's serde output
// (src/declarations.rs), so that they cannot drift from the Rust types.

/** A calendar date, "YYYY-MM-DD". */
export type IsoDate = string;
/** A date-time without offset (China Standard Time), "YYYY-MM-DDTHH:MM:SS". */
export type IsoDateTime = string;

/** Kinds of unit of the administrative tree and of the grid overlay. */
export type UnitKind = "county" | "township" | "village" | "group" | "grid_piece" | "grid";

/** A unit: county, township, village, group, grid piece or grid. */
export interface Unit {
  unit_id: string;
  kind: UnitKind;
  parent_id?: string;
  name?: string;
  population?: number;
}

/** 常住户 (resident) or 外出户 (away). */
export type Residency = "resident" | "away";

/** The tags the seeds' rules use. */
export type KnownTag =
  | "elderly_alone"
  | "aged_70_plus"
  | "hardship"
  | "disabled"
  | "major_illness"
  | "dispute"
  | "migrant_worker"
  | "large_farm"
  | "party_member"
  | "representative"
  | "low_income"
  | "five_guarantees"
  | "petitioner"
  | "contact_household";

/** A household tag: a known tag or any other word (no `|`). */
export type Tag = KnownTag | (string & {});

/** A household (户). */
export interface Household {
  household_id: string;
  village_id: string;
  residency: Residency;
  tags?: Tag[];
  name?: string;
  phone?: string;
  members?: number;
  head_birth_date?: IsoDate;
  registered_on?: IsoDate;
}

/** A cadre's rank. */
export type Rank = "leader" | "middle" | "ordinary" | "village" | "dispatched";

/** The five duties of a contact cadre. */
export type Duty = "liaison" | "publicity" | "proxy" | "assistance" | "mediator";

/** A cadre (干部). `duties` left out means all five. */
export interface Cadre {
  cadre_id: string;
  name: string;
  phone?: string;
  rank?: Rank;
  unit_id?: string;
  min_households?: number;
  max_households?: number;
  duties?: Duty[];
}

/** Kinds of team. */
export type TeamKind = "work_team" | "work_station" | "grid_team";

/** A village work team, work station or grid team. */
export interface Team {
  team_id: string;
  kind: TeamKind;
  unit_id: string;
  leader: string;
  deputy?: string;
  members?: string[];
}

/** A cadre's duty status. */
export type DutyStatus = "on_duty" | "in_field" | "training" | "meeting" | "on_leave";

/** A span of duty status; `to` left out means still open. */
export interface DutySpan {
  cadre_id: string;
  status: DutyStatus;
  from: IsoDateTime;
  to?: IsoDateTime;
}

/** Who covers a household, from a day to a day (both inclusive). */
export interface Assignment {
  household_id: string;
  cadre_id: string;
  from: IsoDate;
  to?: IsoDate;
}

/** How a contact was made. */
export type Mode = "in_person" | "phone" | "video" | "at_station";

/** A visit or contact (走访 / 联系). */
export interface Visit {
  household_id: string;
  cadre_id: string;
  at: IsoDateTime;
  mode: Mode;
  signed?: boolean;
  note?: string;
}

/** The event kinds seed 000 names. */
export type KnownEventKind = "hospitalisation" | "wedding" | "funeral";

/** A household event's kind: a known kind or any other word. */
export type EventKind = KnownEventKind | (string & {});

/** A household event (家庭大事) on a day. */
export interface HouseholdEvent {
  household_id: string;
  date: IsoDate;
  kind: EventKind;
}

/** A whole data set as one JSON document (`"schema": "minqing/1"`). */
export interface MinqingDocument {
  schema: "minqing/1";
  units?: Unit[];
  households?: Household[];
  cadres?: Cadre[];
  teams?: Team[];
  duty?: DutySpan[];
  assignments?: Assignment[];
  visits?: Visit[];
  /** Request histories. Their record types are declared when the binding
   * exposes the request pipeline (issue 6); until then they pass through. */
  cases?: RequestLogJson[];
  /** Household events (hospitalisation, wedding, funeral…) that trigger a
   * visit (seed 000 part 5, 十必访). */
  events?: HouseholdEvent[];
}

/** A request's event log as the core serialises it: hash-chained entries. */
export interface RequestLogJson {
  request_id: string;
  events: Array<{
    request_id: string;
    seq: number;
    at: string;
    event: { type: string; [field: string]: unknown };
    prev_hash: string;
    hash: string;
  }>;
}

/** A data set: the document as an object, or its JSON text. */
export type DocumentInput = MinqingDocument | string;

/** A stable machine code of a problem; programs match on it. */
export type Code =
  | "input.not_utf8"
  | "input.bad_encoding"
  | "input.io"
  | "csv.empty"
  | "csv.missing_column"
  | "csv.duplicate_column"
  | "csv.unknown_column"
  | "csv.field_count"
  | "csv.syntax"
  | "csv.no_rows"
  | "field.empty"
  | "field.too_long"
  | "field.bad_id"
  | "field.bad_date"
  | "field.bad_datetime"
  | "field.bad_value"
  | "field.bad_number"
  | "field.bad_bool"
  | "json.syntax"
  | "json.shape"
  | "json.schema"
  | "input.missing_file"
  | "unit.duplicate_id"
  | "unit.unknown_parent"
  | "unit.cycle"
  | "unit.bad_nesting"
  | "household.duplicate_id"
  | "household.unknown_village"
  | "household.not_a_village"
  | "household.unknown_unit"
  | "household.future_registration"
  | "household.bad_birth_date"
  | "cadre.duplicate_id"
  | "cadre.unknown_unit"
  | "cadre.bad_load_bounds"
  | "team.duplicate_id"
  | "team.unknown_village"
  | "team.unknown_cadre"
  | "team.duplicate_member"
  | "team.too_few_members"
  | "duty.unknown_cadre"
  | "duty.bad_range"
  | "duty.overlap"
  | "assignment.unknown_household"
  | "assignment.unknown_cadre"
  | "assignment.bad_range"
  | "assignment.overlap"
  | "assignment.future"
  | "visit.unknown_household"
  | "visit.unknown_cadre"
  | "visit.future_date"
  | "visit.before_registration"
  | "visit.duplicate"
  | "request.duplicate_id"
  | "request.unknown_household"
  | "request.unknown_cadre"
  | "request.future_event"
  | "request.chain_broken"
  | "request.bad_transition"
  | "request.closed"
  | "request.not_raised"
  | "request.out_of_order"
  | "request.bad_deadline"
  | "request.bad_level"
  | "request.missing_deadline"
  | "request.missing_reason"
  | "request.wrong_log"
  | "coverage.uncovered"
  | "coverage.double"
  | "load.below_min"
  | "load.above_max"
  | "quota.contact_households"
  | "quota.no_population"
  | "event.unknown_household"
  | "event.future_date";

/** How bad a problem is. */
export type Severity = "warning" | "error";

/** Where a problem was found; every field is optional. */
export interface Location {
  /** The file, as the caller named it. */
  file?: string;
  /** 1-based line. */
  line?: number;
  /** 1-based column. */
  column?: number;
  /** The field: CSV column or JSON field name, e.g. "village_id". */
  field?: string;
  /** A JSON path, e.g. "households[3]". */
  path?: string;
  /** The record concerned, e.g. "household H1". */
  record?: string;
}

/** A message in Chinese and English. */
export interface Message {
  zh: string;
  en: string;
}

/** One problem found in the input. */
export interface Problem {
  code: Code;
  severity: Severity;
  location: Location;
  message: Message;
}

/** Options of `validateDataset`. */
export interface ValidateOptions {
  /** The fewest members a work station must have (default 3, seed 003). */
  minStationMembers?: number;
}

/**
 * What every function of the binding throws for input it cannot use (a
 * document that is not JSON, not a `minqing/1` document, a bad date): an
 * `Error` subclass with a stable `code` and every problem found.
 * Import it from the package (`import { MinqingError } from "minqing"`).
 */
export declare class MinqingError extends Error {
  readonly name: "MinqingError";
  /** The code of the first problem, e.g. "json.syntax". */
  readonly code: Code;
  /** Every problem found, at least one. */
  readonly problems: Problem[];
}

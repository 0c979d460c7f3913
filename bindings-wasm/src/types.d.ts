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
  /** Request histories: one hash-chained event log a request. */
  cases?: RequestLog[];
  /** Household events (hospitalisation, wedding, funeral…) that trigger a
   * visit (seed 000 part 5, 十必访). */
  events?: HouseholdEvent[];
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
  | "compliance.too_many_rules"
  | "compliance.min_contacts_too_large"
  | "compliance.no_assignments"
  | "synth.bad_options"
  | "window.reversed"
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

// ---- requests (诉求) -------------------------------------------------

/** What a request is about. */
export type Category =
  | "infrastructure"
  | "household_registration"
  | "insurance"
  | "subsidy"
  | "dispute"
  | "hardship"
  | "living_environment"
  | "petition"
  | "public_services"
  | "income"
  | "other";

/** How the request reached the cadre. */
export type Channel = "visit" | "phone" | "hotline" | "letter_box" | "walk_in";

/** A request, a problem or a suggestion. */
export type RequestKind = "request" | "problem" | "suggestion";

/** The way a request is handled. */
export type Track = "on_the_spot" | "proxy" | "joint" | "mediation";

/** A level of the escalation ladder, from the bottom up. */
export type Level = "cadre" | "work_team" | "village_committees" | "township" | "county";

/** Why a request went up the ladder. */
export type EscalationReason = "beyond_power" | "overdue" | "not_mediated";

/** How far a request was solved. */
export type Outcome = "full" | "partial";

/** What the household said at feedback. */
export type Satisfaction = "satisfied" | "basically_satisfied" | "not_satisfied";

/** A supervision task of the county's supervised ledger. */
export type SupervisionTask = "ask" | "inspect" | "dispatch";

/** Where a request stands. */
export type Stage =
  | "raised"
  | "open"
  | "escalated"
  | "assigned"
  | "resolved"
  | "rectifying"
  | "settled"
  | "closed";

/** The household raised a request (the first event of every log). */
export interface RaisedEvent {
  type: "raised";
  household_id: string;
  cadre_id: string;
  category: Category;
  kind?: RequestKind;
  channel: Channel;
  summary: string;
}

/** Put on a track, with the deadline in force. */
export interface TriagedEvent {
  type: "triaged";
  track: Track;
  deadline?: IsoDateTime;
}

/** Solved during the visit. */
export interface HandledOnSpotEvent {
  type: "handled_on_spot";
  measures?: string;
}

/** The cadre started carrying it for the household. */
export interface ProxyStartedEvent {
  type: "proxy_started";
  measures?: string;
}

/** Sent up the ladder. */
export interface EscalatedEvent {
  type: "escalated";
  to: Level;
  reason: EscalationReason;
  deadline?: IsoDateTime;
  note?: string;
}

/** A meeting named a handler and a deadline. */
export interface AssignedEvent {
  type: "assigned";
  handler: string;
  deadline: IsoDateTime;
  meeting_on?: IsoDate;
  measures?: string;
}

/** A dispute was mediated. */
export interface MediatedEvent {
  type: "mediated";
  measures?: string;
}

/** A dispute could not be mediated for now. */
export interface NotMediatedEvent {
  type: "not_mediated";
  reason: string;
}

/** Cannot be solved; the household was told why. */
export interface ExplainedEvent {
  type: "explained";
  reason: string;
}

/** Solved, fully or in part. */
export interface ResolvedEvent {
  type: "resolved";
  outcome: Outcome;
  measures?: string;
}

/** The result was told to the household and it answered. */
export interface FeedbackGivenEvent {
  type: "feedback_given";
  satisfaction: Satisfaction;
  /** Required when not satisfied. */
  rectify_by?: IsoDateTime;
  note?: string;
}

/** Opened again, with a reason. */
export interface ReopenedEvent {
  type: "reopened";
  reason: string;
  deadline?: IsoDateTime;
}

/** Closed and struck off (销号). */
export interface ClosedEvent {
  type: "closed";
}

/** Carried over to the next period's list. */
export interface CarriedOverEvent {
  type: "carried_over";
  period: string;
}

/** A supervision task of the county was done. */
export interface SupervisedEvent {
  type: "supervised";
  task: SupervisionTask;
  note?: string;
}

/** One thing that happened to a request, tagged by `type`. */
export type RequestEvent =
  | RaisedEvent
  | TriagedEvent
  | HandledOnSpotEvent
  | ProxyStartedEvent
  | EscalatedEvent
  | AssignedEvent
  | MediatedEvent
  | NotMediatedEvent
  | ExplainedEvent
  | ResolvedEvent
  | FeedbackGivenEvent
  | ReopenedEvent
  | ClosedEvent
  | CarriedOverEvent
  | SupervisedEvent;

/** One entry of a request's log: the event, its place and its hash chain. */
export interface RequestEntry {
  request_id: string;
  seq: number;
  at: IsoDateTime;
  event: RequestEvent;
  /** Hex SHA-256 of the entry before (zeros for the first). */
  prev_hash: string;
  /** Hex SHA-256 of this entry. */
  hash: string;
}

/** A request's append-only, hash-chained event log. */
export interface RequestLog {
  request_id: string;
  events: RequestEntry[];
}

/** When the county last did each supervision task. */
export interface SupervisionRecord {
  ask: IsoDateTime | null;
  inspect: IsoDateTime | null;
  dispatch: IsoDateTime | null;
}

/** A request's state: the fold of its events. */
export interface RequestState {
  request_id: string;
  household: string;
  cadre: string;
  category: Category;
  kind: RequestKind;
  channel: Channel;
  summary: string;
  raised_at: IsoDateTime;
  stage: Stage;
  track: Track | null;
  first_track: Track | null;
  level: Level;
  deadline: IsoDateTime | null;
  handler: string | null;
  measures: string;
  outcome: Outcome | null;
  explained: boolean;
  on_the_spot: boolean;
  proxy_started: boolean;
  mediated: boolean;
  mediation_failed: boolean;
  escalations: number;
  escalated_at: IsoDateTime | null;
  county_since: IsoDateTime | null;
  supervision: SupervisionRecord;
  first_concluded_at: IsoDateTime | null;
  concluded_on_time: boolean | null;
  concluded_at: IsoDateTime | null;
  feedback: Satisfaction | null;
  feedback_at: IsoDateTime | null;
  closed_at: IsoDateTime | null;
  reopened: number;
  carried_over: number;
  last_event_at: IsoDateTime;
  events: number;
}

/** What `applyRequestEvent` returns: the new log and its state. */
export interface AppliedEvent {
  log: RequestLog;
  state: RequestState;
}

/** How a hash chain is broken. */
export type BreakKind = "edited" | "removed" | "reordered" | "foreign";

/** Where a request log's hash chain breaks (`verifyRequestLog`). */
export interface ChainBreak {
  /** The 0-based index of the first entry found broken. */
  index: number;
  kind: BreakKind;
  message: Message;
}

/** An event due on a request: append it with `applyRequestEvent(log, due.at, due.event)`. */
export interface DueEvent {
  request_id: string;
  at: IsoDateTime;
  event: RequestEvent;
  because: Message;
}

/** What the next meetings take up, as of a day. */
export interface MeetingsDue {
  card_summary_due: IsoDate;
  joint_meeting: IsoDate;
  joint_agenda: string[];
  joint_missed: string[];
  analysis_meeting: IsoDate;
  analysis_agenda: string[];
  overdue: string[];
}

/** Options of `escalationsDue` and `meetingsDue`: the reporting cycle. */
export interface CaseOptions {
  /** Day of the month the contact cards are summed up (seed 002). */
  cardSummaryDay?: number;
  /** Day of the month of the joint meeting (seed 002). */
  jointMeetingDay?: number;
}

/** A rate as the counts behind it. */
export interface Rate {
  numerator: number;
  denominator: number;
}

/** The request pipeline's figures (`requestMetrics`). */
export interface Metrics {
  collected: number;
  resolution: Rate;
  partial: number;
  explained: number;
  on_time: Rate;
  on_the_spot: Rate;
  mediation: Rate;
  adoption: Rate;
  satisfaction: Rate;
  days_to_close_median: number | null;
  days_to_close_p90: number | null;
  carried_over: number;
  escalated: number;
  open: number;
  overdue: number;
  closed: number;
}

/** Which requests `requestMetrics` measures, and how it counts. */
export interface MetricsQuery {
  /** First day of the window (raised on or after). */
  from?: IsoDate;
  /** Last day of the window (raised on or before). */
  to?: IsoDate;
  cadreId?: string;
  category?: Category;
  householdIds?: string[];
  /** Default false. */
  explainedCountsAsResolved?: boolean;
  /** Default true. */
  partialCountsAsResolved?: boolean;
}

/** A new request as an intake form fills it in (`validateRequestIntake`). */
export interface RequestIntake {
  request_id: string;
  at: IsoDateTime;
  household_id: string;
  cadre_id: string;
  category: Category;
  kind?: RequestKind;
  channel: Channel;
  summary: string;
}

/** The colour of a household's request signal. */
export type RequestLight = "green" | "yellow" | "red";

/** Why the light has its colour. */
export type SignalReasonKind = "overdue" | "feedback_overdue" | "open";

/** One reason of a request signal. */
export interface SignalReason {
  request_id: string;
  kind: SignalReasonKind;
  deadline: IsoDateTime | null;
  message: Message;
}

/** A household's request-based signal light at an instant. */
export interface RequestSignal {
  household_id: string;
  light: RequestLight;
  /** Red ones first. */
  reasons: SignalReason[];
}

// ---- coverage and compliance -----------------------------------------

/** How many households a cadre may cover: `min..=max`. */
export interface LoadBounds {
  min: number;
  max: number;
}

/** A tier of the contact-household quota; `max_population: null` is the open top tier. */
export interface QuotaTier {
  max_population: number | null;
  households: number;
}

/** Options of `coverage`; the seeds' defaults where left out. */
export interface CoverageOptions {
  /** Default 60 (seed 001). */
  loadMin?: number;
  /** Default 70 (seed 001). */
  loadMax?: number;
  /** Default: seed 002's tiers. */
  quotaTiers?: QuotaTier[];
  /** Default false. */
  checkIdleCadres?: boolean;
}

/** Coverage of one village on the date. */
export interface VillageCoverage {
  village: string;
  name: string | null;
  population: number | null;
  households: number;
  resident: number;
  away: number;
  covered: number;
  uncovered: number;
  doubly_covered: number;
  contact_households: number;
  quota: number | null;
  cadres: number;
  min_load: number | null;
  max_load: number | null;
}

/** The load of one checked cadre on the date. */
export interface CadreLoad {
  cadre: string;
  households: number;
  bounds: LoadBounds;
  within: boolean;
}

/** A household covered by more than one cadre. */
export interface DoubleCover {
  household: string;
  cadres: string[];
}

/** What `coverage` returns. */
export interface CoverageReport {
  on: IsoDate;
  villages: VillageCoverage[];
  cadres: CadreLoad[];
  uncovered: string[];
  doubly_covered: DoubleCover[];
  problems: Problem[];
}

/** A window of days, both inclusive. */
export interface DateWindow {
  start: IsoDate;
  end: IsoDate;
}

/** Whose compliance `complianceSummary` reports: a cadre, a village, or `{}` for all. */
export type ComplianceScope = { cadreId: string } | { villageId: string } | Record<string, never>;

/** What `complianceSummary` returns (the four-fixed-three-arrivals preset). */
export interface ComplianceSummary {
  policy_name: string;
  window: DateWindow;
  cadre_id?: string;
  village_id?: string;
  /** Required household-periods. */
  required: number;
  /** Met household-periods. */
  met: number;
  /** `met / required`; null when nothing is required. */
  rate: number | null;
}

/** Period lengths of the calendar (ISO week, half month, month, ...). */
export type PeriodKind = "iso_week" | "half_month" | "month" | "quarter" | "half_year" | "year" | "span";

/** A period: its kind and first day (and, for a `span`, its last day). */
export interface Period {
  kind: PeriodKind;
  start: IsoDate;
  last?: IsoDate;
}

/** Which households a rule applies to; every condition optional. */
export interface Selector {
  residency?: Residency;
  /** Every one of these tags. */
  tags?: Tag[];
  villages?: string[];
  contact_household?: boolean;
  /** At least one of these tags. */
  any_tags?: Tag[];
}

/** A period rule: at least `min_contacts` qualifying contacts every period. */
export interface CadenceRule {
  name: string;
  selector: Selector;
  period: PeriodKind;
  min_contacts: number;
  modes: Mode[];
  signed_only?: boolean;
}

/** An event rule: a contact within `within_days` days after an event. */
export interface EventRule {
  name: string;
  selector: Selector;
  /** Empty: every kind. */
  kinds: EventKind[];
  within_days: number;
  min_contacts: number;
  modes: Mode[];
  signed_only?: boolean;
}

/** A named campaign round (遍访). */
export interface CampaignRound {
  name: string;
  window: DateWindow;
}

/** A round rule: a contact in every round. */
export interface RoundRule {
  name: string;
  selector: Selector;
  rounds: CampaignRound[];
  min_contacts: number;
  modes: Mode[];
  signed_only?: boolean;
}

/**
 * A visit policy (走访制度). When read, `selector`, `min_contacts` (1),
 * `modes` (all) and `kinds` (all) may be left out.
 */
export interface Policy {
  name: string;
  rules: CadenceRule[];
  event_rules?: EventRule[];
  round_rules?: RoundRule[];
}

/** The ready-made policies of `policyPreset`. */
export type PresetName =
  | "four_fixed_three_arrivals"
  | "contact_households"
  | "grid_one_plus_x"
  | "visit_all_rounds";

/** Parameters of the preset `four_fixed_three_arrivals` (四定三到). */
export interface FourFixedThreeArrivals {
  resident_period: PeriodKind;
  resident_min: number;
  resident_modes: Mode[];
  away_period: PeriodKind;
  away_min: number;
  away_modes: Mode[];
  signed_only: boolean;
}

/** Parameters of the preset `contact_households` (联系户). */
export interface ContactHouseholds {
  period: PeriodKind;
  min_visits: number;
  modes: Mode[];
  signed_only: boolean;
}

/** Parameters of the preset `grid_one_plus_x` (网格 1+X, 十必访). */
export interface GridOnePlusX {
  must_visit_tags: Tag[];
  resident_period: PeriodKind;
  resident_modes: Mode[];
  away_period: PeriodKind;
  away_modes: Mode[];
  contact_period: PeriodKind;
  contact_modes: Mode[];
  hospitalisation_within_days: number;
  wedding_funeral_within_days: number;
  event_modes: Mode[];
  signed_only: boolean;
}

/** Parameters of the preset `visit_all_rounds` (遍访). */
export interface VisitAllRounds {
  rounds: CampaignRound[];
  resident_modes: Mode[];
  include_away: boolean;
  away_modes: Mode[];
  min_contacts: number;
  signed_only: boolean;
}

/** Overrides of a preset's parameters (`policyPreset(name, overrides)`). */
export type PresetOverrides =
  | Partial<FourFixedThreeArrivals>
  | Partial<ContactHouseholds>
  | Partial<GridOnePlusX>
  | Partial<VisitAllRounds>;

/** A policy argument: a preset name, a preset with overrides, or a whole `Policy`. */
export type PolicyInput = PresetName | { preset: PresetName; overrides?: PresetOverrides } | Policy;

/** Who the per-cadre figures charge a period to. */
export type Accountability = "last_day" | "first_day";

/** Options of `compliance`. */
export interface ComplianceOptions {
  /** Default "last_day": the cadre assigned on the period's last day. */
  accountability?: Accountability;
}

/** One rule's figures in a `ComplianceReport`. */
export interface RuleCompliance {
  name: string;
  kind: "period" | "event" | "round";
  required: number;
  met: number;
}

/** One village's figures. */
export interface VillageCompliance {
  village_id: string;
  required: number;
  met: number;
}

/** One required household-period of a period rule. */
export interface PeriodOutcome {
  household_id: string;
  rule: string;
  start: IsoDate;
  end: IsoDate;
  met: boolean;
}

/** One missed household-period (未达标). */
export interface MissedPeriod {
  household_id: string;
  rule: string;
  start: IsoDate;
}

/** One requirement an event triggered. */
export interface TriggeredVisit {
  household_id: string;
  rule: string;
  kind: EventKind;
  event_date: IsoDate;
  due: IsoDate;
  met: boolean;
  met_on: IsoDate | null;
}

/** One household's requirement in one round. */
export interface RoundVisit {
  household_id: string;
  rule: string;
  round: string;
  met: boolean;
  met_on: IsoDate | null;
}

/** The coverage of one round (遍访覆盖). */
export interface RoundCoverage {
  rule: string;
  round: string;
  selected: number;
  visited: number;
  villages: VillageCompliance[];
}

/** One cadre's figures (`cadre_id` empty: periods with nobody assigned). */
export interface CadreCompliance {
  cadre_id: string;
  required: number;
  met: number;
}

/** What `compliance` returns. */
export interface ComplianceReport {
  policy_name: string;
  window: DateWindow;
  required: number;
  met: number;
  /** `met / required`; null when nothing is required. */
  rate: number | null;
  /** Period rules, then event rules, then round rules. */
  rules: RuleCompliance[];
  villages: VillageCompliance[];
  /** Every required household-period, by household ID, rule, period. */
  periods: PeriodOutcome[];
  missed: MissedPeriod[];
  triggered: TriggeredVisit[];
  round_visits: RoundVisit[];
  rounds: RoundCoverage[];
  cadres: CadreCompliance[];
  visits_counted: number;
  visits_outside_window: number;
}

/** Fixed station days of the month (逢五: 5, 15, 25). */
export interface StationDays {
  days: number[];
}

/** A work station's presence rule (每周至少下村1天，全年不少于52天, 逢五). */
export interface PresenceRule {
  modes: Mode[];
  week: PeriodKind;
  min_days_per_week: number;
  year: PeriodKind;
  min_days_per_year: number;
  station_days: StationDays;
}

/** Days of presence in one week or year, and whether they were enough. */
export interface PresencePeriod {
  start: IsoDate;
  end: IsoDate;
  days: number;
  met: boolean;
}

/** Whether a station day was held. */
export interface StationDayHeld {
  date: IsoDate;
  held: boolean;
}

/** What `stationPresence` returns. */
export interface PresenceReport {
  team_id: string;
  unit_id: string;
  days: IsoDate[];
  weeks: PresencePeriod[];
  years: PresencePeriod[];
  station_days: StationDayHeld[];
}

/** The due list's signal light (民情信号灯). */
export type SignalLight = "green" | "yellow" | "red";

/** Options of `dueList`. */
export interface DueOptions {
  /** Default "four_fixed_three_arrivals". */
  policy?: PolicyInput;
  /** Yellow when the deadline is at most this many days away (default 3). */
  yellowDays?: number;
  /** When in the day request signals are taken, "HH:MM:SS" (default "00:00:00"). */
  requestTime?: string;
  /** How many days back a household event can still be due (the core's default). */
  eventLookbackDays?: number;
  /** Work-station presence on the list: true for the seed's rule, or fields over it. */
  presence?: boolean | Partial<PresenceRule>;
}

/** What a due item comes from: a period rule, an event rule or a round rule. */
export type DueSource = "period" | "event" | "round";

/** The household event an event item answers. */
export interface DueItemEvent {
  kind: EventKind;
  date: IsoDate;
}

/** A work station's presence on a due list (its leader's or member's list). */
export interface PresenceDue {
  team_id: string;
  week: Period;
  days_this_week: number;
  days_last_week: number;
  min_days_per_week: number;
  year: Period;
  days_this_year: number;
  min_days_per_year: number;
  next_station_day: IsoDate | null;
  light: SignalLight;
}

/** One household's next requirement under one rule (应访事项). */
export interface DueItem {
  household_id: string;
  rule: string;
  rule_index: number;
  source: DueSource;
  period: Period;
  deadline: IsoDate;
  days_left: number;
  contacts_needed: number;
  contacts_made: number;
  missed_period: Period | null;
  last_contact: IsoDate | null;
  light: SignalLight;
  /** Event items: the event. */
  event?: DueItemEvent;
  /** Round items: the round's name. */
  round?: string;
}

/** Why a household's light has its colour. */
export type DueReasonKind =
  | "overdue"
  | "due_soon"
  | "request_overdue"
  | "request_feedback_overdue"
  | "request_open";

/** One reason of a household's light, in Chinese and English. */
export interface DueReason {
  kind: DueReasonKind;
  light: SignalLight;
  rule_index?: number;
  source?: DueSource;
  request_id?: string;
  deadline?: IsoDate;
  message: Message;
}

/** A household's light on a due list. */
export interface HouseholdSignal {
  household_id: string;
  light: SignalLight;
  deadline: IsoDate | null;
  items: number;
  reasons: DueReason[];
}

/** What `dueList` returns: a cadre's due list for a day. */
export interface DueList {
  cadre_id: string;
  today: IsoDate;
  policy_name: string;
  rules: CadenceRule[];
  event_rules?: EventRule[];
  round_rules?: RoundRule[];
  /** Overdue first, then by deadline, household ID, rule. */
  items: DueItem[];
  /** Red, yellow, green, then by earliest deadline, then by ID. */
  households: HouseholdSignal[];
  /** The cadre's work stations, when `presence` was asked for. */
  presence?: PresenceDue[];
}

/** What `DuePlan.counts()` returns: a due list's households by light. */
export interface DueCounts {
  red: number;
  yellow: number;
  green: number;
}

/** What `DuePlan.rules()` returns: the due list's policy and rules. */
export interface DueRules {
  policy_name: string;
  rules: CadenceRule[];
  event_rules?: EventRule[];
  round_rules?: RoundRule[];
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

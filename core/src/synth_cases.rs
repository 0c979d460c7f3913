//! Seeded synthetic requests for a township (feature `synth`): given the
//! households and cadres of a [`Dataset`] and a window of days, raises
//! realistic requests along every track and walks each through its
//! pipeline (seeds 001, 002, 003, 004), using the real rules: deadlines from
//! [`CasePolicy`], escalations from [`escalations_due`], meeting dates from
//! the [`ReportingCycle`](crate::case::ReportingCycle). Deterministic: the
//! same data set, window and seed give the same logs, on every platform.

use chrono::{Duration, NaiveDate, NaiveDateTime};

use crate::case::{
    CasePolicy, Category, Channel, EscalationReason, Level, Outcome, RequestEvent, RequestKind,
    RequestLog, Satisfaction, Stage, Track, escalations_due,
};
use crate::dataset::Dataset;
use crate::id::{CadreId, RequestId};

/// SplitMix64, written inline so that no `rand` crate is needed.
struct SplitMix64(u64);

impl SplitMix64 {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }
    /// Uniform in `0..n` (`0` when `n` is 0).
    fn below(&mut self, n: u64) -> u64 {
        if n == 0 { 0 } else { self.next() % n }
    }
    /// True with probability `per_mille / 1000`.
    fn chance(&mut self, per_mille: u64) -> bool {
        self.below(1000) < per_mille
    }
    fn minutes(&mut self, lo: i64, hi: i64) -> Duration {
        Duration::minutes(lo + self.below((hi - lo).max(1) as u64) as i64)
    }
}

/// Options of [`generate_requests`]: how many requests, and the policy.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SynthCasesOptions {
    /// Requests per 1,000 households per 30 days: 20 by default (seed 004:
    /// 127 requests from 12,800 households in about half a year is lower;
    /// seed 002's 1,400 items from 6,535 contact households is higher).
    pub per_thousand_households_per_month: u32,
    /// The policy the pipeline runs under.
    pub policy: CasePolicy,
    /// The period the unfinished requests are carried over to, at the end
    /// of the window (seed 004); `None` to carry nothing over.
    pub carry_over_to: Option<String>,
}

impl Default for SynthCasesOptions {
    fn default() -> Self {
        SynthCasesOptions {
            per_thousand_households_per_month: 20,
            policy: CasePolicy::default(),
            carry_over_to: Some("next".into()),
        }
    }
}

const CATEGORIES: [(Category, u64); 11] = [
    (Category::Infrastructure, 140),
    (Category::HouseholdRegistration, 90),
    (Category::Insurance, 120),
    (Category::Subsidy, 110),
    (Category::Dispute, 90),
    (Category::Hardship, 80),
    (Category::LivingEnvironment, 90),
    (Category::Petition, 20),
    (Category::PublicServices, 80),
    (Category::Income, 60),
    (Category::Other, 120),
];

fn summary(c: Category) -> &'static str {
    match c {
        Category::Infrastructure => "village road repair / 通村路维修",
        Category::HouseholdRegistration => "newborn registration / 新生儿落户",
        Category::Insurance => "medical insurance payment / 缴纳医疗保险",
        Category::Subsidy => "subsidy application / 惠民补贴申请",
        Category::Dispute => "neighbour dispute / 邻里纠纷",
        Category::Hardship => "relief application / 困难救助申请",
        Category::LivingEnvironment => "waste collection point / 垃圾收集点",
        Category::Petition => "land contract petition / 土地承包信访",
        Category::PublicServices => "school transport / 上学交通",
        Category::Income => "job information / 务工信息",
        Category::Other => "policy question / 政策咨询",
    }
}

/// Raises requests for the households of `ds` on the days `from..=to` and
/// runs each through the pipeline up to the end of `to`, with the default
/// options. Requests are named `R000001`, `R000002`, … in order of raising.
///
/// ```
/// use minqing::prelude::*;
/// use chrono::NaiveDate;
/// let mut ds = Dataset::new();
/// ds.cadres.push(Cadre::new(CadreId::new("C1")?, "李某某"));
/// for i in 0..500 {
///     ds.households.push(Household::new(HouseholdId::new(format!("H{i}"))?, UnitId::new("V1")?, Residency::Resident));
/// }
/// let d = |m, day| NaiveDate::from_ymd_opt(2024, m, day).unwrap();
/// let logs = minqing::synth_cases::generate_requests(&ds, d(1, 1), d(6, 30), 7);
/// assert!(logs.len() > 20);
/// assert!(logs.iter().all(|l| l.verify().is_ok() && l.state().is_ok()));
/// assert_eq!(logs, minqing::synth_cases::generate_requests(&ds, d(1, 1), d(6, 30), 7));
/// # Ok::<(), minqing::id::IdError>(())
/// ```
pub fn generate_requests(
    ds: &Dataset,
    from: NaiveDate,
    to: NaiveDate,
    seed: u64,
) -> Vec<RequestLog> {
    generate_requests_with(ds, from, to, seed, &SynthCasesOptions::default())
}

/// As [`generate_requests`], with options.
pub fn generate_requests_with(
    ds: &Dataset,
    from: NaiveDate,
    to: NaiveDate,
    seed: u64,
    opts: &SynthCasesOptions,
) -> Vec<RequestLog> {
    let mut rng = SplitMix64(seed ^ 0x6d69_6e71_696e_6721);
    if ds.households.is_empty() || ds.cadres.is_empty() || to < from {
        return Vec::new();
    }
    let days = (to - from).num_days() + 1;
    let n = (ds.households.len() as u64
        * days as u64
        * u64::from(opts.per_thousand_households_per_month))
        / 30_000;
    let end = to.and_hms_opt(23, 59, 59).unwrap_or_default();
    let mut raised: Vec<(NaiveDateTime, usize)> = (0..n)
        .map(|_| {
            let day = from + Duration::days(rng.below(days as u64) as i64);
            let at = day.and_hms_opt(8, 0, 0).unwrap_or_default() + rng.minutes(0, 10 * 60);
            (at, rng.below(ds.households.len() as u64) as usize)
        })
        .collect();
    raised.sort();
    let total: u64 = CATEGORIES.iter().map(|c| c.1).sum();
    raised
        .into_iter()
        .enumerate()
        .filter_map(|(i, (at, h))| {
            let household = &ds.households[h];
            let cadre = ds
                .assignments
                .iter()
                .find(|a| a.household == household.id && a.covers(at.date()))
                .map(|a| a.cadre.clone())
                .unwrap_or_else(|| ds.cadres[h % ds.cadres.len()].id.clone());
            let mut pick = rng.below(total);
            let mut category = Category::Other;
            for (c, w) in CATEGORIES {
                if pick < w {
                    category = c;
                    break;
                }
                pick -= w;
            }
            let id = RequestId::new(format!("R{:06}", i + 1)).ok()?;
            let mut sim = Sim {
                rng: &mut rng,
                log: RequestLog::new(id),
                policy: &opts.policy,
                end,
                handlers: &ds.cadres,
            };
            sim.run(at, household.id.clone(), cadre, category);
            let mut log = sim.log;
            if let (Some(period), Ok(s)) = (&opts.carry_over_to, log.state()) {
                if s.stage != Stage::Closed {
                    let _ = log.append(
                        end.max(s.last_event_at),
                        RequestEvent::CarriedOver {
                            period: period.clone(),
                        },
                    );
                }
            }
            Some(log)
        })
        .collect()
}

struct Sim<'a> {
    rng: &'a mut SplitMix64,
    log: RequestLog,
    policy: &'a CasePolicy,
    end: NaiveDateTime,
    handlers: &'a [crate::cadre::Cadre],
}

impl Sim<'_> {
    /// Appends `event` at `at` unless `at` lies past the window; false when
    /// the history stops here.
    fn put(&mut self, at: NaiveDateTime, event: RequestEvent) -> bool {
        if at > self.end {
            return false;
        }
        self.catch_up(at);
        let at = self
            .log
            .state()
            .map(|s| at.max(s.last_event_at))
            .unwrap_or(at);
        self.log.append(at, event).is_ok()
    }

    /// Appends whatever escalations and supervision fell due before `at`,
    /// at the hour after each came due.
    fn catch_up(&mut self, at: NaiveDateTime) {
        for _ in 0..64 {
            let Ok(s) = self.log.state() else { return };
            let Some(deadline) = s.deadline.filter(|_| s.stage.is_in_hand()) else {
                return;
            };
            let when = deadline + Duration::hours(1);
            if when >= at || when > self.end {
                return;
            }
            let due = escalations_due(&self.log, self.policy, when);
            if due.is_empty() {
                return;
            }
            for d in due {
                let _ = self.log.append(d.at, d.event);
            }
            // a meeting names a handler for what was escalated
            if let Ok(s) = self.log.state() {
                if s.stage == Stage::Escalated {
                    let meeting = self.policy.cycle.joint_meeting_for(when.date());
                    let m_at = meeting.and_hms_opt(9, 0, 0).unwrap_or_default().max(when);
                    self.assign(m_at, 20);
                }
            }
        }
    }

    fn assign(&mut self, at: NaiveDateTime, days: i64) -> bool {
        let handler: CadreId = self.handlers[self.rng.below(self.handlers.len() as u64) as usize]
            .id
            .clone();
        let deadline = at + Duration::days(days);
        let ev = RequestEvent::Assigned {
            handler,
            deadline,
            meeting_on: Some(at.date()),
            measures: "joint meeting decision / 联席会议研究解决".into(),
        };
        if at > self.end {
            return false;
        }
        let at = self
            .log
            .state()
            .map(|s| at.max(s.last_event_at))
            .unwrap_or(at);
        self.log.append(at, ev).is_ok()
    }

    fn run(
        &mut self,
        at: NaiveDateTime,
        household: crate::id::HouseholdId,
        cadre: CadreId,
        category: Category,
    ) {
        let kind = if self.rng.chance(100) {
            RequestKind::Suggestion
        } else {
            RequestKind::Request
        };
        let channel = match self.rng.below(10) {
            0..=5 => Channel::Visit,
            6 | 7 => Channel::Phone,
            8 => Channel::WalkIn,
            _ => Channel::LetterBox,
        };
        let raised = RequestEvent::Raised {
            household,
            cadre,
            category,
            kind,
            channel,
            summary: summary(category).into(),
        };
        if !self.put(at, raised) {
            return;
        }
        let mut track = self.policy.default_track(category);
        if !self.put(at, self.policy.triage(track, at)) {
            return;
        }
        let mut t = at;
        // on the spot: most solved at once; the rest become proxy matters
        if track == Track::OnTheSpot {
            if self.rng.chance(850) {
                t += self.rng.minutes(5, 60);
                if !self.put(
                    t,
                    RequestEvent::HandledOnSpot {
                        measures: "answered at the visit / 现场答复".into(),
                    },
                ) {
                    return;
                }
                return self.feedback(t);
            }
            track = Track::Proxy;
            if !self.put(t, self.policy.triage(track, t)) {
                return;
            }
        }
        let concluded = match track {
            Track::Proxy => {
                t += self.rng.minutes(30, 180);
                if !self.put(
                    t,
                    RequestEvent::ProxyStarted {
                        measures: "papers taken / 代办材料".into(),
                    },
                ) {
                    return;
                }
                // about one in ten runs late and is escalated on the way
                t += if self.rng.chance(900) {
                    self.rng.minutes(60, 20 * 60)
                } else {
                    self.rng.minutes(30 * 60, 12 * 24 * 60)
                };
                self.conclude(t)
            }
            Track::Mediation => {
                t += self.rng.minutes(60, 10 * 24 * 60);
                if self.rng.chance(943) {
                    self.put(
                        t,
                        RequestEvent::Mediated {
                            measures: "agreement reached / 握手言和".into(),
                        },
                    )
                } else {
                    if !self.put(
                        t,
                        RequestEvent::NotMediated {
                            reason: "both sides refuse / 双方分歧较大".into(),
                        },
                    ) {
                        return;
                    }
                    let due = escalations_due(&self.log, self.policy, t);
                    for d in due {
                        if !self.put(d.at, d.event) {
                            return;
                        }
                    }
                    let meeting = self.policy.cycle.joint_meeting_for(t.date());
                    t = meeting.and_hms_opt(9, 0, 0).unwrap_or_default().max(t);
                    if !self.assign(t, 30) {
                        return;
                    }
                    t += self.rng.minutes(24 * 60, 40 * 24 * 60);
                    if self.rng.chance(600) {
                        self.put(
                            t,
                            RequestEvent::Mediated {
                                measures: "mediated by the township / 镇调处".into(),
                            },
                        )
                    } else {
                        self.conclude(t)
                    }
                }
            }
            _ => {
                // joint handling: up to the township, then the meeting on the 5th
                t += self.rng.minutes(60, 2 * 24 * 60);
                let ev =
                    self.policy
                        .escalate(Level::Township, EscalationReason::BeyondPower, t, "");
                if !self.put(t, ev) {
                    return;
                }
                let meeting = self.policy.cycle.joint_meeting_for(t.date());
                t = meeting.and_hms_opt(9, 0, 0).unwrap_or_default().max(t);
                if !self.assign(t, 30) {
                    return;
                }
                t += if self.rng.chance(850) {
                    self.rng.minutes(2 * 24 * 60, 29 * 24 * 60)
                } else {
                    self.rng.minutes(31 * 24 * 60, 80 * 24 * 60)
                };
                self.conclude(t)
            }
        };
        if concluded {
            self.feedback(t);
        }
    }

    /// Resolves (fully, in part) or explains at `t`.
    fn conclude(&mut self, t: NaiveDateTime) -> bool {
        let roll = self.rng.below(1000);
        let suggestion = self
            .log
            .state()
            .is_ok_and(|s| s.kind == RequestKind::Suggestion);
        let ev = if roll < 60 || (suggestion && roll < 100) {
            RequestEvent::Explained {
                reason: "not possible under current policy / 政策暂不允许".into(),
            }
        } else {
            RequestEvent::Resolved {
                outcome: if roll < 130 {
                    Outcome::Partial
                } else {
                    Outcome::Full
                },
                measures: "handled / 已办理".into(),
            }
        };
        self.put(t, ev)
    }

    /// Feedback to the household, a rectification when not satisfied, and
    /// striking off.
    fn feedback(&mut self, mut t: NaiveDateTime) {
        for round in 0..3 {
            t += self.rng.minutes(60, 6 * 24 * 60);
            let roll = self.rng.below(1000);
            let ev = if roll < 20 && round < 2 {
                self.policy.not_satisfied(t, "")
            } else {
                RequestEvent::FeedbackGiven {
                    satisfaction: if roll < 120 {
                        Satisfaction::BasicallySatisfied
                    } else {
                        Satisfaction::Satisfied
                    },
                    rectify_by: None,
                    note: String::new(),
                }
            };
            if !self.put(t, ev) {
                return;
            }
            let rectifying = self.log.state().is_ok_and(|s| s.stage == Stage::Rectifying);
            if !rectifying {
                break;
            }
            t += self.rng.minutes(24 * 60, 10 * 24 * 60);
            if !self.conclude(t) {
                return;
            }
        }
        t += self.rng.minutes(60, 3 * 24 * 60);
        let _ = self.put(t, RequestEvent::Closed);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::metrics::{MetricsQuery, request_metrics};
    use crate::prelude::*;

    fn township(households: usize) -> Dataset {
        let mut ds = Dataset::new();
        for c in 0..5 {
            ds.cadres
                .push(Cadre::new(CadreId::new(format!("C{c}")).unwrap(), "某某"));
        }
        for i in 0..households {
            ds.households.push(Household::new(
                HouseholdId::new(format!("H{i}")).unwrap(),
                UnitId::new("V1").unwrap(),
                Residency::Resident,
            ));
        }
        ds
    }

    #[test]
    fn every_track_appears_and_every_log_is_valid() {
        let ds = township(2000);
        let d = |m, day| NaiveDate::from_ymd_opt(2024, m, day).unwrap();
        let logs = generate_requests(&ds, d(1, 1), d(6, 30), 42);
        assert!(logs.len() > 200, "{}", logs.len());
        let states: Vec<RequestState> = logs.iter().map(|l| l.state().unwrap()).collect();
        assert!(logs.iter().all(|l| l.verify().is_ok()));
        for track in Track::ALL {
            assert!(
                states.iter().any(|s| s.first_track == Some(*track)),
                "no request on {track}"
            );
        }
        assert!(
            states.iter().any(|s| s.escalations > 1),
            "no overdue escalation"
        );
        assert!(states.iter().any(|s| s.stage == Stage::Closed));
        assert!(states.iter().any(|s| s.carried_over > 0));
        let end = d(6, 30).and_hms_opt(23, 59, 59).unwrap();
        let m = request_metrics(&logs, &MetricsQuery::new(), end);
        let r = m.resolution.value().unwrap();
        assert!(r > 0.7 && r < 0.99, "{m:?}");
        assert!(m.mediation.value().unwrap() > 0.8, "{m:?}");
        // nothing escalations_due would still add, except supervision and
        // escalations of requests whose deadline passed on the last day
        let other = generate_requests(&ds, d(1, 1), d(6, 30), 43);
        assert_ne!(logs, other);
    }

    #[test]
    fn nothing_to_generate_from_nothing() {
        let d = NaiveDate::from_ymd_opt(2024, 1, 1).unwrap();
        assert!(generate_requests(&Dataset::new(), d, d, 1).is_empty());
    }
}

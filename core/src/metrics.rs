//! What is measured of the request pipeline (DOMAIN.md, "What is
//! measured"): resolution rate 办结率, on-time rate, on-the-spot share,
//! mediation rate 调处率, suggestions adopted 采纳, satisfaction rate 满意率,
//! days to close, carried over — over any window, unit, cadre or category.

use std::collections::HashSet;

use chrono::{NaiveDate, NaiveDateTime};
use serde::{Deserialize, Serialize};

use crate::case::{Category, RequestKind, RequestLog, RequestState, Track};
use crate::dataset::Dataset;
use crate::id::{CadreId, HouseholdId, UnitId};

/// A rate as the count behind it: `numerator` of `denominator`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Rate {
    /// How many met the condition.
    pub numerator: u64,
    /// Out of how many.
    pub denominator: u64,
}

impl Rate {
    /// `numerator` of `denominator`.
    pub fn new(numerator: u64, denominator: u64) -> Self {
        Rate {
            numerator,
            denominator,
        }
    }

    /// The fraction in [0, 1]; `None` when the denominator is 0.
    pub fn value(&self) -> Option<f64> {
        (self.denominator > 0).then(|| self.numerator as f64 / self.denominator as f64)
    }

    /// The percentage rounded half up to one decimal, computed in integers
    /// (116 of 127 is 91.3, seed 004); `None` when the denominator is 0.
    ///
    /// ```
    /// use minqing::metrics::Rate;
    /// assert_eq!(Rate::new(116, 127).percent(), Some(91.3));
    /// assert_eq!(Rate::new(33, 35).percent(), Some(94.3));
    /// assert_eq!(Rate::new(0, 0).percent(), None);
    /// ```
    pub fn percent(&self) -> Option<f64> {
        if self.denominator == 0 {
            return None;
        }
        let n = u128::from(self.numerator);
        let d = u128::from(self.denominator);
        let tenths = (n * 2000 + d) / (2 * d);
        Some(tenths as f64 / 10.0)
    }
}

/// Which requests to measure, and how to count. Setters consume and return
/// the query. Requests count when raised on a day of the window; their state
/// is folded as of the `now` passed to [`request_metrics`].
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct MetricsQuery {
    /// The first day of the window (raised on or after).
    pub from: Option<NaiveDate>,
    /// The last day of the window (raised on or before).
    pub to: Option<NaiveDate>,
    /// Only requests of these households (see [`MetricsQuery::in_unit`]).
    pub households: Option<HashSet<HouseholdId>>,
    /// Only requests taken by this cadre (the first responder).
    pub cadre: Option<CadreId>,
    /// Only requests of this category.
    pub category: Option<Category>,
    /// Count explained requests (cannot be solved, the household was told
    /// why) as resolved: `false` by default.
    pub explained_counts_as_resolved: bool,
    /// Count partial resolutions as resolved: `true` by default (they are
    /// also counted apart in [`Metrics::partial`]).
    pub partial_counts_as_resolved: bool,
}

impl MetricsQuery {
    /// Every request, with the default counting rules.
    pub fn new() -> Self {
        MetricsQuery {
            partial_counts_as_resolved: true,
            ..MetricsQuery::default()
        }
    }
    /// Requests raised on days `from..=to`.
    pub fn window(mut self, from: NaiveDate, to: NaiveDate) -> Self {
        self.from = Some(from);
        self.to = Some(to);
        self
    }
    /// Requests of households in `unit` (the households whose village is the
    /// unit or sits under it in `ds`'s tree).
    pub fn in_unit(mut self, ds: &Dataset, unit: &UnitId) -> Self {
        let parent: std::collections::HashMap<&UnitId, Option<&UnitId>> = ds
            .units
            .iter()
            .map(|u| (&u.id, u.parent.as_ref()))
            .collect();
        let set = ds
            .households
            .iter()
            .filter(|h| {
                let mut cur = Some(&h.village);
                for _ in 0..=parent.len() {
                    match cur {
                        Some(u) if u == unit => return true,
                        Some(u) => cur = parent.get(u).copied().flatten(),
                        None => return false,
                    }
                }
                false
            })
            .map(|h| h.id.clone())
            .collect();
        self.households = Some(set);
        self
    }
    /// Requests of these households.
    pub fn households(mut self, set: HashSet<HouseholdId>) -> Self {
        self.households = Some(set);
        self
    }
    /// Requests taken by `cadre`.
    pub fn cadre(mut self, cadre: CadreId) -> Self {
        self.cadre = Some(cadre);
        self
    }
    /// Requests of `category`.
    pub fn category(mut self, category: Category) -> Self {
        self.category = Some(category);
        self
    }
    /// Whether explained requests count as resolved.
    pub fn explained_counts_as_resolved(mut self, yes: bool) -> Self {
        self.explained_counts_as_resolved = yes;
        self
    }
    /// Whether partial resolutions count as resolved.
    pub fn partial_counts_as_resolved(mut self, yes: bool) -> Self {
        self.partial_counts_as_resolved = yes;
        self
    }

    fn selects(&self, s: &RequestState) -> bool {
        let day = s.raised_at.date();
        self.from.is_none_or(|f| day >= f)
            && self.to.is_none_or(|t| day <= t)
            && self
                .households
                .as_ref()
                .is_none_or(|h| h.contains(&s.household))
            && self.cadre.as_ref().is_none_or(|c| c == &s.cadre)
            && self.category.is_none_or(|c| c == s.category)
    }
}

/// The figures of one query ([`request_metrics`]).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Metrics {
    /// Requests collected (raised in the window and selected).
    pub collected: u64,
    /// Resolution rate 办结率: resolved of collected (seed 004: 116 of 127 = 91.3%).
    pub resolution: Rate,
    /// Resolved in part (部分解决), counted apart.
    pub partial: u64,
    /// Explained (cannot be solved; the household was told why).
    pub explained: u64,
    /// On-time rate: first concluded by the deadline then in force, of
    /// those concluded (no deadline counts as on time).
    pub on_time: Rate,
    /// On-the-spot share: handled on the spot, of collected.
    pub on_the_spot: Rate,
    /// Mediation rate 调处率: mediated, of disputes found (category dispute or
    /// first put on the mediation track; seed 003: 33 of 35 = 94.3%).
    pub mediation: Rate,
    /// Suggestions adopted 采纳: suggestions resolved (fully or in part), of
    /// suggestions (seed 000 part 5: 39 of 43).
    pub adoption: Rate,
    /// Satisfaction rate 满意率: satisfied or basically satisfied, of the
    /// requests whose household gave feedback (latest feedback counts).
    pub satisfaction: Rate,
    /// Median days from raised to closed (销号), over closed requests; the
    /// mean of the two middle values when their number is even.
    pub days_to_close_median: Option<f64>,
    /// 90th percentile of the same, nearest rank (the ⌈0.9·n⌉-th smallest).
    pub days_to_close_p90: Option<f64>,
    /// Requests carried over to a next period's list at least once (seed 004).
    pub carried_over: u64,
    /// Requests ever escalated.
    pub escalated: u64,
    /// Requests not closed.
    pub open: u64,
    /// Requests overdue at `now`.
    pub overdue: u64,
    /// Requests closed (struck off).
    pub closed: u64,
}

/// The figures of the requests `query` selects, folded as of `now` (events
/// after `now` are ignored). Logs that do not fold are left out.
///
/// ```
/// use minqing::metrics::{request_metrics, MetricsQuery};
/// use chrono::NaiveDate;
/// let now = NaiveDate::from_ymd_opt(2024, 6, 30).unwrap().and_hms_opt(23, 59, 59).unwrap();
/// let m = request_metrics(&[], &MetricsQuery::new(), now);
/// assert_eq!(m.collected, 0);
/// assert_eq!(m.resolution.percent(), None);
/// ```
pub fn request_metrics(logs: &[RequestLog], query: &MetricsQuery, now: NaiveDateTime) -> Metrics {
    let mut m = Metrics::default();
    let mut days: Vec<f64> = Vec::new();
    for log in logs {
        let Ok(Some(s)) = log.state_at(now) else {
            continue;
        };
        if !query.selects(&s) {
            continue;
        }
        m.collected += 1;
        let concluded = s.is_concluded();
        let resolved = concluded
            && match s.outcome {
                Some(crate::case::Outcome::Full) => true,
                Some(crate::case::Outcome::Partial) => query.partial_counts_as_resolved,
                None => s.explained && query.explained_counts_as_resolved,
            };
        if resolved {
            m.resolution.numerator += 1;
        }
        if concluded && s.outcome == Some(crate::case::Outcome::Partial) {
            m.partial += 1;
        }
        if concluded && s.explained {
            m.explained += 1;
        }
        if let Some(on_time) = s.concluded_on_time {
            m.on_time.denominator += 1;
            if on_time {
                m.on_time.numerator += 1;
            }
        }
        if s.on_the_spot {
            m.on_the_spot.numerator += 1;
        }
        if s.category == Category::Dispute || s.first_track == Some(Track::Mediation) {
            m.mediation.denominator += 1;
            if s.mediated {
                m.mediation.numerator += 1;
            }
        }
        if s.kind == RequestKind::Suggestion {
            m.adoption.denominator += 1;
            if concluded && s.outcome.is_some() {
                m.adoption.numerator += 1;
            }
        }
        if let Some(f) = s.feedback {
            m.satisfaction.denominator += 1;
            if f.is_satisfied() {
                m.satisfaction.numerator += 1;
            }
        }
        if s.carried_over > 0 {
            m.carried_over += 1;
        }
        if s.escalations > 0 {
            m.escalated += 1;
        }
        if s.is_open() {
            m.open += 1;
        } else {
            m.closed += 1;
        }
        if s.is_overdue(now) {
            m.overdue += 1;
        }
        if let Some(c) = s.closed_at {
            days.push((c - s.raised_at).num_seconds() as f64 / 86_400.0);
        }
    }
    m.resolution.denominator = m.collected;
    m.on_the_spot.denominator = m.collected;
    days.sort_by(f64::total_cmp);
    let n = days.len();
    if n > 0 {
        m.days_to_close_median = Some(if n % 2 == 1 {
            days[n / 2]
        } else {
            (days[n / 2 - 1] + days[n / 2]) / 2.0
        });
        let rank = (9 * n).div_ceil(10).max(1);
        m.days_to_close_p90 = Some(days[rank - 1]);
    }
    m
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::case::*;
    use crate::id::{CadreId, HouseholdId, RequestId};
    use chrono::Duration;

    fn t0() -> NaiveDateTime {
        NaiveDate::from_ymd_opt(2024, 3, 1)
            .unwrap()
            .and_hms_opt(9, 0, 0)
            .unwrap()
    }

    fn raised(i: usize, category: Category, kind: RequestKind) -> RequestLog {
        let mut log = RequestLog::new(RequestId::new(format!("R{i}")).unwrap());
        log.append(
            t0(),
            RequestEvent::Raised {
                household: HouseholdId::new(format!("H{}", i % 7)).unwrap(),
                cadre: CadreId::new(if i % 2 == 0 { "A" } else { "B" }).unwrap(),
                category,
                kind,
                channel: Channel::Visit,
                summary: String::new(),
            },
        )
        .unwrap();
        log
    }

    fn now() -> NaiveDateTime {
        t0() + Duration::days(60)
    }

    #[test]
    fn seed_004_resolution_rate_116_of_127() {
        let p = CasePolicy::default();
        let logs: Vec<RequestLog> = (0..127)
            .map(|i| {
                let mut log = raised(i, Category::LivingEnvironment, RequestKind::Request);
                log.append(t0(), p.triage(Track::Joint, t0())).unwrap();
                if i < 116 {
                    log.append(
                        t0() + Duration::days(3),
                        RequestEvent::Resolved {
                            outcome: Outcome::Full,
                            measures: String::new(),
                        },
                    )
                    .unwrap();
                }
                log
            })
            .collect();
        let m = request_metrics(&logs, &MetricsQuery::new(), now());
        assert_eq!(m.resolution, Rate::new(116, 127));
        assert_eq!(m.resolution.percent(), Some(91.3));
        // the unresolved ones carry no deadline: nothing overdue
        assert_eq!(m.overdue, 0);
        // a window after the raising day collects nothing
        let later = MetricsQuery::new().window(
            NaiveDate::from_ymd_opt(2024, 3, 2).unwrap(),
            NaiveDate::from_ymd_opt(2024, 6, 30).unwrap(),
        );
        assert_eq!(request_metrics(&logs, &later, now()).collected, 0);
        // by cadre: even-numbered requests are A's: 64 of them, 58 resolved
        let a = request_metrics(
            &logs,
            &MetricsQuery::new().cadre(CadreId::new("A").unwrap()),
            now(),
        );
        assert_eq!(a.resolution, Rate::new(58, 64));
    }

    #[test]
    fn seed_003_mediation_rate_33_of_35() {
        let p = CasePolicy::default();
        let logs: Vec<RequestLog> = (0..35)
            .map(|i| {
                let mut log = raised(i, Category::Dispute, RequestKind::Problem);
                log.append(t0(), p.triage_default(Category::Dispute, t0()))
                    .unwrap();
                if i < 33 {
                    log.append(
                        t0() + Duration::days(1),
                        RequestEvent::Mediated {
                            measures: String::new(),
                        },
                    )
                    .unwrap();
                } else {
                    log.append(
                        t0() + Duration::days(1),
                        RequestEvent::NotMediated {
                            reason: "old land dispute".into(),
                        },
                    )
                    .unwrap();
                }
                log
            })
            .collect();
        let m = request_metrics(&logs, &MetricsQuery::new(), now());
        assert_eq!(m.mediation, Rate::new(33, 35));
        assert_eq!(m.mediation.percent(), Some(94.3));
        let only_disputes = MetricsQuery::new().category(Category::Dispute);
        assert_eq!(request_metrics(&logs, &only_disputes, now()).collected, 35);
        let none = MetricsQuery::new().category(Category::Income);
        assert_eq!(request_metrics(&logs, &none, now()).collected, 0);
    }

    #[test]
    fn seed_000_adoption_39_of_43() {
        let p = CasePolicy::default();
        let logs: Vec<RequestLog> = (0..43)
            .map(|i| {
                let mut log = raised(i, Category::Other, RequestKind::Suggestion);
                log.append(t0(), p.triage(Track::Joint, t0())).unwrap();
                let ev = if i < 39 {
                    RequestEvent::Resolved {
                        outcome: if i % 3 == 0 {
                            Outcome::Partial
                        } else {
                            Outcome::Full
                        },
                        measures: String::new(),
                    }
                } else {
                    RequestEvent::Explained {
                        reason: "not feasible this year".into(),
                    }
                };
                log.append(t0() + Duration::days(5), ev).unwrap();
                log
            })
            .collect();
        let m = request_metrics(&logs, &MetricsQuery::new(), now());
        assert_eq!(m.adoption, Rate::new(39, 43));
        assert_eq!(m.explained, 4);
        assert_eq!(m.partial, 13);
        // explained ones are not resolved unless asked
        assert_eq!(m.resolution, Rate::new(39, 43));
        let q = MetricsQuery::new().explained_counts_as_resolved(true);
        assert_eq!(
            request_metrics(&logs, &q, now()).resolution,
            Rate::new(43, 43)
        );
        let q = MetricsQuery::new().partial_counts_as_resolved(false);
        assert_eq!(
            request_metrics(&logs, &q, now()).resolution,
            Rate::new(26, 43)
        );
    }

    #[test]
    fn days_to_close_satisfaction_on_time_and_carried_over() {
        let p = CasePolicy::default();
        // closed after 1, 2, ..., 10 days; the last one not satisfied first
        let mut logs = Vec::new();
        for i in 0..10usize {
            let mut log = raised(i, Category::Insurance, RequestKind::Request);
            log.append(t0(), p.triage_default(Category::Insurance, t0()))
                .unwrap();
            let done = t0() + Duration::days(i as i64 + 1) - Duration::hours(1);
            log.append(
                done,
                RequestEvent::Resolved {
                    outcome: Outcome::Full,
                    measures: String::new(),
                },
            )
            .unwrap();
            log.append(
                done,
                RequestEvent::FeedbackGiven {
                    satisfaction: if i == 9 {
                        Satisfaction::NotSatisfied
                    } else {
                        Satisfaction::Satisfied
                    },
                    rectify_by: Some(done + Duration::days(30)),
                    note: String::new(),
                },
            )
            .unwrap();
            if i < 9 {
                log.append(done + Duration::hours(1), RequestEvent::Closed)
                    .unwrap();
            } else {
                log.append(
                    done + Duration::hours(1),
                    RequestEvent::CarriedOver {
                        period: "2024H2".into(),
                    },
                )
                .unwrap();
            }
            logs.push(log);
        }
        let m = request_metrics(&logs, &MetricsQuery::new(), now());
        // closed after exactly 1..=9 days: median 5, p90 = 9th of 9 (⌈8.1⌉ = 9)
        assert_eq!(m.closed, 9);
        assert_eq!(m.days_to_close_median, Some(5.0));
        assert_eq!(m.days_to_close_p90, Some(9.0));
        assert_eq!(m.satisfaction, Rate::new(9, 10));
        // proxy deadline 24 h: only the first was concluded within it
        assert_eq!(m.on_time, Rate::new(1, 10));
        assert_eq!(m.carried_over, 1);
        assert_eq!(m.open, 1);
        // folded as of day 3: requests 0 and 1 closed, 2 concluded
        let early = request_metrics(&logs, &MetricsQuery::new(), t0() + Duration::days(2));
        assert_eq!(early.closed, 2);
        assert_eq!(early.days_to_close_median, Some(1.5));
    }

    #[test]
    fn unit_filter_follows_the_tree() {
        use crate::prelude::*;
        let mut ds = Dataset::new();
        ds.units = vec![
            Unit::new(UnitId::new("T").unwrap(), UnitKind::Township),
            Unit::new(UnitId::new("V1").unwrap(), UnitKind::Village)
                .with_parent(UnitId::new("T").unwrap()),
            Unit::new(UnitId::new("V2").unwrap(), UnitKind::Village)
                .with_parent(UnitId::new("T").unwrap()),
        ];
        for h in 0..7 {
            let v = if h < 3 { "V1" } else { "V2" };
            ds.households.push(Household::new(
                HouseholdId::new(format!("H{h}")).unwrap(),
                UnitId::new(v).unwrap(),
                Residency::Resident,
            ));
        }
        let logs: Vec<RequestLog> = (0..14)
            .map(|i| raised(i, Category::Other, RequestKind::Request))
            .collect();
        let v1 = MetricsQuery::new().in_unit(&ds, &UnitId::new("V1").unwrap());
        assert_eq!(request_metrics(&logs, &v1, now()).collected, 6);
        let t = MetricsQuery::new().in_unit(&ds, &UnitId::new("T").unwrap());
        assert_eq!(request_metrics(&logs, &t, now()).collected, 14);
    }
}

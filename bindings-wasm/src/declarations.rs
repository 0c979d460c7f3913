//! Checks that the hand-written TypeScript declarations (`types.d.ts`)
//! describe exactly what the core reads and writes: every interface has the
//! fields the core's serde output has (optional ones marked `?`), and every
//! string union has exactly the core's words. A change in the core that the
//! declarations miss fails `cargo test -p minqing-wasm`.

#[cfg(test)]
mod tests {
    use std::collections::{BTreeMap, BTreeSet};

    use chrono::NaiveDate;
    use minqing::cadre::{Duty, Rank};
    use minqing::prelude::*;
    use serde::Serialize;
    use serde_json::Value;

    const TS: &str = include_str!("types.d.ts");

    /// `export interface X { a: ..; b?: ..; }` → X → {a: required, b: optional}.
    fn interfaces() -> BTreeMap<String, BTreeMap<String, bool>> {
        let mut out = BTreeMap::new();
        let mut current: Option<(String, BTreeMap<String, bool>)> = None;
        for line in TS.lines().map(str::trim) {
            if let Some(rest) = line.strip_prefix("export interface ") {
                let name = rest.split_whitespace().next().unwrap().to_string();
                current = Some((name, BTreeMap::new()));
            } else if line == "}" {
                if let Some((name, fields)) = current.take() {
                    out.insert(name, fields);
                }
            } else if let Some((_, fields)) = current.as_mut() {
                if line.starts_with("/*") || line.starts_with('*') || line.starts_with("//") {
                    continue;
                }
                if let Some((key, _)) = line.split_once(':') {
                    let optional = key.ends_with('?');
                    fields.insert(key.trim_end_matches('?').to_string(), !optional);
                }
            }
        }
        out
    }

    /// `export type X = "a" | "b";` (over one or more lines) → X → {a, b}.
    fn unions() -> BTreeMap<String, BTreeSet<String>> {
        let mut out = BTreeMap::new();
        let mut lines = TS.lines().map(str::trim);
        while let Some(line) = lines.next() {
            let Some(rest) = line.strip_prefix("export type ") else {
                continue;
            };
            let (name, mut body) = rest.split_once('=').unwrap();
            let mut text = body.to_string();
            while !body.ends_with(';') {
                body = lines.next().unwrap();
                text.push_str(body);
            }
            let words: BTreeSet<String> = text
                .split('"')
                .skip(1)
                .step_by(2)
                .map(str::to_string)
                .collect();
            if !words.is_empty() && !text.contains('{') && !text.contains("string") {
                out.insert(name.trim().to_string(), words);
            }
        }
        out
    }

    fn words<T: Serialize>(all: &[T]) -> BTreeSet<String> {
        all.iter()
            .map(|x| {
                serde_json::to_value(x)
                    .unwrap()
                    .as_str()
                    .unwrap()
                    .to_string()
            })
            .collect()
    }

    fn keys<T: Serialize>(x: &T) -> BTreeSet<String> {
        match serde_json::to_value(x).unwrap() {
            Value::Object(m) => m.keys().cloned().collect(),
            other => panic!("not an object: {other}"),
        }
    }

    /// The interface has exactly the keys of `full` (everything set), and
    /// its required keys are exactly those of `minimal`.
    fn check<T: Serialize>(name: &str, full: &T, minimal: &T) {
        let all = interfaces();
        let fields = all
            .get(name)
            .unwrap_or_else(|| panic!("types.d.ts declares no interface {name}"));
        let declared: BTreeSet<String> = fields.keys().cloned().collect();
        assert_eq!(declared, keys(full), "fields of {name}");
        let required: BTreeSet<String> = fields
            .iter()
            .filter(|(_, r)| **r)
            .map(|(k, _)| k.clone())
            .collect();
        assert_eq!(required, keys(minimal), "required fields of {name}");
    }

    fn d(m: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2024, m, 1).unwrap()
    }

    #[test]
    fn string_unions_have_the_cores_words() {
        let u = unions();
        assert_eq!(u["UnitKind"], words(&UnitKind::ALL));
        assert_eq!(
            u["Residency"],
            words(&[Residency::Resident, Residency::Away])
        );
        assert_eq!(u["KnownTag"], words(Tag::KNOWN));
        assert_eq!(u["Rank"], words(Rank::ALL));
        assert_eq!(u["Duty"], words(Duty::ALL));
        assert_eq!(u["TeamKind"], words(TeamKind::ALL));
        assert_eq!(u["DutyStatus"], words(DutyStatus::ALL));
        assert_eq!(u["Mode"], words(Mode::ALL));
        assert_eq!(u["Severity"], words(&[Severity::Warning, Severity::Error]));
        assert_eq!(u["Code"], words(Code::ALL), "the Code union of types.d.ts");
    }

    #[test]
    fn interfaces_have_the_cores_fields() {
        let id = |s: &str| UnitId::new(s).unwrap();
        let hid = HouseholdId::new("H1").unwrap();
        let cid = CadreId::new("C1").unwrap();
        let t = d(1).and_hms_opt(8, 0, 0).unwrap();

        let unit = Unit::new(id("V1"), UnitKind::Village);
        let full_unit = unit
            .clone()
            .with_parent(id("T"))
            .with_name("村")
            .with_population(1);
        check("Unit", &full_unit, &unit);

        let h = Household::new(hid.clone(), id("V1"), Residency::Away);
        let mut full_h = h.clone().with_tag(Tag::Hardship);
        full_h.name = Some("n".into());
        full_h.phone = Some("p".into());
        full_h.members = Some(3);
        full_h.head_birth_date = Some(d(1));
        full_h.registered_on = Some(d(2));
        check("Household", &full_h, &h);

        let c = Cadre::new(cid.clone(), "李某某");
        let mut full_c = c.clone();
        full_c.phone = Some("p".into());
        full_c.rank = Some(Rank::Leader);
        full_c.unit = Some(id("V1"));
        full_c.min_households = Some(1);
        full_c.max_households = Some(2);
        full_c.duties = [Duty::Proxy].into_iter().collect();
        check("Cadre", &full_c, &c);

        let team = Team {
            id: TeamId::new("WS").unwrap(),
            kind: TeamKind::WorkStation,
            unit: id("V1"),
            leader: cid.clone(),
            deputy: None,
            members: vec![],
        };
        let mut full_team = team.clone();
        full_team.deputy = Some(cid.clone());
        full_team.members = vec![cid.clone()];
        check("Team", &full_team, &team);

        let span = DutySpan {
            cadre: cid.clone(),
            status: DutyStatus::OnDuty,
            from: t,
            to: None,
        };
        let full_span = DutySpan {
            to: Some(t),
            ..span.clone()
        };
        check("DutySpan", &full_span, &span);

        let a = Assignment::new(hid.clone(), cid.clone(), d(1));
        let full_a = Assignment {
            to: Some(d(2)),
            ..a.clone()
        };
        check("Assignment", &full_a, &a);

        let v = Visit::new(hid, cid, t, Mode::Phone);
        let mut full_v = v.clone();
        full_v.signed = true;
        full_v.note = Some("n".into());
        check("Visit", &full_v, &v);

        let loc = Location::default();
        let full_loc = Location::file("f").at_line(1).at_field(2, "x").at_path("p");
        let full_loc = Location {
            record: Some("r".into()),
            ..full_loc
        };
        check("Location", &full_loc, &loc);

        let p = Problem::new(Code::JsonShape, loc, "中", "en");
        check("Problem", &p, &p);
        check("Message", &p.message, &p.message);
    }

    #[test]
    fn the_document_has_the_data_sets_collections() {
        let mut expected = keys(&Dataset::new());
        expected.insert("schema".into());
        let doc = &interfaces()["MinqingDocument"];
        let declared: BTreeSet<String> = doc.keys().cloned().collect();
        assert_eq!(declared, expected);
        assert!(doc["schema"], "schema is required");
    }
}

//! The administrative tree a household sits in (县 / 乡镇 / 村 / 社·村民小组)
//! and the grid overlay used by service teams (网片 / 网格, seed 000 part 5).

use serde::{Deserialize, Serialize};

use crate::id::UnitId;

/// The kind of a unit.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum UnitKind {
    /// 县 (or 旗): the top of the tree.
    County,
    /// 乡镇: a township.
    Township,
    /// 村 (or 嘎查): a village.
    Village,
    /// 社 / 村民小组: a villagers' group inside a village.
    Group,
    /// 网片: a grid piece, an overlay unit of a township or a village (seed 000).
    GridPiece,
    /// 网格: a grid, the smallest overlay unit, inside a grid piece.
    Grid,
}

impl UnitKind {
    /// Every kind, from the top of the tree down.
    pub const ALL: [UnitKind; 6] = [
        UnitKind::County,
        UnitKind::Township,
        UnitKind::Village,
        UnitKind::Group,
        UnitKind::GridPiece,
        UnitKind::Grid,
    ];

    /// The word used in files (`"grid_piece"`).
    pub fn as_str(self) -> &'static str {
        match self {
            UnitKind::County => "county",
            UnitKind::Township => "township",
            UnitKind::Village => "village",
            UnitKind::Group => "group",
            UnitKind::GridPiece => "grid_piece",
            UnitKind::Grid => "grid",
        }
    }

    /// The kind for a word used in files.
    pub fn parse(s: &str) -> Option<UnitKind> {
        UnitKind::ALL.into_iter().find(|k| k.as_str() == s)
    }

    /// The Chinese name of the kind.
    pub fn zh(self) -> &'static str {
        match self {
            UnitKind::County => "县",
            UnitKind::Township => "乡镇",
            UnitKind::Village => "村",
            UnitKind::Group => "村民小组",
            UnitKind::GridPiece => "网片",
            UnitKind::Grid => "网格",
        }
    }

    /// The kinds a unit of this kind may sit under. `None` as a parent (a
    /// root) is allowed for every kind, so that a file can hold one
    /// township without its county.
    ///
    /// - a township sits in a county;
    /// - a village in a township;
    /// - a group in a village;
    /// - a grid piece in a township or a village (seed 000 divides a
    ///   township's herding area into pieces);
    /// - a grid in a grid piece or directly in a village.
    pub fn allowed_parents(self) -> &'static [UnitKind] {
        match self {
            UnitKind::County => &[],
            UnitKind::Township => &[UnitKind::County],
            UnitKind::Village => &[UnitKind::Township],
            UnitKind::Group => &[UnitKind::Village],
            UnitKind::GridPiece => &[UnitKind::Township, UnitKind::Village],
            UnitKind::Grid => &[UnitKind::GridPiece, UnitKind::Village],
        }
    }

    /// True when a unit of this kind may sit under a unit of kind `parent`.
    pub fn may_nest_in(self, parent: UnitKind) -> bool {
        self.allowed_parents().contains(&parent)
    }
}

impl std::fmt::Display for UnitKind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One unit of the administrative tree or of the grid overlay.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Unit {
    /// Its ID, unique among units.
    #[serde(rename = "unit_id")]
    pub id: UnitId,
    /// What kind of unit it is.
    pub kind: UnitKind,
    /// The unit it sits in; `None` for a root.
    #[serde(rename = "parent_id", default, skip_serializing_if = "Option::is_none")]
    pub parent: Option<UnitId>,
    /// Its name, e.g. 纳林希里村.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Registered population (people, not households), where known. Sets the
    /// village's contact-household quota (seed 002).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub population: Option<u32>,
}

impl Unit {
    /// A unit with no parent, name or population.
    pub fn new(id: UnitId, kind: UnitKind) -> Self {
        Unit {
            id,
            kind,
            parent: None,
            name: None,
            population: None,
        }
    }

    /// The same unit under `parent`.
    pub fn with_parent(mut self, parent: UnitId) -> Self {
        self.parent = Some(parent);
        self
    }

    /// The same unit named `name`.
    pub fn with_name(mut self, name: impl Into<String>) -> Self {
        self.name = Some(name.into());
        self
    }

    /// The same unit with `population` people.
    pub fn with_population(mut self, population: u32) -> Self {
        self.population = Some(population);
        self
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds_round_trip_and_nest() {
        for k in UnitKind::ALL {
            assert_eq!(UnitKind::parse(k.as_str()), Some(k));
            assert!(!k.may_nest_in(k), "{k} must not nest in itself");
        }
        assert!(UnitKind::Village.may_nest_in(UnitKind::Township));
        assert!(!UnitKind::Village.may_nest_in(UnitKind::County));
        assert!(UnitKind::Grid.may_nest_in(UnitKind::GridPiece));
        assert!(!UnitKind::County.may_nest_in(UnitKind::Township));
        assert_eq!(UnitKind::parse("town"), None);
    }

    #[test]
    fn unit_json_uses_file_names() {
        let u = Unit::new(UnitId::new("V1").unwrap(), UnitKind::Village)
            .with_parent(UnitId::new("T1").unwrap())
            .with_population(820);
        let v = serde_json::to_value(&u).unwrap();
        assert_eq!(v["unit_id"], "V1");
        assert_eq!(v["parent_id"], "T1");
        assert_eq!(v["kind"], "village");
        assert!(v.get("name").is_none());
    }
}

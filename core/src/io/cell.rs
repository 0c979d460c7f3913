//! The cell grammar every reader shares: what one CSV cell, Arrow value or
//! JSON string means, written once so that the CSV reader, the columnar
//! fast path, the JSON reader and the Python Arrow reader cannot drift
//! apart. Dates and date-times are in [`super::date`]; the words of an enum
//! come from the enum itself ([`super::words_of`]).
//!
//! - A list cell separates its items by `|`; an empty cell is an empty
//!   list.
//! - A duties cell is a list of [`Duty`] words; an empty or absent cell
//!   means all five duties, the single word `none` means no duty.
//! - Free text holds at most [`MAX_TEXT_CHARS`] characters. The limit is a
//!   rule on a record's content, so [`Dataset::validate`] checks it
//!   whatever the record came from (CSV, JSON, Arrow).
//!
//! [`Dataset::validate`]: crate::dataset::Dataset::validate

use std::collections::BTreeSet;

use crate::cadre::Duty;

/// The longest free-text value (a name, a phone number, a note), in
/// characters.
pub const MAX_TEXT_CHARS: usize = 4096;

/// The number of characters of `text` when it is over [`MAX_TEXT_CHARS`],
/// `None` when it fits. Counts bytes first, so the usual short text costs
/// one comparison.
///
/// ```
/// use minqing::io::cell::{MAX_TEXT_CHARS, too_long};
/// assert_eq!(too_long("李某某"), None);
/// assert_eq!(too_long(&"字".repeat(MAX_TEXT_CHARS)), None);
/// assert_eq!(too_long(&"a".repeat(MAX_TEXT_CHARS + 1)), Some(MAX_TEXT_CHARS + 1));
/// ```
pub fn too_long(text: &str) -> Option<usize> {
    if text.len() <= MAX_TEXT_CHARS {
        return None;
    }
    let n = text.chars().count();
    (n > MAX_TEXT_CHARS).then_some(n)
}

/// The Chinese and English messages for a text of `n` characters in the
/// field whose human name is `zh_field` / `en_field`: one wording for the
/// CSV reader and [`Dataset::validate`].
///
/// [`Dataset::validate`]: crate::dataset::Dataset::validate
pub(crate) fn too_long_messages(zh_field: &str, en_field: &str, n: usize) -> (String, String) {
    (
        format!("{zh_field}长 {n} 个字符，最多 {MAX_TEXT_CHARS} 个"),
        format!("`{en_field}` is {n} characters long; at most {MAX_TEXT_CHARS} are allowed"),
    )
}

/// The items of a `|`-separated list cell; an empty cell has none.
///
/// ```
/// use minqing::io::cell::list_items;
/// assert_eq!(list_items("hardship|disabled").collect::<Vec<_>>(), ["hardship", "disabled"]);
/// assert_eq!(list_items("").count(), 0);
/// ```
pub fn list_items(cell: &str) -> impl Iterator<Item = &str> {
    cell.split('|').filter(move |_| !cell.is_empty())
}

/// The word a duties cell writes for "no duty at all".
pub const NO_DUTY: &str = "none";

/// Reads a duties cell: `None` or an empty cell is all five duties,
/// [`NO_DUTY`] is none, anything else a `|` list of [`Duty`] words.
///
/// # Errors
/// The words that are not duties, in the order written; the cell is then
/// refused whole.
///
/// ```
/// use minqing::cadre::Duty;
/// use minqing::io::cell::parse_duties;
/// assert_eq!(parse_duties(None).unwrap().len(), 5);
/// assert_eq!(parse_duties(Some("")).unwrap().len(), 5);
/// assert!(parse_duties(Some("none")).unwrap().is_empty());
/// assert_eq!(parse_duties(Some("liaison|mediator")).unwrap().into_iter().collect::<Vec<_>>(),
///            [Duty::Liaison, Duty::Mediator]);
/// assert_eq!(parse_duties(Some("liaison|cook")), Err(vec!["cook"]));
/// ```
pub fn parse_duties(cell: Option<&str>) -> Result<BTreeSet<Duty>, Vec<&str>> {
    let cell = match cell {
        None | Some("") => return Ok(Duty::ALL.iter().copied().collect()),
        Some(NO_DUTY) => return Ok(BTreeSet::new()),
        Some(c) => c,
    };
    let mut out = BTreeSet::new();
    let mut bad = Vec::new();
    for w in list_items(cell) {
        match Duty::parse(w) {
            Some(d) => {
                out.insert(d);
            }
            None => bad.push(w),
        }
    }
    if bad.is_empty() { Ok(out) } else { Err(bad) }
}

/// How a duties cell is written: empty for all five, [`NO_DUTY`] for none,
/// the words joined by `|` otherwise. [`parse_duties`] reads it back.
///
/// ```
/// use std::collections::BTreeSet;
/// use minqing::cadre::Duty;
/// use minqing::io::cell::{format_duties, parse_duties};
/// for set in [BTreeSet::new(), Duty::ALL.iter().copied().collect(), [Duty::Proxy].into()] {
///     assert_eq!(parse_duties(Some(&format_duties(&set))).unwrap(), set);
/// }
/// ```
pub fn format_duties(duties: &BTreeSet<Duty>) -> String {
    if duties.len() == Duty::ALL.len() {
        String::new()
    } else if duties.is_empty() {
        NO_DUTY.to_string()
    } else {
        let words: Vec<&str> = duties.iter().map(|d| d.as_str()).collect();
        words.join("|")
    }
}

/// An event kind cell: one word, with no white space at an end and no
/// control character; a word that is not one of [`EventKind::KNOWN`] is
/// kept as [`EventKind::Custom`]. The one grammar of events.csv, the JSON
/// document and Arrow tables.
///
/// ```
/// use minqing::event::EventKind;
/// use minqing::io::cell::event_kind;
/// assert_eq!(event_kind("funeral"), Some(EventKind::Funeral));
/// assert_eq!(event_kind("new_baby"), Some(EventKind::Custom("new_baby".into())));
/// assert_eq!(event_kind(" funeral"), None);
/// ```
///
/// [`EventKind::KNOWN`]: crate::event::EventKind::KNOWN
/// [`EventKind::Custom`]: crate::event::EventKind::Custom
pub fn event_kind(s: &str) -> Option<crate::event::EventKind> {
    let ok = !s.is_empty() && s.trim() == s && !s.chars().any(char::is_control);
    ok.then(|| crate::event::EventKind::parse(s))
}

/// The words an event kind cell takes, for messages: the known kinds,
/// then "any other word".
pub fn event_kind_words() -> Vec<&'static str> {
    crate::event::EventKind::KNOWN
        .iter()
        .map(crate::event::EventKind::as_str)
        .chain(["any other word"])
        .collect()
}

/// A count argument that is not a whole number from 0 to `u32::MAX` (a
/// number of days, of problems to keep, of members).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0} is not a whole number from 0 to 4294967295 / {0} 不是 0 到 4294967295 之间的整数")]
pub struct CountError(pub String);

impl crate::problem::CodedError for CountError {
    fn code(&self) -> crate::problem::Code {
        crate::problem::Code::FieldBadNumber
    }
}

/// `n` as a count: the one rule for every count a binding is given as a
/// wider integer (Python's `int`, a JavaScript number).
///
/// ```
/// use minqing::io::cell::count;
/// assert_eq!(count(3), Ok(3));
/// assert!(count(-1).is_err() && count(1 << 40).is_err());
/// ```
///
/// # Errors
/// [`CountError`] below 0 or above `u32::MAX`.
pub fn count(n: i64) -> Result<u32, CountError> {
    u32::try_from(n).map_err(|_| CountError(n.to_string()))
}

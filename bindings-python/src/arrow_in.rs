//! Arrow tables in: columns to core records. Conversion only: every cell
//! becomes the field of a record or a problem naming its table, row and
//! column; the rules of a data set are checked by `Dataset.validate`.
//!
//! Column names are those of the CSV files (shared/spec/formats.md). Cells
//! may be typed (dates, timestamps, integers, booleans, lists) or text, as
//! in a CSV export read with every column as a string. Extra columns are
//! ignored.

use std::collections::{BTreeSet, HashMap};
use std::str::FromStr;

use arrow_array::cast::AsArray;
use arrow_array::types::{Date32Type, Float64Type, TimestampMicrosecondType};
use arrow_array::{Array, ArrayRef, RecordBatch};
use arrow_schema::{DataType, TimeUnit};
use chrono::{NaiveDate, NaiveDateTime, TimeDelta};
use minqing::assign::Assignment;
use minqing::cadre::{Cadre, Duty, DutySpan, DutyStatus, Rank, Team, TeamKind};
use minqing::case::{Entry, RequestEvent, RequestLog as CoreLog};
use minqing::dataset::Dataset;
use minqing::event::HouseholdEvent;
use minqing::household::{Household, Residency, Tag, check_tag};
use minqing::id::{CadreId, HouseholdId, IdError, RequestId, TeamId, UnitId};
use minqing::io::columnar::{
    HouseholdRows, LoadOptions, LoadedHouseholds, LoadedVisits, VisitRows,
};
use minqing::io::words_of;
use minqing::org::{Unit, UnitKind};
use minqing::problem::{Code, CodedError, Location, Problem, Report};
use minqing::visit::{Mode, Visit};

/// The record batches of each table passed to `Dataset.from_arrow`.
#[derive(Default)]
pub(crate) struct Tables {
    pub units: Option<Vec<RecordBatch>>,
    pub households: Option<Vec<RecordBatch>>,
    pub cadres: Option<Vec<RecordBatch>>,
    pub teams: Option<Vec<RecordBatch>>,
    pub duty: Option<Vec<RecordBatch>>,
    pub assignments: Option<Vec<RecordBatch>>,
    pub visits: Option<Vec<RecordBatch>>,
    pub events: Option<Vec<RecordBatch>>,
}

/// What a column must hold; it decides which Arrow types are accepted.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Want {
    /// Text: IDs, names, words such as `resident`.
    Text,
    /// A whole number that is not negative.
    Count,
    /// A calendar date.
    Date,
    /// A date and time in China Standard Time.
    DateTime,
    /// `true` or `false`.
    Bool,
    /// A list of words: an Arrow list of strings, or text joined by `|`.
    List,
}

/// One column, cast to the one Arrow type its reader understands.
enum Col {
    Absent,
    Null,
    Text(ArrayRef),
    Number(ArrayRef),
    Bool(ArrayRef),
    Date(ArrayRef),
    /// Microseconds; `true` when the column has a time zone (then the value
    /// is an instant, shown in China Standard Time).
    Time(ArrayRef, bool),
    List(ArrayRef),
}

struct Column {
    name: &'static str,
    /// 1-based position in the table.
    position: u64,
    col: Col,
}

/// China Standard Time: UTC+8, no daylight saving (formats.md).
const CST: TimeDelta = TimeDelta::hours(8);

fn is_text(t: &DataType) -> bool {
    match t {
        DataType::Utf8 | DataType::LargeUtf8 | DataType::Utf8View => true,
        DataType::Dictionary(_, v) => is_text(v),
        _ => false,
    }
}

fn cast(a: &ArrayRef, to: &DataType) -> Option<ArrayRef> {
    arrow_cast::cast(a.as_ref(), to).ok()
}

/// Casts `a` to the form [`Col`] reads for `want`; `None` when its type
/// cannot hold such values.
fn normalise(a: &ArrayRef, want: Want) -> Option<Col> {
    let t = a.data_type();
    if *t == DataType::Null {
        return Some(Col::Null);
    }
    if is_text(t) {
        return cast(a, &DataType::Utf8).map(Col::Text);
    }
    match (want, t) {
        (Want::Count, t) if t.is_integer() || t.is_floating() || t.is_numeric() => {
            cast(a, &DataType::Float64).map(Col::Number)
        }
        (Want::Bool, DataType::Boolean) => Some(Col::Bool(a.clone())),
        (Want::Date, DataType::Date32 | DataType::Date64) => {
            cast(a, &DataType::Date32).map(Col::Date)
        }
        (Want::Date | Want::DateTime, DataType::Timestamp(_, tz)) => {
            cast(a, &DataType::Timestamp(TimeUnit::Microsecond, tz.clone()))
                .map(|c| Col::Time(c, tz.is_some()))
        }
        (
            Want::List,
            DataType::List(f)
            | DataType::LargeList(f)
            | DataType::ListView(f)
            | DataType::LargeListView(f),
        ) if is_text(f.data_type()) || *f.data_type() == DataType::Null => cast(
            a,
            &DataType::List(std::sync::Arc::new(arrow_schema::Field::new_list_field(
                DataType::Utf8,
                true,
            ))),
        )
        .map(Col::List),
        _ => None,
    }
}

/// Reads one table, batch after batch, reporting every bad cell.
struct TableReader<'r> {
    table: &'static str,
    report: &'r mut Report,
}

impl TableReader<'_> {
    fn column_problem(
        &mut self,
        code: Code,
        col: &str,
        position: Option<u64>,
        zh: String,
        en: String,
    ) {
        let mut loc = Location::file(self.table).with_field(col);
        loc.column = position;
        self.report.push(Problem::new(code, loc, zh, en));
    }

    /// The columns of `batch` named in `spec`, cast for reading. A missing
    /// required column or a column of an unusable type is reported once
    /// here, and `None` is returned: its rows are not read.
    fn columns(
        &mut self,
        batch: &RecordBatch,
        spec: &[(&'static str, Want, bool)],
        report_columns: bool,
    ) -> Option<Vec<Column>> {
        let schema = batch.schema();
        let mut out = Vec::with_capacity(spec.len());
        let mut ok = true;
        for &(name, want, required) in spec {
            let Ok(i) = schema.index_of(name) else {
                if required {
                    ok = false;
                    if report_columns {
                        self.column_problem(
                            Code::CsvMissingColumn,
                            name,
                            None,
                            format!("表 {} 缺少必需的列 `{name}`", self.table),
                            format!("table {} lacks the required column `{name}`", self.table),
                        );
                    }
                }
                out.push(Column {
                    name,
                    position: 0,
                    col: Col::Absent,
                });
                continue;
            };
            let position = i as u64 + 1;
            match normalise(batch.column(i), want) {
                Some(col) => out.push(Column {
                    name,
                    position,
                    col,
                }),
                None => {
                    ok = false;
                    if report_columns {
                        let ty = batch.column(i).data_type().to_string();
                        self.column_problem(
                            Code::FieldBadValue,
                            name,
                            Some(position),
                            format!(
                                "表 {} 的列 `{name}` 类型 {ty} 不能转换为{}",
                                self.table,
                                want_zh(want)
                            ),
                            format!(
                                "table {}: column `{name}` of type {ty} cannot hold {}",
                                self.table,
                                want_en(want)
                            ),
                        );
                    }
                }
            }
        }
        ok.then_some(out)
    }
}

fn want_zh(w: Want) -> &'static str {
    match w {
        Want::Text => "文本",
        Want::Count => "非负整数",
        Want::Date => "日期",
        Want::DateTime => "日期时间",
        Want::Bool => "布尔值",
        Want::List => "列表",
    }
}

fn want_en(w: Want) -> &'static str {
    match w {
        Want::Text => "text",
        Want::Count => "whole numbers",
        Want::Date => "dates",
        Want::DateTime => "date-times",
        Want::Bool => "booleans",
        Want::List => "lists of words",
    }
}

/// One row of a batch: typed cell getters that report bad cells.
struct Row<'a, 'r> {
    table: &'static str,
    cols: &'a [Column],
    /// Row in the batch.
    i: usize,
    /// Row in the whole table (0-based), for the location.
    row: usize,
    report: &'r mut Report,
}

impl Row<'_, '_> {
    fn col(&self, k: usize) -> &Column {
        &self.cols[k]
    }

    fn bad(&mut self, k: usize, code: Code, zh: String, en: String) {
        let c = &self.cols[k];
        let mut loc = Location::default()
            .at_path(format!("{}[{}]", self.table, self.row))
            .with_field(c.name);
        if c.position > 0 {
            loc.column = Some(c.position);
        }
        let where_ = format!("{}[{}].{}", self.table, self.row, c.name);
        self.report.push(Problem::new(
            code,
            loc,
            format!("{where_}：{zh}"),
            format!("{where_}: {en}"),
        ));
    }

    /// The text of cell `k`; `None` when null or absent. Empty text counts
    /// as absent, as an empty CSV cell does.
    fn text(&self, k: usize) -> Option<&str> {
        match &self.col(k).col {
            Col::Text(a) => {
                let a = a.as_string::<i32>();
                (!a.is_null(self.i))
                    .then(|| a.value(self.i))
                    .filter(|s| !s.is_empty())
            }
            _ => None,
        }
    }

    fn is_null(&self, k: usize) -> bool {
        match &self.col(k).col {
            Col::Absent | Col::Null => true,
            Col::Text(_) => self.text(k).is_none(),
            Col::Number(a) | Col::Bool(a) | Col::Date(a) | Col::Time(a, _) | Col::List(a) => {
                a.is_null(self.i)
                    || (matches!(self.col(k).col, Col::Number(_))
                        && a.as_primitive::<Float64Type>().value(self.i).is_nan())
            }
        }
    }

    /// A required cell is there, or a `field.empty` problem.
    fn required(&mut self, k: usize) -> bool {
        if self.is_null(k) {
            let name = self.col(k).name;
            self.bad(
                k,
                Code::FieldEmpty,
                format!("必填字段 {name} 为空"),
                format!("required field `{name}` is empty"),
            );
            false
        } else {
            true
        }
    }

    fn id<T: FromStr<Err = IdError>>(&mut self, k: usize, required: bool) -> Option<T> {
        if self.is_null(k) {
            if required {
                self.required(k);
            }
            return None;
        }
        let s = self.text(k)?.to_owned();
        match T::from_str(&s) {
            Ok(id) => Some(id),
            Err(e) => {
                self.bad(
                    k,
                    Code::FieldBadId,
                    format!("编号 {s:?} 无效：{}", e.message().zh),
                    format!("bad ID {s:?}: {e}"),
                );
                None
            }
        }
    }

    fn text_owned(&mut self, k: usize, required: bool) -> Option<String> {
        if required && !self.required(k) {
            return None;
        }
        self.text(k).map(str::to_owned)
    }

    fn word<T>(
        &mut self,
        k: usize,
        required: bool,
        parse: impl Fn(&str) -> Option<T>,
        allowed: &[&str],
    ) -> Option<T> {
        if self.is_null(k) {
            if required {
                self.required(k);
            }
            return None;
        }
        let s = self.text(k)?.to_owned();
        let v = parse(&s);
        if v.is_none() {
            let list = allowed.join(", ");
            self.bad(
                k,
                Code::FieldBadValue,
                format!("{s:?} 不是允许的取值（{list}）"),
                format!("{s:?} is not one of {list}"),
            );
        }
        v
    }

    fn count(&mut self, k: usize) -> Option<u32> {
        if self.is_null(k) {
            return None;
        }
        let v = match &self.col(k).col {
            Col::Number(a) => Some(a.as_primitive::<Float64Type>().value(self.i)),
            Col::Text(_) => self
                .text(k)
                .and_then(|s| s.trim().parse::<u64>().ok())
                .map(|n| n as f64),
            _ => None,
        };
        match v {
            Some(x) if x >= 0.0 && x.fract() == 0.0 && x <= f64::from(u32::MAX) => Some(x as u32),
            _ => {
                let shown = self.shown(k);
                self.bad(
                    k,
                    Code::FieldBadNumber,
                    format!("{shown} 不是非负整数"),
                    format!("{shown} is not a whole number ≥ 0"),
                );
                None
            }
        }
    }

    fn shown(&self, k: usize) -> String {
        match &self.col(k).col {
            Col::Number(a) => a.as_primitive::<Float64Type>().value(self.i).to_string(),
            Col::Text(_) => format!("{:?}", self.text(k).unwrap_or("")),
            Col::Time(a, _) | Col::Date(a) => {
                arrow_cast::display::ArrayFormatter::try_new(a.as_ref(), &Default::default())
                    .map(|f| f.value(self.i).to_string())
                    .unwrap_or_default()
            }
            _ => String::new(),
        }
    }

    fn timestamp(&self, k: usize) -> Option<NaiveDateTime> {
        match &self.col(k).col {
            Col::Time(a, zoned) => {
                let us = a.as_primitive::<TimestampMicrosecondType>().value(self.i);
                let t = chrono::DateTime::from_timestamp_micros(us)?.naive_utc();
                Some(if *zoned { t + CST } else { t })
            }
            _ => None,
        }
    }

    fn date(&mut self, k: usize, required: bool) -> Option<NaiveDate> {
        if self.is_null(k) {
            if required {
                self.required(k);
            }
            return None;
        }
        let v = match &self.col(k).col {
            Col::Date(a) => a.as_primitive::<Date32Type>().value_as_date(self.i),
            Col::Time(..) => self
                .timestamp(k)
                .filter(|t| t.time() == chrono::NaiveTime::MIN)
                .map(|t| t.date()),
            Col::Text(_) => self.text(k).and_then(|s| minqing::io::parse_date(s).ok()),
            _ => None,
        };
        if v.is_none() {
            let shown = self.shown(k);
            self.bad(
                k,
                Code::FieldBadDate,
                format!("{shown} 不是有效日期"),
                format!("{shown} is not a valid date"),
            );
        }
        v
    }

    fn datetime(&mut self, k: usize, required: bool) -> Option<NaiveDateTime> {
        if self.is_null(k) {
            if required {
                self.required(k);
            }
            return None;
        }
        let v = match &self.col(k).col {
            Col::Time(..) => self.timestamp(k),
            Col::Text(_) => self
                .text(k)
                .and_then(|s| minqing::io::parse_datetime(s).ok()),
            _ => None,
        };
        if v.is_none() {
            let shown = self.shown(k);
            self.bad(
                k,
                Code::FieldBadDatetime,
                format!("{shown} 不是有效的日期时间"),
                format!("{shown} is not a valid date-time"),
            );
        }
        v
    }

    fn boolean(&mut self, k: usize) -> Option<bool> {
        if self.is_null(k) {
            return None;
        }
        let v = match &self.col(k).col {
            Col::Bool(a) => Some(a.as_boolean().value(self.i)),
            Col::Text(_) => match self.text(k) {
                Some("true") => Some(true),
                Some("false") => Some(false),
                _ => None,
            },
            _ => None,
        };
        if v.is_none() {
            let shown = self.shown(k);
            self.bad(
                k,
                Code::FieldBadBool,
                format!("{shown} 不是 true 或 false"),
                format!("{shown} is not true or false"),
            );
        }
        v
    }

    /// The words of a list cell: an Arrow list, or text joined by `|`.
    fn words(&self, k: usize) -> Vec<String> {
        if self.is_null(k) {
            return Vec::new();
        }
        match &self.col(k).col {
            Col::List(a) => {
                let item = a.as_list::<i32>().value(self.i);
                let s = item.as_string::<i32>();
                (0..s.len())
                    .filter(|&j| !s.is_null(j))
                    .map(|j| s.value(j).to_owned())
                    .collect()
            }
            Col::Text(_) => self
                .text(k)
                .map(|s| {
                    minqing::io::cell::list_items(s)
                        .map(str::to_owned)
                        .collect()
                })
                .unwrap_or_default(),
            _ => Vec::new(),
        }
    }

    fn tags(&mut self, k: usize) -> BTreeSet<Tag> {
        let mut out = BTreeSet::new();
        for w in self.words(k) {
            match check_tag(&w) {
                Ok(()) => {
                    out.insert(Tag::parse(&w));
                }
                Err(e) => self.bad(
                    k,
                    Code::FieldBadValue,
                    format!("标签 {w:?} 无效：{e}"),
                    format!("bad tag {w:?}: {e}"),
                ),
            }
        }
        out
    }

    fn ids<T: FromStr<Err = IdError>>(&mut self, k: usize) -> Vec<T> {
        let mut out = Vec::new();
        for w in self.words(k) {
            match T::from_str(&w) {
                Ok(id) => out.push(id),
                Err(e) => self.bad(
                    k,
                    Code::FieldBadId,
                    format!("编号 {w:?} 无效：{}", e.message().zh),
                    format!("bad ID {w:?}: {e}"),
                ),
            }
        }
        out
    }
}

/// Reads every batch of `table` with `spec`, building one record a row with
/// `build` (which returns `None` when a required cell was bad).
fn read<T>(
    table: &'static str,
    batches: Option<&[RecordBatch]>,
    spec: &[(&'static str, Want, bool)],
    report: &mut Report,
    build: impl Fn(&mut Row) -> Option<T>,
) -> Vec<T> {
    let Some(batches) = batches else {
        return Vec::new();
    };
    let mut out = Vec::with_capacity(batches.iter().map(RecordBatch::num_rows).sum());
    let mut offset = 0;
    for (b, batch) in batches.iter().enumerate() {
        let mut reader = TableReader { table, report };
        // column problems are the same in every batch: report them once
        let Some(cols) = reader.columns(batch, spec, b == 0) else {
            offset += batch.num_rows();
            continue;
        };
        for i in 0..batch.num_rows() {
            let mut row = Row {
                table,
                cols: &cols,
                i,
                row: offset + i,
                report,
            };
            if let Some(record) = build(&mut row) {
                out.push(record);
            }
        }
        offset += batch.num_rows();
    }
    out
}

/// Reads every batch of `table` with `spec` as [`read`] does, but hands
/// each row to `each` as its record or, when a cell was bad, the row's
/// problems (the row is then not built into anything). Returns `false`,
/// with the column problems in `report`, when a required column is missing
/// or has an unusable type: then no row is read.
fn read_each<T>(
    table: &'static str,
    batches: &[RecordBatch],
    spec: &[(&'static str, Want, bool)],
    report: &mut Report,
    build: impl Fn(&mut Row) -> Option<T>,
    mut each: impl FnMut(usize, Result<T, Vec<Problem>>),
) -> bool {
    let mut offset = 0;
    for (b, batch) in batches.iter().enumerate() {
        let mut reader = TableReader { table, report };
        let Some(cols) = reader.columns(batch, spec, b == 0) else {
            return false;
        };
        for i in 0..batch.num_rows() {
            let before = report.problems.len();
            let mut row = Row {
                table,
                cols: &cols,
                i,
                row: offset + i,
                report,
            };
            let record = build(&mut row);
            let problems = report.problems.split_off(before);
            let bad = problems.iter().any(Problem::is_error);
            match record {
                Some(r) if !bad => each(offset + i, Ok(r)),
                _ => each(offset + i, Err(problems)),
            }
        }
        offset += batch.num_rows();
    }
    true
}

/// Where row `row` of `table` is, naming `field`.
fn row_location(table: &str, row: usize, field: &str) -> Location {
    Location::default()
        .at_path(format!("{table}[{row}]"))
        .with_field(field)
}

/// Households and visits for compliance from Arrow tables, under the CSV
/// loader's rules (`minqing::io::columnar`): a bad row is skipped, counted
/// and its problems kept with its row and field; a duplicate household, a
/// visit outside `opts.window` or naming an unknown household is counted
/// and left out. Only a missing or unusable required column is an error.
pub(crate) fn compliance_columns(
    households: &[RecordBatch],
    visits: &[RecordBatch],
    hopts: &LoadOptions,
    vopts: &LoadOptions,
) -> Result<(LoadedHouseholds, LoadedVisits), Report> {
    use Want::*;
    let mut columns = Report::new();
    let mut hrows = HouseholdRows::new(hopts);
    let ok = read_each(
        "households",
        households,
        &[
            ("household_id", Text, true),
            ("village_id", Text, true),
            ("residency", Text, true),
            ("tags", List, false),
            ("registered_on", Date, false),
        ],
        &mut columns,
        |row| {
            let id = row.id::<HouseholdId>(0, true);
            let village = row.id::<UnitId>(1, true);
            let residency = row.word(
                2,
                true,
                Residency::parse,
                &words_of(&Residency::ALL, Residency::as_str),
            );
            let tags = row.tags(3);
            let registered = row.date(4, false);
            Some((id?, village?, residency?, tags, registered))
        },
        |row, r| match r {
            Ok((id, village, residency, tags, registered)) => {
                hrows.push(
                    id.as_str(),
                    village.as_str(),
                    residency,
                    tags.iter().map(|t| t.as_str()),
                    registered,
                    || row_location("households", row, "household_id"),
                );
            }
            Err(problems) => hrows.bad(problems),
        },
    );
    if !ok {
        return Err(columns);
    }
    let hs = hrows.finish();
    let mut vrows = VisitRows::new(&hs.index, vopts);
    let modes = words_of(Mode::ALL, Mode::as_str);
    let ok = read_each(
        "visits",
        visits,
        &[
            ("household_id", Text, true),
            ("cadre_id", Text, true),
            ("at", DateTime, true),
            ("mode", Text, true),
            ("signed", Bool, false),
        ],
        &mut columns,
        |row| {
            let household = row.id::<HouseholdId>(0, true);
            let cadre = row.id::<CadreId>(1, true);
            let at = row.datetime(2, true);
            let mode = row.word(3, true, Mode::parse, &modes);
            let signed = row.boolean(4).unwrap_or(false);
            cadre?;
            Some((household?, at?, mode?, signed))
        },
        |row, r| match r {
            Ok((household, at, mode, signed)) => {
                vrows.push(household.as_str(), at.date(), mode, signed, || {
                    row_location("visits", row, "household_id")
                });
            }
            Err(problems) => vrows.bad(problems),
        },
    );
    if !ok {
        return Err(columns);
    }
    let vs = vrows.finish();
    Ok((hs, vs))
}

/// Request logs from an Arrow table mirroring the JSON Lines entries
/// (`minqing::case::read_jsonl`): one row an event, columns `request_id`,
/// `at`, `event` (the `RequestEvent` as JSON text), and optionally `seq`,
/// `prev_hash`, `hash`. Rows are grouped into logs by `request_id` in order
/// of first appearance, each keeping its rows' order.
///
/// With a `hash` column the rows are entries, taken as they are (check them
/// with `RequestLog.verify`), as `read_jsonl` takes lines. Without one each
/// row's event is appended to its log, so that every event is checked
/// against the state folded so far and a refused event is reported.
///
/// Every bad row is a problem naming the table, its row and the field;
/// good rows are kept. The caller decides whether problems stop it.
pub(crate) fn request_logs(batches: &[RecordBatch]) -> (Vec<CoreLog>, Report) {
    use Want::*;
    const TABLE: &str = "requests";
    let mut report = Report::new();
    let entries_mode = batches
        .first()
        .is_some_and(|b| b.schema().column_with_name("hash").is_some());
    let mut order: Vec<RequestId> = Vec::new();
    let mut logs: HashMap<RequestId, CoreLog> = HashMap::new();
    let mut entries: HashMap<RequestId, Vec<Entry>> = HashMap::new();
    let mut late: Vec<Problem> = Vec::new();
    let spec: &[(&'static str, Want, bool)] = &[
        ("request_id", Text, true),
        ("at", DateTime, true),
        ("event", Text, true),
        ("seq", Count, entries_mode),
        ("prev_hash", Text, entries_mode),
        ("hash", Text, entries_mode),
    ];
    read_each(
        TABLE,
        batches,
        spec,
        &mut report,
        |row| {
            let id = row.id::<RequestId>(0, true);
            let at = row.datetime(1, true);
            let event = row.text_owned(2, true);
            let seq = row.count(3);
            let prev = row.text_owned(4, entries_mode);
            let hash = row.text_owned(5, entries_mode);
            let text = event?;
            let event: RequestEvent = match serde_json::from_str(&text) {
                Ok(e) => e,
                Err(e) => {
                    let (code, zh, en) = if e.is_syntax() || e.is_eof() {
                        (
                            Code::JsonSyntax,
                            "不是合法的 JSON",
                            "is not well-formed JSON",
                        )
                    } else {
                        (Code::JsonShape, "不是事项事件", "is not a request event")
                    };
                    // serde's text may quote the input (personal data):
                    // the column only.
                    row.bad(
                        2,
                        code,
                        format!("{zh}（第 {} 列）", e.column()),
                        format!("{en} (column {})", e.column()),
                    );
                    return None;
                }
            };
            Some((id?, at?, event, seq, prev, hash))
        },
        |row, r| {
            let (id, at, event, seq, prev, hash) = match r {
                Ok(x) => x,
                Err(problems) => {
                    late.extend(problems);
                    return;
                }
            };
            if !logs.contains_key(&id) && !entries.contains_key(&id) {
                order.push(id.clone());
            }
            if entries_mode {
                let entry = serde_json::json!({
                    "request_id": id, "seq": seq.unwrap_or_default(), "at": at,
                    "event": event, "prev_hash": prev, "hash": hash,
                });
                match serde_json::from_value::<Entry>(entry) {
                    Ok(e) => entries.entry(id).or_default().push(e),
                    Err(_) => late.push(Problem::new(
                        Code::JsonShape,
                        row_location(TABLE, row, "hash"),
                        format!("{TABLE}[{row}]：哈希字段无效"),
                        format!("{TABLE}[{row}]: bad hash fields"),
                    )),
                }
            } else {
                let log = logs.entry(id.clone()).or_insert_with(|| CoreLog::new(id));
                if let Err(e) = log.append(at, event) {
                    late.push(e.to_problem(row_location(TABLE, row, "event")));
                }
            }
        },
    );
    report.extend(late);
    let logs = order
        .into_iter()
        .filter_map(|id| {
            if entries_mode {
                let es = entries.remove(&id)?;
                Some(CoreLog::from_entries(id, es))
            } else {
                logs.remove(&id).filter(|l| !l.is_empty())
            }
        })
        .collect();
    (logs, report)
}

/// The rows of an assignments table: `household_id`, `cadre_id`, `from`
/// required, `to` optional (the columns of assignments.csv).
fn read_assignments(batches: Option<&[RecordBatch]>, r: &mut Report) -> Vec<Assignment> {
    use Want::*;
    read(
        "assignments",
        batches,
        &[
            ("household_id", Text, true),
            ("cadre_id", Text, true),
            ("from", Date, true),
            ("to", Date, false),
        ],
        r,
        |row| {
            let household = row.id::<HouseholdId>(0, true);
            let cadre = row.id::<CadreId>(1, true);
            let from = row.date(2, true);
            let to = row.date(3, false);
            Some(Assignment {
                household: household?,
                cadre: cadre?,
                from: from?,
                to,
            })
        },
    )
}

/// The rows of a household events table: `household_id`, `date`, `kind`,
/// all required (the columns of events.csv; `kind` under
/// [`minqing::io::cell::event_kind`]).
fn read_events(batches: Option<&[RecordBatch]>, r: &mut Report) -> Vec<HouseholdEvent> {
    use Want::*;
    let known = minqing::io::cell::event_kind_words();
    read(
        "events",
        batches,
        &[
            ("household_id", Text, true),
            ("date", Date, true),
            ("kind", Text, true),
        ],
        r,
        |row| {
            let household = row.id::<HouseholdId>(0, true);
            let date = row.date(1, true);
            let kind = row.word(2, true, minqing::io::cell::event_kind, &known);
            Some(HouseholdEvent {
                household: household?,
                date: date?,
                kind: kind?,
            })
        },
    )
}

/// The assignments of an Arrow table, and the problems of its bad rows.
pub(crate) fn assignments(batches: &[RecordBatch]) -> (Vec<Assignment>, Report) {
    let mut report = Report::new();
    let records = read_assignments(Some(batches), &mut report);
    (records, report)
}

/// The household events of an Arrow table, and the problems of its bad
/// rows.
pub(crate) fn events(batches: &[RecordBatch]) -> (Vec<HouseholdEvent>, Report) {
    let mut report = Report::new();
    let records = read_events(Some(batches), &mut report);
    (records, report)
}

/// Converts the tables to a [`Dataset`], or returns every problem found.
pub(crate) fn to_dataset(t: &Tables) -> Result<Dataset, Report> {
    use Want::*;
    let mut report = Report::new();
    let r = &mut report;
    let mut ds = Dataset::new();

    ds.units = read(
        "units",
        t.units.as_deref(),
        &[
            ("unit_id", Text, true),
            ("kind", Text, true),
            ("parent_id", Text, false),
            ("name", Text, false),
            ("population", Count, false),
        ],
        r,
        |row| {
            let id = row.id::<UnitId>(0, true);
            let kind = row.word(
                1,
                true,
                UnitKind::parse,
                &words_of(&UnitKind::ALL, UnitKind::as_str),
            );
            let parent = row.id::<UnitId>(2, false);
            let name = row.text_owned(3, false);
            let population = row.count(4);
            Some(Unit {
                id: id?,
                kind: kind?,
                parent,
                name,
                population,
            })
        },
    );

    ds.households = read(
        "households",
        t.households.as_deref(),
        &[
            ("household_id", Text, true),
            ("village_id", Text, true),
            ("residency", Text, true),
            ("tags", List, false),
            ("name", Text, false),
            ("phone", Text, false),
            ("members", Count, false),
            ("head_birth_date", Date, false),
            ("registered_on", Date, false),
        ],
        r,
        |row| {
            let id = row.id::<HouseholdId>(0, true);
            let village = row.id::<UnitId>(1, true);
            let residency = row.word(
                2,
                true,
                Residency::parse,
                &words_of(&Residency::ALL, Residency::as_str),
            );
            // every cell is read (and each bad one reported) before the
            // record is built, as the CSV reader does
            let tags = row.tags(3);
            let name = row.text_owned(4, false);
            let phone = row.text_owned(5, false);
            let members = row.count(6);
            let head_birth_date = row.date(7, false);
            let registered_on = row.date(8, false);
            let mut h = Household::new(id?, village?, residency?);
            h.tags = tags;
            h.name = name;
            h.phone = phone;
            h.members = members;
            h.head_birth_date = head_birth_date;
            h.registered_on = registered_on;
            Some(h)
        },
    );

    let ranks = words_of(Rank::ALL, Rank::as_str);
    let duties = words_of(Duty::ALL, Duty::as_str);
    ds.cadres = read(
        "cadres",
        t.cadres.as_deref(),
        &[
            ("cadre_id", Text, true),
            ("name", Text, true),
            ("phone", Text, false),
            ("rank", Text, false),
            ("unit_id", Text, false),
            ("min_households", Count, false),
            ("max_households", Count, false),
            ("duties", List, false),
        ],
        r,
        |row| {
            let id = row.id::<CadreId>(0, true);
            let name = row.text_owned(1, true);
            let phone = row.text_owned(2, false);
            let rank = row.word(3, false, Rank::parse, &ranks);
            let unit = row.id::<UnitId>(4, false);
            let min_households = row.count(5);
            let max_households = row.count(6);
            // one cell grammar with the CSV reader: empty is all five,
            // `none` is none (minqing::io::cell::parse_duties)
            let cell = row.words(7).join("|");
            let duty_set = match minqing::io::cell::parse_duties(Some(&cell)) {
                Ok(set) => Some(set),
                Err(bad) => {
                    for w in bad {
                        row.bad(
                            7,
                            Code::FieldBadValue,
                            format!("{w:?} 不是五大员之一（{}）", duties.join(", ")),
                            format!("{w:?} is not one of {}", duties.join(", ")),
                        );
                    }
                    None
                }
            };
            let mut c = Cadre::new(id?, name?);
            c.phone = phone;
            c.rank = rank;
            c.unit = unit;
            c.min_households = min_households;
            c.max_households = max_households;
            if let Some(set) = duty_set {
                c.duties = set;
            }
            Some(c)
        },
    );

    let team_kinds = words_of(TeamKind::ALL, TeamKind::as_str);
    ds.teams = read(
        "teams",
        t.teams.as_deref(),
        &[
            ("team_id", Text, true),
            ("kind", Text, true),
            ("unit_id", Text, true),
            ("leader", Text, true),
            ("deputy", Text, false),
            ("members", List, false),
        ],
        r,
        |row| {
            let id = row.id::<TeamId>(0, true);
            let kind = row.word(1, true, TeamKind::parse, &team_kinds);
            let unit = row.id::<UnitId>(2, true);
            let leader = row.id::<CadreId>(3, true);
            let deputy = row.id::<CadreId>(4, false);
            let members = row.ids::<CadreId>(5);
            Some(Team {
                id: id?,
                kind: kind?,
                unit: unit?,
                leader: leader?,
                deputy,
                members,
            })
        },
    );

    let statuses = words_of(DutyStatus::ALL, DutyStatus::as_str);
    ds.duty = read(
        "duty",
        t.duty.as_deref(),
        &[
            ("cadre_id", Text, true),
            ("status", Text, true),
            ("from", DateTime, true),
            ("to", DateTime, false),
        ],
        r,
        |row| {
            let cadre = row.id::<CadreId>(0, true);
            let status = row.word(1, true, DutyStatus::parse, &statuses);
            let from = row.datetime(2, true);
            let to = row.datetime(3, false);
            Some(DutySpan {
                cadre: cadre?,
                status: status?,
                from: from?,
                to,
            })
        },
    );

    ds.assignments = read_assignments(t.assignments.as_deref(), r);
    ds.events = read_events(t.events.as_deref(), r);

    ds.visits = read(
        "visits",
        t.visits.as_deref(),
        &[
            ("household_id", Text, true),
            ("cadre_id", Text, true),
            ("at", DateTime, true),
            ("mode", Text, true),
            ("signed", Bool, false),
            ("note", Text, false),
        ],
        r,
        |row| {
            let household = row.id::<HouseholdId>(0, true);
            let cadre = row.id::<CadreId>(1, true);
            let at = row.datetime(2, true);
            let mode = row.word(3, true, Mode::parse, &words_of(Mode::ALL, Mode::as_str));
            let signed = row.boolean(4).unwrap_or(false);
            let note = row.text_owned(5, false);
            let mut v = Visit::new(household?, cadre?, at?, mode?);
            v.signed = signed;
            v.note = note;
            Some(v)
        },
    );

    if report.has_errors() {
        Err(report)
    } else {
        Ok(ds)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use arrow_array::{Date32Array, StringArray, TimestampNanosecondArray};
    use std::sync::Arc;

    fn batch(cols: Vec<(&str, ArrayRef)>) -> RecordBatch {
        RecordBatch::try_from_iter(cols).unwrap()
    }

    #[test]
    fn typed_and_text_cells_become_records() {
        let visits = batch(vec![
            (
                "household_id",
                Arc::new(StringArray::from(vec!["H1", "H2"])) as ArrayRef,
            ),
            ("cadre_id", Arc::new(StringArray::from(vec!["A", "A"]))),
            // 2024-02-29T09:30:00 as a naive timestamp
            (
                "at",
                Arc::new(TimestampNanosecondArray::from(vec![
                    1_709_199_000_000_000_000,
                    1_709_199_000_000_000_000,
                ])),
            ),
            (
                "mode",
                Arc::new(StringArray::from(vec!["phone", "in_person"])),
            ),
            ("extra", Arc::new(StringArray::from(vec!["x", "y"]))),
        ]);
        let assignments = batch(vec![
            (
                "household_id",
                Arc::new(StringArray::from(vec!["H1"])) as ArrayRef,
            ),
            ("cadre_id", Arc::new(StringArray::from(vec!["A"]))),
            ("from", Arc::new(Date32Array::from(vec![19_723]))), // 2024-01-01
            ("to", Arc::new(StringArray::from(vec![Some("2024-06-30")]))),
        ]);
        let ds = to_dataset(&Tables {
            visits: Some(vec![visits]),
            assignments: Some(vec![assignments]),
            ..Tables::default()
        })
        .unwrap();
        assert_eq!(ds.visits[0].at.to_string(), "2024-02-29 09:30:00");
        assert_eq!(ds.visits[1].mode, Mode::InPerson);
        assert_eq!(ds.assignments[0].from.to_string(), "2024-01-01");
        assert_eq!(ds.assignments[0].to.unwrap().to_string(), "2024-06-30");
    }

    #[test]
    fn bad_cells_and_missing_columns_are_all_reported() {
        let households = batch(vec![
            (
                "household_id",
                Arc::new(StringArray::from(vec![Some("H1"), None, Some("H3")])) as ArrayRef,
            ),
            (
                "village_id",
                Arc::new(StringArray::from(vec!["V1", "V1", "V1"])),
            ),
            (
                "residency",
                Arc::new(StringArray::from(vec!["resident", "away", "gone"])),
            ),
            (
                "registered_on",
                Arc::new(StringArray::from(vec![
                    "2024-02-30",
                    "2024-01-01",
                    "2024-01-01",
                ])),
            ),
        ]);
        let units = batch(vec![(
            "unit_id",
            Arc::new(StringArray::from(vec!["V1"])) as ArrayRef,
        )]);
        let report = to_dataset(&Tables {
            households: Some(vec![households]),
            units: Some(vec![units]),
            ..Tables::default()
        })
        .unwrap_err();
        let got: Vec<(&str, Option<&str>, Option<&str>)> = report
            .iter()
            .map(|p| {
                (
                    p.code.as_str(),
                    p.location.path.as_deref(),
                    p.location.field.as_deref(),
                )
            })
            .collect();
        assert_eq!(
            got,
            vec![
                ("csv.missing_column", None, Some("kind")),
                (
                    "field.bad_date",
                    Some("households[0]"),
                    Some("registered_on")
                ),
                ("field.empty", Some("households[1]"), Some("household_id")),
                ("field.bad_value", Some("households[2]"), Some("residency")),
            ]
        );
        assert_eq!(report.problems[1].location.column, Some(4));
    }
}

//! A fast columnar loader for `households.csv` and `visits.csv` (列式读取):
//! straight into [`HouseholdColumns`] and [`VisitColumns`] for
//! [`crate::compliance`], at hundreds of megabytes a second.
//!
//! The file is read in blocks cut at record boundaries; a block without a
//! quote character is split at newlines and parsed in parallel (feature
//! `parallel`), a block with quotes is parsed by a quote-aware sequential
//! parser (quoted fields, `""` escapes, newlines inside quotes). Date-times
//! in the common `YYYY-MM-DDTHH:MM[:SS]` layout are parsed byte by byte;
//! `YYYY-MM-DD HH:MM[:SS]` and Excel's `YYYY/M/D H:MM[:SS]` go through a
//! general fallback.
//!
//! Nothing is dropped silently and nothing panics: every data row is
//! counted as kept, outside the window, naming an unknown household, or
//! bad; the first problems (`LoadOptions::max_problems`) are reported with
//! file, line (1-based, the header is line 1), column and a stable code.
//! Only an unreadable input or a header without a required column stops
//! the load.
//!
//! [`HouseholdRows`] and [`VisitRows`] apply the same skip-and-record rules
//! to rows already split into typed cells (an Arrow table from Python), so
//! that every loader counts and keeps rows alike.
#![cfg(feature = "csv")]

use std::io::Read;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::calendar::{Window, day_number, days_in_month};
use crate::compliance::{HouseholdColumns, HouseholdIndex, VisitColumns};
use crate::household::{Residency, check_tag};
use crate::id::check_id;
use crate::problem::{Code, Location, Problem, Report};
use crate::visit::Mode;

/// Options of the columnar readers.
///
/// ```
/// use minqing::io::columnar::LoadOptions;
/// use minqing::calendar::Window;
/// let o = LoadOptions::new("visits.csv").window(Window::year(2024).unwrap()).max_problems(20);
/// assert_eq!(o.max_problems, 20);
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LoadOptions {
    /// The file name used in problem locations.
    pub file: String,
    /// Visits outside this window are counted and left out (all kept when
    /// `None`).
    pub window: Option<Window>,
    /// How many problems are reported one by one (all are counted).
    pub max_problems: usize,
    /// Bytes read at a time (default 16 MiB); a longer record grows it.
    pub block_size: usize,
    /// Rows to reserve room for (e.g. the file size over 36 bytes).
    pub expected_rows: usize,
}

impl LoadOptions {
    /// Defaults for file `file`: no window, 100 problems, 16 MiB blocks.
    pub fn new(file: impl Into<String>) -> Self {
        LoadOptions {
            file: file.into(),
            window: None,
            max_problems: 100,
            block_size: 16 << 20,
            expected_rows: 0,
        }
    }

    /// Keeps only visits inside `w`.
    pub fn window(mut self, w: Window) -> Self {
        self.window = Some(w);
        self
    }

    /// Reports at most `n` problems one by one.
    pub fn max_problems(mut self, n: usize) -> Self {
        self.max_problems = n;
        self
    }

    /// Reads `n` bytes at a time (at least 64).
    pub fn block_size(mut self, n: usize) -> Self {
        self.block_size = n.max(64);
        self
    }

    /// Reserves room for `n` rows.
    pub fn expected_rows(mut self, n: usize) -> Self {
        self.expected_rows = n;
        self
    }
}

/// What happened to the data rows of a file.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct RowCounts {
    /// Data rows read (empty lines aside).
    pub rows: u64,
    /// Rows kept.
    pub kept: u64,
    /// Visits outside the window.
    pub outside_window: u64,
    /// Visits naming a household the households file does not have.
    pub unknown_household: u64,
    /// Households whose ID was already used by an earlier row.
    pub duplicate: u64,
    /// Rows with a malformed or invalid field.
    pub bad: u64,
}

impl RowCounts {
    fn add(&mut self, o: &RowCounts) {
        self.rows += o.rows;
        self.kept += o.kept;
        self.outside_window += o.outside_window;
        self.unknown_household += o.unknown_household;
        self.duplicate += o.duplicate;
        self.bad += o.bad;
    }

    /// Rows not kept.
    pub fn skipped(&self) -> u64 {
        self.rows - self.kept
    }
}

/// The households of a `households.csv`.
#[derive(Debug, Clone)]
pub struct LoadedHouseholds {
    /// The households, in file order (duplicates and bad rows left out).
    pub households: HouseholdColumns,
    /// Their ID index.
    pub index: HouseholdIndex,
    /// Row counts.
    pub counts: RowCounts,
    /// The first problems, with their lines.
    pub problems: Report,
}

/// The visits of a `visits.csv`.
#[derive(Debug, Clone)]
pub struct LoadedVisits {
    /// The visits kept, in file order.
    pub visits: VisitColumns,
    /// Row counts.
    pub counts: RowCounts,
    /// The first problems, with their lines.
    pub problems: Report,
}

// ---------------------------------------------------------------- dates

/// Day number (chrono's `num_days_from_ce`) of a valid y-m-d.
fn ce_days(y: i32, m: u32, d: u32) -> i32 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = if y >= 0 { y } else { y - 399 } / 400;
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy as i32;
    era * 146_097 + doe - 719_468 + 719_163
}

#[inline]
fn digits2(a: u8, b: u8) -> Option<u32> {
    let (a, b) = (a.wrapping_sub(b'0'), b.wrapping_sub(b'0'));
    (a < 10 && b < 10).then(|| u32::from(a) * 10 + u32::from(b))
}

fn valid_ymd(y: u32, m: u32, d: u32) -> Option<i32> {
    let y = i32::try_from(y).ok()?;
    ((1..=12).contains(&m) && d >= 1 && d <= days_in_month(y, m)).then(|| ce_days(y, m, d))
}

/// The day number of a date-time field, accepting exactly what
/// [`crate::io::date::parse_datetime`] accepts: the common
/// `YYYY-MM-DDTHH:MM[:SS]` is read here byte by byte, every other form is
/// handed to that parser, so the fast loader and the general readers can
/// never disagree on what a date-time is (a differential test checks it).
pub fn parse_datetime_day(b: &[u8]) -> Option<i32> {
    if (b.len() == 16 || b.len() == 19)
        && b[4] == b'-'
        && b[7] == b'-'
        && b[10] == b'T'
        && b[13] == b':'
    {
        let y = digits2(b[0], b[1])? * 100 + digits2(b[2], b[3])?;
        let m = digits2(b[5], b[6])?;
        let d = digits2(b[8], b[9])?;
        let hh = digits2(b[11], b[12])?;
        let mm = digits2(b[14], b[15])?;
        if hh > 23 || mm > 59 {
            return None;
        }
        if b.len() == 19 && (b[16] != b':' || digits2(b[17], b[18])? > 59) {
            return None;
        }
        return valid_ymd(y, m, d);
    }
    let s = std::str::from_utf8(b).ok()?;
    super::date::parse_datetime(s)
        .ok()
        .map(|t| day_number(t.date()))
}

/// The day number of a date field, accepting exactly what
/// [`crate::io::date::parse_date`] accepts (`YYYY-MM-DD` read here byte by
/// byte, Excel's `YYYY/M/D` by that parser).
pub fn parse_date_day(b: &[u8]) -> Option<i32> {
    if b.len() == 10 && b[4] == b'-' && b[7] == b'-' {
        let y = digits2(b[0], b[1])? * 100 + digits2(b[2], b[3])?;
        return valid_ymd(y, digits2(b[5], b[6])?, digits2(b[8], b[9])?);
    }
    let s = std::str::from_utf8(b).ok()?;
    super::date::parse_date(s).ok().map(day_number)
}

fn parse_mode(b: &[u8]) -> Option<Mode> {
    match b {
        b"in_person" => Some(Mode::InPerson),
        b"phone" => Some(Mode::Phone),
        b"video" => Some(Mode::Video),
        b"at_station" => Some(Mode::AtStation),
        _ => None,
    }
}

// ---------------------------------------------------------------- records

/// A problem found in a block, before its line is known.
struct Pending {
    line: u64,
    column: usize,
    code: Code,
    zh: String,
    en: String,
}

/// The problems of a bad row as the general reader words them
/// ([`crate::io::csv::row_problems`]), or `fallback` when it finds none.
fn push_bad(
    probs: &mut Problems,
    kind: crate::io::csv::RowKind,
    header: &[String],
    line: u64,
    rec: &[u8],
    f: &[(usize, usize)],
    fallback: impl FnOnce() -> Pending,
) {
    if probs.kept.len() >= probs.max {
        return;
    }
    let fields: Vec<String> = f
        .iter()
        .map(|&(a, b)| String::from_utf8_lossy(&rec[a..b]).into_owned())
        .collect();
    let general = crate::io::csv::row_problems(kind, header, &fields);
    if general.is_empty() {
        probs.push(fallback);
    }
    for (column, code, zh, en) in general {
        probs.push(|| Pending {
            line,
            column,
            code,
            zh,
            en,
        });
    }
}

/// Per-chunk problem collection: every problem counted, the first `max`
/// kept.
struct Problems {
    max: usize,
    kept: Vec<Pending>,
}

impl Problems {
    fn new(max: usize) -> Self {
        Problems {
            max,
            kept: Vec::new(),
        }
    }

    fn push(&mut self, p: impl FnOnce() -> Pending) {
        if self.kept.len() < self.max {
            self.kept.push(p());
        }
    }
}

/// Calls `f(local_line, line, fields)` for every record of a block that
/// has no quote character, finding commas and newlines in one vectorised
/// pass. Returns the number of physical lines.
fn for_each_plain_record(
    block: &[u8],
    fields: &mut Vec<(usize, usize)>,
    mut f: impl FnMut(u64, &[u8], &[(usize, usize)]),
) -> u64 {
    let mut line = 0u64;
    let mut line_start = 0;
    let mut field_start = 0;
    fields.clear();
    let mut end_line =
        |line: u64, ls: usize, end: usize, fields: &mut Vec<(usize, usize)>, fs: usize| {
            let mut end = end;
            if end > ls && block[end - 1] == b'\r' {
                end -= 1;
            }
            if end > ls {
                fields.push((fs.min(end) - ls, end - ls));
                f(line, &block[ls..end], fields);
            }
            fields.clear();
        };
    for i in memchr::memchr2_iter(b',', b'\n', block) {
        if block[i] == b',' {
            fields.push((field_start - line_start, i - line_start));
            field_start = i + 1;
        } else {
            line += 1;
            end_line(line, line_start, i, fields, field_start);
            line_start = i + 1;
            field_start = i + 1;
        }
    }
    if line_start < block.len() {
        line += 1;
        end_line(line, line_start, block.len(), fields, field_start);
    }
    line
}

/// Calls `f(local_line, record_bytes, fields)` for every record of a block
/// that may hold quotes; `record_bytes` is an unescaped copy. Returns the
/// number of physical lines.
fn for_each_quoted_record(
    block: &[u8],
    fields: &mut Vec<(usize, usize)>,
    mut f: impl FnMut(u64, &[u8], &[(usize, usize)]),
) -> u64 {
    let mut rec: Vec<u8> = Vec::new();
    let mut line = 0u64;
    let mut pos = 0;
    while pos < block.len() {
        rec.clear();
        fields.clear();
        let first_line = line + 1;
        let mut start = 0;
        let mut in_quotes = false;
        let mut at_field_start = true;
        let mut ended = false;
        while pos < block.len() {
            let c = block[pos];
            pos += 1;
            if in_quotes {
                if c == b'"' {
                    if block.get(pos) == Some(&b'"') {
                        rec.push(b'"');
                        pos += 1;
                    } else {
                        in_quotes = false;
                    }
                } else {
                    if c == b'\n' {
                        line += 1;
                    }
                    rec.push(c);
                }
                continue;
            }
            match c {
                b'"' if at_field_start => {
                    in_quotes = true;
                    at_field_start = false;
                }
                b',' => {
                    fields.push((start, rec.len()));
                    start = rec.len();
                    at_field_start = true;
                }
                b'\n' => {
                    line += 1;
                    ended = true;
                    break;
                }
                _ => {
                    rec.push(c);
                    at_field_start = false;
                }
            }
        }
        if !ended {
            line += 1;
        }
        if rec.last() == Some(&b'\r') && !in_quotes {
            rec.pop();
        }
        if rec.is_empty() && fields.is_empty() {
            continue;
        }
        fields.push((start, rec.len()));
        f(first_line, &rec, fields);
    }
    line
}

/// Where a block's last complete record ends (0 when none does).
fn record_boundary(buf: &[u8], has_quotes: bool) -> usize {
    if !has_quotes {
        return memchr::memrchr(b'\n', buf).map_or(0, |i| i + 1);
    }
    let mut in_quotes = false;
    let mut cut = 0;
    for (i, &c) in buf.iter().enumerate() {
        if c == b'"' {
            in_quotes = !in_quotes;
        } else if c == b'\n' && !in_quotes {
            cut = i + 1;
        }
    }
    cut
}

/// Reads `r` block by block, calls `on_header(columns)` once, then
/// `on_block(bytes, first_line_of_block, has_quotes)` for each block of
/// whole records; `on_block` returns the block's physical line count.
fn read_blocks<R: Read>(
    mut r: R,
    opts: &LoadOptions,
    on_header: &mut dyn FnMut(&[String]) -> Result<(), Report>,
    on_block: &mut dyn FnMut(&[u8], u64, bool) -> u64,
) -> Result<(), Report> {
    let io_err = |e: std::io::Error| {
        let mut rep = Report::new();
        rep.push(Problem::new(
            Code::InputIo,
            Location::file(opts.file.clone()),
            format!("读取失败: {e}"),
            format!("could not read: {e}"),
        ));
        rep
    };
    let mut block = opts.block_size.max(64);
    let mut buf: Vec<u8> = Vec::with_capacity(block);
    let mut header_done = false;
    let mut next_line = 1u64;
    let mut eof = false;
    loop {
        if !eof && buf.len() < block {
            let want = (block - buf.len()) as u64;
            let got = r
                .by_ref()
                .take(want)
                .read_to_end(&mut buf)
                .map_err(io_err)?;
            eof = (got as u64) < want;
        }
        let mut from = 0;
        if !header_done {
            let Some(nl) = memchr::memchr(b'\n', &buf).or(eof.then_some(buf.len())) else {
                block *= 2;
                continue;
            };
            let mut h = &buf[..nl];
            if h.starts_with(b"\xEF\xBB\xBF") {
                h = &h[3..];
            }
            if h.last() == Some(&b'\r') {
                h = &h[..h.len() - 1];
            }
            if h.is_empty() && eof && nl == buf.len() {
                let mut rep = Report::new();
                rep.push(Problem::new(
                    Code::CsvEmpty,
                    Location::file(opts.file.clone()),
                    "文件为空, 没有表头",
                    "the file is empty: no header row",
                ));
                return Err(rep);
            }
            let Ok(h) = std::str::from_utf8(h) else {
                let mut rep = Report::new();
                rep.push(Problem::new(
                    Code::InputNotUtf8,
                    Location::file(opts.file.clone()).at_line(1),
                    "表头不是UTF-8编码",
                    "the header is not valid UTF-8",
                ));
                return Err(rep);
            };
            let cols: Vec<String> = h
                .split(',')
                .map(|c| c.trim().trim_matches('"').to_string())
                .collect();
            on_header(&cols)?;
            header_done = true;
            next_line = 2;
            from = (nl + 1).min(buf.len());
        }
        let rest = &buf[from..];
        let has_quotes = memchr::memchr(b'"', rest).is_some();
        let cut = if eof {
            rest.len()
        } else {
            record_boundary(rest, has_quotes)
        };
        if cut == 0 && !eof {
            // One record longer than the block: grow it.
            buf.drain(..from);
            block *= 2;
            continue;
        }
        next_line += on_block(&rest[..cut], next_line, has_quotes);
        buf.drain(..from + cut);
        if eof {
            return Ok(());
        }
    }
}

fn column(cols: &[String], name: &str) -> Option<usize> {
    cols.iter().position(|c| c == name)
}

fn header_problems(file: &str, cols: &[String], required: &[&str]) -> Report {
    let mut rep = Report::new();
    for name in required {
        if column(cols, name).is_none() {
            rep.push(Problem::new(
                Code::CsvMissingColumn,
                Location::file(file).at_line(1).with_field(*name),
                format!("缺少必需列 `{name}`"),
                format!("required column `{name}` is missing"),
            ));
        }
    }
    for (i, c) in cols.iter().enumerate() {
        if cols[..i].contains(c) {
            rep.push(Problem::new(
                Code::CsvDuplicateColumn,
                Location::file(file).at_line(1).with_field(c.clone()),
                format!("列 `{c}` 重复"),
                format!("column `{c}` appears twice"),
            ));
        }
    }
    rep
}

fn finish(file: &str, pending: Vec<Pending>, max: usize, report: &mut Report) {
    for p in pending.into_iter().take(max) {
        let mut loc = Location::file(file).at_line(p.line);
        loc.column = Some(p.column as u64 + 1);
        report.push(Problem::new(p.code, loc, p.zh, p.en));
    }
}

// ---------------------------------------------------------------- visits

#[derive(Clone, Copy)]
struct VisitCols {
    n: usize,
    household: usize,
    cadre: usize,
    at: usize,
    mode: usize,
    signed: Option<usize>,
}

struct VisitChunk {
    visits: VisitColumns,
    counts: RowCounts,
    problems: Vec<Pending>,
    lines: u64,
}

#[allow(clippy::too_many_arguments)]
fn parse_visit_chunk(
    chunk: &[u8],
    quoted: bool,
    cols: VisitCols,
    header: &[String],
    index: &HouseholdIndex,
    window: Option<(i32, i32)>,
    max: usize,
    mut visits: VisitColumns,
) -> VisitChunk {
    let mut counts = RowCounts::default();
    let mut probs = Problems::new(max);
    let mut fields = Vec::with_capacity(cols.n.max(8));
    let mut row = |line: u64, rec: &[u8], f: &[(usize, usize)]| {
        counts.rows += 1;
        if f.len() != cols.n {
            counts.bad += 1;
            probs.push(|| Pending {
                line,
                column: 0,
                code: Code::CsvFieldCount,
                zh: "字段个数与表头不符".into(),
                en: format!("row has {} fields, the header {}", f.len(), cols.n),
            });
            return;
        }
        let get = |c: usize| &rec[f[c].0..f[c].1];
        let (hid, at, mode) = (get(cols.household), get(cols.at), get(cols.mode));
        let bad = |column: usize, code: Code, zh: &'static str, en: String| Pending {
            line,
            column,
            code,
            zh: zh.into(),
            en,
        };
        let kind = crate::io::csv::RowKind::Visits;
        // The household ID is checked only where the index cannot vouch
        // for it (every ID in the index is valid): outside the window and
        // when it is not found. The cadre ID is checked on every row.
        let mut bad_id = |column: usize, probs: &mut Problems| {
            counts.bad += 1;
            push_bad(probs, kind, header, line, rec, f, || {
                bad(column, Code::FieldBadId, "编号无效", "bad ID".into())
            });
        };
        if hid.is_empty() {
            bad_id(cols.household, &mut probs);
            return;
        }
        if !id_bytes_ok(get(cols.cadre)) {
            bad_id(cols.cadre, &mut probs);
            return;
        }
        let Some(day) = parse_datetime_day(at) else {
            counts.bad += 1;
            push_bad(&mut probs, kind, header, line, rec, f, || {
                bad(
                    cols.at,
                    Code::FieldBadDatetime,
                    "日期时间无效",
                    format!("bad date-time `{}`", String::from_utf8_lossy(at)),
                )
            });
            return;
        };
        let Some(mode) = parse_mode(mode) else {
            counts.bad += 1;
            push_bad(&mut probs, kind, header, line, rec, f, || {
                bad(
                    cols.mode,
                    Code::FieldBadValue,
                    "联系方式无效",
                    format!("bad mode `{}`", String::from_utf8_lossy(mode)),
                )
            });
            return;
        };
        let signed = match cols.signed.map(get) {
            None | Some(b"" | b"false") => false,
            Some(b"true") => true,
            Some(other) => {
                counts.bad += 1;
                let c = cols.signed.unwrap_or(0);
                push_bad(&mut probs, kind, header, line, rec, f, || {
                    bad(
                        c,
                        Code::FieldBadBool,
                        "签字字段应为 true 或 false",
                        format!("bad boolean `{}`", String::from_utf8_lossy(other)),
                    )
                });
                return;
            }
        };
        if let Some((lo, hi)) = window
            && (day < lo || day > hi)
        {
            if id_bytes_ok(hid) {
                counts.outside_window += 1;
            } else {
                bad_id(cols.household, &mut probs);
            }
            return;
        }
        let Some(h) = index.get(hid) else {
            if !id_bytes_ok(hid) {
                bad_id(cols.household, &mut probs);
                return;
            }
            counts.unknown_household += 1;
            probs.push(|| {
                bad(
                    cols.household,
                    Code::VisitUnknownHousehold,
                    "走访记录引用了不存在的户",
                    format!("unknown household `{}`", String::from_utf8_lossy(hid)),
                )
            });
            return;
        };
        counts.kept += 1;
        visits.push_day(h, day, mode, signed);
    };
    let lines = if quoted {
        for_each_quoted_record(chunk, &mut fields, &mut row)
    } else {
        for_each_plain_record(chunk, &mut fields, &mut row)
    };
    VisitChunk {
        visits,
        counts,
        problems: probs.kept,
        lines,
    }
}

/// Splits a quote-free block into about `parts` pieces at newlines.
fn split_at_newlines(block: &[u8], parts: usize) -> Vec<&[u8]> {
    let mut out = Vec::with_capacity(parts);
    let step = block.len() / parts.max(1) + 1;
    let mut start = 0;
    while start < block.len() {
        let target = (start + step).min(block.len());
        let end = if target >= block.len() {
            block.len()
        } else {
            memchr::memchr(b'\n', &block[target..]).map_or(block.len(), |i| target + i + 1)
        };
        out.push(&block[start..end]);
        start = end;
    }
    out
}

/// Reads a `visits.csv` (columns `household_id, cadre_id, at, mode`, and
/// `signed` if present, in any order) into columns, matching households
/// through `index` and keeping only visits inside `opts.window`.
///
/// # Errors
/// A report when the input cannot be read, is empty, or its header lacks
/// a required column. Bad rows are not errors: they are counted and
/// reported in [`LoadedVisits::problems`].
///
/// # Example
/// ```
/// use minqing::io::columnar::{read_households, read_visits, LoadOptions};
/// let hs = read_households(&b"household_id,village_id,residency\nH1,V1,away\n"[..], &LoadOptions::new("households.csv")).unwrap();
/// let csv = "household_id,cadre_id,at,mode\nH1,C1,2024-02-29T09:30,phone\nH9,C1,2024-03-01T10:00,phone\nH1,C1,2024-13-01T10:00,phone\n";
/// let v = read_visits(csv.as_bytes(), &hs.index, &LoadOptions::new("visits.csv")).unwrap();
/// assert_eq!((v.counts.kept, v.counts.unknown_household, v.counts.bad), (1, 1, 1));
/// assert_eq!(v.problems.problems[1].location.line, Some(4));
/// ```
pub fn read_visits<R: Read>(
    r: R,
    index: &HouseholdIndex,
    opts: &LoadOptions,
) -> Result<LoadedVisits, Report> {
    let cols: std::cell::Cell<Option<VisitCols>> = std::cell::Cell::new(None);
    let names: std::cell::OnceCell<Vec<String>> = std::cell::OnceCell::new();
    let mut out = VisitColumns::with_capacity(opts.expected_rows);
    let mut counts = RowCounts::default();
    let mut pending: Vec<Pending> = Vec::new();
    let window = opts
        .window
        .map(|w| (day_number(w.start), day_number(w.end)));
    let max = opts.max_problems;
    let file = opts.file.clone();
    let pool: std::sync::Mutex<Vec<VisitColumns>> = std::sync::Mutex::new(Vec::new());
    read_blocks(
        r,
        opts,
        &mut |header| {
            let rep = header_problems(&file, header, &["household_id", "cadre_id", "at", "mode"]);
            if rep.has_errors() {
                return Err(rep);
            }
            let _ = names.set(header.to_vec());
            cols.set(Some(VisitCols {
                n: header.len(),
                household: column(header, "household_id").unwrap_or(0),
                cadre: column(header, "cadre_id").unwrap_or(0),
                at: column(header, "at").unwrap_or(0),
                mode: column(header, "mode").unwrap_or(0),
                signed: column(header, "signed"),
            }));
            Ok(())
        },
        &mut |block, first_line, quoted| {
            let Some(c) = cols.get() else { return 0 };
            let header_names: &[String] = names.get().map_or(&[], Vec::as_slice);
            let chunks: Vec<&[u8]> = if quoted {
                vec![block]
            } else {
                split_at_newlines(block, parts())
            };
            // Chunk buffers are recycled from block to block.
            let results = map_chunks(&chunks, |ch| {
                let buf = pool
                    .lock()
                    .ok()
                    .and_then(|mut p| p.pop())
                    .unwrap_or_default();
                parse_visit_chunk(ch, quoted, c, header_names, index, window, max, buf)
            });
            let mut line = first_line;
            for mut res in results {
                out.append(&mut res.visits);
                if let Ok(mut p) = pool.lock() {
                    p.push(res.visits);
                }
                counts.add(&res.counts);
                for mut p in res.problems {
                    if pending.len() < max {
                        p.line += line - 1;
                        pending.push(p);
                    }
                }
                line += res.lines;
            }
            line - first_line
        },
    )?;
    let mut problems = Report::new();
    finish(&opts.file, pending, max, &mut problems);
    Ok(LoadedVisits {
        visits: out,
        counts,
        problems,
    })
}

// ------------------------------------------------- rows already typed

/// Households from rows whose cells are already typed (an Arrow table, a
/// data frame), with the same skip-and-record rules as [`read_households`]:
/// a bad row is counted and its problems kept (the first
/// `LoadOptions::max_problems`), a row repeating an earlier household's ID
/// is counted as a duplicate and left out (the first wins). The caller
/// reads the cells and locates its problems (table, row, column).
///
/// ```
/// use minqing::household::Residency;
/// use minqing::io::columnar::{HouseholdRows, LoadOptions};
/// use minqing::problem::{Code, Location, Problem};
/// let mut rows = HouseholdRows::new(&LoadOptions::new("households"));
/// assert!(rows.push("H1", "V1", Residency::Resident, ["hardship"], None, || Location::default()));
/// assert!(!rows.push("H1", "V2", Residency::Away, [], None, || Location::default().at_path("households[1]")));
/// rows.bad([Problem::new(Code::FieldEmpty, Location::default().at_path("households[2]"), "空", "empty")]);
/// let l = rows.finish();
/// assert_eq!((l.counts.rows, l.counts.kept, l.counts.duplicate, l.counts.bad), (3, 1, 1, 1));
/// let codes: Vec<Code> = l.problems.iter().map(|p| p.code).collect();
/// assert_eq!(codes, vec![Code::HouseholdDuplicateId, Code::FieldEmpty]);
/// ```
#[derive(Debug)]
pub struct HouseholdRows {
    households: HouseholdColumns,
    index: HouseholdIndex,
    counts: RowCounts,
    problems: Report,
    max: usize,
}

impl HouseholdRows {
    /// An empty load; `opts.max_problems` bounds the problems kept.
    pub fn new(opts: &LoadOptions) -> Self {
        let households = HouseholdColumns::new();
        let index = HouseholdIndex::new(&households);
        HouseholdRows {
            households,
            index,
            counts: RowCounts::default(),
            problems: Report::new(),
            max: opts.max_problems,
        }
    }

    fn keep_problem(&mut self, p: Problem) {
        if self.problems.problems.len() < self.max {
            self.problems.push(p);
        }
    }

    /// A row that could not be read: counted as bad, its problems kept.
    pub fn bad(&mut self, problems: impl IntoIterator<Item = Problem>) {
        self.counts.rows += 1;
        self.counts.bad += 1;
        for p in problems {
            self.keep_problem(p);
        }
    }

    /// A typed row. Returns `true` when it is kept, `false` when its ID
    /// was already used (counted as a duplicate and reported at
    /// `location()`).
    pub fn push<'t>(
        &mut self,
        id: &str,
        village: &str,
        residency: Residency,
        tags: impl IntoIterator<Item = &'t str>,
        registered_on: Option<NaiveDate>,
        location: impl FnOnce() -> Location,
    ) -> bool {
        self.counts.rows += 1;
        if self.index.get(id.as_bytes()).is_some() {
            self.counts.duplicate += 1;
            self.keep_problem(Problem::new(
                Code::HouseholdDuplicateId,
                location(),
                format!("户编号重复：{id}"),
                format!("household `{id}` appears again"),
            ));
            return false;
        }
        let i = self
            .households
            .push(id, village, residency, tags, registered_on);
        self.index.insert(id.as_bytes(), i);
        self.counts.kept += 1;
        true
    }

    /// The households, their index, the counts and the problems kept.
    pub fn finish(self) -> LoadedHouseholds {
        LoadedHouseholds {
            households: self.households,
            index: self.index,
            counts: self.counts,
            problems: self.problems,
        }
    }
}

/// Visits from rows whose cells are already typed, with the same
/// skip-and-record rules as [`read_visits`]: a bad row is counted and its
/// problems kept; a visit outside `LoadOptions::window` is counted and left
/// out; a visit naming a household `index` does not have is counted,
/// reported at its location and left out.
///
/// ```
/// use chrono::NaiveDate;
/// use minqing::calendar::Window;
/// use minqing::household::Residency;
/// use minqing::io::columnar::{HouseholdRows, LoadOptions, VisitRows};
/// use minqing::problem::Location;
/// use minqing::visit::Mode;
/// let mut hs = HouseholdRows::new(&LoadOptions::new("households"));
/// hs.push("H1", "V1", Residency::Away, [], None, Location::default);
/// let hs = hs.finish();
/// let d = |m, day| NaiveDate::from_ymd_opt(2024, m, day).unwrap();
/// let mut vs = VisitRows::new(&hs.index, &LoadOptions::new("visits").window(Window::year(2024).unwrap()));
/// vs.push("H1", d(3, 1), Mode::Phone, false, Location::default);
/// vs.push("H9", d(3, 1), Mode::Phone, false, || Location::default().at_path("visits[1]"));
/// vs.push("H1", NaiveDate::from_ymd_opt(2023, 12, 31).unwrap(), Mode::Phone, false, Location::default);
/// let v = vs.finish();
/// assert_eq!((v.counts.kept, v.counts.unknown_household, v.counts.outside_window), (1, 1, 1));
/// assert_eq!(v.problems.problems[0].location.path.as_deref(), Some("visits[1]"));
/// ```
#[derive(Debug)]
pub struct VisitRows<'a> {
    index: &'a HouseholdIndex,
    window: Option<Window>,
    visits: VisitColumns,
    counts: RowCounts,
    problems: Report,
    max: usize,
}

impl<'a> VisitRows<'a> {
    /// An empty load matching households through `index`; `opts.window`
    /// and `opts.max_problems` apply.
    pub fn new(index: &'a HouseholdIndex, opts: &LoadOptions) -> Self {
        VisitRows {
            index,
            window: opts.window,
            visits: VisitColumns::with_capacity(opts.expected_rows),
            counts: RowCounts::default(),
            problems: Report::new(),
            max: opts.max_problems,
        }
    }

    /// A row that could not be read: counted as bad, its problems kept.
    pub fn bad(&mut self, problems: impl IntoIterator<Item = Problem>) {
        self.counts.rows += 1;
        self.counts.bad += 1;
        for p in problems {
            if self.problems.problems.len() < self.max {
                self.problems.push(p);
            }
        }
    }

    /// A typed row: kept when inside the window and naming a known
    /// household. Returns `true` when kept.
    pub fn push(
        &mut self,
        household: &str,
        date: NaiveDate,
        mode: Mode,
        signed: bool,
        location: impl FnOnce() -> Location,
    ) -> bool {
        self.counts.rows += 1;
        if self.window.is_some_and(|w| !w.contains(date)) {
            self.counts.outside_window += 1;
            return false;
        }
        let Some(h) = self.index.get(household.as_bytes()) else {
            self.counts.unknown_household += 1;
            if self.problems.problems.len() < self.max {
                self.problems.push(Problem::new(
                    Code::VisitUnknownHousehold,
                    location(),
                    format!("走访记录引用了不存在的户：{household}"),
                    format!("unknown household `{household}`"),
                ));
            }
            return false;
        };
        self.visits.push(h, date, mode, signed);
        self.counts.kept += 1;
        true
    }

    /// The visits kept, the counts and the problems kept.
    pub fn finish(self) -> LoadedVisits {
        LoadedVisits {
            visits: self.visits,
            counts: self.counts,
            problems: self.problems,
        }
    }
}

#[cfg(feature = "parallel")]
fn parts() -> usize {
    rayon::current_num_threads() * 4
}

#[cfg(not(feature = "parallel"))]
fn parts() -> usize {
    1
}

#[cfg(feature = "parallel")]
fn map_chunks<T: Send>(chunks: &[&[u8]], f: impl Fn(&[u8]) -> T + Sync) -> Vec<T> {
    use rayon::prelude::*;
    chunks.par_iter().map(|c| f(c)).collect()
}

#[cfg(not(feature = "parallel"))]
fn map_chunks<T>(chunks: &[&[u8]], f: impl Fn(&[u8]) -> T) -> Vec<T> {
    chunks.iter().map(|c| f(c)).collect()
}

// ---------------------------------------------------------------- households

/// Why `s` is not a valid ID, with a fast path for short printable ASCII.
/// True when `b` is a valid ID ([`check_id`]): printable ASCII of at most
/// 64 bytes is decided without decoding.
#[inline]
fn id_bytes_ok(b: &[u8]) -> bool {
    if !b.is_empty() && b.len() <= 64 && b.iter().all(|c| (0x21..=0x7e).contains(c)) {
        return true;
    }
    std::str::from_utf8(b).is_ok_and(|s| check_id(s).is_ok())
}

fn id_problem(s: &str) -> Option<crate::id::IdError> {
    let b = s.as_bytes();
    if !b.is_empty() && b.len() <= 64 && b.iter().all(|c| (0x21..=0x7e).contains(c)) {
        None
    } else {
        check_id(s).err()
    }
}

/// Reads a `households.csv` (columns `household_id, village_id,
/// residency`, and `tags`, `registered_on` if present, in any order) into
/// columns with their ID index. A row repeating an earlier household's ID
/// is counted as a duplicate and left out (the first wins).
///
/// # Errors
/// As [`read_visits`].
///
/// # Example
/// ```
/// use minqing::io::columnar::{read_households, LoadOptions};
/// let csv = "household_id,village_id,residency,tags\nH1,V1,resident,hardship|disabled\nH2,V1,away,\nH1,V2,away,\n";
/// let l = read_households(csv.as_bytes(), &LoadOptions::new("households.csv")).unwrap();
/// assert_eq!((l.households.len(), l.counts.duplicate), (2, 1));
/// assert_eq!(l.households.tags(0).count(), 2);
/// ```
pub fn read_households<R: Read>(r: R, opts: &LoadOptions) -> Result<LoadedHouseholds, Report> {
    #[derive(Clone, Copy)]
    struct Cols {
        n: usize,
        id: usize,
        village: usize,
        residency: usize,
        tags: Option<usize>,
        registered: Option<usize>,
    }
    let cols: std::cell::Cell<Option<Cols>> = std::cell::Cell::new(None);
    let names: std::cell::OnceCell<Vec<String>> = std::cell::OnceCell::new();
    let mut hs = HouseholdColumns::new();
    let mut index = HouseholdIndex::new(&hs);
    let mut counts = RowCounts::default();
    let max = opts.max_problems;
    let mut probs = Problems::new(max);
    let file = opts.file.clone();
    let mut fields = Vec::new();
    read_blocks(
        r,
        opts,
        &mut |header| {
            let rep = header_problems(&file, header, &["household_id", "village_id", "residency"]);
            if rep.has_errors() {
                return Err(rep);
            }
            let _ = names.set(header.to_vec());
            cols.set(Some(Cols {
                n: header.len(),
                id: column(header, "household_id").unwrap_or(0),
                village: column(header, "village_id").unwrap_or(0),
                residency: column(header, "residency").unwrap_or(0),
                tags: column(header, "tags"),
                registered: column(header, "registered_on"),
            }));
            Ok(())
        },
        &mut |block, first_line, quoted| {
            let Some(c) = cols.get() else { return 0 };
            let mut row = |line: u64, rec: &[u8], f: &[(usize, usize)]| {
                let line = line + first_line - 1;
                counts.rows += 1;
                let bad = |column: usize, code: Code, zh: &'static str, en: String| Pending {
                    line,
                    column,
                    code,
                    zh: zh.into(),
                    en,
                };
                let kind = crate::io::csv::RowKind::Households;
                let header: &[String] = names.get().map_or(&[], Vec::as_slice);
                if f.len() != c.n {
                    counts.bad += 1;
                    probs.push(|| {
                        bad(
                            0,
                            Code::CsvFieldCount,
                            "字段个数与表头不符",
                            format!("row has {} fields, the header {}", f.len(), c.n),
                        )
                    });
                    return;
                }
                let get = |k: usize| &rec[f[k].0..f[k].1];
                let text = |k: usize| std::str::from_utf8(get(k));
                let (Ok(id), Ok(village)) = (text(c.id), text(c.village)) else {
                    counts.bad += 1;
                    probs.push(|| {
                        bad(
                            0,
                            Code::InputNotUtf8,
                            "不是UTF-8编码",
                            "not valid UTF-8".into(),
                        )
                    });
                    return;
                };
                for (k, s) in [(c.id, id), (c.village, village)] {
                    if let Some(e) = id_problem(s) {
                        counts.bad += 1;
                        push_bad(&mut probs, kind, header, line, rec, f, || {
                            bad(
                                k,
                                Code::FieldBadId,
                                "编号无效",
                                format!("bad ID `{s}`: {e}"),
                            )
                        });
                        return;
                    }
                }
                let residency = match get(c.residency) {
                    b"resident" => Residency::Resident,
                    b"away" => Residency::Away,
                    other => {
                        counts.bad += 1;
                        push_bad(&mut probs, kind, header, line, rec, f, || {
                            bad(
                                c.residency,
                                Code::FieldBadValue,
                                "常住/外出字段无效",
                                format!(
                                    "bad residency `{}`: resident or away",
                                    String::from_utf8_lossy(other)
                                ),
                            )
                        });
                        return;
                    }
                };
                let mut tags: Vec<&str> = Vec::new();
                if let Some(k) = c.tags {
                    let Ok(t) = text(k) else {
                        counts.bad += 1;
                        probs.push(|| {
                            bad(
                                k,
                                Code::InputNotUtf8,
                                "不是UTF-8编码",
                                "not valid UTF-8".into(),
                            )
                        });
                        return;
                    };
                    if !t.is_empty() {
                        for tag in t.split('|') {
                            if let Err(e) = check_tag(tag) {
                                counts.bad += 1;
                                push_bad(&mut probs, kind, header, line, rec, f, || {
                                    bad(
                                        k,
                                        Code::FieldBadValue,
                                        "标签无效",
                                        format!("bad tag `{tag}`: {e}"),
                                    )
                                });
                                return;
                            }
                            tags.push(tag);
                        }
                    }
                }
                let registered = match c.registered.map(get) {
                    None | Some(b"") => None,
                    Some(s) => {
                        match parse_date_day(s).and_then(NaiveDate::from_num_days_from_ce_opt) {
                            Some(d) => Some(d),
                            None => {
                                counts.bad += 1;
                                let k = c.registered.unwrap_or(0);
                                push_bad(&mut probs, kind, header, line, rec, f, || {
                                    bad(
                                        k,
                                        Code::FieldBadDate,
                                        "登记日期无效",
                                        format!("bad date `{}`", String::from_utf8_lossy(s)),
                                    )
                                });
                                return;
                            }
                        }
                    }
                };
                if index.get(id.as_bytes()).is_some() {
                    counts.duplicate += 1;
                    probs.push(|| {
                        bad(
                            c.id,
                            Code::HouseholdDuplicateId,
                            "户编号重复",
                            format!("household `{id}` appears again"),
                        )
                    });
                    return;
                }
                let i = hs.push(id, village, residency, tags.iter().copied(), registered);
                index.insert(id.as_bytes(), i);
                counts.kept += 1;
            };
            if quoted {
                for_each_quoted_record(block, &mut fields, &mut row)
            } else {
                for_each_plain_record(block, &mut fields, &mut row)
            }
        },
    )?;
    let mut problems = Report::new();
    finish(&opts.file, probs.kept, max, &mut problems);
    Ok(LoadedHouseholds {
        households: hs,
        index,
        counts,
        problems,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fast_dates_agree_with_chrono() {
        let mut d = NaiveDate::from_ymd_opt(1999, 12, 25).unwrap();
        while d < NaiveDate::from_ymd_opt(2101, 3, 5).unwrap() {
            let s = d.format("%Y-%m-%dT08:05").to_string();
            assert_eq!(parse_datetime_day(s.as_bytes()), Some(day_number(d)), "{s}");
            let s = d.format("%Y/%-m/%-d 8:05:59").to_string();
            assert_eq!(parse_datetime_day(s.as_bytes()), Some(day_number(d)), "{s}");
            d = d.succ_opt().unwrap();
        }
        for bad in [
            "2023-02-29T10:00",
            "2024-02-30T10:00",
            "2024-13-01T10:00",
            "2024-04-31T10:00",
            "2024-01-01T24:00",
            "2024-01-01T10:60",
            "2024-01-01",
            "2024-01-01T10:00:",
            "",
            "２０２４-01-01T10:00",
        ] {
            assert_eq!(parse_datetime_day(bad.as_bytes()), None, "{bad}");
        }
        assert!(parse_datetime_day(b"2024-02-29 10:00:00").is_some());
        assert!(parse_datetime_day(b"2024-02-29T10:00:00").is_some());
    }

    /// The fast loader's date grammar is the general readers' grammar:
    /// for every text, both accept it (with the same day) or both refuse.
    /// The forms that once differed are listed first (issue: one contract).
    #[test]
    fn fast_dates_accept_exactly_what_the_general_parser_accepts() {
        use crate::io::date::{parse_date, parse_datetime};
        let agree = |s: &str| {
            assert_eq!(
                parse_datetime_day(s.as_bytes()),
                parse_datetime(s).ok().map(|t| day_number(t.date())),
                "date-time {s:?}"
            );
            assert_eq!(
                parse_date_day(s.as_bytes()),
                parse_date(s).ok().map(day_number),
                "date {s:?}"
            );
        };
        for s in [
            "2024-03-05 8:07",
            "2024/3/5 8:07",
            "2024/03/05 08:07",
            "2024-3-5 08:07",
            "2024-03-05T8:07",
            "2024/3/5T8:07",
            "2024-03-05 08:07:00",
            "2024-03-05T08:07:00Z",
            "2024-03-05T08:07+08:00",
            "2024-03-05 08:07:5",
            "2024/3/5 008:07",
            "2024/3/5",
            "2024/03/5",
            "2024-03-05",
            "24/3/5",
            "2024/3/5/",
            " 2024-03-05",
        ] {
            agree(s);
        }
        let mut rng = 0x9e37_79b9_7f4a_7c15_u64;
        let alphabet = b"0123456789-/: T+Z";
        let mut next = || {
            rng ^= rng << 13;
            rng ^= rng >> 7;
            rng ^= rng << 17;
            rng
        };
        for _ in 0..200_000 {
            // mutate a well-formed text so that most cases are near misses
            let seeds = [
                "2024-03-05T08:07:09",
                "2024/3/5 8:07:09",
                "2024-02-29 23:59",
            ];
            let mut b = seeds[(next() % 3) as usize].as_bytes().to_vec();
            for _ in 0..(next() % 3) {
                let i = (next() as usize) % b.len();
                match next() % 3 {
                    0 => b[i] = alphabet[(next() as usize) % alphabet.len()],
                    1 => {
                        b.remove(i);
                    }
                    _ => b.insert(i, alphabet[(next() as usize) % alphabet.len()]),
                }
                if b.is_empty() {
                    break;
                }
            }
            agree(std::str::from_utf8(&b).unwrap());
        }
    }

    fn households() -> LoadedHouseholds {
        read_households(
            &b"household_id,village_id,residency\nH1,V1,resident\nH2,V1,away\n"[..],
            &LoadOptions::new("households.csv"),
        )
        .unwrap()
    }

    #[test]
    fn bad_rows_are_counted_and_located_in_every_block_size() {
        let hs = households();
        let csv = "\u{feff}mode,at,household_id,cadre_id,signed\r\n\
                   in_person,2024-01-05T09:00,H1,C1,true\r\n\
                   phone,2024-01-05T09:00,H2,C1,\r\n\
                   \r\n\
                   phone,2024-01-05T09:00,H3,C1,false\r\n\
                   phone,2023-12-31T23:59,H1,C1,false\r\n\
                   fax,2024-01-05T09:00,H1,C1,false\r\n\
                   phone,2024-01-05T09:00,H1,C1\r\n\
                   phone,2024-01-05T09:00,H1,C1,maybe\r\n\
                   phone,2024/1/5 9:00,H2,C1,false";
        for block in [64, 100, 1 << 20] {
            let opts = LoadOptions::new("visits.csv")
                .window(Window::year(2024).unwrap())
                .block_size(block);
            let v = read_visits(csv.as_bytes(), &hs.index, &opts).unwrap();
            let c = v.counts;
            assert_eq!(c.rows, 8, "block {block}");
            assert_eq!(
                (c.kept, c.outside_window, c.unknown_household, c.bad),
                (3, 1, 1, 3)
            );
            let lines: Vec<u64> = v.problems.iter().filter_map(|p| p.location.line).collect();
            assert_eq!(lines, vec![5, 7, 8, 9], "block {block}");
            assert!(v.visits.get(0).unwrap().3);
        }
    }

    #[test]
    fn quoted_fields_and_newlines_inside_quotes() {
        let hs = households();
        let csv = "household_id,cadre_id,at,mode,note\n\
                   \"H1\",C1,2024-01-05T09:00,phone,\"a, \"\"b\"\"\nsecond line\"\n\
                   H2,C1,2024-01-06T09:00,phone,plain\n\
                   H2,C1,bad,phone,x\n";
        for block in [64, 1 << 20] {
            let opts = LoadOptions::new("visits.csv").block_size(block);
            let v = read_visits(csv.as_bytes(), &hs.index, &opts).unwrap();
            assert_eq!((v.counts.rows, v.counts.kept, v.counts.bad), (3, 2, 1));
            assert_eq!(
                v.problems.problems[0].location.line,
                Some(5),
                "block {block}"
            );
        }
    }

    #[test]
    fn header_errors_stop_the_load() {
        let hs = households();
        let e = read_visits(
            &b"household_id,at,mode\n"[..],
            &hs.index,
            &LoadOptions::new("v"),
        )
        .unwrap_err();
        assert_eq!(e.codes(), vec![Code::CsvMissingColumn]);
        let e = read_visits(&b""[..], &hs.index, &LoadOptions::new("v")).unwrap_err();
        assert_eq!(e.codes(), vec![Code::CsvEmpty]);
        let e = read_visits(&b"\xff\xfe,x\n"[..], &hs.index, &LoadOptions::new("v")).unwrap_err();
        assert_eq!(e.codes(), vec![Code::InputNotUtf8]);
    }

    #[test]
    fn households_registration_and_problems() {
        let csv = "household_id,village_id,residency,registered_on\nH1,V1,resident,2024-03-10\nH2,V1,nomad,\nH3,V2,away,2024-02-30\nH4,V2,away\n";
        let l = read_households(csv.as_bytes(), &LoadOptions::new("households.csv")).unwrap();
        assert_eq!(l.households.len(), 1);
        assert_eq!(l.counts.bad, 3);
        assert_eq!(
            l.households.registered_on(0),
            NaiveDate::from_ymd_opt(2024, 3, 10)
        );
        let codes: Vec<Code> = l.problems.iter().map(|p| p.code).collect();
        assert_eq!(
            codes,
            vec![Code::FieldBadValue, Code::FieldBadDate, Code::CsvFieldCount]
        );
    }

    #[test]
    fn typed_rows_count_like_the_csv_reader() {
        let csv = "household_id,village_id,residency\nH1,V1,resident\nH2,V1,away\nH1,V2,away\n";
        let from_csv = read_households(csv.as_bytes(), &LoadOptions::new("h")).unwrap();
        let mut rows = HouseholdRows::new(&LoadOptions::new("h"));
        for (id, v, r) in [
            ("H1", "V1", Residency::Resident),
            ("H2", "V1", Residency::Away),
            ("H1", "V2", Residency::Away),
        ] {
            rows.push(id, v, r, [], None, || Location::file("h").at_line(4));
        }
        let typed = rows.finish();
        assert_eq!(typed.counts, from_csv.counts);
        assert_eq!(typed.problems.codes(), from_csv.problems.codes());
        assert_eq!(typed.households.len(), from_csv.households.len());

        let visits = "household_id,cadre_id,at,mode\nH1,C1,2024-01-05T09:00,phone\nH3,C1,2024-01-05T09:00,phone\nH2,C1,2023-12-31T09:00,phone\nH2,C1,bad,phone\n";
        let opts = LoadOptions::new("v")
            .window(Window::year(2024).unwrap())
            .max_problems(1);
        let from_csv = read_visits(visits.as_bytes(), &typed.index, &opts).unwrap();
        let mut rows = VisitRows::new(&typed.index, &opts);
        let d = |y, m, day| NaiveDate::from_ymd_opt(y, m, day).unwrap();
        rows.push("H1", d(2024, 1, 5), Mode::Phone, false, Location::default);
        rows.push("H3", d(2024, 1, 5), Mode::Phone, false, Location::default);
        rows.push("H2", d(2023, 12, 31), Mode::Phone, false, Location::default);
        rows.bad([Problem::new(
            Code::FieldBadDatetime,
            Location::default(),
            "坏",
            "bad",
        )]);
        let typed_visits = rows.finish();
        assert_eq!(typed_visits.counts, from_csv.counts);
        // max_problems(1): only the first problem is kept, as in the CSV reader
        assert_eq!(typed_visits.problems.codes(), from_csv.problems.codes());
        assert_eq!(typed_visits.visits.len(), 1);
    }
}

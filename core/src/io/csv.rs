//! The five CSV files of formats.md (feature `csv`): units.csv,
//! households.csv, cadres.csv, assignments.csv and visits.csv; and a sixth
//! of this crate's own, events.csv (`household_id, date, kind`: the
//! household events that start a visit deadline, seed 000).
//!
//! Reading: UTF-8 with or without a byte-order mark, or GB18030 when the
//! caller says so ([`Encoding::Gb18030`]; a file that starts with a UTF-8
//! byte-order mark is read as UTF-8 whatever the caller said). A header row
//! names the columns, in any order; unknown columns are reported as
//! warnings and ignored. Every bad row is reported with file, line, column
//! and field name, and the good rows are still read. The readers keep every
//! good row, duplicate IDs included: [`Dataset::validate_with_sources`]
//! reports those, with file and line.
//!
//! The CSV syntax is RFC 4180, read strictly: a quote inside an unquoted
//! field, text after a closing quote or a quote left open is a
//! `csv.syntax` error, never guessed at (the `csv` crate's reader accepts
//! such rows silently, so the rows are split here; the writers use it).
//!
//! Cells: lists are `|`-separated (household tags, cadre duties); an empty
//! optional cell is `None`; free text (names, notes, phones) holds at most
//! [`MAX_TEXT_CHARS`] characters; IDs follow [`crate::id`]. cadres.csv has
//! one column more than formats.md: `duties`, `|`-separated words of
//! [`Duty`]; empty or absent means all five, `none` means no duty.
//!
//! Teams and duty-status spans have no CSV file: they travel in the JSON
//! document ([`crate::io::json`]). [`write_csv_set`] leaves them out.

use std::collections::BTreeSet;
use std::io::{Read, Write};

use crate::assign::Assignment;
use crate::cadre::{Cadre, Duty, Rank};
use crate::dataset::{Dataset, Sources};
use crate::event::HouseholdEvent;
use crate::household::{Household, Residency, Tag, check_tag};
use crate::id::IdError;
use crate::io::{Parsed, words_of};
use crate::io::{cell, date};
use crate::org::{Unit, UnitKind};
use crate::problem::{Code, CodedError, Location, Problem, Report};
use crate::visit::{Mode, Visit};

pub use super::cell::MAX_TEXT_CHARS;

/// The character encoding of a CSV file.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
pub enum Encoding {
    /// UTF-8, with or without a byte-order mark (the default).
    #[default]
    Utf8,
    /// GB18030 (a superset of GBK and GB2312), as Excel saves CSV files on
    /// a Chinese system.
    Gb18030,
}

/// An encoding name no reader knows.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "unknown encoding {0:?}: give \"utf8\" or \"gb18030\" / 未知的编码 {0:?}：应为 utf8 或 gb18030"
)]
pub struct EncodingError(pub String);

impl crate::problem::CodedError for EncodingError {
    fn code(&self) -> Code {
        Code::FieldBadValue
    }
}

impl std::str::FromStr for Encoding {
    type Err = EncodingError;

    /// `utf8` or `gb18030`, any case, `-` and `_` ignored; `gbk` and
    /// `gb2312` read as GB18030 (their superset).
    ///
    /// ```
    /// use minqing::io::Encoding;
    /// assert_eq!("UTF-8".parse::<Encoding>(), Ok(Encoding::Utf8));
    /// assert_eq!("gbk".parse::<Encoding>(), Ok(Encoding::Gb18030));
    /// assert!("latin-1".parse::<Encoding>().is_err());
    /// ```
    fn from_str(name: &str) -> Result<Self, Self::Err> {
        match name.to_ascii_lowercase().replace(['-', '_'], "").as_str() {
            "utf8" => Ok(Encoding::Utf8),
            "gb18030" | "gbk" | "gb2312" => Ok(Encoding::Gb18030),
            _ => Err(EncodingError(name.to_string())),
        }
    }
}

/// Options of the CSV readers.
///
/// ```
/// use minqing::io::{Encoding, ReadOptions};
/// let opts = ReadOptions::new("households.csv").encoding(Encoding::Gb18030);
/// assert_eq!(opts.file, "households.csv");
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReadOptions {
    /// The file name used in problem locations.
    pub file: String,
    /// The encoding of the bytes.
    pub encoding: Encoding,
}

impl ReadOptions {
    /// Options for a UTF-8 file called `file` in problem locations.
    pub fn new(file: impl Into<String>) -> Self {
        ReadOptions {
            file: file.into(),
            encoding: Encoding::Utf8,
        }
    }

    /// Sets the encoding.
    pub fn encoding(mut self, encoding: Encoding) -> Self {
        self.encoding = encoding;
        self
    }

    /// Sets the file name used in problem locations.
    pub fn file(mut self, file: impl Into<String>) -> Self {
        self.file = file.into();
        self
    }
}

// ---------------------------------------------------------------- decoding

fn line_of(bytes: &[u8], pos: usize) -> u64 {
    bytes
        .get(..pos)
        .unwrap_or(bytes)
        .iter()
        .filter(|&&b| b == b'\n')
        .count() as u64
        + 1
}

/// Reads and decodes the whole input; `None` (with a problem reported)
/// when it cannot be read or decoded.
fn decode<R: Read>(mut reader: R, opts: &ReadOptions, report: &mut Report) -> Option<String> {
    let file = opts.file.as_str();
    let mut bytes = Vec::new();
    if let Err(e) = reader.read_to_end(&mut bytes) {
        report.push(Problem::new(
            Code::InputIo,
            Location::file(file),
            format!("无法读取文件：{e}"),
            format!("could not read the file: {e}"),
        ));
        return None;
    }
    let (mut encoding, mut body) = (opts.encoding, &bytes[..]);
    if let Some(rest) = body.strip_prefix(b"\xEF\xBB\xBF") {
        encoding = Encoding::Utf8;
        body = rest;
    }
    let not_code = match encoding {
        Encoding::Utf8 => Code::InputNotUtf8,
        Encoding::Gb18030 => Code::InputBadEncoding,
    };
    if body.starts_with(b"\xFF\xFE") || body.starts_with(b"\xFE\xFF") {
        report.push(Problem::new(
            not_code,
            Location::file(file).at_line(1),
            "文件是 UTF-16 编码（有 UTF-16 字节顺序标记）；请另存为 UTF-8",
            "the file is UTF-16 (it starts with a UTF-16 byte-order mark); save it as UTF-8",
        ));
        return None;
    }
    let text = match encoding {
        Encoding::Utf8 => match String::from_utf8(body.to_vec()) {
            Ok(s) => s,
            Err(e) => {
                let line = line_of(body, e.utf8_error().valid_up_to());
                report.push(Problem::new(
                    Code::InputNotUtf8,
                    Location::file(file).at_line(line),
                    format!(
                        "文件不是 UTF-8 编码（第 {line} 行起）；若由中文版 Excel 保存，多半是 GB18030/GBK，请按 GB18030 读取"
                    ),
                    format!(
                        "the file is not valid UTF-8 (from line {line}); a file saved by Excel on a Chinese system is probably GB18030/GBK: read it with the GB18030 encoding"
                    ),
                ));
                return None;
            }
        },
        Encoding::Gb18030 => {
            let gb = encoding_rs::GB18030;
            match gb.decode_without_bom_handling_and_without_replacement(body) {
                Some(s) => s.into_owned(),
                None => {
                    // 0x0A is never part of a GB18030 multi-byte sequence,
                    // so the lines can be decoded one by one.
                    let line = body
                        .split(|&b| b == b'\n')
                        .position(|l| {
                            gb.decode_without_bom_handling_and_without_replacement(l)
                                .is_none()
                        })
                        .map_or(1, |i| i as u64 + 1);
                    report.push(Problem::new(
                        Code::InputBadEncoding,
                        Location::file(file).at_line(line),
                        format!("文件不是有效的 GB18030 编码（第 {line} 行）"),
                        format!("the file is not valid GB18030 (line {line})"),
                    ));
                    return None;
                }
            }
        }
    };
    if let Some(pos) = text.find('\0') {
        let line = line_of(text.as_bytes(), pos);
        report.push(Problem::new(
            not_code,
            Location::file(file).at_line(line),
            format!("文件含有空字节（第 {line} 行），可能是 UTF-16 编码或不是文本文件"),
            format!(
                "the file contains NUL bytes (line {line}): it is probably UTF-16 or not a text file"
            ),
        ));
        return None;
    }
    Some(text)
}

// ------------------------------------------------------- strict CSV syntax

/// One record of the file, or why it could not be split.
enum RawItem {
    Row {
        line: u64,
        fields: Vec<String>,
    },
    Bad {
        line: u64,
        column: u64,
        zh: &'static str,
        en: &'static str,
    },
}

struct Splitter<'a> {
    text: &'a str,
    pos: usize,
    line: u64,
}

impl<'a> Splitter<'a> {
    fn new(text: &'a str) -> Self {
        Splitter {
            text,
            pos: 0,
            line: 1,
        }
    }

    fn byte(&self, at: usize) -> Option<u8> {
        self.text.as_bytes().get(at).copied()
    }

    /// Consumes a line break at `pos` if there is one.
    fn eat_break(&mut self) -> bool {
        match self.byte(self.pos) {
            Some(b'\n') => {
                self.pos += 1;
            }
            Some(b'\r') => {
                self.pos += 1;
                if self.byte(self.pos) == Some(b'\n') {
                    self.pos += 1;
                }
            }
            _ => return false,
        }
        self.line += 1;
        true
    }

    /// Skips to just after the next line break (or the end).
    fn skip_line(&mut self) {
        while let Some(b) = self.byte(self.pos) {
            if b == b'\n' || b == b'\r' {
                self.eat_break();
                return;
            }
            self.pos += 1;
        }
    }

    fn count_breaks(s: &[u8]) -> u64 {
        let mut n = 0;
        for (i, &b) in s.iter().enumerate() {
            if b == b'\n' || (b == b'\r' && s.get(i + 1) != Some(&b'\n')) {
                n += 1;
            }
        }
        n
    }
}

impl Iterator for Splitter<'_> {
    type Item = RawItem;

    fn next(&mut self) -> Option<RawItem> {
        // blank lines separate nothing: skip them
        while self.eat_break() {}
        if self.pos >= self.text.len() {
            return None;
        }
        let bytes = self.text.as_bytes();
        let (start_line, start_pos) = (self.line, self.pos);
        let mut fields: Vec<String> = Vec::new();
        loop {
            let column = fields.len() as u64 + 1;
            let mut value = String::new();
            if self.byte(self.pos) == Some(b'"') {
                self.pos += 1;
                loop {
                    let rest = &bytes[self.pos..];
                    let Some(q) = rest.iter().position(|&b| b == b'"') else {
                        // the quote is never closed: report it and start
                        // again on the line after the one it opened on
                        self.pos = start_pos;
                        self.line = start_line;
                        self.skip_line();
                        return Some(RawItem::Bad {
                            line: start_line,
                            column,
                            zh: "引号没有闭合",
                            en: "a quoted field is never closed",
                        });
                    };
                    let chunk = &self.text[self.pos..self.pos + q];
                    self.line += Self::count_breaks(chunk.as_bytes());
                    value.push_str(chunk);
                    self.pos += q + 1;
                    if self.byte(self.pos) == Some(b'"') {
                        value.push('"');
                        self.pos += 1;
                    } else {
                        break;
                    }
                }
                match self.byte(self.pos) {
                    None | Some(b',' | b'\n' | b'\r') => {}
                    Some(_) => {
                        self.skip_line();
                        return Some(RawItem::Bad {
                            line: start_line,
                            column,
                            zh: "闭合引号后还有文字",
                            en: "text follows the closing quote of a field",
                        });
                    }
                }
            } else {
                let rest = &bytes[self.pos..];
                let end = rest
                    .iter()
                    .position(|&b| matches!(b, b',' | b'\n' | b'\r' | b'"'))
                    .unwrap_or(rest.len());
                if rest.get(end) == Some(&b'"') {
                    self.skip_line();
                    return Some(RawItem::Bad {
                        line: start_line,
                        column,
                        zh: "未加引号的字段中有引号（含引号的字段须整体加引号，引号写两遍）",
                        en: "a quote inside an unquoted field (quote the whole field and double the quote)",
                    });
                }
                value.push_str(&self.text[self.pos..self.pos + end]);
                self.pos += end;
            }
            fields.push(value);
            if self.byte(self.pos) == Some(b',') {
                self.pos += 1;
                continue;
            }
            self.eat_break();
            return Some(RawItem::Row {
                line: start_line,
                fields,
            });
        }
    }
}

// ------------------------------------------------------------ typed cells

type Columns = &'static [(&'static str, bool)];

/// Shows a cell in a message, cut short when long.
fn shown(v: &str) -> String {
    if v.chars().count() > 40 {
        let head: String = v.chars().take(40).collect();
        format!("\"{head}…\"")
    } else {
        format!("{v:?}")
    }
}

struct Row<'a> {
    file: &'a str,
    line: u64,
    fields: &'a [String],
    cols: &'a [Option<usize>],
    names: Columns,
    report: &'a mut Report,
    ok: bool,
}

impl<'a> Row<'a> {
    /// The cell of known column `i`; `None` when the file has no such column.
    fn raw(&self, i: usize) -> Option<&'a str> {
        let fields: &'a [String] = self.fields;
        let pos = self.cols.get(i).copied().flatten()?;
        fields.get(pos).map(String::as_str)
    }

    fn name(&self, i: usize) -> &'static str {
        self.names.get(i).map_or("?", |c| c.0)
    }

    fn fail(&mut self, code: Code, i: usize, zh: String, en: String) {
        self.ok = false;
        let column = self
            .cols
            .get(i)
            .copied()
            .flatten()
            .map_or(0, |p| p as u64 + 1);
        let loc = Location::file(self.file)
            .at_line(self.line)
            .at_field(column, self.name(i));
        self.report.push(Problem::new(code, loc, zh, en));
    }

    /// The non-empty cell of column `i`, or `None` (reported when `required`).
    fn cell(&mut self, i: usize, required: bool) -> Option<&'a str> {
        match self.raw(i) {
            Some(v) if !v.is_empty() => Some(v),
            _ => {
                if required {
                    let name = self.name(i);
                    self.fail(
                        Code::FieldEmpty,
                        i,
                        format!("必填字段 {name} 为空"),
                        format!("required field `{name}` is empty"),
                    );
                }
                None
            }
        }
    }

    fn id<T: std::str::FromStr<Err = IdError>>(&mut self, i: usize, required: bool) -> Option<T> {
        let v = self.cell(i, required)?;
        match v.parse::<T>() {
            Ok(id) => Some(id),
            Err(e) => {
                let name = self.name(i);
                let m = e.message();
                self.fail(
                    e.code(),
                    i,
                    format!("{name} 的值 {} 无效：{}", shown(v), m.zh),
                    format!("`{name}` {} is not a valid ID: {}", shown(v), m.en),
                );
                None
            }
        }
    }

    fn text(&mut self, i: usize, required: bool) -> Option<String> {
        let v = self.cell(i, required)?;
        if let Some(n) = cell::too_long(v) {
            let name = self.name(i);
            let (zh, en) = cell::too_long_messages(&format!("{name} "), name, n);
            self.fail(Code::FieldTooLong, i, zh, en);
            return None;
        }
        Some(v.to_string())
    }

    fn date(&mut self, i: usize, required: bool) -> Option<chrono::NaiveDate> {
        let v = self.cell(i, required)?;
        match date::parse_date(v) {
            Ok(d) => Some(d),
            Err(e) => {
                let name = self.name(i);
                self.fail(
                    Code::FieldBadDate,
                    i,
                    format!(
                        "{name} 日期 {} 无效：{}；应为 YYYY-MM-DD 或 YYYY/M/D",
                        shown(v),
                        e.zh()
                    ),
                    format!(
                        "`{name}` {} is not a valid date ({e}); expected YYYY-MM-DD or YYYY/M/D",
                        shown(v)
                    ),
                );
                None
            }
        }
    }

    fn datetime(&mut self, i: usize, required: bool) -> Option<chrono::NaiveDateTime> {
        let v = self.cell(i, required)?;
        match date::parse_datetime(v) {
            Ok(d) => Some(d),
            Err(e) => {
                let name = self.name(i);
                self.fail(
                    Code::FieldBadDatetime,
                    i,
                    format!(
                        "{name} 时间 {} 无效：{}；应为 YYYY-MM-DDTHH:MM[:SS]、YYYY-MM-DD HH:MM[:SS] 或 YYYY/M/D H:MM（北京时间）",
                        shown(v),
                        e.zh()
                    ),
                    format!(
                        "`{name}` {} is not a valid date-time ({e}); expected YYYY-MM-DDTHH:MM[:SS], YYYY-MM-DD HH:MM[:SS] or YYYY/M/D H:MM (China Standard Time)",
                        shown(v)
                    ),
                );
                None
            }
        }
    }

    fn word<E>(
        &mut self,
        i: usize,
        required: bool,
        parse: fn(&str) -> Option<E>,
        allowed: &[&str],
    ) -> Option<E> {
        let v = self.cell(i, required)?;
        let got = parse(v);
        if got.is_none() {
            let name = self.name(i);
            let list = allowed.join(", ");
            self.fail(
                Code::FieldBadValue,
                i,
                format!("{name} 的值 {} 无效，应为以下之一：{list}", shown(v)),
                format!("`{name}` {} is not one of: {list}", shown(v)),
            );
        }
        got
    }

    fn number(&mut self, i: usize) -> Option<u32> {
        let v = self.cell(i, false)?;
        let ok = v.bytes().all(|b| b.is_ascii_digit());
        match v.parse::<u32>() {
            Ok(n) if ok => Some(n),
            _ => {
                let name = self.name(i);
                self.fail(
                    Code::FieldBadNumber,
                    i,
                    format!("{name} 的值 {} 不是非负整数", shown(v)),
                    format!(
                        "`{name}` {} is not a non-negative whole number (at most {})",
                        shown(v),
                        u32::MAX
                    ),
                );
                None
            }
        }
    }

    fn boolean(&mut self, i: usize) -> Option<bool> {
        let Some(v) = self.cell(i, false) else {
            return Some(false);
        };
        if v.eq_ignore_ascii_case("true") {
            Some(true)
        } else if v.eq_ignore_ascii_case("false") {
            Some(false)
        } else {
            let name = self.name(i);
            self.fail(
                Code::FieldBadBool,
                i,
                format!("{name} 的值 {} 应为 true 或 false", shown(v)),
                format!("`{name}` {} must be `true` or `false`", shown(v)),
            );
            None
        }
    }

    fn tags(&mut self, i: usize) -> Option<BTreeSet<Tag>> {
        let Some(v) = self.cell(i, false) else {
            return Some(BTreeSet::new());
        };
        let mut out = BTreeSet::new();
        let mut good = true;
        for t in v.split('|') {
            if let Err(why) = check_tag(t) {
                good = false;
                let name = self.name(i);
                self.fail(
                    Code::FieldBadValue,
                    i,
                    format!(
                        "{name} 中的标签 {} 无效（标签以 | 分隔，不能为空，首尾不能有空白）",
                        shown(t)
                    ),
                    format!("`{name}`: tag {} is not valid: {why}", shown(t)),
                );
            } else {
                out.insert(Tag::parse(t));
            }
        }
        good.then_some(out)
    }

    fn duties(&mut self, i: usize) -> Option<BTreeSet<Duty>> {
        let v = self.cell(i, false);
        match cell::parse_duties(v) {
            Ok(set) => Some(set),
            Err(bad) => {
                let name = self.name(i);
                let list: Vec<&str> = Duty::ALL.iter().map(|d| d.as_str()).collect();
                let list = list.join(", ");
                for w in bad {
                    self.fail(
                        Code::FieldBadValue,
                        i,
                        format!(
                            "{name} 中的职责 {} 无效，应为以下之一（以 | 分隔）：{list}",
                            shown(w)
                        ),
                        format!(
                            "`{name}`: duty {} is not one of ({list}), `|`-separated",
                            shown(w)
                        ),
                    );
                }
                None
            }
        }
    }
}

// ------------------------------------------------------------ the reader

fn read_table<T, R: Read>(
    reader: R,
    opts: &ReadOptions,
    columns: Columns,
    mut build: impl FnMut(&mut Row<'_>) -> Option<T>,
) -> Parsed<T> {
    let mut out = Parsed::empty();
    let file = opts.file.as_str();
    let Some(text) = decode(reader, opts, &mut out.report) else {
        return out;
    };
    let mut items = Splitter::new(&text);
    let header = match items.next() {
        None => {
            out.report.push(Problem::new(
                Code::CsvEmpty,
                Location::file(file),
                "文件为空，连表头都没有",
                "the file is empty: not even a header row",
            ));
            return out;
        }
        Some(RawItem::Bad {
            line,
            column,
            zh,
            en,
        }) => {
            out.report.push(Problem::new(
                Code::CsvSyntax,
                Location::file(file).at_line(line).at_field(column, ""),
                format!("表头行格式错误：{zh}；整个文件都无法读取"),
                format!("the header row is malformed: {en}; no row of the file was read"),
            ));
            return out;
        }
        Some(RawItem::Row { line, fields }) => (line, fields),
    };
    let (header_line, names) = header;
    let width = names.len();
    let mut cols: Vec<Option<usize>> = vec![None; columns.len()];
    let mut blocked = false;
    for (pos, raw_name) in names.iter().enumerate() {
        let name = raw_name.trim();
        let loc = Location::file(file)
            .at_line(header_line)
            .at_field(pos as u64 + 1, name);
        match columns.iter().position(|c| c.0 == name) {
            Some(k) if cols[k].is_some() => {
                blocked = true;
                out.report.push(Problem::new(
                    Code::CsvDuplicateColumn,
                    loc,
                    format!("表头中列 {name} 出现了不止一次；无法确定用哪一列，本文件的数据行都未读取"),
                    format!(
                        "the header names column `{name}` more than once; which one holds the data is unclear, so no row of this file was read"
                    ),
                ));
            }
            Some(k) => cols[k] = Some(pos),
            None => {
                let known: Vec<&str> = columns.iter().map(|c| c.0).collect();
                out.report.push(Problem::new(
                    Code::CsvUnknownColumn,
                    loc,
                    format!(
                        "未知列 {}，已忽略（可用的列：{}）",
                        shown(name),
                        known.join(", ")
                    ),
                    format!(
                        "unknown column {} is ignored (known columns: {})",
                        shown(name),
                        known.join(", ")
                    ),
                ));
            }
        }
    }
    for (k, (name, required)) in columns.iter().enumerate() {
        if *required && cols[k].is_none() {
            blocked = true;
            out.report.push(Problem::new(
                Code::CsvMissingColumn,
                Location::file(file).at_line(header_line).with_field(*name),
                format!("缺少必需的列 {name}；本文件的数据行都未读取"),
                format!("required column `{name}` is missing; no row of this file was read"),
            ));
        }
    }
    if blocked {
        return out;
    }
    let mut rows = 0usize;
    for item in items {
        rows += 1;
        match item {
            RawItem::Bad {
                line,
                column,
                zh,
                en,
            } => {
                let field = names.get(column as usize - 1).map_or("", |s| s.as_str());
                out.report.push(Problem::new(
                    Code::CsvSyntax,
                    Location::file(file)
                        .at_line(line)
                        .at_field(column, field.trim()),
                    format!("第 {line} 行 CSV 格式错误：{zh}；该行未读取"),
                    format!("line {line} is malformed CSV: {en}; the row was not read"),
                ));
            }
            RawItem::Row { line, fields } if fields.len() != width => {
                out.report.push(Problem::new(
                    Code::CsvFieldCount,
                    Location::file(file).at_line(line),
                    format!(
                        "第 {line} 行有 {} 个字段，表头有 {width} 列；该行未读取",
                        fields.len()
                    ),
                    format!(
                        "line {line} has {} fields but the header has {width} columns; the row was not read",
                        fields.len()
                    ),
                ));
            }
            RawItem::Row { line, fields } => {
                let mut row = Row {
                    file,
                    line,
                    fields: &fields,
                    cols: &cols,
                    names: columns,
                    report: &mut out.report,
                    ok: true,
                };
                let first_problem = row.report.problems.len();
                let record = build(&mut row);
                let ok = row.ok;
                // report the row's problems from left to right
                out.report.problems[first_problem..].sort_by_key(|p| p.location.column);
                if let (Some(r), true) = (record, ok) {
                    out.records.push(r);
                    out.sources.push(Location::file(file).at_line(line));
                }
            }
        }
    }
    if rows == 0 {
        out.report.push(Problem::new(
            Code::CsvNoRows,
            Location::file(file),
            "文件只有表头，没有数据行",
            "the file has a header but no data row",
        ));
    }
    out
}

const UNIT_COLUMNS: Columns = &[
    ("unit_id", true),
    ("kind", true),
    ("parent_id", false),
    ("name", false),
    ("population", false),
];

const HOUSEHOLD_COLUMNS: Columns = &[
    ("household_id", true),
    ("village_id", true),
    ("residency", true),
    ("tags", false),
    ("name", false),
    ("phone", false),
    ("members", false),
    ("head_birth_date", false),
    ("registered_on", false),
];

const CADRE_COLUMNS: Columns = &[
    ("cadre_id", true),
    ("name", true),
    ("phone", false),
    ("rank", false),
    ("unit_id", false),
    ("min_households", false),
    ("max_households", false),
    ("duties", false),
];

const ASSIGNMENT_COLUMNS: Columns = &[
    ("household_id", true),
    ("cadre_id", true),
    ("from", true),
    ("to", false),
];

const EVENT_COLUMNS: Columns = &[("household_id", true), ("date", true), ("kind", true)];

const VISIT_COLUMNS: Columns = &[
    ("household_id", true),
    ("cadre_id", true),
    ("at", true),
    ("mode", true),
    ("signed", false),
    ("note", false),
];

/// Reads units.csv: `unit_id, kind` required; `parent_id, name,
/// population` optional.
///
/// # Errors
/// None: every problem is in [`Parsed::report`], with file, line, column
/// and field; the good rows are in [`Parsed::records`].
///
/// # Example
/// ```
/// use minqing::io::{read_units, ReadOptions};
/// use minqing::problem::Code;
/// let csv = "unit_id,kind,parent_id\nT1,township,\nV1,village,T1\nV2,hamlet,T1\n";
/// let parsed = read_units(csv.as_bytes(), &ReadOptions::new("units.csv"));
/// assert_eq!(parsed.records.len(), 2);
/// assert_eq!(parsed.report.codes(), vec![Code::FieldBadValue]);
/// assert_eq!(parsed.report.problems[0].location.line, Some(4));
/// ```
pub fn read_units<R: Read>(reader: R, opts: &ReadOptions) -> Parsed<Unit> {
    read_table(reader, opts, UNIT_COLUMNS, |r| {
        let id = r.id(0, true);
        let kind = r.word(
            1,
            true,
            UnitKind::parse,
            &words_of(&UnitKind::ALL, UnitKind::as_str),
        );
        let parent = r.id(2, false);
        let name = r.text(3, false);
        let population = r.number(4);
        Some(Unit {
            id: id?,
            kind: kind?,
            parent,
            name,
            population,
        })
    })
}

/// Reads households.csv: `household_id, village_id, residency` required;
/// `tags` (`|`-separated), `name`, `phone`, `members`, `head_birth_date`,
/// `registered_on` optional.
///
/// # Errors
/// None: every problem is in [`Parsed::report`].
///
/// # Example
/// ```
/// use minqing::io::{read_households, ReadOptions};
/// use minqing::household::Tag;
/// let csv = "household_id,village_id,residency,tags,name\nH1,V1,resident,elderly_alone|beekeeper,\"王,某\"\n";
/// let parsed = read_households(csv.as_bytes(), &ReadOptions::new("households.csv"));
/// assert!(parsed.report.is_empty());
/// let h = &parsed.records[0];
/// assert!(h.has_tag(&Tag::ElderlyAlone) && h.has_tag(&Tag::Custom("beekeeper".into())));
/// assert_eq!(h.name.as_deref(), Some("王,某"));
/// ```
pub fn read_households<R: Read>(reader: R, opts: &ReadOptions) -> Parsed<Household> {
    read_table(reader, opts, HOUSEHOLD_COLUMNS, build_household)
}

fn build_household(r: &mut Row<'_>) -> Option<Household> {
    let id = r.id(0, true);
    let village = r.id(1, true);
    let residency = r.word(
        2,
        true,
        Residency::parse,
        &words_of(&Residency::ALL, Residency::as_str),
    );
    let tags = r.tags(3);
    let name = r.text(4, false);
    let phone = r.text(5, false);
    let members = r.number(6);
    let head_birth_date = r.date(7, false);
    let registered_on = r.date(8, false);
    Some(Household {
        id: id?,
        village: village?,
        residency: residency?,
        tags: tags?,
        name,
        phone,
        members,
        head_birth_date,
        registered_on,
    })
}

/// Reads cadres.csv: `cadre_id, name` required; `phone, rank, unit_id,
/// min_households, max_households` optional, and `duties` (`|`-separated
/// words of [`Duty`]; empty or absent: all five; `none`: no duty).
///
/// # Errors
/// None: every problem is in [`Parsed::report`].
///
/// # Example
/// ```
/// use minqing::io::{read_cadres, ReadOptions};
/// use minqing::cadre::{Duty, Rank};
/// let csv = "cadre_id,name,rank,duties\nC1,李某某,leader,\nC2,张某,,liaison|mediator\n";
/// let parsed = read_cadres(csv.as_bytes(), &ReadOptions::new("cadres.csv"));
/// assert!(parsed.report.is_empty());
/// assert_eq!(parsed.records[0].rank, Some(Rank::Leader));
/// assert_eq!(parsed.records[0].duties.len(), 5);
/// assert_eq!(parsed.records[1].duties.iter().copied().collect::<Vec<_>>(), vec![Duty::Liaison, Duty::Mediator]);
/// ```
pub fn read_cadres<R: Read>(reader: R, opts: &ReadOptions) -> Parsed<Cadre> {
    read_table(reader, opts, CADRE_COLUMNS, |r| {
        let id = r.id(0, true);
        let name = r.text(1, true);
        let phone = r.text(2, false);
        let rank = r.word(3, false, Rank::parse, &words_of(Rank::ALL, Rank::as_str));
        let unit = r.id(4, false);
        let min_households = r.number(5);
        let max_households = r.number(6);
        let duties = r.duties(7);
        Some(Cadre {
            id: id?,
            name: name?,
            phone,
            rank,
            unit,
            min_households,
            max_households,
            duties: duties?,
        })
    })
}

/// Reads assignments.csv: `household_id, cadre_id, from` required; `to`
/// optional (empty: still assigned).
///
/// # Errors
/// None: every problem is in [`Parsed::report`].
///
/// # Example
/// ```
/// use minqing::io::{read_assignments, ReadOptions};
/// use minqing::problem::Code;
/// let csv = "household_id,cadre_id,from,to\nH1,C1,2024-01-01,2024-06-30\nH1,C2,2024/7/1,\nH2,C1,2023-02-29,\n";
/// let parsed = read_assignments(csv.as_bytes(), &ReadOptions::new("assignments.csv"));
/// assert_eq!(parsed.records.len(), 2);
/// assert_eq!(parsed.records[1].to, None);
/// let p = &parsed.report.problems[0];
/// assert_eq!((p.code, p.location.line, p.location.column), (Code::FieldBadDate, Some(4), Some(3)));
/// ```
pub fn read_assignments<R: Read>(reader: R, opts: &ReadOptions) -> Parsed<Assignment> {
    read_table(reader, opts, ASSIGNMENT_COLUMNS, |r| {
        let household = r.id(0, true);
        let cadre = r.id(1, true);
        let from = r.date(2, true);
        let to = r.date(3, false);
        Some(Assignment {
            household: household?,
            cadre: cadre?,
            from: from?,
            to,
        })
    })
}

/// Reads visits.csv: `household_id, cadre_id, at, mode` required;
/// `signed` (`true`/`false`, empty: false) and `note` optional.
///
/// # Errors
/// None: every problem is in [`Parsed::report`].
///
/// # Example
/// ```
/// use minqing::io::{read_visits, ReadOptions};
/// use minqing::visit::Mode;
/// let csv = "household_id,cadre_id,at,mode,signed,note\nH1,C1,2024/3/5 8:07,in_person,true,\"说了\"\"低保\"\"的事\"\n";
/// let parsed = read_visits(csv.as_bytes(), &ReadOptions::new("visits.csv"));
/// assert!(parsed.report.is_empty(), "{}", parsed.report);
/// let v = &parsed.records[0];
/// assert_eq!((v.mode, v.signed), (Mode::InPerson, true));
/// assert_eq!(v.note.as_deref(), Some("说了\"低保\"的事"));
/// ```
pub fn read_visits<R: Read>(reader: R, opts: &ReadOptions) -> Parsed<Visit> {
    read_table(reader, opts, VISIT_COLUMNS, build_visit)
}

fn build_visit(r: &mut Row<'_>) -> Option<Visit> {
    let household = r.id(0, true);
    let cadre = r.id(1, true);
    let at = r.datetime(2, true);
    let mode = r.word(3, true, Mode::parse, &words_of(Mode::ALL, Mode::as_str));
    let signed = r.boolean(4);
    let note = r.text(5, false);
    Some(Visit {
        household: household?,
        cadre: cadre?,
        at: at?,
        mode: mode?,
        signed: signed?,
        note,
    })
}

/// Reads events.csv, the household events that start a visit deadline
/// (seed 000: hospitalisation, wedding, funeral): `household_id, date,
/// kind`, all required. `kind` is `hospitalisation`, `wedding`, `funeral`
/// or any other word, kept as [`EventKind::Custom`](crate::event::EventKind::Custom). A file with a header
/// and no row is a household list with no events: not a problem.
///
/// # Errors
/// None: every problem is in [`Parsed::report`].
///
/// # Example
/// ```
/// use minqing::event::EventKind;
/// use minqing::io::{read_events, ReadOptions};
/// use minqing::problem::Code;
/// let csv = "household_id,date,kind\nH1,2024/2/29,hospitalisation\nH2,2024-03-01,new_baby\nH3,2024-02-30,funeral\n";
/// let parsed = read_events(csv.as_bytes(), &ReadOptions::new("events.csv"));
/// assert_eq!(parsed.records.len(), 2);
/// assert_eq!(parsed.records[1].kind, EventKind::Custom("new_baby".into()));
/// let p = &parsed.report.problems[0];
/// assert_eq!((p.code, p.location.line, p.location.column), (Code::FieldBadDate, Some(4), Some(2)));
/// ```
pub fn read_events<R: Read>(reader: R, opts: &ReadOptions) -> Parsed<HouseholdEvent> {
    let known = cell::event_kind_words();
    let mut parsed = read_table(reader, opts, EVENT_COLUMNS, |r| {
        let household = r.id(0, true);
        let date = r.date(1, true);
        let kind = r.word(2, true, cell::event_kind, &known);
        Some(HouseholdEvent {
            household: household?,
            date: date?,
            kind: kind?,
        })
    });
    parsed.report.problems.retain(|p| p.code != Code::CsvNoRows);
    parsed
}

/// The tables whose rows the columnar loader has the general reader
/// diagnose ([`row_problems`]).
#[derive(Debug, Clone, Copy)]
pub(crate) enum RowKind {
    /// households.csv.
    Households,
    /// visits.csv.
    Visits,
}

/// The problems the general reader finds in one data row of `kind`
/// (`header` the file's column names, `fields` the row's cells): each as
/// its 0-based position in the row, code and messages, left to right. The
/// columnar loader reports a bad row with these, so that the two readers
/// refuse a row for the same reasons in the same words.
pub(crate) fn row_problems(
    kind: RowKind,
    header: &[String],
    fields: &[String],
) -> Vec<(usize, Code, String, String)> {
    let columns = match kind {
        RowKind::Households => HOUSEHOLD_COLUMNS,
        RowKind::Visits => VISIT_COLUMNS,
    };
    let mut cols: Vec<Option<usize>> = vec![None; columns.len()];
    for (pos, name) in header.iter().enumerate() {
        if let Some(k) = columns.iter().position(|c| c.0 == name.trim())
            && cols[k].is_none()
        {
            cols[k] = Some(pos);
        }
    }
    let mut report = Report::new();
    let mut row = Row {
        file: "",
        line: 0,
        fields,
        cols: &cols,
        names: columns,
        report: &mut report,
        ok: true,
    };
    match kind {
        RowKind::Households => drop(build_household(&mut row)),
        RowKind::Visits => drop(build_visit(&mut row)),
    }
    report.problems.sort_by_key(|p| p.location.column);
    report
        .problems
        .into_iter()
        .map(|p| {
            let pos = p
                .location
                .column
                .map_or(0, |c| c.saturating_sub(1) as usize);
            (pos, p.code, p.message.zh, p.message.en)
        })
        .collect()
}

// ------------------------------------------------------------ the writers

fn csv_writer<W: Write>(w: W) -> ::csv::Writer<W> {
    ::csv::WriterBuilder::new()
        .terminator(::csv::Terminator::Any(b'\n'))
        .quote_style(::csv::QuoteStyle::Necessary)
        .from_writer(w)
}

fn header(columns: Columns) -> impl Iterator<Item = &'static str> {
    columns.iter().map(|c| c.0)
}

fn opt<T: ToString>(v: &Option<T>) -> String {
    v.as_ref().map(ToString::to_string).unwrap_or_default()
}

fn opt_date(d: Option<chrono::NaiveDate>) -> String {
    d.map(date::format_date).unwrap_or_default()
}

fn finish<W: Write>(w: ::csv::Writer<W>) -> std::io::Result<()> {
    w.into_inner()
        .map_err(|e| std::io::Error::other(e.to_string()))?
        .flush()
}

/// Writes units.csv with every column.
///
/// # Errors
/// The writer's I/O error.
///
/// # Example
/// ```
/// use minqing::io::{write_units, read_units, ReadOptions};
/// use minqing::prelude::*;
/// let units = vec![Unit::new(UnitId::new("V1")?, UnitKind::Village).with_name("纳林希里村")];
/// let mut buf = Vec::new();
/// write_units(&mut buf, &units).unwrap();
/// assert_eq!(String::from_utf8(buf.clone()).unwrap(), "unit_id,kind,parent_id,name,population\nV1,village,,纳林希里村,\n");
/// assert_eq!(read_units(&buf[..], &ReadOptions::new("units.csv")).records, units);
/// # Ok::<(), minqing::id::IdError>(())
/// ```
pub fn write_units<W: Write>(writer: W, units: &[Unit]) -> std::io::Result<()> {
    let mut w = csv_writer(writer);
    w.write_record(header(UNIT_COLUMNS))?;
    for u in units {
        w.write_record([
            u.id.as_str(),
            u.kind.as_str(),
            u.parent.as_ref().map_or("", |p| p.as_str()),
            u.name.as_deref().unwrap_or(""),
            &opt(&u.population),
        ])?;
    }
    finish(w)
}

/// Writes households.csv with every column; tags are `|`-separated.
///
/// # Errors
/// The writer's I/O error, or [`std::io::ErrorKind::InvalidInput`] for a
/// tag that cannot be written (empty, containing `|`, or with white space
/// at an end).
///
/// # Example
/// ```
/// use minqing::io::{write_households, read_households, ReadOptions};
/// use minqing::prelude::*;
/// let hs = vec![Household::new(HouseholdId::new("H1")?, UnitId::new("V1")?, Residency::Away)
///     .with_tag(Tag::LowIncome).with_tag(Tag::Custom("养蜂".into()))];
/// let mut buf = Vec::new();
/// write_households(&mut buf, &hs).unwrap();
/// assert_eq!(read_households(&buf[..], &ReadOptions::new("households.csv")).records, hs);
/// # Ok::<(), minqing::id::IdError>(())
/// ```
pub fn write_households<W: Write>(writer: W, households: &[Household]) -> std::io::Result<()> {
    let mut w = csv_writer(writer);
    w.write_record(header(HOUSEHOLD_COLUMNS))?;
    for h in households {
        let mut tags = String::new();
        for (k, t) in h.tags.iter().enumerate() {
            check_tag(t.as_str()).map_err(|why| {
                std::io::Error::new(
                    std::io::ErrorKind::InvalidInput,
                    format!("household {}: tag {:?}: {why}", h.id, t.as_str()),
                )
            })?;
            if k > 0 {
                tags.push('|');
            }
            tags.push_str(t.as_str());
        }
        w.write_record([
            h.id.as_str(),
            h.village.as_str(),
            h.residency.as_str(),
            &tags,
            h.name.as_deref().unwrap_or(""),
            h.phone.as_deref().unwrap_or(""),
            &opt(&h.members),
            &opt_date(h.head_birth_date),
            &opt_date(h.registered_on),
        ])?;
    }
    finish(w)
}

/// Writes cadres.csv with every column of formats.md and `duties` (empty
/// when the cadre carries all five, `none` when none).
///
/// # Errors
/// The writer's I/O error.
///
/// # Example
/// ```
/// use minqing::io::{write_cadres, read_cadres, ReadOptions};
/// use minqing::prelude::*;
/// let mut c = Cadre::new(CadreId::new("C1")?, "李某某");
/// c.duties.remove(&Duty::Proxy);
/// let mut buf = Vec::new();
/// write_cadres(&mut buf, &[c.clone()]).unwrap();
/// assert_eq!(read_cadres(&buf[..], &ReadOptions::new("cadres.csv")).records, vec![c]);
/// # Ok::<(), minqing::id::IdError>(())
/// ```
pub fn write_cadres<W: Write>(writer: W, cadres: &[Cadre]) -> std::io::Result<()> {
    let mut w = csv_writer(writer);
    w.write_record(header(CADRE_COLUMNS))?;
    for c in cadres {
        let duties = cell::format_duties(&c.duties);
        w.write_record([
            c.id.as_str(),
            &c.name,
            c.phone.as_deref().unwrap_or(""),
            c.rank.map_or("", Rank::as_str),
            c.unit.as_ref().map_or("", |u| u.as_str()),
            &opt(&c.min_households),
            &opt(&c.max_households),
            &duties,
        ])?;
    }
    finish(w)
}

/// Writes assignments.csv with every column.
///
/// # Errors
/// The writer's I/O error.
///
/// # Example
/// ```
/// use minqing::io::write_assignments;
/// use minqing::prelude::*;
/// use chrono::NaiveDate;
/// let a = Assignment::new(HouseholdId::new("H1")?, CadreId::new("C1")?, NaiveDate::from_ymd_opt(2024, 1, 1).unwrap());
/// let mut buf = Vec::new();
/// write_assignments(&mut buf, &[a]).unwrap();
/// assert_eq!(String::from_utf8(buf).unwrap(), "household_id,cadre_id,from,to\nH1,C1,2024-01-01,\n");
/// # Ok::<(), minqing::id::IdError>(())
/// ```
pub fn write_assignments<W: Write>(writer: W, assignments: &[Assignment]) -> std::io::Result<()> {
    let mut w = csv_writer(writer);
    w.write_record(header(ASSIGNMENT_COLUMNS))?;
    for a in assignments {
        w.write_record([
            a.household.as_str(),
            a.cadre.as_str(),
            &date::format_date(a.from),
            &opt_date(a.to),
        ])?;
    }
    finish(w)
}

/// Writes visits.csv with every column; `at` as `YYYY-MM-DDTHH:MM[:SS]`
/// (a fraction of a second is not written), `signed` as `true`/`false`.
///
/// # Errors
/// The writer's I/O error.
///
/// # Example
/// ```
/// use minqing::io::write_visits;
/// use minqing::prelude::*;
/// use chrono::NaiveDate;
/// let at = NaiveDate::from_ymd_opt(2024, 3, 5).unwrap().and_hms_opt(8, 7, 0).unwrap();
/// let mut v = Visit::new(HouseholdId::new("H1")?, CadreId::new("C1")?, at, Mode::Phone);
/// v.note = Some("家里有人生病,\n需要帮助".into());
/// let mut buf = Vec::new();
/// write_visits(&mut buf, &[v]).unwrap();
/// assert_eq!(
///     String::from_utf8(buf).unwrap(),
///     "household_id,cadre_id,at,mode,signed,note\nH1,C1,2024-03-05T08:07,phone,false,\"家里有人生病,\n需要帮助\"\n"
/// );
/// # Ok::<(), minqing::id::IdError>(())
/// ```
pub fn write_visits<W: Write>(writer: W, visits: &[Visit]) -> std::io::Result<()> {
    let mut w = csv_writer(writer);
    w.write_record(header(VISIT_COLUMNS))?;
    for v in visits {
        w.write_record([
            v.household.as_str(),
            v.cadre.as_str(),
            &date::format_datetime(v.at),
            v.mode.as_str(),
            if v.signed { "true" } else { "false" },
            v.note.as_deref().unwrap_or(""),
        ])?;
    }
    finish(w)
}

/// Writes events.csv (`household_id, date, kind`).
///
/// # Errors
/// The writer's I/O error.
///
/// # Example
/// ```
/// use minqing::event::{EventKind, HouseholdEvent};
/// use minqing::io::{read_events, write_events, ReadOptions};
/// use minqing::id::HouseholdId;
/// use chrono::NaiveDate;
/// let e = HouseholdEvent::new(HouseholdId::new("H1")?, NaiveDate::from_ymd_opt(2024, 2, 29).unwrap(), EventKind::Funeral);
/// let mut buf = Vec::new();
/// write_events(&mut buf, &[e.clone()]).unwrap();
/// assert_eq!(String::from_utf8(buf.clone()).unwrap(), "household_id,date,kind\nH1,2024-02-29,funeral\n");
/// assert_eq!(read_events(&buf[..], &ReadOptions::new("events.csv")).records, vec![e]);
/// # Ok::<(), minqing::id::IdError>(())
/// ```
pub fn write_events<W: Write>(writer: W, events: &[HouseholdEvent]) -> std::io::Result<()> {
    let mut w = csv_writer(writer);
    w.write_record(header(EVENT_COLUMNS))?;
    for e in events {
        w.write_record([
            e.household.as_str(),
            &date::format_date(e.date),
            e.kind.as_str(),
        ])?;
    }
    finish(w)
}

// ------------------------------------------------------------ the six files

/// The six files of a data set, as readers; any may be absent. Build it
/// with consuming setters.
///
/// ```
/// use minqing::io::{CsvFiles, Encoding};
/// let files = CsvFiles::new()
///     .households("household_id,village_id,residency\n".as_bytes())
///     .encoding(Encoding::Utf8);
/// assert!(files.households.is_some() && files.units.is_none());
/// ```
#[derive(Debug)]
pub struct CsvFiles<R> {
    /// units.csv.
    pub units: Option<R>,
    /// households.csv (the one file a data set cannot do without).
    pub households: Option<R>,
    /// cadres.csv.
    pub cadres: Option<R>,
    /// assignments.csv.
    pub assignments: Option<R>,
    /// visits.csv.
    pub visits: Option<R>,
    /// events.csv (household events).
    pub events: Option<R>,
    /// The encoding of every file.
    pub encoding: Encoding,
}

impl<R> Default for CsvFiles<R> {
    fn default() -> Self {
        CsvFiles {
            units: None,
            households: None,
            cadres: None,
            assignments: None,
            visits: None,
            events: None,
            encoding: Encoding::Utf8,
        }
    }
}

impl<R> CsvFiles<R> {
    /// No file, UTF-8.
    pub fn new() -> Self {
        Self::default()
    }
    /// Sets units.csv.
    pub fn units(mut self, r: R) -> Self {
        self.units = Some(r);
        self
    }
    /// Sets households.csv.
    pub fn households(mut self, r: R) -> Self {
        self.households = Some(r);
        self
    }
    /// Sets cadres.csv.
    pub fn cadres(mut self, r: R) -> Self {
        self.cadres = Some(r);
        self
    }
    /// Sets assignments.csv.
    pub fn assignments(mut self, r: R) -> Self {
        self.assignments = Some(r);
        self
    }
    /// Sets visits.csv.
    pub fn visits(mut self, r: R) -> Self {
        self.visits = Some(r);
        self
    }
    /// Sets events.csv.
    pub fn events(mut self, r: R) -> Self {
        self.events = Some(r);
        self
    }
    /// Sets the encoding of every file.
    pub fn encoding(mut self, encoding: Encoding) -> Self {
        self.encoding = encoding;
        self
    }
}

/// The six files' names, in the order units, households, cadres,
/// assignments, visits, events.
const FILE_NAMES: [&str; 6] = [
    "units.csv",
    "households.csv",
    "cadres.csv",
    "assignments.csv",
    "visits.csv",
    "events.csv",
];

fn read_set_named<R: Read>(files: CsvFiles<R>, names: &[String; 6]) -> (Dataset, Sources, Report) {
    let enc = files.encoding;
    let opts = |i: usize| ReadOptions::new(names[i].clone()).encoding(enc);
    let mut ds = Dataset::new();
    let mut src = Sources::default();
    let mut report = Report::new();
    if let Some(r) = files.units {
        let p = read_units(r, &opts(0));
        (ds.units, src.units) = (p.records, p.sources);
        report.extend(p.report);
    }
    if let Some(r) = files.households {
        let p = read_households(r, &opts(1));
        (ds.households, src.households) = (p.records, p.sources);
        report.extend(p.report);
    }
    if let Some(r) = files.cadres {
        let p = read_cadres(r, &opts(2));
        (ds.cadres, src.cadres) = (p.records, p.sources);
        report.extend(p.report);
    }
    if let Some(r) = files.assignments {
        let p = read_assignments(r, &opts(3));
        (ds.assignments, src.assignments) = (p.records, p.sources);
        report.extend(p.report);
    }
    if let Some(r) = files.visits {
        let p = read_visits(r, &opts(4));
        (ds.visits, src.visits) = (p.records, p.sources);
        report.extend(p.report);
    }
    if let Some(r) = files.events {
        let p = read_events(r, &opts(5));
        (ds.events, src.events) = (p.records, p.sources);
        report.extend(p.report);
    }
    (ds, src, report)
}

fn missing_households(file: &str) -> Problem {
    Problem::new(
        Code::InputMissingFile,
        Location::file(file),
        "缺少 households.csv：没有户就没有数据集",
        "households.csv is missing: a data set cannot do without households",
    )
}

/// Reads the six files of a data set. Locations name the files
/// `units.csv`, `households.csv`, and so on.
///
/// households.csv is required: without it the report holds
/// `input.missing_file`. The others may be absent (a data set with no
/// visits yet, or one whose units come from elsewhere); validation of the
/// result then reports whatever is missing, e.g. every household's village
/// as unknown when units.csv is absent. Teams and duty spans are never in
/// CSV files: they stay empty.
///
/// # Errors
/// None: every problem is in the returned [`Report`]; validate the data set
/// with [`Dataset::validate_with_sources`] and the returned [`Sources`] to
/// get file and line for its problems too.
///
/// # Example
/// ```
/// use minqing::io::{read_csv_set, CsvFiles};
/// use minqing::prelude::*;
/// use chrono::NaiveDate;
/// let units = "unit_id,kind\nV1,village\n";
/// let households = "household_id,village_id,residency\nH1,V1,resident\nH2,V9,away\n";
/// let (ds, sources, report) = read_csv_set(
///     CsvFiles::new().units(units.as_bytes()).households(households.as_bytes()),
/// );
/// assert!(report.is_empty());
/// let checked = ds.validate_with_sources(&ValidateOptions::new(NaiveDate::from_ymd_opt(2024, 6, 30).unwrap()), &sources);
/// let p = &checked.problems[0];
/// assert_eq!(p.code, Code::HouseholdUnknownVillage);
/// assert_eq!((p.location.file.as_deref(), p.location.line), (Some("households.csv"), Some(3)));
/// ```
pub fn read_csv_set<R: Read>(files: CsvFiles<R>) -> (Dataset, Sources, Report) {
    let names = FILE_NAMES.map(String::from);
    let missing = files.households.is_none();
    let (ds, src, mut report) = read_set_named(files, &names);
    if missing {
        report.push(missing_households(FILE_NAMES[1]));
    }
    (ds, src, report)
}

/// Six writers, one a file.
#[derive(Debug)]
pub struct CsvWriters<W> {
    /// units.csv.
    pub units: W,
    /// households.csv.
    pub households: W,
    /// cadres.csv.
    pub cadres: W,
    /// assignments.csv.
    pub assignments: W,
    /// visits.csv.
    pub visits: W,
    /// events.csv.
    pub events: W,
}

/// Writes the six files of a data set (events.csv with its header only
/// when there are no events). Teams and duty spans are not
/// written (they have no CSV file; use the JSON document to keep them).
///
/// # Errors
/// The first writer's error, as the single writers report them.
///
/// # Example
/// ```
/// use minqing::io::{read_csv_set, write_csv_set, CsvFiles, CsvWriters};
/// use minqing::prelude::*;
/// let mut ds = Dataset::new();
/// ds.units.push(Unit::new(UnitId::new("V1")?, UnitKind::Village));
/// ds.households.push(Household::new(HouseholdId::new("H1")?, UnitId::new("V1")?, Residency::Away));
/// let mut out: CsvWriters<Vec<u8>> = CsvWriters {
///     units: vec![], households: vec![], cadres: vec![], assignments: vec![], visits: vec![],
///     events: vec![],
/// };
/// write_csv_set(&mut out, &ds).unwrap();
/// let files = CsvFiles::new()
///     .units(&out.units[..]).households(&out.households[..]).cadres(&out.cadres[..])
///     .assignments(&out.assignments[..]).visits(&out.visits[..]).events(&out.events[..]);
/// let (back, _, report) = read_csv_set(files);
/// assert_eq!(back, ds);
/// assert!(report.iter().all(|p| p.code == Code::CsvNoRows));
/// # Ok::<(), minqing::id::IdError>(())
/// ```
pub fn write_csv_set<W: Write>(
    writers: &mut CsvWriters<W>,
    dataset: &Dataset,
) -> std::io::Result<()> {
    write_units(&mut writers.units, &dataset.units)?;
    write_households(&mut writers.households, &dataset.households)?;
    write_cadres(&mut writers.cadres, &dataset.cadres)?;
    write_assignments(&mut writers.assignments, &dataset.assignments)?;
    write_visits(&mut writers.visits, &dataset.visits)?;
    write_events(&mut writers.events, &dataset.events)
}

/// Reads the six files from folder `dir` (feature `fs`): `units.csv`,
/// `households.csv`, `cadres.csv`, `assignments.csv`, `visits.csv`,
/// `events.csv`.
/// Locations name each file by its path. As [`read_csv_set`]: a missing
/// households.csv is `input.missing_file`, any other file may be absent; a
/// file that exists but cannot be opened is `input.io`.
///
/// # Errors
/// A [`Report`] with `input.io` when `dir` is not a readable folder.
///
/// # Example
/// ```no_run
/// use minqing::io::{read_csv_dir, Encoding};
/// let (dataset, sources, report) = read_csv_dir("data/township", Encoding::Gb18030)
///     .map_err(|r| r.to_string())?;
/// println!("{} households, {report}", dataset.households.len());
/// # Ok::<(), String>(())
/// ```
#[cfg(feature = "fs")]
pub fn read_csv_dir(
    dir: impl AsRef<std::path::Path>,
    encoding: Encoding,
) -> Result<(Dataset, Sources, Report), Report> {
    let dir = dir.as_ref();
    if let Err(e) = std::fs::read_dir(dir) {
        let mut r = Report::new();
        r.push(Problem::new(
            Code::InputIo,
            Location::file(dir.display().to_string()),
            format!("无法读取文件夹 {}：{e}", dir.display()),
            format!("cannot read folder {}: {e}", dir.display()),
        ));
        return Err(r);
    }
    let names = FILE_NAMES.map(|n| dir.join(n).display().to_string());
    let mut report = Report::new();
    let mut open = |i: usize| open_if_there(&names[i], &mut report);
    let files = CsvFiles {
        units: open(0),
        households: open(1),
        cadres: open(2),
        assignments: open(3),
        visits: open(4),
        events: open(5),
        encoding,
    };
    let households_absent = files.households.is_none();
    let households_exists = dir.join(FILE_NAMES[1]).exists();
    let (ds, src, more) = read_set_named(files, &names);
    if households_absent && !households_exists {
        report.push(missing_households(&names[1]));
    }
    report.extend(more);
    Ok((ds, src, report))
}

/// Opens file `path` for reading (feature `fs`); `None` when it is not
/// there, or when it exists but cannot be opened: then an `input.io`
/// problem naming it goes into `report`. The one file opener of the folder
/// readers.
#[cfg(feature = "fs")]
pub(crate) fn open_if_there(
    path: &str,
    report: &mut Report,
) -> Option<std::io::BufReader<std::fs::File>> {
    match std::fs::File::open(path) {
        Ok(f) => Some(std::io::BufReader::new(f)),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => None,
        Err(e) => {
            report.push(Problem::new(
                Code::InputIo,
                Location::file(path),
                format!("无法打开文件：{e}"),
                format!("cannot open the file: {e}"),
            ));
            None
        }
    }
}

/// Writes the six files into folder `dir` (feature `fs`), creating it if
/// needed and replacing the files there. Teams and duty spans are not
/// written.
///
/// # Errors
/// Any I/O error creating the folder or writing a file.
///
/// # Example
/// ```no_run
/// use minqing::io::{read_csv_dir, write_csv_dir, Encoding};
/// use minqing::dataset::Dataset;
/// write_csv_dir("out/township", &Dataset::new())?;
/// # Ok::<(), std::io::Error>(())
/// ```
#[cfg(feature = "fs")]
pub fn write_csv_dir(dir: impl AsRef<std::path::Path>, dataset: &Dataset) -> std::io::Result<()> {
    let dir = dir.as_ref();
    std::fs::create_dir_all(dir)?;
    let create =
        |i: usize| std::fs::File::create(dir.join(FILE_NAMES[i])).map(std::io::BufWriter::new);
    let mut writers = CsvWriters {
        units: create(0)?,
        households: create(1)?,
        cadres: create(2)?,
        assignments: create(3)?,
        visits: create(4)?,
        events: create(5)?,
    };
    write_csv_set(&mut writers, dataset)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn opts(file: &str) -> ReadOptions {
        ReadOptions::new(file)
    }

    fn codes_at(report: &Report) -> Vec<(Code, Option<u64>, Option<u64>)> {
        report
            .iter()
            .map(|p| (p.code, p.location.line, p.location.column))
            .collect()
    }

    #[test]
    fn bom_is_skipped() {
        let csv = "\u{FEFF}unit_id,kind\nV1,village\n";
        let p = read_units(csv.as_bytes(), &opts("units.csv"));
        assert!(p.report.is_empty(), "{}", p.report);
        assert_eq!(p.records[0].id.as_str(), "V1");
    }

    #[test]
    fn gb18030_file_is_decoded() {
        let text = "cadre_id,name\nC1,李某某\n";
        let (bytes, _, bad) = encoding_rs::GB18030.encode(text);
        assert!(!bad);
        assert!(std::str::from_utf8(&bytes).is_err());
        let p = read_cadres(&bytes[..], &opts("cadres.csv").encoding(Encoding::Gb18030));
        assert!(p.report.is_empty(), "{}", p.report);
        assert_eq!(p.records[0].name, "李某某");
        // the same bytes read as UTF-8: refused with the line and a hint
        let p = read_cadres(&bytes[..], &opts("cadres.csv"));
        assert!(p.records.is_empty());
        assert_eq!(
            codes_at(&p.report),
            vec![(Code::InputNotUtf8, Some(2), None)]
        );
        assert!(p.report.problems[0].message.en.contains("GB18030"));
    }

    #[test]
    fn bad_gb18030_is_reported() {
        let bytes = b"cadre_id,name\nC1,ok\nC2,\xFF\xFF\n";
        let p = read_cadres(&bytes[..], &opts("c.csv").encoding(Encoding::Gb18030));
        assert_eq!(
            codes_at(&p.report),
            vec![(Code::InputBadEncoding, Some(3), None)]
        );
    }

    #[test]
    fn utf16_is_refused() {
        let mut bytes = vec![0xFF, 0xFE];
        for u in "unit_id,kind\n".encode_utf16() {
            bytes.extend(u.to_le_bytes());
        }
        let p = read_units(&bytes[..], &opts("u.csv"));
        assert_eq!(p.report.codes(), vec![Code::InputNotUtf8]);
        let p = read_units(&bytes[2..], &opts("u.csv"));
        assert_eq!(p.report.codes(), vec![Code::InputNotUtf8]);
    }

    #[test]
    fn quoting_rules() {
        let csv = concat!(
            "household_id,cadre_id,at,mode,note\n",
            "H1,C1,2024-01-01T08:00,phone,\"a, \"\"b\"\"\nc\"\n", // lines 2-3
            "H1,C1,2024-01-01T09:00,phone,a\"b\n",                // 4: stray quote
            "H1,C1,2024-01-01T10:00,phone,\"ab\"c\n",             // 5: text after quote
            "H1,C1,2024-01-01T11:00,phone,\r\n",                  // 6
            "\n",
            "H1,C1,2024-01-01T12:00,phone,\"open\n", // 8: never closed
            "H1,C1,2024-01-01T13:00,phone,end\n",    // 9
        );
        let p = read_visits(csv.as_bytes(), &opts("v.csv"));
        let lines: Vec<u64> = p.sources.iter().map(|l| l.line.unwrap()).collect();
        assert_eq!(lines, vec![2, 6, 9]);
        assert_eq!(p.records[0].note.as_deref(), Some("a, \"b\"\nc"));
        assert_eq!(p.records[1].note, None);
        assert_eq!(
            codes_at(&p.report),
            vec![
                (Code::CsvSyntax, Some(4), Some(5)),
                (Code::CsvSyntax, Some(5), Some(5)),
                (Code::CsvSyntax, Some(8), Some(5)),
            ]
        );
    }

    #[test]
    fn header_problems() {
        let p = read_units(
            "unit_id,kind,colour\nV1,village,red\n".as_bytes(),
            &opts("u"),
        );
        assert_eq!(p.records.len(), 1);
        assert_eq!(
            codes_at(&p.report),
            vec![(Code::CsvUnknownColumn, Some(1), Some(3))]
        );
        assert!(!p.report.has_errors());
        assert_eq!(
            p.report.problems[0].location.field.as_deref(),
            Some("colour")
        );

        let p = read_units("unit_id,name\nV1,x\n".as_bytes(), &opts("u"));
        assert!(p.records.is_empty());
        assert_eq!(p.report.codes(), vec![Code::CsvMissingColumn]);
        assert!(p.report.problems[0].message.en.contains("no row"));

        let p = read_units(
            "kind,unit_id,kind\nvillage,V1,village\n".as_bytes(),
            &opts("u"),
        );
        assert!(p.records.is_empty());
        assert_eq!(p.report.codes(), vec![Code::CsvDuplicateColumn]);

        let p = read_units("".as_bytes(), &opts("u"));
        assert_eq!(p.report.codes(), vec![Code::CsvEmpty]);
        let p = read_units("unit_id,kind\n".as_bytes(), &opts("u"));
        assert_eq!(p.report.codes(), vec![Code::CsvNoRows]);
    }

    #[test]
    fn every_problem_of_a_row_is_reported() {
        let csv = concat!(
            "household_id,village_id,residency,members,head_birth_date,tags\n",
            "H1,V1,resident,3,1950-01-01,hardship\n",
            ",V1,abroad,-2,2023-02-29,a||b\n",
            "H3,V1,away\n",
            "H4,V1,away,,,\n",
        );
        let p = read_households(csv.as_bytes(), &opts("h.csv"));
        assert_eq!(p.records.len(), 2);
        assert_eq!(
            codes_at(&p.report),
            vec![
                (Code::FieldEmpty, Some(3), Some(1)),
                (Code::FieldBadValue, Some(3), Some(3)),
                (Code::FieldBadNumber, Some(3), Some(4)),
                (Code::FieldBadDate, Some(3), Some(5)),
                (Code::FieldBadValue, Some(3), Some(6)),
                (Code::CsvFieldCount, Some(4), None),
            ]
        );
        assert_eq!(
            p.report.problems[2].location.field.as_deref(),
            Some("members")
        );
    }

    #[test]
    fn long_fields_are_refused() {
        let id = "户".repeat(65);
        let note = "字".repeat(MAX_TEXT_CHARS + 1);
        let csv = format!(
            "household_id,cadre_id,at,mode,note\n{id},C1,2024-01-01T08:00,phone,\nH1,C1,2024-01-01T08:00,phone,{note}\n"
        );
        let p = read_visits(csv.as_bytes(), &opts("v.csv"));
        assert!(p.records.is_empty());
        assert_eq!(
            codes_at(&p.report),
            vec![
                (Code::FieldBadId, Some(2), Some(1)),
                (Code::FieldTooLong, Some(3), Some(5)),
            ]
        );
        let ok = "字".repeat(MAX_TEXT_CHARS);
        let csv =
            format!("household_id,cadre_id,at,mode,note\nH1,C1,2024-01-01T08:00,phone,{ok}\n");
        assert_eq!(read_visits(csv.as_bytes(), &opts("v.csv")).records.len(), 1);
    }

    #[test]
    fn bools_and_duties() {
        let csv = "household_id,cadre_id,at,mode,signed\nH,C,2024-01-01 08:00,video,TRUE\nH,C,2024-01-01 08:00,video,yes\nH,C,2024-01-01 08:00,video,\n";
        let p = read_visits(csv.as_bytes(), &opts("v.csv"));
        assert_eq!(
            p.records.iter().map(|v| v.signed).collect::<Vec<_>>(),
            vec![true, false]
        );
        assert_eq!(
            codes_at(&p.report),
            vec![(Code::FieldBadBool, Some(3), Some(5))]
        );

        let csv = "cadre_id,name,duties,rank\nC1,a,none,\nC2,b,liaison|boss,chief\n";
        let p = read_cadres(csv.as_bytes(), &opts("c.csv"));
        assert_eq!(p.records.len(), 1);
        assert!(p.records[0].duties.is_empty());
        assert_eq!(
            codes_at(&p.report),
            vec![
                (Code::FieldBadValue, Some(3), Some(3)),
                (Code::FieldBadValue, Some(3), Some(4))
            ]
        );
    }

    #[test]
    fn empty_set_of_duties_round_trips() {
        let mut c = Cadre::new(crate::id::CadreId::new("C1").unwrap(), "x");
        c.duties.clear();
        let mut buf = Vec::new();
        write_cadres(&mut buf, std::slice::from_ref(&c)).unwrap();
        assert_eq!(read_cadres(&buf[..], &opts("c")).records, vec![c]);
    }

    #[test]
    fn missing_households_is_reported() {
        let (_, _, report) =
            read_csv_set(CsvFiles::new().units("unit_id,kind\nV,village\n".as_bytes()));
        assert_eq!(report.codes(), vec![Code::InputMissingFile]);
    }
}

//! JSON Lines for request logs: one [`Entry`] a line (formats.md: "request
//! histories … travel as JSON Lines, one event a line"). Kept small; it may
//! fold into the generic `io` reader later.

use super::{Entry, RequestLog};
use crate::id::RequestId;
use crate::problem::{Code, Location, Problem, Report};

/// Writes every entry of every log, one compact JSON object a line, log
/// after log, each line ending in `\n`.
pub fn write_jsonl(logs: &[RequestLog]) -> String {
    let mut out = String::new();
    for log in logs {
        for e in log.entries() {
            if let Ok(line) = serde_json::to_string(e) {
                out.push_str(&line);
                out.push('\n');
            }
        }
    }
    out
}

/// Reads JSON Lines written by [`write_jsonl`] (or any tool writing the same
/// objects): blank lines are skipped, a byte-order mark is ignored, and
/// entries are grouped into logs by `request_id`, in order of first
/// appearance, each keeping its lines' order. Nothing is checked beyond the
/// shape of each line: call [`RequestLog::verify`] and [`RequestLog::state`].
///
/// Every bad line is reported (`json.syntax` or `json.shape`) with `file`
/// and its 1-based line; the good lines are kept.
///
/// ```
/// use minqing::case::*;
/// let text = "{\"request_id\":\"R1\",\"seq\":0}\nnot json\n";
/// let (logs, report) = read_jsonl(text, "cases.jsonl");
/// assert!(logs.is_empty());
/// assert_eq!(report.problems.len(), 2);
/// assert_eq!(report.problems[1].location.line, Some(2));
/// assert_eq!(report.problems[1].code.as_str(), "json.syntax");
/// ```
pub fn read_jsonl(text: &str, file: &str) -> (Vec<RequestLog>, Report) {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut report = Report::new();
    let mut order: Vec<RequestId> = Vec::new();
    let mut groups: std::collections::HashMap<RequestId, Vec<Entry>> =
        std::collections::HashMap::new();
    for (i, line) in text.lines().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        let n = i as u64 + 1;
        match serde_json::from_str::<Entry>(line) {
            Ok(e) => {
                let id = e.request_id.clone();
                let g = groups.entry(id.clone()).or_default();
                if g.is_empty() {
                    order.push(id);
                }
                g.push(e);
            }
            Err(err) => {
                let (code, zh, en) = if err.is_syntax() || err.is_eof() {
                    (
                        Code::JsonSyntax,
                        "该行不是合法的 JSON",
                        "the line is not well-formed JSON",
                    )
                } else {
                    (
                        Code::JsonShape,
                        "该行不是事项事件",
                        "the line is not a request event",
                    )
                };
                let col = err.column() as u64;
                let mut loc = Location::file(file).at_line(n);
                loc.column = (col > 0).then_some(col);
                report.push(Problem::new(
                    code,
                    loc,
                    format!("{zh}（第 {} 列：{}）", err.column(), category_zh(&err)),
                    format!("{en} (column {}: {})", err.column(), category_en(&err)),
                ));
            }
        }
    }
    let logs = order
        .into_iter()
        .map(|id| {
            let entries = groups.remove(&id).unwrap_or_default();
            RequestLog::from_entries(id, entries)
        })
        .collect();
    (logs, report)
}

// The error's category only: serde's own text may quote the input, which
// may hold personal data.
fn category_en(err: &serde_json::Error) -> &'static str {
    match err.classify() {
        serde_json::error::Category::Syntax => "syntax error",
        serde_json::error::Category::Eof => "unexpected end of line",
        serde_json::error::Category::Data => "a field is missing or has an invalid value",
        serde_json::error::Category::Io => "read error",
    }
}

fn category_zh(err: &serde_json::Error) -> &'static str {
    match err.classify() {
        serde_json::error::Category::Syntax => "语法错误",
        serde_json::error::Category::Eof => "行意外结束",
        serde_json::error::Category::Data => "字段缺失或取值无效",
        serde_json::error::Category::Io => "读取错误",
    }
}

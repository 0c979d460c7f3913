//! JSON Lines: one JSON value a line, for event streams such as request
//! histories (formats.md). Blank lines are skipped; each bad line is
//! reported with its line number (and column or JSON path) and the good
//! lines are still read.

use std::io::{BufRead, BufReader, Read, Write};

use serde::Serialize;
use serde::de::DeserializeOwned;

use super::Parsed;
use crate::problem::{Code, Location, Problem};

/// Reads one `T` a line. `file` names the input in problem locations.
///
/// Problems: `input.not_utf8` for a line that is not UTF-8, `json.syntax`
/// (with the column) for malformed JSON, `json.shape` (with the path, e.g.
/// `at`) for a value of the wrong shape, `input.io` when reading fails (the
/// lines read before are kept).
///
/// # Errors
/// None: problems are in [`Parsed::report`].
///
/// # Example
/// ```
/// use minqing::io::read_jsonl;
/// use minqing::problem::Code;
/// use minqing::visit::Visit;
/// let text = concat!(
///     r#"{"household_id":"H1","cadre_id":"C1","at":"2024-03-05T08:07:00","mode":"phone"}"#, "\n",
///     "\n",
///     r#"{"household_id":"H1","cadre_id":"C1","at":"2024-03-05","mode":"phone"}"#, "\n",
/// );
/// let parsed = read_jsonl::<Visit, _>(text.as_bytes(), "visits.jsonl");
/// assert_eq!(parsed.records.len(), 1);
/// assert_eq!(parsed.report.codes(), vec![Code::JsonShape]);
/// assert_eq!(parsed.report.problems[0].location.line, Some(3));
/// assert_eq!(parsed.report.problems[0].location.path.as_deref(), Some("at"));
/// ```
pub fn read_jsonl<T: DeserializeOwned, R: Read>(reader: R, file: &str) -> Parsed<T> {
    let mut out = Parsed::empty();
    let mut reader = BufReader::new(reader);
    let mut buf = Vec::new();
    let mut line_no: u64 = 0;
    loop {
        buf.clear();
        match reader.read_until(b'\n', &mut buf) {
            Ok(0) => break,
            Ok(_) => {}
            Err(e) => {
                out.report.push(Problem::new(
                    Code::InputIo,
                    Location::file(file).at_line(line_no + 1),
                    format!("读取失败：{e}"),
                    format!("could not read the input: {e}"),
                ));
                break;
            }
        }
        line_no += 1;
        let loc = Location::file(file).at_line(line_no);
        let mut bytes = &buf[..];
        if line_no == 1 {
            bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
        }
        let Ok(text) = std::str::from_utf8(bytes) else {
            out.report.push(Problem::new(
                Code::InputNotUtf8,
                loc,
                "这一行不是 UTF-8 编码",
                "this line is not valid UTF-8",
            ));
            continue;
        };
        let text = text.trim();
        if text.is_empty() {
            continue;
        }
        let mut de = serde_json::Deserializer::from_str(text);
        let result = serde_path_to_error::deserialize::<_, T>(&mut de)
            .map_err(|e| (e.path().to_string(), e.into_inner()))
            .and_then(|v| de.end().map(|()| v).map_err(|e| (String::new(), e)));
        match result {
            Ok(v) => {
                out.records.push(v);
                out.sources.push(loc);
            }
            Err((path, e)) if e.is_data() => {
                out.report.push(Problem::new(
                    Code::JsonShape,
                    loc.at_path(path.clone()),
                    format!("{path} 处的值不符合要求：{e}"),
                    format!("wrong value at {path}: {e}"),
                ));
            }
            Err((_, e)) => {
                let mut loc = loc;
                loc.column = Some(e.column() as u64);
                out.report.push(Problem::new(
                    Code::JsonSyntax,
                    loc,
                    format!("JSON 格式错误（第 {} 列）：{e}", e.column()),
                    format!("malformed JSON at column {}: {e}", e.column()),
                ));
            }
        }
    }
    out
}

/// Writes each item as one compact JSON line.
///
/// # Errors
/// The writer's I/O error, or a value that cannot be serialised as JSON.
///
/// # Example
/// ```
/// use minqing::io::{read_jsonl, write_jsonl};
/// let mut buf = Vec::new();
/// write_jsonl(&mut buf, &[1u32, 2, 3])?;
/// assert_eq!(buf, b"1\n2\n3\n");
/// assert_eq!(read_jsonl::<u32, _>(&buf[..], "n.jsonl").records, vec![1, 2, 3]);
/// # Ok::<(), std::io::Error>(())
/// ```
pub fn write_jsonl<'a, T, W, I>(mut writer: W, items: I) -> std::io::Result<()>
where
    T: Serialize + 'a,
    W: Write,
    I: IntoIterator<Item = &'a T>,
{
    for item in items {
        serde_json::to_writer(&mut writer, item).map_err(std::io::Error::other)?;
        writer.write_all(b"\n")?;
    }
    writer.flush()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bad_lines_are_reported_and_good_kept() {
        let text = b"1\n\n\"x\"\ntru\n2 3\n\xFF\n4\r\n";
        let p = read_jsonl::<u32, _>(&text[..], "n.jsonl");
        assert_eq!(p.records, vec![1, 4]);
        assert_eq!(
            p.sources
                .iter()
                .map(|l| l.line.unwrap())
                .collect::<Vec<_>>(),
            vec![1, 7]
        );
        let got: Vec<(Code, u64)> = p
            .report
            .iter()
            .map(|x| (x.code, x.location.line.unwrap()))
            .collect();
        assert_eq!(
            got,
            vec![
                (Code::JsonShape, 3),
                (Code::JsonSyntax, 4),
                (Code::JsonSyntax, 5),
                (Code::InputNotUtf8, 6)
            ]
        );
    }
}

//! Public notices (公示) with personal data masked (seeds 001, 003, 004).
//!
//! Results are published, and the seeds themselves write people as their
//! surname followed by 某某 (董某某, 秦某某). Names and phone numbers are
//! masked here, once, for every notice, report and log line; ID numbers,
//! illness and disability never appear in a notice at all.

/// Two-character surnames (复姓) common enough to keep whole.
const COMPOUND_SURNAMES: &[&str] = &[
    "欧阳", "司马", "上官", "诸葛", "东方", "皇甫", "尉迟", "公孙", "慕容", "长孙", "宇文", "司徒",
    "夏侯", "轩辕", "令狐", "独孤", "南宫", "西门", "端木", "呼延",
];

/// A name as the seeds publish it: the surname and 某某 (李鹏 → 李某某,
/// 欧阳修 → 欧阳某某). A name that is not written in Chinese characters
/// keeps its first letter only (`Li Peng` → `L**`). An empty name stays
/// empty.
///
/// # Example
/// ```
/// use minqing::notice::mask_name;
/// assert_eq!(mask_name("李鹏"), "李某某");
/// assert_eq!(mask_name("欧阳修"), "欧阳某某");
/// assert_eq!(mask_name("Li Peng"), "L**");
/// assert_eq!(mask_name(""), "");
/// ```
pub fn mask_name(name: &str) -> String {
    let name = name.trim();
    let Some(first) = name.chars().next() else {
        return String::new();
    };
    if is_han(first) {
        let surname = COMPOUND_SURNAMES
            .iter()
            .find(|s| name.starts_with(*s) && name.chars().count() > 2)
            .map_or_else(|| first.to_string(), |s| (*s).to_string());
        format!("{surname}某某")
    } else {
        format!("{first}**")
    }
}

/// A phone number with its middle hidden: the first three and the last
/// four digits stay (13812345678 → 138****5678); a number with fewer than
/// eight digits shows only its last two. Characters other than digits are
/// dropped.
///
/// # Example
/// ```
/// use minqing::notice::mask_phone;
/// assert_eq!(mask_phone("138-1234-5678"), "138****5678");
/// assert_eq!(mask_phone("12345"), "***45");
/// assert_eq!(mask_phone(""), "");
/// ```
pub fn mask_phone(phone: &str) -> String {
    let digits: Vec<char> = phone.chars().filter(char::is_ascii_digit).collect();
    let n = digits.len();
    if n >= 8 {
        let head: String = digits[..3].iter().collect();
        let tail: String = digits[n - 4..].iter().collect();
        format!("{head}{}{tail}", "*".repeat(n - 7))
    } else if n > 2 {
        let tail: String = digits[n - 2..].iter().collect();
        format!("{}{tail}", "*".repeat(n - 2))
    } else {
        "*".repeat(n)
    }
}

fn is_han(c: char) -> bool {
    matches!(c, '\u{4E00}'..='\u{9FFF}' | '\u{3400}'..='\u{4DBF}' | '\u{20000}'..='\u{2EBEF}')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_keep_only_the_surname() {
        assert_eq!(mask_name("董建国"), "董某某");
        assert_eq!(mask_name(" 秦岚 "), "秦某某");
        assert_eq!(
            mask_name("司马"),
            "司某某",
            "a two-character name is surname + given name"
        );
        assert_eq!(mask_name("诸葛亮"), "诸葛某某");
        // the given name never survives
        for (name, given) in [("李鹏", "鹏"), ("欧阳修", "修"), ("张秀英", "秀英")] {
            assert!(!mask_name(name).contains(given), "{name}");
        }
    }

    #[test]
    fn phones_keep_the_ends() {
        assert_eq!(mask_phone("13812345678"), "138****5678");
        assert_eq!(mask_phone("0477-8123456"), "047****3456");
        assert_eq!(mask_phone("12"), "**");
        assert!(!mask_phone("13812345678").contains("1234"));
    }
}

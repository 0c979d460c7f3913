//! Helpers shared by the workspace's examples, integration tests and
//! benches. Not published; the library is the `minqing` crate in `core/`.

/// Formats a rate as a percentage with one decimal, e.g. `91.3%`.
pub fn percent(num: u64, den: u64) -> String {
    if den == 0 {
        "—".to_string()
    } else {
        format!("{:.1}%", num as f64 * 100.0 / den as f64)
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn percent_formats() {
        assert_eq!(super::percent(116, 127), "91.3%");
        assert_eq!(super::percent(0, 0), "—");
    }
}

/// The README's Rust example, compiled and run as a doctest.
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
pub struct ReadmeDoctests;

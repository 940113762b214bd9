//! Every user-facing sentence, in one place. `en` is the English edition; a Dutch,
//! Swedish or Traditional Chinese edition is a sibling module with the same items,
//! chosen by [`Lang`]. The documentation's own sentences (Details, fixes) are quoted in
//! `report::catalogue` and stay English in exports.

pub mod en;

/// The languages the seeds exist in; only English is written so far.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Lang {
    #[default]
    En,
}

/// Thousands separators: `75000` → `75,000`.
pub fn count(n: impl Into<u64>) -> String {
    let digits = n.into().to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// `1 row` / `2 rows`.
pub fn plural(n: impl Into<u64>, one: &str, many: &str) -> String {
    let n = n.into();
    format!("{} {}", count(n), if n == 1 { one } else { many })
}

/// A share as a percentage with one decimal.
pub fn percent(part: u64, whole: u64) -> String {
    if whole == 0 {
        return "–".to_string();
    }
    // In tenths of a percent, rounded: integers only, so no float formatting ships.
    let tenths = (u128::from(part) * 1000 + u128::from(whole) / 2) / u128::from(whole);
    format!("{}.{}%", tenths / 10, tenths % 10)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_read_well() {
        assert_eq!(count(0u32), "0");
        assert_eq!(count(999u32), "999");
        assert_eq!(count(75000u32), "75,000");
        assert_eq!(count(1234567u32), "1,234,567");
        assert_eq!(plural(1u32, "row", "rows"), "1 row");
        assert_eq!(plural(2u32, "row", "rows"), "2 rows");
        assert_eq!(percent(1, 3), "33.3%");
        assert_eq!(percent(0, 0), "–");
    }
}

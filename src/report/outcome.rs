//! The six values of the classic `Result` column, as [`ResetResult`].

use serde::Serialize;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ResetResult {
    Succeeded,
    Abandoned,
    Blocked,
    Cancelled,
    ContactedAdmin,
    Failed,
}

impl ResetResult {
    pub const ALL: [ResetResult; 6] = [
        ResetResult::Succeeded,
        ResetResult::Abandoned,
        ResetResult::Blocked,
        ResetResult::Cancelled,
        ResetResult::ContactedAdmin,
        ResetResult::Failed,
    ];

    /// The id used in the summary JSON.
    pub fn id(self) -> &'static str {
        match self {
            ResetResult::Succeeded => "succeeded",
            ResetResult::Abandoned => "abandoned",
            ResetResult::Blocked => "blocked",
            ResetResult::Cancelled => "cancelled",
            ResetResult::ContactedAdmin => "contacted_admin",
            ResetResult::Failed => "failed",
        }
    }

    pub fn from_id(id: &str) -> Option<ResetResult> {
        ResetResult::ALL.into_iter().find(|r| r.id() == id)
    }

    pub fn index(self) -> usize {
        self as usize
    }

    /// Reads a `Result` cell in any of its spellings (`Cancelled` / `Canceled`,
    /// `Contacted Admin` / `Contacted admin`, any case, with or without spaces).
    pub fn parse(cell: &str) -> Option<ResetResult> {
        const SPELT: &[(&str, Option<ResetResult>)] = &[
            ("Succeeded", Some(ResetResult::Succeeded)),
            ("Abandoned", Some(ResetResult::Abandoned)),
            ("Blocked", Some(ResetResult::Blocked)),
            ("Cancelled", Some(ResetResult::Cancelled)),
            ("Contacted Admin", Some(ResetResult::ContactedAdmin)),
            ("Failed", Some(ResetResult::Failed)),
        ];
        super::key::named(cell, SPELT, |key| match key {
            "succeeded" | "success" | "successful" => Some(ResetResult::Succeeded),
            "abandoned" => Some(ResetResult::Abandoned),
            "blocked" | "block" => Some(ResetResult::Blocked),
            "cancelled" | "canceled" => Some(ResetResult::Cancelled),
            "contactedadmin" | "contactedanadmin" | "contactedadministrator" => {
                Some(ResetResult::ContactedAdmin)
            }
            "failed" | "failure" => Some(ResetResult::Failed),
            _ => None,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(cell: &str, expected: Option<ResetResult>) {
        assert_eq!(ResetResult::parse(cell), expected, "cell {cell:?}");
    }

    #[test]
    fn spellings_are_normalised() {
        check("Succeeded", Some(ResetResult::Succeeded));
        check("Abandoned", Some(ResetResult::Abandoned));
        check("Blocked", Some(ResetResult::Blocked));
        check("Cancelled", Some(ResetResult::Cancelled));
        check("Canceled", Some(ResetResult::Cancelled));
        check("Contacted Admin", Some(ResetResult::ContactedAdmin));
        check("Contacted admin", Some(ResetResult::ContactedAdmin));
        check(" FAILED ", Some(ResetResult::Failed));
        check("Maybe", None);
        check("", None);
    }

    #[test]
    fn ids_round_trip() {
        for r in ResetResult::ALL {
            assert_eq!(ResetResult::from_id(r.id()), Some(r));
        }
    }
}

//! What can go wrong reading a file: [`LoadError`] when the file as a whole cannot be
//! used, [`RowProblem`] for one row that could not be read (the rest still loads).
//! Messages are rendered by `crate::text`, so they can be translated in one place.

use super::dates::DateError;
use super::decode::BinaryKind;
use super::formats::FormatId;

/// The file was not loaded at all; what was loaded before stays.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum LoadError {
    Empty,
    Binary(BinaryKind),
    /// A delimited file whose header is no known report.
    UnknownHeader {
        found: Vec<String>,
        /// The known format with the most columns in common, and what it still lacks.
        closest: Option<(FormatId, Vec<&'static str>)>,
    },
    /// Not valid JSON: where the parser stopped.
    InvalidJson {
        line: usize,
        column: usize,
        message: String,
    },
    /// Valid JSON, but not a shape the viewer knows.
    UnknownJson {
        found: String,
    },
    /// The file has a header but is not a delimited table (one column, no separator).
    NotATable,
}

/// One row that could not be read. `line` is 1-based in the file as saved.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RowProblem {
    pub line: u64,
    /// 1-based column number and header name, where one column is at fault.
    pub column: Option<(usize, String)>,
    pub kind: RowProblemKind,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum RowProblemKind {
    BadDate {
        value: String,
        error: DateError,
    },
    UnknownResult {
        value: String,
    },
    EmptyUser,
    /// The row has fewer fields than the columns it needs.
    TooFewFields {
        found: usize,
        needed: usize,
    },
    /// A record or cell is not the JSON it should be.
    Malformed {
        message: String,
    },
    /// The row's text is not UTF-8, though the file's is (the column is the first field
    /// at fault).
    NotUtf8,
    /// A record lacks a field it cannot do without.
    MissingField {
        name: String,
    },
}

/// How many problems per file are kept for display; all are counted.
pub const KEPT_PROBLEMS: usize = 100;

impl std::fmt::Display for LoadError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&crate::text::en::load_error(self))
    }
}

impl std::fmt::Display for RowProblem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&crate::text::en::row_problem(self))
    }
}

impl std::error::Error for LoadError {}

//! Browser plumbing that is not a view: the parsing worker (both its side and the
//! page's), and reading a `File` in chunks. Built only for the browser.

pub mod blob_reader;
pub mod jobs;
pub mod tasks;
pub mod worker;

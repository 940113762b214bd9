//! The pure domain: export formats, the compact model, filters and answers.
//! No DOM and no browser types here; everything builds and tests natively.
//!
//! Data flow: [`ingest::load`] decodes a file, [`formats`] recognises and reads it into
//! the [`model::Dataset`]; [`answers::compute`], [`filter::apply`] and [`charts::series`]
//! derive what the page shows; [`summary`] and [`export`] write it out.

pub mod activity;
pub mod answers;
pub mod catalogue;
pub mod charts;
pub mod dates;
pub mod decode;
pub mod export;
pub mod filter;
pub mod formats;
pub mod generate;
pub mod ingest;
pub mod intern;
pub mod key;
pub mod methods;
pub mod model;
pub mod order;
pub mod outcome;
pub mod problems;
pub mod sessions;
pub mod summary;
pub mod wire;

/// Delimited text → records of fields: a crate of its own, compiled for speed in the page.
pub use sspr_delimited as delimited;

//! sijill: a static site generator for archives of human-rights incident reports.
//!
//! The pipeline runs one way: [`content`] reads and checks the files, [`archive`] builds the
//! model (place tree, date index, taxonomies, totals), [`render`] turns it into pages, and
//! [`output`] writes the site atomically. `check` is `build` without `output`; [`preview`]
//! rebuilds what a change touches for `serve`, [`diff`] compares two revisions' models, and
//! [`import`] writes reports from a dataset's rows.

pub mod archive;
pub mod config;
pub mod content;
pub mod diff;
pub mod import;
pub mod init;
pub mod license;
pub mod output;
pub mod pipeline;
pub mod preview;
pub mod render;
pub mod serve;

/// A hash map with a fast hasher (foldhash, seeded at random like std's): places, reports
/// and terms are looked up by name on every page. Nothing iterates one into the output.
pub(crate) type FastMap<K, V> = std::collections::HashMap<K, V, foldhash::fast::RandomState>;

/// A hash set with the same hasher, for membership checks (never iterated into the output).
pub(crate) type FastSet<T> = std::collections::HashSet<T, foldhash::fast::RandomState>;

pub use pipeline::{
    BuildOptions, BuildSummary, CheckSummary, Error, PAGES_LIMIT_BYTES, Progress, build, check,
};

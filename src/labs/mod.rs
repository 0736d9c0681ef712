//! Guided labs: the lecture as a sequence of exercises, each written as data (`labs/*.yaml`,
//! compiled in), with checks that are conditions on the simulated cluster, not Rust code.
//!
//! Data flow: lab text -> [`Lab`] (this module's `format`) -> checks evaluated against the
//! engine's API objects and a [`History`] of pod changes recorded since the lab began.

mod check;
mod format;
mod link;
mod session;
mod show_me;

pub use check::{evaluate, History, Mark, PodEvent};
pub use format::{parse_lab, Check, Lab, Text, BUILT_IN};
pub use link::{from_fragment, read_lab, to_fragment, FRAGMENT_PREFIX, MAX_LAB_BYTES};
pub use session::{LabFiles, LabSession, Tracker, TrackerMark};
pub use show_me::ShowMe;

/// The built-in labs, in lecture order. A malformed built-in lab is a bug caught by the tests,
/// so it is skipped here rather than taking the page down.
pub fn built_in() -> Vec<Lab> {
    BUILT_IN.iter().filter_map(|text| parse_lab(text).ok()).collect()
}

//! kubectl, simulated: one command interpreter for the browser console and the `stslab` CLI,
//! printing exactly what kubectl 1.34 prints against the simulated cluster.
//!
//! Layers, front to back: [`shell`] reads a command line like a POSIX shell, [`flags`] parses
//! kubectl's flags like cobra/pflag, [`commands`] run against the engine, and [`printers`]
//! render API JSON as kubectl does. [`session::Interpreter`] ties them to one cluster;
//! [`complete`] offers tab completion and history for the console.

pub mod clock;
pub mod field_selector;
pub mod commands;
pub mod complete;
pub mod flags;
pub mod output;
pub mod patch;
pub mod printers;
pub mod resources;
pub mod session;
pub mod shell;
pub mod watch;

pub use complete::{complete, History};
pub use session::{FileProvider, Interpreter, MemoryFiles, NoFiles, Output, Stream};
#[cfg(target_arch = "wasm32")]
pub(crate) use session::Attached;

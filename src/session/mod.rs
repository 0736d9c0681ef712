//! A student's session as data: the seed, the editor text and the command lines issued at their
//! virtual times. Replaying those inputs through the interpreter rebuilds everything else, so this
//! is what the browser saves locally and what a share link carries (`share` holds the wire format).
//!
//! It lives outside `ui` so the codec is compiled, tested and fuzzed natively.

pub mod share;

/// One input of the session: a command line issued at a virtual time, with the text it read
/// on stdin (`kubectl apply -f -` keeps the editor text as it was when applied).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Command {
    /// Virtual milliseconds since the session began.
    pub at: u64,
    pub line: String,
    pub stdin: Option<String>,
    /// Typed at the console. Only such a line stops the console's `get -w`, as typing in a
    /// terminal would; a button is another terminal and leaves the watch streaming.
    pub typed: bool,
}

/// What a session is made of.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Session {
    pub seed: u64,
    pub editor: String,
    pub commands: Vec<Command>,
    /// The furthest virtual time reached, in ms.
    pub head: u64,
    pub lang: Option<String>,
    /// The guided lab the session was in, so that a shared link opens it with its progress.
    pub lab: Option<LabMark>,
}

/// A built-in lab by id, and the index of the session's first command in it (the ones before
/// were the session's own). A course's own lab is not carried: its text could outgrow a link.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LabMark {
    pub id: String,
    pub from: usize,
}

/// Commands a session may hold (a share link or a stored session is cut here).
pub const MAX_COMMANDS: usize = 2_000;

/// A day of virtual time: far more than any lab needs. The screen's clock stops there, so saved
/// and shared sessions end before it; a stored command past it (saved by an older version) ends
/// the list instead of refusing the session; and a replay stops once the clock passes it, so
/// restoring a crafted session stays quick.
pub const MAX_HEAD_MS: u64 = 24 * 3600 * 1000;

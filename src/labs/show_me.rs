//! "Show me": a lab's solution played into a live session one command at a time, the next one
//! only once the cluster has settled after the last. Pacing only; the caller runs the lines, so
//! the browser and the native tests play a solution the same way.

/// A cluster counts as settled when no pod has changed for this long (virtual ms), even if some
/// controller keeps retrying (a pod that can never mount its volume, say).
pub const STILL_FOR_MS: u64 = 10_000;
/// Nor does one command wait longer than this (virtual ms): a crash loop never settles.
pub const MAX_WAIT_MS: u64 = 180_000;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ShowMe {
    lines: Vec<String>,
    next: usize,
    /// When the last line ran, and the last pod change seen since (virtual ms).
    issued_at: u64,
    changed_at: u64,
    /// The lab's count of pod changes when last looked at.
    changes: usize,
}

impl ShowMe {
    /// The solution's command lines (blank lines and `#` comments left out).
    pub fn new(solution: &str) -> ShowMe {
        let lines = solution.lines().map(str::trim).filter(|l| !l.is_empty() && !l.starts_with('#')).map(String::from).collect();
        ShowMe { lines, next: 0, issued_at: 0, changed_at: 0, changes: 0 }
    }

    /// Lines not run yet.
    pub fn remaining(&self) -> usize {
        self.lines.len() - self.next
    }

    /// Whether the last line has run (what is left is waiting for it to settle).
    pub fn finishing(&self) -> bool {
        self.remaining() == 0
    }

    /// Whether what the last line started has settled at `now`: the engine is `quiet`, or the
    /// lab's count of pod `changes` has not moved for [`STILL_FOR_MS`], or it waited too long.
    pub fn settled(&mut self, now: u64, quiet: bool, changes: usize) -> bool {
        if changes != self.changes {
            self.changes = changes;
            self.changed_at = now;
        }
        quiet || now >= self.changed_at.max(self.issued_at) + STILL_FOR_MS || now >= self.issued_at + MAX_WAIT_MS
    }

    /// The next line, to run at `now`; None when every line has run.
    pub fn take_next(&mut self, now: u64) -> Option<String> {
        let line = self.lines.get(self.next)?.clone();
        self.next += 1;
        self.issued_at = now;
        self.changed_at = now;
        Some(line)
    }
}

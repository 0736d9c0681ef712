//! Console conveniences: tab completion of commands, resource types and object names, and a
//! command history walked with the up/down arrows. Pure functions over the engine, so the UI
//! only wires keys to them.

use super::commands::SUBCOMMANDS;
use super::resources;
use crate::engine::{Engine, Kind};

const TOP: &[&str] = &["kubectl", "sleep", "settle", "crash", "fail", "node", "clear", "help"];

/// Candidates for the word under the cursor (each a full replacement for that word), sorted.
pub fn complete(line: &str, cursor: usize, engine: &Engine) -> Vec<String> {
    let upto: String = line.chars().take(cursor).collect();
    let mut words: Vec<&str> = upto.split_whitespace().collect();
    let current = if upto.ends_with(' ') || upto.is_empty() { "" } else { words.pop().unwrap_or("") };
    let prev_kind = |words: &[&str]| -> Option<Kind> { words.iter().rev().find_map(|w| resources::resolve(w)) };
    let mut out: Vec<String> = Vec::new();
    match words.as_slice() {
        [] => out.extend(TOP.iter().map(|s| s.to_string())),
        ["kubectl"] | ["k"] => out.extend(SUBCOMMANDS.iter().map(|s| s.0.to_string())),
        ["kubectl", "rollout"] => out.extend(["history", "pause", "restart", "resume", "status", "undo"].map(String::from)),
        ["kubectl", "set"] => out.push("image".into()),
        ["crash"] | ["fail"] => out.extend(names(engine, Kind::Pod).into_iter().map(|n| format!("pod/{n}"))),
        ["node"] => out.extend(["down", "up"].map(String::from)),
        ["node", _] | ["kubectl", "cordon" | "uncordon" | "drain"] => out.extend(names(engine, Kind::Node)),
        ["kubectl", "exec", ..] => out.extend(names(engine, Kind::Pod)),
        ["kubectl", ..] => {
            if let Some((t, _)) = current.split_once('/') {
                if let Some(k) = resources::resolve(t) {
                    out.extend(names(engine, k).into_iter().map(|n| format!("{t}/{n}")));
                }
            } else {
                let flag_value = words.last().map(|w| w.starts_with('-')).unwrap_or(false);
                match prev_kind(&words) {
                    Some(k) if !flag_value || words.len() > 2 => out.extend(names(engine, k)),
                    _ => out.extend(resources::all_type_words().into_iter().map(str::to_string)),
                }
                if words.len() == 2 && prev_kind(&words).is_none() {
                    out.extend(resources::all_type_words().into_iter().map(str::to_string));
                }
            }
        }
        _ => {}
    }
    out.retain(|c| c.starts_with(current));
    crate::sort::sort(&mut out);
    out.dedup();
    out
}

fn names(engine: &Engine, kind: Kind) -> Vec<String> {
    let ns = if kind.namespaced() { Some("default") } else { None };
    engine.list(kind, ns).iter().map(|o| super::printers::st(o, "/metadata/name").to_string()).collect()
}

/// Up/down history of entered lines (most recent last), with a cursor.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct History {
    entries: Vec<String>,
    /// Index into `entries` while walking; `entries.len()` means "the fresh line".
    pos: usize,
    /// The line being typed before walking started.
    draft: String,
}

impl History {
    pub fn new() -> History {
        History::default()
    }

    /// Records an entered line (blank lines and immediate repeats are skipped, as bash does).
    pub fn push(&mut self, line: &str) {
        let line = line.trim_end();
        if !line.trim().is_empty() && self.entries.last().map(String::as_str) != Some(line) {
            self.entries.push(line.to_string());
        }
        self.pos = self.entries.len();
        self.draft.clear();
    }

    /// The previous entry (Up), remembering `current` as the draft on the first step.
    pub fn up(&mut self, current: &str) -> Option<String> {
        if self.pos == self.entries.len() {
            self.draft = current.to_string();
        }
        if self.pos == 0 {
            return self.entries.first().cloned();
        }
        self.pos -= 1;
        self.entries.get(self.pos).cloned()
    }

    /// The next entry (Down), or the draft after the newest.
    pub fn down(&mut self) -> Option<String> {
        if self.pos >= self.entries.len() {
            return None;
        }
        self.pos += 1;
        if self.pos == self.entries.len() {
            Some(self.draft.clone())
        } else {
            self.entries.get(self.pos).cloned()
        }
    }

    pub fn entries(&self) -> &[String] {
        &self.entries
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn history_walks() {
        let mut h = History::new();
        h.push("kubectl get pods");
        h.push("kubectl get pods");
        h.push("kubectl get sts");
        assert_eq!(h.entries().len(), 2);
        assert_eq!(h.up("draft").as_deref(), Some("kubectl get sts"));
        assert_eq!(h.up("").as_deref(), Some("kubectl get pods"));
        assert_eq!(h.up("").as_deref(), Some("kubectl get pods"));
        assert_eq!(h.down().as_deref(), Some("kubectl get sts"));
        assert_eq!(h.down().as_deref(), Some("draft"));
        assert_eq!(h.down(), None);
    }
}

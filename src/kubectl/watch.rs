//! `kubectl get -w`: the initial list, then one line per change of a matching object.
//!
//! Scripts drive the cluster until it is quiet and print everything at once; the browser keeps
//! a [`Watch`] open and polls it while its own clock advances, until Ctrl-C. Both paths format
//! lines here, so they print the same thing. As in kubectl, the header is printed again before
//! the first change (the server sends a fresh table), and column widths are remembered across
//! lines so the stream stays aligned.

use serde_json::Value;

use super::output::{self, Format, TableOpts};
use super::printers::{selector_matches, st, table::TabWriter};
use crate::engine::{Engine, Kind, Time, WatchEventType};

/// Virtual time a script's `get -w` may run before it gives up waiting for quiet.
pub const SCRIPT_WATCH_LIMIT_MS: u64 = 15 * 60 * 1000;

#[derive(Debug, Clone)]
pub struct Watch {
    cursor: u64,
    kind: Kind,
    namespace: Option<String>,
    selector: Option<String>,
    names: Vec<String>,
    format: Format,
    opts: TableOpts,
    tab: TabWriter,
    header_again: bool,
    show_events: bool,
}

impl Watch {
    /// Opens the watch and returns it with the initial listing (empty for `--watch-only`).
    #[allow(clippy::too_many_arguments)]
    pub fn start(
        engine: &mut Engine,
        kind: Kind,
        namespace: Option<String>,
        selector: Option<String>,
        names: Vec<String>,
        format: Format,
        opts: TableOpts,
        watch_only: bool,
        show_events: bool,
    ) -> (Watch, String) {
        let cursor = engine.watch();
        let mut w = Watch { cursor, kind, namespace, selector, names, format, opts, tab: TabWriter::table(), header_again: true, show_events };
        let objs: Vec<Value> = engine.list(kind, w.namespace.as_deref()).into_iter().filter(|o| w.matches(o)).collect();
        let now = engine.now().0;
        let initial = if watch_only {
            String::new()
        } else {
            let single = w.names.len() == 1;
            output::render(kind, &objs, &w.format, &w.opts, single, &mut w.tab, now)
        };
        (w, initial)
    }

    fn matches(&self, obj: &Value) -> bool {
        let ns_ok = match &self.namespace {
            Some(ns) if self.kind.namespaced() => st(obj, "/metadata/namespace") == ns,
            _ => true,
        };
        let name_ok = self.names.is_empty() || self.names.iter().any(|n| n == st(obj, "/metadata/name"));
        let sel_ok = self.selector.as_deref().map(|s| selector_matches(s, obj.pointer("/metadata/labels"))).unwrap_or(true);
        ns_ok && name_ok && sel_ok
    }

    /// Lines for the changes recorded since the last poll.
    pub fn poll(&mut self, engine: &mut Engine) -> String {
        let (events, cursor) = engine.poll_watch(self.cursor);
        self.cursor = cursor;
        let mut out = String::new();
        for ev in events {
            if ev.kind != self.kind || !self.matches(&ev.object) {
                continue;
            }
            let objs = [ev.object];
            let text = match &self.format {
                Format::Table | Format::Wide => {
                    let opts = TableOpts { no_headers: !self.header_again, ..self.opts };
                    self.header_again = false;
                    output::render(self.kind, &objs, &self.format, &opts, true, &mut self.tab, ev.time.0)
                }
                other => output::render(self.kind, &objs, other, &self.opts, true, &mut self.tab, ev.time.0),
            };
            if self.show_events {
                let ty = match ev.event_type {
                    WatchEventType::Added => "ADDED",
                    WatchEventType::Modified => "MODIFIED",
                    WatchEventType::Deleted => "DELETED",
                };
                // `--output-watch-events` adds an EVENT column; approximate it with a prefix.
                for line in text.lines() {
                    out.push_str(&format!("{ty:<9}{line}\n"));
                }
            } else {
                out.push_str(&text);
            }
        }
        out
    }

    /// Runs the cluster until it is quiet (or the script limit), collecting every line.
    pub fn run_until_quiet(&mut self, engine: &mut Engine) -> String {
        let deadline = Time(engine.now().0.saturating_add(SCRIPT_WATCH_LIMIT_MS));
        let mut out = self.poll(engine);
        let mut steps = 0u32;
        while !engine.is_quiet() && steps < 100_000 {
            match engine.next_wakeup() {
                Some(t) if t <= deadline => {
                    engine.step();
                }
                _ => break,
            }
            steps += 1;
            out.push_str(&self.poll(engine));
        }
        out
    }

    pub fn close(self, engine: &mut Engine) {
        engine.close_watch(self.cursor);
    }
}

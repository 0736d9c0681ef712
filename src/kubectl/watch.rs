//! `kubectl get -w`: the initial list, then one line per change of a matching object.
//!
//! Scripts drive the cluster until it is quiet and print everything at once; the browser keeps
//! a [`Watch`] open and polls it while its own clock advances, until Ctrl-C. Both paths format
//! lines here, so they print the same thing. As in kubectl, the header is printed again before
//! the first change (the server sends a fresh table), and column widths are remembered across
//! lines so the stream stays aligned.
//!
//! EndpointSlices and PodDisruptionBudget status are computed when read, not stored, so no
//! change of theirs is recorded. Their watch re-reads them whenever something they are computed
//! from changes, and prints those that differ from what it printed last, as the API server's
//! watch of the real objects would.

use serde_json::Value;
use std::collections::BTreeMap;

use super::output::{self, Format, TableOpts};
use super::field_selector::FieldSelector;
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
    fields: Option<FieldSelector>,
    names: Vec<String>,
    format: Format,
    opts: TableOpts,
    tab: TabWriter,
    header_again: bool,
    show_events: bool,
    /// For a computed kind: the objects as last printed, by namespace and name.
    seen: Option<BTreeMap<String, Value>>,
}

/// Whether `kind`'s objects are computed on reading, from objects of other kinds.
fn computed(kind: Kind) -> bool {
    matches!(kind, Kind::EndpointSlice | Kind::PodDisruptionBudget)
}

/// `namespace\0name`: orders as the (namespace, name) pair does (no name holds a NUL), and a
/// String key reuses the B-tree code serde_json's maps already compile; a pair key cost its own.
fn ns_name(obj: &Value) -> String {
    format!("{}\0{}", st(obj, "/metadata/namespace"), st(obj, "/metadata/name"))
}

impl Watch {
    /// Opens the watch and returns it with the initial listing (empty for `--watch-only`).
    #[allow(clippy::too_many_arguments)]
    pub fn start(
        engine: &mut Engine,
        kind: Kind,
        namespace: Option<String>,
        selector: Option<String>,
        fields: Option<FieldSelector>,
        names: Vec<String>,
        format: Format,
        opts: TableOpts,
        watch_only: bool,
        show_events: bool,
    ) -> (Watch, String) {
        let cursor = engine.watch();
        let mut w = Watch { cursor, kind, namespace, selector, fields, names, format, opts, tab: TabWriter::table(), header_again: true, show_events, seen: None };
        let objs: Vec<Value> = engine.list(kind, w.namespace.as_deref()).into_iter().filter(|o| w.matches(o)).collect();
        if computed(kind) {
            w.seen = Some(by_name(objs.iter().cloned()));
        }
        let now = engine.now().0;
        let initial = if watch_only {
            String::new()
        } else if show_events {
            // "Existing objects are output as initial ADDED events."
            let events: Vec<(&str, Value)> = objs.iter().map(|o| ("ADDED", o.clone())).collect();
            output::render_events(kind, &events, &w.format, &w.opts, &mut w.tab, now)
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
        let fields_ok = self.fields.as_ref().is_none_or(|f| f.matches(self.kind, obj));
        ns_ok && name_ok && sel_ok && fields_ok
    }

    /// Lines for the changes recorded since the last poll.
    pub fn poll(&mut self, engine: &mut Engine) -> String {
        let (events, cursor) = engine.poll_watch(self.cursor);
        self.cursor = cursor;
        let changes: Vec<(WatchEventType, Value, Time)> = if self.seen.is_some() {
            match events.last() {
                Some(last) => self.recompute(engine, last.time),
                None => Vec::new(),
            }
        } else {
            events.into_iter().filter(|ev| ev.kind == self.kind && self.matches(&ev.object)).map(|ev| (ev.event_type, ev.object, ev.time)).collect()
        };
        let mut out = String::new();
        for (event_type, object, time) in changes {
            let mut opts = self.opts.clone();
            if matches!(self.format, Format::Table | Format::Wide) {
                opts.no_headers = !self.header_again;
                self.header_again = false;
            }
            let text = if self.show_events {
                let ty = match event_type {
                    WatchEventType::Added => "ADDED",
                    WatchEventType::Modified => "MODIFIED",
                    WatchEventType::Deleted => "DELETED",
                };
                output::render_events(self.kind, &[(ty, object)], &self.format, &opts, &mut self.tab, time.0)
            } else {
                output::render(self.kind, &[object], &self.format, &opts, true, &mut self.tab, time.0)
            };
            out.push_str(&text);
        }
        out
    }

    /// A computed kind's objects that appeared, changed or went away since the last poll.
    fn recompute(&mut self, engine: &Engine, time: Time) -> Vec<(WatchEventType, Value, Time)> {
        let now = by_name(engine.list(self.kind, self.namespace.as_deref()).into_iter().filter(|o| self.matches(o)));
        let Some(seen) = self.seen.as_mut() else { return Vec::new() };
        let mut changes = Vec::new();
        for (key, obj) in &now {
            match seen.get(key) {
                None => changes.push((WatchEventType::Added, obj.clone(), time)),
                Some(before) if before != obj => changes.push((WatchEventType::Modified, obj.clone(), time)),
                Some(_) => {}
            }
        }
        for (key, obj) in seen.iter() {
            if !now.contains_key(key) {
                changes.push((WatchEventType::Deleted, obj.clone(), time));
            }
        }
        *seen = now;
        changes
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

/// Objects by (namespace, name). Inserts rather than `collect`: each `collect` into a BTreeMap
/// compiles its own copy of the sort.
fn by_name(objects: impl Iterator<Item = Value>) -> BTreeMap<String, Value> {
    let mut map = BTreeMap::new();
    for o in objects {
        map.insert(ns_name(&o), o);
    }
    map
}

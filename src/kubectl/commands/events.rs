//! `kubectl events`: the namespace's Events in time order (unlike `get events`, which the API
//! server lists by name), optionally only those about one object (`--for TYPE/NAME`) or of
//! one type (`--types`), as upstream's events.go and event_printer.go print them.

use serde_json::{json, Value};

use super::{ns_of, parse_flags, ALL_NS, OUTPUT, TEMPLATE};
use crate::kubectl::flags::{flag, FlagType::*};
use crate::kubectl::output::{self, Format};
use crate::kubectl::printers::age::parse_rfc3339;
use crate::kubectl::printers::describe::event_interval;
use crate::kubectl::printers::table::TabWriter;
use crate::kubectl::printers::st;
use crate::kubectl::resources;
use crate::kubectl::session::{Interpreter, Output};
use crate::engine::Kind;

pub fn events(it: &mut Interpreter, args: &[String], out: &mut Output) {
    let specs = [ALL_NS, OUTPUT, TEMPLATE, flag("for", None, Str), flag("types", None, StringArray), flag("no-headers", None, Bool), flag("watch", Some('w'), Bool), flag("chunk-size", None, Int)];
    let Some(f) = parse_flags(args, &specs, "kubectl events", out) else { return };
    let types: Vec<String> = f.strings("types").iter().flat_map(|t| t.split(',')).map(str::to_string).collect();
    if types.iter().any(|t| !t.eq_ignore_ascii_case("Normal") && !t.eq_ignore_ascii_case("Warning")) {
        return out.fail("error: valid --types are Normal or Warning");
    }
    let format = match f.string("output").filter(|o| !o.is_empty()) {
        Some(_) => match output::for_write(f.string("output"), f.string("template")) {
            Ok(format) => format,
            Err(e) => return out.fail(&e),
        },
        None => None,
    };
    let about = match f.string("for") {
        None => None,
        Some(target) => {
            let Some((resource, name)) = target.split_once('/') else {
                return out.fail("error: --for must be in resource/name form");
            };
            if name.contains('/') {
                return out.fail("error: arguments in resource/name form may not have more than one slash");
            }
            let Some(kind) = resources::resolve(resource) else {
                return out.fail(&format!("error: the server doesn't have a resource type \"{resource}\""));
            };
            Some((kind, name.to_string()))
        }
    };
    if f.bool("watch") {
        return out.fail("stslab: `kubectl events --watch` is not simulated; `kubectl get events -w` streams Events as they come");
    }
    let all = f.bool("all-namespaces");
    let ns = ns_of(it, &f);
    let mut events: Vec<Value> = it
        .engine
        .list(Kind::Event, if all { None } else { Some(ns.as_str()) })
        .into_iter()
        .filter(|e| about.as_ref().is_none_or(|(kind, name)| st(e, "/involvedObject/kind") == kind.name() && st(e, "/involvedObject/name") == name))
        .filter(|e| types.is_empty() || types.iter().any(|t| t.eq_ignore_ascii_case(st(e, "/type"))))
        .collect();
    if events.is_empty() {
        out.err(&if all { "No events found.".to_string() } else { format!("No events found in {ns} namespace.") });
        return;
    }
    // Timestamps have whole seconds, so many Events tie; Go's sort leaves ties in no particular
    // order, and the order they were written in (resourceVersion) is the one that reads right.
    crate::sort::sort_by_key(&mut events, |e| (event_time(e), st(e, "/metadata/resourceVersion").parse::<u64>().unwrap_or(0)));
    let now = crate::kubectl::clock::unix_ms(it.engine.now().0);
    match format {
        None => {
            let mut rows = Vec::new();
            if !f.bool("no-headers") {
                let mut header: Vec<String> = ["LAST SEEN", "TYPE", "REASON", "OBJECT", "MESSAGE"].map(String::from).to_vec();
                if all {
                    header.insert(0, "NAMESPACE".into());
                }
                rows.push(header);
            }
            for e in &events {
                let mut row = vec![
                    event_interval(e, now),
                    cell(st(e, "/type")),
                    cell(st(e, "/reason")),
                    format!("{}/{}", cell(st(e, "/involvedObject/kind")), cell(st(e, "/involvedObject/name"))),
                    cell(st(e, "/message").trim()),
                ];
                if all {
                    row.insert(0, st(e, "/metadata/namespace").to_string());
                }
                rows.push(row);
            }
            out.out(&TabWriter::table().rows(&rows));
        }
        // The printers get the typed EventList.
        Some(Format::Name) => out.out(&output::render(Kind::Event, &events, &Format::Name, &Default::default(), false, &mut TabWriter::table(), 0)),
        Some(format) => {
            let list = json!({"apiVersion": "v1", "items": events, "kind": "EventList", "metadata": {}});
            out.out(&output::written(Kind::Event, &list, Some(&format), ""));
        }
    }
}

/// What the events are sorted by: the series' last sighting, else the last timestamp, else the
/// event time.
fn event_time(e: &Value) -> i64 {
    [st(e, "/series/lastObservedTime"), st(e, "/lastTimestamp"), st(e, "/eventTime")].into_iter().find_map(parse_rfc3339).unwrap_or(0)
}

/// A cell stops at a line break, as the event printer's `escapeCell` cuts it.
fn cell(s: &str) -> String {
    match s.find(['\n', '\r', '\x0c']) {
        Some(i) => format!("{}...", &s[..i]),
        None => s.to_string(),
    }
}

//! `kubectl wait --for=condition=Ready|delete|jsonpath=...`: blocks (moving virtual time)
//! until every target meets the condition or the timeout (default 30s) passes.

use serde_json::Value;

use super::{ns_of, parse_flags, targets, ALL_NS, FILENAME, SELECTOR, TIMEOUT};
use crate::engine::{Kind, Time};
use crate::kubectl::flags::{flag, FlagType::*};
use crate::kubectl::printers::{arr, jsonpath::JsonPath, selector_matches, st};
use crate::kubectl::resources;
use crate::kubectl::session::{Interpreter, Output};

enum Cond {
    Delete,
    Condition { name: String, value: String },
    JsonPath { path: JsonPath, value: Option<String> },
}

fn holds(c: &Cond, obj: Option<&Value>) -> bool {
    match (c, obj) {
        (Cond::Delete, o) => o.is_none(),
        (_, None) => false,
        (Cond::Condition { name, value }, Some(o)) => arr(o, "/status/conditions")
            .iter()
            .any(|k| st(k, "/type").eq_ignore_ascii_case(name) && st(k, "/status").eq_ignore_ascii_case(value)),
        (Cond::JsonPath { path, value }, Some(o)) => {
            let got = path.execute(o);
            match value {
                Some(v) => got == *v,
                None => !got.is_empty(),
            }
        }
    }
}

pub fn wait(it: &mut Interpreter, args: &[String], out: &mut Output) {
    let specs = [flag("for", None, Str), TIMEOUT, SELECTOR, ALL_NS, FILENAME, flag("all", None, Bool)];
    let Some(f) = parse_flags(args, &specs, "kubectl wait", out) else { return };
    let Some(spec) = f.string("for") else {
        return out.fail("error: --for must be set");
    };
    let cond = if spec == "delete" {
        Cond::Delete
    } else if let Some(c) = spec.strip_prefix("condition=") {
        let (name, value) = c.split_once('=').unwrap_or((c, "true"));
        Cond::Condition { name: name.to_string(), value: value.to_string() }
    } else if let Some(j) = spec.strip_prefix("jsonpath=") {
        // `{.status.phase}=Running`
        let (p, v) = match j.rfind("}=") {
            Some(i) => (j.get(..=i).unwrap_or(j), j.get(i + 2..).map(str::to_string)),
            None => (j, None),
        };
        match JsonPath::parse(p) {
            Ok(path) => Cond::JsonPath { path, value: v },
            Err(e) => return out.fail(&e),
        }
    } else {
        return out.fail(&format!("error: unrecognized condition: \"{spec}\""));
    };
    let ns = ns_of(it, &f);
    let ts = match targets(&f.args) {
        Ok(t) => t,
        Err(e) => return out.fail(&e),
    };
    if ts.is_empty() {
        return out.fail("error: resource(s) were provided, but no name was specified");
    }
    // (kind, name, uid at start)
    let mut items: Vec<(Kind, String, String)> = Vec::new();
    for t in ts {
        if t.name.is_empty() {
            let sel = f.string("selector");
            if sel.is_none() && !f.bool("all") {
                return out.fail("error: resource(s) were provided, but no name was specified");
            }
            for o in it.engine.list(t.kind, Some(&ns)) {
                if sel.map(|s| selector_matches(s, o.pointer("/metadata/labels"))).unwrap_or(true) {
                    items.push((t.kind, st(&o, "/metadata/name").to_string(), st(&o, "/metadata/uid").to_string()));
                }
            }
        } else {
            match it.engine.get(t.kind, &ns, &t.name) {
                Ok(o) => items.push((t.kind, t.name, st(&o, "/metadata/uid").to_string())),
                Err(e) => {
                    if matches!(cond, Cond::Delete) {
                        continue;
                    }
                    return out.fail(&e.to_string());
                }
            }
        }
    }
    if items.is_empty() {
        if matches!(cond, Cond::Delete) {
            return;
        }
        return out.fail("error: no matching resources found");
    }
    let timeout = f.duration_ms("timeout").unwrap_or(30_000);
    let deadline = Time(it.engine.now().0.saturating_add(timeout));
    let current = |it: &Interpreter, kind: Kind, name: &str, uid: &str| -> Option<Value> {
        it.engine.get(kind, &ns, name).ok().filter(|o| uid.is_empty() || st(o, "/metadata/uid") == uid)
    };
    let mut done = vec![false; items.len()];
    let mut guard = 0u32;
    loop {
        for (i, (kind, name, uid)) in items.iter().enumerate() {
            if done.get(i).copied().unwrap_or(true) {
                continue;
            }
            if holds(&cond, current(it, *kind, name, uid).as_ref()) {
                if let Some(d) = done.get_mut(i) {
                    *d = true;
                }
                out.line(&format!("{} condition met", resources::type_name(*kind, name)));
            }
        }
        if done.iter().all(|d| *d) {
            return;
        }
        match it.engine.next_wakeup() {
            Some(t) if t <= deadline && guard < 200_000 => {
                it.engine.step();
                guard += 1;
            }
            _ => {
                if it.engine.now() < deadline {
                    it.engine.advance_to(deadline);
                }
                for (i, (kind, name, _)) in items.iter().enumerate() {
                    if !done.get(i).copied().unwrap_or(true) {
                        out.fail(&format!("error: timed out waiting for the condition on {}/{name}", kind.qualified_plural()));
                    }
                }
                return;
            }
        }
    }
}

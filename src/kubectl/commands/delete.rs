//! `kubectl delete`: by name, `-l`, `--all` or `-f`; cascade, grace period, force and
//! `--wait` (default true: the command returns only once every deleted object is gone, which
//! is where virtual time moves).

use super::{dry_run, from_ns, name_of, ns_of, Dry, parse_flags, step_until, targets, DRY_RUN, FILENAME, OUTPUT, SELECTOR, TIMEOUT, ALL_NS};
use crate::engine::{DeleteOptions, Kind, Propagation, Time};
use crate::kubectl::flags::{flag, FlagType::*};
use crate::kubectl::field_selector;
use crate::kubectl::printers::{check_selector, selector_matches, st};
use crate::kubectl::resources;
use crate::kubectl::session::{Interpreter, Output};

/// `--timeout=0` means "a week" in kubectl; a simulated week is plenty.
const WEEK_MS: u64 = 7 * 24 * 3600 * 1000;


pub fn delete(it: &mut Interpreter, args: &[String], stdin: Option<String>, out: &mut Output) {
    let specs = [
        FILENAME,
        SELECTOR,
        OUTPUT,
        DRY_RUN,
        TIMEOUT,
        ALL_NS,
        flag("all", None, Bool),
        flag("field-selector", None, Str),
        flag("cascade", None, Str),
        flag("grace-period", None, Int),
        flag("force", None, Bool),
        flag("now", None, Bool),
        flag("wait", None, Bool),
        flag("ignore-not-found", None, Bool),
        flag("recursive", Some('R'), Bool),
    ];
    let Some(f) = parse_flags(args, &specs, "kubectl delete", out) else { return };
    let ns = ns_of(it, &f);
    let propagation = match f.string("cascade").unwrap_or("background") {
        "background" | "true" => Propagation::Background,
        "foreground" => Propagation::Foreground,
        "orphan" | "false" => Propagation::Orphan,
        other => return out.fail(&format!("error: invalid cascade value ({other}). Must be \"background\", \"foreground\", or \"orphan\"")),
    };
    let Some(dry) = dry_run(it, &f, out) else { return };
    let force = f.bool("force");
    let mut grace = f.int("grace-period").filter(|g| *g >= 0);
    if f.bool("now") {
        grace = Some(1);
    }
    if grace == Some(0) && !force {
        // kubectl turns --grace-period=0 without --force into 1.
        grace = Some(1);
    }
    if force && grace.is_none() {
        grace = Some(0);
    }
    let immediate = force && grace == Some(0);
    let selector = f.string("selector").map(str::to_string);
    if let Some(s) = &selector {
        if let Err(e) = check_selector(s) {
            return out.fail(&e);
        }
    }
    let field_selector = f.string("field-selector").map(str::trim).filter(|s| !s.is_empty()).map(str::to_string);
    let all = f.bool("all");
    let files = f.strings("filename");
    // The resource builder's checks, before any type is resolved.
    if all && (selector.is_some() || field_selector.is_some()) {
        return out.fail("error: setting 'all' parameter but found a non empty selector. ");
    }
    if files.is_empty() && (all || selector.is_some() || field_selector.is_some()) {
        if let Some(e) = super::names_beside_selector(&f.args) {
            return out.fail(e);
        }
    }
    // (kind, namespace, name, from_file_source)
    let mut victims: Vec<(Kind, String, String, Option<String>)> = Vec::new();
    let mut ignore_missing = f.bool("ignore-not-found");
    if !files.is_empty() {
        if !f.args.is_empty() {
            return out.fail("error: there is no need to specify a resource type as a separate argument when passing arguments in resource/name form (e.g. 'kubectl get resource/<resource_name>' instead of 'kubectl get resource resource/<resource_name>'");
        }
        let Some(sources) = super::apply::read_sources(it, &files, &stdin, out) else { return };
        let Some(objs) = super::apply::read_objects(&sources, &ns, f.namespace(), out) else { return };
        victims.extend(objs.into_iter().map(|o| (o.kind, o.namespace, o.name, Some(o.source))));
    } else {
        if f.args.is_empty() {
            return out.fail("error: You must provide one or more resources by argument or filename.\nExample resource specifications include:\n   '-f rsrc.yaml'\n   '--filename=rsrc.json'\n   '<resource> <name>'\n   '<resource>'");
        }
        let ts = match targets(&f.args) {
            Ok(t) => t,
            Err(e) => return out.fail(&e),
        };
        for t in ts {
            if t.name.is_empty() {
                if selector.is_none() && field_selector.is_none() && !all {
                    return out.fail("error: resource(s) were provided, but no name was specified");
                }
                ignore_missing = true;
                let fields = match field_selector::for_list(t.kind, selector.as_deref(), field_selector.as_deref()) {
                    Ok(fields) => fields,
                    Err(e) => return out.fail(&e),
                };
                let list_ns = if f.bool("all-namespaces") || !t.kind.namespaced() { None } else { Some(ns.as_str()) };
                for o in it.engine.list(t.kind, list_ns) {
                    let fields_ok = fields.as_ref().is_none_or(|fs| fs.matches(t.kind, &o));
                    if fields_ok && selector.as_deref().map(|s| selector_matches(s, o.pointer("/metadata/labels"))).unwrap_or(true) {
                        victims.push((t.kind, st(&o, "/metadata/namespace").to_string(), name_of(&o).to_string(), None));
                    }
                }
            } else {
                victims.push((t.kind, ns.clone(), t.name, None));
            }
        }
        if victims.is_empty() {
            out.line("No resources found");
            return;
        }
    }
    if immediate && dry == Dry::None {
        out.err("Warning: Immediate deletion does not wait for confirmation that the running resource has been terminated. The resource may continue to run on the cluster indefinitely.");
    }
    let mut uids = Vec::new();
    let opts = DeleteOptions { grace_period_seconds: grace.map(|g| g as u64), propagation };
    let name_output = f.string("output") == Some("name");
    // delete.go's PrintObj: no object to print, so `-o name` or a sentence, dry runs alike.
    let deleted = |out: &mut Output, kind: Kind, name: &str, vns: &str| {
        if name_output {
            out.line(&resources::type_name(kind, name));
        } else {
            let verb = if immediate { "force deleted" } else { "deleted" };
            out.line(&format!("{} \"{name}\" {verb}{}{}", resources::kind_group(kind), from_ns(kind, vns), dry.suffix()));
        }
    };
    for (kind, vns, name, source) in victims {
        let line_ns = if kind.namespaced() { vns.clone() } else { String::new() };
        if dry != Dry::None {
            match it.engine.get(kind, &line_ns, &name) {
                Ok(_) => deleted(out, kind, &name, &vns),
                Err(e) => out.fail(&e.to_string()),
            }
            continue;
        }
        let uid = it.engine.get(kind, &line_ns, &name).ok().map(|v| st(&v, "/metadata/uid").to_string());
        match it.engine.delete(kind, &line_ns, &name, opts) {
            Ok(v) => {
                let uid = uid.unwrap_or_else(|| st(&v, "/metadata/uid").to_string());
                if !uid.is_empty() {
                    uids.push(uid);
                }
                deleted(out, kind, &name, &vns);
            }
            Err(e) if e.reason == "NotFound" && ignore_missing => {}
            Err(e) => match source {
                Some(src) => out.fail(&format!("Error from server ({}): error when deleting \"{src}\": {}", e.reason, e.message)),
                None => out.fail(&e.to_string()),
            },
        }
    }
    if dry != Dry::None || !f.bool_or("wait", true) || uids.is_empty() {
        return;
    }
    let timeout = f.duration_ms("timeout").filter(|t| *t > 0).unwrap_or(WEEK_MS);
    let limit = Time(it.engine.now().0.saturating_add(timeout));
    if !step_until(&mut it.engine, limit, |e| uids.iter().all(|u| !e.exists_uid(u))) {
        out.fail("error: timed out waiting for the condition");
    }
}

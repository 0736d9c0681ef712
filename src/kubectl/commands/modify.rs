//! Commands that change an existing object in place: `scale`, `patch`, `set image`, `label`,
//! `annotate`. Each
//! builds the new object, runs it through admission (so validation errors read exactly like
//! the API server's), then hands it to the engine as an update, unless `--dry-run` says only to
//! show it; `-o` prints the result as an object instead of `TYPE/NAME verb`.

use serde_json::Value;

use super::{api_error, dry_run, ns_of, parse_flags, targets, Dry, Target, DRY_RUN, FILENAME, OUTPUT, SELECTOR, TEMPLATE, TIMEOUT};
use crate::engine::Kind;
use crate::kubectl::flags::{flag, FlagType::*, Flags};
use crate::kubectl::output::{self, Format};
use crate::kubectl::patch;
use crate::kubectl::printers::{selector_matches, st};
use crate::kubectl::session::{Interpreter, Output};
use crate::manifest;

/// Admits `new` as an update of `live` and stores it; Ok(changed).
pub(crate) fn store_update(it: &mut Interpreter, live: &Value, new: Value, out: &mut Output) -> Option<bool> {
    let admitted = match manifest::admit(&new, Some(live)) {
        Ok(a) => a,
        Err(r) => {
            out.fail(&r.message);
            return None;
        }
    };
    super::print_warnings(out, &admitted.warnings);
    match it.engine.update(admitted.object) {
        Ok(changed) => Some(changed),
        Err(e) => {
            api_error(out, &e);
            None
        }
    }
}

/// `--dry-run` and `-o` of a command that writes objects.
struct Printing {
    dry: Dry,
    format: Option<Format>,
}

/// None after printing the refusal of a bad value.
fn print_flags(it: &Interpreter, f: &Flags, out: &mut Output) -> Option<Printing> {
    let dry = dry_run(it, f, out)?;
    match output::for_write(f.string("output"), f.string("template")) {
        Ok(format) => Some(Printing { dry, format }),
        Err(e) => {
            out.fail(&e);
            None
        }
    }
}

/// Stores `new` over `live` (not on a dry run; a server dry run is only admitted) and prints
/// the result as kubectl's PrintFlags do: `TYPE/NAME verb (dry run)`, or the object with `-o`.
/// `verbs` are for a write that changed the object and for one the server found unchanged.
fn write_and_print(it: &mut Interpreter, kind: Kind, live: &Value, new: Value, verbs: (&str, &str), p: &Printing, out: &mut Output) {
    let (verb, shown) = match p.dry {
        Dry::Client => (verbs.0, new),
        Dry::Server => match manifest::admit(&new, Some(live)) {
            Ok(admitted) => (verbs.0, admitted.object),
            Err(r) => return out.fail(&r.message),
        },
        Dry::None => {
            // An object the command left as it was is not sent; kubectl prints its verb anyway.
            let verb = if new == *live {
                verbs.0
            } else {
                match store_update(it, live, new.clone(), out) {
                    Some(true) => verbs.0,
                    Some(false) => verbs.1,
                    None => return,
                }
            };
            (verb, it.engine.get(kind, st(live, "/metadata/namespace"), st(live, "/metadata/name")).unwrap_or(new))
        }
    };
    out.out(&output::written(kind, &shown, p.format.as_ref(), &format!("{verb}{}", p.dry.suffix())));
}

/// Resolves targets given as `TYPE NAME`, `TYPE/NAME` or with `-l`.
fn resolve_objects(it: &Interpreter, f: &crate::kubectl::flags::Flags, ns: &str, out: &mut Output) -> Option<Vec<(Kind, Value)>> {
    let ts = match targets(&f.args) {
        Ok(t) => t,
        Err(e) => {
            out.fail(&e);
            return None;
        }
    };
    let mut objs = Vec::new();
    for Target { kind, name } in ts {
        if name.is_empty() {
            let Some(sel) = f.string("selector") else {
                if f.bool("all") {
                    objs.extend(it.engine.list(kind, Some(ns)).into_iter().map(|o| (kind, o)));
                    continue;
                }
                out.fail("error: resource(s) were provided, but no name was specified");
                return None;
            };
            objs.extend(it.engine.list(kind, Some(ns)).into_iter().filter(|o| selector_matches(sel, o.pointer("/metadata/labels"))).map(|o| (kind, o)));
        } else {
            match it.engine.get(kind, ns, &name) {
                Ok(o) => objs.push((kind, o)),
                Err(e) => {
                    out.fail(&e.to_string());
                    return None;
                }
            }
        }
    }
    Some(objs)
}

pub fn scale(it: &mut Interpreter, args: &[String], out: &mut Output) {
    let specs = [flag("replicas", None, Int), flag("current-replicas", None, Int), flag("resource-version", None, Str), flag("all", None, Bool), SELECTOR, FILENAME, OUTPUT, TEMPLATE, DRY_RUN, TIMEOUT];
    let Some(f) = parse_flags(args, &specs, "kubectl scale", out) else { return };
    let Some(printing) = print_flags(it, &f, out) else { return };
    let Some(replicas) = f.int("replicas") else {
        return out.fail("error: required flag(s) \"replicas\" not set");
    };
    if f.args.is_empty() {
        return out.fail("error: You must provide one or more resources by argument or filename.\nExample resource specifications include:\n   '-f rsrc.yaml'\n   '--filename=rsrc.json'\n   '<resource> <name>'\n   '<resource>'");
    }
    if replicas < 0 {
        return out.fail("error: The --replicas=COUNT flag is required, and COUNT must be greater than or equal to 0");
    }
    let ns = ns_of(it, &f);
    let Some(objs) = resolve_objects(it, &f, &ns, out) else { return };
    if objs.is_empty() {
        return out.fail("error: no objects passed to scale");
    }
    for (kind, live) in objs {
        if !matches!(kind, Kind::StatefulSet | Kind::Deployment | Kind::ReplicaSet) {
            out.fail(&format!("error: no scaler has been implemented for {{\"{}\" \"{}\"}}", kind.group(), kind.name()));
            continue;
        }
        if let Some(cur) = f.int("current-replicas") {
            if live.pointer("/spec/replicas").and_then(Value::as_i64) != Some(cur) {
                out.fail(&format!("error: Expected replicas to be {cur}, was {}", live.pointer("/spec/replicas").and_then(Value::as_i64).unwrap_or(0)));
                continue;
            }
        }
        let mut new = live.clone();
        if let Some(spec) = new.get_mut("spec").and_then(Value::as_object_mut) {
            spec.insert("replicas".into(), Value::from(replicas));
        }
        write_and_print(it, kind, &live, new, ("scaled", "scaled"), &printing, out);
    }
}

/// The deepest `{`/`[` nesting a patch may have.
const MAX_PATCH_DEPTH: usize = 100;

/// The deepest nesting of `{`/`[` outside quoted strings (a cheap over-estimate is fine).
fn flow_depth(text: &str) -> usize {
    let (mut depth, mut max) = (0usize, 0usize);
    let mut quote: Option<char> = None;
    let mut escaped = false;
    for c in text.chars() {
        match quote {
            Some(q) => {
                if escaped {
                    escaped = false;
                } else if c == '\\' && q == '"' {
                    escaped = true;
                } else if c == q {
                    quote = None;
                }
            }
            None => match c {
                '"' | '\'' => quote = Some(c),
                '{' | '[' => {
                    depth += 1;
                    max = max.max(depth);
                }
                '}' | ']' => depth = depth.saturating_sub(1),
                _ => {}
            },
        }
    }
    max
}

pub fn patch(it: &mut Interpreter, args: &[String], out: &mut Output) {
    let specs = [flag("patch", Some('p'), Str), flag("type", None, Str), flag("patch-file", None, Str), flag("local", None, Bool), flag("subresource", None, Str), FILENAME, OUTPUT, TEMPLATE, DRY_RUN];
    let Some(f) = parse_flags(args, &specs, "kubectl patch", out) else { return };
    let Some(printing) = print_flags(it, &f, out) else { return };
    let text = match (f.string("patch"), f.string("patch-file")) {
        (Some(p), _) => p.to_string(),
        (None, Some(file)) => match it.read_file(file) {
            Ok(t) => t,
            Err(e) => return out.fail(&format!("error: unable to read patch file: {e}")),
        },
        (None, None) => return out.fail("error: must specify --patch or --patch-file containing the contents of the patch"),
    };
    let ty = f.string("type").unwrap_or("strategic");
    if !matches!(ty, "strategic" | "merge" | "json") {
        return out.fail(&format!("error: --type must be one of [json merge strategic], not \"{ty}\""));
    }
    // libyaml's scanner is quadratic in flow nesting: a 100,000-deep `{"a":{"a":...` patch
    // would take minutes. No real patch comes near this depth.
    if flow_depth(&text) > MAX_PATCH_DEPTH {
        return out.fail(&format!("error: unable to parse the patch: it is nested more than {MAX_PATCH_DEPTH} levels deep"));
    }
    let patch_value = match crate::manifest::read_value(&text) {
        Ok(v) => v,
        Err(problem) => return out.fail(&format!("error: unable to parse {}: yaml: {problem}", crate::kubectl::flags::go_quote(&text))),
    };
    let ns = ns_of(it, &f);
    if f.args.is_empty() {
        return out.fail("error: You must provide one or more resources by argument or filename.\nExample resource specifications include:\n   '-f rsrc.yaml'\n   '--filename=rsrc.json'\n   '<resource> <name>'\n   '<resource>'");
    }
    let Some(objs) = resolve_objects(it, &f, &ns, out) else { return };
    for (kind, live) in objs {
        let patched = match ty {
            "merge" => Ok(patch::merge_patch(&live, &patch_value)),
            "json" => patch::json_patch(&live, &patch_value),
            _ => patch::strategic_merge(&live, &patch_value),
        };
        let new = match patched {
            Ok(v) => v,
            Err(e) if ty == "json" => {
                out.fail("The request is invalid: the server rejected our request due to an error in our request");
                let _ = e;
                continue;
            }
            Err(e) => {
                out.fail(&format!("Error from server (BadRequest): {e}"));
                continue;
            }
        };
        if new == live {
            out.out(&output::written(kind, &live, printing.format.as_ref(), "patched (no change)"));
            continue;
        }
        write_and_print(it, kind, &live, new, ("patched", "patched (no change)"), &printing, out);
    }
}

pub fn set(it: &mut Interpreter, args: &[String], out: &mut Output) {
    let Some(sub) = args.iter().position(|a| !a.starts_with('-')) else {
        out.out("Configure application resources.\n\n These commands help you make changes to existing application resources.\n\nAvailable Commands:\n  image           Update the image of a pod template\n\nUsage:\n  kubectl set SUBCOMMAND [options]\n");
        return;
    };
    let name = args.get(sub).cloned().unwrap_or_default();
    let mut rest: Vec<String> = args.get(..sub).unwrap_or(&[]).to_vec();
    rest.extend(args.get(sub + 1..).unwrap_or(&[]).iter().cloned());
    if name != "image" {
        return out.fail(&format!("error: unknown command \"{name}\"\nSee 'kubectl set -h' for help and examples"));
    }
    let specs = [flag("all", None, Bool), SELECTOR, FILENAME, OUTPUT, TEMPLATE, DRY_RUN, flag("local", None, Bool)];
    let Some(f) = parse_flags(&rest, &specs, "kubectl set image", out) else { return };
    let Some(printing) = print_flags(it, &f, out) else { return };
    let (pairs, res): (Vec<String>, Vec<String>) = f.args.iter().cloned().partition(|a| a.contains('='));
    if pairs.is_empty() {
        return out.fail("error: at least one image update is required\nSee 'kubectl set image -h' for help and examples");
    }
    if res.is_empty() {
        return out.fail("error: You must provide one or more resources by argument or filename.\nExample resource specifications include:\n   '-f rsrc.yaml'\n   '--filename=rsrc.json'\n   '<resource> <name>'\n   '<resource>'");
    }
    let ns = ns_of(it, &f);
    let mut f2 = f.clone();
    f2.args = res;
    let Some(objs) = resolve_objects(it, &f2, &ns, out) else { return };
    for (kind, live) in objs {
        let pointer = if kind == Kind::Pod { "/spec/containers" } else { "/spec/template/spec/containers" };
        let mut new = live.clone();
        let mut failed = false;
        for pair in &pairs {
            let (cname, image) = pair.split_once('=').unwrap_or((pair.as_str(), ""));
            let Some(cs) = new.pointer_mut(pointer).and_then(Value::as_array_mut) else { continue };
            let mut found = false;
            for c in cs.iter_mut() {
                if cname == "*" || c.get("name").and_then(Value::as_str) == Some(cname) {
                    if let Some(m) = c.as_object_mut() {
                        m.insert("image".into(), Value::String(image.to_string()));
                    }
                    found = true;
                }
            }
            if !found {
                out.fail(&format!("error: unable to find container named \"{cname}\""));
                failed = true;
            }
        }
        if failed {
            continue;
        }
        write_and_print(it, kind, &live, new, ("image updated", "image updated"), &printing, out);
    }
}

/// `kubectl label` and `kubectl annotate`: `KEY=VALUE` sets, `KEY-` removes, on `TYPE NAME`,
/// `TYPE/NAME`, `-l` or `--all`; a key that has another value changes only with `--overwrite`.
/// The API server validates the result, as for any update.
pub fn label(it: &mut Interpreter, args: &[String], out: &mut Output, annotate: bool) {
    let (command, field, done) = if annotate { ("annotate", "annotations", "annotated") } else { ("label", "labels", "labeled") };
    let specs = [flag("overwrite", None, Bool), flag("all", None, Bool), SELECTOR, OUTPUT, TEMPLATE, DRY_RUN];
    let Some(f) = parse_flags(args, &specs, &format!("kubectl {command}"), out) else { return };
    let Some(printing) = print_flags(it, &f, out) else { return };
    // kubectl's GetResourcesAndPairs: resources first, then changes.
    let mut resources_args = Vec::new();
    let mut pairs = Vec::new();
    for a in &f.args {
        let change = (a.contains('=') && !a.starts_with('=')) || (a.ends_with('-') && a != "-");
        if change {
            pairs.push(a.clone());
        } else if !pairs.is_empty() {
            return out.fail(&format!("error: all resources must be specified before {command} changes: {a}"));
        } else {
            resources_args.push(a.clone());
        }
    }
    if resources_args.is_empty() {
        return out.fail(&format!("error: one or more resources must be specified as <resource> <name> or <resource>/<name>\nSee 'kubectl {command} -h' for help and examples"));
    }
    if pairs.is_empty() {
        return out.fail(&format!("error: at least one {} update is required\nSee 'kubectl {command} -h' for help and examples", if annotate { "annotation" } else { "label" }));
    }
    // kubectl checks the changes before it reads anything: a label has one `=` and a valid
    // value (an annotation's value may hold anything), and no key is both set and removed.
    for pair in &pairs {
        match pair.split_once('=') {
            Some(_) if annotate => {}
            Some((_, value)) if value.contains('=') => return out.fail(&format!("error: invalid label spec: {pair}")),
            Some((_, value)) => {
                let problems = manifest::field::label_value(value);
                if !problems.is_empty() {
                    return out.fail(&format!("error: invalid label value: {pair:?}: {}", problems.join(";")));
                }
            }
            _ => {}
        }
    }
    let set: Vec<&str> = pairs.iter().filter_map(|p| p.split_once('=').map(|(k, _)| k)).collect();
    if pairs.iter().any(|p| !p.contains('=') && set.contains(&p.strip_suffix('-').unwrap_or(p))) {
        return out.fail(&format!("error: can not both modify and remove {} in the same command", if annotate { "an annotation" } else { "a label" }));
    }
    let ns = ns_of(it, &f);
    let mut f2 = f.clone();
    f2.args = resources_args;
    let Some(objs) = resolve_objects(it, &f2, &ns, out) else { return };
    let overwrite = f.bool("overwrite");
    for (kind, live) in objs {
        let mut new = live.clone();
        let Some(meta) = new.get_mut("metadata").and_then(Value::as_object_mut) else { continue };
        let map = meta.entry(field).or_insert_with(|| Value::Object(Default::default()));
        let Some(map) = map.as_object_mut() else { continue };
        let mut conflicts = Vec::new();
        for pair in &pairs {
            match pair.split_once('=') {
                Some((key, value)) => match map.get(key).and_then(Value::as_str) {
                    Some(current) if current != value && !overwrite => {
                        conflicts.push(format!("'{key}' already has a value ({current}), and --overwrite is false"));
                    }
                    _ => {
                        map.insert(key.to_string(), Value::String(value.to_string()));
                    }
                },
                None => {
                    let key = pair.strip_suffix('-').unwrap_or(pair);
                    if map.remove(key).is_none() && !annotate {
                        out.err(&format!("label \"{key}\" not found."));
                    }
                }
            }
        }
        if !conflicts.is_empty() {
            out.fail(&format!("error: {}", conflicts.join(", ")));
            continue;
        }
        if map.is_empty() {
            meta.remove(field);
        }
        // kubectl compares the object's JSON before and after: shorter means unlabeled.
        let message = if annotate {
            done
        } else if new == live {
            "not labeled"
        } else if !overwrite && new.to_string().len() < live.to_string().len() {
            "unlabeled"
        } else {
            done
        };
        write_and_print(it, kind, &live, new, (message, message), &printing, out);
    }
}

//! `kubectl get` (tables, `-o ...`, `-w`) and `kubectl describe`.

use serde_json::Value;

use super::{name_of, names_beside_selector, ns_of, parse_flags, targets, Target, ALL_NS, FILENAME, OUTPUT, SELECTOR};
use crate::engine::Kind;
use crate::kubectl::clock;
use crate::kubectl::flags::{flag, FlagType::*};
use crate::kubectl::output::{self, Format, TableOpts};
use crate::kubectl::field_selector;
use crate::kubectl::printers::{check_selector, describe, selector_matches, st, table::TabWriter};
use crate::kubectl::resources;
use crate::kubectl::session::{Interpreter, Output};
use crate::kubectl::watch::Watch;

/// `kubectl get all`: the kinds it expands to, in kubectl's order.
const ALL: [Kind; 5] = [Kind::Pod, Kind::Service, Kind::Deployment, Kind::ReplicaSet, Kind::StatefulSet];

fn no_resources(kind_namespaced: bool, all_ns: bool, ns: &str) -> String {
    if kind_namespaced && !all_ns {
        format!("No resources found in {ns} namespace.")
    } else {
        "No resources found".into()
    }
}

pub fn get(it: &mut Interpreter, args: &[String], out: &mut Output) {
    let specs = [
        OUTPUT,
        SELECTOR,
        ALL_NS,
        FILENAME,
        flag("watch", Some('w'), Bool),
        flag("watch-only", None, Bool),
        flag("show-labels", None, Bool),
        flag("template", None, Str),
        flag("no-headers", None, Bool),
        flag("show-kind", None, Bool),
        flag("ignore-not-found", None, Bool),
        flag("output-watch-events", None, Bool),
        flag("chunk-size", None, Int),
        flag("field-selector", None, Str),
        flag("label-columns", Some('L'), StringArray),
        flag("allow-missing-template-keys", None, Bool),
        flag("sort-by", None, Str),
    ];
    let Some(f) = parse_flags(args, &specs, "kubectl get", out) else { return };
    let format = match Format::parse(f.string("output"), f.string("template")) {
        Ok(fm) => fm,
        Err(e) => return out.fail(&e),
    };
    let selector = f.string("selector").map(str::to_string);
    if let Some(s) = &selector {
        if let Err(e) = check_selector(s) {
            return out.fail(&e);
        }
    }
    // kubectl sends the field selector as typed (trimmed); the API server parses and checks it.
    let field_selector = f.string("field-selector").map(str::trim).filter(|s| !s.is_empty()).map(str::to_string);
    let ns = ns_of(it, &f);
    let all_ns = f.bool("all-namespaces");
    if f.args.is_empty() && f.strings("filename").is_empty() {
        out.fail("You must specify the type of resource to get. Use \"kubectl api-resources\" for a complete list of supported resources.\n\nerror: Required resource not specified.\nUse \"kubectl explain <resource>\" for a detailed description of that resource (e.g. kubectl explain pods).\nSee 'kubectl get -h' for help and examples");
        return;
    }
    if (selector.is_some() || field_selector.is_some()) && f.strings("filename").is_empty() {
        if let Some(e) = names_beside_selector(&f.args) {
            return out.fail(e);
        }
    }
    // Work out (kind, names) groups in the order asked.
    let mut groups: Vec<(Kind, Vec<String>)> = Vec::new();
    let mut show_kind = f.bool("show-kind");
    if let Some(first) = f.args.first().filter(|a| !a.contains('/') && a.contains(',') || a.as_str() == "all") {
        let mut kinds = Vec::new();
        for word in first.split(',') {
            if word == "all" {
                kinds.extend(ALL);
            } else {
                match resources::resolve(word) {
                    Some(k) => kinds.push(k),
                    None => return out.fail(&resources::unknown_type(word)),
                }
            }
        }
        show_kind = show_kind || kinds.len() > 1;
        let names: Vec<String> = f.args.iter().skip(1).cloned().collect();
        for k in kinds {
            if !groups.iter().any(|g| g.0 == k) {
                groups.push((k, names.clone()));
            }
        }
    } else if !f.args.is_empty() {
        let ts = match targets(&f.args) {
            Ok(t) => t,
            Err(e) => return out.fail(&e),
        };
        for Target { kind, name } in ts {
            match groups.iter_mut().find(|g| g.0 == kind) {
                Some(g) if !name.is_empty() => g.1.push(name),
                Some(_) => {}
                None => groups.push((kind, if name.is_empty() { vec![] } else { vec![name] })),
            }
        }
        show_kind = show_kind || groups.len() > 1;
    } else {
        // `-f FILE`: the objects named in the manifest.
        let Some(sources) = super::apply::read_sources(it, &f.strings("filename"), &None, out) else { return };
        let Some(objs) = super::apply::read_objects(&sources, &ns, f.namespace(), out) else { return };
        for o in objs {
            // A label selector filters the objects the files name (as they are on the server;
            // missing ones still answer NotFound); a field selector is not applied to files.
            let unselected = |s: &str| match it.engine.get(o.kind, &o.namespace, &o.name) {
                Ok(live) => !selector_matches(s, live.pointer("/metadata/labels")),
                Err(_) => false,
            };
            if selector.as_deref().is_some_and(unselected) {
                continue;
            }
            match groups.iter_mut().find(|g| g.0 == o.kind) {
                Some(g) => g.1.push(o.name),
                None => groups.push((o.kind, vec![o.name])),
            }
        }
        show_kind = show_kind || groups.len() > 1;
    }
    // Since 1.33 the API server answers every v1 Endpoints request with this warning header,
    // which kubectl prints (once per command) before the output.
    if groups.iter().any(|g| g.0 == Kind::Endpoints) {
        out.err("Warning: v1 Endpoints is deprecated in v1.33+; use discovery.k8s.io/v1 EndpointSlice");
    }
    // `-L a,b -L c`: every key, in order.
    let label_columns: Vec<String> = f.strings("label-columns").iter().flat_map(|v| v.split(',')).map(str::trim).filter(|k| !k.is_empty()).map(str::to_string).collect();
    let opts = TableOpts { wide: false, show_labels: f.bool("show-labels"), label_columns: label_columns.into(), all_namespaces: all_ns, show_kind, no_headers: f.bool("no-headers") };
    let watching = f.bool("watch") || f.bool("watch-only");
    if watching {
        let [(kind, names)] = groups.as_slice() else {
            return out.fail("error: you may only specify a single resource type");
        };
        let ns_filter = if all_ns || !kind.namespaced() { None } else { Some(ns.clone()) };
        let opts = TableOpts { wide: matches!(format, Format::Wide), ..opts.clone() };
        let fields = match field_selector::for_list(*kind, selector.as_deref(), field_selector.as_deref()) {
            Ok(fields) => fields,
            Err(e) => return out.fail(&e),
        };
        let (mut w, initial) =
            Watch::start(&mut it.engine, *kind, ns_filter, selector.clone(), fields, names.clone(), format, opts, f.bool("watch-only"), f.bool("output-watch-events"));
        out.out(&initial);
        if initial.is_empty() && !f.bool("watch-only") {
            out.err(&no_resources(kind.namespaced(), all_ns, &ns));
        }
        if it.streaming {
            it.watch = Some(w);
            out.watching = true;
        } else {
            let lines = w.run_until_quiet(&mut it.engine);
            out.out(&lines);
            w.close(&mut it.engine);
        }
        return;
    }
    let mut tab = TabWriter::table();
    let mut errors = Vec::new();
    let mut printed_any = false;
    let mut text_out = String::new();
    let single = groups.len() == 1 && groups.first().map(|g| g.1.len() == 1).unwrap_or(false);
    // yaml/json/jsonpath of several groups make one List.
    let mut all_items: Vec<Value> = Vec::new();
    for (kind, names) in &groups {
        let objs: Vec<Value> = if names.is_empty() {
            let list_ns = if all_ns || !kind.namespaced() { None } else { Some(ns.as_str()) };
            // The API server checks a field selector against each kind it lists.
            let fields = match field_selector::for_list(*kind, selector.as_deref(), field_selector.as_deref()) {
                Ok(fields) => fields,
                Err(e) => {
                    errors.push(e);
                    continue;
                }
            };
            it.engine
                .list(*kind, list_ns)
                .into_iter()
                .filter(|o| selector.as_deref().map(|s| selector_matches(s, o.pointer("/metadata/labels"))).unwrap_or(true))
                .filter(|o| fields.as_ref().is_none_or(|f| f.matches(*kind, o)))
                .collect()
        } else {
            let mut v = Vec::new();
            for n in names {
                match it.engine.get(*kind, &ns, n) {
                    Ok(o) => v.push(o),
                    Err(e) if f.bool("ignore-not-found") && e.reason == "NotFound" => {}
                    Err(e) => errors.push(e.to_string()),
                }
            }
            v
        };
        if objs.is_empty() {
            continue;
        }
        let mut objs = objs;
        if let Some(field) = f.string("sort-by").filter(|s| !s.is_empty()) {
            if let Err(e) = output::sort_objects(&mut objs, field) {
                return out.fail(&e);
            }
        }
        if format.is_table() || matches!(format, Format::Name) {
            if format.is_table() && printed_any && !opts.no_headers {
                text_out.push('\n');
            }
            let now = it.engine.now().0;
            // kubectl's tables for different kinds are flushed separately.
            if format.is_table() {
                tab = TabWriter::table();
            }
            text_out.push_str(&output::render(*kind, &objs, &format, &opts, single, &mut tab, now));
            printed_any = true;
        } else {
            all_items.extend(objs);
        }
    }
    if !format.is_table() && !matches!(format, Format::Name) && !all_items.is_empty() {
        let kind = groups.first().map(|g| g.0).unwrap_or(Kind::Pod);
        text_out.push_str(&output::render(kind, &all_items, &format, &opts, single && all_items.len() == 1, &mut tab, it.engine.now().0));
        printed_any = true;
    }
    out.out(&text_out);
    for e in &errors {
        out.err(e);
    }
    if !errors.is_empty() {
        out.exit_code = 1;
    } else if !printed_any && !f.bool("ignore-not-found") {
        // With nothing left to print (a `-f` file whose objects the selector all filtered out)
        // kubectl has no kind to ask and words it as for a namespaced one.
        let namespaced = groups.is_empty() || groups.iter().any(|g| g.0.namespaced());
        if matches!(format, Format::Json | Format::Yaml) {
            let text = output::render(Kind::Pod, &[], &format, &opts, false, &mut tab, 0);
            out.out(&text);
        } else {
            out.err(&no_resources(namespaced, all_ns, &ns));
        }
    }
}

/// Events about one object, as `describe` shows them (by `involvedObject.uid`).
fn events_for(it: &Interpreter, obj: &Value) -> Vec<Value> {
    it.engine.events_for(st(obj, "/metadata/uid"))
}

pub fn describe(it: &mut Interpreter, args: &[String], out: &mut Output) {
    let specs = [SELECTOR, ALL_NS, FILENAME, flag("show-events", None, Bool), flag("chunk-size", None, Int)];
    let Some(f) = parse_flags(args, &specs, "kubectl describe", out) else { return };
    let ns = ns_of(it, &f);
    if f.args.is_empty() {
        return out.fail("You must specify the type of resource to describe. Use \"kubectl api-resources\" for a complete list of supported resources.\n\nerror: Required resource not specified.\nSee 'kubectl describe -h' for help and examples");
    }
    let selector = f.string("selector");
    if selector.is_some() {
        if let Some(e) = names_beside_selector(&f.args) {
            return out.fail(e);
        }
    }
    let ts = match targets(&f.args) {
        Ok(t) => t,
        Err(e) => return out.fail(&e),
    };
    let mut objs: Vec<(Kind, Value)> = Vec::new();
    for t in &ts {
        if t.name.is_empty() {
            let list_ns = if f.bool("all-namespaces") || !t.kind.namespaced() { None } else { Some(ns.as_str()) };
            for o in it.engine.list(t.kind, list_ns) {
                if selector.map(|s| selector_matches(s, o.pointer("/metadata/labels"))).unwrap_or(true) {
                    objs.push((t.kind, o));
                }
            }
        } else {
            match it.engine.get(t.kind, &ns, &t.name) {
                Ok(o) => objs.push((t.kind, o)),
                Err(e) => {
                    // kubectl describe tries a prefix match before giving up.
                    let prefixed: Vec<Value> =
                        it.engine.list(t.kind, Some(&ns)).into_iter().filter(|o| name_of(o).starts_with(&t.name)).collect();
                    if prefixed.is_empty() {
                        out.fail(&e.to_string());
                    } else {
                        objs.extend(prefixed.into_iter().map(|o| (t.kind, o)));
                    }
                }
            }
        }
    }
    if objs.is_empty() && out.exit_code == 0 {
        let namespaced = ts.first().map(|t| t.kind.namespaced()).unwrap_or(true);
        out.err(&no_resources(namespaced, f.bool("all-namespaces"), &ns));
        return;
    }
    let now = clock::unix_ms(it.engine.now().0);
    let mut first = true;
    let mut text = String::new();
    for (kind, obj) in objs {
        let mut rel = describe::Related { events: if f.bool_or("show-events", true) { events_for(it, &obj) } else { vec![] }, ..Default::default() };
        let obj_ns = st(&obj, "/metadata/namespace").to_string();
        let body = match kind {
            Kind::Pod => describe::pod(&obj, &rel, now),
            Kind::StatefulSet => {
                rel.pods = super::controlled_by(it.engine.list(Kind::Pod, Some(&obj_ns)), &obj);
                describe::statefulset(&obj, &rel, now)
            }
            Kind::Deployment => {
                rel.replicasets = super::controlled_by(it.engine.list(Kind::ReplicaSet, Some(&obj_ns)), &obj);
                describe::deployment(&obj, &rel, now)
            }
            Kind::PersistentVolumeClaim => {
                let claim = name_of(&obj).to_string();
                rel.pods = it
                    .engine
                    .list(Kind::Pod, Some(&obj_ns))
                    .into_iter()
                    .filter(|p| crate::kubectl::printers::arr(p, "/spec/volumes").iter().any(|v| st(v, "/persistentVolumeClaim/claimName") == claim))
                    .collect();
                describe::pvc(&obj, &rel, now)
            }
            Kind::PersistentVolume => describe::pv(&obj, &rel, now),
            Kind::ServiceAccount => describe::service_account(&obj, &rel, now),
            Kind::Service => {
                rel.endpoints = it.engine.get(Kind::Endpoints, &obj_ns, name_of(&obj)).ok();
                describe::service(&obj, &rel, now)
            }
            other => {
                out.fail(&format!("error: describe for {} is not simulated (supported: pods, statefulsets, deployments, persistentvolumeclaims, persistentvolumes, services, serviceaccounts)", other.plural()));
                return;
            }
        };
        if !first {
            text.push_str("\n\n");
        }
        first = false;
        text.push_str(&body);
    }
    out.out(&text);
}


//! `kubectl apply -f` and `kubectl create -f`: read manifests (files, `-` for a heredoc,
//! the tutorial's k8s.io URLs), admit each object as the API server would, and hand it to the
//! engine. `apply` records `kubectl.kubernetes.io/last-applied-configuration` and merges
//! three-way, so `configured`/`unchanged` and fields changed by others come out as in kubectl.

use serde_json::Value;

use super::{ns_of, parse_flags, DRY_RUN, FILENAME, OUTPUT, RECURSIVE, SELECTOR};
use crate::engine::Kind;
use crate::kubectl::flags::{flag, FlagType::*};
use crate::kubectl::patch::three_way;
use crate::kubectl::printers::json::compact;
use crate::kubectl::resources;
use crate::kubectl::session::{Interpreter, Output};
use crate::manifest;

pub const LAST_APPLIED: &str = "kubectl.kubernetes.io/last-applied-configuration";

/// Reads `-f` sources: `-` (stdin), a URL from the tutorial, or a file.
pub(crate) fn read_sources(it: &Interpreter, files: &[String], stdin: &Option<String>, out: &mut Output) -> Option<Vec<(String, String)>> {
    let mut docs = Vec::new();
    for f in files {
        if f == "-" {
            match stdin {
                Some(s) => docs.push(("STDIN".to_string(), s.clone())),
                None => docs.push(("STDIN".to_string(), String::new())),
            }
            continue;
        }
        if f.starts_with("http://") || f.starts_with("https://") {
            let base = f.rsplit('/').next().unwrap_or("");
            match manifest::examples::file(base).filter(|_| f.contains("k8s.io/examples/") || f.contains("kubernetes/website")) {
                Some(text) => docs.push((f.clone(), text.to_string())),
                None => {
                    out.fail(&format!("error: unable to read URL \"{f}\", server reported 404 Not Found, status code=404"));
                    return None;
                }
            }
            continue;
        }
        match it.files.read(f) {
            Ok(text) => docs.push((f.clone(), text)),
            Err(_) => match manifest::examples::file(f.trim_start_matches("./")) {
                Some(text) => docs.push((f.clone(), text.to_string())),
                None => {
                    out.fail(&format!("error: the path \"{f}\" does not exist"));
                    return None;
                }
            },
        }
    }
    Some(docs)
}

/// One object read from a source, ready to send.
pub(crate) struct Obj {
    pub source: String,
    pub kind: Kind,
    pub namespace: String,
    pub name: String,
    pub value: Value,
}

/// Parses sources into objects; prints kubectl's parse errors and returns None on failure.
pub(crate) fn read_objects(sources: &[(String, String)], cmd_ns: &str, ns_flag: Option<&str>, out: &mut Output) -> Option<Vec<Obj>> {
    let mut objs = Vec::new();
    for (source, text) in sources {
        let parsed = manifest::parse(text);
        if let Some(d) = parsed.diagnostics.iter().find(|d| d.severity == manifest::Severity::Error) {
            let msg = d.message.strip_prefix("error: ").unwrap_or(&d.message);
            if msg.starts_with("error") || msg.starts_with("yaml:") || msg.contains("converting YAML") {
                let m = if msg.starts_with("yaml:") { format!("error converting YAML to JSON: {msg}") } else { msg.to_string() };
                out.fail(&format!("error: error parsing {source}: {m}"));
            } else {
                out.fail(&format!("error: error validating \"{source}\": error validating data: {msg}; if you choose to ignore these errors, turn validation off with --validate=false"));
            }
            return None;
        }
        for d in parsed.documents {
            if d.kind.is_empty() {
                out.fail(&format!("error: error validating \"{source}\": error validating data: kind not set; if you choose to ignore these errors, turn validation off with --validate=false"));
                return None;
            }
            let Some(kind) = Kind::from_name(&d.kind) else {
                out.fail(&format!(
                    "error: resource mapping not found for name: \"{}\" namespace: \"{}\" from \"{source}\": no matches for kind \"{}\" in version \"{}\"\nensure CRDs are installed first",
                    d.name,
                    d.namespace.clone().unwrap_or_default(),
                    d.kind,
                    d.api_version
                ));
                return None;
            };
            let namespace = match (&d.namespace, ns_flag) {
                (Some(doc_ns), Some(flag_ns)) if doc_ns != flag_ns && kind.namespaced() => {
                    out.fail(&format!("error: the namespace from the provided object \"{doc_ns}\" does not match the namespace \"{flag_ns}\". You must pass '--namespace={doc_ns}' to perform this operation."));
                    return None;
                }
                (Some(doc_ns), _) => doc_ns.clone(),
                (None, _) => cmd_ns.to_string(),
            };
            let mut value = d.value.clone();
            if kind.namespaced() {
                if let Some(meta) = value.get_mut("metadata").and_then(Value::as_object_mut) {
                    meta.insert("namespace".into(), Value::String(namespace.clone()));
                }
            }
            objs.push(Obj { source: source.clone(), kind, namespace, name: d.name.clone(), value });
        }
    }
    Some(objs)
}

fn annotations_mut(v: &mut Value) -> Option<&mut serde_json::Map<String, Value>> {
    let meta = v.get_mut("metadata")?.as_object_mut()?;
    let ann = meta.entry("annotations").or_insert_with(|| Value::Object(Default::default()));
    if !ann.is_object() {
        *ann = Value::Object(Default::default());
    }
    ann.as_object_mut()
}

/// The generator of `kubectl create -n NS deployment x --image=...`: the first word that is not
/// a flag or a flag's value, when no file is given. Without this, the generator's own flags
/// (`--image`) were reported as unknown flags of `create`.
fn generator_after_flags(args: &[String]) -> Option<&String> {
    let takes_value = ["-n", "--namespace", "-o", "--output", "-l", "--selector", "--field-manager", "--context", "--kubeconfig"];
    if args.iter().any(|a| ["-f", "--filename", "-k", "--kustomize"].iter().any(|f| a == f || a.starts_with(&format!("{f}=")) || (f.len() == 2 && a.starts_with(f) && a.len() > 2))) {
        return None;
    }
    let mut rest = args.iter();
    while let Some(a) = rest.next() {
        if !a.starts_with('-') {
            return Some(a);
        }
        if takes_value.contains(&a.as_str()) {
            rest.next();
        }
    }
    None
}

fn not_simulated(generator: &str, out: &mut Output) {
    out.fail(&format!("error: `kubectl create {generator}` is not simulated; write a manifest and use kubectl create -f (or kubectl apply -f)"));
}

pub fn apply(it: &mut Interpreter, args: &[String], stdin: Option<String>, out: &mut Output, create: bool) {
    let path = if create { "kubectl create" } else { "kubectl apply" };
    // `kubectl create pdb NAME --min-available=2` and the other generators take flags of their
    // own: say the generator is not simulated rather than that its flags are unknown.
    if let Some(generator) = args.first().filter(|a| create && !a.starts_with('-')).or_else(|| create.then(|| generator_after_flags(args)).flatten()) {
        return not_simulated(generator, out);
    }
    let specs = [FILENAME, OUTPUT, DRY_RUN, RECURSIVE, SELECTOR, flag("validate", None, Str), flag("server-side", None, Bool), flag("force", None, Bool), flag("save-config", None, Bool), flag("prune", None, Bool)];
    let Some(f) = parse_flags(args, &specs, path, out) else { return };
    let files = f.strings("filename");
    if files.is_empty() {
        match f.args.first().filter(|_| create) {
            Some(generator) => not_simulated(generator, out),
            None => out.fail("error: must specify one of -f and -k"),
        }
        return;
    }
    if !f.args.is_empty() && !create {
        out.fail(&format!("error: Unexpected args: {:?}\nSee '{path} -h' for help and examples", f.args));
        return;
    }
    let ns = ns_of(it, &f);
    let Some(sources) = read_sources(it, &files, &stdin, out) else { return };
    let Some(objs) = read_objects(&sources, &ns, f.namespace(), out) else { return };
    if objs.is_empty() {
        out.fail("error: no objects passed to apply");
        return;
    }
    let dry = match f.string("dry-run") {
        Some("client") | Some("true") => " (dry run)",
        Some("server") => " (server dry run)",
        _ => "",
    };
    let name_output = f.string("output") == Some("name");
    let mut errors = Vec::new();
    for o in objs {
        let tn = resources::type_name(o.kind, &o.name);
        let existing = it.engine.get(o.kind, &o.namespace, &o.name).ok();
        let result = if create {
            // A client-side dry run never reaches the server, so it cannot know the object exists.
            let existing = if dry == " (dry run)" { None } else { existing.as_ref() };
            create_one(it, &o, existing, !dry.is_empty(), out)
        } else {
            apply_one(it, &o, existing.as_ref(), !dry.is_empty(), out)
        };
        match result {
            Ok(_) if name_output => out.line(&tn),
            Ok(verb) => out.line(&format!("{tn} {verb}{dry}")),
            Err(e) => errors.push(e),
        }
    }
    for e in errors {
        out.fail(&e);
    }
}

fn print_warnings(out: &mut Output, warnings: &[String]) {
    for w in warnings {
        let w = w.strip_prefix("Warning: ").unwrap_or(w);
        out.err(&format!("Warning: {w}"));
    }
}

fn create_one(it: &mut Interpreter, o: &Obj, existing: Option<&Value>, dry: bool, out: &mut Output) -> Result<&'static str, String> {
    if existing.is_some() {
        return Err(format!("Error from server (AlreadyExists): error when creating \"{}\": {} \"{}\" already exists", o.source, o.kind.qualified_plural(), o.name));
    }
    let admitted = manifest::admit(&o.value, None).map_err(|r| r.message)?;
    print_warnings(out, &admitted.warnings);
    if !dry {
        it.engine.create(admitted.object).map_err(|e| format!("Error from server ({}): error when creating \"{}\": {}", e.reason, o.source, e.message))?;
    }
    Ok("created")
}

fn apply_one(it: &mut Interpreter, o: &Obj, existing: Option<&Value>, dry: bool, out: &mut Output) -> Result<&'static str, String> {
    // What this apply declares, without any previous annotation; stored compact with a newline.
    let mut declared = o.value.clone();
    if let Some(ann) = annotations_mut(&mut declared) {
        ann.remove(LAST_APPLIED);
    }
    let last_applied = format!("{}\n", compact(&declared));
    let mut modified = declared.clone();
    if let Some(ann) = annotations_mut(&mut modified) {
        ann.insert(LAST_APPLIED.into(), Value::String(last_applied));
    }
    match existing {
        None => {
            let admitted = manifest::admit(&modified, None).map_err(|r| r.message)?;
            print_warnings(out, &admitted.warnings);
            if !dry {
                it.engine.create(admitted.object).map_err(|e| format!("Error from server ({}): error when creating \"{}\": {}", e.reason, o.source, e.message))?;
            }
            Ok("created")
        }
        Some(live) => {
            let original: Option<Value> = live
                .pointer(&format!("/metadata/annotations/{}", LAST_APPLIED.replace('/', "~1")))
                .and_then(Value::as_str)
                .and_then(|s| serde_json::from_str(s).ok());
            let mut merged = three_way(original.as_ref(), &modified, live);
            // The server keeps its own bookkeeping fields; apply never sends status.
            if let (Some(m), Some(l)) = (merged.as_object_mut(), live.as_object()) {
                if let Some(s) = l.get("status") {
                    m.insert("status".into(), s.clone());
                }
            }
            if merged == *live {
                return Ok("unchanged");
            }
            let admitted = manifest::admit(&merged, Some(live)).map_err(|r| r.message)?;
            print_warnings(out, &admitted.warnings);
            if dry {
                return Ok("configured");
            }
            match it.engine.update(admitted.object) {
                Ok(true) => Ok("configured"),
                Ok(false) => Ok("unchanged"),
                Err(e) if e.reason == "Invalid" => Err(e.message),
                Err(e) => Err(format!("Error from server ({}): error when applying patch:\n{}\nto:\nResource: \"{}\", GroupVersionKind: \"{}\"\nName: \"{}\", Namespace: \"{}\"\nfor: \"{}\": {}", e.reason, compact(&declared), o.kind.qualified_plural(), o.kind.api_version(), o.name, o.namespace, o.source, e.message)),
            }
        }
    }
}


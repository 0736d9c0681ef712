//! `kubectl apply -f` and `kubectl create -f`: read manifests (files, `-` for a heredoc,
//! the tutorial's k8s.io URLs), admit each object as the API server would, and hand it to the
//! engine. `apply` records `kubectl.kubernetes.io/last-applied-configuration` and merges
//! three-way, so `configured`/`unchanged` and fields changed by others come out as in kubectl.

use serde_json::Value;

use super::{dry_run, ns_of, parse_flags, print_warnings, Dry, DRY_RUN, FILENAME, OUTPUT, RECURSIVE, SELECTOR, TEMPLATE};
use crate::engine::{DeleteOptions, Kind, Time};
use crate::kubectl::flags::{flag, FlagType::*};
use crate::kubectl::patch::three_way;
use crate::kubectl::output::{self, Format};
use crate::kubectl::printers::json::compact;
use crate::kubectl::printers::table::TabWriter;
use crate::kubectl::resources;
use crate::kubectl::session::{Interpreter, Output};
use crate::manifest::{self, FieldValidation};

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
        match it.read_file(f) {
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
        // What the API server would refuse (a field of the wrong type or unknown, an invalid
        // value) is refused per object when it is sent, so the objects before it are still
        // created, as in kubectl; only kubectl's own checks stop the whole command here.
        let client_side = |d: &&manifest::Diagnostic| d.severity == manifest::Severity::Error && !from_server(&d.message);
        if let Some(d) = parsed.diagnostics.iter().find(client_side) {
            let msg = d.message.strip_prefix("error: ").unwrap_or(&d.message);
            if msg.starts_with("resource mapping not found") {
                out.fail(&for_source(&d.message, source));
            } else if msg.starts_with("error") || msg.starts_with("yaml:") || msg.contains("converting YAML") {
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

/// Whether a reader's diagnostic is the API server's answer rather than kubectl's own check.
fn from_server(message: &str) -> bool {
    message.starts_with("Error from server") || (message.starts_with("The ") && message.contains(" is invalid: "))
}

/// Admission words its messages for a paste (`"STDIN"`); kubectl names the file it read.
fn for_source(message: &str, source: &str) -> String {
    message.replace("\"STDIN\"", &format!("\"{source}\""))
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

/// The three commands that send objects read from files.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verb {
    Apply,
    Create,
    /// `kubectl replace`: a whole-object update (PUT) of an object that must exist; with
    /// `--force`, deleted and created again.
    Replace,
}

pub fn apply(it: &mut Interpreter, args: &[String], stdin: Option<String>, out: &mut Output, verb: Verb) {
    let create = verb == Verb::Create;
    let path = match verb {
        Verb::Apply => "kubectl apply",
        Verb::Create => "kubectl create",
        Verb::Replace => "kubectl replace",
    };
    // `kubectl create pdb NAME --min-available=2` and the other generators take flags of their
    // own: say the generator is not simulated rather than that its flags are unknown.
    if let Some(generator) = args.first().filter(|a| create && !a.starts_with('-')).or_else(|| create.then(|| generator_after_flags(args)).flatten()) {
        let generator = generator.clone();
        return super::generate::create(it, &generator, args, out);
    }
    let specs = [FILENAME, OUTPUT, TEMPLATE, DRY_RUN, RECURSIVE, SELECTOR, flag("validate", None, Str), flag("server-side", None, Bool), flag("force", None, Bool), flag("save-config", None, Bool), flag("prune", None, Bool)];
    let Some(f) = parse_flags(args, &specs, path, out) else { return };
    let format = match output::for_write(f.string("output"), f.string("template")) {
        Ok(format) => format,
        Err(e) => return out.fail(&e),
    };
    let files = f.strings("filename");
    if files.is_empty() {
        match f.args.first().filter(|_| create) {
            Some(generator) => not_simulated(generator, out),
            None => out.fail("error: must specify one of -f and -k"),
        }
        return;
    }
    if !f.args.is_empty() && verb == Verb::Apply {
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
    let Some(mode) = dry_run(it, &f, out) else { return };
    let Some(validation) = field_validation(&f, out) else { return };
    let send = Send { dry: mode, validation, save_config: f.bool("save-config") };
    let dry = mode.suffix();
    let mut errors = Vec::new();
    // `create` prints each object as it goes (yaml ones separated by `---`); `apply` prints
    // what it applied at the end, several objects as one List.
    let mut printed = 0;
    let mut applied = Vec::new();
    for o in objs {
        let tn = resources::type_name(o.kind, &o.name);
        let existing = it.engine.get(o.kind, &o.namespace, &o.name).ok();
        let result = match verb {
            Verb::Create => {
                // A client-side dry run never reaches the server, so it cannot know the object exists.
                let existing = if mode == Dry::Client { None } else { existing.as_ref() };
                create_one(it, &o, existing, &send, out)
            }
            Verb::Apply => apply_one(it, &o, existing.as_ref(), &send, out),
            Verb::Replace => replace_one(it, &o, existing.as_ref(), &send, f.bool("force"), out),
        };
        match (result, &format) {
            (Ok((verb, _)), None) => out.line(&format!("{tn} {verb}{dry}")),
            (Ok(_), Some(Format::Name)) => out.line(&tn),
            (Ok((_, obj)), Some(format)) if create => {
                if printed > 0 && matches!(format, Format::Yaml) {
                    out.out("---\n");
                }
                out.out(&output::written(o.kind, &obj, Some(format), ""));
                printed += 1;
            }
            (Ok((_, obj)), Some(_)) => applied.push(obj),
            (Err(e), _) => errors.push(e),
        }
    }
    if let (Some(format), [_, ..]) = (&format, applied.as_slice()) {
        // One object prints as itself, several as a List (the kind given matters only to tables).
        let single = applied.len() == 1;
        out.out(&output::render(Kind::Pod, &applied, format, &Default::default(), single, &mut TabWriter::table(), it.engine.now().0));
    }
    for e in errors {
        out.fail(&e);
    }
}

/// What was written: the verb, and the object as the server answered (or, for a client dry
/// run, as kubectl would have sent it).
type Written = Result<(&'static str, Value), String>;

/// `--validate` (kubectl's `GetValidationDirective`): the field validation each request asks for.
fn field_validation(f: &crate::kubectl::flags::Flags, out: &mut Output) -> Option<FieldValidation> {
    match f.string("validate") {
        None | Some("strict" | "true" | "1" | "t" | "T" | "TRUE" | "True") => Some(FieldValidation::Strict),
        Some("warn") => Some(FieldValidation::Warn),
        Some("ignore" | "false" | "0" | "f" | "F" | "FALSE" | "False") => Some(FieldValidation::Ignore),
        Some(other) => {
            out.fail(&format!("error: invalid - validate option {}; must be one of: strict (or true), warn, ignore (or false)", crate::kubectl::flags::go_quote(other)));
            None
        }
    }
}

/// How each object is sent: `--dry-run`, `--validate`, and `create --save-config`.
struct Send {
    dry: Dry,
    validation: FieldValidation,
    save_config: bool,
}

/// The object with `last-applied-configuration` set to itself without one, compact with a
/// newline, as kubectl's `GetModifiedConfiguration` encodes it (apply, `create --save-config`).
/// Also returns that declared object.
fn with_last_applied(value: &Value) -> (Value, Value) {
    let mut declared = value.clone();
    if let Some(ann) = annotations_mut(&mut declared) {
        ann.remove(LAST_APPLIED);
    }
    let last_applied = format!("{}\n", compact(&declared));
    let mut modified = declared.clone();
    if let Some(ann) = annotations_mut(&mut modified) {
        ann.insert(LAST_APPLIED.into(), Value::String(last_applied));
    }
    (declared, modified)
}

fn create_one(it: &mut Interpreter, o: &Obj, existing: Option<&Value>, send: &Send, out: &mut Output) -> Written {
    if existing.is_some() {
        return Err(format!("Error from server (AlreadyExists): error when creating \"{}\": {} \"{}\" already exists", o.source, o.kind.qualified_plural(), o.name));
    }
    let value = if send.save_config { with_last_applied(&o.value).1 } else { o.value.clone() };
    let admitted = manifest::admit_with(&value, None, send.validation).map_err(|r| for_source(&r.message, &o.source))?;
    print_warnings(out, &admitted.warnings);
    match send.dry {
        Dry::Client => return Ok(("created", value)),
        Dry::Server => return Ok(("created", admitted.object)),
        Dry::None => {}
    }
    let obj = it.engine.create(admitted.object).map_err(|e| format!("Error from server ({}): error when creating \"{}\": {}", e.reason, o.source, e.message))?;
    Ok(("created", obj))
}

/// replace.go: the object as read (its last-applied annotation refreshed if it has one, or set
/// with `--save-config`) replaces the live one, whose status the server keeps. `--force`
/// deletes the live object, waits until it is gone, and creates the new one.
fn replace_one(it: &mut Interpreter, o: &Obj, existing: Option<&Value>, send: &Send, force: bool, out: &mut Output) -> Written {
    let Some(live) = existing else {
        return Err(format!("Error from server (NotFound): error when replacing \"{}\": {} \"{}\" not found", o.source, o.kind.qualified_plural(), o.name));
    };
    let had_annotation = live.pointer(&format!("/metadata/annotations/{}", LAST_APPLIED.replace('/', "~1"))).is_some();
    let mut value = if send.save_config || had_annotation { with_last_applied(&o.value).1 } else { o.value.clone() };
    if force && send.dry == Dry::None {
        let uid = live.pointer("/metadata/uid").and_then(Value::as_str).unwrap_or("").to_string();
        if let Err(e) = it.engine.delete(o.kind, &o.namespace, &o.name, DeleteOptions::default()) {
            return Err(format!("Error from server ({}): {}", e.reason, e.message));
        }
        out.line(&format!("{} \"{}\" deleted", resources::kind_group(o.kind), o.name));
        let limit = Time(it.engine.now().0.saturating_add(crate::kubectl::flags::MAX_WAIT_MS));
        super::step_until(&mut it.engine, limit, |e| !e.exists_uid(&uid));
        if let Some(m) = value.pointer_mut("/metadata").and_then(Value::as_object_mut) {
            m.remove("resourceVersion");
            m.remove("uid");
        }
        let admitted = manifest::admit_with(&value, None, send.validation).map_err(|r| for_source(&r.message, &o.source))?;
        print_warnings(out, &admitted.warnings);
        let obj = it.engine.create(admitted.object).map_err(|e| format!("Error from server ({}): error when replacing \"{}\": {}", e.reason, o.source, e.message))?;
        return Ok(("replaced", obj));
    }
    if let (Some(m), Some(s)) = (value.as_object_mut(), live.get("status")) {
        m.insert("status".into(), s.clone());
    }
    let admitted = manifest::admit_with(&value, Some(live), send.validation).map_err(|r| for_source(&r.message, &o.source))?;
    print_warnings(out, &admitted.warnings);
    match send.dry {
        Dry::Client => return Ok(("replaced", value)),
        Dry::Server => return Ok(("replaced", admitted.object)),
        Dry::None => {}
    }
    it.engine.update(admitted.object).map_err(|e| match e.reason {
        "Invalid" => e.message,
        _ => format!("Error from server ({}): error when replacing \"{}\": {}", e.reason, o.source, e.message),
    })?;
    Ok(("replaced", it.engine.get(o.kind, &o.namespace, &o.name).unwrap_or(Value::Null)))
}

fn apply_one(it: &mut Interpreter, o: &Obj, existing: Option<&Value>, send: &Send, out: &mut Output) -> Written {
    let (dry, validation) = (send.dry, send.validation);
    // What this apply declares, without any previous annotation.
    let (declared, modified) = with_last_applied(&o.value);
    match existing {
        None => {
            let admitted = manifest::admit_with(&modified, None, validation).map_err(|r| for_source(&r.message, &o.source))?;
            print_warnings(out, &admitted.warnings);
            match dry {
                Dry::Client => Ok(("created", modified)),
                Dry::Server => Ok(("created", admitted.object)),
                Dry::None => {
                    let obj = it.engine.create(admitted.object).map_err(|e| format!("Error from server ({}): error when creating \"{}\": {}", e.reason, o.source, e.message))?;
                    Ok(("created", obj))
                }
            }
        }
        Some(live) => {
            let recorded = live.pointer(&format!("/metadata/annotations/{}", LAST_APPLIED.replace('/', "~1"))).and_then(Value::as_str);
            if recorded.is_none() {
                out.err(&format!("Warning: resource {}/{} is missing the {LAST_APPLIED} annotation which is required by kubectl apply. kubectl apply should only be used on resources created declaratively by either kubectl create --save-config or kubectl apply. The missing annotation will be patched automatically.", o.kind.qualified_plural(), o.name));
            }
            let original: Option<Value> = recorded.and_then(|s| serde_json::from_str(s).ok());
            let mut merged = three_way(original.as_ref(), &modified, live);
            // The server keeps its own bookkeeping fields; apply never sends status.
            if let (Some(m), Some(l)) = (merged.as_object_mut(), live.as_object()) {
                if let Some(s) = l.get("status") {
                    m.insert("status".into(), s.clone());
                }
            }
            if merged == *live {
                return Ok(("unchanged", merged));
            }
            let admitted = manifest::admit_with(&merged, Some(live), validation).map_err(|r| r.message)?;
            print_warnings(out, &admitted.warnings);
            match dry {
                Dry::Client => return Ok(("configured", merged)),
                Dry::Server => return Ok(("configured", admitted.object)),
                Dry::None => {}
            }
            let now = |it: &Interpreter| it.engine.get(o.kind, &o.namespace, &o.name).unwrap_or(Value::Null);
            match it.engine.update(admitted.object) {
                Ok(true) => Ok(("configured", now(it))),
                Ok(false) => Ok(("unchanged", now(it))),
                Err(e) if e.reason == "Invalid" => Err(e.message),
                Err(e) => Err(format!("Error from server ({}): error when applying patch:\n{}\nto:\nResource: \"{}\", GroupVersionKind: \"{}\"\nName: \"{}\", Namespace: \"{}\"\nfor: \"{}\": {}", e.reason, compact(&declared), o.kind.qualified_plural(), o.kind.api_version(), o.name, o.namespace, o.source, e.message)),
            }
        }
    }
}


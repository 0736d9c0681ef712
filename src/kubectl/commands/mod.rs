//! The command dispatcher: what a line's first word means (kubectl, a simulation control, or
//! one of the few shell built-ins the tutorial uses), and kubectl's own subcommands.

mod apply;
mod cp;
mod delete;
mod env;
mod events;
mod exec;
mod expose;
mod generate;
mod get;
mod logs;
mod modify;
mod nodes;
mod rollout;
mod sim;
mod wait;

use serde_json::Value;

pub(crate) use exec::attached_line;

use super::flags::{self, FlagSpec, FlagType::*};
use super::printers;
use super::resources;
use super::session::{Interpreter, Output, Stream};
use super::shell::{RedirectKind, SimpleCommand};
use crate::engine::{ApiError, Engine, Kind, Time};

/// Runs one simple command: expands its words, applies its redirections (files on this
/// machine), then dispatches on the first word.
pub fn run_simple(it: &mut Interpreter, cmd: &SimpleCommand) -> Output {
    let words: Vec<String> = cmd.words.iter().filter_map(|w| w.expand(&it.vars, &mut |s| format!("$({s})"))).collect();
    let mut stdin = cmd.heredoc.as_ref().map(|h| {
        if h.expand {
            expand_vars(&h.body, &it.vars)
        } else {
            h.body.clone()
        }
    });
    let mut into: Option<(String, bool)> = None;
    for r in &cmd.redirects {
        let target = r.target.expand(&it.vars, &mut |s| format!("$({s})")).unwrap_or_default();
        match r.kind {
            RedirectKind::Read => match it.read_file(&target) {
                Ok(text) => stdin = Some(text),
                Err(_) => {
                    let mut out = Output::default();
                    out.fail(&format!("bash: {target}: No such file or directory"));
                    return out;
                }
            },
            kind => into = Some((target, kind == RedirectKind::Append)),
        }
    }
    let mut words = words;
    let vars = &mut it.vars;
    let set = |name: &str, value: Option<&str>| match value {
        Some(v) => {
            vars.insert(name.to_string(), v.to_string());
        }
        None => {
            vars.remove(name);
        }
    };
    if super::shell::set_variables(&mut words, set) {
        return Output::default();
    }
    let mut out = dispatch(it, &words, stdin);
    if let Some((path, append)) = into {
        if out.watching {
            // The console streams a watch's later lines; a file cannot receive them here.
            it.interrupt();
            out.watching = false;
            out.err("stslab: a watch redirected to a file keeps only its first listing here");
        }
        let stdout: String = out.chunks.iter().filter(|(s, _)| *s == Stream::Stdout).map(|(_, t)| t.as_str()).collect();
        out.chunks.retain(|(s, _)| *s != Stream::Stdout);
        if let Err(e) = it.write_file(&path, &stdout, append) {
            out.fail(&e);
        }
    }
    out
}

fn dispatch(it: &mut Interpreter, words: &[String], stdin: Option<String>) -> Output {
    let mut out = Output::default();
    let Some(first) = words.first() else { return out };
    let rest: Vec<String> = words.iter().skip(1).cloned().collect();
    match first.as_str() {
        "kubectl" | "k" => kubectl(it, &rest, stdin, &mut out),
        "echo" => {
            let (newline, args) = match rest.first().map(String::as_str) {
                Some("-n") => (false, rest.get(1..).unwrap_or(&[]).to_vec()),
                _ => (true, rest.clone()),
            };
            out.out(&args.join(" "));
            if newline {
                out.out("\n");
            }
        }
        // The files written here (`kubectl run ... -o yaml > pod.yaml`, `cat <<EOF > web.yaml`).
        "cat" => {
            if rest.is_empty() {
                out.out(stdin.as_deref().unwrap_or(""));
            }
            for f in &rest {
                match it.read_file(f) {
                    Ok(text) => out.out(&text),
                    Err(_) => out.fail(&format!("cat: {f}: No such file or directory")),
                }
            }
        }
        "clear" => out.clear = true,
        "help" => out.out(&sim::help_text()),
        "true" | ":" => {}
        "false" => out.exit_code = 1,
        _ => sim::run(it, first, &rest, &mut out),
    }
    out
}

/// `$VAR` expansion inside an unquoted heredoc (only variables the session knows).
fn expand_vars(text: &str, vars: &std::collections::BTreeMap<String, String>) -> String {
    let mut out = text.to_string();
    for (k, v) in vars.iter().rev() {
        out = out.replace(&format!("${{{k}}}"), v).replace(&format!("${k}"), v);
    }
    out
}

/// Subcommands: name, flags, one-line description (for `kubectl help` and completion).
pub const SUBCOMMANDS: &[(&str, &str)] = &[
    ("apply", "Apply a configuration to a resource by file name or stdin"),
    ("create", "Create a resource from a file or from stdin"),
    ("get", "Display one or many resources"),
    ("replace", "Replace a resource by file name or stdin"),
    ("describe", "Show details of a specific resource or group of resources"),
    ("delete", "Delete resources by file names, stdin, resources and names, or by resources and label selector"),
    ("scale", "Set a new size for a deployment, replica set, or stateful set"),
    ("patch", "Update fields of a resource"),
    ("set", "Set specific features on objects (set image)"),
    ("label", "Update the labels on a resource"),
    ("annotate", "Update the annotations on a resource"),
    ("rollout", "Manage the rollout of a resource (status, history, undo, restart, pause, resume)"),
    ("events", "List events"),
    ("logs", "Print the logs for a container in a pod"),
    ("exec", "Execute a command in a container"),
    ("cp", "Copy files and directories to and from containers"),
    ("run", "Run a particular image on the cluster"),
    ("expose", "Take a replication controller, service, deployment or pod and expose it as a new Kubernetes service"),
    ("wait", "Experimental: Wait for a specific condition on one or many resources"),
    ("cordon", "Mark node as unschedulable"),
    ("uncordon", "Mark node as schedulable"),
    ("drain", "Drain node in preparation for maintenance"),
];

/// kubectl 1.34's other commands: known, so not "unknown", but not simulated.
const NOT_SIMULATED: [&str; 19] = [
    "api-resources", "api-versions", "attach", "auth", "autoscale", "certificate", "cluster-info", "completion",
    "config", "debug", "diff", "edit", "explain", "kustomize", "options", "plugin",
    "port-forward", "proxy", "taint",
];

/// kubectl's own usage text, abridged to what the simulator supports.
fn kubectl_help() -> String {
    let mut s = String::from("kubectl controls the Kubernetes cluster manager.\n\n Find more information at: https://kubernetes.io/docs/reference/kubectl/\n\nCommands supported by this simulator:\n");
    for (name, desc) in SUBCOMMANDS {
        s.push_str(&format!("  {name:<14}{desc}\n"));
    }
    s.push_str("\nUsage:\n  kubectl [flags] [options]\n\nUse \"kubectl <command> --help\" for more information about a given command.\n");
    s
}

pub fn kubectl(it: &mut Interpreter, args: &[String], stdin: Option<String>, out: &mut Output) {
    let Some(idx) = flags::find_command(args) else {
        if args.iter().any(|a| a == "-h" || a == "--help") || args.is_empty() {
            out.out(&kubectl_help());
        } else {
            // Only global flags: parse them so unknown ones get pflag's words.
            match flags::parse(args, &[], "kubectl") {
                Err(e) => out.fail(&e),
                Ok(_) => out.out(&kubectl_help()),
            }
        }
        return;
    };
    let Some(name) = args.get(idx).cloned() else { return };
    let mut rest: Vec<String> = args.get(..idx).unwrap_or(&[]).to_vec();
    rest.extend(args.get(idx + 1..).unwrap_or(&[]).iter().cloned());
    match name.as_str() {
        "get" => get::get(it, &rest, out),
        "describe" => get::describe(it, &rest, out),
        "apply" => apply::apply(it, &rest, stdin, out, apply::Verb::Apply),
        "create" => apply::apply(it, &rest, stdin, out, apply::Verb::Create),
        "replace" => apply::apply(it, &rest, stdin, out, apply::Verb::Replace),
        "delete" => delete::delete(it, &rest, stdin, out),
        "scale" => modify::scale(it, &rest, out),
        "patch" => modify::patch(it, &rest, out),
        "set" => modify::set(it, &rest, out),
        "label" => modify::label(it, &rest, out, false),
        "annotate" => modify::label(it, &rest, out, true),
        "rollout" => rollout::rollout(it, &rest, out),
        "exec" => exec::exec(it, &rest, out),
        "cp" => cp::cp(it, &rest, out),
        "logs" => logs::logs(it, &rest, out),
        "run" => exec::run(it, &rest, out),
        "expose" => expose::expose(it, &rest, out),
        "events" => events::events(it, &rest, out),
        "wait" => wait::wait(it, &rest, out),
        "cordon" => nodes::cordon(it, &rest, out, true),
        "uncordon" => nodes::cordon(it, &rest, out, false),
        "drain" => nodes::drain(it, &rest, out),
        "help" => out.out(&kubectl_help()),
        "version" => {
            out.line("Client Version: v1.34.0");
            out.line("Kustomize Version: v5.7.1");
            out.line("Server Version: v1.34.0");
        }
        // A cluster without metrics-server, as kind and minikube start.
        "top" => out.fail("error: Metrics API not available"),
        other if NOT_SIMULATED.contains(&other) => {
            out.fail(&format!("stslab: `kubectl {other}` is a real kubectl command that this simulator does not have; see `help` for the ones it has"));
        }
        other => {
            out.fail(&format!("error: unknown command \"{other}\" for \"kubectl\""));
            let suggestions: Vec<&str> = SUBCOMMANDS.iter().map(|s| s.0).filter(|s| levenshtein(s, other) <= 2).collect();
            if !suggestions.is_empty() {
                out.err("\nDid you mean this?");
                for s in suggestions {
                    out.err(&format!("\t{s}"));
                }
            }
        }
    }
}

/// Edit distance for cobra's "Did you mean this?" (cobra suggests at distance <= 2).
fn levenshtein(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut cur = vec![i + 1];
        for (j, cb) in b.iter().enumerate() {
            let sub = prev.get(j).copied().unwrap_or(0) + usize::from(ca != *cb);
            let del = prev.get(j + 1).copied().unwrap_or(0) + 1;
            let ins = cur.get(j).copied().unwrap_or(0) + 1;
            cur.push(sub.min(del).min(ins));
        }
        prev = cur;
    }
    prev.last().copied().unwrap_or(0)
}

/// Parses flags for `kubectl <path>`; prints the error and returns None on failure.
pub(crate) fn parse_flags(args: &[String], specs: &[FlagSpec], path: &str, out: &mut Output) -> Option<flags::Flags> {
    match flags::parse(args, specs, path) {
        Ok(f) => {
            if f.bool("help") {
                out.line(&format!("Usage: {path} [options]\n\nThis simulator supports the common options of `{path}`; see https://kubernetes.io/docs/reference/kubectl/generated/{}/", path.replace(' ', "_")));
                return None;
            }
            Some(f)
        }
        Err(e) => {
            out.fail(&e);
            None
        }
    }
}

/// The `Warning:` lines an admitted write came back with, as kubectl prints them.
pub(crate) fn print_warnings(out: &mut Output, warnings: &[String]) {
    for w in warnings {
        let w = w.strip_prefix("Warning: ").unwrap_or(w);
        out.err(&format!("Warning: {w}"));
    }
}

/// Prints an API error as kubectl does.
pub(crate) fn api_error(out: &mut Output, e: &ApiError) {
    if e.reason == "Invalid" {
        out.fail(&e.message);
    } else {
        out.fail(&e.to_string());
    }
}

/// A resource reference from the command line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Target {
    pub kind: Kind,
    pub name: String,
}

/// The resource builder's refusal of names beside a selector (`-l`, `--field-selector`, or
/// `delete --all`), checked before any type is resolved. Like cli-runtime's builder, the
/// `TYPE/NAME` form and the `TYPE NAME` form are refused in different words.
pub(crate) fn names_beside_selector(args: &[String]) -> Option<&'static str> {
    if args.iter().any(|a| a.contains('/')) {
        Some("error: selectors and the all flag cannot be used when passing resource/name arguments")
    } else if args.len() > 1 {
        Some("error: name cannot be provided when a selector is specified")
    } else {
        None
    }
}

/// The pod `kubectl exec` and `kubectl logs` act on for `POD` or `TYPE/NAME` (kubectl's
/// polymorphic helpers): a pod as named, or the first of the pods a workload's or Service's
/// selector matches, in the order `kubectl logs` prefers (scheduled, Running, Ready, Ready
/// longest, most restarts, oldest). Returns the pod's name and how many pods matched.
/// `unsupported` words the refusal of other kinds, given their Go type (`*v1.ConfigMap`).
/// While no pod matches, kubectl watches for one until `timeout_ms` (`--pod-running-timeout`)
/// and gives up, so the cluster's clock moves on meanwhile.
pub(crate) fn pod_for(it: &mut Interpreter, ns: &str, arg: &str, timeout_ms: u64, unsupported: impl Fn(&str) -> String) -> Result<(String, usize), String> {
    let Some((word, name)) = arg.split_once('/') else { return Ok((arg.to_string(), 1)) };
    let kind = resources::resolve(word).ok_or_else(|| resources::unknown_type(word))?;
    if kind == Kind::Pod {
        return Ok((name.to_string(), 1));
    }
    let obj = it.engine.get(kind, ns, name).map_err(|e| e.to_string())?;
    if !matches!(kind, Kind::StatefulSet | Kind::Deployment | Kind::ReplicaSet | Kind::Service) {
        return Err(unsupported(&format!("*v1.{}", kind.name())));
    }
    let selector = if kind == Kind::Service {
        printers::label_pairs(obj.pointer("/spec/selector")).iter().map(|(k, v)| format!("{k}={v}")).collect::<Vec<_>>().join(",")
    } else {
        Some(printers::columns::selector_string(&obj)).filter(|s| s != "<none>").unwrap_or_default()
    };
    let matching = |e: &Engine| -> Vec<Value> { e.list(Kind::Pod, Some(ns)).into_iter().filter(|p| printers::selector_matches(&selector, p.pointer("/metadata/labels"))).collect() };
    let limit = Time(it.engine.now().0.saturating_add(timeout_ms));
    step_until(&mut it.engine, limit, |e| !matching(e).is_empty());
    let mut pods = matching(&it.engine);
    let count = pods.len();
    crate::sort::sort_by_cached_key(&mut pods, |p| {
        let phase = match printers::st(p, "/status/phase") {
            "Unknown" => 1,
            "Pending" => 2,
            _ => 0,
        };
        let ready_at = printers::arr(p, "/status/conditions")
            .iter()
            .find(|c| printers::st(c, "/type") == "Ready" && printers::st(c, "/status") == "True")
            .map(|c| printers::st(c, "/lastTransitionTime").to_string());
        let restarts = printers::arr(p, "/status/containerStatuses").iter().filter_map(|c| c.get("restartCount").and_then(Value::as_i64)).max().unwrap_or(0);
        let created = printers::st(p, "/metadata/creationTimestamp").to_string();
        // RFC 3339 times in UTC sort as text; an empty one sorts last, as kubectl's afterOrZero.
        (printers::st(p, "/spec/nodeName").is_empty(), phase, ready_at.is_none(), ready_at.unwrap_or_default(), std::cmp::Reverse(restarts), created.is_empty(), created)
    });
    match pods.first() {
        Some(p) => Ok((printers::st(p, "/metadata/name").to_string(), count)),
        // kubectl watches for a pod until --pod-running-timeout and gives up.
        None => Err("error: timed out waiting for the condition".to_string()),
    }
}

/// Steps the cluster until `done` holds or `limit` passes, as kubectl's waits do (the clock then
/// stands at `limit`); returns whether `done` holds.
pub(crate) fn step_until(engine: &mut Engine, limit: Time, mut done: impl FnMut(&Engine) -> bool) -> bool {
    let mut guard = 0u32;
    loop {
        if done(engine) {
            return true;
        }
        match engine.next_wakeup() {
            Some(t) if t <= limit && guard < 200_000 => {
                engine.step();
                guard += 1;
            }
            _ => {
                if engine.now() < limit && limit.0 < u64::MAX / 2 {
                    engine.advance_to(limit);
                }
                return done(engine);
            }
        }
    }
}

/// Resolves `TYPE NAME...` or `TYPE/NAME...` arguments (one type for the plain form).
pub(crate) fn targets(args: &[String]) -> Result<Vec<Target>, String> {
    let mut out = Vec::new();
    let Some(first) = args.first() else { return Ok(out) };
    if first.contains('/') {
        for a in args {
            let Some((t, n)) = a.split_once('/') else {
                return Err("error: there is no need to specify a resource type as a separate argument when passing arguments in resource/name form (e.g. 'kubectl get resource/<resource_name>' instead of 'kubectl get resource resource/<resource_name>'".into());
            };
            let kind = resources::resolve(t).ok_or_else(|| resources::unknown_type(t))?;
            if n.is_empty() {
                return Err("error: arguments in resource/name form must have a single resource and name".to_string());
            }
            out.push(Target { kind, name: n.to_string() });
        }
        return Ok(out);
    }
    let kind = resources::resolve(first).ok_or_else(|| resources::unknown_type(first))?;
    for n in args.iter().skip(1) {
        if n.contains('/') {
            return Err("error: there is no need to specify a resource type as a separate argument when passing arguments in resource/name form (e.g. 'kubectl get resource/<resource_name>' instead of 'kubectl get resource resource/<resource_name>'".into());
        }
        out.push(Target { kind, name: n.clone() });
    }
    if args.len() == 1 {
        out.push(Target { kind, name: String::new() });
    }
    Ok(out)
}

pub(crate) fn ns_of(it: &Interpreter, f: &flags::Flags) -> String {
    f.namespace().map(str::to_string).unwrap_or_else(|| it.namespace.clone())
}

/// ` from default namespace` (kubectl 1.34 delete lines) for namespaced kinds.
pub(crate) fn from_ns(kind: Kind, ns: &str) -> String {
    if kind.namespaced() {
        format!(" from {ns} namespace")
    } else {
        String::new()
    }
}

/// The objects whose controller is `owner` (its ownerReference with `controller: true`).
pub(super) fn controlled_by(objects: Vec<Value>, owner: &Value) -> Vec<Value> {
    let uid = crate::kubectl::printers::st(owner, "/metadata/uid");
    objects
        .into_iter()
        .filter(|o| {
            crate::kubectl::printers::arr(o, "/metadata/ownerReferences")
                .iter()
                .any(|r| crate::kubectl::printers::st(r, "/uid") == uid && r.get("controller").and_then(Value::as_bool) == Some(true))
        })
        .collect()
}

pub(crate) fn name_of(v: &Value) -> &str {
    super::printers::st(v, "/metadata/name")
}

pub(crate) const OUTPUT: FlagSpec = flags::flag("output", Some('o'), Str);
pub(crate) const SELECTOR: FlagSpec = flags::flag("selector", Some('l'), Str);
pub(crate) const FILENAME: FlagSpec = flags::flag("filename", Some('f'), StringArray);
pub(crate) const DRY_RUN: FlagSpec = flags::flag("dry-run", None, OptStr("unchanged"));
pub(crate) const ALL_NS: FlagSpec = flags::flag("all-namespaces", Some('A'), Bool);
pub(crate) const TIMEOUT: FlagSpec = flags::flag("timeout", None, Duration);
pub(crate) const RECURSIVE: FlagSpec = flags::flag("recursive", Some('R'), Bool);
pub(crate) const TEMPLATE: FlagSpec = flags::flag("template", None, Str);

/// `--dry-run` (kubectl's `GetDryRunStrategy`): client-side runs never reach the server,
/// server-side ones are admitted but not stored.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Dry {
    None,
    Client,
    Server,
}

impl Dry {
    /// What kubectl appends to `TYPE/NAME created`.
    pub fn suffix(self) -> &'static str {
        match self {
            Dry::None => "",
            Dry::Client => " (dry run)",
            Dry::Server => " (server dry run)",
        }
    }
}

pub(crate) fn dry_run(it: &Interpreter, f: &flags::Flags, out: &mut Output) -> Option<Dry> {
    // GetDryRunStrategy in kubectl's cmd/util/helpers.go; the warnings name its lines.
    let warn = |out: &mut Output, at: &str, msg: &str| out.err(&crate::kubectl::clock::klog_warning(it.engine.now().0, at, msg));
    let Some(value) = f.string("dry-run") else { return Some(Dry::None) };
    Some(match value {
        "none" => Dry::None,
        "client" => Dry::Client,
        "server" => Dry::Server,
        // A bare `--dry-run` (the flag's NoOptDefVal), still common in older slides.
        "unchanged" => {
            warn(out, "helpers.go:636", "--dry-run is deprecated and can be replaced with --dry-run=client.");
            Dry::Client
        }
        other => match flags::parse_bool(other) {
            Some(true) => {
                warn(out, "helpers.go:650", &format!("--dry-run={other} is deprecated (boolean value) and can be replaced with --dry-run=client."));
                Dry::Client
            }
            Some(false) => {
                warn(out, "helpers.go:653", &format!("--dry-run={other} is deprecated (boolean value) and can be replaced with --dry-run=none."));
                Dry::None
            }
            None => {
                out.fail(&format!("error: Invalid dry-run value ({other}). Must be \"none\", \"server\", or \"client\"."));
                return None;
            }
        },
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn files_written_here_are_bounded() {
        let mut it = Interpreter::with_seed(1);
        let big = "x".repeat(super::super::session::MAX_WRITTEN_BYTES / 2 + 1);
        assert!(it.write_file("a.txt", &big, false).is_ok());
        assert!(it.write_file("./a.txt", &big, false).is_ok(), "replacing a file frees its old bytes");
        let err = it.write_file("b.txt", &big, false).unwrap_err();
        assert!(err.starts_with("bash: b.txt: No space left on device"), "{err}");
        assert_eq!(it.read_file("a.txt").map(|t| t.len()), Ok(big.len()));
        assert!(it.read_file("b.txt").is_err());
    }

    #[test]
    fn suggestions() {
        assert_eq!(levenshtein("gett", "get"), 1);
        assert_eq!(levenshtein("describe", "descrbe"), 1);
    }
}

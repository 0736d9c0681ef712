//! `kubectl cp`: copies a file between this machine and a container, as cp.go does it, by
//! running tar in the container (whose messages the student sees) against the simulated file
//! systems: a pod's own files, or the volume behind a mount.

use serde_json::Value;

use super::{ns_of, parse_flags};
use crate::engine::Kind;
use crate::kubectl::flags::{flag, FlagType::*};
use crate::kubectl::printers::{arr, st};
use crate::kubectl::session::{Interpreter, Output};

/// A `[namespace/]pod:path` or a local path (`extractFileSpec`).
enum Spec {
    Local(String),
    Remote { ns: Option<String>, pod: String, path: String },
}

fn spec(arg: &str) -> Result<Spec, String> {
    let Some((pod, path)) = arg.split_once(':') else { return Ok(Spec::Local(arg.to_string())) };
    if path.is_empty() {
        return Err("error: filepath can not be empty".into());
    }
    Ok(match pod.split_once('/') {
        Some((ns, pod)) => Spec::Remote { ns: Some(ns.to_string()), pod: pod.to_string(), path: path.to_string() },
        None => Spec::Remote { ns: None, pod: pod.to_string(), path: path.to_string() },
    })
}

pub fn cp(it: &mut Interpreter, args: &[String], out: &mut Output) {
    let specs = [flag("container", Some('c'), Str), flag("no-preserve", None, Bool), flag("retries", None, Int)];
    let Some(f) = parse_flags(args, &specs, "kubectl cp", out) else { return };
    let [src, dest] = f.args.as_slice() else {
        return out.fail("error: source and destination are required");
    };
    let (src, dest) = match (spec(src), spec(dest)) {
        (Ok(s), Ok(d)) => (s, d),
        (Err(e), _) | (_, Err(e)) => return out.fail(&e),
    };
    let default_ns = ns_of(it, &f);
    match (src, dest) {
        (Spec::Remote { .. }, Spec::Remote { .. }) => out.fail("error: one of src or dest must be a local file specification"),
        (Spec::Local(_), Spec::Local(_)) => out.fail("error: one of src or dest must be a remote file specification"),
        (Spec::Local(local), Spec::Remote { ns, pod, path }) => {
            let ns = ns.unwrap_or(default_ns);
            let Some(busybox) = running(it, &ns, &pod, f.string("container"), out) else { return };
            let Ok(text) = it.read_file(&local) else {
                return out.fail(&format!("error: {local} doesn't exist in local filesystem"));
            };
            // checkDestinationIsDir: a directory receives the file under its own name.
            let path = if is_dir(it, &ns, &pod, &path) { format!("{}/{}", path.trim_end_matches('/'), base(&local)) } else { path };
            if let Err(e) = it.engine.write_file(&ns, &pod, &path, &text, false) {
                let dir = path.rsplit_once('/').map_or("/", |(d, _)| if d.is_empty() { "/" } else { d });
                let why = if e.to_ascii_lowercase().contains("read-only") { "Read-only file system" } else { "Cannot open: No such file or directory" };
                out.err(&if busybox { format!("tar: can't open '{path}': {why}") } else { format!("tar: {}: {why}", if why.starts_with("Read") { path.as_str() } else { dir }) });
                out.fail("command terminated with exit code 2");
            }
        }
        (Spec::Remote { ns, pod, path }, Spec::Local(local)) => {
            let ns = ns.unwrap_or(default_ns);
            let Some(busybox) = running(it, &ns, &pod, f.string("container"), out) else { return };
            // `tar cf - PATH` in the container: an absolute member name loses its slash.
            if path.starts_with('/') {
                out.err(if busybox { "tar: removing leading '/' from member names" } else { "tar: Removing leading `/' from member names" });
            }
            match it.engine.read_file(&ns, &pod, &path) {
                Ok(text) => {
                    let target = if local.ends_with('/') || local == "." { format!("{}{}", local.trim_end_matches('.'), base(&path)) } else { local };
                    if let Err(e) = it.write_file(&target, &text, false) {
                        out.fail(&e);
                    }
                }
                // kubectl still exits 0 here: tar runs in a goroutine whose exit code nobody waits
                // for, and the empty archive it sends unpacks without error (kubectl issue 980).
                Err(_) => {
                    out.err(&if busybox { format!("tar: {path}: No such file or directory") } else { format!("tar: {path}: Cannot stat: No such file or directory") });
                    if !busybox {
                        out.err("tar: Exiting with failure status due to previous errors");
                    }
                }
            }
        }
    }
}

fn base(path: &str) -> &str {
    path.trim_end_matches('/').rsplit('/').next().unwrap_or(path)
}

/// `test -d PATH` in the container: a mount point, or a path with files below it.
fn is_dir(it: &Interpreter, ns: &str, pod: &str, path: &str) -> bool {
    if path.ends_with('/') {
        return true;
    }
    let mounted = it.engine.get(Kind::Pod, ns, pod).is_ok_and(|p| {
        arr(&p, "/spec/containers").iter().any(|c| arr(c, "/volumeMounts").iter().any(|m| st(m, "/mountPath").trim_end_matches('/') == path))
    });
    mounted || (it.engine.read_file(ns, pod, path).is_err() && it.engine.list_dir(ns, pod, path).is_ok_and(|names| !names.is_empty()))
}

/// The pod and container to run tar in; whether its image is busybox (ash's tar words).
fn running(it: &Interpreter, ns: &str, pod: &str, container: Option<&str>, out: &mut Output) -> Option<bool> {
    let p = match it.engine.get(Kind::Pod, ns, pod) {
        Ok(p) => p,
        Err(e) => {
            out.fail(&e.to_string());
            return None;
        }
    };
    let containers = arr(&p, "/spec/containers");
    let c: Option<&Value> = match container {
        Some(name) => containers.iter().find(|c| st(c, "/name") == name),
        None => containers.first(),
    };
    let Some(c) = c else {
        out.fail(&format!("Error from server (BadRequest): container {} is not valid for pod {pod}", container.unwrap_or("")));
        return None;
    };
    let phase = st(&p, "/status/phase");
    if phase == "Succeeded" || phase == "Failed" {
        out.fail(&format!("error: cannot exec into a container in a completed pod; current phase is {phase}"));
        return None;
    }
    Some(st(c, "/image").contains("busybox"))
}

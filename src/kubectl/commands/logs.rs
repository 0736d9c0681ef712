//! `kubectl logs POD [-c CONTAINER] [-p]`. The simulator runs no processes, so a running
//! container has written nothing; what it models are the answers that teach something: the
//! API server's and kubelet's refusals while a pod is unscheduled or a container has not
//! started yet, a wrong container name, and kubectl's default-container notice.

use super::{ns_of, parse_flags};
use crate::engine::Kind;
use crate::kubectl::flags::{flag, FlagType::*};
use crate::kubectl::printers::{arr, st};
use crate::kubectl::session::{Interpreter, Output};

pub fn logs(it: &mut Interpreter, args: &[String], out: &mut Output) {
    let specs = [
        flag("container", Some('c'), Str),
        flag("previous", Some('p'), Bool),
        flag("follow", Some('f'), Bool),
        flag("tail", None, Int),
        flag("timestamps", None, Bool),
        flag("since", None, Duration),
        flag("all-containers", None, Bool),
        flag("prefix", None, Bool),
        flag("pod-running-timeout", None, Duration),
    ];
    let Some(f) = parse_flags(args, &specs, "kubectl logs", out) else { return };
    let ns = ns_of(it, &f);
    let Some(target) = f.args.first() else {
        return out.fail("error: expected 'logs [-f] [-p] (POD | TYPE/NAME) [-c CONTAINER]'.\nPOD or TYPE/NAME is a required argument for the logs command\nSee 'kubectl logs -h' for help and examples");
    };
    // logs waits 20 s by default, exec a minute.
    let timeout = f.duration_ms("pod-running-timeout").unwrap_or(20_000);
    let name = match super::pod_for(it, &ns, target, timeout, |t| format!("error: cannot get the logs from {t}: selector for {t} not implemented")) {
        Ok((name, count)) => {
            if count > 1 {
                out.err(&format!("Found {count} pods, using pod/{name}"));
            }
            name
        }
        Err(e) => return out.fail(&e),
    };
    let name = name.as_str();
    let pod = match it.engine.get(Kind::Pod, &ns, name) {
        Ok(p) => p,
        Err(e) => return out.fail(&e.to_string()),
    };
    let containers: Vec<String> = arr(&pod, "/spec/containers").iter().map(|c| st(c, "/name").to_string()).collect();
    let container = match f.string("container") {
        Some(c) => c.to_string(),
        None => {
            let first = containers.first().cloned().unwrap_or_default();
            if containers.len() > 1 {
                out.err(&format!("Defaulted container \"{first}\" out of: {}", containers.join(", ")));
            }
            first
        }
    };
    if !containers.contains(&container) {
        return out.fail(&format!("Error from server (BadRequest): container {container} is not valid for pod {name}"));
    }
    if st(&pod, "/spec/nodeName").is_empty() {
        return out.fail(&format!("Error from server (BadRequest): pod {name} does not have a host assigned"));
    }
    let status = arr(&pod, "/status/containerStatuses").iter().find(|c| st(c, "/name") == container).cloned();
    let has_previous = status.as_ref().is_some_and(|c| c.pointer("/lastState/terminated").is_some());
    if f.bool("previous") {
        if !has_previous {
            out.fail(&format!("Error from server (BadRequest): previous terminated container \"{container}\" in pod \"{name}\" not found"));
        }
        return;
    }
    // The kubelet serves the last attempt's log while a restarted container waits (back-off);
    // with no attempt at all it refuses.
    let waiting = status.as_ref().map(|c| st(c, "/state/waiting/reason").to_string()).filter(|r| !r.is_empty());
    match (status, waiting) {
        (None, _) => out.fail(&format!("Error from server (BadRequest): container \"{container}\" in pod \"{name}\" is waiting to start: ContainerCreating")),
        (Some(_), Some(reason)) if !has_previous => out.fail(&format!("Error from server (BadRequest): container \"{container}\" in pod \"{name}\" is waiting to start: {reason}")),
        _ => {}
    }
}

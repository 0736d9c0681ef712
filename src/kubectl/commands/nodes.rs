//! `kubectl cordon|uncordon|drain NODE`. Drain cordons, filters the node's pods as kubectl's
//! drain helper does, evicts them through the Eviction subresource (retrying every 5 s while
//! a PodDisruptionBudget says no) and waits until they are gone.

use super::{parse_flags, SELECTOR, TIMEOUT, DRY_RUN};
use crate::engine::{DeleteOptions, Kind, Time};
use crate::kubectl::flags::{flag, FlagType::*};
use crate::kubectl::printers::{arr, selector_matches, st};
use crate::kubectl::session::{Interpreter, Output};

/// How long a drain without --timeout retries refused evictions before the simulator stops it.
const UNBOUNDED_DRAIN_MS: u64 = 15 * 60 * 1000;

pub fn cordon(it: &mut Interpreter, args: &[String], out: &mut Output, on: bool) {
    let path = if on { "kubectl cordon" } else { "kubectl uncordon" };
    let Some(f) = parse_flags(args, &[SELECTOR, DRY_RUN], path, out) else { return };
    let Some(node) = f.args.first() else {
        return out.fail(&format!("error: USAGE: {} NODE [flags]\nSee '{path} -h' for help and examples", path.trim_start_matches("kubectl ")));
    };
    let verb = if on { "cordoned" } else { "uncordoned" };
    match it.engine.set_unschedulable(node, on) {
        Ok(true) => out.line(&format!("node/{node} {verb}")),
        Ok(false) => out.line(&format!("node/{node} already {verb}")),
        Err(e) => out.fail(&e.to_string()),
    }
}

/// One pod's progress through drain's eviction loop (drain.go `evictPods`, one goroutine each).
enum Eviction {
    /// Try (again) at this instant.
    Try(u64),
    /// Evicted; wait for the pod with this uid to disappear.
    Gone(String),
    Done,
}

pub fn drain(it: &mut Interpreter, args: &[String], out: &mut Output) {
    let specs = [
        SELECTOR,
        TIMEOUT,
        DRY_RUN,
        flag("force", None, Bool),
        flag("ignore-daemonsets", None, Bool),
        flag("delete-emptydir-data", None, Bool),
        flag("delete-local-data", None, Bool),
        flag("grace-period", None, Int),
        flag("pod-selector", None, Str),
        flag("disable-eviction", None, Bool),
        flag("skip-wait-for-delete-timeout", None, Int),
    ];
    let Some(f) = parse_flags(args, &specs, "kubectl drain", out) else { return };
    let Some(node) = f.args.first().cloned() else {
        return out.fail("error: USAGE: drain NODE [flags]\nSee 'kubectl drain -h' for help and examples");
    };
    match it.engine.set_unschedulable(&node, true) {
        Ok(true) => out.line(&format!("node/{node} cordoned")),
        Ok(false) => out.line(&format!("node/{node} already cordoned")),
        Err(e) => return out.fail(&e.to_string()),
    }
    // GetPodsForDeletion: each pod passes drain's filters (filters.go) in order; the last
    // message wins, and the first refusal stops a pod.
    let force = f.bool("force");
    let emptydir = f.bool("delete-emptydir-data") || f.bool("delete-local-data");
    let pod_selector = f.string("pod-selector").map(str::to_string);
    let pods: Vec<_> = it
        .engine
        .list(Kind::Pod, None)
        .into_iter()
        .filter(|p| st(p, "/spec/nodeName") == node)
        .filter(|p| pod_selector.as_deref().is_none_or(|s| selector_matches(s, p.pointer("/metadata/labels"))))
        .collect();
    let mut errors: Vec<(&str, Vec<String>)> = Vec::new();
    let mut warnings: Vec<(&str, Vec<String>)> = Vec::new();
    let mut victims = Vec::new();
    for p in &pods {
        let id = format!("{}/{}", st(p, "/metadata/namespace"), st(p, "/metadata/name"));
        let finished = matches!(st(p, "/status/phase"), "Succeeded" | "Failed");
        let mut warning = None;
        let mut error = None;
        if !finished && arr(p, "/spec/volumes").iter().any(|v| v.get("emptyDir").is_some()) {
            if emptydir {
                warning = Some("deleting Pods with local storage");
            } else {
                error = Some("Pods with local storage (use --delete-emptydir-data to override)");
            }
        }
        if error.is_none() && !finished && !arr(p, "/metadata/ownerReferences").iter().any(|o| o.get("controller").and_then(|c| c.as_bool()) == Some(true)) {
            if force {
                warning = Some("deleting Pods that declare no controller");
            } else {
                error = Some("cannot delete Pods that declare no controller (use --force to override)");
            }
        }
        let group = |list: &mut Vec<(&'static str, Vec<String>)>, msg: &'static str| match list.iter_mut().find(|(m, _)| *m == msg) {
            Some((_, ids)) => ids.push(id.clone()),
            None => list.push((msg, vec![id.clone()])),
        };
        match (error, warning) {
            (Some(e), _) => group(&mut errors, e),
            (None, w) => {
                if let Some(w) = w {
                    group(&mut warnings, w);
                }
                victims.push(p.clone());
            }
        }
    }
    if !errors.is_empty() {
        let msgs: Vec<String> = errors
            .iter()
            .map(|(m, ids)| if m.starts_with("cannot delete") { format!("{m}: {}", ids.join(", ")) } else { format!("cannot delete {m}: {}", ids.join(", ")) })
            .collect();
        let joined = if msgs.len() == 1 { msgs[0].clone() } else { format!("[{}]", msgs.join(", ")) };
        out.err(&format!("error: unable to drain node \"{node}\" due to error: {joined}, continuing command..."));
        out.err(&format!("There are pending nodes to be drained:\n {node}"));
        return out.fail(&msgs.join("\n"));
    }
    if !warnings.is_empty() {
        let w: Vec<String> = warnings.iter().map(|(m, ids)| format!("{m}: {}", ids.join(", "))).collect();
        out.err(&format!("Warning: {}", w.join("; ")));
    }
    let grace = f.int("grace-period").filter(|g| *g >= 0).map(|g| g as u64);
    let options = DeleteOptions { grace_period_seconds: grace, ..Default::default() };
    let timeout = f.duration_ms("timeout").filter(|t| *t > 0);
    let deadline = timeout.map(|t| it.engine.now().0.saturating_add(t));
    let mut state: Vec<Eviction> = victims.iter().map(|_| Eviction::Try(it.engine.now().0)).collect();
    let mut failures: Vec<String> = Vec::new();
    // Every pod is evicted concurrently in kubectl; here one virtual second at a time: try the
    // pods that are due, report the ones that are gone, then let the cluster run a second.
    // --disable-eviction deletes directly, bypassing PodDisruptionBudgets (drain.go deletePods).
    let evicting = !f.bool("disable-eviction");
    let mut guard = 0u32;
    let mut refused = false;
    let started = it.engine.now().0;
    loop {
        let now = it.engine.now().0;
        for (p, s) in victims.iter().zip(state.iter_mut()) {
            let (ns, name) = (st(p, "/metadata/namespace"), st(p, "/metadata/name"));
            if let Eviction::Try(at) = s {
                if *at > now {
                    continue;
                }
                if evicting {
                    out.line(&format!("evicting pod {ns}/{name}"));
                }
                let result = if evicting { it.engine.evict_with(ns, name, options) } else { it.engine.delete(Kind::Pod, ns, name, options) };
                *s = match result {
                    Ok(_) => Eviction::Gone(st(p, "/metadata/uid").to_string()),
                    Err(e) if e.code == 404 => Eviction::Done,
                    Err(e) if e.code == 429 => {
                        refused = true;
                        out.err(&format!("error when evicting pods/\"{name}\" -n \"{ns}\" (will retry after 5s): {}", e.message));
                        Eviction::Try(now + 5000)
                    }
                    Err(e) => {
                        failures.push(format!("error when evicting pods/\"{name}\" -n \"{ns}\": {}", e.message));
                        Eviction::Done
                    }
                };
            }
            if let Eviction::Gone(uid) = s {
                if !it.engine.exists_uid(uid) {
                    out.line(&format!("pod/{name} {}", if evicting { "evicted" } else { "deleted" }));
                    *s = Eviction::Done;
                }
            }
        }
        if state.iter().all(|s| matches!(s, Eviction::Done)) {
            break;
        }
        // Without --timeout kubectl retries refused evictions for ever. A budget can allow one
        // later with nothing else happening (a disrupted pod's entry expires after 2 minutes),
        // so the simulator keeps retrying as kubectl does, for a quarter of an hour.
        if deadline.is_none() && refused && now >= started + UNBOUNDED_DRAIN_MS {
            out.err("stslab: stopped after 15 minutes of refused evictions; a real kubectl drain without --timeout would keep retrying every 5s (press Ctrl-C)");
            out.exit_code = 1;
            return;
        }
        if deadline.is_some_and(|d| now >= d) || guard > 100_000 {
            let limit = crate::kubectl::flags::go_quote(f.string("timeout").unwrap_or("0s"));
            for (p, s) in victims.iter().zip(state.iter()) {
                if !matches!(s, Eviction::Done) {
                    failures.push(format!("error when evicting pods/\"{}\" -n \"{}\": global timeout reached: {limit}", st(p, "/metadata/name"), st(p, "/metadata/namespace")));
                }
            }
            break;
        }
        guard += 1;
        it.engine.advance_to(Time(now + 1000));
    }
    if failures.is_empty() {
        out.line(&format!("node/{node} drained"));
        return;
    }
    let joined = if failures.len() == 1 { failures[0].clone() } else { format!("[{}]", failures.join(", ")) };
    out.err(&format!("error: unable to drain node \"{node}\" due to error: {joined}, continuing command..."));
    out.err(&format!("There are pending nodes to be drained:\n {node}"));
    out.fail(&failures.join("\n"));
}

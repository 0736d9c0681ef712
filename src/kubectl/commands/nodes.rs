//! `kubectl cordon|uncordon|drain NODE`. Drain cordons, evicts every pod on the node (a
//! graceful delete until the engine offers eviction with PodDisruptionBudgets, see NEEDS.md)
//! and waits until they are gone.

use super::delete::wait_gone;
use super::{parse_flags, SELECTOR, TIMEOUT, DRY_RUN};
use crate::engine::{DeleteOptions, Kind, Time};
use crate::kubectl::flags::{flag, FlagType::*};
use crate::kubectl::printers::{arr, st};
use crate::kubectl::session::{Interpreter, Output};

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
    let pods: Vec<_> = it.engine.list(Kind::Pod, None).into_iter().filter(|p| st(p, "/spec/nodeName") == node).collect();
    let unmanaged: Vec<String> = pods
        .iter()
        .filter(|p| arr(p, "/metadata/ownerReferences").is_empty())
        .map(|p| format!("{}/{}", st(p, "/metadata/namespace"), st(p, "/metadata/name")))
        .collect();
    if !unmanaged.is_empty() && !f.bool("force") {
        out.fail(&format!(
            "error: unable to drain node \"{node}\" due to error: cannot delete cannot delete Pods that declare no controller (use --force to override): {}, continuing command...\nThere are pending nodes to be drained:\n {node}\ncannot delete cannot delete Pods that declare no controller (use --force to override): {}",
            unmanaged.join(", "),
            unmanaged.join(", ")
        ));
        return;
    }
    if !unmanaged.is_empty() {
        out.err(&format!("Warning: deleting Pods that declare no controller: {}", unmanaged.join(", ")));
    }
    let grace = f.int("grace-period").filter(|g| *g >= 0).map(|g| g as u64);
    let mut uids = Vec::new();
    for p in &pods {
        let (ns, name) = (st(p, "/metadata/namespace").to_string(), st(p, "/metadata/name").to_string());
        if p.pointer("/metadata/deletionTimestamp").is_some_and(|v| !v.is_null()) {
            continue;
        }
        out.line(&format!("evicting pod {ns}/{name}"));
        match it.engine.delete(Kind::Pod, &ns, &name, DeleteOptions { grace_period_seconds: grace, ..Default::default() }) {
            Ok(_) => uids.push((st(p, "/metadata/uid").to_string(), name)),
            Err(e) => out.fail(&format!("error when evicting pods/\"{name}\" -n \"{ns}\" (will retry after 5s): {}", e.message)),
        }
    }
    let timeout = f.duration_ms("timeout").filter(|t| *t > 0).unwrap_or(7 * 24 * 3600 * 1000);
    let limit = Time(it.engine.now().0.saturating_add(timeout));
    let all: Vec<String> = uids.iter().map(|u| u.0.clone()).collect();
    wait_gone(&mut it.engine, &all, limit);
    for (uid, name) in &uids {
        if !it.engine.exists_uid(uid) {
            out.line(&format!("pod/{name} evicted"));
        }
    }
    if uids.iter().all(|(u, _)| !it.engine.exists_uid(u)) {
        out.line(&format!("node/{node} drained"));
    } else {
        out.fail(&format!("error: unable to drain node \"{node}\" due to error: global timeout reached: {}", crate::kubectl::flags::go_quote(f.string("timeout").unwrap_or("0s"))));
    }
}

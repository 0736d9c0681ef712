//! `kubectl rollout status|history|undo|restart` for StatefulSets (and a Deployment status).
//! `status` blocks: it prints a line for the set as it stands and another each time the set
//! changes, until the rollout is done, the timeout passes, or (simulator only) the cluster is
//! quiet with nothing left that could finish it.

use serde_json::Value;

use super::modify::store_update;
use super::{ns_of, parse_flags, targets, DRY_RUN, FILENAME, OUTPUT, SELECTOR, TIMEOUT};
use crate::engine::{Kind, Time, WatchEventType, CONTROLLER_ANNOTATIONS};
use crate::kubectl::clock;
use crate::kubectl::flags::{flag, FlagType::*};
use crate::kubectl::patch::strategic_merge;
use crate::kubectl::printers::{arr, int, st, table::TabWriter};
use crate::kubectl::resources;
use crate::kubectl::session::{Interpreter, Output};

/// kubectl's StatefulSetStatusViewer (spec §3.14): (message, done) or an error.
pub fn sts_status(s: &Value) -> Result<(String, bool), String> {
    if st(s, "/spec/updateStrategy/type") != "RollingUpdate" {
        return Err("error: rollout status is only available for RollingUpdate strategy type".into());
    }
    let observed = int(s, "/status/observedGeneration").unwrap_or(0);
    let generation = int(s, "/metadata/generation").unwrap_or(0);
    if observed == 0 || observed < generation {
        return Ok(("Waiting for statefulset spec update to be observed...\n".into(), false));
    }
    let replicas = int(s, "/spec/replicas").unwrap_or(1);
    let ready = int(s, "/status/readyReplicas").unwrap_or(0);
    if ready < replicas {
        return Ok((format!("Waiting for {} pods to be ready...\n", replicas - ready), false));
    }
    let updated = int(s, "/status/updatedReplicas").unwrap_or(0);
    if let Some(partition) = int(s, "/spec/updateStrategy/rollingUpdate/partition") {
        if updated < replicas - partition {
            return Ok((format!("Waiting for partitioned roll out to finish: {updated} out of {} new pods have been updated...\n", replicas - partition), false));
        }
        return Ok((format!("partitioned roll out complete: {updated} new pods have been updated...\n"), true));
    }
    let update_rev = st(s, "/status/updateRevision");
    if update_rev != st(s, "/status/currentRevision") {
        return Ok((format!("waiting for statefulset rolling update to complete {updated} pods at revision {update_rev}...\n"), false));
    }
    Ok((format!("statefulset rolling update complete {} pods at revision {}...\n", int(s, "/status/currentReplicas").unwrap_or(0), st(s, "/status/currentRevision")), true))
}

/// kubectl's DeploymentStatusViewer, abridged.
fn deploy_status(d: &Value) -> Result<(String, bool), String> {
    let name = st(d, "/metadata/name");
    let replicas = int(d, "/spec/replicas").unwrap_or(1);
    let updated = int(d, "/status/updatedReplicas").unwrap_or(0);
    let total = int(d, "/status/replicas").unwrap_or(0);
    let available = int(d, "/status/availableReplicas").unwrap_or(0);
    if int(d, "/status/observedGeneration").unwrap_or(0) < int(d, "/metadata/generation").unwrap_or(0) {
        return Ok(("Waiting for deployment spec update to be observed...\n".into(), false));
    }
    let timed_out = arr(d, "/status/conditions").iter().any(|c| st(c, "/type") == "Progressing" && st(c, "/reason") == "ProgressDeadlineExceeded");
    if timed_out {
        return Err(format!("error: deployment \"{name}\" exceeded its progress deadline"));
    }
    if updated < replicas {
        return Ok((format!("Waiting for deployment \"{name}\" rollout to finish: {updated} out of {replicas} new replicas have been updated...\n"), false));
    }
    if total > updated {
        return Ok((format!("Waiting for deployment \"{name}\" rollout to finish: {} old replicas are pending termination...\n", total - updated), false));
    }
    if available < updated {
        return Ok((format!("Waiting for deployment \"{name}\" rollout to finish: {available} of {updated} updated replicas are available...\n"), false));
    }
    Ok((format!("deployment \"{name}\" successfully rolled out\n"), true))
}

pub fn rollout(it: &mut Interpreter, args: &[String], out: &mut Output) {
    let Some(sub) = args.iter().position(|a| !a.starts_with('-')) else {
        out.out("Manage the rollout of one or many resources.\n\nAvailable Commands:\n  history       View rollout history\n  pause         Mark the provided resource as paused\n  restart       Restart a resource\n  resume        Resume a paused resource\n  status        Show the status of the rollout\n  undo          Undo a previous rollout\n\nUsage:\n  kubectl rollout SUBCOMMAND [options]\n");
        return;
    };
    let name = args.get(sub).cloned().unwrap_or_default();
    let mut rest: Vec<String> = args.get(..sub).unwrap_or(&[]).to_vec();
    rest.extend(args.get(sub + 1..).unwrap_or(&[]).iter().cloned());
    let path = format!("kubectl rollout {name}");
    let specs = [SELECTOR, FILENAME, OUTPUT, DRY_RUN, TIMEOUT, flag("watch", Some('w'), Bool), flag("revision", None, Int), flag("to-revision", None, Int)];
    let known = ["status", "history", "undo", "restart", "pause", "resume"];
    if !known.contains(&name.as_str()) {
        return out.fail(&format!("error: unknown command \"{name}\"\nSee 'kubectl rollout -h' for help and examples"));
    }
    let Some(f) = parse_flags(&rest, &specs, &path, out) else { return };
    if f.args.is_empty() {
        return out.fail(&format!("error: required resource not specified\nSee '{path} -h' for help and examples"));
    }
    let ns = ns_of(it, &f);
    let ts = match targets(&f.args) {
        Ok(t) => t,
        Err(e) => return out.fail(&e),
    };
    for t in ts {
        let obj = match it.engine.get(t.kind, &ns, &t.name) {
            Ok(o) => o,
            Err(e) => return out.fail(&e.to_string()),
        };
        let tn = resources::type_name(t.kind, &t.name);
        match name.as_str() {
            "status" => status(it, t.kind, &ns, &t.name, &f, out),
            "history" => history(it, t.kind, &obj, &tn, f.int("revision"), out),
            "undo" => {
                let Some(dry) = super::dry_run(it, &f, out) else { return };
                let format = match crate::kubectl::output::for_write(f.string("output"), None) {
                    Ok(format) => format,
                    Err(e) => return out.fail(&e),
                };
                undo(it, t.kind, &obj, f.int("to-revision").unwrap_or(0), dry, format.as_ref(), out)
            }
            "restart" => {
                if !matches!(t.kind, Kind::StatefulSet | Kind::Deployment) {
                    out.fail(&format!("error: {} \"{}\" restarting is not supported", t.kind.qualified_plural(), t.name));
                    continue;
                }
                if paused(&obj) {
                    out.fail(&format!("error: {} \"{}\" can't restart paused deployment (run rollout resume first)", t.kind.qualified_plural(), t.name));
                    continue;
                }
                let now = clock::rfc3339(it.engine.now().0);
                let p = serde_json::json!({"spec": {"template": {"metadata": {"annotations": {"kubectl.kubernetes.io/restartedAt": now}}}}});
                let Ok(new) = strategic_merge(&obj, &p) else { continue };
                if store_update(it, &obj, new, out).is_some() {
                    out.line(&format!("{tn} restarted"));
                }
            }
            // ObjectPauserFn / ObjectResumerFn: Deployments only; a StatefulSet rolls out
            // (or waits, with OnDelete or a partition) but cannot be paused.
            verb => {
                let pausing = verb == "pause";
                let refusal = match (t.kind, paused(&obj)) {
                    (Kind::Deployment, true) if pausing => Some("is already paused"),
                    (Kind::Deployment, false) if !pausing => Some("is not paused"),
                    (Kind::Deployment, _) => None,
                    _ if pausing => Some("pausing is not supported"),
                    _ => Some("resuming is not supported"),
                };
                if let Some(why) = refusal {
                    out.fail(&format!("error: {} \"{}\" {why}", t.kind.qualified_plural(), t.name));
                    continue;
                }
                // Resuming sets `paused` false, which the object omits: the patch removes it.
                let p = serde_json::json!({"spec": {"paused": if pausing { Value::Bool(true) } else { Value::Null }}});
                let Ok(new) = strategic_merge(&obj, &p) else { continue };
                if store_update(it, &obj, new, out).is_some() {
                    out.line(&format!("{tn} {}", if pausing { "paused" } else { "resumed" }));
                }
            }
        }
    }
}

fn status(it: &mut Interpreter, kind: Kind, ns: &str, name: &str, f: &crate::kubectl::flags::Flags, out: &mut Output) {
    let viewer: fn(&Value) -> Result<(String, bool), String> = match kind {
        Kind::StatefulSet => sts_status,
        Kind::Deployment => deploy_status,
        other => return out.fail(&format!("error: no status viewer has been implemented for {}", other.name())),
    };
    let timeout = f.duration_ms("timeout").filter(|t| *t > 0);
    let deadline = timeout.map(|t| Time(it.engine.now().0.saturating_add(t)));
    let mut cursor = it.engine.watch();
    let mut obj = match it.engine.get(kind, ns, name) {
        Ok(o) => o,
        Err(e) => {
            it.engine.close_watch(cursor);
            return out.fail(&e.to_string());
        }
    };
    let mut queue: std::collections::VecDeque<Value> = std::collections::VecDeque::new();
    let mut guard = 0u32;
    loop {
        match viewer(&obj) {
            Err(e) => {
                out.fail(&e);
                break;
            }
            Ok((msg, done)) => {
                out.out(&msg);
                if done || !f.bool_or("watch", true) {
                    break;
                }
            }
        }
        // Wait for the next change of this object (kubectl prints on every watch event).
        while queue.is_empty() {
            let limit = deadline.unwrap_or(Time(u64::MAX));
            match it.engine.next_wakeup() {
                // A quiet cluster ends the wait, unless a stalled Deployment's progress check is
                // still to come: kubectl would see it time out.
                Some(t) if t <= limit && guard < 200_000 && !(deadline.is_none() && it.engine.is_quiet() && !progress_pending(kind, &obj)) => {
                    it.engine.step();
                    guard += 1;
                }
                _ => {
                    if let Some(d) = deadline {
                        if it.engine.now() < d {
                            it.engine.advance_to(d);
                        }
                        out.fail("error: timed out waiting for the condition");
                    } else {
                        out.err("stslab: the cluster is quiet and this rollout cannot progress; a real kubectl would keep waiting (press Ctrl-C)");
                        out.exit_code = 1;
                    }
                    it.engine.close_watch(cursor);
                    return;
                }
            }
            let (events, c) = it.engine.poll_watch(cursor);
            cursor = c;
            for ev in events {
                if ev.kind == kind && st(&ev.object, "/metadata/name") == name && st(&ev.object, "/metadata/namespace") == ns {
                    if ev.event_type == WatchEventType::Deleted {
                        out.fail("error: watch closed before UntilWithoutRetry timeout");
                        it.engine.close_watch(cursor);
                        return;
                    }
                    queue.push_back(ev.object);
                }
            }
        }
        if let Some(o) = queue.pop_front() {
            obj = o;
        }
    }
    it.engine.close_watch(cursor);
}

/// The set's ControllerRevisions, oldest revision first.
fn revisions(it: &Interpreter, obj: &Value) -> Vec<Value> {
    let uid = st(obj, "/metadata/uid");
    let ns = st(obj, "/metadata/namespace");
    let mut revs: Vec<Value> = it
        .engine
        .list(Kind::ControllerRevision, Some(ns))
        .into_iter()
        .filter(|r| arr(r, "/metadata/ownerReferences").iter().any(|o| st(o, "/uid") == uid))
        .collect();
    crate::sort::sort_by_key(&mut revs, |r| int(r, "/revision").unwrap_or(0));
    revs
}

/// A revision's template, change-cause and annotations, from a ControllerRevision or a
/// ReplicaSet.
struct Revision {
    number: i64,
    template: Value,
    cause: String,
    annotations: serde_json::Map<String, Value>,
}

/// What `rollout history` and `undo` read: a StatefulSet's ControllerRevisions or a
/// Deployment's ReplicaSets (`deploymentutil.Revision`: a missing annotation reads as 0; for
/// one number the last one listed wins), oldest revision first.
fn history_of(it: &Interpreter, kind: Kind, obj: &Value) -> Vec<Revision> {
    let cause = |o: &Value| st(o, "/metadata/annotations/kubernetes.io~1change-cause").to_string();
    let annotations = |o: &Value| o.pointer("/metadata/annotations").and_then(Value::as_object).cloned().unwrap_or_default();
    let mut revs: Vec<Revision> = if kind == Kind::Deployment {
        let sets = super::controlled_by(it.engine.list(Kind::ReplicaSet, Some(st(obj, "/metadata/namespace"))), obj);
        let mut by_number: Vec<Revision> = Vec::new();
        for rs in sets {
            let Ok(number) = (match st(&rs, "/metadata/annotations/deployment.kubernetes.io~1revision") {
                "" => Ok(0),
                n => n.parse::<i64>(),
            }) else {
                continue;
            };
            by_number.retain(|r| r.number != number);
            by_number.push(Revision { number, template: rs.pointer("/spec/template").cloned().unwrap_or(Value::Null), cause: cause(&rs), annotations: annotations(&rs) });
        }
        by_number
    } else {
        revisions(it, obj)
            .into_iter()
            .map(|r| Revision { number: int(&r, "/revision").unwrap_or(0), template: r.pointer("/data/spec/template").cloned().unwrap_or(Value::Null), cause: cause(&r), annotations: annotations(&r) })
            .collect()
    };
    crate::sort::sort_by_key(&mut revs, |r| r.number);
    revs
}

fn history(it: &mut Interpreter, kind: Kind, obj: &Value, tn: &str, revision: Option<i64>, out: &mut Output) {
    if !matches!(kind, Kind::StatefulSet | Kind::Deployment) {
        return out.fail(&format!("error: rollout history for {} is not simulated", kind.plural()));
    }
    let revs = history_of(it, kind, obj);
    if revs.is_empty() {
        // The name printer's `TYPE/NAME OPERATION` with the viewer's text as the operation.
        out.line(&format!("{tn} \nNo rollout history found."));
        return;
    }
    if let Some(n) = revision.filter(|n| *n > 0) {
        let Some(r) = revs.iter().find(|r| r.number == n) else {
            return out.fail("error: unable to find the specified revision");
        };
        let mut template = r.template.clone();
        // A Deployment's history shows the ReplicaSet's change-cause in the template.
        if kind == Kind::Deployment && !r.cause.is_empty() {
            template["metadata"]["annotations"]["kubernetes.io/change-cause"] = Value::String(r.cause.clone());
        }
        out.line(&format!("{tn} with revision #{n}"));
        out.out(&pod_template(&template));
        out.out("\n");
        return;
    }
    let mut rows = vec![vec!["REVISION".to_string(), "CHANGE-CAUSE".to_string()]];
    for r in &revs {
        let cause = if r.cause.is_empty() { "<none>" } else { &r.cause };
        rows.push(vec![r.number.to_string(), cause.to_string()]);
    }
    out.line(&format!("{tn} "));
    let mut tw = TabWriter::describe();
    out.out(&tw.rows(&rows));
    out.out("\n");
}

/// A pod template as `describe` prints it (`DescribePodTemplate`).
fn pod_template(template: &Value) -> String {
    crate::kubectl::printers::describe::pod_template_text(template)
}

/// `StatefulSetRollbacker.Rollback`, printed as `undo` prints it: the result is the name
/// printer's operation, and `-o` prints the object as it was fetched, before the rollback.
fn undo(it: &mut Interpreter, kind: Kind, obj: &Value, to: i64, dry: super::Dry, format: Option<&crate::kubectl::output::Format>, out: &mut Output) {
    if kind == Kind::Deployment {
        return undo_deployment(it, obj, to, dry, format, out);
    }
    if kind != Kind::StatefulSet {
        return out.fail(&format!("error: rollout undo for {} is not simulated", kind.plural()));
    }
    let revs = revisions(it, obj);
    let target = if to == 0 {
        if revs.len() < 2 {
            return out.fail("error: no last revision to roll back to");
        }
        revs.get(revs.len() - 2)
    } else {
        revs.iter().find(|r| int(r, "/revision") == Some(to))
    };
    let Some(rev) = target else {
        return out.fail(&format!("error: unable to find specified revision {to} in history"));
    };
    let data = rev.get("data").cloned().unwrap_or(Value::Null);
    let mut wanted = data.pointer("/spec/template").cloned().unwrap_or(Value::Null);
    if let Some(m) = wanted.as_object_mut() {
        m.remove("$patch");
    }
    let Ok(new) = strategic_merge(obj, &data) else {
        return out.fail("error: unable to apply the revision's patch");
    };
    let result = if dry == super::Dry::Client {
        // A client dry run describes the template it would restore, matching or not.
        format!("will roll back to {}", pod_template(new.pointer("/spec/template").unwrap_or(&Value::Null)))
    } else if obj.pointer("/spec/template") == Some(&wanted) {
        format!("skipped rollback (current template already matches revision {to})")
    } else if dry == super::Dry::Server {
        if let Err(r) = crate::manifest::admit(&new, Some(obj)) {
            return out.fail(&r.message);
        }
        "rolled back".to_string()
    } else if store_update(it, obj, new, out).is_some() {
        "rolled back".to_string()
    } else {
        return;
    };
    out.out(&crate::kubectl::output::written(kind, obj, format, &format!("{result}{}", dry.suffix())));
}

/// A Deployment whose rollout has a progress deadline and neither finished nor timed out.
fn progress_pending(kind: Kind, obj: &Value) -> bool {
    kind == Kind::Deployment
        && obj.pointer("/spec/progressDeadlineSeconds").and_then(Value::as_i64).is_some_and(|s| s != i64::from(i32::MAX))
        && arr(obj, "/status/conditions").iter().any(|c| st(c, "/type") == "Progressing" && !matches!(st(c, "/reason"), "NewReplicaSetAvailable" | "ProgressDeadlineExceeded" | "DeploymentPaused"))
}

fn paused(obj: &Value) -> bool {
    obj.pointer("/spec/paused").and_then(Value::as_bool) == Some(true)
}

/// `DeploymentRollbacker.Rollback`: the chosen ReplicaSet's template (without its
/// pod-template-hash label) and annotations go back into the Deployment; the controller then
/// scales that ReplicaSet up again under the next revision number.
fn undo_deployment(it: &mut Interpreter, d: &Value, to: i64, dry: super::Dry, format: Option<&crate::kubectl::output::Format>, out: &mut Output) {
    if paused(d) {
        return out.fail("error: you cannot rollback a paused deployment; resume it first with 'kubectl rollout resume' and try again");
    }
    if to < 0 {
        return out.fail(&format!("error: unable to find specified revision {to} in history"));
    }
    let revs = history_of(it, Kind::Deployment, d);
    let target = if to == 0 {
        // The second newest revision.
        if revs.len() < 2 {
            return out.fail(&format!("error: no rollout history found for deployment \"{}\"", st(d, "/metadata/name")));
        }
        revs.get(revs.len() - 2)
    } else {
        revs.iter().find(|r| r.number == to)
    };
    let Some(rev) = target else {
        return out.fail(&format!("error: unable to find specified revision {to} in history"));
    };
    let mut template = rev.template.clone();
    if let Some(labels) = template.pointer_mut("/metadata/labels").and_then(Value::as_object_mut) {
        labels.remove("pod-template-hash");
    }
    let result = if dry == super::Dry::Client {
        format!("will roll back to {}", pod_template(&rev.template))
    } else if d.pointer("/spec/template") == Some(&template) {
        format!("skipped rollback (current template already matches revision {to})")
    } else {
        let mut annotations = serde_json::Map::new();
        for k in CONTROLLER_ANNOTATIONS {
            if let Some(v) = d.pointer("/metadata/annotations").and_then(|a| a.get(k)) {
                annotations.insert(k.to_string(), v.clone());
            }
        }
        for (k, v) in &rev.annotations {
            if !CONTROLLER_ANNOTATIONS.contains(&&**k) {
                annotations.insert(k.clone(), v.clone());
            }
        }
        let mut new = d.clone();
        new["spec"]["template"] = template;
        new["metadata"]["annotations"] = Value::Object(annotations);
        if dry == super::Dry::Server {
            if let Err(r) = crate::manifest::admit(&new, Some(d)) {
                return out.fail(&r.message);
            }
        } else if store_update(it, d, new, out).is_none() {
            return;
        }
        "rolled back".to_string()
    };
    out.out(&crate::kubectl::output::written(Kind::Deployment, d, format, &format!("{result}{}", dry.suffix())));
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn status_messages() {
        let mut s = json!({"metadata": {"generation": 2}, "spec": {"replicas": 3, "updateStrategy": {"type": "RollingUpdate", "rollingUpdate": {"partition": 0}}},
            "status": {"observedGeneration": 1}});
        assert_eq!(sts_status(&s), Ok(("Waiting for statefulset spec update to be observed...\n".into(), false)));
        s["status"] = json!({"observedGeneration": 2, "readyReplicas": 1});
        assert_eq!(sts_status(&s), Ok(("Waiting for 2 pods to be ready...\n".into(), false)));
        s["status"] = json!({"observedGeneration": 2, "readyReplicas": 3, "updatedReplicas": 1});
        assert_eq!(sts_status(&s), Ok(("Waiting for partitioned roll out to finish: 1 out of 3 new pods have been updated...\n".into(), false)));
        s["status"] = json!({"observedGeneration": 2, "readyReplicas": 3, "updatedReplicas": 3});
        assert_eq!(sts_status(&s), Ok(("partitioned roll out complete: 3 new pods have been updated...\n".into(), true)));
        s["spec"]["updateStrategy"] = json!({"type": "RollingUpdate"});
        s["status"] = json!({"observedGeneration": 2, "readyReplicas": 3, "updatedReplicas": 3, "currentReplicas": 3, "currentRevision": "web-a", "updateRevision": "web-a"});
        assert_eq!(sts_status(&s), Ok(("statefulset rolling update complete 3 pods at revision web-a...\n".into(), true)));
        s["spec"]["updateStrategy"] = json!({"type": "OnDelete"});
        assert!(sts_status(&s).is_err());
    }
}

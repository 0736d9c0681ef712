//! Deployment and ReplicaSet, for the comparison with StatefulSets: pods named
//! `<deployment>-<pod-template-hash>-<5 random characters>`, created and deleted all at once,
//! no stable identity, no per-pod DNS name, and (if the template mounts one) one shared claim.
//! Rolling updates use maxSurge/maxUnavailable (defaults 25 %) across ReplicaSets.

use super::cluster::{Action, Engine, Piece::T, Work};
use super::meta::*;
use super::objects::*;
use super::statefulset::utils;
use super::*;
use serde_json::{json, Value};
use std::rc::Rc;

fn percent_or_int(v: Option<&Value>, total: i64, round_up: bool, default_pct: i64) -> i64 {
    match v {
        Some(Value::String(s)) if s.ends_with('%') => {
            let p: i64 = s.trim_end_matches('%').parse().unwrap_or(default_pct);
            let x = total.saturating_mul(p);
            if round_up {
                (x + 99) / 100
            } else {
                x / 100
            }
        }
        Some(v) => int_field(Some(v)).unwrap_or(0),
        None => {
            let x = total.saturating_mul(default_pct);
            if round_up {
                (x + 99) / 100
            } else {
                x / 100
            }
        }
    }
}

impl Engine {
    pub(super) fn write_user_workload(&mut self, kind: Kind, v: &mut Value, meta: Meta) -> Result<bool, ApiError> {
        if kind == Kind::Deployment {
            defaults::deployment(v);
        } else if let Some(t) = v.pointer_mut("/spec/template") {
            defaults::pod_template(t);
        }
        let spec = v.get("spec").cloned().unwrap_or_else(|| json!({}));
        let replicas = int_field(spec.get("replicas")).unwrap_or(1);
        if !(0..=super::cluster::MAX_SIMULATED_REPLICAS).contains(&replicas) {
            return Err(ApiError {
                reason: "Invalid",
                code: 422,
                message: format!("{}.apps \"{}\" is invalid: spec.replicas: Invalid value: {}: must be between 0 and {} in the simulator", kind.name(), meta.name, replicas, super::cluster::MAX_SIMULATED_REPLICAS),
            });
        }
        let selector = Selector::from_json(spec.get("selector"));
        let tmpl = Rc::new(PodTemplate::from_json(spec.get("template").unwrap_or(&json!({}))));
        let k = meta.key();
        let old = match kind {
            Kind::Deployment => self.store.deployments.get(&k).cloned(),
            _ => self.store.replicasets.get(&k).cloned(),
        };
        let w = match old {
            Some(o) => {
                let spec_changed = *o.spec_json != spec;
                let m = Meta { labels: meta.labels, annotations: meta.annotations, owners: meta.owners, finalizers: meta.finalizers, ..o.meta.clone() };
                if !spec_changed && m.labels == o.meta.labels && m.annotations == o.meta.annotations && m.owners == o.meta.owners {
                    return Ok(false);
                }
                let mut w = (*o).clone();
                w.meta = m;
                if spec_changed {
                    w.meta.generation += 1;
                }
                w.spec_json = Rc::new(spec);
                w.replicas = replicas;
                w.selector = selector;
                w.tmpl = tmpl;
                w
            }
            None => {
                let mut m = meta;
                m.uid = self.rng.uuid();
                m.created = self.now;
                m.generation = 1;
                Workload { kind, meta: m, spec_json: Rc::new(spec), replicas, selector, tmpl, status: WorkloadStatus::default() }
            }
        };
        let rc = self.put(w);
        self.enqueue(Work::SyncWorkload(kind, rc.meta.key()));
        Ok(true)
    }

    pub(super) fn sync_workload(&mut self, kind: Kind, k: &Key) {
        match kind {
            Kind::Deployment => self.sync_deployment(k),
            _ => self.sync_replica_set(k),
        }
    }

    fn owned_pods(&self, ns: &Str, uid: &Str) -> Vec<Rc<Pod>> {
        let owned = self.store.pods.sorted_where(|p| p.meta.namespace == *ns && p.meta.controller().is_some_and(|c| c.uid == *uid));
        owned.into_iter().cloned().collect()
    }

    fn sync_replica_set(&mut self, k: &Key) {
        let Some(rs) = self.store.replicasets.get(k).cloned() else { return };
        let owner = Str::from(format!("{}/{}", rs.meta.namespace, rs.meta.name));
        let pods = self.owned_pods(&rs.meta.namespace, &rs.meta.uid);
        let active: Vec<&Rc<Pod>> = pods.iter().filter(|p| !p.terminating() && !p.status.phase.terminal()).collect();
        let diff = rs.replicas - active.len() as i64;
        if rs.meta.deletion.is_none() {
            if let (true, Some(refusal)) = (diff > 0, self.missing_service_account(&rs.meta.namespace, &format!("{}-", rs.meta.name), &rs.tmpl.spec)) {
                // The ReplicaSet's pod creations are refused: an event per failed sync, and the
                // sync is retried with the workqueue's doubling back-off.
                self.event(Kind::ReplicaSet, &rs.meta, true, "FailedCreate", format!("Error creating: {refusal}"), "replicaset-controller", None);
                self.retry_later(k, Work::SyncWorkload(Kind::ReplicaSet, k.clone()));
            } else if diff > 0 {
                self.backoff.remove(k);
                let mut names = Vec::new();
                for _ in 0..diff {
                    let name = format!("{}-{}", rs.meta.name, self.rng.safe_string(5));
                    let mut meta = self.new_meta(&rs.meta.namespace, &name);
                    meta.generate_name = Some(Str::from(format!("{}-", rs.meta.name)));
                    meta.labels = rs.tmpl.labels.clone();
                    meta.annotations = rs.tmpl.annotations.clone();
                    meta.owners.push(OwnerRef::controller_of(Kind::ReplicaSet, &rs.meta.name, &rs.meta.uid));
                    let pod = Pod { meta, tmpl: rs.tmpl.clone(), node: None, hostname: None, subdomain: None, claims: Rc::new([]), images: Vec::new(), status: PodStatus::default() };
                    self.create_pod_object(pod);
                    self.event(Kind::ReplicaSet, &rs.meta, false, "SuccessfulCreate", format!("Created pod: {}", name), "replicaset-controller", None);
                    names.push(name);
                }
                self.decide(owner.clone(), format!("{} created at once: a ReplicaSet creates all missing pods together, with random names and no ordering", names.join(", ")));
            } else if diff < 0 {
                // Prefer deleting pods that are not ready, then the newest.
                let mut victims: Vec<&Rc<Pod>> = active.clone();
                crate::sort::sort_by(&mut victims, |a, b| (a.is_ready(), std::cmp::Reverse(a.meta.created), &a.meta.name).cmp(&(b.is_ready(), std::cmp::Reverse(b.meta.created), &b.meta.name)));
                let mut names = Vec::new();
                for p in victims.into_iter().take((-diff) as usize) {
                    let _ = self.delete_pod_quiet(&p.meta.key(), DeleteOptions::default());
                    self.event(Kind::ReplicaSet, &rs.meta, false, "SuccessfulDelete", format!("Deleted pod: {}", p.meta.name), "replicaset-controller", None);
                    names.push(p.meta.name.to_string());
                }
                self.decide(owner.clone(), format!("{} deleted at once: a ReplicaSet removes surplus pods together (not ready and newest first)", names.join(", ")));
            }
        }
        // A Recreate rollout waits for the old pods to be gone, terminating ones too: the last
        // one leaving wakes the Deployment (its pod-deletion handler).
        if rs.replicas == 0 && pods.iter().all(|p| p.status.phase.terminal()) {
            if let Some(c) = rs.meta.controller() {
                self.enqueue(Work::SyncWorkload(Kind::Deployment, Key::new(rs.meta.namespace.clone(), c.name.clone())));
            }
        }
        let ready = pods.iter().filter(|p| p.running_and_ready() && !p.terminating()).count() as i64;
        let status = WorkloadStatus { observed_generation: rs.meta.generation, replicas: active.len() as i64, ready, available: ready, ..WorkloadStatus::default() };
        if let Some(cur) = self.store.replicasets.get(k).cloned() {
            if cur.status != status {
                let mut n = (*cur).clone();
                n.status = status;
                self.put(n);
                if let Some(c) = cur.meta.controller() {
                    self.enqueue(Work::SyncWorkload(Kind::Deployment, Key::new(cur.meta.namespace.clone(), c.name.clone())));
                }
            }
        }
    }

    /// The ReplicaSets a Deployment controls, by name.
    fn owned_replicasets(&self, d: &Workload) -> Vec<Rc<Workload>> {
        let ns = d.meta.namespace.clone();
        self
            .store
            .replicasets
            .range(Key::new(ns.clone(), Str::from(""))..)
            .take_while(|(rk, _)| rk.0 == ns)
            .filter(|(_, r)| r.meta.controller().is_some_and(|c| c.uid == d.meta.uid))
            .map(|(_, r)| r.clone())
            .collect()
    }

    /// A new ReplicaSet for the Deployment's current template (`NAME-HASH`, labels and selector
    /// carrying `pod-template-hash`, the revision and replica annotations), with its
    /// ScalingReplicaSet event.
    fn create_replicaset(&mut self, d: &Workload, rollout: &Rollout, rs_name: &str, hash: &str, tmpl_json: Value, initial: i64) -> Rc<Workload> {
        let ns = d.meta.namespace.clone();
        let mut meta = self.new_meta(&ns, rs_name);
        meta.labels = d.tmpl.labels.clone();
        meta.labels.insert("pod-template-hash", hash.to_string());
        meta.annotations = copied_annotations(d);
        meta.annotations.insert(REVISION, rollout.revision.to_string());
        set_replica_annotations(&mut meta, rollout);
        meta.owners.push(OwnerRef::controller_of(Kind::Deployment, &d.meta.name, &d.meta.uid));
        meta.generation = 1;
        let mut t = (*d.tmpl).clone_template();
        t.labels.insert("pod-template-hash", hash.to_string());
        let mut sel = d.selector.clone();
        sel.match_labels.insert("pod-template-hash", hash.to_string());
        let mut spec = json!({"replicas": initial, "selector": {"matchLabels": sel.match_labels}, "template": tmpl_json});
        if let Some(l) = spec.pointer_mut("/template/metadata/labels").and_then(Value::as_object_mut) {
            l.insert("pod-template-hash".into(), json!(hash));
        }
        let w = Workload { kind: Kind::ReplicaSet, meta, spec_json: Rc::new(spec), replicas: initial, selector: sel, tmpl: Rc::new(t), status: WorkloadStatus::default() };
        let rc = self.put(w);
        if initial > 0 {
            self.event(Kind::Deployment, &d.meta, false, "ScalingReplicaSet", format!("Scaled up replica set {} from 0 to {}", rs_name, initial), "deployment-controller", None);
        }
        self.enqueue(Work::SyncWorkload(Kind::ReplicaSet, rc.meta.key()));
        rc
    }

    /// The existing ReplicaSet for the current template (`SetNewReplicaSetAnnotations`): the
    /// Deployment's annotations, and the next revision when it is an old one coming back (a
    /// rollback), its earlier revisions kept in `revision-history`.
    fn refresh_new_replicaset(&mut self, d: &Workload, rs: Rc<Workload>, rollout: &Rollout) -> Rc<Workload> {
        let mut annotations = copied_annotations(d);
        let old = revision_of(&rs);
        for (k, v) in rs.meta.annotations.iter() {
            if CONTROLLER_ANNOTATIONS.contains(&&**k) {
                annotations.insert(k.clone(), v.clone());
            }
        }
        if old < rollout.revision {
            annotations.insert(REVISION, rollout.revision.to_string());
            if old > 0 {
                let history = match rs.meta.annotations.get(REVISION_HISTORY) {
                    Some(h) if !h.is_empty() => format!("{h},{old}"),
                    _ => old.to_string(),
                };
                annotations.insert(REVISION_HISTORY, history);
            }
        }
        if annotations == rs.meta.annotations {
            return rs;
        }
        let mut n = (*rs).clone();
        n.meta.annotations = annotations;
        self.put(n)
    }

    fn sync_deployment(&mut self, k: &Key) {
        let Some(d) = self.store.deployments.get(k).cloned() else { return };
        if d.meta.deletion.is_some() {
            return;
        }
        let tmpl_json = d.spec_json.get("template").cloned().unwrap_or_else(|| json!({}));
        let hash = utils::safe_encode(&utils::fnv1a_32(tmpl_json.to_string().as_bytes()).to_string());
        let rs_name = format!("{}-{}", d.meta.name, hash);
        let owned = self.owned_replicasets(&d);
        let desired = d.replicas;
        let strategy = d.spec_json.get("strategy");
        let recreate = strategy.and_then(|s| s.get("type")).and_then(Value::as_str) == Some("Recreate");
        let ru = strategy.and_then(|s| s.get("rollingUpdate"));
        let (max_surge, max_unavailable) = if recreate {
            (0, 0)
        } else {
            let surge = percent_or_int(ru.and_then(|r| r.get("maxSurge")), desired, true, 25);
            let unavailable = percent_or_int(ru.and_then(|r| r.get("maxUnavailable")), desired, false, 25);
            // ResolveFenceposts: both zero would never progress, so one pod may be unavailable.
            (surge, if surge == 0 && unavailable == 0 { 1 } else { unavailable.min(desired) })
        };
        let existing = owned.iter().find(|r| r.meta.name.as_ref() == rs_name).cloned();
        // isScalingEvent: an active ReplicaSet was sized for another replica count. Such a sync,
        // and every sync of a paused Deployment, only scales (`sync`): no new ReplicaSet, no
        // rolling step, and no judging of the rollout's progress.
        let paused = d.spec_json.get("paused").and_then(Value::as_bool) == Some(true);
        let scaling = owned.iter().any(|r| r.replicas > 0 && desired_annotation(r).is_some_and(|a| a != desired));
        let rollout = Rollout {
            revision: owned.iter().filter(|r| r.meta.name.as_ref() != rs_name).map(|r| revision_of(r)).max().unwrap_or(0) + 1,
            desired,
            max_replicas: desired + max_surge,
        };
        let mut status = d.status.clone();
        // progressDeadlineSeconds (defaulted to 600); MaxInt32 means none.
        let deadline_secs = d.spec_json.get("progressDeadlineSeconds").and_then(Value::as_i64).filter(|s| *s != i64::from(i32::MAX));
        let deadline = deadline_secs.is_some();
        // checkPausedConditions: Progressing is Unknown while paused, and says so once resumed
        // (a reported time-out is left alone).
        if deadline {
            let reason = status.condition(PROGRESSING).map(|c| c.reason);
            let flip = match (paused, reason == Some("DeploymentPaused")) {
                _ if reason == Some(TIMED_OUT) => None,
                (true, false) => Some(("DeploymentPaused", "Deployment is paused")),
                (false, true) => Some(("DeploymentResumed", "Deployment is resumed")),
                _ => None,
            };
            if let Some((reason, message)) = flip {
                status.set_condition(WorkloadCond { kind: PROGRESSING, status: "Unknown", reason, message: message.into(), updated: self.now, transitioned: self.now });
            }
        }
        let mut olds: Vec<Rc<Workload>> = owned.iter().filter(|r| r.meta.name.as_ref() != rs_name).cloned().collect();
        // Oldest first, as the controller scales old ReplicaSets down.
        crate::sort::sort_by(&mut olds, |a, b| (a.meta.created, &a.meta.name).cmp(&(b.meta.created, &b.meta.name)));
        let old_total: i64 = olds.iter().map(|r| r.replicas).sum();
        // oldPodsRunning: any old pod not yet Failed or Succeeded, terminating ones included.
        let old_pods_left = old_total > 0 || olds.iter().any(|r| self.owned_pods(&r.meta.namespace, &r.meta.uid).iter().any(|p| !p.status.phase.terminal()));
        let new_rs = match existing {
            Some(r) if paused || scaling => Some(self.refresh_new_replicaset(&d, r, &rollout)),
            None if paused || scaling => None,
            Some(r) => {
                let r = self.refresh_new_replicaset(&d, r, &rollout);
                if deadline && status.condition(PROGRESSING).is_none() {
                    status.set_condition(self.deployment_cond(PROGRESSING, true, "FoundNewReplicaSet", format!("Found new replica set \"{}\"", r.meta.name)));
                }
                Some(r)
            }
            // Recreate makes the new ReplicaSet only once the old pods are gone.
            None if recreate && old_pods_left => None,
            None => {
                // NewRSNewReplicas: as many as the surge allows (all of them for Recreate).
                let initial = if recreate { desired } else { (desired + max_surge - old_total).clamp(0, desired) };
                let r = self.create_replicaset(&d, &rollout, &rs_name, &hash, tmpl_json, initial);
                if deadline {
                    status.set_condition(self.deployment_cond(PROGRESSING, true, "NewReplicaSetCreated", format!("Created new replica set \"{}\"", r.meta.name)));
                }
                Some(r)
            }
        };
        let mut scaled_up = false;
        if paused || scaling {
            self.scale_all(&d, new_rs.as_ref(), &olds, &rollout, recreate);
        } else if let Some(n) = &new_rs {
            let target = if recreate {
                if old_pods_left { n.replicas } else { desired }
            } else if olds.is_empty() {
                desired
            } else {
                // NewRSNewReplicas: up to desired + maxSurge pods in all; down to desired.
                let room = desired + max_surge - (old_total + n.replicas);
                if room > 0 || n.replicas > desired { (n.replicas + room.max(0)).min(desired) } else { n.replicas }
            };
            if target != n.replicas || (n.replicas > 0 && replicas_stale(n, &rollout)) {
                self.scale_rs(&d, n, target, &rollout);
            }
            scaled_up = target > n.replicas;
        }
        // A rolling step that scaled the new ReplicaSet up leaves the old ones to the next sync
        // (rolloutRolling returns after a scale-up).
        let cuts = match &new_rs {
            // `scale_all` has sized them.
            _ if paused || scaling => Vec::new(),
            _ if recreate => olds.iter().map(|r| r.replicas).collect(),
            Some(n) if !scaled_up => rolling_cuts(&olds, n.status.available, desired - max_unavailable),
            _ => vec![0; olds.len()],
        };
        for (r, cut) in olds.iter().zip(cuts) {
            if r.replicas > 0 && (cut > 0 || replicas_stale(r, &rollout)) {
                self.scale_rs(&d, r, r.replicas - cut, &rollout);
            }
        }
        // calculateStatus, then (outside a scaling event) syncRolloutStatus.
        let all = self.owned_replicasets(&d);
        let sum = |f: fn(&Workload) -> i64| all.iter().map(|r| f(r)).sum::<i64>();
        status.observed_generation = d.meta.generation;
        status.replicas = sum(|r| r.status.replicas);
        status.ready = sum(|r| r.status.ready);
        status.available = sum(|r| r.status.available);
        status.updated = new_rs.as_ref().and_then(|n| all.iter().find(|r| r.meta.uid == n.meta.uid)).map_or(0, |r| r.status.replicas);
        status.unavailable = (sum(|r| r.replicas) - status.available).max(0);
        let cond = if status.available >= desired - max_unavailable {
            self.deployment_cond(AVAILABLE, true, "MinimumReplicasAvailable", "Deployment has minimum availability.".into())
        } else {
            self.deployment_cond(AVAILABLE, false, "MinimumReplicasUnavailable", "Deployment does not have minimum availability.".into())
        };
        status.set_condition(cond);
        if !scaling && !paused {
            self.rollout_progress(&d, new_rs.as_ref().map(|n| &*n.meta.name), deadline_secs, &mut status);
        }
        // The "Why?" of the two states a rollout can rest in without a controller acting.
        let owner = Str::from(format!("{}/{}", d.meta.namespace, d.meta.name));
        // Paused, the new template has a ReplicaSet only if it had one before the pause.
        if paused && new_rs.is_none() {
            self.waiting(&owner, &[T(&d.meta.name), T(" is paused: its changed pod template waits for kubectl rollout resume")]);
        }
        let timed_out = |s: &WorkloadStatus| s.condition(PROGRESSING).is_some_and(|c| c.reason == TIMED_OUT);
        if timed_out(&status) && !timed_out(&d.status) {
            let secs = deadline_secs.unwrap_or(0).to_string();
            self.waiting(&owner, &[T(&d.meta.name), T(": no progress for "), T(&secs), T(" s (progressDeadlineSeconds), so Progressing is False with ProgressDeadlineExceeded; the rollout goes on if it can")]);
        }
        let revision = new_rs.as_ref().map(|n| revision_of(n).to_string());
        let revision_stale = revision.as_ref().is_some_and(|r| d.meta.annotations.get(REVISION).map(|v| &**v) != Some(r.as_str()));
        let stored = if d.status != status || revision_stale {
            let mut nd = (*d).clone();
            nd.status = status;
            if let Some(r) = revision {
                nd.meta.annotations.insert(REVISION, r);
            }
            self.put(nd)
        } else {
            d
        };
        // Upstream's status write comes back as an update that syncs again and finds nothing
        // new; that sync is where a stalled rollout is requeued, so it is done here at once.
        if let (Some(secs), false) = (deadline_secs, scaling || paused) {
            self.requeue_stuck(&stored, secs);
        }
    }

    /// `requeueStuckDeployment`: a stalled rollout is looked at again when its progress
    /// deadline has passed, unless it is complete or has already timed out.
    fn requeue_stuck(&mut self, d: &Workload, deadline_secs: i64) {
        let Some(cond) = d.status.condition(PROGRESSING) else { return };
        if complete(d, &d.status) || cond.reason == TIMED_OUT {
            return;
        }
        // Always a second past the deadline: upstream requeues a check due within the second
        // at once, rate-limited, which here would spin at one instant.
        let due = cond.updated.0.saturating_add(deadline_secs.max(0) as u64 * 1000);
        self.after(due.saturating_sub(self.now.0) + 1000, Action::ProgressCheck(d.meta.key()));
    }

    fn deployment_cond(&self, kind: &'static str, status: bool, reason: &'static str, message: String) -> WorkloadCond {
        WorkloadCond { kind, status: if status { "True" } else { "False" }, reason, message, updated: self.now, transitioned: self.now }
    }

    /// progress.go's `syncRolloutStatus` (without the deadline's time-out): the Progressing
    /// condition says the new ReplicaSet is progressing while counts move, and that it has
    /// successfully progressed once every desired pod is updated and available.
    fn rollout_progress(&self, d: &Workload, new_rs: Option<&str>, deadline_secs: Option<i64>, status: &mut WorkloadStatus) {
        let Some(deadline_secs) = deadline_secs else {
            status.conditions.retain(|c| c.kind != PROGRESSING);
            return;
        };
        let subject = match new_rs {
            Some(name) => format!("ReplicaSet \"{name}\""),
            None => format!("Deployment \"{}\"", d.meta.name),
        };
        let current = status.condition(PROGRESSING).cloned();
        if status.replicas == status.updated && current.as_ref().is_some_and(|c| c.reason == "NewReplicaSetAvailable") {
            return;
        }
        let old = &d.status;
        if complete(d, status) {
            status.set_condition(self.deployment_cond(PROGRESSING, true, "NewReplicaSetAvailable", format!("{subject} has successfully progressed.")));
        } else if status.updated > old.updated || status.replicas - status.updated < old.replicas - old.updated || status.ready > old.ready || status.available > old.available {
            let mut c = self.deployment_cond(PROGRESSING, true, "ReplicaSetUpdated", format!("{subject} is progressing."));
            // Progress renews the update time even with the same reason; a true condition
            // keeps when it became true.
            if let Some(cur) = current {
                if cur.status == "True" {
                    c.transitioned = cur.transitioned;
                }
                status.conditions.retain(|o| o.kind != PROGRESSING);
            }
            status.set_condition(c);
        } else if let Some(cur) = current.filter(|c| c.reason != "NewReplicaSetAvailable") {
            // DeploymentTimedOut: no progress reported within the deadline.
            if cur.reason == TIMED_OUT || cur.updated.0.saturating_add(deadline_secs.max(0) as u64 * 1000) < self.now.0 {
                status.set_condition(self.deployment_cond(PROGRESSING, false, TIMED_OUT, format!("{subject} has timed out progressing.")));
            }
        }
    }

    /// sync.go's `scale`, for a scaling event or a paused Deployment: the one active (or else
    /// the newest) ReplicaSet takes every replica; with a saturated new ReplicaSet the old ones
    /// go to zero; otherwise a rolling Deployment's ReplicaSets share the change in proportion
    /// to their size (`GetProportion`), leftovers to the first in line.
    fn scale_all(&mut self, d: &Workload, new_rs: Option<&Rc<Workload>>, olds: &[Rc<Workload>], rollout: &Rollout, recreate: bool) {
        let desired = d.replicas;
        let active: Vec<&Rc<Workload>> = new_rs.into_iter().chain(olds).filter(|r| r.replicas > 0).collect();
        // FindActiveOrLatest (`olds` are oldest first).
        let active_or_latest = match active.as_slice() {
            [] => new_rs.or(olds.last()),
            [one] => Some(*one),
            _ => None,
        };
        if let Some(r) = active_or_latest.cloned() {
            if r.replicas != desired {
                self.scale_rs(d, &r, desired, rollout);
            }
            return;
        }
        // IsSaturated.
        if new_rs.is_some_and(|n| n.replicas == desired && desired_annotation(n) == Some(desired) && n.status.available == desired) {
            for o in olds.iter().filter(|r| r.replicas > 0) {
                self.scale_rs(d, o, 0, rollout);
            }
            return;
        }
        if recreate {
            return;
        }
        let mut all: Vec<Rc<Workload>> = active.into_iter().cloned().collect();
        let allowed = if desired > 0 { rollout.max_replicas } else { 0 };
        let to_add = allowed - all.iter().map(|r| r.replicas).sum::<i64>();
        // ReplicaSetsBySizeNewer to grow, BySizeOlder to shrink: the largest first.
        let older = |a: &Rc<Workload>, b: &Rc<Workload>| (a.meta.created, &a.meta.name).cmp(&(b.meta.created, &b.meta.name));
        if to_add > 0 {
            crate::sort::sort_by(&mut all, |a, b| b.replicas.cmp(&a.replicas).then_with(|| older(b, a)));
        } else if to_add < 0 {
            crate::sort::sort_by(&mut all, |a, b| b.replicas.cmp(&a.replicas).then_with(|| older(a, b)));
        }
        let mut added = 0;
        let mut sizes: Vec<i64> = Vec::with_capacity(all.len());
        for r in &all {
            let proportion = if to_add == 0 || to_add == added || r.replicas == 0 {
                0
            } else {
                // getReplicaSetFraction: this ReplicaSet's share of the new maximum, by the
                // maximum it was last sized for.
                let fraction = if desired == 0 {
                    -r.replicas
                } else {
                    let before = r.meta.annotations.get(MAX_REPLICAS).and_then(|v| v.parse::<i64>().ok()).filter(|m| *m != 0).unwrap_or(d.status.replicas);
                    if before == 0 { 0 } else { ((r.replicas * rollout.max_replicas) as f64 / before as f64).round() as i64 - r.replicas }
                };
                let room = to_add - added;
                if to_add > 0 { fraction.min(room) } else { fraction.max(room) }
            };
            added += proportion;
            sizes.push(r.replicas + proportion);
        }
        if let Some(first) = sizes.first_mut() {
            if to_add != 0 {
                *first = (*first + to_add - added).max(0);
            }
        }
        for (r, size) in all.iter().zip(sizes) {
            if size != r.replicas || replicas_stale(r, rollout) {
                self.scale_rs(d, r, size, rollout);
            }
        }
    }

    /// Scales a ReplicaSet and records its replica annotations (`scaleReplicaSet`); an event
    /// only when the count changes.
    fn scale_rs(&mut self, d: &Workload, rs: &Workload, to: i64, rollout: &Rollout) {
        let mut n = rs.clone();
        let from = n.replicas;
        set_replica_annotations(&mut n.meta, rollout);
        if to != from {
            n.replicas = to;
            let mut spec = (*n.spec_json).clone();
            if let Some(s) = spec.as_object_mut() {
                s.insert("replicas".into(), json!(to));
            }
            n.spec_json = Rc::new(spec);
            n.meta.generation += 1;
        }
        let rc = self.put(n);
        if to == from {
            return;
        }
        let verb = if to > from { "up" } else { "down" };
        self.event(Kind::Deployment, &d.meta, false, "ScalingReplicaSet", format!("Scaled {} replica set {} from {} to {}", verb, rc.meta.name, from, to), "deployment-controller", None);
        self.decide(format!("{}/{}", d.meta.namespace, d.meta.name).into(), format!("replica set {} scaled {} from {} to {}", rc.meta.name, verb, from, to));
        self.enqueue(Work::SyncWorkload(Kind::ReplicaSet, rc.meta.key()));
    }
}

const AVAILABLE: &str = "Available";
const PROGRESSING: &str = "Progressing";
const TIMED_OUT: &str = "ProgressDeadlineExceeded";
const REVISION: &str = "deployment.kubernetes.io/revision";
const REVISION_HISTORY: &str = "deployment.kubernetes.io/revision-history";
const DESIRED_REPLICAS: &str = "deployment.kubernetes.io/desired-replicas";
const MAX_REPLICAS: &str = "deployment.kubernetes.io/max-replicas";
/// Annotations the Deployment controller owns (`annotationsToSkip`): never copied from a
/// Deployment to its ReplicaSets, and left as they are on the Deployment by a rollback.
pub const CONTROLLER_ANNOTATIONS: [&str; 5] = ["kubectl.kubernetes.io/last-applied-configuration", REVISION, REVISION_HISTORY, DESIRED_REPLICAS, MAX_REPLICAS];

/// `DeploymentComplete`: every desired pod updated and available, nothing old left, and the
/// latest spec observed.
fn complete(d: &Workload, status: &WorkloadStatus) -> bool {
    let want = d.replicas;
    status.updated == want && status.replicas == want && status.available == want && status.observed_generation >= d.meta.generation
}

/// How many pods each old ReplicaSet (oldest first) gives up in one rolling step
/// (`reconcileOldReplicaSets`). Never so many that fewer than `min_available` pods stay
/// available, counting the new ReplicaSet's pods that are not available yet as lost: pods that
/// are not available go first (`cleanupUnhealthyReplicas`), then available ones down to the
/// minimum (`scaleDownOldReplicaSetsForRollingUpdate`).
fn rolling_cuts(olds: &[Rc<Workload>], new_available: i64, min_available: i64) -> Vec<i64> {
    let mut cuts = vec![0; olds.len()];
    let old_pods: i64 = olds.iter().map(|r| r.replicas).sum();
    // allPodsCount - minAvailable - newRSUnavailablePodCount, where the new ReplicaSet's
    // desired pods cancel out: only its available ones count.
    let max_scaled_down = old_pods + new_available - min_available;
    if old_pods == 0 || max_scaled_down <= 0 {
        return cuts;
    }
    let mut cleaned = 0;
    for (cut, r) in cuts.iter_mut().zip(olds) {
        let c = (r.replicas - r.status.available).clamp(0, max_scaled_down - cleaned);
        *cut = c;
        cleaned += c;
    }
    let available = olds.iter().map(|r| r.status.available).sum::<i64>() + new_available;
    let mut surplus = available - min_available;
    for (cut, r) in cuts.iter_mut().zip(olds) {
        let c = (r.replicas - *cut).min(surplus.max(0));
        *cut += c;
        surplus -= c;
    }
    cuts
}

/// What one sync of a Deployment wants of its ReplicaSets' annotations.
struct Rollout {
    /// The revision a new ReplicaSet gets: one more than the old ones'.
    revision: i64,
    desired: i64,
    /// `desired + maxSurge`.
    max_replicas: i64,
}

fn revision_of(rs: &Workload) -> i64 {
    rs.meta.annotations.get(REVISION).and_then(|v| v.parse().ok()).unwrap_or(0)
}

fn desired_annotation(rs: &Workload) -> Option<i64> {
    rs.meta.annotations.get(DESIRED_REPLICAS).and_then(|v| v.parse().ok())
}

fn replicas_stale(rs: &Workload, rollout: &Rollout) -> bool {
    desired_annotation(rs) != Some(rollout.desired) || rs.meta.annotations.get(MAX_REPLICAS).and_then(|v| v.parse().ok()) != Some(rollout.max_replicas)
}

fn set_replica_annotations(meta: &mut Meta, rollout: &Rollout) {
    meta.annotations.insert(DESIRED_REPLICAS, rollout.desired.to_string());
    meta.annotations.insert(MAX_REPLICAS, rollout.max_replicas.to_string());
}

/// The Deployment's own annotations a ReplicaSet carries (a change-cause, say).
fn copied_annotations(d: &Workload) -> StrMap {
    let mut m = StrMap::default();
    for (k, v) in d.meta.annotations.iter() {
        if !CONTROLLER_ANNOTATIONS.contains(&&**k) {
            m.insert(k.clone(), v.clone());
        }
    }
    m
}

impl PodTemplate {
    pub fn clone_template(&self) -> PodTemplate {
        PodTemplate { labels: self.labels.clone(), annotations: self.annotations.clone(), spec: self.spec.clone(), containers: self.containers.clone(), grace_seconds: self.grace_seconds, pvc_volumes: self.pvc_volumes.clone() }
    }
}

//! Deployment and ReplicaSet, for the comparison with StatefulSets: pods named
//! `<deployment>-<pod-template-hash>-<5 random characters>`, created and deleted all at once,
//! no stable identity, no per-pod DNS name, and (if the template mounts one) one shared claim.
//! Rolling updates use maxSurge/maxUnavailable (defaults 25 %) across ReplicaSets.

use super::cluster::{Engine, Work};
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
            if diff > 0 {
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
        let ready = pods.iter().filter(|p| p.running_and_ready() && !p.terminating()).count() as i64;
        let status = WorkloadStatus { observed_generation: rs.meta.generation, replicas: active.len() as i64, ready, available: ready, updated: 0 };
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
    /// carrying `pod-template-hash`), with its ScalingReplicaSet event.
    fn create_replicaset(&mut self, d: &Workload, rs_name: &str, hash: &str, tmpl_json: Value, initial: i64) -> Rc<Workload> {
        let ns = d.meta.namespace.clone();
        let mut meta = self.new_meta(&ns, rs_name);
        meta.labels = d.tmpl.labels.clone();
        meta.labels.insert("pod-template-hash".into(), hash.to_string());
        meta.owners.push(OwnerRef::controller_of(Kind::Deployment, &d.meta.name, &d.meta.uid));
        meta.generation = 1;
        let mut t = (*d.tmpl).clone_template();
        t.labels.insert("pod-template-hash".into(), hash.to_string());
        let mut sel = d.selector.clone();
        sel.match_labels.insert("pod-template-hash".into(), hash.to_string());
        let mut spec = json!({"replicas": initial, "selector": {"matchLabels": sel.match_labels}, "template": tmpl_json});
        if let Some(l) = spec.pointer_mut("/template/metadata/labels").and_then(Value::as_object_mut) {
            l.insert("pod-template-hash".into(), json!(hash));
        }
        let w = Workload { kind: Kind::ReplicaSet, meta, spec_json: Rc::new(spec), replicas: initial, selector: sel, tmpl: Rc::new(t), status: WorkloadStatus::default() };
        let rc = self.put(w);
        self.event(Kind::Deployment, &d.meta, false, "ScalingReplicaSet", format!("Scaled up replica set {} from 0 to {}", rs_name, initial), "deployment-controller", None);
        self.enqueue(Work::SyncWorkload(Kind::ReplicaSet, rc.meta.key()));
        rc
    }

    fn sync_deployment(&mut self, k: &Key) {
        let Some(d) = self.store.deployments.get(k).cloned() else { return };
        if d.meta.deletion.is_some() {
            return;
        }
        let owner = format!("{}/{}", d.meta.namespace, d.meta.name);
        let tmpl_json = d.spec_json.get("template").cloned().unwrap_or_else(|| json!({}));
        let hash = utils::safe_encode(&utils::fnv1a_32(tmpl_json.to_string().as_bytes()).to_string());
        let rs_name = format!("{}-{}", d.meta.name, hash);
        let owned = self.owned_replicasets(&d);
        let desired = d.replicas;
        let strategy = d.spec_json.get("strategy");
        let recreate = strategy.and_then(|s| s.get("type")).and_then(Value::as_str) == Some("Recreate");
        let ru = strategy.and_then(|s| s.get("rollingUpdate"));
        let max_surge = percent_or_int(ru.and_then(|r| r.get("maxSurge")), desired, true, 25);
        let max_unavailable = percent_or_int(ru.and_then(|r| r.get("maxUnavailable")), desired, false, 25);
        let new_rs = owned.iter().find(|r| r.meta.name.as_ref() == rs_name).cloned();
        let new_rs = match new_rs {
            Some(r) => r,
            None => {
                let initial = if owned.is_empty() { desired } else { 0 };
                self.create_replicaset(&d, &rs_name, &hash, tmpl_json, initial)
            }
        };
        let olds: Vec<Rc<Workload>> = owned.iter().filter(|r| r.meta.uid != new_rs.meta.uid).cloned().collect();
        let old_total: i64 = olds.iter().map(|r| r.replicas).sum();
        let old_ready: i64 = olds.iter().map(|r| r.status.ready).sum();
        let mut target_new = new_rs.replicas;
        if recreate {
            if old_total == 0 && olds.iter().all(|r| r.status.replicas == 0) {
                target_new = desired;
            }
        } else {
            let allowed = desired + max_surge - (old_total + new_rs.replicas);
            if allowed > 0 || new_rs.replicas > desired {
                target_new = (new_rs.replicas + allowed.max(0)).min(desired);
            }
            if olds.is_empty() {
                target_new = desired;
            }
        }
        if target_new != new_rs.replicas {
            self.scale_rs(&d, &new_rs, target_new);
        }
        // Scale old ReplicaSets down as far as availability allows.
        let min_available = desired - max_unavailable;
        let available = old_ready + new_rs.status.ready;
        let mut can_remove = if recreate { old_total } else { (available - min_available).max(0) };
        for r in olds {
            if can_remove <= 0 || r.replicas == 0 {
                continue;
            }
            let cut = r.replicas.min(can_remove);
            can_remove -= cut;
            self.scale_rs(&d, &r, r.replicas - cut);
        }
        let all = self.owned_replicasets(&d);
        let status = WorkloadStatus {
            observed_generation: d.meta.generation,
            replicas: all.iter().map(|r| r.status.replicas).sum(),
            ready: all.iter().map(|r| r.status.ready).sum(),
            available: all.iter().map(|r| r.status.available).sum(),
            updated: self.store.replicasets.get(&new_rs.meta.key()).map(|r| r.status.replicas).unwrap_or(0),
        };
        if d.status != status {
            let mut nd = (*d).clone();
            nd.status = status;
            self.put(nd);
        }
        let _ = owner;
    }

    fn scale_rs(&mut self, d: &Workload, rs: &Workload, to: i64) {
        let mut n = rs.clone();
        let from = n.replicas;
        n.replicas = to;
        let mut spec = (*n.spec_json).clone();
        if let Some(s) = spec.as_object_mut() {
            s.insert("replicas".into(), json!(to));
        }
        n.spec_json = Rc::new(spec);
        n.meta.generation += 1;
        let rc = self.put(n);
        let verb = if to > from { "up" } else { "down" };
        self.event(Kind::Deployment, &d.meta, false, "ScalingReplicaSet", format!("Scaled {} replica set {} from {} to {}", verb, rc.meta.name, from, to), "deployment-controller", None);
        self.decide(format!("{}/{}", d.meta.namespace, d.meta.name).into(), format!("replica set {} scaled {} from {} to {}", rc.meta.name, verb, from, to));
        self.enqueue(Work::SyncWorkload(Kind::ReplicaSet, rc.meta.key()));
    }
}

impl PodTemplate {
    pub fn clone_template(&self) -> PodTemplate {
        PodTemplate { labels: self.labels.clone(), annotations: self.annotations.clone(), spec: self.spec.clone(), containers: self.containers.clone(), grace_seconds: self.grace_seconds, pvc_volumes: self.pvc_volumes.clone() }
    }
}

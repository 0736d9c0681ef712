//! The garbage collector (spec §5.6): owner references decide what goes when an owner goes.
//! Background deletes the owner at once and its dependents afterwards (concurrently);
//! foreground keeps the owner, with a `foregroundDeletion` finalizer, until the blocking
//! dependents are gone; orphan strips the owner refs and deletes only the owner.

use super::cluster::{Engine, Work};
use super::meta::*;
use super::objects::*;
use super::*;
use serde_json::Value;

impl Engine {
    /// Objects with an owner reference to `uid` (pods, claims, revisions, ReplicaSets).
    pub(super) fn dependents_of(&self, uid: &Str) -> Vec<(Kind, Key)> {
        let has = |m: &Meta| m.owners.iter().any(|o| o.uid == *uid);
        let mut out = Vec::new();
        out.extend(self.store.pods.sorted_where(|o| has(&o.meta)).into_iter().map(|o| (Kind::Pod, o.meta.key())));
        out.extend(self.store.pvcs.sorted_where(|o| has(&o.meta)).into_iter().map(|o| (Kind::PersistentVolumeClaim, o.meta.key())));
        out.extend(self.store.revisions.iter().filter(|(_, o)| has(&o.meta)).map(|(k, _)| (Kind::ControllerRevision, k.clone())));
        out.extend(self.store.replicasets.iter().filter(|(_, o)| has(&o.meta)).map(|(k, _)| (Kind::ReplicaSet, k.clone())));
        out
    }

    fn owner_state(&self, ns: &Str, o: &OwnerRef) -> Option<Option<Time>> {
        let k = Key::new(ns.clone(), o.name.clone());
        let meta = match &*o.kind {
            "StatefulSet" => self.store.sets.get(&k).map(|x| x.meta.clone()),
            "Pod" => self.store.pods.get(&k).map(|x| x.meta.clone()),
            "ReplicaSet" => self.store.replicasets.get(&k).map(|x| x.meta.clone()),
            "Deployment" => self.store.deployments.get(&k).map(|x| x.meta.clone()),
            _ => return Some(None), // unknown owner kinds are assumed to exist
        }?;
        if meta.uid != o.uid {
            return None;
        }
        Some(meta.deletion.filter(|_| meta.finalizers.iter().any(|f| f == "foregroundDeletion")))
    }

    fn meta_of(&self, kind: Kind, k: &Key) -> Option<Meta> {
        Some(match kind {
            Kind::Pod => self.store.pods.get(k)?.meta.clone(),
            Kind::PersistentVolumeClaim => self.store.pvcs.get(k)?.meta.clone(),
            Kind::ControllerRevision => self.store.revisions.get(k)?.meta.clone(),
            Kind::ReplicaSet => self.store.replicasets.get(k)?.meta.clone(),
            Kind::StatefulSet => self.store.sets.get(k)?.meta.clone(),
            Kind::Deployment => self.store.deployments.get(k)?.meta.clone(),
            _ => return None,
        })
    }

    /// Re-checks one object: finish a foreground deletion, or collect a dependent whose
    /// owners are gone (or being deleted in the foreground).
    pub(super) fn gc_check(&mut self, kind: Kind, k: &Key) {
        let Some(meta) = self.meta_of(kind, k) else { return };
        if meta.deletion.is_some() && meta.finalizers.iter().any(|f| f == "foregroundDeletion") {
            let blocking = self.dependents_of(&meta.uid).into_iter().any(|(dk, dkey)| {
                self.meta_of(dk, &dkey).is_some_and(|m| m.owners.iter().any(|o| o.uid == meta.uid && o.block_owner_deletion))
            });
            if !blocking {
                self.finish_owner_removal(kind, k);
            }
            return;
        }
        if meta.owners.is_empty() {
            return;
        }
        let states: Vec<Option<Option<Time>>> = meta.owners.iter().map(|o| self.owner_state(&meta.namespace, o)).collect();
        let all_gone = states.iter().all(Option::is_none);
        let foreground = states.iter().any(|s| matches!(s, Some(Some(_))));
        if all_gone || foreground {
            self.gc_delete(kind, k);
        } else if states.iter().any(Option::is_none) {
            let keep: Vec<OwnerRef> = meta.owners.iter().zip(states.iter()).filter(|(_, s)| s.is_some()).map(|(o, _)| o.clone()).collect();
            self.set_owners(kind, k, keep);
        }
    }

    fn set_owners(&mut self, kind: Kind, k: &Key, owners: Vec<OwnerRef>) {
        let owners = Owners::from(owners);
        match kind {
            Kind::Pod => {
                if let Some(p) = self.store.pods.get(k).cloned() {
                    let mut np = (*p).clone();
                    np.meta.owners = owners;
                    self.write_pod(np);
                }
            }
            Kind::PersistentVolumeClaim => {
                if let Some(c) = self.store.pvcs.get(k).cloned() {
                    let mut nc = (*c).clone();
                    nc.meta.owners = owners;
                    self.write_claim(nc);
                }
            }
            Kind::ControllerRevision => {
                if let Some(r) = self.store.revisions.get(k).cloned() {
                    let mut nr = (*r).clone();
                    nr.meta.owners = owners;
                    self.put(nr);
                }
            }
            Kind::ReplicaSet => {
                if let Some(r) = self.store.replicasets.get(k).cloned() {
                    let mut nr = (*r).clone();
                    nr.meta.owners = owners;
                    self.put(nr);
                }
            }
            _ => {}
        }
    }

    fn gc_delete(&mut self, kind: Kind, k: &Key) {
        let opts = DeleteOptions { grace_period_seconds: None, propagation: Propagation::Background };
        match kind {
            Kind::Pod if self.store.pods.get(k).is_some_and(|p| !p.terminating()) => {
                let _ = self.delete_pod_quiet(k, opts);
            }
            Kind::PersistentVolumeClaim if self.store.pvcs.get(k).is_some_and(|c| c.meta.deletion.is_none()) => {
                let _ = self.delete_object(kind, k, opts);
            }
            Kind::ControllerRevision => {
                self.take::<Revision>(kind, k);
            }
            Kind::ReplicaSet => {
                let _ = self.delete_owner(kind, k, Propagation::Background);
            }
            _ => {}
        }
    }

    fn finish_owner_removal(&mut self, kind: Kind, k: &Key) {
        match kind {
            Kind::StatefulSet => {
                self.take::<StatefulSet>(kind, k);
            }
            Kind::Deployment | Kind::ReplicaSet => {
                self.take::<Workload>(kind, k);
            }
            _ => {}
        }
    }

    /// Deletes a StatefulSet, Deployment or ReplicaSet with a propagation policy.
    pub(super) fn delete_owner(&mut self, kind: Kind, k: &Key, propagation: Propagation) -> Result<Value, ApiError> {
        let Some(meta) = self.meta_of(kind, k) else { return Err(ApiError::not_found(kind, &k.1)) };
        let json = self.store.object(kind, k).map(|o| o.to_json()).unwrap_or(Value::Null);
        match propagation {
            Propagation::Orphan => {
                for (dk, dkey) in self.dependents_of(&meta.uid) {
                    if let Some(m) = self.meta_of(dk, &dkey) {
                        let keep = m.owners.iter().filter(|o| o.uid != meta.uid).cloned().collect();
                        self.set_owners(dk, &dkey, keep);
                    }
                }
                self.finish_owner_removal(kind, k);
                Ok(json)
            }
            Propagation::Background => {
                self.finish_owner_removal(kind, k);
                Ok(json)
            }
            Propagation::Foreground => {
                if meta.deletion.is_some() {
                    return Ok(json);
                }
                let v = match kind {
                    Kind::StatefulSet => {
                        let Some(s) = self.store.sets.get(k).cloned() else { return Ok(json) };
                        let mut ns = (*s).clone();
                        ns.meta.deletion = Some(self.now);
                        ns.meta.deletion_grace = Some(0);
                        ns.meta.finalizers.push("foregroundDeletion".into());
                        self.write_set(ns).to_json()
                    }
                    _ => {
                        let Some(w) = (match kind {
                            Kind::Deployment => self.store.deployments.get(k).cloned(),
                            _ => self.store.replicasets.get(k).cloned(),
                        }) else {
                            return Ok(json);
                        };
                        let mut nw = (*w).clone();
                        nw.meta.deletion = Some(self.now);
                        nw.meta.deletion_grace = Some(0);
                        nw.meta.finalizers.push("foregroundDeletion".into());
                        self.put(nw).to_json()
                    }
                };
                for (dk, dkey) in self.dependents_of(&meta.uid) {
                    self.enqueue(Work::Gc(dk, dkey));
                }
                self.enqueue(Work::Gc(kind, k.clone()));
                Ok(v)
            }
        }
    }
}

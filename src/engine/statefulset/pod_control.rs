//! Pod and claim writes of the StatefulSet controller and the events they record (upstream
//! `stateful_pod_control.go`, spec §4, §5.2 and §7). Events go to the StatefulSet.

use super::super::cluster::{join, Engine, Piece::T};
use super::super::meta::*;
use super::super::objects::*;
use super::super::{DeleteOptions, Kind, Propagation};
use super::utils;
use std::rc::Rc;

const COMPONENT: &str = "statefulset-controller";

impl Engine {
    fn set_event(&mut self, set: &StatefulSet, warning: bool, reason: &'static str, message: String) {
        self.event(Kind::StatefulSet, &set.meta, warning, reason, message, COMPONENT, None);
    }

    /// Consumes one injected API failure for `verb`, if any (tests of spec §10.1 6–10, 13).
    pub(in crate::engine) fn injected_failure(&mut self, verb: &'static str) -> bool {
        match self.api_faults.get_mut(verb) {
            Some(n) if *n > 0 => {
                *n -= 1;
                true
            }
            _ => false,
        }
    }

    /// `newVersionedStatefulSetPod` (spec §4.1); `name` is `utils::pod_name(set, ordinal)`.
    pub(in crate::engine) fn build_set_pod(&mut self, set: &StatefulSet, ordinal: i64, rev: &Revision, name: &str) -> Pod {
        let mut meta = self.new_meta(&set.meta.namespace, name);
        meta.generate_name = Some(Str::from(join(&[T(&set.meta.name), T("-")])));
        // The keys are interned, the hash is the revision's name and the pod name the pod's
        // own: only the index is a new string.
        meta.labels = rev.tmpl.labels.with([
            (intern("apps.kubernetes.io/pod-index"), Str::from(itoa::Buffer::new().format(ordinal))),
            (intern("controller-revision-hash"), rev.meta.name.clone()),
            (intern("statefulset.kubernetes.io/pod-name"), meta.name.clone()),
        ]);
        meta.annotations = rev.tmpl.annotations.clone();
        meta.owners = Owners::of(OwnerRef::controller_of(Kind::StatefulSet, &set.meta.name, &set.meta.uid));
        let claims = set
            .spec
            .claim_templates
            .iter()
            .map(|t| (Str::from(t.name.as_str()), Str::from(utils::claim_name(&t.name, &set.meta.name, ordinal).as_str())))
            .collect();
        let subdomain = (!set.spec.service_name.is_empty()).then(|| Str::from(set.spec.service_name.as_str()));
        // The hostname is the pod's name: share it rather than store it twice.
        let hostname = Some(meta.name.clone());
        Pod {
            meta,
            tmpl: rev.tmpl.clone(),
            node: None,
            hostname,
            subdomain,
            claims,
            images: Vec::new(),
            status: PodStatus::default(),
        }
    }

    /// Creates the missing claims of a pod (spec §4.2). Errors are worded as the pod's
    /// `FailedCreate` event embeds them.
    pub(in crate::engine) fn create_missing_claims(&mut self, set: &StatefulSet, ordinal: i64) -> Result<(), String> {
        let pod = utils::pod_name(&set.meta.name, ordinal);
        let spec = set.spec.clone();
        for t in &spec.claim_templates {
            let claim = utils::claim_name(&t.name, &set.meta.name, ordinal);
            if let Some(existing) = self.store.pvcs.named(&set.meta.namespace, &claim) {
                if existing.meta.deletion.is_some() {
                    return Err(format!("pvc {} is being deleted", claim));
                }
                continue;
            }
            if self.injected_failure("create_claim") {
                let err = format!("Internal error occurred: injected failure creating persistentvolumeclaims \"{}\"", claim);
                self.set_event(set, true, "FailedCreate", format!("create Claim {} for Pod {} in StatefulSet {} failed error: {}", claim, pod, set.meta.name, err));
                return Err(format!("failed to create PVC {}: {}", claim, err));
            }
            let mut meta = self.new_meta(&set.meta.namespace, &claim);
            meta.labels = t.labels.clone();
            for (k, v) in &set.spec.selector.match_labels {
                meta.labels.insert(k.clone(), v.clone());
            }
            meta.annotations = t.annotations.clone();
            self.create_claim(meta, t.spec.clone());
            self.set_event(set, false, "SuccessfulCreate", join(&[T("create Claim "), T(&claim), T(" Pod "), T(&pod), T(" in StatefulSet "), T(&set.meta.name), T(" success")]));
        }
        Ok(())
    }

    /// Creates claims, then the pod, then the claims' owner refs (spec §3.6 step 2b). `name` is
    /// `utils::pod_name(set, ordinal)`, which the caller has already built.
    pub(in crate::engine) fn create_set_pod(&mut self, set: &StatefulSet, ordinal: i64, rev: &Revision, name: &str) -> Result<(), String> {
        if let Err(e) = self.create_missing_claims(set, ordinal) {
            self.set_event(set, true, "FailedCreate", format!("create Pod {} in StatefulSet {} failed error: {}", name, set.meta.name, e));
            return Err(e);
        }
        if self.store.pods.has(&set.meta.namespace, name) {
            // AlreadyExists on pod create: no event, the sync fails and is retried.
            return Err(format!("pods \"{}\" already exists", name));
        }
        let invalid = if rev.meta.name.len() > 63 {
            Some(format!("Pod \"{}\" is invalid: metadata.labels: Invalid value: \"{}\": must be no more than 63 characters", name, rev.meta.name))
        } else if name.len() > 63 {
            Some(format!("Pod \"{}\" is invalid: metadata.name: Invalid value: \"{}\": must be no more than 63 characters", name, name))
        } else if rev.tmpl.containers.is_empty() {
            Some(format!("Pod \"{}\" is invalid: spec.containers: Required value", name))
        } else if let Some(i) = rev.tmpl.containers.iter().position(|c| c.image.is_empty()) {
            Some(format!("Pod \"{}\" is invalid: spec.containers[{}].image: Required value", name, i))
        } else if let Some(refusal) = self.missing_service_account(&set.meta.namespace, name, &rev.tmpl.spec) {
            Some(refusal)
        } else if self.injected_failure("create_pod") {
            Some(format!("Internal error occurred: injected failure creating pods \"{}\"", name))
        } else {
            None
        };
        if let Some(err) = invalid {
            self.set_event(set, true, "FailedCreate", format!("create Pod {} in StatefulSet {} failed error: {}", name, set.meta.name, err));
            return Err(err);
        }
        let pod = self.build_set_pod(set, ordinal, rev, name);
        self.create_pod_object(pod);
        self.set_event(set, false, "SuccessfulCreate", join(&[T("create Pod "), T(name), T(" in StatefulSet "), T(&set.meta.name), T(" successful")]));
        let condemned = !self.in_range(set, ordinal);
        self.update_claim_refs(set, ordinal, condemned)?;
        if let Some(idx) = self.set_index.get_mut(&set.meta.uid) {
            idx.claims_unverified.remove(ordinal);
        }
        Ok(())
    }

    pub(in crate::engine) fn in_range(&self, set: &StatefulSet, ordinal: i64) -> bool {
        let replicas = set.spec.replicas.min(super::super::cluster::MAX_SIMULATED_REPLICAS);
        ordinal >= set.spec.start && ordinal < set.spec.start.saturating_add(replicas)
    }

    /// Deletes a member pod gracefully (scale-down, update, failed pod).
    pub(in crate::engine) fn delete_set_pod(&mut self, set: &StatefulSet, pod_name: &str) -> Result<(), String> {
        if self.injected_failure("delete_pod") {
            let err = format!("Internal error occurred: injected failure deleting pods \"{}\"", pod_name);
            self.set_event(set, true, "FailedDelete", format!("delete Pod {} in StatefulSet {} failed error: {}", pod_name, set.meta.name, err));
            return Err(err);
        }
        let k = Key::new(set.meta.namespace.clone(), Str::from(pod_name));
        match self.delete_pod_quiet(&k, DeleteOptions { grace_period_seconds: None, propagation: Propagation::Background }) {
            Ok(_) => {
                self.set_event(set, false, "SuccessfulDelete", join(&[T("delete Pod "), T(pod_name), T(" in StatefulSet "), T(&set.meta.name), T(" successful")]));
                Ok(())
            }
            Err(e) => {
                self.set_event(set, true, "FailedDelete", format!("delete Pod {} in StatefulSet {} failed error: {}", pod_name, set.meta.name, e.message));
                Err(e.message)
            }
        }
    }

    /// Repairs identity (labels) and storage (missing claims) in place and fixes claim refs
    /// (spec §4.5). Returns whether an update was made.
    pub(in crate::engine) fn repair_set_pod(&mut self, set: &StatefulSet, ordinal: i64) -> Result<bool, String> {
        let name = utils::pod_name(&set.meta.name, ordinal);
        let Some(idx) = self.set_index.get(&set.meta.uid) else { return Ok(false) };
        let Some(member) = idx.members.get(ordinal) else { return Ok(false) };
        let pod = member.pod.clone();
        let identity_ok = utils::identity_matches(&set.meta.name, &set.meta.namespace, &pod);
        let storage_ok = utils::storage_matches(&set.meta.name, &set.spec, &pod);
        let mut attempted = false;
        if !storage_ok {
            self.create_missing_claims(set, ordinal)?;
        }
        let claims_changed = self.update_claim_refs(set, ordinal, false)?;
        if let Some(idx) = self.set_index.get_mut(&set.meta.uid) {
            idx.claims_unverified.remove(ordinal);
        }
        if !identity_ok || !storage_ok || claims_changed {
            attempted = true;
            if self.injected_failure("update_pod") {
                let err = format!("Internal error occurred: injected failure updating pods \"{}\"", pod.meta.name);
                self.set_event(set, true, "FailedUpdate", format!("update Pod {} in StatefulSet {} failed error: {}", pod.meta.name, set.meta.name, err));
                return Err(err);
            }
            if !storage_ok {
                // The volume list of an existing pod is immutable.
                let err = format!("Pod \"{}\" is invalid: spec: Forbidden: pod updates may not change fields other than `spec.containers[*].image`,`spec.initContainers[*].image`,`spec.activeDeadlineSeconds`,`spec.tolerations` (only additions to existing tolerations),`spec.terminationGracePeriodSeconds` (allow it to be set to 1 if it was previously negative)", pod.meta.name);
                self.set_event(set, true, "FailedUpdate", format!("update Pod {} in StatefulSet {} failed error: {}", pod.meta.name, set.meta.name, err));
                return Err(err);
            }
            let mut p = (*pod).clone();
            if !identity_ok {
                p.meta.labels.insert("statefulset.kubernetes.io/pod-name", name.clone());
                p.meta.labels.insert("apps.kubernetes.io/pod-index", ordinal.to_string());
            }
            self.write_pod(p);
            self.set_event(set, false, "SuccessfulUpdate", format!("update Pod {} in StatefulSet {} successful", pod.meta.name, set.meta.name));
        }
        Ok(attempted)
    }

    /// Makes the claims of `ordinal` carry the owner refs of spec §5.2. Returns whether any
    /// claim was updated.
    pub(in crate::engine) fn update_claim_refs(&mut self, set: &StatefulSet, ordinal: i64, condemned: bool) -> Result<bool, String> {
        let (want_set, want_pod) = utils::wanted_claim_refs(&set.spec, condemned);
        // The pod, looked up only for a claim that has or needs owner refs.
        let mut pod_ref: Option<(String, Option<Str>)> = None;
        let mut changed = false;
        for t in &set.spec.claim_templates {
            let claim = utils::claim_name(&t.name, &set.meta.name, ordinal);
            let Some(c) = self.store.pvcs.named(&set.meta.namespace, &claim).cloned() else { continue };
            if c.meta.owners.is_empty() && !want_set && !want_pod {
                continue; // nothing to remove, nothing to add
            }
            let (pod_name, pod_uid) = pod_ref
                .get_or_insert_with(|| {
                    let pod_name = utils::pod_name(&set.meta.name, ordinal);
                    let uid = self.store.pods.named(&set.meta.namespace, &pod_name).map(|p| p.meta.uid.clone());
                    (pod_name, uid)
                })
                .clone();
            // Stale refs (same kind and name, other uid): an earlier incarnation's; leave alone.
            let stale = c.meta.owners.iter().any(|o| {
                (&*o.kind == "StatefulSet" && o.name == set.meta.name && o.uid != set.meta.uid)
                    || (&*o.kind == "Pod" && *o.name == *pod_name && pod_uid.as_ref().is_some_and(|u| *u != o.uid))
            });
            if stale {
                continue;
            }
            let mine = |o: &OwnerRef| o.uid == set.meta.uid || pod_uid.as_ref().is_some_and(|u| *u == o.uid);
            let foreign_controller = c.meta.owners.iter().any(|o| o.controller && !mine(o));
            let mut owners: Vec<OwnerRef> = c.meta.owners.iter().filter(|o| !mine(o)).cloned().collect();
            if foreign_controller {
                if want_set || want_pod {
                    self.set_event(
                        set,
                        true,
                        "ConflictingController",
                        format!("PersistentVolumeClaim {} has a conflicting OwnerReference that acts as a manging controller, the retention policy is ignored for this claim", claim),
                    );
                }
            } else {
                if want_set {
                    owners.push(OwnerRef::controller_of(Kind::StatefulSet, &set.meta.name, &set.meta.uid));
                }
                if want_pod {
                    if let Some(u) = &pod_uid {
                        owners.push(OwnerRef::controller_of(Kind::Pod, &Str::from(pod_name.as_str()), u));
                    }
                }
            }
            if c.meta.owners != owners {
                let mut nc = (*c).clone();
                nc.meta.owners = owners.into();
                self.write_claim(nc);
                changed = true;
            }
        }
        Ok(changed)
    }

    /// Whether a claim of this not-yet-created pod still carries a pod ref of an earlier
    /// incarnation (`PodClaimIsStale`, whenScaled=Delete).
    pub(in crate::engine) fn stale_claim(&self, set: &StatefulSet, ordinal: i64) -> Option<String> {
        if !set.spec.when_scaled_delete {
            return None;
        }
        let pod_name = utils::pod_name(&set.meta.name, ordinal);
        set.spec.claim_templates.iter().find_map(|t| {
            let claim = utils::claim_name(&t.name, &set.meta.name, ordinal);
            let c = self.store.pvcs.named(&set.meta.namespace, &claim)?;
            c.meta.owners.iter().any(|o| &*o.kind == "Pod" && *o.name == *pod_name).then_some(claim)
        })
    }

    pub(in crate::engine) fn set_pod(&self, set: &StatefulSet, ordinal: i64) -> Option<Rc<Pod>> {
        let idx = self.set_index.get(&set.meta.uid)?;
        idx.members.get(ordinal).map(|m| m.pod.clone())
    }
}

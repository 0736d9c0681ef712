//! The simulated API server's write path: admission leftovers (defaults, uids, timestamps,
//! generation, finalizers), create/update/delete per kind, and the informer reactions that
//! every stored change triggers (controller queues, the StatefulSet index, endpoints, GC).

use super::cluster::{Action, Engine, Work, MAX_SIMULATED_REPLICAS};
use super::meta::*;
use super::objects::*;
use super::statefulset::{index::SetIndex, utils};
use super::store::Stored;
use super::*;
use serde_json::{json, Value};
use std::rc::Rc;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    Create,
    Update,
    Apply,
}

fn invalid(kind: Kind, name: &str, detail: String) -> ApiError {
    let group = if kind.group().is_empty() { String::new() } else { format!(".{}", kind.group()) };
    ApiError { reason: "Invalid", code: 422, message: format!("{}{} \"{}\" is invalid: {}", kind.name(), group, name, detail) }
}

fn forbidden_update(kind: Kind, name: &str) -> ApiError {
    invalid(kind, name, format!("spec: Forbidden: {}", STS_UPDATE_FORBIDDEN))
}

/// `kind == "StatefulSet"`, as a comparison of fixed-size arrays, which compiles to a few
/// loads: a `str` comparison calls `memcmp`, twice for every pod write.
fn is_statefulset_kind(kind: &str) -> bool {
    <[u8; 11]>::try_from(kind.as_bytes()).is_ok_and(|k| k == *b"StatefulSet")
}

/// Uids are shared strings: the same one is usually the same allocation, and comparing
/// addresses first skips a 36-byte comparison on every pod write.
fn same_uid(a: &Str, b: &Str) -> bool {
    Rc::ptr_eq(a, b) || a == b
}

fn conflict(kind: Kind, name: &str) -> ApiError {
    ApiError {
        reason: "Conflict",
        code: 409,
        message: format!("Operation cannot be fulfilled on {} \"{}\": the object has been modified; please apply your changes to the latest version and try again", kind.qualified_plural(), name),
    }
}

impl Engine {
    // ------------------------------------------------------------ store primitives

    pub(super) fn new_meta(&mut self, ns: &str, name: &str) -> Meta {
        Meta { name: Str::from(name), namespace: namespace(ns), uid: self.rng.uuid(), created: self.now, ..Meta::default() }
    }

    /// Stores a new version (ADDED or MODIFIED), bumping the resourceVersion.
    pub(super) fn put<T: Stored>(&mut self, obj: T) -> Rc<T> {
        self.store_version(Rc::new(obj), false).0
    }

    /// Stores a new version of an object the caller took out of its map to change it in
    /// place (`Rc::make_mut`: the same allocation unless a snapshot or a watch shares it):
    /// recorded as MODIFIED, like `put` on an object that is still stored.
    pub(super) fn put_modified<T: Stored>(&mut self, obj: Rc<T>) -> Rc<T> {
        self.store_version(obj, true).0
    }

    /// Stores `rc` and returns it with the version it replaced, found by the same search.
    /// `rc` is the caller's alone, so its resourceVersion is set in place.
    fn store_version<T: Stored>(&mut self, mut rc: Rc<T>, taken_out: bool) -> (Rc<T>, Option<Rc<T>>) {
        self.store.rv += 1;
        Rc::make_mut(&mut rc).meta_mut().resource_version = self.store.rv;
        let kind = rc.kind();
        let old = T::map(&mut self.store, kind).and_then(|m| m.insert(rc.clone()));
        self.store.count_write(kind, old.as_ref().map(|o| o.meta()), Some(rc.meta()));
        // Without an open watch nothing is recorded: the object is not even wrapped.
        if self.store.journal.recording() {
            let ty = if old.is_some() || taken_out { WatchEventType::Modified } else { WatchEventType::Added };
            self.store.journal.record(self.now, ty, T::wrap(rc.clone()));
        }
        (rc, old)
    }

    /// Removes an object (DELETED).
    pub(super) fn take<T: Stored>(&mut self, kind: Kind, k: &Key) -> Option<Rc<T>> {
        let old = T::map(&mut self.store, kind)?.remove(k)?;
        self.store.rv += 1;
        self.store.count_write(kind, Some(old.meta()), None);
        self.store.journal.record(self.now, WatchEventType::Deleted, T::wrap(old.clone()));
        self.after_removal(kind, old.meta());
        Some(old)
    }

    // ------------------------------------------------------------ typed writes with reactions

    pub(super) fn create_pod_object(&mut self, pod: Pod) -> Rc<Pod> {
        let rc = self.put(pod);
        self.pod_changed(None, Some(&rc));
        if rc.node.is_none() && !rc.terminating() {
            let delay = 400 + self.rng.below(200);
            self.after(delay, Action::Schedule(rc.meta.key(), rc.meta.uid.clone()));
        } else if rc.node.is_some() {
            self.after(300, Action::Kubelet(rc.meta.key(), rc.meta.uid.clone(), kubelet::Step::Setup));
        }
        rc
    }

    pub(super) fn write_pod(&mut self, pod: Pod) -> Rc<Pod> {
        self.write_pod_rc(Rc::new(pod))
    }

    /// `write_pod` of a new version made by `Rc::make_mut` on a clone of the stored one: the
    /// copy is built in its own allocation, where a `Pod` value was moved twice more on its way
    /// into one (a pod is a few hundred bytes, and the kubelet writes each one four times).
    pub(super) fn write_pod_rc(&mut self, pod: Rc<Pod>) -> Rc<Pod> {
        let (rc, old) = self.store_version(pod, false);
        self.pod_changed(old.as_ref(), Some(&rc));
        rc
    }

    pub(super) fn remove_pod(&mut self, k: &Key) -> Option<Rc<Pod>> {
        let old = self.take::<Pod>(Kind::Pod, k)?;
        self.pod_changed(Some(&old), None);
        Some(old)
    }

    pub(super) fn write_claim(&mut self, c: Pvc) -> Rc<Pvc> {
        self.put(c)
    }

    /// Creates a claim as the API server admits it: default StorageClass, protection finalizer.
    pub(super) fn create_claim(&mut self, mut meta: Meta, spec: Rc<Value>) -> Rc<Pvc> {
        if !meta.finalizers.iter().any(|f| f == "kubernetes.io/pvc-protection") {
            meta.finalizers.push("kubernetes.io/pvc-protection".into());
        }
        let mut c = Pvc::from_spec(meta, spec);
        if c.class.is_none() {
            if let Some(default) = self.store.classes.values().find(|c| c.is_default) {
                c.class = Some(default.meta.name.clone());
            }
        }
        let rc = self.put(c);
        let delay = 200 + self.rng.below(100);
        self.after(delay, Action::Provision(rc.meta.key(), rc.meta.uid.clone()));
        rc
    }

    pub(super) fn write_set(&mut self, s: StatefulSet) -> Rc<StatefulSet> {
        let rc = self.put(s);
        self.enqueue(Work::SyncSet(rc.meta.key()));
        rc
    }

    /// Informer reactions to a pod change (spec §3.1 and the other controllers).
    ///
    /// Runs on every pod write, so it borrows the owner references rather than cloning them,
    /// looks the controlling set up once and enqueues without collecting the keys first (the
    /// order is the one the controllers always saw: the old version's owner, the new one's,
    /// then sets that may adopt an orphan).
    pub(super) fn pod_changed(&mut self, old: Option<&Rc<Pod>>, new: Option<&Rc<Pod>>) {
        let Some(any) = new.or(old) else { return };
        let ns = any.meta.namespace.clone();
        let old_owner = old.and_then(|o| o.meta.controller());
        let new_owner = new.and_then(|n| n.meta.controller());
        // Each version's controller kind, read once.
        let is_set = |c: Option<&OwnerRef>| c.is_some_and(|c| is_statefulset_kind(&c.kind));
        let (old_is_set, new_is_set) = (is_set(old_owner), is_set(new_owner));
        // A pod no StatefulSet controls (an orphan, another controller's, a bare pod) can still
        // take a set's pod name or be adopted: sets' syncs must not be skipped past it.
        if (old.is_some() && !old_is_set) || (new.is_some() && !new_is_set) {
            self.foreign_pod_writes += 1;
        }
        let same_set = match (old_owner, new_owner) {
            (Some(a), Some(b)) => same_uid(&a.uid, &b.uid),
            _ => false,
        };
        // The set controlling a version, when it is a StatefulSet that still exists.
        let live_set = |store: &super::store::Store, c: Option<&OwnerRef>| {
            c.and_then(|c| store.sets.named(&ns, &c.name).filter(|s| same_uid(&s.meta.uid, &c.uid)).cloned())
        };
        // StatefulSet index and orphan bookkeeping.
        if let Some(o) = old {
            if !self.orphans.is_empty() {
                self.orphans.remove(&o.meta.key());
            }
            if let Some(c) = old_owner.filter(|_| !same_set && old_is_set) {
                if let Some(idx) = self.set_index.get_mut(&c.uid) {
                    idx.remove(&o.meta.name);
                }
            }
        }
        let new_set = if new_is_set { live_set(&self.store, new_owner) } else { None };
        if let Some(n) = new {
            match (new_owner, &new_set) {
                (Some(c), Some(set)) => {
                    if !self.set_index.contains_key(&c.uid) {
                        self.set_index.insert(c.uid.clone(), SetIndex::new(ns.clone(), c.name.clone()));
                    }
                    if let Some(idx) = self.set_index.get_mut(&c.uid) {
                        idx.add(&set.spec, n, old.filter(|_| same_set).map(|o| &**o));
                    }
                }
                (Some(_), None) => {}
                (None, _) => {
                    self.orphans.insert(n.meta.key());
                }
            }
        }
        // Which controllers to enqueue. The same set twice is one entry in the queue anyway.
        let old_key = match old_owner {
            Some(c) if same_set && new_owner.is_some_and(|n| same_str(&n.name, &c.name) && same_str(&n.kind, &c.kind)) => None,
            Some(c) if old_is_set => live_set(&self.store, Some(c)).map(|_| Work::SyncSet(Key::new(ns.clone(), c.name.clone()))),
            Some(c) if &*c.kind == "ReplicaSet" => Some(Work::SyncWorkload(Kind::ReplicaSet, Key::new(ns.clone(), c.name.clone()))),
            _ => None,
        };
        if let Some(w) = old_key {
            self.enqueue(w);
        }
        match new_owner {
            Some(c) if new_set.is_some() => self.enqueue(Work::SyncSet(Key::new(ns.clone(), c.name.clone()))),
            Some(c) if !new_is_set && &*c.kind == "ReplicaSet" => self.enqueue(Work::SyncWorkload(Kind::ReplicaSet, Key::new(ns.clone(), c.name.clone()))),
            _ => {}
        }
        if let Some(n) = new {
            let orphan_changed = new_owner.is_none()
                && old.is_none_or(|o| o.meta.labels != n.meta.labels || o.meta.owners != n.meta.owners);
            if orphan_changed {
                let mut keys: Vec<Work> = Vec::new();
                for (k, s) in self.store.sets.range(Key::new(ns.clone(), Str::from(""))..) {
                    if k.0 != ns {
                        break;
                    }
                    if s.spec.selector.matches(&n.meta.labels) {
                        keys.push(Work::SyncSet(k.clone()));
                    }
                }
                for k in keys {
                    self.enqueue(k);
                }
            }
        }
        // Endpoints, node pod counts, claim users, volume attachments.
        self.endpoints_pod_changed(old.map(|p| &**p), new.map(|p| &**p));
        // A claim stays protected while a scheduled pod names it, whatever the pod's phase:
        // only the pod's removal releases it.
        if new.is_none() {
            if let Some(o) = old {
                self.pod_gone(o);
            }
        }
    }

    /// A pod object is gone: GC its claims with pod refs, release its volumes.
    fn pod_gone(&mut self, pod: &Pod) {
        for claim in pod.claim_names() {
            // The pod's namespace is already the shared string `key` would look up.
            let k = Key::new(pod.meta.namespace.clone(), Str::from(claim));
            if let Some(c) = self.store.pvcs.get(&k) {
                if c.meta.owners.iter().any(|o| o.uid == pod.meta.uid) {
                    self.enqueue(Work::Gc(Kind::PersistentVolumeClaim, k.clone()));
                }
                self.enqueue(Work::ClaimProtection(k.clone()));
            }
            self.volume_pod_gone(pod, &k);
        }
        self.files.pods.remove(&pod.meta.uid);
        if let Some(c) = pod.meta.controller() {
            let kind = Kind::from_name(&c.kind);
            if let Some(kind) = kind {
                let ok = Key::new(pod.meta.namespace.clone(), c.name.clone());
                self.enqueue(Work::Gc(kind, ok));
            }
        }
        self.enqueue(Work::RetryScheduling);
    }

    /// Reactions to any removal: dependents are garbage collected (spec §5.6).
    fn after_removal(&mut self, kind: Kind, meta: &Meta) {
        if matches!(kind, Kind::StatefulSet | Kind::Deployment | Kind::ReplicaSet) {
            let uid = meta.uid.clone();
            for dep in self.dependents_of(&uid) {
                self.enqueue(Work::Gc(dep.0, dep.1));
            }
        }
        if kind == Kind::StatefulSet {
            self.set_index.remove(&meta.uid);
            self.why.remove(format!("{}/{}", meta.namespace, meta.name).as_str());
        }
    }

    // ------------------------------------------------------------ user writes

    pub(super) fn write(&mut self, mut v: Value, mode: Mode) -> Result<(ApplyOutcome, Value), ApiError> {
        if !v.is_object() {
            return Err(ApiError::bad_request("the object is not a JSON/YAML mapping"));
        }
        let kind_s = v.get("kind").and_then(Value::as_str).unwrap_or("").to_string();
        if kind_s.is_empty() {
            return Err(ApiError::bad_request("Object 'Kind' is missing in the object"));
        }
        let Some(kind) = Kind::from_name(&kind_s) else {
            let av = v.get("apiVersion").and_then(Value::as_str).unwrap_or("");
            return Err(ApiError { reason: "NotFound", code: 404, message: format!("the server could not find the requested resource (no matches for kind \"{}\" in version \"{}\")", kind_s, av) });
        };
        let mut meta = Meta::from_json(&v, "default").map_err(ApiError::bad_request)?;
        if meta.name.is_empty() {
            return Err(invalid(kind, "", "metadata.name: Required value: name or generateName is required".into()));
        }
        if !kind.namespaced() {
            meta.namespace = namespace("");
        } else if !self.store.generic.contains_key(&(Kind::Namespace, key("", &meta.namespace))) {
            return Err(ApiError { reason: "NotFound", code: 404, message: format!("namespaces \"{}\" not found", meta.namespace) });
        }
        let k = meta.key();
        let given_rv = v.pointer("/metadata/resourceVersion").and_then(Value::as_str).map(str::to_string);
        let existing_rv = self.store.object(kind, &k).map(|o| match o {
            Obj::Pod(p) => p.meta.resource_version,
            Obj::Pvc(p) => p.meta.resource_version,
            Obj::Pv(p) => p.meta.resource_version,
            Obj::Node(p) => p.meta.resource_version,
            Obj::Service(p) => p.meta.resource_version,
            Obj::Endpoints(p) => p.meta.resource_version,
            Obj::StatefulSet(p) => p.meta.resource_version,
            Obj::Revision(p) => p.meta.resource_version,
            Obj::StorageClass(p) => p.meta.resource_version,
            Obj::Workload(p) => p.meta.resource_version,
            Obj::Generic(p) => p.meta.resource_version,
            Obj::Event(p) => p.resource_version,
        });
        // NamespaceLifecycle admission: nothing new in a namespace being deleted.
        if existing_rv.is_none() && kind.namespaced() && self.namespace_terminating(&meta.namespace) {
            return Err(ApiError {
                reason: "Forbidden",
                code: 403,
                message: format!("{} \"{}\" is forbidden: unable to create new content in namespace {} because it is being terminated", kind.qualified_plural(), meta.name, meta.namespace),
            });
        }
        match (mode, existing_rv) {
            (Mode::Create, Some(_)) => return Err(ApiError::already_exists(kind, &meta.name)),
            (Mode::Update, None) => return Err(ApiError::not_found(kind, &meta.name)),
            (Mode::Update, Some(rv)) => {
                if let Some(g) = &given_rv {
                    if g.parse::<u64>().ok() != Some(rv) {
                        return Err(conflict(kind, &meta.name));
                    }
                }
            }
            _ => {}
        }
        let exists = existing_rv.is_some();
        let outcome = match kind {
            Kind::StatefulSet => self.write_user_set(&mut v, meta)?,
            Kind::Service => self.write_user_service(&mut v, meta)?,
            Kind::Pod => self.write_user_pod(&mut v, meta)?,
            Kind::PersistentVolumeClaim => self.write_user_claim(&v, meta)?,
            Kind::PersistentVolume => self.write_user_pv(&v, meta)?,
            Kind::StorageClass => self.write_user_class(&v, meta)?,
            Kind::Deployment | Kind::ReplicaSet => self.write_user_workload(kind, &mut v, meta)?,
            Kind::Node => return Err(ApiError { reason: "Forbidden", code: 403, message: "nodes are part of the simulated cluster and cannot be created or replaced; use cordon or a node fault".into() }),
            Kind::Endpoints | Kind::EndpointSlice | Kind::Event | Kind::ControllerRevision => {
                return Err(ApiError { reason: "Forbidden", code: 403, message: format!("{} are written by the simulated controllers only", kind.plural()) })
            }
            Kind::Namespace | Kind::ConfigMap | Kind::PodDisruptionBudget | Kind::ServiceAccount => self.write_generic(kind, &v, meta)?,
        };
        let outcome = match (exists, outcome) {
            (false, _) => ApplyOutcome::Created,
            (true, true) => ApplyOutcome::Configured,
            (true, false) => ApplyOutcome::Unchanged,
        };
        let stored = self.store.object(kind, &k).map(|o| o.to_json()).unwrap_or(Value::Null);
        Ok((outcome, stored))
    }

    /// Common metadata update: user-settable fields from `new`, server fields from `old`.
    fn merge_meta(old: &Meta, new: Meta) -> Meta {
        Meta {
            labels: new.labels,
            annotations: new.annotations,
            owners: new.owners,
            finalizers: new.finalizers,
            ..old.clone()
        }
    }

    fn meta_changed(old: &Meta, new: &Meta) -> bool {
        old.labels != new.labels || old.annotations != new.annotations || old.owners != new.owners || old.finalizers != new.finalizers
    }

    fn write_user_set(&mut self, v: &mut Value, meta: Meta) -> Result<bool, ApiError> {
        defaults::stateful_set(v);
        let spec_json = v.get("spec").cloned().unwrap_or_else(|| json!({}));
        let spec = utils::parse_spec(&meta.name, &spec_json)?;
        if spec.replicas > MAX_SIMULATED_REPLICAS {
            return Err(invalid(
                Kind::StatefulSet,
                &meta.name,
                format!("spec.replicas: Invalid value: {}: the simulator manages at most {} replicas per StatefulSet", spec.replicas, MAX_SIMULATED_REPLICAS),
            ));
        }
        if spec.start > i32::MAX as i64 - MAX_SIMULATED_REPLICAS {
            return Err(invalid(Kind::StatefulSet, &meta.name, format!("spec.ordinals.start: Invalid value: {}: too large for the simulator", spec.start)));
        }
        let (tmpl, data) = utils::live_template(&spec_json);
        let k = meta.key();
        match self.store.sets.get(&k).cloned() {
            None => {
                let mut meta = meta;
                meta.uid = self.rng.uuid();
                meta.created = self.now;
                meta.generation = 1;
                let set = StatefulSet {
                    meta,
                    spec_json: Rc::new(spec_json),
                    spec: Rc::new(spec),
                    status: StsStatus::default(),
                    tmpl,
                    revision_data: Str::from(data.as_str()),
                };
                let uid = set.meta.uid.clone();
                self.set_index.insert(uid, SetIndex::new(set.meta.namespace.clone(), set.meta.name.clone()));
                self.write_set(set);
                Ok(true)
            }
            Some(old) => {
                let immutable = |s: &Value| {
                    json!([s.get("selector"), s.get("serviceName").filter(|v| !v.as_str().is_some_and(str::is_empty)), s.get("volumeClaimTemplates"), s.get("podManagementPolicy")])
                };
                if immutable(&spec_json) != immutable(&old.spec_json) {
                    return Err(forbidden_update(Kind::StatefulSet, &meta.name));
                }
                let spec_changed = spec_json != *old.spec_json;
                let new_meta = Self::merge_meta(&old.meta, meta);
                if !spec_changed && !Self::meta_changed(&old.meta, &new_meta) {
                    return Ok(false);
                }
                let policy_changed = spec.when_deleted_delete != old.spec.when_deleted_delete || spec.when_scaled_delete != old.spec.when_scaled_delete;
                let mut set = (*old).clone();
                set.meta = new_meta;
                if spec_changed {
                    set.meta.generation += 1;
                }
                set.spec_json = Rc::new(spec_json);
                set.spec = Rc::new(spec);
                if *set.revision_data != *data {
                    set.tmpl = tmpl;
                    set.revision_data = Str::from(data.as_str());
                }
                if policy_changed {
                    if let Some(idx) = self.set_index.get_mut(&set.meta.uid) {
                        idx.mark_all_claims_unverified();
                    }
                }
                self.write_set(set);
                Ok(true)
            }
        }
    }

    fn write_user_service(&mut self, v: &mut Value, meta: Meta) -> Result<bool, ApiError> {
        defaults::service(v);
        let mut spec = v.get("spec").cloned().unwrap_or_else(|| json!({}));
        let k = meta.key();
        let old = self.store.services.get(&k).cloned();
        let requested = spec.get("clusterIP").and_then(Value::as_str).map(str::to_string);
        let ty = spec.get("type").and_then(Value::as_str).unwrap_or("ClusterIP").to_string();
        // An ExternalName Service is a DNS alias: the allocator gives it no address.
        let cluster_ip: Option<String> = match (&old, requested.as_deref()) {
            _ if ty == "ExternalName" => None,
            (Some(o), req) => {
                let old_ip = o.cluster_ip.as_deref().unwrap_or("None").to_string();
                if req.is_some_and(|r| !r.is_empty() && r != old_ip) {
                    return Err(invalid(Kind::Service, &meta.name, format!("spec.clusterIPs[0]: Invalid value: [\"{}\"]: may not change once set", req.unwrap_or(""))));
                }
                Some(old_ip)
            }
            (None, Some("None")) => Some("None".into()),
            (None, Some(ip)) if !ip.is_empty() => Some(ip.to_string()),
            (None, _) => Some(self.allocate_cluster_ip()),
        };
        if let Some(s) = spec.as_object_mut() {
            match &cluster_ip {
                Some(ip) => {
                    s.insert("clusterIP".into(), json!(ip));
                    s.insert("clusterIPs".into(), json!([ip]));
                }
                None => {
                    s.remove("clusterIP");
                    s.remove("clusterIPs");
                }
            }
        }
        if matches!(ty.as_str(), "NodePort" | "LoadBalancer") {
            self.allocate_node_ports(&mut spec, old.as_ref().map(|o| &o.spec));
        }
        // The endpoints controllers give an ExternalName Service no endpoints even with a
        // selector (issues.k8s.io/105986): it is a DNS alias, not a set of pods.
        let external_name = spec.get("type").and_then(Value::as_str) == Some("ExternalName");
        let selector = spec.get("selector").filter(|s| s.is_object() && !external_name).map(|s| string_map(Some(s)));
        let svc_ports = Service::parse_ports(&spec);
        let publish = spec.get("publishNotReadyAddresses").and_then(Value::as_bool).unwrap_or(false);
        let changed = match &old {
            None => true,
            Some(o) => o.spec != spec || Self::meta_changed(&o.meta, &meta),
        };
        if !changed {
            return Ok(false);
        }
        let meta = match &old {
            Some(o) => Self::merge_meta(&o.meta, meta),
            None => {
                let mut m = meta;
                m.uid = self.rng.uuid();
                m.created = self.now;
                m
            }
        };
        let svc = Service { meta, spec, cluster_ip: cluster_ip.as_deref().filter(|ip| *ip != "None").map(Str::from), selector, ports: svc_ports, publish_not_ready: publish };
        let rc = self.put(svc);
        self.rebuild_endpoints(&rc);
        Ok(true)
    }

    /// Gives each port of a NodePort or LoadBalancer Service without one a free node port from
    /// the default range 30000-32767, picked at random as the API server's allocator does; a
    /// port the Service had before keeps its node port.
    fn allocate_node_ports(&mut self, spec: &mut Value, old: Option<&Value>) {
        const BASE: u64 = 30_000;
        const SIZE: u64 = 2_768;
        let mut used: Vec<i64> = self.store.services.values().flat_map(|s| s.spec.pointer("/ports").and_then(Value::as_array).into_iter().flatten()).filter_map(|p| p.get("nodePort").and_then(Value::as_i64)).collect();
        let Some(ports) = spec.get_mut("ports").and_then(Value::as_array_mut) else { return };
        used.extend(ports.iter().filter_map(|p| p.get("nodePort").and_then(Value::as_i64)));
        for p in ports.iter_mut().filter(|p| p.get("nodePort").and_then(Value::as_i64).is_none_or(|n| n == 0)) {
            let kept = old.and_then(|o| o.pointer("/ports")).and_then(Value::as_array).and_then(|olds| {
                olds.iter().find(|o| o.get("port") == p.get("port") && o.get("protocol") == p.get("protocol")).and_then(|o| o.get("nodePort")).and_then(Value::as_i64)
            });
            let port = kept.unwrap_or_else(|| {
                let start = self.rng.below(SIZE);
                (0..SIZE).map(|i| (BASE + (start + i) % SIZE) as i64).find(|n| !used.contains(n)).unwrap_or(BASE as i64)
            });
            used.push(port);
            if let Some(p) = p.as_object_mut() {
                p.insert("nodePort".into(), json!(port));
            }
        }
    }

    fn allocate_cluster_ip(&mut self) -> String {
        self.next_cluster_ip += 1;
        let r = self.rng.below(60_000) as u32 + 100 + self.next_cluster_ip;
        format!("10.96.{}.{}", (r / 250) % 250, r % 250 + 2)
    }

    fn write_user_pod(&mut self, v: &mut Value, meta: Meta) -> Result<bool, ApiError> {
        let k = meta.key();
        if let Some(old) = self.store.pods.get(&k).cloned() {
            let images: Vec<Option<Str>> = v
                .pointer("/spec/containers")
                .and_then(Value::as_array)
                .map(|cs| {
                    cs.iter()
                        .enumerate()
                        .map(|(i, c)| {
                            let img = c.get("image").and_then(Value::as_str).unwrap_or("");
                            (img != &*old.tmpl.containers.get(i).map(|c| c.image.clone()).unwrap_or_else(|| Str::from(""))).then(|| Str::from(img))
                        })
                        .collect()
                })
                .unwrap_or_default();
            let new_meta = Self::merge_meta(&old.meta, meta);
            let images_changed = images.iter().any(Option::is_some) && images != old.images;
            if !Self::meta_changed(&old.meta, &new_meta) && !images_changed {
                return Ok(false);
            }
            let mut p = (*old).clone();
            p.meta = new_meta;
            if images_changed {
                p.images = images;
            }
            if p.meta.deletion.is_some() && p.meta.finalizers.is_empty() && old.meta.finalizers.iter().len() > 0 && p.status.phase.terminal() {
                self.remove_pod(&k);
                return Ok(true);
            }
            self.write_pod(p);
            return Ok(true);
        }
        let mut spec = v.get("spec").cloned().unwrap_or_else(|| json!({}));
        defaults::pod_spec(&mut spec);
        if let Some(message) = self.missing_service_account(&meta.namespace, &meta.name, &spec) {
            return Err(ApiError { reason: "Forbidden", code: 403, message });
        }
        let tmpl = PodTemplate::from_json(&json!({"metadata": {"labels": meta.labels, "annotations": meta.annotations}, "spec": spec}));
        if tmpl.containers.is_empty() {
            return Err(invalid(Kind::Pod, &meta.name, "spec.containers: Required value".into()));
        }
        let node = spec.get("nodeName").and_then(Value::as_str).map(Str::from);
        if let Some(n) = &node {
            if !self.store.nodes.has("", n) {
                return Err(invalid(Kind::Pod, &meta.name, format!("spec.nodeName: Invalid value: \"{}\": node not found in the simulated cluster", n)));
            }
        }
        let hostname = spec.get("hostname").and_then(Value::as_str).map(Str::from);
        let subdomain = spec.get("subdomain").and_then(Value::as_str).map(Str::from);
        let mut m = meta;
        m.uid = self.rng.uuid();
        m.created = self.now;
        let mut status = PodStatus::default();
        if node.is_some() {
            status.scheduled = Some(Cond::new(true, self.now));
        }
        let pod = Pod { meta: m, tmpl: Rc::new(tmpl), node, hostname, subdomain, claims: Rc::new([]), images: Vec::new(), status };
        self.create_pod_object(pod);
        Ok(true)
    }

    fn write_user_claim(&mut self, v: &Value, meta: Meta) -> Result<bool, ApiError> {
        let k = meta.key();
        if let Some(old) = self.store.pvcs.get(&k).cloned() {
            let new_meta = Self::merge_meta(&old.meta, meta);
            if !Self::meta_changed(&old.meta, &new_meta) {
                return Ok(false);
            }
            let mut c = (*old).clone();
            c.meta = new_meta;
            if c.meta.deletion.is_some() && c.meta.finalizers.is_empty() {
                self.take::<Pvc>(Kind::PersistentVolumeClaim, &k);
                self.claim_gone(&old);
                return Ok(true);
            }
            self.write_claim(c);
            return Ok(true);
        }
        let spec = v.get("spec").cloned().unwrap_or_else(|| json!({}));
        if spec.get("accessModes").and_then(Value::as_array).is_none_or(Vec::is_empty) {
            return Err(invalid(Kind::PersistentVolumeClaim, &meta.name, "spec.accessModes: Required value: at least 1 access mode is required".into()));
        }
        if spec.pointer("/resources/requests/storage").is_none() {
            return Err(invalid(Kind::PersistentVolumeClaim, &meta.name, "spec.resources[storage]: Required value".into()));
        }
        let mut m = meta;
        m.uid = self.rng.uuid();
        m.created = self.now;
        self.create_claim(m, Rc::new(spec));
        Ok(true)
    }

    fn write_user_pv(&mut self, v: &Value, meta: Meta) -> Result<bool, ApiError> {
        let k = meta.key();
        if let Some(old) = self.store.pvs.get(&k).cloned() {
            let new_meta = Self::merge_meta(&old.meta, meta);
            if !Self::meta_changed(&old.meta, &new_meta) {
                return Ok(false);
            }
            let mut p = (*old).clone();
            p.meta = new_meta;
            self.put(p);
            return Ok(true);
        }
        let spec = v.get("spec").cloned().unwrap_or_else(|| json!({}));
        let cap_str = Str::from(str_field(&spec, &["capacity", "storage"]).unwrap_or("0"));
        let capacity = parse_quantity(&cap_str).ok_or_else(|| invalid(Kind::PersistentVolume, &meta.name, format!("spec.capacity[storage]: Invalid value: \"{}\": quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'", cap_str)))?;
        let modes: Vec<String> = spec.get("accessModes").and_then(Value::as_array).map(|a| a.iter().filter_map(|m| m.as_str().map(str::to_string)).collect()).unwrap_or_default();
        let modes = Rc::from(modes);
        let mut m = meta;
        m.uid = self.rng.uuid();
        m.created = self.now;
        m.finalizers.push("kubernetes.io/pv-protection".into());
        let host_path = str_field(&spec, &["hostPath", "path"]).map(Str::from).unwrap_or_else(|| Str::from(format!("/mnt/data/{}", m.name)));
        let pv = Pv {
            meta: m,
            capacity,
            capacity_str: cap_str,
            modes,
            reclaim_delete: spec.get("persistentVolumeReclaimPolicy").and_then(Value::as_str) == Some("Delete"),
            class: Str::from(spec.get("storageClassName").and_then(Value::as_str).unwrap_or("")),
            claim: None,
            phase: VolumePhase::Available,
            phase_since: self.now,
            host_path,
        };
        let rc = self.put(pv);
        self.files.available.insert(rc.meta.name.clone());
        self.enqueue(Work::BindClaims);
        Ok(true)
    }

    fn write_user_class(&mut self, v: &Value, meta: Meta) -> Result<bool, ApiError> {
        let k = meta.key();
        let is_default = meta.annotations.get("storageclass.kubernetes.io/is-default-class").map(|v| &**v) == Some("true");
        let mut body = v.as_object().cloned().unwrap_or_default();
        for f in ["apiVersion", "kind", "metadata", "provisioner", "reclaimPolicy", "volumeBindingMode"] {
            body.remove(f);
        }
        let class = StorageClass {
            provisioner: v.get("provisioner").and_then(Value::as_str).unwrap_or("").to_string(),
            reclaim_delete: v.get("reclaimPolicy").and_then(Value::as_str).unwrap_or("Delete") == "Delete",
            wait_for_consumer: v.get("volumeBindingMode").and_then(Value::as_str) == Some("WaitForFirstConsumer"),
            is_default,
            body: Value::Object(body),
            meta: match self.store.classes.get(&k) {
                Some(o) => Self::merge_meta(&o.meta, meta),
                None => {
                    let mut m = meta;
                    m.uid = self.rng.uuid();
                    m.created = self.now;
                    m
                }
            },
        };
        self.put(class);
        self.enqueue(Work::BindClaims);
        Ok(true)
    }

    fn write_generic(&mut self, kind: Kind, v: &Value, meta: Meta) -> Result<bool, ApiError> {
        let k = meta.key();
        let mut body = v.as_object().cloned().unwrap_or_default();
        for f in ["apiVersion", "kind", "metadata", "status"] {
            body.remove(f);
        }
        if kind == Kind::Namespace {
            body.insert("spec".into(), json!({"finalizers": ["kubernetes"]}));
            body.insert("status".into(), json!({"phase": "Active"}));
        }
        let old = self.store.generic.get(&(kind, k.clone())).cloned();
        let meta = match &old {
            Some(o) => {
                let m = Self::merge_meta(&o.meta, meta);
                if o.body == body && !Self::meta_changed(&o.meta, &m) {
                    return Ok(false);
                }
                m
            }
            None => {
                let mut m = meta;
                m.uid = self.rng.uuid();
                m.created = self.now;
                if kind == Kind::Namespace {
                    m.labels.insert("kubernetes.io/metadata.name", m.name.to_string());
                }
                m
            }
        };
        self.store_generic(Generic { kind, meta, body });
        // The root-CA publisher watches namespaces and its ConfigMaps.
        match kind {
            Kind::Namespace => self.namespace_defaults(&k.1),
            Kind::ConfigMap if &*k.1 == super::namespaces::ROOT_CA_CONFIGMAP => self.publish_root_ca(&k.0),
            _ => {}
        }
        Ok(true)
    }

    /// Removes a generic object (DELETED), bumping the resourceVersion.
    pub(super) fn remove_generic(&mut self, kind: Kind, k: &Key) {
        if let Some(old) = self.store.generic.remove(&(kind, k.clone())) {
            self.store.rv += 1;
            self.store.journal.record(self.now, WatchEventType::Deleted, Obj::Generic(old));
        }
    }

    /// Stores a new version of a generic object (ADDED or MODIFIED), bumping the
    /// resourceVersion.
    pub(super) fn store_generic(&mut self, mut g: Generic) {
        self.store.rv += 1;
        g.meta.resource_version = self.store.rv;
        let k = (g.kind, g.meta.key());
        let rc = Rc::new(g);
        let ty = if self.store.generic.contains_key(&k) { WatchEventType::Modified } else { WatchEventType::Added };
        self.store.generic.insert(k, rc.clone());
        self.store.journal.record(self.now, ty, Obj::Generic(rc));
    }

    // ------------------------------------------------------------ deletes

    pub(super) fn delete_object(&mut self, kind: Kind, k: &Key, options: DeleteOptions) -> Result<Value, ApiError> {
        let Some(obj) = self.store.object(kind, k) else { return Err(ApiError::not_found(kind, &k.1)) };
        match kind {
            Kind::Pod => self.delete_pod(k, options),
            Kind::PersistentVolumeClaim => {
                let Obj::Pvc(c) = obj else { return Err(ApiError::not_found(kind, &k.1)) };
                if c.meta.deletion.is_some() {
                    return Ok(c.to_json());
                }
                let mut nc = (*c).clone();
                nc.meta.deletion = Some(self.now);
                nc.meta.deletion_grace = Some(0);
                if nc.meta.finalizers.is_empty() {
                    let v = nc.to_json();
                    self.take::<Pvc>(Kind::PersistentVolumeClaim, k);
                    self.claim_gone(&c);
                    return Ok(v);
                }
                let rc = self.write_claim(nc);
                self.enqueue(Work::ClaimProtection(k.clone()));
                Ok(rc.to_json())
            }
            Kind::PersistentVolume => {
                let Obj::Pv(p) = obj else { return Err(ApiError::not_found(kind, &k.1)) };
                let mut np = (*p).clone();
                np.meta.deletion = Some(self.now);
                np.meta.deletion_grace = Some(0);
                let in_use = p.claim.as_ref().is_some_and(|(ns, n, uid)| self.store.pvcs.named(ns, n).is_some_and(|c| c.meta.uid == *uid));
                if in_use {
                    let rc = self.put(np);
                    return Ok(rc.to_json());
                }
                let v = np.to_json();
                self.take::<Pv>(Kind::PersistentVolume, k);
                self.files.volumes.remove(&p.meta.name);
                self.files.available.remove(&p.meta.name);
                Ok(v)
            }
            Kind::StatefulSet | Kind::Deployment | Kind::ReplicaSet => self.delete_owner(kind, k, options.propagation),
            Kind::Service => {
                let v = obj.to_json();
                self.take::<Service>(Kind::Service, k);
                self.take::<Endpoints>(Kind::Endpoints, k);
                Ok(v)
            }
            Kind::Node => Err(ApiError { reason: "Forbidden", code: 403, message: "nodes are part of the simulated cluster; use a NodeDown fault instead".into() }),
            Kind::Namespace if matches!(&*k.1, "default" | "kube-system" | "kube-public" | "kube-node-lease") => {
                Err(ApiError { reason: "Forbidden", code: 403, message: format!("namespaces \"{}\" is forbidden: this namespace may not be deleted", k.1) })
            }
            Kind::Namespace => Ok(self.delete_namespace(k)),
            _ => {
                let v = obj.to_json();
                match kind {
                    Kind::ControllerRevision => {
                        self.take::<Revision>(kind, k);
                    }
                    Kind::StorageClass => {
                        self.take::<StorageClass>(kind, k);
                    }
                    Kind::Endpoints => {
                        self.take::<Endpoints>(kind, k);
                    }
                    Kind::Event => return Err(ApiError { reason: "Forbidden", code: 403, message: "events expire on their own in the simulator".into() }),
                    _ => {
                        self.remove_generic(kind, k);
                        if matches!((kind, &*k.1), (Kind::ConfigMap, super::namespaces::ROOT_CA_CONFIGMAP) | (Kind::ServiceAccount, "default")) {
                            self.namespace_defaults(&k.0);
                        }
                    }
                }
                Ok(v)
            }
        }
    }

    /// Graceful pod deletion (spec §9.1), rendered as the API returns it.
    pub(super) fn delete_pod(&mut self, k: &Key, options: DeleteOptions) -> Result<Value, ApiError> {
        self.delete_pod_quiet(k, options).map(|p| p.to_json())
    }

    /// Graceful pod deletion: deletionTimestamp = now + grace; unscheduled and terminal pods,
    /// and grace 0 (force), go at once. Returns the pod as it stands after the delete.
    pub(super) fn delete_pod_quiet(&mut self, k: &Key, options: DeleteOptions) -> Result<Rc<Pod>, ApiError> {
        let Some(pod) = self.store.pods.get(k).cloned() else { return Err(ApiError::not_found(Kind::Pod, &k.1)) };
        let grace = options.grace_period_seconds.unwrap_or(pod.tmpl.grace_seconds);
        if grace == 0 || pod.node.is_none() || pod.status.phase.terminal() {
            let mut gone = (*pod).clone();
            gone.meta.deletion = Some(self.now);
            gone.meta.deletion_grace = Some(0);
            self.remove_pod(k);
            return Ok(Rc::new(gone));
        }
        if let (Some(_), Some(g)) = (pod.meta.deletion, pod.meta.deletion_grace) {
            if grace >= g {
                return Ok(pod);
            }
        }
        let mut rc = pod.clone();
        let p = Rc::make_mut(&mut rc);
        let already = p.meta.deletion.is_some();
        p.meta.deletion = Some(Time(self.now.0.saturating_add(grace.saturating_mul(1000))));
        p.meta.deletion_grace = Some(grace);
        let rc = self.write_pod_rc(rc);
        if !already {
            self.kubelet_pod_deleted(&rc);
        }
        Ok(rc)
    }
}

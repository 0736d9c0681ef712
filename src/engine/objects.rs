//! Typed API objects: what the engine reasons about, and their exact API JSON rendering.
//!
//! Objects are immutable once stored (`Rc<T>`); a write stores a new version. Snapshots and
//! watch events therefore share unchanged objects, and the pod template JSON is shared per
//! revision instead of being copied into every pod.

use super::meta::*;
use super::rng::Uuid;
use super::{Kind, Time};
use serde_json::{json, Map, Value};
use std::collections::BTreeMap;
use std::rc::Rc;

// ---------------------------------------------------------------- pod templates

#[derive(Debug, Clone)]
pub struct ContainerInfo {
    pub name: Str,
    pub image: Str,
    pub pull_always: bool,
    /// `readinessProbe.initialDelaySeconds` if the container has a readiness probe.
    pub readiness_delay: Option<u64>,
    /// `(volume name, mount path)`.
    pub mounts: Vec<(String, String)>,
}

/// A pod template as stored in a ControllerRevision; shared by every pod built from it.
#[derive(Debug)]
pub struct PodTemplate {
    pub labels: StrMap,
    pub annotations: StrMap,
    /// The defaulted template spec (without per-pod fields such as hostname or nodeName).
    pub spec: Value,
    pub containers: Vec<ContainerInfo>,
    pub grace_seconds: u64,
    /// `(volume, claim)` of the spec's `persistentVolumeClaim` volumes (parsed once).
    pub pvc_volumes: Vec<(String, String)>,
}

impl PodTemplate {
    /// From a template object `{metadata, spec}` (already defaulted).
    pub fn from_json(t: &Value) -> PodTemplate {
        let meta = t.get("metadata");
        let spec = t.get("spec").cloned().unwrap_or_else(|| json!({}));
        let containers = spec
            .get("containers")
            .and_then(Value::as_array)
            .map(|cs| cs.iter().map(container_info).collect())
            .unwrap_or_default();
        let grace_seconds = int_field(spec.get("terminationGracePeriodSeconds")).unwrap_or(30).clamp(0, 86_400 * 365) as u64;
        let mut t = PodTemplate {
            labels: string_map(meta.and_then(|m| m.get("labels"))),
            annotations: string_map(meta.and_then(|m| m.get("annotations"))),
            spec,
            containers,
            grace_seconds,
            pvc_volumes: Vec::new(),
        };
        t.pvc_volumes = t.parse_claim_volumes();
        t
    }

    /// Claim names of `persistentVolumeClaim` volumes in the template spec, by volume name.
    fn parse_claim_volumes(&self) -> Vec<(String, String)> {
        self.spec
            .get("volumes")
            .and_then(Value::as_array)
            .map(|vs| {
                vs.iter()
                    .filter_map(|v| {
                        Some((
                            v.get("name")?.as_str()?.to_string(),
                            v.get("persistentVolumeClaim")?.get("claimName")?.as_str()?.to_string(),
                        ))
                    })
                    .collect()
            })
            .unwrap_or_default()
    }
}

fn container_info(c: &Value) -> ContainerInfo {
    let s = |k: &str| c.get(k).and_then(Value::as_str).unwrap_or("");
    ContainerInfo {
        name: Rc::from(s("name")),
        image: Rc::from(s("image")),
        pull_always: s("imagePullPolicy") == "Always",
        readiness_delay: c.get("readinessProbe").map(|p| int_field(p.get("initialDelaySeconds")).unwrap_or(0).clamp(0, 86_400 * 365) as u64),
        mounts: c
            .get("volumeMounts")
            .and_then(Value::as_array)
            .map(|ms| {
                ms.iter()
                    .filter_map(|m| Some((m.get("name")?.as_str()?.to_string(), m.get("mountPath")?.as_str()?.to_string())))
                    .collect()
            })
            .unwrap_or_default(),
    }
}

// ---------------------------------------------------------------- pods

/// Where the ServiceAccount admission plugin mounts the API token (`DefaultAPITokenMountPath`).
pub const API_TOKEN_PATH: &str = "/var/run/secrets/kubernetes.io/serviceaccount";

/// The ServiceAccount admission plugin's `mountServiceAccountToken`: unless the pod opts out,
/// every container without a mount at [`API_TOKEN_PATH`] gets one, read-only, of the projected
/// `kube-api-access-*` volume (a bound token, the cluster's CA bundle from `kube-root-ca.crt`,
/// the namespace), and the volume is added if a container needed it. A pod that already has
/// such a volume (one exported from a cluster and applied again) keeps it. Applied when the
/// pod is rendered; the name's suffix comes from the uid, so every version reads the same.
fn mount_service_account_token(spec: &mut Map<String, Value>, uid: &str) {
    if spec.get("automountServiceAccountToken") == Some(&Value::Bool(false)) {
        return;
    }
    let has_volume = spec
        .get("volumes")
        .and_then(Value::as_array)
        .and_then(|vs| vs.iter().filter_map(|v| v.get("name")?.as_str()).find(|n| n.starts_with("kube-api-access-")))
        .map(str::to_string);
    let name = has_volume.clone().unwrap_or_else(|| format!("kube-api-access-{}", super::rng::derived_suffix(&format!("{uid}/kube-api-access"))));
    let mut needed = false;
    for list in ["initContainers", "containers"] {
        for c in spec.get_mut(list).and_then(Value::as_array_mut).into_iter().flatten().filter_map(Value::as_object_mut) {
            let mounts = c.get("volumeMounts").and_then(Value::as_array);
            if mounts.is_some_and(|ms| ms.iter().any(|m| m.get("mountPath").and_then(Value::as_str) == Some(API_TOKEN_PATH))) {
                continue;
            }
            push_to(c, "volumeMounts", json!({"mountPath": API_TOKEN_PATH, "name": &name, "readOnly": true}));
            needed = true;
        }
    }
    if needed && has_volume.is_none() {
        let volume = json!({"name": name, "projected": {"defaultMode": 420, "sources": [
            {"serviceAccountToken": {"expirationSeconds": 3607, "path": "token"}},
            {"configMap": {"items": [{"key": "ca.crt", "path": "ca.crt"}], "name": "kube-root-ca.crt"}},
            {"downwardAPI": {"items": [{"fieldRef": {"apiVersion": "v1", "fieldPath": "metadata.namespace"}, "path": "namespace"}]}}
        ]}});
        push_to(spec, "volumes", volume);
    }
}

/// Appends to the list at `field`, starting it if absent.
fn push_to(m: &mut Map<String, Value>, field: &str, item: Value) {
    match m.get_mut(field).and_then(Value::as_array_mut) {
        Some(list) => list.push(item),
        None => {
            m.insert(field.into(), Value::Array(vec![item]));
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Phase {
    #[default]
    Pending,
    Running,
    Succeeded,
    Failed,
}

impl Phase {
    pub fn as_str(self) -> &'static str {
        match self {
            Phase::Pending => "Pending",
            Phase::Running => "Running",
            Phase::Succeeded => "Succeeded",
            Phase::Failed => "Failed",
        }
    }
    pub fn terminal(self) -> bool {
        matches!(self, Phase::Succeeded | Phase::Failed)
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cond {
    pub status: bool,
    pub since: Time,
    pub reason: Option<Str>,
    pub message: Option<Str>,
}

impl Cond {
    pub fn new(status: bool, since: Time) -> Cond {
        Cond { status, since, reason: None, message: None }
    }
    pub fn with_reason(mut self, reason: &str) -> Cond {
        self.reason = Some(Rc::from(reason));
        self
    }
    /// Keeps the transition time when the status does not change.
    pub fn set(old: &Option<Cond>, status: bool, now: Time) -> Cond {
        match old {
            Some(c) if c.status == status => Cond { reason: None, message: None, ..c.clone() },
            _ => Cond::new(status, now),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CState {
    Waiting { reason: Str, message: Option<Str> },
    Running { since: Time },
    Terminated { exit_code: i32, reason: Str, started: Time, finished: Time },
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CStatus {
    pub name: Str,
    pub image: Str,
    pub ready: bool,
    pub restarts: u32,
    pub started: bool,
    pub state: CState,
    pub last: Option<CState>,
    /// Runtime id, once a container was created (rendered as `containerd://<hex>`).
    pub id: Option<u64>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PodStatus {
    pub phase: Phase,
    pub reason: Option<Str>,
    pub message: Option<Str>,
    pub scheduled: Option<Cond>,
    pub ready_to_start: Option<Cond>,
    pub initialized: Option<Cond>,
    pub ready: Option<Cond>,
    pub containers_ready: Option<Cond>,
    /// `DisruptionTarget`: the pod is being disrupted (kubelet eviction, preemption, ...).
    pub disruption: Option<Cond>,
    pub pod_ip: Option<Str>,
    pub host_ip: Option<Str>,
    pub start_time: Option<Time>,
    /// Shared by the versions of a pod until the kubelet changes a container: most writes
    /// (binding, deletion, conditions) leave them as they were.
    pub containers: Rc<Vec<CStatus>>,
}

#[derive(Debug, Clone)]
pub struct Pod {
    pub meta: Meta,
    pub tmpl: Rc<PodTemplate>,
    pub node: Option<Str>,
    pub hostname: Option<Str>,
    pub subdomain: Option<Str>,
    /// `(volume, claim)` volumes the StatefulSet controller put in front of the template's
    /// (shared by every version of the pod: they never change).
    pub claims: Rc<[(Str, Str)]>,
    /// Per-container image overrides (`kubectl set image pod/...`), by container index.
    pub images: Vec<Option<Str>>,
    pub status: PodStatus,
}

impl Pod {
    pub fn terminating(&self) -> bool {
        self.meta.deletion.is_some()
    }
    pub fn is_ready(&self) -> bool {
        self.status.ready.as_ref().is_some_and(|c| c.status)
    }
    pub fn running_and_ready(&self) -> bool {
        self.status.phase == Phase::Running && self.is_ready()
    }
    pub fn ready_since(&self) -> Option<Time> {
        self.status.ready.as_ref().filter(|c| c.status).map(|c| c.since)
    }
    /// `available(p, mrs, now)` of spec §0.
    pub fn available(&self, min_ready_secs: u64, now: Time) -> bool {
        match self.ready_since() {
            None => false,
            Some(t) => min_ready_secs == 0 || Time(t.0.saturating_add(min_ready_secs.saturating_mul(1000))) < now,
        }
    }
    pub fn image(&self, i: usize) -> Str {
        match self.images.get(i).cloned().flatten() {
            Some(img) => img,
            None => self.tmpl.containers.get(i).map(|c| c.image.clone()).unwrap_or_else(|| Rc::from("")),
        }
    }
    /// The claim names the pod mounts, in `all_claims` order, without allocating (the pod
    /// informers run this on every pod write).
    pub fn claim_names(&self) -> impl Iterator<Item = &str> + '_ {
        let own = self.claims.iter().map(|(_, c)| &**c);
        let tmpl = self.tmpl.pvc_volumes.iter().filter(|(v, _)| !self.claims.iter().any(|(cv, _)| **cv == **v)).map(|(_, c)| c.as_str());
        own.chain(tmpl)
    }

    /// All `(volume, claim)` pairs the pod mounts, StatefulSet claims first.
    pub fn all_claims(&self) -> Vec<(String, String)> {
        let mut out: Vec<(String, String)> = self.claims.iter().map(|(v, c)| (v.to_string(), c.to_string())).collect();
        for (v, c) in &self.tmpl.pvc_volumes {
            if !out.iter().any(|(ov, _)| ov == v) {
                out.push((v.clone(), c.clone()));
            }
        }
        out
    }
    /// Whether the ServiceAccount admission plugin gives the pod's first container the API
    /// token at [`API_TOKEN_PATH`] (see `mount_service_account_token`).
    pub fn mounts_api_token(&self) -> bool {
        self.tmpl.spec.get("automountServiceAccountToken") != Some(&Value::Bool(false))
            && !self.tmpl.containers.first().is_some_and(|c| c.mounts.iter().any(|(_, mp)| mp.trim_end_matches('/') == API_TOKEN_PATH))
    }
    pub fn revision_label(&self) -> Option<&str> {
        self.meta.labels.get("controller-revision-hash").map(|v| &**v)
    }

    pub fn to_json(&self) -> Value {
        let mut spec = self.tmpl.spec.clone();
        if let Some(s) = spec.as_object_mut() {
            if let Some(h) = &self.hostname {
                s.insert("hostname".into(), json!(&**h));
            }
            if let Some(d) = &self.subdomain {
                s.insert("subdomain".into(), json!(&**d));
            }
            if let Some(n) = &self.node {
                s.insert("nodeName".into(), json!(&**n));
            }
            s.entry("enableServiceLinks").or_insert(json!(true));
            s.entry("preemptionPolicy").or_insert(json!("PreemptLowerPriority"));
            s.entry("priority").or_insert(json!(0));
            s.entry("serviceAccountName").or_insert(json!("default"));
            s.entry("serviceAccount").or_insert(json!("default"));
            s.entry("tolerations").or_insert(json!([
                {"effect": "NoExecute", "key": "node.kubernetes.io/not-ready", "operator": "Exists", "tolerationSeconds": 300},
                {"effect": "NoExecute", "key": "node.kubernetes.io/unreachable", "operator": "Exists", "tolerationSeconds": 300}
            ]));
            if !self.claims.is_empty() {
                let mut vols: Vec<Value> = self
                    .claims
                    .iter()
                    .map(|(v, c)| json!({"name": &**v, "persistentVolumeClaim": {"claimName": &**c}}))
                    .collect();
                if let Some(old) = s.get("volumes").and_then(Value::as_array) {
                    for v in old {
                        let n = v.get("name").and_then(Value::as_str).unwrap_or("");
                        if !self.claims.iter().any(|(cv, _)| &**cv == n) {
                            vols.push(v.clone());
                        }
                    }
                }
                s.insert("volumes".into(), Value::Array(vols));
            }
            if self.images.iter().any(Option::is_some) {
                if let Some(cs) = s.get_mut("containers").and_then(Value::as_array_mut) {
                    for (i, c) in cs.iter_mut().enumerate() {
                        if let (Some(Some(img)), Some(c)) = (self.images.get(i), c.as_object_mut()) {
                            c.insert("image".into(), json!(&**img));
                        }
                    }
                }
            }
            mount_service_account_token(s, &self.meta.uid);
        }
        json!({
            "apiVersion": "v1",
            "kind": "Pod",
            "metadata": self.meta.to_json(true),
            "spec": spec,
            "status": self.status_json(),
        })
    }

    fn status_json(&self) -> Value {
        let st = &self.status;
        let mut m = Map::new();
        let mut conds = Vec::new();
        let mut cond = |ty: &str, c: &Option<Cond>| {
            if let Some(c) = c {
                let mut o = Map::new();
                o.insert("lastProbeTime".into(), Value::Null);
                o.insert("lastTransitionTime".into(), json!(rfc3339(c.since)));
                if let Some(msg) = &c.message {
                    o.insert("message".into(), json!(&**msg));
                }
                if let Some(r) = &c.reason {
                    o.insert("reason".into(), json!(&**r));
                }
                o.insert("status".into(), json!(if c.status { "True" } else { "False" }));
                o.insert("type".into(), json!(ty));
                conds.push(Value::Object(o));
            }
        };
        cond("DisruptionTarget", &st.disruption);
        cond("PodReadyToStartContainers", &st.ready_to_start);
        cond("Initialized", &st.initialized);
        cond("Ready", &st.ready);
        cond("ContainersReady", &st.containers_ready);
        cond("PodScheduled", &st.scheduled);
        if !conds.is_empty() {
            m.insert("conditions".into(), Value::Array(conds));
        }
        if !st.containers.is_empty() {
            m.insert("containerStatuses".into(), Value::Array(st.containers.iter().map(cstatus_json).collect()));
        }
        if let Some(h) = &st.host_ip {
            m.insert("hostIP".into(), json!(&**h));
            m.insert("hostIPs".into(), json!([{"ip": &**h}]));
        }
        if let Some(msg) = &st.message {
            m.insert("message".into(), json!(&**msg));
        }
        m.insert("phase".into(), json!(st.phase.as_str()));
        if let Some(ip) = &st.pod_ip {
            m.insert("podIP".into(), json!(&**ip));
            m.insert("podIPs".into(), json!([{"ip": &**ip}]));
        }
        m.insert("qosClass".into(), json!("BestEffort"));
        if let Some(r) = &st.reason {
            m.insert("reason".into(), json!(&**r));
        }
        if let Some(t) = st.start_time {
            m.insert("startTime".into(), json!(rfc3339(t)));
        }
        Value::Object(m)
    }
}

fn cstate_json(s: &CState) -> Value {
    match s {
        CState::Waiting { reason, message } => {
            let mut w = Map::new();
            if let Some(m) = message {
                w.insert("message".into(), json!(&**m));
            }
            w.insert("reason".into(), json!(&**reason));
            json!({ "waiting": w })
        }
        CState::Running { since } => json!({"running": {"startedAt": rfc3339(*since)}}),
        CState::Terminated { exit_code, reason, started, finished } => json!({"terminated": {
            "containerID": Value::Null,
            "exitCode": exit_code,
            "finishedAt": rfc3339(*finished),
            "reason": &**reason,
            "startedAt": rfc3339(*started),
        }}),
    }
}

fn cstatus_json(c: &CStatus) -> Value {
    let mut m = Map::new();
    let cid = c.id.map(|id| format!("containerd://{:016x}{:016x}", id, id.rotate_left(17) ^ 0x9e37_79b9_7f4a_7c15));
    if let Some(id) = &cid {
        m.insert("containerID".into(), json!(id));
    }
    m.insert("image".into(), json!(&*c.image));
    m.insert("imageID".into(), json!(if c.id.is_some() { format!("{}@sha256:{:064x}", c.image.split(':').next().unwrap_or(""), 0u8) } else { String::new() }));
    m.insert("lastState".into(), c.last.as_ref().map(cstate_json).unwrap_or_else(|| json!({})));
    m.insert("name".into(), json!(&*c.name));
    m.insert("ready".into(), json!(c.ready));
    m.insert("restartCount".into(), json!(c.restarts));
    m.insert("started".into(), json!(c.started));
    let mut state = cstate_json(&c.state);
    if let (Some(id), Some(t)) = (&cid, state.get_mut("terminated").and_then(Value::as_object_mut)) {
        t.insert("containerID".into(), json!(id));
    }
    if let Some(t) = state.get_mut("terminated").and_then(Value::as_object_mut) {
        if t.get("containerID").is_some_and(Value::is_null) {
            t.remove("containerID");
        }
    }
    m.insert("state".into(), state);
    Value::Object(m)
}

// ---------------------------------------------------------------- claims and volumes

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ClaimPhase {
    Pending,
    Bound,
}

#[derive(Debug, Clone)]
pub struct Pvc {
    pub meta: Meta,
    /// Shared with the claim template it came from.
    pub spec: Rc<Value>,
    // Shared strings: the binder and provisioner write a claim twice, each a copy.
    pub class: Option<Str>,
    pub modes: Rc<[String]>,
    pub request: u64,
    pub volume: Option<Str>,
    pub phase: ClaimPhase,
    pub capacity: Option<Str>,
}

impl Pvc {
    pub fn from_spec(meta: Meta, mut spec: Rc<Value>) -> Pvc {
        if spec.get("volumeMode").is_none() {
            super::defaults::pvc_spec(Rc::make_mut(&mut spec));
        }
        let class = spec.get("storageClassName").and_then(Value::as_str).map(Str::from);
        let modes: Vec<String> = spec
            .get("accessModes")
            .and_then(Value::as_array)
            .map(|a| a.iter().filter_map(|m| m.as_str().map(str::to_string)).collect())
            .unwrap_or_default();
        let modes = Rc::from(modes);
        let request = str_field(&spec, &["resources", "requests", "storage"]).and_then(parse_quantity).unwrap_or(0);
        Pvc { meta, spec, class, modes, request, volume: None, phase: ClaimPhase::Pending, capacity: None }
    }

    pub fn to_json(&self) -> Value {
        let mut spec = (*self.spec).clone();
        if let Some(s) = spec.as_object_mut() {
            if let Some(c) = &self.class {
                s.insert("storageClassName".into(), json!(&**c));
            }
            if let Some(v) = &self.volume {
                s.insert("volumeName".into(), json!(&**v));
            }
        }
        let mut status = Map::new();
        if self.phase == ClaimPhase::Bound {
            status.insert("accessModes".into(), json!(&*self.modes));
            if let Some(c) = &self.capacity {
                status.insert("capacity".into(), json!({"storage": &**c}));
            }
        }
        status.insert(
            "phase".into(),
            json!(match self.phase {
                ClaimPhase::Pending => "Pending",
                ClaimPhase::Bound => "Bound",
            }),
        );
        json!({
            "apiVersion": "v1",
            "kind": "PersistentVolumeClaim",
            "metadata": self.meta.to_json(true),
            "spec": spec,
            "status": status,
        })
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum VolumePhase {
    Available,
    Bound,
    Released,
}

#[derive(Debug, Clone)]
pub struct Pv {
    pub meta: Meta,
    pub capacity: u64,
    // Shared strings, as a claim's: binding copies the volume.
    pub capacity_str: Str,
    pub modes: Rc<[String]>,
    pub reclaim_delete: bool,
    pub class: Str,
    pub claim: Option<(Str, Str, Str)>,
    pub phase: VolumePhase,
    pub phase_since: Time,
    pub host_path: Str,
}

impl Pv {
    pub fn to_json(&self) -> Value {
        let mut spec = Map::new();
        spec.insert("accessModes".into(), json!(&*self.modes));
        spec.insert("capacity".into(), json!({"storage": &*self.capacity_str}));
        if let Some((ns, name, uid)) = &self.claim {
            spec.insert(
                "claimRef".into(),
                json!({"apiVersion": "v1", "kind": "PersistentVolumeClaim", "name": &**name, "namespace": &**ns, "uid": &**uid}),
            );
        }
        spec.insert("hostPath".into(), json!({"path": &*self.host_path, "type": ""}));
        spec.insert("persistentVolumeReclaimPolicy".into(), json!(if self.reclaim_delete { "Delete" } else { "Retain" }));
        spec.insert("storageClassName".into(), json!(&*self.class));
        spec.insert("volumeMode".into(), json!("Filesystem"));
        json!({
            "apiVersion": "v1",
            "kind": "PersistentVolume",
            "metadata": self.meta.to_json(false),
            "spec": spec,
            "status": {
                "lastPhaseTransitionTime": rfc3339(self.phase_since),
                "phase": match self.phase { VolumePhase::Available => "Available", VolumePhase::Bound => "Bound", VolumePhase::Released => "Released" },
            },
        })
    }
}

#[derive(Debug, Clone)]
pub struct StorageClass {
    pub meta: Meta,
    pub provisioner: String,
    pub reclaim_delete: bool,
    pub wait_for_consumer: bool,
    pub is_default: bool,
    pub body: Value,
}

impl StorageClass {
    pub fn to_json(&self) -> Value {
        let mut v = json!({
            "apiVersion": "storage.k8s.io/v1",
            "kind": "StorageClass",
            "metadata": self.meta.to_json(false),
            "provisioner": self.provisioner,
            "reclaimPolicy": if self.reclaim_delete { "Delete" } else { "Retain" },
            "volumeBindingMode": if self.wait_for_consumer { "WaitForFirstConsumer" } else { "Immediate" },
        });
        if let (Some(o), Some(b)) = (v.as_object_mut(), self.body.as_object()) {
            for (k, val) in b {
                o.entry(k.clone()).or_insert(val.clone());
            }
        }
        v
    }
}

// ---------------------------------------------------------------- nodes

#[derive(Debug, Clone)]
pub struct Node {
    pub meta: Meta,
    pub index: usize,
    pub unschedulable: bool,
    /// Ready condition: true, or false meaning `Unknown` (stopped reporting).
    pub ready: bool,
    pub ready_since: Time,
    /// `(key, effect, added)`.
    pub taints: Vec<(String, String, Time)>,
    /// Shared with every pod on the node (`status.hostIP`).
    pub ip: Str,
}

impl Node {
    pub fn to_json(&self) -> Value {
        let mut spec = Map::new();
        spec.insert("podCIDR".into(), json!(format!("10.244.{}.0/24", self.index + 1)));
        spec.insert("podCIDRs".into(), json!([format!("10.244.{}.0/24", self.index + 1)]));
        if !self.taints.is_empty() {
            spec.insert(
                "taints".into(),
                Value::Array(self.taints.iter().map(|(k, e, t)| json!({"effect": e, "key": k, "timeAdded": rfc3339(*t)})).collect()),
            );
        }
        if self.unschedulable {
            spec.insert("unschedulable".into(), json!(true));
        }
        let ready = if self.ready {
            json!({"lastHeartbeatTime": rfc3339(self.ready_since), "lastTransitionTime": rfc3339(self.ready_since), "message": "kubelet is posting ready status", "reason": "KubeletReady", "status": "True", "type": "Ready"})
        } else {
            json!({"lastHeartbeatTime": rfc3339(self.ready_since), "lastTransitionTime": rfc3339(self.ready_since), "message": "Kubelet stopped posting node status.", "reason": "NodeStatusUnknown", "status": "Unknown", "type": "Ready"})
        };
        json!({
            "apiVersion": "v1",
            "kind": "Node",
            "metadata": self.meta.to_json(false),
            "spec": spec,
            "status": {
                "addresses": [{"address": &*self.ip, "type": "InternalIP"}, {"address": &*self.meta.name, "type": "Hostname"}],
                "allocatable": {"cpu": "4", "ephemeral-storage": "100Gi", "memory": "8Gi", "pods": "110"},
                "capacity": {"cpu": "4", "ephemeral-storage": "100Gi", "memory": "8Gi", "pods": "110"},
                "conditions": [ready],
                "nodeInfo": {
                    "architecture": "amd64",
                    "containerRuntimeVersion": "containerd://2.1.3",
                    "kernelVersion": "6.8.0",
                    "kubeProxyVersion": "",
                    "kubeletVersion": "v1.34.0",
                    "operatingSystem": "linux",
                    "osImage": "Debian GNU/Linux 12 (bookworm)",
                },
            },
        })
    }
}

// ---------------------------------------------------------------- services and endpoints

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ServicePort {
    pub name: Option<String>,
    pub port: i64,
    pub protocol: String,
    pub target: Value,
}

#[derive(Debug, Clone)]
pub struct Service {
    pub meta: Meta,
    pub spec: Value,
    /// `None` for headless Services.
    pub cluster_ip: Option<Str>,
    /// The pods whose addresses become its endpoints: none without a selector, or for an
    /// ExternalName Service.
    pub selector: Option<StrMap>,
    pub ports: Vec<ServicePort>,
    pub publish_not_ready: bool,
}

impl Service {
    pub fn parse_ports(spec: &Value) -> Vec<ServicePort> {
        spec.get("ports")
            .and_then(Value::as_array)
            .map(|ps| {
                ps.iter()
                    .map(|p| ServicePort {
                        name: p.get("name").and_then(Value::as_str).map(str::to_string),
                        port: int_field(p.get("port")).unwrap_or(0),
                        protocol: p.get("protocol").and_then(Value::as_str).unwrap_or("TCP").to_string(),
                        target: p.get("targetPort").cloned().unwrap_or(Value::Null),
                    })
                    .collect()
            })
            .unwrap_or_default()
    }

    pub fn to_json(&self) -> Value {
        json!({
            "apiVersion": "v1",
            "kind": "Service",
            "metadata": self.meta.to_json(true),
            "spec": self.spec,
            "status": {"loadBalancer": {}},
        })
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EndpointAddress {
    pub ip: Str,
    pub hostname: Option<Str>,
    pub node: Option<Str>,
    pub ready: bool,
    pub pod_uid: Str,
}

#[derive(Debug, Clone)]
pub struct Endpoints {
    pub meta: Meta,
    /// By pod key (the Endpoints' namespace, the pod's name): in a pod name's order, and
    /// compared by the name's first 16 bytes held in the key. Keyed by the name's string
    /// alone, each comparison of a B-tree search followed a pointer to another pod's name, at
    /// 10,000 pods a cache miss each.
    pub addresses: Rc<BTreeMap<Key, EndpointAddress>>,
    pub ports: Vec<ServicePort>,
}

impl Endpoints {
    pub fn to_json(&self) -> Value {
        let mut v = json!({"apiVersion": "v1", "kind": "Endpoints", "metadata": self.meta.to_json(true)});
        let render = |ready: bool| -> Vec<Value> {
            let mut list: Vec<(&Key, &EndpointAddress)> = self.addresses.iter().filter(|(_, a)| a.ready == ready).collect();
            // Keys once per address: this renders on every readiness change, 100 addresses at 100 replicas.
            crate::sort::sort_by_cached_key(&mut list, |(_, a)| ip_sort_key(&a.ip));
            list.into_iter()
                .map(|(pod, a)| {
                    let mut o = Map::new();
                    if let Some(h) = &a.hostname {
                        o.insert("hostname".into(), json!(&**h));
                    }
                    o.insert("ip".into(), json!(&*a.ip));
                    if let Some(n) = &a.node {
                        o.insert("nodeName".into(), json!(&**n));
                    }
                    o.insert(
                        "targetRef".into(),
                        json!({"kind": "Pod", "name": &*pod.1, "namespace": &*self.meta.namespace, "uid": &*a.pod_uid}),
                    );
                    Value::Object(o)
                })
                .collect()
        };
        let ready = render(true);
        let not_ready = render(false);
        if !ready.is_empty() || !not_ready.is_empty() {
            let mut subset = Map::new();
            if !ready.is_empty() {
                subset.insert("addresses".into(), Value::Array(ready));
            }
            if !not_ready.is_empty() {
                subset.insert("notReadyAddresses".into(), Value::Array(not_ready));
            }
            if !self.ports.is_empty() {
                subset.insert(
                    "ports".into(),
                    Value::Array(
                        self.ports
                            .iter()
                            .map(|p| {
                                let mut o = Map::new();
                                if let Some(n) = &p.name {
                                    o.insert("name".into(), json!(n));
                                }
                                o.insert("port".into(), p.target.as_i64().map(|t| json!(t)).unwrap_or(json!(p.port)));
                                o.insert("protocol".into(), json!(p.protocol));
                                Value::Object(o)
                            })
                            .collect(),
                    ),
                );
            }
            if let Some(o) = v.as_object_mut() {
                o.insert("subsets".into(), json!([subset]));
            }
        }
        v
    }
}

pub fn ip_sort_key(ip: &str) -> u32 {
    ip.split('.').fold(0u32, |acc, o| (acc << 8) | o.parse::<u32>().unwrap_or(0) & 0xff)
}

// ---------------------------------------------------------------- workloads

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClaimTemplate {
    pub name: String,
    pub labels: StrMap,
    pub annotations: StrMap,
    pub spec: Rc<Value>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum IntOrPercent {
    Int(i64),
    Percent(i64),
}

#[derive(Debug, Clone)]
pub struct StsSpec {
    pub replicas: i64,
    pub service_name: String,
    pub selector: Selector,
    pub parallel: bool,
    pub on_delete: bool,
    /// `rollingUpdate` block: `(partition, maxUnavailable)`; `None` when the block is absent.
    pub rolling: Option<(i64, Option<IntOrPercent>)>,
    pub history_limit: i64,
    pub when_deleted_delete: bool,
    pub when_scaled_delete: bool,
    pub min_ready_seconds: u64,
    pub start: i64,
    pub claim_templates: Vec<ClaimTemplate>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct StsStatus {
    pub observed_generation: i64,
    pub replicas: i64,
    pub ready: i64,
    pub current: i64,
    pub updated: i64,
    pub available: i64,
    pub current_revision: Option<Str>,
    pub update_revision: Option<Str>,
    pub collision_count: Option<i64>,
    /// Conditions written through `/status` by others (the controller drops them).
    pub conditions: Option<Value>,
}

#[derive(Debug, Clone)]
pub struct StatefulSet {
    pub meta: Meta,
    pub spec_json: Rc<Value>,
    pub spec: Rc<StsSpec>,
    pub status: StsStatus,
    /// The live template, ready to become a revision: its pod template, canonical
    /// ControllerRevision `data` and the FNV-1 hash of that data.
    pub tmpl: Rc<PodTemplate>,
    pub revision_data: Str,
}

impl StatefulSet {
    pub fn to_json(&self) -> Value {
        let st = &self.status;
        let mut status = Map::new();
        if let Some(c) = st.collision_count {
            status.insert("collisionCount".into(), json!(c));
        }
        if let Some(c) = &st.conditions {
            status.insert("conditions".into(), c.clone());
        }
        if st.available > 0 || st.observed_generation > 0 {
            status.insert("availableReplicas".into(), json!(st.available));
        }
        if st.current > 0 {
            status.insert("currentReplicas".into(), json!(st.current));
        }
        if let Some(r) = &st.current_revision {
            status.insert("currentRevision".into(), json!(&**r));
        }
        if st.observed_generation > 0 {
            status.insert("observedGeneration".into(), json!(st.observed_generation));
        }
        if st.ready > 0 {
            status.insert("readyReplicas".into(), json!(st.ready));
        }
        status.insert("replicas".into(), json!(st.replicas));
        if let Some(r) = &st.update_revision {
            status.insert("updateRevision".into(), json!(&**r));
        }
        if st.updated > 0 {
            status.insert("updatedReplicas".into(), json!(st.updated));
        }
        json!({
            "apiVersion": "apps/v1",
            "kind": "StatefulSet",
            "metadata": self.meta.to_json(true),
            "spec": *self.spec_json,
            "status": status,
        })
    }
}

#[derive(Debug, Clone)]
pub struct Revision {
    pub meta: Meta,
    pub data: Str,
    pub revision: i64,
    pub tmpl: Rc<PodTemplate>,
}

impl Revision {
    pub fn to_json(&self) -> Value {
        let data: Value = serde_json::from_str(&self.data).unwrap_or(Value::Null);
        json!({
            "apiVersion": "apps/v1",
            "kind": "ControllerRevision",
            "metadata": self.meta.to_json(true),
            "data": data,
            "revision": self.revision,
        })
    }
}

/// Deployment or ReplicaSet: both are "replicas of one template, selected by labels".
#[derive(Debug, Clone)]
pub struct Workload {
    pub kind: Kind,
    pub meta: Meta,
    pub spec_json: Rc<Value>,
    pub replicas: i64,
    pub selector: Selector,
    pub tmpl: Rc<PodTemplate>,
    pub status: WorkloadStatus,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct WorkloadStatus {
    pub observed_generation: i64,
    pub replicas: i64,
    pub ready: i64,
    pub available: i64,
    pub updated: i64,
    /// Deployments: desired pods (the ReplicaSets' spec counts) not available.
    pub unavailable: i64,
    /// Deployments: Available and Progressing, in the order they were last set.
    pub conditions: Vec<WorkloadCond>,
}

/// A Deployment condition (`DeploymentCondition`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WorkloadCond {
    pub kind: &'static str,
    /// "True", "False" or "Unknown" (a paused or resumed rollout's Progressing).
    pub status: &'static str,
    pub reason: &'static str,
    pub message: String,
    pub updated: Time,
    pub transitioned: Time,
}

impl WorkloadStatus {
    pub fn condition(&self, kind: &str) -> Option<&WorkloadCond> {
        self.conditions.iter().find(|c| c.kind == kind)
    }

    /// deployment util's `SetDeploymentCondition`: the same status and reason change nothing;
    /// the same status keeps its transition time; the condition moves to the end.
    pub fn set_condition(&mut self, mut c: WorkloadCond) {
        if let Some(cur) = self.condition(c.kind) {
            if cur.status == c.status && cur.reason == c.reason {
                return;
            }
            if cur.status == c.status {
                c.transitioned = cur.transitioned;
            }
        }
        self.conditions.retain(|o| o.kind != c.kind);
        self.conditions.push(c);
    }
}

impl Workload {
    pub fn to_json(&self) -> Value {
        let st = &self.status;
        let mut status = Map::new();
        if st.available > 0 {
            status.insert("availableReplicas".into(), json!(st.available));
        }
        if self.kind == Kind::ReplicaSet {
            status.insert("fullyLabeledReplicas".into(), json!(st.replicas));
        }
        if !st.conditions.is_empty() {
            let conds: Vec<Value> = st
                .conditions
                .iter()
                .map(|c| {
                    json!({"lastTransitionTime": rfc3339(c.transitioned), "lastUpdateTime": rfc3339(c.updated), "message": c.message,
                           "reason": c.reason, "status": c.status, "type": c.kind})
                })
                .collect();
            status.insert("conditions".into(), Value::Array(conds));
        }
        status.insert("observedGeneration".into(), json!(st.observed_generation));
        if st.ready > 0 {
            status.insert("readyReplicas".into(), json!(st.ready));
        }
        status.insert("replicas".into(), json!(st.replicas));
        if self.kind == Kind::Deployment {
            if st.unavailable > 0 {
                status.insert("unavailableReplicas".into(), json!(st.unavailable));
            }
            if st.updated > 0 {
                status.insert("updatedReplicas".into(), json!(st.updated));
            }
        }
        json!({
            "apiVersion": "apps/v1",
            "kind": self.kind.name(),
            "metadata": self.meta.to_json(true),
            "spec": *self.spec_json,
            "status": status,
        })
    }
}

/// Kinds the engine stores but does not act on (Namespace, ConfigMap, PodDisruptionBudget, ...).
#[derive(Debug, Clone)]
pub struct Generic {
    pub kind: Kind,
    pub meta: Meta,
    pub body: Map<String, Value>,
}

impl Generic {
    pub fn to_json(&self) -> Value {
        let mut m = self.body.clone();
        m.insert("apiVersion".into(), json!(self.kind.api_version()));
        m.insert("kind".into(), json!(self.kind.name()));
        m.insert("metadata".into(), self.meta.to_json(self.kind.namespaced()));
        Value::Object(m)
    }
}

// ---------------------------------------------------------------- events

/// An Event's reason: one of the program's constant words, as client-go's reasons are, so an
/// Event needs no string of its own for it. Reads as a `str`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Reason(pub &'static str);

impl std::ops::Deref for Reason {
    type Target = str;
    fn deref(&self) -> &str {
        self.0
    }
}

impl AsRef<str> for Reason {
    fn as_ref(&self) -> &str {
        self.0
    }
}

impl std::fmt::Display for Reason {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.0)
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EventRecord {
    /// The stamp client-go puts after the object's name (see [`EventRecord::name`]).
    pub stamp: u64,
    pub uid: Uuid,
    /// When it last happened (`lastTimestamp`).
    pub time: Time,
    /// When it first happened (`firstTimestamp`); repeats update one Event (`count`).
    pub first: Time,
    pub count: u32,
    pub involved_kind: Kind,
    pub involved_ns: Str,
    pub involved_name: Str,
    pub involved_uid: Str,
    pub warning: bool,
    pub reason: Reason,
    pub message: String,
    pub component: &'static str,
    pub host: Option<Str>,
    pub resource_version: u64,
}

impl EventRecord {
    /// `<object name>.<16 hex digits>`, as client-go names Events.
    pub fn name(&self) -> String {
        let mut hex = [0u8; 16];
        super::rng::put_hex(&mut hex, self.stamp);
        let mut name = String::with_capacity(self.involved_name.len() + 17);
        name.push_str(&self.involved_name);
        name.push('.');
        name.push_str(std::str::from_utf8(&hex).unwrap_or_default());
        name
    }

    pub fn to_json(&self) -> Value {
        let mut source = Map::new();
        source.insert("component".into(), json!(self.component));
        if let Some(h) = &self.host {
            source.insert("host".into(), json!(&**h));
        }
        json!({
            "apiVersion": "v1",
            "kind": "Event",
            "count": self.count,
            "eventTime": Value::Null,
            "firstTimestamp": rfc3339(self.first),
            "involvedObject": {
                "apiVersion": self.involved_kind.api_version(),
                "kind": self.involved_kind.name(),
                "name": &*self.involved_name,
                "namespace": &*self.involved_ns,
                "uid": &*self.involved_uid,
            },
            "lastTimestamp": rfc3339(self.time),
            "message": self.message,
            "metadata": {
                "creationTimestamp": rfc3339(self.first),
                "name": self.name(),
                "namespace": &*self.involved_ns,
                "resourceVersion": self.resource_version.to_string(),
                "uid": &*self.uid.to_str(),
            },
            "reason": &*self.reason,
            "reportingComponent": self.component,
            "reportingInstance": "",
            "source": source,
            "type": if self.warning { "Warning" } else { "Normal" },
        })
    }
}

/// Any stored object, for the watch journal and generic queries.
#[derive(Debug, Clone)]
pub enum Obj {
    Pod(Rc<Pod>),
    Pvc(Rc<Pvc>),
    Pv(Rc<Pv>),
    Node(Rc<Node>),
    Service(Rc<Service>),
    Endpoints(Rc<Endpoints>),
    StatefulSet(Rc<StatefulSet>),
    Revision(Rc<Revision>),
    StorageClass(Rc<StorageClass>),
    Workload(Rc<Workload>),
    Generic(Rc<Generic>),
    Event(Rc<EventRecord>),
}

impl Obj {
    /// The object's kind, known without rendering it.
    pub fn kind(&self) -> Kind {
        match self {
            Obj::Pod(_) => Kind::Pod,
            Obj::Pvc(_) => Kind::PersistentVolumeClaim,
            Obj::Pv(_) => Kind::PersistentVolume,
            Obj::Node(_) => Kind::Node,
            Obj::Service(_) => Kind::Service,
            Obj::Endpoints(_) => Kind::Endpoints,
            Obj::StatefulSet(_) => Kind::StatefulSet,
            Obj::Revision(_) => Kind::ControllerRevision,
            Obj::StorageClass(_) => Kind::StorageClass,
            Obj::Workload(o) => o.kind,
            Obj::Generic(o) => o.kind,
            Obj::Event(_) => Kind::Event,
        }
    }

    pub fn to_json(&self) -> Value {
        match self {
            Obj::Pod(o) => o.to_json(),
            Obj::Pvc(o) => o.to_json(),
            Obj::Pv(o) => o.to_json(),
            Obj::Node(o) => o.to_json(),
            Obj::Service(o) => o.to_json(),
            Obj::Endpoints(o) => o.to_json(),
            Obj::StatefulSet(o) => o.to_json(),
            Obj::Revision(o) => o.to_json(),
            Obj::StorageClass(o) => o.to_json(),
            Obj::Workload(o) => o.to_json(),
            Obj::Generic(o) => o.to_json(),
            Obj::Event(o) => o.to_json(),
        }
    }
}

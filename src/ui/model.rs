//! What the screen shows, read once per change from the engine's API objects: StatefulSets as
//! rows of ordinal slots (pod, claims, volumes), Deployments, headless Services with their DNS
//! records, nodes, events and the controller's decisions.
//!
//! Components receive these plain values and compare them, so a slot whose pod did not change is
//! not re-rendered. Sets, slots and pods are shared (`Rc`) and an unchanged one is the previous
//! frame's own value, so that comparison is a pointer check. Nothing here decides anything: it
//! reads what the engine holds.

use std::cell::RefCell;
use std::collections::BTreeMap;
use std::rc::Rc;

use serde_json::Value;

use crate::engine::{Engine, Kind, WatchEventType};

/// How a pod's state reads at a glance; always shown together with its STATUS word.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tone {
    Ok,
    Progress,
    Leaving,
    Bad,
    Idle,
}

impl Tone {
    pub fn class(self) -> &'static str {
        match self {
            Tone::Ok => "tone-ok",
            Tone::Progress => "tone-progress",
            Tone::Leaving => "tone-leaving",
            Tone::Bad => "tone-bad",
            Tone::Idle => "tone-idle",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Default)]
pub struct ClusterView {
    pub sets: Vec<Rc<SetView>>,
    pub deployments: Vec<DeploymentView>,
    pub services: Vec<Rc<ServiceView>>,
    pub nodes: Vec<NodeView>,
    /// Claims that belong to no set shown above.
    pub stray_claims: Vec<ClaimView>,
    pub events: Rc<Vec<EventRow>>,
    pub decisions: Rc<Vec<DecisionRow>>,
    /// What each controller object is doing or waiting for right now.
    pub current: Rc<Vec<DecisionRow>>,
    /// Whether any object at all exists (the empty cluster gets a hint instead).
    pub anything: bool,
}

// Eq lets `Rc<SetView>`, `Rc<SlotView>` and `Rc<PodView>` compare by pointer first.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SetView {
    pub namespace: String,
    pub name: String,
    /// False when the StatefulSet object is gone and only its pods or claims remain.
    pub exists: bool,
    pub replicas: u32,
    pub service_name: String,
    pub policy: String,
    pub strategy: String,
    pub partition: u32,
    pub when_deleted: String,
    pub when_scaled: String,
    pub container: String,
    pub image: String,
    pub claim_templates: Vec<String>,
    pub status: SetStatus,
    pub slots: Vec<Rc<SlotView>>,
}

#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct SetStatus {
    pub replicas: u32,
    pub ready: u32,
    pub current: u32,
    pub updated: u32,
    pub available: u32,
    pub current_revision: String,
    pub update_revision: String,
    pub observed_generation: i64,
    pub generation: i64,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SlotView {
    pub ordinal: u32,
    /// At or above `spec.replicas`: the slot of a condemned pod or of orphaned claims.
    pub beyond: bool,
    pub pod: Option<Rc<PodView>>,
    pub claims: Vec<ClaimView>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PodView {
    pub name: String,
    pub status: String,
    pub tone: Tone,
    pub ready: String,
    pub is_ready: bool,
    pub restarts: u32,
    /// `controller-revision-hash` without the set's name prefix.
    pub revision: String,
    /// Whether the pod runs the set's update revision.
    pub updated: bool,
    pub image: String,
    pub ip: String,
    pub node: String,
    pub terminating: bool,
    /// `metadata.creationTimestamp`, to tell a claim that predates its pod.
    pub created: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClaimView {
    pub name: String,
    pub phase: String,
    pub volume: String,
    pub capacity: String,
    pub state: ClaimState,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ClaimState {
    /// A pod in the slot uses it, and the claim was made for that pod.
    InUse,
    /// A pod uses it, but the claim is older than the pod: the same storage came back.
    Reattached,
    /// No pod uses it; it is kept (Retain) for a future pod of this ordinal.
    Orphaned,
}

#[derive(Debug, Clone, PartialEq)]
pub struct DeploymentView {
    pub name: String,
    pub replicas: u32,
    pub ready: u32,
    pub image: String,
    pub pods: Vec<Rc<PodView>>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ServiceView {
    pub namespace: String,
    pub name: String,
    pub headless: bool,
    pub cluster_ip: String,
    pub ports: String,
    /// `web-0.nginx.default.svc.cluster.local` → IP, for Ready pods with a hostname.
    pub records: Vec<DnsRecord>,
    /// The Service name's own A record: every Ready endpoint IP.
    pub service_fqdn: String,
    pub service_ips: Vec<String>,
    /// Selected pods with an IP that are not Ready, so not in DNS.
    pub not_ready: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DnsRecord {
    pub fqdn: String,
    pub ip: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct NodeView {
    pub name: String,
    pub ready: bool,
    pub unschedulable: bool,
    pub pods: u32,
}

// Eq lets `Rc<Vec<..>>` compare by pointer first: an unchanged list costs nothing to compare.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EventRow {
    /// The Event version's resourceVersion: unique, so the panel's rows are keyed by it and a
    /// new Event inserts one row rather than rewriting every row below it.
    pub id: u64,
    pub time_ms: u64,
    pub warning: bool,
    pub reason: String,
    pub object: String,
    pub message: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DecisionRow {
    /// Position in the engine's decision log (the history list's row key); 0 for current ones.
    pub seq: usize,
    pub time_ms: u64,
    pub owner: String,
    pub text: String,
}

// ---------------------------------------------------------------------------------------------
// Reading JSON defensively: a missing or odd field gives an empty value, never a panic.

fn s<'a>(v: &'a Value, path: &[&str]) -> &'a str {
    walk(v, path).and_then(Value::as_str).unwrap_or("")
}

fn n(v: &Value, path: &[&str]) -> i64 {
    walk(v, path).and_then(Value::as_i64).unwrap_or(0)
}

fn u(v: &Value, path: &[&str]) -> u32 {
    n(v, path).clamp(0, u32::MAX as i64) as u32
}

fn walk<'a>(v: &'a Value, path: &[&str]) -> Option<&'a Value> {
    let mut cur = v;
    for key in path {
        cur = cur.get(*key)?;
    }
    Some(cur)
}

fn arr<'a>(v: &'a Value, path: &[&str]) -> &'a [Value] {
    walk(v, path).and_then(Value::as_array).map(Vec::as_slice).unwrap_or(&[])
}

fn name_of(v: &Value) -> &str {
    s(v, &["metadata", "name"])
}

fn ns_of(v: &Value) -> &str {
    match s(v, &["metadata", "namespace"]) {
        "" => "default",
        ns => ns,
    }
}

fn controller_of(v: &Value) -> Option<(&str, &str)> {
    arr(v, &["metadata", "ownerReferences"])
        .iter()
        .find(|r| r.get("controller").and_then(Value::as_bool).unwrap_or(false))
        .map(|r| (s(r, &["kind"]), s(r, &["name"])))
}

/// `web-3` → 3 when the prefix is the set's name.
fn ordinal_of(pod_name: &str, set: &str) -> Option<u32> {
    let rest = pod_name.strip_prefix(set)?.strip_prefix('-')?;
    if rest.is_empty() || (rest.len() > 1 && rest.starts_with('0')) {
        return None;
    }
    rest.parse().ok()
}

fn tone_of(status: &str, ready: bool) -> Tone {
    match status {
        "Running" if ready => Tone::Ok,
        "Running" | "Pending" | "ContainerCreating" | "PodInitializing" => Tone::Progress,
        s if s.starts_with("Init:") && !s.contains("Error") && !s.contains("BackOff") => Tone::Progress,
        "Terminating" | "Completed" => Tone::Leaving,
        _ => Tone::Bad,
    }
}

fn pod_view(pod: &Value, set: Option<&Value>) -> PodView {
    let containers = arr(pod, &["spec", "containers"]);
    // READY, STATUS and RESTARTS exactly as `kubectl get pods` prints them.
    let summary = crate::kubectl::printers::status::summarize(pod);
    let is_ready = arr(pod, &["status", "conditions"])
        .iter()
        .any(|c| s(c, &["type"]) == "Ready" && s(c, &["status"]) == "True");
    let status = summary.status;
    let hash = s(pod, &["metadata", "labels", "controller-revision-hash"]);
    let (revision, updated) = match set {
        Some(set) => {
            let prefix = format!("{}-", name_of(set));
            let short = hash.strip_prefix(&prefix).unwrap_or(hash).to_string();
            (short, !hash.is_empty() && hash == s(set, &["status", "updateRevision"]))
        }
        None => (hash.to_string(), false),
    };
    let deleting = walk(pod, &["metadata", "deletionTimestamp"]).is_some_and(|d| !d.is_null());
    PodView {
        name: name_of(pod).to_string(),
        tone: tone_of(&status, is_ready),
        status,
        ready: summary.ready,
        is_ready,
        restarts: summary.restarts.clamp(0, u32::MAX as i64) as u32,
        revision,
        updated,
        image: containers.first().map(|c| s(c, &["image"])).unwrap_or("").to_string(),
        ip: s(pod, &["status", "podIP"]).to_string(),
        node: s(pod, &["spec", "nodeName"]).to_string(),
        terminating: deleting,
        created: s(pod, &["metadata", "creationTimestamp"]).to_string(),
    }
}

/// A pod row and what it was built from: the pod's resourceVersion, and the owning set's name
/// and update revision (which decide `revision` and `updated`).
type CachedPod = (String, String, String, Rc<PodView>);

/// A claim's card and what it was built from: the claim's resourceVersion and the creation time
/// of the pod in its slot (which decides `state`; empty without a pod).
type CachedClaim = (String, Option<String>, ClaimView);

/// Pod rows and claim cards kept from earlier frames: a row is rebuilt only when what it was built
/// from changed, else a pod row is the same `Rc`. Every frame looks up every pod and claim, so an
/// unchanged one costs a lookup by a key written into a reused buffer: building two owned key
/// strings per object and moving every entry from last frame's map to a new one was a good part
/// of the model's work at 100 replicas.
struct PodCache<'a> {
    pods: &'a mut Cache,
    claims: &'a mut Cache,
    /// This frame's number: entries not seen in it are dropped after it (`forget_unseen`).
    frame: u64,
    key: String,
}

/// Anything a frame keeps of the previous one, by `object_key`, with the last frame that used
/// it. One value type for all the caches: a B-tree map's code is compiled once per key and value
/// type (~3 KB of download each).
#[derive(Debug)]
enum Cached {
    Pod(CachedPod),
    Claim(CachedClaim),
    Set(Rc<SetView>),
    Service(CachedService),
}

type Cache = BTreeMap<String, (u64, Cached)>;

impl PodCache<'_> {
    fn pod(&mut self, pod: &Value, set: Option<&Value>) -> Rc<PodView> {
        key_into(&mut self.key, pod);
        let rv = s(pod, &["metadata", "resourceVersion"]);
        let (set_name, update) = set.map_or(("", ""), |set| (name_of(set), s(set, &["status", "updateRevision"])));
        if let Some((seen, Cached::Pod(e))) = self.pods.get_mut(self.key.as_str()) {
            if !rv.is_empty() && e.0 == rv && e.1 == set_name && e.2 == update {
                *seen = self.frame;
                return e.3.clone();
            }
        }
        let view = Rc::new(pod_view(pod, set));
        let entry = (rv.to_string(), set_name.to_string(), update.to_string(), view.clone());
        self.pods.insert(self.key.clone(), (self.frame, Cached::Pod(entry)));
        view
    }

    fn claim(&mut self, pvc: &Value, pod: Option<&PodView>) -> ClaimView {
        key_into(&mut self.key, pvc);
        let rv = s(pvc, &["metadata", "resourceVersion"]);
        let created = pod.map(|p| p.created.as_str());
        if let Some((seen, Cached::Claim(e))) = self.claims.get_mut(self.key.as_str()) {
            if !rv.is_empty() && e.0 == rv && e.1.as_deref() == created {
                *seen = self.frame;
                return e.2.clone();
            }
        }
        let view = claim_view(pvc, pod);
        let entry = (rv.to_string(), created.map(str::to_string), view.clone());
        self.claims.insert(self.key.clone(), (self.frame, Cached::Claim(entry)));
        view
    }

    /// Drops the rows of objects this frame did not show (deleted ones).
    fn forget_unseen(self) {
        let frame = self.frame;
        self.pods.retain(|_, (seen, _)| *seen == frame);
        self.claims.retain(|_, (seen, _)| *seen == frame);
    }
}

fn claim_view(pvc: &Value, pod: Option<&PodView>) -> ClaimView {
    let created = s(pvc, &["metadata", "creationTimestamp"]);
    let state = match pod {
        None => ClaimState::Orphaned,
        // RFC 3339 timestamps in one format compare as text.
        Some(p) if !created.is_empty() && !p.created.is_empty() && created < p.created.as_str() => ClaimState::Reattached,
        Some(_) => ClaimState::InUse,
    };
    ClaimView {
        name: name_of(pvc).to_string(),
        phase: s(pvc, &["status", "phase"]).to_string(),
        volume: s(pvc, &["spec", "volumeName"]).to_string(),
        capacity: walk(pvc, &["status", "capacity", "storage"])
            .or_else(|| walk(pvc, &["spec", "resources", "requests", "storage"]))
            .and_then(Value::as_str)
            .unwrap_or("")
            .to_string(),
        state,
    }
}

/// The kinds the screen shows.
const SHOWN: [Kind; 8] = [
    Kind::StatefulSet,
    Kind::Pod,
    Kind::PersistentVolumeClaim,
    Kind::ReplicaSet,
    Kind::Deployment,
    Kind::Endpoints,
    Kind::Service,
    Kind::Node,
];

/// The screen's copy of the objects it shows, kept up to date through an engine watch, so a
/// frame converts only what changed to JSON instead of listing every object again.
#[derive(Debug, Default)]
pub struct Mirror {
    /// By kind, then by `namespace\0name` (see `object_key`).
    objects: BTreeMap<Kind, BTreeMap<String, Value>>,
    cursor: Option<u64>,
    /// Rows built in earlier frames, reused while their inputs are unchanged.
    derived: RefCell<Derived>,
}

/// What a frame can reuse from the previous one: at 100 replicas a frame changes a few pods, and
/// rebuilding every pod's row (its kubectl STATUS included) and every event row was most of the
/// model's work. Cleared whenever the engine is swapped for a snapshot, since resource versions
/// and log lengths only identify content within one timeline.
#[derive(Debug, Default)]
struct Derived {
    /// How many frames were read (see `PodCache::frame`).
    frames: u64,
    /// (namespace, pod name) → (pod resourceVersion, owning set's name and updateRevision, row).
    pods: Cache,
    /// (namespace, claim name) → (claim resourceVersion, its pod's creation time, card).
    claims: Cache,
    /// The sets shown in the previous frame, by (namespace, name): a slot or set equal to its
    /// previous value is that value again.
    sets: Cache,
    /// The event log's length and newest record (by address) when `events` was built.
    events_key: Option<(u64, usize)>,
    events: Rc<Vec<EventRow>>,
    decisions_len: Option<usize>,
    decisions: Rc<Vec<DecisionRow>>,
    /// (namespace, name) → (Service and Endpoints resourceVersions, card).
    services: Cache,
}

/// A Service's card and the resourceVersions of the Service and Endpoints it was built from.
type CachedService = ((String, String), Rc<ServiceView>);

impl Mirror {
    /// Brings the copy up to date with the engine.
    pub fn sync(&mut self, engine: &mut Engine) {
        match self.cursor {
            Some(cursor) => {
                // Only the shown kinds, each changed object once: rendering every Event and
                // every intermediate state of a pod to JSON was most of a frame's work at 100
                // replicas, and the copy keeps only the latest state anyway.
                let (events, next) = engine.poll_watch_latest(cursor, &SHOWN);
                self.cursor = Some(next);
                for e in events {
                    if let Some(objects) = self.objects.get_mut(&e.kind) {
                        let key = object_key(&e.object);
                        match e.event_type {
                            WatchEventType::Deleted => {
                                objects.remove(&key);
                            }
                            _ => {
                                objects.insert(key, e.object);
                            }
                        }
                    }
                }
            }
            None => {
                self.cursor = Some(engine.watch());
                self.relist(engine);
            }
        }
    }

    /// The engine was replaced by a snapshot taken when this mirror's watch stood at `cursor`
    /// (None: before it opened): read everything again and go on from there.
    pub fn reset(&mut self, engine: &mut Engine, cursor: Option<u64>) {
        self.cursor = match cursor {
            Some(c) => Some(engine.poll_watch_kinds(c, &[]).1),
            None => Some(engine.watch()),
        };
        *self.derived.borrow_mut() = Derived::default();
        self.relist(engine);
    }

    /// Where the watch stands (for a snapshot).
    pub fn cursor(&self) -> Option<u64> {
        self.cursor
    }

    fn relist(&mut self, engine: &Engine) {
        self.objects.clear();
        for kind in SHOWN {
            // Inserts rather than `collect`: collecting into a BTreeMap compiles its own sort.
            let objects = self.objects.entry(kind).or_default();
            for o in engine.list(kind, None) {
                objects.insert(object_key(&o), o);
            }
        }
    }

    fn list(&self, kind: Kind) -> Vec<&Value> {
        self.objects.get(&kind).map(|m| m.values().collect()).unwrap_or_default()
    }
}

/// `namespace\0name`: orders as the (namespace, name) pair does (no name holds a NUL), and a
/// String key reuses the B-tree code serde_json's maps already compile; a pair key cost its own.
fn object_key(o: &Value) -> String {
    let mut key = String::new();
    key_into(&mut key, o);
    key
}

/// `object_key` written into `key`, reusing its buffer.
fn key_into(key: &mut String, o: &Value) {
    key.clear();
    key.push_str(ns_of(o));
    key.push('\0');
    key.push_str(name_of(o));
}

/// Sets seen earlier in the session, so a deleted set's leftovers stay in their slots.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Memory {
    /// (namespace, name) → claim template names.
    pub sets: BTreeMap<(String, String), Vec<String>>,
}

/// Reads the whole cluster. Cost grows with the number of objects; the caller only calls this
/// when the engine did something. The event rows are read only when `events` asks for them (the
/// Events tab is open): listing the engine's Events walks its whole log, which grows all session.
pub fn read(mirror: &Mirror, engine: &Engine, memory: &mut Memory, events: bool) -> ClusterView {
    let sets = mirror.list(Kind::StatefulSet);
    let pods = mirror.list(Kind::Pod);
    let claims = mirror.list(Kind::PersistentVolumeClaim);
    // Claims shown in a set's slots, by address in the mirror.
    // A list, not a set: a few dozen claims, and a set type would compile its own B-tree code.
    let mut used_claims = Vec::new();
    let mut derived = mirror.derived.borrow_mut();
    let derived = &mut *derived;
    derived.frames += 1;
    let mut cache = PodCache { pods: &mut derived.pods, claims: &mut derived.claims, frame: derived.frames, key: String::new() };

    for set in &sets {
        let templates = arr(set, &["spec", "volumeClaimTemplates"]).iter().map(|t| name_of(t).to_string()).collect();
        memory.sets.insert((ns_of(set).to_string(), name_of(set).to_string()), templates);
    }

    let mut set_views = Vec::new();
    let mut old_sets = std::mem::take(&mut derived.sets);
    for ((ns, name), templates) in &memory.sets {
        let live = sets.iter().copied().find(|s| ns_of(s) == ns && name_of(s) == name);
        let key = format!("{ns}\0{name}");
        let old = match old_sets.remove(&key) {
            Some((_, Cached::Set(view))) => Some(view),
            _ => None,
        };
        let view = set_view(ns, name, templates, live, &pods, &claims, &mut used_claims, &mut cache, old.as_deref());
        if view.exists || view.slots.iter().any(|s| s.pod.is_some() || !s.claims.is_empty()) {
            let view = match old {
                Some(old) if *old == view => old,
                _ => Rc::new(view),
            };
            derived.sets.insert(key, (0, Cached::Set(view.clone())));
            set_views.push(view);
        }
    }

    let replica_sets = mirror.list(Kind::ReplicaSet);
    let deployments = mirror
        .list(Kind::Deployment)
        .into_iter()
        .map(|d| {
            let rs_names: Vec<&str> = replica_sets
                .iter()
                .filter(|rs| ns_of(rs) == ns_of(d) && controller_of(rs) == Some(("Deployment", name_of(d))))
                .map(|rs| name_of(rs))
                .collect();
            let mut dpods: Vec<Rc<PodView>> = pods
                .iter()
                .filter(|p| ns_of(p) == ns_of(d))
                .filter(|p| matches!(controller_of(p), Some(("ReplicaSet", rs)) if rs_names.contains(&rs)))
                .map(|p| cache.pod(p, None))
                .collect();
            crate::sort::sort_by(&mut dpods, |a, b| a.created.cmp(&b.created).then(a.name.cmp(&b.name)));
            DeploymentView {
                name: name_of(d).to_string(),
                replicas: u(d, &["spec", "replicas"]),
                ready: u(d, &["status", "readyReplicas"]),
                image: arr(d, &["spec", "template", "spec", "containers"]).first().map(|c| s(c, &["image"])).unwrap_or("").to_string(),
                pods: dpods,
            }
        })
        .collect();

    let endpoints = mirror.list(Kind::Endpoints);
    let mut old_services = std::mem::take(&mut derived.services);
    let services = mirror
        .list(Kind::Service)
        .into_iter()
        .filter(|svc| !(ns_of(svc) == "default" && name_of(svc) == "kubernetes"))
        .map(|svc| {
            let key = object_key(svc);
            let ep = endpoints.iter().copied().find(|e| ns_of(e) == ns_of(svc) && name_of(e) == name_of(svc));
            // A service's card depends on the Service and its Endpoints only.
            let versions = (s(svc, &["metadata", "resourceVersion"]).to_string(), ep.map_or("", |e| s(e, &["metadata", "resourceVersion"])).to_string());
            let view = match old_services.remove(&key) {
                Some((_, Cached::Service((v, view)))) if !versions.0.is_empty() && !versions.1.is_empty() && v == versions => view,
                _ => Rc::new(service_view(svc, ep)),
            };
            derived.services.insert(key, (0, Cached::Service((versions, view.clone()))));
            view
        })
        .collect();

    // Pods per node, in a list: a handful of nodes, and a map type would compile its own B-tree code.
    let mut on_node: Vec<(&str, u32)> = Vec::new();
    for p in &pods {
        let node = s(p, &["spec", "nodeName"]);
        match on_node.iter_mut().find(|(n, _)| *n == node) {
            Some((_, count)) => *count += 1,
            None => on_node.push((node, 1)),
        }
    }
    let nodes = mirror
        .list(Kind::Node)
        .into_iter()
        .map(|node| NodeView {
            name: name_of(node).to_string(),
            ready: arr(node, &["status", "conditions"]).iter().any(|c| s(c, &["type"]) == "Ready" && s(c, &["status"]) == "True"),
            unschedulable: walk(node, &["spec", "unschedulable"]).and_then(Value::as_bool).unwrap_or(false),
            pods: on_node.iter().find(|(n, _)| *n == name_of(node)).map_or(0, |(_, count)| *count),
        })
        .collect();

    let stray_claims = claims
        .iter()
        .filter(|c| !used_claims.contains(&(**c as *const Value)))
        .map(|c| cache.claim(c, None))
        .collect();

    cache.forget_unseen();
    // Only the newest events: the log only grows, and the panel shows a screenful.
    const KEEP_EVENTS: usize = 200;
    if events && derived.events_key != Some(engine.events_version()) {
        derived.events_key = Some(engine.events_version());
        derived.events = Rc::new(
            engine
                .recent_events(KEEP_EVENTS)
                .into_iter()
                .map(|e| EventRow {
                    id: e.resource_version,
                    time_ms: e.time.0,
                    warning: e.warning,
                    reason: e.reason.to_string(),
                    object: format!("{}/{}", e.involved_kind.name().to_ascii_lowercase(), e.involved_name),
                    message: e.message.clone(),
                })
                .collect(),
        );
    }
    // The decision log only grows (a rewind clears `derived`), so its length says what changed.
    if derived.decisions_len != Some(engine.decisions().len()) {
        derived.decisions_len = Some(engine.decisions().len());
        derived.decisions = Rc::new(read_decisions(engine));
    }
    let anything = !set_views.is_empty() || !pods.is_empty() || !claims.is_empty() || !sets.is_empty();

    ClusterView {
        sets: set_views,
        deployments,
        services,
        nodes,
        stray_claims,
        events: derived.events.clone(),
        decisions: derived.decisions.clone(),
        current: Rc::new(
            engine
                .current_decisions()
                .values()
                .map(|d| DecisionRow { seq: 0, time_ms: d.time.0, owner: d.owner.clone(), text: d.text.clone() })
                .collect(),
        ),
        anything,
    }
}

/// The most recent decisions, oldest first.
pub fn read_decisions(engine: &Engine) -> Vec<DecisionRow> {
    const KEEP: usize = 60;
    let all = engine.decisions();
    let start = all.len().saturating_sub(KEEP);
    all[start..]
        .iter()
        .enumerate()
        .map(|(i, d)| DecisionRow { seq: start + i, time_ms: d.time.0, owner: d.owner.clone(), text: d.text.clone() })
        .collect()
}

#[allow(clippy::too_many_arguments)]
fn set_view(
    ns: &str,
    name: &str,
    templates: &[String],
    live: Option<&Value>,
    pods: &[&Value],
    claims: &[&Value],
    used_claims: &mut Vec<*const Value>,
    cache: &mut PodCache,
    previous: Option<&SetView>,
) -> SetView {
    let replicas = live.map(|s| u(s, &["spec", "replicas"])).unwrap_or(0);
    // Per ordinal, its pod and its claims: one map for both, as each B-tree map type (key and
    // value) compiles its own code.
    let mut by_ordinal: BTreeMap<u32, (Option<&Value>, Vec<&Value>)> = BTreeMap::new();
    for pod in pods.iter().filter(|p| ns_of(p) == ns) {
        // Owned by this set, or an orphan that still bears its name (after --cascade=orphan).
        let owner_ok = match controller_of(pod) {
            Some((kind, owner)) => kind == "StatefulSet" && owner == name,
            None => true,
        };
        if let (true, Some(k)) = (owner_ok, ordinal_of(name_of(pod), name)) {
            by_ordinal.entry(k).or_default().0 = Some(pod);
        }
    }
    for claim in claims.iter().filter(|c| ns_of(c) == ns) {
        for t in templates {
            if let Some(k) = name_of(claim).strip_prefix(t.as_str()).and_then(|r| r.strip_prefix('-')).and_then(|r| ordinal_of(r, name)) {
                by_ordinal.entry(k).or_default().1.push(claim);
            }
        }
    }
    let highest = by_ordinal.keys().max().map(|k| k + 1).unwrap_or(0);
    let count = highest.max(replicas);
    let slots = (0..count)
        .map(|k| {
            let (pod, claims) = by_ordinal.get(&k).map_or((None, None), |(p, cs)| (*p, Some(cs)));
            let pod = pod.map(|p| cache.pod(p, live));
            let claims = claims
                .map(|cs| {
                    cs.iter()
                        .map(|c| {
                            used_claims.push(*c as *const Value);
                            cache.claim(c, pod.as_deref())
                        })
                        .collect()
                })
                .unwrap_or_default();
            let slot = SlotView { ordinal: k, beyond: k >= replicas, pod, claims };
            match previous.and_then(|p| p.slots.get(k as usize)) {
                Some(old) if **old == slot => old.clone(),
                _ => Rc::new(slot),
            }
        })
        .collect();

    let empty = Value::Null;
    let set = live.unwrap_or(&empty);
    let container = arr(set, &["spec", "template", "spec", "containers"]).first();
    SetView {
        namespace: ns.to_string(),
        name: name.to_string(),
        exists: live.is_some(),
        replicas,
        service_name: s(set, &["spec", "serviceName"]).to_string(),
        policy: s(set, &["spec", "podManagementPolicy"]).to_string(),
        strategy: s(set, &["spec", "updateStrategy", "type"]).to_string(),
        partition: u(set, &["spec", "updateStrategy", "rollingUpdate", "partition"]),
        when_deleted: or_default(s(set, &["spec", "persistentVolumeClaimRetentionPolicy", "whenDeleted"]), "Retain"),
        when_scaled: or_default(s(set, &["spec", "persistentVolumeClaimRetentionPolicy", "whenScaled"]), "Retain"),
        container: container.map(|c| s(c, &["name"])).unwrap_or("").to_string(),
        image: container.map(|c| s(c, &["image"])).unwrap_or("").to_string(),
        claim_templates: templates.to_vec(),
        status: SetStatus {
            replicas: u(set, &["status", "replicas"]),
            ready: u(set, &["status", "readyReplicas"]),
            current: u(set, &["status", "currentReplicas"]),
            updated: u(set, &["status", "updatedReplicas"]),
            available: u(set, &["status", "availableReplicas"]),
            current_revision: s(set, &["status", "currentRevision"]).to_string(),
            update_revision: s(set, &["status", "updateRevision"]).to_string(),
            observed_generation: n(set, &["status", "observedGeneration"]),
            generation: n(set, &["metadata", "generation"]),
        },
        slots,
    }
}

fn or_default(value: &str, default: &str) -> String {
    if value.is_empty() { default } else { value }.to_string()
}

fn service_view(svc: &Value, endpoint: Option<&Value>) -> ServiceView {
    let ns = ns_of(svc);
    let name = name_of(svc);
    let domain = format!("{name}.{ns}.svc.cluster.local");
    let mut records = Vec::new();
    let mut service_ips = Vec::new();
    let mut not_ready = Vec::new();
    if let Some(ep) = endpoint {
        for subset in arr(ep, &["subsets"]) {
            for a in arr(subset, &["addresses"]) {
                let ip = s(a, &["ip"]).to_string();
                if !s(a, &["hostname"]).is_empty() {
                    records.push(DnsRecord { fqdn: format!("{}.{domain}", s(a, &["hostname"])), ip: ip.clone() });
                }
                service_ips.push(ip);
            }
            for a in arr(subset, &["notReadyAddresses"]) {
                let who = match s(a, &["targetRef", "name"]) {
                    "" => s(a, &["ip"]),
                    n => n,
                };
                not_ready.push(who.to_string());
            }
        }
    }
    // Keys computed once per element: these lists are sorted on every frame that changes them.
    crate::sort::sort_by_cached_key(&mut records, |r| natural(&r.fqdn));
    crate::sort::sort(&mut service_ips);
    crate::sort::sort_by_cached_key(&mut not_ready, |n| natural(n));
    let ports = arr(svc, &["spec", "ports"])
        .iter()
        .map(|p| match s(p, &["name"]) {
            "" => format!("{}/{}", n(p, &["port"]), or_default(s(p, &["protocol"]), "TCP")),
            pn => format!("{pn}:{}/{}", n(p, &["port"]), or_default(s(p, &["protocol"]), "TCP")),
        })
        .collect::<Vec<_>>()
        .join(", ");
    ServiceView {
        namespace: ns.to_string(),
        name: name.to_string(),
        headless: s(svc, &["spec", "clusterIP"]) == "None",
        cluster_ip: s(svc, &["spec", "clusterIP"]).to_string(),
        ports,
        records,
        service_fqdn: domain,
        service_ips,
        not_ready,
    }
}

/// Sorts `web-10` after `web-9`.
fn natural(text: &str) -> (String, u64, String) {
    let digits_at = text.find(|c: char| c.is_ascii_digit()).unwrap_or(text.len());
    let (head, rest) = text.split_at(digits_at);
    let end = rest.find(|c: char| !c.is_ascii_digit()).unwrap_or(rest.len());
    (head.to_string(), rest[..end].parse().unwrap_or(0), rest[end..].to_string())
}

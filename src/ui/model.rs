//! What the screen shows, read once per change from the engine's API objects: StatefulSets as
//! rows of ordinal slots (pod, claims, volumes), Deployments, headless Services with their DNS
//! records, nodes, events and the controller's decisions.
//!
//! Components receive these plain values and compare them, so a slot whose pod did not change is
//! not re-rendered. Sets, slots and pods are shared (`Rc`) and an unchanged one is the previous
//! frame's own value, so that comparison is a pointer check. Nothing here decides anything: it
//! reads what the engine holds.

use std::cell::{Cell, RefCell};
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

/// One object as the screen keeps it: its API JSON, what every frame asks of it (read once, when
/// this version arrives), and the row a frame built from it. A change replaces the entry, so a
/// row is rebuilt exactly when its object changed (or what else it was built from did): a frame
/// looks at an unchanged pod or claim for a few string comparisons. Reading every pod and claim
/// from JSON on every frame, and looking each up in a cache by name, was most of the model's work
/// at 100 replicas.
#[derive(Debug)]
struct Entry {
    json: Value,
    /// The controlling owner reference's kind and name.
    owner: Option<(String, String)>,
    /// `spec.nodeName` (pods).
    node: String,
    /// The last frame that showed it in a set's slot (so it is not a stray claim).
    shown: Cell<u64>,
    /// The row built from this entry, or the one built from the previous version of the object
    /// until this one's is (`fresh` says which): a rebuilt row equal to the previous one is that
    /// row again, so the components compare it by pointer.
    row: RefCell<Option<Row>>,
    fresh: Cell<bool>,
}

/// A row and what it was built from besides its own object.
#[derive(Debug)]
enum Row {
    /// The owning set's name and update revision (they decide `revision` and `updated`).
    Pod(String, String, Rc<PodView>),
    /// The creation time of the pod in its slot (decides `state`; None without a pod).
    Claim(Option<String>, Rc<ClaimView>),
    /// The resourceVersion of the Service's Endpoints ("" without).
    Service(String, Rc<ServiceView>),
}

impl Entry {
    /// `row`: the previous version's.
    fn new(json: Value, row: Option<Row>) -> Entry {
        Entry {
            owner: controller_of(&json).map(|(kind, name)| (kind.to_string(), name.to_string())),
            node: s(&json, &["spec", "nodeName"]).to_string(),
            json,
            shown: Cell::new(0),
            row: RefCell::new(row),
            fresh: Cell::new(false),
        }
    }
}

/// `view`, or the equal one shown before (so it compares by pointer).
fn same_or<V: PartialEq>(old: Option<&Rc<V>>, view: V) -> Rc<V> {
    match old {
        Some(old) if **old == view => old.clone(),
        _ => Rc::new(view),
    }
}

/// A pod's row, owned by the set named `set_name` (its JSON `set`, if it exists) whose update
/// revision is `update`; empty names for a pod shown outside a set.
fn pod_row(pod: &Entry, set: Option<&Value>, set_name: &str, update: &str) -> Rc<PodView> {
    let mut row = pod.row.borrow_mut();
    let old = match &*row {
        Some(Row::Pod(name, up, view)) => {
            if pod.fresh.get() && name == set_name && up == update {
                return view.clone();
            }
            Some(view)
        }
        _ => None,
    };
    let view = same_or(old, pod_view(&pod.json, set));
    *row = Some(Row::Pod(set_name.to_string(), update.to_string(), view.clone()));
    pod.fresh.set(true);
    view
}

/// A claim's card, in the slot of `pod` (None: no pod there).
fn claim_row(claim: &Entry, pod: Option<&PodView>) -> Rc<ClaimView> {
    let created = pod.map(|p| p.created.as_str());
    let mut row = claim.row.borrow_mut();
    let old = match &*row {
        Some(Row::Claim(with, view)) => {
            if claim.fresh.get() && with.as_deref() == created {
                return view.clone();
            }
            Some(view)
        }
        _ => None,
    };
    let view = same_or(old, claim_view(&claim.json, pod));
    *row = Some(Row::Claim(created.map(str::to_string), view.clone()));
    claim.fresh.set(true);
    view
}

/// A Service's card, from it and its Endpoints (the only inputs it has).
fn service_row(svc: &Entry, endpoints: Option<&Entry>) -> Rc<ServiceView> {
    let ep = endpoints.map(|e| &e.json);
    let version = ep.map_or("", |e| s(e, &["metadata", "resourceVersion"]));
    let mut row = svc.row.borrow_mut();
    let old = match &*row {
        Some(Row::Service(with, view)) => {
            if svc.fresh.get() && with == version {
                return view.clone();
            }
            Some(view)
        }
        _ => None,
    };
    let view = same_or(old, service_view(&svc.json, ep));
    *row = Some(Row::Service(version.to_string(), view.clone()));
    svc.fresh.set(true);
    view
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
    /// By kind (in `SHOWN`'s order), then by `namespace\0name` (see `object_key`).
    objects: [BTreeMap<String, Entry>; SHOWN.len()],
    cursor: Option<u64>,
    /// What frames keep of earlier ones besides the entries' rows.
    derived: RefCell<Derived>,
}

/// What a frame can reuse from the previous one besides the entries' rows. Cleared whenever the
/// engine is swapped for a snapshot (the entries are then read anew too), since log lengths only
/// identify content within one timeline.
#[derive(Debug, Default)]
struct Derived {
    /// How many frames were read (see `Entry::shown`).
    frames: u64,
    /// The sets shown in the previous frame, by `namespace\0name`: a slot or set equal to its
    /// previous value is that value again. A list: a lesson shows a set or two.
    sets: Vec<(String, Rc<SetView>)>,
    /// The event log's length and newest record (by address) when `events` was built.
    events_key: Option<(u64, usize)>,
    events: Rc<Vec<EventRow>>,
    decisions_len: Option<usize>,
    decisions: Rc<Vec<DecisionRow>>,
    current: Rc<Vec<DecisionRow>>,
}

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
                    if let Some(objects) = SHOWN.iter().position(|k| *k == e.kind).and_then(|i| self.objects.get_mut(i)) {
                        let key = object_key(&e.object);
                        // The old version's row stays until the new one's is built.
                        let old = objects.remove(&key);
                        if !matches!(e.event_type, WatchEventType::Deleted) {
                            objects.insert(key, Entry::new(e.object, old.and_then(|o| o.row.into_inner())));
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
        for (objects, kind) in self.objects.iter_mut().zip(SHOWN) {
            objects.clear();
            // Inserts rather than `collect`: collecting into a BTreeMap compiles its own sort.
            for o in engine.list(kind, None) {
                objects.insert(object_key(&o), Entry::new(o, None));
            }
        }
    }

    /// A kind's objects in key order, each with its namespace and name.
    fn list(&self, kind: Kind) -> impl Iterator<Item = (&str, &str, &Entry)> {
        self.of(kind).iter().map(|(key, entry)| {
            let (ns, name) = key.split_once('\0').unwrap_or(("", key));
            (ns, name, entry)
        })
    }

    fn get(&self, kind: Kind, key: &str) -> Option<&Entry> {
        self.of(kind).get(key)
    }

    fn of(&self, kind: Kind) -> &BTreeMap<String, Entry> {
        const NONE: &BTreeMap<String, Entry> = &BTreeMap::new();
        SHOWN.iter().position(|k| *k == kind).and_then(|i| self.objects.get(i)).unwrap_or(NONE)
    }
}

/// `namespace\0name`: orders as the (namespace, name) pair does (no name holds a NUL), and a
/// String key reuses the B-tree code serde_json's maps already compile; a pair key cost its own.
fn object_key(o: &Value) -> String {
    let mut key = String::new();
    key.push_str(ns_of(o));
    key.push('\0');
    key.push_str(name_of(o));
    key
}

/// Sets seen earlier in the session, so a deleted set's leftovers stay in their slots.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Memory {
    /// (namespace, name) → claim template names.
    pub sets: BTreeMap<(String, String), Vec<String>>,
}

/// Reads the whole cluster. Every frame looks at every object, but builds rows only for those
/// that changed (see `Entry`); the caller only calls this when the engine did something. The
/// event rows are read only when `events` asks for them (the Events tab is open): listing the
/// engine's Events walks its whole log, which grows all session.
pub fn read(mirror: &Mirror, engine: &Engine, memory: &mut Memory, events: bool) -> ClusterView {
    let mut derived = mirror.derived.borrow_mut();
    let derived = &mut *derived;
    derived.frames += 1;
    let frame = derived.frames;

    for (ns, name, set) in mirror.list(Kind::StatefulSet) {
        let templates = arr(&set.json, &["spec", "volumeClaimTemplates"]).iter().map(|t| name_of(t).to_string()).collect();
        memory.sets.insert((ns.to_string(), name.to_string()), templates);
    }

    let mut set_views = Vec::new();
    let old_sets = std::mem::take(&mut derived.sets);
    for ((ns, name), templates) in &memory.sets {
        let key = format!("{ns}\0{name}");
        let live = mirror.get(Kind::StatefulSet, &key).map(|e| &e.json);
        let old = old_sets.iter().find(|(k, _)| *k == key).map(|(_, view)| view);
        let view = set_view(ns, name, templates, live, mirror, frame, old.map(|o| &**o));
        if view.exists || view.slots.iter().any(|s| s.pod.is_some() || !s.claims.is_empty()) {
            let view = same_or(old, view);
            derived.sets.push((key, view.clone()));
            set_views.push(view);
        }
    }

    // Loops rather than iterator chains: each chain compiled its own iterator code.
    let mut deployments = Vec::new();
    for (ns, name, d) in mirror.list(Kind::Deployment) {
        let mut rs_names = Vec::new();
        for (rs_ns, rs, rs_entry) in mirror.list(Kind::ReplicaSet) {
            if rs_ns == ns && matches!(&rs_entry.owner, Some((kind, owner)) if kind == "Deployment" && owner == name) {
                rs_names.push(rs);
            }
        }
        let mut pods = Vec::new();
        for (pod_ns, _, p) in mirror.list(Kind::Pod) {
            if pod_ns == ns && matches!(&p.owner, Some((kind, rs)) if kind == "ReplicaSet" && rs_names.contains(&rs.as_str())) {
                pods.push(pod_row(p, None, "", ""));
            }
        }
        crate::sort::sort_by(&mut pods, |a, b| a.created.cmp(&b.created).then(a.name.cmp(&b.name)));
        let d = &d.json;
        deployments.push(DeploymentView {
            name: name.to_string(),
            replicas: u(d, &["spec", "replicas"]),
            ready: u(d, &["status", "readyReplicas"]),
            image: arr(d, &["spec", "template", "spec", "containers"]).first().map(|c| s(c, &["image"])).unwrap_or("").to_string(),
            pods,
        });
    }

    let mut services = Vec::new();
    for (ns, name, svc) in mirror.list(Kind::Service) {
        if !(ns == "default" && name == "kubernetes") {
            services.push(service_row(svc, mirror.get(Kind::Endpoints, &format!("{ns}\0{name}"))));
        }
    }

    // Pods per node, in a list: a handful of nodes, and a map type would compile its own B-tree code.
    let mut on_node: Vec<(&str, u32)> = Vec::new();
    for (_, _, p) in mirror.list(Kind::Pod) {
        match on_node.iter_mut().find(|(n, _)| *n == p.node) {
            Some((_, count)) => *count += 1,
            None => on_node.push((p.node.as_str(), 1)),
        }
    }
    let mut nodes = Vec::new();
    for (_, name, node) in mirror.list(Kind::Node) {
        nodes.push(NodeView {
            name: name.to_string(),
            ready: arr(&node.json, &["status", "conditions"]).iter().any(|c| s(c, &["type"]) == "Ready" && s(c, &["status"]) == "True"),
            unschedulable: walk(&node.json, &["spec", "unschedulable"]).and_then(Value::as_bool).unwrap_or(false),
            pods: on_node.iter().find(|(n, _)| *n == name).map_or(0, |(_, count)| *count),
        });
    }

    let mut stray_claims = Vec::new();
    for (_, _, c) in mirror.list(Kind::PersistentVolumeClaim) {
        if c.shown.get() != frame {
            stray_claims.push((*claim_row(c, None)).clone());
        }
    }

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
    // The same list again while it reads the same, so the "Why?" panel is not drawn again.
    let current = engine.current_decisions();
    let same = derived.current.len() == current.len()
        && derived.current.iter().zip(current.values()).all(|(row, d)| row.time_ms == d.time.0 && *row.owner == *d.owner && row.text == d.text);
    if !same {
        derived.current = Rc::new(current.values().map(|d| DecisionRow { seq: 0, time_ms: d.time.0, owner: d.owner.to_string(), text: d.text.clone() }).collect());
    }
    let anything = !set_views.is_empty() || [Kind::Pod, Kind::PersistentVolumeClaim, Kind::StatefulSet].iter().any(|k| !mirror.of(*k).is_empty());

    ClusterView {
        sets: set_views,
        deployments,
        services,
        nodes,
        stray_claims,
        events: derived.events.clone(),
        decisions: derived.decisions.clone(),
        current: derived.current.clone(),
        anything,
    }
}

/// The most recent decisions, oldest first.
pub fn read_decisions(engine: &Engine) -> Vec<DecisionRow> {
    const KEEP: usize = 60;
    let log = engine.decisions();
    let mut rows: Vec<DecisionRow> = log
        .iter()
        .rev()
        .take(KEEP)
        .zip((0..log.len()).rev())
        .map(|(d, seq)| DecisionRow { seq, time_ms: d.time.0, owner: d.owner.to_string(), text: d.text.clone() })
        .collect();
    rows.reverse();
    rows
}

fn set_view(ns: &str, name: &str, templates: &[String], live: Option<&Value>, mirror: &Mirror, frame: u64, previous: Option<&SetView>) -> SetView {
    let replicas = live.map(|s| u(s, &["spec", "replicas"])).unwrap_or(0);
    // A pod's row is built with the set (so these) only while the set exists.
    let (owner, update) = live.map_or(("", ""), |set| (name, s(set, &["status", "updateRevision"])));
    // Per ordinal, its pod and its claims: one map for both, as each B-tree map type (key and
    // value) compiles its own code.
    let mut by_ordinal: BTreeMap<u32, (Option<&Entry>, Vec<&Entry>)> = BTreeMap::new();
    for (pod_ns, pod_name, pod) in mirror.list(Kind::Pod) {
        // Owned by this set, or an orphan that still bears its name (after --cascade=orphan).
        let owner_ok = match &pod.owner {
            Some((kind, owner)) => kind == "StatefulSet" && owner == name,
            None => true,
        };
        if let (true, true, Some(k)) = (pod_ns == ns, owner_ok, ordinal_of(pod_name, name)) {
            by_ordinal.entry(k).or_default().0 = Some(pod);
        }
    }
    for (claim_ns, claim_name, claim) in mirror.list(Kind::PersistentVolumeClaim) {
        if claim_ns != ns {
            continue;
        }
        for t in templates {
            if let Some(k) = claim_name.strip_prefix(t.as_str()).and_then(|r| r.strip_prefix('-')).and_then(|r| ordinal_of(r, name)) {
                by_ordinal.entry(k).or_default().1.push(claim);
            }
        }
    }
    let highest = by_ordinal.keys().max().map(|k| k + 1).unwrap_or(0);
    let count = highest.max(replicas);
    let mut claims = Vec::new();
    let slots = (0..count)
        .map(|k| {
            let (pod, slot_claims) = by_ordinal.get(&k).map_or((None, &[][..]), |(p, cs)| (*p, cs.as_slice()));
            let pod = pod.map(|p| pod_row(p, live, owner, update));
            claims.clear();
            for c in slot_claims {
                c.shown.set(frame);
                claims.push(claim_row(c, pod.as_deref()));
            }
            let beyond = k >= replicas;
            // The previous slot when nothing in it changed, without building a value to compare.
            let old = previous.and_then(|p| p.slots.get(k as usize));
            let same = old.is_some_and(|old| {
                old.ordinal == k
                    && old.beyond == beyond
                    && old.pod.as_ref().map(Rc::as_ptr) == pod.as_ref().map(Rc::as_ptr)
                    && old.claims.len() == claims.len()
                    && old.claims.iter().zip(&claims).all(|(a, b)| *a == **b)
            });
            match old {
                Some(old) if same => old.clone(),
                _ => Rc::new(SlotView { ordinal: k, beyond, pod, claims: claims.iter().map(|c| (**c).clone()).collect() }),
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

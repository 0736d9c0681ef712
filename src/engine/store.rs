//! The simulated API server's storage: typed objects by kind and key, the resourceVersion
//! counter, the watch journal and the event log.
//!
//! Maps hold `Rc` objects so an engine clone (a time-travel snapshot) copies pointers, not
//! objects. Iteration order is part of the deterministic output: the kinds written or looked
//! up on every pod change (pods, claims, volumes, endpoints) are hashed [`Objects`] tables,
//! which list in key order all the same; the others are ordered maps.

use super::applog::AppendLog;
use super::keymap::{ObjectMap, Objects};
use super::rng::Uuid;
use super::meta::*;
use super::objects::*;
use super::{Kind, Time, WatchEvent, WatchEventType};
use std::collections::{BTreeMap, VecDeque};
use std::rc::Rc;

#[derive(Debug, Clone, Default)]
pub struct Store {
    pub rv: u64,
    /// Count writes and removals of ControllerRevisions and PersistentVolumeClaims: the
    /// StatefulSet controller re-reads what it derived from them only when these moved (see
    /// `SetIndex::revisions`, `SetIndex::claims_present` and `SyncMemo`). Claim writes that
    /// leave what the controller reads of a claim as it was are not counted (see `count_write`).
    pub revision_writes: u64,
    pub claim_writes: u64,
    pub pods: Objects<Pod>,
    pub pvcs: Objects<Pvc>,
    pub pvs: Objects<Pv>,
    pub nodes: BTreeMap<Key, Rc<Node>>,
    pub services: BTreeMap<Key, Rc<Service>>,
    pub endpoints: Objects<Endpoints>,
    pub sets: BTreeMap<Key, Rc<StatefulSet>>,
    pub revisions: BTreeMap<Key, Rc<Revision>>,
    pub classes: BTreeMap<Key, Rc<StorageClass>>,
    pub deployments: BTreeMap<Key, Rc<Workload>>,
    pub replicasets: BTreeMap<Key, Rc<Workload>>,
    pub generic: BTreeMap<(Kind, Key), Rc<Generic>>,
    /// Records stored in the log's chunks, not each in its own allocation: a session records
    /// ~17 Events per pod, and at 10,000 pods a record of its own came from memory long out of
    /// the cache and went back to it cold an hour later, when the Event expired.
    pub events: AppendLog<EventRecord>,
    /// The event correlator's cache: where in `events` the latest Event for each recent event
    /// key is.
    pub event_cache: EventCache,
    pub journal: Journal,
}

/// client-go's event correlator keeps an LRU of 4096 event keys; this is a direct-mapped cache
/// of the same size: O(1) per event, a fixed 64 KB per snapshot, and a key that loses its
/// slot simply starts a new Event, as an LRU eviction would.
#[derive(Debug, Clone)]
pub struct EventCache {
    slots: Vec<Option<(u64, usize)>>,
}

impl Default for EventCache {
    fn default() -> Self {
        EventCache { slots: vec![None; 4096] }
    }
}

impl EventCache {
    /// The log sequence number of the last event recorded under `key`.
    pub fn get(&self, key: u64) -> Option<usize> {
        match self.slots.get((key % 4096) as usize)? {
            Some((k, seq)) if *k == key => Some(*seq),
            _ => None,
        }
    }

    pub fn put(&mut self, key: u64, seq: usize) {
        if let Some(slot) = self.slots.get_mut((key % 4096) as usize) {
            *slot = Some((key, seq));
        }
    }
}

/// Typed access to one kind's map, so writes share one code path.
pub trait Stored: Sized + Clone {
    fn meta(&self) -> &Meta;
    fn meta_mut(&mut self) -> &mut Meta;
    fn kind(&self) -> Kind;
    fn wrap(rc: Rc<Self>) -> Obj;
    fn map(store: &mut Store, kind: Kind) -> Option<&mut dyn ObjectMap<Rc<Self>>>;
}

macro_rules! stored {
    ($t:ty, $kind:expr, $variant:ident, $field:ident) => {
        impl Stored for $t {
            fn meta(&self) -> &Meta {
                &self.meta
            }
            fn meta_mut(&mut self) -> &mut Meta {
                &mut self.meta
            }
            fn kind(&self) -> Kind {
                $kind
            }
            fn wrap(rc: Rc<Self>) -> Obj {
                Obj::$variant(rc)
            }
            fn map(store: &mut Store, _: Kind) -> Option<&mut dyn ObjectMap<Rc<Self>>> {
                Some(&mut store.$field)
            }
        }
    };
}

stored!(Pod, Kind::Pod, Pod, pods);
stored!(Pvc, Kind::PersistentVolumeClaim, Pvc, pvcs);
stored!(Pv, Kind::PersistentVolume, Pv, pvs);
stored!(Node, Kind::Node, Node, nodes);
stored!(Service, Kind::Service, Service, services);
stored!(Endpoints, Kind::Endpoints, Endpoints, endpoints);
stored!(StatefulSet, Kind::StatefulSet, StatefulSet, sets);
stored!(Revision, Kind::ControllerRevision, Revision, revisions);
stored!(StorageClass, Kind::StorageClass, StorageClass, classes);

impl Stored for Workload {
    fn meta(&self) -> &Meta {
        &self.meta
    }
    fn meta_mut(&mut self) -> &mut Meta {
        &mut self.meta
    }
    fn kind(&self) -> Kind {
        self.kind
    }
    fn wrap(rc: Rc<Self>) -> Obj {
        Obj::Workload(rc)
    }
    fn map(store: &mut Store, kind: Kind) -> Option<&mut dyn ObjectMap<Rc<Self>>> {
        match kind {
            Kind::Deployment => Some(&mut store.deployments),
            Kind::ReplicaSet => Some(&mut store.replicasets),
            _ => None,
        }
    }
}

impl Store {
    /// Called on every write or removal of an object of `kind`, with the versions before and
    /// after (`None`: absent).
    ///
    /// The StatefulSet controller reads of a claim only whether it exists, its uid, deletion
    /// timestamp and owner references, so the binder's and provisioner's writes (phase, volume,
    /// annotations) do not count: a sync after them would do exactly what the last one did.
    pub fn count_write(&mut self, kind: Kind, old: Option<&Meta>, new: Option<&Meta>) {
        match kind {
            Kind::ControllerRevision => self.revision_writes += 1,
            Kind::PersistentVolumeClaim => {
                let same = match (old, new) {
                    (Some(o), Some(n)) => same_str(&o.uid, &n.uid) && o.deletion == n.deletion && o.owners.same(&n.owners),
                    _ => false,
                };
                if !same {
                    self.claim_writes += 1;
                }
            }
            _ => {}
        }
    }

    /// Every object of a kind, rendered lazily (events come from the event log).
    pub fn objects(&self, kind: Kind) -> Vec<(Key, Obj)> {
        fn all<T>(m: &BTreeMap<Key, Rc<T>>, f: fn(Rc<T>) -> Obj) -> Vec<(Key, Obj)> {
            m.iter().map(|(k, v)| (k.clone(), f(v.clone()))).collect()
        }
        fn all_hashed<T: Stored>(m: &Objects<T>, f: fn(Rc<T>) -> Obj) -> Vec<(Key, Obj)> {
            m.sorted().into_iter().map(|v| (v.meta().key(), f(v.clone()))).collect()
        }
        match kind {
            Kind::Pod => all_hashed(&self.pods, Obj::Pod),
            Kind::PersistentVolumeClaim => all_hashed(&self.pvcs, Obj::Pvc),
            Kind::PersistentVolume => all_hashed(&self.pvs, Obj::Pv),
            Kind::Node => all(&self.nodes, Obj::Node),
            Kind::Service => all(&self.services, Obj::Service),
            Kind::Endpoints => all_hashed(&self.endpoints, Obj::Endpoints),
            Kind::StatefulSet => all(&self.sets, Obj::StatefulSet),
            Kind::ControllerRevision => all(&self.revisions, Obj::Revision),
            Kind::StorageClass => all(&self.classes, Obj::StorageClass),
            Kind::Deployment => all(&self.deployments, Obj::Workload),
            Kind::ReplicaSet => all(&self.replicasets, Obj::Workload),
            Kind::Event => self
                .live_events()
                .into_iter()
                .map(|e| (Key::new(e.involved_ns.clone(), Rc::from(e.name().as_str())), Obj::Event(Rc::new(e.clone()))))
                .collect(),
            _ => self
                .generic
                .iter()
                .filter(|((k, _), _)| *k == kind)
                .map(|((_, key), v)| (key.clone(), Obj::Generic(v.clone())))
                .collect(),
        }
    }

    pub fn object(&self, kind: Kind, key: &Key) -> Option<Obj> {
        Some(match kind {
            Kind::Pod => Obj::Pod(self.pods.get(key)?.clone()),
            Kind::PersistentVolumeClaim => Obj::Pvc(self.pvcs.get(key)?.clone()),
            Kind::PersistentVolume => Obj::Pv(self.pvs.get(key)?.clone()),
            Kind::Node => Obj::Node(self.nodes.get(key)?.clone()),
            Kind::Service => Obj::Service(self.services.get(key)?.clone()),
            Kind::Endpoints => Obj::Endpoints(self.endpoints.get(key)?.clone()),
            Kind::StatefulSet => Obj::StatefulSet(self.sets.get(key)?.clone()),
            Kind::ControllerRevision => Obj::Revision(self.revisions.get(key)?.clone()),
            Kind::StorageClass => Obj::StorageClass(self.classes.get(key)?.clone()),
            Kind::Deployment => Obj::Workload(self.deployments.get(key)?.clone()),
            Kind::ReplicaSet => Obj::Workload(self.replicasets.get(key)?.clone()),
            Kind::Event => Obj::Event(Rc::new(self.events.iter().rev().find(|e| e.involved_ns == key.0 && *e.name() == *key.1)?.clone())),
            _ => Obj::Generic(self.generic.get(&(kind, key.clone()))?.clone()),
        })
    }

    /// The event log without superseded versions of aggregated events, oldest first.
    pub fn live_events(&self) -> Vec<&EventRecord> {
        // Versions of one Event share its uid; the newest is met first walking backwards.
        let mut seen: std::collections::HashSet<Uuid> = std::collections::HashSet::new();
        let mut out: Vec<&EventRecord> = self
            .events
            .iter()
            .rev()
            .filter(|e| {
                if seen.contains(&e.uid) {
                    return false;
                }
                if e.count > 1 {
                    seen.insert(e.uid);
                }
                true
            })
            .collect();
        out.reverse();
        out
    }

    pub fn uid_exists(&self, uid: &str) -> bool {
        fn has<T: Stored>(m: &BTreeMap<Key, Rc<T>>, uid: &str) -> bool {
            m.values().any(|o| &*o.meta().uid == uid)
        }
        fn has_hashed<T: Stored>(m: &Objects<T>, uid: &str) -> bool {
            m.any(|o| &*o.meta().uid == uid)
        }
        has_hashed(&self.pods, uid)
            || has_hashed(&self.pvcs, uid)
            || has_hashed(&self.pvs, uid)
            || has(&self.sets, uid)
            || has(&self.services, uid)
            || has(&self.revisions, uid)
            || has(&self.deployments, uid)
            || has(&self.replicasets, uid)
            || has(&self.nodes, uid)
            || has_hashed(&self.endpoints, uid)
            || has(&self.classes, uid)
            || self.generic.values().any(|o| &*o.meta.uid == uid)
    }
}

/// Changes recorded while at least one watch is open; rendered to JSON only when polled.
#[derive(Debug, Clone, Default)]
pub struct Journal {
    /// Absolute position of `entries[0]`.
    base: u64,
    entries: VecDeque<(Time, WatchEventType, Obj)>,
    /// Positions of open watches (a multiset: position -> count).
    open: BTreeMap<u64, u32>,
}

impl Journal {
    pub fn recording(&self) -> bool {
        !self.open.is_empty()
    }

    pub fn record(&mut self, time: Time, ty: WatchEventType, obj: Obj) {
        if self.recording() {
            self.entries.push_back((time, ty, obj));
        }
    }

    fn end(&self) -> u64 {
        self.base + self.entries.len() as u64
    }

    pub fn open(&mut self) -> u64 {
        let pos = self.end();
        *self.open.entry(pos).or_insert(0) += 1;
        pos
    }

    fn release(&mut self, pos: u64) -> bool {
        match self.open.get_mut(&pos) {
            Some(n) if *n > 1 => {
                *n -= 1;
                true
            }
            Some(_) => {
                self.open.remove(&pos);
                true
            }
            None => false,
        }
    }

    pub fn close(&mut self, pos: u64) {
        self.release(pos);
        self.trim();
    }

    pub fn poll(&mut self, cursor: u64) -> (Vec<WatchEvent>, u64) {
        self.poll_where(cursor, |_| true)
    }

    /// Like `poll`, but renders only entries of the wanted kinds (JSON rendering is the cost);
    /// the cursor still moves past the others.
    pub fn poll_where(&mut self, cursor: u64, wanted: impl Fn(Kind) -> bool) -> (Vec<WatchEvent>, u64) {
        let was_open = self.release(cursor);
        let from = cursor.max(self.base);
        let out: Vec<WatchEvent> = self
            .entries
            .iter()
            .skip((from - self.base) as usize)
            .filter(|(_, _, obj)| wanted(obj.kind()))
            .map(|(time, ty, obj)| WatchEvent { time: *time, event_type: *ty, kind: obj.kind(), object: obj.to_json() })
            .collect();
        let end = self.end();
        if was_open {
            *self.open.entry(end).or_insert(0) += 1;
        }
        self.trim();
        (out, end)
    }

    fn trim(&mut self) {
        let keep_from = self.open.keys().next().copied().unwrap_or(self.end());
        while self.base < keep_from && !self.entries.is_empty() {
            self.entries.pop_front();
            self.base += 1;
        }
        if self.open.is_empty() {
            self.base = self.end();
            self.entries.clear();
        }
    }
}

// ---- the screen's watch: each changed object once, in its latest state ----

/// The identity of a journal entry's object, read without rendering it (None for Events,
/// which have no name of their own in the journal and are never coalesced).
fn identity(obj: &Obj) -> Option<(Kind, &str, &str)> {
    let meta = match obj {
        Obj::Pod(o) => &o.meta,
        Obj::Pvc(o) => &o.meta,
        Obj::Pv(o) => &o.meta,
        Obj::Node(o) => &o.meta,
        Obj::Service(o) => &o.meta,
        Obj::Endpoints(o) => &o.meta,
        Obj::StatefulSet(o) => &o.meta,
        Obj::Revision(o) => &o.meta,
        Obj::StorageClass(o) => &o.meta,
        Obj::Workload(o) => &o.meta,
        Obj::Generic(o) => &o.meta,
        Obj::Event(_) => return None,
    };
    Some((obj.kind(), &*meta.namespace, &*meta.name))
}

impl Journal {
    /// Like `poll_where`, but each object appears once, as its newest entry: a reader that keeps
    /// only the latest copy of each object (the screen's mirror) then renders a pod that changed
    /// five times since its last poll once, not five times.
    pub fn poll_latest_where(&mut self, cursor: u64, wanted: impl Fn(Kind) -> bool) -> (Vec<WatchEvent>, u64) {
        let was_open = self.release(cursor);
        let from = (cursor.max(self.base) - self.base) as usize;
        let picked: Vec<&(Time, WatchEventType, Obj)> =
            self.entries.iter().skip(from).filter(|(_, _, obj)| wanted(obj.kind())).collect();
        let mut last = BTreeMap::new();
        for (i, (_, _, obj)) in picked.iter().enumerate() {
            if let Some(id) = identity(obj) {
                last.insert(id, i);
            }
        }
        let out = picked
            .iter()
            .enumerate()
            .filter(|(i, (_, _, obj))| identity(obj).is_none_or(|id| last.get(&id) == Some(i)))
            .map(|(_, (time, ty, obj))| WatchEvent { time: *time, event_type: *ty, kind: obj.kind(), object: obj.to_json() })
            .collect();
        let end = self.end();
        if was_open {
            *self.open.entry(end).or_insert(0) += 1;
        }
        self.trim();
        (out, end)
    }
}

#[cfg(test)]
mod latest_tests {
    use super::super::{Config, Engine, Kind, Time, WatchEventType};
    use serde_json::{json, Value};
    use std::collections::BTreeMap;

    fn web(replicas: i64) -> Value {
        json!({"apiVersion": "apps/v1", "kind": "StatefulSet", "metadata": {"name": "web", "namespace": "default"},
          "spec": {"serviceName": "nginx", "replicas": replicas, "selector": {"matchLabels": {"app": "nginx"}},
            "template": {"metadata": {"labels": {"app": "nginx"}}, "spec": {"containers": [{"name": "nginx", "image": "nginx:1"}]}}}})
    }

    /// What a mirror holds after applying the polled events in order.
    fn mirror(events: Vec<super::WatchEvent>, into: &mut BTreeMap<(Kind, String), Value>) {
        for e in events {
            let key = (e.kind, e.object["metadata"]["name"].as_str().unwrap_or("").to_string());
            match e.event_type {
                WatchEventType::Deleted => into.remove(&key),
                _ => into.insert(key, e.object),
            };
        }
    }

    #[test]
    fn the_latest_poll_leaves_a_mirror_as_the_full_poll_does_with_each_object_once() {
        let kinds = [Kind::Pod, Kind::StatefulSet, Kind::PersistentVolumeClaim];
        let mut engine = Engine::new(Config::default());
        let (full, latest) = (engine.watch(), engine.watch());
        let (mut a, mut b) = (BTreeMap::new(), BTreeMap::new());
        let (mut ca, mut cb) = (full, latest);
        for (step, replicas) in [(30_000, 3), (60_000, 1), (120_000, 2)] {
            engine.apply(web(replicas)).unwrap();
            engine.settle(Time(step));
            let (every, next_a) = engine.poll_watch_kinds(ca, &kinds);
            let (once, next_b) = engine.poll_watch_latest(cb, &kinds);
            assert_eq!(next_a, next_b);
            assert!(once.len() < every.len(), "{} latest vs {} entries", once.len(), every.len());
            let mut seen = std::collections::BTreeSet::new();
            for e in &once {
                let name = e.object["metadata"]["name"].as_str().unwrap_or("").to_string();
                assert!(seen.insert((e.kind, name)), "an object appeared twice in one poll");
            }
            mirror(every, &mut a);
            mirror(once, &mut b);
            assert_eq!(a, b);
            (ca, cb) = (next_a, next_b);
        }
        assert!(a.keys().any(|(k, n)| *k == Kind::Pod && n == "web-1"));
    }
}

//! The engine's entry point: one simulated cluster, its inputs, its event loop and its queries.
//!
//! Inputs are calls (API writes, faults, time). Every input runs the controllers' reactions to
//! completion at the current virtual instant (a FIFO, de-duplicating work queue); everything
//! that takes time (scheduling, provisioning, kubelet steps, requeues) is a timer. Time moves
//! only through `advance_to`/`step`/`settle`, which fire timers in (time, sequence) order.

use super::applog::AppendLog;
use super::keymap::{FewByUid, FxHashSet, KeyMap};
use super::meta::*;
use super::objects::*;
use super::rng::Rng;
use super::statefulset::index::SetIndex;
use super::store::Store;
use super::volumes::Files;
use super::*;
use serde_json::Value;
use std::cmp::Reverse;
use std::collections::{BTreeMap, BTreeSet, BinaryHeap, VecDeque};
use std::rc::Rc;

/// Upper bound on the replicas the simulator manages for one set (keeps memory bounded
/// whatever number a student types; the real API server would accept up to 2^31-1).
pub const MAX_SIMULATED_REPLICAS: i64 = 10_000;

/// Safety valve: controller reactions processed for one input or timer.
const MAX_WORK_PER_INSTANT: usize = 1_000_000;

/// Work queued beyond this many entries is also kept in a hashed set for de-duplication.
const SMALL_QUEUE: usize = 16;

/// Decisions kept at least: far more than the screen's "Why?" list shows.
pub const DECISIONS_KEPT: usize = 4096;

/// Events live for one hour, as with the API server's default `--event-ttl`.
pub const EVENT_TTL_MS: u64 = 3_600_000;


/// One simulated cluster. `Clone` is cheap enough to snapshot for time travel: objects are
/// shared `Rc`s and append-only logs share sealed chunks.
#[derive(Debug, Clone)]
pub struct Engine {
    pub(super) config: Config,
    pub(super) now: Time,
    pub(super) rng: Rng,
    pub(super) store: Store,
    pub(super) timers: BinaryHeap<Reverse<Timer>>,
    pub(super) timer_seq: u64,
    pub(super) queue: VecDeque<Work>,
    /// What `queue` holds, for de-duplication, while it holds more than [`SMALL_QUEUE`]
    /// entries (hashed: only looked up, never listed); empty otherwise (see `enqueue`).
    pub(super) queued: FxHashSet<Work>,
    /// Per-StatefulSet index of member pods, keyed by the set's uid.
    pub(super) set_index: FewByUid<SetIndex>,
    /// Pods without a controller reference (adoption candidates).
    pub(super) orphans: BTreeSet<Key>,
    pub(super) decisions: AppendLog<Decision>,
    /// What each set is doing or waiting for right now (`ns/name` -> decision).
    pub(super) why: BTreeMap<Str, Decision>,
    pub(super) files: Files,
    pub(super) images: BTreeMap<Str, BTreeSet<Str>>,
    pub(super) next_ip: Vec<u32>,
    pub(super) next_cluster_ip: u32,
    pub(super) container_seq: u64,
    /// Pods that failed scheduling and wait for a cluster change, with their last attempt.
    pub(super) unscheduled: BTreeMap<Key, Time>,
    /// Whether the scheduler's periodic flush of long-unschedulable pods is pending.
    pub(super) flush_armed: bool,
    /// The scheduler is in its periodic flush: a failed attempt records its event again.
    pub(super) flushing: bool,
    /// Per-key sync error back-off (ms), as the controller's rate-limited queue.
    pub(super) backoff: KeyMap<u64>,
    /// API faults injected by tests (create/delete/update/status failures), by verb.
    pub(super) api_faults: BTreeMap<&'static str, u32>,
    pub(super) event_seq: u64,
    /// Nodes whose kubelet stopped (NodeDown fault); the Node object follows after a grace.
    pub(super) down_nodes: BTreeSet<Str>,
    /// Pod uids whose first container crash-loops (CrashPod fault).
    pub(super) crashing: FxHashSet<Str>,
    /// One-off warnings already recorded (pod uid, reason).
    pub(super) noted: FxHashSet<(Str, &'static str)>,
    /// Scheduled, non-terminal pods per node name (scheduler spreading). A list: a cluster has
    /// a handful of nodes, and a pod's node name is the node's own string, so a scan comparing
    /// addresses finds it sooner than a search comparing names.
    pub(super) node_load: Vec<(Str, usize)>,
    /// Writes of pods no StatefulSet controls (see `SyncMemo`).
    pub(super) foreign_pod_writes: u64,
    /// `endpoints_pod_changed`'s list of Endpoints to change, kept between calls: a pod
    /// write that moves an address (four per pod's life) allocated one.
    pub(super) endpoint_changes: Vec<(Key, Option<EndpointAddress>)>,
}

#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub(super) struct Timer {
    pub at: Time,
    pub seq: u64,
    pub action: Action,
}

/// Something that happens on its own at a later virtual instant.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub(super) enum Action {
    /// Requeue a controller key (minReadySeconds).
    Requeue(Work),
    /// Retry a controller key after a failed sync (rate-limited back-off).
    Retry(Work),
    /// The scheduler tries to place a pod.
    Schedule(Key, Str),
    /// The volume provisioner / binder handles a claim.
    Provision(Key, Str),
    /// A kubelet step for a pod (key, uid, step).
    Kubelet(Key, Str, kubelet::Step),
    /// The node lifecycle controller notices a node stopped reporting.
    NodeLost(Str),
    /// Taint-based eviction of the pods of an unreachable node.
    Evict(Str),
    /// The attach/detach controller force-detaches a volume from an unreachable node.
    ForceDetach(Key),
    /// The scheduler retries pods that have been unschedulable for a while.
    FlushUnschedulable,
    /// The deployment controller checks a stalled rollout against its progress deadline
    /// (`requeueStuckDeployment`). Nothing happens until then, so it keeps no one busy.
    ProgressCheck(Key),
}

impl Action {
    /// Timers that repeat forever on their own (a crash loop) do not make the cluster busy.
    fn background(&self) -> bool {
        matches!(
            self,
            Action::Retry(_)
                | Action::FlushUnschedulable
                | Action::ProgressCheck(_)
                | Action::Kubelet(_, _, kubelet::Step::Restart)
                | Action::Kubelet(_, _, kubelet::Step::Crash)
                | Action::Kubelet(_, _, kubelet::Step::BackOff)
        )
    }
}

/// Immediate controller work (the controllers' work queues), de-duplicated.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub(super) enum Work {
    SyncSet(Key),
    SyncWorkload(Kind, Key),
    /// Garbage collector: re-check one object's owners.
    Gc(Kind, Key),
    /// PVC protection controller: may the claim's finalizer be removed?
    ClaimProtection(Key),
    /// PV binder: try to bind pending claims.
    BindClaims,
    /// Scheduler: retry unschedulable pods after a cluster change.
    RetryScheduling,
    /// Namespace controller: delete what is left in a Terminating namespace.
    EmptyNamespace(Str),
}

impl Engine {
    pub fn new(config: Config) -> Engine {
        let mut e = Engine {
            rng: Rng::new(config.seed),
            config,
            now: Time(0),
            store: Store::default(),
            timers: BinaryHeap::new(),
            timer_seq: 0,
            queue: VecDeque::new(),
            queued: FxHashSet::default(),
            set_index: FewByUid::default(),
            orphans: BTreeSet::new(),
            decisions: AppendLog::default(),
            why: BTreeMap::new(),
            files: Files::default(),
            images: BTreeMap::new(),
            next_ip: Vec::new(),
            next_cluster_ip: 0,
            container_seq: 0,
            unscheduled: BTreeMap::new(),
            flush_armed: false,
            flushing: false,
            backoff: KeyMap::default(),
            api_faults: BTreeMap::new(),
            event_seq: 0,
            down_nodes: BTreeSet::new(),
            crashing: FxHashSet::default(),
            noted: FxHashSet::default(),
            node_load: Vec::new(),
            foreign_pod_writes: 0,
            endpoint_changes: Vec::new(),
        };
        e.bootstrap();
        e
    }

    pub fn config(&self) -> &Config {
        &self.config
    }

    pub fn now(&self) -> Time {
        self.now
    }

    /// `n` characters of the API machinery's random alphabet for a client (kubectl's
    /// `utilrand.String`), drawn from the session's seed so that a session replays exactly.
    pub fn client_random(&mut self, n: usize) -> String {
        self.rng.safe_string(n)
    }

    // ---- inputs: API writes (objects already admitted by manifest::admit) ----

    /// `kubectl apply`: create the object, or update it in place if it exists.
    pub fn apply(&mut self, object: Value) -> Result<ApplyOutcome, ApiError> {
        let r = self.write(object, api::Mode::Apply).map(|(o, _)| o);
        self.drain();
        r
    }

    /// `kubectl create`: AlreadyExists if present.
    pub fn create(&mut self, object: Value) -> Result<Value, ApiError> {
        let r = self.write(object, api::Mode::Create).map(|(_, v)| v);
        self.drain();
        r
    }

    /// A full update (PUT) of an existing object, e.g. after `kubectl patch`/`scale`/`set image`.
    /// Returns whether the stored object changed.
    pub fn update(&mut self, object: Value) -> Result<bool, ApiError> {
        let r = self.write(object, api::Mode::Update).map(|(o, _)| o != ApplyOutcome::Unchanged);
        self.drain();
        r
    }

    /// `kubectl scale`: sets `spec.replicas` of a StatefulSet, Deployment or ReplicaSet through
    /// the scale subresource. Returns the updated object.
    pub fn scale(&mut self, kind: Kind, namespace: &str, name: &str, replicas: i64) -> Result<Value, ApiError> {
        if !matches!(kind, Kind::StatefulSet | Kind::Deployment | Kind::ReplicaSet) {
            return Err(ApiError::not_found(kind, name));
        }
        let mut v = self.get(kind, namespace, name)?;
        if let Some(spec) = v.get_mut("spec").and_then(Value::as_object_mut) {
            spec.insert("replicas".into(), Value::from(replicas));
        }
        self.update(v)?;
        self.get(kind, namespace, name)
    }

    /// Starts deleting an object; returns it as it stands right after the delete was accepted
    /// (pods: with `deletionTimestamp`; or already gone). Use [`Engine::exists_uid`] to wait.
    pub fn delete(&mut self, kind: Kind, namespace: &str, name: &str, options: DeleteOptions) -> Result<Value, ApiError> {
        let ns = if kind.namespaced() { namespace } else { "" };
        let r = self.delete_object(kind, &key(ns, name), options);
        self.drain();
        r
    }

    pub fn inject(&mut self, fault: Fault) -> Result<(), ApiError> {
        let r = self.inject_fault(fault);
        self.drain();
        r
    }

    /// `kubectl cordon`/`uncordon`. Returns whether the node changed.
    pub fn set_unschedulable(&mut self, node: &str, unschedulable: bool) -> Result<bool, ApiError> {
        let r = self.cordon(node, unschedulable);
        self.drain();
        r
    }

    // ---- time ----

    /// Runs every action due up to and including `t`, then sets the clock to `t`.
    pub fn advance_to(&mut self, t: Time) {
        while let Some(Reverse(next)) = self.timers.peek() {
            if next.at > t {
                break;
            }
            if let Some(Reverse(timer)) = self.timers.pop() {
                self.fire(timer);
            }
        }
        if t > self.now {
            self.now = t;
        }
    }

    /// When something will next happen on its own (a timer, a pending sync), if anything.
    pub fn next_wakeup(&self) -> Option<Time> {
        self.timers.peek().map(|Reverse(t)| t.at.max(self.now))
    }

    /// Jumps to the next wake-up and runs everything due then. Returns the new time, or None
    /// when nothing is scheduled.
    pub fn step(&mut self) -> Option<Time> {
        let t = self.next_wakeup()?;
        self.advance_to(t);
        Some(t)
    }

    /// True when no controller has work left and no pod is in a transitional state
    /// (crash-loop restarts repeat forever and do not count).
    pub fn is_quiet(&self) -> bool {
        self.queue.is_empty() && self.timers.iter().all(|Reverse(t)| t.action.background())
    }

    /// Steps until quiet or until `limit`; returns whether it became quiet.
    pub fn settle(&mut self, limit: Time) -> bool {
        loop {
            if self.is_quiet() {
                return true;
            }
            match self.next_wakeup() {
                Some(t) if t <= limit => {
                    self.advance_to(t);
                }
                _ => {
                    self.advance_to(limit);
                    return self.is_quiet();
                }
            }
        }
    }

    // ---- queries ----

    /// The object as the API server returns it.
    pub fn get(&self, kind: Kind, namespace: &str, name: &str) -> Result<Value, ApiError> {
        let ns = if kind.namespaced() { namespace } else { "" };
        if kind == Kind::EndpointSlice {
            return self.endpoint_slices(Some(ns)).into_iter().find(|v| v.pointer("/metadata/name").and_then(Value::as_str) == Some(name)).ok_or_else(|| ApiError::not_found(kind, name));
        }
        self.store.object(kind, &key(ns, name)).map(|o| self.render(o)).ok_or_else(|| ApiError::not_found(kind, name))
    }

    /// An object's JSON; budgets get the status the disruption controller computes.
    fn render(&self, o: Obj) -> Value {
        match o {
            Obj::Generic(g) if g.kind == Kind::PodDisruptionBudget => self.budget_json(&g),
            o => o.to_json(),
        }
    }

    /// All objects of a kind, in one namespace or all (`None`), sorted by namespace then name.
    pub fn list(&self, kind: Kind, namespace: Option<&str>) -> Vec<Value> {
        if kind == Kind::EndpointSlice {
            return self.endpoint_slices(namespace);
        }
        let mut out: Vec<(Key, Value)> = self
            .store
            .objects(kind)
            .into_iter()
            .filter(|(k, _)| !kind.namespaced() || namespace.is_none_or(|ns| &*k.0 == ns))
            .map(|(k, o)| (k, self.render(o)))
            .collect();
        // Events too: the API server lists them by name like everything else, and kubectl
        // prints them in that order (grouped by object, then by the time stamp in the name),
        // which is why `kubectl get events --sort-by=.lastTimestamp` is so often typed.
        crate::sort::sort_by(&mut out, |a, b| a.0.cmp(&b.0));
        out.into_iter().map(|(_, v)| v).collect()
    }

    /// Whether an object with this `metadata.uid` still exists (for `kubectl delete --wait`).
    pub fn exists_uid(&self, uid: &str) -> bool {
        self.store.uid_exists(uid)
    }

    /// Starts recording changes for a watch; returns a cursor.
    pub fn watch(&mut self) -> u64 {
        self.store.journal.open()
    }

    /// Changes recorded since `cursor`, and the new cursor. Recording stops when no watch is open.
    pub fn poll_watch(&mut self, cursor: u64) -> (Vec<WatchEvent>, u64) {
        self.store.journal.poll(cursor)
    }

    /// Like [`Engine::poll_watch`], but converts only changes to objects of `kinds` to JSON
    /// (a screen that shows pods need not pay for every event and endpoint change). The
    /// returned cursor moves past the changes of other kinds too.
    pub fn poll_watch_kinds(&mut self, cursor: u64, kinds: &[Kind]) -> (Vec<WatchEvent>, u64) {
        self.store.journal.poll_where(cursor, |k| kinds.contains(&k))
    }

    /// Polls a watch for the screen: only `kinds`, and each changed object once, in its latest
    /// state (deleted or not). A client that mirrors objects gets the same end state as from
    /// `poll_watch`, for a fraction of the rendering at 100 replicas.
    pub fn poll_watch_latest(&mut self, cursor: u64, kinds: &[Kind]) -> (Vec<WatchEvent>, u64) {
        self.store.journal.poll_latest_where(cursor, |k| kinds.contains(&k))
    }

    pub fn close_watch(&mut self, cursor: u64) {
        self.store.journal.close(cursor);
    }

    /// The controller's most recent decisions, oldest first (the last [`DECISIONS_KEPT`] or
    /// more); `len()` counts every decision made.
    pub fn decisions(&self) -> &AppendLog<Decision> {
        &self.decisions
    }

    /// What each controller object is doing or waiting for right now, for the "Why?" panel
    /// (`namespace/name` -> its latest decision).
    pub fn current_decisions(&self) -> &BTreeMap<Str, Decision> {
        &self.why
    }

    /// The current decision of one StatefulSet (or other controller object), if any.
    pub fn current_decision(&self, namespace: &str, name: &str) -> Option<&Decision> {
        self.why.get(format!("{}/{}", namespace, name).as_str())
    }

    /// Cluster DNS as seen from a pod in `client_namespace` (search path and ndots as in a pod).
    pub fn resolve(&self, name: &str, client_namespace: &str) -> DnsAnswer {
        self.dns_resolve(name, client_namespace)
    }

    /// SRV records for `_port._proto.<service>...` names (same search rules as [`Engine::resolve`]).
    pub fn resolve_srv(&self, name: &str, client_namespace: &str) -> Vec<SrvRecord> {
        self.dns_resolve_srv(name, client_namespace)
    }

    // ---- inside pods (volumes hold a small file system) ----

    pub fn read_file(&self, namespace: &str, pod: &str, path: &str) -> Result<String, String> {
        self.fs_read(namespace, pod, path)
    }

    pub fn write_file(&mut self, namespace: &str, pod: &str, path: &str, contents: &str, append: bool) -> Result<(), String> {
        self.fs_write(namespace, pod, path, contents, append)
    }

    pub fn list_dir(&self, namespace: &str, pod: &str, path: &str) -> Result<Vec<String>, String> {
        self.fs_list(namespace, pod, path)
    }

    // ---- event loop ----

    pub(super) fn after(&mut self, delay_ms: u64, action: Action) {
        self.timer_seq += 1;
        let at = Time(self.now.0.saturating_add(delay_ms));
        self.timers.push(Reverse(Timer { at, seq: self.timer_seq, action }));
    }

    /// Queues controller work unless the same work is already waiting. The queue usually
    /// holds a handful of entries, which are compared directly (hashing a key, then removing
    /// it again when the work runs, cost more than the rest of queuing); a longer queue (a
    /// scale-down of thousands, garbage collection of a whole set) is mirrored in `queued`
    /// from the moment it grows past [`SMALL_QUEUE`] until it is empty again.
    pub(super) fn enqueue(&mut self, w: Work) {
        if !self.queued.is_empty() {
            if self.queued.insert(w.clone()) {
                self.queue.push_back(w);
            }
            return;
        }
        if self.queue.contains(&w) {
            return;
        }
        self.queue.push_back(w);
        if self.queue.len() > SMALL_QUEUE {
            self.queued.extend(self.queue.iter().cloned());
        }
    }

    fn fire(&mut self, timer: Timer) {
        if timer.at > self.now {
            self.now = timer.at;
        }
        match timer.action {
            Action::Requeue(w) | Action::Retry(w) => self.enqueue(w),
            Action::Schedule(k, uid) => self.schedule_pod(&k, &uid),
            Action::Provision(k, uid) => self.provision_claim(&k, &uid),
            Action::Kubelet(k, uid, step) => self.kubelet_step(&k, &uid, step),
            Action::NodeLost(n) => self.node_lost(&n),
            Action::Evict(n) => self.evict_node_pods(&n),
            Action::ForceDetach(k) => self.force_detach(&k),
            Action::FlushUnschedulable => self.flush_unschedulable(),
            Action::ProgressCheck(k) => self.enqueue(Work::SyncWorkload(Kind::Deployment, k)),
        }
        self.drain();
    }

    /// Runs controller work until none is left at this instant.
    pub(super) fn drain(&mut self) {
        let mut budget = MAX_WORK_PER_INSTANT;
        while let Some(w) = self.queue.pop_front() {
            if !self.queued.is_empty() {
                self.queued.remove(&w);
            }
            budget = budget.saturating_sub(1);
            if budget == 0 {
                self.queue.clear();
                self.queued.clear();
                break;
            }
            match w {
                Work::SyncSet(k) => self.sync_set_key(&k),
                Work::SyncWorkload(kind, k) => self.sync_workload(kind, &k),
                Work::Gc(kind, k) => self.gc_check(kind, &k),
                Work::ClaimProtection(k) => self.claim_protection(&k),
                Work::BindClaims => self.bind_pending_claims(),
                Work::RetryScheduling => self.retry_scheduling(),
                Work::EmptyNamespace(ns) => self.empty_namespace(&ns),
            }
        }
    }

    /// Appends a decision to the log and makes it the owner's current one.
    pub(super) fn decide(&mut self, owner: Str, text: String) {
        let d = Decision { time: self.now, owner, text };
        match self.why.get_mut(&*d.owner) {
            // In place: the current decision's strings keep their allocations.
            Some(current) => {
                current.time = d.time;
                current.text.clone_from(&d.text);
            }
            None => {
                self.why.insert(d.owner.clone(), d.clone());
            }
        }
        self.decisions.push(d);
        // The screen shows the latest few; a 10,000-replica session makes 100,000, and keeping
        // them all was a fifth of its memory, written once and never read.
        self.decisions.keep_chunks(DECISIONS_KEPT / super::applog::CHUNK);
    }

    /// A failed sync of `work` (keyed by `key`) is retried with the controller workqueue's
    /// rate limiter: 5 ms, doubling to at most 1,000 s. Returns the delay.
    pub(super) fn retry_later(&mut self, key: &Key, work: Work) -> u64 {
        let delay = self.backoff.get(key).map(|d| (d * 2).min(1_000_000)).unwrap_or(5);
        self.backoff.insert(key.clone(), delay);
        self.after(delay, Action::Retry(work));
        delay
    }

    /// Records what an owner waits for; logged only when it differs from the current one.
    /// A waiting set re-syncs on every write to its pods with the same text, so the text is
    /// given as pieces, compared piece by piece and joined only when it changed (the
    /// formatting machinery cost more than the rest of such a sync). Inlined, as `join`: each
    /// call's pieces are fixed, so comparing them is a run of comparisons of known lengths.
    #[inline(always)]
    pub(super) fn waiting(&mut self, owner: &Str, text: &[Piece]) {
        if self.why.get(&**owner).is_some_and(|d| pieces_match(&d.text, text)) {
            return;
        }
        self.decide(owner.clone(), join(text));
    }

    /// Records a Kubernetes Event (kubectl describe / get events). As client-go's event
    /// correlator does, an event identical to a recent one (same object, type, reason, message
    /// and source) updates that Event: `count` + 1 and a new `lastTimestamp`, same name.
    #[allow(clippy::too_many_arguments)]
    pub(super) fn event(&mut self, kind: Kind, meta: &Meta, warning: bool, reason: &'static str, message: String, component: &'static str, host: Option<Str>) {
        self.event_seq += 1;
        self.store.rv += 1;
        let rv = self.store.rv;
        let same = |e: &EventRecord| e.involved_uid == meta.uid && e.warning == warning && *e.reason == *reason && e.message == message && e.component == component && e.host == host;
        let type_letter: &[u8] = if warning { b"W" } else { b"N" };
        let host_name = host.as_deref().unwrap_or("").as_bytes();
        let cache_key = Correlator::START.part(meta.uid.as_bytes()).part(type_letter).part(reason.as_bytes()).part(message.as_bytes()).part(component.as_bytes()).part(host_name).0;
        let now = self.now;
        let prior = self.store.event_cache.get(cache_key).and_then(|seq| self.store.events.get(seq)).filter(|e| same(e) && e.time.0.saturating_add(EVENT_TTL_MS) >= now.0);
        let ev = match prior {
            // The repeat's own message and host: equal to the prior's, and taking them saves
            // copying the prior's.
            Some(p) => EventRecord {
                time: self.now,
                count: p.count.saturating_add(1),
                resource_version: rv,
                message,
                host,
                stamp: p.stamp,
                uid: p.uid,
                first: p.first,
                involved_kind: p.involved_kind,
                involved_ns: p.involved_ns.clone(),
                involved_name: p.involved_name.clone(),
                involved_uid: p.involved_uid.clone(),
                warning: p.warning,
                reason: p.reason,
                component: p.component,
            },
            None => EventRecord {
                stamp: 0x1880_0000_0000_0000u64.wrapping_add(self.now.0.wrapping_mul(1_000_000)).wrapping_add(self.event_seq),
                uid: self.rng.uuid_bits(),
                time: self.now,
                first: self.now,
                count: 1,
                involved_kind: kind,
                involved_ns: meta.namespace.clone(),
                involved_name: meta.name.clone(),
                involved_uid: meta.uid.clone(),
                warning,
                reason: Reason(reason),
                message,
                component,
                host,
                resource_version: rv,
            },
        };
        if self.store.journal.recording() {
            let ty = if ev.count > 1 { WatchEventType::Modified } else { WatchEventType::Added };
            self.store.journal.record(self.now, ty, Obj::Event(Rc::new(ev.clone())));
        }
        self.store.event_cache.put(cache_key, self.store.events.len());
        self.store.events.push(ev);
        // kube-apiserver's --event-ttl (1 h): old events disappear, which also bounds memory.
        self.store.events.expire(|e| e.time.0.saturating_add(EVENT_TTL_MS) < now.0);
    }

    /// Events as typed records (cheaper than `list(Kind::Event)` for tests and the UI), oldest
    /// first; a repeated event appears once, as its latest version.
    pub fn events(&self) -> impl Iterator<Item = &EventRecord> + '_ {
        self.store.live_events().into_iter()
    }

    /// The newest `n` of [`Engine::events`], oldest first. Walks back from the newest only, so
    /// a screen showing the latest Events every frame pays for what it shows, not for the
    /// whole session's log.
    pub fn recent_events(&self, n: usize) -> Vec<&EventRecord> {
        let mut seen = std::collections::HashSet::new();
        let mut out: Vec<&EventRecord> = Vec::with_capacity(n.min(1024));
        for e in self.store.events.iter().rev() {
            if out.len() >= n {
                break;
            }
            // Versions of one aggregated Event share its uid; the newest is met first.
            if seen.contains(&e.uid) {
                continue;
            }
            if e.count > 1 {
                seen.insert(e.uid);
            }
            out.push(e);
        }
        out.reverse();
        out
    }

    /// Changes whenever the list [`Engine::events`] gives may have changed (an Event recorded
    /// or expired), so a view can skip re-reading it.
    pub fn events_version(&self) -> (u64, usize) {
        (self.event_seq, self.store.events.first_seq())
    }

    /// The Events about one object (`involvedObject.uid`), as `kubectl describe` lists them.
    pub fn events_for(&self, uid: &str) -> Vec<Value> {
        self.store.live_events().into_iter().filter(|e| &*e.involved_uid == uid).map(|e| e.to_json()).collect()
    }
}

/// The event correlator's key for an Event's identifying parts: FNV-1a over 8-byte words, so
/// the same on every platform (unlike std's Hasher) and an eighth of the work of a byte-wise
/// FNV over a message. A separator word after each part keeps `("ab", "c")` apart from
/// `("a", "bc")`. Built part by part at the call (`Correlator::START.part(..).part(..)`), so
/// that each part's code is inlined there and a constant part (the type letter) folds away.
#[derive(Clone, Copy)]
struct Correlator(u64);

impl Correlator {
    const START: Correlator = Correlator(0xcbf2_9ce4_8422_2325);

    #[inline(always)]
    fn mix(self, w: u64) -> Correlator {
        Correlator((self.0 ^ w).wrapping_mul(0x0100_0000_01b3).rotate_left(23))
    }

    #[inline(always)]
    fn part(self, part: &[u8]) -> Correlator {
        let (words, rem) = part.as_chunks::<8>();
        let k = words.iter().fold(self, |k, w| k.mix(u64::from_le_bytes(*w)));
        k.mix(tail_word(part, rem.len()) ^ ((rem.len() as u64) << 59)).mix(0xff)
    }
}

/// The last `n` (< 8) bytes of `part` as a little-endian word, zero-padded. Read with a few
/// loads rather than copied into a buffer: a copy of unknown length is a `memcpy` call, and a
/// byte loop cost more than the rest of the key.
#[inline(always)]
fn tail_word(part: &[u8], n: usize) -> u64 {
    match part.len().checked_sub(8).and_then(|from| part.get(from..)) {
        // The top `n` bytes of the last whole word.
        Some(last) => u64::from_le_bytes(last.try_into().unwrap_or_default()).checked_shr(64 - 8 * n as u32).unwrap_or(0),
        // Shorter than a word: the part is all tail.
        None => short_word(part),
    }
}

/// A part of fewer than 8 bytes as a little-endian word: 4 to 7 bytes as two overlapping
/// 4-byte loads, 1 to 3 as the first, middle and last byte (some of them the same byte).
#[inline(always)]
fn short_word(b: &[u8]) -> u64 {
    let le32 = |w: &[u8]| u64::from(u32::from_le_bytes(w.try_into().unwrap_or_default()));
    let n = b.len();
    match n {
        0 => 0,
        1..=3 => u64::from(b[0]) | u64::from(b[n / 2]) << (8 * (n / 2)) | u64::from(b[n - 1]) << (8 * (n - 1)),
        _ => le32(&b[..4]) | le32(&b[n - 4..]) << (8 * (n - 4)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn service() -> Value {
        json!({"apiVersion": "v1", "kind": "Service", "metadata": {"name": "nginx", "namespace": "default"},
               "spec": {"ports": [{"port": 80, "name": "web"}], "clusterIP": "None", "selector": {"app": "nginx"}}})
    }

    fn web(replicas: i64) -> Value {
        json!({"apiVersion": "apps/v1", "kind": "StatefulSet", "metadata": {"name": "web", "namespace": "default"},
          "spec": {"serviceName": "nginx", "replicas": replicas, "selector": {"matchLabels": {"app": "nginx"}},
            "template": {"metadata": {"labels": {"app": "nginx"}}, "spec": {"containers": [{"name": "nginx", "image": "registry.k8s.io/nginx-slim:0.24"}]}}}})
    }

    #[test]
    fn poll_watch_kinds_renders_only_the_wanted_kinds_and_moves_past_the_rest() {
        let mut all = Engine::new(Config::default());
        let mut some = Engine::new(Config::default());
        let (ca, cs) = (all.watch(), some.watch());
        for e in [&mut all, &mut some] {
            e.apply(service()).unwrap();
            e.apply(web(2)).unwrap();
            e.settle(Time(600_000));
        }
        let (every, end_all) = all.poll_watch(ca);
        let (pods, end_some) = some.poll_watch_kinds(cs, &[Kind::Pod, Kind::StatefulSet]);
        let expected: Vec<&WatchEvent> = every.iter().filter(|ev| matches!(ev.kind, Kind::Pod | Kind::StatefulSet)).collect();
        assert!(every.iter().any(|ev| ev.kind == Kind::Event), "the session records events, which the filter must skip");
        assert!(expected.iter().any(|ev| ev.kind == Kind::Pod));
        assert_eq!(pods.iter().collect::<Vec<_>>(), expected);
        assert_eq!(end_some, end_all, "the cursor moves past skipped kinds too");
        // Nothing is replayed: the next poll starts after the skipped entries.
        let (again, cursor) = some.poll_watch_kinds(end_some, &[Kind::Event]);
        assert!(again.is_empty());
        some.scale(Kind::StatefulSet, "default", "web", 3).unwrap();
        let (next, _) = some.poll_watch_kinds(cursor, &[Kind::StatefulSet]);
        assert!(!next.is_empty() && next.iter().all(|ev| ev.kind == Kind::StatefulSet));
    }

    #[test]
    fn recent_events_are_the_tail_of_all_events() {
        let mut e = Engine::new(Config::default());
        e.apply(service()).unwrap();
        e.apply(web(3)).unwrap();
        e.settle(Time(600_000));
        let before = e.events_version();
        // Deleting pods repeats "create Pod web-N ... successful", which aggregates (count 2):
        // the older version must not be listed again.
        for i in 0..3 {
            e.delete(Kind::Pod, "default", &format!("web-{}", i), DeleteOptions::default()).unwrap();
        }
        e.settle(Time(1_200_000));
        assert_ne!(e.events_version(), before);
        let all: Vec<*const EventRecord> = e.events().map(|r| r as *const _).collect();
        assert!(e.events().any(|r| r.count > 1), "the session has an aggregated Event");
        for n in [0, 1, 5, all.len(), all.len() + 10] {
            let recent: Vec<*const EventRecord> = e.recent_events(n).into_iter().map(|r| r as *const _).collect();
            assert_eq!(recent, all[all.len().saturating_sub(n)..].to_vec(), "newest {}", n);
        }
    }
}

/// One piece of a waiting text: words, or a number as `{}` prints it.
#[derive(Debug, Clone, Copy)]
pub(super) enum Piece<'a> {
    T(&'a str),
    N(i64),
    U(u64),
}

impl Piece<'_> {
    /// Calls `f` with the piece's text (numbers are printed into a stack buffer).
    #[inline]
    fn with_bytes<R>(&self, f: impl FnOnce(&[u8]) -> R) -> R {
        let mut buf = itoa::Buffer::new();
        match *self {
            Piece::T(s) => f(s.as_bytes()),
            Piece::N(n) => f(buf.format(n).as_bytes()),
            Piece::U(n) => f(buf.format(n).as_bytes()),
        }
    }
}

/// The pieces as one string (for the texts the controller builds on every pod it creates or
/// deletes, where `format!` cost as much as the rest of the decision). Inlined: at a call with
/// a fixed list of pieces the loop unrolls and each piece's kind is known.
#[inline(always)]
pub(super) fn join(pieces: &[Piece]) -> String {
    let len = pieces.iter().map(|p| if let Piece::T(s) = p { s.len() } else { 20 }).sum();
    let mut out = String::with_capacity(len);
    join_into(&mut out, pieces);
    out
}

/// Appends the pieces to `out`: a text built in parts (some only under a condition) goes
/// straight into its string, with no list of pieces to allocate first.
#[inline(always)]
pub(super) fn join_into(out: &mut String, pieces: &[Piece]) {
    let mut buf = itoa::Buffer::new();
    for p in pieces {
        match *p {
            Piece::T(s) => out.push_str(s),
            Piece::N(n) => out.push_str(buf.format(n)),
            Piece::U(n) => out.push_str(buf.format(n)),
        }
    }
}

/// Whether the pieces joined are exactly `text`, without joining them.
#[inline(always)]
fn pieces_match(text: &str, pieces: &[Piece]) -> bool {
    fn strip(rest: &mut &[u8], s: &[u8]) -> bool {
        match rest.strip_prefix(s) {
            Some(r) => {
                *rest = r;
                true
            }
            None => false,
        }
    }
    let mut rest = text.as_bytes();
    for p in pieces {
        let matched = match p {
            Piece::T(s) => strip(&mut rest, s.as_bytes()),
            _ => p.with_bytes(|b| strip(&mut rest, b)),
        };
        if !matched {
            return false;
        }
    }
    rest.is_empty()
}

#[cfg(test)]
mod correlator_tests {
    /// The key as first written (each part's remaining bytes copied into a zeroed buffer):
    /// the cache slot an Event lands in depends on the key, so the key must not change.
    fn reference(parts: &[&[u8]]) -> u64 {
        let mut h = 0xcbf2_9ce4_8422_2325u64;
        let mut mix = |w: u64| h = (h ^ w).wrapping_mul(0x0100_0000_01b3).rotate_left(23);
        for part in parts {
            let mut words = part.chunks_exact(8);
            for w in &mut words {
                mix(u64::from_le_bytes(w.try_into().unwrap()));
            }
            let mut last = [0u8; 8];
            let rem = words.remainder();
            last[..rem.len()].copy_from_slice(rem);
            mix(u64::from_le_bytes(last) ^ ((rem.len() as u64) << 59));
            mix(0xff);
        }
        h
    }

    fn key(parts: &[&[u8]]) -> u64 {
        parts.iter().fold(super::Correlator::START, |k, p| k.part(p)).0
    }

    #[test]
    fn the_key_is_the_reference_key_for_every_length() {
        let text: Vec<u8> = (0..40u8).map(|i| i.wrapping_mul(37).wrapping_add(11)).collect();
        for a in 0..=text.len() {
            for b in [0, 1, 7, 8, 9, 16, 23] {
                let parts: [&[u8]; 3] = [&text[..a], &text[a..], &text[..b]];
                assert_eq!(key(&parts), reference(&parts), "{} {}", a, b);
            }
        }
        assert_eq!(key(&[]), reference(&[]));
    }
}

#[cfg(test)]
mod piece_tests {
    use super::{pieces_match, Piece::*};

    #[test]
    fn pieces_match_compares_the_whole_text() {
        assert!(pieces_match("web-1 waits: web-0 is Pending", &[T("web"), T("-"), N(1), T(" waits: "), T("web-0"), T(" is "), T("Pending")]));
        assert!(!pieces_match("web-1 waits: web-0 is Pending", &[T("web-1 waits: web-0 is "), T("Running")]));
        assert!(!pieces_match("web-1 waits", &[T("web-1 waits: more")]));
        assert!(!pieces_match("web-1 waits: more", &[T("web-1 waits")]));
        assert!(!pieces_match("web-10", &[T("web-"), N(1)]));
        assert!(pieces_match("", &[]));
        assert!(pieces_match("", &[T("")]));
        assert_eq!(super::join(&[T("web"), T("-"), N(-3), T(" is "), U(7)]), "web--3 is 7");
    }

    #[test]
    fn numbers_print_as_format_would() {
        for n in [0, 7, 10, -3, 1234, i64::MAX, i64::MIN] {
            assert!(pieces_match(&format!("{}", n), &[N(n)]));
        }
        for n in [0, 99, u64::MAX] {
            assert!(pieces_match(&format!("x{}", n), &[T("x"), U(n)]));
        }
    }
}

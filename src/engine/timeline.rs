//! Time travel: a session recorded as (time, input) pairs plus periodic engine snapshots.
//! Any past instant is restored by cloning the nearest snapshot at or before it, replaying
//! the inputs after it and advancing to the instant. Snapshots are thinned (every other one
//! dropped) whenever there are too many, or when together they hold too many objects, so
//! memory stays bounded however long or large the session.

use super::*;
use serde_json::Value;

/// One recorded input of a session.
#[derive(Debug, Clone, PartialEq)]
pub enum Input {
    Apply(Value),
    Create(Value),
    Update(Value),
    Scale { kind: Kind, namespace: String, name: String, replicas: i64 },
    Delete { kind: Kind, namespace: String, name: String, options: DeleteOptions },
    Inject(Fault),
    SetUnschedulable { node: String, unschedulable: bool },
    WriteFile { namespace: String, pod: String, path: String, contents: String, append: bool },
}

/// What an input returned (the same as the matching `Engine` call).
#[derive(Debug, Clone, PartialEq)]
pub enum InputResult {
    Applied(Result<ApplyOutcome, ApiError>),
    Object(Result<Value, ApiError>),
    Changed(Result<bool, ApiError>),
    Done(Result<(), ApiError>),
    File(Result<(), String>),
}

impl Engine {
    /// Applies one recorded input.
    pub fn apply_input(&mut self, input: &Input) -> InputResult {
        match input.clone() {
            Input::Apply(v) => InputResult::Applied(self.apply(v)),
            Input::Create(v) => InputResult::Object(self.create(v)),
            Input::Update(v) => InputResult::Changed(self.update(v)),
            Input::Scale { kind, namespace, name, replicas } => InputResult::Object(self.scale(kind, &namespace, &name, replicas)),
            Input::Delete { kind, namespace, name, options } => InputResult::Object(self.delete(kind, &namespace, &name, options)),
            Input::Inject(f) => InputResult::Done(self.inject(f)),
            Input::SetUnschedulable { node, unschedulable } => InputResult::Changed(self.set_unschedulable(&node, unschedulable)),
            Input::WriteFile { namespace, pod, path, contents, append } => InputResult::File(self.write_file(&namespace, &pod, &path, &contents, append)),
        }
    }
}

#[derive(Debug, Clone)]
struct Snapshot {
    time: Time,
    /// Inputs already applied when the snapshot was taken.
    inputs: usize,
    /// Objects the snapshot holds (pods, claims, volumes): what its memory grows with.
    weight: usize,
    engine: Engine,
}

/// Objects all snapshots may hold together before they are thinned. Sessions up to about
/// 2,500 replicas never reach it and keep `max_snapshots`. The 10,000-replica lifecycle of
/// benches/engine.rs (about 30,000 objects and 12 to 17 MB per snapshot) ends with 3
/// snapshots some 20,000 virtual seconds apart, so its Timeline holds under 100 MB; a rewind
/// there replays at most that span (about 1 s native) instead of a tenth of it.
const MAX_WEIGHT: usize = 100_000;

/// A recorded session with cheap rewind.
#[derive(Debug, Clone)]
pub struct Timeline {
    live: Engine,
    inputs: Vec<(Time, Input)>,
    snapshots: Vec<Snapshot>,
    /// Virtual time between snapshots; doubles whenever the snapshots are thinned.
    interval: u64,
    max_snapshots: usize,
}

impl Timeline {
    pub fn new(config: Config) -> Timeline {
        Timeline::with_limits(config, 10_000, 12)
    }

    /// `interval_ms`: initial virtual time between snapshots; `max_snapshots`: memory bound.
    pub fn with_limits(config: Config, interval_ms: u64, max_snapshots: usize) -> Timeline {
        let live = Engine::new(config);
        let mut t = Timeline { live, inputs: Vec::new(), snapshots: Vec::new(), interval: interval_ms.max(1), max_snapshots: max_snapshots.max(2) };
        t.snapshot();
        t
    }

    /// The engine at the head of the session.
    pub fn engine(&self) -> &Engine {
        &self.live
    }

    /// Read-write access to the live engine for calls that do not change the simulation
    /// (watches). Inputs must go through [`Timeline::input`] to be replayable.
    pub fn engine_mut(&mut self) -> &mut Engine {
        &mut self.live
    }

    pub fn inputs(&self) -> &[(Time, Input)] {
        &self.inputs
    }

    pub fn now(&self) -> Time {
        self.live.now()
    }

    fn weight(&self) -> usize {
        self.snapshots.iter().map(|s| s.weight).sum()
    }

    fn snapshot(&mut self) {
        // The logs' sealed chunks are shared with the live engine, so the clone copies only
        // their newest entries.
        let engine = self.live.clone();
        let store = &self.live.store;
        let weight = store.pods.len() + store.pvcs.len() + store.pvs.len();
        self.snapshots.push(Snapshot { time: self.live.now(), inputs: self.inputs.len(), weight, engine });
        if self.snapshots.len() > self.max_snapshots || (self.snapshots.len() > 2 && self.weight() > MAX_WEIGHT) {
            // Keep the first, then every other one: the spacing doubles.
            let mut i = 0usize;
            self.snapshots.retain(|_| {
                i += 1;
                i % 2 == 1
            });
            self.interval = self.interval.saturating_mul(2);
        }
    }

    fn maybe_snapshot(&mut self) {
        let last = self.snapshots.last().map(|s| s.time).unwrap_or(Time(0));
        if self.live.now().0.saturating_sub(last.0) >= self.interval {
            self.snapshot();
        }
    }

    /// Records and applies an input at the current time.
    pub fn input(&mut self, input: Input) -> InputResult {
        let r = self.live.apply_input(&input);
        self.inputs.push((self.live.now(), input));
        r
    }

    /// Advances the live engine, taking snapshots along the way.
    pub fn advance_to(&mut self, t: Time) {
        loop {
            let next_snap = self.snapshots.last().map(|s| s.time.0).unwrap_or(0).saturating_add(self.interval);
            match self.live.next_wakeup() {
                Some(w) if w <= t => {
                    self.live.advance_to(w);
                    if w.0 >= next_snap {
                        self.maybe_snapshot();
                    }
                }
                _ => break,
            }
        }
        self.live.advance_to(t);
        self.maybe_snapshot();
    }

    /// Steps the live engine until quiet or `limit`.
    pub fn settle(&mut self, limit: Time) -> bool {
        loop {
            if self.live.is_quiet() {
                return true;
            }
            match self.live.next_wakeup() {
                Some(w) if w <= limit => self.advance_to(w),
                _ => {
                    self.advance_to(limit);
                    return self.live.is_quiet();
                }
            }
        }
    }

    /// The cluster as it was at `t` (clamped to the session's present).
    pub fn at(&self, t: Time) -> Engine {
        let t = t.min(self.live.now());
        let Some(snap) = self.snapshots.iter().rev().find(|s| s.time <= t).or(self.snapshots.first()) else {
            return self.live.clone();
        };
        let mut e = snap.engine.clone();
        for (when, input) in self.inputs.iter().skip(snap.inputs) {
            if *when > t {
                break;
            }
            e.advance_to(*when);
            e.apply_input(input);
        }
        e.advance_to(t);
        e
    }

    /// Rewinds the session itself to `t`: later inputs are discarded (a new branch starts).
    pub fn rewind(&mut self, t: Time) {
        let e = self.at(t);
        let keep = self.inputs.iter().take_while(|(when, _)| *when <= t).count();
        self.inputs.truncate(keep);
        self.snapshots.retain(|s| s.time <= t && s.inputs <= keep);
        self.live = e;
        if self.snapshots.is_empty() {
            self.snapshot();
        }
    }

    pub fn snapshot_count(&self) -> usize {
        self.snapshots.len()
    }
}

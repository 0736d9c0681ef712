//! The default scheduler, reduced to what a StatefulSet lesson shows: claims must be bound
//! (immediate binding), cordoned and unreachable nodes are filtered out, and the least-loaded
//! node wins (ties broken by the seeded RNG, like the scheduler's random tie-break).

use super::cluster::{join, Action, Engine, Piece::T};
use super::meta::*;
use super::objects::*;
use super::*;
use std::rc::Rc;

/// `podMaxInUnschedulablePodsDuration` and the flush period of the scheduling queue.
const UNSCHEDULABLE_MAX_MS: u64 = 5 * 60 * 1000;
const FLUSH_EVERY_MS: u64 = 30 * 1000;

impl Engine {
    /// Keeps the per-node count of scheduled, non-terminal pods.
    pub(super) fn track_node_load(&mut self, old: Option<&Pod>, new: Option<&Pod>) {
        let counted = |p: &Pod| p.node.clone().filter(|_| !p.status.phase.terminal());
        let (was, is) = (old.and_then(counted), new.and_then(counted));
        if was.is_some() && same_opt_str(&was, &is) {
            return; // most writes are a counted pod's status: its node's count stays
        }
        if let Some(n) = was {
            if let Some((_, c)) = self.load_index(&n).and_then(|i| self.node_load.get_mut(i)) {
                *c = c.saturating_sub(1);
            }
        }
        if let Some(n) = is {
            match self.load_index(&n).and_then(|i| self.node_load.get_mut(i)) {
                Some((_, c)) => *c += 1,
                None => self.node_load.push((n, 1)),
            }
        }
    }

    fn load_index(&self, node: &str) -> Option<usize> {
        position_shared(self.node_load.iter().map(|(n, _)| &**n), node)
    }

    /// Scheduled, non-terminal pods on a node.
    fn load_of(&self, node: &str) -> usize {
        self.load_index(node).and_then(|i| self.node_load.get(i)).map_or(0, |(_, c)| *c)
    }

    fn fail_scheduling(&mut self, pod: &Pod, reason: String) {
        let n = self.store.nodes.len();
        let msg = format!("0/{} nodes are available: {}. preemption: 0/{} nodes are available: {} Preemption is not helpful for scheduling.", n, reason, n, n);
        self.unscheduled.insert(pod.meta.key(), self.now);
        self.arm_flush();
        let same = pod.status.scheduled.as_ref().is_some_and(|c| !c.status && c.message.as_deref() == Some(msg.as_str()));
        if same {
            // The retries the simulator makes on every storage or node change stand in for
            // upstream's queueing hints, which would skip most of them, so an unchanged verdict
            // records nothing. The periodic flush is a real attempt: its failure is another
            // FailedScheduling, which `describe` counts as (x2 over 5m).
            if self.flushing {
                self.event(Kind::Pod, &pod.meta, true, "FailedScheduling", msg, "default-scheduler", None);
            }
            return;
        }
        let mut p = pod.clone();
        let mut c = Cond::new(false, self.now).with_reason("Unschedulable");
        c.message = Some(Str::from(msg.as_str()));
        p.status.scheduled = Some(c);
        self.event(Kind::Pod, &pod.meta, true, "FailedScheduling", msg, "default-scheduler", None);
        self.write_pod(p);
    }

    pub(super) fn schedule_pod(&mut self, k: &Key, uid: &Str) {
        let Some(pod) = self.store.pods.get(k).cloned() else { return };
        if !same_str(&pod.meta.uid, uid) || pod.node.is_some() || pod.terminating() {
            return;
        }
        self.unscheduled.remove(k);
        for claim in pod.claim_names() {
            match self.store.pvcs.named(&pod.meta.namespace, claim) {
                None => return self.fail_scheduling(&pod, format!("persistentvolumeclaim \"{}\" not found", claim)),
                Some(c) if c.meta.deletion.is_some() => return self.fail_scheduling(&pod, format!("persistentvolumeclaim \"{}\" is being deleted", claim)),
                Some(c) if c.phase != ClaimPhase::Bound => return self.fail_scheduling(&pod, "pod has unbound immediate PersistentVolumeClaims".into()),
                _ => {}
            }
        }
        let mut unschedulable = 0;
        let mut unreachable = 0;
        // Candidates (schedulable and ready nodes, in name order) and their least load.
        let mut least: Option<usize> = None;
        for n in self.store.nodes.values() {
            if n.unschedulable {
                unschedulable += 1;
            } else if !n.ready {
                unreachable += 1;
            } else {
                let load = self.load_of(&n.meta.name);
                least = Some(least.map_or(load, |l| l.min(load)));
            }
        }
        let Some(least) = least else {
            let mut reasons = Vec::new();
            if unreachable > 0 {
                reasons.push(format!("{} node(s) had untolerated taint {{node.kubernetes.io/unreachable: }}", unreachable));
            }
            if unschedulable > 0 {
                reasons.push(format!("{} node(s) were unschedulable", unschedulable));
            }
            crate::sort::sort(&mut reasons);
            let reason = if reasons.is_empty() { "no nodes available to schedule pods".to_string() } else { reasons.join(", ") };
            return self.fail_scheduling(&pod, reason);
        };
        // The candidates with the least load tie; the seeded RNG picks one, in name order.
        let tied = |e: &Engine, n: &Node| !n.unschedulable && n.ready && e.load_of(&n.meta.name) == least;
        let ties = self.store.nodes.values().filter(|n| tied(self, n)).count();
        let pick = self.rng.below(ties as u64) as usize;
        let Some(node) = self.store.nodes.values().filter(|n| tied(self, n)).nth(pick).map(|n| n.meta.name.clone()) else { return };
        // Copied straight into its own allocation, as the kubelet's writes are.
        let mut rc = pod;
        let p = Rc::make_mut(&mut rc);
        p.node = Some(node.clone());
        p.status.scheduled = Some(Cond::new(true, self.now));
        self.event(Kind::Pod, &p.meta, false, "Scheduled", join(&[T("Successfully assigned "), T(&p.meta.namespace), T("/"), T(&p.meta.name), T(" to "), T(&node)]), "default-scheduler", None);
        let rc = self.write_pod_rc(rc);
        let delay = 300 + self.rng.below(100);
        self.after(delay, Action::Kubelet(rc.meta.key(), rc.meta.uid.clone(), kubelet::Step::Setup));
    }

    pub(super) fn retry_scheduling(&mut self) {
        let pending: Vec<Key> = self.unscheduled.keys().cloned().collect();
        self.retry(pending);
    }

    /// Upstream's `flushUnschedulablePodsLeftover`: every 30 s, pods that have waited 5 minutes
    /// since their last attempt are tried again, so a pod waiting for something no event
    /// announces (a deleted claim: the scheduler does not watch claim deletions) gets a fresh
    /// verdict, and the StatefulSet controller sees it (spec §5.5).
    pub(super) fn flush_unschedulable(&mut self) {
        self.flush_armed = false;
        let due: Vec<Key> = self.unscheduled.iter().filter(|(_, at)| at.0.saturating_add(UNSCHEDULABLE_MAX_MS) <= self.now.0).map(|(k, _)| k.clone()).collect();
        self.flushing = true;
        self.retry(due);
        self.flushing = false;
        self.arm_flush();
    }

    fn arm_flush(&mut self) {
        if !self.flush_armed && !self.unscheduled.is_empty() {
            self.flush_armed = true;
            self.after(FLUSH_EVERY_MS, Action::FlushUnschedulable);
        }
    }

    fn retry(&mut self, pending: Vec<Key>) {
        for k in pending {
            if let Some(uid) = self.store.pods.get(&k).map(|p| p.meta.uid.clone()) {
                self.schedule_pod(&k, &uid);
            } else {
                self.unscheduled.remove(&k);
            }
        }
    }
}

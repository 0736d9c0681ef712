//! An incremental view of one StatefulSet's member pods, kept up to date on every pod write.
//!
//! Upstream walks every pod on every sync, which is O(replicas) per sync and O(replicas²) for
//! a whole rollout. The simulator keeps the same decisions but finds the "interesting" slots
//! (missing, not healthy, claims unverified) through per-ordinal bitsets (`slots.rs`), so a pod
//! write is O(1), a sync scans 64 slots per step, and a 10,000-replica lifecycle stays linear.

use super::super::meta::*;
use super::super::objects::*;
use super::super::Time;
use super::history::RevisionsMemo;
use super::slots::{OrdSet, Slots};
use super::utils;
use std::collections::{BTreeMap, BTreeSet};
use std::rc::Rc;

#[derive(Debug, Clone)]
pub struct Member {
    /// The pod's current version (the one in the store): every write of a pod this set
    /// controls passes through `add`, so a sync reads its pods without a store lookup.
    pub pod: Rc<Pod>,
    pub revision: Str,
}

impl Member {
    pub fn name(&self) -> &Str {
        &self.pod.meta.name
    }
}

#[derive(Debug, Clone, Default)]
pub struct SetIndex {
    pub ns: Str,
    pub name: Str,
    /// `namespace/name`, the key of the set's decisions.
    pub owner: Str,
    /// ordinal -> member pod (claimed: controlled by this set and matching it).
    pub members: Slots<Member>,
    /// Members that are not healthy (Running and Ready and not terminating).
    pub unhealthy: OrdSet,
    /// Members whose identity or storage does not match (spec §4.5) and need a repair.
    pub repair: OrdSet,
    pub terminating: OrdSet,
    /// Ready members (phase Running and Ready=True) -> Ready transition time.
    pub ready: Slots<Time>,
    /// Non-terminating members by their `controller-revision-hash` label.
    pub rev_live: BTreeMap<Str, OrdSet>,
    /// All members by revision label (revisions still in use are never truncated).
    pub rev_all: BTreeMap<Str, usize>,
    /// Pods this set controls that no longer match it (to be released).
    pub release: BTreeSet<Str>,
    /// Slots of the current ordinal range without a member.
    pub absent: OrdSet,
    pub range: Option<(i64, i64)>,
    /// Members whose claims' owner refs must be re-checked (policy change, adoption).
    pub claims_unverified: OrdSet,
    /// Condemned claims were checked for this `(start, end, whenScaled, whenDeleted)`.
    pub condemned_checked: Option<(i64, i64, bool, bool)>,
    /// Bumped by every change of the index a sync could act on (see `seen_by_sync`).
    pub version: u64,
    /// What the last successful sync saw, when it may be compared (see `SyncMemo`).
    pub last_sync: Option<SyncMemo>,
    /// Pods that share an ordinal with another member (non-canonical names); ignored.
    pub duplicates: BTreeSet<Str>,
    /// The set's last current and update revisions, while still valid (see history.rs).
    pub revisions: Option<RevisionsMemo>,
    /// `(Store::revision_writes, revisionHistoryLimit)` when the namespace last held no more
    /// revisions than the limit, so there was no history to truncate.
    pub history_within: Option<(u64, i64)>,
    /// `(ordinal, Store::claim_writes)` when all that slot's claims last existed: a Pending pod
    /// is re-checked for a missing claim on every sync, and claims change far less often.
    pub claims_present: Option<(i64, u64)>,
}

impl SetIndex {
    pub fn new(ns: Str, name: Str) -> SetIndex {
        SetIndex { owner: Str::from(format!("{}/{}", ns, name)), ns, name, ..SetIndex::default() }
    }

    /// Whether a pod controlled by this set is also matched by it (selector and name).
    pub fn matches(&self, spec: &StsSpec, pod: &Pod) -> Option<i64> {
        let (parent, ord) = utils::parent_and_ordinal(&pod.meta.name)?;
        (parent == &*self.name && spec.selector.matches(&pod.meta.labels)).then_some(ord)
    }

    /// Records a new version of a pod this set controls. `old` is its previous version when
    /// that was a member too: selector, name and claim templates are immutable, so when the pod
    /// kept its labels, template and claims, it still matches and is exactly as intact as before
    /// (most writes only change status, and re-checking identity and storage was a fifth of a
    /// pod write).
    pub fn add(&mut self, spec: &StsSpec, pod: &Rc<Pod>, old: Option<&Pod>) {
        // The name is parsed once: this runs on every write of a member.
        let parsed = utils::parent_and_ordinal(&pod.meta.name);
        // Its slot, when it is that slot's member now.
        let slot = parsed.map(|(_, ord)| ord).filter(|ord| self.members.get(*ord).is_some_and(|m| *m.name() == pod.meta.name));
        if old.is_some_and(|o| same_for_sync(o, pod)) {
            // Nothing this index derives from the pod changed (the scheduler's binding, the
            // kubelet's ContainerCreating): a member only takes the newer version.
            if let Some(m) = slot.and_then(|ord| self.members.get_mut(ord)) {
                m.pod = pod.clone();
                return;
            }
        } else {
            self.version += 1;
        }
        let same_shape = old.is_some_and(|o| {
            same_str(&o.meta.name, &pod.meta.name) && o.meta.labels == pod.meta.labels && Rc::ptr_eq(&o.tmpl, &pod.tmpl) && same_claims(&o.claims, &pod.claims)
        });
        // Its slot, when it is still that slot's member and as intact as before.
        let known = slot.filter(|_| same_shape);
        let matched = || parsed.filter(|(parent, _)| *parent == &*self.name && spec.selector.matches(&pod.meta.labels)).map(|(_, ord)| ord);
        let Some(ord) = known.or_else(matched) else {
            // A member that stopped matching stays one until the sync releases it.
            if let Some(m) = slot.and_then(|ord| self.members.get_mut(ord)) {
                m.pod = pod.clone();
            }
            self.release.insert(pod.meta.name.clone());
            return;
        };
        // A new version of a member is updated in place: most writes are status changes that
        // leave its revision and liveness as they were.
        let prev = match self.members.get_mut(ord) {
            Some(m) if *m.name() != pod.meta.name => {
                self.duplicates.insert(pod.meta.name.clone());
                return;
            }
            Some(m) => {
                m.pod = pod.clone();
                Some((m.revision.clone(), !self.terminating.contains(ord)))
            }
            None => {
                if self.range.is_some_and(|(s, e)| ord < s || ord > e) {
                    self.condemned_checked = None;
                }
                None
            }
        };
        let terminating = pod.terminating();
        let healthy = pod.running_and_ready() && !terminating;
        let intact = match known {
            Some(ord) => !self.repair.contains(ord),
            None => utils::identity_matches(&self.name, &self.ns, pod) && utils::storage_matches(&self.name, spec, pod),
        };
        let ready_since = if pod.running_and_ready() { pod.ready_since() } else { None };
        self.unhealthy.set(ord, !healthy);
        self.repair.set(ord, !intact);
        self.terminating.set(ord, terminating);
        match ready_since {
            Some(t) => {
                self.ready.insert(ord, t);
            }
            None => {
                self.ready.remove(ord);
            }
        }
        // A member that kept its labels keeps its revision (unless its last version was one to
        // release: the member never took that version's labels), without searching them again.
        let label: &str = match &prev {
            Some((revision, _)) if known.is_some() && !self.release.contains(&*pod.meta.name) => {
                debug_assert_eq!(&**revision, pod.revision_label().unwrap_or(""));
                revision
            }
            _ => pod.revision_label().unwrap_or(""),
        };
        let live = !terminating;
        if let Some((old, was_live)) = &prev {
            // Usually the member's own revision string: compared by address first.
            if same_str(old, label) {
                if *was_live != live {
                    self.mark_live(old, ord, live);
                }
                return;
            }
            if *was_live {
                self.mark_live(old, ord, false);
            }
            self.count_revision(old, false);
        }
        // Members share one string per revision.
        let revision: Str = self.rev_all.get_key_value(label).map(|(k, _)| k.clone()).unwrap_or_else(|| Str::from(label));
        if live {
            self.mark_live(&revision, ord, true);
        }
        self.count_revision(&revision, true);
        if prev.is_none() {
            if let Some((s, e)) = self.range {
                if ord >= s && ord <= e {
                    self.absent.remove(ord);
                }
            }
        }
        self.members.insert(ord, Member { pod: pod.clone(), revision });
    }

    fn mark_live(&mut self, revision: &Str, ord: i64, live: bool) {
        if live {
            self.rev_live.entry(revision.clone()).or_default().insert(ord, ());
        } else if let Some(set) = self.rev_live.get_mut(revision) {
            set.remove(ord);
            if set.is_empty() {
                self.rev_live.remove(revision);
            }
        }
    }

    fn count_revision(&mut self, revision: &Str, add: bool) {
        if add {
            *self.rev_all.entry(revision.clone()).or_insert(0) += 1;
        } else if let Some(n) = self.rev_all.get_mut(revision) {
            *n = n.saturating_sub(1);
            if *n == 0 {
                self.rev_all.remove(revision);
            }
        }
    }

    pub fn remove(&mut self, pod_name: &str) {
        self.version += 1;
        self.release.remove(pod_name);
        self.duplicates.remove(pod_name);
        if let Some((_, ord)) = utils::parent_and_ordinal(pod_name) {
            if self.members.get(ord).is_some_and(|m| &**m.name() == pod_name) {
                self.remove_ord(ord);
                if let Some((s, e)) = self.range {
                    if ord >= s && ord <= e {
                        self.absent.insert(ord, ());
                    }
                }
                self.claims_unverified.remove(ord);
            }
        }
    }

    fn remove_ord(&mut self, ord: i64) {
        let Some(m) = self.members.remove(ord) else { return };
        self.unhealthy.remove(ord);
        self.repair.remove(ord);
        let was_live = self.terminating.remove(ord).is_none();
        self.ready.remove(ord);
        if was_live {
            self.mark_live(&m.revision, ord, false);
        }
        self.count_revision(&m.revision, false);
    }

    /// Makes `absent` describe the slots `[start, end]` (rebuilt only when the range changes).
    pub fn ensure_range(&mut self, start: i64, end: i64) {
        if self.range == Some((start, end)) {
            return;
        }
        self.absent.clear();
        let mut o = start;
        while o <= end {
            if !self.members.contains(o) {
                self.absent.insert(o, ());
            }
            o += 1;
        }
        self.range = Some((start, end));
    }

    pub fn mark_all_claims_unverified(&mut self) {
        self.claims_unverified.clear();
        for (o, _) in self.members.iter() {
            self.claims_unverified.insert(o, ());
        }
        self.condemned_checked = None;
    }

    /// Members that are ready but not yet available because of `minReadySeconds`.
    pub fn warming(&self, min_ready_secs: u64, now: Time) -> BTreeSet<i64> {
        if min_ready_secs == 0 {
            return BTreeSet::new();
        }
        let ms = min_ready_secs.saturating_mul(1000);
        self.ready.iter().filter(|(_, t)| Time(t.0.saturating_add(ms)) >= now).map(|(o, _)| o).collect()
    }
}

/// Whether two versions of a pod agree on what a sync reads of a pod it controls. A write
/// that changes none of it, such as the scheduler's binding or the kubelet's first status
/// (still Pending, containers creating), cannot change what the set's next sync does.
/// Versions of a pod share their strings, owner references and claims, so addresses
/// usually settle each comparison (`Rc<str>` and `Rc<[T]>` equality compares contents).
fn same_for_sync(a: &Pod, b: &Pod) -> bool {
    same_str(&a.meta.uid, &b.meta.uid)
        && same_str(&a.meta.name, &b.meta.name)
        && a.meta.labels == b.meta.labels
        && a.meta.owners.same(&b.meta.owners)
        && a.meta.deletion == b.meta.deletion
        && Rc::ptr_eq(&a.tmpl, &b.tmpl)
        && same_claims(&a.claims, &b.claims)
        && a.status.phase == b.status.phase
        && a.is_ready() == b.is_ready()
        && a.ready_since() == b.ready_since()
}

fn same_claims(a: &Rc<[(Str, Str)]>, b: &Rc<[(Str, Str)]>) -> bool {
    Rc::ptr_eq(a, b) || a == b
}

/// The inputs of a StatefulSet's last successful sync. A sync asked for while they are all
/// unchanged would act exactly as that one did and find nothing to do, so it is skipped: about
/// half of all syncs come from writes no sync reads (the set's own status, a pod's binding).
/// Only compared when nothing else a sync reads can have moved: no `minReadySeconds` (time),
/// no injected API faults, no back-off, not being deleted.
///
/// A sync that changed any of these itself (created or deleted a pod, wrote a claim, moved the
/// current revision) leaves no memo: the next sync sees what it did.
#[derive(Debug, Clone)]
pub struct SyncMemo {
    /// What a sync reads of the set itself: its spec (by generation) and the status fields
    /// that steer decisions. The counts it writes each time are not among them.
    pub set: (i64, i64, Option<Str>, Option<Str>, Option<i64>),
    pub index: u64,
    pub claims: u64,
    pub revisions: u64,
    pub foreign_pods: u64,
}

/// Field by field, the revision names by address first (every sync compares two memos).
impl PartialEq for SyncMemo {
    fn eq(&self, o: &SyncMemo) -> bool {
        let ((g, c, cur, upd, col), (og, oc, ocur, oupd, ocol)) = (&self.set, &o.set);
        g == og
            && c == oc
            && same_opt_str(cur, ocur)
            && same_opt_str(upd, oupd)
            && col == ocol
            && self.index == o.index
            && self.claims == o.claims
            && self.revisions == o.revisions
            && self.foreign_pods == o.foreign_pods
    }
}

impl Eq for SyncMemo {}

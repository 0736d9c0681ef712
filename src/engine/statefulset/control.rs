//! The StatefulSet reconcile algorithm (upstream `stateful_set_control.go`, spec §3).
//!
//! One call of `sync_set` is one sync. It never observes its own writes: the status counts
//! are taken before any action, monotonic syncs stop after their single create or delete,
//! and burst syncs decide each slot from that slot's state at sync start. Every decision is
//! recorded in words a student understands.

use super::super::cluster::{Action, Engine, Work, MAX_SIMULATED_REPLICAS};
use super::super::meta::*;
use super::super::objects::*;
use super::super::Kind;
use super::index::{SetIndex, SyncMemo};
use super::status::{complete_rolling_update, snapshot_status};
use super::utils;
use std::collections::BTreeSet;
use std::rc::Rc;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Flow {
    Continue,
    Stop,
}

struct Ctx {
    owner: Str,
    monotonic: bool,
    start: i64,
    end: i64,
    current: Rc<Revision>,
    update: Rc<Revision>,
    warming: BTreeSet<i64>,
}

impl Engine {
    /// One sync of the set stored under `key`, with the error back-off of the work queue.
    pub(in crate::engine) fn sync_set_key(&mut self, key: &Key) {
        let Some(set) = self.store.sets.get(key).cloned() else { return };
        let start = self.sync_memo(key, &set);
        let redundant = start.is_some() && self.set_index.get(&set.meta.uid).and_then(|i| i.last_sync.as_ref()) == start.as_ref();
        // Debug builds (every test) run the sync anyway and check that it does nothing.
        if redundant && !cfg!(debug_assertions) {
            return;
        }
        let before = (self.store.rv, self.decisions.len(), self.timer_seq);
        let result = self.sync_set(&set);
        debug_assert!(
            !redundant || before == (self.store.rv, self.decisions.len(), self.timer_seq),
            "a sync of {} judged redundant acted (memo inputs are missing something)",
            set.meta.name
        );
        match result {
            Ok(()) => {
                self.backoff.remove(key);
                if let Some(latest) = self.store.sets.get(key).cloned() {
                    let end = self.sync_memo(key, &latest);
                    if let Some(idx) = self.set_index.get_mut(&latest.meta.uid) {
                        idx.last_sync = end.filter(|e| Some(e) == start.as_ref());
                    }
                }
                // minReadySeconds: come back when the next ready pod becomes available.
                if let (Some(s), Some(idx)) = (self.store.sets.get(key), self.set_index.get(&set.meta.uid)) {
                    let mrs = s.spec.min_ready_seconds;
                    if mrs > 0 && s.status.available != s.spec.replicas {
                        if let Some(first) = idx.warming(mrs, self.now).iter().filter_map(|o| idx.ready.get(o)).min() {
                            let due = first.0.saturating_add(mrs.saturating_mul(1000)).saturating_add(1);
                            let delay = due.saturating_sub(self.now.0).max(1);
                            self.after(delay, Action::Requeue(Work::SyncSet(key.clone())));
                        }
                    }
                }
            }
            Err(e) => {
                let delay = self.backoff.get(key).map(|d| (d * 2).min(1_000_000)).unwrap_or(5);
                self.backoff.insert(key.clone(), delay);
                self.after(delay, Action::Retry(Work::SyncSet(key.clone())));
                let owner = format!("{}/{}", set.meta.namespace, set.meta.name);
                self.waiting(&owner, format_args!("{}: the last sync failed ({}); retrying in {}", set.meta.name, e, human_ms(delay)));
            }
        }
    }

    /// What the sync of `set` would read, when that is all it reads (see `SyncMemo`).
    fn sync_memo(&self, key: &Key, set: &StatefulSet) -> Option<SyncMemo> {
        if set.spec.min_ready_seconds > 0 || set.meta.deletion.is_some() || !self.api_faults.is_empty() || self.backoff.contains_key(key) {
            return None;
        }
        let idx = self.set_index.get(&set.meta.uid)?;
        let st = &set.status;
        Some(SyncMemo {
            set: (set.meta.generation, st.current, st.current_revision.clone(), st.update_revision.clone(), st.collision_count),
            index: idx.version,
            claims: self.store.claim_writes,
            revisions: self.store.revision_writes,
            foreign_pods: self.foreign_pod_writes,
        })
    }

    fn sync_set(&mut self, set: &Rc<StatefulSet>) -> Result<(), String> {
        let uid = set.meta.uid.clone();
        if !self.set_index.contains_key(&uid) {
            self.set_index.insert(uid.clone(), SetIndex::new(set.meta.namespace.clone(), set.meta.name.clone()));
        }
        self.claim_pods(set);
        let (current, update, collision) = self.set_revisions(set)?;
        let replicas = set.spec.replicas.clamp(0, MAX_SIMULATED_REPLICAS);
        let start = set.spec.start;
        let end = start.saturating_add(replicas) - 1;
        let now = self.now;
        let (warming, mut status, owner) = {
            let Some(idx) = self.set_index.get_mut(&uid) else { return Ok(()) };
            idx.ensure_range(start, end);
            let warming = idx.warming(set.spec.min_ready_seconds, now);
            let status = snapshot_status(set, idx, &warming, &current.meta.name, &update.meta.name, collision);
            (warming, status, idx.owner.clone())
        };
        let ctx = Ctx {
            owner,
            monotonic: !set.spec.parallel,
            start,
            end,
            current: current.clone(),
            update: update.clone(),
            warming,
        };
        let result = self.update_pods(set, &ctx, &mut status);
        complete_rolling_update(&set.spec, &mut status);
        let final_current = status.current_revision.clone().unwrap_or_else(|| current.meta.name.clone());
        let status_result = self.write_set_status(&set.meta.key(), status);
        if let Some(latest) = self.store.sets.get(&set.meta.key()).cloned() {
            self.truncate_history(&latest, &final_current, &update.meta.name);
        }
        result.and(status_result)
    }

    /// Release pods that stopped matching; adopt matching orphans (spec §3.2 step 4).
    fn claim_pods(&mut self, set: &Rc<StatefulSet>) {
        let deleting = set.meta.deletion.is_some();
        let release: Vec<Str> = self.set_index.get(&set.meta.uid).map(|i| i.release.iter().cloned().collect()).unwrap_or_default();
        if !deleting {
            for name in release {
                if let Some(p) = self.store.pods.named(&set.meta.namespace, &name).cloned() {
                    let mut np = (*p).clone();
                    np.meta.owners.retain(|o| o.uid != set.meta.uid);
                    self.write_pod(np);
                    self.decide(self.owner_of(set), format!("{} released: its labels or name no longer match the StatefulSet's selector, so web no longer manages it", name).replace("web no longer", &format!("{} no longer", set.meta.name)));
                }
            }
        }
        if deleting {
            return;
        }
        let ns = set.meta.namespace.clone();
        let candidates: Vec<Key> = self.orphans.range(Key::new(ns.clone(), Str::from(""))..).take_while(|k| k.0 == ns).cloned().collect();
        for k in candidates {
            let Some(p) = self.store.pods.get(&k).cloned() else { continue };
            if p.terminating() || !utils::is_member_name(&set.meta.name, &p.meta.name) || !set.spec.selector.matches(&p.meta.labels) {
                continue;
            }
            let mut np = (*p).clone();
            np.meta.owners.push(OwnerRef::controller_of(Kind::StatefulSet, &set.meta.name, &set.meta.uid));
            self.write_pod(np);
            if let Some((_, ord)) = utils::parent_and_ordinal(&p.meta.name) {
                if let Some(idx) = self.set_index.get_mut(&set.meta.uid) {
                    idx.claims_unverified.insert(ord);
                }
            }
            self.decide(self.owner_of(set), format!("{} adopted: an orphan pod whose name and labels match this StatefulSet", p.meta.name));
        }
    }

    fn owner_of(&self, set: &StatefulSet) -> String {
        format!("{}/{}", set.meta.namespace, set.meta.name)
    }

    /// The lowest slot in `[from, end]` that may need work: missing, unhealthy, warming up,
    /// needing repair or with unverified claim refs. Slots in between are healthy and intact,
    /// and `processReplica` would just continue past them.
    fn next_interesting(&self, uid: &Str, from: i64, end: i64, warming: &BTreeSet<i64>) -> Option<i64> {
        let idx = self.set_index.get(uid)?;
        if from > end {
            return None;
        }
        let r = from..=end;
        [
            idx.absent.range(r.clone()).next(),
            idx.unhealthy.range(r.clone()).next(),
            idx.repair.range(r.clone()).next(),
            idx.claims_unverified.range(r.clone()).next(),
            warming.range(r).next(),
        ]
        .into_iter()
        .flatten()
        .min()
        .copied()
    }

    fn update_pods(&mut self, set: &Rc<StatefulSet>, ctx: &Ctx, status: &mut StsStatus) -> Result<(), String> {
        let name = set.meta.name.clone();
        if set.meta.deletion.is_some() {
            self.waiting(&ctx.owner, format_args!("{} is being deleted: the controller takes no pod actions; the garbage collector removes the pods", name));
            return Ok(());
        }
        let uid = set.meta.uid.clone();
        // Phase A: replicas, ascending.
        let mut from = ctx.start;
        let mut first_error: Option<String> = None;
        while let Some(ord) = self.next_interesting(&uid, from, ctx.end, &ctx.warming) {
            match self.process_replica(set, ctx, ord) {
                Ok(Flow::Continue) => {}
                Ok(Flow::Stop) => {
                    if ctx.monotonic {
                        return Ok(());
                    }
                }
                Err(e) => {
                    if ctx.monotonic {
                        return Err(e);
                    }
                    first_error.get_or_insert(e);
                    break;
                }
            }
            from = ord + 1;
        }
        if let Some(e) = first_error {
            return Err(e);
        }
        // Phase B: claim refs of condemned pods, before any of them is deleted.
        let spec = set.spec.clone();
        let checked = (ctx.start, ctx.end, spec.when_scaled_delete, spec.when_deleted_delete);
        if !spec.claim_templates.is_empty() && self.set_index.get(&uid).is_some_and(|i| i.condemned_checked != Some(checked)) {
            for (ord, _) in &self.condemned(&uid, ctx, usize::MAX) {
                self.update_claim_refs(set, *ord, true)?;
            }
            if let Some(i) = self.set_index.get_mut(&uid) {
                i.condemned_checked = Some(checked);
            }
        }
        // Phase C: condemned pods, descending.
        let condemned = self.condemned(&uid, ctx, if ctx.monotonic { 1 } else { usize::MAX });
        if !condemned.is_empty() {
            if ctx.monotonic {
                let (ord, pod_name) = condemned[0].clone();
                let Some(idx) = self.set_index.get(&uid) else { return Ok(()) };
                if idx.terminating.contains(&ord) {
                    self.waiting(&ctx.owner, format_args!("scale down waits: {} is terminating; the next pod is deleted only after it is completely gone (OrderedReady)", pod_name));
                    return Ok(());
                }
                let unavailable = idx.unhealthy.contains(&ord) || ctx.warming.contains(&ord);
                // The lowest-ordinal unavailable condemned pod (replicas are all available here).
                let (s, e) = (ctx.start, ctx.end.saturating_add(1));
                let first_unavailable = [idx.unhealthy.range(..s).next(), ctx.warming.range(..s).next()]
                    .into_iter()
                    .flatten()
                    .min()
                    .or_else(|| [idx.unhealthy.range(e..).next(), ctx.warming.range(e..).next()].into_iter().flatten().min())
                    .copied();
                if unavailable && first_unavailable != Some(ord) {
                    let blocker = first_unavailable.map(|o| utils::pod_name(&name, o)).unwrap_or_default();
                    self.waiting(&ctx.owner, format_args!("scale down waits: {} is not Running and Ready, and {} (lower) is unhealthy too; OrderedReady deletes only when the pods below are healthy", pod_name, blocker));
                    return Ok(());
                }
                self.delete_set_pod(set, &pod_name)?;
                let retention = if spec.claim_templates.is_empty() {
                    String::new()
                } else if spec.when_scaled_delete {
                    "; its claims will be deleted with it (whenScaled is Delete)".to_string()
                } else {
                    "; its claims are kept (whenScaled is Retain)".to_string()
                };
                self.decide(ctx.owner.to_string(), format!("{} deleted: ordinal {} is outside the desired range {} (scale down removes the highest ordinal first){}", pod_name, ord, range_text(ctx), retention));
                return Ok(());
            }
            let mut deleted = Vec::new();
            for (ord, pod_name) in &condemned {
                if self.set_index.get(&uid).is_some_and(|i| i.terminating.contains(ord)) {
                    continue;
                }
                self.delete_set_pod(set, pod_name)?;
                deleted.push(pod_name.to_string());
            }
            if !deleted.is_empty() {
                self.decide(ctx.owner.to_string(), format!("{} deleted at once: outside the desired range {} (Parallel deletes without waiting)", deleted.join(", "), range_text(ctx)));
            }
        }
        if spec.on_delete {
            self.settled_or_waiting(set, ctx, status, "OnDelete: pods move to the new revision only when you delete them");
            return Ok(());
        }
        // Phase D: rolling update, highest ordinal first, down to the partition.
        self.rolling_update(set, ctx, status)
    }

    /// Condemned members, descending by ordinal (at most `limit`).
    fn condemned(&self, uid: &Str, ctx: &Ctx, limit: usize) -> Vec<(i64, Str)> {
        let Some(idx) = self.set_index.get(uid) else { return Vec::new() };
        let above = idx.members.range(ctx.end.saturating_add(1)..).rev();
        let below = idx.members.range(..ctx.start).rev();
        above.chain(below).take(limit).map(|(o, m)| (*o, m.name.clone())).collect()
    }

    fn process_replica(&mut self, set: &Rc<StatefulSet>, ctx: &Ctx, ord: i64) -> Result<Flow, String> {
        let pod = self.set_pod(set, ord);
        let Some(pod) = pod else {
            let name = utils::pod_name(&set.meta.name, ord);
            // An empty slot: create its claims and pod (spec §3.6 step 2).
            if let Some(claim) = self.stale_claim(set, ord) {
                self.waiting(&ctx.owner, format_args!("{} waits: claim {} still belongs to a previous {} (whenScaled is Delete); the pod is created once the garbage collector has removed that claim", name, claim, name));
                return Ok(Flow::Stop);
            }
            let use_current = match &set.spec.rolling {
                None => !set.spec.on_delete && ord < ctx.start.saturating_add(set.status.current),
                Some((partition, _)) => ord < ctx.start.saturating_add(*partition),
            };
            let rev = if use_current { ctx.current.clone() } else { ctx.update.clone() };
            self.create_set_pod(set, ord, &rev)?;
            let why = if ctx.current.meta.name == ctx.update.meta.name {
                String::new()
            } else if use_current {
                match &set.spec.rolling {
                    Some((p, _)) => format!(" (the current revision: ordinal {} is below the partition {})", ord, p),
                    None => " (the current revision: it had not been updated yet)".to_string(),
                }
            } else {
                " (the update revision)".to_string()
            };
            let order = if ctx.monotonic {
                if ord == ctx.start {
                    " — the first slot".to_string()
                } else {
                    format!(" — {} is Running and Ready (OrderedReady)", utils::pod_name(&set.meta.name, ord - 1))
                }
            } else {
                " — Parallel creates without waiting".to_string()
            };
            let claims = if set.spec.claim_templates.is_empty() {
                String::new()
            } else {
                format!(", using claim {}", set.spec.claim_templates.iter().map(|t| utils::claim_name(&t.name, &set.meta.name, ord)).collect::<Vec<_>>().join(", "))
            };
            self.decide(ctx.owner.to_string(), format!("{} created from revision {}{}{}{}", name, rev.meta.name, why, claims, order));
            return Ok(Flow::Stop);
        };
        if pod.status.phase.terminal() {
            if !pod.terminating() {
                self.delete_set_pod(set, &pod.meta.name)?;
                self.decide(
                    ctx.owner.to_string(),
                    format!("{} deleted: its phase is {}; it is recreated (same name and claims) once the old pod is gone", pod.meta.name, pod.status.phase.as_str()),
                );
            } else if ctx.monotonic {
                self.waiting(&ctx.owner, format_args!("{} waits: the {} pod is still being removed", higher(set, ctx, ord), pod.status.phase.as_str()));
            }
            return Ok(Flow::Stop);
        }
        if pod.status.phase == Phase::Pending {
            // A claim deleted while the pod could not start is recreated (spec §5.5).
            let missing = set.spec.claim_templates.iter().any(|t| !self.store.pvcs.has(&set.meta.namespace, &utils::claim_name(&t.name, &set.meta.name, ord)));
            if missing {
                self.create_missing_claims(set, ord)?;
                self.update_claim_refs(set, ord, false)?;
                self.decide(ctx.owner.to_string(), format!("{} is Pending and a claim was missing: the claim was recreated", pod.meta.name));
            }
        }
        if ctx.monotonic {
            if pod.terminating() {
                self.waiting(&ctx.owner, format_args!("{} waits: {} is terminating; it will be recreated once it is gone (OrderedReady)", higher(set, ctx, ord), pod.meta.name));
                return Ok(Flow::Stop);
            }
            if !pod.running_and_ready() {
                let state = if pod.status.phase == Phase::Running { "Running but not Ready" } else { "not Running yet" };
                self.waiting(&ctx.owner, format_args!("{} waits: {} is {} (OrderedReady)", higher(set, ctx, ord), pod.meta.name, state));
                return Ok(Flow::Stop);
            }
            if !pod.available(set.spec.min_ready_seconds, self.now) {
                self.waiting(
                    &ctx.owner,
                    format_args!("{} waits: {} is Ready but not yet available (minReadySeconds is {})", higher(set, ctx, ord), pod.meta.name, set.spec.min_ready_seconds),
                );
                return Ok(Flow::Stop);
            }
        }
        let needs = self.set_index.get(&set.meta.uid).is_some_and(|i| i.repair.contains(&ord) || i.claims_unverified.contains(&ord));
        if needs && self.repair_set_pod(set, ord)? {
            self.decide(ctx.owner.to_string(), format!("{} updated in place: its identity labels or claim owner references did not match the StatefulSet", pod.meta.name));
        }
        Ok(Flow::Continue)
    }

    fn rolling_update(&mut self, set: &Rc<StatefulSet>, ctx: &Ctx, status: &mut StsStatus) -> Result<(), String> {
        let uid = set.meta.uid.clone();
        let partition = set.spec.rolling.as_ref().map(|(p, _)| *p).unwrap_or(0);
        let lo = ctx.start.saturating_add(partition);
        let hi = ctx.end;
        let update = ctx.update.meta.name.clone();
        let max_unavailable = if self.config.max_unavailable_gate { set.spec.rolling.as_ref().and_then(|(_, m)| m.clone()) } else { None };
        let Some(idx) = self.set_index.get(&uid) else { return Ok(()) };
        // The highest `k` old-revision, non-terminating pods in [lo, hi], descending.
        let outdated_in = |lo: i64, hi: i64, k: usize| -> Vec<(i64, Str)> {
            if lo > hi || k == 0 {
                return Vec::new();
            }
            let mut v: Vec<i64> = idx.rev_live.iter().filter(|(r, _)| **r != update).flat_map(|(_, s)| s.range(lo..=hi).rev().take(k).copied()).collect();
            crate::sort::sort_by(&mut v, |a, b| b.cmp(a));
            v.into_iter().take(k).filter_map(|o| idx.members.get(&o).map(|m| (o, m.name.clone()))).collect()
        };
        if let Some(mu) = max_unavailable {
            let spec_replicas = set.spec.replicas.max(0);
            let max_u = match mu {
                IntOrPercent::Int(n) => n,
                IntOrPercent::Percent(p) => spec_replicas.saturating_mul(p) / 100,
            }
            .max(1);
            let r = ctx.start..=ctx.end.max(ctx.start - 1);
            // Counting is O(unavailable), which maxUnavailable keeps small.
            let unavailable = idx.absent.range(r.clone()).count()
                + idx.unhealthy.range(r.clone()).count()
                + ctx.warming.range(r).filter(|o| !idx.unhealthy.contains(o)).count();
            let u = unavailable as i64;
            if u >= max_u {
                if !outdated_in(lo, hi, 1).is_empty() {
                    self.waiting(&ctx.owner, format_args!("rolling update waits: {} pod(s) unavailable, maxUnavailable is {}", u, max_u));
                } else {
                    self.settled_or_waiting(set, ctx, status, "");
                }
                return Ok(());
            }
            let victims: Vec<(i64, Str)> = outdated_in(lo, hi, (max_u - u) as usize);
            if victims.is_empty() {
                self.settled_or_waiting(set, ctx, status, "");
                return Ok(());
            }
            for (_, pod_name) in &victims {
                self.delete_set_pod(set, pod_name)?;
                status.current -= 1;
            }
            let names: Vec<String> = victims.iter().map(|(_, n)| n.to_string()).collect();
            self.decide(
                ctx.owner.to_string(),
                format!("{} deleted: not at update revision {} (rolling update, highest ordinal first, up to maxUnavailable {} at a time)", names.join(", "), update, max_u),
            );
            return Ok(());
        }
        let top_outdated = outdated_in(lo, hi, 1).into_iter().next();
        let top_unavailable = if lo > hi {
            None
        } else {
            [idx.absent.range(lo..=hi).next_back(), idx.unhealthy.range(lo..=hi).next_back(), ctx.warming.range(lo..=hi).next_back()]
                .into_iter()
                .flatten()
                .max()
                .copied()
        };
        match (top_outdated, top_unavailable) {
            (Some((o, pod_name)), u) if u.is_none_or(|u| o >= u) => {
                let rev = idx.members.get(&o).map(|m| m.revision.clone()).unwrap_or_else(|| Str::from(""));
                self.delete_set_pod(set, &pod_name)?;
                status.current -= 1;
                let rev_text = if rev.is_empty() { "no revision".to_string() } else { format!("revision {}", rev) };
                self.decide(
                    ctx.owner.to_string(),
                    format!("{} deleted: it runs {}, the update revision is {} (rolling update, highest ordinal first{})", pod_name, rev_text, update, if partition > 0 { format!(", down to partition {}", partition) } else { String::new() }),
                );
            }
            (out, Some(u)) => {
                let pod_name = utils::pod_name(&set.meta.name, u);
                let _ = out;
                self.waiting(&ctx.owner, format_args!("rolling update waits: {} is not yet Running, Ready and available at the update revision", pod_name));
            }
            _ => self.settled_or_waiting(set, ctx, status, ""),
        }
        Ok(())
    }

    /// Nothing to do: record the steady state (or why the update is parked).
    fn settled_or_waiting(&mut self, set: &Rc<StatefulSet>, ctx: &Ctx, status: &StsStatus, note: &str) {
        let ready = status.ready;
        let replicas = set.spec.replicas;
        let partition = set.spec.rolling.as_ref().map(|(p, _)| *p).unwrap_or(0);
        if ctx.current.meta.name != ctx.update.meta.name && partition > 0 && !set.spec.on_delete {
            self.waiting(
                &ctx.owner,
                format_args!(
                    "{}: pods with ordinal >= {} run update revision {}; pods below the partition stay at {} until the partition is lowered",
                    set.meta.name,
                    ctx.start.saturating_add(partition),
                    ctx.update.meta.name,
                    ctx.current.meta.name
                ),
            )
        } else if !note.is_empty() && ctx.current.meta.name != ctx.update.meta.name {
            self.waiting(&ctx.owner, format_args!("{}: {}", set.meta.name, note))
        } else if ready == replicas {
            self.waiting(&ctx.owner, format_args!("{}: all {} replicas are Running and Ready at revision {}; nothing to do", set.meta.name, replicas, ctx.update.meta.name))
        } else {
            self.waiting(&ctx.owner, format_args!("{}: {} of {} replicas ready; waiting for pod changes", set.meta.name, ready, replicas))
        }
    }
}

fn range_text(ctx: &Ctx) -> String {
    if ctx.end < ctx.start {
        "(none: replicas is 0)".to_string()
    } else {
        format!("{}..{}", ctx.start, ctx.end)
    }
}

/// The slot that is waiting when `ord` blocks (the next higher one), as the student sees it.
/// Displayed rather than built: a waiting set re-syncs on every pod write and its text is
/// usually the same, so it is compared as it renders (see `Engine::waiting`).
fn higher<'a>(set: &'a StatefulSet, ctx: &Ctx, ord: i64) -> Slot<'a> {
    Slot(&set.meta.name, (ord < ctx.end).then_some(ord + 1))
}

/// `set-ordinal`, or the set's own name when there is no ordinal.
struct Slot<'a>(&'a str, Option<i64>);

impl std::fmt::Display for Slot<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.1 {
            Some(ord) => write!(f, "{}-{}", self.0, ord),
            None => f.write_str(self.0),
        }
    }
}

fn human_ms(ms: u64) -> String {
    if ms < 1000 {
        format!("{}ms", ms)
    } else {
        format!("{}s", ms / 1000)
    }
}

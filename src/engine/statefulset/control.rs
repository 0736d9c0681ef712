//! The StatefulSet reconcile algorithm (upstream `stateful_set_control.go`, spec §3).
//!
//! One call of `sync_set` is one sync. It never observes its own writes: the status counts
//! are taken before any action, monotonic syncs stop after their single create or delete,
//! and burst syncs decide each slot from that slot's state at sync start. Every decision is
//! recorded in words a student understands.

use super::super::cluster::{join, join_into, Action, Engine, Piece, Work, MAX_SIMULATED_REPLICAS};
use Piece::{N, T, U};
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
                let Some(latest) = self.store.sets.get(key).cloned() else { return };
                let end = self.sync_memo(key, &latest);
                if let Some(idx) = self.set_index.get_mut(&latest.meta.uid) {
                    idx.last_sync = end.filter(|e| Some(e) == start.as_ref());
                }
                // minReadySeconds: come back when the next ready pod becomes available.
                let mrs = latest.spec.min_ready_seconds;
                if let Some(idx) = self.set_index.get(&latest.meta.uid).filter(|_| mrs > 0) {
                    if latest.status.available != latest.spec.replicas {
                        if let Some(first) = idx.warming(mrs, self.now).iter().filter_map(|o| idx.ready.get(*o)).min() {
                            let due = first.0.saturating_add(mrs.saturating_mul(1000)).saturating_add(1);
                            let delay = due.saturating_sub(self.now.0).max(1);
                            self.after(delay, Action::Requeue(Work::SyncSet(key.clone())));
                        }
                    }
                }
            }
            Err(e) => {
                let delay = self.retry_later(key, Work::SyncSet(key.clone()));
                let owner = Str::from(format!("{}/{}", set.meta.namespace, set.meta.name));
                let text = format!("{}: the last sync failed ({}); retrying in {}", set.meta.name, e, human_ms(delay));
                self.waiting(&owner, &[T(&text)]);
            }
        }
    }

    /// What the sync of `set` would read, when that is all it reads (see `SyncMemo`).
    fn sync_memo(&self, key: &Key, set: &StatefulSet) -> Option<SyncMemo> {
        if set.spec.min_ready_seconds > 0 || set.meta.deletion.is_some() || !self.api_faults.is_empty() || self.backoff.get(key).is_some() {
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
        // The sync wrote at most the set's status, which truncation does not read.
        self.truncate_history(set, &final_current, &update.meta.name);
        result.and(status_result)
    }

    /// Release pods that stopped matching; adopt matching orphans (spec §3.2 step 4).
    fn claim_pods(&mut self, set: &Rc<StatefulSet>) {
        let deleting = set.meta.deletion.is_some();
        let release: Vec<Str> = self.set_index.get(&set.meta.uid).filter(|i| !i.release.is_empty()).map(|i| i.release.iter().cloned().collect()).unwrap_or_default();
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
        if deleting || self.orphans.is_empty() {
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
                    idx.claims_unverified.insert(ord, ());
                }
            }
            self.decide(self.owner_of(set), format!("{} adopted: an orphan pod whose name and labels match this StatefulSet", p.meta.name));
        }
    }

    fn owner_of(&self, set: &StatefulSet) -> Str {
        Str::from(format!("{}/{}", set.meta.namespace, set.meta.name))
    }

    /// The lowest slot in `[from, end]` that may need work: missing, unhealthy, warming up,
    /// needing repair or with unverified claim refs. Slots in between are healthy and intact,
    /// and `processReplica` would just continue past them.
    fn next_interesting(&self, uid: &Str, from: i64, end: i64, warming: &BTreeSet<i64>) -> Option<i64> {
        let idx = self.set_index.get(uid)?;
        if from > end {
            return None;
        }
        [
            idx.absent.first_in(from, end),
            idx.unhealthy.first_in(from, end),
            idx.repair.first_in(from, end),
            idx.claims_unverified.first_in(from, end),
            warming.range(from..=end).next().copied(),
        ]
        .into_iter()
        .flatten()
        .min()
    }

    fn update_pods(&mut self, set: &Rc<StatefulSet>, ctx: &Ctx, status: &mut StsStatus) -> Result<(), String> {
        let name = set.meta.name.clone();
        if set.meta.deletion.is_some() {
            self.waiting(&ctx.owner, &[T(&name), T(" is being deleted: the controller takes no pod actions; the garbage collector removes the pods")]);
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
            for (ord, _) in &self.condemned(&uid, ctx) {
                self.update_claim_refs(set, *ord, true)?;
            }
            if let Some(i) = self.set_index.get_mut(&uid) {
                i.condemned_checked = Some(checked);
            }
        }
        // Phase C: condemned pods, descending (OrderedReady: only the highest, found without a list).
        let (highest, condemned) = if ctx.monotonic { (self.highest_condemned(&uid, ctx), Vec::new()) } else { (None, self.condemned(&uid, ctx)) };
        if highest.is_some() || !condemned.is_empty() {
            if let Some((ord, pod_name)) = highest {
                let Some(idx) = self.set_index.get(&uid) else { return Ok(()) };
                if idx.terminating.contains(ord) {
                    self.waiting(&ctx.owner, &[T("scale down waits: "), T(&pod_name), T(" is terminating; the next pod is deleted only after it is completely gone (OrderedReady)")]);
                    return Ok(());
                }
                let unavailable = idx.unhealthy.contains(ord) || ctx.warming.contains(&ord);
                // The lowest-ordinal unavailable condemned pod (replicas are all available here).
                let (s, e) = (ctx.start, ctx.end.saturating_add(1));
                let first_unavailable = [idx.unhealthy.first_in(i64::MIN, s.saturating_sub(1)).filter(|o| *o < s), ctx.warming.range(..s).next().copied()]
                    .into_iter()
                    .flatten()
                    .min()
                    .or_else(|| [idx.unhealthy.first_in(e, i64::MAX), ctx.warming.range(e..).next().copied()].into_iter().flatten().min());
                if unavailable && first_unavailable != Some(ord) {
                    let blocker = first_unavailable.map(|o| utils::pod_name(&name, o)).unwrap_or_default();
                    self.waiting(
                        &ctx.owner,
                        &[T("scale down waits: "), T(&pod_name), T(" is not Running and Ready, and "), T(&blocker), T(" (lower) is unhealthy too; OrderedReady deletes only when the pods below are healthy")],
                    );
                    return Ok(());
                }
                self.delete_set_pod(set, &pod_name)?;
                let retention = if spec.claim_templates.is_empty() {
                    ""
                } else if spec.when_scaled_delete {
                    "; its claims will be deleted with it (whenScaled is Delete)"
                } else {
                    "; its claims are kept (whenScaled is Retain)"
                };
                let range = range_text(ctx);
                let text = join(&[T(&pod_name), T(" deleted: ordinal "), N(ord), T(" is outside the desired range "), T(&range), T(" (scale down removes the highest ordinal first)"), T(retention)]);
                self.decide(ctx.owner.clone(), text);
                return Ok(());
            }
            let mut deleted = Vec::new();
            for (ord, pod_name) in &condemned {
                if self.set_index.get(&uid).is_some_and(|i| i.terminating.contains(*ord)) {
                    continue;
                }
                self.delete_set_pod(set, pod_name)?;
                deleted.push(pod_name.to_string());
            }
            if !deleted.is_empty() {
                self.decide(ctx.owner.clone(), format!("{} deleted at once: outside the desired range {} (Parallel deletes without waiting)", deleted.join(", "), range_text(ctx)));
            }
        }
        if spec.on_delete {
            self.settled_or_waiting(set, ctx, status, "OnDelete: pods move to the new revision only when you delete them");
            return Ok(());
        }
        // Phase D: rolling update, highest ordinal first, down to the partition.
        self.rolling_update(set, ctx, status)
    }

    /// The highest condemned member: `condemned`'s first, without building the list.
    fn highest_condemned(&self, uid: &Str, ctx: &Ctx) -> Option<(i64, Str)> {
        let idx = self.set_index.get(uid)?;
        let above = idx.members.last_in(ctx.end.saturating_add(1), i64::MAX);
        let below = || idx.members.last_in(i64::MIN, ctx.start.saturating_sub(1)).filter(|o| *o < ctx.start);
        above.or_else(below).and_then(|o| idx.members.get(o).map(|m| (o, m.name().clone())))
    }

    /// Condemned members, descending by ordinal.
    fn condemned(&self, uid: &Str, ctx: &Ctx) -> Vec<(i64, Str)> {
        let Some(idx) = self.set_index.get(uid) else { return Vec::new() };
        let above = idx.members.desc(ctx.end.saturating_add(1), i64::MAX);
        let below = idx.members.desc(i64::MIN, ctx.start.saturating_sub(1)).filter(|o| *o < ctx.start);
        above.chain(below).filter_map(|o| idx.members.get(o).map(|m| (o, m.name().clone()))).collect()
    }

    fn process_replica(&mut self, set: &Rc<StatefulSet>, ctx: &Ctx, ord: i64) -> Result<Flow, String> {
        let pod = self.set_pod(set, ord);
        let Some(pod) = pod else {
            let name = utils::pod_name(&set.meta.name, ord);
            // An empty slot: create its claims and pod (spec §3.6 step 2).
            if let Some(claim) = self.stale_claim(set, ord) {
                self.waiting(
                    &ctx.owner,
                    &[T(&name), T(" waits: claim "), T(&claim), T(" still belongs to a previous "), T(&name), T(" (whenScaled is Delete); the pod is created once the garbage collector has removed that claim")],
                );
                return Ok(Flow::Stop);
            }
            let use_current = match &set.spec.rolling {
                None => !set.spec.on_delete && ord < ctx.start.saturating_add(set.status.current),
                Some((partition, _)) => ord < ctx.start.saturating_add(*partition),
            };
            let rev = if use_current { ctx.current.clone() } else { ctx.update.clone() };
            self.create_set_pod(set, ord, &rev, &name)?;
            // "<pod> created from revision <rev>[ (which revision and why)][, using claim ...] — <order>"
            let mut text = String::with_capacity(160);
            join_into(&mut text, &[T(&name), T(" created from revision "), T(&rev.meta.name)]);
            if ctx.current.meta.name != ctx.update.meta.name {
                match (use_current, &set.spec.rolling) {
                    (true, Some((p, _))) => join_into(&mut text, &[T(" (the current revision: ordinal "), N(ord), T(" is below the partition "), N(*p), T(")")]),
                    (true, None) => text.push_str(" (the current revision: it had not been updated yet)"),
                    (false, _) => text.push_str(" (the update revision)"),
                }
            }
            // The claims' names as pieces (`utils::claim_name`), not built one by one.
            for (i, t) in set.spec.claim_templates.iter().enumerate() {
                join_into(&mut text, &[T(if i == 0 { ", using claim " } else { ", " }), T(&t.name), T("-"), T(&set.meta.name), T("-"), N(ord)]);
            }
            match (ctx.monotonic, ord == ctx.start) {
                (true, true) => text.push_str(" — the first slot"),
                (true, false) => join_into(&mut text, &[T(" — "), T(&set.meta.name), T("-"), N(ord - 1), T(" is Running and Ready (OrderedReady)")]),
                (false, _) => text.push_str(" — Parallel creates without waiting"),
            }
            self.decide(ctx.owner.clone(), text);
            return Ok(Flow::Stop);
        };
        if pod.status.phase.terminal() {
            if !pod.terminating() {
                self.delete_set_pod(set, &pod.meta.name)?;
                self.decide(
                    ctx.owner.clone(),
                    format!("{} deleted: its phase is {}; it is recreated (same name and claims) once the old pod is gone", pod.meta.name, pod.status.phase.as_str()),
                );
            } else if ctx.monotonic {
                let [a, b, c] = higher(set, ctx, ord);
                self.waiting(&ctx.owner, &[a, b, c, T(" waits: the "), T(pod.status.phase.as_str()), T(" pod is still being removed")]);
            }
            return Ok(Flow::Stop);
        }
        if pod.status.phase == Phase::Pending && !set.spec.claim_templates.is_empty() {
            // A claim deleted while the pod could not start is recreated (spec §5.5).
            let writes = self.store.claim_writes;
            let known = self.set_index.get(&set.meta.uid).is_some_and(|i| i.claims_present == Some((ord, writes)));
            let missing = !known && set.spec.claim_templates.iter().any(|t| !self.store.pvcs.has(&set.meta.namespace, &utils::claim_name(&t.name, &set.meta.name, ord)));
            if missing {
                self.create_missing_claims(set, ord)?;
                self.update_claim_refs(set, ord, false)?;
                self.decide(ctx.owner.clone(), format!("{} is Pending and a claim was missing: the claim was recreated", pod.meta.name));
            } else if let Some(i) = self.set_index.get_mut(&set.meta.uid).filter(|_| !known) {
                i.claims_present = Some((ord, writes));
            }
        }
        if ctx.monotonic {
            if pod.terminating() {
                let [a, b, c] = higher(set, ctx, ord);
                self.waiting(&ctx.owner, &[a, b, c, T(" waits: "), T(&pod.meta.name), T(" is terminating; it will be recreated once it is gone (OrderedReady)")]);
                return Ok(Flow::Stop);
            }
            if !pod.running_and_ready() {
                let state = if pod.status.phase == Phase::Running { "Running but not Ready" } else { "not Running yet" };
                let [a, b, c] = higher(set, ctx, ord);
                self.waiting(&ctx.owner, &[a, b, c, T(" waits: "), T(&pod.meta.name), T(" is "), T(state), T(" (OrderedReady)")]);
                return Ok(Flow::Stop);
            }
            if !pod.available(set.spec.min_ready_seconds, self.now) {
                let [a, b, c] = higher(set, ctx, ord);
                self.waiting(&ctx.owner, &[a, b, c, T(" waits: "), T(&pod.meta.name), T(" is Ready but not yet available (minReadySeconds is "), U(set.spec.min_ready_seconds), T(")")]);
                return Ok(Flow::Stop);
            }
        }
        let needs = self.set_index.get(&set.meta.uid).is_some_and(|i| i.repair.contains(ord) || i.claims_unverified.contains(ord));
        if needs && self.repair_set_pod(set, ord)? {
            self.decide(ctx.owner.clone(), format!("{} updated in place: its identity labels or claim owner references did not match the StatefulSet", pod.meta.name));
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
            let mut v: Vec<i64> = idx.rev_live.iter().filter(|(r, _)| **r != update).flat_map(|(_, s)| s.desc(lo, hi).take(k)).collect();
            crate::sort::sort_by(&mut v, |a, b| b.cmp(a));
            v.into_iter().take(k).filter_map(|o| idx.members.get(o).map(|m| (o, m.name().clone()))).collect()
        };
        if let Some(mu) = max_unavailable {
            let spec_replicas = set.spec.replicas.max(0);
            let max_u = match mu {
                IntOrPercent::Int(n) => n,
                IntOrPercent::Percent(p) => spec_replicas.saturating_mul(p) / 100,
            }
            .max(1);
            // Counting is O(unavailable), which maxUnavailable keeps small. (No replicas: no
            // range, and BTreeSet::range panics on an inverted one.)
            let r = ctx.start..=ctx.end;
            let unavailable = if r.is_empty() {
                0
            } else {
                idx.absent.count_in(ctx.start, ctx.end) + idx.unhealthy.count_in(ctx.start, ctx.end) + ctx.warming.range(r).filter(|o| !idx.unhealthy.contains(**o)).count()
            };
            let u = unavailable as i64;
            if u >= max_u {
                if !outdated_in(lo, hi, 1).is_empty() {
                    self.waiting(&ctx.owner, &[T("rolling update waits: "), N(u), T(" pod(s) unavailable, maxUnavailable is "), N(max_u)]);
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
                ctx.owner.clone(),
                format!("{} deleted: not at update revision {} (rolling update, highest ordinal first, up to maxUnavailable {} at a time)", names.join(", "), update, max_u),
            );
            return Ok(());
        }
        // The highest outdated pod (`outdated_in(lo, hi, 1)` without building a list).
        let top_outdated = if lo > hi {
            None
        } else {
            idx.rev_live
                .iter()
                .filter(|(r, _)| **r != update)
                .filter_map(|(_, s)| s.last_in(lo, hi))
                .max()
                .and_then(|o| idx.members.get(o).map(|m| (o, m.name().clone())))
        };
        let top_unavailable = if lo > hi {
            None
        } else {
            [idx.absent.last_in(lo, hi), idx.unhealthy.last_in(lo, hi), ctx.warming.range(lo..=hi).next_back().copied()]
                .into_iter()
                .flatten()
                .max()
        };
        match (top_outdated, top_unavailable) {
            (Some((o, pod_name)), u) if u.is_none_or(|u| o >= u) => {
                let rev = idx.members.get(o).map(|m| m.revision.clone()).unwrap_or_else(|| Str::from(""));
                self.delete_set_pod(set, &pod_name)?;
                status.current -= 1;
                let runs = if rev.is_empty() { [T("no revision"), T("")] } else { [T("revision "), T(&rev)] };
                let mut text = join(&[T(&pod_name), T(" deleted: it runs "), runs[0], runs[1], T(", the update revision is "), T(&update), T(" (rolling update, highest ordinal first")]);
                if partition > 0 {
                    join_into(&mut text, &[T(", down to partition "), N(partition)]);
                }
                text.push(')');
                self.decide(ctx.owner.clone(), text);
            }
            (out, Some(u)) => {
                let _ = out;
                self.waiting(&ctx.owner, &[T("rolling update waits: "), T(&set.meta.name), T("-"), N(u), T(" is not yet Running, Ready and available at the update revision")]);
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
                &[
                    T(&set.meta.name),
                    T(": pods with ordinal >= "),
                    N(ctx.start.saturating_add(partition)),
                    T(" run update revision "),
                    T(&ctx.update.meta.name),
                    T("; pods below the partition stay at "),
                    T(&ctx.current.meta.name),
                    T(" until the partition is lowered"),
                ],
            )
        } else if !note.is_empty() && ctx.current.meta.name != ctx.update.meta.name {
            self.waiting(&ctx.owner, &[T(&set.meta.name), T(": "), T(note)])
        } else if ready == replicas {
            self.waiting(&ctx.owner, &[T(&set.meta.name), T(": all "), N(replicas), T(" replicas are Running and Ready at revision "), T(&ctx.update.meta.name), T("; nothing to do")])
        } else {
            self.waiting(&ctx.owner, &[T(&set.meta.name), T(": "), N(ready), T(" of "), N(replicas), T(" replicas ready; waiting for pod changes")])
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

/// The slot that is waiting when `ord` blocks (the next higher one), as the student sees it:
/// `set-ordinal`, or the set's own name when `ord` is the last slot.
fn higher<'a>(set: &'a StatefulSet, ctx: &Ctx, ord: i64) -> [Piece<'a>; 3] {
    if ord < ctx.end {
        [T(&set.meta.name), T("-"), N(ord + 1)]
    } else {
        [T(&set.meta.name), T(""), T("")]
    }
}

fn human_ms(ms: u64) -> String {
    if ms < 1000 {
        format!("{}ms", ms)
    } else {
        format!("{}s", ms / 1000)
    }
}

//! ControllerRevisions of a StatefulSet (spec §3.4): find or create the update revision,
//! renumber a re-used older revision (rollback), adopt orphans, truncate history.
//!
//! Every sync needs the set's current and update revisions, but they rarely change: the answer
//! is remembered with everything it was computed from (the namespace's revisions, through the
//! store's revision write counter, and the set's fields that the search reads), and re-used
//! while all of that is unchanged.

use super::super::cluster::Engine;
use super::super::meta::*;
use super::super::objects::*;
use super::super::Kind;
use super::utils;
use std::collections::BTreeSet;
use std::rc::Rc;

impl Engine {
    /// This set's revisions sorted by `revision` (ties: creation time, name), adopting
    /// orphans that match its selector.
    pub(in crate::engine) fn set_revision_list(&mut self, set: &StatefulSet) -> Vec<Rc<Revision>> {
        let ns = set.meta.namespace.clone();
        let lo = Key::new(ns.clone(), Str::from(""));
        let mut mine = Vec::new();
        let mut orphans = Vec::new();
        for (k, r) in self.store.revisions.range(lo..) {
            let rns = &k.0;
            if *rns != ns {
                break;
            }
            match r.meta.controller() {
                Some(c) if c.uid == set.meta.uid => mine.push(r.clone()),
                None if set.spec.selector.matches(&r.meta.labels) && set.meta.deletion.is_none() => orphans.push(r.clone()),
                _ => {}
            }
        }
        for r in orphans {
            let mut adopted = (*r).clone();
            adopted.meta.owners.push(OwnerRef::controller_of(Kind::StatefulSet, &set.meta.name, &set.meta.uid));
            mine.push(self.put(adopted));
        }
        crate::sort::sort_by(&mut mine, |a, b| (a.revision, a.meta.created, &a.meta.name).cmp(&(b.revision, b.meta.created, &b.meta.name)));
        mine
    }

    /// `(current, update, collisionCount)` for this sync.
    pub(in crate::engine) fn set_revisions(&mut self, set: &StatefulSet) -> Result<(Rc<Revision>, Rc<Revision>, i64), String> {
        let writes = self.store.revision_writes;
        if let Some(m) = self.set_index.get(&set.meta.uid).and_then(|i| i.revisions.as_ref()).filter(|m| m.holds_for(writes, set)) {
            return Ok(m.answer.clone());
        }
        let answer = self.find_set_revisions(set)?;
        // An answer that wrote revisions (adoption, renumbering, creation) is not remembered:
        // the next sync recomputes it from the new store, as upstream would.
        if self.store.revision_writes == writes {
            if let Some(i) = self.set_index.get_mut(&set.meta.uid) {
                i.revisions = Some(RevisionsMemo {
                    writes,
                    spec: set.spec.clone(),
                    data: set.revision_data.clone(),
                    collision_count: set.status.collision_count,
                    current_revision: set.status.current_revision.clone(),
                    deleting: set.meta.deletion.is_some(),
                    answer: answer.clone(),
                });
            }
        }
        Ok(answer)
    }

    fn find_set_revisions(&mut self, set: &StatefulSet) -> Result<(Rc<Revision>, Rc<Revision>, i64), String> {
        let revisions = self.set_revision_list(set);
        let mut collision = set.status.collision_count.unwrap_or(0);
        let next = revisions.last().map(|r| r.revision.saturating_add(1)).unwrap_or(1);
        let data = set.revision_data.clone();
        let update = if let Some(newest) = revisions.last().filter(|r| r.data == data) {
            newest.clone()
        } else if let Some(old) = revisions.iter().rev().find(|r| r.data == data) {
            // Rollback (or roll forward) to a known template: renumber, do not create.
            let mut r = (**old).clone();
            r.revision = next;
            self.put(r)
        } else {
            let mut guard = 0;
            loop {
                guard += 1;
                let hash = utils::revision_hash(&data, collision);
                let name = utils::revision_name(&set.meta.name, &hash);
                let k = key(&set.meta.namespace, &name);
                match self.store.revisions.get(&k).cloned() {
                    Some(existing) if existing.data == data => break existing,
                    Some(_) if guard < 100 => {
                        collision += 1;
                        continue;
                    }
                    Some(_) => return Err(format!("controllerrevisions.apps \"{}\" already exists", name)),
                    None => {
                        let mut meta = self.new_meta(&set.meta.namespace, &name);
                        meta.labels = set.tmpl.labels.clone();
                        meta.labels.insert("controller.kubernetes.io/hash", hash.clone());
                        meta.annotations = set.meta.annotations.clone();
                        meta.owners.push(OwnerRef::controller_of(Kind::StatefulSet, &set.meta.name, &set.meta.uid));
                        let rev = Revision { meta, data: data.clone(), revision: next, tmpl: set.tmpl.clone() };
                        break self.put(rev);
                    }
                }
            }
        };
        let current = set
            .status
            .current_revision
            .as_ref()
            .and_then(|name| self.store.revisions.named(&set.meta.namespace, name))
            .filter(|r| r.meta.controller().is_some_and(|c| c.uid == set.meta.uid))
            .cloned()
            .unwrap_or_else(|| update.clone());
        Ok((current, update, collision))
    }

    /// Deletes the oldest non-live revisions beyond `revisionHistoryLimit` (negative: keep all).
    pub(in crate::engine) fn truncate_history(&mut self, set: &StatefulSet, current: &Str, update: &Str) {
        if set.spec.history_limit < 0 {
            return;
        }
        // The set's revisions are among its namespace's: when those are within the limit,
        // nothing can be in excess, and the listing (every sync) is skipped.
        let limit = set.spec.history_limit as usize;
        let writes = self.store.revision_writes;
        let within = (writes, set.spec.history_limit);
        if self.set_index.get(&set.meta.uid).is_some_and(|i| i.history_within == Some(within)) {
            return;
        }
        let ns = &set.meta.namespace;
        let in_namespace = self.store.revisions.range(Key::new(ns.clone(), Str::from(""))..).take_while(|(k, _)| k.0 == *ns).take(limit + 1).count();
        if in_namespace <= limit {
            if let Some(i) = self.set_index.get_mut(&set.meta.uid) {
                i.history_within = Some(within);
            }
            return;
        }
        let revisions = self.set_revision_list(set);
        let mut live: BTreeSet<Str> = BTreeSet::new();
        live.insert(current.clone());
        live.insert(update.clone());
        if let Some(idx) = self.set_index.get(&set.meta.uid) {
            live.extend(idx.rev_all.keys().cloned());
        }
        let old: Vec<&Rc<Revision>> = revisions.iter().filter(|r| !live.contains(&r.meta.name)).collect();
        let excess = old.len().saturating_sub(limit);
        let doomed: Vec<Key> = old.iter().take(excess).map(|r| r.meta.key()).collect();
        for k in doomed {
            self.take::<Revision>(Kind::ControllerRevision, &k);
        }
    }
}

/// A `set_revisions` answer and the inputs it was computed from.
#[derive(Debug, Clone)]
pub struct RevisionsMemo {
    /// `Store::revision_writes` then: no revision was added, changed or removed since.
    writes: u64,
    /// The spec (its selector decides adoption); specs are replaced, never changed in place.
    spec: Rc<StsSpec>,
    data: Str,
    collision_count: Option<i64>,
    current_revision: Option<Str>,
    deleting: bool,
    answer: (Rc<Revision>, Rc<Revision>, i64),
}

impl RevisionsMemo {
    fn holds_for(&self, writes: u64, set: &StatefulSet) -> bool {
        self.writes == writes
            && Rc::ptr_eq(&self.spec, &set.spec)
            && same_str(&self.data, &set.revision_data)
            && self.collision_count == set.status.collision_count
            && same_opt_str(&self.current_revision, &set.status.current_revision)
            && self.deleting == set.meta.deletion.is_some()
    }
}

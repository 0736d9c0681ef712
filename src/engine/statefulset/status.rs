//! StatefulSet status (spec §6): counting from the sync's snapshot, rolling-update completion,
//! and the "write only when something changed" rule of the status updater.

use super::super::cluster::Engine;
use super::super::meta::*;
use super::super::objects::*;
use super::index::SetIndex;
use std::collections::BTreeSet;

/// Counters as of the start of a sync (spec §6.1).
pub fn snapshot_status(set: &StatefulSet, idx: &SetIndex, warming: &BTreeSet<i64>, current: &Str, update: &Str, collision: i64) -> StsStatus {
    let count = |rev: &Str| idx.rev_live.get(rev).map(|s| s.len()).unwrap_or(0) as i64;
    let ready = idx.ready.len() as i64;
    StsStatus {
        observed_generation: set.meta.generation,
        replicas: idx.members.len() as i64,
        ready,
        available: ready - warming.len() as i64,
        current: count(current),
        updated: count(update),
        current_revision: Some(current.clone()),
        update_revision: Some(update.clone()),
        collision_count: Some(collision),
        conditions: None,
    }
}

/// `completeRollingUpdate`.
pub fn complete_rolling_update(spec: &StsSpec, status: &mut StsStatus) {
    if !spec.on_delete && status.updated == status.ready && status.ready == status.replicas && status.replicas == spec.replicas {
        status.current_revision = status.update_revision.clone();
        status.current = status.updated;
    }
}

fn differs(old: &StsStatus, new: &StsStatus) -> bool {
    old.replicas != new.replicas
        || old.ready != new.ready
        || old.current != new.current
        || old.updated != new.updated
        || old.available != new.available
        || !same_opt_str(&old.current_revision, &new.current_revision)
        || !same_opt_str(&old.update_revision, &new.update_revision)
        || new.observed_generation > old.observed_generation
}

impl Engine {
    /// Writes the status through `/status` when it changed; the write is itself an update
    /// event of the set and so enqueues another sync.
    pub(in crate::engine) fn write_set_status(&mut self, key: &Key, status: StsStatus) -> Result<(), String> {
        let Some(set) = self.store.sets.get(key) else { return Ok(()) };
        if !differs(&set.status, &status) {
            return Ok(());
        }
        let set = set.clone();
        if self.injected_failure("update_status") {
            return Err(format!("Internal error occurred: injected failure updating statefulsets.apps \"{}\" status", set.meta.name));
        }
        let mut s = (*set).clone();
        s.status = status;
        self.write_set(s);
        Ok(())
    }
}

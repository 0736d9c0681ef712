//! The StatefulSet controller, split like upstream `pkg/controller/statefulset`:
//! `control` (the reconcile algorithm, spec §3), `pod_control` (pod and claim writes and the
//! events they record, §4/§7), `utils` (identity, storage, naming, hashing helpers),
//! `history` (ControllerRevisions, §3.4), `status` (status computation and writes, §6) and
//! `index` (the incremental view of a set's pods that keeps each sync cheap) and `slots` (the
//! ordinal-indexed maps and sets it is made of).

pub mod control;
pub mod history;
pub mod index;
pub mod pod_control;
pub mod slots;
pub mod status;
pub mod utils;

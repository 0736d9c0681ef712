//! Where a TCP connection made inside the cluster lands: kube-proxy's Service virtual IPs (one
//! ready endpoint, picked at random as its iptables rules do, with the session's seeded RNG so a
//! replay picks the same) and the flat pod network. Whether anything listens on the pod's port is
//! the container's business, which the caller knows from the image.

use super::cluster::Engine;
use super::meta::*;
use super::objects::*;
use serde_json::Value;

/// The end of a connection to an IP and port.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Route {
    /// A pod's own port: the pod itself, or the endpoint a Service port sent the connection to.
    Pod { namespace: String, name: String, port: i64 },
    /// A Service port with no ready endpoint: kube-proxy rejects the connection.
    NoEndpoints,
    /// No pod has the IP, or the Service has no such port: nothing answers.
    Unreachable,
}

impl Engine {
    /// Routes a connection to `ip:port`, as kube-proxy and the pod network would.
    pub fn route(&mut self, ip: &str, port: i64) -> Route {
        let service = self.store.services.values().find(|s| s.cluster_ip.as_deref() == Some(ip)).cloned();
        if let Some(svc) = service {
            let Some(sp) = svc.ports.iter().find(|p| p.port == port) else { return Route::Unreachable };
            let Some(ep) = self.store.endpoints.get(&svc.meta.key()) else { return Route::NoEndpoints };
            let mut ready: Vec<(&str, &str)> = ep.addresses.iter().filter(|(_, a)| a.ready).map(|(pod, a)| (&*pod.1, &*a.ip)).collect();
            if ready.is_empty() {
                return Route::NoEndpoints;
            }
            crate::sort::sort_by_key(&mut ready, |(_, ip)| ip_sort_key(ip));
            let names: Vec<String> = ready.iter().map(|(pod, _)| pod.to_string()).collect();
            let pick = self.rng.below(names.len() as u64) as usize;
            let Some(name) = names.into_iter().nth(pick) else { return Route::NoEndpoints };
            let namespace = svc.meta.namespace.to_string();
            let Some(pod) = self.store.pods.named(&namespace, &name) else { return Route::NoEndpoints };
            let Some(port) = target_port(&pod.tmpl.spec, &sp.target, sp.port) else { return Route::Unreachable };
            return Route::Pod { namespace, name, port };
        }
        match self.store.pods.sorted_where(|p| p.status.pod_ip.as_deref() == Some(ip) && !p.status.phase.terminal()).first() {
            Some(p) => Route::Pod { namespace: p.meta.namespace.to_string(), name: p.meta.name.to_string(), port },
            None => Route::Unreachable,
        }
    }
}

/// A Service port's `targetPort` on one pod: a number, a container port's name, or (unset) the
/// Service port itself.
fn target_port(pod_spec: &Value, target: &Value, service_port: i64) -> Option<i64> {
    match target {
        Value::Number(n) => n.as_i64(),
        Value::String(name) => pod_spec
            .get("containers")
            .and_then(Value::as_array)?
            .iter()
            .filter_map(|c| c.get("ports").and_then(Value::as_array))
            .flatten()
            .find(|p| p.get("name").and_then(Value::as_str) == Some(name.as_str()))
            .and_then(|p| p.get("containerPort").and_then(Value::as_i64)),
        _ => Some(service_port),
    }
}

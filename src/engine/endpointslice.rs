//! discovery.k8s.io/v1 EndpointSlices, as the EndpointSlice controller names and fills them
//! (pkg/controller/endpointslice): per Service with a selector, slices of at most 100
//! endpoints named `<service>-<5 random characters>`, labelled `kubernetes.io/service-name`
//! and `endpointslice.kubernetes.io/managed-by`, owned by the Service. Each endpoint carries
//! the `ready`/`serving`/`terminating` conditions, so, unlike v1 Endpoints, terminating pods
//! stay listed (not ready, still serving until they stop).
//!
//! The slices are rendered from the endpoint records the controller keeps incrementally for
//! each Service (one record per pod, see `endpoints.rs`), so slices, Endpoints and DNS always
//! agree and a pod change costs nothing extra. Cluster DNS answers from the ready endpoints of
//! these records ([`Engine::ready_endpoints`]), which is exactly the slices' `ready: true` set.

use super::cluster::Engine;
use super::meta::*;
use super::objects::*;
use super::*;
use serde_json::{json, Map, Value};
use std::rc::Rc;

/// `--max-endpoints-per-slice` default of kube-controller-manager.
const MAX_ENDPOINTS_PER_SLICE: usize = 100;

/// The controller's generateName suffix, derived from the Service's uid so that a slice keeps
/// its name for the Service's lifetime.
fn suffix(uid: &str, index: usize) -> String {
    super::rng::derived_suffix(&format!("{uid}/{index}"))
}


struct SliceEndpoint {
    pod: Str,
    ip: Str,
    hostname: Option<Str>,
    node: Option<Str>,
    pod_uid: Str,
    ready: bool,
    serving: bool,
    terminating: bool,
}

impl SliceEndpoint {
    fn to_json(&self, ns: &str) -> Value {
        let mut o = Map::new();
        o.insert("addresses".into(), json!([&*self.ip]));
        o.insert("conditions".into(), json!({"ready": self.ready, "serving": self.serving, "terminating": self.terminating}));
        if let Some(h) = &self.hostname {
            o.insert("hostname".into(), json!(&**h));
        }
        if let Some(n) = &self.node {
            o.insert("nodeName".into(), json!(&**n));
        }
        o.insert("targetRef".into(), json!({"kind": "Pod", "name": &*self.pod, "namespace": ns, "uid": &*self.pod_uid}));
        Value::Object(o)
    }
}

impl Engine {
    /// The IPs a Service's ready endpoints answer with (DNS), in address order.
    pub(super) fn ready_endpoints(&self, ns: &str, service: &str) -> Vec<(Str, Option<Str>)> {
        let Some(ep) = self.store.endpoints.named(ns, service) else { return Vec::new() };
        let mut out: Vec<(Str, Option<Str>)> = ep.addresses.values().filter(|a| a.ready).map(|a| (a.ip.clone(), a.hostname.clone())).collect();
        crate::sort::sort_by_key(&mut out, |(ip, _)| ip_sort_key(ip));
        out
    }

    /// Every endpoint of a Service as the EndpointSlice controller sees it, by pod name.
    fn slice_endpoints(&self, svc: &Service) -> Vec<SliceEndpoint> {
        let ns = svc.meta.namespace.clone();
        let mut out: Vec<SliceEndpoint> = Vec::new();
        if let Some(ep) = self.store.endpoints.get(&svc.meta.key()) {
            for (pod, a) in ep.addresses.iter() {
                let terminating = self.store.pods.named(&ns, &pod.1).is_some_and(|p| p.terminating());
                out.push(SliceEndpoint {
                    pod: pod.1.clone(),
                    ip: a.ip.clone(),
                    hostname: a.hostname.clone(),
                    node: a.node.clone(),
                    pod_uid: a.pod_uid.clone(),
                    ready: a.ready,
                    serving: a.ready,
                    terminating,
                });
            }
        }
        // Terminating pods leave v1 Endpoints but stay in slices until they are gone.
        if let (Some(sel), false) = (&svc.selector, svc.publish_not_ready) {
            for p in self.store.pods.in_namespace(&ns) {
                let matches = sel.iter().all(|(k, v)| p.meta.labels.get(k) == Some(v));
                if !matches || !p.terminating() || p.status.phase.terminal() {
                    continue;
                }
                let Some(ip) = p.status.pod_ip.clone() else { continue };
                let hostname = match (&p.hostname, &p.subdomain) {
                    (Some(h), Some(d)) if **d == *svc.meta.name => Some(h.clone()),
                    _ => None,
                };
                out.push(SliceEndpoint { pod: p.meta.name.clone(), ip, hostname, node: p.node.clone(), pod_uid: p.meta.uid.clone(), ready: false, serving: p.is_ready(), terminating: true });
            }
        }
        crate::sort::sort_by(&mut out, |a, b| a.pod.cmp(&b.pod));
        out
    }

    fn slice_ports(svc: &Service) -> Value {
        Value::Array(
            svc.ports
                .iter()
                .map(|p| {
                    let mut o = Map::new();
                    o.insert("name".into(), json!(p.name.clone().unwrap_or_default()));
                    o.insert("port".into(), p.target.as_i64().map(|t| json!(t)).unwrap_or(json!(p.port)));
                    o.insert("protocol".into(), json!(p.protocol));
                    Value::Object(o)
                })
                .collect(),
        )
    }

    fn slice_json(&self, svc: &Service, name: String, uid_seed: &str, endpoints: &[SliceEndpoint], managed: bool) -> Value {
        let mut labels = svc.meta.labels.clone();
        labels.insert("kubernetes.io/service-name", svc.meta.name.to_string());
        let mut meta = Meta {
            name: Str::from(name.as_str()),
            namespace: svc.meta.namespace.clone(),
            uid: Str::from(super::rng::derived_uuid(uid_seed).as_str()),
            created: svc.meta.created,
            resource_version: self.store.endpoints.get(&svc.meta.key()).map(|e| e.meta.resource_version).unwrap_or(svc.meta.resource_version),
            ..Meta::default()
        };
        if managed {
            labels.insert("endpointslice.kubernetes.io/managed-by", "endpointslice-controller.k8s.io");
            if svc.cluster_ip.is_none() {
                labels.insert("service.kubernetes.io/headless", String::new());
            }
            meta.generate_name = Some(Str::from(format!("{}-", svc.meta.name)));
            meta.generation = 1;
            meta.owners.push(OwnerRef::controller_of(Kind::Service, &svc.meta.name, &svc.meta.uid));
        }
        meta.labels = labels;
        let ns = svc.meta.namespace.to_string();
        json!({
            "addressType": "IPv4",
            "apiVersion": "discovery.k8s.io/v1",
            "endpoints": endpoints.iter().map(|e| e.to_json(&ns)).collect::<Vec<_>>(),
            "kind": "EndpointSlice",
            "metadata": meta.to_json(true),
            "ports": Self::slice_ports(svc),
        })
    }

    /// The EndpointSlices of one Service.
    fn service_slices(&self, svc: &Service) -> Vec<Value> {
        if svc.selector.is_none() {
            // The API server keeps the `kubernetes` Service's slice itself, named after it.
            if &*svc.meta.name == "kubernetes" && &*svc.meta.namespace == "default" {
                let api = SliceEndpoint {
                    pod: Str::from(""),
                    ip: Str::from("172.18.0.2"),
                    hostname: None,
                    node: None,
                    pod_uid: Str::from(""),
                    ready: true,
                    serving: true,
                    terminating: false,
                };
                let mut v = self.slice_json(svc, "kubernetes".into(), &svc.meta.uid, &[], false);
                let mut e = api.to_json("default");
                if let Some(o) = e.as_object_mut() {
                    o.remove("targetRef");
                }
                v["endpoints"] = json!([e]);
                v["ports"] = json!([{"name": "https", "port": 6443, "protocol": "TCP"}]);
                return vec![v];
            }
            return Vec::new();
        }
        let eps = self.slice_endpoints(svc);
        if eps.is_empty() {
            return vec![self.slice_json(svc, format!("{}-{}", svc.meta.name, suffix(&svc.meta.uid, 0)), &format!("{}/0", svc.meta.uid), &[], true)];
        }
        eps.chunks(MAX_ENDPOINTS_PER_SLICE)
            .enumerate()
            .map(|(i, chunk)| self.slice_json(svc, format!("{}-{}", svc.meta.name, suffix(&svc.meta.uid, i)), &format!("{}/{i}", svc.meta.uid), chunk, true))
            .collect()
    }

    /// All EndpointSlices in a namespace (or all), sorted by namespace then name.
    pub(super) fn endpoint_slices(&self, namespace: Option<&str>) -> Vec<Value> {
        let mut out: Vec<(Key, Value)> = Vec::new();
        for (k, svc) in self.store.services.iter() {
            if namespace.is_some_and(|ns| ns != &*k.0) {
                continue;
            }
            for v in self.service_slices(svc) {
                let name = v.pointer("/metadata/name").and_then(Value::as_str).unwrap_or("").to_string();
                out.push((Key::new(k.0.clone(), Rc::from(name.as_str())), v));
            }
        }
        crate::sort::sort_by(&mut out, |a, b| a.0.cmp(&b.0));
        out.into_iter().map(|(_, v)| v).collect()
    }
}

//! The endpoints controller: one `Endpoints` object per Service with a selector, updated
//! incrementally on every pod change (spec §8.1). DNS is served from these objects.

use super::cluster::Engine;
use super::meta::*;
use super::objects::*;
use std::collections::BTreeMap;
use std::ops::Bound;
use std::rc::Rc;

/// Whether a Service selects a pod: same namespace, every selector label.
fn selects(svc: &Service, pod: &Pod) -> bool {
    let Some(sel) = svc.selector.as_ref() else { return false };
    // A pod has a handful of labels: a scan comparing lengths first settles most of them
    // without looking at their text, where a binary search compares the text of each it meets.
    let labels = &pod.meta.labels;
    same_str(&pod.meta.namespace, &svc.meta.namespace) && sel.iter().all(|(k, v)| labels.iter().any(|(lk, lv)| lk == k && lv == v))
}

/// An [`EndpointAddress`] borrowed from the pod it describes: a pod write compares the
/// address of both versions for every Service, and builds an owned one only when they differ.
#[derive(Debug, Clone, Copy)]
struct Addr<'a> {
    ip: &'a Str,
    hostname: Option<&'a Str>,
    node: Option<&'a Str>,
    ready: bool,
    pod_uid: &'a Str,
}

/// `EndpointAddress`'s equality, comparing addresses first (versions of a pod share strings).
impl PartialEq for Addr<'_> {
    fn eq(&self, o: &Self) -> bool {
        fn same(a: Option<&Str>, b: Option<&Str>) -> bool {
            match (a, b) {
                (Some(x), Some(y)) => same_str(x, y),
                (x, y) => x.is_none() && y.is_none(),
            }
        }
        same_str(self.ip, o.ip) && same(self.hostname, o.hostname) && same(self.node, o.node) && self.ready == o.ready && same_str(self.pod_uid, o.pod_uid)
    }
}

impl Addr<'_> {
    fn owned(self) -> EndpointAddress {
        EndpointAddress { ip: self.ip.clone(), hostname: self.hostname.cloned(), node: self.node.cloned(), ready: self.ready, pod_uid: self.pod_uid.clone() }
    }
}

/// The address a Service that selects `pod` lists for it, if any.
fn address<'a>(svc: &Service, pod: &'a Pod) -> Option<Addr<'a>> {
    let ip = pod.status.pod_ip.as_ref()?;
    if pod.status.phase.terminal() || (pod.terminating() && !svc.publish_not_ready) {
        return None;
    }
    let ready = svc.publish_not_ready || (pod.is_ready() && !pod.terminating());
    let hostname = match (&pod.hostname, &pod.subdomain) {
        (Some(h), Some(d)) if **d == *svc.meta.name => Some(h),
        _ => None,
    };
    Some(Addr { ip, hostname, node: pod.node.as_ref(), ready, pod_uid: &pod.meta.uid })
}

fn desired(svc: &Service, pod: &Pod) -> Option<EndpointAddress> {
    if !selects(svc, pod) {
        return None;
    }
    address(svc, pod).map(Addr::owned)
}

/// No Service lists a pod without an IP or in a terminal phase (see `desired`).
fn unaddressed(p: &Pod) -> bool {
    p.status.pod_ip.is_none() || p.status.phase.terminal()
}

/// Whether two versions of a pod agree on everything `desired` reads.
fn same_endpoint_inputs(a: &Pod, b: &Pod) -> bool {
    // Versions of a pod share their strings, so addresses usually settle it.
    fn same_str(a: &Str, b: &Str) -> bool {
        Rc::ptr_eq(a, b) || a == b
    }
    fn same(a: &Option<Str>, b: &Option<Str>) -> bool {
        match (a, b) {
            (Some(x), Some(y)) => same_str(x, y),
            (x, y) => x.is_none() && y.is_none(),
        }
    }
    same_str(&a.meta.namespace, &b.meta.namespace)
        && same_str(&a.meta.uid, &b.meta.uid)
        && a.meta.labels == b.meta.labels
        && a.status.phase.terminal() == b.status.phase.terminal()
        && a.terminating() == b.terminating()
        && a.is_ready() == b.is_ready()
        && same(&a.status.pod_ip, &b.status.pod_ip)
        && same(&a.hostname, &b.hostname)
        && same(&a.subdomain, &b.subdomain)
        && same(&a.node, &b.node)
}

impl Engine {
    fn endpoints_meta(&mut self, svc: &Service) -> Meta {
        let mut meta = match self.store.endpoints.get(&svc.meta.key()) {
            Some(e) => e.meta.clone(),
            None => {
                let mut m = self.new_meta(&svc.meta.namespace, &svc.meta.name);
                m.created = self.now;
                m
            }
        };
        meta.labels = svc.meta.labels.clone();
        if svc.cluster_ip.is_none() {
            meta.labels.insert("service.kubernetes.io/headless", String::new());
        }
        meta
    }

    /// Recomputes a Service's endpoints from every pod (on Service create/update).
    pub(super) fn rebuild_endpoints(&mut self, svc: &Rc<Service>) {
        let k = svc.meta.key();
        if svc.selector.is_none() {
            if &*svc.meta.name == "kubernetes" && &*svc.meta.namespace == "default" {
                let meta = self.endpoints_meta(svc);
                let mut addrs = BTreeMap::new();
                addrs.insert(Key::new(svc.meta.namespace.clone(), Str::from("kube-apiserver")), EndpointAddress { ip: Str::from("172.18.0.2"), hostname: None, node: None, ready: true, pod_uid: Str::from("") });
                let ports = vec![ServicePort { name: Some("https".into()), port: 6443, protocol: "TCP".into(), target: serde_json::json!(6443) }];
                self.put(Endpoints { meta, addresses: Rc::new(addrs), ports });
            }
            return;
        }
        let ns = svc.meta.namespace.clone();
        let mut addrs = BTreeMap::new();
        for pod in self.store.pods.in_namespace(&ns) {
            if let Some(a) = desired(svc, pod) {
                addrs.insert(pod.meta.key(), a);
            }
        }
        let meta = self.endpoints_meta(svc);
        let changed = self.store.endpoints.get(&k).is_none_or(|e| *e.addresses != addrs || e.ports != svc.ports || e.meta.labels != meta.labels);
        if changed {
            self.put(Endpoints { meta, addresses: Rc::new(addrs), ports: svc.ports.clone() });
        }
    }

    pub(super) fn endpoints_pod_changed(&mut self, old: Option<&Pod>, new: Option<&Pod>) {
        self.track_node_load(old, new);
        self.track_claim_users(old, new);
        let Some(any) = new.or(old) else { return };
        // Endpoints hold exactly `desired` of every pod (this keeps them so on every pod write,
        // `rebuild_endpoints` on every Service write). A write that changes nothing `desired`
        // reads, or that leaves the pod without an address before and after (created, bound,
        // containers creating, removed after its terminal phase), changes no Endpoints: half of
        // a pod's writes. Debug builds check that anyway.
        let unchanged = match (old, new) {
            (Some(o), Some(n)) => same_endpoint_inputs(o, n),
            _ => false,
        } || (old.is_none_or(unaddressed) && new.is_none_or(unaddressed));
        if unchanged && !cfg!(debug_assertions) {
            return;
        }
        let ns = &any.meta.namespace;
        // Most pod writes change no address (a status change before the pod has an IP, the
        // same readiness again): the Services are compared first and only those whose
        // Endpoints must change are collected (nothing is allocated otherwise).
        let from = Named::new(ns, "");
        let mut changed = std::mem::take(&mut self.endpoint_changes);
        for (k, svc) in self.store.services.range::<dyn KeyRef, _>((Bound::Included(&from as &dyn KeyRef), Bound::Unbounded)) {
            if !same_str(&k.0, ns) {
                break;
            }
            if svc.selector.is_none() {
                continue;
            }
            // Both versions have the pod's key, so the same labels are selected alike.
            let selected = new.is_some_and(|p| selects(svc, p));
            let was_selected = match (old, new) {
                (Some(o), Some(n)) if o.meta.labels == n.meta.labels => selected,
                _ => old.is_some_and(|p| selects(svc, p)),
            };
            let want = new.filter(|_| selected).and_then(|p| address(svc, p));
            // What the Endpoints hold for the pod: its previous version's address. Computing
            // that is cheaper than searching a thousand names for it; debug builds check it.
            let had = old.filter(|_| was_selected).and_then(|p| address(svc, p));
            if let Some(e) = self.store.endpoints.get(k).filter(|_| cfg!(debug_assertions)) {
                debug_assert_eq!(e.addresses.get(&any.meta.key()), had.map(Addr::owned).as_ref(), "the Endpoints {:?} do not hold the pod's last address", k);
            }
            if want != had {
                changed.push((k.clone(), want.map(Addr::owned)));
            }
        }
        if unchanged {
            debug_assert!(changed.is_empty(), "a pod write skipped by Endpoints changes them: {:?}", changed.first().map(|(k, _)| k));
            self.endpoint_changes = changed;
            return;
        }
        let pod_key = any.meta.key();
        for (k, want) in changed.drain(..) {
            // Taken out of the store so that, unless a snapshot or a watch shares them, the
            // object and its address map are updated in place rather than copied.
            let Some(mut ep) = self.store.endpoints.remove(&k) else { continue };
            let map = Rc::make_mut(&mut Rc::make_mut(&mut ep).addresses);
            match want {
                Some(a) => {
                    map.insert(pod_key.clone(), a);
                }
                None => {
                    map.remove(&pod_key);
                }
            }
            self.put_modified(ep);
        }
        self.endpoint_changes = changed;
    }
}

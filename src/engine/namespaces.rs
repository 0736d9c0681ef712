//! Namespace lifecycle: the root-CA publisher gives every namespace its `kube-root-ca.crt`
//! ConfigMap and the service-account controller its `default` ServiceAccount (the
//! ServiceAccount admission plugin refuses pods naming one that does not exist), and the
//! namespace controller empties a deleted namespace before it goes.
//!
//! Upstream: pkg/controller/certificates/rootcacertpublisher, pkg/controller/serviceaccount,
//! plugin/pkg/admission/serviceaccount and pkg/controller/namespace/deletion. A deleted
//! namespace is Terminating (its `kubernetes` finalizer holds it) while everything in it is
//! deleted as a client would delete it: pods gracefully, claims behind their protection
//! finalizer, owners with their dependents. No new content may be created in it meanwhile;
//! once it is empty it is removed.

use super::cluster::{Action, Engine, Work};
use super::meta::*;
use super::objects::Generic;
use super::*;
use serde_json::{json, Value};

/// The publisher's ConfigMap and its annotation (publisher.go).
pub const ROOT_CA_CONFIGMAP: &str = "kube-root-ca.crt";
const DESCRIPTION: &str = "Contains a CA bundle that can be used to verify the kube-apiserver when using internal endpoints such as the internal service IP or kubernetes.default.svc. No other usage is guaranteed across distributions of Kubernetes clusters.";

/// The cluster CA's certificate, as the publisher copies it into each namespace and the kubelet
/// projects it into pods. The simulated cluster has no real CA: after a DER certificate's
/// opening (so the text starts `MIIDEjCCAfqgAwIBAgII`, as every cluster CA's does), the body
/// is filler from a fixed seed, not a certificate anything could parse.
pub fn cluster_ca_pem() -> String {
    use base64::engine::{general_purpose::STANDARD, Engine as _};
    let mut bits = super::rng::Rng::new(0x006b_7562_652d_6361);
    let mut der = vec![0x30, 0x82, 0x03, 0x12, 0x30, 0x82, 0x01, 0xfa, 0xa0, 0x03, 0x02, 0x01, 0x02, 0x02, 0x08];
    der.extend((der.len()..790).map(|_| bits.next_u64() as u8));
    let body = STANDARD.encode(der);
    let mut pem = String::from("-----BEGIN CERTIFICATE-----\n");
    for line in body.as_bytes().chunks(64) {
        pem.push_str(std::str::from_utf8(line).unwrap_or_default());
        pem.push('\n');
    }
    pem.push_str("-----END CERTIFICATE-----\n");
    pem
}

impl Engine {
    /// The namespace's deletion state: `Some(false)` live, `Some(true)` Terminating.
    fn namespace_deleting(&self, ns: &str) -> Option<bool> {
        self.store.generic.get(&(Kind::Namespace, key("", ns))).map(|n| n.meta.deletion.is_some())
    }

    /// Whether new objects are refused in `ns` (NamespaceLifecycle admission).
    pub(super) fn namespace_terminating(&self, ns: &str) -> bool {
        self.namespace_deleting(ns) == Some(true)
    }

    /// The publisher's sync: the ConfigMap exists in every live namespace with the CA and its
    /// description, and is put back when deleted or changed. Its uid is derived, not drawn, so
    /// the seeded stream every later object draws from is the same as without it.
    pub(super) fn publish_root_ca(&mut self, ns: &str) {
        if self.namespace_deleting(ns) != Some(false) {
            return;
        }
        let data = json!({"ca.crt": cluster_ca_pem()});
        let current = self.store.generic.get(&(Kind::ConfigMap, key(ns, ROOT_CA_CONFIGMAP))).cloned();
        let mut cm = match current {
            Some(c) if c.body.get("data") == Some(&data) && c.meta.annotations.get("kubernetes.io/description").is_some_and(|d| !d.is_empty()) => return,
            Some(c) => (*c).clone(),
            None => {
                let mut meta = Meta { name: Str::from(ROOT_CA_CONFIGMAP), namespace: namespace(ns), created: self.now, ..Meta::default() };
                // A ConfigMap put back after a delete is a new object: the resourceVersion tells them apart.
                meta.uid = Str::from(super::rng::derived_uuid(&format!("{ns}/{ROOT_CA_CONFIGMAP}/{}", self.store.rv)).as_str());
                Generic { kind: Kind::ConfigMap, meta, body: Default::default() }
            }
        };
        cm.body.insert("data".into(), data);
        cm.meta.annotations.insert("kubernetes.io/description", DESCRIPTION);
        self.store_generic(cm);
    }

    /// What the namespace's controllers keep in it: `kube-root-ca.crt` and the `default`
    /// ServiceAccount.
    pub(super) fn namespace_defaults(&mut self, ns: &str) {
        self.publish_root_ca(ns);
        self.ensure_default_service_account(ns);
    }

    /// The service-account controller: `default` exists in every live namespace, and comes back
    /// when deleted.
    fn ensure_default_service_account(&mut self, ns: &str) {
        if self.namespace_deleting(ns) != Some(false) {
            return;
        }
        if self.store.generic.contains_key(&(Kind::ServiceAccount, key(ns, "default"))) {
            return;
        }
        let mut meta = Meta { name: Str::from("default"), namespace: namespace(ns), created: self.now, ..Meta::default() };
        meta.uid = Str::from(super::rng::derived_uuid(&format!("{ns}/serviceaccount/default/{}", self.store.rv)).as_str());
        self.store_generic(Generic { kind: Kind::ServiceAccount, meta, body: Default::default() });
    }

    /// The ServiceAccount admission plugin's refusal of a pod whose service account does not
    /// exist (`name` is the pod's name, or its generateName prefix), if it applies.
    pub(super) fn missing_service_account(&self, ns: &str, name: &str, spec: &Value) -> Option<String> {
        let sa = spec.get("serviceAccountName").or_else(|| spec.get("serviceAccount")).and_then(Value::as_str).filter(|s| !s.is_empty()).unwrap_or("default");
        // `default` is never missing where pods may be created: the controller above puts it
        // back at the instant it is deleted, and a Terminating namespace admits no pods. So
        // the common case (every pod of the lecture) needs no lookup.
        (sa != "default" && !self.store.generic.contains_key(&(Kind::ServiceAccount, key(ns, sa))))
            .then(|| format!("pods \"{name}\" is forbidden: error looking up service account {ns}/{sa}: serviceaccount \"{sa}\" not found"))
    }

    /// Starts deleting a namespace: it turns Terminating and the controller empties it.
    pub(super) fn delete_namespace(&mut self, ns: &Key) -> Value {
        let Some(n) = self.store.generic.get(&(Kind::Namespace, ns.clone())).cloned() else { return Value::Null };
        if n.meta.deletion.is_none() {
            let mut t = (*n).clone();
            t.meta.deletion = Some(self.now);
            t.meta.deletion_grace = Some(0);
            t.body.insert("status".into(), json!({"phase": "Terminating"}));
            self.store_generic(t);
            self.enqueue(Work::EmptyNamespace(ns.1.clone()));
        }
        self.store.generic.get(&(Kind::Namespace, ns.clone())).map_or(Value::Null, |g| g.to_json())
    }

    /// `deleteAllContent`, then the finalizer: while anything is left, looks again once the
    /// slowest pod's grace period is over.
    pub(super) fn empty_namespace(&mut self, ns: &Str) {
        if !self.namespace_terminating(ns) {
            return;
        }
        let mut left = false;
        for kind in Kind::ALL.into_iter().filter(|k| k.namespaced() && !matches!(k, Kind::Event | Kind::EndpointSlice)) {
            for obj in self.list(kind, Some(ns)) {
                left = true;
                if obj.pointer("/metadata/deletionTimestamp").is_some_and(|d| !d.is_null()) {
                    continue;
                }
                if let Some(name) = obj.pointer("/metadata/name").and_then(Value::as_str) {
                    let _ = self.delete_object(kind, &key(ns, name), DeleteOptions::default());
                }
            }
        }
        if !left {
            self.remove_generic(Kind::Namespace, &key("", ns));
            return;
        }
        // The estimate upstream requeues with: the longest remaining grace period, at least 1 s.
        let wait = self.store.pods.in_namespace(ns).into_iter().filter_map(|p| p.meta.deletion).map(|t| t.0.saturating_sub(self.now.0)).max().unwrap_or(0);
        self.after(wait.max(1000), Action::Requeue(Work::EmptyNamespace(ns.clone())));
    }
}

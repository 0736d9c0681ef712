//! The environment a container's processes start with, as far as the pod decides it (the
//! kubelet's `makeEnvironmentVariables`): `HOSTNAME`, the Docker-link style variables of each
//! Service with a cluster IP that existed when the container started (`enableServiceLinks`),
//! and the container's own `env`, whose values expand `$(VAR)` references and whose `fieldRef`s
//! and `configMapKeyRef`s are the downward API and ConfigMaps. The image's own variables (`PATH`
//! and the like) are not known to the simulator, so `env` itself is not listed.

use std::collections::BTreeMap;

use serde_json::Value;

use crate::engine::{Engine, Kind};
use crate::kubectl::printers::age::parse_rfc3339;
use crate::kubectl::printers::{arr, protocol, st};

pub(super) fn container_env(engine: &Engine, pod: &Value, container: &str, hostname: &str) -> BTreeMap<String, String> {
    let mut vars = BTreeMap::new();
    vars.insert("HOSTNAME".to_string(), hostname.to_string());
    let ns = st(pod, "/metadata/namespace");
    let spec = arr(pod, "/spec/containers").iter().find(|c| st(c, "/name") == container);
    let started = arr(pod, "/status/containerStatuses")
        .iter()
        .find(|c| st(c, "/name") == container)
        .and_then(|c| parse_rfc3339(st(c, "/state/running/startedAt")))
        .unwrap_or(i64::MAX);
    if pod.pointer("/spec/enableServiceLinks").and_then(Value::as_bool) != Some(false) {
        for svc in engine.list(Kind::Service, Some(ns)) {
            let created = parse_rfc3339(st(&svc, "/metadata/creationTimestamp")).unwrap_or(i64::MAX);
            if created <= started {
                service_vars(&svc, &mut vars);
            }
        }
    }
    // The master Service's variables are there in every namespace.
    if ns != "default" {
        if let Ok(svc) = engine.get(Kind::Service, "default", "kubernetes") {
            service_vars(&svc, &mut vars);
        }
    }
    for e in spec.map(|c| arr(c, "/env")).unwrap_or(&[]) {
        let name = st(e, "/name");
        let value = match e.get("valueFrom") {
            None => Some(expand(st(e, "/value"), &vars)),
            Some(from) => value_from(engine, pod, from),
        };
        if let Some(value) = value {
            vars.insert(name.to_string(), value);
        }
    }
    vars
}

/// `NAME_SERVICE_HOST`, `NAME_SERVICE_PORT[_PORTNAME]` and the `NAME_PORT*` link variables of
/// a Service with a cluster IP (a headless Service has none).
fn service_vars(svc: &Value, vars: &mut BTreeMap<String, String>) {
    let ip = st(svc, "/spec/clusterIP");
    if ip.is_empty() || ip == "None" {
        return;
    }
    let prefix = st(svc, "/metadata/name").to_ascii_uppercase().replace('-', "_");
    let ports = arr(svc, "/spec/ports");
    let Some(first) = ports.first() else { return };
    vars.insert(format!("{prefix}_SERVICE_HOST"), ip.to_string());
    vars.insert(format!("{prefix}_SERVICE_PORT"), port_of(first));
    for p in ports {
        let name = st(p, "/name");
        if !name.is_empty() {
            vars.insert(format!("{prefix}_SERVICE_PORT_{}", name.to_ascii_uppercase().replace('-', "_")), port_of(p));
        }
    }
    vars.insert(format!("{prefix}_PORT"), format!("{}://{ip}:{}", protocol(first).to_ascii_lowercase(), port_of(first)));
    for p in ports {
        let (port, proto) = (port_of(p), protocol(p));
        let base = format!("{prefix}_PORT_{port}_{proto}");
        vars.insert(format!("{base}_PROTO"), proto.to_ascii_lowercase());
        vars.insert(format!("{base}_PORT"), port.clone());
        vars.insert(format!("{base}_ADDR"), ip.to_string());
        vars.insert(base, format!("{}://{ip}:{port}", proto.to_ascii_lowercase()));
    }
}

fn port_of(p: &Value) -> String {
    p.get("port").and_then(Value::as_i64).unwrap_or(0).to_string()
}

/// The kubelet's `$(VAR)` expansion: a defined variable's value, `$$` for a literal `$`, and
/// anything else left as written.
fn expand(value: &str, vars: &BTreeMap<String, String>) -> String {
    let mut out = String::with_capacity(value.len());
    let mut rest = value;
    while let Some(i) = rest.find('$') {
        out.push_str(&rest[..i]);
        let after = &rest[i + 1..];
        if let Some(tail) = after.strip_prefix('$') {
            out.push('$');
            rest = tail;
        } else if let Some((name, tail)) = after.strip_prefix('(').and_then(|a| a.split_once(')')) {
            match vars.get(name) {
                Some(v) => out.push_str(v),
                None => {
                    out.push_str("$(");
                    out.push_str(name);
                    out.push(')');
                }
            }
            rest = tail;
        } else {
            out.push('$');
            rest = after;
        }
    }
    out.push_str(rest);
    out
}

/// A `valueFrom`: the downward API's pod fields, or a ConfigMap's key. None when it cannot be
/// resolved here (a Secret, which the simulator does not have, or a missing optional key).
fn value_from(engine: &Engine, pod: &Value, from: &Value) -> Option<String> {
    if let Some(path) = from.pointer("/fieldRef/fieldPath").and_then(Value::as_str) {
        let field = |p: &str| st(pod, p).to_string();
        return Some(match path {
            "metadata.name" => field("/metadata/name"),
            "metadata.namespace" => field("/metadata/namespace"),
            "metadata.uid" => field("/metadata/uid"),
            "spec.nodeName" => field("/spec/nodeName"),
            "spec.serviceAccountName" => match field("/spec/serviceAccountName") {
                s if s.is_empty() => "default".into(),
                s => s,
            },
            "status.podIP" => field("/status/podIP"),
            "status.hostIP" => field("/status/hostIP"),
            _ => {
                let (map, key) = path.strip_prefix("metadata.labels['").map(|k| ("labels", k)).or_else(|| path.strip_prefix("metadata.annotations['").map(|k| ("annotations", k)))?;
                let key = key.strip_suffix("']")?;
                pod.get("metadata")?.get(map)?.get(key)?.as_str().unwrap_or_default().to_string()
            }
        });
    }
    let cm = from.get("configMapKeyRef")?;
    let obj = engine.get(Kind::ConfigMap, st(pod, "/metadata/namespace"), st(cm, "/name")).ok()?;
    obj.get("data")?.get(st(cm, "/key"))?.as_str().map(str::to_string)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn expansion_follows_the_kubelet() {
        let vars: BTreeMap<String, String> = [("A".to_string(), "1".to_string())].into();
        assert_eq!(expand("x$(A)y", &vars), "x1y");
        assert_eq!(expand("$(B) $$(A) $A $", &vars), "$(B) $(A) $A $");
    }
}

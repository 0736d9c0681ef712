//! The columns `kubectl get` shows for each kind (server-side table definitions in
//! kubernetes' `pkg/printers/internalversion/printers.go`), including the `-o wide` extras.

use serde_json::Value;

use super::age::{human_duration, parse_rfc3339};
use super::{access_modes, arr, format_labels, int, st, status};
use crate::engine::Kind;

/// Column headers; `wide` adds the `-o wide` ones.
pub fn headers(kind: Kind, wide: bool) -> Vec<&'static str> {
    let (base, extra): (&[&str], &[&str]) = match kind {
        Kind::Pod => (&["NAME", "READY", "STATUS", "RESTARTS", "AGE"], &["IP", "NODE", "NOMINATED NODE", "READINESS GATES"]),
        Kind::StatefulSet => (&["NAME", "READY", "AGE"], &["CONTAINERS", "IMAGES"]),
        Kind::Service => (&["NAME", "TYPE", "CLUSTER-IP", "EXTERNAL-IP", "PORT(S)", "AGE"], &["SELECTOR"]),
        Kind::PersistentVolumeClaim => {
            (&["NAME", "STATUS", "VOLUME", "CAPACITY", "ACCESS MODES", "STORAGECLASS", "VOLUMEATTRIBUTESCLASS", "AGE"], &["VOLUMEMODE"])
        }
        Kind::PersistentVolume => (
            &["NAME", "CAPACITY", "ACCESS MODES", "RECLAIM POLICY", "STATUS", "CLAIM", "STORAGECLASS", "VOLUMEATTRIBUTESCLASS", "REASON", "AGE"],
            &["VOLUMEMODE"],
        ),
        Kind::Endpoints => (&["NAME", "ENDPOINTS", "AGE"], &[]),
        Kind::ControllerRevision => (&["NAME", "CONTROLLER", "REVISION", "AGE"], &[]),
        Kind::Event => (&["LAST SEEN", "TYPE", "REASON", "OBJECT", "MESSAGE"], &[]),
        Kind::Deployment => (&["NAME", "READY", "UP-TO-DATE", "AVAILABLE", "AGE"], &["CONTAINERS", "IMAGES", "SELECTOR"]),
        Kind::ReplicaSet => (&["NAME", "DESIRED", "CURRENT", "READY", "AGE"], &["CONTAINERS", "IMAGES", "SELECTOR"]),
        Kind::Node => (
            &["NAME", "STATUS", "ROLES", "AGE", "VERSION"],
            &["INTERNAL-IP", "EXTERNAL-IP", "OS-IMAGE", "KERNEL-VERSION", "CONTAINER-RUNTIME"],
        ),
        Kind::StorageClass => (&["NAME", "PROVISIONER", "RECLAIMPOLICY", "VOLUMEBINDINGMODE", "ALLOWVOLUMEEXPANSION", "AGE"], &[]),
        Kind::Namespace => (&["NAME", "STATUS", "AGE"], &[]),
        Kind::ConfigMap => (&["NAME", "DATA", "AGE"], &[]),
        Kind::ServiceAccount => (&["NAME", "SECRETS", "AGE"], &[]),
        Kind::PodDisruptionBudget => (&["NAME", "MIN AVAILABLE", "MAX UNAVAILABLE", "ALLOWED DISRUPTIONS", "AGE"], &[]),
        Kind::EndpointSlice => (&["NAME", "ADDRESSTYPE", "PORTS", "ENDPOINTS", "AGE"], &[]),
    };
    if kind == Kind::Event && wide {
        return vec!["LAST SEEN", "TYPE", "REASON", "OBJECT", "SUBOBJECT", "SOURCE", "MESSAGE", "FIRST SEEN", "COUNT", "NAME"];
    }
    let mut h = base.to_vec();
    if wide {
        h.extend_from_slice(extra);
    }
    h
}

/// AGE of a timestamp field (`<unknown>` when missing).
pub fn age(obj: &Value, pointer: &str, now_ms: i64) -> String {
    match parse_rfc3339(st(obj, pointer)) {
        Some(t) => human_duration(now_ms - t),
        None => "<unknown>".into(),
    }
}

fn or_none(s: &str) -> String {
    if s.is_empty() {
        "<none>".into()
    } else {
        s.to_string()
    }
}

fn containers_images(obj: &Value, pointer: &str) -> (String, String) {
    let cs = arr(obj, pointer);
    let names = cs.iter().map(|c| st(c, "/name")).collect::<Vec<_>>().join(",");
    let images = cs.iter().map(|c| st(c, "/image")).collect::<Vec<_>>().join(",");
    (names, images)
}

/// A workload's `spec.selector` as a label selector string (`<none>` when empty).
pub fn selector_string(obj: &Value) -> String {
    let mut parts = Vec::new();
    for (k, v) in super::label_pairs(obj.pointer("/spec/selector/matchLabels")) {
        parts.push(format!("{k}={v}"));
    }
    for e in arr(obj, "/spec/selector/matchExpressions") {
        let vals: Vec<&str> = arr(e, "/values").iter().filter_map(Value::as_str).collect();
        let key = st(e, "/key");
        parts.push(match st(e, "/operator") {
            "In" => format!("{key} in ({})", vals.join(",")),
            "NotIn" => format!("{key} notin ({})", vals.join(",")),
            "Exists" => key.to_string(),
            _ => format!("!{key}"),
        });
    }
    if parts.is_empty() {
        "<none>".into()
    } else {
        parts.join(",")
    }
}

/// `80/TCP`, `80:30080/TCP`, joined with commas.
pub fn service_ports(svc: &Value) -> String {
    let ports: Vec<String> = arr(svc, "/spec/ports")
        .iter()
        .map(|p| {
            let proto = super::protocol(p);
            let port = int(p, "/port").unwrap_or(0);
            match int(p, "/nodePort") {
                Some(np) if np != 0 => format!("{port}:{np}/{proto}"),
                _ => format!("{port}/{proto}"),
            }
        })
        .collect();
    if ports.is_empty() {
        "<none>".into()
    } else {
        ports.join(",")
    }
}

/// At most three items, then ` + N more...`; `<unset>` when there are none
/// (listWithMoreString in printers.go).
fn list_with_more(list: &[String]) -> String {
    if list.is_empty() {
        return "<unset>".into();
    }
    let shown = list.iter().take(3).cloned().collect::<Vec<_>>().join(",");
    match list.len().saturating_sub(3) {
        0 => shown,
        more => format!("{shown} + {more} more..."),
    }
}

/// An EndpointSlice's PORTS cell: port numbers (`*` when unset, or the name).
pub fn slice_ports_cell(slice: &Value) -> String {
    let ports: Vec<String> = arr(slice, "/ports")
        .iter()
        .map(|p| match int(p, "/port") {
            Some(n) => n.to_string(),
            None if !st(p, "/name").is_empty() => st(p, "/name").to_string(),
            None => "*".into(),
        })
        .collect();
    list_with_more(&ports)
}

/// An EndpointSlice's ENDPOINTS cell: its addresses, ready or not.
pub fn slice_endpoints_cell(slice: &Value) -> String {
    let addrs: Vec<String> = arr(slice, "/endpoints").iter().flat_map(|e| arr(e, "/addresses").iter().filter_map(|a| a.as_str().map(str::to_string)).collect::<Vec<_>>()).collect();
    list_with_more(&addrs)
}

/// `10.244.1.6:80,10.244.2.6:80` (at most three, then ` + N more...`), from an Endpoints object.
pub fn endpoints_cell(ep: &Value) -> String {
    let mut list = Vec::new();
    for subset in arr(ep, "/subsets") {
        let ports = arr(subset, "/ports");
        for addr in arr(subset, "/addresses") {
            let ip = st(addr, "/ip");
            if ports.is_empty() {
                list.push(ip.to_string());
            }
            for p in ports {
                list.push(format!("{ip}:{}", int(p, "/port").unwrap_or(0)));
            }
        }
    }
    // No subsets at all is `<none>`; subsets with only not-ready addresses leave the cell
    // empty (formatEndpoints in printers.go).
    if arr(ep, "/subsets").is_empty() {
        return "<none>".into();
    }
    let more = list.len().saturating_sub(3);
    let shown = list.iter().take(3).cloned().collect::<Vec<_>>().join(",");
    if more > 0 {
        format!("{shown} + {more} more...")
    } else {
        shown
    }
}

fn node_status(node: &Value) -> String {
    let ready = arr(node, "/status/conditions").iter().find(|c| st(c, "/type") == "Ready").map(|c| st(c, "/status"));
    let mut s = match ready {
        Some("True") => "Ready".to_string(),
        Some("False") => "NotReady".to_string(),
        _ => "Unknown".to_string(),
    };
    if node.pointer("/spec/unschedulable").and_then(Value::as_bool) == Some(true) {
        s.push_str(",SchedulingDisabled");
    }
    s
}

fn node_roles(node: &Value) -> String {
    let mut roles: Vec<String> = super::label_pairs(node.pointer("/metadata/labels"))
        .into_iter()
        .filter_map(|(k, v)| {
            k.strip_prefix("node-role.kubernetes.io/").map(str::to_string).or_else(|| (k == "kubernetes.io/role").then_some(v))
        })
        .filter(|r| !r.is_empty())
        .collect();
    crate::sort::sort(&mut roles);
    if roles.is_empty() {
        "<none>".into()
    } else {
        roles.join(",")
    }
}

fn node_address(node: &Value, ty: &str) -> String {
    or_none(arr(node, "/status/addresses").iter().find(|a| st(a, "/type") == ty).map(|a| st(a, "/address")).unwrap_or(""))
}

/// The lower-case `kind/name` kubectl shows for an event's object.
fn event_object(ev: &Value) -> String {
    format!("{}/{}", st(ev, "/involvedObject/kind").to_ascii_lowercase(), st(ev, "/involvedObject/name"))
}

/// The cells of one row (without NAMESPACE/LABELS, which the caller adds).
pub fn row(kind: Kind, obj: &Value, wide: bool, now_ms: i64) -> Vec<String> {
    let name = st(obj, "/metadata/name").to_string();
    let created = age(obj, "/metadata/creationTimestamp", now_ms);
    match kind {
        Kind::Pod => {
            let s = status::summarize(obj);
            let mut r = vec![name, s.ready.clone(), s.status.clone(), s.restarts_cell(now_ms), created];
            if wide {
                let gates = arr(obj, "/spec/readinessGates");
                let gates_cell = if gates.is_empty() {
                    "<none>".to_string()
                } else {
                    let conds = arr(obj, "/status/conditions");
                    let ok = gates
                        .iter()
                        .filter(|g| conds.iter().any(|c| st(c, "/type") == st(g, "/conditionType") && st(c, "/status") == "True"))
                        .count();
                    format!("{ok}/{}", gates.len())
                };
                r.extend([
                    or_none(st(obj, "/status/podIP")),
                    or_none(st(obj, "/spec/nodeName")),
                    or_none(st(obj, "/status/nominatedNodeName")),
                    gates_cell,
                ]);
            }
            r
        }
        Kind::StatefulSet => {
            let ready = int(obj, "/status/readyReplicas").unwrap_or(0);
            let desired = int(obj, "/spec/replicas").unwrap_or(0);
            let mut r = vec![name, format!("{ready}/{desired}"), created];
            if wide {
                let (c, i) = containers_images(obj, "/spec/template/spec/containers");
                r.extend([c, i]);
            }
            r
        }
        Kind::Deployment => {
            let ready = int(obj, "/status/readyReplicas").unwrap_or(0);
            let desired = int(obj, "/spec/replicas").unwrap_or(0);
            let mut r = vec![
                name,
                format!("{ready}/{desired}"),
                int(obj, "/status/updatedReplicas").unwrap_or(0).to_string(),
                int(obj, "/status/availableReplicas").unwrap_or(0).to_string(),
                created,
            ];
            if wide {
                let (c, i) = containers_images(obj, "/spec/template/spec/containers");
                r.extend([c, i, selector_string(obj)]);
            }
            r
        }
        Kind::ReplicaSet => {
            let mut r = vec![
                name,
                int(obj, "/spec/replicas").unwrap_or(0).to_string(),
                int(obj, "/status/replicas").unwrap_or(0).to_string(),
                int(obj, "/status/readyReplicas").unwrap_or(0).to_string(),
                created,
            ];
            if wide {
                let (c, i) = containers_images(obj, "/spec/template/spec/containers");
                r.extend([c, i, selector_string(obj)]);
            }
            r
        }
        Kind::Service => {
            let ty = match st(obj, "/spec/type") {
                "" => "ClusterIP",
                t => t,
            };
            let external = {
                let ips: Vec<&str> = arr(obj, "/spec/externalIPs").iter().filter_map(Value::as_str).collect();
                let lb: Vec<&str> = arr(obj, "/status/loadBalancer/ingress").iter().map(|i| st(i, "/ip")).filter(|s| !s.is_empty()).collect();
                match ty {
                    "LoadBalancer" if lb.is_empty() && ips.is_empty() => "<pending>".to_string(),
                    "LoadBalancer" => lb.iter().chain(ips.iter()).copied().collect::<Vec<_>>().join(","),
                    "ExternalName" => st(obj, "/spec/externalName").to_string(),
                    _ if !ips.is_empty() => ips.join(","),
                    _ => "<none>".to_string(),
                }
            };
            let mut r = vec![name, ty.to_string(), or_none(st(obj, "/spec/clusterIP")), external, service_ports(obj), created];
            if wide {
                r.push(format_labels(obj.pointer("/spec/selector")));
            }
            r
        }
        Kind::PersistentVolumeClaim => {
            let phase = if obj.pointer("/metadata/deletionTimestamp").is_some_and(|v| !v.is_null()) {
                "Terminating".to_string()
            } else {
                st(obj, "/status/phase").to_string()
            };
            let volume = st(obj, "/spec/volumeName").to_string();
            let (capacity, modes) = if volume.is_empty() {
                (String::new(), String::new())
            } else {
                (st(obj, "/status/capacity/storage").to_string(), access_modes(obj, "/status/accessModes"))
            };
            let vac = match st(obj, "/spec/volumeAttributesClassName") {
                "" => "<unset>".to_string(),
                v => v.to_string(),
            };
            let mut r = vec![name, phase, volume, capacity, modes, st(obj, "/spec/storageClassName").to_string(), vac, created];
            if wide {
                r.push(st(obj, "/spec/volumeMode").to_string());
            }
            r
        }
        Kind::PersistentVolume => {
            let claim = match obj.pointer("/spec/claimRef") {
                Some(c) if !c.is_null() => format!("{}/{}", st(c, "/namespace"), st(c, "/name")),
                _ => String::new(),
            };
            let phase = if obj.pointer("/metadata/deletionTimestamp").is_some_and(|v| !v.is_null()) {
                "Terminating".to_string()
            } else {
                st(obj, "/status/phase").to_string()
            };
            let vac = match st(obj, "/spec/volumeAttributesClassName") {
                "" => "<unset>".to_string(),
                v => v.to_string(),
            };
            let mut r = vec![
                name,
                st(obj, "/spec/capacity/storage").to_string(),
                access_modes(obj, "/spec/accessModes"),
                st(obj, "/spec/persistentVolumeReclaimPolicy").to_string(),
                phase,
                claim,
                st(obj, "/spec/storageClassName").to_string(),
                vac,
                st(obj, "/status/reason").to_string(),
                created,
            ];
            if wide {
                r.push(st(obj, "/spec/volumeMode").to_string());
            }
            r
        }
        Kind::Endpoints => vec![name, endpoints_cell(obj), created],
        Kind::ControllerRevision => {
            let controller = arr(obj, "/metadata/ownerReferences")
                .iter()
                .find(|o| o.pointer("/controller").and_then(Value::as_bool) == Some(true))
                .map(|o| {
                    let group = st(o, "/apiVersion").split_once('/').map(|(g, _)| g).unwrap_or("");
                    let kind = st(o, "/kind").to_ascii_lowercase();
                    if group.is_empty() {
                        format!("{kind}/{}", st(o, "/name"))
                    } else {
                        format!("{kind}.{group}/{}", st(o, "/name"))
                    }
                })
                .unwrap_or_else(|| "<none>".into());
            vec![name, controller, int(obj, "/revision").unwrap_or(0).to_string(), created]
        }
        Kind::Event => {
            let last = {
                let a = age(obj, "/lastTimestamp", now_ms);
                if a == "<unknown>" {
                    let e = age(obj, "/eventTime", now_ms);
                    if e == "<unknown>" {
                        age(obj, "/firstTimestamp", now_ms)
                    } else {
                        e
                    }
                } else {
                    a
                }
            };
            let msg = st(obj, "/message").trim().to_string();
            if wide {
                let source = match st(obj, "/source/component") {
                    "" => st(obj, "/reportingComponent").to_string(),
                    c => match st(obj, "/source/host") {
                        "" => c.to_string(),
                        h => format!("{c}, {h}"),
                    },
                };
                vec![
                    last,
                    st(obj, "/type").to_string(),
                    st(obj, "/reason").to_string(),
                    event_object(obj),
                    st(obj, "/involvedObject/fieldPath").to_string(),
                    source,
                    msg,
                    age(obj, "/firstTimestamp", now_ms),
                    int(obj, "/count").unwrap_or(1).to_string(),
                    name,
                ]
            } else {
                vec![last, st(obj, "/type").to_string(), st(obj, "/reason").to_string(), event_object(obj), msg]
            }
        }
        Kind::Node => {
            let mut r = vec![name, node_status(obj), node_roles(obj), created, st(obj, "/status/nodeInfo/kubeletVersion").to_string()];
            if wide {
                r.extend([
                    node_address(obj, "InternalIP"),
                    node_address(obj, "ExternalIP"),
                    or_none(st(obj, "/status/nodeInfo/osImage")),
                    or_none(st(obj, "/status/nodeInfo/kernelVersion")),
                    or_none(st(obj, "/status/nodeInfo/containerRuntimeVersion")),
                ]);
            }
            r
        }
        Kind::StorageClass => {
            let default = st(obj, "/metadata/annotations/storageclass.kubernetes.io~1is-default-class") == "true"
                || st(obj, "/metadata/annotations/storageclass.beta.kubernetes.io~1is-default-class") == "true";
            let shown = if default { format!("{name} (default)") } else { name };
            vec![
                shown,
                st(obj, "/provisioner").to_string(),
                match st(obj, "/reclaimPolicy") {
                    "" => "Delete".to_string(),
                    p => p.to_string(),
                },
                match st(obj, "/volumeBindingMode") {
                    "" => "Immediate".to_string(),
                    m => m.to_string(),
                },
                obj.pointer("/allowVolumeExpansion").and_then(Value::as_bool).unwrap_or(false).to_string(),
                created,
            ]
        }
        Kind::Namespace => vec![name, st(obj, "/status/phase").to_string(), created],
        Kind::ConfigMap => {
            let n = obj.pointer("/data").and_then(Value::as_object).map(|m| m.len()).unwrap_or(0)
                + obj.pointer("/binaryData").and_then(Value::as_object).map(|m| m.len()).unwrap_or(0);
            vec![name, n.to_string(), created]
        }
        Kind::EndpointSlice => vec![name, st(obj, "/addressType").to_string(), slice_ports_cell(obj), slice_endpoints_cell(obj), created],
        Kind::ServiceAccount => vec![name, obj.pointer("/secrets").and_then(Value::as_array).map_or(0, Vec::len).to_string(), created],
        Kind::PodDisruptionBudget => {
            let show = |p: &str| match obj.pointer(p) {
                Some(Value::Number(n)) => n.to_string(),
                Some(Value::String(s)) => s.clone(),
                _ => "N/A".to_string(),
            };
            vec![
                name,
                show("/spec/minAvailable"),
                show("/spec/maxUnavailable"),
                int(obj, "/status/disruptionsAllowed").unwrap_or(0).to_string(),
                created,
            ]
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    const NOW: i64 = 1_735_689_637_000; // 2025-01-01T00:00:37Z

    #[test]
    fn statefulset_row() {
        let sts = json!({"metadata": {"name": "web", "creationTimestamp": "2025-01-01T00:00:00Z"},
            "spec": {"replicas": 2, "template": {"spec": {"containers": [{"name": "nginx", "image": "registry.k8s.io/nginx-slim:0.24"}]}}},
            "status": {"readyReplicas": 2}});
        assert_eq!(row(Kind::StatefulSet, &sts, false, NOW), vec!["web", "2/2", "37s"]);
        assert_eq!(row(Kind::StatefulSet, &sts, true, NOW)[4], "registry.k8s.io/nginx-slim:0.24");
    }

    #[test]
    fn headless_service_row() {
        let svc = json!({"metadata": {"name": "nginx", "creationTimestamp": "2025-01-01T00:00:25Z"},
            "spec": {"type": "ClusterIP", "clusterIP": "None", "ports": [{"port": 80, "protocol": "TCP", "name": "web"}], "selector": {"app": "nginx"}}});
        assert_eq!(row(Kind::Service, &svc, true, NOW), vec!["nginx", "ClusterIP", "None", "<none>", "80/TCP", "12s", "app=nginx"]);
    }

    #[test]
    fn pvc_row() {
        let pvc = json!({"metadata": {"name": "www-web-0", "creationTimestamp": "2025-01-01T00:00:00Z"},
            "spec": {"volumeName": "pvc-1", "storageClassName": "standard", "volumeMode": "Filesystem"},
            "status": {"phase": "Bound", "capacity": {"storage": "1Gi"}, "accessModes": ["ReadWriteOnce"]}});
        assert_eq!(row(Kind::PersistentVolumeClaim, &pvc, false, NOW), vec!["www-web-0", "Bound", "pvc-1", "1Gi", "RWO", "standard", "<unset>", "37s"]);
    }

    #[test]
    fn endpoints_and_revisions() {
        let ep = json!({"subsets": [{"addresses": [{"ip": "10.0.0.1"}, {"ip": "10.0.0.2"}, {"ip": "10.0.0.3"}, {"ip": "10.0.0.4"}], "ports": [{"port": 80}]}]});
        assert_eq!(endpoints_cell(&ep), "10.0.0.1:80,10.0.0.2:80,10.0.0.3:80 + 1 more...");
        let cr = json!({"metadata": {"name": "web-6bc8b45f9d", "ownerReferences": [{"apiVersion": "apps/v1", "kind": "StatefulSet", "name": "web", "controller": true}]}, "revision": 1});
        assert_eq!(row(Kind::ControllerRevision, &cr, false, NOW)[1..3], ["statefulset.apps/web".to_string(), "1".to_string()]);
    }

    #[test]
    fn node_row() {
        let n = json!({"metadata": {"name": "node-2"}, "spec": {"unschedulable": true}, "status": {"conditions": [{"type": "Ready", "status": "True"}], "nodeInfo": {"kubeletVersion": "v1.34.0"}}});
        assert_eq!(row(Kind::Node, &n, false, NOW), vec!["node-2", "Ready,SchedulingDisabled", "<none>", "<unknown>", "v1.34.0"]);
    }
}

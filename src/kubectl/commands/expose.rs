//! `kubectl expose TYPE NAME`: a Service for a pod, Deployment, ReplicaSet or Service, its
//! selector, ports and labels read from that object unless given (upstream's expose.go and the
//! polymorphic helpers it calls). A StatefulSet cannot be exposed: it is governed by the headless
//! Service its manifest names, which is the lesson when a student tries.

use serde_json::{json, Map, Value};

use super::{parse_flags, targets, DRY_RUN, OUTPUT, TEMPLATE};
use crate::engine::Kind;
use crate::kubectl::flags::{flag, FlagSpec, FlagType::*};
use crate::kubectl::printers::{arr, protocol, st};
use crate::kubectl::session::{Interpreter, Output};

pub fn expose(it: &mut Interpreter, args: &[String], out: &mut Output) {
    let specs: [FlagSpec; 17] = [
        OUTPUT,
        TEMPLATE,
        DRY_RUN,
        flag("port", None, Str),
        flag("protocol", None, Str),
        flag("target-port", None, Str),
        flag("name", None, Str),
        flag("type", None, Str),
        flag("cluster-ip", None, Str),
        flag("selector", None, Str),
        flag("labels", Some('l'), Str),
        flag("external-ip", None, Str),
        flag("load-balancer-ip", None, Str),
        flag("session-affinity", None, Str),
        flag("save-config", None, Bool),
        flag("field-manager", None, Str),
        flag("validate", None, Str),
    ];
    let Some(f) = parse_flags(args, &specs, "kubectl expose", out) else { return };
    if f.args.is_empty() {
        return out.fail("error: You must provide one or more resources by argument or filename.\nExample resource specifications include:\n   '-f rsrc.yaml'\n   '--filename=rsrc.json'\n   '<resource> <name>'\n   '<resource>'");
    }
    let ts = match targets(&f.args) {
        Ok(t) => t,
        Err(e) => return out.fail(&e),
    };
    let ns = super::ns_of(it, &f);
    for t in ts {
        let obj = match it.engine.get(t.kind, &ns, &t.name) {
            Ok(o) => o,
            Err(e) => return out.fail(&e.to_string()),
        };
        if !matches!(t.kind, Kind::Pod | Kind::Service | Kind::Deployment | Kind::ReplicaSet) {
            // GroupKind's String(): `StatefulSet.apps`.
            let gk = match t.kind.group() {
                "" => t.kind.name().to_string(),
                group => format!("{}.{group}", t.kind.name()),
            };
            return out.fail(&format!("error: cannot expose a {gk}"));
        }
        let service = match service_for(t.kind, &obj, &f) {
            Ok(s) => s,
            Err(e) => return out.fail(&format!("error: {e}")),
        };
        super::generate::send(it, &f, Kind::Service, service, "exposed", |r| r.printed, out);
    }
}

/// `createService`, with what `RunExpose` reads from the exposed object first.
fn service_for(kind: Kind, obj: &Value, f: &crate::kubectl::flags::Flags) -> Result<Value, String> {
    let selector = match f.string("selector").filter(|s| !s.is_empty()) {
        Some(s) => parse_labels(s)?,
        None => selector_of(kind, obj).map_err(|e| format!("couldn't retrieve selectors via --selector flag or introspection: {e}"))?,
    };
    let headless = f.string("cluster-ip") == Some("None");
    // Ports and their protocols as the object declares them (PortsForObject,
    // MultiProtocolsForObject), unless --port says.
    let declared = ports_of(kind, obj);
    let ports: Vec<String> = match f.string("port").filter(|p| !p.is_empty()) {
        Some(p) => vec![p.to_string()],
        None if declared.is_empty() && !headless => return Err("couldn't find port via --port flag or introspection".into()),
        None => declared.iter().map(|(port, _)| port.to_string()).collect(),
    };
    let mut service_ports = Vec::new();
    for (i, p) in ports.iter().enumerate() {
        let port: i64 = p.parse().map_err(|_| format!("strconv.Atoi: parsing {}: invalid syntax", crate::kubectl::flags::go_quote(p)))?;
        let protocol = match f.string("protocol").filter(|p| !p.is_empty()) {
            Some(given) => given.to_string(),
            None => declared.iter().find(|(dp, _)| dp.to_string() == *p).map(|(_, proto)| proto.clone()).unwrap_or_else(|| "TCP".into()),
        };
        let mut sp = Map::new();
        if ports.len() > 1 {
            sp.insert("name".into(), json!(format!("port-{}", i + 1)));
        }
        sp.insert("port".into(), json!(port));
        sp.insert("protocol".into(), json!(protocol));
        let target = match f.string("target-port").filter(|t| !t.is_empty()) {
            // intstr.Parse: a number if it reads as one, else a port name.
            Some(t) => t.parse::<i64>().map(Value::from).unwrap_or_else(|_| json!(t)),
            None => json!(port),
        };
        sp.insert("targetPort".into(), target);
        service_ports.push(Value::Object(sp));
    }
    let labels = match f.string("labels").filter(|l| !l.is_empty()) {
        Some(l) => Some(parse_labels(l)?),
        None => obj.pointer("/metadata/labels").filter(|l| l.as_object().is_some_and(|m| !m.is_empty())).cloned(),
    };
    let name = match f.string("name").filter(|n| !n.is_empty()) {
        Some(n) => n.to_string(),
        // Truncated to a DNS-1035 label's 63 characters.
        None => st(obj, "/metadata/name").chars().take(63).collect(),
    };
    let mut metadata = Map::new();
    if let Some(labels) = labels {
        metadata.insert("labels".into(), labels);
    }
    metadata.insert("name".into(), json!(name));
    let mut spec = Map::new();
    if !service_ports.is_empty() {
        spec.insert("ports".into(), Value::Array(service_ports));
    }
    spec.insert("selector".into(), selector);
    if let Some(ip) = f.string("external-ip").filter(|s| !s.is_empty()) {
        spec.insert("externalIPs".into(), json!([ip]));
    }
    let ty = f.string("type").filter(|s| !s.is_empty());
    if let Some(ty) = ty {
        spec.insert("type".into(), json!(ty));
    }
    if let (Some("LoadBalancer"), Some(ip)) = (ty, f.string("load-balancer-ip").filter(|s| !s.is_empty())) {
        spec.insert("loadBalancerIP".into(), json!(ip));
    }
    match f.string("session-affinity").filter(|s| !s.is_empty()) {
        Some(a @ ("None" | "ClientIP")) => {
            spec.insert("sessionAffinity".into(), json!(a));
        }
        Some(other) => return Err(format!("unknown session affinity: {other}")),
        None => {}
    }
    if let Some(ip) = f.string("cluster-ip").filter(|s| !s.is_empty()) {
        spec.insert("clusterIP".into(), json!(ip));
    }
    Ok(json!({"apiVersion": "v1", "kind": "Service", "metadata": metadata, "spec": spec, "status": {"loadBalancer": {}}}))
}

/// `MapBasedSelectorForObject`: a pod's labels, a Service's selector, a workload's matchLabels.
fn selector_of(kind: Kind, obj: &Value) -> Result<Value, String> {
    let non_empty = |v: Option<&Value>| v.filter(|m| m.as_object().is_some_and(|m| !m.is_empty())).cloned();
    match kind {
        Kind::Pod => non_empty(obj.pointer("/metadata/labels")).ok_or_else(|| "the pod has no labels and cannot be exposed".into()),
        Kind::Service => obj.pointer("/spec/selector").filter(|s| s.is_object()).cloned().ok_or_else(|| "the service has no pod selector set".into()),
        _ => {
            if !arr(obj, "/spec/selector/matchExpressions").is_empty() {
                return Err("couldn't convert expressions to map-based selector format".into());
            }
            let what = if kind == Kind::Deployment { "deployment" } else { "replica set" };
            non_empty(obj.pointer("/spec/selector/matchLabels")).ok_or_else(|| format!("the {what} has no labels or selectors and cannot be exposed"))
        }
    }
}

/// Each container port as (number, protocol), or a Service's ports.
fn ports_of(kind: Kind, obj: &Value) -> Vec<(i64, String)> {
    let containers = match kind {
        Kind::Service => return arr(obj, "/spec/ports").iter().map(|p| (p.get("port").and_then(Value::as_i64).unwrap_or(0), protocol(p).to_string())).collect(),
        Kind::Pod => arr(obj, "/spec/containers"),
        _ => arr(obj, "/spec/template/spec/containers"),
    };
    containers.iter().flat_map(|c| arr(c, "/ports")).map(|p| (p.get("containerPort").and_then(Value::as_i64).unwrap_or(0), protocol(p).to_string())).collect()
}

/// expose's `parseLabels`: `k=v` pairs separated by commas.
fn parse_labels(spec: &str) -> Result<Value, String> {
    let mut labels = Map::new();
    for pair in spec.split(',') {
        let parts: Vec<&str> = pair.split('=').collect();
        match parts.as_slice() {
            [k, v] if !k.is_empty() => {
                labels.insert(k.to_string(), json!(v));
            }
            [_, _] => return Err("unexpected empty label key".into()),
            _ => return Err(format!("unexpected label spec: {pair}")),
        }
    }
    Ok(Value::Object(labels))
}

//! Validation as the API server runs it after defaulting (spec §2): StatefulSet (§2.2) and its
//! update rules (§2.3), Service (§2.5), claims (§2.6), volumes, storage classes, Deployments,
//! and the pod checks that decide whether a StatefulSet's pods can be created at all.

use super::field::*;
use super::quantity;
use serde_json::{json, Value};

fn at<'a>(v: &'a Value, path: &[&str]) -> Option<&'a Value> {
    let mut cur = v;
    for p in path {
        cur = cur.get(*p)?;
    }
    (!cur.is_null()).then_some(cur)
}

fn s<'a>(v: &'a Value, path: &[&str]) -> &'a str {
    at(v, path).and_then(Value::as_str).unwrap_or("")
}

fn arr<'a>(v: &'a Value, path: &[&str]) -> &'a [Value] {
    at(v, path)
        .and_then(Value::as_array)
        .map(Vec::as_slice)
        .unwrap_or(&[])
}

/// Which name rule a kind's `metadata.name` follows.
#[derive(Clone, Copy)]
pub enum NameRule {
    Dns1123Label,
    Dns1123Subdomain,
    Dns1035Label,
}

pub fn object_meta(obj: &Value, rule: NameRule, namespaced: bool, errs: &mut Vec<FieldError>) {
    let name = s(obj, &["metadata", "name"]);
    let generate = s(obj, &["metadata", "generateName"]);
    if name.is_empty() {
        if generate.is_empty() {
            errs.push(required("metadata.name", "name or generateName is required").at("metadata"));
        }
    } else {
        let msgs = match rule {
            NameRule::Dns1123Label => dns1123_label(name),
            NameRule::Dns1123Subdomain => dns1123_subdomain(name),
            NameRule::Dns1035Label => dns1035_label(name),
        };
        for m in msgs {
            errs.push(invalid_str("metadata.name", name, &m));
        }
    }
    let ns = s(obj, &["metadata", "namespace"]);
    if namespaced && !ns.is_empty() {
        for m in dns1123_label(ns) {
            errs.push(invalid_str("metadata.namespace", ns, &m));
        }
    }
    labels_and_annotations(obj, errs);
}

/// The part of ObjectMeta validation every kind gets, even one the simulator does not check
/// otherwise (a pod relabelled by `kubectl label`, say): label keys and values, annotation keys.
pub fn labels_and_annotations(obj: &Value, errs: &mut Vec<FieldError>) {
    if let Some(labels) = at(obj, &["metadata", "labels"]) {
        validate_labels(labels, "metadata.labels", errs);
    }
    if let Some(ann) = at(obj, &["metadata", "annotations"]).and_then(Value::as_object) {
        for k in ann.keys() {
            for m in qualified_name(k) {
                errs.push(
                    invalid_str("metadata.annotations", k, &m)
                        .at(&format!("metadata.annotations.{k}"))
                        .on_key(),
                );
            }
        }
    }
}

/// Does a label selector (apps/v1 form) select these labels? A missing selector selects nothing.
pub fn selector_matches(selector: Option<&Value>, labels: &Value) -> bool {
    let Some(sel) = selector else { return false };
    let label = |k: &str| labels.get(k).and_then(Value::as_str);
    if let Some(ml) = sel.get("matchLabels").and_then(Value::as_object) {
        for (k, v) in ml {
            if label(k) != v.as_str() {
                return false;
            }
        }
    }
    for e in sel
        .get("matchExpressions")
        .and_then(Value::as_array)
        .map(Vec::as_slice)
        .unwrap_or(&[])
    {
        let key = e.get("key").and_then(Value::as_str).unwrap_or("");
        let values: Vec<&str> = e
            .get("values")
            .and_then(Value::as_array)
            .map(|a| a.iter().filter_map(Value::as_str).collect())
            .unwrap_or_default();
        let ok = match e.get("operator").and_then(Value::as_str).unwrap_or("") {
            "In" => label(key).is_some_and(|v| values.contains(&v)),
            "NotIn" => !label(key).is_some_and(|v| values.contains(&v)),
            "Exists" => label(key).is_some(),
            "DoesNotExist" => label(key).is_none(),
            _ => false,
        };
        if !ok {
            return false;
        }
    }
    true
}

fn selector_is_empty(sel: &Value) -> bool {
    sel.get("matchLabels")
        .and_then(Value::as_object)
        .is_none_or(|m| m.is_empty())
        && sel
            .get("matchExpressions")
            .and_then(Value::as_array)
            .is_none_or(|a| a.is_empty())
}

fn label_selector(sel: &Value, field: &str, errs: &mut Vec<FieldError>) {
    if let Some(ml) = sel.get("matchLabels") {
        validate_labels(ml, &format!("{field}.matchLabels"), errs);
    }
    for (i, e) in sel
        .get("matchExpressions")
        .and_then(Value::as_array)
        .map(Vec::as_slice)
        .unwrap_or(&[])
        .iter()
        .enumerate()
    {
        let p = format!("{field}.matchExpressions[{i}]");
        let op = e.get("operator").and_then(Value::as_str).unwrap_or("");
        let has_values = e
            .get("values")
            .and_then(Value::as_array)
            .is_some_and(|a| !a.is_empty());
        match op {
            "In" | "NotIn" if !has_values => errs.push(
                required(
                    &format!("{p}.values"),
                    "must be specified when `operator` is 'In' or 'NotIn'",
                )
                .at(&p),
            ),
            "Exists" | "DoesNotExist" if has_values => errs.push(forbidden(
                &format!("{p}.values"),
                "may not be specified when `operator` is 'Exists' or 'DoesNotExist'",
            )),
            "In" | "NotIn" | "Exists" | "DoesNotExist" => {}
            other => errs.push(invalid_str(
                &format!("{p}.operator"),
                other,
                "not a valid selector operator",
            )),
        }
        let key = e.get("key").and_then(Value::as_str).unwrap_or("");
        for m in qualified_name(key) {
            errs.push(invalid_str(&format!("{p}.key"), key, &m));
        }
    }
}

/// The node `<base>.<key>` when it is in the manifest, else `base` (to underline its parent).
fn node_or(parent: &Value, key: &str, base: &str) -> String {
    if at(parent, &[key]).is_some() {
        format!("{base}.{key}")
    } else {
        base.to_string()
    }
}

fn int(v: &Value, path: &[&str]) -> Option<i64> {
    at(v, path).and_then(Value::as_i64)
}

/// §2.2: a StatefulSet on create (and, with `name_checked == false`, on update).
pub fn statefulset(obj: &Value, name_checked: bool) -> Vec<FieldError> {
    let mut errs = Vec::new();
    if name_checked {
        object_meta(obj, NameRule::Dns1123Label, true, &mut errs);
    } else {
        let mut meta_errs = Vec::new();
        object_meta(obj, NameRule::Dns1123Label, true, &mut meta_errs);
        errs.extend(meta_errs.into_iter().filter(|e| e.field != "metadata.name"));
    }
    let spec = obj.get("spec").unwrap_or(&Value::Null);

    match s(spec, &["podManagementPolicy"]) {
        "OrderedReady" | "Parallel" => {}
        "" => errs.push(required("spec.podManagementPolicy", "")),
        other => errs.push(invalid_str(
            "spec.podManagementPolicy",
            other,
            "must be 'OrderedReady' or 'Parallel'",
        )),
    }
    let strategy = at(spec, &["updateStrategy"])
        .cloned()
        .unwrap_or(Value::Null);
    let rolling = at(&strategy, &["rollingUpdate"]);
    match s(&strategy, &["type"]) {
        "RollingUpdate" => {
            if let Some(ru) = rolling {
                rolling_update(ru, &mut errs);
            }
        }
        "OnDelete" => {
            if let Some(ru) = rolling {
                errs.push(invalid_shown(
                    "spec.updateStrategy.rollingUpdate",
                    &internal_rolling_update(ru),
                    "only allowed for updateStrategy 'RollingUpdate'",
                ));
            }
        }
        "" => errs.push(required("spec.updateStrategy", "")),
        _ => errs.push(
            invalid_shown(
                "spec.updateStrategy",
                &internal_strategy(&strategy),
                "must be 'RollingUpdate' or 'OnDelete'",
            )
            .at("spec.updateStrategy.type"),
        ),
    }
    for which in ["whenDeleted", "whenScaled"] {
        let v = s(spec, &["persistentVolumeClaimRetentionPolicy", which]);
        if !v.is_empty() && v != "Retain" && v != "Delete" {
            errs.push(not_supported(
                &format!("spec.persistentVolumeClaimRetentionPolicy.{which}"),
                v,
                &["Retain", "Delete"],
            ));
        }
    }
    for (field, path) in [
        ("spec.replicas", &["replicas"][..]),
        ("spec.minReadySeconds", &["minReadySeconds"][..]),
        ("spec.ordinals.start", &["ordinals", "start"][..]),
    ] {
        if let Some(e) = int(spec, path).and_then(|v| non_negative(field, v)) {
            errs.push(e);
        }
    }
    let labels = selector_against_template(spec, "statefulset", &mut errs);
    // The template's labels are checked under a path without `metadata` (an upstream quirk).
    let mut label_errs = Vec::new();
    validate_labels(&labels, "spec.template.metadata.labels", &mut label_errs);
    for mut e in label_errs {
        e.field = "spec.template.labels".into();
        errs.push(e);
    }
    match s(spec, &["template", "spec", "restartPolicy"]) {
        "Always" | "" => {}
        other => errs.push(not_supported(
            "spec.template.spec.restartPolicy",
            other,
            &["Always"],
        )),
    }
    if at(spec, &["template", "spec", "activeDeadlineSeconds"]).is_some() {
        errs.push(forbidden(
            "spec.template.spec.activeDeadlineSeconds",
            "activeDeadlineSeconds in StatefulSet is not Supported",
        ));
    }
    let service = s(spec, &["serviceName"]);
    if !service.is_empty() {
        for m in dns1123_label(service) {
            errs.push(invalid_str("spec.serviceName", service, &m));
        }
    }
    errs
}

/// The rules a workload's selector shares between StatefulSet and Deployment: required,
/// non-empty, and matching the template's labels. Returns the template labels it read.
fn selector_against_template(spec: &Value, workload: &str, errs: &mut Vec<FieldError>) -> Value {
    let selector = at(spec, &["selector"]);
    match selector {
        None => errs.push(required("spec.selector", "").at("spec")),
        Some(sel) => {
            label_selector(sel, "spec.selector", errs);
            if selector_is_empty(sel) {
                errs.push(invalid_shown(
                    "spec.selector",
                    &internal_selector(sel),
                    &format!("empty selector is invalid for {workload}"),
                ));
            }
        }
    }
    let labels = at(spec, &["template", "metadata", "labels"])
        .cloned()
        .unwrap_or(Value::Null);
    if selector.is_none_or(|sel| !selector_is_empty(sel)) && !selector_matches(selector, &labels) {
        errs.push(
            invalid(
                "spec.template.metadata.labels",
                &labels,
                "`selector` does not match template `labels`",
            )
            .at(if labels.is_null() {
                "spec.template"
            } else {
                "spec.template.metadata.labels"
            }),
        );
    }
    labels
}

/// Internal (Go field name) form of a selector, as validation shows it in ≥1.34.
fn internal_selector(sel: &Value) -> String {
    let ml = sel.get("matchLabels").unwrap_or(&Value::Null);
    let me = match sel.get("matchExpressions").and_then(Value::as_array) {
        None => "null".to_string(),
        Some(items) => {
            let shown: Vec<String> = items
                .iter()
                .map(|e| {
                    go_struct(&[
                        ("Key", show(e.get("key").unwrap_or(&json!("")))),
                        ("Operator", show(e.get("operator").unwrap_or(&json!("")))),
                        ("Values", show(e.get("values").unwrap_or(&Value::Null))),
                    ])
                })
                .collect();
            format!("[{}]", shown.join(","))
        }
    };
    go_struct(&[("MatchLabels", show(ml)), ("MatchExpressions", me)])
}

fn internal_rolling_update(ru: &Value) -> String {
    let partition = ru
        .get("partition")
        .cloned()
        .filter(|v| !v.is_null())
        .unwrap_or(json!(0));
    let max = ru.get("maxUnavailable").unwrap_or(&Value::Null);
    go_struct(&[
        ("Partition", show(&partition)),
        ("MaxUnavailable", show(max)),
    ])
}

fn internal_strategy(st: &Value) -> String {
    let ru = st
        .get("rollingUpdate")
        .filter(|v| !v.is_null())
        .map(internal_rolling_update)
        .unwrap_or_else(|| "null".into());
    go_struct(&[
        ("Type", show(st.get("type").unwrap_or(&json!("")))),
        ("RollingUpdate", ru),
    ])
}

fn rolling_update(ru: &Value, errs: &mut Vec<FieldError>) {
    if let Some(e) = int(ru, &["partition"])
        .and_then(|v| non_negative("spec.updateStrategy.rollingUpdate.partition", v))
    {
        errs.push(e);
    }
    let field = "spec.updateStrategy.rollingUpdate.maxUnavailable";
    match ru.get("maxUnavailable") {
        Some(Value::Number(n)) => {
            let v = n.as_i64().unwrap_or(0);
            if v < 0 {
                errs.push(invalid(field, &json!(v), "must be greater than or equal to 0"));
            } else if v == 0 {
                errs.push(invalid(field, &json!(0), "cannot be 0"));
            }
        }
        Some(Value::String(p)) => match percent(p) {
            None => errs.push(invalid_str(field, p, "a valid percent string must be a numeric string followed by an ending '%' (e.g. '1%',  or '93%', regex used for validation is '[0-9]+%')")),
            Some(0) => errs.push(invalid_str(field, p, "cannot be 0")),
            Some(n) if n > 100 => errs.push(invalid_str(field, p, "must not be greater than 100%")),
            Some(_) => {}
        },
        _ => {}
    }
}

fn percent(s: &str) -> Option<u64> {
    let digits = s.strip_suffix('%')?;
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    digits.parse().ok()
}

/// §2.3: the fields of a StatefulSet spec that may change on update (recent releases).
const STS_MUTABLE: [&str; 7] = [
    "replicas",
    "ordinals",
    "template",
    "updateStrategy",
    "revisionHistoryLimit",
    "persistentVolumeClaimRetentionPolicy",
    "minReadySeconds",
];

/// The same words the engine's API server uses (one source, so both agree).
pub const STS_FORBIDDEN: &str = crate::engine::STS_UPDATE_FORBIDDEN;

pub fn statefulset_update(new: &Value, old: &Value) -> Vec<FieldError> {
    let mut errs = statefulset(new, false);
    let strip = |v: &Value| {
        let mut spec = v.get("spec").cloned().unwrap_or(Value::Null);
        if let Some(m) = spec.as_object_mut() {
            for f in STS_MUTABLE {
                m.remove(f);
            }
            m.retain(|_, v| !v.is_null());
        }
        spec
    };
    if strip(new) != strip(old) {
        let mut e = forbidden("spec", STS_FORBIDDEN);
        e.node = first_changed(new, old).unwrap_or_else(|| "spec".into());
        errs.push(e);
    }
    errs
}

fn first_changed(new: &Value, old: &Value) -> Option<String> {
    for f in [
        "selector",
        "serviceName",
        "volumeClaimTemplates",
        "podManagementPolicy",
    ] {
        if new.get("spec").and_then(|s| s.get(f)) != old.get("spec").and_then(|s| s.get(f)) {
            return Some(format!("spec.{f}"));
        }
    }
    None
}

/// §2.5: a Service.
pub fn service(obj: &Value, old: Option<&Value>) -> Vec<FieldError> {
    let mut errs = Vec::new();
    if old.is_none() {
        object_meta(obj, NameRule::Dns1035Label, true, &mut errs);
    }
    let spec = obj.get("spec").unwrap_or(&Value::Null);
    let ty = s(spec, &["type"]);
    let cluster_ip = s(spec, &["clusterIP"]);
    let headless = cluster_ip == "None";
    match ty {
        "ClusterIP" | "NodePort" | "LoadBalancer" | "ExternalName" | "" => {}
        other => errs.push(not_supported(
            "spec.type",
            other,
            &["ClusterIP", "ExternalName", "LoadBalancer", "NodePort"],
        )),
    }
    if headless && (ty == "NodePort" || ty == "LoadBalancer") {
        errs.push(
            invalid_str(
                "spec.clusterIPs[0]",
                "None",
                &format!("may not be set to 'None' for {ty} services"),
            )
            .at("spec.clusterIP"),
        );
    }
    if ty == "ExternalName" && s(spec, &["externalName"]).is_empty() {
        errs.push(required("spec.externalName", "").at("spec"));
    }
    if !cluster_ip.is_empty() && !headless && !is_ip(cluster_ip) {
        errs.push(
            invalid_str(
                "spec.clusterIPs[0]",
                cluster_ip,
                "must be a valid IP address (e.g. 10.9.8.7 or 2001:db8::ffff)",
            )
            .at("spec.clusterIP"),
        );
    }
    let ports = arr(spec, &["ports"]);
    if ports.is_empty() && !headless && ty != "ExternalName" {
        errs.push(
            required("spec.ports", "").at(if at(spec, &["ports"]).is_some() {
                "spec.ports"
            } else {
                "spec"
            }),
        );
    }
    let mut names: Vec<&str> = Vec::new();
    let mut seen: Vec<(String, i64)> = Vec::new();
    for (i, p) in ports.iter().enumerate() {
        let path = format!("spec.ports[{i}]");
        let name = s(p, &["name"]);
        if ports.len() > 1 && name.is_empty() {
            errs.push(required(&format!("{path}.name"), "").at(&path));
        }
        if !name.is_empty() {
            for m in dns1123_label(name) {
                errs.push(invalid_str(&format!("{path}.name"), name, &m));
            }
            if names.contains(&name) {
                errs.push(duplicate(&format!("{path}.name"), &json!(name)));
            }
            names.push(name);
        }
        let port = int(p, &["port"]).unwrap_or(0);
        if !(1..=65535).contains(&port) {
            errs.push(
                invalid(
                    &format!("{path}.port"),
                    &json!(port),
                    "must be between 1 and 65535, inclusive",
                )
                .at(&node_or(p, "port", &path)),
            );
        }
        let protocol = s(p, &["protocol"]);
        if !matches!(protocol, "TCP" | "UDP" | "SCTP" | "") {
            errs.push(not_supported(
                &format!("{path}.protocol"),
                protocol,
                &["SCTP", "TCP", "UDP"],
            ));
        }
        match p.get("targetPort") {
            Some(Value::Number(n)) => {
                let t = n.as_i64().unwrap_or(0);
                if !(1..=65535).contains(&t) {
                    errs.push(invalid(
                        &format!("{path}.targetPort"),
                        &json!(t),
                        "must be between 1 and 65535, inclusive",
                    ));
                }
            }
            Some(Value::String(t)) => {
                for m in port_name(t) {
                    errs.push(invalid_str(&format!("{path}.targetPort"), t, &m));
                }
            }
            _ => {}
        }
        if p.get("nodePort")
            .and_then(Value::as_i64)
            .is_some_and(|n| n != 0)
            && (ty == "ClusterIP" || ty.is_empty())
        {
            errs.push(forbidden(
                &format!("{path}.nodePort"),
                "may not be used when `type` is 'ClusterIP'",
            ));
        }
        let key = (
            if protocol.is_empty() {
                "TCP".to_string()
            } else {
                protocol.to_string()
            },
            port,
        );
        if seen.contains(&key) {
            let shown = go_struct(&[
                ("Name", quoted("")),
                ("Protocol", quoted(&key.0)),
                ("AppProtocol", "null".into()),
                ("Port", port.to_string()),
                ("TargetPort", "0".into()),
                ("NodePort", "0".into()),
            ]);
            errs.push(duplicate_shown(&path, &shown));
        }
        seen.push(key);
    }
    if let Some(sel) = at(spec, &["selector"]) {
        validate_labels(sel, "spec.selector", &mut errs);
    }
    match s(spec, &["sessionAffinity"]) {
        "" | "None" | "ClientIP" => {}
        other => errs.push(not_supported(
            "spec.sessionAffinity",
            other,
            &["ClientIP", "None"],
        )),
    }
    if let Some(old) = old {
        let before = s(old, &["spec", "clusterIP"]);
        if !before.is_empty() && !cluster_ip.is_empty() && before != cluster_ip {
            errs.push(
                invalid_str("spec.clusterIPs[0]", cluster_ip, "may not change once set")
                    .at("spec.clusterIP"),
            );
        }
    }
    errs
}

fn is_ip(s: &str) -> bool {
    s.parse::<std::net::IpAddr>().is_ok()
}

const ACCESS_MODES: [&str; 4] = [
    "ReadOnlyMany",
    "ReadWriteMany",
    "ReadWriteOnce",
    "ReadWriteOncePod",
];

/// §2.6: a claim's spec (a PVC, or a StatefulSet's claim template at `base`).
pub fn claim_spec(spec: &Value, base: &str, errs: &mut Vec<FieldError>) {
    let modes = arr(spec, &["accessModes"]);
    if modes.is_empty() {
        errs.push(
            required(
                &format!("{base}.accessModes"),
                "at least 1 access mode is required",
            )
            .at(base),
        );
    }
    for (i, m) in modes.iter().enumerate() {
        let m = m.as_str().unwrap_or("");
        if !ACCESS_MODES.contains(&m) {
            errs.push(
                not_supported(&format!("{base}.accessModes"), m, &ACCESS_MODES)
                    .at(&format!("{base}.accessModes[{i}]")),
            );
        }
    }
    if modes.len() > 1 && modes.iter().any(|m| m.as_str() == Some("ReadWriteOncePod")) {
        errs.push(forbidden(
            &format!("{base}.accessModes"),
            "may not use ReadWriteOncePod with other access modes",
        ));
    }
    let requests = format!("{base}.resources.requests");
    match at(spec, &["resources", "requests", "storage"]) {
        None => errs.push(required(&format!("{base}.resources[storage]"), "").at(&requests)),
        Some(q) => storage_quantity(
            q,
            &format!("{base}.resources[storage]"),
            &format!("{requests}.storage"),
            errs,
        ),
    }
    match s(spec, &["volumeMode"]) {
        "" | "Filesystem" | "Block" => {}
        other => errs.push(not_supported(
            &format!("{base}.volumeMode"),
            other,
            &["Block", "Filesystem"],
        )),
    }
}

fn quantity_text(q: &Value) -> String {
    match q {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

fn storage_quantity(q: &Value, field: &str, node: &str, errs: &mut Vec<FieldError>) {
    let text = quantity_text(q);
    if let Ok(parsed) = quantity::parse(text.trim()) {
        if parsed.value < 0.0 {
            errs.push(invalid_str(field, &text, "must be greater than or equal to 0").at(node));
        } else if parsed.value == 0.0 {
            errs.push(invalid_str(field, &text, "must be greater than zero").at(node));
        }
    }
}

pub fn pvc(obj: &Value) -> Vec<FieldError> {
    let mut errs = Vec::new();
    object_meta(obj, NameRule::Dns1123Subdomain, true, &mut errs);
    claim_spec(obj.get("spec").unwrap_or(&Value::Null), "spec", &mut errs);
    errs
}

const VOLUME_SOURCES: [&str; 20] = [
    "hostPath",
    "nfs",
    "local",
    "csi",
    "iscsi",
    "fc",
    "rbd",
    "cephfs",
    "glusterfs",
    "awsElasticBlockStore",
    "gcePersistentDisk",
    "azureDisk",
    "azureFile",
    "cinder",
    "flexVolume",
    "flocker",
    "vsphereVolume",
    "quobyte",
    "portworxVolume",
    "scaleIO",
];

pub fn pv(obj: &Value) -> Vec<FieldError> {
    let mut errs = Vec::new();
    object_meta(obj, NameRule::Dns1123Subdomain, false, &mut errs);
    let spec = obj.get("spec").unwrap_or(&Value::Null);
    if arr(spec, &["accessModes"]).is_empty() {
        errs.push(required("spec.accessModes", "").at("spec"));
    }
    for (i, m) in arr(spec, &["accessModes"]).iter().enumerate() {
        let m = m.as_str().unwrap_or("");
        if !ACCESS_MODES.contains(&m) {
            errs.push(
                not_supported("spec.accessModes", m, &ACCESS_MODES)
                    .at(&format!("spec.accessModes[{i}]")),
            );
        }
    }
    match at(spec, &["capacity"]) {
        None => errs.push(required("spec.capacity", "").at("spec")),
        Some(cap) => match cap.get("storage") {
            None => errs.push(required("spec.capacity", "").at("spec.capacity")),
            Some(q) => storage_quantity(
                q,
                "spec.capacity[storage]",
                "spec.capacity.storage",
                &mut errs,
            ),
        },
    }
    if !VOLUME_SOURCES.iter().any(|k| at(spec, &[k]).is_some()) {
        errs.push(required("spec", "must specify a volume type").at("spec"));
    }
    match s(spec, &["persistentVolumeReclaimPolicy"]) {
        "" | "Delete" | "Recycle" | "Retain" => {}
        other => errs.push(not_supported(
            "spec.persistentVolumeReclaimPolicy",
            other,
            &["Delete", "Recycle", "Retain"],
        )),
    }
    errs
}

pub fn storage_class(obj: &Value) -> Vec<FieldError> {
    let mut errs = Vec::new();
    object_meta(obj, NameRule::Dns1123Subdomain, false, &mut errs);
    let provisioner = s(obj, &["provisioner"]);
    if provisioner.is_empty() {
        errs.push(required("provisioner", "").at(""));
    }
    match s(obj, &["reclaimPolicy"]) {
        "" | "Delete" | "Retain" => {}
        other => errs.push(not_supported("reclaimPolicy", other, &["Delete", "Retain"])),
    }
    match s(obj, &["volumeBindingMode"]) {
        "" | "Immediate" | "WaitForFirstConsumer" => {}
        other => errs.push(not_supported(
            "volumeBindingMode",
            other,
            &["Immediate", "WaitForFirstConsumer"],
        )),
    }
    errs
}

pub fn deployment(obj: &Value, old: Option<&Value>) -> Vec<FieldError> {
    let mut errs = Vec::new();
    if old.is_none() {
        object_meta(obj, NameRule::Dns1123Subdomain, true, &mut errs);
    }
    let spec = obj.get("spec").unwrap_or(&Value::Null);
    if let Some(e) = int(spec, &["replicas"]).and_then(|v| non_negative("spec.replicas", v)) {
        errs.push(e);
    }
    selector_against_template(spec, "deployment", &mut errs);
    let selector = at(spec, &["selector"]);
    match s(spec, &["strategy", "type"]) {
        "" | "RollingUpdate" | "Recreate" => {}
        other => errs.push(not_supported(
            "spec.strategy.type",
            other,
            &["Recreate", "RollingUpdate"],
        )),
    }
    match s(spec, &["template", "spec", "restartPolicy"]) {
        "Always" | "" => {}
        other => errs.push(not_supported(
            "spec.template.spec.restartPolicy",
            other,
            &["Always"],
        )),
    }
    if let Some(old) = old {
        if at(old, &["spec", "selector"]) != selector {
            errs.push(invalid_shown(
                "spec.selector",
                &internal_selector(selector.unwrap_or(&Value::Null)),
                "field is immutable",
            ));
        }
    }
    let pod_spec = at(spec, &["template", "spec"])
        .cloned()
        .unwrap_or(Value::Null);
    errs.extend(pod(&pod_spec, "spec.template.spec", &[]));
    errs
}

pub fn config_map(obj: &Value) -> Vec<FieldError> {
    let mut errs = Vec::new();
    object_meta(obj, NameRule::Dns1123Subdomain, true, &mut errs);
    for section in ["data", "binaryData"] {
        for k in at(obj, &[section])
            .and_then(Value::as_object)
            .map(|m| m.keys().cloned().collect::<Vec<_>>())
            .unwrap_or_default()
        {
            let ok = !k.is_empty()
                && k.len() <= 253
                && k.bytes()
                    .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.'));
            if !ok {
                errs.push(
                    invalid_str(&format!("{section}[{k}]"), &k, "a valid config key must consist of alphanumeric characters, '-', '_' or '.' (e.g. 'key.name',  or 'KEY_NAME',  or 'key-name', regex used for validation is '[-._a-zA-Z0-9]+')")
                        .at(&format!("{section}.{k}"))
                        .on_key(),
                );
            }
        }
    }
    errs
}

pub fn pod_disruption_budget(obj: &Value) -> Vec<FieldError> {
    let mut errs = Vec::new();
    object_meta(obj, NameRule::Dns1123Subdomain, true, &mut errs);
    let spec = obj.get("spec").unwrap_or(&Value::Null);
    if at(spec, &["minAvailable"]).is_some() && at(spec, &["maxUnavailable"]).is_some() {
        errs.push(
            invalid(
                "spec",
                spec,
                "minAvailable and maxUnavailable cannot be both set",
            )
            .at("spec.maxUnavailable"),
        );
    }
    for key in ["minAvailable", "maxUnavailable"] {
        if let Some(v) = spec.get(key) {
            budget_int_or_percent(&format!("spec.{key}"), v, &mut errs);
        }
    }
    if let Some(sel) = at(spec, &["selector"]) {
        label_selector(sel, "spec.selector", &mut errs);
    }
    errs
}

/// `ValidatePositiveIntOrPercent` and `IsNotMoreThan100Percent` on a budget's count: a budget
/// of "150%" or -1 is refused here, so the disruption arithmetic only sees sane values.
fn budget_int_or_percent(field: &str, v: &Value, errs: &mut Vec<FieldError>) {
    match v {
        Value::Null => {}
        Value::Number(n) => {
            if n.as_i64().is_none_or(|v| v < 0) && n.as_u64().is_none() {
                errs.push(invalid(field, v, "must be greater than or equal to 0"));
            }
        }
        Value::String(p) => match percent(p) {
            None => errs.push(invalid_str(field, p, "a valid percent string must be a numeric string followed by an ending '%' (e.g. '1%',  or '93%', regex used for validation is '[0-9]+%')")),
            Some(n) if n > 100 => errs.push(invalid_str(field, p, "must not be greater than 100%")),
            Some(_) => {}
        },
        _ => errs.push(invalid(field, v, "must be an integer or percentage (e.g '5%')")),
    }
}

/// Pod checks (core `ValidatePodSpec`, the parts students trip over). `base` is the manifest path
/// of the pod spec; `claim_templates` name the volumes a StatefulSet adds to each pod.
/// A kind admitted without a schema of its own. A new Pod (`kubectl run`, a Pod manifest) gets
/// ValidatePodCreate's name rule and spec checks, a Namespace its DNS-1123 label name (it
/// becomes part of DNS names); otherwise, and on updates (the simulator changes a pod's labels
/// and annotations only), the metadata checks every kind gets.
pub fn without_schema(kind: &str, obj: &Value, creating: bool) -> Vec<FieldError> {
    let mut errs = Vec::new();
    match kind {
        "Pod" if creating => {
            object_meta(obj, NameRule::Dns1123Subdomain, true, &mut errs);
            if let Some(spec) = at(obj, &["spec"]) {
                errs.extend(pod(spec, "spec", &[]));
            }
        }
        "Namespace" => object_meta(obj, NameRule::Dns1123Label, false, &mut errs),
        _ => labels_and_annotations(obj, &mut errs),
    }
    errs
}

pub fn pod(spec: &Value, base: &str, claim_templates: &[String]) -> Vec<FieldError> {
    let mut errs = Vec::new();
    let mut volumes: Vec<String> = claim_templates.to_vec();
    for (i, v) in arr(spec, &["volumes"]).iter().enumerate() {
        let path = format!("{base}.volumes[{i}]");
        let name = s(v, &["name"]);
        if name.is_empty() {
            errs.push(required(&format!("{path}.name"), "").at(&path));
            continue;
        }
        for m in dns1123_label(name) {
            errs.push(invalid_str(&format!("{path}.name"), name, &m));
        }
        if volumes.iter().any(|v| v == name) {
            errs.push(duplicate(&format!("{path}.name"), &json!(name)));
        }
        volumes.push(name.to_string());
    }
    if arr(spec, &["containers"]).is_empty() {
        errs.push(required(&format!("{base}.containers"), "").at(&node_or(
            spec,
            "containers",
            base,
        )));
    }
    let mut names: Vec<String> = Vec::new();
    for list in ["initContainers", "containers"] {
        for (i, c) in arr(spec, &[list]).iter().enumerate() {
            container(
                c,
                &format!("{base}.{list}[{i}]"),
                &volumes,
                &mut names,
                &mut errs,
            );
        }
    }
    match s(spec, &["restartPolicy"]) {
        "" | "Always" | "OnFailure" | "Never" => {}
        other => errs.push(not_supported(
            &format!("{base}.restartPolicy"),
            other,
            &["Always", "OnFailure", "Never"],
        )),
    }
    match s(spec, &["dnsPolicy"]) {
        "" | "ClusterFirst" | "ClusterFirstWithHostNet" | "Default" | "None" => {}
        other => errs.push(not_supported(
            &format!("{base}.dnsPolicy"),
            other,
            &["ClusterFirst", "ClusterFirstWithHostNet", "Default", "None"],
        )),
    }
    errs
}

fn container(
    c: &Value,
    path: &str,
    volumes: &[String],
    names: &mut Vec<String>,
    errs: &mut Vec<FieldError>,
) {
    let name = s(c, &["name"]);
    if name.is_empty() {
        errs.push(required(&format!("{path}.name"), "").at(path));
    } else {
        for m in dns1123_label(name) {
            errs.push(invalid_str(&format!("{path}.name"), name, &m));
        }
        if names.iter().any(|n| n == name) {
            errs.push(duplicate(&format!("{path}.name"), &json!(name)));
        }
        names.push(name.to_string());
    }
    if s(c, &["image"]).trim().is_empty() {
        errs.push(required(&format!("{path}.image"), "").at(&node_or(c, "image", path)));
    }
    match s(c, &["imagePullPolicy"]) {
        "" | "Always" | "IfNotPresent" | "Never" => {}
        other => errs.push(not_supported(
            &format!("{path}.imagePullPolicy"),
            other,
            &["Always", "IfNotPresent", "Never"],
        )),
    }
    let mut port_names: Vec<&str> = Vec::new();
    for (i, p) in arr(c, &["ports"]).iter().enumerate() {
        let pp = format!("{path}.ports[{i}]");
        let cp = int(p, &["containerPort"]).unwrap_or(0);
        if at(p, &["containerPort"]).is_none() {
            errs.push(required(&format!("{pp}.containerPort"), "").at(&pp));
        } else if !(1..=65535).contains(&cp) {
            errs.push(invalid(
                &format!("{pp}.containerPort"),
                &json!(cp),
                "must be between 1 and 65535, inclusive",
            ));
        }
        if let Some(hp) = int(p, &["hostPort"]) {
            if hp != 0 && !(1..=65535).contains(&hp) {
                errs.push(invalid(
                    &format!("{pp}.hostPort"),
                    &json!(hp),
                    "must be between 1 and 65535, inclusive",
                ));
            }
        }
        let pname = s(p, &["name"]);
        if !pname.is_empty() {
            for m in port_name(pname) {
                errs.push(invalid_str(&format!("{pp}.name"), pname, &m));
            }
            if port_names.contains(&pname) {
                errs.push(duplicate(&format!("{pp}.name"), &json!(pname)));
            }
            port_names.push(pname);
        }
        let protocol = s(p, &["protocol"]);
        if !matches!(protocol, "" | "TCP" | "UDP" | "SCTP") {
            errs.push(not_supported(
                &format!("{pp}.protocol"),
                protocol,
                &["SCTP", "TCP", "UDP"],
            ));
        }
    }
    let mut mount_paths: Vec<&str> = Vec::new();
    for (i, m) in arr(c, &["volumeMounts"]).iter().enumerate() {
        let mp = format!("{path}.volumeMounts[{i}]");
        let vname = s(m, &["name"]);
        if vname.is_empty() {
            errs.push(required(&format!("{mp}.name"), "").at(&mp));
        } else if !volumes.iter().any(|v| v == vname) {
            errs.push(not_found(&format!("{mp}.name"), &json!(vname)));
        }
        let mount_path = s(m, &["mountPath"]);
        if mount_path.is_empty() {
            errs.push(required(&format!("{mp}.mountPath"), "").at(&mp));
        } else if mount_paths.contains(&mount_path) {
            errs.push(invalid_str(
                &format!("{mp}.mountPath"),
                mount_path,
                "must be unique",
            ));
        } else {
            mount_paths.push(mount_path);
        }
    }
    let requests = at(c, &["resources", "requests"]).and_then(Value::as_object);
    let limits = at(c, &["resources", "limits"]).and_then(Value::as_object);
    if let (Some(req), Some(lim)) = (requests, limits) {
        for (res, rq) in req {
            let Some(lq) = lim.get(res) else { continue };
            let (rt, lt) = (quantity_text(rq), quantity_text(lq));
            if let (Ok(r), Ok(l)) = (quantity::parse(rt.trim()), quantity::parse(lt.trim())) {
                if r.value > l.value {
                    errs.push(
                        invalid_str(
                            &format!("{path}.resources.requests"),
                            &rt,
                            &format!("must be less than or equal to {res} limit of {lt}"),
                        )
                        .at(&format!("{path}.resources.requests.{res}")),
                    );
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn selector_mismatch_renders_json_labels() {
        let sts = json!({"metadata": {"name": "web"}, "spec": {"podManagementPolicy": "OrderedReady", "updateStrategy": {"type": "RollingUpdate"},
            "selector": {"matchLabels": {"app": "nginx"}}, "template": {"metadata": {"labels": {"app": "web"}}}}});
        let errs = statefulset(&sts, true);
        assert_eq!(errs.len(), 1);
        assert_eq!(errs[0].line(), "spec.template.metadata.labels: Invalid value: {\"app\":\"web\"}: `selector` does not match template `labels`");
    }

    #[test]
    fn on_delete_with_defaulted_rolling_update_is_rejected() {
        let sts = json!({"metadata": {"name": "web"}, "spec": {"podManagementPolicy": "OrderedReady", "updateStrategy": {"type": "OnDelete", "rollingUpdate": {"partition": 0}},
            "selector": {"matchLabels": {"app": "nginx"}}, "template": {"metadata": {"labels": {"app": "nginx"}}}}});
        let errs = statefulset(&sts, true);
        assert_eq!(errs[0].line(), "spec.updateStrategy.rollingUpdate: Invalid value: {\"Partition\":0,\"MaxUnavailable\":null}: only allowed for updateStrategy 'RollingUpdate'");
    }
}

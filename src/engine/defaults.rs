//! Lenient API-server defaulting (spec §1.1) for objects that reach the engine without having
//! been through `manifest::admit`. Idempotent: already-defaulted objects come out unchanged.
//! Wrong types are left alone; the typed readers then fall back to safe values.

use serde_json::{json, Map, Value};

fn obj(v: &mut Value) -> Option<&mut Map<String, Value>> {
    v.as_object_mut()
}

fn set_default(m: &mut Map<String, Value>, k: &str, v: Value) {
    if m.get(k).is_none_or(Value::is_null) {
        m.insert(k.to_string(), v);
    }
}

/// Defaults of an embedded pod template spec (core v1) and its containers.
pub fn pod_spec(spec: &mut Value) {
    let Some(s) = obj(spec) else { return };
    set_default(s, "restartPolicy", json!("Always"));
    set_default(s, "terminationGracePeriodSeconds", json!(30));
    set_default(s, "dnsPolicy", json!("ClusterFirst"));
    set_default(s, "schedulerName", json!("default-scheduler"));
    set_default(s, "securityContext", json!({}));
    for list in ["containers", "initContainers"] {
        if let Some(cs) = s.get_mut(list).and_then(Value::as_array_mut) {
            for c in cs.iter_mut() {
                container(c);
            }
        }
    }
}

fn container(c: &mut Value) {
    let Some(c) = obj(c) else { return };
    let image = c.get("image").and_then(Value::as_str).unwrap_or("").to_string();
    let tag_latest = {
        let last = image.rsplit('/').next().unwrap_or("");
        !last.contains(':') || last.ends_with(":latest")
    } && !image.contains('@');
    set_default(c, "imagePullPolicy", json!(if tag_latest { "Always" } else { "IfNotPresent" }));
    set_default(c, "terminationMessagePath", json!("/dev/termination-log"));
    set_default(c, "terminationMessagePolicy", json!("File"));
    set_default(c, "resources", json!({}));
    if let Some(ports) = c.get_mut("ports").and_then(Value::as_array_mut) {
        for p in ports.iter_mut().filter_map(Value::as_object_mut) {
            set_default(p, "protocol", json!("TCP"));
        }
    }
    if let Some(probe) = c.get_mut("readinessProbe").and_then(Value::as_object_mut) {
        set_default(probe, "timeoutSeconds", json!(1));
        set_default(probe, "periodSeconds", json!(10));
        set_default(probe, "successThreshold", json!(1));
        set_default(probe, "failureThreshold", json!(3));
    }
}

/// Defaults of a pod template (`{metadata, spec}`).
pub fn pod_template(t: &mut Value) {
    if let Some(t) = obj(t) {
        set_default(t, "metadata", json!({}));
        set_default(t, "spec", json!({}));
        if let Some(spec) = t.get_mut("spec") {
            pod_spec(spec);
        }
    }
}

/// StatefulSet defaults (spec §1.1), applied to the whole object.
pub fn stateful_set(v: &mut Value) {
    let Some(spec) = v.get_mut("spec").and_then(Value::as_object_mut) else { return };
    set_default(spec, "replicas", json!(1));
    set_default(spec, "podManagementPolicy", json!("OrderedReady"));
    let strategy_empty = spec
        .get("updateStrategy")
        .and_then(|s| s.get("type"))
        .and_then(Value::as_str)
        .is_none_or(str::is_empty);
    if strategy_empty {
        let s = spec.entry("updateStrategy").or_insert_with(|| json!({}));
        if let Some(s) = s.as_object_mut() {
            s.insert("type".into(), json!("RollingUpdate"));
            set_default(s, "rollingUpdate", json!({}));
        }
    }
    if let Some(ru) = spec.get_mut("updateStrategy").and_then(|s| s.get_mut("rollingUpdate")).and_then(Value::as_object_mut) {
        set_default(ru, "partition", json!(0));
    }
    set_default(spec, "revisionHistoryLimit", json!(10));
    let p = spec.entry("persistentVolumeClaimRetentionPolicy").or_insert_with(|| json!({}));
    if let Some(p) = p.as_object_mut() {
        set_default(p, "whenDeleted", json!("Retain"));
        set_default(p, "whenScaled", json!("Retain"));
    }
    if let Some(t) = spec.get_mut("template") {
        pod_template(t);
    }
    if let Some(ts) = spec.get_mut("volumeClaimTemplates").and_then(Value::as_array_mut) {
        for t in ts.iter_mut().filter_map(Value::as_object_mut) {
            set_default(t, "apiVersion", json!("v1"));
            set_default(t, "kind", json!("PersistentVolumeClaim"));
            if let Some(s) = t.get_mut("spec").and_then(Value::as_object_mut) {
                set_default(s, "volumeMode", json!("Filesystem"));
            }
            if let Some(s) = t.get_mut("status") {
                if s.as_object().is_some_and(Map::is_empty) {
                    continue;
                }
            } else {
                t.insert("status".into(), json!({"phase": "Pending"}));
            }
        }
    }
}

/// Deployment defaults (apps/v1).
pub fn deployment(v: &mut Value) {
    let Some(spec) = v.get_mut("spec").and_then(Value::as_object_mut) else { return };
    set_default(spec, "replicas", json!(1));
    set_default(spec, "revisionHistoryLimit", json!(10));
    set_default(spec, "progressDeadlineSeconds", json!(600));
    set_default(spec, "strategy", json!({"type": "RollingUpdate", "rollingUpdate": {"maxSurge": "25%", "maxUnavailable": "25%"}}));
    if let Some(t) = spec.get_mut("template") {
        pod_template(t);
    }
}

/// Service defaults (core v1), without the cluster IP (allocated by the engine).
pub fn service(v: &mut Value) {
    let Some(spec) = v.get_mut("spec").and_then(Value::as_object_mut) else { return };
    set_default(spec, "type", json!("ClusterIP"));
    set_default(spec, "sessionAffinity", json!("None"));
    set_default(spec, "internalTrafficPolicy", json!("Cluster"));
    set_default(spec, "ipFamilies", json!(["IPv4"]));
    set_default(spec, "ipFamilyPolicy", json!("SingleStack"));
    if let Some(ports) = spec.get_mut("ports").and_then(Value::as_array_mut) {
        for p in ports.iter_mut().filter_map(Value::as_object_mut) {
            set_default(p, "protocol", json!("TCP"));
            if let Some(port) = p.get("port").cloned() {
                set_default(p, "targetPort", port);
            }
        }
    }
}

/// PVC defaults.
pub fn pvc_spec(spec: &mut Value) {
    if let Some(s) = obj(spec) {
        set_default(s, "volumeMode", json!("Filesystem"));
    }
}

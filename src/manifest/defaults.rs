//! Defaults the API server applies before validation (spec §1.1 and core v1 defaulting), so
//! that admitted objects look as `kubectl get -o yaml` shows them.

use serde_json::{json, Map, Value};

fn set(m: &mut Map<String, Value>, k: &str, v: Value) {
    if m.get(k).is_none_or(Value::is_null) {
        m.insert(k.to_string(), v);
    }
}

fn obj_at<'a>(v: &'a mut Value, k: &str) -> Option<&'a mut Map<String, Value>> {
    v.get_mut(k).and_then(Value::as_object_mut)
}

fn ensure_obj<'a>(m: &'a mut Map<String, Value>, k: &str) -> Option<&'a mut Map<String, Value>> {
    if m.get(k).is_none_or(Value::is_null) {
        m.insert(k.to_string(), json!({}));
    }
    m.get_mut(k).and_then(Value::as_object_mut)
}

pub fn apply(kind: &str, obj: &mut Value) {
    match kind {
        "StatefulSet" => statefulset(obj),
        "Deployment" => deployment(obj),
        "Service" => service(obj),
        "PersistentVolumeClaim" => {
            if let Some(spec) = obj_at(obj, "spec") {
                set(spec, "volumeMode", json!("Filesystem"));
            }
        }
        "PersistentVolume" => {
            if let Some(spec) = obj_at(obj, "spec") {
                set(spec, "persistentVolumeReclaimPolicy", json!("Retain"));
                set(spec, "volumeMode", json!("Filesystem"));
            }
        }
        "StorageClass" => {
            if let Some(m) = obj.as_object_mut() {
                set(m, "reclaimPolicy", json!("Delete"));
                set(m, "volumeBindingMode", json!("Immediate"));
            }
        }
        _ => {}
    }
}

fn statefulset(obj: &mut Value) {
    let Some(spec) = obj_at(obj, "spec") else {
        return;
    };
    set(spec, "replicas", json!(1));
    set(spec, "podManagementPolicy", json!("OrderedReady"));
    set(spec, "revisionHistoryLimit", json!(10));
    if let Some(strategy) = ensure_obj(spec, "updateStrategy") {
        // rollingUpdate is only created when the type was empty (spec §1.1).
        if strategy
            .get("type")
            .and_then(Value::as_str)
            .unwrap_or("")
            .is_empty()
        {
            strategy.insert("type".into(), json!("RollingUpdate"));
            set(strategy, "rollingUpdate", json!({}));
        }
        if let Some(ru) = strategy
            .get_mut("rollingUpdate")
            .and_then(Value::as_object_mut)
        {
            set(ru, "partition", json!(0));
        }
    }
    if let Some(policy) = ensure_obj(spec, "persistentVolumeClaimRetentionPolicy") {
        set(policy, "whenDeleted", json!("Retain"));
        set(policy, "whenScaled", json!("Retain"));
    }
    if let Some(pod) = spec.get_mut("template").and_then(|t| t.get_mut("spec")) {
        pod_spec(pod);
    }
    if let Some(claims) = spec
        .get_mut("volumeClaimTemplates")
        .and_then(Value::as_array_mut)
    {
        for claim in claims.iter_mut().filter_map(Value::as_object_mut) {
            set(claim, "apiVersion", json!("v1"));
            set(claim, "kind", json!("PersistentVolumeClaim"));
            if let Some(cs) = claim.get_mut("spec").and_then(Value::as_object_mut) {
                set(cs, "volumeMode", json!("Filesystem"));
            }
            // SetDefaults_PersistentVolumeClaim: a claim's phase starts Pending. Without it a
            // whole-object update (replace) differed from the stored template and was refused.
            if let Some(st) = ensure_obj(claim, "status") {
                set(st, "phase", json!("Pending"));
            }
        }
    }
}

fn deployment(obj: &mut Value) {
    let Some(spec) = obj_at(obj, "spec") else {
        return;
    };
    set(spec, "replicas", json!(1));
    set(spec, "revisionHistoryLimit", json!(10));
    set(spec, "progressDeadlineSeconds", json!(600));
    if let Some(strategy) = ensure_obj(spec, "strategy") {
        set(strategy, "type", json!("RollingUpdate"));
        if strategy.get("type").and_then(Value::as_str) == Some("RollingUpdate") {
            if let Some(ru) = ensure_obj(strategy, "rollingUpdate") {
                set(ru, "maxUnavailable", json!("25%"));
                set(ru, "maxSurge", json!("25%"));
            }
        }
    }
    if let Some(pod) = spec.get_mut("template").and_then(|t| t.get_mut("spec")) {
        pod_spec(pod);
    }
}

fn service(obj: &mut Value) {
    let Some(spec) = obj_at(obj, "spec") else {
        return;
    };
    set(spec, "type", json!("ClusterIP"));
    set(spec, "sessionAffinity", json!("None"));
    let external_name = spec.get("type").and_then(Value::as_str) == Some("ExternalName");
    if !external_name {
        set(spec, "internalTrafficPolicy", json!("Cluster"));
    }
    if spec.get("clusterIP").and_then(Value::as_str) == Some("None") {
        set(spec, "clusterIPs", json!(["None"]));
    }
    if let Some(ports) = spec.get_mut("ports").and_then(Value::as_array_mut) {
        for p in ports.iter_mut().filter_map(Value::as_object_mut) {
            set(p, "protocol", json!("TCP"));
            if let Some(port) = p.get("port").cloned() {
                set(p, "targetPort", port);
            }
        }
    }
}

/// Core v1 pod spec defaults, also used for templates.
pub fn pod_spec(spec: &mut Value) {
    let Some(s) = spec.as_object_mut() else {
        return;
    };
    set(s, "restartPolicy", json!("Always"));
    set(s, "terminationGracePeriodSeconds", json!(30));
    set(s, "dnsPolicy", json!("ClusterFirst"));
    set(s, "schedulerName", json!("default-scheduler"));
    set(s, "securityContext", json!({}));
    for list in ["initContainers", "containers"] {
        if let Some(cs) = s.get_mut(list).and_then(Value::as_array_mut) {
            for c in cs.iter_mut().filter_map(Value::as_object_mut) {
                container(c);
            }
        }
    }
    if let Some(vols) = s.get_mut("volumes").and_then(Value::as_array_mut) {
        for v in vols.iter_mut().filter_map(Value::as_object_mut) {
            for source in ["configMap", "secret"] {
                if let Some(src) = v.get_mut(source).and_then(Value::as_object_mut) {
                    set(src, "defaultMode", json!(420));
                }
            }
        }
    }
}

/// `Always` for `:latest` or untagged images, else `IfNotPresent` (digests count as tagged).
pub fn image_pull_policy(image: &str) -> &'static str {
    let last = image.rsplit('/').next().unwrap_or("");
    if image.contains('@') {
        return "IfNotPresent";
    }
    match last.rsplit_once(':') {
        Some((_, tag)) if tag != "latest" => "IfNotPresent",
        _ => "Always",
    }
}

fn container(c: &mut Map<String, Value>) {
    let image = c
        .get("image")
        .and_then(Value::as_str)
        .unwrap_or("")
        .to_string();
    set(c, "imagePullPolicy", json!(image_pull_policy(&image)));
    set(c, "terminationMessagePath", json!("/dev/termination-log"));
    set(c, "terminationMessagePolicy", json!("File"));
    if let Some(ports) = c.get_mut("ports").and_then(Value::as_array_mut) {
        for p in ports.iter_mut().filter_map(Value::as_object_mut) {
            set(p, "protocol", json!("TCP"));
        }
    }
    for probe in ["livenessProbe", "readinessProbe", "startupProbe"] {
        if let Some(p) = c.get_mut(probe).and_then(Value::as_object_mut) {
            set(p, "timeoutSeconds", json!(1));
            set(p, "periodSeconds", json!(10));
            set(p, "successThreshold", json!(1));
            set(p, "failureThreshold", json!(3));
            if let Some(h) = p.get_mut("httpGet").and_then(Value::as_object_mut) {
                set(h, "scheme", json!("HTTP"));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn explicit_rolling_update_type_gets_no_block() {
        let mut sts = json!({"spec": {"updateStrategy": {"type": "RollingUpdate"}}});
        apply("StatefulSet", &mut sts);
        assert!(sts["spec"]["updateStrategy"].get("rollingUpdate").is_none());
        let mut sts = json!({"spec": {}});
        apply("StatefulSet", &mut sts);
        assert_eq!(
            sts["spec"]["updateStrategy"],
            json!({"type": "RollingUpdate", "rollingUpdate": {"partition": 0}})
        );
        assert_eq!(sts["spec"]["replicas"], json!(1));
    }

    #[test]
    fn pull_policy_follows_the_tag() {
        assert_eq!(image_pull_policy("nginx"), "Always");
        assert_eq!(image_pull_policy("nginx:latest"), "Always");
        assert_eq!(
            image_pull_policy("registry.k8s.io/nginx-slim:0.24"),
            "IfNotPresent"
        );
        assert_eq!(image_pull_policy("localhost:5000/app"), "Always");
    }
}

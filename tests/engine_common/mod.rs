//! Shared helpers for the engine tests: the lecture manifests, a driver that checks the
//! invariants after every step, and readers for watch lines (NAME READY STATUS).
#![allow(dead_code)]

use serde_json::{json, Value};
use statefulset_lab::engine::*;

pub fn service() -> Value {
    json!({"apiVersion": "v1", "kind": "Service", "metadata": {"name": "nginx", "labels": {"app": "nginx"}},
           "spec": {"ports": [{"port": 80, "name": "web"}], "clusterIP": "None", "selector": {"app": "nginx"}}})
}

pub fn web(replicas: i64) -> Value {
    json!({"apiVersion": "apps/v1", "kind": "StatefulSet", "metadata": {"name": "web"},
      "spec": {"serviceName": "nginx", "replicas": replicas, "selector": {"matchLabels": {"app": "nginx"}},
        "template": {"metadata": {"labels": {"app": "nginx"}}, "spec": {"containers": [{"name": "nginx", "image": "registry.k8s.io/nginx-slim:0.24",
          "ports": [{"containerPort": 80, "name": "web"}], "volumeMounts": [{"name": "www", "mountPath": "/usr/share/nginx/html"}]}]}},
        "volumeClaimTemplates": [{"metadata": {"name": "www"}, "spec": {"accessModes": ["ReadWriteOnce"], "resources": {"requests": {"storage": "1Gi"}}}}]}})
}

pub fn with(mut v: Value, pointer: &str, value: Value) -> Value {
    let (parent, leaf) = pointer.rsplit_once('/').unwrap_or(("", pointer));
    let mut cur = &mut v;
    for part in parent.split('/').filter(|p| !p.is_empty()) {
        cur = match part.parse::<usize>() {
            Ok(i) if cur.is_array() => &mut cur[i],
            _ => {
                if cur.get(part).is_none() {
                    cur[part] = json!({});
                }
                &mut cur[part]
            }
        };
    }
    match leaf.parse::<usize>() {
        Ok(i) if cur.is_array() => cur[i] = value,
        _ => cur[leaf] = value,
    }
    v
}

/// Steps until quiet (or `limit` seconds of virtual time), checking invariants after every step.
pub fn settle(e: &mut Engine, limit_secs: u64) {
    let limit = Time(e.now().0 + limit_secs * 1000);
    loop {
        assert_ok(e);
        if e.is_quiet() {
            return;
        }
        match e.next_wakeup() {
            Some(t) if t <= limit => {
                e.advance_to(t);
            }
            _ => {
                e.advance_to(limit);
                assert_ok(e);
                return;
            }
        }
    }
}

/// Advances by `secs`, checking invariants after every step.
pub fn run_for(e: &mut Engine, secs: f64) {
    let limit = Time(e.now().0 + (secs * 1000.0) as u64);
    while let Some(t) = e.next_wakeup() {
        if t > limit {
            break;
        }
        e.advance_to(t);
        assert_ok(e);
    }
    e.advance_to(limit);
    assert_ok(e);
}

pub fn assert_ok(e: &Engine) {
    let errs = e.check_invariants();
    assert!(errs.is_empty(), "invariant violated at t={}ms: {:#?}", e.now().0, errs);
}

/// kubectl's STATUS column (spec §9.2), from pod JSON.
pub fn pod_status(p: &Value) -> String {
    let st = &p["status"];
    let mut reason = st["phase"].as_str().unwrap_or("").to_string();
    if let Some(r) = st["reason"].as_str() {
        reason = r.to_string();
    }
    let mut running = false;
    if let Some(cs) = st["containerStatuses"].as_array() {
        for c in cs.iter().rev() {
            if let Some(w) = c["state"]["waiting"]["reason"].as_str() {
                reason = w.to_string();
            } else if let Some(t) = c["state"]["terminated"].as_object() {
                reason = t.get("reason").and_then(Value::as_str).map(str::to_string).unwrap_or_else(|| format!("ExitCode:{}", t["exitCode"]));
            } else if c["state"]["running"].is_object() && c["ready"].as_bool() == Some(true) {
                running = true;
            }
        }
    }
    if reason == "Completed" && running {
        reason = "Running".into();
    }
    let phase = st["phase"].as_str().unwrap_or("");
    if p["metadata"]["deletionTimestamp"].is_string() && phase != "Succeeded" && phase != "Failed" {
        reason = "Terminating".into();
    }
    reason
}

pub fn pod_ready(p: &Value) -> String {
    let cs = p["status"]["containerStatuses"].as_array().cloned().unwrap_or_default();
    let total = p["spec"]["containers"].as_array().map(|a| a.len()).unwrap_or(0);
    let ready = cs.iter().filter(|c| c["ready"].as_bool() == Some(true)).count();
    format!("{}/{}", ready, total)
}

/// `NAME READY STATUS` of every pod watch event since `cursor`.
pub fn pod_lines(e: &mut Engine, cursor: &mut u64) -> Vec<String> {
    let (events, next) = e.poll_watch(*cursor);
    *cursor = next;
    events
        .iter()
        .filter(|ev| ev.kind == Kind::Pod)
        .map(|ev| format!("{} {} {}", ev.object["metadata"]["name"].as_str().unwrap_or(""), pod_ready(&ev.object), pod_status(&ev.object)))
        .collect()
}

pub fn lecture() -> Engine {
    let mut e = Engine::new(Config::default());
    assert_eq!(e.apply(service()).unwrap(), ApplyOutcome::Created);
    assert_eq!(e.apply(web(2)).unwrap(), ApplyOutcome::Created);
    e
}

pub fn pods(e: &Engine) -> Vec<String> {
    e.list(Kind::Pod, Some("default")).iter().map(|p| format!("{} {} {}", p["metadata"]["name"].as_str().unwrap_or(""), pod_ready(p), pod_status(p))).collect()
}

pub fn names(e: &Engine, kind: Kind) -> Vec<String> {
    e.list(kind, Some("default")).iter().map(|p| p["metadata"]["name"].as_str().unwrap_or("").to_string()).collect()
}

pub fn image_of(e: &Engine, pod: &str) -> String {
    e.get(Kind::Pod, "default", pod).map(|p| p["spec"]["containers"][0]["image"].as_str().unwrap_or("").to_string()).unwrap_or_default()
}

pub fn sts(e: &Engine) -> Value {
    e.get(Kind::StatefulSet, "default", "web").unwrap()
}

pub fn set_spec(e: &mut Engine, pointer: &str, value: Value) {
    let v = with(sts(e), pointer, value);
    e.update(v).unwrap();
}

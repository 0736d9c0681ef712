//! The READY, STATUS and RESTARTS cells of `kubectl get pods`, computed from the pod's JSON the
//! way `printPod` in kubernetes' `printers.go` does (spec §9.2).

use serde_json::Value;

use super::{age::human_duration, age::parse_rfc3339, arr, st};

/// What `printPod` derives from one pod.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PodSummary {
    pub ready: String,
    pub status: String,
    pub restarts: i64,
    /// Unix ms of the most recent container termination, for `RESTARTS (5s ago)`.
    pub last_restart_ms: Option<i64>,
}

impl PodSummary {
    /// `0`, or `2 (5s ago)` when a previous termination is known.
    pub fn restarts_cell(&self, now_ms: i64) -> String {
        match self.last_restart_ms {
            Some(t) if self.restarts != 0 => format!("{} ({} ago)", self.restarts, human_duration(now_ms - t)),
            _ => self.restarts.to_string(),
        }
    }
}

fn terminated_reason(term: &Value, prefix: &str) -> String {
    let reason = st(term, "/reason");
    if !reason.is_empty() {
        return format!("{prefix}{reason}");
    }
    let signal = term.pointer("/signal").and_then(Value::as_i64).unwrap_or(0);
    if signal != 0 {
        format!("{prefix}Signal:{signal}")
    } else {
        format!("{prefix}ExitCode:{}", term.pointer("/exitCode").and_then(Value::as_i64).unwrap_or(0))
    }
}

fn later(a: Option<i64>, b: Option<i64>) -> Option<i64> {
    match (a, b) {
        (Some(x), Some(y)) => Some(x.max(y)),
        (x, None) => x,
        (None, y) => y,
    }
}

pub fn summarize(pod: &Value) -> PodSummary {
    let containers = arr(pod, "/spec/containers").len();
    let phase = st(pod, "/status/phase");
    let mut reason = phase.to_string();
    let status_reason = st(pod, "/status/reason");
    if !status_reason.is_empty() {
        reason = status_reason.to_string();
    }
    let conditions = arr(pod, "/status/conditions");
    if conditions.iter().any(|c| st(c, "/type") == "PodScheduled" && st(c, "/reason") == "SchedulingGated") {
        reason = "SchedulingGated".into();
    }
    let mut restarts = 0;
    let mut last_restart = None;
    let mut ready = 0;
    let mut initializing = false;
    let init_total = arr(pod, "/spec/initContainers").len();
    for (i, c) in arr(pod, "/status/initContainerStatuses").iter().enumerate() {
        restarts += c.pointer("/restartCount").and_then(Value::as_i64).unwrap_or(0);
        last_restart = later(last_restart, parse_rfc3339(st(c, "/lastState/terminated/finishedAt")));
        let term = c.pointer("/state/terminated");
        let waiting_reason = st(c, "/state/waiting/reason");
        match term {
            Some(t) if t.pointer("/exitCode").and_then(Value::as_i64) == Some(0) => continue,
            Some(t) => reason = terminated_reason(t, "Init:"),
            None if !waiting_reason.is_empty() && waiting_reason != "PodInitializing" => reason = format!("Init:{waiting_reason}"),
            None => reason = format!("Init:{i}/{init_total}"),
        }
        initializing = true;
        break;
    }
    let initialized = conditions.iter().any(|c| st(c, "/type") == "Initialized" && st(c, "/status") == "True");
    if !initializing || initialized {
        let mut has_running = false;
        for c in arr(pod, "/status/containerStatuses").iter().rev() {
            restarts += c.pointer("/restartCount").and_then(Value::as_i64).unwrap_or(0);
            last_restart = later(last_restart, parse_rfc3339(st(c, "/lastState/terminated/finishedAt")));
            let waiting_reason = st(c, "/state/waiting/reason");
            if !waiting_reason.is_empty() {
                reason = waiting_reason.to_string();
            } else if let Some(t) = c.pointer("/state/terminated") {
                reason = terminated_reason(t, "");
            } else if c.pointer("/ready").and_then(Value::as_bool) == Some(true) && c.pointer("/state/running").is_some() {
                has_running = true;
                ready += 1;
            }
        }
        if reason == "Completed" && has_running {
            let pod_ready = conditions.iter().any(|c| st(c, "/type") == "Ready" && st(c, "/status") == "True");
            reason = if pod_ready { "Running".into() } else { "NotReady".into() };
        }
    }
    let deleting = pod.pointer("/metadata/deletionTimestamp").map(|v| !v.is_null()).unwrap_or(false);
    if deleting && status_reason == "NodeLost" {
        reason = "Unknown".into();
    } else if deleting && phase != "Succeeded" && phase != "Failed" {
        reason = "Terminating".into();
    }
    PodSummary { ready: format!("{ready}/{containers}"), status: reason, restarts, last_restart_ms: last_restart }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn pod(status: Value) -> Value {
        json!({"metadata": {"name": "web-0"}, "spec": {"containers": [{"name": "nginx"}]}, "status": status})
    }

    #[test]
    fn lifecycle() {
        assert_eq!(summarize(&pod(json!({"phase": "Pending"}))).status, "Pending");
        let creating = pod(json!({"phase": "Pending", "containerStatuses": [{"name": "nginx", "ready": false, "restartCount": 0, "state": {"waiting": {"reason": "ContainerCreating"}}}]}));
        let s = summarize(&creating);
        assert_eq!((s.ready.as_str(), s.status.as_str()), ("0/1", "ContainerCreating"));
        let running = pod(json!({"phase": "Running", "containerStatuses": [{"name": "nginx", "ready": true, "restartCount": 0, "state": {"running": {"startedAt": "2025-01-01T00:00:00Z"}}}]}));
        let s = summarize(&running);
        assert_eq!((s.ready.as_str(), s.status.as_str(), s.restarts_cell(0).as_str()), ("1/1", "Running", "0"));
        let mut deleting = running.clone();
        deleting["metadata"]["deletionTimestamp"] = json!("2025-01-01T00:00:30Z");
        assert_eq!(summarize(&deleting).status, "Terminating");
        assert_eq!(summarize(&deleting).ready, "1/1");
    }

    #[test]
    fn terminal_phase_beats_terminating_on_131() {
        let p = json!({"metadata": {"deletionTimestamp": "2025-01-01T00:00:30Z"}, "spec": {"containers": [{}]},
            "status": {"phase": "Succeeded", "containerStatuses": [{"ready": false, "restartCount": 0, "state": {"terminated": {"exitCode": 0, "reason": "Completed"}}}]}});
        assert_eq!(summarize(&p).status, "Completed");
    }

    #[test]
    fn crash_loop_and_restarts() {
        let p = pod(json!({"phase": "Running", "containerStatuses": [{"ready": false, "restartCount": 3,
            "lastState": {"terminated": {"exitCode": 1, "reason": "Error", "finishedAt": "1970-01-01T00:00:10Z"}},
            "state": {"waiting": {"reason": "CrashLoopBackOff"}}}]}));
        let s = summarize(&p);
        assert_eq!(s.status, "CrashLoopBackOff");
        assert_eq!(s.restarts_cell(25_000), "3 (15s ago)");
        let p = pod(json!({"phase": "Running", "containerStatuses": [{"ready": false, "restartCount": 0, "state": {"terminated": {"exitCode": 137, "signal": 0}}}]}));
        assert_eq!(summarize(&p).status, "ExitCode:137");
    }

    #[test]
    fn node_lost_and_reason() {
        let p = json!({"metadata": {"deletionTimestamp": "x"}, "spec": {"containers": [{}]}, "status": {"phase": "Running", "reason": "NodeLost"}});
        assert_eq!(summarize(&p).status, "Unknown");
        let p = json!({"spec": {"containers": [{}]}, "status": {"phase": "Failed", "reason": "Evicted"}});
        assert_eq!(summarize(&p).status, "Evicted");
    }

    #[test]
    fn init_containers() {
        let p = json!({"spec": {"containers": [{}], "initContainers": [{}, {}]}, "status": {"phase": "Pending",
            "initContainerStatuses": [{"state": {"terminated": {"exitCode": 0}}}, {"state": {"running": {}}}]}});
        assert_eq!(summarize(&p).status, "Init:1/2");
        let p = json!({"spec": {"containers": [{}], "initContainers": [{}]}, "status": {"phase": "Pending",
            "initContainerStatuses": [{"state": {"waiting": {"reason": "CrashLoopBackOff"}}}]}});
        assert_eq!(summarize(&p).status, "Init:CrashLoopBackOff");
    }
}

//! The node side: kubelet pod lifecycle, the node lifecycle controller (NotReady, taint-based
//! eviction) and the faults a teacher can inject.
//!
//! Virtual durations (all from the seed's jitter where a range is given) — chosen to look
//! like a small kind/minikube cluster and used consistently:
//! * kubelet picks up a bound pod: 0.3 s -> `ContainerCreating` status
//! * volumes mounted + sandbox: 0.2 s + 0.3 s (a Multi-Attach conflict retries every 5 s)
//! * image pull: already present -> 0.1 s; otherwise 1.5-3.0 s (per node image cache)
//! * container start -> `Running`; Ready at once, or after `readinessProbe.initialDelaySeconds`
//!   (+0-1 s for the first probe period)
//! * crash fault: a started container exits 1 after 2 s; restart back-off 10 s, 20 s, 40 s...
//!   capped at 5 min (the first restart is immediate, as the kubelet does)
//! * termination: kubelet reacts in 0.1 s, nginx exits on SIGTERM in 0.5-1.0 s (at most the
//!   grace period), then the terminal phase is written (0.1 s) and the object removed (0.1 s)
//! * node failure: NotReady after the 50 s node-monitor grace period, eviction 300 s later
//!   (the default `tolerationSeconds` for `node.kubernetes.io/unreachable`)

use super::cluster::{join, Action, Engine, Piece::T, Work};
use super::meta::*;
use super::objects::*;
use super::*;
use std::rc::Rc;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Step {
    Setup,
    Volumes,
    Pull,
    Pulled,
    Start,
    Probe,
    Crash,
    BackOff,
    Restart,
    Kill,
    Stopped,
    Terminal,
    Remove,
    Resync,
}

const NODE_MONITOR_GRACE_MS: u64 = 50_000;
const EVICTION_MS: u64 = 300_000;

fn container_message(pod: &Pod, ready: bool) -> String {
    let mut msg = String::with_capacity(64);
    msg.push_str("containers with unready status: [");
    for (i, c) in pod.status.containers.iter().filter(|c| c.ready == ready).enumerate() {
        if i > 0 {
            msg.push(' ');
        }
        msg.push_str(&c.name);
    }
    msg.push(']');
    msg
}

impl Engine {
    /// A node by name: a scan of the handful of nodes, comparing addresses first (a pod's node
    /// name is the node's own string), cheaper than a search of the map by key.
    fn node_named(&self, name: &str) -> Option<&Rc<Node>> {
        let i = position_shared(self.store.nodes.values().map(|n| &*n.meta.name), name)?;
        self.store.nodes.values().nth(i)
    }

    fn node_reachable(&self, node: &str) -> bool {
        !self.down_nodes.contains(node)
    }

    fn kubelet_event(&mut self, pod: &Pod, warning: bool, reason: &'static str, message: String) {
        let host = pod.node.clone();
        self.event(Kind::Pod, &pod.meta, warning, reason, message, "kubelet", host);
    }

    fn set_conditions_from_containers(p: &mut Pod, now: Time) {
        let all_ready = !p.status.containers.is_empty() && p.status.containers.iter().all(|c| c.ready);
        let terminal = p.status.phase.terminal();
        let ready = all_ready && !terminal;
        let mut rc = Cond::set(&p.status.ready, ready, now);
        let mut cc = Cond::set(&p.status.containers_ready, ready, now);
        if !ready {
            let reason = if terminal { "PodCompleted" } else { "ContainersNotReady" };
            let reason = intern(reason);
            rc.reason = Some(reason.clone());
            cc.reason = Some(reason);
            if !terminal {
                // Usually the message the condition already carries: reuse it, not the interner.
                let text = container_message(p, false);
                let msg = match p.status.ready.as_ref().and_then(|c| c.message.clone()) {
                    Some(m) if *m == *text => m,
                    _ => intern_owned(text),
                };
                rc.message = Some(msg.clone());
                cc.message = Some(msg);
            }
        }
        p.status.ready = Some(rc);
        p.status.containers_ready = Some(cc);
    }

    fn allocate_pod_ip(&mut self, node: &str) -> Str {
        let index = self.node_named(node).map(|n| n.index).unwrap_or(0);
        if self.next_ip.len() <= index {
            self.next_ip.resize(index + 1, 0);
        }
        let n = self.next_ip[index];
        self.next_ip[index] = n.wrapping_add(1);
        let block = (index as u32 + 1) + 16 * (n / 253);
        // Written number by number (`format!` was most of a pod start's own cost).
        let mut ip = String::with_capacity(15);
        ip.push_str("10");
        let mut buf = itoa::Buffer::new();
        for part in [244 + block / 256, block % 256, n % 253 + 2] {
            ip.push('.');
            ip.push_str(buf.format(part));
        }
        Str::from(ip.as_str())
    }

    fn image_size(image: &str) -> u64 {
        20_000_000 + (super::statefulset::utils::fnv1a_32(image.as_bytes()) as u64 % 40_000_000)
    }

    pub(super) fn kubelet_step(&mut self, k: &Key, uid: &Str, step: Step) {
        let Some(pod) = self.store.pods.get(k).cloned() else { return };
        if !same_str(&pod.meta.uid, uid) {
            return;
        }
        let Some(node) = pod.node.clone() else { return };
        if !self.node_reachable(&node) {
            return; // the kubelet is gone; NodeUp resyncs
        }
        let now = self.now;
        let crashing = self.crashing.contains(uid);
        match step {
            Step::Setup => {
                if pod.terminating() || pod.status.phase != Phase::Pending {
                    return;
                }
                let host_ip = self.node_named(&node).map(|n| n.ip.clone());
                let mut rc = pod.clone();
                let p = Rc::make_mut(&mut rc);
                p.status.host_ip = host_ip;
                p.status.start_time = Some(now);
                p.status.ready_to_start = Some(Cond::new(false, now));
                p.status.initialized = Some(Cond::new(true, now));
                p.status.containers = Rc::new(
                    p.tmpl
                        .containers
                        .iter()
                    .enumerate()
                    .map(|(i, c)| CStatus {
                        name: c.name.clone(),
                        image: pod.image(i),
                        ready: false,
                        restarts: 0,
                        started: false,
                        state: CState::Waiting { reason: intern("ContainerCreating"), message: None },
                        last: None,
                        id: None,
                    })
                    .collect(),
                );
                Self::set_conditions_from_containers(p, now);
                self.write_pod_rc(rc);
                self.after(200, Action::Kubelet(k.clone(), uid.clone(), Step::Volumes));
            }
            Step::Volumes => {
                if pod.terminating() {
                    return;
                }
                match self.attach_volumes(&pod, &node) {
                    Ok(()) => {
                        self.after(300, Action::Kubelet(k.clone(), uid.clone(), Step::Pull));
                    }
                    Err(Some((reason, msg))) => {
                        if self.noted.insert((uid.clone(), reason)) {
                            let component = if reason == "FailedAttachVolume" { "attachdetach-controller" } else { "kubelet" };
                            self.event(Kind::Pod, &pod.meta, true, reason, msg, component, None);
                        }
                        self.after(5_000, Action::Kubelet(k.clone(), uid.clone(), Step::Volumes));
                    }
                    Err(None) => {
                        self.after(5_000, Action::Kubelet(k.clone(), uid.clone(), Step::Volumes));
                    }
                }
            }
            Step::Pull => {
                if pod.terminating() {
                    return;
                }
                let mut pull_ms = 0u64;
                for i in 0..pod.tmpl.containers.len() {
                    let image = pod.image(i);
                    let always = pod.tmpl.containers.get(i).is_some_and(|c| c.pull_always);
                    let present = self.images.get(&node).is_some_and(|s| s.contains(&image));
                    if present && !always {
                        self.kubelet_event(&pod, false, "Pulled", join(&[T("Container image \""), T(&image), T("\" already present on machine")]));
                    } else {
                        self.kubelet_event(&pod, false, "Pulling", join(&[T("Pulling image \""), T(&image), T("\"")]));
                        pull_ms = pull_ms.max(1_500 + self.rng.below(1_500));
                    }
                }
                if pull_ms == 0 {
                    self.after(100, Action::Kubelet(k.clone(), uid.clone(), Step::Start));
                } else {
                    self.after(pull_ms, Action::Kubelet(k.clone(), uid.clone(), Step::Pulled));
                }
            }
            Step::Pulled => {
                let took = self.now.0.saturating_sub(pod.status.start_time.map(|t| t.0).unwrap_or(self.now.0)).saturating_sub(500);
                for i in 0..pod.tmpl.containers.len() {
                    let image = pod.image(i);
                    let fresh = self.images.entry(node.clone()).or_default().insert(image.clone());
                    let always = pod.tmpl.containers.get(i).is_some_and(|c| c.pull_always);
                    if fresh || always {
                        let secs = format!("{}.{:03}s", took / 1000, took % 1000);
                        self.kubelet_event(
                            &pod,
                            false,
                            "Pulled",
                            format!("Successfully pulled image \"{}\" in {} ({} including waiting). Image size: {} bytes.", image, secs, secs, Self::image_size(&image)),
                        );
                    }
                }
                if !pod.terminating() {
                    self.after(100, Action::Kubelet(k.clone(), uid.clone(), Step::Start));
                }
            }
            Step::Start | Step::Restart => {
                if pod.terminating() || pod.status.phase.terminal() {
                    return;
                }
                if step == Step::Restart && !pod.status.containers.first().is_some_and(|c| !matches!(c.state, CState::Running { .. })) {
                    return;
                }
                let mut rc = pod.clone();
                let p = Rc::make_mut(&mut rc);
                if p.status.pod_ip.is_none() {
                    p.status.pod_ip = Some(self.allocate_pod_ip(&node));
                }
                p.status.phase = Phase::Running;
                p.status.ready_to_start = Some(Cond::set(&p.status.ready_to_start, true, now));
                let mut probe_delay: Option<u64> = None;
                let restart = step == Step::Restart;
                for (i, c) in Rc::make_mut(&mut p.status.containers).iter_mut().enumerate() {
                    let info = pod.tmpl.containers.get(i);
                    if restart && i != 0 {
                        continue;
                    }
                    if restart {
                        if let Some(img) = info.map(|c| c.image.clone()) {
                            let _ = img;
                        }
                        c.last = match &c.state {
                            CState::Waiting { .. } => c.last.clone(),
                            other => Some(other.clone()),
                        };
                        c.restarts += 1;
                    }
                    self.container_seq += 1;
                    c.id = Some(self.container_seq.wrapping_mul(0x9e37_79b9_7f4a_7c15) ^ self.rng.next_u64());
                    c.state = CState::Running { since: now };
                    c.started = true;
                    match info.and_then(|i| i.readiness_delay) {
                        Some(d) => {
                            c.ready = false;
                            probe_delay = Some(probe_delay.unwrap_or(0).max(d));
                        }
                        None => c.ready = true,
                    }
                }
                Self::set_conditions_from_containers(p, now);
                let names: Vec<Str> = if restart { p.tmpl.containers.iter().take(1).map(|c| c.name.clone()).collect() } else { p.tmpl.containers.iter().map(|c| c.name.clone()).collect() };
                if restart {
                    let image = p.image(0);
                    self.kubelet_event(p, false, "Pulled", join(&[T("Container image \""), T(&image), T("\" already present on machine")]));
                }
                for n in &names {
                    self.kubelet_event(p, false, "Created", join(&[T("Created container: "), T(n)]));
                    self.kubelet_event(p, false, "Started", join(&[T("Started container "), T(n)]));
                }
                self.write_pod_rc(rc);
                if let Some(d) = probe_delay {
                    let jitter = self.rng.below(1_000);
                    self.after(d.saturating_mul(1000).saturating_add(jitter), Action::Kubelet(k.clone(), uid.clone(), Step::Probe));
                }
                if crashing {
                    self.after(2_000, Action::Kubelet(k.clone(), uid.clone(), Step::Crash));
                }
            }
            Step::Probe => {
                if pod.terminating() || pod.status.phase != Phase::Running {
                    return;
                }
                let mut p = (*pod).clone();
                let mut changed = false;
                for c in Rc::make_mut(&mut p.status.containers).iter_mut() {
                    if matches!(c.state, CState::Running { .. }) && !c.ready {
                        c.ready = true;
                        changed = true;
                    }
                }
                if changed {
                    Self::set_conditions_from_containers(&mut p, now);
                    self.write_pod(p);
                }
            }
            Step::Crash => {
                if pod.terminating() || !crashing {
                    return;
                }
                let Some(CState::Running { since }) = pod.status.containers.first().map(|c| c.state.clone()) else { return };
                let mut p = (*pod).clone();
                let restarts = p.status.containers.first().map(|c| c.restarts).unwrap_or(0);
                if let Some(c) = Rc::make_mut(&mut p.status.containers).first_mut() {
                    c.state = CState::Terminated { exit_code: 1, reason: intern("Error"), started: since, finished: now };
                    c.ready = false;
                    c.started = false;
                }
                Self::set_conditions_from_containers(&mut p, now);
                self.write_pod(p);
                if restarts == 0 {
                    self.after(1_000, Action::Kubelet(k.clone(), uid.clone(), Step::Restart));
                } else {
                    self.after(500, Action::Kubelet(k.clone(), uid.clone(), Step::BackOff));
                }
            }
            Step::BackOff => {
                if pod.terminating() {
                    return;
                }
                let mut p = (*pod).clone();
                let restarts = p.status.containers.first().map(|c| c.restarts).unwrap_or(1).max(1);
                let backoff_s = (10u64 << (restarts - 1).min(5)).min(300);
                let cname = p.tmpl.containers.first().map(|c| c.name.clone()).unwrap_or_else(|| Str::from(""));
                let who = format!("{}_{}({})", p.meta.name, p.meta.namespace, p.meta.uid);
                if let Some(c) = Rc::make_mut(&mut p.status.containers).first_mut() {
                    let prev = c.state.clone();
                    c.last = Some(prev);
                    c.state = CState::Waiting {
                        reason: Str::from("CrashLoopBackOff"),
                        message: Some(Str::from(format!("back-off {} restarting failed container={} pod={}", human_backoff(backoff_s), cname, who).as_str())),
                    };
                }
                self.kubelet_event(&p, true, "BackOff", format!("Back-off restarting failed container {} in pod {}", cname, who));
                self.write_pod(p);
                self.after(backoff_s * 1000, Action::Kubelet(k.clone(), uid.clone(), Step::Restart));
            }
            Step::Kill => {
                let running: Vec<Str> = pod
                    .status
                    .containers
                    .iter()
                    .filter(|c| matches!(c.state, CState::Running { .. }))
                    .map(|c| c.name.clone())
                    .collect();
                for n in &running {
                    self.kubelet_event(&pod, false, "Killing", join(&[T("Stopping container "), T(n)]));
                }
                let grace_ms = pod.meta.deletion_grace.unwrap_or(30).saturating_mul(1000);
                let exit = if running.is_empty() { 100 } else { (500 + self.rng.below(500)).min(grace_ms.max(100)) };
                self.after(exit, Action::Kubelet(k.clone(), uid.clone(), Step::Stopped));
            }
            Step::Stopped => {
                let mut rc = pod.clone();
                let p = Rc::make_mut(&mut rc);
                let started_default = p.status.start_time.unwrap_or(now);
                let pending = p.status.phase == Phase::Pending;
                for c in Rc::make_mut(&mut p.status.containers).iter_mut() {
                    c.ready = false;
                    c.started = false;
                    c.state = match &c.state {
                        CState::Running { since } => CState::Terminated { exit_code: 0, reason: intern("Completed"), started: *since, finished: now },
                        CState::Terminated { .. } => c.state.clone(),
                        CState::Waiting { .. } => match &c.last {
                            Some(t @ CState::Terminated { .. }) => t.clone(),
                            _ => CState::Terminated { exit_code: 137, reason: Str::from("ContainerStatusUnknown"), started: started_default, finished: now },
                        },
                    };
                }
                if !pending {
                    p.status.ready_to_start = Some(Cond::set(&p.status.ready_to_start, false, now));
                }
                Self::set_conditions_from_containers(p, now);
                self.write_pod_rc(rc);
                self.after(100, Action::Kubelet(k.clone(), uid.clone(), Step::Terminal));
            }
            Step::Terminal => {
                let mut rc = pod.clone();
                let p = Rc::make_mut(&mut rc);
                let ok = p.status.containers.iter().all(|c| matches!(c.state, CState::Terminated { exit_code: 0, .. }));
                p.status.phase = if ok { Phase::Succeeded } else { Phase::Failed };
                Self::set_conditions_from_containers(p, now);
                self.write_pod_rc(rc);
                self.after(100, Action::Kubelet(k.clone(), uid.clone(), Step::Remove));
            }
            Step::Remove => {
                if pod.terminating() {
                    self.remove_pod(k);
                }
            }
            Step::Resync => {
                if pod.terminating() {
                    self.after(100, Action::Kubelet(k.clone(), uid.clone(), Step::Kill));
                } else if pod.status.phase == Phase::Pending {
                    self.after(100, Action::Kubelet(k.clone(), uid.clone(), Step::Setup));
                } else if pod.status.phase == Phase::Running {
                    let mut p = (*pod).clone();
                    for (i, c) in Rc::make_mut(&mut p.status.containers).iter_mut().enumerate() {
                        if matches!(c.state, CState::Running { .. }) && pod.tmpl.containers.get(i).is_some_and(|ci| ci.readiness_delay.is_none()) {
                            c.ready = true;
                        }
                    }
                    Self::set_conditions_from_containers(&mut p, now);
                    self.write_pod(p);
                    self.after(1_000, Action::Kubelet(k.clone(), uid.clone(), Step::Probe));
                }
            }
        }
    }

    /// The kubelet noticed a deletion timestamp.
    pub(super) fn kubelet_pod_deleted(&mut self, pod: &Rc<Pod>) {
        if let Some(node) = &pod.node {
            if self.node_reachable(node) {
                self.after(100, Action::Kubelet(pod.meta.key(), pod.meta.uid.clone(), Step::Kill));
            }
        }
    }

    fn pods_on(&self, node: &str) -> Vec<Rc<Pod>> {
        self.store.pods.sorted_where(|p| p.node.as_deref() == Some(node)).into_iter().cloned().collect()
    }

    pub(super) fn node_lost(&mut self, node: &str) {
        if self.node_reachable(node) {
            return;
        }
        let Some(n) = self.store.nodes.named("", node).cloned() else { return };
        if !n.ready {
            return;
        }
        let mut nn = (*n).clone();
        nn.ready = false;
        nn.ready_since = self.now;
        for effect in ["NoSchedule", "NoExecute"] {
            nn.taints.push(("node.kubernetes.io/unreachable".into(), effect.into(), self.now));
        }
        let rc = self.put(nn);
        self.event(Kind::Node, &rc.meta, false, "NodeNotReady", format!("Node {} status is now: NodeNotReady", node), "node-controller", None);
        for pod in self.pods_on(node) {
            if pod.status.phase.terminal() || !pod.is_ready() {
                continue;
            }
            let mut p = (*pod).clone();
            let mut c = Cond::new(false, self.now);
            c.reason = None;
            p.status.ready = Some(c);
            self.event(Kind::Pod, &p.meta, true, "NodeNotReady", "Node is not ready".into(), "node-controller", None);
            self.write_pod(p);
        }
        self.after(EVICTION_MS, Action::Evict(Str::from(node)));
    }

    pub(super) fn evict_node_pods(&mut self, node: &str) {
        if self.node_reachable(node) {
            return;
        }
        for pod in self.pods_on(node) {
            if pod.terminating() {
                continue;
            }
            self.event(
                Kind::Pod,
                &pod.meta,
                false,
                "TaintManagerEviction",
                format!("Marking for deletion Pod {}/{}", pod.meta.namespace, pod.meta.name),
                "taint-eviction-controller",
                None,
            );
            let _ = self.delete_pod_quiet(&pod.meta.key(), DeleteOptions::default());
        }
    }

    /// The pod's command finished (`kubectl run ... -- CMD` once CMD has exited): with
    /// restartPolicy Never, or OnFailure and exit code 0, every container ends Terminated
    /// (Completed or Error) and the pod Succeeded or Failed. Pods that restart are left alone.
    pub fn container_exited(&mut self, namespace: &str, name: &str, exit_code: i32) -> Result<(), ApiError> {
        let k = key(namespace, name);
        let pod = self.store.pods.get(&k).cloned().ok_or_else(|| ApiError::not_found(Kind::Pod, name))?;
        let policy = pod.tmpl.spec.get("restartPolicy").and_then(serde_json::Value::as_str).unwrap_or("Always");
        let stays_down = policy == "Never" || (policy == "OnFailure" && exit_code == 0);
        if !stays_down || pod.status.phase.terminal() || pod.status.phase != Phase::Running {
            return Ok(());
        }
        let now = self.now;
        let mut p = (*pod).clone();
        let reason = if exit_code == 0 { "Completed" } else { "Error" };
        for c in Rc::make_mut(&mut p.status.containers).iter_mut() {
            let started = match &c.state {
                CState::Running { since } => *since,
                _ => now,
            };
            c.state = CState::Terminated { exit_code, reason: intern(reason), started, finished: now };
            c.ready = false;
            c.started = false;
        }
        p.status.phase = if exit_code == 0 { Phase::Succeeded } else { Phase::Failed };
        p.status.ready_to_start = Some(Cond::set(&p.status.ready_to_start, false, now));
        Self::set_conditions_from_containers(&mut p, now);
        self.write_pod(p);
        self.drain();
        Ok(())
    }

    pub(super) fn inject_fault(&mut self, fault: Fault) -> Result<(), ApiError> {
        match fault {
            Fault::CrashPod { namespace, name } => {
                let k = key(&namespace, &name);
                let pod = self.store.pods.get(&k).cloned().ok_or_else(|| ApiError::not_found(Kind::Pod, &name))?;
                if self.crashing.insert(pod.meta.uid.clone()) {
                    let running = pod.status.containers.first().is_some_and(|c| matches!(c.state, CState::Running { .. }));
                    if running {
                        self.after(100, Action::Kubelet(k, pod.meta.uid.clone(), Step::Crash));
                    }
                }
                Ok(())
            }
            Fault::FailPod { namespace, name } => {
                let k = key(&namespace, &name);
                let pod = self.store.pods.get(&k).cloned().ok_or_else(|| ApiError::not_found(Kind::Pod, &name))?;
                if pod.status.phase.terminal() {
                    return Ok(());
                }
                let now = self.now;
                let mut p = (*pod).clone();
                p.status.phase = Phase::Failed;
                p.status.reason = Some(Str::from("Evicted"));
                p.status.message = Some(Str::from("The node was low on resource: memory. Threshold quantity: 100Mi, available: 91340Ki. "));
                for c in Rc::make_mut(&mut p.status.containers).iter_mut() {
                    let started = match &c.state {
                        CState::Running { since } => *since,
                        _ => now,
                    };
                    c.state = CState::Terminated { exit_code: 137, reason: intern("Error"), started, finished: now };
                    c.ready = false;
                    c.started = false;
                }
                p.status.ready_to_start = Some(Cond::set(&p.status.ready_to_start, false, now));
                Self::set_conditions_from_containers(&mut p, now);
                let msg = p.status.message.as_deref().unwrap_or("").to_string();
                // The eviction manager marks the pod as a disruption target (1.26+). STATUS
                // then shows the killed container's reason (printPod lets a terminated
                // container's reason win over the pod's `Evicted`; kubernetes#105467), so a
                // 1.34 `get pods` shows Error here, not Evicted.
                p.status.disruption = Some(Cond { status: true, since: now, reason: Some(Str::from("TerminationByKubelet")), message: Some(Str::from(msg.as_str())) });
                self.kubelet_event(&p, true, "Evicted", msg);
                self.write_pod(p);
                Ok(())
            }
            Fault::NodeDown { name } => {
                if !self.store.nodes.has("", &name) {
                    return Err(ApiError::not_found(Kind::Node, &name));
                }
                if self.down_nodes.insert(Str::from(name.as_str())) {
                    self.after(NODE_MONITOR_GRACE_MS, Action::NodeLost(Str::from(name.as_str())));
                }
                Ok(())
            }
            Fault::NodeUp { name } => {
                let Some(n) = self.store.nodes.named("", &name).cloned() else { return Err(ApiError::not_found(Kind::Node, &name)) };
                if !self.down_nodes.remove(name.as_str()) {
                    return Ok(());
                }
                if !n.ready {
                    let mut nn = (*n).clone();
                    nn.ready = true;
                    nn.ready_since = self.now;
                    nn.taints.retain(|(k, _, _)| k != "node.kubernetes.io/unreachable");
                    let rc = self.put(nn);
                    self.event(Kind::Node, &rc.meta, false, "NodeReady", format!("Node {} status is now: NodeReady", name), "kubelet", Some(rc.meta.name.clone()));
                }
                for pod in self.pods_on(&name) {
                    self.after(500, Action::Kubelet(pod.meta.key(), pod.meta.uid.clone(), Step::Resync));
                }
                self.enqueue(Work::RetryScheduling);
                Ok(())
            }
        }
    }

    pub(super) fn cordon(&mut self, node: &str, unschedulable: bool) -> Result<bool, ApiError> {
        let Some(n) = self.store.nodes.named("", node).cloned() else { return Err(ApiError::not_found(Kind::Node, node)) };
        if n.unschedulable == unschedulable {
            return Ok(false);
        }
        let mut nn = (*n).clone();
        nn.unschedulable = unschedulable;
        nn.taints.retain(|(k, _, _)| k != "node.kubernetes.io/unschedulable");
        if unschedulable {
            nn.taints.push(("node.kubernetes.io/unschedulable".into(), "NoSchedule".into(), self.now));
        }
        self.put(nn);
        if !unschedulable {
            self.enqueue(Work::RetryScheduling);
        }
        Ok(true)
    }

    /// The fixed parts of a fresh cluster: namespaces, nodes, the default StorageClass and
    /// the `kubernetes` Service.
    pub(super) fn bootstrap(&mut self) {
        for ns in ["default", "kube-node-lease", "kube-public", "kube-system"] {
            let _ = self.write(serde_json::json!({"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": ns}}), api::Mode::Create);
        }
        let names = self.config.nodes.clone();
        for (i, name) in names.iter().enumerate() {
            let mut meta = self.new_meta("", name);
            meta.labels.insert("kubernetes.io/hostname", name.clone());
            meta.labels.insert("kubernetes.io/os", "linux");
            meta.labels.insert("kubernetes.io/arch", "amd64");
            let node = Node { meta, index: i, unschedulable: false, ready: true, ready_since: self.now, taints: Vec::new(), ip: Str::from(format!("172.18.0.{}", i + 3)) };
            self.put(node);
        }
        if self.config.default_storage_class {
            let _ = self.write(
                serde_json::json!({
                    "apiVersion": "storage.k8s.io/v1", "kind": "StorageClass",
                    "metadata": {"name": "standard", "annotations": {"storageclass.kubernetes.io/is-default-class": "true"}},
                    "provisioner": "k8s.io/minikube-hostpath", "reclaimPolicy": "Delete", "volumeBindingMode": "Immediate"
                }),
                api::Mode::Create,
            );
        }
        let _ = self.write(
            serde_json::json!({
                "apiVersion": "v1", "kind": "Service",
                "metadata": {"name": "kubernetes", "namespace": "default", "labels": {"component": "apiserver", "provider": "kubernetes"}},
                "spec": {"clusterIP": "10.96.0.1", "ports": [{"name": "https", "port": 443, "protocol": "TCP", "targetPort": 6443}]}
            }),
            api::Mode::Create,
        );
        self.drain();
    }
}

fn human_backoff(s: u64) -> String {
    if s >= 60 {
        if s.is_multiple_of(60) {
            format!("{}m0s", s / 60)
        } else {
            format!("{}m{}s", s / 60, s % 60)
        }
    } else {
        format!("{}s", s)
    }
}

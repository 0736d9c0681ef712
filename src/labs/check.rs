//! Evaluating a lab's checks against the live cluster: API objects read through the engine's
//! query contract, plus the pod changes seen since the lab began (for order and recreation).

use super::format::*;
use crate::engine::{DnsAnswer, Engine, Kind, WatchEvent, WatchEventType};
use serde_json::Value;

const NAMESPACE: &str = "default";

/// A pod lifecycle step, as the lab vocabulary names it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PodEvent {
    Created,
    Running,
    Ready,
    Terminating,
    Deleted,
}

impl PodEvent {
    fn parse(word: &str) -> Option<PodEvent> {
        Some(match word {
            "created" => PodEvent::Created,
            "running" => PodEvent::Running,
            "ready" => PodEvent::Ready,
            "terminating" => PodEvent::Terminating,
            "deleted" => PodEvent::Deleted,
            _ => return None,
        })
    }
}

/// What happened to pods since the lab began, distilled from watch events.
#[derive(Debug, Clone, Default)]
pub struct History {
    events: Vec<(String, PodEvent)>,
    /// What is known per pod name, in a list: a lab has a few pods, and each B-tree map type
    /// (key and value) compiles its own code into the download.
    pods: Vec<(String, Seen)>,
}

#[derive(Debug, Clone, Default)]
struct Seen {
    /// The UID the name had when the lab first saw it, and when (how many names were known
    /// before it), so a rewind can forget names first seen later.
    first: Option<(String, usize)>,
    /// Last known (running, ready, terminating) while the pod exists, to turn updates into steps.
    state: Option<(bool, bool, bool)>,
}

/// How far a [`History`] had got: a rewind to this point forgets what came after.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Mark {
    events: usize,
    names: usize,
}

impl History {
    /// Starts a history from the pods that exist now (they count as already there, not created).
    pub fn new(engine: &Engine) -> History {
        let mut history = History::default();
        for pod in engine.list(Kind::Pod, Some(NAMESPACE)) {
            let seen = history.names();
            if let Some(entry) = entry(&mut history.pods, str_at(&pod, "/metadata/name")) {
                entry.first = Some((str_at(&pod, "/metadata/uid").to_string(), seen));
                entry.state = Some(pod_state(&pod));
            }
        }
        history
    }

    pub fn record(&mut self, event: &WatchEvent) {
        // The vocabulary names pods in `default`; a namesake elsewhere must not count.
        if event.kind != Kind::Pod || str_at(&event.object, "/metadata/namespace") != NAMESPACE {
            return;
        }
        let name = str_at(&event.object, "/metadata/name").to_string();
        let seen = self.names();
        let Some(entry) = entry(&mut self.pods, &name) else { return };
        entry.first.get_or_insert_with(|| (str_at(&event.object, "/metadata/uid").to_string(), seen));
        if event.event_type == WatchEventType::Deleted {
            self.events.push((name, PodEvent::Deleted));
            entry.state = None;
            return;
        }
        let now = pod_state(&event.object);
        let before = match event.event_type {
            WatchEventType::Added => {
                self.events.push((name.clone(), PodEvent::Created));
                (false, false, false)
            }
            _ => entry.state.unwrap_or_default(),
        };
        for (was, is, step) in [
            (before.0, now.0, PodEvent::Running),
            (before.1, now.1, PodEvent::Ready),
            (before.2, now.2, PodEvent::Terminating),
        ] {
            if is && !was {
                self.events.push((name.clone(), step));
            }
        }
        entry.state = Some(now);
    }

    /// How many pod names it has seen.
    fn names(&self) -> usize {
        self.pods.iter().filter(|(_, s)| s.first.is_some()).count()
    }


    /// How many pod changes it has recorded.
    pub fn len(&self) -> usize {
        self.events.len()
    }

    pub fn is_empty(&self) -> bool {
        self.events.is_empty()
    }

    /// Where the history stands now.
    pub fn mark(&self) -> Mark {
        Mark { events: self.events.len(), names: self.names() }
    }

    /// Goes back to `mark`, with `engine` the cluster as it was then (a rewound session): what
    /// came later is forgotten, and each pod's last known state is read from that cluster.
    pub fn rewind(&mut self, mark: Mark, engine: &Engine) {
        self.events.truncate(mark.events);
        for (_, s) in &mut self.pods {
            s.first = s.first.take().filter(|(_, seen)| *seen < mark.names);
            s.state = None;
        }
        for pod in engine.list(Kind::Pod, Some(NAMESPACE)) {
            if let Some(entry) = entry(&mut self.pods, str_at(&pod, "/metadata/name")) {
                entry.state = Some(pod_state(&pod));
            }
        }
        self.pods.retain(|(_, s)| s.first.is_some() || s.state.is_some());
    }

    fn position(&self, pod: &str, event: PodEvent, after: usize) -> Option<usize> {
        self.events.iter().skip(after).position(|(p, e)| p == pod && *e == event).map(|i| i + after)
    }
}

/// Whether a check holds now.
pub fn evaluate(check: &Check, engine: &Engine, history: &History) -> bool {
    match &check.condition {
        Condition::Pod(c) => pod_holds(c, engine, history),
        Condition::Claim(c) => match engine.get(Kind::PersistentVolumeClaim, NAMESPACE, &c.name) {
            Ok(claim) => {
                c.exists != Some(false) && c.phase.as_deref().is_none_or(|p| str_at(&claim, "/status/phase") == p)
            }
            Err(_) => c.exists == Some(false),
        },
        Condition::Statefulset(c) => set_holds(c, engine),
        Condition::Pods(c) => {
            let pods: Vec<Value> = engine
                .list(Kind::Pod, Some(NAMESPACE))
                .into_iter()
                .filter(|p| selector_matches(&c.selector, p) && p.pointer("/metadata/deletionTimestamp").is_none())
                .collect();
            c.count.is_none_or(|n| pods.len() == n)
                && c.ready.is_none_or(|n| pods.iter().filter(|p| is_ready(p)).count() == n)
                && c.image.as_deref().is_none_or(|image| pods.iter().all(|p| str_at(p, "/spec/containers/0/image") == image))
        }
        Condition::File(c) => match engine.read_file(NAMESPACE, &c.pod, &c.path) {
            Ok(text) => {
                c.contains.as_deref().is_none_or(|s| text.contains(s))
                    && c.equals.as_deref().is_none_or(|s| text.trim_end_matches('\n') == s)
            }
            Err(_) => false,
        },
        Condition::Dns(c) => match engine.resolve(&c.name, NAMESPACE) {
            DnsAnswer::Addresses { ips, .. } => {
                c.resolves != Some(false) && c.addresses.is_none_or(|n| ips.len() == n)
            }
            DnsAnswer::NxDomain => c.resolves == Some(false),
        },
        Condition::Sequence(steps) => sequence_holds(steps, history),
        Condition::Object(c) => {
            let exists = Kind::from_name(&c.kind).is_some_and(|kind| {
                let namespace = if kind.namespaced() { NAMESPACE } else { "" };
                engine.get(kind, namespace, &c.name).is_ok()
            });
            exists == c.exists.unwrap_or(true)
        }
    }
}

fn pod_holds(c: &PodCondition, engine: &Engine, history: &History) -> bool {
    let Ok(pod) = engine.get(Kind::Pod, NAMESPACE, &c.name) else {
        return c.exists == Some(false);
    };
    let claims = || {
        pod.pointer("/spec/volumes")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .filter_map(|v| v.pointer("/persistentVolumeClaim/claimName").and_then(Value::as_str))
            .map(str::to_string)
            .collect::<Vec<_>>()
    };
    let recreated = || {
        history.pods.iter().find(|(n, _)| *n == c.name).and_then(|(_, s)| s.first.as_ref()).is_some_and(|(uid, _)| uid != str_at(&pod, "/metadata/uid"))
    };
    c.exists != Some(false)
        && c.phase.as_deref().is_none_or(|p| str_at(&pod, "/status/phase") == p)
        && c.ready.is_none_or(|r| is_ready(&pod) == r)
        && c.image.as_deref().is_none_or(|i| str_at(&pod, "/spec/containers/0/image") == i)
        && c.claim.as_deref().is_none_or(|claim| claims().iter().any(|x| x == claim))
        && c.recreated.is_none_or(|r| recreated() == r)
}

fn set_holds(c: &SetCondition, engine: &Engine) -> bool {
    let Ok(set) = engine.get(Kind::StatefulSet, NAMESPACE, &c.name) else {
        return c.exists == Some(false);
    };
    let int = |path: &str| set.pointer(path).and_then(Value::as_i64).unwrap_or(0);
    let rolled_out = || {
        let current = str_at(&set, "/status/currentRevision");
        !current.is_empty()
            && current == str_at(&set, "/status/updateRevision")
            && int("/status/updatedReplicas") == int("/spec/replicas")
    };
    let revisions = || {
        let uid = str_at(&set, "/metadata/uid");
        engine
            .list(Kind::ControllerRevision, Some(NAMESPACE))
            .iter()
            .filter(|r| {
                r.pointer("/metadata/ownerReferences")
                    .and_then(Value::as_array)
                    .is_some_and(|refs| refs.iter().any(|o| str_at(o, "/uid") == uid))
            })
            .count()
    };
    c.exists != Some(false)
        && c.replicas.is_none_or(|n| int("/spec/replicas") == n)
        && c.ready_replicas.is_none_or(|n| int("/status/readyReplicas") == n)
        && c.partition.is_none_or(|n| int("/spec/updateStrategy/rollingUpdate/partition") == n)
        && c.update_strategy.as_deref().is_none_or(|t| str_at(&set, "/spec/updateStrategy/type") == t)
        && c.rolled_out.is_none_or(|r| rolled_out() == r)
        && c.revisions.is_none_or(|n| revisions() == n)
}

fn sequence_holds(steps: &[String], history: &History) -> bool {
    let mut after = 0;
    for step in steps {
        let mut words = step.split_whitespace();
        let (Some(pod), Some(event), None) = (words.next(), words.next().and_then(PodEvent::parse), words.next()) else {
            return false;
        };
        match history.position(pod, event, after) {
            Some(at) => after = at + 1,
            None => return false,
        }
    }
    true
}

/// `app=nginx,tier!=db` equality-based selectors, the form labs need.
fn selector_matches(selector: &str, object: &Value) -> bool {
    let labels = object.pointer("/metadata/labels");
    selector.split(',').map(str::trim).filter(|s| !s.is_empty()).all(|term| {
        let (key, want, equal) = match term.split_once("!=") {
            Some((k, v)) => (k, v, false),
            None => match term.split_once('=') {
                Some((k, v)) => (k, v.trim_start_matches('='), true),
                None => return labels.and_then(|l| l.get(term)).is_some(),
            },
        };
        let have = labels.and_then(|l| l.get(key.trim())).and_then(Value::as_str);
        (have == Some(want.trim())) == equal
    })
}

fn pod_state(pod: &Value) -> (bool, bool, bool) {
    (
        str_at(pod, "/status/phase") == "Running",
        is_ready(pod),
        pod.pointer("/metadata/deletionTimestamp").is_some(),
    )
}

fn is_ready(pod: &Value) -> bool {
    pod.pointer("/status/conditions")
        .and_then(Value::as_array)
        .is_some_and(|cs| cs.iter().any(|c| str_at(c, "/type") == "Ready" && str_at(c, "/status") == "True"))
}

fn str_at<'a>(value: &'a Value, pointer: &str) -> &'a str {
    value.pointer(pointer).and_then(Value::as_str).unwrap_or("")
}

/// What is known of the pod `name`, added if new (`None` only if the list changed under us,
/// which it cannot: the caller holds it mutably).
fn entry<'a>(pods: &'a mut Vec<(String, Seen)>, name: &str) -> Option<&'a mut Seen> {
    let found = match pods.iter().position(|(n, _)| n == name) {
        Some(i) => pods.get_mut(i),
        None => {
            pods.push((name.to_string(), Seen::default()));
            pods.last_mut()
        }
    };
    found.map(|(_, seen)| seen)
}

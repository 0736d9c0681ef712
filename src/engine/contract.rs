//! The engine's public vocabulary: kinds, time, errors, inputs and outputs.
//! (Placeholder bodies are replaced by the engine implementation.)

use serde_json::Value;
use std::fmt;

/// The session's wall-clock epoch in Unix milliseconds: virtual time 0 is
/// 2026-01-01T00:00:00Z. Every timestamp the engine writes, and every AGE kubectl prints,
/// counts from here. Must be a whole number of days (the engine formats dates by day).
pub const EPOCH_UNIX_MS: i64 = 1_767_225_600_000;

/// The API server's `spec: Forbidden` detail when a StatefulSet update touches an immutable
/// field (ValidateStatefulSetUpdate). `revisionHistoryLimit` became mutable in 2025
/// (kubernetes/kubernetes#130263); older servers omit it from this list and reject the change.
pub const STS_UPDATE_FORBIDDEN: &str = "updates to statefulset spec for fields other than 'replicas', 'ordinals', 'template', 'updateStrategy', 'revisionHistoryLimit', 'persistentVolumeClaimRetentionPolicy' and 'minReadySeconds' are forbidden";

/// Virtual time: milliseconds since the session began.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Time(pub u64);

impl Time {
    pub const fn from_secs(s: u64) -> Time {
        Time(s * 1000)
    }
    pub fn as_secs_f64(self) -> f64 {
        self.0 as f64 / 1000.0
    }
}

/// The resource kinds the simulated API server knows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Kind {
    Namespace,
    Node,
    Pod,
    Service,
    Endpoints,
    PersistentVolumeClaim,
    PersistentVolume,
    StorageClass,
    StatefulSet,
    ControllerRevision,
    Deployment,
    ReplicaSet,
    Event,
    ConfigMap,
    PodDisruptionBudget,
    EndpointSlice,
    ServiceAccount,
}

impl Kind {
    pub const ALL: [Kind; 17] = [
        Kind::Namespace,
        Kind::Node,
        Kind::Pod,
        Kind::Service,
        Kind::Endpoints,
        Kind::PersistentVolumeClaim,
        Kind::PersistentVolume,
        Kind::StorageClass,
        Kind::StatefulSet,
        Kind::ControllerRevision,
        Kind::Deployment,
        Kind::ReplicaSet,
        Kind::Event,
        Kind::ConfigMap,
        Kind::PodDisruptionBudget,
        Kind::EndpointSlice,
        Kind::ServiceAccount,
    ];

    /// `kind` as written in manifests.
    pub fn name(self) -> &'static str {
        match self {
            Kind::Namespace => "Namespace",
            Kind::Node => "Node",
            Kind::Pod => "Pod",
            Kind::Service => "Service",
            Kind::Endpoints => "Endpoints",
            Kind::PersistentVolumeClaim => "PersistentVolumeClaim",
            Kind::PersistentVolume => "PersistentVolume",
            Kind::StorageClass => "StorageClass",
            Kind::StatefulSet => "StatefulSet",
            Kind::ControllerRevision => "ControllerRevision",
            Kind::Deployment => "Deployment",
            Kind::ReplicaSet => "ReplicaSet",
            Kind::Event => "Event",
            Kind::ConfigMap => "ConfigMap",
            Kind::PodDisruptionBudget => "PodDisruptionBudget",
            Kind::EndpointSlice => "EndpointSlice",
            Kind::ServiceAccount => "ServiceAccount",
        }
    }

    pub fn from_name(kind: &str) -> Option<Kind> {
        Kind::ALL.into_iter().find(|k| k.name() == kind)
    }

    /// API group ("" for the core group).
    pub fn group(self) -> &'static str {
        match self {
            Kind::StatefulSet | Kind::ControllerRevision | Kind::Deployment | Kind::ReplicaSet => "apps",
            Kind::StorageClass => "storage.k8s.io",
            Kind::PodDisruptionBudget => "policy",
            Kind::EndpointSlice => "discovery.k8s.io",
            _ => "",
        }
    }

    pub fn api_version(self) -> &'static str {
        match self.group() {
            "" => "v1",
            "apps" => "apps/v1",
            "storage.k8s.io" => "storage.k8s.io/v1",
            "discovery.k8s.io" => "discovery.k8s.io/v1",
            _ => "policy/v1",
        }
    }

    /// Lower-case plural resource name (`statefulsets`).
    pub fn plural(self) -> &'static str {
        match self {
            Kind::Namespace => "namespaces",
            Kind::Node => "nodes",
            Kind::Pod => "pods",
            Kind::Service => "services",
            Kind::Endpoints => "endpoints",
            Kind::PersistentVolumeClaim => "persistentvolumeclaims",
            Kind::PersistentVolume => "persistentvolumes",
            Kind::StorageClass => "storageclasses",
            Kind::StatefulSet => "statefulsets",
            Kind::ControllerRevision => "controllerrevisions",
            Kind::Deployment => "deployments",
            Kind::ReplicaSet => "replicasets",
            Kind::Event => "events",
            Kind::ConfigMap => "configmaps",
            Kind::PodDisruptionBudget => "poddisruptionbudgets",
            Kind::EndpointSlice => "endpointslices",
            Kind::ServiceAccount => "serviceaccounts",
        }
    }

    /// `plural.group` as the API server names a resource in errors (`statefulsets.apps`).
    pub fn qualified_plural(self) -> String {
        match self.group() {
            "" => self.plural().to_string(),
            g => format!("{}.{}", self.plural(), g),
        }
    }

    pub fn namespaced(self) -> bool {
        !matches!(self, Kind::Namespace | Kind::Node | Kind::PersistentVolume | Kind::StorageClass)
    }
}

/// An error as the API server reports it. kubectl decides how to print it
/// (`Error from server (NotFound): statefulsets.apps "foo" not found`, or for `Invalid`
/// `The StatefulSet "web" is invalid: ...`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApiError {
    /// `NotFound`, `AlreadyExists`, `Invalid`, `Forbidden`, `Conflict`, `BadRequest`, ...
    pub reason: &'static str,
    /// HTTP status code (404, 409, 422, ...).
    pub code: u16,
    /// The server's message, e.g. `statefulsets.apps "foo" not found`.
    pub message: String,
}

impl ApiError {
    pub fn not_found(kind: Kind, name: &str) -> ApiError {
        ApiError { reason: "NotFound", code: 404, message: format!("{} \"{}\" not found", kind.qualified_plural(), name) }
    }
    pub fn already_exists(kind: Kind, name: &str) -> ApiError {
        ApiError { reason: "AlreadyExists", code: 409, message: format!("{} \"{}\" already exists", kind.qualified_plural(), name) }
    }
    pub fn bad_request(message: impl Into<String>) -> ApiError {
        ApiError { reason: "BadRequest", code: 400, message: message.into() }
    }
}

impl fmt::Display for ApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Error from server ({}): {}", self.reason, self.message)
    }
}

impl std::error::Error for ApiError {}

/// How a delete cascades to dependents (`kubectl delete --cascade=...`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Propagation {
    #[default]
    Background,
    Foreground,
    Orphan,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct DeleteOptions {
    /// `--grace-period`; `None` uses the object's own (pods: terminationGracePeriodSeconds).
    pub grace_period_seconds: Option<u64>,
    pub propagation: Propagation,
}

/// What `apply` did to one object, as kubectl words it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ApplyOutcome {
    Created,
    Configured,
    Unchanged,
}

/// Faults and simulation controls that kubectl lacks.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Fault {
    /// The container exits non-zero: Error, then CrashLoopBackOff with back-off restarts.
    CrashPod { namespace: String, name: String },
    /// The pod ends in phase Failed (as if evicted or its node rejected it).
    FailPod { namespace: String, name: String },
    /// The node stops reporting: NotReady, its pods become Unknown and are not replaced.
    NodeDown { name: String },
    NodeUp { name: String },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WatchEventType {
    Added,
    Modified,
    Deleted,
}

/// One change to one object, with the object as it was right after the change.
#[derive(Debug, Clone, PartialEq)]
pub struct WatchEvent {
    pub time: Time,
    pub event_type: WatchEventType,
    pub kind: Kind,
    pub object: Value,
}

/// A controller decision and its reason, in words a student understands.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Decision {
    pub time: Time,
    /// `namespace/name` of the StatefulSet (or other controller object) that decided; one string
    /// shared by all its decisions.
    pub owner: std::rc::Rc<str>,
    pub text: String,
}

/// What a DNS query answered, from the simulated cluster DNS.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DnsAnswer {
    /// The fully-qualified name that answered and its addresses.
    Addresses { fqdn: String, ips: Vec<String> },
    NxDomain,
}

/// Session-wide settings; the same config and the same inputs replay exactly.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Config {
    pub seed: u64,
    /// Worker nodes of the simulated cluster.
    pub nodes: Vec<String>,
    /// Whether a default StorageClass with a dynamic provisioner exists.
    pub default_storage_class: bool,
    /// The `MaxUnavailableStatefulSet` feature gate (off in the 1.34 baseline).
    pub max_unavailable_gate: bool,
}

impl Default for Config {
    fn default() -> Config {
        Config {
            seed: 1,
            nodes: vec!["node-1".into(), "node-2".into(), "node-3".into()],
            default_storage_class: true,
            max_unavailable_gate: false,
        }
    }
}

/// One SRV answer (`_web._tcp.nginx.default.svc.cluster.local`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SrvRecord {
    pub priority: u16,
    pub weight: u32,
    pub port: i64,
    /// `web-0.nginx.default.svc.cluster.local.`
    pub target: String,
}

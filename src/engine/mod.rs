//! The simulated cluster: an API server's store, the StatefulSet controller and the other
//! controllers it relies on (kubelet, scheduler, volume provisioning, endpoints/DNS, garbage
//! collection, Deployment/ReplicaSet), driven as a deterministic, sans-IO state machine.
//!
//! Nothing here reads a clock, draws global randomness or knows about a screen: virtual time
//! and a seed come in as inputs, so the same inputs always give byte-identical results.
//!
//! # Contract (used by `kubectl`, `ui` and `labs`)
//! * Objects cross this boundary as Kubernetes API JSON (`serde_json::Value`), exactly as the
//!   real API server would return them (`apiVersion`, `kind`, `metadata`, `spec`, `status`).
//!   Objects coming in have already been admitted (defaulted and validated) by `manifest::admit`.
//! * Time is virtual milliseconds since the session began ([`Time`]). It moves only through
//!   [`Engine::advance_to`], [`Engine::step`] and [`Engine::settle`].
//! * Every impossible request returns an [`ApiError`] carrying the API server's reason and
//!   message; nothing panics.
//!
//! # Layout
//! `cluster` (facade, event loop), `api` (write path, informer reactions), `store`,
//! `objects`/`meta`/`defaults` (typed objects and their JSON), `statefulset/*` (the controller),
//! `kubelet`, `scheduler`, `volumes`, `endpoints`, `endpointslice`, `dns`, `proxy` (where a connection to a Service or pod IP lands), `gc`, `deployment`, `disruption`, `namespaces` (the root-CA
//! publisher, deleting a namespace's content)
//! (PodDisruptionBudgets, eviction), `timeline`
//! (time travel), `invariants` (checks run by the tests), `rng`, `applog`, `keymap` (hashed
//! maps that list in key order).

mod api;
mod applog;
mod cluster;
mod contract;
mod defaults;
mod deployment;
mod disruption;
mod dns;
mod endpoints;
mod endpointslice;
mod gc;
pub mod invariants;
mod keymap;
mod kubelet;
mod meta;
mod namespaces;
mod objects;
mod proxy;
mod rng;
mod scheduler;
mod statefulset;
mod store;
mod timeline;
mod volumes;

pub use cluster::{Engine, MAX_SIMULATED_REPLICAS};
pub use proxy::Route;
pub use contract::*;
pub use deployment::CONTROLLER_ANNOTATIONS;
pub use disruption::EVICTION_REFUSED;
pub use objects::{EventRecord, Reason};
pub use timeline::{Input, InputResult, Timeline};
pub use volumes::normalize as normalize_container_path;

//! StatefulSet Lab: a deterministic simulation of the Kubernetes StatefulSet controller.
pub mod engine;
#[cfg(not(target_arch = "wasm32"))]
pub mod heap;
pub mod kubectl;
pub mod labs;
pub mod manifest;
pub mod session;
pub mod sort;
#[cfg(target_arch = "wasm32")]
pub mod ui;

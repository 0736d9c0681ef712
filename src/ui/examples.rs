//! The example manifests one click away in the editor (`examples/*.yaml`, titled in both
//! languages); the list lives with the manifests.

pub use crate::manifest::examples::EXAMPLES;

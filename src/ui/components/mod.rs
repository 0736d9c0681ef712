//! The screen's components. Each takes plain props and callbacks; none holds the session.

pub mod actions;
pub mod cluster;
pub mod compare;
pub mod console;
pub mod editor;
pub mod events;
pub mod highlight;
pub mod labs;
pub mod status;
pub mod time;
pub mod why;

//! The app's root component: the whole student's screen (src/ui/screen.rs). It opens on a
//! shared link's session, else the work saved in this browser, else the lecture's example.
//!
//! The `data-testid`s are the contract with tests/ui_*.rs and tests/e2e/: keep them stable.

pub use super::screen::Screen as App;

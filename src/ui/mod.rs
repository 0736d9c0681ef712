//! The browser front end (wasm32 only): the student's screen. Data flows one way: the editor's
//! text and the buttons become kubectl command lines (`state`, `sim`, `runner`), the interpreter
//! and engine run them, and `model` reads the cluster back for the components to show.

mod app;
pub mod components;
pub mod examples;
pub mod hooks;
pub mod i18n;
pub mod lab;
pub mod model;
mod panic;
pub mod runner;
pub mod screen;
pub mod sim;
pub mod state;

pub use app::App;

/// Mounts the app on the page's `<body>`; the web app's `main` calls it once.
pub fn start() {
    // First, so that any later panic shows the recoverable error screen with the user's YAML.
    panic::install();
    yew::Renderer::<App>::new().render();
}

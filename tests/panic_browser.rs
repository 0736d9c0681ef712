//! The panic hook (src/ui/panic.rs) in a real browser: a panic on purpose, and the error screen
//! that keeps the student's YAML, saves it and offers to reload with it. Run by scripts/test.sh
//! in headless Chromium (wasm-bindgen-test); native `cargo test` compiles this file to nothing.
//!
//! The hook is compiled in by path (it is private to src/ui), so this test does not depend on how
//! the rest of src/ui is wired; the session format is the library's own (src/session).
#![cfg(target_arch = "wasm32")]

use std::time::Duration;

use wasm_bindgen::closure::Closure;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;
use web_sys::HtmlTextAreaElement;

wasm_bindgen_test_configure!(run_in_browser);

// panic.rs names `crate::session`; here that is the library's session format.
use statefulset_lab::session::{self, share, Command};

#[allow(dead_code)]
#[path = "../src/ui/panic.rs"]
mod panic;

async fn sleep(ms: u64) {
    yew::platform::time::sleep(Duration::from_millis(ms)).await;
}

const YAML: &str = "apiVersion: v1\nkind: Service\nmetadata:\n  name: my-own-work   # <b>not bold</b>\n";

#[wasm_bindgen_test]
async fn a_panic_shows_the_error_screen_and_keeps_the_yaml() {
    let window = web_sys::window().unwrap();
    let document = window.document().unwrap();
    let storage = window.local_storage().unwrap().unwrap();
    // A saved session with commands (which the recovery must drop) and a seed to keep.
    let saved = session::Session {
        seed: 7,
        editor: "old text".into(),
        commands: vec![Command { at: 0, line: "kubectl apply -f -".into(), stdin: Some("old text".into()), typed: false }],
        head: 5_000,
        lang: Some("ko".into()),
        lab: None,
    };
    storage.set_item(share::STORAGE_KEY, &share::to_json(&saved)).unwrap();
    // The app's editor, holding newer text than the saved session.
    let app = document.create_element("div").unwrap();
    let editor: HtmlTextAreaElement = document.create_element("textarea").unwrap().dyn_into().unwrap();
    editor.set_attribute("data-testid", "manifest-input").unwrap();
    editor.set_value(YAML);
    app.append_child(&editor).unwrap();
    document.body().unwrap().append_child(&app).unwrap();

    panic::install();
    // The test-only path: a panic on purpose, from the event loop as an app callback would
    // (release builds abort after the hook; the trap ends only that callback).
    let boom = Closure::once_into_js(|| -> () { panic!("deliberate panic for the test") });
    window.set_timeout_with_callback_and_timeout_and_arguments_0(boom.unchecked_ref(), 0).unwrap();
    sleep(200).await;

    let screen = document.query_selector("[data-testid=panic-screen]").unwrap().expect("the error screen is shown");
    assert_eq!(screen.get_attribute("role").as_deref(), Some("alert"));
    let shown: HtmlTextAreaElement = document.query_selector("[data-testid=panic-yaml]").unwrap().unwrap().dyn_into().unwrap();
    assert_eq!(shown.value(), YAML, "the editor's YAML is shown, as text");
    assert!(shown.read_only());
    let message = document.query_selector("[data-testid=panic-message]").unwrap().unwrap().text_content().unwrap();
    assert!(message.contains("deliberate panic for the test"), "{message}");
    // No markup from the YAML became elements.
    assert!(document.query_selector("b").unwrap().is_none());
    // The reload link is a plain link to the page without its fragment: no script, no handler.
    let reload = document.query_selector("[data-testid=panic-reload]").unwrap().unwrap();
    let href = reload.get_attribute("href").unwrap();
    assert!(!href.contains('#') && !href.is_empty(), "{href}");
    assert!(reload.get_attribute("onclick").is_none());
    // The app's markup is hidden, not shown under the screen.
    let hidden = app.dyn_ref::<web_sys::HtmlElement>().unwrap().style().get_property_value("display").unwrap();
    assert_eq!(hidden, "none");
    // The YAML is saved as a fresh session (same seed and language, no commands) for the reload.
    let restored = share::from_json(&storage.get_item(share::STORAGE_KEY).unwrap().unwrap()).unwrap();
    assert_eq!(restored.editor, YAML);
    assert_eq!(restored.seed, 7);
    assert_eq!(restored.lang.as_deref(), Some("ko"));
    assert!(restored.commands.is_empty());
    assert_eq!(restored.head, 0);
    // A second panic does not draw a second screen.
    let again = Closure::once_into_js(|| -> () { panic!("second panic") });
    window.set_timeout_with_callback_and_timeout_and_arguments_0(again.unchecked_ref(), 0).unwrap();
    sleep(100).await;
    assert_eq!(document.query_selector_all("[data-testid=panic-screen]").unwrap().length(), 1);
    storage.remove_item(share::STORAGE_KEY).unwrap();
}

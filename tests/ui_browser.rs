//! The first screen in a real browser: the Yew app mounted into a fresh `<div>`, driven through
//! the DOM the way a student would drive it. Run by scripts/test.sh in headless Chromium
//! (wasm-bindgen-test-runner + chromedriver); native `cargo test` compiles this file to nothing.
#![cfg(target_arch = "wasm32")]

use std::time::Duration;

use statefulset_lab::manifest::LECTURE_EXAMPLE;
use statefulset_lab::ui::App;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;
use web_sys::{Element, Event, EventInit, HtmlTextAreaElement};

wasm_bindgen_test_configure!(run_in_browser);

/// The app mounted on its own root, so tests don't see each other's DOM.
struct Screen {
    root: Element,
    app: Option<yew::AppHandle<App>>,
}

impl Screen {
    async fn mount() -> Screen {
        let window = web_sys::window().unwrap();
        // The app restores the last session from localStorage; each test starts as a first visit.
        if let Ok(Some(storage)) = window.local_storage() {
            let _ = storage.clear();
        }
        let document = window.document().unwrap();
        let root = document.create_element("div").unwrap();
        document.body().unwrap().append_child(&root).unwrap();
        let app = yew::Renderer::<App>::with_root(root.clone()).render();
        let screen = Screen {
            root,
            app: Some(app),
        };
        settle().await;
        screen
    }

    fn texts(&self, selector: &str) -> Vec<String> {
        let nodes = self.root.query_selector_all(selector).unwrap();
        (0..nodes.length())
            .map(|i| nodes.item(i).unwrap().text_content().unwrap_or_default())
            .collect()
    }

    fn object_refs(&self) -> Vec<String> {
        self.texts("[data-testid=object-list] [data-testid=object-ref]")
    }

    fn diagnostics(&self) -> Vec<String> {
        self.texts("[data-testid=diagnostics] [data-testid=diagnostic]")
    }

    /// Replaces the editor's text and fires the `input` event a keystroke would fire.
    async fn type_manifest(&self, text: &str) {
        let editor: HtmlTextAreaElement = self
            .root
            .query_selector("[data-testid=manifest-input]")
            .unwrap()
            .expect("the manifest editor is on the screen")
            .dyn_into()
            .unwrap();
        editor.set_value(text);
        let init = EventInit::new();
        init.set_bubbles(true);
        editor
            .dispatch_event(&Event::new_with_event_init_dict("input", &init).unwrap())
            .unwrap();
        settle().await;
    }
}

impl Drop for Screen {
    fn drop(&mut self) {
        if let Some(app) = self.app.take() {
            app.destroy();
        }
        self.root.remove();
    }
}

/// Yew renders from the microtask queue; a zero-delay timer resumes only after that queue has
/// drained, so the DOM is up to date. This waits for an event, not for a guessed duration.
async fn settle() {
    // The screen re-renders in more than one pass (state, then effects, then the editor's
    // diagnostics, read after the first screen), and Yew yields to the browser between passes
    // longer than 16 ms (slow in a debug build), so let several drain.
    for _ in 0..12 {
        yew::platform::time::sleep(Duration::ZERO).await;
    }
}

#[wasm_bindgen_test]
async fn opens_on_the_lecture_example_with_its_service_and_statefulset() {
    let screen = Screen::mount().await;

    assert_eq!(screen.texts("[data-testid=title]"), ["StatefulSet Lab"]);
    let editor: HtmlTextAreaElement = screen
        .root
        .query_selector("#manifest")
        .unwrap()
        .unwrap()
        .dyn_into()
        .unwrap();
    assert_eq!(editor.value(), LECTURE_EXAMPLE);
    assert_eq!(screen.object_refs(), ["Service/nginx", "StatefulSet/web"]);
    assert!(
        screen.diagnostics().is_empty(),
        "diagnostics: {:?}",
        screen.diagnostics()
    );
}

#[wasm_bindgen_test]
async fn broken_yaml_shows_an_error_and_fixing_it_brings_the_objects_back() {
    let screen = Screen::mount().await;

    screen.type_manifest("kind: [StatefulSet\n").await;
    let diagnostics = screen.diagnostics();
    assert_eq!(diagnostics.len(), 1, "diagnostics: {diagnostics:?}");
    assert!(
        diagnostics[0].starts_with("line "),
        "placed at a line: {:?}",
        diagnostics[0]
    );
    assert_eq!(
        screen
            .texts("[data-testid=diagnostic][data-severity=error]")
            .len(),
        1,
        "shown as an error"
    );
    assert!(
        screen.object_refs().is_empty(),
        "objects: {:?}",
        screen.object_refs()
    );

    screen.type_manifest(LECTURE_EXAMPLE).await;
    assert_eq!(screen.object_refs(), ["Service/nginx", "StatefulSet/web"]);
    assert!(
        screen.diagnostics().is_empty(),
        "diagnostics: {:?}",
        screen.diagnostics()
    );
}

#[wasm_bindgen_test]
async fn an_empty_editor_says_there_are_no_objects() {
    let screen = Screen::mount().await;

    screen.type_manifest("").await;
    assert!(screen.object_refs().is_empty());
    assert_eq!(
        screen.texts("[data-testid=object-list-empty]"),
        ["No objects yet."]
    );
    // Whether an empty paste is an error is the manifest module's call (kubectl says "no objects
    // passed to apply"); the screen shows exactly what it reports.
    let expected = statefulset_lab::manifest::parse("").diagnostics.len();
    assert_eq!(
        screen.diagnostics().len(),
        expected,
        "diagnostics: {:?}",
        screen.diagnostics()
    );
}

//! When the app panics anyway: a recoverable error screen instead of a dead page.
//!
//! A panic in Wasm (release builds abort) leaves the Yew app unusable. The hook installed by
//! [`install`] runs before the abort and, using only the DOM (nothing of the app's state):
//!
//! 1. reads the student's YAML: the editor's current text, else the session saved in
//!    localStorage;
//! 2. saves it as a fresh session (same seed and language, no commands, so the commands that may
//!    have caused the panic are not replayed) under the app's storage key;
//! 3. hides the app and shows an error screen with the YAML (read-only, selectable), the
//!    panic message, and a plain link that reloads the page, which then opens that session.
//!
//! No inline script or style: the link needs no event handler and styles are set through the
//! CSSOM, so the screen works under the Content-Security-Policy of tests/e2e/csp.test.mjs.
//!
//! tests/panic_browser.rs proves it in headless Chromium: a callback that panics on purpose
//! (test code only; nothing in the app can trigger it), then the screen, the saved session and
//! the reload link are checked.

use std::sync::atomic::{AtomicBool, Ordering};

use wasm_bindgen::JsCast;
use web_sys::{Document, HtmlElement, HtmlTextAreaElement};

use crate::session::{share, Session};

/// `data-testid`s of the screen (the contract with the tests).
pub const SCREEN_TESTID: &str = "panic-screen";

static SHOWN: AtomicBool = AtomicBool::new(false);

/// Installs the hook; call once, first thing in `start()`.
pub fn install() {
    std::panic::set_hook(Box::new(|info| {
        let message = info.to_string();
        web_sys::console::error_1(&format!("StatefulSet Lab crashed: {message}").into());
        // Only the first panic gets a screen; a panic while drawing it must not recurse.
        if SHOWN.swap(true, Ordering::SeqCst) {
            return;
        }
        show(&message);
    }));
}

/// The YAML to keep: the editor's text as it is on screen, else the saved session's.
fn current_yaml(document: &Document) -> Option<String> {
    let from_editor = document
        .query_selector("[data-testid=manifest-input]")
        .ok()
        .flatten()
        .and_then(|e| e.dyn_into::<HtmlTextAreaElement>().ok())
        .map(|t| t.value());
    from_editor.or_else(|| saved().map(|s| s.editor))
}

fn storage() -> Option<web_sys::Storage> {
    web_sys::window()?.local_storage().ok()?
}

fn saved() -> Option<Session> {
    share::from_json(&storage()?.get_item(share::STORAGE_KEY).ok()??).ok()
}

/// Saves the YAML as a session without commands, so the reload starts from it. Returns
/// whether it was saved (storage may be full, forbidden, or the text too large).
fn keep(yaml: &str) -> bool {
    let old = saved();
    let session = Session {
        seed: old.as_ref().map(|s| s.seed).unwrap_or(1),
        editor: yaml.to_string(),
        commands: Vec::new(),
        head: 0,
        lang: old.and_then(|s| s.lang),
        lab: None,
    };
    let json = share::to_json(&session);
    // Only what the app will accept back (its reader refuses oversized sessions).
    if share::from_json(&json).is_err() {
        return false;
    }
    storage().map(|s| s.set_item(share::STORAGE_KEY, &json).is_ok()).unwrap_or(false)
}

fn element(document: &Document, tag: &str, text: &str) -> Option<HtmlElement> {
    let e = document.create_element(tag).ok()?.dyn_into::<HtmlElement>().ok()?;
    if !text.is_empty() {
        e.set_text_content(Some(text));
    }
    Some(e)
}

fn style(e: &HtmlElement, rules: &[(&str, &str)]) {
    let s = e.style();
    for (k, v) in rules {
        let _ = s.set_property(k, v);
    }
}

/// Hides the app and shows the error screen.
fn show(message: &str) {
    let Some(window) = web_sys::window() else { return };
    let Some(document) = window.document() else { return };
    let Some(body) = document.body() else { return };
    let yaml = current_yaml(&document).unwrap_or_default();
    let kept = !yaml.is_empty() && keep(&yaml);

    let Some(screen) = element(&document, "main", "") else { return };
    let _ = screen.set_attribute("data-testid", SCREEN_TESTID);
    let _ = screen.set_attribute("role", "alert");
    style(&screen, &[("max-width", "60rem"), ("margin", "2rem auto"), ("padding", "0 1rem"), ("font-family", "system-ui, sans-serif")]);

    let parts: Vec<Option<HtmlElement>> = vec![
        element(&document, "h1", "Something went wrong / 문제가 발생했습니다"),
        element(
            &document,
            "p",
            if kept {
                "The simulator stopped because of a bug. Your YAML is kept below and saved in this browser: reload to continue with it (the cluster starts fresh). / 시뮬레이터가 버그로 멈췄습니다. 작성한 YAML은 아래에 있고 이 브라우저에 저장했습니다. 다시 불러오면 그 YAML로 이어서 작업합니다(클러스터는 새로 시작합니다)."
            } else {
                "The simulator stopped because of a bug. Copy your YAML below before reloading. / 시뮬레이터가 버그로 멈췄습니다. 다시 불러오기 전에 아래 YAML을 복사해 두세요."
            },
        ),
    ];
    for p in parts.into_iter().flatten() {
        let _ = screen.append_child(&p);
    }

    // A plain link to the page without its fragment: a full reload, no script needed.
    let location = window.location();
    let href = format!("{}{}", location.pathname().unwrap_or_default(), location.search().unwrap_or_default());
    if let Some(link) = element(&document, "a", "Reload with my YAML / 내 YAML로 다시 불러오기") {
        let _ = link.set_attribute("href", if href.is_empty() { "./" } else { &href });
        let _ = link.set_attribute("data-testid", "panic-reload");
        style(&link, &[("display", "inline-block"), ("margin", "0.5rem 0 1rem"), ("font-weight", "bold")]);
        let _ = screen.append_child(&link);
    }

    if let Some(area) = document.create_element("textarea").ok().and_then(|e| e.dyn_into::<HtmlTextAreaElement>().ok()) {
        area.set_value(&yaml);
        area.set_read_only(true);
        let _ = area.set_attribute("data-testid", "panic-yaml");
        let _ = area.set_attribute("aria-label", "Your YAML");
        let _ = area.set_attribute("spellcheck", "false");
        style(&area, &[("width", "100%"), ("min-height", "20rem"), ("font-family", "monospace")]);
        let _ = screen.append_child(&area);
    }

    if let Some(details) = element(&document, "details", "") {
        if let Some(summary) = element(&document, "summary", "Technical details / 기술 정보") {
            let _ = details.append_child(&summary);
        }
        if let Some(pre) = element(&document, "pre", message) {
            let _ = pre.set_attribute("data-testid", "panic-message");
            style(&pre, &[("white-space", "pre-wrap")]);
            let _ = details.append_child(&pre);
        }
        let _ = screen.append_child(&details);
    }

    // The app's own markup is hidden (kept in the DOM, not shown): it may be half-updated and
    // its handlers call into a dead app.
    let mut child = body.first_element_child();
    while let Some(c) = child {
        child = c.next_element_sibling();
        if let Ok(e) = c.dyn_into::<HtmlElement>() {
            style(&e, &[("display", "none")]);
            let _ = e.set_attribute("aria-hidden", "true");
        }
    }
    let _ = body.append_child(&screen);
    window.scroll_to_with_x_and_y(0.0, 0.0);
}

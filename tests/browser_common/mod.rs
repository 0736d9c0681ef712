//! What the browser tests share: a component or the whole app mounted on its own root and read
//! back through the DOM, and a settle that lets Yew's render passes drain.
#![allow(dead_code)]

use std::time::Duration;

use wasm_bindgen::JsCast;
use web_sys::{Element, HtmlElement};
use statefulset_lab::ui::App;
use yew::BaseComponent;

/// A component mounted on its own root, removed again when dropped.
pub struct Mounted<C: BaseComponent> {
    pub root: Element,
    handle: Option<yew::AppHandle<C>>,
}

impl<C: BaseComponent> Mounted<C> {
    pub async fn new(props: C::Properties) -> Self {
        let document = web_sys::window().unwrap().document().unwrap();
        let root = document.create_element("div").unwrap();
        document.body().unwrap().append_child(&root).unwrap();
        let handle = yew::Renderer::<C>::with_root_and_props(root.clone(), props).render();
        settle().await;
        Mounted { root, handle: Some(handle) }
    }

    /// Renders the component again with new props, as its parent would.
    pub async fn update(&mut self, props: C::Properties) {
        if let Some(h) = self.handle.as_mut() {
            h.update(props);
        }
        settle().await;
    }

    pub fn texts(&self, selector: &str) -> Vec<String> {
        let nodes = self.root.query_selector_all(selector).unwrap();
        (0..nodes.length()).map(|i| nodes.item(i).unwrap().text_content().unwrap_or_default()).collect()
    }

    pub fn text(&self, selector: &str) -> String {
        self.texts(selector).join(" | ")
    }

    pub fn attr(&self, selector: &str, name: &str) -> Vec<String> {
        let nodes = self.root.query_selector_all(selector).unwrap();
        (0..nodes.length())
            .map(|i| nodes.item(i).unwrap().dyn_into::<Element>().unwrap().get_attribute(name).unwrap_or_default())
            .collect()
    }

    pub async fn click(&self, selector: &str) {
        let el: HtmlElement = self.root.query_selector(selector).unwrap().unwrap_or_else(|| panic!("no {selector}")).dyn_into().unwrap();
        el.click();
        settle().await;
    }
}

impl<C: BaseComponent> Drop for Mounted<C> {
    fn drop(&mut self) {
        if let Some(h) = self.handle.take() {
            h.destroy();
        }
        self.root.remove();
    }
}

pub async fn settle() {
    // Yew renders in passes and yields to the browser between passes longer than 16 ms (slow
    // in a debug build on a busy machine), so one yield is not always enough.
    for _ in 0..8 {
        yew::platform::time::sleep(Duration::ZERO).await;
    }
}

fn clear_storage() {
    if let Some(s) = web_sys::window().unwrap().local_storage().unwrap() {
        s.clear().unwrap();
    }
}

/// The whole app, as a student with nothing saved in this browser opens it.
pub async fn mount_app() -> Mounted<App> {
    clear_storage();
    Mounted::<App>::new(()).await
}

/// Presses "step" until `done` holds; the panic shows `what` and what `context` reads.
pub async fn step_until(app: &Mounted<App>, what: &str, done: impl Fn(&Mounted<App>) -> bool, context: impl Fn(&Mounted<App>) -> String) {
    for _ in 0..300 {
        if done(app) {
            return;
        }
        app.click("[data-testid=step]").await;
    }
    panic!("never saw: {what}; {}", context(app));
}

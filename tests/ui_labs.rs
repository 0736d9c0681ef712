//! The guided labs panel in a real browser: the panel alone with the props a session gives it,
//! then the whole app, where a lab is opened, done through the editor and the clock, and shown
//! by "show me"; and lab files that cannot be trusted, refused with a reason.
//! Run by wasm-bindgen-test-runner in headless Chromium; native `cargo test` compiles this to nothing.
#![cfg(target_arch = "wasm32")]

use std::collections::BTreeSet;
use std::rc::Rc;
use std::time::Duration;

use statefulset_lab::labs::{built_in, Lab, BUILT_IN};
use statefulset_lab::ui::components::labs::{Labs, LabsProps};
use statefulset_lab::ui::i18n::Lang;
use statefulset_lab::ui::lab::{self as lab_ui, LabAction, LabsUi};
use statefulset_lab::ui::sim::Sim;
use statefulset_lab::ui::state::{Action, State};
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;
use web_sys::HtmlSelectElement;
use yew::Callback;

wasm_bindgen_test_configure!(run_in_browser);

mod browser_common;
use browser_common::{mount_app, step_until, Mounted};

fn lab(id: &str) -> Lab {
    built_in().into_iter().find(|l| l.id == id).unwrap()
}

fn panel_props(lang: Lang, labs: LabsUi) -> LabsProps {
    LabsProps { lang, labs, transcript: Rc::new(Vec::new()), act: Callback::noop() }
}

#[wasm_bindgen_test]
async fn each_check_says_in_words_whether_it_holds_in_the_screen_language() {
    let mut ui = LabsUi::default();
    ui.open = true;
    ui.active = Some(Rc::new(lab("ordered-deployment")));
    ui.results = Rc::new(vec![true, false, true, false]);
    let panel = Mounted::<Labs>::new(panel_props(Lang::En, ui.clone())).await;

    assert_eq!(panel.text(".lab-title"), "Ordered deployment");
    assert_eq!(panel.attr("[data-testid=lab-check]", "data-holds"), ["true", "false", "true", "false"]);
    assert_eq!(panel.texts("[data-testid=lab-check] .check-state"), ["holds", "not yet", "holds", "not yet"]);
    assert_eq!(panel.text("[data-testid=lab-summary]"), "2 of 4 checks hold");
    assert!(panel.texts("[data-testid=lab-complete]").is_empty());
    // Backticks in lab prose are code, not markup.
    assert!(panel.texts(".lab-steps code").contains(&"kubectl apply -f web.yaml".to_string()), "{:?}", panel.texts(".lab-steps code"));
    assert_eq!(panel.texts("[data-testid=lab-show-me]"), ["Show me"]);
    drop(panel);

    ui.results = Rc::new(vec![true; 4]);
    let panel = Mounted::<Labs>::new(panel_props(Lang::Ko, ui)).await;
    assert_eq!(panel.text(".lab-title"), "순서 있는 배포", "the lab file's own Korean");
    assert_eq!(panel.texts("[data-testid=lab-check] .check-state"), ["통과"; 4]);
    assert!(panel.text("[data-testid=lab-complete]").contains("실습 완료"));
}

#[wasm_bindgen_test]
async fn the_list_shows_every_lab_and_which_are_completed() {
    let done: BTreeSet<String> = ["sticky-identity".to_string()].into();
    let mut ui = LabsUi::default();
    ui.open = true;
    ui.done = Rc::new(done);
    let panel = Mounted::<Labs>::new(panel_props(Lang::En, ui)).await;
    assert_eq!(panel.texts("[data-testid=lab-item]").len(), BUILT_IN.len());
    let ids = panel.attr("[data-testid=lab-item]", "data-id");
    let done = panel.attr("[data-testid=lab-item]", "data-done");
    let marked: Vec<&String> = ids.iter().zip(&done).filter(|(_, d)| *d == "true").map(|(id, _)| id).collect();
    assert_eq!(marked, ["sticky-identity"]);
    assert!(panel.text("[data-testid=lab-item][data-id=sticky-identity]").contains("completed"));
    assert_eq!(panel.texts("[data-testid=lab-file]").len(), 1, "a lab file can be opened");
}

#[wasm_bindgen_test]
fn a_bad_lab_file_or_link_is_refused_with_its_line_and_column() {
    let mut state = State::new(Lang::En, String::new(), Sim::new(1));
    state.reduce(Action::Lab(LabAction::Load(Ok("id: x\ntitle: {en: a, ko: b}\ngoal: [3\n".into()))));
    let error = state.labs.error.clone().expect("an error is shown");
    assert!(error.starts_with("line "), "{error}");
    assert!(error.contains("column"), "{error}");
    assert!(state.labs.active.is_none());

    let too_big = format!("id: x\n# {}\n", "x".repeat(lab_ui::MAX_LAB_BYTES));
    assert!(lab_ui::read_lab(&too_big).unwrap_err().contains("at most 64 KB"));

    // A link: good, not base64url, not a lab, and some other fragment entirely.
    let good = lab_ui::to_fragment(BUILT_IN[2]);
    assert_eq!(lab_ui::from_fragment(&good).unwrap().unwrap().0.id, "sticky-identity");
    assert!(matches!(lab_ui::from_fragment("#lab=%%%"), Some(Err(_))));
    let not_a_lab = lab_ui::to_fragment("just: text\n");
    assert!(lab_ui::from_fragment(&not_a_lab).unwrap().unwrap_err().contains("line"));
    assert!(lab_ui::from_fragment("#s=abc").is_none());
    assert!(lab_ui::from_fragment(&format!("#lab={}", "A".repeat(200_000))).unwrap().is_err());

    // A lab file that parses starts on a fresh cluster, its setup run first.
    state.reduce(Action::Lab(LabAction::Load(Ok(BUILT_IN[2].to_string()))));
    assert_eq!(state.labs.active.as_ref().map(|l| l.id.as_str()), Some("sticky-identity"));
    assert!(state.labs.error.is_none());
    assert!(state.labs.source.is_none(), "a built-in lab's own file is the built-in lab");
    assert_eq!(state.commands().iter().map(|c| c.line.as_str()).collect::<Vec<_>>(), ["kubectl apply -f web.yaml", "kubectl rollout status sts/web"]);
}

// ---- the whole app ------------------------------------------------------------------------------

#[wasm_bindgen_test]
async fn a_student_completes_the_ordered_deployment_lab_with_the_editor_and_the_clock() {
    let app = mount_app().await;
    app.click("[data-testid=labs-toggle]").await;
    app.click("[data-testid=lab-item][data-id=ordered-deployment]").await;
    assert_eq!(app.attr("[data-testid=lab-check]", "data-holds"), ["false"; 4], "nothing holds on a fresh cluster");

    // Apply the lecture's manifest from the editor, then move time by the controller's actions.
    app.click("[data-testid=labs-close]").await;
    assert_eq!(app.text("[data-testid=labs-toggle]"), "Labs");
    app.click("[data-testid=apply]").await;
    app.click("[data-testid=play]").await;
    app.click("[data-testid=labs-toggle]").await;
    step_until(&app, "web-0 created first", |a| a.attr("[data-testid=lab-check]", "data-holds")[0] == "true", |a| format!("checks: {:?}", a.attr("[data-testid=lab-check]", "data-holds"))).await;
    assert!(app.text("[data-testid=lab-announce]").contains("web-0 was created first"), "announced: {}", app.text("[data-testid=lab-announce]"));
    step_until(&app, "every check", |a| !a.texts("[data-testid=lab-complete]").is_empty(), |a| format!("checks: {:?}", a.attr("[data-testid=lab-check]", "data-holds"))).await;
    assert_eq!(app.attr("[data-testid=lab-check]", "data-holds"), ["true"; 4]);
    assert_eq!(app.text("[data-testid=lab-announce]"), "Lab complete: every check holds.");

    app.click("[data-testid=lab-list]").await;
    assert_eq!(app.attr("[data-testid=lab-item][data-id=ordered-deployment]", "data-done"), ["true"]);
    let stored = web_sys::window().unwrap().local_storage().unwrap().unwrap().get_item("stslab.labs.done.v1").unwrap();
    assert_eq!(stored.as_deref(), Some(r#"["ordered-deployment"]"#));
}

#[wasm_bindgen_test]
async fn show_me_plays_the_solution_into_the_session_the_student_sees() {
    let app = mount_app().await;
    app.click("[data-testid=labs-toggle]").await;
    app.click("[data-testid=lab-item][data-id=sticky-identity]").await;
    assert!(app.text("[data-testid=console]").contains("kubectl rollout status sts/web"), "the setup ran in the console");
    let speed: HtmlSelectElement = app.root.query_selector("[data-testid=speed]").unwrap().unwrap().dyn_into().unwrap();
    speed.set_value("20");
    let init = web_sys::EventInit::new();
    init.set_bubbles(true);
    speed.dispatch_event(&web_sys::Event::new_with_event_init_dict("change", &init).unwrap()).unwrap();
    app.click("[data-testid=lab-show-me]").await;
    assert!(!app.texts("[data-testid=lab-show-me-status]").is_empty(), "it says it is playing");

    for _ in 0..600 {
        if !app.texts("[data-testid=lab-complete]").is_empty() && app.texts("[data-testid=lab-show-me-status]").is_empty() {
            break;
        }
        yew::platform::time::sleep(Duration::from_millis(100)).await;
    }
    assert_eq!(app.attr("[data-testid=lab-check]", "data-holds"), ["true"; 4], "{}", app.text("[data-testid=console]"));
    let console = app.text("[data-testid=console]");
    assert!(console.contains("pod \"web-0\" deleted"), "{console}");
    assert!(console.contains("web-0.nginx"), "{console}");
    assert!(app.texts("[data-testid=lab-show-me-status]").is_empty(), "show me has finished");
}

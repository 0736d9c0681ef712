//! The whole screen: the editor on the left; on the right the clock, the "Why?" panel, the
//! cluster (or the comparison), and the console, events and status panels.
//!
//! `data-testid`s are the contract with the browser tests (tests/ui_*.rs, tests/e2e/): keep
//! them stable when the markup changes.

use std::rc::Rc;

use web_sys::HtmlInputElement;
use yew::prelude::*;

use super::components::cluster::Cluster;
use super::components::compare::Compare;
use super::components::console::{Completer, Console};
use super::components::editor::Editor;
use super::components::events::Events;
use super::components::labs::Labs;
use super::components::status::Status;
use super::components::time::TimeControls;
use super::components::why::Why;
use super::hooks::{self, perf, use_playback, Store};
use super::i18n::{tf, T};
use super::model::ClusterView;
use crate::session::share;
use super::lab::LabAction;
use super::state::{Action, Notice, Tab};

/// Opens on a shared link's session, else the work saved in this browser, else the lecture's
/// example in a fresh cluster.
#[function_component(Screen)]
pub fn screen() -> Html {
    perf::viewed();
    let store = use_reducer(|| Store(hooks::initial_state()));
    let state = &store.0;
    let lang = state.lang;
    // One callback for the page's lifetime: components compare their props, and a new callback
    // every frame would make every slot re-render.
    let act: Callback<Action> = {
        let dispatcher = store.dispatcher();
        (*use_memo((), move |_| Callback::from(move |a| dispatcher.dispatch(a)))).clone()
    };

    // The editor's callbacks, made once like `act`: new ones every tick would re-render the
    // editor (its highlighting of every line) on every frame of playback.
    let editor_cbs = {
        let act = act.clone();
        use_memo((), move |_| EditorCallbacks {
            on_edit: act.reform(Action::Edit),
            on_apply: act.reform(|_| Action::Apply),
            on_example: act.reform(Action::LoadExample),
            on_undo_example: act.reform(|_| Action::UndoExample),
            on_hide: act.reform(|_| Action::ToggleEditor),
        })
    };

    use_playback(state.playing, act.clone());
    {
        let act = act.clone();
        use_effect_with((), move |_| {
            hooks::forget_fragment();
            hooks::after_paint(move || act.emit(Action::ParseEditor));
        });
    }
    {
        // Save whenever the inputs change, on pause, and every 5 real seconds of playback (5
        // virtual seconds at 1×, 100 at 20×): saving every 5 virtual seconds put a serialisation
        // and a storage write into every few frames at 20×.
        // The first save (a share link's session, so a reload finds it) waits until the first
        // screen is painted: serialising and writing storage there only delayed it.
        let store = store.clone();
        let first = use_mut_ref(|| true);
        let every = (5000.0 * state.speed.max(1.0)) as u64;
        use_effect_with((state.revision, state.playing, state.head.0 / every, state.labs.done.len()), move |_| {
            if first.replace(false) {
                hooks::after_paint(move || perf::span("save", || hooks::save(&store.0)));
            } else {
                perf::span("save", || hooks::save(&store.0));
            }
        });
    }
    use_effect_with(lang, |lang| {
        if let Some(root) = web_sys::window().and_then(|w| w.document()).and_then(|d| d.document_element()) {
            let _ = root.set_attribute("lang", lang.code());
        }
    });
    use_effect(perf::rendered);

    let share = {
        let store = store.clone();
        Callback::from(move |_| {
            let notice = match hooks::make_link(&store.0) {
                Ok(url) => Notice::ShareReady(url),
                Err(size) => Notice::ShareTooLong { size_kb: size.div_ceil(1024), limit_kb: share::MAX_FRAGMENT / 1024 },
            };
            store.dispatch(Action::Notify(Some(notice)));
        })
    };
    // Tab completion asks the interpreter about the live cluster; one callback per session.
    let complete: Completer = {
        let sim = state.sim.clone();
        (*use_memo(Rc::as_ptr(&sim) as usize, move |_| {
            Callback::from(move |(line, cursor): (String, usize)| crate::kubectl::complete(&line, cursor, sim.borrow().engine()))
        }))
        .clone()
    };

    html! {
        <div class="app" id="app">
            <a class="skip-link" href="#cluster-title">{ T::SkipToCluster.get(lang) }</a>
            <header class="topbar">
                <div class="brand">
                    <h1 data-testid="title">{ T::AppTitle.get(lang) }</h1>
                    <p class="tagline">{ T::Tagline.get(lang) }</p>
                </div>
                <nav class="top-tools" aria-label={T::Actions.get(lang)}>
                    <button type="button" class={classes!("toggle", state.labs.open.then_some("on"))} aria-pressed={state.labs.open.to_string()}
                        title={T::LabsTitle.get(lang)} onclick={act.reform(|_| Action::Lab(LabAction::Toggle))} data-testid="labs-toggle">
                        { T::Labs.get(lang) }
                    </button>
                    <button type="button" class={classes!("toggle", state.compare.then_some("on"))} aria-pressed={state.compare.to_string()}
                        onclick={act.reform(|_| Action::ToggleCompare)} data-testid="compare-toggle">
                        { if state.compare { T::CompareModeOff.get(lang) } else { T::CompareMode.get(lang) } }
                    </button>
                    <button type="button" onclick={share} title={T::ShareTitle.get(lang)} data-testid="share">{ T::Share.get(lang) }</button>
                    <button type="button" class="quiet-button" onclick={act.reform(|_| Action::NewSession)} title={T::NewSessionTitle.get(lang)}
                        data-testid="new-session">{ T::NewSession.get(lang) }</button>
                    <button type="button" class="lang" lang={lang.other().code()} aria-label={T::LanguageSwitchLabel.get(lang)}
                        onclick={act.reform(move |_| Action::SetLang(lang.other()))} data-testid="language">
                        { T::LanguageSwitch.get(lang) }
                    </button>
                </nav>
            </header>
            if let Some(notice) = &state.notice {
                <NoticeBar {lang} notice={notice.clone()} act={act.clone()} />
            }
            <main class={classes!("workspace", (state.editor_hidden && !state.labs.open).then_some("editor-hidden"), state.labs.open.then_some("labs-open"))}>
                if state.labs.open {
                    <Labs {lang} labs={state.labs.clone()} transcript={state.transcript.clone()} act={act.clone()} />
                } else if state.editor_hidden {
                    <div class="editor-rail">
                        <button type="button" onclick={act.reform(|_| Action::ToggleEditor)} data-testid="show-editor">
                            { T::ShowEditor.get(lang) }
                        </button>
                    </div>
                } else {
                    <Editor {lang} text={state.editor.clone()} parsed={state.parsed.clone()} has_backup={state.editor_backup.is_some()}
                        on_edit={editor_cbs.on_edit.clone()} on_apply={editor_cbs.on_apply.clone()}
                        on_example={editor_cbs.on_example.clone()} on_undo_example={editor_cbs.on_undo_example.clone()}
                        on_hide={editor_cbs.on_hide.clone()} />
                }
                <div class="stage">
                    <TimeControls {lang} playing={state.playing} speed={state.speed} now_ms={state.now.0} head_ms={state.head.0}
                        quiet={state.quiet} act={act.clone()} />
                    <Why {lang} current={state.view.current.clone()} history={state.view.decisions.clone()} />
                    <section class="panel cluster-panel" aria-labelledby="cluster-title">
                        <h2 id="cluster-title" class="panel-title" tabindex="-1">{ T::Cluster.get(lang) }</h2>
                        if state.compare {
                            <Compare {lang} view={state.view.clone()} act={act.clone()} />
                        } else {
                            <Cluster {lang} view={state.view.clone()} act={act.clone()} />
                        }
                    </section>
                    <BottomPanels {lang} tab={state.tab} watching={state.watching} prompt={state.prompt.clone()} view={state.view.clone()} transcript={state.transcript.clone()}
                        cleared={state.console_cleared} history={state.console_history.clone()} complete={complete.clone()} act={act.clone()} />
                </div>
            </main>
        </div>
    }
}

struct EditorCallbacks {
    on_edit: Callback<String>,
    on_apply: Callback<()>,
    on_example: Callback<usize>,
    on_undo_example: Callback<()>,
    on_hide: Callback<()>,
}

#[derive(Properties, PartialEq)]
struct NoticeProps {
    lang: super::i18n::Lang,
    notice: Notice,
    act: Callback<Action>,
}

#[function_component(NoticeBar)]
fn notice_bar(props: &NoticeProps) -> Html {
    let lang = props.lang;
    let close = props.act.reform(|_| Action::Notify(None));
    let select_all = Callback::from(|e: FocusEvent| e.target_unchecked_into::<HtmlInputElement>().select());
    let body = match &props.notice {
        Notice::Text(t) => html! { <span>{ t.get(lang) }</span> },
        Notice::ShareReady(url) => html! {
            <>
                <label for="share-url">{ T::ShareReady.get(lang) }</label>
                <input id="share-url" class="mono share-url" type="text" readonly=true value={url.clone()} onfocus={select_all}
                    data-testid="share-url" />
            </>
        },
        Notice::ShareTooLong { size_kb, limit_kb } => html! {
            <span>{ tf(T::ShareTooLong, lang, &[("size", &size_kb.to_string()), ("limit", &limit_kb.to_string())]) }</span>
        },
    };
    html! {
        <div class="notice" role="status" data-testid="notice">
            { body }
            <button type="button" class="small quiet-button" onclick={close}>{ T::ShareClose.get(lang) }</button>
        </div>
    }
}

#[derive(Properties, PartialEq)]
struct BottomProps {
    lang: super::i18n::Lang,
    tab: Tab,
    watching: bool,
    prompt: Rc<str>,
    view: Rc<ClusterView>,
    transcript: Rc<Vec<super::sim::Entry>>,
    cleared: usize,
    history: Rc<Vec<String>>,
    complete: Completer,
    act: Callback<Action>,
}

#[function_component(BottomPanels)]
fn bottom_panels(props: &BottomProps) -> Html {
    let lang = props.lang;
    let tab_button = |tab: Tab, label: T, id: &str| {
        let selected = props.tab == tab;
        html! {
            <button type="button" role="tab" id={format!("tab-{id}")} aria-selected={selected.to_string()} aria-controls={format!("tabpanel-{id}")}
                tabindex={if selected { "0" } else { "-1" }} class={classes!("tab", selected.then_some("selected"))}
                onclick={props.act.reform(move |_| Action::SetTab(tab))} data-testid={format!("tab-{id}")}>
                { label.get(lang) }
            </button>
        }
    };
    // Arrow keys move between tabs, as in any tab list.
    let onkeydown = {
        let (act, tab) = (props.act.clone(), props.tab);
        Callback::from(move |e: KeyboardEvent| {
            let order = [Tab::Console, Tab::Events, Tab::Status];
            let i = order.iter().position(|t| *t == tab).unwrap_or(0);
            let next = match e.key().as_str() {
                "ArrowRight" => order[(i + 1) % 3],
                "ArrowLeft" => order[(i + 2) % 3],
                _ => return,
            };
            e.prevent_default();
            act.emit(Action::SetTab(next));
            let id = match next {
                Tab::Console => "tab-console",
                Tab::Events => "tab-events",
                Tab::Status => "tab-status",
            };
            if let Some(el) = web_sys::window().and_then(|w| w.document()).and_then(|d| d.get_element_by_id(id)) {
                use wasm_bindgen::JsCast;
                if let Ok(el) = el.dyn_into::<web_sys::HtmlElement>() {
                    let _ = el.focus();
                }
            }
        })
    };
    let (id, body) = match props.tab {
        Tab::Console => ("console", html! {
            <Console {lang} transcript={props.transcript.clone()} cleared={props.cleared} history={props.history.clone()}
                complete={props.complete.clone()} watching={props.watching} prompt={props.prompt.clone()} act={props.act.clone()} />
        }),
        Tab::Events => ("events", html! { <Events {lang} events={props.view.events.clone()} /> }),
        Tab::Status => ("status", html! { <Status {lang} sets={props.view.sets.clone()} /> }),
    };
    html! {
        <section class="panel bottom-panels">
            <div class="tabs" role="tablist" aria-label={T::Console.get(lang)} {onkeydown}>
                { tab_button(Tab::Console, T::Console, "console") }
                { tab_button(Tab::Events, T::Events, "events") }
                { tab_button(Tab::Status, T::Status, "status") }
            </div>
            <div class="tabpanel" role="tabpanel" id={format!("tabpanel-{id}")} aria-labelledby={format!("tab-{id}")}>
                { body }
            </div>
        </section>
    }
}

//! The thin layer between the plain [`State`] and Yew: a reducer adapter, the playback clock
//! (gloo-timers), saving to browser storage, and the performance marks the budget script reads.

use std::cell::Cell;
use std::rc::Rc;

use gloo_timers::callback::Interval;
use yew::prelude::*;

use super::i18n::Lang;
use crate::session::{share, Session};
use super::sim::Sim;
use super::state::{Action, Notice, State};

/// `use_reducer` needs `Reducible`; the state itself stays free of Yew.
pub struct Store(pub State);

impl Reducible for Store {
    type Action = Action;

    fn reduce(self: Rc<Self>, action: Action) -> Rc<Self> {
        let mut state = self.0.clone();
        let ticked = matches!(action, Action::Tick(_));
        state.reduce(action);
        if ticked {
            perf::tick_reduced();
        }
        if state.sim.borrow().checkpoint_due() {
            take_checkpoint_after_paint(state.sim.clone());
        }
        Rc::new(Store(state))
    }
}

thread_local! {
    static CHECKPOINT_ASKED: Cell<bool> = const { Cell::new(false) };
}

/// Copies the engine for time travel once the frame is painted, rather than inside the frame
/// that reached the moment (with 100 replicas a copy took a good part of a frame's budget). An
/// idle callback came too late: painting 100 pods left the tab no idle time before the next tick.
/// The session takes a due checkpoint itself before anything else changes it; a tick that comes
/// first moves it to the tick's end (src/ui/sim.rs `play`).
fn take_checkpoint_after_paint(sim: Rc<std::cell::RefCell<Sim>>) {
    if CHECKPOINT_ASKED.with(|a| a.replace(true)) {
        return;
    }
    after_paint(move || {
        CHECKPOINT_ASKED.with(|a| a.set(false));
        if let Ok(mut sim) = sim.try_borrow_mut() {
            perf::span("checkpoint-later", || sim.take_due_checkpoint());
        }
    });
}

/// How often the clock ticks while playing (real milliseconds): about 30 frames a second.
const TICK_MS: u32 = 33;

/// Advances the simulation while `playing`: a gloo-timers interval measures the real time
/// between ticks and dispatches it; the state scales it by the speed.
#[hook]
pub fn use_playback(playing: bool, dispatch: Callback<Action>) {
    use_effect_with(playing, move |&playing| {
        let interval = playing.then(|| {
            let last = Cell::new(now_ms());
            Interval::new(TICK_MS, move || {
                let now = now_ms();
                let elapsed = now - last.replace(now);
                perf::tick_start();
                dispatch.emit(Action::Tick(elapsed));
                perf::tick_dispatched();
            })
        });
        move || drop(interval)
    });
}

/// Runs `f` once the browser has painted what is on screen now: reading the editor's YAML after
/// the first screen is up, instead of before it shows.
pub fn after_paint(f: impl FnOnce() + 'static) {
    use wasm_bindgen::closure::Closure;
    use wasm_bindgen::JsCast;
    let f = Rc::new(Cell::new(Some(f)));
    let later = move || {
        let f = f.clone();
        gloo_timers::callback::Timeout::new(0, move || {
            if let Some(f) = f.take() {
                f();
            }
        })
        .forget();
    };
    // An animation frame callback runs just before a paint; a timeout set in it runs after.
    let frame = {
        let later = later.clone();
        Closure::once_into_js(later)
    };
    let requested = web_sys::window().map(|w| w.request_animation_frame(frame.unchecked_ref()));
    if !matches!(requested, Some(Ok(_))) {
        // No animation frames to wait for: a timeout alone still lets the screen show first.
        later();
    }
}

fn now_ms() -> f64 {
    web_sys::window().and_then(|w| w.performance()).map(|p| p.now()).unwrap_or(0.0)
}

/// Performance marks for scripts/measure-ui.mjs: `stslab-first-render` once, after the browser
/// has painted the first screen; with `perf` in the page's query also a `stslab-frame` measure
/// around each tick's reduce and render, and `stslab-part-*` measures around its parts.
///
/// A frame's work ends when Yew has patched the DOM for the tick. Yew renders in a microtask
/// after the tick and runs effects in the same pass, unless the pass ran past its 16 ms deadline:
/// then it leaves the effects to a later task, after the browser has painted. Measuring up to the
/// root's effect would then count the paint and the wait for the next task as the frame's work,
/// so the measure ends in a microtask queued after Yew's pass, once the root has rendered.
///
/// Inside a frame the parts only read the clock: their measures are written afterwards, in a task
/// of their own. Writing each as it ended (a mark, a measure and a cleared mark, each a call into
/// the page of some 10 to 30 µs) put 0.05 to 0.15 ms of measuring into every frame measured. The frame's own measure stays a mark and a measure: the budget script finds the
/// frame's task in a trace by it, and the clock the app reads is coarsened to 0.1 ms, which
/// could put a measure's start in the task before.
pub mod perf {
    use std::cell::{Cell, RefCell};

    use wasm_bindgen::prelude::*;

    #[wasm_bindgen]
    extern "C" {
        /// The `{ start, end }` of `performance.measure`, in the page's milliseconds.
        #[wasm_bindgen(js_name = Object)]
        type Span;
        #[wasm_bindgen(constructor, js_class = "Object")]
        fn new() -> Span;
        #[wasm_bindgen(method, setter)]
        fn set_start(this: &Span, ms: f64);
        #[wasm_bindgen(method, setter)]
        fn set_end(this: &Span, ms: f64);
        #[wasm_bindgen(catch, js_namespace = performance, js_name = measure)]
        fn measure_span(name: &str, span: &Span) -> Result<JsValue, JsValue>;
    }

    thread_local! {
        static ENABLED: Cell<Option<bool>> = const { Cell::new(None) };
        static PENDING: Cell<bool> = const { Cell::new(false) };
        /// The root's view ran since the tick (so Yew's render pass for it has begun).
        static VIEWED: Cell<bool> = const { Cell::new(false) };
        static FIRST: Cell<bool> = const { Cell::new(true) };
        /// Measures taken and not yet written: (name, start, end).
        static TAKEN: RefCell<Vec<(&'static str, f64, f64)>> = const { RefCell::new(Vec::new()) };
    }

    fn enabled() -> bool {
        ENABLED.with(|e| {
            if let Some(v) = e.get() {
                return v;
            }
            let v = web_sys::window()
                .and_then(|w| w.location().search().ok())
                .is_some_and(|q| q.contains("perf"));
            e.set(Some(v));
            v
        })
    }

    fn performance() -> Option<web_sys::Performance> {
        web_sys::window()?.performance()
    }

    fn now() -> f64 {
        super::now_ms()
    }

    /// A mark for the budget script (a handful per page load, so always on).
    pub fn mark(name: &str) {
        if let Some(p) = performance() {
            let _ = p.mark(name);
        }
    }

    /// Keeps a measure to write once the current task is over.
    fn take(name: &'static str, start: f64, end: f64) {
        let first = TAKEN.with(|t| {
            let mut t = t.borrow_mut();
            t.push((name, start, end));
            t.len() == 1
        });
        if first {
            gloo_timers::callback::Timeout::new(0, write_taken).forget();
        }
    }

    fn write_taken() {
        let taken = TAKEN.with(|t| std::mem::take(&mut *t.borrow_mut()));
        let mut name = String::new();
        for (part, start, end) in taken {
            name.clear();
            name.push_str("stslab-part-");
            name.push_str(part);
            let span = Span::new();
            span.set_start(start);
            span.set_end(end);
            let _ = measure_span(&name, &span);
        }
    }

    /// Runs `f`, and with `perf` on records its duration as the measure `stslab-part-NAME`, so
    /// the budget script can say which part of a slow frame took the time.
    pub fn span<R>(name: &'static str, f: impl FnOnce() -> R) -> R {
        if !enabled() {
            return f();
        }
        let start = now();
        let r = f();
        take(name, start, now());
        r
    }

    pub fn tick_start() {
        if enabled() {
            if let Some(p) = performance() {
                let _ = p.mark("stslab-tick-start");
            }
        }
    }

    pub fn tick_reduced() {
        if enabled() {
            PENDING.with(|p| p.set(true));
            VIEWED.with(|v| v.set(false));
        }
    }

    /// After the tick's dispatch: Yew's render pass was queued as a microtask during it, so one
    /// queued now runs after that pass.
    pub fn tick_dispatched() {
        if enabled() {
            yew::platform::spawn_local(async {
                if VIEWED.with(Cell::get) {
                    end_frame();
                }
            });
        }
    }

    /// Called at the start of every render of the root. The first time, it asks for the
    /// `stslab-first-render` mark once the frame after this render pass has been painted: the
    /// student sees the screen then. Yew builds the whole first tree before it ever yields to the
    /// browser, so that frame shows all of it. Marking in the root's effect instead put the mark
    /// wherever Yew ran its effects: before the paint when the pass was short, after a timer
    /// when it was long.
    pub fn viewed() {
        VIEWED.with(|v| v.set(true));
        if FIRST.with(|f| f.replace(false)) {
            super::after_paint(|| mark("stslab-first-render"));
        }
    }

    fn end_frame() {
        if PENDING.with(|p| p.replace(false)) {
            if let Some(p) = performance() {
                let _ = p.measure_with_start_mark("stslab-frame", "stslab-tick-start");
                p.clear_marks_with_mark_name("stslab-tick-start");
            }
        }
    }

    /// Called after every render of the root: a frame not ended after Yew's pass (its render
    /// was already queued elsewhere) ends here.
    pub fn rendered() {
        if enabled() {
            end_frame();
        }
    }
}

// ---- saving and restoring ----------------------------------------------------------------------

fn storage() -> Option<web_sys::Storage> {
    web_sys::window()?.local_storage().ok()?
}

pub fn session_of(state: &State) -> Session {
    Session {
        seed: state.seed(),
        editor: state.editor.to_string(),
        commands: state.commands(),
        head: state.head.0,
        lang: Some(state.lang.code().to_string()),
        lab: super::lab::mark(state),
    }
}

pub fn save(state: &State) {
    if let Some(storage) = storage() {
        // A full or forbidden storage must not break the page; the work stays on screen.
        let _ = storage.set_item(share::STORAGE_KEY, &share::to_json(&session_of(state)));
    }
    super::lab::save(state);
}

fn saved() -> Option<Session> {
    let text = storage()?.get_item(share::STORAGE_KEY).ok()??;
    share::from_json(&text).ok()
}

fn browser_lang() -> Lang {
    web_sys::window()
        .and_then(|w| w.navigator().language())
        .and_then(|l| Lang::from_code(&l))
        .unwrap_or_default()
}

/// The state the page opens on: a shared link's session if the URL carries one, else the work
/// saved in this browser, else the lecture's example in a fresh cluster.
pub fn initial_state() -> State {
    perf::mark("stslab-start");
    let fragment = web_sys::window().and_then(|w| w.location().hash().ok()).unwrap_or_default();
    let (session, notice) = match share::from_fragment(&fragment) {
        Some(Ok(session)) => (Some(session), Some(Notice::Text(super::i18n::T::ShareLoaded))),
        Some(Err(_)) => (saved(), Some(Notice::Text(super::i18n::T::ShareBroken))),
        None => {
            let s = saved();
            let notice = s.as_ref().filter(|s| !s.commands.is_empty()).map(|_| Notice::Text(super::i18n::T::Restored));
            (s, notice)
        }
    };
    let mut resumed = None;
    let mut state = match session {
        Some(s) => {
            let lang = s.lang.as_deref().and_then(Lang::from_code).unwrap_or_else(browser_lang);
            let sim = match super::lab::shared(&s).or_else(|| super::lab::resume(&s)) {
                Some((lab, source, from)) => {
                    resumed = Some((lab.clone(), source));
                    Sim::restore_lab(s.seed, s.commands, s.head, lab, from)
                }
                None => Sim::restore(s.seed, s.commands, s.head),
            };
            State::new(lang, s.editor, sim)
        }
        None => {
            let sim = perf::span("sim-new", || Sim::new(1));
            perf::span("state-new", || State::new(browser_lang(), crate::manifest::LECTURE_EXAMPLE.to_string(), sim))
        }
    };
    state.notice = notice;
    super::lab::on_open(&mut state, resumed, &fragment);
    perf::mark("stslab-state-ready");
    state
}

/// The link that reproduces the session, or the size it would have had when over the limit.
pub fn make_link(state: &State) -> Result<String, usize> {
    let fragment = share::to_fragment(&session_of(state));
    if fragment.len() > share::MAX_FRAGMENT {
        return Err(fragment.len());
    }
    let href = web_sys::window().and_then(|w| w.location().href().ok()).unwrap_or_default();
    let base = href.split('#').next().unwrap_or("");
    Ok(format!("{base}#{fragment}"))
}

/// Removes a shared session from the address bar once it is loaded, so a reload opens the
/// work saved since rather than the link's starting point.
pub fn forget_fragment() {
    let Some(window) = web_sys::window() else { return };
    let location = window.location();
    if location.hash().map(|h| h.is_empty()).unwrap_or(true) {
        return;
    }
    let url = format!("{}{}", location.pathname().unwrap_or_default(), location.search().unwrap_or_default());
    if let Ok(history) = window.history() {
        let _ = history.replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(&url));
    }
}

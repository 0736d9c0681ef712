//! The screen's state, every way it can change ([`Action`]) and the one function that changes
//! it ([`State::reduce`]). Plain Rust: no Yew here; `hooks.rs` adapts it to `use_reducer`.
//!
//! The session is the seed, the editor text and the timed command lines in [`Sim`]; every
//! button issues a command line, so what a student did can be saved, shared and replayed.

use std::cell::RefCell;
use std::rc::Rc;

use serde_json::Value;

use crate::engine::Time;
use crate::manifest::{self, Parsed};

use super::examples::EXAMPLES;
use super::i18n::{Lang, T};
use super::lab::{LabAction, LabsUi};
use super::model::ClusterView;
use super::runner::commands;
use super::sim::{Command, Entry, Sim};

/// Playback speeds offered, slowest first.
pub const SPEEDS: [f64; 8] = [0.25, 0.5, 1.0, 2.0, 5.0, 10.0, 15.0, 20.0];
/// Real milliseconds of one tick the clock will count at most (a tab in the background gets
/// ticks late; it should not then leap ahead).
pub const MAX_TICK_MS: f64 = 250.0;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Tab {
    #[default]
    Console,
    Events,
    Status,
}

/// A one-line message at the top of the screen (restored work, a share link, a refusal).
#[derive(Debug, Clone, PartialEq)]
pub enum Notice {
    Text(T),
    ShareReady(String),
    ShareTooLong { size_kb: usize, limit_kb: usize },
}

/// Everything the screen shows. Cloning is cheap: large parts are shared (`Rc`).
#[derive(Clone)]
pub struct State {
    pub lang: Lang,
    pub editor: Rc<str>,
    pub parsed: Rc<Parsed>,
    /// The text an example replaced, until the student edits again.
    pub editor_backup: Option<Rc<str>>,
    pub sim: Rc<RefCell<Sim>>,
    pub view: Rc<ClusterView>,
    pub transcript: Rc<Vec<Entry>>,
    /// Transcript entries before this index are hidden (`clear`).
    pub console_cleared: usize,
    /// Lines typed in the console, oldest first, for ↑/↓.
    pub console_history: Rc<Vec<String>>,
    pub playing: bool,
    pub speed: f64,
    pub now: Time,
    pub head: Time,
    pub quiet: bool,
    /// A `get -w` typed in the console is streaming.
    pub watching: bool,
    /// The console's prompt (`$ `, or a shell attached to a container).
    pub prompt: Rc<str>,
    pub tab: Tab,
    pub compare: bool,
    /// The editor folded away, giving the cluster the whole width (for a projector).
    pub editor_hidden: bool,
    pub notice: Option<Notice>,
    /// A StatefulSet scaled to 0 that is deleted once its last pod is gone.
    pub delete_when_empty: Option<String>,
    /// Bumped when the session's inputs change, so they get saved.
    pub revision: u64,
    /// The guided labs panel (src/ui/lab.rs).
    pub labs: LabsUi,
}

impl PartialEq for State {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.sim, &other.sim)
            && self.revision == other.revision
            && self.now == other.now
            && self.lang == other.lang
            && Rc::ptr_eq(&self.view, &other.view)
    }
}

#[derive(Debug, Clone, PartialEq)]
pub enum Action {
    SetLang(Lang),
    Edit(String),
    /// Reads the editor's text for its diagnostics and object list; the screen sends it right
    /// after its first render, so reading the YAML does not delay the first screen.
    ParseEditor,
    LoadExample(usize),
    UndoExample,
    /// `kubectl apply -f -` with the editor text.
    Apply,
    /// A command line from a button or the console; `typed` ones go into the console history.
    Run { line: String, stdin: Option<String>, typed: bool },
    /// Several command lines at one moment (a switch that needs delete-and-recreate).
    RunAll(Vec<(String, Option<String>)>),
    ConsoleClear,
    /// Real milliseconds passed since the last tick.
    Tick(f64),
    TogglePlay,
    Pause,
    SetSpeed(f64),
    StepNext,
    Seek(u64),
    BackToLive,
    SetTab(Tab),
    ToggleCompare,
    ToggleEditor,
    /// Runs the StatefulSet's template as a Deployment too.
    StartCompare(String),
    ScaleToZeroThenDelete(String),
    /// podManagementPolicy is immutable: delete with --cascade=orphan and apply again.
    SwitchPolicy { set: String, policy: String },
    NewSession,
    Notify(Option<Notice>),
    Lab(LabAction),
}

impl State {
    pub fn new(lang: Lang, editor: String, sim: Sim) -> State {
        let mut sim = sim;
        // The console tab opens first; event rows are read when the Events tab is chosen.
        let view = Rc::new(sim.view(false));
        let transcript = Rc::new(sim.transcript().to_vec());
        let (now, head) = (sim.now(), sim.head());
        let quiet = sim.engine().is_quiet();
        State {
            lang,
            // Filled by Action::ParseEditor once the first screen is up.
            parsed: Rc::default(),
            editor: Rc::from(editor),
            editor_backup: None,
            sim: Rc::new(RefCell::new(sim)),
            view,
            transcript,
            console_cleared: 0,
            console_history: Rc::new(Vec::new()),
            playing: false,
            speed: 1.0,
            now,
            head,
            quiet,
            watching: false,
            prompt: Rc::from("$ "),
            tab: Tab::Console,
            compare: false,
            editor_hidden: false,
            notice: None,
            delete_when_empty: None,
            revision: 0,
            labs: LabsUi::default(),
        }
    }

    /// The session's commands, for saving and sharing.
    pub fn commands(&self) -> Vec<Command> {
        self.sim.borrow().commands().to_vec()
    }

    pub fn seed(&self) -> u64 {
        self.sim.borrow().seed()
    }

    pub fn rewound(&self) -> bool {
        self.now < self.head
    }

    /// Re-reads the cluster after the engine changed.
    pub(super) fn refresh(&mut self) {
        let mut sim = self.sim.borrow_mut();
        let view = sim.view(self.tab == Tab::Events);
        if super::hooks::perf::span("compare", || *self.view != view) {
            self.view = Rc::new(view);
        }
        if self.transcript.len() != sim.transcript().len() || self.transcript.last() != sim.transcript().last() {
            self.transcript = Rc::new(sim.transcript().to_vec());
            self.console_cleared = self.console_cleared.min(self.transcript.len());
        }
        self.now = sim.now();
        self.head = sim.head();
        self.quiet = sim.engine().is_quiet();
        self.watching = sim.watching();
        if *self.prompt != *sim.prompt() {
            self.prompt = Rc::from(sim.prompt());
        }
    }

    pub(super) fn run(&mut self, line: &str, stdin: Option<String>) {
        self.sim.borrow_mut().run(line, stdin);
        self.revision += 1;
        self.refresh();
    }

    pub fn reduce(&mut self, action: Action) {
        self.reduce_screen(action);
        self.lab_update();
    }

    fn reduce_screen(&mut self, action: Action) {
        match action {
            Action::SetLang(lang) => {
                self.lang = lang;
                self.revision += 1;
            }
            Action::Edit(text) => {
                if *self.editor != *text {
                    self.parsed = Rc::new(manifest::parse(&text));
                    self.editor = Rc::from(text);
                    self.editor_backup = None;
                    self.revision += 1;
                }
            }
            Action::ParseEditor => self.parsed = Rc::new(super::hooks::perf::span("parse", || manifest::parse(&self.editor))),
            Action::LoadExample(index) => {
                if let Some(example) = EXAMPLES.get(index) {
                    if *self.editor != *example.text {
                        let previous = std::mem::replace(&mut self.editor, Rc::from(example.text));
                        self.parsed = Rc::new(manifest::parse(example.text));
                        self.editor_backup = Some(previous);
                        self.revision += 1;
                    }
                }
            }
            Action::UndoExample => {
                if let Some(previous) = self.editor_backup.take() {
                    self.parsed = Rc::new(manifest::parse(&previous));
                    self.editor = previous;
                    self.revision += 1;
                }
            }
            Action::Apply => {
                let text = self.editor.to_string();
                self.run(commands::APPLY_STDIN, Some(text));
                self.playing = true;
            }
            Action::Run { line, stdin, typed } => {
                let line = line.trim().to_string();
                if line.is_empty() {
                    return;
                }
                if typed {
                    let mut history = (*self.console_history).clone();
                    if history.last() != Some(&line) {
                        history.push(line.clone());
                    }
                    let excess = history.len().saturating_sub(200);
                    history.drain(..excess);
                    self.console_history = Rc::new(history);
                }
                if typed && line == "clear" {
                    self.console_cleared = self.transcript.len();
                    return;
                }
                if typed {
                    self.sim.borrow_mut().type_line(&line);
                    self.revision += 1;
                    self.refresh();
                    return;
                }
                self.run(&line, stdin);
            }
            Action::RunAll(lines) => {
                for (line, stdin) in lines {
                    self.sim.borrow_mut().run(&line, stdin);
                }
                self.revision += 1;
                self.refresh();
            }
            Action::ConsoleClear => self.console_cleared = self.transcript.len(),
            Action::Tick(real_ms) => {
                if !self.playing {
                    return;
                }
                let dt = (real_ms.clamp(0.0, MAX_TICK_MS) * self.speed).round() as u64;
                let target = Time(self.now.0 + dt);
                let changed = self.sim.borrow_mut().advance_to(target);
                if changed || self.watching {
                    self.refresh();
                } else {
                    let sim = self.sim.borrow();
                    self.now = sim.now();
                    self.head = sim.head();
                }
                self.finish_pending_delete();
                self.lab_tick(real_ms);
                if self.sim.borrow().at_day_end() {
                    self.playing = false;
                    self.notice = Some(Notice::Text(super::i18n::T::DayLimit));
                }
            }
            Action::TogglePlay => self.playing = !self.playing,
            Action::Pause => self.playing = false,
            Action::SetSpeed(speed) => {
                if speed.is_finite() {
                    self.speed = speed.clamp(SPEEDS[0], SPEEDS[SPEEDS.len() - 1]);
                }
            }
            Action::StepNext => {
                self.playing = false;
                self.sim.borrow_mut().step();
                self.refresh();
                self.finish_pending_delete();
            }
            Action::Seek(ms) => {
                let t = Time(ms.min(self.head.0));
                self.sim.borrow_mut().seek(t);
                self.refresh();
            }
            Action::BackToLive => {
                let head = self.head;
                self.sim.borrow_mut().seek(head);
                self.refresh();
            }
            Action::SetTab(tab) => {
                self.tab = tab;
                self.refresh();
            }
            Action::ToggleCompare => self.compare = !self.compare,
            Action::ToggleEditor => self.editor_hidden = !self.editor_hidden,
            Action::StartCompare(set) => {
                if let Some(stdin) = self.deployment_twin(&set) {
                    self.run(commands::APPLY_STDIN, Some(stdin));
                    self.playing = true;
                }
            }
            Action::ScaleToZeroThenDelete(name) => {
                self.run(&commands::scale("sts", &name, 0), None);
                self.delete_when_empty = Some(name);
                self.playing = true;
                self.finish_pending_delete();
            }
            Action::SwitchPolicy { set, policy } => {
                if policy != "OrderedReady" && policy != "Parallel" {
                    return;
                }
                if let Some(stdin) = self.recreated_with_policy(&set, &policy) {
                    self.reduce(Action::RunAll(vec![(commands::delete_set(&set, true), None), (commands::APPLY_STDIN.to_string(), Some(stdin))]));
                    self.playing = true;
                }
            }
            Action::NewSession => {
                let seed = self.seed();
                let labs = self.labs.after_new_session();
                let parsed = self.parsed.clone();
                *self = State::new(self.lang, self.editor.to_string(), Sim::new(seed));
                self.labs = labs;
                self.parsed = parsed;
                self.revision = 1;
            }
            Action::Notify(notice) => self.notice = notice,
            Action::Lab(action) => self.reduce_lab(action),
        }
    }

    /// Deletes the set waiting for its pods to go, once they have gone.
    fn finish_pending_delete(&mut self) {
        let Some(name) = self.delete_when_empty.clone() else { return };
        let set = self.view.sets.iter().find(|s| s.name == name);
        let empty = match set {
            None => true,
            Some(set) => !set.exists || set.slots.iter().all(|s| s.pod.is_none()),
        };
        if empty {
            self.delete_when_empty = None;
            if set.is_some_and(|s| s.exists) {
                self.run(&commands::delete_set(&name, false), None);
            }
        }
    }

    /// The live StatefulSet as a manifest to apply again, with another pod management policy:
    /// what the API server generated (status, uid, resourceVersion...) is left out.
    fn recreated_with_policy(&self, set: &str, policy: &str) -> Option<String> {
        let sim = self.sim.borrow();
        let mut sts = sim
            .engine()
            .list(crate::engine::Kind::StatefulSet, None)
            .into_iter()
            .find(|s| s.pointer("/metadata/name").and_then(Value::as_str) == Some(set))?;
        let obj = sts.as_object_mut()?;
        obj.remove("status");
        if let Some(meta) = obj.get_mut("metadata").and_then(Value::as_object_mut) {
            meta.retain(|k, _| matches!(k.as_str(), "name" | "namespace" | "labels" | "annotations"));
            if let Some(Value::Object(annotations)) = meta.get_mut("annotations") {
                annotations.remove("kubectl.kubernetes.io/last-applied-configuration");
            }
        }
        let spec = obj.get_mut("spec").and_then(Value::as_object_mut)?;
        spec.insert("podManagementPolicy".into(), Value::from(policy));
        serde_json::to_string_pretty(&sts).ok()
    }

    /// The name of the Deployment that runs a set's template in compare mode.
    pub fn twin_name(set: &str) -> String {
        format!("{set}-deploy")
    }

    /// A Deployment with the StatefulSet's pod template: same containers and replicas, its own
    /// labels (so neither controller nor the Service selects the other's pods), and an emptyDir
    /// standing in for each claim template, since a Deployment has no per-pod claims.
    fn deployment_twin(&self, set: &str) -> Option<String> {
        let sim = self.sim.borrow();
        let sts = sim.engine().list(crate::engine::Kind::StatefulSet, None).into_iter().find(|s| {
            s.pointer("/metadata/name").and_then(Value::as_str) == Some(set)
        })?;
        let name = State::twin_name(set);
        let mut template = sts.pointer("/spec/template").cloned()?;
        let labels = serde_json::json!({ "app": name });
        template["metadata"] = serde_json::json!({ "labels": labels });
        let claims: Vec<Value> = sts
            .pointer("/spec/volumeClaimTemplates")
            .and_then(Value::as_array)
            .map(|v| v.iter().filter_map(|c| c.pointer("/metadata/name").cloned()).collect())
            .unwrap_or_default();
        if !claims.is_empty() {
            let volumes: Vec<Value> = claims.iter().map(|n| serde_json::json!({ "name": n, "emptyDir": {} })).collect();
            if let Some(spec) = template.get_mut("spec").and_then(Value::as_object_mut) {
                spec.insert("volumes".into(), Value::Array(volumes));
            }
        }
        let deployment = serde_json::json!({
            "apiVersion": "apps/v1",
            "kind": "Deployment",
            "metadata": { "name": name },
            "spec": {
                "replicas": sts.pointer("/spec/replicas").cloned().unwrap_or(Value::from(1)),
                "selector": { "matchLabels": labels },
                "template": template,
            }
        });
        serde_json::to_string_pretty(&deployment).ok()
    }
}

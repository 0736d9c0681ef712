//! Guided labs on the student's screen, the state side: which lab is in progress and what its
//! checks say, "show me" playing the solution into the session, and the labs kept in this
//! browser (completion, the lab in progress) or brought in by a link or a file.
//!
//! The checks themselves are `crate::labs`; the session (`sim.rs`) records the lab's pod history
//! alongside its time travel, so a check reads the same cluster the student is looking at.

use std::collections::BTreeSet;
use std::rc::Rc;

use serde_json::Value;

// The reader of outside labs is native (and fuzzed); the panel and tests reach it from here.
pub use crate::labs::{from_fragment, read_lab, to_fragment, FRAGMENT_PREFIX, MAX_LAB_BYTES};
use crate::labs::{self, built_in, Lab, BUILT_IN};

use super::runner::commands;
use crate::session::Session;
use super::sim::Sim;
use super::state::{Notice, State};

const LAB_KEY: &str = "stslab.lab.v1";
const DONE_KEY: &str = "stslab.labs.done.v1";
/// "Show me" leaves at least this much real time between its commands, so each can be read.
const SHOW_ME_PAUSE_MS: f64 = 1_200.0;

/// The labs panel's state.
#[derive(Clone, PartialEq, Default)]
pub struct LabsUi {
    pub open: bool,
    /// The list of labs is shown, even while one is in progress.
    pub browsing: bool,
    /// The lab in progress (the session holds the same one).
    pub active: Option<Rc<Lab>>,
    /// The YAML of a lab that came from a link or a file, kept to restore it after a reload.
    pub source: Option<Rc<str>>,
    /// Which of its checks hold at the moment shown.
    pub results: Rc<Vec<bool>>,
    /// Ids of the labs completed in this browser.
    pub done: Rc<BTreeSet<String>>,
    /// Why the last lab file or link could not be opened.
    pub error: Option<Rc<str>>,
    pub show_me: Option<ShowMe>,
    /// The last change for screen readers: a check that now holds (or no longer does), or the
    /// whole lab completed (`None`).
    pub announce: Option<Announce>,
    /// (view, revision) when `results` were read; unchanged means nothing to re-check.
    seen: (usize, u64),
}

#[derive(Clone, Debug, PartialEq)]
pub enum Announce {
    Check { index: usize, holds: bool },
    Complete,
}

/// The solution being played: the pacing of `crate::labs::ShowMe` (virtual time), plus a pause
/// in real time so that each command can be read, whatever the speed.
#[derive(Clone, Debug, PartialEq)]
pub struct ShowMe {
    player: labs::ShowMe,
    /// Real ms since the last line ran.
    waited_ms: f64,
}

impl ShowMe {
    pub fn remaining(&self) -> usize {
        self.player.remaining()
    }

    /// Whether the last line has run (the rest is waiting for it to settle).
    pub fn finishing(&self) -> bool {
        self.player.finishing()
    }
}

#[derive(Debug, Clone, PartialEq)]
pub enum LabAction {
    /// Opens or closes the panel.
    Toggle,
    /// Shows the list of labs (`true`) or the lab in progress.
    Browse(bool),
    /// Starts a lab on a fresh cluster; `source` is the YAML of one not built in.
    Start { lab: Rc<Lab>, source: Option<Rc<str>> },
    /// A lab file the student picked (its text, or why it could not be read).
    Load(Result<String, String>),
    /// Leaves the lab; the cluster stays.
    End,
    ShowMe,
    StopShowMe,
    DismissError,
}


impl State {
    pub fn reduce_lab(&mut self, action: LabAction) {
        match action {
            LabAction::Toggle => self.labs.open = !self.labs.open,
            LabAction::Browse(list) => self.labs.browsing = list,
            LabAction::Start { lab, source } => self.start_lab(lab, source),
            LabAction::Load(Ok(text)) => match read_lab(&text) {
                Ok(lab) => {
                    // A built-in lab opened from its own file is the built-in one.
                    let source = (!BUILT_IN.contains(&text.as_str())).then(|| Rc::from(text));
                    self.start_lab(Rc::new(lab), source);
                }
                Err(e) => self.labs.error = Some(Rc::from(e)),
            },
            LabAction::Load(Err(e)) => self.labs.error = Some(Rc::from(e)),
            LabAction::End => {
                self.sim.borrow_mut().end_lab();
                self.labs.active = None;
                self.labs.source = None;
                self.labs.show_me = None;
                self.labs.browsing = true;
                self.revision += 1;
            }
            LabAction::ShowMe => {
                let Some(lab) = self.labs.active.clone() else { return };
                self.labs.show_me = Some(ShowMe { player: labs::ShowMe::new(&lab.solution), waited_ms: SHOW_ME_PAUSE_MS });
                self.playing = true;
                self.show_me_next();
            }
            LabAction::StopShowMe => self.labs.show_me = None,
            LabAction::DismissError => self.labs.error = None,
        }
    }

    fn start_lab(&mut self, lab: Rc<Lab>, source: Option<Rc<str>>) {
        let (seed, revision) = (self.seed(), self.revision);
        let mut labs = std::mem::take(&mut self.labs);
        let (editor_hidden, speed, tab) = (self.editor_hidden, self.speed, self.tab);
        *self = State::new(self.lang, self.editor.to_string(), Sim::with_lab(seed, lab.clone()));
        (self.editor_hidden, self.speed, self.tab) = (editor_hidden, speed, tab);
        // The new session's view was read for the console tab; the Events tab needs its rows.
        if tab == super::state::Tab::Events {
            self.refresh();
        }
        labs.open = true;
        labs.browsing = false;
        labs.active = Some(lab);
        labs.source = source;
        labs.error = None;
        labs.show_me = None;
        labs.announce = None;
        labs.results = Rc::new(Vec::new());
        labs.seen = (0, 0);
        self.labs = labs;
        // Always a new revision, so the new session is saved even right after another.
        self.revision = revision + 1;
    }

    /// Plays time for "show me": the next line runs once the cluster is quiet (or has had long
    /// enough) and the student has had a moment to read; a streaming watch is stopped first.
    pub(super) fn lab_tick(&mut self, real_ms: f64) {
        let Some(show) = self.labs.show_me.as_mut() else { return };
        if self.now < self.head {
            // Rewound: running the rest would discard what comes after; stop instead.
            self.labs.show_me = None;
            return;
        }
        show.waited_ms += real_ms;
        let changes = self.sim.borrow().lab_changes();
        let settled = show.player.settled(self.now.0, self.quiet, changes);
        if settled && show.waited_ms >= SHOW_ME_PAUSE_MS {
            self.show_me_next();
        }
    }

    fn show_me_next(&mut self) {
        let Some(mut show) = self.labs.show_me.take() else { return };
        if self.watching {
            self.run(commands::INTERRUPT, None);
        }
        let Some(line) = show.player.take_next(self.now.0) else { return };
        self.run(&line, None);
        show.waited_ms = 0.0;
        // After the last line, stay until it settles, so a final watch is stopped too.
        self.labs.show_me = Some(show);
    }

    /// Re-reads the checks when the cluster or the session changed, and notes what to announce.
    pub(super) fn lab_update(&mut self) {
        let Some(lab) = self.labs.active.clone() else { return };
        let seen = (Rc::as_ptr(&self.view) as usize, self.revision);
        if self.labs.seen == seen {
            return;
        }
        self.labs.seen = seen;
        let results = self.sim.borrow().lab_results();
        if *results == **self.labs.results {
            return;
        }
        let before = std::mem::replace(&mut self.labs.results, Rc::new(results));
        let now = &self.labs.results;
        if before.len() == now.len() {
            if let Some(index) = (0..now.len()).find(|&i| before[i] != now[i]) {
                self.labs.announce = Some(Announce::Check { index, holds: now[index] });
            }
        }
        if !now.is_empty() && now.iter().all(|ok| *ok) {
            self.labs.announce = Some(Announce::Complete);
            if !self.labs.done.contains(&lab.id) {
                let mut done = (*self.labs.done).clone();
                done.insert(lab.id.clone());
                self.labs.done = Rc::new(done);
            }
        }
    }
}

impl LabsUi {
    /// What a new session keeps: the completed labs and the panel, not the lab in progress.
    pub fn after_new_session(&self) -> LabsUi {
        LabsUi { open: self.open, browsing: true, done: self.done.clone(), ..LabsUi::default() }
    }
}


// ---- kept in this browser ----------------------------------------------------------------------

/// The lab in progress, as saved: enough to rebuild it over the saved session, and to notice
/// that the session is no longer the one the lab began in. Stored as JSON
/// `{"id":..,"yaml":..,"from":..,"before":[[at,line],..]}` (`yaml` only for a lab brought in),
/// written and read by hand: serde derives' decoding code costs download.
struct SavedLab {
    id: String,
    yaml: Option<String>,
    from: usize,
    /// The session's commands before the lab began (its setup): (at, line).
    before: Vec<(u64, String)>,
}

impl SavedLab {
    fn to_json(&self) -> String {
        let quote = |s: &str| Value::from(s).to_string();
        let yaml = self.yaml.as_deref().map(|y| format!(",\"yaml\":{}", quote(y))).unwrap_or_default();
        let before: Vec<String> = self.before.iter().map(|(at, line)| format!("[{at},{}]", quote(line))).collect();
        format!("{{\"id\":{}{yaml},\"from\":{},\"before\":[{}]}}", quote(&self.id), self.from, before.join(","))
    }

    fn from_json(text: &str) -> Option<SavedLab> {
        let v: Value = serde_json::from_str(text).ok()?;
        let yaml = match v.get("yaml") {
            None | Some(Value::Null) => None,
            Some(y) => Some(y.as_str()?.to_string()),
        };
        let before = v.get("before")?.as_array()?.iter().map(|c| match c.as_array()?.as_slice() {
            [at, line] => Some((at.as_u64()?, line.as_str()?.to_string())),
            _ => None,
        });
        Some(SavedLab {
            id: v.get("id")?.as_str()?.to_string(),
            yaml,
            from: usize::try_from(v.get("from")?.as_u64()?).ok()?,
            before: before.collect::<Option<_>>()?,
        })
    }
}

fn storage() -> Option<web_sys::Storage> {
    web_sys::window()?.local_storage().ok()?
}

fn prefix(session_commands: &[super::sim::Command], from: usize) -> Option<Vec<(u64, String)>> {
    Some(session_commands.get(..from)?.iter().map(|c| (c.at, c.line.clone())).collect())
}

/// Saves the lab in progress (or forgets it) and the completed labs; beside the session itself.
pub fn save(state: &State) {
    let Some(storage) = storage() else { return };
    let sim = state.sim.borrow();
    let saved = sim.lab().zip(state.labs.active.as_ref()).and_then(|((_, from), lab)| {
        let before = prefix(sim.commands(), from)?;
        let yaml = state.labs.source.as_ref().map(|s| s.to_string());
        Some(SavedLab { id: lab.id.clone(), yaml, from, before }.to_json())
    });
    // A full or forbidden storage must not break the page.
    let _ = match saved {
        Some(json) => storage.set_item(LAB_KEY, &json),
        None => storage.remove_item(LAB_KEY),
    };
    let done: Vec<Value> = state.labs.done.iter().map(|id| Value::from(id.as_str())).collect();
    let _ = storage.set_item(DONE_KEY, &Value::Array(done).to_string());
}

/// The built-in lab in progress, as a session carries it (a course's own lab is not carried).
pub fn mark(state: &State) -> Option<crate::session::LabMark> {
    let sim = state.sim.borrow();
    let ((_, from), lab) = sim.lab().zip(state.labs.active.as_ref())?;
    state.labs.source.is_none().then(|| crate::session::LabMark { id: lab.id.clone(), from })
}

/// The lab a session carries (a shared link's): (lab, source, from).
pub fn shared(session: &Session) -> Option<(Rc<Lab>, Option<Rc<str>>, usize)> {
    let mark = session.lab.as_ref()?;
    let lab = built_in().into_iter().find(|l| l.id == mark.id)?;
    Some((Rc::new(lab), None, mark.from))
}

/// The lab the saved session was in, if it is still that session: (lab, source, from).
pub fn resume(session: &Session) -> Option<(Rc<Lab>, Option<Rc<str>>, usize)> {
    let text = storage()?.get_item(LAB_KEY).ok()??;
    if text.len() > 2 * MAX_LAB_BYTES {
        return None;
    }
    let saved = SavedLab::from_json(&text)?;
    if prefix(&session.commands, saved.from)? != saved.before {
        return None;
    }
    let lab = match &saved.yaml {
        Some(yaml) => read_lab(yaml).ok()?,
        None => built_in().into_iter().find(|l| l.id == saved.id)?,
    };
    Some((Rc::new(lab), saved.yaml.map(Rc::from), saved.from))
}

fn saved_done() -> BTreeSet<String> {
    let text = storage().and_then(|s| s.get_item(DONE_KEY).ok().flatten()).unwrap_or_default();
    let ids = match serde_json::from_str::<Value>(&text) {
        Ok(Value::Array(ids)) if ids.iter().all(Value::is_string) => ids,
        _ => Vec::new(),
    };
    // Ids only: a tampered entry cannot grow without bound. Inserts rather than `collect`:
    // collecting into a BTreeSet compiles its own sort.
    let mut done = BTreeSet::new();
    for id in ids.iter().filter_map(Value::as_str).filter(|id| id.len() <= 200).take(1000) {
        done.insert(id.to_string());
    }
    done
}

/// Sets up the labs on the opening state: completion from this browser, the lab the session
/// was in, or the lab a `#lab=` link carries (which then starts on a fresh cluster).
pub fn on_open(state: &mut State, resumed: Option<(Rc<Lab>, Option<Rc<str>>)>, fragment: &str) {
    state.labs.done = Rc::new(saved_done());
    if let Some((lab, source)) = resumed {
        state.labs.active = Some(lab);
        state.labs.source = source;
        state.labs.open = true;
    }
    match from_fragment(fragment) {
        Some(Ok((lab, text))) => {
            let source = (!BUILT_IN.contains(&text.as_str())).then(|| Rc::from(text));
            state.reduce_lab(LabAction::Start { lab: Rc::new(lab), source });
            state.notice = Some(Notice::Text(super::i18n::T::LabLinkLoaded));
        }
        Some(Err(e)) => {
            state.labs.open = true;
            // The list, where another lab or file can be picked instead.
            state.labs.browsing = true;
            state.labs.error = Some(Rc::from(e));
        }
        None => {}
    }
    state.lab_update();
}

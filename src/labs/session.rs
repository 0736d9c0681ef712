//! Running a lab: a fresh cluster set up by the lab's `setup` commands, a kubectl interpreter
//! that sees the lab's files and the built-in examples, and the history its checks read.
//!
//! [`Tracker`] is the part both runners share: `stslab`'s and the tests' [`LabSession`] here,
//! and the browser's session (src/ui/sim.rs), which also rewinds it with its time travel.

use super::check::{evaluate, History, Mark};
use super::format::Lab;
use crate::engine::Engine;
use crate::kubectl::{FileProvider, Interpreter, Output};
use crate::manifest::examples;
use std::collections::BTreeMap;

/// A lab's record of the cluster's pod changes, fed by its own watch on the engine.
#[derive(Debug, Clone)]
pub struct Tracker {
    history: History,
    cursor: u64,
}

/// Where a [`Tracker`] stood when an engine snapshot was taken: its watch and its history.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TrackerMark {
    cursor: u64,
    history: Mark,
}

impl TrackerMark {
    /// Closes the marked watch in a snapshot that no tracker will read.
    pub fn release(self, engine: &mut Engine) {
        engine.close_watch(self.cursor);
    }
}

impl Tracker {
    /// Begins now: the pods that exist count as the scene, not as changes.
    pub fn start(engine: &mut Engine) -> Tracker {
        Tracker { history: History::new(engine), cursor: engine.watch() }
    }

    /// Takes in the cluster's changes since the last call.
    pub fn observe(&mut self, engine: &mut Engine) {
        let (events, cursor) = engine.poll_watch(self.cursor);
        self.cursor = cursor;
        for event in &events {
            self.history.record(event);
        }
    }

    /// Observes, then says where the tracker stands, to be kept with a snapshot of `engine`.
    pub fn mark(&mut self, engine: &mut Engine) -> TrackerMark {
        self.observe(engine);
        TrackerMark { cursor: self.cursor, history: self.history.mark() }
    }

    /// The session went back to a snapshot taken at `mark`: `engine` is that snapshot. The
    /// snapshot's copy of this tracker's watch goes on from there, so replay is recorded again.
    pub fn rewind(&mut self, engine: &mut Engine, mark: TrackerMark) {
        self.history.rewind(mark.history, engine);
        self.cursor = mark.cursor;
        self.observe(engine);
    }

    /// Stops the watch, so the engine stops recording for it.
    pub fn stop(self, engine: &mut Engine) {
        engine.close_watch(self.cursor);
    }

    /// How many pod changes it has seen ("show me" waits for them to stop).
    pub fn changes(&self) -> usize {
        self.history.len()
    }

    /// Which of the lab's checks hold now, in the lab's order.
    pub fn results(&self, lab: &Lab, engine: &Engine) -> Vec<bool> {
        lab.checks.iter().map(|c| evaluate(c, engine, &self.history)).collect()
    }
}

/// A lab in progress.
pub struct LabSession {
    pub interpreter: Interpreter,
    tracker: Tracker,
}

/// `-f NAME` in a lab reads the lab's own files first, then the built-in examples.
pub struct LabFiles(pub BTreeMap<String, String>);

impl FileProvider for LabFiles {
    fn read(&self, path: &str) -> Result<String, String> {
        let name = path.trim_start_matches("./");
        self.0
            .get(name)
            .cloned()
            .or_else(|| examples::file(name).map(str::to_string))
            .ok_or_else(|| format!("the path \"{path}\" does not exist"))
    }
}

impl LabSession {
    /// Starts the lab on a fresh cluster: runs its setup, then begins recording history, so
    /// what the setup did counts as the scene, not as the student's work.
    pub fn start(lab: &Lab, seed: u64) -> LabSession {
        let mut interpreter = Interpreter::with_seed(seed);
        interpreter.set_files(Box::new(LabFiles(lab.files.clone())));
        if !lab.setup.trim().is_empty() {
            interpreter.run_script(&lab.setup);
        }
        let tracker = Tracker::start(&mut interpreter.engine);
        LabSession { interpreter, tracker }
    }

    /// Runs one console line and records what it changed.
    pub fn run_line(&mut self, line: &str) -> Output {
        let output = self.interpreter.run_line(line);
        self.observe();
        output
    }

    /// Runs commands as a script (the "show me" solution) and returns the transcript.
    pub fn run_script(&mut self, script: &str) -> String {
        let transcript = self.interpreter.run_script(script);
        self.observe();
        transcript
    }

    /// Takes in the cluster's changes since the last call. Call it after time has moved.
    pub fn observe(&mut self) {
        self.tracker.observe(&mut self.interpreter.engine);
    }

    /// Which of the lab's checks hold now, in the lab's order.
    pub fn results(&self, lab: &Lab) -> Vec<bool> {
        self.tracker.results(lab, &self.interpreter.engine)
    }
}

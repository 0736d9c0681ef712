//! Running a lab: a fresh cluster set up by the lab's `setup` commands, a kubectl interpreter
//! that sees the lab's files and the built-in examples, and the history its checks read.

use super::check::{evaluate, History};
use super::format::Lab;
use crate::kubectl::{FileProvider, Interpreter, Output};
use crate::manifest::examples;
use std::collections::BTreeMap;

/// A lab in progress.
pub struct LabSession {
    pub interpreter: Interpreter,
    history: History,
    cursor: u64,
}

/// `-f NAME` in a lab reads the lab's own files first, then the built-in examples.
struct LabFiles(BTreeMap<String, String>);

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
        let history = History::new(&interpreter.engine);
        let cursor = interpreter.engine.watch();
        LabSession { interpreter, history, cursor }
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
        let (events, cursor) = self.interpreter.engine.poll_watch(self.cursor);
        self.cursor = cursor;
        for event in &events {
            self.history.record(event);
        }
    }

    /// Which of the lab's checks hold now, in the lab's order.
    pub fn results(&self, lab: &Lab) -> Vec<bool> {
        lab.checks.iter().map(|c| evaluate(c, &self.interpreter.engine, &self.history)).collect()
    }
}

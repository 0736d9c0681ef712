//! The running session: one engine driven by a list of timed command lines, with checkpoints so
//! the timeline scrubber can rewind to any past moment and replay forward exactly.
//!
//! The session's inputs are only the seed and the commands (each stamped with the virtual time
//! it was issued at); everything else, the console transcript included, is recomputed by replay.
//! Acting while rewound discards the commands after that moment, like editing history.

use std::rc::Rc;

use crate::engine::{Config, Engine, Time};
use crate::kubectl::watch::Watch;
use crate::kubectl::Interpreter;
pub use crate::session::{Command, MAX_COMMANDS};
use crate::session::MAX_HEAD_MS;
use crate::labs::{Lab, LabFiles, Tracker, TrackerMark};

use super::model::{self, ClusterView, Memory, Mirror};
use super::runner::{self, Output};

/// A command as the console shows it: when, what, and what it printed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    pub at: u64,
    /// What the terminal showed before the line: `$ `, or an attached shell's prompt.
    pub prompt: String,
    pub line: String,
    pub output: Output,
    /// A streaming `get -w` prints into this entry.
    pub watch: bool,
    /// Not a command: more lines of the `get -w` named in `line`, printed after a button's
    /// command interleaved with the watch, as a background job's lines interleave in a terminal.
    pub continued: bool,
}

#[derive(Clone)]
struct Checkpoint {
    time: Time,
    applied: usize,
    engine: Engine,
    /// Where the screen's watch stood in this engine.
    cursor: Option<u64>,
    /// The console's streaming `get -w`, whose cursor lives in this engine.
    watch: Option<Watch>,
    /// The files `>` had written by then.
    written: std::rc::Rc<std::collections::BTreeMap<String, String>>,
    /// A shell attached to a container then.
    attached: Option<crate::kubectl::Attached>,
    /// The variables set on this machine by then (`POD=web-1`).
    vars: std::collections::BTreeMap<String, String>,
    /// The transcript's length and its last entry's output length at this moment.
    transcript: (usize, usize),
    /// Where the lab's tracker stood, once the lab had begun.
    lab: Option<TrackerMark>,
}

/// A checkpoint every this many virtual milliseconds of playback.
const CHECKPOINT_EVERY_MS: u64 = 2_000;
/// Past this many, one checkpoint is dropped for each new one (replay from the previous one is
/// exact): see `thinnest`.
const MAX_CHECKPOINTS: usize = 300;

pub struct Sim {
    seed: u64,
    /// The kubectl interpreter and, inside it, the engine.
    it: Interpreter,
    commands: Vec<Command>,
    /// How many of `commands` the engine has run (fewer than all when rewound).
    applied: usize,
    transcript: Vec<Entry>,
    /// Boxed: once there are enough, one is dropped from the middle for each one taken, and the
    /// others then move along as pointers rather than as engines (moving 300 engines for each
    /// of a day-long replay's checkpoints ran past the browser tests' 19 s limit).
    #[allow(clippy::vec_box)]
    checkpoints: Vec<Box<Checkpoint>>,
    /// The furthest virtual time reached: the scrubber's right end.
    head: Time,
    memory: Memory,
    mirror: Mirror,
    lab: Option<LabRun>,
    /// Playback stopped at a moment due a checkpoint, not taken yet: the screen takes it once
    /// the frame is painted (`take_due_checkpoint`), so copying the engine is not part of a
    /// frame's work. Anything else that changes the session takes it first; the next playback
    /// step may leave it to its own end instead (see `play`).
    checkpoint_due: bool,
}

/// A guided lab in this session: its checks read the pod history recorded from the moment
/// command `from` had run (the lab's setup is the commands before it).
struct LabRun {
    lab: Rc<Lab>,
    from: usize,
    tracker: Option<Tracker>,
}

pub fn config(seed: u64) -> Config {
    Config { seed, ..Config::default() }
}

impl Sim {
    pub fn new(seed: u64) -> Sim {
        let engine = Engine::new(config(seed));
        let mut it = Interpreter::new(engine.clone());
        // `get -w` returns at once and streams as the clock advances.
        it.streaming = true;
        Sim {
            seed,
            checkpoints: vec![Box::new(Checkpoint { time: Time(0), applied: 0, engine, cursor: None, watch: None, written: Default::default(), attached: None, vars: Default::default(), transcript: (0, 0), lab: None })],
            it,
            commands: Vec::new(),
            applied: 0,
            transcript: Vec::new(),
            head: Time(0),
            memory: Memory::default(),
            mirror: Mirror::default(),
            lab: None,
            checkpoint_due: false,
        }
    }

    /// A fresh session for a lab: its files on hand, its setup run as the first commands (the
    /// console shows them), and its history recorded from there.
    pub fn with_lab(seed: u64, lab: Rc<Lab>) -> Sim {
        let mut sim = Sim::new(seed);
        sim.it.set_files(Box::new(LabFiles(lab.files.clone())));
        for line in lab.setup.lines().map(str::trim).filter(|l| !l.is_empty()) {
            sim.run(line, None);
        }
        let from = sim.applied;
        sim.lab = Some(LabRun { lab, from, tracker: None });
        sim.lab_catch_up();
        sim.force_checkpoint();
        sim
    }

    /// Rebuilds a saved session that was in a lab begun after command `from`.
    pub fn restore_lab(seed: u64, commands: Vec<Command>, head: u64, lab: Rc<Lab>, from: usize) -> Sim {
        let mut sim = Sim::new(seed);
        sim.it.set_files(Box::new(LabFiles(lab.files.clone())));
        sim.lab = Some(LabRun { lab, from, tracker: None });
        sim.lab_catch_up();
        sim.replay(commands, head);
        sim
    }

    /// The lab in progress, and the command its history begins after.
    pub fn lab(&self) -> Option<(&Rc<Lab>, usize)> {
        self.lab.as_ref().map(|l| (&l.lab, l.from))
    }

    /// Which of the lab's checks hold at the moment shown (all red before the lab began).
    pub fn lab_results(&self) -> Vec<bool> {
        match &self.lab {
            Some(LabRun { lab, tracker: Some(tracker), .. }) => tracker.results(lab, &self.it.engine),
            Some(LabRun { lab, .. }) => vec![false; lab.checks.len()],
            None => Vec::new(),
        }
    }

    /// How many pod changes the lab has seen ("show me" waits for them to stop).
    pub fn lab_changes(&self) -> usize {
        self.lab.as_ref().and_then(|l| l.tracker.as_ref()).map_or(0, Tracker::changes)
    }

    /// Leaves the lab; the cluster and its commands stay.
    pub fn end_lab(&mut self) {
        self.take_due_checkpoint();
        if let Some(tracker) = self.lab.take().and_then(|l| l.tracker) {
            tracker.stop(&mut self.it.engine);
        }
    }

    /// Starts the lab's tracker once its setup has run.
    fn lab_catch_up(&mut self) {
        let applied = self.applied;
        if let Some(run) = self.lab.as_mut().filter(|l| l.tracker.is_none() && l.from == applied) {
            run.tracker = Some(Tracker::start(&mut self.it.engine));
        }
    }

    fn lab_observe(&mut self) {
        if let Some(tracker) = self.lab.as_mut().and_then(|l| l.tracker.as_mut()) {
            tracker.observe(&mut self.it.engine);
        }
    }

    /// Rebuilds a saved or shared session: runs its commands and plays on to `head`.
    pub fn restore(seed: u64, commands: Vec<Command>, head: u64) -> Sim {
        let mut sim = Sim::new(seed);
        sim.replay(commands, head);
        sim
    }

    fn replay(&mut self, mut commands: Vec<Command>, head: u64) {
        commands.truncate(MAX_COMMANDS);
        // Times must not go backwards; a tampered list is put in order rather than refused.
        let mut last = 0;
        for c in &mut commands {
            c.at = c.at.max(last);
            last = c.at;
        }
        let end = head.max(last);
        self.commands = commands;
        // Recorded commands never start before the previous one has finished, so a replay never
        // runs past the session's own end. A crafted one can (2,000 `sleep 24h` stamped at 0 ms
        // would replay for minutes): its replay stops at a day of virtual time instead.
        self.play(Time(end), Some(Time(MAX_HEAD_MS)));
    }

    pub fn seed(&self) -> u64 {
        self.seed
    }
    pub fn engine(&self) -> &Engine {
        &self.it.engine
    }
    pub fn now(&self) -> Time {
        self.it.engine.now()
    }
    pub fn head(&self) -> Time {
        self.head
    }
    pub fn commands(&self) -> &[Command] {
        &self.commands
    }
    /// The console transcript up to the moment shown.
    pub fn transcript(&self) -> &[Entry] {
        &self.transcript
    }
    /// Whether the moment shown is before the furthest point reached.
    pub fn rewound(&self) -> bool {
        self.now() < self.head
    }

    /// Reads the cluster for the screen; its event rows only when `events` (the Events tab shows).
    pub fn view(&mut self, events: bool) -> ClusterView {
        super::hooks::perf::span("sync", || self.mirror.sync(&mut self.it.engine));
        super::hooks::perf::span("read", || model::read(&self.mirror, &self.it.engine, &mut self.memory, events))
    }

    /// The next moment something happens: a controller timer or a recorded command.
    pub fn next_action(&self) -> Option<Time> {
        let timer = self.it.engine.next_wakeup();
        let command = self.commands.get(self.applied).map(|c| Time(c.at));
        match (timer, command) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        }
    }

    /// Plays to `target`, running recorded commands as their moments pass. Returns whether the
    /// cluster may have changed (a timer fired or a command ran), so the screen knows to redraw.
    /// The clock stops at a day of virtual time (`MAX_HEAD_MS`): a session that went further
    /// could not be saved, shared or restored.
    pub fn advance_to(&mut self, target: Time) -> bool {
        let target = target.min(Time(MAX_HEAD_MS));
        super::hooks::perf::span("advance", || self.play(target, None))
    }

    /// Whether the clock has reached the end of the day a session may last.
    pub fn at_day_end(&self) -> bool {
        self.now().0 >= MAX_HEAD_MS
    }

    /// `advance_to`, where recorded commands stop running (and are dropped) once the clock has
    /// passed `limit`.
    fn play(&mut self, target: Time, limit: Option<Time>) -> bool {
        // On a busy machine the next tick can come before the task that takes the checkpoint
        // after the paint. Any moment serves as a checkpoint (replay from any is exact), so
        // this step's end is due one instead, unless that would leave a rewind more than two
        // intervals to replay.
        let last = self.checkpoints.last().map_or(0, |c| c.time.0);
        if self.now().0 < last + 2 * self.checkpoint_interval() {
            self.checkpoint_due = false;
        }
        self.take_due_checkpoint();
        let mut changed = false;
        while let Some(c) = self.commands.get(self.applied) {
            if c.at > target.0 {
                break;
            }
            if limit.is_some_and(|limit| self.it.engine.now() > limit) {
                self.commands.truncate(self.applied);
                break;
            }
            let c = c.clone();
            self.it.engine.advance_to(Time(c.at));
            self.execute(c);
            changed = true;
            self.maybe_checkpoint();
        }
        if self.it.engine.next_wakeup().is_some_and(|w| w <= target) {
            changed = true;
        }
        // Long jumps (restoring a session, dragging the scrubber forward) leave checkpoints
        // along the way, so a later rewind replays only a short stretch.
        while self.it.engine.now().0 + self.checkpoint_interval() < target.0 {
            let t = Time(self.it.engine.now().0 + self.checkpoint_interval());
            self.it.engine.advance_to(t);
            self.maybe_checkpoint();
        }
        self.it.engine.advance_to(target);
        self.head = self.head.max(self.it.engine.now());
        self.stream_watch();
        self.lab_observe();
        self.checkpoint_due = self.checkpoint_is_due();
        changed
    }

    /// Jumps to the controller's next action and runs it. Returns the new time, or None when
    /// nothing is scheduled.
    pub fn step(&mut self) -> Option<Time> {
        let next = self.next_action()?;
        self.advance_to(next);
        Some(next)
    }

    /// Shows the cluster as it was (or will be, replaying) at `t`.
    pub fn seek(&mut self, t: Time) {
        self.take_due_checkpoint();
        if t >= self.now() {
            self.advance_to(t);
            return;
        }
        let Some(cp) = self.checkpoints.iter().rev().find(|c| c.time <= t).map(|c| Checkpoint::clone(c)) else {
            return;
        };
        // The checkpoint's engine comes with the watch that streamed in it (its cursor is open
        // there), so a watch running at that moment goes on after the rewind.
        self.it.engine = cp.engine;
        self.it.watch = cp.watch;
        self.it.written = cp.written;
        self.it.attached = cp.attached;
        self.it.vars = cp.vars;
        self.mirror.reset(&mut self.it.engine, cp.cursor);
        self.applied = cp.applied;
        match (self.lab.as_mut().and_then(|l| l.tracker.as_mut()), cp.lab) {
            (Some(tracker), Some(mark)) => tracker.rewind(&mut self.it.engine, mark),
            (_, mark) => {
                // The snapshot's copy of a watch nobody reads any more must not hold the journal.
                if let Some(mark) = mark {
                    mark.release(&mut self.it.engine);
                }
                // Back before the lab began: its history starts again when replay gets there.
                if let Some(run) = self.lab.as_mut() {
                    run.tracker = None;
                }
            }
        }
        self.lab_catch_up();
        let (len, last_len) = cp.transcript;
        self.transcript.truncate(len);
        if let Some(last) = self.transcript.last_mut() {
            if last.output.text.is_char_boundary(last_len.min(last.output.text.len())) {
                last.output.text.truncate(last_len);
            }
        }
        let head = self.head;
        self.advance_to(t);
        self.head = head;
    }

    /// Issues a button's command now. When rewound, what came after this moment is discarded
    /// first.
    pub fn run(&mut self, line: &str, stdin: Option<String>) -> Output {
        self.issue(line, stdin, false)
    }

    /// Runs a line typed at the console now: unlike a button, it stops a streaming watch.
    pub fn type_line(&mut self, line: &str) -> Output {
        self.issue(line, None, true)
    }

    fn issue(&mut self, line: &str, stdin: Option<String>, typed: bool) -> Output {
        self.take_due_checkpoint();
        if self.applied < self.commands.len() || self.rewound() {
            self.commands.truncate(self.applied);
            let now = self.now();
            let applied = self.applied;
            self.checkpoints.retain(|c| c.time <= now && c.applied <= applied);
            self.head = now;
            // Acting before the lab began replaces its setup's future: its history starts here.
            if let Some(run) = self.lab.as_mut().filter(|l| l.from > applied) {
                run.from = applied;
            }
            self.lab_catch_up();
        }
        if self.commands.len() >= MAX_COMMANDS {
            return Output { text: format!("error: this session holds at most {MAX_COMMANDS} commands\n"), ok: false };
        }
        if self.at_day_end() {
            return Output {
                text: "error: this session has reached its limit of a day of virtual time; drag the timeline back to act from an earlier moment, or start a new session\n".to_string(),
                ok: false,
            };
        }
        let command = Command { at: self.now().0, line: line.to_string(), stdin, typed };
        self.commands.push(command.clone());
        let output = self.execute(command);
        // Commands that block in real kubectl (delete, rollout status, wait) move time on.
        self.head = self.head.max(self.now());
        self.force_checkpoint();
        output
    }

    fn execute(&mut self, command: Command) -> Output {
        // What the watch saw before this moment prints before the command, in a replay exactly
        // as it did live (where the clock's ticks had printed it).
        self.stream_watch();
        // The prompt the line was run at: this machine's for a button beside an attached shell.
        let run = |it: &mut Interpreter| {
            let prompt = it.prompt().to_string();
            let output = runner::run(it, &command.line, command.stdin.as_deref());
            (prompt, output, it.is_watching())
        };
        // A button's line runs beside a watch or an attached shell, not through them.
        let (prompt, output, started) = if !command.typed && command.line != runner::commands::INTERRUPT { self.it.beside(run) } else { run(&mut self.it) };
        self.transcript.push(Entry { at: command.at, prompt, line: command.line, output: output.clone(), watch: started, continued: false });
        self.applied += 1;
        // A deletion or a scale shows in the watch at once, even while paused.
        self.stream_watch();
        self.lab_observe();
        self.lab_catch_up();
        output
    }

    /// Appends what a streaming `get -w` printed to its command's output, or, when other
    /// commands were printed since, to a continuation entry after them.
    fn stream_watch(&mut self) {
        if self.it.is_watching() {
            let text = self.it.poll_watch();
            if text.is_empty() {
                return;
            }
            if !self.transcript.last().is_some_and(|e| e.watch) {
                let Some(line) = self.transcript.iter().rev().find(|e| e.watch && !e.continued).map(|e| e.line.clone()) else {
                    return;
                };
                // Stamped like the entry it follows, so a replay gives the same transcript
                // however its clock ticked.
                let at = self.transcript.last().map_or(0, |e| e.at);
                self.transcript.push(Entry { at, prompt: "$ ".into(), line, output: Output { text: String::new(), ok: true }, watch: true, continued: true });
            }
            if let Some(entry) = self.transcript.last_mut() {
                entry.output.text.push_str(&text);
                // A watch left running for hours must not grow without bound.
                const KEEP: usize = 64 * 1024;
                if entry.output.text.len() > KEEP {
                    let cut = entry.output.text.len() - KEEP;
                    let cut = (cut..entry.output.text.len()).find(|&i| entry.output.text.is_char_boundary(i)).unwrap_or(0);
                    entry.output.text.drain(..cut);
                }
            }
        }
    }

    /// Whether a `get -w` is streaming (the console offers Ctrl-C).
    pub fn watching(&self) -> bool {
        self.it.is_watching()
    }

    /// The console's prompt: `$ `, or a shell attached to a container.
    pub fn prompt(&self) -> &str {
        self.it.prompt()
    }

    /// The moments a rewind can restart from without replaying: how far apart they are bounds
    /// what a rewind costs.
    pub fn checkpoint_times(&self) -> Vec<Time> {
        self.checkpoints.iter().map(|c| c.time).collect()
    }

    /// Whether playback stopped at a moment due a checkpoint (see `take_due_checkpoint`).
    pub fn checkpoint_due(&self) -> bool {
        self.checkpoint_due
    }

    /// Takes the checkpoint the last playback step left due, if any. Cheap when there is none.
    pub fn take_due_checkpoint(&mut self) {
        if std::mem::take(&mut self.checkpoint_due) {
            self.maybe_checkpoint();
        }
    }

    fn checkpoint_is_due(&self) -> bool {
        let last = self.checkpoints.last().map(|c| c.time.0).unwrap_or(0);
        self.now().0 >= last + self.checkpoint_interval()
    }

    /// `CHECKPOINT_EVERY_MS`, or in a long session the spacing the kept checkpoints end up with:
    /// taking them closer only copies engines that thinning drops again (restoring a day-long
    /// session copied the engine 43,200 times to keep 300).
    fn checkpoint_interval(&self) -> u64 {
        let first = self.checkpoints.first().map_or(0, |c| c.time.0);
        CHECKPOINT_EVERY_MS.max(self.now().0.saturating_sub(first) / MAX_CHECKPOINTS as u64)
    }

    fn maybe_checkpoint(&mut self) {
        if self.checkpoint_is_due() {
            self.force_checkpoint();
        }
    }

    fn force_checkpoint(&mut self) {
        super::hooks::perf::span("checkpoint", || self.force_checkpoint_now())
    }

    fn force_checkpoint_now(&mut self) {
        let now = self.now();
        // Keep the list ordered by time: drop checkpoints a rewind left ahead of us.
        self.checkpoints.retain(|c| c.time < now || (c.time == now && c.applied < self.applied));
        // The snapshot carries the watch position so a rewind to it can go on from there.
        self.mirror.sync(&mut self.it.engine);
        let cursor = self.mirror.cursor();
        let transcript = (self.transcript.len(), self.transcript.last().map_or(0, |e| e.output.text.len()));
        let watch = self.it.watch.clone();
        let written = self.it.written.clone();
        let attached = self.it.attached.clone();
        let vars = self.it.vars.clone();
        let lab = self.lab.as_mut().and_then(|l| l.tracker.as_mut()).map(|t| t.mark(&mut self.it.engine));
        let engine = super::hooks::perf::span("engine-clone", || self.it.engine.clone());
        self.checkpoints.push(Box::new(Checkpoint { time: now, applied: self.applied, engine, cursor, watch, written, attached, vars, transcript, lab }));
        if self.checkpoints.len() > MAX_CHECKPOINTS {
            if let Some(i) = thinnest(&self.checkpoints) {
                self.checkpoints.remove(i);
            }
        }
    }
}

/// The checkpoint to drop when there are too many: the one whose neighbours are closest together,
/// so the gaps (how far a rewind replays) stay even; the earliest of equals, so evenly spaced
/// checkpoints thin from the oldest on, as dropping every other one did, but one per new
/// checkpoint rather than half of them (and their engines) in a single frame. Never the first
/// or the last.
fn thinnest(checkpoints: &[Box<Checkpoint>]) -> Option<usize> {
    (1..checkpoints.len().saturating_sub(1)).min_by_key(|&i| checkpoints[i + 1].time.0.saturating_sub(checkpoints[i - 1].time.0))
}

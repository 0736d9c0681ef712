//! One interactive session: the simulated cluster, the student's shell state, and the
//! command line in between. The browser console and `stslab run` both drive this type, so a
//! transcript made on the command line is exactly what a student sees in the browser.

use std::collections::BTreeMap;
use std::rc::Rc;

use super::commands;
use super::shell::{self, Command, Connector, List, ParseError};
use super::watch::Watch;
use crate::engine::{Config, Engine};

/// Where `-f FILE` reads from: the disk for `stslab`, memory in the browser.
pub trait FileProvider {
    /// The file's text, or an error worded like the OS's (`open x.yaml: no such file or directory`).
    fn read(&self, path: &str) -> Result<String, String>;
}

/// No files at all (the browser until the UI supplies some). Built-in examples still resolve.
#[derive(Debug, Default, Clone)]
pub struct NoFiles;

impl FileProvider for NoFiles {
    fn read(&self, path: &str) -> Result<String, String> {
        Err(format!("the path \"{path}\" does not exist"))
    }
}

/// Files held in memory by name (the browser's open manifests).
#[derive(Debug, Default, Clone)]
pub struct MemoryFiles(pub BTreeMap<String, String>);

impl FileProvider for MemoryFiles {
    fn read(&self, path: &str) -> Result<String, String> {
        let key = path.trim_start_matches("./");
        self.0.get(key).cloned().ok_or_else(|| format!("the path \"{path}\" does not exist"))
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stream {
    Stdout,
    Stderr,
}

/// What one command line printed, in order, and how it ended.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Output {
    pub chunks: Vec<(Stream, String)>,
    pub exit_code: i32,
    /// `clear` was typed: the console should wipe its scrollback.
    pub clear: bool,
    /// The line was incomplete (open quote, heredoc or loop): show a `> ` prompt for more.
    pub incomplete: bool,
    /// A `get -w` is now streaming: call [`Interpreter::poll_watch`] and offer Ctrl-C.
    pub watching: bool,
}

impl Output {
    pub fn out(&mut self, text: &str) {
        self.push(Stream::Stdout, text);
    }

    /// A stdout line (a newline is added).
    pub fn line(&mut self, text: &str) {
        self.push(Stream::Stdout, &format!("{text}\n"));
    }

    /// A stderr line (a newline is added).
    pub fn err(&mut self, text: &str) {
        self.push(Stream::Stderr, &format!("{text}\n"));
    }

    /// An error line and exit code 1.
    pub fn fail(&mut self, text: &str) {
        self.err(text);
        self.exit_code = 1;
    }

    fn push(&mut self, stream: Stream, text: &str) {
        if text.is_empty() {
            return;
        }
        match self.chunks.last_mut() {
            Some((s, t)) if *s == stream => t.push_str(text),
            _ => self.chunks.push((stream, text.to_string())),
        }
    }

    pub fn extend(&mut self, other: Output) {
        for (s, t) in other.chunks {
            self.push(s, &t);
        }
        self.exit_code = other.exit_code;
        self.clear |= other.clear;
        self.watching |= other.watching;
    }

    /// Everything printed, both streams interleaved as a terminal shows them.
    pub fn text(&self) -> String {
        self.chunks.iter().map(|(_, t)| t.as_str()).collect()
    }
}

/// The most one command may hold, heredoc included: a manifest at its size limit and room for
/// the command line. Past it the console refuses the input instead of parsing megabytes.
pub const MAX_INPUT_BYTES: usize = crate::manifest::MAX_INPUT_BYTES + 64 * 1024;

fn too_long(size: usize) -> Output {
    let mut out = Output::default();
    out.fail(&format!(
        "stslab: the input is too long ({size} bytes); the limit is {MAX_INPUT_BYTES} bytes (a manifest may be at most {} KB)",
        crate::manifest::MAX_INPUT_BYTES / 1024
    ));
    out
}

/// Appends `PROMPT COMMAND` to a transcript, on a fresh line.
fn echo(transcript: &mut String, prompt: &str, command: &str) {
    if !transcript.is_empty() && !transcript.ends_with('\n') {
        transcript.push('\n');
    }
    transcript.push_str(prompt);
    transcript.push_str(command);
    transcript.push('\n');
}

/// The command interpreter behind the console and `stslab run`.
pub struct Interpreter {
    pub engine: Engine,
    /// The current namespace (`kubectl config set-context --current --namespace` is not simulated).
    pub namespace: String,
    /// Browser mode: `get -w` returns at once and streams through [`Interpreter::poll_watch`].
    pub streaming: bool,
    pub(crate) files: Box<dyn FileProvider>,
    pub(crate) vars: BTreeMap<String, String>,
    pending: String,
    /// `pending` stopped inside this heredoc's body: lines other than its delimiter are only
    /// appended, not parsed again.
    pending_heredoc: Option<String>,
    /// Bytes of an over-long heredoc dropped rather than kept (reported at its delimiter).
    dropped: usize,
    pub(crate) watch: Option<Watch>,
    /// Files written on this machine by `>` and `>>` (path without `./` -> text): read before
    /// the FileProvider's by `-f`, `--patch-file`, `<` and `cat`. Shared, so the console's
    /// time-travel checkpoints keep them without copying.
    pub(crate) written: Rc<BTreeMap<String, String>>,
    pub(crate) attached: Option<Attached>,
}

/// An interactive shell in a container (`kubectl run -it` of a shell image, `kubectl exec -it
/// POD -- sh`): the lines typed go to it until `exit`.
#[derive(Debug, Clone)]
pub(crate) struct Attached {
    pub ns: String,
    pub pod: String,
    pub container: String,
    /// The shell's prompt, as `style` writes it for `cwd`.
    pub prompt: String,
    pub style: PromptStyle,
    /// The shell's working directory: `cd` changes it for the lines after.
    pub cwd: String,
    /// Variables set in the session (`X=1`, `export`), kept for the lines after.
    pub vars: BTreeMap<String, String>,
    /// `kubectl run`'s session (its pod finishes when the shell exits), with `--rm`'s choice;
    /// None for `exec`.
    pub run_rm: Option<bool>,
}

/// How an image's interactive shell writes its prompt (its default PS1).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum PromptStyle {
    /// No terminal (`-i` without `-t`): no prompt.
    Silent,
    /// busybox ash, `\w \$ `: `/usr/share # `.
    Ash,
    /// Debian's dash: `# `.
    Dash,
    /// Debian's bash, `\u@\h:\w\$ `: `root@web-0:/usr/share# `.
    Bash(String),
}

impl PromptStyle {
    pub fn render(&self, cwd: &str) -> String {
        // `\w` shows root's home as `~`.
        let w = match cwd.strip_prefix("/root") {
            Some("") => "~".to_string(),
            Some(rest) if rest.starts_with('/') => format!("~{rest}"),
            _ => cwd.to_string(),
        };
        match self {
            PromptStyle::Silent => String::new(),
            PromptStyle::Ash => format!("{w} # "),
            PromptStyle::Dash => "# ".into(),
            PromptStyle::Bash(host) => format!("root@{host}:{w}# "),
        }
    }
}

impl Attached {
    pub fn new(ns: String, pod: String, container: String, style: PromptStyle, run_rm: Option<bool>) -> Attached {
        let cwd = "/".to_string();
        Attached { ns, pod, container, prompt: style.render(&cwd), style, cwd, vars: BTreeMap::new(), run_rm }
    }
}

/// The most the files written by redirection may hold together; a write past it is refused.
pub const MAX_WRITTEN_BYTES: usize = 8 * 1024 * 1024;

impl Interpreter {
    pub fn new(engine: Engine) -> Interpreter {
        Interpreter {
            engine,
            namespace: "default".into(),
            streaming: false,
            files: Box::new(NoFiles),
            vars: BTreeMap::new(),
            pending: String::new(),
            pending_heredoc: None,
            dropped: 0,
            watch: None,
            written: Rc::default(),
            attached: None,
        }
    }

    /// A fresh cluster with the default configuration and this seed.
    pub fn with_seed(seed: u64) -> Interpreter {
        Interpreter::new(Engine::new(Config { seed, ..Config::default() }))
    }

    pub fn set_files(&mut self, files: Box<dyn FileProvider>) {
        self.files = files;
    }

    /// Runs one line typed at the console. Incomplete input (an open quote, heredoc or `for`)
    /// is kept and joined with the next line.
    pub fn run_line(&mut self, line: &str) -> Output {
        if self.watch.is_some() {
            // Typing while a watch streams behaves like Ctrl-C first, as the terminal would.
            self.interrupt();
        }
        if self.attached.is_some() && self.pending.is_empty() {
            return commands::attached_line(self, line);
        }
        if let Some(delim) = &self.pending_heredoc {
            if !line.contains('\n') && !shell::may_end_heredoc(line, delim) {
                if self.dropped > 0 || self.pending.len() + line.len() >= MAX_INPUT_BYTES {
                    self.dropped += line.len() + 1;
                } else {
                    self.pending.push_str(line);
                    self.pending.push('\n');
                }
                return Output { incomplete: true, ..Output::default() };
            }
            if self.dropped > 0 {
                let size = self.pending.len() + self.dropped;
                self.clear_pending();
                return too_long(size);
            }
        }
        self.pending.push_str(line);
        self.pending.push('\n');
        if self.pending.len() > MAX_INPUT_BYTES {
            let size = self.pending.len();
            self.clear_pending();
            return too_long(size);
        }
        match shell::parse_script(&self.pending) {
            Err((_, e @ ParseError::Incomplete(_))) => {
                self.pending_heredoc = shell::open_heredoc(&e).map(str::to_string);
                Output { incomplete: true, ..Output::default() }
            }
            Err((_, e)) => {
                self.clear_pending();
                let mut out = Output::default();
                out.fail(&format!("-bash: {}", e.message()));
                out.exit_code = 2;
                out
            }
            Ok(entries) => {
                self.clear_pending();
                let mut out = Output::default();
                for e in entries {
                    let o = self.run_list(&e.list);
                    out.extend(o);
                    if out.watching {
                        break;
                    }
                }
                out
            }
        }
    }

    /// Forgets a half-typed multi-line command (Ctrl-C at a `> ` prompt).
    pub fn cancel_pending(&mut self) {
        self.clear_pending();
    }

    /// What the terminal shows before the next line: `$ `, or an attached shell's prompt.
    pub fn prompt(&self) -> &str {
        self.attached.as_ref().map_or("$ ", |a| a.prompt.as_str())
    }

    /// A file as a command reads it: one written here by redirection, else the provider's.
    pub(crate) fn read_file(&self, path: &str) -> Result<String, String> {
        match self.written.get(path.trim_start_matches("./")) {
            Some(text) => Ok(text.clone()),
            None => self.files.read(path),
        }
    }

    /// `>` (replace) or `>>` (append) on this machine.
    pub(crate) fn write_file(&mut self, path: &str, text: &str, append: bool) -> Result<(), String> {
        let key = path.trim_start_matches("./");
        let old = self.written.get(key).map_or(0, String::len);
        let kept = if append { old } else { 0 };
        let total: usize = self.written.values().map(String::len).sum::<usize>() - old + kept + text.len();
        if total > MAX_WRITTEN_BYTES {
            return Err(format!("bash: {path}: No space left on device (the files written here may hold {} MB in all)", MAX_WRITTEN_BYTES / (1024 * 1024)));
        }
        let file = Rc::make_mut(&mut self.written).entry(key.to_string()).or_default();
        if !append {
            file.clear();
        }
        file.push_str(text);
        Ok(())
    }

    fn clear_pending(&mut self) {
        self.pending.clear();
        self.dropped = 0;
        self.pending_heredoc = None;
    }

    /// Whether a `get -w` is streaming.
    pub fn is_watching(&self) -> bool {
        self.watch.is_some()
    }

    /// Runs `f` as a line nobody typed at the terminal (the screen's buttons): a streaming
    /// `get -w` and a shell attached to a container are set aside while it runs and handed
    /// back untouched, since a typed line would stop the one and go to the other. A watch `f`
    /// starts itself takes the console instead (two must not share it).
    pub fn beside<R>(&mut self, f: impl FnOnce(&mut Interpreter) -> R) -> R {
        let watch = self.watch.take();
        let attached = self.attached.take();
        let r = f(self);
        match watch {
            Some(w) if self.watch.is_some() => w.close(&mut self.engine),
            Some(w) => self.watch = Some(w),
            None => {}
        }
        if self.attached.is_none() {
            self.attached = attached;
        }
        r
    }

    /// New watch lines since the last poll (browser mode; the UI advances time itself).
    pub fn poll_watch(&mut self) -> String {
        match self.watch.as_mut() {
            Some(w) => w.poll(&mut self.engine),
            None => String::new(),
        }
    }

    /// Ctrl-C: stops a streaming watch. Returns whether one was running.
    pub fn interrupt(&mut self) -> bool {
        match self.watch.take() {
            Some(w) => {
                w.close(&mut self.engine);
                true
            }
            None => {
                self.clear_pending();
                false
            }
        }
    }

    /// Runs a whole script and returns its transcript: every entry echoed as `$ ...` followed
    /// by what it printed. Scripts never stream: `get -w` runs until the cluster is quiet.
    pub fn run_script(&mut self, text: &str) -> String {
        let streaming = std::mem::replace(&mut self.streaming, false);
        let mut transcript = String::new();
        // Lines are fed one at a time, as a terminal would: a syntax error spoils only its own
        // entry, and an open quote or heredoc waits for the lines that complete it.
        let mut buffer = String::new();
        // Inside a heredoc's body only its delimiter line can complete the entry (linear time).
        let mut heredoc: Option<String> = None;
        for line in text.split_inclusive('\n') {
            if self.attached.is_some() && buffer.is_empty() {
                // A line typed into a shell attached to a container.
                let typed = line.strip_suffix('\n').unwrap_or(line);
                echo(&mut transcript, self.prompt(), typed);
                transcript.push_str(&commands::attached_line(self, typed).text());
                continue;
            }
            buffer.push_str(line);
            if !buffer.ends_with('\n') {
                buffer.push('\n');
            }
            if let Some(delim) = &heredoc {
                if !shell::may_end_heredoc(line.strip_suffix('\n').unwrap_or(line), delim) {
                    continue;
                }
            }
            heredoc = None;
            if buffer.len() > MAX_INPUT_BYTES {
                let first = buffer.lines().next().unwrap_or("");
                echo(&mut transcript, "$ ", first);
                transcript.push_str(&too_long(buffer.len()).text());
                buffer.clear();
                continue;
            }
            match shell::parse_script(&buffer) {
                Err((_, e @ ParseError::Incomplete(_))) => {
                    heredoc = shell::open_heredoc(&e).map(str::to_string);
                    continue;
                }
                Err((_, e)) => {
                    echo(&mut transcript, "$ ", buffer.trim_end());
                    transcript.push_str(&format!("-bash: {}\n", e.message()));
                }
                Ok(entries) => {
                    for e in entries {
                        echo(&mut transcript, "$ ", &e.echo);
                        let out = self.run_list(&e.list);
                        transcript.push_str(&out.text());
                    }
                }
            }
            buffer.clear();
        }
        if !buffer.trim().is_empty() {
            if let Err((_, e)) = shell::parse_script(&buffer) {
                echo(&mut transcript, "$ ", buffer.trim_end());
                transcript.push_str(&format!("-bash: {}\n", e.message()));
            }
        }
        if !transcript.is_empty() && !transcript.ends_with('\n') {
            transcript.push('\n');
        }
        self.streaming = streaming;
        transcript
    }

    pub(crate) fn run_list(&mut self, list: &List) -> Output {
        let mut out = Output::default();
        let mut status = 0;
        for (connector, cmd) in &list.items {
            let run = match connector {
                Connector::Seq => true,
                Connector::And => status == 0,
                Connector::Or => status != 0,
            };
            if !run {
                continue;
            }
            let o = self.run_command(cmd);
            status = o.exit_code;
            out.extend(o);
            out.exit_code = status;
            if out.watching {
                break;
            }
        }
        out
    }

    fn run_command(&mut self, cmd: &Command) -> Output {
        match cmd {
            Command::Simple(c) => commands::run_simple(self, c),
            Command::Pipe(_) => {
                let mut out = Output::default();
                out.fail("stslab: pipes (`|`) are not simulated; run each command on its own");
                out
            }
            Command::For { var, items, body } => {
                let mut out = Output::default();
                let values: Vec<String> = items.iter().filter_map(|w| w.expand(&self.vars, &mut |s| format!("$({s})"))).collect();
                for v in values {
                    self.vars.insert(var.clone(), v);
                    let o = self.run_list(body);
                    out.extend(o);
                    if out.watching {
                        break;
                    }
                }
                out
            }
        }
    }
}

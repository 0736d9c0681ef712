//! `stslab`: the StatefulSet Lab on the command line. `run` replays a kubectl script against
//! the simulated cluster and prints the transcript; `check` validates manifests the way
//! `kubectl apply --dry-run=server` would.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use statefulset_lab::kubectl::{FileProvider, Interpreter};
use statefulset_lab::manifest;

/// The engine's object versions churn the heap: see `statefulset_lab::heap`.
#[cfg(not(target_arch = "wasm32"))]
#[global_allocator]
static ALLOCATOR: statefulset_lab::heap::Heap = statefulset_lab::heap::Heap;

const USAGE: &str = "\
stslab: the StatefulSet Lab simulator on the command line

Usage:
  stslab run SCRIPT [--seed N]   run a kubectl script; print the transcript
  stslab check FILE...           validate manifests like kubectl apply --dry-run=server
  stslab --help                  this text

A script has one command per line, written as typed in a terminal (`kubectl get pods`),
`#` comments, `<<EOF` heredocs and simple `for` loops. Relative paths are resolved from the
script's folder; the tutorial's web.yaml and web-parallel.yaml are built in. Simulation
controls: sleep DURATION, settle, crash pod/NAME, fail pod/NAME, node down|up NODE (see
`help` inside a script).

Exit status: run: 0 unless the script cannot be read; check: 0 accepted, 1 rejected;
2 on a usage error.
";

/// Reads `-f` paths relative to the script's folder.
struct DiskFiles {
    base: PathBuf,
}

impl FileProvider for DiskFiles {
    fn read(&self, path: &str) -> Result<String, String> {
        let p = Path::new(path);
        let full = if p.is_absolute() { p.to_path_buf() } else { self.base.join(p) };
        std::fs::read_to_string(&full).map_err(|e| format!("open {path}: {e}"))
    }
}

fn usage_error(msg: &str) -> ExitCode {
    eprintln!("stslab: {msg}\n\n{USAGE}");
    ExitCode::from(2)
}

fn run(args: &[String]) -> ExitCode {
    let mut script = None;
    let mut seed = 1u64;
    let mut i = 0;
    while let Some(a) = args.get(i) {
        i += 1;
        if let Some(v) = a.strip_prefix("--seed=") {
            match v.parse() {
                Ok(s) => seed = s,
                Err(_) => return usage_error(&format!("invalid seed {v:?}")),
            }
        } else if a == "--seed" {
            match args.get(i).and_then(|v| v.parse().ok()) {
                Some(s) => seed = s,
                None => return usage_error("--seed needs a number"),
            }
            i += 1;
        } else if a.starts_with('-') && a != "-" {
            return usage_error(&format!("unknown flag {a}"));
        } else if script.is_none() {
            script = Some(a.clone());
        } else {
            return usage_error("run takes one script");
        }
    }
    let Some(script) = script else { return usage_error("run needs a SCRIPT") };
    let text = if script == "-" {
        let mut s = String::new();
        if std::io::Read::read_to_string(&mut std::io::stdin(), &mut s).is_err() {
            eprintln!("stslab: cannot read standard input");
            return ExitCode::from(1);
        }
        s
    } else {
        match std::fs::read_to_string(&script) {
            Ok(t) => t,
            Err(e) => {
                eprintln!("stslab: cannot read {script}: {e}");
                return ExitCode::from(1);
            }
        }
    };
    let base = Path::new(&script).parent().map(Path::to_path_buf).unwrap_or_default();
    let mut it = Interpreter::with_seed(seed);
    it.set_files(Box::new(DiskFiles { base }));
    print!("{}", it.run_script(&text));
    ExitCode::SUCCESS
}

fn check(files: &[String]) -> ExitCode {
    if files.is_empty() {
        return usage_error("check needs at least one FILE");
    }
    let mut texts = Vec::new();
    for f in files {
        match std::fs::read_to_string(f) {
            Ok(t) => texts.push((f.clone(), t)),
            Err(e) => {
                eprintln!("stslab: cannot read {f}: {e}");
                return ExitCode::from(2);
            }
        }
    }
    let pairs: Vec<(&str, &str)> = texts.iter().map(|(n, t)| (n.as_str(), t.as_str())).collect();
    let report = manifest::check_files(&pairs);
    print!("{}", report.render());
    if report.accepted() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    }
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args.first().map(String::as_str) {
        Some("run") => run(args.get(1..).unwrap_or(&[])),
        Some("check") => check(args.get(1..).unwrap_or(&[])),
        Some("--help") | Some("-h") | Some("help") => {
            print!("{USAGE}");
            ExitCode::SUCCESS
        }
        Some(other) => usage_error(&format!("unknown command {other:?}")),
        None => usage_error("missing command"),
    }
}

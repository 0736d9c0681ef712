//! `stslab check FILE...`: the same reading and admission as `kubectl apply`, reported as
//! compiler-style lines (`file:line:col: error: ...`) for the command line and for CI.

use super::{parse, Severity};

/// One file's verdict: accepted means every object in it would be applied.
#[derive(Debug, Clone, PartialEq)]
pub struct FileReport {
    pub file: String,
    pub accepted: bool,
    /// `file:line:col: error: ...` and `file:line:col: Warning: ...` lines, each followed by an
    /// indented `hint:` line when there is one.
    pub lines: Vec<String>,
    /// `kind/name` of each object read, with " (not simulated)" where it applies.
    pub objects: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Default)]
pub struct CheckReport {
    pub files: Vec<FileReport>,
}

impl CheckReport {
    /// All files accepted (the CLI exits 0), or not (exit 1).
    pub fn accepted(&self) -> bool {
        self.files.iter().all(|f| f.accepted)
    }

    /// The whole report as text, one line per entry, then a summary line per file.
    pub fn render(&self) -> String {
        let mut out = String::new();
        for f in &self.files {
            for l in &f.lines {
                out.push_str(l);
                out.push('\n');
            }
            let verdict = if f.accepted { "accepted" } else { "rejected" };
            out.push_str(&format!(
                "{}: {verdict} ({})\n",
                f.file,
                if f.objects.is_empty() {
                    "no objects".to_string()
                } else {
                    f.objects.join(", ")
                }
            ));
        }
        out
    }
}

/// Checks each (file name, text) pair as one paste.
pub fn check_files(files: &[(&str, &str)]) -> CheckReport {
    let mut report = CheckReport::default();
    for (name, text) in files {
        let parsed = parse(text);
        let mut lines = Vec::new();
        for d in &parsed.diagnostics {
            let level = match d.severity {
                Severity::Error => "error",
                Severity::Warning => "Warning",
            };
            let message = d
                .message
                .strip_prefix("error: ")
                .unwrap_or(&d.message)
                .replace('\n', " ");
            lines.push(format!(
                "{name}:{}:{}: {level}: {message}",
                d.line, d.column
            ));
            if let Some(h) = &d.hint {
                lines.push(format!("  hint: {}", h.en));
            }
        }
        let objects = parsed
            .documents
            .iter()
            .map(|d| {
                let suffix = if d.simulated { "" } else { " (not simulated)" };
                format!("{}/{}{suffix}", d.kind.to_lowercase(), d.name)
            })
            .collect();
        report.files.push(FileReport {
            file: name.to_string(),
            accepted: !parsed.has_errors(),
            lines,
            objects,
        });
    }
    report
}

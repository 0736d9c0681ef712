//! The manifest corpora: real-world manifests that must be accepted (tests/manifests/valid, with
//! their sources in each file's header), and broken ones whose diagnostics — message, line,
//! column and hint — are pinned in a sidecar `.expect` file (tests/manifests/invalid).
//!
//! `.expect` format, one diagnostic per line: `LINE:COL error: MESSAGE` (newlines in the message
//! written as `\n`), optionally followed by `  hint: TEXT` (a substring of the English hint).
//! Every listed diagnostic must be produced, and every error produced must be listed.

use statefulset_lab::manifest::{admit, check_files, parse, parse_bytes, Severity};
use std::fs;
use std::path::{Path, PathBuf};

fn files(dir: &str, ext: &[&str]) -> Vec<PathBuf> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/manifests")
        .join(dir);
    let mut out: Vec<PathBuf> = fs::read_dir(&root)
        .unwrap_or_else(|e| panic!("{}: {e}", root.display()))
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| {
            p.extension()
                .and_then(|x| x.to_str())
                .is_some_and(|x| ext.contains(&x))
        })
        .collect();
    out.sort();
    out
}

#[test]
fn valid_corpus_is_accepted_and_admitted() {
    let all = files("valid", &["yaml", "json"]);
    assert!(all.len() >= 10, "corpus too small: {}", all.len());
    for path in all {
        let text = fs::read_to_string(&path).unwrap_or_default();
        let parsed = parse(&text);
        let errors: Vec<_> = parsed
            .diagnostics
            .iter()
            .filter(|d| d.severity == Severity::Error)
            .collect();
        assert!(errors.is_empty(), "{}: {errors:#?}", path.display());
        assert!(
            !parsed.documents.is_empty(),
            "{}: no documents",
            path.display()
        );
        for doc in &parsed.documents {
            if let Err(r) = admit(&doc.value, None) {
                panic!(
                    "{} {} {}: {}",
                    path.display(),
                    doc.kind,
                    doc.name,
                    r.message
                );
            }
        }
        let report = check_files(&[(path.to_str().unwrap_or(""), text.as_str())]);
        assert!(report.accepted(), "{}", report.render());
    }
}

#[test]
fn admitted_objects_are_stable_under_readmission() {
    // What admit returns is what the engine stores; admitting it again as an update of itself
    // must succeed and change nothing but nothing (generation stays).
    for path in files("valid", &["yaml", "json"]) {
        let text = fs::read_to_string(&path).unwrap_or_default();
        for doc in parse(&text).documents {
            let Ok(first) = admit(&doc.value, None) else {
                continue;
            };
            let again = admit(&first.object, Some(&first.object))
                .unwrap_or_else(|r| panic!("{}: {}", path.display(), r.message));
            assert_eq!(
                again.object,
                first.object,
                "{} {}",
                path.display(),
                doc.name
            );
        }
    }
}

struct Expected {
    line: u32,
    column: u32,
    severity: Severity,
    message: String,
    hint: Option<String>,
}

fn read_expect(path: &Path) -> Vec<Expected> {
    let text = fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let mut out: Vec<Expected> = Vec::new();
    for line in text
        .lines()
        .filter(|l| !l.trim().is_empty() && !l.starts_with('#'))
    {
        if let Some(h) = line.strip_prefix("  hint: ") {
            if let Some(last) = out.last_mut() {
                last.hint = Some(h.to_string());
            }
            continue;
        }
        let (pos, rest) = line
            .split_once(' ')
            .unwrap_or_else(|| panic!("bad expect line {line:?}"));
        let (l, c) = pos
            .split_once(':')
            .unwrap_or_else(|| panic!("bad position {pos:?}"));
        let (severity, message) = if let Some(m) = rest.strip_prefix("error: ") {
            (Severity::Error, m)
        } else if let Some(m) = rest.strip_prefix("warning: ") {
            (Severity::Warning, m)
        } else {
            panic!("bad severity in {line:?}")
        };
        out.push(Expected {
            line: l.parse().unwrap_or(0),
            column: c.parse().unwrap_or(0),
            severity,
            message: message.replace("\\n", "\n"),
            hint: None,
        });
    }
    out
}

#[test]
fn invalid_corpus_gives_the_expected_diagnostics() {
    let all = files("invalid", &["yaml"]);
    assert!(all.len() >= 25, "corpus too small: {}", all.len());
    for path in all {
        let bytes = fs::read(&path).unwrap_or_default();
        let parsed = parse_bytes(&bytes);
        let expected = read_expect(&path.with_extension("expect"));
        assert!(!expected.is_empty(), "{}: empty .expect", path.display());
        for e in &expected {
            let found = parsed.diagnostics.iter().find(|d| {
                d.line == e.line
                    && d.column == e.column
                    && d.severity == e.severity
                    && d.message == e.message
            });
            let Some(d) = found else {
                panic!(
                    "{}: expected {}:{} {:?} {:?}\ngot {:#?}",
                    path.display(),
                    e.line,
                    e.column,
                    e.severity,
                    e.message,
                    parsed.diagnostics
                );
            };
            if let Some(h) = &e.hint {
                let en = d.hint.as_ref().map(|h| h.en.as_str()).unwrap_or("");
                assert!(
                    en.contains(h.as_str()),
                    "{}: hint {en:?} lacks {h:?}",
                    path.display()
                );
                assert!(
                    d.hint.as_ref().is_some_and(|h| !h.ko.is_empty()),
                    "{}: no Korean hint",
                    path.display()
                );
            }
        }
        for d in parsed
            .diagnostics
            .iter()
            .filter(|d| d.severity == Severity::Error)
        {
            assert!(
                expected
                    .iter()
                    .any(|e| e.line == d.line && e.column == d.column && e.message == d.message),
                "{}: unexpected error {}:{} {:?}",
                path.display(),
                d.line,
                d.column,
                d.message
            );
        }
        assert!(parsed.has_errors(), "{}: accepted", path.display());
    }
}

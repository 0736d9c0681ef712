//! Property tests: whatever is pasted — random text, corpus manifests mutated the way copying
//! from slides mangles them, random JSON objects — reading and admission return a result,
//! never panic, and stay fast. Plus the limits (size, alias bombs, nesting, bad bytes).

use proptest::prelude::*;
use serde_json::{json, Value};
use statefulset_lab::manifest::{
    admit, check_files, cross_check, parse, parse_bytes, LECTURE_EXAMPLE,
};
use std::time::{Duration, Instant};

/// Generous for unoptimised test builds; release builds are far faster.
const SLOW: Duration = Duration::from_millis(1500);

fn corpus() -> Vec<String> {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/manifests/valid");
    let mut out: Vec<String> = std::fs::read_dir(dir)
        .map(|rd| {
            rd.filter_map(|e| e.ok())
                .filter_map(|e| std::fs::read_to_string(e.path()).ok())
                .collect()
        })
        .unwrap_or_default();
    out.push(LECTURE_EXAMPLE.to_string());
    out
}

fn exercise(text: &str) {
    let started = Instant::now();
    let parsed = parse(text);
    for d in &parsed.diagnostics {
        assert!(
            d.line >= 1 && d.column >= 1,
            "position {}:{} for {:?}",
            d.line,
            d.column,
            d.message
        );
    }
    for doc in &parsed.documents {
        if let Ok(a) = admit(&doc.value, None) {
            let _ = admit(&a.object, Some(&a.object));
        }
        let _ = doc.locate("spec.template.spec.containers[0].image");
    }
    let _ = cross_check(&parsed.documents, &[]);
    assert!(started.elapsed() < SLOW, "took {:?}", started.elapsed());
}

#[derive(Debug, Clone)]
enum Mutation {
    Delete(usize, usize),
    Insert(usize, char),
    Dedent(usize),
    Indent(usize),
    SwapLines(usize, usize),
    Duplicate(usize),
}

fn mutation() -> impl Strategy<Value = Mutation> {
    let chars = prop::sample::select(vec![
        ' ', '\t', ':', '-', '\n', '"', '\'', '[', ']', '{', '}', ',', '#', '&', '*', '!', '|',
        '>', '%', '@', '`', 'x', '0', '\u{0}', 'é',
    ]);
    prop_oneof![
        (any::<usize>(), 0usize..20).prop_map(|(a, n)| Mutation::Delete(a, n)),
        (any::<usize>(), chars).prop_map(|(a, c)| Mutation::Insert(a, c)),
        any::<usize>().prop_map(Mutation::Dedent),
        any::<usize>().prop_map(Mutation::Indent),
        (any::<usize>(), any::<usize>()).prop_map(|(a, b)| Mutation::SwapLines(a, b)),
        any::<usize>().prop_map(Mutation::Duplicate),
    ]
}

fn apply(text: &str, m: &Mutation) -> String {
    let mut lines: Vec<String> = text.lines().map(str::to_string).collect();
    let n = lines.len().max(1);
    match m {
        Mutation::Delete(at, len) => {
            let chars: Vec<char> = text.chars().collect();
            let start = at % chars.len().max(1);
            let end = (start + len).min(chars.len());
            return chars[..start].iter().chain(chars[end..].iter()).collect();
        }
        Mutation::Insert(at, c) => {
            let mut chars: Vec<char> = text.chars().collect();
            let i = at % (chars.len() + 1);
            chars.insert(i, *c);
            return chars.into_iter().collect();
        }
        Mutation::Dedent(i) => {
            if let Some(l) = lines.get_mut(i % n) {
                *l = l.trim_start().to_string();
            }
        }
        Mutation::Indent(i) => {
            if let Some(l) = lines.get_mut(i % n) {
                l.insert_str(0, "  ");
            }
        }
        Mutation::SwapLines(a, b) => {
            if !lines.is_empty() {
                lines.swap(a % n, b % n);
            }
        }
        Mutation::Duplicate(i) => {
            if let Some(l) = lines.get(i % n).cloned() {
                lines.insert(i % n, l);
            }
        }
    }
    lines.join("\n")
}

fn json_value() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(|n| json!(n)),
        (-1e9f64..1e9).prop_map(|f| json!(f)),
        "[a-zA-Z0-9 .%:-]{0,12}".prop_map(Value::String),
        prop::sample::select(vec![
            "1Gi",
            "1GB",
            "None",
            "OnDelete",
            "RollingUpdate",
            "Parallel",
            "nginx",
            "web",
            "50%",
            "0%",
            "-1"
        ])
        .prop_map(|s| json!(s)),
    ];
    leaf.prop_recursive(5, 64, 6, |inner| {
        let keys = prop::sample::select(vec![
            "spec",
            "metadata",
            "name",
            "replicas",
            "selector",
            "matchLabels",
            "template",
            "labels",
            "containers",
            "image",
            "ports",
            "port",
            "containerPort",
            "serviceName",
            "updateStrategy",
            "type",
            "rollingUpdate",
            "partition",
            "maxUnavailable",
            "volumeClaimTemplates",
            "resources",
            "requests",
            "storage",
            "accessModes",
            "clusterIP",
            "volumeMounts",
            "app",
            "status",
        ]);
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..4).prop_map(Value::Array),
            prop::collection::btree_map(keys, inner, 0..5).prop_map(|m| Value::Object(
                m.into_iter().map(|(k, v)| (k.to_string(), v)).collect()
            )),
        ]
    })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 300, ..ProptestConfig::default() })]

    #[test]
    fn random_text_never_panics(text in "\\PC{0,400}") {
        exercise(&text);
    }

    #[test]
    fn yaml_shaped_noise_never_panics(text in "([a-z]{1,6}:( [a-z0-9\"'\\[\\]{}&*!|>-]{0,8})?\n( {0,6}- ?)?){0,30}") {
        exercise(&text);
    }

    #[test]
    fn random_bytes_never_panic(bytes in prop::collection::vec(any::<u8>(), 0..300)) {
        let _ = parse_bytes(&bytes);
    }

    #[test]
    fn mutated_corpus_never_panics(pick in any::<usize>(), muts in prop::collection::vec(mutation(), 1..6)) {
        let corpus = corpus();
        let mut text = corpus[pick % corpus.len()].clone();
        for m in &muts {
            text = apply(&text, m);
        }
        exercise(&text);
        let _ = check_files(&[("mutated.yaml", text.as_str())]);
    }

    #[test]
    fn random_objects_never_panic_admission(
        kind in prop::sample::select(vec!["StatefulSet", "Service", "PersistentVolumeClaim", "PersistentVolume", "StorageClass", "Deployment", "ConfigMap", "PodDisruptionBudget", "Pod"]),
        body in json_value(),
        old in json_value(),
    ) {
        let api_version = match kind {
            "StatefulSet" | "Deployment" => "apps/v1",
            "StorageClass" => "storage.k8s.io/v1",
            "PodDisruptionBudget" => "policy/v1",
            _ => "v1",
        };
        let mut obj = match body { Value::Object(m) => Value::Object(m), other => json!({"spec": other}) };
        obj["apiVersion"] = json!(api_version);
        obj["kind"] = json!(kind);
        let _ = admit(&obj, None);
        let _ = admit(&obj, Some(&old));
        let text = serde_json::to_string_pretty(&obj).unwrap_or_default();
        exercise(&text);
    }
}

fn quick(text: &str) -> statefulset_lab::manifest::Parsed {
    let started = Instant::now();
    let p = parse(text);
    let took = started.elapsed();
    // The issue asks for 100 ms; unoptimised builds get some slack.
    let limit = if cfg!(debug_assertions) {
        Duration::from_millis(400)
    } else {
        Duration::from_millis(100)
    };
    assert!(took < limit, "took {took:?}");
    p
}

#[test]
fn oversized_input_is_refused_at_once() {
    let text = "a: b\n".repeat(300_000);
    let p = quick(&text);
    assert!(
        p.diagnostics[0].message.contains("too large"),
        "{:?}",
        p.diagnostics
    );
}

#[test]
fn alias_bomb_is_refused_quickly() {
    let mut text = String::from("a: &a [x, x, x, x, x, x, x, x, x, x]\n");
    let names = ["b", "c", "d", "e", "f", "g", "h", "i", "j"];
    let mut prev = "a";
    for n in names {
        text.push_str(&format!("{n}: &{n} [*{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}]\n"));
        prev = n;
    }
    let p = quick(&text);
    assert!(
        p.diagnostics
            .iter()
            .any(|d| d.message.contains("expand to more than")),
        "{:?}",
        p.diagnostics
    );
}

#[test]
fn deep_nesting_is_refused_quickly() {
    for text in [
        "[".repeat(100_000),
        "{a: ".repeat(50_000),
        (0..2000)
            .map(|i| format!("{}k:\n", " ".repeat(i)))
            .collect::<String>(),
    ] {
        let p = quick(&text);
        assert!(p.has_errors());
    }
}

#[test]
fn bad_bytes_and_control_characters_are_reported_where_they_are() {
    let p = parse_bytes(b"apiVersion: v1\nkind: \xff\n");
    assert_eq!((p.diagnostics[0].line, p.diagnostics[0].column), (2, 7));
    let p = parse("apiVersion: v1\nkind: Ser\u{7}vice\n");
    assert_eq!((p.diagnostics[0].line, p.diagnostics[0].column), (2, 10));
    assert!(p.diagnostics[0].message.contains("U+0007"));
}

#[test]
fn many_documents_and_a_late_syntax_error_stop_at_the_first_error() {
    let mut text = String::new();
    for i in 0..200 {
        text.push_str(&format!(
            "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c{i}\n---\n"
        ));
    }
    text.push_str("a: [\n");
    let p = quick(&text);
    assert_eq!(p.documents.len(), 200);
    assert_eq!(
        p.diagnostics
            .iter()
            .filter(|d| d.severity == statefulset_lab::manifest::Severity::Error)
            .count(),
        1
    );
}

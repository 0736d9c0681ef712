//! Golden transcripts: every `tests/scripts/*.kubectl` is run with seed 1 and compared with its
//! `.out`. After reviewing a change, regenerate with `STSLAB_BLESS=1 cargo test --test kubectl_scripts`.
//! The tutorial scenarios (spec §9.3, T1–T14) are also checked on the NAME/READY/STATUS
//! sequences the spec gives, so a blessed transcript cannot drift away from them unnoticed.

use std::path::{Path, PathBuf};

use statefulset_lab::kubectl::{FileProvider, Interpreter};

struct Dir(PathBuf);

impl FileProvider for Dir {
    fn read(&self, path: &str) -> Result<String, String> {
        std::fs::read_to_string(self.0.join(path)).map_err(|e| e.to_string())
    }
}

fn scripts_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/scripts")
}

/// The names of every `*.kubectl` script, sorted.
fn script_names() -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(scripts_dir())
        .map(|d| d.filter_map(|e| e.ok()).map(|e| e.file_name().to_string_lossy().to_string()).filter(|n| n.ends_with(".kubectl")).collect())
        .unwrap_or_default();
    names.sort();
    names
}

fn transcript(name: &str) -> String {
    let dir = scripts_dir();
    let text = std::fs::read_to_string(dir.join(name)).unwrap_or_default();
    let mut it = Interpreter::with_seed(1);
    it.set_files(Box::new(Dir(dir)));
    it.run_script(&text)
}

#[test]
fn golden_transcripts() {
    let bless = std::env::var("STSLAB_BLESS").is_ok();
    let names = script_names();
    assert!(names.len() >= 16, "expected T1–T14 plus error and happy-path scripts, found {names:?}");
    let mut failures = Vec::new();
    for name in names {
        let got = transcript(&name);
        let out = scripts_dir().join(name.replace(".kubectl", ".out"));
        if bless {
            std::fs::write(&out, &got).unwrap_or_default();
            continue;
        }
        let want = std::fs::read_to_string(&out).unwrap_or_default();
        if got != want {
            let line = got.lines().zip(want.lines()).position(|(a, b)| a != b).unwrap_or(0);
            failures.push(format!("{name}: first difference at line {}:\n  got:  {:?}\n  want: {:?}", line + 1, got.lines().nth(line), want.lines().nth(line)));
        }
    }
    assert!(failures.is_empty(), "transcripts changed (STSLAB_BLESS=1 to accept):\n{}", failures.join("\n"));
}

/// `stslab run SCRIPT --seed 1`, as a student runs it: the real binary, with the allocator it
/// installs (`src/heap.rs`), prints every golden transcript byte for byte.
#[test]
fn the_command_line_prints_the_golden_transcripts() {
    let names = script_names();
    assert!(!names.is_empty());
    let mut failures = Vec::new();
    for script in names.iter().map(|n| scripts_dir().join(n)) {
        let out = std::process::Command::new(env!("CARGO_BIN_EXE_stslab")).arg("run").arg(&script).args(["--seed", "1"]).output();
        let Ok(out) = out else {
            failures.push(format!("{}: stslab did not start", script.display()));
            continue;
        };
        let want = std::fs::read(script.with_extension("out")).unwrap_or_default();
        if !out.status.success() || out.stdout != want || !out.stderr.is_empty() {
            failures.push(format!("{}: exit {:?}, stdout {} bytes (want {}), stderr {:?}", script.display(), out.status.code(), out.stdout.len(), want.len(), String::from_utf8_lossy(&out.stderr)));
        }
    }
    assert!(failures.is_empty(), "stslab differs from the golden transcripts:\n{}", failures.join("\n"));
}

#[test]
fn transcripts_are_deterministic() {
    assert_eq!(transcript("t05_rolling_update.kubectl"), transcript("t05_rolling_update.kubectl"));
}

/// The (pod, READY, STATUS) triples of the watch lines after a command in a transcript.
fn watch_rows(t: &str, after: &str) -> Vec<(String, String, String)> {
    let Some(start) = t.find(after) else { return vec![] };
    let body = t.get(start..).unwrap_or("");
    let mut rows = Vec::new();
    for line in body.lines().skip(1) {
        if line.starts_with("$ ") {
            break;
        }
        let cells: Vec<&str> = line.split_whitespace().collect();
        if let [name, ready, status, ..] = cells.as_slice() {
            if name.starts_with("web-") {
                rows.push((name.to_string(), ready.to_string(), status.to_string()));
            }
        }
    }
    rows
}

fn seq(rows: &[(String, String, String)], pod: &str) -> Vec<String> {
    rows.iter().filter(|r| r.0 == pod).map(|r| format!("{} {}", r.1, r.2)).collect()
}

/// Whether `want` appears in `got` in order (other lines may sit between).
fn in_order(got: &[String], want: &[&str]) -> bool {
    let mut it = got.iter();
    want.iter().all(|w| it.any(|g| g == w))
}

const START: [&str; 4] = ["0/1 Pending", "0/1 Pending", "0/1 ContainerCreating", "1/1 Running"];

#[test]
fn t1_creation_is_ordered() {
    let rows = watch_rows(&transcript("t01_create.kubectl"), "$ kubectl get pods -w");
    assert!(in_order(&seq(&rows, "web-0"), &START), "{rows:?}");
    assert!(in_order(&seq(&rows, "web-1"), &START), "{rows:?}");
    let first_web1 = rows.iter().position(|r| r.0 == "web-1");
    let web0_running = rows.iter().position(|r| r.0 == "web-0" && r.2 == "Running");
    assert!(web0_running < first_web1, "web-1 must start after web-0 is Running: {rows:?}");
}

#[test]
fn t2_deleted_pods_come_back() {
    let t = transcript("t02_delete_pods.kubectl");
    let rows = watch_rows(&t, "$ kubectl get pods -w");
    assert!(in_order(&seq(&rows, "web-0"), &["1/1 Running"]));
    assert!(in_order(&seq(&rows, "web-1"), &START));
    assert!(t.contains("\nweb-0\nweb-1\n"), "index.html survives on the claims");
    assert!(t.contains("Address 1: ") && t.contains("web-0.nginx.default.svc.cluster.local"));
}

#[test]
fn t3_scale_up_one_at_a_time() {
    let rows = watch_rows(&transcript("t03_scale_up.kubectl"), "$ kubectl get pods -w");
    for p in ["web-2", "web-3", "web-4"] {
        assert!(in_order(&seq(&rows, p), &START), "{p}: {rows:?}");
    }
    let order: Vec<&str> = rows.iter().filter(|r| r.2 == "Running" && r.0 != "web-0" && r.0 != "web-1").map(|r| r.0.as_str()).collect();
    assert_eq!(order, vec!["web-2", "web-3", "web-4"]);
}

#[test]
fn t4_scale_down_highest_first_claims_stay() {
    let t = transcript("t04_scale_down.kubectl");
    let rows = watch_rows(&t, "$ kubectl get pods -w");
    let first_term = |p: &str| rows.iter().position(|r| r.0 == p && r.2 == "Terminating");
    assert!(first_term("web-4").is_some() && first_term("web-4") < first_term("web-3"), "{rows:?}");
    assert!(t.contains("www-web-4"), "claims stay after scale-down");
}

#[test]
fn t5_rolling_update_top_down() {
    let t = transcript("t05_rolling_update.kubectl");
    let rows = watch_rows(&t, "$ kubectl get pods -w");
    let term = |p: &str| rows.iter().position(|r| r.0 == p && r.2 == "Terminating");
    assert!(term("web-2") < term("web-1") && term("web-1") < term("web-0"), "{rows:?}");
    for p in ["web-0", "web-1", "web-2"] {
        assert!(in_order(&seq(&rows, p), &["1/1 Terminating", "0/1 Terminating", "0/1 Pending", "0/1 ContainerCreating", "1/1 Running"]), "{p}");
    }
    assert_eq!(t.lines().filter(|l| *l == "registry.k8s.io/nginx-slim:0.24").count(), 3);
}

#[test]
fn t6_to_t9_partitions() {
    let t6 = transcript("t06_staging.kubectl");
    assert!(t6.trim_end().ends_with("registry.k8s.io/nginx-slim:0.21"), "below the partition: old image");
    let t7 = transcript("t07_canary.kubectl");
    assert!(t7.trim_end().ends_with("registry.k8s.io/nginx-slim:0.24"), "canary gets the new image");
    let t8 = transcript("t08_canary_delete.kubectl");
    assert!(t8.trim_end().ends_with("registry.k8s.io/nginx-slim:0.21"), "web-1 restored at the old image");
    let t9 = transcript("t09_phased.kubectl");
    assert_eq!(t9.lines().filter(|l| *l == "registry.k8s.io/nginx-slim:0.24").count(), 3);
}

#[test]
fn t10_ondelete_patch() {
    let t = transcript("t10_ondelete.kubectl");
    assert!(t.contains("The StatefulSet \"web\" is invalid: spec.updateStrategy.rollingUpdate: Invalid value: {\"Partition\":0,\"MaxUnavailable\":null}: only allowed for updateStrategy 'RollingUpdate'"));
    assert!(t.contains("statefulset.apps/web patched\n"));
    assert!(t.contains("error: rollout status is only available for RollingUpdate strategy type"));
}

#[test]
fn t11_orphans_adopted() {
    let t = transcript("t11_orphan.kubectl");
    assert!(t.contains("statefulset.apps/web created") && t.contains("service/nginx unchanged"));
    let rows = watch_rows(&t, "$ kubectl get pods -w");
    assert!(in_order(&seq(&rows, "web-0"), &["0/1 Pending", "0/1 ContainerCreating", "1/1 Running"]));
    assert!(in_order(&seq(&rows, "web-2"), &["1/1 Terminating", "0/1 Terminating"]));
}

#[test]
fn t12_t14_cascading_delete_is_concurrent() {
    for (name, pods) in [("t12_cascade.kubectl", vec!["web-0", "web-1"]), ("t14_parallel_delete.kubectl", vec!["web-0", "web-1", "web-2", "web-3"])] {
        let t = transcript(name);
        let rows = watch_rows(&t, "$ kubectl get pods -w");
        let first_zero = rows.iter().position(|r| r.1 == "0/1");
        for p in &pods {
            let term = rows.iter().position(|r| &r.0 == p && r.2 == "Terminating");
            assert!(term.is_some() && term < first_zero, "{name}: {p} starts terminating with the others: {rows:?}");
        }
    }
}

#[test]
fn t13_parallel_scale_up() {
    let rows = watch_rows(&transcript("t13_parallel.kubectl"), "$ kubectl get pods -w");
    let new = ["web-2", "web-3", "web-4"];
    let first_running = rows.iter().position(|r| r.2 == "Running" && new.contains(&r.0.as_str()));
    for p in ["web-2", "web-3", "web-4"] {
        let pending = rows.iter().position(|r| r.0 == p && r.2 == "Pending");
        assert!(pending.is_some() && pending < first_running, "{p} is created before any new pod runs: {rows:?}");
    }
}

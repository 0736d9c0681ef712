//! Labs brought from outside (src/labs/link.rs): whatever a `#lab=` link or a local file holds
//! is read by the same natively built functions the browser calls (`read_lab` with its 64 KB
//! limit, `from_fragment` with its base64url decoding), and a lab that reads is started
//! (`LabSession::start` runs its setup), its checks evaluated, its solution played the way
//! "show me" plays it, and its checks evaluated again. Inputs starting with a zero byte instead
//! build a lab from a built-in one with hostile checks, setup and solution, since mutated YAML
//! rarely keeps the whole lab valid.
//! Property: nothing panics, and nothing hangs (libFuzzer's -timeout).
#![no_main]

use arbitrary::{Result, Unstructured};
use libfuzzer_sys::fuzz_target;
use statefulset_lab::engine::Time;
use statefulset_lab::labs::{self, Check, Lab, LabSession, ShowMe, Text};

const NAMES: &[&str] = &["web-0", "web-1", "web-2", "web", "nginx", "www-web-0", "", "-", "web-4294967296", "../web-0", "web-0\n", "WEB-0"];
const WORDS: &[&str] = &[
    "app=nginx", "app!=nginx", "app==nginx", "app", "=", "!=", ",", ",,,", "app=nginx,tier!=db", " app = nginx ", "a=b=c",
    "/usr/share/nginx/html/index.html", "/", "", "/etc/hosts", "/../../etc/passwd", "/a/b/c/d", "//", "\0",
    "created", "running", "ready", "terminating", "deleted", "Running", "Pending", "Bound", "nginx:1.25", "RollingUpdate",
    "OnDelete", "Service", "service", "StatefulSet", "Deployment", "PersistentVolume", "Node", "bogus", "web-0 ready",
    "web-1 created", "web-0", "web-0 ready extra", "web-0.nginx", "nginx.default.svc.cluster.local", "<script>",
];
const LINES: &[&str] = &[
    "kubectl apply -f web.yaml", "kubectl apply -f m.yaml", "kubectl apply -f nope.yaml", "settle", "sleep 24h", "sleep 99999999h",
    "kubectl scale sts web --replicas=5", "kubectl scale sts web --replicas=0", "kubectl delete pod web-0", "crash pod/web-1",
    "kubectl exec web-0 -- sh -c 'echo hi > /usr/share/nginx/html/index.html'", "node down node-1",
    "kubectl drain node-1 --ignore-daemonsets --delete-emptydir-data", "kubectl set image sts/web nginx=nginx:1.25",
    "kubectl delete sts web --cascade=orphan", "kubectl run t --image=busybox --restart=Never", "kubectl get pods",
    "for i in 0 1 2; do kubectl delete pod web-$i; done", "kubectl apply -f - <<EOF", "EOF", "'", "\\",
];

fn pick<'a>(u: &mut Unstructured, from: &[&'a str]) -> Result<&'a str> {
    Ok(*u.choose(from)?)
}

fn word(u: &mut Unstructured) -> Result<String> {
    Ok(if u.ratio(1, 4)? { u.arbitrary()? } else { pick(u, WORDS)?.to_string() })
}

fn name(u: &mut Unstructured) -> Result<String> {
    Ok(if u.ratio(1, 6)? { u.arbitrary()? } else { pick(u, NAMES)?.to_string() })
}

fn small(u: &mut Unstructured) -> Result<i64> {
    Ok(match u.int_in_range(0..=5)? {
        0 => i64::MIN,
        1 => i64::MAX,
        2 => -1,
        _ => u.int_in_range(0..=6)?,
    })
}

/// One check as YAML: the format's own parser then builds it, as it would from a file.
fn check(u: &mut Unstructured) -> Result<String> {
    let opt_bool = |u: &mut Unstructured, key: &str| -> Result<String> {
        Ok(if u.arbitrary()? { format!(", {key}: {}", u.arbitrary::<bool>()?) } else { String::new() })
    };
    let q = |s: String| serde_json::to_string(&s).unwrap_or_default();
    let body = match u.int_in_range(0..=7)? {
        0 => format!("pod: {{name: {}{}, phase: {}{}, image: {}{}}}", q(name(u)?), opt_bool(u, "ready")?, q(word(u)?),
            opt_bool(u, "recreated")?, q(word(u)?), opt_bool(u, "exists")?),
        1 => format!("claim: {{name: {}, phase: {}{}}}", q(name(u)?), q(word(u)?), opt_bool(u, "exists")?),
        2 => format!("statefulset: {{name: {}, replicas: {}, ready_replicas: {}, partition: {}, revisions: {}, update_strategy: {}{}{}}}",
            q(name(u)?), small(u)?, small(u)?, small(u)?, small(u)?.max(0), q(word(u)?), opt_bool(u, "rolled_out")?, opt_bool(u, "exists")?),
        3 => format!("pods: {{selector: {}, count: {}, ready: {}, image: {}}}", q(word(u)?), small(u)?.max(0), small(u)?.max(0), q(word(u)?)),
        4 => format!("file: {{pod: {}, path: {}, contains: {}, equals: {}}}", q(name(u)?), q(word(u)?), q(word(u)?), q(word(u)?)),
        5 => format!("dns: {{name: {}, addresses: {}{}}}", q(word(u)?), small(u)?.max(0), opt_bool(u, "resolves")?),
        6 => {
            let mut steps = Vec::new();
            for _ in 0..u.int_in_range(0..=6)? {
                steps.push(q(if u.arbitrary()? { format!("{} {}", name(u)?, word(u)?) } else { word(u)? }));
            }
            format!("sequence: [{}]", steps.join(", "))
        }
        _ => format!("object: {{kind: {}, name: {}{}}}", q(word(u)?), q(name(u)?), opt_bool(u, "exists")?),
    };
    Ok(format!("{{text: {{en: a, ko: b}}, {body}}}"))
}

fn script(u: &mut Unstructured) -> Result<String> {
    let mut lines = Vec::new();
    for _ in 0..u.int_in_range(0..=8)? {
        lines.push(if u.ratio(1, 5)? { u.arbitrary()? } else { pick(u, LINES)?.to_string() });
    }
    Ok(lines.join("\n"))
}

/// A built-in lab with its checks, setup, solution and one file replaced.
fn hostile(u: &mut Unstructured) -> Result<Lab> {
    let base = u.choose(labs::BUILT_IN)?;
    let mut lab = labs::parse_lab(base).map_err(|_| arbitrary::Error::IncorrectFormat)?;
    lab.checks.clear();
    for _ in 0..u.int_in_range(1..=6)? {
        let yaml = check(u)?;
        if let Ok(c) = serde_yaml::from_str::<Check>(&yaml) {
            lab.checks.push(c);
        }
    }
    if u.arbitrary()? {
        lab.setup = script(u)?;
    }
    lab.solution = script(u)?;
    if u.arbitrary()? {
        let text: String = u.arbitrary()?;
        lab.files.insert("m.yaml".into(), text);
    }
    lab.title = Text { en: u.arbitrary()?, ko: u.arbitrary()? };
    Ok(lab)
}

/// Starts the lab, evaluates its checks, plays its solution command by command as "show me"
/// does (time moving between commands), and evaluates them again.
fn run(lab: &Lab, seed: u64) {
    let mut session = LabSession::start(lab, seed);
    assert_eq!(session.results(lab).len(), lab.checks.len());
    let mut show = ShowMe::new(&lab.solution);
    let mut now = 0;
    for _ in 0..64 {
        let Some(line) = show.take_next(now) else { break };
        let out = session.run_line(&line);
        if out.watching {
            session.interpreter.interrupt();
        }
        if out.incomplete && show.remaining() == 0 {
            session.interpreter.cancel_pending();
        }
        let t = session.interpreter.engine.now();
        session.interpreter.engine.advance_to(Time(t.0.saturating_add(5_000)));
        session.observe();
        now += 5_000;
        let _ = session.results(lab);
    }
    let _ = session.results(lab);
}

fuzz_target!(|data: &[u8]| {
    if let Some((0, rest)) = data.split_first().map(|(b, r)| (*b, r)) {
        let mut u = Unstructured::new(rest);
        if let Ok(lab) = hostile(&mut u) {
            run(&lab, u.int_in_range(0..=3).unwrap_or(0));
        }
        return;
    }
    let text = String::from_utf8_lossy(data);
    // As a local file, as a link's raw fragment, and as a link carrying this text.
    let _ = labs::from_fragment(&text);
    let from_file = labs::read_lab(&text);
    let from_link = labs::from_fragment(&labs::to_fragment(&text));
    match (&from_file, &from_link) {
        (Ok(lab), Some(Ok((again, source)))) => {
            assert_eq!(lab, again, "a link reads the same lab as the file");
            assert_eq!(source, &text);
        }
        (Err(a), Some(Err(b))) => {
            if text.len() <= labs::MAX_LAB_BYTES {
                assert_eq!(a, b, "a link and a file are refused alike");
            }
        }
        _ => panic!("a link and a file disagree: {from_file:?} / {from_link:?}"),
    }
    if let Ok(lab) = from_file {
        run(&lab, 0);
    }
});

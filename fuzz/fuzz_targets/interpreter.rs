//! The whole pipeline through the kubectl interpreter: a manifest (one of the examples,
//! mutated, or arbitrary text) is applied, then a random sequence of command lines built from a
//! small grammar: gets, scales, patches with random JSON, deletes, rollouts, waits, faults
//! (`crash`, `node down`), drains against PodDisruptionBudgets with odd budgets, `run` with
//! `--overrides` JSON, `logs`, custom columns and `--sort-by`, virtual time (`sleep`, `settle`),
//! watches and raw lines.
//! Property: nothing panics, and every command returns (libFuzzer's -timeout catches hangs).
#![no_main]

use std::collections::BTreeMap;

use arbitrary::{Arbitrary, Result, Unstructured};
use libfuzzer_sys::fuzz_target;
use serde_json::{json, Map, Value};
use statefulset_lab::engine::Time;
use statefulset_lab::kubectl::{Interpreter, MemoryFiles};
use statefulset_lab::manifest::examples::EXAMPLES;

const KINDS: &[&str] = &[
    "pod", "pods", "po", "sts", "statefulset", "statefulsets.apps", "svc", "service", "pvc", "pv", "ep",
    "endpoints", "deploy", "deployment", "rs", "controllerrevisions", "nodes", "sc", "all", "ns", "events",
    "endpointslices", "endpointslices.discovery.k8s.io", "pdb", "poddisruptionbudget", "poddisruptionbudgets.policy", "bogus",
];
const NAMES: &[&str] = &["web", "nginx", "db", "web-0", "web-1", "web-2", "web-9", "www-web-0", "node-1", "node-2", "nope", "", "-", "web-100000"];
const NODES: &[&str] = &["node-1", "node-2", "node-3", "node-9", "node/node-1", ""];
const OUTPUTS: &[&str] = &[
    "", " -o wide", " -o yaml", " -o json", " -o name", " -o jsonpath='{.items[*].metadata.name}'",
    " -o jsonpath='{range .items[*]}{.status.phase}{\"\\n\"}{end}'", " -o jsonpath={.spec.replicas}",
    " -o custom-columns=N:.metadata.name", " -o go-template='{{.metadata.name}}'", " --show-labels",
    " -l app=nginx", " -l 'app in (nginx,db)'", " -l app!=x", " -A", " --no-headers", " -o jsonpath='{.status'",
    " -o custom-columns=", " -o custom-columns=:", " -o custom-columns=A", " -o custom-columns=,", " -o custom-columns=A:,B:",
    " -o custom-columns=N:.metadata.name,P:.status.phase,I:.spec.containers[*].image",
    " -o 'custom-columns=A:.items[*],B:{.x}'", " -o custom-columns=A:.a.b.c.d.e.f,B:..x", " -o custom-columns=A:.metadata.labels.app,A:.metadata.labels.app",
    " -o 'custom-columns=A:{range .x}{end}'", " -o custom-columns=A:[-1],B:.spec.containers[-1:].name", " -o custom-columns=A:.status.conditions[?(@.type==\"Ready\")].status",
    " -o custom-columns-file=x", " -o custom-columns=é:.é",
];
/// `--sort-by` paths: fields that exist, are missing, lists, maps, mixed types and nonsense.
const SORT_BY: &[&str] = &[
    ".metadata.name", "{.metadata.name}", ".metadata.creationTimestamp", ".status.phase", ".spec.replicas", ".status.readyReplicas",
    ".metadata.labels", ".spec.containers", ".spec.containers[*].image", ".spec.containers[0].image", ".status.containerStatuses[0].restartCount",
    ".x", "", ".", "..", "[", "{", "{.a}{.b}", "{range .items[*]}{end}", ".metadata.uid", "metadata.name", ".status.capacity.storage",
    ".spec.resources.requests.storage", ".items[*]", ".status.conditions[?(@.type==\"Ready\")].status", ".spec.minAvailable",
];
const DURATIONS: &[&str] = &[
    "0", "1", "5s", "30s", "1m", "10m", "1h", "24h", "0.5", "1.5m", "1h30m", "99999999h", "-1s", "1e9",
    "abc", "9223372036854775807", "18446744073709551616s", "1ns", "",
];
const PATCH_PATHS: &[&str] = &[
    "/spec/replicas", "/spec/template/spec/containers/0/image", "/spec/updateStrategy", "/metadata/labels",
    "/spec/template/metadata/labels/app", "/spec/selector", "/spec/podManagementPolicy", "/spec/minReadySeconds",
    "/spec/persistentVolumeClaimRetentionPolicy", "/spec/ordinals/start", "/spec", "", "/", "/spec/template/spec/containers/-",
];

/// `minAvailable`/`maxUnavailable` values as a student might write them, sane and not.
const INT_OR_PERCENT: &[&str] = &[
    "0", "1", "2", "-1", "\"50%\"", "\"150%\"", "\"100%\"", "\"0%\"", "\"-1%\"", "\"1\"", "\"abc\"", "\"%\"", "\"9223372036854775807%\"",
    "\"-9223372036854775808%\"", "9223372036854775807", "-9223372036854775808", "99999999999999999999", "1.5", "\"1.5%\"", "null", "[]", "{}",
    "true", "\" 5 %\"", "\"+5%\"",
];

/// A PodDisruptionBudget (or a few) for `pdb.yaml`: odd budgets and selectors.
fn pdb_manifest(u: &mut Unstructured) -> Result<String> {
    let mut docs = Vec::new();
    for i in 0..u.int_in_range(1..=2)? {
        let field = pick(u, &["minAvailable", "maxUnavailable", "both", "neither"])?;
        let spec_value = match field {
            "both" => format!("minAvailable: {}\n  maxUnavailable: {}", pick(u, INT_OR_PERCENT)?, pick(u, INT_OR_PERCENT)?),
            "neither" => "unhealthyPodEvictionPolicy: AlwaysAllow".into(),
            f => format!("{f}: {}", pick(u, INT_OR_PERCENT)?),
        };
        let selector = pick(u, &["matchLabels: {app: nginx}", "matchLabels: {app: db}", "{}", "matchExpressions: [{key: app, operator: Exists}]", "matchLabels: {}", "matchLabels: {app: web}"])?;
        let selector = if selector == "{}" { "selector: {}".to_string() } else { format!("selector:\n    {selector}") };
        docs.push(format!("apiVersion: policy/v1\nkind: PodDisruptionBudget\nmetadata:\n  name: {}\nspec:\n  {spec_value}\n  {selector}\n", if i == 0 { "web-pdb" } else { "other" }));
    }
    Ok(docs.join("---\n"))
}

/// `kubectl drain` with its flags in hostile combinations.
fn drain(u: &mut Unstructured) -> Result<String> {
    let mut line = format!("kubectl drain {}", pick(u, NODES)?);
    for _ in 0..u.int_in_range(0..=5)? {
        line += &match u.int_in_range(0..=10)? {
            0 => " --ignore-daemonsets".to_string(),
            1 => " --delete-emptydir-data".into(),
            2 => " --force".into(),
            3 => " --disable-eviction".into(),
            4 => format!(" --grace-period={}", number(u)?),
            5 => format!(" --timeout={}", pick(u, DURATIONS)?),
            6 => format!(" --pod-selector={}", quote(pick(u, &["app=nginx", "app!=nginx", "app in (nginx)", "app", "!app", "=", "a=b,c", "app=nginx,app=db", ""])?)),
            7 => format!(" --skip-wait-for-delete-timeout={}", number(u)?),
            8 => format!(" --dry-run={}", pick(u, &["client", "server", "none", "bogus"])?),
            9 => " -l app=nginx".into(),
            _ => " --delete-local-data".into(),
        };
    }
    Ok(line)
}

/// `kubectl run` creating a pod: attach, --rm, --command, labels, env, and --overrides JSON.
fn run(u: &mut Unstructured) -> Result<String> {
    let name = pick(u, &["t", "web-0", "dns-test", "x", "", "-", "UPPER", "a.b"])?;
    let mut line = format!("kubectl run {name}");
    if u.ratio(7, 8)? {
        line += &format!(" --image={}", pick(u, &["busybox:1.28", "nginx", "", "bad image", "<x>"])?);
    }
    for _ in 0..u.int_in_range(0..=5)? {
        line += &match u.int_in_range(0..=10)? {
            0 => " -i".to_string(),
            1 => " -it".into(),
            2 => " --rm".into(),
            3 => format!(" --restart={}", pick(u, &["Never", "OnFailure", "Always", "Sometimes", ""])?),
            4 => " --command".into(),
            5 => format!(" --labels={}", quote(pick(u, &["app=nginx", "a=b,c=d", "bad label", "=", ""])?)),
            6 => format!(" --env={}", pick(u, &["A=1", "=", "A", ""])?),
            7 => format!(" --overrides={}", quote(&overrides(u)?)),
            8 => format!(" --pod-running-timeout={}", pick(u, DURATIONS)?),
            9 => format!(" --dry-run={} -o {}", pick(u, &["client", "server"])?, pick(u, &["yaml", "json", "name"])?),
            _ => " --attach".into(),
        };
    }
    if u.arbitrary()? {
        line += &format!(" -- {}", pick(u, &["nslookup web-0.nginx", "sleep 3600", "sh -c 'exit 1'", "false", "true", "hostname", "cat /nope", "echo hi", "sleep 99999999"])?);
    }
    Ok(line)
}

/// `--overrides`: a merge patch onto the generated pod, often malformed or hostile.
fn overrides(u: &mut Unstructured) -> Result<String> {
    Ok(match u.int_in_range(0..=5)? {
        0 => pick(u, &["{", "", "null", "[]", "1", "\"x\"", "{\"spec\":", "{\"spec\":null}", "{\"spec\":{\"containers\":null}}",
            "{\"spec\":{\"containers\":[]}}", "{\"metadata\":{\"name\":\"\"}}", "{\"metadata\":{\"namespace\":\"kube-system\"}}",
            "{\"kind\":\"Service\"}", "{\"apiVersion\":\"v2\"}", "{\"spec\":{\"nodeName\":\"node-9\"}}", "{\"spec\":{\"restartPolicy\":\"Bogus\"}}",
            "{\"spec\":{\"containers\":[{\"name\":\"a\"}]}}", "{\"spec\":{\"volumes\":[{\"name\":\"v\",\"persistentVolumeClaim\":{\"claimName\":\"www-web-0\"}}]}}",
            "{\"metadata\":{\"ownerReferences\":[{\"kind\":\"StatefulSet\",\"name\":\"web\",\"uid\":\"x\",\"controller\":true}]}}",
            "{\"spec\":{\"terminationGracePeriodSeconds\":-1}}", "{\"spec\":{\"terminationGracePeriodSeconds\":9223372036854775807}}"])?.to_string(),
        1 => format!("{{\"spec\":{}}}", json_value(u, 3)?),
        2 => format!("{{\"metadata\":{}}}", json_value(u, 3)?),
        3 => "[".repeat(u.int_in_range(0..=200)?),
        _ => json_value(u, 4)?.to_string(),
    })
}

fn pick<'a>(u: &mut Unstructured, from: &[&'a str]) -> Result<&'a str> {
    Ok(*u.choose(from)?)
}

/// Small numbers mostly, and the edges of every integer type sometimes.
fn number(u: &mut Unstructured) -> Result<i64> {
    Ok(match u.int_in_range(0..=9)? {
        0 => i64::MAX,
        1 => i64::MIN,
        2 => i32::MAX as i64,
        3 => -1,
        4 => u.arbitrary()?,
        _ => u.int_in_range(0..=12)?,
    })
}

fn json_value(u: &mut Unstructured, depth: u32) -> Result<Value> {
    let choice = if depth == 0 { u.int_in_range(0..=4)? } else { u.int_in_range(0..=7)? };
    Ok(match choice {
        0 => Value::Null,
        1 => Value::Bool(u.arbitrary()?),
        2 => json!(number(u)?),
        3 => json!(u.arbitrary::<f64>()?),
        4 => Value::String(match u.int_in_range(0..=3)? {
            0 => u.arbitrary::<String>()?,
            1 => pick(u, &["nginx:1.25", "web", "OnDelete", "RollingUpdate", "Parallel", "Delete", "Retain", "1Gi"])?.to_string(),
            _ => pick(u, NAMES)?.to_string(),
        }),
        5 | 6 => {
            let mut m = Map::new();
            for _ in 0..u.int_in_range(0..=3)? {
                let k = match u.int_in_range(0..=3)? {
                    0 => u.arbitrary::<String>()?,
                    _ => pick(u, &["spec", "replicas", "template", "metadata", "labels", "app", "containers", "image", "name", "partition", "updateStrategy", "rollingUpdate", "type", "selector", "matchLabels", "$patch", "maxUnavailable", "ordinals", "start"])?.to_string(),
                };
                m.insert(k, json_value(u, depth - 1)?);
            }
            Value::Object(m)
        }
        _ => {
            let mut a = Vec::new();
            for _ in 0..u.int_in_range(0..=3)? {
                a.push(json_value(u, depth - 1)?);
            }
            Value::Array(a)
        }
    })
}

/// Single-quotes a word for the shell.
fn quote(s: &str) -> String {
    format!("'{}'", s.replace('\'', "'\\''"))
}

fn patch(u: &mut Unstructured) -> Result<String> {
    let target = format!("{} {}", pick(u, &["sts", "statefulset", "svc", "pod", "deploy", "pvc"])?, pick(u, NAMES)?);
    Ok(match u.int_in_range(0..=2)? {
        0 => format!("kubectl patch {target} -p {}", quote(&json_value(u, 4)?.to_string())),
        1 => format!("kubectl patch {target} --type=merge -p {}", quote(&json_value(u, 4)?.to_string())),
        _ => {
            let mut ops = Vec::new();
            for _ in 0..u.int_in_range(0..=3)? {
                let op = pick(u, &["add", "replace", "remove", "test", "move", "copy", "bogus"])?;
                let mut o = json!({"op": op, "path": pick(u, PATCH_PATHS)?});
                if u.arbitrary()? {
                    o["value"] = json_value(u, 3)?;
                }
                if u.arbitrary()? {
                    o["from"] = json!(pick(u, PATCH_PATHS)?);
                }
                ops.push(o);
            }
            let body = if u.ratio(1, 8)? { json_value(u, 3)? } else { Value::Array(ops) };
            format!("kubectl patch {target} --type=json -p {}", quote(&body.to_string()))
        }
    })
}

/// `--dry-run` and `-o` as commands that write objects take them.
const WRITE_FLAGS: &[&str] = &["", " --dry-run=client -o yaml", " --dry-run=server -o json", " -o name", " -o wide", " --dry-run=bogus", " -o jsonpath={.metadata.name}", " --dry-run=client", " -o go-template={{.kind}}"];

fn command(u: &mut Unstructured) -> Result<String> {
    let kind = pick(u, KINDS)?;
    let name = pick(u, NAMES)?;
    Ok(match u.int_in_range(0..=38)? {
        0..=2 => format!("kubectl get {kind}{}{}{}", if u.arbitrary()? { format!(" {name}") } else { String::new() }, pick(u, OUTPUTS)?,
            if u.ratio(1, 3)? { format!(" --sort-by={}", quote(pick(u, SORT_BY)?)) } else { String::new() }),
        3 => format!("kubectl describe {kind} {name}"),
        4 | 5 => format!("kubectl scale {} {name} --replicas={}", pick(u, &["sts", "statefulset", "deploy", "rs"])?, number(u)?),
        6 | 7 => patch(u)?,
        8 => format!("kubectl set image sts/{name} {}={}", pick(u, &["nginx", "web", "*", "nope"])?, pick(u, &["nginx:1.25", "registry.k8s.io/nginx-slim:0.27", "bad image", "<script>", ""])?),
        9 => format!("kubectl rollout {} sts/{name}{}", pick(u, &["status", "history", "undo", "restart", "pause", "bogus"])?,
            pick(u, &["", " --timeout=30s", " --timeout=0", " --to-revision=1", " --to-revision=-1", " --to-revision=99999999999", " --watch=false"])?),
        10 | 11 => {
            let grace = match u.int_in_range(0..=4)? {
                0 => String::new(),
                1 => format!(" --grace-period={}", number(u)?),
                2 => " --grace-period=0 --force".into(),
                3 => format!(" --cascade={}", pick(u, &["orphan", "foreground", "background", "bogus"])?),
                _ => format!(" --wait=false --timeout={}", pick(u, DURATIONS)?),
            };
            match u.int_in_range(0..=3)? {
                0 => format!("kubectl delete {kind} -l app=nginx{grace}"),
                1 => format!("kubectl delete {kind} --all{grace}"),
                2 => format!("kubectl delete -f {}{grace}", pick(u, &["m.yaml", "web.yaml", "nope.yaml"])?),
                _ => format!("kubectl delete {kind} {name}{grace}"),
            }
        }
        12 => format!("crash pod/{name}"),
        13 => format!("fail pod/{name}"),
        14 => format!("node {} {}", pick(u, &["down", "up", "sideways"])?, pick(u, NODES)?),
        15 => format!("kubectl {} {}", pick(u, &["cordon", "uncordon", "drain"])?, pick(u, NODES)?),
        16 | 17 => format!("sleep {}", if u.ratio(1, 4)? { pick(u, DURATIONS)?.to_string() } else { format!("{}s", u.int_in_range(0..=600)?) }),
        18 | 19 => "settle".into(),
        20 => format!("kubectl wait --for={} {kind}/{name} --timeout={}", pick(u, &["condition=Ready", "delete", "condition=Available", "jsonpath={.status.phase}=Running", "bogus"])?, pick(u, DURATIONS)?),
        21 => format!("kubectl exec {name} -- {}", pick(u, &["hostname", "cat /etc/hosts", "sh -c 'echo hi > /a; cat /a'", "ls /", "nslookup web-0.nginx", "rm -rf /", "curl -s web-0.nginx", "curl -sS nginx:80/x", "curl http://10.96.0.1:443/", "curl -o", "curl https://web-1.nginx.default.svc.cluster.local:99999999999/", "curl :/"])?),
        22 => format!("kubectl run -i --tty --rm --restart=Never --image busybox:1.28 dns-test -- {} {name}.nginx", pick(u, &["nslookup", "wget -qO-", "wget -O", "wget -O -", "wget", "curl"])?),
        23 => format!("kubectl apply -f {}", pick(u, &["m.yaml", "web.yaml", "db.yaml", "web-canary.yaml", "web-ondelete.yaml", "web-parallel.yaml", "web-retention-delete.yaml", "-", "nope.yaml"])?),
        24 => format!("for i in 0 1 2; do kubectl get pod {name}-$i; done"),
        25 => "kubectl get pods -w".into(),
        26 => format!("kubectl create -f {}", pick(u, &["m.yaml", "web.yaml"])?),
        27 | 28 => drain(u)?,
        29 | 30 => run(u)?,
        31 => format!("kubectl logs {}{}", pick(u, &["web-0", "t", "dns-test", "sts/web", "deploy/web", "pod/web-1", "nope", "-l app=nginx", ""])?,
            pick(u, &["", " -p", " -f", " --tail=-1", " --tail=0", " --tail=9223372036854775807", " --since=1s", " --since=-5m", " --since=99999999h",
                " --timestamps", " --all-containers --prefix", " -c nginx", " -c nope", " --previous --tail=2"])?),
        32 => format!("kubectl apply -f pdb.yaml{}", pick(u, &["", "\nsettle\nkubectl get pdb -o yaml", "\nkubectl describe pdb web-pdb"])?),
        33 => format!("kubectl get {} -o wide --sort-by={}", pick(u, &["endpointslices", "pdb", "events", "pods", "pvc"])?, quote(pick(u, SORT_BY)?)),
        // Generators and expose, with the printing flags every writing command takes.
        34 => format!("kubectl create {}{}", pick(u, &[
            "deployment shop --image=nginx --replicas=3 --port=80", "deploy x --image=a_b.c:1,busybox -- sleep 1", "deployment y", "ns team-a", "namespace default",
            "service clusterip c --tcp=80:8080", "svc clusterip h --clusterip=None", "service nodeport n --tcp=80:http --node-port=30001",
            "service loadbalancer lb --tcp=abc", "service externalname e --external-name bar.com", "service externalname e2 --external-name -bad-", "service", "pdb p",
        ])?, pick(u, WRITE_FLAGS)?),
        35 => format!("kubectl expose {} {name}{}{}", pick(u, &["sts", "pod", "deploy", "svc", "rs", "pvc"])?,
            pick(u, &["", " --port=80", " --port=http", " --target-port=web --type=NodePort", " --cluster-ip=None", " --selector=a=b,c", " --session-affinity=ClientIP", " --name=x"])?,
            pick(u, WRITE_FLAGS)?),
        36 => format!("kubectl events{}", pick(u, &["", " -A", " --for sts/web", " --for pod/web-0 --types=Warning", " --for web", " --types=x", " -o yaml", " -w", " --no-headers"])?),
        37 => format!("kubectl {}{}", pick(u, &["scale sts web --replicas=3", "label pod web-0 a=b", "annotate sts web a=b --overwrite", "set image sts/web nginx=nginx:2", "rollout undo sts/web",
            "run p --image=busybox:1.28 --env=A=$(B) --port=80 -- sleep 9", "apply --validate=warn -f m.yaml", "apply --validate=false -f m.yaml", "create --save-config -f web.yaml"])?, pick(u, WRITE_FLAGS)?),
        38 => format!("kubectl exec {name} -- {}", pick(u, &["printenv HOSTNAME POD_NAME", "sh -c 'echo $KUBERNETES_SERVICE_HOST $NGINX_PORT'", "printenv", "env"])?),
        // Raw text: whatever the shell parser and dispatcher make of it.
        _ => u.arbitrary::<String>()?,
    })
}

/// The manifest for `m.yaml`: an example, an example with a line changed, or arbitrary text.
fn manifest(u: &mut Unstructured) -> Result<String> {
    let base = u.choose(EXAMPLES)?.text;
    Ok(match u.int_in_range(0..=3)? {
        0 => base.to_string(),
        1 => base.replace("replicas: 2", &format!("replicas: {}", number(u)?)).replace("replicas: 3", &format!("replicas: {}", number(u)?)),
        2 => {
            let mut lines: Vec<String> = base.lines().map(str::to_string).collect();
            for _ in 0..u.int_in_range(1..=4)? {
                let i = u.choose_index(lines.len().max(1))?;
                let new = u.arbitrary::<String>()?;
                if let Some(l) = lines.get_mut(i) {
                    let indent = l.len() - l.trim_start().len();
                    *l = format!("{}{new}", " ".repeat(indent));
                }
            }
            lines.join("\n")
        }
        _ => u.arbitrary::<String>()?,
    })
}

struct Case {
    seed: u64,
    manifest: String,
    pdb: String,
    streaming: bool,
    lines: Vec<String>,
}

impl std::fmt::Debug for Case {
    fn fmt(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        writeln!(f, "seed {} streaming {}\n--- m.yaml ---\n{}\n--- pdb.yaml ---\n{}\n--- script ---", self.seed, self.streaming, self.manifest, self.pdb)?;
        for l in &self.lines {
            writeln!(f, "{l}")?;
        }
        Ok(())
    }
}

impl<'a> Arbitrary<'a> for Case {
    fn arbitrary(u: &mut Unstructured<'a>) -> Result<Self> {
        let seed = u.int_in_range(0..=3)?;
        let manifest = manifest(u)?;
        let pdb = pdb_manifest(u)?;
        let streaming = u.ratio(1, 4)?;
        let mut lines = vec!["kubectl apply -f m.yaml".to_string()];
        if u.arbitrary()? {
            lines.push("settle".into());
        }
        for _ in 0..u.int_in_range(0..=24)? {
            lines.push(command(u)?);
        }
        Ok(Case { seed, manifest, pdb, streaming, lines })
    }
}

fuzz_target!(|case: Case| {
    let mut it = Interpreter::with_seed(case.seed);
    it.streaming = case.streaming;
    let mut files = BTreeMap::new();
    files.insert("m.yaml".to_string(), case.manifest.clone());
    files.insert("pdb.yaml".to_string(), case.pdb.clone());
    it.set_files(Box::new(MemoryFiles(files)));
    for line in &case.lines {
        let out = it.run_line(line);
        let _ = out.text();
        if out.watching {
            // The browser's clock moves on, polls, then the student presses Ctrl-C.
            let t = it.engine.now();
            it.engine.advance_to(Time(t.0.saturating_add(10_000)));
            let _ = it.poll_watch();
            it.interrupt();
        }
        if out.incomplete {
            it.cancel_pending();
        }
    }
    // The same manifest through a heredoc, as the UI sends the editor's text.
    let mut it2 = Interpreter::with_seed(case.seed);
    let _ = it2.run_script(&format!("kubectl apply -f - <<'EOF'\n{}\nEOF\nsettle\nkubectl get all\n", case.manifest));
});

//! `kubectl describe` for pods, StatefulSets, Deployments, PVCs, PVs and Services, laid out like kubectl's
//! `describe.go`: tab-separated lines through a tabwriter (min width 0, padding 2), events
//! in their own table at the end.

use serde_json::Value;

use super::age::{format_rfc1123z, human_duration, parse_rfc3339};
use super::columns::endpoints_cell;
use super::table::TabWriter;
use super::{access_modes, arr, format_labels, int, label_pairs, protocol, st};

/// Collects lines; `w(level, text)` indents by two spaces per level as kubectl's PrefixWriter.
#[derive(Default)]
struct Writer {
    text: String,
}

impl Writer {
    fn w(&mut self, level: usize, line: &str) {
        self.text.push_str(&"  ".repeat(level));
        self.text.push_str(line);
        self.text.push('\n');
    }
}

/// What describe needs besides the object itself.
#[derive(Debug, Clone, Default)]
pub struct Related {
    /// Events whose involvedObject is the described object.
    pub events: Vec<Value>,
    /// Pods owned by a StatefulSet, or pods using a PVC.
    pub pods: Vec<Value>,
    /// The Service's Endpoints object, if any.
    pub endpoints: Option<Value>,
    /// ReplicaSets a Deployment controls.
    pub replicasets: Vec<Value>,
}

fn rfc1123(obj: &Value, pointer: &str) -> String {
    parse_rfc3339(st(obj, pointer)).map(format_rfc1123z).unwrap_or_default()
}

fn labels_multiline(out: &mut Writer, level: usize, title: &str, map: Option<&Value>) {
    let pairs = label_pairs(map);
    if pairs.is_empty() {
        out.w(level, &format!("{title}:\t<none>"));
        return;
    }
    for (i, (k, v)) in pairs.iter().enumerate() {
        if i == 0 {
            out.w(level, &format!("{title}:\t{k}={v}"));
        } else {
            out.w(level, &format!("\t{k}={v}"));
        }
    }
}

fn annotations_multiline(out: &mut Writer, level: usize, title: &str, map: Option<&Value>) {
    let pairs: Vec<(String, String)> =
        label_pairs(map).into_iter().filter(|(k, _)| k != "kubectl.kubernetes.io/last-applied-configuration").collect();
    if pairs.is_empty() {
        out.w(level, &format!("{title}:\t<none>"));
        return;
    }
    for (i, (k, v)) in pairs.iter().enumerate() {
        let v = if v.chars().count() > 140 { format!("{}...", v.chars().take(140).collect::<String>()) } else { v.clone() };
        if i == 0 {
            out.w(level, &format!("{title}:\t{k}: {v}"));
        } else {
            out.w(level, &format!("\t{k}: {v}"));
        }
    }
}

/// An Event's age as `describe` and `kubectl events` print it: `5s`, or `5s (x3 over 2m)` for a
/// repeated one (a series' last sighting, else its lastTimestamp).
pub fn event_interval(e: &Value, now_ms: i64) -> String {
    let since = |p: &str| parse_rfc3339(st(e, p)).map(|t| human_duration(now_ms - t)).unwrap_or_else(|| "<unknown>".into());
    let first = if st(e, "/eventTime").is_empty() { since("/firstTimestamp") } else { since("/eventTime") };
    if e.get("series").is_some_and(Value::is_object) {
        return format!("{} (x{} over {first})", since("/series/lastObservedTime"), int(e, "/series/count").unwrap_or(0));
    }
    match int(e, "/count").unwrap_or(1) {
        n if n > 1 => format!("{} (x{n} over {first})", since("/lastTimestamp")),
        _ => first,
    }
}

fn events_table(events: &[Value], now_ms: i64) -> String {
    let mut evs: Vec<&Value> = events.iter().collect();
    let ts = |e: &Value| parse_rfc3339(st(e, "/lastTimestamp")).or_else(|| parse_rfc3339(st(e, "/eventTime"))).unwrap_or(0);
    crate::sort::sort_by_key(&mut evs, |e| ts(e));
    let mut w = Writer::default();
    w.w(0, "Events:");
    w.w(1, "Type\tReason\tAge\tFrom\tMessage");
    w.w(1, "----\t------\t----\t----\t-------");
    for e in evs {
        let interval = event_interval(e, now_ms);
        let source = match st(e, "/source/component") {
            "" => st(e, "/reportingComponent"),
            c => c,
        };
        w.w(1, &format!("{}\t{}\t{interval}\t{source}\t{}", st(e, "/type"), st(e, "/reason"), st(e, "/message").trim()));
    }
    TabWriter::describe().format(&w.text)
}

/// Finishes a description: the main block, then events (or `Events: <none>` in the block).
fn finish(mut w: Writer, events: &[Value], now_ms: i64) -> String {
    if events.is_empty() {
        w.w(0, "Events:\t<none>");
        return TabWriter::describe().format(&w.text);
    }
    let mut out = TabWriter::describe().format(&w.text);
    out.push_str(&events_table(events, now_ms));
    out
}

fn container_ports(c: &Value) -> (String, String) {
    let ports = arr(c, "/ports");
    let p: Vec<String> = ports.iter().map(|p| format!("{}/{}", int(p, "/containerPort").unwrap_or(0), protocol(p))).collect();
    let h: Vec<String> = ports.iter().map(|p| format!("{}/{}", int(p, "/hostPort").unwrap_or(0), protocol(p))).collect();
    (p.join(", "), h.join(", "))
}

fn describe_state(w: &mut Writer, name: &str, state: &Value) {
    if let Some(r) = state.get("running") {
        w.w(2, &format!("{name}:\tRunning"));
        w.w(3, &format!("Started:\t{}", rfc1123(r, "/startedAt")));
    } else if let Some(wt) = state.get("waiting") {
        w.w(2, &format!("{name}:\tWaiting"));
        if !st(wt, "/reason").is_empty() {
            w.w(3, &format!("Reason:\t{}", st(wt, "/reason")));
        }
    } else if let Some(t) = state.get("terminated") {
        w.w(2, &format!("{name}:\tTerminated"));
        if !st(t, "/reason").is_empty() {
            w.w(3, &format!("Reason:\t{}", st(t, "/reason")));
        }
        if !st(t, "/message").is_empty() {
            w.w(3, &format!("Message:\t{}", st(t, "/message")));
        }
        w.w(3, &format!("Exit Code:\t{}", int(t, "/exitCode").unwrap_or(0)));
        if let Some(sig) = int(t, "/signal").filter(|s| *s > 0) {
            w.w(3, &format!("Signal:\t{sig}"));
        }
        w.w(3, &format!("Started:\t{}", rfc1123(t, "/startedAt")));
        w.w(3, &format!("Finished:\t{}", rfc1123(t, "/finishedAt")));
    } else {
        w.w(2, &format!("{name}:\tWaiting"));
    }
}

/// `describeContainers`: `space` is "" for pods and "  " inside a pod template.
fn containers(w: &mut Writer, label: &str, cs: &[Value], statuses: &[Value], space: &str) {
    w.w(0, &format!("{space}{label}:"));
    let name_indent = if space.is_empty() { "" } else { " " };
    for c in cs {
        let name = st(c, "/name");
        let status = statuses.iter().find(|s| st(s, "/name") == name);
        w.w(1, &format!("{name_indent}{name}:"));
        if let Some(s) = status {
            w.w(2, &format!("Container ID:\t{}", st(s, "/containerID")));
        }
        w.w(2, &format!("Image:\t{}", st(c, "/image")));
        if let Some(s) = status {
            w.w(2, &format!("Image ID:\t{}", st(s, "/imageID")));
        }
        let (ports, host) = container_ports(c);
        let none = |s: String| if s.is_empty() { "<none>".to_string() } else { s };
        if ports.contains(',') {
            w.w(2, &format!("Ports:\t{ports}"));
        } else {
            w.w(2, &format!("Port:\t{}", none(ports)));
        }
        if host.contains(',') {
            w.w(2, &format!("Host Ports:\t{host}"));
        } else {
            w.w(2, &format!("Host Port:\t{}", none(host)));
        }
        let cmd: Vec<&str> = arr(c, "/command").iter().filter_map(Value::as_str).collect();
        if !cmd.is_empty() {
            w.w(2, "Command:");
            for part in cmd {
                w.w(3, part);
            }
        }
        let args: Vec<&str> = arr(c, "/args").iter().filter_map(Value::as_str).collect();
        if !args.is_empty() {
            w.w(2, "Args:");
            for part in args {
                w.w(3, part);
            }
        }
        if let Some(s) = status {
            describe_state(w, "State", s.get("state").unwrap_or(&Value::Null));
            if s.pointer("/lastState/terminated").is_some() {
                describe_state(w, "Last State", s.get("lastState").unwrap_or(&Value::Null));
            }
            let ready = s.get("ready").and_then(Value::as_bool).unwrap_or(false);
            w.w(2, &format!("Ready:\t{}", if ready { "True" } else { "False" }));
            w.w(2, &format!("Restart Count:\t{}", int(s, "/restartCount").unwrap_or(0)));
        }
        for (title, p) in [("Limits", "/resources/limits"), ("Requests", "/resources/requests")] {
            let pairs = label_pairs(c.pointer(p));
            if !pairs.is_empty() {
                w.w(2, &format!("{title}:"));
                for (k, v) in pairs {
                    w.w(3, &format!("{k}:\t{v}"));
                }
            }
        }
        if let Some(probe) = c.get("readinessProbe") {
            w.w(2, &format!("Readiness:\t{}", probe_text(probe)));
        }
        if let Some(probe) = c.get("livenessProbe") {
            w.w(2, &format!("Liveness:\t{}", probe_text(probe)));
        }
        let env = arr(c, "/env");
        if env.is_empty() {
            w.w(2, "Environment:\t<none>");
        } else {
            w.w(2, "Environment:");
            for e in env {
                w.w(3, &format!("{}:\t{}", st(e, "/name"), st(e, "/value")));
            }
        }
        let mut mounts: Vec<&Value> = arr(c, "/volumeMounts").iter().collect();
        crate::sort::sort_by(&mut mounts, |a, b| st(a, "/mountPath").cmp(st(b, "/mountPath")));
        w.w(2, &format!("Mounts:{}", if mounts.is_empty() { "\t<none>" } else { "" }));
        for m in mounts {
            let ro = m.get("readOnly").and_then(Value::as_bool).unwrap_or(false);
            let mut flags = vec![if ro { "ro".to_string() } else { "rw".to_string() }];
            if !st(m, "/subPath").is_empty() {
                flags.push(format!("path={:?}", st(m, "/subPath")));
            }
            w.w(3, &format!("{} from {} ({})", st(m, "/mountPath"), st(m, "/name"), flags.join(",")));
        }
    }
}

fn probe_text(p: &Value) -> String {
    let attrs = format!(
        "delay={}s timeout={}s period={}s #success={} #failure={}",
        int(p, "/initialDelaySeconds").unwrap_or(0),
        int(p, "/timeoutSeconds").unwrap_or(1),
        int(p, "/periodSeconds").unwrap_or(10),
        int(p, "/successThreshold").unwrap_or(1),
        int(p, "/failureThreshold").unwrap_or(3)
    );
    if let Some(h) = p.get("httpGet") {
        let port = h.get("port").map(|v| v.as_str().map(str::to_string).unwrap_or_else(|| v.to_string())).unwrap_or_default();
        format!("http-get http://:{port}{} {attrs}", st(h, "/path"))
    } else if let Some(t) = p.get("tcpSocket") {
        let port = t.get("port").map(|v| v.as_str().map(str::to_string).unwrap_or_else(|| v.to_string())).unwrap_or_default();
        format!("tcp-socket :{port} {attrs}")
    } else if let Some(e) = p.get("exec") {
        let cmd: Vec<&str> = arr(e, "/command").iter().filter_map(Value::as_str).collect();
        format!("exec [{}] {attrs}", cmd.join(" "))
    } else {
        format!("unknown {attrs}")
    }
}

fn volumes(w: &mut Writer, vols: &[Value], space: &str) {
    if vols.is_empty() {
        w.w(0, &format!("{space}Volumes:\t<none>"));
        return;
    }
    w.w(0, &format!("{space}Volumes:"));
    let name_indent = if space.is_empty() { "" } else { " " };
    for v in vols {
        w.w(1, &format!("{name_indent}{}:", st(v, "/name")));
        if let Some(c) = v.get("persistentVolumeClaim") {
            w.w(2, "Type:\tPersistentVolumeClaim (a reference to a PersistentVolumeClaim in the same namespace)");
            w.w(2, &format!("ClaimName:\t{}", st(c, "/claimName")));
            w.w(2, &format!("ReadOnly:\t{}", c.get("readOnly").and_then(Value::as_bool).unwrap_or(false)));
        } else if let Some(e) = v.get("emptyDir") {
            w.w(2, "Type:\tEmptyDir (a temporary directory that shares a pod's lifetime)");
            w.w(2, &format!("Medium:\t{}", st(e, "/medium")));
            w.w(2, &format!("SizeLimit:\t{}", match st(e, "/sizeLimit") {
                "" => "<unset>",
                s => s,
            }));
        } else if let Some(c) = v.get("configMap") {
            w.w(2, "Type:\tConfigMap (a volume populated by a ConfigMap)");
            w.w(2, &format!("Name:\t{}", st(c, "/name")));
            w.w(2, &format!("Optional:\t{}", c.get("optional").and_then(Value::as_bool).unwrap_or(false)));
        } else if let Some(p) = v.get("projected") {
            w.w(2, "Type:\tProjected (a volume that contains injected data from multiple sources)");
            // printProjectedVolumeSource prints `optional` with %v of a *bool: `<nil>` when
            // unset (as for kube-root-ca.crt); a set one would print an address, so its value
            // stands in for it here.
            let optional = |v: &Value| v.get("optional").and_then(Value::as_bool).map_or("<nil>".to_string(), |b| b.to_string());
            for s in arr(p, "/sources") {
                if let Some(c) = s.get("secret") {
                    w.w(2, &format!("SecretName:\t{}", st(c, "/name")));
                    w.w(2, &format!("SecretOptionalName:\t{}", optional(c)));
                } else if s.get("downwardAPI").is_some() {
                    w.w(2, "DownwardAPI:\ttrue");
                } else if let Some(c) = s.get("configMap") {
                    w.w(2, &format!("ConfigMapName:\t{}", st(c, "/name")));
                    w.w(2, &format!("ConfigMapOptional:\t{}", optional(c)));
                } else if let Some(t) = s.get("serviceAccountToken") {
                    w.w(2, &format!("TokenExpirationSeconds:\t{}", int(t, "/expirationSeconds").unwrap_or(3600)));
                }
            }
        } else if let Some(h) = v.get("hostPath") {
            w.w(2, "Type:\tHostPath (bare host directory volume)");
            w.w(2, &format!("Path:\t{}", st(h, "/path")));
            w.w(2, &format!("HostPathType:\t{}", st(h, "/type")));
        } else {
            w.w(2, "<unknown>");
        }
    }
}

fn tolerations(w: &mut Writer, title: &str, tols: &[Value]) {
    if tols.is_empty() {
        w.w(0, &format!("{title}:\t<none>"));
        return;
    }
    for (i, t) in tols.iter().enumerate() {
        let mut s = st(t, "/key").to_string();
        if !st(t, "/value").is_empty() {
            s.push('=');
            s.push_str(st(t, "/value"));
        }
        if !st(t, "/effect").is_empty() {
            s.push(':');
            s.push_str(st(t, "/effect"));
        }
        if st(t, "/operator") == "Exists" && st(t, "/value").is_empty() {
            s.push_str(" op=Exists");
        }
        if let Some(secs) = int(t, "/tolerationSeconds") {
            s.push_str(&format!(" for {secs}s"));
        }
        if i == 0 {
            w.w(0, &format!("{title}:\t{s}"));
        } else {
            w.w(0, &format!("\t{s}"));
        }
    }
}

fn controlled_by(obj: &Value) -> Option<String> {
    arr(obj, "/metadata/ownerReferences")
        .iter()
        .find(|o| o.get("controller").and_then(Value::as_bool) == Some(true))
        .map(|o| format!("{}/{}", st(o, "/kind"), st(o, "/name")))
}

pub fn pod(p: &Value, rel: &Related, now_ms: i64) -> String {
    let mut w = Writer::default();
    w.w(0, &format!("Name:\t{}", st(p, "/metadata/name")));
    w.w(0, &format!("Namespace:\t{}", st(p, "/metadata/namespace")));
    w.w(0, &format!("Priority:\t{}", int(p, "/spec/priority").unwrap_or(0)));
    if !st(p, "/spec/priorityClassName").is_empty() {
        w.w(0, &format!("Priority Class Name:\t{}", st(p, "/spec/priorityClassName")));
    }
    w.w(0, &format!("Service Account:\t{}", st(p, "/spec/serviceAccountName")));
    match st(p, "/spec/nodeName") {
        "" => w.w(0, "Node:\t<none>"),
        n => w.w(0, &format!("Node:\t{n}/{}", st(p, "/status/hostIP"))),
    }
    if !st(p, "/status/startTime").is_empty() {
        w.w(0, &format!("Start Time:\t{}", rfc1123(p, "/status/startTime")));
    }
    labels_multiline(&mut w, 0, "Labels", p.pointer("/metadata/labels"));
    annotations_multiline(&mut w, 0, "Annotations", p.pointer("/metadata/annotations"));
    let phase = st(p, "/status/phase");
    let deleting = parse_rfc3339(st(p, "/metadata/deletionTimestamp"));
    match deleting {
        Some(t) if phase != "Failed" && phase != "Succeeded" => {
            w.w(0, &format!("Status:\tTerminating (lasts {})", human_duration(now_ms - t)));
            w.w(0, &format!("Termination Grace Period:\t{}s", int(p, "/metadata/deletionGracePeriodSeconds").unwrap_or(30)));
        }
        _ => w.w(0, &format!("Status:\t{phase}")),
    }
    if !st(p, "/status/reason").is_empty() {
        w.w(0, &format!("Reason:\t{}", st(p, "/status/reason")));
    }
    if !st(p, "/status/message").is_empty() {
        w.w(0, &format!("Message:\t{}", st(p, "/status/message")));
    }
    w.w(0, &format!("IP:\t{}", st(p, "/status/podIP")));
    let ips = arr(p, "/status/podIPs");
    if ips.is_empty() {
        w.w(0, "IPs:\t<none>");
    } else {
        w.w(0, "IPs:");
        for ip in ips {
            w.w(1, &format!("IP:\t{}", st(ip, "/ip")));
        }
    }
    if let Some(c) = controlled_by(p) {
        w.w(0, &format!("Controlled By:\t{c}"));
    }
    if !arr(p, "/spec/initContainers").is_empty() {
        containers(&mut w, "Init Containers", arr(p, "/spec/initContainers"), arr(p, "/status/initContainerStatuses"), "");
    }
    containers(&mut w, "Containers", arr(p, "/spec/containers"), arr(p, "/status/containerStatuses"), "");
    let conds = arr(p, "/status/conditions");
    if !conds.is_empty() {
        w.w(0, "Conditions:");
        w.w(1, "Type\tStatus");
        for c in conds {
            w.w(1, &format!("{} \t{} ", st(c, "/type"), st(c, "/status")));
        }
    }
    volumes(&mut w, arr(p, "/spec/volumes"), "");
    let qos = match st(p, "/status/qosClass") {
        "" => "BestEffort",
        q => q,
    };
    w.w(0, &format!("QoS Class:\t{qos}"));
    labels_multiline(&mut w, 0, "Node-Selectors", p.pointer("/spec/nodeSelector"));
    tolerations(&mut w, "Tolerations", arr(p, "/spec/tolerations"));
    finish(w, &rel.events, now_ms)
}

pub fn statefulset(s: &Value, rel: &Related, now_ms: i64) -> String {
    let mut w = Writer::default();
    w.w(0, &format!("Name:\t{}", st(s, "/metadata/name")));
    w.w(0, &format!("Namespace:\t{}", st(s, "/metadata/namespace")));
    w.w(0, &format!("CreationTimestamp:\t{}", rfc1123(s, "/metadata/creationTimestamp")));
    let sel = super::columns::row(crate::engine::Kind::ReplicaSet, s, true, now_ms).pop().unwrap_or_default();
    w.w(0, &format!("Selector:\t{sel}"));
    labels_multiline(&mut w, 0, "Labels", s.pointer("/metadata/labels"));
    annotations_multiline(&mut w, 0, "Annotations", s.pointer("/metadata/annotations"));
    w.w(0, &format!("Replicas:\t{} desired | {} total", int(s, "/spec/replicas").unwrap_or(0), int(s, "/status/replicas").unwrap_or(0)));
    w.w(0, &format!("Update Strategy:\t{}", st(s, "/spec/updateStrategy/type")));
    if let Some(p) = int(s, "/spec/updateStrategy/rollingUpdate/partition") {
        w.w(1, &format!("Partition:\t{p}"));
        if let Some(mu) = s.pointer("/spec/updateStrategy/rollingUpdate/maxUnavailable").filter(|v| !v.is_null()) {
            w.w(2, &format!("MaxUnavailable:\t{}", mu.as_str().map(str::to_string).unwrap_or_else(|| mu.to_string())));
        }
    }
    let count = |phase: &str| rel.pods.iter().filter(|p| st(p, "/status/phase") == phase).count();
    w.w(
        0,
        &format!("Pods Status:\t{} Running / {} Waiting / {} Succeeded / {} Failed", count("Running"), count("Pending"), count("Succeeded"), count("Failed")),
    );
    pod_template(&mut w, s.pointer("/spec/template").unwrap_or(&Value::Null));
    let vcts = arr(s, "/spec/volumeClaimTemplates");
    if vcts.is_empty() {
        w.w(0, "Volume Claims:\t<none>");
    } else {
        w.w(0, "Volume Claims:");
        for c in vcts {
            w.w(1, &format!("Name:\t{}", st(c, "/metadata/name")));
            w.w(1, &format!("StorageClass:\t{}", st(c, "/spec/storageClassName")));
            labels_multiline(&mut w, 1, "Labels", c.pointer("/metadata/labels"));
            annotations_multiline(&mut w, 1, "Annotations", c.pointer("/metadata/annotations"));
            let cap = match st(c, "/spec/resources/requests/storage") {
                "" => "<default>",
                x => x,
            };
            w.w(1, &format!("Capacity:\t{cap}"));
            let modes: Vec<&str> = arr(c, "/spec/accessModes").iter().filter_map(Value::as_str).collect();
            w.w(1, &format!("Access Modes:\t[{}]", modes.join(" ")));
        }
    }
    finish(w, &rel.events, now_ms)
}

/// `DescribePodTemplate` on its own, as `rollout history --revision` and `rollout undo
/// --dry-run` print it (history.go's `printTemplate`): straight to the output, without the
/// tabwriter, so the tabs stay tabs.
pub fn pod_template_text(template: &Value) -> String {
    let mut w = Writer::default();
    pod_template(&mut w, template);
    w.text
}

/// `DescribePodTemplate`: a workload's template, as its pods would be described.
fn pod_template(w: &mut Writer, t: &Value) {
    w.w(0, "Pod Template:");
    labels_multiline(w, 0, "  Labels", t.pointer("/metadata/labels"));
    if t.pointer("/metadata/annotations").and_then(Value::as_object).is_some_and(|m| !m.is_empty()) {
        annotations_multiline(w, 0, "  Annotations", t.pointer("/metadata/annotations"));
    }
    if !st(t, "/spec/serviceAccountName").is_empty() {
        w.w(1, &format!("Service Account:\t{}", st(t, "/spec/serviceAccountName")));
    }
    if !arr(t, "/spec/initContainers").is_empty() {
        containers(w, "Init Containers", arr(t, "/spec/initContainers"), &[], "  ");
    }
    containers(w, "Containers", arr(t, "/spec/containers"), &[], "  ");
    volumes(w, arr(t, "/spec/volumes"), "  ");
    labels_multiline(w, 0, "  Node-Selectors", t.pointer("/spec/nodeSelector"));
    tolerations(w, "  Tolerations", arr(t, "/spec/tolerations"));
}

/// An int-or-string field as Go's `IntOrString.String()` prints it.
fn int_or_string(v: Option<&Value>) -> String {
    match v {
        Some(Value::String(s)) => s.clone(),
        Some(Value::Number(n)) => n.to_string(),
        _ => "0".into(),
    }
}

pub fn deployment(d: &Value, rel: &Related, now_ms: i64) -> String {
    let mut w = Writer::default();
    w.w(0, &format!("Name:\t{}", st(d, "/metadata/name")));
    w.w(0, &format!("Namespace:\t{}", st(d, "/metadata/namespace")));
    w.w(0, &format!("CreationTimestamp:\t{}", rfc1123(d, "/metadata/creationTimestamp")));
    labels_multiline(&mut w, 0, "Labels", d.pointer("/metadata/labels"));
    annotations_multiline(&mut w, 0, "Annotations", d.pointer("/metadata/annotations"));
    let sel = super::columns::row(crate::engine::Kind::ReplicaSet, d, true, now_ms).pop().unwrap_or_default();
    w.w(0, &format!("Selector:\t{sel}"));
    let n = |p: &str| int(d, p).unwrap_or(0);
    w.w(
        0,
        &format!(
            "Replicas:\t{} desired | {} updated | {} total | {} available | {} unavailable",
            n("/spec/replicas"),
            n("/status/updatedReplicas"),
            n("/status/replicas"),
            n("/status/availableReplicas"),
            n("/status/unavailableReplicas")
        ),
    );
    w.w(0, &format!("StrategyType:\t{}", st(d, "/spec/strategy/type")));
    w.w(0, &format!("MinReadySeconds:\t{}", n("/spec/minReadySeconds")));
    if let Some(ru) = d.pointer("/spec/strategy/rollingUpdate").filter(|v| v.is_object()) {
        w.w(0, &format!("RollingUpdateStrategy:\t{} max unavailable, {} max surge", int_or_string(ru.get("maxUnavailable")), int_or_string(ru.get("maxSurge"))));
    }
    pod_template(&mut w, d.pointer("/spec/template").unwrap_or(&Value::Null));
    let conditions = arr(d, "/status/conditions");
    if !conditions.is_empty() {
        w.w(0, "Conditions:");
        w.w(1, "Type\tStatus\tReason");
        w.w(1, "----\t------\t------");
        for c in conditions {
            w.w(1, &format!("{} \t{}\t{}", st(c, "/type"), st(c, "/status"), st(c, "/reason")));
        }
    }
    // The new ReplicaSet carries the Deployment's revision; old ones are listed while they
    // still want pods.
    let revision = |o: &Value| o.pointer("/metadata/annotations/deployment.kubernetes.io~1revision").and_then(Value::as_str).map(str::to_string);
    let current = revision(d);
    let (new, old): (Vec<&Value>, Vec<&Value>) = rel.replicasets.iter().partition(|r| current.is_some() && revision(r) == current);
    let old: Vec<&Value> = old.into_iter().filter(|r| n_of(r, "/spec/replicas") != 0).collect();
    if !old.is_empty() || !new.is_empty() {
        w.w(0, &format!("OldReplicaSets:\t{}", replica_sets(&old)));
        w.w(0, &format!("NewReplicaSet:\t{}", replica_sets(&new)));
    }
    finish(w, &rel.events, now_ms)
}

fn n_of(v: &Value, pointer: &str) -> i64 {
    int(v, pointer).unwrap_or(0)
}

/// `printReplicaSetsByLabels`.
fn replica_sets(list: &[&Value]) -> String {
    if list.is_empty() {
        return "<none>".into();
    }
    let items: Vec<String> = list
        .iter()
        .map(|r| format!("{} ({}/{} replicas created)", st(r, "/metadata/name"), n_of(r, "/status/replicas"), n_of(r, "/spec/replicas")))
        .collect();
    items.join(", ")
}

pub fn pvc(c: &Value, rel: &Related, now_ms: i64) -> String {
    let mut w = Writer::default();
    w.w(0, &format!("Name:\t{}", st(c, "/metadata/name")));
    w.w(0, &format!("Namespace:\t{}", st(c, "/metadata/namespace")));
    w.w(0, &format!("StorageClass:\t{}", st(c, "/spec/storageClassName")));
    match parse_rfc3339(st(c, "/metadata/deletionTimestamp")) {
        Some(t) => w.w(0, &format!("Status:\tTerminating (lasts {})", human_duration(now_ms - t))),
        None => w.w(0, &format!("Status:\t{}", st(c, "/status/phase"))),
    }
    w.w(0, &format!("Volume:\t{}", st(c, "/spec/volumeName")));
    labels_multiline(&mut w, 0, "Labels", c.pointer("/metadata/labels"));
    annotations_multiline(&mut w, 0, "Annotations", c.pointer("/metadata/annotations"));
    let fins: Vec<&str> = arr(c, "/metadata/finalizers").iter().filter_map(Value::as_str).collect();
    w.w(0, &format!("Finalizers:\t[{}]", fins.join(" ")));
    let bound = !st(c, "/spec/volumeName").is_empty();
    let (cap, modes) = if bound { (st(c, "/status/capacity/storage").to_string(), access_modes(c, "/status/accessModes")) } else { (String::new(), String::new()) };
    w.w(0, &format!("Capacity:\t{cap}"));
    w.w(0, &format!("Access Modes:\t{modes}"));
    if !st(c, "/spec/volumeMode").is_empty() {
        w.w(0, &format!("VolumeMode:\t{}", st(c, "/spec/volumeMode")));
    }
    if rel.pods.is_empty() {
        w.w(0, "Used By:\t<none>");
    } else {
        for (i, p) in rel.pods.iter().enumerate() {
            let name = st(p, "/metadata/name");
            w.w(0, &if i == 0 { format!("Used By:\t{name}") } else { format!("\t{name}") });
        }
    }
    finish(w, &rel.events, now_ms)
}

pub fn pv(v: &Value, rel: &Related, now_ms: i64) -> String {
    let mut w = Writer::default();
    w.w(0, &format!("Name:\t{}", st(v, "/metadata/name")));
    labels_multiline(&mut w, 0, "Labels", v.pointer("/metadata/labels"));
    annotations_multiline(&mut w, 0, "Annotations", v.pointer("/metadata/annotations"));
    let fins: Vec<&str> = arr(v, "/metadata/finalizers").iter().filter_map(Value::as_str).collect();
    w.w(0, &format!("Finalizers:\t[{}]", fins.join(" ")));
    w.w(0, &format!("StorageClass:\t{}", st(v, "/spec/storageClassName")));
    match parse_rfc3339(st(v, "/metadata/deletionTimestamp")) {
        Some(t) => w.w(0, &format!("Status:\tTerminating (lasts {})", human_duration(now_ms - t))),
        None => w.w(0, &format!("Status:\t{}", st(v, "/status/phase"))),
    }
    let claim = match v.pointer("/spec/claimRef") {
        Some(c) if !c.is_null() => format!("{}/{}", st(c, "/namespace"), st(c, "/name")),
        _ => String::new(),
    };
    w.w(0, &format!("Claim:\t{claim}"));
    w.w(0, &format!("Reclaim Policy:\t{}", st(v, "/spec/persistentVolumeReclaimPolicy")));
    w.w(0, &format!("Access Modes:\t{}", access_modes(v, "/spec/accessModes")));
    if !st(v, "/spec/volumeMode").is_empty() {
        w.w(0, &format!("VolumeMode:\t{}", st(v, "/spec/volumeMode")));
    }
    w.w(0, &format!("Capacity:\t{}", st(v, "/spec/capacity/storage")));
    w.w(0, "Node Affinity:\t<none>");
    w.w(0, &format!("Message:\t{}", st(v, "/status/message")));
    w.w(0, "Source:");
    if let Some(h) = v.pointer("/spec/hostPath") {
        w.w(2, "Type:\tHostPath (bare host directory volume)");
        w.w(2, &format!("Path:\t{}", st(h, "/path")));
        w.w(2, &format!("HostPathType:\t{}", st(h, "/type")));
    } else if let Some(c) = v.pointer("/spec/csi") {
        w.w(2, "Type:\tCSI (a Container Storage Interface (CSI) volume source)");
        w.w(2, &format!("Driver:\t{}", st(c, "/driver")));
        w.w(2, &format!("FSType:\t{}", st(c, "/fsType")));
        w.w(2, &format!("VolumeHandle:\t{}", st(c, "/volumeHandle")));
        w.w(2, &format!("ReadOnly:\t{}", c.get("readOnly").and_then(Value::as_bool).unwrap_or(false)));
        w.w(2, &format!("VolumeAttributes:\t{}", format_labels(c.get("volumeAttributes")).replace("<none>", "")));
    } else if let Some(l) = v.pointer("/spec/local") {
        w.w(2, "Type:\tLocalVolume (a persistent volume backed by local storage on a node)");
        w.w(2, &format!("Path:\t{}", st(l, "/path")));
    }
    finish(w, &rel.events, now_ms)
}

/// describeServiceAccount. The secret headers are padded to one width and listed in sorted
/// order, as describe.go writes them; service accounts have had no token secrets since 1.24.
pub fn service_account(sa: &Value, rel: &Related, now_ms: i64) -> String {
    let mut w = Writer::default();
    w.w(0, &format!("Name:\t{}", st(sa, "/metadata/name")));
    w.w(0, &format!("Namespace:\t{}", st(sa, "/metadata/namespace")));
    labels_multiline(&mut w, 0, "Labels", sa.pointer("/metadata/labels"));
    annotations_multiline(&mut w, 0, "Annotations", sa.pointer("/metadata/annotations"));
    let names = |path: &str| -> String {
        let names: Vec<&str> = arr(sa, path).iter().map(|s| st(s, "/name")).collect();
        if names.is_empty() { "<none>".into() } else { names.join(", ") }
    };
    w.w(0, &format!("Image pull secrets:\t{}", names("/imagePullSecrets")));
    w.w(0, &format!("Mountable secrets: \t{}", names("/secrets")));
    w.w(0, "Tokens:            \t<none>");
    finish(w, &rel.events, now_ms)
}

pub fn service(s: &Value, rel: &Related, now_ms: i64) -> String {
    let mut w = Writer::default();
    w.w(0, &format!("Name:\t{}", st(s, "/metadata/name")));
    w.w(0, &format!("Namespace:\t{}", st(s, "/metadata/namespace")));
    labels_multiline(&mut w, 0, "Labels", s.pointer("/metadata/labels"));
    annotations_multiline(&mut w, 0, "Annotations", s.pointer("/metadata/annotations"));
    let sel = format_labels(s.pointer("/spec/selector"));
    w.w(0, &format!("Selector:\t{}", if sel == "<none>" { "" } else { sel.as_str() }));
    w.w(0, &format!("Type:\t{}", st(s, "/spec/type")));
    if !st(s, "/spec/ipFamilyPolicy").is_empty() {
        w.w(0, &format!("IP Family Policy:\t{}", st(s, "/spec/ipFamilyPolicy")));
    }
    let fams: Vec<&str> = arr(s, "/spec/ipFamilies").iter().filter_map(Value::as_str).collect();
    w.w(0, &format!("IP Families:\t{}", if fams.is_empty() { "<none>".to_string() } else { fams.join(",") }));
    w.w(0, &format!("IP:\t{}", st(s, "/spec/clusterIP")));
    let ips: Vec<&str> = arr(s, "/spec/clusterIPs").iter().filter_map(Value::as_str).collect();
    w.w(0, &format!("IPs:\t{}", if ips.is_empty() { "<none>".to_string() } else { ips.join(",") }));
    let ep_cell = |port: Option<&Value>| -> String {
        let Some(ep) = &rel.endpoints else { return "<none>".into() };
        match port {
            None => endpoints_cell(ep),
            Some(p) => {
                let name = st(p, "/name");
                let mut list = Vec::new();
                for subset in arr(ep, "/subsets") {
                    for ep_port in arr(subset, "/ports").iter().filter(|q| st(q, "/name") == name) {
                        for a in arr(subset, "/addresses") {
                            list.push(format!("{}:{}", st(a, "/ip"), int(ep_port, "/port").unwrap_or(0)));
                        }
                    }
                }
                if list.is_empty() {
                    "<none>".into()
                } else {
                    let more = list.len().saturating_sub(3);
                    let shown = list.iter().take(3).cloned().collect::<Vec<_>>().join(",");
                    if more > 0 { format!("{shown} + {more} more...") } else { shown }
                }
            }
        }
    };
    let ports = arr(s, "/spec/ports");
    for p in ports {
        let name = match st(p, "/name") {
            "" => "<unset>",
            n => n,
        };
        w.w(0, &format!("Port:\t{name}\t{}/{}", int(p, "/port").unwrap_or(0), protocol(p)));
        let target = match p.get("targetPort") {
            Some(Value::String(t)) => t.clone(),
            Some(Value::Number(n)) => n.to_string(),
            _ => int(p, "/port").unwrap_or(0).to_string(),
        };
        w.w(0, &format!("TargetPort:\t{target}/{}", protocol(p)));
        if let Some(np) = int(p, "/nodePort").filter(|n| *n != 0) {
            w.w(0, &format!("NodePort:\t{name}\t{np}/{}", protocol(p)));
        }
        w.w(0, &format!("Endpoints:\t{}", ep_cell(Some(p))));
    }
    if ports.is_empty() {
        w.w(0, &format!("Endpoints:\t{}", ep_cell(None)));
    }
    w.w(0, &format!("Session Affinity:\t{}", st(s, "/spec/sessionAffinity")));
    if !st(s, "/spec/internalTrafficPolicy").is_empty() {
        w.w(0, &format!("Internal Traffic Policy:\t{}", st(s, "/spec/internalTrafficPolicy")));
    }
    finish(w, &rel.events, now_ms)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn statefulset_layout() {
        let s = json!({"metadata": {"name": "web", "namespace": "default", "creationTimestamp": "2025-01-01T00:00:00Z"},
            "spec": {"replicas": 2, "selector": {"matchLabels": {"app": "nginx"}}, "updateStrategy": {"type": "RollingUpdate", "rollingUpdate": {"partition": 0}},
                "template": {"metadata": {"labels": {"app": "nginx"}}, "spec": {"containers": [{"name": "nginx", "image": "registry.k8s.io/nginx-slim:0.24",
                    "ports": [{"containerPort": 80, "name": "web", "protocol": "TCP"}], "volumeMounts": [{"name": "www", "mountPath": "/usr/share/nginx/html"}]}]}},
                "volumeClaimTemplates": [{"metadata": {"name": "www"}, "spec": {"accessModes": ["ReadWriteOnce"], "resources": {"requests": {"storage": "1Gi"}}}}]},
            "status": {"replicas": 2}});
        let out = statefulset(&s, &Related::default(), 0);
        let expected = "\
Name:               web
Namespace:          default
CreationTimestamp:  Wed, 01 Jan 2025 00:00:00 +0000
Selector:           app=nginx
Labels:             <none>
Annotations:        <none>
Replicas:           2 desired | 2 total
Update Strategy:    RollingUpdate
  Partition:        0
Pods Status:        0 Running / 0 Waiting / 0 Succeeded / 0 Failed
Pod Template:
  Labels:  app=nginx
  Containers:
   nginx:
    Image:        registry.k8s.io/nginx-slim:0.24
    Port:         80/TCP
    Host Port:    0/TCP
    Environment:  <none>
    Mounts:
      /usr/share/nginx/html from www (rw)
  Volumes:         <none>
  Node-Selectors:  <none>
  Tolerations:     <none>
Volume Claims:
  Name:          www
  StorageClass:  
  Labels:        <none>
  Annotations:   <none>
  Capacity:      1Gi
  Access Modes:  [ReadWriteOnce]
Events:          <none>
";
        assert_eq!(out, expected);
    }

    #[test]
    fn events_are_a_separate_table() {
        let ev = json!({"type": "Normal", "reason": "SuccessfulCreate", "source": {"component": "statefulset-controller"},
            "message": "create Pod web-0 in StatefulSet web successful", "firstTimestamp": "1970-01-01T00:00:00Z", "lastTimestamp": "1970-01-01T00:00:00Z", "count": 1});
        let out = events_table(&[ev], 120_000);
        assert_eq!(out, "Events:\n  Type    Reason            Age   From                    Message\n  ----    ------            ----  ----                    -------\n  Normal  SuccessfulCreate  2m    statefulset-controller  create Pod web-0 in StatefulSet web successful\n");
    }
}

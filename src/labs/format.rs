//! The lab file format, documented in the README ("Writing a lab"): YAML with every piece of
//! prose in English and Korean, steps, hints, a solution written as kubectl commands, and checks
//! drawn from a small vocabulary of conditions on the cluster.
//!
//! Read by hand from the YAML tree (`yaml.rs`) rather than with serde derives: the derives and
//! serde_yaml's code for them were ~13 KB of the download. Errors name line, column and field.

use std::collections::BTreeMap;

use super::yaml::{self, Node};

/// The built-in labs' source, in lecture order.
pub const BUILT_IN: &[&str] = &[
    include_str!("../../labs/01-headless-service.yaml"),
    include_str!("../../labs/02-ordered-deployment.yaml"),
    include_str!("../../labs/03-sticky-identity.yaml"),
    include_str!("../../labs/04-stable-storage.yaml"),
    include_str!("../../labs/05-scaling.yaml"),
    include_str!("../../labs/06-rolling-updates.yaml"),
    include_str!("../../labs/07-deployment-vs-statefulset.yaml"),
    include_str!("../../labs/08-deployment-per-replica.yaml"),
    include_str!("../../labs/09-limitations.yaml"),
    include_str!("../../labs/10-retention-policy.yaml"),
];

/// A piece of prose in both UI languages.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Text {
    pub en: String,
    pub ko: String,
}

impl Text {
    pub fn get(&self, korean: bool) -> &str {
        if korean { &self.ko } else { &self.en }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Lab {
    pub id: String,
    pub title: Text,
    pub goal: Text,
    pub explanation: Text,
    /// Files the lab's commands can `apply -f`, by name (e.g. `web.yaml`).
    pub files: BTreeMap<String, String>,
    /// kubectl commands run when the lab starts, to set the scene.
    pub setup: String,
    /// What the student does, in order.
    pub steps: Vec<Text>,
    pub checks: Vec<Check>,
    pub hints: Vec<Text>,
    /// kubectl commands that complete the lab ("show me").
    pub solution: String,
}

/// One condition on the cluster, with the sentence the student sees.
#[derive(Debug, Clone, PartialEq)]
pub struct Check {
    pub text: Text,
    pub condition: Condition,
}

/// The check vocabulary. Each field set on a variant must hold for the check to pass.
#[derive(Debug, Clone, PartialEq)]
pub enum Condition {
    /// A pod: `exists`, `phase` (Pending/Running/...), `ready`, `image`, `claim` (a volume
    /// mounts this claim), `recreated` (its UID differs from the first one seen in this lab).
    Pod(PodCondition),
    /// A PersistentVolumeClaim: `exists`, `phase` (Pending/Bound).
    Claim(ClaimCondition),
    /// A StatefulSet's spec and status.
    Statefulset(SetCondition),
    /// Pods matching a label selector: how many exist / are ready.
    Pods(PodsCondition),
    /// A file on a pod's file system: `contains` or `equals` (ignoring a trailing newline).
    File(FileCondition),
    /// A DNS lookup from a pod in `default`: `resolves`, or `addresses` (count).
    Dns(DnsCondition),
    /// Pod changes happened in this order since the lab began, e.g. `[web-0 ready, web-1 created]`.
    /// Events: created, running, ready, terminating, deleted.
    Sequence(Vec<String>),
    /// Whether an object of a kind (`Service`, `Deployment`, ...) with this name exists.
    Object(ObjectCondition),
}

#[derive(Debug, Clone, PartialEq)]
pub struct PodCondition {
    pub name: String,
    pub exists: Option<bool>,
    pub phase: Option<String>,
    pub ready: Option<bool>,
    pub image: Option<String>,
    pub claim: Option<String>,
    pub recreated: Option<bool>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct ClaimCondition {
    pub name: String,
    pub exists: Option<bool>,
    pub phase: Option<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct SetCondition {
    pub name: String,
    pub exists: Option<bool>,
    pub replicas: Option<i64>,
    pub ready_replicas: Option<i64>,
    pub partition: Option<i64>,
    pub update_strategy: Option<String>,
    /// `currentRevision == updateRevision` and every pod updated.
    pub rolled_out: Option<bool>,
    /// The number of ControllerRevisions owned by the set.
    pub revisions: Option<usize>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct PodsCondition {
    pub selector: String,
    pub count: Option<usize>,
    pub ready: Option<usize>,
    pub image: Option<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct FileCondition {
    pub pod: String,
    pub path: String,
    pub contains: Option<String>,
    pub equals: Option<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct DnsCondition {
    pub name: String,
    pub resolves: Option<bool>,
    pub addresses: Option<usize>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct ObjectCondition {
    pub kind: String,
    pub name: String,
    pub exists: Option<bool>,
}

/// Reads a lab file. The error names the line and column, for instructors writing labs.
pub fn parse_lab(text: &str) -> Result<Lab, String> {
    let root = yaml::read(text)?;
    let mut m = root.pairs("a lab: a map with `id`, `title`, `goal`, ...")?;
    let lab = Lab {
        id: m.req("id")?.string()?,
        title: text_of(m.req("title")?)?,
        goal: text_of(m.req("goal")?)?,
        explanation: text_of(m.req("explanation")?)?,
        files: match m.opt("files") {
            Some(n) => n.pairs("a map from file names to their text")?.rest_as_strings()?,
            None => BTreeMap::new(),
        },
        setup: m.opt("setup").map(Node::string).transpose()?.unwrap_or_default(),
        steps: m.req("steps")?.list(text_of)?,
        checks: m.req("checks")?.list(check_of)?,
        hints: m.opt("hints").map(|n| n.list(text_of)).transpose()?.unwrap_or_default(),
        solution: m.req("solution")?.string()?,
    };
    m.done()?;
    Ok(lab)
}

fn text_of(n: &Node) -> Result<Text, String> {
    let mut m = n.pairs("English and Korean text: `en` and `ko`")?;
    let t = Text { en: m.req("en")?.string()?, ko: m.req("ko")?.string()? };
    m.done()?;
    Ok(t)
}

const CONDITIONS: &str = "`pod`, `claim`, `statefulset`, `pods`, `file`, `dns`, `sequence` or `object`";

fn check_of(n: &Node) -> Result<Check, String> {
    let mut m = n.pairs("a check: `text` and one condition")?;
    let text = text_of(m.req("text")?)?;
    let Some((key, value)) = m.take_next() else {
        return Err(n.error(&format!("a check needs one condition: {CONDITIONS}")));
    };
    let condition = match key.as_str() {
        "pod" => Condition::Pod(pod_of(value)?),
        "claim" => Condition::Claim({
            let mut c = value.pairs("a claim condition")?;
            let v = ClaimCondition { name: c.req("name")?.string()?, exists: c.bool("exists")?, phase: c.string("phase")? };
            c.done()?;
            v
        }),
        "statefulset" => Condition::Statefulset(set_of(value)?),
        "pods" => Condition::Pods({
            let mut c = value.pairs("a pods condition")?;
            let v = PodsCondition { selector: c.req("selector")?.string()?, count: c.int("count")?, ready: c.int("ready")?, image: c.string("image")? };
            c.done()?;
            v
        }),
        "file" => Condition::File({
            let mut c = value.pairs("a file condition")?;
            let v = FileCondition { pod: c.req("pod")?.string()?, path: c.req("path")?.string()?, contains: c.string("contains")?, equals: c.string("equals")? };
            c.done()?;
            v
        }),
        "dns" => Condition::Dns({
            let mut c = value.pairs("a dns condition")?;
            let v = DnsCondition { name: c.req("name")?.string()?, resolves: c.bool("resolves")?, addresses: c.int("addresses")? };
            c.done()?;
            v
        }),
        "sequence" => Condition::Sequence(value.list(Node::string)?),
        "object" => Condition::Object({
            let mut c = value.pairs("an object condition")?;
            let v = ObjectCondition { kind: c.req("kind")?.string()?, name: c.req("name")?.string()?, exists: c.bool("exists")? };
            c.done()?;
            v
        }),
        other => return Err(value.error(&format!("unknown condition `{other}`, expected {CONDITIONS}"))),
    };
    if let Some((key, value)) = m.take_next() {
        return Err(value.error(&format!("a check has one condition; `{key}` is a second one")));
    }
    Ok(Check { text, condition })
}

fn pod_of(n: &Node) -> Result<PodCondition, String> {
    let mut c = n.pairs("a pod condition")?;
    let v = PodCondition {
        name: c.req("name")?.string()?,
        exists: c.bool("exists")?,
        phase: c.string("phase")?,
        ready: c.bool("ready")?,
        image: c.string("image")?,
        claim: c.string("claim")?,
        recreated: c.bool("recreated")?,
    };
    c.done()?;
    Ok(v)
}

fn set_of(n: &Node) -> Result<SetCondition, String> {
    let mut c = n.pairs("a statefulset condition")?;
    let v = SetCondition {
        name: c.req("name")?.string()?,
        exists: c.bool("exists")?,
        replicas: c.int("replicas")?,
        ready_replicas: c.int("ready_replicas")?,
        partition: c.int("partition")?,
        update_strategy: c.string("update_strategy")?,
        rolled_out: c.bool("rolled_out")?,
        revisions: c.int("revisions")?,
    };
    c.done()?;
    Ok(v)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_built_in_lab_reads_and_has_both_languages() {
        for text in BUILT_IN {
            let lab = parse_lab(text).unwrap_or_else(|e| panic!("{e}\n{}", text.lines().next().unwrap_or("")));
            assert!(!lab.checks.is_empty() && !lab.steps.is_empty() && !lab.solution.trim().is_empty(), "{}", lab.id);
            for t in [&lab.title, &lab.goal, &lab.explanation].into_iter().chain(&lab.steps).chain(&lab.hints) {
                assert!(!t.en.trim().is_empty() && !t.ko.trim().is_empty(), "{}: empty text", lab.id);
            }
        }
        assert_eq!(crate::labs::built_in().len(), BUILT_IN.len());
    }

    #[test]
    fn a_malformed_lab_names_its_line() {
        let err = parse_lab("id: x\ntitle: {en: a, ko: b}\ngoal: 3\n").unwrap_err();
        assert!(err.starts_with("line 3"), "{err}");
    }

    #[test]
    fn mistakes_are_named_with_their_place_and_field() {
        let lab = |rest: &str| parse_lab(&format!("id: x\ntitle: {{en: a, ko: b}}\ngoal: {{en: a, ko: b}}\nexplanation: {{en: a, ko: b}}\nsteps: []\nsolution: s\n{rest}"));
        assert!(lab("checks: []\n").is_ok());
        assert_eq!(lab("checks:\n- text: {en: a, ko: b}\n  pod: {name: web-0, readyy: true}\n").unwrap_err(), "line 9 column 30: checks[0].pod: unknown field `readyy`, expected one of `name`, `exists`, `phase`, `ready`, `image`, `claim`, `recreated`");
        assert!(lab("checks:\n- text: {en: a, ko: b}\n  pod: {name: web-0}\n  dns: {name: web}\n").unwrap_err().contains("second"), "two conditions");
        assert!(lab("checks:\n- text: {en: a, ko: b}\n  pods: {selector: app=web, count: many}\n").unwrap_err().starts_with("line 9 column 36: checks[0].pods.count:"));
        assert!(lab("checks: []\nhints: [{en: a}]\n").unwrap_err().contains("missing field `ko`"));
    }

    #[test]
    fn hostile_files_are_refused_quickly() {
        // Eleven levels of ten aliases each: 10^11 nodes if expanded.
        let names: Vec<char> = ('a'..='l').collect();
        let mut bomb = String::from("a: &a [x, x, x, x, x, x, x, x, x, x]\n");
        for w in names.windows(2) {
            bomb += &format!("{}: &{} [{}]\n", w[1], w[1], vec![format!("*{}", w[0]); 10].join(", "));
        }
        assert!(parse_lab(&bomb).unwrap_err().contains("nodes"));
        assert!(parse_lab(&"[".repeat(10_000)).unwrap_err().contains("deep"));
    }
}

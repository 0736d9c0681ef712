//! The lab file format, documented in the README ("Writing a lab"): YAML with every piece of
//! prose in English and Korean, steps, hints, a solution written as kubectl commands, and checks
//! drawn from a small vocabulary of conditions on the cluster.

use serde::Deserialize;
use std::collections::BTreeMap;

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
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Text {
    pub en: String,
    pub ko: String,
}

impl Text {
    pub fn get(&self, korean: bool) -> &str {
        if korean { &self.ko } else { &self.en }
    }
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Lab {
    pub id: String,
    pub title: Text,
    pub goal: Text,
    pub explanation: Text,
    /// Files the lab's commands can `apply -f`, by name (e.g. `web.yaml`).
    #[serde(default)]
    pub files: BTreeMap<String, String>,
    /// kubectl commands run when the lab starts, to set the scene.
    #[serde(default)]
    pub setup: String,
    /// What the student does, in order.
    pub steps: Vec<Text>,
    pub checks: Vec<Check>,
    #[serde(default)]
    pub hints: Vec<Text>,
    /// kubectl commands that complete the lab ("show me").
    pub solution: String,
}

/// One condition on the cluster, with the sentence the student sees.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct Check {
    pub text: Text,
    #[serde(flatten)]
    pub condition: Condition,
}

/// The check vocabulary. Each field set on a variant must hold for the check to pass.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(rename_all = "snake_case")]
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

#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PodCondition {
    pub name: String,
    pub exists: Option<bool>,
    pub phase: Option<String>,
    pub ready: Option<bool>,
    pub image: Option<String>,
    pub claim: Option<String>,
    pub recreated: Option<bool>,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ClaimCondition {
    pub name: String,
    pub exists: Option<bool>,
    pub phase: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
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

#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PodsCondition {
    pub selector: String,
    pub count: Option<usize>,
    pub ready: Option<usize>,
    pub image: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FileCondition {
    pub pod: String,
    pub path: String,
    pub contains: Option<String>,
    pub equals: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DnsCondition {
    pub name: String,
    pub resolves: Option<bool>,
    pub addresses: Option<usize>,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ObjectCondition {
    pub kind: String,
    pub name: String,
    pub exists: Option<bool>,
}

/// Reads a lab file. The error names the line and column, for instructors writing labs.
pub fn parse_lab(text: &str) -> Result<Lab, String> {
    serde_yaml::from_str::<Lab>(text).map_err(|e| match e.location() {
        Some(at) => format!("line {} column {}: {e}", at.line(), at.column()),
        None => e.to_string(),
    })
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
}

//! Admission as the API server runs it for one object: strict decode, defaults, strategy
//! (status reset, generation), validation, update rules, then the storage check on
//! `resourceVersion`. Produces field-level detail that `parse` turns into positioned diagnostics.

use super::defaults;
use super::field::FieldError;
use super::schema::{self, Decoded};
use super::validate;
use serde_json::{json, Value};

const NAMESPACED: [&str; 6] = [
    "Service",
    "StatefulSet",
    "PersistentVolumeClaim",
    "Deployment",
    "ConfigMap",
    "PodDisruptionBudget",
];

/// Kinds the simulator models; others are accepted and listed as "not simulated".
pub const SIMULATED_KINDS: [&str; 6] = [
    "Service",
    "StatefulSet",
    "PersistentVolume",
    "PersistentVolumeClaim",
    "StorageClass",
    "Deployment",
];

/// Longest StatefulSet name whose revision label `<name>-<hash>` still fits in 63 characters.
pub const MAX_STS_NAME_FOR_REVISION_LABEL: usize = 52;

#[derive(Debug)]
pub enum Refusal {
    /// `apiVersion`/`kind` missing or unknown to the API: kubectl refuses before sending.
    Client { message: String, node: String },
    /// The decoder refused the body (400 BadRequest).
    Decode { decoded: Decoded },
    /// Validation failed (422 Invalid).
    Invalid { errors: Vec<FieldError> },
}

pub struct Outcome {
    pub api_version: String,
    pub kind: String,
    pub name: String,
    pub result: Result<(Value, Vec<String>), Refusal>,
}

fn str_at<'a>(v: &'a Value, path: &[&str]) -> &'a str {
    let mut cur = v;
    for p in path {
        match cur.get(*p) {
            Some(next) => cur = next,
            None => return "",
        }
    }
    cur.as_str().unwrap_or("")
}

/// The request's `fieldValidation` (kubectl's `--validate`): what the decoder does with fields
/// the schema does not have. Type errors are refused whatever it says.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum FieldValidation {
    /// `--validate=strict` (or `true`), kubectl's default: refused with 400 BadRequest.
    #[default]
    Strict,
    /// `--validate=warn`: dropped, each with a `Warning: unknown field ...`.
    Warn,
    /// `--validate=ignore` (or `false`): dropped silently.
    Ignore,
}

pub fn admit(object: &Value, existing: Option<&Value>, order: &dyn Fn(&str) -> usize) -> Outcome {
    admit_with(object, existing, order, FieldValidation::Strict)
}

pub fn admit_with(object: &Value, existing: Option<&Value>, order: &dyn Fn(&str) -> usize, validation: FieldValidation) -> Outcome {
    let api_version = str_at(object, &["apiVersion"]).to_string();
    let kind = str_at(object, &["kind"]).to_string();
    let name = str_at(object, &["metadata", "name"]).to_string();
    let mut out = Outcome {
        api_version: api_version.clone(),
        kind: kind.clone(),
        name: name.clone(),
        result: Ok((Value::Null, Vec::new())),
    };
    if !object.is_object() {
        out.result = Err(Refusal::Client {
            // kubectl's validation, before its decoder (which would say "cannot unmarshal").
            message: "invalid object to validate".into(),
            node: String::new(),
        });
        return out;
    }
    // kubectl's client-side check (getObjectKind in kubectl's validation), before anything is
    // sent; both problems are reported together, as its error aggregate prints them.
    let missing: Vec<&str> = [(api_version.is_empty(), "apiVersion not set"), (kind.is_empty(), "kind not set")]
        .into_iter()
        .filter_map(|(missing, what)| missing.then_some(what))
        .collect();
    if !missing.is_empty() {
        let message = match missing.as_slice() {
            [one] => one.to_string(),
            many => format!("[{}]", many.join(", ")),
        };
        out.result = Err(Refusal::Client { message, node: String::new() });
        return out;
    }
    if !schema::known_kind(&api_version, &kind) {
        let ns = str_at(object, &["metadata", "namespace"]);
        out.result = Err(Refusal::Client {
            message: format!(
                "error: resource mapping not found for name: \"{name}\" namespace: \"{ns}\" from \"STDIN\": no matches for kind \"{kind}\" in version \"{api_version}\"\nensure CRDs are installed first"
            ),
            node: "kind".into(),
        });
        return out;
    }
    let Some(root) = schema::root_struct(&api_version, &kind) else {
        // A real kind the simulator does not decode: accepted as is, but for the metadata
        // checks every kind gets (and a new Pod's or Namespace's name and spec rules).
        let errors = validate::without_schema(&kind, object, existing.is_none());
        out.result = if errors.is_empty() { Ok((object.clone(), Vec::new())) } else { Err(Refusal::Invalid { errors }) };
        return out;
    };
    let decoded = schema::decode(root, object, order);
    let mut obj = object.clone();
    let mut dropped = Vec::new();
    if !decoded.is_clean() {
        let only_unknown = decoded.type_errors.is_empty() && decoded.fatal.is_none();
        if !only_unknown || validation == FieldValidation::Strict {
            out.result = Err(Refusal::Decode { decoded });
            return out;
        }
        for u in &decoded.unknown {
            remove_path(&mut obj, &u.path);
            if validation == FieldValidation::Warn {
                dropped.push(u.message.clone());
            }
        }
    }

    defaults::apply(&kind, &mut obj);
    prepare(&kind, &mut obj, existing);

    let errors = match (kind.as_str(), existing) {
        ("StatefulSet", None) => validate::statefulset(&obj, true),
        ("StatefulSet", Some(old)) => validate::statefulset_update(&obj, old),
        ("Service", old) => validate::service(&obj, old),
        ("PersistentVolumeClaim", _) => validate::pvc(&obj),
        ("PersistentVolume", _) => validate::pv(&obj),
        ("StorageClass", _) => validate::storage_class(&obj),
        ("Deployment", old) => validate::deployment(&obj, old),
        ("ConfigMap", _) => validate::config_map(&obj),
        ("PodDisruptionBudget", _) => validate::pod_disruption_budget(&obj),
        _ => Vec::new(),
    };
    if !errors.is_empty() {
        out.result = Err(Refusal::Invalid { errors });
        return out;
    }
    dropped.extend(warnings(&kind, &obj));
    out.result = Ok((obj, dropped));
    out
}

/// Removes the field at a decoder path (`spec.template.spec.containers[0].foo`).
fn remove_path(obj: &mut Value, path: &str) {
    let mut parts: Vec<&str> = path.split('.').collect();
    let Some(last) = parts.pop() else { return };
    let mut cur = obj;
    for part in parts {
        let (name, index) = match part.split_once('[') {
            Some((name, rest)) => (name, rest.trim_end_matches(']').parse::<usize>().ok()),
            None => (part, None),
        };
        let Some(next) = cur.get_mut(name) else { return };
        cur = match index {
            Some(i) => match next.get_mut(i) {
                Some(item) => item,
                None => return,
            },
            None => next,
        };
    }
    if let Some(m) = cur.as_object_mut() {
        m.remove(last);
    }
}

/// The strategy's PrepareForCreate/Update: server-owned metadata and status.
fn prepare(kind: &str, obj: &mut Value, existing: Option<&Value>) {
    let namespaced = NAMESPACED.contains(&kind);
    let has_generation = matches!(kind, "StatefulSet" | "Deployment" | "PodDisruptionBudget");
    let Some(m) = obj.as_object_mut() else { return };
    if !matches!(kind, "ConfigMap" | "StorageClass") {
        m.remove("status");
    }
    let meta = m.entry("metadata").or_insert_with(|| json!({}));
    let Some(meta) = meta.as_object_mut() else {
        return;
    };
    if namespaced
        && meta
            .get("namespace")
            .and_then(Value::as_str)
            .unwrap_or("")
            .is_empty()
    {
        meta.insert("namespace".into(), json!("default"));
    }
    match existing {
        None => {
            // `resourceVersion` is cleared by kubectl itself before a create (resource.Helper's
            // Create with modify=true, used by both `create` and `apply`); the rest the server
            // sets afresh.
            for f in [
                "resourceVersion",
                "uid",
                "creationTimestamp",
                "generation",
                "managedFields",
                "selfLink",
                "deletionTimestamp",
            ] {
                meta.remove(f);
            }
            if has_generation {
                meta.insert("generation".into(), json!(1));
            }
        }
        Some(old) => {
            for f in ["uid", "creationTimestamp"] {
                match old.get("metadata").and_then(|o| o.get(f)) {
                    Some(v) => meta.insert(f.into(), v.clone()),
                    None => meta.remove(f),
                };
            }
            if has_generation {
                let before = old
                    .get("metadata")
                    .and_then(|o| o.get("generation"))
                    .and_then(Value::as_i64)
                    .unwrap_or(1);
                let changed = m.get("spec") != old.get("spec");
                if let Some(meta) = m.get_mut("metadata").and_then(Value::as_object_mut) {
                    meta.insert(
                        "generation".into(),
                        json!(if changed { before + 1 } else { before }),
                    );
                }
            }
            if let Some(status) = old.get("status") {
                m.insert("status".into(), status.clone());
            }
            if kind == "Service" {
                // The Service REST storage keeps an allocated clusterIP when an update leaves it empty.
                let old_ip = old.get("spec").and_then(|s| s.get("clusterIP")).cloned();
                if let (Some(ip), Some(spec)) =
                    (old_ip, m.get_mut("spec").and_then(Value::as_object_mut))
                {
                    if spec
                        .get("clusterIP")
                        .and_then(Value::as_str)
                        .unwrap_or("")
                        .is_empty()
                    {
                        spec.insert("clusterIP".into(), ip.clone());
                        if let Some(ips) = old.get("spec").and_then(|s| s.get("clusterIPs")) {
                            spec.insert("clusterIPs".into(), ips.clone());
                        }
                    }
                }
            }
        }
    }
}

/// `Warning:` lines for an accepted object: the API server's own, then the simulator's advice
/// that kubectl itself would not print (missing serviceName, a name too long for pods).
fn warnings(kind: &str, obj: &Value) -> Vec<String> {
    let mut out = Vec::new();
    if kind != "StatefulSet" {
        return out;
    }
    if obj
        .get("spec")
        .and_then(|s| s.get("revisionHistoryLimit"))
        .and_then(Value::as_i64)
        .is_some_and(|n| n < 0)
    {
        out.push("Warning: spec.revisionHistoryLimit: a negative value retains all historical revisions; a value >= 0 is recommended".into());
    }
    let name = str_at(obj, &["metadata", "name"]);
    if name.len() > MAX_STS_NAME_FOR_REVISION_LABEL {
        out.push(format!(
            "Warning: metadata.name: \"{name}\" is {} characters long; its pods' controller-revision-hash label (name plus a hash of up to 10 characters and a dash) will exceed 63 characters, so every pod creation will fail (keep it at most {MAX_STS_NAME_FOR_REVISION_LABEL})",
            name.len()
        ));
    }
    if str_at(obj, &["spec", "serviceName"]).is_empty() {
        out.push("Warning: spec.serviceName: not set; the pods get no stable per-pod DNS names (set it to the name of a headless Service)".into());
    }
    out
}

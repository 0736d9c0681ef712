//! Identity, storage, naming and hashing helpers (upstream `stateful_set_utils.go`,
//! `controller_history.go`).

use super::super::meta::*;
use super::super::objects::*;
use super::super::{defaults, ApiError};
use serde_json::{json, Value};
use std::rc::Rc;

/// `getParentNameAndOrdinal`: `^(.*)-([0-9]+)$`, ordinal parsed as i32, else `None`.
/// Read digit by digit: every pod write and sync asks it, and `str::parse` was most of its cost.
/// The dash is found by stepping back over the trailing digits (a handful) rather than with
/// `rfind`, whose general searcher cost more than the rest of the parse.
pub fn parent_and_ordinal(pod_name: &str) -> Option<(&str, i64)> {
    let bytes = pod_name.as_bytes();
    let start = bytes.iter().rposition(|b| !b.is_ascii_digit()).map_or(0, |i| i + 1);
    let dash = start.checked_sub(1).filter(|&i| bytes.get(i) == Some(&b'-'))?;
    let digits = bytes.get(start..)?;
    if digits.is_empty() {
        return None;
    }
    let mut ord: i64 = 0;
    for &b in digits {
        ord = ord * 10 + i64::from(b - b'0');
        if ord > i64::from(i32::MAX) {
            return None;
        }
    }
    Some((&pod_name[..dash], ord))
}

// Names are built by hand rather than with `format!`: a sync names the slots it looks at, and
// the formatting machinery cost more than the rest of a quiet sync.

pub fn pod_name(set: &str, ordinal: i64) -> String {
    joined([set], ordinal)
}

pub fn claim_name(template: &str, set: &str, ordinal: i64) -> String {
    joined([template, set], ordinal)
}

/// `part-part-...-ordinal`. Inlined into each of the two callers above, where the number of
/// parts is known and the loop over them unrolls.
#[inline(always)]
fn joined<const N: usize>(parts: [&str; N], ordinal: i64) -> String {
    let mut buf = itoa::Buffer::new();
    let digits = buf.format(ordinal);
    let mut out = String::with_capacity(parts.iter().map(|p| p.len() + 1).sum::<usize>() + digits.len());
    for p in parts {
        out.push_str(p);
        out.push('-');
    }
    out.push_str(digits);
    out
}

/// Whether a pod belongs to the set by name (`isMemberOf`).
pub fn is_member_name(set: &str, pod: &str) -> bool {
    parent_and_ordinal(pod).is_some_and(|(p, _)| p == set)
}

/// `identityMatches` (spec §4.5).
pub fn identity_matches(set_name: &str, set_ns: &str, pod: &Pod) -> bool {
    match parent_and_ordinal(&pod.meta.name) {
        Some((parent, _)) => {
            parent == set_name
                && canonical_ordinal(&pod.meta.name[parent.len() + 1..])
                && *pod.meta.namespace == *set_ns
                && pod.meta.labels.get("statefulset.kubernetes.io/pod-name").map(|v| &**v) == Some(&*pod.meta.name)
        }
        None => false,
    }
}

/// `storageMatches` (spec §4.5).
pub fn storage_matches(set_name: &str, spec: &StsSpec, pod: &Pod) -> bool {
    let Some((_, ord)) = parent_and_ordinal(&pod.meta.name) else { return false };
    let volumes = || pod.claims.iter().map(|(v, c)| (&**v, &**c));
    let tmpl = || pod.tmpl.pvc_volumes.iter().filter(|(v, _)| !pod.claims.iter().any(|(cv, _)| **cv == **v)).map(|(v, c)| (v.as_str(), c.as_str()));
    spec.claim_templates.iter().all(|t| volumes().chain(tmpl()).any(|(v, c)| v == t.name && is_claim_name(c, &t.name, set_name, ord)))
}

/// Whether `digits` (ASCII digits that parsed as an ordinal) is how that ordinal prints, so
/// `parent-digits` equals `pod_name(parent, ordinal)` without formatting it.
fn canonical_ordinal(digits: &str) -> bool {
    digits == "0" || !digits.starts_with('0')
}

/// `claim == claim_name(template, set, ordinal)`, without formatting it.
fn is_claim_name(claim: &str, template: &str, set: &str, ordinal: i64) -> bool {
    let rest = claim.strip_prefix(template).and_then(|r| r.strip_prefix('-')).and_then(|r| r.strip_prefix(set)).and_then(|r| r.strip_prefix('-'));
    rest.is_some_and(|d| !d.is_empty() && d.bytes().all(|b| b.is_ascii_digit()) && canonical_ordinal(d) && d.parse::<i64>().ok() == Some(ordinal))
}

/// 32-bit FNV-1 (not 1a), as `hash/fnv.New32`.
pub fn fnv1_32(bytes: &[u8]) -> u32 {
    let mut h: u32 = 0x811c_9dc5;
    for b in bytes {
        h = h.wrapping_mul(0x0100_0193);
        h ^= *b as u32;
    }
    h
}

/// 32-bit FNV-1a, as `hash/fnv.New32a` (Deployment pod-template-hash).
pub fn fnv1a_32(bytes: &[u8]) -> u32 {
    let mut h: u32 = 0x811c_9dc5;
    for b in bytes {
        h ^= *b as u32;
        h = h.wrapping_mul(0x0100_0193);
    }
    h
}

/// `rand.SafeEncodeString`: each character mapped through the safe alphabet.
pub fn safe_encode(s: &str) -> String {
    const ALPHABET: &[u8] = b"bcdfghjklmnpqrstvwxz2456789";
    s.bytes().map(|b| ALPHABET[(b as usize) % ALPHABET.len()] as char).collect()
}

/// The ControllerRevision hash for revision data and a collision count.
pub fn revision_hash(data: &str, collision_count: i64) -> String {
    let mut bytes = data.as_bytes().to_vec();
    bytes.extend_from_slice(collision_count.to_string().as_bytes());
    safe_encode(&fnv1_32(&bytes).to_string())
}

/// ControllerRevision names: set name (truncated to 223 chars) + "-" + hash.
pub fn revision_name(set: &str, hash: &str) -> String {
    let prefix: String = set.chars().take(223).collect();
    format!("{}-{}", prefix, hash)
}

/// Revision `data`: `{"spec":{"template":{"$patch":"replace", ...}}}` with sorted keys, as
/// upstream marshals a `map[string]interface{}`.
pub fn revision_data(template: &Value) -> String {
    let mut t = template.clone();
    if let Some(o) = t.as_object_mut() {
        o.insert("$patch".into(), json!("replace"));
        if let Some(m) = o.get_mut("metadata").and_then(Value::as_object_mut) {
            m.entry("creationTimestamp").or_insert(Value::Null);
        }
    }
    json!({"spec": {"template": t}}).to_string()
}

fn invalid(set: &str, field: &str, body: String) -> ApiError {
    ApiError {
        reason: "Invalid",
        code: 422,
        message: format!("StatefulSet.apps \"{}\" is invalid: {}: {}", set, field, body),
    }
}

/// Reads a (defaulted) StatefulSet spec leniently; malformed essentials become `Invalid`.
pub fn parse_spec(set: &str, spec: &Value) -> Result<StsSpec, ApiError> {
    let int = |v: Option<&Value>, field: &str, default: i64| -> Result<i64, ApiError> {
        match v {
            None | Some(Value::Null) => Ok(default),
            Some(x) => match int_field(Some(x)) {
                Some(n) if n >= 0 => Ok(n),
                Some(n) => Err(invalid(set, field, format!("Invalid value: {}: must be greater than or equal to 0", n))),
                None => Err(invalid(set, field, format!("Invalid value: {}: must be an integer", x))),
            },
        }
    };
    let replicas = int(spec.get("replicas"), "spec.replicas", 1)?;
    let strategy = spec.get("updateStrategy");
    let stype = strategy.and_then(|s| s.get("type")).and_then(Value::as_str).unwrap_or("RollingUpdate");
    let on_delete = match stype {
        "RollingUpdate" => false,
        "OnDelete" => true,
        other => {
            return Err(invalid(set, "spec.updateStrategy", format!("Invalid value: {{\"Type\":\"{}\"}}: must be 'RollingUpdate' or 'OnDelete'", other)))
        }
    };
    let rolling = match strategy.and_then(|s| s.get("rollingUpdate")).filter(|r| r.is_object()) {
        Some(ru) => {
            let partition = int(ru.get("partition"), "spec.updateStrategy.rollingUpdate.partition", 0)?;
            let max_unavailable = match ru.get("maxUnavailable") {
                None | Some(Value::Null) => None,
                Some(Value::String(s)) if s.ends_with('%') => {
                    let n: i64 = s.trim_end_matches('%').parse().unwrap_or(0);
                    Some(IntOrPercent::Percent(n.clamp(0, 100)))
                }
                Some(v) => Some(IntOrPercent::Int(int_field(Some(v)).unwrap_or(1).max(0))),
            };
            Some((partition, max_unavailable))
        }
        None => None,
    };
    let policy = spec.get("podManagementPolicy").and_then(Value::as_str).unwrap_or("OrderedReady");
    let parallel = match policy {
        "OrderedReady" | "" => false,
        "Parallel" => true,
        other => return Err(invalid(set, "spec.podManagementPolicy", format!("Invalid value: \"{}\": must be 'OrderedReady' or 'Parallel'", other))),
    };
    let retention = spec.get("persistentVolumeClaimRetentionPolicy");
    let ret = |k: &str| -> Result<bool, ApiError> {
        match retention.and_then(|r| r.get(k)).and_then(Value::as_str).unwrap_or("Retain") {
            "Retain" | "" => Ok(false),
            "Delete" => Ok(true),
            other => Err(invalid(
                set,
                &format!("spec.persistentVolumeClaimRetentionPolicy.{}", k),
                format!("Unsupported value: \"{}\": supported values: \"Retain\", \"Delete\"", other),
            )),
        }
    };
    let claim_templates = spec
        .get("volumeClaimTemplates")
        .and_then(Value::as_array)
        .map(|ts| {
            ts.iter()
                .map(|t| {
                    let m = t.get("metadata");
                    ClaimTemplate {
                        name: m.and_then(|m| m.get("name")).and_then(Value::as_str).unwrap_or("").to_string(),
                        labels: string_map(m.and_then(|m| m.get("labels"))),
                        annotations: string_map(m.and_then(|m| m.get("annotations"))),
                        spec: Rc::new(claim_spec(t.get("spec"))),
                    }
                })
                .collect()
        })
        .unwrap_or_default();
    // Defaulted once here rather than copied and defaulted for every claim made from it.
    fn claim_spec(spec: Option<&Value>) -> Value {
        let mut spec = spec.cloned().unwrap_or_else(|| json!({}));
        if spec.get("volumeMode").is_none() {
            defaults::pvc_spec(&mut spec);
        }
        spec
    }
    let history_limit = spec.get("revisionHistoryLimit").and_then(|v| int_field(Some(v))).unwrap_or(10);
    Ok(StsSpec {
        replicas,
        service_name: spec.get("serviceName").and_then(Value::as_str).unwrap_or("").to_string(),
        selector: Selector::from_json(spec.get("selector")),
        parallel,
        on_delete,
        rolling: if on_delete { None } else { rolling },
        history_limit,
        when_deleted_delete: ret("whenDeleted")?,
        when_scaled_delete: ret("whenScaled")?,
        min_ready_seconds: int(spec.get("minReadySeconds"), "spec.minReadySeconds", 0)? as u64,
        start: int(spec.get("ordinals").and_then(|o| o.get("start")), "spec.ordinals.start", 0)?,
        claim_templates,
    })
}

/// The live template of a defaulted set spec, and its revision data.
pub fn live_template(spec: &Value) -> (Rc<PodTemplate>, String) {
    let mut t = spec.get("template").cloned().unwrap_or_else(|| json!({"metadata": {}, "spec": {}}));
    defaults::pod_template(&mut t);
    let data = revision_data(&t);
    (Rc::new(PodTemplate::from_json(&t)), data)
}

/// Which owner refs a claim needs (spec §5.2): `(set ref, pod ref)`.
pub fn wanted_claim_refs(spec: &StsSpec, condemned: bool) -> (bool, bool) {
    match (spec.when_scaled_delete, spec.when_deleted_delete) {
        (false, false) => (false, false),
        (false, true) => (true, false),
        (true, false) => (false, condemned),
        (true, true) => (!condemned, condemned),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ordinals_parse_as_upstream_does() {
        // Upstream parses the digits as an int32: anything past it is no ordinal at all.
        fn parsed(name: &str) -> Option<(&str, i64)> {
            let dash = name.rfind('-')?;
            let digits = &name[dash + 1..];
            if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
                return None;
            }
            Some((&name[..dash], digits.parse::<i32>().ok()? as i64))
        }
        for name in ["web-0", "web-12", "a-b-3", "web-", "web", "-5", "web-01", "web-2147483647", "web-2147483648", "web-99999999999999999999", "web-+1", "web-1a", "web-00000000000000000007", "my-web-9-", "42", "web--4", "wéb-5"] {
            assert_eq!(parent_and_ordinal(name), parsed(name), "{}", name);
        }
    }

    #[test]
    fn names_print_as_format_would() {
        for ord in [0, 7, 10, 99, 1234, -3, i64::MAX, i64::MIN] {
            assert_eq!(pod_name("web", ord), format!("web-{}", ord));
            assert_eq!(claim_name("www", "web", ord), format!("www-web-{}", ord));
        }
    }
}

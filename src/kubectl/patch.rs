//! The three patch flavours of `kubectl patch` and the three-way merge of `kubectl apply`:
//! RFC 7386 JSON merge patch, RFC 6902 JSON patch, and a strategic merge patch that knows the
//! merge keys of the Kubernetes fields a StatefulSet lab touches (containers by `name`,
//! container ports by `containerPort`, mounts by `mountPath`, ...) and the `$patch`
//! directives. Lists without a merge key are replaced, as the real strategy does.

use serde_json::{Map, Value};

/// The merge key of a list field, by field name (and, for `ports`, by what the items hold).
fn merge_key(field: &str, sample: Option<&Value>) -> Option<&'static str> {
    match field {
        "containers" | "initContainers" | "ephemeralContainers" | "volumes" | "env" | "imagePullSecrets" => Some("name"),
        "volumeMounts" => Some("mountPath"),
        "volumeDevices" => Some("devicePath"),
        "ports" => {
            if sample.and_then(|s| s.get("containerPort")).is_some() {
                Some("containerPort")
            } else {
                Some("port")
            }
        }
        "conditions" => Some("type"),
        "ownerReferences" => Some("uid"),
        "hostAliases" => Some("ip"),
        "topologySpreadConstraints" => Some("topologyKey"),
        _ => None,
    }
}

/// RFC 7386: objects merge recursively, `null` deletes, everything else replaces.
pub fn merge_patch(target: &Value, patch: &Value) -> Value {
    match patch {
        Value::Object(p) => {
            let mut out = match target {
                Value::Object(t) => t.clone(),
                _ => Map::new(),
            };
            for (k, v) in p {
                if v.is_null() {
                    out.remove(k);
                } else {
                    let merged = merge_patch(out.get(k).unwrap_or(&Value::Null), v);
                    out.insert(k.clone(), merged);
                }
            }
            Value::Object(out)
        }
        other => other.clone(),
    }
}

/// Strategic merge patch of `patch` onto `target`.
pub fn strategic_merge(target: &Value, patch: &Value) -> Result<Value, String> {
    match patch {
        Value::Object(p) => {
            match p.get("$patch").and_then(Value::as_str) {
                Some("replace") => {
                    let mut m = p.clone();
                    m.remove("$patch");
                    return Ok(Value::Object(strip_directives(m)));
                }
                Some("delete") => return Ok(Value::Null),
                Some("merge") | None => {}
                Some(other) => return Err(format!("unknown patch type: {other}")),
            }
            let mut out = match target {
                Value::Object(t) => t.clone(),
                _ => Map::new(),
            };
            for (k, v) in p {
                if k.starts_with('$') {
                    continue;
                }
                if let Some(field) = k.strip_prefix("$setElementOrder/") {
                    let _ = field;
                    continue;
                }
                if v.is_null() {
                    out.remove(k);
                    continue;
                }
                let current = out.get(k).cloned().unwrap_or(Value::Null);
                let merged = match (v, &current) {
                    (Value::Array(pl), Value::Array(cl)) => merge_list(k, cl, pl)?,
                    (Value::Array(pl), _) => Value::Array(pl.iter().filter(|i| !is_delete_directive(i)).cloned().collect()),
                    (Value::Object(_), _) => strategic_merge(&current, v)?,
                    _ => v.clone(),
                };
                if merged.is_null() {
                    out.remove(k);
                } else {
                    out.insert(k.clone(), merged);
                }
            }
            Ok(Value::Object(out))
        }
        other => Ok(other.clone()),
    }
}

fn is_delete_directive(v: &Value) -> bool {
    v.get("$patch").and_then(Value::as_str) == Some("delete")
}

fn strip_directives(mut m: Map<String, Value>) -> Map<String, Value> {
    m.retain(|k, _| !k.starts_with('$'));
    m
}

fn merge_list(field: &str, current: &[Value], patch: &[Value]) -> Result<Value, String> {
    if patch.iter().any(|i| i.get("$patch").and_then(Value::as_str) == Some("replace")) {
        return Ok(Value::Array(patch.iter().filter(|i| i.get("$patch").is_none()).cloned().collect()));
    }
    let Some(key) = merge_key(field, patch.first().or(current.first())) else {
        return Ok(Value::Array(patch.to_vec()));
    };
    let mut out: Vec<Value> = current.to_vec();
    for item in patch {
        let Some(id) = item.get(key) else {
            return Err(format!("map: {item} does not contain declared merge key: {key}"));
        };
        let pos = out.iter().position(|c| c.get(key) == Some(id));
        if is_delete_directive(item) {
            if let Some(i) = pos {
                out.remove(i);
            }
            continue;
        }
        match pos {
            Some(i) => {
                if let Some(slot) = out.get_mut(i) {
                    *slot = strategic_merge(slot, item)?;
                }
            }
            None => out.push(strategic_merge(&Value::Null, item)?),
        }
    }
    Ok(Value::Array(out))
}

/// RFC 6902. Errors use the wording of the evanphx/json-patch library the API server uses.
pub fn json_patch(target: &Value, ops: &Value) -> Result<Value, String> {
    let Some(ops) = ops.as_array() else {
        return Err("json: cannot unmarshal object into Go value of type jsonpatch.Patch".into());
    };
    let mut doc = target.clone();
    for op in ops {
        let kind = op.get("op").and_then(Value::as_str).unwrap_or("");
        let path = op.get("path").and_then(Value::as_str).unwrap_or("");
        match kind {
            "add" => add(&mut doc, path, op.get("value").cloned().unwrap_or(Value::Null))?,
            "remove" => {
                remove(&mut doc, path)?;
            }
            "replace" => {
                if doc.pointer(path).is_none() {
                    return Err(format!("replace operation does not apply: doc is missing key: {path}"));
                }
                if let Some(slot) = doc.pointer_mut(path) {
                    *slot = op.get("value").cloned().unwrap_or(Value::Null);
                }
            }
            "move" => {
                let from = op.get("from").and_then(Value::as_str).unwrap_or("");
                let v = remove(&mut doc, from)?;
                add(&mut doc, path, v)?;
            }
            "copy" => {
                let from = op.get("from").and_then(Value::as_str).unwrap_or("");
                let v = doc.pointer(from).cloned().ok_or_else(|| format!("copy operation does not apply: doc is missing from path: {from}"))?;
                add(&mut doc, path, v)?;
            }
            "test" => {
                if doc.pointer(path) != op.get("value") {
                    return Err(format!("testing value {path} failed: test failed"));
                }
            }
            other => return Err(format!("Unexpected kind: {other}")),
        }
    }
    Ok(doc)
}

fn split_parent(path: &str) -> Result<(String, String), String> {
    let idx = path.rfind('/').ok_or_else(|| format!("add operation does not apply: doc is missing path: \"{path}\""))?;
    let parent = path.get(..idx).unwrap_or("").to_string();
    let last = path.get(idx + 1..).unwrap_or("").replace("~1", "/").replace("~0", "~");
    Ok((parent, last))
}

fn add(doc: &mut Value, path: &str, value: Value) -> Result<(), String> {
    if path.is_empty() {
        *doc = value;
        return Ok(());
    }
    let (parent, last) = split_parent(path)?;
    let missing = || format!("add operation does not apply: doc is missing path: \"{path}\"");
    match doc.pointer_mut(&parent) {
        Some(Value::Object(m)) => {
            m.insert(last, value);
            Ok(())
        }
        Some(Value::Array(a)) => {
            let idx = if last == "-" { a.len() } else { last.parse::<usize>().map_err(|_| missing())? };
            if idx > a.len() {
                return Err(format!("add operation does not apply: index out of bounds: {idx}"));
            }
            a.insert(idx, value);
            Ok(())
        }
        _ => Err(missing()),
    }
}

fn remove(doc: &mut Value, path: &str) -> Result<Value, String> {
    let (parent, last) = split_parent(path)?;
    let missing = || format!("remove operation does not apply: doc is missing path: \"{path}\"");
    match doc.pointer_mut(&parent) {
        Some(Value::Object(m)) => m.remove(&last).ok_or_else(missing),
        Some(Value::Array(a)) => {
            let idx = last.parse::<usize>().map_err(|_| missing())?;
            if idx < a.len() {
                Ok(a.remove(idx))
            } else {
                Err(missing())
            }
        }
        _ => Err(missing()),
    }
}

/// `kubectl apply`'s three-way merge: fields the previous apply set (`original`) but the new
/// manifest (`modified`) drops are deleted from the live object; everything the manifest sets
/// wins; fields nobody applied (defaults, `kubectl scale`) stay as they are live.
pub fn three_way(original: Option<&Value>, modified: &Value, current: &Value) -> Value {
    let mut result = current.clone();
    if let Some(orig) = original {
        delete_dropped(orig, modified, &mut result);
    }
    apply_modified("", modified, &mut result);
    result
}

fn delete_dropped(orig: &Value, modified: &Value, result: &mut Value) {
    let (Some(o), Some(r)) = (orig.as_object(), result.as_object_mut()) else { return };
    for (k, ov) in o {
        match modified.get(k) {
            None => {
                r.remove(k);
            }
            Some(mv) => {
                if let (Value::Object(_), Value::Object(_)) = (ov, mv) {
                    if let Some(rv) = r.get_mut(k) {
                        delete_dropped(ov, mv, rv);
                    }
                } else if let (Value::Array(ol), Value::Array(ml)) = (ov, mv) {
                    // Items removed from a keyed list are removed live, by key.
                    if let (Some(key), Some(Value::Array(rl))) = (merge_key(k, ol.first()), r.get_mut(k)) {
                        rl.retain(|item| {
                            let id = item.get(key);
                            let was_applied = ol.iter().any(|x| x.get(key) == id);
                            let still = ml.iter().any(|x| x.get(key) == id);
                            !was_applied || still
                        });
                        for item in rl.iter_mut() {
                            let id = item.get(key).cloned();
                            let o_item = ol.iter().find(|x| x.get(key) == id.as_ref());
                            let m_item = ml.iter().find(|x| x.get(key) == id.as_ref());
                            if let (Some(oi), Some(mi)) = (o_item, m_item) {
                                delete_dropped(oi, mi, item);
                            }
                        }
                    }
                }
            }
        }
    }
}

fn apply_modified(field: &str, modified: &Value, result: &mut Value) {
    match (modified, result.as_object_mut()) {
        (Value::Object(m), Some(r)) => {
            for (k, mv) in m {
                match (mv, r.get_mut(k)) {
                    (Value::Object(_), Some(rv @ Value::Object(_))) => apply_modified(k, mv, rv),
                    (Value::Array(ml), Some(Value::Array(rl))) => {
                        if let Some(key) = merge_key(k, ml.first().or(rl.first())) {
                            let mut merged = Vec::new();
                            for item in ml {
                                let id = item.get(key);
                                match rl.iter().find(|x| x.get(key) == id) {
                                    Some(live) => {
                                        let mut l = live.clone();
                                        apply_modified(k, item, &mut l);
                                        merged.push(l);
                                    }
                                    None => merged.push(item.clone()),
                                }
                            }
                            // Live items nobody applied (added by others) are kept after them.
                            for live in rl.iter() {
                                let id = live.get(key);
                                if !ml.iter().any(|x| x.get(key) == id) {
                                    merged.push(live.clone());
                                }
                            }
                            *rl = merged;
                        } else if !is_subset(mv, &Value::Array(rl.clone())) {
                            // Without a merge key the manifest's list replaces the live one,
                            // unless it only lacks what the server defaulted into it.
                            *rl = ml.clone();
                        }
                    }
                    _ => {
                        r.insert(k.clone(), mv.clone());
                    }
                }
            }
        }
        _ => {
            let _ = field;
            *result = modified.clone();
        }
    }
}

/// Whether everything `small` says is also in `big` (objects may have extra keys in `big`).
fn is_subset(small: &Value, big: &Value) -> bool {
    match (small, big) {
        (Value::Object(s), Value::Object(b)) => s.iter().all(|(k, v)| b.get(k).map(|bv| is_subset(v, bv)).unwrap_or(false)),
        (Value::Array(s), Value::Array(b)) => s.len() == b.len() && s.iter().zip(b).all(|(x, y)| is_subset(x, y)),
        _ => small == big,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn sts() -> Value {
        json!({"spec": {"replicas": 3, "updateStrategy": {"type": "RollingUpdate", "rollingUpdate": {"partition": 0}},
            "template": {"spec": {"containers": [{"name": "nginx", "image": "a", "terminationMessagePath": "/dev/termination-log"}, {"name": "side", "image": "s"}]}}}})
    }

    #[test]
    fn strategic_merges_containers_by_name() {
        let p = json!({"spec": {"template": {"spec": {"containers": [{"name": "nginx", "image": "b"}]}}}});
        let out = strategic_merge(&sts(), &p).unwrap_or_default();
        assert_eq!(out.pointer("/spec/template/spec/containers/0/image"), Some(&json!("b")));
        assert_eq!(out.pointer("/spec/template/spec/containers/0/terminationMessagePath"), Some(&json!("/dev/termination-log")));
        assert_eq!(out.pointer("/spec/template/spec/containers/1/name"), Some(&json!("side")));
    }

    #[test]
    fn strategic_keeps_rolling_update_unless_nulled() {
        // The tutorial's OnDelete patch leaves rollingUpdate in place (spec T10) ...
        let p = json!({"spec": {"updateStrategy": {"type": "OnDelete"}}});
        let out = strategic_merge(&sts(), &p).unwrap_or_default();
        assert_eq!(out.pointer("/spec/updateStrategy/rollingUpdate/partition"), Some(&json!(0)));
        // ... and the working patch removes it with null.
        let p = json!({"spec": {"updateStrategy": {"type": "OnDelete", "rollingUpdate": null}}});
        let out = strategic_merge(&sts(), &p).unwrap_or_default();
        assert_eq!(out.pointer("/spec/updateStrategy"), Some(&json!({"type": "OnDelete"})));
    }

    #[test]
    fn strategic_directives() {
        let p = json!({"spec": {"template": {"spec": {"containers": [{"name": "side", "$patch": "delete"}]}}}});
        let out = strategic_merge(&sts(), &p).unwrap_or_default();
        assert_eq!(out.pointer("/spec/template/spec/containers").and_then(Value::as_array).map(Vec::len), Some(1));
        let p = json!({"spec": {"updateStrategy": {"$patch": "replace", "type": "OnDelete"}}});
        let out = strategic_merge(&sts(), &p).unwrap_or_default();
        assert_eq!(out.pointer("/spec/updateStrategy"), Some(&json!({"type": "OnDelete"})));
    }

    #[test]
    fn merge_patch_replaces_lists() {
        let p = json!({"spec": {"replicas": 5, "template": {"spec": {"containers": [{"name": "nginx", "image": "c"}]}}}});
        let out = merge_patch(&sts(), &p);
        assert_eq!(out.pointer("/spec/replicas"), Some(&json!(5)));
        assert_eq!(out.pointer("/spec/template/spec/containers"), Some(&json!([{"name": "nginx", "image": "c"}])));
    }

    #[test]
    fn json_patch_ops() {
        let ops = json!([{"op": "replace", "path": "/spec/template/spec/containers/0/image", "value": "x"},
            {"op": "add", "path": "/spec/minReadySeconds", "value": 10}, {"op": "remove", "path": "/spec/replicas"}]);
        let out = json_patch(&sts(), &ops).unwrap_or_default();
        assert_eq!(out.pointer("/spec/template/spec/containers/0/image"), Some(&json!("x")));
        assert_eq!(out.pointer("/spec/minReadySeconds"), Some(&json!(10)));
        assert!(out.pointer("/spec/replicas").is_none());
        assert!(json_patch(&sts(), &json!([{"op": "replace", "path": "/spec/nope", "value": 1}])).is_err());
    }

    #[test]
    fn apply_three_way_keeps_fields_others_changed() {
        let original = json!({"spec": {"template": {"spec": {"containers": [{"name": "nginx", "image": "a"}]}}}});
        let modified = json!({"spec": {"template": {"spec": {"containers": [{"name": "nginx", "image": "b"}]}}}});
        let out = three_way(Some(&original), &modified, &sts());
        // replicas were set by `kubectl scale`, not by apply: they stay.
        assert_eq!(out.pointer("/spec/replicas"), Some(&json!(3)));
        assert_eq!(out.pointer("/spec/template/spec/containers/0/image"), Some(&json!("b")));
        assert_eq!(out.pointer("/spec/template/spec/containers/0/terminationMessagePath"), Some(&json!("/dev/termination-log")));
        // A field the last apply set and this one drops is removed.
        let original = json!({"spec": {"replicas": 3}});
        let out = three_way(Some(&original), &json!({"spec": {}}), &sts());
        assert!(out.pointer("/spec/replicas").is_none());
    }
}

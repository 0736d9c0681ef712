//! Everything kubectl prints about objects: tables (`get`), `-o yaml|json|name|jsonpath`,
//! `--template`, and `describe`. Printers read the API JSON the engine returns and nothing else.

pub mod age;
pub mod columns;
pub mod describe;
pub mod gotemplate;
pub mod json;
pub mod jsonpath;
pub mod status;
pub mod table;
pub mod yaml;

use serde_json::Value;

/// A string field by JSON pointer, "" when absent or not a string.
pub fn st<'a>(v: &'a Value, pointer: &str) -> &'a str {
    v.pointer(pointer).and_then(Value::as_str).unwrap_or("")
}

/// An array field by JSON pointer, empty when absent.
pub fn arr<'a>(v: &'a Value, pointer: &str) -> &'a [Value] {
    v.pointer(pointer).and_then(Value::as_array).map(Vec::as_slice).unwrap_or(&[])
}

/// An integer field, also accepting integers written as strings.
pub fn int(v: &Value, pointer: &str) -> Option<i64> {
    match v.pointer(pointer)? {
        Value::Number(n) => n.as_i64(),
        Value::String(s) => s.parse().ok(),
        _ => None,
    }
}

/// A container or Service port's protocol: TCP when unset, as the API server defaults it.
pub fn protocol(port: &Value) -> &str {
    match st(port, "/protocol") {
        "" => "TCP",
        proto => proto,
    }
}

/// `k=v,k2=v2` sorted by key (labels.FormatLabels); `<none>` when empty.
pub fn format_labels(v: Option<&Value>) -> String {
    let pairs = label_pairs(v);
    if pairs.is_empty() {
        "<none>".into()
    } else {
        pairs.iter().map(|(k, v)| format!("{k}={v}")).collect::<Vec<_>>().join(",")
    }
}

/// Sorted (key, value) pairs of a string map (serde_json's Map is a BTreeMap: it iterates sorted).
pub fn label_pairs(v: Option<&Value>) -> Vec<(String, String)> {
    v.and_then(Value::as_object)
        .map(|m| m.iter().map(|(k, v)| (k.clone(), v.as_str().map(str::to_string).unwrap_or_else(|| v.to_string()))).collect())
        .unwrap_or_default()
}

/// `RWO`, `RWO,ROX`: access modes as kubectl abbreviates them.
pub fn access_modes(v: &Value, pointer: &str) -> String {
    let mut out: Vec<&str> = Vec::new();
    let modes: Vec<&str> = arr(v, pointer).iter().filter_map(Value::as_str).collect();
    for (full, short) in [("ReadWriteOnce", "RWO"), ("ReadOnlyMany", "ROX"), ("ReadWriteMany", "RWX"), ("ReadWriteOncePod", "RWOP")] {
        if modes.contains(&full) {
            out.push(short);
        }
    }
    out.join(",")
}

/// Whether `obj` matches a label selector string (`app=nginx,tier!=db,env in (a,b),!x`).
pub fn selector_matches(selector: &str, labels: Option<&Value>) -> bool {
    let get = |k: &str| labels.and_then(|l| l.get(k)).and_then(Value::as_str);
    split_selector(selector).iter().all(|req| {
        let req = req.trim();
        if req.is_empty() {
            return true;
        }
        if let Some(k) = req.strip_prefix('!') {
            return get(k.trim()).is_none();
        }
        if let Some((k, set)) = req.split_once(" notin ") {
            let vals = parse_set(set);
            return get(k.trim()).map(|v| !vals.iter().any(|x| x == v)).unwrap_or(true);
        }
        if let Some((k, set)) = req.split_once(" in ") {
            let vals = parse_set(set);
            return get(k.trim()).map(|v| vals.iter().any(|x| x == v)).unwrap_or(false);
        }
        if let Some((k, v)) = req.split_once("!=") {
            return get(k.trim()) != Some(v.trim());
        }
        if let Some((k, v)) = req.split_once("==").or_else(|| req.split_once('=')) {
            return get(k.trim()) == Some(v.trim());
        }
        get(req).is_some()
    })
}

/// Validates a selector's syntax; kubectl's message on failure.
pub fn check_selector(selector: &str) -> Result<(), String> {
    for req in split_selector(selector) {
        let req = req.trim();
        let key = req.trim_start_matches('!').split(['=', '!', ' ']).next().unwrap_or("");
        if req.is_empty() || key.is_empty() || !key.chars().all(|c| c.is_ascii_alphanumeric() || "-_./".contains(c)) {
            return Err(format!("error: unable to parse requirement: found '{}', expected: identifier", req.chars().next().unwrap_or(' ')));
        }
    }
    Ok(())
}

fn split_selector(s: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut cur = String::new();
    let mut depth = 0;
    for c in s.chars() {
        match c {
            '(' => depth += 1,
            ')' => depth -= 1,
            ',' if depth == 0 => {
                out.push(std::mem::take(&mut cur));
                continue;
            }
            _ => {}
        }
        cur.push(c);
    }
    if !cur.is_empty() {
        out.push(cur);
    }
    out
}

fn parse_set(s: &str) -> Vec<String> {
    s.trim().trim_start_matches('(').trim_end_matches(')').split(',').map(|x| x.trim().to_string()).collect()
}

/// `metadata.labels` of an object.
pub fn labels(obj: &Value) -> Option<&Value> {
    obj.pointer("/metadata/labels")
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn selectors() {
        let l = json!({"app": "nginx", "tier": "web"});
        assert!(selector_matches("app=nginx", Some(&l)));
        assert!(selector_matches("app==nginx,tier", Some(&l)));
        assert!(!selector_matches("app=other", Some(&l)));
        assert!(selector_matches("app!=other", Some(&l)));
        assert!(selector_matches("tier in (web,db)", Some(&l)));
        assert!(selector_matches("!missing", Some(&l)));
        assert!(!selector_matches("app", None));
        assert!(check_selector("app=nginx").is_ok());
        assert!(check_selector("=x").is_err());
    }

    #[test]
    fn helpers() {
        assert_eq!(format_labels(Some(&json!({"b": "2", "a": "1"}))), "a=1,b=2");
        assert_eq!(format_labels(None), "<none>");
        assert_eq!(access_modes(&json!({"m": ["ReadWriteOnce"]}), "/m"), "RWO");
    }
}

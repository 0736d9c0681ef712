//! `-o json`: Go's `json.MarshalIndent(obj, "", "    ")` of an unstructured object, i.e. keys
//! sorted, four-space indent, and Go's HTML-safe escaping of `<`, `>` and `&`.

use serde_json::Value;

pub fn to_json(v: &Value) -> String {
    let mut out = String::new();
    write(v, 0, &mut out);
    out.push('\n');
    out
}

/// Compact form (jsonpath and go-template print maps and lists this way).
pub fn compact(v: &Value) -> String {
    match v {
        Value::Object(m) => {
            // serde_json's Map is a BTreeMap (no `preserve_order`): keys come sorted, as kubectl prints them.
            let parts: Vec<String> = m.iter().map(|(k, v)| format!("{}:{}", quote(k), compact(v))).collect();
            format!("{{{}}}", parts.join(","))
        }
        Value::Array(a) => format!("[{}]", a.iter().map(compact).collect::<Vec<_>>().join(",")),
        Value::String(s) => quote(s),
        other => other.to_string(),
    }
}

pub fn quote(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '<' => out.push_str("\\u003c"),
            '>' => out.push_str("\\u003e"),
            '&' => out.push_str("\\u0026"),
            '\u{2028}' => out.push_str("\\u2028"),
            '\u{2029}' => out.push_str("\\u2029"),
            c if (c as u32) < 0x20 => out.push_str(&format!("\\u{:04x}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

fn indent(n: usize, out: &mut String) {
    out.extend(std::iter::repeat_n(' ', n * 4));
}

fn write(v: &Value, level: usize, out: &mut String) {
    match v {
        Value::Object(m) if !m.is_empty() => {
            // Keys in sorted order: see `compact`.
            out.push_str("{\n");
            for (i, (k, child)) in m.iter().enumerate() {
                indent(level + 1, out);
                out.push_str(&quote(k));
                out.push_str(": ");
                write(child, level + 1, out);
                if i + 1 < m.len() {
                    out.push(',');
                }
                out.push('\n');
            }
            indent(level, out);
            out.push('}');
        }
        Value::Array(a) if !a.is_empty() => {
            out.push_str("[\n");
            for (i, child) in a.iter().enumerate() {
                indent(level + 1, out);
                write(child, level + 1, out);
                if i + 1 < a.len() {
                    out.push(',');
                }
                out.push('\n');
            }
            indent(level, out);
            out.push(']');
        }
        Value::Object(_) => out.push_str("{}"),
        Value::Array(_) => out.push_str("[]"),
        Value::String(s) => out.push_str(&quote(s)),
        other => out.push_str(&other.to_string()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn indented_sorted_escaped() {
        let v = json!({"kind": "Pod", "apiVersion": "v1", "metadata": {"labels": {}, "name": "a<b"}, "list": [1, "x"], "e": []});
        assert_eq!(
            to_json(&v),
            "{\n    \"apiVersion\": \"v1\",\n    \"e\": [],\n    \"kind\": \"Pod\",\n    \"list\": [\n        1,\n        \"x\"\n    ],\n    \"metadata\": {\n        \"labels\": {},\n        \"name\": \"a\\u003cb\"\n    }\n}\n"
        );
        assert_eq!(compact(&json!({"b": 1, "a": [true, null]})), "{\"a\":[true,null],\"b\":1}");
    }
}

//! `-o yaml`: what sigs.k8s.io/yaml (go-yaml v2) makes of an unstructured object. Keys are
//! sorted, sequences sit at their parent key's indentation, strings that would read back as
//! another type are double-quoted, strings YAML cannot hold plainly are single-quoted,
//! multi-line strings become literal blocks, and long plain strings fold at column 80.

use serde_json::Value;

pub fn to_yaml(v: &Value) -> String {
    let mut out = String::new();
    match v {
        Value::Object(m) if !m.is_empty() => write_map(v, 0, &mut out),
        Value::Array(a) if !a.is_empty() => write_seq(v, 0, &mut out),
        other => {
            out.push_str(&scalar(other, 0, 0));
            out.push('\n');
        }
    }
    out
}

fn write_map(v: &Value, indent: usize, out: &mut String) {
    let Some(m) = v.as_object() else { return };
    // serde_json's Map is a BTreeMap (no `preserve_order`): keys come sorted, as kubectl prints them.
    for (k, child) in m {
        let pad = " ".repeat(indent);
        let key = scalar_str(k, indent, usize::MAX, true);
        match child {
            Value::Object(cm) if !cm.is_empty() => {
                out.push_str(&format!("{pad}{key}:\n"));
                write_map(child, indent + 2, out);
            }
            Value::Array(ca) if !ca.is_empty() => {
                out.push_str(&format!("{pad}{key}:\n"));
                write_seq(child, indent, out);
            }
            _ => {
                let column = indent + key.chars().count() + 2;
                out.push_str(&format!("{pad}{key}: {}\n", scalar(child, indent + 2, column)));
            }
        }
    }
}

fn write_seq(v: &Value, indent: usize, out: &mut String) {
    let Some(a) = v.as_array() else { return };
    let pad = " ".repeat(indent);
    for item in a {
        match item {
            Value::Object(m) if !m.is_empty() => {
                let mut inner = String::new();
                write_map(item, indent + 2, &mut inner);
                // The first key goes on the dash line.
                let body = inner.get(indent + 2..).unwrap_or("");
                out.push_str(&format!("{pad}- {body}"));
            }
            Value::Array(ia) if !ia.is_empty() => {
                let mut inner = String::new();
                write_seq(item, indent + 2, &mut inner);
                let body = inner.get(indent + 2..).unwrap_or("");
                out.push_str(&format!("{pad}- {body}"));
            }
            _ => out.push_str(&format!("{pad}- {}\n", scalar(item, indent + 2, indent + 2))),
        }
    }
}

fn scalar(v: &Value, indent: usize, column: usize) -> String {
    match v {
        Value::Null => "null".into(),
        Value::Bool(b) => b.to_string(),
        Value::Number(n) => n.to_string(),
        Value::String(s) => scalar_str(s, indent, column, false),
        Value::Object(_) => "{}".into(),
        Value::Array(_) => "[]".into(),
    }
}

/// Would a plain scalar read back as something other than a string (YAML 1.1 rules)?
fn resolves_to_non_string(s: &str) -> bool {
    const SPECIAL: &[&str] = &[
        "~", "null", "Null", "NULL", "y", "Y", "yes", "Yes", "YES", "n", "N", "no", "No", "NO", "true", "True", "TRUE", "false",
        "False", "FALSE", "on", "On", "ON", "off", "Off", "OFF", ".inf", ".Inf", ".INF", "+.inf", "+.Inf", "+.INF", "-.inf", "-.Inf",
        "-.INF", ".nan", ".NaN", ".NAN", "<<",
    ];
    if SPECIAL.contains(&s) {
        return true;
    }
    let first = s.chars().next().unwrap_or(' ');
    if !(first.is_ascii_digit() || first == '-' || first == '+' || first == '.') {
        return false;
    }
    let plain = s.replace('_', "");
    let body = plain.trim_start_matches(['-', '+']);
    if body.parse::<f64>().is_ok() && !body.is_empty() && !body.contains(['i', 'I', 'n', 'N']) {
        return true;
    }
    if let Some(hex) = body.strip_prefix("0x") {
        return !hex.is_empty() && hex.chars().all(|c| c.is_ascii_hexdigit());
    }
    if let Some(bin) = body.strip_prefix("0b") {
        return !bin.is_empty() && bin.chars().all(|c| c == '0' || c == '1');
    }
    // Timestamps: 2006-1-2 with an optional time part.
    let date = s.split(['T', 't', ' ']).next().unwrap_or("");
    let parts: Vec<&str> = date.split('-').collect();
    parts.len() == 3 && parts.first().map(|p| p.len() == 4).unwrap_or(false) && parts.iter().all(|p| !p.is_empty() && p.chars().all(|c| c.is_ascii_digit()))
}

fn plain_allowed(s: &str) -> bool {
    let Some(first) = s.chars().next() else { return false };
    if "-?:,[]{}#&*!|>'\"%@`".contains(first) {
        // `-`, `?` and `:` may start a plain scalar when followed by a non-space.
        let second = s.chars().nth(1);
        let ok = matches!(first, '-' | '?' | ':') && second.map(|c| c != ' ').unwrap_or(false);
        if !ok {
            return false;
        }
    }
    if s.starts_with(' ') || s.ends_with(' ') || s.starts_with("---") || s.starts_with("...") {
        return false;
    }
    if s.contains(": ") || s.contains(" #") || s.ends_with(':') {
        return false;
    }
    s.chars().all(|c| c == ' ' || (!c.is_control() && c != '\u{FEFF}'))
}

fn scalar_str(s: &str, indent: usize, column: usize, is_key: bool) -> String {
    if s.is_empty() {
        return "\"\"".into();
    }
    if s.contains('\n') && !is_key && s.chars().all(|c| c == '\n' || !c.is_control() || c == '\t') && !s.starts_with(' ') {
        let chomp = if s.ends_with("\n\n") {
            "+"
        } else if s.ends_with('\n') {
            ""
        } else {
            "-"
        };
        let pad = " ".repeat(indent);
        let mut out = format!("|{chomp}");
        let body = s.strip_suffix('\n').unwrap_or(s);
        for line in body.split('\n') {
            out.push('\n');
            if !line.is_empty() {
                out.push_str(&pad);
                out.push_str(line);
            }
        }
        return out;
    }
    if resolves_to_non_string(s) || s.chars().any(|c| c.is_control()) {
        return super::json::quote(s).replace("\\u003c", "<").replace("\\u003e", ">").replace("\\u0026", "&");
    }
    let (open, body) = if plain_allowed(s) { ("", s.to_string()) } else { ("'", s.replace('\'', "''")) };
    let text = if is_key { body } else { fold(&body, indent, column + open.len()) };
    format!("{open}{text}{open}")
}

/// go-yaml's line folding: at a single space, once the column passed 80, break the line.
fn fold(s: &str, indent: usize, start_column: usize) -> String {
    let chars: Vec<char> = s.chars().collect();
    let mut out = String::new();
    let mut column = start_column;
    let mut prev_space = false;
    for (i, &c) in chars.iter().enumerate() {
        if c == ' ' {
            let next_is_space = chars.get(i + 1) == Some(&' ');
            if !prev_space && column > 80 && !next_is_space && i + 1 < chars.len() {
                out.push('\n');
                out.push_str(&" ".repeat(indent));
                column = indent;
            } else {
                out.push(c);
                column += 1;
            }
            prev_space = true;
        } else {
            out.push(c);
            column += 1;
            prev_space = false;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn object_layout() {
        let v = json!({"kind": "Pod", "apiVersion": "v1",
            "metadata": {"name": "web-0", "labels": {"apps.kubernetes.io/pod-index": "0", "app": "nginx"}, "creationTimestamp": "2025-01-01T00:00:00Z", "finalizers": []},
            "spec": {"containers": [{"name": "nginx", "ports": [{"containerPort": 80, "protocol": "TCP"}]}], "securityContext": {}, "nodeName": null}});
        let expected = "apiVersion: v1\nkind: Pod\nmetadata:\n  creationTimestamp: \"2025-01-01T00:00:00Z\"\n  finalizers: []\n  labels:\n    app: nginx\n    apps.kubernetes.io/pod-index: \"0\"\n  name: web-0\nspec:\n  containers:\n  - name: nginx\n    ports:\n    - containerPort: 80\n      protocol: TCP\n  nodeName: null\n  securityContext: {}\n";
        assert_eq!(to_yaml(&v), expected);
    }

    #[test]
    fn string_styles() {
        let v = json!({"a": "true", "b": "{\"x\":1}", "c": "{\"x\":1}\n", "d": "", "e": "it's: here", "f": "1Gi", "g": "10.244.1.6", "h": "- x"});
        assert_eq!(to_yaml(&v), "a: \"true\"\nb: '{\"x\":1}'\nc: |\n  {\"x\":1}\nd: \"\"\ne: 'it''s: here'\nf: 1Gi\ng: 10.244.1.6\nh: '- x'\n");
    }

    #[test]
    fn folding() {
        let long = "containers with unready status: [nginx] and a lot more words to make this longer than eighty";
        let out = to_yaml(&json!({"message": long}));
        assert!(out.starts_with("message: 'containers with unready status:"));
        assert!(out.contains("\n  "));
    }
}

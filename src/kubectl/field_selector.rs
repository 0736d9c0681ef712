//! `--field-selector`, as the API server applies it to a list or a watch: apimachinery's
//! `fields.ParseSelector` (terms `f=v`, `f==v`, `f!=v`, joined by commas, `\` escaping `\`, `,`
//! and `=` in values), then each kind's field label conversion, which decides which fields a
//! kind can be selected by (core/v1 `conversion.go` and the registries' selectable fields,
//! Kubernetes 1.34). A field the kind accepts but does not fill in (a pod's `status.podIPs`)
//! reads as empty, as it does upstream.

use serde_json::Value;

use crate::engine::Kind;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldSelector {
    terms: Vec<Term>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
struct Term {
    field: String,
    value: String,
    negated: bool,
}

impl FieldSelector {
    /// Parses `text` and checks its fields for `kind`. The error is the API server's message,
    /// which kubectl prints after `Error from server (BadRequest): ` (see [`list_error`]).
    pub fn parse(text: &str, kind: Kind) -> Result<FieldSelector, String> {
        let mut parts = split_terms(text);
        // Upstream sorts the terms first, so the first bad one in that order is reported.
        crate::sort::sort(&mut parts);
        let mut terms = Vec::new();
        for part in parts.iter().filter(|p| !p.is_empty()) {
            let Some((field, op, value)) = split_term(part) else {
                return Err(format!("invalid selector: '{text}'; can't understand '{part}'"));
            };
            terms.push(Term { field: field.to_string(), value: unescape(value)?, negated: op == "!=" });
        }
        for t in &mut terms {
            t.field = convert_label(kind, &t.field)?;
        }
        Ok(FieldSelector { terms })
    }

    /// Whether the object (API JSON of `kind`) has every field as the terms ask.
    pub fn matches(&self, kind: Kind, obj: &Value) -> bool {
        self.terms.iter().all(|t| (field_value(kind, obj, &t.field) == t.value) != t.negated)
    }
}

/// The field selector a list of `kind` carries, checked as the API server checks it: `None`
/// without one, and a refusal in kubectl's words (naming both selectors) when it is bad.
pub fn for_list(kind: Kind, label_selector: Option<&str>, field_selector: Option<&str>) -> Result<Option<FieldSelector>, String> {
    let Some(text) = field_selector else { return Ok(None) };
    FieldSelector::parse(text, kind).map(Some).map_err(|e| list_error(kind, label_selector.unwrap_or(""), text, &e))
}

/// kubectl's wording when the API server refuses a list's selector (cli-runtime's
/// `EnhanceListError`, naming the resource as a GroupVersionResource prints itself).
fn list_error(kind: Kind, label_selector: &str, field_selector: &str, message: &str) -> String {
    format!(
        "Error from server (BadRequest): Unable to find \"{}/{}, Resource={}\" that match label selector \"{}\", field selector \"{}\": {}",
        kind.group(),
        kind.api_version().rsplit('/').next().unwrap_or("v1"),
        kind.plural(),
        label_selector,
        field_selector,
        message
    )
}

/// Splits on commas that are not escaped by a backslash.
fn split_terms(text: &str) -> Vec<String> {
    let mut terms = Vec::new();
    let mut current = String::new();
    let mut escaped = false;
    for c in text.chars() {
        if escaped {
            current.push(c);
            escaped = false;
        } else if c == '\\' {
            current.push(c);
            escaped = true;
        } else if c == ',' {
            terms.push(std::mem::take(&mut current));
        } else {
            current.push(c);
        }
    }
    terms.push(current);
    terms
}

/// The first operator in the term, trying `!=`, then `==`, then `=` at each position.
fn split_term(term: &str) -> Option<(&str, &'static str, &str)> {
    (0..term.len()).filter(|i| term.is_char_boundary(*i)).find_map(|i| {
        ["!=", "==", "="].into_iter().find(|op| term[i..].starts_with(op)).map(|op| (&term[..i], op, &term[i + op.len()..]))
    })
}

fn unescape(value: &str) -> Result<String, String> {
    let mut out = String::with_capacity(value.len());
    let mut escaped = false;
    for c in value.chars() {
        if escaped {
            if !matches!(c, '\\' | ',' | '=') {
                return Err(format!("invalid field selector: invalid escape sequence: \\{c}"));
            }
            out.push(c);
            escaped = false;
        } else if c == '\\' {
            escaped = true;
        } else if c == ',' || c == '=' {
            // Go prints the rune with %v: its number.
            return Err(format!("invalid field selector: unescaped character in value: {}", c as u32));
        } else {
            out.push(c);
        }
    }
    if escaped {
        return Err("invalid field selector: invalid escape sequence: \\".to_string());
    }
    Ok(out)
}

/// The kind's field label conversion: the field to select by, or the API server's refusal.
fn convert_label(kind: Kind, label: &str) -> Result<String, String> {
    let specific: &[&str] = match kind {
        Kind::Pod => &[
            "metadata.name",
            "metadata.namespace",
            "spec.nodeName",
            "spec.restartPolicy",
            "spec.schedulerName",
            "spec.serviceAccountName",
            "spec.hostNetwork",
            "status.phase",
            "status.podIP",
            "status.podIPs",
            "status.nominatedNodeName",
        ],
        Kind::Node => &["metadata.name", "spec.unschedulable"],
        Kind::Event => &[
            "involvedObject.kind",
            "involvedObject.namespace",
            "involvedObject.name",
            "involvedObject.uid",
            "involvedObject.apiVersion",
            "involvedObject.resourceVersion",
            "involvedObject.fieldPath",
            "reason",
            "reportingComponent",
            "source",
            "type",
            "metadata.namespace",
            "metadata.name",
        ],
        Kind::Namespace => &["status.phase", "metadata.name"],
        Kind::Service => &["metadata.namespace", "metadata.name", "spec.clusterIP", "spec.type"],
        Kind::ReplicaSet => &["metadata.name", "metadata.namespace", "status.replicas"],
        _ => {
            // Kinds without their own conversion accept only the object metadata fields.
            return match label {
                "metadata.name" | "metadata.namespace" => Ok(label.to_string()),
                _ => Err(format!("\"{label}\" is not a known field selector: only \"metadata.name\", \"metadata.namespace\"")),
            };
        }
    };
    if kind == Kind::Pod && label == "spec.host" {
        // Old clients' name for spec.nodeName.
        return Ok("spec.nodeName".to_string());
    }
    if specific.contains(&label) {
        Ok(label.to_string())
    } else {
        Err(format!("field label not supported: {label}"))
    }
}

/// The field's value as the registries' `ToSelectableFields` put it: a string, empty when unset.
fn field_value(kind: Kind, obj: &Value, field: &str) -> String {
    let text = |path: &str| obj.pointer(path).and_then(Value::as_str).unwrap_or("").to_string();
    let flag = |path: &str| obj.pointer(path).and_then(Value::as_bool).unwrap_or(false).to_string();
    match (kind, field) {
        (_, "metadata.name") => text("/metadata/name"),
        (_, "metadata.namespace") => text("/metadata/namespace"),
        (Kind::Pod, "spec.hostNetwork") => flag("/spec/hostNetwork"),
        (Kind::Pod, "status.podIP") => obj.pointer("/status/podIPs/0/ip").or_else(|| obj.pointer("/status/podIP")).and_then(Value::as_str).unwrap_or("").to_string(),
        (Kind::Pod, "status.podIPs") => String::new(),
        (Kind::Node, "spec.unschedulable") => flag("/spec/unschedulable"),
        (Kind::Event, "source") => text("/source/component"),
        (Kind::ReplicaSet, "status.replicas") => obj.pointer("/status/replicas").and_then(Value::as_i64).unwrap_or(0).to_string(),
        _ => text(&format!("/{}", field.replace('.', "/"))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn pod(phase: &str, node: &str) -> Value {
        json!({"metadata": {"name": "web-0", "namespace": "default"}, "spec": {"nodeName": node, "restartPolicy": "Always"},
               "status": {"phase": phase, "podIP": "10.244.1.2", "podIPs": [{"ip": "10.244.1.2"}]}})
    }

    #[test]
    fn terms_select_by_equality_and_inequality() {
        let running = FieldSelector::parse("status.phase=Running", Kind::Pod).unwrap();
        assert!(running.matches(Kind::Pod, &pod("Running", "node-1")));
        assert!(!running.matches(Kind::Pod, &pod("Pending", "node-1")));
        let both = FieldSelector::parse("status.phase!=Running,spec.nodeName==node-2", Kind::Pod).unwrap();
        assert!(both.matches(Kind::Pod, &pod("Pending", "node-2")));
        assert!(!both.matches(Kind::Pod, &pod("Pending", "node-1")));
        assert!(FieldSelector::parse("status.podIP=10.244.1.2,spec.hostNetwork=false", Kind::Pod).unwrap().matches(Kind::Pod, &pod("Running", "n")));
        assert!(FieldSelector::parse("", Kind::Pod).unwrap().matches(Kind::Pod, &pod("Running", "n")));
        // An unset field reads as empty.
        assert!(FieldSelector::parse("spec.nodeName=", Kind::Pod).unwrap().matches(Kind::Pod, &json!({"metadata": {"name": "p"}})));
    }

    #[test]
    fn escaped_commas_and_equals_belong_to_the_value() {
        let s = FieldSelector::parse(r"metadata.name=a\,b\=c", Kind::ConfigMap).unwrap();
        assert!(s.matches(Kind::ConfigMap, &json!({"metadata": {"name": "a,b=c"}})));
    }

    #[test]
    fn refusals_are_worded_as_the_api_server_words_them() {
        assert_eq!(FieldSelector::parse("foo=bar", Kind::Pod).unwrap_err(), "field label not supported: foo");
        assert_eq!(
            FieldSelector::parse("spec.replicas=3", Kind::StatefulSet).unwrap_err(),
            "\"spec.replicas\" is not a known field selector: only \"metadata.name\", \"metadata.namespace\""
        );
        assert_eq!(FieldSelector::parse("status.phase", Kind::Pod).unwrap_err(), "invalid selector: 'status.phase'; can't understand 'status.phase'");
        assert_eq!(FieldSelector::parse("metadata.name=a=b", Kind::Pod).unwrap_err(), "invalid field selector: unescaped character in value: 61");
        assert_eq!(FieldSelector::parse(r"metadata.name=a\b", Kind::Pod).unwrap_err(), r"invalid field selector: invalid escape sequence: \b");
        // Sorted first: of two unsupported fields, the one that sorts first is named.
        assert_eq!(FieldSelector::parse("zzz=1,aaa=2", Kind::Pod).unwrap_err(), "field label not supported: aaa");
        assert_eq!(
            list_error(Kind::Pod, "", "foo=bar", "field label not supported: foo"),
            "Error from server (BadRequest): Unable to find \"/v1, Resource=pods\" that match label selector \"\", field selector \"foo=bar\": field label not supported: foo"
        );
        assert!(list_error(Kind::StatefulSet, "app=web", "x=1", "m").contains("\"apps/v1, Resource=statefulsets\" that match label selector \"app=web\""));
    }
}

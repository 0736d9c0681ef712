//! Field errors as apimachinery's `field.Error` renders them (spec §2.1, ≥1.34 JSON values),
//! plus the name and label checks from apimachinery's validation package.

use serde_json::Value;

#[derive(Debug, Clone, PartialEq)]
pub struct FieldError {
    /// The path the API prints, e.g. `spec.template.metadata.labels`.
    pub field: String,
    /// Everything after `<field>: `, e.g. `Invalid value: -1: must be greater than or equal to 0`.
    pub body: String,
    /// The JSON path in the manifest of the node to underline (often the same as `field`).
    pub node: String,
    /// Underline the key rather than the value (missing or forbidden fields).
    pub at_key: bool,
}

impl FieldError {
    fn new(field: &str, body: String) -> FieldError {
        FieldError {
            field: field.to_string(),
            body,
            node: field.to_string(),
            at_key: false,
        }
    }

    pub fn at(mut self, node: &str) -> FieldError {
        self.node = node.to_string();
        self
    }

    pub fn on_key(mut self) -> FieldError {
        self.at_key = true;
        self
    }

    pub fn line(&self) -> String {
        format!("{}: {}", self.field, self.body)
    }
}

/// A value as `Invalid value: <value>` shows it: JSON, strings quoted.
pub fn show(v: &Value) -> String {
    serde_json::to_string(v).unwrap_or_else(|_| "null".into())
}

pub fn quoted(s: &str) -> String {
    show(&Value::String(s.to_string()))
}

pub fn required(field: &str, detail: &str) -> FieldError {
    let body = if detail.is_empty() {
        "Required value".to_string()
    } else {
        format!("Required value: {detail}")
    };
    FieldError::new(field, body).on_key()
}

pub fn invalid(field: &str, value: &Value, detail: &str) -> FieldError {
    FieldError::new(field, format!("Invalid value: {}: {detail}", show(value)))
}

/// `Invalid value:` with a value already rendered (Go structs keep their field order, which a
/// sorted JSON map cannot).
pub fn invalid_shown(field: &str, shown: &str, detail: &str) -> FieldError {
    FieldError::new(field, format!("Invalid value: {shown}: {detail}"))
}

/// A Go struct of the internal API as ≥1.34 validation renders it: JSON with Go field names, in order.
pub fn go_struct(fields: &[(&str, String)]) -> String {
    let inner: Vec<String> = fields
        .iter()
        .map(|(k, v)| format!("{}:{v}", quoted(k)))
        .collect();
    format!("{{{}}}", inner.join(","))
}

pub fn invalid_str(field: &str, value: &str, detail: &str) -> FieldError {
    invalid(field, &Value::String(value.to_string()), detail)
}

pub fn not_supported(field: &str, value: &str, supported: &[&str]) -> FieldError {
    let list: Vec<String> = supported.iter().map(|s| quoted(s)).collect();
    FieldError::new(
        field,
        format!(
            "Unsupported value: {}: supported values: {}",
            quoted(value),
            list.join(", ")
        ),
    )
}

pub fn forbidden(field: &str, detail: &str) -> FieldError {
    FieldError::new(field, format!("Forbidden: {detail}")).on_key()
}

pub fn duplicate(field: &str, value: &Value) -> FieldError {
    duplicate_shown(field, &show(value))
}

pub fn duplicate_shown(field: &str, shown: &str) -> FieldError {
    FieldError::new(field, format!("Duplicate value: {shown}"))
}

pub fn not_found(field: &str, value: &Value) -> FieldError {
    FieldError::new(field, format!("Not found: {}", show(value)))
}

pub fn non_negative(field: &str, v: i64) -> Option<FieldError> {
    (v < 0).then(|| invalid(field, &Value::from(v), "must be greater than or equal to 0"))
}

const DNS1123_LABEL_FMT: &str = "[a-z0-9]([-a-z0-9]*[a-z0-9])?";
const DNS1123_SUBDOMAIN_FMT: &str =
    "[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*";
const DNS1035_LABEL_FMT: &str = "[a-z]([-a-z0-9]*[a-z0-9])?";

fn label_chars_ok(s: &str) -> bool {
    let b = s.as_bytes();
    !b.is_empty()
        && b.iter()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || *c == b'-')
        && b.first().is_some_and(|c| c.is_ascii_alphanumeric())
        && b.last().is_some_and(|c| c.is_ascii_alphanumeric())
}

/// apimachinery IsDNS1123Label: the messages it returns (empty when valid).
pub fn dns1123_label(s: &str) -> Vec<String> {
    let mut out = Vec::new();
    if s.len() > 63 {
        out.push("must be no more than 63 characters".to_string());
    }
    if !label_chars_ok(s) {
        out.push(format!(
            "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '{DNS1123_LABEL_FMT}')"
        ));
    }
    out
}

pub fn dns1123_subdomain(s: &str) -> Vec<String> {
    let mut out = Vec::new();
    if s.len() > 253 {
        out.push("must be no more than 253 characters".to_string());
    }
    if s.is_empty() || !s.split('.').all(label_chars_ok) {
        out.push(format!(
            "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '{DNS1123_SUBDOMAIN_FMT}')"
        ));
    }
    out
}

pub fn dns1035_label(s: &str) -> Vec<String> {
    let mut out = Vec::new();
    if s.len() > 63 {
        out.push("must be no more than 63 characters".to_string());
    }
    if !(label_chars_ok(s) && s.as_bytes().first().is_some_and(|c| c.is_ascii_lowercase())) {
        out.push(format!(
            "a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character (e.g. 'my-name',  or 'abc-123', regex used for validation is '{DNS1035_LABEL_FMT}')"
        ));
    }
    out
}

fn name_part_ok(s: &str) -> bool {
    let b = s.as_bytes();
    !b.is_empty()
        && b.iter()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, b'-' | b'_' | b'.'))
        && b.first().is_some_and(|c| c.is_ascii_alphanumeric())
        && b.last().is_some_and(|c| c.is_ascii_alphanumeric())
}

/// apimachinery IsQualifiedName (label and annotation keys).
pub fn qualified_name(s: &str) -> Vec<String> {
    let mut out = Vec::new();
    let (prefix, name) = match s.split_once('/') {
        Some((p, n)) if !n.contains('/') => (Some(p), n),
        Some(_) => {
            return vec![
                "a qualified name must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]') with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')".to_string(),
            ]
        }
        None => (None, s),
    };
    if let Some(p) = prefix {
        if p.is_empty() {
            out.push("prefix part must be non-empty".to_string());
        } else {
            out.extend(
                dns1123_subdomain(p)
                    .into_iter()
                    .map(|m| format!("prefix part {m}")),
            );
        }
    }
    if name.is_empty() {
        out.push("name part must be non-empty".to_string());
    } else {
        if name.len() > 63 {
            out.push("name part must be no more than 63 characters".to_string());
        }
        if !name_part_ok(name) {
            out.push("name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')".to_string());
        }
    }
    out
}

/// apimachinery IsValidLabelValue.
pub fn label_value(s: &str) -> Vec<String> {
    let mut out = Vec::new();
    if s.len() > 63 {
        out.push("must be no more than 63 characters".to_string());
    }
    if !s.is_empty() && !name_part_ok(s) {
        out.push("a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')".to_string());
    }
    out
}

/// IANA_SVC_NAME (container and service port names).
pub fn port_name(s: &str) -> Vec<String> {
    let mut out = Vec::new();
    if s.len() > 15 {
        out.push("must be no more than 15 characters".to_string());
    }
    let b = s.as_bytes();
    if !b
        .iter()
        .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || *c == b'-')
    {
        out.push(
            "must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)".to_string(),
        );
    }
    if s.contains("--") {
        out.push("must not contain consecutive hyphens".to_string());
    }
    if !b.iter().any(|c| c.is_ascii_lowercase()) {
        out.push("must contain at least one letter (a-z)".to_string());
    }
    if s.starts_with('-') || s.ends_with('-') {
        out.push("must not begin or end with a hyphen".to_string());
    }
    out
}

/// Label maps (`metadata.labels`, selectors): errors carry the key or value as the value.
pub fn validate_labels(labels: &Value, field: &str, errs: &mut Vec<FieldError>) {
    let Some(m) = labels.as_object() else { return };
    for (k, v) in m {
        for msg in qualified_name(k) {
            errs.push(
                invalid_str(field, k, &msg)
                    .at(&format!("{field}.{k}"))
                    .on_key(),
            );
        }
        let value = v.as_str().unwrap_or("");
        for msg in label_value(value) {
            errs.push(invalid_str(field, value, &msg).at(&format!("{field}.{k}")));
        }
    }
}

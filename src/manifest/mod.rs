//! Manifests: turn the text a student pastes into API objects, checked the way the API server
//! and `kubectl apply` check them, with every mistake explained at its line and column.
//!
//! This is the front of the data flow: text -> [`Parsed`] documents (JSON values, as kubectl
//! would send them) -> [`admit`] (defaults, validation, update rules) -> engine inputs.
//!
//! Files: `events` (libyaml events with positions), `read` (YAML 1.1 typing, positions, limits),
//! `fields` + `schema` (the API's field table and strict decoding), `quantity`, `field` (error
//! rendering, name rules), `validate`, `defaults`, `admit`, `hints`, `check` (`stslab check`).

mod admit;
mod check;
mod defaults;
mod events;
pub mod examples;
pub(crate) mod field;
mod fields;
mod hints;
mod quantity;
mod read;
mod schema;
mod validate;

pub use check::{check_files, CheckReport, FileReport};
pub use quantity::{parse as parse_quantity, Quantity};
pub use read::{NodePos, Positions};

pub use admit::FieldValidation;
use admit::Refusal;
use read::{Note, RawDoc, ReadError};
use serde::Deserialize;
use serde_json::Value;

/// The lecture's headless Service and StatefulSet, as on the slides (and kubernetes.io).
pub const LECTURE_EXAMPLE: &str = include_str!("../../examples/web.yaml");

/// Pastes larger than this are refused before reading. Reading is linear (about 0.3 ms per KB
/// natively, more in the browser), and every paste the editor accepts must read within the
/// 100 ms budget; the largest lab manifest is 6 KB, a lecture's a few KB.
pub const MAX_INPUT_BYTES: usize = 128 * 1024;

/// Everything read from one paste: the objects that could be read, and what is wrong.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Parsed {
    pub documents: Vec<Document>,
    pub diagnostics: Vec<Diagnostic>,
}

impl Parsed {
    pub fn has_errors(&self) -> bool {
        self.diagnostics
            .iter()
            .any(|d| d.severity == Severity::Error)
    }

    /// Diagnostics of one document (by index into `documents`).
    pub fn diagnostics_of(&self, document: usize) -> impl Iterator<Item = &Diagnostic> {
        self.diagnostics
            .iter()
            .filter(move |d| d.document == Some(document))
    }
}

/// One object of a paste, as kubectl would send it to the API server (not yet defaulted).
#[derive(Debug, Clone, PartialEq)]
pub struct Document {
    pub api_version: String,
    pub kind: String,
    pub name: String,
    pub namespace: Option<String>,
    pub value: Value,
    /// 1-based line of the document's first line in the pasted text.
    pub line: u32,
    /// False for kinds the simulator accepts but does not model (listed as "not simulated").
    pub simulated: bool,
    /// Where each node of `value` is in the paste, by JSON path (`spec.template.spec.containers[0].image`).
    pub positions: Positions,
}

impl Document {
    /// Line and column of the node at `path`, or of its nearest ancestor in the paste.
    pub fn locate(&self, path: &str) -> (u32, u32) {
        self.positions
            .nearest(path)
            .map(|(_, p)| (p.value.line, p.value.column))
            .unwrap_or((self.line, 1))
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Severity {
    Error,
    Warning,
}

/// A problem found in the paste, worded as kubectl/the API server words it, placed at the
/// offending node (1-based line and column from the start of the whole paste).
#[derive(Debug, Clone, PartialEq)]
pub struct Diagnostic {
    pub severity: Severity,
    pub message: String,
    pub line: u32,
    pub column: u32,
    /// How to fix it, in both UI languages. kubectl's own message stays English.
    pub hint: Option<Hint>,
    /// The document it belongs to (index into `Parsed::documents`); None for the paste as a whole.
    pub document: Option<usize>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Hint {
    pub en: String,
    pub ko: String,
}

/// An object the API server accepted: defaulted, with any `Warning:` lines kubectl would print.
#[derive(Debug, Clone, PartialEq)]
pub struct Admitted {
    pub object: Value,
    pub warnings: Vec<String>,
}

/// The API server's refusal, already worded as kubectl prints it, e.g.
/// `The StatefulSet "web" is invalid: spec.replicas: Invalid value: -1: must be greater than or equal to 0`.
#[derive(Debug, Clone, PartialEq)]
pub struct Rejected {
    pub message: String,
    /// The message of the Status the server returns, e.g.
    /// `StatefulSet.apps "web" is invalid: spec.replicas: ...`: what a command that wraps the
    /// error value rather than printing it (`create deployment`: `failed to create deployment:
    /// %v`) shows. Several field errors read as Go's aggregate, `[a, b]`.
    pub status: String,
    /// One entry per field error: (field path, body), as in `status.details.causes`.
    pub causes: Vec<(String, String)>,
}

/// Admission as the API server does it for a create (`existing == None`) or an update:
/// decode strictly, apply defaults, validate (and on update, check the immutable fields).
pub fn admit(object: &Value, existing: Option<&Value>) -> Result<Admitted, Rejected> {
    admit_with(object, existing, FieldValidation::Strict)
}

/// [`admit`] with the request's field validation (kubectl's `--validate`).
pub fn admit_with(object: &Value, existing: Option<&Value>, validation: FieldValidation) -> Result<Admitted, Rejected> {
    let outcome = admit::admit_with(object, existing, &|_| 0, validation);
    let creating = existing.is_none();
    match outcome.result {
        Ok((object, warnings)) => Ok(Admitted { object, warnings }),
        Err(refusal) => Err(rejected(
            &outcome.kind,
            &outcome.api_version,
            &outcome.name,
            &refusal,
            creating,
        )),
    }
}

fn version_of(api_version: &str) -> &str {
    api_version.rsplit('/').next().unwrap_or(api_version)
}

fn bad_request(kind: &str, api_version: &str, detail: &str, creating: bool) -> String {
    let during = if creating {
        "error when creating \"STDIN\": "
    } else {
        ""
    };
    format!("Error from server (BadRequest): {during}{}", cannot_handle(kind, api_version, detail))
}

fn cannot_handle(kind: &str, api_version: &str, detail: &str) -> String {
    format!("{kind} in version \"{}\" cannot be handled as a {kind}: {detail}", version_of(api_version))
}

fn invalid_prefix(kind: &str, name: &str) -> String {
    format!("The {kind} \"{name}\" is invalid: ")
}

fn rejected(
    kind: &str,
    api_version: &str,
    name: &str,
    refusal: &Refusal,
    creating: bool,
) -> Rejected {
    match refusal {
        Refusal::Client { message, .. } => Rejected {
            message: message.clone(),
            status: message.clone(),
            causes: Vec::new(),
        },
        Refusal::Decode { decoded } => {
            let detail = decoded.server_message().unwrap_or_default();
            let causes = if decoded.fatal.is_none() && decoded.type_errors.is_empty() {
                decoded
                    .unknown
                    .iter()
                    .map(|u| (u.path.clone(), u.message.clone()))
                    .collect()
            } else {
                Vec::new()
            };
            Rejected {
                message: bad_request(kind, api_version, &detail, creating),
                status: cannot_handle(kind, api_version, &detail),
                causes,
            }
        }
        Refusal::Invalid { errors } => {
            let prefix = invalid_prefix(kind, name);
            let message = match errors.as_slice() {
                [one] => format!("{prefix}{}", one.line()),
                many => {
                    let lines: Vec<String> =
                        many.iter().map(|e| format!("* {}", e.line())).collect();
                    format!("{prefix}\n{}", lines.join("\n"))
                }
            };
            let lines: Vec<String> = errors.iter().map(|e| e.line()).collect();
            let all = match lines.as_slice() {
                [one] => one.clone(),
                many => format!("[{}]", many.join(", ")),
            };
            let group = api_version.rsplit_once('/').map(|(g, _)| g).unwrap_or("");
            let qualified = if group.is_empty() { kind.to_string() } else { format!("{kind}.{group}") };
            Rejected {
                message,
                status: format!("{qualified} \"{name}\" is invalid: {all}"),
                causes: errors
                    .iter()
                    .map(|e| (e.field.clone(), e.body.clone()))
                    .collect(),
            }
        }
    }
}

/// Reads a paste given as bytes (a file, a drop): non-UTF-8 input is reported at its first bad byte.
pub fn parse_bytes(bytes: &[u8]) -> Parsed {
    match std::str::from_utf8(bytes) {
        Ok(text) => parse(text),
        Err(e) => {
            let good = bytes.get(..e.valid_up_to()).unwrap_or(&[]);
            let prefix = String::from_utf8_lossy(good);
            let (line, column) = line_col(&prefix, prefix.len());
            let byte = bytes.get(e.valid_up_to()).copied().unwrap_or(0);
            let mut out = Parsed::default();
            out.diagnostics.push(Diagnostic {
                severity: Severity::Error,
                message: format!("error: the manifest is not valid UTF-8: invalid byte 0x{byte:02X} at line {line} column {column}"),
                line,
                column,
                hint: Some(Hint {
                    en: "Save the file as UTF-8 text (not UTF-16, Latin-1 or a word-processor document) and paste it again.".into(),
                    ko: "파일을 UTF-8 텍스트로 저장한 뒤(UTF-16, Latin-1, 워드 문서 형식이 아니라) 다시 붙여 넣으세요.".into(),
                }),
                document: None,
            });
            out
        }
    }
}

/// 1-based line and column (in characters) of byte offset `index`.
fn line_col(text: &str, index: usize) -> (u32, u32) {
    let upto = text.get(..index.min(text.len())).unwrap_or(text);
    let line = upto.matches('\n').count() as u32 + 1;
    let col = upto
        .rsplit('\n')
        .next()
        .map(|l| l.chars().count())
        .unwrap_or(0) as u32
        + 1;
    (line, col)
}

fn error(message: impl Into<String>, at: (u32, u32), hint: Option<Hint>, document: Option<usize>) -> Diagnostic {
    diagnostic(Severity::Error, message.into(), at, hint, document)
}

fn warning(message: impl Into<String>, at: (u32, u32), hint: Option<Hint>, document: Option<usize>) -> Diagnostic {
    diagnostic(Severity::Warning, message.into(), at, hint, document)
}

fn diagnostic(severity: Severity, message: String, (line, column): (u32, u32), hint: Option<Hint>, document: Option<usize>) -> Diagnostic {
    Diagnostic { severity, message, line, column, hint, document }
}

/// The first control character YAML does not allow, with its position.
fn first_control_char(text: &str) -> Option<(usize, char)> {
    text.char_indices().find(|&(_, c)| {
        (c < ' ' && !matches!(c, '\t' | '\n' | '\r'))
            || c == '\u{7f}'
            || (('\u{80}'..='\u{9f}').contains(&c) && c != '\u{85}')
    })
}

/// serde_yaml's wording and location for the first syntax error in the text.
fn syntax_error(text: &str) -> (String, (u32, u32)) {
    for (i, doc) in serde_yaml::Deserializer::from_str(text).enumerate() {
        if let Err(e) = serde::de::IgnoredAny::deserialize(doc) {
            let at = e
                .location()
                .map(|l| (l.line() as u32, l.column() as u32))
                .unwrap_or((1, 1));
            return (e.to_string(), at);
        }
        // serde_yaml repeats a syntax error forever; this bound is a second guard.
        if i > 100_000 {
            break;
        }
    }
    ("invalid YAML".to_string(), (1, 1))
}

/// The first document of a YAML or JSON text as JSON, its scalars resolved as a manifest's are:
/// kubectl reads `patch -p` with the same YAML library as `apply -f` (sigs.k8s.io/yaml, which
/// keeps the first document), so `010`, `yes` and `1e3` mean in a patch what they mean in a
/// manifest. No document is null. The error is worded as go-yaml words it (`line N: problem`),
/// or a reading limit's message.
pub fn read_value(text: &str) -> Result<Value, String> {
    match read::read_documents(text) {
        (_, Some(ReadError::Syntax { go_yaml })) => Err(go_yaml),
        (_, Some(ReadError::Other { message, .. })) => Err(message),
        (docs, None) => Ok(docs.into_iter().next().map_or(Value::Null, |d| d.value)),
    }
}

/// Reads a paste: multi-document YAML or JSON.
pub fn parse(text: &str) -> Parsed {
    let mut out = Parsed::default();
    if text.len() > MAX_INPUT_BYTES {
        out.diagnostics.push(error(
            format!("error: the manifest is too large ({} bytes); the limit is {} KB ({MAX_INPUT_BYTES} bytes)", text.len(), MAX_INPUT_BYTES / 1024),
            (1, 1),
            Some(Hint {
                en: "Paste only the objects you want to apply; real manifests are a few kilobytes.".into(),
                ko: "적용할 오브젝트만 붙여 넣으세요. 실제 매니페스트는 보통 몇 킬로바이트입니다.".into(),
            }),
            None,
        ));
        return out;
    }
    if let Some((index, c)) = first_control_char(text) {
        let at = line_col(text, index);
        out.diagnostics.push(error(
            format!("error: control character U+{:04X} is not allowed in YAML (line {} column {})", c as u32, at.0, at.1),
            at,
            Some(Hint {
                en: "The text contains an invisible control character (often from a PDF or a terminal). Delete it or retype the line.".into(),
                ko: "텍스트에 보이지 않는 제어 문자가 들어 있습니다(PDF나 터미널에서 복사할 때 흔합니다). 그 문자를 지우거나 줄을 다시 입력하세요.".into(),
            }),
            None,
        ));
        return out;
    }
    let shell = hints::looks_like_shell(text);
    let (raw_docs, read_error) = read::read_documents(text);

    for raw in raw_docs {
        document(text, raw, &mut out);
    }
    match read_error {
        Some(ReadError::Syntax { .. }) => {
            let (message, at) = syntax_error(text);
            let hint = hints::syntax(text, at.0, at.1)
                .or_else(|| shell.as_ref().and_then(|_| hints::shell()));
            out.diagnostics.push(error(message, at, hint, None));
        }
        Some(ReadError::Other { message, at }) => {
            out.diagnostics.push(error(
                format!("error: {message}"),
                (at.line, at.column),
                None,
                None,
            ));
        }
        None => {}
    }
    if out.documents.is_empty() && out.diagnostics.is_empty() {
        out.diagnostics.push(error(
            "error: no objects passed to apply",
            (1, 1),
            hints::empty(),
            None,
        ));
    }
    if let Some((line, _)) = shell {
        if out.has_errors()
            && !out.diagnostics.iter().any(|d| {
                d.hint
                    .as_ref()
                    .is_some_and(|h| h.en.contains("shell command"))
            })
        {
            if let Some(first) = out
                .diagnostics
                .iter_mut()
                .find(|d| d.severity == Severity::Error)
            {
                if first.hint.is_none() {
                    first.hint = hints::shell();
                } else {
                    let d = error(
                        "error: this looks like shell text, not YAML",
                        (line, 1),
                        hints::shell(),
                        None,
                    );
                    out.diagnostics.push(d);
                }
            }
        }
    }
    let cross = cross_check(&out.documents, &[]);
    out.diagnostics.extend(
        cross
            .into_iter()
            .filter(|d| !d.message.contains("does not exist")),
    );
    crate::sort::sort_by_key(&mut out.diagnostics, |d| (d.line, d.column));
    out
}

/// `parse`, plus the warnings that need the cluster's current Services (the governing Service).
pub fn parse_in_cluster(text: &str, existing_services: &[Value]) -> Parsed {
    let mut parsed = parse(text);
    let extra: Vec<Diagnostic> = cross_check(&parsed.documents, existing_services)
        .into_iter()
        .filter(|d| d.message.contains("does not exist"))
        .collect();
    parsed.diagnostics.extend(extra);
    crate::sort::sort_by_key(&mut parsed.diagnostics, |d| (d.line, d.column));
    parsed
}

/// Text of the scalar starting at byte `index`, up to the end of its line (without a comment).
fn source_at(text: &str, index: usize) -> String {
    let rest = text.get(index..).unwrap_or("");
    let line = rest.lines().next().unwrap_or("");
    let line = match line.find(" #") {
        Some(i) => &line[..i],
        None => line,
    };
    line.trim().trim_end_matches(',').trim().to_string()
}

fn document(text: &str, raw: RawDoc, out: &mut Parsed) {
    let value = &raw.value;
    if value.is_null() {
        return;
    }
    let start = (raw.start.line, raw.start.column);
    let pos = |node: &str, at_key: bool| -> (u32, u32) {
        match raw.positions.nearest(node) {
            Some((found, p)) => {
                let m = if at_key || found != node {
                    p.key.unwrap_or(p.value)
                } else {
                    p.value
                };
                (m.line, m.column)
            }
            None => start,
        }
    };
    let order = |path: &str| {
        raw.positions
            .get(path)
            .map(|p| p.value.index)
            .unwrap_or(usize::MAX)
    };
    let outcome = admit::admit(value, None, &order);

    if !value.is_object() {
        let hint = if hints::looks_like_shell(text).is_some() {
            hints::shell()
        } else {
            None
        };
        let msg = match &outcome.result {
            Err(Refusal::Client { message, .. }) => message.clone(),
            _ => "error: unable to decode \"STDIN\"".into(),
        };
        out.diagnostics.push(error(msg, start, hint, None));
        return;
    }
    let index = out.documents.len();
    let meta = |k: &str| {
        value
            .get("metadata")
            .and_then(|m| m.get(k))
            .and_then(Value::as_str)
            .map(str::to_string)
    };
    out.documents.push(Document {
        api_version: outcome.api_version.clone(),
        kind: outcome.kind.clone(),
        name: meta("name").unwrap_or_default(),
        namespace: meta("namespace"),
        value: value.clone(),
        line: raw.start.line,
        simulated: admit::SIMULATED_KINDS.contains(&outcome.kind.as_str())
            && schema::root_struct(&outcome.api_version, &outcome.kind).is_some(),
        positions: raw.positions.clone(),
    });
    let doc = Some(index);
    let (kind, av, name) = (
        outcome.kind.as_str(),
        outcome.api_version.as_str(),
        outcome.name.as_str(),
    );
    let yaml11 = |path: &str| {
        raw.notes.iter().find_map(|n| match n {
            Note::Yaml11 { path: p, value, .. } if p == path => Some(value.clone()),
            _ => None,
        })
    };

    for note in &raw.notes {
        if let Note::DuplicateKey { path, at } = note {
            let key = path.rsplit('.').next().unwrap_or(path);
            out.diagnostics.push(warning(
                format!(
                    "duplicate key \"{key}\" in the same mapping ({path}); the last one is used"
                ),
                (at.line, at.column),
                Some(Hint {
                    en: format!("`{key}` appears twice here; delete one of them."),
                    ko: format!("`{key}` 키가 여기 두 번 나옵니다. 하나를 지우세요."),
                }),
                doc,
            ));
        }
    }
    let is_dump = [
        "resourceVersion",
        "uid",
        "creationTimestamp",
        "managedFields",
    ]
    .iter()
    .any(|f| value.get("metadata").and_then(|m| m.get(*f)).is_some())
        || value
            .get("status")
            .is_some_and(|s| s.as_object().is_some_and(|m| !m.is_empty()));
    match &outcome.result {
        Ok((admitted, warnings)) => {
            for w in warnings {
                let text = w.trim_start_matches("Warning: ");
                let node = text.split(':').next().unwrap_or("");
                out.diagnostics
                    .push(warning(text.to_string(), pos(node, true), None, doc));
            }
            if kind == "StatefulSet" {
                pod_and_claim_warnings(admitted, name, &pos, doc, out);
            }
        }
        Err(Refusal::Client { message, node }) => {
            let hint = if node == "kind" {
                hints::unknown_kind(av, kind)
            } else {
                None
            };
            let at = if node.is_empty() {
                start
            } else {
                pos(node, false)
            };
            out.diagnostics.push(error(message.clone(), at, hint, doc));
        }
        Err(Refusal::Decode { decoded }) => {
            let mut problems: Vec<&schema::DecodeError> = Vec::new();
            problems.extend(decoded.fatal.iter());
            problems.extend(decoded.type_errors.iter());
            let strict_only = decoded.fatal.is_none() && decoded.type_errors.is_empty();
            for p in problems {
                let at = pos(&p.path, false);
                let source = raw
                    .positions
                    .get(&p.path)
                    .map(|n| source_at(text, n.value.index));
                let plain = raw.positions.get(&p.path).is_some_and(|n| n.plain);
                let hint = if p.message.starts_with("quantities")
                    || p.message.starts_with("unable to parse quantity")
                {
                    hints::quantity(source.as_deref().unwrap_or("").trim_matches('"'))
                } else {
                    hints::wrong_type(
                        &p.message,
                        source.as_deref(),
                        plain,
                        yaml11(&p.path).as_ref(),
                    )
                };
                out.diagnostics.push(error(
                    bad_request(kind, av, &p.message, true),
                    at,
                    hint,
                    doc,
                ));
            }
            if strict_only {
                for u in &decoded.unknown {
                    let at = pos(&u.path, true);
                    let hint = hints::unknown_field(av, kind, &u.path, at.1);
                    let detail = format!("strict decoding error: {}", u.message);
                    out.diagnostics.push(error(
                        bad_request(kind, av, &detail, true),
                        at,
                        hint,
                        doc,
                    ));
                }
            }
        }
        Err(Refusal::Invalid { errors }) => {
            for e in errors {
                let at = pos(&e.node, e.at_key);
                let hint = hints::invalid(kind, &e.field, &e.body).or_else(|| {
                    yaml11(&e.node).map(|v| Hint {
                        en: format!("YAML 1.1 (used by kubectl) read this unquoted value as {v}. Quote it if you meant text."),
                        ko: format!("kubectl이 쓰는 YAML 1.1은 따옴표 없는 이 값을 {v} 값으로 읽었습니다. 문자열을 뜻했다면 따옴표로 감싸세요."),
                    })
                });
                out.diagnostics.push(error(
                    format!("{}{}", invalid_prefix(kind, name), e.line()),
                    at,
                    hint,
                    doc,
                ));
            }
        }
    }
    if is_dump
        && out.diagnostics.iter().all(|d| {
            d.document != doc
                || d.hint
                    .as_ref()
                    .is_none_or(|h| !h.en.contains("kubectl get -o yaml"))
        })
    {
        let node = [
            "metadata.resourceVersion",
            "metadata.uid",
            "metadata.creationTimestamp",
            "metadata.managedFields",
            "status",
        ]
        .into_iter()
        .find(|n| raw.positions.get(n).is_some())
        .unwrap_or("metadata");
        out.diagnostics.push(warning(
            "this looks like `kubectl get -o yaml` output: on create kubectl clears resourceVersion and the server ignores status and sets uid, creationTimestamp, ... itself",
            pos(node, true),
            hints::dump(),
            doc,
        ));
    }
}

/// Problems the API accepts in a StatefulSet but that make every pod or claim creation fail
/// later (spec §2.2: the template body and claim templates are not validated at admission).
fn pod_and_claim_warnings(
    sts: &Value,
    name: &str,
    pos: &dyn Fn(&str, bool) -> (u32, u32),
    doc: Option<usize>,
    out: &mut Parsed,
) {
    let claims: Vec<String> = sts
        .pointer("/spec/volumeClaimTemplates")
        .and_then(Value::as_array)
        .map(|a| {
            a.iter()
                .filter_map(|c| {
                    c.pointer("/metadata/name")
                        .and_then(Value::as_str)
                        .map(str::to_string)
                })
                .collect()
        })
        .unwrap_or_default();
    let pod_spec = sts
        .pointer("/spec/template/spec")
        .cloned()
        .unwrap_or(Value::Null);
    let pod_name = format!("{name}-0");
    for e in validate::pod(&pod_spec, "spec.template.spec", &claims) {
        let shown = e.line().replacen("spec.template.spec", "spec", 1);
        out.diagnostics.push(warning(
            format!("pods of StatefulSet \"{name}\" will fail to be created: Pod \"{pod_name}\" is invalid: {shown}"),
            pos(&e.node, e.at_key),
            hints::invalid("StatefulSet", &e.field, &e.body),
            doc,
        ));
    }
    for (i, c) in sts
        .pointer("/spec/volumeClaimTemplates")
        .and_then(Value::as_array)
        .map(Vec::as_slice)
        .unwrap_or(&[])
        .iter()
        .enumerate()
    {
        let base = format!("spec.volumeClaimTemplates[{i}].spec");
        let claim = c
            .pointer("/metadata/name")
            .and_then(Value::as_str)
            .unwrap_or("");
        if claim.is_empty() {
            out.diagnostics.push(warning(
                format!("StatefulSet \"{name}\": spec.volumeClaimTemplates[{i}].metadata.name: Required value: a claim template needs a name (pods mount it by that name)"),
                pos(&format!("spec.volumeClaimTemplates[{i}]"), false),
                None,
                doc,
            ));
        }
        let mut errs = Vec::new();
        validate::claim_spec(c.get("spec").unwrap_or(&Value::Null), &base, &mut errs);
        for e in errs {
            let shown = e.line().replacen(&base, "spec", 1);
            out.diagnostics.push(warning(
                format!("claims of StatefulSet \"{name}\" will fail to be created: PersistentVolumeClaim \"{claim}-{name}-0\" is invalid: {shown}"),
                pos(&e.node, e.at_key),
                hints::invalid("StatefulSet", &e.field, &e.body),
                doc,
            ));
        }
    }
}

/// Checks across objects: two objects with the same name in one paste, and each StatefulSet's
/// governing Service (in the paste or among `existing_services` from the cluster) missing or
/// not headless. Warnings only: the API server accepts all of these.
pub fn cross_check(docs: &[Document], existing_services: &[Value]) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    let ns_of = |d: &Document| d.namespace.clone().unwrap_or_else(|| "default".into());
    for (i, d) in docs.iter().enumerate() {
        if d.name.is_empty() {
            continue;
        }
        if let Some(first) = docs[..i]
            .iter()
            .find(|e| e.kind == d.kind && e.name == d.name && ns_of(e) == ns_of(d))
        {
            out.push(warning(
                format!("{} \"{}\" appears twice in this paste (lines {} and {}); the later one is applied over the earlier one", d.kind, d.name, first.line, d.line),
                d.locate("metadata.name"),
                Some(Hint {
                    en: "Give each object its own name, or delete the copy.".into(),
                    ko: "오브젝트마다 다른 이름을 주거나 중복된 것을 지우세요.".into(),
                }),
                Some(i),
            ));
        }
    }
    for (i, d) in docs
        .iter()
        .enumerate()
        .filter(|(_, d)| d.kind == "StatefulSet")
    {
        let service = d
            .value
            .pointer("/spec/serviceName")
            .and_then(Value::as_str)
            .unwrap_or("");
        if service.is_empty() {
            continue;
        }
        let in_paste = docs
            .iter()
            .find(|s| s.kind == "Service" && s.name == service && ns_of(s) == ns_of(d))
            .map(|s| (s.value.clone(), Some(s)));
        let in_cluster = || {
            existing_services
                .iter()
                .find(|s| {
                    s.pointer("/metadata/name").and_then(Value::as_str) == Some(service)
                        && s.pointer("/metadata/namespace")
                            .and_then(Value::as_str)
                            .unwrap_or("default")
                            == ns_of(d)
                })
                .map(|s| (s.clone(), None))
        };
        let at = d.locate("spec.serviceName");
        match in_paste.or_else(in_cluster) {
            None => out.push(warning(
                format!("StatefulSet \"{}\": spec.serviceName: the governing Service \"{service}\" does not exist; the pods are created but get no per-pod DNS names until a headless Service \"{service}\" exists", d.name),
                at,
                Some(Hint {
                    en: format!("Create a headless Service named `{service}` (`clusterIP: None`) with a selector matching the pod labels, in the same paste above the StatefulSet."),
                    ko: format!("이름이 `{service}`인 헤드리스 Service(`clusterIP: None`)를 파드 레이블과 맞는 selector로 만드세요. 같은 붙여넣기에서 StatefulSet 위에 두면 됩니다."),
                }),
                Some(i),
            )),
            Some((svc, _)) => {
                if svc.pointer("/spec/clusterIP").and_then(Value::as_str) != Some("None") {
                    out.push(warning(
                        format!("StatefulSet \"{}\": spec.serviceName: Service \"{service}\" is not headless (no `clusterIP: None`), so the pods get no per-pod DNS names like {}-0.{service}", d.name, d.name),
                        at,
                        Some(Hint {
                            en: format!("Add `clusterIP: None` under `spec:` of Service `{service}`. A Service's clusterIP cannot be changed later: delete and recreate it."),
                            ko: format!("Service `{service}`의 `spec:` 아래에 `clusterIP: None`을 추가하세요. Service의 clusterIP는 나중에 바꿀 수 없으니 지우고 다시 만들어야 합니다."),
                        }),
                        Some(i),
                    ));
                }
            }
        }
    }
    out
}

#[cfg(test)]
mod tests;

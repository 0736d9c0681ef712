//! Strict decoding against the API's field table (`fields.rs`): what the API server's JSON
//! decoder reports before any validation runs — unknown fields, wrong types, bad quantities —
//! in the decoder's own words (sigs.k8s.io/json, a fork of Go's encoding/json).

use super::fields::{KNOWN_KINDS, ROOTS};
use std::sync::OnceLock;
use super::quantity;
use super::read::child_path;
use serde_json::Value;

/// A field's type as the decoder sees it.
#[derive(Debug)]
pub enum Ty {
    Str,
    /// `[]byte`, sent as base64 text.
    Bytes,
    I32,
    I64,
    /// float64 (no field of the checked kinds has one today).
    #[allow(dead_code)]
    F64,
    Bool,
    /// resource.Quantity: a string or number in quantity syntax.
    Qty,
    /// intstr.IntOrString: an int32 or a string.
    IntStr,
    /// metav1.Time: an RFC 3339 string.
    Time,
    /// Any JSON (RawExtension, FieldsV1).
    Raw,
    /// A struct, by its line in `fields::STRUCTS`.
    S(u16),
    L(&'static Ty),
    M(&'static Ty),
    /// A named Go type (e.g. `v1.RestartPolicy`) over a basic one, for error wording.
    Go(&'static str, &'static Ty),
}

pub struct Struct {
    pub name: &'static str,
    pub go: &'static str,
    /// Sorted by JSON name.
    pub fields: Vec<(&'static str, Ty)>,
}

/// The field table, read from its text form (`fields.rs`) on first use and kept for the page's
/// life: a few hundred microseconds once, against ~5 KB of download for a table of statics.
fn structs() -> &'static [Struct] {
    static TABLE: OnceLock<Vec<Struct>> = OnceLock::new();
    TABLE.get_or_init(|| super::fields::STRUCTS.lines().filter(|l| !l.is_empty()).map(parse_struct).collect())
}

/// `Name go.Name field:type ...`; a malformed field is left out (the table's test reads every one).
fn parse_struct(line: &'static str) -> Struct {
    let mut words = line.split(' ');
    let name = words.next().unwrap_or_default();
    let go = words.next().unwrap_or_default();
    let fields = words.filter_map(|w| {
        let (field, code) = w.split_once(':')?;
        Some((field, parse_type(code)?))
    });
    Struct { name, go, fields: fields.collect() }
}

/// A type code: `s` string, `b` []byte, `i` int32, `I` int64, `f` float64, `o` bool, `q` Quantity,
/// `n` IntOrString, `t` Time, `r` raw JSON, a number the struct on that line, `[T` a list of T,
/// `{T` a map of T, `(go.Name)T` T under a named Go type.
fn parse_type(code: &'static str) -> Option<Ty> {
    fn boxed(code: &'static str) -> Option<&'static Ty> {
        // Built once per table entry and kept for the page's life, like a static.
        Some(Box::leak(Box::new(parse_type(code)?)))
    }
    let rest = code.get(1..)?;
    Some(match code.as_bytes().first()? {
        b's' => Ty::Str,
        b'b' => Ty::Bytes,
        b'i' => Ty::I32,
        b'I' => Ty::I64,
        b'f' => Ty::F64,
        b'o' => Ty::Bool,
        b'q' => Ty::Qty,
        b'n' => Ty::IntStr,
        b't' => Ty::Time,
        b'r' => Ty::Raw,
        b'[' => Ty::L(boxed(rest)?),
        b'{' => Ty::M(boxed(rest)?),
        b'(' => {
            let (name, inner) = rest.split_once(')')?;
            Ty::Go(name, boxed(inner)?)
        }
        _ => Ty::S(code.parse().ok()?),
    })
}

impl Struct {
    pub fn field(&'static self, name: &str) -> Option<&'static Ty> {
        self.fields
            .binary_search_by(|(n, _)| (*n).cmp(name))
            .ok()
            .and_then(|i| self.fields.get(i))
            .map(|(_, t)| t)
    }
}

pub fn root_struct(api_version: &str, kind: &str) -> Option<&'static Struct> {
    ROOTS
        .iter()
        .find(|(av, k, _)| *av == api_version && *k == kind)
        .and_then(|(_, _, i)| structs().get(*i as usize))
}

/// Field names of a struct reached by a JSON path such as `spec.template.spec.containers[0]`
/// (indices and map keys skipped as the types say), for near-miss suggestions.
pub fn fields_at(api_version: &str, kind: &str, path: &str) -> Option<Vec<&'static str>> {
    let mut ty: &Ty = &Ty::S(
        ROOTS
            .iter()
            .find(|(av, k, _)| *av == api_version && *k == kind)?
            .2,
    );
    for seg in path_segments(path) {
        ty = strip(ty);
        match (ty, seg) {
            (Ty::L(inner), Seg::Index) => ty = inner,
            (Ty::M(inner), Seg::Key(_)) => ty = inner,
            (Ty::S(i), Seg::Key(k)) => ty = structs().get(*i as usize)?.field(k)?,
            _ => return None,
        }
    }
    match strip(ty) {
        Ty::S(i) => Some(
            structs()
                .get(*i as usize)?
                .fields
                .iter()
                .map(|(n, _)| *n)
                .collect(),
        ),
        _ => None,
    }
}

enum Seg<'a> {
    Key(&'a str),
    Index,
}

fn path_segments(path: &str) -> Vec<Seg<'_>> {
    let mut out = Vec::new();
    for part in path.split('.').filter(|p| !p.is_empty()) {
        let mut rest = part;
        if let Some(i) = rest.find('[') {
            let (name, idx) = rest.split_at(i);
            if !name.is_empty() {
                out.push(Seg::Key(name));
            }
            rest = idx;
            for _ in rest.matches('[') {
                out.push(Seg::Index);
            }
        } else {
            out.push(Seg::Key(rest));
        }
    }
    out
}

fn strip(t: &Ty) -> &Ty {
    match t {
        Ty::Go(_, inner) => strip(inner),
        other => other,
    }
}

/// (apiVersion, kind) of every kind the API serves.
fn known_kinds() -> impl Iterator<Item = (&'static str, &'static str)> {
    KNOWN_KINDS.lines().filter_map(|l| l.split_once(' '))
}

/// Is `apiVersion`/`kind` a type the real API serves at all?
pub fn known_kind(api_version: &str, kind: &str) -> bool {
    known_kinds().any(|(av, k)| av == api_version && k == kind)
}

/// API versions that serve `kind` (for "did you mean apps/v1?").
pub fn versions_of(kind: &str) -> Vec<&'static str> {
    known_kinds().filter(|(_, k)| *k == kind).map(|(av, _)| av).collect()
}

pub fn kind_names() -> impl Iterator<Item = &'static str> {
    known_kinds().map(|(_, k)| k)
}

/// A problem the decoder reports, with the JSON path of the offending node (indices included).
#[derive(Debug, Clone, PartialEq)]
pub struct DecodeError {
    pub path: String,
    pub message: String,
    /// True for an unknown field (points at the key); false for a bad value.
    pub unknown_field: bool,
}

#[derive(Debug, Default)]
pub struct Decoded {
    /// Type errors, first one first (the server reports only the first).
    pub type_errors: Vec<DecodeError>,
    /// Unknown fields, in document order.
    pub unknown: Vec<DecodeError>,
    /// An error that stops the decoder at once (a custom unmarshaller: quantity, int-or-string, time).
    pub fatal: Option<DecodeError>,
}

impl Decoded {
    pub fn is_clean(&self) -> bool {
        self.type_errors.is_empty() && self.unknown.is_empty() && self.fatal.is_none()
    }

    /// What the server says after "cannot be handled as a <Kind>: ", or None when clean.
    pub fn server_message(&self) -> Option<String> {
        if let Some(f) = &self.fatal {
            return Some(f.message.clone());
        }
        if let Some(t) = self.type_errors.first() {
            return Some(t.message.clone());
        }
        if !self.unknown.is_empty() {
            let list: Vec<&str> = self.unknown.iter().map(|u| u.message.as_str()).collect();
            return Some(format!("strict decoding error: {}", list.join(", ")));
        }
        None
    }
}

/// Decodes `value` as the given root struct; `order` gives a key's position in the text so
/// problems come out in document order (JSON objects here are sorted by key).
pub fn decode(root: &'static Struct, value: &Value, order: &dyn Fn(&str) -> usize) -> Decoded {
    let mut d = Decoded::default();
    let mut w = Walker { out: &mut d, order };
    let mut ctx = Ctx {
        struct_name: root.name,
        go_path: String::new(),
    };
    w.structure(root, value, "", &mut ctx, root.go);
    d
}

struct Ctx {
    /// The innermost Go struct whose field is being decoded (for "Go struct field X.path").
    struct_name: &'static str,
    /// Field names only, no indices or map keys, as Go's decoder builds its error path.
    go_path: String,
}

struct Walker<'a> {
    out: &'a mut Decoded,
    order: &'a dyn Fn(&str) -> usize,
}

fn kind_of(v: &Value) -> String {
    match v {
        Value::Null => "null".into(),
        Value::Bool(_) => "bool".into(),
        Value::Number(_) => "number".into(),
        Value::String(_) => "string".into(),
        Value::Array(_) => "array".into(),
        Value::Object(_) => "object".into(),
    }
}

fn go_name(t: &Ty) -> String {
    match t {
        Ty::Str => "string".into(),
        Ty::Bytes => "[]uint8".into(),
        Ty::I32 => "int32".into(),
        Ty::I64 => "int64".into(),
        Ty::F64 => "float64".into(),
        Ty::Bool => "bool".into(),
        Ty::Qty => "resource.Quantity".into(),
        Ty::IntStr => "intstr.IntOrString".into(),
        Ty::Time => "v1.Time".into(),
        Ty::Raw => "runtime.RawExtension".into(),
        Ty::S(i) => structs()
            .get(*i as usize)
            .map(|s| s.go.to_string())
            .unwrap_or_default(),
        Ty::L(inner) => format!("[]{}", go_name(inner)),
        Ty::M(inner) => format!("map[string]{}", go_name(inner)),
        Ty::Go(name, _) => (*name).to_string(),
    }
}

impl Walker<'_> {
    fn type_error(&mut self, path: &str, ctx: &Ctx, value_kind: String, go: String) {
        let field = if ctx.go_path.is_empty() {
            format!("Go value of type {go}")
        } else {
            format!(
                "Go struct field {}.{} of type {go}",
                ctx.struct_name, ctx.go_path
            )
        };
        self.out.type_errors.push(DecodeError {
            path: path.to_string(),
            message: format!("json: cannot unmarshal {value_kind} into {field}"),
            unknown_field: false,
        });
    }

    fn fatal(&mut self, path: &str, message: String) {
        if self.out.fatal.is_none() {
            self.out.fatal = Some(DecodeError {
                path: path.to_string(),
                message,
                unknown_field: false,
            });
        }
    }

    fn structure(&mut self, s: &'static Struct, v: &Value, path: &str, ctx: &mut Ctx, go: &str) {
        let map = match v {
            Value::Null => return,
            Value::Object(m) => m,
            other => return self.type_error(path, ctx, kind_of(other), go.to_string()),
        };
        let mut keys: Vec<&String> = map.keys().collect();
        crate::sort::sort_by_key(&mut keys, |k| (self.order)(&child_path(path, k)));
        for key in keys {
            if self.out.fatal.is_some() {
                return;
            }
            let Some(val) = map.get(key.as_str()) else {
                continue;
            };
            let full = child_path(path, key);
            match s.field(key) {
                None => self.out.unknown.push(DecodeError {
                    message: format!("unknown field \"{full}\""),
                    path: full,
                    unknown_field: true,
                }),
                Some(t) => {
                    let saved_name = ctx.struct_name;
                    let saved_len = ctx.go_path.len();
                    ctx.struct_name = s.name;
                    if !ctx.go_path.is_empty() {
                        ctx.go_path.push('.');
                    }
                    ctx.go_path.push_str(key);
                    self.value(t, val, &full, ctx);
                    ctx.go_path.truncate(saved_len);
                    ctx.struct_name = saved_name;
                }
            }
        }
    }

    fn value(&mut self, t: &'static Ty, v: &Value, path: &str, ctx: &mut Ctx) {
        if v.is_null() {
            return;
        }
        match t {
            Ty::Go(name, inner) => match (inner, v) {
                (Ty::Str, Value::String(_)) => {}
                (Ty::Str, other) => self.type_error(path, ctx, kind_of(other), (*name).to_string()),
                (Ty::M(_), Value::Object(_)) => self.value(inner, v, path, ctx),
                (Ty::M(_), other) => {
                    self.type_error(path, ctx, kind_of(other), (*name).to_string())
                }
                _ => self.value(inner, v, path, ctx),
            },
            Ty::Str | Ty::Bytes => {
                if !v.is_string() {
                    self.type_error(path, ctx, kind_of(v), go_name(t));
                }
            }
            Ty::Bool => {
                if !v.is_boolean() {
                    self.type_error(path, ctx, kind_of(v), "bool".into());
                }
            }
            Ty::I32 | Ty::I64 | Ty::F64 => self.number(t, v, path, ctx),
            Ty::Qty => match v {
                Value::String(s) => {
                    if let Err(e) = quantity::parse(s.trim()) {
                        self.fatal(path, e.to_string());
                    }
                }
                Value::Number(n) => {
                    if let Err(e) = quantity::parse(&n.to_string()) {
                        self.fatal(path, e.to_string());
                    }
                }
                _ => self.fatal(path, quantity::ERR_FORMAT.to_string()),
            },
            Ty::IntStr => match v {
                Value::String(_) => {}
                Value::Number(n) => {
                    if n.as_i64().is_none_or(|i| i32::try_from(i).is_err()) {
                        let msg = self.with_context(ctx, format!("number {n}"), "int32");
                        self.fatal(path, msg);
                    }
                }
                other => {
                    let msg = self.with_context(ctx, kind_of(other), "int32");
                    self.fatal(path, msg);
                }
            },
            Ty::Time => match v {
                Value::String(s) => {
                    if !looks_like_rfc3339(s) {
                        self.fatal(
                            path,
                            format!("parsing time \"{s}\" as \"2006-01-02T15:04:05Z07:00\": cannot parse \"{s}\" as \"2006\""),
                        );
                    }
                }
                other => {
                    let msg = self.with_context(ctx, kind_of(other), "string");
                    self.fatal(path, msg);
                }
            },
            Ty::Raw => {}
            Ty::S(i) => {
                if let Some(s) = structs().get(*i as usize) {
                    let saved = ctx.struct_name;
                    self.structure(s, v, path, ctx, s.go);
                    ctx.struct_name = saved;
                }
            }
            Ty::L(inner) => match v {
                Value::Array(items) => {
                    for (i, item) in items.iter().enumerate() {
                        if self.out.fatal.is_some() {
                            return;
                        }
                        self.value(inner, item, &format!("{path}[{i}]"), ctx);
                    }
                }
                other => self.type_error(path, ctx, kind_of(other), go_name(t)),
            },
            Ty::M(inner) => match v {
                Value::Object(m) => {
                    let mut keys: Vec<&String> = m.keys().collect();
                    crate::sort::sort_by_key(&mut keys, |k| (self.order)(&child_path(path, k)));
                    for k in keys {
                        if self.out.fatal.is_some() {
                            return;
                        }
                        if let Some(item) = m.get(k.as_str()) {
                            self.value(inner, item, &child_path(path, k), ctx);
                        }
                    }
                }
                other => self.type_error(path, ctx, kind_of(other), go_name(t)),
            },
        }
    }

    fn with_context(&self, ctx: &Ctx, value_kind: String, go: &str) -> String {
        if ctx.go_path.is_empty() {
            format!("json: cannot unmarshal {value_kind} into Go value of type {go}")
        } else {
            format!(
                "json: cannot unmarshal {value_kind} into Go struct field {}.{} of type {go}",
                ctx.struct_name, ctx.go_path
            )
        }
    }

    fn number(&mut self, t: &'static Ty, v: &Value, path: &str, ctx: &mut Ctx) {
        let Value::Number(n) = v else {
            return self.type_error(path, ctx, kind_of(v), go_name(t));
        };
        let fits = match t {
            Ty::I32 => n.as_i64().is_some_and(|i| i32::try_from(i).is_ok()),
            Ty::I64 => n.as_i64().is_some(),
            _ => true,
        };
        if !fits {
            self.type_error(path, ctx, format!("number {n}"), go_name(t));
        }
    }
}

/// RFC 3339 as Go's time.RFC3339 layout accepts it: `2006-01-02T15:04:05Z` or with an offset.
fn looks_like_rfc3339(s: &str) -> bool {
    let b = s.as_bytes();
    let digit = |i: usize| b.get(i).is_some_and(|c| c.is_ascii_digit());
    let ok_prefix = (0..4).all(digit)
        && b.get(4) == Some(&b'-')
        && digit(5)
        && digit(6)
        && b.get(7) == Some(&b'-')
        && digit(8)
        && digit(9)
        && matches!(b.get(10), Some(b'T') | Some(b't'))
        && digit(11)
        && digit(12)
        && b.get(13) == Some(&b':')
        && digit(14)
        && digit(15)
        && b.get(16) == Some(&b':')
        && digit(17)
        && digit(18);
    if !ok_prefix {
        return false;
    }
    let mut rest = &s[19..];
    if let Some(frac) = rest.strip_prefix('.') {
        let n = frac.bytes().take_while(u8::is_ascii_digit).count();
        if n == 0 {
            return false;
        }
        rest = &frac[n..];
    }
    rest == "Z"
        || rest == "z"
        || (rest.len() == 6
            && (rest.starts_with('+') || rest.starts_with('-'))
            && rest.as_bytes().get(3) == Some(&b':'))
}

#[cfg(test)]
mod table_tests {
    use super::*;

    fn code(t: &Ty) -> String {
        match t {
            Ty::Str => "s".into(),
            Ty::Bytes => "b".into(),
            Ty::I32 => "i".into(),
            Ty::I64 => "I".into(),
            Ty::F64 => "f".into(),
            Ty::Bool => "o".into(),
            Ty::Qty => "q".into(),
            Ty::IntStr => "n".into(),
            Ty::Time => "t".into(),
            Ty::Raw => "r".into(),
            Ty::S(i) => i.to_string(),
            Ty::L(inner) => format!("[{}", code(inner)),
            Ty::M(inner) => format!("{{{}", code(inner)),
            Ty::Go(name, inner) => format!("({name}){}", code(inner)),
        }
    }

    #[test]
    fn the_field_table_reads_whole() {
        let lines: Vec<&str> = super::super::fields::STRUCTS.lines().filter(|l| !l.is_empty()).collect();
        assert_eq!(structs().len(), lines.len());
        for (s, line) in structs().iter().zip(&lines) {
            // Written back, every struct is its line again: no field was dropped or misread.
            let fields: Vec<String> = s.fields.iter().map(|(n, t)| format!("{n}:{}", code(t))).collect();
            assert_eq!(format!("{} {} {}", s.name, s.go, fields.join(" ")), *line);
            assert!(s.fields.windows(2).all(|w| w[0].0 < w[1].0), "{}: fields sorted for binary search", s.name);
            for (_, t) in &s.fields {
                if let Ty::S(i) = strip_lists(t) {
                    assert!((*i as usize) < structs().len(), "{}", s.name);
                }
            }
        }
        assert!(ROOTS.iter().all(|(_, _, i)| (*i as usize) < structs().len()));
        assert_eq!(root_struct("apps/v1", "StatefulSet").map(|s| s.go), Some("v1.StatefulSet"));
        assert!(known_kind("v1", "ServiceAccount") && known_kind("apps/v1", "ControllerRevision"));
        assert_eq!(versions_of("Deployment"), ["apps/v1"]);
    }

    fn strip_lists(t: &Ty) -> &Ty {
        match t {
            Ty::L(inner) | Ty::M(inner) | Ty::Go(_, inner) => strip_lists(inner),
            other => other,
        }
    }
}

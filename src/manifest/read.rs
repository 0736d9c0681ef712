//! Reading a paste into JSON values the way kubectl does (YAML 1.1 typing of go-yaml v2 via
//! sigs.k8s.io/yaml), keeping the line and column of every key and value so that any later
//! error can point at its node. Limits on nesting and alias expansion are enforced here.

use super::events::{Event, Mark, Parser, Style};
use serde_json::{Map, Number, Value};
use std::collections::HashMap;

/// Deeper nesting than this is refused (serde_yaml's own limit is 128; real manifests stay < 30).
pub const MAX_DEPTH: usize = 100;
/// Nodes per paste, counting each alias expansion in full: stops alias bombs early.
pub const MAX_NODES: usize = 200_000;
/// Values produced by alias expansion (`*name`), per document: real manifests stay far below.
pub const MAX_ALIASED_NODES: usize = 20_000;

/// Where a node is: the key's position (for mapping entries) and the value's.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NodePos {
    pub key: Option<Mark>,
    pub value: Mark,
    /// The value was an unquoted scalar (so YAML 1.1 typing applied to it).
    pub plain: bool,
}

/// Something about the reading worth telling the student, though YAML accepted it.
#[derive(Debug, Clone, PartialEq)]
pub enum Note {
    /// An unquoted scalar that YAML 1.1 reads as a bool or an octal number, e.g. `yes`, `0644`.
    Yaml11 {
        path: String,
        text: String,
        value: Value,
    },
    /// A key given twice in one mapping; the last value wins.
    DuplicateKey { path: String, at: Mark },
}

/// Where each node of a document is, by path. Recorded in reading order and sorted once when
/// the document ends: lookups are binary searches, and no pasted text is ever hashed (a
/// 128 KB flow sequence spent a quarter of its reading time hashing and rehashing its paths).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Positions(Vec<(String, NodePos)>);

impl Positions {
    fn from_reading(mut recorded: Vec<(String, NodePos)>) -> Positions {
        crate::sort::sort_by(&mut recorded, |a, b| a.0.cmp(&b.0));
        // A key given twice keeps its last position, as its value is the last one given (the
        // sort is stable, so the later record follows the earlier one).
        recorded.dedup_by(|later, kept| {
            let same = later.0 == kept.0;
            if same {
                kept.1 = later.1;
            }
            same
        });
        Positions(recorded)
    }

    fn find(&self, path: &str) -> Option<&(String, NodePos)> {
        self.0.binary_search_by(|(k, _)| k.as_str().cmp(path)).ok().and_then(|i| self.0.get(i))
    }

    pub fn get(&self, path: &str) -> Option<&NodePos> {
        self.find(path).map(|(_, at)| at)
    }

    /// The node at `path`, or its nearest ancestor that exists (a missing field points at its parent).
    pub fn nearest(&self, path: &str) -> Option<(&str, &NodePos)> {
        let mut p = path;
        loop {
            if let Some((k, v)) = self.find(p) {
                return Some((k.as_str(), v));
            }
            if p.is_empty() {
                return None;
            }
            p = parent_path(p);
        }
    }
}

/// `a.b[2].c` -> `a.b[2]` -> `a.b` -> `a` -> ``.
pub fn parent_path(p: &str) -> &str {
    if p.ends_with(']') {
        if let Some(i) = p.rfind('[') {
            return &p[..i];
        }
    }
    match p.rfind('.') {
        Some(i) => &p[..i],
        None => "",
    }
}

pub fn child_path(parent: &str, key: &str) -> String {
    if parent.is_empty() {
        return key.to_string();
    }
    let mut path = String::with_capacity(parent.len() + 1 + key.len());
    path.push_str(parent);
    path.push('.');
    path.push_str(key);
    path
}

/// `a.b[2]`: built for every item of every sequence, so without `format!`.
fn item_path(parent: &str, index: usize) -> String {
    let mut digits = itoa::Buffer::new();
    let digits = digits.format(index);
    let mut path = String::with_capacity(parent.len() + 2 + digits.len());
    path.push_str(parent);
    path.push('[');
    path.push_str(digits);
    path.push(']');
    path
}

#[derive(Debug, Clone)]
pub struct RawDoc {
    pub value: Value,
    /// Where the document's root node starts.
    pub start: Mark,
    pub positions: Positions,
    pub notes: Vec<Note>,
}

/// Why reading stopped.
#[derive(Debug, Clone, PartialEq)]
pub enum ReadError {
    /// libyaml refused the text. A paste's diagnostic is worded by serde_yaml (see
    /// `super::syntax_error`); this is go-yaml's wording, which `kubectl patch -p` prints.
    Syntax { go_yaml: String },
    /// Our own limits or alias problems, with a message and position.
    Other { message: String, at: Mark },
}

enum Frame {
    Seq {
        items: Vec<Value>,
        path: String,
        anchor: Option<String>,
        at: Mark,
        nodes_before: usize,
        is_key: bool,
    },
    Map {
        map: Map<String, Value>,
        path: String,
        anchor: Option<String>,
        at: Mark,
        nodes_before: usize,
        is_key: bool,
        key: Option<(String, Mark, bool)>,
        merges: Vec<Value>,
    },
}

struct Builder {
    stack: Vec<Frame>,
    anchors: HashMap<String, (Value, usize)>,
    nodes: usize,
    aliased: usize,
    positions: Vec<(String, NodePos)>,
    notes: Vec<Note>,
    root: Option<(Value, Mark)>,
}

/// Reads every document of the text. Documents read before a syntax error are returned with it.
pub fn read_documents(text: &str) -> (Vec<RawDoc>, Option<ReadError>) {
    let mut parser = Parser::new(text);
    let mut docs = Vec::new();
    let mut b: Option<Builder> = None;
    let mut total_nodes = 0usize;
    loop {
        let (event, at) = match parser.next_event() {
            Ok(e) => e,
            Err(()) => {
                let go_yaml = parser.go_yaml_error().unwrap_or_else(|| "invalid YAML".to_string());
                return (docs, Some(ReadError::Syntax { go_yaml }));
            }
        };
        match event {
            Event::StreamStart => {}
            Event::StreamEnd => return (docs, None),
            Event::DocumentStart => {
                b = Some(Builder {
                    stack: Vec::new(),
                    anchors: HashMap::new(),
                    nodes: total_nodes,
                    aliased: 0,
                    positions: Vec::new(),
                    notes: Vec::new(),
                    root: None,
                })
            }
            Event::DocumentEnd => {
                if let Some(done) = b.take() {
                    total_nodes = done.nodes;
                    if let Some((value, start)) = done.root {
                        docs.push(RawDoc {
                            value,
                            start,
                            positions: Positions::from_reading(done.positions),
                            notes: done.notes,
                        });
                    }
                }
            }
            other => {
                let Some(builder) = b.as_mut() else { continue };
                if let Err(e) = builder.event(other, at) {
                    return (docs, Some(e));
                }
            }
        }
    }
}

impl Builder {
    fn event(&mut self, event: Event, at: Mark) -> Result<(), ReadError> {
        match event {
            Event::Scalar {
                anchor,
                tag,
                value,
                style,
            } => {
                let (path, key_pos, is_key) = self.slot();
                let resolved = resolve(&value, style, tag.as_deref());
                let (json, note) = match resolved {
                    Ok(x) => x,
                    Err(message) => return Err(ReadError::Other { message, at }),
                };
                if let (Some(p), Some(true)) = (&path, note) {
                    self.notes.push(Note::Yaml11 {
                        path: p.clone(),
                        text: value.clone(),
                        value: json.clone(),
                    });
                }
                self.count(1, at)?;
                if let Some(a) = anchor {
                    self.anchors.insert(a, (json.clone(), 1));
                }
                if is_key {
                    let merge = style == Style::Plain && tag.is_none() && value == "<<";
                    return self.set_key(json, at, merge);
                }
                if let Some(p) = path {
                    self.positions.push((
                        p,
                        NodePos {
                            key: key_pos,
                            value: at,
                            plain: style == Style::Plain,
                        },
                    ));
                }
                self.complete(json, at)
            }
            Event::Alias { anchor } => {
                let Some(n) = self.anchors.get(&anchor).map(|(_, n)| *n) else {
                    return Err(ReadError::Other {
                        message: format!("unknown anchor '{anchor}' referenced"),
                        at,
                    });
                };
                // Count before cloning, so an alias bomb stops before it costs anything.
                self.aliased = self.aliased.saturating_add(n);
                if self.aliased > MAX_ALIASED_NODES {
                    return Err(ReadError::Other {
                        message: format!(
                            "the YAML's aliases expand to more than {MAX_ALIASED_NODES} values (an alias bomb?)"
                        ),
                        at,
                    });
                }
                self.count(n, at)?;
                let value = self.anchors.get(&anchor).map(|(v, _)| v.clone()).unwrap_or(Value::Null);
                let (path, key_pos, is_key) = self.slot();
                if is_key {
                    return self.set_key(value, at, false);
                }
                if let Some(p) = path {
                    self.positions.push((
                        p,
                        NodePos {
                            key: key_pos,
                            value: at,
                            plain: false,
                        },
                    ));
                }
                self.complete(value, at)
            }
            Event::SequenceStart { anchor } | Event::MappingStart { anchor }
                if self.stack.len() >= MAX_DEPTH =>
            {
                let _ = anchor;
                Err(ReadError::Other {
                    message: format!("the YAML is nested more than {MAX_DEPTH} levels deep"),
                    at,
                })
            }
            Event::SequenceStart { anchor } => {
                let (path, nodes_before, is_key) = self.open_collection(at)?;
                self.stack.push(Frame::Seq {
                    items: Vec::new(),
                    path,
                    anchor,
                    at,
                    nodes_before,
                    is_key,
                });
                Ok(())
            }
            Event::MappingStart { anchor } => {
                let (path, nodes_before, is_key) = self.open_collection(at)?;
                self.stack.push(Frame::Map {
                    map: Map::new(),
                    path,
                    anchor,
                    at,
                    nodes_before,
                    is_key,
                    key: None,
                    merges: Vec::new(),
                });
                Ok(())
            }
            Event::SequenceEnd | Event::MappingEnd => {
                let Some(frame) = self.stack.pop() else {
                    return Ok(());
                };
                let (value, anchor, at, nodes_before, is_key) = match frame {
                    Frame::Seq {
                        items,
                        anchor,
                        at,
                        nodes_before,
                        is_key,
                        ..
                    } => (Value::Array(items), anchor, at, nodes_before, is_key),
                    Frame::Map {
                        mut map,
                        anchor,
                        at,
                        nodes_before,
                        is_key,
                        merges,
                        ..
                    } => {
                        // Merge keys (`<<: *base`) never override keys written in the mapping itself.
                        for merged in merges {
                            let sources = match merged {
                                Value::Array(items) => items,
                                other => vec![other],
                            };
                            for source in sources {
                                if let Value::Object(entries) = source {
                                    for (k, v) in entries {
                                        map.entry(k).or_insert(v);
                                    }
                                }
                            }
                        }
                        (Value::Object(map), anchor, at, nodes_before, is_key)
                    }
                };
                if let Some(a) = anchor {
                    self.anchors.insert(
                        a,
                        (
                            value.clone(),
                            self.nodes.saturating_sub(nodes_before).max(1),
                        ),
                    );
                }
                if is_key {
                    return Err(ReadError::Other {
                        message: "error converting YAML to JSON: a mapping key must be a string, number or boolean, not a list or mapping".into(),
                        at,
                    });
                }
                self.complete(value, at)
            }
            _ => Ok(()),
        }
    }

    fn count(&mut self, n: usize, at: Mark) -> Result<(), ReadError> {
        self.nodes = self.nodes.saturating_add(n);
        if self.nodes > MAX_NODES {
            return Err(ReadError::Other {
                message: format!(
                    "the YAML expands to more than {MAX_NODES} values (too many aliases, or far too large a manifest)"
                ),
                at,
            });
        }
        Ok(())
    }

    /// The path of the node that starts now, the position of its key, and whether it is itself a key.
    /// A sequence or mapping starts: counts it, records where it stands (keys have no path of
    /// their own) and returns its path, the node count before it, and whether it is a key.
    fn open_collection(&mut self, at: Mark) -> Result<(String, usize, bool), ReadError> {
        let (path, key_pos, is_key) = self.slot();
        self.count(1, at)?;
        let path = path.unwrap_or_default();
        if !is_key {
            self.positions.push((path.clone(), NodePos { key: key_pos, value: at, plain: false }));
        }
        Ok((path, self.nodes - 1, is_key))
    }

    fn slot(&self) -> (Option<String>, Option<Mark>, bool) {
        match self.stack.last() {
            None => (Some(String::new()), None, false),
            Some(Frame::Seq {
                items,
                path,
                is_key,
                ..
            }) => {
                if *is_key {
                    (None, None, false)
                } else {
                    (Some(item_path(path, items.len())), None, false)
                }
            }
            Some(Frame::Map {
                path, key, is_key, ..
            }) => match key {
                _ if *is_key => (None, None, false),
                None => (None, None, true),
                Some((k, at, _)) => (Some(child_path(path, k)), Some(*at), false),
            },
        }
    }

    fn set_key(&mut self, key: Value, at: Mark, merge: bool) -> Result<(), ReadError> {
        let text = match key_string(&key) {
            Some(t) => t,
            None => {
                return Err(ReadError::Other {
                    message: "error converting YAML to JSON: a mapping key must be a string, number or boolean, not a list or mapping".into(),
                    at,
                })
            }
        };
        if let Some(Frame::Map { key, .. }) = self.stack.last_mut() {
            *key = Some((text, at, merge));
        }
        Ok(())
    }

    fn complete(&mut self, value: Value, at: Mark) -> Result<(), ReadError> {
        match self.stack.last_mut() {
            None => {
                if self.root.is_none() {
                    self.root = Some((value, at));
                }
            }
            Some(Frame::Seq { items, .. }) => items.push(value),
            Some(Frame::Map {
                map,
                key,
                merges,
                path,
                ..
            }) => {
                if let Some((k, key_at, merge)) = key.take() {
                    if merge {
                        merges.push(value);
                    } else {
                        if map.contains_key(&k) {
                            self.notes.push(Note::DuplicateKey {
                                path: child_path(path, &k),
                                at: key_at,
                            });
                        }
                        map.insert(k, value);
                    }
                }
            }
        }
        Ok(())
    }
}

/// sigs.k8s.io/yaml turns non-string keys into strings when converting to JSON.
fn key_string(v: &Value) -> Option<String> {
    match v {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        Value::Null => Some("null".into()),
        _ => None,
    }
}

/// go-yaml v2's plain-scalar booleans (YAML 1.1).
const TRUE_WORDS: [&str; 11] = [
    "y", "Y", "yes", "Yes", "YES", "on", "On", "ON", "true", "True", "TRUE",
];
const FALSE_WORDS: [&str; 11] = [
    "n", "N", "no", "No", "NO", "off", "Off", "OFF", "false", "False", "FALSE",
];

/// Types a scalar as go-yaml v2 does for an untyped target. Returns the JSON value and whether
/// YAML 1.1 gave it a meaning YAML 1.2 would not (a bool word other than true/false, or octal).
pub fn resolve(
    text: &str,
    style: Style,
    tag: Option<&str>,
) -> Result<(Value, Option<bool>), String> {
    let short_tag = tag.map(|t| t.trim_start_matches("tag:yaml.org,2002:"));
    if style != Style::Plain || matches!(short_tag, Some("str") | Some("!") | Some("binary")) {
        return Ok((Value::String(text.to_string()), None));
    }
    if matches!(text, "" | "~" | "null" | "Null" | "NULL") {
        return Ok((Value::Null, None));
    }
    if TRUE_WORDS.contains(&text) {
        let odd = !text.eq_ignore_ascii_case("true");
        return Ok((Value::Bool(true), Some(odd)));
    }
    if FALSE_WORDS.contains(&text) {
        let odd = !text.eq_ignore_ascii_case("false");
        return Ok((Value::Bool(false), Some(odd)));
    }
    if matches!(
        text,
        ".inf"
            | ".Inf"
            | ".INF"
            | "+.inf"
            | "+.Inf"
            | "+.INF"
            | "-.inf"
            | "-.Inf"
            | "-.INF"
            | ".nan"
            | ".NaN"
            | ".NAN"
    ) {
        let shown = if text.contains("nan") || text.contains("NaN") || text.contains("NAN") {
            "NaN"
        } else if text.starts_with('-') {
            "-Inf"
        } else {
            "+Inf"
        };
        return Err(format!(
            "error converting YAML to JSON: json: unsupported value: {shown}"
        ));
    }
    let first = text.as_bytes().first().copied().unwrap_or(b' ');
    if first.is_ascii_digit() || matches!(first, b'+' | b'-' | b'.') {
        // YAML 1.1 allows `_` between digits; most numbers have none, so no copy for them.
        let plain: std::borrow::Cow<str> = if text.contains('_') { text.replace('_', "").into() } else { text.into() };
        if let Some((n, octal)) = go_parse_int(&plain) {
            return Ok((Value::Number(Number::from(n)), Some(octal)));
        }
        if let Some(n) = go_parse_uint(&plain) {
            return Ok((Value::Number(Number::from(n)), None));
        }
        if is_yaml_float(&plain) {
            if let Ok(f) = plain.parse::<f64>() {
                return Ok((float_value(f), None));
            }
        }
        // go-yaml v2 also reads 0b1010 as binary.
        let (neg, digits) = match plain.strip_prefix('-') {
            Some(rest) => (true, rest),
            None => (false, &*plain),
        };
        if let Some(bin) = digits.strip_prefix("0b") {
            if let Ok(n) = i64::from_str_radix(bin, 2) {
                return Ok((Value::Number(Number::from(if neg { -n } else { n })), None));
            }
        }
    }
    Ok((Value::String(text.to_string()), None))
}

/// Go's strconv.ParseInt(s, 0, 64): sign, then 0x/0o/0b prefixes or a leading 0 for octal.
fn go_parse_int(s: &str) -> Option<(i64, bool)> {
    let (neg, body) = match s.as_bytes().first()? {
        b'-' => (true, &s[1..]),
        b'+' => (false, &s[1..]),
        _ => (false, s),
    };
    let (radix, digits, octal) =
        if let Some(d) = body.strip_prefix("0x").or_else(|| body.strip_prefix("0X")) {
            (16, d, false)
        } else if let Some(d) = body.strip_prefix("0o").or_else(|| body.strip_prefix("0O")) {
            (8, d, true)
        } else if let Some(d) = body.strip_prefix("0b").or_else(|| body.strip_prefix("0B")) {
            (2, d, false)
        } else if body.len() > 1 && body.starts_with('0') {
            (8, &body[1..], true)
        } else {
            (10, body, false)
        };
    if digits.is_empty() || !digits.chars().all(|c| c.is_digit(radix)) {
        return None;
    }
    let magnitude = i128::from_str_radix(digits, radix).ok()?;
    let value = if neg { -magnitude } else { magnitude };
    i64::try_from(value).ok().map(|v| (v, octal))
}

fn go_parse_uint(s: &str) -> Option<u64> {
    let body = s.strip_prefix('+').unwrap_or(s);
    if body.is_empty()
        || !body.bytes().all(|b| b.is_ascii_digit())
        || (body.len() > 1 && body.starts_with('0'))
    {
        return None;
    }
    body.parse().ok()
}

/// go-yaml v2's float pattern: `^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$`.
fn is_yaml_float(s: &str) -> bool {
    let b = s.as_bytes();
    let mut i = 0;
    if matches!(b.first(), Some(b'+') | Some(b'-')) {
        i += 1;
    }
    let digits = |i: &mut usize| {
        let start = *i;
        while *i < b.len() && b[*i].is_ascii_digit() {
            *i += 1;
        }
        *i - start
    };
    if b.get(i) == Some(&b'.') {
        i += 1;
        if digits(&mut i) == 0 {
            return false;
        }
    } else {
        if digits(&mut i) == 0 {
            return false;
        }
        if b.get(i) == Some(&b'.') {
            i += 1;
            digits(&mut i);
        }
    }
    if matches!(b.get(i), Some(b'e') | Some(b'E')) {
        i += 1;
        if matches!(b.get(i), Some(b'+') | Some(b'-')) {
            i += 1;
        }
        if digits(&mut i) == 0 {
            return false;
        }
    }
    i == b.len()
}

/// Go's json.Marshal writes integral floats without a fraction (2.0 -> 2), so the API server sees
/// an integer; keep that, or `replicas: 2.0` would wrongly fail.
pub fn float_value(f: f64) -> Value {
    if f.fract() == 0.0 && f.abs() < 1e21 && f.abs() <= i64::MAX as f64 {
        return Value::Number(Number::from(f as i64));
    }
    Number::from_f64(f)
        .map(Value::Number)
        .unwrap_or(Value::Null)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn plain(s: &str) -> Value {
        resolve(s, Style::Plain, None)
            .map(|x| x.0)
            .unwrap_or(Value::Null)
    }

    #[test]
    fn yaml11_scalars_are_typed_as_kubectl_types_them() {
        assert_eq!(plain("yes"), Value::Bool(true));
        assert_eq!(plain("n"), Value::Bool(false));
        assert_eq!(plain("Off"), Value::Bool(false));
        assert_eq!(plain("0644"), serde_json::json!(420));
        assert_eq!(plain("0x1F"), serde_json::json!(31));
        assert_eq!(plain("1_000"), serde_json::json!(1000));
        assert_eq!(plain("08"), serde_json::json!(8));
        assert_eq!(plain("1e3"), serde_json::json!(1000));
        assert_eq!(plain("2.0"), serde_json::json!(2));
        assert_eq!(plain("0.5"), serde_json::json!(0.5));
        assert_eq!(plain("1.10"), serde_json::json!(1.1));
        assert_eq!(plain("1Gi"), serde_json::json!("1Gi"));
        assert_eq!(plain("2024-01-01"), serde_json::json!("2024-01-01"));
        assert_eq!(plain("~"), Value::Null);
        assert_eq!(
            resolve("yes", Style::Quoted, None).map(|x| x.0),
            Ok(serde_json::json!("yes"))
        );
    }

    #[test]
    fn positions_are_recorded_for_keys_and_values() {
        let (docs, err) = read_documents("a: 1\nb:\n  c: [x, y]\n");
        assert!(err.is_none());
        let p = &docs[0].positions;
        assert_eq!(
            p.get("b.c[1]").map(|n| (n.value.line, n.value.column)),
            Some((3, 10))
        );
        assert_eq!(
            p.get("b.c").and_then(|n| n.key).map(|m| (m.line, m.column)),
            Some((3, 3))
        );
        assert_eq!(p.nearest("b.c.d.e").map(|x| x.0), Some("b.c"));
    }

    #[test]
    fn merge_keys_and_aliases_expand() {
        let (docs, err) = read_documents("base: &b {a: 1, b: 2}\nm:\n  <<: *b\n  b: 3\n");
        assert!(err.is_none());
        assert_eq!(docs[0].value["m"], serde_json::json!({"a": 1, "b": 3}));
    }
}

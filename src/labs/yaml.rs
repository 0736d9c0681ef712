//! A lab file as a small YAML tree whose nodes know their line, column and field path, read
//! from libyaml's events (the manifest reader's parser), so the lab reader can say exactly where
//! a file is wrong without serde's derives.

use std::collections::{BTreeMap, HashMap};

use crate::manifest::events::{Event, Mark, Parser, Style};

/// Deeper than any lab needs; it also bounds the work a hostile `#lab=` link can ask for.
const MAX_DEPTH: usize = 64;
/// Nodes after expanding aliases: a lab has a few hundred; an alias bomb is refused here.
const MAX_NODES: usize = 50_000;

#[derive(Clone)]
pub enum Value {
    Scalar(String, Style),
    List(Vec<Node>),
    Map(Vec<(String, Node)>),
}

#[derive(Clone)]
pub struct Node {
    pub at: Mark,
    /// `checks[2].pod`: what an error names.
    pub path: String,
    pub value: Value,
}

/// The one document of `text`, or an error naming its line and column.
pub fn read(text: &str) -> Result<Node, String> {
    let mut parser = Parser::new(text);
    let mut stack: Vec<(Node, Option<String>, Option<(String, Mark)>)> = Vec::new();
    let mut anchors: HashMap<String, Node> = HashMap::new();
    let mut root: Option<Node> = None;
    let mut nodes = 0usize;
    loop {
        let (event, at) = parser.next_event().map_err(|()| {
            let (message, (line, column)) = crate::manifest::syntax_error(text);
            format!("line {line} column {column}: {message}")
        })?;
        let list = matches!(event, Event::SequenceStart { .. });
        let (value, anchor) = match event {
            Event::StreamEnd => break,
            Event::StreamStart | Event::DocumentEnd => continue,
            Event::DocumentStart if root.is_some() => return Err(at_mark(at, "", "a lab file holds one YAML document")),
            Event::DocumentStart => continue,
            Event::Alias { anchor } => match anchors.get(&anchor) {
                Some(node) => (node.value.clone(), None),
                None => return Err(at_mark(at, "", &format!("unknown alias `*{anchor}`"))),
            },
            Event::Scalar { anchor, value, style, .. } => (Value::Scalar(value, style), anchor),
            Event::SequenceStart { anchor } | Event::MappingStart { anchor } => {
                if stack.len() >= MAX_DEPTH {
                    return Err(at_mark(at, "", &format!("nested more than {MAX_DEPTH} levels deep")));
                }
                let path = child_path(&stack);
                let value = if list { Value::List(Vec::new()) } else { Value::Map(Vec::new()) };
                stack.push((Node { at, path, value }, anchor, None));
                continue;
            }
            Event::SequenceEnd | Event::MappingEnd => {
                let Some((node, anchor, _)) = stack.pop() else { continue };
                nodes += 1;
                if let Some(name) = anchor {
                    anchors.insert(name, node.clone());
                }
                place(&mut stack, &mut root, node)?;
                continue;
            }
        };
        nodes += count(&value);
        if nodes > MAX_NODES {
            return Err(at_mark(at, "", &format!("more than {MAX_NODES} nodes (aliases expanded)")));
        }
        let path = child_path(&stack);
        let node = Node { at, path, value };
        if let Some(name) = anchor {
            anchors.insert(name, node.clone());
        }
        place(&mut stack, &mut root, node)?;
    }
    root.ok_or_else(|| "line 1 column 1: the lab file is empty".to_string())
}

fn count(v: &Value) -> usize {
    match v {
        Value::Scalar(..) => 1,
        Value::List(items) => 1 + items.iter().map(|n| count(&n.value)).sum::<usize>(),
        Value::Map(pairs) => 1 + pairs.iter().map(|(_, n)| count(&n.value)).sum::<usize>(),
    }
}

/// The path of the node about to be added under the innermost open collection.
fn child_path(stack: &[(Node, Option<String>, Option<(String, Mark)>)]) -> String {
    match stack.last() {
        None => String::new(),
        Some((parent, _, key)) => match (&parent.value, key) {
            (Value::List(items), _) => format!("{}[{}]", parent.path, items.len()),
            (Value::Map(_), Some((key, _))) if parent.path.is_empty() => key.clone(),
            (Value::Map(_), Some((key, _))) => format!("{}.{key}", parent.path),
            _ => parent.path.clone(),
        },
    }
}

/// Adds a finished node to its parent: an item, a key, or a key's value.
fn place(stack: &mut [(Node, Option<String>, Option<(String, Mark)>)], root: &mut Option<Node>, node: Node) -> Result<(), String> {
    let Some((parent, _, key)) = stack.last_mut() else {
        *root = Some(node);
        return Ok(());
    };
    match &mut parent.value {
        Value::List(items) => items.push(node),
        Value::Map(pairs) => match key.take() {
            Some((key, _)) => pairs.push((key, node)),
            None => {
                let Value::Scalar(key, _) = node.value else {
                    return Err(at_mark(node.at, &parent.path, "a key must be plain text"));
                };
                if pairs.iter().any(|(k, _)| *k == key) {
                    return Err(at_mark(node.at, &parent.path, &format!("duplicate field `{key}`")));
                }
                *key_slot(stack) = Some((key, node.at));
            }
        },
        Value::Scalar(..) => {}
    }
    Ok(())
}

fn key_slot(stack: &mut [(Node, Option<String>, Option<(String, Mark)>)]) -> &mut Option<(String, Mark)> {
    let last = stack.len() - 1;
    &mut stack[last].2
}

fn at_mark(at: Mark, path: &str, message: &str) -> String {
    if path.is_empty() {
        format!("line {} column {}: {message}", at.line, at.column)
    } else {
        format!("line {} column {}: {path}: {message}", at.line, at.column)
    }
}

fn is_null(v: &Value) -> bool {
    matches!(v, Value::Scalar(s, Style::Plain) if matches!(s.as_str(), "" | "~" | "null" | "Null" | "NULL"))
}

impl Node {
    pub fn error(&self, message: &str) -> String {
        at_mark(self.at, &self.path, message)
    }

    fn found(&self) -> &'static str {
        match self.value {
            Value::Scalar(..) => "text",
            Value::List(_) => "a list",
            Value::Map(_) => "a map",
        }
    }

    pub fn string(&self) -> Result<String, String> {
        match &self.value {
            Value::Scalar(s, _) => Ok(s.clone()),
            _ => Err(self.error(&format!("expected text, found {}", self.found()))),
        }
    }

    pub fn list<T>(&self, item: impl Fn(&Node) -> Result<T, String>) -> Result<Vec<T>, String> {
        match &self.value {
            Value::List(items) => items.iter().map(item).collect(),
            _ => Err(self.error(&format!("expected a list, found {}", self.found()))),
        }
    }

    /// The node's keys, to be taken one by one; `what` says what the map should have been.
    pub fn pairs(&self, what: &str) -> Result<Pairs<'_>, String> {
        match &self.value {
            Value::Map(pairs) => Ok(Pairs { node: self, pairs, used: vec![false; pairs.len()], asked: Vec::new() }),
            _ => Err(self.error(&format!("expected {what}, found {}", self.found()))),
        }
    }
}

/// A map's entries; each `req`/`opt` takes one, and `done` refuses any left over.
pub struct Pairs<'a> {
    node: &'a Node,
    pairs: &'a [(String, Node)],
    used: Vec<bool>,
    /// The fields asked for, which an unknown field's error lists.
    asked: Vec<&'static str>,
}

impl<'a> Pairs<'a> {
    pub fn opt(&mut self, key: &'static str) -> Option<&'a Node> {
        self.asked.push(key);
        let i = self.pairs.iter().position(|(k, _)| k == key)?;
        self.used[i] = true;
        Some(&self.pairs[i].1)
    }

    pub fn req(&mut self, key: &'static str) -> Result<&'a Node, String> {
        self.opt(key).ok_or_else(|| self.node.error(&format!("missing field `{key}`")))
    }

    /// An optional field that may also be written `null`.
    fn present(&mut self, key: &'static str) -> Option<&'a Node> {
        self.opt(key).filter(|n| !is_null(&n.value))
    }

    pub fn string(&mut self, key: &'static str) -> Result<Option<String>, String> {
        self.present(key).map(Node::string).transpose()
    }

    pub fn bool(&mut self, key: &'static str) -> Result<Option<bool>, String> {
        let Some(n) = self.present(key) else { return Ok(None) };
        match &n.value {
            Value::Scalar(s, Style::Plain) if matches!(s.as_str(), "true" | "True" | "TRUE") => Ok(Some(true)),
            Value::Scalar(s, Style::Plain) if matches!(s.as_str(), "false" | "False" | "FALSE") => Ok(Some(false)),
            _ => Err(n.error("expected true or false")),
        }
    }

    pub fn int<T: TryFrom<i64>>(&mut self, key: &'static str) -> Result<Option<T>, String> {
        let Some(n) = self.present(key) else { return Ok(None) };
        match &n.value {
            Value::Scalar(s, Style::Plain) => match s.parse::<i64>().ok().and_then(|i| T::try_from(i).ok()) {
                Some(v) => Ok(Some(v)),
                None => Err(n.error(&format!("expected a whole number in range, found `{s}`"))),
            },
            _ => Err(n.error("expected a whole number")),
        }
    }

    /// The first entry not taken yet, taken now.
    pub fn take_next(&mut self) -> Option<(&'a String, &'a Node)> {
        let i = self.used.iter().position(|u| !u)?;
        self.used[i] = true;
        Some((&self.pairs[i].0, &self.pairs[i].1))
    }

    /// Every entry as text, for maps of names to text.
    pub fn rest_as_strings(self) -> Result<BTreeMap<String, String>, String> {
        // Inserts rather than `collect`: collecting into a BTreeMap compiles its own sort.
        let mut map = BTreeMap::new();
        for (k, n) in self.pairs {
            map.insert(k.clone(), n.string()?);
        }
        Ok(map)
    }

    pub fn done(mut self) -> Result<(), String> {
        match self.take_next() {
            Some((key, n)) => {
                let expected = self.asked.iter().map(|k| format!("`{k}`")).collect::<Vec<_>>().join(", ");
                Err(at_mark(n.at, &self.node.path, &format!("unknown field `{key}`, expected one of {expected}")))
            }
            None => Ok(()),
        }
    }
}

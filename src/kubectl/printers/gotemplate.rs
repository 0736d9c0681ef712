//! `--template` / `-o go-template=...`: the small part of Go's text/template that kubectl users
//! type, e.g. the tutorial's `{{range $i, $c := .spec.containers}}{{$c.image}}{{end}}`.
//! Supports field chains on `.` and `$var`, string literals, `range` (with or without
//! `$i, $v :=`), `if`/`else`, and `end`.

use serde_json::Value;
use std::collections::BTreeMap;

#[derive(Debug, Clone, PartialEq)]
enum Expr {
    /// `.a.b` (on dot) or `$v.a.b`; `var` None means dot.
    Field { var: Option<String>, path: Vec<String> },
    Str(String),
}

#[derive(Debug, Clone, PartialEq)]
enum Node {
    Text(String),
    Print(Expr),
    Range { key: Option<String>, value: Option<String>, over: Expr, body: Vec<Node>, otherwise: Vec<Node> },
    If { cond: Expr, then: Vec<Node>, otherwise: Vec<Node> },
}

#[derive(Debug, Clone, PartialEq)]
pub struct GoTemplate {
    nodes: Vec<Node>,
}

fn parse_expr(s: &str) -> Result<Expr, String> {
    let s = s.trim();
    if s.starts_with('"') {
        return match serde_json::from_str::<Value>(s) {
            Ok(Value::String(text)) => Ok(Expr::Str(text)),
            _ => Err(format!("unterminated quoted string in {s}")),
        };
    }
    let (var, rest) = if let Some(r) = s.strip_prefix('$') {
        let end = r.find('.').unwrap_or(r.len());
        (Some(r.get(..end).unwrap_or("").to_string()), r.get(end..).unwrap_or(""))
    } else if s.starts_with('.') {
        (None, s)
    } else {
        return Err(format!("function \"{}\" not defined", s.split_whitespace().next().unwrap_or(s)));
    };
    let path = rest.split('.').filter(|p| !p.is_empty()).map(str::to_string).collect();
    Ok(Expr::Field { var, path })
}

enum Frame {
    Root(Vec<Node>),
    Range { key: Option<String>, value: Option<String>, over: Expr, body: Vec<Node>, otherwise: Option<Vec<Node>> },
    If { cond: Expr, then: Vec<Node>, otherwise: Option<Vec<Node>> },
}

impl Frame {
    fn push(&mut self, n: Node) {
        match self {
            Frame::Root(v) => v.push(n),
            Frame::Range { body, otherwise, .. } | Frame::If { then: body, otherwise, .. } => match otherwise {
                Some(o) => o.push(n),
                None => body.push(n),
            },
        }
    }
}

impl GoTemplate {
    pub fn parse(src: &str) -> Result<GoTemplate, String> {
        let wrap = |e: String| format!("error: error parsing template {src}, template: output:1: {e}");
        let mut stack = vec![Frame::Root(Vec::new())];
        let mut rest = src;
        while !rest.is_empty() {
            let Some(open) = rest.find("{{") else {
                if let Some(top) = stack.last_mut() {
                    top.push(Node::Text(rest.to_string()));
                }
                break;
            };
            if open > 0 {
                if let Some(top) = stack.last_mut() {
                    top.push(Node::Text(rest.get(..open).unwrap_or("").to_string()));
                }
            }
            let after = rest.get(open + 2..).unwrap_or("");
            let close = after.find("}}").ok_or_else(|| wrap("unclosed action".into()))?;
            let action = after.get(..close).unwrap_or("").trim().trim_start_matches('-').trim_end_matches('-').trim();
            rest = after.get(close + 2..).unwrap_or("");
            if action == "end" {
                let frame = stack.pop().ok_or_else(|| wrap("unexpected {{end}}".into()))?;
                let node = match frame {
                    Frame::Range { key, value, over, body, otherwise } => Node::Range { key, value, over, body, otherwise: otherwise.unwrap_or_default() },
                    Frame::If { cond, then, otherwise } => Node::If { cond, then, otherwise: otherwise.unwrap_or_default() },
                    Frame::Root(_) => return Err(wrap("unexpected {{end}}".into())),
                };
                stack.last_mut().ok_or_else(|| wrap("unexpected {{end}}".into()))?.push(node);
            } else if action == "else" {
                match stack.last_mut() {
                    Some(Frame::Range { otherwise, .. }) | Some(Frame::If { otherwise, .. }) => *otherwise = Some(Vec::new()),
                    _ => return Err(wrap("unexpected {{else}}".into())),
                }
            } else if let Some(r) = action.strip_prefix("range ") {
                let (vars, over) = match r.split_once(":=") {
                    Some((v, o)) => (v.trim(), o.trim()),
                    None => ("", r.trim()),
                };
                let names: Vec<String> = vars.split(',').map(|v| v.trim().trim_start_matches('$').to_string()).filter(|v| !v.is_empty()).collect();
                let (key, value) = match names.as_slice() {
                    [v] => (None, Some(v.clone())),
                    [k, v] => (Some(k.clone()), Some(v.clone())),
                    _ => (None, None),
                };
                stack.push(Frame::Range { key, value, over: parse_expr(over).map_err(wrap)?, body: Vec::new(), otherwise: None });
            } else if let Some(c) = action.strip_prefix("if ") {
                stack.push(Frame::If { cond: parse_expr(c).map_err(wrap)?, then: Vec::new(), otherwise: None });
            } else {
                let e = parse_expr(action).map_err(wrap)?;
                stack.last_mut().ok_or_else(|| wrap("internal".into()))?.push(Node::Print(e));
            }
        }
        match stack.pop() {
            Some(Frame::Root(nodes)) if stack.is_empty() => Ok(GoTemplate { nodes }),
            _ => Err(wrap("unexpected EOF".into())),
        }
    }

    pub fn execute(&self, data: &Value) -> String {
        let mut out = String::new();
        let mut vars = BTreeMap::new();
        vars.insert(String::new(), data.clone());
        exec(&self.nodes, data, &mut vars, &mut out);
        out
    }
}

fn lookup(e: &Expr, dot: &Value, vars: &BTreeMap<String, Value>) -> Option<Value> {
    match e {
        Expr::Str(s) => Some(Value::String(s.clone())),
        Expr::Field { var, path } => {
            let mut cur = match var {
                None => dot.clone(),
                Some(v) => vars.get(v.as_str()).cloned()?,
            };
            for p in path {
                cur = cur.get(p.as_str())?.clone();
            }
            Some(cur)
        }
    }
}

/// Go's `fmt.Print` of an unstructured value.
fn go_print(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        Value::Null => "<nil>".into(),
        Value::Array(a) => format!("[{}]", a.iter().map(go_print).collect::<Vec<_>>().join(" ")),
        Value::Object(m) => {
            // Go prints a map's keys sorted; serde_json's Map is a BTreeMap, so they come sorted.
            format!("map[{}]", m.iter().map(|(k, v)| format!("{k}:{}", go_print(v))).collect::<Vec<_>>().join(" "))
        }
        other => other.to_string(),
    }
}

fn truthy(v: &Option<Value>) -> bool {
    match v {
        None | Some(Value::Null) => false,
        Some(Value::Bool(b)) => *b,
        Some(Value::String(s)) => !s.is_empty(),
        Some(Value::Array(a)) => !a.is_empty(),
        Some(Value::Object(m)) => !m.is_empty(),
        Some(Value::Number(n)) => n.as_f64().map(|f| f != 0.0).unwrap_or(true),
    }
}

fn exec(nodes: &[Node], dot: &Value, vars: &mut BTreeMap<String, Value>, out: &mut String) {
    for n in nodes {
        match n {
            Node::Text(t) => out.push_str(t),
            Node::Print(e) => match lookup(e, dot, vars) {
                Some(v) => out.push_str(&go_print(&v)),
                None => out.push_str("<no value>"),
            },
            Node::If { cond, then, otherwise } => {
                let body = if truthy(&lookup(cond, dot, vars)) { then } else { otherwise };
                exec(body, dot, vars, out);
            }
            Node::Range { key, value, over, body, otherwise } => {
                let items: Vec<(Value, Value)> = match lookup(over, dot, vars) {
                    Some(Value::Array(a)) => a.into_iter().enumerate().map(|(i, v)| (Value::from(i as u64), v)).collect(),
                    Some(Value::Object(m)) => {
                        // `range` visits a map in sorted key order, as serde_json's BTreeMap iterates.
                        m.into_iter().map(|(k, v)| (Value::String(k), v)).collect()
                    }
                    _ => Vec::new(),
                };
                if items.is_empty() {
                    exec(otherwise, dot, vars, out);
                }
                for (k, v) in items {
                    if let Some(name) = key {
                        vars.insert(name.clone(), k);
                    }
                    if let Some(name) = value {
                        vars.insert(name.clone(), v.clone());
                    }
                    exec(body, &v, vars, out);
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn tutorial_template() {
        let pod = json!({"metadata": {"name": "web-0"}, "spec": {"containers": [{"image": "registry.k8s.io/nginx-slim:0.24"}]}});
        let t = GoTemplate::parse("{{range $i, $c := .spec.containers}}{{$c.image}}{{end}}");
        assert_eq!(t.map(|t| t.execute(&pod)), Ok("registry.k8s.io/nginx-slim:0.24".to_string()));
        let t = GoTemplate::parse("{{.metadata.name}}{{\"\\n\"}}{{range .spec.containers}}{{.image}} {{end}}{{.nope}}");
        assert_eq!(t.map(|t| t.execute(&pod)), Ok("web-0\nregistry.k8s.io/nginx-slim:0.24 <no value>".to_string()));
        assert!(GoTemplate::parse("{{range .x}}").is_err());
        assert!(GoTemplate::parse("{{foo}}").is_err());
    }
}

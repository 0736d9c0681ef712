//! `-o jsonpath=TEMPLATE`: the subset of Kubernetes JSONPath students use: `{.a.b}`,
//! `{.items[*].metadata.name}`, `[n]`, `[a:b]`, `['key']`, `..key`, filters
//! `[?(@.type=="Ready")]`, `{range ...}{end}`, and string literals such as `{"\n"}`.
//! Missing keys print nothing (kubectl's `--allow-missing-template-keys` defaults to true).

use serde_json::Value;

#[derive(Debug, Clone, PartialEq)]
enum Step {
    Field(String),
    Recursive(String),
    Index(i64),
    Slice(Option<i64>, Option<i64>),
    All,
    Filter(Box<Filter>),
}

#[derive(Debug, Clone, PartialEq)]
struct Filter {
    left: Vec<Step>,
    op: Option<(String, Operand)>,
}

#[derive(Debug, Clone, PartialEq)]
enum Operand {
    Literal(Value),
    Path(Vec<Step>),
}

#[derive(Debug, Clone, PartialEq)]
enum Node {
    Text(String),
    Path { root: bool, steps: Vec<Step> },
    Range { root: bool, steps: Vec<Step>, body: Vec<Node> },
}

/// A parsed template.
#[derive(Debug, Clone, PartialEq)]
pub struct JsonPath {
    nodes: Vec<Node>,
}

impl JsonPath {
    /// kubectl's wording for a bad template: `error: error parsing jsonpath {...}, <reason>`.
    pub fn parse(template: &str) -> Result<JsonPath, String> {
        let wrap = |e: String| format!("error: error parsing jsonpath {template}, {e}");
        let mut stack: Vec<Frame> = vec![(Vec::new(), None)];
        let mut rest = template;
        while !rest.is_empty() {
            let Some(open) = rest.find('{') else {
                push(&mut stack, Node::Text(rest.to_string()));
                break;
            };
            if open > 0 {
                push(&mut stack, Node::Text(rest.get(..open).unwrap_or("").to_string()));
            }
            let after = rest.get(open + 1..).unwrap_or("");
            let close = find_close(after).ok_or_else(|| wrap("unclosed action".into()))?;
            let inner = after.get(..close).unwrap_or("").trim();
            rest = after.get(close + 1..).unwrap_or("");
            if inner == "end" {
                if stack.len() < 2 {
                    return Err(wrap("not in range, nothing to end".into()));
                }
                let Some((body, Some((root, steps)))) = stack.pop() else {
                    return Err(wrap("not in range, nothing to end".into()));
                };
                push(&mut stack, Node::Range { root, steps, body });
            } else if let Some(expr) = inner.strip_prefix("range ") {
                let (root, steps) = parse_path(expr.trim()).map_err(wrap)?;
                stack.push((Vec::new(), Some((root, steps))));
            } else if inner.starts_with('"') || inner.starts_with('\'') {
                push(&mut stack, Node::Text(parse_string_literal(inner).map_err(wrap)?));
            } else {
                for part in split_top(inner, ',') {
                    let (root, steps) = parse_path(part.trim()).map_err(wrap)?;
                    push(&mut stack, Node::Path { root, steps });
                }
            }
        }
        if stack.len() != 1 {
            return Err(wrap("unclosed range".into()));
        }
        let nodes = stack.pop().map(|s| s.0).unwrap_or_default();
        Ok(JsonPath { nodes })
    }

    pub fn execute(&self, data: &Value) -> String {
        let mut out = String::new();
        run(&self.nodes, data, data, &mut out);
        out
    }

    /// The values the template's paths select, in order (custom-columns cells, --sort-by keys).
    pub fn find(&self, data: &Value) -> Vec<Value> {
        let mut out = Vec::new();
        for n in &self.nodes {
            if let Node::Path { steps, .. } = n {
                out.extend(eval(steps, vec![data]).into_iter().cloned());
            }
        }
        out
    }
}

/// `RelaxedJSONPathExpression`: `.a.b`, `a.b` and `{.a.b}` all mean `{.a.b}`.
pub fn relaxed(expr: &str) -> String {
    let e = expr.trim();
    if e.starts_with('{') && e.ends_with('}') {
        return e.to_string();
    }
    if e.starts_with('.') {
        format!("{{{e}}}")
    } else {
        format!("{{.{e}}}")
    }
}

/// One open `{range}` (or the whole template, at the bottom): the nodes read so far and, for a
/// range, the path it iterates (from the root or not, and its steps).
type Frame = (Vec<Node>, Option<(bool, Vec<Step>)>);

fn push(stack: &mut [Frame], node: Node) {
    if let Some(top) = stack.last_mut() {
        top.0.push(node);
    }
}

fn find_close(s: &str) -> Option<usize> {
    let mut quote: Option<char> = None;
    let mut escaped = false;
    for (i, c) in s.char_indices() {
        if escaped {
            escaped = false;
            continue;
        }
        match (quote, c) {
            (Some(_), '\\') => escaped = true,
            (Some(q), c) if c == q => quote = None,
            (None, '"' | '\'') => quote = Some(c),
            (None, '}') => return Some(i),
            _ => {}
        }
    }
    None
}

fn split_top(s: &str, sep: char) -> Vec<&str> {
    let mut out = Vec::new();
    let (mut depth, mut start, mut quote) = (0i32, 0usize, None::<char>);
    for (i, c) in s.char_indices() {
        match (quote, c) {
            (Some(q), c) if c == q => quote = None,
            (Some(_), _) => {}
            (None, '"' | '\'') => quote = Some(c),
            (None, '[' | '(') => depth += 1,
            (None, ']' | ')') => depth -= 1,
            (None, c) if c == sep && depth == 0 => {
                out.push(s.get(start..i).unwrap_or(""));
                start = i + c.len_utf8();
            }
            _ => {}
        }
    }
    out.push(s.get(start..).unwrap_or(""));
    out
}

fn parse_string_literal(s: &str) -> Result<String, String> {
    let q = s.chars().next().unwrap_or('"');
    let body = s.get(1..s.len().saturating_sub(1)).filter(|_| s.len() >= 2 && s.ends_with(q)).ok_or("unterminated string")?;
    let mut out = String::new();
    let mut chars = body.chars();
    while let Some(c) = chars.next() {
        if c == '\\' {
            match chars.next() {
                Some('n') => out.push('\n'),
                Some('t') => out.push('\t'),
                Some('r') => out.push('\r'),
                Some(o) => out.push(o),
                None => out.push('\\'),
            }
        } else {
            out.push(c);
        }
    }
    Ok(out)
}

/// Parses `.a.b[0]`, `$.a`, `@.a`, `..name`; returns (starts at root, steps).
fn parse_path(s: &str) -> Result<(bool, Vec<Step>), String> {
    let mut chars: Vec<char> = s.chars().collect();
    let mut root = false;
    let mut i = 0;
    match chars.first() {
        Some('$') => {
            root = true;
            i = 1;
        }
        Some('@') => i = 1,
        Some('.') | Some('[') => {}
        None => return Ok((false, Vec::new())),
        Some(_) => {
            // A bare word like `metadata.name` is read as `.metadata.name`.
            chars.insert(0, '.');
        }
    }
    let mut steps = Vec::new();
    while let Some(&c) = chars.get(i) {
        match c {
            '.' => {
                let recursive = chars.get(i + 1) == Some(&'.');
                i += if recursive { 2 } else { 1 };
                // A backslash escapes the next character (`annotations.deployment\.kubernetes\.io/revision`)
                // and is dropped from the name, as client-go's parser does.
                let mut name = String::new();
                while let Some(&c) = chars.get(i) {
                    if c == '.' || c == '[' {
                        break;
                    }
                    if c == '\\' {
                        i += 1;
                        if let Some(&next) = chars.get(i) {
                            name.push(next);
                        }
                    } else {
                        name.push(c);
                    }
                    i += 1;
                }
                if name == "*" {
                    steps.push(Step::All);
                } else if recursive {
                    steps.push(Step::Recursive(name));
                } else if !name.is_empty() {
                    steps.push(Step::Field(name));
                }
            }
            '[' => {
                let mut depth = 0;
                let start = i + 1;
                let mut quote = None;
                while let Some(&c) = chars.get(i) {
                    match (quote, c) {
                        (Some(q), c) if c == q => quote = None,
                        (Some(_), _) => {}
                        (None, '"' | '\'') => quote = Some(c),
                        (None, '[') => depth += 1,
                        (None, ']') => {
                            depth -= 1;
                            if depth == 0 {
                                break;
                            }
                        }
                        _ => {}
                    }
                    i += 1;
                }
                if chars.get(i) != Some(&']') {
                    return Err("unterminated array".to_string());
                }
                let inner: String = chars.get(start..i).unwrap_or(&[]).iter().collect();
                i += 1;
                steps.push(parse_bracket(inner.trim())?);
            }
            _ => return Err(format!("unrecognized character in action: U+{:04X} '{c}'", c as u32)),
        }
    }
    Ok((root, steps))
}

fn parse_bracket(inner: &str) -> Result<Step, String> {
    if inner == "*" {
        return Ok(Step::All);
    }
    if let Some(f) = inner.strip_prefix("?(").and_then(|f| f.strip_suffix(')')) {
        return parse_filter(f.trim()).map(|f| Step::Filter(Box::new(f)));
    }
    if inner.starts_with('\'') || inner.starts_with('"') {
        return parse_string_literal(inner).map(Step::Field);
    }
    if let Some((a, b)) = inner.split_once(':') {
        let num = |x: &str| -> Result<Option<i64>, String> {
            let x = x.trim();
            if x.is_empty() {
                Ok(None)
            } else {
                x.parse().map(Some).map_err(|_| format!("parsing slice {inner}"))
            }
        };
        let b = b.split(':').next().unwrap_or("");
        return Ok(Step::Slice(num(a)?, num(b)?));
    }
    inner.parse().map(Step::Index).map_err(|_| format!("invalid array index {inner}"))
}

fn parse_filter(f: &str) -> Result<Filter, String> {
    for op in ["==", "!=", "<=", ">=", "<", ">"] {
        if let Some((l, r)) = f.split_once(op) {
            let (_, left) = parse_path(l.trim())?;
            let r = r.trim();
            let operand = if r.starts_with('"') || r.starts_with('\'') {
                Operand::Literal(Value::String(parse_string_literal(r)?))
            } else if let Ok(n) = r.parse::<f64>() {
                Operand::Literal(serde_json::Number::from_f64(n).map(Value::Number).unwrap_or(Value::Null))
            } else if r == "true" || r == "false" {
                Operand::Literal(Value::Bool(r == "true"))
            } else {
                Operand::Path(parse_path(r)?.1)
            };
            return Ok(Filter { left, op: Some((op.to_string(), operand)) });
        }
    }
    Ok(Filter { left: parse_path(f)?.1, op: None })
}

fn eval<'a>(steps: &[Step], start: Vec<&'a Value>) -> Vec<&'a Value> {
    let mut cur = start;
    for step in steps {
        let mut next = Vec::new();
        for v in cur {
            match step {
                Step::Field(name) => {
                    if let Some(c) = v.get(name.as_str()) {
                        next.push(c);
                    }
                }
                Step::Recursive(name) => collect_recursive(v, name, &mut next),
                Step::Index(i) => {
                    if let Some(a) = v.as_array() {
                        let idx = if *i < 0 { a.len() as i64 + i } else { *i };
                        if let Some(c) = usize::try_from(idx).ok().and_then(|i| a.get(i)) {
                            next.push(c);
                        }
                    }
                }
                Step::Slice(a, b) => {
                    if let Some(arr) = v.as_array() {
                        let len = arr.len() as i64;
                        let norm = |x: i64| if x < 0 { (len + x).max(0) } else { x.min(len) };
                        let (s, e) = (norm(a.unwrap_or(0)), norm(b.unwrap_or(len)));
                        for i in s..e {
                            if let Some(c) = usize::try_from(i).ok().and_then(|i| arr.get(i)) {
                                next.push(c);
                            }
                        }
                    }
                }
                Step::All => match v {
                    Value::Array(a) => next.extend(a.iter()),
                    Value::Object(m) => {
                        // serde_json's Map is a BTreeMap: its values come in sorted key order.
                        next.extend(m.values());
                    }
                    _ => {}
                },
                Step::Filter(f) => {
                    if let Some(a) = v.as_array() {
                        next.extend(a.iter().filter(|item| filter_holds(f, item)));
                    }
                }
            }
        }
        cur = next;
    }
    cur
}

fn collect_recursive<'a>(v: &'a Value, name: &str, out: &mut Vec<&'a Value>) {
    match v {
        Value::Object(m) => {
            if let Some(c) = m.get(name) {
                out.push(c);
            }
            // In sorted key order: serde_json's Map is a BTreeMap.
            for c in m.values() {
                collect_recursive(c, name, out);
            }
        }
        Value::Array(a) => a.iter().for_each(|c| collect_recursive(c, name, out)),
        _ => {}
    }
}

fn filter_holds(f: &Filter, item: &Value) -> bool {
    let left = eval(&f.left, vec![item]);
    let Some((op, operand)) = &f.op else { return !left.is_empty() };
    let right: Vec<Value> = match operand {
        Operand::Literal(v) => vec![v.clone()],
        Operand::Path(p) => eval(p, vec![item]).into_iter().cloned().collect(),
    };
    let (Some(l), Some(r)) = (left.first(), right.first()) else { return false };
    let ord = match (l.as_f64(), r.as_f64()) {
        (Some(a), Some(b)) => a.partial_cmp(&b),
        _ => match (l.as_str(), r.as_str()) {
            (Some(a), Some(b)) => Some(a.cmp(b)),
            _ => None,
        },
    };
    use std::cmp::Ordering::*;
    match op.as_str() {
        "==" => *l == r || ord == Some(Equal),
        "!=" => !(*l == r || ord == Some(Equal)),
        "<" => ord == Some(Less),
        ">" => ord == Some(Greater),
        "<=" => matches!(ord, Some(Less | Equal)),
        ">=" => matches!(ord, Some(Greater | Equal)),
        _ => false,
    }
}

/// How a value prints: strings raw, maps and lists as compact JSON.
pub fn text(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        Value::Null => String::new(),
        Value::Object(_) | Value::Array(_) => super::json::compact(v),
        other => other.to_string(),
    }
}

fn run(nodes: &[Node], root: &Value, current: &Value, out: &mut String) {
    for n in nodes {
        match n {
            Node::Text(t) => out.push_str(t),
            Node::Path { root: r, steps } => {
                let start = if *r { root } else { current };
                let vals = eval(steps, vec![start]);
                out.push_str(&vals.iter().map(|v| text(v)).collect::<Vec<_>>().join(" "));
            }
            Node::Range { root: r, steps, body } => {
                let start = if *r { root } else { current };
                let vals = eval(steps, vec![start]);
                for v in vals {
                    // `range .items[*]` iterates the items; `range .items` iterates the list too.
                    match v {
                        Value::Array(a) if !matches!(steps.last(), Some(Step::All) | Some(Step::Filter(_))) => {
                            for item in a {
                                run(body, root, item, out);
                            }
                        }
                        _ => run(body, root, v, out),
                    }
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn list() -> Value {
        json!({"kind": "List", "items": [
            {"metadata": {"name": "web-0"}, "status": {"podIP": "10.244.1.6", "conditions": [{"type": "Ready", "status": "True"}]}, "spec": {"containers": [{"image": "a"}]}},
            {"metadata": {"name": "web-1"}, "status": {"podIP": "10.244.2.6", "conditions": [{"type": "Ready", "status": "False"}]}, "spec": {"containers": [{"image": "b"}]}}
        ]})
    }

    fn run_t(t: &str, v: &Value) -> String {
        JsonPath::parse(t).map(|p| p.execute(v)).unwrap_or_else(|e| e)
    }

    #[test]
    fn common_forms() {
        let l = list();
        assert_eq!(run_t("{.items[*].metadata.name}", &l), "web-0 web-1");
        assert_eq!(run_t("{range .items[*]}{.metadata.name}{\"\\n\"}{end}", &l), "web-0\nweb-1\n");
        assert_eq!(run_t("{.items[0].status.podIP}", &l), "10.244.1.6");
        assert_eq!(run_t("{.items[-1].metadata.name}", &l), "web-1");
        assert_eq!(run_t("{.items[?(@.status.conditions[0].status==\"True\")].metadata.name}", &l), "web-0");
        assert_eq!(run_t("{..image}", &l), "a b");
        assert_eq!(run_t("{.items[0].metadata}", &l), "{\"name\":\"web-0\"}");
        assert_eq!(run_t("{.missing}", &l), "");
        assert_eq!(run_t("name: {.items[1]['metadata']['name']}", &l), "name: web-1");
        assert_eq!(run_t("{range .items[*]}{.metadata.name}{\"\\t\"}{.status.podIP}{\"\\n\"}{end}", &l), "web-0\t10.244.1.6\nweb-1\t10.244.2.6\n");
    }

    #[test]
    fn escaped_dots_in_a_field_name() {
        let v = json!({"metadata": {"annotations": {"deployment.kubernetes.io/revision": "2"}}});
        assert_eq!(run_t(r"{.metadata.annotations.deployment\.kubernetes\.io/revision}", &v), "2");
    }

    #[test]
    fn errors() {
        assert!(run_t("{.items[*]", &list()).starts_with("error: error parsing jsonpath {.items[*], "));
        assert!(run_t("{end}", &list()).contains("not in range"));
    }
}

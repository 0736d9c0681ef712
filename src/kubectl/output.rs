//! `-o` handling shared by `get`, `get -w`, `apply -o` and friends: which printer a flag
//! selects and how a batch of objects of one kind is rendered with it.

use serde_json::{json, Value};

use super::clock;
use super::printers::{columns, format_labels, gotemplate::GoTemplate, json, jsonpath::JsonPath, st, table::TabWriter, yaml};
use super::resources;
use crate::engine::Kind;

#[derive(Debug, Clone)]
pub enum Format {
    Table,
    Wide,
    Name,
    Yaml,
    Json,
    JsonPath(JsonPath),
    GoTemplate(GoTemplate),
    /// `-o custom-columns=HEADER:PATH,...`: (header, path) pairs.
    CustomColumns(Vec<(String, JsonPath)>),
}

const ALLOWED: &str = "custom-columns,custom-columns-file,go-template,go-template-file,json,jsonpath,jsonpath-as-json,jsonpath-file,name,template,templatefile,wide,yaml";

impl Format {
    /// From `-o` (and `--template`); kubectl's error text when the format is unknown.
    pub fn parse(output: Option<&str>, template: Option<&str>) -> Result<Format, String> {
        let Some(o) = output else {
            return match template {
                Some(t) => GoTemplate::parse(t).map(Format::GoTemplate),
                None => Ok(Format::Table),
            };
        };
        let (name, arg) = match o.split_once('=') {
            Some((n, a)) => (n, Some(a)),
            None => (o, None),
        };
        match (name, arg) {
            ("", None) => Ok(Format::Table),
            ("wide", None) => Ok(Format::Wide),
            ("name", None) => Ok(Format::Name),
            ("yaml", None) => Ok(Format::Yaml),
            ("json", None) => Ok(Format::Json),
            ("jsonpath", Some(t)) => JsonPath::parse(t).map(Format::JsonPath),
            ("jsonpath", None) => match template {
                Some(t) => JsonPath::parse(t).map(Format::JsonPath),
                None => Err("error: template format specified but no template given".into()),
            },
            ("go-template" | "template", Some(t)) => GoTemplate::parse(t).map(Format::GoTemplate),
            ("go-template" | "template", None) => match template {
                Some(t) => GoTemplate::parse(t).map(Format::GoTemplate),
                None => Err("error: template format specified but no template given".into()),
            },
            ("custom-columns", Some(spec)) if !spec.is_empty() => custom_columns(spec).map(Format::CustomColumns),
            ("custom-columns", _) => Err("error: custom-columns format specified but no custom columns given".into()),
            _ => Err(format!("error: unable to match a printer suitable for the output format \"{o}\", allowed formats are: {ALLOWED}")),
        }
    }

    pub fn is_table(&self) -> bool {
        matches!(self, Format::Table | Format::Wide)
    }
}

/// `NewCustomColumnsPrinterFromSpec`: `HEADER:PATH` pairs split on commas.
fn custom_columns(spec: &str) -> Result<Vec<(String, JsonPath)>, String> {
    spec.split(',')
        .map(|part| {
            let (header, path) = part.split_once(':').ok_or_else(|| format!("error: unexpected custom-columns spec: {part}, expected <header>:<json-path-expr>"))?;
            Ok((header.to_string(), JsonPath::parse(&super::printers::jsonpath::relaxed(path))?))
        })
        .collect()
}

/// One custom-columns cell: every selected value as Go's `%v` prints it, joined by commas;
/// `<none>` when nothing is selected.
fn custom_cell(path: &JsonPath, obj: &Value) -> String {
    let vals = path.find(obj);
    if vals.is_empty() {
        return "<none>".into();
    }
    vals.iter().map(go_value).collect::<Vec<_>>().join(",")
}

/// Go's `%v` of an unstructured value: `map[k:v]`, `[a b]`, `<nil>`.
fn go_value(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        Value::Null => "<nil>".into(),
        Value::Array(a) => format!("[{}]", a.iter().map(go_value).collect::<Vec<_>>().join(" ")),
        Value::Object(m) => format!("map[{}]", m.iter().map(|(k, v)| format!("{k}:{}", go_value(v))).collect::<Vec<_>>().join(" ")),
        other => other.to_string(),
    }
}

/// `kubectl get --sort-by=FIELD` (sorter.go `SortObjects`): the field must exist in at least
/// one object; objects without it come first; numbers compare as numbers, strings in natural
/// order (`web-2` before `web-10`).
pub fn sort_objects(objs: &mut [Value], field: &str) -> Result<(), String> {
    let field = super::printers::jsonpath::relaxed(field);
    let path = JsonPath::parse(&field)?;
    let mut keyed: Vec<(Option<Value>, Value)> = objs.iter().map(|o| (path.find(o).into_iter().next(), o.clone())).collect();
    if !keyed.iter().any(|(k, _)| k.is_some()) {
        return Err(format!("error: couldn't find any field with path {} in the list of objects", super::flags::go_quote(&field)));
    }
    crate::sort::sort_by(&mut keyed, |(a, _), (b, _)| match (a, b) {
        (None, None) => std::cmp::Ordering::Equal,
        (None, Some(_)) => std::cmp::Ordering::Less,
        (Some(_), None) => std::cmp::Ordering::Greater,
        (Some(a), Some(b)) => compare_values(a, b),
    });
    for (slot, (_, o)) in objs.iter_mut().zip(keyed) {
        *slot = o;
    }
    Ok(())
}

fn compare_values(a: &Value, b: &Value) -> std::cmp::Ordering {
    match (a, b) {
        (Value::Number(x), Value::Number(y)) => x.as_f64().unwrap_or(0.0).partial_cmp(&y.as_f64().unwrap_or(0.0)).unwrap_or(std::cmp::Ordering::Equal),
        (Value::String(x), Value::String(y)) => natural_cmp(x, y),
        (Value::Bool(x), Value::Bool(y)) => x.cmp(y),
        _ => std::cmp::Ordering::Equal,
    }
}

/// `sortorder.NaturalLess`: runs of digits compare by value, everything else bytewise.
fn natural_cmp(a: &str, b: &str) -> std::cmp::Ordering {
    let (mut x, mut y) = (a.as_bytes(), b.as_bytes());
    loop {
        match (x.first(), y.first()) {
            (None, None) => return std::cmp::Ordering::Equal,
            (None, Some(_)) => return std::cmp::Ordering::Less,
            (Some(_), None) => return std::cmp::Ordering::Greater,
            (Some(c), Some(d)) if c.is_ascii_digit() && d.is_ascii_digit() => {
                let nx = x.iter().take_while(|c| c.is_ascii_digit()).count();
                let ny = y.iter().take_while(|c| c.is_ascii_digit()).count();
                let (dx, dy) = (&x[..nx], &y[..ny]);
                let tx = dx.iter().skip_while(|c| **c == b'0').count();
                let ty = dy.iter().skip_while(|c| **c == b'0').count();
                let ord = tx.cmp(&ty).then_with(|| dx[nx - tx..].cmp(&dy[ny - ty..])).then_with(|| nx.cmp(&ny));
                if ord != std::cmp::Ordering::Equal {
                    return ord;
                }
                x = &x[nx..];
                y = &y[ny..];
            }
            (Some(c), Some(d)) => {
                if c != d {
                    return c.cmp(d);
                }
                x = &x[1..];
                y = &y[1..];
            }
        }
    }
}

/// Options of the human-readable table.
#[derive(Debug, Clone, Default)]
pub struct TableOpts {
    pub wide: bool,
    pub show_labels: bool,
    /// `-L KEY`: a column per label key, headed by the key's last `/` part in capitals.
    pub label_columns: std::rc::Rc<[String]>,
    pub all_namespaces: bool,
    /// Prefix names with `kind/` (several kinds in one `get`).
    pub show_kind: bool,
    pub no_headers: bool,
}

pub fn header(kind: Kind, o: &TableOpts) -> Vec<String> {
    let mut h: Vec<String> = columns::headers(kind, o.wide).into_iter().map(str::to_string).collect();
    if o.all_namespaces && kind.namespaced() {
        h.insert(0, "NAMESPACE".into());
    }
    h.extend(o.label_columns.iter().map(|k| k.rsplit('/').next().unwrap_or(k).to_uppercase()));
    if o.show_labels {
        h.push("LABELS".into());
    }
    h
}

pub fn row(kind: Kind, obj: &Value, o: &TableOpts, now_ms: i64) -> Vec<String> {
    let mut r = columns::row(kind, obj, o.wide, now_ms);
    if o.show_kind && kind != Kind::Event {
        if let Some(first) = r.first_mut() {
            *first = format!("{}/{}", resources::kind_group(kind), first);
        }
    }
    if o.all_namespaces && kind.namespaced() {
        r.insert(0, st(obj, "/metadata/namespace").to_string());
    }
    r.extend(o.label_columns.iter().map(|k| st(obj, &format!("/metadata/labels/{}", k.replace('~', "~0").replace('/', "~1"))).to_string()));
    if o.show_labels {
        r.push(format_labels(obj.pointer("/metadata/labels")));
    }
    r
}

/// A `kind: List` as kubectl wraps several objects for `-o yaml|json|jsonpath`.
/// What commands that write objects (`create`, `apply`, `run`) accept for `-o`: kubectl's
/// PrintFlags, which have no table printers.
const WRITE_ALLOWED: &str = "go-template,go-template-file,json,jsonpath,jsonpath-as-json,jsonpath-file,name,template,templatefile,yaml";

/// The `-o` of a command that writes objects: `None` prints kubectl's `TYPE/NAME created` line.
pub fn for_write(output: Option<&str>, template: Option<&str>) -> Result<Option<Format>, String> {
    let refused = || format!("error: unable to match a printer suitable for the output format \"{}\", allowed formats are: {WRITE_ALLOWED}", output.unwrap_or_default());
    match Format::parse(output, template) {
        Ok(Format::Table) => Ok(None),
        Ok(Format::Wide | Format::CustomColumns(_)) => Err(refused()),
        Ok(format) => Ok(Some(format)),
        Err(e) if e.contains("allowed formats are") || e.contains("custom-columns") => Err(refused()),
        Err(e) => Err(e),
    }
}

/// One written object as its command prints it: `TYPE/NAME created (dry run)` without `-o`,
/// else the object itself in the chosen format.
pub fn written(kind: Kind, obj: &Value, format: Option<&Format>, verb: &str) -> String {
    match format {
        None => format!("{} {verb}\n", resources::type_name(kind, st(obj, "/metadata/name"))),
        Some(f) => render(kind, std::slice::from_ref(obj), f, &TableOpts::default(), true, &mut TabWriter::table(), 0),
    }
}

pub fn list_of(items: &[Value]) -> Value {
    json!({"apiVersion": "v1", "items": items, "kind": "List", "metadata": {"resourceVersion": ""}})
}

/// Renders watch events for `--output-watch-events`, as kubectl prints a `WatchEvent`: tables get
/// an EVENT column first, yaml and json print `{type, object}`; other formats print the object.
pub fn render_events(kind: Kind, events: &[(&str, Value)], format: &Format, opts: &TableOpts, tab: &mut TabWriter, engine_now_ms: u64) -> String {
    match format {
        Format::Table | Format::Wide => {
            let now = clock::unix_ms(engine_now_ms);
            let o = TableOpts { wide: opts.wide || matches!(format, Format::Wide), ..opts.clone() };
            let mut rows = Vec::new();
            if !o.no_headers {
                let mut h = header(kind, &o);
                h.insert(0, "EVENT".to_string());
                rows.push(h);
            }
            for (ty, obj) in events {
                let mut r = row(kind, obj, &o, now);
                r.insert(0, ty.to_string());
                rows.push(r);
            }
            tab.rows(&rows)
        }
        // The yaml printer goes through a map, so its keys come sorted (`object` first).
        Format::Yaml => events.iter().map(|(ty, obj)| yaml::to_yaml(&json!({"type": ty, "object": obj}))).collect(),
        // The json printer marshals the WatchEvent struct itself: `type`, then `object`.
        Format::Json => events
            .iter()
            .map(|(ty, obj)| {
                let object = json::to_json(obj);
                format!("{{\n    \"type\": {},\n    \"object\": {}\n}}\n", json::compact(&json!(ty)), object.trim_end().replace('\n', "\n    "))
            })
            .collect(),
        _ => {
            let objs: Vec<Value> = events.iter().map(|(_, obj)| obj.clone()).collect();
            objs.iter().map(|obj| render(kind, std::slice::from_ref(obj), format, opts, true, tab, engine_now_ms)).collect()
        }
    }
}

/// Renders objects of one kind; `single` when exactly one object was asked for by name
/// (then yaml/json/jsonpath print the object itself, not a List).
pub fn render(kind: Kind, objs: &[Value], format: &Format, opts: &TableOpts, single: bool, tab: &mut TabWriter, engine_now_ms: u64) -> String {
    let now = clock::unix_ms(engine_now_ms);
    match format {
        Format::Table | Format::Wide => {
            let o = TableOpts { wide: opts.wide || matches!(format, Format::Wide), ..opts.clone() };
            let mut rows = Vec::new();
            if !o.no_headers {
                rows.push(header(kind, &o));
            }
            rows.extend(objs.iter().map(|obj| row(kind, obj, &o, now)));
            tab.rows(&rows)
        }
        Format::Name => objs.iter().map(|obj| format!("{}\n", resources::type_name(kind, st(obj, "/metadata/name")))).collect(),
        Format::Yaml => match (single, objs) {
            (true, [one]) => yaml::to_yaml(one),
            _ => yaml::to_yaml(&list_of(objs)),
        },
        Format::Json => match (single, objs) {
            (true, [one]) => json::to_json(one),
            _ => json::to_json(&list_of(objs)),
        },
        Format::JsonPath(p) => match (single, objs) {
            (true, [one]) => p.execute(one),
            _ => p.execute(&list_of(objs)),
        },
        Format::GoTemplate(t) => match (single, objs) {
            (true, [one]) => t.execute(one),
            _ => t.execute(&list_of(objs)),
        },
        Format::CustomColumns(cols) => {
            let mut rows = Vec::new();
            if !opts.no_headers {
                rows.push(cols.iter().map(|(h, _)| h.clone()).collect());
            }
            rows.extend(objs.iter().map(|obj| cols.iter().map(|(_, p)| custom_cell(p, obj)).collect()));
            tab.rows(&rows)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sort_by_is_natural_and_puts_missing_fields_first() {
        let mut objs = vec![json!({"n": "web-10"}), json!({"n": "web-2"}), json!({}), json!({"n": "web-1"})];
        sort_objects(&mut objs, ".n").unwrap();
        assert_eq!(objs, vec![json!({}), json!({"n": "web-1"}), json!({"n": "web-2"}), json!({"n": "web-10"})]);
        let mut nums = vec![json!({"r": 10}), json!({"r": 9})];
        sort_objects(&mut nums, "{.r}").unwrap();
        assert_eq!(nums[0]["r"], 9);
        assert_eq!(sort_objects(&mut nums, "x").unwrap_err(), "error: couldn't find any field with path \"{.x}\" in the list of objects");
    }

    #[test]
    fn custom_columns_cells() {
        let Ok(Format::CustomColumns(cols)) = Format::parse(Some("custom-columns=A:.a,B:b[*]"), None) else { panic!("parse") };
        let obj = json!({"a": {"x": 1}, "b": [1, "two"]});
        assert_eq!(custom_cell(&cols[0].1, &obj), "map[x:1]");
        assert_eq!(custom_cell(&cols[1].1, &obj), "1,two");
        assert_eq!(custom_cell(&cols[0].1, &json!({})), "<none>");
    }
}

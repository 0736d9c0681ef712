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
            _ => Err(format!("error: unable to match a printer suitable for the output format \"{o}\", allowed formats are: {ALLOWED}")),
        }
    }

    pub fn is_table(&self) -> bool {
        matches!(self, Format::Table | Format::Wide)
    }
}

/// Options of the human-readable table.
#[derive(Debug, Clone, Copy, Default)]
pub struct TableOpts {
    pub wide: bool,
    pub show_labels: bool,
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
    if o.show_labels {
        r.push(format_labels(obj.pointer("/metadata/labels")));
    }
    r
}

/// A `kind: List` as kubectl wraps several objects for `-o yaml|json|jsonpath`.
pub fn list_of(items: &[Value]) -> Value {
    json!({"apiVersion": "v1", "items": items, "kind": "List", "metadata": {"resourceVersion": ""}})
}

/// Renders objects of one kind; `single` when exactly one object was asked for by name
/// (then yaml/json/jsonpath print the object itself, not a List).
pub fn render(kind: Kind, objs: &[Value], format: &Format, opts: &TableOpts, single: bool, tab: &mut TabWriter, engine_now_ms: u64) -> String {
    let now = clock::unix_ms(engine_now_ms);
    match format {
        Format::Table | Format::Wide => {
            let o = TableOpts { wide: opts.wide || matches!(format, Format::Wide), ..*opts };
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
    }
}

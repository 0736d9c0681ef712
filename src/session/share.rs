//! Saving a session (browser storage) and sharing it (a URL fragment), and reading both back
//! defensively: whatever comes in is size-checked, decoded without panicking and validated
//! before it reaches the simulator. No server is involved; the fragment never leaves the browser.
//!
//! Format: JSON `{"v":1,"s":seed,"h":head_ms,"l":"en","y":editor,"t":[texts],"c":[[at,line,text]]}`
//! where `text` is an index into `t` (stdin of `apply -f -`, deduplicated: usually the same YAML
//! as the editor), `"k":[indices]` lists the commands typed at the console (the others came
//! from buttons), and `"lab":{"id":..,"from":..}` names the built-in lab the session is in; then
//! base64url without padding after `#s=` in a link.

use base64::engine::{general_purpose::GeneralPurpose, DecodePaddingMode, GeneralPurposeConfig};
use base64::{alphabet, Engine};
use serde_json::Value;

use super::{Command, LabMark, Session, MAX_COMMANDS, MAX_HEAD_MS};

/// The longest fragment a link may carry, in characters.
pub const MAX_FRAGMENT: usize = 48 * 1024;
const MAX_TEXT: usize = 64 * 1024;
const MAX_LINE: usize = 4 * 1024;
pub const STORAGE_KEY: &str = "stslab.session.v1";
const PREFIX: &str = "s=";

/// base64url as RFC 4648 §5 gives it for URLs, without padding.
const BASE64URL: GeneralPurpose = GeneralPurpose::new(
    &alphabet::URL_SAFE,
    GeneralPurposeConfig::new().with_encode_padding(false).with_decode_padding_mode(DecodePaddingMode::RequireNone),
);

/// Written and read by hand (through `serde_json::Value`) rather than with serde derives: the
/// derives' decoding code, and the float formatting its error messages pull in, cost download.
pub fn to_json(session: &Session) -> String {
    let mut texts: Vec<&str> = Vec::new();
    let mut commands = Vec::with_capacity(session.commands.len());
    for c in &session.commands {
        let index = match c.stdin.as_deref() {
            None => "null".to_string(),
            Some(text) => match texts.iter().position(|t| *t == text) {
                Some(i) => i.to_string(),
                None => {
                    texts.push(text);
                    (texts.len() - 1).to_string()
                }
            },
        };
        commands.push(format!("[{},{},{index}]", c.at, quote(&c.line)));
    }
    let typed: Vec<String> = session.commands.iter().enumerate().filter(|(_, c)| c.typed).map(|(i, _)| i.to_string()).collect();
    let mut out = format!("{{\"v\":1,\"s\":{},\"h\":{}", session.seed, session.head);
    if let Some(lang) = &session.lang {
        out += &format!(",\"l\":{}", quote(lang));
    }
    let texts: Vec<String> = texts.into_iter().map(quote).collect();
    out += &format!(",\"y\":{},\"t\":[{}],\"c\":[{}]", quote(&session.editor), texts.join(","), commands.join(","));
    if !typed.is_empty() {
        out += &format!(",\"k\":[{}]", typed.join(","));
    }
    if let Some(lab) = &session.lab {
        out += &format!(",\"lab\":{{\"id\":{},\"from\":{}}}", quote(&lab.id), lab.from);
    }
    out + "}"
}

/// A JSON string literal.
fn quote(s: &str) -> String {
    Value::from(s).to_string()
}

/// Field `key` of the wire object, read by `read`; `None` when absent (or null, for `l`).
fn field<'a, T>(wire: &'a serde_json::Map<String, Value>, key: &str, read: impl Fn(&'a Value) -> Option<T>) -> Result<Option<T>, String> {
    match wire.get(key) {
        None => Ok(None),
        Some(v) => read(v).map(Some).ok_or_else(|| format!("invalid type for field `{key}`")),
    }
}

fn required<T>(v: Result<Option<T>, String>, key: &str) -> Result<T, String> {
    v?.ok_or_else(|| format!("missing field `{key}`"))
}

fn strings(v: &Value) -> Option<Vec<String>> {
    v.as_array()?.iter().map(|t| t.as_str().map(str::to_string)).collect()
}

fn indices(v: &Value) -> Option<Vec<usize>> {
    v.as_array()?.iter().map(|i| usize::try_from(i.as_u64()?).ok()).collect()
}

/// `[at, line, text index or null]`.
fn command(v: &Value) -> Option<(u64, String, Option<usize>)> {
    match v.as_array()?.as_slice() {
        [at, line, text] => {
            let text = if text.is_null() { None } else { Some(usize::try_from(text.as_u64()?).ok()?) };
            Some((at.as_u64()?, line.as_str()?.to_string(), text))
        }
        _ => None,
    }
}

/// Reads a session; anything malformed, oversized or out of range is refused with a reason.
pub fn from_json(json: &str) -> Result<Session, String> {
    if json.len() > 4 * MAX_TEXT + MAX_COMMANDS * MAX_LINE {
        return Err("too large".into());
    }
    let value: Value = serde_json::from_str(json).map_err(|e| e.to_string())?;
    let wire = value.as_object().ok_or("not a session object")?;
    let version = required(field(wire, "v", Value::as_u64), "v")?;
    let seed = required(field(wire, "s", Value::as_u64), "s")?;
    let head = field(wire, "h", Value::as_u64)?.unwrap_or(0);
    let lang = field(wire, "l", |v| if v.is_null() { Some(None) } else { v.as_str().map(|s| Some(s.to_string())) })?.flatten();
    let editor = required(field(wire, "y", |v| v.as_str().map(str::to_string)), "y")?;
    let texts = field(wire, "t", strings)?.unwrap_or_default();
    let lines = field(wire, "c", |v| v.as_array()?.iter().map(command).collect::<Option<Vec<_>>>())?.unwrap_or_default();
    let typed = field(wire, "k", indices)?.unwrap_or_default();
    let lab = field(wire, "lab", |v| {
        let id = v.get("id")?.as_str()?;
        let from = usize::try_from(v.get("from")?.as_u64()?).unwrap_or(usize::MAX);
        // Lab ids are short words; a link cannot smuggle a long text in here.
        (id.len() <= 200).then(|| LabMark { id: id.to_string(), from })
    })?;
    if version != 1 {
        return Err(format!("unknown version {version}"));
    }
    if editor.len() > MAX_TEXT || texts.iter().any(|t| t.len() > MAX_TEXT) || texts.len() > MAX_COMMANDS {
        return Err("text too long".into());
    }
    if lines.len() > MAX_COMMANDS || typed.len() > lines.len() {
        return Err("too many commands".into());
    }
    let typed: std::collections::HashSet<usize> = typed.into_iter().collect();
    let mut commands = Vec::with_capacity(lines.len());
    let mut last = 0;
    for (i, (at, line, text)) in lines.into_iter().enumerate() {
        if line.len() > MAX_LINE || line.contains('\n') {
            return Err("command line too long".into());
        }
        if at < last {
            return Err("command times out of order".into());
        }
        if at > MAX_HEAD_MS {
            // Saved before the clock stopped at a day: keep everything up to it.
            break;
        }
        last = at;
        let stdin = match text {
            None => None,
            Some(i) => Some(texts.get(i).cloned().ok_or("bad text index")?),
        };
        commands.push(Command { at, line, stdin, typed: typed.contains(&i) });
    }
    // The lab began at one of the session's commands, or after the last.
    if lab.as_ref().is_some_and(|l| l.from > commands.len()) {
        return Err("lab starts after the last command".into());
    }
    Ok(Session { seed, editor, commands, head: head.min(MAX_HEAD_MS), lang, lab })
}

/// The part of a link after `#`.
pub fn to_fragment(session: &Session) -> String {
    format!("{PREFIX}{}", base64url_encode(to_json(session).as_bytes()))
}

/// Reads a link's fragment (with or without the leading `#`). `None` when it holds no session.
pub fn from_fragment(fragment: &str) -> Option<Result<Session, String>> {
    let fragment = fragment.strip_prefix('#').unwrap_or(fragment);
    let data = fragment.strip_prefix(PREFIX)?;
    if data.len() > MAX_FRAGMENT {
        return Some(Err("link too long".into()));
    }
    let bytes = match base64url_decode(data) {
        Some(b) => b,
        None => return Some(Err("not base64url".into())),
    };
    let text = match String::from_utf8(bytes) {
        Ok(t) => t,
        Err(_) => return Some(Err("not UTF-8".into())),
    };
    Some(from_json(&text))
}

pub fn base64url_encode(bytes: &[u8]) -> String {
    BASE64URL.encode(bytes)
}

pub fn base64url_decode(text: &str) -> Option<Vec<u8>> {
    // A link pasted through a chat client sometimes gains `=` at its end, and a hand-made one
    // (`base64 -w0 lab.yaml`, as the README shows for lab links) uses the standard alphabet.
    let text: String = text.trim_end_matches('=').chars().map(|c| match c {
        '+' => '-',
        '/' => '_',
        c => c,
    }).collect();
    BASE64URL.decode(text).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lecture() -> Session {
        let yaml = "apiVersion: v1\nkind: Service\nmetadata:\n  name: nginx # 한국어 주석\n".to_string();
        Session {
            seed: 42,
            editor: yaml.clone(),
            commands: vec![
                Command { at: 0, line: "kubectl apply -f -".into(), stdin: Some(yaml.clone()), typed: false },
                Command { at: 9_000, line: "kubectl scale sts web --replicas=5".into(), stdin: None, typed: true },
                Command { at: 20_000, line: "kubectl apply -f -".into(), stdin: Some(yaml), typed: false },
            ],
            head: 31_000,
            lang: Some("ko".into()),
            lab: Some(LabMark { id: "scaling".into(), from: 1 }),
        }
    }

    #[test]
    fn a_link_reproduces_the_session() {
        let session = lecture();
        let fragment = to_fragment(&session);
        assert!(fragment.starts_with("s="));
        assert!(fragment[2..].bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_'), "URL-safe, unpadded");
        assert_eq!(from_fragment(&format!("#{fragment}")), Some(Ok(session.clone())));
        // The editor text applied twice is carried once.
        assert_eq!(to_json(&session).matches("한국어").count(), 2, "editor + one shared stdin text");
    }

    #[test]
    fn a_fragment_without_a_session_is_not_one() {
        assert_eq!(from_fragment("#lab=abc"), None);
        assert_eq!(from_fragment(""), None);
    }

    #[test]
    fn padding_from_a_chat_client_is_tolerated() {
        let fragment = to_fragment(&lecture());
        assert_eq!(from_fragment(&format!("{fragment}==")), Some(Ok(lecture())));
    }

    #[test]
    fn the_standard_alphabet_reads_too() {
        // `base64` of "??>" is "Pz8+" in the standard alphabet, "Pz8-" in base64url.
        assert_eq!(base64url_decode("Pz8+").as_deref(), Some(&b"??>"[..]));
        assert_eq!(base64url_decode("Pz8-").as_deref(), Some(&b"??>"[..]));
        assert_eq!(base64url_encode(b"??>"), "Pz8-");
    }

    #[test]
    fn damaged_links_are_refused_with_a_reason() {
        assert_eq!(from_fragment("#s=not*base64"), Some(Err("not base64url".into())));
        assert_eq!(from_fragment(&format!("#s={}", base64url_encode(&[0xff, 0xfe]))), Some(Err("not UTF-8".into())));
        assert_eq!(from_fragment(&format!("#s={}", "A".repeat(MAX_FRAGMENT + 1))), Some(Err("link too long".into())));
        let json = to_json(&lecture()).replacen("9000", "99000", 1);
        assert_eq!(from_json(&json), Err("command times out of order".into()));
        let json = to_json(&lecture()).replacen("\"v\":1", "\"v\":2", 1);
        assert_eq!(from_json(&json), Err("unknown version 2".into()));
        let json = to_json(&lecture()).replacen("[0,", "[0,\"x\",7],[0,", 1);
        assert_eq!(from_json(&json), Err("bad text index".into()));
        let json = to_json(&lecture()).replacen("\"from\":1", "\"from\":4", 1);
        assert_eq!(from_json(&json), Err("lab starts after the last command".into()));
        let json = to_json(&lecture()).replacen("\"scaling\"", &format!("\"{}\"", "x".repeat(201)), 1);
        assert_eq!(from_json(&json), Err("invalid type for field `lab`".into()));
        assert!(from_json("{").is_err());
    }

    #[test]
    fn limits_hold() {
        let mut session = lecture();
        session.commands = vec![Command { at: 0, line: "kubectl get pods".into(), stdin: None, typed: true }; MAX_COMMANDS + 1];
        assert_eq!(from_json(&to_json(&session)), Err("too many commands".into()));
        let mut session = lecture();
        session.commands[1].at = MAX_HEAD_MS + 1;
        session.commands[2].at = MAX_HEAD_MS + 1;
        // Commands past a day of virtual time are dropped; the editor and what came before stay.
        let kept = from_json(&to_json(&session)).map(|s| (s.commands.len(), s.editor));
        assert_eq!(kept, Ok((1, session.editor.clone())));
        let mut session = lecture();
        session.head = u64::MAX;
        assert_eq!(from_json(&to_json(&session)).map(|s| s.head), Ok(MAX_HEAD_MS));
    }

    #[test]
    fn the_wire_format_is_unchanged() {
        // As the serde-derived encoder wrote it: field order v s h l y t c k, `l` and `k` only when
        // set; then `lab`, only when set (links made before it read as before).
        let json = to_json(&lecture());
        let yaml = "\"apiVersion: v1\\nkind: Service\\nmetadata:\\n  name: nginx # 한국어 주석\\n\"";
        assert_eq!(json, format!("{{\"v\":1,\"s\":42,\"h\":31000,\"l\":\"ko\",\"y\":{yaml},\"t\":[{yaml}],\"c\":[[0,\"kubectl apply -f -\",0],[9000,\"kubectl scale sts web --replicas=5\",null],[20000,\"kubectl apply -f -\",0]],\"k\":[1],\"lab\":{{\"id\":\"scaling\",\"from\":1}}}}"));
        let mut quiet = lecture();
        quiet.lang = None;
        quiet.lab = None;
        quiet.commands.clear();
        assert_eq!(to_json(&quiet), format!("{{\"v\":1,\"s\":42,\"h\":31000,\"y\":{yaml},\"t\":[],\"c\":[]}}"));
    }

    #[test]
    fn fields_of_the_wrong_type_or_missing_are_named() {
        assert_eq!(from_json(r#"{"v":1,"s":1}"#), Err("missing field `y`".into()));
        assert_eq!(from_json(r#"{"v":1,"s":1,"y":"","c":[[0,"x"]]}"#), Err("invalid type for field `c`".into()));
        assert_eq!(from_json(r#"{"v":1,"s":-1,"y":""}"#), Err("invalid type for field `s`".into()));
        assert_eq!(from_json("[]"), Err("not a session object".into()));
        assert_eq!(from_json(r#"{"v":1,"s":1,"y":"","l":null,"zz":3}"#).map(|s| s.lang), Ok(None));
    }
}

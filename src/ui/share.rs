//! Saving a session (browser storage) and sharing it (a URL fragment), and reading both back
//! defensively: whatever comes in is size-checked, decoded without panicking and validated
//! before it reaches the simulator. No server is involved; the fragment never leaves the browser.
//!
//! Format: JSON `{"v":1,"s":seed,"h":head_ms,"l":"en","y":editor,"t":[texts],"c":[[at,line,text]]}`
//! where `text` is an index into `t` (stdin of `apply -f -`, deduplicated: usually the same YAML
//! as the editor), and `"k":[indices]` lists the commands typed at the console (the others came
//! from buttons); then base64url without padding after `#s=` in a link.

use serde::{Deserialize, Serialize};

use super::sim::{Command, MAX_COMMANDS};

/// The longest fragment a link may carry, in characters.
pub const MAX_FRAGMENT: usize = 48 * 1024;
const MAX_TEXT: usize = 64 * 1024;
const MAX_LINE: usize = 4 * 1024;
/// A day of virtual time: far more than any lab needs.
const MAX_HEAD_MS: u64 = 24 * 3600 * 1000;
pub const STORAGE_KEY: &str = "stslab.session.v1";
const PREFIX: &str = "s=";

/// What a session is made of.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Session {
    pub seed: u64,
    pub editor: String,
    pub commands: Vec<Command>,
    /// The furthest virtual time reached, in ms.
    pub head: u64,
    pub lang: Option<String>,
}

#[derive(Serialize, Deserialize)]
struct Wire {
    v: u32,
    s: u64,
    #[serde(default)]
    h: u64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    l: Option<String>,
    y: String,
    #[serde(default)]
    t: Vec<String>,
    #[serde(default)]
    c: Vec<(u64, String, Option<usize>)>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    k: Vec<usize>,
}

pub fn to_json(session: &Session) -> String {
    let mut texts: Vec<String> = Vec::new();
    let commands = session
        .commands
        .iter()
        .map(|c| {
            let index = c.stdin.as_ref().map(|text| match texts.iter().position(|t| t == text) {
                Some(i) => i,
                None => {
                    texts.push(text.clone());
                    texts.len() - 1
                }
            });
            (c.at, c.line.clone(), index)
        })
        .collect();
    let typed = session.commands.iter().enumerate().filter(|(_, c)| c.typed).map(|(i, _)| i).collect();
    let wire = Wire { v: 1, s: session.seed, h: session.head, l: session.lang.clone(), y: session.editor.clone(), t: texts, c: commands, k: typed };
    serde_json::to_string(&wire).unwrap_or_default()
}

/// Reads a session; anything malformed, oversized or out of range is refused with a reason.
pub fn from_json(json: &str) -> Result<Session, String> {
    if json.len() > 4 * MAX_TEXT + MAX_COMMANDS * MAX_LINE {
        return Err("too large".into());
    }
    let wire: Wire = serde_json::from_str(json).map_err(|e| e.to_string())?;
    if wire.v != 1 {
        return Err(format!("unknown version {}", wire.v));
    }
    if wire.y.len() > MAX_TEXT || wire.t.iter().any(|t| t.len() > MAX_TEXT) || wire.t.len() > MAX_COMMANDS {
        return Err("text too long".into());
    }
    if wire.c.len() > MAX_COMMANDS || wire.k.len() > wire.c.len() {
        return Err("too many commands".into());
    }
    let mut commands = Vec::with_capacity(wire.c.len());
    let mut last = 0;
    for (i, (at, line, text)) in wire.c.into_iter().enumerate() {
        if line.len() > MAX_LINE || line.contains('\n') {
            return Err("command line too long".into());
        }
        if at < last || at > MAX_HEAD_MS {
            return Err("command times out of order".into());
        }
        last = at;
        let stdin = match text {
            None => None,
            Some(i) => Some(wire.t.get(i).cloned().ok_or("bad text index")?),
        };
        commands.push(Command { at, line, stdin, typed: wire.k.contains(&i) });
    }
    Ok(Session { seed: wire.s, editor: wire.y, commands, head: wire.h.min(MAX_HEAD_MS), lang: wire.l })
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

const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

pub fn base64url_encode(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let b = [chunk[0], *chunk.get(1).unwrap_or(&0), *chunk.get(2).unwrap_or(&0)];
        let n = (b[0] as u32) << 16 | (b[1] as u32) << 8 | b[2] as u32;
        let chars = chunk.len() + 1;
        for i in 0..chars {
            out.push(ALPHABET[(n >> (18 - 6 * i) & 63) as usize] as char);
        }
    }
    out
}

pub fn base64url_decode(text: &str) -> Option<Vec<u8>> {
    let text = text.trim_end_matches('=');
    let mut out = Vec::with_capacity(text.len() * 3 / 4);
    let mut acc: u32 = 0;
    let mut bits = 0;
    for c in text.bytes() {
        let v = match c {
            b'A'..=b'Z' => c - b'A',
            b'a'..=b'z' => c - b'a' + 26,
            b'0'..=b'9' => c - b'0' + 52,
            b'-' | b'+' => 62,
            b'_' | b'/' => 63,
            _ => return None,
        };
        acc = (acc << 6) | v as u32;
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((acc >> bits) as u8);
            acc &= (1 << bits) - 1;
        }
    }
    Some(out)
}

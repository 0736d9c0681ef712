//! A small YAML tokenizer for the editor's highlighting layer, one line at a time. It only
//! colours; it never decides whether the YAML is valid (the manifest parser does that).

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tok {
    Plain,
    Key,
    Punct,
    Str,
    Num,
    Bool,
    Comment,
    Doc,
}

impl Tok {
    pub fn class(self) -> &'static str {
        match self {
            Tok::Plain => "",
            Tok::Key => "y-key",
            Tok::Punct => "y-punct",
            Tok::Str => "y-str",
            Tok::Num => "y-num",
            Tok::Bool => "y-bool",
            Tok::Comment => "y-comment",
            Tok::Doc => "y-doc",
        }
    }
}

/// Splits one line into coloured pieces that concatenate back to the line exactly.
pub fn tokens(line: &str) -> Vec<(Tok, &str)> {
    let mut out = Vec::new();
    let trimmed = line.trim_start();
    let indent = line.len() - trimmed.len();
    if indent > 0 {
        out.push((Tok::Plain, &line[..indent]));
    }
    if trimmed.starts_with("---") || trimmed.starts_with("...") {
        out.push((Tok::Doc, trimmed));
        return out;
    }
    let mut rest = trimmed;
    // List dashes: `- `, possibly repeated (`- - a`).
    while rest.starts_with("- ") || rest == "-" {
        let n = if rest == "-" { 1 } else { 2 };
        out.push((Tok::Punct, &rest[..n]));
        rest = &rest[n..];
    }
    if rest.starts_with('#') {
        out.push((Tok::Comment, rest));
        return out;
    }
    // `key:` followed by a space or the end of the line, outside quotes and flow brackets.
    if let Some(colon) = key_colon(rest) {
        out.push((Tok::Key, &rest[..colon]));
        out.push((Tok::Punct, ":"));
        rest = &rest[colon + 1..];
    }
    value(rest, &mut out);
    out
}

fn key_colon(text: &str) -> Option<usize> {
    let first = text.chars().next()?;
    if matches!(first, '[' | '{' | '"' | '\'' | '|' | '>') {
        return None;
    }
    let bytes = text.as_bytes();
    for (i, &b) in bytes.iter().enumerate() {
        match b {
            b'#' if i > 0 && bytes[i - 1] == b' ' => return None,
            b':' if i + 1 == bytes.len() || bytes[i + 1] == b' ' => return Some(i),
            _ => {}
        }
    }
    None
}

fn value<'a>(mut rest: &'a str, out: &mut Vec<(Tok, &'a str)>) {
    while !rest.is_empty() {
        let c = rest.as_bytes()[0];
        let n = match c {
            b' ' => {
                let n = rest.len() - rest.trim_start_matches(' ').len();
                out.push((Tok::Plain, &rest[..n]));
                n
            }
            b'#' => {
                out.push((Tok::Comment, rest));
                rest.len()
            }
            b'"' | b'\'' => {
                let end = closing_quote(rest, c).map(|e| e + 1).unwrap_or(rest.len());
                out.push((Tok::Str, &rest[..end]));
                end
            }
            b'[' | b']' | b'{' | b'}' | b',' | b'|' | b'>' => {
                out.push((Tok::Punct, &rest[..1]));
                1
            }
            _ => {
                let end = rest
                    .char_indices()
                    .find(|&(i, ch)| matches!(ch, ',' | ']' | '}') || (ch == ' ' && rest[i..].starts_with(" #")))
                    .map(|(i, _)| i)
                    .unwrap_or(rest.len())
                    .max(1);
                let end = if rest.is_char_boundary(end) { end } else { rest.len() };
                let word = &rest[..end];
                let core = word.trim_end();
                let tok = match core {
                    "true" | "false" | "True" | "False" | "null" | "~" | "yes" | "no" => Tok::Bool,
                    _ if !core.is_empty() && core.parse::<f64>().is_ok() => Tok::Num,
                    _ => Tok::Str,
                };
                out.push((tok, word));
                end
            }
        };
        rest = &rest[n..];
    }
}

fn closing_quote(text: &str, quote: u8) -> Option<usize> {
    let bytes = text.as_bytes();
    let mut i = 1;
    while i < bytes.len() {
        if bytes[i] == b'\\' && quote == b'"' {
            i += 2;
            continue;
        }
        if bytes[i] == quote {
            return Some(i);
        }
        i += 1;
    }
    None
}

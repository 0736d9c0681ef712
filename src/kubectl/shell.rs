//! The slice of a POSIX shell that kubectl users type around kubectl: quoting, escapes,
//! comments, line continuations, `;`/`&&`/`||` lists, `<<EOF` heredocs, `>`/`>>` redirections,
//! simple `for VAR in WORDS; do ...; done` loops and `$VAR` expansion.
//!
//! The same lexer serves two shells: the student's outer shell (where `$(...)` stays literal,
//! because a real local shell would run it on the laptop, not in the pod) and the tiny `sh -c`
//! that `kubectl exec` runs inside a simulated container (which evaluates `$(...)` itself).

use std::collections::BTreeMap;

/// One piece of a word, remembering how it was quoted so expansion can be done later.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Piece {
    /// Literal text (quotes already removed).
    Lit(String),
    /// `$NAME` / `${NAME}`; `quoted` when it stood inside double quotes.
    Var { name: String, quoted: bool },
    /// `$(...)` with its inner source text; `quoted` when inside double quotes.
    Subst { source: String, quoted: bool },
}

/// A shell word before expansion.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Word {
    pub pieces: Vec<Piece>,
    /// Whether any quoting appeared: `""` is an (empty) word, an unset unquoted `$x` is none.
    pub quoted: bool,
}

impl Word {
    pub fn literal(text: &str) -> Word {
        Word { pieces: vec![Piece::Lit(text.to_string())], quoted: false }
    }

    /// The word's text if it has no expansions at all.
    pub fn as_literal(&self) -> Option<String> {
        let mut s = String::new();
        for p in &self.pieces {
            match p {
                Piece::Lit(t) => s.push_str(t),
                _ => return None,
            }
        }
        Some(s)
    }

    /// Expands variables; `subst` decides what `$(...)` becomes (the outer shell keeps it as
    /// written, the in-pod shell runs it). Returns None when an unquoted expansion vanished.
    pub fn expand(&self, vars: &BTreeMap<String, String>, subst: &mut dyn FnMut(&str) -> String) -> Option<String> {
        let mut s = String::new();
        for p in &self.pieces {
            match p {
                Piece::Lit(t) => s.push_str(t),
                Piece::Var { name, .. } => s.push_str(vars.get(name).map(String::as_str).unwrap_or("")),
                Piece::Subst { source, .. } => s.push_str(&subst(source)),
            }
        }
        if s.is_empty() && !self.quoted {
            None
        } else {
            Some(s)
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RedirectKind {
    /// `>`
    Write,
    /// `>>`
    Append,
    /// `<`
    Read,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Redirect {
    pub kind: RedirectKind,
    pub target: Word,
}

/// A command with its arguments, redirections and heredoc (its standard input).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct SimpleCommand {
    pub words: Vec<Word>,
    pub redirects: Vec<Redirect>,
    /// Heredoc body (already unindented for `<<-`); `expand` when the delimiter was unquoted.
    pub heredoc: Option<Heredoc>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Heredoc {
    pub body: String,
    pub expand: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Connector {
    /// `&&`
    And,
    /// `||`
    Or,
    /// `;` or a newline
    Seq,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Command {
    Simple(SimpleCommand),
    /// `for VAR in WORDS; do BODY; done`
    For { var: String, items: Vec<Word>, body: List },
    /// `A | B`: kept so the caller can say pipes are not simulated.
    Pipe(Vec<Command>),
}

/// Commands joined by connectors: the first runs unconditionally, each next one according to
/// its connector and the previous exit status.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct List {
    pub items: Vec<(Connector, Command)>,
}

/// One logical line of a script: what to echo in a transcript and what to run.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    pub echo: String,
    pub list: List,
    /// 1-based line where the entry starts.
    pub line: usize,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ParseError {
    /// Unterminated quote, heredoc, loop or trailing `\`/`&&`: more input would complete it.
    Incomplete(String),
    /// A syntax error, worded like bash's.
    Syntax(String),
}

impl ParseError {
    pub fn message(&self) -> String {
        match self {
            ParseError::Incomplete(what) => format!("syntax error: unexpected end of file ({what})"),
            ParseError::Syntax(m) => m.clone(),
        }
    }
}

const HEREDOC_OPEN: &str = "here-document delimited by `";

fn heredoc_incomplete(delim: &str) -> ParseError {
    ParseError::Incomplete(format!("{HEREDOC_OPEN}{delim}'"))
}

/// When input stopped inside a heredoc's body: its delimiter. Until a line equal to it
/// arrives, more lines cannot complete the input, so callers need not parse again (pasting a
/// long manifest line by line stays linear, not quadratic).
pub fn open_heredoc(e: &ParseError) -> Option<&str> {
    match e {
        ParseError::Incomplete(what) => what.strip_prefix(HEREDOC_OPEN)?.strip_suffix('\''),
        ParseError::Syntax(_) => None,
    }
}

/// Whether `line` (one line, without its newline) could end a heredoc delimited by `delim`
/// (`<<-` strips leading tabs; a trailing `\r` is ignored).
pub fn may_end_heredoc(line: &str, delim: &str) -> bool {
    let line = line.strip_suffix('\r').unwrap_or(line);
    line.trim_start_matches('\t') == delim
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Tok {
    Word(Word),
    Semi,
    AndAnd,
    OrOr,
    Pipe,
    Amp,
    Redir(RedirectKind),
    /// `<<` or `<<-` with its body already read.
    Heredoc(Heredoc),
    Newline,
}

#[derive(Debug, Clone)]
struct Spanned {
    tok: Tok,
    start: usize,
    end: usize,
    line: usize,
}

struct Lexer<'a> {
    src: &'a str,
    chars: Vec<(usize, char)>,
    pos: usize,
    line: usize,
    /// Heredocs whose bodies start after the current line: (delimiter, strip tabs, token index).
    pending: Vec<(String, bool, usize)>,
    toks: Vec<Spanned>,
    /// Raw body text (with the delimiter line) per heredoc token index, for the transcript echo.
    bodies: BTreeMap<usize, String>,
}

impl<'a> Lexer<'a> {
    fn new(src: &'a str) -> Lexer<'a> {
        Lexer { src, chars: src.char_indices().collect(), pos: 0, line: 1, pending: Vec::new(), toks: Vec::new(), bodies: BTreeMap::new() }
    }

    fn peek(&self) -> Option<char> {
        self.chars.get(self.pos).map(|c| c.1)
    }

    fn peek_at(&self, n: usize) -> Option<char> {
        self.chars.get(self.pos + n).map(|c| c.1)
    }

    fn offset(&self) -> usize {
        self.chars.get(self.pos).map(|c| c.0).unwrap_or(self.src.len())
    }

    fn push(&mut self, tok: Tok, start: usize) {
        let end = self.offset();
        self.toks.push(Spanned { tok, start, end, line: self.line });
    }

    fn run(mut self) -> Result<(Vec<Spanned>, BTreeMap<usize, String>), ParseError> {
        while let Some(c) = self.peek() {
            let start = self.offset();
            match c {
                ' ' | '\t' | '\r' => self.pos += 1,
                '\n' => {
                    self.pos += 1;
                    self.push(Tok::Newline, start);
                    self.line += 1;
                    self.read_heredoc_bodies()?;
                }
                '#' => {
                    while let Some(c) = self.peek() {
                        if c == '\n' {
                            break;
                        }
                        self.pos += 1;
                    }
                }
                '\\' if self.peek_at(1) == Some('\n') => {
                    self.pos += 2;
                    self.line += 1;
                }
                ';' => {
                    self.pos += 1;
                    self.push(Tok::Semi, start);
                }
                '&' => {
                    if self.peek_at(1) == Some('&') {
                        self.pos += 2;
                        self.push(Tok::AndAnd, start);
                    } else {
                        self.pos += 1;
                        self.push(Tok::Amp, start);
                    }
                }
                '|' => {
                    if self.peek_at(1) == Some('|') {
                        self.pos += 2;
                        self.push(Tok::OrOr, start);
                    } else {
                        self.pos += 1;
                        self.push(Tok::Pipe, start);
                    }
                }
                '>' => {
                    if self.peek_at(1) == Some('>') {
                        self.pos += 2;
                        self.push(Tok::Redir(RedirectKind::Append), start);
                    } else {
                        self.pos += 1;
                        self.push(Tok::Redir(RedirectKind::Write), start);
                    }
                }
                '<' => {
                    if self.peek_at(1) == Some('<') {
                        self.pos += 2;
                        let strip = if self.peek() == Some('-') {
                            self.pos += 1;
                            true
                        } else {
                            false
                        };
                        while matches!(self.peek(), Some(' ') | Some('\t')) {
                            self.pos += 1;
                        }
                        let word = self.word()?;
                        let delim = word.pieces.iter().map(piece_source).collect::<String>();
                        if delim.is_empty() {
                            return Err(ParseError::Syntax("syntax error near unexpected token `newline'".into()));
                        }
                        let index = self.toks.len();
                        self.push(Tok::Heredoc(Heredoc { body: String::new(), expand: !word.quoted }), start);
                        self.pending.push((delim, strip, index));
                    } else {
                        self.pos += 1;
                        self.push(Tok::Redir(RedirectKind::Read), start);
                    }
                }
                _ => {
                    let w = self.word()?;
                    self.push(Tok::Word(w), start);
                }
            }
        }
        if let Some((delim, _, _)) = self.pending.first() {
            return Err(heredoc_incomplete(delim));
        }
        Ok((self.toks, self.bodies))
    }

    /// Reads the bodies of heredocs opened on the line just ended.
    fn read_heredoc_bodies(&mut self) -> Result<(), ParseError> {
        let pending = std::mem::take(&mut self.pending);
        for (delim, strip, index) in pending {
            let mut body = String::new();
            let mut raw = String::new();
            loop {
                if self.pos >= self.chars.len() {
                    return Err(heredoc_incomplete(&delim));
                }
                let start = self.offset();
                while let Some(c) = self.peek() {
                    self.pos += 1;
                    if c == '\n' {
                        break;
                    }
                }
                let end = self.offset();
                let line_with_nl = self.src.get(start..end).unwrap_or("");
                self.line += 1;
                raw.push_str(line_with_nl);
                let line = line_with_nl.strip_suffix('\n').unwrap_or(line_with_nl);
                let line = line.strip_suffix('\r').unwrap_or(line);
                let line = if strip { line.trim_start_matches('\t') } else { line };
                if line == delim {
                    break;
                }
                body.push_str(line);
                body.push('\n');
            }
            if let Some(Spanned { tok: Tok::Heredoc(h), .. }) = self.toks.get_mut(index) {
                h.body = body;
            }
            self.bodies.insert(index, raw.trim_end_matches('\n').to_string());
        }
        Ok(())
    }

    fn word(&mut self) -> Result<Word, ParseError> {
        let mut w = Word::default();
        let mut lit = String::new();
        fn flush(w: &mut Word, lit: &mut String) {
            if !lit.is_empty() {
                w.pieces.push(Piece::Lit(std::mem::take(lit)));
            }
        }
        while let Some(c) = self.peek() {
            match c {
                ' ' | '\t' | '\r' | '\n' | ';' | '&' | '|' | '<' | '>' => break,
                '\\' => {
                    self.pos += 1;
                    match self.peek() {
                        Some('\n') => {
                            self.pos += 1;
                            self.line += 1;
                        }
                        Some(c) => {
                            lit.push(c);
                            self.pos += 1;
                            w.quoted = true;
                        }
                        None => return Err(ParseError::Incomplete("`\\' at end of input".into())),
                    }
                }
                '\'' => {
                    w.quoted = true;
                    self.pos += 1;
                    loop {
                        match self.peek() {
                            None => return Err(ParseError::Incomplete("unexpected EOF while looking for matching `''".into())),
                            Some('\'') => {
                                self.pos += 1;
                                break;
                            }
                            Some(c) => {
                                if c == '\n' {
                                    self.line += 1;
                                }
                                lit.push(c);
                                self.pos += 1;
                            }
                        }
                    }
                }
                '"' => {
                    w.quoted = true;
                    self.pos += 1;
                    loop {
                        match self.peek() {
                            None => return Err(ParseError::Incomplete("unexpected EOF while looking for matching `\"'".into())),
                            Some('"') => {
                                self.pos += 1;
                                break;
                            }
                            Some('\\') => {
                                self.pos += 1;
                                match self.peek() {
                                    Some(c @ ('"' | '\\' | '$' | '`')) => {
                                        lit.push(c);
                                        self.pos += 1;
                                    }
                                    Some('\n') => {
                                        self.pos += 1;
                                        self.line += 1;
                                    }
                                    _ => lit.push('\\'),
                                }
                            }
                            Some('$') => {
                                flush(&mut w, &mut lit);
                                if let Some(p) = self.dollar(true)? {
                                    w.pieces.push(p);
                                } else {
                                    lit.push('$');
                                }
                            }
                            Some(c) => {
                                if c == '\n' {
                                    self.line += 1;
                                }
                                lit.push(c);
                                self.pos += 1;
                            }
                        }
                    }
                }
                '$' => {
                    flush(&mut w, &mut lit);
                    if let Some(p) = self.dollar(false)? {
                        w.pieces.push(p);
                    } else {
                        lit.push('$');
                    }
                }
                c => {
                    lit.push(c);
                    self.pos += 1;
                }
            }
        }
        flush(&mut w, &mut lit);
        Ok(w)
    }

    /// At a `$`: reads `$NAME`, `${NAME}` or `$(...)`; None (cursor past `$`) for a lone `$`.
    fn dollar(&mut self, quoted: bool) -> Result<Option<Piece>, ParseError> {
        self.pos += 1;
        match self.peek() {
            Some('(') => {
                self.pos += 1;
                let start = self.offset();
                let mut depth = 1;
                let mut in_single = false;
                loop {
                    match self.peek() {
                        None => return Err(ParseError::Incomplete("unexpected EOF while looking for matching `)'".into())),
                        Some(c) => {
                            self.pos += 1;
                            match c {
                                '\'' => in_single = !in_single,
                                '(' if !in_single => depth += 1,
                                ')' if !in_single => {
                                    depth -= 1;
                                    if depth == 0 {
                                        break;
                                    }
                                }
                                '\n' => self.line += 1,
                                _ => {}
                            }
                        }
                    }
                }
                let end = self.chars.get(self.pos - 1).map(|c| c.0).unwrap_or(self.src.len());
                Ok(Some(Piece::Subst { source: self.src.get(start..end).unwrap_or("").to_string(), quoted }))
            }
            Some('{') => {
                self.pos += 1;
                let mut name = String::new();
                loop {
                    match self.peek() {
                        None => return Err(ParseError::Incomplete("unexpected EOF while looking for matching `}'".into())),
                        Some('}') => {
                            self.pos += 1;
                            break;
                        }
                        Some(c) => {
                            name.push(c);
                            self.pos += 1;
                        }
                    }
                }
                Ok(Some(Piece::Var { name, quoted }))
            }
            Some(c) if c == '_' || c.is_ascii_alphabetic() => {
                let mut name = String::new();
                while let Some(c) = self.peek() {
                    if c == '_' || c.is_ascii_alphanumeric() {
                        name.push(c);
                        self.pos += 1;
                    } else {
                        break;
                    }
                }
                Ok(Some(Piece::Var { name, quoted }))
            }
            Some(c @ ('?' | '#' | '0'..='9')) => {
                self.pos += 1;
                Ok(Some(Piece::Var { name: c.to_string(), quoted }))
            }
            _ => Ok(None),
        }
    }
}

/// How a piece was written, for echoing heredoc delimiters.
fn piece_source(p: &Piece) -> String {
    match p {
        Piece::Lit(t) => t.clone(),
        Piece::Var { name, .. } => format!("${name}"),
        Piece::Subst { source, .. } => format!("$({source})"),
    }
}

struct Parser {
    toks: Vec<Spanned>,
    pos: usize,
}

impl Parser {
    fn peek(&self) -> Option<&Tok> {
        self.toks.get(self.pos).map(|s| &s.tok)
    }

    fn skip_newlines(&mut self) {
        while matches!(self.peek(), Some(Tok::Newline)) {
            self.pos += 1;
        }
    }

    fn is_keyword(&self, kw: &str) -> bool {
        matches!(self.peek(), Some(Tok::Word(w)) if w.as_literal().as_deref() == Some(kw) && !w.quoted)
    }

    /// A list up to a newline (top level) or up to one of `stop` keywords (inside loops).
    fn list(&mut self, stop: &[&str], multiline: bool) -> Result<List, ParseError> {
        let mut list = List::default();
        let mut connector = Connector::Seq;
        loop {
            if multiline {
                self.skip_newlines();
            }
            if stop.iter().any(|k| self.is_keyword(k)) {
                if connector != Connector::Seq {
                    return Err(ParseError::Syntax(format!("syntax error near unexpected token `{}'", stop.first().unwrap_or(&""))));
                }
                break;
            }
            match self.peek() {
                None => {
                    if connector != Connector::Seq || multiline {
                        let what = if multiline { "expected `done'" } else { "command expected after `&&' or `||'" };
                        return Err(ParseError::Incomplete(what.into()));
                    }
                    break;
                }
                Some(Tok::Newline) => {
                    if connector != Connector::Seq {
                        // `a &&` followed by a newline continues on the next line, as in bash.
                        self.pos += 1;
                        continue;
                    }
                    break;
                }
                _ => {}
            }
            let cmd = self.pipeline()?;
            list.items.push((connector, cmd));
            match self.peek() {
                Some(Tok::Semi) => {
                    self.pos += 1;
                    connector = Connector::Seq;
                }
                Some(Tok::AndAnd) => {
                    self.pos += 1;
                    connector = Connector::And;
                }
                Some(Tok::OrOr) => {
                    self.pos += 1;
                    connector = Connector::Or;
                }
                Some(Tok::Amp) => {
                    return Err(ParseError::Syntax("background jobs (`&') are not simulated: run the command on its own line".into()));
                }
                _ => connector = Connector::Seq,
            }
        }
        Ok(list)
    }

    fn pipeline(&mut self) -> Result<Command, ParseError> {
        let first = self.command()?;
        if !matches!(self.peek(), Some(Tok::Pipe)) {
            return Ok(first);
        }
        let mut parts = vec![first];
        while matches!(self.peek(), Some(Tok::Pipe)) {
            self.pos += 1;
            self.skip_newlines();
            parts.push(self.command()?);
        }
        Ok(Command::Pipe(parts))
    }

    fn command(&mut self) -> Result<Command, ParseError> {
        if self.is_keyword("for") {
            return self.for_loop();
        }
        let mut cmd = SimpleCommand::default();
        loop {
            match self.peek().cloned() {
                Some(Tok::Word(w)) => {
                    self.pos += 1;
                    cmd.words.push(w);
                }
                Some(Tok::Redir(kind)) => {
                    self.pos += 1;
                    match self.peek().cloned() {
                        Some(Tok::Word(target)) => {
                            self.pos += 1;
                            cmd.redirects.push(Redirect { kind, target });
                        }
                        None => return Err(ParseError::Syntax("syntax error near unexpected token `newline'".into())),
                        Some(t) => return Err(ParseError::Syntax(format!("syntax error near unexpected token `{}'", tok_text(&t)))),
                    }
                }
                Some(Tok::Heredoc(h)) => {
                    self.pos += 1;
                    cmd.heredoc = Some(h);
                }
                _ => break,
            }
        }
        if cmd.words.is_empty() && cmd.redirects.is_empty() && cmd.heredoc.is_none() {
            let t = self.peek().map(tok_text).unwrap_or_else(|| "newline".into());
            return Err(ParseError::Syntax(format!("syntax error near unexpected token `{t}'")));
        }
        Ok(Command::Simple(cmd))
    }

    fn for_loop(&mut self) -> Result<Command, ParseError> {
        self.pos += 1; // `for`
        let var = match self.peek().cloned() {
            Some(Tok::Word(w)) => {
                self.pos += 1;
                w.as_literal().filter(|v| !v.is_empty() && v.chars().all(|c| c == '_' || c.is_ascii_alphanumeric())).ok_or_else(
                    || ParseError::Syntax(format!("`{}': not a valid identifier", w.pieces.iter().map(piece_source).collect::<String>())),
                )?
            }
            None => return Err(ParseError::Incomplete("expected a variable after `for'".into())),
            Some(t) => return Err(ParseError::Syntax(format!("syntax error near unexpected token `{}'", tok_text(&t)))),
        };
        let mut items = Vec::new();
        if self.is_keyword("in") {
            self.pos += 1;
            while let Some(Tok::Word(w)) = self.peek().cloned() {
                if w.as_literal().as_deref() == Some("do") && !w.quoted {
                    break;
                }
                self.pos += 1;
                items.push(w);
            }
        }
        if matches!(self.peek(), Some(Tok::Semi)) {
            self.pos += 1;
        }
        self.skip_newlines();
        if self.peek().is_none() {
            return Err(ParseError::Incomplete("expected `do'".into()));
        }
        if !self.is_keyword("do") {
            let t = self.peek().map(tok_text).unwrap_or_default();
            return Err(ParseError::Syntax(format!("syntax error near unexpected token `{t}'")));
        }
        self.pos += 1;
        let body = self.list(&["done"], true)?;
        if !self.is_keyword("done") {
            return Err(ParseError::Incomplete("expected `done'".into()));
        }
        self.pos += 1;
        Ok(Command::For { var, items, body })
    }
}

fn tok_text(t: &Tok) -> String {
    match t {
        Tok::Word(w) => w.pieces.iter().map(piece_source).collect(),
        Tok::Semi => ";".into(),
        Tok::AndAnd => "&&".into(),
        Tok::OrOr => "||".into(),
        Tok::Pipe => "|".into(),
        Tok::Amp => "&".into(),
        Tok::Redir(RedirectKind::Write) => ">".into(),
        Tok::Redir(RedirectKind::Append) => ">>".into(),
        Tok::Redir(RedirectKind::Read) => "<".into(),
        Tok::Heredoc(_) => "<<".into(),
        Tok::Newline => "newline".into(),
    }
}

/// Splits a script into entries (logical lines), each with the text to echo in a transcript.
pub fn parse_script(src: &str) -> Result<Vec<Entry>, (usize, ParseError)> {
    let (toks, bodies) = Lexer::new(src).run().map_err(|e| (count_lines(src), e))?;
    let mut parser = Parser { toks, pos: 0 };
    let mut entries = Vec::new();
    loop {
        parser.skip_newlines();
        let Some(first) = parser.toks.get(parser.pos) else { break };
        let (start, line) = (first.start, first.line);
        let first_index = parser.pos;
        let list = parser.list(&[], false).map_err(|e| (line, e))?;
        if let Some(t) = parser.toks.get(parser.pos) {
            if !matches!(t.tok, Tok::Newline) {
                return Err((t.line, ParseError::Syntax(format!("syntax error near unexpected token `{}'", tok_text(&t.tok)))));
            }
        }
        let last_index = parser.pos.saturating_sub(1);
        let end = parser.toks.get(last_index).map(|t| t.end).unwrap_or(start);
        let mut echo = src.get(start..end).unwrap_or("").trim_end().to_string();
        for (i, raw) in bodies.range(first_index..=last_index) {
            let _ = i;
            echo.push('\n');
            echo.push_str(raw);
        }
        entries.push(Entry { echo, list, line });
    }
    Ok(entries)
}

fn count_lines(src: &str) -> usize {
    src.lines().count().max(1)
}

/// Parses one command line (as `sh -c` receives it), without transcript bookkeeping.
pub fn parse_line(src: &str) -> Result<List, ParseError> {
    let entries = parse_script(src).map_err(|(_, e)| e)?;
    let mut list = List::default();
    for e in entries {
        for (i, item) in e.list.items.into_iter().enumerate() {
            let c = if i == 0 { Connector::Seq } else { item.0 };
            list.items.push((c, item.1));
        }
    }
    Ok(list)
}

/// Splits a command line into plain words (quotes removed, `$...` kept as written): what a
/// completion or a quick test needs.
pub fn split_words(src: &str) -> Result<Vec<String>, ParseError> {
    let list = parse_line(src)?;
    let mut out = Vec::new();
    for (_, cmd) in list.items {
        if let Command::Simple(c) = cmd {
            for w in c.words {
                out.push(w.pieces.iter().map(|p| match p {
                    Piece::Lit(t) => t.clone(),
                    other => piece_source(other),
                }).collect());
            }
        }
    }
    Ok(out)
}

/// `NAME=value` read as a variable assignment: a valid name before the first `=`.
pub fn assignment(word: &str) -> Option<(&str, &str)> {
    let (name, value) = word.split_once('=')?;
    let mut chars = name.chars();
    let first = chars.next()?;
    ((first.is_ascii_alphabetic() || first == '_') && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')).then_some((name, value))
}

/// The shell builtins that set and clear variables, shared by both shells: a line of only
/// assignments, `export NAME=value`, `unset NAME`. Each change goes to `set` (`None` clears the
/// name). Returns whether `words` was one of them; leading assignments before a command are
/// dropped from `words` (they would only reach that command's environment).
pub fn set_variables(words: &mut Vec<String>, mut set: impl FnMut(&str, Option<&str>)) -> bool {
    let leading = words.iter().take_while(|w| assignment(w).is_some()).count();
    let assign = |ws: &[String], set: &mut dyn FnMut(&str, Option<&str>)| {
        for (n, v) in ws.iter().filter_map(|w| assignment(w)) {
            set(n, Some(v));
        }
    };
    if leading == words.len() {
        assign(words, &mut set);
        return true;
    }
    words.drain(..leading);
    match words.first().map(String::as_str) {
        Some("export") => assign(&words[1..], &mut set),
        Some("unset") => words[1..].iter().for_each(|w| set(w, None)),
        _ => return false,
    }
    true
}

/// Quotes a word for echoing so that the shell would read it back unchanged.
pub fn quote(word: &str) -> String {
    if !word.is_empty() && word.chars().all(|c| c.is_ascii_alphanumeric() || "-_./=:,@%+".contains(c)) {
        word.to_string()
    } else {
        format!("'{}'", word.replace('\'', "'\\''"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(src: &str) -> Vec<String> {
        split_words(src).unwrap_or_default()
    }

    #[test]
    fn quoting_and_escapes() {
        assert_eq!(words(r#"kubectl exec "web-0" -- sh -c 'echo "$(hostname)" > /x'"#), vec![
            "kubectl", "exec", "web-0", "--", "sh", "-c", r#"echo "$(hostname)" > /x"#
        ]);
        assert_eq!(words(r#"a\ b "c\"d" 'e\f'"#), vec!["a b", "c\"d", "e\\f"]);
        assert_eq!(words("kubectl get pods # a comment"), vec!["kubectl", "get", "pods"]);
        assert_eq!(words("kubectl get \\\n pods"), vec!["kubectl", "get", "pods"]);
        assert_eq!(words(r#"kubectl patch sts web -p='{"spec":{"replicas":3}}'"#)[4], "-p={\"spec\":{\"replicas\":3}}");
    }

    #[test]
    fn incomplete_input_is_reported() {
        assert!(matches!(parse_script("echo 'abc"), Err((_, ParseError::Incomplete(_)))));
        assert!(matches!(parse_script("kubectl apply -f - <<EOF\nfoo\n"), Err((_, ParseError::Incomplete(_)))));
        assert!(matches!(parse_script("for i in 0 1; do echo $i"), Err((_, ParseError::Incomplete(_)))));
        assert!(matches!(parse_script("a &&"), Err((_, ParseError::Incomplete(_)))));
    }

    #[test]
    fn open_heredoc_names_its_delimiter() {
        let Err((_, e)) = parse_script("kubectl apply -f - <<'EOF'\nfoo\n") else { panic!("complete") };
        assert_eq!(open_heredoc(&e), Some("EOF"));
        let Err((_, e)) = parse_script("echo 'abc\n") else { panic!("complete") };
        assert_eq!(open_heredoc(&e), None);
        assert!(may_end_heredoc("EOF\r", "EOF") && may_end_heredoc("\t\tEOF", "EOF"));
        assert!(!may_end_heredoc(" EOF", "EOF"));
    }

    #[test]
    fn heredocs() {
        let s = "kubectl apply -f - <<EOF\napiVersion: v1\n  kind: x\nEOF\nkubectl get pods\n";
        let e = parse_script(s).unwrap_or_default();
        assert_eq!(e.len(), 2);
        assert_eq!(e[0].echo, "kubectl apply -f - <<EOF\napiVersion: v1\n  kind: x\nEOF");
        let Command::Simple(c) = &e[0].list.items[0].1 else { panic!("simple") };
        assert_eq!(c.heredoc, Some(Heredoc { body: "apiVersion: v1\n  kind: x\n".into(), expand: true }));
        assert_eq!(e[1].line, 5);
        let s = "cat <<-'END'\n\tkeep $x\n\tEND\n";
        let e = parse_script(s).unwrap_or_default();
        let Command::Simple(c) = &e[0].list.items[0].1 else { panic!("simple") };
        assert_eq!(c.heredoc, Some(Heredoc { body: "keep $x\n".into(), expand: false }));
    }

    #[test]
    fn for_loops_and_lists() {
        let e = parse_script("for i in 0 1; do kubectl exec \"web-$i\" -- sh -c 'hostname'; done\n").unwrap_or_default();
        assert_eq!(e.len(), 1);
        let Command::For { var, items, body } = &e[0].list.items[0].1 else { panic!("for") };
        assert_eq!(var, "i");
        assert_eq!(items.len(), 2);
        assert_eq!(body.items.len(), 1);
        let e = parse_script("for i in 0 1\ndo\n  echo $i\ndone\necho x && echo y || echo z").unwrap_or_default();
        assert_eq!(e.len(), 2);
        assert_eq!(e[1].list.items.iter().map(|i| i.0).collect::<Vec<_>>(), vec![Connector::Seq, Connector::And, Connector::Or]);
    }

    #[test]
    fn expansion() {
        let mut vars = BTreeMap::new();
        vars.insert("i".to_string(), "1".to_string());
        let e = parse_line("x \"web-$i\" $unset \"$(hostname)\" ${i}0").unwrap_or_default();
        let Command::Simple(c) = &e.items[0].1 else { panic!("simple") };
        let mut keep = |s: &str| format!("$({s})");
        let out: Vec<Option<String>> = c.words.iter().map(|w| w.expand(&vars, &mut keep)).collect();
        assert_eq!(out, vec![Some("x".into()), Some("web-1".into()), None, Some("$(hostname)".into()), Some("10".into())]);
    }

    #[test]
    fn redirections() {
        let l = parse_line("echo hi >> /a/b && cat /a/b").unwrap_or_default();
        let Command::Simple(c) = &l.items[0].1 else { panic!("simple") };
        assert_eq!(c.redirects.len(), 1);
        assert_eq!(c.redirects[0].kind, RedirectKind::Append);
        assert!(parse_line("echo >").is_err());
    }
}

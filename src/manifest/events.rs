//! YAML events with their positions, from libyaml (the `unsafe-libyaml` crate serde_yaml is
//! built on, so it costs no extra download and agrees with serde_yaml on what is valid YAML).
//!
//! serde_yaml does not expose node positions, and the editor needs the line and column of every
//! node. This is the only file with `unsafe`: a thin, owning wrapper around libyaml's parser.

use std::mem::MaybeUninit;
use unsafe_libyaml as yaml_sys_unsafe;

/// 1-based line and column (in characters) from the start of the whole text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Mark {
    pub line: u32,
    pub column: u32,
    /// Byte offset from the start of the text.
    pub index: usize,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Style {
    Plain,
    Quoted,
    Block,
}

#[derive(Debug)]
pub enum Event {
    StreamStart,
    DocumentStart,
    DocumentEnd,
    Alias {
        anchor: String,
    },
    Scalar {
        anchor: Option<String>,
        tag: Option<String>,
        value: String,
        style: Style,
    },
    SequenceStart {
        anchor: Option<String>,
    },
    SequenceEnd,
    MappingStart {
        anchor: Option<String>,
    },
    MappingEnd,
    StreamEnd,
}

/// A libyaml parser over borrowed text. Dropping it frees libyaml's buffers.
pub struct Parser<'a> {
    sys: Box<MaybeUninit<yaml_sys_unsafe::yaml_parser_t>>,
    _input: &'a [u8],
    failed: bool,
    done: bool,
}

impl<'a> Parser<'a> {
    pub fn new(input: &'a str) -> Parser<'a> {
        let mut boxed = Box::new(MaybeUninit::<yaml_sys_unsafe::yaml_parser_t>::zeroed());
        let bytes = input.as_bytes();
        // SAFETY: the parser lives in a stable heap allocation; libyaml keeps a pointer to
        // `bytes`, which outlives the parser through the `'a` borrow.
        let ok = unsafe {
            let parser = boxed.as_mut_ptr();
            if yaml_sys_unsafe::yaml_parser_initialize(parser).fail {
                false
            } else {
                yaml_sys_unsafe::yaml_parser_set_encoding(parser, yaml_sys_unsafe::YAML_UTF8_ENCODING);
                yaml_sys_unsafe::yaml_parser_set_input_string(parser, bytes.as_ptr(), bytes.len() as u64);
                true
            }
        };
        Parser {
            sys: boxed,
            _input: bytes,
            failed: !ok,
            done: false,
        }
    }

    /// The next event and where it starts, or `Err(())` on a syntax error: a paste's message
    /// is then serde_yaml's (the caller asks it), a patch's `go_yaml_error`.
    pub fn next_event(&mut self) -> Result<(Event, Mark), ()> {
        if self.failed {
            return Err(());
        }
        if self.done {
            return Ok((Event::StreamEnd, Mark::default()));
        }
        let mut raw = MaybeUninit::<yaml_sys_unsafe::yaml_event_t>::zeroed();
        // SAFETY: the parser was initialised in `new`; the event is deleted after conversion.
        unsafe {
            let parser = self.sys.as_mut_ptr();
            let event = raw.as_mut_ptr();
            if yaml_sys_unsafe::yaml_parser_parse(parser, event).fail {
                self.failed = true;
                return Err(());
            }
            let start = mark((*event).start_mark);
            let converted = convert(&*event);
            yaml_sys_unsafe::yaml_event_delete(event);
            if matches!(converted, Event::StreamEnd) {
                self.done = true;
            }
            Ok((converted, start))
        }
    }
}

impl Parser<'_> {
    /// After a syntax error, the message go-yaml v2 (under sigs.k8s.io/yaml, which kubectl
    /// reads patches with) gives, without its `yaml: ` prefix: `line N: <problem>`, or just the
    /// problem where it names no line. Its rule, on libyaml's 0-based marks: the problem's line,
    /// one further on for a scanner error (the scanner has not moved past the line yet); else
    /// the context's line; line 0 is not named.
    pub fn go_yaml_error(&self) -> Option<String> {
        if !self.failed {
            return None;
        }
        // SAFETY: the parser was initialised (zeroed at worst) and is only read here; `problem`
        // is null or one of libyaml's static NUL-terminated strings.
        let p = unsafe { &*self.sys.as_ptr() };
        let problem = unsafe { c_string(p.problem.cast()) }.unwrap_or_else(|| "unknown problem parsing YAML content".to_string());
        let line = if p.problem_mark.line != 0 {
            p.problem_mark.line + u64::from(p.error == yaml_sys_unsafe::YAML_SCANNER_ERROR)
        } else {
            p.context_mark.line
        };
        Some(if line != 0 { format!("line {line}: {problem}") } else { problem })
    }
}

impl Drop for Parser<'_> {
    fn drop(&mut self) {
        // SAFETY: `yaml_parser_initialize` zeroes the struct first, and delete tolerates
        // a parser that failed part-way; a zeroed, never-initialised parser has null buffers.
        unsafe { yaml_sys_unsafe::yaml_parser_delete(self.sys.as_mut_ptr()) }
    }
}

fn mark(m: yaml_sys_unsafe::yaml_mark_t) -> Mark {
    Mark {
        line: (m.line as u32).saturating_add(1),
        column: (m.column as u32).saturating_add(1),
        index: m.index as usize,
    }
}

/// SAFETY: `ptr` is null or a NUL-terminated string owned by the event being converted.
unsafe fn c_string(ptr: *const u8) -> Option<String> {
    if ptr.is_null() {
        return None;
    }
    let mut len = 0usize;
    while unsafe { *ptr.add(len) } != 0 {
        len += 1;
    }
    let bytes = unsafe { std::slice::from_raw_parts(ptr, len) };
    Some(String::from_utf8_lossy(bytes).into_owned())
}

/// SAFETY: `e` is an event just produced by `yaml_parser_parse`, not yet deleted.
unsafe fn convert(e: &yaml_sys_unsafe::yaml_event_t) -> Event {
    unsafe {
        match e.type_ {
            yaml_sys_unsafe::YAML_DOCUMENT_START_EVENT => Event::DocumentStart,
            yaml_sys_unsafe::YAML_DOCUMENT_END_EVENT => Event::DocumentEnd,
            yaml_sys_unsafe::YAML_ALIAS_EVENT => Event::Alias {
                anchor: c_string(e.data.alias.anchor).unwrap_or_default(),
            },
            yaml_sys_unsafe::YAML_SCALAR_EVENT => {
                let s = e.data.scalar;
                let bytes = if s.value.is_null() {
                    &[][..]
                } else {
                    std::slice::from_raw_parts(s.value, s.length as usize)
                };
                let style = match s.style {
                    yaml_sys_unsafe::YAML_PLAIN_SCALAR_STYLE => Style::Plain,
                    yaml_sys_unsafe::YAML_LITERAL_SCALAR_STYLE | yaml_sys_unsafe::YAML_FOLDED_SCALAR_STYLE => Style::Block,
                    _ => Style::Quoted,
                };
                Event::Scalar {
                    anchor: c_string(s.anchor),
                    tag: c_string(s.tag),
                    value: String::from_utf8_lossy(bytes).into_owned(),
                    style,
                }
            }
            yaml_sys_unsafe::YAML_SEQUENCE_START_EVENT => Event::SequenceStart {
                anchor: c_string(e.data.sequence_start.anchor),
            },
            yaml_sys_unsafe::YAML_SEQUENCE_END_EVENT => Event::SequenceEnd,
            yaml_sys_unsafe::YAML_MAPPING_START_EVENT => Event::MappingStart {
                anchor: c_string(e.data.mapping_start.anchor),
            },
            yaml_sys_unsafe::YAML_MAPPING_END_EVENT => Event::MappingEnd,
            yaml_sys_unsafe::YAML_STREAM_END_EVENT => Event::StreamEnd,
            // Stream start (and anything unexpected) carries no content.
            _ => Event::StreamStart,
        }
    }
}

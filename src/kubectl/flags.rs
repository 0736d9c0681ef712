//! Flag parsing the way kubectl's cobra/pflag does it: `--name=value`, `--name value`,
//! `-n ns`, `-nns`, `-n=ns`, combined boolean shorthands (`-it`), flags anywhere among the
//! arguments, and `--` ending flag parsing. Errors use pflag's own words, because students
//! paste them into search engines.

use std::collections::BTreeMap;

/// The longest a duration flag (`--timeout`) may wait, in virtual ms: a week, kubectl's own
/// meaning of `--timeout=0` for delete. Longer values are cut to it.
pub const MAX_WAIT_MS: u64 = 7 * 24 * 3600 * 1000;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FlagType {
    Bool,
    Str,
    Int,
    /// A Go duration (`30s`, `1m30s`, `0`).
    Duration,
    /// May be repeated (`-f a.yaml -f b.yaml`); values accumulate.
    StringArray,
    /// A string that may also be given bare (`--dry-run`), meaning this value: pflag's
    /// `NoOptDefVal`. A bare flag never takes the next argument as its value.
    OptStr(&'static str),
}

#[derive(Debug, Clone, Copy)]
pub struct FlagSpec {
    pub long: &'static str,
    pub short: Option<char>,
    pub ty: FlagType,
}

impl FlagType {
    /// The value of the flag given bare (`--wait`, `--dry-run`), if it may be.
    fn bare(self) -> Option<&'static str> {
        match self {
            FlagType::Bool => Some("true"),
            FlagType::OptStr(bare) => Some(bare),
            _ => None,
        }
    }
}

pub const fn flag(long: &'static str, short: Option<char>, ty: FlagType) -> FlagSpec {
    FlagSpec { long, short, ty }
}

/// Flags every kubectl command accepts.
pub const GLOBAL: &[FlagSpec] = &[
    flag("namespace", Some('n'), FlagType::Str),
    flag("context", None, FlagType::Str),
    flag("kubeconfig", None, FlagType::Str),
    flag("cluster", None, FlagType::Str),
    flag("user", None, FlagType::Str),
    flag("request-timeout", None, FlagType::Str),
    flag("v", Some('v'), FlagType::Int),
    flag("help", Some('h'), FlagType::Bool),
];

/// Arguments and flag values after parsing.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Flags {
    pub args: Vec<String>,
    /// Index into `args` where `--` appeared (cobra's ArgsLenAtDash).
    pub dash_at: Option<usize>,
    values: BTreeMap<&'static str, Vec<String>>,
}

impl Flags {
    pub fn has(&self, long: &str) -> bool {
        self.values.contains_key(long)
    }

    pub fn string(&self, long: &str) -> Option<&str> {
        self.values.get(long).and_then(|v| v.last()).map(String::as_str)
    }

    pub fn strings(&self, long: &str) -> Vec<String> {
        self.values.get(long).cloned().unwrap_or_default()
    }

    pub fn bool(&self, long: &str) -> bool {
        self.string(long).map(|v| parse_bool(v).unwrap_or(false)).unwrap_or(false)
    }

    /// A boolean with an explicit default (`--wait` defaults to true).
    pub fn bool_or(&self, long: &str, default: bool) -> bool {
        self.string(long).map(|v| parse_bool(v).unwrap_or(default)).unwrap_or(default)
    }

    pub fn int(&self, long: &str) -> Option<i64> {
        self.string(long).and_then(|v| v.parse().ok())
    }

    /// Duration in milliseconds, at most [`MAX_WAIT_MS`] (a `--timeout=99999999h` must not
    /// make one command simulate centuries of crash-loop restarts and freeze the page).
    pub fn duration_ms(&self, long: &str) -> Option<u64> {
        self.string(long).and_then(|v| parse_duration_ms(v).ok()).map(|ms| ms.min(MAX_WAIT_MS))
    }

    pub fn namespace(&self) -> Option<&str> {
        self.string("namespace")
    }
}

/// The error text for a bad flag, followed by cobra's usage hint.
pub fn usage_error(cmd_path: &str, message: &str) -> String {
    format!("error: {message}\nSee '{cmd_path} --help' for usage.")
}

pub(crate) fn parse_bool(v: &str) -> Option<bool> {
    match v {
        "1" | "t" | "T" | "TRUE" | "true" | "True" => Some(true),
        "0" | "f" | "F" | "FALSE" | "false" | "False" => Some(false),
        _ => None,
    }
}

/// Parses a Go `time.ParseDuration` string into milliseconds (negative values rejected).
pub fn parse_duration_ms(s: &str) -> Result<u64, String> {
    let bad = || format!("time: invalid duration {}", go_quote(s));
    if s == "0" {
        return Ok(0);
    }
    let mut rest = s.strip_prefix('+').unwrap_or(s);
    if rest.is_empty() || rest.starts_with('-') {
        return Err(bad());
    }
    let mut total = 0f64;
    while !rest.is_empty() {
        let num_len = rest.find(|c: char| !(c.is_ascii_digit() || c == '.')).unwrap_or(rest.len());
        if num_len == 0 {
            return Err(bad());
        }
        let (num, tail) = rest.split_at(num_len);
        let value: f64 = num.parse().map_err(|_| bad())?;
        let unit_len = tail.find(|c: char| c.is_ascii_digit() || c == '.').unwrap_or(tail.len());
        let (unit, tail) = tail.split_at(unit_len);
        let factor = match unit {
            "ns" => 1e-6,
            "us" | "µs" => 1e-3,
            "ms" => 1.0,
            "s" => 1000.0,
            "m" => 60_000.0,
            "h" => 3_600_000.0,
            "" => return Err(format!("time: missing unit in duration {}", go_quote(s))),
            _ => return Err(format!("time: unknown unit {} in duration {}", go_quote(unit), go_quote(s))),
        };
        total += value * factor;
        rest = tail;
    }
    Ok(total.round() as u64)
}

/// Go's `%q` for simple strings.
pub fn go_quote(s: &str) -> String {
    format!("{s:?}")
}

fn display_name(spec: &FlagSpec) -> String {
    match spec.short {
        Some(c) => format!("-{c}, --{}", spec.long),
        None => format!("--{}", spec.long),
    }
}

fn check_value(spec: &FlagSpec, value: &str) -> Result<(), String> {
    let problem = match spec.ty {
        FlagType::Bool => parse_bool(value).is_none().then(|| format!("strconv.ParseBool: parsing {}: invalid syntax", go_quote(value))),
        FlagType::Int => value.parse::<i64>().is_err().then(|| format!("strconv.ParseInt: parsing {}: invalid syntax", go_quote(value))),
        FlagType::Duration => parse_duration_ms(value).err(),
        FlagType::Str | FlagType::StringArray | FlagType::OptStr(_) => None,
    };
    match problem {
        Some(p) => Err(format!("invalid argument {} for {} flag: {p}", go_quote(value), go_quote(&display_name(spec)))),
        None => Ok(()),
    }
}

/// Parses `args` against the command's flags plus [`GLOBAL`]. On error returns kubectl's
/// complete message (error line plus usage hint).
pub fn parse(args: &[String], specs: &[FlagSpec], cmd_path: &str) -> Result<Flags, String> {
    let find_long = |name: &str| specs.iter().chain(GLOBAL.iter()).find(|s| s.long == name).copied();
    let find_short = |c: char| specs.iter().chain(GLOBAL.iter()).find(|s| s.short == Some(c)).copied();
    let err = |m: String| usage_error(cmd_path, &m);
    let mut out = Flags::default();
    let set = |out: &mut Flags, spec: FlagSpec, value: String| -> Result<(), String> {
        check_value(&spec, &value).map_err(err)?;
        let entry = out.values.entry(spec.long).or_default();
        if spec.ty != FlagType::StringArray {
            entry.clear();
        }
        entry.push(value);
        Ok(())
    };
    let mut i = 0;
    while let Some(arg) = args.get(i) {
        i += 1;
        if arg == "--" {
            out.dash_at = Some(out.args.len());
            out.args.extend(args.iter().skip(i).cloned());
            break;
        }
        if let Some(body) = arg.strip_prefix("--") {
            let (name, inline) = match body.split_once('=') {
                Some((n, v)) => (n, Some(v.to_string())),
                None => (body, None),
            };
            let Some(spec) = find_long(name) else {
                return Err(err(format!("unknown flag: --{name}")));
            };
            let value = match (inline, spec.ty.bare()) {
                (Some(v), _) => v,
                (None, Some(bare)) => bare.to_string(),
                (None, None) => match args.get(i) {
                    Some(v) => {
                        i += 1;
                        v.clone()
                    }
                    None => return Err(err(format!("flag needs an argument: --{name}"))),
                },
            };
            set(&mut out, spec, value)?;
        } else if arg.len() > 1 && arg.starts_with('-') {
            let shorts: Vec<char> = arg.chars().skip(1).collect();
            let mut j = 0;
            while let Some(&c) = shorts.get(j) {
                j += 1;
                let Some(spec) = find_short(c) else {
                    return Err(err(format!("unknown shorthand flag: '{c}' in {arg}")));
                };
                let rest: String = shorts.iter().skip(j).collect();
                if let Some(bare) = spec.ty.bare() {
                    if let Some(v) = rest.strip_prefix('=') {
                        set(&mut out, spec, v.to_string())?;
                        break;
                    }
                    set(&mut out, spec, bare.to_string())?;
                    continue;
                }
                let value = if let Some(v) = rest.strip_prefix('=') {
                    v.to_string()
                } else if !rest.is_empty() {
                    rest
                } else {
                    match args.get(i) {
                        Some(v) => {
                            i += 1;
                            v.clone()
                        }
                        None => return Err(err(format!("flag needs an argument: '{c}' in -{c}"))),
                    }
                };
                set(&mut out, spec, value)?;
                break;
            }
        } else {
            out.args.push(arg.clone());
        }
    }
    Ok(out)
}

/// Finds the subcommand among leading global flags (`kubectl -n demo get pods`): returns its
/// index in `args`.
pub fn find_command(args: &[String]) -> Option<usize> {
    let mut i = 0;
    while let Some(a) = args.get(i) {
        if let Some(body) = a.strip_prefix("--") {
            let takes_value = GLOBAL.iter().any(|s| s.long == body && s.ty.bare().is_none());
            i += if takes_value { 2 } else { 1 };
        } else if a.len() > 1 && a.starts_with('-') {
            let takes_value = a.chars().count() == 2
                && GLOBAL.iter().any(|s| a.chars().nth(1) == s.short && s.ty.bare().is_none());
            i += if takes_value { 2 } else { 1 };
        } else {
            return Some(i);
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    const SPECS: &[FlagSpec] = &[
        flag("replicas", None, FlagType::Int),
        flag("output", Some('o'), FlagType::Str),
        flag("selector", Some('l'), FlagType::Str),
        flag("stdin", Some('i'), FlagType::Bool),
        flag("tty", Some('t'), FlagType::Bool),
        flag("filename", Some('f'), FlagType::StringArray),
        flag("wait", None, FlagType::Bool),
        flag("timeout", None, FlagType::Duration),
        flag("dry-run", None, FlagType::OptStr("unchanged")),
    ];

    fn p(line: &str) -> Result<Flags, String> {
        let args: Vec<String> = line.split_whitespace().map(str::to_string).collect();
        parse(&args, SPECS, "kubectl get")
    }

    #[test]
    fn forms_of_values() {
        let f = p("sts web --replicas=5 -n demo -ojson -lapp=nginx").unwrap_or_default();
        assert_eq!(f.args, vec!["sts", "web"]);
        assert_eq!(f.int("replicas"), Some(5));
        assert_eq!(f.namespace(), Some("demo"));
        assert_eq!(f.string("output"), Some("json"));
        assert_eq!(f.string("selector"), Some("app=nginx"));
        let f = p("--replicas 5 -o wide -n=demo -f a -f b").unwrap_or_default();
        assert_eq!(f.int("replicas"), Some(5));
        assert_eq!(f.string("output"), Some("wide"));
        assert_eq!(f.namespace(), Some("demo"));
        assert_eq!(f.strings("filename"), vec!["a", "b"]);
    }

    #[test]
    fn booleans_and_dash() {
        let f = p("-it web-0 --wait=false -- sh -c hostname").unwrap_or_default();
        assert!(f.bool("stdin") && f.bool("tty"));
        assert!(!f.bool_or("wait", true));
        assert_eq!(f.dash_at, Some(1));
        assert_eq!(f.args, vec!["web-0", "sh", "-c", "hostname"]);
    }

    #[test]
    fn a_bare_optional_value_leaves_the_next_word_alone() {
        let f = p("--dry-run client -o yaml").unwrap_or_default();
        assert_eq!(f.string("dry-run"), Some("unchanged"));
        assert_eq!(f.args, vec!["client"], "pflag: NoOptDefVal flags take a value only after =");
        assert_eq!(p("--dry-run=server").unwrap_or_default().string("dry-run"), Some("server"));
    }

    #[test]
    fn errors_in_pflag_words() {
        assert_eq!(p("--foo").err().unwrap_or_default(), "error: unknown flag: --foo\nSee 'kubectl get --help' for usage.");
        assert_eq!(p("-x").err().unwrap_or_default(), "error: unknown shorthand flag: 'x' in -x\nSee 'kubectl get --help' for usage.");
        assert_eq!(p("--replicas").err().unwrap_or_default(), "error: flag needs an argument: --replicas\nSee 'kubectl get --help' for usage.");
        assert_eq!(p("-n").err().unwrap_or_default(), "error: flag needs an argument: 'n' in -n\nSee 'kubectl get --help' for usage.");
        assert_eq!(
            p("--replicas=abc").err().unwrap_or_default(),
            "error: invalid argument \"abc\" for \"--replicas\" flag: strconv.ParseInt: parsing \"abc\": invalid syntax\nSee 'kubectl get --help' for usage."
        );
        assert!(p("--timeout=5x").err().unwrap_or_default().contains("time: unknown unit \"x\" in duration \"5x\""));
    }

    #[test]
    fn durations() {
        assert_eq!(parse_duration_ms("1m30s"), Ok(90_000));
        assert_eq!(parse_duration_ms("500ms"), Ok(500));
        assert_eq!(parse_duration_ms("0"), Ok(0));
        assert_eq!(parse_duration_ms("1.5h"), Ok(5_400_000));
        assert!(parse_duration_ms("10").is_err());
    }

    #[test]
    fn leading_global_flags() {
        let args: Vec<String> = "-n demo get pods".split(' ').map(str::to_string).collect();
        assert_eq!(find_command(&args), Some(2));
    }
}

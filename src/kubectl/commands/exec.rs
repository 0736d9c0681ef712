//! Reaching inside pods: `kubectl exec POD -- CMD` with a tiny POSIX-ish shell over the
//! engine's volume file system (hostname, cat, ls, echo, curl and busybox wget of any pod or
//! Service by name or IP, `sh -c` with `$(...)`,
//! `>`/`>>`, `&&`/`||`/`;`), and `kubectl run -i --rm ... busybox -- nslookup NAME`, which
//! answers like busybox 1.28's nslookup from the simulated cluster DNS.

use std::collections::BTreeMap;

use serde_json::Value;

use super::{from_ns, ns_of, parse_flags};
use crate::engine::{DeleteOptions, DnsAnswer, Engine, Kind, Route, Time};
use crate::kubectl::flags::{flag, FlagType::*};
use crate::kubectl::printers::{arr, st};
use crate::kubectl::session::{Attached, Interpreter, Output, PromptStyle};
use crate::kubectl::shell::{self, Command, Connector, RedirectKind};

/// The cluster DNS Service as busybox reports it.
const DNS_IP: &str = "10.96.0.10";
const DNS_NAME: &str = "kube-dns.kube-system.svc.cluster.local";
/// Where nginx serves files from (curl http://localhost/ reads here).
const NGINX_ROOT: &str = "/usr/share/nginx/html";

/// What a command inside a container can see.
struct PodCtx<'a> {
    engine: &'a mut Engine,
    ns: String,
    pod: String,
    hostname: String,
    /// busybox has nslookup and ash-style messages; nginx images do not.
    busybox: bool,
    vars: BTreeMap<String, String>,
    /// The working directory relative paths start from (`cd` moves it).
    cwd: String,
    /// Variables the shell itself set (`X=1`, `export`), which an attached session keeps.
    assigned: BTreeMap<String, String>,
}

/// What fetching a URL from inside a pod came to.
enum Fetch {
    Page { to: Dest, status: &'static str, body: String },
    NoAddress { host: String },
    Refused { to: Dest },
}

/// The name, address and port a fetch connected (or tried to connect) to.
struct Dest {
    host: String,
    ip: String,
    port: i64,
}

/// Result of one in-pod command: stdout, stderr, exit code.
#[derive(Default)]
struct Run {
    out: String,
    err: String,
    code: i32,
}

impl PodCtx<'_> {
    fn not_found(&self, cmd: &str) -> Run {
        let err = if self.busybox { format!("sh: {cmd}: not found\n") } else { format!("sh: 1: {cmd}: not found\n") };
        Run { err, code: 127, ..Run::default() }
    }

    fn run_list(&mut self, list: &shell::List) -> Run {
        let mut total = Run::default();
        let mut status = 0;
        for (conn, cmd) in &list.items {
            let go = match conn {
                Connector::Seq => true,
                Connector::And => status == 0,
                Connector::Or => status != 0,
            };
            if !go {
                continue;
            }
            let r = match cmd {
                Command::Simple(c) => self.run_simple(c),
                Command::For { var, items, body } => {
                    let mut acc = Run::default();
                    let values: Vec<String> = items.iter().filter_map(|w| self.expand(w)).collect();
                    for v in values {
                        self.vars.insert(var.clone(), v);
                        let r = self.run_list(body);
                        acc.out.push_str(&r.out);
                        acc.err.push_str(&r.err);
                        acc.code = r.code;
                    }
                    acc
                }
                Command::Pipe(_) => Run { err: "sh: pipes are not simulated\n".into(), code: 2, ..Run::default() },
            };
            status = r.code;
            total.out.push_str(&r.out);
            total.err.push_str(&r.err);
            total.code = r.code;
        }
        total
    }

    fn expand(&mut self, w: &shell::Word) -> Option<String> {
        let vars = self.vars.clone();
        let mut subst = |src: &str| -> String {
            match shell::parse_line(src) {
                Ok(list) => {
                    let r = self.run_list(&list);
                    r.out.trim_end_matches('\n').to_string()
                }
                Err(_) => String::new(),
            }
        };
        w.expand(&vars, &mut subst)
    }

    fn run_simple(&mut self, c: &shell::SimpleCommand) -> Run {
        let words: Vec<String> = c.words.iter().filter_map(|w| self.expand(w)).collect();
        let mut r = match words.first() {
            Some(_) => self.exec_words(&words),
            None => Run::default(),
        };
        for red in &c.redirects {
            let Some(target) = self.expand(&red.target) else { continue };
            let path = self.abs(&target);
            match red.kind {
                RedirectKind::Write | RedirectKind::Append => {
                    let append = red.kind == RedirectKind::Append;
                    let data = std::mem::take(&mut r.out);
                    if let Err(e) = self.engine.write_file(&self.ns, &self.pod, &path, &data, append) {
                        r.err.push_str(&self.cannot_create(&target, &e));
                        r.code = 2;
                    }
                }
                RedirectKind::Read => {}
            }
        }
        r
    }

    /// `path` from the working directory, `.` and `..` resolved.
    fn abs(&self, path: &str) -> String {
        // Tilde expansion: root's home.
        let path = match path.strip_prefix('~') {
            Some(rest) if rest.is_empty() || rest.starts_with('/') => format!("/root{rest}"),
            _ => path.to_string(),
        };
        let joined = if path.starts_with('/') { path } else { format!("{}/{path}", self.cwd) };
        crate::engine::normalize_container_path(&joined).unwrap_or(joined)
    }

    /// The `cd` builtin: home without an argument; a file is refused. (The simulated file
    /// systems know files, not every directory an image has, so any other path is entered.)
    fn cd(&mut self, to: Option<&str>) -> Run {
        let to = to.unwrap_or("/root");
        let path = self.abs(to);
        if path != "/" && self.engine.read_file(&self.ns, &self.pod, &path).is_ok() {
            let err = if self.busybox { format!("sh: cd: can't cd to {to}: Not a directory\n") } else { format!("sh: 1: cd: can't cd to {to}\n") };
            return Run { err, code: 2, ..Run::default() };
        }
        self.cwd = path;
        Run::default()
    }

    fn cannot_create(&self, target: &str, e: &str) -> String {
        let why = if e.to_ascii_lowercase().contains("read-only") { "Read-only file system" } else { "Directory nonexistent" };
        if self.busybox {
            format!("sh: can't create {target}: nonexistent directory\n")
        } else {
            format!("sh: 1: cannot create {target}: {why}\n")
        }
    }

    fn exec_words(&mut self, words: &[String]) -> Run {
        let mut words = words.to_vec();
        let (vars, assigned) = (&mut self.vars, &mut self.assigned);
        let set = |name: &str, value: Option<&str>| match value {
            Some(v) => {
                vars.insert(name.to_string(), v.to_string());
                assigned.insert(name.to_string(), v.to_string());
            }
            None => {
                vars.remove(name);
                assigned.remove(name);
            }
        };
        if shell::set_variables(&mut words, set) {
            return Run::default();
        }
        let Some(cmd) = words.first() else { return Run::default() };
        let args: Vec<&str> = words.iter().skip(1).map(String::as_str).collect();
        let base = cmd.rsplit('/').next().unwrap_or(cmd);
        match base {
            "hostname" => Run { out: format!("{}\n", self.hostname), ..Run::default() },
            "echo" => {
                let (nl, rest) = match args.first() {
                    Some(&"-n") => (false, args.get(1..).unwrap_or(&[])),
                    _ => (true, &args[..]),
                };
                Run { out: format!("{}{}", rest.join(" "), if nl { "\n" } else { "" }), ..Run::default() }
            }
            "true" | ":" => Run::default(),
            "false" => Run { code: 1, ..Run::default() },
            "pwd" => Run { out: format!("{}\n", self.cwd), ..Run::default() },
            "cd" => self.cd(args.first().copied()),
            "whoami" => Run { out: "root\n".into(), ..Run::default() },
            "cat" => {
                let mut r = Run::default();
                for a in args {
                    match self.engine.read_file(&self.ns, &self.pod, &self.abs(a)) {
                        Ok(text) => r.out.push_str(&text),
                        Err(e) => {
                            let why = if e.contains("directory") && e.contains("Is a") { "Is a directory" } else { "No such file or directory" };
                            r.err.push_str(&if self.busybox { format!("cat: can't open '{a}': {why}\n") } else { format!("cat: {a}: {why}\n") });
                            r.code = 1;
                        }
                    }
                }
                r
            }
            "ls" => {
                let paths: Vec<&str> = args.iter().copied().filter(|a| !a.starts_with('-')).collect();
                let cwd = self.cwd.clone();
                let paths = if paths.is_empty() { vec![cwd.as_str()] } else { paths };
                let mut r = Run::default();
                let many = paths.len() > 1;
                for (i, p) in paths.iter().enumerate() {
                    let abs = self.abs(p);
                    match self.engine.list_dir(&self.ns, &self.pod, &abs) {
                        Ok(names) => {
                            if many {
                                r.out.push_str(&format!("{}{p}:\n", if i > 0 { "\n" } else { "" }));
                            }
                            for n in names {
                                r.out.push_str(&n);
                                r.out.push('\n');
                            }
                        }
                        Err(_) => match self.engine.read_file(&self.ns, &self.pod, &abs) {
                            Ok(_) => r.out.push_str(&format!("{p}\n")),
                            Err(_) => {
                                r.err.push_str(&if self.busybox {
                                    format!("ls: {p}: No such file or directory\n")
                                } else {
                                    format!("ls: cannot access '{p}': No such file or directory\n")
                                });
                                r.code = 2;
                            }
                        },
                    }
                }
                r
            }
            "sh" | "bash" | "ash" | "dash" => {
                if shell_prompt(base, self.busybox, "").is_none() {
                    return self.not_found(cmd); // busybox has no bash, Debian no ash
                }
                let script = match args.first() {
                    Some(&"-c") => args.get(1).copied().unwrap_or(""),
                    // No -c and no terminal (`kubectl exec POD -- sh` without -i): no input to
                    // read, so it exits at once.
                    _ => return Run::default(),
                };
                match shell::parse_line(script) {
                    Ok(list) => self.run_list(&list),
                    Err(e) => {
                        let msg = match e {
                            shell::ParseError::Incomplete(_) => "Syntax error: Unterminated quoted string".to_string(),
                            shell::ParseError::Syntax(m) => m,
                        };
                        Run { err: format!("sh: 1: {msg}\n"), code: 2, ..Run::default() }
                    }
                }
            }
            // busybox 1.28 has wget but no curl; the nginx and curl images have curl.
            "curl" if !self.busybox => self.curl(&args),
            "wget" if self.busybox => self.wget(&args),
            "nslookup" if self.busybox => self.nslookup(args.first().copied().unwrap_or("")),
            // One variable at a time: the image's own variables are not known, so no full list.
            "printenv" if !args.is_empty() => {
                let found: Vec<&String> = args.iter().filter_map(|a| self.vars.get(*a)).collect();
                let out = found.iter().map(|v| format!("{v}\n")).collect();
                Run { out, code: if found.len() == args.len() { 0 } else { 1 }, ..Run::default() }
            }
            "sleep" | "date" | "env" | "printenv" | "ps" | "touch" | "mkdir" | "rm" => {
                Run { err: format!("stslab: `{base}` is not simulated inside containers\n"), code: 1, ..Run::default() }
            }
            _ => {
                if words.len() == 1 && cmd.contains(' ') {
                    return self.not_found(cmd);
                }
                self.not_found(cmd)
            }
        }
    }

    /// Fetches `url` from inside this pod: the name is resolved by the cluster DNS, the
    /// connection routed by kube-proxy or the pod network, and an nginx container listening on
    /// port 80 answers with a file of its document root (its volume).
    fn fetch(&mut self, url: &str) -> Fetch {
        let (scheme, rest) = url.split_once("://").unwrap_or(("http", url));
        let (authority, path) = match rest.find('/') {
            Some(i) => (&rest[..i], rest[i..].to_string()),
            None => (rest, "/".to_string()),
        };
        let default_port = if scheme.eq_ignore_ascii_case("https") { 443 } else { 80 };
        let (host, port) = match authority.rsplit_once(':') {
            Some((h, p)) => (h.to_string(), p.parse::<i64>().unwrap_or(default_port)),
            None => (authority.to_string(), default_port),
        };
        let local = host == "localhost" || host == "127.0.0.1";
        let ip = if local {
            "127.0.0.1".to_string()
        } else if host.parse::<std::net::Ipv4Addr>().is_ok() {
            host.clone()
        } else {
            match self.engine.resolve(&host, &self.ns) {
                DnsAnswer::Addresses { ips, .. } if !ips.is_empty() => ips[0].clone(),
                _ => return Fetch::NoAddress { host },
            }
        };
        let route = if local { Route::Pod { namespace: self.ns.clone(), name: self.pod.clone(), port } } else { self.engine.route(&ip, port) };
        let to = Dest { host, ip, port };
        let Route::Pod { namespace, name, port } = route else { return Fetch::Refused { to } };
        let listening = port == 80
            && self.engine.get(Kind::Pod, &namespace, &name).is_ok_and(|pod| {
                arr(&pod, "/spec/containers").iter().any(|c| st(c, "/image").contains("nginx") && container_running(&pod, st(c, "/name")))
            });
        if !listening {
            return Fetch::Refused { to };
        }
        let file = if path.ends_with('/') { format!("{NGINX_ROOT}{path}index.html") } else { format!("{NGINX_ROOT}{path}") };
        match self.engine.read_file(&namespace, &name, &file) {
            Ok(body) => Fetch::Page { to, status: "200 OK", body },
            Err(_) => {
                let status = if path.ends_with('/') { "403 Forbidden" } else { "404 Not Found" };
                let body = format!("<html>\r\n<head><title>{status}</title></head>\r\n<body>\r\n<center><h1>{status}</h1></center>\r\n<hr><center>nginx/1.27.1</center>\r\n</body>\r\n</html>\r\n");
                Fetch::Page { to, status, body }
            }
        }
    }

    /// curl 8: the page on stdout, whatever its status; errors unless `-s` (`-S` shows them again).
    fn curl(&mut self, args: &[&str]) -> Run {
        let (mut silent, mut show_errors, mut url) = (false, false, None);
        let mut words = args.iter();
        while let Some(&a) = words.next() {
            match a {
                "--silent" => silent = true,
                "--show-error" => show_errors = true,
                // Options whose value is the next word.
                "-o" | "-H" | "-X" | "-d" | "-m" | "-w" | "-A" | "--max-time" | "--connect-timeout" | "--output" | "--header" | "--request" | "--data" => {
                    words.next();
                }
                _ if a.starts_with("--") => {}
                _ if a.starts_with('-') => {
                    silent |= a.contains('s');
                    show_errors |= a.contains('S');
                }
                _ => url = url.or(Some(a)),
            }
        }
        let Some(url) = url else {
            return Run { err: "curl: try 'curl --help' or 'curl --manual' for more information\n".into(), code: 2, ..Run::default() };
        };
        let (err, code) = match self.fetch(url) {
            Fetch::Page { body, .. } => return Run { out: body, ..Run::default() },
            Fetch::NoAddress { host } => (format!("curl: (6) Could not resolve host: {host}\n"), 6),
            Fetch::Refused { to } => (format!("curl: (7) Failed to connect to {} port {} after 0 ms: Couldn't connect to server\n", to.host, to.port), 7),
        };
        Run { err: if silent && !show_errors { String::new() } else { err }, code, ..Run::default() }
    }

    /// busybox 1.28 `wget -O- URL` (`-q` without the "Connecting to" line); an HTTP error is an
    /// error, unlike curl.
    fn wget(&mut self, args: &[&str]) -> Run {
        let (mut quiet, mut to_stdout, mut url) = (false, false, None);
        let mut words = args.iter();
        while let Some(&a) = words.next() {
            match a {
                // Short options cluster (`-qO-`); -O takes the rest of the word or the next one.
                _ if a.starts_with('-') && !a.starts_with("--") => {
                    quiet |= a.contains('q');
                    if let Some((_, rest)) = a.split_once('O') {
                        let file = if rest.is_empty() { words.next().copied().unwrap_or("") } else { rest };
                        to_stdout = file == "-";
                    }
                }
                _ if a.starts_with("--") => {}
                _ => url = url.or(Some(a)),
            }
        }
        let Some(url) = url else {
            return Run { err: "BusyBox v1.28.4 (2018-05-22 17:00:17 UTC) multi-call binary.\n\nUsage: wget [-c|--continue] [--spider] [-q|--quiet] [-O|--output-document FILE]\n".into(), code: 1, ..Run::default() };
        };
        if !to_stdout {
            return Run { err: "stslab: wget is simulated with -O- (the page on standard output), e.g. wget -qO- web-0.nginx\n".into(), code: 1, ..Run::default() };
        }
        let fetched = self.fetch(url);
        let err = match &fetched {
            Fetch::Page { to, .. } | Fetch::Refused { to } if !quiet => format!("Connecting to {} ({}:{})\n", to.host, to.ip, to.port),
            _ => String::new(),
        };
        match fetched {
            Fetch::Page { status: "200 OK", body, .. } => Run { out: body, err, code: 0 },
            Fetch::Page { status, .. } => Run { err: format!("{err}wget: server returned error: HTTP/1.1 {status}\n"), code: 1, ..Run::default() },
            Fetch::NoAddress { host } => Run { err: format!("wget: bad address '{host}'\n"), code: 1, ..Run::default() },
            Fetch::Refused { to } => Run { err: format!("{err}wget: can't connect to remote host ({}): Connection refused\n", to.ip), code: 1, ..Run::default() },
        }
    }

    /// busybox 1.28 `nslookup NAME`.
    fn nslookup(&mut self, name: &str) -> Run {
        let mut out = format!("Server:    {DNS_IP}\nAddress 1: {DNS_IP} {DNS_NAME}\n\n");
        if name.is_empty() {
            return Run { out: String::new(), err: "BusyBox v1.28.4 (2018-05-22 17:00:17 UTC) multi-call binary.\n\nUsage: nslookup [HOST] [SERVER]\n".into(), code: 1 };
        }
        match self.engine.resolve(name, &self.ns) {
            DnsAnswer::Addresses { fqdn, ips } if !ips.is_empty() => {
                out.push_str(&format!("Name:      {name}\n"));
                for (i, ip) in ips.iter().enumerate() {
                    let ptr = reverse_name(self.engine, ip).unwrap_or_else(|| fqdn.trim_end_matches('.').to_string());
                    out.push_str(&format!("Address {}: {ip} {ptr}\n", i + 1));
                }
                Run { out, ..Run::default() }
            }
            _ => Run { out, err: format!("nslookup: can't resolve '{name}'\n"), code: 1 },
        }
    }
}

/// The PTR name of an IP: a pod's `hostname.subdomain.ns.svc.cluster.local` when a headless
/// Service of that name exists, else the pod-IP form; a Service's own name for a cluster IP.
fn reverse_name(engine: &Engine, ip: &str) -> Option<String> {
    for svc in engine.list(Kind::Service, None) {
        if st(&svc, "/spec/clusterIP") == ip {
            return Some(format!("{}.{}.svc.cluster.local", st(&svc, "/metadata/name"), st(&svc, "/metadata/namespace")));
        }
    }
    for pod in engine.list(Kind::Pod, None) {
        if st(&pod, "/status/podIP") == ip {
            let ns = st(&pod, "/metadata/namespace");
            let (host, sub) = (st(&pod, "/spec/hostname"), st(&pod, "/spec/subdomain"));
            if !host.is_empty() && !sub.is_empty() && engine.get(Kind::Service, ns, sub).is_ok() {
                return Some(format!("{host}.{sub}.{ns}.svc.cluster.local"));
            }
            return Some(format!("{}.{ns}.pod.cluster.local", ip.replace('.', "-")));
        }
    }
    None
}

fn container_running(pod: &Value, container: &str) -> bool {
    arr(pod, "/status/containerStatuses").iter().any(|c| st(c, "/name") == container && c.pointer("/state/running").is_some())
}

pub fn exec(it: &mut Interpreter, args: &[String], out: &mut Output) {
    let specs = [
        flag("container", Some('c'), Str),
        flag("stdin", Some('i'), Bool),
        flag("tty", Some('t'), Bool),
        flag("quiet", Some('q'), Bool),
        flag("filename", Some('f'), StringArray),
        flag("pod-running-timeout", None, Duration),
    ];
    let Some(f) = parse_flags(args, &specs, "kubectl exec", out) else { return };
    let ns = ns_of(it, &f);
    let (pod_arg, cmd): (Option<String>, Vec<String>) = match f.dash_at {
        Some(d) => (f.args.get(..d).and_then(|a| a.first()).cloned(), f.args.get(d..).unwrap_or(&[]).to_vec()),
        None => {
            if f.args.len() > 1 {
                out.fail("error: exec [POD] [COMMAND] is not supported anymore. Use exec [POD] -- [COMMAND] instead\nSee 'kubectl exec -h' for help and examples");
                return;
            }
            (f.args.first().cloned(), vec![])
        }
    };
    let Some(pod_arg) = pod_arg else {
        return out.fail("error: pod, type/name or --filename must be specified");
    };
    if cmd.is_empty() {
        return out.fail("error: you must specify at least one command for the container");
    }
    let timeout = f.duration_ms("pod-running-timeout").unwrap_or(60_000);
    let pod_name = match super::pod_for(it, &ns, &pod_arg, timeout, |t| format!("error: cannot attach to {t}: selector for {t} not implemented")) {
        Ok((name, _)) => name,
        Err(e) => return out.fail(&e),
    };
    let pod = match it.engine.get(Kind::Pod, &ns, &pod_name) {
        Ok(p) => p,
        Err(e) => return out.fail(&e.to_string()),
    };
    let containers: Vec<String> = arr(&pod, "/spec/containers").iter().map(|c| st(c, "/name").to_string()).collect();
    let container = match f.string("container") {
        Some(c) => {
            if !containers.iter().any(|x| x == c) {
                return out.fail(&format!("Error from server (BadRequest): container {c} is not valid for pod {pod_name}"));
            }
            c.to_string()
        }
        None => {
            if containers.len() > 1 && !f.bool("quiet") {
                out.err(&format!("Defaulted container \"{}\" out of: {}", containers.first().cloned().unwrap_or_default(), containers.join(", ")));
            }
            containers.first().cloned().unwrap_or_default()
        }
    };
    let phase = st(&pod, "/status/phase");
    if phase == "Succeeded" || phase == "Failed" {
        return out.fail(&format!("error: cannot exec into a container in a completed pod; current phase is {phase}"));
    }
    if !container_running(&pod, &container) {
        return out.fail(&format!("error: unable to upgrade connection: container not found (\"{container}\")"));
    }
    let (hostname, busybox) = identity(&pod, &pod_name, &container);
    if let ([shell], true) = (cmd.as_slice(), f.bool("stdin")) {
        if let Some(prompt) = shell_prompt(shell, busybox, &hostname) {
            let style = if f.bool("tty") { prompt } else { PromptStyle::Silent };
            it.attached = Some(Attached::new(ns, pod_name, container, style, None));
            return;
        }
    }
    let vars = super::env::container_env(&it.engine, &pod, &container, &hostname);
    let mut ctx = PodCtx { engine: &mut it.engine, ns, pod: pod_name, hostname, busybox, vars, cwd: "/".into(), assigned: BTreeMap::new() };
    let r = ctx.exec_words(&cmd);
    report(out, r, &cmd);
}

/// The prompt of an interactive shell of this image, if it has that shell: busybox's ash
/// shows the directory, bash the user and host, Debian's dash just `#`.
fn shell_prompt(shell: &str, busybox: bool, hostname: &str) -> Option<PromptStyle> {
    match shell.rsplit('/').next().unwrap_or(shell) {
        "sh" | "ash" if busybox => Some(PromptStyle::Ash),
        "sh" | "dash" if !busybox => Some(PromptStyle::Dash),
        "bash" if !busybox => Some(PromptStyle::Bash(hostname.to_string())),
        _ => None,
    }
}

/// One line typed into an attached shell: `exit` ends the session as kubectl ends it, anything
/// else runs in the container as `sh -c LINE` would.
pub(crate) fn attached_line(it: &mut Interpreter, line: &str) -> Output {
    let mut out = Output::default();
    let Some(a) = it.attached.clone() else { return out };
    let typed = line.trim();
    if typed.is_empty() {
        return out;
    }
    let exit = match typed.strip_prefix("exit") {
        Some("") => Some(0),
        Some(rest) if rest.starts_with(' ') => Some(rest.trim().parse::<i64>().map_or(2, |n| n.rem_euclid(256) as i32)),
        _ => None,
    };
    let pod = it.engine.get(Kind::Pod, &a.ns, &a.pod).ok().filter(|p| container_running(p, &a.container));
    let Some(pod) = pod.filter(|_| exit.is_none()) else {
        // `exit`, or the container went away under the shell (137: killed).
        it.attached = None;
        end_session(it, &a, exit.unwrap_or(137), &mut out);
        return out;
    };
    let (hostname, busybox) = identity(&pod, &a.pod, &a.container);
    let mut vars = super::env::container_env(&it.engine, &pod, &a.container, &hostname);
    vars.extend(a.vars.iter().map(|(k, v)| (k.clone(), v.clone())));
    let mut ctx = PodCtx { engine: &mut it.engine, ns: a.ns.clone(), pod: a.pod.clone(), hostname, busybox, vars, cwd: a.cwd.clone(), assigned: a.vars.clone() };
    let r = ctx.exec_words(&["sh".to_string(), "-c".to_string(), typed.to_string()]);
    // The session's shell keeps its directory; a `cd` changes the prompt too.
    let (cwd, assigned) = (ctx.cwd, ctx.assigned);
    if let Some(s) = it.attached.as_mut() {
        if cwd != s.cwd {
            s.prompt = s.style.render(&cwd);
            s.cwd = cwd;
        }
        s.vars = assigned;
    }
    out.out(&r.out);
    for l in r.err.lines() {
        out.err(l);
    }
    out
}

/// The shell has exited with `code`: `exec` reports a failure; `run`'s pod finishes with it.
fn end_session(it: &mut Interpreter, a: &Attached, code: i32, out: &mut Output) {
    let Some(rm) = a.run_rm else {
        if code != 0 {
            out.err(&format!("command terminated with exit code {code}"));
            out.exit_code = code;
        }
        return;
    };
    run_ended(it, &a.ns, &a.pod, code, rm, out);
    if code != 0 {
        out.exit_code = code;
    }
}

/// `kubectl run`'s container has exited with `code` (with --restart=Never its pod is now
/// finished): `--rm` deletes the pod, and a failure is reported after that, as kubectl's
/// deferred removal runs before its error is printed.
fn run_ended(it: &mut Interpreter, ns: &str, pod: &str, code: i32, rm: bool, out: &mut Output) {
    let _ = it.engine.container_exited(ns, pod, code);
    if rm {
        // A finished pod goes at once; one that keeps restarting (--restart=Always) is
        // deleted gracefully, as kubectl's delete would.
        let _ = it.engine.delete(Kind::Pod, ns, pod, DeleteOptions::default());
        out.line(&format!("pod \"{pod}\" deleted{}", from_ns(Kind::Pod, ns)));
    }
    if code != 0 {
        out.fail(&format!("pod {ns}/{pod} terminated (Error)"));
    }
}

/// A container's host name (the pod's `spec.hostname`, else its name) and whether its image
/// is busybox (ash-style messages, nslookup, no curl).
fn identity(pod: &Value, pod_name: &str, container: &str) -> (String, bool) {
    let hostname = match st(pod, "/spec/hostname") {
        "" => pod_name.to_string(),
        h => h.to_string(),
    };
    let busybox = arr(pod, "/spec/containers").iter().any(|c| st(c, "/name") == container && st(c, "/image").contains("busybox"));
    (hostname, busybox)
}

/// An image reference's repository name without registry, tag or digest (`busybox:1.28` ->
/// `busybox`).
fn image_name(image: &str) -> &str {
    let last = image.rsplit('/').next().unwrap_or(image);
    let last = last.split('@').next().unwrap_or(last);
    last.split(':').next().unwrap_or(last)
}

fn report(out: &mut Output, r: Run, cmd: &[String]) {
    out.out(&r.out);
    if !r.err.is_empty() {
        for line in r.err.lines() {
            out.err(line);
        }
    }
    if r.code == 127 && cmd.len() == 1 && cmd.first().map(|c| c.as_str() != "sh").unwrap_or(false) && !r.err.contains("sh: ") {
        out.exit_code = 127;
        return;
    }
    if r.code != 0 {
        out.err(&format!("command terminated with exit code {}", r.code));
        out.exit_code = r.code;
    }
}

pub fn run(it: &mut Interpreter, args: &[String], out: &mut Output) {
    let specs = [
        flag("image", None, Str),
        flag("restart", None, Str),
        flag("rm", None, Bool),
        flag("stdin", Some('i'), Bool),
        flag("tty", Some('t'), Bool),
        flag("command", None, Bool),
        flag("labels", Some('l'), Str),
        flag("env", None, StringArray),
        flag("port", None, Str),
        flag("attach", None, Bool),
        flag("quiet", Some('q'), Bool),
        flag("overrides", None, Str),
        super::DRY_RUN,
        super::OUTPUT,
        super::TEMPLATE,
        flag("pod-running-timeout", None, Duration),
    ];
    let Some(f) = parse_flags(args, &specs, "kubectl run", out) else { return };
    let Some(dry) = super::dry_run(it, &f, out) else { return };
    let format = match crate::kubectl::output::for_write(f.string("output"), f.string("template")) {
        Ok(format) => format,
        Err(e) => return out.fail(&e),
    };
    let ns = ns_of(it, &f);
    let before_dash = f.dash_at.unwrap_or(f.args.len());
    let Some(name) = f.args.first().filter(|_| before_dash > 0).cloned() else {
        return out.fail("error: NAME is required for run\nSee 'kubectl run -h' for help and examples");
    };
    let Some(image) = f.string("image").map(str::to_string) else {
        return out.fail("error: required flag(s) \"image\" not set");
    };
    let cmd: Vec<String> = f.args.get(1..).unwrap_or(&[]).to_vec();
    // Its errors are reported where kubectl meets them: after the checks below.
    let built = run_pod(&name, &ns, &image, &cmd, &f);
    if dry == super::Dry::Client {
        // Only printed: kubectl names the namespace only when one was given.
        let mut pod = match built {
            Ok(p) => p,
            Err(e) => return out.fail(&e),
        };
        if f.namespace().is_none() {
            if let Some(meta) = pod.get_mut("metadata").and_then(Value::as_object_mut) {
                meta.remove("namespace");
            }
        }
        // --overrides may have replaced the whole object with something else.
        if let Some(pod) = pod.as_object_mut() {
            pod.insert("status".into(), serde_json::json!({}));
        }
        return out.out(&crate::kubectl::output::written(Kind::Pod, &pod, format.as_ref(), "created (dry run)"));
    }
    if it.engine.get(Kind::Pod, &ns, &name).is_ok() {
        return out.fail(&format!("Error from server (AlreadyExists): pods \"{name}\" already exists"));
    }
    let attach = f.bool("stdin") || f.bool("attach");
    if f.bool("rm") && !attach {
        return out.fail("error: rm should only be used for attached containers");
    }
    // An image whose own command is a shell gives a prompt; others would attach to their
    // server's output, which is not simulated.
    let shell_image = ["busybox", "alpine"].iter().any(|i| image_name(&image) == *i);
    if attach && cmd.is_empty() && !shell_image {
        out.fail("stslab: attaching to this image's own process is not simulated; run a shell image (busybox:1.28) or give the command after --, e.g. kubectl run -i --tty --rm --restart=Never --image busybox:1.28 dns-test -- nslookup web-0.nginx");
        return;
    }
    let pod = match built {
        Ok(p) => p,
        Err(e) => return out.fail(&e),
    };
    let admitted = match crate::manifest::admit(&pod, None) {
        Ok(a) => a,
        Err(r) => return out.fail(&r.message),
    };
    if dry == super::Dry::Server {
        return out.out(&crate::kubectl::output::written(Kind::Pod, &admitted.object, format.as_ref(), "created (server dry run)"));
    }
    let created = match it.engine.create(admitted.object) {
        Ok(created) => created,
        Err(e) => return out.fail(&e.to_string()),
    };
    if !attach {
        return out.out(&crate::kubectl::output::written(Kind::Pod, &created, format.as_ref(), "created"));
    }
    // kubectl waits for the pod to run (--pod-running-timeout, 1m) before attaching.
    let limit = Time(it.engine.now().0.saturating_add(f.duration_ms("pod-running-timeout").unwrap_or(60_000)));
    while !it.engine.get(Kind::Pod, &ns, &name).is_ok_and(|p| st(&p, "/status/phase") == "Running") {
        match it.engine.next_wakeup() {
            Some(t) if t <= limit => {
                it.engine.step();
            }
            _ => break,
        }
    }
    if cmd.is_empty() {
        // attach.go: the hint on stderr, then the shell's prompt.
        if f.bool("tty") {
            out.err("If you don't see a command prompt, try pressing enter.");
        }
        let style = if f.bool("tty") { PromptStyle::Ash } else { PromptStyle::Silent };
        it.attached = Some(Attached::new(ns, name.clone(), name, style, Some(f.bool("rm"))));
        return;
    }
    let vars = it.engine.get(Kind::Pod, &ns, &name).map(|pod| super::env::container_env(&it.engine, &pod, &name, &name)).unwrap_or_default();
    let mut ctx = PodCtx { engine: &mut it.engine, ns: ns.clone(), pod: name.clone(), hostname: name.clone(), busybox: image.contains("busybox"), vars, cwd: "/".into(), assigned: BTreeMap::new() };
    let r = ctx.exec_words(&cmd);
    let now = it.engine.now();
    it.engine.advance_to(Time(now.0 + 1000));
    out.out(&r.out);
    for line in r.err.lines() {
        out.err(line);
    }
    run_ended(it, &ns, &name, r.code, f.bool("rm"), out);
}

/// The Pod `kubectl run` sends: label `run=NAME`, one container named after the pod, the
/// words after `--` as its args (or command with `--command`), then `--overrides` merged in
/// as a JSON merge patch.
fn run_pod(name: &str, ns: &str, image: &str, cmd: &[String], f: &crate::kubectl::flags::Flags) -> Result<Value, String> {
    let mut labels = serde_json::Map::new();
    match f.string("labels") {
        Some(l) => {
            for pair in l.split(',') {
                let (k, v) = pair.split_once('=').ok_or_else(|| format!("error: invalid label spec: {pair}"))?;
                labels.insert(k.to_string(), Value::from(v));
            }
        }
        None => {
            labels.insert("run".into(), Value::from(name));
        }
    }
    let mut container = serde_json::json!({"name": name, "image": image, "resources": {}});
    if let Some(port) = f.string("port") {
        let port: i64 = port.parse().map_err(|_| format!("error: strconv.Atoi: parsing {}: invalid syntax", crate::kubectl::flags::go_quote(port)))?;
        if port > -1 {
            container["ports"] = serde_json::json!([{"containerPort": port}]);
        }
    }
    let mut env = Vec::new();
    for pair in f.strings("env") {
        // kubectl's parseEnvs: NAME=VALUE with a C-identifier-like name (IsEnvVarName).
        let valid = |n: &str| !n.is_empty() && !n.starts_with(|c: char| c.is_ascii_digit()) && n.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.'));
        match pair.split_once('=') {
            Some((n, v)) if valid(n) => env.push(serde_json::json!({"name": n, "value": v})),
            _ => return Err(format!("error: invalid env: {pair}")),
        }
    }
    if !env.is_empty() {
        container["env"] = Value::Array(env);
    }
    if !cmd.is_empty() {
        container[if f.bool("command") { "command" } else { "args" }] = Value::from(cmd.to_vec());
    }
    let attach = f.bool("stdin") || f.bool("attach");
    if f.bool("stdin") {
        container["stdin"] = Value::Bool(true);
        container["stdinOnce"] = Value::Bool(true);
    }
    if f.bool("tty") && attach {
        container["tty"] = Value::Bool(true);
    }
    let restart = f.string("restart").unwrap_or("Always");
    if !matches!(restart, "Always" | "OnFailure" | "Never") {
        return Err(format!("error: invalid restart policy: {restart}"));
    }
    let mut pod = serde_json::json!({
        "apiVersion": "v1",
        "kind": "Pod",
        "metadata": {"name": name, "namespace": ns, "labels": labels},
        "spec": {"containers": [container], "dnsPolicy": "ClusterFirst", "restartPolicy": restart},
    });
    if let Some(o) = f.string("overrides") {
        let patch: Value = serde_json::from_str(o).map_err(|e| format!("error: Invalid JSON Patch: {e}"))?;
        pod = crate::kubectl::patch::merge_patch(&pod, &patch);
        // A patch that is not an object replaces the pod, and the decoder cannot read the result.
        let what = match &pod {
            Value::Object(_) => None,
            Value::Array(_) => Some("array"),
            Value::String(_) => Some("string"),
            Value::Bool(_) => Some("bool"),
            Value::Number(_) | Value::Null => Some("number"),
        };
        if let Some(what) = what {
            return Err(format!("error: couldn't get version/kind; json parse error: json: cannot unmarshal {what} into Go value of type struct {{ APIVersion string \"json:\\\"apiVersion,omitempty\\\"\"; Kind string \"json:\\\"kind,omitempty\\\"\" }}"));
        }
    }
    Ok(pod)
}

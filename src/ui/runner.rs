//! Runs one command line of the session through the kubectl interpreter and returns what it
//! printed.
//!
//! Every button of the screen is a command line (see [`commands`]), so a session is a list of
//! timed command lines that replays exactly. This module is the one seam between the screen and
//! the interpreter (`crate::kubectl`).

use crate::kubectl::Interpreter;

/// What a command printed, and whether it succeeded (exit status 0).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Output {
    pub text: String,
    pub ok: bool,
}

/// The command lines the buttons issue. One place, so the wording matches what a student
/// would type in the console. Deletes from buttons do not wait (`--wait=false`), so the screen
/// shows the pod terminating instead of jumping past it.
pub mod commands {
    pub const APPLY_STDIN: &str = "kubectl apply -f -";
    /// Ctrl-C, as the session records it: stops a streaming `get -w`.
    pub const INTERRUPT: &str = "^C";

    pub fn scale(kind: &str, name: &str, replicas: u32) -> String {
        format!("kubectl scale {kind} {name} --replicas={replicas}")
    }
    pub fn set_image(name: &str, container: &str, image: &str) -> String {
        format!("kubectl set image sts/{name} {container}={image}")
    }
    pub fn patch(name: &str, json: &str) -> String {
        format!("kubectl patch sts {name} -p '{json}'")
    }
    pub fn delete_pod(name: &str) -> String {
        format!("kubectl delete pod {name} --wait=false")
    }
    pub fn delete_set(name: &str, orphan: bool) -> String {
        if orphan {
            format!("kubectl delete sts {name} --cascade=orphan --wait=false")
        } else {
            format!("kubectl delete sts {name} --wait=false")
        }
    }
    pub fn delete_claim(name: &str) -> String {
        format!("kubectl delete pvc {name} --wait=false")
    }
    pub fn crash_pod(name: &str) -> String {
        format!("crash pod/{name}")
    }
    pub fn node_down(name: &str) -> String {
        format!("node down {name}")
    }
    pub fn node_up(name: &str) -> String {
        format!("node up {name}")
    }
}

/// The heredoc delimiter that carries stdin: `STSLAB_EOF`, lengthened with `_` past any line of
/// the text that would otherwise end the heredoc early, so that any text can be applied.
fn delimiter_for(text: &str) -> String {
    const MARK: &str = "STSLAB_EOF";
    let clashing = |l: &&str| l.strip_prefix(MARK).is_some_and(|rest| rest.bytes().all(|b| b == b'_'));
    let longest = text.lines().filter(clashing).map(str::len).max();
    let mut mark = MARK.to_string();
    if let Some(n) = longest {
        mark.push_str(&"_".repeat(n + 1 - MARK.len()));
    }
    mark
}

/// Runs one command line; `stdin` is what `-f -` reads (sent as a heredoc, as a shell would).
pub fn run(it: &mut Interpreter, line: &str, stdin: Option<&str>) -> Output {
    if line == commands::INTERRUPT {
        it.interrupt();
        return Output { text: String::new(), ok: true };
    }
    let out = match stdin {
        Some(text) => {
            let mark = delimiter_for(text);
            let text = text.strip_suffix('\n').unwrap_or(text);
            it.run_line(&format!("{line} <<'{mark}'\n{text}\n{mark}"))
        }
        None => it.run_line(line),
    };
    if out.incomplete {
        // An open quote or heredoc: the console has no continuation prompt, so drop it.
        it.cancel_pending();
        return Output { text: "-bash: unexpected end of line (an open quote?)\n".into(), ok: false };
    }
    Output { text: out.text(), ok: out.exit_code == 0 }
}

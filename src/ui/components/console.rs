//! The kubectl console: type a command, read what kubectl prints (selectable, plain text).
//! ↑/↓ recall earlier lines, Tab completes, Ctrl+C abandons the line, `clear` and `help` work
//! as in a terminal. Everything typed is a command of the session, like the buttons.

use std::rc::Rc;

use web_sys::{Element, HtmlInputElement};
use yew::prelude::*;

use super::time::clock;
use crate::ui::i18n::{Lang, T};
use crate::ui::runner::commands;
use crate::ui::sim::Entry;
use crate::ui::state::Action;

#[derive(Properties, PartialEq)]
pub struct ConsoleProps {
    pub lang: Lang,
    pub transcript: Rc<Vec<Entry>>,
    pub cleared: usize,
    pub history: Rc<Vec<String>>,
    /// Names of objects in the cluster, for Tab completion.
    pub names: Rc<Vec<String>>,
    /// A `get -w` is streaming: Ctrl+C stops it.
    pub watching: bool,
    pub act: Callback<Action>,
}

const WORDS: &[&str] = &[
    "kubectl", "crash", "node", "sleep", "settle", "help", "clear", "apply", "get", "describe", "scale", "set", "image", "patch", "delete", "rollout", "status",
    "history", "undo", "logs", "exec", "pods", "pod", "sts", "statefulset", "statefulsets", "pvc", "pv", "svc",
    "service", "nodes", "events", "endpoints", "deployment", "deploy", "down", "up", "--wait=false",
    "--replicas=", "--cascade=orphan", "-o", "wide", "yaml", "-w", "-l", "-f", "-",
];

/// Completes the last word of `line`: the completed line, and the choices when ambiguous.
pub fn complete(line: &str, names: &[String]) -> (String, Vec<String>) {
    let start = line.rfind(' ').map(|i| i + 1).unwrap_or(0);
    let (head, word) = line.split_at(start);
    let (prefix, word) = match word.split_once('/') {
        Some((kind, rest)) => (format!("{kind}/"), rest),
        None => (String::new(), word),
    };
    let mut choices: Vec<String> = WORDS
        .iter()
        .map(|w| w.to_string())
        .chain(names.iter().cloned())
        .filter(|w| w.starts_with(word) && w.as_str() != word)
        .collect();
    choices.sort();
    choices.dedup();
    match choices.len() {
        0 => (line.to_string(), Vec::new()),
        1 => {
            let sep = if choices[0].ends_with('=') || choices[0].ends_with('/') { "" } else { " " };
            (format!("{head}{prefix}{}{sep}", choices[0]), Vec::new())
        }
        _ => {
            let common = choices.iter().skip(1).fold(choices[0].clone(), |acc, c| {
                acc.chars().zip(c.chars()).take_while(|(a, b)| a == b).map(|(a, _)| a).collect()
            });
            (format!("{head}{prefix}{common}"), choices)
        }
    }
}

#[function_component(Console)]
pub fn console(props: &ConsoleProps) -> Html {
    let lang = props.lang;
    let input = use_state(String::new);
    // Position in the history while recalling with ↑/↓ (None: editing a new line).
    let recall = use_state(|| None::<usize>);
    let local = use_state(|| None::<String>);
    let out_ref = use_node_ref();

    // Keep the newest output in view.
    {
        let out_ref = out_ref.clone();
        use_effect_with((props.transcript.len(), (*local).clone()), move |_| {
            if let Some(el) = out_ref.cast::<Element>() {
                el.set_scroll_top(el.scroll_height());
            }
        });
    }

    let oninput = {
        let (input, recall) = (input.clone(), recall.clone());
        Callback::from(move |e: InputEvent| {
            input.set(e.target_unchecked_into::<HtmlInputElement>().value());
            recall.set(None);
        })
    };
    let onkeydown = {
        let (input, recall, local) = (input.clone(), recall.clone(), local.clone());
        let (history, names, act, watching) = (props.history.clone(), props.names.clone(), props.act.clone(), props.watching);
        Callback::from(move |e: KeyboardEvent| match e.key().as_str() {
            "Enter" => {
                e.prevent_default();
                let line = (*input).trim().to_string();
                input.set(String::new());
                recall.set(None);
                local.set(None);
                act.emit(Action::Run { line, stdin: None, typed: true });
            }
            "ArrowUp" if !history.is_empty() => {
                e.prevent_default();
                let i = match *recall {
                    None => history.len() - 1,
                    Some(i) => i.saturating_sub(1),
                };
                recall.set(Some(i));
                input.set(history[i].clone());
            }
            "ArrowDown" => {
                if let Some(i) = *recall {
                    e.prevent_default();
                    if i + 1 < history.len() {
                        recall.set(Some(i + 1));
                        input.set(history[i + 1].clone());
                    } else {
                        recall.set(None);
                        input.set(String::new());
                    }
                }
            }
            "Tab" if !e.shift_key() && !input.is_empty() => {
                e.prevent_default();
                let (line, choices) = complete(&input, &names);
                input.set(line);
                local.set((!choices.is_empty()).then(|| choices.join("  ")));
            }
            "c" | "C" if e.ctrl_key() => {
                // With a selection, Ctrl+C copies as usual; otherwise it abandons the line.
                let selected = web_sys::window()
                    .and_then(|w| w.get_selection().ok().flatten())
                    .is_some_and(|s| !s.is_collapsed());
                if !selected {
                    e.prevent_default();
                    if watching {
                        act.emit(Action::Run { line: commands::INTERRUPT.into(), stdin: None, typed: false });
                    } else {
                        local.set(Some(format!("$ {}^C", *input)));
                    }
                    input.set(String::new());
                    recall.set(None);
                }
            }
            "l" | "L" if e.ctrl_key() => {
                e.prevent_default();
                act.emit(Action::ConsoleClear);
            }
            _ => {}
        })
    };

    let shown = props.transcript.get(props.cleared..).unwrap_or(&[]);
    html! {
        <div class="console" data-testid="console">
            <div class="console-out" ref={out_ref} tabindex="0" role="log" aria-live="polite" aria-label={T::Console.get(lang)}>
                { for shown.iter().map(|entry| html! {
                    <div class={classes!("entry", (!entry.output.ok).then_some("failed"))} data-testid="console-entry">
                        if entry.line == commands::INTERRUPT {
                            <div class="prompt-line">{ "^C" }</div>
                        } else {
                            <div class="prompt-line"><span class="at" aria-hidden="true">{ clock(entry.at) }</span><span class="prompt" aria-hidden="true">{ "$ " }</span>{ &entry.line }</div>
                        }
                        if !entry.output.text.is_empty() {
                            <pre class="output">{ &entry.output.text }</pre>
                        }
                    </div>
                }) }
                if let Some(text) = &*local {
                    <pre class="output local">{ text }</pre>
                }
            </div>
            if props.watching {
                <p class="watching" role="status">{ T::ConsoleWatching.get(lang) }</p>
            }
            <div class="console-in">
                <label for="console-input" class="prompt">{ "$" }<span class="sr-only">{ T::ConsoleInput.get(lang) }</span></label>
                <input id="console-input" type="text" class="mono" spellcheck="false" autocomplete="off" autocapitalize="off"
                    value={(*input).clone()} {oninput} {onkeydown} data-testid="console-input"
                    placeholder="kubectl get pods" aria-describedby="console-help" />
            </div>
            <p class="console-help" aria-hidden="true">{ T::ConsoleKeys.get(lang) }</p>
            <p id="console-help" class="sr-only">{ T::ConsoleHelp.get(lang) }</p>
        </div>
    }
}

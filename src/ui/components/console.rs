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
    /// Tab completion, by the interpreter against the live cluster.
    pub complete: Completer,
    /// A `get -w` is streaming: Ctrl+C stops it.
    pub watching: bool,
    /// `$ `, or the prompt of a shell attached to a container (`kubectl exec -it POD -- sh`).
    pub prompt: Rc<str>,
    pub act: Callback<Action>,
}

/// Asks the interpreter (`crate::kubectl::complete`) for the candidates at a cursor, counted in
/// characters: commands, resource kinds and the live cluster's object names.
pub type Completer = Callback<(String, usize), Vec<String>>;

/// Puts the interpreter's `candidates` for the word ending at `cursor` (in characters) into
/// `line`, as bash does: the one candidate, followed by a space unless it expects more (`pod/`,
/// `--replicas=`), or else the candidates' common prefix. Returns the new line, the cursor after
/// the inserted text (in characters) and the choices to list when there are several.
pub fn apply_completion(line: &str, cursor: usize, candidates: &[String]) -> (String, usize, Vec<String>) {
    let chars: Vec<char> = line.chars().collect();
    let cursor = cursor.min(chars.len());
    let start = chars[..cursor].iter().rposition(|c| c.is_whitespace()).map_or(0, |i| i + 1);
    let head: String = chars[..start].iter().collect();
    let rest: String = chars[cursor..].iter().collect();
    let word = match candidates {
        [] => return (line.to_string(), cursor, Vec::new()),
        [one] => {
            let sep = if one.ends_with('=') || one.ends_with('/') || rest.starts_with(' ') { "" } else { " " };
            format!("{one}{sep}")
        }
        [first, others @ ..] => others.iter().fold(first.clone(), |acc, c| {
            acc.chars().zip(c.chars()).take_while(|(a, b)| a == b).map(|(a, _)| a).collect()
        }),
    };
    let choices = if candidates.len() > 1 { candidates.to_vec() } else { Vec::new() };
    // Every candidate starts with the typed word; should one not, the typed word is kept.
    let typed: String = chars[start..cursor].iter().collect();
    let word = if word.len() < typed.len() { typed } else { word };
    let at = start + word.chars().count();
    (format!("{head}{word}{rest}"), at, choices)
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
        let (history, completer, act, watching) = (props.history.clone(), props.complete.clone(), props.act.clone(), props.watching);
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
                let el: HtmlInputElement = e.target_unchecked_into();
                let value = el.value();
                // The browser counts the cursor in UTF-16 units; the completer in characters.
                let units = el.selection_start().ok().flatten().map_or(usize::MAX, |u| u as usize);
                let before: Vec<u16> = value.encode_utf16().take(units).collect();
                let cursor = String::from_utf16_lossy(&before).chars().count();
                let candidates = completer.emit((value.clone(), cursor));
                let (line, at, choices) = apply_completion(&value, cursor, &candidates);
                if line != value {
                    el.set_value(&line);
                    let at: usize = line.chars().take(at).map(char::len_utf16).sum();
                    let _ = el.set_selection_range(at as u32, at as u32);
                }
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
                        } else if entry.continued {
                            <div class="prompt-line continued">{ T::ConsoleWatchGoesOn.get(lang) }{ " " }<span class="mono">{ &entry.line }</span></div>
                        } else {
                            <div class="prompt-line"><span class="at" aria-hidden="true">{ clock(entry.at) }</span><span class="prompt" aria-hidden="true">{ &entry.prompt }</span>{ &entry.line }</div>
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
                <label for="console-input" class="prompt">{ props.prompt.trim_end() }<span class="sr-only">{ T::ConsoleInput.get(lang) }</span></label>
                <input id="console-input" type="text" class="mono" spellcheck="false" autocomplete="off" autocapitalize="off"
                    value={(*input).clone()} {oninput} {onkeydown} data-testid="console-input"
                    placeholder="kubectl get pods" aria-describedby="console-help" />
            </div>
            <p class="console-help" aria-hidden="true">{ T::ConsoleKeys.get(lang) }</p>
            <p id="console-help" class="sr-only">{ T::ConsoleHelp.get(lang) }</p>
        </div>
    }
}

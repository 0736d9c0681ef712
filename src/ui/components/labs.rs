//! The guided labs panel: the list of labs (completion marked), and the lab in progress with
//! its goal, steps, live checks, hints and "show me". Lab prose comes from the lab file in the
//! screen's language; the checks are read by the session (src/ui/lab.rs), not here.
//!
//! Printed, the panel alone remains, with the console transcript: a handout (styles/app.css).

use std::rc::Rc;

use wasm_bindgen::closure::Closure;
use wasm_bindgen::JsCast;
use web_sys::{FileReader, HtmlInputElement};
use yew::prelude::*;

use crate::labs::{built_in, Lab, Text};
use crate::ui::i18n::{tf, Lang, T};
use crate::ui::lab::{Announce, LabAction, LabsUi, MAX_LAB_BYTES};
use crate::ui::sim::Entry;
use crate::ui::state::Action;

#[derive(Properties, PartialEq)]
pub struct LabsProps {
    pub lang: Lang,
    pub labs: LabsUi,
    /// The console's commands and output, printed under the lab.
    pub transcript: Rc<Vec<Entry>>,
    pub act: Callback<Action>,
}

#[function_component(Labs)]
pub fn labs(props: &LabsProps) -> Html {
    let lang = props.lang;
    let ui = &props.labs;
    let lab_act = |a: LabAction| Action::Lab(a);
    let built_in = use_memo((), |_| built_in());
    let announce = announcement(ui, lang);
    let listing = ui.browsing || ui.active.is_none();
    html! {
        <section class="panel labs-panel" aria-labelledby="labs-title" data-testid="labs">
            <div class="labs-head">
                <h2 id="labs-title" class="panel-title">{ T::LabsHeading.get(lang) }</h2>
                <div class="labs-tools no-print">
                    if !listing {
                        <button type="button" class="small quiet-button" onclick={props.act.reform(move |_| lab_act(LabAction::Browse(true)))}
                            data-testid="lab-list">{ T::LabAllLabs.get(lang) }</button>
                        <button type="button" class="small quiet-button" onclick={Callback::from(|_| print())} data-testid="lab-print">
                            { T::LabPrint.get(lang) }
                        </button>
                    }
                    <button type="button" class="small" onclick={props.act.reform(move |_| lab_act(LabAction::Toggle))} data-testid="labs-close">
                        { T::LabsClose.get(lang) }
                    </button>
                </div>
            </div>
            <p class="sr-only" aria-live="polite" data-testid="lab-announce">{ announce }</p>
            if let Some(error) = &ui.error {
                <div class="lab-error no-print" role="alert" data-testid="lab-error">
                    <span>{ tf(T::LabFileBroken, lang, &[("error", error)]) }</span>
                    <button type="button" class="small quiet-button" onclick={props.act.reform(move |_| lab_act(LabAction::DismissError))}>
                        { T::ShareClose.get(lang) }
                    </button>
                </div>
            }
            <div class="labs-body">
                if listing {
                    { lab_list(props, &built_in) }
                } else if let Some(lab) = &ui.active {
                    { lab_view(props, lab) }
                }
            </div>
        </section>
    }
}

fn lab_list(props: &LabsProps, labs: &[Lab]) -> Html {
    let lang = props.lang;
    let ui = &props.labs;
    let active = ui.active.as_ref().map(|l| l.id.clone());
    let item = |number: usize, lab: &Lab, source: Option<Rc<str>>| {
        let done = ui.done.contains(&lab.id);
        let current = active.as_deref() == Some(lab.id.as_str());
        let start = {
            let lab = Rc::new(lab.clone());
            // The lab in progress is reopened as it is, not started again.
            props.act.reform(move |_| match current {
                true => Action::Lab(LabAction::Browse(false)),
                false => Action::Lab(LabAction::Start { lab: lab.clone(), source: source.clone() }),
            })
        };
        html! {
            <li>
                <button type="button" class={classes!("lab-item", done.then_some("done"), current.then_some("current"))} onclick={start}
                    data-testid="lab-item" data-id={lab.id.clone()} data-done={done.to_string()}>
                    <span class="lab-number" aria-hidden="true">{ number }</span>
                    <span class="lab-name">{ lab.title.get(lang == Lang::Ko) }</span>
                    if current {
                        <span class="lab-badge progress">{ T::LabInProgress.get(lang) }</span>
                    }
                    if done {
                        <span class="lab-badge done"><span aria-hidden="true">{ "✓ " }</span>{ T::LabDone.get(lang) }</span>
                    }
                </button>
            </li>
        }
    };
    // A lab from a file or link stays in the list while it is in progress.
    let custom = ui.active.as_ref().filter(|a| ui.source.is_some() && !labs.iter().any(|l| l.id == a.id));
    html! {
        <>
            <p class="labs-intro">{ T::LabsIntro.get(lang) }</p>
            <ol class="lab-list" data-testid="lab-items">
                { for labs.iter().enumerate().map(|(i, lab)| item(i + 1, lab, None)) }
                if let Some(lab) = custom {
                    { item(labs.len() + 1, lab, ui.source.clone()) }
                }
            </ol>
            <label class="file-button">
                { T::LabOpenFile.get(lang) }
                <input type="file" accept=".yaml,.yml,text/yaml,text/plain" class="sr-only" onchange={read_file(props.act.clone())}
                    data-testid="lab-file" />
            </label>
        </>
    }
}

fn lab_view(props: &LabsProps, lab: &Lab) -> Html {
    let lang = props.lang;
    let ko = lang == Lang::Ko;
    let ui = &props.labs;
    let lab_act = |a: LabAction| Action::Lab(a);
    let results = &ui.results;
    let holding = results.iter().filter(|ok| **ok).count();
    let complete = !results.is_empty() && holding == results.len();
    let restart = {
        let lab = Rc::new(lab.clone());
        let source = ui.source.clone();
        props.act.reform(move |_| Action::Lab(LabAction::Start { lab: lab.clone(), source: source.clone() }))
    };
    let show_me_status = ui.show_me.as_ref().map(|s| {
        if s.finishing() {
            T::LabShowMeSettling.get(lang).to_string()
        } else {
            tf(T::LabShowMePlaying, lang, &[("n", &s.remaining().to_string())])
        }
    });
    html! {
        <article class={classes!("lab", complete.then_some("complete"))} data-testid="lab" data-id={lab.id.clone()}>
            <h3 class="lab-title">{ lab.title.get(ko) }</h3>
            <p class="lab-goal"><strong>{ T::LabGoal.get(lang) }{ ": " }</strong>{ rich(lab.goal.get(ko)) }</p>
            <div class="lab-explanation">{ paragraphs(lab.explanation.get(ko)) }</div>

            <h4>{ T::LabSteps.get(lang) }</h4>
            <ol class="lab-steps">
                { for lab.steps.iter().map(|s| html! { <li>{ rich(s.get(ko)) }</li> }) }
            </ol>

            <h4 id="lab-checks-title">{ T::LabChecks.get(lang) }</h4>
            <p class="lab-summary" data-testid="lab-summary">
                { tf(T::LabChecksSummary, lang, &[("n", &holding.to_string()), ("total", &lab.checks.len().to_string())]) }
            </p>
            <ul class="lab-checks" aria-labelledby="lab-checks-title">
                { for lab.checks.iter().enumerate().map(|(i, check)| {
                    let holds = results.get(i).copied().unwrap_or(false);
                    html! {
                        <li class={classes!("lab-check", if holds { "holds" } else { "pending" })} data-testid="lab-check" data-holds={holds.to_string()}>
                            <span class="check-mark" aria-hidden="true">{ if holds { "✓" } else { "○" } }</span>
                            <span class="check-state">{ if holds { T::LabCheckHolds.get(lang) } else { T::LabCheckPending.get(lang) } }</span>
                            <span class="check-text">{ rich(check.text.get(ko)) }</span>
                        </li>
                    }
                }) }
            </ul>
            if complete {
                <p class="lab-complete" data-testid="lab-complete"><span aria-hidden="true">{ "✓ " }</span>{ T::LabComplete.get(lang) }</p>
            }

            <div class="lab-actions no-print">
                if ui.show_me.is_some() {
                    <button type="button" onclick={props.act.reform(move |_| lab_act(LabAction::StopShowMe))} data-testid="lab-show-me-stop">
                        { T::LabShowMeStop.get(lang) }
                    </button>
                } else {
                    <button type="button" class="primary" title={T::LabShowMeTitle.get(lang)} onclick={props.act.reform(move |_| lab_act(LabAction::ShowMe))}
                        data-testid="lab-show-me">{ T::LabShowMe.get(lang) }</button>
                }
                <button type="button" class="quiet-button" onclick={restart} data-testid="lab-restart">{ T::LabRestart.get(lang) }</button>
                <button type="button" class="quiet-button" onclick={props.act.reform(move |_| lab_act(LabAction::End))} data-testid="lab-leave">
                    { T::LabLeave.get(lang) }
                </button>
            </div>
            if let Some(status) = show_me_status {
                <p class="lab-show-me-status no-print" data-testid="lab-show-me-status">{ status }</p>
            }

            if !lab.hints.is_empty() {
                <h4 class="no-print">{ T::LabHints.get(lang) }</h4>
                <div class="lab-hints">
                    { for lab.hints.iter().enumerate().map(|(i, hint)| hint_view(lang, i, hint)) }
                </div>
            }

            <section class="lab-transcript print-only" aria-hidden="true">
                <h4>{ T::LabTranscript.get(lang) }</h4>
                <pre class="mono">{ transcript(&props.transcript) }</pre>
            </section>
        </article>
    }
}

fn hint_view(lang: Lang, index: usize, hint: &Text) -> Html {
    html! {
        <details class="lab-hint">
            <summary>{ tf(T::LabHint, lang, &[("n", &(index + 1).to_string())]) }</summary>
            <p>{ rich(hint.get(lang == Lang::Ko)) }</p>
        </details>
    }
}

/// What the polite live region says: the latest check that changed, or the lab completed.
fn announcement(ui: &LabsUi, lang: Lang) -> String {
    let Some(lab) = &ui.active else { return String::new() };
    match &ui.announce {
        Some(Announce::Complete) => T::LabComplete.get(lang).to_string(),
        Some(Announce::Check { index, holds }) => match lab.checks.get(*index) {
            Some(check) => {
                let t = if *holds { T::LabAnnounceHolds } else { T::LabAnnounceLost };
                tf(t, lang, &[("check", check.text.get(lang == Lang::Ko))])
            }
            None => String::new(),
        },
        None => String::new(),
    }
}

/// Lab prose: `backticks` become code, the rest stays text (never HTML).
fn rich(text: &str) -> Html {
    html! {
        { for text.split('`').enumerate().map(|(i, part)| if i % 2 == 1 {
            html! { <code>{ part }</code> }
        } else {
            html! { { part } }
        }) }
    }
}

/// Blank lines separate paragraphs; single line breaks are the file's wrapping.
fn paragraphs(text: &str) -> Html {
    html! {
        { for text.split("\n\n").map(str::trim).filter(|p| !p.is_empty()).map(|p| html! {
            <p>{ rich(&p.split_whitespace().collect::<Vec<_>>().join(" ")) }</p>
        }) }
    }
}

fn transcript(entries: &[Entry]) -> String {
    let mut out = String::new();
    for entry in entries {
        out.push_str("$ ");
        out.push_str(&entry.line);
        out.push('\n');
        out.push_str(&entry.output.text);
    }
    out
}

fn print() {
    if let Some(window) = web_sys::window() {
        let _ = window.print();
    }
}

/// Reads the picked file as text, refusing a large one before reading it.
fn read_file(act: Callback<Action>) -> Callback<Event> {
    Callback::from(move |e: Event| {
        let input: HtmlInputElement = e.target_unchecked_into();
        let Some(file) = input.files().and_then(|files| files.get(0)) else { return };
        // The same file picked again must fire `change` again.
        input.set_value("");
        if file.size() > MAX_LAB_BYTES as f64 {
            // Whole KB as an integer: formatting an f64 would pull float formatting into the wasm.
            let kb = (file.size() / 1024.0).ceil() as u64;
            act.emit(Action::Lab(LabAction::Load(Err(format!("the file is {kb} KB; a lab may be at most {} KB", MAX_LAB_BYTES / 1024)))));
            return;
        }
        let Ok(reader) = FileReader::new() else { return };
        let act = act.clone();
        let done = {
            let reader = reader.clone();
            Closure::once_into_js(move || {
                let text = reader.result().ok().and_then(|r| r.as_string());
                act.emit(Action::Lab(LabAction::Load(text.ok_or_else(|| "the file could not be read as text".to_string()))));
            })
        };
        reader.set_onloadend(Some(done.unchecked_ref()));
        if reader.read_as_text(&file).is_err() {
            reader.set_onloadend(None);
        }
    })
}

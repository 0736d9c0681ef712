//! The manifest editor: a plain textarea (so typing, selection, undo and screen readers work
//! as everywhere) over a highlighted copy of the same text, with a line-number gutter. Both
//! layers use the same font metrics; the textarea's scroll position moves the others.
//! Diagnostics show at their line (a marker in the gutter, a tinted line and a short note after
//! the line's text) and in full, with their hint, under the editor.

use std::fmt::Write;
use std::rc::Rc;

use web_sys::{HtmlElement, HtmlSelectElement, HtmlTextAreaElement};
use yew::prelude::*;

use super::escape_into;
use super::highlight::tokens;
use crate::manifest::{Diagnostic, Parsed, Severity};
use crate::ui::examples::EXAMPLES;
use crate::ui::i18n::{tf, Lang, T};

#[derive(Properties)]
pub struct EditorProps {
    pub lang: Lang,
    pub text: Rc<str>,
    pub parsed: Rc<Parsed>,
    pub has_backup: bool,
    pub on_edit: Callback<String>,
    pub on_apply: Callback<()>,
    pub on_example: Callback<usize>,
    pub on_undo_example: Callback<()>,
    pub on_hide: Callback<()>,
}

// By hand for `parsed`: the same parse is the same `Rc`, and comparing two parses field by field
// on every frame of playback cost more than the rest of the props together.
impl PartialEq for EditorProps {
    fn eq(&self, other: &Self) -> bool {
        self.lang == other.lang
            && self.text == other.text
            && (Rc::ptr_eq(&self.parsed, &other.parsed) || self.parsed == other.parsed)
            && self.has_backup == other.has_backup
            && self.on_edit == other.on_edit
            && self.on_apply == other.on_apply
            && self.on_example == other.on_example
            && self.on_undo_example == other.on_undo_example
            && self.on_hide == other.on_hide
    }
}

#[function_component(Editor)]
pub fn editor(props: &EditorProps) -> Html {
    let lang = props.lang;
    let textarea = use_node_ref();
    let layer = use_node_ref();
    let gutter = use_node_ref();

    let oninput = props.on_edit.reform(|e: InputEvent| e.target_unchecked_into::<HtmlTextAreaElement>().value());
    let onkeydown = {
        let on_apply = props.on_apply.clone();
        Callback::from(move |e: KeyboardEvent| {
            if e.key() == "Enter" && (e.ctrl_key() || e.meta_key()) {
                e.prevent_default();
                on_apply.emit(());
            }
        })
    };
    // Scrolling moves the highlight layer and the gutter with the text, without a re-render.
    let onscroll = {
        let (layer, gutter) = (layer.clone(), gutter.clone());
        Callback::from(move |e: Event| {
            let area = e.target_unchecked_into::<HtmlTextAreaElement>();
            let (x, y) = (area.scroll_left(), area.scroll_top());
            if let Some(el) = layer.cast::<HtmlElement>() {
                let _ = el.style().set_property("transform", &format!("translate({}px,{}px)", -x, -y));
            }
            if let Some(el) = gutter.cast::<HtmlElement>() {
                let _ = el.style().set_property("transform", &format!("translateY({}px)", -y));
            }
        })
    };
    let on_example = {
        let cb = props.on_example.clone();
        Callback::from(move |e: Event| {
            let select = e.target_unchecked_into::<HtmlSelectElement>();
            if let Ok(i) = select.value().parse::<usize>() {
                cb.emit(i);
            }
            select.set_selected_index(0);
        })
    };
    let jump = {
        let textarea = textarea.clone();
        let text = props.text.clone();
        Callback::from(move |(line, column): (u32, u32)| {
            if let Some(area) = textarea.cast::<HtmlTextAreaElement>() {
                let pos = utf16_offset(&text, line, column);
                let _ = area.focus();
                let _ = area.set_selection_range(pos, pos);
            }
        })
    };

    let diagnostics = &props.parsed.diagnostics;
    let lines: Vec<&str> = props.text.split('\n').collect();
    let first_at = |n: u32| diagnostics.iter().find(|d| d.line == n);

    // The gutter and the highlighted copy are a few hundred elements that only ever change
    // together with the text: they go in as markup, one DOM operation each, rather than one
    // virtual node per token to build and diff (most of the first screen's rendering).
    let mut gutter_html = String::new();
    let mut code_html = String::new();
    for (i, line) in lines.iter().enumerate() {
        let n = i as u32 + 1;
        let diag = first_at(n);
        match diag {
            Some(d) => {
                let mark = if d.severity == Severity::Error { "✖" } else { "▲" };
                let _ = write!(gutter_html, r#"<div class="ln {}"><span class="ln-mark">{mark}</span>{n}</div>"#, severity_class(d.severity));
                let _ = write!(code_html, r#"<div class="hl-line {}">"#, severity_class(d.severity));
            }
            None => {
                let _ = write!(gutter_html, r#"<div class="ln">{n}</div>"#);
                code_html.push_str(r#"<div class="hl-line">"#);
            }
        }
        for (tok, piece) in tokens(line) {
            match tok.class() {
                "" => escape_into(&mut code_html, piece),
                class => {
                    let _ = write!(code_html, r#"<span class="{class}">"#);
                    escape_into(&mut code_html, piece);
                    code_html.push_str("</span>");
                }
            }
        }
        if let Some(d) = diag {
            code_html.push_str(r#"<span class="lens">"#);
            escape_into(&mut code_html, &lens_text(d, lang));
            code_html.push_str("</span>");
        }
        code_html.push_str("</div>");
    }
    let gutter_lines = Html::from_html_unchecked(AttrValue::from(gutter_html));
    let code_lines = Html::from_html_unchecked(AttrValue::from(code_html));

    let errors = diagnostics.iter().filter(|d| d.severity == Severity::Error).count();
    html! {
        <section class="panel editor-panel" aria-labelledby="manifest-label">
            <div class="panel-head">
                <label id="manifest-label" for="manifest" class="panel-title">{ T::Manifest.get(lang) }</label>
                <div class="head-tools">
                    <select class="examples" aria-label={T::Examples.get(lang)} onchange={on_example} data-testid="example-picker">
                        <option value="" selected=true>{ T::ExamplePick.get(lang) }</option>
                        { for EXAMPLES.iter().enumerate().map(|(i, ex)| html! {
                            <option value={i.to_string()}>{ if lang == Lang::Ko { ex.title_ko } else { ex.title_en } }</option>
                        }) }
                    </select>
                    if props.has_backup {
                        <button type="button" class="quiet-button" onclick={props.on_undo_example.reform(|_| ())}>
                            { T::UndoExample.get(lang) }
                        </button>
                    }
                    <button type="button" class="quiet-button" onclick={props.on_hide.reform(|_| ())} data-testid="hide-editor"
                        title={T::HideEditorLabel.get(lang)} aria-label={T::HideEditorLabel.get(lang)}>
                        { T::HideEditor.get(lang) }
                    </button>
                    <button type="button" class="primary" data-testid="apply" title={T::ApplyTitle.get(lang)}
                        onclick={props.on_apply.reform(|_| ())}>
                        { T::Apply.get(lang) }<kbd class="shortcut">{ "Ctrl+↵" }</kbd>
                    </button>
                </div>
            </div>
            <div class={classes!("code", (errors > 0).then_some("has-errors"))}>
                <div class="gutter" aria-hidden="true"><div class="gutter-inner" ref={gutter}>{ gutter_lines }</div></div>
                <div class="code-area">
                    <pre class="hl" aria-hidden="true"><code ref={layer}>{ code_lines }</code></pre>
                    <textarea
                        id="manifest"
                        ref={textarea}
                        data-testid="manifest-input"
                        spellcheck="false"
                        autocomplete="off"
                        autocapitalize="off"
                        wrap="off"
                        aria-describedby="manifest-help diagnostics-summary"
                        aria-invalid={(errors > 0).to_string()}
                        value={props.text.to_string()}
                        {oninput}
                        {onkeydown}
                        {onscroll}
                    />
                </div>
            </div>
            <p id="manifest-help" class="sr-only">{ T::ManifestHelp.get(lang) }</p>
            <DiagnosticList {lang} parsed={props.parsed.clone()} on_jump={jump} />
            <ObjectList {lang} parsed={props.parsed.clone()} />
        </section>
    }
}

fn severity_class(s: Severity) -> &'static str {
    match s {
        Severity::Error => "error",
        Severity::Warning => "warning",
    }
}

/// The short note after the offending line: the hint when there is one (it says what to do).
fn lens_text(d: &Diagnostic, lang: Lang) -> String {
    let text = match (&d.hint, lang) {
        (Some(h), Lang::Ko) => h.ko.as_str(),
        (Some(h), Lang::En) => h.en.as_str(),
        (None, _) => d.message.as_str(),
    };
    let first = text.lines().next().unwrap_or("");
    let mark = if d.severity == Severity::Error { "✖" } else { "▲" };
    format!("{mark} {first}")
}

/// The textarea offset (UTF-16 units) of a 1-based line and column.
fn utf16_offset(text: &str, line: u32, column: u32) -> u32 {
    let mut offset = 0u32;
    for (i, l) in text.split('\n').enumerate() {
        if i as u32 + 1 == line {
            let col = l.chars().take(column.saturating_sub(1) as usize).map(|c| c.len_utf16() as u32).sum::<u32>();
            return offset + col;
        }
        offset += l.encode_utf16().count() as u32 + 1;
    }
    offset.saturating_sub(1)
}

#[derive(Properties, PartialEq)]
struct DiagnosticProps {
    lang: Lang,
    parsed: Rc<Parsed>,
    on_jump: Callback<(u32, u32)>,
}

#[function_component(DiagnosticList)]
fn diagnostic_list(props: &DiagnosticProps) -> Html {
    let lang = props.lang;
    let diagnostics = &props.parsed.diagnostics;
    html! {
        <div class="diagnostics-box" aria-live="polite">
            <p id="diagnostics-summary" class="sr-only">
                { if diagnostics.is_empty() { String::new() } else { tf(T::ProblemsCount, lang, &[("n", &diagnostics.len().to_string())]) } }
            </p>
            if !diagnostics.is_empty() {
                <ul class="diagnostics" data-testid="diagnostics">
                    { for diagnostics.iter().map(|d| {
                        let severity = severity_class(d.severity);
                        let word = if d.severity == Severity::Error { T::Error } else { T::Warning };
                        let at = (d.line, d.column);
                        let on_jump = props.on_jump.clone();
                        html! {
                            <li class={classes!("diagnostic", severity)} data-testid="diagnostic" data-severity={severity}>
                                <button type="button" class="where" title={tf(T::GoToLine, lang, &[("line", &d.line.to_string())])}
                                    onclick={Callback::from(move |_| on_jump.emit(at))}>
                                    { tf(T::LineColumn, lang, &[("line", &d.line.to_string()), ("column", &d.column.to_string())]) }
                                </button>
                                <span class="severity-word">{ word.get(lang) }</span>
                                <span class="message">{ &d.message }</span>
                                if let Some(hint) = &d.hint {
                                    <span class="hint" data-testid="hint">
                                        <strong>{ T::Hint.get(lang) }{ ": " }</strong>
                                        { if lang == Lang::Ko { &hint.ko } else { &hint.en } }
                                    </span>
                                }
                            </li>
                        }
                    }) }
                </ul>
            }
        </div>
    }
}

#[derive(Properties, PartialEq)]
struct ObjectListProps {
    lang: Lang,
    parsed: Rc<Parsed>,
}

#[function_component(ObjectList)]
fn object_list(props: &ObjectListProps) -> Html {
    let lang = props.lang;
    let documents = &props.parsed.documents;
    html! {
        <div class="objects-in-editor">
            <span class="caption">{ T::ObjectsInEditor.get(lang) }</span>
            if documents.is_empty() {
                <span class="empty" data-testid="object-list-empty">{ T::NoObjects.get(lang) }</span>
            } else {
                <ul class="object-list" data-testid="object-list">
                    { for documents.iter().map(|doc| {
                        let kind = if doc.kind.is_empty() { "(no kind)" } else { doc.kind.as_str() };
                        let name = if doc.name.is_empty() { "(no name)" } else { doc.name.as_str() };
                        html! {
                            <li class={classes!("object", (!doc.simulated).then_some("not-simulated"))} data-testid="object">
                                <code class="object-ref" data-testid="object-ref">{ format!("{kind}/{name}") }</code>
                                if !doc.simulated {
                                    <span class="badge" title={T::NotSimulatedTitle.get(lang)}>{ T::NotSimulated.get(lang) }</span>
                                }
                            </li>
                        }
                    }) }
                </ul>
            }
        </div>
    }
}

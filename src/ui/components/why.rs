//! The "Why?" panel: what each controller is doing or waiting for right now, in the engine's
//! own words, announced to screen readers as it changes; earlier decisions below.

use std::rc::Rc;

use yew::prelude::*;

use super::time::clock;
use crate::ui::i18n::{Lang, T};
use crate::ui::model::DecisionRow;

#[derive(Properties, PartialEq)]
pub struct WhyProps {
    pub lang: Lang,
    pub current: Rc<Vec<DecisionRow>>,
    pub history: Rc<Vec<DecisionRow>>,
}

#[function_component(Why)]
pub fn why(props: &WhyProps) -> Html {
    let lang = props.lang;
    let earlier: Vec<&DecisionRow> = props.history.iter().rev().take(8).collect();
    html! {
        <section class="panel why" aria-labelledby="why-title" data-testid="why">
            <h2 id="why-title" class="panel-title">{ T::Why.get(lang) }</h2>
            <div class="why-now" aria-live="polite" aria-atomic="true" data-testid="why-current">
                if props.current.is_empty() {
                    <p class="empty">{ T::WhyEmpty.get(lang) }</p>
                } else {
                    { for props.current.iter().map(|d| html! {
                        <p class="decision">
                            <span class="owner mono">{ d.owner.rsplit('/').next().unwrap_or(&d.owner) }</span>
                            <span class="text">{ &d.text }</span>
                        </p>
                    }) }
                }
            </div>
            if !earlier.is_empty() {
                <details class="why-history">
                    <summary>{ T::WhyEarlier.get(lang) }</summary>
                    <ol>
                        { for earlier.iter().map(|d| html! {
                            <li key={d.seq}><span class="time mono">{ clock(d.time_ms) }</span>{ " " }<span>{ &d.text }</span></li>
                        }) }
                    </ol>
                </details>
            }
        </section>
    }
}

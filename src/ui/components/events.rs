//! The events panel, like `kubectl get events`: newest at the bottom, warnings marked in words.

use std::rc::Rc;

use yew::prelude::*;

use super::time::clock;
use crate::ui::i18n::{Lang, T};
use crate::ui::model::EventRow;

#[derive(Properties, PartialEq)]
pub struct EventsProps {
    pub lang: Lang,
    pub events: Rc<Vec<EventRow>>,
}

#[function_component(Events)]
pub fn events(props: &EventsProps) -> Html {
    let lang = props.lang;
    if props.events.is_empty() {
        return html! { <p class="empty">{ T::NoEvents.get(lang) }</p> };
    }
    html! {
        <div class="table-scroll" tabindex="0" aria-label={T::Events.get(lang)}>
            <table class="events" data-testid="events">
                <thead><tr>
                    <th scope="col">{ T::EventTime.get(lang) }</th>
                    <th scope="col">{ T::EventType.get(lang) }</th>
                    <th scope="col">{ T::EventReason.get(lang) }</th>
                    <th scope="col">{ T::EventObject.get(lang) }</th>
                    <th scope="col">{ T::EventMessage.get(lang) }</th>
                </tr></thead>
                <tbody>
                    { for props.events.iter().rev().map(|e| html! {
                        <tr key={e.id} class={classes!(e.warning.then_some("warning"))}>
                            <td class="mono">{ clock(e.time_ms) }</td>
                            <td>{ if e.warning { "Warning" } else { "Normal" } }</td>
                            <td>{ &e.reason }</td>
                            <td class="mono">{ &e.object }</td>
                            <td>{ &e.message }</td>
                        </tr>
                    }) }
                </tbody>
            </table>
        </div>
    }
}

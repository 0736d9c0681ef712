//! Buttons for what a student does to a StatefulSet and its pods. Each one issues the kubectl
//! command line a student could type in the console (shown as the button's title), so the
//! session stays a list of commands.

use wasm_bindgen::JsCast;
use web_sys::{HtmlInputElement, HtmlSelectElement};
use yew::prelude::*;

use crate::ui::i18n::{Lang, T};
use crate::ui::model::SetView;
use crate::ui::runner::commands;
use crate::ui::state::Action;

fn run(act: &Callback<Action>, line: String) {
    act.emit(Action::Run { line, stdin: None, typed: false });
}

/// "More…" is a menu over the toolbar: it closes once a choice is made, as a menu does, so the
/// toolbar under it is usable again, and focus returns to its summary.
fn close_menu(menu: &NodeRef) {
    if let Some(details) = menu.cast::<web_sys::Element>() {
        if details.has_attribute("open") {
            let _ = details.remove_attribute("open");
            if let Some(summary) = details.first_element_child().and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok()) {
                let _ = summary.focus();
            }
        }
    }
}

#[derive(Properties, PartialEq)]
pub struct PodActionsProps {
    pub lang: Lang,
    pub name: String,
    pub act: Callback<Action>,
}

#[function_component(PodActions)]
pub fn pod_actions(props: &PodActionsProps) -> Html {
    let lang = props.lang;
    let delete = {
        let (act, name) = (props.act.clone(), props.name.clone());
        Callback::from(move |_| run(&act, commands::delete_pod(&name)))
    };
    let crash = {
        let (act, name) = (props.act.clone(), props.name.clone());
        Callback::from(move |_| run(&act, commands::crash_pod(&name)))
    };
    html! {
        <div class="pod-actions">
            <button type="button" class="small" onclick={delete} title={commands::delete_pod(&props.name)}
                aria-label={format!("{} {}", T::DeletePod.get(lang), props.name)}>{ T::DeletePod.get(lang) }</button>
            <button type="button" class="small" onclick={crash} title={T::CrashPodTitle.get(lang)}
                aria-label={format!("{} {}", T::CrashPod.get(lang), props.name)}>{ T::CrashPod.get(lang) }</button>
        </div>
    }
}

/// What the toolbar shows of a set: its spec, not its pods, so a pod changing does not
/// re-render the toolbar.
#[derive(Clone, PartialEq)]
pub struct SetActionsSet {
    pub name: String,
    pub replicas: u32,
    pub container: String,
    pub image: String,
    pub partition: u32,
    pub strategy: String,
    pub policy: String,
    pub when_deleted: String,
    pub when_scaled: String,
}

impl SetActionsSet {
    pub fn of(set: &SetView) -> SetActionsSet {
        SetActionsSet {
            name: set.name.clone(),
            replicas: set.replicas,
            container: set.container.clone(),
            image: set.image.clone(),
            partition: set.partition,
            strategy: set.strategy.clone(),
            policy: set.policy.clone(),
            when_deleted: set.when_deleted.clone(),
            when_scaled: set.when_scaled.clone(),
        }
    }
}

#[derive(Properties, PartialEq)]
pub struct SetActionsProps {
    pub lang: Lang,
    pub set: SetActionsSet,
    pub act: Callback<Action>,
}

#[function_component(SetActions)]
pub fn set_actions(props: &SetActionsProps) -> Html {
    let lang = props.lang;
    let set = &props.set;
    let name = set.name.clone();
    let menu = use_node_ref();
    // Every choice in "More…" closes it (see `close_menu`).
    let act = {
        let (act, menu) = (props.act.clone(), menu.clone());
        Callback::from(move |a: Action| {
            close_menu(&menu);
            act.emit(a);
        })
    };
    let on_menu_key = {
        let menu = menu.clone();
        Callback::from(move |e: KeyboardEvent| {
            if e.key() == "Escape" {
                close_menu(&menu);
            }
        })
    };

    // Typed values live here until submitted; they follow the cluster when it changes.
    let replicas = use_state(|| set.replicas.to_string());
    let image = use_state(|| set.image.clone());
    {
        let (replicas, image) = (replicas.clone(), image.clone());
        use_effect_with((set.replicas, set.image.clone()), move |(r, i)| {
            replicas.set(r.to_string());
            image.set(i.clone());
        });
    }

    let scale_to = {
        let (act, name) = (act.clone(), name.clone());
        move |n: u32| run(&act, commands::scale("sts", &name, n))
    };
    let down = {
        let scale_to = scale_to.clone();
        let n = set.replicas;
        Callback::from(move |_| scale_to(n.saturating_sub(1)))
    };
    let up = {
        let scale_to = scale_to.clone();
        let n = set.replicas;
        Callback::from(move |_| scale_to(n.saturating_add(1)))
    };
    let set_replicas = {
        let (scale_to, replicas) = (scale_to.clone(), replicas.clone());
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            if let Ok(n) = replicas.trim().parse::<u32>() {
                scale_to(n);
            }
        })
    };
    let on_replicas = {
        let replicas = replicas.clone();
        Callback::from(move |e: InputEvent| replicas.set(e.target_unchecked_into::<HtmlInputElement>().value()))
    };
    let set_image = {
        let (act, name, image, container) = (act.clone(), name.clone(), image.clone(), set.container.clone());
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            let img = image.trim();
            // Images are one word; anything else would not survive the command line.
            if !img.is_empty() && !img.contains(char::is_whitespace) && !img.contains('\'') {
                run(&act, commands::set_image(&name, &container, img));
            }
        })
    };
    let on_image = {
        let image = image.clone();
        Callback::from(move |e: InputEvent| image.set(e.target_unchecked_into::<HtmlInputElement>().value()))
    };
    let on_partition = {
        let (act, name) = (act.clone(), name.clone());
        Callback::from(move |e: Event| {
            if let Ok(p) = e.target_unchecked_into::<HtmlInputElement>().value().parse::<u32>() {
                run(&act, commands::patch(&name, &format!(r#"{{"spec":{{"updateStrategy":{{"type":"RollingUpdate","rollingUpdate":{{"partition":{p}}}}}}}}}"#)));
            }
        })
    };
    let on_strategy = {
        let (act, name) = (act.clone(), name.clone());
        Callback::from(move |e: Event| {
            let patch = match e.target_unchecked_into::<HtmlSelectElement>().value().as_str() {
                "OnDelete" => r#"{"spec":{"updateStrategy":{"type":"OnDelete","rollingUpdate":null}}}"#,
                _ => r#"{"spec":{"updateStrategy":{"type":"RollingUpdate"}}}"#,
            };
            run(&act, commands::patch(&name, patch));
        })
    };
    let on_policy = {
        let (act, name) = (act.clone(), name.clone());
        Callback::from(move |e: Event| {
            let policy = e.target_unchecked_into::<HtmlSelectElement>().value();
            act.emit(Action::SwitchPolicy { set: name.clone(), policy });
        })
    };
    let retention = |field: &'static str| {
        let (act, name) = (act.clone(), name.clone());
        Callback::from(move |e: Event| {
            let value = e.target_unchecked_into::<HtmlSelectElement>().value();
            if value == "Retain" || value == "Delete" {
                run(&act, commands::patch(&name, &format!(r#"{{"spec":{{"persistentVolumeClaimRetentionPolicy":{{"{field}":"{value}"}}}}}}"#)));
            }
        })
    };
    let delete = |orphan: bool| {
        let (act, name) = (act.clone(), name.clone());
        Callback::from(move |_| run(&act, commands::delete_set(&name, orphan)))
    };
    let scale_zero_delete = {
        let (act, name) = (act.clone(), name.clone());
        Callback::from(move |_| act.emit(Action::ScaleToZeroThenDelete(name.clone())))
    };
    let id = |what: &str| format!("{}-{what}", set.name);
    let option = |value: &'static str, current: &str| html! { <option {value} selected={value == current}>{ value }</option> };

    html! {
        <div class="set-actions" role="group" aria-label={format!("{}: {}", T::Actions.get(lang), set.name)} data-testid="set-actions">
            <form class="action replicas" onsubmit={set_replicas}>
                <label for={id("replicas")}>{ T::Replicas.get(lang) }</label>
                <div class="stepper">
                    <button type="button" onclick={down} disabled={set.replicas == 0} data-testid="scale-down"
                        title={commands::scale("sts", &set.name, set.replicas.saturating_sub(1))} aria-label={T::ScaleDown.get(lang)}>{ "−" }</button>
                    <input id={id("replicas")} type="number" min="0" max="500" inputmode="numeric" value={(*replicas).clone()}
                        oninput={on_replicas} data-testid="replicas-input" />
                    <button type="button" onclick={up} data-testid="scale-up"
                        title={commands::scale("sts", &set.name, set.replicas + 1)} aria-label={T::ScaleUp.get(lang)}>{ "+" }</button>
                </div>
                <button type="submit" class="small" data-testid="set-replicas">{ T::Set.get(lang) }</button>
            </form>
            <form class="action image" onsubmit={set_image}>
                <label for={id("image")}>{ T::Image.get(lang) }</label>
                <input id={id("image")} type="text" class="mono" spellcheck="false" value={(*image).clone()} oninput={on_image} data-testid="image-input" />
                <button type="submit" data-testid="set-image">{ T::RollingUpdate.get(lang) }</button>
            </form>
            <div class="action partition">
                <label for={id("partition")}>{ T::Partition.get(lang) }{ ": " }<output>{ set.partition }</output></label>
                <input id={id("partition")} type="range" min="0" max={set.replicas.max(1).to_string()} step="1"
                    value={set.partition.to_string()} onchange={on_partition} disabled={set.strategy != "RollingUpdate"}
                    data-testid="partition" />
            </div>
            <details class="more-actions" ref={menu} onkeydown={on_menu_key}>
            <summary data-testid="more-actions">{ T::MoreActions.get(lang) }</summary>
            <div class="more-body">
            <div class="action switches">
                <label>{ T::Strategy.get(lang) }
                    <select onchange={on_strategy} data-testid="strategy">
                        { option("RollingUpdate", &set.strategy) }{ option("OnDelete", &set.strategy) }
                    </select>
                </label>
                <label title={T::PolicySwitchNote.get(lang)}>{ T::Policy.get(lang) }
                    <select onchange={on_policy} data-testid="policy">
                        { option("OrderedReady", &set.policy) }{ option("Parallel", &set.policy) }
                    </select>
                </label>
                <label>{ T::Retention.get(lang) }{ " · " }{ T::WhenDeleted.get(lang) }
                    <select onchange={retention("whenDeleted")} data-testid="when-deleted">
                        { option("Retain", &set.when_deleted) }{ option("Delete", &set.when_deleted) }
                    </select>
                </label>
                <label>{ T::WhenScaled.get(lang) }
                    <select onchange={retention("whenScaled")} data-testid="when-scaled">
                        { option("Retain", &set.when_scaled) }{ option("Delete", &set.when_scaled) }
                    </select>
                </label>
            </div>
            <div class="action danger">
                <button type="button" class="danger" onclick={scale_zero_delete} title={T::ScaleToZeroThenDeleteTitle.get(lang)}
                    data-testid="scale-zero-delete">{ T::ScaleToZeroThenDelete.get(lang) }</button>
                <button type="button" class="danger-quiet" onclick={delete(false)} title={commands::delete_set(&set.name, false)}
                    data-testid="delete-set">{ T::DeleteBackground.get(lang) }</button>
                <button type="button" class="danger-quiet" onclick={delete(true)} title={commands::delete_set(&set.name, true)}
                    data-testid="delete-set-orphan">{ T::DeleteOrphan.get(lang) }</button>
            </div>
            </div>
            </details>
        </div>
    }
}

//! The StatefulSet status panel: the counters the controller writes, the two revisions, and
//! what they mean for the rollout, in words.

use yew::prelude::*;

use crate::ui::i18n::{tf, Lang, T};
use crate::ui::model::SetView;

#[derive(Properties, PartialEq)]
pub struct StatusProps {
    pub lang: Lang,
    pub sets: Vec<std::rc::Rc<SetView>>,
}

#[function_component(Status)]
pub fn status(props: &StatusProps) -> Html {
    let lang = props.lang;
    let live: Vec<&SetView> = props.sets.iter().map(|s| &**s).filter(|s| s.exists).collect();
    if live.is_empty() {
        return html! { <p class="empty">{ T::StatusEmpty.get(lang) }</p> };
    }
    html! {
        <div class="status-panel" data-testid="status">
            { for live.iter().map(|set| {
                let st = &set.status;
                let rollout = if st.current_revision == st.update_revision && st.updated >= set.replicas {
                    T::RolloutDone.get(lang).to_string()
                } else if set.strategy == "RollingUpdate" && set.partition > 0 {
                    tf(T::RolloutPartitioned, lang, &[("p", &set.partition.to_string())])
                } else {
                    tf(T::RolloutInProgress, lang, &[("u", &st.updated.to_string()), ("n", &set.replicas.to_string())])
                };
                html! {
                    <section class="set-status">
                        <h3 class="card-title"><span class="kind">{ "StatefulSet" }</span>{ " " }{ &set.name }</h3>
                        <dl class="counters">
                            <div><dt>{ T::DesiredReplicas.get(lang) }</dt><dd>{ set.replicas }</dd></div>
                            <div><dt>{ T::TotalReplicas.get(lang) }</dt><dd>{ st.replicas }</dd></div>
                            <div><dt>{ T::ReadyReplicas.get(lang) }</dt><dd>{ st.ready }</dd></div>
                            <div><dt>{ T::AvailableReplicas.get(lang) }</dt><dd>{ st.available }</dd></div>
                            <div><dt>{ T::CurrentReplicas.get(lang) }</dt><dd>{ st.current }</dd></div>
                            <div><dt>{ T::UpdatedReplicas.get(lang) }</dt><dd>{ st.updated }</dd></div>
                        </dl>
                        <dl class="revisions">
                            <div><dt>{ T::CurrentRevision.get(lang) }</dt><dd class="mono">{ &st.current_revision }</dd></div>
                            <div><dt>{ T::UpdateRevision.get(lang) }</dt><dd class="mono">{ &st.update_revision }</dd></div>
                            <div><dt>{ T::ObservedGeneration.get(lang) }</dt><dd class="mono">{ format!("{} / {}", st.observed_generation, st.generation) }</dd></div>
                        </dl>
                        <p class="rollout">{ rollout }</p>
                    </section>
                }
            }) }
        </div>
    }
}

//! Compare mode: the StatefulSet's pod template also runs as a Deployment, side by side, with
//! the lecture's comparison (names, order, storage, DNS) next to what the cluster shows.

use yew::prelude::*;

use super::cluster::{DeploymentRow, SetRow};
use crate::ui::i18n::{tf, Lang, T};
use crate::ui::model::ClusterView;
use crate::ui::state::{Action, State};

#[derive(Properties, PartialEq)]
pub struct CompareProps {
    pub lang: Lang,
    pub view: std::rc::Rc<ClusterView>,
    pub act: Callback<Action>,
}

#[function_component(Compare)]
pub fn compare(props: &CompareProps) -> Html {
    let lang = props.lang;
    let Some(set) = props.view.sets.iter().find(|s| s.exists) else {
        return html! { <p class="empty-cluster">{ T::CompareNeedsSet.get(lang) }</p> };
    };
    let twin = State::twin_name(&set.name);
    let deployment = props.view.deployments.iter().find(|d| d.name == twin);
    let start = {
        let (act, name) = (props.act.clone(), set.name.clone());
        Callback::from(move |_| act.emit(Action::StartCompare(name.clone())))
    };
    let rows = [
        (T::CompareNames, T::CompareStsNames, T::CompareDeployNames),
        (T::CompareOrder, T::CompareStsOrder, T::CompareDeployOrder),
        (T::CompareStorage, T::CompareStsStorage, T::CompareDeployStorage),
        (T::CompareDns, T::CompareStsDns, T::CompareDeployDns),
    ];
    html! {
        <div class="compare" data-testid="compare">
            <h2 class="compare-title">{ T::CompareTitle.get(lang) }</h2>
            <p class="note">{ tf(T::CompareIntro, lang, &[("name", &twin)]) }</p>
            <table class="compare-table">
                <thead><tr><th></th><th scope="col">{ "StatefulSet" }</th><th scope="col">{ "Deployment" }</th></tr></thead>
                <tbody>
                    { for rows.iter().map(|(what, sts, deploy)| html! {
                        <tr><th scope="row">{ what.get(lang) }</th><td>{ sts.get(lang) }</td><td>{ deploy.get(lang) }</td></tr>
                    }) }
                </tbody>
            </table>
            <div class="compare-columns">
                <SetRow {lang} set={set.clone()} act={props.act.clone()} actions=false />
                { match deployment {
                    Some(d) => html! { <DeploymentRow {lang} deployment={d.clone()} act={props.act.clone()} actions=false /> },
                    None => html! {
                        <div class="card compare-start">
                            <button type="button" class="primary" onclick={start} data-testid="compare-start">{ T::CompareStart.get(lang) }</button>
                        </div>
                    },
                } }
            </div>
        </div>
    }
}

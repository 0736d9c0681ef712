//! The cluster view: each StatefulSet as a row of ordinal slots (pod above, claim and volume
//! below), Deployments in the same style, the headless Services with their DNS records, and
//! the nodes. State is always written as a word; colour only repeats it.

use std::rc::Rc;

use yew::prelude::*;

use super::actions::{PodActions, SetActions, SetActionsSet};
use super::escape_into;
use crate::ui::i18n::{tf, Lang, T};
use crate::ui::model::{ClaimState, ClaimView, ClusterView, DeploymentView, NodeView, PodView, ServiceView, SetView, SlotView};
use crate::ui::runner::commands;
use crate::ui::state::Action;

#[derive(Properties, PartialEq)]
pub struct ClusterProps {
    pub lang: Lang,
    pub view: std::rc::Rc<ClusterView>,
    pub act: Callback<Action>,
}

#[function_component(Cluster)]
pub fn cluster(props: &ClusterProps) -> Html {
    let lang = props.lang;
    let view = &props.view;
    if !view.anything && view.services.is_empty() && view.deployments.is_empty() {
        return html! {
            <div class="cluster">
                <p class="empty-cluster" data-testid="cluster-empty">{ T::NothingApplied.get(lang) }</p>
                <Nodes {lang} nodes={view.nodes.clone()} act={props.act.clone()} />
            </div>
        };
    }
    html! {
        <div class="cluster" data-testid="cluster">
          <div class="cluster-main">
            { for view.sets.iter().map(|set| html! {
                <SetRow key={format!("{}/{}", set.namespace, set.name)} {lang} set={set.clone()} act={props.act.clone()} actions=true />
            }) }
            { for view.deployments.iter().map(|d| html! {
                <DeploymentRow key={d.name.clone()} {lang} deployment={d.clone()} act={props.act.clone()} />
            }) }
            if !view.stray_claims.is_empty() {
                <section class="card strays" aria-label={T::Orphans.get(lang)}>
                    <h3 class="card-title">{ T::Orphans.get(lang) }</h3>
                    <div class="claims-row">
                        { for view.stray_claims.iter().map(|c| html! { <Claim {lang} claim={c.clone()} act={props.act.clone()} /> }) }
                    </div>
                </section>
            }
          </div>
            <aside class="cluster-side">
                { for view.services.iter().map(|svc| html! { <ServiceCard key={svc.name.clone()} {lang} service={svc.clone()} /> }) }
                <Nodes {lang} nodes={view.nodes.clone()} act={props.act.clone()} />
            </aside>
        </div>
    }
}

#[derive(Properties, PartialEq)]
pub struct SetRowProps {
    pub lang: Lang,
    pub set: Rc<SetView>,
    pub act: Callback<Action>,
    /// Whether to show the action toolbar and the per-pod buttons (off in compare mode).
    pub actions: bool,
}

#[function_component(SetRow)]
pub fn set_row(props: &SetRowProps) -> Html {
    let lang = props.lang;
    let set = &props.set;
    let ready = set.slots.iter().filter(|s| s.pod.as_ref().is_some_and(|p| p.is_ready)).count();
    let set_name = AttrValue::from(set.name.clone());
    html! {
        <section class={classes!("card", "set", (!set.exists).then_some("gone"))}
            data-testid="set" data-name={set.name.clone()} aria-labelledby={format!("set-{}", set.name)}>
            <header class="set-head">
                <h3 class="card-title" id={format!("set-{}", set.name)}>
                    <span class="kind">{ T::StatefulSet.get(lang) }</span>{ " " }<span class="name">{ &set.name }</span>
                    if !set.exists { <span class="badge gone-badge">{ T::Deleted.get(lang) }</span> }
                </h3>
                if set.exists {
                    <dl class="facts">
                        <div><dt>{ T::Replicas.get(lang) }</dt><dd data-testid="set-spec-replicas">{ set.replicas }</dd></div>
                        <div><dt>{ T::Ready.get(lang) }</dt><dd data-testid="set-ready">{ format!("{ready}/{}", set.replicas) }</dd></div>
                        <div><dt>{ T::Policy.get(lang) }</dt><dd>{ &set.policy }</dd></div>
                        <div><dt>{ T::Strategy.get(lang) }</dt><dd>
                            { &set.strategy }
                            if set.strategy == "RollingUpdate" && set.partition > 0 { { format!(" · partition {}", set.partition) } }
                        </dd></div>
                        <div title={format!("{}: {} · {}: {}", T::WhenDeleted.get(lang), set.when_deleted, T::WhenScaled.get(lang), set.when_scaled)}>
                            <dt>{ T::Retention.get(lang) }</dt><dd>{ format!("{} / {}", set.when_deleted, set.when_scaled) }</dd>
                        </div>
                    </dl>
                } else {
                    <p class="note">{ T::DeletedSetNote.get(lang) }</p>
                }
            </header>
            if props.actions && set.exists {
                <SetActions {lang} set={SetActionsSet::of(set)} act={props.act.clone()} />
            }
            <ol class="slots" aria-label={T::StatefulSet.get(lang)}>
                { for set.slots.iter().map(|slot| html! {
                    <Slot key={slot.ordinal} {lang} set={set_name.clone()} slot={slot.clone()} act={props.act.clone()} actions={props.actions} />
                }) }
            </ol>
        </section>
    }
}

#[derive(Properties, PartialEq)]
struct SlotProps {
    lang: Lang,
    set: AttrValue,
    slot: Rc<SlotView>,
    act: Callback<Action>,
    actions: bool,
}

#[function_component(Slot)]
fn slot(props: &SlotProps) -> Html {
    let lang = props.lang;
    let slot = &props.slot;
    let state_class = match &slot.pod {
        Some(p) => p.tone.class(),
        None => "tone-idle",
    };
    html! {
        <li class={classes!("slot", state_class, slot.beyond.then_some("beyond"))}
            data-testid="slot" data-ordinal={slot.ordinal.to_string()}>
            <div class="slot-ordinal">
                <span class="ordinal-num" title={tf(T::Ordinal, lang, &[("n", &slot.ordinal.to_string())])}>
                    <span class="sr-only">{ tf(T::Ordinal, lang, &[("n", &slot.ordinal.to_string())]) }</span>
                    <span aria-hidden="true">{ format!("#{}", slot.ordinal) }</span>
                </span>
                if slot.beyond { <span class="beyond-word">{ T::BeyondReplicas.get(lang) }</span> }
            </div>
            { match &slot.pod {
                Some(pod) => html! { <Pod {lang} pod={pod.clone()} act={props.act.clone()} actions={props.actions} /> },
                None => html! {
                    <div class="pod none" data-testid="pod-none">
                        <span class="pod-name">{ format!("{}-{}", props.set, slot.ordinal) }</span>
                        <span class="status-word">{ T::NoPod.get(lang) }</span>
                    </div>
                },
            } }
            if !slot.claims.is_empty() {
                <div class="slot-claims">
                    { for slot.claims.iter().map(|c| html! { <Claim {lang} claim={c.clone()} act={props.act.clone()} actions={props.actions} /> }) }
                </div>
            }
        </li>
    }
}

#[derive(Properties, PartialEq)]
pub struct PodProps {
    pub lang: Lang,
    pub pod: Rc<PodView>,
    pub act: Callback<Action>,
    #[prop_or(true)]
    pub actions: bool,
}

#[function_component(Pod)]
pub fn pod(props: &PodProps) -> Html {
    let lang = props.lang;
    let pod = &props.pod;
    html! {
        <div class="pod" data-testid="pod" data-name={pod.name.clone()} data-status={pod.status.clone()}>
            <div class="pod-line">
                <span class="pod-name">{ &pod.name }</span>
            </div>
            <div class="pod-line">
                <span class={classes!("status", pod.tone.class())} data-testid="pod-status">
                    <span class="dot" aria-hidden="true"></span>{ &pod.status }
                </span>
                <span class="ready" title={if pod.is_ready { T::Ready.get(lang) } else { T::NotReady.get(lang) }}>{ &pod.ready }</span>
                if pod.restarts > 0 {
                    <span class="restarts">{ format!("↻{} {}", pod.restarts, T::Restarts.get(lang)) }</span>
                }
            </div>
            <dl class="pod-facts">
                if !pod.revision.is_empty() {
                    <div class="fact">
                        <dt class="sr-only">{ T::Revision.get(lang) }</dt>
                        <dd class={classes!("rev", pod.updated.then_some("rev-new"))} data-testid="pod-revision" title={T::Revision.get(lang)}>
                            <span class="mono">{ &pod.revision }</span>
                            <span class="rev-word">{ if pod.updated { T::Updated.get(lang) } else { T::OldRevision.get(lang) } }</span>
                        </dd>
                    </div>
                }
                <div class="fact">
                    <dt class="sr-only">{ T::Image.get(lang) }</dt>
                    <dd class="mono" data-testid="pod-image" title={pod.image.clone()}>{ pod.image.rsplit('/').next().unwrap_or(&pod.image) }</dd>
                </div>
                <div class="fact net">
                    <dt class="sr-only">{ T::Ip.get(lang) }</dt>
                    <dd class="mono" title={T::Ip.get(lang)}>{ if pod.ip.is_empty() { T::NoIp.get(lang).to_string() } else { pod.ip.clone() } }</dd>
                    <dt class="sr-only">{ T::Node.get(lang) }</dt>
                    <dd class="mono node-cell" title={T::Node.get(lang)}>{ if pod.node.is_empty() { T::Unscheduled.get(lang).to_string() } else { pod.node.clone() } }</dd>
                </div>
            </dl>
            if props.actions && !pod.terminating {
                <PodActions {lang} name={pod.name.clone()} act={props.act.clone()} />
            }
        </div>
    }
}

#[derive(Properties, PartialEq)]
struct ClaimProps {
    lang: Lang,
    claim: ClaimView,
    act: Callback<Action>,
    #[prop_or(true)]
    actions: bool,
}

#[function_component(Claim)]
fn claim(props: &ClaimProps) -> Html {
    let lang = props.lang;
    let c = &props.claim;
    let (class, word, title) = match c.state {
        ClaimState::InUse => ("claim-in-use", T::ClaimAttached.get(lang), ""),
        ClaimState::Reattached => ("claim-reattached", T::ClaimReattached.get(lang), T::ClaimReattachedTitle.get(lang)),
        ClaimState::Orphaned => ("claim-orphaned", T::ClaimOrphaned.get(lang), ""),
    };
    let delete = {
        let (act, name) = (props.act.clone(), c.name.clone());
        Callback::from(move |_| act.emit(Action::Run { line: commands::delete_claim(&name), stdin: None, typed: false }))
    };
    html! {
        <div class={classes!("claim", class)} data-testid="claim" data-name={c.name.clone()} data-state={word.to_string()}>
            <div class="claim-line">
                <span class="claim-icon" aria-hidden="true">{ "⛁" }</span>
                <span class="claim-name mono">{ &c.name }</span>
                if props.actions {
                    <button type="button" class="icon-button danger-quiet" onclick={delete}
                        title={format!("kubectl delete pvc {}", c.name)}
                        aria-label={format!("{} {}", T::DeleteClaim.get(lang), c.name)}>{ "×" }</button>
                }
            </div>
            <div class="claim-line">
                <span class="claim-state" title={title}>{ word }</span>
                <span class="claim-phase">{ format!("{} {}", c.phase, c.capacity) }</span>
            </div>
            <div class="claim-line volume mono" title={T::Volume.get(lang)}>
                { if c.volume.is_empty() { T::NoVolumeYet.get(lang).to_string() } else { format!("↳ {}", c.volume) } }
            </div>
        </div>
    }
}

#[derive(Properties, PartialEq)]
pub struct DeploymentProps {
    pub lang: Lang,
    pub deployment: DeploymentView,
    pub act: Callback<Action>,
    #[prop_or(true)]
    pub actions: bool,
}

#[function_component(DeploymentRow)]
pub fn deployment_row(props: &DeploymentProps) -> Html {
    let lang = props.lang;
    let d = &props.deployment;
    html! {
        <section class="card set deployment" data-testid="deployment" data-name={d.name.clone()}>
            <header class="set-head">
                <h3 class="card-title"><span class="kind">{ T::Deployment.get(lang) }</span>{ " " }<span class="name">{ &d.name }</span></h3>
                <dl class="facts">
                    <div><dt>{ T::Replicas.get(lang) }</dt><dd>{ d.replicas }</dd></div>
                    <div><dt>{ T::Ready.get(lang) }</dt><dd>{ format!("{}/{}", d.ready, d.replicas) }</dd></div>
                </dl>
            </header>
            <ol class="slots">
                { for d.pods.iter().map(|p| html! {
                    <li key={p.name.clone()} class={classes!("slot", p.tone.class())}>
                        <Pod {lang} pod={p.clone()} act={props.act.clone()} actions={props.actions} />
                    </li>
                }) }
            </ol>
        </section>
    }
}

#[derive(Properties, PartialEq)]
pub struct ServiceProps {
    pub lang: Lang,
    pub service: Rc<ServiceView>,
}

#[function_component(ServiceCard)]
pub fn service_card(props: &ServiceProps) -> Html {
    let lang = props.lang;
    let svc = &props.service;
    // The rows are kept by hand (see `patch_rows`); Yew renders the empty list around them.
    let list = use_node_ref();
    let shown = use_mut_ref(DnsShown::default);
    {
        let (list, shown) = (list.clone(), shown.clone());
        use_effect_with((svc.clone(), lang), move |(svc, lang)| {
            if let Some(el) = list.cast::<web_sys::Element>() {
                let mut shown = shown.borrow_mut();
                let (rows, head_ips) = dns_rows(svc, *lang, &shown);
                patch_rows(&el, &mut shown, rows, head_ips.as_deref());
                shown.from = Some((svc.clone(), *lang));
            }
        });
    }
    html! {
        <section class="card service" data-testid="service" data-name={svc.name.clone()}>
            <h3 class="card-title">
                <span class="kind">{ T::Service.get(lang) }</span>{ " " }<span class="name">{ &svc.name }</span>
                if svc.headless { <span class="badge">{ T::Headless.get(lang) }{ " · clusterIP: None" }</span> }
                else { <span class="badge mono">{ &svc.cluster_ip }</span> }
            </h3>
            <p class="ports mono">{ &svc.ports }</p>
            <h4 class="sub-title">{ T::DnsRecords.get(lang) }</h4>
            <ul class="dns" data-testid="dns-records" ref={list}></ul>
        </section>
    }
}

/// The DNS list as shown: each row's markup and element, and the card they were made from.
#[derive(Default)]
struct DnsShown {
    rows: Vec<String>,
    elements: Vec<web_sys::Element>,
    from: Option<(Rc<ServiceView>, Lang)>,
}

/// The Service's DNS names, one `<li>` of markup each: the service's own name first, then a
/// record per Ready pod, then the pods not in DNS. A row whose name and address are what the
/// shown card had at the same place is the shown row again, not written anew: at 100 replicas
/// the card changes with every pod turning Ready, and writing 100 rows each time was most of it.
/// Also the service row's new address text when only that changed in it (see `patch_rows`).
fn dns_rows(svc: &ServiceView, lang: Lang, shown: &DnsShown) -> (Vec<String>, Option<String>) {
    use std::fmt::Write;
    let old = shown.from.as_ref().filter(|(_, l)| *l == lang && shown.rows.len() == shown.elements.len()).map(|(o, _)| &**o);
    let reuse = |i: usize, same: bool| if same { shown.rows.get(i).cloned() } else { None };
    let row = |class: &str, testid: bool, name: &str, ips: &str, ips_class: &str| {
        let mut out = String::new();
        let _ = write!(out, r#"<li class="{class}"{}><span class="fqdn mono">"#, if testid { r#" data-testid="dns-record""# } else { "" });
        escape_into(&mut out, name);
        let _ = write!(out, r#"</span><span class="{ips_class}">"#);
        escape_into(&mut out, ips);
        out.push_str("</span></li>");
        out
    };
    let mut rows = Vec::with_capacity(1 + svc.records.len() + svc.not_ready.len());
    let same_name = old.is_some_and(|o| o.service_fqdn == svc.service_fqdn && !o.service_ips.is_empty() && !svc.service_ips.is_empty());
    let same_head = same_name && old.is_some_and(|o| o.service_ips == svc.service_ips);
    let ips = svc.service_ips.join(", ");
    let head_ips = (same_name && !same_head).then(|| ips.clone());
    rows.push(reuse(0, same_head).unwrap_or_else(|| {
        if svc.service_ips.is_empty() {
            let mut out = String::from(r#"<li class="dns-empty">"#);
            escape_into(&mut out, T::DnsEmpty.get(lang));
            out.push_str("</li>");
            out
        } else {
            row("dns-record service-record", false, &svc.service_fqdn, &ips, "ips mono")
        }
    }));
    for (j, r) in svc.records.iter().enumerate() {
        let same = old.is_some_and(|o| o.records.get(j) == Some(r));
        rows.push(reuse(1 + j, same).unwrap_or_else(|| row("dns-record", true, &r.fqdn, &r.ip, "ips mono")));
    }
    let at = 1 + svc.records.len();
    for (k, name) in svc.not_ready.iter().enumerate() {
        let same = old.is_some_and(|o| o.records.len() == svc.records.len() && o.not_ready.get(k) == Some(name));
        rows.push(reuse(at + k, same).unwrap_or_else(|| row("dns-record not-ready", false, name, T::DnsNotReady.get(lang), "ips")));
    }
    (rows, head_ips)
}

/// Brings the list's rows from `shown` to `rows`, touching only the rows that differ, through
/// the elements kept beside them (walking 100 siblings from JS to reach the one that changed
/// cost more than changing it). Yew lines an unkeyed list up from its end, so a record added at
/// the end (each pod turning Ready, at 100 replicas) rewrote every row's text; a keyed list moved
/// every row instead; and replacing the whole list removed and parsed some 600 nodes per change.
/// `head_ips`, when given, is the first row's only change: its address text, written in place.
/// That row holds every Ready pod's IP and changes with each of them; parsing it anew each time
/// was the card's largest cost at 100 replicas.
fn patch_rows(list: &web_sys::Element, shown: &mut DnsShown, rows: Vec<String>, head_ips: Option<&str>) {
    if shown.elements.len() != shown.rows.len() {
        // Never expected; start again from an empty list rather than patch the wrong rows.
        list.set_inner_html("");
        shown.rows.clear();
        shown.elements.clear();
    }
    let kept = rows.len().min(shown.rows.len());
    for (i, row) in rows.iter().enumerate().take(kept) {
        if *row != shown.rows[i] {
            if let (0, Some(ips), Some(text)) = (i, head_ips, shown.elements[i].last_element_child().and_then(|s| s.first_child())) {
                text.set_node_value(Some(ips));
                continue;
            }
            shown.elements[i].set_outer_html(row);
            // The markup replaced the element: find the new one where it was.
            let new = if i == 0 { list.first_element_child() } else { shown.elements[i - 1].next_element_sibling() };
            if let Some(el) = new {
                shown.elements[i] = el;
            }
        }
    }
    for el in shown.elements.drain(kept..) {
        el.remove();
    }
    if kept < rows.len() {
        let _ = list.insert_adjacent_html("beforeend", &rows[kept..].concat());
        let mut next = match shown.elements.last() {
            Some(last) => last.next_element_sibling(),
            None => list.first_element_child(),
        };
        while let Some(el) = next {
            next = el.next_element_sibling();
            shown.elements.push(el);
        }
    }
    shown.rows = rows;
}

#[derive(Properties, PartialEq)]
struct NodesProps {
    lang: Lang,
    nodes: Vec<NodeView>,
    act: Callback<Action>,
}

#[function_component(Nodes)]
fn nodes(props: &NodesProps) -> Html {
    let lang = props.lang;
    html! {
        <section class="card nodes" data-testid="nodes">
            <h3 class="card-title">{ T::Nodes.get(lang) }</h3>
            <ul class="node-list">
                { for props.nodes.iter().map(|n| {
                    let (act, name, ready) = (props.act.clone(), n.name.clone(), n.ready);
                    let toggle = Callback::from(move |_| {
                        let line = if ready { commands::node_down(&name) } else { commands::node_up(&name) };
                        act.emit(Action::Run { line, stdin: None, typed: false });
                    });
                    html! {
                        <li class={classes!("node", if n.ready { "tone-ok" } else { "tone-bad" })} data-testid="node" data-name={n.name.clone()}>
                            <span class="node-name mono">{ &n.name }</span>
                            <span class={classes!("status", if n.ready { "tone-ok" } else { "tone-bad" })}>
                                <span class="dot" aria-hidden="true"></span>
                                { if n.ready { T::NodeReady.get(lang) } else { T::NodeNotReady.get(lang) } }
                            </span>
                            if n.unschedulable { <span class="badge">{ T::Cordoned.get(lang) }</span> }
                            <span class="node-pods">{ tf(T::PodsOnNode, lang, &[("n", &n.pods.to_string())]) }</span>
                            <button type="button" class="small" onclick={toggle}>
                                { if n.ready { T::NodeDown.get(lang) } else { T::NodeUp.get(lang) } }
                            </button>
                        </li>
                    }
                }) }
            </ul>
        </section>
    }
}

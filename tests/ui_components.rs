//! The student's screen in a real browser: components mounted with the props a session would
//! give them, and the whole app driven through its buttons, asserting what a student sees.
//! Run by wasm-bindgen-test-runner in headless Chromium; native `cargo test` compiles this to nothing.
#![cfg(target_arch = "wasm32")]

use std::rc::Rc;

use statefulset_lab::manifest;
use statefulset_lab::ui::components::cluster::{Cluster, ClusterProps};
use statefulset_lab::ui::components::editor::{Editor, EditorProps};
use statefulset_lab::ui::components::highlight::tokens;
use statefulset_lab::ui::i18n::{Lang, T};
use statefulset_lab::ui::model::{ClaimState, ClaimView, ClusterView, PodView, SetStatus, SetView, SlotView, Tone};
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;
use web_sys::HtmlInputElement;
use yew::Callback;

wasm_bindgen_test_configure!(run_in_browser);

mod browser_common;
use browser_common::{mount_app, settle, step_until, Mounted};

fn pod(name: &str, status: &str, tone: Tone, ready: bool) -> Rc<PodView> {
    Rc::new(PodView {
        name: name.into(),
        status: status.into(),
        tone,
        ready: if ready { "1/1" } else { "0/1" }.into(),
        is_ready: ready,
        restarts: 0,
        revision: "67db6d8484".into(),
        updated: true,
        image: "registry.k8s.io/nginx-slim:0.21".into(),
        ip: if ready { "10.244.1.2" } else { "" }.into(),
        node: "node-1".into(),
        terminating: false,
        created: String::new(),
    })
}

fn claim(name: &str, state: ClaimState) -> ClaimView {
    ClaimView { name: name.into(), phase: "Bound".into(), volume: "pvc-1234".into(), capacity: "1Gi".into(), state }
}

/// web scaled from 5 to 3: web-0 Running, web-1 starting, web-2 re-attached to its old claim,
/// ordinals 3 and 4 hold only their orphaned claims.
fn scaled_down_view() -> ClusterView {
    let slots = vec![
        SlotView { ordinal: 0, beyond: false, pod: Some(pod("web-0", "Running", Tone::Ok, true)), claims: vec![claim("www-web-0", ClaimState::InUse)] },
        SlotView { ordinal: 1, beyond: false, pod: Some(pod("web-1", "ContainerCreating", Tone::Progress, false)), claims: vec![claim("www-web-1", ClaimState::InUse)] },
        SlotView { ordinal: 2, beyond: false, pod: Some(pod("web-2", "Running", Tone::Ok, true)), claims: vec![claim("www-web-2", ClaimState::Reattached)] },
        SlotView { ordinal: 3, beyond: true, pod: None, claims: vec![claim("www-web-3", ClaimState::Orphaned)] },
        SlotView { ordinal: 4, beyond: true, pod: None, claims: vec![claim("www-web-4", ClaimState::Orphaned)] },
    ]
    .into_iter()
    .map(Rc::new)
    .collect();
    ClusterView {
        sets: vec![Rc::new(SetView {
            namespace: "default".into(),
            name: "web".into(),
            exists: true,
            replicas: 3,
            service_name: "nginx".into(),
            policy: "OrderedReady".into(),
            strategy: "RollingUpdate".into(),
            partition: 0,
            when_deleted: "Retain".into(),
            when_scaled: "Retain".into(),
            container: "nginx".into(),
            image: "registry.k8s.io/nginx-slim:0.21".into(),
            claim_templates: vec!["www".into()],
            status: SetStatus::default(),
            slots,
        })],
        anything: true,
        ..ClusterView::default()
    }
}

async fn mount_cluster(lang: Lang) -> Mounted<Cluster> {
    Mounted::<Cluster>::new(ClusterProps { lang, view: Rc::new(scaled_down_view()), act: Callback::noop() }).await
}

#[wasm_bindgen_test]
async fn each_ordinal_slot_shows_its_pod_status_in_words_and_its_claim() {
    let screen = mount_cluster(Lang::En).await;

    assert_eq!(screen.attr("[data-testid=slot]", "data-ordinal"), ["0", "1", "2", "3", "4"]);
    assert_eq!(screen.texts("[data-testid=pod] .pod-name"), ["web-0", "web-1", "web-2"]);
    assert_eq!(screen.texts("[data-testid=pod-status]"), ["Running", "ContainerCreating", "Running"]);
    assert!(screen.text("[data-testid=slot][data-ordinal='0']").contains("1/1"));
    assert!(screen.text("[data-testid=slot][data-ordinal='1']").contains("0/1"));
    assert!(screen.text("[data-testid=slot][data-ordinal='1']").contains("no IP yet"));
    assert!(screen.text("[data-testid=slot][data-ordinal='0']").contains("node-1"));
    assert!(screen.text("[data-testid=slot][data-ordinal='0']").contains("nginx-slim:0.21"));
}

#[wasm_bindgen_test]
async fn orphaned_claims_stay_in_their_slots_and_a_reused_claim_says_so() {
    let screen = mount_cluster(Lang::En).await;

    let orphan_slot = screen.text("[data-testid=slot][data-ordinal='3']");
    assert!(orphan_slot.contains("beyond replicas"), "{orphan_slot}");
    assert!(orphan_slot.contains("no pod"), "{orphan_slot}");
    assert!(orphan_slot.contains("www-web-3"), "{orphan_slot}");
    assert!(orphan_slot.contains("orphaned"), "{orphan_slot}");
    assert_eq!(screen.attr("[data-testid=claim]", "data-state"), ["in use", "in use", "re-attached", "orphaned: kept, no pod", "orphaned: kept, no pod"]);
}

/// A headless Service's card: `ready` pods in DNS (name, IP), `waiting` ones not yet.
fn dns_view(ready: &[(&str, &str)], waiting: &[&str]) -> ClusterView {
    use statefulset_lab::ui::model::{DnsRecord, ServiceView};
    let domain = "nginx.default.svc.cluster.local";
    ClusterView {
        services: vec![Rc::new(ServiceView {
            namespace: "default".into(),
            name: "nginx".into(),
            headless: true,
            cluster_ip: "None".into(),
            ports: "web:80/TCP".into(),
            records: ready.iter().map(|(pod, ip)| DnsRecord { fqdn: format!("{pod}.{domain}"), ip: ip.to_string() }).collect(),
            service_fqdn: domain.into(),
            service_ips: ready.iter().map(|(_, ip)| ip.to_string()).collect(),
            not_ready: waiting.iter().map(|p| p.to_string()).collect(),
        })],
        anything: true,
        ..ClusterView::default()
    }
}

#[wasm_bindgen_test]
async fn the_dns_list_patched_change_by_change_reads_as_one_drawn_afresh() {
    let props = |lang, view| ClusterProps { lang, view: Rc::new(view), act: Callback::noop() };
    let steps = [
        (Lang::En, dns_view(&[("web-0", "10.244.1.2"), ("web-1", "10.244.2.3")], &["web-2"])),
        (Lang::En, dns_view(&[("web-0", "10.244.1.2"), ("web-1", "10.244.2.3"), ("web-2", "10.244.1.4")], &[])),
        (Lang::En, dns_view(&[("web-0", "10.244.1.2"), ("web-2", "10.244.1.4")], &["web-1"])),
        (Lang::Ko, dns_view(&[("web-0", "10.244.1.2"), ("web-2", "10.244.1.4")], &["web-1"])),
        (Lang::Ko, dns_view(&[], &["web-0", "web-1", "web-2"])),
        (Lang::En, dns_view(&[("web-0", "10.244.1.2")], &[])),
    ];
    let (lang, first) = steps[0].clone();
    let mut patched = Mounted::<Cluster>::new(props(lang, first)).await;
    for (lang, view) in steps {
        patched.update(props(lang, view.clone())).await;
        let fresh = Mounted::<Cluster>::new(props(lang, view)).await;
        let list = |m: &Mounted<Cluster>| m.root.query_selector("[data-testid=dns-records]").unwrap().unwrap().inner_html();
        assert_eq!(list(&patched), list(&fresh));
    }
    assert_eq!(patched.texts("[data-testid=dns-record]"), ["web-0.nginx.default.svc.cluster.local10.244.1.2"]);
}

#[wasm_bindgen_test]
async fn the_cluster_speaks_korean_but_kubernetes_words_stay_english() {
    let screen = mount_cluster(Lang::Ko).await;

    let orphan_slot = screen.text("[data-testid=slot][data-ordinal='3']");
    assert!(orphan_slot.contains("replicas 밖"), "{orphan_slot}");
    assert!(orphan_slot.contains("고아"), "{orphan_slot}");
    assert_eq!(screen.texts("[data-testid=pod-status]"), ["Running", "ContainerCreating", "Running"]);
}

fn editor_props(lang: Lang, text: &str) -> EditorProps {
    EditorProps {
        lang,
        text: Rc::from(text),
        parsed: Rc::new(manifest::parse(text)),
        has_backup: false,
        on_edit: Callback::noop(),
        on_apply: Callback::noop(),
        on_example: Callback::noop(),
        on_undo_example: Callback::noop(),
        on_hide: Callback::noop(),
    }
}

/// The slide's Service with `clusterIP: None` pushed to column 0, as it arrives pasted from a PDF.
const BROKEN: &str = "apiVersion: v1\nkind: Service\nmetadata:\n  name: nginx\nspec:\n  ports:\n  - port: 80\n    name: web\nclusterIP: None\n  selector:\n    app: nginx\n";

#[wasm_bindgen_test]
async fn a_yaml_error_is_marked_at_its_line_and_listed_with_where_it_is() {
    let screen = Mounted::<Editor>::new(editor_props(Lang::En, BROKEN)).await;

    let diagnostics = screen.texts("[data-testid=diagnostic]");
    assert_eq!(diagnostics.len(), 1, "{diagnostics:?}");
    assert!(diagnostics[0].starts_with("line "), "{diagnostics:?}");
    let line = manifest::parse(BROKEN).diagnostics[0].line as usize;
    // The gutter marks the same line, and the highlighted copy tints it and carries a note.
    let marked: Vec<String> = screen.texts(".gutter .ln.error");
    assert_eq!(marked.len(), 1);
    assert!(marked[0].ends_with(&line.to_string()), "{marked:?}");
    assert_eq!(screen.texts(".hl-line.error .lens").len(), 1);
    // The highlight layer holds exactly the text, line by line.
    let lines = screen.texts(".hl-line");
    assert_eq!(lines.len(), BROKEN.split('\n').count());
}

#[wasm_bindgen_test]
async fn diagnostics_speak_the_chosen_language() {
    let screen = Mounted::<Editor>::new(editor_props(Lang::Ko, BROKEN)).await;
    let diagnostics = screen.texts("[data-testid=diagnostic]");
    assert!(diagnostics[0].contains("행") && diagnostics[0].contains("열"), "{diagnostics:?}");
    assert_eq!(screen.texts("[data-testid=apply]").first().map(|t| t.starts_with("적용")), Some(true));
}

#[wasm_bindgen_test]
fn every_string_exists_in_both_languages() {
    for t in T::ALL {
        assert!(!t.get(Lang::En).trim().is_empty(), "{t:?} has no English");
        assert!(!t.get(Lang::Ko).trim().is_empty(), "{t:?} has no Korean");
    }
}

#[wasm_bindgen_test]
fn highlighting_keeps_every_character() {
    for line in manifest::LECTURE_EXAMPLE.lines().chain(BROKEN.lines()).chain(["- {a: 1, b: [x, \"y\"]} # c", "ключ: значение", "  - 'it''s'"]) {
        let joined: String = tokens(line).into_iter().map(|(_, s)| s).collect();
        assert_eq!(joined, line);
    }
}

// ---- the whole app ------------------------------------------------------------------------------

fn cluster_text(app: &Mounted<statefulset_lab::ui::App>) -> String {
    format!("cluster: {}", app.text("[data-testid=cluster]"))
}

#[wasm_bindgen_test]
async fn apply_then_step_brings_up_web_0_before_web_1_and_publishes_their_dns_names() {
    let app = mount_app().await;
    assert!(app.text("[data-testid=cluster-empty]").contains("Nothing applied yet"));

    app.click("[data-testid=apply]").await;
    app.click("[data-testid=play]").await; // pause: the test moves time itself
    assert!(app.text("[data-testid=console]").contains("statefulset.apps/web created"), "{}", app.text("[data-testid=console]"));

    step_until(&app, "web-0 Running", |a| a.attr("[data-testid=pod][data-name=web-0]", "data-status") == ["Running"], cluster_text).await;
    assert!(
        app.attr("[data-testid=pod][data-name=web-1]", "data-status").iter().all(|s| s != "Running"),
        "web-1 must not run before web-0 is Ready"
    );
    step_until(&app, "web-1 Running", |a| a.attr("[data-testid=pod][data-name=web-1]", "data-status") == ["Running"], cluster_text).await;
    step_until(&app, "both DNS records", |a| a.texts("[data-testid=dns-record]").len() == 2, cluster_text).await;
    let records = app.text("[data-testid=dns-records]");
    assert!(records.contains("web-0.nginx.default.svc.cluster.local"), "{records}");
    assert!(records.contains("web-1.nginx.default.svc.cluster.local"), "{records}");
    assert!(!app.text("[data-testid=why-current]").is_empty());
}

#[wasm_bindgen_test]
async fn scaling_down_keeps_the_claims_and_rewinding_shows_the_past() {
    let app = mount_app().await;
    app.click("[data-testid=apply]").await;
    app.click("[data-testid=play]").await;
    step_until(&app, "web-1 Running", |a| a.attr("[data-testid=pod][data-name=web-1]", "data-status") == ["Running"], cluster_text).await;

    app.click("[data-testid=scale-down]").await;
    step_until(&app, "web-1 gone", |a| a.texts("[data-testid=pod][data-name=web-1]").is_empty(), cluster_text).await;
    let slot = app.text("[data-testid=slot][data-ordinal='1']");
    assert!(slot.contains("www-web-1") && slot.contains("orphaned"), "{slot}");

    // The clock must be paused (it is since the click after apply), so the playback cannot move
    // the rewound cluster on before we look. Toggling blindly here would start it again.
    if app.attr("[data-testid=play]", "aria-pressed") == ["true"] {
        app.click("[data-testid=play]").await;
    }
    // Rewind to the start: the scrubber replays the session up to that moment.
    let timeline: HtmlInputElement = app.root.query_selector("[data-testid=timeline]").unwrap().unwrap().dyn_into().unwrap();
    timeline.set_value("0");
    let init = web_sys::EventInit::new();
    init.set_bubbles(true);
    timeline.dispatch_event(&web_sys::Event::new_with_event_init_dict("input", &init).unwrap()).unwrap();
    settle().await;
    // At 0 s the StatefulSet has just been applied: web-0 is created, nothing is running yet.
    assert_eq!(app.attr("[data-testid=pod]", "data-name"), ["web-0"], "{}", app.text("[data-testid=cluster]"));
    assert_ne!(app.attr("[data-testid=pod]", "data-status"), ["Running"]);
    assert!(!app.texts("[data-testid=rewound]").is_empty(), "the screen says it shows the past");
}

#[wasm_bindgen_test]
async fn the_events_tab_lists_the_newest_event_first_and_follows_the_cluster() {
    let app = mount_app().await;
    app.click("[data-testid=apply]").await;
    app.click("[data-testid=play]").await;
    app.click("[data-testid=tab-events]").await;
    let rows = |a: &Mounted<statefulset_lab::ui::App>| a.texts("[data-testid=events] tbody tr");
    step_until(&app, "web-0 scheduled", |a| rows(a).iter().any(|r| r.contains("Scheduled") && r.contains("pod/web-0")), |a| rows(a).join("\n")).await;
    step_until(&app, "web-1 created", |a| rows(a).iter().any(|r| r.contains("SuccessfulCreate") && r.contains("web-1")), |a| rows(a).join("\n")).await;
    let shown = rows(&app);
    // Newest at the top: web-1's creation is listed above web-0's scheduling.
    let at = |what: &dyn Fn(&String) -> bool| shown.iter().position(|r| what(r)).unwrap();
    assert!(at(&|r| r.contains("SuccessfulCreate") && r.contains("web-1")) < at(&|r| r.contains("Scheduled") && r.contains("pod/web-0")), "{shown:#?}");
    // Rows follow the cluster: a later event appears on top, and the earlier rows stay below it.
    step_until(&app, "a later event", |a| rows(a).first().is_some_and(|r| r.contains("web-1")) && rows(a).len() > shown.len(), |a| rows(a).join("\n")).await;
    let later = rows(&app);
    assert_eq!(later[later.len() - shown.len()..], shown[..], "earlier rows keep their order below the new ones");
}

// ---- the console beside the buttons --------------------------------------------------------------

use statefulset_lab::engine::Time;
use statefulset_lab::ui::components::console::apply_completion;
use statefulset_lab::ui::runner::commands;
use statefulset_lab::ui::sim::Sim;

#[wasm_bindgen_test]
fn a_button_leaves_the_console_watch_streaming_and_a_replay_prints_the_same() {
    let mut sim = Sim::new(1);
    sim.run(commands::APPLY_STDIN, Some(manifest::LECTURE_EXAMPLE.into()));
    sim.advance_to(Time(20_000));
    sim.type_line("kubectl get pods -w");
    assert!(sim.watching());

    sim.run(&commands::scale("sts", "web", 3), None);
    assert!(sim.watching(), "a button is another terminal: the watch goes on");
    sim.advance_to(Time(40_000));
    let live = sim.transcript().to_vec();
    let last = live.last().unwrap();
    assert!(last.continued && last.line == "kubectl get pods -w", "{last:?}");
    assert!(last.output.text.contains("web-2"), "the watch printed the new pod: {}", last.output.text);

    // The same commands on the same seed print the same transcript, and so does a rewind.
    let replay = Sim::restore(1, sim.commands().to_vec(), sim.head().0);
    assert_eq!(replay.transcript(), &live[..]);
    sim.seek(Time(30_000));
    assert!(sim.watching(), "the watch running at 30 s is still running after a rewind to it");
    sim.seek(Time(40_000));
    assert_eq!(sim.transcript(), &live[..]);

    // A line typed at the console, as in a terminal, ends the watch.
    sim.type_line("kubectl get sts");
    assert!(!sim.watching());
}

/// A shell attached to a pod keeps the console's lines and its prompt, survives a rewind to a
/// moment inside it, and lets a button's kubectl run on this machine meanwhile.
#[wasm_bindgen_test]
fn an_attached_shell_has_its_prompt_and_is_restored_by_a_rewind() {
    let mut sim = Sim::new(1);
    sim.run(commands::APPLY_STDIN, Some(manifest::LECTURE_EXAMPLE.into()));
    sim.advance_to(Time(20_000));
    sim.type_line("kubectl exec -it web-0 -- sh");
    assert_eq!(sim.prompt(), "# ");
    sim.type_line("hostname");
    let entry = sim.transcript().last().unwrap().clone();
    assert_eq!((entry.prompt.as_str(), entry.output.text.as_str()), ("# ", "web-0\n"));
    sim.run(&commands::scale("sts", "web", 3), None);
    let button = sim.transcript().last().unwrap().clone();
    assert_eq!(button.prompt, "$ ", "a button runs on this machine");
    assert!(button.output.text.contains("scaled"), "{}", button.output.text);
    assert_eq!(sim.prompt(), "# ", "the shell is still attached after the button");
    sim.advance_to(Time(30_000));
    sim.type_line("exit");
    assert_eq!(sim.prompt(), "$ ");
    sim.seek(Time(25_000));
    assert_eq!(sim.prompt(), "# ", "rewound into the session");
    sim.seek(Time(30_000));
    assert_eq!(sim.prompt(), "$ ");
}

/// A rewind lands with the shell's working directory and variables, and this machine's
/// variables, as they were at that moment.
#[wasm_bindgen_test]
fn a_rewind_restores_the_shells_directory_and_the_variables() {
    let mut sim = Sim::new(1);
    sim.run(commands::APPLY_STDIN, Some(manifest::LECTURE_EXAMPLE.into()));
    sim.advance_to(Time(20_000));
    sim.type_line("POD=web-1");
    sim.type_line("kubectl exec -it web-0 -- bash");
    assert_eq!(sim.prompt(), "root@web-0:/# ");
    sim.advance_to(Time(24_000));
    sim.type_line("cd /usr/share/nginx/html");
    sim.type_line("X=5");
    assert_eq!(sim.prompt(), "root@web-0:/usr/share/nginx/html# ");
    sim.advance_to(Time(30_000));
    sim.type_line("exit");
    sim.type_line("POD=web-0");
    sim.seek(Time(28_000));
    assert_eq!(sim.prompt(), "root@web-0:/usr/share/nginx/html# ", "rewound into the session, in its directory");
    sim.type_line("echo $X");
    assert_eq!(sim.transcript().last().unwrap().output.text, "5\n");
    sim.type_line("exit");
    sim.type_line("echo $POD");
    assert_eq!(sim.transcript().last().unwrap().output.text, "web-1\n", "this machine's variable as it was");
}

/// The screen's model keeps each pod's, claim's and Service's row from frame to frame and
/// rebuilds only what changed; read that way through a session, it must read exactly as a model
/// built afresh from the same cluster. The steps change what a row depends on besides its own
/// object: the set's update revision (every pod's "updated"), a slot losing its pod (its claim
/// turns orphaned), and a rewind (the model is read anew from a snapshot).
#[wasm_bindgen_test]
fn the_model_kept_frame_by_frame_reads_as_one_built_afresh() {
    let mut sim = Sim::new(3);
    let fresh = |sim: &Sim| Sim::restore(3, sim.commands().to_vec(), sim.head().0).view(true);
    let mut t = 0;
    let mut play = |sim: &mut Sim, until: u64| {
        while t < until {
            t += 700;
            sim.advance_to(Time(t));
            let kept = sim.view(true);
            assert_eq!(kept, fresh(sim), "at {t} ms");
        }
    };
    sim.run(commands::APPLY_STDIN, Some(manifest::LECTURE_EXAMPLE.replace("replicas: 2", "replicas: 3")));
    play(&mut sim, 25_000);
    sim.run(&commands::set_image("web", "nginx", "registry.k8s.io/nginx-slim:0.22"), None);
    play(&mut sim, 50_000);
    sim.run(&commands::scale("sts", "web", 1), None);
    sim.run(&commands::crash_pod("web-0"), None);
    play(&mut sim, 70_000);
    sim.seek(Time(30_000));
    let before: Vec<_> = sim.commands().iter().filter(|c| c.at <= 30_000).cloned().collect();
    assert_eq!(sim.view(true), Sim::restore(3, before, 30_000).view(true), "rewound to 30 s");
    let view = sim.view(true);
    assert!(view.sets[0].slots.iter().any(|s| s.pod.as_ref().is_some_and(|p| !p.updated)), "mid-update, some pod is on the old revision");
}

/// The editor's text reaches `kubectl apply -f -` as a heredoc; a text with a line equal to its
/// usual delimiter (a flow mapping's value on a line of its own) is applied whole, not cut short.
#[wasm_bindgen_test]
fn any_text_can_be_applied_even_one_holding_the_heredoc_delimiter() {
    let text = "{\"apiVersion\": \"v1\", \"kind\": \"ConfigMap\", \"metadata\": {\"name\": \"notes\"}, \"data\": {\"a\":\nSTSLAB_EOF\n}}\n";
    let mut sim = Sim::new(1);
    sim.run(commands::APPLY_STDIN, Some(text.into()));
    let printed = &sim.transcript().last().unwrap().output.text;
    assert!(printed.contains("configmap/notes created"), "{printed}");
    sim.type_line("kubectl get configmap notes -o jsonpath={.data.a}");
    assert_eq!(sim.transcript().last().unwrap().output.text, "STSLAB_EOF");
}

#[wasm_bindgen_test]
fn a_completion_replaces_the_word_at_the_cursor() {
    let one = |c: &str| vec![c.to_string()];
    assert_eq!(apply_completion("kubectl get po", 14, &one("pods")), ("kubectl get pods ".into(), 17, vec![]));
    assert_eq!(apply_completion("crash po", 8, &one("pod/")), ("crash pod/".into(), 10, vec![]));
    let two = vec!["persistentvolumeclaims".to_string(), "persistentvolumes".to_string()];
    let (line, at, choices) = apply_completion("kubectl get pers", 16, &two);
    assert_eq!((line.as_str(), at, choices.len()), ("kubectl get persistentvolume", 28, 2));
    // In the middle of a line, the rest stays after the completed word.
    assert_eq!(apply_completion("kubectl get sts w -o wide", 17, &one("web")).0, "kubectl get sts web -o wide");
    assert_eq!(apply_completion("kubectl get xyz", 15, &[]).0, "kubectl get xyz");
}

/// The clock is written without float formatting (it cost download); it must read exactly as
/// `{:.1}` of the seconds did, ties included (0.05 s is just above 0.05, 0.15 s just below).
#[wasm_bindgen_test]
fn the_clock_reads_as_float_formatting_did() {
    use statefulset_lab::ui::components::time::clock;
    let old = |ms: u64| {
        let secs = ms as f64 / 1000.0;
        if secs < 60.0 { format!("{secs:.1} s") } else { format!("{:.0} min {:04.1} s", (secs / 60.0).floor(), secs - (secs / 60.0).floor() * 60.0) }
    };
    let samples = (0..200_000u64).chain((0..20_000u64).map(|i| i.wrapping_mul(0x9E37_79B9_7F4A_7C15) >> 24));
    for ms in samples.chain([50, 150, 250, 59_950, 59_999, 60_000, 119_950, 86_400_000]) {
        assert_eq!(clock(ms), old(ms), "{ms} ms");
    }
    assert_eq!((clock(150), clock(250), clock(65_050)), ("0.1 s".to_string(), "0.2 s".to_string(), "1 min 05.0 s".to_string()));
}

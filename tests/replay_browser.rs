//! Restoring a saved or shared session in the browser (src/ui/sim.rs `Sim::restore`): whatever a
//! session holds, the page gets it back quickly. The codec itself is tested natively
//! (src/session/share.rs). A file of its own: the replay keeps the page busy for a moment, and
//! the app tests in tests/ui_components.rs run on the page's real clock.
#![cfg(target_arch = "wasm32")]

use statefulset_lab::engine::Kind;
use statefulset_lab::manifest;
use statefulset_lab::session::{share, Command, Session, MAX_COMMANDS, MAX_HEAD_MS};
use statefulset_lab::ui::sim::Sim;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

#[wasm_bindgen_test]
fn a_crafted_session_full_of_sleeps_restores_quickly_and_stops_at_a_day() {
    let sleeper = |at| Command { at, line: "sleep 24h".into(), stdin: None, typed: false };
    let mut commands = vec![
        Command { at: 0, line: "kubectl apply -f -".into(), stdin: Some(manifest::LECTURE_EXAMPLE.into()), typed: false },
        Command { at: 0, line: "settle".into(), stdin: None, typed: false },
    ];
    commands.extend((3..MAX_COMMANDS).map(|_| sleeper(1)));
    let session = Session { seed: 7, editor: String::new(), commands, head: 0, lang: None };
    // As saved in localStorage (a link this long is refused for length before it is read).
    let restored = share::from_json(&share::to_json(&session)).unwrap();

    // Without the stop this replays 2,000 days of virtual time (with a crash-looping pod, minutes).
    let sim = Sim::restore(restored.seed, restored.commands, restored.head);
    assert!(sim.commands().len() < 10, "the replay stops once a day of virtual time has passed: {} commands kept", sim.commands().len());
    assert!(sim.engine().get(Kind::Pod, "default", "web-0").is_ok(), "what came before the stop is kept");
}

#[wasm_bindgen_test]
fn the_clock_stops_at_a_day_so_the_session_can_still_be_saved_and_restored() {
    let mut sim = Sim::new(3);
    sim.run("kubectl apply -f -", Some(manifest::LECTURE_EXAMPLE.into()));
    // Left playing at 20× for over an hour, the clock would pass a day of virtual time.
    sim.advance_to(statefulset_lab::engine::Time(MAX_HEAD_MS * 3));
    assert_eq!(sim.now().0, MAX_HEAD_MS, "the clock stops at a day");
    assert!(sim.at_day_end());
    let refused = sim.run("kubectl scale sts web --replicas=3", None);
    assert!(!refused.ok && refused.text.contains("a day of virtual time"), "acting past the day is refused with advice: {}", refused.text);

    // What is saved restores: the student loses nothing.
    let session = Session { seed: sim.seed(), editor: String::new(), commands: sim.commands().to_vec(), head: sim.head().0, lang: None };
    let restored = share::from_json(&share::to_json(&session)).expect("a session stopped at a day restores");
    let again = Sim::restore(restored.seed, restored.commands, restored.head);
    assert_eq!(again.commands().len(), 1);
    assert!(again.engine().get(Kind::Pod, "default", "web-1").is_ok());

    // Rewinding gives the student their clock back.
    sim.seek(statefulset_lab::engine::Time(60_000));
    assert!(sim.run("kubectl scale sts web --replicas=3", None).ok);
}

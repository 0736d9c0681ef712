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
    let session = Session { seed: 7, editor: String::new(), commands, head: 0, lang: None, lab: None };
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
    let session = Session { seed: sim.seed(), editor: String::new(), commands: sim.commands().to_vec(), head: sim.head().0, lang: None, lab: None };
    let restored = share::from_json(&share::to_json(&session)).expect("a session stopped at a day restores");
    let again = Sim::restore(restored.seed, restored.commands, restored.head);
    assert_eq!(again.commands().len(), 1);
    assert!(again.engine().get(Kind::Pod, "default", "web-1").is_ok());

    // Rewinding gives the student their clock back.
    sim.seek(statefulset_lab::engine::Time(60_000));
    assert!(sim.run("kubectl scale sts web --replicas=3", None).ok);
}

#[wasm_bindgen_test]
async fn a_long_playback_keeps_checkpoints_bounded_and_even_and_rewinds_exactly() {
    use statefulset_lab::engine::Time;
    // Lets the test runner talk to the page between the long stretches of work.
    let breathe = || yew::platform::time::sleep(std::time::Duration::from_millis(1));
    let mut sim = Sim::new(5);
    sim.run("kubectl apply -f -", Some(manifest::LECTURE_EXAMPLE.into()));
    // Played for 14 minutes, a checkpoint per step, so the 300 kept are thinned a hundred times,
    // with the student acting on the way.
    for step in 1..=420u64 {
        sim.advance_to(Time(step * 2_000));
        // As the screen does once the frame is painted.
        sim.take_due_checkpoint();
        match step {
            150 => _ = sim.run("crash pod/web-1", None),
            250 => _ = sim.run("kubectl scale sts web --replicas=3", None),
            _ => {}
        }
        if step % 50 == 0 {
            breathe().await;
        }
    }
    sim.take_due_checkpoint();
    let times = sim.checkpoint_times();
    assert!(times.len() <= 300, "{} checkpoints", times.len());
    assert_eq!(times[0], Time(0), "the session's start stays");
    assert_eq!(times[times.len() - 1], sim.now(), "the newest is the moment shown");
    let gaps: Vec<u64> = times.windows(2).map(|w| w[1].0 - w[0].0).collect();
    let widest = *gaps.iter().max().unwrap();
    let average = sim.now().0 / times.len() as u64;
    assert!(widest <= 3 * average, "the gaps stay even: a rewind replays at most {widest} ms (average gap {average} ms)");

    // A rewind anywhere shows what replaying the session up to that moment shows.
    for at in [1_000, 300_001, 500_999, 777_777] {
        breathe().await;
        sim.seek(Time(at));
        let replayed: Vec<_> = sim.commands().iter().filter(|c| c.at <= at).cloned().collect();
        let fresh = Sim::restore(5, replayed, at);
        assert_eq!(sim.now(), fresh.now());
        for kind in [Kind::Pod, Kind::PersistentVolumeClaim, Kind::StatefulSet, Kind::Endpoints] {
            assert_eq!(sim.engine().list(kind, None), fresh.engine().list(kind, None), "{kind:?} at {at} ms");
        }
        sim.seek(sim.head());
    }
}

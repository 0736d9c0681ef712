//! Every built-in lab's "show me" solution, run through the real engine and kubectl
//! interpreter, passes all of its checks; and a wrong action leaves the right check red.

use statefulset_lab::labs::{built_in, Lab, LabSession};

fn lab(id: &str) -> Lab {
    built_in().into_iter().find(|l| l.id == id).unwrap_or_else(|| panic!("no lab {id}"))
}

fn failing_checks(lab: &Lab, session: &LabSession) -> Vec<String> {
    lab.checks
        .iter()
        .zip(session.results(lab))
        .filter(|(_, ok)| !ok)
        .map(|(c, _)| c.text.en.clone())
        .collect()
}

#[test]
fn every_solution_passes_every_check() {
    let mut problems = Vec::new();
    for lab in built_in() {
        let mut session = LabSession::start(&lab, 1);
        if failing_checks(&lab, &session).is_empty() {
            problems.push(format!("lab {}: every check already holds before the student did anything", lab.id));
        }
        let transcript = session.run_script(&lab.solution);
        let failing = failing_checks(&lab, &session);
        if !failing.is_empty() {
            problems.push(format!("lab {}: checks still red: {failing:?}\n--- transcript ---\n{transcript}", lab.id));
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n\n"));
}

#[test]
fn parallel_pods_do_not_satisfy_ordered_deployment() {
    let lab = lab("ordered-deployment");
    let mut session = LabSession::start(&lab, 1);
    session.run_script("kubectl apply -f web-parallel.yaml\nkubectl get pods -w -l app=nginx\n");
    let failing = failing_checks(&lab, &session);
    assert!(
        failing.contains(&"web-0 was Running and Ready before web-1 was created".to_string()),
        "{failing:?}"
    );
}

#[test]
fn scaling_up_only_leaves_the_scale_down_check_red() {
    let lab = lab("scaling");
    let mut session = LabSession::start(&lab, 1);
    session.run_script("kubectl scale sts web --replicas=5\nkubectl get pods -w -l app=nginx\n");
    let failing = failing_checks(&lab, &session);
    assert!(failing.contains(&"Scaling down removed web-4 before web-3".to_string()), "{failing:?}");
    assert!(!failing.contains(&"Five pods are Ready again".to_string()), "{failing:?}");
}

#[test]
fn the_default_retention_policy_keeps_claims() {
    let lab = lab("retention-policy");
    let mut session = LabSession::start(&lab, 1);
    // Re-create the set with the default policy (Retain) instead, then do the same steps.
    session.run_script(
        "kubectl delete sts web --cascade=orphan\nkubectl delete pod -l app=nginx\nkubectl apply -f web.yaml\n\
         kubectl scale sts web --replicas=3\nkubectl rollout status sts/web\n\
         kubectl scale sts web --replicas=1\nkubectl get pods -w -l app=nginx\n",
    );
    let failing = failing_checks(&lab, &session);
    assert!(failing.contains(&"Scaling down deleted www-web-2 with its pod".to_string()), "{failing:?}");
}

/// The browser's session rewinds a lab by going back to an engine snapshot: the tracker then
/// forgets what came after, and replaying the same inputs gives the same checks as before.
#[test]
fn a_rewound_tracker_replays_to_the_same_checks() {
    use statefulset_lab::engine::Time;
    use statefulset_lab::kubectl::Interpreter;
    use statefulset_lab::labs::Tracker;

    let lab = lab("ordered-deployment");
    let mut it = Interpreter::with_seed(1);
    it.streaming = true;
    let mut tracker = Tracker::start(&mut it.engine);
    it.run_line("kubectl apply -f web.yaml");
    // A snapshot just after web-0 was created, before anything else happened.
    it.engine.advance_to(Time(1));
    let mark = tracker.mark(&mut it.engine);
    let snapshot = it.engine.clone();
    let early = tracker.results(&lab, &it.engine);

    it.engine.settle(Time(600_000));
    tracker.observe(&mut it.engine);
    let late = tracker.results(&lab, &it.engine);
    assert_eq!(late, vec![true; lab.checks.len()], "the straight run completes the lab");

    it.engine = snapshot;
    tracker.rewind(&mut it.engine, mark);
    assert_eq!(tracker.results(&lab, &it.engine), early, "rewound, the sequence checks are red again");
    assert!(early.iter().any(|ok| !ok));
    it.engine.settle(Time(600_000));
    tracker.observe(&mut it.engine);
    assert_eq!(tracker.results(&lab, &it.engine), late, "replayed, every check holds again");
}

/// "Show me" on the screen plays a solution differently from a script: `get -w` streams while
/// the clock runs, and each next line waits for the cluster to settle. Played that way, every
/// solution still passes every check, and none waits out the longest delay.
#[test]
fn every_solution_played_as_show_me_passes_every_check() {
    use statefulset_lab::engine::Time;
    use statefulset_lab::kubectl::Interpreter;
    use statefulset_lab::labs::{LabFiles, ShowMe, Tracker};

    let mut problems = Vec::new();
    for lab in built_in() {
        let mut it = Interpreter::with_seed(1);
        it.streaming = true;
        it.set_files(Box::new(LabFiles(lab.files.clone())));
        for line in lab.setup.lines().filter(|l| !l.trim().is_empty()) {
            it.run_line(line);
        }
        let mut tracker = Tracker::start(&mut it.engine);
        let mut show = ShowMe::new(&lab.solution);
        let started = it.engine.now().0;
        loop {
            // The screen's clock, a tenth of a second at a time.
            let now = it.engine.now().0;
            tracker.observe(&mut it.engine);
            if show.settled(now, it.engine.is_quiet(), tracker.changes()) {
                if it.is_watching() {
                    it.interrupt();
                }
                match show.take_next(now) {
                    Some(line) => {
                        it.run_line(&line);
                    }
                    None => break,
                }
            }
            it.engine.advance_to(Time(now + 100));
            let _ = it.poll_watch();
        }
        tracker.observe(&mut it.engine);
        let failing: Vec<&str> =
            lab.checks.iter().zip(tracker.results(&lab, &it.engine)).filter(|(_, ok)| !ok).map(|(c, _)| c.text.en.as_str()).collect();
        let took = (it.engine.now().0 - started) / 1000;
        if !failing.is_empty() || took > 120 {
            problems.push(format!("lab {}: {took} s, checks still red: {failing:?}", lab.id));
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

//! The browser console's contract: incomplete lines wait for more input, `get -w` streams
//! through `poll_watch` until Ctrl-C, and completion offers commands, kinds and names.

use statefulset_lab::engine::Time;
use statefulset_lab::kubectl::{complete, History, Interpreter};

fn ready_cluster() -> Interpreter {
    let mut it = Interpreter::with_seed(1);
    it.run_line("kubectl apply -f web.yaml");
    it.run_line("settle");
    it
}

#[test]
fn heredoc_across_lines() {
    let mut it = Interpreter::with_seed(1);
    assert!(it.run_line("kubectl apply -f - <<EOF").incomplete);
    for l in manifest_lines() {
        assert!(it.run_line(&l).incomplete);
    }
    let out = it.run_line("EOF");
    assert_eq!(out.text(), "service/nginx created\n");
}

/// The terminal way to write a manifest: a heredoc into a file, typed line by line, then applied.
#[test]
fn heredoc_into_a_file_then_apply() {
    let mut it = Interpreter::with_seed(1);
    assert!(it.run_line("cat <<EOF > svc.yaml").incomplete);
    for l in manifest_lines() {
        assert!(it.run_line(&l).incomplete);
    }
    assert_eq!(it.run_line("EOF").text(), "");
    assert_eq!(it.run_line("kubectl apply -f svc.yaml").text(), "service/nginx created\n");
    assert!(it.run_line("cat svc.yaml").text().starts_with("apiVersion: v1\nkind: Service\n"));
}

/// A streaming watch cannot keep writing into a file: the file gets the first listing and the
/// console is not left streaming.
#[test]
fn a_watch_into_a_file_stops_after_its_first_listing() {
    let mut it = ready_cluster();
    it.streaming = true;
    let out = it.run_line("kubectl get pods -w > pods.txt");
    assert!(!out.watching && !it.is_watching());
    assert!(out.text().contains("keeps only its first listing"), "{}", out.text());
    assert!(it.run_line("cat pods.txt").text().starts_with("NAME    READY   STATUS"));
}

/// The tutorial's `kubectl run -i --tty ... --rm` opens a shell in the pod: the prompt changes,
/// lines run in the container, `exit` deletes the pod and gives the terminal back.
#[test]
fn an_attached_shell_takes_the_lines_until_exit() {
    let mut it = ready_cluster();
    it.streaming = true;
    let out = it.run_line("kubectl run -i --tty --image busybox:1.28 dns-test --restart=Never --rm");
    assert_eq!(out.text(), "If you don't see a command prompt, try pressing enter.\n");
    assert_eq!(it.prompt(), "/ # ");
    assert!(it.run_line("nslookup web-1.nginx").text().contains("Name:      web-1.nginx\n"));
    assert_eq!(it.run_line("exit").text(), "pod \"dns-test\" deleted from default namespace\n");
    assert_eq!(it.prompt(), "$ ");
    assert!(it.run_line("kubectl get pod dns-test").text().contains("NotFound"));
}

fn manifest_lines() -> Vec<String> {
    "apiVersion: v1\nkind: Service\nmetadata:\n  name: nginx\nspec:\n  clusterIP: None\n  selector:\n    app: nginx\n  ports:\n  - port: 80\n    name: web"
        .lines()
        .map(str::to_string)
        .collect()
}

#[test]
fn streaming_watch_and_ctrl_c() {
    let mut it = ready_cluster();
    it.streaming = true;
    let out = it.run_line("kubectl get pods -w -l app=nginx");
    assert!(out.watching);
    assert!(out.text().starts_with("NAME    READY   STATUS    RESTARTS   AGE\nweb-0"));
    it.run_line("kubectl scale sts web --replicas=3");
    // Typing a new command stops the watch, like Ctrl-C first.
    assert!(!it.is_watching());
    let out = it.run_line("kubectl get pods -w -l app=nginx");
    assert!(out.watching);
    let t = it.engine.now();
    it.engine.advance_to(Time(t.0 + 10_000));
    let lines = it.poll_watch();
    assert!(lines.contains("web-2"), "{lines}");
    assert!(it.interrupt());
    assert!(!it.is_watching());
    assert_eq!(it.poll_watch(), "");
}

/// A line nobody typed (a button on the screen) runs beside a streaming watch and an attached
/// shell: the watch keeps streaming what the line changed, and the shell stays attached.
#[test]
fn a_line_run_beside_keeps_the_watch_and_the_shell() {
    let mut it = ready_cluster();
    it.streaming = true;
    assert!(it.run_line("kubectl get pods -w -l app=nginx").watching);
    let out = it.beside(|it| it.run_line("kubectl scale sts web --replicas=3"));
    assert_eq!(out.text(), "statefulset.apps/web scaled\n");
    assert!(it.is_watching(), "the watch goes on");
    let t = it.engine.now();
    it.engine.advance_to(Time(t.0 + 10_000));
    assert!(it.poll_watch().contains("web-2"));
    // A watch the line starts itself takes the console: the pods' watch is closed.
    it.beside(|it| it.run_line("kubectl get sts -w"));
    assert!(it.is_watching());
    it.beside(|it| it.run_line("kubectl scale sts web --replicas=4"));
    let t = it.engine.now();
    it.engine.advance_to(Time(t.0 + 10_000));
    let lines = it.poll_watch();
    assert!(lines.contains("web ") && !lines.contains("web-3"), "{lines}");
    assert!(it.interrupt());
    // A shell attached to a container stays attached; the line runs on this machine.
    assert_eq!(it.run_line("kubectl exec -it web-0 -- sh").text(), "");
    assert_eq!(it.prompt(), "# ");
    let out = it.beside(|it| it.run_line("kubectl get sts web --no-headers"));
    assert!(out.text().starts_with("web "), "{}", out.text());
    assert_eq!(it.prompt(), "# ");
    assert_eq!(it.run_line("hostname").text(), "web-0\n");
}

#[test]
fn tutorial_loops_and_quoting() {
    let mut it = ready_cluster();
    let out = it.run_line(r#"for i in 0 1; do kubectl exec "web-$i" -- sh -c 'echo "$(hostname)" > /usr/share/nginx/html/index.html'; done"#);
    assert_eq!(out.text(), "");
    let out = it.run_line("for i in 0 1; do kubectl exec -i -t \"web-$i\" -- curl http://localhost/; done");
    assert_eq!(out.text(), "web-0\nweb-1\n");
    let out = it.run_line("kubectl exec web-0 -- cat /usr/share/nginx/html/index.html");
    assert_eq!(out.text(), "web-0\n");
    let out = it.run_line("for i in 0 1; do kubectl exec \"web-$i\" -- sh -c 'hostname'; done");
    assert_eq!(out.text(), "web-0\nweb-1\n");
}

#[test]
fn completion() {
    let it = ready_cluster();
    assert_eq!(complete("kubectl ge", 10, &it.engine), vec!["get"]);
    assert!(complete("kubectl get st", 14, &it.engine).contains(&"statefulsets".to_string()));
    assert_eq!(complete("kubectl get pods web-", 21, &it.engine), vec!["web-0", "web-1"]);
    assert_eq!(complete("kubectl exec w", 14, &it.engine), vec!["web-0", "web-1"]);
    assert_eq!(complete("kubectl rollout status sts/w", 28, &it.engine), vec!["sts/web"]);
    assert!(complete("", 0, &it.engine).contains(&"kubectl".to_string()));
    let mut h = History::new();
    h.push("kubectl get pods");
    assert_eq!(h.up("").as_deref(), Some("kubectl get pods"));
}

#[test]
fn clear_and_help() {
    let mut it = Interpreter::with_seed(1);
    assert!(it.run_line("clear").clear);
    assert!(it.run_line("help").text().contains("sleep DURATION"));
}

#[test]
fn never_panics_on_odd_input() {
    let mut it = ready_cluster();
    for line in ["", "'", "\"", "$(", "kubectl", "kubectl get", "kubectl get pods -o jsonpath='{'", "kubectl get pods --template '{{range}}'",
        "kubectl patch sts web -p '{'", "kubectl patch sts web --type=json -p '[{\"op\":\"move\"}]'", "kubectl exec web-0 -- sh -c 'echo \"'",
        "kubectl rollout", "kubectl set", "kubectl wait", "kubectl wait --for=jsonpath='{.x' pod/web-0", "kubectl delete", "for", "for i in; do; done",
        "kubectl -n", "kubectl --namespace", "k get po -A -o wide", "kubectl get all", "sleep -1", "node", "kubectl run x --image=y -i -- nslookup",
        "kubectl get pods -l '=='", "kubectl get sts web -o yaml | grep x", "kubectl exec web-0 -- ls /nope", "kubectl describe pods"] {
        let _ = it.run_line(line);
        it.cancel_pending();
    }
}

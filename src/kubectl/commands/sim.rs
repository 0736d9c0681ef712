//! Simulation controls kubectl lacks (they are not kubectl commands, so they carry no
//! `kubectl` prefix): moving virtual time, injecting faults, running until quiet.

use crate::engine::{Fault, Time};
use crate::kubectl::flags::parse_duration_ms;
use crate::kubectl::session::{Interpreter, Output};

/// The longest one `sleep` may move virtual time, in ms.
pub const MAX_SLEEP_MS: u64 = 24 * 3600 * 1000;

pub fn help_text() -> String {
    "\
StatefulSet Lab console: type kubectl commands as on a real cluster.

kubectl commands:
  apply -f FILE|-      create -f FILE        replace [--force] -f FILE
  delete TYPE NAME|-l SEL|--all|-f FILE
  get TYPE [NAME] [-o wide|yaml|json|name|jsonpath=...] [-l SEL] [-w] [--show-labels] [-A]
  describe pod|sts|deploy|pvc|pv|svc|sa NAME      scale sts NAME --replicas=N
  patch sts NAME -p '{...}' [--type=merge|json]   set image sts/NAME CONTAINER=IMAGE
  label|annotate TYPE NAME KEY=VALUE|KEY- [--overwrite]
  rollout status|history|undo|restart sts/NAME    rollout pause|resume deploy/NAME
  create namespace|deployment|service|serviceaccount ...   expose   events
  run -i --tty --rm --restart=Never --image busybox:1.28 NAME [-- nslookup HOST]
  exec POD -- CMD      exec -it POD -- sh|bash (a shell in the container until exit)
  cp FILE POD:PATH     cp POD:PATH FILE
  inside pods: hostname, cat, ls, echo, cd, pwd, sh -c '...', curl URL (busybox: wget -qO- URL)
  on this machine: CMD > FILE, CMD >> FILE, CMD < FILE, cat FILE, cat <<EOF > FILE, NAME=VALUE
  wait --for=condition=Ready pod/NAME [--timeout=60s]   wait --for=delete pod/NAME
  cordon|uncordon|drain NODE

Simulation controls (not kubectl):
  sleep DURATION          let virtual time pass (10s, 1m30s, or plain seconds; at most 24h)
  settle                  run until the cluster is quiet (no controller has work left)
  crash pod/NAME          the container exits with an error (CrashLoopBackOff follows)
  fail pod/NAME           the kubelet evicts the pod (phase Failed, reason Evicted)
  node down NODE          the node stops reporting (NotReady; its pods become Unknown)
  node up NODE            the node reports again
  clear                   clear the console
  help                    this text

Virtual time moves only in commands that block in real kubectl (delete, rollout status,
wait, run -i --rm, get -w) and in sleep/settle; everything else acts at the current instant.
In scripts, get -w prints changes until the cluster is quiet; in the console it streams
until Ctrl-C.
"
    .to_string()
}

fn pod_name(arg: &str) -> Option<&str> {
    match arg.split_once('/') {
        Some(("pod" | "pods" | "po", n)) => Some(n),
        Some(_) => None,
        None => Some(arg),
    }
}

pub fn run(it: &mut Interpreter, cmd: &str, args: &[String], out: &mut Output) {
    let ns = it.namespace.clone();
    match cmd {
        "sleep" => {
            let Some(d) = args.first() else {
                return out.fail("sleep: missing operand");
            };
            let ms = if let Ok(secs) = d.parse::<f64>() {
                Ok((secs * 1000.0).max(0.0) as u64)
            } else {
                parse_duration_ms(d)
            };
            match ms {
                Ok(ms) => {
                    // Each virtual moment costs real work (crash-loop restarts keep firing), so
                    // one sleep is capped: `sleep 99999999h` must not freeze the page.
                    let ms = if ms > MAX_SLEEP_MS {
                        out.err(&format!("stslab: sleep is limited to 24h of virtual time at a time; sleeping 24h instead of {d}"));
                        MAX_SLEEP_MS
                    } else {
                        ms
                    };
                    let t = Time(it.engine.now().0.saturating_add(ms));
                    it.engine.advance_to(t);
                }
                Err(_) => out.fail(&format!("sleep: invalid time interval '{d}'")),
            }
        }
        "settle" | "wait-quiet" => {
            let limit = Time(it.engine.now().0.saturating_add(3_600_000));
            if !it.engine.settle(limit) {
                out.err("stslab: the cluster did not become quiet within an hour of virtual time");
            }
        }
        "crash" | "fail" => {
            let Some(name) = args.first().and_then(|a| pod_name(a)) else {
                return out.fail(&format!("usage: {cmd} pod/NAME"));
            };
            let fault = if cmd == "crash" {
                Fault::CrashPod { namespace: ns, name: name.to_string() }
            } else {
                Fault::FailPod { namespace: ns, name: name.to_string() }
            };
            if let Err(e) = it.engine.inject(fault) {
                out.fail(&e.to_string());
            }
        }
        "node" => {
            let (Some(action), Some(name)) = (args.first(), args.get(1)) else {
                return out.fail("usage: node down|up NODE");
            };
            let name = name.trim_start_matches("node/").to_string();
            let fault = match action.as_str() {
                "down" => Fault::NodeDown { name },
                "up" => Fault::NodeUp { name },
                _ => return out.fail("usage: node down|up NODE"),
            };
            if let Err(e) = it.engine.inject(fault) {
                out.fail(&e.to_string());
            }
        }
        other => {
            out.fail(&format!("{other}: command not found"));
            out.exit_code = 127;
        }
    }
}

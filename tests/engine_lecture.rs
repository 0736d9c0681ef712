//! The lecture path end to end: tutorial transcripts T1-T14 (spec §9.3) at the engine level.

mod engine_common;
use engine_common::*;
use serde_json::json;
use statefulset_lab::engine::*;

#[test]
fn t1_creation_in_order() {
    let mut e = Engine::new(Config::default());
    let mut cur = e.watch();
    e.apply(service()).unwrap();
    e.apply(web(2)).unwrap();
    settle(&mut e, 120);
    let lines = pod_lines(&mut e, &mut cur);
    assert_eq!(
        lines,
        vec![
            "web-0 0/1 Pending", "web-0 0/1 Pending", "web-0 0/1 ContainerCreating", "web-0 1/1 Running",
            "web-1 0/1 Pending", "web-1 0/1 Pending", "web-1 0/1 ContainerCreating", "web-1 1/1 Running",
        ]
    );
    let s = sts(&e);
    assert_eq!(s["status"]["readyReplicas"], 2);
    assert_eq!(s["status"]["replicas"], 2);
    assert_eq!(names(&e, Kind::PersistentVolumeClaim), vec!["www-web-0", "www-web-1"]);
    let claim = e.get(Kind::PersistentVolumeClaim, "default", "www-web-0").unwrap();
    assert_eq!(claim["status"]["phase"], "Bound");
    assert!(claim["spec"]["volumeName"].as_str().unwrap().starts_with("pvc-"));
    let p = e.get(Kind::Pod, "default", "web-0").unwrap();
    assert_eq!(p["spec"]["hostname"], "web-0");
    assert_eq!(p["spec"]["subdomain"], "nginx");
    assert_eq!(p["metadata"]["labels"]["apps.kubernetes.io/pod-index"], "0");
    assert_eq!(p["spec"]["volumes"][0]["persistentVolumeClaim"]["claimName"], "www-web-0");
    assert!(p["status"]["podIP"].as_str().unwrap().starts_with("10.244."));
    // Events on the set: claim first, then pod (spec §7).
    let msgs: Vec<String> = e.events().filter(|ev| ev.involved_kind == Kind::StatefulSet).map(|ev| ev.message.clone()).collect();
    assert_eq!(
        msgs,
        vec![
            "create Claim www-web-0 Pod web-0 in StatefulSet web success",
            "create Pod web-0 in StatefulSet web successful",
            "create Claim www-web-1 Pod web-1 in StatefulSet web success",
            "create Pod web-1 in StatefulSet web successful",
        ]
    );
    // DNS.
    match e.resolve("web-0.nginx", "default") {
        DnsAnswer::Addresses { fqdn, ips } => {
            assert_eq!(fqdn, "web-0.nginx.default.svc.cluster.local");
            assert_eq!(ips, vec![p["status"]["podIP"].as_str().unwrap().to_string()]);
        }
        other => panic!("{:?}", other),
    }
    match e.resolve("nginx", "default") {
        DnsAnswer::Addresses { ips, .. } => assert_eq!(ips.len(), 2),
        other => panic!("{:?}", other),
    }
    assert_eq!(e.resolve_srv("_web._tcp.nginx", "default").len(), 2);
    assert!(e.decisions().iter().any(|d| d.text.contains("web-1 created")), "{:#?}", e.decisions());
}

#[test]
fn t2_data_and_hostnames_survive_pod_deletion() {
    let mut e = lecture();
    settle(&mut e, 120);
    for p in ["web-0", "web-1"] {
        e.write_file("default", p, "/usr/share/nginx/html/index.html", &format!("{}\n", p), false).unwrap();
    }
    let ip0 = e.get(Kind::Pod, "default", "web-0").unwrap()["status"]["podIP"].clone();
    e.delete(Kind::Pod, "default", "web-0", DeleteOptions::default()).unwrap();
    e.delete(Kind::Pod, "default", "web-1", DeleteOptions::default()).unwrap();
    settle(&mut e, 300);
    assert_eq!(pods(&e), vec!["web-0 1/1 Running", "web-1 1/1 Running"]);
    assert_eq!(e.read_file("default", "web-0", "/usr/share/nginx/html/index.html").unwrap(), "web-0\n");
    assert_eq!(e.read_file("default", "web-1", "/usr/share/nginx/html/index.html").unwrap(), "web-1\n");
    assert_eq!(e.read_file("default", "web-0", "/etc/hostname").unwrap(), "web-0\n");
    assert_ne!(e.get(Kind::Pod, "default", "web-0").unwrap()["status"]["podIP"], ip0);
}

#[test]
fn t3_t4_scale_up_then_down_keeps_claims() {
    let mut e = lecture();
    settle(&mut e, 120);
    let mut cur = e.watch();
    e.scale(Kind::StatefulSet, "default", "web", 5).unwrap();
    settle(&mut e, 300);
    let lines = pod_lines(&mut e, &mut cur);
    let mut expected = Vec::new();
    for p in ["web-2", "web-3", "web-4"] {
        for s in ["0/1 Pending", "0/1 Pending", "0/1 ContainerCreating", "1/1 Running"] {
            expected.push(format!("{} {}", p, s));
        }
    }
    assert_eq!(lines, expected);
    set_spec(&mut e, "/spec/replicas", json!(3));
    settle(&mut e, 300);
    let lines = pod_lines(&mut e, &mut cur);
    assert_eq!(
        lines,
        vec!["web-4 1/1 Terminating", "web-4 0/1 Terminating", "web-4 0/1 Completed", "web-4 0/1 Completed", "web-3 1/1 Terminating", "web-3 0/1 Terminating", "web-3 0/1 Completed", "web-3 0/1 Completed"]
    );
    assert_eq!(names(&e, Kind::PersistentVolumeClaim), vec!["www-web-0", "www-web-1", "www-web-2", "www-web-3", "www-web-4"]);
}

//! discovery.k8s.io/v1 EndpointSlices (pkg/controller/endpointslice) and DNS answered from them.

mod engine_common;
use engine_common::*;
use serde_json::Value;
use statefulset_lab::engine::*;

fn slices(e: &Engine) -> Vec<Value> {
    e.list(Kind::EndpointSlice, Some("default")).into_iter().filter(|s| s["metadata"]["labels"]["kubernetes.io/service-name"] == "nginx").collect()
}

fn ready_ips(e: &Engine) -> Vec<String> {
    let mut ips: Vec<String> = slices(e)
        .iter()
        .flat_map(|s| s["endpoints"].as_array().cloned().unwrap_or_default())
        .filter(|ep| ep["conditions"]["ready"] == true)
        .map(|ep| ep["addresses"][0].as_str().unwrap_or("").to_string())
        .collect();
    ips.sort();
    ips
}

#[test]
fn slices_hold_at_most_100_endpoints_and_keep_their_names() {
    let mut e = Engine::new(Config::default());
    e.apply(service()).unwrap();
    e.apply(with(web(250), "/spec/podManagementPolicy", serde_json::json!("Parallel"))).unwrap();
    settle(&mut e, 900);
    let s = slices(&e);
    let sizes: Vec<usize> = s.iter().map(|x| x["endpoints"].as_array().map_or(0, Vec::len)).collect();
    let mut sorted = sizes.clone();
    sorted.sort();
    assert_eq!(sorted, vec![50, 100, 100]);
    for x in &s {
        let name = x["metadata"]["name"].as_str().unwrap_or("");
        assert!(name.starts_with("nginx-") && name.len() == "nginx-".len() + 5, "{name}");
        assert_eq!(x["metadata"]["ownerReferences"][0]["kind"], "Service");
        assert_eq!(x["metadata"]["labels"]["endpointslice.kubernetes.io/managed-by"], "endpointslice-controller.k8s.io");
    }
    let names: Vec<Value> = s.iter().map(|x| x["metadata"]["name"].clone()).collect();
    e.scale(Kind::StatefulSet, "default", "web", 240).unwrap();
    settle(&mut e, 900);
    let again: Vec<Value> = slices(&e).iter().map(|x| x["metadata"]["name"].clone()).collect();
    assert_eq!(names, again, "slice names are stable");
}

#[test]
fn dns_answers_with_the_ready_endpoints_of_the_slices() {
    let mut e = Engine::new(Config::default());
    e.apply(service()).unwrap();
    e.apply(web(3)).unwrap();
    settle(&mut e, 600);
    let mut dns = match e.resolve("nginx", "default") {
        DnsAnswer::Addresses { ips, .. } => ips,
        DnsAnswer::NxDomain => vec![],
    };
    dns.sort();
    assert_eq!(dns, ready_ips(&e));
    assert_eq!(dns.len(), 3);
    // A terminating pod stays in its slice, not ready, and leaves DNS.
    e.delete(Kind::Pod, "default", "web-2", DeleteOptions::default()).unwrap();
    let web2: Vec<Value> = slices(&e).iter().flat_map(|s| s["endpoints"].as_array().cloned().unwrap_or_default()).filter(|ep| ep["targetRef"]["name"] == "web-2").collect();
    assert_eq!(web2.len(), 1);
    assert_eq!((web2[0]["conditions"]["ready"].clone(), web2[0]["conditions"]["terminating"].clone()), (Value::Bool(false), Value::Bool(true)));
    assert!(matches!(e.resolve("web-2.nginx", "default"), DnsAnswer::NxDomain));
    assert_eq!(ready_ips(&e).len(), 2);
}

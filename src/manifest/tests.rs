//! Unit tests of the public entry points on small pastes; the corpora live in tests/manifests.

use super::*;
use serde_json::json;

fn errors(p: &Parsed) -> Vec<&Diagnostic> {
    p.diagnostics
        .iter()
        .filter(|d| d.severity == Severity::Error)
        .collect()
}

#[test]
fn lecture_example_is_accepted() {
    let p = parse(LECTURE_EXAMPLE);
    assert!(!p.has_errors(), "{:#?}", p.diagnostics);
    assert_eq!(p.documents.len(), 2);
    assert!(p.documents.iter().all(|d| d.simulated));
    for d in &p.documents {
        let a = admit(&d.value, None).expect("admitted");
        if d.kind == "StatefulSet" {
            assert_eq!(
                a.object["spec"]["updateStrategy"]["rollingUpdate"]["partition"],
                json!(0)
            );
            assert_eq!(
                a.object["spec"]["template"]["spec"]["containers"][0]["imagePullPolicy"],
                json!("IfNotPresent")
            );
            assert_eq!(
                a.object["spec"]["volumeClaimTemplates"][0]["spec"]["volumeMode"],
                json!("Filesystem")
            );
        }
    }
}

#[test]
fn empty_input_says_no_objects() {
    for text in ["", "   \n", "# just a comment\n", "---\n---\n"] {
        let p = parse(text);
        assert_eq!(p.diagnostics.len(), 1, "{text:?}");
        assert_eq!(
            p.diagnostics[0].message,
            "error: no objects passed to apply"
        );
    }
}

#[test]
fn unknown_field_has_kubectl_wording_and_points_at_the_key() {
    let text = LECTURE_EXAMPLE.replace("  replicas: 2", "  replica: 2");
    let p = parse(&text);
    let e = errors(&p);
    assert_eq!(e.len(), 1, "{:#?}", p.diagnostics);
    assert_eq!(
        e[0].message,
        "Error from server (BadRequest): error when creating \"STDIN\": StatefulSet in version \"v1\" cannot be handled as a StatefulSet: strict decoding error: unknown field \"spec.replica\""
    );
    assert_eq!((e[0].line, e[0].column), (23, 3));
    assert!(e[0]
        .hint
        .as_ref()
        .is_some_and(|h| h.en.contains("`replicas`")));
}

#[test]
fn admit_rejects_with_kubectl_message() {
    let p = parse(LECTURE_EXAMPLE);
    let mut sts = p.documents[1].value.clone();
    sts["spec"]["replicas"] = json!(-1);
    let r = admit(&sts, None).unwrap_err();
    assert_eq!(r.message, "The StatefulSet \"web\" is invalid: spec.replicas: Invalid value: -1: must be greater than or equal to 0");
    assert_eq!(
        r.causes,
        vec![(
            "spec.replicas".to_string(),
            "Invalid value: -1: must be greater than or equal to 0".to_string()
        )]
    );
}

#[test]
fn update_of_immutable_field_is_forbidden() {
    let p = parse(LECTURE_EXAMPLE);
    let old = admit(&p.documents[1].value, None).unwrap().object;
    let mut new = old.clone();
    new["spec"]["serviceName"] = json!("other");
    let r = admit(&new, Some(&old)).unwrap_err();
    assert_eq!(
        r.message,
        format!(
            "The StatefulSet \"web\" is invalid: spec: Forbidden: {}",
            validate::STS_FORBIDDEN
        )
    );
    let mut scaled = old.clone();
    scaled["spec"]["replicas"] = json!(5);
    let a = admit(&scaled, Some(&old)).unwrap();
    assert_eq!(a.object["metadata"]["generation"], json!(2));
}

#[test]
fn on_delete_patch_on_defaulted_set_hits_rule_4() {
    let p = parse(LECTURE_EXAMPLE);
    let old = admit(&p.documents[1].value, None).unwrap().object;
    let mut new = old.clone();
    new["spec"]["updateStrategy"]["type"] = json!("OnDelete");
    let r = admit(&new, Some(&old)).unwrap_err();
    assert_eq!(
        r.message,
        "The StatefulSet \"web\" is invalid: spec.updateStrategy.rollingUpdate: Invalid value: {\"Partition\":0,\"MaxUnavailable\":null}: only allowed for updateStrategy 'RollingUpdate'"
    );
}

#[test]
fn missing_selector_gives_two_errors() {
    let text = "apiVersion: apps/v1\nkind: StatefulSet\nmetadata:\n  name: web\nspec:\n  serviceName: nginx\n  template:\n    metadata:\n      labels:\n        app: nginx\n    spec:\n      containers:\n      - name: nginx\n        image: nginx\n";
    let p = parse(text);
    let e = errors(&p);
    assert_eq!(e.len(), 2, "{:#?}", p.diagnostics);
    assert_eq!(
        e[0].message,
        "The StatefulSet \"web\" is invalid: spec.selector: Required value"
    );
    assert_eq!(
        e[1].message,
        "The StatefulSet \"web\" is invalid: spec.template.metadata.labels: Invalid value: {\"app\":\"nginx\"}: `selector` does not match template `labels`"
    );
    assert_eq!((e[1].line, e[1].column), (10, 9));
    let r = admit(&p.documents[0].value, None).unwrap_err();
    assert!(r.message.starts_with(
        "The StatefulSet \"web\" is invalid: \n* spec.selector: Required value\n* spec.template"
    ));
}

#[test]
fn cross_check_warns_about_governing_service() {
    let only_sts = LECTURE_EXAMPLE.split("---").nth(1).unwrap_or("");
    let p = parse(only_sts);
    assert!(!p.has_errors());
    let w = cross_check(&p.documents, &[]);
    assert_eq!(w.len(), 1);
    assert!(w[0]
        .message
        .contains("governing Service \"nginx\" does not exist"));
    let svc = json!({"metadata": {"name": "nginx", "namespace": "default"}, "spec": {"clusterIP": "None"}});
    assert!(cross_check(&p.documents, &[svc]).is_empty());
    let not_headless = LECTURE_EXAMPLE.replace("  clusterIP: None\n", "");
    let p = parse(&not_headless);
    assert!(
        p.diagnostics
            .iter()
            .any(|d| d.message.contains("is not headless")),
        "{:#?}",
        p.diagnostics
    );
}

#[test]
fn unknown_kind_and_wrong_version() {
    let p = parse("apiVersion: networking.k8s.io/v1beta1\nkind: Ingress\nmetadata:\n  name: x\n");
    assert_eq!(
        p.diagnostics[0].message,
        "error: resource mapping not found for name: \"x\" namespace: \"\" from \"STDIN\": no matches for kind \"Ingress\" in version \"networking.k8s.io/v1beta1\"\nensure CRDs are installed first"
    );
    let p = parse("apiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata:\n  name: x\n");
    assert!(!p.has_errors());
    assert!(!p.documents[0].simulated);
}

#[test]
fn missing_api_version_or_kind_is_caught_as_kubectl_does_before_sending() {
    let first = |text: &str| parse(text).diagnostics[0].message.clone();
    assert_eq!(first("kind: Service\nmetadata:\n  name: x\n"), "apiVersion not set");
    assert_eq!(first("apiVersion: v1\nmetadata:\n  name: x\n"), "kind not set");
    assert_eq!(first("metadata:\n  name: x\n"), "[apiVersion not set, kind not set]");
}

#[test]
fn a_dump_with_resource_version_creates_as_kubectl_clears_it() {
    let dump = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\n  resourceVersion: \"42\"\n  uid: 1f0e\n";
    let p = parse(dump);
    assert!(!p.has_errors(), "{:?}", p.diagnostics);
    let d = &p.diagnostics[0];
    assert_eq!((d.severity, d.line, d.column), (Severity::Warning, 5, 3), "{d:?}");
    assert!(d.hint.as_ref().unwrap().en.contains("kubectl clears `resourceVersion`"));
}

#[test]
fn check_report_lines() {
    let r = check_files(&[
        ("web.yaml", LECTURE_EXAMPLE),
        ("bad.yaml", "kind: StatefulSet\n"),
    ]);
    assert!(!r.accepted());
    assert!(r.files[0].accepted);
    assert!(
        r.files[1].lines[0] == "bad.yaml:1:1: error: apiVersion not set",
        "{:?}",
        r.files[1].lines
    );
}

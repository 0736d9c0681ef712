//! The manifest reader and admission: any bytes a student could paste or drop.
//! Both entry points (`parse_bytes` for raw bytes, `parse` for text) and, on every document
//! read, admission as a create and as an update of itself, plus the cross-document checks.
#![no_main]

use libfuzzer_sys::fuzz_target;
use statefulset_lab::manifest::{admit, cross_check, parse, parse_bytes, parse_in_cluster};

fuzz_target!(|data: &[u8]| {
    let _ = parse_bytes(data);
    let text = String::from_utf8_lossy(data);
    let parsed = parse(&text);
    for d in &parsed.diagnostics {
        assert!(d.line >= 1 && d.column >= 1, "position {}:{} for {}", d.line, d.column, d.message);
    }
    let mut services = Vec::new();
    for doc in &parsed.documents {
        let _ = doc.locate("spec.template.spec.containers[0].image");
        match admit(&doc.value, None) {
            Ok(a) => {
                // An update with itself must go through the update rules without panicking,
                // and so must the raw document as an update of the admitted one.
                let _ = admit(&a.object, Some(&a.object));
                let _ = admit(&doc.value, Some(&a.object));
                if doc.kind == "Service" {
                    services.push(a.object);
                }
            }
            Err(r) => assert!(!r.message.is_empty()),
        }
    }
    let _ = cross_check(&parsed.documents, &services);
    let _ = parse_in_cluster(&text, &services);
});

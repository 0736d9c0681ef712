//! The share-link / saved-session decoder (src/session/share.rs): whatever a link's fragment or
//! localStorage holds is decoded without panicking, and what it accepts survives a round trip.
#![no_main]

use libfuzzer_sys::fuzz_target;
use statefulset_lab::session::share;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    // As a link's fragment, with and without the `#s=` prefix, and as stored JSON.
    let _ = share::from_fragment(&text);
    let prefixed = format!("#s={text}");
    if let Some(Ok(session)) = share::from_fragment(&prefixed) {
        let again = share::from_fragment(&share::to_fragment(&session));
        assert_eq!(again, Some(Ok(session)), "fragment round trip");
    }
    if let Ok(session) = share::from_json(&text) {
        assert_eq!(share::from_json(&share::to_json(&session)), Ok(session), "JSON round trip");
    }
    // The base64url codec on its own: encode then decode gives the bytes back.
    assert_eq!(share::base64url_decode(&share::base64url_encode(data)).as_deref(), Some(data));
    let _ = share::base64url_decode(&text);
});

//! The share-link / saved-session decoder (src/ui/share.rs): whatever a link's fragment or
//! localStorage holds is decoded without panicking, and what it accepts survives a round trip.
//!
//! src/ui is compiled for wasm32 only, so the file is included here by path with a stand-in
//! for the one item it uses from `src/ui/sim.rs` (`Command`, `MAX_COMMANDS`). If share.rs
//! starts using more of the UI, this shim must follow (or share.rs should move to a module
//! that is compiled natively).
#![no_main]

use libfuzzer_sys::fuzz_target;

#[allow(dead_code)]
mod sim {
    use serde::{Deserialize, Serialize};

    #[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
    pub struct Command {
        pub at: u64,
        pub line: String,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub stdin: Option<String>,
    }

    pub const MAX_COMMANDS: usize = 2_000;
}

#[allow(dead_code)]
#[path = "../../src/ui/share.rs"]
mod share;

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

//! Virtual time as wall-clock time. The engine's instant 0 is 2026-01-01T00:00:00Z (engine
//! `meta.rs`); AGE columns subtract the API timestamps from "now" on the same scale.

use super::printers::age;

/// Unix milliseconds of the engine's time 0.
pub const EPOCH_UNIX_MS: i64 = 1_767_225_600_000;

/// Unix milliseconds of an engine instant (engine `Time.0`).
pub fn unix_ms(engine_ms: u64) -> i64 {
    EPOCH_UNIX_MS + engine_ms as i64
}

/// RFC 3339 of an engine instant, as the API server writes timestamps.
pub fn rfc3339(engine_ms: u64) -> String {
    age::format_rfc3339(unix_ms(engine_ms))
}

#[cfg(test)]
mod tests {
    #[test]
    fn epoch_is_2026() {
        assert_eq!(super::rfc3339(0), "2026-01-01T00:00:00Z");
    }
}

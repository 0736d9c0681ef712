//! Virtual time as wall-clock time. The engine's instant 0 is [`EPOCH_UNIX_MS`]; AGE columns
//! subtract the API timestamps from "now" on the same scale.

use super::printers::age;
pub use crate::engine::EPOCH_UNIX_MS;

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

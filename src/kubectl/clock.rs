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

/// A klog warning as kubectl writes it to stderr: `W0102 15:04:05.000000   PID file.go:N] msg`.
/// `at` is the upstream source line that logs it. kubectl is a new process per command, so
/// the process id is made from the instant (deterministic, as everything else here).
pub fn klog_warning(engine_ms: u64, at: &str, msg: &str) -> String {
    let pid = 10_000 + engine_ms / 7 % 89_000;
    format!("W{} {pid:>7} {at}] {msg}", age::format_klog(unix_ms(engine_ms)))
}

#[cfg(test)]
mod tests {
    #[test]
    fn epoch_is_2026() {
        assert_eq!(super::rfc3339(0), "2026-01-01T00:00:00Z");
    }

    #[test]
    fn klog_header_has_klog_widths() {
        let line = super::klog_warning(86_400_000 + 3_723_045, "helpers.go:1", "m");
        assert_eq!(line, format!("W0102 01:02:03.045000 {:>7} helpers.go:1] m", 10_000 + (86_400_000u64 + 3_723_045) / 7 % 89_000));
    }
}

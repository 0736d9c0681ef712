//! Time as kubectl prints it: `HumanDuration` for AGE columns (k8s.io/apimachinery
//! `util/duration`), RFC 3339 parsing and RFC 1123Z formatting for `describe`.

/// apimachinery's `HumanDuration`, from a duration in milliseconds (may be negative).
pub fn human_duration(ms: i64) -> String {
    let seconds = ms.div_euclid(1000);
    // Go truncates toward zero; a -0.5s difference is still "0s".
    let seconds_trunc = ms / 1000;
    if seconds_trunc < -1 {
        return "<invalid>".into();
    }
    if seconds < 0 {
        return "0s".into();
    }
    if seconds < 60 * 2 {
        return format!("{seconds}s");
    }
    let minutes = seconds / 60;
    if minutes < 10 {
        let s = seconds % 60;
        return if s == 0 { format!("{minutes}m") } else { format!("{minutes}m{s}s") };
    }
    if minutes < 60 * 3 {
        return format!("{minutes}m");
    }
    let hours = seconds / 3600;
    if hours < 8 {
        let m = minutes % 60;
        return if m == 0 { format!("{hours}h") } else { format!("{hours}h{m}m") };
    }
    if hours < 48 {
        return format!("{hours}h");
    }
    if hours < 24 * 8 {
        let h = hours % 24;
        return if h == 0 { format!("{}d", hours / 24) } else { format!("{}d{}h", hours / 24, h) };
    }
    if hours < 24 * 365 * 2 {
        return format!("{}d", hours / 24);
    }
    if hours < 24 * 365 * 8 {
        let dy = (hours / 24) % 365;
        return if dy == 0 { format!("{}y", hours / 24 / 365) } else { format!("{}y{}d", hours / 24 / 365, dy) };
    }
    format!("{}y", hours / 24 / 365)
}

fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

fn civil_from_days(z: i64) -> (i64, i64, i64) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    (if m <= 2 { y + 1 } else { y }, m, d)
}

/// Parses `2025-01-01T00:00:00Z` (also with fractional seconds or an offset) into Unix
/// milliseconds.
pub fn parse_rfc3339(s: &str) -> Option<i64> {
    let b = s.as_bytes();
    let num = |from: usize, len: usize| -> Option<i64> { s.get(from..from + len)?.parse().ok() };
    if b.len() < 20 || b.get(4) != Some(&b'-') || b.get(10).map(|c| c.to_ascii_uppercase()) != Some(b'T') {
        return None;
    }
    let (y, mo, d, h, mi, se) = (num(0, 4)?, num(5, 2)?, num(8, 2)?, num(11, 2)?, num(14, 2)?, num(17, 2)?);
    let mut rest = s.get(19..)?;
    let mut millis = 0;
    if let Some(frac) = rest.strip_prefix('.') {
        let n = frac.find(|c: char| !c.is_ascii_digit()).unwrap_or(frac.len());
        let digits = frac.get(..n)?;
        let padded = format!("{digits:0<3}");
        millis = padded.get(..3)?.parse().ok()?;
        rest = frac.get(n..)?;
    }
    let offset_min = if rest == "Z" || rest == "z" {
        0
    } else {
        let sign = if rest.starts_with('-') { -1 } else { 1 };
        let oh: i64 = rest.get(1..3)?.parse().ok()?;
        let om: i64 = rest.get(4..6)?.parse().ok()?;
        sign * (oh * 60 + om)
    };
    let days = days_from_civil(y, mo, d);
    Some(((days * 86_400 + h * 3600 + mi * 60 + se - offset_min * 60) * 1000) + millis)
}

/// Unix milliseconds as `2025-01-01T00:00:00Z` (what the API server writes).
pub fn format_rfc3339(ms: i64) -> String {
    let secs = ms.div_euclid(1000);
    let (y, m, d) = civil_from_days(secs.div_euclid(86_400));
    let t = secs.rem_euclid(86_400);
    format!("{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}Z", t / 3600, (t / 60) % 60, t % 60)
}

/// klog's header time, `MMDD hh:mm:ss.uuuuuu`, on a machine whose clock is UTC.
pub fn format_klog(ms: i64) -> String {
    let secs = ms.div_euclid(1000);
    let (_, m, d) = civil_from_days(secs.div_euclid(86_400));
    let t = secs.rem_euclid(86_400);
    format!("{m:02}{d:02} {:02}:{:02}:{:02}.{:06}", t / 3600, (t / 60) % 60, t % 60, ms.rem_euclid(1000) * 1000)
}

/// Go's `time.RFC1123Z` in UTC: `Mon, 02 Jan 2006 15:04:05 +0000`.
pub fn format_rfc1123z(ms: i64) -> String {
    const DAYS: [&str; 7] = ["Thu", "Fri", "Sat", "Sun", "Mon", "Tue", "Wed"];
    const MONTHS: [&str; 12] = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
    let secs = ms.div_euclid(1000);
    let days = secs.div_euclid(86_400);
    let (y, m, d) = civil_from_days(days);
    let t = secs.rem_euclid(86_400);
    let wd = DAYS.get(days.rem_euclid(7) as usize).copied().unwrap_or("Mon");
    let mn = MONTHS.get((m - 1).clamp(0, 11) as usize).copied().unwrap_or("Jan");
    format!("{wd}, {d:02} {mn} {y:04} {:02}:{:02}:{:02} +0000", t / 3600, (t / 60) % 60, t % 60)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn human_durations_like_apimachinery() {
        let s = 1000;
        assert_eq!(human_duration(-3 * s), "<invalid>");
        assert_eq!(human_duration(-500), "0s");
        assert_eq!(human_duration(0), "0s");
        assert_eq!(human_duration(37 * s), "37s");
        assert_eq!(human_duration(119 * s), "119s");
        assert_eq!(human_duration(120 * s), "2m");
        assert_eq!(human_duration(125 * s), "2m5s");
        assert_eq!(human_duration(600 * s), "10m");
        assert_eq!(human_duration(179 * 60 * s), "179m");
        assert_eq!(human_duration(3 * 3600 * s), "3h");
        assert_eq!(human_duration((3 * 3600 + 120) * s), "3h2m");
        assert_eq!(human_duration(8 * 3600 * s), "8h");
        assert_eq!(human_duration(47 * 3600 * s), "47h");
        assert_eq!(human_duration(50 * 3600 * s), "2d2h");
        assert_eq!(human_duration(10 * 86400 * s), "10d");
        assert_eq!(human_duration(800 * 86400 * s), "2y70d");
    }

    #[test]
    fn timestamps() {
        let t = parse_rfc3339("2025-03-01T12:34:56Z").unwrap_or_default();
        assert_eq!(format_rfc3339(t), "2025-03-01T12:34:56Z");
        assert_eq!(format_rfc1123z(t), "Sat, 01 Mar 2025 12:34:56 +0000");
        assert_eq!(parse_rfc3339("1970-01-01T00:00:01.5Z"), Some(1500));
        assert_eq!(parse_rfc3339("1970-01-01T01:00:00+01:00"), Some(0));
        assert_eq!(parse_rfc3339("garbage"), None);
    }
}

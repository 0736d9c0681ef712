//! Kubernetes resource quantities (`1Gi`, `500m`, `1e3`), parsed as apimachinery's
//! `resource.ParseQuantity` does, with its three error messages.

pub const ERR_FORMAT: &str =
    "quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'";
pub const ERR_SUFFIX: &str = "unable to parse quantity's suffix";
pub const ERR_NUMERIC: &str = "unable to parse numeric part of quantity";

/// A parsed quantity: enough to compare sizes and to tell a student what it means.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Quantity {
    /// The value in base units (bytes for storage, cores for cpu), as a float: exact enough
    /// for comparisons like requests <= limits.
    pub value: f64,
}

pub fn parse(text: &str) -> Result<Quantity, &'static str> {
    let s = text;
    if s.is_empty() {
        return Err(ERR_FORMAT);
    }
    if s == "0" {
        return Ok(Quantity { value: 0.0 });
    }
    let b = s.as_bytes();
    let mut i = 0;
    let mut negative = false;
    if let Some(&c) = b.first() {
        if c == b'+' || c == b'-' {
            negative = c == b'-';
            i += 1;
        }
    }
    // Number part: [0-9.]+ as the regular expression says; a second dot or no digit at all is
    // a numeric error, as big.Float parsing reports it upstream.
    let num_start = i;
    while i < b.len() && (b[i].is_ascii_digit() || b[i] == b'.') {
        i += 1;
    }
    let number = &s[num_start..i];
    if number.is_empty() {
        return Err(ERR_FORMAT);
    }
    // Suffix: [eEinumkKMGTP]* then an optional signed integer, and nothing after it.
    let suffix_start = i;
    while i < b.len() && b"eEinumkKMGTP".contains(&b[i]) {
        i += 1;
    }
    if i < b.len() && (b[i] == b'+' || b[i] == b'-') {
        i += 1;
    }
    while i < b.len() && b[i].is_ascii_digit() {
        i += 1;
    }
    if i != b.len() {
        return Err(ERR_FORMAT);
    }
    let suffix = &s[suffix_start..];
    if number.matches('.').count() > 1 || number == "." {
        return Err(ERR_NUMERIC);
    }
    let magnitude: f64 = number.parse().map_err(|_| ERR_NUMERIC)?;
    let scale = suffix_scale(suffix).ok_or(ERR_SUFFIX)?;
    let value = magnitude * scale;
    Ok(Quantity {
        value: if negative { -value } else { value },
    })
}

fn suffix_scale(suffix: &str) -> Option<f64> {
    let binary = |p: i32| Some(2f64.powi(p));
    let decimal = |p: i32| Some(10f64.powi(p));
    match suffix {
        "" => decimal(0),
        "Ki" => binary(10),
        "Mi" => binary(20),
        "Gi" => binary(30),
        "Ti" => binary(40),
        "Pi" => binary(50),
        "Ei" => binary(60),
        "n" => decimal(-9),
        "u" => decimal(-6),
        "m" => decimal(-3),
        "k" => decimal(3),
        "M" => decimal(6),
        "G" => decimal(9),
        "T" => decimal(12),
        "P" => decimal(15),
        "E" => decimal(18),
        _ => {
            // Decimal exponent: e3, E-2 (a bare "e" is not one).
            let rest = suffix
                .strip_prefix('e')
                .or_else(|| suffix.strip_prefix('E'))?;
            let digits = rest
                .strip_prefix('+')
                .or_else(|| rest.strip_prefix('-'))
                .unwrap_or(rest);
            if digits.is_empty() || !digits.bytes().all(|c| c.is_ascii_digit()) {
                return None;
            }
            let exp: i32 = rest.parse().ok()?;
            Some(10f64.powi(exp))
        }
    }
}

/// A student's likely meaning for an invalid quantity such as `1GB` or `1K`, e.g. `["1Gi", "1G"]`.
pub fn suggestions(text: &str) -> Vec<String> {
    let t: String = text.chars().filter(|c| !c.is_whitespace()).collect();
    let digits_end = t
        .find(|c: char| !(c.is_ascii_digit() || c == '.'))
        .unwrap_or(t.len());
    let (num, unit) = t.split_at(digits_end);
    if num.is_empty() {
        return Vec::new();
    }
    let unit_upper = unit.to_ascii_uppercase();
    let letter = match unit_upper.trim_end_matches('B').trim_end_matches('I') {
        "K" => "K",
        "M" => "M",
        "G" => "G",
        "T" => "T",
        "P" => "P",
        "E" => "E",
        _ => {
            return if unit.is_empty() {
                Vec::new()
            } else {
                parse(num)
                    .map(|_| vec![num.to_string()])
                    .unwrap_or_default()
            }
        }
    };
    let binary = format!("{num}{letter}i");
    let decimal = if letter == "K" {
        format!("{num}k")
    } else {
        format!("{num}{letter}")
    };
    [binary, decimal]
        .into_iter()
        .filter(|s| s != text && parse(s).is_ok())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn grammar_matches_apimachinery() {
        for ok in [
            "1Gi", "1G", "500Mi", "1e3", "0.5", "100m", "1.5Gi", "+1", "-1Gi", "0", "1E-2", "10k",
            "5",
        ] {
            assert!(parse(ok).is_ok(), "{ok} should parse");
        }
        assert_eq!(parse("1GB"), Err(ERR_FORMAT));
        assert_eq!(parse("1 Gi"), Err(ERR_FORMAT));
        assert_eq!(parse("Gi"), Err(ERR_FORMAT));
        assert_eq!(parse(""), Err(ERR_FORMAT));
        assert_eq!(parse("1K"), Err(ERR_SUFFIX));
        assert_eq!(parse("1Mb"), Err(ERR_FORMAT));
        assert_eq!(parse("1iG"), Err(ERR_SUFFIX));
        assert_eq!(parse("1.2.3"), Err(ERR_NUMERIC));
        assert_eq!(parse("1Gi").map(|q| q.value), Ok(1073741824.0));
    }

    #[test]
    fn suggestions_for_common_slips() {
        assert_eq!(suggestions("1GB"), vec!["1Gi", "1G"]);
        assert_eq!(suggestions("1K"), vec!["1Ki", "1k"]);
        assert_eq!(suggestions("500mb"), vec!["500Mi", "500M"]);
        assert_eq!(suggestions("1 Gi"), vec!["1Gi", "1G"]);
    }
}

//! Labs brought from outside the app, by a `#lab=` link or a local file: untrusted text, read
//! with its size checked first and every failure an error message (natively built, so the `lab`
//! fuzz target reads them exactly as the browser does).

use super::{parse_lab, Lab};
use crate::session::share;

/// The largest lab file read from a link or a disk (a handout's lab is a few KB).
pub const MAX_LAB_BYTES: usize = 64 * 1024;
/// `#lab=<base64url of the lab's YAML>` opens that lab.
pub const FRAGMENT_PREFIX: &str = "lab=";

/// Reads a lab brought from outside, with its size checked first; errors name line and column.
pub fn read_lab(text: &str) -> Result<Lab, String> {
    if text.len() > MAX_LAB_BYTES {
        return Err(format!("the file is {} KB; a lab may be at most {} KB", text.len().div_ceil(1024), MAX_LAB_BYTES / 1024));
    }
    let lab = parse_lab(text)?;
    if lab.id.trim().is_empty() {
        return Err("the lab has an empty `id`".into());
    }
    if lab.checks.is_empty() {
        return Err("the lab has no `checks`".into());
    }
    Ok(lab)
}

/// The lab a `#lab=` fragment carries: None when the fragment is something else.
pub fn from_fragment(fragment: &str) -> Option<Result<(Lab, String), String>> {
    let data = fragment.strip_prefix('#').unwrap_or(fragment).strip_prefix(FRAGMENT_PREFIX)?;
    if data.len() > MAX_LAB_BYTES.div_ceil(3) * 4 {
        return Some(Err(format!("the link's lab is larger than {} KB", MAX_LAB_BYTES / 1024)));
    }
    let text = match share::base64url_decode(data).map(String::from_utf8) {
        Some(Ok(text)) => text,
        _ => return Some(Err("the link's lab is not base64url-encoded UTF-8 text".into())),
    };
    Some(read_lab(&text).map(|lab| (lab, text)))
}

/// The `#lab=` fragment that opens this lab file (for a course page to link to).
pub fn to_fragment(yaml: &str) -> String {
    format!("#{FRAGMENT_PREFIX}{}", share::base64url_encode(yaml.as_bytes()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::labs::BUILT_IN;

    #[test]
    fn links_and_files_are_checked_before_they_are_read() {
        let too_big = format!("id: x\n# {}\n", "x".repeat(MAX_LAB_BYTES));
        assert!(read_lab(&too_big).unwrap_err().contains("at most 64 KB"));
        let (lab, text) = from_fragment(&to_fragment(BUILT_IN[2])).unwrap().unwrap();
        assert_eq!((lab.id.as_str(), text.as_str()), ("sticky-identity", BUILT_IN[2]));
        assert_eq!(from_fragment("#lab=%%%"), Some(Err("the link's lab is not base64url-encoded UTF-8 text".into())));
        assert!(from_fragment(&to_fragment("just: text\n")).unwrap().unwrap_err().starts_with("line 1"));
        assert!(from_fragment(&format!("#lab={}", "A".repeat(200_000))).unwrap().unwrap_err().contains("larger than 64 KB"));
        assert_eq!(from_fragment("#s=abc"), None);
    }
}

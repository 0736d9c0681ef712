//! The screen's components. Each takes plain props and callbacks; none holds the session.

pub mod actions;
pub mod cluster;
pub mod compare;
pub mod console;
pub mod editor;
pub mod events;
pub mod highlight;
pub mod labs;
pub mod status;
pub mod time;
pub mod why;

/// Appends `text` as HTML text content, for the parts of the screen inserted as markup (many
/// elements that only change together): whatever the text holds shows as typed.
pub(crate) fn escape_into(out: &mut String, text: &str) {
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            c => out.push(c),
        }
    }
}

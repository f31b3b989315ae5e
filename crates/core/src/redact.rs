//! Masking of secrets: every output but the local terminal (with `--show-secrets`) shows a
//! secret as a short prefix and its length, never the whole value.

/// Masks `secret` as `<prefix>…(<n> chars)`.
///
/// The prefix is at most 4 characters and never more than a quarter of the secret, so short
/// secrets show nothing of themselves: `ghp_…(40 chars)`, `AKIA…(20 chars)`, `…(8 chars)`.
pub fn mask(secret: &str) -> String {
    let len = secret.chars().count();
    let shown = (len / 4).min(4);
    let prefix: String = secret.chars().take(shown).collect();
    format!("{prefix}…({len} chars)")
}

/// Replaces every occurrence of `secret` in `text` with its mask.
pub fn mask_in(text: &str, secret: &str) -> String {
    if secret.is_empty() {
        return text.to_owned();
    }
    text.replace(secret, &mask(secret))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shows_a_short_prefix_and_the_length() {
        assert_eq!(mask("AKIAZZZZZZZZZZZZZZZZ"), "AKIA…(20 chars)");
        assert_eq!(mask("hunter2hunter2"), "hun…(14 chars)");
        assert_eq!(mask("abc"), "…(3 chars)");
        assert_eq!(mask(""), "…(0 chars)");
    }

    #[test]
    fn masks_every_occurrence_in_a_snippet() {
        let s = "token=abcdefghijklmnop; again=abcdefghijklmnop";
        let masked = mask_in(s, "abcdefghijklmnop");
        assert!(!masked.contains("abcdefghijklmnop"));
        assert_eq!(masked, "token=abcd…(16 chars); again=abcd…(16 chars)");
    }

    #[test]
    fn counts_characters_not_bytes() {
        assert_eq!(mask("ééééééééé"), "éé…(9 chars)");
    }
}

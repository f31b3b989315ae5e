//! Maven ordering, as the POM reference's "Version Order Specification" (ComparableVersion):
//! tokens split at `.`, `-` and digit/letter transitions (a transition acts as `-`); trailing
//! "null" tokens (`0`, ``, `final`, `ga`, `release`) trimmed, also before each `-`; tokens with
//! the same separator compare as numbers, or as qualifiers
//! (`alpha < beta < milestone < rc = cr < snapshot < "" = final = ga = release < sp`, then other
//! qualifiers alphabetically); otherwise `.qualifier < -qualifier < -number < .number`.

use std::cmp::Ordering;

use super::num::{cmp_digits, is_digits, is_zero};

#[derive(Debug, Clone, PartialEq, Eq)]
struct Token {
    dash: bool,
    value: String,
}

impl Token {
    fn is_number(&self) -> bool {
        is_digits(&self.value)
    }

    fn is_null(&self) -> bool {
        self.value.is_empty() || is_zero(&self.value)
    }

    /// `.qualifier` < `-qualifier` < `-number` < `.number`.
    fn separator_rank(&self) -> u8 {
        match (self.is_number(), self.dash) {
            (false, false) => 1,
            (false, true) => 2,
            (true, true) => 3,
            (true, false) => 4,
        }
    }
}

fn known_qualifier(q: &str) -> Option<u8> {
    Some(match q {
        "alpha" => 0,
        "beta" => 1,
        "milestone" => 2,
        "rc" => 3,
        "snapshot" => 4,
        "" => 5,
        "sp" => 6,
        _ => return None,
    })
}

fn tokenize(v: &str) -> Vec<Token> {
    let v = v.trim().to_ascii_lowercase();
    // (dash, text, followed directly by a digit run)
    let mut raw: Vec<(bool, String)> = Vec::new();
    let mut current = String::new();
    let mut dash = false;
    let mut transition_next = Vec::new();
    let chars: Vec<char> = v.chars().collect();
    for (i, &c) in chars.iter().enumerate() {
        match c {
            '.' | '-' => {
                raw.push((dash, std::mem::take(&mut current)));
                transition_next.push(false);
                dash = c == '-';
            }
            _ => {
                if let Some(&prev) = i.checked_sub(1).and_then(|p| chars.get(p))
                    && prev != '.'
                    && prev != '-'
                    && prev.is_ascii_digit() != c.is_ascii_digit()
                {
                    raw.push((dash, std::mem::take(&mut current)));
                    transition_next.push(c.is_ascii_digit());
                    dash = true;
                }
                current.push(c);
            }
        }
    }
    raw.push((dash, current));
    transition_next.push(false);

    let mut tokens: Vec<Token> = raw
        .into_iter()
        .zip(transition_next)
        .map(|((dash, value), next_is_digits)| {
            let value = match value.as_str() {
                "" => "0".to_owned(),
                "cr" => "rc".to_owned(),
                "ga" | "final" | "release" => String::new(),
                "a" if next_is_digits => "alpha".to_owned(),
                "b" if next_is_digits => "beta".to_owned(),
                "m" if next_is_digits => "milestone".to_owned(),
                _ => value,
            };
            Token { dash, value }
        })
        .collect();

    while tokens.last().is_some_and(Token::is_null) {
        tokens.pop();
    }
    // Null tokens before each `-` go too, from the end to the start.
    let mut i = tokens.len();
    while i > 0 {
        i -= 1;
        if tokens[i].dash {
            while i > 0 && tokens[i - 1].is_null() {
                tokens.remove(i - 1);
                i -= 1;
            }
        }
    }
    tokens
}

fn cmp_tokens(a: &Token, b: &Token) -> Ordering {
    if a.dash == b.dash {
        match (a.is_number(), b.is_number()) {
            (true, true) => cmp_digits(&a.value, &b.value),
            (false, false) => match (known_qualifier(&a.value), known_qualifier(&b.value)) {
                (Some(x), Some(y)) => x.cmp(&y),
                (None, None) => a.value.cmp(&b.value),
                (None, Some(_)) => Ordering::Greater,
                (Some(_), None) => Ordering::Less,
            },
            (true, false) => Ordering::Greater,
            (false, true) => Ordering::Less,
        }
    } else {
        a.separator_rank().cmp(&b.separator_rank())
    }
}

/// What a shorter version is compared with opposite `other` (Maven compares an item with
/// `null`): zero for a number, the release qualifier `` for a qualifier.
fn null_like(other: &Token) -> Token {
    Token {
        dash: other.dash,
        value: if other.is_number() {
            "0".to_owned()
        } else {
            String::new()
        },
    }
}

pub fn compare(a: &str, b: &str) -> Ordering {
    let (a, b) = (tokenize(a), tokenize(b));
    let n = a.len().max(b.len());
    for i in 0..n {
        let ord = match (a.get(i), b.get(i)) {
            (Some(x), Some(y)) => cmp_tokens(x, y),
            (Some(x), None) => cmp_tokens(x, &null_like(x)),
            (None, Some(y)) => cmp_tokens(&null_like(y), y),
            (None, None) => Ordering::Equal,
        };
        if ord != Ordering::Equal {
            return ord;
        }
    }
    Ordering::Equal
}

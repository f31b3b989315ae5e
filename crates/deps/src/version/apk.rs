//! Alpine (apk) ordering: `number{.number}…{letter}{_suffix{number}}…{~hash}{-r#}`, compared
//! token by token the way apk-tools does. Suffixes rank
//! `alpha < beta < pre < rc < (none) < cvs < svn < git < hg < p`.

use std::cmp::Ordering;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Tok {
    Invalid,
    DigitOrZero,
    Digit,
    Letter,
    Suffix,
    SuffixNo,
    RevisionNo,
    End,
}

/// One token's value: numbers compare by value (`Num`), digits with leading zeros compare as
/// text (`Text`, apk's "fractional" rule), letters and suffix ranks as numbers.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
enum Val {
    Num(i64, String),
    Text(String),
}

const PRE_SUFFIXES: [&str; 4] = ["alpha", "beta", "pre", "rc"];
const POST_SUFFIXES: [&str; 5] = ["cvs", "svn", "git", "hg", "p"];

struct Lexer<'a> {
    s: &'a [u8],
    pos: usize,
    tok: Tok,
}

impl Lexer<'_> {
    fn rest(&self) -> &[u8] {
        self.s.get(self.pos..).unwrap_or_default()
    }

    fn next_token(&mut self) {
        let rest = self.rest();
        let Some(&c) = rest.first() else {
            self.tok = Tok::End;
            return;
        };
        let mut n = Tok::Invalid;
        if matches!(self.tok, Tok::Digit | Tok::DigitOrZero) && c.is_ascii_lowercase() {
            n = Tok::Letter;
        } else if self.tok == Tok::Letter && c.is_ascii_digit() {
            n = Tok::Digit;
        } else if self.tok == Tok::Suffix && c.is_ascii_digit() {
            n = Tok::SuffixNo;
        } else {
            match c {
                b'.' => n = Tok::DigitOrZero,
                b'_' => n = Tok::Suffix,
                b'-' if rest.get(1) == Some(&b'r') => {
                    n = Tok::RevisionNo;
                    self.pos += 1;
                }
                _ => {}
            }
            self.pos += 1;
        }
        if n < self.tok
            && !((n == Tok::DigitOrZero && self.tok == Tok::Digit)
                || (n == Tok::Suffix && self.tok == Tok::SuffixNo)
                || (n == Tok::Digit && self.tok == Tok::Letter))
        {
            n = Tok::Invalid;
        }
        self.tok = n;
    }

    /// A suffix without a number followed by another suffix (`_alpha_pre2`): step to that suffix.
    fn skip_empty_suffix_number(&mut self) {
        if self.tok == Tok::SuffixNo && self.rest().first() == Some(&b'_') {
            self.pos += 1;
            self.tok = Tok::Suffix;
        }
    }

    /// True when the pending token cannot be read: an invalid character, an unknown suffix, a
    /// `.` or `-r` without digits after it.
    fn broken(&self) -> bool {
        let rest = self.rest();
        let digit_next = rest.first().is_some_and(u8::is_ascii_digit);
        match self.tok {
            Tok::Invalid => true,
            Tok::Suffix => !PRE_SUFFIXES
                .iter()
                .chain(POST_SUFFIXES.iter())
                .any(|p| rest.starts_with(p.as_bytes())),
            Tok::RevisionNo => !rest.is_empty() && !digit_next,
            Tok::DigitOrZero => !digit_next,
            _ => false,
        }
    }

    fn get_token(&mut self) -> Val {
        let rest = self.rest();
        if rest.is_empty() {
            self.tok = Tok::End;
            return Val::Num(0, String::new());
        }
        let mut i = 0;
        let mut next = None;
        let val = match self.tok {
            Tok::DigitOrZero if rest[0] == b'0' => {
                while i < rest.len() && rest[i].is_ascii_digit() {
                    i += 1;
                }
                next = Some(Tok::Digit);
                Val::Text(String::from_utf8_lossy(&rest[..i]).into_owned())
            }
            Tok::DigitOrZero | Tok::Digit | Tok::SuffixNo | Tok::RevisionNo => {
                while i < rest.len() && rest[i].is_ascii_digit() {
                    i += 1;
                }
                let digits = String::from_utf8_lossy(&rest[..i]).into_owned();
                let t = digits.trim_start_matches('0');
                Val::Num(t.len() as i64, t.to_owned())
            }
            Tok::Letter => {
                i = 1;
                Val::Num(i64::from(rest[0]), String::new())
            }
            Tok::Suffix => {
                let rank = PRE_SUFFIXES
                    .iter()
                    .position(|p| rest.starts_with(p.as_bytes()))
                    .map(|p| (p as i64 - PRE_SUFFIXES.len() as i64, PRE_SUFFIXES[p].len()))
                    .or_else(|| {
                        POST_SUFFIXES
                            .iter()
                            .position(|p| rest.starts_with(p.as_bytes()))
                            .map(|p| (p as i64, POST_SUFFIXES[p].len()))
                    });
                match rank {
                    Some((r, len)) => {
                        i = len;
                        next = Some(Tok::SuffixNo);
                        Val::Num(r, String::new())
                    }
                    None => {
                        self.tok = Tok::Invalid;
                        return Val::Num(-1, String::new());
                    }
                }
            }
            _ => {
                self.tok = Tok::Invalid;
                return Val::Num(-1, String::new());
            }
        };
        self.pos += i;
        if self.rest().is_empty() {
            self.tok = Tok::End;
        } else if let Some(n) = next {
            self.tok = n;
        } else {
            self.next_token();
        }
        val
    }
}

fn cmp_val(a: &Val, b: &Val) -> Ordering {
    match (a, b) {
        (Val::Num(x, xs), Val::Num(y, ys)) => {
            if xs.is_empty() && ys.is_empty() {
                x.cmp(y)
            } else {
                // Numbers: longer digit strings are larger, then text order.
                xs.len().cmp(&ys.len()).then_with(|| xs.cmp(ys))
            }
        }
        (Val::Text(x), Val::Text(y)) => x.cmp(y),
        (Val::Text(x), Val::Num(_, y)) => x.as_str().cmp(y.as_str()),
        (Val::Num(_, x), Val::Text(y)) => x.as_str().cmp(y.as_str()),
    }
}

pub fn compare(a: &str, b: &str) -> Ordering {
    let mut la = Lexer {
        s: a.trim().as_bytes(),
        pos: 0,
        tok: Tok::Digit,
    };
    let mut lb = Lexer {
        s: b.trim().as_bytes(),
        pos: 0,
        tok: Tok::Digit,
    };
    let mut av = Val::Num(0, String::new());
    let mut bv = Val::Num(0, String::new());
    while la.tok == lb.tok
        && la.tok != Tok::End
        && la.tok != Tok::Invalid
        && cmp_val(&av, &bv) == Ordering::Equal
    {
        av = la.get_token();
        bv = lb.get_token();
    }
    let ord = cmp_val(&av, &bv);
    if ord != Ordering::Equal {
        return ord;
    }
    la.skip_empty_suffix_number();
    lb.skip_empty_suffix_number();
    if la.tok == lb.tok {
        return Ordering::Equal;
    }
    // Equal so far, then different shapes. A version whose next token breaks apk's grammar
    // sorts before one that goes on correctly (as current apk-tools does); two broken ones are
    // equal from there on.
    match (la.broken(), lb.broken()) {
        (true, true) => return Ordering::Equal,
        (true, false) => return Ordering::Less,
        (false, true) => return Ordering::Greater,
        (false, false) => {}
    }
    // The longer version is newer unless it continues with a pre-release suffix.
    if la.tok == Tok::Suffix && is_pre_suffix(la.rest()) {
        return Ordering::Less;
    }
    if lb.tok == Tok::Suffix && is_pre_suffix(lb.rest()) {
        return Ordering::Greater;
    }
    lb.tok.cmp(&la.tok)
}

fn is_pre_suffix(rest: &[u8]) -> bool {
    PRE_SUFFIXES.iter().any(|p| rest.starts_with(p.as_bytes()))
}

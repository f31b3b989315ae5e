//! PEP 440 ordering (what `packaging.version.Version` does), with the legacy fallback of
//! `packaging` < 22 for strings that are not PEP 440: those sort before every valid version and
//! among themselves by setuptools' legacy key, so old PyPI releases still order.

use std::cmp::Ordering;
use std::sync::LazyLock;

use regex::Regex;

use super::num::cmp_digits;

static PEP440: LazyLock<Option<Regex>> = LazyLock::new(|| {
    Regex::new(
        r"(?ix)^\s*v?
        (?:(?P<epoch>[0-9]+)!)?
        (?P<release>[0-9]+(?:\.[0-9]+)*)
        (?P<pre>[-_.]?(?P<pre_l>alpha|beta|preview|pre|a|b|c|rc)[-_.]?(?P<pre_n>[0-9]+)?)?
        (?P<post>(?:-(?P<post_n1>[0-9]+))|(?:[-_.]?(?P<post_l>post|rev|r)[-_.]?(?P<post_n2>[0-9]+)?))?
        (?P<dev>[-_.]?(?P<dev_l>dev)[-_.]?(?P<dev_n>[0-9]+)?)?
        (?:\+(?P<local>[a-z0-9]+(?:[-_.][a-z0-9]+)*))?
        \s*$",
    )
    .ok()
});

/// A parsed PEP 440 version. `None` parts sort as `packaging` says: a missing pre-release after
/// any pre-release (unless it is a bare dev release), a missing post-release first, a missing
/// dev release last, a missing local version first.
#[derive(Debug)]
struct Pep440 {
    epoch: String,
    release: Vec<String>,
    pre: Option<(u8, String)>,
    post: Option<String>,
    dev: Option<String>,
    local: Option<Vec<String>>,
}

fn parse(v: &str) -> Option<Pep440> {
    let caps = PEP440.as_ref()?.captures(v)?;
    let get = |n: &str| caps.name(n).map(|m| m.as_str());
    let mut release: Vec<String> = get("release")?.split('.').map(str::to_owned).collect();
    while release.len() > 1 && release.last().is_some_and(|s| cmp_digits(s, "0").is_eq()) {
        release.pop();
    }
    let pre = get("pre_l").map(|l| {
        let rank = match l.to_ascii_lowercase().as_str() {
            "a" | "alpha" => 0,
            "b" | "beta" => 1,
            _ => 2, // c, rc, pre, preview
        };
        (rank, get("pre_n").unwrap_or("0").to_owned())
    });
    let post = if get("post").is_some() {
        Some(get("post_n1").or(get("post_n2")).unwrap_or("0").to_owned())
    } else {
        None
    };
    let dev = get("dev").map(|_| get("dev_n").unwrap_or("0").to_owned());
    let local = get("local").map(|l| {
        l.to_ascii_lowercase()
            .split(['-', '_', '.'])
            .map(str::to_owned)
            .collect()
    });
    Some(Pep440 {
        epoch: get("epoch").unwrap_or("0").to_owned(),
        release,
        pre,
        post,
        dev,
        local,
    })
}

fn cmp_release(a: &[String], b: &[String]) -> Ordering {
    let n = a.len().max(b.len());
    for i in 0..n {
        let ord = cmp_digits(
            a.get(i).map_or("0", String::as_str),
            b.get(i).map_or("0", String::as_str),
        );
        if ord != Ordering::Equal {
            return ord;
        }
    }
    Ordering::Equal
}

/// Pre-release key: a dev-only release sorts before every pre-release, no pre-release after all.
fn pre_key(v: &Pep440) -> (i8, u8, &str) {
    match &v.pre {
        Some((rank, n)) => (0, *rank, n.as_str()),
        None if v.post.is_none() && v.dev.is_some() => (-1, 0, ""),
        None => (1, 0, ""),
    }
}

fn cmp_opt_num(a: Option<&str>, b: Option<&str>, none_first: bool) -> Ordering {
    match (a, b) {
        (None, None) => Ordering::Equal,
        (None, Some(_)) => {
            if none_first {
                Ordering::Less
            } else {
                Ordering::Greater
            }
        }
        (Some(_), None) => {
            if none_first {
                Ordering::Greater
            } else {
                Ordering::Less
            }
        }
        (Some(x), Some(y)) => cmp_digits(x, y),
    }
}

/// Local segments: numbers sort after strings, numbers by value, strings lexically.
fn cmp_local(a: Option<&Vec<String>>, b: Option<&Vec<String>>) -> Ordering {
    match (a, b) {
        (None, None) => Ordering::Equal,
        (None, Some(_)) => Ordering::Less,
        (Some(_), None) => Ordering::Greater,
        (Some(a), Some(b)) => {
            for (x, y) in a.iter().zip(b) {
                let xn = x.bytes().all(|c| c.is_ascii_digit());
                let yn = y.bytes().all(|c| c.is_ascii_digit());
                let ord = match (xn, yn) {
                    (true, true) => cmp_digits(x, y),
                    (true, false) => Ordering::Greater,
                    (false, true) => Ordering::Less,
                    (false, false) => x.cmp(y),
                };
                if ord != Ordering::Equal {
                    return ord;
                }
            }
            a.len().cmp(&b.len())
        }
    }
}

fn cmp_valid(a: &Pep440, b: &Pep440) -> Ordering {
    cmp_digits(&a.epoch, &b.epoch)
        .then_with(|| cmp_release(&a.release, &b.release))
        .then_with(|| {
            let (x, y) = (pre_key(a), pre_key(b));
            x.0.cmp(&y.0)
                .then(x.1.cmp(&y.1))
                .then_with(|| cmp_digits(x.2, y.2))
        })
        .then_with(|| cmp_opt_num(a.post.as_deref(), b.post.as_deref(), true))
        .then_with(|| cmp_opt_num(a.dev.as_deref(), b.dev.as_deref(), false))
        .then_with(|| cmp_local(a.local.as_ref(), b.local.as_ref()))
}

/// setuptools' `_legacy_cmpkey` parts.
fn legacy_key(v: &str) -> Vec<String> {
    let lower = v.trim().to_ascii_lowercase();
    let mut pieces: Vec<String> = Vec::new();
    // Split into digit runs, letter runs, `.` and `-`, keeping any other text between them.
    let bytes = lower.as_bytes();
    let mut i = 0;
    let mut other = String::new();
    while i < bytes.len() {
        let c = bytes[i];
        let start = i;
        if c.is_ascii_digit() || c.is_ascii_lowercase() {
            let digit = c.is_ascii_digit();
            while i < bytes.len()
                && (if digit {
                    bytes[i].is_ascii_digit()
                } else {
                    bytes[i].is_ascii_lowercase()
                })
            {
                i += 1;
            }
        } else if c == b'.' || c == b'-' {
            i += 1;
        } else {
            let ch_len = lower[i..].chars().next().map_or(1, char::len_utf8);
            other.push_str(&lower[i..i + ch_len]);
            i += ch_len;
            continue;
        }
        if !other.is_empty() {
            pieces.push(std::mem::take(&mut other));
        }
        pieces.push(lower[start..i].to_owned());
    }
    if !other.is_empty() {
        pieces.push(other);
    }
    let mut parts: Vec<String> = Vec::new();
    let mut push = |part: String| {
        if part.starts_with('*') {
            if part.as_str() < "*final" {
                while parts.last().is_some_and(|p| p == "*final-") {
                    parts.pop();
                }
            }
            while parts.last().is_some_and(|p| p == "00000000") {
                parts.pop();
            }
        }
        parts.push(part);
    };
    for piece in pieces {
        let piece = match piece.as_str() {
            "pre" | "preview" | "rc" => "c".to_owned(),
            "-" => "final-".to_owned(),
            "dev" => "@".to_owned(),
            _ => piece,
        };
        if piece.is_empty() || piece == "." {
            continue;
        }
        if piece.as_bytes()[0].is_ascii_digit() {
            push(format!("{piece:0>8}"));
        } else {
            push(format!("*{piece}"));
        }
    }
    push("*final".to_owned());
    parts
}

pub fn compare(a: &str, b: &str) -> Ordering {
    match (parse(a), parse(b)) {
        (Some(x), Some(y)) => cmp_valid(&x, &y),
        (None, Some(_)) => Ordering::Less,
        (Some(_), None) => Ordering::Greater,
        (None, None) => legacy_key(a).cmp(&legacy_key(b)),
    }
}

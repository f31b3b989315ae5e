//! Response bodies that give too much away: stack traces and debug pages, directory listings.

use std::sync::LazyLock;

use regex::Regex;

use super::{Findings, Observed, clip};
use crate::fetch::Response;
use crate::rules::Rule;

/// Signatures of stack traces, debugger pages and raw database errors, with the platform each
/// one identifies.
static ERROR_SIGNATURES: LazyLock<Vec<(&'static str, Regex)>> = LazyLock::new(|| {
    [
        ("Python traceback", r"Traceback \(most recent call last\):"),
        ("Django debug page", r"You're seeing this error because you have <code>DEBUG = True</code>"),
        ("Werkzeug debugger", r"Werkzeug Debugger|The debugger caught an exception in your WSGI application"),
        ("Java stack trace", r"(?m)^\s*at [a-zA-Z_$][\w$]*(?:\.[\w$<>]+)+\([\w$]+\.java:\d+\)"),
        ("Java exception", r"\b(?:java|javax|jakarta)\.[\w.]+(?:Exception|Error)\b"),
        ("Node.js stack trace", r"(?m)^\s*at (?:[\w.<>$ ]+ )?\(?/[^\s)]+\.(?:js|mjs|cjs|ts):\d+:\d+\)?"),
        ("PHP error", r"(?:Fatal error|Parse error|Warning|Notice)</b>?:.{0,300}? in <b>?/[^<\n]+</b>? on line <b>?\d+"),
        ("PHP error", r"(?:PHP )?(?:Fatal error|Parse error): .{0,300}? in /\S+ on line \d+"),
        ("ASP.NET error page", r"Server Error in '[^']*' Application\.|<b>\s*Stack Trace:\s*</b>|\[HttpException \(0x"),
        ("Ruby on Rails error page", r"Action Controller: Exception caught|\.rb:\d+:in `"),
        ("Go panic", r"goroutine \d+ \[running\]:"),
        ("Laravel/Whoops error page", r#"Whoops, looks like something went wrong|class="Whoops container""#),
        ("SQL error", r"You have an error in your SQL syntax|ORA-\d{5}:|PG::SyntaxError|SQLSTATE\[\w+\]|Unclosed quotation mark after the character string|sqlite3\.OperationalError"),
    ]
    .into_iter()
    .filter_map(|(name, re)| Regex::new(re).ok().map(|r| (name, r)))
    .collect()
});

/// Titles and markers of automatic directory indexes (Apache, nginx, IIS, Python, Tomcat,
/// lighttpd, Node's serve-index).
static LISTING: LazyLock<Option<Regex>> = LazyLock::new(|| {
    Regex::new(
        r"(?i)<title>\s*(?:Index of /|Directory listing for /|Directory Listing For \[?/)|<h1>\s*Index of /|\[To Parent Directory\]|<title>listing directory /",
    )
    .ok()
});

/// Only the start of a body is searched: error pages and listings show themselves early, and
/// regexes over megabytes of minified JavaScript would waste the scan's time.
const SEARCH_LIMIT: usize = 512 * 1024;

/// The first error signature in `body`: the platform and the matching text.
pub fn verbose_error(body: &[u8]) -> Option<(&'static str, String)> {
    let text = String::from_utf8_lossy(&body[..body.len().min(SEARCH_LIMIT)]);
    ERROR_SIGNATURES.iter().find_map(|(name, re)| {
        re.find(&text)
            .map(|m| (*name, clip(&line_around(&text, m.start(), m.end()), 240)))
    })
}

/// True when `body` is an automatic directory listing.
pub fn is_directory_listing(body: &[u8]) -> bool {
    let text = String::from_utf8_lossy(&body[..body.len().min(SEARCH_LIMIT)]);
    LISTING.as_ref().is_some_and(|re| re.is_match(&text))
}

fn line_around(text: &str, start: usize, end: usize) -> String {
    let line_start = text[..start].rfind('\n').map_or(0, |i| i + 1);
    let line_end = text[end..].find('\n').map_or(text.len(), |i| end + i);
    text[line_start..line_end].trim().to_owned()
}

fn is_textual(resp: &Response) -> bool {
    let mt = resp.media_type();
    mt.is_empty() || mt.starts_with("text/") || mt.contains("json") || mt.contains("xml")
}

pub fn check(obs: &Observed<'_>, out: &mut Findings) {
    let pages = obs.hops.iter().chain(obs.not_found);
    let mut reported = Vec::new();
    for resp in pages {
        if !is_textual(resp) || reported.contains(&resp.url) {
            continue;
        }
        if let Some((platform, snippet)) = verbose_error(&resp.body) {
            reported.push(resp.url.clone());
            out.add(
                Rule::VerboseError,
                resp.url.as_str(),
                format!(
                    "The response (HTTP {}) contains a {platform}.",
                    resp.status.as_u16()
                ),
                Some(snippet),
            );
        }
    }
    if obs.page.is_html() && is_directory_listing(&obs.page.body) {
        out.add(
            Rule::DirectoryListing,
            obs.page.url.as_str(),
            "The page is an automatic directory listing.",
            obs.html.and_then(|h| h.title.clone()),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn recognises_common_stack_traces() {
        let cases: [(&str, &str); 7] = [
            (
                "Traceback (most recent call last):\n  File \"/app/views.py\", line 3",
                "Python traceback",
            ),
            (
                "java.lang.NullPointerException\n\tat com.shop.Cart.total(Cart.java:42)",
                "Java stack trace",
            ),
            (
                "TypeError: x is undefined\n    at Object.<anonymous> (/srv/app/index.js:10:5)",
                "Node.js stack trace",
            ),
            (
                "<b>Fatal error</b>:  Uncaught Error in <b>/var/www/html/index.php</b> on line <b>7</b>",
                "PHP error",
            ),
            ("goroutine 1 [running]:\nmain.main()", "Go panic"),
            (
                "You have an error in your SQL syntax; check the manual",
                "SQL error",
            ),
            (
                "<h1>Server Error in '/' Application.</h1>",
                "ASP.NET error page",
            ),
        ];
        for (body, platform) in cases {
            let found = verbose_error(body.as_bytes());
            assert_eq!(found.map(|f| f.0), Some(platform), "{body}");
        }
    }

    #[test]
    fn ordinary_pages_are_not_errors() {
        for body in [
            "<html><body><h1>Welcome</h1><p>We are at the Java conference.</p></body></html>",
            "function at(x) { return x; } // at least one",
            "Error: please fill in the form",
        ] {
            assert_eq!(verbose_error(body.as_bytes()), None, "{body}");
        }
    }

    #[test]
    fn recognises_directory_listings() {
        assert!(is_directory_listing(
            b"<html><head><title>Index of /backup</title>"
        ));
        assert!(is_directory_listing(
            b"<title>Directory listing for /</title>"
        ));
        assert!(!is_directory_listing(b"<title>Index of my recipes</title>"));
    }
}

//! Header parsers: CSP, HSTS, Set-Cookie and Referrer-Policy, fed the same text.
#![no_main]

use libfuzzer_sys::fuzz_target;
use palisade_webcheck::parse::{cookie, csp, hsts, referrer};

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    for policy in csp::parse(&text, false) {
        let _ = policy.allows_inline_script();
        let _ = policy.allows_eval();
        let _ = policy.broad_sources();
        let _ = policy.insecure_active_sources();
        let _ = policy.insecure_passive_sources();
        let _ = policy.restricts_framing();
        let _ = policy.allows_unsafe_style();
    }
    let _ = hsts::parse(&text);
    if let Some(c) = cookie::parse(&text) {
        let _ = (c.same_site(), c.is_session_like(), c.is_anti_csrf());
    }
    let _ = referrer::effective(&[text.into_owned()]);
});

//! The HTML extractor, which reads pages from any host on the internet.
#![no_main]

use libfuzzer_sys::fuzz_target;
use palisade_webcheck::parse::html;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    if let Ok(base) = url::Url::parse("https://fuzz.example/a/b.html") {
        let _ = html::parse(&text, &base);
    }
});

//! The parser of a server's first TLS records, which reads bytes from any host on the internet.
#![no_main]

use libfuzzer_sys::fuzz_target;
use palisade_webcheck::parse::tls::parse_server_answer;

fuzz_target!(|data: &[u8]| {
    let _ = parse_server_answer(data);
});

//! Everything a client controls before a handler runs: JSON bodies of every request type, page
//! cursors and RFC 3339 times. None of it may panic.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let _ = serde_json::from_slice::<palisade_api::NewProject>(data);
    let _ = serde_json::from_slice::<palisade_api::ProjectPatch>(data);
    let _ = serde_json::from_slice::<palisade_api::BulkProjects>(data);
    let _ = serde_json::from_slice::<palisade_api::NewScan>(data);
    let _ = serde_json::from_slice::<palisade_api::FindingPatch>(data);
    let _ = serde_json::from_slice::<palisade_api::NewToken>(data);
    if let Ok(s) = std::str::from_utf8(data) {
        if let Ok(c) = palisade_store::Cursor::decode(s) {
            assert_eq!(palisade_store::Cursor::decode(&c.encode()), Ok(c));
        }
        let _ = palisade_api::Time::parse(s);
    }
});

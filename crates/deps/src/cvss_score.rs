//! CVSS base scores from OSV `severity` vectors, computed with the RustSec `cvss` crate
//! (CVSS v3.0, v3.1 and v4.0). CVSS v2 vectors are not scored: no maintained crate computes
//! them and OSV sources that carry v2 also carry v3 or a stated severity.

use std::str::FromStr;

use palisade_core::CvssScore;

use crate::osv::SeverityEntry;

/// The base score of one OSV severity entry, when it is a CVSS v3/v4 vector we can read.
pub fn score(entry: &SeverityEntry) -> Option<CvssScore> {
    match entry.kind.as_str() {
        "CVSS_V3" | "CVSS_V4" => {}
        _ => return None,
    }
    let vector = entry.score.trim();
    let parsed = cvss::Cvss::from_str(vector).ok()?;
    Some(CvssScore {
        vector: vector.to_owned(),
        score: (parsed.score() * 10.0).round() / 10.0,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(kind: &str, score: &str) -> SeverityEntry {
        SeverityEntry {
            kind: kind.to_owned(),
            score: score.to_owned(),
        }
    }

    #[test]
    fn scores_v3_and_v4_vectors() {
        let v3 = score(&entry(
            "CVSS_V3",
            "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H",
        ))
        .unwrap();
        assert_eq!(v3.score, 9.8);
        let v4 = score(&entry(
            "CVSS_V4",
            "CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N",
        ))
        .unwrap();
        assert_eq!(v4.score, 9.3);
        assert!(score(&entry("CVSS_V3", "garbage")).is_none());
        assert!(score(&entry("CVSS_V2", "AV:N/AC:L/Au:N/C:P/I:P/A:P")).is_none());
    }
}

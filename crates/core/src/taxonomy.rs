//! CWE identifiers and OWASP Top 10 categories (2021 and 2025).
//!
//! Scorers such as the OWASP Benchmark match CWE ids exactly, so a CWE is a number, never a free
//! text label. OWASP categories are `(rank, year)` pairs rendered as `A03:2021`.

use std::fmt;
use std::str::FromStr;

use schemars::JsonSchema;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// A CWE id such as `CWE-89`. Serialised as the string `"CWE-89"`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, JsonSchema)]
#[schemars(with = "String")]
pub struct Cwe(pub u32);

impl Cwe {
    pub const HARD_CODED_CREDENTIALS: Cwe = Cwe(798);

    pub fn id(self) -> u32 {
        self.0
    }

    /// The `external/cwe/cwe-N` tag GitHub code scanning uses to group results.
    pub fn sarif_tag(self) -> String {
        format!("external/cwe/cwe-{}", self.0)
    }
}

impl fmt::Display for Cwe {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "CWE-{}", self.0)
    }
}

/// A CWE or OWASP label we could not read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("invalid {what} '{value}': {why}")]
pub struct TaxonomyError {
    what: &'static str,
    value: String,
    why: &'static str,
}

impl FromStr for Cwe {
    type Err = TaxonomyError;

    /// Reads `CWE-89`, `cwe-89`, `89` and Semgrep's `"CWE-89: Improper Neutralization …"`.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let err = |why| TaxonomyError {
            what: "CWE",
            value: s.to_owned(),
            why,
        };
        let t = s.trim();
        let rest = if t.len() >= 4 && t[..4].eq_ignore_ascii_case("cwe-") {
            &t[4..]
        } else {
            t
        };
        let digits: &str = &rest[..rest
            .find(|c: char| !c.is_ascii_digit())
            .unwrap_or(rest.len())];
        if digits.is_empty() {
            return Err(err("expected CWE-<number>"));
        }
        let tail = rest[digits.len()..].trim_start();
        if !(tail.is_empty() || tail.starts_with(':')) {
            return Err(err("unexpected text after the number"));
        }
        digits
            .parse()
            .map(Cwe)
            .map_err(|_| err("number out of range"))
    }
}

impl Serialize for Cwe {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Cwe {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        s.parse().map_err(serde::de::Error::custom)
    }
}

/// An OWASP Top 10 category, e.g. `A03:2021` (Injection) or `A05:2025` (Injection).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, JsonSchema)]
#[schemars(with = "String")]
pub struct Owasp {
    pub year: u16,
    pub rank: u8,
}

const OWASP_2021: [&str; 10] = [
    "Broken Access Control",
    "Cryptographic Failures",
    "Injection",
    "Insecure Design",
    "Security Misconfiguration",
    "Vulnerable and Outdated Components",
    "Identification and Authentication Failures",
    "Software and Data Integrity Failures",
    "Security Logging and Monitoring Failures",
    "Server-Side Request Forgery",
];

const OWASP_2025: [&str; 10] = [
    "Broken Access Control",
    "Security Misconfiguration",
    "Software Supply Chain Failures",
    "Cryptographic Failures",
    "Injection",
    "Insecure Design",
    "Authentication Failures",
    "Software or Data Integrity Failures",
    "Security Logging and Alerting Failures",
    "Mishandling of Exceptional Conditions",
];

impl Owasp {
    pub const fn new(rank: u8, year: u16) -> Owasp {
        Owasp { year, rank }
    }

    /// The category's title in its edition, e.g. "Injection".
    pub fn name(self) -> &'static str {
        let table = if self.year == 2021 {
            &OWASP_2021
        } else {
            &OWASP_2025
        };
        table[usize::from(self.rank - 1)]
    }

    /// `A03:2021 - Injection`, the form Semgrep rule metadata uses.
    pub fn long_name(self) -> String {
        format!("{self} - {}", self.name())
    }
}

impl fmt::Display for Owasp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "A{:02}:{}", self.rank, self.year)
    }
}

impl FromStr for Owasp {
    type Err = TaxonomyError;

    /// Reads `A03:2021` and `A03:2021 - Injection`; only the 2021 and 2025 editions exist here.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let err = |why| TaxonomyError {
            what: "OWASP category",
            value: s.to_owned(),
            why,
        };
        let t = s.trim();
        let code = t.split_whitespace().next().unwrap_or("");
        let code = code
            .strip_prefix(['A', 'a'])
            .ok_or_else(|| err("expected A<rank>:<year>"))?;
        let (rank, year) = code
            .split_once(':')
            .ok_or_else(|| err("expected A<rank>:<year>"))?;
        let rank: u8 = rank.parse().map_err(|_| err("rank is not a number"))?;
        let year: u16 = year.parse().map_err(|_| err("year is not a number"))?;
        if !(1..=10).contains(&rank) {
            return Err(err("rank must be 1 to 10"));
        }
        if year != 2021 && year != 2025 {
            return Err(err("only the 2021 and 2025 editions are known"));
        }
        Ok(Owasp { year, rank })
    }
}

impl Serialize for Owasp {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Owasp {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        s.parse().map_err(serde::de::Error::custom)
    }
}

/// The OWASP 2021 and 2025 categories a CWE belongs to, from the CWE lists each edition publishes.
///
/// Used as the default for rules that do not name their categories (secrets, dependency and web
/// checks); SAST rules state theirs explicitly. Returns an empty list for CWEs neither edition maps.
pub fn owasp_for_cwe(cwe: Cwe) -> Vec<Owasp> {
    let (r2021, r2025): (Option<u8>, Option<u8>) = match cwe.0 {
        // Injection
        20 | 74 | 77 | 78 | 79 | 80 | 83 | 88 | 89 | 90 | 91 | 93 | 94 | 95 | 96 | 97 | 98
        | 113 | 116 | 643 | 652 | 917 | 943 | 1236 => (Some(3), Some(5)),
        // Broken access control (SSRF joined it in 2025)
        22 | 23 | 35 | 59 | 200 | 201 | 219 | 264 | 275 | 276 | 284 | 285 | 352 | 359 | 377
        | 402 | 425 | 441 | 497 | 538 | 540 | 548 | 552 | 566 | 601 | 639 | 651 | 668 | 706
        | 862 | 863 | 913 | 922 | 1275 => (Some(1), Some(1)),
        918 => (Some(10), Some(1)),
        // Cryptographic failures
        261 | 296 | 310 | 319 | 321 | 322 | 323 | 324 | 325 | 326 | 327 | 328 | 329 | 330 | 331
        | 335 | 336 | 337 | 338 | 340 | 347 | 523 | 720 | 757 | 759 | 760 | 780 | 818 | 916 => {
            (Some(2), Some(4))
        }
        // Insecure design
        73 | 183 | 209 | 213 | 235 | 256 | 257 | 266 | 269 | 280 | 311 | 312 | 313 | 316 | 419
        | 430 | 434 | 444 | 451 | 472 | 501 | 522 | 525 | 539 | 579 | 598 | 602 | 642 | 646
        | 650 | 653 | 656 | 657 | 799 | 807 | 840 | 841 | 927 | 1021 | 1173 => (Some(4), Some(6)),
        // Security misconfiguration
        2 | 11 | 13 | 15 | 16 | 260 | 315 | 520 | 526 | 537 | 541 | 547 | 611 | 614 | 693 | 756
        | 776 | 942 | 1004 | 1032 | 1174 | 489 | 215 => (Some(5), Some(2)),
        // Vulnerable components / supply chain
        937 | 1035 | 1104 | 1395 => (Some(6), Some(3)),
        // Identification and authentication failures
        255 | 259 | 287 | 288 | 290 | 294 | 295 | 297 | 300 | 302 | 304 | 306 | 307 | 346 | 384
        | 521 | 613 | 620 | 640 | 798 | 940 | 1216 => (Some(7), Some(7)),
        // Software and data integrity failures
        345 | 353 | 426 | 494 | 502 | 565 | 784 | 829 | 830 | 915 => (Some(8), Some(8)),
        // Logging and monitoring
        117 | 223 | 532 | 778 => (Some(9), Some(9)),
        _ => (None, None),
    };
    r2021
        .map(|r| Owasp::new(r, 2021))
        .into_iter()
        .chain(r2025.map(|r| Owasp::new(r, 2025)))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cwe_reads_every_common_spelling() {
        assert_eq!("CWE-89".parse(), Ok(Cwe(89)));
        assert_eq!("cwe-798".parse(), Ok(Cwe(798)));
        assert_eq!("79".parse(), Ok(Cwe(79)));
        assert_eq!(
            "CWE-89: Improper Neutralization of Special Elements used in an SQL Command".parse(),
            Ok(Cwe(89))
        );
        assert!("CWE-".parse::<Cwe>().is_err());
        assert!("CWE-89x".parse::<Cwe>().is_err());
        assert!("injection".parse::<Cwe>().is_err());
    }

    #[test]
    fn cwe_serialises_as_its_label() {
        assert_eq!(serde_json::to_string(&Cwe(22)).unwrap(), "\"CWE-22\"");
        assert_eq!(serde_json::from_str::<Cwe>("\"CWE-22\"").unwrap(), Cwe(22));
        assert_eq!(Cwe(22).sarif_tag(), "external/cwe/cwe-22");
    }

    #[test]
    fn owasp_reads_and_names_both_editions() {
        let a = "A03:2021 - Injection".parse::<Owasp>().unwrap();
        assert_eq!(a, Owasp::new(3, 2021));
        assert_eq!(a.name(), "Injection");
        assert_eq!(Owasp::new(5, 2025).long_name(), "A05:2025 - Injection");
        assert_eq!(
            Owasp::new(10, 2025).name(),
            "Mishandling of Exceptional Conditions"
        );
        assert!("A11:2021".parse::<Owasp>().is_err());
        assert!("A01:2017".parse::<Owasp>().is_err());
        assert!("Injection".parse::<Owasp>().is_err());
    }

    #[test]
    fn cwe_maps_to_both_editions() {
        assert_eq!(
            owasp_for_cwe(Cwe(89)),
            vec![Owasp::new(3, 2021), Owasp::new(5, 2025)]
        );
        assert_eq!(
            owasp_for_cwe(Cwe(798)),
            vec![Owasp::new(7, 2021), Owasp::new(7, 2025)]
        );
        assert_eq!(
            owasp_for_cwe(Cwe(918)),
            vec![Owasp::new(10, 2021), Owasp::new(1, 2025)]
        );
        assert!(owasp_for_cwe(Cwe(1)).is_empty());
    }
}

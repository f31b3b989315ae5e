//! Headers that name the server software and its version.

use std::collections::BTreeSet;
use std::sync::LazyLock;

use regex::Regex;

use super::{Findings, Observed};
use crate::rules::Rule;

/// A version number: digits with at least one dot, or a product/digit pair (`PHP/7`).
static VERSION: LazyLock<Option<Regex>> =
    LazyLock::new(|| Regex::new(r"(?:\d+\.\d+|/\s*v?\d)").ok());

/// Headers that exist only to advertise the stack: any value is a disclosure.
const ALWAYS: [&str; 4] = [
    "x-powered-by",
    "x-aspnet-version",
    "x-aspnetmvc-version",
    "x-generator",
];

/// Headers that disclose only when they carry a version.
const WITH_VERSION: [&str; 3] = ["server", "via", "x-server"];

/// The disclosing headers of one response, as `Name: value`.
pub fn disclosing_headers(resp: &crate::fetch::Response) -> Vec<String> {
    let mut found = Vec::new();
    for name in ALWAYS {
        for v in resp.header_all(name) {
            if !v.trim().is_empty() {
                found.push(format!("{}: {}", display_name(name), v.trim()));
            }
        }
    }
    for name in WITH_VERSION {
        for v in resp.header_all(name) {
            if VERSION.as_ref().is_some_and(|re| re.is_match(&v)) {
                found.push(format!("{}: {}", display_name(name), v.trim()));
            }
        }
    }
    found
}

fn display_name(name: &str) -> String {
    name.split('-')
        .map(|part| {
            let mut c = part.chars();
            match c.next() {
                Some(first) => first.to_ascii_uppercase().to_string() + c.as_str(),
                None => String::new(),
            }
        })
        .collect::<Vec<_>>()
        .join("-")
        .replace("Aspnet", "AspNet")
        .replace("Aspnetmvc", "AspNetMvc")
}

pub fn check(obs: &Observed<'_>, out: &mut Findings) {
    let mut reported = BTreeSet::new();
    for resp in obs.responses() {
        for header in disclosing_headers(resp) {
            if reported.insert(header.clone()) {
                out.add(
                    Rule::VersionDisclosure,
                    resp.url.as_str(),
                    format!("The response discloses server software: {header}."),
                    Some(header),
                );
            }
        }
    }
}

//! Package names as each ecosystem compares them, and package URLs (purl) as the purl
//! specification defines them per type.

/// The key a package name is looked up under: PEP 503 for PyPI (`Foo.Bar_baz` → `foo-bar-baz`),
/// lower case where the registry is case-insensitive (npm's legacy names, NuGet, Packagist,
/// crates.io, Hex, Pub), and exact elsewhere (Go module paths, Maven `group:artifact`, RubyGems,
/// OS packages).
pub fn normalize(ecosystem: &str, name: &str) -> String {
    let base = ecosystem.split(':').next().unwrap_or(ecosystem);
    let name = name.trim();
    match base {
        "PyPI" => pep503(name),
        "npm" | "NuGet" | "Packagist" | "crates.io" | "Hex" | "Pub" => name.to_ascii_lowercase(),
        _ => name.to_owned(),
    }
}

/// PEP 503 normalisation: lower case, runs of `-`, `_`, `.` become one `-`.
pub fn pep503(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    let mut in_sep = false;
    for c in name.chars() {
        if matches!(c, '-' | '_' | '.') {
            if !in_sep {
                out.push('-');
            }
            in_sep = true;
        } else {
            out.push(c.to_ascii_lowercase());
            in_sep = false;
        }
    }
    out
}

fn encode(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~') {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// The purl of a package version in an OSV ecosystem.
pub fn purl(ecosystem: &str, name: &str, version: &str) -> String {
    let base = ecosystem.split(':').next().unwrap_or(ecosystem);
    let v = encode(version);
    let (ty, ns_name) = match base {
        "npm" => (
            "npm",
            match name.strip_prefix('@').and_then(|s| s.split_once('/')) {
                Some((scope, n)) => format!("%40{}/{}", encode(scope), encode(n)),
                None => encode(name),
            },
        ),
        "PyPI" => ("pypi", encode(&pep503(name))),
        "crates.io" => ("cargo", encode(name)),
        "Go" => (
            "golang",
            name.split('/').map(encode).collect::<Vec<_>>().join("/"),
        ),
        "Maven" => (
            "maven",
            match name.split_once(':') {
                Some((g, a)) => format!("{}/{}", encode(g), encode(a)),
                None => encode(name),
            },
        ),
        "RubyGems" => ("gem", encode(name)),
        "NuGet" => ("nuget", encode(name)),
        "Packagist" => (
            "composer",
            name.split('/').map(encode).collect::<Vec<_>>().join("/"),
        ),
        "Pub" => ("pub", encode(&name.to_ascii_lowercase())),
        "Hex" => ("hex", encode(&name.to_ascii_lowercase())),
        _ => ("generic", encode(name)),
    };
    format!("pkg:{ty}/{ns_name}@{v}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalises_names_per_ecosystem() {
        assert_eq!(
            normalize("PyPI", "Django_REST.framework"),
            "django-rest-framework"
        );
        assert_eq!(normalize("Go", "github.com/Foo/bar"), "github.com/Foo/bar");
        assert_eq!(normalize("Maven", "org.Apache:Log4j"), "org.Apache:Log4j");
        assert_eq!(normalize("NuGet", "Newtonsoft.Json"), "newtonsoft.json");
    }

    #[test]
    fn builds_purls() {
        assert_eq!(
            purl("npm", "@babel/core", "7.0.0"),
            "pkg:npm/%40babel/core@7.0.0"
        );
        assert_eq!(purl("PyPI", "Jinja2", "2.10"), "pkg:pypi/jinja2@2.10");
        assert_eq!(
            purl("Maven", "org.apache.logging.log4j:log4j-core", "2.14.1"),
            "pkg:maven/org.apache.logging.log4j/log4j-core@2.14.1"
        );
        assert_eq!(
            purl("Go", "github.com/gin-gonic/gin", "v1.9.0"),
            "pkg:golang/github.com/gin-gonic/gin@v1.9.0"
        );
        assert_eq!(
            purl("Go", "x", "v2.0.0+incompatible"),
            "pkg:golang/x@v2.0.0%2Bincompatible"
        );
    }
}

//! `paths: {include, exclude}`: which files a rule runs on, with Semgrep's (gitignore-like)
//! reading of the globs.

use globset::{Glob, GlobSet, GlobSetBuilder};

use super::formula::KeyError;
use crate::yaml::Yaml;

/// A rule's path filter; the default lets every file through.
#[derive(Debug, Clone, Default)]
pub(crate) struct PathFilter {
    include: Option<GlobSet>,
    exclude: Option<GlobSet>,
}

impl PathFilter {
    pub fn parse(v: &Yaml) -> Result<PathFilter, KeyError> {
        let map = v
            .as_map()
            .ok_or_else(|| KeyError::new("paths", "expected a mapping with include/exclude"))?;
        let mut filter = PathFilter::default();
        for (k, value) in map {
            let key = format!("paths.{k}");
            let globs = value
                .string_list()
                .ok_or_else(|| KeyError::new(&key, "expected a list of globs"))?;
            let set = build(&globs, &key)?;
            match k.as_str() {
                "include" => filter.include = Some(set),
                "exclude" => filter.exclude = Some(set),
                other => {
                    return Err(KeyError::new(
                        key,
                        format!("unknown key `{other}` (expected include or exclude)"),
                    ));
                }
            }
        }
        Ok(filter)
    }

    /// Whether the rule runs on `path` (relative to the scan root, `/`-separated).
    pub fn allows(&self, path: &str) -> bool {
        let path = path.trim_start_matches("./");
        if let Some(inc) = &self.include
            && !inc.is_match(path)
        {
            return false;
        }
        !self.exclude.as_ref().is_some_and(|ex| ex.is_match(path))
    }
}

fn build(globs: &[String], key: &str) -> Result<GlobSet, KeyError> {
    let mut b = GlobSetBuilder::new();
    for g in globs {
        for expanded in expand(g) {
            let glob = Glob::new(&expanded)
                .map_err(|e| KeyError::new(key, format!("invalid glob '{g}': {e}")))?;
            b.add(glob);
        }
    }
    b.build()
        .map_err(|e| KeyError::new(key, format!("invalid globs: {e}")))
}

/// A Semgrep path pattern as globs: a pattern without a slash matches at any depth, one with a
/// leading or inner slash is anchored at the root, and either matches everything below a
/// matching directory.
fn expand(pattern: &str) -> Vec<String> {
    let p = pattern.trim().trim_start_matches("./");
    let anchored = p.starts_with('/') || p.trim_end_matches('/').contains('/');
    let p = p.trim_start_matches('/').trim_end_matches('/');
    if p.is_empty() {
        return vec!["**".to_owned()];
    }
    if anchored || p.starts_with("**") {
        vec![p.to_owned(), format!("{p}/**")]
    } else {
        vec![format!("**/{p}"), format!("**/{p}/**")]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn filter(yaml: &str) -> PathFilter {
        PathFilter::parse(&Yaml::parse(yaml).unwrap()).unwrap()
    }

    #[test]
    fn semgrep_path_semantics() {
        let f = filter("include: ['*.py', 'src/']\nexclude: ['tests', '/vendor/']");
        assert!(f.allows("a/b/c.py"));
        assert!(f.allows("src/x.js"));
        assert!(!f.allows("a/b/c.js"));
        assert!(!f.allows("pkg/tests/test_x.py"));
        assert!(!f.allows("vendor/lib.py"));
        assert!(f.allows("pkg/vendor/lib.py"));
        assert!(PathFilter::default().allows("anything"));
    }

    #[test]
    fn bad_paths_are_errors() {
        assert!(PathFilter::parse(&Yaml::parse("inclde: ['x']").unwrap()).is_err());
        assert!(PathFilter::parse(&Yaml::parse("include: ['a[']").unwrap()).is_err());
    }
}

/// A rule file that cannot be loaded. Every variant names the file, and the rule when there is
/// one, so a user with a dozen rule files knows where to look.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RuleError {
    /// The TOML does not parse, or a table has an unknown key or a value of the wrong type.
    #[error("{source_name}: {message}")]
    Syntax {
        source_name: String,
        message: String,
    },
    /// A rule parses but is not usable (bad regex, wrong number of capture groups, …).
    #[error("{source_name}: rule '{rule}': {message}")]
    Invalid {
        source_name: String,
        rule: String,
        message: String,
    },
    /// Two rules share an id.
    #[error("{source_name}: rule '{rule}': duplicate id (first defined in {first_source})")]
    Duplicate {
        source_name: String,
        rule: String,
        first_source: String,
    },
    /// The keyword automaton could not be built (too many or too long keywords).
    #[error("keyword prefilter: {0}")]
    Prefilter(String),
}

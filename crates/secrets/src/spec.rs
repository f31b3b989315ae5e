//! The rule file format, exactly as it is written in `rules/*.toml` and in user rule files.
//!
//! Every table denies unknown keys, so a typo (`keyword = …`, `severty = …`) is a load error that
//! names the file and the key instead of a rule that silently never fires.

use palisade_core::{Confidence, Cwe, Severity};
use serde::Deserialize;

/// One rule file: a list of `[[rules]]` tables.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RuleFile {
    #[serde(default)]
    pub rules: Vec<RuleSpec>,
}

/// One `[[rules]]` table.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RuleSpec {
    /// Kebab-case, unique over every loaded file (`github-pat`).
    pub id: String,
    /// One line naming the credential and its provider.
    pub title: String,
    /// What leaked and why it matters.
    pub description: String,
    /// How to revoke and rotate it, for this provider.
    pub help: String,
    /// What a holder of the credential can do; ends the finding's message.
    #[serde(default)]
    pub grants: Option<String>,
    /// A byte regex with exactly one capture group: the secret.
    pub regex: String,
    /// Lower-case literals; the rule runs only near a line containing one of them.
    pub keywords: Vec<String>,
    /// Minimum Shannon entropy of the secret, in bits per character.
    #[serde(default)]
    pub entropy: Option<f64>,
    /// A structural check implemented in Rust (checksum, JWT claims, key material…).
    #[serde(default)]
    pub validator: Option<ValidatorName>,
    pub severity: Severity,
    pub confidence: Confidence,
    /// Overrides the default `[CWE-798]`.
    #[serde(default)]
    pub cwe: Option<Vec<Cwe>>,
    /// How specific the rule is, for choosing one rule when several match the same secret.
    #[serde(default)]
    pub precedence: Precedence,
    /// How many lines around a keyword hit the regex may look at (multi-line secrets,
    /// credentials identified by a provider name a few lines away).
    #[serde(default)]
    pub window: Window,
    #[serde(default)]
    pub references: Vec<String>,
    /// Strings that must yield exactly one finding of this rule. `%%` is removed before use.
    #[serde(default)]
    pub examples: Vec<String>,
    /// Near misses that must not yield a finding of this rule. `%%` is removed before use.
    #[serde(default)]
    pub negative_examples: Vec<String>,
}

/// Lines of context around each keyword hit that the rule's regex runs over.
#[derive(Debug, Clone, Copy, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct Window {
    #[serde(default)]
    pub lines_before: u32,
    #[serde(default)]
    pub lines_after: u32,
}

/// How specific a rule is. When several rules match the same secret (or overlapping text), the
/// most specific one reports it; see the crate README for the full order.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Precedence {
    /// The format alone names the provider (`ghp_…`, `AKIA…`, `xoxb-…`).
    #[default]
    Provider,
    /// A generic-looking value identified by a provider name next to it (`twilio_auth_token=…`).
    Contextual,
    /// A credential container that names no provider: private keys, database URLs, auth files.
    Structural,
    /// Any high-entropy value assigned to a secret-like name, credentials in any URL.
    Generic,
    /// Last resort: JSON Web Tokens in general.
    Fallback,
}

impl Precedence {
    pub fn as_str(self) -> &'static str {
        match self {
            Precedence::Provider => "provider",
            Precedence::Contextual => "contextual",
            Precedence::Structural => "structural",
            Precedence::Generic => "generic",
            Precedence::Fallback => "fallback",
        }
    }
}

/// The fixed set of structural checks a rule may name in `validator = "…"`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum ValidatorName {
    /// GitHub classic tokens: the last 6 characters are the base62 CRC32 of the 30 before them.
    GithubChecksum,
    /// npm tokens: the same CRC32 scheme as GitHub.
    NpmChecksum,
    /// PyPI API tokens: a base64url macaroon whose location is pypi.org or test.pypi.org.
    PypiMacaroon,
    /// A JSON Web Token whose header and payload decode to JSON objects, with an `alg`.
    Jwt,
    /// A Supabase JWT whose `role` claim is `service_role`.
    SupabaseServiceRole,
    /// A PEM private key whose body is really key material (DER, OpenSSH or PGP).
    PrivateKey,
    /// Base64 of a PEM private key (kubeconfig `client-key-data`).
    Base64PrivateKey,
    /// A private key inside a GCP service-account JSON document.
    GcpServiceAccount,
    /// An AWS secret access key with an access key id within a few lines.
    AwsKeyIdNearby,
    /// An Azure storage account key: base64 of exactly 64 bytes.
    AzureStorageKey,
    /// A Discord bot token whose first segment is a base64 user id.
    DiscordBotToken,
    /// Base64 of `user:password` (Docker `auth`, `.npmrc` `_auth`).
    BasicAuthBase64,
    /// The password of a `scheme://user:password@host` URL.
    UrlPassword,
    /// A value assigned to a secret-like name that is a literal, not code or a template.
    SecretAssignment,
}

impl ValidatorName {
    /// Whether a failed check proves the text is not a secret at all, so less specific rules
    /// must not report the same text either (a `ghp_…` token with a wrong checksum is a test
    /// fixture, not a password for the generic rule to find).
    pub fn vetoes_on_failure(self) -> bool {
        matches!(
            self,
            ValidatorName::GithubChecksum
                | ValidatorName::NpmChecksum
                | ValidatorName::PypiMacaroon
        )
    }
}

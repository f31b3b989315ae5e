//! The named structural checks a rule may ask for with `validator = "…"`. Each looks at one
//! regex match (and, for pairs, the lines around it) and says whether it is really a secret of
//! that kind, and whether its format was verified (a checksum, a decoded structure).

mod assignment;
mod checksum;
mod encoded;
mod jwt;
mod nearby;
mod pem;
mod pypi;

use std::ops::Range;

use crate::spec::ValidatorName;

pub use checksum::token_checksum;

/// One regex match of a rule.
pub(crate) struct MatchCtx<'a> {
    /// The scanned file's path (relative to the scan root): some checks depend on the file kind.
    pub path: &'a str,
    /// The whole scanned file.
    pub content: &'a [u8],
    /// The whole regex match.
    pub full: Range<usize>,
    /// The capture group: the secret.
    pub secret: Range<usize>,
}

impl MatchCtx<'_> {
    pub fn secret_bytes(&self) -> &[u8] {
        &self.content[self.secret.clone()]
    }

    pub fn full_bytes(&self) -> &[u8] {
        &self.content[self.full.clone()]
    }
}

/// What a validator concluded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Verdict {
    /// A secret. `verified` when a checksum or decoded structure proves the format; `related`
    /// is another span that belongs to the same finding (the access key id of an AWS pair).
    Accept {
        verified: bool,
        related: Option<Range<usize>>,
    },
    /// Not a secret of this kind.
    Reject,
}

impl Verdict {
    fn verified(ok: bool) -> Verdict {
        if ok {
            Verdict::Accept {
                verified: true,
                related: None,
            }
        } else {
            Verdict::Reject
        }
    }

    fn plausible(ok: bool) -> Verdict {
        if ok {
            Verdict::Accept {
                verified: false,
                related: None,
            }
        } else {
            Verdict::Reject
        }
    }
}

pub(crate) fn check(name: ValidatorName, m: &MatchCtx<'_>) -> Verdict {
    match name {
        ValidatorName::GithubChecksum => checksum::prefixed_token(m.secret_bytes()),
        ValidatorName::NpmChecksum => checksum::prefixed_token(m.secret_bytes()),
        ValidatorName::PypiMacaroon => pypi::macaroon(m.secret_bytes()),
        ValidatorName::Jwt => jwt::any(m.secret_bytes()),
        ValidatorName::SupabaseServiceRole => jwt::supabase_service_role(m.secret_bytes()),
        ValidatorName::PrivateKey => pem::private_key_block(m.secret_bytes()),
        ValidatorName::Base64PrivateKey => pem::base64_private_key(m.secret_bytes()),
        ValidatorName::GcpServiceAccount => nearby::gcp_service_account(m),
        ValidatorName::AwsKeyIdNearby => nearby::aws_key_id(m),
        ValidatorName::AzureStorageKey => encoded::azure_storage_key(m.secret_bytes()),
        ValidatorName::DiscordBotToken => encoded::discord_bot_token(m.secret_bytes()),
        ValidatorName::BasicAuthBase64 => encoded::basic_auth(m.secret_bytes()),
        ValidatorName::UrlPassword => assignment::url_password(m),
        ValidatorName::SecretAssignment => assignment::secret_assignment(m),
    }
}

//! Every check's rule: id, title, why it matters, how to fix it, severity and CWE. One place, so
//! the docs (`docs/web-checks.md`) and the findings cannot disagree; a test checks the docs name
//! every rule.

use palisade_core::taxonomy::owasp_for_cwe;
use palisade_core::{Confidence, Cwe, Owasp, RuleMeta, ScanKind, Severity};

/// A web check rule.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Rule {
    CspMissing,
    CspUnsafeInline,
    CspUnsafeEval,
    CspWildcardSource,
    CspNoFrameAncestors,
    CspNoObjectSrc,
    HstsMissing,
    HstsInvalid,
    HstsShortMaxAge,
    HstsNoIncludeSubdomains,
    FramingUnprotected,
    ContentTypeOptionsMissing,
    ReferrerPolicyUnsafe,
    PermissionsPolicyMissing,
    CookieNoSecure,
    CookieNoHttpOnly,
    CookieNoSameSite,
    CorsReflectedOrigin,
    CorsWildcardCredentials,
    VersionDisclosure,
    HttpNotRedirected,
    MixedContentActive,
    MixedContentPassive,
    SriMissing,
    SourceMapExposed,
    DirectoryListing,
    VerboseError,
    TlsLegacyProtocol,
    TlsWeakCipher,
    TlsCertExpired,
    TlsCertExpiring,
    TlsHostnameMismatch,
    TlsSelfSigned,
    TlsUntrustedChain,
    TlsWeakKey,
    GitExposed,
    EnvExposed,
    BackupExposed,
    ServerStatusExposed,
    GraphqlIntrospection,
    OpenRedirect,
}

struct Spec {
    id: &'static str,
    title: &'static str,
    description: &'static str,
    help: &'static str,
    severity: Severity,
    confidence: Confidence,
    cwe: &'static [u32],
    /// OWASP categories when the CWE table has none for the CWE.
    owasp: &'static [(u8, u16)],
    references: &'static [&'static str],
    active: bool,
}

const OWASP_HEADERS: &str =
    "https://cheatsheetseries.owasp.org/cheatsheets/HTTP_Headers_Cheat_Sheet.html";
const MISCONFIG: &[(u8, u16)] = &[(5, 2021), (2, 2025)];

impl Rule {
    pub const ALL: [Rule; 41] = [
        Rule::CspMissing,
        Rule::CspUnsafeInline,
        Rule::CspUnsafeEval,
        Rule::CspWildcardSource,
        Rule::CspNoFrameAncestors,
        Rule::CspNoObjectSrc,
        Rule::HstsMissing,
        Rule::HstsInvalid,
        Rule::HstsShortMaxAge,
        Rule::HstsNoIncludeSubdomains,
        Rule::FramingUnprotected,
        Rule::ContentTypeOptionsMissing,
        Rule::ReferrerPolicyUnsafe,
        Rule::PermissionsPolicyMissing,
        Rule::CookieNoSecure,
        Rule::CookieNoHttpOnly,
        Rule::CookieNoSameSite,
        Rule::CorsReflectedOrigin,
        Rule::CorsWildcardCredentials,
        Rule::VersionDisclosure,
        Rule::HttpNotRedirected,
        Rule::MixedContentActive,
        Rule::MixedContentPassive,
        Rule::SriMissing,
        Rule::SourceMapExposed,
        Rule::DirectoryListing,
        Rule::VerboseError,
        Rule::TlsLegacyProtocol,
        Rule::TlsWeakCipher,
        Rule::TlsCertExpired,
        Rule::TlsCertExpiring,
        Rule::TlsHostnameMismatch,
        Rule::TlsSelfSigned,
        Rule::TlsUntrustedChain,
        Rule::TlsWeakKey,
        Rule::GitExposed,
        Rule::EnvExposed,
        Rule::BackupExposed,
        Rule::ServerStatusExposed,
        Rule::GraphqlIntrospection,
        Rule::OpenRedirect,
    ];

    pub fn id(self) -> &'static str {
        self.spec().id
    }

    pub fn severity(self) -> Severity {
        self.spec().severity
    }

    /// True for the probes that run only with `--active` on a verified target.
    pub fn is_active(self) -> bool {
        self.spec().active
    }

    /// The rule's metadata, as reports and SARIF show it.
    pub fn meta(self) -> RuleMeta {
        let s = self.spec();
        let cwe: Vec<Cwe> = s.cwe.iter().map(|&n| Cwe(n)).collect();
        let mut owasp: Vec<Owasp> = cwe.iter().flat_map(|&c| owasp_for_cwe(c)).collect();
        owasp.extend(s.owasp.iter().map(|&(rank, year)| Owasp::new(rank, year)));
        owasp.sort();
        owasp.dedup();
        let mut tags = vec!["web".to_owned(), "security".to_owned()];
        tags.push(if s.active { "active" } else { "passive" }.to_owned());
        RuleMeta {
            id: s.id.to_owned(),
            kind: ScanKind::Web,
            title: s.title.to_owned(),
            description: s.description.to_owned(),
            help: s.help.to_owned(),
            severity: s.severity,
            confidence: s.confidence,
            cwe,
            owasp,
            references: s.references.iter().map(|r| (*r).to_owned()).collect(),
            tags,
        }
    }

    fn spec(self) -> Spec {
        use Confidence::{High, Medium as MediumConf};
        use Severity::{Critical, High as HighSev, Info, Low, Medium};
        let passive = |id, title, description, help, severity, confidence, cwe, references| Spec {
            id,
            title,
            description,
            help,
            severity,
            confidence,
            cwe,
            owasp: &[],
            references,
            active: false,
        };
        match self {
            Rule::CspMissing => passive(
                "web-csp-missing",
                "No Content-Security-Policy",
                "The page sets no enforced Content-Security-Policy (header or <meta>), so any \
                 injected script runs with the page's full authority. A report-only policy \
                 enforces nothing.",
                "Send a `Content-Security-Policy` header. Start from `default-src 'self'; \
                 object-src 'none'; frame-ancestors 'none'; base-uri 'self'` and allow what the \
                 page needs, using nonces or hashes rather than `'unsafe-inline'` for scripts.",
                Medium,
                High,
                &[693],
                &[
                    "https://developer.mozilla.org/en-US/docs/Web/HTTP/CSP",
                    "https://cheatsheetseries.owasp.org/cheatsheets/Content_Security_Policy_Cheat_Sheet.html",
                ],
            ),
            Rule::CspUnsafeInline => passive(
                "web-csp-unsafe-inline",
                "CSP allows inline scripts ('unsafe-inline')",
                "The policy's script sources include 'unsafe-inline' with no nonce, hash or \
                 'strict-dynamic' to cancel it, so injected inline scripts and event handlers \
                 run: the policy does not stop cross-site scripting.",
                "Remove `'unsafe-inline'` from `script-src` (and `default-src`). Move inline \
                 scripts to files, or allow each with a nonce (`'nonce-…'`) or hash \
                 (`'sha256-…'`).",
                Medium,
                High,
                &[693],
                &[
                    "https://developer.mozilla.org/en-US/docs/Web/HTTP/Headers/Content-Security-Policy/script-src",
                ],
            ),
            Rule::CspUnsafeEval => passive(
                "web-csp-unsafe-eval",
                "CSP allows eval ('unsafe-eval')",
                "The policy's script sources include 'unsafe-eval', so strings reaching \
                 eval(), new Function() or string timers execute as code.",
                "Remove `'unsafe-eval'`; replace `eval`/`new Function` with data parsing (JSON) \
                 or precompiled templates. If a library needs WebAssembly compilation only, use \
                 `'wasm-unsafe-eval'`.",
                Low,
                High,
                &[693],
                &[
                    "https://developer.mozilla.org/en-US/docs/Web/HTTP/Headers/Content-Security-Policy/script-src",
                ],
            ),
            Rule::CspWildcardSource => passive(
                "web-csp-wildcard-source",
                "CSP allows scripts or plugins from any host or scheme",
                "The policy lets scripts or plugins load from a wildcard (`*`), a whole scheme \
                 (`https:`, `http:`, `data:`) or over plain HTTP, so an attacker who can host a \
                 file anywhere can run script in the page.",
                "List the exact origins scripts come from in `script-src` and set \
                 `object-src 'none'`; never allow `*`, `data:`, `http:` or `https:` there.",
                Medium,
                High,
                &[693],
                &["https://developer.mozilla.org/en-US/docs/Web/HTTP/CSP"],
            ),
            Rule::CspNoFrameAncestors => passive(
                "web-csp-no-frame-ancestors",
                "CSP has no frame-ancestors directive",
                "`frame-ancestors` is the standard way to say who may frame the page; without \
                 it, framing protection depends on the legacy X-Frame-Options header alone.",
                "Add `frame-ancestors 'none'` (or `'self'`, or the origins that may embed the \
                 page) to the policy.",
                Low,
                High,
                &[1021],
                &[
                    "https://developer.mozilla.org/en-US/docs/Web/HTTP/Headers/Content-Security-Policy/frame-ancestors",
                ],
            ),
            Rule::CspNoObjectSrc => passive(
                "web-csp-no-object-src",
                "CSP does not restrict plugins (object-src)",
                "Neither `object-src` nor `default-src` restricts <object> and <embed>, which \
                 can load active content that bypasses the script policy.",
                "Add `object-src 'none'` to the policy.",
                Low,
                High,
                &[693],
                &["https://csp.withgoogle.com/docs/strict-csp.html"],
            ),
            Rule::HstsMissing => passive(
                "web-hsts-missing",
                "No Strict-Transport-Security on an HTTPS site",
                "Without HSTS, a user who types the bare host name or follows an http:// link \
                 makes a first request in clear text that an attacker on the network can \
                 intercept and downgrade (SSL stripping).",
                "Send `Strict-Transport-Security: max-age=63072000; includeSubDomains` on every \
                 HTTPS response (add `preload` once every subdomain serves HTTPS).",
                Medium,
                High,
                &[319],
                &[
                    "https://developer.mozilla.org/en-US/docs/Web/HTTP/Headers/Strict-Transport-Security",
                    OWASP_HEADERS,
                ],
            ),
            Rule::HstsInvalid => passive(
                "web-hsts-invalid",
                "Strict-Transport-Security header cannot be parsed",
                "Browsers ignore an HSTS header without a valid `max-age`, so the site has no \
                 HSTS protection even though it meant to.",
                "Send `Strict-Transport-Security: max-age=63072000; includeSubDomains` exactly \
                 once, with a numeric `max-age`.",
                Medium,
                High,
                &[319],
                &["https://www.rfc-editor.org/rfc/rfc6797#section-6.1"],
            ),
            Rule::HstsShortMaxAge => passive(
                "web-hsts-short-max-age",
                "HSTS max-age is shorter than six months",
                "A short `max-age` lets the browser forget the HTTPS-only rule between visits, \
                 reopening the clear-text first request.",
                "Raise `max-age` to at least 15768000 (six months); two years (63072000) is \
                 the common choice.",
                Low,
                High,
                &[319],
                &[
                    "https://developer.mozilla.org/en-US/docs/Web/HTTP/Headers/Strict-Transport-Security",
                ],
            ),
            Rule::HstsNoIncludeSubdomains => passive(
                "web-hsts-no-include-subdomains",
                "HSTS does not cover subdomains",
                "Without `includeSubDomains`, subdomains can still be reached over plain HTTP, \
                 where an attacker can set cookies for the parent domain.",
                "Add `includeSubDomains` once every subdomain serves HTTPS.",
                Low,
                MediumConf,
                &[319],
                &["https://www.rfc-editor.org/rfc/rfc6797#section-14.4"],
            ),
            Rule::FramingUnprotected => passive(
                "web-framing-unprotected",
                "Page can be framed by any site (clickjacking)",
                "Neither `X-Frame-Options` (DENY or SAMEORIGIN) nor CSP `frame-ancestors` \
                 restricts framing, so another site can load the page in an invisible frame and \
                 trick users into clicking its controls.",
                "Send `Content-Security-Policy: frame-ancestors 'none'` (or `'self'`) and, for \
                 old browsers, `X-Frame-Options: DENY`.",
                Medium,
                High,
                &[1021],
                &[
                    "https://developer.mozilla.org/en-US/docs/Web/HTTP/Headers/X-Frame-Options",
                    "https://cheatsheetseries.owasp.org/cheatsheets/Clickjacking_Defense_Cheat_Sheet.html",
                ],
            ),
            Rule::ContentTypeOptionsMissing => passive(
                "web-xcto-missing",
                "X-Content-Type-Options: nosniff is not set",
                "Without `nosniff`, browsers may guess a response's type from its content and \
                 run an uploaded or user-controlled file as script or HTML.",
                "Send `X-Content-Type-Options: nosniff` on every response, with correct \
                 Content-Type headers.",
                Low,
                High,
                &[693],
                &[
                    "https://developer.mozilla.org/en-US/docs/Web/HTTP/Headers/X-Content-Type-Options",
                ],
            ),
            Rule::ReferrerPolicyUnsafe => passive(
                "web-referrer-policy-unsafe",
                "Referrer-Policy leaks full URLs to other sites",
                "The effective Referrer-Policy (`unsafe-url`, `no-referrer-when-downgrade`, \
                 `origin-when-cross-origin` or `origin`) sends page URLs or origins to third \
                 parties, and with `unsafe-url` or `no-referrer-when-downgrade` path and query \
                 (tokens, ids) leave the site.",
                "Send `Referrer-Policy: strict-origin-when-cross-origin` (or `no-referrer`, \
                 `same-origin`, `strict-origin`).",
                Low,
                High,
                &[200],
                &["https://developer.mozilla.org/en-US/docs/Web/HTTP/Headers/Referrer-Policy"],
            ),
            Rule::PermissionsPolicyMissing => passive(
                "web-permissions-policy-missing",
                "No Permissions-Policy",
                "Without a Permissions-Policy, every frame and script on the page may ask for \
                 powerful features (camera, microphone, geolocation, payment) the site never \
                 uses.",
                "Send a `Permissions-Policy` that turns off what the site does not use, e.g. \
                 `camera=(), microphone=(), geolocation=(), payment=()`.",
                Info,
                High,
                &[693],
                &["https://developer.mozilla.org/en-US/docs/Web/HTTP/Headers/Permissions-Policy"],
            ),
            Rule::CookieNoSecure => passive(
                "web-cookie-no-secure",
                "Cookie without the Secure attribute",
                "A cookie without `Secure` is also sent over plain HTTP, where anyone on the \
                 network can read it; a session cookie read this way is a stolen session.",
                "Set `Secure` on every cookie (and serve the site only over HTTPS). Prefer the \
                 `__Host-` prefix for session cookies.",
                Medium,
                High,
                &[614],
                &["https://developer.mozilla.org/en-US/docs/Web/HTTP/Headers/Set-Cookie"],
            ),
            Rule::CookieNoHttpOnly => passive(
                "web-cookie-no-httponly",
                "Cookie without the HttpOnly attribute",
                "A cookie without `HttpOnly` can be read by any script on the page, so one XSS \
                 bug hands the session to the attacker.",
                "Set `HttpOnly` on session and authentication cookies (any cookie scripts do \
                 not need to read).",
                Medium,
                High,
                &[1004],
                &["https://owasp.org/www-community/HttpOnly"],
            ),
            Rule::CookieNoSameSite => passive(
                "web-cookie-no-samesite",
                "Cookie without a valid SameSite attribute",
                "A cookie without `SameSite=Lax` or `Strict` (or with `SameSite=None`) is sent \
                 on cross-site requests, which is what cross-site request forgery relies on.",
                "Set `SameSite=Lax` (or `Strict`) on session and anti-CSRF cookies; use \
                 `SameSite=None; Secure` only for cookies that must work cross-site.",
                Low,
                High,
                &[1275],
                &[
                    "https://developer.mozilla.org/en-US/docs/Web/HTTP/Headers/Set-Cookie#samesitesamesite-value",
                ],
            ),
            Rule::CorsReflectedOrigin => passive(
                "web-cors-reflected-origin",
                "CORS reflects any Origin",
                "The server copies the request's Origin into Access-Control-Allow-Origin, so \
                 every site may read its responses; with Access-Control-Allow-Credentials: true \
                 that includes the responses of a logged-in user.",
                "Allow only a fixed list of trusted origins, compare the Origin against it \
                 exactly, and send `Vary: Origin`. Never pair a reflected origin with \
                 credentials.",
                HighSev,
                High,
                &[942],
                &["https://portswigger.net/web-security/cors"],
            ),
            Rule::CorsWildcardCredentials => passive(
                "web-cors-wildcard-credentials",
                "CORS allows any origin and credentials",
                "Access-Control-Allow-Origin: * together with Access-Control-Allow-Credentials: \
                 true shows the CORS policy was meant to be open to every site with cookies; \
                 browsers refuse the combination today, and a small change (reflecting the \
                 origin) makes it exploitable.",
                "Decide whether the resource is public (then `*` without credentials) or \
                 private (then a fixed origin list with credentials).",
                Medium,
                High,
                &[942],
                &[
                    "https://developer.mozilla.org/en-US/docs/Web/HTTP/CORS/Errors/CORSNotSupportingCredentials",
                ],
            ),
            Rule::VersionDisclosure => passive(
                "web-version-disclosure",
                "Server software and version disclosed in headers",
                "Headers such as `Server: Apache/2.4.41` or `X-Powered-By: PHP/7.4.3` tell an \
                 attacker exactly which known vulnerabilities to try.",
                "Remove `X-Powered-By`, `X-AspNet-Version` and similar headers, and configure \
                 the server to send only its product name (`ServerTokens Prod`, \
                 `server_tokens off`).",
                Low,
                High,
                &[200],
                &[OWASP_HEADERS],
            ),
            Rule::HttpNotRedirected => passive(
                "web-http-no-https-redirect",
                "HTTP is not redirected to HTTPS",
                "The site answers plain-HTTP requests without sending the user to HTTPS (or \
                 redirects through another HTTP URL first), so pages, cookies and forms travel \
                 in clear text.",
                "Answer every `http://` request with a 301 to the same host and path over \
                 `https://`, then add HSTS.",
                Medium,
                High,
                &[319],
                &["https://infosec.mozilla.org/guidelines/web_security#http-redirections"],
            ),
            Rule::MixedContentActive => passive(
                "web-mixed-content-active",
                "HTTPS page loads scripts, styles or frames over HTTP",
                "Active mixed content (scripts, stylesheets, frames, plugins, form targets over \
                 http://) can be rewritten by anyone on the network, which gives them control \
                 of the HTTPS page. Browsers block most of it, breaking the page instead.",
                "Load every subresource over `https://` (or a relative URL); add \
                 `Content-Security-Policy: upgrade-insecure-requests` as a safety net.",
                HighSev,
                High,
                &[319],
                &["https://developer.mozilla.org/en-US/docs/Web/Security/Mixed_content"],
            ),
            Rule::MixedContentPassive => passive(
                "web-mixed-content-passive",
                "HTTPS page loads images or media over HTTP",
                "Passive mixed content (images, audio, video over http://) can be read and \
                 replaced on the network, leaking what the user views and letting an attacker \
                 change what the page shows.",
                "Load images and media over `https://`; `upgrade-insecure-requests` in the CSP \
                 upgrades them automatically.",
                Low,
                High,
                &[319],
                &["https://developer.mozilla.org/en-US/docs/Web/Security/Mixed_content"],
            ),
            Rule::SriMissing => passive(
                "web-sri-missing",
                "Cross-site script loaded without Subresource Integrity",
                "A script from another site runs with the page's authority; without an \
                 `integrity` hash, whoever controls that host or CDN controls the page.",
                "Add `integrity=\"sha384-…\"` and `crossorigin=\"anonymous\"` to the <script> \
                 tag, or host the script yourself.",
                Medium,
                High,
                &[353],
                &["https://developer.mozilla.org/en-US/docs/Web/Security/Subresource_Integrity"],
            ),
            Rule::SourceMapExposed => passive(
                "web-source-map-exposed",
                "JavaScript source map is publicly served",
                "The source map rebuilds the application's original source (names, comments, \
                 file layout, sometimes `sourcesContent` in full), which eases finding bugs \
                 and can contain secrets and internal URLs.",
                "Do not deploy `.map` files to production, or serve them only to authenticated \
                 staff; remove `//# sourceMappingURL` comments from production bundles.",
                Low,
                High,
                &[200],
                &["https://developer.mozilla.org/en-US/docs/Glossary/Source_map"],
            ),
            Rule::DirectoryListing => passive(
                "web-directory-listing",
                "Directory listing is enabled",
                "The server lists a directory's files, exposing backups, configuration and \
                 files that were never meant to be linked.",
                "Turn off automatic indexes (`Options -Indexes`, `autoindex off`) and put an \
                 index page or a 403 in the directory.",
                Medium,
                High,
                &[548],
                &["https://cwe.mitre.org/data/definitions/548.html"],
            ),
            Rule::VerboseError => passive(
                "web-verbose-error",
                "Stack trace or verbose error message in a response",
                "The response shows a stack trace, a debugger page or a database error, which \
                 reveals code paths, file locations, library versions and sometimes \
                 configuration values.",
                "Turn off debug mode in production and return a generic error page; log the \
                 details on the server instead.",
                Medium,
                MediumConf,
                &[209],
                &["https://owasp.org/www-community/Improper_Error_Handling"],
            ),
            Rule::TlsLegacyProtocol => passive(
                "web-tls-legacy-protocol",
                "Server accepts SSL 3.0, TLS 1.0 or TLS 1.1",
                "These protocol versions are deprecated (RFC 8996) and have known weaknesses \
                 (BEAST, POODLE, weak MAC constructions); accepting them exposes clients that \
                 can be downgraded.",
                "Accept only TLS 1.2 and TLS 1.3 (e.g. `ssl_protocols TLSv1.2 TLSv1.3;`).",
                Medium,
                High,
                &[327],
                &[
                    "https://www.rfc-editor.org/rfc/rfc8996",
                    "https://ssl-config.mozilla.org/",
                ],
            ),
            Rule::TlsWeakCipher => passive(
                "web-tls-weak-cipher",
                "Server accepts weak cipher suites",
                "The server negotiates a cipher suite with no encryption, export-grade keys, \
                 anonymous key exchange, RC4, DES or 3DES, which an attacker can break or \
                 bypass.",
                "Offer only AEAD suites with forward secrecy (ECDHE with AES-GCM or \
                 ChaCha20-Poly1305); Mozilla's intermediate configuration is a good baseline.",
                HighSev,
                High,
                &[327, 326],
                &["https://ssl-config.mozilla.org/"],
            ),
            Rule::TlsCertExpired => passive(
                "web-tls-cert-expired",
                "TLS certificate is expired or not yet valid",
                "Browsers reject the certificate outside its validity period; users who click \
                 through the warning lose protection against interception.",
                "Renew the certificate and automate renewal (ACME).",
                HighSev,
                High,
                &[295],
                &["https://www.rfc-editor.org/rfc/rfc5280#section-4.1.2.5"],
            ),
            Rule::TlsCertExpiring => passive(
                "web-tls-cert-expiring",
                "TLS certificate expires within 30 days",
                "The certificate will soon be rejected by every client.",
                "Renew the certificate now and automate renewal (ACME).",
                Low,
                High,
                &[295],
                &["https://www.rfc-editor.org/rfc/rfc5280#section-4.1.2.5"],
            ),
            Rule::TlsHostnameMismatch => passive(
                "web-tls-hostname-mismatch",
                "TLS certificate does not match the host name",
                "None of the certificate's subject alternative names covers the host, so \
                 browsers reject it; users who click through cannot tell the real server from \
                 an impostor.",
                "Serve a certificate whose subjectAltName lists this host name (or a matching \
                 wildcard).",
                HighSev,
                High,
                &[295],
                &["https://www.rfc-editor.org/rfc/rfc6125"],
            ),
            Rule::TlsSelfSigned => passive(
                "web-tls-self-signed",
                "TLS certificate is self-signed",
                "A self-signed certificate is not vouched for by any trusted authority; clients \
                 either reject it or are trained to accept interception warnings.",
                "Use a certificate from a publicly trusted CA (e.g. Let's Encrypt) or, for \
                 internal services, from your organisation's CA distributed to clients.",
                HighSev,
                High,
                &[295],
                &["https://cwe.mitre.org/data/definitions/295.html"],
            ),
            Rule::TlsUntrustedChain => passive(
                "web-tls-untrusted-chain",
                "TLS certificate chain does not verify",
                "The certificate does not chain to a trusted root (unknown or missing \
                 intermediate, untrusted issuer, bad signature), so clients reject it.",
                "Serve the full chain (leaf and intermediates) from a publicly trusted CA.",
                HighSev,
                High,
                &[295],
                &["https://cwe.mitre.org/data/definitions/295.html"],
            ),
            Rule::TlsWeakKey => passive(
                "web-tls-weak-key",
                "TLS certificate uses a weak key",
                "An RSA key shorter than 2048 bits can be factored with affordable computing \
                 power.",
                "Issue the certificate for an RSA key of 2048 bits or more, or an ECDSA P-256 \
                 key.",
                Medium,
                High,
                &[326],
                &["https://ssl-config.mozilla.org/"],
            ),
            Rule::GitExposed => Spec {
                owasp: MISCONFIG,
                active: true,
                ..passive(
                    "web-git-exposed",
                    "Git repository exposed (/.git/config)",
                    "The web root contains the `.git` directory; anyone can download the \
                     repository's history, including source code and any secret ever \
                     committed.",
                    "Deploy build artefacts, not a checkout; deny `/.git` in the server \
                     configuration; rotate secrets that were ever committed.",
                    HighSev,
                    High,
                    &[527],
                    &["https://cwe.mitre.org/data/definitions/527.html"],
                )
            },
            Rule::EnvExposed => Spec {
                active: true,
                ..passive(
                    "web-env-exposed",
                    "Environment file exposed (/.env)",
                    "The `.env` file is served, typically with database passwords, API keys \
                     and signing secrets.",
                    "Keep `.env` outside the web root, deny dotfiles in the server \
                     configuration, and rotate every secret the file held.",
                    Critical,
                    High,
                    &[538],
                    &["https://cwe.mitre.org/data/definitions/538.html"],
                )
            },
            Rule::BackupExposed => Spec {
                owasp: MISCONFIG,
                active: true,
                ..passive(
                    "web-backup-exposed",
                    "Backup or database dump downloadable",
                    "An archive or SQL dump of the site is served from the web root; it holds \
                     source code, credentials or user data.",
                    "Remove backups and dumps from the web root and store them where the web \
                     server cannot serve them.",
                    HighSev,
                    High,
                    &[530],
                    &["https://cwe.mitre.org/data/definitions/530.html"],
                )
            },
            Rule::ServerStatusExposed => Spec {
                active: true,
                ..passive(
                    "web-server-status-exposed",
                    "Server status page exposed",
                    "Apache's `/server-status` (or a similar page) shows every request in \
                     flight, client addresses, virtual hosts and the server version.",
                    "Restrict the status handler to localhost or an admin network \
                     (`Require local`).",
                    Medium,
                    High,
                    &[497],
                    &["https://httpd.apache.org/docs/2.4/mod/mod_status.html"],
                )
            },
            Rule::GraphqlIntrospection => Spec {
                active: true,
                ..passive(
                    "web-graphql-introspection",
                    "GraphQL introspection enabled",
                    "The GraphQL endpoint answers introspection queries, handing anyone the \
                     full schema (every query, mutation and field, including internal ones).",
                    "Disable introspection in production (or allow it only to authenticated \
                     developers).",
                    Low,
                    High,
                    &[200],
                    &["https://cheatsheetseries.owasp.org/cheatsheets/GraphQL_Cheat_Sheet.html"],
                )
            },
            Rule::OpenRedirect => Spec {
                active: true,
                ..passive(
                    "web-open-redirect",
                    "Open redirect",
                    "A request parameter decides where the server redirects, and it accepts an \
                     external site, so the site's good name can be lent to phishing links and \
                     OAuth flows can leak tokens to an attacker.",
                    "Redirect only to relative paths or to an allow-list of hosts; reject \
                     absolute and protocol-relative (`//host`) URLs.",
                    Medium,
                    High,
                    &[601],
                    &[
                        "https://cheatsheetseries.owasp.org/cheatsheets/Unvalidated_Redirects_and_Forwards_Cheat_Sheet.html",
                    ],
                )
            },
        }
    }
}

/// The metadata of the rule with `id`.
pub fn meta_for(id: &str) -> Option<RuleMeta> {
    Rule::ALL.iter().find(|r| r.id() == id).map(|r| r.meta())
}

/// Metadata of every rule, sorted by id.
pub fn all() -> Vec<RuleMeta> {
    let mut rules: Vec<RuleMeta> = Rule::ALL.iter().map(|r| r.meta()).collect();
    rules.sort_by(|a, b| a.id.cmp(&b.id));
    rules
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_unique_and_prefixed() {
        let rules = all();
        let mut ids: Vec<&str> = rules.iter().map(|r| r.id.as_str()).collect();
        ids.dedup();
        assert_eq!(ids.len(), Rule::ALL.len());
        for rule in &rules {
            assert!(rule.id.starts_with("web-"), "{}", rule.id);
            assert!(!rule.cwe.is_empty(), "{} has no CWE", rule.id);
            assert!(!rule.owasp.is_empty(), "{} has no OWASP category", rule.id);
            assert_eq!(rule.kind, ScanKind::Web);
        }
    }

    #[test]
    fn cwe_ids_are_the_specific_ones() {
        let cwe = |r: Rule| r.meta().cwe.iter().map(|c| c.0).collect::<Vec<_>>();
        assert_eq!(cwe(Rule::CspMissing), [693]);
        assert_eq!(cwe(Rule::FramingUnprotected), [1021]);
        assert_eq!(cwe(Rule::HstsMissing), [319]);
        assert_eq!(cwe(Rule::CookieNoSecure), [614]);
        assert_eq!(cwe(Rule::CookieNoHttpOnly), [1004]);
        assert_eq!(cwe(Rule::CookieNoSameSite), [1275]);
        assert_eq!(cwe(Rule::CorsReflectedOrigin), [942]);
        assert_eq!(cwe(Rule::SriMissing), [353]);
        assert_eq!(cwe(Rule::DirectoryListing), [548]);
        assert_eq!(cwe(Rule::VerboseError), [209]);
        assert_eq!(cwe(Rule::TlsSelfSigned), [295]);
        assert_eq!(cwe(Rule::GitExposed), [527]);
        assert_eq!(cwe(Rule::EnvExposed), [538]);
        assert_eq!(cwe(Rule::BackupExposed), [530]);
        assert_eq!(cwe(Rule::OpenRedirect), [601]);
    }
}
